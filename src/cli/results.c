/* results.c: `truce results DB`: a tournament database's statistics as text
 * tables (agents ranked by mean utility, scenarios, head to head), as JSON,
 * or one table as CSV. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "tournament_cli.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce results [OPTIONS] DATABASE\n"
           "\n"
           "Statistics of a tournament results database (from 'truce tournament'). The\n"
           "unit of every interval and test is the cell: a scenario, a matchup and a\n"
           "seat, its repetitions averaged. Per agent: mean utility with its 95%%\n"
           "confidence interval (Student's t over cells), agreement and deadline rates,\n"
           "welfare, distances to the Pareto frontier and the Nash point, faults, and the\n"
           "ranks the pairwise tests allow; pairwise Wilcoxon signed-rank tests on paired\n"
           "cells with Holm's correction; per scenario; head to head; agent x scenario\n"
           "(docs/results.md). A database still being filled can be read at any time.\n"
           "\n"
           "Options:\n"
           "  --json          all statistics as one JSON document (docs/results.md)\n"
           "  --csv TABLE     one table as CSV: agents, scenarios, head-to-head,\n"
           "                  agent-scenario, pairwise, or negotiations (one row per\n"
           "                  negotiation and seat)\n"
           "  -o FILE         write the output to FILE instead of stdout\n"
           "  -h, --help      show this help\n"
           "\n"
           "Exit status: 0 success, 1 bad input, 2 bad usage.\n");
}

static const char *text_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "?";
}

static double number(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static double mean_of(json_t *o, const char *key)
{
    return number(json_object_get(json_object_get(o, key), "mean"));
}

static double ci_of(json_t *o, const char *key, size_t side)
{
    return number(json_array_get(json_object_get(json_object_get(o, key), "ci95"), side));
}

static long long count_of(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static void cell(double v, int width)
{
    if (isfinite(v))
        printf(" %*.3f", width, v);
    else
        printf(" %*s", width, "-");
}

/* Width of the longest name (at least `least`): names are never cut. */
static int name_width(json_t *names, int least)
{
    size_t i, w = (size_t)least;
    json_t *v;
    json_array_foreach(names, i, v)
    {
        const char *s = json_string_value(v);
        if (s && strlen(s) > w)
            w = strlen(s);
    }
    return w > 200 ? 200 : (int)w;
}

/* The agents' indices in rank order (ranked agents first, by rank; then the rest). */
static size_t *rank_order(json_t *agents, size_t n)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return NULL;
    size_t k = 0;
    for (size_t r = 1; r <= n; r++)
        for (size_t i = 0; i < n; i++)
            if (count_of(json_array_get(agents, i), "rank") == (long long)r)
                order[k++] = i;
    for (size_t i = 0; i < n; i++)
        if (!json_is_integer(json_object_get(json_array_get(agents, i), "rank")))
            order[k++] = i;
    return order;
}

