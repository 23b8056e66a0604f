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
 * Choices: phase boundaries 0.83 and 0.97 (undiscounted), shifted earlier by
 * (1 - d) 0.5 with discount d; threshold falling linearly from Umax at t = 0
 * to Umax - 0.1 s at the end of phase 1, on to Umax - 0.5 s in phase 2, then
 * to the floor (max(reservation, best received)) in phase 3, s = Umax -
 * reservation; bids uniformly random anywhere above the threshold in phase 1
 * (the paper's words), within 0.05 above it in phase 2.
 * Read off GENIUS 10.4's TheNegotiator (anac-fid4, docs/anac-agents.md): its
 * first bids are its best bid only (Laptop: rounds 1-45; Camera: 1-13), then
 * the best mixed with the next ones: the phase-1 threshold starts at Umax and
 * falls, it is not a flat Umax - 0.1 s (which on Laptop admitted only the
 * 0.94 bid, never the best). */
#include <string.h>

#include "anac.h"

typedef struct negotiator {
    core c;
} negotiator;

static int tn_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    negotiator *a = state;
    return anac_start(&a->c, setup, "thenegotiator", *(const size_t *)payload, OM_NONE, NULL, 0,
                      err);
}

static int tn_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    negotiator *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double shift = (1 - b->discount) * 0.5, p1 = 0.83 - shift, p2 = 0.97 - shift * 0.3;
    double s = b->umax - b->reservation, t = turn->time, th;
    if (t < p1)
        th = b->umax - 0.1 * s * t / p1;
    else if (t < p2)
        th = b->umax - 0.1 * s - 0.4 * s * (t - p1) / (p2 - p1);
    else {
        double floor = b->best_u > b->reservation ? b->best_u : b->reservation;
        double hi = b->umax - 0.5 * s;
        th = hi - (hi - floor) * (t - p2) / (1 - p2);
        if (th < floor)
            th = floor;
    }
    int has = turn->offer && turn->offer_from != b->party;
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= th)
        return anac_accept(kind);
    if (t >= p2 && b->received && b->best_u >= th) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    if (t < p1) /* any bid above the threshold */
        return anac_offer(&a->c, kind, base_random_between(b, th, b->umax + 1e-9, offer));
    return anac_offer(&a->c, kind, base_random_between(b, th, th + 0.05, offer));
}

const truce_agent_class agent_thenegotiator_class = {
    "thenegotiator", 0, anac_size, tn_init, tn_act, anac_observe, ANAC_SELF(negotiator)};
