/* truce.h: the public API of libtruce, a negotiation engine.
 * One header; every symbol carries the truce_ prefix; handles are opaque. */
#ifndef TRUCE_H
#define TRUCE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TRUCE_VERSION_MAJOR 0
#define TRUCE_VERSION_MINOR 1
#define TRUCE_VERSION_PATCH 0
#define TRUCE_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ */
/* Errors                                                             */
/* ------------------------------------------------------------------ */

/* Status codes: 0 is success, failures are negative. Append-only: a code
 * is never renumbered or reused. truce_strerror() names them. */
enum {
    TRUCE_OK = 0,
    TRUCE_ENOMEM = -1,   /* an allocation failed */
    TRUCE_EIO = -2,      /* a file could not be opened, read or written */
    TRUCE_EPARSE = -3,   /* malformed input (XML, YAML, JSON) */
    TRUCE_EINVAL = -4,   /* a value is out of range or inconsistent */
    TRUCE_ELIMIT = -5,   /* the job exceeds a configured limit */
    TRUCE_ENOTFOUND = -6 /* a named thing (file, issue, party) does not exist */
};

/* Filled by every fallible call. `message` is one line that names the place
 * (file, line, field) and the problem; the other fields repeat the place for
 * programs (empty string / 0 when unknown). */
typedef struct truce_error {
    int code;
    int line;
    int column;
    char file[512];
    char field[128];
    char message[1024];
} truce_error;

/* Name of a status code, e.g. "TRUCE_EPARSE". Never NULL. */
const char *truce_strerror(int code);

/* Library version string, e.g. "0.1.0". */
const char *truce_version(void);

/* ------------------------------------------------------------------ */
/* Allocation                                                         */
/* ------------------------------------------------------------------ */

/* A caller-supplied allocator, as Lua's lua_Alloc: called with nsize == 0 to
 * free `ptr`, with ptr == NULL to allocate, otherwise to resize. Returns NULL
 * on failure (never for nsize == 0). `payload` is passed back unchanged. */
typedef void *(*truce_alloc_fn)(void *ptr, size_t osize, size_t nsize, void *payload);

typedef struct truce_allocator {
    truce_alloc_fn fn;
    void *payload;
} truce_allocator;

/* ------------------------------------------------------------------ */
/* Scenarios                                                          */
/* ------------------------------------------------------------------ */

/* A scenario: issues (the outcome space) and parties with their preferences.
 * Immutable once loaded; one scenario may be read by many threads at once. */
typedef struct truce_scenario truce_scenario;

typedef enum truce_issue_kind {
    TRUCE_ISSUE_DISCRETE = 0, /* named options */
    TRUCE_ISSUE_INTEGER = 1,  /* every integer in [lower, upper] */
    TRUCE_ISSUE_REAL = 2      /* [lower, upper], discretised into `steps` points */
} truce_issue_kind;

typedef enum truce_profile_kind {
    TRUCE_PROFILE_LINEAR = 0,   /* linear additive (weights x evaluations) */
    TRUCE_PROFILE_NONLINEAR = 1 /* sums of constraint (hyperrectangle) terms */
} truce_profile_kind;

/* Limits on what an input may ask of truce (docs/limits.md): files and
 * messages written by other people and programs must not exhaust memory or
 * time. Exceeding one fails with TRUCE_ELIMIT; the message names the limit
 * ("... more than the limit max_issues = 10000") and err->field holds its
 * name. Every limit is at least 1; the defaults load the whole ANAC corpus. */
#define TRUCE_LIMITS_VERSION 2 /* 2 appended max_name_bytes; version 1 structs still work */

typedef struct truce_limits {
    int version;                /* TRUCE_LIMITS_VERSION */
    uint64_t max_file_bytes;    /* size of one input file */
    uint32_t max_issues;        /* issues of a scenario */
    uint32_t max_options;       /* options of one issue (after discretisation) */
    uint64_t max_options_total; /* options summed over the issues: each party's
                                   utility table holds this many doubles */
    uint32_t max_parties;       /* parties (profiles) of a scenario */
    uint32_t max_depth;         /* nesting of elements (XML, YAML, <ufun>) */
    uint64_t max_trace_line;    /* bytes of one JSON Lines trace record read back */
    uint64_t max_message_bytes; /* bytes of one message from an external agent (the
                                   proc agent's default; docs/limits.md) */
    double max_message_rate;    /* messages per second from one external agent (not
                                   applied yet: docs/limits.md) */
    uint32_t max_name_bytes;    /* bytes of one name: scenario, issue, option, party
                                   (version 2; version 1 structs get the default) */
} truce_limits;

#define TRUCE_LIMITS_INIT                                                                          \
    {                                                                                              \
        TRUCE_LIMITS_VERSION, 64u << 20, 10000, 1000000, 4000000, 100, 64, 16u << 20, 16u << 20,   \
            1000, 4096                                                                             \
    }

/* Set limit `name` (a field name of truce_limits, e.g. "max_issues") from a
 * decimal value; TRUCE_ENOTFOUND for an unknown name (the message lists the
 * names), TRUCE_EINVAL for a value that is not a number >= 1. */
int truce_limits_set(truce_limits *limits, const char *name, const char *value, truce_error *err);

/* Name and value (as a number) of limit k, for k from 0 while the name is
 * not NULL: lets programs list the limits without knowing them. */
const char *truce_limits_name(size_t k);
double truce_limits_get(const truce_limits *limits, size_t k);

/* How the analysis treats each coalition of a native scenario
 * (docs/scenario-format.md#coalitions): as one bargainer with its members' aggregated
 * utility (the members bargain no more), or its members bargaining separately (the
 * coalition is then a non-bargaining party). */
typedef enum truce_coalition_mode {
    TRUCE_COALITIONS_AS_ONE = 0,
    TRUCE_COALITIONS_SPLIT = 1
} truce_coalition_mode;

/* Version 2 appended `limits`, version 3 `legacy`, version 4 `coalitions`; older callers get
 * the defaults. */
#define TRUCE_LOAD_OPTIONS_VERSION 4

typedef struct truce_load_options {
    int version;                      /* TRUCE_LOAD_OPTIONS_VERSION (1 to 3 are still accepted) */
    uint32_t real_steps;              /* points a real issue is discretised into (>= 2) */
    uint32_t max_issue_values;        /* options one issue may have: the smaller of this
                                         and limits->max_options applies */
    const truce_allocator *allocator; /* NULL: malloc/realloc/free */
    const truce_limits *limits;       /* NULL: TRUCE_LIMITS_INIT (version 2) */
    int legacy; /* 1: also read formats GENIUS 10.4 itself refuses, as older GENIUS versions
                   wrote them (docs/formats.md#legacy-formats); version 3 */
    int coalitions; /* truce_coalition_mode of the scenario's coalitions (version 4; earlier
                       versions get TRUCE_COALITIONS_AS_ONE) */
} truce_load_options;

#define TRUCE_LOAD_OPTIONS_INIT                                                                    \
    {                                                                                              \
        TRUCE_LOAD_OPTIONS_VERSION, 11, 1000000, NULL, NULL, 0, TRUCE_COALITIONS_AS_ONE            \
    }

/* Load a GENIUS scenario: one domain file (root <negotiation_template>) and
 * one or more profile files (root <utility_space>), one party per profile,
 * named after the profile's file name. opts may be NULL. On failure *out is
 * untouched and err names file, line and problem. Free with
 * truce_scenario_free(). */
int truce_scenario_load_genius(truce_scenario **out, const char *domain_path,
                               const char *const *profile_paths, size_t n_profiles,
                               const truce_load_options *opts, truce_error *err);

/* Load the GENIUS scenario in a folder: the one domain file and all profile
 * files beside it (files are told apart by their root element). A folder
 * holding no domain file or several is an error (TRUCE_EINVAL) whose message
 * lists the candidates. */
int truce_scenario_load_dir(truce_scenario **out, const char *dir, const truce_load_options *opts,
                            truce_error *err);

/* Load a GeniusWeb scenario (JSON, ANAC 2020 on; docs/formats.md#geniusweb-json): a domain
 * file ({"name", "issuesValues"}: discrete "values" or a number "range") and one or more
 * LinearAdditiveUtilitySpace profile files, one party per profile, named after its file name.
 * A profile's reservationBid gives its reservation value (that bid's utility). Errors name
 * the file and the JSON path of the value (JSON keeps no lines), or the line and column of a
 * malformed file. truce_scenario_load_dir and truce_scenario_load read a folder holding no
 * XML file but such JSON files. */
int truce_scenario_load_geniusweb(truce_scenario **out, const char *domain_path,
                                  const char *const *profile_paths, size_t n_profiles,
                                  const truce_load_options *opts, truce_error *err);

/* Write the scenario as GeniusWeb JSON: the domain to domain_path and party i's profile
 * (LinearAdditiveUtilitySpace) to profile_paths[i], each file through a temporary one as
 * truce_scenario_save_genius does. Reading them back gives every outcome the same utility:
 * a numeric issue whose evaluators GeniusWeb's interpolation cannot give exactly becomes a
 * discrete issue of its values. A reservation value becomes the reservationBid worth it (or,
 * when no outcome is, the best worth less); discount factors have no GeniusWeb form and are
 * left out. Nonlinear profiles cannot be written (TRUCE_EINVAL naming the party). */
int truce_scenario_save_geniusweb(const truce_scenario *scenario, const char *domain_path,
                                  const char *const *profile_paths, size_t n_profiles,
                                  truce_error *err);

/* Write the scenario as GENIUS XML: the domain to domain_path and party i's
 * profile to profile_paths[i] (n_profiles must equal the number of parties).
 * Every file goes to a temporary file first; all are renamed into place only
 * when all were written, so a failure (TRUCE_EIO naming the file and the
 * reason, such as a full disk) leaves the previous files as they were. */
int truce_scenario_save_genius(const truce_scenario *scenario, const char *domain_path,
                               const char *const *profile_paths, size_t n_profiles,
                               truce_error *err);

