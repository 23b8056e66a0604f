/* results.c: `truce results DB`: a tournament database's statistics as text
 * tables (agents ranked by mean utility, scenarios, head to head), as JSON,
 * or one table as CSV. */
#include <errno.h>
#include <math.h>
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
           "Statistics of a tournament results database (from 'truce tournament'):\n"
           "per agent the mean utility with its 95%% confidence interval (Student's t),\n"
           "agreement rate, social welfare, distances to the Pareto frontier and the\n"
           "Nash point, and faults; per scenario; and the head-to-head matrix (mean\n"
           "utility of the row agent against the column agent). A database still being\n"
           "filled can be read at any time.\n"
           "\n"
           "Options:\n"
           "  --json          all statistics as one JSON document (docs/results.md)\n"
           "  --csv TABLE     one table as CSV: agents, scenarios, head-to-head, or\n"
           "                  negotiations (one row per negotiation and seat)\n"
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

static double mean_of(json_t *o, const char *key)
{
    json_t *m = json_object_get(json_object_get(o, key), "mean");
    return json_is_number(m) ? json_number_value(m) : NAN;
}

static double ci_of(json_t *o, const char *key, size_t side)
{
    json_t *c = json_array_get(json_object_get(json_object_get(o, key), "ci95"), side);
    return json_is_number(c) ? json_number_value(c) : NAN;
}

static void cell(double v, int width)
{
    if (isfinite(v))
        printf(" %*.3f", width, v);
    else
        printf(" %*s", width, "-");
}

typedef struct ranked {
    double utility;
    size_t index;
} ranked;

static int by_utility(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->utility != y->utility)
        return x->utility < y->utility ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

static void agents_table(json_t *stats)
{
    json_t *rows = json_object_get(stats, "agents");
    size_t n = json_array_size(rows);
    ranked *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < n; i++) {
        double u = mean_of(json_array_get(rows, i), "utility");
        order[i].utility = isfinite(u) ? u : -INFINITY;
        order[i].index = i;
    }
    qsort(order, n, sizeof *order, by_utility);
    printf("Agents (ranked by mean utility; 95%% confidence interval):\n");
    printf("  %-4s %-24s %7s %8s %17s %7s %8s %7s %7s %6s\n", "rank", "agent", "n", "utility",
           "ci95", "agree", "welfare", "pareto", "nash", "faults");
    for (size_t r = 0; r < n; r++) {
        json_t *a = json_array_get(rows, order[r].index);
        printf("  %-4zu %-24.24s %7lld", r + 1, text_of(a, "agent"),
               (long long)json_integer_value(json_object_get(a, "negotiations")));
        cell(mean_of(a, "utility"), 8);
        double lo = ci_of(a, "utility", 0), hi = ci_of(a, "utility", 1);
        if (isfinite(lo))
            printf(" [%6.3f, %6.3f]", lo, hi);
        else
            printf(" %17s", "-");
        json_t *rate = json_object_get(a, "agreement_rate");
        cell(json_is_number(rate) ? json_number_value(rate) : NAN, 7);
        cell(mean_of(a, "welfare"), 8);
        cell(mean_of(a, "pareto_distance"), 7);
        cell(mean_of(a, "nash_distance"), 7);
        printf(" %6lld\n", (long long)json_integer_value(json_object_get(a, "faults")));
    }
    free(order);
}

static void scenarios_table(json_t *stats)
{
    json_t *rows = json_object_get(stats, "scenarios");
    printf("\nScenarios:\n");
    printf("  %-28s %7s %7s %8s %8s %7s %7s %6s\n", "scenario", "n", "agree", "welfare", "rounds",
           "pareto", "nash", "faults");
    size_t i;
    json_t *c;
    json_array_foreach(rows, i, c)
    {
        printf("  %-28.28s %7lld", text_of(c, "scenario"),
               (long long)json_integer_value(json_object_get(c, "negotiations")));
        json_t *rate = json_object_get(c, "agreement_rate");
        cell(json_is_number(rate) ? json_number_value(rate) : NAN, 7);
        cell(mean_of(c, "welfare"), 8);
        cell(mean_of(c, "rounds"), 8);
        cell(mean_of(c, "pareto_distance"), 7);
        cell(mean_of(c, "nash_distance"), 7);
        printf(" %6lld\n", (long long)json_integer_value(json_object_get(c, "faults")));
    }
}

static void head_to_head_table(json_t *stats)
{
    json_t *h = json_object_get(stats, "head_to_head");
    json_t *names = json_object_get(h, "agents"), *mean = json_object_get(h, "mean");
    size_t n = json_array_size(names);
    printf("\nHead to head (mean utility of the row agent against the column agent):\n");
    printf("  %-16s", "");
    for (size_t j = 0; j < n; j++)
        printf(" %9.9s", json_string_value(json_array_get(names, j)));
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        printf("  %-16.16s", json_string_value(json_array_get(names, i)));
        json_t *row = json_array_get(mean, i);
        for (size_t j = 0; j < n; j++) {
            json_t *v = json_array_get(row, j);
            cell(json_is_number(v) ? json_number_value(v) : NAN, 9);
        }
        printf("\n");
    }
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
    if (!stats)
        return cli_fail("results", "out of memory");
    long long done = (long long)json_integer_value(json_object_get(stats, "negotiations"));
    long long jobs = (long long)json_integer_value(json_object_get(stats, "jobs"));
    printf("Tournament '%s': %lld of %lld negotiations%s\n\n", text_of(stats, "tournament"), done,
           jobs, done < jobs ? " (incomplete: run the tournament again to finish it)" : "");
    agents_table(stats);
    if (view == RESULTS_ALL) {
        scenarios_table(stats);
        head_to_head_table(stats);
    }
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
                                            "head-to-head or negotiations");
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
