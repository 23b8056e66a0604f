/* scenario.h: the in-memory model shared by every module: issues, options,
 * parties and their preferences. Built once by a loader, then read-only. */
#ifndef TRUCE_CORE_SCENARIO_H
#define TRUCE_CORE_SCENARIO_H

#include <stdint.h>

#include "arena.h"
#include "expr.h"
#include "truce.h"

typedef struct issue {
    const char *name;
    const char *label;  /* longer description, or NULL */
    const char *source; /* where the modelled fact comes from, or NULL */
    truce_issue_kind kind;
    uint32_t n_options;
    const char **labels; /* discrete: option names */
    int64_t int_lower;   /* integer: option k is int_lower + k */
    int64_t int_upper;
    double real_lower; /* real: option k is real_lower + k * step */
    double real_upper;
    int genius_index; /* the "index" attribute in GENIUS files */
    double gw_step;   /* real issue read from a GeniusWeb range: its step, else 0 */
    double gw_high;   /* ... and its high end as written (real_upper is the last point) */
} issue;

/* A GENIUS evaluator of one issue, kept as written so it can be written back
 * (the utility table below is what evaluation uses). */
enum real_ftype {
    REAL_LINEAR = 0,
    REAL_CONSTANT,
    REAL_TRIANGULAR,
    REAL_TRIANGULAR_TOP,
    /* GeniusWeb's NumberValueSetUtilities: param = lowValue, lowUtility, highValue,
     * highUtility; linear in between, 0 outside */
    REAL_INTERPOLATE
};

typedef struct evaluator {
    double weight;           /* as written, never renormalised */
    const double *raw;       /* discrete: evaluation per option as written */
    double extra_max;        /* discrete: the largest evaluation of items the domain does not
                                have (0 when none), which GENIUS counts in the divisor */
    const char *extra_label; /* that item's value, or NULL */
    double slope, offset;    /* integer: offset + slope * (v - int_lower) */
    int64_t int_lower;       /* integer: the profile's own bounds */
    int64_t int_upper;
    int function;    /* integer: evaluated by real_ftype and param of the value v (GENIUS's
                        legacy form, GeniusWeb's interpolation) instead of slope and offset */
    int real_ftype;  /* real (and integer with function): enum real_ftype */
    double param[4]; /* real (and integer with function): parameter0..3 */
    double real_lower, real_upper;
} evaluator;

/* One bound of a hyperrectangle: issue value v satisfies it when
 * min <= v <= max (GENIUS compares issue values, not option indices). */
typedef struct bound {
    uint32_t issue;
    int64_t min, max;
    const unsigned char *allowed; /* native terms: option k holds iff allowed[k]
                                     (then min/max are unused); NULL for GENIUS */
} bound;

typedef struct term {
    double utility;    /* "utility" attribute */
    double weight;     /* "weight" attribute, 1 when absent */
    int exclusive;     /* EXCLUDES: counts when some bound is violated */
    uint32_t n_bounds; /* 0: always counts */
    const bound *bounds;
} term;

enum aggregation { AGG_SUM = 0, AGG_MIN, AGG_MAX };

typedef struct ufun {
    int aggregation;
    double weight;
    uint32_t n_terms;
    const term *terms;
    uint32_t n_children;
    const struct ufun *children;
} ufun;

/* A hard condition: a conjunction of clauses "issue takes one of these
 * options"; an outcome violating it is vetoed by its party. */
typedef struct clause {
    uint32_t issue;
    const unsigned char *allowed; /* n_options flags */
} clause;

typedef struct condition {
    const char *id, *label, *source;
    uint32_t n_clauses;
    const clause *clauses;
    double bluff; /* 1 - credibility: the probability that the red line is not real
                     (docs/scenario-format.md#uncertainty); 0 for a certain one */
    /* 'expression' (docs/scenario-format.md#constraint-expressions): its text, or NULL;
     * one that reads a single issue became the last clause (rule NULL), one that reads
     * several is kept as rule and checked on whole outcomes */
    const char *expression;
    const expr_rule *rule;
} condition;

/* A scenario-level feasibility rule ('constraints:'): no outcome that
 * breaks it can be agreed, whoever the bargainers are. */
typedef struct scenario_rule {
    const char *id, *label, *source;
    expr_rule rule;
    const unsigned char *mask; /* a rule of one issue: the allowed option slots
                                  (total_options flags); NULL for a cross-issue rule */
} scenario_rule;

