/* scenario_yaml.c: reading the native YAML scenario format (libfyaml): issues,
 * parties with roles and preferences, hard conditions, time-dependent
 * reservation values, guarantees, channels, agenda, preconditions, influence.
 * Every error names the file, line and column, and what was expected. */
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/expr.h"
#include "../core/limits.h"
#include "../core/names.h"
#include "../core/scenario.h"
#include "../core/uncertain.h"
#include "yamlutil.h"

/* A plain number of the model that an 'uncertainty: x' shorthand widens. */
typedef struct plain_number {
    uncertain u; /* target, party, issue, index; central = the value */
    double dlo, dhi;
} plain_number;

typedef struct ctx {
    truce_scenario *s;
    const char *path;
    truce_error *err;
    const load_limits *lim;
    /* sorted indexes for lookups by name, which a scan would make quadratic (a million
     * options, each given a value): the issues' ids once all are read, each discrete issue's
     * options (NULL entries until built) */
    name_index issue_ids;
    int have_issue_ids;
    name_index *options; /* one per issue */
    size_t n_options_ix;  /* entries of options */
    vec uncertain; /* uncertain numbers given explicitly */
    vec plain;     /* plain numbers of preferences, reservation values, influence */
} ctx;

static int fail(ctx *c, struct fy_node *n, const char *fmt, ...) TRUCE_PRINTF(3, 4);

static int fail(ctx *c, struct fy_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = yaml_verror(c->err, c->path, n, fmt, ap);
    va_end(ap);
    return rc;
}

/* A limit exceeded at node n: TRUCE_ELIMIT, the limit's name in err->field. */
static int fail_limit(ctx *c, struct fy_node *n, const char *name, unsigned long long limit,
                      const char *fmt, ...) TRUCE_PRINTF(5, 6);

static int fail_limit(ctx *c, struct fy_node *n, const char *name, unsigned long long limit,
                      const char *fmt, ...)
{
    char text[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    int line, col;
    yaml_node_place(n, &line, &col);
    char where[64] = "";
    if (col)
        snprintf(where, sizeof where, "column %d: ", col);
    int rc = error_set(c->err, TRUCE_ELIMIT, c->path, line, NULL,
                       "%s%s, more than the limit %s = %llu", where, text, name, limit);
    if (c->err) {
        c->err->column = col;
        snprintf(c->err->field, sizeof c->err->field, "%s", name);
    }
    return rc;
}

static struct fy_node *get(struct fy_node *map, const char *key)
{
    return map && fy_node_is_mapping(map) ? fy_node_mapping_lookup_by_string(map, key, FY_NT)
                                          : NULL;
}

/* A key the mapping must have: a missing one is reported at the mapping (a
 * NULL node has no place to name). */
static int need_node(ctx *c, struct fy_node *map, const char *key, const char *what,
                     struct fy_node **out)
{
    if (!(*out = get(map, key)))
        return fail(c, map, "%s needs '%s'", what, key);
    return 0;
}

/* A scalar as a NUL-terminated string in the scenario's arena. */
static const char *text_of(ctx *c, struct fy_node *n)
{
    if (!n || !fy_node_is_scalar(n))
        return NULL;
    size_t len;
    const char *t = fy_node_get_scalar(n, &len);
    if (!t)
        return NULL;
    char *d = arena_alloc(&c->s->a, len + 1);
    if (d) {
        memcpy(d, t, len);
        d[len] = '\0';
    }
    return d;
}

/* max_name_bytes: ids, names and option labels (free text, such as notes, is not bounded). */
static int check_length(ctx *c, struct fy_node *n, const char *text, const char *what,
                        const char *owner)
{
    size_t len = strlen(text);
    if (len <= c->lim->l.max_name_bytes)
        return 0;
    return fail_limit(c, n, "max_name_bytes", c->lim->l.max_name_bytes,
                      "%s%s%s%s has a name of %zu bytes", what, owner ? " '" : "",
                      owner ? owner : "", owner ? "'" : "", len);
}

static int need_text(ctx *c, struct fy_node *map, const char *key, const char *what,
                     const char **out)
{
    struct fy_node *n = get(map, key);
    if (!n)
        return fail(c, map, "%s needs '%s'", what, key);
    if (!fy_node_is_scalar(n))
        return fail(c, n, "'%s' of %s must be a single value", key, what);
    if (!(*out = text_of(c, n)))
        return error_nomem(c->err);
    if (!**out)
        return fail(c, n, "'%s' of %s is empty", key, what);
    return check_length(c, n, *out, what, NULL);
}

/* Optional text: NULL when absent. */
static int opt_text(ctx *c, struct fy_node *map, const char *key, const char **out)
{
    struct fy_node *n = get(map, key);
    *out = NULL;
    if (!n)
        return 0;
    if (!fy_node_is_scalar(n))
        return fail(c, n, "'%s' must be text", key);
    if (!(*out = text_of(c, n)))
        return error_nomem(c->err);
    return 0;
}

static int number_of(ctx *c, struct fy_node *n, const char *what, double *out)
{
    if (n && (fy_node_is_mapping(n) || fy_node_is_sequence(n)))
        return fail(c, n,
                    "%s must be a plain number (intervals and distributions are allowed for "
                    "weights, option values, reservation values and influence weights)",
                    what);
    if (!n || !fy_node_is_scalar(n))
        return fail(c, n, "%s must be a number", what);
    size_t len;
    const char *t = fy_node_get_scalar(n, &len);
    char buf[64];
    if (!t || len == 0 || len >= sizeof buf)
        return fail(c, n, "%s must be a number", what);
    memcpy(buf, t, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (end == buf || *end || errno || !isfinite(d))
        return fail(c, n, "%s must be a number, not \"%s\"", what, buf);
    *out = d;
    return 0;
}

/* Reject keys a mapping is not expected to have (typos must not pass
 * silently). `keys` is NULL-terminated. */
static int only_keys(ctx *c, struct fy_node *map, const char *what, const char *const *keys)
{
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k = fy_node_pair_key(p);
        size_t len;
        const char *t = fy_node_is_scalar(k) ? fy_node_get_scalar(k, &len) : NULL;
        int known = 0;
        for (size_t j = 0; t && keys[j] && !known; j++)
            known = strlen(keys[j]) == len && memcmp(keys[j], t, len) == 0;
        if (!known) {
            char expected[300] = "";
            for (size_t j = 0; keys[j]; j++)
                snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%s%s",
                         j ? ", " : "", keys[j]);
            return fail(c, k, "unknown key '%.*s' in %s (expected one of: %s)", t ? (int)len : 1,
                        t ? t : "?", what, expected);
        }
    }
    return 0;
}

static int as_mapping(ctx *c, struct fy_node *n, const char *what)
{
    if (!n || !fy_node_is_mapping(n))
        return fail(c, n, "%s must be a mapping (key: value lines)", what);
    return 0;
}

static int as_sequence(ctx *c, struct fy_node *n, const char *what)
{
    if (!n || !fy_node_is_sequence(n))
        return fail(c, n, "%s must be a list", what);
    return 0;
}

static int find_issue(const ctx *c, const char *id)
{
    if (c->have_issue_ids)
        return (int)name_index_find(&c->issue_ids, id);
    for (size_t i = 0; i < c->s->n_issues; i++)
        if (strcmp(c->s->issues[i].name, id) == 0)
            return (int)i;
    return -1;
}

/* The option of `is` spelled `label`: a discrete option's name, or an integer or real value
 * written as truce writes it ("%lld", "%.17g"), found without trying every option. */
static int find_option(const ctx *c, const issue *is, const char *label)
{
    size_t i = (size_t)(is - c->s->issues);
    if (is->kind == TRUCE_ISSUE_DISCRETE)
        return c->options && c->options[i].order ? (int)name_index_find(&c->options[i], label)
                                                  : -1;
    char *end;
    double k;
    if (is->kind == TRUCE_ISSUE_INTEGER) {
        errno = 0;
        long long v = strtoll(label, &end, 10);
        if (end == label || *end || errno)
            return -1;
        k = (double)v - (double)is->int_lower; /* exact for the bounds the reader accepts */
    } else {
        double v = strtod(label, &end);
        if (end == label || *end || is->n_options < 2)
            k = is->n_options == 1 && end != label && !*end ? 0 : -1;
        else
            k = nearbyint((v - is->real_lower) / (is->real_upper - is->real_lower) *
                          (double)(is->n_options - 1));
    }
    /* the exact spelling, as before: "%lld" or "%.17g" of the option's value (a real value's
     * neighbours too, should rounding have moved k by one) */
    for (double near = k - (is->kind == TRUCE_ISSUE_REAL); near <= k + 1; near++) {
        if (!(near >= 0 && near < (double)is->n_options))
            continue;
        char buf[64];
        if (is->kind == TRUCE_ISSUE_INTEGER)
            snprintf(buf, sizeof buf, "%lld", (long long)(is->int_lower + (int64_t)near));
        else
            snprintf(buf, sizeof buf, "%.17g", issue_option_value(is, (uint32_t)near));
        if (strcmp(buf, label) == 0)
            return (int)near;
        if (is->kind == TRUCE_ISSUE_INTEGER)
            break;
    }
    return -1;
}

static int find_party(const truce_scenario *s, size_t n, const char *id)
{
    for (size_t p = 0; p < n; p++)
        if (strcmp(s->parties[p].name, id) == 0)
            return (int)p;
    return -1;
}

/* ---- uncertain numbers (docs/scenario-format.md#uncertainty) ---- */

/* A list of numbers [a, b, ...] into a fresh array in the scenario's arena. */
static int number_list(ctx *c, struct fy_node *n, const char *what, size_t min, size_t max,
                       double **out, uint32_t *count)
{
    if (!n || !fy_node_is_sequence(n))
        return fail(c, n, "%s must be a list of numbers", what);
    int m = fy_node_sequence_item_count(n);
    if (m < (int)min || (size_t)m > max) {
        if (min == max)
            return fail(c, n, "%s needs %zu numbers, not %d", what, min, m);
        return fail(c, n, "%s needs %zu to %zu numbers, not %d", what, min, max, m);
    }
    double *v = arena_array(&c->s->a, (size_t)m + 1, sizeof *v);
    if (!v)
        return error_nomem(c->err);
    for (int k = 0; k < m; k++) {
        int rc = number_of(c, fy_node_sequence_get_by_index(n, k), what, &v[k]);
        if (rc)
            return rc;
    }
    *out = v;
    *count = (uint32_t)m;
    return 0;
}

/* A number of the model that may be uncertain: a plain number, an interval
 * [lo, hi] (uniform), or a mapping {uniform: [lo, hi]}, {triangular: [lo,
 * mode, hi]}, {normal: [mean, sd]} or {normal: [mean, sd, lo, hi]},
 * {discrete: [v, ...], p: [p, ...]}, each with an optional central `value`
 * and `source`. Values must lie in [dlo, dhi]. *central gets the number the
 * model holds; an uncertain one is added to c->uncertain (u's target, party,
 * issue and index set by the caller), a plain one to c->plain. `plain_msg`
 * is the message for a plain number outside the domain. */
