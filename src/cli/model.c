/* model.c: `truce check`, `truce advise` and `truce convert`: the checks and
 * advice on a scenario's model, readable or as JSON, and format conversion. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "util.h"

static void names(json_t *array, const char *sep)
{
    size_t k;
    json_t *v;
    json_array_foreach(array, k, v)
    {
        printf("%s%s", k ? sep : "", json_string_value(v));
    }
}

static void print_deal(json_t *deal, const char *indent)
{
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(deal, "outcome"), key, v)
    {
        printf("%s%-20s %s\n", indent, key, json_string_value(v));
    }
    printf("%sutilities:", indent);
    json_object_foreach(json_object_get(deal, "utilities"), key, v)
    {
        printf(" %s %.3f", key, json_real_value(v));
    }
    printf("\n");
}

/* A list of {from, until} (with from_day, until_day when the talks have days). */
static void print_intervals(json_t *list)
{
    size_t k;
    json_t *v;
    json_array_foreach(list, k, v)
    {
        if (json_object_get(v, "from_day"))
            printf("%sdays %g-%g", k ? ", " : "", json_real_value(json_object_get(v, "from_day")),
                   json_real_value(json_object_get(v, "until_day")));
        else
            printf("%st %g-%g", k ? ", " : "", json_real_value(json_object_get(v, "from")),
                   json_real_value(json_object_get(v, "until")));
    }
}

/* Channels with time windows: the graph in each stretch of time. */
static void print_channel_timeline(json_t *ch)
{
    json_t *timeline = json_object_get(ch, "timeline");
    if (!timeline)
        return;
    printf("Channels over time:\n");
    size_t k, j;
    json_t *v, *pair;
    json_array_foreach(timeline, k, v)
    {
        json_t *one = json_array();
        json_array_append(one, v);
        printf("  ");
        print_intervals(one);
        json_decref(one);
        printf(": ");
        json_array_foreach(json_object_get(v, "pairs"), j, pair)
        {
            printf("%s%s-%s", j ? ", " : "", json_string_value(json_array_get(pair, 0)),
                   json_string_value(json_array_get(pair, 1)));
        }
        printf("%s\n", json_array_size(json_object_get(v, "pairs")) ? "" : "(nobody talks)");
    }
}

/* One pair of parties when channels have time windows: when they talk
 * directly, when they are connected at all, or never. */
static void print_reach_over_time(json_t *ch, json_t *v)
{
    (void)ch;
    json_t *path = json_object_get(v, "path");
    printf("  %s -> %s: ", json_string_value(json_object_get(v, "from")),
           json_string_value(json_object_get(v, "to")));
    if (json_is_null(path)) {
        printf("NEVER CONNECTED\n");
        return;
    }
    if (json_array_size(json_object_get(v, "open"))) {
        printf("direct during ");
        print_intervals(json_object_get(v, "open"));
        printf("; ");
    }
    printf("connected during ");
    print_intervals(json_object_get(v, "connected"));
    if (json_array_size(path) > 2) {
        printf(" (first through ");
        names(path, " -> ");
        printf(")");
    }
    printf("\n");
}

static void print_channels(json_t *ch)
{
    printf("Channels%s: ", json_is_true(json_object_get(ch, "declared")) ? ""
                                                                         : " (none declared: "
                                                                           "everyone may "
                                                                           "talk)");
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(ch, "pairs"), k, v)
    {
        printf("%s%s-%s", k ? ", " : "", json_string_value(json_array_get(v, 0)),
               json_string_value(json_array_get(v, 1)));
    }
    printf("\n");
    print_channel_timeline(ch);
    json_array_foreach(json_object_get(ch, "reach"), k, v)
    {
        if (json_object_get(v, "connected")) {
            print_reach_over_time(ch, v);
            continue;
        }
        if (json_is_true(json_object_get(v, "direct")))
            continue;
        json_t *path = json_object_get(v, "path");
        printf("  %s -> %s: ", json_string_value(json_object_get(v, "from")),
               json_string_value(json_object_get(v, "to")));
        if (json_is_null(path)) {
            printf("UNREACHABLE\n");
        } else {
            printf("no direct channel; through ");
            names(path, " -> ");
            printf("\n");
        }
    }
    printf("Protocols:\n");
    json_array_foreach(json_object_get(ch, "protocols"), k, v)
    {
        printf("  %-20s %-10s %s\n", json_string_value(json_object_get(v, "protocol")),
               json_is_true(json_object_get(v, "feasible")) ? "feasible" : "NOT feasible",
               json_string_value(json_object_get(v, "reason")));
    }
}

