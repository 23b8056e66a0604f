/* test_geniusweb.c: GeniusWeb JSON scenarios: utilities against a computation from the JSON
 * written here, number value sets by hand, errors, and round trips through GeniusWeb JSON,
 * GENIUS XML and native YAML that keep every utility bit for bit. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#define GW_DIR TRUCE_SCENARIOS "/geniusweb"

static uint64_t outcome_count(const truce_scenario *s)
{
    uint64_t n = 1;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        n *= truce_issue_option_count(s, i);
    return n;
}

/* Every outcome, every party: the same utility, bit for bit, and the same reservation
 * values; the issues may have changed form (a numeric issue written as discrete values) but
 * keep their names and option counts. */
static void assert_same_utilities(const truce_scenario *a, const truce_scenario *b,
                                  const char *what)
{
    size_t ni = truce_scenario_issue_count(a), np = truce_scenario_party_count(a);
    assert_int_equal(truce_scenario_issue_count(b), ni);
    assert_int_equal(truce_scenario_party_count(b), np);
    for (size_t i = 0; i < ni; i++) {
        assert_string_equal(truce_issue_name(a, i), truce_issue_name(b, i));
        assert_int_equal(truce_issue_option_count(a, i), truce_issue_option_count(b, i));
    }
    for (size_t p = 0; p < np; p++)
        if (truce_party_reservation(a, p) != truce_party_reservation(b, p))
            fail_msg("%s: party %zu reservation %.17g became %.17g", what, p,
                     truce_party_reservation(a, p), truce_party_reservation(b, p));
    uint32_t *o = calloc(ni, sizeof *o);
    uint64_t n = outcome_count(a);
    for (uint64_t x = 0; x < n; x++) {
        outcome_from_index(a, x, o);
        for (size_t p = 0; p < np; p++) {
            double u = truce_utility(a, p, o), v = truce_utility(b, p, o);
            if (u != v)
                fail_msg("%s: party %zu, outcome %llu: %.17g became %.17g", what, p,
                         (unsigned long long)x, u, v);
        }
    }
    free(o);
}

/* The utility the JSON profile gives an outcome, computed from the parsed JSON: the sum over
 * issues, in the domain's order, of weight times the value's utility. */
static double json_utility(json_t *profile, const truce_scenario *s, const uint32_t *o)
{
    json_t *space = json_object_get(profile, "LinearAdditiveUtilitySpace");
    double u = 0;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        const char *issue = truce_issue_name(s, i);
        char label[256];
        truce_issue_option_label(s, i, o[i], label, sizeof label);
        json_t *vu = json_object_get(
            json_object_get(json_object_get(json_object_get(space, "issueUtilities"), issue),
                            "discreteutils"),
            "valueUtilities");
        u += json_number_value(json_object_get(json_object_get(space, "issueWeights"), issue)) *
             json_number_value(json_object_get(vu, label));
    }
    return u > 1 ? 1 : u;
}

static void check_sample(const char *folder, const char *const *profiles, size_t np)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/%s", GW_DIR, folder);
    struct stat st;
    if (stat(dir, &st) != 0) {
        print_message("no %s: GeniusWeb samples absent, skipped\n", dir);
        return;
    }
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, dir, NULL, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_scenario_party_count(s), np);
    uint32_t *o = calloc(truce_scenario_issue_count(s), sizeof *o);
    for (size_t p = 0; p < np; p++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, profiles[p]);
        json_t *doc = json_load_file(path, 0, NULL);
        assert_non_null(doc);
        char name[100];
        snprintf(name, sizeof name, "%s", profiles[p]);
        *strrchr(name, '.') = '\0';
        assert_string_equal(truce_party_name(s, p), name);
        for (uint64_t x = 0; x < outcome_count(s); x++) {
            outcome_from_index(s, x, o);
            assert_close(truce_utility(s, p, o), json_utility(doc, s, o), 1e-15);
        }
        /* the reservation value is the reservation bid's utility */
        json_t *bid = json_object_get(
            json_object_get(json_object_get(doc, "LinearAdditiveUtilitySpace"), "reservationBid"),
            "issuevalues");
        for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
            o[i] = (uint32_t)truce_option_find(
                s, i, json_string_value(json_object_get(bid, truce_issue_name(s, i))));
        assert_close(truce_party_reservation(s, p), json_utility(doc, s, o), 1e-15);
        json_decref(doc);
    }
    free(o);
    truce_scenario_free(s);
}

