/* agentfsega.c: AgentFSEGA (ANAC 2010). Şerban, Silaghi and Litan (2012),
 * "AgentFSEGA: time constrained reasoning model for bilateral multi-issue
 * negotiations", New Trends in Agent-Based Complex Automated Negotiations,
 * SCI 383, Springer, pp. 159-165.
 *
 * From the paper: a Bayesian model of the opponent's preferences (Hindriks
 * and Tykhonov's scalable learner: model=bayes here) and three phases: early
 * (t < 0.85) it offers, among its bids just below its previous one, the one
 * the model rates best for the opponent; then it concedes faster; in the
 * last phase (t > 0.95) it concedes toward its minimum. It accepts an offer
 * worth at least its next bid.
 * Choices: the three phases as a piecewise-linear target 1 -> 0.85 Umax-range
 * points: Umax - 0.05 s (t < 0.85), Umax - 0.05 s - 0.25 s (t - 0.85)/0.1,
 * then down to the floor by t = 1, s = Umax - floor, floor = max(reservation,
 * 0.5 Umax); candidates within 0.05 above the target. */
#include "anac.h"

typedef struct fsega {
    core c;
} fsega;

static int fsega_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    fsega *a = state;
    return anac_start(&a->c, setup, "agentfsega", *(const size_t *)payload, OM_BAYES, NULL, 0, err);
}

static double fsega_target(const base *b, double t)
{
    double floor = b->reservation > 0.5 * b->umax ? b->reservation : 0.5 * b->umax;
    double s = b->umax - floor;
    if (t < 0.85)
        return b->umax - 0.05 * s * t / 0.85;
    if (t < 0.95)
        return b->umax - 0.05 * s - 0.25 * s * (t - 0.85) / 0.1;
    return b->umax - 0.3 * s - 0.7 * s * (t - 0.95) / 0.05;
}

static int fsega_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    fsega *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double target = fsega_target(b, turn->time);
    double u = pick_for_opponent(b, &a->c.m, target, 0.05, 32, offer);
    if (turn->offer && turn->offer_from != b->party && anac_acceptable(&a->c, turn->offer_utility) &&
        turn->offer_utility >= u)
        return anac_accept(kind);
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_agentfsega_class = {"agentfsega", 0,            anac_size, fsega_init,
                                                  fsega_act,    anac_observe, ANAC_SELF(fsega)};
