/* yxagent.c: YXAgent (ANAC 2016, second; multilateral). Described in the
 * ANAC 2016 report: Aydoğan, Fujita, Baarslag, Jonker and Ito, "ANAC 2017:
 * repeated multilateral negotiation league" and "The seventh automated
 * negotiating agents competition (ANAC 2016)", Advances in Automated
 * Negotiations, SCI 905, Springer (2021).
 *
 * From the description: YXAgent keeps a frequency model (issue weights and
 * value counts) of each opponent and singles out the toughest one, the
 * opponent that has conceded least; its acceptance threshold is set from
 * what the toughest opponent offers and falls with time; it offers bids
 * above its threshold, chosen with the toughest opponent's model, and
 * accepts an offer above its threshold.
 * Read off GENIUS 10.4's YXAgent (anac-fid6: traces on ANAC 2011 Camera and
 * Laptop against Boulware and Conceder; docs/anac-agents.md#yxagent), since the
 * description gives no numbers: its threshold is 0.9 Umax against either (every
 * bid of its 80 on Camera against Boulware is worth 0.901-1.0, and it refuses 0.874
 * and takes 0.941 on Laptop), its bids are drawn uniformly among those worth at
 * least the threshold (their worth to the opponent varies at random: 0.32-0.74 on
 * Camera), and its first bid, before any offer, is a uniformly random bid of those worth at
 * least YX_FIRST Umax (anac-fid27: 40 first bids of GENIUS's as the first mover against one bid
 * offered all session, on LaptopD1, ItexvsCypress and SmartPhone with reservation 0, are worth
 * 0.702-1.0, most near 0.7 where SmartPhone's bids are dense; with the reservation value set to
 * 0.8, 0.710-0.895: 0.7 whatever its reservation value; truce's keeps to that value too, and
 * before anac-fid27 drew from every bid worth it, 0.39-0.47 in those probes). The threshold does
 * not fall at the end (anac-fid25: against one bid offered all session, worth 0.6, 0.85 or 0.88,
 * GENIUS's refuses it to round 100 on ItexvsCypress and SmartPhone, its bids staying at 0.9 or
 * more; until anac-fid25 truce's fell from t = 0.98 to the toughest opponent's mean offer, which is
 * all it kept a model of the opponents for: no GENIUS session shows the description's
 * toughest-opponent threshold, so neither the models nor the means are kept). It
 * takes nothing below its reservation value (truce's rule for every agent). */
#include "anac.h"

/* the least its first bid, before any offer, is worth, as a share of Umax (header) */
#define YX_FIRST 0.7

typedef struct yx {
    core c;
} yx;

static int yx_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    yx *a = state;
    return anac_start(&a->c, setup, "yxagent", *(const size_t *)payload, OM_NONE, NULL, 0, err);
}

static int yx_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    yx *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double th = 0.9 * b->umax;
    if (th < b->reservation)
        th = b->reservation;
    int has = turn->offer && turn->offer_from != b->party;
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= th)
        return anac_accept(kind);
    /* before any offer: any bid worth YX_FIRST Umax (and its reservation value) */
    double first = YX_FIRST * b->umax;
    if (first < b->reservation)
        first = b->reservation;
    double floor = b->received ? th : first;
    return anac_offer(&a->c, kind, base_random_bid(b, floor, offer));
}

const truce_agent_class agent_yxagent_class = {
    "yxagent", 0, anac_size, yx_init, yx_act, anac_observe, ANAC_SELF(yx)};
