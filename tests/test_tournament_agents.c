/* test_tournament_agents.c: tournaments (2 threads) with misbehaving Lua scripts and programs
 * against built-in agents: each faulty negotiation is stored with its seat and reason, the others
 * run normally, and no process or file descriptor is left behind, also after a SIGINT. */
#define _GNU_SOURCE /* prctl */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"
#define AGENTS TRUCE_TEST_DATA "/agents/"
/* 66 jobs: workers take them two at a time (the runner's chunk of jobs / (threads * 16)), so
 * a worker's negotiation handle runs again after its agent's fault */
#define REPETITIONS 11

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Living (not zombie) processes whose parent is `parent`, by a scan of /proc. */
static int living_children(pid_t parent)
{
    DIR *d = opendir("/proc");
    assert_non_null(d);
    int n = 0;
    pid_t me = parent;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], line[256];
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        long ppid = -1;
        char st = '?';
        while (fgets(line, sizeof line, f)) {
            if (!strncmp(line, "State:", 6))
                sscanf(line + 6, " %c", &st);
            else if (!strncmp(line, "PPid:", 5))
                ppid = strtol(line + 5, NULL, 10);
        }
        fclose(f);
        if (ppid == me && st != 'Z')
            n++;
    }
    closedir(d);
    return n;
}

/* This process is a subreaper (set in main), so what an agent started and left behind becomes
 * our child. Reap those that are dead (the agents' processes killed with their group may end
 * after their parent was reaped), give killed ones a moment, then nothing may be left:
 * waitpid(-1) reports ECHILD and no living child shows in /proc. */
static void assert_no_processes_left(void)
{
    for (int i = 0; i < 200; i++) {
        pid_t p = waitpid(-1, NULL, WNOHANG);
        if (p < 0)
            break;
        if (p == 0)
            sleep_ms(5);
    }
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    assert_int_equal(living_children(getpid()), 0);
}

static const char *db_path(const char *name)
{
    static char buf[4][512];
    static int slot;
    char *p = buf[slot++ % 4];
    snprintf(p, 512, "%s/%s", temp_dir(), name);
    remove(p);
    return p;
}

/* One misbehaving agent (index 0) with conceder and hardliner, every seat order, on ceasefire. */
static void run_tournament(const char *spec, const char *db)
{
    const char *agents[] = {spec, "conceder", "hardliner"};
    const char *scenarios[] = {CEASEFIRE};
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    d.agents = agents;
    d.n_agents = 3;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    d.repetitions = REPETITIONS;
    d.permutations = 1;
    d.rounds = 40;
    d.seed = 11;
    truce_tournament *t = NULL;
    truce_error err;
    if (truce_tournament_create(&t, &d, &err))
        fail_msg("truce_tournament_create: %s", err.message);
    truce_tournament_run_options o = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    o.threads = 2;
    o.batch = 2;
    truce_tournament_status st;
    if (truce_tournament_run(t, db, &o, &st, &err))
        fail_msg("truce_tournament_run: %s", err.message);
    /* 3 agents, ordered pairs without self-play: 6 matchups */
    assert_int_equal(st.total, 6 * REPETITIONS);
    assert_int_equal(st.ran, 6 * REPETITIONS);
    truce_tournament_free(t);
}

