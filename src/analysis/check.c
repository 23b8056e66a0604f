/* check.c: truce_check: the channel graph and feasible protocols, agenda
 * deadlocks and what breaks them, the zone of agreement among principals
 * under hard conditions and reservation values with its minimal relaxations,
 * and the valuation of guarantees. Reports are JSON (docs/check.md). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/channels.h"
#include "../core/error.h"
#include "../core/scenario.h"
#include "../io/report.h"
#include "model.h"
#include "sidepay.h"

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
    if (o->version >= 4 && !(o->max_work >= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_work", "max_work must be at least 1");
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
    if (o->version >= 4)
        ao.max_work = o->max_work;
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

int model_enumerable(const truce_scenario *s, double limit, const char *what, uint64_t *out,
                     truce_error *err)
{
    int rc = model_outcome_count(s, limit, out, err);
    if (rc == TRUCE_ELIMIT)
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "max_outcomes",
                         "scenario '%s': %s is found by enumerating every outcome, more than "
                         "the limit of %.0f; raise the limit (--max-outcomes)",
                         s->name, what, limit);
    return rc;
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

/* The channel graph over time (docs/check.md#channels): the periods between
 * the breaks of channel_breaks, during each of which the graph is fixed. */
typedef struct periods {
    double *start; /* period k is [start[k], start[k + 1]), the last up to 1 */
    size_t n;
} periods;

static double period_end(const periods *pd, size_t k)
{
    return k + 1 < pd->n ? pd->start[k + 1] : 1;
}

static json_t *interval_json(const truce_scenario *s, double from, double until)
{
    json_t *j = json_pack("{s:f,s:f}", "from", from, "until", until);
    if (s->days > 0) {
        json_object_set_new(j, "from_day", json_real(from * s->days));
        json_object_set_new(j, "until_day", json_real(until * s->days));
    }
    return j;
}

/* The periods whose flag is set, adjacent ones merged, as a list of
 * {from, until} (and days); appends the same in words to text. */
static json_t *intervals_json(const truce_scenario *s, const periods *pd, const unsigned char *on,
                              char *text, size_t size)
{
    json_t *list = json_array();
    if (text && size)
        *text = '\0';
    for (size_t k = 0; k < pd->n; k++) {
        if (!on[k])
            continue;
        size_t last = k;
        while (last + 1 < pd->n && on[last + 1])
            last++;
        double from = pd->start[k], until = period_end(pd, last);
        json_array_append_new(list, interval_json(s, from, until));
        if (text) {
            size_t used = strlen(text);
            if (s->days > 0)
                snprintf(text + used, size - used, "%sdays %g to %g", used ? ", " : "",
                         from * s->days, until * s->days);
            else
                snprintf(text + used, size - used, "%st in [%g, %g%s", used ? ", " : "", from,
                         until, until < 1 ? ")" : "]");
        }
        k = last;
    }
    return list;
}

/* Per period: is `to` reached from `from` (relays: any party when relay_role
 * < 0, else only parties of that role)? Fills on[] and returns how many. */
static size_t reached_periods(const truce_scenario *s, const periods *pd, size_t from, size_t to,
                              int relay_role, size_t *prev, size_t *queue, unsigned char *on)
{
    size_t count = 0;
    for (size_t k = 0; k < pd->n; k++) {
        channel_search(s, from, pd->start[k], relay_role, prev, queue);
        on[k] = prev[to] != (size_t)-1;
        count += on[k];
    }
    return count;
}

