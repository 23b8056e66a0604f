/* test_tournament.c: tournaments: matchup counts, results identical whatever
 * the thread count and equal to negotiations run directly, resume, refusal
 * of another definition, bad input before any work, and statistics checked
 * against a hand-computed table. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tournament/tournament.h"

#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"

static const char BILATERAL[] = "truce: 1\n"
                                "name: %s\n"
                                "issues:\n"
                                "  - id: price\n"
                                "    options: [low, mid, high]\n"
                                "  - id: when\n"
                                "    options: [now, later]\n"
                                "parties:\n"
                                "  - id: buyer\n"
                                "    weights: {price: 0.7, when: 0.3}\n"
                                "    values:\n"
                                "      price: {low: 1, mid: 0.5, high: 0}\n"
                                "      when: {now: 1, later: 0}\n"
                                "  - id: seller\n"
                                "    weights: {price: 0.8, when: 0.2}\n"
                                "    values:\n"
                                "      price: {low: 0, mid: 0.6, high: 1}\n"
                                "      when: {now: 0, later: 1}\n";

static truce_tournament *make(const char *const *agents, size_t n_agents, const char *scenario,
                              uint64_t repetitions, int permutations, int self_play)
{
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    const char *scenarios[] = {scenario};
    d.agents = agents;
    d.n_agents = n_agents;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    d.repetitions = repetitions;
    d.permutations = permutations;
    d.self_play = self_play;
    d.seed = 7;
    truce_tournament *t;
    truce_error err;
    int rc = truce_tournament_create(&t, &d, &err);
    if (rc)
        fail_msg("truce_tournament_create: %s", err.message);
    return t;
}

static void run(truce_tournament *t, const char *db, unsigned threads, uint64_t limit,
                truce_tournament_status *st)
{
    truce_tournament_run_options o = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    o.threads = threads;
    o.limit = limit;
    o.batch = 3; /* many transactions even in small runs */
    truce_error err;
    if (truce_tournament_run(t, db, &o, st, &err))
        fail_msg("truce_tournament_run: %s", err.message);
}

/* Every stored row with the columns that do not depend on timing, as one
 * text (rows in job order). */
static char *rows_of(const char *db)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT job, scenario, matchup, repetition, seed, agents, "
                                        "agreement, end_reason, rounds, time, outcome, utility, "
                                        "utility_undiscounted, welfare, pareto_distance, "
                                        "nash_distance, fault_seat FROM negotiations ORDER BY job",
                                        -1, &q, NULL),
                     SQLITE_OK);
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    text[0] = '\0';
    while (sqlite3_step(q) == SQLITE_ROW) {
        for (int c = 0; c < 17; c++) {
            const char *v = (const char *)sqlite3_column_text(q, c);
            size_t k = strlen(v ? v : "NULL") + 2;
            if (n + k + 1 > cap) {
                cap = 2 * (n + k + 1);
                text = realloc(text, cap);
                assert_non_null(text);
            }
            n += (size_t)sprintf(text + n, "%s%c", v ? v : "NULL", c == 16 ? '\n' : '|');
        }
    }
    sqlite3_finalize(q);
    sqlite3_close(h);
    return text;
}

static long query_count(const char *db, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(h, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return n;
}

static long count_rows(const char *db)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM negotiations", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return n;
}

static void test_matchup_counts_follow_the_definition(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "linear", "tft"};
    /* k agents on 2 seats: k(k-1) ordered pairs, k(k-1)/2 sets, k^2 with
     * self-play, k(k+1)/2 sets with self-play */
    struct {
        int permutations, self_play;
        uint64_t matchups;
    } cases[] = {{1, 0, 12}, {0, 0, 6}, {1, 1, 16}, {0, 1, 10}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        truce_tournament *t =
            make(agents, 4, CEASEFIRE, 3, cases[i].permutations, cases[i].self_play);
        assert_int_equal(truce_tournament_job_count(t), cases[i].matchups * 3);
        assert_int_equal(truce_tournament_agent_count(t), 4);
        assert_int_equal(truce_tournament_scenario_count(t), 1);
        /* jobs go matchup by matchup, repetitions innermost, seats in
         * lexicographic order of agents */
        job_info j;
        tournament_job(t, 0, &j);
        assert_int_equal(j.matchup, 0);
        assert_int_equal(j.repetition, 0);
        tournament_job(t, 4, &j);
        assert_int_equal(j.matchup, 1);
        assert_int_equal(j.repetition, 1);
        assert_int_equal(j.agents[0], 0);
        assert_int_equal(j.agents[1], cases[i].self_play ? 1 : 2);
        truce_tournament_free(t);
    }
}

/* A scenario file with n parties (seats) over one issue. */
static const char *many_party_scenario(size_t n)
{
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text,
                                  "truce: 1\nname: seats%zu\nissues:\n  - id: x\n"
                                  "    options: [a, b]\nparties:\n",
                                  n);
    for (size_t p = 0; p < n; p++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "  - id: p%zu\n    weights: {x: 1}\n    values: {x: {a: %zu, b: 1}}\n",
                                p, p + 2);
    return temp_file("seats.yaml", text);
}

/* Matchups are the allowed tuples of agents, in lexicographic order: here checked against the
 * tuples of a brute-force count through all k^seats, for every kind of definition. And the
 * limit counts what will run: 30 agents on 6 seats without permutations, 593775 matchups, were
 * refused as "over 10^8" (every one of the 30^6 tuples was counted, and visited). */
static void test_matchups_are_the_allowed_tuples_and_the_limit_counts_them(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "linear", "tft", "hardliner"};
    const size_t k = 5, seats = 3;
    const char *path = many_party_scenario(seats);
    for (int flags = 0; flags < 4; flags++) {
        int permutations = flags & 1, self_play = flags >> 1;
        truce_tournament *t = make(agents, k, path, 1, permutations, self_play);
        uint64_t job = 0;
        for (uint32_t a = 0; a < k; a++)
            for (uint32_t b = 0; b < k; b++)
                for (uint32_t c = 0; c < k; c++) {
                    uint32_t tuple[3] = {a, b, c};
                    int ok = 1;
                    for (int i = 0; i < 3; i++)
                        for (int j = i + 1; j < 3; j++)
                            ok = ok && (self_play || tuple[i] != tuple[j]) &&
                                 (permutations || tuple[j] >= tuple[i]);
                    if (!ok)
                        continue;
                    job_info info;
                    tournament_job(t, job, &info);
                    for (int i = 0; i < 3; i++)
                        assert_int_equal(info.agents[i], tuple[i]);
                    job++;
                }
        assert_int_equal(truce_tournament_job_count(t), job);
        truce_tournament_free(t);
    }
    /* 30 agents, 6 seats: C(30, 6) = 593775 sets; 30^6 = 7.29e8 tuples */
    char specs[30][32];
    const char *many[30];
    for (int i = 0; i < 30; i++) {
        snprintf(specs[i], sizeof specs[i], "boulware:e=0.%02d", i + 1);
        many[i] = specs[i];
    }
    path = many_party_scenario(6);
    truce_tournament *t = make(many, 30, path, 1, 0, 0);
    assert_int_equal(truce_tournament_job_count(t), 593775);
    job_info info;
    tournament_job(t, 593774, &info);
    for (int i = 0; i < 6; i++)
        assert_int_equal(info.agents[i], 24 + i);
    truce_tournament_free(t);
    /* still refused when the matchups that would run pass 10^8: 30^6 ordered with self-play */
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    const char *scenarios[] = {path};
    d.agents = many;
    d.n_agents = 30;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    d.permutations = 1;
    d.self_play = 1;
    truce_error err;
    assert_int_equal(truce_tournament_create(&t, &d, &err), TRUCE_ELIMIT);
    assert_contains(err.message, "30 agents on 6 seats make 7.29e+08 matchups, over 10^8");
}

static void test_results_are_the_same_on_one_or_two_threads(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "linear", "random"};
    truce_tournament *t = make(agents, 4, CEASEFIRE, 4, 1, 0);
    const char *one = temp_path("one.db"), *two = temp_path("two.db");
    truce_tournament_status st;
    run(t, one, 1, 0, &st);
    assert_int_equal(st.total, 48);
    assert_int_equal(st.ran, 48);
    assert_int_equal(st.before, 0);
    run(t, two, 2, 0, &st);
    char *a = rows_of(one), *b = rows_of(two);
    assert_string_equal(a, b);
    assert_int_equal(count_rows(one), 48);
    free(a);
    free(b);
    truce_tournament_free(t);
}

/* Each stored row equals a negotiation run directly with the row's agents
 * and seed. */
