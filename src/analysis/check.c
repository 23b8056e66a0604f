/* check.c: truce_check: the channel graph and feasible protocols, agenda
 * deadlocks and what breaks them, the zone of agreement among principals
 * under hard conditions and reservation values with its minimal relaxations,
 * and the valuation of guarantees. Reports are JSON (docs/check.md). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/scenario.h"
#include "../io/report.h"
#include "model.h"

void truce_free(void *p)
{
    free(p);
}

int check_options(const truce_check_options *o, truce_error *err)
{
    if (o->version < 1 || o->version > TRUCE_CHECK_OPTIONS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_check_options version %d is not 1 to %d", o->version,
                         TRUCE_CHECK_OPTIONS_VERSION);
    if (o->version >= 2 && !(o->thin_margin >= 0 && o->thin_margin <= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "thin_margin",
                         "thin_margin must lie in [0, 1]");
    if (o->version >= 2 && !(o->max_nodes >= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_nodes", "max_nodes must be at least 1");
    if (!(o->time >= 0 && o->time <= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "time", "time must lie in [0, 1]");
    if (!(o->max_outcomes >= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_outcomes",
                         "max_outcomes must be at least 1");
    return 0;
}

double check_thin_margin(const truce_check_options *o)
{
    return o->version >= 2 ? o->thin_margin : TRUCE_THIN_MARGIN;
}

truce_analysis_options check_analysis_options(const truce_check_options *o, double time)
{
    truce_analysis_options ao = TRUCE_ANALYSIS_OPTIONS_INIT;
    ao.max_outcomes = o->max_outcomes;
    ao.time = time;
    if (o->version >= 2)
        ao.max_nodes = o->max_nodes;
    return ao;
}

int check_margins(const truce_check_options *o)
{
    return o->version >= 3 ? o->margins : 1;
}

int model_outcome_count(const truce_scenario *s, double limit, uint64_t *out, truce_error *err)
{
    double total = 1;
    for (size_t i = 0; i < s->n_issues; i++)
        total *= s->issues[i].n_options;
    if (total > limit)
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "max_outcomes",
                         "scenario '%s' has %.3g outcomes, more than the %.3g this check "
                         "enumerates",
                         s->name, total, limit);
    *out = (uint64_t)total;
    return 0;
}

void model_decode(const truce_scenario *s, uint64_t x, uint32_t *o)
{
    for (size_t i = 0; i < s->n_issues; i++) {
        o[i] = (uint32_t)(x % s->issues[i].n_options);
        x /= s->issues[i].n_options;
    }
}

json_t *model_utilities_json(const truce_scenario *s, const uint32_t *o)
{
    json_t *j = json_object();
    for (size_t p = 0; j && p < s->n_parties; p++)
        json_object_set_new(j, s->parties[p].name, json_real(party_utility(s, &s->parties[p], o)));
    return j;
}

int model_dump(char **out, json_t *doc, truce_error *err)
{
    if (!doc)
        return error_nomem(err);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(doc);
    if (!text)
        return error_nomem(err);
    *out = text;
    return 0;
}

/* ---- channels ---- */

