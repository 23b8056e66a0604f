/* store.c: the tournament results database (SQLite, WAL mode, batched
 * transactions; schema in docs/results.md): creating it, refusing one of
 * another definition, finding what is missing, and storing records. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/error.h"
#include "tournament.h"

/* 2: the options table and the outcomes view (labels of the stored outcomes); a database of
 * version 1 gets them when a tournament opens it (and says version 2).
 * 3: the negotiations table's columns other than job declare no type and no NOT NULL;
 * the values stored, and read, are those of version 2, whose tables are written the same way.
 * 4: job is a plain column too, not the rowid (below); the store refuses a job stored already
 * itself. Versions 2 and 3 keep their tables: the same INSERT (by column position) fits all. */
#define SCHEMA_VERSION "4"
#define LABELS_SCHEMA_VERSION "2"

static const char *const labels_schema =
    "CREATE TABLE options(scenario INTEGER NOT NULL, issue INTEGER NOT NULL,"
    " option INTEGER NOT NULL, issue_name TEXT NOT NULL, label TEXT NOT NULL,"
    " PRIMARY KEY(scenario, issue, option)) WITHOUT ROWID;"
    "CREATE VIEW outcomes AS SELECT n.job AS job, CAST(o.key AS INTEGER) AS issue,"
    " p.issue_name AS issue_name, o.value AS option, p.label AS label"
    " FROM negotiations AS n, json_each(n.outcome) AS o"
    " JOIN options AS p ON p.scenario = n.scenario AND p.issue = CAST(o.key AS INTEGER)"
    " AND p.option = o.value;";

static const char *const schema =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE agents(id INTEGER PRIMARY KEY, spec TEXT NOT NULL);"
    "CREATE TABLE scenarios(id INTEGER PRIMARY KEY, name TEXT, path TEXT NOT NULL,"
    " parties INTEGER NOT NULL, seats INTEGER NOT NULL, issues INTEGER NOT NULL,"
    " outcomes TEXT NOT NULL, parties_json TEXT NOT NULL);"
    /* no declared types or NOT NULL beside job (schema version 3): each column gets one type
     * from the store (integer, text, real, or NULL where docs/results.md says so), so a
     * declared type's affinity would only check and convert 18 values a row, and NOT NULL
     * check 10: 8% of the store's instructions (bench_tournament, callgrind). Rows read back
     * the same as from version 2's typed columns (only the file differs: a real that is a
     * whole number, e.g. a welfare of 1, takes 8 bytes instead of SQLite's small integer).
     * No key on job (schema version 4): a row is appended after the last rowid instead of
     * placed by a seek on its job number, which the threads finish out of order: 12% of the
     * store's instructions per row (callgrind). The store keeps jobs unique (store_add) */
    "CREATE TABLE negotiations(job, scenario, matchup, repetition, seed,"
    " agents, agreement, end_reason, rounds, time, outcome, utility, utility_undiscounted,"
    " welfare, pareto_distance, nash_distance, fault_seat, fault_message, elapsed);"
    "CREATE VIEW seats AS SELECT n.job AS job, CAST(a.key AS INTEGER) AS seat,"
    " a.value AS agent, json_extract(n.utility, '$[' || a.key || ']') AS utility,"
    " json_extract(n.utility_undiscounted, '$[' || a.key || ']') AS utility_undiscounted"
    " FROM negotiations AS n, json_each(n.agents) AS a;";

int store_error(truce_error *err, sqlite3 *db, const char *path, const char *what)
{
    int code = db ? sqlite3_errcode(db) : SQLITE_CANTOPEN;
    const char *msg = db ? sqlite3_errmsg(db) : "cannot open";
    int rc = code == SQLITE_NOMEM                              ? TRUCE_ENOMEM
             : code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? TRUCE_EPARSE
                                                               : TRUCE_EIO;
    /* SQLite says "disk I/O error" for any failed write: add the system's reason (a full
     * disk, a file size limit) */
    int sys = db && ((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL)
                  ? sqlite3_system_errno(db)
                  : 0;
    if (sys)
        return error_set(err, rc, path, 0, NULL, "results database: %s: %s (%s)", what, msg,
                         strerror(sys));
    if (db && ((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL))
        return error_set(err, rc, path, 0, NULL,
                         "results database: %s: %s (a write failed: is the disk full?)", what, msg);
    return error_set(err, rc, path, 0, NULL, "results database: %s: %s", what, msg);
}

static int exec(truce_store *st, const char *sql, truce_error *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_error(err, st->db, st->path, "cannot update");
    return 0;
}

/* The value of a meta key (malloc'd), NULL when absent; *missing_table is
 * set when there is no meta table at all. */
static char *meta_value(sqlite3 *db, const char *key, int *missing_table)
{
    sqlite3_stmt *q;
    *missing_table = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &q, NULL) != SQLITE_OK) {
        *missing_table = 1;
        return NULL;
    }
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    char *v = NULL;
    if (sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(q, 0);
        size_t n = t ? strlen((const char *)t) + 1 : 0;
        if (t && (v = malloc(n)))
            memcpy(v, t, n);
    }
    sqlite3_finalize(q);
    return v;
}

