/* mediate_agenda.c: the order in which a built-in mediator drafts the agenda's
 * items (truce mediate --agenda follow|package): stages, what is frozen, when a stage is settled.
 */
#include "mediate_agenda.h"

#include <stdlib.h>
#include <string.h>

#include "../../include/truce.h"

/* A distinct demand "first before then" with its holders (in the order of
 * their preconditions). */
typedef struct demand {
    size_t first, then;
    size_t n_holders, declared; /* index of its first precondition */
    int by_lead;
} demand;

struct med_agenda {
    const truce_scenario *s;
    int mode;
    size_t n_items, n_stages;
    size_t *stage_of;       /* per item */
    unsigned char *before;  /* n_stages x n_stages: stage a must be settled before b */
    unsigned char *open;    /* per stage */
    unsigned char *settled; /* per stage */
    long *settled_at;       /* per stage: the iteration, -1 before the talks */
    size_t *settle_order;   /* stages in the order they settled */
    size_t n_settled;
    size_t *order; /* stages in drafting order (a topological order) */
    demand *demands;
    size_t n_demands;
    unsigned char *kept;   /* per demand: followed (FOLLOW) */
    unsigned char *frozen; /* per issue */
    uint32_t *package;     /* per issue: med_agenda_package's answer */
};

void med_agenda_free(med_agenda *a)
{
    if (!a)
        return;
    free(a->stage_of);
    free(a->before);
    free(a->open);
    free(a->settled);
    free(a->settled_at);
    free(a->settle_order);
    free(a->order);
    free(a->demands);
    free(a->kept);
    free(a->frozen);
    free(a->package);
    free(a);
}

/* Whether item `to` can be reached from `from` along the kept demands. */
static int reaches(const med_agenda *a, size_t from, size_t to, unsigned char *seen)
{
    if (from == to)
        return 1;
    seen[from] = 1;
    for (size_t d = 0; d < a->n_demands; d++)
        if (a->kept[d] && a->demands[d].first == from && !seen[a->demands[d].then] &&
            reaches(a, a->demands[d].then, to, seen))
            return 1;
    return 0;
}

static int demand_rank(const void *pa, const void *pb)
{
    const demand *x = pa, *y = pb;
    if (x->by_lead != y->by_lead)
        return x->by_lead ? -1 : 1;
    if (x->n_holders != y->n_holders)
        return x->n_holders > y->n_holders ? -1 : 1;
    return x->declared < y->declared ? -1 : x->declared > y->declared;
}

static void collect_demands(med_agenda *a, size_t lead)
{
    const truce_scenario *s = a->s;
    for (size_t c = 0; c < s->n_preconditions; c++) {
        const precondition *pc = &s->preconditions[c];
        size_t d = 0;
        while (d < a->n_demands &&
               !(a->demands[d].first == pc->first && a->demands[d].then == pc->then))
            d++;
        if (d == a->n_demands)
            a->demands[a->n_demands++] = (demand){pc->first, pc->then, 0, c, 0};
        a->demands[d].n_holders++;
        a->demands[d].by_lead |= pc->party == lead;
    }
}

/* FOLLOW: every item a stage; demands kept greedily by rank unless they close
 * a cycle with those kept. PACKAGE: every demand kept; items that reach each
 * other (a strongly connected set: a deadlock) share a stage. */