static json_t *check_channels(const truce_scenario *s)
{
    size_t n = s->n_parties;
    json_t *j = json_object();
    json_object_set_new(j, "declared", json_boolean(s->channels != NULL));
    json_t *pairs = json_array();
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++)
            if (truce_channel(s, a, b))
                json_array_append_new(pairs,
                                      json_pack("[s,s]", s->parties[a].name, s->parties[b].name));
    json_object_set_new(j, "pairs", pairs);
    /* shortest relay path between every pair (breadth-first search) */
    json_t *reach = json_array();
    size_t *prev = malloc(n * sizeof *prev), *queue = malloc(n * sizeof *queue);
    for (size_t a = 0; prev && queue && a < n; a++) {
        for (size_t k = 0; k < n; k++)
            prev[k] = (size_t)-1;
        prev[a] = a;
        size_t head = 0, tail = 0;
        queue[tail++] = a;
        while (head < tail) {
            size_t x = queue[head++];
            for (size_t y = 0; y < n; y++)
                if (prev[y] == (size_t)-1 && truce_channel(s, x, y)) {
                    prev[y] = x;
                    queue[tail++] = y;
                }
        }
        for (size_t b = a + 1; b < n; b++) {
            json_t *r = json_pack("{s:s,s:s,s:b}", "from", s->parties[a].name, "to",
                                  s->parties[b].name, "direct", truce_channel(s, a, b));
            if (prev[b] == (size_t)-1) {
                json_object_set_new(r, "path", json_null());
            } else {
                json_t *path = json_array();
                for (size_t x = b; x != a; x = prev[x])
                    json_array_insert_new(path, 0, json_string(s->parties[x].name));
                json_array_insert_new(path, 0, json_string(s->parties[a].name));
                json_object_set_new(r, "path", path);
            }
            json_array_append_new(reach, r);
        }
    }
    free(prev);
    free(queue);
    json_object_set_new(j, "reach", reach);
    /* protocols */
    json_t *protocols = json_array();
    size_t n_principals = 0, all_direct = 1;
    for (size_t a = 0; a < n; a++) {
        if (s->parties[a].role != TRUCE_ROLE_PRINCIPAL)
            continue;
        n_principals++;
        for (size_t b = a + 1; b < n; b++) {
            if (s->parties[b].role != TRUCE_ROLE_PRINCIPAL)
                continue;
            int ok = truce_channel(s, a, b);
            all_direct &= ok;
            char why[300];
            snprintf(why, sizeof why,
                     ok ? "%s and %s have a channel"
                        : "no channel between %s and %s: only mediated talks",
                     s->parties[a].name, s->parties[b].name);
            json_array_append_new(protocols,
                                  json_pack("{s:s,s:[s,s],s:b,s:s}", "protocol", "direct-bilateral",
                                            "between", s->parties[a].name, s->parties[b].name,
                                            "feasible", ok, "reason", why));
        }
    }
    if (n_principals > 2)
        json_array_append_new(protocols,
                              json_pack("{s:s,s:b,s:s}", "protocol", "direct-multilateral",
                                        "feasible", (int)all_direct, "reason",
                                        all_direct ? "every pair of principals has a channel"
                                                   : "some principals have no channel between "
                                                     "them"));
    for (size_t m = 0; m < n; m++) {
        if (s->parties[m].role != TRUCE_ROLE_MEDIATOR)
            continue;
        int ok = 1;
        char missing[300] = "";
        for (size_t a = 0; a < n; a++)
            if (s->parties[a].role == TRUCE_ROLE_PRINCIPAL && !truce_channel(s, m, a)) {
                ok = 0;
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                         *missing ? ", " : "", s->parties[a].name);
            }
        char why[400];
        snprintf(why, sizeof why,
                 ok ? "%s has a channel to every principal (shuttle diplomacy)"
                    : "%s has no channel to %s",
                 s->parties[m].name, missing);
        json_array_append_new(protocols,
                              json_pack("{s:s,s:s,s:b,s:s}", "protocol", "mediated", "mediator",
                                        s->parties[m].name, "feasible", ok, "reason", why));
    }
    json_object_set_new(j, "protocols", protocols);
    return j;
}

/* ---- agenda deadlocks ---- */

/* Limits on what the report lists (a dense agenda has exponentially many
 * cycles); "complete": false says one was reached. */
#define MAX_CYCLES 100
#define MAX_DROP_SETS 64
#define MAX_DROP_DEMANDS 20
/* The cycle search walks simple paths, exponentially many in a dense
 * agenda even when few of them close a cycle: it stops after examining
 * this many edges (with "complete": false) */
#define MAX_SEARCH_STEPS 2000000

/* A demand: agenda item `first` before `then`. Its holders are the parties
 * of the preconditions saying so (listed by holders_json). */
typedef struct demand {
    size_t first, then;
} demand;

static size_t collect_demands(const truce_scenario *s, demand *d)
{
    size_t n = 0;
    for (size_t k = 0; k < s->n_preconditions; k++) {
        const precondition *p = &s->preconditions[k];
        size_t e = 0;
        while (e < n && !(d[e].first == p->first && d[e].then == p->then))
            e++;
        if (e == n)
            d[n++] = (demand){p->first, p->then};
    }
    return n;
}

/* The demand graph: the edges leaving and entering each item (compressed
 * rows, in demand order), and scratch space for the searches, all sized by
 * the agenda: no limit on its length. */
typedef struct graph {
    size_t n_items, n_edges;
    const demand *d;
    size_t *out_start, *out; /* edges leaving v: out[out_start[v] .. out_start[v + 1]) */
    size_t *in_start, *in;   /* edges entering v, likewise */
    unsigned char *mark, *reach;
    size_t *stack, *at, *path; /* depth-first search: item, position in its row, edge */
} graph;

