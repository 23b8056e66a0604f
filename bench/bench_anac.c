/* bench_anac.c: the ANAC agents and BOA compositions: negotiations per second per agent
 * (against Boulware, 100-round SAO on the bilateral ANAC 2010, 2011 and 2013 scenarios) next to
 * the built-in time-dependent agents, and a sweep of the whole corpus (every agent in every seat
 * of every scenario, the other seats taken by the other agents in turn) counting faults; one
 * JSON document on stdout. Usage: bench_anac [CORPUS] [--no-sweep] [--agents A;B;...]
 * (--agents: only these agents after the two references, separated by ';' since BOA specs hold
 * commas; handy under callgrind). */
#define _DEFAULT_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"
#include "truce.h"

#ifndef TRUCE_DEFAULT_CORPUS
#define TRUCE_DEFAULT_CORPUS "../shared/scenarios/genius"
#endif

#define ROUNDS 100
#define REPETITIONS 3
#define PER_SCENARIO 20 /* negotiations per agent, scenario and repetition */

static const char *const years[] = {"anac/y2010", "anac/y2011", "anac/y2013"};
static const char *const boa_specs[] = {
    "boa:bid=timedep:e=0.2,model=frequency,oms=best,accept=combi:T=0.98",
    "boa:bid=timedep:e=0.2,model=bayes,oms=best,accept=next",
    "boa:bid=conceder,model=smith,oms=random,accept=gap:g=0.05"};
#define N_BOA (sizeof boa_specs / sizeof *boa_specs)

/* CPU time of this thread: on a shared, loaded machine wall-clock rates swing by 2x between
 * runs, CPU time much less (the sweep's total is wall clock, see cpu_now). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int compare_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

typedef struct loaded {
    truce_scenario *s;
    truce_space *sp;
    char name[256];
} loaded;

static size_t load_all(const char *corpus, const char *const *folders, size_t n_folders,
                       loaded **out, size_t only_seats)
{
    size_t n = 0, cap = 0;
    loaded *list = NULL;
    for (size_t y = 0; y < n_folders; y++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", corpus, folders[y]);
        char **names = NULL;
        size_t k = list_dirs(dir, &names);
        for (size_t i = 0; i < k; i++) {
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            truce_scenario *s = NULL;
            truce_space *sp = NULL;
            truce_error err;
            if (truce_scenario_load_dir(&s, path, NULL, &err) == 0 &&
                (!only_seats || truce_scenario_party_count(s) == only_seats) &&
                truce_space_create(&sp, s, NULL, &err) == 0) {
                if (n == cap) {
                    cap = cap ? 2 * cap : 64;
                    list = realloc(list, cap * sizeof *list);
                    if (!list)
                        exit(1);
                }
                list[n].s = s;
                list[n].sp = sp;
                snprintf(list[n].name, sizeof list[n].name, "%s/%s", folders[y], names[i]);
                n++;
            } else {
                truce_scenario_free(s);
            }
            free(names[i]);
        }
        free(names);
    }
    *out = list;
    return n;
}

/* Negotiations per second of `agent` against Boulware (both seats, in turn). */
static double speed(const char *agent, loaded *sc, size_t n_sc, double *agreement_rate)
{
    double rates[REPETITIONS];
    uint64_t agreements = 0, total = 0;
    for (int rep = 0; rep < REPETITIONS; rep++) {
        double seconds = 0;
        uint64_t count = 0;
        for (size_t i = 0; i < n_sc; i++)
            for (int seat = 0; seat < 2; seat++) {
                truce_agent_spec specs[2];
                truce_error err;
                if (truce_agent_parse(&specs[seat], agent, &err) ||
                    truce_agent_parse(&specs[1 - seat], "boulware", &err)) {
                    fprintf(stderr, "bench_anac: %s\n", err.message);
                    exit(1);
                }
                truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
                o.max_rounds = ROUNDS;
                truce_negotiation *ng = NULL;
                if (truce_negotiation_create(&ng, sc[i].sp, specs, 2, &o, &err)) {
                    fprintf(stderr, "bench_anac: %s on %s: %s\n", agent, sc[i].name, err.message);
                    exit(1);
                }
                double start = cpu_now();
                for (int k = 0; k < PER_SCENARIO / 2; k++) {
                    if (truce_negotiation_run(ng, 1000 * (uint64_t)rep + (uint64_t)k, &err)) {
                        fprintf(stderr, "bench_anac: %s\n", err.message);
                        exit(1);
                    }
                    agreements += truce_negotiation_agreement(ng) != 0;
                    total++;
                }
                seconds += cpu_now() - start;
                count += PER_SCENARIO / 2;
                truce_negotiation_free(ng);
            }
        rates[rep] = (double)count / seconds;
    }
    qsort(rates, REPETITIONS, sizeof *rates, compare_double);
    *agreement_rate = (double)agreements / (double)total;
    return rates[REPETITIONS / 2];
}