static void test_samples_load_with_the_utilities_their_json_gives(void **state)
{
    (void)state;
    const char *party[] = {"party1.json", "party2.json"};
    check_sample("Party", party, 2);
    const char *trip[] = {"japantrip1.json", "japantrip2.json"};
    check_sample("JapnTrip", trip, 2);
}

/* ---- round trips ---- */

typedef enum { YAML, GENIUS, GENIUSWEB } format;

/* Write s in a format and read it back (legacy on: a GENIUS file may carry the legacy form). */
static truce_scenario *through(const truce_scenario *s, format f)
{
    const char *dir = temp_dir();
    size_t np = truce_scenario_party_count(s);
    char domain[700], **profiles = calloc(np, sizeof *profiles);
    truce_error err;
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    lo.legacy = 1;
    truce_scenario *back = NULL;
    if (f == YAML) {
        snprintf(domain, sizeof domain, "%s/s.yaml", dir);
        if (truce_scenario_save_yaml(s, domain, &err) ||
            truce_scenario_load_yaml(&back, domain, &lo, &err))
            fail_msg("yaml: %s", err.message);
        free(profiles);
        return back;
    }
    const char *ext = f == GENIUS ? "xml" : "json";
    snprintf(domain, sizeof domain, "%s/domain.%s", dir, ext);
    for (size_t p = 0; p < np; p++) {
        profiles[p] = malloc(700);
        snprintf(profiles[p], 700, "%s/%s.%s", dir, truce_party_name(s, p), ext);
    }
    const char *const *pp = (const char *const *)profiles;
    int rc = f == GENIUS ? truce_scenario_save_genius(s, domain, pp, np, &err)
                         : truce_scenario_save_geniusweb(s, domain, pp, np, &err);
    if (rc)
        fail_msg("save %s: %s", ext, err.message);
    rc = f == GENIUS ? truce_scenario_load_genius(&back, domain, pp, np, &lo, &err)
                     : truce_scenario_load_geniusweb(&back, domain, pp, np, &lo, &err);
    if (rc)
        fail_msg("reload %s: %s", ext, err.message);
    free_strings(profiles, np);
    return back;
}

/* Through every format and back to the first, in both orders of the other two. */
static void assert_round_trips(const truce_scenario *s, const char *what)
{
    static const format orders[][3] = {{GENIUSWEB, YAML, GENIUS}, {GENIUSWEB, GENIUS, YAML},
                                       {YAML, GENIUSWEB, GENIUS}, {YAML, GENIUS, GENIUSWEB},
                                       {GENIUS, GENIUSWEB, YAML}, {GENIUS, YAML, GENIUSWEB}};
    for (size_t k = 0; k < sizeof orders / sizeof *orders; k++) {
        const truce_scenario *cur = s;
        truce_scenario *owned[3] = {NULL, NULL, NULL};
        for (int step = 0; step < 3; step++) {
            owned[step] = through(cur, orders[k][step]);
            char label[200];
            snprintf(label, sizeof label, "%s, step %d of order %zu", what, step + 1, k);
            assert_same_utilities(s, owned[step], label);
            cur = owned[step];
        }
        for (int step = 0; step < 3; step++)
            truce_scenario_free(owned[step]);
    }
}

static void test_samples_round_trip_through_every_format(void **state)
{
    (void)state;
    const char *folders[] = {"Party", "JapnTrip"};
    for (size_t f = 0; f < 2; f++) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/%s", GW_DIR, folders[f]);
        truce_scenario *s = NULL;
        truce_error err;
        struct stat st;
        if (stat(dir, &st) != 0)
            continue;
        if (truce_scenario_load(&s, dir, NULL, &err))
            fail_msg("%s", err.message);
        assert_round_trips(s, folders[f]);
        truce_scenario_free(s);
    }
}

/* ---- number value sets, by hand ---- */

static const char NUMBER_DOMAIN[] =
    "{\"name\": \"shop\", \"issuesValues\": {\n"
    "  \"colour\": {\"values\": [\"red\", \"blue\"]},\n"
    "  \"count\": {\"range\": {\"low\": 2, \"high\": 6, \"step\": 1}},\n"
    "  \"price\": {\"range\": {\"low\": 0.5, \"high\": 1.6, \"step\": 0.25}}}}\n";

