/* coalition.c: coalitions of parties (docs/scenario-format.md#coalitions): a coalition's
 * aggregated utility and acceptance, the role each party takes in the scenario's mode. */
#include <math.h>
#include <string.h>

#include "scenario.h"

/* Each member's bounds: bound_max[i] (bound_min[i]) is the largest (smallest) sum of its
 * table over issues 0..i-1, so issues below known_from can add at most (at least) that. */
static int member_bounds(truce_scenario *s, party *m)
{
    size_t ni = s->n_issues;
    double *hi = arena_array(&s->a, ni + 1, sizeof *hi);
    double *lo = arena_array(&s->a, ni + 1, sizeof *lo);
    if (!hi || !lo)
        return TRUCE_ENOMEM;
    hi[0] = lo[0] = 0;
    for (size_t i = 0; i < ni; i++) {
        const double *row = &m->table[s->option_offset[i]];
        double top = row[0], bottom = row[0];
        for (uint32_t k = 1; k < s->issues[i].n_options; k++) {
            top = row[k] > top ? row[k] : top;
            bottom = row[k] < bottom ? row[k] : bottom;
        }
        hi[i + 1] = hi[i] + top;
        lo[i + 1] = lo[i] + bottom;
    }
    m->bound_max = hi;
    m->bound_min = lo;
    return 0;
}

int coalition_build(truce_scenario *s, party *p)
{
    double *share = arena_array(&s->a, p->n_members, sizeof *share);
    double *table = arena_array(&s->a, s->total_options ? s->total_options : 1, sizeof *table);
    if (!share || !table)
        return TRUCE_ENOMEM;
    double total = 0;
    for (size_t k = 0; k < p->n_members; k++)
        total += p->member_weight ? p->member_weight[k] : 1;
    uint32_t n_hard = 0;
    p->reservation = 0;
    p->has_reservation = 0;
    for (size_t k = 0; k < p->n_members; k++) {
        party *m = &s->parties[p->members[k]];
        share[k] = (p->member_weight ? p->member_weight[k] : 1) / total;
        p->reservation += share[k] * m->reservation;
        p->has_reservation |= m->has_reservation;
        n_hard += m->n_hard;
        m->coalition_of = (long)(p - s->parties);
        if (member_bounds(s, m))
            return TRUCE_ENOMEM;
    }
    /* the table is the weighted sum of the members' tables: the weighted mean of their
     * utilities, as long as none is above the cap at 1 (linear profiles reach at most 1) */
    for (size_t x = 0; x < s->total_options; x++) {
        table[x] = 0;
        for (size_t k = 0; k < p->n_members; k++)
            table[x] += share[k] * s->parties[p->members[k]].table[x];
    }
    condition *hard = arena_array(&s->a, n_hard ? n_hard : 1, sizeof *hard);
    if (!hard)
        return TRUCE_ENOMEM;
    uint32_t at = 0;
    for (size_t k = 0; k < p->n_members; k++) {
        const party *m = &s->parties[p->members[k]];
        for (uint32_t h = 0; h < m->n_hard; h++)
            hard[at++] = m->hard[h];
    }
    const party *first = &s->parties[p->members[0]];
    p->kind = TRUCE_PROFILE_LINEAR;
    p->table = table;
    p->member_share = share;
    p->hard = hard;
    p->n_hard = n_hard;
    p->discount = first->discount;
    p->discount_written = first->discount_written;
    p->has_discount = 0; /* derived, never written back */
    return 0;
}

void coalition_apply_mode(truce_scenario *s)
{
    if (!s->n_coalitions)
        return;
    int one = s->coalition_mode == TRUCE_COALITIONS_AS_ONE;
    for (size_t p = 0; p < s->n_parties; p++) {
        party *pt = &s->parties[p];
        if (pt->is_coalition)
            pt->role = one ? TRUCE_ROLE_PRINCIPAL : TRUCE_ROLE_STAKEHOLDER;
        else if (pt->coalition_of >= 0)
            pt->role = one ? TRUCE_ROLE_STAKEHOLDER : (truce_role)pt->declared_role;
    }
}

/* A member's utility is min(1, table sum) and its reservation value constant (members
 * with reservation points are refused when read), so u > r is table sum > r below 1. */
static int member_accepts_value(const party *m, double sum)
{
    return m->reservation < 1 && sum > m->reservation;
}

int coalition_members_accept(const truce_scenario *s, const party *p, const uint32_t *o, double t)
{
    for (size_t k = 0; k < p->n_members; k++) {
        const party *m = &s->parties[p->members[k]];
        if (party_violates(m, o) >= 0 || !(party_utility(s, m, o) > party_reservation_at(m, t)))
            return 0;
    }
    return 1;
}

int coalition_binds(const truce_scenario *s)
{
    if (s->coalition_mode != TRUCE_COALITIONS_AS_ONE)
        return 0;
    for (size_t p = 0; p < s->n_parties; p++)
        if (s->parties[p].is_coalition && s->parties[p].coalition_rule == TRUCE_COALITION_UNANIMITY)
            return 1;
    return 0;
}

int coalition_partial(const truce_scenario *s, const uint32_t *o, uint32_t known_from)
{
    if (!coalition_binds(s))
        return EXPR_YES;
    int all = EXPR_YES;
    for (size_t p = 0; p < s->n_parties; p++) {
        const party *c = &s->parties[p];
        if (!c->is_coalition || c->coalition_rule != TRUCE_COALITION_UNANIMITY)
            continue;
        for (size_t k = 0; k < c->n_members; k++) {
            const party *m = &s->parties[c->members[k]];
            double known = 0;
            for (size_t i = known_from; i < s->n_issues; i++)
                known += m->table[s->option_offset[i] + o[i]];
            if (!member_accepts_value(m, known + m->bound_max[known_from]))
                return EXPR_NO;
            if (!member_accepts_value(m, known + m->bound_min[known_from]))
                all = EXPR_MAYBE;
        }
    }
    return all;
}

/* ---- public accessors ---- */

int truce_scenario_coalition_mode(const truce_scenario *s)
{
    return s ? s->coalition_mode : TRUCE_COALITIONS_AS_ONE;
}

int truce_party_coalition(const truce_scenario *s, size_t p)
{
    return s && p < s->n_parties && s->parties[p].is_coalition;
}

int truce_coalition_rule_of(const truce_scenario *s, size_t p)
{
    return truce_party_coalition(s, p) ? s->parties[p].coalition_rule : -1;
}

size_t truce_coalition_member_count(const truce_scenario *s, size_t p)
{
    return truce_party_coalition(s, p) ? s->parties[p].n_members : 0;
}

long truce_coalition_member(const truce_scenario *s, size_t p, size_t k)
{
    return k < truce_coalition_member_count(s, p) ? (long)s->parties[p].members[k] : -1;
}

double truce_coalition_member_weight(const truce_scenario *s, size_t p, size_t k)
{
    return k < truce_coalition_member_count(s, p) ? s->parties[p].member_share[k] : NAN;
}

long truce_party_coalition_of(const truce_scenario *s, size_t p)
{
    return s && p < s->n_parties && s->n_coalitions ? s->parties[p].coalition_of : -1;
}
