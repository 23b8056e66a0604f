/* agentlg.c: AgentLG (ANAC 2012, second). Described in Williams, Robu,
 * Gerding and Jennings (2014), "An overview of the results and insights from
 * the third automated negotiating agents competition (ANAC 2012)", Novel
 * Insights in Agent-based Complex Automated Negotiation, SCI 535, Springer.
 *
 * From the description: AgentLG stays tough for most of the session, offering
 * its best bids and bids the opponent is likely to value (by the frequency of
 * the opponent's options); it concedes in time but never more than half way
 * toward the opponent's best offer, and in the last part of the session it
 * agrees to the opponent's best offers.
 * Choices: tough phase t < 0.6 (target Umax - 0.05 s); then the target falls
 * linearly to Umax - s/2 by t = 0.99 where s = Umax - max(best received,
 * reservation); after 0.99 it accepts offers within 0.02 of the best received
 * if worth at least max(reservation, 0.5 Umax).
 * That floor (anac-fid4): GENIUS 10.4's AgentLG, traced on ANAC 2011 Camera
 * (100 rounds), accepts none of CUHKAgent's constant offers at t >= 0.99 (0.27
 * to it as first mover, 0.49 as second mover at its last turn), though they
 * are the best it received; the data put the floor above 0.485. 0.5 Umax is
 * the floor Atlas3 uses here, not fitted. Without the end rule truce's AgentLG
 * misses agreements GENIUS's reaches earlier (docs/anac-agents.md#agentlg). */
#include "anac.h"

typedef struct agentlg {
    core c;
} agentlg;

static int lg_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    agentlg *a = state;
    return anac_start(&a->c, setup, "agentlg", *(const size_t *)payload, OM_FREQUENCY, NULL, 0,
                      err);
}

static int lg_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    agentlg *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    double low = b->best_u > b->reservation ? b->best_u : b->reservation;
    double s = b->umax - low;
    if (s < 0)
        s = 0;
    double target = t < 0.6 ? b->umax - 0.05 * s
                            : b->umax - 0.05 * s - 0.45 * s * (t < 0.99 ? (t - 0.6) / 0.39 : 1);
    double u = pick_for_opponent(b, &a->c.m, target, 0.03, 16, offer);
    int has = turn->offer && turn->offer_from != b->party;
    /* anac_acceptable: at least the reservation value, so the end rule's floor is
     * max(reservation, 0.5 Umax) */
    if (has && anac_acceptable(&a->c, turn->offer_utility) &&
        (turn->offer_utility >= u || (t >= 0.99 && turn->offer_utility >= b->best_u - 0.02 &&
                                      turn->offer_utility >= 0.5 * b->umax)))
        return anac_accept(kind);
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_agentlg_class = {"agentlg", 0,            anac_size, lg_init,
                                               lg_act,    anac_observe, ANAC_SELF(agentlg)};
