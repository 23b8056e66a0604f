/* test_stats.c: the statistics of results databases against hand-computed tables: cells
 * (scenario x matchup x seat) as the unit, repetitions averaged; deterministic agents whose
 * intervals do not narrow with repetitions; paired Wilcoxon tests with Holm's correction and
 * the ranks they allow; head to head and agent x scenario; the deadline warning; CSV tables. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char DEAL[] = "truce: 1\n"
                           "name: %s\n"
                           "issues:\n"
                           "  - id: price\n"
                           "    options: [low, mid, high]\n"
                           "  - id: when\n"
                           "    options: [now, later]\n"
                           "parties:\n"
                           "  - id: buyer\n"
                           "    weights: {price: %s, when: %s}\n"
                           "    values:\n"
                           "      price: {low: 1, mid: 0.5, high: 0}\n"
                           "      when: {now: 1, later: 0}\n"
                           "  - id: seller\n"
                           "    weights: {price: 0.8, when: 0.2}\n"
                           "    values:\n"
                           "      price: {low: 0, mid: 0.6, high: 1}\n"
                           "      when: {now: 0, later: 1}\n";

/* Two bilateral scenarios in a fresh folder; their paths in a and b. */
static void two_scenarios(char *a, char *b, size_t size)
{
    const char *dir = temp_dir();
    char text[2000];
    snprintf(a, size, "%s/deal.yaml", dir);
    snprintf(b, size, "%s/other.yaml", dir);
    FILE *f = fopen(a, "w");
    snprintf(text, sizeof text, DEAL, "deal", "0.7", "0.3");
    fputs(text, f);
    fclose(f);
    f = fopen(b, "w");
    snprintf(text, sizeof text, DEAL, "other", "0.4", "0.6");
    fputs(text, f);
    fclose(f);
}

static void run_tournament(const char *db, const char *const *agents, size_t n_agents,
                           const char *a, const char *b, uint64_t repetitions)
{
    const char *scenarios[] = {a, b};
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    d.agents = agents;
    d.n_agents = n_agents;
    d.scenarios = scenarios;
    d.n_scenarios = 2;
    d.repetitions = repetitions;
    truce_tournament *t;
    truce_error err;
    if (truce_tournament_create(&t, &d, &err))
        fail_msg("truce_tournament_create: %s", err.message);
    truce_tournament_run_options o = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    o.threads = 1;
    if (truce_tournament_run(t, db, &o, NULL, &err))
        fail_msg("truce_tournament_run: %s", err.message);
    truce_tournament_free(t);
}

static json_t *stats_of(const char *db)
{
    char *out;
    truce_error err;
    if (truce_results_stats(&out, db, &err))
        fail_msg("truce_results_stats: %s", err.message);
    json_t *s = json_parse_or_fail(out);
    truce_free(out);
    return s;
}

static json_t *agent_named(json_t *stats, const char *name)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(stats, "agents"), i, a)
    {
        if (!strcmp(json_string_value(json_object_get(a, "agent")), name))
            return a;
    }
    fail_msg("no agent %s", name);
    return NULL;
}

static double number(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static double at(json_t *o, const char *key, const char *sub)
{
    json_t *v = json_object_get(o, key);
    return number(sub ? json_object_get(v, sub) : v);
}

static double ci95(json_t *o, const char *key, size_t side)
{
    return number(json_array_get(json_object_get(json_object_get(o, key), "ci95"), side));
}

static json_t *pair_of(json_t *stats, const char *a, const char *b)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(json_object_get(stats, "pairwise"), "pairs"), i, p)
    {
        if (!strcmp(json_string_value(json_object_get(p, "a")), a) &&
            !strcmp(json_string_value(json_object_get(p, "b")), b))
            return p;
    }
    fail_msg("no pair %s, %s", a, b);
    return NULL;
}

/* The hand-made table: agents A, B, C on two scenarios, every ordered pair (matchups
 * AB, AC, BA, BC, CA, CB), two repetitions each at v + 0.02 and v - 0.02, so that each cell
 * averages to v. Cell values (seat 0, seat 1) by scenario and matchup: */
