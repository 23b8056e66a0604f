/* nonlinear.c: constraint-based utility (GENIUS NonlinearUtilitySpace, ANAC
 * 2014): sums of hyperrectangle terms, normalised by maxutility. */
#include "../core/scenario.h"

static double term_value(const truce_scenario *s, const term *t, const uint32_t *outcome)
{
    int inside = 1;
    for (uint32_t b = 0; b < t->n_bounds && inside; b++) {
        const bound *bd = &t->bounds[b];
        if (bd->allowed) {
            inside = bd->allowed[outcome[bd->issue]];
            continue;
        }
        const issue *is = &s->issues[bd->issue];
        int64_t v = is->int_lower + (int64_t)outcome[bd->issue];
        if (is->kind == TRUCE_ISSUE_DISCRETE)
            v = (int64_t)outcome[bd->issue];
        if (v < bd->min || v > bd->max)
            inside = 0;
    }
    /* InclusiveHyperRectangle counts when every bound holds (or it has none);
     * ExclusiveHyperRectangle when some bound is violated. */
    int counts = t->exclusive ? !inside : inside;
    if (t->exclusive && t->n_bounds == 0)
        counts = 0;
    return counts ? t->utility * t->weight : 0.0;
}

double ufun_value(const truce_scenario *s, const ufun *f, const uint32_t *outcome)
{
    double acc = 0;
    int first = 1;
    uint32_t n = f->n_terms + f->n_children;
    for (uint32_t j = 0; j < n; j++) {
        double v = j < f->n_terms ? term_value(s, &f->terms[j], outcome)
                                  : ufun_value(s, &f->children[j - f->n_terms], outcome);
        if (first)
            acc = v;
        else if (f->aggregation == AGG_SUM)
            acc += v;
        else if (f->aggregation == AGG_MIN)
            acc = v < acc ? v : acc;
        else
            acc = v > acc ? v : acc;
        first = 0;
    }
    return acc * f->weight;
}
