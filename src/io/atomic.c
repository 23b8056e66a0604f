/* atomic.c: complete-or-absent output files (see atomic.h): temporary file, flush, fsync,
 * rename; anything short of that removes the temporary file and says which file failed. */
#define _DEFAULT_SOURCE
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int io_error(truce_error *err, const char *path, const char *what, int code)
{
    return error_set(err, TRUCE_EIO, path, 0, NULL, "%s: %s", what, strerror(code));
}

int atomic_open(atomic_file *af, const char *path, truce_error *err)
{
    memset(af, 0, sizeof *af);
    af->path = path;
    const char *dest = path;
    struct stat st;
    int exists = lstat(path, &st) == 0;
    if (exists && S_ISLNK(st.st_mode)) {
        /* a symbolic link stays a link: what it points to is replaced, when that is a regular
         * file (renaming over the link would have put a file in its place) */
        af->resolved = realpath(path, NULL);
        exists = af->resolved && stat(af->resolved, &st) == 0;
        if (exists && S_ISREG(st.st_mode))
            dest = af->resolved;
        else
            exists = 1, st.st_mode = S_IFIFO; /* written through the link, as below */
    }
    if (exists && !S_ISREG(st.st_mode)) {
        free(af->resolved); /* not needed: written through path */
        af->resolved = NULL;
        if (S_ISDIR(st.st_mode))
            return error_set(err, TRUCE_EIO, path, 0, NULL, "cannot write: it is a folder");
        af->f = fopen(path, "w");
        return af->f ? 0 : io_error(err, path, "cannot open for writing", errno);
    }
    size_t size = strlen(dest) + 64;
    af->tmp = malloc(size);
    if (!af->tmp)
        return error_nomem(err);
    /* O_EXCL makes the name ours; the clock only makes a clash unlikely.
     * The mode is the usual 0666 less the umask, as fopen gives. */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int fd = -1, code = 0;
    for (unsigned k = 0; k < 100 && fd < 0; k++) {
        snprintf(af->tmp, size, "%s.tmp-%ld-%lx", dest, (long)getpid(),
                 (unsigned long)now.tv_nsec + k * 7919u);
        fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        code = errno;
        if (fd < 0 && code != EEXIST)
            break;
    }
    /* a file replaced keeps its permissions (a 0600 file stays 0600), and its owner when we
     * may give it */
    if (fd >= 0 && exists) {
        if (fchmod(fd, st.st_mode & 0777) != 0)
            code = errno, close(fd), unlink(af->tmp), fd = -1;
        else if (st.st_uid != geteuid() || st.st_gid != getegid())
            (void)!fchown(fd, st.st_uid, st.st_gid);
    }
    if (fd >= 0 && !(af->f = fdopen(fd, "w"))) {
        code = errno;
        close(fd);
        unlink(af->tmp);
        fd = -1;
    }
    if (fd < 0) {
        free(af->tmp);
        af->tmp = NULL;
        free(af->resolved);
        af->resolved = NULL;
        return code == ENOMEM ? error_nomem(err)
                              : io_error(err, path, "cannot open for writing", code);
    }
    return 0;
}

int atomic_finish(atomic_file *af, truce_error *err)
{
    int code = 0;
    errno = 0;
    if (fflush(af->f) != 0 || ferror(af->f))
        code = errno ? errno : EIO;
    /* the bytes on disk before the name: a crash must not leave an empty
     * file under the destination's name */
    if (!code && af->tmp && fsync(fileno(af->f)) != 0 && errno != EINVAL)
        code = errno;
    if (fclose(af->f) != 0 && !code)
        code = errno ? errno : EIO;
    af->f = NULL;
    if (code) {
        atomic_abort(af);
        return io_error(err, af->path, "write failed", code);
    }
    af->finished = 1;
    return 0;
}

int atomic_commit(atomic_file *af, truce_error *err)
{
    if (!af->tmp) {
        free(af->resolved);
        af->resolved = NULL;
        return 0;
    }
    if (rename(af->tmp, af->resolved ? af->resolved : af->path) != 0) {
        int code = errno;
        atomic_abort(af);
        return io_error(err, af->path, "cannot replace the file", code);
    }
    free(af->tmp);
    af->tmp = NULL;
    free(af->resolved);
    af->resolved = NULL;
    return 0;
}

void atomic_abort(atomic_file *af)
{
    if (af->f)
        fclose(af->f);
    af->f = NULL;
    if (af->tmp) {
        unlink(af->tmp);
        free(af->tmp);
        af->tmp = NULL;
    }
    free(af->resolved);
    af->resolved = NULL;
}
