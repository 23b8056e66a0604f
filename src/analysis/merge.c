/* merge.c: exact Pareto frontier of linear additive scenarios without
 * enumerating the outcome space. Issues are combined one at a time; a partial
 * outcome dominated by another partial outcome over the same issues can never
 * complete to a Pareto-optimal outcome (utilities are sums), so it is dropped.
 * Ties are kept as one vector with a multiplicity, and every kept vector
 * remembers the (parent, option group) pairs that reach it, so that exact
 * outcome counts and representative outcomes can be recovered. */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "frontier.h"
#include "pareto.h"

typedef struct level {
    size_t len;            /* vectors kept after this issue */
    uint32_t *pair_start;  /* len + 1 */
    uint32_t *pair_parent; /* node of the previous level */
    uint32_t *pair_group;  /* option group of this issue */
    size_t n_groups;
    uint32_t *group_first; /* representative option of each group */
    uint32_t *group_size;  /* options with the same utility vector */
} level;

int merge_applies(const frame *fr)
{
    if (fr->cross)
        return 0; /* rules across issues: the pruned enumeration instead */
    for (size_t k = 0; k < fr->n; k++) {
        const party *p = frame_party(fr, k);
        if (p->kind != TRUCE_PROFILE_LINEAR || linear_max_sum(fr->s, p) > 1 + TRUCE_TOLERANCE)
            return 0;
    }
    return 1;
}

typedef struct work {
    const mem *m;
    size_t n;      /* parties */
    arena *tmp;    /* levels live here until the end */
    double *cur_u; /* current vectors */
    uint64_t *cur_count;
    size_t cur_len;
    int overflow; /* a uint64 count overflowed: recount with GMP */
    dominance_work *budget; /* the frame's bound on the filter's work, or NULL */
} work;

/* Option groups of issue i: the frame's options whose vectors are not
 * dominated by another option's, with equal vectors grouped. */
static int issue_groups(work *w, const frame *fr, size_t i, level *lv, double **gv)
{
    const truce_scenario *s = fr->s;
    size_t n = w->n, k_opts = fr->n_options[i];
    double *v = arena_array(w->tmp, k_opts * n, sizeof *v);
    size_t *kept = arena_array(w->tmp, k_opts, sizeof *kept);
    long *into = arena_array(w->tmp, k_opts, sizeof *into);
    if (!v || !kept || !into)
        return TRUCE_ENOMEM;
    for (size_t k = 0; k < k_opts; k++)
        for (size_t p = 0; p < n; p++)
            v[k * n + p] = frame_party(fr, p)->table[s->option_offset[i] + fr->options[i][k]];
    size_t g;
    int rc = pareto_filter_bounded(w->m, v, n, k_opts, 0, kept, into, &g, w->budget);
    if (rc)
        return rc;
    lv->n_groups = g;
    lv->group_first = arena_array(w->tmp, g, sizeof *lv->group_first);
    lv->group_size = arena_array(w->tmp, g, sizeof *lv->group_size);
    *gv = arena_array(w->tmp, g * n, sizeof **gv);
    if (!lv->group_first || !lv->group_size || !*gv)
        return TRUCE_ENOMEM;
    for (size_t j = 0; j < g; j++) {
        lv->group_first[j] = fr->options[i][kept[j]];
        memcpy(&(*gv)[j * n], &v[kept[j] * n], n * sizeof **gv);
    }
    for (size_t k = 0; k < k_opts; k++)
        if (into[k] >= 0)
            lv->group_size[into[k]]++;
    return 0;
}

/* Candidate (parent, group) pairs of one merge step, laid out in
 * pareto_compare_desc order for two parties (a heap merges the groups'
 * shifted copies of the sorted current list), unsorted otherwise. */
typedef struct candidates {
    size_t len;
    double *u;
    uint32_t *parent;
    uint32_t *group;
} candidates;

typedef struct heap_entry {
    uint32_t group;
    uint32_t pos; /* next parent in this group's run */
} heap_entry;