/* The declared phase plan: phases in order, and how it treats each demand. */
static void print_plan(json_t *plan)
{
    size_t k;
    json_t *v;
    printf("\nPhases (the plan):\n");
    json_array_foreach(json_object_get(plan, "phases"), k, v)
    {
        printf("  %zu. %s: ", k + 1, json_string_value(json_object_get(v, "id")));
        names(json_object_get(v, "items"), ", ");
        json_t *ver = json_object_get(v, "verification");
        if (json_is_string(ver))
            printf("\n     then verified: %s", json_string_value(ver));
        printf("\n");
    }
    json_array_foreach(json_object_get(plan, "demands"), k, v)
    {
        printf("  %s before %s (", json_string_value(json_object_get(v, "first")),
               json_string_value(json_object_get(v, "then")));
        names(json_object_get(v, "held_by"), ", ");
        printf("): %s, %s\n", json_string_value(json_object_get(v, "under_plan")),
               json_is_true(json_object_get(v, "met")) ? "met" : "NOT met");
    }
}

static void print_agenda(json_t *ag)
{
    if (json_object_get(ag, "plan"))
        print_plan(json_object_get(ag, "plan"));
    json_t *dl = json_object_get(ag, "deadlocks");
    if (json_is_false(json_object_get(ag, "complete")))
        printf("\nAgenda: (a limit was reached: not every cycle or smallest drop is listed)");
    if (json_array_size(dl) == 0) {
        printf("\nAgenda: no deadlock in the preconditions\n");
        return;
    }
    printf("\nAgenda DEADLOCK%s:\n", json_array_size(dl) > 1 ? "S" : "");
    size_t k, e;
    json_t *d, *v;
    json_array_foreach(dl, k, d)
    {
        printf("  cycle: ");
        names(json_object_get(d, "cycle"), " -> ");
        printf(" -> %s\n", json_string_value(json_array_get(json_object_get(d, "cycle"), 0)));
        json_array_foreach(json_object_get(d, "edges"), e, v)
        {
            printf("    %s before %s, demanded by ", json_string_value(json_object_get(v, "first")),
                   json_string_value(json_object_get(v, "then")));
            names(json_object_get(v, "held_by"), ", ");
            printf("\n");
        }
        printf("    ways out:\n");
        json_array_foreach(json_object_get(d, "resolutions"), e, v)
        {
            printf("      - %s\n", json_string_value(json_object_get(v, "text")));
        }
        json_t *plan = json_object_get(d, "plan_resolves");
        if (plan)
            printf("    the declared phase plan %s\n",
                   json_is_true(plan) ? "resolves it" : "does NOT resolve it");
    }
}

static void print_count(json_t *v)
{
    if (json_is_integer(v))
        printf("%lld", (long long)json_integer_value(v));
    else
        printf("%s", json_is_string(v) ? json_string_value(v) : "?");
}

static void print_zone(json_t *z)
{
    printf("\nZone of agreement among the bargainers (");
    names(json_object_get(z, "bargainers"), ", ");
    printf(") at time %.2f: %s\n", json_real_value(json_object_get(z, "time")),
           json_is_true(json_object_get(z, "empty")) ? "EMPTY" : "non-empty");
    printf("  outcomes ");
    print_count(json_object_get(z, "outcomes"));
    json_t *rules = json_object_get(z, "constraints");
    printf(rules ? ", feasible (no bargainer's hard condition or scenario constraint broken) "
                 : ", feasible (no bargainer's hard condition broken) ");
    print_count(json_object_get(z, "feasible"));
    json_t *ir = json_object_get(z, "individually_rational");
    if (!json_is_null(ir)) {
        printf(", also above every bargainer's reservation value ");
        print_count(ir);
    }
    printf("\n");
    size_t nth_rule;
    json_t *rule;
    json_array_foreach(rules, nth_rule, rule)
    {
        printf("  scenario constraint '%s' (never relaxed): %s\n",
               json_string_value(json_object_get(rule, "id")),
               json_string_value(json_object_get(rule, "expression")));
    }
    json_t *margin = json_object_get(z, "margin");
    if (json_is_object(margin) && json_is_real(json_object_get(margin, "margin"))) {
        printf("  zone margin %+.3f (the best feasible deal's smallest gain of a bargainer over "
               "its reservation value); the smallest single changes that %s it:\n",
               json_real_value(json_object_get(margin, "margin")),
               json_is_true(json_object_get(z, "empty")) ? "open" : "close");
        cli_print_flips(margin, "    ", 5);
    }
    if (!json_is_true(json_object_get(z, "empty"))) {
        printf("  best deal (Nash point: the largest product of the bargainers' gains over their "
               "reservation values):\n");
        print_deal(json_object_get(z, "best"), "    ");
        return;
    }
    printf("  no feasible outcome gives every bargainer more than its reservation value\n");
    json_t *opens = json_object_get(z, "opens_at_time");
    if (json_is_real(opens))
        printf("  it opens at time %.2f, as reservation values change\n", json_real_value(opens));
    json_t *relax = json_object_get(z, "relaxations");
    if (json_is_null(relax)) {
        printf("  (too many outcomes to search for the smallest relaxations: raise "
               "--max-outcomes)\n");
        return;
    }
    printf("  smallest relaxations that open it:\n");
    size_t k, q;
    json_t *r, *c;
    json_array_foreach(relax, k, r)
    {
        printf("  %zu. relax ", k + 1);
        int concession = 0;
        json_array_foreach(json_object_get(r, "relax"), q, c)
        {
            const char *kind = json_string_value(json_object_get(c, "kind"));
            if (!strcmp(kind, "hard_condition")) {
                printf("%s%s's hard condition '%s'", q ? " and " : "",
                       json_string_value(json_object_get(c, "party")),
                       json_string_value(json_object_get(c, "id")));
            } else {
                concession = 1;
                printf("%s%s's reservation value from %.3f to below %.3f (a concession of %.3f)",
                       q ? " and " : "", json_string_value(json_object_get(c, "party")),
                       json_real_value(json_object_get(c, "reservation")),
                       json_real_value(json_object_get(c, "deal_gives")),
                       json_real_value(json_object_get(c, "concession")));
            }
        }
        printf("\n     deal it allows (%s):\n", concession
                                                    ? "the one needing the smallest concession"
                                                    : "its Nash point over the bargainers");
        print_deal(json_object_get(r, "best"), "       ");
    }
}