/* count: 0.2 at 2 rising to 1 at 6; price: 1 at 0.5 falling to 0 at 1.6 (the range ends at
 * 1.5, its last value: 0.5, 0.75, 1, 1.25, 1.5). */
static const char NUMBER_PROFILE[] =
    "{\"LinearAdditiveUtilitySpace\": {\n"
    " \"issueUtilities\": {\n"
    "  \"colour\": {\"discreteutils\": {\"valueUtilities\": {\"red\": 0.5, \"blue\": 0.25}}},\n"
    "  \"count\": {\"numberutils\": {\"lowValue\": 2, \"lowUtility\": 0.2, \"highValue\": 6, "
    "\"highUtility\": 1}},\n"
    "  \"price\": {\"numberutils\": {\"lowValue\": 0.5, \"lowUtility\": 1, \"highValue\": 1.6, "
    "\"highUtility\": 0}}},\n"
    " \"issueWeights\": {\"colour\": 0.5, \"count\": 0.25, \"price\": 0.25},\n"
    " \"reservationBid\": {\"issuevalues\": {\"colour\": \"blue\", \"count\": 4, \"price\": "
    "1}}}}\n";

static truce_scenario *load_texts(const char *domain_text, const char *profile_text,
                                  truce_error *err)
{
    const char *dir = temp_dir();
    char domain[600], profile[600];
    snprintf(domain, sizeof domain, "%s/shop.json", dir);
    snprintf(profile, sizeof profile, "%s/buyer.json", dir);
    FILE *f = fopen(domain, "w");
    fputs(domain_text, f);
    fclose(f);
    f = fopen(profile, "w");
    fputs(profile_text, f);
    fclose(f);
    truce_scenario *s = NULL;
    const char *profiles[] = {profile};
    if (truce_scenario_load_geniusweb(&s, domain, profiles, 1, NULL, err))
        return NULL;
    return s;
}

static void test_number_value_sets_by_hand(void **state)
{
    (void)state;
    truce_error err;
    truce_scenario *s = load_texts(NUMBER_DOMAIN, NUMBER_PROFILE, &err);
    if (!s)
        fail_msg("%s", err.message);
    assert_int_equal(truce_issue_kind_of(s, 1), TRUCE_ISSUE_INTEGER);
    assert_int_equal(truce_issue_option_count(s, 1), 5);
    assert_int_equal(truce_issue_kind_of(s, 2), TRUCE_ISSUE_REAL);
    assert_int_equal(truce_issue_option_count(s, 2), 5);
    char label[64];
    truce_issue_option_label(s, 2, 4, label, sizeof label);
    assert_string_equal(label, "1.5");
    /* (red, 4, 1): 0.5 * 0.5 + 0.25 * (0.2 + 0.8 * 2/4) + 0.25 * (1 - 0.5/1.1) */
    uint32_t o[3] = {0, 2, 2};
    assert_close(truce_utility(s, 0, o), 0.25 + 0.25 * 0.6 + 0.25 * (1 - 0.5 / 1.1), 1e-15);
    /* the reservation bid (blue, 4, 1): 0.125 + 0.15 + 0.25 * (1 - 0.5/1.1) */
    assert_close(truce_party_reservation(s, 0), 0.125 + 0.15 + 0.25 * (1 - 0.5 / 1.1), 1e-15);
    assert_round_trips(s, "number value sets");
    /* GENIUS keeps the integer issue integer (EvaluatorInteger's line is the interpolation) */
    truce_scenario *x = through(s, GENIUS);
    assert_int_equal(truce_issue_kind_of(x, 1), TRUCE_ISSUE_INTEGER);
    assert_int_equal(truce_issue_kind_of(x, 2), TRUCE_ISSUE_DISCRETE);
    truce_scenario *back = through(s, GENIUSWEB);
    assert_int_equal(truce_issue_kind_of(back, 2), TRUCE_ISSUE_REAL);
    truce_scenario_free(back);
    truce_scenario_free(x);
    truce_scenario_free(s);
}

/* ---- errors ---- */

static void expect_error(const char *domain, const char *profile, int code, const char *part)
{
    truce_error err;
    truce_scenario *s = load_texts(domain, profile, &err);
    if (s)
        fail_msg("loaded; expected an error saying \"%s\"", part);
    assert_int_equal(err.code, code);
    assert_non_null(strstr(err.message, ".json"));
    if (!strstr(err.message, part))
        fail_msg("expected \"%s\" in: %s", part, err.message);
}

