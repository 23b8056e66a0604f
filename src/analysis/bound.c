/* bound.c: exact Pareto frontier of spaces too large to enumerate whose
 * utilities are sums of constraint terms (ANAC 2014 hyperrectangles) or linear
 * (when the cap at 1 binds): depth-first branch and bound over issues.
 *
 * Two ideas make it work. Options of an issue that no term and no linear
 * table tells apart form one class (explored once, counted with its size).
 * And every node has an upper bound on each party's utility (terms already
 * satisfied plus every term still possible, capped at 1): when a frontier
 * point found so far dominates that bound, no outcome below the node can be
 * Pareto-optimal or tie with one, so the node is pruned. A quick local search
 * seeds the frontier so that pruning starts at once. */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/constraint.h"
#include "../core/error.h"
#include "../core/expr.h"
#include "frontier.h"
#include "pareto.h"

/* Slack added to the bounds so that rounding in their running sums never
 * prunes a node that holds a frontier outcome. */
#define BOUND_SLACK 1e-9

typedef struct flat_term {
    uint32_t party;
    int exclusive;
    double value; /* utility * weights / maxutility */
    uint32_t n_bounds;
    uint32_t remaining; /* bounds on issues not yet assigned */
    uint32_t violated;  /* assigned bounds not holding */
} flat_term;

typedef struct issue_bound {
    uint32_t term;
    const unsigned char *inside; /* per class of the issue: the bound holds */
} issue_bound;

typedef struct issue_info {
    uint32_t n_classes;
    uint32_t *rep;  /* representative option of each class */
    uint64_t *size; /* options in each class */
    uint32_t n_bounds;
    issue_bound *bounds;
} issue_info;

typedef struct point {
    mpz_t count;
} point;

typedef struct search {
    const frame *fr;
    const truce_scenario *s;
    const mem *m;
    arena *tmp;
    size_t n, ni;
    flat_term *terms;
    size_t n_terms;
    uint32_t *bound_term;    /* every bound of every term: its term */
    const bound **bound_def; /* ... and its definition */
    size_t n_bound_refs;
    issue_info *info;   /* by issue */
    size_t *order;      /* issues in search order */
    double *sure;       /* per party: terms decided true, linear assigned sum */
    double *possible;   /* per party: what undecided terms and unassigned linear
                           issues can still add */
    double *linear_max; /* per issue and linear party: best table value */
    uint32_t *outcome;  /* current class representatives */
    uint32_t *classes;  /* current class per depth */
    double nodes, max_nodes;
    int limit_hit;
    int work_hit; /* the archive's comparisons passed fr->work's bound */
    /* frontier found so far */
    size_t len, cap;
    double *u;
    uint32_t *o;
    mpz_t *count;
    double *ub;   /* scratch */
    double *leaf; /* scratch */
    mpz_t mult;
} search;

static int sums_only(const ufun *f)
{
    if (f->aggregation != AGG_SUM && f->n_terms + f->n_children > 1)
        return 0;
    for (uint32_t j = 0; j < f->n_children; j++)
        if (!sums_only(&f->children[j]))
            return 0;
    return 1;
}

int bound_applies(const frame *fr)
{
    for (size_t k = 0; k < fr->n; k++) {
        const party *p = frame_party(fr, k);
        if (p->kind == TRUCE_PROFILE_NONLINEAR && !sums_only(&p->root))
            return 0;
    }
    return 1;
}

static size_t count_terms(const ufun *f, size_t *n_bounds)
{
    size_t n = f->n_terms;
    for (uint32_t j = 0; j < f->n_terms; j++)
        *n_bounds += f->terms[j].n_bounds;
    for (uint32_t j = 0; j < f->n_children; j++)
        n += count_terms(&f->children[j], n_bounds);
    return n;
}

/* Flatten a party's sum tree into terms, recording every bound with its term
 * (in w->bound_term / w->bound_def) for the per-issue index. */
