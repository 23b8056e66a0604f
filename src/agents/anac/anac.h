/* anac.h: what the ANAC agents and the BOA agent share: a base with the
 * agent's own tables and the record of what the others offered, opponent
 * models (frequency, Smith, CUHK, scalable Bayesian), offering the bid a
 * model rates best near a target, and the registry rows of the ANAC agents. */
#ifndef TRUCE_AGENTS_ANAC_H
#define TRUCE_AGENTS_ANAC_H

#include <stdint.h>

#include "../agent.h"

/* ---- memory: arrays carved from the tail of an agent's state ---- */

/* Round up to 16 bytes, the alignment every carved array gets. */
#define CARVE_ROUND(n) (((n) + 15) & ~(size_t)15)
void *carve(char **cursor, size_t bytes);

/* ---- the base every ANAC agent embeds ---- */

#define BASE_SEEN 256 /* distinct received bids remembered (by hash) for agents that replay them */

typedef struct base {
    const truce_space *sp;
    const truce_scenario *s;
    size_t party, ni, n_parties;
    uint64_t max_rounds;
    double umax, umin;  /* best utility; worst known (0 when untabulated) */
    double reservation; /* at time 0 */
    double floor;       /* the least utility it accepts or aims at: the reservation value, or
                           with floor=none (GENIUS mode, anac_floor_param) the worst utility */
    double discount;    /* GENIUS discount factor, 1 when none */
    rng r;
    /* the others' offers, in the agent's own undiscounted utility */
    uint64_t received;
    double first_u, last_u, sum_u, sumsq_u;
    double best_u; /* of `best`: -1 before any offer the agent's party allows */
    double last_offer_time;
    uint32_t *last; /* ni: the last offer received */
    uint32_t *best; /* ni: the best offer received that the agent's own party's hard
                       conditions allow (agents offer it back) */
    int vetoed;     /* this turn's standing offer breaks one of them: never accept it */
    /* own offers */
    uint64_t made;
    double own_last_u, own_lowest_u;
    /* time of the agent's previous and current turn (round length estimates) */
    double prev_turn, this_turn;
    /* where the last searches of the party's sorted table ended (the bids worth at least a
     * range's low and high end): the next searches start there (see count_from in base.c) */
    uint64_t hint_low, hint_high;
} base;

size_t base_bytes(const truce_space *sp);
/* Fill b from setup (seed, tables, reservation, discount); carves its arrays. */
void base_init(base *b, const truce_agent_setup *setup, char **cursor);
/* Record another party's offer (call from observe). */
void base_received(base *b, const truce_event *ev);
/* Record a turn (call first in act): updates the turn times and whether the
 * standing offer may be accepted at all (anac_acceptable asks). */
void base_turn(base *b, const truce_turn *turn);
/* Record the agent's own offer of utility u. */
void base_offered(base *b, double u);
/* Records o (worth u) in a list of at most BASE_SEEN distinct bids of a tabulated space (its
 * outcome indices `index` and utilities `util`, *n of them); nothing when the space is not
 * tabulated, o is already there or the list is full. */
void base_seen_add(const base *b, uint64_t *index, double *util, size_t *n, const uint32_t *o,
                   double u);
double base_utility(const base *b, const uint32_t *o);
/* 1 when the agent may offer o: it breaks neither its own party's hard conditions nor a scenario
 * constraint (the bid tables hold only such bids; a bid built issue by issue must be checked). */
int base_allows(const base *b, const uint32_t *o);
/* The bid at or just above target (the agent's best above its best), as the built-in agents bid. */
double base_bid(base *b, double target, uint32_t *out);
/* A uniformly random bid with utility at least floor (a random walk when untabulated). */
double base_random_bid(base *b, double floor, uint32_t *out);
/* A random bid with utility in [lo, hi) (tabulated; otherwise at least lo, near it); the bid
 * at lo when there is none in between. */
