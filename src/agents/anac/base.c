/* base.c: the base of the ANAC agents (own tables, what the others offered,
 * round-length estimates), picking bids for an opponent model, and the time
 * windows of the AC_combi acceptance conditions. */
#include <math.h>
#include <string.h>

#include "../../core/constraint.h"
#include "anac.h"

void *carve(char **cursor, size_t bytes)
{
    void *p = *cursor;
    *cursor += CARVE_ROUND(bytes);
    return p;
}

size_t base_bytes(const truce_space *sp)
{
    return 2 * CARVE_ROUND(truce_space_scenario(sp)->n_issues * sizeof(uint32_t));
}

void base_init(base *b, const truce_agent_setup *setup, char **cursor)
{
    const truce_space *sp = setup->space;
    b->sp = sp;
    b->s = sp->s;
    b->party = setup->party;
    b->ni = sp->ni;
    b->n_parties = setup->n_parties;
    b->max_rounds = setup->max_rounds;
    b->umax = sp->best_u[b->party];
    b->umin = sp->worst_u[b->party];
    b->reservation = agent_reservation(setup);
    b->floor = b->reservation;
    double d = b->s->parties[b->party].discount;
    b->discount = d > 0 && d <= 1 ? d : 1;
    rng_seed(&b->r, setup->seed);
    b->last = carve(cursor, b->ni * sizeof *b->last);
    b->best = carve(cursor, b->ni * sizeof *b->best);
    b->best_u = -1;
    b->own_last_u = b->own_lowest_u = b->umax;
    b->prev_turn = b->this_turn = -1;
}

void base_received(base *b, const truce_event *ev)
{
    if (ev->kind != TRUCE_ACTION_OFFER || ev->actor == b->party || !ev->offer)
        return;
    double u = base_utility(b, ev->offer);
    if (b->received == 0)
        b->first_u = u;
    b->received++;
    b->last_u = u;
    b->sum_u += u;
    b->sumsq_u += u * u;
    b->last_offer_time = ev->time;
    memcpy(b->last, ev->offer, b->ni * sizeof *b->last);
    /* offered back later: only what the agent's own party allows */
    if (u > b->best_u && party_violates(&b->s->parties[b->party], ev->offer) < 0) {
        b->best_u = u;
        memcpy(b->best, ev->offer, b->ni * sizeof *b->best);
    }
}

void base_turn(base *b, const truce_turn *turn)
{
    b->prev_turn = b->this_turn;
    b->this_turn = turn->time;
    b->vetoed = !agent_may_accept(turn);
}

void base_offered(base *b, double u)
{
    b->made++;
    b->own_last_u = u;
    if (u < b->own_lowest_u)
        b->own_lowest_u = u;
}

void base_seen_add(const base *b, uint64_t *index, double *util, size_t *n, const uint32_t *o,
                   double u)
{
    if (!b->sp->tabulated || *n >= BASE_SEEN)
        return;
    uint64_t x = space_encode(b->sp, o);
    for (size_t k = 0; k < *n; k++)
        if (index[k] == x)
            return;
    index[*n] = x;
    util[(*n)++] = u;
}

double base_utility(const base *b, const uint32_t *o)
{
    return space_utility(b->sp, b->party, o);
}

int base_allows(const base *b, const uint32_t *o)
{
    return party_violates(&b->s->parties[b->party], o) < 0 && constraint_first_broken(b->s, o) < 0;
}

double base_bid(base *b, double target, uint32_t *out)
{
    return space_bid_at_least(b->sp, b->party, target, &b->r, out);
}

double base_random_bid(base *b, double floor, uint32_t *out)
{
    if (floor > b->umax)
        floor = b->umax;
    return space_random_at_least(b->sp, b->party, floor, &b->r, out);
}

void modulus_init(modulus *d, uint64_t n)
{
    d->n = n;
    d->magic = 0;
    d->shift = 0;
    if (n <= 1)
        return;
    unsigned log2n = 63 - (unsigned)__builtin_clzll(n);
    if ((n & (n - 1)) == 0) {
        d->shift = log2n - 1; /* x >> log2n as ((x >> 1) + 0) >> (log2n - 1) */
        return;
    }
    /* floor(2^(64 + L) / n) fits 64 bits (n > 2^L); doubled with its remainder it is
     * floor(2^(65 + L) / n) less 2^64, and 1 more the ceiling (n, not a power of two, does not
     * divide 2^(65 + L)) */
    unsigned __int128 p = (unsigned __int128)1 << (64 + log2n);
    uint64_t m = (uint64_t)(p / n), rem = (uint64_t)0 - m * n; /* p - m n, p = 0 mod 2^64 */
    uint64_t twice = rem + rem;
    m += m;
    if (twice >= n || twice < rem)
        m += 1;
    d->magic = m + 1;
    d->shift = log2n;
}