/* The timeline: the open pairs of each stretch of time, equal neighbours merged. */
static json_t *channel_timeline(const truce_scenario *s, const periods *pd)
{
    size_t n = s->n_parties;
    json_t *timeline = json_array();
    for (size_t k = 0; k < pd->n; k++) {
        size_t last = k;
        for (int same = 1; same && last + 1 < pd->n; last += same) {
            for (size_t a = 0; a < n && same; a++)
                for (size_t b = a + 1; b < n && same; b++)
                    same = truce_channel_open(s, a, b, pd->start[k]) ==
                           truce_channel_open(s, a, b, pd->start[last + 1]);
        }
        json_t *pairs = json_array();
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                if (truce_channel_open(s, a, b, pd->start[k]))
                    json_array_append_new(
                        pairs, json_pack("[s,s]", s->parties[a].name, s->parties[b].name));
        json_t *entry = interval_json(s, pd->start[k], period_end(pd, last));
        json_object_set_new(entry, "pairs", pairs);
        json_array_append_new(timeline, entry);
        k = last;
    }
    return timeline;
}

static json_t *path_json(const truce_scenario *s, const size_t *prev, size_t a, size_t b)
{
    json_t *path = json_array();
    for (size_t x = b; x != a; x = prev[x])
        json_array_insert_new(path, 0, json_string(s->parties[x].name));
    json_array_insert_new(path, 0, json_string(s->parties[a].name));
    return path;
}

/* Who reaches whom: one entry per pair, with the shortest relay path at the
 * first time they are connected, and with windows when and how long. */
static json_t *channel_reach(const truce_scenario *s, const periods *pd, int timed, size_t *prev,
                             size_t *queue, unsigned char *on)
{
    size_t n = s->n_parties;
    json_t *reach = json_array();
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            json_t *r = json_pack("{s:s,s:s,s:b}", "from", s->parties[a].name, "to",
                                  s->parties[b].name, "direct", truce_channel(s, a, b));
            reached_periods(s, pd, a, b, -1, prev, queue, on);
            size_t first = 0;
            while (first < pd->n && !on[first])
                first++;
            if (first == pd->n) {
                json_object_set_new(r, "path", json_null());
            } else {
                channel_search(s, a, pd->start[first], -1, prev, queue);
                json_object_set_new(r, "path", path_json(s, prev, a, b));
            }
            if (timed) {
                json_object_set_new(r, "connected", intervals_json(s, pd, on, NULL, 0));
                for (size_t k = 0; k < pd->n; k++)
                    on[k] = (unsigned char)truce_channel_open(s, a, b, pd->start[k]);
                json_object_set_new(r, "open", intervals_json(s, pd, on, NULL, 0));
            }
            json_array_append_new(reach, r);
        }
    return reach;
}

static json_t *direct_protocols(const truce_scenario *s, const periods *pd, int timed,
                                unsigned char *on, unsigned char *all_on)
{
    size_t n = s->n_parties;
    json_t *protocols = json_array();
    size_t n_principals = 0, all_direct = 1;
    for (size_t k = 0; k < pd->n; k++)
        all_on[k] = 1;
    for (size_t a = 0; a < n; a++) {
        if (s->parties[a].role != TRUCE_ROLE_PRINCIPAL)
            continue;
        n_principals++;
        for (size_t b = a + 1; b < n; b++) {
            if (s->parties[b].role != TRUCE_ROLE_PRINCIPAL)
                continue;
            int ok = truce_channel(s, a, b), whole = 1;
            all_direct &= ok;
            for (size_t k = 0; k < pd->n; k++) {
                on[k] = (unsigned char)truce_channel_open(s, a, b, pd->start[k]);
                all_on[k] &= on[k];
                whole &= on[k];
            }
            char why[600], when[400];
            json_t *open = intervals_json(s, pd, on, when, sizeof when);
            if (ok && timed && !whole)
                snprintf(why, sizeof why,
                         "%s and %s have a channel only during %s: direct talks then, "
                         "mediated talks otherwise",
                         s->parties[a].name, s->parties[b].name, when);
            else
                snprintf(why, sizeof why,
                         ok ? "%s and %s have a channel"
                            : "no channel between %s and %s: only mediated talks",
                         s->parties[a].name, s->parties[b].name);
            json_t *entry =
                json_pack("{s:s,s:[s,s],s:b,s:s}", "protocol", "direct-bilateral", "between",
                          s->parties[a].name, s->parties[b].name, "feasible", ok, "reason", why);
            if (timed)
                json_object_set_new(entry, "open", open);
            else
                json_decref(open);
            json_array_append_new(protocols, entry);
        }
    }
    if (n_principals > 2) {
        int ever = 0, whole = 1;
        for (size_t k = 0; k < pd->n; k++) {
            ever |= all_on[k];
            whole &= all_on[k];
        }
        char why[600], when[400];
        json_t *open = intervals_json(s, pd, all_on, when, sizeof when);
        if (timed && ever && !whole)
            snprintf(why, sizeof why, "every pair of principals has a channel only during %s",
                     when);
        else if (timed && !ever && all_direct)
            snprintf(why, sizeof why, "the principals' channels are never all open at once");
        else
            snprintf(why, sizeof why, "%s",
                     all_direct ? "every pair of principals has a channel"
                                : "some principals have no channel between them");
        json_t *entry = json_pack("{s:s,s:b,s:s}", "protocol", "direct-multilateral", "feasible",
                                  timed ? ever : (int)all_direct, "reason", why);
        if (timed)
            json_object_set_new(entry, "open", open);
        else
            json_decref(open);
        json_array_append_new(protocols, entry);
    }
    return protocols;
}

