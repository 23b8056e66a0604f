/* agentk.c: AgentK, winner of ANAC 2010. Kawaguchi, Fujita and Ito (2012),
 * "Compromising strategy based on estimated maximum utility for automated
 * negotiation agents competition (ANAC-10)", New Trends in Agent-Based
 * Complex Automated Negotiations, SCI 383, Springer, pp. 137-144.
 *
 * From the paper: with mu and sigma the mean and standard deviation of the
 * utilities (to AgentK) of the opponent's offers, the width of those offers
 * is d = sqrt(12) sigma and the estimated maximum the opponent will concede
 * to is e_max = mu + (1 - mu) d. The target is 1 - (1 - e_max) t^alpha with
 * alpha = 1 + tau + 10 mu - 2 tau mu (tau, the "tremor", 2), flattened by
 * ratio(t) = (d + 0.1) / (1 - target) (at most 2) as target' = ratio target +
 * 1 - ratio, and pulled down toward e_max when above it by r f / m with
 * r = target' - e_max, f = min(1/r^2, m), m = 400 - 300 t^3. It accepts with
 * probability P = t^alpha / 5 + (u - e_max) + (u - target') (0 when P < 0.1).
 * It offers a random earlier offer of the opponent worth more than its
 * target, else a random bid worth at least a second target computed with a
 * jittered exponent beta = alpha + tau (U - 1/2), U uniform.
 * The random bid above the bid target is searched for as the paper does:
 * random bids, the target lowered by 0.01 after 500 that miss it (drawn
 * exactly, without the samples; fid6: before, a uniform draw above the
 * target, which differs on a large space with few bids near the best).
 * Choices where the paper is silent: earlier opponent offers are remembered
 * up to 256 distinct ones. */
#include <math.h>
#include <string.h>

#include "anac.h"

#define AGENTK_SAMPLES 500 /* random bids drawn before the bid target is lowered */
#define AGENTK_STEP 0.01   /* by this much */
#define AGENTK_MISSES 64   /* (1 - k / N)^500 kept for this many k (direct-mapped by k) */

typedef struct agentk {
    core c;
    double tremor;
    double target, bid_target;
    size_t n_seen;
    uint64_t seen_index[BASE_SEEN];
    double seen_u[BASE_SEEN];
    /* the search's miss probabilities by bid count k: pow is most of its cost, and a
     * negotiation meets few distinct k (miss_k is UINT64_MAX in an empty slot) */
    uint64_t miss_k[AGENTK_MISSES];
    double miss[AGENTK_MISSES];
} agentk;

static int agentk_init(void *state, const truce_agent_setup *setup, truce_error *err,
                       void *payload)
{
    agentk *a = state;
    param p[1] = {{"tremor", 2, "", 0}};
    int rc = anac_start(&a->c, setup, "agentk", *(const size_t *)payload, OM_NONE, p, 1, err);
    if (rc || (rc = param_check("agentk", &p[0], 0, 10, err)))
        return rc;
    a->tremor = p[0].number;
    a->target = a->bid_target = a->c.b.umax;
    for (size_t k = 0; k < AGENTK_MISSES; k++)
        a->miss_k[k] = UINT64_MAX;
    return 0;
}

/* The paper's target update, run on every offer received; returns P. */
static double update(agentk *a, double u, double time)
{
    const base *b = &a->c.b;
    double mu = base_mean(b), d = sqrt(12.0) * base_sd(b), tau = a->tremor;
    double emax = mu + (1 - mu) * d;
    double alpha = 1 + tau + 10 * mu - 2 * tau * mu;
    double beta = alpha + rng_uniform((rng *)&b->r) * tau - tau / 2;
    double t_alpha = pow(time, alpha);
    double pre = 1 - t_alpha * (1 - emax), pre2 = 1 - pow(time, beta) * (1 - emax);
    double ratio = 1 - pre > 0 ? (d + 0.1) / (1 - pre) : 2, ratio2 = 1 - pre2 > 0 ? (d + 0.1) / (1 - pre2) : 2;
    if (!(ratio <= 2))
        ratio = 2;
    if (!(ratio2 <= 2))
        ratio2 = 2;
    double targets[2] = {ratio * pre + 1 - ratio, ratio2 * pre2 + 1 - ratio2};
    double m = 400 - 300 * time * time * time;
    for (int k = 0; k < 2; k++) {
        if (targets[k] > emax) {
            double r = targets[k] - emax, f = 1 / (r * r);
            if (!(f <= m))
                f = m;
            targets[k] -= r * f / m;
        } else {
            targets[k] = emax;
        }
    }
    a->target = targets[0];
    a->bid_target = targets[1];
    double P = t_alpha / 5 + (u - emax) + (u - a->target);
    return P < 0.1 ? 0 : P;
}

