/* space.c: truce_space, built once per scenario and shared read-only by all
 * negotiations on it: outcomes sorted by each who's utility (or a search
 * for spaces too large to tabulate), best outcomes, and the frontier. Each
 * party's tables, searches and random bids keep to the outcomes its own hard
 * conditions allow, so an agent bidding from them never offers what its
 * party vetoes. */
#include "space.h"

#include <gmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/decision.h"
#include "../core/constraint.h"
#include "../core/error.h"

uint64_t space_encode(const truce_space *sp, const uint32_t *outcome)
{
    uint64_t x = 0;
    for (size_t i = 0; i < sp->ni; i++)
        x += outcome[i] * sp->stride[i];
    return x;
}

/* Tabulated spaces have fewer than 2^32 outcomes, so an index x fits 32 bits and, with
 * c = ceil(2^64 / k) for k >= 2, floor(x / k) = floor(c x / 2^64) exactly (Lemire, Kaser and
 * Kurz, "Faster remainder by direct computation", Software: Practice and Experience 49(6),
 * 2019, theorem 1 with N = 32, F = 64): a multiplication instead of a 64-bit division per issue,
 * which agents decoding many candidate bids per turn pay for most. */
void space_decode(const truce_space *sp, uint64_t index, uint32_t *outcome)
{
    if (sp->reciprocal && index <= UINT32_MAX) {
        uint32_t x = (uint32_t)index;
        for (size_t i = 0; i < sp->ni; i++)
            outcome[i] = space_digit(sp->reciprocal[i], sp->s->issues[i].n_options, &x);
        return;
    }
    for (size_t i = 0; i < sp->ni; i++) {
        uint32_t k = sp->s->issues[i].n_options;
        outcome[i] = (uint32_t)(index % k);
        index /= k;
    }
}

double space_utility(const truce_space *sp, size_t who, const uint32_t *outcome)
{
    return party_utility(sp->s, &sp->s->parties[who], outcome);
}

uint64_t space_bid_count(const truce_space *sp, size_t who)
{
    return sp->n_bids[who];
}

uint64_t space_count_at_least(const truce_space *sp, size_t who, double target)
{
    return space_count_at_least_below(sp, who, target, sp->n_bids[who]);
}

uint64_t space_count_at_least_below(const truce_space *sp, size_t who, double target,
                                    uint64_t limit)
{
    /* sorted_u is descending: the first index below limit with u < target */
    return sorted_first_below(sp->sorted_u[who], 0, limit, target);
}

double space_kth_best(const truce_space *sp, size_t who, uint64_t k, uint32_t *out)
{
    uint64_t n = sp->n_bids[who];
    if (k >= n) {
        if (n == 0) {
            /* the party's own hard conditions allow nothing: its best guess */
            memcpy(out, &sp->best[who * sp->ni], sp->ni * sizeof *out);
            return sp->best_u[who];
        }
        k = n - 1;
    }
    space_decode(sp, sp->sorted[who][k], out);
    return sp->sorted_u[who][k];
}

/* Whether who's own hard conditions allow option k of issue i (every option
 * of an issue where they allow none: the party cannot comply there anyway). */
static int option_allowed(const truce_space *sp, size_t who, size_t i, uint32_t k)
{
    const unsigned char *allowed = sp->s->parties[who].allowed;
    return !allowed || !sp->n_options[who][i] || allowed[sp->s->option_offset[i] + k];
}

/* A uniformly random option of issue i among those who allows (drawing
 * exactly as before for a party without hard conditions). */
static uint32_t random_option(const truce_space *sp, size_t who, size_t i, rng *r)
{
    if (!sp->options[who] || !sp->n_options[who][i])
        return (uint32_t)rng_below(r, sp->s->issues[i].n_options);
    uint32_t k = (uint32_t)rng_below(r, sp->n_options[who][i]);
    return sp->options[who][sp->s->option_offset[i] + k];
}

/* Whether who's own hard conditions allow outcome o, and the scenario's
 * constraints (which bind every party). */
static int outcome_allowed(const truce_space *sp, size_t who, const uint32_t *o)
{
    const party *pt = &sp->s->parties[who];
    const unsigned char *allowed = pt->allowed;
    for (size_t i = 0; allowed && i < sp->ni; i++)
        if (!allowed[sp->s->option_offset[i] + o[i]])
            return 0;
    return !constraint_party_limited(sp->s, pt) || constraint_party_allows(sp->s, pt, o);
}