/* Version 2 appended `hard_rate`; version 1 callers get none. */
#define TRUCE_GENERATE_OPTIONS_VERSION 2

/* A synthetic linear additive scenario for tests and benchmarks: every party
 * draws issue weights uniformly and normalises them to sum 1, and draws each
 * option's evaluation as an integer from 1 to `levels` (so ties occur);
 * reservation values are 0. With hard_rate > 0, every party (all are
 * principals) gets one hard condition "red-line" that, on each issue with
 * probability hard_rate, excludes one option drawn at random (from a
 * generator of its own: the weights and evaluations do not change). Equal
 * options give equal scenarios everywhere. */
typedef struct truce_generate_options {
    int version;        /* TRUCE_GENERATE_OPTIONS_VERSION */
    size_t n_issues;    /* >= 1 */
    uint32_t n_options; /* options per issue, >= 1 */
    size_t n_parties;   /* >= 1 */
    uint32_t levels;    /* evaluation levels, >= 1 */
    uint64_t seed;
    const truce_allocator *allocator; /* NULL: malloc/realloc/free */
    double hard_rate;                 /* in [0, 1]; issues with n_options 1 are left alone */
} truce_generate_options;

#define TRUCE_GENERATE_OPTIONS_INIT                                                                \
    {                                                                                              \
        TRUCE_GENERATE_OPTIONS_VERSION, 10, 5, 2, 100, 1, NULL, 0                                  \
    }

/* Build a synthetic scenario (see truce_generate_options). */
int truce_scenario_generate(truce_scenario **out, const truce_generate_options *opts,
                            truce_error *err);

/* Free a scenario. truce_scenario_free(NULL) does nothing. */
void truce_scenario_free(truce_scenario *scenario);

/* Name of the scenario (borrowed; lives as long as the scenario). */
const char *truce_scenario_name(const truce_scenario *scenario);

size_t truce_scenario_issue_count(const truce_scenario *scenario);
size_t truce_scenario_party_count(const truce_scenario *scenario);

/* Issue i's name and kind; NULL / -1 when i is out of range. Borrowed. */
const char *truce_issue_name(const truce_scenario *scenario, size_t issue);
int truce_issue_kind_of(const truce_scenario *scenario, size_t issue);

/* Number of options (values) issue i has after discretisation; 0 if out of range. */
uint32_t truce_issue_option_count(const truce_scenario *scenario, size_t issue);

/* Label of option `option` of issue `issue` written into buf (always
 * NUL-terminated when size > 0): the option name, the integer, or the real
 * value. Returns the label's length, or a negative code when out of range. */
int truce_issue_option_label(const truce_scenario *scenario, size_t issue, uint32_t option,
                             char *buf, size_t size);

/* Find an issue by name, or an option of an issue by label. Return the index,
 * or TRUCE_ENOTFOUND. */
int truce_issue_find(const truce_scenario *scenario, const char *name);
int truce_option_find(const truce_scenario *scenario, size_t issue, const char *label);

/* Number of outcomes (product of option counts) as a decimal string in buf.
 * Exact at any size. Returns the string length or a negative code. */
int truce_scenario_outcome_count(const truce_scenario *scenario, char *buf, size_t size);

/* Party p's name (borrowed), profile kind, reservation value (utility of no
 * deal, undiscounted; 0 when the profile gives none) and discount factor (as
 * GENIUS validates it: outside (0,1] it is 1). */
const char *truce_party_name(const truce_scenario *scenario, size_t party);
int truce_party_profile_kind(const truce_scenario *scenario, size_t party);
double truce_party_reservation(const truce_scenario *scenario, size_t party);
double truce_party_discount(const truce_scenario *scenario, size_t party);

/* Load a scenario from a path: a GENIUS or GeniusWeb folder, or a native YAML
 * scenario file (*.yaml, *.yml; docs/scenario-format.md). */
int truce_scenario_load(truce_scenario **out, const char *path, const truce_load_options *opts,
                        truce_error *err);

/* Load a native YAML scenario. Errors name the file, line and column, and
 * what was expected. */
int truce_scenario_load_yaml(truce_scenario **out, const char *path, const truce_load_options *opts,
                             truce_error *err);

/* Write the scenario as a native YAML file (everything it holds), through a
 * temporary file renamed over path at the end: on failure (TRUCE_EIO) the
 * previous file is left as it was. */
int truce_scenario_save_yaml(const truce_scenario *scenario, const char *path, truce_error *err);

/* Roles of the parties. GENIUS scenarios have principals only. */
typedef enum truce_role {
    TRUCE_ROLE_PRINCIPAL = 0,  /* signs the deal */
    TRUCE_ROLE_MEDIATOR = 1,   /* drafts and relays */
    TRUCE_ROLE_STAKEHOLDER = 2 /* affected; may influence a principal */
} truce_role;

int truce_party_role(const truce_scenario *scenario, size_t party);
/* Display label of a party (its name when none was given). Borrowed. */
const char *truce_party_label(const truce_scenario *scenario, size_t party);
/* Find a party by name; its index or TRUCE_ENOTFOUND. */
int truce_party_find(const truce_scenario *scenario, const char *name);
/* Reservation value at relative time t in [0,1] (a time-dependent BATNA is
 * interpolated linearly between its points; constant otherwise). */
double truce_party_reservation_at(const truce_scenario *scenario, size_t party, double time);

/* Hard conditions: a party vetoes any outcome violating one of its own.
 * Count, id (borrowed), and the index of the first condition of party p that
 * outcome violates, or -1. */
size_t truce_party_hard_condition_count(const truce_scenario *scenario, size_t party);
const char *truce_hard_condition_id(const truce_scenario *scenario, size_t party, size_t k);
int truce_outcome_violates(const truce_scenario *scenario, size_t party, const uint32_t *outcome);
/* Label of party p's hard condition k (its id when it has none), borrowed;
 * NULL when out of range. */
const char *truce_hard_condition_label(const truce_scenario *scenario, size_t party, size_t k);
/* 1 when none of party p's own hard conditions excludes option `option` of
 * issue `issue` (a condition is broken as soon as one of its clauses is, so an
 * outcome breaks none of p's conditions exactly when each of its options is
 * allowed), 0 when one does, TRUCE_EINVAL when out of range. */
int truce_party_option_allowed(const truce_scenario *scenario, size_t party, size_t issue,
                               uint32_t option);

/* One negotiation, one answer (docs/analysis.md): every command, agent and
 * report reads the same definitions. The bargainers are the parties whose
 * consent makes a deal: the principals (every party of a GENIUS scenario);
 * mediators and stakeholders are reported but never bargain. An outcome is
 * feasible when it breaks no bargainer's hard condition; individually
 * rational when it is feasible and strictly above every bargainer's
 * reservation value at the time considered. Hard conditions restrict issues
 * one at a time, so the feasible outcomes are the product of each issue's
 * feasible options. */
size_t truce_scenario_bargainer_count(const truce_scenario *scenario);
/* Party index of bargainer k (ascending party order), or -1 when out of range. */
long truce_scenario_bargainer(const truce_scenario *scenario, size_t k);
/* 1 when no bargainer's hard condition excludes option `option` of issue
 * `issue`, 0 when one does, TRUCE_EINVAL when out of range. */
int truce_option_feasible(const truce_scenario *scenario, size_t issue, uint32_t option);
/* 1 when the outcome breaks no bargainer's hard condition, 0 when it breaks
 * one, TRUCE_EINVAL for an invalid outcome. */
int truce_outcome_feasible(const truce_scenario *scenario, const uint32_t *outcome);
/* Number of feasible outcomes as a decimal string in buf (exact at any size).
 * Returns the string length or a negative code. */
int truce_scenario_feasible_count(const truce_scenario *scenario, char *buf, size_t size);

/* 1 when a and b may communicate directly. Scenarios that declare no
 * channels (GENIUS) let everybody talk to everybody. */
int truce_channel(const truce_scenario *scenario, size_t a, size_t b);
/* 1 when a and b may communicate directly at relative time t (0 the start
 * of the talks, 1 the deadline): a channel joins them whose time window holds
 * t (docs/scenario-format.md#channels-over-time). Without windows, the same
 * as truce_channel at every t. */
int truce_channel_open(const truce_scenario *scenario, size_t a, size_t b, double t);
/* The time windows of the channel between a and b (relative time, 0 the
 * start of the talks, 1 the deadline): writes up to cap windows [from, until)
 * into from[] and until[] (until is 1 for a window open to the end) and
 * returns how many the channel has: 0 when a and b have no channel, 1 with
 * [0, 1) for a channel declared without a window. from/until may be NULL
 * when cap is 0. */
size_t truce_channel_windows(const truce_scenario *scenario, size_t a, size_t b, double *from,
                             double *until, size_t cap);
/* The length of the talks in days ('days:' of the scenario), 0 when not given. */
double truce_scenario_days(const truce_scenario *scenario);

/* An outcome is an array of truce_scenario_issue_count() option indices, one
 * per issue, each below that issue's option count. */

/* Utility of an outcome for party p, undiscounted, at most 1 (GENIUS
 * semantics, see docs/utility.md): in [0,1] for linear profiles; a nonlinear
 * profile with negative terms can go below 0, as in GENIUS. Returns NaN when
 * the outcome or p is invalid. */
double truce_utility(const truce_scenario *scenario, size_t party, const uint32_t *outcome);

/* GENIUS discounting: u * d^t with t clamped to [0,1] and d the party's
 * discount factor. */
double truce_discount(const truce_scenario *scenario, size_t party, double utility, double time);

/* ------------------------------------------------------------------ */
/* Analysis                                                           */
/* ------------------------------------------------------------------ */

typedef struct truce_analysis truce_analysis;

/* Utilities closer than this count as equal when testing dominance. */
#define TRUCE_TOLERANCE 1e-12

/* Version 2 appended `time`, version 3 `max_work`; earlier callers get time 0 and the default
 * max_work. */
#define TRUCE_ANALYSIS_OPTIONS_VERSION 3