static void agents_table(json_t *stats, const size_t *order)
{
    json_t *rows = json_object_get(stats, "agents");
    size_t n = json_array_size(rows);
    json_t *names = json_object_get(json_object_get(stats, "head_to_head"), "agents");
    int w = name_width(names, 5);
    printf("Agents, ranked by mean utility. Unit: the cell (scenario x matchup x seat, its\n"
           "repetitions averaged); 95%% confidence interval: Student's t over cells. 'ranks':\n"
           "the ranks the pairwise tests below allow.\n");
    printf("  %-4s %-6s %-*s %6s %7s %8s %17s %6s %8s %8s %7s %7s %6s\n", "rank", "ranks", w,
           "agent", "cells", "negot.", "utility", "ci95", "agree", "deadline", "welfare",
           "pareto", "nash", "faults");
    for (size_t r = 0; r < n; r++) {
        json_t *a = json_array_get(rows, order[r]);
        json_t *range = json_object_get(a, "rank_range");
        char rank[24] = "-", ranks[48] = "-";
        if (json_is_integer(json_object_get(a, "rank"))) {
            long long lo = (long long)json_integer_value(json_array_get(range, 0)),
                      hi = (long long)json_integer_value(json_array_get(range, 1));
            snprintf(rank, sizeof rank, "%lld", count_of(a, "rank"));
            if (lo == hi)
                snprintf(ranks, sizeof ranks, "%lld", lo);
            else
                snprintf(ranks, sizeof ranks, "%lld-%lld", lo, hi);
        }
        printf("  %-4s %-6s %-*s %6lld %7lld", rank, ranks, w, text_of(a, "agent"),
               count_of(a, "cells"), count_of(a, "negotiations"));
        cell(mean_of(a, "utility"), 8);
        double lo = ci_of(a, "utility", 0), hi = ci_of(a, "utility", 1);
        if (isfinite(lo))
            printf(" [%6.3f, %6.3f]", lo, hi);
        else
            printf(" %17s", "-");
        cell(number(json_object_get(a, "agreement_rate")), 6);
        cell(number(json_object_get(a, "deadline_rate")), 8);
        cell(mean_of(a, "welfare"), 8);
        cell(mean_of(a, "pareto_distance"), 7);
        cell(mean_of(a, "nash_distance"), 7);
        printf(" %6lld\n", count_of(a, "faults"));
    }
}

static void pairwise_table(json_t *stats)
{
    json_t *pw = json_object_get(stats, "pairwise");
    json_t *pairs = json_object_get(pw, "pairs");
    if (json_is_true(json_object_get(pw, "skipped")) || json_array_size(pairs) == 0)
        return;
    json_t *names = json_object_get(json_object_get(stats, "head_to_head"), "agents");
    int w = name_width(names, 7);
    printf("\nPairwise differences: Wilcoxon signed-rank test on paired cells (same scenario,\n"
           "seat and other agents), p-values Holm-corrected over all %zu pairs; significant:\n"
           "p(Holm) < 0.05. Overlapping confidence intervals are not such a test.\n",
           json_array_size(pairs));
    printf("  %-*s %-*s %6s %9s %9s %9s  %s\n", w, "agent a", w, "agent b", "pairs", "mean a-b",
           "p", "p(Holm)", "verdict");
    size_t i;
    json_t *p;
    json_array_foreach(pairs, i, p)
    {
        printf("  %-*s %-*s %6lld", w, text_of(p, "a"), w, text_of(p, "b"),
               count_of(p, "pairs"));
        double d = number(json_object_get(p, "mean_difference"));
        if (isfinite(d))
            printf(" %+9.3f", d);
        else
            printf(" %9s", "-");
        double pv = number(json_object_get(p, "p")), ph = number(json_object_get(p, "p_holm"));
        if (isfinite(pv))
            printf(" %9.4g %9.4g", pv, ph);
        else
            printf(" %9s %9s", "-", "-");
        if (json_is_true(json_object_get(p, "significant")))
            printf("  %s better\n", text_of(p, "better"));
        else if (count_of(p, "n") == 0)
            printf("  %s\n", count_of(p, "pairs") ? "no difference at all" : "no paired cells");
        else
            printf("  not significant\n");
    }
}

/* The agents' numbers ([1], [2], ... in rank order) with their full names, for the matrices. */
static void agent_key(json_t *stats, const size_t *order)
{
    json_t *rows = json_object_get(stats, "agents");
    for (size_t r = 0; r < json_array_size(rows); r++)
        printf("  [%zu] %s\n", r + 1, text_of(json_array_get(rows, order[r]), "agent"));
}

