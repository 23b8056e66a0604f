/* robust.c: truce_robust: Monte Carlo over a scenario's uncertain numbers
 * (docs/robustness.md). Each sample draws every uncertain number into a
 * variant of the scenario (nothing is reloaded), solves it exactly (zone,
 * what empties it, Nash and Kalai-Smorodinsky points), scores the advice and
 * the mediated talks when asked; then a one-at-a-time sweep of each
 * uncertain number finds what flips each conclusion. Samples are seeded by
 * their index and merged in a fixed order, so the report is the same to the
 * byte for any number of threads. */
#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/error.h"
#include "../core/uncertain.h"
#include "../io/report.h"
#include "decision.h"
#include "margin.h"
#include "model.h"
#include "robust.h"
#include "solve.h"

#define BLOCK 64 /* samples per unit of work and of merging */
#define BINS 10  /* quantile bins of the first-order sensitivity index */
#define SWEEP 24 /* grid steps of the one-at-a-time sweep */

/* The binary conclusions whose sensitivity is measured. */
enum { C_ZONE = 0, C_NASH, C_KS, C_ADVICE, C_MEDIATION, N_CONCLUSIONS };

static const char *const conclusion_keys[N_CONCLUSIONS] = {"zone", "nash", "kalai_smorodinsky",
                                                           "advice", "mediation"};

struct truce_robustness {
    json_t *doc;
};

/* A constraint of the zone: a bargainer's hard condition or reservation. */
typedef struct constraint {
    size_t party;
    int hard; /* base index of the hard condition, or -1 for the reservation */
} constraint;

/* Integer tallies: each worker keeps its own, summed at the end (integer
 * sums do not depend on the order). */
typedef struct tally {
    uint64_t zone_open, jointly;
    uint64_t *blocker;                          /* per constraint */
    uint64_t point_exists[2], point_central[2]; /* nash, ks */
    uint64_t *point_option[2];                  /* per option slot */
    uint64_t adv_accept, adv_same, adv_found;
    uint64_t med_agree, med_central, med_fault;
    uint64_t *med_option;
    uint64_t *bin_n; /* per uncertain number * bin */
    uint64_t *bin_y; /* per conclusion * uncertain number * bin */
} tally;

typedef struct job {
    const truce_scenario *s;
    truce_robust_options o;
    size_t n_unc;
    const uncertain *unc;
    size_t n_constraints;
    constraint *constraints;
    int have[N_CONCLUSIONS];
    /* central answers */
    int central_zone;
    double central_zone_margin;
    int central_exists[2];
    uint32_t *central_point[2];
    uint32_t *advice; /* the advice at central values, or NULL */
    size_t n_margins; /* advised party and the named ones */
    size_t *margin_party;
    int central_med_agree;
    uint32_t *central_med;
    /* advice enumeration */
    uint64_t total; /* outcomes enumerated for the advice; 0: none */
    /* per-sample results, indexed by sample */
    double *zone_margin;
    double *adv_margin; /* samples * n_margins */
    /* ordered merge of the robust advice's sums */
    uint32_t *ok_count; /* per outcome */
    double *u_sum;      /* per outcome: the advised party's utility summed */
    /* work sharing */
    pthread_mutex_t lock;
    pthread_cond_t merged_cond;
    uint64_t n_blocks, next_block, merged, done;
    int failed, stopped;
    truce_error err;
    struct timespec start;
    double last_progress;
    /* the mediated talks' options (truce_robust_options.mediation, version 2), or NULL for
     * truce_mediate's defaults */
    const truce_mediation_options *mediation;
} job;

typedef struct worker {
    job *j;
    variant v;
    arena a;
    double *draws;
    uint32_t *o;
    double *u; /* per party */
    double *r; /* per party */
    tally t;
    uint32_t *blk_ok;
    double *blk_u;
    int main;
} worker;

/* ---- helpers ---- */

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double elapsed(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (now.tv_nsec - since->tv_nsec) * 1e-9;
}

static void decode(const truce_scenario *s, uint64_t x, uint32_t *o)
{
    for (size_t i = 0; i < s->n_issues; i++) {
        o[i] = (uint32_t)(x % s->issues[i].n_options);
        x /= s->issues[i].n_options;
    }
}

static int same_outcome(const uint32_t *a, const uint32_t *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

/* Would party p accept o (within its real hard conditions, strictly above
 * its reservation value at t)? u gets its utility. */
static int accepts(const truce_scenario *s, size_t p, const uint32_t *o, double t, double *u)
{
    const party *pt = &s->parties[p];
    *u = party_utility(s, pt, o);
    return party_violates(pt, o) < 0 && *u > party_reservation_at(pt, t);
}

static int tally_init(tally *t, const job *j)
{
    memset(t, 0, sizeof *t);
    size_t slots = j->s->total_options + 1;
    t->blocker = calloc(j->n_constraints + 1, sizeof *t->blocker);
    t->point_option[0] = calloc(slots, sizeof *t->point_option[0]);
    t->point_option[1] = calloc(slots, sizeof *t->point_option[1]);
    t->med_option = calloc(slots, sizeof *t->med_option);
    t->bin_n = calloc(j->n_unc * BINS + 1, sizeof *t->bin_n);
    t->bin_y = calloc(N_CONCLUSIONS * j->n_unc * BINS + 1, sizeof *t->bin_y);
    return t->blocker && t->point_option[0] && t->point_option[1] && t->med_option && t->bin_n &&
                   t->bin_y
               ? 0
               : TRUCE_ENOMEM;
}

static void tally_free(tally *t)
{
    free(t->blocker);
    free(t->point_option[0]);
    free(t->point_option[1]);
    free(t->med_option);
    free(t->bin_n);
    free(t->bin_y);
}

static void tally_add(tally *to, const tally *from, const job *j)
{
    size_t slots = j->s->total_options;
    to->zone_open += from->zone_open;
    to->jointly += from->jointly;
    for (size_t k = 0; k < j->n_constraints; k++)
        to->blocker[k] += from->blocker[k];
    for (int q = 0; q < 2; q++) {
        to->point_exists[q] += from->point_exists[q];
        to->point_central[q] += from->point_central[q];
        for (size_t x = 0; x < slots; x++)
            to->point_option[q][x] += from->point_option[q][x];
    }
    to->adv_accept += from->adv_accept;
    to->adv_same += from->adv_same;
    to->adv_found += from->adv_found;
    to->med_agree += from->med_agree;
    to->med_central += from->med_central;
    to->med_fault += from->med_fault;
    for (size_t x = 0; x < slots; x++)
        to->med_option[x] += from->med_option[x];
    for (size_t k = 0; k < j->n_unc * BINS; k++)
        to->bin_n[k] += from->bin_n[k];
    for (size_t k = 0; k < N_CONCLUSIONS * j->n_unc * BINS; k++)
        to->bin_y[k] += from->bin_y[k];
}

/* The quantile bin of a drawn value. */
static size_t bin_of(const uncertain *u, double x)
{
    if (u->kind == UNC_DISCRETE && u->n_values <= BINS) {
        for (uint32_t k = 0; k < u->n_values; k++)
            if (u->values[k] == x)
                return k;
        return 0;
    }
    double q = uncertain_cdf(u, x);
    size_t b = (size_t)(q * BINS);
    return b >= BINS ? BINS - 1 : b;
}

/* ---- one solve of a variant ---- */

typedef struct answers {
    int zone;
    double zone_margin;
    int exists[2];
    const uint32_t *point[2]; /* into the solve arena */
    int advice;               /* the central advice acceptable to every named party */
    double advice_margin;     /* the smallest named party's margin */
} answers;

/* The zone and the points under the scenario's decision rule (docs/robustness.md, decision
 * rules): the zone is open when some outcome is decided, its margin the rule's
 * (decision_margin), the points those over the deciders among decided outcomes. */
static int solve_rule(worker *w, answers *out, solved *sv, truce_error *err)
{
    const job *j = w->j;
    const truce_scenario *s = &w->v.s;
    memset(sv, 0, sizeof *sv);
    size_t ni = s->n_issues ? s->n_issues : 1;
    uint32_t *at = arena_array(&w->a, 3 * ni, sizeof *at);
    if (!at)
        return error_nomem(err);
    int rc = decision_margin(s, j->o.time, j->o.max_outcomes, &out->zone_margin, at, err);
    if (rc == TRUCE_ELIMIT)
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "max_outcomes",
                         "scenario '%s': under its decision rule each sample enumerates every "
                         "outcome, more than the limit of %.0f; raise it (--max-outcomes)",
                         s->name, j->o.max_outcomes);
    if (rc)
        return rc;
    out->zone = out->zone_margin > 0;
    for (int q = 0; q < 2; q++) {
        rc = out->zone ? decision_point(s, j->o.time, j->o.max_outcomes, q, at + (q + 1) * ni, err)
                       : 0;
        if (rc < 0)
            return rc;
        out->exists[q] = rc == 1;
        out->point[q] = rc == 1 ? at + (q + 1) * ni : NULL;
    }
    return 0;
}