typedef struct truce_analysis_options {
    int version;                      /* TRUCE_ANALYSIS_OPTIONS_VERSION */
    double max_outcomes;              /* largest space enumerated exactly when structure
                                         cannot be used (nonlinear profiles) */
    size_t max_frontier;              /* largest partial frontier kept while merging issues */
    int approximate;                  /* 1: when exact analysis exceeds the limits, search
                                         heuristically and mark the result approximate */
    uint64_t seed;                    /* seed of the approximate search */
    double approx_effort;             /* approximate search: hill climbs from random starts, one per
                                         weighting of the parties' utilities */
    double max_nodes;                 /* branch and bound: largest number of search nodes visited
                                         before giving up exact analysis */
    const truce_allocator *allocator; /* NULL: malloc/realloc/free */
    double time;                      /* relative time in [0,1] at which reservation values
                                         are read (time-dependent BATNAs) */
    double max_work;                  /* work of the Pareto filter for three or more bargainers
                                         (vectors compared, tree steps), per frontier, before
                                         exact analysis gives up with TRUCE_ELIMIT (version 3;
                                         earlier versions get the default, 2e9) */
} truce_analysis_options;

#define TRUCE_ANALYSIS_OPTIONS_INIT                                                                \
    {                                                                                              \
        TRUCE_ANALYSIS_OPTIONS_VERSION, 2e7, 2000000, 0, 1, 200, 5e7, NULL, 0, 2e9                 \
    }

/* Analyse a scenario over its bargainers and feasible outcomes (see
 * truce_scenario_bargainer_count): the Pareto frontier (dominance in the
 * bargainers' utilities, among outcomes that break no bargainer's hard
 * condition), the Nash, Kalai-Smorodinsky and max-welfare points (products,
 * ratios and sums over the bargainers, reservation values read at
 * opts->time), and the zone of possible agreement. When hard conditions
 * bind, the same analysis ignoring them is kept beside it
 * (truce_analysis_ignoring_hard_conditions) to show what they cost. Exact
 * unless opts->approximate was set and the exact method exceeded a limit;
 * when the exact method exceeds a limit without approximate, fails with
 * TRUCE_ELIMIT and says so. opts may be NULL. Free with truce_analysis_free(). */
int truce_analyze(truce_analysis **out, const truce_scenario *scenario,
                  const truce_analysis_options *opts, truce_error *err);

void truce_analysis_free(truce_analysis *analysis);

/* 1 when the result is approximate (heuristic search), 0 when exact. */
int truce_analysis_is_approximate(const truce_analysis *analysis);

/* Method used: "additive-merge", "enumeration", "branch-and-bound" or
 * "local-search" (the only approximate one). Borrowed. */
const char *truce_analysis_method(const truce_analysis *analysis);

/* Work the Pareto filter did for three or more bargainers (the units of max_work), summed over
 * the frontiers computed; 0 for one or two bargainers. */
double truce_analysis_work(const truce_analysis *analysis);

/* Number of Pareto-optimal outcomes as a decimal string (exact at any size;
 * in approximate mode, the number of distinct outcomes found). Returns the
 * length or a negative code. */
int truce_analysis_pareto_count(const truce_analysis *analysis, char *buf, size_t size);

/* Distinct vectors of the bargainers' utilities on the frontier, sorted by
 * the first bargainer's utility, descending (ties: the second's descending,
 * ...). */
size_t truce_analysis_pareto_size(const truce_analysis *analysis);
/* Pointer to point k's utilities for every party of the scenario
 * (party_count doubles: the bargainers' define the point, the others' are
 * those of its representative outcome), borrowed; NULL when out of range. */
const double *truce_analysis_pareto_point(const truce_analysis *analysis, size_t k);
/* One outcome with point k's utilities, written to outcome (issue_count entries). */
int truce_analysis_pareto_outcome(const truce_analysis *analysis, size_t k, uint32_t *outcome);

typedef enum truce_solution {
    TRUCE_SOLUTION_NASH = 0,
    TRUCE_SOLUTION_KALAI_SMORODINSKY = 1,
    TRUCE_SOLUTION_MAX_WELFARE = 2
} truce_solution;

/* Whether the solution exists (Nash and Kalai-Smorodinsky need a feasible
 * outcome above every bargainer's reservation value; max welfare a feasible
 * outcome): 1 yes, 0 no. When it exists, utilities (party_count doubles, every
 * party) and outcome (issue_count entries) are filled when not NULL, and
 * *value gets the Nash product, the KS ratio or the welfare sum over the
 * bargainers when value is not NULL. */
int truce_analysis_solution(const truce_analysis *analysis, truce_solution which, double *utilities,
                            uint32_t *outcome, double *value);

/* How a solution is chosen, one sentence for reports (static, never NULL;
 * "" for an unknown value): every output that shows a "best deal" names
 * its criterion. */
const char *truce_solution_criterion(truce_solution which);

/* Bargaining power (docs/scenario-format.md#bargaining-power): party p's
 * exponent in the asymmetric Nash product Π (u_i - r_i)^power_i over the
 * bargainers: as written, 1 when none was given (every GENIUS party); NaN
 * when p is out of range. */
double truce_party_power(const truce_scenario *scenario, size_t party);
/* The criterion of a solution for this scenario (borrowed from it, never
 * NULL): truce_solution_criterion's, except that the Nash point's names the
 * bargainers' powers when they differ (the asymmetric Nash point). */
const char *truce_scenario_solution_criterion(const truce_scenario *scenario, truce_solution which);

/* Decision rules (docs/scenario-format.md#decision-rules): how the principals' answers make a
 * deal. Unanimity (the default): every principal accepts. Qualified majority: the principals
 * that accept hold at least `threshold` of the principals' total weight and include every
 * required member. Either way every ratifier (a non-principal party) must accept too. A party
 * accepts an outcome when it breaks none of its hard conditions and gives it more than its
 * reservation value. */
typedef enum truce_decision_rule {
    TRUCE_DECISION_UNANIMITY = 0,
    TRUCE_DECISION_QUALIFIED_MAJORITY = 1
} truce_decision_rule;

/* The scenario's rule (truce_decision_rule). */
int truce_scenario_decision_rule(const truce_scenario *scenario);
/* 1 when party p is a ratifier, 0 when not or out of range. */
int truce_party_ratifier(const truce_scenario *scenario, size_t party);
/* 1 when party p is a decider: a principal every winning set of acceptors contains (its
 * acceptance is needed for any deal; every principal under unanimity), 0 otherwise. */
int truce_party_decider(const truce_scenario *scenario, size_t party);

/* Coalitions (docs/scenario-format.md#coalitions): a party of role `coalition` stands for
 * its members. Its utility is the weighted mean of its members' utilities (weights as
 * written, divided by their sum) and its reservation value the same mean of theirs; it
 * inherits every member's hard conditions; under the unanimity rule it accepts a position
 * only when every member does. Whether it bargains (and its members do not) or its members
 * bargain is the scenario's mode (truce_load_options.coalitions); truce_party_role gives
 * the role in that mode (principal or stakeholder). */
typedef enum truce_coalition_rule {
    TRUCE_COALITION_WEIGHTED = 0, /* the coalition accepts what its aggregated utility accepts */
    TRUCE_COALITION_UNANIMITY = 1 /* ... and only what every member accepts */
} truce_coalition_rule;

/* The mode the scenario was loaded in (truce_coalition_mode). */
int truce_scenario_coalition_mode(const truce_scenario *scenario);
/* 1 when party p is a coalition, 0 otherwise (and for a bad index). */
int truce_party_coalition(const truce_scenario *scenario, size_t party);
/* The coalition's rule (truce_coalition_rule), or -1 when p is no coalition. */
int truce_coalition_rule_of(const truce_scenario *scenario, size_t party);
/* Number of members of coalition p (0 when p is no coalition), the party index of member
 * k (-1 when out of range) and its weight in the coalition's utility (the weights divided
 * by their sum; NAN when out of range). */
size_t truce_coalition_member_count(const truce_scenario *scenario, size_t party);
long truce_coalition_member(const truce_scenario *scenario, size_t party, size_t k);
double truce_coalition_member_weight(const truce_scenario *scenario, size_t party, size_t k);
/* The coalition party p is a member of, or -1. */
long truce_party_coalition_of(const truce_scenario *scenario, size_t party);
/* 1 when outcome (issue_count entries) is decided at relative time `time`: the principals
 * that accept it satisfy the rule and every ratifier accepts it; 0 when not; TRUCE_EINVAL for
 * an invalid outcome. */
int truce_outcome_decided(const truce_scenario *scenario, const uint32_t *outcome, double time);

/* 1 when some feasible outcome gives every bargainer more than its
 * reservation value at the analysis time. */
int truce_analysis_zopa(const truce_analysis *analysis);

/* Number of feasible outcomes as a decimal string (exact at any size; the
 * same as truce_scenario_feasible_count). Returns the length or a negative
 * code. */
int truce_analysis_feasible_count(const truce_analysis *analysis, char *buf, size_t size);
/* The time the reservation values were read at, and party p's reservation
 * value then (NaN when p is out of range). */
double truce_analysis_time(const truce_analysis *analysis);
double truce_analysis_reservation(const truce_analysis *analysis, size_t party);
/* 1 when some bargainer's hard condition excludes an option. */
int truce_analysis_hard_conditions_bind(const truce_analysis *analysis);
/* The same analysis over every outcome, ignoring hard conditions (borrowed
 * from analysis, never freed on its own), or NULL when no hard condition
 * binds or when that larger analysis exceeded a limit. */
const truce_analysis *truce_analysis_ignoring_hard_conditions(const truce_analysis *analysis);

/* ------------------------------------------------------------------ */
/* Checks and advice on the negotiation model                         */
/* ------------------------------------------------------------------ */

/* Version 2 appended `thin_margin` and `max_nodes` (version 1 callers get
 * TRUCE_THIN_MARGIN and the analysis's default node budget); version 3
 * `margins` (earlier callers get 1); version 4 `max_work` (earlier callers
 * get the analysis's default work bound). */
#define TRUCE_CHECK_OPTIONS_VERSION 4