/* Random walk down from the best outcome: single-option changes (among the
 * options who allows) that keep the utility at least `target` and lower it
 * are taken. */
static double walk_down(const truce_space *sp, size_t who, double target, rng *r, uint32_t *out,
                        int random_moves)
{
    memcpy(out, &sp->best[who * sp->ni], sp->ni * sizeof *out);
    double u = sp->best_u[who];
    size_t steps = 8 * sp->ni + 16;
    for (size_t k = 0; k < steps; k++) {
        size_t i = (size_t)rng_below(r, sp->ni);
        uint32_t keep = out[i];
        out[i] = random_option(sp, who, i, r);
        double v = space_utility(sp, who, out);
        if (v >= target && (random_moves || v <= u) && outcome_allowed(sp, who, out))
            u = v;
        else
            out[i] = keep;
    }
    return u;
}

double space_bid_at_least(const truce_space *sp, size_t who, double target, rng *r, uint32_t *out)
{
    if (target >= sp->best_u[who]) {
        memcpy(out, &sp->best[who * sp->ni], sp->ni * sizeof *out);
        return sp->best_u[who];
    }
    if (sp->tabulated) {
        uint64_t count = space_count_at_least(sp, who, target);
        return space_kth_best(sp, who, count ? count - 1 : 0, out);
    }
    return walk_down(sp, who, target, r, out, 0);
}

double space_bid_at_least_count(const truce_space *sp, size_t who, double target, rng *r,
                                uint32_t *out, uint64_t *count)
{
    *count = sp->tabulated ? space_count_at_least(sp, who, target) : 0;
    if (!sp->tabulated || target >= sp->best_u[who])
        return space_bid_at_least(sp, who, target, r, out);
    return space_kth_best(sp, who, *count ? *count - 1 : 0, out);
}

double space_random_at_least(const truce_space *sp, size_t who, double floor, rng *r, uint32_t *out)
{
    if (sp->tabulated) {
        uint64_t count = space_count_at_least(sp, who, floor);
        return space_kth_best(sp, who, count ? rng_below(r, count) : 0, out);
    }
    return walk_down(sp, who, floor, r, out, 1);
}

/* GENIUS's nearest bid (SortedOutcomeSpace.getBidNearUtility), as observed:
 * a bisection of the descending list that stops at a probe whose utility
 * equals the target, or else ends on the last bid with utility above the
 * target (the first bid when none is); then the bid just below that
 * position replaces it when strictly nearer the target. */
static uint64_t genius_position(const double *u, uint64_t n, double target)
{
    uint64_t lo = 0, hi = n - 1;
    int64_t probe = -1, previous;
    do {
        previous = probe;
        probe = (int64_t)((lo + hi) / 2);
        double v = u[probe];
        if (v == target)
            return (uint64_t)probe;
        if (v < target)
            hi = (uint64_t)probe;
        else
            lo = (uint64_t)probe;
    } while (probe != previous);
    return (uint64_t)probe;
}

double space_bid_nearest(const truce_space *sp, size_t who, double target, rng *r, uint32_t *out)
{
    uint64_t n = sp->tabulated ? sp->n_bids[who] : 0;
    if (n == 0) /* searched, or nothing the party's own conditions allow */
        return space_bid_at_least(sp, who, target, r, out);
    /* only the bids who's own hard conditions allow are in its table */
    const double *u = sp->sorted_u[who];
    uint64_t k = genius_position(u, n, target);
    if (k + 1 < n && fabs(u[k + 1] - target) < fabs(u[k] - target))
        k++;
    return space_kth_best(sp, who, k, out);
}

/* Java's String.hashCode of a UTF-8 label: s[0] 31^(n-1) + ... + s[n-1] over
 * its UTF-16 code units, in 32-bit arithmetic. A byte that does not start a
 * whole UTF-8 sequence counts alone (the loaders accept valid UTF-8 only). */
static uint32_t java_string_hash(const char *text)
{
    uint32_t h = 0;
    const unsigned char *c = (const unsigned char *)text;
    while (*c) {
        uint32_t cp = *c, extra = 0;
        if (cp >= 0xF0)
            cp &= 0x07, extra = 3;
        else if (cp >= 0xE0)
            cp &= 0x0F, extra = 2;
        else if (cp >= 0xC0)
            cp &= 0x1F, extra = 1;
        size_t len = 1;
        while (len <= extra && (c[len] & 0xC0) == 0x80) {
            cp = (cp << 6) | (c[len] & 0x3F);
            len++;
        }
        if (len != extra + 1) {
            cp = *c;
            len = 1;
        }
        c += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = 31 * h + (0xD800 + (cp >> 10));
            h = 31 * h + (0xDC00 + (cp & 0x3FF));
        } else {
            h = 31 * h + cp;
        }
    }
    return h;
}

