/* analysis.c: truce_analyze, choosing the exact method a scenario allows
 * (additive merge, enumeration) or, on request, the approximate search, and
 * the accessors of its result. */
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/error.h"
#include "bargaining.h"
#include "frontier.h"

struct truce_analysis {
    arena a;
    frontier f;
    const char *method;
    int approximate;
    int zopa;
    double *reservation;
    solution sol[3];
};

static int check_options(const truce_analysis_options *o, truce_error *err)
{
    if (o->version != TRUCE_ANALYSIS_OPTIONS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_analysis_options version %d is not %d", o->version,
                         TRUCE_ANALYSIS_OPTIONS_VERSION);
    if (!(o->max_outcomes >= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_outcomes",
                         "max_outcomes must be at least 1");
    if (o->max_frontier < 1)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_frontier",
                         "max_frontier must be at least 1");
    if (!(o->max_nodes >= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_nodes", "max_nodes must be at least 1");
    if (!(o->approx_effort >= 1) || o->approx_effort > 1e9)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "approx_effort",
                         "approx_effort must be between 1 and 1e9");
    return 0;
}

/* Number of outcomes as a double (inf beyond the double range) and as a
 * decimal string for messages. */
static double outcome_count(const truce_scenario *s, char *buf, size_t size)
{
    mpz_t n;
    mpz_init_set_ui(n, 1);
    for (size_t i = 0; i < s->n_issues; i++)
        mpz_mul_ui(n, n, s->issues[i].n_options);
    double d = mpz_sizeinbase(n, 10) > 300 ? INFINITY : mpz_get_d(n);
    if (mpz_sizeinbase(n, 10) + 2 <= size)
        mpz_get_str(buf, 10, n);
    else
        snprintf(buf, size, "about 1e%zu", mpz_sizeinbase(n, 10) - 1);
    mpz_clear(n);
    return d;
}

static const char *why_not_additive(const truce_scenario *s)
{
    return scenario_is_linear(s) ? "profiles whose utility can exceed 1 (the cap at 1 breaks "
                                   "additivity)"
                                 : "nonlinear profiles";
}

static int search_fallback(truce_analysis *an, const truce_scenario *s,
                           const truce_analysis_options *o, truce_error *err)
{
    an->method = "local-search";
    an->approximate = 1;
    error_clear(err);
    return search_frontier(&an->f, &an->a, s, o->seed, o->approx_effort, err);
}

static int compute_frontier(truce_analysis *an, const truce_scenario *s,
                            const truce_analysis_options *o, truce_error *err)
{
    if (merge_applies(s)) {
        an->method = "additive-merge";
        int rc = merge_frontier(&an->f, &an->a, s, o->max_frontier, err);
        if (rc != TRUCE_ELIMIT || !o->approximate)
            return rc;
    } else {
        char count[64];
        double n = outcome_count(s, count, sizeof count);
        if (n <= o->max_outcomes) {
            an->method = "enumeration";
            return enumerate_frontier(&an->f, &an->a, s, err);
        }
        if (bound_applies(s)) {
            an->method = "branch-and-bound";
            int rc = bound_frontier(&an->f, &an->a, s, o->max_nodes, o->seed, err);
            if (rc != TRUCE_ELIMIT || o->approximate)
                return rc == TRUCE_ELIMIT ? search_fallback(an, s, o, err) : rc;
            char why[300] = "";
            if (err)
                snprintf(why, sizeof why, "%.299s", err->message);
            return error_set(err, TRUCE_ELIMIT, NULL, 0, NULL,
                             "scenario '%s' has %s outcomes and %s: %s; use approximate mode "
                             "(--approximate) or raise the limit",
                             s->name, count, why_not_additive(s), why);
        }
        if (!o->approximate)
            return error_set(err, TRUCE_ELIMIT, NULL, 0, NULL,
                             "scenario '%s' has %s outcomes and %s, so exact analysis must "
                             "enumerate them, more than the limit of %.0f; use approximate mode "
                             "(--approximate) or raise the limit (--max-outcomes)",
                             s->name, count, why_not_additive(s), o->max_outcomes);
    }
    return search_fallback(an, s, o, err);
}

int truce_analyze(truce_analysis **out, const truce_scenario *s, const truce_analysis_options *o,
                  truce_error *err)
{
    error_clear(err);
    if (!out || !s)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    truce_analysis_options defaults = TRUCE_ANALYSIS_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    int rc = check_options(o, err);
    if (rc)
        return rc;
    mem m;
    mem_init(&m, o->allocator);
    arena a;
    arena_init(&a, &m);
    truce_analysis *an = arena_alloc(&a, sizeof *an);
    if (!an) {
        arena_release(&a);
        return error_nomem(err);
    }
    an->a = a;
    size_t n = s->n_parties;
    an->reservation = arena_array(&an->a, n, sizeof *an->reservation);
    double *ideal = arena_array(&an->a, n, sizeof *ideal);
    if (!an->reservation || !ideal) {
        truce_analysis_free(an);
        return error_nomem(err);
    }
    for (size_t p = 0; p < n; p++)
        an->reservation[p] = s->parties[p].reservation;
    rc = compute_frontier(an, s, o, err);
    if (rc) {
        truce_analysis_free(an);
        return rc;
    }
    an->sol[TRUCE_SOLUTION_NASH] = bargaining_nash(&an->f, an->reservation);
    an->sol[TRUCE_SOLUTION_KALAI_SMORODINSKY] =
        bargaining_kalai_smorodinsky(&an->f, an->reservation, ideal);
    an->sol[TRUCE_SOLUTION_MAX_WELFARE] = bargaining_max_welfare(&an->f);
    an->zopa = bargaining_zopa(&an->f, an->reservation);
    *out = an;
    return 0;
}

void truce_analysis_free(truce_analysis *an)
{
    if (!an)
        return;
    arena a = an->a;
    arena_release(&a);
}

int truce_analysis_is_approximate(const truce_analysis *an)
{
    return an->approximate;
}

const char *truce_analysis_method(const truce_analysis *an)
{
    return an->method;
}

int truce_analysis_pareto_count(const truce_analysis *an, char *buf, size_t size)
{
    size_t len = strlen(an->f.count);
    if (len + 1 > size)
        return TRUCE_EINVAL;
    memcpy(buf, an->f.count, len + 1);
    return (int)len;
}

size_t truce_analysis_pareto_size(const truce_analysis *an)
{
    return an->f.len;
}

const double *truce_analysis_pareto_point(const truce_analysis *an, size_t k)
{
    return k < an->f.len ? &an->f.u[k * an->f.n_parties] : NULL;
}

int truce_analysis_pareto_outcome(const truce_analysis *an, size_t k, uint32_t *outcome)
{
    if (k >= an->f.len || !outcome)
        return TRUCE_EINVAL;
    memcpy(outcome, &an->f.outcome[k * an->f.n_issues], an->f.n_issues * sizeof *outcome);
    return 0;
}

int truce_analysis_solution(const truce_analysis *an, truce_solution which, double *utilities,
                            uint32_t *outcome, double *value)
{
    if ((int)which < 0 || (int)which > 2)
        return TRUCE_EINVAL;
    const solution *s = &an->sol[which];
    if (!s->exists)
        return 0;
    if (utilities)
        memcpy(utilities, &an->f.u[s->point * an->f.n_parties],
               an->f.n_parties * sizeof *utilities);
    if (outcome)
        memcpy(outcome, &an->f.outcome[s->point * an->f.n_issues],
               an->f.n_issues * sizeof *outcome);
    if (value)
        *value = s->value;
    return 1;
}

int truce_analysis_zopa(const truce_analysis *an)
{
    return an->zopa;
}