static const double CELLS[2][6][2] = {
    {{.90, .30}, {.80, .40}, {.45, .76}, {.60, .49}, {.20, .70}, {.36, .55}},
    {{.95, .25}, {.85, .38}, {.42, .72}, {.66, .52}, {.22, .78}, {.31, .57}},
};
static const int MATCHUPS[6][2] = {{0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 1}};

/* A database of that tournament whose rows are replaced by the table. Matchup BC ends at the
 * deadline in both scenarios (4 of 24 negotiations); the other negotiations agree. */
static const char *hand_made_database(void)
{
    char a[600], b[600];
    two_scenarios(a, b, sizeof a);
    const char *agents[] = {"boulware:e=0.1", "boulware:e=0.3", "linear"};
    const char *db = temp_path("hand.db");
    run_tournament(db, agents, 3, a, b, 2);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "DELETE FROM negotiations", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(
        sqlite3_prepare_v2(h,
                           "INSERT INTO negotiations VALUES (?, ?, ?, ?, '1', ?, ?, ?, 10, 0.5, "
                           "NULL, ?, ?, ?, ?, ?, NULL, NULL, 0.001)",
                           -1, &q, NULL),
        SQLITE_OK);
    for (int s = 0; s < 2; s++)
        for (int m = 0; m < 6; m++)
            for (int r = 0; r < 2; r++) {
                double shift = r == 0 ? 0.02 : -0.02;
                double u0 = CELLS[s][m][0] + shift, u1 = CELLS[s][m][1] + shift;
                int deadline = m == 3;
                char seats[32], utility[64];
                snprintf(seats, sizeof seats, "[%d,%d]", MATCHUPS[m][0], MATCHUPS[m][1]);
                snprintf(utility, sizeof utility, "[%.17g,%.17g]", u0, u1);
                sqlite3_reset(q);
                sqlite3_bind_int(q, 1, s * 12 + m * 2 + r);
                sqlite3_bind_int(q, 2, s);
                sqlite3_bind_int(q, 3, m);
                sqlite3_bind_int(q, 4, r);
                sqlite3_bind_text(q, 5, seats, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int(q, 6, !deadline);
                sqlite3_bind_text(q, 7, deadline ? "deadline" : "agreement", -1, SQLITE_STATIC);
                sqlite3_bind_text(q, 8, utility, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(q, 9, utility, -1, SQLITE_TRANSIENT);
                sqlite3_bind_double(q, 10, u0 + u1);
                if (deadline) {
                    sqlite3_bind_null(q, 11);
                    sqlite3_bind_null(q, 12);
                } else {
                    sqlite3_bind_double(q, 11, 0.1);
                    sqlite3_bind_double(q, 12, 0.2);
                }
                assert_int_equal(sqlite3_step(q), SQLITE_DONE);
            }
    sqlite3_finalize(q);
    sqlite3_close(h);
    return db;
}

static void test_cells_are_the_unit_of_intervals(void **state)
{
    (void)state;
    json_t *s = stats_of(hand_made_database());
    assert_int_equal(json_integer_value(json_object_get(s, "negotiations")), 24);
    assert_true(json_is_true(json_object_get(s, "complete")));
    assert_string_equal(json_string_value(json_object_get(s, "unit")), "cell");
    assert_int_equal(json_integer_value(json_object_get(s, "repetitions")), 2);
    /* A's 8 cells: .90 .80 .76 .70 | .95 .85 .72 .78: mean 0.8075, sd 0.0869729; half width
     * t(0.975, 7) sd / sqrt(8) = 2.36462425 * 0.0307496 = 0.0727112 */
    json_t *a = agent_named(s, "boulware:e=0.1");
    assert_int_equal(json_integer_value(json_object_get(a, "negotiations")), 16);
    assert_int_equal(json_integer_value(json_object_get(a, "cells")), 8);
    assert_int_equal(at(a, "utility", "n"), 8);
    assert_close(at(a, "utility", "mean"), 0.8075, 1e-12);
    assert_close(at(a, "utility", "sd"), 0.0869729022, 1e-9);
    assert_close(ci95(a, "utility", 0), 0.7347888342, 1e-8);
    assert_close(ci95(a, "utility", 1), 0.8802111658, 1e-8);
    /* B: .30 .45 .60 .55 | .25 .42 .66 .57: mean 0.475, sd 0.1460919 */
    json_t *b = agent_named(s, "boulware:e=0.3");
    assert_close(at(b, "utility", "mean"), 0.475, 1e-12);
    assert_close(at(b, "utility", "sd"), 0.1460919476, 1e-9);
    assert_close(ci95(b, "utility", 0), 0.3528640754, 1e-8);
    /* C: .40 .49 .20 .36 | .38 .52 .22 .31: mean 0.36 */
    json_t *c = agent_named(s, "linear");
    assert_close(at(c, "utility", "mean"), 0.36, 1e-12);
    assert_close(ci95(c, "utility", 1), 0.4559474830, 1e-8);
    /* B plays AB, BA, BC and CB in both scenarios, twice each: 16 negotiations, the 4 of BC
     * ended at the deadline */
    assert_close(at(b, "deadline_rate", NULL), 4.0 / 16, 1e-12);
    assert_close(at(a, "deadline_rate", NULL), 0, 0);
    assert_close(at(a, "agreement_rate", NULL), 1, 0);
    /* welfare over A's cells: the sums of its matchups' seats */
    assert_close(at(a, "welfare", "mean"),
                 (1.20 + 1.20 + 1.21 + 0.90 + 1.20 + 1.23 + 1.14 + 1.00) / 8, 1e-12);
    /* agent x scenario: A's four cells in each scenario */
    json_t *by = json_object_get(s, "agent_scenario");
    json_t *row = json_array_get(json_object_get(by, "mean"), 0);
    assert_close(number(json_array_get(row, 0)), 0.79, 1e-12);
    assert_close(number(json_array_get(row, 1)), 0.825, 1e-12);
    assert_int_equal(
        json_integer_value(json_array_get(json_array_get(json_object_get(by, "n"), 0), 1)), 4);
    assert_string_equal(json_string_value(json_array_get(json_object_get(by, "scenarios"), 1)),
                        "other");
    /* head to head: A against B in AB (seat 0) and BA (seat 1): .90 .76 .95 .72 */
    json_t *h = json_object_get(s, "head_to_head");
    assert_close(number(json_array_get(json_array_get(json_object_get(h, "mean"), 0), 1)),
                 (0.90 + 0.76 + 0.95 + 0.72) / 4, 1e-12);
    assert_int_equal(
        json_integer_value(json_array_get(json_array_get(json_object_get(h, "n"), 0), 1)), 4);
    /* each scenario: 6 matchups, 12 negotiations, 2 at the deadline */
    json_t *sc = json_array_get(json_object_get(s, "scenarios"), 0);
    assert_int_equal(json_integer_value(json_object_get(sc, "matchups")), 6);
    assert_close(at(sc, "deadline_rate", NULL), 2.0 / 12, 1e-12);
    assert_int_equal(at(sc, "welfare", "n"), 6);
    json_decref(s);
}

static void test_pairwise_tests_decide_the_ranks(void **state)
{
    (void)state;
    json_t *s = stats_of(hand_made_database());
    json_t *pw = json_object_get(s, "pairwise");
    assert_string_equal(json_string_value(json_object_get(pw, "test")), "wilcoxon-signed-rank");
    assert_string_equal(json_string_value(json_object_get(pw, "correction")), "holm");
    /* A - B over the paired cells (A in seat k of a matchup, B in seat k of the matchup where
     * they trade places): .45 .20 .46 .15 | .53 .19 .47 .21: all positive, W+ = 36, exact
     * p = 2 / 2^8 = 0.0078125; Holm over 3 tests: 3 x 0.0078125 = 0.0234375 */
    json_t *ab = pair_of(s, "boulware:e=0.1", "boulware:e=0.3");
    assert_int_equal(json_integer_value(json_object_get(ab, "pairs")), 8);
    assert_close(at(ab, "w_plus", NULL), 36, 0);
    assert_close(at(ab, "w_minus", NULL), 0, 0);
    assert_close(at(ab, "mean_difference", NULL), 0.3325, 1e-12);
    assert_close(at(ab, "p", NULL), 0.0078125, 1e-15);
    assert_close(at(ab, "p_holm", NULL), 0.0234375, 1e-15);
    assert_true(json_is_true(json_object_get(ab, "exact")));
    assert_true(json_is_true(json_object_get(ab, "significant")));
    assert_string_equal(json_string_value(json_object_get(ab, "better")), "boulware:e=0.1");
    /* A - C: .54 .60 .27 .30 | .64 .63 .20 .40: all positive: the same p */
    json_t *ac = pair_of(s, "boulware:e=0.1", "linear");
    assert_close(at(ac, "mean_difference", NULL), 0.4475, 1e-12);
    assert_close(at(ac, "p_holm", NULL), 0.0234375, 1e-15);
    /* B - C: -.10 .25 .24 .06 | -.13 .20 .35 .05: negative ranks 3 and 4, W- = 7, W+ = 29;
     * P(W <= 7) for n = 8 is 19 / 256, p = 38 / 256 = 0.1484375; Holm keeps the largest
     * p: 0.1484375: not significant */
    json_t *bc = pair_of(s, "boulware:e=0.3", "linear");
    assert_close(at(bc, "w_minus", NULL), 7, 0);
    assert_close(at(bc, "w_plus", NULL), 29, 0);
    assert_close(at(bc, "p", NULL), 0.1484375, 1e-15);
    assert_close(at(bc, "p_holm", NULL), 0.1484375, 1e-15);
    assert_false(json_is_true(json_object_get(bc, "significant")));
    assert_true(json_is_null(json_object_get(bc, "better")));
    /* ranks by mean (A 0.8075, B 0.475, C 0.36); A is surely first, B and C share 2-3 */
    json_t *a = agent_named(s, "boulware:e=0.1"), *b = agent_named(s, "boulware:e=0.3"),
           *c = agent_named(s, "linear");
    assert_int_equal(json_integer_value(json_object_get(a, "rank")), 1);
    assert_int_equal(json_integer_value(json_object_get(b, "rank")), 2);
    assert_int_equal(json_integer_value(json_object_get(c, "rank")), 3);
    json_t *range = json_object_get(a, "rank_range");
    assert_int_equal(json_integer_value(json_array_get(range, 0)), 1);
    assert_int_equal(json_integer_value(json_array_get(range, 1)), 1);
    range = json_object_get(c, "rank_range");
    assert_int_equal(json_integer_value(json_array_get(range, 0)), 2);
    assert_int_equal(json_integer_value(json_array_get(range, 1)), 3);
    assert_int_equal(json_array_size(json_object_get(a, "better_than")), 2);
    assert_int_equal(json_array_size(json_object_get(b, "worse_than")), 1);
    assert_int_equal(json_array_size(json_object_get(b, "better_than")), 0);
    /* 4 of 24 negotiations at the deadline: the warning says the deadline may decide */
    json_t *w = json_object_get(s, "warnings");
    assert_int_equal(json_array_size(w), 1);
    assert_contains(json_string_value(json_array_get(w, 0)), "4 of 24 negotiations (17%)");
    assert_contains(json_string_value(json_array_get(w, 0)), "100 rounds");
    json_decref(s);
}

static void test_csv_tables_hold_the_tests_and_full_names(void **state)
{
    (void)state;
    const char *db = hand_made_database();
    char *out;
    truce_error err;
    assert_int_equal(truce_results_csv(&out, db, "pairwise", &err), 0);
    assert_contains(out, "agent_a,agent_b,pairs,zeros,n,w_plus,w_minus,mean_difference,p,"
                         "p_holm,exact,significant,better\r\n");
    assert_contains(out, "boulware:e=0.1,boulware:e=0.3,8,0,8,36,0,0.3325,0.0078125,0.0234375,"
                         "1,1,boulware:e=0.1\r\n");
    assert_contains(out, "boulware:e=0.3,linear,8,0,8,29,7,");
    assert_contains(out, ",0.1484375,0.1484375,1,0,\r\n");
    truce_free(out);
    assert_int_equal(truce_results_csv(&out, db, "agent-scenario", &err), 0);
    assert_contains(out, "agent,scenario,utility_mean,utility_ci95_low,utility_ci95_high,"
                         "cells\r\n");
    assert_contains(out, "\r\nboulware:e=0.1,deal,0.79,");
    assert_contains(out, "\r\nlinear,other,0.3575,");
    truce_free(out);
    assert_int_equal(truce_results_csv(&out, db, "agents", &err), 0);
    /* the columns of earlier versions first, then cells, ranks and the deadline rate */
    assert_contains(out, ",faults,cells,rank,rank_low,rank_high,deadline_rate\r\n");
    assert_contains(out, "\r\nboulware:e=0.1,16,0.8075,");
    assert_contains(out, ",0,8,1,1,1,0\r\n");
    assert_contains(out, ",0,8,3,2,3,0.25\r\n");
    truce_free(out);
    assert_int_equal(truce_results_csv(&out, db, "nope", &err), TRUCE_EINVAL);
    assert_contains(err.message, "pairwise");
}

/* Every repetition of every matchup gave the same utilities (deterministic agents). */
static void assert_repetitions_equal(const char *db)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT max(k) FROM (SELECT count(DISTINCT utility) AS k "
                                        "FROM negotiations GROUP BY scenario, matchup)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    sqlite3_finalize(q);
    sqlite3_close(h);
}

/* The utility cells of one agent, read straight from the rows of repetition 0. */
static size_t cells_of(const char *db, int agent, double *v)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT utility FROM seats WHERE agent = ? AND job IN "
                                        "(SELECT job FROM negotiations WHERE repetition = 0)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(q, 1, agent);
    size_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW)
        v[n++] = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return n;
}

