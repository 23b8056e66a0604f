/* evaluate.c: `truce evaluate`: score a given deal (the one history reached,
 * a draft on the table) against the model, readable or as JSON. */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce evaluate --outcome ISSUE=OPTION[,ISSUE=OPTION...] [OPTIONS] SCENARIO\n"
           "       truce evaluate --outcome-file FILE [OPTIONS] SCENARIO\n"
           "\n"
           "Score one deal: each party's utility, reservation value (BATNA) at time T and\n"
           "the margin by which the deal clears it, the hard conditions it breaks, whether\n"
           "it is feasible (no principal's hard condition broken), individually rational\n"
           "(also above every principal's reservation value) and Pareto-optimal among\n"
           "feasible outcomes (else a feasible deal that is better for every principal),\n"
           "and how far it lies from the Nash and Kalai-Smorodinsky points (Euclidean\n"
           "distance over the principals' utilities). The definitions are those of\n"
           "'truce analyze' and 'truce check' (docs/analysis.md).\n"
           "\n"
           "Options:\n"
           "  --outcome TEXT       the deal: one option for every issue, as issue=option\n"
           "                       pairs separated by commas\n"
           "  --outcome-file FILE  the deal from a file: issue=option pairs, one a line or\n"
           "                       separated by commas; '#' starts a comment\n"
           "  --json               print one JSON object (docs/check.md)\n"
           "  --time T             relative time in [0, 1] at which reservation values are\n"
           "                       read (default 0)\n"
           "  --thin-margin M      flag margins below M (default 0.05)\n"
           "  --max-outcomes N     largest space analysed by enumeration (default 2e7)\n"
           "  --max-nodes N        branch-and-bound nodes before exact analysis gives up\n"
           "                       (default 5e7)\n"
           "  --max-work N         work of the exact analysis of three or more bargainers\n"
           "                       before it gives up (default 2e9)\n"
           "  --no-margins         skip the smallest change of one number that flips whether\n"
           "                       each party accepts (docs/robustness.md#margins)\n"
           "  -h, --help           show this help\n"
           "\n"
           "Exit status: 0 scored (a deal breaking a hard condition is a finding, not an\n"
           "error), 1 bad input (unknown issue or option, missing issue), 2 bad usage.\n");
}

/* The whole file as a string (malloc'd), or NULL with errno set. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
        if (len + 1 == cap) {
            char *grown = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static void print_text(const truce_scenario *s, json_t *doc)
{
    char text[8192];
    printf("Deal on %s (time %.2f):\n", truce_scenario_name(s),
           json_real_value(json_object_get(doc, "time")));
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(doc, "outcome"), key, v)
    {
        printf("  %-20s %s\n", key, json_string_value(v));
    }
    int feasible = json_is_true(json_object_get(doc, "feasible"));
    printf("\n  %-14s %-12s %9s %12s %9s\n", "party", "role", "utility", "reservation", "margin");
    size_t k;
    json_array_foreach(json_object_get(doc, "parties"), k, v)
    {
        double margin = json_real_value(json_object_get(v, "margin"));
        int bargains = json_is_true(json_object_get(v, "bargainer"));
        printf("  %-14s %-12s %9.3f %12.3f %+9.3f%s\n",
               json_string_value(json_object_get(v, "party")),
               json_string_value(json_object_get(v, "role")),
               json_real_value(json_object_get(v, "utility")),
               json_real_value(json_object_get(v, "reservation")), margin,
               !bargains                                  ? ""
               : margin <= 0                              ? "  BELOW ITS BATNA"
               : json_is_true(json_object_get(v, "thin")) ? "  THIN"
                                                          : "");
    }
    json_t *broken = json_object_get(doc, "broken");
    printf("\n");
    if (json_array_size(broken) == 0)
        printf("Hard conditions: none broken\n");
    json_array_foreach(broken, k, v)
    {
        const char *expression = json_string_value(json_object_get(v, "expression"));
        if (json_object_get(v, "constraint")) {
            printf("Breaks the scenario constraint '%s' (%s): no party can agree to it\n",
                   json_string_value(json_object_get(v, "id")), expression);
            continue;
        }
        if (expression)
            printf("Breaks %s's hard condition '%s' (%s): %s%s\n",
                   json_string_value(json_object_get(v, "party")),
                   json_string_value(json_object_get(v, "id")), expression,
                   json_string_value(json_object_get(v, "label")),
                   json_is_true(json_object_get(v, "bargainer")) ? ", vetoed"
                                                                 : " (not a principal: no veto)");
        else
            printf("Breaks %s's hard condition '%s' (%s)%s\n",
                   json_string_value(json_object_get(v, "party")),
                   json_string_value(json_object_get(v, "id")),
                   json_string_value(json_object_get(v, "label")),
                   json_is_true(json_object_get(v, "bargainer")) ? ": vetoed"
                                                                 : " (not a principal: no veto)");
    }
    printf("Feasible: %s; individually rational: %s; Pareto-optimal among feasible outcomes: "
           "%s\n",
           feasible ? "yes" : "NO",
           json_is_true(json_object_get(doc, "individually_rational")) ? "yes" : "NO",
           json_is_true(json_object_get(doc, "pareto_optimal")) ? "yes"
           : feasible                                           ? "NO"
                                                                : "no (infeasible)");
    json_t *dom = json_object_get(doc, "dominated_by");
    if (!json_is_null(dom)) {
        printf("  a feasible deal better for every principal:\n");
        json_object_foreach(json_object_get(dom, "outcome"), key, v)
        {
            printf("    %-20s %s\n", key, json_string_value(v));
        }
        printf("    utilities:");
        json_object_foreach(json_object_get(dom, "utilities"), key, v)
        {
            printf(" %s %.3f", key, json_real_value(v));
        }
        printf("\n");
    }
    static const char *const points[] = {"nash", "kalai_smorodinsky"};
    static const char *const labels[] = {"Nash point", "Kalai-Smorodinsky point"};
    for (int w = 0; w < 2; w++) {
        json_t *p = json_object_get(doc, points[w]);
        if (json_is_null(p)) {
            printf("%s: none (the zone of agreement is empty)\n", labels[w]);
            continue;
        }
        text[0] = '\0';
        size_t used = 0;
        json_object_foreach(json_object_get(p, "outcome"), key, v)
        {
            used += (size_t)snprintf(text + used, used < sizeof text ? sizeof text - used : 0,
                                     "%s%s=%s", used ? ", " : "", key, json_string_value(v));
        }
        printf("%s: distance %.3f (over the principals' utilities)\n  %s\n", labels[w],
               json_real_value(json_object_get(p, "distance")), text);
    }
    cli_print_party_flips(json_object_get(doc, "parties"), "flips");
    json_t *d = json_object_get(doc, "decision");
    if (json_is_object(d)) {
        /* docs/scenario-format.md#decision-rules */
        static const char *const lists[] = {"accepted_by", "refused_by", "ratified_by",
                                            "not_ratified_by"};
        static const char *const words[] = {"accepted by", "refused by", "ratified by",
                                            "not ratified by"};
        printf("\nUnder the decision rule (%s): %s", json_string_value(json_object_get(d, "rule")),
               json_is_true(json_object_get(d, "decided")) ? "DECIDED" : "NOT decided");
        for (int l = 0; l < 4; l++) {
            json_t *names = json_object_get(d, lists[l]);
            if (!json_array_size(names))
                continue;
            printf("; %s", words[l]);
            json_array_foreach(names, k, v)
            {
                printf("%s %s", k ? "," : "", json_string_value(v));
            }
        }
        printf("\n");
    }
    cli_print_coalitions(json_object_get(doc, "coalitions"));
    json_array_foreach(json_object_get(doc, "warnings"), k, v)
    {
        printf("%sWARNING: %s\n", k ? "" : "\n", json_string_value(v));
    }
}

