/* thenegotiator.c: TheNegotiator (ANAC 2011, third). Dirkzwager and Hendrikx
 * (2013), "TheNegotiator: a dynamic strategy for bilateral negotiations with
 * time-based discounts", Complex Automated Negotiations, SCI 435, Springer,
 * pp. 217-221.
 *
 * From the paper: three phases. In the first it is hardheaded, offering
 * random bids above a high threshold; in the second it concedes in time; in
 * the third it accepts what it can and replays the opponent's best offers.
 * Its threshold depends on the discount: with a strong discount it concedes
 * sooner. It accepts an offer above its threshold. The reservation value is a floor of the
 * threshold, not part of its scale s = Umax (anac-fid25: GENIUS 10.4's takes the same constant
 * offers in the same rounds on SmartPhone with its reservation value of 0.6 as with 0); with
 * floor=none the floor is its worst utility, as GENIUS 10.4's, which bids and accepts below its
 * reservation value (anac-fid29: 0.548 in round 93 on SmartPhone, reservation 0.6).
 * Read off GENIUS 10.4's TheNegotiator (anac-fid4, anac-fid12; docs/anac-agents.md): the paper's
 * text was not at hand, so the phases' times and shapes come from GENIUS traces (Grocery with its
 * discount 0.806, set to 1 and to 0.6; Laptop 0.424; Camera 0.891; Energy 1):
 * - phase 1 ends at p1 = min(0.79, d) (fid21; before 0.07 + 0.9 d); its threshold falls as
 *   Umax - 0.161 (Umax - Umin) t whatever the discount (fid21, TN_LINE: Camera, Grocery and
 *   Laptop agree on the factor once it multiplies the bids' range), so its first bids are the
 *   best only and then the best mixed with the next ones; bids uniformly random above it;
 * - with d < 0.7 the second threshold is the utility of its own bid a fraction
 *   (1.87 (t - d + 0.091))^2 down its sorted bids (fid21, TN_FRAC; before 2 (t - p1)), at most
 *   the phase-1 line and at least the reservation; from p1 bids within 0.05 above it, or the
 *   opponent's bids back (below). It accepts an offer worth the threshold; the threshold is not
 *   floored at the best offer received (GENIUS's accepts Yushu's constant 0.726 on Laptop in
 *   round 69; with that floor truce's TheNegotiator - Gahboninho on Laptop, 0.852 offered once,
 *   never agreed).
 * With d >= 0.97 (fid13): the higher of the fraction 2 (t - p1) and a line 1.38 s a unit of time
 * down from the phase-1 line's value at p1, and from t = 0.975 the best offer received (see
 * TN_SLOW_D). With 0.7 <= d < 0.97 (fid18, anac-fid29, see TN_LATE_D): the same slower descent
 * to t = d, then the bid a fraction (t - d) / (1 - d) - 0.012 down its sorted bids, and in the
 * last round any offer; with d < 0.97 it offers an opponent's bid back only from t = d + 0.03, one
 * drawn at random among the distinct bids received worth the threshold (see TN_REPLAY_DT). Before
 * anac-fid12: phases at 0.83 and 0.97 shifted earlier by (1 - d) 0.5, a utility ramp to Umax - 0.1
 * s and then Umax - 0.5 s. */
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
/* anac-fid22: in round 99 of 100 (d >= TN_SLOW_D) what it takes is the best received only when
 * worth TN_END_FLOOR of the way from its worst bid to its best; in round 100 any best. GENIUS 10.4
 * against constant offers, either seat: ItexvsCypress (Umin 0.04, no discount) 0.4503 and 0.4525
 * taken in round 100, 0.4679 and 0.4797 in 99 (and 0.20-0.45 in 100); Laptop with d = 1 (Umin
 * 0.35) 0.6248 in 100, 0.6494 in 99: the level lies in [0.431, 0.4457]. In round 100 it takes
 * any offer: HardHeaded's 0.168 on ItexvsCypress after its 0.362 of round 99 (refused there). */
