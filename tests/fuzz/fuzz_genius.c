/* fuzz_genius.c: libFuzzer target for the GENIUS XML reader and writer: NUL bytes split the input
 * into a domain and up to three profiles; what loads is checked, written back, reread, analysed. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "truce.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PROFILES 3
#define CHECKED_POINTS 64

/* A violated invariant is a finding: stop loudly so that libFuzzer (or the
 * replay driver) reports the input. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_genius: check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* One scratch folder per process, reused by every input. */
static char scratch[256];

static void remove_scratch(void)
{
    static const char *const names[] = {
        "domain.xml", "p0.xml",     "p1.xml",     "p2.xml", "out/domain.xml",
        "out/p0.xml", "out/p1.xml", "out/p2.xml", "out",    NULL};
    char path[512];
    for (int i = 0; names[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", scratch, names[i]);
        remove(path);
    }
    rmdir(scratch);
}

static const char *scratch_dir(void)
{
    if (!scratch[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(scratch, sizeof scratch, "%s/truce-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(scratch)) {
            perror("mkdtemp");
            abort();
        }
        char out[512];
        snprintf(out, sizeof out, "%s/out", scratch);
        if (mkdir(out, 0700) != 0) {
            perror("mkdir");
            abort();
        }
        atexit(remove_scratch);
    }
    return scratch;
}

static void write_part(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size || size == 0);
    CHECK(fclose(f) == 0);
}

/* Outcome number `x` of a few fixed patterns: all first options, all last,
 * alternating, and a seeded walk, so checks do not depend on enumeration. */
static void pick_outcome(const truce_scenario *s, int x, uint32_t *outcome)
{
    uint64_t state = 0x9E3779B97F4A7C15ull * (uint64_t)(x + 1);
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        uint32_t k = truce_issue_option_count(s, i);
        state ^= state >> 31;
        state *= 0xBF58476D1CE4E5B9ull;
        switch (x) {
        case 0:
            outcome[i] = 0;
            break;
        case 1:
            outcome[i] = k - 1;
            break;
        case 2:
            outcome[i] = (uint32_t)(i % 2 ? k - 1 : 0);
            break;
        default:
            outcome[i] = (uint32_t)(state % k);
            break;
        }
    }
}

#define PICKED_OUTCOMES 8

/* Utilities are numbers in [0,1] on valid outcomes, NaN on invalid ones. */
static void check_utilities(const truce_scenario *s, uint32_t *outcome)
{
    size_t ni = truce_scenario_issue_count(s), np = truce_scenario_party_count(s);
    CHECK(ni >= 1);
    for (size_t i = 0; i < ni; i++)
        CHECK(truce_issue_option_count(s, i) >= 1);
    for (int x = 0; x < PICKED_OUTCOMES; x++) {
        pick_outcome(s, x, outcome);
        for (size_t p = 0; p < np; p++) {
            double u = truce_utility(s, p, outcome);
            CHECK(u >= 0 && u <= 1);
        }
    }
    outcome[0] = truce_issue_option_count(s, 0);
    CHECK(isnan(truce_utility(s, 0, outcome)));
    for (size_t p = 0; p < np; p++) {
        double r = truce_party_reservation(s, p), d = truce_party_discount(s, p);
        CHECK(r >= 0 && isfinite(r));
        CHECK(d > 0 && d <= 1);
    }
}

/* The writer's promise: reading its files back gives the same utilities. */
static void check_round_trip(const truce_scenario *s, const char *dir, uint32_t *outcome)
{
    size_t np = truce_scenario_party_count(s);
    char domain[512], paths[MAX_PROFILES][512];
    const char *profiles[MAX_PROFILES];
    snprintf(domain, sizeof domain, "%s/out/domain.xml", dir);
    for (size_t p = 0; p < np; p++) {
        snprintf(paths[p], sizeof paths[p], "%s/out/p%zu.xml", dir, p);
        profiles[p] = paths[p];
    }
    truce_error err;
    CHECK(truce_scenario_save_genius(s, domain, profiles, np, &err) == 0);
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.real_steps = 5;
    opts.max_issue_values = 1000;
    truce_scenario *back = NULL;
    int rc = truce_scenario_load_genius(&back, domain, profiles, np, &opts, &err);
    if (rc)
        fprintf(stderr, "fuzz_genius: written files do not load: %s\n", err.message);
    CHECK(rc == 0);
    CHECK(truce_scenario_issue_count(back) == truce_scenario_issue_count(s));
    CHECK(truce_scenario_party_count(back) == np);
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        CHECK(truce_issue_option_count(back, i) == truce_issue_option_count(s, i));
    for (int x = 0; x < PICKED_OUTCOMES; x++) {
        pick_outcome(s, x, outcome);
        for (size_t p = 0; p < np; p++) {
            double a = truce_utility(s, p, outcome), b = truce_utility(back, p, outcome);
            CHECK(memcmp(&a, &b, sizeof a) == 0);
        }
    }
    for (size_t p = 0; p < np; p++) {
        double a = truce_party_reservation(s, p), b = truce_party_reservation(back, p);
        CHECK(memcmp(&a, &b, sizeof a) == 0);
    }
    truce_scenario_free(back);
}

