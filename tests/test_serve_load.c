/* test_serve_load.c: a bounded load on truce serve over loopback: 200
 * sessions at once (150 scripted people against boulware, 25 pairs of
 * scripted people), and 120 mediated talks at once (people as principals and
 * as the mediator); every one must end, no request may fail, and every
 * action a person made must be in the store (one row each) and in the
 * session's trace. Speed is bench/bench_serve.c's job, not this test's. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serveload.h"
#include "servetest.h"

#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"

static long long count(sqlite3 *db, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Every person's action is in the store, one row each, and the store and
 * the trace hold the same records in the same order, byte for byte. */
static void check_store(const served *s, const load_options *o, load_result *r)
{
    char path[800];
    snprintf(path, sizeof path, "%s/sessions.db", s->data);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    size_t rows = 0;
    for (size_t k = 0; k < o->sessions; k++) {
        const char *id = r->ids[k];
        /* each person's actions, one row each: a move in direct talks, an
         * answer to the mediator; a mediator's first draft is in the start
         * record and each later one is one revision */
        for (size_t q = 0; q < 3; q++) {
            if (!r->parties[k][q][0])
                continue;
            int mediator = !strcmp(r->parties[k][q], "mediator");
            long long stored =
                mediator ? 1 + count(db,
                                     "SELECT count(*) FROM actions WHERE session=?1 AND "
                                     "type='revision'",
                                     id, NULL)
                : o->mediation
                    ? count(db,
                            "SELECT count(*) FROM actions WHERE session=?1 AND actor=?2 AND "
                            "type='answer'",
                            id, r->parties[k][q])
                    : count(db,
                            "SELECT count(*) FROM actions WHERE session=?1 AND actor=?2 "
                            "AND type IN ('offer','accept','end-negotiation')",
                            id, r->parties[k][q]);
            if (stored != (long long)r->seat_actions[k][q])
                fail_msg("session %s: %s made %zu actions, the store holds %lld", id,
                         r->parties[k][q], r->seat_actions[k][q], stored);
        }
        /* the trace holds every row, in order, byte for byte */
        char trace[900];
        snprintf(trace, sizeof trace, "%s/traces/%s.jsonl", s->data, id);
        char *text = slurp_file(trace);
        assert_non_null(text);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT record FROM actions WHERE session=?1 ORDER "
                                            "BY seq",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        const char *at = text;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *rec = (const char *)sqlite3_column_text(st, 0);
            size_t n = strlen(rec);
            if (strncmp(at, rec, n) || at[n] != '\n')
                fail_msg("session %s: the trace and the store differ at '%.80s'", id, rec);
            at += n + 1;
            rows++;
        }
        assert_int_equal(*at, '\0');
        assert_non_null(strstr(text, "{\"type\":\"end\""));
        sqlite3_finalize(st);
        free(text);
        assert_int_equal(count(db,
                               o->mediation
                                   ? "SELECT count(*) FROM sessions WHERE id=?1 AND ended IS NOT "
                                     "NULL AND end_reason IN ('agreement','limit','breakdown')"
                                   : "SELECT count(*) FROM sessions WHERE id=?1 AND ended IS NOT "
                                     "NULL AND end_reason IN ('agreement','deadline')",
                               id, NULL),
                         1);
    }
    assert_true(rows > r->actions);
    sqlite3_close(db);
}

static void test_two_hundred_sessions_at_once_lose_nothing(void **state)
{
    (void)state;
    served s;
    const char *args[] = {CEASEFIRE, NULL};
    served_start(&s, args);
    load_options o = {s.base, s.key, "ceasefire", 200, 50, "boulware", 10, 16, 600, 0};
    load_result r;
    int rc = load_run(&o, &r);
    if (rc)
        fail_msg("%zu of %zu sessions ended, %zu errors (first: %s)", r.ended, o.sessions, r.errors,
                 r.first_error);
    assert_int_equal(r.ended, 200);
    assert_int_equal(r.errors, 0);
    assert_true(r.actions >= 200);
    /* pairs agree in round 2; people facing boulware take its offer from round 3 */
    assert_true(r.agreements >= 50);
    fprintf(stderr, "load: %zu actions, %zu polls, p99 %.1f ms (timing: bench_serve)\n", r.actions,
            r.polls, 1e3 * load_quantile(&r, 0.99));
    assert_int_equal(served_stop(&s), 0);
    check_store(&s, &o, &r);
    load_free(&r);
}

static void test_many_mediated_sessions_at_once_lose_nothing(void **state)
{
    (void)state;
    served s;
    const char *args[] = {CEASEFIRE, NULL};
    served_start(&s, args);
    /* 120 mediated talks at once, 40 of each kind (serveload.h): two people
     * and the informed mediator, a person against the engine's responder
     * with the uninformed mediator, a person mediating two responders */
    load_options o = {s.base, s.key, "ceasefire", 120, 0, NULL, 6, 16, 600, 1};
    load_result r;
    int rc = load_run(&o, &r);
    if (rc)
        fail_msg("%zu of %zu sessions ended, %zu errors (first: %s)", r.ended, o.sessions, r.errors,
                 r.first_error);
    assert_int_equal(r.ended, 120);
    assert_int_equal(r.errors, 0);
    /* every person answered or drafted at least once: 40 x 2 + 40 + 40 */
    assert_true(r.actions >= 160);
    assert_true(r.mediator_actions >= 40);
    for (size_t k = 0; k < o.sessions; k++)
        for (size_t q = 0; q < 3; q++)
            if (r.parties[k][q][0] && r.seat_actions[k][q] == 0)
                fail_msg("session %s: %s never acted", r.ids[k], r.parties[k][q]);
    fprintf(stderr,
            "mediated load: %zu actions (%zu drafts), %zu polls, %zu agreements, p99 %.1f ms\n",
            r.actions, r.mediator_actions, r.polls, r.agreements, 1e3 * load_quantile(&r, 0.99));
    assert_int_equal(served_stop(&s), 0);
    check_store(&s, &o, &r);
    load_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_hundred_sessions_at_once_lose_nothing),
        cmocka_unit_test(test_many_mediated_sessions_at_once_lose_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