static int solve_core(worker *w, answers *out, solved *sv, truce_error *err)
{
    const job *j = w->j;
    const truce_scenario *s = &w->v.s;
    truce_analysis_options ao = TRUCE_ANALYSIS_OPTIONS_INIT;
    ao.time = j->o.time;
    for (size_t p = 0; p < s->n_parties; p++)
        w->r[p] = party_reservation_at(&s->parties[p], j->o.time);
    arena_reset(&w->a);
    int rc = scenario_has_rule(s) ? solve_rule(w, out, sv, err)
                                  : analysis_solve(sv, &w->a, s, 1, &ao, w->r, err);
    if (rc)
        return rc;
    if (!scenario_has_rule(s)) {
        out->zone = sv->zopa;
        out->zone_margin = sv->zone_margin;
        const solution *pts[2] = {&sv->nash, &sv->ks};
        for (int q = 0; q < 2; q++) {
            out->exists[q] = pts[q]->exists;
            out->point[q] = pts[q]->exists ? &sv->f.outcome[pts[q]->point * s->n_issues] : NULL;
        }
    }
    out->advice = 0;
    out->advice_margin = INFINITY;
    if (j->advice) {
        out->advice = 1;
        for (size_t k = 1; k < j->n_margins; k++) {
            double u;
            int ok = accepts(s, j->margin_party[k], j->advice, j->o.time, &u);
            double m = u - party_reservation_at(&s->parties[j->margin_party[k]], j->o.time);
            out->advice &= ok;
            if (m < out->advice_margin)
                out->advice_margin = m;
        }
    }
    return 0;
}

/* Whether the point equals the central one (both absent counts as equal). */
static int point_central(const job *j, const answers *a, int q)
{
    if (!a->exists[q] || !j->central_exists[q])
        return a->exists[q] == j->central_exists[q];
    return same_outcome(a->point[q], j->central_point[q], j->s->n_issues);
}

/* ---- one sample ---- */

/* Whether the zone of the variant as it stands is open: by walking its
 * feasible outcomes when they are few (no frontier is needed to know that
 * one clears every reservation value), else by solving it. */
static int zone_opens(worker *w, int *open, truce_error *err)
{
    const truce_scenario *s = &w->v.s;
    frame fr;
    if (frame_build(&fr, &w->a, s, 1))
        return error_nomem(err);
    *open = 0;
    if (frame_size(&fr) > 1e5) {
        truce_analysis_options ao = TRUCE_ANALYSIS_OPTIONS_INIT;
        ao.time = w->j->o.time;
        solved sv;
        int rc = analysis_solve(&sv, &w->a, s, 1, &ao, w->r, err);
        *open = rc == 0 && sv.zopa;
        return rc;
    }
    uint32_t *pos = arena_array(&w->a, s->n_issues + 1, sizeof *pos);
    if (!pos)
        return error_nomem(err);
    for (int more = frame_first(&fr, pos, w->o); more && !*open;
         more = frame_next(&fr, pos, w->o)) {
        int ok = 1;
        for (size_t k = 0; k < s->n_bargainers && ok; k++) {
            size_t p = s->bargainers[k];
            ok = party_utility(s, &s->parties[p], w->o) > w->r[p];
        }
        *open = ok;
    }
    return 0;
}

/* Which single constraint, relaxed alone, opens an empty zone. */
static int blockers(worker *w, const solved *sv, truce_error *err)
{
    job *j = w->j;
    const truce_scenario *s = &w->v.s;
    size_t nb = s->n_bargainers;
    int any = 0;
    for (size_t c = 0; c < j->n_constraints; c++) {
        const constraint *k = &j->constraints[c];
        int opens = 0;
        if (k->hard < 0) {
            /* every other bargainer above its reservation on some point */
            size_t kb = 0;
            while (s->bargainers[kb] != k->party)
                kb++;
            for (size_t q = 0; q < sv->f.len && !opens; q++) {
                int ok = 1;
                for (size_t b = 0; b < nb && ok; b++)
                    if (b != kb && !(sv->f.u[q * nb + b] > w->r[s->bargainers[b]]))
                        ok = 0;
                opens = ok;
            }
        } else {
            if (variant_get(&w->v, UNC_CREDIBILITY, k->party, 0, (uint32_t)k->hard) < 0.5)
                continue; /* a bluff in this sample: it empties nothing */
            variant_set(&w->v, UNC_CREDIBILITY, k->party, 0, (uint32_t)k->hard, 0);
            variant_refresh(&w->v);
            int rc = zone_opens(w, &opens, err);
            variant_set(&w->v, UNC_CREDIBILITY, k->party, 0, (uint32_t)k->hard, 1);
            variant_refresh(&w->v);
            if (rc)
                return rc;
        }
        if (opens) {
            w->t.blocker[c]++;
            any = 1;
        }
    }
    if (!any)
        w->t.jointly++;
    return 0;
}

/* Outcome number x of the advice sweep, stepped to in w->o (odometer order,
 * x counting up from 0): the advised party's utility, the sum of the other
 * margin parties' utilities (the tie-break), and whether it is acceptable
 * (feasible, and every other margin party accepts it). */
static int advice_candidate(worker *w, uint64_t x, double *u, double *tie)
{
    const job *j = w->j;
    const truce_scenario *s = &w->v.s;
    if (x)
        for (size_t i = 0; i < s->n_issues; i++) {
            if (++w->o[i] < s->issues[i].n_options)
                break;
            w->o[i] = 0;
        }
    *u = party_utility(s, &s->parties[j->margin_party[0]], w->o);
    *tie = 0;
    int ok = scenario_feasible(s, w->o);
    for (size_t k = 1; k < j->n_margins; k++) {
        double v;
        ok &= accepts(s, j->margin_party[k], w->o, j->o.time, &v);
        *tie += v;
    }
    return ok;
}

/* Every outcome for the robust advice: acceptable in this sample, and the
 * advised party's utility; the sample's own advice. */
