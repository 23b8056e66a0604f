/* test_serve.c: truce serve's API against the real server (HTTP through
 * libcurl): sessions run by the engine's rules and stored (trace and one
 * database row per action), people who stall or leave, deadlines, mediated
 * talks along channels, experiments and CSV export; and its safety: tokens on
 * every action, no path outside the given folders, oversized and malformed
 * requests, markup in scenario labels. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "servetest.h"

#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"
#define SEED TRUCE_EXAMPLES "/seed/truce-talks.yaml"
#define REDLINE TRUCE_TEST_DATA "/serve/redline.yaml"

static json_t *state(const served *s, const char *id, const char *token)
{
    char path[300];
    snprintf(path, sizeof path, "/api/session?id=%s&full=1", id);
    reply r = http(s, "GET", path, token, NULL);
    if (r.status != 200)
        fail_msg("state of %s: HTTP %ld %s", id, r.status, r.body);
    json_t *j = reply_json(&r);
    reply_free(&r);
    return j;
}

/* Poll until the seat must act (1) or the session ended (0). */
static int await_turn(const served *s, const char *id, const char *token, json_t **out)
{
    for (int k = 0; k < 600; k++) {
        json_t *j = state(s, id, token);
        const char *status = json_string_value(json_object_get(j, "status"));
        if (!strcmp(status, "ended")) {
            *out = j;
            return 0;
        }
        if (json_is_true(json_object_get(json_object_get(j, "waiting"), "yours"))) {
            *out = j;
            return 1;
        }
        json_decref(j);
        usleep(20000);
    }
    fail_msg("session %s: no turn and no end within 12 s", id);
    return -1;
}

static long act(const served *s, const char *id, const char *token, const char *body, char **why)
{
    char path[300];
    snprintf(path, sizeof path, "/api/session/act?id=%s", id);
    reply r = http(s, "POST", path, token, body);
    long status = r.status;
    if (why)
        *why = strdup(r.body);
    reply_free(&r);
    return status;
}

static json_t *ended(const served *s, const char *id, const char *token)
{
    json_t *j = NULL;
    while (await_turn(s, id, token, &j)) {
        json_decref(j);
        usleep(20000);
    }
    return j;
}

static long long db_count(const served *s, const char *sql)
{
    char path[800];
    snprintf(path, sizeof path, "%s/sessions.db", s->data);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static const char *const redline_args[] = {REDLINE, CEASEFIRE, SEED, NULL};

/* ---- sessions ---- */

/* The keys of a trace record, in order: the server's traces are the --trace format. */
static void keys_of(const char *line, char *out, size_t size)
{
    json_t *j = json_loads(line, JSON_DECODE_ANY, NULL);
    out[0] = '\0';
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v)
    {
        strncat(out, key, size - strlen(out) - 2);
        strncat(out, ",", size - strlen(out) - 1);
    }
    json_decref(j);
}

static void test_a_session_runs_to_agreement_and_is_stored_as_the_cli_traces(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    json_t *created = create_session(
        &s, "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\"},"
            "{\"party\":\"south\",\"kind\":\"agent\",\"agent\":\"conceder\"}],"
            "\"deadline\":{\"rounds\":6},\"seed\":3}");
    char id[40];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(created, "id")));
    const char *token = seat_token(created, "north");
    json_t *j = NULL;
    assert_int_equal(await_turn(&s, id, token, &j), 1);
    /* what a person sees: its BATNA, its hard condition, the land it may not cede */
    json_t *you = json_object_get(j, "you");
    assert_close(json_real_value(json_object_get(you, "batna")), 0.2, 1e-12);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(you, "hard_conditions"), 0), "label")),
                        "the land is never ceded");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(json_object_get(you, "forbidden"), "land"), 0)),
                        "ceded");
    /* its best deal within its conditions: kept land, lots of money */
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "ideal"), "land")),
                        "kept");
    json_decref(j);
    /* the live utility: by hand, 0.6 x 0.5 + 0.4 x 0.5 = 0.5 */
    char path[300];
    snprintf(path, sizeof path, "/api/session/evaluate?id=%s", id);
    reply r =
        http(&s, "POST", path, token, "{\"outcome\":{\"land\":\"shared\",\"money\":\"some\"}}");
    assert_int_equal(r.status, 200);
    json_t *e = reply_json(&r);
    assert_close(json_real_value(json_object_get(e, "utility")), 0.5, 1e-12);
    /* each option's utility beside it: money none/some/lots with shared land */
    json_t *money = json_object_get(json_object_get(e, "options"), "money");
    assert_close(json_real_value(json_array_get(money, 0)), 0.3, 1e-12);
    assert_close(json_real_value(json_array_get(money, 2)), 0.7, 1e-12);
    /* others' utilities stay hidden unless the session reveals them */
    assert_null(json_object_get(e, "utilities"));
    json_decref(e);
    reply_free(&r);
    /* the person offers twice, then accepts whatever its condition allows */
    int turns = 0;
    while (await_turn(&s, id, token, &j)) {
        json_t *d = json_object_get(json_object_get(j, "waiting"), "details");
        int can = json_object_get(d, "offer") && json_is_null(json_object_get(d, "offer_vetoed"));
        long st =
            act(&s, id, token,
                turns >= 2 && can
                    ? "{\"action\":\"accept\"}"
                    : "{\"action\":\"offer\",\"outcome\":{\"land\":\"shared\",\"money\":\"lots\"}}",
                NULL);
        assert_int_equal(st, 200);
        json_decref(j);
        turns++;
    }
    json_t *summary = json_object_get(j, "summary");
    const char *end = json_string_value(json_object_get(summary, "end"));
    assert_true(!strcmp(end, "agreement") || !strcmp(end, "deadline"));
    assert_int_equal(json_array_size(json_object_get(summary, "parties")), 2);
    /* a deal gets truce evaluate's evaluation (under the server's budget), no deal none */
    json_t *evaluation = json_object_get(summary, "evaluation");
    assert_true(!strcmp(end, "agreement") ? json_is_object(evaluation) : json_is_null(evaluation));
    json_decref(j);
    json_decref(created);
    /* the export: one row per seat, with the utilities of the summary */
    r = http(&s, "GET", "/api/export?table=sessions", s.key, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.content_type, "text/csv"));
    size_t lines = 0;
    for (char *c = r.body; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 3);
    assert_true(!strncmp(r.body, "session,experiment,scenario,protocol,seat,party", 47));
    reply_free(&r);
    assert_int_equal(served_stop(&s), 0);
    /* the trace: the engine's records, in the --trace format, one row each in the store */
    char trace[900];
    snprintf(trace, sizeof trace, "%s/traces/%s.jsonl", s.data, id);
    char *text = slurp_file(trace);
    assert_non_null(text);
    size_t n = 0;
    for (char *c = text; *c; c++)
        n += *c == '\n';
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM actions WHERE session='%s'", id);
    assert_int_equal(db_count(&s, sql), (long long)n);
    const char *cli_trace = temp_path("cli.jsonl");
    const char *args[] = {"negotiate", "--agents", "conceder,boulware",
                          "--rounds",  "6",        "--trace",
                          cli_trace,   REDLINE,    NULL};
    cli_result cr = cli_run(args);
    assert_int_equal(cr.status, 0);
    cli_run_free(&cr);
    char *cli = slurp_file(cli_trace);
    const char *types[] = {"{\"type\":\"start\"", "{\"type\":\"offer\"", "{\"type\":\"end\""};
    for (size_t k = 0; k < 3; k++) {
        char mine[400], theirs[400];
        keys_of(strstr(text, types[k]), mine, sizeof mine);
        keys_of(strstr(cli, types[k]), theirs, sizeof theirs);
        assert_string_equal(mine, theirs);
    }
    free(cli);
    /* and truce report reads it */
    const char *html = temp_path("r.html");
    const char *report[] = {"report", REDLINE, trace, "-o", html, NULL};
    cr = cli_run(report);
    if (cr.status)
        fail_msg("truce report: %s", cr.err);
    cli_run_free(&cr);
    free(text);
}

