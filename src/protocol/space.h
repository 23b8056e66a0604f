/* space.h: the per-scenario tables negotiations share (sorted outcomes per
 * party, best outcomes, the frontier for scoring) and the bidding helpers
 * agents use on them. */
#ifndef TRUCE_PROTOCOL_SPACE_H
#define TRUCE_PROTOCOL_SPACE_H

#include "../core/rng.h"
#include "../core/scenario.h"

struct truce_space {
    arena a;
    const truce_scenario *s;
    size_t n, ni;
    int tabulated;       /* sorted tables exist */
    uint64_t n_outcomes; /* when tabulated */
    uint64_t *stride;    /* mixed radix: index = sum outcome[i] * stride[i] */
    /* A party bids only within its own hard conditions: its tables, best
     * outcome, walks and random bids hold only outcomes it allows. */
    uint32_t **sorted; /* per party: outcome indices it allows, utility descending */
    double **sorted_u; /* per party: their utilities */
    uint64_t *n_bids;  /* per party: entries of its sorted table (tabulated) */
    uint32_t *best;    /* per party: ni options of its best outcome found */
    double *best_u;    /* per party */
    double *worst_u;   /* per party: lowest utility known (0 when not tabulated) */
    /* per party with hard conditions (NULL otherwise): the options they allow,
     * listed per issue from slot option_offset[i], and how many per issue */
    uint32_t **options;
    uint32_t **n_options;
    /* scoring, in the bargainers' space (the seats of a negotiation) */
    int analyzed;
    size_t n_scored; /* the scenario's bargainer count */
    size_t n_front;
    double *front; /* n_front * n_scored */
    int has_nash;
    double *nash; /* n_scored */
    /* tabulated: per issue, ceil(2^64 / n_options) (0 for a single option), so that
     * space_decode divides the 32-bit outcome indices by multiplying (see space_decode) */
    uint64_t *reciprocal;
    /* tabulated, every issue with two options or more: the issues in groups, in issue order, of
     * two consecutive issues whose option counts multiply to at most SPACE_PAIR_RADIX, or of
     * one; a group's digit d (x mod its radix, one multiplication) gives its issues' option
     * slots in the scenario's option arrays (option_offset[i] + option) from a table, so that
     * agents rating many outcome indices by per-option values find two digits at a time.
     * n_groups 0 otherwise. */
    size_t n_groups;
    struct space_group *groups;
};

#define SPACE_PAIR_RADIX 256
typedef struct space_group {
    uint64_t reciprocal; /* ceil(2^64 / radix) (radix >= 2) */
    uint32_t radix;
    uint32_t issue; /* the group's first issue */
    /* a pair: radix x 2 slots, those of issue and issue + 1 for digit d at 2d and 2d + 1 (issue's
     * option d mod n_issue, the next issue's d / n_issue, as space_decode's two steps find
     * them); NULL for a group of one issue, whose slot is option_offset[issue] + d */
    const uint32_t *slot;
} space_group;

uint64_t space_encode(const truce_space *sp, const uint32_t *outcome);

/* The next digit of a tabulated outcome index: the remainder of *x by k, *x replaced by the
 * quotient, with c = ceil(2^64 / k) (0 for k = 1, digit 0), by one multiplication (exact for
 * 32-bit x: see space_decode). */
static inline uint32_t space_digit(uint64_t c, uint32_t k, uint32_t *x)
{
    if (!c)
        return 0;
    uint32_t q = (uint32_t)(((unsigned __int128)c * *x) >> 64), r = *x - q * k;
    *x = q;
    return r;
}
void space_decode(const truce_space *sp, uint64_t index, uint32_t *outcome);
double space_utility(const truce_space *sp, size_t who, const uint32_t *outcome);

/* An outcome whose utility for `who` is at least `target` and as close to
 * it as the search finds (exactly the closest when tabulated); the party's
 * best outcome when target is above it. Returns the outcome's utility. */
double space_bid_at_least(const truce_space *sp, size_t who, double target, rng *r, uint32_t *out);

/* The outcome GENIUS's SortedOutcomeSpace.getBidNearUtility returns
 * (docs/agents.md#bids): the nearest to target among the last outcome above
 * it and the one after, which may be below target. Untabulated spaces: as
 * space_bid_at_least. Returns the outcome's utility. */
double space_bid_nearest(const truce_space *sp, size_t who, double target, rng *r, uint32_t *out);

/* The same, also giving the number of outcomes with utility >= target (tabulated; 0
 * otherwise), which callers looking at the bids above target need anyway. */
double space_bid_at_least_count(const truce_space *sp, size_t who, double target, rng *r,
                                uint32_t *out, uint64_t *count);

/* A uniformly random outcome (tabulated) or a random outcome from a random
 * walk (otherwise) with utility at least `floor` for `who`. */
double space_random_at_least(const truce_space *sp, size_t who, double floor, rng *r,
                             uint32_t *out);

/* Number of outcomes `who` allows with utility >= target (tabulated only),
 * and the k-th best of them (0-based). */
uint64_t space_count_at_least(const truce_space *sp, size_t who, double target);
/* The first position in [lo, hi) of the descending utilities u whose utility is below target
 * (hi when none), the answer known to lie in [lo, hi]: halving. */
static inline uint64_t sorted_first_below(const double *u, uint64_t lo, uint64_t hi, double target)
{
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (u[mid] >= target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
/* space_count_at_least when the answer is known to be at most limit. */
uint64_t space_count_at_least_below(const truce_space *sp, size_t who, double target,
                                    uint64_t limit);
double space_kth_best(const truce_space *sp, size_t who, uint64_t k, uint32_t *out);
/* Number of outcomes in who's sorted table (tabulated): those its own hard
 * conditions allow. */
uint64_t space_bid_count(const truce_space *sp, size_t who);

#endif
