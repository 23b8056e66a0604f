/* constraint.c: feasibility when rules read several issues: their check on
 * whole and partial outcomes, the pruned walk and the exact count
 * (docs/scenario-format.md#constraint-expressions). */
#include "constraint.h"

#include <gmp.h>
#include <string.h>

void constraint_fold(const truce_scenario *s, unsigned char *feasible)
{
    for (size_t c = 0; c < s->n_constraints; c++)
        if (s->constraints[c].mask)
            for (size_t x = 0; x < s->total_options; x++)
                feasible[x] &= s->constraints[c].mask[x];
}

int constraint_cross(const truce_scenario *s)
{
    if (coalition_binds(s))
        return 1; /* the members of a bargaining unanimity coalition must each accept */
    for (size_t c = 0; c < s->n_constraints; c++)
        if (!s->constraints[c].mask)
            return 1;
    for (size_t b = 0; b < s->n_bargainers; b++) {
        const party *p = &s->parties[s->bargainers[b]];
        for (uint32_t h = 0; h < p->n_hard; h++)
            if (p->hard[h].rule)
                return 1;
    }
    return 0;
}

int constraint_cross_holds(const truce_scenario *s, const uint32_t *o)
{
    return constraint_cross_partial(s, o, 0) == EXPR_YES;
}

int constraint_cross_partial(const truce_scenario *s, const uint32_t *o, uint32_t known_from)
{
    int all = s->n_coalitions ? coalition_partial(s, o, known_from) : EXPR_YES;
    if (all == EXPR_NO)
        return EXPR_NO;
    for (size_t c = 0; c < s->n_constraints; c++)
        if (!s->constraints[c].mask) {
            int v = expr_partial(s->constraints[c].rule.root, o, known_from);
            if (v == EXPR_NO)
                return EXPR_NO;
            if (v == EXPR_MAYBE)
                all = EXPR_MAYBE;
        }
    for (size_t b = 0; b < s->n_bargainers; b++) {
        const party *p = &s->parties[s->bargainers[b]];
        for (uint32_t h = 0; h < p->n_hard; h++)
            if (p->hard[h].rule) {
                int v = expr_partial(p->hard[h].rule->root, o, known_from);
                if (v == EXPR_NO)
                    return EXPR_NO;
                if (v == EXPR_MAYBE)
                    all = EXPR_MAYBE;
            }
    }
    return all;
}

long constraint_first_broken(const truce_scenario *s, const uint32_t *o)
{
    for (size_t c = 0; c < s->n_constraints; c++)
        if (!expr_holds(s->constraints[c].rule.root, o))
            return (long)c;
    return -1;
}

int constraint_party_allows(const truce_scenario *s, const party *p, const uint32_t *o)
{
    for (uint32_t h = 0; h < p->n_hard; h++)
        if (p->hard[h].rule && !expr_holds(p->hard[h].rule->root, o))
            return 0;
    return constraint_first_broken(s, o) < 0;
}

int constraint_party_limited(const truce_scenario *s, const party *p)
{
    for (uint32_t h = 0; h < p->n_hard; h++)
        if (p->hard[h].rule)
            return 1;
    return s->n_constraints > 0;
}

int constraint_seek(const truce_scenario *s, const uint32_t *const *options,
                    const uint32_t *n_options, uint32_t *pos, uint32_t *o)
{
    size_t n = s->n_issues;
    if (n == 0)
        return constraint_cross_holds(s, o);
    for (size_t i = 0; i < n; i++)
        if (pos[i] >= n_options[i])
            return 0;
    size_t i = n - 1;
    for (;;) {
        o[i] = options[i][pos[i]];
        int v = constraint_cross_partial(s, o, (uint32_t)i);
        if (v != EXPR_NO) {
            if (i == 0 || v == EXPR_YES) {
                for (size_t j = 0; j < i; j++)
                    o[j] = options[j][pos[j]];
                return 1;
            }
            i--;
            continue;
        }
        /* no completion of this prefix holds: the next option of issue i, or
         * carry into the issues above */
        for (;;) {
            for (size_t j = 0; j < i; j++)
                pos[j] = 0;
            if (++pos[i] < n_options[i])
                break;
            pos[i] = 0;
            if (++i == n)
                return 0;
        }
    }
}

typedef struct counter {
    const truce_scenario *s;
    uint32_t **options;
    const uint32_t *n_options;
    mpz_t *below; /* per level: the product of the option counts of the issues below */
    uint32_t *o;
    double nodes, max_nodes;
    mpz_t total;
} counter;

