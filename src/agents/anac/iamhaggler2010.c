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
 * Where the paper is silent, read off GENIUS 10.4's IAMhaggler (replayed and
 * probed histories, anac-fid20): its level is umax (1 - t^p / 2), p = 2 on
 * outcome spaces of 700 bids or more and steeper on small ones, fitted as
 * p = 2 + 17.7 exp(-N / 114) over N outcomes (Laptop 27: 16, ItexvsCypress
 * 180: 5.7, HouseKeeping 384: 2.6, Icecream, Grocery, Camera: 2); from the
 * first offer better for it than the opponent's first one its level stays at
 * its last bid's utility (GENIUS holds its bid there against Boulware); bids:
 * the best of up to 16 in [level, level + 0.02] under truce's `bayes` model; it
 * accepts when 1.02 u reaches its level, u is at least its next bid's, or
 * u >= 0.9 Umax (the aspiration). */
#include <math.h>

#include "anac.h"

typedef struct haggler {
    core c;
    double hold;     /* utility of the bid it holds from the opponent's first move up; -1 before */
    double exponent; /* of its curve, from the size of the outcome space */
} haggler;

static int haggler_init(void *state, const truce_agent_setup *setup, truce_error *err,
                        void *payload)
{
    haggler *a = state;
    a->hold = -1;
    int rc = anac_start(&a->c, setup, "iamhaggler2010", *(const size_t *)payload, OM_BAYES, NULL, 0,
                        err);
    if (rc)
        return rc;
    const truce_space *sp = a->c.b.sp;
    double n = sp->tabulated ? (double)sp->n_outcomes : 1e9;
    a->exponent = 2 + 17.7 * exp(-n / 114);
    return 0;
}

static int haggler_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                       uint32_t *offer, void *payload)
{
    (void)payload;
    haggler *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    int has = turn->offer && turn->offer_from != b->party;
    if (a->hold < 0 && b->made && has && b->received > 1 &&
        turn->offer_utility > b->first_u + 1e-12)
        a->hold = b->own_last_u;
    double curve = b->umax * (1 - pow(t, a->exponent) / 2);
    if (curve < b->reservation)
        curve = b->reservation;
    double level = a->hold >= 0 ? a->hold : curve;
    double u = pick_for_opponent(b, &a->c.m, level, 0.02, 16, offer);
    if (has && anac_acceptable(&a->c, turn->offer_utility)) {
        double v = turn->offer_utility;
        if (1.02 * v >= level || v >= u || v >= 0.9 * b->umax)
            return anac_accept(kind);
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_iamhaggler2010_class = {
    "iamhaggler2010", 0, anac_size, haggler_init, haggler_act, anac_observe, ANAC_SELF(haggler)};
