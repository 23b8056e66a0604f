/* keeper.c: agent programs run under a keeper process, a child subreaper (Linux prctl): orphans
 * of the program come to it instead of init, so that ending the keeper's watch kills the program
 * and all its descendants, including those that called setsid or double-forked away. The
 * keeper is forked from a process that may run many threads, so between fork and exit it uses
 * only async-signal-safe calls (system calls, no malloc, no stdio). */
#define _GNU_SOURCE /* pipe2, syscall, environ */
#include "keeper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* File descriptors inside the keeper. */
enum { K_IN = 0, K_OUT = 1, K_LIFE = 3, K_REPORT = 4, K_FIRST_FREE = 5 };

/* Messages from the keeper, written whole (smaller than PIPE_BUF). */
enum { MSG_STARTED = 'S', MSG_FAILED = 'F', MSG_EXITED = 'X' };
typedef struct message {
    int32_t kind, value;
} message;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- inside the keeper: async-signal-safe only ---- */

static void say(int32_t kind, int32_t value)
{
    message m = {kind, value};
    ssize_t ignored = write(K_REPORT, &m, sizeof m);
    (void)ignored;
}

/* Parse the pids in text (space separated) into pids; how many. */
static int parse_pids(const char *text, ssize_t len, pid_t *pids, int cap)
{
    int n = 0;
    long v = -1;
    for (ssize_t k = 0; k <= len; k++) {
        char c = k < len ? text[k] : ' ';
        if (c >= '0' && c <= '9') {
            v = (v < 0 ? 0 : v * 10) + (c - '0');
        } else if (v >= 0) {
            if (n < cap)
                pids[n++] = (pid_t)v;
            v = -1;
        }
    }
    return n;
}

/* The keeper's children from /proc/thread-self/children (the keeper has one thread): how many,
 * or -1 when the file is missing (kernels without CONFIG_PROC_CHILDREN). */
static int children_listed(pid_t *pids, int cap)
{
    int fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char text[4096];
    ssize_t len = read(fd, text, sizeof text);
    close(fd);
    if (len < 0)
        return -1;
    if (len == (ssize_t)sizeof text) /* cut inside a number: drop it, the rest comes next round */
        while (len > 0 && text[len - 1] != ' ')
            len--;
    return parse_pids(text, len, pids, cap);
}

/* The parent pid in /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold anything). */
static long parent_of(const char *name)
{
    char path[64] = "/proc/";
    size_t n = strlen(name);
    if (n > 20)
        return -1;
    memcpy(path + 6, name, n);
    memcpy(path + 6 + n, "/stat", 6);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char text[512];
    ssize_t len = read(fd, text, sizeof text - 1);
    close(fd);
    if (len <= 0)
        return -1;
    const char *close_paren = NULL;
    for (ssize_t k = 0; k < len; k++)
        if (text[k] == ')')
            close_paren = text + k;
    if (!close_paren || close_paren + 4 >= text + len)
        return -1;
    long v = 0;
    for (const char *p = close_paren + 4; p < text + len && *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (*p - '0');
    return v;
}

/* The keeper's children by a scan of /proc, when the children file is missing: how many, or -1
 * without /proc. */
static int children_scanned(pid_t *pids, int cap)
{
    int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return -1;
    pid_t me = getpid();
    int n = 0;
    char buf[4096];
    long got;
    while ((got = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
        for (long at = 0; at < got;) {
            /* struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name */
            unsigned short reclen;
            memcpy(&reclen, buf + at + 16, sizeof reclen);
            const char *name = buf + at + 19;
            if (name[0] >= '1' && name[0] <= '9' && parent_of(name) == me && n < cap) {
                long v = 0;
                for (const char *p = name; *p; p++)
                    v = v * 10 + (*p - '0');
                pids[n++] = (pid_t)v;
            }
            at += reclen;
        }
    }
    close(dir);
    return n;
}

static int children(pid_t *pids, int cap)
{
    int n = children_listed(pids, cap);
    return n >= 0 ? n : children_scanned(pids, cap);
}

/* Reap whatever ended; say when the program did. */
static void reap(pid_t program, int *reported)
{
    int status;
    pid_t w;
    while ((w = waitpid(-1, &status, WNOHANG)) > 0)
        if (w == program && !*reported) {
            say(MSG_EXITED, status);
            *reported = 1;
        }
}

/* Kill the program's group, then every child of the keeper until none is left: a child's own
 * children come to the keeper when it dies, and are killed in the next round. */
static void kill_everything(pid_t program, int reaped)
{
    if (!reaped) { /* once reaped, its number could be another process's */
        kill(-program, SIGKILL);
        kill(program, SIGKILL);
    }
    pid_t pids[256];
    for (;;) {
        int n = children(pids, 256);
        for (int k = 0; k < n; k++)
            kill(pids[k], SIGKILL);
        pid_t w = waitpid(-1, NULL, n > 0 ? 0 : WNOHANG);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) /* ECHILD: nothing left */
            return;
        if (n < 0 && w == 0)
            return; /* no /proc: what cannot be listed cannot be killed; init inherits it */
        if (w == 0) {
            struct timespec pause = {0, 1000000};
            nanosleep(&pause, NULL);
        }
    }
}

static void keeper_main(const char *path, char *const argv[], int life, int report, int in_fd,
                        int out_fd)
{
    /* the parent's handlers mean nothing here; its blocked signals are unblocked */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction old;
        if (sigaction(sig, NULL, &old) == 0 && old.sa_handler != SIG_IGN &&
            old.sa_handler != SIG_DFL)
            sigaction(sig, &dfl, NULL);
    }
    /* a write to truce after truce died must not kill the keeper before it has cleaned up */
    struct sigaction ignore = dfl;
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* a group of its own: a terminal's Ctrl-C goes to truce, which then stops the keeper */
    setpgid(0, 0);
    /* move the four descriptors to their places, whatever numbers they had: first above them
     * all, then down (the copies above are closed with the rest) */
    int from[4] = {report, life, in_fd, out_fd}, to[4] = {K_REPORT, K_LIFE, K_IN, K_OUT};
    for (int k = 0; k < 4; k++)
        if ((from[k] = fcntl(from[k], F_DUPFD, 16)) < 0)
            _exit(127);
    for (int k = 0; k < 4; k++)
        if (dup2(from[k], to[k]) < 0) {
            say(MSG_FAILED, errno);
            _exit(127);
        }
    if (fcntl(2, F_GETFD) < 0) { /* no standard error: the program gets /dev/null */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0 && null != 2) {
            dup2(null, 2);
            close(null);
        }
    }
    /* everything else the parent had open (other agents' pipes among them) is closed */
    if (syscall(SYS_close_range, K_FIRST_FREE, ~0U, 0) != 0)
        for (int fd = K_FIRST_FREE; fd < 65536; fd++)
            close(fd);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
        say(MSG_FAILED, errno);
        _exit(127);
    }
    /* posix_spawn (a vfork underneath): no second copy of truce's page tables; exec errors
     * come back as its result. The keeper's own descriptors close at exec. */
    fcntl(K_LIFE, F_SETFD, FD_CLOEXEC);
    fcntl(K_REPORT, F_SETFD, FD_CLOEXEC);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &pipe_only);
    /* its own group, as before keepers: killing it kills what stays in it */
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    pid_t program;
    int rc = posix_spawn(&program, path, NULL, &attr, argv, environ);
    if (rc != 0) {
        say(MSG_FAILED, rc);
        _exit(127);
    }
    close(K_IN);
    close(K_OUT);
    say(MSG_STARTED, (int32_t)program);
    /* watch: the life pipe ends (truce closed it, or truce died) */
    int pidfd = (int)syscall(SYS_pidfd_open, program, 0);
    int reported = 0;
    for (;;) {
        struct pollfd p[2] = {{K_LIFE, POLLIN, 0}, {pidfd, POLLIN, 0}};
        int watch_program = pidfd >= 0 && !reported;
        /* without a pidfd, look for the program's end every 10 ms; orphans are reaped too */
        int timeout = reported ? 500 : watch_program ? 500 : 10;
        int r = poll(p, watch_program ? 2 : 1, timeout);
        reap(program, &reported);
        if (r > 0 && p[0].revents)
            break;
    }
    kill_everything(program, reported);
    _exit(0);
}