static void test_the_engine_keeps_turns_and_hard_conditions(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    /* south (an agent) offers first; it wants the land ceded */
    json_t *created = create_session(
        &s, "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\"},"
            "{\"party\":\"south\",\"kind\":\"person\"}],\"deadline\":{\"rounds\":5}}");
    const char *id = json_string_value(json_object_get(created, "id"));
    const char *north = seat_token(created, "north"), *south = seat_token(created, "south");
    char *why = NULL;
    /* nobody acts before everybody sat down */
    json_decref(state(&s, id, north));
    assert_int_equal(act(&s, id, north,
                         "{\"action\":\"offer\",\"outcome\":{\"land\":\"kept\","
                         "\"money\":\"lots\"}}",
                         &why),
                     409);
    free(why);
    json_decref(state(&s, id, south));
    json_t *j;
    assert_int_equal(await_turn(&s, id, north, &j), 1);
    json_decref(j);
    /* south may not act on north's turn */
    assert_int_equal(act(&s, id, south, "{\"action\":\"accept\"}", &why), 409);
    assert_non_null(strstr(why, "not your turn"));
    free(why);
    /* nothing to accept yet */
    assert_int_equal(act(&s, id, north, "{\"action\":\"accept\"}", &why), 422);
    free(why);
    /* an offer that breaks north's own condition is refused, naming it */
    assert_int_equal(
        act(&s, id, north,
            "{\"action\":\"offer\",\"outcome\":{\"land\":\"ceded\",\"money\":\"lots\"}}", &why),
        422);
    assert_non_null(strstr(why, "no-cession"));
    free(why);
    /* unknown options, missing issues, unknown actions */
    assert_int_equal(act(&s, id, north,
                         "{\"action\":\"offer\",\"outcome\":{\"land\":\"moon\","
                         "\"money\":\"lots\"}}",
                         &why),
                     422);
    assert_non_null(strstr(why, "no option 'moon'"));
    free(why);
    assert_int_equal(
        act(&s, id, north, "{\"action\":\"offer\",\"outcome\":{\"land\":\"kept\"}}", &why), 422);
    assert_non_null(strstr(why, "money"));
    free(why);
    assert_int_equal(act(&s, id, north, "{\"action\":\"bribe\"}", &why), 400);
    free(why);
    assert_int_equal(act(&s, id, north,
                         "{\"action\":\"offer\",\"outcome\":{\"land\":\"kept\","
                         "\"money\":\"lots\"}}",
                         NULL),
                     200);
    /* south offers the ceded land: north cannot accept it */
    assert_int_equal(await_turn(&s, id, south, &j), 1);
    json_decref(j);
    assert_int_equal(act(&s, id, south,
                         "{\"action\":\"offer\",\"outcome\":{\"land\":\"ceded\","
                         "\"money\":\"none\"}}",
                         NULL),
                     200);
    assert_int_equal(await_turn(&s, id, north, &j), 1);
    json_t *vetoed =
        json_object_get(json_object_get(json_object_get(j, "waiting"), "details"), "offer_vetoed");
    assert_string_equal(json_string_value(json_object_get(vetoed, "id")), "no-cession");
    json_decref(j);
    assert_int_equal(act(&s, id, north, "{\"action\":\"accept\"}", &why), 422);
    assert_non_null(strstr(why, "no-cession"));
    free(why);
    /* north walks away: the engine ends the talks */
    assert_int_equal(act(&s, id, north, "{\"action\":\"walk-away\"}", NULL), 200);
    j = ended(&s, id, north);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "summary"), "end")),
                        "walk-away");
    json_decref(j);
    json_decref(created);
    assert_int_equal(served_stop(&s), 0);
}

static void test_a_stalled_person_times_out_and_a_closed_tab_can_rejoin(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    json_t *created = create_session(
        &s, "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\"},"
            "{\"party\":\"south\",\"kind\":\"agent\",\"agent\":\"boulware\"}],"
            "\"deadline\":{\"rounds\":5},\"seat_timeout\":2}");
    const char *id = json_string_value(json_object_get(created, "id"));
    const char *north = seat_token(created, "north");
    json_t *j;
    assert_int_equal(await_turn(&s, id, north, &j), 1);
    json_decref(j);
    /* the tab closes for a second; the link brings the person back to its turn */
    sleep(1);
    assert_int_equal(await_turn(&s, id, north, &j), 1);
    json_decref(j);
    assert_int_equal(act(&s, id, north,
                         "{\"action\":\"offer\",\"outcome\":{\"land\":\"kept\","
                         "\"money\":\"lots\"}}",
                         NULL),
                     200);
    /* then nothing more from it: the engine records the fault */
    j = ended(&s, id, north);
    json_t *summary = json_object_get(j, "summary");
    assert_string_equal(json_string_value(json_object_get(summary, "end")), "fault");
    assert_string_equal(json_string_value(json_object_get(summary, "fault")), "north");
    assert_non_null(strstr(json_string_value(json_object_get(summary, "fault_message")),
                           "no answer from the person at seat north within 2 s"));
    json_decref(j);
    json_decref(created);
    assert_int_equal(served_stop(&s), 0);
    assert_int_equal(db_count(&s, "SELECT count(*) FROM presence WHERE event='timeout'"), 1);
}

static void test_a_deadline_in_minutes_ends_the_talks_not_the_person(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    json_t *created = create_session(
        &s, "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\"},"
            "{\"party\":\"south\",\"kind\":\"agent\",\"agent\":\"hardliner\"}],"
            "\"deadline\":{\"minutes\":0.04}}");
    const char *id = json_string_value(json_object_get(created, "id"));
    const char *north = seat_token(created, "north");
    json_t *j;
    time_t start = time(NULL);
    assert_int_equal(await_turn(&s, id, north, &j), 1);
    double left = json_real_value(json_object_get(json_object_get(j, "deadline"), "seconds_left"));
    assert_true(left > 0 && left <= 2.4 + 1e-9);
    json_decref(j);
    j = ended(&s, id, north);
    assert_true(time(NULL) - start <= 8);
    json_t *summary = json_object_get(j, "summary");
    assert_string_equal(json_string_value(json_object_get(summary, "end")), "deadline");
    assert_true(json_is_null(json_object_get(summary, "fault")));
    /* no deal: each gets its BATNA */
    json_t *north_row = json_array_get(json_object_get(summary, "parties"), 0);
    assert_close(json_real_value(json_object_get(north_row, "utility_undiscounted")), 0.2, 1e-12);
    json_decref(j);
    json_decref(created);
    assert_int_equal(served_stop(&s), 0);
}

static int hears(json_t *events, const char *from, const char *to)
{
    for (size_t k = 0; k < json_array_size(events); k++) {
        json_t *e = json_array_get(events, k);
        const char *f = json_string_value(json_object_get(e, "from"));
        const char *t = json_string_value(json_object_get(e, "to"));
        if (f && t && !strcmp(f, from) && !strcmp(t, to))
            return 1;
    }
    return 0;
}

/* Whether party's utility of outcome ({issue: label}) in the scenario at
 * path is above its BATNA at the start (the library's own utilities). */
static int beats_batna_of(const char *path, const char *party, const json_t *outcome)
{
    truce_scenario *sc = NULL;
    truce_error err;
    if (truce_scenario_load(&sc, path, NULL, &err))
        fail_msg("%s: %s", path, err.message);
    size_t ni = truce_scenario_issue_count(sc);
    uint32_t o[64] = {0};
    assert_true(ni <= 64);
    for (size_t i = 0; i < ni; i++) {
        const char *want = json_string_value(json_object_get(outcome, truce_issue_name(sc, i)));
        assert_non_null(want);
        for (uint32_t k = 0; k < truce_issue_option_count(sc, i); k++) {
            char label[512];
            truce_issue_option_label(sc, i, k, label, sizeof label);
            if (!strcmp(label, want))
                o[i] = k;
        }
    }
    int p = truce_party_find(sc, party);
    assert_true(p >= 0);
    int beats = truce_utility(sc, (size_t)p, o) > truce_party_reservation_at(sc, (size_t)p, 0);
    truce_scenario_free(sc);
    return beats;
}