double base_random_between(base *b, double lo, double hi, uint32_t *out);
/* x mod n for one n and many 64-bit x without a division: the quotient floor(x / n) is
 * (((x - h) >> 1) + h) >> shift with h the high half of magic * x, the 65-bit multiplier
 * 2^64 + magic = ceil(2^(65 + L) / n), L = floor(log2 n) (Granlund and Montgomery, "Division by
 * invariant integers using multiplication", PLDI 1994, theorem 4.2; the branch-free form of
 * libdivide's unsigned division; powers of two: magic 0, shift L - 1). Exact for every x;
 * test_anac checks it against % on millions of pairs. */
typedef struct modulus {
    uint64_t n, magic;
    unsigned shift;
} modulus;
void modulus_init(modulus *d, uint64_t n);
static inline uint64_t modulus_of(const modulus *d, uint64_t x)
{
    if (d->n <= 1)
        return 0;
    uint64_t h = (uint64_t)(((unsigned __int128)d->magic * x) >> 64);
    uint64_t q = (((x - h) >> 1) + h) >> d->shift;
    return x - q * d->n;
}

/* The same drawn several times over one range: base_range looks the range up once (two
 * searches of the party's table) and each base_range_draw then draws exactly as
 * base_random_between(b, lo, hi, out) would. */
typedef struct base_range {
    double lo, hi;
    int searched; /* tabulated and lo below Umax: top and bottom hold the range */
    uint64_t top, bottom;
    uint64_t limit; /* rng_below's rejection limit for top - bottom, found once */
    modulus mod;    /* and its remainder by top - bottom */
} base_range;
void base_range_init(base *b, double lo, double hi, base_range *range);
/* space_count_at_least(sp, party, target) (tabulated spaces only), searched from where the last
 * search for a range's low end ended (count_from in base.c): a few steps when the target moves
 * little between calls. */
uint64_t base_count_at_least(base *b, double target);
double base_range_draw(base *b, const base_range *range, uint32_t *out);
/* rng_below(r, n) given its rejection limit UINT64_MAX - UINT64_MAX % n and the modulus of n,
 * found once for many draws below one n: the same numbers drawn, the same result */
static inline uint64_t below_with_limit(rng *r, const modulus *n, uint64_t limit)
{
    uint64_t x;
    do
        x = rng_next(r);
    while (x >= limit);
    return modulus_of(n, x);
}

/* a draw below top - bottom (bottom < top) */
static inline uint64_t range_below(base *b, const base_range *range)
{
    return below_with_limit(&b->r, &range->mod, range->limit);
}

/* The same draw as a position in the party's sorted table (its utility sorted_u[at], its
 * outcome index sorted[at]) without decoding the bid: 1 and *at when the draw is from the
 * table; 0, drawing nothing, when it is not (untabulated, or no bid at lo: then call
 * base_range_draw). The random numbers drawn are base_range_draw's. */
static inline int base_range_at(base *b, const base_range *range, uint64_t *at)
{
    if (!range->searched || range->top == 0)
        return 0;
    *at = range->bottom >= range->top ? range->top - 1 : range->bottom + range_below(b, range);
    return 1;
}

/* The positions base_range_at can give: *first and the count (the bid at lo alone, 1, when no
 * bid lies in [lo, hi)); 0 when it gives none. Agents drawing several times from a small range
 * rate each position once a turn (the model is the same all turn, so a repeat rates the same). */
static inline uint64_t base_range_span(const base_range *range, uint64_t *first)
{
    *first = 0;
    if (!range->searched || range->top == 0)
        return 0;
    if (range->bottom >= range->top) {
        *first = range->top - 1;
        return 1;
    }
    *first = range->bottom;
    return range->top - range->bottom;
}

/* Estimated rounds left: (1 - t) / (length of the agent's last round), at least 1. */
double base_rounds_left(const base *b);
/* Mean and population standard deviation of the received utilities. */
double base_mean(const base *b);
double base_sd(const base *b);
/* u discounted to time t: u * d^t. */
double base_discounted(const base *b, double u, double t);

/* ---- opponent models ---- */