static void test_rows_match_negotiations_run_directly(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "tft"};
    truce_tournament *t = make(agents, 3, CEASEFIRE, 2, 1, 0);
    const char *db = temp_path("direct.db");
    run(t, db, 2, 0, NULL);
    truce_scenario *s;
    truce_space *sp;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, CEASEFIRE, NULL, &err), 0);
    assert_int_equal(truce_space_create(&sp, s, NULL, &err), 0);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT seed, json_extract(agents, '$[0]'), "
                                        "json_extract(agents, '$[1]'), "
                                        "json_extract(utility, '$[0]'), "
                                        "json_extract(utility, '$[1]'), agreement, rounds "
                                        "FROM negotiations",
                                        -1, &q, NULL),
                     SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        uint64_t seed = strtoull((const char *)sqlite3_column_text(q, 0), NULL, 10);
        truce_agent_spec specs[2];
        for (int k = 0; k < 2; k++)
            assert_int_equal(
                truce_agent_parse(&specs[k], agents[sqlite3_column_int(q, 1 + k)], &err), 0);
        truce_negotiation *ng;
        assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, NULL, &err), 0);
        assert_int_equal(truce_negotiation_run(ng, seed, &err), 0);
        assert_close(truce_negotiation_utility(ng, 0), sqlite3_column_double(q, 3), 0);
        assert_close(truce_negotiation_utility(ng, 1), sqlite3_column_double(q, 4), 0);
        assert_int_equal(truce_negotiation_agreement(ng), sqlite3_column_int(q, 5));
        assert_int_equal(truce_negotiation_rounds(ng), sqlite3_column_int64(q, 6));
        truce_negotiation_free(ng);
        rows++;
    }
    assert_int_equal(rows, 12);
    sqlite3_finalize(q);
    sqlite3_close(h);
    truce_space_free(sp);
    truce_scenario_free(s);
    truce_tournament_free(t);
}

static void test_resumed_run_equals_uninterrupted_run(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "linear", "tft"};
    truce_tournament *t = make(agents, 4, CEASEFIRE, 3, 1, 0);
    const char *whole = temp_path("whole.db"), *parts = temp_path("parts.db");
    truce_tournament_status st;
    run(t, whole, 2, 0, &st);
    run(t, parts, 2, 7, &st);
    assert_int_equal(st.ran, 7);
    assert_int_equal(count_rows(parts), 7);
    run(t, parts, 1, 11, &st);
    assert_int_equal(st.before, 7);
    assert_int_equal(st.ran, 11);
    run(t, parts, 2, 0, &st);
    assert_int_equal(st.before, 18);
    assert_int_equal(st.ran, 36 - 18);
    run(t, parts, 2, 0, &st); /* complete: nothing runs twice */
    assert_int_equal(st.before, 36);
    assert_int_equal(st.ran, 0);
    char *a = rows_of(whole), *b = rows_of(parts);
    assert_string_equal(a, b);
    free(a);
    free(b);
    truce_tournament_free(t);
}

/* The SQL of a schema object (malloc'd). */
static char *schema_sql(const char *db, const char *name)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(
        sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_master WHERE name = ?", -1, &q, NULL),
        SQLITE_OK);
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char *sql = strdup((const char *)sqlite3_column_text(q, 0));
    assert_non_null(sql);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return sql;
}

/* Rows whose every column has the type docs/results.md gives it. */
static const char typed_rows[] =
    "SELECT count(*) FROM negotiations WHERE typeof(job) = 'integer' AND typeof(scenario) ="
    " 'integer' AND typeof(matchup) = 'integer' AND typeof(repetition) = 'integer' AND"
    " typeof(seed) = 'text' AND typeof(agents) = 'text' AND typeof(agreement) = 'integer' AND"
    " typeof(end_reason) = 'text' AND typeof(rounds) = 'integer' AND typeof(time) = 'real' AND"
    " typeof(outcome) = CASE agreement WHEN 1 THEN 'text' ELSE 'null' END AND typeof(utility) ="
    " 'text' AND typeof(utility_undiscounted) = 'text' AND typeof(welfare) = 'real' AND"
    " typeof(pareto_distance) = CASE agreement WHEN 1 THEN 'real' ELSE 'null' END AND"
    " typeof(nash_distance) = typeof(pareto_distance) AND typeof(fault_seat) = 'null' AND"
    " typeof(fault_message) = 'null' AND typeof(elapsed) = 'real'";

/* The negotiations tables truce wrote before: version 2 (and 1) with declared types and NOT
 * NULL, version 3 without, both with job as the rowid key. */
static const char layout_2[] =
    "job INTEGER PRIMARY KEY, scenario INTEGER NOT NULL, matchup INTEGER NOT NULL,"
    " repetition INTEGER NOT NULL, seed TEXT NOT NULL, agents TEXT NOT NULL,"
    " agreement INTEGER NOT NULL, end_reason TEXT NOT NULL, rounds INTEGER NOT NULL, time REAL,"
    " outcome TEXT, utility TEXT NOT NULL, utility_undiscounted TEXT NOT NULL, welfare REAL,"
    " pareto_distance REAL, nash_distance REAL, fault_seat INTEGER, fault_message TEXT,"
    " elapsed REAL";
static const char layout_3[] =
    "job INTEGER PRIMARY KEY, scenario, matchup, repetition, seed, agents, agreement,"
    " end_reason, rounds, time, outcome, utility, utility_undiscounted, welfare,"
    " pareto_distance, nash_distance, fault_seat, fault_message, elapsed";

/* Rewrite a database's negotiations table by hand into an older layout (its rows kept, the
 * views made again) and say it is of that version. */
static void to_layout(const char *db, const char *columns, int version)
{
    char *seats = schema_sql(db, "seats"), *outcomes = schema_sql(db, "outcomes");
    char sql[8192];
    snprintf(sql, sizeof sql,
             "BEGIN; DROP VIEW seats; DROP VIEW outcomes; CREATE TABLE n2(%s);"
             "INSERT INTO n2 SELECT * FROM negotiations; DROP TABLE negotiations;"
             "ALTER TABLE n2 RENAME TO negotiations; %s; %s;"
             "UPDATE meta SET value = '%d' WHERE key = 'schema_version'; COMMIT;",
             columns, seats, outcomes, version);
    free(seats);
    free(outcomes);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(h));
    sqlite3_close(h);
}

/* A database of an older layout resumes in it, keeps its table and version, refuses a job
 * stored already, and ends with the rows, of the same types, that a new database (version 4:
 * no declared types, no key on job) gets in one run. */