/* Every agent in every seat of every scenario of the corpus. */
static json_t *sweep(const char *corpus, const char **agents, size_t n_agents)
{
    static const char *const all[] = {"anac/y2010", "anac/y2011", "anac/y2013", "anac/y2014",
                                      "anac/y2015", "other"};
    loaded *sc = NULL;
    size_t n_sc = load_all(corpus, all, sizeof all / sizeof *all, &sc, 0);
    uint64_t runs = 0, faults = 0, agreements = 0, multilateral = 0;
    json_t *fault_list = json_array();
    double start = now();
    for (size_t i = 0; i < n_sc; i++) {
        size_t seats = truce_scenario_party_count(sc[i].s);
        for (size_t a = 0; a < n_agents; a++)
            for (size_t seat = 0; seat < seats; seat++) {
                truce_agent_spec specs[64];
                truce_error err;
                for (size_t k = 0; k < seats && k < 64; k++) {
                    const char *name = k == seat ? agents[a] : agents[(a + k + 1) % n_agents];
                    if (truce_agent_parse(&specs[k], name, &err))
                        exit(1);
                }
                truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
                o.max_rounds = ROUNDS;
                truce_negotiation *ng = NULL;
                if (seats > 64 || truce_negotiation_create(&ng, sc[i].sp, specs, seats, &o, &err))
                    continue; /* scenarios that cannot hold direct talks */
                if (truce_negotiation_run(ng, 7 + runs, &err)) {
                    fprintf(stderr, "bench_anac: %s on %s: %s\n", agents[a], sc[i].name,
                            err.message);
                    exit(1);
                }
                runs++;
                multilateral += seats > 2;
                agreements += truce_negotiation_agreement(ng) != 0;
                if (truce_negotiation_fault(ng) >= 0) {
                    faults++;
                    json_array_append_new(
                        fault_list,
                        json_pack("{s:s,s:s,s:s}", "agent", agents[a], "scenario", sc[i].name,
                                  "message", truce_negotiation_fault_message(ng)));
                }
                truce_negotiation_free(ng);
            }
    }
    json_t *out = json_pack("{s:i,s:i,s:I,s:I,s:I,s:I,s:f,s:o}", "scenarios", (int)n_sc, "agents",
                            (int)n_agents, "negotiations", (json_int_t)runs, "multilateral",
                            (json_int_t)multilateral, "agreements", (json_int_t)agreements,
                            "faults", (json_int_t)faults, "seconds", now() - start,
                            "fault_list", fault_list);
    for (size_t i = 0; i < n_sc; i++) {
        truce_space_free(sc[i].sp);
        truce_scenario_free(sc[i].s);
    }
    free(sc);
    return out;
}

int main(int argc, char **argv)
{
    const char *corpus = TRUCE_DEFAULT_CORPUS;
    int do_sweep = 1;
    char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-sweep"))
            do_sweep = 0;
        else if (!strcmp(argv[i], "--agents") && i + 1 < argc)
            only = argv[++i];
        else
            corpus = argv[i];
    }
    loaded *sc = NULL;
    size_t n_sc = load_all(corpus, years, sizeof years / sizeof *years, &sc, 2);
    if (n_sc == 0) {
        printf("{\"skipped\": \"no bilateral scenarios under %s\"}\n", corpus);
        return 0;
    }
    /* the agents: the time-dependent built-ins, the ANAC agents, BOA compositions */
    const char *agents[128];
    size_t n_agents = 0;
    agents[n_agents++] = "boulware";
    agents[n_agents++] = "conceder";
    if (only) {
        for (char *save = NULL, *a = strtok_r(only, ";", &save); a && n_agents < 120;
             a = strtok_r(NULL, ";", &save))
            agents[n_agents++] = a;
    } else {
        for (size_t i = 0; i < truce_agent_count() && n_agents < 120; i++)
            if (truce_agent_year(i))
                agents[n_agents++] = truce_agent_name(i);
        for (size_t i = 0; i < N_BOA; i++)
            agents[n_agents++] = boa_specs[i];
    }
    json_t *per_agent = json_array();
    double reference = 0, slowest_ratio = 0;
    const char *slowest = "";
    for (size_t a = 0; a < n_agents; a++) {
        double rate_agreement = 0, rate = speed(agents[a], sc, n_sc, &rate_agreement);
        /* the faster of Boulware and Conceder (measured first) is the reference */
        if (a < 2 && rate > reference)
            reference = rate;
        double ratio = reference / rate;
        if (a >= 2 && ratio > slowest_ratio) {
            slowest_ratio = ratio;
            slowest = agents[a];
        }
        json_array_append_new(per_agent,
                              json_pack("{s:s,s:f,s:f,s:f,s:f}", "agent", agents[a],
                                        "negotiations_per_second", rate,
                                        "cpu_microseconds_per_negotiation", 1e6 / rate,
                                        "slowdown_vs_timedep", ratio, "agreement_rate",
                                        rate_agreement));
    }
    json_t *doc = json_pack("{s:s,s:i,s:i,s:s,s:s,s:f,s:s,s:f,s:o}", "benchmark", "anac_agents",
                            "rounds", ROUNDS, "scenarios", (int)n_sc, "opponent", "boulware",
                            "timing", "thread CPU time",
                            "timedep_negotiations_per_second", reference, "slowest_agent",
                            slowest, "slowest_slowdown", slowest_ratio, "agents", per_agent);
    if (do_sweep)
        json_object_set_new(doc, "corpus_sweep", sweep(corpus, agents, n_agents));
    char *text = json_dumps(doc, JSON_INDENT(2));
    puts(text);
    free(text);
    json_decref(doc);
    for (size_t i = 0; i < n_sc; i++) {
        truce_space_free(sc[i].sp);
        truce_scenario_free(sc[i].s);
    }
    free(sc);
    return 0;
}
