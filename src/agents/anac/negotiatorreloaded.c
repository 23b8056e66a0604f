/* negotiatorreloaded.c: TheNegotiatorReloaded (ANAC 2012, third; best
 * undiscounted). Dirkzwager, Hendrikx and de Ruiter (2014), "The Negotiator:
 * a dynamic strategy for bilateral negotiations with time-based discounts",
 * Novel Insights in Agent-based Complex Automated Negotiation, SCI 535,
 * Springer; built from BOA components (Baarslag et al. 2014).
 *
 * From the paper: the opponent is classified as hardheaded or conceding by
 * how much its offers move toward the agent; the agent then bids on a
 * time-dependent curve, Boulware against a hardheaded opponent and more
 * conceding against a conceder, choosing among near-target bids the best for
 * a frequency model (HardHeaded's); it accepts with AC_combi: AC_next, or
 * after T an offer at least the best of the last window.
 * Choices: opponent classified every turn by its concession rho (tft's
 * measure): rho < 0.1 hardheaded -> e = 0.1, else e = 0.3 + rho; floor = max(
 * reservation, 0.6 Umax); T = 0.99; candidates within 0.05 above target. */
#include <math.h>

#include "anac.h"

typedef struct tnr {
    core c;
    window w;
} tnr;

static int tnr_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    tnr *a = state;
    window_init(&a->w);
    return anac_start(&a->c, setup, "negotiatorreloaded", *(const size_t *)payload, OM_FREQUENCY,
                      NULL, 0, err);
}

static int tnr_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                   void *payload)
{
    (void)payload;
    tnr *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double rho = 0;
    if (b->received > 1 && b->umax > b->first_u)
        rho = (b->best_u - b->first_u) / (b->umax - b->first_u);
    double e = rho < 0.1 ? 0.1 : 0.3 + rho;
    double floor = b->reservation > 0.6 * b->umax ? b->reservation : 0.6 * b->umax;
    double t = turn->time, target = floor + (b->umax - floor) * (1 - pow(t, 1 / e));
    double u = pick_for_opponent(b, &a->c.m, target, 0.05, 16, offer);
    int has = turn->offer && turn->offer_from != b->party;
    if (has) {
        double v = turn->offer_utility;
        int ok = v >= u || (t >= 0.99 && v >= window_max(&a->w, t - (1 - t), t));
        window_add(&a->w, t, v);
        if (ok && anac_acceptable(&a->c, v))
            return anac_accept(kind);
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_negotiatorreloaded_class = {
    "negotiatorreloaded", 0, anac_size, tnr_init, tnr_act, anac_observe, ANAC_SELF(tnr)};
