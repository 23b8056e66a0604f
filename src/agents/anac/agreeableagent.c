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
 * Choices: the roulette draws among up to 16 bids within 0.05 above p(t).
 * The curve (anac-fid15, read off GENIUS 10.4 as a black box: its offers from
 * round 70 to 100 on ANAC 2011 Camera and Grocery, with and without the
 * discount, against AgentLG, Atlas3, Gahboninho, Nozomi, Boulware and
 * HardHeaded, the same curve whatever the opponent): p(t) = max(floor, Umax (1
 * - t^13)) with floor = max(reservation, 0.775 Umax). Its offers stay at 1 to t
 * = 0.73, fall from 0.979 at t = 0.74 to 0.79 at t = 0.89, each 0.00-0.02 above
 * 1 - t^13 (bids from the window above p; 1 - t^12.5 lets the 0.975 bid into
 * the window of Grocery's round 76, which GENIUS's never offers there against
 * Gahboninho, 8 sessions of 8), and then stay within 0.773-0.822 to the end.
 * (Until then: floor + (Umax - floor)(1 - t^10) with floor 0.6 Umax, which fits
 * GENIUS's offers to t = 0.76, is 0.03-0.10 too high after t = 0.8 and goes
 * down to 0.64, which GENIUS's never comes near.)
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

/* The wheel over 16 draws that are all table positions (base_range_at gives one at every draw:
 * span > 0), each rated from its position (own utility from the table, the model's estimate
 * from the outcome index, om_utility_index: the same values as decoding it); only the bid the
 * wheel stops at is decoded. The random numbers are those of base_range_at's 16 draws and the
 * spin, drawn with the generator held in a local copy. */
static int wheel_at(agreeable *a, const base_range *range, uint64_t first, uint64_t span,
                    truce_action_kind *kind, uint32_t *offer)
{
    base *b = &a->c.b;
    const truce_space *sp = b->sp;
    rng r = b->r;
    if (span == 1) {
        /* one position (the bid at p alone, or one bid in the range): every draw lands on it
         * and the wheel stops there whatever the weights; a range of one bid still draws */
        if (range->bottom < range->top)
            for (int k = 0; k < 16; k++)
                (void)below_with_limit(&r, &range->mod, range->limit);
        (void)rng_uniform(&r);
        b->r = r;
        return anac_offer(&a->c, kind, space_kth_best(sp, b->party, first, offer));
    }
    uint64_t at[16];
    for (int k = 0; k < 16; k++)
        at[k] = range->bottom + below_with_limit(&r, &range->mod, range->limit);
    double w[16], total = 0;
    const uint32_t *sorted = sp->sorted[b->party];
    om_rater rater;
    om_rater_init(&rater, &a->c.m, sp);
    if (span <= 64) {
        /* each position rated once: repeats take the same value (the model is the same all
         * turn) */
        double rated[64];
        uint64_t have = 0;
        for (int k = 0; k < 16; k++) {
            uint64_t slot = at[k] - first, bit = (uint64_t)1 << slot;
            if (!(have & bit)) {
                rated[slot] = om_rate(&rater, sorted[at[k]]);
                have |= bit;
            }
            w[k] = rated[slot];
            total += w[k];
        }
    } else {
        for (int k = 0; k < 16; k++) {
            w[k] = om_rate(&rater, sorted[at[k]]);
            total += w[k];
        }
    }
    double spin = rng_uniform(&r) * total;
    b->r = r;
    int k = 0;
    while (k < 15 && !((spin -= w[k]) <= 0))
        k++;
    return anac_offer(&a->c, kind, space_kth_best(sp, b->party, at[k], offer));
}

static int agree_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    agreeable *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    /* the curve and floor read off GENIUS 10.4's traces (anac-fid15; see the header) */
    double floor = b->reservation > 0.775 * b->umax ? b->reservation : 0.775 * b->umax;
    double p = b->umax * (1 - pow(turn->time, 13));
    if (p < floor)
        p = floor;
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
    base_range range;
    base_range_init(b, p, p + 0.05, &range);
    uint64_t first, span = base_range_span(&range, &first);
    if (sp->reciprocal && span)
        return wheel_at(a, &range, first, span, kind, offer);
    /* untabulated (or no bid at p in the table): the 16 draws decoded and rated each */
    uint32_t cand[16][1024];
    double w[16], uu[16], total = 0;
    for (int k = 0; k < 16; k++) {
        uu[k] = base_range_draw(b, &range, cand[k]);
        w[k] = om_utility(&a->c.m, cand[k]);
        total += w[k];
    }
    double spin = rng_uniform(&b->r) * total;
    for (int k = 0; k < 16; k++) {
        spin -= w[k];
        if (spin <= 0 || k == 15) {
            memcpy(offer, cand[k], b->ni * sizeof *offer);
            u = uu[k];
            break;
        }
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_agreeableagent_class = {
    "agreeableagent", 0, anac_size, agree_init, agree_act, anac_observe, ANAC_SELF(agreeable)};