static void flatten(search *w, const ufun *f, uint32_t owner, double factor, double max_utility)
{
    factor *= f->weight;
    for (uint32_t j = 0; j < f->n_terms; j++) {
        const term *t = &f->terms[j];
        uint32_t id = (uint32_t)w->n_terms++;
        flat_term *ft = &w->terms[id];
        ft->party = owner;
        ft->exclusive = t->exclusive;
        ft->value = t->utility * t->weight * factor / max_utility;
        ft->n_bounds = t->n_bounds;
        ft->remaining = t->n_bounds;
        ft->violated = 0;
        for (uint32_t b = 0; b < t->n_bounds; b++) {
            w->bound_term[w->n_bound_refs] = id;
            w->bound_def[w->n_bound_refs++] = &t->bounds[b];
        }
    }
    for (uint32_t j = 0; j < f->n_children; j++)
        flatten(w, &f->children[j], owner, factor, max_utility);
}

/* Term status: 1 true, 0 false, -1 undecided. */
static int status(const flat_term *t)
{
    if (t->exclusive) {
        if (t->violated)
            return 1;
        return t->remaining ? -1 : 0;
    }
    if (t->violated)
        return 0;
    return t->remaining ? -1 : 1;
}

static void contribute(search *w, const flat_term *t, double sign)
{
    int st = status(t);
    if (st == 1)
        w->sure[t->party] += sign * t->value;
    else if (st == -1 && t->value > 0)
        w->possible[t->party] += sign * t->value;
}

/* Option classes of issue i: the frame's options equal in every linear
 * table and on every bound of every term are merged. Signatures are compared after a sort. */
typedef struct option_sig {
    const double *key;
    size_t len;
    uint32_t option;
} option_sig;

static int compare_sig(const void *pa, const void *pb)
{
    const option_sig *a = pa, *b = pb;
    for (size_t j = 0; j < a->len; j++) {
        if (a->key[j] < b->key[j])
            return -1;
        if (a->key[j] > b->key[j])
            return 1;
    }
    return a->option < b->option ? -1 : a->option > b->option;
}

/* 1 when a rule across issues that binds the frame (a bargainer's hard condition, a scenario
 * constraint or a coalition member's acceptance, as constraint_cross_partial reads them) reads
 * issue i. */
static int read_across(const truce_scenario *s, size_t i)
{
    if (coalition_binds(s))
        return 1; /* each member of a bargaining unanimity coalition must accept: its own
                     utility, which the coalition's aggregate may not tell apart, reads every
                     issue */
    for (size_t c = 0; c < s->n_constraints; c++)
        for (uint32_t k = 0; !s->constraints[c].mask && k < s->constraints[c].rule.n_issues; k++)
            if (s->constraints[c].rule.issues[k] == i)
                return 1;
    for (size_t b = 0; b < s->n_bargainers; b++) {
        const party *p = &s->parties[s->bargainers[b]];
        for (uint32_t h = 0; h < p->n_hard; h++)
            for (uint32_t k = 0; p->hard[h].rule && k < p->hard[h].rule->n_issues; k++)
                if (p->hard[h].rule->issues[k] == i)
                    return 1;
    }
    return 0;
}