static int uncertain_number(ctx *c, struct fy_node *n, const char *what, double dlo, double dhi,
                            const char *plain_msg, uncertain *u, double *central)
{
    int rc;
    if (n && fy_node_is_scalar(n)) {
        if ((rc = number_of(c, n, what, central)))
            return rc;
        if (*central < dlo || *central > dhi)
            return fail(c, n, "%s", plain_msg);
        plain_number pn = {*u, dlo, dhi};
        pn.u.central = *central;
        if (!vec_push(&c->plain, &c->s->a.m, &pn))
            return error_nomem(c->err);
        return 0;
    }
    struct fy_node *spec = NULL, *value = NULL, *probs = NULL;
    const char *kind_name = "uniform";
    if (n && fy_node_is_sequence(n)) {
        spec = n; /* [lo, hi] */
    } else if (n && fy_node_is_mapping(n)) {
        void *it = NULL;
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(n, &it))) {
            struct fy_node *k = fy_node_pair_key(p);
            const char *key = fy_node_is_scalar(k) ? fy_node_get_scalar0(k) : NULL;
            if (key && uncertain_kind_find(key) >= 0) {
                if (spec)
                    return fail(c, k, "%s gives two distributions", what);
                spec = fy_node_pair_value(p);
                kind_name = key;
            } else if (key && !strcmp(key, "value")) {
                value = fy_node_pair_value(p);
            } else if (key && !strcmp(key, "p")) {
                probs = fy_node_pair_value(p);
            } else if (key && !strcmp(key, "source")) {
                if (!fy_node_is_scalar(fy_node_pair_value(p)))
                    return fail(c, fy_node_pair_value(p), "'source' must be text");
                if (!(u->source = text_of(c, fy_node_pair_value(p))))
                    return error_nomem(c->err);
            } else {
                return fail(c, k,
                            "unknown distribution '%s' for %s (expected uniform, triangular, "
                            "normal or discrete, with optional value, p and source)",
                            key ? key : "?", what);
            }
        }
        if (!spec)
            return fail(c, n,
                        "%s needs a distribution: uniform: [lo, hi], triangular: [lo, mode, hi], "
                        "normal: [mean, sd] or [mean, sd, lo, hi], or discrete: [values]",
                        what);
    } else {
        return fail(c, n, "%s must be a number, an interval [lo, hi] or a distribution", what);
    }
    u->kind = uncertain_kind_find(kind_name);
    if (probs && u->kind != UNC_DISCRETE)
        return fail(c, probs, "'p' (probabilities) belongs to a discrete distribution only");
    double *v = NULL;
    uint32_t m = 0;
    switch (u->kind) {
    case UNC_UNIFORM:
        if ((rc = number_list(c, spec, "a uniform range [lo, hi]", 2, 2, &v, &m)))
            return rc;
        u->lo = v[0], u->hi = v[1];
        break;
    case UNC_TRIANGULAR:
        if ((rc = number_list(c, spec, "a triangular distribution [lo, mode, hi]", 3, 3, &v, &m)))
            return rc;
        u->lo = v[0], u->mode = v[1], u->hi = v[2];
        break;
    case UNC_NORMAL:
        if ((rc = number_list(c, spec, "a normal distribution [mean, sd] or [mean, sd, lo, hi]", 2,
                              4, &v, &m)))
            return rc;
        if (m == 3)
            return fail(c, spec, "a normal distribution is [mean, sd] or [mean, sd, lo, hi]");
        u->mean = v[0], u->sd = v[1];
        u->lo = m == 4 ? v[2] : dlo;
        u->hi = m == 4 ? v[3] : dhi;
        if (m == 2 && isinf(u->hi) && u->sd >= 0)
            u->hi = u->mean + 10 * u->sd; /* beyond, the mass is below 1e-23 */
        break;
    default: {
        if ((rc = number_list(c, spec, "a discrete distribution's values", 1, 1000, &v, &m)))
            return rc;
        double *pr = NULL;
        uint32_t mp = m;
        if (probs) {
            if ((rc = number_list(c, probs, "'p' (one probability per value)", m, m, &pr, &mp)))
                return rc;
        } else {
            if (!(pr = arena_array(&c->s->a, m, sizeof *pr)))
                return error_nomem(c->err);
            for (uint32_t k = 0; k < m; k++)
                pr[k] = 1.0 / m;
        }
        u->values = v, u->probs = pr, u->n_values = m;
        u->lo = u->hi = v[0];
        for (uint32_t k = 1; k < m; k++) {
            if (v[k] < u->lo)
                u->lo = v[k];
            if (v[k] > u->hi)
                u->hi = v[k];
        }
        break;
    }
    }
    u->central = uncertain_default_central(u);
    if (value && (rc = number_of(c, value, "the central value", &u->central)))
        return rc;
    char why[300];
    if (uncertain_invalid(u, what, dlo, dhi, why, sizeof why))
        return fail(c, n, "%s", why);
    *central = u->central;
    if (!vec_push(&c->uncertain, &c->s->a.m, u))
        return error_nomem(c->err);
    return 0;
}

/* 'uncertainty: x' (a party's or the scenario's): every plain number is
 * widened to uniform [v - x, v + x], cut to its domain. */
static int widen_of(ctx *c, struct fy_node *n, double *out, int *has)
{
    int rc = number_of(c, n, "uncertainty", out);
    if (rc)
        return rc;
    if (!(*out >= 0 && *out <= 1))
        return fail(c, n, "uncertainty (a widening +-x) must lie in [0, 1]");
    *has = 1;
    return 0;
}

/* ---- issues ---- */

static int load_issue(ctx *c, issue *is, struct fy_node *n, size_t index)
{
    static const char *const keys[] = {"id",    "label", "type",   "options",   "range",
                                       "steps", "source", "attributes", NULL};
    int rc;
    if ((rc = as_mapping(c, n, "an issue")) || (rc = only_keys(c, n, "an issue", keys)) ||
        (rc = need_text(c, n, "id", "an issue", &is->name)) ||
        (rc = opt_text(c, n, "label", &is->label)) || (rc = opt_text(c, n, "source", &is->source)))
        return rc;
    if (find_issue(c, is->name) >= 0 && (size_t)find_issue(c, is->name) < index)
        return fail(c, get(n, "id"), "issue id '%s' is used twice", is->name);
    is->genius_index = (int)index + 1;
    const char *type = "discrete";
    if (get(n, "type") && (rc = need_text(c, n, "type", "an issue", &type)))
        return rc;
    if (!strcmp(type, "discrete")) {
        is->kind = TRUCE_ISSUE_DISCRETE;
        struct fy_node *opts;
        if ((rc = need_node(c, n, "options", "a discrete issue", &opts)) ||
            (rc = as_sequence(c, opts, "'options' of a discrete issue")))
            return rc;
        int count = fy_node_sequence_item_count(opts);
        if (count < 1)
            return fail(c, opts, "issue '%s' has no options", is->name);
        if ((uint32_t)count > c->lim->l.max_options)
            return fail_limit(c, opts, c->lim->options_name, c->lim->l.max_options,
                              "issue '%s' has %d options", is->name, count);
        is->labels = arena_array(&c->s->a, (size_t)count, sizeof *is->labels);
        if (!is->labels)
            return error_nomem(c->err);
        void *it = NULL;
        struct fy_node *o;
        uint32_t k = 0;
        while ((o = fy_node_sequence_iterate(opts, &it))) {
            const char *label = text_of(c, o);
            if (!label || !*label)
                return fail(c, o, "an option of issue '%s' must be a non-empty name", is->name);
            if ((rc = check_length(c, o, label, "an option of issue", is->name)))
                return rc;
            is->labels[k++] = label;
        }
        is->n_options = k;
        /* duplicates in O(n log n), and the index that later lookups use */
        name_index *x = &c->options[index];
        if (name_index_build(x, &c->s->a.m, (const char *const *)is->labels, k))
            return error_nomem(c->err);
        size_t earlier, repeat;
        if (name_index_repeat(x, &earlier, &repeat))
            return fail(c, fy_node_sequence_get_by_index(opts, (int)repeat),
                        "option '%s' appears twice in issue '%s'", is->labels[repeat], is->name);
        return 0;
    }
    if (strcmp(type, "integer") && strcmp(type, "real"))
        return fail(c, get(n, "type"), "issue type must be discrete, integer or real, not '%s'",
                    type);
    struct fy_node *range = get(n, "range");
    if (!range || !fy_node_is_sequence(range) || fy_node_sequence_item_count(range) != 2)
        return fail(c, range ? range : n, "issue '%s' needs 'range: [lower, upper]'", is->name);
    double lo, hi;
    if ((rc = number_of(c, fy_node_sequence_get_by_index(range, 0), "the lower bound", &lo)) ||
        (rc = number_of(c, fy_node_sequence_get_by_index(range, 1), "the upper bound", &hi)))
        return rc;
    if (hi < lo)
        return fail(c, range, "issue '%s': upper bound %g is below lower bound %g", is->name, hi,
                    lo);
    if (!strcmp(type, "integer")) {
        if (lo != floor(lo) || hi != floor(hi) || fabs(lo) > 1e15 || fabs(hi) > 1e15)
            return fail(c, range, "issue '%s': integer bounds must be whole numbers", is->name);
        if (hi - lo + 1 > c->lim->l.max_options)
            return fail_limit(c, range, c->lim->options_name, c->lim->l.max_options,
                              "issue '%s' has %.0f values", is->name, hi - lo + 1);
        is->kind = TRUCE_ISSUE_INTEGER;
        is->int_lower = (int64_t)lo;
        is->int_upper = (int64_t)hi;
        is->n_options = (uint32_t)(hi - lo + 1);
        return 0;
    }
    is->kind = TRUCE_ISSUE_REAL;
    is->real_lower = lo;
    is->real_upper = hi;
    double steps = c->lim->real_steps;
    if (get(n, "steps") && (rc = number_of(c, get(n, "steps"), "steps", &steps)))
        return rc;
    if (steps < 2 || steps > 4294967295.0 || steps != floor(steps))
        return fail(c, get(n, "steps") ? get(n, "steps") : n,
                    "steps must be a whole number from 2 to 4294967295");
    if (steps > c->lim->l.max_options)
        return fail_limit(c, get(n, "steps") ? get(n, "steps") : n, c->lim->options_name,
                          c->lim->l.max_options, "issue '%s' has %.0f steps", is->name, steps);
    is->n_options = hi > lo ? (uint32_t)steps : 1;
    return 0;
}

/* ---- option sets: "issue: [options]" or "issue: option" ---- */

static int option_set(ctx *c, struct fy_node *value, const issue *is, unsigned char **out)
{
    unsigned char *allowed = arena_array(&c->s->a, is->n_options, 1);
    if (!allowed)
        return error_nomem(c->err);
    int any = 0;
    void *it = NULL;
    struct fy_node *o = value;
    int seq = fy_node_is_sequence(value);
    for (;;) {
        if (seq && !(o = fy_node_sequence_iterate(value, &it)))
            break;
        const char *label = text_of(c, o);
        int k = label ? find_option(c, is, label) : -1;
        if (k < 0)
            return fail(c, o, "'%s' is not an option of issue '%s'", label ? label : "?", is->name);
        allowed[k] = 1;
        any = 1;
        if (!seq)
            break;
    }
    if (!any)
        return fail(c, value, "an empty list of options for issue '%s'", is->name);
    *out = allowed;
    return 0;
}

/* Clauses of a condition mapping {issue: options}. */
static int clauses_of(ctx *c, struct fy_node *map, const char *what, clause **out, uint32_t *n)
{
    int rc = as_mapping(c, map, what);
    if (rc)
        return rc;
    int count = fy_node_mapping_item_count(map);
    if (count < 1)
        return fail(c, map, "%s names no issue", what);
    clause *cl = arena_array(&c->s->a, (size_t)count, sizeof *cl);
    if (!cl)
        return error_nomem(c->err);
    void *it = NULL;
    struct fy_node_pair *p;
    uint32_t k = 0;
    while ((p = fy_node_mapping_iterate(map, &it))) {
        const char *id = text_of(c, fy_node_pair_key(p));
        int i = id ? find_issue(c, id) : -1;
        if (i < 0)
            return fail(c, fy_node_pair_key(p), "unknown issue '%s' in %s", id ? id : "?", what);
        unsigned char *allowed = NULL;
        if ((rc = option_set(c, fy_node_pair_value(p), &c->s->issues[i], &allowed)))
            return rc;
        cl[k].issue = (uint32_t)i;
        cl[k].allowed = allowed;
        k++;
    }
    *out = cl;
    *n = k;
    return 0;
}

