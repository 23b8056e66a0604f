/* test_proc_agent.c: agents that are programs speaking JSON Lines: the example agents, and
 * programs that crash, hang, print garbage or exit early: each a fault, no process or fd left. */
#define _GNU_SOURCE /* prctl */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agents/proc_reader.h"
#include "testutil.h"

#define AGENTS TRUCE_TEST_DATA "/agents/"
#define EXAMPLES TRUCE_EXAMPLES "/agents/"

static size_t open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    size_t n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* No child of ours is left, running or unreaped. This process is a subreaper (see main), so
 * what the agents started becomes our child when they die: those already killed are reaped
 * here (they may end just after their parent was reaped), and nothing may still run. */
static void assert_no_children(void)
{
    for (int i = 0; i < 200; i++) {
        pid_t p = waitpid(-1, NULL, WNOHANG);
        if (p < 0)
            break;
        if (p == 0) {
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
    }
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

/* Our children whose command line contains `part` (a test's sleep 1000 must not survive it;
 * other tests running at the same time have their own). */
static int processes_matching(const char *part)
{
    pid_t me = getpid();
    DIR *d = opendir("/proc");
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], cmd[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        long ppid = -1;
        if (f) {
            /* pid (comm) state ppid ...: comm may hold spaces, so read after the last ')' */
            size_t len = fread(cmd, 1, sizeof cmd - 1, f);
            cmd[len] = '\0';
            fclose(f);
            char *paren = strrchr(cmd, ')');
            if (paren)
                sscanf(paren + 1, " %*c %ld", &ppid);
        }
        if (ppid != me)
            continue;
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        f = fopen(path, "r");
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

static truce_scenario *ceasefire(void)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, TRUCE_EXAMPLES "/genius/ceasefire", NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static truce_space *space_of(const truce_scenario *s)
{
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, NULL, &err))
        fail_msg("%s", err.message);
    return sp;
}

static truce_negotiation *create(const truce_space *sp, const char *a, const char *b,
                                 uint64_t rounds)
{
    truce_agent_spec specs[2];
    truce_error err;
    if (truce_agent_parse(&specs[0], a, &err) || truce_agent_parse(&specs[1], b, &err))
        fail_msg("%s", err.message);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = rounds;
    truce_negotiation *ng = NULL;
    if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err))
        fail_msg("%s", err.message);
    return ng;
}

static void run(truce_negotiation *ng, uint64_t seed)
{
    truce_error err;
    if (truce_negotiation_run(ng, seed, &err))
        fail_msg("%s", err.message);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* The shell hardliner offers its best outcome every turn: against the built-in hardliner
 * nobody moves, so the talks reach the deadline with the best outcomes in the trace. */
static void test_proc_shell_agent_negotiates(void **state)
{
    (void)state;
    size_t fds = open_fds();
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s);
    truce_negotiation *ng = create(sp, "proc:" EXAMPLES "hardliner.sh", "hardliner", 10);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        run(ng, seed);
        assert_string_equal(truce_negotiation_fault_message(ng), "");
        assert_string_equal(truce_negotiation_end_reason(ng), "deadline");
    }
    /* threshold 0: it accepts the first offer it gets */
    truce_negotiation *easy =
        create(sp, "hardliner", "proc:sh " EXAMPLES "hardliner.sh:threshold=0", 10);
    run(easy, 1);
    assert_string_equal(truce_negotiation_end_reason(easy), "agreement");
    assert_int_equal(truce_negotiation_rounds(easy), 1);
    truce_negotiation_free(easy);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
    assert_no_children();
    assert_int_equal(open_fds(), fds);
}

/* The Python example concedes linearly from its best utility: with e=1 against a hardliner
 * it accepts the hardliner's best offer once its target falls to that offer's utility. */
