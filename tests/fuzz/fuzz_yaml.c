/* fuzz_yaml.c: libFuzzer target for the native YAML reader and the model checks: the input is
 * loaded as a .yaml file; what loads is checked, advised on, written back and reread. */
#define _DEFAULT_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzzutil.h"
#include "truce.h"

#define CHECK FUZZ_CHECK

/* The scratch folder (fuzzutil's, removed at exit) with its g/ subfolder. */
static const char *scratch_dir(void)
{
    static char dir[512];
    if (!dir[0]) {
        char sub[600];
        fuzz_path("", dir, sizeof dir);
        dir[strlen(dir) - 1] = '\0'; /* no trailing slash */
        snprintf(sub, sizeof sub, "%s/g", dir);
        FUZZ_CHECK(mkdir(sub, 0700) == 0);
    }
    return dir;
}

#define PICKED_OUTCOMES 8

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* A refusal must say where: every YAML error names line and column. */
static void check_refusal(int rc, const truce_scenario *s, const truce_error *err, const char *path)
{
    CHECK(s == NULL && rc < 0 && err->code == rc && err->message[0] != '\0');
    CHECK(strchr(err->message, '\n') == NULL);
    if (rc == TRUCE_EPARSE || rc == TRUCE_EINVAL) {
        CHECK(err->line > 0 && err->column > 0);
        CHECK(strncmp(err->message, path, strlen(path)) == 0);
    }
}

static void check_model(const truce_scenario *s, uint32_t *outcome)
{
    size_t ni = truce_scenario_issue_count(s), np = truce_scenario_party_count(s);
    CHECK(ni >= 1 && np >= 1);
    for (size_t i = 0; i < ni; i++)
        CHECK(truce_issue_option_count(s, i) >= 1);
    for (int x = 0; x < PICKED_OUTCOMES; x++) {
        fuzz_pick_outcome(s, x, outcome);
        for (size_t p = 0; p < np; p++) {
            double u = truce_utility(s, p, outcome);
            CHECK(!isnan(u) && u <= 1);
            int v = truce_outcome_violates(s, p, outcome);
            CHECK(v >= -1 && v < (int)truce_party_hard_condition_count(s, p));
        }
    }
    for (size_t p = 0; p < np; p++) {
        CHECK(truce_party_find(s, truce_party_name(s, p)) >= 0);
        CHECK(truce_party_role(s, p) >= 0 && truce_party_role(s, p) <= 2);
        for (int t = 0; t <= 4; t++) {
            double r = truce_party_reservation_at(s, p, t / 4.0);
            CHECK(r >= 0 && r <= 1);
        }
        double d = truce_party_discount(s, p);
        CHECK(d > 0 && d <= 1);
        for (size_t q = 0; q < np; q++)
            CHECK(truce_channel(s, p, q) == truce_channel(s, q, p));
    }
}

/* Reports are JSON documents whatever the names hold. */
static void check_json(char *text, const char *key)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (!doc)
        fprintf(stderr, "fuzz_yaml: report is not JSON: %s\n%s\n", jerr.text, text);
    CHECK(doc != NULL);
    if (key)
        CHECK(json_object_get(doc, key) != NULL);
    json_decref(doc);
    truce_free(text);
}

/* Scenarios of more outcomes than this skip the margins' search: it solves the zone again for
 * each number moved, about a second per ANAC or historical scenario under the fuzzer, and the 30 s
 * smoke then hardly mutated anything (test_check and test_robust cover margins on such cases). */
#define MARGIN_OUTCOMES 2000.0

static void check_reports(const truce_scenario *s)
{
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.max_outcomes = 2000; /* keeps each input fast: the enumerations ... */
    o.max_nodes = 20000;   /* ... and the analysis behind the zone (branch and bound ... */
    o.max_work = 2e6;      /* ... and, with many bargainers, the Pareto merge) */
    double outcomes = 1;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        outcomes *= (double)truce_issue_option_count(s, i);
    o.margins = outcomes <= MARGIN_OUTCOMES;
    o.time = 0.5;
    char *text = NULL;
    truce_error err;
    int rc = truce_check(&text, s, &o, &err);
    CHECK(rc == 0 || rc == TRUCE_ELIMIT);
    if (rc == 0)
        check_json(text, "zone");
    size_t np = truce_scenario_party_count(s), acc[3], n_acc = 0;
    for (size_t p = 1; p < np && n_acc < 3; p++)
        acc[n_acc++] = p;
    rc = truce_advise(&text, s, 0, acc, n_acc, &o, &err);
    CHECK(rc == 0 || rc == TRUCE_ELIMIT);
    if (rc == 0)
        check_json(text, "advice");
    rc = truce_tradeoffs(&text, s, &err);
    CHECK(rc == 0);
    check_json(text, NULL);
}