/* ---- preferences ---- */

static int load_values(ctx *c, party *pt, evaluator *ev, struct fy_node *values)
{
    int rc = as_mapping(c, values, "'values'");
    void *it = NULL;
    struct fy_node_pair *p;
    while (rc == 0 && (p = fy_node_mapping_iterate(values, &it))) {
        const char *id = text_of(c, fy_node_pair_key(p));
        int i = id ? find_issue(c, id) : -1;
        if (i < 0)
            return fail(c, fy_node_pair_key(p), "unknown issue '%s' in the values of '%s'",
                        id ? id : "?", pt->name);
        const issue *is = &c->s->issues[i];
        struct fy_node *v = fy_node_pair_value(p);
        if ((rc = as_mapping(c, v, "the values of an issue")))
            return rc;
        if (is->kind == TRUCE_ISSUE_DISCRETE) {
            double *raw = arena_array(&c->s->a, is->n_options, sizeof *raw);
            if (!raw)
                return error_nomem(c->err);
            void *it2 = NULL;
            struct fy_node_pair *q;
            while ((q = fy_node_mapping_iterate(v, &it2))) {
                const char *label = text_of(c, fy_node_pair_key(q));
                int k = label ? find_option(c, is, label) : -1;
                if (k < 0)
                    return fail(c, fy_node_pair_key(q), "'%s' is not an option of issue '%s'",
                                label ? label : "?", is->name);
                uncertain u = {.target = UNC_VALUE,
                               .party = (size_t)(pt - c->s->parties),
                               .issue = (uint32_t)i,
                               .index = (uint32_t)k};
                if ((rc = uncertain_number(c, fy_node_pair_value(q), "a value", 0, INFINITY,
                                           "values must not be negative", &u, &raw[k])))
                    return rc;
            }
            ev[i].raw = raw;
        } else {
            static const char *const keys[] = {"slope", "offset", NULL};
            struct fy_node *slope;
            if ((rc = only_keys(c, v, "the values of a numeric issue", keys)) ||
                (rc = need_node(c, v, "slope", "the value map of a numeric issue", &slope)) ||
                (rc = number_of(c, slope, "slope", &ev[i].slope)))
                return rc;
            if (get(v, "offset") && (rc = number_of(c, get(v, "offset"), "offset", &ev[i].offset)))
                return rc;
            if (is->kind == TRUCE_ISSUE_INTEGER) {
                ev[i].int_lower = is->int_lower;
                ev[i].int_upper = is->int_upper;
            } else {
                /* GENIUS EvaluatorReal linear: parameter1 * x + parameter0 */
                ev[i].real_ftype = REAL_LINEAR;
                ev[i].param[0] = ev[i].offset;
                ev[i].param[1] = ev[i].slope;
                ev[i].real_lower = is->real_lower;
                ev[i].real_upper = is->real_upper;
            }
        }
    }
    return rc;
}

/* Terms: each adds value / term_scale when its clauses hold. The scale
 * (default 1) lets GENIUS constraint profiles (integer utilities over a
 * maxutility) be written as they are, so that converting them keeps every
 * utility bit for bit: dividing the sum once rounds differently from
 * summing quotients. */
static int load_terms(ctx *c, party *pt, struct fy_node *terms, struct fy_node *scale_node)
{
    int rc = as_sequence(c, terms, "'terms'");
    if (rc)
        return rc;
    double scale = 1;
    if (scale_node) {
        if ((rc = number_of(c, scale_node, "term_scale", &scale)))
            return rc;
        if (!(scale > 0))
            return fail(c, scale_node, "term_scale must be above 0");
    }
    int count = fy_node_sequence_item_count(terms);
    term *t = arena_array(&c->s->a, (size_t)count + 1, sizeof *t);
    if (!t)
        return error_nomem(c->err);
    void *it = NULL;
    struct fy_node *n;
    uint32_t k = 0;
    static const char *const keys[] = {"when", "value", "label", "source", NULL};
    while ((n = fy_node_sequence_iterate(terms, &it))) {
        struct fy_node *value;
        if ((rc = as_mapping(c, n, "a term")) || (rc = only_keys(c, n, "a term", keys)) ||
            (rc = need_node(c, n, "value", "a term", &value)) ||
            (rc = number_of(c, value, "the value of a term", &t[k].utility)))
            return rc;
        if (t[k].utility < -scale || t[k].utility > scale)
            return fail(c, value, "a term's value must lie in [-%g, %g] (within term_scale)", scale,
                        scale);
        t[k].weight = 1;
        clause *cl = NULL;
        uint32_t nc = 0;
        if (!get(n, "when"))
            return fail(c, n, "a term needs 'when: {issue: [options]}'");
        if ((rc = clauses_of(c, get(n, "when"), "'when'", &cl, &nc)))
            return rc;
        bound *b = arena_array(&c->s->a, nc, sizeof *b);
        if (!b)
            return error_nomem(c->err);
        for (uint32_t j = 0; j < nc; j++) {
            b[j].issue = cl[j].issue;
            b[j].allowed = cl[j].allowed;
        }
        t[k].n_bounds = nc;
        t[k].bounds = b;
        k++;
    }
    if (k == 0) /* 'terms: []' adds nothing: the profile stays linear */
        return 0;
    pt->kind = TRUCE_PROFILE_NONLINEAR;
    pt->max_utility = scale;
    pt->root.aggregation = AGG_SUM;
    pt->root.weight = 1;
    pt->root.n_terms = k;
    pt->root.terms = t;
    return 0;
}

static int load_reservation(ctx *c, party *pt, struct fy_node *n)
{
    int rc;
    size_t index = (size_t)(pt - c->s->parties);
    int distribution = fy_node_is_sequence(n);
    for (int k = 0; k < 4 && fy_node_is_mapping(n); k++)
        distribution |= get(n, uncertain_kind_name(k)) != NULL;
    if (!fy_node_is_mapping(n) || distribution) {
        uncertain u = {.target = UNC_RESERVATION, .party = index};
        if ((rc = uncertain_number(c, n, "the reservation value", 0, 1,
                                   "the reservation value must lie in [0, 1]", &u,
                                   &pt->reservation)))
            return rc;
    } else {
        static const char *const keys[] = {"points", "source", NULL};
        if ((rc = as_mapping(c, n, "'reservation'")) ||
            (rc = only_keys(c, n, "'reservation'", keys)) ||
            (rc = opt_text(c, n, "source", &pt->reservation_source)))
            return rc;
        struct fy_node *pts;
        if ((rc = need_node(c, n, "points", "'reservation'", &pts)) ||
            (rc = as_sequence(c, pts, "'points' (a list of [time, value])")))
            return rc;
        int count = fy_node_sequence_item_count(pts);
        if (count < 1)
            return fail(c, pts, "'points' needs at least one [time, value]");
        double *x = arena_array(&c->s->a, (size_t)count, sizeof *x);
        double *y = arena_array(&c->s->a, (size_t)count, sizeof *y);
        if (!x || !y)
            return error_nomem(c->err);
        void *it = NULL;
        struct fy_node *pt_node;
        uint32_t k = 0;
        while ((pt_node = fy_node_sequence_iterate(pts, &it))) {
            if (!fy_node_is_sequence(pt_node) || fy_node_sequence_item_count(pt_node) != 2)
                return fail(c, pt_node, "a reservation point is [time, value]");
            uncertain u = {.target = UNC_RESERVATION_POINT, .party = index, .index = k};
            if ((rc = number_of(c, fy_node_sequence_get_by_index(pt_node, 0), "a time", &x[k])))
                return rc;
            /* placed at the offending number, not at the pair */
            if (x[k] < 0 || x[k] > 1 || (k && x[k] <= x[k - 1]))
                return fail(c, fy_node_sequence_get_by_index(pt_node, 0),
                            "reservation times must increase within [0, 1]");
            if ((rc = uncertain_number(c, fy_node_sequence_get_by_index(pt_node, 1),
                                       "a reservation value", 0, 1,
                                       "reservation values must lie in [0, 1]", &u, &y[k])))
                return rc;
            k++;
        }
        pt->n_reservation_points = k;
        pt->reservation_time = x;
        pt->reservation_value = y;
        pt->reservation = party_reservation_at(pt, 0);
    }
    if (pt->reservation < 0 || pt->reservation > 1)
        return fail(c, n, "the reservation value must lie in [0, 1]");
    pt->has_reservation = 1;
    return 0;
}

static int hard_expression(ctx *c, condition *h, struct fy_node *n);

static int load_hard(ctx *c, party *pt, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'hard_conditions'");
    if (rc)
        return rc;
    int count = fy_node_sequence_item_count(list);
    condition *h = arena_array(&c->s->a, (size_t)count + 1, sizeof *h);
    if (!h)
        return error_nomem(c->err);
    static const char *const keys[] = {"id",     "label",       "require",
                                       "source", "credibility", "expression", NULL};
    void *it = NULL;
    struct fy_node *n;
    uint32_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        clause *cl = NULL;
        struct fy_node *cred = get(n, "credibility");
        if ((rc = as_mapping(c, n, "a hard condition")) ||
            (rc = only_keys(c, n, "a hard condition", keys)) ||
            (rc = need_text(c, n, "id", "a hard condition", &h[k].id)) ||
            (rc = opt_text(c, n, "label", &h[k].label)) ||
            (rc = opt_text(c, n, "source", &h[k].source)))
            return rc;
        /* relaxations in truce check name a condition by its id */
        for (uint32_t j = 0; j < k; j++)
            if (!strcmp(h[j].id, h[k].id))
                return fail(c, get(n, "id"), "hard condition '%s' of '%s' appears twice", h[k].id,
                            pt->name);
        if (!get(n, "require") && !get(n, "expression"))
            return fail(c, n,
                        "hard condition '%s' needs 'require: {issue: [options]}' or "
                        "'expression: ...'",
                        h[k].id);
        if (get(n, "require") &&
            (rc = clauses_of(c, get(n, "require"), "'require'", &cl, &h[k].n_clauses)))
            return rc;
        h[k].clauses = cl;
        if (get(n, "expression") && (rc = hard_expression(c, &h[k], get(n, "expression"))))
            return rc;
        if (cred) {
            double p;
            if ((rc = number_of(c, cred, "the credibility of a hard condition", &p)))
                return rc;
            if (!(p >= 0 && p <= 1))
                return fail(c, cred,
                            "the credibility of a hard condition (the probability that it is "
                            "real) must lie in [0, 1]");
            h[k].bluff = 1 - p;
            if (p < 1) {
                /* a draw: 1 the condition is real, 0 a bluff */
                double *v = arena_array(&c->s->a, 2, sizeof *v);
                double *pr = arena_array(&c->s->a, 2, sizeof *pr);
                if (!v || !pr)
                    return error_nomem(c->err);
                v[0] = 0, v[1] = 1, pr[0] = 1 - p, pr[1] = p;
                uncertain u = {.target = UNC_CREDIBILITY,
                               .party = (size_t)(pt - c->s->parties),
                               .index = k,
                               .kind = UNC_DISCRETE,
                               .lo = 0,
                               .hi = 1,
                               .central = 1,
                               .n_values = 2,
                               .values = v,
                               .probs = pr};
                if (!vec_push(&c->uncertain, &c->s->a.m, &u))
                    return error_nomem(c->err);
            }
        }
        k++;
    }
    pt->n_hard = k;
    pt->hard = h;
    return 0;
}