static void old_layout_resumes(int version, const char *columns, const char *kept)
{
    const char *agents[] = {"boulware", "conceder", "linear", "tft"};
    truce_tournament *t = make(agents, 4, CEASEFIRE, 3, 1, 0);
    char name[64];
    snprintf(name, sizeof name, "old%d.db", version);
    const char *whole = temp_path("whole4.db"), *old = temp_path(name);
    truce_tournament_status st;
    run(t, whole, 2, 0, &st);
    run(t, old, 1, 7, &st);
    assert_int_equal(query_count(whole, "SELECT value FROM meta WHERE key = 'schema_version'"), 4);
    to_layout(old, columns, version);
    /* the store refuses a stored job there too (and the table's key would) */
    truce_store *s;
    truce_tournament_worker *w;
    truce_error err;
    assert_int_equal(truce_store_open(&s, t, old, &err), 0);
    assert_int_equal(truce_tournament_worker_create(&w, t, &err), 0);
    char *json;
    assert_int_equal(truce_tournament_worker_run(w, 3, &json, &err), 0);
    assert_int_equal(truce_store_add_json(s, json, &err), TRUCE_EINVAL);
    assert_contains(err.message, "job 3 is stored already");
    truce_free(json);
    truce_tournament_worker_free(w);
    truce_store_free(s);
    run(t, old, 2, 0, &st);
    assert_int_equal(st.before, 7);
    assert_int_equal(st.ran, 36 - 7);
    char *table = schema_sql(old, "negotiations");
    assert_contains(table, "job INTEGER PRIMARY KEY");
    assert_contains(table, kept);
    free(table);
    table = schema_sql(whole, "negotiations");
    assert_null(strstr(table, "NOT NULL"));
    assert_null(strstr(table, "PRIMARY KEY"));
    free(table);
    assert_int_equal(query_count(old, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     version);
    char *a = rows_of(whole), *b = rows_of(old);
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_int_equal(query_count(whole, typed_rows), 36);
    assert_int_equal(query_count(old, typed_rows), 36);
    assert_int_equal(query_count(old, "SELECT count(*) FROM seats"), 72);
    /* the CSV export reads every layout alike */
    char *ca, *cb;
    assert_int_equal(truce_results_csv(&ca, whole, "negotiations", &err), 0);
    assert_int_equal(truce_results_csv(&cb, old, "negotiations", &err), 0);
    assert_string_equal(ca, cb);
    truce_free(ca);
    truce_free(cb);
    truce_tournament_free(t);
}

static void test_a_version_2_database_resumes_with_the_same_rows(void **state)
{
    (void)state;
    old_layout_resumes(2, layout_2, "scenario INTEGER NOT NULL");
}

static void test_a_version_3_database_resumes_with_the_same_rows(void **state)
{
    (void)state;
    old_layout_resumes(3, layout_3, "scenario, matchup");
}

/* Version 4 has no key on job: the store itself refuses a job stored already, whether it was
 * stored by an earlier run, earlier in the same batch, or meanwhile by another connection (a
 * second truce process), and a job out of range; the rows it keeps are those before the
 * refused one, and the database ends with every job once, the rows of one run. */
static void test_a_job_is_stored_once_without_a_key(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "tft"};
    truce_tournament *t = make(agents, 3, CEASEFIRE, 4, 1, 0);
    uint64_t jobs = truce_tournament_job_count(t);
    assert_int_equal(jobs, 24);
    const char *whole = temp_path("once-whole.db"), *db = temp_path("once.db");
    run(t, whole, 1, 0, NULL);
    run(t, db, 1, 5, NULL); /* jobs 0..4 */
    truce_error err;
    truce_store *a, *b;
    truce_tournament_worker *w;
    assert_int_equal(truce_store_open(&a, t, db, &err), 0);
    assert_int_equal(truce_store_open(&b, t, db, &err), 0);
    assert_int_equal(truce_tournament_worker_create(&w, t, &err), 0);
    size_t bytes = record_size(t);
    unsigned char *records = malloc(jobs * bytes);
    assert_non_null(records);
    for (uint64_t j = 0; j < jobs; j++)
        assert_int_equal(worker_run(w, j, record_init(t, records + j * bytes), &err), 0);
#define REC(j) ((const record *)(const void *)(records + (j) * bytes))
    /* stored by the earlier run: alone, and in a batch after two new rows */
    assert_int_equal(store_add(a, REC(2), &err), TRUCE_EINVAL);
    assert_contains(err.message, "job 2 is stored already");
    size_t stored = 99;
    assert_int_equal(store_add_many(a, records + 5 * bytes, bytes, 2, &stored, &err), 0);
    assert_int_equal(stored, 2); /* 5, 6 */
    assert_int_equal(truce_store_commit(a, &err), 0);
    /* the other connection stores 7 and 8 meanwhile */
    assert_int_equal(store_add_many(b, records + 7 * bytes, bytes, 2, &stored, &err), 0);
    assert_int_equal(truce_store_commit(b, &err), 0);
    /* 9, 10 then 8 (stored by b): 2 stored */
    unsigned char *mixed = malloc(4 * bytes);
    assert_non_null(mixed);
    memcpy(mixed, records + 9 * bytes, 2 * bytes);
    memcpy(mixed + 2 * bytes, records + 8 * bytes, bytes);
    memcpy(mixed + 3 * bytes, records + 11 * bytes, bytes);
    assert_int_equal(store_add_many(a, mixed, bytes, 4, &stored, &err), TRUCE_EINVAL);
    assert_int_equal(stored, 2);
    assert_contains(err.message, "job 8 is stored already");
    /* 11, 12, 11: twice in one batch */
    memcpy(mixed, records + 11 * bytes, 2 * bytes);
    memcpy(mixed + 2 * bytes, records + 11 * bytes, bytes);
    assert_int_equal(store_add_many(a, mixed, bytes, 3, &stored, &err), TRUCE_EINVAL);
    assert_int_equal(stored, 2);
    assert_contains(err.message, "job 11 is stored already");
    /* a job out of range */
    memcpy(mixed, records + 13 * bytes, bytes);
    ((record *)(void *)mixed)->job = jobs;
    assert_int_equal(store_add(a, (const record *)(const void *)mixed, &err), TRUCE_EINVAL);
    assert_contains(err.message, "job 24 is not a job of this tournament");
    assert_int_equal(truce_store_commit(a, &err), 0);
    /* b, which stored nothing since, sees a's rows: 9 refused, 13.. stored */
    assert_int_equal(store_add(b, REC(9), &err), TRUCE_EINVAL);
    assert_contains(err.message, "job 9 is stored already");
    assert_int_equal(store_add_many(b, records + 13 * bytes, bytes, 3, &stored, &err), 0);
    assert_int_equal(truce_store_commit(b, &err), 0);
#undef REC
    free(mixed);
    free(records);
    truce_tournament_worker_free(w);
    truce_store_free(a);
    truce_store_free(b);
    assert_int_equal(count_rows(db), 16);
    truce_tournament_status st;
    run(t, db, 2, 0, &st);
    assert_int_equal(st.before, 16);
    assert_int_equal(st.ran, 8);
    assert_int_equal(query_count(db, "SELECT count(DISTINCT job) FROM negotiations"), 24);
    assert_int_equal(count_rows(db), 24);
    char *x = rows_of(whole), *y = rows_of(db);
    assert_string_equal(x, y);
    free(x);
    free(y);
    truce_tournament_free(t);
}

static int count_progress(uint64_t done, uint64_t total, double seconds, void *payload)
{
    (void)done;
    (void)total;
    (void)seconds;
    (*(int *)payload)++;
    return 0;
}

/* A new database's tables are made while the workers already run: when they cannot be made
 * (here a folder stands where SQLite's journal must go to switch the file to WAL), the run
 * fails with the database's error, stores nothing and never reports progress; once the
 * obstacle is gone the same run stores the rows a run in one go stores. */
static void test_a_new_database_that_cannot_be_made_fails_the_run(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "linear"};
    truce_tournament *t = make(agents, 3, CEASEFIRE, 4, 1, 0);
    const char *db = temp_path("blocked.db"), *whole = temp_path("unblocked.db");
    char journal[1100];
    snprintf(journal, sizeof journal, "%s-journal", db);
    remove(db);
    assert_int_equal(mkdir(journal, 0755), 0);
    truce_tournament_run_options o = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    int calls = 0;
    o.threads = 2;
    o.progress = count_progress;
    o.progress_payload = &calls;
    truce_tournament_status st;
    truce_error err;
    assert_int_not_equal(truce_tournament_run(t, db, &o, &st, &err), 0);
    assert_contains(err.message, "blocked.db");
    assert_int_equal(calls, 0);
    assert_int_equal(st.ran, 0);
    assert_int_equal(rmdir(journal), 0);
    run(t, db, 2, 0, &st);
    assert_int_equal(st.before, 0);
    assert_int_equal(st.ran, 24);
    run(t, whole, 1, 0, &st);
    char *a = rows_of(whole), *b = rows_of(db);
    assert_string_equal(a, b);
    free(a);
    free(b);
    truce_tournament_free(t);
}

/* Another process may make the tables between the look at an empty database and their making
 * (truce_tournament_run then runs as on a database with results): store_prepare says so. */
static void test_tables_made_by_another_store_meanwhile(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder"};
    truce_tournament *t = make(agents, 2, CEASEFIRE, 2, 1, 0);
    const char *db = temp_path("raced.db");
    remove(db);
    truce_store *late, *first;
    truce_error err;
    int empty = 0;
    assert_int_equal(store_connect(&late, t, db, &empty, &err), 0);
    assert_int_equal(empty, 1);
    run(t, db, 1, 3, NULL); /* the other process: tables and 3 rows */
    assert_int_equal(store_prepare(late, 1, &err), 0);
    assert_int_equal(late->created, 0);
    unsigned char *done;
    uint64_t count;
    assert_int_equal(store_done(late, &done, &count, &err), 0);
    assert_int_equal(count, 3);
    free(done);
    truce_store_free(late);
    /* and a store that does make them says so */
    const char *fresh = temp_path("made.db");
    remove(fresh);
    assert_int_equal(store_connect(&first, t, fresh, &empty, &err), 0);
    assert_int_equal(empty, 1);
    assert_int_equal(store_prepare(first, 1, &err), 0);
    assert_int_equal(first->created, 1);
    truce_store_free(first);
    truce_tournament_free(t);
}

/* Packed results stored a message at a time (the MPI ranks' path): a damaged result keeps
 * those before it and refuses itself and those after; a result stored already is refused
 * with nothing after it stored; in the end the rows are the threaded runner's. */