/* Mediated talks by mediator m: on its own (team 0), the draft reaches a
 * principal along m's own channel, while it is open; as the lead of the
 * mediators (team 1), along the shortest route of channels open at the time
 * relayed by mediators only (the shuttle of docs/mediation.md#several-mediators). */
static void mediated_protocol(const truce_scenario *s, const periods *pd, int timed, size_t m,
                              int team, size_t *prev, size_t *queue, unsigned char *on,
                              json_t *protocols)
{
    size_t n = s->n_parties;
    int ok = 1, all_direct = 1;
    char missing[300] = "", relayed[300] = "";
    json_t *when = json_object();
    for (size_t a = 0; a < n; a++) {
        if (s->parties[a].role != TRUCE_ROLE_PRINCIPAL)
            continue;
        size_t count = 0;
        if (team) {
            count = reached_periods(s, pd, m, a, TRUCE_ROLE_MEDIATOR, prev, queue, on);
        } else {
            for (size_t k = 0; k < pd->n; k++)
                count += on[k] = (unsigned char)truce_channel_open(s, m, a, pd->start[k]);
        }
        if (!truce_channel(s, m, a)) {
            all_direct = 0;
            if (count)
                snprintf(relayed + strlen(relayed), sizeof relayed - strlen(relayed), "%s%s",
                         *relayed ? ", " : "", s->parties[a].name);
        }
        if (!count) {
            ok = 0;
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                     *missing ? ", " : "", s->parties[a].name);
        }
        json_object_set_new(when, s->parties[a].name, intervals_json(s, pd, on, NULL, 0));
    }
    char why[900];
    if (!ok && all_direct)
        snprintf(why, sizeof why, "%s has a channel to every principal, but never reaches %s",
                 s->parties[m].name, missing);
    else if (!ok)
        snprintf(why, sizeof why, "%s has no channel to %s", s->parties[m].name, missing);
    else if (*relayed)
        snprintf(why, sizeof why,
                 "%s reaches every principal (shuttle diplomacy), %s only through other "
                 "mediators",
                 s->parties[m].name, relayed);
    else
        snprintf(why, sizeof why, "%s has a channel to every principal (shuttle diplomacy)",
                 s->parties[m].name);
    if (ok && timed)
        snprintf(why + strlen(why), sizeof why - strlen(why),
                 "; each principal only while %s is open (reach)",
                 team ? "a route" : "its channel");
    json_t *entry =
        json_pack("{s:s,s:s,s:b,s:s}", "protocol", team ? "mediated-team" : "mediated",
                  team ? "lead" : "mediator", s->parties[m].name, "feasible", ok, "reason", why);
    if (team) {
        json_t *members = json_array();
        for (size_t x = 0; x < n; x++)
            if (s->parties[x].role == TRUCE_ROLE_MEDIATOR)
                json_array_append_new(members, json_string(s->parties[x].name));
        json_object_set_new(entry, "mediators", members);
    }
    if (timed)
        json_object_set_new(entry, "reach", when);
    else
        json_decref(when);
    json_array_append_new(protocols, entry);
}