static int build_classes(search *w, size_t i, const uint32_t *bound_terms, const bound **bound_defs,
                         uint32_t nb)
{
    const truce_scenario *s = w->s;
    const issue *is = &s->issues[i];
    /* an issue a rule across issues reads keeps its options apart (the rule tells them apart) */
    int apart = w->fr->cross && read_across(s, i);
    size_t k_opts = w->fr->n_options[i], len = w->n + nb + (size_t)apart;
    int overflow = 0;
    size_t cells = mem_product(k_opts, len ? len : 1, &overflow);
    if (overflow || cells > 50000000)
        return TRUCE_ELIMIT;
    double *keys = arena_array(w->tmp, cells, sizeof *keys);
    option_sig *sig = arena_array(w->tmp, k_opts, sizeof *sig);
    if (!keys || !sig)
        return TRUCE_ENOMEM;
    for (size_t j = 0; j < k_opts; j++) {
        uint32_t k = w->fr->options[i][j];
        double *key = &keys[j * len];
        for (size_t p = 0; p < w->n; p++) {
            const party *pt = frame_party(w->fr, p);
            key[p] = pt->table ? pt->table[s->option_offset[i] + k] : 0;
        }
        int64_t v = is->kind == TRUCE_ISSUE_DISCRETE ? (int64_t)k : is->int_lower + (int64_t)k;
        for (uint32_t b = 0; b < nb; b++)
            key[w->n + b] = bound_defs[b]->allowed
                                ? bound_defs[b]->allowed[k] != 0
                                : (v >= bound_defs[b]->min && v <= bound_defs[b]->max);
        if (apart)
            key[w->n + nb] = (double)k;
        sig[j] = (option_sig){key, len, k};
    }
    qsort(sig, k_opts, sizeof *sig, compare_sig);
    issue_info *info = &w->info[i];
    uint32_t nc = 0;
    for (size_t k = 0; k < k_opts; k++)
        if (k == 0 || memcmp(sig[k].key, sig[k - 1].key, len * sizeof(double)) != 0)
            nc++;
    info->n_classes = nc;
    info->rep = arena_array(w->tmp, nc, sizeof *info->rep);
    info->size = arena_array(w->tmp, nc, sizeof *info->size);
    info->n_bounds = nb;
    info->bounds = arena_array(w->tmp, nb ? nb : 1, sizeof *info->bounds);
    unsigned char *inside = arena_array(w->tmp, (size_t)nb * nc + 1, 1);
    if (!info->rep || !info->size || !info->bounds || !inside)
        return TRUCE_ENOMEM;
    uint32_t c = 0;
    for (size_t k = 0; k < k_opts; k++) {
        if (k > 0 && memcmp(sig[k].key, sig[k - 1].key, len * sizeof(double)) != 0)
            c++;
        if (info->size[c]++ == 0) {
            info->rep[c] = sig[k].option;
            for (uint32_t b = 0; b < nb; b++)
                inside[(size_t)b * nc + c] = sig[k].key[w->n + b] != 0;
        }
    }
    for (uint32_t b = 0; b < nb; b++)
        info->bounds[b] = (issue_bound){bound_terms[b], &inside[(size_t)b * nc]};
    return 0;
}

/* Per issue, the bounds of every flattened term that constrain it. */
static int index_bounds(search *w)
{
    uint32_t *bt = arena_array(w->tmp, w->n_bound_refs + 1, sizeof *bt);
    const bound **bd = arena_array(w->tmp, w->n_bound_refs + 1, sizeof *bd);
    if (!bt || !bd)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < w->ni; i++) {
        uint32_t nb = 0;
        for (size_t q = 0; q < w->n_bound_refs; q++)
            if (w->bound_def[q]->issue == i) {
                bt[nb] = w->bound_term[q];
                bd[nb++] = w->bound_def[q];
            }
        int rc = build_classes(w, i, bt, bd, nb);
        if (rc)
            return rc;
    }
    return 0;
}

/* Search order: issues with the most bounds first (deciding terms early
 * tightens the bounds), then fewer classes first. */
typedef struct order_key {
    uint32_t n_bounds, n_classes;
    size_t issue;
} order_key;

static int compare_order(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    if (a->n_bounds != b->n_bounds)
        return a->n_bounds > b->n_bounds ? -1 : 1;
    if (a->n_classes != b->n_classes)
        return a->n_classes < b->n_classes ? -1 : 1;
    return a->issue < b->issue ? -1 : a->issue > b->issue;
}

static void frontier_free(search *w)
{
    for (size_t j = 0; j < w->len; j++)
        mpz_clear(w->count[j]);
    free(w->u);
    free(w->o);
    free(w->count);
    w->len = w->cap = 0;
    w->u = NULL;
    w->o = NULL;
    w->count = NULL;
}

