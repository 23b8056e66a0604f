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

#include "fuzzutil.h"
#include "truce.h"

#define MAX_PROFILES 3
#define CHECKED_POINTS 64

#define CHECK FUZZ_CHECK

/* The scratch folder (fuzzutil's, removed at exit) with its out/ subfolder. */
static const char *scratch_dir(void)
{
    static char dir[512];
    if (!dir[0]) {
        char sub[600];
        fuzz_path("", dir, sizeof dir);
        dir[strlen(dir) - 1] = '\0'; /* no trailing slash */
        snprintf(sub, sizeof sub, "%s/out", dir);
        FUZZ_CHECK(mkdir(sub, 0700) == 0);
    }
    return dir;
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
        fuzz_pick_outcome(s, x, outcome);
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
        fuzz_pick_outcome(s, x, outcome);
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
    opts.max_work = 2e6; /* the Pareto filter of many bargainers: the slowest inputs */
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
    fuzz_write(domain, part, nul ? (size_t)(nul - part) : size);
    size_t n = 0;
    if (!nul) {
        snprintf(paths[0], sizeof paths[0], "%s/p0.xml", dir);
        fuzz_write(paths[0], data, size);
        profiles[n++] = paths[0];
    }
    while (nul && n < MAX_PROFILES) {
        part = nul + 1;
        nul = memchr(part, 0, (size_t)(end - part));
        snprintf(paths[n], sizeof paths[n], "%s/p%zu.xml", dir, n);
        fuzz_write(paths[n], part, nul ? (size_t)(nul - part) : (size_t)(end - part));
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
