/* yushu.c: Yushu (ANAC 2010, third). An and Lesser (2012), "Yushu: a
 * heuristic-based agent for automated negotiating competition", New Trends
 * in Agent-Based Complex Automated Negotiations, SCI 383, Springer,
 * pp. 145-149.
 *
 * From the paper: Yushu estimates how many rounds are left from the time its
 * rounds take; its target falls from its best utility toward a minimum that
 * is never below the opponent's best offer, the faster the fewer rounds are
 * left; it accepts an offer worth its target, and in its last estimated
 * rounds it proposes (or accepts) the opponent's best offer.
 * Its pace (anac-fid9, refitted in anac-fid11, read off GENIUS 10.4 as a black box;
 * the chapter was not found): target = Umax - pace (Umax - mean) t^power, mean the
 * average utility of the opponent's offers so far, pace = 0.5, power = 1.25; once the
 * target reaches the floor m = max(best offer received, reservation; with floor=none the worst
 * utility, as GENIUS 10.4's: anac-fid29) it is m and Yushu is in its last rounds; otherwise "last
 * rounds" = fewer than 3 estimated. GENIUS's Yushu falls about linearly at first and faster later:
 * (1 - lowest bid so far) / (1 - mean) is 0.03 at t = 0.1, 0.20 at 0.48, 0.30 at 0.64 and 0.38 at
 * 0.71 on Camera against Boulware (offers worth 0.27-0.30 to it), about the same on Grocery against
 * Boulware and AgentLG (0.05 at 0.15, 0.21 at 0.51, 0.33 at 0.71); much slower on
 * Laptop (its 1.0 held to t = 0.6-0.73 against offers worth 0.73-0.82), with the same
 * pace when the discount is set to 1 (Laptop, Grocery) or 0.42 (Grocery).
 * Its bid (anac-fid11): not the worst at or above the target but one of the bids
 * between the target and about 0.07 above it, changing from round to round (Grocery
 * against AgentLG, TheNegotiator and BRAMAgent: 0.00-0.072 above the target above,
 * 0.00-0.067 on Camera against Boulware); drawn uniformly among the bids in
 * [target, target + width], width = 0.07 (the draw's law is not observed).
 * The opponent's best offer in its last rounds (anac-fid5, read off GENIUS 10.4
 * as a black box): GENIUS's Yushu, as buyer on ANAC 2011 Laptop, accepts
 * Gahboninho's 0.726 in round 99 of 100 although Gahboninho offered it 0.852
 * in rounds 41-45 (it offers that 0.852 back in rounds 95-98); so the best
 * offer it accepts at the end is the best of the opponent's recent offers;
 * the last 20 (anac-fid18: on Grocery it refused 0.525 to the end of round 100
 * after CUHKAgent's 0.775 of rounds 58-81, so the window holds 20 to 53 offers;
 * 10 before).
 * Half time, band and end game (anac-fid21, GENIUS 10.4 against replayed hand-made opponents,
 * one-off offers bisected for the lowest one taken): before t = 0.5 it takes only an offer
 * worth 0.96 (0.955 refused, 0.96 taken in rounds 11-49 on Grocery and Camera, 0.941 refused on
 * Laptop; the mean does not matter) and it does not meet the opponent's best: its bids stay
 * strictly above it (a one-off 0.88/0.90/0.925/0.955 in round 40 puts its bids on the next bids
 * up to 0.07 above, and it offers that bid back from round 51). After t = 0.5 the lowest offer
 * it takes against a constant 0.30 follows the pace (0.85 in round 51, 0.725 in 81, 0.69 in
 * 90) but drops 0.04 ten offers from the end (0.65 in 91) and faster over the last five (0.605,
 * 0.57, 0.52 in 96-98): the target's excess over the mean keeps 0.9, then 0.83, 0.74, 0.61.
 * From 29 offers out to 11 its bids reach 0.03 below the offers it takes (round 72 on Grocery
 * and on Laptop). Below its floor it takes the recent best only with fewer than 3 of the
 * opponent's offers to come: round 99 as the first mover, 98 as the second (Laptop,
 * Gahboninho first: 0.815 taken in round 98; constant offers on Grocery: round 99).
 * The end game since anac-fid22 (GENIUS probes with constant opponents on ItexvsCypress, Camera,
 * Grocery and Laptop, either seat): anac-fid21's shares of the excess over the mean were read
 * against a mean of 0.30 only; at other means they are wrong (a constant 0.815 is taken in round
 * 98 by the second mover, 0.70 in 99; 0.4395 in 99 and 0.4375 never, in either seat; CUHKAgent's
 * constant 0.212 on ItexvsCypress never, truce's took it in round 98). What fits all: the target
 * drops by a fixed utility, 0.039 from 10 rounds left to 6, then 0.0632, 0.0955, 0.1416 with 5,
 * 4, 3 left (anac-fid21's shares at a mean of 0.30, as drops), 0.2877 with 2 (round 99) and 0.22
 * with 1 (round 100: against a constant 0.30 a last 0.45 is taken, 0.42 not); the recent best is
 * taken in the last two rounds only when worth the dropped target; the second mover counts its
 * rounds as the first (Gahboninho's 0.815 in round 98 is the drop's, not a seat's); and it
 * offers the best back only in round 100 (its round-99 bids are its own: 0.46 on Camera).
 * In those two rounds the dropped target is at least 0.41 Umax (round 99) and 0.435 Umax (round
 * 100) (anac-fid30: GENIUS's, against constant offers worth 0.1-0.3 and one other offer in round 99
 * or 100, on ItexvsCypress and Camera, either seat, takes 0.420 and 0.431 but not 0.403 or 0.380 in
 * round 99, 0.440 but not 0.431 or 0.420 in round 100, whatever the mean; the drops alone let
 * 0.27-0.37 through at those means, and HardHeaded's 0.362 in round 99 on ItexvsCypress). */