/* Bargaining power (docs/scenario-format.md#bargaining-power): a principal's
 * exponent in the asymmetric Nash product. */
static int load_power(ctx *c, party *pt, struct fy_node *n)
{
    int rc = number_of(c, n, "a bargaining power", &pt->power);
    if (rc)
        return rc;
    if (!(pt->power > 0) || !isfinite(pt->power))
        return fail(c, n, "a bargaining power must be a number above 0");
    if (pt->role != TRUCE_ROLE_PRINCIPAL)
        return fail(c, n,
                    "'%s' is not a principal: only a principal has a bargaining power (it "
                    "weighs a bargainer's gain in the Nash product)",
                    pt->name);
    pt->has_power = 1;
    return 0;
}

/* ---- coalitions (docs/scenario-format.md#coalitions) ---- */

static int party_ref(ctx *c, struct fy_node *n, const char *what, size_t *out);

/* The keys of a party that give preferences: a coalition takes its own from its members,
 * and 'members', 'rule' and 'member_weights' belong to a coalition only. */
static int coalition_keys(ctx *c, party *pt, struct fy_node *n)
{
    static const char *const own[] = {"weights",     "values",      "terms",
                                      "term_scale",  "reservation", "discount",
                                      "hard_conditions", "uncertainty", "divisors", NULL};
    static const char *const coalition_only[] = {"members", "rule", "member_weights", NULL};
    if (pt->is_coalition) {
        for (size_t k = 0; own[k]; k++)
            if (get(n, own[k]))
                return fail(c, get(n, own[k]),
                            "'%s' is a coalition: its preferences are its members' ('%s' is not "
                            "allowed; give its members' weights in 'member_weights')",
                            pt->name, own[k]);
        if (!get(n, "members"))
            return fail(c, n, "coalition '%s' needs 'members' (a list of at least two parties)",
                        pt->name);
        return 0;
    }
    for (size_t k = 0; coalition_only[k]; k++)
        if (get(n, coalition_only[k]))
            return fail(c, get(n, coalition_only[k]),
                        "'%s' belongs to a party of role coalition ('%s' is a %s)",
                        coalition_only[k], pt->name,
                        pt->role == TRUCE_ROLE_MEDIATOR      ? "mediator"
                        : pt->role == TRUCE_ROLE_STAKEHOLDER ? "stakeholder"
                                                             : "principal");
    return 0;
}

/* One member of coalition pt: a party of the scenario named once, neither a coalition nor
 * a mediator nor a member of another coalition, with a linear profile and a constant
 * reservation value. */
static int coalition_member(ctx *c, const party *pt, struct fy_node *n, size_t *out)
{
    truce_scenario *s = c->s;
    size_t m;
    int rc = party_ref(c, n, "the members of a coalition", &m);
    if (rc)
        return rc;
    const party *mp = &s->parties[m];
    if (mp == pt)
        return fail(c, n, "coalition '%s' cannot be its own member", pt->name);
    if (mp->is_coalition)
        return fail(c, n,
                    "'%s' is a coalition: coalitions do not nest (a coalition of coalitions "
                    "would make a cycle of members)",
                    mp->name);
    if (mp->role == TRUCE_ROLE_MEDIATOR)
        return fail(c, n, "'%s' is a mediator: only principals and stakeholders join a coalition",
                    mp->name);
    if (mp->coalition_of == (long)(pt - s->parties))
        return fail(c, n, "'%s' appears twice in the members of '%s'", mp->name, pt->name);
    if (mp->coalition_of >= 0)
        return fail(c, n, "'%s' appears twice among the members of coalitions ('%s')", mp->name,
                    s->parties[mp->coalition_of].name);
    if (mp->kind != TRUCE_PROFILE_LINEAR)
        return fail(c, n,
                    "'%s' has terms (a nonlinear profile): a coalition's members need weights "
                    "and values only",
                    mp->name);
    if (mp->n_reservation_points)
        return fail(c, n,
                    "'%s' has a time-dependent reservation value: a coalition's members need a "
                    "constant one",
                    mp->name);
    *out = m;
    return 0;
}

static int coalition_weights(ctx *c, party *pt, struct fy_node *map)
{
    int rc = as_mapping(c, map, "'member_weights'");
    if (rc)
        return rc;
    double *w = arena_array(&c->s->a, pt->n_members, sizeof *w);
    if (!w)
        return error_nomem(c->err);
    for (size_t k = 0; k < pt->n_members; k++)
        w[k] = 1;
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(map, &it))) {
        size_t m, k = 0;
        if ((rc = party_ref(c, fy_node_pair_key(pair), "the member_weights of a coalition", &m)))
            return rc;
        while (k < pt->n_members && pt->members[k] != m)
            k++;
        if (k == pt->n_members)
            return fail(c, fy_node_pair_key(pair), "'%s' is not a member of coalition '%s'",
                        c->s->parties[m].name, pt->name);
        if ((rc = number_of(c, fy_node_pair_value(pair), "a member's weight", &w[k])))
            return rc;
        if (!(w[k] > 0) || !isfinite(w[k]))
            return fail(c, fy_node_pair_value(pair), "a member's weight must be a number above 0");
    }
    pt->member_weight = w;
    return 0;
}

static int load_coalition(ctx *c, party *pt, struct fy_node *n)
{
    truce_scenario *s = c->s;
    const char *rule = "weighted";
    struct fy_node *list = get(n, "members");
    int rc = as_sequence(c, list, "'members' (a list of parties)");
    if (rc || (get(n, "rule") && (rc = need_text(c, n, "rule", "a coalition", &rule))))
        return rc;
    if (!strcmp(rule, "weighted"))
        pt->coalition_rule = TRUCE_COALITION_WEIGHTED;
    else if (!strcmp(rule, "unanimity"))
        pt->coalition_rule = TRUCE_COALITION_UNANIMITY;
    else
        return fail(c, get(n, "rule"), "a coalition's rule must be weighted or unanimity, not '%s'",
                    rule);
    int count = fy_node_sequence_item_count(list);
    if (count < 2)
        return fail(c, list, "coalition '%s' needs at least two members", pt->name);
    size_t *members = arena_array(&s->a, (size_t)count, sizeof *members);
    if (!members)
        return error_nomem(c->err);
    void *it = NULL;
    struct fy_node *m;
    while ((m = fy_node_sequence_iterate(list, &it))) {
        size_t k = pt->n_members;
        if ((rc = coalition_member(c, pt, m, &members[k])))
            return rc;
        pt->n_members = k + 1;
        pt->members = members;
        /* claimed at once, so that a second coalition naming it is refused */
        s->parties[members[k]].coalition_of = (long)(pt - s->parties);
    }
    for (size_t k = 1; k < pt->n_members; k++)
        if (s->parties[members[k]].discount != s->parties[members[0]].discount)
            return fail(c, list,
                        "the members of coalition '%s' have different discount factors ('%s' "
                        "and '%s'): its utility would have none",
                        pt->name, s->parties[members[0]].name, s->parties[members[k]].name);
    if (get(n, "member_weights") && (rc = coalition_weights(c, pt, get(n, "member_weights"))))
        return rc;
    return coalition_build(s, pt) ? error_nomem(c->err) : 0;
}

/* Read once every party is known (members may come later in the list). */
static int load_coalitions(ctx *c, struct fy_node *parties)
{
    truce_scenario *s = c->s;
    for (size_t p = 0; p < s->n_parties; p++) {
        s->parties[p].coalition_of = -1;
        s->n_coalitions += s->parties[p].is_coalition;
    }
    if (!s->n_coalitions)
        return 0;
    void *it = NULL;
    struct fy_node *n;
    for (size_t p = 0; (n = fy_node_sequence_iterate(parties, &it)); p++) {
        int rc;
        if (s->parties[p].is_coalition && (rc = load_coalition(c, &s->parties[p], n)))
            return rc;
    }
    return 0;
}

/* A coalition talks along its members' channels (in either mode; timed channels with
 * coalitions are not supported); channels naming it are refused, since its own are
 * derived and not written back. */
static int coalition_channels(ctx *c, struct fy_node *list)
{
    truce_scenario *s = c->s;
    size_t n = s->n_parties;
    unsigned char *ch = (unsigned char *)s->channels;
    if (!s->n_coalitions || !ch)
        return 0;
    if (s->windows)
        return fail(c, list,
                    "channels with time windows and coalitions in one scenario are not "
                    "supported yet");
    for (size_t p = 0; p < n; p++) {
        if (!s->parties[p].is_coalition)
            continue;
        for (size_t b = 0; b < n; b++)
            if (ch[p * n + b])
                return fail(c, list,
                            "'%s' is a coalition: it talks along its members' channels, so "
                            "channels do not name it",
                            s->parties[p].name);
    }
    for (size_t p = 0; p < n; p++) {
        const party *pt = &s->parties[p];
        for (size_t k = 0; pt->is_coalition && k < pt->n_members; k++)
            for (size_t b = 0; b < n; b++)
                if (b != p && ch[pt->members[k] * n + b])
                    ch[p * n + b] = ch[b * n + p] = 1;
    }
    return 0;
}

