/* dominance.c: the Pareto filter for three or more parties (see dominance.h). The kept vectors
 * live in a bucketed k-d tree whose nodes carry their bounding boxes, so that "does a kept
 * vector dominate v?", "which kept vectors equal v?" and "which does v dominate?" visit only
 * the nodes whose box reaches the region asked about, instead of every kept vector.
 *
 * The results are those of the pairwise filter this replaces, exactly, ties and the tolerance
 * included. That filter took the vectors in descending order and, for each: dropped it when a
 * kept vector dominated it; else merged it into the last kept vector equal to it; else kept it,
 * first removing the kept vectors it dominated (possible only within the tolerance of the sort
 * key). Such a removal also re-derived every earlier vector's place: the first surviving kept
 * vector equal to it, or none. Each removal overwrites all earlier places, so only the last
 * one matters: it is applied once, at the end. */
#include "dominance.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pareto.h"
#include "truce.h"

#define BUCKET 16
#define NONE UINT32_MAX

typedef struct node {
    uint32_t child[2]; /* NONE for a leaf */
    uint32_t parent;
    uint32_t count; /* leaf: points in ids */
    uint32_t alive; /* alive points below */
    int axis;
    double split; /* internal: child[0] holds coordinates below split */
    uint32_t ids[BUCKET];
} node;

typedef struct tree {
    const mem *m;
    const double *u;
    size_t n;
    node *nodes;
    double *lo, *hi; /* n per node */
    size_t n_nodes, cap_nodes, cap_lo, cap_hi; /* capacities in nodes */
    uint32_t *leaf_of; /* per vector: its leaf (kept vectors only) */
    uint32_t *slot;    /* per vector: its rank among the kept, in order of keeping */
    unsigned char *alive;
    uint32_t *stack;
    size_t cap_stack;
    dominance_work *work;
} tree;

static const double *point_of(const tree *t, uint32_t c)
{
    return &t->u[(size_t)c * t->n];
}

/* Count work; 1 when the bound is passed. */
static int spend(tree *t, double units)
{
    t->work->done += units;
    return t->work->max > 0 && t->work->done > t->work->max;
}

static int grow(const mem *m, void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    void *q = mem_realloc(m, *p, *cap * elem, ncap * elem);
    if (!q)
        return TRUCE_ENOMEM;
    *p = q;
    *cap = ncap;
    return 0;
}

static int new_node(tree *t, uint32_t parent, uint32_t *out)
{
    size_t box = t->n * sizeof(double);
    if (grow(t->m, (void **)&t->nodes, &t->cap_nodes, t->n_nodes + 1, sizeof *t->nodes) ||
        grow(t->m, (void **)&t->lo, &t->cap_lo, t->n_nodes + 1, box) ||
        grow(t->m, (void **)&t->hi, &t->cap_hi, t->n_nodes + 1, box))
        return TRUCE_ENOMEM;
    uint32_t k = (uint32_t)t->n_nodes++;
    node *x = &t->nodes[k];
    memset(x, 0, sizeof *x);
    x->child[0] = x->child[1] = NONE;
    x->parent = parent;
    x->axis = -1;
    for (size_t i = 0; i < t->n; i++) {
        t->lo[k * t->n + i] = 1e300;
        t->hi[k * t->n + i] = -1e300;
    }
    *out = k;
    return 0;
}

static void widen(tree *t, uint32_t k, const double *v)
{
    double *lo = &t->lo[k * t->n], *hi = &t->hi[k * t->n];
    for (size_t i = 0; i < t->n; i++) {
        if (v[i] < lo[i])
            lo[i] = v[i];
        if (v[i] > hi[i])
            hi[i] = v[i];
    }
}