/* The margins under the rule (docs/check.md#decision). */
static void print_rule_margins(json_t *d)
{
    json_t *margin = json_object_get(d, "margin");
    if (!json_is_real(margin)) {
        json_t *c = json_object_get(d, "concession");
        if (json_is_object(c))
            printf("  no concession helps: %s\n", json_string_value(json_object_get(c, "text")));
        return;
    }
    printf("  margin under the rule: %+.3f, at ", json_real_value(margin));
    json_t *deal = json_object_get(json_object_get(d, "margin_deal"), "outcome");
    const char *key;
    json_t *v;
    int first = 1;
    json_object_foreach(deal, key, v)
    {
        printf("%s%s=", first ? "" : ", ", key);
        if (json_is_string(v))
            printf("%s", json_string_value(v));
        else if (json_is_integer(v))
            printf("%lld", (long long)json_integer_value(v));
        else
            printf("%g", json_number_value(v));
        first = 0;
    }
    printf("\n");
    json_t *c = json_object_get(d, "concession");
    size_t k;
    json_t *e;
    if (json_is_object(c)) {
        printf("  smallest concession that lets an outcome be decided: more than %.3f, by",
               json_real_value(json_object_get(c, "amount")));
        json_array_foreach(json_object_get(c, "parties"), k, e)
        {
            printf("%s %s (%s: reservation %.3f, gets %.3f)", k ? "," : "",
                   json_string_value(json_object_get(e, "party")),
                   json_string_value(json_object_get(e, "role")),
                   json_real_value(json_object_get(e, "reservation")),
                   json_real_value(json_object_get(e, "utility")));
        }
        printf("\n");
    }
    json_t *m = json_object_get(d, "margins");
    if (json_array_size(m)) {
        printf("  margins at the best deal:");
        json_array_foreach(m, k, e)
        {
            printf("%s %s %+.3f (%s)", k ? "," : "", json_string_value(json_object_get(e, "party")),
                   json_real_value(json_object_get(e, "margin")),
                   json_string_value(json_object_get(e, "role")));
        }
        printf("\n");
    }
}

/* The zone under the scenario's decision rule (docs/analysis.md#decision-rules). */
void cli_print_decision(json_t *d)
{
    if (!json_is_object(d))
        return;
    const char *rule = json_string_value(json_object_get(d, "rule"));
    printf("\nDecision rule: %s", rule);
    if (!strcmp(rule, "qualified-majority")) {
        printf(" (the accepting principals hold at least %.3g of the weight",
               json_real_value(json_object_get(d, "threshold")));
        if (json_array_size(json_object_get(d, "required"))) {
            printf(" and include ");
            names(json_object_get(d, "required"), ", ");
        }
        printf(")");
    }
    if (json_array_size(json_object_get(d, "ratifiers"))) {
        printf("; ratified by ");
        names(json_object_get(d, "ratifiers"), ", ");
    }
    printf("\n  deciders (needed by every winning set): ");
    if (json_array_size(json_object_get(d, "deciders")))
        names(json_object_get(d, "deciders"), ", ");
    else
        printf("none");
    printf("\n  zone under the rule at time %.2f: %s (",
           json_real_value(json_object_get(d, "time")),
           json_is_true(json_object_get(d, "empty")) ? "EMPTY" : "non-empty");
    print_count(json_object_get(d, "decided"));
    printf(" of ");
    print_count(json_object_get(d, "outcomes"));
    printf(" outcomes decided)\n");
    json_t *nash = json_object_get(d, "nash");
    if (json_is_object(nash)) {
        printf("  best deal under the rule (Nash point over the deciders), accepted by ");
        names(json_object_get(nash, "accepted_by"), ", ");
        printf(":\n");
        print_deal(nash, "    ");
    } else if (json_is_string(json_object_get(d, "no_point"))) {
        printf("  %s\n", json_string_value(json_object_get(d, "no_point")));
    }
    print_rule_margins(d);
}