static void test_packed_results_stored_many_at_a_time(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "random"};
    truce_tournament *t = make(agents, 3, CEASEFIRE, 3, 1, 0);
    const char *threads = temp_path("runner-many.db"), *blocks = temp_path("many.db");
    run(t, threads, 2, 0, NULL);
    truce_error err;
    truce_store *st;
    truce_tournament_worker *w;
    assert_int_equal(truce_store_open(&st, t, blocks, &err), 0);
    assert_int_equal(truce_tournament_worker_create(&w, t, &err), 0);
    size_t size = truce_tournament_result_size(t), jobs = 18, stored = 99;
    double *mem = malloc(jobs * size); /* aligned for doubles */
    assert_non_null(mem);
    unsigned char *bytes = (unsigned char *)mem;
    for (size_t k = 0; k < jobs; k++) /* backwards: job 17 first */
        assert_int_equal(truce_tournament_worker_run_packed(w, jobs - 1 - k, bytes + k * size, &err),
                         0);
    /* result 10 (job 7) damaged: 0..9 stored, 10.. refused */
    ((record *)(void *)(bytes + 10 * size))->job = 1000000;
    assert_int_equal(truce_store_add_packed_many(st, bytes, jobs, &stored, &err), TRUCE_EPARSE);
    assert_int_equal(stored, 10);
    assert_contains(err.message, "does not fit");
    assert_int_equal(st->pending_rows, 10);
    /* job 7 again, then 6..0; with job 17 (stored) third: 2 stored */
    assert_int_equal(truce_tournament_worker_run_packed(w, 7, bytes + 10 * size, &err), 0);
    memcpy(bytes + 12 * size, bytes, size);
    assert_int_not_equal(truce_store_add_packed_many(st, bytes + 10 * size, 8, &stored, &err), 0);
    assert_int_equal(stored, 2);
    assert_contains(err.message, "job 17 is stored already");
    assert_int_equal(truce_tournament_worker_run_packed(w, 5, bytes + 12 * size, &err), 0);
    assert_int_equal(truce_store_add_packed_many(st, bytes + 12 * size, 6, NULL, &err), 0);
    assert_int_equal(truce_store_add_packed_many(st, bytes, 0, &stored, &err), 0);
    assert_int_equal(stored, 0);
    assert_int_equal(truce_store_commit(st, &err), 0);
    uint64_t *missing;
    size_t n;
    assert_int_equal(truce_store_missing(st, &missing, &n, &err), 0);
    assert_int_equal(n, 0);
    truce_free(missing);
    free(mem);
    truce_tournament_worker_free(w);
    truce_store_free(st);
    char *a = rows_of(threads), *b = rows_of(blocks);
    assert_string_equal(a, b);
    free(a);
    free(b);
    truce_tournament_free(t);
}

/* The building blocks other drivers use (the MPI ranks): results as bytes
 * or as JSON, stored in any order, give the rows of the threaded runner. */
static void test_packed_and_json_results_store_the_rows_of_the_runner(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "random"};
    truce_tournament *t = make(agents, 3, CEASEFIRE, 3, 1, 0);
    const char *threads = temp_path("runner.db"), *blocks = temp_path("blocks.db");
    run(t, threads, 2, 0, NULL);
    truce_error err;
    truce_store *st;
    truce_tournament_worker *w;
    assert_int_equal(truce_store_open(&st, t, blocks, &err), 0);
    assert_int_equal(truce_tournament_worker_create(&w, t, &err), 0);
    uint64_t *missing;
    size_t n;
    assert_int_equal(truce_store_missing(st, &missing, &n, &err), 0);
    assert_int_equal(n, 18);
    size_t size = truce_tournament_result_size(t);
    double *bytes = malloc(size); /* aligned for doubles */
    assert_non_null(bytes);
    for (size_t k = n; k-- > 0;) { /* backwards: order does not matter */
        uint64_t job = missing[k];
        if (job % 2) {
            assert_int_equal(truce_tournament_worker_run_packed(w, job, bytes, &err), 0);
            assert_int_equal(truce_store_add_packed(st, bytes, &err), 0);
        } else {
            char *json;
            assert_int_equal(truce_tournament_worker_run(w, job, &json, &err), 0);
            assert_int_equal(truce_store_add_json(st, json, &err), 0);
            truce_free(json);
        }
    }
    truce_free(missing);
    /* a result stored twice, a damaged one, and JSON of nothing are refused */
    assert_int_equal(truce_tournament_worker_run_packed(w, 0, bytes, &err), 0);
    assert_int_not_equal(truce_store_add_packed(st, bytes, &err), 0);
    assert_contains(err.message, "stored already");
    ((record *)(void *)bytes)->job = 1000000;
    assert_int_equal(truce_store_add_packed(st, bytes, &err), TRUCE_EPARSE);
    assert_int_equal(truce_store_add_json(st, "{\"job\": 1", &err), TRUCE_EPARSE);
    assert_int_equal(truce_store_commit(st, &err), 0);
    assert_int_equal(truce_store_missing(st, &missing, &n, &err), 0);
    assert_int_equal(n, 0);
    truce_free(missing);
    free(bytes);
    truce_tournament_worker_free(w);
    truce_store_free(st);
    char *a = rows_of(threads), *b = rows_of(blocks);
    assert_string_equal(a, b);
    free(a);
    free(b);
    truce_tournament_free(t);
}

/* A batch stored by one statement (INSERT ... SELECT FROM truce_batch): a job stored already in
 * the middle of a batch keeps the rows before it (the statement stores what precedes a refused
 * row), names the job, and the rest stored later give the rows of the runner. Agreements and
 * breakdowns alternate (outcome text, then NULL, then text again). */
static void test_batched_rows_with_a_job_stored_already(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "tft", "micro"}; /* tft and micro never agree */
    truce_tournament *t = make(agents, 3, CEASEFIRE, 8, 1, 0);
    assert_int_equal(truce_tournament_job_count(t), 48);
    const char *whole = temp_path("batched-runner.db"), *db = temp_path("batched.db");
    run(t, whole, 1, 0, NULL);
    truce_error err;
    truce_store *st;
    truce_tournament_worker *w;
    assert_int_equal(truce_store_open(&st, t, db, &err), 0);
    assert_int_equal(truce_tournament_worker_create(&w, t, &err), 0);
    size_t bytes = record_size(t);
    unsigned char *records = malloc(48 * bytes);
    assert_non_null(records);
    int agreements = 0;
    for (uint64_t j = 0; j < 48; j++) {
        record *r = record_init(t, records + j * bytes);
        assert_int_equal(worker_run(w, j, r, &err), 0);
        agreements += r->agreement;
    }
    assert_true(agreements > 0 && agreements < 48); /* both kinds of rows */
    assert_int_equal(store_add(st, (const record *)(const void *)(records + 20 * bytes), &err), 0);
    size_t stored = 99;
    assert_int_not_equal(store_add_many(st, records, bytes, 40, &stored, &err), 0);
    assert_contains(err.message, "job 20 is stored already");
    assert_int_equal(stored, 20);
    assert_int_equal(truce_store_commit(st, &err), 0);
    assert_int_equal(count_rows(db), 21);
    assert_int_equal(store_add_many(st, records + 21 * bytes, bytes, 27, &stored, &err), 0);
    assert_int_equal(stored, 27);
    assert_int_equal(truce_store_commit(st, &err), 0);
    truce_store_free(st);
    truce_tournament_worker_free(w);
    free(records);
    char *a = rows_of(whole), *b = rows_of(db);
    assert_string_equal(a, b);
    free(a);
    free(b);
    truce_tournament_free(t);
}

/* Every column of every row, with its type (quote() writes text quoted, reals with a point,
 * NULL as NULL), in job order. */
