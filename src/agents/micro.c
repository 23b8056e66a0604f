/* micro.c: MiCRO (de Jonge 2022, "An Analysis of the Linear Bilateral ANAC
 * Domains Using the MiCRO Benchmark Strategy"): it walks down its own bids in
 * order of utility, proposing a new one only when it has received at least as
 * many distinct bids as it has made, and otherwise repeats one of its earlier
 * bids at random. It accepts what is worth at least its next bid. */
#include <string.h>

#include "agent.h"

#define MICRO_SEEN 4096  /* distinct received bids remembered (hashes) */
#define MICRO_STEPS 1000 /* utility steps standing in for bids in untabulated spaces */

typedef struct micro {
    const truce_space *sp;
    size_t party;
    double reservation, umax, ufloor;
    uint64_t made;     /* distinct bids made: the best `made` bids */
    uint64_t received; /* distinct bids received */
    uint64_t limit;    /* bids at or above the reservation value */
    uint64_t seen[MICRO_SEEN];
    int every; /* count=every: every proposal of the others counts, not only those standing
                  when its turn comes (they differ with three or more parties) */
    rng r;
} micro;

static int micro_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    micro *a = state;
    param params[1] = {{"count", 0, "standing", 0}};
    int rc = params_parse("micro", setup->params, params, 1, err);
    if (rc)
        return rc;
    if (strcmp(params[0].word, "standing") && strcmp(params[0].word, "every"))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "micro",
                         "agent 'micro': count=\"%s\" is not standing or every", params[0].word);
    a->every = !strcmp(params[0].word, "every");
    a->sp = setup->space;
    a->party = setup->party;
    a->reservation = agent_reservation(setup);
    a->umax = a->sp->best_u[a->party];
    a->ufloor = a->reservation < a->umax ? a->reservation : a->umax;
    a->limit =
        a->sp->tabulated ? space_count_at_least(a->sp, a->party, a->reservation) : MICRO_STEPS + 1;
    if (a->limit == 0)
        a->limit = 1;
    rng_seed(&a->r, setup->seed);
    return 0;
}

static uint64_t hash_outcome(const uint32_t *o, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= o[i];
        h *= 1099511628211ULL;
        h ^= h >> 29;
    }
    return h | 1; /* 0 marks an empty slot */
}

/* Count a received bid if it is new. Past MICRO_SEEN distinct bids every bid
 * counts as new, which only makes MiCRO concede a little more. */
static void note_received(micro *a, const uint32_t *o)
{
    uint64_t h = hash_outcome(o, a->sp->ni);
    for (size_t probe = 0; probe < MICRO_SEEN; probe++) {
        uint64_t *slot = &a->seen[(h + probe) & (MICRO_SEEN - 1)];
        if (*slot == h)
            return;
        if (*slot == 0) {
            *slot = h;
            a->received++;
            return;
        }
    }
    a->received++;
}

/* The k-th best bid (0-based), or its stand-in. */
static double bid(micro *a, uint64_t k, uint32_t *out)
{
    if (a->sp->tabulated)
        return space_kth_best(a->sp, a->party, k, out);
    double target = a->umax - (a->umax - a->ufloor) * (double)k / MICRO_STEPS;
    return space_bid_at_least(a->sp, a->party, target, &a->r, out);
}

static int micro_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    micro *a = state;
    if (!a->every && turn->offer && turn->offer_from != a->party)
        note_received(a, turn->offer);
    int concede = a->made <= a->received && a->made < a->limit;
    uint64_t next = concede ? a->made : (a->made ? a->made - 1 : 0);
    double u = bid(a, next, offer);
    if (agent_may_accept(turn) && turn->offer_utility >= a->reservation &&
        turn->offer_utility >= u) {
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    }
    if (concede) {
        a->made++;
    } else if (a->made > 1) {
        u = bid(a, rng_below(&a->r, a->made), offer);
    }
    (void)u;
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

/* count=every: each offer another party makes, when it is made. */
static void micro_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    micro *a = state;
    if (a->every && ev->kind == TRUCE_ACTION_OFFER && ev->actor != a->party && ev->offer)
        note_received(a, ev->offer);
}

const truce_agent_class agent_micro_class = {"micro",   sizeof(micro), NULL, micro_init,
                                             micro_act, micro_observe, NULL};
