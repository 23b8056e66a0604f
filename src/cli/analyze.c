/* analyze.c: `truce analyze`: exact analysis of a scenario, as a readable
 * report or one JSON object. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce analyze [OPTIONS] SCENARIO.yaml\n"
           "       truce analyze [OPTIONS] FOLDER\n"
           "       truce analyze [OPTIONS] DOMAIN.xml PROFILE.xml PROFILE.xml...\n"
           "\n"
           "Analyse a negotiation scenario exactly, over its bargainers (the principals;\n"
           "every party of a GENIUS scenario) and its feasible outcomes (those that break\n"
           "no bargainer's hard condition): number of outcomes, Pareto frontier (outcomes\n"
           "no other feasible outcome dominates for the bargainers), Nash point (max\n"
           "product of the bargainers' gains over their reservation values, each raised\n"
           "to its bargainer's power when the scenario gives powers), Kalai-\n"
           "Smorodinsky point, max-welfare point (max sum of the bargainers' utilities),\n"
           "whether a zone of possible agreement exists, and trade-offs between\n"
           "bargainers. Mediators and stakeholders are shown, never bargain. When hard\n"
           "conditions bind, the points ignoring them are shown beside, labelled so.\n"
           "Linear additive scenarios of any size are solved by merging issues; others\n"
           "by enumeration or, when too large to enumerate, by branch and bound, up to\n"
           "configurable limits. docs/analysis.md has the definitions.\n"
           "\n"
           "Options:\n"
           "  --json               print one JSON object instead of the report\n"
           "  --time T             relative time in [0, 1] at which reservation values are\n"
           "                       read (they may change with time; default 0)\n"
           "  --points N|all       frontier points listed in the report (default 15)\n"
           "  --approximate        when exact analysis exceeds a limit, search heuristically\n"
           "                       (results are labelled approximate)\n"
           "  --max-outcomes N     largest space enumerated exactly (default 2e7)\n"
           "  --max-frontier N     largest partial frontier kept when merging (default 2e6)\n"
           "  --max-nodes N        branch-and-bound nodes before exact analysis gives up\n"
           "                       (default 5e7)\n"
           "  --max-work N         work of the Pareto filter for 3+ bargainers (vectors\n"
           "                       compared, tree steps) before exact analysis gives up\n"
           "                       (default 2e9)\n"
           "  --real-steps N       points per real-valued issue (default 11)\n"
           "  --seed N             seed of the approximate search (default 1)\n"
           "  --effort N           directions tried by the approximate search (default 200)\n"
           "  -h, --help           show this help\n"
           "\n"
           "Utilities closer than 1e-12 count as equal when testing dominance.\n"
           "Exit status: 0 success, 1 bad input or limit exceeded, 2 bad usage.\n");
}

typedef struct args {
    int json;
    size_t points;
    truce_load_options load;
    truce_analysis_options analysis;
    char **paths;
    int n_paths;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    truce_analysis_options ao = TRUCE_ANALYSIS_OPTIONS_INIT;
    a->load = lo;
    a->analysis = ao;
    a->json = 0;
    a->points = 15;
    a->paths = calloc((size_t)argc + 1, sizeof *a->paths);
    a->n_paths = 0;
    if (!a->paths)
        return cli_fail("analyze", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *v;
        uint64_t u;
        double d;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            return -1;
        } else if (!strcmp(argv[i], "--json")) {
            a->json = 1;
        } else if (!strcmp(argv[i], "--approximate")) {
            a->analysis.approximate = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--time"))) {
            if (cli_parse_double(v, &d) || d < 0 || d > 1)
                return cli_usage("analyze", "--time needs a relative time in [0, 1], not '%s'", v);
            a->analysis.time = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--points"))) {
            if (!strcmp(v, "all"))
                a->points = SIZE_MAX;
            else if (cli_parse_u64(v, &u))
                return cli_usage("analyze", "--points needs a count or 'all', not '%s'", v);
            else
                a->points = (size_t)u;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-outcomes"))) {
            if (cli_parse_double(v, &d) || d < 1)
                return cli_usage("analyze", "--max-outcomes needs a number >= 1, not '%s'", v);
            a->analysis.max_outcomes = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-frontier"))) {
            if (cli_parse_double(v, &d) || d < 1 || d > 1e12)
                return cli_usage("analyze", "--max-frontier needs a number >= 1, not '%s'", v);
            a->analysis.max_frontier = (size_t)d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-nodes"))) {
            if (cli_parse_double(v, &d) || d < 1)
                return cli_usage("analyze", "--max-nodes needs a number >= 1, not '%s'", v);
            a->analysis.max_nodes = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-work"))) {
            if (cli_parse_double(v, &d) || d < 1)
                return cli_usage("analyze", "--max-work needs a number >= 1, not '%s'", v);
            a->analysis.max_work = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--real-steps"))) {
            if (cli_parse_u64(v, &u) || u < 2 || u > 1000000)
                return cli_usage("analyze",
                                 "--real-steps needs an integer from 2 to 1000000, "
                                 "not '%s'",
                                 v);
            a->load.real_steps = (uint32_t)u;
        } else if ((v = cli_option_value(argc, argv, &i, "--seed"))) {
            if (cli_parse_u64(v, &u))
                return cli_usage("analyze", "--seed needs a non-negative integer, not '%s'", v);
            a->analysis.seed = u;
        } else if ((v = cli_option_value(argc, argv, &i, "--effort"))) {
            if (cli_parse_double(v, &d) || d < 1 || d > 1e9)
                return cli_usage("analyze", "--effort needs a number from 1 to 1e9, not '%s'", v);
            a->analysis.approx_effort = d;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("analyze", "unknown option '%s'", argv[i]);
        } else {
            a->paths[a->n_paths++] = argv[i];
        }
    }
    return 0;
}

static const char *const solution_key[] = {"nash", "kalai_smorodinsky", "max_welfare"};

static json_t *solution_json(const truce_scenario *s, const truce_analysis *an,
                             truce_solution which, const char *criterion)
{
    size_t np = truce_scenario_party_count(s), ni = truce_scenario_issue_count(s);
    double *u = calloc(np ? np : 1, sizeof *u);
    uint32_t *o = calloc(ni ? ni : 1, sizeof *o);
    double value = 0;
    json_t *result = NULL;
    if (u && o && truce_analysis_solution(an, which, u, o, &value) == 1) {
        json_t *us = json_array();
        for (size_t p = 0; us && p < np; p++)
            json_array_append_new(us, json_real(u[p]));
        result = json_pack("{s:o, s:o, s:f, s:s}", "utilities", us ? us : json_null(), "outcome",
                           cli_outcome_json(s, o), "value", value, "criterion", criterion);
    } else if (u && o) {
        result = json_null();
    }
    free(u);
    free(o);
    return result;
}

static json_t *points_json(const truce_scenario *s, const truce_analysis *an)
{
    size_t np = truce_scenario_party_count(s);
    json_t *points = json_array();
    for (size_t k = 0; points && k < truce_analysis_pareto_size(an); k++) {
        const double *u = truce_analysis_pareto_point(an, k);
        json_t *pt = json_array();
        for (size_t p = 0; pt && p < np; p++)
            json_array_append_new(pt, json_real(u[p]));
        json_array_append_new(points, pt);
    }
    return points;
}

/* The frontier, bargaining points and zone of one analysis (the feasible
 * one, or the one ignoring hard conditions). */
