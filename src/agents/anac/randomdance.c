/* randomdance.c: RandomDance (ANAC 2015, multilateral). Kakimoto and Fujita
 * (2017), "RandomDance: compromising strategy considering interdependencies
 * of issues with randomness", Modern Approaches to Agent-based Complex
 * Automated Negotiation, SCI 674, Springer, pp. 185-189.
 *
 * From the paper: simple frequency models of the other parties, combined
 * with weights drawn at random at every turn (the "dance"); it offers the
 * bid maximising its own utility plus the randomly weighted estimate of the
 * others' among bids above its target, which falls with time; it accepts an
 * offer worth its target.
 * Choices: one frequency model for all others' offers; each turn a random
 * weight r in [0, 1) blends it: candidates within 0.1 above the target are
 * scored u_own + r u_model; target = Umax - (Umax - floor) t^2 with floor =
 * max(reservation, 0.6 Umax). */
#include <string.h>

#include "anac.h"

typedef struct dance {
    core c;
} dance;

static int dance_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    dance *a = state;
    return anac_start(&a->c, setup, "randomdance", *(const size_t *)payload, OM_FREQUENCY, NULL, 0,
                      err);
}

static int dance_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    dance *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time, floor = b->reservation > 0.6 * b->umax ? b->reservation : 0.6 * b->umax;
    double target = b->umax - (b->umax - floor) * t * t;
    int has = turn->offer && turn->offer_from != b->party;
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= target)
        return anac_accept(kind);
    double r = rng_uniform(&b->r), best = -1, u = base_bid(b, target, offer);
    uint32_t c[4096];
    base_range range = {0, 0, 0, 0, 0};
    if (b->received && b->ni <= 4096)
        base_range_init(b, target, target + 0.1, &range);
    for (int k = 0; b->received && b->ni <= 4096 && k < 16; k++) {
        double v = base_range_draw(b, &range, c);
        double score = v + r * om_utility(&a->c.m, c);
        if (v >= target && score > best) {
            best = score;
            u = v;
            memcpy(offer, c, b->ni * sizeof *offer);
        }
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_randomdance_class = {"randomdance", 0,            anac_size, dance_init,
                                                   dance_act,     anac_observe, ANAC_SELF(dance)};