/* The same negotiation run directly: conceder and hardliner in the seats of a stored row. */
static void assert_normal_row(const char *agents_json, const char *seed, const char *end,
                              long rounds)
{
    const char *specs_text[2] = {"conceder", "hardliner"};
    if (!strcmp(agents_json, "[2,1]")) {
        specs_text[0] = "hardliner";
        specs_text[1] = "conceder";
    } else {
        assert_string_equal(agents_json, "[1,2]");
    }
    truce_scenario *s = NULL;
    truce_space *sp = NULL;
    truce_negotiation *ng = NULL;
    truce_agent_spec specs[2];
    truce_error err;
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = 40;
    if (truce_scenario_load_dir(&s, CEASEFIRE, NULL, &err) ||
        truce_space_create(&sp, s, NULL, &err) ||
        truce_agent_parse(&specs[0], specs_text[0], &err) ||
        truce_agent_parse(&specs[1], specs_text[1], &err) ||
        truce_negotiation_create(&ng, sp, specs, 2, &o, &err) ||
        truce_negotiation_run(ng, strtoull(seed, NULL, 10), &err))
        fail_msg("%s", err.message);
    assert_string_equal(truce_negotiation_end_reason(ng), end);
    assert_int_equal(truce_negotiation_rounds(ng), rounds);
    assert_int_equal(truce_negotiation_fault(ng), -1);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* Every row: with agent 0 it ended by its fault, at its seat, with a message holding each of
 * `parts`; without it, it is the normal negotiation of conceder and hardliner. */
static void check_rows(const char *db, const char *const *parts)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT agents, seed, end_reason, rounds, fault_seat, "
                                        "coalesce(fault_message, '') FROM negotiations "
                                        "ORDER BY job",
                                        -1, &q, NULL),
                     SQLITE_OK);
    int faulty = 0, normal = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *agents = (const char *)sqlite3_column_text(q, 0);
        const char *seed = (const char *)sqlite3_column_text(q, 1);
        const char *end = (const char *)sqlite3_column_text(q, 2);
        long rounds = (long)sqlite3_column_int64(q, 3);
        int fault_seat = sqlite3_column_type(q, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 4);
        const char *message = (const char *)sqlite3_column_text(q, 5);
        int seat = !strncmp(agents, "[0,", 3) ? 0 : strstr(agents, ",0]") ? 1 : -1;
        if (seat >= 0) {
            faulty++;
            assert_string_equal(end, "fault");
            assert_int_equal(fault_seat, seat);
            assert_contains(message, "agent '");
            for (const char *const *p = parts; *p; p++)
                assert_contains(message, *p);
        } else {
            normal++;
            assert_int_equal(fault_seat, -1);
            assert_string_equal(message, "");
            assert_normal_row(agents, seed, end, rounds);
        }
    }
    sqlite3_finalize(q);
    sqlite3_close(h);
    assert_int_equal(faulty, 4 * REPETITIONS);
    assert_int_equal(normal, 2 * REPETITIONS);
}

typedef struct misbehaviour {
    const char *spec;
    const char *parts[3];
} misbehaviour;

static void run_cases(const misbehaviour *cases, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int fds = count_fds();
        const char *db = db_path("faults.db");
        run_tournament(cases[k].spec, db);
        assert_int_equal(count_fds(), fds);
        assert_no_processes_left();
        check_rows(db, cases[k].parts);
    }
}