static void set_solutions(json_t *root, const truce_scenario *s, const truce_analysis *an,
                          int with_points)
{
    char pcount[4096];
    truce_analysis_pareto_count(an, pcount, sizeof pcount);
    json_t *pareto = json_pack("{s:o, s:I}", "size", cli_count_json(pcount), "distinct",
                               (json_int_t)truce_analysis_pareto_size(an));
    if (pareto && with_points)
        json_object_set_new(pareto, "points", points_json(s, an));
    json_object_set_new(root, "zopa", json_boolean(truce_analysis_zopa(an)));
    json_object_set_new(root, "pareto", pareto);
    for (int w = 0; w < 3; w++)
        json_object_set_new(root, solution_key[w],
                            solution_json(s, an, (truce_solution)w,
                                          truce_scenario_solution_criterion(s, (truce_solution)w)));
    json_object_set_new(root, "approximate", json_boolean(truce_analysis_is_approximate(an)));
    json_object_set_new(root, "method", json_string(truce_analysis_method(an)));
}

static const char *const role_name[] = {"principal", "mediator", "stakeholder"};

static json_t *report_json(const truce_scenario *s, const truce_analysis *an)
{
    size_t np = truce_scenario_party_count(s), ni = truce_scenario_issue_count(s);
    json_t *root = json_object();
    json_t *parties = json_array(), *issues = json_array(), *reservation = json_array();
    json_t *roles = json_array(), *bargainers = json_array();
    if (!root || !parties || !issues || !reservation || !roles || !bargainers) {
        json_decref(root);
        json_decref(parties);
        json_decref(issues);
        json_decref(reservation);
        json_decref(roles);
        json_decref(bargainers);
        return NULL;
    }
    for (size_t p = 0; p < np; p++) {
        json_array_append_new(parties, json_string(truce_party_name(s, p)));
        json_array_append_new(roles, json_string(role_name[truce_party_role(s, p)]));
        json_array_append_new(reservation, json_real(truce_analysis_reservation(an, p)));
    }
    for (size_t k = 0; k < truce_scenario_bargainer_count(s); k++)
        json_array_append_new(
            bargainers, json_string(truce_party_name(s, (size_t)truce_scenario_bargainer(s, k))));
    for (size_t i = 0; i < ni; i++)
        json_array_append_new(issues, json_string(truce_issue_name(s, i)));
    char count[4096], feasible[4096];
    truce_scenario_outcome_count(s, count, sizeof count);
    truce_analysis_feasible_count(an, feasible, sizeof feasible);
    json_object_set_new(root, "scenario", json_string(truce_scenario_name(s)));
    json_object_set_new(root, "parties", parties);
    json_object_set_new(root, "roles", roles);
    json_object_set_new(root, "bargainers", bargainers);
    json_object_set_new(root, "issues", issues);
    json_object_set_new(root, "n_outcomes", cli_count_json(count));
    json_object_set_new(root, "n_feasible", cli_count_json(feasible));
    json_object_set_new(root, "time", json_real(truce_analysis_time(an)));
    json_object_set_new(root, "reservation", reservation);
    set_solutions(root, s, an, 1);
    const truce_analysis *free_an = truce_analysis_ignoring_hard_conditions(an);
    if (free_an) {
        json_t *ignoring = json_object();
        set_solutions(ignoring, s, free_an, 0);
        json_object_set_new(root, "ignoring_hard_conditions", ignoring);
    } else {
        json_object_set_new(root, "ignoring_hard_conditions", json_null());
    }
    char *tradeoffs = NULL;
    truce_error err;
    if (truce_tradeoffs(&tradeoffs, s, &err) == 0) {
        json_object_set_new(root, "tradeoffs", json_loads(tradeoffs, 0, NULL));
        truce_free(tradeoffs);
    }
    return root;
}

