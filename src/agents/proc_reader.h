/* proc_reader.h: the line reader of proc: agents (proc.c). One JSON line at a time from a
 * program's non-blocking output, under a deadline that holds while bytes keep coming and a
 * limit on the line's length. The clock, the reads and the waits go through proc_reader_io,
 * so that tests can drive the reader with a fake clock and an endless stream. */
#ifndef TRUCE_PROC_READER_H
#define TRUCE_PROC_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct proc_reader {
    char *in; /* bytes read and not yet consumed */
    size_t in_len, in_cap, line_len;
    size_t scanned;    /* bytes of `in` known to hold no newline */
    uint64_t searched; /* bytes searched for a newline so far (the reader's work, for tests) */
} proc_reader;

typedef struct proc_reader_io {
    /* like read(2) on a non-blocking descriptor: bytes read, 0 at the end, -1 with errno
     * (EAGAIN when nothing is there yet) */
    ssize_t (*read)(void *payload, void *buf, size_t size);
    /* wait until there is something to read or `seconds` passed: 1 ready, 0 timed out */
    int (*wait)(void *payload, double seconds);
    double (*now)(void *payload); /* seconds of a monotonic clock */
    void *payload;
} proc_reader_io;

typedef enum proc_read_status {
    PROC_READ_LINE,     /* *line holds a line without its newline, r->line_len bytes */
    PROC_READ_TOO_LONG, /* the line is longer than max_bytes */
    PROC_READ_TIMEOUT,  /* the deadline passed first */
    PROC_READ_CLOSED,   /* the end of the output (or a read error) first */
    PROC_READ_NOMEM
} proc_read_status;

/* Read one line into *line (valid until the next call) before `deadline` (io->now's clock). */
proc_read_status proc_reader_line(proc_reader *r, const proc_reader_io *io, double deadline,
                                  uint64_t max_bytes, char **line);
/* Drop the line just read. */
void proc_reader_consume(proc_reader *r);
/* Forget what was read (a new program starts); keep_buffer 0 frees the buffer too. */
void proc_reader_reset(proc_reader *r, int keep_buffer);

#endif
