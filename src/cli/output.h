/* output.h: files the commands write (traces), complete or absent: written to a temporary file
 * beside the destination and renamed over it only when every byte made it to disk. */
#ifndef TRUCE_CLI_OUTPUT_H
#define TRUCE_CLI_OUTPUT_H

#include <stdio.h>

typedef struct cli_output {
    FILE *f;          /* write here */
    const char *path; /* the destination (borrowed) */
    char *tmp;        /* the temporary file; NULL when writing straight to path */
    char *resolved;   /* path is a symbolic link to a regular file: that file */
    int error;        /* errno of the first failed write, or 0 */
} cli_output;

/* Open path for writing through a temporary file NAME.tmp-PID-N (a
 * destination that is no regular file, such as /dev/stdout, is written
 * directly; a symbolic link to a regular file replaces that file; a file
 * replaced keeps its permissions). Returns 0, or EXIT_INPUT after printing
 * why. Until closed, an interrupt (SIGINT, SIGTERM) removes the temporary file. */
int cli_output_open(const char *cmd, cli_output *out, const char *path);

/* Finish: with keep, flush, sync and rename over the destination (0, or
 * EXIT_INPUT after printing "PATH: write failed: REASON"); without keep
 * (the command failed), remove the temporary file and return 0. */
int cli_output_close(const char *cmd, cli_output *out, int keep);

/* A truce_trace_fn (payload: the cli_output): the record and a newline;
 * a failed write is remembered in out->error. */
int cli_output_trace(const char *record, size_t length, void *payload);

/* The error of a run that failed: the failed write when the trace lost one
 * ("PATH: write failed: REASON"), else err's message. Returns EXIT_INPUT. */
struct truce_error;
int cli_output_fail(const char *cmd, const cli_output *out, const struct truce_error *err);

#endif