static json_t *check_channels(const truce_scenario *s)
{
    size_t n = s->n_parties;
    int timed = channels_timed(s);
    periods pd = {malloc((2 * s->n_windows + 1) * sizeof(double)), 0};
    size_t *prev = malloc(n * sizeof *prev), *queue = malloc(n * sizeof *queue);
    unsigned char *on = malloc(2 * s->n_windows + 1), *all_on = malloc(2 * s->n_windows + 1);
    if (!pd.start || !prev || !queue || !on || !all_on) {
        free(pd.start);
        free(prev);
        free(queue);
        free(on);
        free(all_on);
        return NULL;
    }
    pd.n = channel_breaks(s, pd.start);
    json_t *j = json_object();
    json_object_set_new(j, "declared", json_boolean(s->channels != NULL));
    json_t *pairs = json_array();
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++)
            if (truce_channel(s, a, b))
                json_array_append_new(pairs,
                                      json_pack("[s,s]", s->parties[a].name, s->parties[b].name));
    json_object_set_new(j, "pairs", pairs);
    if (timed) {
        if (s->days > 0)
            json_object_set_new(j, "days", json_real(s->days));
        json_object_set_new(j, "timeline", channel_timeline(s, &pd));
    }
    json_object_set_new(j, "reach", channel_reach(s, &pd, timed, prev, queue, on));
    json_t *protocols = direct_protocols(s, &pd, timed, on, all_on);
    size_t n_mediators = 0;
    for (size_t m = 0; m < n; m++)
        if (s->parties[m].role == TRUCE_ROLE_MEDIATOR) {
            mediated_protocol(s, &pd, timed, m, 0, prev, queue, on, protocols);
            n_mediators++;
        }
    /* several mediators: each as the lead, the others relaying */
    for (size_t m = 0; n_mediators > 1 && m < n; m++)
        if (s->parties[m].role == TRUCE_ROLE_MEDIATOR)
            mediated_protocol(s, &pd, timed, m, 1, prev, queue, on, protocols);
    json_object_set_new(j, "protocols", protocols);
    free(pd.start);
    free(prev);
    free(queue);
    free(on);
    free(all_on);
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

/* ---- phases (docs/check.md#phases) ---- */

/* Cycles longer than this get no phased packages (n^n assignments are tried). */
#define MAX_PHASED_ITEMS 6
#define MAX_PACKAGES 8

/* 1 when every holder of demand d accepts both items in the same phase. */
static int demand_tolerant(const truce_scenario *s, const demand *d)
{
    if (!s->same_phase)
        return 0;
    for (size_t k = 0; k < s->n_preconditions; k++) {
        const precondition *p = &s->preconditions[k];
        if (p->first == d->first && p->then == d->then && !s->same_phase[k])
            return 0;
    }
    return 1;
}

/* How a phase assignment treats demand d: "earlier" (met: first in an
 * earlier phase), "same-phase" (both in one phase), "reversed", or
 * "unphased" (an item in no phase). */
static const char *demand_under(long first, long then)
{
    return first < 0 || then < 0 ? "unphased"
           : first < then        ? "earlier"
           : first == then       ? "same-phase"
                                 : "reversed";
}

static int demand_met(const truce_scenario *s, const demand *d, long first, long then)
{
    return first >= 0 && then >= 0 && (first < then || (first == then && demand_tolerant(s, d)));
}

