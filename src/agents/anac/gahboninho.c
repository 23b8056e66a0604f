/* gahboninho.c: Gahboninho (ANAC 2011, second). Ben Adar, Sofy and Elimelech
 * (2013), "Gahboninho: strategy for balancing pressure and compromise in
 * automated negotiation", Complex Automated Negotiations, SCI 435, Springer,
 * pp. 205-208.
 *
 * From the paper: it first applies pressure, offering its best bids, while
 * it measures how much the opponent moves (its "niceness"); then it concedes
 * from its best toward a floor that is lower the nicer the opponent was and
 * never below the opponent's best offer, picking among bids near its target
 * the one a frequency model of the opponent likes most; at the very end it
 * accepts (or offers back) the opponent's best offer.
 * Read off GENIUS 10.4's Gahboninho (fid5, docs/anac-agents.md; the paper's
 * text was not at hand, so these are fitted to traces, not taken from it).
 * With tau = t / d (d the discount factor, 1 when none): it offers its best
 * bid; in the window 0.9425 <= tau < 1.0603 (t = 0.40-0.45 on Laptop, rounds
 * 41-45 of 100) it offers the bid within 0.06 of its best that the frequency
 * model of the opponent likes most; until tau = 1.0603 it accepts an offer
 * worth at least Umax - 0.1443 tau (on Laptop Umax - 0.34 t: 0.874 taken at
 * t = 0.416, 0.852 at 0.436, 0.941 at 0.257, 0.852 refused at 0.406 and
 * 0.426), afterwards only one worth its own bid; at t > 0.99 it offers the
 * best offer received back rather than accept it (Laptop, against Nozomi).
 * With d >= 0.97 (anac-fid13; Energy and copies of Laptop, Camera, Grocery with
 * d = 1) it accepts instead an offer worth at least
 * Umax - 0.05 - 0.33 max(0, t - 0.86) (see GAHBO_HOLD_BAND).
 * Against every opponent traced (AgentK, Nozomi, HardHeaded, CUHKAgent,
 * PonPokoAgent, ParsAgent, Boulware, Conceder) it concedes nothing else, so
 * the paper's concession toward a niceness floor is not modelled (the earlier
 * curve, Umax - 0.4 + 0.3 min(1, 5 niceness), held a compromise bid from t = 0.56
 * that GENIUS's never offers). Scaling by d is a guess from one more point: on
 * Camera (d = 0.89) GENIUS's changes at t = 0.84 (tau = 0.945), where it offers
 * the opponent's best bid (not matched: truce's offers its window bid).
 * anac-fid22 (probes on ItexvsCypress, SmartPhone, Kitchen, Travel): whatever d, it takes an
 * offer worth Umax - 0.05 at any time; in rounds 5-15 it offers bids 0.002 lower each round
 * (GAHBO_PROBE_*; its 0.979 bid of round 15 as the Camera buyer); what it gives back must be
 * worth GAHBO_FLOOR (0.25), the reservation value does not count in GENIUS (truce's keeps to it:
 * its agents neither offer nor accept below their reservation value; with floor=none it does not
 * count, as in GENIUS: anac-fid29). */
#include <string.h>

#include "anac.h"

#define GAHBO_WINDOW_START 0.9425 /* 0.40 / 0.4244 */
#define GAHBO_WINDOW_END 1.0603   /* 0.45 / 0.4244 */
#define GAHBO_WINDOW_BAND 0.06
#define GAHBO_SLOPE 0.1443 /* 0.34 * 0.4244 */
/* fid6: with a discount factor in [GAHBO_HARD_LO, GAHBO_HARD_HI) GENIUS's gives up at the first
 * turn with tau >= GAHBO_GIVE_UP (Laptop and Camera with d = 0.57-0.95: rounds 55-91, tau
 * 0.9406-0.956; not in the rounds before, tau <= 0.9389), offering the opponent's best bid back;
 * with d = 0.55 or lower, or 0.99 and higher, it does not (Laptop d = 0.45-0.55, Camera 0.5,
 * 0.55, 0.99, 1.0) */
#define GAHBO_GIVE_UP 0.94
#define GAHBO_HARD_LO 0.56
#define GAHBO_HARD_HI 0.97
/* anac-fid12: after giving the opponent's best bid back it offers that bid again and takes only
 * an offer within GAHBO_GIVEN_BAND of it (Camera, d = 0.89, against Atlas3) */
#define GAHBO_GIVEN_BAND 0.05
/* anac-fid12/fid13: with d >= GAHBO_HARD_HI (no or little discount) GENIUS's accepts an offer
 * worth at least Umax - GAHBO_HOLD_BAND - GAHBO_HOLD_SLOPE max(0, t - GAHBO_HOLD_FROM), not the
 * fid5 line. Energy (d = 1): refused 0.946 at t = 0.822, took 0.956 at 0.832 and 0.861, refused
 * 0.901 at 0.950, took 0.922 at 0.970; Laptop d = 1: took 0.941 at 0.891, refused 0.874 at 0.980;
 * copies of Camera and Grocery with d = 1 (fid13): refused 0.925 at 0.861 and 0.931 at 0.911,
 * took 0.928 and 0.925 at 0.960. Slopes 0.29-0.37 fit every point (fid12's 0.4 took the 0.931) */