/* A deal clearing a party's reservation value by less than this is
 * flagged as thin (docs/check.md): the numbers of a model of real talks are
 * guesses, and a small error could turn such a deal down. */
#define TRUCE_THIN_MARGIN 0.05

typedef struct truce_check_options {
    int version;           /* TRUCE_CHECK_OPTIONS_VERSION */
    double time;           /* relative time at which reservation values are read */
    double max_outcomes;   /* largest space enumerated (relaxations, advice, counts) */
    size_t max_relaxation; /* largest set of relaxed constraints reported */
    double thin_margin;    /* margins over a reservation value below this are flagged */
    double max_nodes;      /* the exact analysis behind the zone and the points: branch-and-
                              bound nodes before it gives up (TRUCE_ELIMIT), as
                              truce_analysis_options.max_nodes */
    int margins;           /* 1: search the smallest change of one number that flips each
                              conclusion (docs/robustness.md#margins); 0: skip it */
    double max_work;       /* the exact analysis behind the zone and the points, with three or
                              more bargainers: work of its Pareto filter before it gives up
                              (TRUCE_ELIMIT), as truce_analysis_options.max_work */
} truce_check_options;

#define TRUCE_CHECK_OPTIONS_INIT                                                                   \
    {                                                                                              \
        TRUCE_CHECK_OPTIONS_VERSION, 0, 2e7, 3, TRUCE_THIN_MARGIN, 5e7, 1, 2e9                     \
    }

/* Check a scenario's model: the channel graph (who reaches whom, directly or
 * through whom; which protocols are feasible), deadlocks in the agenda
 * preconditions (cycles, who holds each demand, what breaks them), the zone
 * of agreement among principals under hard conditions and reservation
 * values (and, when empty, the smallest relaxations that open it, with the
 * best deal each allows), and how each guarantee is valued. The report is a
 * JSON document (docs/check.md) in *out, malloc'd: free it with truce_free. */
int truce_check(char **out, const truce_scenario *scenario, const truce_check_options *opts,
                truce_error *err);

/* The outcome best for `party` among those every party in acceptable_to
 * would accept (above its reservation value, within its hard conditions),
 * shown clause by clause against the party's ideal demand. JSON in *out
 * (docs/check.md), free with truce_free. */
int truce_advise(char **out, const truce_scenario *scenario, size_t party,
                 const size_t *acceptable_to, size_t n_acceptable, const truce_check_options *opts,
                 truce_error *err);

/* Score one given deal (the one history reached, a draft on the table): each
 * party's utility, reservation value at opts->time and margin over it, the
 * hard conditions it breaks (of any party; it is feasible when it breaks
 * none of a bargainer's), whether it is individually rational and
 * Pareto-optimal among feasible outcomes (else a feasible outcome that
 * dominates it), and its distances to the Nash and Kalai-Smorodinsky points
 * (Euclidean, over the bargainers' utilities). JSON in *out (docs/check.md),
 * free with truce_free. Errors: an invalid outcome (TRUCE_EINVAL), and
 * truce_analyze's. */
int truce_evaluate(char **out, const truce_scenario *scenario, const uint32_t *outcome,
                   const truce_check_options *opts, truce_error *err);

/* Read an outcome written as "issue=option" pairs separated by commas or new
 * lines ('#' starts a comment; options are labels as truce_issue_option_label
 * writes them) into outcome (issue_count entries). Every issue needs exactly
 * one option. `source` names where the text came from (a file) for messages,
 * which then carry its line; NULL for none. TRUCE_ENOTFOUND for an unknown
 * issue or option (the message lists the known ones), TRUCE_EINVAL for a
 * missing or repeated issue; outcome is untouched on failure. */
int truce_outcome_parse(const truce_scenario *scenario, const char *text, const char *source,
                        uint32_t *outcome, truce_error *err);

/* Trade-offs between each pair of bargainers with linear preferences, among
 * feasible options: issues where conceding is cheap for the giver and
 * valuable for the receiver, ranked by joint gain. JSON array in *out, free
 * with truce_free. */
int truce_tradeoffs(char **out, const truce_scenario *scenario, truce_error *err);

/* The zone of agreement and the bargaining points under the scenario's decision rule
 * (docs/analysis.md#decision-rules): the rule, its deciders, the number of decided outcomes
 * (the principals that accept satisfy the rule and every ratifier accepts; acceptance read at
 * opts->time), and the Nash and Kalai-Smorodinsky points over the deciders among them, found
 * by enumerating every outcome (TRUCE_ELIMIT above opts->max_outcomes). JSON in *out, free
 * with truce_free. truce_check includes it as "decision" when the scenario has a rule other
 * than plain unanimity. */
int truce_decision(char **out, const truce_scenario *scenario, const truce_check_options *opts,
                   truce_error *err);

/* Every coalition of the scenario as JSON (docs/check.md#coalitions): its rule, members and
 * weights, whether it is internally empty (no outcome every member accepts at opts->time,
 * found by enumerating every outcome: TRUCE_ELIMIT above opts->max_outcomes) and, when
 * `deal` is not NULL (one option per issue), which members would leave the coalition over
 * that deal (the split condition: the deal breaks one of the member's hard conditions or
 * gives it no more than its reservation value). *out is malloc'd text, free with
 * truce_free. */
int truce_coalitions(char **out, const truce_scenario *scenario, const uint32_t *deal,
                     const truce_check_options *opts, truce_error *err);

/* Free memory returned by truce_check, truce_advise and truce_tradeoffs. */
void truce_free(void *p);

/* ------------------------------------------------------------------ */
/* Robustness: uncertain numbers in, probabilities and margins out    */
/* ------------------------------------------------------------------ */

/* Numbers of a native scenario may be given as intervals or distributions
 * and hard conditions may carry a credibility (docs/scenario-format.md
 * #uncertainty); the scenario holds their central values, which every other
 * command uses. Number of uncertain numbers (credibilities below 1
 * included); 0 for a scenario without uncertainty. */
size_t truce_scenario_uncertain_count(const truce_scenario *scenario);

/* Progress of a long job: done of total units (samples, negotiations) after
 * elapsed_seconds; return non-zero to stop. */
typedef int (*truce_progress_fn)(uint64_t done, uint64_t total, double elapsed_seconds,
                                 void *payload);

#define TRUCE_ROBUST_OPTIONS_VERSION 1

typedef struct truce_robust_options {
    int version;                   /* TRUCE_ROBUST_OPTIONS_VERSION */
    uint64_t samples;              /* Monte Carlo samples, 1 to 1e8 */
    uint64_t seed;                 /* sample k draws from a generator seeded by (seed, k) */
    unsigned threads;              /* worker threads; 0: one per online core. The report does
                                      not depend on it */
    double time;                   /* relative time at which reservation values are read */
    long advise_party;             /* -1: no advice; else the advised party (truce_advise) */
    const size_t *acceptable_to;   /* the parties the advice must be acceptable to */
    size_t n_acceptable;
    double level;                  /* robust advice: acceptable with probability >= level */
    double max_outcomes;           /* largest space enumerated for the advice */
    int mediate;                   /* 1: also run the mediated talks (truce_mediate's defaults)
                                      on every sample */
    int sensitivity;               /* 1: sweep each uncertain number alone (what flips it) */
    truce_progress_fn progress;    /* NULL: none; called from the calling thread; non-zero
                                      stops the run (truce_robust then fails) */
    void *progress_payload;
} truce_robust_options;

#define TRUCE_ROBUST_OPTIONS_INIT                                                                  \
    {                                                                                              \
        TRUCE_ROBUST_OPTIONS_VERSION, 10000, 1, 0, 0, -1, NULL, 0, 0.9, 1e6, 0, 1, NULL, NULL      \
    }

/* The result of truce_robust (opaque). */
typedef struct truce_robustness truce_robustness;

/* Draw opts->samples variants of the scenario's uncertain numbers and solve
 * each exactly (docs/robustness.md): the probability that the zone of
 * agreement is open, and which hard condition or reservation value empties
 * it; the probability of each option of each clause of the Nash and
 * Kalai-Smorodinsky points (and of the mediated agreement); with
 * advise_party, the probability that the advice at central values is
 * acceptable, its margins, and the robust advice; and what flips each
 * conclusion. Every probability carries its Monte Carlo standard error. The
 * same scenario, samples and seed give the same report to the byte, for
 * any number of threads. opts may be NULL. Free with truce_robust_free. */
int truce_robust(truce_robustness **out, const truce_scenario *scenario,
                 const truce_robust_options *opts, truce_error *err);
void truce_robust_free(truce_robustness *robustness);

/* The report as JSON (docs/robustness.md) in *out; free with truce_free. */
int truce_robust_report(const truce_robustness *robustness, char **out, truce_error *err);

/* The probability that the zone of agreement is open, and its standard
 * error in *se (may be NULL). */
double truce_robust_zone_probability(const truce_robustness *robustness, double *se);

/* ------------------------------------------------------------------ */
/* Outcome spaces for negotiation                                     */
/* ------------------------------------------------------------------ */

/* Per-scenario precomputation shared read-only by every negotiation on it:
 * each party's utility of every outcome and the outcomes sorted by it (when
 * the space has at most max_outcomes outcomes; larger spaces are searched),
 * each party's best outcome, and the exact Pareto frontier and Nash point
 * used to score agreements. The scenario must outlive the space. */
typedef struct truce_space truce_space;

/* The order among outcomes of equal utility in the sorted tables, which decides
 * which of them an agent bidding "at utility x" offers (docs/agents.md#ties). */
typedef enum truce_ties {
    TRUCE_TIES_INDEX = 0, /* outcome index ascending (the first issue varies fastest) */
    TRUCE_TIES_GENIUS = 1 /* GENIUS 10.4's SortedOutcomeSpace: by the Java hash code of the
                             bid (from its option labels), then as GENIUS enumerates */
} truce_ties;

/* Version 2 appended `ties`; version 1 callers get TRUCE_TIES_INDEX. */
#define TRUCE_SPACE_OPTIONS_VERSION 2

