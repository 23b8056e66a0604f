/* limits.c: truce_limits: setting limits by name, resolving them with the load options, and
 * the message of a limit exceeded (docs/limits.md lists every limit). */
#include "limits.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario.h"

typedef enum kind { U32, U64, REAL } kind;

typedef struct limit_field {
    const char *name;
    size_t offset;
    kind kind;
    int version; /* the truce_limits version that appended it */
} limit_field;

#define FIELD(name, kind, version)                                                                 \
    {                                                                                              \
#name, offsetof(truce_limits, name), kind, version                                         \
    }
static const limit_field fields[] = {
    FIELD(max_file_bytes, U64, 1),    FIELD(max_issues, U32, 1),
    FIELD(max_options, U32, 1),       FIELD(max_options_total, U64, 1),
    FIELD(max_parties, U32, 1),       FIELD(max_depth, U32, 1),
    FIELD(max_trace_line, U64, 1),    FIELD(max_message_bytes, U64, 1),
    FIELD(max_message_rate, REAL, 1), FIELD(max_name_bytes, U32, 2),
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

/* Whether a struct of this version has field k (older callers' structs are shorter). */
static int has_field(const truce_limits *limits, size_t k)
{
    return limits->version >= fields[k].version;
}

void limits_upgrade(truce_limits *out, const truce_limits *in)
{
    truce_limits standard = TRUCE_LIMITS_INIT;
    *out = standard;
    for (size_t k = 0; k < N_FIELDS; k++) {
        if (!has_field(in, k))
            continue;
        const char *from = (const char *)in + fields[k].offset;
        char *to = (char *)out + fields[k].offset;
        memcpy(to, from, fields[k].kind == U32 ? sizeof(uint32_t) : sizeof(uint64_t));
    }
}

const char *truce_limits_name(size_t k)
{
    return k < N_FIELDS ? fields[k].name : NULL;
}

double truce_limits_get(const truce_limits *limits, size_t k)
{
    if (!limits || k >= N_FIELDS)
        return NAN;
    if (!has_field(limits, k)) { /* an older struct: the default applies */
        truce_limits standard = TRUCE_LIMITS_INIT;
        return truce_limits_get(&standard, k);
    }
    const char *at = (const char *)limits + fields[k].offset;
    if (fields[k].kind == U32)
        return (double)*(const uint32_t *)(const void *)at;
    if (fields[k].kind == U64)
        return (double)*(const uint64_t *)(const void *)at;
    return *(const double *)(const void *)at;
}

static int parse_count(const char *text, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end); /* 1e6 and 64e6 read as counts too */
    if (end == text || *end || errno || !(v >= 1) || v > max || (max > 1e300 ? 0 : v != floor(v)))
        return -1;
    *out = v;
    return 0;
}

int truce_limits_set(truce_limits *limits, const char *name, const char *value, truce_error *err)
{
    error_clear(err);
    if (!limits || !name || !value)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    for (size_t k = 0; k < N_FIELDS; k++) {
        if (strcmp(fields[k].name, name) != 0)
            continue;
        if (!has_field(limits, k))
            return error_set(err, TRUCE_EINVAL, NULL, 0, fields[k].name,
                             "limit %s needs truce_limits version %d (this one is version %d)",
                             name, fields[k].version, limits->version);
        double max = fields[k].kind == U32   ? 4294967295.0
                     : fields[k].kind == U64 ? 9007199254740992.0 /* 2^53: exact in a double */
                                             : 1e308;
        double v;
        if (parse_count(value, max, &v)) {
            int rc = error_set(err, TRUCE_EINVAL, NULL, 0, NULL,
                               "limit %s needs a %s from 1 to %.0f, not '%s'", name,
                               fields[k].kind == REAL ? "number" : "whole number", max, value);
            if (err)
                snprintf(err->field, sizeof err->field, "%s", fields[k].name);
            return rc;
        }
        char *at = (char *)limits + fields[k].offset;
        if (fields[k].kind == U32)
            *(uint32_t *)(void *)at = (uint32_t)v;
        else if (fields[k].kind == U64)
            *(uint64_t *)(void *)at = (uint64_t)v;
        else
            *(double *)(void *)at = v;
        return 0;
    }
    char names[400] = "";
    size_t used = 0;
    for (size_t k = 0; k < N_FIELDS && used < sizeof names; k++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "",
                                 fields[k].name);
    return error_set(err, TRUCE_ENOTFOUND, NULL, 0, NULL, "unknown limit '%s' (limits: %s)", name,
                     names);
}

int limits_check(const truce_limits *l, truce_error *err)
{
    if (l->version < 1 || l->version > TRUCE_LIMITS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "limits",
                         "truce_limits version %d is not 1 to %d", l->version,
                         TRUCE_LIMITS_VERSION);
    for (size_t k = 0; k < N_FIELDS; k++)
        if (!(truce_limits_get(l, k) >= 1))
            return error_set(err, TRUCE_EINVAL, NULL, 0, fields[k].name,
                             "limit %s must be at least 1", fields[k].name);
    return 0;
}

int load_limits_resolve(load_limits *out, const truce_load_options *opts, truce_error *err)
{
    truce_load_options defaults = TRUCE_LOAD_OPTIONS_INIT;
    truce_limits standard = TRUCE_LIMITS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > TRUCE_LOAD_OPTIONS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_load_options version %d is not %d", opts->version,
                         TRUCE_LOAD_OPTIONS_VERSION);
    if (opts->real_steps < 2)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "real_steps",
                         "real issues need at least 2 steps (got %u)", opts->real_steps);
    if (opts->max_issue_values < 1)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_issue_values",
                         "max_issue_values must be at least 1");
    const truce_limits *given = opts->version >= 2 && opts->limits ? opts->limits : &standard;
    int rc = limits_check(given, err);
    if (rc)
        return rc;
    limits_upgrade(&out->l, given);
    const truce_limits *l = &out->l;
    out->real_steps = opts->real_steps;
    out->legacy = opts->version >= 3 && opts->legacy;
    out->options_name = "max_options";
    if (opts->max_issue_values < l->max_options) {
        out->l.max_options = opts->max_issue_values;
        out->options_name = "max_issue_values";
    }
    return 0;
}

int limit_exceeded(truce_error *err, const char *file, int line, const char *name,
                   unsigned long long limit, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    int rc = error_set(err, TRUCE_ELIMIT, file, line, NULL, "%s, more than the limit %s = %llu",
                       what, name, limit);
    if (err)
        snprintf(err->field, sizeof err->field, "%s", name);
    return rc;
}

int limit_file_size(const char *path, const load_limits *lim, truce_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if ((uint64_t)st.st_size > lim->l.max_file_bytes)
        return limit_exceeded(err, path, 0, "max_file_bytes",
                              (unsigned long long)lim->l.max_file_bytes, "the file has %lld bytes",
                              (long long)st.st_size);
    return 0;
}

int limit_total_options(const truce_scenario *s, const load_limits *lim, const char *path,
                        truce_error *err)
{
    uint64_t total = 0;
    for (size_t i = 0; i < s->n_issues; i++)
        total += s->issues[i].n_options;
    if (total > lim->l.max_options_total)
        return limit_exceeded(
            err, path, 0, "max_options_total", (unsigned long long)lim->l.max_options_total,
            "the %zu issues have %llu options in all", s->n_issues, (unsigned long long)total);
    return 0;
}