static void test_proc_python_agent_negotiates(void **state)
{
    (void)state;
    if (system("python3 -c 'import json, itertools' 2>/dev/null") != 0)
        skip();
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = 4;
    g.seed = 3;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_generate(&s, &g, &err))
        fail_msg("%s", err.message);
    truce_space *sp = space_of(s);
    truce_negotiation *ng =
        create(sp, "proc:python3 " EXAMPLES "time_dependent.py:e=1", "hardliner", 100);
    run(ng, 1);
    assert_string_equal(truce_negotiation_fault_message(ng), "");
    assert_string_equal(truce_negotiation_end_reason(ng), "agreement");
    /* the hardliner's best outcome, accepted by the Python agent (seat 0) at the first round
     * r whose time t = r/101 (the GENIUS clock) has best - (best - reservation) t <= u(offer):
     * computed here by hand */
    const uint32_t *o = truce_negotiation_outcome(ng);
    double u = truce_utility(s, 0, o), best = 0, r = truce_party_reservation(s, 0);
    size_t ni = truce_scenario_issue_count(s);
    uint32_t x[16] = {0};
    assert_true(ni <= 16);
    for (;;) { /* its best utility, by brute force */
        double v = truce_utility(s, 0, x);
        best = v > best ? v : best;
        size_t i = 0;
        while (i < ni && ++x[i] == truce_issue_option_count(s, i))
            x[i++] = 0;
        if (i == ni)
            break;
    }
    uint64_t expected = 0;
    for (uint64_t round = 2; round <= 100 && !expected; round++) {
        double t = (double)round / 101.0;
        if (u >= best - (best - r) * t && u >= r)
            expected = round;
    }
    assert_int_equal(truce_negotiation_rounds(ng), expected);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
    assert_no_children();
}

typedef struct bad_case {
    const char *spec;
    const char *part;
} bad_case;

static void test_proc_misbehaving_programs_are_at_fault_and_reaped(void **state)
{
    (void)state;
    size_t fds = open_fds();
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s);
    const bad_case cases[] = {
        {"proc:" AGENTS "proc_crash.sh", "exited with status 3 before answering 'turn'"},
        {"proc:" AGENTS "proc_hang.sh:timeout=0.3", "timed out after 0.3 s"},
        {"proc:" AGENTS "proc_garbage.sh", "not a JSON object: \"this is not JSON\""},
        {"proc:" AGENTS "proc_early_exit.sh", "exited with status 0"}, /* while sending or before the answer to 'start': a race */
        {"proc:" AGENTS "proc_bad_version.sh", "it speaks protocol 99, truce speaks 1"},
        {"proc:" AGENTS "proc_invalid_offer.sh",
         "invalid offer: option 99 out of range for issue 'territory' (options 0 to 3)"},
        {"proc:" AGENTS "proc_ignore_input.sh:start_timeout=0.3", "timed out after 0.3 s"},
        /* what left its process group and session (setsid, a double fork) dies too */
        {"proc:" AGENTS "proc_escape.sh:timeout=0.3", "timed out after 0.3 s"},
        /* a line streamed without a pause: the time limit holds (it was checked only when the
         * output paused, and the line searched whole after every read) */
        {"proc:" AGENTS "proc_stream.sh:timeout=0.5:max_message_bytes=1e12", "timed out after 0.5 s"},
    };
    truce_negotiation *good = create(sp, "proc:" EXAMPLES "hardliner.sh", "conceder", 100);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        truce_negotiation *ng = create(sp, cases[k].spec, "conceder", 100);
        double start = seconds();
        run(ng, 1);
        assert_true(seconds() - start < 5);
        assert_int_equal(truce_negotiation_fault(ng), 0);
        assert_string_equal(truce_negotiation_end_reason(ng), "fault");
        assert_contains(truce_negotiation_fault_message(ng), cases[k].part);
        /* the same handle runs again from a fresh process */
        run(ng, 2);
        assert_contains(truce_negotiation_fault_message(ng), cases[k].part);
        truce_negotiation_free(ng);
        assert_no_children();
        /* and the next negotiation goes on as usual */
        run(good, k);
        assert_int_equal(truce_negotiation_fault(good), -1);
    }
    truce_negotiation_free(good);
    truce_space_free(sp);
    truce_scenario_free(s);
    assert_no_children();
    assert_int_equal(open_fds(), fds);
    /* the sleeps the hanging scripts started died with them (their process group), and so
     * did what left it */
    assert_int_equal(processes_matching("sleep 1000"), 0);
    assert_int_equal(processes_matching("proc_escape.sh"), 0);
}

