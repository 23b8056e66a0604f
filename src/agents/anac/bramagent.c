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
 * Choices: the threshold steps Umax·{1, 0.95, 0.9, 0.85, 0.8} at t = 0, 0.25,
 * 0.5, 0.75, 0.95 (never below the reservation value); the "bids made from the
 * opponent's favourite options" are the bids within 0.05 above the threshold
 * rated best by a frequency model (model=smith, whose counts favour recent
 * repetition less than a window would).
 * Its last rounds (anac-fid5, read off GENIUS 10.4 as a black box, not from the
 * paper): GENIUS's BRAMAgent accepts in round 99 of 100, in either seat, an
 * offer below both its threshold and the best offer it ever received -- on
 * ANAC 2011 Laptop as buyer Gahboninho's 0.726 (its best received, 0.852, came
 * in rounds 41-45; 0.726 refused in rounds 96-98), as seller PonPokoAgent's
 * 0.518. truce's: when its estimate of the rounds left (base_rounds_left) is at
 * most 2, it accepts an offer at least the best of the opponent's last
 * RECENT_OFFERS offers (the paper's sliding window of recent offers). */
#include "anac.h"

typedef struct bram {
    core c;
    recent_offers recent; /* the opponent's last offers' utilities */
} bram;

static int bram_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    bram *a = state;
    a->recent.seen = 0;
    return anac_start(&a->c, setup, "bramagent", *(const size_t *)payload, OM_SMITH, NULL, 0, err);
}

static int bram_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    bram *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    double step = t < 0.25 ? 1 : t < 0.5 ? 0.95 : t < 0.75 ? 0.9 : t < 0.95 ? 0.85 : 0.8;
    double th = b->umax * step;
    if (th < b->reservation)
        th = b->reservation;
    double u = pick_for_opponent(b, &a->c.m, th, 0.05, 32, offer);
    int has = turn->offer && turn->offer_from != b->party;
    double recent = has ? recent_add(&a->recent, turn->offer_utility) : -1;
    int last = base_rounds_left(b) <= 2;
    if (has && anac_acceptable(&a->c, turn->offer_utility) &&
        (turn->offer_utility >= th || (t > 0.95 && turn->offer_utility >= b->best_u) ||
         (last && turn->offer_utility >= recent)))
        return anac_accept(kind);
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_bramagent_class = {"bramagent", 0,            anac_size, bram_init,
                                                 bram_act,    anac_observe, ANAC_SELF(bram)};
