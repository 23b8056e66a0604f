/* linear.c: linear additive utility as GENIUS defines it (AdditiveUtilitySpace
 * with EvaluatorDiscrete, EvaluatorInteger, EvaluatorReal); see docs/utility.md. */
#include <math.h>

#include "../core/scenario.h"

static double clamp01(double u)
{
    if (u < 0)
        return 0;
    if (u > 1)
        return 1;
    return u;
}

/* EVALFUNCTYPE.evalTriangular / evalTriangularVariableTop */
static double triangular(double x, double lower, double upper, double top, double top_value)
{
    if (x < lower)
        return 0;
    if (x < top)
        return top_value * (x - lower) / (top - lower);
    if (x < upper)
        return top_value * (1 - (x - top) / (upper - top));
    return 0;
}

/* EvaluatorDiscrete.normalize: divide by the largest evaluation the profile gives (items the
 * domain lacks included); a largest evaluation below 1e-5 makes every value 0. */
static double discrete_largest(const issue *is, const evaluator *e)
{
    double max = e->raw[0] > e->extra_max ? e->raw[0] : e->extra_max;
    for (uint32_t j = 1; j < is->n_options; j++)
        if (e->raw[j] > max)
            max = e->raw[j];
    return max;
}

static double discrete_scaled(const evaluator *e, uint32_t k, double largest)
{
    return largest < 0.00001 ? 0 : e->raw[k] / largest;
}

static double discrete_value(const issue *is, const evaluator *e, uint32_t k)
{
    return discrete_scaled(e, k, discrete_largest(is, e));
}

/* GeniusWeb's NumberValueSetUtilities: lowUtility at lowValue, highUtility at
 * highValue, linear in between, 0 outside. Computed as lowUtility + slope (x -
 * lowValue), clamped to [0,1], with the slope divided out first: the form of
 * GENIUS's EvaluatorInteger, so that a GENIUS integer evaluator can carry it
 * bit for bit (GeniusWeb computes in decimals rounded to 8 places). */
double interpolate(const double *p, double x)
{
    if (!(x >= p[0] && x <= p[2]))
        return 0;
    double slope = (p[3] - p[1]) / (p[2] - p[0]);
    return clamp01(p[1] + slope * (x - p[0]));
}

/* EvaluatorReal.getEvaluation at x (the value itself). */
static double function_value(const evaluator *e, double x)
{
    switch (e->real_ftype) {
    case REAL_LINEAR: /* evalLinear(x, parameter1, parameter0), clamped */
        return clamp01(e->param[1] * x + e->param[0]);
    case REAL_CONSTANT:
        return e->param[0];
    case REAL_TRIANGULAR:
        return triangular(x, e->param[0], e->param[1], e->param[2], 1.0);
    case REAL_INTERPOLATE:
        return interpolate(e->param, x);
    default:
        return triangular(x, e->param[0], e->param[1], e->param[2], e->param[3]);
    }
}

double evaluator_value(const issue *is, const evaluator *e, uint32_t k)
{
    switch (is->kind) {
    case TRUCE_ISSUE_DISCRETE:
        return discrete_value(is, e, k);
    case TRUCE_ISSUE_INTEGER: {
        double v = (double)(is->int_lower + (int64_t)k);
        /* the legacy form (truce_load_options.legacy): a real evaluator's
         * function of the value */
        if (e->function)
            return function_value(e, v);
        /* EvaluatorInteger.getEvaluation: offset + slope * (v - lowerBound),
         * clamped to [0,1]; lowerBound is the profile's own. */
        return clamp01(e->offset + e->slope * (v - (double)e->int_lower));
    }
    case TRUCE_ISSUE_REAL:
        return function_value(e, issue_option_value(is, k));
    }
    return 0;
}

void linear_fill_table(const truce_scenario *s, const evaluator *evaluators, double *table)
{
    for (size_t i = 0; i < s->n_issues; i++) {
        const evaluator *e = &evaluators[i];
        const issue *is = &s->issues[i];
        double *t = &table[s->option_offset[i]];
        if (is->kind == TRUCE_ISSUE_DISCRETE) {
            /* the largest evaluation once per issue: per option, a million options took hours */
            double largest = discrete_largest(is, e);
            for (uint32_t k = 0; k < is->n_options; k++)
                t[k] = e->weight * discrete_scaled(e, k, largest);
        } else {
            for (uint32_t k = 0; k < is->n_options; k++)
                t[k] = e->weight * evaluator_value(is, e, k);
        }
    }
}

int linear_build_table(truce_scenario *s, party *p)
{
    double *table = arena_array(&s->a, s->total_options ? s->total_options : 1, sizeof *table);
    if (!table)
        return TRUCE_ENOMEM;
    linear_fill_table(s, p->evaluators, table);
    p->table = table;
    return 0;
}