/* The scenario's coalitions (docs/check.md#coalitions): check, analyze and evaluate. */
void cli_print_coalitions(json_t *d)
{
    if (!json_is_object(d))
        return;
    size_t k, j;
    json_t *c, *m;
    json_array_foreach(json_object_get(d, "coalitions"), k, c)
    {
        const char *rule = json_string_value(json_object_get(c, "rule"));
        printf("\nCoalition %s (%s; %s): members", json_string_value(json_object_get(c, "coalition")),
               !strcmp(rule, "unanimity") ? "unanimity: it accepts only what every member accepts"
                                          : "weighted: it accepts what its aggregated utility "
                                            "accepts",
               json_is_true(json_object_get(c, "bargains"))
                   ? "bargains as one (--coalitions as-one)"
                   : "its members bargain separately (--coalitions split)");
        json_array_foreach(json_object_get(c, "members"), j, m)
        {
            printf("%s %s (weight %.3g, reservation %.3f)", j ? "," : "",
                   json_string_value(json_object_get(m, "party")),
                   json_real_value(json_object_get(m, "weight")),
                   json_real_value(json_object_get(m, "reservation")));
        }
        printf("\n  aggregated reservation value %.3f\n",
               json_real_value(json_object_get(c, "reservation")));
        if (json_object_get(c, "acceptable")) {
            printf("  outcomes every member accepts at time %.2f: ",
                   json_real_value(json_object_get(d, "time")));
            print_count(json_object_get(c, "acceptable"));
            printf(" of ");
            print_count(json_object_get(c, "outcomes"));
            printf("%s\n", json_is_true(json_object_get(c, "internally_empty"))
                                ? " (INTERNALLY EMPTY: no position all members accept)"
                                : "");
        }
        json_t *split = json_object_get(c, "split");
        if (!json_is_array(split))
            continue;
        if (!json_array_size(split))
            printf("  split condition: every member stays with the deal\n");
        json_array_foreach(split, j, m)
        {
            printf("  %s would leave the coalition over the deal: %s\n",
                   json_string_value(json_object_get(m, "party")),
                   json_string_value(json_object_get(m, "reason")));
        }
    }
}

static void print_guarantees(json_t *g)
{
    size_t k, f;
    json_t *v, *form;
    json_array_foreach(g, k, v)
    {
        printf("\nGuarantee '%s' given by %s to ", json_string_value(json_object_get(v, "id")),
               json_string_value(json_object_get(v, "giver")));
        names(json_object_get(v, "beneficiaries"), ", ");
        printf(" (issue %s); value of each form:\n",
               json_string_value(json_object_get(v, "issue")));
        json_array_foreach(json_object_get(v, "forms"), f, form)
        {
            printf("  %-14s", json_string_value(json_object_get(form, "form")));
            const char *key;
            json_t *x;
            json_object_foreach(json_object_get(form, "value"), key, x)
            {
                printf(" %s %.3f", key, json_real_value(x));
            }
            printf("\n");
        }
    }
}

static int parse_common(const char *cmd, int argc, char **argv, int *i, truce_check_options *o,
                        int *json)
{
    const char *v;
    double d;
    if (!strcmp(argv[*i], "--json")) {
        *json = 1;
        return 1;
    }
    if ((v = cli_option_value(argc, argv, i, "--time"))) {
        if (cli_parse_double(v, &d) || d < 0 || d > 1)
            return -cli_usage(cmd, "--time needs a relative time in [0, 1], not '%s'", v);
        o->time = d;
        return 1;
    }
    if (!strcmp(argv[*i], "--no-margins")) {
        o->margins = 0;
        return 1;
    }
    if ((v = cli_option_value(argc, argv, i, "--max-outcomes"))) {
        if (cli_parse_double(v, &d) || d < 1)
            return -cli_usage(cmd, "--max-outcomes needs a number >= 1, not '%s'", v);
        o->max_outcomes = d;
        return 1;
    }
    if ((v = cli_option_value(argc, argv, i, "--max-nodes"))) {
        if (cli_parse_double(v, &d) || d < 1)
            return -cli_usage(cmd, "--max-nodes needs a number >= 1, not '%s'", v);
        o->max_nodes = d;
        return 1;
    }
    if ((v = cli_option_value(argc, argv, i, "--max-work"))) {
        if (cli_parse_double(v, &d) || d < 1)
            return -cli_usage(cmd, "--max-work needs a number >= 1, not '%s'", v);
        o->max_work = d;
        return 1;
    }
    return 0;
}