#include <math.h>
#include <string.h>

#include "anac.h"

/* the end game's drops of the target (anac-fid22): END_STEP from 10 to 6 rounds left, END_LAST
 * with 2 left (round 99 of 100: a constant offer is taken when worth 0.4395, not 0.4375, on
 * Camera), END_FINAL with 1 (round 100: against a constant 0.30 a last 0.45 is taken, not 0.42) */
#define END_STEP 0.039
#define END_LAST 0.2877
#define END_FINAL 0.22
/* ... and the least the dropped target is in those two rounds, in Umax (anac-fid30) */
#define END_LAST_FLOOR 0.41
#define END_FINAL_FLOOR 0.435

typedef struct yushu {
    core c;
    double pace;
    double power;         /* exponent of time in the pace */
    double spread;        /* exponent of Umax - mean in the pace */
    double end_step;      /* the target's drop 10 to 6 rounds out (the last five: in scale) */
    double band_drop;     /* how far below the target its bids reach 29 to 11 rounds out */
    double width;         /* its bid: a random one in [target, target + width] */
    double half;          /* up to this time it does not meet the floor... */
    double early_accept;  /* ...and accepts only offers worth this much */
    double seat_shift;    /* 1: the last rounds counted in the opponent's offers to come */
    recent_offers recent; /* the opponent's last offers' utilities */
} yushu;

