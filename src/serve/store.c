/* store.c: every session `truce serve` runs, kept in SQLite (one row per
 * session, one per seat's presence event, one per protocol action, committed
 * as it happens) for experiments, and exported as CSV. docs/serve.md#store. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const schema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS sessions("
    "  id TEXT PRIMARY KEY, experiment TEXT, scenario TEXT NOT NULL, protocol TEXT NOT NULL,"
    "  definition TEXT NOT NULL, created TEXT NOT NULL, started TEXT, ended TEXT,"
    "  end_reason TEXT, agreement INTEGER, outcome TEXT, summary TEXT, trace TEXT);"
    "CREATE TABLE IF NOT EXISTS actions("
    "  session TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, type TEXT NOT NULL,"
    "  actor TEXT, record TEXT NOT NULL, PRIMARY KEY(session, seq));"
    "CREATE TABLE IF NOT EXISTS presence("
    "  session TEXT NOT NULL, seat INTEGER NOT NULL, at TEXT NOT NULL, event TEXT NOT NULL);";

int store_open(store *st, const char *path, truce_error *err)
{
    memset(st, 0, sizeof *st);
    if (pthread_mutex_init(&st->lock, NULL))
        return -1;
    int rc = sqlite3_open_v2(
        path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    char *msg = NULL;
    if (rc == SQLITE_OK)
        sqlite3_busy_timeout(st->db, 5000);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, schema, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(st->db,
                                "INSERT INTO actions(session,seq,at,type,actor,record) "
                                "VALUES(?,?,?,?,?,?)",
                                -1, &st->insert_action, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err->message, sizeof err->message, "%s: sessions database: %s", path,
                 msg      ? msg
                 : st->db ? sqlite3_errmsg(st->db)
                          : "cannot open");
        sqlite3_free(msg);
        store_close(st);
        return -1;
    }
    return 0;
}

void store_close(store *st)
{
    sqlite3_finalize(st->insert_action);
    sqlite3_close(st->db);
    st->db = NULL;
    st->insert_action = NULL;
    pthread_mutex_destroy(&st->lock);
}

/* Run one statement with text parameters (NULL binds NULL); 0 or -1. */
static int run(store *st, const char *sql, int n, const char *const *values)
{
    sqlite3_stmt *stmt = NULL;
    pthread_mutex_lock(&st->lock);
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    for (int k = 0; rc == SQLITE_OK && k < n; k++)
        rc = values[k] ? sqlite3_bind_text(stmt, k + 1, values[k], -1, SQLITE_TRANSIENT)
                       : sqlite3_bind_null(stmt, k + 1);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    sqlite3_finalize(stmt);
    pthread_mutex_unlock(&st->lock);
    return rc == SQLITE_OK ? 0 : -1;
}

int store_session(store *st, const char *id, const char *experiment_id, const char *scenario,
                  const char *protocol, const char *definition)
{
    char now[40];
    serve_iso_time(now, sizeof now);
    const char *values[] = {id, experiment_id, scenario, protocol, definition, now};
    return run(st,
               "INSERT INTO sessions(id,experiment,scenario,protocol,definition,created) "
               "VALUES(?,?,?,?,?,?)",
               6, values);
}

int store_started(store *st, const char *id)
{
    char now[40];
    serve_iso_time(now, sizeof now);
    const char *values[] = {now, id};
    return run(st, "UPDATE sessions SET started=? WHERE id=?", 2, values);
}

int store_ended(store *st, const char *id, const char *end, int agreement, const char *outcome,
                const char *summary, const char *trace)
{
    char now[40];
    serve_iso_time(now, sizeof now);
    const char *values[] = {now, end, agreement ? "1" : "0", outcome, summary, trace, id};
    return run(st,
               "UPDATE sessions SET ended=?, end_reason=?, agreement=?, outcome=?, summary=?, "
               "trace=? WHERE id=?",
               7, values);
}