/* The number of the party's bids worth at least target among its first `limit` (sorted_u is
 * descending: the first position below limit worth less), as space_count_at_least_below finds
 * it, searched from the guess *hint (where the last search for this end of a range ended):
 * steps of 1, 2, 4, ... away from it until the answer is bracketed, then halving. The answer
 * is the same for any guess (the test is the same and its outcome falls once along the table);
 * agents whose targets move a little a turn find it in a few steps instead of log2 of the
 * table's size. Leaves the answer in *hint. */
static uint64_t count_from(const double *u, uint64_t limit, double target, uint64_t *hint)
{
    uint64_t g = *hint < limit ? *hint : limit, lo, hi;
    if (g > 0 && !(u[g - 1] >= target)) {
        /* the answer is below g: bracket it going down */
        lo = 0;
        hi = g - 1;
        for (uint64_t step = 1; hi >= step; step <<= 1) {
            uint64_t p = hi - step;
            if (u[p] >= target) {
                lo = p + 1;
                break;
            }
            hi = p;
        }
    } else {
        /* it is g or above: bracket it going up */
        lo = g;
        hi = limit;
        for (uint64_t step = 1; lo < limit; step <<= 1) {
            uint64_t p = lo + step - 1;
            if (p >= limit)
                break;
            if (!(u[p] >= target)) {
                hi = p;
                break;
            }
            lo = p + 1;
        }
    }
    *hint = sorted_first_below(u, lo, hi, target);
    return *hint;
}

uint64_t base_count_at_least(base *b, double target)
{
    return count_from(b->sp->sorted_u[b->party], b->sp->n_bids[b->party], target, &b->hint_low);
}

void base_range_init(base *b, double lo, double hi, base_range *range)
{
    const truce_space *sp = b->sp;
    range->lo = lo;
    range->hi = hi;
    range->searched = sp->tabulated && lo < b->umax;
    range->top = range->bottom = range->limit = 0;
    modulus_init(&range->mod, 0);
    if (range->searched) {
        const double *u = sp->sorted_u[b->party];
        range->top = count_from(u, sp->n_bids[b->party], lo, &b->hint_low);
        range->bottom = count_from(u, range->top, hi, &b->hint_high);
        if (range->bottom < range->top) {
            uint64_t n = range->top - range->bottom;
            range->limit = UINT64_MAX - UINT64_MAX % n;
            modulus_init(&range->mod, n);
        }
    }
}

double base_range_draw(base *b, const base_range *range, uint32_t *out)
{
    const truce_space *sp = b->sp;
    double lo = range->lo, hi = range->hi;
    if (!range->searched)
        return base_bid(b, lo + (hi - lo) * rng_uniform(&b->r), out);
    uint64_t at;
    if (!base_range_at(b, range, &at))
        return base_bid(b, lo, out);
    return space_kth_best(sp, b->party, at, out);
}

double base_random_between(base *b, double lo, double hi, uint32_t *out)
{
    base_range range;
    base_range_init(b, lo, hi, &range);
    return base_range_draw(b, &range, out);
}

double base_rounds_left(const base *b)
{
    double step = b->prev_turn >= 0 ? b->this_turn - b->prev_turn : 0;
    if (!(step > 0))
        return b->max_rounds ? (double)b->max_rounds : 100;
    double left = (1 - b->this_turn) / step;
    return left < 1 ? 1 : left;
}

double base_mean(const base *b)
{
    return b->received ? b->sum_u / (double)b->received : 0;
}

double base_sd(const base *b)
{
    if (!b->received)
        return 0;
    double m = base_mean(b), v = b->sumsq_u / (double)b->received - m * m;
    return v > 0 ? sqrt(v) : 0;
}

double base_discounted(const base *b, double u, double t)
{
    return b->discount < 1 ? u * pow(b->discount, t < 0 ? 0 : t > 1 ? 1 : t) : u;
}

#define PICK_MAX 64
#define PICK_SEEN 1024 /* sampled ranges up to this many bids are rated once per bid */

static double score_model(const void *ctx, const uint32_t *o)
{
    return om_utility(ctx, o);
}

/* Paired digits for near_index: two consecutive issues whose option counts multiply to at most
 * NEAR_RADIX form a group, whose digit (x mod its radix) one multiplication finds, and a table
 * gives how many of the two values that digit shares with ref (filling it takes n_a + n_b
 * increments; groups of three or more cost more to fill than they saved on callgrind); built
 * when a pick rates enough candidates to pay for it, for spaces of up to NEAR_GROUPS groups. */
