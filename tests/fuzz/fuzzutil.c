/* fuzzutil.c: helpers shared by the fuzz targets (see fuzzutil.h): scratch files, refusal and
 * scenario invariants, the GENIUS round trip. Linked into both libFuzzer and replay builds. */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include "fuzzutil.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "fuzz: check failed: %s (%s:%d)\n", what, file, line);
    abort();
}

static char scratch[256];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path); /* keep going whatever fails */
    return 0;
}

static void remove_scratch(void)
{
    if (scratch[0])
        nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_path(const char *name, char *buf, size_t size)
{
    if (!scratch[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(scratch, sizeof scratch, "%s/truce-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(scratch)) {
            perror("mkdtemp");
            abort();
        }
        atexit(remove_scratch);
    }
    snprintf(buf, size, "%s/%s", scratch, name);
    return buf;
}

void fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(size == 0 || fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
}

int fuzz_verbose(void)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("TRUCE_FUZZ_VERBOSE") != NULL;
    return verbose;
}

truce_load_options fuzz_load_options(void)
{
    /* small limits keep each input fast, and reach the limit checks */
    static truce_limits limits = TRUCE_LIMITS_INIT;
    limits.max_file_bytes = 1 << 20;
    limits.max_issues = 200;
    limits.max_options_total = 20000;
    limits.max_parties = 8;
    limits.max_depth = 32;
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.real_steps = 5;
    opts.max_issue_values = 1000;
    opts.limits = &limits;
    return opts;
}

void fuzz_check_refusal(int rc, const truce_scenario *s, const truce_error *err)
{
    FUZZ_CHECK(s == NULL && rc < 0 && err->code == rc && err->message[0] != '\0');
    /* libxml2's messages may span lines; ours are one line (names quoted
     * from the input may still carry a newline: error_set keeps them) */
    if (strstr(err->message, "malformed") || strstr(err->message, "cannot read") ||
        strstr(err->message, "limit"))
        FUZZ_CHECK(strchr(err->message, '\n') == NULL);
}

void fuzz_pick_outcome(const truce_scenario *s, int x, uint32_t *outcome)
{
    uint64_t state = 0x9E3779B97F4A7C15ull * (uint64_t)(x + 1);
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        uint32_t k = truce_issue_option_count(s, i);
        state ^= state >> 31;
        state *= 0xBF58476D1CE4E5B9ull;
        outcome[i] = x == 0   ? 0
                     : x == 1 ? k - 1
                     : x == 2 ? (uint32_t)(i % 2 ? k - 1 : 0)
                              : (uint32_t)(state % k);
    }
}

void fuzz_check_scenario(const truce_scenario *s, double lowest)
{
    size_t ni = truce_scenario_issue_count(s), np = truce_scenario_party_count(s);
    FUZZ_CHECK(ni >= 1 && np >= 1);
    for (size_t i = 0; i < ni; i++) {
        FUZZ_CHECK(truce_issue_option_count(s, i) >= 1);
        FUZZ_CHECK(truce_issue_name(s, i) != NULL);
        char label[64];
        FUZZ_CHECK(truce_issue_option_label(s, i, 0, label, sizeof label) >= 0);
    }
    uint32_t *outcome = malloc(ni * sizeof *outcome);
    FUZZ_CHECK(outcome != NULL);
    for (int x = 0; x < FUZZ_PICKED_OUTCOMES; x++) {
        fuzz_pick_outcome(s, x, outcome);
        for (size_t p = 0; p < np; p++) {
            double u = truce_utility(s, p, outcome);
            FUZZ_CHECK(u >= lowest && u <= 1);
        }
    }
    outcome[0] = truce_issue_option_count(s, 0);
    FUZZ_CHECK(isnan(truce_utility(s, 0, outcome)));
    FUZZ_CHECK(isnan(truce_utility(s, np, outcome)));
    free(outcome);
    for (size_t p = 0; p < np; p++) {
        double r = truce_party_reservation(s, p), d = truce_party_discount(s, p);
        FUZZ_CHECK(r >= 0 && isfinite(r));
        FUZZ_CHECK(d > 0 && d <= 1);
        FUZZ_CHECK(truce_party_name(s, p) != NULL);
    }
    char count[512];
    FUZZ_CHECK(truce_scenario_outcome_count(s, count, sizeof count) > 0);
}

void fuzz_check_genius_round_trip(const truce_scenario *s)
{
    size_t ni = truce_scenario_issue_count(s), np = truce_scenario_party_count(s);
    if (np > 8)
        return;
    char dir[400], domain[512], paths[8][512];
    const char *profiles[8];
    fuzz_path("round-trip", dir, sizeof dir);
    mkdir(dir, 0700);
    snprintf(domain, sizeof domain, "%s/domain.xml", dir);
    for (size_t p = 0; p < np; p++) {
        snprintf(paths[p], sizeof paths[p], "%s/p%zu.xml", dir, p);
        profiles[p] = paths[p];
    }
    truce_error err;
    int rc = truce_scenario_save_genius(s, domain, profiles, np, &err);
    if (rc) {
        FUZZ_CHECK(rc == TRUCE_EINVAL || rc == TRUCE_ELIMIT);
        return;
    }
    truce_load_options opts = fuzz_load_options();
    truce_scenario *back = NULL;
    rc = truce_scenario_load_genius(&back, domain, profiles, np, &opts, &err);
    if (rc)
        fprintf(stderr, "fuzz: written GENIUS files do not load: %s\n", err.message);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(truce_scenario_issue_count(back) == ni);
    FUZZ_CHECK(truce_scenario_party_count(back) == np);
    /* GENIUS keeps a real issue's range, not its steps: the reader chooses
     * them, so such a space may come back with other options */
    int same_space = 1;
    for (size_t i = 0; i < ni; i++)
        same_space &= truce_issue_option_count(back, i) == truce_issue_option_count(s, i);
    uint32_t *outcome = malloc(ni * sizeof *outcome);
    FUZZ_CHECK(outcome != NULL);
    for (int x = 0; same_space && x < FUZZ_PICKED_OUTCOMES; x++) {
        fuzz_pick_outcome(s, x, outcome);
        for (size_t p = 0; p < np; p++) {
            double a = truce_utility(s, p, outcome), b = truce_utility(back, p, outcome);
            FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
        }
    }
    free(outcome);
    for (size_t p = 0; p < np; p++) {
        double a = truce_party_reservation(s, p), b = truce_party_reservation(back, p);
        FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
    }
    truce_scenario_free(back);
}