/* Add an outcome's vector with multiplicity `mult` (mult may be 0 for seeds). */
static int frontier_insert(search *w, const double *u, const uint32_t *o, const mpz_t mult)
{
    size_t n = w->n;
    for (size_t j = 0; j < w->len; j++) {
        if (pareto_equal(&w->u[j * n], u, n)) {
            mpz_add(w->count[j], w->count[j], mult);
            return 0;
        }
        if (pareto_dominates(&w->u[j * n], u, n))
            return 0;
    }
    size_t keep = 0;
    for (size_t j = 0; j < w->len; j++) {
        if (pareto_dominates(u, &w->u[j * n], n)) {
            mpz_clear(w->count[j]);
            continue;
        }
        if (keep != j) {
            memcpy(&w->u[keep * n], &w->u[j * n], n * sizeof *w->u);
            memcpy(&w->o[keep * w->ni], &w->o[j * w->ni], w->ni * sizeof *w->o);
            memcpy(&w->count[keep], &w->count[j], sizeof *w->count);
        }
        keep++;
    }
    w->len = keep;
    if (w->len == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        double *nu = realloc(w->u, cap * n * sizeof *nu);
        if (nu)
            w->u = nu;
        uint32_t *no = realloc(w->o, cap * w->ni * sizeof *no);
        if (no)
            w->o = no;
        mpz_t *nc = realloc(w->count, cap * sizeof *nc);
        if (nc)
            w->count = nc;
        if (!nu || !no || !nc)
            return TRUCE_ENOMEM;
        w->cap = cap;
    }
    memcpy(&w->u[w->len * n], u, n * sizeof *u);
    memcpy(&w->o[w->len * w->ni], o, w->ni * sizeof *o);
    mpz_init_set(w->count[w->len], mult);
    w->len++;
    return 0;
}

static int pruned(search *w)
{
    size_t n = w->n;
    for (size_t p = 0; p < n; p++) {
        double b = w->sure[p] + w->possible[p] + BOUND_SLACK;
        w->ub[p] = b > 1 + BOUND_SLACK ? 1 + BOUND_SLACK : b;
    }
    for (size_t j = 0; j < w->len; j++)
        if (pareto_dominates(&w->u[j * n], w->ub, n))
            return 1;
    return 0;
}

static void assign(search *w, size_t i, uint32_t c, double sign)
{
    const issue_info *info = &w->info[i];
    for (uint32_t b = 0; b < info->n_bounds; b++) {
        flat_term *t = &w->terms[info->bounds[b].term];
        contribute(w, t, -1);
        if (sign > 0) {
            t->remaining--;
            t->violated += !info->bounds[b].inside[c];
        } else {
            t->remaining++;
            t->violated -= !info->bounds[b].inside[c];
        }
        contribute(w, t, 1);
    }
    for (size_t p = 0; p < w->n; p++) {
        const party *pt = frame_party(w->fr, p);
        if (!pt->table)
            continue;
        double v = pt->table[w->s->option_offset[i] + info->rep[c]];
        w->sure[p] += sign * v;
        w->possible[p] -= sign * w->linear_max[i * w->n + p];
    }
}

/* The archive is compared vector by vector at every node and leaf: that counts as work too
 * (with many parties the archive grows large, and nodes times archive was not bounded). */
static int over_work(search *w)
{
    dominance_work *b = w->fr->work;
    if (!b)
        return 0;
    b->done += (double)w->len + 1;
    return b->max > 0 && b->done > b->max;
}

/* With rules across issues (frame cross), the issues are decided from the last one down, so
 * that the decided ones are always those from some index up, as the three-valued evaluation of
 * constraint_cross_partial reads them: `holds` is 1 once every completion satisfies the rules,
 * and a node none of whose completions does is pruned (docs/analysis.md#branch-and-bound). */
