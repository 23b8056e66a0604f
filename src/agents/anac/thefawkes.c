/* thefawkes.c: TheFawkes (ANAC 2013 winner), a BOA agent by Koeman et al.,
 * summarised in Gal, Ilany et al., "The fourth automated negotiation
 * competition" (ANAC 2013 report), and in Baarslag (2016), "Exploring the
 * Strategy Space of Negotiating Agents", Springer Theses.
 *
 * From the descriptions: a frequency opponent model; a bidding strategy that
 * concedes according to a prediction of the opponent; the offered bid is the
 * best for the opponent among bids near the target; acceptance by AC_combi
 * with a max window. The chapter's text was not at hand, so the levels below
 * are read off GENIUS 10.4's TheFawkes run as a black box (traces on ANAC 2011
 * Camera against nine opponents in both seats, anac-fid5; see
 * docs/anac-agents.md#thefawkes), not from a description:
 * - Bidding: its best bid until THEFAWKES_OPENING offers are in (GENIUS's
 *   first concession comes with the opponent's seventh offer in either seat),
 *   then bids in the band [T, T + 0.05] best for the opponent, with
 *   T = Umax (LOW + (HIGH - LOW) (1 - t^2)): 0.945 Umax falling to 0.87 Umax
 *   at the deadline (GENIUS's bids stay within 0.87-0.98 of Umax after the
 *   opening, against conceding and unmoving opponents alike; the extrapolated
 *   opponent concession truce used before to raise the target is gone: GENIUS
 *   bids no higher against Conceder or Boulware than against CUHKAgent).
 * - AC_next with a strict inequality: GENIUS's TheFawkes refuses an offer of
 *   the very bid it offers next (AgentK and Gahboninho offer it back, in
 *   either seat) and offers that bid again.
 * - An opponent predicted not to concede at all (two or more offers, none
 *   better for the agent than its first) leaves nothing to wait for: the agent
 *   accepts its offer at once if it is worth at least max(reservation,
 *   THEFAWKES_STUCK_FLOOR Umax). It is the prediction rule taken to its limit,
 *   and it is what GENIUS's TheFawkes does on ANAC 2012 Laptop (accepts every
 *   tested opponent's repeated opening bid, worth 0.73 or 0.82 to it, at the
 *   opponent's second offer), while on Camera and Energy (opening bids worth
 *   <= 0.49 to it, anac-fid3) and on ANAC 2011 Grocery (AgentK's, HardHeaded's,
 *   Gahboninho's, CUHKAgent's and AgentLG's openings, worth 0.525 to it as
 *   Sam) it holds out. The floor lies in (0.525, 0.73]; 0.6 is a round number
 *   inside (it was 0.5 until the Grocery sessions showed GENIUS refusing 0.525;
 *   0.6 and 0.7 were tried there: Grocery 78 and 77 of 179 pairs within 0.05,
 *   71 with 0.5; no pair of the other sets moved).
 * - The end window (MAX^W: accept the best offer of the last window) only at
 *   the negotiation's very last turn under a deadline in rounds: the second
 *   mover's turn of the last round. GENIUS's TheFawkes, first mover, rejects
 *   in round 100 (its last turn, t = 0.9901) offers that are the best of its
 *   window worth 0.273 (Camera, CUHKAgent), 0.603 (Camera, AgentLG) and 0.537
 *   (Energy, CUHKAgent); second mover, it accepts CUHKAgent's 0.485 in round
 *   100 (Camera) and refuses AgentLG's and HardHeaded's round-100 offers,
 *   which are below their round-99 offers (not the best of the window), and
 *   HardHeaded's round-100 offer on Energy (worth less than 0.1 to it). So the
 *   window still takes nothing below max(reservation, THEFAWKES_WINDOW_FLOOR
 *   Umax), the floor anac-fid4 read off Camera (the data put it in
 *   (0.1, 0.485]; 0.4 is a round number inside, a constant read off GENIUS).
 *   Under a deadline in seconds, where no turn is known to be the last, the
 *   window opens at t = 0.99. */
#include "anac.h"

/* the bidding levels (header): best bid until this many offers are in, then a band whose lower
 * edge falls from THEFAWKES_HIGH Umax to THEFAWKES_LOW Umax along 1 - t^2 */
#define THEFAWKES_OPENING 7
#define THEFAWKES_HIGH 0.945
#define THEFAWKES_LOW 0.87
/* the floor of the stuck-opponent rule, as a share of Umax (header) */
#define THEFAWKES_STUCK_FLOOR 0.6
/* the end window's floor, as a share of Umax (header) */
#define THEFAWKES_WINDOW_FLOOR 0.4

typedef struct fawkes {
    core c;
    window w;
} fawkes;

/* The lower edge of the band the agent bids in at time t. */
static double thefawkes_target(const base *b, double t)
{
    if (b->received < THEFAWKES_OPENING)
        return b->umax;
    double high = THEFAWKES_HIGH * b->umax, low = THEFAWKES_LOW * b->umax;
    double target = low + (high - low) * (1 - t * t);
    return target > b->reservation ? target : b->reservation;
}

/* Whether the end window may accept at this turn (header): the negotiation's last turn, round
 * max_rounds with the agent's party the last principal (the seats are the principals in party
 * order; a mediator or stakeholder has none). */
static int thefawkes_last_turn(const base *b, const truce_turn *turn, double t)
{
    if (!b->max_rounds)
        return t >= 0.99;
    if (turn->round < b->max_rounds)
        return 0;
    for (size_t p = b->party + 1; p < b->s->n_parties; p++)
        if (b->s->parties[p].role == TRUCE_ROLE_PRINCIPAL)
            return 0;
    return 1;
}

static int fawkes_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    fawkes *a = state;
    window_init(&a->w);
    return anac_start(&a->c, setup, "thefawkes", *(const size_t *)payload, OM_FREQUENCY, NULL, 0,
                      err);
}

static int fawkes_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)payload;
    fawkes *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    double u = pick_for_opponent(b, &a->c.m, thefawkes_target(b, t), 0.05, 16, offer);
    int has = turn->offer && turn->offer_from != b->party;
    if (has) {
        double v = turn->offer_utility;
        double floor = b->reservation > THEFAWKES_STUCK_FLOOR * b->umax
                           ? b->reservation
                           : THEFAWKES_STUCK_FLOOR * b->umax;
        int stuck = b->received > 1 && b->best_u >= 0 && b->best_u <= b->first_u;
        int ok = v > u ||
                 (thefawkes_last_turn(b, turn, t) && v >= THEFAWKES_WINDOW_FLOOR * b->umax &&
                  v >= window_max(&a->w, t - (1 - t), t)) ||
                 (stuck && v >= b->best_u && v >= floor);
        window_add(&a->w, t, v);
        /* the reservation value bounds every rule above (anac_acceptable) */
        if (ok && anac_acceptable(&a->c, v))
            return anac_accept(kind);
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_thefawkes_class = {"thefawkes", 0,            anac_size, fawkes_init,
                                                 fawkes_act,  anac_observe, ANAC_SELF(fawkes)};
