/* hardheaded2011.c: HardHeaded as it played ANAC 2011 (winner). van Krimpen,
 * Looije and Hajizadeh (2013), "HardHeaded", Complex Automated Negotiations:
 * Theories, Models, and Software Competitions, SCI 435, Springer, pp. 223-227.
 *
 * From the paper: a Boulware concession p(t) = MinU + (1 - F(t))(MaxU - MinU),
 * F(t) = Ka + (1 - Ka) t^(1/e), Ka = e = 0.05, MinU = 0.585; with a discount
 * factor d < 0.9 it concedes faster until t = d (e/d, floor raised by
 * (MaxU - MinU) d) and then slowly (e = 30) toward MinU. It walks down its
 * own outcome list one utility level at a time; when the next level is below
 * p(t) it repeats one of its earlier bids at random, and walks on from that
 * bid's level (read off GENIUS 10.4, fid17). Bids within 0.01 below
 * that level are candidates; when there are more than four, the five best for
 * a frequency opponent model (the learning rule of model=frequency) are
 * queued. When the opponent's best offer is worth more to HardHeaded than the
 * queued bid, that offer is offered first. It accepts an offer worth more
 * than the lowest bid it has made, or at least its next bid.
 * Choices: every outcome of the sorted table is its own step, also when
 * several share one utility value (read off GENIUS 10.4, fid19: on Grocery it
 * offers each of them); spaces too large to tabulate use the bid at p(t) chosen by the
 * model among bids within 0.01 above it; a batch of four or fewer is offered
 * lowest first (the paper gives no order; read off GENIUS 10.4's HardHeaded,
 * fid5: on Camera it offers 0.938, 0.940, 0.944, then 0.931, 0.938, 0.940,
 * then 0.928, 0.931, 0.938, and on Laptop 0.874 before 0.882).
 * Read off GENIUS 10.4's HardHeaded (anac-fid31, docs/anac-agents.md):
 * - "within 0.01 below" includes a bid worth exactly the level less 0.01 as
 *   the subtraction rounds it (Camera seller: 0.928 in the batch of
 *   0.9380000000000001, whose difference is 0.0100000000000001);
 * - after a batch the model chose (more than four candidates) the walk goes
 *   on from the batch's last bid, not from its first (Camera with the
 *   discount set to 0.42-0.7: the batch of 0.9208, 0.9186, 0.9143, 0.9123,
 *   0.9129 is followed by the one of 0.9123; with 0.5, a batch ending on its
 *   first, 0.8980, by the one of 0.8932 below it; SmartPhone: 0.9526 to
 *   0.9431, ending on 0.9431, by the one of 0.9407);
 * - MinU is 0.585 whatever the reservation value (SmartPhone, reservation 0.6:
 *   GENIUS's steps in rounds 84 and 87 of 100 fall where p(t) with MinU =
 *   0.585 allows them, not 0.6); the walk still never goes below the
 *   reservation value (truce's agents neither offer nor take less). */
#include <math.h>

#include "anac.h"

#define HH_QUEUE 5

typedef struct hh2011 {
    core c;
    double min_u, ka, e;
    uint64_t level; /* sorted index of the last level bid */
    uint64_t queue[HH_QUEUE + 1];
    int queued, head;
    uint64_t history[256];
    size_t n_history;
} hh2011;

static int hh_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    hh2011 *a = state;
    param p[3] = {{"min", 0.585, "", 0}, {"e", 0.05, "", 0}, {"ka", 0.05, "", 0}};
    int rc = anac_start(&a->c, setup, "hardheaded2011", *(const size_t *)payload, OM_FREQUENCY, p,
                        3, err);
    if (rc || (rc = param_check("hardheaded2011", &p[0], 0, 1, err)) ||
        (rc = param_check("hardheaded2011", &p[1], 0.001, 100, err)) ||
        (rc = param_check("hardheaded2011", &p[2], 0, 1, err)))
        return rc;
    a->min_u = p[0].number;
    a->e = p[1].number;
    a->ka = p[2].number;
    return 0;
}

static double hh_p(const hh2011 *a, double t)
{
    double d = a->c.b.discount, mx = a->c.b.umax, mn = a->min_u;
    if (d >= 0.9)
        return mn + (1 - (a->ka + (1 - a->ka) * pow(t / d, 1 / a->e))) * (mx - mn);
    if (t <= d) {
        double lo = mn + fabs(mx - mn) * d;
        return lo + (1 - (a->ka + (1 - a->ka) * pow(t / d, d / a->e))) * (mx - lo);
    }
    double hi = mn + fabs(mx - mn) * d;
    return mn + (1 - (a->ka + (1 - a->ka) * pow((t - d) / (1 - d), 1 / 30.0))) * (hi - mn);
}

static double at(const hh2011 *a, uint64_t k)
{
    return a->c.b.sp->sorted_u[a->c.b.party][k];
}

