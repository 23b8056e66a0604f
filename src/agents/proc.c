/* proc.c: agents that are programs in any language (proc:COMMAND:key=value), spoken to in
 * JSON Lines over their stdin and stdout (docs/agent-protocol.md), with time limits. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "external.h"
#include "keeper.h"
#include "proc_message.h"
#include "proc_reader.h"

#define PROTOCOL_VERSION PROC_PROTOCOL_VERSION
#define DEFAULT_TIMEOUT 2.0
#define DEFAULT_START_TIMEOUT 10.0
#define DEFAULT_GRACE 1.0
#define MAX_ARGS 64

typedef struct proc_agent {
    const truce_space *sp;
    const truce_scenario *s;
    size_t party, ni, n_parties;
    uint64_t max_rounds, seed;
    char command[1024];
    const char *agent_params; /* "key=value:..." after the command, borrowed from the setup */
    double timeout, start_timeout, grace;
    uint64_t max_message_bytes; /* truce_limits.max_message_bytes, or the spec's parameter */
    int failed, out_of_memory;
    keeper k; /* the program runs under it; k.pid > 0 while it runs */
    int to_child, from_child;
    proc_reader in; /* the program's output read and not yet consumed */
    json_t *events; /* actions since the agent's last turn */
    char message[600];
} proc_agent;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(proc_agent *a, const char *fmt, ...) TRUCE_PRINTF(2, 3);

static int fail(proc_agent *a, const char *fmt, ...)
{
    char text[380];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    snprintf(a->message, sizeof a->message, "proc:%.200s: %s", a->command, text);
    a->failed = 1;
    return TRUCE_EINVAL;
}

/* ---- the child process ---- */

/* Split the command at spaces into argv (pointing into buf). */
static int split_command(const char *command, char *buf, size_t size, char **argv)
{
    snprintf(buf, size, "%s", command);
    int n = 0;
    for (char *tok = strtok(buf, " \t"); tok && n < MAX_ARGS; tok = strtok(NULL, " \t"))
        argv[n++] = tok;
    argv[n] = NULL;
    return n;
}

/* The file argv0 names, directly (with a slash) or through PATH, into out: 1 when it is an
 * executable file. */
static int resolve_program(const char *argv0, char *out, size_t size)
{
    if (strchr(argv0, '/')) {
        snprintf(out, size, "%s", argv0);
        return access(argv0, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        snprintf(out, size, "%.*s/%s", (int)len, len ? p : ".", argv0);
        struct stat st;
        if (access(out, X_OK) == 0 && stat(out, &st) == 0 && S_ISREG(st.st_mode))
            return 1;
        if (!colon)
            break;
        p = colon + 1;
    }
    return 0;
}

static int spawn(proc_agent *a)
{
    char buf[sizeof a->command];
    char *argv[MAX_ARGS + 1];
    if (split_command(a->command, buf, sizeof buf, argv) == 0)
        return fail(a, "empty command");
    char program[4096];
    if (!resolve_program(argv[0], program, sizeof program))
        return fail(a, "cannot start '%s': %s", argv[0], strerror(ENOENT));
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
        int e = errno;
        if (in[0] >= 0) {
            close(in[0]);
            close(in[1]);
        }
        return fail(a, "cannot create pipes: %s", strerror(e));
    }
    int rc = keeper_start(&a->k, program, argv, in[0], out[1]);
    close(in[0]);
    close(out[1]);
    if (rc) {
        close(in[1]);
        close(out[0]);
        return fail(a, "cannot start '%s': %s", argv[0], strerror(rc));
    }
    fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
    a->to_child = in[1];
    a->from_child = out[0];
    proc_reader_reset(&a->in, 1);
    return 0;
}

/* How the child ended, when it has within `wait` seconds: "exited with status 3", "was killed
 * by signal 9" (its keeper tells). */
static void describe_exit(proc_agent *a, char *buf, size_t size, double wait)
{
    int status;
    if (!keeper_exit_status(&a->k, wait, &status))
        return;
    if (WIFEXITED(status))
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "was killed by signal %d", WTERMSIG(status));
}

/* End the child and everything it started (its keeper kills even what left its process group
 * or session), close our pipe ends. */
static void stop(proc_agent *a)
{
    if (a->k.pid <= 0)
        return;
    keeper_stop(&a->k);
    if (a->to_child >= 0)
        close(a->to_child);
    close(a->from_child);
}

/* ---- messages ---- */