/* Width of the party columns: the longest party name, at least 14, so that
 * names are never cut and numbers line up under them. */
static int column_width(const truce_scenario *s)
{
    size_t width = 14;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
        size_t n = strlen(truce_party_name(s, p));
        if (n > width)
            width = n;
    }
    return width > 256 ? 256 : (int)width;
}

static void print_row_utilities(const double *u, size_t np, int width)
{
    for (size_t p = 0; p < np; p++)
        printf(" %*.6f", width, u[p]);
}

/* The most valuable trade-offs: concessions cheap for the giver and worth
 * more to the receiver, at most three per pair of parties. */
static void print_tradeoffs(const truce_scenario *s)
{
    char *text = NULL;
    truce_error err;
    if (truce_tradeoffs(&text, s, &err))
        return;
    json_t *list = json_loads(text, 0, NULL);
    truce_free(text);
    size_t np = truce_scenario_party_count(s), shown = 0;
    int *per_pair = calloc(np * np, sizeof *per_pair);
    size_t k;
    json_t *t;
    json_array_foreach(list, k, t)
    {
        int g = truce_party_find(s, json_string_value(json_object_get(t, "giver")));
        int r = truce_party_find(s, json_string_value(json_object_get(t, "receiver")));
        if (!per_pair || g < 0 || r < 0 || per_pair[(size_t)g * np + (size_t)r]++ >= 3 ||
            shown >= 12)
            continue;
        if (shown++ == 0)
            printf("\nTrade-offs between bargainers, among feasible options (cheap for the giver, "
                   "valuable for the receiver; by joint gain):\n");
        printf("  %s gives %s: %s %s -> %s (costs %.3f, gains %.3f, joint %+.3f)\n",
               json_string_value(json_object_get(t, "giver")),
               json_string_value(json_object_get(t, "receiver")),
               json_string_value(json_object_get(t, "issue")),
               json_string_value(json_object_get(t, "from")),
               json_string_value(json_object_get(t, "to")),
               json_real_value(json_object_get(t, "giver_cost")),
               json_real_value(json_object_get(t, "receiver_gain")),
               json_real_value(json_object_get(t, "joint_gain")));
    }
    free(per_pair);
    json_decref(list);
}

