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
 * from any opponent) (the paper keeps one record per opponent); threshold = L + (Umax - L)(1 -
 * t^3) (replaced by the lines below since anac-fid23 and anac-fid25, but for the bids' threshold
 * under a discount); bids lie within 0.02 above the threshold (the paper's local search gives bids
 * of about that utility) and, as the chapter's abstract says it "applies replacement method based
 * on frequency of opponent's bidding history", the one a frequency model of the others' offers
 * rates best among up to 16 of them is offered (model=frequency; HardHeaded's learning rule).
 *
 * Discount (paper text not at hand; GENIUS 10.4 probed as a black box with constant offers,
 * anac-fid23, docs/anac-agents.md#atlas3): with a discount factor d < 1 the threshold is the
 * line Umax (1 - t/d), never below the lower limit L, raised to the hold Umax (1 - (1 - d)
 * (2 (1 - t) + 0.04) (1 + s)), s = 0.064 r / (0.65 - r), r the reservation value's share of
 * Umax; from r = 0.575 on there is no hold. GENIUS's Atlas3, against a script offering one
 * bid all session, takes 0.85 in round 14 and 0.80 in 18 on ANAC 2013 SmartPhone (d = 0.87)
 * with the reservation value set to 0, never 0.78 (the hold, rising from 0.79 in round 20 to
 * 0.987 in 97, whatever the script offers); with SmartPhone's own reservation 0.6 it follows
 * the line down, 0.75 in round 22, 0.676 in 29, 0.62 in 34, and with reservations 0.15-0.55
 * its hold in round 31 is 0.812-0.754 (0.817 without). The line fits Laptop (d = 0.42),
 * Coffee (0.5), Kitchen (0.8), SmartPhone and Camera (0.89); the hold Camera and Kitchen too.
 * Walk-away: before t = 0.5, when the line falls below the reservation value discounted to
 * now and no offer received was worth the reservation value + 0.02 Umax, Atlas3 ends the
 * talks (SmartPhone, reservation 0.6, round 38; 0.5-0.55: rounds 47-43; an offer of 0.63 once
 * stops it, one of 0.61 does not; reservation 0.45, where the line falls short only at t =
 * 0.51, never). Bids keep the earlier threshold, fitted
 * to GENIUS's bids (anac-fid5's cap Umax d^(3.2 t) and anac-fid13's raise after t = 0.42 to
 * best + 0.25 (Umax - best), at most Umax d^t), never above the threshold: drawn up to the
 * threshold itself they asked too much late (Camera, against Boulware, AgentLG and Yushu,
 * three pairs off by 0.10-0.17, where GENIUS's Atlas3 agrees on bids of 0.79-0.82).
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
 * Without a discount (anac-fid25, GENIUS 10.4 probed as above, both seats of ItexvsCypress
 * and LaptopD1 against one bid worth x = 0.212-0.8 all session, and against offers that rise
 * or fall once): the threshold is the line Umax (1 - t (1 - e)), e = 2 b / (1 + b) of Umax,
 * the harmonic mean of 1 and b = best offer received / Umax (so a war-of-attrition's expected
 * utility: the more the opponent offered, the less Atlas3 concedes; a better offer bends the
 * line up from then on, a worse one leaves it), never below the reservation value; each
 * probe's lowest bids bound (1 - u) / t from below by 0.650, 0.533, 0.429, 0.331, 0.249,
 * 0.173, 0.105 for x = 0.212 ... 0.8, where the line gives 0.650, 0.538, 0.429, 0.333, 0.25,
 * 0.176, 0.111; GENIUS's earlier traces without a discount (Energy against Boulware and
 * Conceder, both seats; Grocery and Camera copies with d = 1 against Gahboninho and Boulware)
 * never bid below it (final phases aside), Energy's on it (0.01 above on average). Above the
 * line GENIUS's bids spread further the further the line has fallen: the gap's share of Umax -
 * line averages 0.06 on Energy, about 0.25 on ItexvsCypress, 0.38-0.42 on the Camera and
 * Grocery copies (up to 1, its best bid), so a bid's target is drawn uniformly between the
 * line and half way to Umax (ATLAS3_D1_SPREAD; 0.14 of Umax, 0.2 and 0.8 of the way moved the
 * same pairs within one). It takes an offer only in the final phase (an offer above the line
 * would have raised the line above itself: e > b).
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

#define ATLAS3_SPREAD_AFTER 0.42 /* the bids' threshold rises, bids spread, from this time on */
#define ATLAS3_BID_PACE 3.2      /* the bids' threshold (d < 1): at most Umax d^(3.2 t) ... */
#define ATLAS3_BID_RAISE 0.25    /* ... after t = 0.42 at least best + 0.25 (Umax - best) ... */
#define ATLAS3_CLIST BASE_SEEN   /* distinct received bids remembered (by outcome index) */
#define ATLAS3_FALL 0.8          /* the bids' floor falls as Umax (1 - (0.8 - 1.8 ln d) t) ... */
#define ATLAS3_FALL_DISCOUNT 1.8
#define ATLAS3_LIFT 0.8   /* ... and stays above best + 0.8 t (Umax - best) (d < 1) */
#define ATLAS3_SPREAD 0.5 /* above the threshold, targets reach half way to the floor */
#define ATLAS3_HOLD 2.0   /* the hold: 1 - (1 - d) (2 (1 - t) + 0.04) (1 + s(rv)) ... */
#define ATLAS3_HOLD_EDGE 0.04
#define ATLAS3_HOLD_RV 0.064 /* ... s(rv) = 0.064 rv / (0.65 - rv) ... */
#define ATLAS3_HOLD_POLE 0.65
#define ATLAS3_HOLD_UNTIL_RV 0.575 /* ... and none from a reservation value of 0.575 on */
#define ATLAS3_WALK_BEFORE 0.5     /* ends the talks before this time when the line falls short */
#define ATLAS3_WALK_BEST 0.02      /* ... and no offer was worth the reservation value + 0.02 */
#define ATLAS3_D1_SPREAD 0.5       /* without a discount targets lie up to half way to Umax */

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
    return anac_start(&a->c, setup, "atlas3", *(const size_t *)payload, OM_FREQUENCY, NULL, 0, err);
}

