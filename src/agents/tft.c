/* tft.c: relative tit-for-tat, "nice" variant (Faratin, Sierra and Jennings
 * 1998, imitative tactics; Baarslag, Hindriks and Jonker 2013): it concedes,
 * in its own utility, the fraction d of the concession its opponents made
 * toward it, and never goes below its reservation value. */
#include <stdio.h>

#include "agent.h"

typedef struct tft {
    const truce_space *sp;
    size_t party;
    double d, umax, ufloor;
    double first; /* own utility of the first offer received, -1 before */
    double best;  /* own utility of the best offer received so far */
    acceptance ac;
    rng r;
} tft;

static int tft_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    tft *a = state;
    param params[1 + AC_PARAM_COUNT] = {{"d", 1, "", 0}, AC_PARAMS};
    /* a tit-for-tat never concedes first: two of them, or one against MiCRO, would wait
     * for each other to the end; accepting in the last round lets them agree */
    snprintf(params[1].word, sizeof params[1].word, "next+last");
    int rc = params_parse("tft", setup->params, params, 1 + AC_PARAM_COUNT, err);
    if (rc || (rc = param_check("tft", &params[0], 0, 10, err)))
        return rc;
    a->sp = setup->space;
    a->party = setup->party;
    a->d = params[0].number;
    a->umax = setup->space->best_u[setup->party];
    double r = agent_reservation(setup), worst = setup->space->worst_u[setup->party];
    a->ufloor = r > worst ? r : worst;
    if (a->ufloor > a->umax)
        a->ufloor = a->umax;
    a->first = -1;
    rng_seed(&a->r, setup->seed);
    return acceptance_setup(&a->ac, "tft", params + 1, AC_PARAM_COUNT, setup, r, err);
}

/* Target: umax - (umax - floor) * d * rho, where rho is how far the
 * opponents' best offer moved from their first toward umax. */
double tft_target(double umax, double ufloor, double d, double first, double best)
{
    if (first < 0 || umax <= first)
        return umax;
    double rho = (best - first) / (umax - first);
    if (rho < 0)
        rho = 0;
    double t = umax - (umax - ufloor) * d * rho;
    return t < ufloor ? ufloor : t;
}

static int tft_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                   void *payload)
{
    (void)payload;
    tft *a = state;
    if (turn->offer && turn->offer_from != a->party) {
        if (a->first < 0)
            a->first = a->best = turn->offer_utility;
        else if (turn->offer_utility > a->best)
            a->best = turn->offer_utility;
    }
    double target = tft_target(a->umax, a->ufloor, a->d, a->first, a->best);
    double u = space_bid_at_least(a->sp, a->party, target, &a->r, offer);
    if (agent_may_accept(turn) && acceptance_ok(&a->ac, turn->offer_utility, u, turn)) {
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    }
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

const truce_agent_class agent_tft_class = {"tft", sizeof(tft), NULL, tft_init, tft_act, NULL, NULL};