static void test_bad_files_are_errors_naming_file_and_place(void **state)
{
    (void)state;
    char text[4096];
    /* malformed JSON: its line and column */
    expect_error("{\"name\": \"x\",\n \"issuesValues\": {\n}", NUMBER_PROFILE, TRUCE_EPARSE,
                 "shop.json:3:");
    snprintf(text, sizeof text, "%s", NUMBER_PROFILE);
    char *at = strstr(text, "\"blue\": 0.25");
    memcpy(at, "\"blau\": 0.25", 12);
    expect_error(NUMBER_DOMAIN, text, TRUCE_EINVAL,
                 "issueUtilities.\"colour\": \"blau\" is no value of the issue in the domain");
    snprintf(text, sizeof text, "%s", NUMBER_PROFILE);
    at = strstr(text, "\"highValue\": 6");
    memcpy(at, "\"highValue\": 7", 14);
    expect_error(NUMBER_DOMAIN, text, TRUCE_EINVAL, "the issue's range is [2, 6]");
    snprintf(text, sizeof text, "%s", NUMBER_PROFILE);
    at = strstr(text, "\"red\": 0.5");
    memcpy(at, "\"red\": 1.5", 10);
    expect_error(NUMBER_DOMAIN, text, TRUCE_EINVAL, "must be a number in [0, 1]");
    expect_error(NUMBER_DOMAIN, "{\"DiscountedProfile\": {}}", TRUCE_EINVAL,
                 "LinearAdditiveUtilitySpace, not DiscountedProfile");
    expect_error(NUMBER_DOMAIN,
                 "{\"LinearAdditiveUtilitySpace\": {\"issueUtilities\": {}, \"issueWeights\": {}}}",
                 TRUCE_EINVAL, "issue 'colour' has no utilities");
    expect_error("{\"name\": \"x\", \"issuesValues\": {\"a\": {\"range\": {\"low\": 3, "
                 "\"high\": 1, \"step\": 1}}}}",
                 NUMBER_PROFILE, TRUCE_EINVAL, "low <= high");
}

/* Names as the other readers take them (docs/limits.md#names-and-text): there, printable, not
 * twice (found through sorted indexes, also when values are many), and parties named after
 * their files, so two profile files of one name are refused. */
static void test_names_are_checked_as_in_the_other_readers(void **state)
{
    (void)state;
    expect_error("{\"name\": \"x\", \"issuesValues\": {\"\": {\"values\": [\"a\"]}}}",
                 NUMBER_PROFILE, TRUCE_EINVAL, "an issue has an empty name");
    expect_error("{\"name\": \"x\", \"issuesValues\": {\"c\": {\"values\": [\"a\", \"\"]}}}",
                 NUMBER_PROFILE, TRUCE_EINVAL, "a value has an empty name");
    expect_error("{\"name\": \"x\", \"issuesValues\": {\"c\": {\"values\": [\"a\\u0007\"]}}}",
                 NUMBER_PROFILE, TRUCE_EINVAL, "character U+0007 is not allowed");
    expect_error("{\"name\": \"x\", \"issuesValues\": {\"c\": {\"values\": [\"a\", \"b\", "
                 "\"a\"]}}}",
                 NUMBER_PROFILE, TRUCE_EINVAL, "value \"a\" appears twice (values 1 and 3)");
    /* 20,000 values, the last two equal: the repeat named by position; and a profile giving
     * each of 20,000 values its utility loads with each value's own */
    size_t n = 20000, cap = n * 48 + 256;
    char *domain = malloc(cap), *profile = malloc(cap);
    assert_non_null(domain);
    assert_non_null(profile);
    size_t d = (size_t)snprintf(domain, cap, "{\"name\": \"x\", \"issuesValues\": {\"c\": "
                                             "{\"values\": [");
    size_t q = (size_t)snprintf(profile, cap, "{\"LinearAdditiveUtilitySpace\": {"
                                              "\"issueWeights\": {\"c\": 1}, \"issueUtilities\": "
                                              "{\"c\": {\"discreteutils\": {\"valueUtilities\": {");
    for (size_t k = 0; k < n; k++) {
        d += (size_t)snprintf(domain + d, cap - d, "%s\"v%zu\"", k ? ", " : "", n - 1 - k);
        q += (size_t)snprintf(profile + q, cap - q, "%s\"v%zu\": %.17g", k ? ", " : "", k,
                              (double)k / (double)n);
    }
    snprintf(domain + d, cap - d, "]}}}");
    snprintf(profile + q, cap - q, "}}}}}}");
    truce_error err;
    truce_scenario *s = load_texts(domain, profile, &err);
    if (!s)
        fail_msg("%s", err.message);
    uint32_t o[1];
    for (uint32_t k = 0; k < n; k += 997) {
        o[0] = k; /* option k is "v(n-1-k)", worth (n-1-k)/n */
        assert_true(truce_utility(s, 0, o) == (double)(n - 1 - k) / (double)n);
    }
    truce_scenario_free(s);
    char *last = strrchr(domain, 'v');
    memcpy(last, "v1\"", 3); /* "v0" becomes "v1", as the value before it */
    expect_error(domain, profile, TRUCE_EINVAL, "value \"v1\" appears twice (values 19999 and 20000)");
    free(domain);
    free(profile);
    /* two profile files named buyer.json, in two folders */
    const char *dir = temp_dir();
    char a[700], b[700], sub[650], dom[700];
    snprintf(sub, sizeof sub, "%s/other", dir);
    mkdir(sub, 0777);
    snprintf(dom, sizeof dom, "%s/shop.json", dir);
    snprintf(a, sizeof a, "%s/buyer.json", dir);
    snprintf(b, sizeof b, "%s/buyer.json", sub);
    const char *texts[] = {NUMBER_DOMAIN, NUMBER_PROFILE, NUMBER_PROFILE};
    const char *paths[] = {dom, a, b};
    for (int k = 0; k < 3; k++) {
        FILE *f = fopen(paths[k], "w");
        assert_non_null(f);
        fputs(texts[k], f);
        fclose(f);
    }
    const char *profiles[] = {a, b};
    assert_int_equal(truce_scenario_load_geniusweb(&s, dom, profiles, 2, NULL, &err),
                     TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "two profiles name the party 'buyer'"));
}