static json_t *package_json(const truce_scenario *s, const size_t *item, const long *phase_of,
                            size_t n, size_t n_phases)
{
    json_t *phases = json_array();
    char text[600] = "implement them in phases, each verified before the next (every holder "
                     "accepts what shares a phase): ";
    for (size_t k = 0; k < n_phases; k++) {
        json_t *in = json_array();
        size_t used = strlen(text);
        snprintf(text + used, sizeof text - used, "%sphase %zu:", k ? "; " : "", k + 1);
        for (size_t i = 0; i < n; i++)
            if (phase_of[i] == (long)k) {
                json_array_append_new(in, json_string(s->agenda[item[i]].id));
                used = strlen(text);
                snprintf(text + used, sizeof text - used, "%s%s",
                         json_array_size(in) > 1 ? ", " : " ", s->agenda[item[i]].id);
            }
        json_array_append_new(phases, in);
    }
    return json_pack("{s:s,s:o,s:s}", "kind", "phased", "phases", phases, "text", text);
}

/* The phased packages of a cycle: every assignment of its n items to phases
 * 1..m (each phase used) meeting every demand of the cycle - the first item
 * in an earlier phase, or in the same phase when all its holders accept that
 * - fewest phases first (then in order of the assignments, first item's
 * phase varying slowest). At most MAX_PACKAGES; NULL beyond MAX_PHASED_ITEMS. */
static json_t *phased_packages(const truce_scenario *s, const demand *d, const size_t *edges,
                               size_t n)
{
    if (n > MAX_PHASED_ITEMS)
        return json_null();
    size_t item[MAX_PHASED_ITEMS];
    for (size_t k = 0; k < n; k++)
        item[k] = d[edges[k]].first;
    json_t *out = json_array();
    size_t total = 1;
    for (size_t k = 0; k < n; k++)
        total *= n;
    for (size_t m = 1; m <= n && json_array_size(out) < MAX_PACKAGES; m++)
        for (size_t code = 0; code < total && json_array_size(out) < MAX_PACKAGES; code++) {
            long phase_of[MAX_PHASED_ITEMS];
            size_t x = code, seen = 0;
            for (size_t k = n; k-- > 0;) {
                phase_of[k] = (long)(x % n);
                x /= n;
            }
            int ok = 1;
            for (size_t k = 0; k < n && ok; k++) {
                ok = phase_of[k] < (long)m;
                seen |= (size_t)1 << phase_of[k];
            }
            if (!ok || seen != ((size_t)1 << m) - 1)
                continue;
            /* edge k goes from item k to item k + 1 (the last back to the first) */
            for (size_t k = 0; k < n && ok; k++)
                ok = demand_met(s, &d[edges[k]], phase_of[k], phase_of[(k + 1) % n]);
            if (ok)
                json_array_append_new(out, package_json(s, item, phase_of, n, m));
        }
    return out;
}

/* The hard conditions on the phase plan (docs/scenario-format.md#phases): each party's,
 * whether the declared plan meets it, and the principals it makes veto the plan. Added
 * only when some party has one. */
static void plan_conditions(const truce_scenario *s, json_t *plan)
{
    json_t *list = json_array(), *vetoed = json_array();
    for (size_t p = 0; p < s->n_parties; p++) {
        const party *pt = &s->parties[p];
        int vetoes = 0;
        for (uint32_t h = 0; h < pt->n_hard; h++) {
            const condition *hc = &pt->hard[h];
            if (!hc->has_phase)
                continue;
            long at = s->item_phase[hc->phase_item];
            int met = condition_phase_met(s, hc);
            json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "party", pt->name, "id", hc->id, "label",
                                  hc->label ? hc->label : hc->id, "item",
                                  s->agenda[hc->phase_item].id);
            json_object_set_new(j, "by",
                                hc->phase_by >= 0 ? json_string(s->phases[hc->phase_by].id)
                                                  : json_null());
            json_object_set_new(j, "after",
                                hc->phase_after >= 0 ? json_string(s->phases[hc->phase_after].id)
                                                     : json_null());
            json_object_set_new(j, "in_phase",
                                at >= 0 ? json_string(s->phases[at].id) : json_null());
            json_object_set_new(j, "met", json_boolean(met));
            json_object_set_new(j, "bargainer", json_boolean(scenario_is_bargainer(s, p)));
            json_array_append_new(list, j);
            vetoes |= !met && scenario_is_bargainer(s, p);
        }
        if (vetoes)
            json_array_append_new(vetoed, json_string(pt->name));
    }
    if (json_array_size(list)) {
        json_object_set_new(plan, "conditions", list);
        json_object_set_new(plan, "vetoed_by", vetoed);
    } else {
        json_decref(list);
        json_decref(vetoed);
    }
}

