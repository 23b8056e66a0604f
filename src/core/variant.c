/* variant.c: a scenario with its own copy of the numbers that may change
 * (docs/robustness.md): set numbers, rebuild tables and feasibility. */
#include "variant.h"

#include "constraint.h"

#include <stdint.h>
#include <string.h>

int variant_init(variant *v, const truce_scenario *base, const truce_allocator *allocator)
{
    memset(v, 0, sizeof *v);
    mem m;
    mem_init(&m, allocator);
    arena_init(&v->a, &m);
    v->base = base;
    v->s = *base;
    size_t np = base->n_parties, ni = base->n_issues, slots = base->total_options;
    size_t n_raw = 0, n_points = 0, n_hard = 0;
    for (size_t p = 0; p < np; p++) {
        const party *pt = &base->parties[p];
        n_points += pt->n_reservation_points;
        n_hard += pt->n_hard;
        for (size_t i = 0; pt->evaluators && i < ni; i++)
            if (base->issues[i].kind == TRUCE_ISSUE_DISCRETE && pt->evaluators[i].raw)
                n_raw += base->issues[i].n_options;
    }
    arena *a = &v->a;
    v->raw_offset = arena_array(a, np * ni + 1, sizeof *v->raw_offset);
    v->raw = arena_array(a, n_raw + 1, sizeof *v->raw);
    v->ev = arena_array(a, np * ni + 1, sizeof *v->ev);
    v->tables = arena_array(a, np * slots + 1, sizeof *v->tables);
    v->res_points = arena_array(a, n_points + 1, sizeof *v->res_points);
    v->res_offset = arena_array(a, np + 1, sizeof *v->res_offset);
    v->hard = arena_array(a, n_hard + 1, sizeof *v->hard);
    v->hard_offset = arena_array(a, np + 1, sizeof *v->hard_offset);
    v->real = arena_array(a, n_hard + 1, 1);
    v->allowed = arena_array(a, np * slots + 1, 1);
    v->feasible = arena_array(a, slots + 1, 1);
    v->counts = arena_array(a, ni + 1, sizeof *v->counts);
    v->influences = arena_array(a, base->n_influence + 1, sizeof *v->influences);
    v->dirty = arena_array(a, np + 1, 1);
    v->s.parties = arena_array(a, np + 1, sizeof *v->s.parties);
    if (!v->raw_offset || !v->raw || !v->ev || !v->tables || !v->res_points || !v->res_offset ||
        !v->hard || !v->hard_offset || !v->real || !v->allowed || !v->feasible || !v->counts ||
        !v->influences || !v->dirty || !v->s.parties) {
        arena_release(&v->a);
        return TRUCE_ENOMEM;
    }
    size_t r = 0, q = 0, h = 0;
    for (size_t p = 0; p < np; p++) {
        const party *pt = &base->parties[p];
        v->res_offset[p] = q;
        q += pt->n_reservation_points;
        v->hard_offset[p] = h;
        h += pt->n_hard;
        for (size_t i = 0; i < ni; i++) {
            v->raw_offset[p * ni + i] = SIZE_MAX;
            if (pt->evaluators && base->issues[i].kind == TRUCE_ISSUE_DISCRETE &&
                pt->evaluators[i].raw) {
                v->raw_offset[p * ni + i] = r;
                r += base->issues[i].n_options;
            }
        }
    }
    v->s.influences = v->influences;
    v->s.feasible = v->feasible;
    v->s.n_feasible_options = v->counts;
    variant_reset(v);
    return 0;
}

void variant_release(variant *v)
{
    arena_release(&v->a);
}

void variant_reset(variant *v)
{
    const truce_scenario *b = v->base;
    size_t np = b->n_parties, ni = b->n_issues, slots = b->total_options;
    for (size_t p = 0; p < np; p++) {
        const party *bp = &b->parties[p];
        party *pt = &v->s.parties[p];
        *pt = *bp;
        if (bp->evaluators) {
            memcpy(&v->ev[p * ni], bp->evaluators, ni * sizeof *v->ev);
            for (size_t i = 0; i < ni; i++) {
                size_t off = v->raw_offset[p * ni + i];
                if (off == SIZE_MAX)
                    continue;
                memcpy(&v->raw[off], bp->evaluators[i].raw,
                       b->issues[i].n_options * sizeof *v->raw);
                v->ev[p * ni + i].raw = &v->raw[off];
            }
            pt->evaluators = &v->ev[p * ni];
        }
        if (bp->table) {
            memcpy(&v->tables[p * slots], bp->table, slots * sizeof *v->tables);
            pt->table = &v->tables[p * slots];
        }
        if (bp->n_reservation_points) {
            memcpy(&v->res_points[v->res_offset[p]], bp->reservation_value,
                   bp->n_reservation_points * sizeof *v->res_points);
            pt->reservation_value = &v->res_points[v->res_offset[p]];
        }
        memset(&v->real[v->hard_offset[p]], 1, bp->n_hard);
        v->dirty[p] = 0;
    }
    if (b->n_influence)
        memcpy(v->influences, b->influences, b->n_influence * sizeof *v->influences);
    v->hard_dirty = 1;
    variant_refresh(v);
}

