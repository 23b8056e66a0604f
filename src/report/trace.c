/* trace.c: reading a JSON Lines trace for a report, record by record with
 * line numbers, and handing it to the negotiation or mediation section. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "report.h"

int trace_error(truce_error *err, const char *path, size_t line, const char *field, const char *fmt,
                ...)
{
    char text[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return error_set(err, TRUCE_EPARSE, path, (int)line, field, "%s", text);
}

int seed_text(const json_t *seed, char *out, size_t size)
{
    if (json_is_integer(seed) && json_integer_value(seed) >= 0) {
        snprintf(out, size, "%lld", (long long)json_integer_value(seed));
        return 1;
    }
    const char *text = json_string_value(seed);
    if (!text || !*text || strspn(text, "0123456789") != strlen(text) || strlen(text) > 20)
        return 0;
    snprintf(out, size, "%s", text);
    return 1;
}

static void free_records(record *recs, size_t n)
{
    for (size_t k = 0; k < n; k++)
        json_decref(recs[k].j);
    free(recs);
}

/* One line (its newline included, when there is one) into *text, growing it as needed up to
 * max bytes: 1 read, 0 at end of file, -1 a read or memory failure (errno set), -2 a line longer
 * than max (the rest of it is not read). */
static int read_line(FILE *f, char **text, size_t *cap, size_t *len, uint64_t max)
{
    *len = 0;
    for (;;) {
        if (*cap - *len < 2) {
            size_t ncap = *cap ? 2 * *cap : 4096;
            char *t = realloc(*text, ncap);
            if (!t) {
                errno = ENOMEM;
                return -1;
            }
            *text = t;
            *cap = ncap;
        }
        int c = getc_unlocked(f);
        if (c == EOF)
            return ferror(f) ? -1 : *len > 0;
        if (c != '\n' && *len >= max) /* the newline is not part of the record */
            return -2;
        (*text)[(*len)++] = (char)c;
        if (c == '\n')
            return 1;
    }
}

