/* timedep.c: the time-dependent family (Faratin, Sierra and Jennings 1998):
 * Boulware, Linear, Conceder and any e, k; and the hardliner. */
#include <math.h>
#include <string.h>

#include "agent.h"

typedef struct timedep {
    const truce_space *sp;
    size_t party;
    double e, k, pmin, pmax;
    int nearest; /* bid=nearest: GENIUS's nearest bid; else the smallest at or above */
    acceptance ac;
    rng r;
} timedep;

/* Target utility P_min + (P_max - P_min)(1 - F(t)), F(t) = k + (1 - k) t^(1/e);
 * e = 0 never concedes (hardliner). */
static double target(const timedep *a, double t)
{
    double f = a->e <= 0 ? a->k : a->k + (1 - a->k) * pow(t, 1 / a->e);
    return a->pmin + (a->pmax - a->pmin) * (1 - f);
}

static int timedep_setup(timedep *a, const truce_agent_setup *setup, const char *name,
                         double default_e, truce_error *err)
{
    param params[3 + AC_PARAM_COUNT] = {
        {"e", default_e, "", 0}, {"k", 0, "", 0}, {"bid", 0, "at-least", 0}, AC_PARAMS};
    int rc = params_parse(name, setup->params, params, 3 + AC_PARAM_COUNT, err);
    if (rc || (rc = param_check(name, &params[0], 0, 100, err)) ||
        (rc = param_check(name, &params[1], 0, 1, err)))
        return rc;
    if (strcmp(params[2].word, "at-least") && strcmp(params[2].word, "nearest"))
        return error_set(err, TRUCE_EINVAL, NULL, 0, name,
                         "agent '%s': bid=\"%s\" is not at-least or nearest", name, params[2].word);
    a->nearest = !strcmp(params[2].word, "nearest");
    a->sp = setup->space;
    a->party = setup->party;
    a->e = params[0].number;
    a->k = params[1].number;
    double r = agent_reservation(setup);
    a->pmax = setup->space->best_u[setup->party];
    /* never aim below the reservation value nor below what exists */
    a->pmin = r > setup->space->worst_u[setup->party] ? r : setup->space->worst_u[setup->party];
    if (a->pmin > a->pmax)
        a->pmin = a->pmax;
    rng_seed(&a->r, setup->seed);
    return acceptance_setup(&a->ac, name, params + 3, AC_PARAM_COUNT, setup, r, err);
}

/* The named members of the family differ only in their default e. */
typedef struct variant {
    const char *name;
    double e;
} variant;

static int timedep_init(void *state, const truce_agent_setup *setup, truce_error *err,
                        void *payload)
{
    const variant *v = payload;
    return timedep_setup(state, setup, v->name, v->e, err);
}

static int timedep_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                       uint32_t *offer, void *payload)
{
    (void)payload;
    timedep *a = state;
    double goal = target(a, turn->time);
    double u = a->nearest ? space_bid_nearest(a->sp, a->party, goal, &a->r, offer)
                          : space_bid_at_least(a->sp, a->party, goal, &a->r, offer);
    if (agent_may_accept(turn) && acceptance_ok(&a->ac, turn->offer_utility, u, turn)) {
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    }
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

static const variant boulware = {"boulware", 0.2}, linear = {"linear", 1},
                     conceder = {"conceder", 2}, any = {"timedep", 1};

const truce_agent_class agent_boulware_class = {
    "boulware", sizeof(timedep), NULL, timedep_init, timedep_act, NULL, (void *)&boulware};
const truce_agent_class agent_linear_class = {
    "linear", sizeof(timedep), NULL, timedep_init, timedep_act, NULL, (void *)&linear};
const truce_agent_class agent_conceder_class = {
    "conceder", sizeof(timedep), NULL, timedep_init, timedep_act, NULL, (void *)&conceder};
const truce_agent_class agent_timedep_class = {
    "timedep", sizeof(timedep), NULL, timedep_init, timedep_act, NULL, (void *)&any};

/* Hardliner: the time-dependent agent with e = 0 and no parameters. */
static int hardliner_init(void *state, const truce_agent_setup *setup, truce_error *err,
                          void *payload)
{
    (void)payload;
    if (setup->params && *setup->params)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "hardliner",
                         "agent 'hardliner' takes no parameters (got \"%s\")", setup->params);
    truce_agent_setup plain = *setup;
    plain.params = "e=0";
    return timedep_setup(state, &plain, "hardliner", 0, err);
}

const truce_agent_class agent_hardliner_class = {
    "hardliner", sizeof(timedep), NULL, hardliner_init, timedep_act, NULL, NULL};