static void scenarios_table(json_t *stats)
{
    json_t *rows = json_object_get(stats, "scenarios");
    int w = name_width(json_object_get(json_object_get(stats, "agent_scenario"), "scenarios"), 8);
    printf("\nScenarios (welfare, rounds, distances: one value per matchup, repetitions "
           "averaged):\n");
    printf("  %-*s %8s %7s %6s %8s %8s %8s %7s %7s %6s\n", w, "scenario", "matchups", "negot.",
           "agree", "deadline", "welfare", "rounds", "pareto", "nash", "faults");
    size_t i;
    json_t *c;
    json_array_foreach(rows, i, c)
    {
        printf("  %-*s %8lld %7lld", w, text_of(c, "scenario"), count_of(c, "matchups"),
               count_of(c, "negotiations"));
        cell(number(json_object_get(c, "agreement_rate")), 6);
        cell(number(json_object_get(c, "deadline_rate")), 8);
        cell(mean_of(c, "welfare"), 8);
        cell(mean_of(c, "rounds"), 8);
        cell(mean_of(c, "pareto_distance"), 7);
        cell(mean_of(c, "nash_distance"), 7);
        printf(" %6lld\n", count_of(c, "faults"));
    }
}

/* A matrix whose columns are the agents in rank order, headed [1], [2], ... */
static void matrix_header(size_t n, int w)
{
    printf("  %-*s", w, "");
    for (size_t j = 0; j < n; j++) {
        char head[24];
        snprintf(head, sizeof head, "[%zu]", j + 1);
        printf(" %7s", head);
    }
    printf("\n");
}

static void head_to_head_table(json_t *stats, const size_t *order)
{
    json_t *h = json_object_get(stats, "head_to_head");
    json_t *names = json_object_get(h, "agents"), *mean = json_object_get(h, "mean");
    size_t n = json_array_size(names);
    int w = name_width(names, 5) + 5;
    printf("\nHead to head (mean utility of the row agent in its cells against the column "
           "agent):\n");
    matrix_header(n, w);
    for (size_t r = 0; r < n; r++) {
        char label[260];
        snprintf(label, sizeof label, "[%zu] %s", r + 1,
                 json_string_value(json_array_get(names, order[r])));
        printf("  %-*s", w, label);
        json_t *row = json_array_get(mean, order[r]);
        for (size_t c = 0; c < n; c++)
            cell(number(json_array_get(row, order[c])), 7);
        printf("\n");
    }
}

static void agent_scenario_table(json_t *stats, const size_t *order)
{
    json_t *m = json_object_get(stats, "agent_scenario");
    json_t *scenarios = json_object_get(m, "scenarios"), *mean = json_object_get(m, "mean");
    size_t n = json_array_size(json_object_get(m, "agents"));
    int w = name_width(scenarios, 8);
    printf("\nAgents x scenarios (mean utility over the agent's cells in the scenario; agents "
           "numbered by rank):\n");
    agent_key(stats, order);
    matrix_header(n, w);
    for (size_t s = 0; s < json_array_size(scenarios); s++) {
        printf("  %-*s", w, json_string_value(json_array_get(scenarios, s)));
        for (size_t c = 0; c < n; c++)
            cell(number(json_array_get(json_array_get(mean, order[c]), s)), 7);
        printf("\n");
    }
}

/* Print `first`, then text wrapped at 78 columns, later lines indented by `indent`. */
static void wrapped(const char *first, const char *text, int indent)
{
    int column = printf("%s", first);
    while (*text) {
        size_t word = strcspn(text, " ");
        if (column + 1 + (int)word > 78 && column > indent)
            column = printf("\n%*s", indent, "") - 1;
        else
            column += printf(" ");
        column += printf("%.*s", (int)word, text);
        text += word;
        while (*text == ' ')
            text++;
    }
    printf("\n");
}

static void warnings(json_t *stats)
{
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(stats, "warnings"), i, w)
    {
        if (i == 0)
            printf("\n");
        wrapped("Warning:", json_string_value(w), 2);
    }
}

/* The scenarios left out under skip_unloadable: which, and why (code and reason). */
static void skipped_scenarios(json_t *stats)
{
    json_t *list = json_object_get(stats, "skipped_scenarios");
    size_t n = json_array_size(list);
    if (n == 0)
        return;
    printf("Skipped %zu scenario%s (--skip-unloadable): %s not load, or these agents cannot "
           "play %s\n",
           n, n == 1 ? "" : "s", n == 1 ? "it did" : "they did", n == 1 ? "it" : "them");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *code = json_string_value(json_object_get(v, "code"));
        char first[600];
        snprintf(first, sizeof first, "  %s [%s]:", text_of(v, "scenario"),
                 code ? code : "no code");
        wrapped(first, text_of(v, "reason"), 4);
    }
    printf("\n");
}

