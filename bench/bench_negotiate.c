/* bench_negotiate.c: negotiations per second on one core, 100-round bilateral SAO between pairs
 * of built-in agents on the ANAC 2010, 2011 and 2013 scenarios; one JSON document on stdout. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "benchutil.h"
#include "truce.h"

#ifndef TRUCE_DEFAULT_CORPUS
#define TRUCE_DEFAULT_CORPUS "../shared/scenarios/genius"
#endif

#define ROUNDS 100
#define REPETITIONS 3
#define TARGET_SECONDS 0.2 /* per pair and scenario, per repetition */

static const char *const years[] = {"anac/y2010", "anac/y2011", "anac/y2013"};
static const char *const pairs[][2] = {{"boulware", "conceder"},
                                       {"linear", "tft"},
                                       {"hardheaded", "boulware"},
                                       {"micro", "random"},
                                       {"hardliner", "conceder"}};
#define N_PAIRS (sizeof pairs / sizeof *pairs)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One batch: `count` negotiations with seeds first, first+1, ...; returns seconds and adds
 * the rounds executed and agreements reached. */
static double batch(truce_negotiation *ng, uint64_t first, uint64_t count, uint64_t *rounds,
                    uint64_t *agreements)
{
    truce_error err;
    uint64_t r = 0, a = 0;
    double start = now();
    for (uint64_t k = 0; k < count; k++) {
        if (truce_negotiation_run(ng, first + k, &err)) {
            fprintf(stderr, "bench_negotiate: %s\n", err.message);
            exit(1);
        }
        r += truce_negotiation_rounds(ng);
        a += truce_negotiation_agreement(ng) != 0;
    }
    double elapsed = now() - start;
    *rounds += r;
    *agreements += a;
    return elapsed;
}

static int compare_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Totals of one pair over all scenarios (median repetitions). */
typedef struct totals {
    double seconds;
    uint64_t negotiations, rounds;
} totals;

static json_t *measure(const truce_space *sp, const char *a, const char *b, totals *pair_total,
                       totals *all)
{
    truce_agent_spec specs[2];
    truce_error err;
    if (truce_agent_parse(&specs[0], a, &err) || truce_agent_parse(&specs[1], b, &err)) {
        fprintf(stderr, "bench_negotiate: %s\n", err.message);
        exit(1);
    }
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = ROUNDS;
    truce_negotiation *ng = NULL;
    if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err)) {
        fprintf(stderr, "bench_negotiate: %s\n", err.message);
        exit(1);
    }
    /* calibrate: double the batch until it takes a measurable time, then scale */
    uint64_t count = 16, rounds = 0, agreements = 0;
    double t;
    while ((t = batch(ng, 0, count, &rounds, &agreements)) < 0.02 && count < (1ULL << 30))
        count *= 2;
    count = (uint64_t)((double)count * TARGET_SECONDS / (t > 0 ? t : 1e-9));
    if (count < 1)
        count = 1;
    double seconds[REPETITIONS];
    uint64_t rep_rounds = 0, rep_agreements = 0;
    for (int k = 0; k < REPETITIONS; k++) {
        uint64_t r = 0;
        /* the same seeds each repetition: the same work, timed three times */
        seconds[k] = batch(ng, 1, count, &r, &rep_agreements);
        rep_rounds = r;
    }
    rep_agreements /= REPETITIONS;
    truce_negotiation_free(ng);
    qsort(seconds, REPETITIONS, sizeof *seconds, compare_double);
    double best = seconds[0], median = seconds[REPETITIONS / 2];
    pair_total->seconds += median;
    pair_total->negotiations += count;
    pair_total->rounds += rep_rounds;
    all->seconds += median;
    all->negotiations += count;
    all->rounds += rep_rounds;
    json_t *j = json_object();
    char name[64];
    snprintf(name, sizeof name, "%s,%s", a, b);
    json_object_set_new(j, "agents", json_string(name));
    json_object_set_new(j, "negotiations", json_integer((json_int_t)count));
    json_object_set_new(j, "mean_rounds", json_real((double)rep_rounds / (double)count));
    json_object_set_new(j, "agreement_rate", json_real((double)rep_agreements / (double)count));
    json_object_set_new(j, "seconds_min", json_real(best));
    json_object_set_new(j, "seconds_median", json_real(median));
    json_object_set_new(j, "negotiations_per_second_min_time", json_real((double)count / best));
    json_object_set_new(j, "negotiations_per_second_median", json_real((double)count / median));
    json_object_set_new(j, "ns_per_round_median", json_real(median * 1e9 / (double)rep_rounds));
    json_object_set_new(j, "ns_per_round_min_time", json_real(best * 1e9 / (double)rep_rounds));
    return j;
}