/* ---- GENIUS to GeniusWeb ---- */

/* Every linear scenario of the corpus converts to GeniusWeb JSON and reads back with the
 * same utilities on every outcome (discount factors have no GeniusWeb form). */
static void test_corpus_to_geniusweb_keeps_every_utility(void **state)
{
    (void)state;
    size_t n = 0, converted = 0;
    char **folders = corpus_folders(&n);
    for (size_t f = 0; f < n; f++) {
        truce_scenario *s = NULL;
        truce_error err;
        if (truce_scenario_load_dir(&s, folders[f], NULL, &err))
            fail_msg("%s: %s", folders[f], err.message);
        int linear = 1;
        for (size_t p = 0; p < truce_scenario_party_count(s); p++)
            linear &= truce_party_profile_kind(s, p) == TRUCE_PROFILE_LINEAR;
        if (linear && outcome_count(s) <= 400000) {
            truce_scenario *back = through(s, GENIUSWEB);
            /* reservation values: the bid found is worth exactly them, or less */
            for (size_t p = 0; p < truce_scenario_party_count(s); p++)
                assert_true(truce_party_reservation(back, p) <= truce_party_reservation(s, p));
            size_t ni = truce_scenario_issue_count(s);
            uint32_t *o = calloc(ni, sizeof *o);
            for (uint64_t x = 0; x < outcome_count(s); x++) {
                outcome_from_index(s, x, o);
                for (size_t p = 0; p < truce_scenario_party_count(s); p++)
                    if (truce_utility(s, p, o) != truce_utility(back, p, o))
                        fail_msg("%s: party %zu outcome %llu differs", folders[f], p,
                                 (unsigned long long)x);
            }
            free(o);
            truce_scenario_free(back);
            converted++;
        }
        truce_scenario_free(s);
    }
    free_strings(folders, n);
    print_message("%zu corpus scenarios through GeniusWeb JSON, every utility kept\n", converted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_load_with_the_utilities_their_json_gives),
        cmocka_unit_test(test_samples_round_trip_through_every_format),
        cmocka_unit_test(test_number_value_sets_by_hand),
        cmocka_unit_test(test_bad_files_are_errors_naming_file_and_place),
        cmocka_unit_test(test_names_are_checked_as_in_the_other_readers),
        cmocka_unit_test(test_corpus_to_geniusweb_keeps_every_utility),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