static int load_party(ctx *c, party *pt, struct fy_node *n, size_t index)
{
    static const char *const keys[] = {
        "id",         "label",       "role",     "weights",         "values",
        "terms",      "reservation", "discount", "hard_conditions", "source",
        "term_scale", "uncertainty", "divisors", "power",           "members",
        "rule",       "member_weights",          NULL};
    int rc;
    const char *role = "principal";
    if ((rc = as_mapping(c, n, "a party")) || (rc = only_keys(c, n, "a party", keys)) ||
        (rc = need_text(c, n, "id", "a party", &pt->name)) ||
        (rc = opt_text(c, n, "label", &pt->label)) || (rc = opt_text(c, n, "source", &pt->source)))
        return rc;
    if (find_party(c->s, index, pt->name) >= 0)
        return fail(c, get(n, "id"), "party id '%s' is used twice", pt->name);
    if (get(n, "role") && (rc = need_text(c, n, "role", "a party", &role)))
        return rc;
    if (!strcmp(role, "principal"))
        pt->role = TRUCE_ROLE_PRINCIPAL;
    else if (!strcmp(role, "mediator"))
        pt->role = TRUCE_ROLE_MEDIATOR;
    else if (!strcmp(role, "stakeholder"))
        pt->role = TRUCE_ROLE_STAKEHOLDER;
    else if (!strcmp(role, "coalition"))
        pt->is_coalition = 1, pt->role = TRUCE_ROLE_PRINCIPAL; /* until scenario_finish */
    else
        return fail(c, get(n, "role"),
                    "role must be principal, mediator, stakeholder or coalition, not '%s'", role);
    pt->declared_role = (int)pt->role;
    if ((rc = coalition_keys(c, pt, n)))
        return rc;
    if (pt->is_coalition) {
        pt->discount = 1;
        return get(n, "power") ? load_power(c, pt, get(n, "power")) : 0;
    }
    const truce_scenario *s = c->s;
    evaluator *ev = arena_array(&c->s->a, s->n_issues, sizeof *ev);
    if (!ev)
        return error_nomem(c->err);
    struct fy_node *weights = get(n, "weights");
    if (weights) {
        if ((rc = as_mapping(c, weights, "'weights'")))
            return rc;
        void *it = NULL;
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(weights, &it))) {
            const char *id = text_of(c, fy_node_pair_key(p));
            int i = id ? find_issue(c, id) : -1;
            if (i < 0)
                return fail(c, fy_node_pair_key(p), "unknown issue '%s' in the weights of '%s'",
                            id ? id : "?", pt->name);
            uncertain u = {.target = UNC_WEIGHT, .party = index, .issue = (uint32_t)i};
            if ((rc = uncertain_number(c, fy_node_pair_value(p), "a weight", 0, INFINITY,
                                       "weights must not be negative", &u, &ev[i].weight)))
                return rc;
        }
    }
    if (get(n, "values") && (rc = load_values(c, pt, ev, get(n, "values"))))
        return rc;
    for (size_t i = 0; i < s->n_issues; i++) {
        if (ev[i].weight > 0 && s->issues[i].kind == TRUCE_ISSUE_DISCRETE && !ev[i].raw) {
            /* placed at the issue's key among the weights */
            struct fy_node *key =
                fy_node_mapping_lookup_key_by_string(weights, s->issues[i].name, FY_NT);
            return fail(c, key ? key : weights,
                        "party '%s' weighs issue '%s' but gives it no values", pt->name,
                        s->issues[i].name);
        }
        if (s->issues[i].kind == TRUCE_ISSUE_DISCRETE && !ev[i].raw) {
            double *zero = arena_array(&c->s->a, s->issues[i].n_options, sizeof *zero);
            if (!zero)
                return error_nomem(c->err);
            ev[i].raw = zero;
        }
    }
    struct fy_node *divisors = get(n, "divisors");
    if (divisors) {
        /* what a discrete issue's values are divided by when more than its largest */
        if ((rc = as_mapping(c, divisors, "'divisors'")))
            return rc;
        void *it = NULL;
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(divisors, &it))) {
            const char *id = text_of(c, fy_node_pair_key(p));
            int i = id ? find_issue(c, id) : -1;
            if (i < 0 || s->issues[i].kind != TRUCE_ISSUE_DISCRETE)
                return fail(c, fy_node_pair_key(p),
                            "'%s' in the divisors of '%s' is no discrete issue", id ? id : "?",
                            pt->name);
            if ((rc = number_of(c, fy_node_pair_value(p), "a divisor", &ev[i].extra_max)))
                return rc;
            if (ev[i].extra_max < 0)
                return fail(c, fy_node_pair_value(p), "divisors must not be negative");
        }
    }
    pt->evaluators = ev;
    pt->kind = TRUCE_PROFILE_LINEAR;
    if (linear_build_table(c->s, pt))
        return error_nomem(c->err);
    if (get(n, "term_scale") && !get(n, "terms"))
        return fail(c, get(n, "term_scale"), "term_scale without 'terms'");
    if (get(n, "terms") && (rc = load_terms(c, pt, get(n, "terms"), get(n, "term_scale"))))
        return rc;
    pt->discount = 1;
    if (get(n, "discount")) {
        if ((rc = number_of(c, get(n, "discount"), "the discount factor", &pt->discount_written)))
            return rc;
        if (pt->discount_written <= 0 || pt->discount_written > 1)
            return fail(c, get(n, "discount"), "the discount factor must lie in (0, 1]");
        pt->discount = pt->discount_written;
        pt->has_discount = 1;
    }
    if (get(n, "reservation") && (rc = load_reservation(c, pt, get(n, "reservation"))))
        return rc;
    if (get(n, "hard_conditions") && (rc = load_hard(c, pt, get(n, "hard_conditions"))))
        return rc;
    if (get(n, "uncertainty") && (rc = widen_of(c, get(n, "uncertainty"), &pt->widen,
                                                &pt->has_widen)))
        return rc;
    if (get(n, "power") && (rc = load_power(c, pt, get(n, "power"))))
        return rc;
    return 0;
}

/* ---- decision rule (docs/scenario-format.md#decision-rules) ---- */

static int party_ref(ctx *c, struct fy_node *n, const char *what, size_t *out);

/* A list of parties into per-party flags; `principals` 1: each must be a
 * principal, 0: each must not be one. */
static int party_flags(ctx *c, struct fy_node *list, const char *what, int principals,
                       unsigned char **out)
{
    int rc = as_sequence(c, list, what);
    if (rc)
        return rc;
    truce_scenario *s = c->s;
    unsigned char *flags = arena_array(&s->a, s->n_parties, 1);
    if (!flags)
        return error_nomem(c->err);
    void *it = NULL;
    struct fy_node *n;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        size_t p = 0;
        if ((rc = party_ref(c, n, what, &p)))
            return rc;
        if (flags[p])
            return fail(c, n, "'%s' appears twice in %s", s->parties[p].name, what);
        int principal = s->parties[p].role == TRUCE_ROLE_PRINCIPAL;
        if (principal != principals)
            return fail(c, n,
                        principals ? "'%s' is not a principal (only principals vote under %s)"
                                   : "'%s' is a principal: %s are parties that ratify after "
                                     "signature (stakeholders or mediators)",
                        s->parties[p].name, what);
        flags[p] = 1;
    }
    *out = flags;
    return 0;
}

static int decision_weights(ctx *c, struct fy_node *map)
{
    int rc = as_mapping(c, map, "'weights' of the decision rule");
    if (rc)
        return rc;
    truce_scenario *s = c->s;
    double *w = arena_array(&s->a, s->n_parties, sizeof *w);
    if (!w)
        return error_nomem(c->err);
    for (size_t p = 0; p < s->n_parties; p++)
        w[p] = 1;
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(map, &it))) {
        size_t p;
        if ((rc = party_ref(c, fy_node_pair_key(pair), "the weights of the decision rule", &p)))
            return rc;
        if (s->parties[p].role != TRUCE_ROLE_PRINCIPAL)
            return fail(c, fy_node_pair_key(pair),
                        "'%s' is not a principal (only principals vote under the decision rule)",
                        s->parties[p].name);
        if ((rc = number_of(c, fy_node_pair_value(pair), "a voting weight", &w[p])))
            return rc;
        if (!(w[p] >= 0) || !isfinite(w[p]))
            return fail(c, fy_node_pair_value(pair), "a voting weight must be a number >= 0");
    }
    s->decision_weight = w;
    return 0;
}

static int load_decision(ctx *c, struct fy_node *n)
{
    static const char *const keys[] = {"rule",      "threshold", "weights", "required",
                                       "ratifiers", "source",    NULL};
    const char *rule = "unanimity";
    truce_scenario *s = c->s;
    int rc;
    if ((rc = as_mapping(c, n, "'decision'")) || (rc = only_keys(c, n, "'decision'", keys)) ||
        (rc = opt_text(c, n, "source", &s->decision_source)))
        return rc;
    if (get(n, "rule") && (rc = need_text(c, n, "rule", "'decision'", &rule)))
        return rc;
    s->has_decision = 1;
    if (!strcmp(rule, "qualified-majority")) {
        s->decision_rule = TRUCE_DECISION_QUALIFIED_MAJORITY;
        if (!get(n, "threshold"))
            return fail(c, n,
                        "a qualified majority needs 'threshold' (the share of the "
                        "principals' weight that must accept, in (0, 1])");
        if ((rc = number_of(c, get(n, "threshold"), "the threshold", &s->decision_threshold)))
            return rc;
        if (!(s->decision_threshold > 0 && s->decision_threshold <= 1))
            return fail(c, get(n, "threshold"), "the threshold must lie in (0, 1]");
        if (get(n, "weights") && (rc = decision_weights(c, get(n, "weights"))))
            return rc;
        unsigned char *required = NULL;
        if (get(n, "required") &&
            (rc = party_flags(c, get(n, "required"), "the required members", 1, &required)))
            return rc;
        s->required = required;
    } else if (!strcmp(rule, "unanimity")) {
        s->decision_rule = TRUCE_DECISION_UNANIMITY;
        const char *const only[] = {"threshold", "weights", "required"};
        for (int k = 0; k < 3; k++)
            if (get(n, only[k]))
                return fail(c, get(n, only[k]),
                            "'%s' belongs to a qualified majority (rule: qualified-majority); "
                            "under unanimity every principal must accept",
                            only[k]);
    } else {
        return fail(c, get(n, "rule"),
                    "the decision rule must be unanimity or qualified-majority, not '%s'", rule);
    }
    unsigned char *ratifier = NULL;
    if (get(n, "ratifiers") &&
        (rc = party_flags(c, get(n, "ratifiers"), "the ratifiers", 0, &ratifier)))
        return rc;
    s->ratifier = ratifier;
    return 0;
}

/* ---- relations between parties ---- */

static int party_ref(ctx *c, struct fy_node *n, const char *what, size_t *out)
{
    if (!n || !fy_node_is_scalar(n))
        return fail(c, n, "%s names a party by its id", what);
    const char *id = text_of(c, n);
    int p = id ? find_party(c->s, c->s->n_parties, id) : -1;
    if (p < 0)
        return fail(c, n, "unknown party '%s' in %s", id ? id : "?", what);
    *out = (size_t)p;
    return 0;
}

/* One end of a channel's window: 'key' in relative time [0, 1] or 'key_day'
 * in days [0, days] (then divided by days). *has: whether it was given. */
static int window_end(ctx *c, struct fy_node *map, const char *key, const char *day_key,
                      double *out, int *has)
{
    struct fy_node *rel = get(map, key), *day = get(map, day_key);
    int rc;
    *has = rel || day;
    if (rel && day)
        return fail(c, day, "give '%s' or '%s' for a channel, not both", key, day_key);
    if (rel) {
        if ((rc = number_of(c, rel, "the time a channel opens or closes", out)))
            return rc;
        if (!(*out >= 0 && *out <= 1))
            return fail(c, rel,
                        "'%s' of a channel is a relative time and must lie in [0, 1] "
                        "(0 the start of the talks, 1 the deadline; use '%s' for days)",
                        key, day_key);
    } else if (day) {
        if (!(c->s->days > 0))
            return fail(c, day,
                        "'%s' needs 'days' (the length of the talks in days) at the top level",
                        day_key);
        if ((rc = number_of(c, day, "the day a channel opens or closes", out)))
            return rc;
        if (!(*out >= 0 && *out <= c->s->days))
            return fail(c, day, "'%s' of a channel must lie in [0, %g] (days: %g)", day_key,
                        c->s->days, c->s->days);
        *out /= c->s->days;
    }
    return 0;
}

/* One entry of 'channels': [a, b], open throughout, or a mapping
 * {between: [a, b], from, until (or from_day, until_day), source}. */
static int load_channel(ctx *c, struct fy_node *entry, channel_window *w)
{
    static const char *const keys[] = {"between",   "from",   "until", "from_day",
                                       "until_day", "source", NULL};
    struct fy_node *pair = entry;
    int rc;
    w->from = 0;
    w->until = INFINITY;
    if (fy_node_is_mapping(entry)) {
        if ((rc = only_keys(c, entry, "a channel", keys)) ||
            (rc = need_node(c, entry, "between", "a channel", &pair)) ||
            (rc = opt_text(c, entry, "source", &w->source)))
            return rc;
        int has_from, has_until;
        double until = 1;
        if ((rc = window_end(c, entry, "from", "from_day", &w->from, &has_from)) ||
            (rc = window_end(c, entry, "until", "until_day", &until, &has_until)))
            return rc;
        if (has_until && !(until > w->from))
            return fail(c, get(entry, "until") ? get(entry, "until") : get(entry, "until_day"),
                        "a channel must open before it closes (it opens at %g and closes at %g, "
                        "in relative time)",
                        w->from, until);
        /* closing at the deadline is staying open to the end */
        w->until = has_until && until < 1 ? until : INFINITY;
        w->timed = w->from > 0 || w->until < INFINITY; /* [0, 1] is no window */
    }
    if (!fy_node_is_sequence(pair) || fy_node_sequence_item_count(pair) != 2)
        return fail(c, pair,
                    "a channel is a pair [party, party], or a mapping with 'between: "
                    "[party, party]' and a time window (from, until)");
    if ((rc = party_ref(c, fy_node_sequence_get_by_index(pair, 0), "a channel", &w->a)) ||
        (rc = party_ref(c, fy_node_sequence_get_by_index(pair, 1), "a channel", &w->b)))
        return rc;
    if (w->a == w->b)
        return fail(c, pair, "a channel joins two different parties");
    return 0;
}