typedef struct truce_space_options {
    int version;                      /* TRUCE_SPACE_OPTIONS_VERSION (1 is still accepted) */
    double max_outcomes;              /* largest space tabulated (default 4e6) */
    int analyze;                      /* 1: compute the frontier and Nash point for scoring */
    const truce_allocator *allocator; /* NULL: malloc/realloc/free */
    int ties;                         /* truce_ties (version 2) */
} truce_space_options;

#define TRUCE_SPACE_OPTIONS_INIT                                                                   \
    {                                                                                              \
        TRUCE_SPACE_OPTIONS_VERSION, 4e6, 1, NULL, TRUCE_TIES_INDEX                                \
    }

int truce_space_create(truce_space **out, const truce_scenario *scenario,
                       const truce_space_options *opts, truce_error *err);
void truce_space_free(truce_space *space);
/* The scenario the space was built on (borrowed). */
const truce_scenario *truce_space_scenario(const truce_space *space);

/* ------------------------------------------------------------------ */
/* Agents                                                             */
/* ------------------------------------------------------------------ */

typedef enum truce_action_kind {
    TRUCE_ACTION_OFFER = 0,  /* propose `offer` (replaces the standing offer) */
    TRUCE_ACTION_ACCEPT = 1, /* accept the standing offer */
    TRUCE_ACTION_END = 2     /* walk away: nobody gets a deal */
} truce_action_kind;

/* What an agent sees when it is its turn. */
typedef struct truce_turn {
    size_t round;          /* 1-based round; every party acts once a round */
    double time;           /* relative time in [0,1) (truce_clock) */
    const uint32_t *offer; /* standing offer, NULL when there is none */
    size_t offer_from;     /* who made the standing offer */
    double offer_utility;  /* the agent's undiscounted utility of it */
    /* (appended) 1 when the standing offer breaks one of the agent's own
     * party's hard conditions: accepting it is a fault, as is offering such
     * an outcome (truce_outcome_violates tells which condition an outcome
     * breaks); 0 otherwise. */
    int offer_vetoed;
} truce_turn;

/* Given to an agent once per negotiation. */
typedef struct truce_agent_setup {
    const truce_space *space;
    size_t party; /* the agent's party */
    size_t n_parties;
    uint64_t max_rounds; /* 0 when the deadline is in seconds */
    uint64_t seed;       /* the agent's own seed, derived from the run's */
    const char *params;  /* "key=value:key=value", or "" */
} truce_agent_setup;

/* An event every agent observes after each action (for opponent models). */
typedef struct truce_event {
    truce_action_kind kind;
    size_t actor;
    size_t round;
    double time;
    const uint32_t *offer; /* the offer made or accepted, NULL for END */
} truce_event;

/* Mediation (truce_mediate): the draft a principal's agent reviews. */
typedef struct truce_draft {
    uint32_t iteration;      /* 0-based */
    double time;             /* iteration / max_iterations, in [0,1) */
    const uint32_t *outcome; /* the draft, issue_count options */
    double utility;          /* the agent's undiscounted utility of it */
    double reservation;      /* the agent's reservation value at this time */
    /* (appended) 1 when the draft breaks one of the agent's own party's hard
     * conditions: accepting it is a fault (object or walk away instead). */
    int vetoed;
} truce_draft;

typedef enum truce_review_kind {
    TRUCE_REVIEW_ACCEPT = 0,   /* accept the draft */
    TRUCE_REVIEW_OBJECT = 1,   /* object: ask for the clauses written to `proposed` */
    TRUCE_REVIEW_WALK_AWAY = 2 /* leave the talks (breakdown) */
} truce_review_kind;

/* An agent's answer to a draft. The engine presets `proposed` to the draft and
 * `gain` to 0: an objection is an issue where the agent writes another option,
 * with the gain it reports for it (0 or less: its true utility gain is used). */
typedef struct truce_review {
    int kind;           /* truce_review_kind */
    uint32_t *proposed; /* issue_count entries */
    double *gain;       /* issue_count entries */
} truce_review;

/* An agent strategy a user can implement in C. The engine gives every
 * instance `state_size` (or state_size_for(space)) zeroed bytes, allocated
 * once when the negotiation is created: nothing is allocated while it runs. Callbacks return 0, or
 * a negative code (the agent is then at fault). */
typedef struct truce_agent_class {
    const char *name;
    size_t state_size;
    /* Optional: state size that depends on the space (overrides state_size). */
    size_t (*state_size_for)(const truce_space *space, void *payload);
    /* Parse params and prepare; may fill err with a bad parameter. */
    int (*init)(void *state, const truce_agent_setup *setup, truce_error *err, void *payload);
    /* Choose an action; for TRUCE_ACTION_OFFER write issue_count entries to offer. */
    int (*act)(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
               void *payload);
    /* Optional: called after every action by any party. */
    void (*observe)(void *state, const truce_event *event, void *payload);
    void *payload;
    /* Optional (appended; NULL when not needed): release what init or the
     * callbacks acquired outside the state (a Lua state, a child process).
     * Called with final = 0 when a run ends (and after the parameter check
     * at create), final = 1 when the negotiation is freed. A class with
     * release gets zeroed state only before its first init: later inits get
     * the state as release(final = 0) left it, so that it can keep what
     * runs may share (compiled code), and must reset the rest. */
    void (*release)(void *state, int final, void *payload);
    /* Optional: why the last failing callback failed, e.g. a script error
     * with its line (borrowed from the state; NULL or "" for nothing). */
    const char *(*fault_message)(const void *state, void *payload);
    /* Optional: review a mediator's draft (truce_mediate with an agent for a
     * principal). Return 0, or a negative code (the agent is at fault). */
    int (*review)(void *state, const truce_draft *draft, truce_review *answer, void *payload);
} truce_agent_class;

/* Built-in agents: their number, and each one's name, parameters and a
 * one-line description (borrowed, static). */
size_t truce_agent_count(void);
const char *truce_agent_name(size_t i);
const char *truce_agent_params(size_t i);
const char *truce_agent_description(size_t i);
/* ANAC agents: the competition year and the published description the agent
 * was written from (borrowed, static); 0 and NULL for the other agents. */
int truce_agent_year(size_t i);
const char *truce_agent_reference(size_t i);
/* A parameter of a built-in agent: its name, its default, the values it takes and what it
 * does, as text (static strings). */
typedef struct truce_agent_param {
    const char *name;
    const char *fallback; /* the default */
    const char *range;    /* "0 to 100", "at-least or nearest", ... */
    const char *meaning;
} truce_agent_param;

/* How many parameters built-in agent i documents this way, and parameter k (NULL when out of
 * range). The ANAC agents document theirs in docs/anac-agents.md: their count is 0 and
 * truce_agent_params() lists them. */
size_t truce_agent_param_count(size_t agent);
const truce_agent_param *truce_agent_param_info(size_t agent, size_t k);

/* The class of a built-in agent by name, or NULL. */
const truce_agent_class *truce_agent_find(const char *name);

/* ------------------------------------------------------------------ */
/* Negotiations                                                       */
/* ------------------------------------------------------------------ */

/* A trace record (one JSON object, no newline) for each protocol event. */
typedef int (*truce_trace_fn)(const char *record, size_t length, void *payload);

/* The relative time agents see under a deadline of N rounds (docs/agents.md#clock).
 * With a deadline in seconds both clocks are wall-clock time over the deadline. */
typedef enum truce_clock {
    TRUCE_CLOCK_GENIUS = 0, /* every party of round r sees r / (N + 1), as GENIUS and NegMAS */
    TRUCE_CLOCK_TURN = 1    /* turn j (from 0) of round r among n parties sees
                               ((r - 1) n + j) / (N n): the first turn at 0 */
} truce_clock;

/* Version 2 appended `clock`; version 1 callers get TRUCE_CLOCK_TURN, the
 * only clock version 1 had. */
#define TRUCE_NEGOTIATION_OPTIONS_VERSION 2

typedef struct truce_negotiation_options {
    int version;          /* TRUCE_NEGOTIATION_OPTIONS_VERSION (1 is still accepted) */
    uint64_t max_rounds;  /* deadline in rounds (0: use max_seconds) */
    double max_seconds;   /* deadline in wall-clock seconds (0: use max_rounds) */
    truce_trace_fn trace; /* NULL: no trace (costs nothing) */
    void *trace_payload;
    const truce_allocator *allocator; /* NULL: malloc/realloc/free */
    int clock;                        /* truce_clock (version 2) */
} truce_negotiation_options;

#define TRUCE_NEGOTIATION_OPTIONS_INIT                                                             \
    {                                                                                              \
        TRUCE_NEGOTIATION_OPTIONS_VERSION, 100, 0, NULL, NULL, NULL, TRUCE_CLOCK_GENIUS            \
    }

/* A negotiation between one agent per principal of the space's scenario
 * (every pair of principals needs a channel: direct talks) under the stacked
 * alternating offers protocol (bilateral SAO for two parties):
 * parties act in order; each accepts the standing offer, replaces it with
 * its own, or ends; agreement when every other party has accepted the
 * standing offer. Create once, run many times. */
typedef struct truce_negotiation truce_negotiation;

typedef struct truce_agent_spec {
    const truce_agent_class *cls; /* built-in (truce_agent_find) or user-written */
    const char *params;           /* "key=value:key=value", or NULL */
} truce_agent_spec;

/* Parse "name" or "name:key=value:key=value" into a spec (params points
 * into the string). TRUCE_ENOTFOUND for an unknown agent. Also:
 *   "lua:PATH[:key=value...]"     a Lua script (docs/agents.md), and
 *   "proc:COMMAND[:key=value...]" a program speaking JSON Lines on its stdin
 *                                 and stdout (docs/agent-protocol.md); COMMAND
 *                                 is split at spaces (no shell) and ends at
 *                                 the first colon.
 * Their spec's params hold "PATH[:key=value...]" / "COMMAND[:key=value...]". */
int truce_agent_parse(truce_agent_spec *out, const char *text, truce_error *err);