/* Frontier points are the utilities of the outcomes they name. */
static void check_analysis(const truce_scenario *s, const truce_analysis *an, uint32_t *outcome)
{
    size_t np = truce_scenario_party_count(s);
    size_t n = truce_analysis_pareto_size(an);
    char count[512];
    CHECK(truce_analysis_pareto_count(an, count, sizeof count) > 0);
    CHECK(n >= 1);
    for (size_t k = 0; k < n && k < CHECKED_POINTS; k++) {
        const double *u = truce_analysis_pareto_point(an, k);
        CHECK(u != NULL);
        CHECK(truce_analysis_pareto_outcome(an, k, outcome) == 0);
        for (size_t p = 0; p < np; p++)
            CHECK(fabs(truce_utility(s, p, outcome) - u[p]) <= 1e-9);
    }
    for (int which = 0; which < 3; which++) {
        double value;
        if (truce_analysis_solution(an, (truce_solution)which, NULL, outcome, &value))
            CHECK(!isnan(value) && !isnan(truce_utility(s, 0, outcome)));
    }
}

static void analyze(const truce_scenario *s, uint32_t *outcome)
{
    /* the ANAC 2014 seeds (40 nonlinear issues) take seconds each under the
     * sanitizers: the analysis has its own tests; this target is the reader's */
    if (truce_scenario_issue_count(s) > 12)
        return;
    truce_analysis_options opts = TRUCE_ANALYSIS_OPTIONS_INIT;
    opts.max_outcomes = 1e4;
    opts.max_frontier = 10000;
    opts.max_nodes = 1e5;
    truce_analysis *an = NULL;
    truce_error err;
    int rc = truce_analyze(&an, s, &opts, &err);
    if (getenv("TRUCE_FUZZ_VERBOSE"))
        fprintf(stderr, "  analysis: %s\n", rc ? err.message : truce_analysis_method(an));
    CHECK(rc == 0 || rc == TRUCE_ELIMIT);
    int exhaustive = 1;
    if (rc == 0) {
        const char *method = truce_analysis_method(an);
        exhaustive = !strcmp(method, "enumeration") || !strcmp(method, "additive-merge");
        check_analysis(s, an, outcome);
        truce_analysis_free(an);
    }
    if (!exhaustive || rc == TRUCE_ELIMIT) {
        /* the approximate search too: branch and bound gives up at once */
        opts.approximate = 1;
        opts.approx_effort = 2;
        opts.max_nodes = 1;
        rc = truce_analyze(&an, s, &opts, &err);
        CHECK(rc == 0 || rc == TRUCE_ELIMIT);
        if (rc == 0) {
            check_analysis(s, an, outcome);
            truce_analysis_free(an);
        }
    }
}

static void load_and_check(const char *domain, const char *const *profiles, size_t n,
                           const char *dir)
{
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.real_steps = 5;
    opts.max_issue_values = 1000; /* keeps each input fast */
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load_genius(&s, domain, profiles, n, &opts, &err);
    if (getenv("TRUCE_FUZZ_VERBOSE")) /* to see what saved inputs reach */
        fprintf(stderr, "  %s\n", rc ? err.message : "loaded");
    if (rc) {
        /* a refusal is fine; it must say something */
        CHECK(s == NULL && rc < 0 && err.code == rc && err.message[0] != '\0');
        /* libxml2's messages may span lines; ours are one line. (Names quoted
         * from the input may still carry a newline: error_set keeps them.) */
        if (strstr(err.message, "malformed XML") || strstr(err.message, "cannot read"))
            CHECK(strchr(err.message, '\n') == NULL);
    } else {
        size_t ni = truce_scenario_issue_count(s);
        uint32_t *outcome = malloc(ni * sizeof *outcome);
        CHECK(outcome != NULL);
        check_utilities(s, outcome);
        check_round_trip(s, dir, outcome);
        analyze(s, outcome);
        free(outcome);
        truce_scenario_free(s);
    }
    /* the same files through the folder loader: it may refuse, never crash */
    rc = truce_scenario_load_dir(&s, dir, &opts, &err);
    if (rc == 0)
        truce_scenario_free(s);
    else
        CHECK(err.message[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = scratch_dir();
    char domain[512], paths[MAX_PROFILES][512];
    const char *profiles[MAX_PROFILES];
    snprintf(domain, sizeof domain, "%s/domain.xml", dir);
    /* parts: domain NUL profile [NUL profile [NUL profile]]; without a NUL
     * the one text serves as both domain and profile */
    const uint8_t *part = data, *end = data + size;
    const uint8_t *nul = memchr(part, 0, size);
    write_part(domain, part, nul ? (size_t)(nul - part) : size);
    size_t n = 0;
    if (!nul) {
        snprintf(paths[0], sizeof paths[0], "%s/p0.xml", dir);
        write_part(paths[0], data, size);
        profiles[n++] = paths[0];
    }
    while (nul && n < MAX_PROFILES) {
        part = nul + 1;
        nul = memchr(part, 0, (size_t)(end - part));
        snprintf(paths[n], sizeof paths[n], "%s/p%zu.xml", dir, n);
        write_part(paths[n], part, nul ? (size_t)(nul - part) : (size_t)(end - part));
        profiles[n] = paths[n];
        n++;
    }
    for (size_t k = n; k < MAX_PROFILES; k++) {
        char stale[512];
        snprintf(stale, sizeof stale, "%s/p%zu.xml", dir, k);
        remove(stale);
    }
    load_and_check(domain, profiles, n, dir);
    return 0;
}