static char *quoted_rows(const char *db)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(
        sqlite3_prepare_v2(h,
                           "SELECT group_concat(quote(job) || ',' || quote(scenario) || ',' ||"
                           " quote(matchup) || ',' || quote(repetition) || ',' || quote(seed) ||"
                           " ',' || quote(agents) || ',' || quote(agreement) || ',' ||"
                           " quote(end_reason) || ',' || quote(rounds) || ',' || quote(time) ||"
                           " ',' || quote(outcome) || ',' || quote(utility) || ',' ||"
                           " quote(utility_undiscounted) || ',' || quote(welfare) || ',' ||"
                           " quote(pareto_distance) || ',' || quote(nash_distance) || ',' ||"
                           " quote(fault_seat) || ',' || quote(fault_message) || ',' ||"
                           " quote(elapsed), char(10)) FROM (SELECT * FROM negotiations"
                           " ORDER BY job)",
                           -1, &q, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(q, 0);
    char *copy = strdup(v ? v : "");
    assert_non_null(copy);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return copy;
}

/* A batch (one INSERT ... SELECT from the records) stores what the records stored one at a time
 * (each column bound as a parameter) store: the same values of the same types, agreements,
 * breakdowns and faults (a Lua agent that fails) alike. */
static void test_batches_store_what_single_rows_store(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "tft", "micro", "lua:" TRUCE_TEST_DATA "/agents/error.lua"};
    truce_tournament *t = make(agents, 4, CEASEFIRE, 3, 1, 0);
    uint64_t jobs = truce_tournament_job_count(t);
    const char *one = temp_path("one-by-one.db"), *batched = temp_path("batched-all.db");
    truce_error err;
    truce_tournament_worker *w;
    assert_int_equal(truce_tournament_worker_create(&w, t, &err), 0);
    size_t bytes = record_size(t);
    unsigned char *records = malloc(jobs * bytes);
    assert_non_null(records);
    int agreements = 0, faults = 0;
    for (uint64_t j = 0; j < jobs; j++) {
        record *r = record_init(t, records + j * bytes);
        assert_int_equal(worker_run(w, j, r, &err), 0);
        agreements += r->agreement;
        faults += r->fault_seat >= 0;
    }
    assert_true(agreements > 0 && agreements < (int)jobs);
    assert_true(faults > 0);
    truce_store *st;
    assert_int_equal(truce_store_open(&st, t, one, &err), 0);
    for (uint64_t j = 0; j < jobs; j++)
        assert_int_equal(store_add(st, (const record *)(const void *)(records + j * bytes), &err),
                         0);
    assert_int_equal(truce_store_commit(st, &err), 0);
    truce_store_free(st);
    assert_int_equal(truce_store_open(&st, t, batched, &err), 0);
    for (uint64_t j = 0; j < jobs; j += 7) {
        size_t n = jobs - j < 7 ? (size_t)(jobs - j) : 7, stored;
        assert_int_equal(store_add_many(st, records + j * bytes, bytes, n, &stored, &err), 0);
        assert_int_equal(stored, n);
    }
    assert_int_equal(truce_store_commit(st, &err), 0);
    truce_store_free(st);
    char *a = quoted_rows(one), *b = quoted_rows(batched);
    assert_true(strlen(a) > 0);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(records);
    truce_tournament_worker_free(w);
    truce_tournament_free(t);
}

/* The GENIUS clock by default, written into the definition; version 1 definitions (no clock
 * field) run the turn clock and leave it out, as they always did. */
static void test_clock_of_the_definition(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder"};
    truce_tournament *t = make(agents, 2, CEASEFIRE, 1, 1, 0);
    assert_int_equal(t->clock, TRUCE_CLOCK_GENIUS);
    json_t *def = json_parse_or_fail(truce_tournament_definition_json(t));
    assert_string_equal(json_string_value(json_object_get(def, "clock")), "genius");
    assert_null(json_object_get(def, "ties"));
    json_decref(def);
    truce_tournament_free(t);
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    const char *scenarios[] = {CEASEFIRE};
    d.version = 1;
    d.agents = agents;
    d.n_agents = 2;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    d.clock = 77; /* not read in version 1 */
    truce_error err;
    assert_int_equal(truce_tournament_create(&t, &d, &err), 0);
    assert_int_equal(t->clock, TRUCE_CLOCK_TURN);
    def = json_parse_or_fail(truce_tournament_definition_json(t));
    assert_null(json_object_get(def, "clock"));
    json_decref(def);
    truce_tournament_free(t);
    d.version = TRUCE_TOURNAMENT_DEFINITION_VERSION;
    assert_int_equal(truce_tournament_create(&t, &d, &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "clock");
}

static void test_another_definition_is_refused(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder"};
    truce_tournament *t = make(agents, 2, CEASEFIRE, 2, 1, 0);
    truce_tournament *other = make(agents, 2, CEASEFIRE, 3, 1, 0);
    const char *db = temp_path("defined.db");
    run(t, db, 1, 0, NULL);
    truce_error err;
    assert_int_equal(truce_tournament_run(other, db, NULL, NULL, &err), TRUCE_EINVAL);
    assert_contains(err.message, "another tournament");
    assert_contains(err.message, "'repetitions' differs");
    assert_int_equal(count_rows(db), 4);
    /* a database that is not a truce results database */
    const char *junk = temp_file("junk.db", "this is not SQLite\n");
    assert_int_not_equal(truce_tournament_run(t, junk, NULL, NULL, &err), 0);
    assert_contains(err.message, "junk.db");
    truce_tournament_free(other);
    truce_tournament_free(t);
}

static void expect_create_error(const char *const *agents, size_t n, const char *scenario, int code,
                                const char *part)
{
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    const char *scenarios[] = {scenario};
    d.agents = agents;
    d.n_agents = n;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    truce_tournament *t = NULL;
    truce_error err;
    assert_int_equal(truce_tournament_create(&t, &d, &err), code);
    assert_null(t);
    assert_contains(err.message, part);
}

static void test_bad_input_is_refused_before_any_work(void **state)
{
    (void)state;
    const char *unknown[] = {"boulware", "no-such-agent"};
    expect_create_error(unknown, 2, CEASEFIRE, TRUCE_ENOTFOUND, "no-such-agent");
    const char *bad_param[] = {"boulware", "conceder:e=-3"};
    expect_create_error(bad_param, 2, CEASEFIRE, TRUCE_EINVAL, "conceder");
    const char *agents[] = {"boulware", "conceder"};
    expect_create_error(agents, 2, "/no/such/scenario", TRUCE_ENOTFOUND, "/no/such/scenario");
    expect_create_error(agents, 2, "/no/such/*/glob", TRUCE_ENOTFOUND, "matches");
    const char *one[] = {"boulware"};
    expect_create_error(one, 1, CEASEFIRE, TRUCE_EINVAL, "self-play");
    const char *twice[] = {"boulware", "boulware"};
    expect_create_error(twice, 2, CEASEFIRE, TRUCE_EINVAL, "twice");
    /* the seed case has no channel between the principals: no direct talks */
    expect_create_error(agents, 2, TRUCE_EXAMPLES "/seed/truce-talks.yaml", TRUCE_EINVAL,
                        "channel");
    /* an unwritable database is refused before any negotiation runs */
    truce_tournament *t = make(agents, 2, CEASEFIRE, 1, 1, 0);
    truce_error err;
    assert_int_not_equal(truce_tournament_run(t, "/no/such/folder/results.db", NULL, NULL, &err),
                         0);
    assert_contains(err.message, "/no/such/folder/results.db");
    truce_tournament_free(t);
}

static void test_folders_are_collections_of_scenarios(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char path[600], text[2000];
    mkdir(strcat(strcpy(path, dir), "/more"), 0755);
    const char *names[] = {"/b.yaml", "/a.yml", "/more/c.yaml"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", dir, names[i]);
        snprintf(text, sizeof text, BILATERAL, names[i] + 1);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/notes.txt", dir); /* not a scenario: ignored */
    FILE *f = fopen(path, "w");
    fputs("hello\n", f);
    fclose(f);
    const char *agents[] = {"boulware", "conceder"};
    truce_tournament *t = make(agents, 2, dir, 1, 1, 0);
    assert_int_equal(truce_tournament_scenario_count(t), 3);
    /* sorted by name, subfolders recursively */
    assert_string_equal(t->sc[0].path + strlen(dir), "/a.yml");
    assert_string_equal(t->sc[1].path + strlen(dir), "/b.yaml");
    assert_string_equal(t->sc[2].path + strlen(dir), "/more/c.yaml");
    truce_tournament_free(t);
    /* a glob */
    snprintf(path, sizeof path, "%s/*.yaml", dir);
    t = make(agents, 2, path, 1, 1, 0);
    assert_int_equal(truce_tournament_scenario_count(t), 1);
    truce_tournament_free(t);
    /* an empty folder holds no scenario */
    expect_create_error(agents, 2, temp_dir(), TRUCE_ENOTFOUND, "no scenario");
}

/* skip_unloadable: scenarios that fail to load or cannot be played are left out, each with its
 * reason, in the tournament and in its stored definition; without it the first one stops. */
static void test_unloadable_scenarios_are_skipped_on_request(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char path[600], text[2000];
    snprintf(path, sizeof path, "%s/a-good.yaml", dir);
    snprintf(text, sizeof text, BILATERAL, "good");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/b-broken.yaml", dir); /* no issues: does not load */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("truce: 1\nname: broken\nparties:\n  - id: a\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/c-alone.yaml", dir); /* loads, but one party cannot negotiate */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("truce: 1\nname: alone\nissues:\n  - id: price\n    options: [low, high]\n"
          "parties:\n  - id: a\n    values: {price: {low: 1, high: 0}}\n",
          f);
    fclose(f);
    const char *agents[] = {"boulware", "conceder"};
    const char *scenarios[] = {dir};
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    d.agents = agents;
    d.n_agents = 2;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    truce_tournament *t = NULL;
    truce_error err;
    /* off: the broken file stops the tournament, named */
    assert_int_not_equal(truce_tournament_create(&t, &d, &err), 0);
    assert_null(t);
    assert_contains(err.file, "b-broken.yaml");
    /* on: the good scenario alone is played, 2 ordered pairs */
    d.skip_unloadable = 1;
    if (truce_tournament_create(&t, &d, &err))
        fail_msg("truce_tournament_create: %s", err.message);
    assert_int_equal(truce_tournament_scenario_count(t), 1);
    assert_int_equal(truce_tournament_job_count(t), 2);
    assert_int_equal(truce_tournament_skipped_count(t), 2);
    assert_contains(truce_tournament_skipped_path(t, 0), "b-broken.yaml");
    assert_contains(truce_tournament_skipped_reason(t, 0), "b-broken.yaml");
    assert_contains(truce_tournament_skipped_path(t, 1), "c-alone.yaml");
    assert_contains(truce_tournament_skipped_reason(t, 1), "at least 2 negotiating parties");
    /* stable codes beside the reasons: did not load (a YAML type error), cannot be played */
    assert_string_equal(truce_tournament_skipped_code(t, 0), "invalid");
    assert_string_equal(truce_tournament_skipped_code(t, 1), "too-few-parties");
    assert_null(truce_tournament_skipped_code(t, 2));
    assert_null(truce_tournament_skipped_path(t, 2));
    assert_null(truce_tournament_skipped_reason(t, 2));
    json_t *def = json_loads(truce_tournament_definition_json(t), 0, NULL);
    assert_non_null(def);
    json_t *skipped = json_object_get(def, "skipped");
    assert_int_equal(json_array_size(skipped), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(skipped, 1), "scenario")),
                        "c-alone.yaml");
    /* the stored reason names the file without its folder */
    const char *why = json_string_value(json_object_get(json_array_get(skipped, 0), "reason"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(skipped, 1), "code")),
                        "too-few-parties");
    assert_contains(why, "b-broken.yaml");
    assert_null(strstr(why, dir));
    json_decref(def);
    truce_tournament_status st;
    run(t, temp_path("skip.db"), 1, 0, &st);
    assert_int_equal(st.ran, 2);
    truce_tournament_free(t);
    /* a version 3 caller never skips */
    d.version = 3;
    assert_int_not_equal(truce_tournament_create(&t, &d, &err), 0);
    /* nothing left to play is an error that names the first reason */
    d.version = TRUCE_TOURNAMENT_DEFINITION_VERSION;
    snprintf(path, sizeof path, "%s/b-broken.yaml", dir);
    scenarios[0] = path;
    assert_int_not_equal(truce_tournament_create(&t, &d, &err), 0);
    assert_contains(err.message, "no scenario could be loaded");
}

