/* enumerate.c: exact Pareto frontier by visiting every outcome, for
 * preferences without additive structure (nonlinear profiles, or linear ones
 * where the cap at 1 binds). Outcomes are evaluated in blocks; each block is
 * filtered together with the running frontier, so memory stays small. */
#include <stdio.h>
#include <string.h>

#include "../core/error.h"
#include "frontier.h"
#include "pareto.h"

#define BLOCK 65536

typedef struct running {
    size_t n; /* parties */
    size_t len;
    double *u;       /* (len + BLOCK) * n */
    uint64_t *count; /* multiplicity */
    uint64_t *index; /* representative outcome, mixed-radix index */
} running;

/* An outcome's index: the positions in the frame's option lists, mixed radix. */
static uint64_t encode(const frame *fr, const uint32_t *pos)
{
    uint64_t x = 0;
    for (size_t i = fr->s->n_issues; i-- > 0;)
        x = x * fr->n_options[i] + pos[i];
    return x;
}

static void decode(const frame *fr, uint64_t x, uint32_t *o)
{
    for (size_t i = 0; i < fr->s->n_issues; i++) {
        o[i] = fr->options[i][x % fr->n_options[i]];
        x /= fr->n_options[i];
    }
}

/* Filter running[0..len) + block[len..len+added) back into running. */
static int absorb(const mem *m, running *r, size_t added, size_t *kept, long *into, double *tmp_u,
                  uint64_t *tmp_count, uint64_t *tmp_index, dominance_work *budget)
{
    size_t total = r->len + added, k;
    int rc = pareto_filter_bounded(m, r->u, r->n, total, 0, kept, into, &k, budget);
    if (rc)
        return rc;
    for (size_t j = 0; j < k; j++) {
        memcpy(&tmp_u[j * r->n], &r->u[kept[j] * r->n], r->n * sizeof *tmp_u);
        tmp_count[j] = 0;
        tmp_index[j] = r->index[kept[j]];
    }
    for (size_t c = 0; c < total; c++)
        if (into[c] >= 0)
            tmp_count[into[c]] += r->count[c];
    memcpy(r->u, tmp_u, k * r->n * sizeof *tmp_u);
    memcpy(r->count, tmp_count, k * sizeof *tmp_count);
    memcpy(r->index, tmp_index, k * sizeof *tmp_index);
    r->len = k;
    return 0;
}

typedef struct buffers {
    size_t cap;
    double *tmp_u;
    uint64_t *tmp_count, *tmp_index;
    size_t *kept;
    long *into;
} buffers;

static void release(const mem *m, running *r, buffers *b)
{
    size_t n = r->n, c = b->cap;
    mem_free(m, r->u, c * n * sizeof(double));
    mem_free(m, r->count, c * sizeof(uint64_t));
    mem_free(m, r->index, c * sizeof(uint64_t));
    mem_free(m, b->tmp_u, c * n * sizeof(double));
    mem_free(m, b->tmp_count, c * sizeof(uint64_t));
    mem_free(m, b->tmp_index, c * sizeof(uint64_t));
    mem_free(m, b->kept, c * sizeof(size_t));
    mem_free(m, b->into, c * sizeof(long));
}

/* Room for cap vectors in every buffer: new blocks are allocated whole and
 * the running frontier copied, so a failure leaves the old ones intact. */
static int reserve(const mem *m, running *r, buffers *b, size_t cap)
{
    if (cap <= b->cap)
        return 0;
    size_t n = r->n;
    running nr = {n, r->len, mem_alloc(m, cap * n * sizeof(double)),
                  mem_alloc(m, cap * sizeof(uint64_t)), mem_alloc(m, cap * sizeof(uint64_t))};
    buffers nb = {cap,
                  mem_alloc(m, cap * n * sizeof(double)),
                  mem_alloc(m, cap * sizeof(uint64_t)),
                  mem_alloc(m, cap * sizeof(uint64_t)),
                  mem_alloc(m, cap * sizeof(size_t)),
                  mem_alloc(m, cap * sizeof(long))};
    if (!nr.u || !nr.count || !nr.index || !nb.tmp_u || !nb.tmp_count || !nb.tmp_index ||
        !nb.kept || !nb.into) {
        release(m, &nr, &nb);
        return TRUCE_ENOMEM;
    }
    if (r->len) {
        memcpy(nr.u, r->u, r->len * n * sizeof(double));
        memcpy(nr.count, r->count, r->len * sizeof(uint64_t));
        memcpy(nr.index, r->index, r->len * sizeof(uint64_t));
    }
    release(m, r, b);
    *r = nr;
    *b = nb;
    return 0;
}

int enumerate_frontier(frontier *out, arena *out_arena, const frame *fr, truce_error *err)
{
    const mem *m = &out_arena->m;
    const truce_scenario *s = fr->s;
    size_t n = fr->n, ni = s->n_issues;
    running r = {n, 0, NULL, NULL, NULL};
    buffers b = {0, NULL, NULL, NULL, NULL, NULL};
    uint32_t *o = mem_alloc(m, (ni ? ni : 1) * sizeof *o);
    uint32_t *pos = mem_alloc(m, (ni ? ni : 1) * sizeof *pos);
    int rc = o && pos ? 0 : TRUCE_ENOMEM;
    int done = rc || !frame_first(fr, pos, o);
    /* a small frame is one block of its own size (solved many times over by
     * truce_robust and the margin search, it should not allocate more) */
    size_t block = frame_size(fr) < BLOCK ? (size_t)frame_size(fr) : BLOCK;
    while (rc == 0 && !done) {
        /* the running frontier may outgrow one block: buffers grow with it */
        size_t cap = b.cap ? b.cap : 2 * block;
        while (r.len + block > cap)
            cap *= 2;
        if ((rc = reserve(m, &r, &b, cap)))
            break;
        size_t added = 0;
        while (added < block && !done) {
            double *u = &r.u[(r.len + added) * n];
            for (size_t p = 0; p < n; p++)
                u[p] = party_utility(s, frame_party(fr, p), o);
            r.count[r.len + added] = 1;
            r.index[r.len + added] = encode(fr, pos);
            added++;
            done = !frame_next(fr, pos, o);
        }
        rc = absorb(m, &r, added, b.kept, b.into, b.tmp_u, b.tmp_count, b.tmp_index, fr->work);
        if (rc == TRUCE_ELIMIT)
            dominance_limit_error(err, fr->work);
    }
    if (rc == 0) {
        out->n_parties = n;
        out->n_issues = ni;
        out->len = r.len;
        out->u = arena_array(out_arena, r.len * n, sizeof *out->u);
        out->outcome = arena_array(out_arena, r.len * ni, sizeof *out->outcome);
        if (!out->u || !out->outcome)
            rc = TRUCE_ENOMEM;
    }
    if (rc == 0) {
        uint64_t total = 0;
        for (size_t j = 0; j < r.len; j++) {
            memcpy(&out->u[j * n], &r.u[j * n], n * sizeof *out->u);
            decode(fr, r.index[j], &out->outcome[j * ni]);
            total += r.count[j];
        }
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)total);
        out->count = arena_strdup(out_arena, buf);
        if (!out->count)
            rc = TRUCE_ENOMEM;
    }
    release(m, &r, &b);
    mem_free(m, o, (ni ? ni : 1) * sizeof *o);
    mem_free(m, pos, (ni ? ni : 1) * sizeof *pos);
    return rc == TRUCE_ENOMEM ? error_nomem(err) : rc;
}
