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
 * Read off GENIUS 10.4's AgentFSEGA (anac-fid6: traces on ANAC 2011 Camera and
 * Laptop, both seats, against Boulware and Conceder; docs/anac-agents.md#agentfsega),
 * since the paper gives no numbers: "just below its previous one" is the next bid
 * down its own list, one a turn: it opens with its best and steps to the next bid
 * only when that one is worth at least its target Umax (1 - d(t)), else repeats
 * its bid (the same walk against every opponent; the model never changes a bid).
 * d(t) is piecewise linear through the points where GENIUS's walk steps (knots
 * below), then rises by 0.425 per unit of time to the end (anac-fid25: GENIUS's
 * walk on ItexvsCypress and LaptopD1, whose few bids let the target show, goes on
 * down to 0.53-0.54 by round 98; on Camera it steps every turn and never gets
 * near its target; until anac-fid25 d stayed at most 0.28 to t = 0.85, then 0.4
 * at 0.95 and 0.5 at 1); the target is at least the reservation value. It accepts
 * an offer worth at least the bid it offers this turn (GENIUS's takes Boulware's
 * 0.7256 on Laptop at t = 0.455 as its walk steps down to that bid, refuses a
 * constant 0.71 on Camera to the end while bidding 0.80, and takes 0.616 on
 * ItexvsCypress bidding 0.586; it no longer takes an offer worth the target, which
 * took the 0.71 in round 87). Spaces too large to tabulate: the bid the model rates best
 * among those within 0.05 above the target (only there is the model kept: elsewhere
 * nothing reads it). */
#include "anac.h"

/* Umax - target, in units of Umax, at the knots' times (round r of 100 at r / 101): each lies
 * between the last round GENIUS's walk stayed and the first it stepped to a bid that far down
 * (Camera and Laptop; the knots at 0.0891 and 0.4653 from ItexvsCypress, anac-fid25). */
#define FSEGA_KNOTS 17
static const double fsega_t[FSEGA_KNOTS] = {0,      0.0198, 0.0297, 0.0396, 0.0495, 0.0594,
                                            0.0693, 0.0891, 0.1287, 0.1683, 0.1782, 0.2138,
                                            0.2831, 0.3227, 0.4020, 0.4514, 0.4653};
static const double fsega_d[FSEGA_KNOTS] = {0,      0.0200, 0.0305, 0.0405, 0.0510, 0.0570,
                                            0.0620, 0.0734, 0.0930, 0.1200, 0.1265, 0.1484,
                                            0.1849, 0.2073, 0.2438, 0.2744, 0.2775};
#define FSEGA_SLOPE 0.425 /* after the last knot (anac-fid25: ItexvsCypress) */
/* Besides what its own bid is worth, it takes an offer worth its target, but never below
 * reservation + (Umax - reservation)(1 - FSEGA_ACCEPT_CAP): GENIUS 10.4's takes Boulware's 0.7256
 * on Laptop in round 46 (t = 0.455, target 0.7247) while its bid is 0.7354 (its next, 0.734),
 * refuses Boulware's 0.7125 at t = 0.69 and 0.62 at 0.80 on Camera and a constant 0.71 there to
 * round 100, bidding 0.80 or more, and on SmartPhone (reservation 0.6) Boulware's 0.7547 at t =
 * 0.92 bidding 0.85 (until anac-fid25 the walk's target itself stopped at 0.28 below Umax to
 * t = 0.85). Not matched: on LaptopD1 it took a constant 0.7927 in round 30, the round after
 * bidding 0.8151 (the next bid down its list; target 0.807), where truce's takes it in round 33,
 * when it bids it: a rule taking the next bid down took Boulware's offer in round 23 in the
 * Laptop seller's session GENIUS's played to round 30 */
#define FSEGA_ACCEPT_CAP 0.28

typedef struct fsega {
    core c;
    uint64_t at; /* sorted index of its last bid */
} fsega;

static int fsega_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    fsega *a = state;
    /* the model rates bids only in spaces too large to tabulate (fsega_act): in the others it
     * would be updated at every offer and never read, so it is not kept (the same bids) */
    int model = setup->space->tabulated ? OM_NONE : OM_BAYES;
    return anac_start(&a->c, setup, "agentfsega", *(const size_t *)payload, model, NULL, 0, err);
}

static double fsega_target(const base *b, double t)
{
    double d;
    if (t <= 0) {
        d = 0;
    } else if (t >= fsega_t[FSEGA_KNOTS - 1]) {
        d = fsega_d[FSEGA_KNOTS - 1] + FSEGA_SLOPE * ((t > 1 ? 1 : t) - fsega_t[FSEGA_KNOTS - 1]);
    } else {
        int k = 1;
        while (fsega_t[k] < t)
            k++;
        d = fsega_d[k - 1] +
            (fsega_d[k] - fsega_d[k - 1]) * (t - fsega_t[k - 1]) / (fsega_t[k] - fsega_t[k - 1]);
    }
    double target = b->umax * (1 - d);
    return target > b->reservation ? target : b->reservation;
}

static int fsega_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    fsega *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double target = fsega_target(b, turn->time), u;
    uint64_t at = 0;
    if (b->sp->tabulated) {
        /* its best first; then the next bid down its list when it is worth the target */
        at = b->made ? a->at : 0;
        if (b->made && at + 1 < space_bid_count(b->sp, b->party) &&
            b->sp->sorted_u[b->party][at + 1] >= target)
            at++;
        u = space_kth_best(b->sp, b->party, at, offer);
    } else {
        u = pick_for_opponent(b, &a->c.m, target, 0.05, 32, offer);
    }
    /* it takes what its bid this turn is worth, or what its target asks but never less than
     * FSEGA_ACCEPT_CAP below Umax, of the way down to the reservation value */
    double least = b->reservation + (b->umax - b->reservation) * (1 - FSEGA_ACCEPT_CAP);
    double take = target > least ? target : least;
    if (turn->offer && turn->offer_from != b->party &&
        anac_acceptable(&a->c, turn->offer_utility) &&
        (turn->offer_utility >= u || turn->offer_utility >= take))
        return anac_accept(kind);
    a->at = at;
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_agentfsega_class = {
    "agentfsega", 0, anac_size, fsega_init, fsega_act, anac_observe, ANAC_SELF(fsega)};
