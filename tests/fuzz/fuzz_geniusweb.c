/* fuzz_geniusweb.c: libFuzzer target for the GeniusWeb JSON reader and writer: a NUL byte splits
 * the input into a domain and a profile; what loads is checked, written back as GeniusWeb JSON,
 * GENIUS XML and YAML, and must read back with the same utilities. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzzutil.h"
#include "truce.h"

/* Written as GeniusWeb JSON and read back: the same utility on the picked outcomes. */
static void check_geniusweb_round_trip(const truce_scenario *s)
{
    char domain[512], profile[512];
    fuzz_path("out-domain.json", domain, sizeof domain);
    fuzz_path("out-profile.json", profile, sizeof profile);
    const char *profiles[] = {profile};
    truce_error err;
    int rc = truce_scenario_save_geniusweb(s, domain, profiles, 1, &err);
    if (rc == TRUCE_EINVAL || rc == TRUCE_ELIMIT)
        return;
    FUZZ_CHECK(rc == 0);
    truce_load_options o = fuzz_load_options();
    truce_scenario *back = NULL;
    rc = truce_scenario_load_geniusweb(&back, domain, profiles, 1, &o, &err);
    if (rc)
        fprintf(stderr, "fuzz_geniusweb: written files do not load: %s\n", err.message);
    FUZZ_CHECK(rc == 0);
    uint32_t outcome[64];
    if (truce_scenario_issue_count(s) <= 64)
        for (int x = 0; x < FUZZ_PICKED_OUTCOMES; x++) {
            fuzz_pick_outcome(s, x, outcome);
            FUZZ_CHECK(truce_utility(s, 0, outcome) == truce_utility(back, 0, outcome));
        }
    truce_scenario_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t first = nul ? (size_t)(nul - data) : size;
    char domain[512], profile[512];
    fuzz_path("domain.json", domain, sizeof domain);
    fuzz_path("profile.json", profile, sizeof profile);
    fuzz_write(domain, data, first);
    fuzz_write(profile, nul ? nul + 1 : data, nul ? size - first - 1 : 0);
    truce_load_options o = fuzz_load_options();
    truce_scenario *s = NULL;
    truce_error err;
    const char *profiles[] = {profile};
    int rc = truce_scenario_load_geniusweb(&s, domain, profiles, 1, &o, &err);
    if (rc) {
        fuzz_check_refusal(rc, s, &err);
        return 0;
    }
    if (fuzz_verbose())
        fprintf(stderr, "fuzz_geniusweb: loaded %zu issues\n", truce_scenario_issue_count(s));
    fuzz_check_scenario(s, 0);
    check_geniusweb_round_trip(s);
    fuzz_check_genius_round_trip(s);
    truce_scenario_free(s);
    return 0;
}