static void remember(agentk *a, const uint32_t *o, double u)
{
    base_seen_add(&a->c.b, a->seen_index, a->seen_u, &a->n_seen, o, u);
}

/* (1 - k / n)^500, the probability that 500 random bids all miss the k worth the level */
static double miss_probability(agentk *a, uint64_t k, double n)
{
    size_t slot = (size_t)(k % AGENTK_MISSES);
    if (a->miss_k[slot] != k) {
        a->miss_k[slot] = k;
        a->miss[slot] = pow(1 - (double)k / n, AGENTK_SAMPLES);
    }
    return a->miss[slot];
}

/* The paper's search for a bid above the bid target: random bids, the target lowered by 0.01
 * after every 500 that miss it. Drawn exactly, without the samples: with N outcomes and k(L)
 * of them worth at least L, 500 draws miss L with probability (1 - k(L) / N)^500; the first
 * hit is uniform among the k(L). On a large space with few bids near the best (Camera, N =
 * 3600) this offers bids well below the target (GENIUS's AgentK opens there with 0.93-1.0);
 * on a small one (Laptop, 27) it is the uniform draw above the target. */
static double search(agentk *a, uint32_t *offer)
{
    base *b = &a->c.b;
    double level = a->bid_target > b->reservation ? a->bid_target : b->reservation;
    if (level > b->umax)
        level = b->umax;
    if (!b->sp->tabulated || b->sp->n_outcomes == 0)
        return base_random_bid(b, level, offer);
    double n = (double)b->sp->n_outcomes;
    uint64_t k;
    for (;;) {
        k = base_count_at_least(b, level);
        if (level <= b->reservation || rng_uniform(&b->r) >= miss_probability(a, k, n))
            break;
        level -= AGENTK_STEP;
    }
    if (level < b->reservation) {
        level = b->reservation < b->umax ? b->reservation : b->umax;
        k = base_count_at_least(b, level);
    }
    /* base_random_bid(b, level, offer) with the count at level known */
    return space_kth_best(b->sp, b->party, k ? rng_below(&b->r, k) : 0, offer);
}

static int agentk_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                      uint32_t *offer, void *payload)
{
    (void)payload;
    agentk *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    if (turn->offer && turn->offer_from != b->party) {
        if (!turn->offer_vetoed) /* offered back later: only what its party allows */
            remember(a, turn->offer, turn->offer_utility);
        double P = update(a, turn->offer_utility, turn->time);
        if (P > rng_uniform(&b->r) && anac_acceptable(&a->c, turn->offer_utility))
            return anac_accept(kind);
    }
    /* an earlier offer of the opponent worth more than the target, at random */
    size_t above = 0;
    for (size_t k = 0; k < a->n_seen; k++)
        above += a->seen_u[k] > a->target && a->seen_u[k] >= b->reservation;
    if (above) {
        size_t pick = (size_t)rng_below(&b->r, above);
        for (size_t k = 0; k < a->n_seen; k++)
            if (a->seen_u[k] > a->target && a->seen_u[k] >= b->reservation && pick-- == 0) {
                space_decode(b->sp, a->seen_index[k], offer);
                return anac_offer(&a->c, kind, a->seen_u[k]);
            }
    }
    return anac_offer(&a->c, kind, search(a, offer));
}

const truce_agent_class agent_agentk_class = {"agentk",     0,    anac_size, agentk_init,
                                              agentk_act,   anac_observe, ANAC_SELF(agentk)};