/* ---- in truce ---- */

/* Read one message, waiting at most `wait` seconds: 1, 0 (none yet) or -1 (keeper gone). */
static int read_message(keeper *k, message *m, double wait)
{
    double until = now() + wait;
    for (;;) {
        ssize_t got = read(k->report, m, sizeof *m);
        if (got == (ssize_t)sizeof *m)
            return 1;
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR))
            return -1;
        double left = until - now();
        if (left <= 0)
            return 0;
        struct pollfd p = {k->report, POLLIN, 0};
        poll(&p, 1, (int)(left * 1000) + 1);
    }
}

int keeper_start(keeper *k, const char *path, char *const argv[], int in_fd, int out_fd)
{
    memset(k, 0, sizeof *k);
    k->pid = 0;
    k->life = k->report = -1;
    int life[2], report[2];
    if (pipe2(life, O_CLOEXEC))
        return errno;
    if (pipe2(report, O_CLOEXEC)) {
        int e = errno;
        close(life[0]);
        close(life[1]);
        return e;
    }
    pid_t pid = fork();
    if (pid == 0)
        keeper_main(path, argv, life[0], report[1], in_fd, out_fd);
    int e = errno;
    close(life[0]);
    close(report[1]);
    if (pid < 0) {
        close(life[1]);
        close(report[0]);
        return e;
    }
    k->pid = pid;
    k->life = life[1];
    k->report = report[0];
    fcntl(k->report, F_SETFL, fcntl(k->report, F_GETFL) | O_NONBLOCK);
    /* the keeper answers at once: started, or why not */
    message m;
    int got = read_message(k, &m, 30);
    if (got == 1 && m.kind == MSG_STARTED)
        return 0;
    int why = got == 1 && m.kind == MSG_FAILED ? m.value : ECHILD;
    keeper_stop(k);
    return why ? why : ECHILD;
}

int keeper_exit_status(keeper *k, double wait, int *status)
{
    if (!k->exited && k->pid > 0) {
        message m;
        if (read_message(k, &m, wait) == 1 && m.kind == MSG_EXITED) {
            k->exited = 1;
            k->status = m.value;
        }
    }
    if (k->exited)
        *status = k->status;
    return k->exited;
}

void keeper_stop(keeper *k)
{
    if (k->pid <= 0)
        return;
    close(k->life); /* the keeper kills everything and exits */
    k->life = -1;
    /* it takes milliseconds; should it not end within seconds (a process stuck in the kernel),
     * kill it: what it kept then goes to init, but truce does not hang */
    double until = now() + 5;
    int status;
    pid_t w;
    while ((w = waitpid(k->pid, &status, WNOHANG)) == 0 && now() < until) {
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    if (w == 0) {
        kill(k->pid, SIGKILL);
        while (waitpid(k->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    close(k->report);
    k->report = -1;
    k->pid = 0;
}