static const char *const solution_name[] = {"Nash", "Kalai-Smorodinsky", "Max welfare"};

/* 1 when the bargainers' bargaining powers differ: the Nash point is then
 * the asymmetric one (docs/analysis.md). */
static int powers_differ(const truce_scenario *s)
{
    size_t nb = truce_scenario_bargainer_count(s);
    for (size_t k = 1; k < nb; k++)
        if (truce_party_power(s, (size_t)truce_scenario_bargainer(s, k)) !=
            truce_party_power(s, (size_t)truce_scenario_bargainer(s, 0)))
            return 1;
    return 0;
}
static const char *const solution_value[] = {"product", "ratio", "sum"};

/* The three bargaining points of one analysis, one row each with the
 * outcome below. */
static void print_solutions(const truce_scenario *s, const truce_analysis *an, int width,
                            const char *prefix)
{
    size_t np = truce_scenario_party_count(s), ni = truce_scenario_issue_count(s);
    double *u = calloc(np ? np : 1, sizeof *u);
    uint32_t *o = calloc(ni ? ni : 1, sizeof *o);
    char *text = malloc(8192);
    for (int w = 0; u && o && text && w < 3; w++) {
        double value;
        char name[64];
        snprintf(name, sizeof name, "%s%s%s", prefix, solution_name[w],
                 w == TRUCE_SOLUTION_NASH && powers_differ(s) ? " (weighted)" : "");
        if (truce_analysis_solution(an, (truce_solution)w, u, o, &value) != 1) {
            printf("%-22s none (%s)\n", name,
                   w == TRUCE_SOLUTION_MAX_WELFARE
                       ? "no feasible outcome"
                       : "no feasible outcome gives every bargainer more than its reservation "
                         "value");
            continue;
        }
        printf("%-22s", name);
        print_row_utilities(u, np, width);
        printf("   %s %.6g\n", solution_value[w], value);
        cli_outcome_text(s, o, text, 8192);
        printf("%-22s %s\n", "", text);
    }
    free(u);
    free(o);
    free(text);
}

static void print_names(const truce_scenario *s, int bargainers)
{
    int first = 1;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
        int role = truce_party_role(s, p);
        if ((role == TRUCE_ROLE_PRINCIPAL) != bargainers)
            continue;
        printf("%s%s", first ? "" : ", ", truce_party_name(s, p));
        if (!bargainers)
            printf(" (%s)", role_name[role]);
        first = 0;
    }
}