/* A definition as JSON without what may change between versions of truce without changing the
 * results: the wording of a skipped scenario's reason, and its code (databases made before
 * there were codes hold none). Which scenarios were skipped still counts. */
static json_t *comparable(const char *definition)
{
    json_t *d = json_loads(definition, 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(d, "skipped"), i, v)
    {
        json_object_del(v, "reason");
        json_object_del(v, "code");
    }
    return d;
}

/* Whether a stored definition is this tournament's. */
static int same_definition(const char *stored, const char *given)
{
    if (!strcmp(stored, given))
        return 1;
    json_t *a = comparable(stored), *b = comparable(given);
    int same = a && b && json_equal(a, b);
    json_decref(a);
    json_decref(b);
    return same;
}

/* Name the first field where two definitions differ ("jobs" last: it only
 * follows from the others). */
static void first_difference(const char *stored, const char *given, char *buf, size_t size)
{
    json_t *a = comparable(stored), *b = comparable(given);
    snprintf(buf, size, "the definitions differ");
    for (int pass = 0; pass < 2; pass++) {
        const char *key;
        json_t *v;
        if (!json_is_object(a) || !json_is_object(b))
            break;
        json_object_foreach(b, key, v)
        {
            if ((pass == 0) == !strcmp(key, "jobs") || json_equal(v, json_object_get(a, key)))
                continue;
            char *was = json_dumps(json_object_get(a, key), JSON_ENCODE_ANY | JSON_COMPACT);
            char *now = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
            snprintf(buf, size, "'%s' differs: the database has %.160s, this run has %.160s", key,
                     was ? was : "nothing", now ? now : "?");
            free(was);
            free(now);
            pass = 2;
            break;
        }
    }
    json_decref(a);
    json_decref(b);
}

/* The options table and outcomes view, and every scenario's issue names and option labels. */
static int create_labels(truce_store *st, truce_error *err)
{
    int rc = exec(st, labels_schema, err);
    if (rc)
        return rc;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO options VALUES (?, ?, ?, ?, ?)", -1, &q, NULL) !=
        SQLITE_OK)
        return store_error(err, st->db, st->path, "cannot create the tables");
    const truce_tournament *t = st->t;
    for (size_t i = 0; !rc && i < t->n_scenarios; i++) {
        const truce_scenario *s = t->sc[i].s;
        for (size_t k = 0; !rc && k < truce_scenario_issue_count(s); k++)
            for (uint32_t o = 0; !rc && o < truce_issue_option_count(s, k); o++) {
                char label[512];
                if (truce_issue_option_label(s, k, o, label, sizeof label) < 0)
                    snprintf(label, sizeof label, "%u", o);
                sqlite3_reset(q);
                sqlite3_bind_int64(q, 1, (sqlite3_int64)i);
                sqlite3_bind_int64(q, 2, (sqlite3_int64)k);
                sqlite3_bind_int64(q, 3, (sqlite3_int64)o);
                sqlite3_bind_text(q, 4, truce_issue_name(s, k), -1, SQLITE_STATIC);
                sqlite3_bind_text(q, 5, label, -1, SQLITE_TRANSIENT);
                if (sqlite3_step(q) != SQLITE_DONE)
                    rc = store_error(err, st->db, st->path, "cannot create the tables");
            }
    }
    sqlite3_finalize(q);
    return rc;
}

static int inspect(truce_store *st, int *empty, truce_error *err);
static int upgrade(truce_store *st, truce_error *err);

