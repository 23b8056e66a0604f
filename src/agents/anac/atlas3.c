/* atlas3.c: Atlas3 (ANAC 2015 winner, multilateral). Mori and Ito (2017),
 * "Atlas3: a negotiating agent based on expecting lower limit of concession
 * function", Modern Approaches to Agent-based Complex Automated Negotiation,
 * SCI 674, Springer, pp. 169-173.
 *
 * From the paper: Atlas3 lowers its threshold toward an expected lower limit
 * derived, as in a war-of-attrition game, from the best offers the others
 * made it (the more they concede, the higher the limit); it searches for
 * bids just above its threshold; in the final phase it proposes, best first,
 * the bids the others proposed that clear its reservation value (its
 * "CList"); it accepts an offer above its threshold.
 * Choices: lower limit L = max(reservation, 0.5 Umax, the best offer received
 * from any opponent) (the paper keeps one record per opponent); threshold = L + (Umax - L)(1 - t^3); bids lie
 * within 0.02 above the threshold (the paper's local search gives bids of
 * about that utility) and, as the chapter's abstract says it "applies
 * replacement method based on frequency of opponent's bidding history", the
 * one a frequency model of the others' offers rates best among up to 16 of
 * them is offered (model=frequency; HardHeaded's learning rule).
 *
 * Discount (paper text not at hand; GENIUS 10.4 observed as a black box, see
 * docs/anac-agents.md#atlas3): with a discount factor d < 1 the threshold is
 * at most Umax d^(c t), c = ATLAS3_DISCOUNT_PACE, never below the lower limit L:
 * Atlas3 concedes toward L the faster the stronger the discount. GENIUS's
 * Atlas3 agrees in rounds 5-12 of 100 on ANAC 2011 Laptop (d = 0.42) and in
 * rounds 77-85 on the same scenario with d = 1; it accepted Boulware's offers
 * worth 0.815 at t = 0.079 (not at 0.069) and 0.726 at t = 0.119 (not at
 * 0.109), which puts c in [3.10, 3.38). Without a discount nothing changes.
 *
 * Raised limit (read off GENIUS 10.4's traces, anac-fid13): with d < 1 and after t = 0.42
 * the threshold is at least best + 0.25 (Umax - best), best the best offer received, but
 * never above Umax d^t: GENIUS's Atlas3 bids and accepts nothing under about that once the
 * opponent has conceded (Grocery, d = 0.7-0.81: refuses Boulware's 0.63 at t = 0.43-0.50
 * and bids 0.67-0.71; AgentK's 0.69, 0.74, 0.84 lift its lowest bids to 0.79, 0.82, 0.89;
 * as Sam it refuses HardHeaded's 0.78 at t = 0.78 and bids 0.85 and up), while before
 * t = 0.35 it takes such a concession (AgentLG's 0.78 at t = 0.23), and it takes Boulware's
 * 0.84 at t = 0.66 with d = 0.7 and 0.75 (0.75^0.66 = 0.83) but not with d = 0.81.
 *
 * Bids' floor (read off GENIUS 10.4's traces, anac-fid18): with d < 1 a bid's target is drawn
 * uniformly between the threshold and a floor max(Umax (1 - (0.8 - 1.8 ln d) t), best + 0.8 t
 * (Umax - best)) when that is lower (acceptance stays by the threshold): GENIUS's Atlas3 bids
 * below the offers it refuses, its lowest bids falling along 1 - k t (Camera against Conceder:
 * 0.96 at t = 0.04, 0.908 at 0.089, 0.886 at 0.119, the one Conceder took; Camera against
 * Gahboninho, Yushu, Boulware; Grocery against HardHeaded and Boulware) and lifted after the
 * opponent concedes (Camera against Boulware: 0.81 and up after its 0.58 at t = 0.6).
 * Bids spread above the threshold (anac-fid19): after t = 0.42, when the floor stands above
 * the threshold, the target is drawn between the threshold and the midpoint of the two
 * (before: the threshold itself; the whole way to the floor lost two pairs). GENIUS's
 * Atlas3 never parks on one bid: on Grocery against TheFawkes, Nozomi and HardHeaded it offers
 * 15-51 distinct bids a session up to 1.0, and in 2,217 refusals over 35 traces it never bid
 * at or below the offer it had just refused (truce's did park from round 38 on 0.775-0.78).
 *
 * Final phase (read off GENIUS 10.4's traces, anac-fid11): it begins when the rounds left
 * cannot hold the CList, t > 1 - (n + 1) s, n the distinct offers received that clear the
 * reservation value (this turn's included), s the mean round length t / round; from then
 * on Atlas3 offers the CList's bids best first, one a turn (the best again once all were
 * offered), and also accepts an offer worth at least the bid it would offer. GENIUS's
 * Atlas3 switches so on Energy against Conceder (round 51, n = 50) and Boulware (round 69,
 * n = 31) and on Grocery against AgentK (round 91, n = 10) and Boulware (round 78, n = 23),
 * in both seats; the formula fits the equal cases (r + n = 100) float for float. Spaces too
 * large to tabulate keep the earlier rule: after t = 0.98 the best offer received. */
