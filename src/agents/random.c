/* random.c: the random agent, a baseline: offers random outcomes above its
 * reservation value and accepts an offer above it with probability p. */
#include "agent.h"

typedef struct random_agent {
    const truce_space *sp;
    size_t party;
    double p, reservation;
    rng r;
} random_agent;

static int random_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    random_agent *a = state;
    param params[1] = {{"p", 0.1, "", 0}};
    int rc = params_parse("random", setup->params, params, 1, err);
    if (rc || (rc = param_check("random", &params[0], 0, 1, err)))
        return rc;
    a->sp = setup->space;
    a->party = setup->party;
    a->p = params[0].number;
    a->reservation = agent_reservation(setup);
    rng_seed(&a->r, setup->seed);
    return 0;
}

static int random_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)payload;
    random_agent *a = state;
    /* draw first so that the stream does not depend on the offer */
    double coin = rng_uniform(&a->r);
    if (agent_may_accept(turn) && turn->offer_utility >= a->reservation && coin < a->p) {
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    }
    space_random_at_least(a->sp, a->party, a->reservation, &a->r, offer);
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

const truce_agent_class agent_random_class = {
    "random", sizeof(random_agent), NULL, random_init, random_act, NULL, NULL};