int truce_negotiation_create(truce_negotiation **out, const truce_space *space,
                             const truce_agent_spec *agents, size_t n_agents,
                             const truce_negotiation_options *opts, truce_error *err);
void truce_negotiation_free(truce_negotiation *negotiation);

/* The negotiating parties ("seats") are the scenario's principals, in order
 * (every party of a GENIUS scenario): agents[k] plays seat k, and the result
 * accessors below take seats. Number of seats, and a seat's party index. */
size_t truce_negotiation_seat_count(const truce_negotiation *negotiation);
size_t truce_negotiation_seat_party(const truce_negotiation *negotiation, size_t seat);

/* Run one negotiation with this seed. Faults of agents are results, not
 * errors: only bad parameters (at first run) or a trace callback failure
 * return an error. */
int truce_negotiation_run(truce_negotiation *negotiation, uint64_t seed, truce_error *err);

/* Results of the last run. Outcome: borrowed, NULL without agreement. */
int truce_negotiation_agreement(const truce_negotiation *negotiation);
const uint32_t *truce_negotiation_outcome(const truce_negotiation *negotiation);
/* Discounted utility (GENIUS: u * d^t at agreement time; on disagreement the
 * reservation value discounted at the end time) and undiscounted. */
double truce_negotiation_utility(const truce_negotiation *negotiation, size_t party);
double truce_negotiation_utility_undiscounted(const truce_negotiation *negotiation, size_t party);
uint64_t truce_negotiation_rounds(const truce_negotiation *negotiation);
double truce_negotiation_time(const truce_negotiation *negotiation);
/* Party at fault (invalid action or failing callback), or -1. */
long truce_negotiation_fault(const truce_negotiation *negotiation);
/* What the party at fault did wrong, e.g. "invalid offer: option 7 out of
 * range for issue 'x'", a script error with its line, "timed out after 2 s";
 * "" when there was no fault. Borrowed, valid until the next run. */
const char *truce_negotiation_fault_message(const truce_negotiation *negotiation);
/* Why it ended: "agreement", "deadline", "walk-away" or "fault". */
const char *truce_negotiation_end_reason(const truce_negotiation *negotiation);
/* Euclidean distance of the seats' (the bargainers') undiscounted agreement
 * utilities to the nearest point of the analysis's Pareto frontier and to its
 * Nash point (truce_analyze: over the bargainers, among feasible outcomes;
 * NaN without agreement, analysis or Nash point). */
double truce_negotiation_pareto_distance(const truce_negotiation *negotiation);
double truce_negotiation_nash_distance(const truce_negotiation *negotiation);

/* ------------------------------------------------------------------ */
/* Mediated talks: the single negotiating text                        */
/* ------------------------------------------------------------------ */

typedef enum truce_mediator_strategy {
    TRUCE_MEDIATOR_INFORMED = 0,   /* knows the profiles: moves the draft toward a target point */
    TRUCE_MEDIATOR_UNINFORMED = 1, /* one-text procedure: uses only objections and amendments */
    TRUCE_MEDIATOR_EXTERNAL = 2    /* the drafts come from truce_mediation_options.draft (a
                                      person at a browser, a program): version 2 */
} truce_mediator_strategy;

/* What an external mediator hears each iteration: every principal's answer
 * to the draft, sent to it along their channel. */
typedef struct truce_objection {
    uint32_t issue;      /* the clause objected to */
    uint32_t option;     /* the option the principal asks for instead */
    double gain;         /* the gain it reports for it */
    int veto;            /* 1: the draft breaks its hard condition on this clause */
    long amendment_from; /* the stakeholder whose amendment it took up, or -1 */
} truce_objection;

typedef struct truce_answer {
    size_t party;
    int kind;         /* truce_review_kind: accept, object or walk away */
    const char *veto; /* id of the hard condition the draft breaks, or NULL */
    const truce_objection *objections;
    size_t n_objections;
    /* Version 3: whether the principal says the draft beats its BATNA: a yes or no, never the
     * number (what the uninformed mediator hears; a strategic responder says no whenever it
     * objects). Callers before version 3 never read it. */
    int beats_batna;
} truce_answer;

typedef struct truce_mediator_turn {
    uint32_t iteration; /* the iteration the draft is for (0: the first draft) */
    double time;        /* iteration / max_iterations (or elapsed / max_seconds, the larger) */
    const truce_answer *answers; /* the principals' answers to the last draft, in party
                                    order; NULL for the first draft */
    size_t n_answers;
    char *message;       /* on failure the mediator may say why here (NUL-terminated) */
    size_t message_size; /* bytes message holds */
} truce_mediator_turn;

/* An external mediator's drafting: `draft` holds issue_count options, the
 * current draft (for the first one: the draft the built-in strategies start
 * from); write the draft to send next. Return 0, or a negative code: the
 * mediator is then at fault and the talks end ("fault"). A draft with an
 * option out of range is a fault too. */
typedef int (*truce_mediator_fn)(const truce_mediator_turn *turn, uint32_t *draft, void *payload);

typedef enum truce_responder_strategy {
    TRUCE_RESPONDER_TRUTHFUL = 0,  /* objects to the clauses that cost it most, proposes its best */
    TRUCE_RESPONDER_STRATEGIC = 1, /* exaggerates and anchors (both below) */
    TRUCE_RESPONDER_EXAGGERATE = 2, /* reports every objection as vital (gain 1) and says every
                                       draft it objects to is no better than its BATNA */
    TRUCE_RESPONDER_ANCHOR = 3 /* asks for its ideal option on more clauses (max_objections + 2),
                                  concedes slowly (aspiration falls as 1 - t^2), and its
                                  stakeholders send every amendment; its gains are true */
} truce_responder_strategy;

/* Version 2 appended `draft` and `draft_payload`; version 1 callers get none. Version 3
 * appended `max_seconds`, `clock` and `clock_payload` (and truce_answer.beats_batna);
 * earlier callers get no deadline in seconds. Version 4 appended `noise`; earlier callers
 * get none. Version 5 appended `agenda`; earlier callers get TRUCE_AGENDA_IGNORE. */
#define TRUCE_MEDIATION_OPTIONS_VERSION 5

/* How the built-in mediators treat the scenario's agenda preconditions (docs/mediation.md,
 * "The agenda"). */
typedef enum truce_agenda_mode {
    TRUCE_AGENDA_IGNORE = 0, /* every clause drafted at once (the talks before version 5) */
    TRUCE_AGENDA_FOLLOW = 1, /* an item's clauses wait until the items its holders demand first
                                are settled; of demands that deadlock, the lead mediator's, then
                                the most held, then the first declared are followed */
    TRUCE_AGENDA_PACKAGE = 2 /* every demand kept, each deadlocked set of items (a cycle of
                                demands) drafted and settled together as one package */
} truce_agenda_mode;

typedef struct truce_mediation_options {
    int version;              /* TRUCE_MEDIATION_OPTIONS_VERSION */
    long mediator;            /* party index; -1: the scenario's first mediator, or a neutral
                                 mediator with a channel to every principal when it has none */
    long codrafter;           /* principal the mediator drafts the first text with, or -1 */
    int strategy;             /* truce_mediator_strategy */
    int target;               /* informed: TRUCE_SOLUTION_NASH or _KALAI_SMORODINSKY */
    double mediator_interest; /* in [0,1]: weight of the mediator's own utility */
    int responder;            /* truce_responder_strategy of principals and stakeholders */
    uint32_t max_objections;  /* clauses a truthful principal objects to per answer */
    uint32_t max_iterations;
    uint32_t patience; /* iterations without progress before a principal below its
                          BATNA walks away */
    uint64_t seed;
    truce_trace_fn trace; /* JSON Lines, every message with "from" and "to" */
    void *trace_payload;
    double max_outcomes; /* largest space the informed mediator searches */
    /* NULL, or one spec per scenario party: a principal whose spec has a class
     * answers drafts through that agent's review callback (a Lua script's
     * review(draft), a program's "review" message) instead of `responder`. */
    const truce_agent_spec *agents;
    /* Version 2: the drafting of an external mediator (strategy
     * TRUCE_MEDIATOR_EXTERNAL, which needs it; ignored otherwise). It writes
     * the first draft and revises after every iteration but the last; the
     * engine still carries each draft along the channels and records which
     * clauses changed. */
    truce_mediator_fn draft;
    void *draft_payload;
    /* Version 3: a deadline in wall-clock seconds besides max_iterations (0: none). When it
     * passes the talks end without agreement, end "deadline": an answer or a draft that comes
     * after it is too late and is not recorded. The relative time principals and the mediator
     * see is then the larger of iteration / max_iterations and elapsed / max_seconds. */
    double max_seconds;
    /* Version 3: the clock the deadline is measured on, in seconds (NULL: the monotonic
     * clock). Read once when the talks start, and at every iteration, answer and draft. */
    double (*clock)(void *payload);
    void *clock_payload;
    /* Version 4: noise in [0, 1] on what the built-in responders report (0: none): each gain a
     * principal reports with an objection (not a veto) is multiplied by a factor drawn
     * uniformly from [1 - noise, 1 + noise] by the mediation's seed (a stream of its own: the
     * mediator's tie-breaks are unchanged). Agents' answers are not touched. */
    double noise;
    /* Version 5: truce_agenda_mode (TRUCE_AGENDA_IGNORE: every clause drafted at once). The
     * built-in mediators only: an external mediator drafts its own order (TRUCE_EINVAL). */
    int agenda;
} truce_mediation_options;

#define TRUCE_MEDIATION_OPTIONS_INIT                                                               \
    {                                                                                              \
        TRUCE_MEDIATION_OPTIONS_VERSION, -1, -1, TRUCE_MEDIATOR_INFORMED, TRUCE_SOLUTION_NASH, 0,  \
            TRUCE_RESPONDER_TRUTHFUL, 2, 50, 5, 1, NULL, NULL, 2e7, NULL, NULL, NULL, 0, NULL,     \
            NULL, 0, TRUCE_AGENDA_IGNORE                                                           \
    }

