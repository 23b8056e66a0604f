/* bramagent.c: BRAMAgent (ANAC 2011, fourth). Fishel, Bercovitch and Gal
 * (2013), "BRAMAgent: strategy for bilateral negotiation", Complex Automated
 * Negotiations, SCI 435, Springer, pp. 229-233.
 *
 * From the paper: it models the opponent by how often each option appears in
 * the opponent's last offers (a sliding window) and builds its bids from the
 * options the opponent favours on the issues it cares less about, keeping
 * its utility above a threshold that steps down over time; it accepts an
 * offer above that threshold, and late in the negotiation it accepts the
 * opponent's best offer.
 * Choices: the threshold's steps and levels are read off GENIUS (anac-fid9 and anac-fid21,
 * below; never below the reservation value unless floor=none, as GENIUS 10.4's: anac-fid29); the
 * bids and the last rounds likewise.
 * Its threshold (anac-fid9: the steps; anac-fid21: the levels, read off GENIUS 10.4 as a black
 * box with constant scripted offers): Umin + L (Umax - Umin), L = 1 before t = 0.11, 0.93 to
 * t = 1/3, 0.85 to 5/6, 0.7 after -- on Grocery (Umin 0.1) the seller takes 0.95 in round 12,
 * 0.865 (not 0.86) from round 35 and 0.75 (not 0.70) in round 85; on a copy whose worst utility
 * is 0.2 it refuses 0.875 and takes 0.885 from round 34, takes 0.77 and refuses 0.75 in round
 * 85; on Laptop (Umin 0.35) it refuses 0.882 and 0.876 until round 85 and takes 0.941 in round
 * 34; on Camera it takes 0.86 (buyer, Umin 0.041) and refuses 0.861 (seller, 0.076) until round
 * 85. A multiple of Umax fits none of the three scenarios together.
 * Its bids (anac-fid21): before t = 5/6, by position in its own sorted table among the bids
 * worth the threshold -- GENIUS's offers its best bid 0.42-0.45 of the time on Grocery (13
 * sessions, both seats and phases; the buyer 0.62 before t = 1/3, with 3 bids above its threshold)
 * and the others by position, equally often near the top and rarer further down (positions 1-3
 * about 0.09 each, 6-7 0.04, 9-11 0.015, nothing past 25), whatever their utility (Laptop:
 * positions 0 and 1 only, its threshold allowing no more) -- so the best bid with probability
 * BEST_SHARE, else position 1 + floor(RANKS min(x, y)) (x, y uniform), capped at the last bid worth
 * the threshold; from t = 5/6 (and in untabulated spaces) a target drawn uniformly between the
 * threshold and Umax and the bid a frequency model (model=smith, for the paper's sliding window)
 * rates best within 0.05 above it; from t = 5/6, when the best offer it ever received is among the
 * opponent's last RECENT_OFFERS and worth at least 0.75 Umax and below its own bid, it offers that
 * bid back (anac-fid9: Grocery, HardHeaded's 0.775 of round 80 offered in round 86; not
 * Gahboninho's 0.726 on Laptop). Its last rounds (anac-fid5, anac-fid21): GENIUS's BRAMAgent
 * accepts in round 99 of 100, in either seat, an offer below its threshold and the best it ever
 * received (Gahboninho's 0.726 on Laptop after 0.852 in rounds 41-45), and any offer there: against
 * a script offering 0.315 every round but 0.635 in round 94 (Grocery seller) it took 0.315 in round
 * 99 (three sessions of three). truce's: when base_rounds_left is at most 2 it accepts any offer it
 * may accept worth at least Umin + L_LAST (Umax - Umin) (anac-fid22: against constant offers
 * GENIUS's takes 0.2336 not 0.2264 on ItexvsCypress (Umin 0.04; so not CUHKAgent's 0.212 there),
 * 0.28 not 0.275 on Grocery (Umin 0.1), 0.501 not 0.4764 on Laptop (Umin 0.35), each in round 99
 * and never before: constant 0.29, 0.5, 0.65 on Grocery are refused in rounds 96-98, so the
 * paper's "late, the opponent's best offer" is not GENIUS's; truce's took the best from t = 0.95
 * until anac-fid22). */
#include "anac.h"

#include <string.h>

/* its threshold's levels between its worst and best utility (t = 0.11, 1/3 and 5/6 on; 1
 * before), and its bids before t = 5/6: the best bid's share and the positions below it
 * (anac-fid21) */
#define L1 0.93
#define L2 0.85
#define L3 0.7
/* the least it takes in its last round, as a level (anac-fid22) */
#define L_LAST 0.2
#define BEST_SHARE 0.42
#define RANKS 12

typedef struct bram {
    core c;
    recent_offers recent; /* the opponent's last offers' utilities */
} bram;

static int bram_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    bram *a = state;
    recent_init(&a->recent, RECENT_OFFERS);
    param p[1] = {{"floor", 0, "reservation", 0}};
    int rc = anac_start(&a->c, setup, "bramagent", *(const size_t *)payload, OM_SMITH, p, 1, err);
    return rc ? rc : anac_floor_param(&a->c, "bramagent", &p[0], err);
}

static int bram_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    bram *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    double step = t < 0.11 ? 1 : t < 1.0 / 3 ? L1 : t < 5.0 / 6 ? L2 : L3;
    double th = b->umin + (b->umax - b->umin) * step;
    if (th < b->floor)
        th = b->floor;
    double u;
    /* before t = 5/6 (tabulated spaces): a position in its own sorted table, among the bids worth
     * at least th -- the best bid with probability BEST_SHARE, otherwise position 1 +
     * floor(RANKS min(x, y)), x and y uniform (a triangular law over positions 1 to RANKS,
     * falling to 0 at RANKS + 1), capped at the last bid worth th */
    uint64_t n = b->sp->tabulated && t < 5.0 / 6 ? base_count_at_least(b, th) : 0;
    if (n) {
        uint64_t k = 0;
        if (n > 1 && rng_uniform(&b->r) >= BEST_SHARE) {
            double x = rng_uniform(&b->r), y = rng_uniform(&b->r);
            k = 1 + (uint64_t)(RANKS * (x < y ? x : y));
            if (k > n - 1)
                k = n - 1;
        }
        u = space_kth_best(b->sp, b->party, k, offer);
    } else {
        double target = th < b->umax ? th + (b->umax - th) * rng_uniform(&b->r) : th;
        u = pick_for_opponent(b, &a->c.m, target, 0.05, 32, offer);
    }
    int has = turn->offer && turn->offer_from != b->party;
    /* the best of the recent offers and the rounds left are looked at only when the tests
     * before them pass (the same decisions: neither draws nor changes anything) */
    if (has)
        recent_push(&a->recent, turn->offer_utility);
    if (has && anac_acceptable(&a->c, turn->offer_utility) &&
        (turn->offer_utility >= th ||
         (base_rounds_left(b) <= 2 &&
          turn->offer_utility >= b->umin + (b->umax - b->umin) * L_LAST)))
        return anac_accept(kind);
    if (has && t >= 5.0 / 6 && b->best_u >= 0.75 * b->umax && b->best_u < u &&
        recent_best(&a->recent) >= b->best_u) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_bramagent_class = {
    "bramagent", 0, anac_size, bram_init, bram_act, anac_observe, ANAC_SELF(bram)};