static int entry_before(const work *w, const double *gv, heap_entry a, heap_entry b)
{
    double a0 = w->cur_u[2 * a.pos] + gv[2 * a.group];
    double b0 = w->cur_u[2 * b.pos] + gv[2 * b.group];
    if (a0 != b0)
        return a0 > b0;
    double a1 = w->cur_u[2 * a.pos + 1] + gv[2 * a.group + 1];
    double b1 = w->cur_u[2 * b.pos + 1] + gv[2 * b.group + 1];
    return a1 > b1;
}

static void sift_down(const work *w, const double *gv, heap_entry *h, size_t len, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, best = i;
        if (l < len && entry_before(w, gv, h[l], h[best]))
            best = l;
        if (r < len && entry_before(w, gv, h[r], h[best]))
            best = r;
        if (best == i)
            return;
        heap_entry t = h[i];
        h[i] = h[best];
        h[best] = t;
        i = best;
    }
}

static int build_candidates(work *w, const double *gv, size_t n_groups, candidates *c)
{
    size_t n = w->n, len = w->cur_len * n_groups;
    int overflow = 0;
    mem_product(len, n * sizeof(double), &overflow);
    if (overflow || len > UINT32_MAX)
        return TRUCE_ELIMIT; /* reported by merge_frontier */
    c->len = len;
    c->u = mem_alloc(w->m, len * n * sizeof *c->u);
    c->parent = mem_alloc(w->m, len * sizeof *c->parent);
    c->group = mem_alloc(w->m, len * sizeof *c->group);
    if (!c->u || !c->parent || !c->group)
        return TRUCE_ENOMEM;
    if (n != 2) {
        size_t k = 0;
        for (size_t g = 0; g < n_groups; g++)
            for (size_t j = 0; j < w->cur_len; j++, k++) {
                for (size_t p = 0; p < n; p++)
                    c->u[k * n + p] = w->cur_u[j * n + p] + gv[g * n + p];
                c->parent[k] = (uint32_t)j;
                c->group[k] = (uint32_t)g;
            }
        return 0;
    }
    heap_entry *h = mem_alloc(w->m, n_groups * sizeof *h);
    if (!h)
        return TRUCE_ENOMEM;
    for (size_t g = 0; g < n_groups; g++)
        h[g] = (heap_entry){(uint32_t)g, 0};
    size_t hl = n_groups;
    for (size_t i = hl / 2 + 1; i-- > 0;)
        sift_down(w, gv, h, hl, i);
    for (size_t k = 0; k < len; k++) {
        heap_entry e = h[0];
        c->u[2 * k] = w->cur_u[2 * e.pos] + gv[2 * e.group];
        c->u[2 * k + 1] = w->cur_u[2 * e.pos + 1] + gv[2 * e.group + 1];
        c->parent[k] = e.pos;
        c->group[k] = e.group;
        if (++h[0].pos == w->cur_len)
            h[0] = h[--hl];
        if (hl)
            sift_down(w, gv, h, hl, 0);
    }
    mem_free(w->m, h, n_groups * sizeof *h);
    return 0;
}

static void free_candidates(const mem *m, candidates *c, size_t n)
{
    mem_free(m, c->u, c->len * n * sizeof *c->u);
    mem_free(m, c->parent, c->len * sizeof *c->parent);
    mem_free(m, c->group, c->len * sizeof *c->group);
}