/* When truce itself dies (kill -9 in the middle of a turn), the agent and everything it
 * started end too: its keeper sees truce's end of a pipe close. */
static void test_proc_agents_die_with_truce(void **state)
{
    (void)state;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        truce_scenario *s = ceasefire();
        truce_space *sp = space_of(s);
        truce_negotiation *ng = create(sp, "proc:" AGENTS "proc_escape.sh:timeout=600", "conceder",
                                       100);
        run(ng, 1); /* waits 600 s for the answer */
        _exit(0);
    }
    struct timespec wait = {1, 500000000};
    nanosleep(&wait, NULL);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    /* orphans come to us (a subreaper): give the keeper a moment, reaping what ends */
    double until = seconds() + 10;
    while (processes_matching("proc_escape.sh") > 0 && seconds() < until) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        struct timespec pause = {0, 20000000};
        nanosleep(&pause, NULL);
    }
    assert_int_equal(processes_matching("proc_escape.sh"), 0);
    assert_no_children();
}

/* A program may neither offer nor accept what its own party's hard condition forbids; "start"
 * lists the options it allows and "turn" says when the offer is vetoed. */
static void test_proc_offering_or_accepting_a_vetoed_outcome_is_a_fault(void **state)
{
    (void)state;
    const char *yaml =
        "truce: 1\nname: border\nissues:\n"
        "  - id: border\n    options: [old-line, new-line, buffer-zone]\n"
        "  - id: aid\n    options: [none, some, much]\n"
        "parties:\n"
        "  - id: north\n    weights: {border: 1}\n    values: {border: {new-line: 1}}\n"
        "    hard_conditions:\n"
        "      - {id: no-buffer, require: {border: [old-line, new-line]}}\n"
        "  - id: south\n    weights: {border: 1}\n    values: {border: {buffer-zone: 1}}\n";
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, temp_file("border.yaml", yaml), NULL, &err))
        fail_msg("%s", err.message);
    truce_space *sp = space_of(s);
    const char *why = "north's own hard condition 'no-buffer' (requires border = old-line or "
                      "new-line; the outcome has border = buffer-zone)";
    truce_negotiation *ng = create(sp, "proc:" AGENTS "proc_vetoed_offer.sh", "conceder", 20);
    run(ng, 1);
    assert_int_equal(truce_negotiation_fault(ng), 0);
    assert_int_equal(truce_negotiation_rounds(ng), 1);
    assert_contains(truce_negotiation_fault_message(ng), "offered an outcome that breaks ");
    assert_contains(truce_negotiation_fault_message(ng), why);
    truce_negotiation_free(ng);
    /* the hardliner offers the buffer zone in round 1; the program accepts it in round 2 */
    ng = create(sp, "proc:" AGENTS "proc_accept_vetoed.sh", "hardliner", 20);
    run(ng, 1);
    assert_int_equal(truce_negotiation_fault(ng), 0);
    assert_int_equal(truce_negotiation_rounds(ng), 2);
    assert_contains(truce_negotiation_fault_message(ng), "accepted an outcome that breaks ");
    assert_contains(truce_negotiation_fault_message(ng), why);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
    assert_no_children();
}

/* max_message_bytes (truce_limits' default, or the agent parameter): a longer line is the
 * program's fault, found as soon as that many bytes arrived without a newline. */