static int write_all(proc_agent *a, const char *buf, size_t len, double deadline, const char *what)
{
    /* a closed pipe must give EPIPE, not kill the host process with SIGPIPE */
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);
    int rc = 0;
    while (len > 0 && rc == 0) {
        if (now() >= deadline) {
            rc = fail(a, "timed out after %g s: it does not read its input (%s)",
                      what[0] == 's' ? a->start_timeout : a->timeout, what);
            break;
        }
        ssize_t n = write(a->to_child, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            double left = deadline - now();
            struct pollfd p = {a->to_child, POLLOUT, 0};
            if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) == 0)
                rc = fail(a, "timed out after %g s: it does not read its input (%s)",
                          what[0] == 's' ? a->start_timeout : a->timeout, what);
            continue;
        }
        /* the same words as when reading finds the end of its output: which of the two sees
         * that it is gone first is a race */
        char how[128] = "closed its input";
        describe_exit(a, how, sizeof how, 0.2);
        rc = fail(a, "%s before answering '%s'", how, what);
    }
    if (!was_pending) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int send_message(proc_agent *a, json_t *msg, double deadline, const char *what)
{
    char *text = msg ? json_dumps(msg, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(msg);
    if (!text) {
        snprintf(a->message, sizeof a->message, "proc:%.200s: out of memory", a->command);
        return TRUCE_ENOMEM;
    }
    size_t len = strlen(text);
    text[len] = '\n';
    int rc = write_all(a, text, len + 1, deadline, what);
    free(text);
    return rc;
}

static ssize_t child_read(void *payload, void *buf, size_t size)
{
    return read(((proc_agent *)payload)->from_child, buf, size);
}

static int child_wait(void *payload, double seconds)
{
    struct pollfd p = {((proc_agent *)payload)->from_child, POLLIN, 0};
    return poll(&p, 1, (int)(seconds * 1000) + 1) != 0;
}

static double clock_now(void *payload)
{
    (void)payload;
    return now();
}

/* Read one line (without its newline) into *line, valid until the next read. */
static int read_line(proc_agent *a, char **line, double deadline, double limit, const char *what)
{
    const proc_reader_io io = {child_read, child_wait, clock_now, a};
    switch (proc_reader_line(&a->in, &io, deadline, a->max_message_bytes, line)) {
    case PROC_READ_LINE:
        return 0;
    case PROC_READ_TOO_LONG:
        return fail(a,
                    "sent a message longer than the limit max_message_bytes = %llu bytes "
                    "(answering '%s'; raise it with the agent parameter max_message_bytes=N)",
                    (unsigned long long)a->max_message_bytes, what);
    case PROC_READ_TIMEOUT:
        return fail(a, "timed out after %g s waiting for the answer to '%s'", limit, what);
    case PROC_READ_NOMEM:
        snprintf(a->message, sizeof a->message, "proc:%.200s: out of memory", a->command);
        return TRUCE_ENOMEM;
    case PROC_READ_CLOSED:
        break;
    }
    char how[128] = "closed its output";
    describe_exit(a, how, sizeof how, 0.2);
    return fail(a, "%s before answering '%s'", how, what);
}

/* Send msg and check the answer, the message `expect` (proc_message.c), into *answer. */
static int exchange(proc_agent *a, json_t *msg, const char *what, double limit, proc_expect expect,
                    int has_offer, proc_answer *answer)
{
    double deadline = now() + limit;
    int rc = send_message(a, msg, deadline, what);
    char *line = NULL;
    if (rc || (rc = read_line(a, &line, deadline, limit, what)))
        return rc;
    char why[360];
    rc = proc_message_check(line, a->in.line_len, expect, a->s, has_offer, answer, why, sizeof why);
    if (rc)
        return fail(a, "%s", why);
    proc_reader_consume(&a->in);
    return 0;
}

static json_t *outcome_json(const proc_agent *a, const uint32_t *o)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < a->ni; i++)
        json_array_append_new(arr, json_integer(o[i]));
    return arr;
}

static json_t *utility_json(const proc_agent *a)
{
    const party *pt = &a->s->parties[a->party];
    if (pt->kind != TRUCE_PROFILE_LINEAR || !pt->table)
        return json_pack("{s:s}", "kind", "opaque");
    json_t *values = json_array();
    for (size_t i = 0; values && i < a->ni; i++) {
        json_t *row = json_array();
        for (uint32_t k = 0; row && k < a->s->issues[i].n_options; k++)
            json_array_append_new(row, json_real(pt->table[a->s->option_offset[i] + k]));
        json_array_append_new(values, row);
    }
    return json_pack("{s:s,s:o}", "kind", "additive", "values", values);
}

/* Per issue, the option indices the party's own hard conditions allow (all of them when it
 * has none): an outcome is allowed exactly when each of its options is. */
static json_t *allowed_json(const proc_agent *a)
{
    const unsigned char *allowed = a->s->parties[a->party].allowed;
    json_t *issues = json_array();
    for (size_t i = 0; issues && i < a->ni; i++) {
        json_t *options = json_array();
        for (uint32_t k = 0; options && k < a->s->issues[i].n_options; k++)
            if (!allowed || allowed[a->s->option_offset[i] + k])
                json_array_append_new(options, json_integer(k));
        json_array_append_new(issues, options);
    }
    return issues;
}