static int create_schema(truce_store *st, truce_error *err)
{
    const truce_tournament *t = st->t;
    int rc = exec(st, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    /* another process may have made it since we looked: look again under the lock */
    int empty;
    if ((rc = inspect(st, &empty, err)) || !empty) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc ? rc : upgrade(st, err);
    }
    if ((rc = exec(st, schema, err)))
        goto fail;
    sqlite3_stmt *q = NULL;
    char created[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *meta[][2] = {{"schema_version", SCHEMA_VERSION},
                             {"definition", t->definition},
                             {"name", t->name},
                             {"truce_version", truce_version()},
                             {"created", created}};
    if (sqlite3_prepare_v2(st->db, "INSERT INTO meta VALUES (?, ?)", -1, &q, NULL) != SQLITE_OK)
        goto sql_fail;
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, meta[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, meta[i][1], -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            goto sql_fail;
    }
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(st->db, "INSERT INTO agents VALUES (?, ?)", -1, &q, NULL) != SQLITE_OK)
        goto sql_fail;
    for (size_t i = 0; i < t->n_agents; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, (sqlite3_int64)i);
        sqlite3_bind_text(q, 2, t->agents[i], -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            goto sql_fail;
    }
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(st->db, "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &q,
                           NULL) != SQLITE_OK)
        goto sql_fail;
    for (size_t i = 0; i < t->n_scenarios; i++) {
        const truce_scenario *s = t->sc[i].s;
        char count[64];
        if (truce_scenario_outcome_count(s, count, sizeof count))
            snprintf(count, sizeof count, "?");
        json_t *parties = json_array();
        for (size_t p = 0; parties && p < truce_scenario_party_count(s); p++)
            if (truce_party_role(s, p) == TRUCE_ROLE_PRINCIPAL)
                json_array_append_new(parties, json_string(truce_party_name(s, p)));
        char *pj = parties ? json_dumps(parties, JSON_COMPACT) : NULL;
        json_decref(parties);
        if (!pj) {
            sqlite3_finalize(q);
            rc = error_nomem(err);
            goto fail;
        }
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, (sqlite3_int64)i);
        sqlite3_bind_text(q, 2, truce_scenario_name(s), -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, t->sc[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 4, (sqlite3_int64)truce_scenario_party_count(s));
        sqlite3_bind_int64(q, 5, (sqlite3_int64)t->sc[i].seats);
        sqlite3_bind_int64(q, 6, (sqlite3_int64)truce_scenario_issue_count(s));
        sqlite3_bind_text(q, 7, count, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 8, pj, -1, SQLITE_TRANSIENT);
        free(pj);
        if (sqlite3_step(q) != SQLITE_DONE)
            goto sql_fail;
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((rc = create_labels(st, err)) || (rc = exec(st, "COMMIT", err)))
        goto fail;
    st->created = 1;
    return 0;
sql_fail:
    rc = store_error(err, st->db, st->path, "cannot create the tables");
    sqlite3_finalize(q);
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* A database of schema version 1 gets the options table and the outcomes view. */
static int upgrade(truce_store *st, truce_error *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_master WHERE name = 'options'", -1, &q,
                           NULL) != SQLITE_OK)
        return store_error(err, st->db, st->path, "cannot read");
    int step = sqlite3_step(q);
    sqlite3_finalize(q);
    if (step == SQLITE_ROW)
        return 0;
    if (step != SQLITE_DONE)
        return store_error(err, st->db, st->path, "cannot read");
    int rc = exec(st, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    if (!(rc = create_labels(st, err)) &&
        !(rc = exec(st, "UPDATE meta SET value = '" LABELS_SCHEMA_VERSION "' WHERE key = "
                        "'schema_version'",
                    err)) &&
        !(rc = exec(st, "COMMIT", err)))
        return 0;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Whether the database holds this tournament (0, *empty = 0), holds nothing yet (0, *empty =
 * 1), or is another tournament's or another program's (an error). Reads only: nothing in the
 * file changes before this says it is ours. */
static int inspect(truce_store *st, int *empty, truce_error *err)
{
    *empty = 0;
    int missing_table;
    char *stored = meta_value(st->db, "definition", &missing_table);
    if (stored) {
        int same = same_definition(stored, st->t->definition);
        char diff[600];
        if (!same)
            first_difference(stored, st->t->definition, diff, sizeof diff);
        free(stored);
        if (!same)
            return error_set(err, TRUCE_EINVAL, st->path, 0, "definition",
                             "the database holds the results of another tournament (%s); "
                             "give another database or remove this one",
                             diff);
        return 0;
    }
    if (!missing_table)
        return error_set(err, TRUCE_EINVAL, st->path, 0, "definition",
                         "not a truce results database (it has no tournament definition)");
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) != SQLITE_OK)
        return store_error(err, st->db, st->path, "cannot read");
    int step = sqlite3_step(q);
    int tables = step == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    if (step != SQLITE_ROW) /* e.g. no room for the write-ahead log: not "other tables" */
        return store_error(err, st->db, st->path, "cannot read");
    if (tables != 0)
        return error_set(err, TRUCE_EINVAL, st->path, 0, "definition",
                         "not a truce results database (it has other tables); give another "
                         "database");
    *empty = 1;
    return 0;
}