/* Every non-blank line as a JSON object. */
static int read_records(const char *path, uint64_t max_line, record **out, size_t *count,
                        truce_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return error_set(err, errno == ENOENT ? TRUCE_ENOTFOUND : TRUCE_EIO, path, 0, NULL,
                         "cannot open the trace: %s", strerror(errno));
    record *recs = NULL;
    size_t n = 0, cap = 0, line = 0;
    char *text = NULL;
    size_t text_cap = 0, len;
    int got, rc = 0;
    while ((got = read_line(f, &text, &text_cap, &len, max_line)) == 1) {
        line++;
        int complete = len > 0 && text[len - 1] == '\n';
        size_t k = 0;
        while (k < (size_t)len &&
               (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n'))
            k++;
        if (k == (size_t)len)
            continue;
        json_error_t jerr;
        json_t *j = json_loadb(text, len, 0, &jerr);
        if (!j) {
            rc = trace_error(err, path, line, NULL, "%s: %s",
                             complete ? "not a JSON record"
                                      : "truncated record (the last line is incomplete)",
                             jerr.text);
            break;
        }
        if (!json_is_object(j)) {
            json_decref(j);
            rc = trace_error(err, path, line, NULL, "a record must be a JSON object");
            break;
        }
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 256;
            record *r = realloc(recs, ncap * sizeof *r);
            if (!r) {
                json_decref(j);
                rc = error_nomem(err);
                break;
            }
            recs = r;
            cap = ncap;
        }
        recs[n].j = j;
        recs[n].line = line;
        n++;
    }
    if (!rc && got == -2)
        rc = error_set(err, TRUCE_ELIMIT, path, (int)line + 1, "max_trace_line",
                       "record longer than the limit max_trace_line = %llu bytes",
                       (unsigned long long)max_line);
    else if (!rc && got == -1)
        rc = errno == ENOMEM ? error_nomem(err)
                             : error_set(err, TRUCE_EIO, path, (int)line, NULL, "read error: %s",
                                         strerror(errno));
    free(text);
    fclose(f);
    if (!rc && n == 0)
        rc = trace_error(err, path, line, NULL, "the trace holds no records");
    if (rc) {
        free_records(recs, n);
        return rc;
    }
    *out = recs;
    *count = n;
    return 0;
}

int truce_report_add_trace(truce_report *r, const char *path, const truce_scenario *s,
                           const truce_analysis *an, truce_error *err)
{
    error_clear(err);
    if (!r || !path)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    record *recs = NULL;
    size_t n = 0;
    int rc = read_records(path, r->max_trace_line, &recs, &n, err);
    if (rc)
        return rc;
    const char *type = json_string_value(json_object_get(recs[0].j, "type"));
    const char *protocol = json_string_value(json_object_get(recs[0].j, "protocol"));
    report_mark mark = report_save(r);
    if (!type || strcmp(type, "start"))
        rc = trace_error(err, path, recs[0].line, "type",
                         "a trace starts with a \"start\" record (docs/trace.md, "
                         "docs/mediation.md)");
    else if (!protocol)
        rc = trace_error(err, path, recs[0].line, "protocol", "the start record names no protocol");
    else if (!strcmp(protocol, "single-negotiating-text"))
        rc = report_mediation(r, path, recs, n, s, an, err);
    else if (!strcmp(protocol, "alternating-offers") ||
             !strcmp(protocol, "stacked-alternating-offers"))
        rc = report_negotiation(r, path, recs, n, s, an, err);
    else
        rc = trace_error(err, path, recs[0].line, "protocol", "unknown protocol '%s'", protocol);
    if (!rc && r->body.failed)
        rc = error_nomem(err);
    if (rc)
        report_restore(r, mark);
    free_records(recs, n);
    return rc;
}

/* The options of a trace's outcome object on s: 0, or -1 when it names
 * other issues or options. */
static int trace_outcome(const truce_scenario *s, const json_t *obj, uint32_t *o)
{
    size_t ni = truce_scenario_issue_count(s);
    if (!json_is_object(obj) || json_object_size(obj) != ni)
        return -1;
    for (size_t i = 0; i < ni; i++) {
        json_t *v = json_object_get(obj, truce_issue_name(s, i));
        char label[64];
        const char *text = label;
        if (json_is_string(v))
            text = json_string_value(v);
        else if (json_is_integer(v))
            snprintf(label, sizeof label, "%lld", (long long)json_integer_value(v));
        else if (json_is_number(v))
            snprintf(label, sizeof label, "%.17g", json_number_value(v));
        else
            return -1;
        int k = truce_option_find(s, i, text);
        if (k < 0)
            return -1;
        o[i] = (uint32_t)k;
    }
    return 0;
}

void report_flag_infeasible(truce_report *r, const truce_scenario *s, const json_t *outcome,
                            const char *what)
{
    size_t ni = s ? truce_scenario_issue_count(s) : 0;
    uint32_t *o = s ? malloc((ni ? ni : 1) * sizeof *o) : NULL;
    if (!o || trace_outcome(s, outcome, o) || truce_outcome_feasible(s, o) != 0) {
        free(o);
        return;
    }
    buf *b = &r->body;
    buf_puts(b, "<p class=\"warn\">");
    buf_escape(b, what);
    buf_puts(b, " breaks ");
    int first = 1;
    for (size_t k = 0; k < truce_scenario_bargainer_count(s); k++) {
        size_t p = (size_t)truce_scenario_bargainer(s, k);
        int h = truce_outcome_violates(s, p, o);
        if (h < 0)
            continue;
        buf_puts(b, first ? "" : " and ");
        first = 0;
        buf_escape(b, truce_party_name(s, p));
        buf_puts(b, "'s hard condition '");
        buf_escape(b, truce_hard_condition_id(s, p, (size_t)h));
        buf_puts(b, "'");
    }
    buf_puts(b, ": that principal vetoes it, so it is not a deal under this scenario (was the "
                "trace made with agents that ignore hard conditions, or on another version of "
                "the scenario?).</p>\n");
    free(o);
}