int cmd_evaluate(int argc, char **argv)
{
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    int json = 0;
    const char *text = NULL, *file = NULL;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n_paths = 0;
    if (!paths)
        return cli_fail("evaluate", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *v;
        double d;
        int bad = 0;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            free(paths);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--outcome"))) {
            text = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--outcome-file"))) {
            file = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--time"))) {
            if ((bad = cli_parse_double(v, &d) || d < 0 || d > 1))
                cli_usage("evaluate", "--time needs a relative time in [0, 1], not '%s'", v);
            o.time = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--thin-margin"))) {
            if ((bad = cli_parse_double(v, &d) || d < 0 || d > 1))
                cli_usage("evaluate", "--thin-margin needs a number in [0, 1], not '%s'", v);
            o.thin_margin = d;
        } else if (!strcmp(argv[i], "--no-margins")) {
            o.margins = 0;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-outcomes"))) {
            if ((bad = cli_parse_double(v, &d) || d < 1))
                cli_usage("evaluate", "--max-outcomes needs a number >= 1, not '%s'", v);
            o.max_outcomes = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-nodes"))) {
            if ((bad = cli_parse_double(v, &d) || d < 1))
                cli_usage("evaluate", "--max-nodes needs a number >= 1, not '%s'", v);
            o.max_nodes = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-work"))) {
            if ((bad = cli_parse_double(v, &d) || d < 1))
                cli_usage("evaluate", "--max-work needs a number >= 1, not '%s'", v);
            o.max_work = d;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            bad = 1;
            cli_usage("evaluate", "unknown option '%s'", argv[i]);
        } else {
            paths[n_paths++] = argv[i];
        }
        if (bad) {
            free(paths);
            return EXIT_USAGE;
        }
    }
    if ((!text || !*text) == (!file || !*file)) {
        free(paths);
        return cli_usage("evaluate", "give the deal with --outcome or --outcome-file (one)");
    }
    truce_scenario *s = NULL;
    int rc = cli_load_scenario("evaluate", &s, paths, n_paths, &lo);
    free(paths);
    if (rc)
        return rc;
    char *owned = NULL;
    if (file && !(owned = read_text(file))) {
        truce_scenario_free(s);
        return cli_fail("evaluate", "%s: cannot read the outcome file", file);
    }
    size_t ni = truce_scenario_issue_count(s);
    uint32_t *outcome = calloc(ni ? ni : 1, sizeof *outcome);
    char *report = NULL;
    truce_error err;
    if (!outcome)
        rc = cli_fail("evaluate", "out of memory");
    else if (truce_outcome_parse(s, owned ? owned : text, file, outcome, &err) ||
             truce_evaluate(&report, s, outcome, &o, &err))
        rc = cli_fail_error("evaluate", &err);
    if (rc == 0 && json) {
        rc = cli_print_json(json_loads(report, 0, NULL));
    } else if (rc == 0) {
        json_t *doc = json_loads(report, 0, NULL);
        print_text(s, doc);
        json_decref(doc);
        rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_INPUT;
    }
    truce_free(report);
    free(outcome);
    free(owned);
    truce_scenario_free(s);
    return rc;
}
