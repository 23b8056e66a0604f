/* agentlg.c: AgentLG (ANAC 2012, second). Described in Williams, Robu,
 * Gerding and Jennings (2014), "An overview of the results and insights from
 * the third automated negotiating agents competition (ANAC 2012)", Novel
 * Insights in Agent-based Complex Automated Negotiation, SCI 535, Springer.
 *
 * From the description: AgentLG stays tough for most of the session, offering
 * its best bids, concedes slowly in time, and in the last part of the session
 * agrees to the opponent's best offers.
 * Read off GENIUS 10.4's AgentLG (traces on ANAC 2011 Laptop and Camera, both
 * seats, against Boulware, Conceder, AgentK, HardHeaded, CUHKAgent,
 * Gahboninho, AgreeableAgent2018 and TheFawkes; docs/anac-agents.md#agentlg),
 * since the text at hand gives no numbers: it offers its best bid until
 * t = 0.109 (11 rounds of 100), then walks down its own bids in order of
 * utility, one a turn, and goes back to its best when the next bid is below a
 * floor; the floor falls in steps every 0.109 of the time (the same walk
 * against every opponent). The floors, Umax minus 0, 0.031, 0.046, 0.052,
 * 0.0734, 0.0923, 0.0923, 0.0926, 0.100, 0.110 in steps 0-9, are where
 * GENIUS's AgentLG's walk turns as the Camera buyer (its seller's turns are
 * 0.01-0.015 lower from step 2; its Laptop walks fit neither: see the doc).
 * It accepts an offer at least its floor or its next bid, and, from t = 0.42
 * (Laptop: the buyer takes 0.874 at t = 0.436, not at 0.416), one worth at
 * least Umax - 0.13; from t = 0.7 (takes 0.852 at t = 0.752, not at 0.673),
 * Umax - 0.15. After t = 0.99 it accepts offers within 0.02 of the best
 * received if worth at least max(reservation, 0.5 Umax) (anac-fid4: GENIUS's
 * AgentLG takes none of CUHKAgent's offers worth 0.27 or 0.49 at the end on
 * Camera). Spaces too large to tabulate: the bid the frequency model rates
 * best among those within 0.03 above the floor. */
#include "anac.h"

/* The floor falls every LG_STEP of the time (11 rounds of 100), LG_STEPS times. */
#define LG_STEP 0.109
#define LG_STEPS 10
static const double lg_drop[LG_STEPS] = {0,      0.031,  0.046,  0.052, 0.0734,
                                         0.0923, 0.0923, 0.0926, 0.100, 0.110};

typedef struct agentlg {
    core c;
    uint64_t at; /* sorted index of its last bid */
} agentlg;

static int lg_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    agentlg *a = state;
    return anac_start(&a->c, setup, "agentlg", *(const size_t *)payload, OM_FREQUENCY, NULL, 0,
                      err);
}

/* The lowest utility its walk reaches at time t (at least the reservation value). */
static double lg_floor(const base *b, double t)
{
    int k = t > 0 ? (int)(t / LG_STEP) : 0;
    if (k >= LG_STEPS)
        k = LG_STEPS - 1;
    double f = b->umax - lg_drop[k];
    return f > b->reservation ? f : b->reservation;
}

/* The least utility it accepts at time t, besides its next bid and the end rule. */
static double lg_take(const base *b, double t, double floor)
{
    double take = floor;
    if (t > 0.7 && b->umax - 0.15 < take)
        take = b->umax - 0.15;
    else if (t > 0.42 && b->umax - 0.13 < take)
        take = b->umax - 0.13;
    return take;
}

static int lg_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    agentlg *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time, floor = lg_floor(b, t), u;
    uint64_t next = 0;
    if (b->sp->tabulated) {
        /* the next bid down its list, or its best again when the next is below the floor */
        next = b->made ? a->at + 1 : 0;
        if (next >= space_bid_count(b->sp, b->party) || b->sp->sorted_u[b->party][next] < floor)
            next = 0;
        u = space_kth_best(b->sp, b->party, next, offer);
    } else {
        u = pick_for_opponent(b, &a->c.m, floor, 0.03, 16, offer);
    }
    double v = turn->offer_utility;
    int has = turn->offer && turn->offer_from != b->party;
    /* anac_acceptable: at least the reservation value, so the end rule's floor is
     * max(reservation, 0.5 Umax) */
    if (has && anac_acceptable(&a->c, v) &&
        (v >= lg_take(b, t, floor) || v >= u ||
         (t >= 0.99 && v >= b->best_u - 0.02 && v >= 0.5 * b->umax)))
        return anac_accept(kind);
    a->at = next;
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_agentlg_class = {
    "agentlg", 0, anac_size, lg_init, lg_act, anac_observe, ANAC_SELF(agentlg)};