static int by_value(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* A full leaf becomes two: its alive points split at the median of the coordinate they spread
 * most on (the kept vectors differ pairwise, so some coordinate spreads). */
static int split_leaf(tree *t, uint32_t k)
{
    node *x = &t->nodes[k];
    uint32_t ids[BUCKET];
    uint32_t count = 0;
    for (uint32_t j = 0; j < x->count; j++)
        if (t->alive[x->ids[j]])
            ids[count++] = x->ids[j];
    if (count < BUCKET) { /* dead points made room */
        memcpy(x->ids, ids, count * sizeof *ids);
        x->count = count;
        return 0;
    }
    int axis = 0;
    double best = -1;
    for (size_t i = 0; i < t->n; i++) {
        double lo = point_of(t, ids[0])[i], hi = lo;
        for (uint32_t j = 1; j < count; j++) {
            double v = point_of(t, ids[j])[i];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        if (hi - lo > best) {
            best = hi - lo;
            axis = (int)i;
        }
    }
    double values[BUCKET];
    for (uint32_t j = 0; j < count; j++)
        values[j] = point_of(t, ids[j])[axis];
    qsort(values, count, sizeof *values, by_value);
    double split = values[count / 2];
    if (split <= values[0]) /* the lower half is all one value: split above it */
        for (uint32_t j = 1; j < count; j++)
            if (values[j] > values[0]) {
                split = values[j];
                break;
            }
    uint32_t a, b;
    if (new_node(t, k, &a) || new_node(t, k, &b))
        return TRUCE_ENOMEM;
    x = &t->nodes[k]; /* the array may have moved */
    x->axis = axis;
    x->split = split;
    x->child[0] = a;
    x->child[1] = b;
    x->count = 0;
    for (uint32_t j = 0; j < count; j++) {
        uint32_t c = ids[j];
        uint32_t to = point_of(t, c)[axis] < split ? a : b;
        node *leaf = &t->nodes[to];
        leaf->ids[leaf->count++] = c;
        leaf->alive++;
        widen(t, to, point_of(t, c));
        t->leaf_of[c] = to;
    }
    return 0;
}

static int insert(tree *t, uint32_t c)
{
    const double *v = point_of(t, c);
    uint32_t k = 0;
    for (;;) {
        node *x = &t->nodes[k];
        widen(t, k, v);
        x->alive++;
        if (x->axis < 0)
            break;
        k = x->child[v[x->axis] < x->split ? 0 : 1];
    }
    node *leaf = &t->nodes[k];
    if (leaf->count == BUCKET) {
        int rc = split_leaf(t, k);
        if (rc)
            return rc;
        leaf = &t->nodes[k];
        if (leaf->axis >= 0) { /* it split: go on down, the ancestors counted c already */
            k = leaf->child[v[leaf->axis] < leaf->split ? 0 : 1];
            widen(t, k, v);
            t->nodes[k].alive++;
            leaf = &t->nodes[k];
        }
    }
    leaf->ids[leaf->count++] = c;
    t->leaf_of[c] = k;
    return 0;
}

static void remove_point(tree *t, uint32_t c)
{
    t->alive[c] = 0;
    for (uint32_t k = t->leaf_of[c]; k != NONE; k = t->nodes[k].parent)
        t->nodes[k].alive--;
}

/* ---- queries: the nodes whose box reaches a region, alive points only ---- */

enum { REGION_ABOVE, REGION_BELOW, REGION_NEAR };

/* Whether node k's box can hold a point of the region around v: ABOVE, w_i >= v_i - tol for
 * every i (what may dominate or equal v); BELOW, w_i <= v_i + tol (what v may dominate); NEAR,
 * both (what may equal v). Points in boxes that reach are then tested exactly. */
static int reaches(const tree *t, uint32_t k, const double *v, int region)
{
    const double *lo = &t->lo[k * t->n], *hi = &t->hi[k * t->n];
    /* twice the tolerance: rounding in the filter's own comparisons (w - tol against v, or v
     * against w + tol) can never move a point across this line */
    for (size_t i = 0; i < t->n; i++) {
        if (region != REGION_BELOW && hi[i] < v[i] - 2 * TRUCE_TOLERANCE)
            return 0;
        if (region != REGION_ABOVE && lo[i] > v[i] + 2 * TRUCE_TOLERANCE)
            return 0;
    }
    return 1;
}

/* Visit the alive points of the region around v; visit(t, c, payload) returns 1 to stop.
 * Returns 1 when stopped, 0 when done, -1 (TRUCE_ENOMEM) or -2 (the work bound). */
static int each_in(tree *t, const double *v, int region, int (*visit)(tree *, uint32_t, void *),
                   void *payload)
{
    size_t top = 0;
    if (t->n_nodes == 0)
        return 0;
    if (grow(t->m, (void **)&t->stack, &t->cap_stack, 1, sizeof *t->stack))
        return -1;
    t->stack[top++] = 0;
    double units = 0;
    int rc = 0;
    while (top > 0 && rc == 0) {
        uint32_t k = t->stack[--top];
        const node *x = &t->nodes[k];
        units++;
        if (x->alive == 0 || !reaches(t, k, v, region))
            continue;
        if (x->axis < 0) {
            for (uint32_t j = 0; j < x->count && rc == 0; j++) {
                uint32_t c = x->ids[j];
                units++;
                if (t->alive[c] && visit(t, c, payload))
                    rc = 1;
            }
            continue;
        }
        if (grow(t->m, (void **)&t->stack, &t->cap_stack, top + 2, sizeof *t->stack))
            return -1;
        t->stack[top++] = x->child[0];
        t->stack[top++] = x->child[1];
    }
    if (spend(t, units))
        return -2;
    return rc;
}

/* Q1 and Q2 at once: a kept vector that dominates v (stop), else the last one kept equal to v. */
typedef struct above {
    const double *v;
    int dominated;
    long tie; /* slot, -1 when none */
} above;

static int visit_above(tree *t, uint32_t c, void *payload)
{
    above *a = payload;
    const double *w = point_of(t, c);
    if (pareto_dominates(w, a->v, t->n)) {
        a->dominated = 1;
        return 1;
    }
    if (pareto_equal(a->v, w, t->n) && (long)t->slot[c] > a->tie)
        a->tie = (long)t->slot[c];
    return 0;
}

/* Q3: the kept vectors v dominates (all, or only whether there is one). */
typedef struct below {
    const double *v;
    int all;
    uint32_t *found;
    size_t n_found, cap_found;
    const mem *m;
    int nomem;
} below;

static int visit_below(tree *t, uint32_t c, void *payload)
{
    below *b = payload;
    if (!pareto_dominates(b->v, point_of(t, c), t->n))
        return 0;
    if (!b->all) {
        b->n_found = 1;
        return 1;
    }
    if (grow(b->m, (void **)&b->found, &b->cap_found, b->n_found + 1, sizeof *b->found)) {
        b->nomem = 1;
        return 1;
    }
    b->found[b->n_found++] = c;
    return 0;
}

/* The first kept vector (lowest slot) below slot `before` equal to v, or -1. */
typedef struct near {
    const double *v;
    uint32_t before;
    long first; /* slot */
    uint32_t first_id;
} near;

static int visit_near(tree *t, uint32_t c, void *payload)
{
    near *q = payload;
    if (t->slot[c] < q->before && pareto_equal(q->v, point_of(t, c), t->n) &&
        (q->first < 0 || (long)t->slot[c] < q->first)) {
        q->first = (long)t->slot[c];
        q->first_id = c;
    }
    return 0;
}

static int query_rc(int r)
{
    return r == -1 ? TRUCE_ENOMEM : r == -2 ? TRUCE_ELIMIT : 0;
}

int dominance_filter(const mem *m, const double *u, size_t n, const size_t *order, size_t len,
                     size_t *kept, long *into, size_t *n_kept, dominance_work *work)
{
    *n_kept = 0;
    if (len == 0)
        return 0;
    if (len >= NONE)
        return TRUCE_ELIMIT;
    tree t = {m, u, n, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, work};
    t.leaf_of = mem_alloc(m, len * sizeof *t.leaf_of);
    t.slot = mem_alloc(m, len * sizeof *t.slot);
    t.alive = mem_alloc(m, len);
    /* per kept slot: the vector (slots are handed out in order) */
    uint32_t *by_slot = mem_alloc(m, len * sizeof *by_slot);
    uint32_t root;
    int rc = t.leaf_of && t.slot && t.alive && by_slot ? new_node(&t, NONE, &root) : TRUCE_ENOMEM;
    if (rc == 0)
        memset(t.alive, 0, len);
    below b = {NULL, 0, NULL, 0, 0, m, 0};
    uint32_t slots = 0;
    size_t last_removal = SIZE_MAX; /* position in order of the last vector that removed some */
    uint32_t removal_slot = 0;      /* that vector's slot */
    for (size_t j = 0; j < len && rc == 0; j++) {
        uint32_t c = (uint32_t)order[j];
        const double *v = point_of(&t, c);
        above a = {v, 0, -1};
        if ((rc = query_rc(each_in(&t, v, REGION_ABOVE, visit_above, &a))))
            break;
        if (a.dominated) {
            into[c] = -1;
            continue;
        }
        if (a.tie >= 0) {
            into[c] = a.tie; /* a slot for now */
            continue;
        }
        b.v = v;
        b.all = 0;
        b.n_found = 0;
        if ((rc = query_rc(each_in(&t, v, REGION_BELOW, visit_below, &b))))
            break;
        if (b.n_found) { /* rare: within the tolerance of the sort key */
            b.all = 1;
            b.n_found = 0;
            if ((rc = query_rc(each_in(&t, v, REGION_BELOW, visit_below, &b))))
                break;
            if (b.nomem) {
                rc = TRUCE_ENOMEM;
                break;
            }
            for (size_t q = 0; q < b.n_found; q++)
                remove_point(&t, b.found[q]);
            last_removal = j;
            removal_slot = slots;
        }
        t.slot[c] = slots;
        by_slot[slots++] = c;
        t.alive[c] = 1;
        into[c] = (long)t.slot[c];
        if ((rc = insert(&t, c)))
            break;
    }
    /* the vectors before the last removal: the first survivor equal to each, or none */
    for (size_t j = 0; rc == 0 && last_removal != SIZE_MAX && j < last_removal; j++) {
        uint32_t c = (uint32_t)order[j];
        near q = {point_of(&t, c), removal_slot, -1, 0};
        if ((rc = query_rc(each_in(&t, point_of(&t, c), REGION_NEAR, visit_near, &q))))
            break;
        into[c] = q.first;
    }
    if (rc == 0) {
        /* slots to positions among the survivors; places that point at a removed vector,
         * after the last removal, cannot be (they were found among the alive) */
        long *position = mem_alloc(m, (slots ? slots : 1) * sizeof *position);
        if (!position) {
            rc = TRUCE_ENOMEM;
        } else {
            size_t k = 0;
            for (uint32_t s = 0; s < slots; s++) {
                uint32_t c = by_slot[s];
                position[s] = t.alive[c] ? (long)k : -1;
                if (t.alive[c])
                    kept[k++] = c;
            }
            for (size_t j = 0; j < len; j++) {
                uint32_t c = (uint32_t)order[j];
                if (into[c] >= 0)
                    into[c] = position[into[c]];
            }
            *n_kept = k;
            mem_free(m, position, (slots ? slots : 1) * sizeof *position);
        }
    }
    mem_free(m, b.found, b.cap_found * sizeof *b.found);
    mem_free(m, t.stack, t.cap_stack * sizeof *t.stack);
    mem_free(m, t.nodes, t.cap_nodes * sizeof *t.nodes);
    mem_free(m, t.lo, t.cap_lo * n * sizeof *t.lo);
    mem_free(m, t.hi, t.cap_hi * n * sizeof *t.hi);
    mem_free(m, t.leaf_of, len * sizeof *t.leaf_of);
    mem_free(m, t.slot, len * sizeof *t.slot);
    mem_free(m, t.alive, len);
    mem_free(m, by_slot, len * sizeof *by_slot);
    return rc;
}

int dominance_limit_error(truce_error *err, const dominance_work *work)
{
    if (!work) /* more vectors than the filter indexes (2^32), with no work bound given */
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "max_frontier",
                         "more than 2^32 utility vectors to filter for the Pareto frontier");
    return error_set(err, TRUCE_ELIMIT, NULL, 0, "max_work",
                     "exact analysis did more than the limit max_work = %.4g units of work "
                     "(vectors compared and tree steps, finding the Pareto frontier); raise it "
                     "(--max-work N) or use approximate mode (--approximate)",
                     work->max);
}
