/* nozomi.c: Nozomi (ANAC 2010, third of seven). Described in Baarslag,
 * Hindriks, Jonker, Kraus and Lin (2012), "The first automated negotiating
 * agents competition (ANAC 2010)", New Trends in Agent-Based Complex
 * Automated Negotiations, SCI 383, Springer, pp. 113-135.
 *
 * From the description: Nozomi starts with its best bid; it splits the
 * session into time intervals with a different compromise rule in each, and
 * decides at every turn whether to compromise or to keep its previous
 * demand from the opponent's last bid, its own previous bid and the time;
 * it makes bids close to the opponent's bid while keeping its own utility
 * high; it accepts a bid worth what it would ask next, and near the end the
 * opponent's best bid.
 * Choices where the description is silent: four intervals, t < 0.5, 0.8,
 * 0.95, 1, with compromise rates c = 0.02, 0.05, 0.1, 0.25; it compromises
 * (target -= c (target - floor)) when the opponent's last bid was worth more
 * to Nozomi than the one before (the opponent moved), and keeps its target
 * otherwise, except in the last interval where it moves at half the rate
 * anyway; floor = max(reservation, best bid received, 0.65 Umax) before the
 * last interval, max(reservation, best bid received) in it; "close to the
 * opponent's bid" = among up to 32 bids in [target, target + 0.03], the one
 * sharing the most issue values with the opponent's last bid (the first,
 * which is the least worth to Nozomi, on ties); "near the end the opponent's
 * best bid": in the last interval it offers that best bid back once its
 * target reaches it (until anac-fid25 it also took it at t >= 0.99: see below).
 * Read off GENIUS 10.4's Nozomi (anac-fid4, docs/anac-agents.md; not in the
 * description): from t = 0.8 (the third interval) it already accepts an
 * offer that repeats the best received (as good as it, not better than the
 * best before it: the opponent has stopped conceding), provided the opponent
 * has moved from its first offer (best received > first received). And (fid5)
 * from t = 0.075 it offers a bid up to 0.06 below its target instead when that
 * bid shares more issue values with the opponent's last bid: GENIUS's Nozomi,
 * the Laptop seller, moves to its 0.941 bid (two of three values shared with the
 * buyer's offer) in rounds 8-14 against opponents that never move, and holds it.
 * "Keep its previous demand" is read (fid6) as keeping its previous bid: while the
 * opponent's last offer and its target stay the same it offers that bid again rather than
 * drawing its candidates afresh (on Laptop, whose bands hold fewer bids than its 32
 * candidates, this is the same bid; on larger spaces the draws made it wander among bids
 * sharing as many values, and the two draws a turn made it twice as slow).
 * And (fid9, read off GENIUS 10.4 on Grocery) it neither takes a stalled opponent's best at
 * t >= 0.8 nor lets its target fall in the last interval below 0.8 Umax: GENIUS's let a repeated
 * 0.63-0.69 pass to the end and 0.73-0.775 mostly (11 of 16 sessions), took 0.815 and more every
 * time, and bid no lower than 0.8 after t = 0.95.
 * And (fid11, read off GENIUS 10.4 on Energy, Camera and Grocery) before t = 0.8 a rise in the
 * opponent's offer moves its target only when the offer is worth at least 0.6 of that target:
 * GENIUS's held 0.95 on Energy to t = 0.8 while Boulware's offers rose to 0.42 and 0.96 on
 * Grocery against OMACagent's 0.49-0.53, and gave way on Camera after Boulware's 0.566 (against
 * its 0.928) and Conceder's 0.626 (against 0.96), on Grocery after 0.63 (against 0.96).
 * And (anac-fid16, anac-fid25) it does not take the best received at t >= 0.99: on a copy of
 * Grocery with the discount set to 1, GENIUS 10.4's Nozomi (Sam, second mover) lets CUHKAgent's
 * repeated 0.525, the best it received, pass in round 100 (t = 0.9901) in 3 sessions of 3
 * (anac-fid16 dropped the rule there), and against one offer all session it lets 0.6-0.8 pass to
 * the end under a discount too: Laptop (d = 0.42), Grocery (0.81, either seat), Camera (0.89),
 * SmartPhone with reservation 0 (0.87); it took 0.85 there in round 81, which truce's takes since
 * anac-fid27 (NOZOMI_STILL_FLOOR below). */
#include <string.h>

#include "anac.h"

