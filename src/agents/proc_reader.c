/* proc_reader.c: see proc_reader.h. */
#include "proc_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

proc_read_status proc_reader_line(proc_reader *r, const proc_reader_io *io, double deadline,
                                  uint64_t max_bytes, char **line)
{
    for (;;) {
        /* only the bytes not looked at yet: a long line read 64 KB at a time would otherwise
         * be searched whole after every read (quadratic in the line's length) */
        char *nl = NULL;
        if (r->in_len > r->scanned) {
            r->searched += r->in_len - r->scanned;
            nl = memchr(r->in + r->scanned, '\n', r->in_len - r->scanned);
        }
        size_t len = nl ? (size_t)(nl - r->in) : r->in_len;
        r->scanned = len;
        if (len > max_bytes)
            return PROC_READ_TOO_LONG;
        if (nl) {
            *nl = '\0';
            *line = r->in;
            r->line_len = len;
            return PROC_READ_LINE;
        }
        if (r->in_cap - r->in_len < 4096) {
            size_t cap = r->in_cap ? r->in_cap * 2 : 65536;
            char *grown = realloc(r->in, cap + 1);
            if (!grown)
                return PROC_READ_NOMEM;
            r->in = grown;
            r->in_cap = cap;
        }
        /* the deadline holds while bytes keep coming too: a program that streams a long line
         * (under a raised max_message_bytes) never pauses for the wait below */
        if (io->now(io->payload) >= deadline)
            return PROC_READ_TIMEOUT;
        ssize_t n = io->read(io->payload, r->in + r->in_len, r->in_cap - r->in_len);
        if (n > 0) {
            r->in_len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            double left = deadline - io->now(io->payload);
            if (left <= 0 || io->wait(io->payload, left) == 0)
                return PROC_READ_TIMEOUT;
            continue;
        }
        return PROC_READ_CLOSED;
    }
}

void proc_reader_consume(proc_reader *r)
{
    size_t used = r->line_len + 1;
    memmove(r->in, r->in + used, r->in_len - used);
    r->in_len -= used;
    r->scanned = 0;
}

void proc_reader_reset(proc_reader *r, int keep_buffer)
{
    if (!keep_buffer) {
        free(r->in);
        r->in = NULL;
        r->in_cap = 0;
    }
    r->in_len = r->scanned = r->line_len = 0;
}