int results_print(const char *db, enum results_view view)
{
    char *text;
    truce_error err;
    if (truce_results_stats(&text, db, &err))
        return cli_fail("results", "%s", err.message);
    if (view == RESULTS_JSON) {
        printf("%s\n", text);
        truce_free(text);
        return EXIT_OK;
    }
    json_t *stats = json_loads(text, 0, NULL);
    truce_free(text);
    json_t *agents = json_object_get(stats, "agents");
    size_t *order = stats ? rank_order(agents, json_array_size(agents)) : NULL;
    if (!order) {
        json_decref(stats);
        return cli_fail("results", "out of memory");
    }
    long long done = count_of(stats, "negotiations"), jobs = count_of(stats, "jobs");
    json_t *deadline = json_object_get(stats, "deadline");
    char limit[64];
    if (json_is_number(json_object_get(deadline, "seconds")))
        snprintf(limit, sizeof limit, "%g s", number(json_object_get(deadline, "seconds")));
    else
        snprintf(limit, sizeof limit, "%lld rounds", count_of(deadline, "rounds"));
    printf("Tournament '%s': %lld of %lld negotiations%s; %lld repetition%s of each matchup, "
           "deadline %s\n\n",
           text_of(stats, "tournament"), done, jobs,
           done < jobs ? " (incomplete: run the tournament again to finish it)" : "",
           count_of(stats, "repetitions"), count_of(stats, "repetitions") == 1 ? "" : "s", limit);
    skipped_scenarios(stats);
    agents_table(stats, order);
    pairwise_table(stats);
    if (view == RESULTS_ALL) {
        scenarios_table(stats);
        head_to_head_table(stats, order);
        agent_scenario_table(stats, order);
    }
    warnings(stats);
    free(order);
    json_decref(stats);
    return EXIT_OK;
}

/* Write text to path through the commands' temporary file and rename
 * (cli_output), so that no partial file is left behind. */
static int write_file(const char *path, const char *text)
{
    cli_output out = {0};
    int rc = cli_output_open("results", &out, path);
    if (rc)
        return rc;
    if (fputs(text, out.f) < 0 && !out.error)
        out.error = EIO;
    return cli_output_close("results", &out, 1) ? EXIT_INPUT : EXIT_OK;
}

int cmd_results(int argc, char **argv)
{
    const char *db = NULL, *csv = NULL, *output = NULL;
    int json = 0;
    for (int i = 0; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--csv"))) {
            if (!*v)
                return cli_usage("results", "--csv needs a table: agents, scenarios, "
                                            "head-to-head, agent-scenario, pairwise or "
                                            "negotiations");
            csv = v;
        } else if ((v = cli_option_value(argc, argv, &i, "-o"))) {
            if (!*v)
                return cli_usage("results", "-o needs a file name");
            output = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("results", "unknown option '%s'", argv[i]);
        } else if (db) {
            return cli_usage("results", "give one database");
        } else {
            db = argv[i];
        }
    }
    if (!db)
        return cli_usage("results", "give a results database");
    if (json && csv)
        return cli_usage("results", "give --json or --csv, not both");
    truce_error err;
    char *text;
    if (csv) {
        if (truce_results_csv(&text, db, csv, &err))
            return err.code == TRUCE_EINVAL && !strcmp(err.field, "table")
                       ? cli_usage("results", "%s", err.message)
                       : cli_fail("results", "%s", err.message);
    } else if (json || output) {
        if (truce_results_stats(&text, db, &err))
            return cli_fail("results", "%s", err.message);
    } else {
        return results_print(db, RESULTS_ALL);
    }
    int rc = EXIT_OK;
    if (output)
        rc = write_file(output, text);
    else
        fputs(text, stdout);
    if (!csv && !output)
        putchar('\n');
    truce_free(text);
    return rc;
}