static void test_mediated_talks_go_along_the_channels(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    /* the seed: Russia talks to the United States only */
    reply bad = http(&s, "POST", "/api/sessions", s.key,
                     "{\"scenario\":\"truce-talks\",\"seats\":[{\"party\":\"russia\",\"kind\":"
                     "\"person\"},{\"party\":\"ukraine\",\"kind\":\"agent\",\"agent\":"
                     "\"boulware\"}]}");
    assert_int_equal(bad.status, 422);
    assert_non_null(strstr(bad.body, "no channel"));
    reply_free(&bad);
    json_t *created = create_session(
        &s,
        "{\"scenario\":\"truce-talks\",\"protocol\":\"mediation\",\"seats\":[{\"party\":"
        "\"russia\",\"kind\":\"person\"},{\"party\":\"ukraine\",\"kind\":\"person\"},{\"party\":"
        "\"usa\",\"kind\":\"person\"}],\"deadline\":{\"iterations\":2},\"reveal\":\"own\"}");
    const char *id = json_string_value(json_object_get(created, "id"));
    const char *ru = seat_token(created, "russia"), *ua = seat_token(created, "ukraine"),
               *us = seat_token(created, "usa");
    json_decref(state(&s, id, ru));
    json_decref(state(&s, id, ua));
    json_t *j;
    assert_int_equal(await_turn(&s, id, us, &j), 1);
    json_t *d = json_object_get(json_object_get(j, "waiting"), "details");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "waiting"), "what")),
                        "draft");
    json_t *draft = json_deep_copy(json_object_get(d, "draft"));
    json_decref(j);
    /* a first draft Moscow vetoes (the front line frozen) */
    json_object_set_new(draft, "territory", json_string("freeze-front-line"));
    json_t *first_draft = json_deep_copy(draft);
    json_t *move = json_pack("{s:s,s:o}", "action", "draft", "outcome", draft);
    char *text = json_dumps(move, JSON_COMPACT);
    json_decref(move);
    assert_int_equal(act(&s, id, us, text, NULL), 200);
    free(text);
    assert_int_equal(await_turn(&s, id, ru, &j), 1);
    d = json_object_get(json_object_get(j, "waiting"), "details");
    assert_string_equal(json_string_value(json_object_get(json_object_get(d, "vetoed"), "id")),
                        "withdrawal");
    json_decref(j);
    char *why;
    assert_int_equal(act(&s, id, ru, "{\"action\":\"accept\"}", &why), 422);
    assert_non_null(strstr(why, "withdrawal"));
    free(why);
    /* Moscow objects (its veto goes with it); Kyiv accepts */
    assert_int_equal(
        act(&s, id, ru, "{\"action\":\"object\",\"outcome\":{\"sanctions\":\"full\"}}", NULL), 200);
    assert_int_equal(await_turn(&s, id, ua, &j), 1);
    json_decref(j);
    assert_int_equal(act(&s, id, ua, "{\"action\":\"accept\"}", NULL), 200);
    /* the mediator hears both answers, with the veto */
    assert_int_equal(await_turn(&s, id, us, &j), 1);
    d = json_object_get(json_object_get(j, "waiting"), "details");
    json_t *answers = json_object_get(d, "answers");
    assert_int_equal(json_array_size(answers), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(answers, 0), "veto")),
                        "withdrawal");
    /* and whether each says the draft beats its BATNA, as the uninformed
     * mediator hears it: the first draft by the scenario's own utilities */
    for (size_t k = 0; k < 2; k++) {
        json_t *a = json_array_get(answers, k);
        const char *party = json_string_value(json_object_get(a, "party"));
        int expected = beats_batna_of(SEED, party, first_draft);
        assert_true(json_is_boolean(json_object_get(a, "beats_batna")));
        if (json_is_true(json_object_get(a, "beats_batna")) != expected)
            fail_msg("%s: beats_batna should be %d", party, expected);
    }
    json_decref(first_draft);
    assert_true(hears(json_object_get(j, "events"), "russia", "usa"));
    /* the principals' utilities stay with them: not in their answers, nor in
     * the drafts the mediator sent them */
    size_t drafts_heard = 0;
    for (size_t k = 0; k < json_array_size(json_object_get(j, "events")); k++) {
        json_t *e = json_array_get(json_object_get(j, "events"), k);
        const char *type = json_string_value(json_object_get(e, "type"));
        if (!strcmp(type, "answer") || !strcmp(type, "draft"))
            assert_null(json_object_get(e, "utility"));
        drafts_heard += !strcmp(type, "draft");
    }
    assert_int_equal(drafts_heard, 2);
    json_decref(j);
    /* Kyiv hears the mediator and the EU, never Moscow's messages */
    j = state(&s, id, ua);
    assert_true(hears(json_object_get(j, "events"), "usa", "ukraine"));
    assert_false(hears(json_object_get(j, "events"), "russia", "usa"));
    assert_false(hears(json_object_get(j, "events"), "usa", "russia"));
    json_decref(j);
    assert_int_equal(act(&s, id, us,
                         "{\"action\":\"draft\",\"outcome\":{\"territory\":"
                         "\"ukraine-withdraws\",\"ceasefire\":\"immediately\","
                         "\"europe-guarantees\":\"treaty\",\"ukraine-security\":"
                         "\"none\",\"sanctions\":\"full\",\"army-cap\":\"no-cap\"}}",
                         NULL),
                     200);
    /* Moscow takes the new draft; Kyiv leaves the talks */
    for (int k = 0; k < 600; k++) {
        j = state(&s, id, ua);
        if (!strcmp(json_string_value(json_object_get(j, "status")), "ended"))
            break;
        if (json_is_true(json_object_get(json_object_get(j, "waiting"), "yours")))
            act(&s, id, ua, "{\"action\":\"walk-away\"}", NULL);
        json_decref(j);
        j = state(&s, id, ru);
        if (json_is_true(json_object_get(json_object_get(j, "waiting"), "yours")))
            act(&s, id, ru, "{\"action\":\"accept\"}", NULL);
        json_decref(j);
        j = NULL;
        usleep(20000);
    }
    assert_non_null(j);
    json_t *summary = json_object_get(j, "summary");
    assert_string_equal(json_string_value(json_object_get(summary, "end")), "breakdown");
    json_decref(j);
    json_decref(created);
    assert_int_equal(served_stop(&s), 0);
}

/* The text of a file (NULL when it cannot be read). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    (void)n;
    fclose(f);
    return buf;
}

static void test_mediated_talks_in_minutes_end_without_agreement_when_time_runs_out(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    /* a person mediates and never sends the first draft: 1.2 s */
    json_t *created = create_session(
        &s, "{\"scenario\":\"redline\",\"protocol\":\"mediation\",\"seats\":[{\"party\":"
            "\"north\",\"kind\":\"agent\",\"agent\":\"responder\"},{\"party\":\"mediator\","
            "\"kind\":\"person\"}],\"deadline\":{\"minutes\":0.02}}");
    const char *id = json_string_value(json_object_get(created, "id"));
    const char *mediator = seat_token(created, "mediator");
    json_t *j;
    time_t start = time(NULL);
    assert_int_equal(await_turn(&s, id, mediator, &j), 1);
    json_t *deadline = json_object_get(j, "deadline");
    double left = json_real_value(json_object_get(deadline, "seconds_left"));
    assert_true(left > 0 && left <= 1.2 + 1e-9);
    assert_close(json_real_value(json_object_get(deadline, "minutes")), 0.02, 1e-12);
    json_decref(j);
    j = ended(&s, id, mediator);
    assert_true(time(NULL) - start <= 8);
    json_t *summary = json_object_get(j, "summary");
    assert_string_equal(json_string_value(json_object_get(summary, "end")), "deadline");
    assert_false(json_is_true(json_object_get(summary, "agreement")));
    assert_true(json_is_null(json_object_get(summary, "outcome")));
    assert_true(json_is_null(json_object_get(summary, "fault")));
    const char *reason = json_string_value(json_object_get(summary, "reason"));
    if (!strstr(reason, "the deadline of 1.2 s passed") ||
        !strstr(reason, "waiting for the mediator's first draft"))
        fail_msg("reason: %s", reason);
    json_decref(j);
    /* stored so: the session's row, and the trace's end record */
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM sessions WHERE id = '%s' AND end_reason = 'deadline' AND "
             "agreement = 0",
             id);
    assert_int_equal(db_count(&s, sql), 1);
    char path[800];
    snprintf(path, sizeof path, "%s/traces/%s.jsonl", s.data, id);
    char *trace = slurp(path);
    assert_non_null(trace);
    assert_non_null(strstr(trace, "\"seconds\":1.2"));
    assert_non_null(strstr(trace, "{\"type\":\"end\",\"end\":\"deadline\",\"agreement\":false"));
    free(trace);
    json_decref(created);

    /* a person principal who does not answer in time: the talks end, and no
     * answer of theirs is recorded (nor one the server made up) */
    created = create_session(
        &s, "{\"scenario\":\"redline\",\"protocol\":\"mediation\",\"seats\":[{\"party\":"
            "\"north\",\"kind\":\"person\"},{\"party\":\"south\",\"kind\":\"agent\",\"agent\":"
            "\"responder\"}],\"deadline\":{\"minutes\":0.02,\"iterations\":5}}");
    id = json_string_value(json_object_get(created, "id"));
    const char *north = seat_token(created, "north");
    assert_int_equal(await_turn(&s, id, north, &j), 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "waiting"), "what")),
                        "review");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "deadline"), "iterations")), 5);
    json_decref(j);
    j = ended(&s, id, north);
    summary = json_object_get(j, "summary");
    assert_string_equal(json_string_value(json_object_get(summary, "end")), "deadline");
    assert_non_null(
        strstr(json_string_value(json_object_get(summary, "reason")), "waiting for an answer"));
    json_decref(j);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM actions WHERE session = '%s' AND type = 'answer' AND "
             "actor = 'north'",
             id);
    assert_int_equal(db_count(&s, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM actions WHERE session = '%s' AND type = 'end' AND "
             "record LIKE '%%\"end\":\"deadline\"%%'",
             id);
    assert_int_equal(db_count(&s, sql), 1);
    json_decref(created);

    /* deadlines that do not fit */
    static const char *const bad[] = {
        "{\"scenario\":\"redline\",\"protocol\":\"mediation\",\"deadline\":{\"minutes\":0}}",
        "{\"scenario\":\"redline\",\"protocol\":\"mediation\",\"deadline\":{\"minutes\":1,"
        "\"rounds\":3}}",
        "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\"},"
        "{\"party\":\"south\",\"kind\":\"agent\",\"agent\":\"hardliner\"}],\"deadline\":"
        "{\"minutes\":1,\"iterations\":3}}"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        reply r = http(&s, "POST", "/api/sessions", s.key, bad[k]);
        if (r.status != 422 || !strstr(r.body, "deadline"))
            fail_msg("%s: HTTP %ld %s", bad[k], r.status, r.body);
        reply_free(&r);
    }
    assert_int_equal(served_stop(&s), 0);
}

