/* test_scenario.c: the core model: utilities of hand-made GENIUS profiles
 * against values computed by hand from the GENIUS evaluator formulas,
 * accessors, outcome counts and the synthetic generator. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

static truce_scenario *load_handmade(void)
{
    const char *profiles[] = {TRUCE_TEST_DATA "/handmade/a.xml", TRUCE_TEST_DATA "/handmade/b.xml"};
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load_genius(&s, TRUCE_TEST_DATA "/handmade/domain.xml", profiles, 2,
                                        NULL, &err);
    if (rc)
        fail_msg("%s", err.message);
    return s;
}

static void test_issues_and_options(void **state)
{
    (void)state;
    truce_scenario *s = load_handmade();
    assert_int_equal(truce_scenario_issue_count(s), 3);
    assert_int_equal(truce_scenario_party_count(s), 2);
    assert_string_equal(truce_issue_name(s, 0), "color");
    assert_int_equal(truce_issue_kind_of(s, 1), TRUCE_ISSUE_INTEGER);
    assert_int_equal(truce_issue_option_count(s, 0), 3);
    assert_int_equal(truce_issue_option_count(s, 1), 5);
    assert_int_equal(truce_issue_option_count(s, 2), 11); /* default real_steps */
    char label[64];
    truce_issue_option_label(s, 0, 2, label, sizeof label);
    assert_string_equal(label, "blue");
    truce_issue_option_label(s, 1, 3, label, sizeof label);
    assert_string_equal(label, "3");
    truce_issue_option_label(s, 2, 4, label, sizeof label);
    assert_string_equal(label, "4");
    assert_int_equal(truce_issue_find(s, "count"), 1);
    assert_int_equal(truce_issue_find(s, "nope"), TRUCE_ENOTFOUND);
    assert_int_equal(truce_option_find(s, 0, "green"), 1);
    char count[64];
    truce_scenario_outcome_count(s, count, sizeof count);
    assert_string_equal(count, "165"); /* 3 * 5 * 11 */
    assert_string_equal(truce_party_name(s, 0), "a");
    truce_scenario_free(s);
}

static void test_linear_utility_by_hand(void **state)
{
    (void)state;
    truce_scenario *s = load_handmade();
    /* a: 0.5 * 8/8 + 0.3 * 0.25*2 + 0.2 * (0.05*4 + 0.1) = 0.71 */
    uint32_t o1[] = {1, 2, 4};
    assert_float_equal(truce_utility(s, 0, o1), 0.71, 1e-12);
    /* a: 0.5 * 2/8 + 0 + 0.2 * 0.1 = 0.145 */
    uint32_t o2[] = {0, 0, 0};
    assert_float_equal(truce_utility(s, 0, o2), 0.145, 1e-12);
    /* b: colour 0 (max < 1e-5), count clamp(-0.5+0.5*4)=1 -> 0.8, level 0.7 -> 0.35:
     * 1.15 capped at 1 */
    uint32_t o3[] = {1, 4, 7};
    assert_float_equal(truce_utility(s, 1, o3), 1.0, 0);
    /* b: count 2 -> 0.5 * 0.8 = 0.4; + 0.35 = 0.75 */
    uint32_t o4[] = {0, 2, 0};
    assert_float_equal(truce_utility(s, 1, o4), 0.75, 1e-12);
    /* b: count 0 -> clamp(-0.5) = 0 */
    uint32_t o5[] = {2, 0, 10};
    assert_float_equal(truce_utility(s, 1, o5), 0.35, 1e-12);
    /* invalid outcomes and parties give NaN */
    uint32_t bad[] = {3, 0, 0};
    assert_true(isnan(truce_utility(s, 0, bad)));
    assert_true(isnan(truce_utility(s, 2, o1)));
    truce_scenario_free(s);
}

static void test_reservation_and_discount(void **state)
{
    (void)state;
    truce_scenario *s = load_handmade();
    assert_float_equal(truce_party_reservation(s, 0), 0.2, 0);
    assert_float_equal(truce_party_reservation(s, 1), 0.0, 0); /* none given */
    assert_float_equal(truce_party_discount(s, 0), 0.5, 0);
    assert_float_equal(truce_party_discount(s, 1), 1.0, 0); /* 0.0 means none in GENIUS */
    assert_float_equal(truce_discount(s, 0, 0.8, 0.5), 0.8 * sqrt(0.5), 1e-15);
    assert_float_equal(truce_discount(s, 0, 0.8, 2.0), 0.4, 1e-15); /* t clamped to 1 */
    assert_float_equal(truce_discount(s, 0, 0.8, -1), 0.8, 0);      /* t clamped to 0 */
    assert_float_equal(truce_discount(s, 1, 0.8, 1.0), 0.8, 0);
    truce_scenario_free(s);
}