static void test_tournament_goes_on_after_lua_faults(void **state)
{
    (void)state;
    const misbehaviour cases[] = {
        {"lua:" AGENTS "loop.lua:max_instructions=1e5",
         {"loop.lua:", "instruction limit of 100000 per call exceeded", NULL}},
        {"lua:" AGENTS "membomb.lua:max_memory=1M",
         {"membomb.lua", "memory limit of 1048576 bytes exceeded", NULL}},
        {"lua:" AGENTS "error.lua", {"error.lua:5:", "attempt to index a nil value", NULL}},
        {"lua:" AGENTS "os_execute.lua",
         {"os_execute.lua:3:", "attempt to index a nil value (global 'os')", NULL}},
        {"lua:" AGENTS "invalid_offer.lua",
         {"invalid offer: option 99 out of range for issue 'territory'", NULL}},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_tournament_goes_on_after_program_faults(void **state)
{
    (void)state;
    /* start_timeout: a program started under valgrind or on a loaded machine may take more
     * than the default 10 s to answer 'start'; the faults tested come later */
    const misbehaviour cases[] = {
        {"proc:" AGENTS "proc_crash.sh:start_timeout=600",
         {"exited with status 3 before answering 'turn'", NULL}},
        {"proc:" AGENTS "proc_hang.sh:timeout=0.05:start_timeout=600",
         {"timed out after 0.05 s", NULL}},
        {"proc:" AGENTS "proc_garbage.sh:start_timeout=600",
         {"not a JSON object: \"this is not JSON\"", NULL}},
        {"proc:" AGENTS "proc_early_exit.sh:start_timeout=600", {"before answering 'start'", NULL}},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

/* A slow agent (index 0) against hardliner, who never agree, under a negotiation timeout of
 * 0.3 s with 1000 rounds (which would take the program 50 s): every negotiation ends with the
 * slow agent's timeout fault soon after 0.3 s, and the tournament runs all of them. */
static void run_timeout_case(const char *spec)
{
    const char *db = db_path("timeout.db");
    const char *agents[] = {spec, "hardliner"};
    const char *scenarios[] = {CEASEFIRE};
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    d.agents = agents;
    d.n_agents = 2;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    d.repetitions = 2;
    d.rounds = 1000;
    d.negotiation_timeout = 0.3;
    truce_tournament *t = NULL;
    truce_error err;
    if (truce_tournament_create(&t, &d, &err))
        fail_msg("truce_tournament_create: %s", err.message);
    assert_contains(truce_tournament_definition_json(t), "\"negotiation_timeout\":0.3");
    truce_tournament_run_options o = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    o.threads = 2;
    truce_tournament_status st;
    if (truce_tournament_run(t, db, &o, &st, &err))
        fail_msg("truce_tournament_run: %s", err.message);
    assert_int_equal(st.ran, 4);
    truce_tournament_free(t);
    assert_no_processes_left();
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT agents, end_reason, fault_seat, fault_message, "
                                        "elapsed, rounds FROM negotiations ORDER BY job",
                                        -1, &q, NULL),
                     SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        rows++;
        const char *seats = (const char *)sqlite3_column_text(q, 0);
        assert_string_equal((const char *)sqlite3_column_text(q, 1), "fault");
        assert_int_equal(sqlite3_column_int(q, 2), !strcmp(seats, "[0,1]") ? 0 : 1);
        const char *message = (const char *)sqlite3_column_text(q, 3);
        assert_contains(message, "timeout: the negotiation passed its wall-clock limit of 0.3 s");
        assert_contains(message, "the agent had used");
        /* stopped at the agent's first turn past the limit, not by the end of its 1000 rounds
         * (50 s of the program's sleeps); the bound leaves room for valgrind's slowness */
        double elapsed = sqlite3_column_double(q, 4);
        assert_true(elapsed >= 0.3 && elapsed < 20);
        assert_true(sqlite3_column_int(q, 5) < 1000);
    }
    assert_int_equal(rows, 4);
    sqlite3_finalize(q);
    sqlite3_close(h);
}

static void test_negotiation_timeout_stops_slow_agents(void **state)
{
    (void)state;
    run_timeout_case("proc:" AGENTS "proc_slow.sh");
    run_timeout_case("lua:" AGENTS "slow.lua");
}

/* `truce tournament` stopped by SIGINT while program agents run: exit 130, nothing left. */
static void test_sigint_leaves_no_agent_processes(void **state)
{
    (void)state;
    const char *db = db_path("interrupted.db");
    const char *argv[] = {TRUCE_BINARY,
                          "tournament",
                          "--quiet",
                          "--db",
                          db,
                          "--agents",
                          "proc:" TRUCE_EXAMPLES "/agents/hardliner.sh,conceder,"
                          "proc:" AGENTS "proc_hang.sh:timeout=5",
                          "--repetitions",
                          "500",
                          "--batch",
                          "1",
                          "--threads",
                          "2",
                          CEASEFIRE,
                          NULL};
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            dup2(fileno(null), 1);
            dup2(fileno(null), 2);
        }
        execv(TRUCE_BINARY, (char *const *)argv);
        _exit(127);
    }
    /* let it start its workers and their program agents */
    int agents = 0;
    for (int i = 0; i < 1000 && !agents; i++) {
        sleep_ms(5);
        agents = living_children(pid);
    }
    assert_true(agents > 0);
    sleep_ms(200);
    kill(pid, SIGINT);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    assert_no_processes_left();
    /* what finished before the stop is stored, the rest is not */
    sqlite3 *h;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM negotiations", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_true(sqlite3_column_int64(q, 0) < 3 * 2 * 500);
    sqlite3_finalize(q);
    sqlite3_close(h);
}

int main(void)
{
    /* orphans of the agents' processes become our children, so that the checks see them */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tournament_goes_on_after_lua_faults),
        cmocka_unit_test(test_tournament_goes_on_after_program_faults),
        cmocka_unit_test(test_negotiation_timeout_stops_slow_agents),
        cmocka_unit_test(test_sigint_leaves_no_agent_processes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