typedef struct party {
    const char *name;
    const char *label; /* display name, or NULL */
    truce_role role;
    const char *source; /* file it came from, or "" */
    truce_profile_kind kind;
    double reservation; /* undiscounted; 0 when none given */
    int has_reservation;
    const uint32_t *reservation_bid; /* GeniusWeb's reservationBid (n_issues options), or NULL */
    double discount;         /* validated as GENIUS does: outside (0,1] -> 1 */
    double discount_written; /* as written, for writing back */
    int has_discount;
    /* linear */
    const evaluator *evaluators; /* one per issue */
    const double *table;         /* weight * evaluation, per scenario option slot;
                                    native profiles with terms have both parts */
    /* nonlinear */
    double max_utility;
    ufun root;
    /* time-dependent reservation value: piecewise linear through points */
    uint32_t n_reservation_points;
    const double *reservation_time, *reservation_value;
    const char *reservation_source;
    uint32_t n_hard;
    const condition *hard;
    /* per option slot: 1 when no hard condition of this party excludes the
     * option (hard conditions are per-issue option sets, so an outcome breaks
     * none exactly when each of its options is allowed); NULL when the party
     * has no hard condition. Set by scenario_finish. */
    const unsigned char *allowed;
    /* 'uncertainty: x' of the party: every plain number of its preferences is
     * uniform within +-x (has_widen 0: none given) */
    double widen;
    int has_widen;
    /* bargaining power (docs/scenario-format.md#bargaining-power): the exponent of this
     * principal's gain in the asymmetric Nash product; has_power 0: none given (1) */
    double power;
    int has_power;
    /* coalitions (docs/scenario-format.md#coalitions, src/core/coalition.c): declared_role
     * is the role as written (role is the one scenario_finish derives from the coalition
     * mode); a coalition (is_coalition) has members, their weights as written and divided
     * by their sum (share), and a rule; its table, reservation and hard conditions are
     * derived from its members when read. coalition_of: the coalition a member belongs to
     * (-1: none). bound_max/bound_min (members, n_issues + 1 entries): the sum over issues
     * 0..i-1 of the largest/smallest table entry, for pruning partial outcomes. */
    int declared_role;
    int is_coalition;
    int coalition_rule; /* truce_coalition_rule */
    size_t n_members;
    const size_t *members;
    const double *member_weight; /* as written, NULL: 1 each */
    const double *member_share;
    long coalition_of;
    const double *bound_max, *bound_min;
} party;

typedef struct guarantee {
    const char *id, *label, *source;
    size_t giver;
    uint32_t issue; /* its options are the forms the guarantee can take */
    size_t n_beneficiaries;
    const size_t *beneficiaries;
} guarantee;

typedef struct agenda_item {
    const char *id, *label;
    uint32_t n_issues;
    const uint32_t *issues;
} agenda_item;

/* `party` demands that agenda item `first` be settled before `then`. */
typedef struct precondition {
    size_t party, first, then;
    const char *source;
} precondition;

/* Uncertain numbers (docs/scenario-format.md#uncertainty): a number of the
 * model given as an interval or a distribution. The model itself holds the
 * central value, so every deterministic command reads it; truce_robust
 * draws the others. */
typedef enum uncertain_target {
    UNC_WEIGHT = 0,        /* party's weight of issue */
    UNC_VALUE,             /* party's value of option `index` of a discrete issue */
    UNC_RESERVATION,       /* party's constant reservation value */
    UNC_RESERVATION_POINT, /* the value of point `index` of party's reservation */
    UNC_INFLUENCE,         /* the weight of influence `index` */
    UNC_CREDIBILITY        /* hard condition `index` of party: 1 real, 0 a bluff */
} uncertain_target;

typedef enum uncertain_kind {
    UNC_UNIFORM = 0,
    UNC_TRIANGULAR,
    UNC_NORMAL, /* truncated to [lo, hi] */
    UNC_DISCRETE
} uncertain_kind;

typedef struct uncertain {
    int target; /* uncertain_target */
    size_t party;
    uint32_t issue;
    uint32_t index;
    int kind;          /* uncertain_kind */
    double lo, hi;     /* support */
    double mode;       /* triangular */
    double mean, sd;   /* normal, before truncation */
    double central;    /* the value the model holds */
    uint32_t n_values; /* discrete: values and their probabilities */
    const double *values, *probs;
    int widened;        /* from an 'uncertainty: x' shorthand (written back as such) */
    const char *source; /* why, or NULL */
} uncertain;

typedef struct influence {
    size_t stakeholder, principal;
    double weight;
    const char *source;
} influence;

/* One declared channel with its time window (docs/scenario-format.md#channels-over-time):
 * open at relative time t when from <= t < until (until INFINITY: to the end of the talks). */
typedef struct channel_window {
    size_t a, b;
    double from, until;
    int timed;          /* written with a window (0: a plain pair, open throughout) */
    const char *source; /* where it comes from, or NULL */
} channel_window;

