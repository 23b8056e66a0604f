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
 * Choices: one HardHeaded-style frequency model per opponent (up to 8
 * models; with more parties opponents share them by party index modulo 8);
 * the toughest opponent has the lowest mean utility, to YXAgent, of its
 * offers, m (Umax before any offer).
 * Read off GENIUS 10.4's YXAgent (anac-fid6: traces on ANAC 2011 Camera and
 * Laptop against Boulware and Conceder; docs/anac-agents.md#yxagent), since the
 * description gives no numbers: up to t = 0.98 its threshold is 0.9 Umax
 * against either (every bid of its 80 on Camera against Boulware is worth
 * 0.901-1.0, and it refuses 0.874 and takes 0.941 on Laptop), its bids are
 * drawn uniformly among those worth at least the threshold (their worth to the
 * opponent varies at random: 0.32-0.74 on Camera), and its first bid, before
 * any offer, is a uniformly random bid of the whole space (0.71 and 0.73 on
 * Camera; truce's: of those worth its reservation value). From t = 0.98 (truce's choice, no session
 * of these gets there) the threshold is max(reservation, min(0.9 Umax, m)). */
#include "anac.h"

typedef struct yx {
    core c;
    opp_models opp;
    double sum[OPP_MODELS];
    uint64_t count[OPP_MODELS];
} yx;

static size_t yx_size(const truce_space *sp, void *payload)
{
    return anac_size(sp, payload) + opp_models_bytes(truce_space_scenario(sp));
}

static int yx_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    yx *a = state;
    int rc = anac_start(&a->c, setup, "yxagent", *(const size_t *)payload, OM_NONE, NULL, 0, err);
    if (rc)
        return rc;
    const truce_space *sp = setup->space;
    char *cursor = (char *)a + CARVE_ROUND(sizeof *a) + base_bytes(sp) + om_bytes(sp->s);
    opp_models_init(&a->opp, sp->s, &cursor);
    return 0;
}

static void yx_observe(void *state, const truce_event *ev, void *payload)
{
    yx *a = state;
    anac_observe(state, ev, payload);
    size_t k = opp_models_observe(&a->opp, a->c.b.party, ev);
    if (k < OPP_MODELS) {
        a->sum[k] += base_utility(&a->c.b, ev->offer);
        a->count[k]++;
    }
}

static int yx_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    yx *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time, m = b->umax;
    /* the toughest opponent's mean offer */
    for (size_t k = 0; k < a->opp.n; k++)
        if (a->count[k] && a->sum[k] / (double)a->count[k] < m)
            m = a->sum[k] / (double)a->count[k];
    double th = 0.9 * b->umax;
    if (t >= 0.98 && m < th)
        th = m;
    if (th < b->reservation)
        th = b->reservation;
    int has = turn->offer && turn->offer_from != b->party;
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= th)
        return anac_accept(kind);
    /* before any offer: any bid worth its reservation value */
    double floor = b->received ? th : b->reservation;
    return anac_offer(&a->c, kind, base_random_bid(b, floor, offer));
}

const truce_agent_class agent_yxagent_class = {"yxagent", 0,          yx_size,      yx_init,
                                               yx_act,    yx_observe, ANAC_SELF(yx)};
