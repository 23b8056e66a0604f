/* test_frame.c: one negotiation, one answer (docs/analysis.md). The bargainers
 * (the principals) and the feasible outcomes (no principal's hard condition
 * broken) are what the analysis, `check` and `evaluate` all reason over:
 * thousands of random scenarios with roles, mediators without preferences and
 * hard conditions on principals and on others, against a brute force written
 * here from the scenario text, and the commands against each other. */
#define _DEFAULT_SOURCE
#include "testutil.h"
#include "randscen.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct expected {
    int n_considered, n_front, zopa;
    uint64_t pareto_count;
    double nash, ks, welfare; /* -INFINITY when none */
} expected;

/* Over the feasible outcomes (considered[x]) or all of them. */
static void expect(const scenario_spec *sp, const world *w, int feasible_only, expected *e)
{
    memset(e, 0, sizeof *e);
    e->nash = e->ks = e->welfare = -INFINITY;
    double ideal[MAX_PARTIES];
    for (int k = 0; k < w->nb; k++)
        ideal[k] = -INFINITY;
    double front[MAX_OUTCOMES][MAX_PARTIES];
    for (int x = 0; x < w->n_outcomes; x++) {
        if (feasible_only && !w->feasible[x])
            continue;
        e->n_considered++;
        double sum = 0;
        for (int k = 0; k < w->nb; k++)
            sum += w->u[x][w->bargainer[k]];
        e->welfare = fmax(e->welfare, sum);
        int dominated = 0;
        for (int y = 0; y < w->n_outcomes && !dominated; y++)
            dominated = (!feasible_only || w->feasible[y]) && world_dominates(w, w->u[y], w->u[x]);
        if (!dominated) {
            e->pareto_count++;
            int seen = 0;
            for (int j = 0; j < e->n_front && !seen; j++) {
                seen = 1;
                for (int k = 0; k < w->nb; k++)
                    seen &= fabs(front[j][k] - w->u[x][w->bargainer[k]]) <= 1e-12;
            }
            if (!seen) {
                for (int k = 0; k < w->nb; k++)
                    front[e->n_front][k] = w->u[x][w->bargainer[k]];
                e->n_front++;
            }
        }
        if (!world_rational(sp, w, x))
            continue;
        e->zopa = 1;
        double prod = 1;
        for (int k = 0; k < w->nb; k++) {
            int q = w->bargainer[k];
            prod *= w->u[x][q] - sp->p[q].reservation;
            ideal[k] = fmax(ideal[k], w->u[x][q]);
        }
        e->nash = fmax(e->nash, prod);
    }
    /* Kalai-Smorodinsky: the largest smallest share of the possible gain */
    for (int x = 0; e->zopa && x < w->n_outcomes; x++) {
        if ((feasible_only && !w->feasible[x]) || !world_rational(sp, w, x))
            continue;
        double share = INFINITY;
        for (int k = 0; k < w->nb; k++) {
            int q = w->bargainer[k];
            share = fmin(share, (w->u[x][q] - sp->p[q].reservation) /
                                    (ideal[k] - sp->p[q].reservation));
        }
        e->ks = fmax(e->ks, share);
    }
}

/* ---- checks of one analysis against the brute force ---- */

static void check_solutions(const scenario_spec *sp, const world *w, const truce_scenario *s,
                            const truce_analysis *an, const expected *e, int must_be_feasible)
{
    char count[64];
    assert_true(truce_analysis_pareto_count(an, count, sizeof count) > 0);
    assert_int_equal(strtoull(count, NULL, 10), e->pareto_count);
    assert_int_equal(truce_analysis_pareto_size(an), (size_t)e->n_front);
    assert_int_equal(truce_analysis_zopa(an), e->zopa);
    const double want[3] = {e->nash, e->ks, e->welfare};
    for (int which = 0; which < 3; which++) {
        double u[MAX_PARTIES], value;
        uint32_t o[MAX_ISSUES];
        int exists = truce_analysis_solution(an, (truce_solution)which, u, o, &value);
        assert_int_equal(exists, want[which] > -INFINITY);
        if (!exists)
            continue;
        assert_close(value, want[which], 1e-9);
        /* the point is an outcome of the scenario with these utilities for
         * every party, and feasible in the analysis over feasible outcomes */
        for (int q = 0; q < sp->n_parties; q++)
            assert_close(u[q], truce_utility(s, (size_t)q, o), 1e-12);
        if (must_be_feasible) {
            for (int k = 0; k < w->nb; k++)
                assert_true(spec_within(&sp->p[w->bargainer[k]], o));
            assert_int_equal(truce_outcome_feasible(s, o), 1);
        }
    }
    /* every frontier point is a feasible outcome nobody dominates */
    for (size_t k = 0; k < truce_analysis_pareto_size(an); k++) {
        uint32_t o[MAX_ISSUES];
        assert_int_equal(truce_analysis_pareto_outcome(an, k, o), 0);
        const double *u = truce_analysis_pareto_point(an, k);
        for (int q = 0; q < sp->n_parties; q++)
            assert_close(u[q], truce_utility(s, (size_t)q, o), 1e-12);
        if (must_be_feasible)
            assert_int_equal(truce_outcome_feasible(s, o), 1);
    }
}

