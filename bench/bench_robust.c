/* bench_robust.c: truce_robust on the seed scenario with its documented
 * uncertainty: 10,000 samples of the zone (with what empties it), the Nash
 * and Kalai-Smorodinsky points and the advice for Russia acceptable to the
 * United States (with the robust advice), on 1 and 2 threads; CPU and wall
 * time, samples per second and the scaling efficiency, as JSON. */
#define _DEFAULT_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "truce.h"

#ifndef TRUCE_EXAMPLES
#define TRUCE_EXAMPLES "examples"
#endif

#define REPEAT 5

static double now(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Run once; wall and process CPU seconds. */
static int run(const truce_scenario *s, const truce_robust_options *o, double *wall, double *cpu)
{
    truce_robustness *r = NULL;
    truce_error err;
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    int rc = truce_robust(&r, s, o, &err);
    *wall = now(CLOCK_MONOTONIC) - w0;
    *cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (rc)
        fprintf(stderr, "bench_robust: %s\n", err.message);
    truce_robust_free(r);
    return rc;
}

static json_t *series(const truce_scenario *s, truce_robust_options o, unsigned threads)
{
    o.threads = threads;
    double wall[REPEAT], cpu[REPEAT];
    for (int k = 0; k < REPEAT; k++)
        if (run(s, &o, &wall[k], &cpu[k]))
            return NULL;
    qsort(wall, REPEAT, sizeof *wall, by_double);
    qsort(cpu, REPEAT, sizeof *cpu, by_double);
    return json_pack("{s:i,s:f,s:f,s:f,s:f,s:f}", "threads", (int)threads, "wall_min", wall[0],
                     "wall_median", wall[REPEAT / 2], "cpu_min", cpu[0], "cpu_median",
                     cpu[REPEAT / 2], "samples_per_second_wall_min", (double)o.samples / wall[0]);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : TRUCE_EXAMPLES "/seed/truce-talks.yaml";
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, path, NULL, &err)) {
        fprintf(stderr, "bench_robust: %s\n", err.message);
        return 1;
    }
    size_t usa = (size_t)truce_party_find(s, "usa");
    truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
    o.samples = 10000;
    o.advise_party = truce_party_find(s, "russia");
    o.acceptable_to = &usa;
    o.n_acceptable = 1;
    json_t *runs = json_array();
    json_t *one = series(s, o, 1), *two = series(s, o, 2);
    truce_robust_options mc = o;
    mc.sensitivity = 0;
    json_t *one_mc = series(s, mc, 1);
    if (!one || !two || !one_mc) {
        truce_scenario_free(s);
        return 1;
    }
    json_array_append_new(runs, one);
    json_array_append_new(runs, two);
    double w1 = json_real_value(json_object_get(one, "wall_min"));
    double w2 = json_real_value(json_object_get(two, "wall_min"));
    json_t *doc = json_pack(
        "{s:s,s:s,s:I,s:I,s:s,s:o,s:o,s:f}", "benchmark", "robust", "scenario", path,
        "uncertain_numbers", (json_int_t)truce_scenario_uncertain_count(s), "samples",
        (json_int_t)o.samples, "job",
        "zone and what empties it, Nash and KS points, advice russia:usa with the robust advice, "
        "and the one-at-a-time sweeps",
        "runs", runs, "monte_carlo_only_1_thread", one_mc, "scaling_efficiency_2_threads",
        w1 / (2 * w2));
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    puts(text);
    free(text);
    json_decref(doc);
    truce_scenario_free(s);
    return 0;
}