#define TN_END_FLOOR 0.44
/* fid18, anac-fid29: with a discount d from TN_LATE_D to TN_SLOW_D, GENIUS 10.4's second phase
 * follows the slower descent above up to t = d (anac-fid14: Camera d = 0.891, lowest bids 0.799,
 * 0.766, 0.749 at t = 0.851, 0.871, 0.891) and then falls to the utility of its own bid a fraction
 * (t - d) / (1 - d) - TN_LAG down its sorted bids (at most the slower descent's value at d), in
 * either seat; in the last round it takes any offer. Read off GENIUS's TheNegotiator against
 * constant offers (bench/genius_fingerprint.py, x = 0.1-0.8, both seats) on Grocery (d = 0.806),
 * Camera (0.891) and SmartPhone (0.87): the first mover takes 0.65, 0.6, 0.55, 0.5, 0.45, 0.4 in
 * rounds 91, 92, 93, 94, 96, 97 on SmartPhone and 0.65, 0.6, 0.55, 0.5, 0.4 in 84, 85, 87, 89, 93
 * on Grocery, where the fraction of its sorted bids at those utilities is (t - d) / (1 - d) to
 * within a round on both (SmartPhone's 12,000 bids fall about 1.5 times as fast in time as
 * Grocery's 1,600, as 1 / (1 - d) does); 0.05-0.3 in round 100 on SmartPhone (99 as the second
 * mover). fid18's fall of 8 Umax a unit of time (the first mover) and fid21's (0.06 + 4.3 (t - d))
 * (Umax - Umin) (the second) fitted Grocery and Camera but fell 1-4 rounds early on SmartPhone
 * below 0.6, where the reservation value (0.6) hid it until floor=none (anac-fid29). The fraction
 * lags (t - d) / (1 - d) by TN_LAG: GENIUS's refuses 0.70 in round 83 and 0.63 in 84 on Grocery
 * (fid18's sessions; the fraction at those utilities 0.070 and 0.1275, where (t - d) / (1 - d) is
 * 0.081 and 0.132) and 0.65 in round 90 on SmartPhone (0.152 against 0.162), and takes 0.50 in
 * round 94 there (0.454 against 0.467): a lag from 0.0114 to 0.013. Against constant offers 0.1-0.8
 * in both seats on the three (72 sessions) truce's now takes in GENIUS's round in 51 and within one
 * round in 68 (before: 27 and 51, SmartPhone's below 0.6 never); Grocery's 0.1 and 0.2, taken in
 * round 98 by GENIUS's, wait for the last round. */
#define TN_LATE_D 0.7
#define TN_LAG 0.012
/* fid18: with d < TN_SLOW_D it offers an opponent's bid back only from t = d + TN_REPLAY_DT
 * (Grocery's first mover: round 85, t = 0.842, in every session where it did; never before, though
 * AgentLG and PonPokoAgent had offered it 0.84 in rounds 55-73 and its own bids were 0.665-0.735
 * in rounds 83-84), and not the best one: one of the opponent's bids worth its threshold, which
 * differs from session to session (against BRAMAgent 0.63, 0.66, 0.69, 0.66, 0.63 where 0.69 had
 * been offered; against PonPokoAgent 0.84 among a dozen): truce draws uniformly among the distinct
 * bids received that are worth the threshold (the best received on untabulated spaces). */
#define TN_REPLAY_DT 0.03
/* fid21: the phase-1 line is Umax - TN_LINE (Umax - Umin) t (Umin: its worst bid), not a slope of
 * Umax - reservation. GENIUS 10.4's TheNegotiator against a constant offer (bench/genius_probe.sh,
 * hand-made scripts) takes it in the first round where the line reaches it: Camera (seller, Umin
 * 0.0764) 0.9443 in round 38 and 0.9208 in 54, Grocery (Sam, 0.1) 0.95 in 35 and 0.92 in 56,
 * Laptop with d = 0.8 and 1 (seller, 0.3527) 0.9411 in 58 (t = r / 101), which bound the factor
 * to [0.1604, 0.1614) in all three; as one slope 0.145 (before) it gave Laptop's in round 41. */
#define TN_LINE 0.161
/* fid21: with d < TN_LATE_D the second phase is the bid a fraction (TN_FRAC (t - t0))^2 down its
 * sorted bids, t0 = d - TN_T0 (at most the phase-1 line), read off Laptop (d = 0.424, 27 bids),
 * where GENIUS takes a constant 0.9411 (2nd best) in round 45, 0.874 (4th) in 52, 0.8151 (6th)
 * in 57 as the seller and 0.7256 (12th) in 69 as the buyer, never a round earlier: the square
 * fits all eight bounds with TN_FRAC in (1.84, 1.91) and t0 in (0.3327, 0.3345]; the fraction
 * 2 (t - p1) from p1 = 0.07 + 0.9 d (before) cannot (it needs k > 1.245 and k < 1.244). */
#define TN_FRAC 1.87
#define TN_T0 0.091

typedef struct negotiator {
    core c;
    size_t n_seen; /* the opponent's distinct bids received (tabulated spaces; base_seen_add) */
    uint64_t seen_index[BASE_SEEN];
    double seen_u[BASE_SEEN];
} negotiator;

static int tn_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    negotiator *a = state;
    param p[1] = {{"floor", 0, "reservation", 0}};
    int rc =
        anac_start(&a->c, setup, "thenegotiator", *(const size_t *)payload, OM_NONE, p, 1, err);
    return rc ? rc : anac_floor_param(&a->c, "thenegotiator", &p[0], err);
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