static int load_channels(ctx *c, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'channels' (a list of [party, party])");
    if (rc)
        return rc;
    size_t n = c->s->n_parties;
    int count = fy_node_sequence_item_count(list);
    unsigned char *ch = arena_array(&c->s->a, n * n, 1);
    channel_window *windows = arena_array(&c->s->a, count > 0 ? (size_t)count : 1, sizeof *windows);
    if (!ch || !windows)
        return error_nomem(c->err);
    void *it = NULL;
    struct fy_node *entry;
    size_t k = 0;
    int mapped = 0;
    while ((entry = fy_node_sequence_iterate(list, &it))) {
        channel_window *w = &windows[k++];
        if ((rc = load_channel(c, entry, w)))
            return rc;
        ch[w->a * n + w->b] = ch[w->b * n + w->a] = 1;
        mapped |= fy_node_is_mapping(entry);
    }
    c->s->channels = ch;
    /* plain pairs only: the flags say it all (as before windows existed) */
    if (mapped) {
        c->s->windows = windows;
        c->s->n_windows = k;
    }
    return 0;
}

static int load_agenda(ctx *c, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'agenda'");
    if (rc)
        return rc;
    int count = fy_node_sequence_item_count(list);
    agenda_item *items = arena_array(&c->s->a, (size_t)count + 1, sizeof *items);
    if (!items)
        return error_nomem(c->err);
    static const char *const keys[] = {"id", "label", "issues", NULL};
    void *it = NULL;
    struct fy_node *n;
    size_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        if ((rc = as_mapping(c, n, "an agenda item")) ||
            (rc = only_keys(c, n, "an agenda item", keys)) ||
            (rc = need_text(c, n, "id", "an agenda item", &items[k].id)) ||
            (rc = opt_text(c, n, "label", &items[k].label)))
            return rc;
        for (size_t j = 0; j < k; j++)
            if (!strcmp(items[j].id, items[k].id))
                return fail(c, get(n, "id"), "agenda item '%s' appears twice", items[k].id);
        struct fy_node *issues = get(n, "issues");
        if (issues) {
            if ((rc = as_sequence(c, issues, "'issues' of an agenda item")))
                return rc;
            int m = fy_node_sequence_item_count(issues);
            uint32_t *ids = arena_array(&c->s->a, (size_t)m + 1, sizeof *ids);
            if (!ids)
                return error_nomem(c->err);
            void *it2 = NULL;
            struct fy_node *in;
            uint32_t q = 0;
            while ((in = fy_node_sequence_iterate(issues, &it2))) {
                const char *id = text_of(c, in);
                int i = id ? find_issue(c, id) : -1;
                if (i < 0)
                    return fail(c, in, "unknown issue '%s' in agenda item '%s'", id ? id : "?",
                                items[k].id);
                ids[q++] = (uint32_t)i;
            }
            items[k].n_issues = q;
            items[k].issues = ids;
        }
        k++;
    }
    c->s->n_agenda = k;
    c->s->agenda = items;
    return 0;
}

static int agenda_ref(ctx *c, struct fy_node *n, const char *what, size_t *out)
{
    if (!n || !fy_node_is_scalar(n))
        return fail(c, n, "%s names an agenda item by its id", what);
    const char *id = text_of(c, n);
    for (size_t k = 0; id && k < c->s->n_agenda; k++)
        if (!strcmp(c->s->agenda[k].id, id)) {
            *out = k;
            return 0;
        }
    return fail(c, n, "unknown agenda item '%s' in %s (declare it under 'agenda')", id ? id : "?",
                what);
}

static int flag_of(ctx *c, struct fy_node *n, const char *what, unsigned char *out);

static int load_preconditions(ctx *c, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'preconditions'");
    if (rc)
        return rc;
    int count = fy_node_sequence_item_count(list);
    precondition *pre = arena_array(&c->s->a, (size_t)count + 1, sizeof *pre);
    if (!pre)
        return error_nomem(c->err);
    static const char *const keys[] = {"party", "first", "then", "source", "same_phase", NULL};
    unsigned char *same = arena_array(&c->s->a, (size_t)count + 1, 1);
    if (!same)
        return error_nomem(c->err);
    int any_same = 0;
    void *it = NULL;
    struct fy_node *n;
    size_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        struct fy_node *who, *first, *then;
        if (fy_node_is_mapping(n) && get(n, "same_phase")) {
            if ((rc = flag_of(c, get(n, "same_phase"), "same_phase of a precondition", &same[k])))
                return rc;
            any_same |= same[k];
        }
        if ((rc = as_mapping(c, n, "a precondition")) ||
            (rc = only_keys(c, n, "a precondition", keys)) ||
            (rc = need_node(c, n, "party", "a precondition", &who)) ||
            (rc = need_node(c, n, "first", "a precondition", &first)) ||
            (rc = need_node(c, n, "then", "a precondition", &then)) ||
            (rc = party_ref(c, who, "a precondition", &pre[k].party)) ||
            (rc = agenda_ref(c, first, "a precondition", &pre[k].first)) ||
            (rc = agenda_ref(c, then, "a precondition", &pre[k].then)) ||
            (rc = opt_text(c, n, "source", &pre[k].source)))
            return rc;
        if (pre[k].first == pre[k].then)
            return fail(c, n, "a precondition needs two different agenda items");
        k++;
    }
    c->s->n_preconditions = k;
    c->s->preconditions = pre;
    c->s->same_phase = any_same ? same : NULL;
    return 0;
}

/* ---- phases ---- */

/* true or false. */
static int flag_of(ctx *c, struct fy_node *n, const char *what, unsigned char *out)
{
    size_t len = 0;
    const char *t = n && fy_node_is_scalar(n) ? fy_node_get_scalar(n, &len) : NULL;
    if (t && len == 4 && !memcmp(t, "true", 4))
        *out = 1;
    else if (t && len == 5 && !memcmp(t, "false", 5))
        *out = 0;
    else
        return fail(c, n, "%s must be true or false", what);
    return 0;
}

/* 'phases': ordered phases of implementation, each with the agenda items it
 * carries out (the plan) and what is verified before the next one. */
static int load_phases(ctx *c, struct fy_node *list)
{
    static const char *const keys[] = {"id", "label", "verification", "items", "source", NULL};
    int rc = as_sequence(c, list, "'phases'");
    if (rc)
        return rc;
    truce_scenario *s = c->s;
    int count = fy_node_sequence_item_count(list);
    phase *ph = arena_array(&s->a, (size_t)count + 1, sizeof *ph);
    long *item_phase = arena_array(&s->a, s->n_agenda + 1, sizeof *item_phase);
    if (!ph || !item_phase)
        return error_nomem(c->err);
    for (size_t k = 0; k < s->n_agenda; k++)
        item_phase[k] = -1;
    void *it = NULL;
    struct fy_node *n;
    size_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        if ((rc = as_mapping(c, n, "a phase")) || (rc = only_keys(c, n, "a phase", keys)) ||
            (rc = need_text(c, n, "id", "a phase", &ph[k].id)) ||
            (rc = opt_text(c, n, "label", &ph[k].label)) ||
            (rc = opt_text(c, n, "verification", &ph[k].verification)) ||
            (rc = opt_text(c, n, "source", &ph[k].source)))
            return rc;
        for (size_t j = 0; j < k; j++)
            if (!strcmp(ph[j].id, ph[k].id))
                return fail(c, get(n, "id"), "phase '%s' appears twice", ph[k].id);
        struct fy_node *items = get(n, "items");
        if (items) {
            if ((rc = as_sequence(c, items, "'items' of a phase")))
                return rc;
            void *jt = NULL;
            struct fy_node *item;
            while ((item = fy_node_sequence_iterate(items, &jt))) {
                size_t a = 0;
                if ((rc = agenda_ref(c, item, "a phase", &a)))
                    return rc;
                if (item_phase[a] >= 0)
                    return fail(c, item, "agenda item '%s' is in two phases ('%s' and '%s')",
                                s->agenda[a].id, ph[item_phase[a]].id, ph[k].id);
                item_phase[a] = (long)k;
            }
        }
        k++;
    }
    s->n_phases = k;
    s->phases = ph;
    s->item_phase = item_phase;
    return 0;
}

static int load_guarantees(ctx *c, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'guarantees'");
    if (rc)
        return rc;
    int count = fy_node_sequence_item_count(list);
    guarantee *g = arena_array(&c->s->a, (size_t)count + 1, sizeof *g);
    if (!g)
        return error_nomem(c->err);
    static const char *const keys[] = {"id",     "label", "giver", "issue", "beneficiaries",
                                       "source", NULL};
    void *it = NULL;
    struct fy_node *n;
    size_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        const char *issue_id = NULL;
        struct fy_node *giver, *bens;
        if ((rc = as_mapping(c, n, "a guarantee")) || (rc = only_keys(c, n, "a guarantee", keys)) ||
            (rc = need_text(c, n, "id", "a guarantee", &g[k].id)) ||
            (rc = opt_text(c, n, "label", &g[k].label)) ||
            (rc = opt_text(c, n, "source", &g[k].source)) ||
            (rc = need_node(c, n, "giver", "a guarantee", &giver)) ||
            (rc = need_node(c, n, "beneficiaries", "a guarantee", &bens)) ||
            (rc = party_ref(c, giver, "a guarantee", &g[k].giver)) ||
            (rc = need_text(c, n, "issue", "a guarantee", &issue_id)))
            return rc;
        for (size_t j = 0; j < k; j++)
            if (!strcmp(g[j].id, g[k].id))
                return fail(c, get(n, "id"), "guarantee '%s' appears twice", g[k].id);
        int i = find_issue(c, issue_id);
        if (i < 0)
            return fail(c, get(n, "issue"), "unknown issue '%s' in guarantee '%s'", issue_id,
                        g[k].id);
        g[k].issue = (uint32_t)i;
        if ((rc = as_sequence(c, bens, "'beneficiaries'")))
            return rc;
        int m = fy_node_sequence_item_count(bens);
        size_t *b = arena_array(&c->s->a, (size_t)m + 1, sizeof *b);
        if (!b)
            return error_nomem(c->err);
        void *it2 = NULL;
        struct fy_node *bn;
        size_t q = 0;
        while ((bn = fy_node_sequence_iterate(bens, &it2)))
            if ((rc = party_ref(c, bn, "the beneficiaries of a guarantee", &b[q++])))
                return rc;
        g[k].n_beneficiaries = q;
        g[k].beneficiaries = b;
        k++;
    }
    c->s->n_guarantees = k;
    c->s->guarantees = g;
    return 0;
}

