/* ponpokoagent.c: PonPokoAgent (ANAC 2017 winner, multilateral), by Takaki
 * Matsune; summarised in Aydoğan, Fujita, Baarslag, Jonker and Ito (2021),
 * "ANAC 2017: repeated multilateral negotiation league", Advances in
 * Automated Negotiations, SCI 905, Springer.
 *
 * From the description: at the start of each session it draws one of five
 * threshold patterns at random; each gives a high and a low threshold over
 * time (some oscillating with sin); it offers a random bid whose utility lies
 * between them and accepts an offer above the low threshold.
 * Choices (the five patterns): 0: high 1 - 0.1t, low 1 - 0.1t - 0.1|sin 40t|;
 * 1: high 1, low 1 - 0.22t (GENIUS 10.4's, anac-fid10: its best bid offered to t = 0.81, an
 * offer of 0.815 refused at t = 0.832 and taken at 0.842; the description has high 1 - 0.22t,
 * low 1 - 0.25t); 2: high 1 - 0.1t, low 1 - 0.1t - 0.15|sin 20t|;
 * 3: high 1 - 0.05t, low 1 - 0.1t (t > 0.99: low 1 - 0.3t); 4: high 1 - 0.15t|sin 20t|,
 * low 1 - 0.21t|sin 20t|; times Umax (until anac-fid25 scaled to [reservation, Umax]: GENIUS
 * 10.4's does not move with the reservation value), and it takes nothing below the reservation
 * value (truce's rule for every agent).
 * When no bid lies between the thresholds, it offers the best bid below the high
 * threshold (read from GENIUS 10.4's traces, anac-fid5: on Laptop its opening bid
 * is its second best, repeated, in 3 of 4 sessions against HardHeaded and in all
 * sessions against TheFawkes; the description is silent). */
#include <math.h>

#include "anac.h"

typedef struct ponpoko {
    core c;
    int pattern;
} ponpoko;

static int ponpoko_init(void *state, const truce_agent_setup *setup, truce_error *err,
                        void *payload)
{
    ponpoko *a = state;
    param p[1] = {{"pattern", -1, "", 0}};
    int rc = anac_start(&a->c, setup, "ponpokoagent", *(const size_t *)payload, OM_NONE, p, 1, err);
    if (rc || (rc = param_check("ponpokoagent", &p[0], -1, 4, err)))
        return rc;
    a->pattern = p[0].number >= 0 ? (int)p[0].number : (int)rng_below(&a->c.b.r, 5);
    return 0;
}

static void thresholds(int pattern, double t, double *high, double *low)
{
    switch (pattern) {
    case 0: *high = 1 - 0.1 * t; *low = 1 - 0.1 * t - 0.1 * fabs(sin(40 * t)); break;
    case 1: *high = 1; *low = 1 - 0.22 * t; break;
    case 2: *high = 1 - 0.1 * t; *low = 1 - 0.1 * t - 0.15 * fabs(sin(20 * t)); break;
    case 3: *high = 1 - 0.05 * t; *low = t > 0.99 ? 1 - 0.3 * t : 1 - 0.1 * t; break;
    default: *high = 1 - 0.15 * t * fabs(sin(20 * t)); *low = 1 - 0.21 * t * fabs(sin(20 * t)); break;
    }
}

static int ponpoko_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                       uint32_t *offer, void *payload)
{
    (void)payload;
    ponpoko *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double high, low;
    thresholds(a->pattern, turn->time, &high, &low);
    /* shares of Umax; the reservation value is not their scale (anac-fid25: GENIUS 10.4's takes
     * a constant 0.849 in the same rounds, 59, 70 or 85 by its pattern, on SmartPhone with its
     * reservation value of 0.6 as with 0, where scaled to [0.6, 1] truce's never took it) */
    high *= b->umax;
    low *= b->umax;
    int has = turn->offer && turn->offer_from != b->party;
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility > low)
        return anac_accept(kind);
    base_range range;
    /* the window's top is open ([low, high)); pattern 1's high is Umax and GENIUS's offers its
     * best bid then (anac-fid10), so the top is raised just past Umax */
    base_range_init(b, low, high >= b->umax ? b->umax + 1e-9 : high, &range);
    if (range.searched && range.bottom >= range.top) {
        /* no bid in [low, high]: the best bid below high */
        uint64_t k = space_count_at_least(b->sp, b->party, high);
        if (k < space_bid_count(b->sp, b->party))
            return anac_offer(&a->c, kind, space_kth_best(b->sp, b->party, k, offer));
    }
    return anac_offer(&a->c, kind, base_range_draw(b, &range, offer));
}

const truce_agent_class agent_ponpokoagent_class = {
    "ponpokoagent", 0, anac_size, ponpoko_init, ponpoko_act, anac_observe, ANAC_SELF(ponpoko)};