/* The second phase's slower descent at time t >= p1 (fid13): the higher of the sorted-bid fraction
 * and the utility line from the phase-1 line's value at p1, at most the phase-1 line. */
static double tn_slow(const base *b, double p1, double s, double t)
{
    double line = b->umax - TN_LINE * (b->umax - b->umin) * p1 - TN_SLOW_SLOPE * s * (t - p1);
    double q = tn_quantile(b, 2 * (t - p1));
    double v = q > line ? q : line, cap = b->umax - TN_LINE * (b->umax - b->umin) * t;
    return v < cap ? v : cap;
}

/* One of the opponent's distinct bids received worth at least th, drawn uniformly, into offer;
 * its utility, or -1 when there is none. */
static double tn_replay(negotiator *a, double th, uint32_t *offer)
{
    base *b = &a->c.b;
    size_t above = 0;
    for (size_t k = 0; k < a->n_seen; k++)
        above += a->seen_u[k] >= th;
    if (!above)
        return -1;
    size_t pick = (size_t)rng_below(&b->r, above);
    for (size_t k = 0;; k++)
        if (a->seen_u[k] >= th && pick-- == 0) {
            space_decode(b->sp, a->seen_index[k], offer);
            return a->seen_u[k];
        }
}

static int tn_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    negotiator *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double p1 = b->discount < 0.79 ? b->discount : 0.79;
    double s = b->umax, t = turn->time; /* not Umax - reservation (anac-fid25) */
    double th = b->umax - TN_LINE * (b->umax - b->umin) * t;
    if (t >= p1 && b->discount >= TN_SLOW_D) {
        /* no or little discount (fid13): the slower of a utility line and the fraction, then,
         * in the last rounds, the best offer received */
        double slow = tn_slow(b, p1, s, t);
        th = slow < th ? slow : th;
        if (t >= TN_LAST && b->received) {
            /* round 99 of 100: the best received, but not below TN_END_FLOOR of its range; the
             * last round: anything (anac-fid22) */
            double take = b->best_u, floor = b->umin + TN_END_FLOOR * (b->umax - b->umin);
            if (base_rounds_left(b) > 1.5)
                take = take < floor ? floor : take;
            else
                take = b->floor;
            th = take < th ? take : th;
        }
        th = th > b->floor ? th : b->floor;
    } else if (t >= p1 && b->discount >= TN_LATE_D) {
        /* a discount of TN_LATE_D to TN_SLOW_D: the slower descent to t = d, then the fraction
         * (t - d) / (1 - d) - TN_LAG of its sorted bids, and in the last round the floor
         * (anac-fid29) */
        double d = b->discount, v = tn_slow(b, p1, s, t < d ? t : d);
        if (t > d) {
            double q = tn_quantile(b, (t - d) / (1 - d) - TN_LAG);
            v = q < v ? q : v;
        }
        th = v < th ? v : th;
        if (base_rounds_left(b) < 1.5)
            th = b->floor;
        th = th > b->floor ? th : b->floor;
    } else if (b->discount < TN_LATE_D && t >= b->discount - TN_T0) {
        /* a strong discount (fid21): the square of a fraction growing in time */
        double x = TN_FRAC * (t - (b->discount - TN_T0));
        double q = tn_quantile(b, x * x);
        th = q < th ? q : th;
        th = th > b->floor ? th : b->floor;
    }
    int has = turn->offer && turn->offer_from != b->party;
    /* offering an opponent's bid back: from p1 with little or no discount (fid13), from
     * t = d + TN_REPLAY_DT and drawn among those worth the threshold otherwise (fid18): only
     * then are the distinct bids received kept */
    int late = b->discount < TN_SLOW_D;
    if (late && has && base_allows(b, turn->offer))
        base_seen_add(b, a->seen_index, a->seen_u, &a->n_seen, turn->offer, turn->offer_utility);
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= th)
        return anac_accept(kind);
    double from = late && b->discount + TN_REPLAY_DT > p1 ? b->discount + TN_REPLAY_DT : p1;
    if (late && t >= from) {
        double u = tn_replay(a, th, offer);
        if (u >= 0)
            return anac_offer(&a->c, kind, u);
    }
    if (t >= from && b->received && b->best_u >= th) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    if (t < p1) /* any bid above the threshold */
        return anac_offer(&a->c, kind, base_random_between(b, th, b->umax + 1e-9, offer));
    return anac_offer(&a->c, kind, base_random_between(b, th, th + 0.05, offer));
}

const truce_agent_class agent_thenegotiator_class = {
    "thenegotiator", 0, anac_size, tn_init, tn_act, anac_observe, ANAC_SELF(negotiator)};
