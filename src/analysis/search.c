/* search.c: approximate Pareto frontier for spaces too large to enumerate
 * and without additive structure: seeded hill climbing on weighted sums of
 * the parties' utilities from random starts, keeping every outcome it moves
 * through in an archive of non-dominated vectors. Results are labelled
 * approximate by the caller. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/error.h"
#include "../core/rng.h"
#include "../core/constraint.h"
#include "frontier.h"
#include "pareto.h"

#define PENDING 4096

typedef struct archive {
    size_t n, ni;
    size_t len, cap;
    double *u;
    uint32_t *o;
    /* filter scratch */
    size_t *kept;
    long *into;
    double *tmp_u;
    uint32_t *tmp_o;
} archive;

static void archive_free(const mem *m, archive *a)
{
    mem_free(m, a->u, a->cap * a->n * sizeof *a->u);
    mem_free(m, a->o, a->cap * a->ni * sizeof *a->o);
    mem_free(m, a->kept, a->cap * sizeof *a->kept);
    mem_free(m, a->into, a->cap * sizeof *a->into);
    mem_free(m, a->tmp_u, a->cap * a->n * sizeof *a->tmp_u);
    mem_free(m, a->tmp_o, a->cap * a->ni * sizeof *a->tmp_o);
}

static int archive_reserve(const mem *m, archive *a, size_t cap)
{
    if (cap <= a->cap)
        return 0;
    archive b = *a;
    b.cap = cap;
    b.u = mem_alloc(m, cap * a->n * sizeof *b.u);
    b.o = mem_alloc(m, cap * a->ni * sizeof *b.o);
    b.kept = mem_alloc(m, cap * sizeof *b.kept);
    b.into = mem_alloc(m, cap * sizeof *b.into);
    b.tmp_u = mem_alloc(m, cap * a->n * sizeof *b.tmp_u);
    b.tmp_o = mem_alloc(m, cap * a->ni * sizeof *b.tmp_o);
    if (!b.u || !b.o || !b.kept || !b.into || !b.tmp_u || !b.tmp_o) {
        archive_free(m, &b);
        return TRUCE_ENOMEM;
    }
    if (a->len) {
        memcpy(b.u, a->u, a->len * a->n * sizeof *b.u);
        memcpy(b.o, a->o, a->len * a->ni * sizeof *b.o);
    }
    archive_free(m, a);
    *a = b;
    return 0;
}

static int archive_filter(const mem *m, archive *a)
{
    size_t k;
    if (pareto_filter(m, a->u, a->n, a->len, 0, a->kept, a->into, &k))
        return TRUCE_ENOMEM;
    for (size_t j = 0; j < k; j++) {
        memcpy(&a->tmp_u[j * a->n], &a->u[a->kept[j] * a->n], a->n * sizeof *a->u);
        memcpy(&a->tmp_o[j * a->ni], &a->o[a->kept[j] * a->ni], a->ni * sizeof *a->o);
    }
    if (k) { /* an empty archive has no buffers yet (rules across issues leaving nothing) */
        memcpy(a->u, a->tmp_u, k * a->n * sizeof *a->u);
        memcpy(a->o, a->tmp_o, k * a->ni * sizeof *a->o);
    }
    a->len = k;
    return 0;
}

/* Append one outcome; when the buffer is full, filter it first and grow it
 * only if the frontier itself fills more than half of it. */
static int archive_add(const mem *m, archive *a, const double *u, const uint32_t *o)
{
    if (a->len == a->cap) {
        if (a->cap && archive_filter(m, a))
            return TRUCE_ENOMEM;
        if (a->len * 2 >= a->cap && archive_reserve(m, a, a->cap ? 2 * a->cap : PENDING))
            return TRUCE_ENOMEM;
    }
    memcpy(&a->u[a->len * a->n], u, a->n * sizeof *u);
    memcpy(&a->o[a->len * a->ni], o, a->ni * sizeof *o);
    a->len++;
    return 0;
}

static double weighted(const double *w, const double *u, size_t n)
{
    double x = 0;
    for (size_t p = 0; p < n; p++)
        x += w[p] * u[p];
    return x;
}

static void evaluate(const frame *fr, const uint32_t *o, double *u)
{
    for (size_t p = 0; p < fr->n; p++)
        u[p] = party_utility(fr->s, frame_party(fr, p), o);
}

/* Best-improvement hill climb from o on the w-weighted sum of utilities,
 * moving within the frame's options. */