static int visit(search *w, size_t depth, int holds)
{
    if (++w->nodes > w->max_nodes) {
        w->limit_hit = 1;
        return TRUCE_ELIMIT;
    }
    if (over_work(w)) {
        w->work_hit = 1;
        return TRUCE_ELIMIT;
    }
    if (depth == w->ni) {
        for (size_t p = 0; p < w->n; p++)
            w->leaf[p] = party_utility(w->s, frame_party(w->fr, p), w->outcome);
        mpz_set_ui(w->mult, 1);
        for (size_t d = 0; d < w->ni; d++) {
            size_t i = w->order[d];
            mpz_mul_ui(w->mult, w->mult, (unsigned long)w->info[i].size[w->classes[d]]);
        }
        return frontier_insert(w, w->leaf, w->outcome, w->mult);
    }
    if (pruned(w))
        return 0;
    size_t i = w->order[depth];
    for (uint32_t c = 0; c < w->info[i].n_classes; c++) {
        w->classes[depth] = c;
        w->outcome[i] = w->info[i].rep[c];
        int now = holds || !w->fr->cross ? EXPR_YES
                                         : constraint_cross_partial(w->s, w->outcome, (uint32_t)i);
        if (now == EXPR_NO)
            continue;
        assign(w, i, c, 1);
        int rc = visit(w, depth + 1, now == EXPR_YES);
        assign(w, i, c, -1);
        if (rc)
            return rc;
    }
    return 0;
}

static int setup(search *w)
{
    const truce_scenario *s = w->s;
    size_t n = w->n, ni = w->ni, n_terms = 0, n_bounds = 0;
    for (size_t p = 0; p < n; p++)
        if (frame_party(w->fr, p)->kind == TRUCE_PROFILE_NONLINEAR)
            n_terms += count_terms(&frame_party(w->fr, p)->root, &n_bounds);
    w->terms = arena_array(w->tmp, n_terms + 1, sizeof *w->terms);
    w->bound_term = arena_array(w->tmp, n_bounds + 1, sizeof *w->bound_term);
    w->bound_def = arena_array(w->tmp, n_bounds + 1, sizeof *w->bound_def);
    w->info = arena_array(w->tmp, ni, sizeof *w->info);
    w->order = arena_array(w->tmp, ni, sizeof *w->order);
    w->sure = arena_array(w->tmp, n, sizeof *w->sure);
    w->possible = arena_array(w->tmp, n, sizeof *w->possible);
    w->linear_max = arena_array(w->tmp, ni * n, sizeof *w->linear_max);
    w->outcome = arena_array(w->tmp, ni, sizeof *w->outcome);
    w->classes = arena_array(w->tmp, ni, sizeof *w->classes);
    w->ub = arena_array(w->tmp, n, sizeof *w->ub);
    w->leaf = arena_array(w->tmp, n, sizeof *w->leaf);
    if (!w->terms || !w->bound_term || !w->bound_def || !w->info || !w->order || !w->sure ||
        !w->possible || !w->linear_max || !w->outcome || !w->classes || !w->ub || !w->leaf)
        return TRUCE_ENOMEM;
    for (size_t p = 0; p < n; p++) {
        const party *pt = frame_party(w->fr, p);
        if (pt->kind == TRUCE_PROFILE_NONLINEAR)
            flatten(w, &pt->root, (uint32_t)p, 1.0, pt->max_utility);
    }
    int rc = index_bounds(w);
    if (rc)
        return rc;
    /* initial bounds: every term undecided (or decided, when it has no
     * bounds), every linear issue at its best option */
    for (size_t t = 0; t < w->n_terms; t++)
        contribute(w, &w->terms[t], 1);
    for (size_t i = 0; i < ni; i++)
        for (size_t p = 0; p < n; p++) {
            const party *pt = frame_party(w->fr, p);
            if (!pt->table)
                continue;
            double best = 0;
            for (uint32_t j = 0; j < w->fr->n_options[i]; j++) {
                double v = pt->table[s->option_offset[i] + w->fr->options[i][j]];
                if (v > best)
                    best = v;
            }
            w->linear_max[i * n + p] = best;
            w->possible[p] += best;
        }
    order_key *keys = arena_array(w->tmp, ni, sizeof *keys);
    if (!keys)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < ni; i++)
        keys[i] = (order_key){w->info[i].n_bounds, w->info[i].n_classes, i};
    qsort(keys, ni, sizeof *keys, compare_order);
    for (size_t i = 0; i < ni; i++)
        w->order[i] = w->fr->cross ? ni - 1 - i : keys[i].issue;
    return 0;
}