/* Per option, what it adds to GENIUS's bid hash: ValueDiscrete hashes its
 * label; ValueInteger hashes to 0; ValueReal keeps Java's identity hash,
 * which no program can reproduce: 0 here. Summed over a bid's options. */
static uint32_t *option_hashes(truce_space *sp)
{
    const truce_scenario *s = sp->s;
    uint32_t *h = arena_array(&sp->a, s->total_options ? s->total_options : 1, sizeof *h);
    for (size_t i = 0; h && i < sp->ni; i++)
        for (uint32_t k = 0; k < s->issues[i].n_options; k++)
            h[s->option_offset[i] + k] = s->issues[i].kind == TRUCE_ISSUE_DISCRETE
                                             ? java_string_hash(s->issues[i].labels[k])
                                             : 0;
    return h;
}

/* BidDetails.hashCode of a bid with utility u and time -1, which GENIUS's
 * BidDetailsSorterUtility compares (as signed integers) among equal utilities. */
static int32_t genius_key(uint32_t bid_hash, double u)
{
    uint64_t bits, minus_one;
    double m1 = -1.0;
    memcpy(&bits, &u, sizeof bits);
    memcpy(&minus_one, &m1, sizeof minus_one);
    uint32_t h = 31 + bid_hash;
    h = 31 * h + (uint32_t)(bits ^ (bits >> 32));
    h = 31 * h + (uint32_t)(minus_one ^ (minus_one >> 32));
    return (int32_t)h;
}

typedef struct ranked {
    double u;
    int32_t key; /* 0 unless ties follow GENIUS */
    uint32_t index;
} ranked;

static int compare_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->u != b->u)
        return a->u > b->u ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int tabulate(truce_space *sp, int ties)
{
    const truce_scenario *s = sp->s;
    uint64_t N = sp->n_outcomes;
    sp->sorted = arena_array(&sp->a, sp->n, sizeof *sp->sorted);
    sp->sorted_u = arena_array(&sp->a, sp->n, sizeof *sp->sorted_u);
    ranked *tmp = mem_alloc(&sp->a.m, N * sizeof *tmp);
    uint32_t *o = arena_array(&sp->a, sp->ni, sizeof *o);
    uint32_t *hashes = ties == TRUCE_TIES_GENIUS ? option_hashes(sp) : NULL;
    if (!sp->sorted || !sp->sorted_u || !tmp || !o || (ties == TRUCE_TIES_GENIUS && !hashes)) {
        mem_free(&sp->a.m, tmp, N * sizeof *tmp);
        return TRUCE_ENOMEM;
    }
    for (size_t p = 0; p < sp->n; p++) {
        /* only the outcomes p's own hard conditions allow */
        int vetoes = s->parties[p].allowed != NULL || constraint_party_limited(s, &s->parties[p]);
        uint64_t m = 0;
        memset(o, 0, sp->ni * sizeof *o);
        for (uint64_t x = 0; x < N; x++) {
            if (!vetoes || outcome_allowed(sp, p, o)) {
                tmp[m].u = party_utility(s, &s->parties[p], o);
                tmp[m].index = (uint32_t)x;
                tmp[m].key = 0;
                if (hashes) {
                    uint32_t h = 0;
                    for (size_t i = 0; i < sp->ni; i++)
                        h += hashes[s->option_offset[i] + o[i]];
                    tmp[m].key = genius_key(h, tmp[m].u);
                }
                m++;
            }
            for (size_t i = 0; i < sp->ni && ++o[i] == s->issues[i].n_options; i++)
                o[i] = 0;
        }
        qsort(tmp, m, sizeof *tmp, compare_ranked);
        sp->sorted[p] = arena_array(&sp->a, m ? m : 1, sizeof **sp->sorted);
        sp->sorted_u[p] = arena_array(&sp->a, m ? m : 1, sizeof **sp->sorted_u);
        if (!sp->sorted[p] || !sp->sorted_u[p]) {
            mem_free(&sp->a.m, tmp, N * sizeof *tmp);
            return TRUCE_ENOMEM;
        }
        for (uint64_t x = 0; x < m; x++) {
            sp->sorted[p][x] = tmp[x].index;
            sp->sorted_u[p][x] = tmp[x].u;
        }
        sp->n_bids[p] = m;
        if (m == 0) {
            /* p's own conditions exclude every outcome (they contradict
             * each other): nothing to bid; keep the first outcome */
            memset(&sp->best[p * sp->ni], 0, sp->ni * sizeof *sp->best);
            sp->best_u[p] = sp->worst_u[p] =
                party_utility(s, &s->parties[p], &sp->best[p * sp->ni]);
            continue;
        }
        space_decode(sp, tmp[0].index, &sp->best[p * sp->ni]);
        sp->best_u[p] = tmp[0].u;
        sp->worst_u[p] = tmp[m - 1].u;
    }
    mem_free(&sp->a.m, tmp, N * sizeof *tmp);
    return 0;
}

