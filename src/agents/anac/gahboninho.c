/* gahboninho.c: Gahboninho (ANAC 2011, second). Ben Adar, Sofy and Elimelech
 * (2013), "Gahboninho: strategy for balancing pressure and compromise in
 * automated negotiation", Complex Automated Negotiations, SCI 435, Springer,
 * pp. 205-208.
 *
 * From the paper: it first applies pressure, offering its best bids, while
 * it measures how much the opponent moves (its "niceness"); then it concedes
 * from its best toward a floor that is lower the nicer the opponent was and
 * never below the opponent's best offer, picking among bids near its target
 * the one a frequency model of the opponent likes most; at the very end it
 * accepts (or offers back) the opponent's best offer.
 * Choices: pressure phase t < 0.1 (bids within 0.02 of Umax); niceness = the
 * spread (max - min, own utility) of the opponent's offers; floor = max(best
 * received, reservation, Umax - 0.4 + 0.3 min(1, 5 niceness)): a nice opponent
 * meets a tougher Gahboninho (the paper's balance of pressure and compromise);
 * target = floor + (Umax - floor)(1 - t^2) after the pressure phase; end
 * phase t > 0.99. */
#include <math.h>
#include <string.h>

#include "anac.h"

typedef struct gahbo {
    core c;
    double low, high;
} gahbo;

static int gahbo_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    gahbo *a = state;
    a->low = 2;
    a->high = -1;
    return anac_start(&a->c, setup, "gahboninho", *(const size_t *)payload, OM_FREQUENCY, NULL, 0,
                      err);
}

static int gahbo_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    gahbo *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    int has = turn->offer && turn->offer_from != b->party;
    if (has) {
        if (turn->offer_utility < a->low)
            a->low = turn->offer_utility;
        if (turn->offer_utility > a->high)
            a->high = turn->offer_utility;
    }
    double nice = a->high > a->low ? a->high - a->low : 0;
    double floor = b->umax - 0.4 + 0.3 * (5 * nice < 1 ? 5 * nice : 1);
    if (b->best_u > floor)
        floor = b->best_u;
    if (b->reservation > floor)
        floor = b->reservation;
    if (floor > b->umax)
        floor = b->umax;
    double target = t < 0.1 ? b->umax - 0.02 : floor + (b->umax - floor) * (1 - t * t);
    double u = pick_for_opponent(b, &a->c.m, target, 0.02, 16, offer);
    if (has && anac_acceptable(&a->c, turn->offer_utility) &&
        (turn->offer_utility >= u || (t > 0.99 && turn->offer_utility >= b->best_u)))
        return anac_accept(kind);
    if (t > 0.99 && b->received && b->best_u >= b->reservation) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        u = b->best_u;
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_gahboninho_class = {"gahboninho", 0,            anac_size, gahbo_init,
                                                  gahbo_act,    anac_observe, ANAC_SELF(gahbo)};
