/* agreeableagent.c: AgreeableAgent2018 (ANAC 2018 winner, bilateral), by
 * Sahar Mirzayi; summarised in Aydoğan, Fujita, Baarslag, Jonker and Ito
 * (2021), "ANAC 2018: repeated multilateral negotiation league", Advances in
 * Automated Negotiations, SCI 905, Springer.
 *
 * From the description: a time-dependent concession p(t) (Boulware early,
 * faster late) down to a floor; a frequency model of the opponent; the bid
 * offered is drawn by roulette wheel, weighted by the model's estimate of the
 * opponent's utility, among its bids near the target; it accepts an offer
 * worth at least p(t).
 * Choices: p(t) = floor + (Umax - floor)(1 - t^(1/0.1)) with floor = max(
 * reservation, 0.6 Umax) (e = 0.1); the roulette draws among up to 16 bids
 * within 0.05 above p(t).
 * Its last turn (anac-fid4, read off GENIUS 10.4 as a black box, not from the
 * description): GENIUS's AgreeableAgent2018 accepts whatever is on the table at
 * its last turn of a deadline in rounds -- round N as the first mover (the
 * opponent's round N - 1 offer) or as the second (the opponent's round N
 * offer) -- on ANAC 2011 Camera against HardHeaded and CUHKAgent, both seats,
 * offers worth 0.25-0.48 to it, far below p(t); one round earlier it rejects
 * 0.58. truce's does the same at round N; under a deadline in seconds, when
 * its estimate of the rounds left (base_rounds_left) is at most 1. Above the
 * reservation value only (anac_acceptable), as every ANAC agent here. */
#include <math.h>
#include <string.h>

#include "anac.h"

typedef struct agreeable {
    core c;
} agreeable;

static int agree_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    agreeable *a = state;
    return anac_start(&a->c, setup, "agreeableagent", *(const size_t *)payload, OM_FREQUENCY, NULL,
                      0, err);
}

static int agree_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    agreeable *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double floor = b->reservation > 0.6 * b->umax ? b->reservation : 0.6 * b->umax;
    double p = floor + (b->umax - floor) * (1 - pow(turn->time, 10));
    int has = turn->offer && turn->offer_from != b->party;
    int last = b->max_rounds ? turn->round >= b->max_rounds : base_rounds_left(b) <= 1;
    if (has && anac_acceptable(&a->c, turn->offer_utility) && (turn->offer_utility >= p || last))
        return anac_accept(kind);
    /* the bid at p, which the wheel below always replaces: in a tabulated space a look-up
     * that draws no random numbers, so it is made only when there is no wheel (an untabulated
     * space's search draws: made first, as ever) */
    const truce_space *sp = b->sp;
    int wheel = b->received && b->ni <= 1024;
    double u = 0;
    if (!wheel || !sp->tabulated)
        u = base_bid(b, p, offer);
    if (!wheel)
        return anac_offer(&a->c, kind, u);
    /* the 16 draws rated straight from their table positions (the model's estimate from the
     * outcome index, om_utility_index: the same value); only the one the wheel stops at is
     * decoded. Untabulated spaces draw and decode each. */
    uint32_t cand[16][1024];
    uint64_t at[16];
    int indexed[16];
    double w[16], uu[16], total = 0;
    base_range range;
    base_range_init(b, p, p + 0.05, &range);
    /* a range of up to 64 positions: each rated once, repeats take the same value */
    uint64_t first, span = base_range_span(&range, &first), have = 0;
    double rated[64];
    for (int k = 0; k < 16; k++) {
        indexed[k] = sp->reciprocal && base_range_at(b, &range, &at[k]);
        if (indexed[k]) {
            uu[k] = sp->sorted_u[b->party][at[k]];
            uint64_t bit = span <= 64 ? (uint64_t)1 << (at[k] - first) : 0;
            if (have & bit) {
                w[k] = rated[at[k] - first];
            } else {
                w[k] = om_utility_index(&a->c.m, sp, sp->sorted[b->party][at[k]]);
                if (bit) {
                    rated[at[k] - first] = w[k];
                    have |= bit;
                }
            }
        } else {
            uu[k] = base_range_draw(b, &range, cand[k]);
            w[k] = om_utility(&a->c.m, cand[k]);
        }
        total += w[k];
    }
    double spin = rng_uniform(&b->r) * total;
    for (int k = 0; k < 16; k++) {
        spin -= w[k];
        if (spin <= 0 || k == 15) {
            if (indexed[k])
                space_kth_best(sp, b->party, at[k], offer);
            else
                memcpy(offer, cand[k], b->ni * sizeof *offer);
            u = uu[k];
            break;
        }
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_agreeableagent_class = {
    "agreeableagent", 0, anac_size, agree_init, agree_act, anac_observe, ANAC_SELF(agreeable)};