/* A phase of implementation (docs/scenario-format.md#phases): phases are
 * carried out in their order, with a verification between one and the next. */
typedef struct phase {
    const char *id, *label, *verification, *source;
} phase;

struct truce_scenario {
    arena a;
    const char *name;
    size_t n_issues;
    issue *issues;
    const uint32_t *option_offset; /* first option slot of each issue */
    size_t total_options;
    size_t n_parties;
    party *parties;
    uint32_t real_steps;
    /* native model (all empty for GENIUS scenarios) */
    const char *description, *notes;
    const unsigned char *channels; /* n_parties^2 flags, NULL: everyone may talk */
    size_t n_guarantees;
    const guarantee *guarantees;
    size_t n_agenda;
    const agenda_item *agenda;
    size_t n_preconditions;
    const precondition *preconditions;
    size_t n_influence;
    const influence *influences;
    /* One negotiation, one answer (docs/analysis.md), set by scenario_finish:
     * the bargainers are the principals (every party of a GENIUS scenario);
     * an outcome is feasible when it breaks no bargainer's hard condition,
     * that is when each of its options is feasible. */
    size_t n_bargainers;
    const size_t *bargainers;           /* party indices, ascending */
    const unsigned char *feasible;      /* per option slot */
    const uint32_t *n_feasible_options; /* per issue */
    int hard_binds;                     /* some option is infeasible */
    /* uncertainty (docs/scenario-format.md#uncertainty): the scenario-wide
     * 'uncertainty: x' shorthand, and every uncertain number, widened ones
     * and credibilities of hard conditions included */
    double widen;
    int has_widen;
    size_t n_uncertain;
    const uncertain *uncertain;
    /* constraint expressions (docs/scenario-format.md#constraint-expressions):
     * numbers attached to options, summed over the issues that declare them */
    size_t n_attributes;
    const char **attribute_names;
    const double *const *attribute_values; /* per attribute: one per option slot, 0 where
                                              the issue declares none */
    const unsigned char *attribute_issues; /* n_attributes * n_issues: the issue declares it */
    size_t n_constraints;
    const scenario_rule *constraints;
    /* set by scenario_finish: 1 when a rule reads several issues (a bargainer's
     * hard condition or a scenario constraint), so the feasible outcomes are no
     * longer the product of the feasible options */
    int cross;
    /* channels with time windows (src/core/channels.c): every entry of
     * 'channels' when one has a window, else NULL (channels above says it all);
     * days: the length of the talks in days ('days: N'), 0 when not given */
    size_t n_windows;
    const channel_window *windows;
    double days;
    /* phases (src/analysis/check.c, docs/scenario-format.md#phases): the
     * ordered phases, the phase of each agenda item in the plan (-1: none;
     * NULL without phases), and per precondition whether its holder accepts
     * both items in the same phase (NULL: none does) */
    size_t n_phases;
    const phase *phases;
    const long *item_phase;
    const unsigned char *same_phase;
    /* bargaining power, set by scenario_finish (rules.c): each bargainer's power, in the
     * order of `bargainers`, or NULL when all are equal (the symmetric Nash point); and the
     * criterion of the Nash point, naming the powers when they differ */
    const double *bargainer_power;
    const char *nash_criterion;
    /* decision rule (docs/scenario-format.md#decision-rules), as loaded: unanimity of the
     * principals (has_decision 0, the default) or a qualified majority of their weights
     * with required members; ratifiers (other parties) must accept after signature */
    int has_decision;
    int decision_rule;             /* truce_decision_rule */
    double decision_threshold;     /* qualified majority: share of the principals' weight */
    const double *decision_weight; /* per party (principals' count), NULL: 1 each */
    const unsigned char *required; /* per party: must accept, NULL: none */
    const unsigned char *ratifier; /* per party: must ratify, NULL: none */
    const char *decision_source;
    /* derived by scenario_finish_rules: per party, 1 for a decider (a principal every
     * winning set of acceptors contains: every principal under unanimity) */
    const unsigned char *decider;
    size_t n_deciders;
    /* coalitions (src/core/coalition.c): how many parties are coalitions, and the mode the
     * scenario was loaded in (truce_coalition_mode) */
    size_t n_coalitions;
    int coalition_mode;
};

/* ---- coalitions (coalition.c, docs/scenario-format.md#coalitions) ---- */
/* Derive coalition p's table, reservation value, discount and hard conditions from its
 * members (once its members and weights are set) and each member's bounds. 0 or
 * TRUCE_ENOMEM. */
int coalition_build(truce_scenario *s, party *p);
/* Set every party's role from its declared role and s->coalition_mode (scenario_finish
 * calls it first). */