int cmd_check(int argc, char **argv)
{
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    int json = 0;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n_paths = 0;
    if (!paths)
        return cli_fail("check", "out of memory");
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: truce check [--json] [--time T] [--max-outcomes N] [--max-nodes N]\n"
                   "                   [--max-work N] [--no-margins] SCENARIO\n\n"
                   "Validate a scenario and report on its model: the channel graph (who can\n"
                   "reach whom, directly or through whom, and which protocols are feasible),\n"
                   "deadlocks in the agenda preconditions with the parties behind each demand\n"
                   "and the ways out, the zone of agreement among the principals under their\n"
                   "hard conditions and reservation values at time T (default 0) and, when it\n"
                   "is empty, the smallest relaxations that open it with the best deal each\n"
                   "allows, and how each guarantee is valued by giver and beneficiaries.\n"
                   "The zone's margin: the smallest change of one bargainer's number (weight,\n"
                   "value, reservation value) that would open or close it (--no-margins: skip;\n"
                   "docs/robustness.md#margins). --max-nodes and --max-work bound the exact\n"
                   "analysis behind the zone as in truce analyze (defaults 5e7 and 2e9).\n\n"
                   "Exit status: 0 valid scenario (findings are reported, not errors),\n"
                   "1 invalid scenario or too large to check, 2 bad usage.\n");
            free(paths);
            return EXIT_OK;
        }
        int r = parse_common("check", argc, argv, &i, &o, &json);
        if (r < 0) {
            free(paths);
            return -r;
        }
        if (r)
            continue;
        if (argv[i][0] == '-' && argv[i][1]) {
            free(paths);
            return cli_usage("check", "unknown option '%s'", argv[i]);
        }
        paths[n_paths++] = argv[i];
    }
    truce_scenario *s = NULL;
    int rc = cli_load_scenario("check", &s, paths, n_paths, &lo);
    free(paths);
    if (rc)
        return rc;
    char *report = NULL;
    truce_error err;
    if (truce_check(&report, s, &o, &err)) {
        truce_scenario_free(s);
        return cli_fail_error("check", &err);
    }
    if (json) {
        puts(report);
    } else {
        json_t *doc = json_loads(report, 0, NULL);
        printf("Scenario %s: valid\n\n", truce_scenario_name(s));
        print_channels(json_object_get(doc, "channels"));
        print_agenda(json_object_get(doc, "agenda"));
        print_zone(json_object_get(doc, "zone"));
        cli_print_decision(json_object_get(doc, "decision"));
        cli_print_coalitions(json_object_get(doc, "coalitions"));
        print_guarantees(json_object_get(doc, "guarantees"));
        json_decref(doc);
    }
    truce_free(report);
    truce_scenario_free(s);
    return cli_flush_stdout() == 0 ? EXIT_OK : EXIT_INPUT;
}