static void advice_sweep(worker *w, uint64_t sample)
{
    job *j = w->j;
    const truce_scenario *s = &w->v.s;
    double best_u = -INFINITY, best_tie = -INFINITY;
    uint64_t best = UINT64_MAX;
    memset(w->o, 0, s->n_issues * sizeof *w->o);
    for (uint64_t x = 0; x < j->total; x++) {
        double u, tie;
        int ok = advice_candidate(w, x, &u, &tie);
        w->blk_ok[x] += (uint32_t)ok;
        w->blk_u[x] += u;
        if (ok && (u > best_u || (u == best_u && tie > best_tie))) {
            best_u = u;
            best_tie = tie;
            best = x;
        }
    }
    (void)sample;
    if (best != UINT64_MAX) {
        w->t.adv_found++;
        decode(s, best, w->o);
        w->t.adv_same += same_outcome(w->o, j->advice, s->n_issues);
    }
}

static int mediate_sample(worker *w, int *agree, truce_error *err)
{
    job *j = w->j;
    const truce_scenario *s = &w->v.s;
    truce_mediation *m = NULL;
    int rc = truce_mediate(&m, s, j->mediation, err);
    if (rc)
        return rc;
    *agree = truce_mediation_agreement(m);
    if (*agree) {
        const uint32_t *d = truce_mediation_draft(m);
        w->t.med_agree++;
        for (size_t i = 0; i < s->n_issues; i++)
            w->t.med_option[s->option_offset[i] + d[i]]++;
        *agree = j->central_med && same_outcome(d, j->central_med, s->n_issues) ? 2 : 1;
    }
    if (truce_mediation_fault(m) >= 0)
        w->t.med_fault++;
    truce_mediation_free(m);
    return 0;
}

static int one_sample(worker *w, uint64_t i, truce_error *err)
{
    job *j = w->j;
    const truce_scenario *s = &w->v.s;
    rng r;
    rng_seed(&r, mix64(j->o.seed ^ mix64(i + 0x5851F42D4C957F2DULL)));
    for (size_t k = 0; k < j->n_unc; k++) {
        const uncertain *u = &j->unc[k];
        double x = uncertain_draw(u, &r);
        w->draws[k] = x;
        variant_set(&w->v, u->target, u->party, u->issue, u->index, x);
    }
    variant_refresh(&w->v);
    answers a;
    solved sv;
    int rc = solve_core(w, &a, &sv, err);
    if (rc)
        return rc;
    int y[N_CONCLUSIONS] = {0};
    y[C_ZONE] = a.zone;
    j->zone_margin[i] = a.zone_margin;
    w->t.zone_open += (uint64_t)a.zone;
    if (!a.zone && j->n_constraints && (rc = blockers(w, &sv, err)))
        return rc;
    for (int q = 0; q < 2; q++) {
        if (a.exists[q]) {
            w->t.point_exists[q]++;
            for (size_t n = 0; n < s->n_issues; n++)
                w->t.point_option[q][s->option_offset[n] + a.point[q][n]]++;
        }
        y[C_NASH + q] = point_central(j, &a, q);
        w->t.point_central[q] += (uint64_t)y[C_NASH + q];
    }
    if (j->advice) {
        y[C_ADVICE] = a.advice;
        w->t.adv_accept += (uint64_t)a.advice;
        for (size_t k = 0; k < j->n_margins; k++) {
            const party *pt = &s->parties[j->margin_party[k]];
            j->adv_margin[i * j->n_margins + k] =
                party_utility(s, pt, j->advice) - party_reservation_at(pt, j->o.time);
        }
        if (j->total)
            advice_sweep(w, i);
    }
    if (j->o.mediate) {
        int agree = 0;
        if ((rc = mediate_sample(w, &agree, err)))
            return rc;
        y[C_MEDIATION] = j->central_med_agree ? agree == 2 : agree == 0;
        w->t.med_central += (uint64_t)y[C_MEDIATION];
    }
    for (size_t k = 0; k < j->n_unc; k++) {
        size_t b = bin_of(&j->unc[k], w->draws[k]);
        w->t.bin_n[k * BINS + b]++;
        for (int c = 0; c < N_CONCLUSIONS; c++)
            if (j->have[c])
                w->t.bin_y[(c * j->n_unc + k) * BINS + b] += (uint64_t)y[c];
    }
    return 0;
}

/* ---- threads ---- */

static void fail_job(job *j, const truce_error *err, int rc)
{
    pthread_mutex_lock(&j->lock);
    if (!j->failed) {
        j->failed = rc;
        if (err)
            j->err = *err;
    }
    pthread_cond_broadcast(&j->merged_cond);
    pthread_mutex_unlock(&j->lock);
}

static void *work(void *arg)
{
    worker *w = arg;
    job *j = w->j;
    truce_error err;
    error_clear(&err);
    for (;;) {
        pthread_mutex_lock(&j->lock);
        if (j->failed || j->stopped || j->next_block >= j->n_blocks) {
            pthread_mutex_unlock(&j->lock);
            break;
        }
        uint64_t b = j->next_block++;
        pthread_mutex_unlock(&j->lock);
        uint64_t first = b * BLOCK, last = first + BLOCK;
        if (last > j->o.samples)
            last = j->o.samples;
        if (j->total) {
            memset(w->blk_ok, 0, j->total * sizeof *w->blk_ok);
            memset(w->blk_u, 0, j->total * sizeof *w->blk_u);
        }
        int rc = 0;
        for (uint64_t i = first; i < last && rc == 0; i++)
            rc = one_sample(w, i, &err);
        if (rc) {
            fail_job(j, &err, rc);
            break;
        }
        pthread_mutex_lock(&j->lock);
        /* the robust advice's sums are merged block by block, in order */
        while (j->total && j->merged != b && !j->failed)
            pthread_cond_wait(&j->merged_cond, &j->lock);
        if (j->failed) {
            pthread_mutex_unlock(&j->lock);
            break;
        }
        if (j->total)
            for (uint64_t x = 0; x < j->total; x++) {
                j->ok_count[x] += w->blk_ok[x];
                j->u_sum[x] += w->blk_u[x];
            }
        j->merged++;
        j->done += last - first;
        pthread_cond_broadcast(&j->merged_cond);
        int report = 0;
        uint64_t done = j->done;
        double t = elapsed(&j->start);
        if (w->main && j->o.progress && (t - j->last_progress >= 0.1 || done == j->o.samples)) {
            j->last_progress = t;
            report = 1;
        }
        pthread_mutex_unlock(&j->lock);
        if (report && j->o.progress(done, j->o.samples, t, j->o.progress_payload)) {
            pthread_mutex_lock(&j->lock);
            j->stopped = 1;
            pthread_cond_broadcast(&j->merged_cond);
            pthread_mutex_unlock(&j->lock);
        }
    }
    return NULL;
}

static int worker_init(worker *w, job *j)
{
    memset(w, 0, sizeof *w);
    w->j = j;
    const truce_scenario *s = j->s;
    mem m;
    mem_init(&m, NULL);
    arena_init(&w->a, &m);
    if (variant_init(&w->v, s, NULL))
        return TRUCE_ENOMEM;
    w->draws = calloc(j->n_unc + 1, sizeof *w->draws);
    w->o = calloc(s->n_issues + 1, sizeof *w->o);
    w->u = calloc(s->n_parties + 1, sizeof *w->u);
    w->r = calloc(s->n_parties + 1, sizeof *w->r);
    if (j->total) {
        w->blk_ok = calloc(j->total, sizeof *w->blk_ok);
        w->blk_u = calloc(j->total, sizeof *w->blk_u);
    }
    if (!w->draws || !w->o || !w->u || !w->r || (j->total && (!w->blk_ok || !w->blk_u)) ||
        tally_init(&w->t, j))
        return TRUCE_ENOMEM;
    return 0;
}

