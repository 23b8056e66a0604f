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
 * Choices where the paper leaves it open: the level is a Faratin curve
 * L + (Umax - L)(1 - t^(1/beta)) toward L = max(reservation, best offer
 * received) whose exponent follows the opponent's concession: beta = 0.1 +
 * 0.9 c with c = (best - first offer received) / (Umax - first), in [0, 1]
 * (an opponent that concedes nothing meets a Boulware beta of 0.1, one that
 * closed the gap a linear one); the "Pareto search" is the best of up to 16
 * bids in [level, level + 0.02] under the scenario-free Bayesian model
 * (truce's `bayes`); it accepts when 1.02 u is at least its last bid's
 * utility, u is at least its next bid's, or u >= 0.9 Umax (the aspiration). */
#include <math.h>

#include "anac.h"

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

static int haggler_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                       uint32_t *offer, void *payload)
{
    (void)payload;
    haggler *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time, limit = b->best_u > b->reservation ? b->best_u : b->reservation;
    if (limit > b->umax)
        limit = b->umax;
    double c = 0;
    if (b->received && b->umax > b->first_u)
        c = (b->best_u - b->first_u) / (b->umax - b->first_u);
    c = c < 0 ? 0 : c > 1 ? 1 : c;
    double beta = 0.1 + 0.9 * c;
    double level = limit + (b->umax - limit) * (1 - pow(t, 1 / beta));
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