int store_action(store *st, const char *session_id, uint64_t seq, const char *type,
                 const char *actor, const char *record, size_t length)
{
    char now[40];
    serve_iso_time(now, sizeof now);
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = st->insert_action;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    int rc = sqlite3_bind_text(s, 1, session_id, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 2, (sqlite3_int64)seq);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(s, 3, now, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(s, 4, type ? type : "", -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = actor ? sqlite3_bind_text(s, 5, actor, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, 5);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(s, 6, record, (int)length, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    sqlite3_reset(s);
    pthread_mutex_unlock(&st->lock);
    return rc == SQLITE_OK ? 0 : -1;
}

int store_presence(store *st, const char *session_id, size_t seat_index, const char *event)
{
    char now[40], index[32];
    serve_iso_time(now, sizeof now);
    snprintf(index, sizeof index, "%zu", seat_index);
    const char *values[] = {session_id, index, now, event};
    return run(st, "INSERT INTO presence(session,seat,at,event) VALUES(?,?,?,?)", 4, values);
}

int store_recover(store *st)
{
    char now[40];
    serve_iso_time(now, sizeof now);
    const char *values[] = {now};
    return run(st,
               "UPDATE sessions SET ended=?, end_reason='interrupted' WHERE ended IS NULL",
               1, values);
}

/* ---- CSV (RFC 4180) ---- */

typedef struct text {
    char *data;
    size_t len, cap;
    int failed;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) {
            t->failed = 1;
            return;
        }
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void field(text *t, const char *value, int last)
{
    if (value && strpbrk(value, ",\"\r\n")) {
        put(t, "\"", 1);
        for (const char *c = value; *c; c++) {
            if (*c == '"')
                put(t, "\"", 1); /* a quote is written twice */
            put(t, c, 1);
        }
        put(t, "\"", 1);
    } else if (value) {
        put(t, value, strlen(value));
    }
    put(t, last ? "\r\n" : ",", last ? 2 : 1);
}

static void number(text *t, const json_t *v, int last)
{
    char buf[64] = "";
    if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
    else if (json_is_true(v))
        snprintf(buf, sizeof buf, "1");
    else if (json_is_false(v))
        snprintf(buf, sizeof buf, "0");
    field(t, buf, last);
}

static void outcome_text(const json_t *outcome, char *buf, size_t size)
{
    size_t used = 0;
    const char *key;
    json_t *value;
    buf[0] = '\0';
    json_object_foreach((json_t *)outcome, key, value)
    {
        if (used >= size)
            break;
        char number_text[64] = "?";
        if (json_is_integer(value))
            snprintf(number_text, sizeof number_text, "%lld", (long long)json_integer_value(value));
        else if (json_is_real(value))
            snprintf(number_text, sizeof number_text, "%.17g", json_real_value(value));
        int n = snprintf(buf + used, size - used, "%s%s=%s", used ? ";" : "", key,
                         json_is_string(value) ? json_string_value(value) : number_text);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static const char *column(sqlite3_stmt *s, int k)
{
    return (const char *)sqlite3_column_text(s, k);
}

static void sessions_csv(sqlite3_stmt *s, text *t)
{
    static const char *const head[] = {"session",       "experiment",
                                       "scenario",      "protocol",
                                       "seat",          "party",
                                       "role",          "kind",
                                       "agent",         "participant",
                                       "created",       "started",
                                       "ended",         "end",
                                       "agreement",     "rounds",
                                       "utility",       "utility_undiscounted",
                                       "batna",         "pareto_distance",
                                       "nash_distance", "outcome"};
    size_t n_head = sizeof head / sizeof *head;
    for (size_t k = 0; k < n_head; k++)
        field(t, head[k], k + 1 == n_head);
    while (sqlite3_step(s) == SQLITE_ROW) {
        json_t *summary = column(s, 8) ? json_loads(column(s, 8), 0, NULL) : NULL;
        json_t *def = json_loads(column(s, 4) ? column(s, 4) : "{}", 0, NULL);
        json_t *seats = json_object_get(def, "seats");
        json_t *parties = json_object_get(summary, "parties");
        char outcome[8192] = "";
        if (json_is_object(json_object_get(summary, "outcome")))
            outcome_text(json_object_get(summary, "outcome"), outcome, sizeof outcome);
        for (size_t q = 0; q < json_array_size(seats); q++) {
            json_t *seat_j = json_array_get(seats, q);
            const char *party = json_string_value(json_object_get(seat_j, "party"));
            json_t *row = NULL;
            for (size_t r = 0; r < json_array_size(parties) && !row; r++)
                if (party &&
                    json_string_value(json_object_get(json_array_get(parties, r), "party")) &&
                    !strcmp(party, json_string_value(
                                       json_object_get(json_array_get(parties, r), "party"))))
                    row = json_array_get(parties, r);
            char index[32];
            snprintf(index, sizeof index, "%zu", q);
            field(t, column(s, 0), 0);
            field(t, column(s, 1), 0);
            field(t, column(s, 2), 0);
            field(t, column(s, 3), 0);
            field(t, index, 0);
            field(t, party, 0);
            field(t, json_string_value(json_object_get(seat_j, "role")), 0);
            field(t, json_string_value(json_object_get(seat_j, "kind")), 0);
            field(t, json_string_value(json_object_get(seat_j, "agent")), 0);
            field(t, json_string_value(json_object_get(seat_j, "name")), 0);
            field(t, column(s, 5), 0);
            field(t, column(s, 6), 0);
            field(t, column(s, 7), 0);
            field(t, column(s, 9), 0);
            number(t, json_object_get(summary, "agreement"), 0);
            number(t, json_object_get(summary, "rounds"), 0);
            number(t, json_object_get(row, "utility"), 0);
            number(t, json_object_get(row, "utility_undiscounted"), 0);
            number(t, json_object_get(row, "batna"), 0);
            number(t, json_object_get(summary, "pareto_distance"), 0);
            number(t, json_object_get(summary, "nash_distance"), 0);
            field(t, outcome, 1);
        }
        json_decref(summary);
        json_decref(def);
    }
}

static void actions_csv(sqlite3_stmt *s, text *t)
{
    static const char *const head[] = {"session", "seq",   "at",      "type",  "actor",
                                       "to",      "round", "outcome", "record"};
    size_t n_head = sizeof head / sizeof *head;
    for (size_t k = 0; k < n_head; k++)
        field(t, head[k], k + 1 == n_head);
    while (sqlite3_step(s) == SQLITE_ROW) {
        json_t *rec = json_loads(column(s, 5) ? column(s, 5) : "{}", 0, NULL);
        json_t *round = json_object_get(rec, "round");
        if (!round)
            round = json_object_get(rec, "iteration");
        char outcome[8192] = "";
        if (json_is_object(json_object_get(rec, "outcome")))
            outcome_text(json_object_get(rec, "outcome"), outcome, sizeof outcome);
        field(t, column(s, 0), 0);
        field(t, column(s, 1), 0);
        field(t, column(s, 2), 0);
        field(t, column(s, 3), 0);
        field(t, column(s, 4), 0);
        field(t, json_string_value(json_object_get(rec, "to")), 0);
        number(t, round, 0);
        field(t, outcome, 0);
        field(t, column(s, 5), 1);
        json_decref(rec);
    }
}

int store_csv(store *st, const char *table, const char *experiment_id, char **out, truce_error *err)
{
    const char *sql;
    int sessions = !strcmp(table, "sessions");
    if (sessions)
        sql = "SELECT id,experiment,scenario,protocol,definition,created,started,ended,summary,"
              "end_reason FROM sessions WHERE (?1 IS NULL OR experiment=?1) ORDER BY created, id";
    else if (!strcmp(table, "actions"))
        sql = "SELECT a.session,a.seq,a.at,a.type,a.actor,a.record FROM actions a JOIN sessions s "
              "ON s.id=a.session WHERE (?1 IS NULL OR s.experiment=?1) ORDER BY s.created, "
              "a.session, a.seq";
    else {
        snprintf(err->message, sizeof err->message, "unknown table '%s': sessions or actions",
                 table);
        err->code = TRUCE_ENOTFOUND;
        return -1;
    }
    text t = {0};
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = experiment_id ? sqlite3_bind_text(s, 1, experiment_id, -1, SQLITE_TRANSIENT)
                           : sqlite3_bind_null(s, 1);
    if (rc == SQLITE_OK) {
        if (sessions)
            sessions_csv(s, &t);
        else
            actions_csv(s, &t);
    } else {
        snprintf(err->message, sizeof err->message, "sessions database: %s",
                 sqlite3_errmsg(st->db));
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->lock);
    if (rc != SQLITE_OK || t.failed) {
        if (t.failed)
            snprintf(err->message, sizeof err->message, "out of memory");
        free(t.data);
        return -1;
    }
    if (!t.data)
        put(&t, "", 0);
    *out = t.data;
    return 0;
}

int serve_export_csv(char **out, const char *data_dir, const char *table, const char *experiment_id,
                     truce_error *err)
{
    char path[900];
    snprintf(path, sizeof path, "%.880s/sessions.db", data_dir);
    memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err->message, sizeof err->message,
                 "%s: no sessions database (run truce serve "
                 "--data %s first)",
                 path, data_dir);
        return -1;
    }
    fclose(f);
    store st;
    if (store_open(&st, path, err))
        return -1;
    int rc = store_csv(&st, table, experiment_id, out, err);
    store_close(&st);
    return rc;
}