static void worker_free(worker *w)
{
    variant_release(&w->v);
    arena_release(&w->a);
    free(w->draws);
    free(w->o);
    free(w->u);
    free(w->r);
    free(w->blk_ok);
    free(w->blk_u);
    tally_free(&w->t);
}

/* ---- central answers ---- */

/* The advice at the variant's numbers: the advised party's best feasible
 * outcome that every named party accepts (truce_advise's rule and ties). */
static int advice_at(worker *w, uint32_t *best_out)
{
    job *j = w->j;
    const truce_scenario *s = &w->v.s;
    double best_u = -INFINITY, best_tie = -INFINITY;
    int found = 0;
    memset(w->o, 0, s->n_issues * sizeof *w->o);
    for (uint64_t x = 0; x < j->total; x++) {
        double u, tie;
        int ok = advice_candidate(w, x, &u, &tie);
        if (ok && (u > best_u || (u == best_u && tie > best_tie))) {
            best_u = u;
            best_tie = tie;
            found = 1;
            memcpy(best_out, w->o, s->n_issues * sizeof *w->o);
        }
    }
    return found;
}

static int central_answers(worker *w, truce_error *err)
{
    job *j = w->j;
    const truce_scenario *s = j->s;
    size_t ni = s->n_issues;
    if (j->n_margins) {
        j->advice = calloc(ni + 1, sizeof *j->advice);
        if (!j->advice)
            return error_nomem(err);
        if (!advice_at(w, j->advice)) {
            free(j->advice);
            j->advice = NULL;
        }
    }
    answers a;
    solved sv;
    int rc = solve_core(w, &a, &sv, err);
    if (rc)
        return rc;
    j->central_zone = a.zone;
    j->central_zone_margin = a.zone_margin;
    for (int q = 0; q < 2; q++) {
        j->central_exists[q] = a.exists[q];
        if (a.exists[q]) {
            if (!(j->central_point[q] = malloc((ni + 1) * sizeof *j->central_point[q])))
                return error_nomem(err);
            memcpy(j->central_point[q], a.point[q], ni * sizeof *a.point[q]);
        }
    }
    if (j->o.mediate) {
        truce_mediation *m = NULL;
        if ((rc = truce_mediate(&m, s, j->mediation, err)))
            return rc;
        j->central_med_agree = truce_mediation_agreement(m);
        if (j->central_med_agree) {
            if (!(j->central_med = malloc((ni + 1) * sizeof *j->central_med))) {
                truce_mediation_free(m);
                return error_nomem(err);
            }
            memcpy(j->central_med, truce_mediation_draft(m), ni * sizeof *j->central_med);
        }
        truce_mediation_free(m);
    }
    return 0;
}

/* ---- statistics ---- */