static int build_stages(med_agenda *a)
{
    size_t n = a->n_items;
    unsigned char *seen = calloc(n + 1, 1);
    unsigned char *reach = calloc(n * n + 1, 1);
    if (!seen || !reach) {
        free(seen);
        free(reach);
        return TRUCE_ENOMEM;
    }
    if (a->mode == TRUCE_AGENDA_FOLLOW)
        qsort(a->demands, a->n_demands, sizeof *a->demands, demand_rank);
    for (size_t d = 0; d < a->n_demands; d++) {
        memset(seen, 0, n);
        a->kept[d] = a->mode == TRUCE_AGENDA_PACKAGE ||
                     !reaches(a, a->demands[d].then, a->demands[d].first, seen);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            memset(seen, 0, n);
            reach[i * n + j] = (unsigned char)reaches(a, i, j, seen);
        }
    for (size_t i = 0; i < n; i++) {
        a->stage_of[i] = a->n_stages;
        for (size_t j = 0; j < i; j++)
            if (reach[i * n + j] && reach[j * n + i]) {
                a->stage_of[i] = a->stage_of[j];
                break;
            }
        if (a->stage_of[i] == a->n_stages)
            a->n_stages++;
    }
    free(seen);
    free(reach);
    a->before = calloc(a->n_stages * a->n_stages + 1, 1);
    if (!a->before)
        return TRUCE_ENOMEM;
    for (size_t d = 0; d < a->n_demands; d++) {
        size_t x = a->stage_of[a->demands[d].first], y = a->stage_of[a->demands[d].then];
        if (a->kept[d] && x != y)
            a->before[x * a->n_stages + y] = 1;
    }
    /* drafting order: the first stage (in agenda order) whose predecessors are placed */
    unsigned char *placed = calloc(a->n_stages + 1, 1);
    if (!placed)
        return TRUCE_ENOMEM;
    for (size_t k = 0; k < a->n_stages; k++) {
        size_t g = 0;
        for (; g < a->n_stages; g++) {
            int ready = !placed[g];
            for (size_t h = 0; h < a->n_stages && ready; h++)
                ready = !a->before[h * a->n_stages + g] || placed[h];
            if (ready)
                break;
        }
        placed[g] = 1; /* the stage graph is acyclic: some stage is always ready */
        a->order[k] = g;
    }
    free(placed);
    return 0;
}

/* Open the stages whose predecessors are settled; settle those without
 * clauses as they open; recompute the frozen clauses. Newly opened stages are
 * marked in `opened` when given. */
static void open_stages(med_agenda *a, long it, unsigned char *opened)
{
    const truce_scenario *s = a->s;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t g = 0; g < a->n_stages; g++) {
            if (a->open[g])
                continue;
            int ready = 1;
            for (size_t h = 0; h < a->n_stages && ready; h++)
                ready = !a->before[h * a->n_stages + g] || a->settled[h];
            if (!ready)
                continue;
            a->open[g] = 1;
            if (opened)
                opened[g] = 1;
            changed = 1;
            int clauses = 0;
            for (size_t i = 0; i < a->n_items; i++)
                clauses += a->stage_of[i] == g ? (int)s->agenda[i].n_issues : 0;
            if (!clauses) {
                a->settled[g] = 1;
                a->settled_at[g] = it;
                a->settle_order[a->n_settled++] = g;
            }
        }
    }
    memset(a->frozen, 0, s->n_issues + 1);
    for (size_t i = 0; i < a->n_items; i++)
        if (!a->open[a->stage_of[i]])
            for (uint32_t k = 0; k < s->agenda[i].n_issues; k++)
                a->frozen[s->agenda[i].issues[k]] = 1;
}

int med_agenda_create(med_agenda **out, const truce_scenario *s, int mode, size_t lead)
{
    med_agenda *a = calloc(1, sizeof *a);
    if (!a)
        return TRUCE_ENOMEM;
    a->s = s;
    a->mode = mode;
    a->n_items = s->n_agenda;
    size_t n = a->n_items + 1;
    a->stage_of = calloc(n, sizeof *a->stage_of);
    a->open = calloc(n, 1);
    a->settled = calloc(n, 1);
    a->settled_at = calloc(n, sizeof *a->settled_at);
    a->settle_order = calloc(n, sizeof *a->settle_order);
    a->order = calloc(n, sizeof *a->order);
    a->demands = calloc(s->n_preconditions + 1, sizeof *a->demands);
    a->kept = calloc(s->n_preconditions + 1, 1);
    a->frozen = calloc(s->n_issues + 1, 1);
    a->package = calloc(s->n_issues + 1, sizeof *a->package);
    if (!a->package || !a->stage_of || !a->open || !a->settled || !a->settled_at || !a->settle_order ||
        !a->order || !a->demands || !a->kept || !a->frozen) {
        med_agenda_free(a);
        return TRUCE_ENOMEM;
    }
    collect_demands(a, lead);
    if (build_stages(a)) {
        med_agenda_free(a);
        return TRUCE_ENOMEM;
    }
    open_stages(a, -1, NULL);
    *out = a;
    return 0;
}

int med_agenda_frozen(const med_agenda *a, size_t i)
{
    return a && a->frozen[i];
}

size_t med_agenda_stages(const med_agenda *a)
{
    return a ? a->n_stages : 0;
}

