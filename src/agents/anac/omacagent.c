/* omacagent.c: OMAC (ANAC 2012, joint third). Chen and Weiss (2012), "An
 * efficient and adaptive approach to negotiation in complex environments",
 * ECAI 2012, pp. 228-233.
 *
 * From the paper (its abstract; the full text was not at hand): OMAC models
 * the opponent from the utilities of its offers (wavelet decomposition and a
 * cubic smoothing spline) and sets its concession from the expected utility
 * of the opponent's forthcoming offers, discounted. What truce does is read
 * off GENIUS 10.4's OMACagent (traces in bench/genius-data/traces, docs
 * "anac-fid5 (OMACagent)"), its constants fitted there:
 * - it offers its best bid until it gives up waiting, then holds a level
 *   L = Umax d^0.2 (d the discount factor; never below the reservation);
 * - it gives up at t >= 0.14 + 0.34 (d - 0.42) (0.14 for d <= 0.42;
 *   anac-fid8, GENIUS on Grocery and Camera with d from 0.42 to 0.81), and not
 *   before the opponent's last offer c tells it to: t >= 1.55 (c - 0.58) when
 *   it opened, 2.34 (c - 0.567) when it answers (later, as GENIUS's: 0.726 in
 *   round 38, 0.815 in round 59 on Laptop; 0.565 before anac-fid20 gave 60);
 *   never when d >= 0.85;
 * - near the deadline its target falls to T (1 - a t^27), T its level
 *   (L once it gave up, Umax before), a = 0.26 for d <= 0.42 and d >= 0.85,
 *   min(0.38, 0.26 + 0.6 (d - 0.42)) between (anac-fid8: GENIUS's fall is
 *   deeper at d = 0.6, 0.7, 0.81 than at 0.42, the same on Grocery and Camera);
 * - it offers its best bid while its target is within 0.01 of Umax, then a
 *   random bid within 0.01 of its target (the bid just above when none
 *   is), in 3 draws of 100 the bid just above that band instead (anac-fid18:
 *   GENIUS's bids lie up to 0.03 above its target in 10 of about 320 draws on
 *   Grocery and its copies, and on Laptop it offers the 0.874 above its 0.852
 *   now and then; fitted), or the opponent's best offer when that is worth its
 *   target; it accepts an offer worth its target;
 * - but an offer better than every earlier one of the opponent's (and below
 *   Umax) that is not worth a bid it offered itself it neither accepts nor
 *   answers with a concession: that turn it offers its best bid (anac-fid20:
 *   GENIUS's, on Laptop, refuses a new 0.874 and offers its best bid for one
 *   round, then accepts 0.874 offered again or offers it back; a new best
 *   worth less than its target, 0.667, 0.726 or 0.815, also gets its best bid
 *   for a round; its own 0.852 offered back, and on Grocery its own 0.96 and
 *   0.975, it accepts at once);
 * - with a reservation value of 0.31 Umax or more it does not wait: from its
 *   third turn to the earliest time it would give up, whatever the opponent
 *   offers, it bids the least bid worth a utility drawn from [0.942 Umax, Umax],
 *   and after that time it holds L (d < 0.85) or its best bid (anac-fid30:
 *   GENIUS's, against constant offers on copies of SmartPhone, Camera and
 *   Grocery with a reservation of 0.32-0.7 and on ANAC 2013 Camera-A, bids
 *   0.944-1.0 from round 3 or 4 in either seat and holds its best with 0.3 or
 *   none; its best again from round 30 on SmartPhone (d = 0.87) and 31 on
 *   Camera (0.89); its usual band around L from round 26 on Camera-A (0.75)). */
#include <math.h>

#include "anac.h"

#define OMAC_LEVEL_EXPONENT 0.2 /* L = Umax d^0.2 */
/* no giving up before OMAC_EARLIEST + OMAC_EARLIEST_SLOPE (d - OMAC_EARLIEST_D), d >= 0.42
 * (GENIUS: round 15 of 100 with d = 0.42, 17 with 0.5, 21 with 0.6, 24 with 0.7, 28 with 0.8) */
#define OMAC_EARLIEST 0.14
#define OMAC_EARLIEST_SLOPE 0.34
#define OMAC_EARLIEST_D 0.42
#define OMAC_NO_SWITCH_DISCOUNT 0.85
#define OMAC_BAND 0.01
#define OMAC_HIGH 0.03      /* the chance that a draw gives the bid just above the band */
#define OMAC_FALL 0.26      /* the end-game fall's coefficient, d <= 0.42 or d >= 0.85 */
#define OMAC_FALL_MAX 0.38  /* ... and at most this between */
#define OMAC_FALL_SLOPE 0.6 /* per unit of d above 0.42 */
#define OMAC_OWN 64         /* distinct utilities of its own bids remembered */
/* a reservation value worth OMAC_RESERVE Umax or more: no waiting, from its third turn, until it
 * would have given up at the earliest its bids the least worth a utility drawn uniformly from
 * [OMAC_RESERVE_LOW Umax, Umax] */