static void test_yaml_definition(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char path[600], text[2000];
    snprintf(path, sizeof path, "%s/deal.yaml", dir);
    snprintf(text, sizeof text, BILATERAL, "deal");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/cup.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("name: cup\n"
          "agents: [boulware, conceder, 'linear']\n"
          "scenarios: [deal.yaml]   # relative to this file\n"
          "protocol: sao\n"
          "deadline: {rounds: 50}\n"
          "clock: turn\n"
          "ties: genius\n"
          "repetitions: 4\n"
          "permutations: false\n"
          "seed: 99\n",
          f);
    fclose(f);
    truce_tournament *t;
    truce_error err;
    assert_int_equal(truce_tournament_load(&t, path, NULL, &err), 0);
    assert_int_equal(truce_tournament_job_count(t), 3 * 4);
    assert_int_equal(t->rounds, 50);
    assert_int_equal(t->seed, 99);
    assert_int_equal(t->clock, TRUCE_CLOCK_TURN);
    assert_int_equal(t->ties, TRUCE_TIES_GENIUS);
    json_t *def = json_parse_or_fail(truce_tournament_definition_json(t));
    assert_string_equal(json_string_value(json_object_get(def, "name")), "cup");
    assert_int_equal(json_integer_value(json_object_get(def, "jobs")), 12);
    /* the turn clock is left out (as before version 2); genius ties are written */
    assert_null(json_object_get(def, "clock"));
    assert_string_equal(json_string_value(json_object_get(def, "ties")), "genius");
    json_decref(def);
    truce_tournament_free(t);
    /* the scenarios are loaded under the caller's limits */
    truce_limits limits = TRUCE_LIMITS_INIT;
    assert_int_equal(truce_limits_set(&limits, "max_issues", "1", &err), 0);
    assert_int_equal(truce_tournament_load(&t, path, &limits, &err), TRUCE_ELIMIT);
    assert_contains(err.message, "max_issues");
    /* a typo is an error with its line and column */
    const char *typo = temp_file("typo.yaml", "agents: [boulware, conceder]\n"
                                              "scenarios: [x]\n"
                                              "repetitons: 3\n");
    assert_int_not_equal(truce_tournament_load(&t, typo, NULL, &err), 0);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "unknown key 'repetitons'");
    const char *bad = temp_file("bad.yaml", "agents: [boulware, conceder]\n"
                                            "scenarios: [x]\n"
                                            "repetitions: -2\n");
    assert_int_not_equal(truce_tournament_load(&t, bad, NULL, &err), 0);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "repetitions");
    const char *clock = temp_file("clock.yaml", "agents: [boulware, conceder]\n"
                                                "scenarios: [x]\n"
                                                "clock: wall\n");
    assert_int_not_equal(truce_tournament_load(&t, clock, NULL, &err), 0);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "'clock' must be genius or turn, not 'wall'");
    const char *cut = temp_file("cut.yaml", "agents: [boulware, conceder\n");
    assert_int_equal(truce_tournament_load(&t, cut, NULL, &err), TRUCE_EPARSE);
}

/* Outcomes are stored as option indices with the scenario's labels beside them: the options
 * table, the outcomes view and the CSV's outcome_labels; a database made before them gets them
 * when the tournament opens it again. */
/* The CSV export's rows checked against the documented views (seats, outcomes): one line per
 * negotiation and seat in job and seat order, each starting with its job, scenario, repetition,
 * seed, seat, agent and party, and ending with the labels of its outcome (the outcomes view's,
 * as a quoted CSV field) or nothing without agreement. */
static void assert_csv_follows_the_views(const char *db)
{
    char *csv;
    truce_error err;
    assert_int_equal(truce_results_csv(&csv, db, "negotiations", &err), 0);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    const char *sql =
        "SELECT st.job || ',' || s.name || ',' || n.repetition || ',' || n.seed || ',' ||"
        " st.seat || ',' || a.spec || ',' || json_extract(s.parties_json, '$[' || st.seat || ']')"
        " || ',', (SELECT json_group_object(o.issue_name, o.label) FROM outcomes AS o"
        " WHERE o.job = st.job) FROM seats AS st JOIN negotiations AS n ON n.job = st.job"
        " JOIN scenarios AS s ON s.id = n.scenario JOIN agents AS a ON a.id = st.agent"
        " ORDER BY st.job, st.seat";
    if (sqlite3_prepare_v2(h, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(h));
    const char *line = strstr(csv, "\r\n");
    assert_non_null(line);
    line += 2;
    long lines = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *end = strstr(line, "\r\n");
        assert_non_null(end);
        const char *prefix = (const char *)sqlite3_column_text(q, 0);
        if (strncmp(line, prefix, strlen(prefix)))
            fail_msg("line %ld: %.*s does not start with %s", lines, (int)(end - line), line,
                     prefix);
        const char *labels = (const char *)sqlite3_column_text(q, 1);
        char want[4096] = ",";
        if (sqlite3_column_type(q, 1) != SQLITE_NULL && strcmp(labels, "{}")) {
            size_t k = 0;
            want[k++] = '"';
            for (const char *c = labels; *c && k + 3 < sizeof want; c++) {
                if (*c == '"')
                    want[k++] = '"';
                want[k++] = *c;
            }
            want[k++] = '"';
            want[k] = '\0';
        }
        size_t wl = strlen(want);
        if ((size_t)(end - line) < wl || strncmp(end - wl, want, wl))
            fail_msg("line %ld: %.*s does not end with %s", lines, (int)(end - line), line, want);
        line = end + 2;
        lines++;
    }
    assert_true(lines > 0);
    assert_int_equal(*line, '\0');
    sqlite3_finalize(q);
    sqlite3_close(h);
    truce_free(csv);
}