/* ---- a batch of records read by SQLite as a table ----
 * store_add_many inserts a whole batch with one statement, INSERT ... SELECT FROM
 * truce_batch(?1): the parameter is a pointer to the batch, and SQLite reads each row's
 * columns from the records through this eponymous table-valued function, the values a bound
 * row would have (the same types, the worker's text, NULL for what is missing). That spares
 * the 19 sqlite3_bind_* calls a row (each releases the parameter's old value first) and the
 * copies of a multi-row VALUES list: about a quarter of the store's instructions
 * (bench_tournament, callgrind). The rows stored are the same. */

typedef struct batch_rows {
    const truce_tournament *t;
    const unsigned char *records;
    size_t stride, n;
} batch_rows;

typedef struct batch_cursor {
    sqlite3_vtab_cursor base;
    const batch_rows *b;
    size_t i;
    const record *r;
    const char *text;
} batch_cursor;

#define BATCH_POINTER "truce_batch_rows"
#define BATCH_COLUMNS 19 /* then the hidden argument */

static int batch_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **out, char **err)
{
    (void)aux;
    (void)argc;
    (void)argv;
    (void)err;
    int rc = sqlite3_declare_vtab(
        db, "CREATE TABLE x(job, scenario, matchup, repetition, seed, agents, agreement,"
            " end_reason, rounds, time, outcome, utility, utility_undiscounted, welfare,"
            " pareto_distance, nash_distance, fault_seat, fault_message, elapsed, rows HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    *out = sqlite3_malloc(sizeof **out);
    if (!*out)
        return SQLITE_NOMEM;
    memset(*out, 0, sizeof **out);
    return SQLITE_OK;
}

static int batch_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

/* Only with its argument (truce_batch(?1)): the batch is the whole table. */
static int batch_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
    (void)v;
    for (int i = 0; i < info->nConstraint; i++)
        if (info->aConstraint[i].iColumn == BATCH_COLUMNS &&
            info->aConstraint[i].op == SQLITE_INDEX_CONSTRAINT_EQ) {
            if (!info->aConstraint[i].usable)
                return SQLITE_CONSTRAINT;
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->estimatedCost = 1;
            info->estimatedRows = 64;
            return SQLITE_OK;
        }
    return SQLITE_CONSTRAINT;
}

static int batch_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    (void)v;
    batch_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int batch_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

/* The cursor on row i: its record, formatted (by the worker, as a rule). */
static void batch_seek(batch_cursor *c)
{
    if (!c->b || c->i >= c->b->n)
        return;
    record *r = (record *)(void *)(c->b->records + c->i * c->b->stride);
    if (!r->formatted)
        record_format(c->b->t, r);
    c->r = r;
    c->text = record_text(c->b->t, r);
}

static int batch_filter(sqlite3_vtab_cursor *cur, int plan, const char *plan_name, int argc,
                        sqlite3_value **argv)
{
    (void)plan;
    (void)plan_name;
    batch_cursor *c = (batch_cursor *)cur;
    c->b = argc > 0 ? sqlite3_value_pointer(argv[0], BATCH_POINTER) : NULL;
    c->i = 0;
    batch_seek(c);
    return SQLITE_OK;
}

static int batch_next(sqlite3_vtab_cursor *cur)
{
    batch_cursor *c = (batch_cursor *)cur;
    c->i++;
    batch_seek(c);
    return SQLITE_OK;
}

static int batch_eof(sqlite3_vtab_cursor *cur)
{
    const batch_cursor *c = (const batch_cursor *)cur;
    return !c->b || c->i >= c->b->n;
}

static int batch_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((const batch_cursor *)cur)->i;
    return SQLITE_OK;
}

static void result_real(sqlite3_context *ctx, double v)
{
    if (isfinite(v))
        sqlite3_result_double(ctx, v);
    else
        sqlite3_result_null(ctx);
}

/* Column k of the row: the value bind_row binds as parameter k + 1. The text stays valid
 * until the statement is reset (the batch outlives it). */
