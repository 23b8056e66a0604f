/* test_tournament_cli.c: the real `truce tournament` and `truce results`:
 * kill -9 and SIGINT in the middle of a run then resume, ending with exactly
 * the rows of an uninterrupted run; MPI ranks give the same rows as threads;
 * progress lines; clear errors before any work. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"

/* Rows without timing, in job order, as one text; "" when the database or
 * its table does not exist yet. */
static char *rows_of(const char *db)
{
    sqlite3 *h;
    char *text = calloc(1, 1);
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return text;
    }
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(h,
                           "SELECT job || '|' || seed || '|' || agents || '|' || agreement || '|' "
                           "|| rounds || '|' || utility || '|' || coalesce(outcome, '-') FROM "
                           "negotiations ORDER BY job",
                           -1, &q, NULL) == SQLITE_OK) {
        size_t n = 0, cap = 1;
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *row = (const char *)sqlite3_column_text(q, 0);
            size_t k = strlen(row);
            if (n + k + 2 > cap) {
                cap = 2 * (n + k + 2);
                text = realloc(text, cap);
            }
            memcpy(text + n, row, k);
            text[n + k] = '\n';
            n += k + 1;
            text[n] = '\0';
        }
        sqlite3_finalize(q);
    }
    sqlite3_close(h);
    return text;
}

