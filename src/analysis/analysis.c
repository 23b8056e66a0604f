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
#include "solve.h"

/* One frame's answer. A truce_analysis holds the feasible one and, when
 * hard conditions bind, the one that ignores them (docs/analysis.md). */
struct truce_analysis {
    arena a; /* the outer analysis only; a nested one lives in its parent's */
    size_t n_parties;
    frontier f;   /* over the bargainers */
    double *full; /* f.len * n_parties: every party's utility of each frontier outcome */
    const size_t *bargainers;
    size_t n_bargainers;
    const char *method;
    int approximate;
    int zopa;
    double time;
    double work;         /* of the Pareto filter (dominance.h), summed over the frontiers */
    double *reservation; /* per party, at `time` */
    const char *feasible_count;
    int hard_binds;
    struct truce_analysis *unconstrained; /* ignoring hard conditions, or NULL */
    solution sol[3];
};

static int check_options(const truce_analysis_options *o, truce_error *err)
{
    if (o->version < 1 || o->version > TRUCE_ANALYSIS_OPTIONS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_analysis_options version %d is not 1 to %d", o->version,
                         TRUCE_ANALYSIS_OPTIONS_VERSION);
    if (o->version >= 3 && !(o->max_work >= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_work", "max_work must be at least 1");
    if (o->version >= 2 && !(o->time >= 0 && o->time <= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "time", "time must lie in [0, 1]");
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

/* Number of outcomes of the frame as a double (inf beyond the double
 * range) and as a decimal string for messages. */
static double outcome_count(const frame *fr, char *buf, size_t size)
{
    mpz_t n;
    mpz_init_set_ui(n, 1);
    for (size_t i = 0; i < fr->s->n_issues; i++)
        mpz_mul_ui(n, n, fr->n_options[i]);
    double d = mpz_sizeinbase(n, 10) > 300 ? INFINITY : mpz_get_d(n);
    if (mpz_sizeinbase(n, 10) + 2 <= size)
        mpz_get_str(buf, 10, n);
    else
        snprintf(buf, size, "about 1e%zu", mpz_sizeinbase(n, 10) - 1);
    mpz_clear(n);
    return d;
}

static const char *why_not_additive(const frame *fr)
{
    if (fr->cross)
        return "constraints that read several issues (the feasible outcomes are not a product "
               "of options, so exact analysis enumerates them or, when every profile is a sum, "
               "runs branch and bound, pruning partial outcomes either way)";
    for (size_t k = 0; k < fr->n; k++)
        if (frame_party(fr, k)->kind != TRUCE_PROFILE_LINEAR)
            return "nonlinear profiles";
    return "profiles whose utility can exceed 1 (the cap at 1 breaks additivity)";
}

static int search_fallback(truce_analysis *an, arena *a, const frame *fr,
                           const truce_analysis_options *o, truce_error *err)
{
    an->method = "local-search";
    an->approximate = 1;
    error_clear(err);
    return search_frontier(&an->f, a, fr, o->seed, o->approx_effort, err);
}

static int compute_frontier(truce_analysis *an, arena *a, const frame *fr,
                            const truce_analysis_options *o, truce_error *err)
{
    const truce_scenario *s = fr->s;
    if (frame_empty(fr) || fr->n == 0) {
        /* nothing to bargain over: no feasible outcome, or no bargainer */
        an->method = "none";
        an->f = (frontier){fr->n, s->n_issues, 0, NULL, NULL, "0"};
        return 0;
    }
    if (merge_applies(fr)) {
        an->method = "additive-merge";
        int rc = merge_frontier(&an->f, a, fr, o->max_frontier, err);
        if (rc != TRUCE_ELIMIT || !o->approximate)
            return rc;
    } else {
        char count[64];
        double n = outcome_count(fr, count, sizeof count);
        if (n <= o->max_outcomes) {
            an->method = "enumeration";
            int rc = enumerate_frontier(&an->f, a, fr, err);
            if (rc != TRUCE_ELIMIT || !o->approximate)
                return rc;
            return search_fallback(an, a, fr, o, err);
        }
        if (bound_applies(fr)) {
            an->method = "branch-and-bound";
            int rc = bound_frontier(&an->f, a, fr, o->max_nodes, o->seed, err);
            if (rc != TRUCE_ELIMIT || o->approximate)
                return rc == TRUCE_ELIMIT ? search_fallback(an, a, fr, o, err) : rc;
            char why[300] = "";
            if (err)
                snprintf(why, sizeof why, "%.299s", err->message);
            return error_set(err, TRUCE_ELIMIT, NULL, 0, NULL,
                             "scenario '%s' has %s outcomes and %s: %s; use approximate mode "
                             "(--approximate) or raise the limit",
                             s->name, count, why_not_additive(fr), why);
        }
        if (!o->approximate)
            return error_set(err, TRUCE_ELIMIT, NULL, 0, NULL,
                             "scenario '%s' has %s outcomes and %s, so exact analysis must "
                             "enumerate them, more than the limit of %.0f; use approximate mode "
                             "(--approximate) or raise the limit (--max-outcomes)",
                             s->name, count, why_not_additive(fr), o->max_outcomes);
    }
    return search_fallback(an, a, fr, o, err);
}

/* Every party's utility of each frontier outcome, the bargaining points
 * and the zone, once the frontier is known. */
static int solve(truce_analysis *an, arena *a, const truce_scenario *s)
{
    size_t n = s->n_parties, nb = an->f.n_parties, len = an->f.len;
    double *r = arena_array(a, nb ? nb : 1, sizeof *r);
    double *ideal = arena_array(a, nb ? nb : 1, sizeof *ideal);
    an->full = arena_array(a, len * n > 0 ? len * n : 1, sizeof *an->full);
    if (!r || !ideal || !an->full)
        return TRUCE_ENOMEM;
    for (size_t j = 0; j < len; j++)
        for (size_t p = 0; p < n; p++)
            an->full[j * n + p] = party_utility(s, &s->parties[p], &an->f.outcome[j * s->n_issues]);
    for (size_t k = 0; k < nb; k++)
        r[k] = an->reservation[an->bargainers[k]];
    an->sol[TRUCE_SOLUTION_NASH] = bargaining_nash(&an->f, r, s->bargainer_power);
    an->sol[TRUCE_SOLUTION_KALAI_SMORODINSKY] = bargaining_kalai_smorodinsky(&an->f, r, ideal);
    an->sol[TRUCE_SOLUTION_MAX_WELFARE] = bargaining_max_welfare(&an->f);
    an->zopa = bargaining_zopa(&an->f, r);
    return 0;
}

void analysis_bargainer_reservations(const truce_scenario *s, const double *r, double *rb)
{
    for (size_t k = 0; k < s->n_bargainers; k++)
        rb[k] = r[s->bargainers[k]];
}

int analysis_solve(solved *out, arena *a, const truce_scenario *s, int feasible_only,
                   const truce_analysis_options *o, const double *r, truce_error *err)
{
    truce_analysis_options defaults = TRUCE_ANALYSIS_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    frame fr;
    size_t nb = s->n_bargainers;
    double *rb = arena_array(a, nb ? nb : 1, sizeof *rb);
    double *ideal = arena_array(a, nb ? nb : 1, sizeof *ideal);
    if (!rb || !ideal || frame_build(&fr, a, s, feasible_only))
        return error_nomem(err);
    truce_analysis an;
    memset(&an, 0, sizeof an);
    int rc = compute_frontier(&an, a, &fr, o, err);
    if (rc)
        return rc;
    analysis_bargainer_reservations(s, r, rb);
    memset(out, 0, sizeof *out);
    out->f = an.f;
    out->method = an.method;
    out->approximate = an.approximate;
    out->nash = bargaining_nash(&an.f, rb, s->bargainer_power);
    out->ks = bargaining_kalai_smorodinsky(&an.f, rb, ideal);
    out->zopa = bargaining_zopa(&an.f, rb);
    out->zone_margin = -INFINITY;
    for (size_t j = 0; nb && j < an.f.len; j++) {
        double worst = INFINITY;
        for (size_t k = 0; k < nb; k++) {
            double g = an.f.u[j * nb + k] - rb[k];
            if (g < worst)
                worst = g;
        }
        if (worst > out->zone_margin)
            out->zone_margin = worst;
    }
    return 0;
}

/* Analyse one frame into an (allocated in a). */
static int analyze_frame(truce_analysis *an, arena *a, const truce_scenario *s, int feasible_only,
                         const truce_analysis_options *o, truce_error *err)
{
    frame fr;
    if (frame_build(&fr, a, s, feasible_only))
        return error_nomem(err);
    /* the bound on the Pareto filter's work: exact analysis of many parties had no time bound
     * (10 parties x 8 issues ran over 20 minutes) */
    truce_analysis_options defaults = TRUCE_ANALYSIS_OPTIONS_INIT;
    dominance_work work = {0, o->version >= 3 ? o->max_work : defaults.max_work};
    fr.work = &work;
    an->n_parties = s->n_parties;
    an->bargainers = s->bargainers;
    an->n_bargainers = s->n_bargainers;
    int rc = compute_frontier(an, a, &fr, o, err);
    an->work += work.done;
    if (rc == 0 && solve(an, a, s))
        rc = error_nomem(err);
    return rc;
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
    memset(an, 0, sizeof *an);
    an->a = a;
    size_t n = s->n_parties;
    an->time = o->version >= 2 ? o->time : 0;
    an->reservation = arena_array(&an->a, n ? n : 1, sizeof *an->reservation);
    an->feasible_count = scenario_count_text(s, 1, &an->a);
    if (!an->reservation || !an->feasible_count) {
        truce_analysis_free(an);
        return error_nomem(err);
    }
    for (size_t p = 0; p < n; p++)
        an->reservation[p] = party_reservation_at(&s->parties[p], an->time);
    an->hard_binds = s->hard_binds;
    rc = analyze_frame(an, &an->a, s, 1, o, err);
    if (rc == 0 && s->hard_binds) {
        /* what the hard conditions cost: the same analysis over every
         * outcome; a limit hit there leaves only the feasible answer */
        truce_analysis *u = arena_alloc(&an->a, sizeof *u);
        if (!u) {
            rc = error_nomem(err);
        } else {
            *u = *an;
            u->unconstrained = NULL;
            u->method = NULL;
            u->approximate = 0;
            truce_error ignored;
            int urc = analyze_frame(u, &an->a, s, 0, o, &ignored);
            if (urc == TRUCE_ENOMEM)
                rc = error_nomem(err);
            else if (urc == 0)
                an->unconstrained = u;
        }
    }
    if (rc) {
        truce_analysis_free(an);
        return rc;
    }
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

double truce_analysis_work(const truce_analysis *an)
{
    double w = an ? an->work : 0;
    if (an && an->unconstrained)
        w += an->unconstrained->work;
    return w;
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
    return k < an->f.len ? &an->full[k * an->n_parties] : NULL;
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
        memcpy(utilities, &an->full[s->point * an->n_parties], an->n_parties * sizeof *utilities);
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

int truce_analysis_feasible_count(const truce_analysis *an, char *buf, size_t size)
{
    size_t len = strlen(an->feasible_count);
    if (!buf || len + 1 > size)
        return TRUCE_EINVAL;
    memcpy(buf, an->feasible_count, len + 1);
    return (int)len;
}

double truce_analysis_time(const truce_analysis *an)
{
    return an->time;
}

double truce_analysis_reservation(const truce_analysis *an, size_t p)
{
    return p < an->n_parties ? an->reservation[p] : NAN;
}

int truce_analysis_hard_conditions_bind(const truce_analysis *an)
{
    return an->hard_binds;
}

const truce_analysis *truce_analysis_ignoring_hard_conditions(const truce_analysis *an)
{
    return an->unconstrained;
}

const char *truce_solution_criterion(truce_solution which)
{
    switch (which) {
    case TRUCE_SOLUTION_NASH:
        return "nash: the largest product of the bargainers' gains over their reservation "
               "values, among feasible outcomes above every bargainer's reservation value";
    case TRUCE_SOLUTION_KALAI_SMORODINSKY:
        return "kalai-smorodinsky: the largest equal share of each bargainer's possible gain, "
               "among feasible outcomes above every bargainer's reservation value";
    case TRUCE_SOLUTION_MAX_WELFARE:
        return "max welfare: the largest sum of the bargainers' utilities among feasible "
               "outcomes";
    default:
        return "";
    }
}