typedef struct truce_mediation truce_mediation;

/* Run mediated talks under the single negotiating text procedure (docs/
 * mediation.md): each iteration the mediator sends its draft to each
 * principal along channels; stakeholders with a channel to a principal send
 * it amendments first, which it weighs by their influence; each principal
 * accepts, objects to clauses proposing amendments, or vetoes a draft
 * violating its hard condition; the mediator revises. Ends in agreement,
 * breakdown (a principal below its BATNA without progress walks away) or at
 * the iteration limit. A message between parties without a channel is an
 * error (TRUCE_EINVAL naming them). Free with truce_mediation_free. */
int truce_mediate(truce_mediation **out, const truce_scenario *scenario,
                  const truce_mediation_options *opts, truce_error *err);
void truce_mediation_free(truce_mediation *mediation);

/* "agreement", "breakdown", "limit" (the iterations ran out), "deadline" (the
 * deadline in seconds passed), or "fault" (a principal's agent failed; the
 * reason says how). */
const char *truce_mediation_end(const truce_mediation *mediation);
/* Party whose agent failed (a principal's, or the external mediator's), or
 * -1 (also when the failing external mediator is the neutral one a scenario
 * without a mediator gets). */
long truce_mediation_fault(const truce_mediation *mediation);
/* A sentence saying why it ended (naming the blocking hard condition or
 * BATNA on breakdown). Borrowed. */
const char *truce_mediation_reason(const truce_mediation *mediation);
int truce_mediation_agreement(const truce_mediation *mediation);
/* The last draft (issue_count options), borrowed. */
const uint32_t *truce_mediation_draft(const truce_mediation *mediation);
uint32_t truce_mediation_iterations(const truce_mediation *mediation);
/* Distinct texts among the drafts sent (an unchanged draft sent again is not
 * a new one), and messages delivered (drafts, amendments and answers). */
uint32_t truce_mediation_drafts(const truce_mediation *mediation);
uint64_t truce_mediation_messages(const truce_mediation *mediation);
/* Utility of the last draft for any party (undiscounted). */
double truce_mediation_utility(const truce_mediation *mediation, size_t party);
/* Distance of the principals' utilities of the last draft to the principals'
 * Nash point (NaN when there is none). */
double truce_mediation_nash_distance(const truce_mediation *mediation);
/* The whole history as a JSON document (docs/mediation.md): drafts, clause
 * changes, objections, amendments and who adopted what. Free with truce_free. */
int truce_mediation_report(const truce_mediation *mediation, char **out, truce_error *err);

/* ------------------------------------------------------------------ */
/* Tournaments                                                        */
/* ------------------------------------------------------------------ */

/* A tournament: every matchup of agents on every scenario, `repetitions`
 * times, each negotiation seeded from the master seed and its job number,
 * results kept in a SQLite database (docs/results.md). Jobs are numbered
 * scenario by scenario, matchup by matchup (agents[k] plays seat k, in
 * lexicographic order of agent indices), repetition by repetition. */
typedef struct truce_tournament truce_tournament;

/* Version 2 appended `clock` and `ties`, version 3 `seconds` and `negotiation_timeout`,
 * version 4 `skip_unloadable` and `legacy`; version 1 callers get the turn clock (the only
 * one version 1 had) and index ties, callers before version 3 a deadline in rounds and no
 * negotiation timeout, callers before version 4 a stop at the first scenario that fails. */
#define TRUCE_TOURNAMENT_DEFINITION_VERSION 4

typedef struct truce_tournament_definition {
    int version;                  /* TRUCE_TOURNAMENT_DEFINITION_VERSION */
    const char *name;             /* NULL: "tournament" */
    const char *const *agents;    /* agent specs as for truce_agent_parse */
    size_t n_agents;              /* at least 1 */
    const char *const *scenarios; /* scenario files or folders, or globs of them; a folder
                                     holding no XML file is a collection: each subfolder and
                                     .yaml file in it (recursively) is a scenario */
    size_t n_scenarios;
    const char *base_dir;       /* relative scenario paths start here (NULL: cwd) */
    uint64_t repetitions;       /* runs of each matchup (>= 1) */
    uint64_t rounds;            /* deadline in rounds (>= 1; ignored when seconds > 0) */
    uint64_t seed;              /* master seed */
    int permutations;           /* 1: every assignment of agents to seats; 0: one per set */
    int self_play;              /* 1: an agent may take several seats */
    uint32_t real_steps;        /* points per real issue (>= 2) */
    const truce_limits *limits; /* what scenarios may ask (NULL: TRUCE_LIMITS_INIT) */
    int clock;                  /* truce_clock of the round deadlines (version 2) */
    int ties;                   /* truce_ties of the scenarios' tables (version 2) */
    /* Version 3. Deadline in wall-clock seconds instead of rounds (0: rounds): agents see
     * GENIUS's relative time, elapsed / seconds, as ANAC ran its tournaments (180 s). Results
     * then depend on the machine, its load and the thread count (the clock does not apply). */
    double seconds;
    /* Version 3. Wall-clock limit of one negotiation with a Lua or program agent, in seconds
     * (0: none): at its first turn past the limit such an agent ends the negotiation with a
     * fault whose message starts "timeout:"; the tournament goes on. */
    double negotiation_timeout;
    /* Version 4. 1: a scenario that fails to load, or that these agents cannot play (too few
     * negotiating parties or agents, no channel between principals), is left out and the
     * reason recorded (truce_tournament_skipped_*, the results database); 0: it stops the
     * tournament before any work. */
    int skip_unloadable;
    int legacy; /* version 4: load the scenarios with truce_load_options.legacy */
} truce_tournament_definition;

#define TRUCE_TOURNAMENT_DEFINITION_INIT                                                           \
    {                                                                                              \
        TRUCE_TOURNAMENT_DEFINITION_VERSION, NULL, NULL, 0, NULL, 0, NULL, 1, 100, 1, 1, 0, 11,    \
            NULL, TRUCE_CLOCK_GENIUS, TRUCE_TIES_INDEX, 0, 0, 0, 0                                 \
    }

/* Build a tournament: parse the agents, expand and load the scenarios,
 * precompute each scenario's space once, and check that every agent and
 * scenario can start (bad parameters, missing channels, too few agents for
 * a scenario's parties), all before any work. Free with truce_tournament_free. */
int truce_tournament_create(truce_tournament **out, const truce_tournament_definition *definition,
                            truce_error *err);
/* The same from a YAML definition file (docs/results.md); relative paths in
 * it start at the file's folder. */
int truce_tournament_load(truce_tournament **out, const char *path, const truce_limits *limits,
                          truce_error *err);
void truce_tournament_free(truce_tournament *tournament);

uint64_t truce_tournament_job_count(const truce_tournament *tournament);
/* The scenarios left out under skip_unloadable: how many, and the k-th one's path and the
 * error that left it out (borrowed; NULL when k is out of range). */
size_t truce_tournament_skipped_count(const truce_tournament *tournament);
const char *truce_tournament_skipped_path(const truce_tournament *tournament, size_t k);
const char *truce_tournament_skipped_reason(const truce_tournament *tournament, size_t k);
/* The k-th skipped scenario's reason as a stable code (static; NULL when k is out of range):
 * "unreadable", "malformed", "invalid", "over-limit" or "not-found" when it did not load;
 * "too-few-parties", "too-few-agents" or "cannot-start" when these agents cannot play it
 * (docs/results.md). The reason's wording may change between versions, the codes do not. */
const char *truce_tournament_skipped_code(const truce_tournament *tournament, size_t k);
size_t truce_tournament_scenario_count(const truce_tournament *tournament);
size_t truce_tournament_agent_count(const truce_tournament *tournament);
/* The canonical definition as JSON (borrowed): a database made for another
 * definition is refused. */
const char *truce_tournament_definition_json(const truce_tournament *tournament);
/* The file or folder scenario i was loaded from, after folder and glob
 * expansion (borrowed); NULL when i is out of range. */
const char *truce_tournament_scenario_path(const truce_tournament *tournament, size_t i);

/* Progress (truce_progress_fn, above): jobs finished (including those found
 * in the database) of all. Called from the thread that called
 * truce_tournament_run, at most about ten times a second and once at the
 * end; return non-zero to stop (the finished negotiations are committed;
 * running again resumes). */

#define TRUCE_TOURNAMENT_RUN_OPTIONS_VERSION 1

typedef struct truce_tournament_run_options {
    int version;                /* TRUCE_TOURNAMENT_RUN_OPTIONS_VERSION */
    unsigned threads;           /* worker threads; 0: one per online core */
    uint64_t batch;             /* rows per transaction (0: 4096) */
    uint64_t limit;             /* run at most this many jobs now (0: all that are missing) */
    truce_progress_fn progress; /* NULL: none */
    void *progress_payload;
} truce_tournament_run_options;

#define TRUCE_TOURNAMENT_RUN_OPTIONS_INIT                                                          \
    {                                                                                              \
        TRUCE_TOURNAMENT_RUN_OPTIONS_VERSION, 0, 0, 0, NULL, NULL                                  \
    }

typedef struct truce_tournament_status {
    uint64_t total;  /* jobs of the tournament */
    uint64_t before; /* found already done in the database */
    uint64_t ran;    /* run and committed by this call */
    int stopped;     /* 1 when the progress callback stopped the run */
    double seconds;  /* wall-clock time of this call */
} truce_tournament_status;

/* Run every job missing from the database `db` (created when absent) on
 * worker threads, committing results in batches (WAL mode): after a crash
 * or kill, the same call runs only what is missing. A database of another
 * definition is refused (TRUCE_EINVAL). status may be NULL. */
int truce_tournament_run(truce_tournament *tournament, const char *db,
                         const truce_tournament_run_options *opts, truce_tournament_status *status,
                         truce_error *err);

/* Building blocks for other drivers (the CLI's MPI ranks): a results store
 * opened by one process, and workers that run single jobs anywhere. */
typedef struct truce_store truce_store;