static void test_outcomes_are_stored_with_their_labels(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder"};
    truce_tournament *t = make(agents, 2, CEASEFIRE, 2, 1, 0);
    const char *db = temp_path("labels.db");
    run(t, db, 1, 0, NULL);
    /* ceasefire: territory 4 options, ceasefire 3, guarantees 4, sanctions relief (percent)
     * an integer issue 0..10 (11 options) */
    const truce_scenario *s = t->sc[0].s;
    long options = 0;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        options += truce_issue_option_count(s, i);
    assert_int_equal(query_count(db, "SELECT count(*) FROM options"), options);
    assert_int_equal(query_count(db, "SELECT count(*) FROM options WHERE issue_name = "
                                     "'territory' AND option = 0 AND label = "
                                     "'full withdrawal of Ukrainian troops'"),
                     1);
    /* every agreement has one labelled row per issue */
    long agreed = query_count(db, "SELECT count(*) FROM negotiations WHERE agreement = 1");
    assert_true(agreed > 0);
    assert_int_equal(query_count(db, "SELECT count(*) FROM outcomes"),
                     agreed * (long)truce_scenario_issue_count(s));
    char *csv;
    truce_error err;
    assert_int_equal(truce_results_csv(&csv, db, "negotiations", &err), 0);
    assert_contains(csv, ",outcome,outcome_labels\r\n");
    assert_contains(csv, "\"{\"\"territory\"\":\"\"");
    truce_free(csv);
    assert_csv_follows_the_views(db);
    /* a database of schema version 1: no options table; read-only readers leave the labels
     * empty, the next run adds them (its negotiations table is version 2's) */
    to_layout(db, layout_2, 1);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "DROP VIEW outcomes; DROP TABLE options; UPDATE meta SET value "
                                  "= '1' WHERE key = 'schema_version';",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(truce_results_csv(&csv, db, "negotiations", &err), 0);
    assert_null(strstr(csv, "territory"));
    truce_free(csv);
    truce_tournament_status st;
    run(t, db, 1, 0, &st);
    assert_int_equal(st.ran, 0);
    assert_int_equal(query_count(db, "SELECT count(*) FROM options"), options);
    assert_int_equal(query_count(db, "SELECT value FROM meta WHERE key = 'schema_version'"), 2);
    char *table = schema_sql(db, "negotiations");
    assert_contains(table, "scenario INTEGER NOT NULL");
    free(table);
    assert_int_equal(truce_results_csv(&csv, db, "negotiations", &err), 0);
    assert_contains(csv, "\"{\"\"territory\"\":\"\"");
    truce_free(csv);
    assert_csv_follows_the_views(db);
    truce_tournament_free(t);
}

/* A deadline in seconds: agents see elapsed / seconds, every negotiation ends by agreement or
 * at the deadline after that much wall-clock time, and the definition says so. */
static void test_time_deadline(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char path[600], text[2000], cup[600];
    snprintf(path, sizeof path, "%s/deal.yaml", dir);
    snprintf(text, sizeof text, BILATERAL, "deal");
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    snprintf(cup, sizeof cup, "%s/cup.yaml", dir);
    f = fopen(cup, "w");
    fputs("agents: [hardliner, conceder]\n"
          "scenarios: [deal.yaml]\n"
          "deadline: {seconds: 0.05}\n"
          "negotiation_timeout: 5\n",
          f);
    fclose(f);
    truce_tournament *t;
    truce_error err;
    assert_int_equal(truce_tournament_load(&t, cup, NULL, &err), 0);
    json_t *def = json_parse_or_fail(truce_tournament_definition_json(t));
    assert_close(json_number_value(json_object_get(def, "seconds")), 0.05, 0);
    assert_int_equal(json_integer_value(json_object_get(def, "rounds")), 0);
    assert_close(json_number_value(json_object_get(def, "negotiation_timeout")), 5, 0);
    json_decref(def);
    const char *db = temp_path("timed.db");
    run(t, db, 2, 0, NULL);
    truce_tournament_free(t);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT end_reason, time, elapsed, rounds FROM "
                                        "negotiations",
                                        -1, &q, NULL),
                     SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        rows++;
        const char *end = (const char *)sqlite3_column_text(q, 0);
        double time = sqlite3_column_double(q, 1), elapsed = sqlite3_column_double(q, 2);
        assert_true(!strcmp(end, "agreement") || !strcmp(end, "deadline"));
        assert_true(time >= 0 && time <= 1);
        if (!strcmp(end, "deadline")) /* the clock ran out: at least 0.05 s went by */
            assert_true(elapsed >= 0.05);
        else /* agreed at relative time t: about t * 0.05 s in */
            assert_true(elapsed >= time * 0.05 * 0.5);
        assert_true(sqlite3_column_int64(q, 3) >= 1);
    }
    assert_int_equal(rows, 2);
    sqlite3_finalize(q);
    sqlite3_close(h);
    /* the statistics name the deadline */
    char *out;
    assert_int_equal(truce_results_stats(&out, db, &err), 0);
    json_t *s = json_parse_or_fail(out);
    truce_free(out);
    assert_close(json_number_value(json_object_get(json_object_get(s, "deadline"), "seconds")),
                 0.05, 0);
    json_decref(s);
    /* one deadline only; seconds must be positive */
    const char *both = temp_file("both.yaml", "agents: [boulware, conceder]\n"
                                              "scenarios: [x]\n"
                                              "rounds: 10\n"
                                              "seconds: 3\n");
    assert_int_not_equal(truce_tournament_load(&t, both, NULL, &err), 0);
    assert_int_equal(err.line, 4);
    assert_contains(err.message, "one deadline");
    const char *zero = temp_file("zero.yaml", "agents: [boulware, conceder]\n"
                                              "scenarios: [x]\n"
                                              "deadline: {seconds: 0}\n");
    assert_int_not_equal(truce_tournament_load(&t, zero, NULL, &err), 0);
    assert_contains(err.message, "above 0");
    /* a version 1 definition (without the fields version 2 appended) still works: rounds */
    const char *agents[] = {"boulware", "conceder"};
    const char *scenarios[] = {path};
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    d.version = 1;
    d.agents = agents;
    d.n_agents = 2;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    d.seconds = 99; /* a version 1 caller has no such field: ignored */
    assert_int_equal(truce_tournament_create(&t, &d, &err), 0);
    assert_int_equal(t->rounds, 100);
    assert_close(t->seconds, 0, 0);
    truce_tournament_free(t);
}

/* Scenarios with different numbers of seats need a matchup set each: the
 * first scenario's set must stay where it is when the second one is made. */
static void test_scenarios_with_different_seat_counts(void **state)
{
    (void)state;
    const char *three = temp_file("three.yaml", "truce: 1\nname: three\n"
                                                "issues:\n"
                                                "  - id: price\n"
                                                "    options: [low, high]\n"
                                                "parties:\n"
                                                "  - id: a\n"
                                                "    values: {price: {low: 1, high: 0}}\n"
                                                "  - id: b\n"
                                                "    values: {price: {low: 0, high: 1}}\n"
                                                "  - id: c\n"
                                                "    values: {price: {low: 1, high: 1}}\n");
    const char *agents[] = {"boulware", "conceder", "tft"};
    const char *scenarios[] = {CEASEFIRE, three};
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    d.agents = agents;
    d.n_agents = 3;
    d.scenarios = scenarios;
    d.n_scenarios = 2;
    d.repetitions = 2;
    truce_tournament *t;
    truce_error err;
    if (truce_tournament_create(&t, &d, &err))
        fail_msg("truce_tournament_create: %s", err.message);
    /* 3*2 ordered pairs and 3! orders of three, 2 repetitions each */
    assert_int_equal(truce_tournament_job_count(t), (6 + 6) * 2);
    truce_tournament_status st;
    const char *db = temp_path("seats.db");
    run(t, db, 2, 0, &st);
    assert_int_equal(st.ran, 24);
    assert_int_equal(count_rows(db), 24);
    truce_tournament_free(t);
}

static json_t *agent_row(json_t *stats, const char *name)
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