/* One issue: candidates, filter, then the new current list and the pairs. */
static int merge_step(work *w, const candidates *c, level *lv, size_t max_frontier,
                      truce_error *err)
{
    size_t n = w->n;
    size_t *kept = mem_alloc(w->m, c->len * sizeof *kept);
    long *into = mem_alloc(w->m, c->len * sizeof *into);
    int rc = (!kept || !into) ? TRUCE_ENOMEM : 0;
    size_t k = 0;
    if (rc == 0)
        rc = pareto_filter_bounded(w->m, c->u, n, c->len, n == 2, kept, into, &k, w->budget);
    if (rc == TRUCE_ELIMIT)
        dominance_limit_error(err, w->budget);
    if (rc == 0 && k > max_frontier)
        rc = error_set(err, TRUCE_ELIMIT, NULL, 0, "max_frontier",
                       "the partial Pareto frontier grew to %zu vectors, more than the limit %zu",
                       k, max_frontier);
    double *u = NULL;
    uint64_t *count = NULL;
    if (rc == 0) {
        u = mem_alloc(w->m, k * n * sizeof *u);
        count = mem_alloc(w->m, k * sizeof *count);
        lv->pair_start = arena_array(w->tmp, k + 1, sizeof *lv->pair_start);
        if (!u || !count || !lv->pair_start)
            rc = TRUCE_ENOMEM;
    }
    size_t n_pairs = 0;
    if (rc == 0) {
        for (size_t j = 0; j < k; j++) {
            memcpy(&u[j * n], &c->u[kept[j] * n], n * sizeof *u);
            count[j] = 0;
        }
        for (size_t q = 0; q < c->len; q++) {
            if (into[q] < 0)
                continue;
            lv->pair_start[into[q] + 1]++;
            n_pairs++;
            uint64_t add, sum;
            uint64_t size = lv->group_size[c->group[q]];
            if (__builtin_mul_overflow(w->cur_count[c->parent[q]], size, &add) ||
                __builtin_add_overflow(count[into[q]], add, &sum)) {
                w->overflow = 1;
                sum = UINT64_MAX;
            }
            count[into[q]] = sum;
        }
        for (size_t j = 0; j < k; j++)
            lv->pair_start[j + 1] += lv->pair_start[j];
        lv->pair_parent = arena_array(w->tmp, n_pairs ? n_pairs : 1, sizeof *lv->pair_parent);
        lv->pair_group = arena_array(w->tmp, n_pairs ? n_pairs : 1, sizeof *lv->pair_group);
        uint32_t *fill = mem_alloc(w->m, (k ? k : 1) * sizeof *fill);
        if (!lv->pair_parent || !lv->pair_group || !fill) {
            rc = TRUCE_ENOMEM;
        } else {
            memcpy(fill, lv->pair_start, k * sizeof *fill);
            for (size_t q = 0; q < c->len; q++) {
                if (into[q] < 0)
                    continue;
                uint32_t at = fill[into[q]]++;
                lv->pair_parent[at] = c->parent[q];
                lv->pair_group[at] = c->group[q];
            }
        }
        mem_free(w->m, fill, (k ? k : 1) * sizeof *fill);
    }
    mem_free(w->m, kept, c->len * sizeof *kept);
    mem_free(w->m, into, c->len * sizeof *into);
    if (rc) {
        mem_free(w->m, u, k * n * sizeof *u);
        mem_free(w->m, count, k * sizeof *count);
        return rc;
    }
    mem_free(w->m, w->cur_u, w->cur_len * n * sizeof *w->cur_u);
    mem_free(w->m, w->cur_count, w->cur_len * sizeof *w->cur_count);
    w->cur_u = u;
    w->cur_count = count;
    w->cur_len = k;
    lv->len = k;
    return 0;
}

/* Exact counts with GMP when a uint64 count overflowed: a forward pass over
 * the levels' (parent, group) pairs. */
static int recount_big(const level *levels, size_t n_levels, arena *out_arena, frontier *f)
{
    size_t prev_len = 1;
    mpz_t *prev = NULL;
    mpz_t one;
    mpz_init_set_ui(one, 1);
    mpz_t total;
    mpz_init(total);
    for (size_t L = 0; L < n_levels; L++) {
        const level *lv = &levels[L];
        mpz_t *cur = malloc(lv->len * sizeof *cur);
        if (!cur) {
            for (size_t j = 0; prev && j < prev_len; j++)
                mpz_clear(prev[j]);
            free(prev);
            mpz_clear(one);
            mpz_clear(total);
            return TRUCE_ENOMEM;
        }
        for (size_t j = 0; j < lv->len; j++) {
            mpz_init(cur[j]);
            for (uint32_t q = lv->pair_start[j]; q < lv->pair_start[j + 1]; q++)
                mpz_addmul_ui(cur[j], prev ? prev[lv->pair_parent[q]] : one,
                              lv->group_size[lv->pair_group[q]]);
        }
        for (size_t j = 0; prev && j < prev_len; j++)
            mpz_clear(prev[j]);
        free(prev);
        prev = cur;
        prev_len = lv->len;
    }
    for (size_t j = 0; j < prev_len; j++) {
        mpz_add(total, total, prev[j]);
        mpz_clear(prev[j]);
    }
    free(prev);
    char *s = arena_alloc(out_arena, mpz_sizeinbase(total, 10) + 2);
    if (s)
        mpz_get_str(s, 10, total);
    f->count = s;
    mpz_clear(one);
    mpz_clear(total);
    return s ? 0 : TRUCE_ENOMEM;
}