static int batch_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int k)
{
    const batch_cursor *c = (const batch_cursor *)cur;
    const record *r = c->r;
    const char *text = c->text;
    switch (k) {
    case 0:
        sqlite3_result_int64(ctx, (sqlite3_int64)r->job);
        break;
    case 1:
        sqlite3_result_int64(ctx, (sqlite3_int64)r->scenario);
        break;
    case 2:
        sqlite3_result_int64(ctx, (sqlite3_int64)r->matchup);
        break;
    case 3:
        sqlite3_result_int64(ctx, (sqlite3_int64)r->repetition);
        break;
    case 4:
        sqlite3_result_text(ctx, text + r->text_seed, (int)(r->text_end - r->text_seed - 1),
                            SQLITE_STATIC);
        break;
    case 5:
        sqlite3_result_text(ctx, text + r->text_agents, (int)(r->text_utility - r->text_agents - 1),
                            SQLITE_STATIC);
        break;
    case 6:
        sqlite3_result_int(ctx, r->agreement);
        break;
    case 7:
        sqlite3_result_text(ctx, r->end, -1, SQLITE_STATIC);
        break;
    case 8:
        sqlite3_result_int64(ctx, (sqlite3_int64)r->rounds);
        break;
    case 9:
        result_real(ctx, r->time);
        break;
    case 10:
        if (r->agreement)
            sqlite3_result_text(ctx, text + r->text_outcome,
                                (int)(r->text_seed - r->text_outcome - 1), SQLITE_STATIC);
        else
            sqlite3_result_null(ctx);
        break;
    case 11:
        sqlite3_result_text(ctx, text + r->text_utility,
                            (int)(r->text_undiscounted - r->text_utility - 1), SQLITE_STATIC);
        break;
    case 12:
        sqlite3_result_text(ctx, text + r->text_undiscounted,
                            (int)(r->text_outcome - r->text_undiscounted - 1), SQLITE_STATIC);
        break;
    case 13:
        result_real(ctx, r->welfare);
        break;
    case 14:
        result_real(ctx, r->pareto);
        break;
    case 15:
        result_real(ctx, r->nash);
        break;
    case 16:
        if (r->fault_seat >= 0)
            sqlite3_result_int64(ctx, r->fault_seat);
        else
            sqlite3_result_null(ctx);
        break;
    case 17:
        if (r->fault_seat >= 0)
            sqlite3_result_text(ctx, r->fault_message, -1, SQLITE_STATIC);
        else
            sqlite3_result_null(ctx);
        break;
    case 18:
        result_real(ctx, r->elapsed);
        break;
    default:
        sqlite3_result_null(ctx);
        break;
    }
    return SQLITE_OK;
}

static const sqlite3_module batch_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: truce_batch(?1), never CREATE VIRTUAL TABLE */
    .xConnect = batch_connect,
    .xBestIndex = batch_best_index,
    .xDisconnect = batch_disconnect,
    .xDestroy = NULL,
    .xOpen = batch_open,
    .xClose = batch_close,
    .xFilter = batch_filter,
    .xNext = batch_next,
    .xEof = batch_eof,
    .xColumn = batch_column,
    .xRowid = batch_rowid,
};

int store_connect(truce_store **out, const truce_tournament *t, const char *path, int *empty,
                  truce_error *err)
{
    truce_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = malloc(strlen(path) + 1))) {
        free(st);
        return error_nomem(err);
    }
    memcpy(st->path, path, strlen(path) + 1);
    st->t = t;
    int rc = 0;
    /* one thread at a time uses a store: SQLite's own locks on every call are not needed */
    if (sqlite3_open_v2(path, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = store_error(err, st->db, path, "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 10000);
    /* a file we may only read: said now, not after the first batch of negotiations ran */
    if (sqlite3_db_readonly(st->db, "main") == 1) {
        rc = error_set(err, TRUCE_EIO, path, 0, NULL,
                       "results database: the file is read-only (the results could not be "
                       "stored); give a writable database");
        goto fail;
    }
    /* another program's database, or another tournament's, is refused before anything in it
     * changes (switching it to WAL in store_prepare would change its header for good) */
    if ((rc = inspect(st, empty, err)))
        goto fail;
    *out = st;
    return 0;
fail:
    truce_store_free(st);
    return rc;
}

int store_prepare(truce_store *st, int empty, truce_error *err)
{
    const char *path = st->path;
    int rc;
    /* pages of 16 KiB: fewer pages, writes and b-tree steps per row than the default 4 KiB
     * (bench_tournament); a no-op on a database that exists */
    if ((rc = exec(st, "PRAGMA page_size=16384", err)))
        goto fail;
    /* WAL: a commit is one append to the log, and a kill at any moment
     * leaves every committed transaction in place */
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &q, NULL) != SQLITE_OK) {
        rc = store_error(err, st->db, path, "cannot open");
        goto fail;
    }
    int step = sqlite3_step(q);
    const unsigned char *mode = step == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
    int wal = mode && !strcmp((const char *)mode, "wal");
    sqlite3_finalize(q);
    if (!wal) {
        rc = step == SQLITE_ROW ? error_set(err, TRUCE_EIO, path, 0, NULL,
                                            "results database: cannot switch to WAL mode "
                                            "(is the folder writable?)")
                                : store_error(err, st->db, path, "cannot open");
        goto fail;
    }
    /* a commit that leaves 32 pages (512 KiB) or more in the write-ahead log copies them into
     * the database file (a passive checkpoint: it never waits for a reader, and a failure
     * leaves the rows in the log, as safe). SQLite's default, 1000 pages, is 16 MB at this
     * page size, more than a 100,000-negotiation tournament writes: all of it was copied at
     * the close, after the last negotiation, with the cores idle (bench_tournament) */
    if ((rc = exec(st, "PRAGMA synchronous=NORMAL", err)) ||
        (rc = exec(st, "PRAGMA wal_autocheckpoint=32", err)) ||
        (rc = empty ? create_schema(st, err) : upgrade(st, err)))
        goto fail;
    /* fail now, not after the first batch, when the file cannot be written */
    if ((rc = exec(st, "BEGIN IMMEDIATE", err)) || (rc = exec(st, "COMMIT", err)))
        goto fail;
    /* OR FAIL: a row refused keeps the rows before it, so SQLite needs no statement journal
     * (without it, every page a statement touches is first copied aside in case a later row
     * of the statement fails: a sixth of the store's CPU time, bench_tournament) */
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR FAIL INTO negotiations VALUES "
                           "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st->insert_negotiation, NULL) != SQLITE_OK ||
        sqlite3_create_module_v2(st->db, "truce_batch", &batch_module, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT OR FAIL INTO negotiations SELECT job, scenario, matchup,"
                           " repetition, seed, agents, agreement, end_reason, rounds, time,"
                           " outcome, utility, utility_undiscounted, welfare, pareto_distance,"
                           " nash_distance, fault_seat, fault_message, elapsed"
                           " FROM truce_batch(?1)",
                           -1, &st->insert_many, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "PRAGMA data_version", -1, &st->data_version, NULL) !=
            SQLITE_OK) {
        rc = store_error(err, st->db, path, "cannot prepare");
        goto fail;
    }
    return 0;
