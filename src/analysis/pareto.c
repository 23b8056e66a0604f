/* pareto.c: Pareto filtering with ties: a linear sweep for two parties once
 * sorted, and for three or more the dominance structure of dominance.c (the
 * pairwise filter it replaced stays as the reference its tests compare with). */
#include "pareto.h"

#include "dominance.h"

#include <stdlib.h>

#include "truce.h"

int pareto_dominates(const double *a, const double *b, size_t n)
{
    int strict = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] < b[i] - TRUCE_TOLERANCE)
            return 0;
        if (a[i] > b[i] + TRUCE_TOLERANCE)
            strict = 1;
    }
    return strict;
}

int pareto_equal(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] > b[i] + TRUCE_TOLERANCE || a[i] < b[i] - TRUCE_TOLERANCE)
            return 0;
    return 1;
}

int pareto_compare_desc(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] > b[i])
            return -1;
        if (a[i] < b[i])
            return 1;
    }
    return 0;
}

/* qsort has no context argument in C11: sort (vector, index) records. */
typedef struct sort_item {
    const double *u;
    size_t n;
    size_t index;
} sort_item;

static int compare_items(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    int c = pareto_compare_desc(a->u, b->u, a->n);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Two parties, inputs in descending order of u0: a vector survives when its
 * u1 beats every earlier one; kept vectors have increasing u1, so a tie can
 * only be with the last one kept. */
static void sweep2(const double *u, const size_t *order, size_t len, size_t *kept, long *into,
                   size_t *n_kept)
{
    size_t k = 0;
    for (size_t j = 0; j < len; j++) {
        size_t c = order ? order[j] : j;
        const double *v = &u[2 * c];
        if (k > 0) {
            const double *last = &u[2 * kept[k - 1]];
            if (pareto_equal(v, last, 2)) {
                into[c] = (long)(k - 1);
                continue;
            }
            if (v[1] <= last[1] + TRUCE_TOLERANCE) {
                into[c] = -1;
                continue;
            }
            /* v[0] may be within tolerance of last[0] while v[1] is higher:
             * then v dominates the earlier vectors it ties with on u0 */
            while (k > 0 && pareto_dominates(v, &u[2 * kept[k - 1]], 2)) {
                k--;
                for (size_t t = 0; t < j; t++) {
                    size_t d = order ? order[t] : t;
                    if (into[d] == (long)k)
                        into[d] = -1;
                }
            }
        }
        kept[k] = c;
        into[c] = (long)k;
        k++;
    }
    *n_kept = k;
}

/* How v and w compare, in one pass over the parties, with exactly the
 * comparisons pareto_equal(v, w), pareto_dominates(w, v) and
 * pareto_dominates(v, w) make (so results are the same as calling them). */
enum { REL_NONE = 0, REL_EQUAL = 1, REL_W_DOMINATES = 2, REL_V_DOMINATES = 4 };

static int relation(const double *v, const double *w, size_t n)
{
    int v_above = 0, v_below = 0, w_below = 0, w_above = 0;
    for (size_t i = 0; i < n; i++) {
        v_above |= v[i] > w[i] + TRUCE_TOLERANCE;
        v_below |= v[i] < w[i] - TRUCE_TOLERANCE;
        w_below |= w[i] < v[i] - TRUCE_TOLERANCE;
        w_above |= w[i] > v[i] + TRUCE_TOLERANCE;
        if (v_below && w_below)
            return REL_NONE;
    }
    int r = REL_NONE;
    if (!v_above && !v_below)
        r |= REL_EQUAL;
    if (!w_below && w_above)
        r |= REL_W_DOMINATES;
    if (!v_below && v_above)
        r |= REL_V_DOMINATES;
    return r;
}

/* Many parties: each vector, in descending order, against the kept ones.
 * The order in which kept vectors are tried does not change the outcome
 * (any dominating kept vector makes the vector dominated; a tie goes to the
 * highest position that equals it, as a scan in kept order would give), so
 * they are tried in `probe` order, where a kept vector moves forward each
 * time it dominates one: a few broad vectors dominate most of the others,
 * and are then found after a few comparisons instead of a scan. */
static void filter_n(const double *u, size_t n, const size_t *order, size_t len, size_t *kept,
                     long *into, size_t *probe, size_t *n_kept)
{
    size_t k = 0;
    for (size_t j = 0; j < len; j++) {
        size_t c = order[j];
        const double *v = &u[n * c];
        long tie = -1;
        int dominated = 0, dominates_kept = 0;
        for (size_t q = 0; q < k && !dominated; q++) {
            size_t t = probe[q];
            int r = relation(v, &u[n * kept[t]], n);
            if (r & REL_EQUAL) {
                tie = (long)t > tie ? (long)t : tie;
            } else if (r & REL_W_DOMINATES) {
                dominated = 1;
                probe[q] = probe[q / 2];
                probe[q / 2] = t;
            }
            dominates_kept |= (r & REL_V_DOMINATES) != 0;
        }
        if (dominated) {
            into[c] = -1;
            continue;
        }
        if (tie >= 0) {
            into[c] = tie;
            continue;
        }
        if (!dominates_kept) {
            kept[k] = c;
            into[c] = (long)k;
            probe[k] = k;
            k++;
            continue;
        }
        /* a later vector can still dominate an earlier one within the
         * tolerance on the sort key: drop those */
        size_t w = 0;
        for (size_t t = 0; t < k; t++) {
            if (pareto_dominates(v, &u[n * kept[t]], n)) {
                kept[t] = (size_t)-1;
                continue;
            }
            kept[w++] = kept[t];
        }
        if (w != k) {
            for (size_t t = 0; t < j; t++)
                into[order[t]] = -1;
            for (size_t t = 0; t < w; t++)
                into[kept[t]] = (long)t;
            /* ties merged into removed points are dominated too; ties into
             * surviving points keep their new position */
            for (size_t t = 0; t < j; t++) {
                size_t d = order[t];
                if (into[d] >= 0)
                    continue;
                for (size_t q = 0; q < w; q++)
                    if (pareto_equal(&u[n * d], &u[n * kept[q]], n)) {
                        into[d] = (long)q;
                        break;
                    }
            }
            k = w;
        }
        /* positions changed: probe in kept order again */
        for (size_t t = 0; t <= k; t++)
            probe[t] = t;
        kept[k] = c;
        into[c] = (long)k;
        k++;
    }
    *n_kept = k;
}

static int filter(const mem *m, const double *u, size_t n, size_t len, int sorted, size_t *kept,
                  long *into, size_t *n_kept, dominance_work *work, int pairwise)
{
    *n_kept = 0;
    if (len == 0)
        return 0;
    size_t *order = NULL;
    if (!sorted || n != 2) {
        int overflow = 0;
        size_t bytes = mem_product(len, sizeof(sort_item), &overflow);
        sort_item *items = overflow ? NULL : mem_alloc(m, bytes);
        order = mem_alloc(m, len * sizeof *order);
        if (!items || !order) {
            mem_free(m, items, bytes);
            mem_free(m, order, len * sizeof *order);
            return TRUCE_ENOMEM;
        }
        for (size_t c = 0; c < len; c++) {
            items[c].u = &u[n * c];
            items[c].n = n;
            items[c].index = c;
        }
        if (!sorted)
            qsort(items, len, sizeof *items, compare_items);
        for (size_t c = 0; c < len; c++)
            order[c] = items[c].index;
        mem_free(m, items, bytes);
    }
    if (n == 2)
        sweep2(u, order, len, kept, into, n_kept);
    else if (n == 1) {
        /* one party: the maxima */
        size_t k = 0;
        for (size_t j = 0; j < len; j++) {
            size_t c = order[j];
            if (k == 0 || pareto_equal(&u[c], &u[kept[0]], 1)) {
                if (k == 0)
                    kept[k++] = c;
                into[c] = 0;
            } else {
                into[c] = -1;
            }
        }
        *n_kept = k;
    } else if (!pairwise) {
        /* three or more parties: a dominance structure instead of every pair (dominance.c) */
        dominance_work unbounded = {0, 0};
        int rc = dominance_filter(m, u, n, order, len, kept, into, n_kept,
                                  work ? work : &unbounded);
        mem_free(m, order, len * sizeof *order);
        return rc;
    } else {
        size_t *probe = mem_alloc(m, len * sizeof *probe);
        if (!probe) {
            mem_free(m, order, len * sizeof *order);
            return TRUCE_ENOMEM;
        }
        filter_n(u, n, order, len, kept, into, probe, n_kept);
        mem_free(m, probe, len * sizeof *probe);
    }
    mem_free(m, order, len * sizeof *order);
    return 0;
}

int pareto_filter(const mem *m, const double *u, size_t n, size_t len, int sorted, size_t *kept,
                  long *into, size_t *n_kept)
{
    return filter(m, u, n, len, sorted, kept, into, n_kept, NULL, 0);
}

int pareto_filter_bounded(const mem *m, const double *u, size_t n, size_t len, int sorted,
                          size_t *kept, long *into, size_t *n_kept, dominance_work *work)
{
    return filter(m, u, n, len, sorted, kept, into, n_kept, work, 0);
}

int pareto_filter_pairwise(const mem *m, const double *u, size_t n, size_t len, int sorted,
                           size_t *kept, long *into, size_t *n_kept)
{
    return filter(m, u, n, len, sorted, kept, into, n_kept, NULL, 1);
}