static json_t *start_message(const proc_agent *a)
{
    const truce_scenario *s = a->s;
    json_t *parties = json_array(), *issues = json_array(), *params = json_object();
    for (size_t p = 0; parties && p < s->n_parties; p++)
        json_array_append_new(parties, json_string(s->parties[p].name));
    for (size_t i = 0; issues && i < a->ni; i++) {
        json_t *labels = json_array();
        for (uint32_t k = 0; labels && k < s->issues[i].n_options; k++) {
            char label[512];
            truce_issue_option_label(s, i, k, label, sizeof label);
            json_array_append_new(labels, json_string(label));
        }
        json_array_append_new(issues,
                              json_pack("{s:s,s:o}", "name", s->issues[i].name, "options", labels));
    }
    const char *cursor = a->agent_params;
    external_param p;
    while (params && external_next_param(&cursor, &p, "proc", NULL) == 1) {
        if (!strcmp(p.key, "timeout") || !strcmp(p.key, "start_timeout") ||
            !strcmp(p.key, "grace") || !strcmp(p.key, "max_message_bytes"))
            continue;
        double d;
        json_object_set_new(params, p.key,
                            external_number(p.value, 0, &d) == 0 ? json_real(d)
                                                                 : json_string(p.value));
    }
    const party *pt = &s->parties[a->party];
    return json_pack("{s:s,s:i,s:s,s:s,s:i,s:o,s:o,s:o,s:f,s:f,s:I,s:I,s:o,s:f,s:o,s:o}", "type",
                     "start", "protocol", PROTOCOL_VERSION, "truce", truce_version(), "party",
                     pt->name, "party_index", (int)a->party, "parties", parties, "issues", issues,
                     "utility", utility_json(a), "reservation", pt->reservation, "discount",
                     pt->discount, "max_rounds", (json_int_t)a->max_rounds, "seed",
                     (json_int_t)(a->seed >> 1), "best",
                     outcome_json(a, &a->sp->best[a->party * a->ni]), "best_utility",
                     a->sp->best_u[a->party], "params", params, "allowed", allowed_json(a));
}

/* Start the program and shake hands: "start" answered by "ready" with our protocol version. */
static int ensure_started(proc_agent *a)
{
    if (a->failed)
        return TRUCE_EINVAL;
    if (a->k.pid > 0)
        return 0;
    int rc = spawn(a);
    proc_answer answer;
    memset(&answer, 0, sizeof answer);
    if (rc ||
        (rc = exchange(a, start_message(a), "start", a->start_timeout, PROC_READY, 0, &answer)))
        return rc;
    return 0;
}

/* ---- the agent class ---- */

/* Every run has its own process: the end of a run stops it; nothing else is kept. */
static void proc_release(void *state, int final, void *payload)
{
    (void)payload;
    (void) final;
    proc_agent *a = state;
    if (a->k.pid > 0 && !a->failed) {
        /* say goodbye, then give it `grace` seconds to exit on its own (its
         * output reaching end of file) before it is killed */
        double deadline = now() + a->grace;
        if (send_message(a, json_pack("{s:s}", "type", "end"), deadline, "end") == 0) {
            close(a->to_child);
            a->to_child = -1;
            char sink[4096];
            for (;;) {
                ssize_t n = read(a->from_child, sink, sizeof sink);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                    break;
                double left = deadline - now();
                struct pollfd p = {a->from_child, POLLIN, 0};
                if (n < 0 && errno == EAGAIN &&
                    (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) == 0))
                    break;
            }
        }
    }
    stop(a);
    proc_reader_reset(&a->in, 0);
    json_decref(a->events);
    a->events = NULL;
}

static int parse_params(proc_agent *a, const char *params, truce_error *err)
{
    const char *rest = external_head(params, a->command, sizeof a->command);
    if (!rest)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "proc",
                         "agent 'proc' needs a command, as in proc:./my_agent:timeout=5");
    a->agent_params = rest;
    a->timeout = DEFAULT_TIMEOUT;
    a->start_timeout = DEFAULT_START_TIMEOUT;
    a->grace = DEFAULT_GRACE;
    truce_limits limits = TRUCE_LIMITS_INIT;
    a->max_message_bytes = limits.max_message_bytes;
    external_param p;
    int rc;
    while ((rc = external_next_param(&rest, &p, "proc", err)) == 1) {
        if (!strcmp(p.key, "max_message_bytes")) {
            double d;
            if (external_number(p.value, 0, &d) || d < 1 || d > 1e15 || d != (double)(uint64_t)d)
                return error_set(err, TRUCE_EINVAL, NULL, 0, "proc",
                                 "agent 'proc': max_message_bytes=%s is not a whole number of "
                                 "bytes >= 1",
                                 p.value);
            a->max_message_bytes = (uint64_t)d;
            continue;
        }
        double *slot = !strcmp(p.key, "timeout")         ? &a->timeout
                       : !strcmp(p.key, "start_timeout") ? &a->start_timeout
                       : !strcmp(p.key, "grace")         ? &a->grace
                                                         : NULL;
        double d;
        if (slot && (external_number(p.value, 0, &d) || d < 0.001 || d > 86400))
            return error_set(err, TRUCE_EINVAL, NULL, 0, "proc",
                             "agent 'proc': %s=%s is not a number of seconds from 0.001 to "
                             "86400",
                             p.key, p.value);
        if (slot)
            *slot = d;
    }
    return rc;
}