static json_t *summary(const totals *t)
{
    json_t *j = json_object();
    json_object_set_new(j, "negotiations", json_integer((json_int_t)t->negotiations));
    json_object_set_new(j, "rounds", json_integer((json_int_t)t->rounds));
    json_object_set_new(j, "seconds", json_real(t->seconds));
    json_object_set_new(j, "negotiations_per_second",
                        json_real(t->seconds > 0 ? (double)t->negotiations / t->seconds : 0));
    json_object_set_new(j, "ns_per_round",
                        json_real(t->rounds ? t->seconds * 1e9 / (double)t->rounds : 0));
    return j;
}

int main(int argc, char **argv)
{
    const char *corpus = argc > 1 ? argv[1] : TRUCE_DEFAULT_CORPUS;
    struct stat st;
    if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "bench_negotiate: corpus %s not found (give its path as argument)\n",
                corpus);
        return 1;
    }
    json_t *scenarios = json_array();
    totals per_pair[N_PAIRS] = {{0}};
    totals all = {0};
    for (size_t y = 0; y < sizeof years / sizeof *years; y++) {
        char year[4096];
        if (snprintf(year, sizeof year, "%s/%s", corpus, years[y]) >= (int)sizeof year)
            continue;
        char **names;
        size_t n = list_dirs(year, &names);
        for (size_t i = 0; i < n; i++) {
            char dir[8192];
            if (snprintf(dir, sizeof dir, "%s/%s", year, names[i]) >= (int)sizeof dir) {
                free(names[i]);
                continue;
            }
            truce_scenario *s = NULL;
            truce_space *sp = NULL;
            truce_error err;
            if (truce_scenario_load_dir(&s, dir, NULL, &err)) {
                fprintf(stderr, "skip %s: %s\n", dir, err.message);
                free(names[i]);
                continue;
            }
            if (truce_scenario_party_count(s) != 2) {
                fprintf(stderr, "skip %s: %zu parties\n", dir, truce_scenario_party_count(s));
            } else if (truce_space_create(&sp, s, NULL, &err)) {
                fprintf(stderr, "skip %s: %s\n", dir, err.message);
            } else {
                char outcomes[64];
                truce_scenario_outcome_count(s, outcomes, sizeof outcomes);
                fprintf(stderr, "%s/%s (%s outcomes)", years[y], names[i], outcomes);
                json_t *js = json_object(), *jp = json_array();
                char rel[4200];
                if (snprintf(rel, sizeof rel, "%s/%s", years[y], names[i]) >= (int)sizeof rel)
                    rel[0] = '\0';
                json_object_set_new(js, "scenario", json_string(rel));
                json_object_set_new(js, "outcomes", json_string(outcomes));
                for (size_t p = 0; p < N_PAIRS; p++) {
                    json_t *m = measure(sp, pairs[p][0], pairs[p][1], &per_pair[p], &all);
                    fprintf(stderr, " %s,%s %.0f/s", pairs[p][0], pairs[p][1],
                            json_real_value(json_object_get(m, "negotiations_per_second_median")));
                    json_array_append_new(jp, m);
                }
                fprintf(stderr, "\n");
                json_object_set_new(js, "pairs", jp);
                json_array_append_new(scenarios, js);
            }
            truce_space_free(sp);
            truce_scenario_free(s);
            free(names[i]);
        }
        free(names);
    }
    json_t *jpairs = json_array();
    for (size_t p = 0; p < N_PAIRS; p++) {
        json_t *j = summary(&per_pair[p]);
        char name[64];
        snprintf(name, sizeof name, "%s,%s", pairs[p][0], pairs[p][1]);
        json_object_set_new(j, "agents", json_string(name));
        json_array_append_new(jpairs, j);
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "benchmark", json_string("negotiate"));
    json_object_set_new(doc, "version", json_string(truce_version()));
    json_object_set_new(doc, "corpus", json_string(corpus));
    json_object_set_new(doc, "rounds", json_integer(ROUNDS));
    json_object_set_new(doc, "repetitions", json_integer(REPETITIONS));
    json_object_set_new(doc, "threads", json_integer(1));
    json_object_set_new(doc, "note",
                        json_string("per scenario and pair: min and median of 3 timed repetitions "
                                    "of the same seeds; aggregates use the medians"));
    json_object_set_new(doc, "scenarios", scenarios);
    json_object_set_new(doc, "pairs", jpairs);
    json_object_set_new(doc, "aggregate", summary(&all));
    char *text = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    if (!text)
        return 1;
    puts(text);
    free(text);
    return 0;
}