static int seed_frontier(search *w, uint64_t seed, truce_error *err)
{
    arena a;
    arena_init(&a, w->m);
    frontier f;
    int rc = search_frontier(&f, &a, w->fr, seed, 50, err);
    mpz_t zero;
    mpz_init(zero);
    for (size_t j = 0; rc == 0 && j < f.len; j++)
        rc = frontier_insert(w, &f.u[j * w->n], &f.outcome[j * w->ni], zero);
    mpz_clear(zero);
    arena_release(&a);
    return rc;
}

typedef struct sort_point {
    const double *u;
    size_t n;
    size_t index;
} sort_point;

static int compare_point(const void *pa, const void *pb)
{
    const sort_point *a = pa, *b = pb;
    return pareto_compare_desc(a->u, b->u, a->n);
}

static int finish(search *w, frontier *out, arena *out_arena)
{
    size_t n = w->n, ni = w->ni, k = 0;
    sort_point *sp = malloc((w->len ? w->len : 1) * sizeof *sp);
    if (!sp)
        return TRUCE_ENOMEM;
    mpz_t total;
    mpz_init(total);
    for (size_t j = 0; j < w->len; j++) {
        if (mpz_sgn(w->count[j]) == 0)
            continue; /* a seed never reached: cannot happen unless rounding */
        mpz_add(total, total, w->count[j]);
        sp[k++] = (sort_point){&w->u[j * n], n, j};
    }
    qsort(sp, k, sizeof *sp, compare_point);
    out->n_parties = n;
    out->n_issues = ni;
    out->len = k;
    out->u = arena_array(out_arena, k * n, sizeof *out->u);
    out->outcome = arena_array(out_arena, k * ni, sizeof *out->outcome);
    char *count = arena_alloc(out_arena, mpz_sizeinbase(total, 10) + 2);
    int rc = (!out->u || !out->outcome || !count) ? TRUCE_ENOMEM : 0;
    if (rc == 0) {
        for (size_t j = 0; j < k; j++) {
            memcpy(&out->u[j * n], sp[j].u, n * sizeof *out->u);
            memcpy(&out->outcome[j * ni], &w->o[sp[j].index * ni], ni * sizeof *out->outcome);
        }
        mpz_get_str(count, 10, total);
        out->count = count;
    }
    mpz_clear(total);
    free(sp);
    return rc;
}

int bound_frontier(frontier *out, arena *out_arena, const frame *fr, double max_nodes,
                   uint64_t seed, truce_error *err)
{
    const truce_scenario *s = fr->s;
    arena tmp;
    arena_init(&tmp, &out_arena->m);
    search w;
    memset(&w, 0, sizeof w);
    w.fr = fr;
    w.s = s;
    w.m = &out_arena->m;
    w.tmp = &tmp;
    w.n = fr->n;
    w.ni = s->n_issues;
    w.max_nodes = max_nodes;
    mpz_init(w.mult);
    int rc = setup(&w);
    if (rc == 0)
        rc = seed_frontier(&w, seed, err);
    if (rc == 0)
        rc = visit(&w, 0, 0);
    if (rc == 0)
        rc = finish(&w, out, out_arena);
    frontier_free(&w);
    mpz_clear(w.mult);
    arena_release(&tmp);
    if (rc == TRUCE_ELIMIT && w.work_hit)
        return dominance_limit_error(err, fr->work);
    if (rc == TRUCE_ELIMIT && w.limit_hit)
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "max_nodes",
                         "exact branch and bound gave up after %.0f nodes (--max-nodes)",
                         max_nodes);
    if (rc == TRUCE_ELIMIT)
        return error_set(err, TRUCE_ELIMIT, NULL, 0, NULL,
                         "an issue has too many options under too many constraints for "
                         "exact branch and bound");
    if (rc == TRUCE_ENOMEM)
        return error_nomem(err);
    return rc;
}