static int proc_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    proc_agent *a = state;
    memset(a, 0, sizeof *a); /* release left nothing to keep */
    int rc = parse_params(a, setup->params, err);
    if (rc)
        return rc;
    char buf[sizeof a->command];
    char *argv[MAX_ARGS + 1];
    char program[4096];
    if (split_command(a->command, buf, sizeof buf, argv) == 0 ||
        !resolve_program(argv[0], program, sizeof program))
        return error_set(err, TRUCE_ENOTFOUND, NULL, 0, "command",
                         "agent 'proc:%s': '%s' is not an executable program (give a path or a "
                         "program on PATH)",
                         a->command, argv[0] ? argv[0] : "");
    a->sp = setup->space;
    a->s = setup->space->s;
    a->party = setup->party;
    a->ni = a->s->n_issues;
    a->n_parties = setup->n_parties;
    a->max_rounds = setup->max_rounds;
    a->seed = setup->seed;
    a->events = json_array();
    return a->events ? 0 : error_nomem(err);
}

static int proc_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    proc_agent *a = state;
    int rc = ensure_started(a);
    if (rc)
        return rc;
    if (a->out_of_memory) {
        snprintf(a->message, sizeof a->message, "proc:%.200s: out of memory", a->command);
        return TRUCE_ENOMEM;
    }
    json_t *msg = json_pack(
        "{s:s,s:I,s:f,s:o,s:o,s:o,s:b,s:O}", "type", "turn", "round", (json_int_t)turn->round,
        "time", turn->time, "offer", turn->offer ? outcome_json(a, turn->offer) : json_null(),
        "from", turn->offer ? json_string(a->s->parties[turn->offer_from].name) : json_null(),
        "utility", turn->offer ? json_real(turn->offer_utility) : json_null(), "vetoed",
        turn->offer && turn->offer_vetoed, "events", a->events);
    json_array_clear(a->events);
    proc_answer answer = {TRUCE_ACTION_END, offer, NULL};
    if ((rc = exchange(a, msg, "turn", a->timeout, PROC_ACTION, turn->offer != NULL, &answer)))
        return rc;
    *kind = answer.action;
    return 0;
}

static void proc_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    proc_agent *a = state;
    if (!a->events)
        return;
    const char *type = ev->kind == TRUCE_ACTION_OFFER    ? "offer"
                       : ev->kind == TRUCE_ACTION_ACCEPT ? "accept"
                                                         : "end";
    json_t *e =
        json_pack("{s:s,s:s,s:I,s:f,s:o}", "type", type, "actor", a->s->parties[ev->actor].name,
                  "round", (json_int_t)ev->round, "time", ev->time, "outcome",
                  ev->offer ? outcome_json(a, ev->offer) : json_null());
    if (!e || json_array_append_new(a->events, e))
        a->out_of_memory = 1;
}

static const char *proc_fault_message(const void *state, void *payload)
{
    (void)payload;
    return ((const proc_agent *)state)->message;
}

static int proc_review(void *state, const truce_draft *draft, truce_review *answer, void *payload)
{
    (void)payload;
    proc_agent *a = state;
    int rc = ensure_started(a);
    if (rc)
        return rc;
    json_t *msg = json_pack("{s:s,s:i,s:f,s:o,s:f,s:f,s:b}", "type", "review", "iteration",
                            (int)draft->iteration, "time", draft->time, "draft",
                            outcome_json(a, draft->outcome), "utility", draft->utility,
                            "reservation", draft->reservation, "vetoed", draft->vetoed);
    proc_answer reply = {TRUCE_ACTION_END, NULL, answer};
    return exchange(a, msg, "review", a->timeout, PROC_REVIEW, 0, &reply);
}

const truce_agent_class agent_proc_class = {
    "proc",       sizeof(proc_agent), NULL,       proc_init, proc_act, proc_observe, NULL,
    proc_release, proc_fault_message, proc_review};