#define GAHBO_HOLD_BAND 0.05
#define GAHBO_HOLD_FROM 0.86
#define GAHBO_HOLD_SLOPE 0.33
/* anac-fid22: what it gives back, at the give-up and at t > 0.99, must be worth at least
 * GAHBO_FLOOR to it, whatever the reservation value. ItexvsCypress (d = 1, reservation 0), a
 * replayed opponent offering one bid throughout: given back in round 100 when worth 0.2500,
 * 0.257, 0.259, 0.271, 0.287, 0.298, 0.307, not when worth 0.2499, 0.249, 0.202 (nor CUHKAgent's
 * 0.164); SmartPhone (d = 0.87, reservation 0.6): given back at the give-up (round 83) when worth
 * 0.2502, 0.258, 0.309, 0.548 (HardHeaded's, below the reservation value), not 0.2492 or 0.211
 * (it then offers its best to the end), and the 0.309 taken in round 84 */
#define GAHBO_FLOOR 0.25
/* anac-fid22: in rounds 5-15 (GENIUS's clock t = r / 101: 0.0495-0.1485), whatever the discount,
 * it offers the bid at Umax - GAHBO_PROBE_SLOPE (t - GAHBO_PROBE_ZERO), 0.002 lower each round
 * (Kitchen, d = 0.8, against Atlas3, TheFawkes, Boulware and replayed constant opponents:
 * 0.998 0.995 0.993 0.991 0.989 0.987 0.985 0.983 0.981 0.979 0.978 in rounds 5-15, then its best
 * again; Travel, d = 1: 0.987, 0.986, 0.980 in rounds 10, 11, 14; Energy: 0.994-0.976 in rounds
 * 6-15, fid12), a bid whatever it is worth to the opponent (Kitchen: 0.15-0.67 to it) */
#define GAHBO_PROBE_FROM 0.045
#define GAHBO_PROBE_TO 0.15
#define GAHBO_PROBE_ZERO 0.0306
#define GAHBO_PROBE_SLOPE 0.191

typedef struct gahbo {
    core c;
    int gave_up; /* it has offered the opponent's best bid back (hard regime) */
} gahbo;

static int gahbo_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    gahbo *a = state;
    a->gave_up = 0;
    param p[1] = {{"floor", 0, "reservation", 0}};
    int rc =
        anac_start(&a->c, setup, "gahboninho", *(const size_t *)payload, OM_FREQUENCY, p, 1, err);
    return rc ? rc : anac_floor_param(&a->c, "gahboninho", &p[0], err);
}

static int gahbo_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    gahbo *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    /* time relative to the discount factor d: GENIUS's window is at t = 0.40-0.45 on Laptop
     * (d = 0.42) and its Camera behaviour changes at t = 0.84 (d = 0.89), both near t / d = 1 */
    double tau = b->discount > 0 && b->discount < 1 ? t / b->discount : t;
    int has = turn->offer && turn->offer_from != b->party;
    /* discounted, but not much and not little: hold the best bid, then give up (fid6) */
    int hard = b->discount >= GAHBO_HARD_LO && b->discount < GAHBO_HARD_HI;
    /* what it gives back: at least GAHBO_FLOOR, and (unlike GENIUS's, anac-fid22) never below
     * its reservation value: truce's agents neither offer nor accept below it, but with
     * floor=none (b.floor: anac-fid29) */
    double floor = b->floor > GAHBO_FLOOR ? b->floor : GAHBO_FLOOR;
    if (hard && tau >= GAHBO_GIVE_UP && b->received && b->best_u >= floor) {
        /* the first such turn it offers the best bid received back, even when that is the
         * offer on the table (Laptop d = 0.6, round 57; Camera d = 0.95, round 91); after that
         * it offers that bid again and takes an offer within GAHBO_GIVEN_BAND of it (Camera
         * d = 0.95: 0.485 in round 92, after offering 0.495; fid12, Camera against Atlas3: it
         * refused 0.803 and 0.834 in rounds 86-96 after offering 0.926 back in round 85) */
        if (a->gave_up && has && anac_acceptable(&a->c, turn->offer_utility) &&
            turn->offer_utility >= b->best_u - GAHBO_GIVEN_BAND)
            return anac_accept(kind);
        a->gave_up = 1;
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    double u;
    if (b->discount < GAHBO_HARD_LO && tau >= GAHBO_WINDOW_START && tau < GAHBO_WINDOW_END)
        u = pick_for_opponent(b, &a->c.m, b->umax - GAHBO_WINDOW_BAND, GAHBO_WINDOW_BAND, 16, offer);
    else if (t >= GAHBO_PROBE_FROM && t < GAHBO_PROBE_TO)
        u = base_bid(b, b->umax - GAHBO_PROBE_SLOPE * (t - GAHBO_PROBE_ZERO), offer);
    else
        u = pick_for_opponent(b, &a->c.m, b->umax, 0, 1, offer);
    double line = b->umax - GAHBO_SLOPE * tau;
    int slow = b->discount >= GAHBO_HARD_HI; /* little or no discount */
    if (slow)
        line = b->umax - GAHBO_HOLD_BAND -
               GAHBO_HOLD_SLOPE * (t > GAHBO_HOLD_FROM ? t - GAHBO_HOLD_FROM : 0);
    if (has && anac_acceptable(&a->c, turn->offer_utility) &&
        (turn->offer_utility >= u ||
         ((slow || tau < GAHBO_WINDOW_END) && turn->offer_utility >= line) ||
         turn->offer_utility >= b->umax - GAHBO_HOLD_BAND))
        return anac_accept(kind);
    if (t > 0.99 && b->received && b->best_u >= floor) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        u = b->best_u;
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_gahboninho_class = {"gahboninho", 0,            anac_size, gahbo_init,
                                                  gahbo_act,    anac_observe, ANAC_SELF(gahbo)};