int cmd_advise(int argc, char **argv)
{
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    int json = 0;
    const char *who = NULL, *others = NULL;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n_paths = 0;
    if (!paths)
        return cli_fail("advise", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: truce advise --party A --acceptable-to B[,C...] [--json] [--time T]\n"
                   "                    [--thin-margin M] [--no-margins] SCENARIO\n\n"
                   "How A can align its demands to win B's support: the outcome best for A\n"
                   "among the feasible ones (no principal's hard condition broken) that every\n"
                   "named party would accept (within its hard conditions and strictly above\n"
                   "its reservation value at time T, default 0), clause by clause against A's\n"
                   "ideal demand, with what each change is worth to each party, every named\n"
                   "party's and A's own reservation value (BATNA) and the margin by which the\n"
                   "advice clears it. Margins below M (default 0.05) are flagged as thin: the\n"
                   "numbers of a model are guesses, and a small error could turn the deal down.\n"
                   "Each margin comes with the smallest change of one of the party's own numbers\n"
                   "that would flip it (--no-margins: skip; docs/robustness.md#margins).\n"
                   "\nExit status: 0 advice given or shown impossible, 1 bad input, 2 bad usage.\n");
            free(paths);
            return EXIT_OK;
        }
        int r = parse_common("advise", argc, argv, &i, &o, &json);
        if (r < 0) {
            free(paths);
            return -r;
        }
        if (r)
            continue;
        if ((v = cli_option_value(argc, argv, &i, "--party"))) {
            who = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--thin-margin"))) {
            double d;
            if (cli_parse_double(v, &d) || d < 0 || d > 1) {
                free(paths);
                return cli_usage("advise", "--thin-margin needs a number in [0, 1], not '%s'", v);
            }
            o.thin_margin = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--acceptable-to"))) {
            others = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(paths);
            return cli_usage("advise", "unknown option '%s'", argv[i]);
        } else {
            paths[n_paths++] = argv[i];
        }
    }
    if (!who || !*who || !others || !*others) {
        free(paths);
        return cli_usage("advise", "--party and --acceptable-to are required");
    }
    truce_scenario *s = NULL;
    int rc = cli_load_scenario("advise", &s, paths, n_paths, &lo);
    free(paths);
    if (rc)
        return rc;
    int a = truce_party_find(s, who);
    size_t acc[256], n_acc = 0;
    char *list = strdup(others);
    rc = a < 0 ? cli_usage("advise", "unknown party '%s'", who) : 0;
    for (char *tok = list; rc == 0 && tok;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        int b = truce_party_find(s, tok);
        if (b < 0)
            rc = cli_usage("advise", "unknown party '%s' in --acceptable-to", tok);
        else if (n_acc < 256)
            acc[n_acc++] = (size_t)b;
        tok = comma ? comma + 1 : NULL;
    }
    free(list);
    char *report = NULL;
    truce_error err;
    if (rc == 0 && truce_advise(&report, s, (size_t)a, acc, n_acc, &o, &err))
        rc = err.code == TRUCE_EINVAL ? cli_usage("advise", "%s", err.message)
                                      : cli_fail_error("advise", &err);
    if (rc == 0 && json) {
        puts(report);
    } else if (rc == 0) {
        json_t *doc = json_loads(report, 0, NULL);
        printf("Advice for %s: its best deal among feasible outcomes that ", who);
        names(json_object_get(doc, "acceptable_to"), ", ");
        printf(" would accept (time %.2f)\n", o.time);
        printf("  (criterion: %s's utility, then the others' summed utility; feasible: no "
               "principal's hard condition broken)\n\n",
               who);
        json_t *adv = json_object_get(doc, "advice");
        if (json_is_null(adv)) {
            printf("NONE: no feasible outcome is acceptable to all of them at once.\n");
            size_t k;
            json_t *v;
            json_array_foreach(json_object_get(doc, "why"), k, v)
            {
                json_t *best = json_object_get(v, "best_possible");
                if (json_is_null(best))
                    printf("  %s: no feasible outcome respects its own hard conditions\n",
                           json_string_value(json_object_get(v, "party")));
                else
                    printf("  %s needs more than %.3f; among feasible outcomes within its hard "
                           "conditions the most it can get is %.3f\n",
                           json_string_value(json_object_get(v, "party")),
                           json_real_value(json_object_get(v, "reservation")),
                           json_real_value(best));
            }
        } else {
            printf("  %-20s %-28s %-28s\n", "clause", "ideal demand", "aligned demand");
            size_t k;
            json_t *c;
            json_array_foreach(json_object_get(adv, "clauses"), k, c)
            {
                int changed = json_is_true(json_object_get(c, "changed"));
                printf("%s %-20s %-28s %-28s\n", changed ? "*" : " ",
                       json_string_value(json_object_get(c, "issue")),
                       json_string_value(json_object_get(c, "ideal")),
                       changed ? json_string_value(json_object_get(c, "advised")) : "(keep)");
            }
            printf("\n  %-12s %10s %10s %12s %10s\n", "party", "ideal", "aligned", "reservation",
                   "margin");
            const char *key;
            json_t *u;
            json_object_foreach(json_object_get(adv, "utilities"), key, u)
            {
                json_t *iu = json_object_get(
                    json_object_get(json_object_get(doc, "ideal"), "utilities"), key);
                printf("  %-12s %10.3f %10.3f", key, json_real_value(iu), json_real_value(u));
                json_t *m;
                json_array_foreach(json_object_get(doc, "margins"), k, m)
                {
                    if (strcmp(json_string_value(json_object_get(m, "party")), key))
                        continue;
                    double margin = json_real_value(json_object_get(m, "margin"));
                    printf(" %12.3f %+10.3f%s", json_real_value(json_object_get(m, "reservation")),
                           margin,
                           margin <= 0                                ? "  BELOW ITS BATNA"
                           : json_is_true(json_object_get(m, "thin")) ? "  THIN"
                                                                      : "");
                }
                printf("\n");
            }
        }
        if (!json_is_null(adv))
            cli_print_party_flips(json_object_get(doc, "margins"), "flips");
        size_t k;
        json_t *w;
        json_array_foreach(json_object_get(doc, "warnings"), k, w)
        {
            printf("%sWARNING: %s\n", k ? "" : "\n", json_string_value(w));
        }
        json_decref(doc);
    }
    truce_free(report);
    truce_scenario_free(s);
    return rc;
}

/* 1 when a native scenario file declares an agenda, preconditions,
 * phases, guarantees, influence or the length of the talks in days
 * (top-level keys): the public API does not expose them, and GENIUS cannot
 * hold them. */
static int declares_relations(const char *path)
{
    static const char *const keys[] = {"agenda:",     "preconditions:", "guarantees:",
                                       "influence:",  "phases:",        "days:"};
    size_t n = strlen(path);
    if (!((n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml"))))
        return 0;
    FILE *f = fopen(path, "r");
    char line[256];
    int found = 0;
    while (f && !found && fgets(line, sizeof line, f))
        for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !found; k++)
            found = !strncmp(line, keys[k], strlen(keys[k]));
    if (f)
        fclose(f);
    return found;
}

/* A file name from a scenario's or party's name: letters, digits, '_', '-' and '.' are kept,
 * anything else ('/' among them) becomes '-', leading dots and dashes go (no "..", no hidden
 * files), at most 80 bytes; `fallback` when nothing is left. Names are not paths: a YAML party
 * id "../../x" made convert write outside the folder. */
static void slug(char *out, size_t size, const char *name, const char *fallback)
{
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)name; *c && n + 1 < size && n < 80; c++) {
        char k = (isalnum(*c) || *c == '_' || *c == '.') && *c < 0x80 ? (char)*c : '-';
        if (n == 0 && (k == '.' || k == '-'))
            continue;
        if (k == '-' && n > 0 && out[n - 1] == '-')
            continue;
        out[n++] = k;
    }
    out[n] = '\0';
    if (n == 0)
        snprintf(out, size, "%s", fallback);
}