static void test_proc_max_message_bytes(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s);
    /* hardliner.sh's longest line is its handshake,
     * {"type":"ready","protocol":1,"name":"hardliner.sh"}: 51 bytes */
    truce_negotiation *ng =
        create(sp, "proc:" EXAMPLES "hardliner.sh:max_message_bytes=51", "conceder", 20);
    run(ng, 1);
    assert_int_equal(truce_negotiation_fault(ng), -1);
    truce_negotiation_free(ng);
    ng = create(sp, "proc:" EXAMPLES "hardliner.sh:max_message_bytes=50", "conceder", 20);
    run(ng, 1);
    assert_int_equal(truce_negotiation_fault(ng), 0);
    assert_contains(truce_negotiation_fault_message(ng),
                    "sent a message longer than the limit max_message_bytes = 50 bytes "
                    "(answering 'start'; raise it with the agent parameter max_message_bytes=N)");
    truce_negotiation_free(ng);
    /* an unfinished line: no waiting for the rest, nor for the timeout */
    ng = create(sp, "proc:" AGENTS "proc_long_line.sh:max_message_bytes=1000:start_timeout=60",
                "conceder", 20);
    double start = seconds();
    run(ng, 1);
    assert_true(seconds() - start < 30);
    assert_int_equal(truce_negotiation_fault(ng), 0);
    assert_contains(truce_negotiation_fault_message(ng), "max_message_bytes = 1000 bytes");
    truce_negotiation_free(ng);
    assert_no_children();
    /* not a whole number of bytes >= 1: refused when the negotiation is made */
    const char *bad[] = {"proc:" EXAMPLES "hardliner.sh:max_message_bytes=0",
                         "proc:" EXAMPLES "hardliner.sh:max_message_bytes=2.5",
                         "proc:" EXAMPLES "hardliner.sh:max_message_bytes=lots"};
    for (size_t k = 0; k < 3; k++) {
        truce_agent_spec specs[2];
        truce_error err;
        assert_int_equal(truce_agent_parse(&specs[0], bad[k], &err), 0);
        assert_int_equal(truce_agent_parse(&specs[1], "conceder", &err), 0);
        truce_negotiation *none = NULL;
        assert_int_equal(truce_negotiation_create(&none, sp, specs, 2, NULL, &err), TRUCE_EINVAL);
        assert_null(none);
        assert_contains(err.message, "is not a whole number of bytes >= 1");
    }
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_proc_bad_commands_fail_at_create(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s);
    truce_agent_spec specs[2];
    truce_error err;
    truce_negotiation *ng = NULL;
    assert_int_equal(truce_agent_parse(&specs[1], "conceder", &err), 0);
    assert_int_equal(truce_agent_parse(&specs[0], "proc:" AGENTS "no_such_program", &err), 0);
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, NULL, &err), TRUCE_ENOTFOUND);
    assert_contains(err.message, "not an executable program");
    assert_int_equal(truce_agent_parse(&specs[0], "proc:no-such-program-on-path", &err), 0);
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, NULL, &err), TRUCE_ENOTFOUND);
    assert_int_equal(truce_agent_parse(&specs[0], "proc:sh:timeout=0", &err), 0);
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, NULL, &err), TRUCE_EINVAL);
    assert_contains(err.message, "timeout=0");
    assert_int_equal(truce_agent_parse(&specs[0], "proc", &err), TRUCE_EINVAL);
    assert_contains(err.message, "needs a command");
    assert_null(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
    assert_no_children();
}

/* A hanging process in the middle of a run is killed when the negotiation is freed. */
static void test_proc_free_reaps_processes(void **state)
{
    (void)state;
    size_t fds = open_fds();
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s);
    for (int k = 0; k < 3; k++) {
        truce_negotiation *ng = create(sp, "proc:" AGENTS "proc_hang.sh:timeout=0.2",
                                       "proc:" EXAMPLES "hardliner.sh", 10);
        run(ng, 1);
        assert_int_equal(truce_negotiation_fault(ng), 0);
        truce_negotiation_free(ng);
    }
    truce_space_free(sp);
    truce_scenario_free(s);
    assert_no_children();
    assert_int_equal(open_fds(), fds);
}