/* Add the feasible completions of the issues above `level` (decided in o). */
static int count_level(counter *c, size_t level)
{
    for (uint32_t j = 0; j < c->n_options[level]; j++) {
        if (++c->nodes > c->max_nodes)
            return 1;
        c->o[level] = c->options[level][j];
        int v = constraint_cross_partial(c->s, c->o, (uint32_t)level);
        if (v == EXPR_YES)
            mpz_add(c->total, c->total, c->below[level]);
        else if (v == EXPR_MAYBE && level > 0 && count_level(c, level - 1))
            return 1;
    }
    return 0;
}

char *constraint_count_text(const truce_scenario *s, double max_nodes, arena *a)
{
    size_t n = s->n_issues;
    const mem *m = &a->m;
    counter c = {s, NULL, s->n_feasible_options, NULL, NULL, 0, max_nodes, {{0}}};
    c.options = mem_alloc(m, (n + 1) * sizeof *c.options);
    c.below = mem_alloc(m, (n + 1) * sizeof *c.below);
    c.o = mem_alloc(m, (n + 1) * sizeof *c.o);
    char *text = NULL;
    size_t built = 0;
    int ok = c.options && c.below && c.o;
    for (; ok && built < n; built++) {
        c.options[built] = mem_alloc(m, (s->issues[built].n_options + 1) * sizeof **c.options);
        if (!c.options[built])
            break;
        uint32_t k = 0;
        for (uint32_t x = 0; x < s->issues[built].n_options; x++)
            if (s->feasible[s->option_offset[built] + x])
                c.options[built][k++] = x;
    }
    ok = ok && built == n;
    if (ok) {
        mpz_init(c.total);
        for (size_t i = 0; i <= n; i++) {
            mpz_init_set_ui(c.below[i], 1);
            if (i > 0)
                mpz_mul_ui(c.below[i], c.below[i - 1], c.n_options[i - 1]);
        }
        int empty = 0;
        for (size_t i = 0; i < n; i++)
            empty |= c.n_options[i] == 0;
        const char *prefix = "";
        if (n == 0)
            mpz_set_ui(c.total, (unsigned long)constraint_cross_holds(s, c.o));
        else if (!empty && count_level(&c, n - 1)) {
            prefix = "at most ";
            mpz_set(c.total, c.below[n]);
        }
        text = arena_alloc(a, strlen(prefix) + mpz_sizeinbase(c.total, 10) + 2);
        if (text) {
            strcpy(text, prefix);
            mpz_get_str(text + strlen(prefix), 10, c.total);
        }
        for (size_t i = 0; i <= n; i++)
            mpz_clear(c.below[i]);
        mpz_clear(c.total);
    }
    for (size_t i = 0; c.options && i < built; i++)
        mem_free(m, c.options[i], (s->issues[i].n_options + 1) * sizeof **c.options);
    if (c.options)
        mem_free(m, c.options, (n + 1) * sizeof *c.options);
    if (c.below)
        mem_free(m, c.below, (n + 1) * sizeof *c.below);
    if (c.o)
        mem_free(m, c.o, (n + 1) * sizeof *c.o);
    return text;
}

/* ---- public accessors (truce.h) ---- */

size_t truce_scenario_constraint_count(const truce_scenario *s)
{
    return s ? s->n_constraints : 0;
}

const char *truce_scenario_constraint_id(const truce_scenario *s, size_t k)
{
    return s && k < s->n_constraints ? s->constraints[k].id : NULL;
}

const char *truce_scenario_constraint_expression(const truce_scenario *s, size_t k)
{
    return s && k < s->n_constraints ? s->constraints[k].rule.text : NULL;
}

long truce_outcome_broken_constraint(const truce_scenario *s, const uint32_t *outcome)
{
    if (!s || !outcome)
        return TRUCE_EINVAL;
    for (size_t i = 0; i < s->n_issues; i++)
        if (outcome[i] >= s->issues[i].n_options)
            return TRUCE_EINVAL;
    return constraint_first_broken(s, outcome);
}

size_t truce_scenario_attribute_count(const truce_scenario *s)
{
    return s ? s->n_attributes : 0;
}

const char *truce_hard_condition_expression(const truce_scenario *s, size_t p, size_t k)
{
    if (!s || p >= s->n_parties || k >= s->parties[p].n_hard)
        return NULL;
    return s->parties[p].hard[k].expression;
}