enum {
    OM_NONE = 0,
    OM_FREQUENCY, /* HardHeaded (van Krimpen et al. 2013) */
    OM_SMITH,     /* AgentSmith (van Galen Last 2012) */
    OM_CUHK,      /* CUHKAgent (Hao and Leung 2014) */
    OM_BAYES      /* scalable Bayesian (Hindriks and Tykhonov 2008) */
};

#define OM_WEIGHT_LEVELS 10

typedef struct om {
    int kind;
    const truce_scenario *s;
    size_t ni;
    uint64_t offers;
    double *weight; /* ni: estimated issue weights, summing to 1 */
    double *value;  /* total_options: estimated option values, max 1 per issue */
    double *count;  /* total_options: raw counts (frequency models) or hypothesis scratch */
    uint32_t *last; /* ni */
    /* Bayesian: per issue, OM_WEIGHT_LEVELS weight hypotheses, and per option slot one
     * value-shape hypothesis (a triangle peaked at that option) */
    double *p_weight; /* ni * OM_WEIGHT_LEVELS */
    double *p_shape;  /* total_options */
    double *top;      /* ni: each issue's highest count (frequency models), kept as counts grow */
    /* Smith and CUHK (counts from 0): per issue, the options counted so far, in the order first
     * counted (at option_offset[i], n_counted[i] of them) */
    uint32_t *counted, *n_counted;
    /* total_options: weight x value of each option, kept when `products` (the CUHK model, whose
     * weights do not change), so that a rating adds them: the same products, rounded once */
    double *product;
    int products;
} om;

/* Parse a model name ("none", "frequency", "smith", "cuhk", "bayes"); -1 when unknown. */
int om_kind(const char *name);
const char *om_name(int kind);
size_t om_bytes(const truce_scenario *s);
void om_init(om *m, int kind, const truce_scenario *s, char **cursor);
/* Learn from an opponent's offer made at time t. */
void om_observe(om *m, const uint32_t *offer, double t);
/* Estimated opponent utility of o, in [0, 1] (0.5 for OM_NONE). */
double om_utility(const om *m, const uint32_t *o);
/* The same for outcome indices of a space with reciprocals (sp->reciprocal set: tabulated),
 * without decoding them into an array: the digits as space_decode finds them, summed in
 * om_utility's order, so the same value bit for bit (with the CUHK model's products, the same
 * products rounded as om_utility rounds them). Two digits at a time where the space groups its
 * issues (space.h). A rater holds what the ratings read, read once for a pick's many ratings
 * (read at every rating, the compilers reloaded them after each store of the loop around). */
typedef struct om_rater {
    int none; /* OM_NONE: every rating 0.5 */
    const space_group *groups, *end; /* the space's groups; none: the loop of issues */
    const double *weight, *value, *product; /* product: NULL unless the model keeps them */
    const uint32_t *offset;
    const om *m;
    const truce_space *sp;
} om_rater;

static inline void om_rater_init(om_rater *r, const om *m, const truce_space *sp)
{
    r->none = m->kind == OM_NONE;
    r->groups = sp->groups;
    r->end = sp->n_groups ? sp->groups + sp->n_groups : sp->groups; /* no NULL + 0 */
    r->weight = m->weight;
    r->value = m->value;
    r->product = m->products ? m->product : NULL;
    r->offset = m->s->option_offset;
    r->m = m;
    r->sp = sp;
}

/* (forced inline: the pickers' loops rate once per candidate, and clang stopped inlining it as
 * it grew) */
