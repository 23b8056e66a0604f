/* cuhkagent.c: CUHKAgent, winner of ANAC 2012. Hao and Leung (2014),
 * "CUHKAgent: an adaptive negotiation strategy for bilateral negotiations
 * over multiple items", Novel Insights in Agent-based Complex Automated
 * Negotiation, SCI 535, Springer, pp. 171-179.
 *
 * From the paper: a non-exploitation point lambda before which the agent
 * concedes slowly, set from the discount factor d (lambda = 0.08 + 0.92
 * d^beta, beta 1.8, 1.5 or 1.2 for d above 0.75, above 0.5, below) and moved
 * later when the opponent is tough (its toughness: the squared share of
 * bids offered only once among its last ten; lambda += 0.1 (1 - lambda)
 * toughness^10). Threshold: tau(t) = Umax - (Umax - Umax d^(1 - lambda))
 * (t / lambda)^2 before lambda, Umax d^(1 - t) after; without discount in
 * spaces of more than 3000 outcomes, at most Umax - 0.05 (Umax - 0.25 after
 * t = 0.98 above 10000 outcomes). It offers the opponent's best offer when
 * that clears tau, else among its bids in [tau, Umax] the one whose options
 * the opponent offered most often (model=cuhk). It accepts an offer worth
 * tau or its next bid; when the opponent's best offer, discounted, beats
 * Umax d after lambda or tau d^t, it accepts offers within 0.01 of that best
 * and otherwise answers with that best offer. It ends the negotiation when
 * its reservation value beats its threshold or its next bid.
 * (anac-fid27: [tau, Umax] holds its best bid, which the window truce's pick took, [target,
 * target + width), left out: GENIUS 10.4's CUHKAgent keeps its best bid all session against a
 * constant offer sharing more values with it than with any other bid above tau, on SmartPhone.)
 * Choices: up to 64 bids in [tau, Umax] are compared (a seeded sample when
 * there are more; the paper samples 200); the end-game rule (after t =
 * 0.9985 with fewer than 5 rounds left, offer the opponent's best) uses the
 * agent's round-length estimate. */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "anac.h"

typedef struct cuhk {
    core c;
    double lambda0, lambda, tau;
    int concede; /* answer with the opponent's best offer */
    /* the last ten bids received, as their slots in the table below (-1: not in it, the table
     * being full), in a ring from recent_at; a bid's slot never changes once it has one */
    int32_t recent[10];
    size_t recent_at;
    /* the ring's entries whose bid was offered only once so far, and how often each slot is in
     * the ring: the toughness below kept as bids come and go (the ring's empty places, -1, count
     * for none, as a full table's bids do) */
    unsigned once;
    unsigned char in_ring[1024];
    uint64_t distinct; /* distinct bids received (hash table below) */
    uint64_t seen[1024];
    uint32_t seen_count[1024];
    /* lambda depends only on the count of once-offered bids (0-10) and the threshold's floor
     * Umax d^(1 - lambda) only on lambda: both kept, so that pow runs only when they change */
    double once_at, floor_lambda, floor_pow;
} cuhk;

static int cuhk_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    cuhk *a = state;
    int rc = anac_start(&a->c, setup, "cuhkagent", *(const size_t *)payload, OM_CUHK, NULL, 0, err);
    if (rc)
        return rc;
    double d = a->c.b.discount, beta = d > 0.75 ? 1.8 : d > 0.5 ? 1.5 : 1.2;
    a->lambda0 = a->lambda = 0.08 + 0.92 * pow(d, beta);
    a->tau = a->c.b.umax;
    a->once_at = -1;
    a->floor_lambda = -1;
    for (size_t j = 0; j < 10; j++)
        a->recent[j] = -1;
    return 0;
}

static uint64_t key(const base *b, const uint32_t *o)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < b->ni; i++)
        h = (h ^ o[i]) * 1099511628211ULL;
    return h | 1;
}

/* The slot of the bid with hash h among the received bids (taken now if new), -1 when the
 * table is full without it. */
static int32_t slot(cuhk *a, uint64_t h)
{
    for (size_t p = 0; p < 1024; p++) {
        size_t k = (h + p) & 1023;
        if (a->seen[k] == h || a->seen[k] == 0) {
            a->seen[k] = h;
            return (int32_t)k;
        }
    }
    return -1;
}