static void graph_free(graph *g)
{
    free(g->out_start);
    free(g->out);
    free(g->in_start);
    free(g->in);
    free(g->mark);
    free(g->reach);
    free(g->stack);
    free(g->at);
    free(g->path);
}

/* Counting sort of the edges by one end (stable: demand order within a
 * row); `cursor` is scratch of n_items entries. */
static void rows(const demand *d, size_t n_items, size_t n_edges, int by_first, size_t *start,
                 size_t *list, size_t *cursor)
{
    for (size_t e = 0; e < n_edges; e++)
        start[(by_first ? d[e].first : d[e].then) + 1]++;
    for (size_t v = 0; v < n_items; v++)
        start[v + 1] += start[v];
    memcpy(cursor, start, n_items * sizeof *cursor);
    for (size_t e = 0; e < n_edges; e++)
        list[cursor[by_first ? d[e].first : d[e].then]++] = e;
}

static int graph_init(graph *g, const demand *d, size_t n_items, size_t n_edges)
{
    memset(g, 0, sizeof *g);
    g->n_items = n_items;
    g->n_edges = n_edges;
    g->d = d;
    g->out_start = calloc(n_items + 1, sizeof *g->out_start);
    g->in_start = calloc(n_items + 1, sizeof *g->in_start);
    g->out = malloc((n_edges + 1) * sizeof *g->out);
    g->in = malloc((n_edges + 1) * sizeof *g->in);
    g->mark = calloc(n_items + 1, 1);
    g->reach = calloc(n_items + 1, 1);
    g->stack = calloc(n_items + 1, sizeof *g->stack);
    g->at = calloc(n_items + 1, sizeof *g->at);
    g->path = calloc(n_items + 1, sizeof *g->path);
    if (!g->out_start || !g->in_start || !g->out || !g->in || !g->mark || !g->reach || !g->stack ||
        !g->at || !g->path) {
        graph_free(g);
        return TRUCE_ENOMEM;
    }
    rows(d, n_items, n_edges, 1, g->out_start, g->out, g->at);
    rows(d, n_items, n_edges, 0, g->in_start, g->in, g->at);
    return 0;
}

/* 1 when the demand graph without the edges whose bit is set in `dropped`
 * (edges below 64 only: the drop search has at most MAX_DROP_DEMANDS) has a
 * cycle. Depth-first search with colours, linear in the graph's size. */
static int has_cycle(graph *g, uint64_t dropped)
{
    unsigned char *colour = g->mark;
    memset(colour, 0, g->n_items);
    int found = 0;
    for (size_t start = 0; start < g->n_items && !found; start++) {
        if (colour[start])
            continue;
        size_t top = 0;
        g->stack[0] = start;
        g->at[0] = g->out_start[start];
        colour[start] = 1;
        while (!found) {
            size_t v = g->stack[top], pos = g->at[top];
            while (pos < g->out_start[v + 1] && g->out[pos] < 64 && (dropped >> g->out[pos] & 1))
                pos++;
            if (pos == g->out_start[v + 1]) {
                colour[v] = 2;
                if (top == 0)
                    break;
                top--;
                continue;
            }
            g->at[top] = pos + 1;
            size_t next = g->d[g->out[pos]].then;
            if (colour[next] == 1) {
                found = 1;
            } else if (colour[next] == 0) {
                colour[next] = 1;
                g->stack[++top] = next;
                g->at[top] = g->out_start[next];
            }
        }
    }
    memset(colour, 0, g->n_items);
    return found;
}

/* The parties demanding d, in the order of their preconditions, each once. */
static json_t *holders_json(const truce_scenario *s, const demand *d)
{
    json_t *a = json_array();
    for (size_t k = 0; k < s->n_preconditions; k++) {
        const precondition *p = &s->preconditions[k];
        if (p->first != d->first || p->then != d->then)
            continue;
        size_t j = 0;
        while (j < k &&
               !(s->preconditions[j].first == d->first && s->preconditions[j].then == d->then &&
                 s->preconditions[j].party == p->party))
            j++;
        if (j == k)
            json_array_append_new(a, json_string(s->parties[p->party].name));
    }
    return a;
}