/* Best outcome of each who without tabulating, within its own hard
 * conditions: per-issue maxima over the allowed options for linear profiles,
 * hill climbing from seeded random starts otherwise. */
static void find_best(truce_space *sp)
{
    const truce_scenario *s = sp->s;
    rng r;
    rng_seed(&r, 0x7472756365ULL);
    for (size_t p = 0; p < sp->n; p++) {
        uint32_t *b = &sp->best[p * sp->ni];
        const party *pt = &s->parties[p];
        if (pt->kind == TRUCE_PROFILE_LINEAR) {
            for (size_t i = 0; i < sp->ni; i++) {
                uint32_t arg = 0;
                while (!option_allowed(sp, p, i, arg))
                    arg++;
                for (uint32_t k = arg + 1; k < s->issues[i].n_options; k++)
                    if (option_allowed(sp, p, i, k) &&
                        pt->table[s->option_offset[i] + k] > pt->table[s->option_offset[i] + arg])
                        arg = k;
                b[i] = arg;
            }
            sp->best_u[p] = party_utility(s, pt, b);
            continue;
        }
        double best = -1;
        uint32_t cur[4096];
        uint32_t *c = sp->ni <= 4096 ? cur : NULL;
        for (int start = 0; c && start < 20; start++) {
            for (size_t i = 0; i < sp->ni; i++)
                c[i] = random_option(sp, p, i, &r);
            double u = party_utility(s, pt, c);
            for (int improved = 1; improved;) {
                improved = 0;
                for (size_t i = 0; i < sp->ni; i++)
                    for (uint32_t k = 0; k < s->issues[i].n_options; k++) {
                        if (!option_allowed(sp, p, i, k))
                            continue;
                        uint32_t keep = c[i];
                        c[i] = k;
                        double v = party_utility(s, pt, c);
                        if (v > u) {
                            u = v;
                            improved = 1;
                        } else {
                            c[i] = keep;
                        }
                    }
            }
            if (u > best) {
                best = u;
                memcpy(b, c, sp->ni * sizeof *b);
            }
        }
        sp->best_u[p] = best < 0 ? party_utility(s, pt, b) : best;
    }
}

/* Under a decision rule, the Nash point is the rule's (docs/analysis.md#decision-rules: over
 * the deciders among decided outcomes), found by enumeration; none (nash_distance null) when
 * nothing is decided, no principal decides, or the space is larger than the analysis enumerates.
 * The frontier is that of the decided outcomes; none (pareto_distance null) past
 * RULE_FRONTIER_POINTS decided outcomes. */
#define RULE_FRONTIER_POINTS 1000000
static int rule_nash(truce_space *sp, truce_error *err)
{
    const truce_scenario *s = sp->s;
    truce_analysis_options o = TRUCE_ANALYSIS_OPTIONS_INIT;
    uint32_t *at = arena_array(&sp->a, sp->ni ? sp->ni : 1, sizeof *at);
    if (!at)
        return error_nomem(err);
    int rc = decision_point(s, 0, o.max_outcomes, 0, at, err);
    if (rc < 0 && rc != TRUCE_ELIMIT)
        return rc;
    error_clear(err);
    sp->has_nash = rc == 1;
    for (size_t b = 0; sp->has_nash && b < s->n_bargainers; b++)
        sp->nash[b] = party_utility(s, &s->parties[s->bargainers[b]], at);
    /* the frontier too: that of the decided outcomes */
    double *front = NULL;
    size_t k = 0, nb = s->n_bargainers;
    rc = decision_frontier(s, 0, o.max_outcomes, RULE_FRONTIER_POINTS, &front, &k, err);
    if (rc < 0 && rc != TRUCE_ELIMIT)
        return rc;
    error_clear(err);
    sp->n_front = 0;
    if (rc == 1 && (sp->front = arena_array(&sp->a, k * nb, sizeof *sp->front)) == NULL) {
        free(front);
        return error_nomem(err);
    }
    if (rc == 1) {
        memcpy(sp->front, front, k * nb * sizeof *front);
        sp->n_front = k;
    }
    free(front);
    return 0;
}