static json_t *json_call_check(const truce_scenario *s)
{
    char *text = NULL;
    truce_error err;
    if (truce_check(&text, s, NULL, &err))
        fail_msg("truce_check: %s", err.message);
    json_t *j = json_parse_or_fail(text);
    truce_free(text);
    return j;
}

static void test_random_scenarios_with_roles_and_hard_conditions_match_brute_force(void **state)
{
    (void)state;
    uint64_t rng = 2026;
    int bound = 0, empty_feasible = 0, no_zone = 0, zone = 0, extra = 0;
    for (int round = 0; round < 2000; round++) {
        scenario_spec sp;
        random_scenario(&rng, &sp);
        truce_scenario *s = load_spec(&sp);
        world w;
        build_world(&sp, s, &w);
        /* the bargainers are the principals, in order */
        assert_int_equal(truce_scenario_bargainer_count(s), (size_t)w.nb);
        for (int k = 0; k < w.nb; k++)
            assert_int_equal(truce_scenario_bargainer(s, (size_t)k), w.bargainer[k]);
        extra += w.nb < sp.n_parties;
        /* the feasible outcomes, one by one and counted */
        int n_feasible = 0;
        for (int x = 0; x < w.n_outcomes; x++) {
            assert_int_equal(truce_outcome_feasible(s, w.o[x]), w.feasible[x]);
            n_feasible += w.feasible[x];
        }
        char count[64];
        assert_true(truce_scenario_feasible_count(s, count, sizeof count) > 0);
        assert_int_equal(atoi(count), n_feasible);
        empty_feasible += n_feasible == 0;
        /* the analysis over bargainers and feasible outcomes */
        truce_analysis *an = NULL;
        truce_error err;
        if (truce_analyze(&an, s, NULL, &err))
            fail_msg("truce_analyze: %s\n%s", err.message, sp.yaml);
        expected e;
        expect(&sp, &w, 1, &e);
        check_solutions(&sp, &w, s, an, &e, 1);
        assert_true(truce_analysis_feasible_count(an, count, sizeof count) > 0);
        assert_int_equal(atoi(count), n_feasible);
        /* beside it, when hard conditions bind, the analysis ignoring them */
        const truce_analysis *free_an = truce_analysis_ignoring_hard_conditions(an);
        assert_int_equal(free_an != NULL, n_feasible < w.n_outcomes);
        assert_int_equal(truce_analysis_hard_conditions_bind(an), n_feasible < w.n_outcomes);
        if (free_an) {
            expected all;
            expect(&sp, &w, 0, &all);
            check_solutions(&sp, &w, s, free_an, &all, 0);
            bound++;
        }
        /* `check` says the same: the zone, the feasible count */
        if (round % 4 == 0) {
            json_t *doc = json_call_check(s);
            json_t *z = json_object_get(doc, "zone");
            assert_int_equal(json_is_true(json_object_get(z, "empty")), !e.zopa);
            assert_int_equal(json_integer_value(json_object_get(z, "feasible")), n_feasible);
            assert_int_equal(json_array_size(json_object_get(z, "bargainers")), (size_t)w.nb);
            json_decref(doc);
        }
        no_zone += !e.zopa;
        zone += e.zopa;
        truce_analysis_free(an);
        truce_scenario_free(s);
    }
    /* the random scenarios reached every case */
    assert_true(bound > 500 && empty_feasible > 20 && no_zone > 100 && zone > 100 && extra > 500);
}