/* Entries of the agent's sorted table: the outcomes its own party allows. */
static uint64_t bids(const hh2011 *a)
{
    return space_bid_count(a->c.b.sp, a->c.b.party);
}

/* The sorted index after k: every outcome is its own step, also when several share one utility
 * value (GENIUS 10.4's HardHeaded offers each of them, fid19: on Grocery as Mary both bids worth
 * 0.8999999999999999 in rounds 83-85, as Sam both worth 0.91 in rounds 91-92 and 96-97). */
static uint64_t next_level(const hh2011 *a, uint64_t k)
{
    return k + 1 < bids(a) ? k + 1 : bids(a);
}

/* The next batch: the walk's next level and the bids within 0.01 below it, none worth less than
 * `least` (p(t), and never below the reservation value: header). */
static void refill(hh2011 *a, double least)
{
    base *b = &a->c.b;
    const truce_space *sp = b->sp;
    uint64_t first = next_level(a, a->level);
    if (first >= bids(a))
        first = a->level;
    uint64_t cand[64];
    int n = 0;
    if (at(a, first) < least && a->n_history) {
        /* the walk goes on from the repeated bid (GENIUS 10.4's HardHeaded, fid17: on Camera it
         * walks to 0.9788, repeats 1.0, walks to 0.9788 again, repeats 1.0, 0.9788, then 0.96) */
        cand[n++] = a->level = a->history[rng_below(&b->r, a->n_history)];
    } else {
        cand[n++] = first;
        a->level = first;
    }
    double top = at(a, first);
    for (uint64_t k = next_level(a, first);
         k < bids(a) && at(a, k) >= top - 0.01 && at(a, k) >= least && n < 64; k = next_level(a, k))
        cand[n++] = k;
    a->queued = a->head = 0;
    uint32_t o[4096];
    if (n <= HH_QUEUE - 1 || b->ni > 4096) {
        /* lowest first, as GENIUS 10.4's HardHeaded offers a small batch (Camera: 0.938, 0.940,
         * 0.944, then 0.931, 0.938, 0.940; Laptop: 0.874 before 0.882); the paper gives no order */
        for (int k = n < HH_QUEUE ? n - 1 : HH_QUEUE - 1; k >= 0; k--)
            a->queue[a->queued++] = cand[k];
    } else {
        for (int pick = 0; pick < HH_QUEUE && n > 0; pick++) {
            int best = 0;
            double bv = -1;
            for (int k = 0; k < n; k++) {
                space_kth_best(sp, b->party, cand[k], o);
                double v = om_utility(&a->c.m, o);
                if (v > bv) {
                    bv = v;
                    best = k;
                }
            }
            a->queue[a->queued++] = cand[best];
            cand[best] = cand[--n];
        }
        /* the walk goes on from the last bid the model chose (header) */
        a->level = a->queue[a->queued - 1];
    }
}

static int hh_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    hh2011 *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double p = hh_p(a, turn->time), u;
    /* the walk's least step: p(t), and never below the reservation value (header) */
    double least = p > b->floor ? p : b->floor;
    int has = turn->offer && turn->offer_from != b->party;
    if (!b->sp->tabulated) {
        u = pick_for_opponent(b, &a->c.m, least, 0.01, 16, offer);
        if (has && anac_acceptable(&a->c, turn->offer_utility) &&
            (turn->offer_utility > b->own_lowest_u || turn->offer_utility >= u))
            return anac_accept(kind);
        return anac_offer(&a->c, kind, u);
    }
    if (b->made == 0) {
        a->level = 0;
        u = space_kth_best(b->sp, b->party, 0, offer);
        if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= u)
            return anac_accept(kind);
        /* the opening is one of its earlier bids: repeated when the next level is already
         * below p(t) (as GENIUS 10.4's HardHeaded does on Laptop: best bid again in round 2) */
        a->history[a->n_history++] = 0;
    } else {
        if (a->head >= a->queued)
            refill(a, least);
        uint64_t k = a->queue[a->head];
        /* the opponent's best offer first, when it is worth more than the queued bid */
        int theirs = b->received && b->best_u > at(a, k);
        if (theirs) {
            for (size_t i = 0; i < b->ni; i++)
                offer[i] = b->best[i];
            u = b->best_u;
        } else {
            u = space_kth_best(b->sp, b->party, k, offer);
        }
        if (has && anac_acceptable(&a->c, turn->offer_utility) &&
            (turn->offer_utility > b->own_lowest_u || turn->offer_utility >= u))
            return anac_accept(kind);
        if (!theirs)
            a->head++;
        if (a->n_history < 256)
            a->history[a->n_history++] = k;
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_hardheaded2011_class = {
    "hardheaded2011", 0, anac_size, hh_init, hh_act, anac_observe, ANAC_SELF(hh2011)};