static json_t *cycle_json(const truce_scenario *s, const demand *d, const size_t *edges, size_t n)
{
    json_t *cycle = json_array(), *list = json_array(), *res = json_array();
    for (size_t k = 0; k < n; k++) {
        const demand *de = &d[edges[k]];
        json_array_append_new(cycle, json_string(s->agenda[de->first].id));
        json_array_append_new(list,
                              json_pack("{s:s,s:s,s:o}", "first", s->agenda[de->first].id, "then",
                                        s->agenda[de->then].id, "held_by", holders_json(s, de)));
    }
    json_array_append_new(res, json_pack("{s:s,s:O,s:s}", "kind", "bundle", "items", cycle, "text",
                                         "negotiate the items of this cycle as one package, "
                                         "settled together, so that no item has to come first"));
    for (size_t k = 0; k < n; k++) {
        const demand *de = &d[edges[k]];
        json_t *holders = holders_json(s, de);
        size_t n_holders = json_array_size(holders);
        char text[400];
        snprintf(text, sizeof text, "%s%s drop%s the demand that %s come before %s",
                 json_string_value(json_array_get(holders, 0)),
                 n_holders > 1 ? " and the other holders" : "", n_holders > 1 ? "" : "s",
                 s->agenda[de->first].id, s->agenda[de->then].id);
        json_array_append_new(res, json_pack("{s:s,s:o,s:s,s:s,s:s}", "kind", "drop", "parties",
                                             holders, "first", s->agenda[de->first].id, "then",
                                             s->agenda[de->then].id, "text", text));
    }
    return json_pack("{s:o,s:o,s:o}", "cycle", cycle, "edges", list, "resolutions", res);
}

/* Elementary cycles of the demand graph, each found once from its smallest
 * item (Tiernan's search over simple paths, walking only into items that
 * can get back to the start). At most MAX_CYCLES within MAX_SEARCH_STEPS;
 * returns 1 when it stopped early. */
static int find_cycles(const truce_scenario *s, graph *g, json_t *out)
{
    const demand *d = g->d;
    size_t steps = 0;
    int more = 0;
    for (size_t start = 0; start < g->n_items && !more; start++) {
        /* items above start from which start can be reached through items
         * above start (breadth-first over the entering edges) */
        memset(g->reach, 0, g->n_items);
        size_t head = 0, tail = 0;
        g->stack[tail++] = start;
        while (head < tail) {
            size_t x = g->stack[head++];
            for (size_t k = g->in_start[x]; k < g->in_start[x + 1]; k++) {
                size_t y = d[g->in[k]].first;
                if (y > start && !g->reach[y]) {
                    g->reach[y] = 1;
                    g->stack[tail++] = y;
                }
            }
        }
        size_t depth = 0;
        g->stack[0] = start;
        g->at[0] = g->out_start[start];
        g->mark[start] = 1; /* on the path */
        while (!more) {
            size_t v = g->stack[depth], pos = g->at[depth], w = 0;
            for (; pos < g->out_start[v + 1]; pos++, steps++) {
                w = d[g->out[pos]].then;
                if (w == start || (w > start && g->reach[w] && !g->mark[w]))
                    break;
            }
            if (steps > MAX_SEARCH_STEPS) {
                more = 1;
                break;
            }
            if (pos == g->out_start[v + 1]) {
                g->mark[v] = 0;
                if (depth == 0)
                    break;
                depth--;
                continue;
            }
            g->at[depth] = pos + 1;
            g->path[depth] = g->out[pos];
            if (w == start) {
                if (json_array_size(out) == MAX_CYCLES)
                    more = 1;
                else
                    json_array_append_new(out, cycle_json(s, d, g->path, depth + 1));
                continue;
            }
            /* a simple path visits each item once: depth stays below n_items */
            g->stack[++depth] = w;
            g->at[depth] = g->out_start[w];
            g->mark[w] = 1;
        }
        memset(g->mark, 0, g->n_items);
    }
    return more;
}