static void test_real_steps_option(void **state)
{
    (void)state;
    truce_load_options o = TRUCE_LOAD_OPTIONS_INIT;
    o.real_steps = 3; /* 0, 5, 10 */
    const char *profiles[] = {TRUCE_TEST_DATA "/handmade/a.xml"};
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_genius(&s, TRUCE_TEST_DATA "/handmade/domain.xml",
                                                profiles, 1, &o, &err),
                     0);
    assert_int_equal(truce_issue_option_count(s, 2), 3);
    uint32_t o1[] = {1, 0, 1}; /* level 5: 0.2 * (0.25 + 0.1) */
    assert_float_equal(truce_utility(s, 0, o1), 0.5 + 0.2 * 0.35, 1e-12);
    truce_scenario_free(s);
    o.real_steps = 1;
    assert_int_equal(truce_scenario_load_genius(&s, TRUCE_TEST_DATA "/handmade/domain.xml",
                                                profiles, 1, &o, &err),
                     TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "real_steps"));
}

static void test_nonlinear_utility_by_hand(void **state)
{
    (void)state;
    const char *profiles[] = {TRUCE_TEST_DATA "/nonlinear/p.xml",
                              TRUCE_TEST_DATA "/nonlinear/q.xml"};
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load_genius(&s, TRUCE_TEST_DATA "/nonlinear/domain.xml", profiles, 2,
                                        NULL, &err);
    if (rc)
        fail_msg("%s", err.message);
    assert_int_equal(truce_party_profile_kind(s, 0), TRUCE_PROFILE_NONLINEAR);
    uint32_t a[] = {0, 2}; /* 6 + 5 = 11 -> 1.1, capped at 1 */
    assert_float_equal(truce_utility(s, 0, a), 1.0, 0);
    uint32_t b[] = {3, 0}; /* EXCLUDES x in [0,2] holds: 4 + 5 = 9 */
    assert_float_equal(truce_utility(s, 0, b), 0.9, 1e-15);
    uint32_t c[] = {2, 2}; /* only the unconditional 5 */
    assert_float_equal(truce_utility(s, 0, c), 0.5, 1e-15);
    assert_float_equal(truce_utility(s, 1, b), 1.0, 0); /* 10 + 3 = 13 -> capped */
    uint32_t d[] = {3, 1};
    assert_float_equal(truce_utility(s, 1, d), 0.3, 1e-15);
    assert_float_equal(truce_party_reservation(s, 0), 0.6, 0);
    truce_scenario_free(s);
}

static void test_generate_is_deterministic(void **state)
{
    (void)state;
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = 6;
    g.n_options = 4;
    g.n_parties = 3;
    g.seed = 42;
    truce_scenario *a = NULL, *b = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_generate(&a, &g, &err), 0);
    assert_int_equal(truce_scenario_generate(&b, &g, &err), 0);
    uint32_t o[6];
    for (uint64_t x = 0; x < 4096; x += 7) {
        outcome_from_index(a, x, o);
        for (size_t p = 0; p < 3; p++) {
            double u = truce_utility(a, p, o);
            assert_true(u >= 0 && u <= 1);
            assert_true(u == truce_utility(b, p, o));
        }
    }
    /* the best outcome of a party reaches 1: weights sum to 1, each issue
     * has an option at its maximum evaluation */
    truce_scenario_free(a);
    truce_scenario_free(b);
    g.n_issues = 0;
    assert_int_equal(truce_scenario_generate(&a, &g, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "n_issues"));
}

static void test_outcome_count_beyond_64_bits(void **state)
{
    (void)state;
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = 200;
    g.n_options = 10;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_generate(&s, &g, &err), 0);
    char count[512];
    assert_int_equal(truce_scenario_outcome_count(s, count, sizeof count), 201);
    assert_int_equal(count[0], '1');
    for (int i = 1; i < 201; i++)
        assert_int_equal(count[i], '0');
    assert_int_equal(truce_scenario_outcome_count(s, count, 100), TRUCE_EINVAL);
    truce_scenario_free(s);
}

static void test_free_null_and_strerror(void **state)
{
    (void)state;
    truce_scenario_free(NULL);
    truce_analysis_free(NULL);
    assert_string_equal(truce_strerror(TRUCE_EPARSE), "TRUCE_EPARSE");
    assert_string_equal(truce_strerror(12345), "TRUCE_E?");
    assert_string_equal(truce_version(), TRUCE_VERSION_STRING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issues_and_options),
        cmocka_unit_test(test_linear_utility_by_hand),
        cmocka_unit_test(test_reservation_and_discount),
        cmocka_unit_test(test_real_steps_option),
        cmocka_unit_test(test_nonlinear_utility_by_hand),
        cmocka_unit_test(test_generate_is_deterministic),
        cmocka_unit_test(test_outcome_count_beyond_64_bits),
        cmocka_unit_test(test_free_null_and_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