static int finish(work *w, const truce_scenario *s, level *levels, frontier *f, arena *out_arena)
{
    size_t n = w->n, ni = s->n_issues, k = w->cur_len;
    f->n_parties = n;
    f->n_issues = ni;
    f->len = k;
    f->u = arena_array(out_arena, k * n, sizeof *f->u);
    f->outcome = arena_array(out_arena, k * ni, sizeof *f->outcome);
    if (!f->u || !f->outcome)
        return TRUCE_ENOMEM;
    memcpy(f->u, w->cur_u, k * n * sizeof *f->u);
    for (size_t j = 0; j < k; j++) {
        size_t node = j;
        for (size_t L = ni; L-- > 0;) {
            uint32_t q = levels[L].pair_start[node];
            f->outcome[j * ni + L] = levels[L].group_first[levels[L].pair_group[q]];
            node = levels[L].pair_parent[q];
        }
    }
    if (w->overflow)
        return recount_big(levels, ni, out_arena, f);
    uint64_t total = 0;
    int big = 0;
    for (size_t j = 0; j < k; j++)
        if (__builtin_add_overflow(total, w->cur_count[j], &total))
            big = 1;
    if (big)
        return recount_big(levels, ni, out_arena, f);
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)total);
    f->count = arena_strdup(out_arena, buf);
    return f->count ? 0 : TRUCE_ENOMEM;
}

int merge_frontier(frontier *out, arena *out_arena, const frame *fr, size_t max_frontier,
                   truce_error *err)
{
    const truce_scenario *s = fr->s;
    const mem *m = &out_arena->m;
    arena tmp;
    arena_init(&tmp, m);
    /* the empty partial outcome: one vector of zeros (cur_len is 1 from the
     * start so that every exit frees the blocks with the sizes given) */
    work w = {m, fr->n, &tmp, NULL, NULL, 1, 0, fr->work};
    w.cur_u = mem_alloc(m, w.n * sizeof *w.cur_u);
    w.cur_count = mem_alloc(m, sizeof *w.cur_count);
    level *levels = arena_array(&tmp, s->n_issues, sizeof *levels);
    int rc = (!w.cur_u || !w.cur_count || !levels) ? TRUCE_ENOMEM : 0;
    if (rc == 0) {
        memset(w.cur_u, 0, w.n * sizeof *w.cur_u);
        w.cur_count[0] = 1;
    }
    for (size_t i = 0; i < s->n_issues && rc == 0; i++) {
        double *gv = NULL;
        if ((rc = issue_groups(&w, fr, i, &levels[i], &gv)) == TRUCE_ELIMIT)
            dominance_limit_error(err, w.budget);
        candidates c = {0, NULL, NULL, NULL};
        if (rc == 0 && (rc = build_candidates(&w, gv, levels[i].n_groups, &c)) == TRUCE_ELIMIT)
            error_set(err, TRUCE_ELIMIT, NULL, 0, "max_frontier",
                      "merging issue '%s' would combine %zu partial outcomes with %zu options, "
                      "more than 2^32 candidates",
                      s->issues[i].name, w.cur_len, levels[i].n_groups);
        if (rc == 0)
            rc = merge_step(&w, &c, &levels[i], max_frontier, err);
        free_candidates(m, &c, w.n);
    }
    if (rc == 0)
        rc = finish(&w, s, levels, out, out_arena);
    mem_free(m, w.cur_u, w.cur_len * w.n * sizeof *w.cur_u);
    mem_free(m, w.cur_count, w.cur_len * sizeof *w.cur_count);
    arena_release(&tmp);
    if (rc == TRUCE_ENOMEM)
        return error_nomem(err);
    return rc;
}