typedef struct nozomi {
    core c;
    double target;
    double prev_u;    /* the opponent's bid before the last one, -1 before two */
    double prev_best; /* the best received before the last offer, -1 before two */
    uint32_t *closer; /* ni: the bid closer to the opponent's last one (carved) */
    /* its last bid (ni, carved), worth bid_u, and what it was chosen for: the opponent's
     * offer (ni, carved), the target and whether the closer bid was looked for; bid_target
     * -1 before the first choice. It keeps that bid while none of them changes. */
    uint32_t *bid, *bid_for;
    double bid_target, bid_u;
    int bid_closer;
} nozomi;

#define NOZOMI_CLOSE_FROM 0.075
#define NOZOMI_CLOSE_BAND 0.06
/* the least it takes from a stalled opponent from t = 0.8, and the floor of its target in the
 * last interval (fid9): GENIUS 10.4's Nozomi let a repeated 0.63-0.69 pass to the end on Grocery,
 * took 0.73-0.775 in 5 of 16 sessions (Grocery and copies with one evaluation changed), took the
 * Laptop's 0.815 and 0.852 every time, and bid no lower than 0.8 in its last interval */
#define NOZOMI_LATE_FLOOR 0.8
/* before t = 0.8 the least share of its target an offer must be worth for a rise to move that
 * target (fid11): GENIUS 10.4's Nozomi held its bid against rises to 0.45 of it (Energy,
 * Boulware) and 0.55 (Grocery, OMACagent) up to t = 0.8, and gave way after offers worth 0.61
 * (Camera, Boulware), 0.65 (Camera, Conceder) and 0.66 (Grocery, TheNegotiator and CUHKAgent) */
#define NOZOMI_EARLY_SHARE 0.6
/* what it takes from an opponent that has never moved (anac-fid27): a repeated offer worth
 * NOZOMI_STILL_FLOOR Umax from t = 0.8, NOZOMI_STILL_LATE_FLOOR Umax from t = NOZOMI_STILL_LATE.
 * GENIUS 10.4's Nozomi, against one bid offered all session (bench/genius_fingerprint.py: LaptopD1,
 * SmartPhone with reservation 0, ItexvsCypress, both seats), takes 0.849-0.852 in round 81 in 4
 * of 4 probes, 0.83-0.84 in round 81 in 5 of 8 and in rounds 91-93 in the rest, 0.82 in rounds
 * 92-93 (4 of 4), 0.81 in round 93 in 2 of 4 and never in the other two, and 0.6-0.8 never
 * (anac-fid25; on the one-issue Line1 0.85 waited for its walk, to round 98); the
 * stalled-opponent rule above needed the opponent to have moved */
#define NOZOMI_STILL_FLOOR 0.825
#define NOZOMI_STILL_LATE 0.9
#define NOZOMI_STILL_LATE_FLOOR 0.81

static const double interval_end[4] = {0.5, 0.8, 0.95, 1.01};
static const double rate[4] = {0.02, 0.05, 0.1, 0.25};

/* How many issue values o shares with the opponent's last bid. */
static size_t shared(const base *b, const uint32_t *o)
{
    size_t n = 0;
    for (size_t i = 0; i < b->ni; i++)
        n += o[i] == b->last[i];
    return n;
}

/* Its bid worth u, or, in its last turn, acceptance when the offer on the table is worth at least
 * that (anac-fid30): its bids below the target (the best offer back, the closer bid) can be the
 * very bid on the table, which it offered back even in round 100 as the second mover, where no
 * answer can come (ItexvsCypress and EnglandZimbabwe against Gahboninho: GENIUS's agree there).
 * Earlier it does offer such a bid back: GENIUS's Nozomi, the Laptop seller, offers Boulware's,
 * OMACagent's and Atlas3's offer of its 0.941 bid back in rounds 76, 21 and 12 (its replayed
 * sessions), and takes it there only when the target rules say so. */
#define NOZOMI_LAST_TURN 1.5 /* rounds left (base_rounds_left): its last turn */
static int nozomi_bid(nozomi *a, const truce_turn *turn, truce_action_kind *kind, double u)
{
    const base *b = &a->c.b;
    if (turn->offer && turn->offer_from != b->party && turn->offer_utility >= u &&
        base_rounds_left(b) < NOZOMI_LAST_TURN && anac_acceptable(&a->c, turn->offer_utility))
        return anac_accept(kind);
    return anac_offer(&a->c, kind, u);
}

static size_t nozomi_size(const truce_space *sp, void *payload)
{
    size_t ni = truce_space_scenario(sp)->n_issues;
    return anac_size(sp, payload) + 3 * CARVE_ROUND(ni * sizeof(uint32_t));
}