/* mediation.agenda: the engine's mediator drafts in the order the agenda asks. On the seed
 * Ukraine, the United States (the mediator) and the EU demand the ceasefire before the
 * settlement, Russia the settlement first: under follow the mediator's own demand wins and
 * Russia's is set aside (docs/mediation.md, "The agenda"), as the trace's start record says. */
static void test_mediation_follows_the_agenda_when_asked(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    json_t *created =
        create_session(&s, "{\"scenario\":\"truce-talks\",\"protocol\":\"mediation\",\"seats\":["
                           "{\"party\":\"russia\",\"kind\":\"agent\",\"agent\":\"responder\"},"
                           "{\"party\":\"usa\",\"kind\":\"agent\",\"agent\":\"uninformed\"}],"
                           "\"deadline\":{\"iterations\":6},\"seed\":3,"
                           "\"mediation\":{\"agenda\":\"follow\",\"responders\":\"anchor\"}}");
    const char *id = json_string_value(json_object_get(created, "id"));
    json_t *j = NULL;
    for (int k = 0; k < 500 && !j; k++) {
        char path[200];
        snprintf(path, sizeof path, "/api/session?id=%s", id);
        reply r = http(&s, "GET", path, s.key, NULL);
        j = reply_json(&r);
        reply_free(&r);
        if (strcmp(json_string_value(json_object_get(j, "status")), "ended")) {
            json_decref(j);
            j = NULL;
            usleep(20000);
        }
    }
    assert_non_null(j);
    json_decref(j);
    char path[800];
    snprintf(path, sizeof path, "%s/traces/%s.jsonl", s.data, id);
    char *trace = slurp(path);
    assert_non_null(trace);
    assert_non_null(strstr(trace, "\"strategy\":\"uninformed\""));
    assert_non_null(strstr(trace, "\"agenda\":{\"mode\":\"follow\",\"stages\":[[\"ceasefire\"],"
                                  "[\"settlement\"]],\"set_aside\":[{\"first\":\"settlement\","
                                  "\"then\":\"ceasefire\",\"held_by\":[\"russia\"]}]}"));
    free(trace);
    json_decref(created);
    /* what cannot be asked */
    static const char *const bad[] = {
        "{\"scenario\":\"truce-talks\",\"protocol\":\"mediation\",\"mediation\":{\"agenda\":"
        "\"first\"}}",
        "{\"scenario\":\"truce-talks\",\"protocol\":\"mediation\",\"mediation\":{\"agenda\":1}}",
        "{\"scenario\":\"truce-talks\",\"protocol\":\"mediation\",\"seats\":[{\"party\":\"usa\","
        "\"kind\":\"person\"}],\"mediation\":{\"agenda\":\"package\"}}"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        reply r = http(&s, "POST", "/api/sessions", s.key, bad[k]);
        if (r.status != 422 || !strstr(r.body, "mediation.agenda"))
            fail_msg("%s: HTTP %ld %s", bad[k], r.status, r.body);
        reply_free(&r);
    }
    assert_int_equal(served_stop(&s), 0);
}

/* The entry of `party` in a state's "others" (borrowed), or NULL. */
static json_t *other(json_t *state_json, const char *party)
{
    json_t *list = json_object_get(state_json, "others");
    for (size_t k = 0; k < json_array_size(list); k++) {
        json_t *o = json_array_get(list, k);
        if (!strcmp(json_string_value(json_object_get(o, "party")), party))
            return o;
    }
    return NULL;
}

/* Whether any event of a state carries key. */
static int events_carry(json_t *state_json, const char *key)
{
    json_t *events = json_object_get(state_json, "events");
    for (size_t k = 0; k < json_array_size(events); k++)
        if (json_object_get(json_array_get(events, k), key))
            return 1;
    return 0;
}

static long evaluate_status(const served *s, const char *id, const char *token, json_t **out)
{
    char path[300];
    snprintf(path, sizeof path, "/api/session/evaluate?id=%s", id);
    reply r =
        http(s, "POST", path, token, "{\"outcome\":{\"land\":\"shared\",\"money\":\"some\"}}");
    long status = r.status;
    *out = reply_json(&r);
    reply_free(&r);
    return status;
}

static long analysis_status(const served *s, const char *id, const char *token)
{
    char path[300];
    snprintf(path, sizeof path, "/api/session/scenario?id=%s", id);
    reply r = http(s, "GET", path, token, NULL);
    long status = r.status;
    reply_free(&r);
    return status;
}

