/* atomic.h: writing a file so that it is complete or absent: the bytes go to a temporary file
 * beside the destination, which is renamed over it only once every byte was written. */
#ifndef TRUCE_IO_ATOMIC_H
#define TRUCE_IO_ATOMIC_H

#include <stdio.h>

#include "../core/error.h"

typedef struct atomic_file {
    FILE *f;          /* write here */
    const char *path; /* the destination (borrowed) */
    char *tmp;        /* the temporary file, NULL when writing straight to path */
    char *resolved;   /* path is a symbolic link to a regular file: that file (replaced) */
    int finished;
} atomic_file;

/* Open a temporary file beside path (NAME.tmp-PID-N). A destination that
 * exists and is no regular file (a device, a pipe) is opened directly: it
 * cannot be renamed over. A symbolic link to a regular file is followed (the
 * file is replaced, the link stays); a file replaced keeps its permission bits
 * and, when allowed, its owner. TRUCE_EIO naming path when it cannot be created. */
int atomic_open(atomic_file *af, const char *path, truce_error *err);

/* Flush, sync and close; TRUCE_EIO naming path (the disk is full, ...) when
 * a byte was lost. The temporary file is removed on failure. */
int atomic_finish(atomic_file *af, truce_error *err);

/* Rename the finished temporary file over the destination. */
int atomic_commit(atomic_file *af, truce_error *err);

/* Give up: close and remove the temporary file. Safe after any step. */
void atomic_abort(atomic_file *af);

#endif