static json_t *check_agenda(const truce_scenario *s)
{
    json_t *j = json_object();
    json_t *items = json_array();
    for (size_t k = 0; k < s->n_agenda; k++)
        json_array_append_new(items, json_string(s->agenda[k].id));
    json_object_set_new(j, "items", items);
    demand *d = calloc(s->n_preconditions + 1, sizeof *d);
    json_t *deadlocks = json_array();
    json_t *minimal = json_array();
    int complete = 1;
    graph g;
    size_t n_edges = d ? collect_demands(s, d) : 0;
    if (d && graph_init(&g, d, s->n_agenda, n_edges) == 0) {
        /* an acyclic agenda is settled in linear time, however dense */
        if (has_cycle(&g, 0))
            complete = !find_cycles(s, &g, deadlocks);
        /* smallest sets of demands whose dropping removes every deadlock:
         * every subset by size, so only for a few demands */
        if (json_array_size(deadlocks) && n_edges > MAX_DROP_DEMANDS) {
            json_decref(minimal);
            minimal = json_null();
            complete = 0;
        } else if (json_array_size(deadlocks)) {
            uint64_t found[MAX_DROP_SETS];
            size_t n_found = 0;
            for (size_t size = 1; size <= n_edges && !n_found; size++)
                for (uint64_t mask = 1; mask < (1ULL << n_edges); mask++) {
                    if ((size_t)__builtin_popcountll(mask) != size || has_cycle(&g, mask))
                        continue;
                    if (n_found == MAX_DROP_SETS) {
                        complete = 0;
                        break;
                    }
                    found[n_found++] = mask;
                }
            for (size_t f = 0; f < n_found; f++) {
                json_t *set = json_array();
                for (size_t e = 0; e < n_edges; e++)
                    if (found[f] >> e & 1)
                        json_array_append_new(set, json_pack("{s:s,s:s,s:o}", "first",
                                                             s->agenda[d[e].first].id, "then",
                                                             s->agenda[d[e].then].id, "held_by",
                                                             holders_json(s, &d[e])));
                json_array_append_new(minimal, set);
            }
        }
        graph_free(&g);
    }
    free(d);
    json_object_set_new(j, "deadlocks", deadlocks);
    json_object_set_new(j, "smallest_drops", minimal);
    json_object_set_new(j, "complete", json_boolean(complete));
    return j;
}

/* ---- guarantees ---- */

static json_t *check_guarantees(const truce_scenario *s)
{
    json_t *out = json_array();
    for (size_t k = 0; k < s->n_guarantees; k++) {
        const guarantee *g = &s->guarantees[k];
        const issue *is = &s->issues[g->issue];
        json_t *forms = json_array();
        for (uint32_t o = 0; o < is->n_options; o++) {
            json_t *val = json_object();
            /* contribution of this form to each party's utility (weight x
             * evaluation), linear parts only */
            const party *giver = &s->parties[g->giver];
            if (giver->table)
                json_object_set_new(val, giver->name,
                                    json_real(giver->table[s->option_offset[g->issue] + o]));
            for (size_t b = 0; b < g->n_beneficiaries; b++) {
                const party *pb = &s->parties[g->beneficiaries[b]];
                if (pb->table)
                    json_object_set_new(val, pb->name,
                                        json_real(pb->table[s->option_offset[g->issue] + o]));
            }
            char label[512];
            truce_issue_option_label(s, g->issue, o, label, sizeof label);
            json_array_append_new(forms, json_pack("{s:s,s:o}", "form", label, "value", val));
        }
        json_t *bens = json_array();
        for (size_t b = 0; b < g->n_beneficiaries; b++)
            json_array_append_new(bens, json_string(s->parties[g->beneficiaries[b]].name));
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:o,s:o}", "id", g->id, "giver",
                                             s->parties[g->giver].name, "issue", is->name,
                                             "beneficiaries", bens, "forms", forms));
    }
    return out;
}

int truce_check(char **out, const truce_scenario *s, const truce_check_options *o, truce_error *err)
{
    error_clear(err);
    truce_check_options defaults = TRUCE_CHECK_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (!out || !s)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    int rc = check_options(o, err);
    if (rc)
        return rc;
    json_t *doc = json_object();
    json_object_set_new(doc, "scenario", json_string(s->name));
    json_object_set_new(doc, "valid", json_true());
    json_t *roles = json_object();
    static const char *const role_names[] = {"principal", "mediator", "stakeholder"};
    for (size_t p = 0; p < s->n_parties; p++)
        json_object_set_new(roles, s->parties[p].name, json_string(role_names[s->parties[p].role]));
    json_object_set_new(doc, "roles", roles);
    json_object_set_new(doc, "channels", check_channels(s));
    json_object_set_new(doc, "agenda", check_agenda(s));
    json_t *zone = NULL;
    rc = model_zone(s, o, &zone, err);
    if (rc) {
        json_decref(doc);
        return rc;
    }
    json_object_set_new(doc, "zone", zone);
    if (scenario_has_rule(s)) {
        json_t *decision = NULL;
        if ((rc = model_decision(s, o, &decision, err))) {
            json_decref(doc);
            return rc;
        }
        json_object_set_new(doc, "decision", decision);
    }
    json_object_set_new(doc, "guarantees", check_guarantees(s));
    return model_dump(out, doc, err);
}
