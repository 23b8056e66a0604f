/* iamhaggler2010.c: IAMhaggler (ANAC 2010). Williams, Robu, Gerding and
 * Jennings (2012), "IAMhaggler: a negotiation agent for complex
 * environments", New Trends in Agent-Based Complex Automated Negotiations,
 * SCI 383, Springer, pp. 151-158.
 *
 * From the paper: a concession strategy sets the utility level of its offers
 * from time and from the offers the opponent made; a Bayesian model of the
 * opponent's preferences (Hindriks and Tykhonov) with a Pareto search picks,
 * among the bids of that utility, the one best for the opponent; it accepts
 * an offer near what it would offer, or above a fixed aspiration.
 * Where the paper leaves it open, from GENIUS 10.4's IAMhaggler (anac-fid18, its traces on
 * Camera and Laptop against Boulware, with and without the discount): the level is
 * umax (1 - t^2 / 2), held from below by a floor umax - 0.16 (umax - first offer received) and
 * by max(reservation, best offer received) (haggler_level); the "Pareto search" is the best of
 * up to 16 bids in [level, level + 0.02] under the scenario-free Bayesian model
 * (truce's `bayes`); it accepts when 1.02 u is at least its last bid's
 * utility, u is at least its next bid's, or u >= 0.9 Umax (the aspiration). */
#include "anac.h"

#define HAGGLER_FLOOR 0.16 /* the floor's share of the gap to the first offer received */

typedef struct haggler {
    core c;
} haggler;

static int haggler_init(void *state, const truce_agent_setup *setup, truce_error *err,
                        void *payload)
{
    haggler *a = state;
    return anac_start(&a->c, setup, "iamhaggler2010", *(const size_t *)payload, OM_BAYES, NULL, 0,
                      err);
}

/* The utility level of its next offer at time t: umax (1 - t^2 / 2), held from below by its
 * floor umax - 0.16 (umax - first offer received) and by max(reservation, best offer received).
 * GENIUS 10.4's IAMhaggler on Camera against Boulware (traces Camera-iamhaggler-boulware.jsonl,
 * Camera-boulware-iamhaggler.jsonl, the same without the discount) leaves its best bid on
 * exactly that curve in both seats (the curve's coefficient within [0.494, 0.503)), and stops
 * at 0.886 as the buyer (first offer received 0.273) and by 0.921 as the seller (0.485), and on
 * Laptop never offers below its best (0.726, 0.815): a floor at 0.16 of the gap to the first
 * offer received (0.156 to 0.172 fits all four) */
static double haggler_level(const base *b, double t)
{
    double level = b->umax * (1 - 0.5 * t * t);
    double lowest = b->received ? b->umax - HAGGLER_FLOOR * (b->umax - b->first_u) : b->umax;
    double limit = b->best_u > b->reservation ? b->best_u : b->reservation;
    if (limit > b->umax)
        limit = b->umax;
    if (level < lowest)
        level = lowest;
    return level < limit ? limit : level;
}

static int haggler_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                       uint32_t *offer, void *payload)
{
    (void)payload;
    haggler *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double level = haggler_level(b, turn->time);
    double u = pick_for_opponent(b, &a->c.m, level, 0.02, 16, offer);
    int has = turn->offer && turn->offer_from != b->party;
    if (has && anac_acceptable(&a->c, turn->offer_utility)) {
        double v = turn->offer_utility;
        if ((b->made && 1.02 * v >= b->own_last_u) || v >= u || v >= 0.9 * b->umax)
            return anac_accept(kind);
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_iamhaggler2010_class = {
    "iamhaggler2010", 0, anac_size, haggler_init, haggler_act, anac_observe, ANAC_SELF(haggler)};