fail:
    truce_store_free(st);
    return rc;
}

int truce_store_open(truce_store **out, const truce_tournament *t, const char *path,
                     truce_error *err)
{
    error_clear(err);
    if (!out || !t || !path)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    truce_store *st;
    int empty, rc = store_connect(&st, t, path, &empty, err);
    if (rc || (rc = store_prepare(st, empty, err)))
        return rc;
    *out = st;
    return 0;
}

void truce_store_free(truce_store *st)
{
    if (!st)
        return;
    if (st->in_transaction)
        truce_store_commit(st, NULL);
    sqlite3_finalize(st->insert_negotiation);
    sqlite3_finalize(st->insert_many);
    sqlite3_finalize(st->data_version);
    sqlite3_close(st->db);
    free(st->stored);
    free(st->unpacked);
    free(st->path);
    free(st);
}

static void bind_real(sqlite3_stmt *q, int col, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(q, col, v);
    else
        sqlite3_bind_null(q, col);
}

/* Read the jobs in the database into st->stored. */
static int load_stored(truce_store *st, truce_error *err)
{
    unsigned char *done;
    uint64_t count;
    int rc = store_done(st, &done, &count, err);
    if (rc)
        return rc;
    free(st->stored);
    st->stored = done;
    st->stored_valid = 1;
    return 0;
}

/* A write transaction (BEGIN IMMEDIATE: the write lock at once), with st->stored up to date:
 * read again when another connection committed since it was read (another truce process
 * storing into the same database) or when it is not valid. */
static int begin(truce_store *st, truce_error *err)
{
    if (st->in_transaction)
        return st->stored_valid ? 0 : load_stored(st, err);
    int rc = exec(st, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    st->in_transaction = 1;
    sqlite3_stmt *q = st->data_version;
    sqlite3_reset(q);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        return store_error(err, st->db, st->path, "cannot read");
    }
    sqlite3_int64 version = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (st->stored_valid && version == st->stored_version)
        return 0;
    st->stored_version = version;
    return load_stored(st, err);
}

/* Whether job can be stored: in range and not stored yet (st->stored valid). */
static int check_job(truce_store *st, uint64_t job, truce_error *err)
{
    if (job >= st->t->n_jobs)
        return error_set(err, TRUCE_EINVAL, st->path, 0, "job",
                         "results database: job %llu is not a job of this tournament (%llu jobs)",
                         (unsigned long long)job, (unsigned long long)st->t->n_jobs);
    if ((st->stored[job / 8] >> (job % 8)) & 1)
        return error_set(err, TRUCE_EINVAL, st->path, 0, "job",
                         "results database: job %llu is stored already",
                         (unsigned long long)job);
    return 0;
}

static void mark_stored(truce_store *st, uint64_t job, int on)
{
    unsigned char bit = (unsigned char)(1u << (job % 8));
    if (on)
        st->stored[job / 8] |= bit;
    else
        st->stored[job / 8] &= (unsigned char)~bit;
}

/* After a failed statement: what it kept, and whether SQLite rolled the whole transaction back
 * (after some errors, a full disk), is read from the database again. */
