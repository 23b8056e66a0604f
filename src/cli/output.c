/* output.c: complete-or-absent output files for the commands (see output.h), and removing an
 * unfinished temporary file when the command is interrupted. */
#define _DEFAULT_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* The temporary file an interrupt must remove (one at a time per process). */
static char *volatile pending;

static void on_interrupt(int sig)
{
    char *tmp = pending;
    if (tmp)
        unlink(tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void watch(char *tmp)
{
    pending = tmp;
    if (tmp) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_interrupt;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
    }
}

int cli_output_open(const char *cmd, cli_output *out, const char *path)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    const char *dest = path;
    struct stat st;
    int exists = lstat(path, &st) == 0;
    if (exists && S_ISLNK(st.st_mode)) {
        /* a symbolic link stays a link: the regular file it points to is replaced */
        out->resolved = realpath(path, NULL);
        exists = out->resolved && stat(out->resolved, &st) == 0;
        if (exists && S_ISREG(st.st_mode))
            dest = out->resolved;
        else
            exists = 1, st.st_mode = S_IFIFO; /* written through the link */
    }
    if (exists && !S_ISREG(st.st_mode)) {
        free(out->resolved); /* not needed: written through path */
        out->resolved = NULL;
        if (S_ISDIR(st.st_mode))
            return cli_fail(cmd, "%s: cannot write: it is a folder", path);
        out->f = fopen(path, "w");
        return out->f ? 0 : cli_fail(cmd, "%s: cannot open for writing: %s", path, strerror(errno));
    }
    size_t size = strlen(dest) + 64;
    if (!(out->tmp = malloc(size)))
        return cli_fail(cmd, "out of memory");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int fd = -1, code = 0;
    for (unsigned k = 0; k < 100 && fd < 0; k++) {
        snprintf(out->tmp, size, "%s.tmp-%ld-%lx", dest, (long)getpid(),
                 (unsigned long)now.tv_nsec + k * 7919u);
        fd = open(out->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        code = errno;
        if (fd < 0 && code != EEXIST)
            break;
    }
    /* a file replaced keeps its permissions and, when allowed, its owner */
    if (fd >= 0 && exists) {
        if (fchmod(fd, st.st_mode & 0777) != 0)
            code = errno, close(fd), unlink(out->tmp), fd = -1;
        else if (st.st_uid != geteuid() || st.st_gid != getegid())
            (void)!fchown(fd, st.st_uid, st.st_gid);
    }
    if (fd >= 0 && !(out->f = fdopen(fd, "w"))) {
        code = errno;
        close(fd);
        unlink(out->tmp);
        fd = -1;
    }
    if (fd < 0) {
        free(out->tmp);
        out->tmp = NULL;
        free(out->resolved);
        out->resolved = NULL;
        return cli_fail(cmd, "%s: cannot open for writing: %s", path, strerror(code));
    }
    watch(out->tmp);
    return 0;
}

int cli_output_close(const char *cmd, cli_output *out, int keep)
{
    int code = 0;
    errno = 0;
    if (keep && (fflush(out->f) != 0 || ferror(out->f)))
        code = errno ? errno : EIO;
    if (keep && !code && out->tmp && fsync(fileno(out->f)) != 0 && errno != EINVAL)
        code = errno;
    if (fclose(out->f) != 0 && keep && !code)
        code = errno ? errno : EIO;
    out->f = NULL;
    if (keep && !code && out->tmp &&
        rename(out->tmp, out->resolved ? out->resolved : out->path) != 0)
        code = errno;
    if (out->tmp && (!keep || code))
        unlink(out->tmp);
    watch(NULL);
    free(out->tmp);
    out->tmp = NULL;
    free(out->resolved);
    out->resolved = NULL;
    if (keep && code)
        return cli_fail(cmd, "%s: write failed: %s", out->path, strerror(code));
    return 0;
}

int cli_output_trace(const char *record, size_t length, void *payload)
{
    cli_output *out = payload;
    errno = 0;
    if (fwrite(record, 1, length, out->f) != length || fputc('\n', out->f) == EOF) {
        if (!out->error)
            out->error = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

int cli_output_fail(const char *cmd, const cli_output *out, const truce_error *err)
{
    if (out && out->error)
        return cli_fail(cmd, "%s: write failed: %s", out->path, strerror(out->error));
    return cli_fail(cmd, "%s", err->message);
}