void variant_set(variant *v, int target, size_t party_index, uint32_t issue_index, uint32_t index,
                 double value)
{
    size_t ni = v->base->n_issues;
    party *pt = target == UNC_INFLUENCE ? NULL : &v->s.parties[party_index];
    switch (target) {
    case UNC_WEIGHT:
        v->ev[party_index * ni + issue_index].weight = value;
        v->dirty[party_index] = 1;
        break;
    case UNC_VALUE:
        v->raw[v->raw_offset[party_index * ni + issue_index] + index] = value;
        v->dirty[party_index] = 1;
        break;
    case UNC_RESERVATION:
        pt->reservation = value;
        break;
    case UNC_RESERVATION_POINT:
        v->res_points[v->res_offset[party_index] + index] = value;
        pt->reservation = party_reservation_at(pt, 0);
        break;
    case UNC_INFLUENCE:
        v->influences[index].weight = value;
        break;
    case UNC_CREDIBILITY: {
        unsigned char real = value >= 0.5;
        unsigned char *slot = &v->real[v->hard_offset[party_index] + index];
        v->hard_dirty |= *slot != real;
        *slot = real;
        break;
    }
    default:
        break;
    }
}

double variant_get(const variant *v, int target, size_t party_index, uint32_t issue_index,
                   uint32_t index)
{
    size_t ni = v->base->n_issues;
    const party *pt = target == UNC_INFLUENCE ? NULL : &v->s.parties[party_index];
    switch (target) {
    case UNC_WEIGHT:
        return v->ev[party_index * ni + issue_index].weight;
    case UNC_VALUE:
        return v->raw[v->raw_offset[party_index * ni + issue_index] + index];
    case UNC_RESERVATION:
        return pt->reservation;
    case UNC_RESERVATION_POINT:
        return v->res_points[v->res_offset[party_index] + index];
    case UNC_INFLUENCE:
        return v->influences[index].weight;
    case UNC_CREDIBILITY:
        return v->real[v->hard_offset[party_index] + index];
    default:
        return 0;
    }
}

/* The real hard conditions, each party's allowed options and the feasible
 * options, as scenario_finish derives them. */
static void refresh_feasibility(variant *v)
{
    const truce_scenario *b = v->base;
    size_t slots = b->total_options;
    memset(v->feasible, 1, slots);
    for (size_t p = 0; p < b->n_parties; p++) {
        const party *bp = &b->parties[p];
        party *pt = &v->s.parties[p];
        condition *hard = &v->hard[v->hard_offset[p]];
        uint32_t n = 0;
        for (uint32_t h = 0; h < bp->n_hard; h++)
            if (v->real[v->hard_offset[p] + h])
                hard[n++] = bp->hard[h];
        pt->hard = hard;
        pt->n_hard = n;
        pt->allowed = NULL;
        if (n) {
            unsigned char *allowed = &v->allowed[p * slots];
            memset(allowed, 1, slots);
            for (uint32_t h = 0; h < n; h++)
                for (uint32_t c = 0; c < hard[h].n_clauses; c++) {
                    const clause *cl = &hard[h].clauses[c];
                    for (uint32_t k = 0; k < b->issues[cl->issue].n_options; k++)
                        if (!cl->allowed[k])
                            allowed[b->option_offset[cl->issue] + k] = 0;
                }
            pt->allowed = allowed;
        }
        if (pt->role == TRUCE_ROLE_PRINCIPAL && pt->allowed)
            for (size_t x = 0; x < slots; x++)
                v->feasible[x] &= pt->allowed[x];
    }
    constraint_fold(b, v->feasible);
    v->s.cross = constraint_cross(&v->s);
    v->s.hard_binds = v->s.cross;
    for (size_t i = 0; i < b->n_issues; i++) {
        v->counts[i] = 0;
        for (uint32_t k = 0; k < b->issues[i].n_options; k++)
            v->counts[i] += v->feasible[b->option_offset[i] + k];
        if (v->counts[i] < b->issues[i].n_options)
            v->s.hard_binds = 1;
    }
}

void variant_refresh(variant *v)
{
    const truce_scenario *b = v->base;
    for (size_t p = 0; p < b->n_parties; p++) {
        if (!v->dirty[p])
            continue;
        party *pt = &v->s.parties[p];
        if (pt->evaluators && pt->table)
            linear_fill_table(&v->s, pt->evaluators, (double *)pt->table);
        v->dirty[p] = 0;
    }
    if (v->hard_dirty) {
        refresh_feasibility(v);
        v->hard_dirty = 0;
    }
}