static void after_failure(truce_store *st)
{
    st->stored_valid = 0;
    if (sqlite3_get_autocommit(st->db)) {
        st->in_transaction = 0;
        st->pending_rows = 0;
    }
}

/* Bind record r as the row of st->insert_negotiation. */
static void bind_row(truce_store *st, sqlite3_stmt *q, const record *r)
{
    /* the text columns come formatted by the worker; the seats and the
     * outcome are JSON arrays, one row per negotiation (the seats view
     * unpacks them) */
    if (!r->formatted)
        record_format(st->t, (record *)r);
    const char *text = record_text(st->t, r);
    const char *agents = text + r->text_agents, *u = text + r->text_utility,
               *uu = text + r->text_undiscounted, *outcome = text + r->text_outcome,
               *seed = text + r->text_seed;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)r->job);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)r->scenario);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)r->matchup);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)r->repetition);
    /* lengths from the offsets: each column ends with its NUL, before the next */
    sqlite3_bind_text(q, 5, seed, (int)(r->text_end - r->text_seed - 1), SQLITE_STATIC);
    sqlite3_bind_text(q, 6, agents, (int)(r->text_utility - r->text_agents - 1), SQLITE_STATIC);
    sqlite3_bind_int(q, 7, r->agreement);
    sqlite3_bind_text(q, 8, r->end, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 9, (sqlite3_int64)r->rounds);
    bind_real(q, 10, r->time);
    if (r->agreement) {
        sqlite3_bind_text(q, 11, outcome, (int)(r->text_seed - r->text_outcome - 1), SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, 11);
    }
    sqlite3_bind_text(q, 12, u, (int)(r->text_undiscounted - r->text_utility - 1), SQLITE_STATIC);
    sqlite3_bind_text(q, 13, uu, (int)(r->text_outcome - r->text_undiscounted - 1), SQLITE_STATIC);
    bind_real(q, 14, r->welfare);
    bind_real(q, 15, r->pareto);
    bind_real(q, 16, r->nash);
    if (r->fault_seat >= 0) {
        sqlite3_bind_int64(q, 17, r->fault_seat);
        sqlite3_bind_text(q, 18, r->fault_message, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, 17);
        sqlite3_bind_null(q, 18);
    }
    bind_real(q, 19, r->elapsed);
}

int store_add(truce_store *st, const record *r, truce_error *err)
{
    int rc = begin(st, err);
    if (rc || (rc = check_job(st, r->job, err)))
        return rc;
    sqlite3_stmt *q = st->insert_negotiation;
    sqlite3_reset(q);
    bind_row(st, q, r);
    int step = sqlite3_step(q);
    sqlite3_reset(q); /* every parameter is bound anew for the next row */
    if (step != SQLITE_DONE) {
        /* a database of version 2 or 3 has its key on job too: there, another writer's row
         * that st->stored missed would be refused by SQLite */
        rc = step == SQLITE_CONSTRAINT ? error_set(err, TRUCE_EINVAL, st->path, 0, "job",
                                                   "results database: job %llu is stored already",
                                                   (unsigned long long)r->job)
                                       : store_error(err, st->db, st->path, "cannot store a result");
        after_failure(st);
        return rc;
    }
    mark_stored(st, r->job, 1);
    st->pending_rows++;
    return 0;
}

int store_add_many(truce_store *st, const unsigned char *records, size_t stride, size_t n,
                   size_t *stored, truce_error *err)
{
    *stored = 0;
    int rc = begin(st, err);
    size_t i = 0, good = 0;
    /* the rows before the first that cannot be stored (out of range, stored already, or twice
     * in the batch): marked as they are checked, and unmarked if the statement fails */
    for (; !rc && good < n; good++) {
        const record *r = (const record *)(const void *)(records + good * stride);
        if (r->job >= st->t->n_jobs || ((st->stored[r->job / 8] >> (r->job % 8)) & 1))
            break;
        mark_stored(st, r->job, 1);
    }
    /* the whole batch in one statement (truce_batch above) */
    if (!rc && good > 1) {
        batch_rows b = {st->t, records, stride, good};
        sqlite3_stmt *q = st->insert_many;
        sqlite3_reset(q);
        sqlite3_bind_pointer(q, 1, &b, BATCH_POINTER, NULL);
        int step = sqlite3_step(q);
        sqlite3_reset(q);
        sqlite3_bind_null(q, 1); /* b ends here */
        if (step == SQLITE_DONE) {
            i = good;
        } else if (step == SQLITE_CONSTRAINT) {
            /* (a database of version 2 or 3, and another writer's row st->stored missed) the
             * rows before the refused one are stored (OR FAIL): one row at a time from there,
             * with st->stored read again, names the job */
            size_t kept = (size_t)sqlite3_changes(st->db);
            if (kept > good)
                kept = 0;
            i = kept;
            st->stored_valid = 0;
        } else {
            rc = store_error(err, st->db, st->path, "cannot store a result");
            after_failure(st);
        }
        *stored = i;
        st->pending_rows += i;
    } else if (!rc) {
        for (size_t k = 0; k < good; k++) /* stored one at a time below */
            mark_stored(st, ((const record *)(const void *)(records + k * stride))->job, 0);
    }
    for (; !rc && i < n; i++)
        if (!(rc = store_add(st, (const record *)(const void *)(records + i * stride), err)))
            (*stored)++;
    return rc;
}