static json_t *prob_json(uint64_t hits, uint64_t n)
{
    double p = n ? (double)hits / (double)n : 0;
    return json_pack("{s:f,s:f}", "p", p, "se", n ? sqrt(p * (1 - p) / (double)n) : 0.0);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Mean (with its standard error), quantiles and P(> 0) of n values taken
 * every `stride` from v. */
static json_t *distribution_json(const double *v, size_t n, size_t stride)
{
    double *x = malloc((n + 1) * sizeof *x);
    if (!x)
        return NULL;
    size_t m = 0;
    double sum = 0;
    uint64_t positive = 0;
    for (size_t k = 0; k < n; k++) {
        double y = v[k * stride];
        if (!isfinite(y))
            continue;
        x[m++] = y;
        sum += y;
        positive += y > 0;
    }
    if (m == 0) {
        free(x);
        return json_null();
    }
    double mean = sum / (double)m, ss = 0;
    for (size_t k = 0; k < m; k++)
        ss += (x[k] - mean) * (x[k] - mean);
    double sd = m > 1 ? sqrt(ss / (double)(m - 1)) : 0;
    qsort(x, m, sizeof *x, by_double);
    static const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    json_t *quant = json_object();
    for (size_t k = 0; k < 5; k++) {
        /* the empirical quantile: the smallest value with at least q of them at or below */
        size_t at = (size_t)ceil(qs[k] * (double)m);
        at = at ? at - 1 : 0;
        char key[8];
        snprintf(key, sizeof key, "%.2f", qs[k]);
        json_object_set_new(quant, key, json_real(x[at]));
    }
    json_t *out = json_pack("{s:f,s:f,s:f,s:o,s:o}", "mean", mean, "se", sd / sqrt((double)m), "sd",
                            sd, "quantiles", quant, "positive", prob_json(positive, m));
    free(x);
    return out;
}

static json_t *clauses_json(const truce_scenario *s, const uint64_t *counts, uint64_t n)
{
    json_t *list = json_array();
    char label[512];
    for (size_t i = 0; i < s->n_issues; i++) {
        json_t *opts = json_array();
        for (uint32_t k = 0; k < s->issues[i].n_options; k++) {
            truce_issue_option_label(s, i, k, label, sizeof label);
            json_t *row = prob_json(counts[s->option_offset[i] + k], n);
            json_object_set_new(row, "option", json_string(label));
            json_array_append_new(opts, row);
        }
        json_array_append_new(list,
                              json_pack("{s:s,s:o}", "issue", s->issues[i].name, "options", opts));
    }
    return list;
}

/* First-order sensitivity index of conclusion c to number k: the share of
 * the conclusion's variance explained by the number's quantile bin
 * (the correlation ratio, an estimate of Sobol's first-order index). */
static double first_order(const job *j, const tally *t, int c, size_t k)
{
    uint64_t n = 0, y = 0;
    for (size_t b = 0; b < BINS; b++) {
        n += t->bin_n[k * BINS + b];
        y += t->bin_y[(c * j->n_unc + k) * BINS + b];
    }
    if (n == 0)
        return 0;
    double p = (double)y / (double)n, var = p * (1 - p);
    if (var <= 0)
        return 0;
    double between = 0;
    for (size_t b = 0; b < BINS; b++) {
        uint64_t nb = t->bin_n[k * BINS + b];
        if (!nb)
            continue;
        double mb = (double)t->bin_y[(c * j->n_unc + k) * BINS + b] / (double)nb;
        between += (double)nb * (mb - p) * (mb - p);
    }
    return between / ((double)n * var);
}

/* ---- one at a time: what flips each conclusion ---- */

#define N_SWEPT 4 /* zone, nash, ks, advice: the mediation is not swept */

static int classes_at(worker *w, const uncertain *u, double x, int *cls, double *margins,
                      truce_error *err)
{
    variant_set(&w->v, u->target, u->party, u->issue, u->index, x);
    variant_refresh(&w->v);
    answers a;
    solved sv;
    int rc = solve_core(w, &a, &sv, err);
    if (rc)
        return rc;
    cls[C_ZONE] = a.zone;
    cls[C_NASH] = point_central(w->j, &a, 0);
    cls[C_KS] = point_central(w->j, &a, 1);
    cls[C_ADVICE] = a.advice;
    if (margins) {
        margins[0] = a.zone_margin;
        margins[1] = a.advice_margin;
    }
    return 0;
}

typedef struct swept {
    double flip_p[N_SWEPT], below[N_SWEPT], above[N_SWEPT];
    double lo, hi, margin_lo[2], margin_hi[2];
} swept;

/* The boundary in (a, b) where conclusion c leaves class `left`. */
static int bisect(worker *w, const uncertain *u, int c, double a, double b, int left, double *out,
                  truce_error *err)
{
    int cls[N_CONCLUSIONS];
    for (int k = 0; k < 40 && b - a > 1e-12 * (1 + fabs(a)); k++) {
        double mid = a + (b - a) / 2;
        int rc = classes_at(w, u, mid, cls, NULL, err);
        if (rc)
            return rc;
        if (cls[c] == left)
            a = mid;
        else
            b = mid;
    }
    *out = b;
    return 0;
}

static int sweep_number(worker *w, const uncertain *u, const int *central, swept *out,
                        truce_error *err)
{
    const job *j = w->j;
    size_t cap = SWEEP + 2 > u->n_values ? SWEEP + 2 : u->n_values;
    double *xs = malloc(cap * sizeof *xs), *bnd = malloc(cap * sizeof *bnd);
    int(*cls)[N_CONCLUSIONS] = malloc(cap * sizeof *cls);
    double(*margins)[2] = malloc(cap * sizeof *margins);
    if (!xs || !bnd || !cls || !margins) {
        free(xs), free(bnd), free(cls), free(margins);
        return error_nomem(err);
    }
    size_t n = 0, at = 0;
    if (u->kind == UNC_DISCRETE) {
        for (uint32_t k = 0; k < u->n_values; k++)
            xs[n++] = u->values[k];
        /* sorted and distinct, for below and above */
        qsort(xs, n, sizeof *xs, by_double);
        size_t m = 0;
        for (size_t g = 0; g < n; g++)
            if (m == 0 || xs[g] != xs[m - 1])
                xs[m++] = xs[g];
        n = m;
    } else {
        double lo, hi;
        uncertain_sweep_range(u, &lo, &hi);
        for (int k = 0; k <= SWEEP; k++) {
            double x = k == SWEEP ? hi : lo + (hi - lo) * k / SWEEP;
            if (n && x <= xs[n - 1])
                continue;
            if (u->central < x && (n == 0 || u->central > xs[n - 1]))
                xs[n++] = u->central;
            xs[n++] = x;
        }
        if (u->central > xs[n - 1] && n < SWEEP + 2)
            xs[n++] = u->central;
    }
    for (size_t g = 0; g < n; g++)
        if (xs[g] == u->central)
            at = g;
    int rc = 0;
    for (size_t g = 0; g < n && rc == 0; g++)
        rc = classes_at(w, u, xs[g], cls[g], margins[g], err);
    out->lo = xs[0];
    out->hi = xs[n - 1];
    for (int m = 0; m < 2 && rc == 0; m++) {
        out->margin_lo[m] = margins[0][m];
        out->margin_hi[m] = margins[n - 1][m];
    }
    for (int c = 0; c < N_SWEPT && rc == 0; c++) {
        out->flip_p[c] = 0;
        out->below[c] = out->above[c] = NAN;
        if (!j->have[c])
            continue;
        if (u->kind == UNC_DISCRETE) {
            for (size_t g = 0; g < n; g++) {
                if (cls[g][c] == central[c])
                    continue;
                for (uint32_t k = 0; k < u->n_values; k++)
                    if (u->values[k] == xs[g])
                        out->flip_p[c] += u->probs[k];
                if (xs[g] < u->central)
                    out->below[c] = xs[g];
                else if (isnan(out->above[c]))
                    out->above[c] = xs[g];
            }
            continue;
        }
        for (size_t g = 0; g + 1 < n && rc == 0; g++) {
            bnd[g] = NAN;
            double a = uncertain_cdf(u, xs[g]), b = uncertain_cdf(u, xs[g + 1]);
            if (cls[g][c] == cls[g + 1][c]) {
                if (cls[g][c] != central[c])
                    out->flip_p[c] += b - a;
                continue;
            }
            if ((rc = bisect(w, u, c, xs[g], xs[g + 1], cls[g][c], &bnd[g], err)))
                break;
            double m = uncertain_cdf(u, bnd[g]);
            out->flip_p[c] += cls[g][c] != central[c] ? m - a : b - m;
        }
        for (size_t g = at; rc == 0 && g-- > 0;)
            if (cls[g][c] != central[c]) {
                out->below[c] = bnd[g];
                break;
            }
        for (size_t g = at + 1; rc == 0 && g < n; g++)
            if (cls[g][c] != central[c]) {
                out->above[c] = bnd[g - 1];
                break;
            }
    }
    variant_set(&w->v, u->target, u->party, u->issue, u->index, u->central);
    variant_refresh(&w->v);
    free(xs), free(bnd), free(cls), free(margins);
    return rc;
}

static const char *const target_kinds[] = {"weight",      "value",     "reservation",
                                           "reservation", "influence", "credibility"};

static json_t *uncertain_json(const truce_scenario *s, const uncertain *u)
{
    char id[600], text[600];
    margin_name(s, u->target, u->party, u->issue, u->index, id, sizeof id, text, sizeof text);
    json_t *row = json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:f}", "number", id, "text", text, "kind",
                            target_kinds[u->target], "distribution", uncertain_kind_name(u->kind),
                            "central", u->central, "lo", u->lo, "hi", u->hi);
    if (u->target != UNC_INFLUENCE)
        json_object_set_new(row, "party", json_string(s->parties[u->party].name));
    if (u->kind == UNC_TRIANGULAR)
        json_object_set_new(row, "mode", json_real(u->mode));
    if (u->kind == UNC_NORMAL) {
        json_object_set_new(row, "mean", json_real(u->mean));
        json_object_set_new(row, "sd", json_real(u->sd));
    }
    if (u->target == UNC_CREDIBILITY)
        json_object_set_new(row, "credibility", json_real(u->probs[1]));
    json_object_set_new(row, "source", u->source ? json_string(u->source) : json_null());
    return row;
}

static const char *conclusion_text(const job *j, int c, char *buf, size_t size)
{
    switch (c) {
    case C_ZONE:
        return j->central_zone ? "the zone of agreement is open" : "the zone of agreement is empty";
    case C_NASH:
    case C_KS:
        if (!j->central_exists[c - C_NASH])
            return c == C_NASH ? "there is no Nash point" : "there is no Kalai-Smorodinsky point";
        return c == C_NASH ? "the Nash point is the one at central values"
                           : "the Kalai-Smorodinsky point is the one at central values";
    default:
        snprintf(buf, size, "the advice at central values is acceptable to every named party");
        return buf;
    }
}

typedef struct ranked {
    size_t number;
    double p, first;
} ranked;