/* The writer's promise: reading its file back gives the same model. */
static void check_round_trip(const truce_scenario *s, const char *dir, uint32_t *outcome)
{
    char path[512];
    snprintf(path, sizeof path, "%s/out.yaml", dir);
    truce_error err;
    int rc = truce_scenario_save_yaml(s, path, &err);
    if (rc)
        fprintf(stderr, "fuzz_yaml: a loaded scenario does not save: %s\n", err.message);
    CHECK(rc == 0);
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.real_steps = 5;
    opts.max_issue_values = 1000;
    truce_scenario *back = NULL;
    rc = truce_scenario_load_yaml(&back, path, &opts, &err);
    if (rc)
        fprintf(stderr, "fuzz_yaml: written file does not load: %s\n", err.message);
    CHECK(rc == 0);
    size_t np = truce_scenario_party_count(s);
    CHECK(truce_scenario_issue_count(back) == truce_scenario_issue_count(s));
    CHECK(truce_scenario_party_count(back) == np);
    CHECK(strcmp(truce_scenario_name(back), truce_scenario_name(s)) == 0);
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        CHECK(truce_issue_option_count(back, i) == truce_issue_option_count(s, i));
        CHECK(strcmp(truce_issue_name(back, i), truce_issue_name(s, i)) == 0);
    }
    for (int x = 0; x < PICKED_OUTCOMES; x++) {
        fuzz_pick_outcome(s, x, outcome);
        for (size_t p = 0; p < np; p++) {
            CHECK(same_bits(truce_utility(s, p, outcome), truce_utility(back, p, outcome)));
            CHECK(truce_outcome_violates(s, p, outcome) ==
                  truce_outcome_violates(back, p, outcome));
        }
    }
    for (size_t p = 0; p < np; p++) {
        CHECK(strcmp(truce_party_name(back, p), truce_party_name(s, p)) == 0);
        CHECK(truce_party_role(back, p) == truce_party_role(s, p));
        CHECK(same_bits(truce_party_discount(back, p), truce_party_discount(s, p)));
        for (int t = 0; t <= 4; t++)
            CHECK(same_bits(truce_party_reservation_at(back, p, t / 4.0),
                            truce_party_reservation_at(s, p, t / 4.0)));
        for (size_t q = 0; q < np; q++)
            CHECK(truce_channel(back, p, q) == truce_channel(s, p, q));
    }
    truce_scenario_free(back);
}

/* GENIUS may refuse what it cannot hold; what it writes reads back the same. */
static void check_genius(const truce_scenario *s, const char *dir, uint32_t *outcome)
{
    size_t np = truce_scenario_party_count(s);
    if (np > 8)
        return;
    char domain[512], paths[8][512];
    const char *profiles[8];
    snprintf(domain, sizeof domain, "%s/g/domain.xml", dir);
    for (size_t p = 0; p < np; p++) {
        snprintf(paths[p], sizeof paths[p], "%s/g/p%zu.xml", dir, p);
        profiles[p] = paths[p];
    }
    truce_error err;
    int rc = truce_scenario_save_genius(s, domain, profiles, np, &err);
    if (rc) {
        CHECK(rc == TRUCE_EINVAL || rc == TRUCE_ELIMIT);
        return;
    }
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.real_steps = 5;
    opts.max_issue_values = 1000;
    truce_scenario *back = NULL;
    rc = truce_scenario_load_genius(&back, domain, profiles, np, &opts, &err);
    if (rc)
        fprintf(stderr, "fuzz_yaml: written GENIUS files do not load: %s\n", err.message);
    CHECK(rc == 0);
    /* GENIUS keeps a real issue's range, not its steps: the reader chooses
     * them, so such a space may come back with other options */
    int same_space = truce_scenario_issue_count(back) == truce_scenario_issue_count(s);
    for (size_t i = 0; same_space && i < truce_scenario_issue_count(s); i++)
        same_space = truce_issue_option_count(back, i) == truce_issue_option_count(s, i);
    for (int x = 0; same_space && x < PICKED_OUTCOMES; x++) {
        fuzz_pick_outcome(s, x, outcome);
        for (size_t p = 0; p < np; p++)
            CHECK(same_bits(truce_utility(s, p, outcome), truce_utility(back, p, outcome)));
    }
    truce_scenario_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = scratch_dir();
    char path[512];
    snprintf(path, sizeof path, "%s/in.yaml", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size || size == 0);
    CHECK(fclose(f) == 0);
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.real_steps = 5;
    opts.max_issue_values = 1000; /* keeps each input fast */
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load(&s, path, &opts, &err);
    if (getenv("TRUCE_FUZZ_VERBOSE")) /* to see what saved inputs reach */
        fprintf(stderr, "  %s\n", rc ? err.message : "loaded");
    if (rc) {
        check_refusal(rc, s, &err, path);
        return 0;
    }
    uint32_t *outcome = malloc(truce_scenario_issue_count(s) * sizeof *outcome);
    CHECK(outcome != NULL);
    check_model(s, outcome);
    check_reports(s);
    check_round_trip(s, dir, outcome);
    check_genius(s, dir, outcome);
    free(outcome);
    truce_scenario_free(s);
    return 0;
}