void coalition_apply_mode(truce_scenario *s);
/* 1 when every member of coalition p accepts outcome o at time t (no broken hard condition
 * of its own, more than its reservation value; scenario constraints are not looked at). */
int coalition_members_accept(const truce_scenario *s, const party *p, const uint32_t *o, double t);
/* 1 when a coalition under the unanimity rule bargains (s's mode is as-one): its members'
 * acceptance then limits the feasible outcomes. */
int coalition_binds(const truce_scenario *s);
/* EXPR_YES, EXPR_NO or EXPR_MAYBE: whether every member of every bargaining unanimity
 * coalition accepts o when only issues known_from and above are decided. */
int coalition_partial(const truce_scenario *s, const uint32_t *o, uint32_t known_from);

/* Reservation value of p at relative time t. */
double party_reservation_at(const party *p, double t);
/* Index of the first hard condition of p that outcome violates, or -1. */
int party_violates(const party *p, const uint32_t *outcome);

/* Derive the bargainers, each party's allowed options and the feasible
 * options once a loader has set the issues, parties and hard conditions.
 * Every loader calls it last. 0 or TRUCE_ENOMEM. */
int scenario_finish(truce_scenario *s);
/* p's bargaining power: as written, 1 when none given. */
double party_power(const party *p);
/* The bargaining-power and decision-rule part of scenario_finish (rules.c). 0 or TRUCE_ENOMEM. */
int scenario_finish_rules(truce_scenario *s);
/* 1 when party p accepts outcome o at time t: it breaks none of p's hard conditions and gives
 * p more than its reservation value then. */
int party_accepts(const truce_scenario *s, size_t p, const uint32_t *o, double t);
/* 1 when the principals that accept o satisfy the decision rule and every ratifier accepts
 * o; accepts (n_parties flags, required) gets whether each party accepts o. */
int scenario_decided(const truce_scenario *s, const uint32_t *o, double t, unsigned char *accepts);
/* 1 when the principals flagged in accepts (n_parties flags; other parties' ignored) satisfy
 * the decision rule (ratifiers are not looked at). */
int scenario_rule_met(const truce_scenario *s, const unsigned char *accepts);
/* 1 when the scenario's rule is other than plain unanimity of the principals (a qualified
 * majority, or ratifiers). */
int scenario_has_rule(const truce_scenario *s);

/* 1 when outcome breaks no bargainer's hard condition and no scenario constraint. */
int scenario_feasible(const truce_scenario *s, const uint32_t *outcome);

/* The first (bargainer, hard condition) that outcome breaks, in party order:
 * returns the party index and sets *which (the condition), or -1 when it is feasible. */
long scenario_first_violation(const truce_scenario *s, const uint32_t *outcome, int *which);

/* The number of outcomes (feasible_only: of feasible outcomes) as decimal
 * text allocated in a, or NULL when out of memory. */
char *scenario_count_text(const truce_scenario *s, int feasible_only, arena *a);

/* 1 when party index p bargains. */
int scenario_is_bargainer(const truce_scenario *s, size_t p);

/* Allocate an empty scenario owning its arena. NULL on failure. */
truce_scenario *scenario_new(const truce_allocator *allocator);

/* Compute option offsets once issues are set. 0 or TRUCE_ENOMEM. */
int scenario_index_options(truce_scenario *s);

/* Numeric value of option k of an integer or real issue. */
double issue_option_value(const issue *is, uint32_t k);

/* Undiscounted utility; assumes a valid outcome. */
double party_utility(const truce_scenario *s, const party *p, const uint32_t *outcome);

/* GeniusWeb's interpolation (enum real_ftype REAL_INTERPOLATE) at x. */
double interpolate(const double *param, double x);

/* Build p->table from p->evaluators (linear profiles). 0 or TRUCE_ENOMEM. */
int linear_build_table(truce_scenario *s, party *p);

/* Fill table (total_options entries) with weight * evaluation per option
 * slot under evaluators (one per issue), as linear_build_table does. */
void linear_fill_table(const truce_scenario *s, const evaluator *evaluators, double *table);

/* Evaluation in [0,1] of option k under evaluator e of issue is (before the
 * weight), following the GENIUS evaluator classes. */
double evaluator_value(const issue *is, const evaluator *e, uint32_t k);

/* Raw value of a nonlinear function on an outcome (before maxutility). */
double ufun_value(const truce_scenario *s, const ufun *f, const uint32_t *outcome);

/* 1 when every party's profile is linear additive. */
int scenario_is_linear(const truce_scenario *s);

/* Largest utility party p can reach without the cap at 1 (sum of per-issue
 * maxima); linear profiles only. */
double linear_max_sum(const truce_scenario *s, const party *p);

#endif