#define NEAR_RADIX 256
#define NEAR_GROUPS 64
#define NEAR_TABLES_FROM 16 /* candidates rated in one pick */

typedef struct near_groups {
    size_t ng; /* groups; 0: not built */
    struct {
        uint32_t radix, ref; /* ref: the digit of ref for a group of one issue */
        uint64_t reciprocal; /* ceil(2^64 / radix), 0 for a radix of 1 */
        const unsigned char *shared; /* radix entries, NULL for a group of one issue */
    } g[NEAR_GROUPS];
    unsigned char table[NEAR_GROUPS / 2][NEAR_RADIX];
} near_groups;

typedef struct near_ctx {
    const uint32_t *ref;
    size_t ni;
    near_groups *groups; /* built by pick_scored when it rates enough candidates */
} near_ctx;

/* Pair the issues of sp and fill the tables for c->ref (ng stays 0 when sp has too many). */
static void near_tables(const near_ctx *c, const truce_space *sp)
{
    const truce_scenario *s = sp->s;
    near_groups *n = c->groups;
    size_t ng = 0, tables = 0;
    n->ng = 0;
    for (size_t i = 0; i < c->ni;) {
        size_t j = i + 1;
        uint64_t radix = s->issues[i].n_options;
        if (j < c->ni && radix * s->issues[j].n_options <= NEAR_RADIX)
            radix *= s->issues[j++].n_options;
        if (ng == NEAR_GROUPS || (j > i + 1 && tables == NEAR_GROUPS / 2))
            return;
        n->g[ng].radix = (uint32_t)radix;
        /* ceil(2^64 / r) = floor((2^64 - 1) / r) + 1 for r >= 2 */
        n->g[ng].reciprocal = radix > 1 ? UINT64_MAX / radix + 1 : 0;
        n->g[ng].ref = c->ref[i];
        n->g[ng].shared = NULL;
        if (j > i + 1) {
            unsigned char *t = n->table[tables++];
            memset(t, 0, radix);
            /* the entries whose digit of issue k (stride within the group) is ref's */
            uint64_t stride = 1;
            for (size_t k = i; k < j; k++) {
                uint64_t nk = s->issues[k].n_options, block = stride * nk;
                for (uint64_t at = c->ref[k] * stride; at < radix; at += block)
                    for (uint64_t a = 0; a < stride; a++)
                        t[at + a]++;
                stride = block;
            }
            n->g[ng].shared = t;
        }
        ng++;
        i = j;
    }
    n->ng = ng;
}

static double score_near(const void *ctx, const uint32_t *o)
{
    const near_ctx *n = ctx;
    double same = 0;
    for (size_t i = 0; i < n->ni; i++)
        same += o[i] == n->ref[i];
    return same;
}

/* score_near for the outcome with (32-bit) index x of a space with reciprocals, without
 * decoding it into an array: its digits as space_decode finds them, so the same count (with the
 * pairs' tables: a pair's digit d = a + n_a b holds issue i's digit a and issue i + 1's b, as
 * space_decode's two steps would find them) */
static inline double near_index(const near_ctx *n, const truce_space *sp, uint32_t x)
{
    const truce_scenario *s = sp->s;
    double same = 0;
    const near_groups *gr = n->groups;
    if (gr->ng) {
        unsigned count = 0;
        for (size_t g = 0; g < gr->ng; g++) {
            uint32_t k = space_digit(gr->g[g].reciprocal, gr->g[g].radix, &x);
            count += gr->g[g].shared ? gr->g[g].shared[k] : k == gr->g[g].ref;
        }
        return count;
    }
    for (size_t i = 0; i < n->ni; i++)
        same += space_digit(sp->reciprocal[i], s->issues[i].n_options, &x) == n->ref[i];
    return same;
}

/* pick_scored's loop for an opponent model's ratings read from the outcome index: the same
 * candidates in the same order (table positions lo to hi - 1 when they are at most
 * `candidates`, else `candidates` draws, each position of a range of up to PICK_SEEN rated once:
 * seen, zeroed, when given), the same random numbers (drawn with the generator in a local copy)
 * and the same strict comparison, so the same pick; the bid is decoded once, at the end, from
 * the best candidate's position. A loop of its own, free of pick_scored's tests of the score
 * and of the sampling made at every candidate. */
