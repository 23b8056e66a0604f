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
 * Choices: target max(0.7 Umax, reservation, Umax (1 - t^5)) (e = 0.2; 0.15 without a
 * discount, anac-fid22, see PARS_E_FLAT; the reservation value a floor since anac-fid25;
 * GENIUS 10.4's ParsAgent accepts 0.815 at t = 0.73 and 0.726 at t = 0.78 on
 * Laptop, where the curve Umax - 0.3 Umax t^5 truce had before waited to
 * t = 0.91: anac-fid5; the floor 0.7 Umax, anac-fid7: on Grocery GENIUS's
 * refuses 0.69 to the end at discount 0.81 and 1.0 and takes 0.735-0.745,
 * and in no GENIUS session of Laptop, Camera, Energy or Grocery does it agree
 * below 0.714); it accepts an offer worth at least its target at the time of its previous
 * turn, one round back (anac-fid16: GENIUS's refuses Boulware's 0.852 at round 69 on Laptop,
 * where 1 - t^5 at t = 69/101 is 0.8513, and takes Gahboninho's 0.815 and 0.726 at rounds 74
 * and 79, not 73 and 78; over 28 GENIUS traces on Laptop, Camera and Grocery, the previous
 * turn's target fits its 2,060 decisions, the current one misses 15), and makes its random bid
 * by its target now, its favourites bid by the one a round back (anac-fid26; reading the random
 * bid's target a round back too lost pairs in anac-fid16); the
 * bid of the others' favourite options takes, issue by issue, the option the
 * others offered most often (ties: the first), against a single opponent every
 * issue's first option, as GENIUS's (anac-fid26: so it depends on the order of
 * the options in the scenario file); the random bid above the
 * target is the agent's best bid with one issue set to a random option
 * (GENIUS's bids stay near its best: 0.876-1.0 on Laptop, 0.91-1.0 on
 * Camera to t = 0.75), the issue its lightest (the one whose options cost it
 * least) but one time in four, one draw, its best bid when the draw does not
 * clear the target (anac-fid26; twenty draws of a uniformly drawn issue before);
 * a bid built so that breaks the party's own hard
 * conditions or a scenario constraint is not offered (base_allows). */
#include <math.h>
#include <stdint.h>

#include "anac.h"

/* The target's floor, a share of Umax (anac-fid7, read off GENIUS 10.4: see the header). */
#define PARS_FLOOR 0.7
/* Without a discount its target falls more slowly (anac-fid22, GENIUS 10.4 against constant
 * offers, second seat): on ItexvsCypress 0.8005, 0.7505, 0.7174 taken in rounds 81, 84, 85 and on
 * Laptop with d = 1 0.8151, 0.7503 in 80, 84 (by the target a round back: 1/e in (6.65, 6.85]),
 * where on Laptop as GENIUS ships it (d = 0.424) the same offers are taken in rounds 74 and 78,
 * 1 - t^5's rounds (anac-fid16: Laptop, Camera d = 0.89, Grocery d = 0.806). */
#define PARS_E_FLAT 0.15

/* One random bid in four changes an issue drawn uniformly; the others change its lightest issue
 * (anac-fid26, read off GENIUS 10.4: see pars_random_near_best). */
#define PARS_ANY_ISSUE 0.25

typedef struct pars {
    core c;
    /* the issue whose options cost it least from its best bid (anac-fid26); SIZE_MAX until its
     * first random bid finds it, in the bid buffer that turn brings */
    size_t lightest;
    size_t opponents; /* the other principals (a listed mediator or stakeholder does not count) */
} pars;

/* The issue whose options cost the least from the best bid `bid` (left as it was): over the
 * options of each issue, the largest loss from Umax with that issue changed alone, the least of
 * these (ties: the first). Under a linear additive profile the loss is the issue's weight times
 * its evaluations' range; on every profile probed (anac-fid26) the least of these is the least
 * weight, so the data do not tell which of the two GENIUS's reads. */
static size_t pars_lightest(const base *b, uint32_t *bid)
{
    size_t lightest = 0;
    double least = 2;
    for (size_t i = 0; i < b->ni; i++) {
        uint32_t kept = bid[i], k = truce_issue_option_count(b->s, i);
        double loss = 0;
        for (uint32_t j = 0; j < k; j++) {
            bid[i] = j;
            loss = fmax(loss, b->umax - base_utility(b, bid));
        }
        bid[i] = kept;
        if (loss < least) {
            least = loss;
            lightest = i;
        }
    }
    return lightest;
}

static int pars_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    pars *a = state;
    a->lightest = SIZE_MAX;
    int rc =
        anac_start(&a->c, setup, "parsagent", *(const size_t *)payload, OM_SMITH, NULL, 0, err);
    if (rc)
        return rc;
    const truce_scenario *s = setup->space->s;
    a->opponents = 0;
    for (size_t p = 0; p < s->n_parties; p++)
        if (p != a->c.b.party && s->parties[p].role == TRUCE_ROLE_PRINCIPAL)
            a->opponents++;
    return 0;
}

/* The target at time t: max(0.7 Umax, reservation, Umax (1 - t^(1/e))), e = 0.2 under a
 * discount, PARS_E_FLAT without one (anac-fid22). The reservation value is a floor, not the
 * curve's end (anac-fid25: GENIUS 10.4's takes constant offers of 0.849 and 0.750 in rounds 71
 * and 78 on SmartPhone with its reservation value of 0.6 as with 0, where a curve falling to
 * 0.6 took them in 85 and 93, and lets 0.65 pass to the end). */
static double pars_target(const base *b, double t)
{
    double e = b->discount < 1 ? 0.2 : PARS_E_FLAT;
    double floor = fmax(PARS_FLOOR * b->umax, b->reservation);
    return fmax(floor, b->umax * (1 - pow(t, 1 / e)));
}

/* The bid of the others' favourite options: per issue the option with the highest count, ties
 * to the first. Against a single opponent, the first option of every issue: GENIUS 10.4's counts
 * stay at zero there (anac-fid26: against one bid offered all session it offers, from the round
 * its target lets it to the end, the bid of every issue's first option -- Camera 0.787 from round
 * 76, LaptopD1 0.733 from 84, Kitchen 0.863 from 69, SmartPhone as the second party 0.873 from
 * 68 --, none of the opponent's; the earlier reading of Camera's 0.787 as its best with
 * Boulware's favourite accessory was this bid). */
static double pars_favourites(const pars *a, uint32_t *out)
{
    const base *b = &a->c.b;
    const om *m = &a->c.m;
    if (a->opponents <= 1) {
        for (size_t i = 0; i < b->ni; i++)
            out[i] = 0;
        return base_utility(b, out);
    }
    size_t first = 0;
    for (size_t i = 0; i < b->ni; i++) {
        uint32_t k = truce_issue_option_count(b->s, i), best = 0;
        for (uint32_t j = 1; j < k; j++)
            if (m->count[first + j] > m->count[first + best])
                best = j;
        out[i] = best;
        first += k;
    }
    return base_utility(b, out);
}

/* A random bid at least worth target: the best bid with one issue set to a random option, one
 * draw; the best bid when it does not clear the target. The issue is its lightest but one time in
 * four, when it is drawn uniformly (anac-fid26: against one bid offered for 400 rounds, 100 of
 * GENIUS 10.4's bids after t = 0.75 per profile change the lightest issue in 89-94 of them on
 * ItexvsCypress and Grocery, 61 on SmartPhone, each of its options as often as the others, the
 * best one included; while the target leaves one option of it, GENIUS's offers it in 21 and 4 of
 * 100 turns, one draw's odds, not twenty's). */
static double pars_random_near_best(pars *a, base *b, double target, uint32_t *out)
{
    double best = base_bid(b, b->umax, out);
    if (a->lightest == SIZE_MAX)
        a->lightest = pars_lightest(b, out);
    size_t i = a->lightest;
    if (rng_uniform(&b->r) < PARS_ANY_ISSUE)
        i = (size_t)rng_below(&b->r, b->ni);
    uint32_t kept = out[i];
    out[i] = (uint32_t)rng_below(&b->r, truce_issue_option_count(b->s, i));
    double u = base_utility(b, out);
    if (u >= target && base_allows(b, out))
        return u;
    out[i] = kept;
    return best;
}

static int pars_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    pars *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    /* it accepts by its target at the time of its previous turn (0 at its first), one round
     * back (anac-fid16), and offers its favourites bid by it too (anac-fid26: GENIUS 10.4's
     * first-options bid comes in the round after the one its target now allows, in all four
     * probes); its random bid is by its target now */
    int has = turn->offer && turn->offer_from != b->party;
    double back = pars_target(b, b->prev_turn >= 0 ? b->prev_turn : 0);
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= back)
        return anac_accept(kind);
    double target = pars_target(b, turn->time);
    if (b->received) {
        double u = pars_favourites(a, offer);
        if (u >= back && base_allows(b, offer))
            return anac_offer(&a->c, kind, u);
    }
    return anac_offer(&a->c, kind, pars_random_near_best(a, b, target, offer));
}

const truce_agent_class agent_parsagent_class = {
    "parsagent", 0, anac_size, pars_init, pars_act, anac_observe, ANAC_SELF(pars)};