static void report_text(const truce_scenario *s, const truce_analysis *an, size_t max_points)
{
    size_t np = truce_scenario_party_count(s), ni = truce_scenario_issue_count(s);
    char count[4096], pcount[4096], feasible[4096];
    truce_scenario_outcome_count(s, count, sizeof count);
    truce_analysis_pareto_count(an, pcount, sizeof pcount);
    truce_analysis_feasible_count(an, feasible, sizeof feasible);
    int approx = truce_analysis_is_approximate(an);
    double t = truce_analysis_time(an);
    printf("Scenario %s: %zu parties, %zu issues, %s outcomes\n", truce_scenario_name(s), np, ni,
           count);
    printf("Bargainers: ");
    print_names(s, 1);
    if (truce_scenario_bargainer_count(s) < np) {
        printf("; shown, not bargaining: ");
        print_names(s, 0);
    }
    printf("\nFeasible outcomes (no bargainer's hard condition%s broken): %s of %s\n",
           truce_scenario_constraint_count(s) ? " or scenario constraint" : "", feasible, count);
    if (approx)
        printf("APPROXIMATE: the space is too large for exact analysis; these results come "
               "from a heuristic search and may miss Pareto-optimal outcomes.\n");
    int width = column_width(s);
    printf("\n%-22s", "");
    for (size_t p = 0; p < np; p++)
        printf(" %*s", width, truce_party_name(s, p));
    printf("\n%-22s", "role");
    for (size_t p = 0; p < np; p++)
        printf(" %*s", width, role_name[truce_party_role(s, p)]);
    char label[64];
    snprintf(label, sizeof label, "reservation (t=%.2f)", t);
    printf("\n%-22s", label);
    for (size_t p = 0; p < np; p++)
        printf(" %*.6f", width, truce_analysis_reservation(an, p));
    printf("\n%-22s", "discount factor");
    for (size_t p = 0; p < np; p++)
        printf(" %*.6f", width, truce_party_discount(s, p));
    if (powers_differ(s)) {
        printf("\n%-22s", "bargaining power");
        for (size_t p = 0; p < np; p++)
            if (truce_party_role(s, p) == TRUCE_ROLE_PRINCIPAL)
                printf(" %*.6g", width, truce_party_power(s, p));
            else
                printf(" %*s", width, "-");
    }
    printf("\n\nZone of agreement among the bargainers at time %.2f: %s\n", t,
           truce_analysis_zopa(an) ? "non-empty (some feasible outcome gives every bargainer "
                                     "more than its reservation value)"
           : approx ? "EMPTY as far as the search found (no feasible outcome found beats every "
                      "bargainer's reservation value)"
                    : "EMPTY (no feasible outcome gives every bargainer more than its "
                      "reservation value; 'truce check' shows the smallest concessions that "
                      "open it)");
    /* a heuristic search only knows what it found: the points it keeps may
     * be dominated by outcomes it never saw, so no count is claimed */
    if (approx)
        printf("Pareto frontier (approximate): %zu non-dominated utility vectors found "
               "(method: %s)\n",
               truce_analysis_pareto_size(an), truce_analysis_method(an));
    else
        printf("Pareto frontier among feasible outcomes: %s outcome%s, %zu distinct utility "
               "vector%s of the bargainers (method: %s)\n",
               pcount, strcmp(pcount, "1") ? "s" : "", truce_analysis_pareto_size(an),
               truce_analysis_pareto_size(an) == 1 ? "" : "s", truce_analysis_method(an));

    printf("\nBargaining points over the bargainers, among feasible outcomes:\n");
    print_solutions(s, an, width, "");
    const truce_analysis *free_an = truce_analysis_ignoring_hard_conditions(an);
    if (free_an) {
        printf("\nIgnoring hard conditions (what they cost; these outcomes break one):\n");
        printf("%-22s %s\n", "zone",
               truce_analysis_zopa(free_an) ? "non-empty" : "EMPTY even without them");
        print_solutions(s, free_an, width, "");
    } else if (truce_analysis_hard_conditions_bind(an)) {
        printf("\n(the analysis ignoring hard conditions exceeded a limit and is not shown)\n");
    }
    print_tradeoffs(s);
    size_t k_total = truce_analysis_pareto_size(an);
    size_t shown = k_total < max_points ? k_total : max_points;
    if (shown) {
        printf("\nPareto frontier points (%zu of %zu, by %s's utility):\n", shown, k_total,
               truce_party_name(s, (size_t)truce_scenario_bargainer(s, 0)));
        for (size_t k = 0; k < shown; k++) {
            printf("%-22s", "");
            print_row_utilities(truce_analysis_pareto_point(an, k), np, width);
            printf("\n");
        }
        if (shown < k_total)
            printf("%-22s ... (--points all to list every point)\n", "");
    }
}