/* The frontier and the Nash point of the shared analysis (over the
 * bargainers, among feasible outcomes: docs/analysis.md), kept in the
 * bargainers' coordinates, which are the seats of a negotiation. */
static int score_tables(truce_space *sp, truce_error *err)
{
    truce_analysis_options o = TRUCE_ANALYSIS_OPTIONS_INIT;
    o.approximate = 1;
    o.max_nodes = 2e6;
    /* the caller's allocator serves the analysis too (it is freed below) */
    truce_allocator allocator = {sp->a.m.fn, sp->a.m.payload};
    o.allocator = &allocator;
    truce_analysis *an = NULL;
    int rc = truce_analyze(&an, sp->s, &o, err);
    if (rc)
        return rc;
    const truce_scenario *s = sp->s;
    size_t k = truce_analysis_pareto_size(an), nb = s->n_bargainers;
    sp->front = arena_array(&sp->a, k && nb ? k * nb : 1, sizeof *sp->front);
    sp->nash = arena_array(&sp->a, nb ? nb : 1, sizeof *sp->nash);
    double *all = arena_array(&sp->a, sp->n ? sp->n : 1, sizeof *all);
    if (!sp->front || !sp->nash || !all) {
        truce_analysis_free(an);
        return error_nomem(err);
    }
    for (size_t j = 0; j < k; j++) {
        const double *point = truce_analysis_pareto_point(an, j);
        for (size_t b = 0; b < nb; b++)
            sp->front[j * nb + b] = point[s->bargainers[b]];
    }
    sp->n_front = k;
    sp->n_scored = nb;
    sp->has_nash = truce_analysis_solution(an, TRUCE_SOLUTION_NASH, all, NULL, NULL) == 1;
    for (size_t b = 0; sp->has_nash && b < nb; b++)
        sp->nash[b] = all[s->bargainers[b]];
    sp->analyzed = 1;
    truce_analysis_free(an);
    return scenario_has_rule(s) ? rule_nash(sp, err) : 0;
}

/* Each party's allowed options per issue (parties with hard conditions). */
static int list_options(truce_space *sp)
{
    const truce_scenario *s = sp->s;
    sp->n_bids = arena_array(&sp->a, sp->n ? sp->n : 1, sizeof *sp->n_bids);
    sp->options = arena_array(&sp->a, sp->n ? sp->n : 1, sizeof *sp->options);
    sp->n_options = arena_array(&sp->a, sp->n ? sp->n : 1, sizeof *sp->n_options);
    if (!sp->n_bids || !sp->options || !sp->n_options)
        return TRUCE_ENOMEM;
    for (size_t p = 0; p < sp->n; p++) {
        const unsigned char *allowed = s->parties[p].allowed;
        if (!allowed)
            continue;
        uint32_t *list = arena_array(&sp->a, s->total_options ? s->total_options : 1, sizeof *list);
        uint32_t *count = arena_array(&sp->a, sp->ni ? sp->ni : 1, sizeof *count);
        if (!list || !count)
            return TRUCE_ENOMEM;
        for (size_t i = 0; i < sp->ni; i++) {
            count[i] = 0;
            for (uint32_t k = 0; k < s->issues[i].n_options; k++)
                if (allowed[s->option_offset[i] + k])
                    list[s->option_offset[i] + count[i]++] = k;
        }
        sp->options[p] = list;
        sp->n_options[p] = count;
    }
    return 0;
}

/* The groups of sp->groups (see space.h): pairs of consecutive issues while their option counts
 * multiply to at most SPACE_PAIR_RADIX, else one issue; none when an issue has a single option
 * (its digit is 0 without a division). 1 when out of memory. */