int truce_store_commit(truce_store *st, truce_error *err)
{
    error_clear(err);
    if (!st)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (!st->in_transaction)
        return 0;
    st->in_transaction = 0;
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = store_error(err, st->db, st->path, "cannot commit");
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        st->stored_valid = 0; /* this transaction's rows are not there */
        return rc;
    }
    st->pending_rows = 0;
    return 0;
}

/* Decode a result from another process into a record and store it. */
static int add_decoded(truce_store *st, const void *result, int packed, truce_error *err)
{
    error_clear(err);
    if (!st || !result)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    void *mem = malloc(record_size(st->t));
    if (!mem)
        return error_nomem(err);
    record *r = record_init(st->t, mem);
    int rc =
        packed ? record_unpack(st->t, result, r, err) : record_from_json(st->t, result, r, err);
    if (!rc)
        rc = store_add(st, r, err);
    free(mem);
    return rc;
}

int truce_store_add_json(truce_store *st, const char *result, truce_error *err)
{
    return add_decoded(st, result, 0, err);
}

int truce_store_add_packed(truce_store *st, const void *result, truce_error *err)
{
    return add_decoded(st, result, 1, err);
}

int truce_store_add_packed_many(truce_store *st, const void *results, size_t n, size_t *stored,
                                truce_error *err)
{
    error_clear(err);
    size_t none;
    if (!stored)
        stored = &none;
    *stored = 0;
    if (!st || (!results && n))
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    size_t size = record_size(st->t);
    if (n > st->unpacked_capacity) {
        /* a message's worth at a time: the buffer is kept for the next */
        if (n > SIZE_MAX / size)
            return error_nomem(err);
        unsigned char *grown = realloc(st->unpacked, n * size);
        if (!grown)
            return error_nomem(err);
        st->unpacked = grown;
        st->unpacked_capacity = n;
    }
    /* checked first, then stored together up to the first result refused */
    size_t good = 0;
    truce_error bad;
    int refused = 0;
    for (; good < n; good++) {
        record *r = record_init(st->t, st->unpacked + good * size);
        if ((refused = record_unpack(st->t, (const unsigned char *)results + good * size, r, &bad)))
            break;
    }
    int rc = good ? store_add_many(st, st->unpacked, size, good, stored, err) : 0;
    if (!rc && refused) {
        if (err)
            *err = bad;
        rc = refused;
    }
    return rc;
}

/* Bitmap of the jobs already stored. */
int store_done(truce_store *st, unsigned char **done, uint64_t *count, truce_error *err)
{
    uint64_t n = st->t->n_jobs;
    *count = 0;
    if (!(*done = calloc(n / 8 + 1, 1)))
        return error_nomem(err);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT job FROM negotiations", -1, &q, NULL) != SQLITE_OK) {
        free(*done);
        *done = NULL;
        return store_error(err, st->db, st->path, "cannot read");
    }
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        sqlite3_int64 job = sqlite3_column_int64(q, 0);
        if (job >= 0 && (uint64_t)job < n && !((*done)[job / 8] & (1u << (job % 8)))) {
            (*done)[job / 8] |= (unsigned char)(1u << (job % 8));
            (*count)++;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE) {
        free(*done);
        *done = NULL;
        return store_error(err, st->db, st->path, "cannot read");
    }
    return 0;
}

int truce_store_missing(truce_store *st, uint64_t **jobs, size_t *n, truce_error *err)
{
    error_clear(err);
    if (!st || !jobs || !n)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    unsigned char *done;
    uint64_t count;
    int rc = store_done(st, &done, &count, err);
    if (rc)
        return rc;
    uint64_t missing = st->t->n_jobs - count;
    uint64_t *v = malloc((missing ? missing : 1) * sizeof *v);
    if (!v) {
        free(done);
        return error_nomem(err);
    }
    size_t k = 0;
    for (uint64_t j = 0; j < st->t->n_jobs; j++)
        if (!(done[j / 8] & (1u << (j % 8))))
            v[k++] = j;
    free(done);
    *jobs = v;
    *n = k;
    return 0;
}
