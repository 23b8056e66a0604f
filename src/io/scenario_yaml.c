/* scenario_yaml.c: reading the native YAML scenario format (libfyaml): issues,
 * parties with roles and preferences, hard conditions, time-dependent
 * reservation values, guarantees, channels, agenda, preconditions, influence.
 * Every error names the file, line and column, and what was expected. */
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/limits.h"
#include "../core/scenario.h"
#include "yamlutil.h"

typedef struct ctx {
    truce_scenario *s;
    const char *path;
    truce_error *err;
    const load_limits *lim;
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
    return 0;
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

static int find_issue(const truce_scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_issues; i++)
        if (strcmp(s->issues[i].name, id) == 0)
            return (int)i;
    return -1;
}

static int find_option(const issue *is, const char *label)
{
    for (uint32_t k = 0; k < is->n_options; k++) {
        char buf[64];
        const char *l = label;
        if (is->kind == TRUCE_ISSUE_DISCRETE) {
            if (strcmp(is->labels[k], l) == 0)
                return (int)k;
            continue;
        }
        if (is->kind == TRUCE_ISSUE_INTEGER)
            snprintf(buf, sizeof buf, "%lld", (long long)(is->int_lower + (int64_t)k));
        else
            snprintf(buf, sizeof buf, "%.17g", issue_option_value(is, k));
        if (strcmp(buf, l) == 0)
            return (int)k;
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

/* ---- issues ---- */

static int load_issue(ctx *c, issue *is, struct fy_node *n, size_t index)
{
    static const char *const keys[] = {"id",    "label", "type",   "options",
                                       "range", "steps", "source", NULL};
    int rc;
    if ((rc = as_mapping(c, n, "an issue")) || (rc = only_keys(c, n, "an issue", keys)) ||
        (rc = need_text(c, n, "id", "an issue", &is->name)) ||
        (rc = opt_text(c, n, "label", &is->label)) || (rc = opt_text(c, n, "source", &is->source)))
        return rc;
    if (find_issue(c->s, is->name) >= 0 && (size_t)find_issue(c->s, is->name) < index)
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
            for (uint32_t j = 0; j < k; j++)
                if (!strcmp(is->labels[j], label))
                    return fail(c, o, "option '%s' appears twice in issue '%s'", label, is->name);
            is->labels[k++] = label;
        }
        is->n_options = k;
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
        int k = label ? find_option(is, label) : -1;
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
        int i = id ? find_issue(c->s, id) : -1;
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
        int i = id ? find_issue(c->s, id) : -1;
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
                int k = label ? find_option(is, label) : -1;
                if (k < 0)
                    return fail(c, fy_node_pair_key(q), "'%s' is not an option of issue '%s'",
                                label ? label : "?", is->name);
                if ((rc = number_of(c, fy_node_pair_value(q), "a value", &raw[k])))
                    return rc;
                if (raw[k] < 0)
                    return fail(c, fy_node_pair_value(q), "values must not be negative");
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
    if (fy_node_is_scalar(n)) {
        if ((rc = number_of(c, n, "the reservation value", &pt->reservation)))
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
            if ((rc = number_of(c, fy_node_sequence_get_by_index(pt_node, 0), "a time", &x[k])) ||
                (rc = number_of(c, fy_node_sequence_get_by_index(pt_node, 1), "a value", &y[k])))
                return rc;
            /* placed at the offending number, not at the pair */
            if (x[k] < 0 || x[k] > 1 || (k && x[k] <= x[k - 1]))
                return fail(c, fy_node_sequence_get_by_index(pt_node, 0),
                            "reservation times must increase within [0, 1]");
            if (y[k] < 0 || y[k] > 1)
                return fail(c, fy_node_sequence_get_by_index(pt_node, 1),
                            "reservation values must lie in [0, 1]");
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

static int load_hard(ctx *c, party *pt, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'hard_conditions'");
    if (rc)
        return rc;
    int count = fy_node_sequence_item_count(list);
    condition *h = arena_array(&c->s->a, (size_t)count + 1, sizeof *h);
    if (!h)
        return error_nomem(c->err);
    static const char *const keys[] = {"id", "label", "require", "source", NULL};
    void *it = NULL;
    struct fy_node *n;
    uint32_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        clause *cl = NULL;
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
        if (!get(n, "require"))
            return fail(c, n, "hard condition '%s' needs 'require: {issue: [options]}'", h[k].id);
        if ((rc = clauses_of(c, get(n, "require"), "'require'", &cl, &h[k].n_clauses)))
            return rc;
        h[k].clauses = cl;
        k++;
    }
    pt->n_hard = k;
    pt->hard = h;
    return 0;
}

static int load_party(ctx *c, party *pt, struct fy_node *n, size_t index)
{
    static const char *const keys[] = {
        "id",       "label",           "role",   "weights",    "values",   "terms", "reservation",
        "discount", "hard_conditions", "source", "term_scale", "divisors", NULL};
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
    else
        return fail(c, get(n, "role"), "role must be principal, mediator or stakeholder, not '%s'",
                    role);
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
            int i = id ? find_issue(s, id) : -1;
            if (i < 0)
                return fail(c, fy_node_pair_key(p), "unknown issue '%s' in the weights of '%s'",
                            id ? id : "?", pt->name);
            if ((rc = number_of(c, fy_node_pair_value(p), "a weight", &ev[i].weight)))
                return rc;
            if (ev[i].weight < 0)
                return fail(c, fy_node_pair_value(p), "weights must not be negative");
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
            int i = id ? find_issue(s, id) : -1;
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

static int load_channels(ctx *c, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'channels' (a list of [party, party])");
    if (rc)
        return rc;
    size_t n = c->s->n_parties;
    unsigned char *ch = arena_array(&c->s->a, n * n, 1);
    if (!ch)
        return error_nomem(c->err);
    void *it = NULL;
    struct fy_node *pair;
    while ((pair = fy_node_sequence_iterate(list, &it))) {
        if (!fy_node_is_sequence(pair) || fy_node_sequence_item_count(pair) != 2)
            return fail(c, pair, "a channel is a pair [party, party]");
        size_t a = 0, b = 0;
        if ((rc = party_ref(c, fy_node_sequence_get_by_index(pair, 0), "a channel", &a)) ||
            (rc = party_ref(c, fy_node_sequence_get_by_index(pair, 1), "a channel", &b)))
            return rc;
        if (a == b)
            return fail(c, pair, "a channel joins two different parties");
        ch[a * n + b] = ch[b * n + a] = 1;
    }
    c->s->channels = ch;
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
                int i = id ? find_issue(c->s, id) : -1;
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

static int load_preconditions(ctx *c, struct fy_node *list)
{
    int rc = as_sequence(c, list, "'preconditions'");
    if (rc)
        return rc;
    int count = fy_node_sequence_item_count(list);
    precondition *pre = arena_array(&c->s->a, (size_t)count + 1, sizeof *pre);
    if (!pre)
        return error_nomem(c->err);
    static const char *const keys[] = {"party", "first", "then", "source", NULL};
    void *it = NULL;
    struct fy_node *n;
    size_t k = 0;
    while ((n = fy_node_sequence_iterate(list, &it))) {
        struct fy_node *who, *first, *then;
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
        int i = find_issue(c->s, issue_id);
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
            (rc = number_of(c, weight, "the weight of an influence", &f[k].weight)) ||
            (rc = opt_text(c, n, "source", &f[k].source)))
            return rc;
        if (f[k].weight < 0 || f[k].weight > 1)
            return fail(c, get(n, "weight"), "an influence weight must lie in [0, 1]");
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
    const unsigned char *t = (const unsigned char *)text;
    for (size_t k = 0; k < len;) {
        unsigned long cp = t[k];
        size_t n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (n > 1) {
            cp &= n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07;
            for (size_t j = 1; j < n && k + j < len; j++)
                cp = cp << 6 | (t[k + j] & 0x3F);
        }
        k += n;
        int ok = cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0x7E) ||
                 cp == 0x85 || (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
                 (cp >= 0x10000 && cp <= 0x10FFFF);
        if (!ok)
            return cp ? cp : 0x110000; /* NUL is reported too */
    }
    return 0;
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

static int load_document(ctx *c, struct fy_node *root)
{
    static const char *const keys[] = {
        "truce",  "name",          "description", "notes",     "issues",  "parties", "channels",
        "agenda", "preconditions", "guarantees",  "influence", "sources", NULL};
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
    if (!s->issues || !s->parties)
        return error_nomem(c->err);
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
    it = NULL;
    k = 0;
    while ((n = fy_node_sequence_iterate(parties, &it))) {
        if ((rc = load_party(c, &s->parties[k], n, k)))
            return rc;
        s->n_parties = ++k;
    }
    if (get(root, "channels") && (rc = load_channels(c, get(root, "channels"))))
        return rc;
    if (get(root, "agenda") && (rc = load_agenda(c, get(root, "agenda"))))
        return rc;
    if (get(root, "preconditions") && (rc = load_preconditions(c, get(root, "preconditions"))))
        return rc;
    if (get(root, "guarantees") && (rc = load_guarantees(c, get(root, "guarantees"))))
        return rc;
    if (get(root, "influence") && (rc = load_influence(c, get(root, "influence"))))
        return rc;
    return scenario_finish(s) ? error_nomem(c->err) : 0;
}

int truce_scenario_load_yaml(truce_scenario **out, const char *path, const truce_load_options *opts,
                             truce_error *err)
{
    error_clear(err);
    if (!out || !path)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
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
        ctx c = {s, path, err, &lim};
        rc = load_document(&c, fy_document_root(doc));
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
