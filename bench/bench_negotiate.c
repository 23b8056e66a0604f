/* bench_negotiate.c: negotiations per second on one core, 100-round bilateral SAO between pairs
 * of built-in agents (and a Lua Boulware) on the ANAC 2010, 2011 and 2013 scenarios, and the
 * per-message cost of program agents; one JSON document on stdout. */
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

#ifndef TRUCE_EXAMPLES
#define TRUCE_EXAMPLES "examples"
#endif
#define LUA_BOULWARE "lua:" TRUCE_EXAMPLES "/agents/boulware.lua"

#define ROUNDS 100
#define REPETITIONS 3
#define TARGET_SECONDS 0.2 /* per pair and scenario, per repetition */

static const char *const years[] = {"anac/y2010", "anac/y2011", "anac/y2013"};
static const char *const pairs[][2] = {{"boulware", "conceder"},   {"linear", "tft"},
                                       {"hardheaded", "boulware"}, {"micro", "random"},
                                       {"hardliner", "conceder"},  {LUA_BOULWARE, "conceder"}};
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
    char name[600];
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

/* The Lua Boulware against the built-in one, both playing conceder: their traces are equal, so
 * the rounds are the same work. Per round each pair runs one turn of each agent; taking the
 * built-in Boulware's turn to cost what conceder's does (the same code, timedep.c), the Lua
 * agent's turn costs (lua pair - built-in pair / 2) / (built-in pair / 2). */
static json_t *lua_ratio(const totals *builtin, const totals *lua)
{
    double b = builtin->rounds ? builtin->seconds * 1e9 / (double)builtin->rounds : 0;
    double l = lua->rounds ? lua->seconds * 1e9 / (double)lua->rounds : 0;
    json_t *j = json_object();
    json_object_set_new(j, "builtin_pair_ns_per_round", json_real(b));
    json_object_set_new(j, "lua_pair_ns_per_round", json_real(l));
    json_object_set_new(j, "pair_ratio", json_real(b > 0 ? l / b : 0));
    json_object_set_new(j, "agent_ratio_estimate", json_real(b > 0 ? (l - b / 2) / (b / 2) : 0));
    json_object_set_new(j, "target",
                        json_string("a Lua agent costs at most 10x a built-in one "
                                    "per round"));
    return j;
}

/* Seconds per negotiation of `spec` (seat 0) against the built-in hardliner, median of 3. */
static double proc_run_seconds(const truce_space *sp, const char *spec, uint64_t rounds, int count)
{
    truce_agent_spec specs[2];
    truce_error err;
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = rounds;
    truce_negotiation *ng = NULL;
    if (truce_agent_parse(&specs[0], spec, &err) ||
        truce_agent_parse(&specs[1], "hardliner", &err) ||
        truce_negotiation_create(&ng, sp, specs, 2, &o, &err)) {
        fprintf(stderr, "bench_negotiate: %s\n", err.message);
        return -1;
    }
    double seconds[REPETITIONS];
    for (int k = 0; k < REPETITIONS; k++) {
        double start = now();
        for (int i = 0; i < count; i++)
            if (truce_negotiation_run(ng, (uint64_t)i, &err) || truce_negotiation_fault(ng) >= 0) {
                fprintf(stderr, "bench_negotiate: %s: %s\n", spec,
                        truce_negotiation_fault_message(ng));
                truce_negotiation_free(ng);
                return -1;
            }
        seconds[k] = (now() - start) / count;
    }
    truce_negotiation_free(ng);
    qsort(seconds, REPETITIONS, sizeof *seconds, compare_double);
    return seconds[REPETITIONS / 2];
}

/* A program agent's costs on the bundled ceasefire scenario: starting it (spawn, handshake,
 * goodbye) and each further message (a negotiation of 1001 rounds minus one of 1 round, over
 * the 1000 extra turn messages; the built-in hardliner's turns are negligible beside them). */
static json_t *proc_costs(const char *spec, int count)
{
    truce_scenario *s = NULL;
    truce_space *sp = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, TRUCE_EXAMPLES "/genius/ceasefire", NULL, &err) ||
        truce_space_create(&sp, s, NULL, &err)) {
        fprintf(stderr, "bench_negotiate: %s\n", err.message);
        truce_scenario_free(s);
        return json_null();
    }
    double one = proc_run_seconds(sp, spec, 1, count);
    double many = proc_run_seconds(sp, spec, 1001, count);
    truce_space_free(sp);
    truce_scenario_free(s);
    if (one < 0 || many < 0)
        return json_null();
    json_t *j = json_object();
    json_object_set_new(j, "agent", json_string(spec));
    json_object_set_new(j, "start_ms", json_real(one * 1e3));
    json_object_set_new(j, "us_per_message", json_real((many - one) / 1000 * 1e6));
    fprintf(stderr, "%s: start %.2f ms, %.1f us per message\n", spec, one * 1e3,
            (many - one) / 1000 * 1e6);
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
    /* --lua: only the two pairs the Lua figure compares (boulware,conceder and the Lua one) */
    int only_lua = argc > 1 && !strcmp(argv[1], "--lua");
    if (only_lua) {
        argc--;
        argv++;
    }
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
                    if (only_lua && p != 0 && p != N_PAIRS - 1)
                        continue;
                    /* the aggregate stays the built-in agents' figure */
                    totals lua_only = {0};
                    json_t *m = measure(sp, pairs[p][0], pairs[p][1], &per_pair[p],
                                        p == N_PAIRS - 1 ? &lua_only : &all);
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
        if (!per_pair[p].negotiations)
            continue;
        json_t *j = summary(&per_pair[p]);
        char name[600];
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
    json_object_set_new(doc, "lua", lua_ratio(&per_pair[0], &per_pair[N_PAIRS - 1]));
    json_t *procs = json_array();
    if (only_lua)
        goto done;
#ifdef TRUCE_AGENT_HARDLINER
    json_array_append_new(procs, proc_costs("proc:" TRUCE_AGENT_HARDLINER, 20));
#endif
    json_array_append_new(
        procs, proc_costs("proc:python3 " TRUCE_EXAMPLES "/agents/time_dependent.py:e=0.01", 3));
done:
    json_object_set_new(doc, "proc", procs);
    char *text = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    if (!text)
        return 1;
    puts(text);
    free(text);
    return 0;
}