/* The zone and points under the scenario's decision rule, when it has one
 * other than plain unanimity (docs/analysis.md#decision-rules); NULL otherwise. */
static int decision_of(const truce_scenario *s, const truce_analysis_options *ao, json_t **out,
                       truce_error *err)
{
    *out = NULL;
    int rule = truce_scenario_decision_rule(s) != TRUCE_DECISION_UNANIMITY;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++)
        rule |= truce_party_ratifier(s, p);
    if (!rule)
        return 0;
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.time = ao->time;
    o.max_outcomes = ao->max_outcomes;
    char *text = NULL;
    int rc = truce_decision(&text, s, &o, err);
    if (rc)
        return rc;
    *out = json_loads(text, 0, NULL);
    truce_free(text);
    if (*out)
        return 0;
    err->code = TRUCE_ENOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return TRUCE_ENOMEM;
}

/* The scenario's coalitions and who would leave each over the Nash point
 * (docs/check.md#coalitions); NULL when it has none. */
static int coalitions_of(const truce_scenario *s, const truce_analysis *an,
                         const truce_analysis_options *ao, json_t **out, truce_error *err)
{
    *out = NULL;
    int any = 0;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++)
        any |= truce_party_coalition(s, p);
    if (!any)
        return 0;
    uint32_t *nash = calloc(truce_scenario_issue_count(s), sizeof *nash);
    if (!nash) {
        err->code = TRUCE_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return TRUCE_ENOMEM;
    }
    int has = truce_analysis_solution(an, TRUCE_SOLUTION_NASH, NULL, nash, NULL) == 1;
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.time = ao->time;
    o.max_outcomes = ao->max_outcomes;
    char *text = NULL;
    int rc = truce_coalitions(&text, s, has ? nash : NULL, &o, err);
    free(nash);
    if (rc)
        return rc;
    *out = json_loads(text, 0, NULL);
    truce_free(text);
    if (*out)
        return 0;
    err->code = TRUCE_ENOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return TRUCE_ENOMEM;
}

int cmd_analyze(int argc, char **argv)
{
    args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        free(a.paths);
        return rc < 0 ? EXIT_OK : rc;
    }
    truce_scenario *s = NULL;
    rc = cli_load_scenario("analyze", &s, a.paths, a.n_paths, &a.load);
    free(a.paths);
    if (rc)
        return rc;
    truce_analysis *an = NULL;
    truce_error err;
    json_t *decision = NULL, *coalitions = NULL;
    if (truce_analyze(&an, s, &a.analysis, &err) || decision_of(s, &a.analysis, &decision, &err) ||
        coalitions_of(s, an, &a.analysis, &coalitions, &err)) {
        rc = cli_fail("analyze", "%s", err.message);
    } else if (a.json) {
        json_t *doc = report_json(s, an);
        if (doc && decision)
            json_object_set(doc, "decision", decision);
        if (doc && coalitions)
            json_object_set(doc, "coalitions", coalitions);
        rc = cli_print_json(doc);
    } else {
        report_text(s, an, a.points);
        cli_print_decision(decision);
        cli_print_coalitions(coalitions);
        rc = cli_flush_stdout() == 0 ? EXIT_OK : EXIT_INPUT;
    }
    json_decref(decision);
    json_decref(coalitions);
    truce_analysis_free(an);
    truce_scenario_free(s);
    return rc;
}