static int load_influence(ctx *c, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'influence'");
    if (rc)
        return rc;
    int count = fy_node_sequence_item_count(list);
    influence *f = arena_array(&c->s->a, (size_t)count + 1, sizeof *f);
    if (!f)
        return error_nomem(c->err);
    static const char *const keys[] = {"stakeholder", "principal", "weight", "source", NULL};
    void *it = NULL;
    struct fy_node *n;
    size_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        struct fy_node *who, *whom, *weight;
        if ((rc = as_mapping(c, n, "an influence")) ||
            (rc = only_keys(c, n, "an influence", keys)) ||
            (rc = need_node(c, n, "stakeholder", "an influence", &who)) ||
            (rc = need_node(c, n, "principal", "an influence", &whom)) ||
            (rc = need_node(c, n, "weight", "an influence", &weight)) ||
            (rc = party_ref(c, who, "an influence", &f[k].stakeholder)) ||
            (rc = party_ref(c, whom, "an influence", &f[k].principal)) ||
            (rc = opt_text(c, n, "source", &f[k].source)))
            return rc;
        uncertain u = {.target = UNC_INFLUENCE, .index = (uint32_t)k};
        if ((rc = uncertain_number(c, weight, "the weight of an influence", 0, 1,
                                   "an influence weight must lie in [0, 1]", &u, &f[k].weight)))
            return rc;
        if (c->s->parties[f[k].principal].role != TRUCE_ROLE_PRINCIPAL)
            return fail(c, get(n, "principal"), "'%s' is not a principal",
                        c->s->parties[f[k].principal].name);
        k++;
    }
    c->s->n_influence = k;
    c->s->influences = f;
    return 0;
}

/* ---- the document ---- */

/* First code point of text[0..len) outside YAML's printable set (YAML 1.2,
 * 5.1: tab, newline, carriage return, U+0020..U+007E, U+0085, U+00A0 and
 * above but for surrogates, U+FFFE and U+FFFF), or 0. Escapes in quoted
 * scalars can write any of them; names holding them could not be written
 * into GENIUS XML or shown on one line. The text is valid UTF-8 (checked
 * on the file, and escapes decode to UTF-8). */
static unsigned long unprintable(const char *text, size_t len)
{
    return name_unprintable(text, len);
}

/* The first node the loader refuses whatever its place, depth first, or
 * NULL: an alias (*name), not resolved since resolving lets a small file
 * expand exponentially and an unresolved one reads as its own name; or a
 * scalar holding a character YAML does not print. The parser's depth
 * limit bounds the recursion. */
/* libfyaml (0.7.12) miscounts some block scalars (found by fuzz_yaml: a
 * folded scalar whose lines are indented unevenly): the text it returns
 * for one ends in bytes it never wrote. Its length and what its own token
 * iterator reads then differ, which tells such a scalar apart before
 * anybody reads its text. */
#define INCONSISTENT 0x110001ul

static int scalar_consistent(struct fy_node *n)
{
    struct fy_token *t = fy_node_get_scalar_token(n);
    struct fy_token_iter *it = t ? fy_token_iter_create(t) : NULL;
    if (!it)
        return 1; /* nothing to read, or no memory to check: reading fails alike */
    char buf[512];
    size_t total = 0;
    ssize_t got;
    while ((got = fy_token_iter_read(it, buf, sizeof buf)) > 0)
        total += (size_t)got;
    fy_token_iter_destroy(it);
    return total == fy_node_get_scalar_length(n);
}

static struct fy_node *find_refused(struct fy_node *n, unsigned long *cp, uint32_t depth,
                                    uint32_t max_depth, int *too_deep)
{
    if (!n)
        return NULL;
    if (depth > max_depth) {
        *too_deep = 1;
        return n;
    }
    if (fy_node_is_alias(n))
        return n;
    void *it = NULL;
    if (fy_node_is_scalar(n)) {
        if (!scalar_consistent(n)) {
            *cp = INCONSISTENT;
            return n;
        }
        size_t len = 0;
        const char *text = fy_node_get_scalar(n, &len);
        *cp = text ? unprintable(text, len) : 0;
        return *cp ? n : NULL;
    }
    if (fy_node_is_mapping(n)) {
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(n, &it))) {
            struct fy_node *a =
                find_refused(fy_node_pair_key(p), cp, depth + 1, max_depth, too_deep);
            if (a || (a = find_refused(fy_node_pair_value(p), cp, depth + 1, max_depth, too_deep)))
                return a;
        }
    } else if (fy_node_is_sequence(n)) {
        struct fy_node *item;
        while ((item = fy_node_sequence_iterate(n, &it))) {
            struct fy_node *a = find_refused(item, cp, depth + 1, max_depth, too_deep);
            if (a)
                return a;
        }
    }
    return NULL;
}

static int by_place(const void *a, const void *b)
{
    static const int rank[] = {0, 1, 2, 3, 5, 4};
    const uncertain *x = a, *y = b;
    size_t px = x->target == UNC_INFLUENCE ? SIZE_MAX : x->party;
    size_t py = y->target == UNC_INFLUENCE ? SIZE_MAX : y->party;
    if (px != py)
        return px < py ? -1 : 1;
    if (x->target != y->target)
        return rank[x->target] - rank[y->target];
    if (x->issue != y->issue)
        return x->issue < y->issue ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The scenario's uncertain numbers: the explicit ones, then every plain
 * number widened by its party's 'uncertainty' (or else the scenario's). */
static int collect_uncertain(ctx *c)
{
    truce_scenario *s = c->s;
    const plain_number *pn = c->plain.data;
    size_t n = c->uncertain.len;
    for (size_t k = 0; k < c->plain.len; k++) {
        const party *pt = pn[k].u.target == UNC_INFLUENCE ? NULL : &s->parties[pn[k].u.party];
        double x = pt && pt->has_widen ? pt->widen : s->has_widen ? s->widen : 0;
        n += x > 0;
    }
    uncertain *all = arena_array(&s->a, n ? n : 1, sizeof *all);
    if (!all)
        return error_nomem(c->err);
    if (c->uncertain.len)
        memcpy(all, c->uncertain.data, c->uncertain.len * sizeof *all);
    size_t m = c->uncertain.len;
    for (size_t k = 0; k < c->plain.len; k++) {
        const party *pt = pn[k].u.target == UNC_INFLUENCE ? NULL : &s->parties[pn[k].u.party];
        double x = pt && pt->has_widen ? pt->widen : s->has_widen ? s->widen : 0;
        if (!(x > 0))
            continue;
        uncertain u = pn[k].u;
        u.kind = UNC_UNIFORM;
        u.lo = u.central - x < pn[k].dlo ? pn[k].dlo : u.central - x;
        u.hi = u.central + x > pn[k].dhi ? pn[k].dhi : u.central + x;
        u.widened = 1;
        all[m++] = u;
    }
    /* a canonical order (party, then weights, values, reservation, points,
     * credibilities; influences last), so that the draws of a sample do not
     * depend on how the file was written (explicitly, or by widening) */
    qsort(all, m, sizeof *all, by_place);
    s->uncertain = all;
    s->n_uncertain = m;
    return 0;
}


/* ---- constraint expressions (docs/scenario-format.md#constraint-expressions) ---- */

/* The issues' 'attributes: {name: [one number per option]}', gathered into
 * the scenario's attribute tables once every issue is read. */
static int load_attributes(ctx *c, struct fy_node *issues)
{
    truce_scenario *s = c->s;
    size_t ni = s->n_issues, n = 0, cap = 0;
    void *it = NULL;
    struct fy_node *node;
    while ((node = fy_node_sequence_iterate(issues, &it))) {
        struct fy_node *at = get(node, "attributes");
        if (!at)
            continue;
        int rc = as_mapping(c, at, "'attributes' of an issue (name: [one number per option])");
        if (rc)
            return rc;
        cap += (size_t)fy_node_mapping_item_count(at);
    }
    if (cap == 0)
        return 0;
    const char **names = arena_array(&s->a, cap, sizeof *names);
    double **values = arena_array(&s->a, cap, sizeof *values);
    unsigned char *declared = arena_array(&s->a, cap * ni, 1);
    if (!names || !values || !declared)
        return error_nomem(c->err);
    it = NULL;
    size_t i = 0;
    for (; (node = fy_node_sequence_iterate(issues, &it)); i++) {
        struct fy_node *at = get(node, "attributes");
        void *jt = NULL;
        struct fy_node_pair *pair;
        while (at && (pair = fy_node_mapping_iterate(at, &jt))) {
            struct fy_node *key = fy_node_pair_key(pair);
            const char *name = text_of(c, key);
            if (!name || !*name)
                return fail(c, key, "an attribute needs a name");
            size_t k = 0;
            while (k < n && strcmp(names[k], name))
                k++;
            if (find_issue(c, name) >= 0)
                return fail(c, key,
                            "attribute '%s' has the name of an issue: expressions could not "
                            "tell them apart",
                            name);
            if (k < n && declared[k * ni + i])
                return fail(c, key, "attribute '%s' appears twice in issue '%s'", name,
                            s->issues[i].name);
            if (k == n) {
                names[n] = name;
                values[n] = arena_array(&s->a, s->total_options ? s->total_options : 1,
                                        sizeof **values);
                if (!values[n++])
                    return error_nomem(c->err);
            }
            double *v = NULL;
            uint32_t count = 0;
            uint32_t want = s->issues[i].n_options;
            char what[300];
            snprintf(what, sizeof what, "attribute '%s' of issue '%s' (one per option)", name,
                     s->issues[i].name);
            int rc = number_list(c, fy_node_pair_value(pair), what, want, want, &v, &count);
            if (rc)
                return rc;
            memcpy(&values[k][s->option_offset[i]], v, count * sizeof *v);
            declared[k * ni + i] = 1;
        }
    }
    s->n_attributes = n;
    s->attribute_names = names;
    s->attribute_values = (const double *const *)values;
    /* declared was laid out for cap attributes per issue row; n <= cap keeps k * ni + i */
    s->attribute_issues = declared;
    return 0;
}

/* Parse the expression at node n into out, with an error that places the
 * fault in the file (line, and column where the text maps to the file
 * one to one) and in the expression; `owner` names what it belongs to. */
static int parse_expression(ctx *c, struct fy_node *n, const char *owner, expr_rule *out)
{
    const char *text = text_of(c, n);
    if (!text)
        return fail(c, n, "the expression of %s must be text", owner);
    expr_error where;
    int rc = expr_parse(out, &c->s->a, c->s, text, &where);
    if (rc == TRUCE_ENOMEM)
        return error_nomem(c->err);
    if (rc == 0)
        return 0;
    int line, col;
    yaml_node_place(n, &line, &col);
    struct fy_token *tok = fy_node_get_scalar_token(n);
    const struct fy_mark *start = tok ? fy_token_start_mark(tok) : NULL;
    const struct fy_mark *end = tok ? fy_token_end_mark(tok) : NULL;
    int one_line = start && end && start->line == end->line;
    enum fy_node_style style = fy_node_get_style(n);
    size_t lines = 0, from = 0;
    for (size_t k = 0; k < where.offset && text[k]; k++)
        if (text[k] == '\n')
            lines++, from = k + 1;
    int at = (int)(where.offset - from) + 1; /* column within the expression's line */
    if (style == FYNS_LITERAL) {
        /* libfyaml marks a literal block at the start of its first text line, not at
         * its indentation: the line is known, the column only within the expression */
        line += (int)lines;
        col = 0;
    } else if (one_line) {
        col += at - 1; /* libfyaml marks a quoted scalar after its quote */
    } /* else: lines folded into one text; the file place is where it starts */
    char place[32] = "", inside[64];
    if (col)
        snprintf(place, sizeof place, "column %d: ", col);
    if (lines)
        snprintf(inside, sizeof inside, "line %zu, column %d", lines + 1, at);
    else
        snprintf(inside, sizeof inside, "column %d", at);
    rc = error_set(c->err, TRUCE_EINVAL, c->path, line, NULL,
                   "%sthe expression of %s: %s (at %s of the expression)", place, owner,
                   where.message, inside);
    if (c->err) {
        c->err->column = col;
        snprintf(c->err->field, sizeof c->err->field, "expression");
    }
    return rc;
}