/* The hold (anac-fid23): with d < 1 and a reservation value below 0.575 (of Umax) Atlas3
 * accepts nothing under this level, whatever the line says; 0 when there is none. */
static double atlas3_hold(double umax, double d, double rv, double t)
{
    if (d >= 1 || umax <= 0 || rv >= ATLAS3_HOLD_UNTIL_RV * umax)
        return 0;
    double r = rv / umax;
    double s = ATLAS3_HOLD_RV * r / (ATLAS3_HOLD_POLE - r);
    return umax * (1 - (1 - d) * (ATLAS3_HOLD * (1 - t) + ATLAS3_HOLD_EDGE) * (1 + s));
}

/* The bids' threshold under a discount (anac-fid5, anac-fid13, fitted to GENIUS's bids; until
 * anac-fid23 also the acceptance threshold): the curve L + (Umax - L)(1 - t^3) (passed in)
 * capped by Umax d^(3.2 t), never below L, and after t = 0.42 at least best + 0.25 (Umax -
 * best) but at most Umax d^t; never above the acceptance threshold th. */
static double atlas3_bid_threshold(const base *b, double low, double curve, double t, double th)
{
    double bt = curve;
    double cap = b->umax * pow(b->discount, ATLAS3_BID_PACE * t);
    if (cap < bt)
        bt = cap > low ? cap : low;
    if (t > ATLAS3_SPREAD_AFTER && b->best_u >= 0) {
        double raised = b->best_u + ATLAS3_BID_RAISE * (b->umax - b->best_u);
        double ceiling = b->umax * pow(b->discount, t);
        if (raised > ceiling)
            raised = ceiling;
        if (raised > bt)
            bt = raised;
    }
    return bt < th ? bt : th;
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
    /* an offer it may take (by its reservation value and vetoes), of the other party */
    int has = turn->offer && turn->offer_from != b->party;
    int acceptable = has && anac_acceptable(&a->c, turn->offer_utility);
    double curve = low + (b->umax - low) * (1 - t * t * t), th = curve;
    int walk = 0;
    if (b->discount < 1) {
        /* the line and the hold (anac-fid23) replace the curve under a discount */
        double line = b->umax * (1 - t / b->discount);
        th = line > low ? line : low;
        double hold = atlas3_hold(b->umax, b->discount, b->reservation, t);
        if (hold > th)
            th = hold;
        walk = b->reservation > 0 && t < ATLAS3_WALK_BEFORE &&
               b->best_u < b->reservation + ATLAS3_WALK_BEST * b->umax &&
               line < b->reservation * pow(b->discount, t);
    } else if (b->umax > 0) {
        /* without a discount the line Umax (1 - t (1 - e)) (anac-fid25), e = 2 beta / (1 +
         * beta) the harmonic mean of 1 and beta = best / Umax, never below the reservation */
        double beta = b->best_u > 0 ? b->best_u / b->umax : 0;
        if (beta > 1)
            beta = 1;
        double line = b->umax * (1 - t * (1 - beta) / (1 + beta));
        th = line > b->reservation ? line : b->reservation;
    }
    int take = acceptable && turn->offer_utility >= th;
    if (walk && !take) { /* an offer it takes comes first */
        *kind = TRUCE_ACTION_END;
        return 0;
    }
    /* The bids' floor (anac-fid18): with d < 1 a bid's target is drawn between the floor and
     * the bids' threshold, the acceptance by the threshold; after t = 0.42 also when the
     * floor stands above the bids' threshold (anac-fid19). */
    double bt = b->discount < 1 ? atlas3_bid_threshold(b, low, curve, t, th) : th;
    double lo = bt, hi = bt;
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
        else if (t > ATLAS3_SPREAD_AFTER)
            hi = bt + ATLAS3_SPREAD * (floor - bt);
    }
    if (has && !turn->offer_vetoed)
        remember(a, turn->offer, turn->offer_utility);
    if (take)
        return anac_accept(kind);
    if (b->sp->tabulated) {
        double step = turn->round ? t / (double)turn->round : 0;
        long k = t > 1 - (double)(a->n_clist + 1) * step ? next_from_clist(a) : -1;
        if (k >= 0) {
            if (acceptable && turn->offer_utility >= a->clist_u[k])
                return anac_accept(kind);
            a->offered[k] = 1;
            space_decode(b->sp, a->clist_index[k], offer);
            return anac_offer(&a->c, kind, a->clist_u[k]);
        }
    } else if (t > 0.98 && b->received && b->best_u >= b->reservation) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    if (b->discount >= 1) /* bids spread above the line (anac-fid25) */
        hi = bt + ATLAS3_D1_SPREAD * (b->umax - bt);
    double target = lo < hi ? lo + rng_uniform(&b->r) * (hi - lo) : bt;
    return anac_offer(&a->c, kind, pick_for_opponent(b, &a->c.m, target, 0.02, 16, offer));
}

const truce_agent_class agent_atlas3_class = {
    "atlas3", 0, anac_size, atlas3_init, atlas3_act, anac_observe, ANAC_SELF(atlas3)};