static void test_each_seat_sees_only_what_its_reveal_allows(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    /* by hand (tests/data/serve/redline.yaml): north weighs land 0.6, money
     * 0.4, south land 0.7, money 0.3, every issue's values running from 0 to
     * 1, so the swing weights are the weights; both BATNAs 0.2 */
    json_t *created = create_session(
        &s, "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\","
            "\"reveal\":\"weights\"},{\"party\":\"south\",\"kind\":\"person\",\"reveal\":"
            "[\"reservations\"]}],\"deadline\":{\"rounds\":5}}");
    const char *id = json_string_value(json_object_get(created, "id"));
    const char *north = seat_token(created, "north"), *south = seat_token(created, "south");
    json_t *n = state(&s, id, north), *so = state(&s, id, south);
    if (!json_is_string(json_object_get(n, "reveal")))
        fail_msg("north's reveal is not a string");
    assert_string_equal(json_string_value(json_object_get(n, "reveal")), "weights");
    json_t *o = other(n, "south");
    assert_non_null(o);
    assert_int_equal(json_array_size(json_object_get(n, "others")), 1);
    assert_close(json_real_value(json_object_get(json_object_get(o, "weights"), "land")), 0.7,
                 1e-12);
    assert_close(json_real_value(json_object_get(json_object_get(o, "weights"), "money")), 0.3,
                 1e-12);
    assert_null(json_object_get(o, "batna"));
    o = other(so, "north");
    assert_non_null(o);
    assert_close(json_real_value(json_object_get(o, "batna")), 0.2, 1e-12);
    assert_null(json_object_get(o, "weights"));
    assert_false(json_is_true(json_object_get(so, "reveal_all")));
    json_decref(n);
    json_decref(so);
    /* neither sees the others' utilities: not in what it composes, not in
     * the moves, not the analysis; the operator sees everything */
    json_t *e;
    assert_int_equal(evaluate_status(&s, id, north, &e), 200);
    assert_null(json_object_get(e, "utilities"));
    assert_null(json_object_get(e, "broken"));
    assert_close(json_real_value(json_object_get(e, "utility")), 0.6 * 0.5 + 0.4 * 0.5, 1e-12);
    json_decref(e);
    assert_int_equal(analysis_status(&s, id, north), 403);
    assert_int_equal(analysis_status(&s, id, south), 403);
    assert_int_equal(analysis_status(&s, id, s.key), 200);
    json_t *j;
    assert_int_equal(await_turn(&s, id, north, &j), 1);
    json_decref(j);
    assert_int_equal(
        act(&s, id, north,
            "{\"action\":\"offer\",\"outcome\":{\"land\":\"kept\",\"money\":\"lots\"}}", NULL),
        200);
    assert_int_equal(await_turn(&s, id, south, &j), 1);
    assert_false(events_carry(j, "utilities"));
    json_decref(j);
    j = state(&s, id, s.key);
    assert_true(events_carry(j, "utilities"));
    assert_string_equal(json_string_value(json_object_get(j, "reveal")), "all");
    json_decref(j);
    /* the stored definition says who saw what */
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM sessions WHERE id = '%s' AND definition LIKE "
             "'%%\"party\":\"north\"%%\"reveal\":\"weights\"%%' AND definition LIKE "
             "'%%\"party\":\"south\"%%\"reveal\":\"reservations\"%%'",
             id);
    assert_int_equal(db_count(&s, sql), 1);
    json_decref(created);

    /* by default people see only their own: no word of the others' weights */
    created = create_session(
        &s, "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\"},"
            "{\"party\":\"south\",\"kind\":\"agent\",\"agent\":\"hardliner\"}]}");
    id = json_string_value(json_object_get(created, "id"));
    char path[300];
    snprintf(path, sizeof path, "/api/session?id=%s&full=1", id);
    reply r = http(&s, "GET", path, seat_token(created, "north"), NULL);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "\"others\""));
    assert_null(strstr(r.body, "\"weights\""));
    assert_non_null(strstr(r.body, "\"reveal\":\"own\""));
    reply_free(&r);
    json_decref(created);

    /* "all" (the session's, for every person) shows everything */
    created = create_session(
        &s, "{\"scenario\":\"redline\",\"reveal\":\"all\",\"seats\":[{\"party\":\"north\","
            "\"kind\":\"person\"},{\"party\":\"south\",\"kind\":\"agent\",\"agent\":"
            "\"hardliner\"}]}");
    id = json_string_value(json_object_get(created, "id"));
    north = seat_token(created, "north");
    n = state(&s, id, north);
    o = other(n, "south");
    assert_close(json_real_value(json_object_get(json_object_get(o, "weights"), "land")), 0.7,
                 1e-12);
    assert_close(json_real_value(json_object_get(o, "batna")), 0.2, 1e-12);
    json_decref(n);
    assert_int_equal(evaluate_status(&s, id, north, &e), 200);
    assert_close(json_real_value(json_object_get(json_object_get(e, "utilities"), "south")),
                 0.7 * 0.5 + 0.3 * 0.5, 1e-12);
    json_decref(e);
    assert_int_equal(analysis_status(&s, id, north), 200);
    json_decref(created);

    /* what is not a setting */
    static const char *const bad[] = {
        "{\"scenario\":\"redline\",\"reveal\":\"everything\",\"seats\":[{\"party\":\"north\","
        "\"kind\":\"person\"},{\"party\":\"south\",\"kind\":\"agent\",\"agent\":\"hardliner\"}]}",
        "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\","
        "\"reveal\":[\"weights\",3]},{\"party\":\"south\",\"kind\":\"agent\",\"agent\":"
        "\"hardliner\"}]}"};
    for (size_t k = 0; k < 2; k++) {
        r = http(&s, "POST", "/api/sessions", s.key, bad[k]);
        if (r.status != 422 || !strstr(r.body, "reveal"))
            fail_msg("%s: HTTP %ld %s", bad[k], r.status, r.body);
        reply_free(&r);
    }
    assert_int_equal(served_stop(&s), 0);
}

static void test_experiments_seat_people_and_export_csv(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    reply r = http(&s, "POST", "/api/experiments", s.key,
                   "{\"name\":\"class\",\"sessions\":2,\"seed\":5,\"session\":{\"scenario\":"
                   "\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"person\"},{\"party\":"
                   "\"south\",\"kind\":\"person\"}],\"deadline\":{\"rounds\":3}}}");
    assert_int_equal(r.status, 201);
    json_t *x = reply_json(&r);
    reply_free(&r);
    const char *link = json_string_value(json_object_get(x, "join"));
    char xid[40], code[40], path[300];
    assert_int_equal(sscanf(link, "/#/join/%32[0-9a-f]/%32[0-9a-f]", xid, code), 2);
    char tokens[4][80], ids[4][40];
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "/api/experiment/join?id=%s&code=%s", xid, code);
        r = http(&s, "POST", path, NULL, "{\"name\":\"participant\"}");
        assert_int_equal(r.status, 200);
        json_t *j = reply_json(&r);
        snprintf(tokens[k], sizeof tokens[k], "%s", json_string_value(json_object_get(j, "token")));
        snprintf(ids[k], sizeof ids[k], "%s", json_string_value(json_object_get(j, "session")));
        json_decref(j);
        reply_free(&r);
    }
    /* four seats in two sessions; the fifth participant finds none */
    assert_string_equal(ids[0], ids[1]);
    assert_string_equal(ids[2], ids[3]);
    assert_string_not_equal(ids[0], ids[2]);
    r = http(&s, "POST", path, NULL, NULL);
    assert_int_equal(r.status, 409);
    reply_free(&r);
    snprintf(path, sizeof path, "/api/experiment/join?id=%s&code=%032d", xid, 0);
    r = http(&s, "POST", path, NULL, NULL);
    assert_int_equal(r.status, 404);
    reply_free(&r);
    /* everybody walks away at once */
    for (int k = 0; k < 4; k++)
        json_decref(state(&s, ids[k], tokens[k]));
    for (int k = 0; k < 4; k += 2) {
        json_t *j;
        for (int q = k; q < k + 2; q++)
            if (await_turn(&s, ids[q], tokens[q], &j)) {
                act(&s, ids[q], tokens[q], "{\"action\":\"walk-away\"}", NULL);
                json_decref(j);
                break;
            } else {
                json_decref(j);
            }
        json_decref(ended(&s, ids[k], tokens[k]));
    }
    snprintf(path, sizeof path, "/api/export?table=sessions&experiment=%s", xid);
    r = http(&s, "GET", path, s.key, NULL);
    assert_int_equal(r.status, 200);
    size_t lines = 0, walked = 0;
    for (char *c = r.body; *c; c++)
        lines += *c == '\n';
    for (char *c = r.body; (c = strstr(c, ",walk-away,")); c++)
        walked++;
    assert_int_equal(lines, 5); /* header, two seats of each session */
    assert_int_equal(walked, 4);
    assert_non_null(strstr(r.body, "participant"));
    reply_free(&r);
    snprintf(path, sizeof path, "/api/export?table=actions&experiment=%s", xid);
    r = http(&s, "GET", path, s.key, NULL);
    assert_int_equal(r.status, 200);
    lines = 0;
    for (char *c = r.body; *c; c++)
        lines += *c == '\n';
    reply_free(&r);
    json_decref(x);
    assert_int_equal(served_stop(&s), 0);
    assert_int_equal(db_count(&s, "SELECT count(*) FROM actions"), (long long)lines - 1);
    /* the same from the command line, after the server stopped */
    const char *args[] = {"serve", "--export", "actions", "--data", s.data, NULL};
    cli_result cr = cli_run(args);
    assert_int_equal(cr.status, 0);
    size_t cli_lines = 0;
    for (char *c = cr.out; *c; c++)
        cli_lines += *c == '\n';
    assert_int_equal(cli_lines, lines);
    cli_run_free(&cr);
}