#define OMAC_RESERVE 0.31
#define OMAC_RESERVE_TURN 3
#define OMAC_RESERVE_LOW 0.942

typedef struct omac {
    core c;
    int opened;    /* its first turn had no offer on the table */
    int turns;     /* its turns so far, this one included (0 before its first) */
    int gave_up;   /* holds L instead of Umax */
    int got;       /* has received an offer before this turn */
    double top;    /* the best of those offers, to it */
    size_t n_own;
    double own[OMAC_OWN]; /* the utilities of the bids below its best that it offered */
} omac;

static int omac_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    return anac_start(&((omac *)state)->c, setup, "omacagent", *(const size_t *)payload, OM_NONE,
                      NULL, 0, err);
}

/* The level OMAC holds once it gives up waiting for the opponent. */
static double omac_level(double umax, double discount, double reservation)
{
    double level = umax * pow(discount, OMAC_LEVEL_EXPONENT);
    return level > reservation ? level : reservation;
}

/* The earliest time OMAC gives up waiting. */
static double omac_earliest(double discount)
{
    return OMAC_EARLIEST + OMAC_EARLIEST_SLOPE * fmax(0, discount - OMAC_EARLIEST_D);
}

/* Whether, at time t, the opponent's last offer worth c makes OMAC give up holding Umax. */
static int omac_gives_up(double t, double c, double discount, int opened)
{
    if (discount >= OMAC_NO_SWITCH_DISCOUNT || t < omac_earliest(discount))
        return 0;
    return opened ? t >= 1.55 * (c - 0.58) : t >= 2.34 * (c - 0.567);
}

/* Whether OMAC offered a bid worth u (below its best) itself. */
static int omac_offered(const omac *a, double u)
{
    for (size_t k = 0; k < a->n_own; k++)
        if (a->own[k] == u)
            return 1;
    return 0;
}

/* Records its offer worth u. */
static int omac_offer(omac *a, truce_action_kind *kind, double u)
{
    if (u < a->c.b.umax && a->n_own < OMAC_OWN && !omac_offered(a, u))
        a->own[a->n_own++] = u;
    return anac_offer(&a->c, kind, u);
}

/* The target at time t from the level it holds: the end-game fall. */
static double omac_target(double level, double t, double discount)
{
    double a = OMAC_FALL;
    if (discount > OMAC_EARLIEST_D && discount < OMAC_NO_SWITCH_DISCOUNT)
        a = fmin(OMAC_FALL_MAX, OMAC_FALL + OMAC_FALL_SLOPE * (discount - OMAC_EARLIEST_D));
    return level * (1 - a * pow(t, 27));
}

static int omac_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    omac *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    int has = turn->offer && turn->offer_from != b->party;
    if (a->turns++ == 0)
        a->opened = !has;
    if (!a->gave_up && has && omac_gives_up(t, turn->offer_utility, b->discount, a->opened))
        a->gave_up = 1;
    /* a high reservation value: from its third turn it does not wait; to the time it would give
     * up at the earliest it takes offers worth L and draws its bids (below), after that it holds
     * L unless d >= 0.85 (then its best bid, as without the reservation value) */
    int early = t < omac_earliest(b->discount);
    int reserved = b->reservation >= OMAC_RESERVE * b->umax && a->turns >= OMAC_RESERVE_TURN &&
                   (b->discount < OMAC_NO_SWITCH_DISCOUNT || early);
    /* an offer better than every earlier one of the opponent's, below its best, and not worth a
     * bid it made itself: this turn it neither accepts nor concedes, it offers its best bid
     * (anac-fid20) */
    double c = has ? turn->offer_utility : 0;
    int fresh = has && a->got && c > a->top && c < b->umax && !omac_offered(a, c);
    if (has && (!a->got || c > a->top)) {
        a->got = 1;
        a->top = c;
    }
    if (fresh)
        return anac_offer(&a->c, kind, base_bid(b, b->umax, offer));
    double level =
        a->gave_up || reserved ? omac_level(b->umax, b->discount, b->reservation) : b->umax;
    double target = omac_target(level, t, b->discount);
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= target)
        return anac_accept(kind);
    if (b->best_u >= target && b->best_u >= 0) {
        for (size_t i = 0; i < b->ni; i++)
            offer[i] = b->best[i];
        return omac_offer(a, kind, b->best_u);
    }
    double u;
    if (reserved && !a->gave_up && early)
        u = base_bid(b, b->umax * (OMAC_RESERVE_LOW + (1 - OMAC_RESERVE_LOW) * rng_uniform(&b->r)),
                     offer);
    else if (target > b->umax - OMAC_BAND)
        u = base_bid(b, b->umax, offer);
    else if (rng_uniform(&b->r) < OMAC_HIGH)
        u = base_bid(b, target + OMAC_BAND, offer);
    else
        u = base_random_between(b, target - OMAC_BAND, target + OMAC_BAND, offer);
    return omac_offer(a, kind, u);
}

const truce_agent_class agent_omacagent_class = {
    "omacagent", 0, anac_size, omac_init, omac_act, anac_observe, ANAC_SELF(omac)};
