/* thefawkes.c: TheFawkes (ANAC 2013 winner), a BOA agent by Koeman et al.,
 * summarised in Gal, Ilany et al., "The fourth automated negotiation
 * competition" (ANAC 2013 report), and in Baarslag (2016), "Exploring the
 * Strategy Space of Negotiating Agents", Springer Theses.
 *
 * From the descriptions: a frequency opponent model; a bidding strategy that
 * predicts the opponent's future concession from its offers so far and
 * concedes only as far as that prediction makes worthwhile; the offered bid
 * is the best for the opponent among bids near the target; acceptance by
 * AC_combi with a max window.
 * Choices: the prediction is the opponent's concession rate so far
 * (best-received gain per unit time) extrapolated to t = 1; target = max(that
 * prediction, Boulware e = 0.15 curve down to max(reservation, 0.5 Umax));
 * window acceptance after T = 0.99 (0.98 until anac-fid4, see below).
 * An opponent predicted not to concede at all (two or more offers, none
 * better for the agent than its first) leaves nothing to wait for: the agent
 * accepts its offer at once if it is worth at least the floor above. Not in
 * the descriptions in these words; it is the prediction rule taken to its
 * limit, and it is what GENIUS 10.4's TheFawkes does on ANAC 2012 Laptop
 * (accepts every tested opponent's repeated opening bid, worth 0.73 or 0.82
 * to it, at the opponent's second offer, with the discount and without),
 * while on Camera and Energy (opening bids worth <= 0.49 to it) it holds out:
 * see docs/anac-agents.md#thefawkes.
 * The window acceptance at the end (anac-fid4, GENIUS 10.4 traces on ANAC 2011
 * Camera, 100 rounds): GENIUS's TheFawkes never accepts CUHKAgent's constant
 * offer worth 0.27 to it, though from t = 0.98 on that offer is the best of
 * every window, and at t = 99/101 = 0.9802 it rejects HardHeaded's 0.58, the
 * best offer of its window; as second mover in round 100 (t = 0.9901) it
 * accepts CUHKAgent's offer worth 0.485 to it, the best of its window. So here
 * the window rule starts at T = 0.99 (the data put T in (0.9802, 0.9901]) and
 * accepts nothing below max(reservation, THEFAWKES_WINDOW_FLOOR Umax): the
 * data put that floor in (0.273, 0.485] (on Camera, Umax = 1); 0.4 is a round
 * number inside it, a constant read off GENIUS, not from a description. */
#include <math.h>

#include "anac.h"

/* the end window's floor, as a share of Umax: read off GENIUS (header) */
#define THEFAWKES_WINDOW_FLOOR 0.4

typedef struct fawkes {
    core c;
    window w;
} fawkes;

static int fawkes_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    fawkes *a = state;
    window_init(&a->w);
    return anac_start(&a->c, setup, "thefawkes", *(const size_t *)payload, OM_FREQUENCY, NULL, 0,
                      err);
}

static int fawkes_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)payload;
    fawkes *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    double floor = b->reservation > 0.5 * b->umax ? b->reservation : 0.5 * b->umax;
    double target = floor + (b->umax - floor) * (1 - pow(t, 1 / 0.15));
    if (b->received > 1 && t > 0.05) {
        double predicted = b->best_u + (b->best_u - b->first_u) / t * (1 - t);
        if (predicted > target)
            target = predicted > b->umax ? b->umax : predicted;
    }
    double u = pick_for_opponent(b, &a->c.m, target, 0.05, 16, offer);
    int has = turn->offer && turn->offer_from != b->party;
    if (has) {
        double v = turn->offer_utility;
        int stuck = b->received > 1 && b->best_u >= 0 && b->best_u <= b->first_u;
        int ok = v >= u ||
                 (t >= 0.99 && v >= THEFAWKES_WINDOW_FLOOR * b->umax &&
                  v >= window_max(&a->w, t - (1 - t), t)) ||
                 (stuck && v >= b->best_u && v >= floor);
        window_add(&a->w, t, v);
        /* the reservation value bounds every rule above (anac_acceptable) */
        if (ok && anac_acceptable(&a->c, v))
            return anac_accept(kind);
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_thefawkes_class = {"thefawkes", 0,            anac_size, fawkes_init,
                                                 fawkes_act,  anac_observe, ANAC_SELF(fawkes)};