static void test_agents_are_built_in_or_named_at_start(void **state_)
{
    (void)state_;
    served s;
    const char *args[] = {"--agent", "bot=lua:" TRUCE_EXAMPLES "/agents/boulware.lua", REDLINE,
                          NULL};
    served_start(&s, args);
    reply r = http(&s, "GET", "/api/info", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"named_agents\":[{\"name\":\"bot\""));
    assert_null(strstr(r.body, "boulware.lua")); /* the path stays on the server */
    reply_free(&r);
    /* agents only: it runs at once */
    json_t *created = create_session(
        &s, "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"agent\","
            "\"agent\":\"bot\"},{\"party\":\"south\",\"kind\":\"agent\",\"agent\":\"conceder\"}]}");
    const char *id = json_string_value(json_object_get(created, "id"));
    json_t *j = NULL;
    for (int k = 0; k < 500; k++) {
        char path[200];
        snprintf(path, sizeof path, "/api/session?id=%s", id);
        r = http(&s, "GET", path, s.key, NULL);
        j = reply_json(&r);
        reply_free(&r);
        if (!strcmp(json_string_value(json_object_get(j, "status")), "ended"))
            break;
        json_decref(j);
        j = NULL;
        usleep(20000);
    }
    assert_non_null(j);
    /* the Lua agent played its part: no fault */
    assert_true(json_is_null(json_object_get(json_object_get(j, "summary"), "fault")));
    json_decref(j);
    json_decref(created);
    /* a script or program path in a request is refused */
    r = http(&s, "POST", "/api/sessions", s.key,
             "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"agent\","
             "\"agent\":\"proc:/bin/sh -c id\"},{\"party\":\"south\",\"kind\":\"person\"}]}");
    assert_int_equal(r.status, 403);
    reply_free(&r);
    r = http(&s, "POST", "/api/sessions", s.key,
             "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":\"agent\","
             "\"agent\":\"lua:/etc/passwd\"},{\"party\":\"south\",\"kind\":\"person\"}]}");
    assert_int_equal(r.status, 403);
    reply_free(&r);
    assert_int_equal(served_stop(&s), 0);
}

/* ---- safety ---- */

static void test_every_action_needs_its_token(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    const char *def = "{\"scenario\":\"redline\",\"seats\":[{\"party\":\"north\",\"kind\":"
                      "\"person\"},{\"party\":\"south\",\"kind\":\"person\"}]}";
    json_t *one = create_session(&s, def), *two = create_session(&s, def);
    const char *id = json_string_value(json_object_get(one, "id"));
    const char *other = seat_token(two, "north");
    char path[300];
    snprintf(path, sizeof path, "/api/session?id=%s", id);
    reply r = http(&s, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 401);
    reply_free(&r);
    r = http(&s, "GET", path, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
             NULL);
    assert_int_equal(r.status, 403);
    reply_free(&r);
    r = http(&s, "GET", path, other, NULL); /* a seat of another session */
    assert_int_equal(r.status, 403);
    reply_free(&r);
    assert_int_equal(act(&s, id, NULL, "{\"action\":\"accept\"}", NULL), 401);
    assert_int_equal(act(&s, id, other, "{\"action\":\"accept\"}", NULL), 403);
    /* the operator watches but does not sit at the table */
    assert_int_equal(act(&s, id, s.key, "{\"action\":\"accept\"}", NULL), 403);
    static const char *const operator_only[] = {"/api/scenarios", "/api/sessions",
                                                "/api/experiments", "/api/export",
                                                "/api/scenario?id=redline"};
    for (size_t k = 0; k < sizeof operator_only / sizeof *operator_only; k++) {
        r = http(&s, "GET", operator_only[k], NULL, NULL);
        assert_int_equal(r.status, 401);
        reply_free(&r);
        r = http(&s, "GET", operator_only[k], seat_token(one, "north"), NULL);
        assert_int_equal(r.status, 403);
        reply_free(&r);
    }
    r = http(&s, "POST", "/api/sessions", NULL, def);
    assert_int_equal(r.status, 401);
    reply_free(&r);
    json_decref(one);
    json_decref(two);
    assert_int_equal(served_stop(&s), 0);
}

static void test_no_path_outside_the_given_folders(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    static const char *const paths[] = {
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/api/../../../etc/passwd",
        "/app.js/../../../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/api/scenario?id=../../../../etc/passwd",
        "/api/scenario?id=/etc/passwd",
        "/api/scenario?id=..%2f..%2fserve%2fredline",
        "/api/scenario/plot?id=../../etc/passwd&k=0",
        "/api/session/trace?id=../sessions.db",
        "/api/session/trace?id=..%2Fsessions.db",
        "/sessions.db",
        "/data/sessions.db",
        "/traces/",
        "/uploads/1/evil.yaml",
    };
    for (size_t k = 0; k < sizeof paths / sizeof *paths; k++) {
        reply r = http(&s, "GET", paths[k], s.key, NULL);
        if (r.status != 404)
            fail_msg("GET %s: HTTP %ld, expected 404", paths[k], r.status);
        assert_null(strstr(r.body, "root:"));
        assert_null(strstr(r.body, "SQLite"));
        reply_free(&r);
    }
    /* uploads: plain file names only, kept in their own folder */
    static const char *const names[] = {"../escape.yaml", "/tmp/escape.yaml", "a/b.yaml",
                                        ".hidden.yaml", "x.sh"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        char body[300];
        snprintf(body, sizeof body, "{\"files\":[{\"name\":\"%s\",\"content\":\"truce: 1\\n\"}]}",
                 names[k]);
        reply r = http(&s, "POST", "/api/scenarios", s.key, body);
        if (r.status != 422)
            fail_msg("upload %s: HTTP %ld, expected 422", names[k], r.status);
        reply_free(&r);
    }
    struct stat st;
    char escaped[800];
    snprintf(escaped, sizeof escaped, "%s/escape.yaml", s.data);
    assert_int_not_equal(stat(escaped, &st), 0);
    assert_int_not_equal(stat("/tmp/escape.yaml", &st), 0);
    assert_int_equal(served_stop(&s), 0);
}

static void test_oversized_and_malformed_requests_are_refused(void **state_)
{
    (void)state_;
    served s;
    const char *args[] = {"--max-body", "65536", "--limit", "max_file_bytes=2000", REDLINE, NULL};
    served_start(&s, args);
    /* a body announced larger than the limit, and one sent in chunks */
    char *big = malloc(200000);
    memset(big, 'x', 199999);
    big[199999] = '\0';
    reply r = http(&s, "POST", "/api/scenarios", s.key, big);
    assert_int_equal(r.status, 413);
    reply_free(&r);
    char status[200];
    const char *chunked_head = "POST /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n";
    size_t n = strlen(chunked_head);
    char *chunked = malloc(n + 100000);
    memcpy(chunked, chunked_head, n);
    for (int k = 0; k < 9; k++) {
        n += (size_t)sprintf(chunked + n, "2710\r\n");
        memset(chunked + n, 'y', 10000);
        n += 10000;
        memcpy(chunked + n, "\r\n", 2);
        n += 2;
    }
    memcpy(chunked + n, "0\r\n\r\n", 5);
    n += 5;
    assert_int_equal(raw_request(&s, chunked, n, status, sizeof status, 10), 0);
    assert_non_null(strstr(status, "413"));
    free(chunked);
    free(big);
    /* an upload over the scenario limits gets the loader's message */
    char *large = malloc(4000);
    strcpy(large, "{\"files\":[{\"name\":\"big.yaml\",\"content\":\"truce: 1\\n");
    for (int k = 0; k < 60; k++)
        strcat(large, "# padding padding padding padding padding\\n");
    strcat(large, "\"}]}");
    r = http(&s, "POST", "/api/scenarios", s.key, large);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "big.yaml"));
    assert_non_null(strstr(r.body, "max_file_bytes"));
    assert_null(strstr(r.body, s.data)); /* the server's folders stay out of messages */
    reply_free(&r);
    free(large);
    /* malformed JSON, duplicate keys, wrong methods, unknown things */
    r = http(&s, "POST", "/api/sessions", s.key, "{\"scenario\": ");
    assert_int_equal(r.status, 400);
    reply_free(&r);
    r = http(&s, "POST", "/api/sessions", s.key, "{\"scenario\":\"redline\",\"scenario\":\"x\"}");
    assert_int_equal(r.status, 400);
    reply_free(&r);
    r = http(&s, "POST", "/api/sessions", s.key, "[1,2,3]");
    assert_int_equal(r.status, 400);
    reply_free(&r);
    r = http(&s, "DELETE", "/api/sessions", s.key, NULL);
    assert_int_equal(r.status, 405);
    reply_free(&r);
    r = http(&s, "PUT", "/", NULL, NULL);
    assert_int_equal(r.status, 405);
    reply_free(&r);
    r = http(&s, "GET", "/api/nothing", s.key, NULL);
    assert_int_equal(r.status, 404);
    reply_free(&r);
    r = http(&s, "GET", "/api/export?table=secrets", s.key, NULL);
    assert_int_equal(r.status, 404);
    reply_free(&r);
    /* garbage on the wire, a header too large, a request cut short */
    const char *garbage = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n";
    raw_request(&s, garbage, strlen(garbage), status, sizeof status, 5);
    char *header = malloc(120000);
    strcpy(header, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
    size_t at = strlen(header);
    memset(header + at, 'h', 100000);
    strcpy(header + at + 100000, "\r\n\r\n");
    raw_request(&s, header, strlen(header), status, sizeof status, 5);
    assert_true(status[0] == '\0' || strstr(status, " 4") != NULL);
    free(header);
    const char *cut = "POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n"
                      "\r\n{\"scen";
    raw_request(&s, cut, strlen(cut), status, sizeof status, 1);
    for (int k = 0; k < 50; k++) {
        const char *junk = "GET /\x01\x02 HTTP/9.9\r\n\r\n";
        raw_request(&s, junk, strlen(junk), status, sizeof status, 1);
    }
    /* DNS rebinding: a page of another site cannot talk to the server */
    assert_int_equal(raw_request(&s, "GET /api/info HTTP/1.1\r\nHost: evil.example:80\r\n\r\n",
                                 strlen("GET /api/info HTTP/1.1\r\nHost: evil.example:80\r\n\r\n"),
                                 status, sizeof status, 5),
                     0);
    assert_non_null(strstr(status, "421"));
    /* and the server still answers */
    r = http(&s, "GET", "/api/info", NULL, NULL);
    assert_int_equal(r.status, 200);
    reply_free(&r);
    assert_int_equal(served_stop(&s), 0);
}