/* Open (creating when absent) the results database of a tournament,
 * refusing one of another definition. A store is used by one thread at a
 * time. */
int truce_store_open(truce_store **out, const truce_tournament *tournament, const char *db,
                     truce_error *err);
void truce_store_free(truce_store *store); /* commits what was added */
/* The jobs not yet in the database, ascending; free *jobs with truce_free. */
int truce_store_missing(truce_store *store, uint64_t **jobs, size_t *n, truce_error *err);
/* Add one result (JSON from truce_tournament_worker_run); rows are
 * committed by truce_store_commit (a job already stored is an error). */
int truce_store_add_json(truce_store *store, const char *result, truce_error *err);
int truce_store_commit(truce_store *store, truce_error *err);

typedef struct truce_tournament_worker truce_tournament_worker;

int truce_tournament_worker_create(truce_tournament_worker **out,
                                   const truce_tournament *tournament, truce_error *err);
void truce_tournament_worker_free(truce_tournament_worker *worker);
/* Run job number `job`; its result as one JSON object in *result (free
 * with truce_free). */
int truce_tournament_worker_run(truce_tournament_worker *worker, uint64_t job, char **result,
                                truce_error *err);
/* The same as bytes, for processes of the same truce build (cheaper than
 * JSON: the MPI ranks use it): result points to
 * truce_tournament_result_size() bytes, aligned for a double. */
size_t truce_tournament_result_size(const truce_tournament *tournament);
int truce_tournament_worker_run_packed(truce_tournament_worker *worker, uint64_t job, void *result,
                                       truce_error *err);
/* Add a packed result (checked against the tournament: a result of another
 * build or tournament is refused). */
int truce_store_add_packed(truce_store *store, const void *result, truce_error *err);
/* Add n packed results laid one after the other (n * truce_tournament_result_size() bytes),
 * checked as truce_store_add_packed checks one, in one statement (cheaper per row than one
 * call each: the MPI ranks' messages). On an error the results before the one refused are
 * added; *stored (may be NULL) says how many. */
int truce_store_add_packed_many(truce_store *store, const void *results, size_t n, size_t *stored,
                                truce_error *err);

/* ------------------------------------------------------------------ */
/* Tournament results and statistics                                  */
/* ------------------------------------------------------------------ */

/* Statistics of a results database as JSON (docs/results.md): per agent
 * the mean and 95% confidence interval (Student's t) of its utility, its
 * agreement rate, the social welfare and distances to the Pareto frontier
 * and Nash point of its negotiations, and its faults; per scenario; and the
 * head-to-head matrix (mean utility of the row agent against the column
 * agent). Free with truce_free. */
int truce_results_stats(char **out, const char *db, truce_error *err);

/* One table of a results database as CSV (RFC 4180): "negotiations" (one
 * row per negotiation and seat), "agents", "scenarios" or "head-to-head".
 * Free with truce_free. */
int truce_results_csv(char **out, const char *db, const char *table, truce_error *err);

/* ------------------------------------------------------------------ */
/* Reports: self-contained HTML pages and SVG plots                   */
/* ------------------------------------------------------------------ */

/* A report collects sections (a scenario analysis, negotiation traces,
 * mediation traces, tournament results) and writes them as one HTML page with inline SVG and CSS
 * (no scripts, nothing fetched) and each plot as a standalone SVG file.
 * docs/reports.md says what every plot shows and how its coordinates map. */
typedef struct truce_report truce_report;

/* Version 2 appended `limits`; version 1 callers get the defaults. */
#define TRUCE_REPORT_OPTIONS_VERSION 2

typedef struct truce_report_options {
    int version;          /* TRUCE_REPORT_OPTIONS_VERSION */
    const char *title;    /* page title; NULL: from the first section */
    size_t max_dots;      /* spaces with at most this many outcomes are drawn one dot per
                             outcome; larger ones as a density grid */
    double max_enumerate; /* largest space whose every outcome goes into the density grid;
                             beyond, `samples` outcomes drawn at random with `seed` */
    size_t samples;
    uint64_t seed;
    size_t max_pairs;           /* utility-space plots per section for 3+ parties (one per pair) */
    size_t max_runs;            /* runs of a multi-run negotiation trace shown */
    const truce_limits *limits; /* NULL: TRUCE_LIMITS_INIT (max_trace_line applies) */
} truce_report_options;

#define TRUCE_REPORT_OPTIONS_INIT                                                                  \
    {                                                                                              \
        TRUCE_REPORT_OPTIONS_VERSION, NULL, 4000, 1e6, 100000, 1, 6, 10, NULL                      \
    }

/* An empty report. opts may be NULL. Free with truce_report_free(). */
int truce_report_create(truce_report **out, const truce_report_options *opts, truce_error *err);
void truce_report_free(truce_report *report);

/* Add a scenario analysis: the outcomes in the utility space of the
 * principals (pairwise for 3 or more), the Pareto frontier, the Nash,
 * Kalai-Smorodinsky and max-welfare points, reservation values and the
 * outcomes a hard condition vetoes. The analysis must be of this scenario;
 * both are only read during the call. */
int truce_report_add_analysis(truce_report *report, const truce_scenario *scenario,
                              const truce_analysis *analysis, truce_error *err);

/* Add the runs of a trace file: a negotiation trace (docs/trace.md) or a
 * mediation trace (docs/mediation.md), told apart by their first record.
 * scenario and analysis may be NULL; when given, the trace's parties must be
 * the scenario's, and its plots show the outcome space and the frontier.
 * A malformed or truncated trace fails with TRUCE_EPARSE naming the file and
 * line; the report is then unchanged. */
int truce_report_add_trace(truce_report *report, const char *trace_path,
                           const truce_scenario *scenario, const truce_analysis *analysis,
                           truce_error *err);

/* Add the results of a tournament database (read with truce_results_stats):
 * how many of its negotiations are done, the agents ranked by mean utility
 * with 95% confidence intervals, agreement rates, welfare, distances and
 * faults, bar charts of mean utility (with the intervals) and agreement
 * rate, the head-to-head heat map, and a table of scenarios. An incomplete
 * database is reported as such. Errors are truce_results_stats's (a file
 * that is not a results database: TRUCE_EINVAL); the report is then
 * unchanged. */
int truce_report_add_results(truce_report *report, const char *db, truce_error *err);

/* Add the robustness of a scenario (truce_robust; docs/robustness.md): the
 * probability of a zone of agreement with what empties it, bars of the
 * probability of each option of each clause of the Nash and
 * Kalai-Smorodinsky points, and tornado charts of how far each uncertain
 * number alone moves the zone's margin and the advice's. The robustness
 * must be of this scenario; both are only read during the call. */
int truce_report_add_robustness(truce_report *report, const truce_scenario *scenario,
                                const truce_robustness *robustness, truce_error *err);

/* Number of plots added so far, and plot k's file name ("03-offers-a-b.svg"),
 * borrowed from the report; NULL when k is out of range. */
size_t truce_report_figure_count(const truce_report *report);
const char *truce_report_figure_name(const truce_report *report, size_t k);
/* Plot k as a standalone SVG document (what truce_report_write_svg writes
 * to its file after the XML declaration), borrowed from the report; NULL
 * when k is out of range. */
const char *truce_report_figure_svg(const truce_report *report, size_t k);

/* The page as one HTML document in *out (malloc'd, free with truce_free)
 * and its length in *length (may be NULL). */
int truce_report_html(const truce_report *report, char **out, size_t *length, truce_error *err);

/* Write the page to path through a temporary file in the same folder,
 * renamed into place: on failure no file, partial or not, is left. */
int truce_report_write_html(const truce_report *report, const char *path, truce_error *err);

/* Write every plot as a standalone SVG file dir/NAME (the folder must
 * exist), each through a temporary file. */
int truce_report_write_svg(const truce_report *report, const char *dir, truce_error *err);

/* ---- constraint expressions (docs/scenario-format.md#constraint-expressions) ---- */

/* Number of scenario-level constraints ('constraints:'), and constraint k's
 * id and expression text, borrowed from the scenario (NULL when k is out
 * of range). */
size_t truce_scenario_constraint_count(const truce_scenario *scenario);
const char *truce_scenario_constraint_id(const truce_scenario *scenario, size_t k);
const char *truce_scenario_constraint_expression(const truce_scenario *scenario, size_t k);
/* Index of the first scenario constraint the outcome breaks, -1 when it
 * breaks none, TRUCE_EINVAL for an invalid outcome. */
long truce_outcome_broken_constraint(const truce_scenario *scenario, const uint32_t *outcome);
/* Number of option attributes the issues declare. */
size_t truce_scenario_attribute_count(const truce_scenario *scenario);
/* The expression of hard condition k of party p as written, borrowed from
 * the scenario; NULL when it has none (or out of range). */
const char *truce_hard_condition_expression(const truce_scenario *scenario, size_t party,
                                            size_t k);

/* ---- side payments (docs/scenario-format.md#side-payments) ---- */

/* 1 when the scenario declares side payments ('side_payments:'), else 0. */
int truce_scenario_has_side_payments(const truce_scenario *scenario);
/* The party paying the side payments, or -1 when there are none. */
long truce_side_payment_payer(const truce_scenario *scenario);
/* The payer's budget in its unit (total over every recipient), or NAN when there are none. */
double truce_side_payment_budget(const truce_scenario *scenario);

/* truce_evaluate with a transfer: transfer holds an amount in the payer's unit for every party
 * (party_count entries; 0 for a party that receives nothing). The report's "side_payments"
 * gains "given": each principal's utility lifted by rate x amount, whether it accepts, whether
 * the total stays within the budget and each amount within its recipient's cap. Errors:
 * TRUCE_EINVAL when the scenario has no side payments, an amount is negative or not a number,
 * or a party that is not a recipient gets an amount above 0; and truce_evaluate's. */
int truce_evaluate_transfer(char **out, const truce_scenario *scenario, const uint32_t *outcome,
                            const double *transfer, const truce_check_options *opts,
                            truce_error *err);

#ifdef __cplusplus
}
#endif

#endif /* TRUCE_H */