static int group_issues(truce_space *sp)
{
    const truce_scenario *s = sp->s;
    sp->n_groups = 0;
    for (size_t i = 0; i < sp->ni; i++)
        if (s->issues[i].n_options < 2)
            return 0;
    /* at most one group per issue */
    space_group *g = arena_array(&sp->a, sp->ni ? sp->ni : 1, sizeof *g);
    if (!g)
        return 1;
    size_t ng = 0;
    for (size_t i = 0; i < sp->ni; ng++) {
        uint32_t na = s->issues[i].n_options, radix = na;
        int pair = i + 1 < sp->ni && (uint64_t)na * s->issues[i + 1].n_options <= SPACE_PAIR_RADIX;
        g[ng].issue = (uint32_t)i;
        g[ng].slot = NULL;
        if (pair) {
            radix *= s->issues[i + 1].n_options;
            uint32_t *slot = arena_array(&sp->a, 2 * (size_t)radix, sizeof *slot);
            if (!slot)
                return 1;
            for (uint32_t d = 0; d < radix; d++) {
                slot[2 * d] = s->option_offset[i] + d % na;
                slot[2 * d + 1] = s->option_offset[i + 1] + d / na;
            }
            g[ng].slot = slot;
        }
        g[ng].radix = radix;
        g[ng].reciprocal = UINT64_MAX / radix + 1;
        i += pair ? 2 : 1;
    }
    sp->groups = g;
    sp->n_groups = ng;
    return 0;
}

int truce_space_create(truce_space **out, const truce_scenario *s, const truce_space_options *opts,
                       truce_error *err)
{
    error_clear(err);
    truce_space_options defaults = TRUCE_SPACE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (!out || !s)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (opts->version != TRUCE_SPACE_OPTIONS_VERSION && opts->version != 1)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_space_options version %d is not %d", opts->version,
                         TRUCE_SPACE_OPTIONS_VERSION);
    int ties = opts->version >= 2 ? opts->ties : TRUCE_TIES_INDEX;
    if (ties != TRUCE_TIES_INDEX && ties != TRUCE_TIES_GENIUS)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "ties",
                         "truce_space_options ties %d is not TRUCE_TIES_INDEX or TRUCE_TIES_GENIUS",
                         ties);
    mem m;
    mem_init(&m, opts->allocator);
    arena a;
    arena_init(&a, &m);
    truce_space *sp = arena_alloc(&a, sizeof *sp);
    if (!sp) {
        arena_release(&a);
        return error_nomem(err);
    }
    sp->a = a;
    sp->s = s;
    sp->n = s->n_parties;
    sp->ni = s->n_issues;
    sp->stride = arena_array(&sp->a, sp->ni, sizeof *sp->stride);
    sp->best = arena_array(&sp->a, sp->n * sp->ni, sizeof *sp->best);
    sp->best_u = arena_array(&sp->a, sp->n, sizeof *sp->best_u);
    sp->worst_u = arena_array(&sp->a, sp->n, sizeof *sp->worst_u);
    int rc = (!sp->stride || !sp->best || !sp->best_u || !sp->worst_u || list_options(sp))
                 ? error_nomem(err)
                 : 0;
    double total = 1;
    for (size_t i = 0; i < sp->ni; i++)
        total *= s->issues[i].n_options;
    if (rc == 0 && total <= opts->max_outcomes && total < 4294967295.0) {
        uint64_t stride = 1;
        for (size_t i = 0; i < sp->ni; i++) {
            sp->stride[i] = stride;
            stride *= s->issues[i].n_options;
        }
        sp->n_outcomes = stride;
        sp->tabulated = 1;
        sp->reciprocal = arena_array(&sp->a, sp->ni ? sp->ni : 1, sizeof *sp->reciprocal);
        for (size_t i = 0; sp->reciprocal && i < sp->ni; i++) {
            uint32_t k = s->issues[i].n_options;
            sp->reciprocal[i] = k >= 2 ? UINT64_MAX / k + 1 : 0;
        }
        rc = !sp->reciprocal || tabulate(sp, ties) || group_issues(sp) ? error_nomem(err) : 0;
    } else if (rc == 0) {
        find_best(sp);
    }
    if (rc == 0 && opts->analyze)
        rc = score_tables(sp, err);
    if (rc) {
        truce_space_free(sp);
        return rc;
    }
    *out = sp;
    return 0;
}

void truce_space_free(truce_space *sp)
{
    if (!sp)
        return;
    arena a = sp->a;
    arena_release(&a);
}

const truce_scenario *truce_space_scenario(const truce_space *sp)
{
    return sp->s;
}