static void test_markup_in_labels_stays_text(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    const char *evil =
        "{\"files\":[{\"name\":\"evil.yaml\",\"content\":\"truce: 1\\nname: "
        "\\\"<script>x=1</script>\\\"\\n"
        "issues:\\n  - id: \\\"<img src=x onerror=x=2>\\\"\\n    options: [\\\"<b>b</b>\\\", "
        "plain]\\n"
        "parties:\\n  - id: a\\n    label: \\\"</text><script>x=3</script>\\\"\\n"
        "    weights: {\\\"<img src=x onerror=x=2>\\\": 1}\\n"
        "    values: {\\\"<img src=x onerror=x=2>\\\": {\\\"<b>b</b>\\\": 1, plain: 0}}\\n"
        "  - id: b\\n    weights: {\\\"<img src=x onerror=x=2>\\\": 1}\\n"
        "    values: {\\\"<img src=x onerror=x=2>\\\": {\\\"<b>b</b>\\\": 0, plain: 1}}\\n\"}]}";
    reply r = http(&s, "POST", "/api/scenarios", s.key, evil);
    if (r.status != 201)
        fail_msg("upload: HTTP %ld %s", r.status, r.body);
    json_t *j = reply_json(&r);
    reply_free(&r);
    char path[300];
    snprintf(path, sizeof path, "/api/scenario?id=%s", json_string_value(json_object_get(j, "id")));
    r = http(&s, "GET", path, s.key, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.content_type, "application/json"));
    json_t *d = reply_json(&r);
    /* JSON carries the labels as they are; the page puts them in as text */
    assert_string_equal(json_string_value(json_object_get(d, "name")), "<script>x=1</script>");
    json_decref(d);
    reply_free(&r);
    int plots = 0;
    for (int k = 0; k < 10; k++) {
        snprintf(path, sizeof path, "/api/scenario/plot?id=%s&k=%d",
                 json_string_value(json_object_get(j, "id")), k);
        r = http(&s, "GET", path, s.key, NULL);
        if (r.status != 200) {
            reply_free(&r);
            break;
        }
        plots++;
        assert_non_null(strstr(r.content_type, "image/svg+xml"));
        assert_null(strstr(r.body, "<script"));
        assert_null(strstr(r.body, "<img"));
        assert_null(strstr(r.body, "<b>"));
        assert_non_null(strstr(r.body, "&lt;"));
        reply_free(&r);
    }
    assert_true(plots >= 1);
    /* a server started again on the same data folder offers the upload again */
    char id[200];
    snprintf(id, sizeof id, "\"id\":\"%s\"", json_string_value(json_object_get(j, "id")));
    json_decref(j);
    served_restart(&s, redline_args);
    r = http(&s, "GET", "/api/scenarios", s.key, NULL);
    assert_contains(r.body, id);
    reply_free(&r);
    /* what every page and plot is sent with */
    assert_int_equal(raw_request(&s, "GET / HTTP/1.0\r\n\r\n", 18, path, sizeof path, 5), 0);
    r = http(&s, "GET", "/", NULL, NULL);
    assert_non_null(strstr(r.content_type, "text/html"));
    assert_null(strstr(r.body, "http://")); /* nothing fetched from elsewhere */
    assert_null(strstr(r.body, "https://"));
    reply_free(&r);
    r = http(&s, "GET", "/app.js", NULL, NULL);
    assert_null(strstr(r.body, "innerHTML"));
    assert_null(strstr(r.body, "https://"));
    assert_null(strstr(r.body, "eval("));
    reply_free(&r);
    assert_int_equal(served_stop(&s), 0);
}

/* GeniusWeb uploads: a domain and its profiles (.json) are loaded as the command line loads
 * them: parties named after their files, utilities as written (checked here by hand: two
 * opposed binary issues of weight 0.5 each, so the Nash point gives each party 0.5); a value
 * the domain lacks gets the loader's message naming the file, without the server's folders;
 * JSON mixed with YAML is refused. */
/* Channels with time windows: the catalogue shows when each is open (in
 * relative time and, with 'days', in days); plain channels need no window. */
static void test_channel_windows_are_shown(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    const char *body =
        "{\"files\":[{\"name\":\"windows.yaml\",\"content\":\"truce: 1\\nname: windows\\n"
        "days: 10\\n"
        "issues:\\n  - id: x\\n    options: [a, b]\\n"
        "parties:\\n  - id: p\\n    weights: {x: 1}\\n    values: {x: {a: 1, b: 0}}\\n"
        "  - id: q\\n    weights: {x: 1}\\n    values: {x: {a: 0, b: 1}}\\n"
        "  - id: m\\n    role: mediator\\n"
        "channels:\\n  - between: [p, q]\\n    from_day: 0\\n    until_day: 3\\n"
        "  - between: [p, q]\\n    from_day: 8\\n"
        "  - [m, p]\\n  - [m, q]\\n\"}]}";
    reply r = http(&s, "POST", "/api/scenarios", s.key, body);
    if (r.status != 201)
        fail_msg("upload: HTTP %ld %s", r.status, r.body);
    json_t *j = reply_json(&r);
    reply_free(&r);
    char path[300];
    snprintf(path, sizeof path, "/api/scenario?id=%s", json_string_value(json_object_get(j, "id")));
    json_decref(j);
    r = http(&s, "GET", path, s.key, NULL);
    assert_int_equal(r.status, 200);
    json_t *d = reply_json(&r);
    reply_free(&r);
    json_t *w = json_object_get(d, "channel_windows");
    if (!json_is_array(w) || json_array_size(w) != 2)
        fail_msg("expected the two windows of p-q: %s", json_dumps(d, 0));
    /* by hand: days 0-3 of 10 = [0, 0.3); day 8 to the end = [0.8, 1) */
    static const double from[] = {0, 0.8}, until[] = {0.3, 1}, from_day[] = {0, 8},
                        until_day[] = {3, 10};
    for (size_t k = 0; k < 2; k++) {
        json_t *e = json_array_get(w, k);
        json_t *between = json_object_get(e, "between");
        assert_string_equal(json_string_value(json_array_get(between, 0)), "p");
        assert_string_equal(json_string_value(json_array_get(between, 1)), "q");
        assert_true(fabs(json_number_value(json_object_get(e, "from")) - from[k]) < 1e-12);
        assert_true(fabs(json_number_value(json_object_get(e, "until")) - until[k]) < 1e-12);
        assert_true(fabs(json_number_value(json_object_get(e, "from_day")) - from_day[k]) < 1e-9);
        assert_true(fabs(json_number_value(json_object_get(e, "until_day")) - until_day[k]) < 1e-9);
    }
    json_decref(d);
    /* the seed has channels but no window */
    r = http(&s, "GET", "/api/scenario?id=truce-talks", s.key, NULL);
    assert_int_equal(r.status, 200);
    d = reply_json(&r);
    reply_free(&r);
    assert_int_equal(json_array_size(json_object_get(d, "channel_windows")), 0);
    assert_true(json_array_size(json_object_get(d, "channels")) > 0);
    json_decref(d);
    assert_int_equal(served_stop(&s), 0);
}

