/* bench_pareto.c: exact analysis of scenarios with three to six parties, where the Pareto
 * filter's dominance structure (src/analysis/dominance.c) does the work; prints one JSON
 * document on stdout.
 *
 * usage: bench_pareto [--reps N] [--max-seconds S] [--parties P] [--seeds N]
 *
 * Synthetic linear scenarios (truce_scenario_generate: random weights, 100 evaluation levels)
 * of P parties x 10 issues x 10 options, three seeds each; the target of issue 21 is 5 x 10 x
 * 10 exact in under 2 s. Each case runs once untimed, then up to N times (default 3) within a
 * budget; the minimum and the median are reported in milliseconds, with the frontier's size,
 * the method and the work counted against max_work. Machines are shared and noisy: compare
 * runs made side by side. Uses the public API only. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "truce.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* One case: the analysis timed; the JSON row, or NULL when it could not run. */
static json_t *run_case(size_t parties, size_t issues, uint32_t options, uint64_t seed, int reps,
                        double budget_ms)
{
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_parties = parties;
    g.n_issues = issues;
    g.n_options = options;
    g.levels = 100;
    g.seed = seed;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_generate(&s, &g, &err)) {
        fprintf(stderr, "bench_pareto: %s\n", err.message);
        return NULL;
    }
    json_t *row = json_pack("{s:I,s:I,s:I,s:I}", "parties", (json_int_t)parties, "issues",
                            (json_int_t)issues, "options", (json_int_t)options, "seed",
                            (json_int_t)seed);
    double times[64];
    int n = 0, rc = 0;
    double spent = 0;
    for (int k = 0; k <= reps && k < 64 && rc == 0; k++) {
        truce_analysis *an = NULL;
        double start = now_ms();
        rc = truce_analyze(&an, s, NULL, &err);
        double ms = now_ms() - start;
        spent += ms;
        if (rc == 0) {
            if (k > 0 || reps == 0)
                times[n++] = ms;
            if (k == 0) {
                char count[64];
                truce_analysis_pareto_count(an, count, sizeof count);
                json_object_set_new(row, "pareto_points",
                                    json_integer((json_int_t)truce_analysis_pareto_size(an)));
                json_object_set_new(row, "pareto_outcomes", json_string(count));
                json_object_set_new(row, "method", json_string(truce_analysis_method(an)));
                json_object_set_new(row, "work", json_real(truce_analysis_work(an)));
                if (ms > budget_ms) { /* one slow run is all it gets */
                    times[n++] = ms;
                    k = reps;
                }
            }
        }
        truce_analysis_free(an);
        if (spent > 4 * budget_ms)
            break;
    }
    if (rc) {
        json_object_set_new(row, "error", json_string(err.message));
    } else {
        qsort(times, (size_t)n, sizeof *times, compare_doubles);
        json_object_set_new(row, "ms_min", json_real(times[0]));
        json_object_set_new(row, "ms_median", json_real(times[n / 2]));
        json_object_set_new(row, "reps", json_integer(n));
    }
    fprintf(stderr, "%zu parties x %zu x %u, seed %llu: %s\n", parties, issues, options,
            (unsigned long long)seed, rc ? err.message : "done");
    truce_scenario_free(s);
    return row;
}

int main(int argc, char **argv)
{
    int reps = 3, only = 0, seeds = 3;
    double max_seconds = 60;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc)
            max_seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--parties") && i + 1 < argc)
            only = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
            seeds = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_pareto [--reps N] [--max-seconds S] [--parties P] "
                            "[--seeds N]\n");
            return 2;
        }
    }
    json_t *rows = json_array();
    for (size_t parties = only ? (size_t)only : 3; parties <= (only ? (size_t)only : 6); parties++)
        for (uint64_t seed = 1; seed <= (uint64_t)seeds; seed++) {
            json_t *row = run_case(parties, 10, 10, seed, reps, max_seconds * 1e3 / 4);
            if (row)
                json_array_append_new(rows, row);
        }
    json_t *doc = json_pack("{s:s,s:s,s:o,s:s}", "benchmark", "pareto", "version",
                            truce_version(), "cases", rows, "note",
                            "exact analysis (truce_analyze, default options) of generated linear "
                            "scenarios; times in ms, min and median of the timed runs");
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    json_decref(doc);
    if (!text)
        return 1;
    puts(text);
    free(text);
    return 0;
}