static void test_proc_review_in_mediation(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, TRUCE_EXAMPLES "/seed/truce-talks.yaml", NULL, &err))
        fail_msg("%s", err.message);
    size_t n = truce_scenario_party_count(s);
    truce_agent_spec *specs = calloc(n, sizeof *specs);
    int ukraine = truce_party_find(s, "ukraine");
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.agents = specs;
    /* the shell hardliner accepts every draft it reviews */
    assert_int_equal(truce_agent_parse(&specs[ukraine], "proc:" EXAMPLES "hardliner.sh", &err), 0);
    truce_mediation *m = NULL;
    if (truce_mediate(&m, s, &o, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_mediation_fault(m), -1);
    truce_mediation_free(m);
    /* a crashing program is at fault */
    assert_int_equal(truce_agent_parse(&specs[ukraine], "proc:" AGENTS "proc_crash.sh", &err), 0);
    if (truce_mediate(&m, s, &o, &err))
        fail_msg("%s", err.message);
    assert_string_equal(truce_mediation_end(m), "fault");
    assert_int_equal(truce_mediation_fault(m), ukraine);
    assert_contains(truce_mediation_reason(m), "exited with status 3 before answering 'review'");
    truce_mediation_free(m);
    free(specs);
    truce_scenario_free(s);
    assert_no_children();
}

/* ---- the line reader alone, with a fake clock and a fake program ---- */

/* A program that streams a line: every read gets up to `piece` bytes of 'x' until `line` bytes
 * were sent, then "\n" and `after` (or nothing more, `endless`: 'x' for ever, up to `cap`);
 * the clock moves `tick` seconds per read and `per_byte` seconds per byte the reader searched. */
typedef struct fake_program {
    size_t piece, line, sent, cap;
    const char *after;
    int endless, after_sent, dry; /* dry: EAGAIN on every read, the wait times out */
    double clock, tick, per_byte;
    unsigned long reads, waits;
    const proc_reader *r;
} fake_program;

static ssize_t fake_read(void *payload, void *buf, size_t size)
{
    fake_program *f = payload;
    f->reads++;
    f->clock += f->tick;
    if (f->dry) {
        errno = EAGAIN;
        return -1;
    }
    if (f->endless ? f->sent >= f->cap : f->sent >= f->line) {
        if (f->endless || f->after_sent)
            return 0;
        size_t n = strlen(f->after);
        assert_true(n + 1 <= size);
        ((char *)buf)[0] = '\n';
        memcpy((char *)buf + 1, f->after, n);
        f->after_sent = 1;
        return (ssize_t)n + 1;
    }
    size_t n = size < f->piece ? size : f->piece;
    if (!f->endless && n > f->line - f->sent)
        n = f->line - f->sent;
    memset(buf, 'x', n);
    f->sent += n;
    return (ssize_t)n;
}

static int fake_wait(void *payload, double seconds)
{
    fake_program *f = payload;
    f->waits++;
    f->clock += seconds; /* nothing comes */
    return 0;
}

static double fake_now(void *payload)
{
    fake_program *f = payload;
    return f->clock + f->per_byte * (double)f->r->searched;
}

/* The audit's case: a program streams one long line without a pause (max_message_bytes raised),
 * so the time limit must hold between reads that succeed, not only when a read would block. The
 * reader before the audit looked at the clock only when the output paused: here it reads the
 * whole stream to its end and reports the program closed its output. */
static void test_proc_reader_deadline_holds_while_bytes_keep_coming(void **state)
{
    (void)state;
    proc_reader r = {0};
    fake_program f = {.piece = 4096, .endless = 1, .cap = (size_t)64 << 20, .tick = 0.001};
    f.r = &r;
    const proc_reader_io io = {fake_read, fake_wait, fake_now, &f};
    char *line = NULL;
    /* deadline 0.5 s, a read every 1 ms: about 500 reads; the stream would last 16384 */
    assert_int_equal(proc_reader_line(&r, &io, 0.5, UINT64_MAX, &line), PROC_READ_TIMEOUT);
    assert_in_range(f.reads, 499, 501);
    assert_int_equal(f.waits, 0);
    proc_reader_reset(&r, 0);
    /* a program that says nothing: the wait times out */
    fake_program quiet = {.dry = 1};
    quiet.r = &r;
    const proc_reader_io io2 = {fake_read, fake_wait, fake_now, &quiet};
    assert_int_equal(proc_reader_line(&r, &io2, 2.0, UINT64_MAX, &line), PROC_READ_TIMEOUT);
    assert_int_equal(quiet.reads, 1);
    assert_int_equal(quiet.waits, 1);
    proc_reader_reset(&r, 0);
}