#include <math.h>
#include <string.h>

#include "anac.h"

#define ATLAS3_DISCOUNT_PACE 3.2
#define ATLAS3_RAISE 0.25       /* share of Umax - best offer the limit stands above it (d < 1) */
#define ATLAS3_RAISE_AFTER 0.42 /* from this time on */
#define ATLAS3_CLIST BASE_SEEN  /* distinct received bids remembered (by outcome index) */
#define ATLAS3_FALL 0.8         /* the bids' floor falls as Umax (1 - (0.8 - 1.8 ln d) t) ... */
#define ATLAS3_FALL_DISCOUNT 1.8
#define ATLAS3_LIFT 0.8   /* ... and stays above best + 0.8 t (Umax - best) (d < 1) */
#define ATLAS3_SPREAD 0.5 /* above the threshold, targets reach half way to the floor */

typedef struct atlas3 {
    core c;
    size_t n_clist;
    uint64_t clist_index[ATLAS3_CLIST];
    double clist_u[ATLAS3_CLIST];
    unsigned char offered[ATLAS3_CLIST]; /* offered back in the final phase */
} atlas3;

static int atlas3_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    atlas3 *a = state;
    return anac_start(&a->c, setup, "atlas3", *(const size_t *)payload, OM_FREQUENCY, NULL, 0,
                      err);
}

/* Remember a received bid (tabulated spaces), once, when it clears the reservation value. */
static void remember(atlas3 *a, const uint32_t *o, double u)
{
    if (u >= a->c.b.reservation)
        base_seen_add(&a->c.b, a->clist_index, a->clist_u, &a->n_clist, o, u);
}

/* The CList's best bid not yet offered back (the best when all were); -1 when empty. */
static long next_from_clist(const atlas3 *a)
{
    long best = -1, best_new = -1;
    for (size_t k = 0; k < a->n_clist; k++) {
        if (best < 0 || a->clist_u[k] > a->clist_u[best])
            best = (long)k;
        if (!a->offered[k] && (best_new < 0 || a->clist_u[k] > a->clist_u[best_new]))
            best_new = (long)k;
    }
    return best_new >= 0 ? best_new : best;
}

static int atlas3_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)payload;
    atlas3 *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time, low = 0.5 * b->umax;
    if (b->best_u > low)
        low = b->best_u;
    if (b->reservation > low)
        low = b->reservation;
    if (low > b->umax)
        low = b->umax;
    double th = low + (b->umax - low) * (1 - t * t * t);
    if (b->discount < 1) {
        double cap = b->umax * pow(b->discount, ATLAS3_DISCOUNT_PACE * t);
        if (cap < th)
            th = cap > low ? cap : low;
        if (t > ATLAS3_RAISE_AFTER && b->best_u >= 0) {
            double raised = b->best_u + ATLAS3_RAISE * (b->umax - b->best_u);
            double ceiling = b->umax * pow(b->discount, t);
            if (raised > ceiling)
                raised = ceiling;
            if (raised > th)
                th = raised;
        }
    }
    /* The bids' floor (anac-fid18): with d < 1 a bid's target is drawn between the floor and
     * the threshold, the acceptance still by the threshold; after the raise begins also when
     * the floor stands above the threshold (anac-fid19). */
    double lo = th, hi = th;
    if (b->discount < 1) {
        double floor = b->umax * (1 - (ATLAS3_FALL - ATLAS3_FALL_DISCOUNT * log(b->discount)) * t);
        if (b->best_u >= 0) {
            double lift = b->best_u + ATLAS3_LIFT * t * (b->umax - b->best_u);
            if (lift > floor)
                floor = lift;
        }
        if (floor < b->reservation)
            floor = b->reservation;
        if (floor < lo)
            lo = floor;
        else if (t > ATLAS3_RAISE_AFTER)
            hi = th + ATLAS3_SPREAD * (floor - th);
    }
    int has = turn->offer && turn->offer_from != b->party;
    if (has && !turn->offer_vetoed)
        remember(a, turn->offer, turn->offer_utility);
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= th)
        return anac_accept(kind);
    if (b->sp->tabulated) {
        double step = turn->round ? t / (double)turn->round : 0;
        long k = t > 1 - (double)(a->n_clist + 1) * step ? next_from_clist(a) : -1;
        if (k >= 0) {
            if (has && anac_acceptable(&a->c, turn->offer_utility) &&
                turn->offer_utility >= a->clist_u[k])
                return anac_accept(kind);
            a->offered[k] = 1;
            space_decode(b->sp, a->clist_index[k], offer);
            return anac_offer(&a->c, kind, a->clist_u[k]);
        }
    } else if (t > 0.98 && b->received && b->best_u >= b->reservation) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    double target = lo < hi ? lo + rng_uniform(&b->r) * (hi - lo) : th;
    return anac_offer(&a->c, kind, pick_for_opponent(b, &a->c.m, target, 0.02, 16, offer));
}

const truce_agent_class agent_atlas3_class = {"atlas3",   0,            anac_size, atlas3_init,
                                              atlas3_act, anac_observe, ANAC_SELF(atlas3)};