static double pick_model_indexed(base *b, const om *m, uint64_t lo, uint64_t hi, int candidates,
                                 const modulus *n, uint64_t limit, uint64_t *seen, double best,
                                 double u, uint32_t *out)
{
    const truce_space *sp = b->sp;
    const uint32_t *sorted = sp->sorted[b->party];
    uint64_t best_at = 0;
    int found = 0;
    om_rater rater;
    om_rater_init(&rater, m, sp);
    if (hi - lo <= (uint64_t)candidates) {
        for (uint64_t at = lo; at < hi; at++) {
            double o = om_rate(&rater, sorted[at]);
            if (o > best) {
                best = o;
                best_at = at;
                found = 1;
            }
        }
    } else {
        rng gen = b->r;
        modulus mod = *n; /* (a local copy: the stores to seen might be its fields) */
        for (int k = 0; k < candidates; k++) {
            uint64_t at = lo + below_with_limit(&gen, &mod, limit);
            if (seen) {
                uint64_t j = at - lo, bit = (uint64_t)1 << (j & 63);
                if (seen[j >> 6] & bit)
                    continue;
                seen[j >> 6] |= bit;
            }
            double o = om_rate(&rater, sorted[at]);
            if (o > best) {
                best = o;
                best_at = at;
                found = 1;
            }
        }
        b->r = gen;
    }
    return found ? space_kth_best(sp, b->party, best_at, out) : u;
}

/* Among the bids in [target, target + width], the one `score` rates highest (looking at up to
 * `candidates`, a seeded sample when there are more); the bid at target first. */
static double pick_scored(base *b, double (*score)(const void *, const uint32_t *),
                          const void *ctx, double target, double width, int candidates,
                          uint32_t *out)
{
    const truce_space *sp = b->sp;
    uint64_t hi = 0;
    double u;
    if (sp->tabulated) {
        /* space_bid_at_least_count, its search started where the last one ended */
        hi = count_from(sp->sorted_u[b->party], sp->n_bids[b->party], target, &b->hint_low);
        u = target >= sp->best_u[b->party] ? space_bid_at_least(sp, b->party, target, &b->r, out)
                                           : space_kth_best(sp, b->party, hi ? hi - 1 : 0, out);
    } else {
        u = space_bid_at_least_count(sp, b->party, target, &b->r, out, &hi);
    }
    if (!score || candidates <= 1)
        return u;
    if (candidates > PICK_MAX)
        candidates = PICK_MAX;
    uint32_t scratch[4096];
    uint32_t *c = b->ni <= 4096 ? scratch : NULL;
    if (!c)
        return u;
    double best = score(ctx, out);
    if (sp->tabulated && target < b->umax) {
        /* the first hi bids are worth at least target: those within width form [lo, hi) */
        uint64_t lo = count_from(sp->sorted_u[b->party], hi, target + width, &b->hint_high);
        /* rng_below's rejection limit and the modulus, for a sample (only) */
        uint64_t limit = 0;
        modulus n;
        modulus_init(&n, 0);
        if (hi - lo > (uint64_t)candidates) {
            limit = UINT64_MAX - UINT64_MAX % (hi - lo);
            modulus_init(&n, hi - lo);
        }
        /* at < hi <= the party's table size below, so the index is always in the table */
        int indexed = (score == score_model || score == score_near) && sp->reciprocal;
        if (indexed && score == score_near && hi - lo >= NEAR_TABLES_FROM &&
            candidates >= NEAR_TABLES_FROM)
            near_tables(ctx, sp);
        /* a sample of a range of up to PICK_SEEN bids rates each once: a repeat (its random
         * numbers still drawn) rates the same and cannot beat the best, which only grows */
        uint64_t seen[PICK_SEEN / 64];
        int once = hi - lo > (uint64_t)candidates && hi - lo <= PICK_SEEN;
        if (once)
            memset(seen, 0, (hi - lo + 63) / 64 * sizeof *seen);
        if (indexed && score == score_model)
            return pick_model_indexed(b, ctx, lo, hi, candidates, &n, limit, once ? seen : NULL,
                                      best, u, out);
        for (int k = 0; hi > lo && k < candidates; k++) {
            uint64_t at = hi - lo <= (uint64_t)candidates
                              ? lo + (uint64_t)k
                              : lo + below_with_limit(&b->r, &n, limit);
            if (at >= hi)
                break;
            if (once) {
                uint64_t j = at - lo, bit = (uint64_t)1 << (j & 63);
                if (seen[j >> 6] & bit)
                    continue;
                seen[j >> 6] |= bit;
            }
            double v, o;
            if (indexed) {
                /* the model's estimate or the values shared, straight from the outcome
                 * index (decoded as space_decode does, in om_utility's and score_near's
                 * order: the same value); the bid is written out only when it is the best
                 * so far */
                uint32_t x = sp->sorted[b->party][at];
                o = score == score_model ? om_utility_index(ctx, sp, x) : near_index(ctx, sp, x);
                if (o > best) {
                    best = o;
                    u = space_kth_best(sp, b->party, at, out);
                }
                continue;
            }
            v = space_kth_best(sp, b->party, at, c);
            o = score(ctx, c);
            if (o > best) {
                best = o;
                u = v;
                memcpy(out, c, b->ni * sizeof *out);
            }
        }
        return u;
    }
    if (target >= sp->best_u[b->party] && width >= 0) {
        /* every draw below would be the party's best bid (space_bid_at_least above its best
         * utility), which out already holds and `best` rates: none can beat it. The same
         * random numbers are drawn, so the generator goes on as before (CUHKAgent at its
         * threshold Umax: a third of its turns on the benchmark) */
        for (int k = 0; k < candidates / 4 + 1; k++)
            (void)rng_uniform(&b->r);
        return u;
    }
    for (int k = 0; k < candidates / 4 + 1; k++) {
        double v = space_bid_at_least(sp, b->party, target + width * rng_uniform(&b->r), &b->r, c);
        double o = score(ctx, c);
        if (v >= target && o > best) {
            best = o;
            u = v;
            memcpy(out, c, b->ni * sizeof *out);
        }
    }
    return u;
}

