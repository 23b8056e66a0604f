/* hardheaded.c: the HardHeaded family (van Krimpen, Looije and Hajizadeh 2013,
 * ANAC 2011 winner): Boulware bidding with a frequency-based opponent model:
 * among its bids within w of its target it offers the one the model rates
 * best for the opponents. The model counts how often each option appears in
 * the opponents' offers and weighs issues whose option the opponents keep. */
#include <math.h>
#include <string.h>

#include "agent.h"

#define HH_CANDIDATES 16

typedef struct hardheaded {
    const truce_space *sp;
    size_t party, ni;
    double e, w, pmin, pmax;
    acceptance ac;
    rng r;
    double *weight;      /* ni issue weights of the model */
    double *count;       /* per scenario option slot */
    double *max_count;   /* per issue: its most frequent option's count */
    uint32_t *last;      /* last opponent offer, ni */
    uint32_t *candidate; /* ni scratch */
    int has_last;
    /* the arrays follow the struct */
} hardheaded;

static size_t hh_size(const truce_space *sp, void *payload)
{
    (void)payload;
    const truce_scenario *s = truce_space_scenario(sp);
    return sizeof(hardheaded) + 2 * s->n_issues * sizeof(double) +
           s->total_options * sizeof(double) + 2 * s->n_issues * sizeof(uint32_t) + 64;
}

static int hh_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    hardheaded *a = state;
    param params[2 + AC_PARAM_COUNT] = {{"e", 0.05, "", 0}, {"w", 0.05, "", 0}, AC_PARAMS};
    int rc = params_parse("hardheaded", setup->params, params, 2 + AC_PARAM_COUNT, err);
    if (rc || (rc = param_check("hardheaded", &params[0], 0, 100, err)) ||
        (rc = param_check("hardheaded", &params[1], 0, 1, err)))
        return rc;
    const truce_scenario *s = setup->space->s;
    a->sp = setup->space;
    a->party = setup->party;
    a->ni = s->n_issues;
    a->e = params[0].number;
    a->w = params[1].number;
    double r = agent_reservation(setup), worst = a->sp->worst_u[a->party];
    a->pmax = a->sp->best_u[a->party];
    a->pmin = r > worst ? r : worst;
    if (a->pmin > a->pmax)
        a->pmin = a->pmax;
    char *base = (char *)(a + 1);
    a->weight = (double *)base;
    a->max_count = a->weight + a->ni;
    a->count = a->max_count + a->ni;
    a->last = (uint32_t *)(a->count + s->total_options);
    a->candidate = a->last + a->ni;
    for (size_t i = 0; i < a->ni; i++)
        a->weight[i] = 1.0 / (double)a->ni;
    rng_seed(&a->r, setup->seed);
    return acceptance_setup(&a->ac, "hardheaded", params + 2, AC_PARAM_COUNT, setup, r, err);
}

/* Estimated opponent utility: sum of issue weight * option frequency
 * relative to the issue's most frequent option. */
static double model_value(const hardheaded *a, const uint32_t *o)
{
    const truce_scenario *s = a->sp->s;
    double v = 0;
    for (size_t i = 0; i < a->ni; i++)
        if (a->max_count[i] > 0)
            v += a->weight[i] * a->count[s->option_offset[i] + o[i]] / a->max_count[i];
    return v;
}

static void hh_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    hardheaded *a = state;
    if (ev->kind != TRUCE_ACTION_OFFER || ev->actor == a->party)
        return;
    const truce_scenario *s = a->sp->s;
    double learn = 0.2 / (double)a->ni, sum = 0;
    for (size_t i = 0; i < a->ni; i++) {
        double c = a->count[s->option_offset[i] + ev->offer[i]] += 1;
        if (c > a->max_count[i])
            a->max_count[i] = c;
        /* an issue whose option the opponents keep matters to them */
        if (a->has_last && a->last[i] == ev->offer[i])
            a->weight[i] += learn;
        sum += a->weight[i];
    }
    for (size_t i = 0; i < a->ni; i++)
        a->weight[i] /= sum;
    memcpy(a->last, ev->offer, a->ni * sizeof *a->last);
    a->has_last = 1;
}

static int hh_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    hardheaded *a = state;
    double f = a->e <= 0 ? 0 : pow(turn->time, 1 / a->e);
    double target = a->pmin + (a->pmax - a->pmin) * (1 - f);
    uint64_t hi = 0;
    double u = space_bid_at_least_count(a->sp, a->party, target, &a->r, offer, &hi);
    if (a->has_last && a->sp->tabulated) {
        /* candidates: the bids with utility in [target, target + w]; the first hi bids have
         * utility at least target, so the bound for target + w lies among them */
        uint64_t lo = space_count_at_least_below(a->sp, a->party, target + a->w, hi);
        double best = model_value(a, offer);
        for (int c = 0; hi > lo && c < HH_CANDIDATES; c++) {
            uint64_t k =
                hi - lo <= HH_CANDIDATES ? lo + (uint64_t)c : lo + rng_below(&a->r, hi - lo);
            if (k >= hi)
                break;
            double v = space_kth_best(a->sp, a->party, k, a->candidate);
            double m = model_value(a, a->candidate);
            if (m > best) {
                best = m;
                u = v;
                memcpy(offer, a->candidate, a->ni * sizeof *offer);
            }
        }
    } else if (a->has_last) {
        double best = model_value(a, offer);
        for (int c = 0; c < HH_CANDIDATES / 4; c++) {
            double v = space_bid_at_least(a->sp, a->party, target + a->w * rng_uniform(&a->r),
                                          &a->r, a->candidate);
            double m = model_value(a, a->candidate);
            if (v >= target && m > best) {
                best = m;
                u = v;
                memcpy(offer, a->candidate, a->ni * sizeof *offer);
            }
        }
    }
    /* AC_next against the lowest utility it could offer now */
    if (agent_may_accept(turn) &&
        acceptance_ok(&a->ac, turn->offer_utility, u < target ? u : target, turn)) {
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    }
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

const truce_agent_class agent_hardheaded_class = {"hardheaded", 0,          hh_size, hh_init,
                                                  hh_act,       hh_observe, NULL};