static int climb(const mem *m, const frame *fr, archive *a, const double *w, uint32_t *o,
                 double *u, double *cand)
{
    size_t n = fr->n;
    evaluate(fr, o, u);
    double best = weighted(w, u, n);
    for (int step = 0; step < 10000; step++) {
        size_t best_issue = 0;
        uint32_t best_option = 0;
        int improved = 0;
        for (size_t i = 0; i < fr->s->n_issues; i++) {
            uint32_t keep = o[i];
            for (uint32_t j = 0; j < fr->n_options[i]; j++) {
                uint32_t k = fr->options[i][j];
                if (k == keep)
                    continue;
                o[i] = k;
                if (fr->cross && !constraint_cross_holds(fr->s, o))
                    continue; /* never leave the feasible outcomes */
                evaluate(fr, o, cand);
                double v = weighted(w, cand, n);
                if (v > best + TRUCE_TOLERANCE) {
                    best = v;
                    best_issue = i;
                    best_option = k;
                    improved = 1;
                }
            }
            o[i] = keep;
        }
        if (!improved)
            break;
        o[best_issue] = best_option;
        evaluate(fr, o, u);
        if (archive_add(m, a, u, o))
            return TRUCE_ENOMEM;
    }
    return 0;
}

int search_frontier(frontier *out, arena *out_arena, const frame *fr, uint64_t seed,
                    double effort, truce_error *err)
{
    const mem *m = &out_arena->m;
    size_t n = fr->n, ni = fr->s->n_issues;
    archive a = {n, ni, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL};
    rng r;
    rng_seed(&r, seed);
    size_t directions = effort < 1 ? 1 : (size_t)effort;
    double *w = mem_alloc(m, n * sizeof *w);
    double *u = mem_alloc(m, n * sizeof *u);
    double *cand = mem_alloc(m, n * sizeof *cand);
    uint32_t *o = mem_alloc(m, ni * sizeof *o);
    uint32_t *pos = mem_alloc(m, (ni ? ni : 1) * sizeof *pos);
    int rc = (!w || !u || !cand || !o || !pos) ? TRUCE_ENOMEM : 0;
    for (size_t d = 0; d < directions && rc == 0; d++) {
        /* weights: evenly spread for two parties, uniform on the simplex
         * otherwise; one pure direction per party first */
        if (d < n) {
            for (size_t p = 0; p < n; p++)
                w[p] = p == d ? 1 : 1e-6;
        } else if (n == 2) {
            double t = (double)(d - n + 1) / (double)(directions - n + 1);
            w[0] = t;
            w[1] = 1 - t;
        } else {
            double sum = 0;
            for (size_t p = 0; p < n; p++)
                sum += (w[p] = -log(1 - rng_uniform(&r)));
            for (size_t p = 0; p < n; p++)
                w[p] /= sum;
        }
        for (size_t i = 0; i < ni; i++)
            o[i] = fr->options[i][pos[i] = (uint32_t)rng_below(&r, fr->n_options[i])];
        /* with rules across issues, the first feasible outcome from a random place (or
         * from the start); none at all leaves the frontier empty */
        if (fr->cross && !constraint_seek(fr->s, fr->options, fr->n_options, pos, o) &&
            !frame_first(fr, pos, o))
            break;
        evaluate(fr, o, u);
        rc = archive_add(m, &a, u, o);
        if (rc == 0)
            rc = climb(m, fr, &a, w, o, u, cand);
    }
    if (rc == 0)
        rc = archive_filter(m, &a);
    if (rc == 0) {
        out->n_parties = n;
        out->n_issues = ni;
        out->len = a.len;
        out->u = arena_array(out_arena, a.len * n, sizeof *out->u);
        out->outcome = arena_array(out_arena, a.len * ni, sizeof *out->outcome);
        char buf[32];
        snprintf(buf, sizeof buf, "%zu", a.len);
        out->count = arena_strdup(out_arena, buf);
        if (!out->u || !out->outcome || !out->count)
            rc = TRUCE_ENOMEM;
        else if (a.len) {
            memcpy(out->u, a.u, a.len * n * sizeof *out->u);
            memcpy(out->outcome, a.o, a.len * ni * sizeof *out->outcome);
        }
    }
    archive_free(m, &a);
    mem_free(m, w, n * sizeof *w);
    mem_free(m, u, n * sizeof *u);
    mem_free(m, cand, n * sizeof *cand);
    mem_free(m, o, ni * sizeof *o);
    mem_free(m, pos, (ni ? ni : 1) * sizeof *pos);
    return rc == TRUCE_ENOMEM ? error_nomem(err) : rc;
}