static void cuhk_observe(void *state, const truce_event *ev, void *payload)
{
    cuhk *a = state;
    anac_observe(state, ev, payload);
    if (ev->kind != TRUCE_ACTION_OFFER || ev->actor == a->c.b.party)
        return;
    int32_t k = slot(a, key(&a->c.b, ev->offer)), out = a->recent[a->recent_at];
    /* the ring's count of once-offered bids: less the bid leaving it, less k's other entry
     * when k's count passes 1 (a bid offered once is in the ring at most once), plus k's new
     * entry when it is k's first */
    if (out >= 0) {
        a->once -= a->seen_count[out] == 1;
        a->in_ring[out]--;
    }
    if (k >= 0) {
        if (a->seen_count[k] == 1)
            a->once -= a->in_ring[k];
        if (a->seen_count[k]++ == 0) {
            a->distinct++;
            a->once++;
        }
        a->in_ring[k]++;
    }
    a->recent[a->recent_at] = k;
    a->recent_at = a->recent_at == 9 ? 0 : a->recent_at + 1;
#ifndef NDEBUG
    unsigned recount = 0;
    for (size_t j = 0; j < 10; j++)
        recount += a->recent[j] >= 0 && a->seen_count[a->recent[j]] == 1;
    assert(recount == a->once);
#endif
    /* toughness: share of the last ten offered only once (fewer than ten: distinct ones) */
    double once = a->c.b.received > 10 ? (double)a->once : (double)a->distinct;
    if (once == a->once_at)
        return; /* lambda as last computed */
    a->once_at = once;
    double tough = pow(once / 10, 2);
    a->lambda = a->lambda0 + 0.1 * (1 - a->lambda0) * pow(tough, 10);
    if (a->lambda > 1)
        a->lambda = 1;
}

static double threshold(cuhk *a, double t)
{
    base *b = &a->c.b;
    double d = b->discount, mx = b->umax;
    uint64_t size = b->sp->tabulated ? space_bid_count(b->sp, b->party) : UINT64_MAX;
    if (d == 1 && size > 3000) {
        double lo = mx - (size > 10000 && t >= 0.98 ? 0.25 : 0.05);
        if (a->tau > lo)
            a->tau = lo;
        return a->tau;
    }
    if (t <= a->lambda) {
        if (a->floor_lambda != a->lambda) {
            a->floor_lambda = a->lambda;
            a->floor_pow = pow(d, 1 - a->lambda);
        }
        double min = mx * a->floor_pow;
        a->tau = mx - (mx - min) * pow(t / a->lambda, 2);
    } else {
        a->tau = mx * pow(d, 1 - t);
    }
    return a->tau;
}

static int cuhk_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    cuhk *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time, tau = threshold(a, t), u;
    int has = turn->offer && turn->offer_from != b->party;
    if (b->made == 0 || !has) {
        u = base_bid(b, b->umax, offer);
        return anac_offer(&a->c, kind, u);
    }
    int last_chance = t > 0.9985 && base_rounds_left(b) < 5;
    if ((a->concede || last_chance || b->best_u >= tau) && b->best_u >= b->reservation) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        u = b->best_u;
    } else {
        /* [tau, Umax] with its best bid: pick_for_opponent's window leaves out bids worth
         * target + width or more, so the width reaches just past Umax (anac-fid27) */
        u = pick_for_opponent(b, &a->c.m, tau, nextafter(b->umax, HUGE_VAL) - tau, 64, offer);
    }
    a->concede = 0;
    /* d^t once for the three discounted values below (base_discounted's factor, with t in
     * [0, 1]; pow(1, t) = 1) */
    double tc = t < 0 ? 0 : t > 1 ? 1 : t, dt = b->discount < 1 ? pow(b->discount, tc) : 1;
    double dt_raw = tc == t ? dt : pow(b->discount, t);
    double v = turn->offer_utility, best_now = b->discount < 1 ? b->best_u * dt : b->best_u;
    int accept = v >= tau || v >= u;
    if (!accept && ((best_now > b->umax * b->discount && t > a->lambda) ||
                    best_now > tau * dt_raw)) {
        if (v >= b->best_u - 0.01)
            accept = 1;
        else
            a->concede = 1;
    }
    double rv = b->reservation;
    int end = rv > 0 && (rv >= tau || rv >= u ||
                         ((b->discount < 1 ? rv * dt : rv) > b->umax * b->discount &&
                          t > a->lambda));
    if (accept && (!end || v > rv) && anac_acceptable(&a->c, v))
        return anac_accept(kind);
    if (end) {
        *kind = TRUCE_ACTION_END;
        return 0;
    }
    if (a->concede && b->best_u >= b->reservation) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        u = b->best_u;
        a->concede = 0;
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_cuhkagent_class = {"cuhkagent", 0,           anac_size,
                                                 cuhk_init,   cuhk_act,    cuhk_observe,
                                                 ANAC_SELF(cuhk)};