static inline __attribute__((always_inline)) double om_rate(const om_rater *r, uint32_t x)
{
    if (r->none)
        return 0.5;
    const double *weight = r->weight, *value = r->value, *product = r->product;
    const uint32_t *offset = r->offset;
    double u = 0;
    const space_group *g = r->groups, *end = r->end;
    if (g != end) {
        /* a group's digit gives one or two slots: the same terms added in the same order */
        if (product) {
            for (; g < end; g++) {
                uint32_t q = (uint32_t)(((unsigned __int128)g->reciprocal * x) >> 64);
                uint32_t d = x - q * g->radix;
                x = q;
                if (g->slot) {
                    u += product[g->slot[2 * (size_t)d]];
                    u += product[g->slot[2 * (size_t)d + 1]];
                } else {
                    u += product[offset[g->issue] + d];
                }
            }
            return u;
        }
        for (; g < end; g++) {
            uint32_t q = (uint32_t)(((unsigned __int128)g->reciprocal * x) >> 64);
            uint32_t d = x - q * g->radix, i = g->issue;
            x = q;
            if (g->slot) {
                const uint32_t *slot = g->slot + 2 * (size_t)d;
                u += weight[i] * value[slot[0]];
                u += weight[i + 1] * value[slot[1]];
            } else {
                u += weight[i] * value[offset[i] + d];
            }
        }
        return u;
    }
    const issue *issues = r->m->s->issues;
    const uint64_t *reciprocal = r->sp->reciprocal;
    for (size_t i = 0; i < r->m->ni; i++) {
        uint32_t k = space_digit(reciprocal[i], issues[i].n_options, &x);
        u += weight[i] * value[offset[i] + k];
    }
    return u;
}

static inline double om_utility_index(const om *m, const truce_space *sp, uint32_t x)
{
    om_rater r;
    om_rater_init(&r, m, sp);
    return om_rate(&r, x);
}

/* One frequency model per opponent (RandomDance, YXAgent): up to OPP_MODELS models; with
 * more parties, opponents share them by party index modulo OPP_MODELS. */
#define OPP_MODELS 8
typedef struct opp_models {
    size_t n;
    om m[OPP_MODELS]; /* opponent j's offers go to m[j % n] */
} opp_models;
/* Room the models take after the agent's core state. */
size_t opp_models_bytes(const truce_scenario *s);
void opp_models_init(opp_models *o, const truce_scenario *s, char **cursor);
/* Learn from an event: returns the model that took an opponent's offer, or OPP_MODELS when
 * the event is not an offer of another party than `self`. */
size_t opp_models_observe(opp_models *o, size_t self, const truce_event *ev);

/* Among the agent's bids with utility in [target, target + width], the one the model rates
 * best for the opponent (looking at up to `candidates` of them, a seeded sample when there
 * are more); the bid at target when the model is empty. Returns its utility. */
double pick_for_opponent(base *b, const om *m, double target, double width, int candidates,
                         uint32_t *out);

/* The same, rating bids by how many issues they share with ref (Nozomi: bids near the
 * opponent's last offer); the bid at target when ref is NULL. */
double pick_near(base *b, const uint32_t *ref, double target, double width, int candidates,
                 uint32_t *out);

/* ---- the opponent's last offers: a ring of the last `len` utilities, len <= RECENT_MAX
 * (BRAMAgent's and Yushu's last-rounds rule) ---- */
#define RECENT_OFFERS 10 /* BRAMAgent's window */
#define RECENT_MAX 64
typedef struct recent_offers {
    double u[RECENT_MAX];
    unsigned seen;
    unsigned len; /* the window's length, 1..RECENT_MAX */
    unsigned at;  /* where the next offer goes */
} recent_offers;

/* An empty window of the last len offers (clamped to 1..RECENT_MAX). */
static inline void recent_init(recent_offers *r, unsigned len)
{
    r->seen = r->at = 0;
    r->len = len < 1 ? 1 : len > RECENT_MAX ? RECENT_MAX : len;
}

/* Record an offer worth u. */
static inline void recent_push(recent_offers *r, double u)
{
    r->u[r->at] = u;
    r->at = r->at + 1 == r->len ? 0 : r->at + 1;
    r->seen++;
}

/* The best of the last len recorded, -1 before any (read only when needed: BRAMAgent
 * records every offer and looks at the best only in its last rounds). */
static inline double recent_best(const recent_offers *r)
{
    unsigned n = r->seen < r->len ? r->seen : r->len;
    double best = -1;
    for (unsigned k = 0; k < n; k++)
        if (r->u[k] > best)
            best = r->u[k];
    return best;
}

