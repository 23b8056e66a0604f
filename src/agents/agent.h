/* agent.h: what the built-in agents share: parameter parsing, the
 * acceptance conditions they compose with their bidding, and the registry. */
#ifndef TRUCE_AGENTS_AGENT_H
#define TRUCE_AGENTS_AGENT_H

#include "../core/error.h"
#include "../core/rng.h"
#include "../protocol/space.h"

/* Parse "key=value:key=value". Every key must be one of `params`; values are
 * numbers, except for parameters whose default is a word (non-empty `word`).
 * On error fills err naming the agent and the parameter. */
typedef struct param {
    const char *key;
    double number;
    char word[32];
    int given;
} param;

int params_parse(const char *agent, const char *text, param *params, size_t n_params,
                 truce_error *err);
/* Check a numeric parameter lies in [lo, hi]. */
int param_check(const char *agent, const param *p, double lo, double hi, truce_error *err);
/* The parameter floor=reservation|none (p may be NULL: reservation): *none is 1 for none. */
int param_floor(const char *agent, const param *p, int *none, truce_error *err);

/* Acceptance conditions (Baarslag et al. 2014), OR-combined:
 * AC_next: u(offer) * a + b >= u(next own bid); AC_const: u(offer) >= c;
 * AC_time: t >= T. Never below the reservation value, and never an offer
 * the agent's own party vetoes (turn->offer_vetoed: accepting it is a fault). */
enum { AC_NEXT = 1, AC_CONST = 2, AC_TIME = 4, AC_LAST = 8 };

typedef struct acceptance {
    int which;
    double a, b, c, T;
    double reservation;
    int floor; /* 1: never below the reservation value (floor=reservation); 0: floor=none */
    uint64_t max_rounds; /* AC_last: the deadline in rounds (0: in seconds) */
} acceptance;

/* Read ac=next|const|time|last (joined with '+'; the ac parameter's word is the default),
 * a, b, c, T and floor=reservation|none from params; setup gives the deadline. AC_last
 * accepts in the deadline's last round, or under a deadline in seconds from t >= 0.98. */
int acceptance_setup(acceptance *ac, const char *agent, const param *params, size_t n_params,
                     const truce_agent_setup *setup, double reservation, truce_error *err);
/* Whether to accept an offer worth offer_utility, the agent's next bid being
 * worth next_bid_utility, at this turn. Ask agent_may_accept first. */
int acceptance_ok(const acceptance *ac, double offer_utility, double next_bid_utility,
                  const truce_turn *turn);
/* Whether the turn has an offer the agent may accept at all: one exists and
 * its own party's hard conditions allow it. Every built-in agent asks before
 * any acceptance condition (inline: it runs at every turn). */
static inline int agent_may_accept(const truce_turn *turn)
{
    return turn->offer && !turn->offer_vetoed;
}

/* The common parameter list every bidding agent accepts for acceptance. */
#define AC_PARAMS                                                                                  \
    {"ac", 0, "next", 0}, {"a", 1, "", 0}, {"b", 0, "", 0}, {"c", 1, "", 0}, {"T", 1, "", 0},      \
    {                                                                                              \
        "floor", 0, "reservation", 0                                                               \
    }
#define AC_PARAM_COUNT 6

/* Reservation floor of a party: its reservation value. */
double agent_reservation(const truce_agent_setup *setup);

/* Tit-for-tat's target: umax - (umax - ufloor) * d * rho, rho being how far
 * the opponents' best offer (own utility `best`) moved from their first
 * (`first`, -1 before any) toward umax; never below ufloor. */
double tft_target(double umax, double ufloor, double d, double first, double best);

extern const truce_agent_class agent_boulware_class;
extern const truce_agent_class agent_linear_class;
extern const truce_agent_class agent_conceder_class;
extern const truce_agent_class agent_timedep_class;
extern const truce_agent_class agent_hardliner_class;
extern const truce_agent_class agent_random_class;
extern const truce_agent_class agent_tft_class;
extern const truce_agent_class agent_micro_class;
extern const truce_agent_class agent_hardheaded_class;
extern const truce_agent_class agent_boa_class;

#endif