static int by_flip(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p > y->p ? -1 : 1;
    if (x->first != y->first)
        return x->first > y->first ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

static int sensitivity_json(worker *w, const tally *t, json_t *doc, truce_error *err)
{
    job *j = w->j;
    const truce_scenario *s = j->s;
    size_t n = j->n_unc;
    swept *sw = calloc(n + 1, sizeof *sw);
    ranked *rk = calloc(n + 1, sizeof *rk);
    if (!sw || !rk) {
        free(sw), free(rk);
        return error_nomem(err);
    }
    int central[N_CONCLUSIONS] = {j->central_zone, 1, 1, j->advice != NULL, 1};
    int rc = 0;
    variant_reset(&w->v);
    for (size_t k = 0; k < n && rc == 0; k++)
        if (j->o.sensitivity)
            rc = sweep_number(w, &j->unc[k], central, &sw[k], err);
    if (rc) {
        free(sw), free(rk);
        return rc;
    }
    json_t *flips = json_array();
    char buf[300];
    for (int c = 0; c < N_CONCLUSIONS; c++) {
        if (!j->have[c])
            continue;
        for (size_t k = 0; k < n; k++)
            rk[k] = (ranked){k, c < N_SWEPT && j->o.sensitivity ? sw[k].flip_p[c] : 0,
                             first_order(j, t, c, k)};
        qsort(rk, n, sizeof *rk, by_flip);
        json_t *rows = json_array();
        for (size_t q = 0; q < n; q++) {
            const uncertain *u = &j->unc[rk[q].number];
            const swept *x = &sw[rk[q].number];
            char id[600], name[600], says[1400] = "";
            margin_name(s, u->target, u->party, u->issue, u->index, id, sizeof id, name,
                        sizeof name);
            json_t *row =
                json_pack("{s:s,s:s,s:f}", "number", id, "text", name, "first_order", rk[q].first);
            if (c < N_SWEPT && j->o.sensitivity) {
                json_object_set_new(row, "flip_probability", json_real(rk[q].p));
                json_object_set_new(row, "flips_below",
                                    isnan(x->below[c]) ? json_null() : json_real(x->below[c]));
                json_object_set_new(row, "flips_above",
                                    isnan(x->above[c]) ? json_null() : json_real(x->above[c]));
                if (u->target == UNC_CREDIBILITY && rk[q].p > 0)
                    snprintf(says, sizeof says, "flips if %s is a bluff (probability %.3g)", name,
                             u->probs[0]);
                else if (u->kind == UNC_DISCRETE && (!isnan(x->below[c]) || !isnan(x->above[c])))
                    snprintf(says, sizeof says, "flips if %s is %.4g", name,
                             !isnan(x->below[c]) ? x->below[c] : x->above[c]);
                else if (!isnan(x->below[c]) && !isnan(x->above[c]))
                    snprintf(says, sizeof says, "flips if %s falls below %.4g or rises above %.4g",
                             name, x->below[c], x->above[c]);
                else if (!isnan(x->below[c]))
                    snprintf(says, sizeof says, "flips if %s falls below %.4g", name, x->below[c]);
                else if (!isnan(x->above[c]))
                    snprintf(says, sizeof says, "flips if %s rises above %.4g", name, x->above[c]);
                else
                    snprintf(says, sizeof says, "%s alone does not flip it within [%.4g, %.4g]",
                             name, x->lo, x->hi);
                json_object_set_new(row, "says", json_string(says));
            }
            json_array_append_new(rows, row);
        }
        int cc = c == C_MEDIATION ? j->central_med_agree : central[c];
        json_array_append_new(
            flips, json_pack("{s:s,s:s,s:b,s:o}", "conclusion", conclusion_keys[c], "text",
                             c == C_MEDIATION ? (j->central_med_agree
                                                     ? "the mediated agreement is the one at "
                                                       "central values"
                                                     : "the mediated talks end without agreement")
                                              : conclusion_text(j, c, buf, sizeof buf),
                             "central", cc, "numbers", rows));
    }
    json_object_set_new(doc, "what_flips", flips);
    /* tornado: how far each number moves the zone's and the advice's margin */
    json_t *tornado = json_object();
    for (int m = 0; m < 2 && j->o.sensitivity; m++) {
        if (m == 1 && !j->advice)
            continue;
        for (size_t k = 0; k < n; k++) {
            double lo = sw[k].margin_lo[m], hi = sw[k].margin_hi[m];
            rk[k] = (ranked){k, isfinite(lo) && isfinite(hi) ? fabs(hi - lo) : 0, 0};
        }
        qsort(rk, n, sizeof *rk, by_flip);
        json_t *rows = json_array();
        for (size_t q = 0; q < n; q++) {
            const uncertain *u = &j->unc[rk[q].number];
            const swept *x = &sw[rk[q].number];
            char id[600], name[600];
            margin_name(s, u->target, u->party, u->issue, u->index, id, sizeof id, name,
                        sizeof name);
            double ml = x->margin_lo[m], mh = x->margin_hi[m];
            json_array_append_new(rows, json_pack("{s:s,s:s,s:f,s:f,s:o,s:o}", "number", id, "text",
                                                  name, "low", x->lo, "high", x->hi, "margin_low",
                                                  isfinite(ml) ? json_real(ml) : json_null(),
                                                  "margin_high",
                                                  isfinite(mh) ? json_real(mh) : json_null()));
        }
        double cm = m == 0 ? j->central_zone_margin : NAN;
        if (m == 1) {
            answers a;
            solved sv;
            variant_reset(&w->v);
            if ((rc = solve_core(w, &a, &sv, err)))
                break;
            cm = a.advice_margin;
        }
        json_object_set_new(tornado, m == 0 ? "zone" : "advice",
                            json_pack("{s:s,s:o,s:o}", "margin",
                                      m == 1 ? "advice margin: the smallest gain of a named "
                                               "party over its reservation value"
                                      : scenario_has_rule(s)
                                          ? "zone margin under the decision rule: over every "
                                            "outcome, the smaller of the ratifiers' smallest "
                                            "gain and the largest smallest gain of a winning set "
                                            "of principals, at its best"
                                          : "zone margin: the best feasible deal's smallest "
                                            "gain of a bargainer over its reservation value",
                                      "central", isfinite(cm) ? json_real(cm) : json_null(),
                                      "numbers", rows));
    }
    json_object_set_new(doc, "tornado", tornado);
    free(sw), free(rk);
    return rc;
}

/* ---- the report ---- */

static json_t *point_json(const job *j, const tally *t, int q)
{
    const truce_scenario *s = j->s;
    uint64_t n = j->o.samples;
    json_t *central = json_null();
    if (j->central_exists[q])
        central = model_deal_json(
            s, j->central_point[q],
            truce_scenario_solution_criterion(s, q == 0 ? TRUCE_SOLUTION_NASH
                                                        : TRUCE_SOLUTION_KALAI_SMORODINSKY));
    return json_pack("{s:o,s:o,s:o,s:o}", "central", central, "exists",
                     prob_json(t->point_exists[q], n), "same_as_central",
                     prob_json(t->point_central[q], n), "clauses",
                     clauses_json(s, t->point_option[q], n));
}

static json_t *zone_json(const job *j, const tally *t)
{
    const truce_scenario *s = j->s;
    uint64_t n = j->o.samples;
    json_t *emptied = json_array();
    for (size_t c = 0; c < j->n_constraints; c++) {
        const constraint *k = &j->constraints[c];
        const party *pt = &s->parties[k->party];
        json_t *row = prob_json(t->blocker[c], n);
        json_object_set_new(row, "kind",
                            json_string(k->hard >= 0 ? "hard_condition" : "reservation"));
        json_object_set_new(row, "party", json_string(pt->name));
        if (k->hard >= 0)
            json_object_set_new(row, "id", json_string(pt->hard[k->hard].id));
        json_array_append_new(emptied, row);
    }
    /* most often first (stable for equal counts) */
    size_t m = json_array_size(emptied);
    for (size_t a = 1; a < m; a++)
        for (size_t b = a; b > 0; b--) {
            double x = json_real_value(json_object_get(json_array_get(emptied, b - 1), "p"));
            double y = json_real_value(json_object_get(json_array_get(emptied, b), "p"));
            if (y <= x)
                break;
            json_t *tmp = json_incref(json_array_get(emptied, b));
            json_array_set(emptied, b, json_array_get(emptied, b - 1));
            json_array_set_new(emptied, b - 1, tmp);
        }
    json_t *z = json_pack(
        "{s:b,s:o,s:o,s:o,s:o,s:o}", "central_open", j->central_zone, "central_margin",
        isfinite(j->central_zone_margin) ? json_real(j->central_zone_margin) : json_null(), "open",
        prob_json(t->zone_open, n), "margin", distribution_json(j->zone_margin, (size_t)n, 1),
        "emptied_by", emptied, "jointly", prob_json(t->jointly, n));
    /* under a decision rule: the zone is the rule's (some outcome decided), no blockers */
    static const char *const rules[] = {"unanimity", "qualified-majority"};
    if (scenario_has_rule(s)) {
        json_object_set_new(z, "decision_rule", json_string(rules[s->decision_rule]));
        json_object_del(z, "emptied_by");
        json_object_del(z, "jointly");
    }
    return z;
}

static json_t *advice_json(const job *j, const tally *t, worker *w)
{
    const truce_scenario *s = j->s;
    uint64_t n = j->o.samples;
    json_t *names = json_array();
    for (size_t k = 1; k < j->n_margins; k++)
        json_array_append_new(names, json_string(s->parties[j->margin_party[k]].name));
    json_t *doc = json_pack("{s:s,s:o,s:f}", "party", s->parties[j->margin_party[0]].name,
                            "acceptable_to", names, "level", j->o.level);
    if (!j->advice) {
        json_object_set_new(doc, "central", json_null());
        json_object_set_new(doc, "note",
                            json_string("no feasible outcome is acceptable to every "
                                        "named party at central values"));
    } else {
        json_t *central = model_deal_json(s, j->advice,
                                          "the advised party's best deal among feasible outcomes "
                                          "that every named party accepts, at central values");
        json_object_set_new(central, "acceptable", prob_json(t->adv_accept, n));
        json_t *margins = json_array();
        for (size_t k = 0; k < j->n_margins; k++) {
            json_t *row = distribution_json(&j->adv_margin[k], (size_t)n, j->n_margins);
            json_object_set_new(row, "party", json_string(s->parties[j->margin_party[k]].name));
            json_object_set_new(row, "as", json_string(k ? "acceptable_to" : "advised"));
            json_array_append_new(margins, row);
        }
        json_object_set_new(central, "margins", margins);
        json_object_set_new(doc, "central", central);
    }
    if (!j->total) {
        json_object_set_new(doc, "robust", json_null());
        return doc;
    }
    json_object_set_new(doc, "sample_advice_found", prob_json(t->adv_found, n));
    json_object_set_new(doc, "sample_advice_same", prob_json(t->adv_same, n));
    /* the robust advice: the largest expected utility for the advised party
     * among outcomes acceptable with probability at least the level */
    uint64_t best = UINT64_MAX;
    double best_u = -INFINITY;
    uint32_t best_ok = 0;
    for (uint64_t x = 0; x < j->total; x++) {
        if ((double)j->ok_count[x] < j->o.level * (double)n)
            continue;
        double u = j->u_sum[x] / (double)n;
        if (u > best_u || (u == best_u && j->ok_count[x] > best_ok)) {
            best = x;
            best_u = u;
            best_ok = j->ok_count[x];
        }
    }
    if (best == UINT64_MAX) {
        json_object_set_new(doc, "robust", json_null());
        return doc;
    }
    decode(s, best, w->o);
    json_t *robust = model_deal_json(
        s, w->o,
        "robust advice: the largest expected utility for the advised party among outcomes "
        "that are feasible and acceptable to every named party in at least the given share "
        "of samples");
    json_object_set_new(robust, "acceptable", prob_json(best_ok, n));
    json_object_set_new(robust, "expected_utility", json_real(best_u));
    json_object_set_new(robust, "same_as_central",
                        json_boolean(j->advice && same_outcome(w->o, j->advice, s->n_issues)));
    json_object_set_new(doc, "robust", robust);
    return doc;
}

static json_t *mediation_json(const job *j, const tally *t)
{
    const truce_scenario *s = j->s;
    uint64_t n = j->o.samples;
    json_t *central = json_null();
    if (j->central_med_agree)
        central = model_deal_json(s, j->central_med,
                                  j->mediation ? "the mediated agreement at central values (the "
                                                 "mediation options given)"
                                               : "the mediated agreement at central values "
                                                 "(truce mediate's defaults)");
    return json_pack("{s:o,s:o,s:o,s:o,s:I}", "central", central, "agreement",
                     prob_json(t->med_agree, n), "same_as_central", prob_json(t->med_central, n),
                     "clauses", clauses_json(s, t->med_option, n), "faults",
                     (json_int_t)t->med_fault);
}

/* ---- the entry point ---- */

static int check_robust_options(const truce_scenario *s, const truce_robust_options *o,
                                truce_error *err)
{
    if (o->version < 1 || o->version > TRUCE_ROBUST_OPTIONS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_robust_options version %d is not 1 to %d", o->version,
                         TRUCE_ROBUST_OPTIONS_VERSION);
    const truce_mediation_options *mo = o->version >= 2 ? o->mediation : NULL;
    if (mo && mo->version >= 1 && mo->strategy == TRUCE_MEDIATOR_EXTERNAL)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "mediation",
                         "the mediated talks of every sample need a built-in mediator (informed "
                         "or uninformed), not an external one");
    if (mo && mo->version >= 1 && mo->agents)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "mediation",
                         "the mediated talks of every sample are answered by the built-in "
                         "responders: agents are not supported");
    if (mo && mo->version >= 1 && mo->trace)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "mediation",
                         "the mediated talks of every sample write no trace (thousands of talks "
                         "on several threads): leave trace NULL");
    if (o->samples < 1 || o->samples > 100000000)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "samples",
                         "samples must be a whole number from 1 to 1e8");
    if (!(o->time >= 0 && o->time <= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "time", "time must lie in [0, 1]");
    if (!(o->level > 0 && o->level <= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "level", "level must lie in (0, 1]");
    if (!(o->max_outcomes >= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_outcomes",
                         "max_outcomes must be at least 1");
    if (o->advise_party >= 0) {
        if ((size_t)o->advise_party >= s->n_parties)
            return error_set(err, TRUCE_ENOTFOUND, NULL, 0, "advise_party", "no party %ld",
                             o->advise_party);
        if (o->n_acceptable == 0 || !o->acceptable_to)
            return error_set(err, TRUCE_EINVAL, NULL, 0, "acceptable_to",
                             "the advice needs at least one party it must be acceptable to");
        for (size_t k = 0; k < o->n_acceptable; k++) {
            if (o->acceptable_to[k] >= s->n_parties)
                return error_set(err, TRUCE_ENOTFOUND, NULL, 0, "acceptable_to", "no party %zu",
                                 o->acceptable_to[k]);
            if ((long)o->acceptable_to[k] == o->advise_party)
                return error_set(err, TRUCE_EINVAL, NULL, 0, "acceptable_to",
                                 "'%s' is the advised party itself",
                                 s->parties[o->acceptable_to[k]].name);
        }
    }
    return 0;
}

static void job_free(job *j)
{
    free(j->constraints);
    free(j->central_point[0]);
    free(j->central_point[1]);
    free(j->advice);
    free(j->margin_party);
    free(j->central_med);
    free(j->zone_margin);
    free(j->adv_margin);
    free(j->ok_count);
    free(j->u_sum);
}

static int job_init(job *j, const truce_scenario *s, const truce_robust_options *o,
                    truce_error *err)
{
    memset(j, 0, sizeof *j);
    j->s = s;
    if (o->version >= 2) {
        j->o = *o;
    } else { /* a version 1 caller's struct ends before `mediation` */
        memcpy(&j->o, o, offsetof(truce_robust_options, mediation));
        j->o.mediation = NULL;
    }
    j->mediation = j->o.mediation; /* its version is truce_mediate's to check */
    j->n_unc = s->n_uncertain;
    j->unc = s->uncertain;
    j->constraints = calloc(s->n_parties * 2 + 64, sizeof *j->constraints);
    j->zone_margin = calloc(o->samples, sizeof *j->zone_margin);
    if (!j->constraints || !j->zone_margin)
        return error_nomem(err);
    /* under a decision rule no blockers are sought: relaxing one constraint is judged by the
     * unanimity zone (docs/robustness.md) */
    for (size_t k = 0; k < s->n_bargainers && !scenario_has_rule(s); k++) {
        const party *pt = &s->parties[s->bargainers[k]];
        for (uint32_t h = 0; h < pt->n_hard && j->n_constraints < 64; h++)
            j->constraints[j->n_constraints++] = (constraint){s->bargainers[k], (int)h};
        if (j->n_constraints < 64)
            j->constraints[j->n_constraints++] = (constraint){s->bargainers[k], -1};
    }
    j->have[C_ZONE] = j->have[C_NASH] = j->have[C_KS] = 1;
    j->have[C_MEDIATION] = o->mediate;
    j->have[C_ADVICE] = o->advise_party >= 0;
    if (o->advise_party >= 0) {
        j->n_margins = o->n_acceptable + 1;
        j->margin_party = calloc(j->n_margins, sizeof *j->margin_party);
        if (!j->margin_party)
            return error_nomem(err);
        j->margin_party[0] = (size_t)o->advise_party;
        memcpy(&j->margin_party[1], o->acceptable_to, o->n_acceptable * sizeof *o->acceptable_to);
        uint64_t total;
        int rc = model_outcome_count(s, o->max_outcomes, &total, err);
        if (rc)
            return rc;
        j->total = total;
        j->adv_margin = calloc(o->samples * j->n_margins, sizeof *j->adv_margin);
        j->ok_count = calloc(total + 1, sizeof *j->ok_count);
        j->u_sum = calloc(total + 1, sizeof *j->u_sum);
        if (!j->adv_margin || !j->ok_count || !j->u_sum)
            return error_nomem(err);
    }
    j->n_blocks = (o->samples + BLOCK - 1) / BLOCK;
    return 0;
}

static json_t *build_doc(job *j, const tally *t, worker *w)
{
    const truce_scenario *s = j->s;
    json_t *unc = json_array();
    for (size_t k = 0; k < j->n_unc; k++)
        json_array_append_new(unc, uncertain_json(s, &j->unc[k]));
    json_t *doc =
        json_pack("{s:s,s:I,s:I,s:f,s:o}", "scenario", s->name, "samples", (json_int_t)j->o.samples,
                  "seed", (json_int_t)j->o.seed, "time", j->o.time, "uncertain", unc);
    json_object_set_new(doc, "zone", zone_json(j, t));
    json_object_set_new(doc, "nash", point_json(j, t, 0));
    json_object_set_new(doc, "kalai_smorodinsky", point_json(j, t, 1));
    if (j->o.mediate)
        json_object_set_new(doc, "mediation", mediation_json(j, t));
    if (j->n_margins)
        json_object_set_new(doc, "advice", advice_json(j, t, w));
    json_object_set_new(
        doc, "method",
        json_string("Monte Carlo: each sample draws every uncertain number independently "
                    "and solves the scenario exactly; p is the share of samples, se its "
                    "standard error sqrt(p(1-p)/n). What flips it: each uncertain number "
                    "swept alone over its range, the others at their central values "
                    "(flip_probability: the probability, under its distribution, that it "
                    "alone flips the conclusion; flips_below/above: the nearest values that "
                    "do), and first_order: the share of the conclusion's variance explained "
                    "by the number over the samples (correlation ratio over 10 quantile bins)"));
    return doc;
}

int truce_robust(truce_robustness **out, const truce_scenario *s, const truce_robust_options *o,
                 truce_error *err)
{
    error_clear(err);
    truce_robust_options defaults = TRUCE_ROBUST_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (!out || !s)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    /* a coalition's aggregated utility is built once from its members' central numbers: the
     * samples would not move it (docs/scenario-format.md#coalitions) */
    if (s->n_coalitions && s->coalition_mode == TRUCE_COALITIONS_AS_ONE)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "coalitions",
                         "scenario '%s' has a coalition bargaining as one, whose aggregated "
                         "utility the samples would not move; robust refuses rather than "
                         "answer with it fixed: run it with the members bargaining separately "
                         "(--coalitions split)",
                         s->name);
    int rc = check_robust_options(s, o, err);
    if (rc)
        return rc;
    job j;
    if ((rc = job_init(&j, s, o, err))) {
        job_free(&j);
        return rc;
    }
    unsigned threads = o->threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    if (threads > j.n_blocks)
        threads = (unsigned)j.n_blocks;
    if (threads > 256)
        threads = 256;
    worker *ws = calloc(threads, sizeof *ws);
    pthread_t *tid = calloc(threads, sizeof *tid);
    unsigned made = 0, started = 0;
    if (!ws || !tid)
        rc = error_nomem(err);
    for (; rc == 0 && made < threads; made++)
        if (worker_init(&ws[made], &j)) {
            worker_free(&ws[made]);
            rc = error_nomem(err);
        }
    if (rc == 0)
        rc = central_answers(&ws[0], err);
    if (rc == 0) {
        pthread_mutex_init(&j.lock, NULL);
        pthread_cond_init(&j.merged_cond, NULL);
        clock_gettime(CLOCK_MONOTONIC, &j.start);
        ws[0].main = 1;
        for (started = 1; started < threads; started++)
            if (pthread_create(&tid[started], NULL, work, &ws[started]))
                break;
        work(&ws[0]);
        for (unsigned k = 1; k < started; k++)
            pthread_join(tid[k], NULL);
        pthread_mutex_destroy(&j.lock);
        pthread_cond_destroy(&j.merged_cond);
        if (j.failed) {
            rc = j.failed;
            if (err)
                *err = j.err;
        } else if (j.stopped) {
            rc = error_set(err, TRUCE_ELIMIT, NULL, 0, "progress",
                           "stopped after %llu of %llu samples", (unsigned long long)j.done,
                           (unsigned long long)o->samples);
        }
    }
    json_t *doc = NULL;
    if (rc == 0) {
        for (unsigned k = 1; k < made; k++)
            tally_add(&ws[0].t, &ws[k].t, &j);
        doc = build_doc(&j, &ws[0].t, &ws[0]);
        if (!doc)
            rc = error_nomem(err);
        else if ((rc = sensitivity_json(&ws[0], &ws[0].t, doc, err)))
            json_decref(doc);
    }
    for (unsigned k = 0; k < made; k++)
        worker_free(&ws[k]);
    free(ws);
    free(tid);
    job_free(&j);
    if (rc)
        return rc;
    truce_robustness *r = malloc(sizeof *r);
    if (!r) {
        json_decref(doc);
        return error_nomem(err);
    }
    r->doc = doc;
    *out = r;
    return 0;
}

void truce_robust_free(truce_robustness *r)
{
    if (!r)
        return;
    json_decref(r->doc);
    free(r);
}

int truce_robust_report(const truce_robustness *r, char **out, truce_error *err)
{
    error_clear(err);
    if (!r || !out)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    return model_dump(out, json_incref(r->doc), err);
}

double truce_robust_zone_probability(const truce_robustness *r, double *se)
{
    json_t *open = json_object_get(json_object_get(r->doc, "zone"), "open");
    if (se)
        *se = json_real_value(json_object_get(open, "se"));
    return json_real_value(json_object_get(open, "p"));
}

const json_t *robust_doc(const truce_robustness *r)
{
    return r->doc;
}
