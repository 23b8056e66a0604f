/* thenegotiator.c: TheNegotiator (ANAC 2011, third). Dirkzwager and Hendrikx
 * (2013), "TheNegotiator: a dynamic strategy for bilateral negotiations with
 * time-based discounts", Complex Automated Negotiations, SCI 435, Springer,
 * pp. 217-221.
 *
 * From the paper: three phases. In the first it is hardheaded, offering
 * random bids above a high threshold; in the second it concedes in time; in
 * the third it accepts what it can and replays the opponent's best offers.
 * Its threshold depends on the discount: with a strong discount it concedes
 * sooner. It accepts an offer above its threshold.
 * Read off GENIUS 10.4's TheNegotiator (anac-fid4, anac-fid12; docs/anac-agents.md): the paper's
 * text was not at hand, so the phases' times and shapes come from GENIUS traces (Grocery with its
 * discount 0.806, set to 1 and to 0.6; Laptop 0.424; Camera 0.891; Energy 1):
 * - phase 1 ends at p1 = min(0.79, 0.07 + 0.9 d) (Grocery d = 1 and 0.806: 0.79; d = 0.6: 0.61;
 *   Laptop: 0.45); its threshold falls as Umax - 0.145 s t (s = Umax - reservation) whatever
 *   the discount (Camera 0.147, Grocery 0.144, Energy 0.16, Laptop 0.13), so its first bids are
 *   the best only and then the best mixed with the next ones; bids uniformly random above it;
 * - from p1 the threshold is the utility of its own bid a fraction 2 (t - p1) down its sorted
 *   bids (Laptop 1.9-2.0, Grocery about 2, faster at the end; Energy slower, 0.8), at most
 *   the phase-1 line and at least the reservation; bids within 0.05 above it, or the
 *   opponent's best offer back once that is worth the threshold (GENIUS offers the opponent's
 *   bids back at the end of the descent: Grocery round 85). It accepts an offer worth the
 *   threshold; the threshold is not floored at the best offer received (GENIUS's accepts
 *   Yushu's constant 0.726 on Laptop in round 69; with that floor truce's TheNegotiator -
 *   Gahboninho on Laptop, 0.852 offered once, never agreed).
 * With d >= 0.97 (fid13): the higher of that fraction and a line 1.38 s a unit of time down from
 * the phase-1 line's value at p1, and from t = 0.975 the best offer received (see TN_SLOW_D).
 * Before anac-fid12: phases at 0.83 and 0.97 shifted earlier by (1 - d) 0.5, a utility ramp to
 * Umax - 0.1 s and then Umax - 0.5 s. */
#include <string.h>

#include "anac.h"

/* fid13: with a discount factor of at least TN_SLOW_D (GENIUS 10.4 on copies of Grocery with
 * d = 0.97 and 1, Camera and Laptop with d = 1; Energy, which has none) the second phase descends
 * more slowly: its threshold is the higher of the sorted-bid fraction and a utility line,
 * TN_SLOW_SLOPE s a unit of time down from the phase-1 line's value at p1 = 0.79. The line fits
 * Grocery, Camera and Energy, where the fraction falls too fast (lowest bids, pooled: 0.808 at
 * t = 0.842, 0.754 at 0.881, 0.668 at 0.950; it refused 0.663 at 0.950 and took 0.699 at 0.970 on
 * Camera, 0.756 at 0.901 on Energy); on Laptop (27 bids) the fraction is the slower (0.852 offered
 * to t = 0.91). From t = TN_LAST (GENIUS's round 99 of 100, t = 0.980; round 98 is still on the
 * line) it accepts what it can: the best offer received (taken: 0.525 in round 99, 0.45 in round
 * 100 on Grocery; offered back: 0.486 on Camera in round 99). With d = 0.95 (Camera), 0.9 and
 * 0.806 (Grocery) that last phase comes earlier (t = 0.955, 0.92, 0.84), which the fraction alone
 * approximates there. */
#define TN_SLOW_D 0.97
#define TN_SLOW_SLOPE 1.38
#define TN_LAST 0.975

typedef struct negotiator {
    core c;
} negotiator;

static int tn_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    negotiator *a = state;
    return anac_start(&a->c, setup, "thenegotiator", *(const size_t *)payload, OM_NONE, NULL, 0,
                      err);
}

/* The utility of the bid a fraction q down the party's sorted bids (GENIUS's TheNegotiator's
 * second phase, read off its traces: see the file's comment); untabulated spaces: q of the way
 * from Umax down to the worst known utility. */
static double tn_quantile(const base *b, double q)
{
    if (q <= 0)
        return b->umax;
    if (b->sp->tabulated) {
        uint64_t n = space_bid_count(b->sp, b->party);
        if (!n)
            return b->umax;
        uint64_t k = (uint64_t)(q * (double)n);
        return b->sp->sorted_u[b->party][k < n ? k : n - 1];
    }
    double u = b->umax - q * (b->umax - b->umin);
    return u > b->umin ? u : b->umin;
}

static int tn_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    negotiator *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double p1 = 0.07 + 0.9 * b->discount;
    if (p1 > 0.79)
        p1 = 0.79;
    double s = b->umax - b->reservation, t = turn->time;
    double th = b->umax - 0.145 * s * t;
    if (t >= p1 && b->discount >= TN_SLOW_D) {
        /* no or little discount (fid13): the slower of a utility line and the fraction, then,
         * in the last rounds, the best offer received */
        double slow = b->umax - 0.145 * s * p1 - TN_SLOW_SLOPE * s * (t - p1);
        double q = tn_quantile(b, 2 * (t - p1));
        slow = q > slow ? q : slow;
        th = slow < th ? slow : th;
        if (t >= TN_LAST && b->received)
            th = b->best_u < th ? b->best_u : th;
        th = th > b->reservation ? th : b->reservation;
    } else if (t >= p1) {
        double q = tn_quantile(b, 2 * (t - p1));
        th = q < th ? q : th;
        th = th > b->reservation ? th : b->reservation;
    }
    int has = turn->offer && turn->offer_from != b->party;
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= th)
        return anac_accept(kind);
    if (t >= p1 && b->received && b->best_u >= th) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    if (t < p1) /* any bid above the threshold */
        return anac_offer(&a->c, kind, base_random_between(b, th, b->umax + 1e-9, offer));
    return anac_offer(&a->c, kind, base_random_between(b, th, th + 0.05, offer));
}

const truce_agent_class agent_thenegotiator_class = {
    "thenegotiator", 0, anac_size, tn_init, tn_act, anac_observe, ANAC_SELF(negotiator)};