static void test_geniusweb_uploads_load_as_the_cli_loads_them(void **state_)
{
    (void)state_;
    served s;
    served_start(&s, redline_args);
    const char *domain = "{\"name\": \"shop\", \"issuesValues\": {"
                         "\"colour\": {\"values\": [\"red\", \"blue\"]},"
                         "\"size\": {\"values\": [\"s\", \"l\"]}}}";
    const char *profile = "{\"LinearAdditiveUtilitySpace\": {\"issueUtilities\": {"
                          "\"colour\": {\"discreteutils\": {\"valueUtilities\": "
                          "{\"red\": %d, \"blue\": %d}}},"
                          "\"size\": {\"discreteutils\": {\"valueUtilities\": "
                          "{\"s\": %d, \"%s\": %d}}}},"
                          "\"issueWeights\": {\"colour\": 0.5, \"size\": 0.5}, \"name\": \"x\"}}";
    char buyer[600], seller[600], bad[600];
    snprintf(buyer, sizeof buyer, profile, 1, 0, 1, "l", 0);
    snprintf(seller, sizeof seller, profile, 0, 1, 0, "l", 1);
    snprintf(bad, sizeof bad, profile, 0, 1, 0, "xl", 1);
    json_t *files =
        json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "name", "shop.json", "content", domain, "name",
                  "buyer.json", "content", buyer, "name", "seller.json", "content", seller);
    json_t *body = json_pack("{s:O}", "files", files);
    char *text = json_dumps(body, 0);
    reply r = http(&s, "POST", "/api/scenarios", s.key, text);
    if (r.status != 201)
        fail_msg("upload: HTTP %ld %s", r.status, r.body);
    free(text);
    json_decref(body);
    json_t *j = reply_json(&r);
    reply_free(&r);
    char path[300];
    snprintf(path, sizeof path, "/api/scenario?id=%s", json_string_value(json_object_get(j, "id")));
    json_decref(j);
    r = http(&s, "GET", path, s.key, NULL);
    assert_int_equal(r.status, 200);
    json_t *d = reply_json(&r);
    reply_free(&r);
    json_t *u =
        json_object_get(json_object_get(json_object_get(d, "analysis"), "nash"), "utilities");
    assert_non_null(u);
    assert_true(fabs(json_number_value(json_object_get(u, "buyer")) - 0.5) < 1e-12);
    assert_true(fabs(json_number_value(json_object_get(u, "seller")) - 0.5) < 1e-12);
    json_decref(d);
    /* a value the domain does not have */
    json_array_set_new(files, 2, json_pack("{s:s,s:s}", "name", "seller.json", "content", bad));
    body = json_pack("{s:O}", "files", files);
    text = json_dumps(body, 0);
    r = http(&s, "POST", "/api/scenarios", s.key, text);
    assert_int_equal(r.status, 422);
    assert_contains(r.body, "seller.json");
    assert_contains(r.body, "xl");
    assert_null(strstr(r.body, s.data));
    reply_free(&r);
    free(text);
    json_decref(body);
    /* JSON and YAML together */
    json_array_set_new(files, 2, json_pack("{s:s,s:s}", "name", "x.yaml", "content", "truce: 1\n"));
    body = json_pack("{s:O}", "files", files);
    text = json_dumps(body, 0);
    r = http(&s, "POST", "/api/scenarios", s.key, text);
    assert_int_equal(r.status, 422);
    assert_contains(r.body, "not a mix");
    reply_free(&r);
    free(text);
    json_decref(body);
    json_decref(files);
    assert_int_equal(served_stop(&s), 0);
}

static void test_command_line_mistakes_are_named(void **state_)
{
    (void)state_;
    struct {
        const char *args[8];
        int status;
        const char *says;
    } cases[] = {
        {{"serve", NULL}, 2, "no scenario given"},
        {{"serve", "--port", "70000", REDLINE, NULL}, 2, "--port needs a number"},
        {{"serve", "--bind", "localhost", "--port", "0", REDLINE, NULL}, 1, "numeric IPv4 or IPv6"},
        {{"serve", "--port", "0", "/no/such/scenario", NULL}, 1, "/no/such/scenario: no such file"},
        {{"serve", "--port", "0", "--agent", "bot=nosuchagent", REDLINE, NULL},
         1,
         "--agent bot=nosuchagent"},
        {{"serve", "--port", "0", "--agent", "Bad Name=boulware", REDLINE, NULL}, 1, "NAME=SPEC"},
        {{"serve", "--port", "0", "--key", "short", REDLINE, NULL}, 1, "at least 16 characters"},
        {{"serve", "--export", "secrets", NULL}, 2, "--export is sessions or actions"},
        {{"serve", "--export", "sessions", "--data", "/no/such/folder", NULL},
         1,
         "no sessions database"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        /* a data folder of its own, unless the case names one */
        const char *argv[12] = {"serve"};
        size_t n = 1;
        int has_data = 0;
        for (size_t q = 1; cases[k].args[q]; q++)
            has_data |= !strcmp(cases[k].args[q], "--data");
        if (!has_data) {
            argv[n++] = "--data";
            argv[n++] = temp_path("data");
        }
        for (size_t q = 1; cases[k].args[q]; q++)
            argv[n++] = cases[k].args[q];
        argv[n] = NULL;
        cli_result r = cli_run(argv);
        if (r.status != cases[k].status || !strstr(r.err, cases[k].says))
            fail_msg("truce %s %s: exit %d, stderr %s", cases[k].args[1],
                     cases[k].args[2] ? cases[k].args[2] : "", r.status, r.err);
        assert_one_line(r.err);
        cli_run_free(&r);
    }
    /* a port already taken */
    served s;
    served_start(&s, redline_args);
    char port[16];
    snprintf(port, sizeof port, "%u", s.port);
    const char *args[] = {"serve", "--port", port, "--data", temp_dir(), REDLINE, NULL};
    cli_result r = cli_run(args);
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "cannot listen on 127.0.0.1 port");
    cli_run_free(&r);
    assert_int_equal(served_stop(&s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_session_runs_to_agreement_and_is_stored_as_the_cli_traces),
        cmocka_unit_test(test_the_engine_keeps_turns_and_hard_conditions),
        cmocka_unit_test(test_a_stalled_person_times_out_and_a_closed_tab_can_rejoin),
        cmocka_unit_test(test_a_deadline_in_minutes_ends_the_talks_not_the_person),
        cmocka_unit_test(test_mediated_talks_go_along_the_channels),
        cmocka_unit_test(test_mediated_talks_in_minutes_end_without_agreement_when_time_runs_out),
        cmocka_unit_test(test_each_seat_sees_only_what_its_reveal_allows),
        cmocka_unit_test(test_experiments_seat_people_and_export_csv),
        cmocka_unit_test(test_agents_are_built_in_or_named_at_start),
        cmocka_unit_test(test_every_action_needs_its_token),
        cmocka_unit_test(test_no_path_outside_the_given_folders),
        cmocka_unit_test(test_oversized_and_malformed_requests_are_refused),
        cmocka_unit_test(test_markup_in_labels_stays_text),
        cmocka_unit_test(test_channel_windows_are_shown),
        cmocka_unit_test(test_geniusweb_uploads_load_as_the_cli_loads_them),
        cmocka_unit_test(test_command_line_mistakes_are_named),
        cmocka_unit_test(test_mediation_follows_the_agenda_when_asked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