static void test_deterministic_agents_do_not_narrow_with_repetitions(void **state)
{
    (void)state;
    char a[600], b[600];
    two_scenarios(a, b, sizeof a);
    const char *agents[] = {"boulware", "conceder", "linear"};
    const char *once = temp_path("once.db"), *ten = temp_path("ten.db");
    run_tournament(once, agents, 3, a, b, 1);
    run_tournament(ten, agents, 3, a, b, 10);
    assert_repetitions_equal(ten);
    json_t *s1 = stats_of(once), *s10 = stats_of(ten);
    for (size_t i = 0; i < 3; i++) {
        json_t *x = agent_named(s1, agents[i]), *y = agent_named(s10, agents[i]);
        assert_int_equal(json_integer_value(json_object_get(y, "negotiations")),
                         10 * json_integer_value(json_object_get(x, "negotiations")));
        /* 8 cells either way: 4 per scenario (2 opponents x 2 seats) */
        assert_int_equal(at(y, "utility", "n"), 8);
        assert_close(at(y, "utility", "mean"), at(x, "utility", "mean"), 1e-12);
        assert_close(at(y, "utility", "sd"), at(x, "utility", "sd"), 1e-12);
        assert_close(ci95(y, "utility", 0), ci95(x, "utility", 0), 1e-12);
        assert_close(ci95(y, "utility", 1), ci95(x, "utility", 1), 1e-12);
        /* and the interval is Student's over the 8 cell values: t(0.975, 7) = 2.36462425 */
        double v[16];
        size_t n = cells_of(ten, (int)i, v);
        assert_int_equal(n, 8);
        double mean = 0, ss = 0;
        for (size_t k = 0; k < n; k++)
            mean += v[k] / 8;
        for (size_t k = 0; k < n; k++)
            ss += (v[k] - mean) * (v[k] - mean);
        double half = 2.36462425 * sqrt(ss / 7) / sqrt(8.0);
        assert_close(at(y, "utility", "mean"), mean, 1e-12);
        assert_close(ci95(y, "utility", 0), mean - half, 1e-7);
        assert_close(ci95(y, "utility", 1), mean + half, 1e-7);
    }
    /* the tests see the same cells too */
    json_t *p1 = json_object_get(json_object_get(s1, "pairwise"), "pairs"),
           *p10 = json_object_get(json_object_get(s10, "pairwise"), "pairs");
    assert_int_equal(json_array_size(p10), 3);
    for (size_t m = 0; m < 3; m++)
        assert_close(at(json_array_get(p10, m), "p", NULL), at(json_array_get(p1, m), "p", NULL),
                     1e-12);
    json_decref(s1);
    json_decref(s10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_are_the_unit_of_intervals),
        cmocka_unit_test(test_pairwise_tests_decide_the_ranks),
        cmocka_unit_test(test_csv_tables_hold_the_tests_and_full_names),
        cmocka_unit_test(test_deterministic_agents_do_not_narrow_with_repetitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