/* A mediator without preferences does not empty the zone: it never bargains. */
static void test_a_mediator_without_preferences_leaves_the_zone_open(void **state)
{
    (void)state;
    const char *yaml = "truce: 1\n"
                       "name: bare\n"
                       "issues:\n"
                       "  - id: deal\n"
                       "    options: [a, b, c]\n"
                       "parties:\n"
                       "  - id: x\n"
                       "    weights: {deal: 1}\n"
                       "    values: {deal: {a: 1, b: 0.6, c: 0}}\n"
                       "    reservation: 0.3\n"
                       "  - id: y\n"
                       "    weights: {deal: 1}\n"
                       "    values: {deal: {a: 0, b: 0.7, c: 1}}\n"
                       "    reservation: 0.2\n"
                       "  - id: chair\n"
                       "    role: mediator\n";
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_yaml(&s, temp_file("bare.yaml", yaml), NULL, &err), 0);
    truce_analysis *an = NULL;
    assert_int_equal(truce_analyze(&an, s, NULL, &err), 0);
    /* by hand: only b gives x more than .3 and y more than .2: Nash (.6 - .3)(.7 - .2) */
    assert_int_equal(truce_analysis_zopa(an), 1);
    double u[3], value;
    uint32_t o[1];
    assert_int_equal(truce_analysis_solution(an, TRUCE_SOLUTION_NASH, u, o, &value), 1);
    assert_int_equal(o[0], 1);
    assert_close(value, 0.3 * 0.5, 1e-12);
    assert_close(u[2], 0, 0); /* the mediator's utility is shown: nothing */
    /* max welfare sums the bargainers only: a 1, b 1.3, c 1 */
    assert_int_equal(truce_analysis_solution(an, TRUCE_SOLUTION_MAX_WELFARE, NULL, o, &value), 1);
    assert_close(value, 1.3, 1e-12);
    truce_analysis_free(an);
    truce_scenario_free(s);
}

/* The 10^200-outcome linear space of the benchmark with per-issue hard
 * conditions: exact, and the feasible count is the product of the allowed
 * options (here 9 of 10 on each of the 100 constrained issues). */
static void test_huge_linear_space_with_hard_conditions_is_exact(void **state)
{
    (void)state;
    char *yaml = malloc(1 << 20);
    assert_non_null(yaml);
    size_t n = 0;
    n += (size_t)sprintf(yaml + n, "truce: 1\nname: huge\nissues:\n");
    for (int i = 0; i < 200; i++)
        n += (size_t)sprintf(yaml + n, "  - id: i%d\n    options: [o0,o1,o2,o3,o4,o5,o6,o7,o8,o9]\n",
                             i);
    n += (size_t)sprintf(yaml + n, "parties:\n");
    uint64_t rng = 5;
    for (int q = 0; q < 2; q++) {
        n += (size_t)sprintf(yaml + n, "  - id: p%d\n    weights: {", q);
        for (int i = 0; i < 200; i++)
            n += (size_t)sprintf(yaml + n, "%si%d: 0.005", i ? ", " : "", i);
        n += (size_t)sprintf(yaml + n, "}\n    values:\n");
        for (int i = 0; i < 200; i++) {
            n += (size_t)sprintf(yaml + n, "      i%d: {", i);
            for (int k = 0; k < 10; k++)
                n += (size_t)sprintf(yaml + n, "%so%d: %d", k ? ", " : "", k, rand_pick(&rng, 2));
            n += (size_t)sprintf(yaml + n, "}\n");
        }
        /* each party rules out one option of 50 issues (its own half) */
        n += (size_t)sprintf(yaml + n, "    hard_conditions:\n      - id: red-line\n"
                                       "        require: {");
        for (int i = q * 50; i < q * 50 + 50; i++)
            n += (size_t)sprintf(yaml + n, "%si%d: [o1,o2,o3,o4,o5,o6,o7,o8,o9]",
                                 i == q * 50 ? "" : ", ", i);
        n += (size_t)sprintf(yaml + n, "}\n");
    }
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, temp_file("huge.yaml", yaml), NULL, &err))
        fail_msg("%s", err.message);
    free(yaml);
    char count[512];
    assert_true(truce_scenario_feasible_count(s, count, sizeof count) > 0);
    /* 9^100 * 10^100: 96 digits of 9^100 followed by 100 zeros */
    assert_int_equal(strlen(count), 96 + 100);
    assert_true(strncmp(count, "26561398887587476", 17) == 0);
    truce_analysis *an = NULL;
    assert_int_equal(truce_analyze(&an, s, NULL, &err), 0);
    assert_string_equal(truce_analysis_method(an), "additive-merge");
    /* no frontier point uses an excluded option */
    for (size_t k = 0; k < truce_analysis_pareto_size(an); k++) {
        uint32_t o[200];
        assert_int_equal(truce_analysis_pareto_outcome(an, k, o), 0);
        assert_int_equal(truce_outcome_feasible(s, o), 1);
    }
    assert_non_null(truce_analysis_ignoring_hard_conditions(an));
    truce_analysis_free(an);
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_scenarios_with_roles_and_hard_conditions_match_brute_force),
        cmocka_unit_test(test_a_mediator_without_preferences_leaves_the_zone_open),
        cmocka_unit_test(test_huge_linear_space_with_hard_conditions_is_exact),
    };
    return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