double pick_for_opponent(base *b, const om *m, double target, double width, int candidates,
                         uint32_t *out)
{
    int none = !m || m->kind == OM_NONE || m->offers == 0;
    return pick_scored(b, none ? NULL : score_model, m, target, width, candidates, out);
}

double pick_near(base *b, const uint32_t *ref, double target, double width, int candidates,
                 uint32_t *out)
{
    near_groups groups;
    groups.ng = 0;
    near_ctx n = {ref, b->ni, &groups};
    return pick_scored(b, ref ? score_near : NULL, &n, target, width, candidates, out);
}

void window_init(window *w)
{
    for (size_t k = 0; k < WINDOW_BUCKETS; k++) {
        w->max[k] = -1;
        w->sum[k] = 0;
        w->count[k] = 0;
    }
}

static size_t bucket(double t)
{
    if (!(t > 0))
        return 0;
    size_t k = (size_t)(t * WINDOW_BUCKETS);
    return k >= WINDOW_BUCKETS ? WINDOW_BUCKETS - 1 : k;
}

void window_add(window *w, double t, double u)
{
    size_t k = bucket(t);
    if (u > w->max[k])
        w->max[k] = u;
    w->sum[k] += u;
    w->count[k]++;
}

double window_max(const window *w, double from, double to)
{
    double m = -1;
    for (size_t k = bucket(from); k <= bucket(to); k++)
        if (w->max[k] > m)
            m = w->max[k];
    return m;
}

double window_mean(const window *w, double from, double to)
{
    double s = 0;
    uint64_t n = 0;
    for (size_t k = bucket(from); k <= bucket(to); k++) {
        s += w->sum[k];
        n += w->count[k];
    }
    return n ? s / (double)n : -1;
}

size_t anac_size(const truce_space *sp, void *payload)
{
    return *(const size_t *)payload + base_bytes(sp) + om_bytes(truce_space_scenario(sp)) + 16;
}

int anac_start(core *c, const truce_agent_setup *setup, const char *name, size_t self, int model,
               param *p, size_t n, truce_error *err)
{
    int rc = params_parse(name, setup->params, p, n, err);
    if (rc)
        return rc;
    c->self = self;
    char *cursor = (char *)c + CARVE_ROUND(self);
    base_init(&c->b, setup, &cursor);
    om_init(&c->m, model, c->b.s, &cursor);
    return 0;
}

void anac_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    core *c = state;
    if (ev->kind != TRUCE_ACTION_OFFER || ev->actor == c->b.party)
        return;
    base_received(&c->b, ev);
    om_observe(&c->m, ev->offer, ev->time);
}

int anac_offer(core *c, truce_action_kind *kind, double u)
{
    base_offered(&c->b, u);
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

int anac_accept(truce_action_kind *kind)
{
    *kind = TRUCE_ACTION_ACCEPT;
    return 0;
}

int anac_acceptable(const core *c, double u)
{
    return !c->b.vetoed && u >= c->b.floor;
}

int anac_floor_param(core *c, const char *name, const param *p, truce_error *err)
{
    int none, rc = param_floor(name, p, &none, err);
    if (!rc && none)
        c->b.floor = c->b.umin < c->b.reservation ? c->b.umin : c->b.reservation;
    return rc;
}