const uint32_t *med_agenda_package(med_agenda *a, size_t g, size_t *n)
{
    *n = 0;
    if (!a || a->mode != TRUCE_AGENDA_PACKAGE || g >= a->n_stages || !a->open[g] ||
        a->settled[g])
        return a ? a->package : NULL;
    size_t items = 0;
    for (size_t i = 0; i < a->n_items; i++)
        items += a->stage_of[i] == g;
    if (items < 2)
        return a->package;
    for (uint32_t x = 0; x < a->s->n_issues; x++) {
        if (a->frozen[x])
            continue; /* also in an item of a stage not open yet */
        int in = 0;
        for (size_t i = 0; i < a->n_items && !in; i++)
            for (uint32_t k = 0; k < a->s->agenda[i].n_issues && !in; k++)
                in = a->stage_of[i] == g && a->s->agenda[i].issues[k] == x;
        if (in)
            a->package[(*n)++] = x;
    }
    return a->package;
}

static json_t *stage_items(const med_agenda *a, size_t g)
{
    json_t *items = json_array();
    for (size_t i = 0; i < a->n_items; i++)
        if (a->stage_of[i] == g)
            json_array_append_new(items, json_string(a->s->agenda[i].id));
    return items;
}

json_t *med_agenda_settle(med_agenda *a, uint32_t it, const unsigned char *objected, int all_heard,
                          const uint32_t *before, const uint32_t *after, const uint32_t *target)
{
    const truce_scenario *s = a->s;
    unsigned char *done = calloc(a->n_stages + 1, 1), *opened = calloc(a->n_stages + 1, 1);
    if (!done || !opened) {
        free(done);
        free(opened);
        return NULL;
    }
    int any = 0;
    for (size_t g = 0; g < a->n_stages; g++) {
        if (!a->open[g] || a->settled[g])
            continue;
        int quiet = all_heard, drafted = 1;
        for (size_t i = 0; i < a->n_items; i++) {
            if (a->stage_of[i] != g)
                continue;
            for (uint32_t k = 0; k < s->agenda[i].n_issues; k++) {
                uint32_t x = s->agenda[i].issues[k];
                quiet &= !objected[x];
                drafted &= target ? after[x] == target[x] : after[x] == before[x];
            }
        }
        if (quiet || drafted) {
            a->settled[g] = done[g] = 1;
            a->settled_at[g] = (long)it;
            a->settle_order[a->n_settled++] = g;
            any = 1;
        }
    }
    json_t *event = NULL;
    if (any) {
        size_t first_new = a->n_settled;
        open_stages(a, (long)it, opened);
        /* stages without clauses settled as they opened are reported too */
        for (size_t k = first_new; k < a->n_settled; k++)
            done[a->settle_order[k]] = 1;
        json_t *settled = json_array(), *opens = json_array();
        for (size_t k = 0; k < a->n_stages; k++) {
            size_t g = a->order[k];
            json_t *items = done[g] || opened[g] ? stage_items(a, g) : NULL;
            if (items)
                json_array_extend(done[g] ? settled : opens, items);
            json_decref(items);
        }
        event = json_pack("{s:o,s:o}", "settled", settled, "opens", opens);
    }
    free(done);
    free(opened);
    return event;
}

json_t *med_agenda_plan(const med_agenda *a)
{
    json_t *stages = json_array(), *aside = json_array();
    for (size_t k = 0; k < a->n_stages; k++)
        json_array_append_new(stages, stage_items(a, a->order[k]));
    for (size_t d = 0; d < a->n_demands; d++) {
        if (a->kept[d])
            continue;
        json_t *held = json_array();
        for (size_t c = 0; c < a->s->n_preconditions; c++) {
            const precondition *pc = &a->s->preconditions[c];
            if (pc->first == a->demands[d].first && pc->then == a->demands[d].then)
                json_array_append_new(held, json_string(a->s->parties[pc->party].name));
        }
        json_array_append_new(
            aside, json_pack("{s:s,s:s,s:o}", "first", a->s->agenda[a->demands[d].first].id, "then",
                             a->s->agenda[a->demands[d].then].id, "held_by", held));
    }
    return json_pack("{s:s,s:o,s:o}", "mode",
                     a->mode == TRUCE_AGENDA_PACKAGE ? "package" : "follow", "stages", stages,
                     "set_aside", aside);
}

json_t *med_agenda_settled(const med_agenda *a)
{
    json_t *out = json_array();
    for (size_t k = 0; k < a->n_settled; k++) {
        size_t g = a->settle_order[k];
        json_array_append_new(out, json_pack("{s:o,s:o}", "items", stage_items(a, g), "iteration",
                                             a->settled_at[g] < 0
                                                 ? json_null()
                                                 : json_integer((json_int_t)a->settled_at[g])));
    }
    return out;
}