/* The declared plan: the phases, and how it treats every demand. */
static json_t *plan_json(const truce_scenario *s, const demand *d, size_t n_edges)
{
    json_t *phases = json_array(), *demands = json_array();
    for (size_t k = 0; k < s->n_phases; k++) {
        const phase *ph = &s->phases[k];
        json_t *items = json_array();
        for (size_t a = 0; a < s->n_agenda; a++)
            if (s->item_phase[a] == (long)k)
                json_array_append_new(items, json_string(s->agenda[a].id));
        json_t *j = json_pack("{s:s,s:s,s:o}", "id", ph->id, "label",
                              ph->label ? ph->label : ph->id, "items", items);
        json_object_set_new(j, "verification",
                            ph->verification ? json_string(ph->verification) : json_null());
        json_array_append_new(phases, j);
    }
    for (size_t e = 0; e < n_edges; e++) {
        long f = s->item_phase[d[e].first], t = s->item_phase[d[e].then];
        json_array_append_new(
            demands, json_pack("{s:s,s:s,s:o,s:s,s:b,s:b}", "first", s->agenda[d[e].first].id,
                               "then", s->agenda[d[e].then].id, "held_by", holders_json(s, &d[e]),
                               "under_plan", demand_under(f, t), "same_phase_accepted",
                               demand_tolerant(s, &d[e]), "met", demand_met(s, &d[e], f, t)));
    }
    json_t *out = json_pack("{s:o,s:o}", "phases", phases, "demands", demands);
    plan_conditions(s, out);
    return out;
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
    json_t *out = json_pack("{s:o,s:o,s:o}", "cycle", cycle, "edges", list, "resolutions", res);
    if (s->n_phases || s->same_phase) {
        /* phases: which phased packages resolve it, and whether the plan does */
        json_t *packages = phased_packages(s, d, edges, n);
        if (json_array_size(packages))
            json_array_insert(res, 1, json_array_get(packages, 0));
        json_object_set_new(out, "phased_packages", packages);
        if (s->n_phases) {
            int met = 1;
            for (size_t k = 0; k < n; k++)
                met &= demand_met(s, &d[edges[k]], s->item_phase[d[edges[k]].first],
                                  s->item_phase[d[edges[k]].then]);
            json_object_set_new(out, "plan_resolves", json_boolean(met));
        }
    }
    return out;
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
    if (s->n_phases && d)
        json_object_set_new(j, "plan", plan_json(s, d, n_edges));
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
    if (s->side) {
        json_t *side = NULL;
        if ((rc = model_side_payments(s, o, &side, err))) {
            json_decref(doc);
            return rc;
        }
        json_object_set_new(doc, "side_payments", side);
    }
    if (s->n_coalitions) {
        /* docs/check.md#coalitions: who would split from the best deal of the zone */
        json_t *coalitions = NULL;
        uint32_t *best = calloc(s->n_issues, sizeof *best);
        int has = best && model_outcome_of(s, json_object_get(json_object_get(zone, "best"),
                                                              "outcome"),
                                           best);
        rc = best ? model_coalitions(s, has ? best : NULL, 1, o, &coalitions, err)
                  : error_nomem(err);
        free(best);
        if (rc) {
            json_decref(doc);
            return rc;
        }
        json_object_set_new(doc, "coalitions", coalitions);
    }
    json_object_set_new(doc, "guarantees", check_guarantees(s));
    return model_dump(out, doc, err);
}