static long count_rows(const char *db)
{
    sqlite3 *h;
    long n = 0;
    sqlite3_stmt *q;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT count(*) FROM negotiations", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(h);
    return n;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A tournament big enough to be interrupted: 5 agents, 20 matchups, many
 * repetitions. */
#define BIG_AGENTS "boulware,conceder,linear,tft,random"
#define BIG_TOTAL (20 * 3000)

static void big_args(const char **args, const char *db, const char *threads)
{
    const char *a[] = {"tournament", "--quiet",       "--db",    db,        "--agents",
                       BIG_AGENTS,   "--repetitions", "3000",    "--batch", "64",
                       "--threads",  threads,         CEASEFIRE, NULL};
    memcpy(args, a, sizeof a);
}

/* Wait until the running tournament has committed at least `rows` rows (or
 * ended), then send `sig`. Returns the child's exit status. */
static int interrupt_after(pid_t pid, const char *db, long rows, int sig, long *seen)
{
    int status;
    for (int i = 0; i < 20000; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            *seen = count_rows(db);
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if ((*seen = count_rows(db)) >= rows)
            break;
        sleep_ms(2);
    }
    kill(pid, sig);
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_killed_and_resumed_run_equals_uninterrupted_run(void **state)
{
    (void)state;
    const char *whole = temp_path("whole.db"), *killed = temp_path("killed.db");
    const char *args[16];
    big_args(args, whole, "2");
    cli_result r = cli_run_ok(args);
    cli_run_free(&r);
    assert_int_equal(count_rows(whole), BIG_TOTAL);
    big_args(args, killed, "2");
    long seen;
    int status = interrupt_after(spawn_truce(args), killed, 200, SIGKILL, &seen);
    long kept = count_rows(killed);
    if (status == 0)
        print_message("note: the run finished before the kill (%ld rows)\n", kept);
    else
        assert_int_equal(status, 128 + SIGKILL);
    /* committed rows survive the kill: at least what was seen before it */
    assert_true(kept >= seen);
    assert_true(kept > 0);
    r = cli_run_ok(args); /* resume */
    cli_run_free(&r);
    char *a = rows_of(whole), *b = rows_of(killed);
    assert_int_equal(count_rows(killed), BIG_TOTAL);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_sigint_stops_cleanly_and_resumes(void **state)
{
    (void)state;
    const char *whole = temp_path("whole2.db"), *stopped = temp_path("stopped.db");
    const char *args[16];
    big_args(args, whole, "1");
    cli_result r = cli_run_ok(args);
    cli_run_free(&r);
    big_args(args, stopped, "2");
    long seen;
    int status = interrupt_after(spawn_truce(args), stopped, 200, SIGINT, &seen);
    if (status != 0) {
        assert_int_equal(status, 130); /* a clean stop, not death by signal */
        assert_true(count_rows(stopped) < BIG_TOTAL);
    }
    r = cli_run_ok(args);
    cli_run_free(&r);
    char *a = rows_of(whole), *b = rows_of(stopped);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* Wait up to `seconds` for pid to end: its status (128 + signal when killed), or -1 after
 * killing it when it did not end in time. */
static int wait_at_most(pid_t pid, double seconds, double *took)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int status;
        clock_gettime(CLOCK_MONOTONIC, &now);
        *took = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (*took > seconds) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        sleep_ms(20);
    }
}

/* Processes anywhere whose command line holds `part`. */
static int processes_running(const char *part)
{
    DIR *d = opendir("/proc");
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char path[300], cmd[1024];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(cmd, 1, sizeof cmd - 1, f);
        fclose(f);
        for (size_t k = 0; k < len; k++)
            if (!cmd[k])
                cmd[k] = ' ';
        cmd[len] = '\0';
        n += strstr(cmd, part) != NULL;
    }
    closedir(d);
    return n;
}

/* A worker stuck in an agent (a program that never answers, allowed 600 s a turn) kept the
 * process alive after SIGINT and SIGTERM until that limit: a stop now ends it within a few
 * seconds with the stopped status (what was committed is kept), and a second signal ends it
 * at once. */
static void test_signals_stop_a_tournament_whose_worker_does_not_return(void **state)
{
    (void)state;
    const char *db = temp_path("stuck.db");
    const char *args[] = {"tournament", "--quiet",   "--db", db, "--agents",
                          "proc:" TRUCE_TEST_DATA "/agents/proc_stuck.sh:timeout=600,boulware",
                          "--threads",  "2",         CEASEFIRE, NULL};
    int signals[] = {SIGINT, SIGTERM};
    for (int k = 0; k < 2; k++) {
        pid_t pid = spawn_truce(args);
        sleep_ms(1500); /* the workers are now waiting for the agent's answer */
        kill(pid, signals[k]);
        double took;
        int status = wait_at_most(pid, 30, &took);
        if (status == -1)
            fail_msg("signal %d: still running 30 s later", signals[k]);
        assert_int_equal(status, signals[k] == SIGINT ? 130 : 143);
        assert_true(took < 15);
        /* the agents' keepers end the programs once truce is gone */
        for (int wait = 0; wait < 250 && processes_running(TRUCE_TEST_DATA "/agents/proc_stuck");
             wait++)
            sleep_ms(20);
        assert_int_equal(processes_running(TRUCE_TEST_DATA "/agents/proc_stuck"), 0);
    }
    pid_t pid = spawn_truce(args);
    sleep_ms(1500);
    kill(pid, SIGINT);
    sleep_ms(200);
    kill(pid, SIGINT);
    double took;
    assert_int_equal(wait_at_most(pid, 30, &took), 128 + SIGINT);
    assert_true(took < 2);
    for (int wait = 0; wait < 250 && processes_running(TRUCE_TEST_DATA "/agents/proc_stuck");
         wait++)
        sleep_ms(20);
    assert_int_equal(processes_running(TRUCE_TEST_DATA "/agents/proc_stuck"), 0);
}

/* The journal mode of a database (malloc'd). */
static char *journal_mode(const char *db)
{
    sqlite3 *h;
    char *mode = NULL;
    sqlite3_stmt *q;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            mode = strdup((const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
    }
    sqlite3_close(h);
    return mode ? mode : strdup("?");
}

/* Another program's database was refused only after being switched to WAL mode (which stays in
 * its header); a read-only database partly filled by an earlier run was refused only once the
 * first batch of negotiations had run. Both are refused now before anything changes or runs. */
static void test_databases_are_checked_before_anything_changes_or_runs(void **state)
{
    (void)state;
    const char *other = temp_path("other.db");
    sqlite3 *h;
    assert_int_equal(sqlite3_open(other, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    const char *args[] = {"tournament", "--quiet", "--db", other, "--agents", "boulware,conceder",
                          CEASEFIRE,    NULL};
    cli_result r = cli_run(args);
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "not a truce results database (it has other tables)");
    cli_run_free(&r);
    char *mode = journal_mode(other);
    assert_string_equal(mode, "delete");
    free(mode);
    /* a partly filled database, then read-only (for root, whom permissions do not stop, the run
     * is made as nobody) */
    const char *dir = temp_dir();
    char db[600];
    snprintf(db, sizeof db, "%s/part.db", dir);
    const char *first[] = {"tournament", "--quiet", "--db", db, "--agents", BIG_AGENTS,
                           "--repetitions", "3000", "--stop-after", "10", CEASEFIRE, NULL};
    r = cli_run_ok(first);
    cli_run_free(&r);
    assert_int_equal(count_rows(db), 10);
    /* the file read-only, its folder writable (the log files can be made) */
    chmod(dir, 0777);
    chmod(db, 0444);
    char err_path[700];
    snprintf(err_path, sizeof err_path, "%s/err.txt", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        dup2(err, 2);
        int out = open("/dev/null", O_WRONLY);
        dup2(out, 1);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(126);
        execl(TRUCE_BINARY, TRUCE_BINARY, "tournament", "--quiet", "--db", db, "--agents",
              BIG_AGENTS, "--repetitions", "3000", CEASEFIRE, (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    char *err = slurp_file(err_path);
    assert_contains(err, "part.db: results database: the file is read-only");
    free(err);
    assert_int_equal(count_rows(db), 10);
}

static void test_progress_summary_and_results(void **state)
{
    (void)state;
    const char *db = temp_path("small.db");
    const char *run[] = {"tournament", "--db", db,       "--agents", "boulware,conceder,tft",
                         "--rounds",   "60",   "--seed", "5",        CEASEFIRE,
                         NULL};
    cli_result r = cli_run(run);
    assert_int_equal(r.status, 0);
    /* not a terminal: plain progress lines, then the summary */
    assert_contains(r.err, "progress: 6/6 negotiations (100.0%)");
    assert_contains(r.err, "6 negotiations run in");
    assert_contains(r.out, "Agents, ranked by mean utility");
    assert_contains(r.out, "Pairwise differences");
    cli_run_free(&r);
    const char *again[] = {
        "tournament", "--quiet", "--db",   db,  "--agents", "boulware,conceder,tft",
        "--rounds",   "60",      "--seed", "5", CEASEFIRE,  NULL};
    r = cli_run(again);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_string_equal(r.out, "");
    cli_run_free(&r);
    const char *json[] = {"results", "--json", db, NULL};
    r = cli_run_ok(json);
    json_t *s = json_parse_or_fail(r.out);
    assert_int_equal(json_integer_value(json_object_get(s, "negotiations")), 6);
    assert_true(json_is_true(json_object_get(s, "complete")));
    assert_int_equal(json_array_size(json_object_get(s, "agents")), 3);
    json_decref(s);
    cli_run_free(&r);
    const char *text[] = {"results", db, NULL};
    r = cli_run_ok(text);
    assert_contains(r.out, "Head to head");
    assert_contains(r.out, "Scenarios (");
    assert_contains(r.out, "Agents x scenarios");
    cli_run_free(&r);
    const char *path = temp_path("rows.csv");
    const char *csv[] = {"results", "--csv", "negotiations", "-o", path, db, NULL};
    r = cli_run_ok(csv);
    cli_run_free(&r);
    char *rows = slurp_file(path);
    long lines = 0;
    for (const char *p = rows; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + 6 * 2);
    free(rows);
}

static size_t occurrences(const char *text, const char *part)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, part)); p += strlen(part))
        n++;
    return n;
}

static void test_results_tables_keep_full_agent_names(void **state)
{
    (void)state;
    const char *db = temp_path("names.db");
    const char *run[] = {"tournament",
                         "--quiet",
                         "--db",
                         db,
                         "--agents",
                         "boulware:e=0.1,boulware:e=0.3,conceder",
                         "--rounds",
                         "40",
                         CEASEFIRE,
                         NULL};
    cli_result r = cli_run_ok(run);
    cli_run_free(&r);
    const char *text[] = {"results", db, NULL};
    r = cli_run_ok(text);
    /* agents table, two pairwise rows, the head-to-head row and the key of the agent x
     * scenario table: every one names both parameterised agents in full */
    assert_true(occurrences(r.out, "boulware:e=0.1") >= 5);
    assert_true(occurrences(r.out, "boulware:e=0.3") >= 5);
    assert_null(strstr(r.out, "boulware: "));
    assert_null(strstr(r.out, "boulware:e "));
    assert_contains(r.out, "Pairwise differences");
    assert_contains(r.out, "p(Holm)");
    /* one scenario gives 4 paired cells per pair: too few for any significance, said so */
    assert_contains(r.out, "Warning: 3 pairs of agents differ in fewer than 6 paired cells");
    cli_run_free(&r);
    const char *pairs[] = {"results", "--csv", "pairwise", db, NULL};
    r = cli_run_ok(pairs);
    assert_contains(r.out, "agent_a,agent_b,pairs,");
    assert_contains(r.out, "\r\nboulware:e=0.1,boulware:e=0.3,4,");
    cli_run_free(&r);
}

static void expect_error(const char *const *args, int status, const char *part)
{
    cli_result r = cli_run(args);
    assert_int_equal(r.status, status);
    assert_one_line(r.err);
    assert_contains(r.err, part);
    cli_run_free(&r);
}

/* The scenarios a tournament skipped (--skip-unloadable: deadlock.yaml cannot be played,
 * broken.yaml does not load) are shown by truce results (text and JSON) and truce report,
 * with a stable code and the reason; a database whose stored reasons are worded otherwise, or
 * that has no codes (made by an earlier version), is still this tournament's and resumes. */
static void skipped_scenarios_are_shown(const char *db, const char *const *run)
{
    const char *text[] = {"results", db, NULL};
    cli_result r = cli_run_ok(text);
    assert_contains(r.out, "Skipped 2 scenarios (--skip-unloadable): they did not load, or these "
                           "agents cannot play them");
    assert_contains(r.out, "  deadlock.yaml [cannot-start]: deadlock.yaml: hard_conditions: no "
                           "outcome");
    assert_contains(r.out, "  broken.yaml [invalid]: broken.yaml:");
    cli_run_free(&r);
    const char *json[] = {"results", "--json", db, NULL};
    r = cli_run_ok(json);
    json_t *stats = json_parse_or_fail(r.out);
    json_t *skipped = json_object_get(stats, "skipped_scenarios");
    assert_int_equal(json_array_size(skipped), 2);
    /* in the order they were left out: broken.yaml while loading, then deadlock.yaml */
    json_t *broke = json_array_get(skipped, 0), *dead = json_array_get(skipped, 1);
    assert_string_equal(json_string_value(json_object_get(broke, "scenario")), "broken.yaml");
    assert_string_equal(json_string_value(json_object_get(broke, "code")), "invalid");
    assert_string_equal(json_string_value(json_object_get(dead, "scenario")), "deadlock.yaml");
    assert_string_equal(json_string_value(json_object_get(dead, "code")), "cannot-start");
    assert_contains(json_string_value(json_object_get(dead, "reason")),
                    "no outcome respects every principal's hard conditions");
    json_decref(stats);
    cli_run_free(&r);
    const char *html = temp_path("skipped.html");
    const char *report[] = {"report", db, "-o", html, NULL};
    r = cli_run_ok(report);
    cli_run_free(&r);
    char *page = slurp_file(html);
    assert_contains(page, "<h3>Skipped scenarios</h3>");
    assert_contains(page,
                    "<tr><td>deadlock.yaml</td><td><code>cannot-start</code></td><td>deadlock."
                    "yaml: hard_conditions: no outcome respects every principal");
    assert_contains(page, "<tr><td>broken.yaml</td><td><code>invalid</code></td>");
    free(page);
    /* reworded reasons and no codes, as a database of an earlier version: it resumes */
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(h,
                     "UPDATE meta SET value = replace(replace(replace(value, "
                     "'\"code\":\"invalid\",', ''), '\"code\":\"cannot-start\",', ''), "
                     "'no outcome respects', 'nothing respects') WHERE key = 'definition'",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    r = cli_run(run);
    assert_int_equal(r.status, 0);
    assert_contains(r.err, "2 were done already");
    cli_run_free(&r);
    r = cli_run_ok(json);
    stats = json_parse_or_fail(r.out);
    dead = json_array_get(json_object_get(stats, "skipped_scenarios"), 1);
    assert_true(json_is_null(json_object_get(dead, "code")));
    assert_contains(json_string_value(json_object_get(dead, "reason")), "nothing respects");
    json_decref(stats);
    cli_run_free(&r);
    r = cli_run_ok(text);
    assert_contains(r.out, "  deadlock.yaml [no code]: deadlock.yaml: hard_conditions: nothing");
    cli_run_free(&r);
}

static void test_bad_input_fails_before_any_work(void **state)
{
    (void)state;
    const char *db = temp_path("never.db");
    const char *unknown[] = {"tournament",      "--db",    db,  "--agents",
                             "boulware,nobody", CEASEFIRE, NULL};
    expect_error(unknown, 1, "nobody");
    const char *missing[] = {"tournament",        "--db",           db,  "--agents",
                             "boulware,conceder", "/no/such/place", NULL};
    expect_error(missing, 1, "/no/such/place");
    assert_int_equal(access(db, F_OK), -1); /* nothing was created */
    const char *unwritable[] = {
        "tournament", "--db", "/no/such/dir/r.db", "--agents", "boulware,conceder",
        CEASEFIRE,    NULL};
    expect_error(unwritable, 1, "/no/such/dir/r.db");
    const char *no_db[] = {"tournament", "--agents", "boulware,conceder", CEASEFIRE, NULL};
    expect_error(no_db, 2, "--db");
    const char *mixed[] = {"tournament", "--db", db, "--rounds", "5", "cup.yaml", NULL};
    expect_error(mixed, 2, "--agents");
    const char *first[] = {"tournament", "--quiet",           "--db",    db,
                           "--agents",   "boulware,conceder", CEASEFIRE, NULL};
    cli_result r = cli_run_ok(first);
    cli_run_free(&r);
    const char *other[] = {"tournament", "--db", db, "--agents", "boulware,tft", CEASEFIRE, NULL};
    expect_error(other, 1, "another tournament");
    const char *not_db[] = {"results", temp_file("x.db", "plain text\n"), NULL};
    expect_error(not_db, 1, "x.db");
    const char *bad_table[] = {"results", "--csv", "nope", db, NULL};
    expect_error(bad_table, 2, "unknown table");
    /* a scenario whose principals' hard conditions leave no outcome: refused, named */
    const char *deadlock =
        temp_file("deadlock.yaml",
                  "truce: 1\nname: deadlock\nissues:\n  - id: land\n    options: [north, south]\n"
                  "parties:\n"
                  "  - id: east\n    weights: {land: 1}\n    values: {land: {north: 1}}\n"
                  "    hard_conditions:\n      - {id: hold-north, require: {land: [north]}}\n"
                  "  - id: west\n    weights: {land: 1}\n    values: {land: {south: 1}}\n"
                  "    hard_conditions:\n      - {id: hold-south, require: {land: [south]}}\n");
    const char *fresh = temp_path("conflict.db");
    const char *conflict[] = {"tournament",        "--db",    fresh,    "--agents",
                              "boulware,conceder", CEASEFIRE, deadlock, NULL};
    expect_error(conflict, 1,
                 "deadlock.yaml: hard_conditions: no outcome respects every principal's hard "
                 "conditions, so no agreement is possible (the feasible set is empty, as 'truce "
                 "check' shows): on issue 'land', east's hard condition 'hold-north' allows north "
                 "and west's hard condition 'hold-south' allows south");
    assert_int_equal(access(fresh, F_OK), -1); /* nothing was created */
    /* --skip-unloadable: the deadlocked scenario and a broken file are left out, each named
     * with its reason; the ceasefire alone runs (2 ordered pairs) */
    const char *broken = temp_file("broken.yaml", "truce: 1\nname: broken\nparties: []\n");
    const char *skip[] = {"tournament",        "--db",    fresh,    "--agents", "boulware,conceder",
                          "--skip-unloadable", CEASEFIRE, deadlock, broken,     NULL};
    r = cli_run(skip);
    assert_int_equal(r.status, 0);
    assert_contains(r.err, "truce tournament: skipped ");
    assert_contains(r.err, "deadlock.yaml: hard_conditions: no outcome respects");
    assert_contains(r.err, "broken.yaml");
    cli_run_free(&r);
    assert_int_equal(count_rows(fresh), 2);
    skipped_scenarios_are_shown(fresh, skip);
    /* --legacy cannot change how a tournament file loads its scenarios: the file says it */
    char yaml[1200];
    snprintf(yaml, sizeof yaml, "agents: [boulware, conceder]\nscenarios: [%s]\n", CEASEFIRE);
    const char *file = temp_file("plain.yaml", yaml);
    const char *legacy_db = temp_path("legacy.db");
    const char *legacy[] = {"tournament", "--quiet", "--legacy", "--db", legacy_db, file, NULL};
    expect_error(legacy, 2, "--legacy does not apply to a tournament file: put 'legacy: true' in");
    snprintf(yaml, sizeof yaml, "agents: [boulware, conceder]\nscenarios: [%s]\nlegacy: true\n",
             CEASEFIRE);
    legacy[5] = temp_file("legacy.yaml", yaml);
    r = cli_run_ok(legacy);
    cli_run_free(&r);
    assert_int_equal(count_rows(legacy_db), 2);
    const char *help[] = {"tournament", "--help", NULL};
    r = cli_run_ok(help);
    assert_contains(r.out, "usage: truce tournament");
    cli_run_free(&r);
}

#ifdef TRUCE_TEST_MPI
static int run_mpi(const char *const *args)
{
    size_t n = 0;
    while (args[n])
        n++;
    const char **argv = calloc(n + 6, sizeof *argv);
    const char *pre[] = {"mpirun", "--oversubscribe", "-np", "2", TRUCE_BINARY};
    memcpy(argv, pre, sizeof pre);
    for (size_t i = 0; i < n; i++)
        argv[5 + i] = args[i];
    pid_t pid = fork();
    if (pid == 0) {
        /* CI runs as root; OpenMPI's own allocations are not ours to
         * check for leaks */
        setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
        setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
        setenv("OMPI_MCA_plm_rsh_agent", "", 1);
        FILE *null = fopen("/dev/null", "w");
        if (null)
            dup2(fileno(null), 1);
        execvp("mpirun", (char *const *)argv);
        _exit(127);
    }
    free(argv);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_two_mpi_ranks_give_the_rows_of_threads(void **state)
{
    (void)state;
    const char *threads = temp_path("threads.db"), *ranks = temp_path("ranks.db");
    const char *base[] = {
        "tournament",    "--quiet", "--db",    threads, "--agents", "boulware,conceder,linear,tft",
        "--repetitions", "20",      CEASEFIRE, NULL};
    cli_result r = cli_run_ok(base);
    cli_run_free(&r);
    const char *part[] = {
        "tournament",    "--quiet", "--db",    ranks, "--agents", "boulware,conceder,linear,tft",
        "--repetitions", "20",      "--stop-after", "50",  CEASEFIRE,  NULL};
    int status = run_mpi(part);
    if (status == 127)
        skip();
    assert_int_equal(status, 0);
    assert_int_equal(count_rows(ranks), 50);
    const char *rest[] = {
        "tournament",    "--quiet", "--db",    ranks, "--agents", "boulware,conceder,linear,tft",
        "--repetitions", "20",      CEASEFIRE, NULL};
    assert_int_equal(run_mpi(rest), 0);
    char *a = rows_of(threads), *b = rows_of(ranks);
    assert_int_equal(count_rows(ranks), 240);
    assert_string_equal(a, b);
    free(a);
    free(b);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_killed_and_resumed_run_equals_uninterrupted_run),
        cmocka_unit_test(test_sigint_stops_cleanly_and_resumes),
        cmocka_unit_test(test_signals_stop_a_tournament_whose_worker_does_not_return),
        cmocka_unit_test(test_databases_are_checked_before_anything_changes_or_runs),
        cmocka_unit_test(test_progress_summary_and_results),
        cmocka_unit_test(test_results_tables_keep_full_agent_names),
        cmocka_unit_test(test_bad_input_fails_before_any_work),
#ifdef TRUCE_TEST_MPI
        cmocka_unit_test(test_two_mpi_ranks_give_the_rows_of_threads),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