static double field(json_t *o, const char *key, const char *sub)
{
    json_t *v = json_object_get(o, key);
    if (sub)
        v = json_object_get(v, sub);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static double ci(json_t *o, const char *key, size_t side)
{
    return json_number_value(
        json_array_get(json_object_get(json_object_get(o, key), "ci95"), side));
}

/* A database whose rows are replaced by a small hand-made table; every
 * expected value below is computed by hand. */
static void test_statistics_of_a_hand_computed_table(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char path[600], text[2000];
    snprintf(path, sizeof path, "%s/deal.yaml", dir);
    snprintf(text, sizeof text, BILATERAL, "deal");
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    const char *agents[] = {"boulware", "conceder", "linear"}; /* A, B, C */
    truce_tournament *t = make(agents, 3, path, 1, 1, 0);
    const char *db = temp_path("hand.db");
    run(t, db, 1, 0, NULL);
    truce_tournament_free(t);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    const char *sql = "DELETE FROM negotiations;"
                      "INSERT INTO negotiations VALUES"
                      " (0, 0, 0, 0, '1', '[0,1]', 1, 'agreement', 10, 0.1, '[0,0]', '[0.2,0.8]',"
                      "  '[0.2,0.8]', 1.0, 0.1, 0.3, NULL, NULL, 0.001),"
                      " (1, 0, 1, 0, '2', '[1,0]', 1, 'agreement', 20, 0.2, '[1,0]', '[0.6,0.4]',"
                      "  '[0.6,0.4]', 1.0, 0.0, 0.2, NULL, NULL, 0.001),"
                      " (2, 0, 2, 0, '3', '[0,2]', 0, 'fault', 30, 0.3, NULL, '[0.6,0.1]',"
                      "  '[0.6,0.1]', 0.7, NULL, NULL, 1, 'crashed', 0.001),"
                      " (3, 0, 3, 0, '4', '[2,1]', 0, 'deadline', 40, 1.0, NULL, '[0.3,0.3]',"
                      "  '[0.3,0.3]', 0.6, NULL, NULL, NULL, NULL, 0.001);";
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    char *out;
    truce_error err;
    assert_int_equal(truce_results_stats(&out, db, &err), 0);
    json_t *s = json_parse_or_fail(out);
    truce_free(out);
    assert_int_equal(json_integer_value(json_object_get(s, "negotiations")), 4);
    assert_int_equal(json_integer_value(json_object_get(s, "jobs")), 6);
    assert_false(json_is_true(json_object_get(s, "complete")));
    /* A: utilities 0.2, 0.4, 0.6: mean 0.4, sd 0.2, half width
     * t(0.975, 2) * 0.2 / sqrt(3) = 4.30265273 * 0.115470054 = 0.496827 */
    json_t *a = agent_row(s, "boulware");
    assert_close(field(a, "utility", "mean"), 0.4, 1e-12);
    assert_close(field(a, "utility", "sd"), 0.2, 1e-12);
    assert_close(ci(a, "utility", 0), 0.4 - 0.4968275, 1e-6);
    assert_close(ci(a, "utility", 1), 0.4 + 0.4968275, 1e-6);
    assert_close(field(a, "agreement_rate", NULL), 2.0 / 3, 1e-12);
    assert_close(field(a, "welfare", "mean"), 0.9, 1e-12);
    assert_close(field(a, "pareto_distance", "mean"), 0.05, 1e-12);
    assert_close(field(a, "nash_distance", "mean"), 0.25, 1e-12);
    assert_int_equal(json_integer_value(json_object_get(a, "faults")), 0);
    /* B: 0.8, 0.6, 0.3: mean 0.5666667, sd sqrt(0.1266667 / 2) = 0.2516611 */
    json_t *b = agent_row(s, "conceder");
    assert_close(field(b, "utility", "mean"), 1.7 / 3, 1e-12);
    assert_close(field(b, "utility", "sd"), 0.25166115, 1e-7);
    /* C: 0.1, 0.3: mean 0.2, sd 0.1414214, half width 12.7062047 * 0.1 */
    json_t *c = agent_row(s, "linear");
    assert_close(field(c, "utility", "mean"), 0.2, 1e-12);
    assert_close(ci(c, "utility", 1), 0.2 + 1.27062047, 1e-6);
    assert_close(field(c, "agreement_rate", NULL), 0, 0);
    assert_int_equal(json_integer_value(json_object_get(c, "faults")), 1);
    /* head to head: A against B 0.2 and 0.4; B against A 0.8 and 0.6 */
    json_t *mean = json_object_get(json_object_get(s, "head_to_head"), "mean");
    assert_close(json_number_value(json_array_get(json_array_get(mean, 0), 1)), 0.3, 1e-12);
    assert_close(json_number_value(json_array_get(json_array_get(mean, 1), 0)), 0.7, 1e-12);
    assert_close(json_number_value(json_array_get(json_array_get(mean, 0), 2)), 0.6, 1e-12);
    assert_close(json_number_value(json_array_get(json_array_get(mean, 2), 0)), 0.1, 1e-12);
    assert_close(json_number_value(json_array_get(json_array_get(mean, 2), 1)), 0.3, 1e-12);
    assert_true(json_is_null(json_array_get(json_array_get(mean, 0), 0)));
    /* the scenario: 4 negotiations, half agreed, welfare 0.825, rounds 25 */
    json_t *sc = json_array_get(json_object_get(s, "scenarios"), 0);
    assert_close(field(sc, "agreement_rate", NULL), 0.5, 1e-12);
    assert_close(field(sc, "welfare", "mean"), 0.825, 1e-12);
    assert_close(field(sc, "rounds", "mean"), 25, 1e-12);
    assert_int_equal(json_integer_value(json_object_get(sc, "faults")), 1);
    json_decref(s);
    /* CSV: the same numbers, one line per agent, RFC 4180 line ends */
    assert_int_equal(truce_results_csv(&out, db, "agents", &err), 0);
    assert_contains(out, "agent,negotiations,utility_mean,");
    assert_contains(out, "\r\nboulware,3,0.4,");
    truce_free(out);
    assert_int_equal(truce_results_csv(&out, db, "negotiations", &err), 0);
    size_t lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + 4 * 2);
    assert_contains(out, ",crashed,");
    truce_free(out);
    assert_int_equal(truce_results_csv(&out, db, "nope", &err), TRUCE_EINVAL);
    /* text a spreadsheet would run as a formula gets a leading quote, quoted (OWASP): names and
     * messages came out as =HYPERLINK(...) and @SUM(...) */
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "UPDATE scenarios SET name = '=HYPERLINK(\"http://x\",\"y\")';"
                                  "UPDATE negotiations SET fault_message = '@SUM(1+1)' WHERE job = 2;"
                                  "UPDATE negotiations SET end_reason = '-2+3' WHERE job = 3;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(truce_results_csv(&out, db, "scenarios", &err), 0);
    assert_contains(out, "\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",4,");
    truce_free(out);
    assert_int_equal(truce_results_csv(&out, db, "negotiations", &err), 0);
    assert_contains(out, ",\"'@SUM(1+1)\",");
    assert_contains(out, ",\"'-2+3\",");
    assert_null(strstr(out, ",=HYPERLINK"));
    assert_null(strstr(out, ",@SUM"));
    truce_free(out);
    /* numbers out of their range are refused, not averaged into inf (NaN axes in reports) */
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "UPDATE negotiations SET utility = '[1e308,-1e308]' "
                                     "WHERE job = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(truce_results_stats(&out, db, &err), TRUCE_EPARSE);
    assert_contains(err.message, "negotiation 1 holds a utility of 1e+308, out of range");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matchup_counts_follow_the_definition),
        cmocka_unit_test(test_matchups_are_the_allowed_tuples_and_the_limit_counts_them),
        cmocka_unit_test(test_results_are_the_same_on_one_or_two_threads),
        cmocka_unit_test(test_rows_match_negotiations_run_directly),
        cmocka_unit_test(test_resumed_run_equals_uninterrupted_run),
        cmocka_unit_test(test_a_version_2_database_resumes_with_the_same_rows),
        cmocka_unit_test(test_a_version_3_database_resumes_with_the_same_rows),
        cmocka_unit_test(test_a_job_is_stored_once_without_a_key),
        cmocka_unit_test(test_a_new_database_that_cannot_be_made_fails_the_run),
        cmocka_unit_test(test_tables_made_by_another_store_meanwhile),
        cmocka_unit_test(test_packed_and_json_results_store_the_rows_of_the_runner),
        cmocka_unit_test(test_packed_results_stored_many_at_a_time),
        cmocka_unit_test(test_batched_rows_with_a_job_stored_already),
        cmocka_unit_test(test_batches_store_what_single_rows_store),
        cmocka_unit_test(test_clock_of_the_definition),
        cmocka_unit_test(test_another_definition_is_refused),
        cmocka_unit_test(test_bad_input_is_refused_before_any_work),
        cmocka_unit_test(test_folders_are_collections_of_scenarios),
        cmocka_unit_test(test_unloadable_scenarios_are_skipped_on_request),
        cmocka_unit_test(test_yaml_definition),
        cmocka_unit_test(test_time_deadline),
        cmocka_unit_test(test_outcomes_are_stored_with_their_labels),
        cmocka_unit_test(test_statistics_of_a_hand_computed_table),
        cmocka_unit_test(test_scenarios_with_different_seat_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