static int yushu_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    yushu *a = state;
    param p[11] = {
        {"pace", 0.5, "", 0},       {"power", 1.25, "", 0},        {"width", 0.07, "", 0},
        {"recent", 20, "", 0},      {"half", 0.5, "", 0},          {"early_accept", 0.96, "", 0},
        {"seat_shift", 0, "", 0},   {"spread", 1, "", 0},          {"end_step", END_STEP, "", 0},
        {"band_drop", 0.03, "", 0}, {"floor", 0, "reservation", 0}};
    int rc = anac_start(&a->c, setup, "yushu", *(const size_t *)payload, OM_NONE, p, 11, err);
    if (rc || (rc = param_check("yushu", &p[0], 0, 10, err)) ||
        (rc = param_check("yushu", &p[1], 0.1, 10, err)) ||
        (rc = param_check("yushu", &p[2], 0, 1, err)) ||
        (rc = param_check("yushu", &p[3], 1, RECENT_MAX, err)) ||
        (rc = param_check("yushu", &p[4], 0, 1, err)) ||
        (rc = param_check("yushu", &p[5], 0, 1, err)) ||
        (rc = param_check("yushu", &p[6], 0, 1, err)) ||
        (rc = param_check("yushu", &p[7], 0.1, 10, err)) ||
        (rc = param_check("yushu", &p[8], 0, 1, err)) ||
        (rc = param_check("yushu", &p[9], 0, 1, err)) ||
        (rc = anac_floor_param(&a->c, "yushu", &p[10], err)))
        return rc;
    if (p[3].number != floor(p[3].number))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "recent",
                         "agent 'yushu': parameter recent=%g is not a whole number of offers",
                         p[3].number);
    recent_init(&a->recent, (unsigned)p[3].number);
    a->pace = p[0].number;
    a->power = p[1].number;
    a->width = p[2].number;
    a->half = p[4].number;
    a->early_accept = p[5].number;
    a->seat_shift = p[6].number;
    a->spread = p[7].number;
    a->end_step = p[8].number;
    a->band_drop = p[9].number;
    return 0;
}

static int yushu_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    yushu *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double m = b->floor;
    if (b->received && b->best_u > m)
        m = b->best_u;
    if (m > b->umax)
        m = b->umax;
    double target = b->umax;
    if (b->received) {
        double spread = b->umax - b->sum_u / (double)b->received;
        if (a->spread != 1)
            spread = pow(spread, a->spread);
        target -= a->pace * spread * pow(turn->time, a->power);
    }
    /* its rounds left; with seat_shift = 1 counted in the opponent's offers still to come, one
     * fewer when the opponent has already offered this round (anac-fid21's reading; 0 since
     * anac-fid22: constant offers are taken in the same round in either seat) */
    double left = base_rounds_left(b) -
                  (b->received && b->last_offer_time >= b->this_turn ? a->seat_shift : 0);
    double band_top = target + a->width + 1e-9;
    if (b->received && a->end_step > 0 && left < 10.5) {
        /* the end game: the target drops by a utility that grows as the rounds run out, the
         * same whatever the opponent's mean (anac-fid22, GENIUS probes; rounds left 0-5, then
         * end_step from 6 to 10) */
        static const double drop[] = {END_FINAL, END_FINAL, END_LAST, 0.1416, 0.0955, 0.0632};
        target -= left < 5.5 ? drop[(int)(left + 0.5)] * (a->end_step / END_STEP) : a->end_step;
        double least = left < 1.5 ? END_FINAL_FLOOR : left < 2.5 ? END_LAST_FLOOR : 0;
        if (target < least * b->umax)
            target = least * b->umax;
    }
    double reached = target; /* before the floor below */
    double low = left > 10.5 && left < 29.5 ? a->band_drop : 0;
    /* before half time it neither meets the floor nor accepts: its bids stay strictly above it */
    int early = turn->time <= a->half;
    int meet = b->received && target <= m && !early;
    if (target < m)
        target = m;
    int has = turn->offer && turn->offer_from != b->party;
    int last = !early && (left < 1.5 || meet);
    if (has)
        recent_push(&a->recent, turn->offer_utility);
    /* the best of the recent offers (this one among them) is looked at only in the last rounds */
    if (has && anac_acceptable(&a->c, turn->offer_utility) &&
        (early ? turn->offer_utility >= a->early_accept
               : turn->offer_utility >= target || (left < 3 && turn->offer_utility >= reached &&
                                                   turn->offer_utility >= recent_best(&a->recent))))
        return anac_accept(kind);
    if (last && b->received && b->best_u >= b->floor) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    double lo = early && b->received && target <= m ? target + 1e-9 : target - low;
    if (band_top < target + a->width + 1e-9)
        band_top = target + a->width + 1e-9;
    if (a->width > 0)
        return anac_offer(&a->c, kind, base_random_between(b, lo, band_top, offer));
    return anac_offer(&a->c, kind, base_bid(b, lo, offer));
}

const truce_agent_class agent_yushu_class = {
    "yushu", 0, anac_size, yushu_init, yushu_act, anac_observe, ANAC_SELF(yushu)};