/* Whether `name` (a file name) is among the first n of names. */
static int taken(char **names, size_t n, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (names[k] && !strcmp(strrchr(names[k], '/') + 1, name))
            return 1;
    return 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* What a GENIUS or GeniusWeb folder cannot hold, said after writing it. */
static void note_dropped(const truce_scenario *s, int relations, const char *format)
{
    size_t np = truce_scenario_party_count(s);
    int dropped = relations;
    for (size_t p = 0; p < np; p++) {
        dropped |= truce_party_role(s, p) != TRUCE_ROLE_PRINCIPAL ||
                   truce_party_hard_condition_count(s, p) > 0 || truce_party_power(s, p) != 1 ||
                   truce_party_ratifier(s, p);
        for (int t = 1; t <= 20; t++)
            dropped |= truce_party_reservation_at(s, p, t / 20.0) != truce_party_reservation(s, p);
    }
    for (size_t a = 0; a < np; a++)
        for (size_t b = a + 1; b < np; b++)
            dropped |= !truce_channel(s, a, b);
    if (truce_scenario_constraint_count(s) || truce_scenario_attribute_count(s))
        printf("note: the scenario's %zu constraint%s and its option attributes "
               "(docs/scenario-format.md#constraint-expressions) have no %s form and were left "
               "out: agents reading these files may agree to outcomes they forbid\n",
               truce_scenario_constraint_count(s),
               truce_scenario_constraint_count(s) == 1 ? "" : "s", format);
    dropped |= truce_scenario_decision_rule(s) != TRUCE_DECISION_UNANIMITY;
    if (dropped)
        printf("note: roles, bargaining powers, the decision rule, hard conditions, channels "
               "(and their time windows), the agenda, preconditions and phases, guarantees, "
               "influence and changes of reservation values over time have no %s form and were "
               "left out (each profile keeps the reservation value at time 0)\n",
               format);
}

/* The folder form: GENIUS XML or GeniusWeb JSON, one file per party and the domain. */
static int convert_folder(const truce_scenario *s, const char *output, int geniusweb, int relations)
{
    if (!is_dir(output) && mkdir(output, 0777) != 0)
        return cli_fail("convert", "%s: cannot create the folder", output);
    const char *ext = geniusweb ? "json" : "xml";
    size_t np = truce_scenario_party_count(s);
    /* the domain first, then the profiles; a name already taken gets -2, -3, ... */
    char **files = calloc(np + 1, sizeof *files);
    char **profiles = files ? files + 1 : NULL;
    const char *tag = geniusweb ? "" : "_domain";
    char base[96], name[128];
    slug(base, sizeof base, truce_scenario_name(s), "scenario");
    for (size_t p = 0; files && p <= np; p++) {
        if (p > 0)
            slug(base, sizeof base, truce_party_name(s, p - 1), "party");
        snprintf(name, sizeof name, "%s%s.%s", base, p == 0 ? tag : "", ext);
        for (int k = 2; taken(files, p, name); k++)
            snprintf(name, sizeof name, "%s%s-%d.%s", base, p == 0 ? tag : "", k, ext);
        if ((files[p] = malloc(strlen(output) + strlen(name) + 2)))
            sprintf(files[p], "%s/%s", output, name);
    }
    int ok = files != NULL;
    for (size_t p = 0; ok && p <= np; p++)
        ok = files[p] != NULL;
    const char *domain = ok ? files[0] : "";
    truce_error err;
    int rc = EXIT_OK;
    if (!ok)
        rc = cli_fail("convert", "out of memory");
    else if (geniusweb
                 ? truce_scenario_save_geniusweb(s, domain, (const char *const *)profiles, np, &err)
                 : truce_scenario_save_genius(s, domain, (const char *const *)profiles, np, &err))
        rc = cli_fail("convert", "%s", err.message);
    if (rc == EXIT_OK) {
        printf("wrote %s and %zu profiles in %s\n", domain, np, output);
        note_dropped(s, relations, geniusweb ? "GeniusWeb" : "GENIUS");
        if (truce_scenario_uncertain_count(s))
            printf("note: %zu uncertain numbers (intervals, distributions, credibilities of "
                   "hard conditions) were written at their central values: %s has no form "
                   "for uncertainty\n",
                   truce_scenario_uncertain_count(s), geniusweb ? "GeniusWeb" : "GENIUS");
        /* what the written files hold, read back: GeniusWeb has no discount factor, and a
         * reservation value only as a bid worth it */
        truce_scenario *back = NULL;
        truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
        lo.legacy = 1;
        lo.real_steps = 1000000;
        if (geniusweb && truce_scenario_load_geniusweb(&back, domain, (const char *const *)profiles,
                                                       np, &lo, &err) == 0) {
            for (size_t p = 0; p < np; p++) {
                if (truce_party_discount(s, p) != truce_party_discount(back, p))
                    printf("note: party '%s': GeniusWeb has no discount factor; %g was left "
                           "out\n",
                           truce_party_name(s, p), truce_party_discount(s, p));
                if (truce_party_reservation(s, p) != truce_party_reservation(back, p))
                    printf("note: party '%s': no outcome is worth the reservation value %.17g "
                           "exactly; the reservation bid is worth %.17g\n",
                           truce_party_name(s, p), truce_party_reservation(s, p),
                           truce_party_reservation(back, p));
            }
        }
        truce_scenario_free(back);
        /* GENIUS readers discretise real issues their own way (truce: 11 points) */
        for (size_t i = 0; !geniusweb && i < truce_scenario_issue_count(s); i++)
            if (truce_issue_kind_of(s, i) == TRUCE_ISSUE_REAL &&
                truce_issue_option_count(s, i) != 11)
                printf("note: issue '%s' keeps its range but not its %u steps\n",
                       truce_issue_name(s, i), truce_issue_option_count(s, i));
    }
    for (size_t p = 0; files && p <= np; p++)
        free(files[p]);
    free(files);
    return rc;
}

int cmd_convert(int argc, char **argv)
{
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    const char *output = NULL, *format = NULL;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n_paths = 0;
    if (!paths)
        return cli_fail("convert", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: truce convert SCENARIO -o OUTPUT [--format yaml|genius|geniusweb]\n\n"
                   "Convert between GENIUS XML, GeniusWeb JSON and the native YAML formats\n"
                   "(docs/formats.md). SCENARIO is a native .yaml file, a GENIUS or GeniusWeb\n"
                   "folder, or a domain file followed by its profile files (.xml or .json).\n"
                   "OUTPUT ending in .yaml or .yml is written as a native scenario; any other\n"
                   "OUTPUT is a folder that receives a domain and one profile per party: GENIUS\n"
                   "XML, or GeniusWeb JSON with --format geniusweb. Every outcome keeps its\n"
                   "utilities bit for bit: a numeric issue the target cannot express exactly\n"
                   "is written as a discrete issue of its values. What the target has no form\n"
                   "for (roles, hard conditions, channels, agenda, guarantees, influence; in\n"
                   "GeniusWeb discount factors, and reservation values no outcome is worth)\n"
                   "is left out or approximated, and the command says so.\n"
                   "\n"
                   "Options:\n"
                   "  -o, --output PATH   the file or folder to write (required)\n"
                   "  --format F          yaml, genius or geniusweb (default: yaml for a .yaml\n"
                   "                      or .yml OUTPUT, else genius)\n"
                   "  --legacy            read GENIUS's pre-10 formats (any command)\n");
            free(paths);
            return EXIT_OK;
        }
        if ((v = cli_option_value(argc, argv, &i, "-o")) ||
            (v = cli_option_value(argc, argv, &i, "--output"))) {
            output = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--format"))) {
            if (strcmp(v, "yaml") && strcmp(v, "genius") && strcmp(v, "geniusweb")) {
                free(paths);
                return cli_usage("convert", "--format needs yaml, genius or geniusweb, not '%s'",
                                 v);
            }
            format = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(paths);
            return cli_usage("convert", "unknown option '%s'", argv[i]);
        } else {
            paths[n_paths++] = argv[i];
        }
    }
    if (!output || !*output) {
        free(paths);
        return cli_usage("convert", "-o OUTPUT is required");
    }
    size_t len = strlen(output);
    int yaml_name = (len > 5 && !strcmp(output + len - 5, ".yaml")) ||
                    (len > 4 && !strcmp(output + len - 4, ".yml"));
    if (!format)
        format = yaml_name ? "yaml" : "genius";
    if ((strcmp(format, "yaml") == 0) != yaml_name) {
        free(paths);
        return cli_usage("convert", "--format %s writes %s, so OUTPUT %s end in .yaml or .yml",
                         format, yaml_name ? "a folder" : "one file",
                         yaml_name ? "must not" : "must");
    }
    truce_scenario *s = NULL;
    int rc = cli_load_scenario("convert", &s, paths, n_paths, &lo);
    int relations = rc == 0 && n_paths == 1 && declares_relations(paths[0]);
    free(paths);
    if (rc)
        return rc;
    truce_error err;
    if (yaml_name) {
        if (truce_scenario_save_yaml(s, output, &err))
            rc = cli_fail("convert", "%s", err.message);
        else
            printf("wrote %s\n", output);
    } else {
        rc = convert_folder(s, output, !strcmp(format, "geniusweb"), relations);
    }
    truce_scenario_free(s);
    return rc;
}