/* Each byte of a long line is searched for its newline once: the reader before the audit
 * searched the whole buffer again after every 64 KB read, quadratic work that made a 10 s limit
 * take 30 s (the time went to the search, and the clock was not read while the data flowed).
 * Here the clock counts the search's work (1 ns a byte), as the real clock did. */
static void test_proc_reader_searches_each_byte_once(void **state)
{
    (void)state;
    proc_reader r = {0};
    const size_t line_bytes = (size_t)8 << 20;
    fake_program f = {.piece = 65536, .line = line_bytes, .after = "{\"b\":2}\n", .per_byte = 1e-9};
    f.r = &r;
    const proc_reader_io io = {fake_read, fake_wait, fake_now, &f};
    char *line = NULL;
    assert_int_equal(proc_reader_line(&r, &io, 1.0, UINT64_MAX, &line), PROC_READ_LINE);
    assert_int_equal(r.line_len, line_bytes);
    assert_int_equal(strlen(line), line_bytes);
    /* the line, its newline and what came in the same read: nothing twice */
    assert_true(r.searched <= line_bytes + 1 + strlen(f.after));
    proc_reader_consume(&r);
    uint64_t before = r.searched;
    assert_int_equal(proc_reader_line(&r, &io, 1.0, UINT64_MAX, &line), PROC_READ_LINE);
    assert_string_equal(line, "{\"b\":2}");
    assert_true(r.searched - before <= strlen(f.after));
    proc_reader_consume(&r);
    /* then the end of the output */
    assert_int_equal(proc_reader_line(&r, &io, 1.0, UINT64_MAX, &line), PROC_READ_CLOSED);
    proc_reader_reset(&r, 0);
    /* and the length limit counts the line, not the reads */
    fake_program g = {.piece = 1000, .line = 5000, .after = ""};
    g.r = &r;
    const proc_reader_io io2 = {fake_read, fake_wait, fake_now, &g};
    assert_int_equal(proc_reader_line(&r, &io2, 1.0, 4999, &line), PROC_READ_TOO_LONG);
    proc_reader_reset(&r, 0);
    fake_program h = {.piece = 1000, .line = 5000, .after = ""};
    h.r = &r;
    const proc_reader_io io3 = {fake_read, fake_wait, fake_now, &h};
    assert_int_equal(proc_reader_line(&r, &io3, 1.0, 5000, &line), PROC_READ_LINE);
    assert_int_equal(r.line_len, 5000);
    proc_reader_reset(&r, 0);
}

int main(void)
{
    /* orphans of the agents' processes become our children, so that the checks see them */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proc_reader_deadline_holds_while_bytes_keep_coming),
        cmocka_unit_test(test_proc_reader_searches_each_byte_once),
        cmocka_unit_test(test_proc_shell_agent_negotiates),
        cmocka_unit_test(test_proc_python_agent_negotiates),
        cmocka_unit_test(test_proc_misbehaving_programs_are_at_fault_and_reaped),
        cmocka_unit_test(test_proc_bad_commands_fail_at_create),
        cmocka_unit_test(test_proc_max_message_bytes),
        cmocka_unit_test(test_proc_offering_or_accepting_a_vetoed_outcome_is_a_fault),
        cmocka_unit_test(test_proc_free_reaps_processes),
        cmocka_unit_test(test_proc_agents_die_with_truce),
        cmocka_unit_test(test_proc_review_in_mediation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