/* Record an offer worth u; the best of the last len recorded (u among them). */
static inline double recent_add(recent_offers *r, double u)
{
    recent_push(r, u);
    return recent_best(r);
}

/* ---- acceptance windows (AC_combi, Baarslag et al. 2014) ---- */

#define WINDOW_BUCKETS 200

typedef struct window {
    double max[WINDOW_BUCKETS]; /* best utility received in each time slice; -1 when none */
    double sum[WINDOW_BUCKETS];
    uint32_t count[WINDOW_BUCKETS];
} window;

void window_init(window *w);
void window_add(window *w, double t, double u);
/* Max (or mean) received utility in the time interval [from, to]; -1 when none. */
double window_max(const window *w, double from, double to);
double window_mean(const window *w, double from, double to);

/* ---- the part of every ANAC agent's state that the shared callbacks read ---- */

typedef struct core {
    base b;
    om m;
    size_t self; /* sizeof the whole agent struct: its arrays are carved after it */
} core;

/* Class payload of an ANAC agent: its struct size (for anac_size). */
#define ANAC_SELF(type) ((void *)&(const size_t){sizeof(type)})
/* state_size_for: the agent's struct, the base's arrays and one opponent model (`extra`
 * models more with anac_size_models). */
size_t anac_size(const truce_space *sp, void *payload);
/* Set up the core: base and model of kind `model`; parse params into p (n of them). */
int anac_start(core *c, const truce_agent_setup *setup, const char *name, size_t self, int model,
               param *p, size_t n, truce_error *err);
/* observe: the base's record and the model learn from the others' offers. */
void anac_observe(void *state, const truce_event *ev, void *payload);
/* Offer out (utility u): records it and sets the action. */
int anac_offer(core *c, truce_action_kind *kind, double u);
int anac_accept(truce_action_kind *kind);
/* Whether u clears the agent's floor (b.floor: the reservation value unless floor=none; utilities
 * are compared undiscounted) and the standing offer breaks none of its party's hard conditions. */
int anac_acceptable(const core *c, double u);
/* The parameter floor=reservation|none ({"floor", 0, "reservation", 0} in the agent's param list)
 * of the agents whose GENIUS 10.4 versions accept (and bid) below the reservation value: applied
 * after anac_start (none: b.floor becomes the worst utility). */
int anac_floor_param(core *c, const char *name, const param *p, truce_error *err);

/* ---- agents made of other agents (MetaAgent, Caduceus) ---- */

/* One of the agents an agent runs inside its own state. */
typedef struct member {
    const truce_agent_class *cls;
    void *state;
} member;

/* The ANAC agent class named `name` (NULL when none). */
const truce_agent_class *anac_class(const char *name);
/* State bytes a member of class cls needs on sp (rounded to 16). */
size_t member_bytes(const truce_agent_class *cls, const truce_space *sp);
/* Carve a member's state (zeroed already: the host's state, see member.c) and run its init with
 * no parameters and its own seed, derived from the setup's and the member's index k. */
int member_start(member *m, const truce_agent_class *cls, const truce_agent_setup *setup,
                 size_t k, char **cursor, truce_error *err);

/* ---- registry rows of the ANAC agents (agent.c lists them after the built-ins) ---- */

typedef struct anac_entry {
    const truce_agent_class *cls;
    int year;
    const char *reference;
    const char *params;
    const char *description;
} anac_entry;

extern const anac_entry anac_agents[];
extern const size_t anac_agent_count;

/* ---- IAMhaggler2011 (for tests) ---- */

/* p[i] = the probability IAMhaggler2011's plan uses for a normal variable to exceed its mean
 * by more than z[i] sqrt(2) deviations (erfc(z) / 2 interpolated in its table; 0 or 1 beyond
 * six), for n values. */
void iamhaggler2011_upper(const double *z, double *p, size_t n);
/* Test hook: IAMhaggler2011's value of the opponent's offer at a window whose prediction is
 * N(mu, sd^2) (its band sum, before the discount) and the bounds its plan prunes windows by. */
void iamhaggler2011_column(double mu, double sd, double *col, double *lo, double *hi);

#endif
