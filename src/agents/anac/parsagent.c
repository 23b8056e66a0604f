/* parsagent.c: ParsAgent (ANAC 2015, second, multilateral). Khosravimehr and
 * Nassiri-Mofakham (2017), "Pars agent: hybrid time-dependent, random and
 * frequency-based bidding and acceptance strategies in multilateral
 * negotiations", Modern Approaches to Agent-based Complex Automated
 * Negotiation, SCI 674, Springer, pp. 175-183.
 *
 * From the paper: a time-dependent target (Boulware); it offers a bid built
 * from the options the other parties offered most often when that bid clears
 * its target, otherwise a random bid above the target; it accepts offers
 * above its target.
 * Choices: target Umax - (Umax - reservation) t^5 (e = 0.2; GENIUS 10.4's
 * ParsAgent accepts 0.815 at t = 0.73 and 0.726 at t = 0.78 on Laptop, where
 * the floor 0.7 Umax truce had before waited to t = 0.91: anac-fid5); the
 * "bid of the others' favourite options" is the bid within 0.1 above the
 * target rated best by a frequency model of all the others' offers; random
 * otherwise, within 0.1 above the target. */
#include <math.h>

#include "anac.h"

typedef struct pars {
    core c;
} pars;

static int pars_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    pars *a = state;
    return anac_start(&a->c, setup, "parsagent", *(const size_t *)payload, OM_SMITH, NULL, 0, err);
}

static int pars_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    pars *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double target = b->umax - (b->umax - b->reservation) * pow(turn->time, 1 / 0.2);
    int has = turn->offer && turn->offer_from != b->party;
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= target)
        return anac_accept(kind);
    double u = b->received ? pick_for_opponent(b, &a->c.m, target, 0.1, 16, offer)
                           : base_random_between(b, target, target + 0.1, offer);
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_parsagent_class = {"parsagent", 0,            anac_size, pars_init,
                                                 pars_act,    anac_observe, ANAC_SELF(pars)};