static int nozomi_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    nozomi *a = state;
    int rc = anac_start(&a->c, setup, "nozomi", *(const size_t *)payload, OM_NONE, NULL, 0, err);
    if (rc)
        return rc;
    const truce_space *sp = setup->space;
    char *cursor = (char *)a + CARVE_ROUND(sizeof *a) + base_bytes(sp) + om_bytes(sp->s);
    a->closer = carve(&cursor, sp->ni * sizeof *a->closer);
    a->bid = carve(&cursor, sp->ni * sizeof *a->bid);
    a->bid_for = carve(&cursor, sp->ni * sizeof *a->bid_for);
    a->bid_target = -1;
    a->target = a->c.b.umax;
    a->prev_u = -1;
    a->prev_best = -1;
    return rc;
}

static int nozomi_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)payload;
    nozomi *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    size_t interval = 0;
    while (interval < 3 && t >= interval_end[interval])
        interval++;
    int has = turn->offer && turn->offer_from != b->party;
    double floor = (interval < 3 ? 0.65 : NOZOMI_LATE_FLOOR) * b->umax;
    if (b->best_u > floor)
        floor = b->best_u;
    if (b->reservation > floor)
        floor = b->reservation;
    if (floor > b->umax)
        floor = b->umax;
    if (has) {
        double u = turn->offer_utility;
        /* before t = 0.8 only a rise to at least 0.6 of its target counts as a move (fid11):
         * GENIUS 10.4's Nozomi holds its early bid against offers that rise or cycle below that
         * (Energy Boulware to 0.45 of it, Grocery OMACagent's 0.55) and gives way to 0.61-0.66 */
        int moved = a->prev_u >= 0 && u > a->prev_u &&
                    (interval >= 2 || u >= NOZOMI_EARLY_SHARE * a->target);
        a->prev_u = u;
        if (moved)
            a->target -= rate[interval] * (a->target - floor);
        else if (interval == 3)
            a->target -= rate[interval] / 2 * (a->target - floor);
        if (a->target < floor)
            a->target = floor;
        /* the opponent offers its best again after having moved: it has stopped conceding; or it
         * never moved and its offer is worth the still floors (anac-fid27) */
        double still = t >= NOZOMI_STILL_LATE ? NOZOMI_STILL_LATE_FLOOR : NOZOMI_STILL_FLOOR;
        int stalled =
            a->prev_best >= 0 && u <= a->prev_best &&
            ((b->best_u > b->first_u && u >= NOZOMI_LATE_FLOOR * b->umax) || u >= still * b->umax);
        a->prev_best = b->best_u;
        if (anac_acceptable(&a->c, u) &&
            (u >= a->target || (u >= b->best_u && interval >= 2 && stalled)))
            return anac_accept(kind);
    }
    if (interval == 3 && b->received && b->best_u >= b->reservation && a->target <= b->best_u) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return nozomi_bid(a, turn, kind, b->best_u);
    }
    /* it keeps its previous demand (its previous bid) while the opponent's last offer and its
     * target stay the same: the bids are drawn again only when one of them changes */
    int closer = t >= NOZOMI_CLOSE_FROM && b->received;
    if (b->received && a->target == a->bid_target && closer == a->bid_closer &&
        !memcmp(a->bid_for, b->last, b->ni * sizeof *b->last)) {
        memcpy(offer, a->bid, b->ni * sizeof *offer);
        return nozomi_bid(a, turn, kind, a->bid_u);
    }
    double u = pick_near(b, b->received ? b->last : NULL, a->target, 0.03, 32, offer);
    /* from t = 0.075 (round 8 of 100), a bid up to 0.06 below the target that shares more
     * issue values with the opponent's last bid, as GENIUS 10.4's Nozomi does on Laptop (fid5) */
    if (closer) {
        double v =
            pick_near(b, b->last, a->target - NOZOMI_CLOSE_BAND, NOZOMI_CLOSE_BAND, 32, a->closer);
        if (shared(b, a->closer) > shared(b, offer)) {
            memcpy(offer, a->closer, b->ni * sizeof *offer);
            u = v;
        }
    }
    if (b->received) {
        memcpy(a->bid, offer, b->ni * sizeof *offer);
        memcpy(a->bid_for, b->last, b->ni * sizeof *b->last);
        a->bid_target = a->target;
        a->bid_closer = closer;
        a->bid_u = u;
    }
    return nozomi_bid(a, turn, kind, u);
}

const truce_agent_class agent_nozomi_class = {
    "nozomi", 0, nozomi_size, nozomi_init, nozomi_act, anac_observe, ANAC_SELF(nozomi)};