/* A hard condition's 'expression': a rule of one issue becomes one more
 * clause (so every per-issue method still applies); one that reads several
 * issues is kept as a rule. */
static int hard_expression(ctx *c, condition *h, struct fy_node *n)
{
    expr_rule *rule = arena_alloc(&c->s->a, sizeof *rule);
    if (!rule)
        return error_nomem(c->err);
    char owner[300];
    snprintf(owner, sizeof owner, "hard condition '%.120s'", h->id);
    int rc = parse_expression(c, n, owner, rule);
    if (rc)
        return rc;
    h->expression = rule->text;
    if (rule->n_issues > 1) {
        h->rule = rule;
        return 0;
    }
    truce_scenario *s = c->s;
    uint32_t i = rule->n_issues ? rule->issues[0] : 0, n_opts = s->issues[i].n_options;
    clause *cl = arena_array(&s->a, h->n_clauses + 1, sizeof *cl);
    unsigned char *allowed = arena_array(&s->a, n_opts ? n_opts : 1, 1);
    uint32_t *scratch = arena_array(&s->a, s->n_issues, sizeof *scratch);
    if (!cl || !allowed || !scratch)
        return error_nomem(c->err);
    if (h->n_clauses)
        memcpy(cl, h->clauses, h->n_clauses * sizeof *cl);
    expr_options(rule->root, i, n_opts, scratch, allowed);
    cl[h->n_clauses] = (clause){i, allowed};
    h->clauses = cl;
    h->n_clauses++;
    return 0;
}

/* 'constraints:': scenario-level feasibility rules. */
static int load_constraints(ctx *c, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'constraints'");
    if (rc)
        return rc;
    truce_scenario *s = c->s;
    int count = fy_node_sequence_item_count(list);
    scenario_rule *out = arena_array(&s->a, (size_t)count + 1, sizeof *out);
    uint32_t *scratch = arena_array(&s->a, s->n_issues, sizeof *scratch);
    if (!out || !scratch)
        return error_nomem(c->err);
    static const char *const keys[] = {"id", "label", "expression", "source", NULL};
    void *it = NULL;
    struct fy_node *n;
    size_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        scenario_rule *x = &out[k];
        struct fy_node *e;
        if ((rc = as_mapping(c, n, "a constraint")) ||
            (rc = only_keys(c, n, "a constraint", keys)) ||
            (rc = need_text(c, n, "id", "a constraint", &x->id)) ||
            (rc = opt_text(c, n, "label", &x->label)) ||
            (rc = opt_text(c, n, "source", &x->source)) ||
            (rc = need_node(c, n, "expression", "a constraint", &e)))
            return rc;
        for (size_t j = 0; j < k; j++)
            if (!strcmp(out[j].id, x->id))
                return fail(c, get(n, "id"), "constraint '%s' appears twice", x->id);
        char owner[300];
        snprintf(owner, sizeof owner, "constraint '%.120s'", x->id);
        if ((rc = parse_expression(c, e, owner, &x->rule)))
            return rc;
        if (x->rule.n_issues <= 1) {
            unsigned char *mask = arena_array(&s->a, s->total_options ? s->total_options : 1, 1);
            if (!mask)
                return error_nomem(c->err);
            memset(mask, 1, s->total_options);
            uint32_t i = x->rule.n_issues ? x->rule.issues[0] : 0;
            expr_options(x->rule.root, i, s->issues[i].n_options, scratch,
                         &mask[s->option_offset[i]]);
            x->mask = mask;
        }
        k++;
    }
    s->n_constraints = k;
    s->constraints = out;
    return 0;
}

static int load_document(ctx *c, struct fy_node *root)
{
    static const char *const keys[] = {
        "truce",      "name",        "description", "notes",  "issues",   "parties",
        "channels",   "agenda",      "preconditions", "guarantees", "influence", "sources",
        "uncertainty", "constraints", "days",        "phases", "decision", NULL};
    int rc;
    unsigned long cp = 0;
    int too_deep = 0;
    struct fy_node *refused = find_refused(root, &cp, 1, c->lim->l.max_depth, &too_deep);
    if (too_deep)
        return fail_limit(c, refused, "max_depth", c->lim->l.max_depth,
                          "a value is nested %llu levels deep",
                          (unsigned long long)c->lim->l.max_depth + 1);
    if (refused && fy_node_is_alias(refused)) {
        size_t len = 0;
        const char *name = fy_node_get_scalar(refused, &len);
        return fail(c, refused, "aliases (*%.*s) are not supported: write the value out",
                    name ? (int)len : 0, name ? name : "");
    }
    if (refused && cp == INCONSISTENT)
        return fail(c, refused,
                    "the YAML parser (libfyaml) cannot read this block of text reliably; "
                    "indent its lines evenly or write it as a quoted string");
    if (refused)
        return fail(c, refused,
                    "character U+%04lX is not allowed in text (YAML prints "
                    "only tab, newline and visible characters)",
                    cp == 0x110000 ? 0 : cp);
    if ((rc = as_mapping(c, root, "a truce scenario")) ||
        (rc = only_keys(c, root, "a truce scenario", keys)))
        return rc;
    double version;
    if (!get(root, "truce"))
        return fail(c, root, "a truce scenario starts with 'truce: 1' (the format version)");
    if ((rc = number_of(c, get(root, "truce"), "the format version", &version)))
        return rc;
    if (version != 1)
        return fail(c, get(root, "truce"), "format version %g is not supported (expected 1)",
                    version);
    truce_scenario *s = c->s;
    if ((rc = need_text(c, root, "name", "a truce scenario", &s->name)) ||
        (rc = opt_text(c, root, "description", &s->description)) ||
        (rc = opt_text(c, root, "notes", &s->notes)))
        return rc;
    struct fy_node *issues = get(root, "issues"), *parties = get(root, "parties");
    if ((rc = as_sequence(c, issues ? issues : root, "'issues'")) ||
        (rc = as_sequence(c, parties ? parties : root, "'parties'")))
        return rc;
    int ni = fy_node_sequence_item_count(issues), np = fy_node_sequence_item_count(parties);
    if (ni < 1)
        return fail(c, issues, "a scenario needs at least one issue");
    if (np < 1)
        return fail(c, parties, "a scenario needs at least one party");
    if ((uint32_t)ni > c->lim->l.max_issues)
        return fail_limit(c, issues, "max_issues", c->lim->l.max_issues, "%d issues", ni);
    if ((uint32_t)np > c->lim->l.max_parties)
        return fail_limit(c, parties, "max_parties", c->lim->l.max_parties, "%d parties", np);
    s->issues = arena_array(&s->a, (size_t)ni, sizeof *s->issues);
    s->parties = arena_array(&s->a, (size_t)np, sizeof *s->parties);
    c->options = arena_array(&s->a, (size_t)ni, sizeof *c->options);
    if (!s->issues || !s->parties || !c->options)
        return error_nomem(c->err);
    c->n_options_ix = (size_t)ni;
    void *it = NULL;
    struct fy_node *n;
    size_t k = 0;
    while ((n = fy_node_sequence_iterate(issues, &it))) {
        if ((rc = load_issue(c, &s->issues[k], n, k)))
            return rc;
        s->n_issues = ++k;
    }
    if ((rc = limit_total_options(s, c->lim, c->path, c->err)))
        return rc;
    if (scenario_index_options(s))
        return error_nomem(c->err);
    if ((rc = load_attributes(c, issues)))
        return rc;
    const char **ids = arena_array(&s->a, s->n_issues, sizeof *ids);
    for (size_t i = 0; ids && i < s->n_issues; i++)
        ids[i] = s->issues[i].name;
    if (!ids || name_index_build(&c->issue_ids, &s->a.m, ids, s->n_issues))
        return error_nomem(c->err);
    c->have_issue_ids = 1;
    it = NULL;
    k = 0;
    while ((n = fy_node_sequence_iterate(parties, &it))) {
        if ((rc = load_party(c, &s->parties[k], n, k)))
            return rc;
        s->n_parties = ++k;
    }
    if ((rc = load_coalitions(c, parties)))
        return rc;
    if (get(root, "days")) {
        if ((rc = number_of(c, get(root, "days"), "days (the length of the talks in days)",
                            &s->days)))
            return rc;
        if (!(s->days > 0))
            return fail(c, get(root, "days"),
                        "days (the length of the talks in days) must be "
                        "above 0");
    }
    if (get(root, "channels") && ((rc = load_channels(c, get(root, "channels"))) ||
                                  (rc = coalition_channels(c, get(root, "channels")))))
        return rc;
    if (get(root, "agenda") && (rc = load_agenda(c, get(root, "agenda"))))
        return rc;
    if (get(root, "preconditions") && (rc = load_preconditions(c, get(root, "preconditions"))))
        return rc;
    if (get(root, "phases") && (rc = load_phases(c, get(root, "phases"))))
        return rc;
    if (get(root, "guarantees") && (rc = load_guarantees(c, get(root, "guarantees"))))
        return rc;
    if (get(root, "influence") && (rc = load_influence(c, get(root, "influence"))))
        return rc;
    if (get(root, "uncertainty") &&
        (rc = widen_of(c, get(root, "uncertainty"), &s->widen, &s->has_widen)))
        return rc;
    if (get(root, "constraints") && (rc = load_constraints(c, get(root, "constraints"))))
        return rc;
    if (get(root, "decision") && (rc = load_decision(c, get(root, "decision"))))
        return rc;
    if (get(root, "decision") && s->n_coalitions)
        return fail(c, get(root, "decision"),
                    "a decision rule and a coalition in one scenario are not supported yet");
    if ((rc = collect_uncertain(c)))
        return rc;
    return scenario_finish(s) ? error_nomem(c->err) : 0;
}

int truce_scenario_load_yaml(truce_scenario **out, const char *path, const truce_load_options *opts,
                             truce_error *err)
{
    error_clear(err);
    if (!out || !path)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (opts && opts->version >= 4 && opts->coalitions != TRUCE_COALITIONS_AS_ONE &&
        opts->coalitions != TRUCE_COALITIONS_SPLIT)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "coalitions",
                         "truce_load_options.coalitions must be TRUCE_COALITIONS_AS_ONE or "
                         "TRUCE_COALITIONS_SPLIT, not %d",
                         opts->coalitions);
    load_limits lim;
    int rc = load_limits_resolve(&lim, opts, err);
    if (rc || (rc = limit_file_size(path, &lim, err)))
        return rc;
    struct fy_document *doc;
    char *text;
    rc = yaml_load_file(&doc, &text, path, lim.l.max_file_bytes,
                        "a truce scenario starts with 'truce: 1'", err);
    if (rc)
        return rc;
    truce_scenario *s = scenario_new(opts ? opts->allocator : NULL);
    if (!s) {
        rc = error_nomem(err);
    } else {
        s->real_steps = lim.real_steps;
        s->coalition_mode = opts && opts->version >= 4 ? opts->coalitions : 0;
        ctx c = {s, path, err, &lim, {NULL, 0, NULL}, 0, NULL, 0, {0}, {0}};
        vec_init(&c.uncertain, sizeof(uncertain));
        vec_init(&c.plain, sizeof(plain_number));
        rc = load_document(&c, fy_document_root(doc));
        if (c.have_issue_ids)
            name_index_free(&c.issue_ids, &s->a.m);
        for (size_t i = 0; i < c.n_options_ix; i++)
            name_index_free(&c.options[i], &s->a.m);
        vec_free(&c.uncertain, &s->a.m);
        vec_free(&c.plain, &s->a.m);
    }
    fy_document_destroy(doc);
    free(text); /* the document pointed into it */
    if (rc) {
        truce_scenario_free(s);
        return rc;
    }
    *out = s;
    return 0;
}
