/* geniusweb.c: GeniusWeb JSON scenarios (ANAC 2020 on): a domain file and
 * LinearAdditiveUtilitySpace profiles, read and written; folders of them
 * (docs/formats.md#geniusweb-json). */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/limits.h"
#include "../core/names.h"
#include "../core/scenario.h"
#include "../core/utf8.h"
#include "atomic.h"
#include "forms.h"
#include "genius.h"

/* ---- reading ---- */

typedef struct reader {
    truce_scenario *s;
    const char *path; /* the file being read */
    truce_error *err;
    const load_limits *lim;
    name_index issues;   /* the domain's issue names, sorted */
    name_index *options; /* per discrete issue, its values, sorted */
} reader;

/* An error about the value at `where` (a JSON path such as
 * issueUtilities."Food".discreteutils), naming the file; JSON keeps no lines. */
static int fail(const reader *r, const char *where, const char *fmt, ...) TRUCE_PRINTF(3, 4);

static int fail(const reader *r, const char *where, const char *fmt, ...)
{
    char text[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return error_set(r->err, TRUCE_EINVAL, r->path, 0, where, "%s: %s", where, text);
}

static int load_json(json_t **out, const char *path, const load_limits *lim, truce_error *err)
{
    int rc = limit_file_size(path, lim, err);
    if (rc)
        return rc;
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        if (je.line <= 0)
            return error_set(err, TRUCE_EIO, path, 0, NULL, "cannot read file: %s", je.text);
        rc = error_set(err, TRUCE_EPARSE, path, je.line, NULL, "malformed JSON: %s", je.text);
        if (err)
            err->column = je.column;
        return rc;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        return error_set(err, TRUCE_EPARSE, path, 1, NULL,
                         "a GeniusWeb domain or profile is a JSON object");
    }
    *out = doc;
    return 0;
}

static int whole(double x)
{
    return isfinite(x) && floor(x) == x && fabs(x) < 9007199254740992.0;
}

static int number_at(const reader *r, json_t *o, const char *key, const char *where, double *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        return fail(r, where, "'%s' must be a number", key);
    *out = json_number_value(v);
    if (!isfinite(*out))
        return fail(r, where, "'%s' must be finite", key);
    return 0;
}

/* A name (an issue's, a value's) must be there, printable and not too long, as in the other
 * readers (docs/limits.md#names-and-text): JSON strings may hold control characters. */
static int check_name(const reader *r, const char *where, const char *what, const char *name)
{
    size_t len = strlen(name);
    if (len == 0)
        return fail(r, where, "%s has an empty name", what);
    unsigned long cp = name_unprintable(name, len);
    if (cp)
        return fail(r, where,
                    "%s: character U+%04lX is not allowed in a name (the native format and "
                    "one-line messages print only tab, newline and visible characters)",
                    what, cp == 0x110000 ? 0 : cp);
    if (len > r->lim->l.max_name_bytes)
        return limit_exceeded(r->err, r->path, 0, "max_name_bytes", r->lim->l.max_name_bytes,
                              "%s has a name of %zu bytes", what, len);
    return 0;
}

/* One issue of the domain: {"values": [...]} or {"range": {"low", "high", "step"}}. */
static int load_issue(reader *r, issue *is, const char *name, json_t *spec)
{
    char where[300];
    snprintf(where, sizeof where, "issuesValues.\"%.200s\"", name);
    int rc = check_name(r, "issuesValues", "an issue", name);
    if (rc)
        return rc;
    if (!(is->name = arena_strdup(&r->s->a, name)))
        return error_nomem(r->err);
    json_t *values = json_object_get(spec, "values"), *range = json_object_get(spec, "range");
    if (!json_is_object(spec) || (!values == !range))
        return fail(r, where,
                    "an issue is {\"values\": [...]} or {\"range\": {\"low\", \"high\", "
                    "\"step\"}}");
    if (values) {
        if (!json_is_array(values) || json_array_size(values) == 0)
            return fail(r, where, "'values' must be a list of at least one text");
        size_t n = json_array_size(values);
        if (n > r->lim->l.max_options)
            return limit_exceeded(r->err, r->path, 0, r->lim->options_name, r->lim->l.max_options,
                                  "issue '%s' has %zu values", name, n);
        is->kind = TRUCE_ISSUE_DISCRETE;
        is->labels = arena_array(&r->s->a, n, sizeof *is->labels);
        if (!is->labels)
            return error_nomem(r->err);
        for (size_t k = 0; k < n; k++) {
            const char *v = json_string_value(json_array_get(values, k));
            if (!v)
                return fail(r, where, "value %zu is not a text", k + 1);
            if ((rc = check_name(r, where, "a value", v)))
                return rc;
            if (!(is->labels[k] = arena_strdup(&r->s->a, v)))
                return error_nomem(r->err);
        }
        is->n_options = (uint32_t)n;
        /* found through a sorted index: a scan per value was quadratic */
        size_t earlier, repeat;
        name_index x;
        if (name_index_build(&x, &r->s->a.m, (const char *const *)is->labels, n))
            return error_nomem(r->err);
        int twice = name_index_repeat(&x, &earlier, &repeat);
        name_index_free(&x, &r->s->a.m);
        if (twice)
            return fail(r, where, "value \"%s\" appears twice (values %zu and %zu)",
                        is->labels[repeat], earlier + 1, repeat + 1);
        return 0;
    }
    double low = 0, high = 0, step = 0;
    if (!json_is_object(range))
        return fail(r, where, "'range' must be {\"low\", \"high\", \"step\"}");
    if ((rc = number_at(r, range, "low", where, &low)) ||
        (rc = number_at(r, range, "high", where, &high)) ||
        (rc = number_at(r, range, "step", where, &step)))
        return rc;
    if (!(high >= low) || !(step > 0))
        return fail(r, where, "a range needs low <= high and step > 0 (got %g, %g, %g)", low, high,
                    step);
    /* the values low, low + step, ... up to high, as GeniusWeb's NumberValueSet lists them
     * (a hair of slack for steps such as 0.1 that no double holds exactly) */
    double count = floor((high - low) / step * (1 + 1e-12) + 1e-9) + 1;
    if (!(count <= r->lim->l.max_options))
        return limit_exceeded(r->err, r->path, 0, r->lim->options_name, r->lim->l.max_options,
                              "issue '%s' has %.0f values", name, count);
    is->n_options = (uint32_t)count;
    if (whole(low) && whole(high) && step == 1) {
        is->kind = TRUCE_ISSUE_INTEGER;
        is->int_lower = (int64_t)low;
        is->int_upper = (int64_t)high;
        return 0;
    }
    is->kind = TRUCE_ISSUE_REAL;
    is->real_lower = low;
    is->real_upper = low + (count - 1) * step;
    is->gw_step = step;
    is->gw_high = high;
    return 0;
}

static int load_domain(reader *r, json_t *doc)
{
    json_t *issues = json_object_get(doc, "issuesValues");
    if (!json_is_object(issues) || json_object_size(issues) == 0)
        return fail(r, "issuesValues",
                    "a GeniusWeb domain has an object 'issuesValues' with at "
                    "least one issue");
    size_t n = json_object_size(issues);
    if (n > r->lim->l.max_issues)
        return limit_exceeded(r->err, r->path, 0, "max_issues", r->lim->l.max_issues,
                              "the domain has %zu issues", n);
    r->s->issues = arena_array(&r->s->a, n, sizeof *r->s->issues);
    if (!r->s->issues)
        return error_nomem(r->err);
    const char *name;
    json_t *spec;
    size_t i = 0;
    int rc = 0;
    json_object_foreach(issues, name, spec)
    {
        if ((rc = load_issue(r, &r->s->issues[i], name, spec)))
            return rc;
        r->s->issues[i].genius_index = (int)i + 1;
        r->s->n_issues = ++i;
    }
    if ((rc = limit_total_options(r->s, r->lim, r->path, r->err)))
        return rc;
    if (scenario_index_options(r->s))
        return error_nomem(r->err);
    /* names looked up in sorted indexes: a scan per name was quadratic (a million values) */
    const char **names = arena_array(&r->s->a, n, sizeof *names);
    r->options = arena_array(&r->s->a, n, sizeof *r->options);
    if (!names || !r->options)
        return error_nomem(r->err);
    for (size_t k = 0; k < n; k++)
        names[k] = r->s->issues[k].name;
    if (name_index_build(&r->issues, &r->s->a.m, names, n))
        return error_nomem(r->err);
    for (size_t k = 0; k < n; k++) {
        const issue *is = &r->s->issues[k];
        if (is->kind == TRUCE_ISSUE_DISCRETE &&
            name_index_build(&r->options[k], &r->s->a.m, (const char *const *)is->labels,
                             is->n_options))
            return error_nomem(r->err);
    }
    return 0;
}

static void reader_free(reader *r)
{
    if (r->issues.order)
        name_index_free(&r->issues, &r->s->a.m);
    for (size_t k = 0; r->options && k < r->s->n_issues; k++)
        if (r->options[k].order)
            name_index_free(&r->options[k], &r->s->a.m);
}

/* The issue named `name`, or -1. */
static long issue_named(const reader *r, const char *name)
{
    return name_index_find(&r->issues, name);
}

/* The option a bid gives issue i: a text for discrete issues, a number otherwise. */
static int option_of(const reader *r, size_t i, json_t *v, const char *where, uint32_t *out)
{
    const issue *is = &r->s->issues[i];
    if (is->kind == TRUCE_ISSUE_DISCRETE) {
        const char *t = json_string_value(v);
        long k = t ? name_index_find(&r->options[i], t) : -1;
        if (k >= 0) {
            *out = (uint32_t)k;
            return 0;
        }
        return fail(r, where, "%s is no value of issue '%s'", t ? t : "a non-text", is->name);
    }
    double x = json_number_value(v), best = INFINITY;
    if (!json_is_number(v))
        return fail(r, where, "issue '%s' takes a number", is->name);
    for (uint32_t k = 0; k < is->n_options; k++) {
        double d = fabs(issue_option_value(is, k) - x);
        if (d < best) {
            best = d;
            *out = k;
        }
    }
    double scale = fabs(x) > 1 ? fabs(x) : 1;
    if (!(best <= 1e-9 * scale))
        return fail(r, where, "%g is no value of issue '%s'", x, is->name);
    return 0;
}

static int in_unit(double u)
{
    return u >= 0 && u <= 1;
}

static int load_utilities(reader *r, size_t i, evaluator *e, json_t *spec)
{
    const issue *is = &r->s->issues[i];
    char where[300];
    snprintf(where, sizeof where, "issueUtilities.\"%.200s\"", is->name);
    json_t *discrete = json_object_get(spec, "discreteutils");
    json_t *number = json_object_get(spec, "numberutils");
    if (!json_is_object(spec) || json_object_size(spec) != 1 || (!discrete && !number))
        return fail(r, where, "utilities are {\"discreteutils\": ...} or {\"numberutils\": ...}");
    if (discrete) {
        json_t *vu = json_object_get(discrete, "valueUtilities");
        if (is->kind != TRUCE_ISSUE_DISCRETE)
            return fail(r, where, "discrete utilities for the number issue '%s'", is->name);
        if (!json_is_object(vu))
            return fail(r, where, "'discreteutils' holds an object 'valueUtilities'");
        double *raw = arena_array(&r->s->a, is->n_options, sizeof *raw);
        char *seen = arena_array(&r->s->a, is->n_options, 1);
        if (!raw || !seen)
            return error_nomem(r->err);
        const char *value;
        json_t *u;
        json_object_foreach(vu, value, u)
        {
            long found = name_index_find(&r->options[i], value);
            if (found < 0)
                return fail(r, where, "\"%s\" is no value of the issue in the domain", value);
            uint32_t k = (uint32_t)found;
            if (!json_is_number(u) || !in_unit(json_number_value(u)))
                return fail(r, where, "the utility of \"%s\" must be a number in [0, 1]", value);
            raw[k] = json_number_value(u);
            seen[k] = 1;
        }
        for (uint32_t k = 0; k < is->n_options; k++)
            if (!seen[k])
                return fail(r, where, "value \"%s\" has no utility", is->labels[k]);
        e->raw = raw;
        e->extra_max = 1; /* utilities as they are, not divided by the largest */
        return 0;
    }
    if (is->kind == TRUCE_ISSUE_DISCRETE)
        return fail(r, where, "number utilities for the discrete issue '%s'", is->name);
    if (!json_is_object(number))
        return fail(r, where, "'numberutils' is an object");
    static const char *const keys[] = {"lowValue", "lowUtility", "highValue", "highUtility"};
    int rc;
    for (int j = 0; j < 4; j++)
        if ((rc = number_at(r, number, keys[j], where, &e->param[j])))
            return rc;
    if (!in_unit(e->param[1]) || !in_unit(e->param[3]))
        return fail(r, where, "lowUtility and highUtility must lie in [0, 1]");
    if (!(e->param[2] > e->param[0]))
        return fail(r, where, "highValue must be above lowValue");
    double low = is->kind == TRUCE_ISSUE_INTEGER ? (double)is->int_lower : is->real_lower;
    double high = is->kind == TRUCE_ISSUE_INTEGER ? (double)is->int_upper : is->gw_high;
    /* GeniusWeb's isFitting: the utilities span the issue's range */
    if (e->param[0] != low || e->param[2] != high)
        return fail(r, where, "the utilities span [%g, %g] but the issue's range is [%g, %g]",
                    e->param[0], e->param[2], low, high);
    e->real_ftype = REAL_INTERPOLATE;
    e->function = is->kind == TRUCE_ISSUE_INTEGER;
    e->int_lower = is->int_lower;
    e->int_upper = is->int_upper;
    e->real_lower = is->real_lower;
    e->real_upper = is->real_upper;
    return 0;
}

/* The domain a profile embeds must be the domain's. */
static int same_domain(const reader *r, json_t *embedded)
{
    json_t *issues = json_object_get(embedded, "issuesValues");
    if (!json_is_object(issues) || json_object_size(issues) != r->s->n_issues)
        return fail(r, "domain", "the profile's domain has other issues than the domain file");
    for (size_t i = 0; i < r->s->n_issues; i++) {
        const issue *is = &r->s->issues[i];
        json_t *spec = json_object_get(issues, is->name);
        json_t *values = json_object_get(spec, "values");
        int same = spec != NULL;
        if (same && is->kind == TRUCE_ISSUE_DISCRETE) {
            same = json_array_size(values) == is->n_options;
            for (uint32_t k = 0; same && k < is->n_options; k++) {
                const char *v = json_string_value(json_array_get(values, k));
                same = v && !strcmp(v, is->labels[k]);
            }
        } else if (same) {
            json_t *range = json_object_get(spec, "range");
            double low = json_number_value(json_object_get(range, "low"));
            same = range && low == (is->kind == TRUCE_ISSUE_INTEGER ? (double)is->int_lower
                                                                    : is->real_lower);
        }
        if (!same)
            return fail(r, "domain", "issue '%s' differs from the domain file's", is->name);
    }
    return 0;
}

static const char *base_name(arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    char buf[512];
    snprintf(buf, sizeof buf, "%s", slash ? slash + 1 : path);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    /* a file name can hold any bytes: names go into JSON, which takes only UTF-8 */
    utf8_repair(buf);
    for (char *c = buf; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            *c = '?';
    return arena_strdup(a, buf);
}

static int load_profile(reader *r, party *p, json_t *doc)
{
    json_t *space = json_object_get(doc, "LinearAdditiveUtilitySpace");
    if (!space) {
        const char *type = json_object_iter_key(json_object_iter(doc));
        return fail(r, type ? type : "(profile)",
                    "truce reads GeniusWeb profiles of type LinearAdditiveUtilitySpace, not %s",
                    type ? type : "an empty object");
    }
    if (json_object_size(doc) != 1 || !json_is_object(space))
        return fail(r, "LinearAdditiveUtilitySpace",
                    "a profile is one object {\"LinearAdditiveUtilitySpace\": {...}}");
    if (!(p->name = base_name(&r->s->a, r->path)) || !(p->source = arena_strdup(&r->s->a, r->path)))
        return error_nomem(r->err);
    p->role = TRUCE_ROLE_PRINCIPAL;
    p->kind = TRUCE_PROFILE_LINEAR;
    p->discount = 1;
    int rc;
    json_t *embedded = json_object_get(space, "domain");
    if (embedded && (rc = same_domain(r, embedded)))
        return rc;
    json_t *utilities = json_object_get(space, "issueUtilities");
    json_t *weights = json_object_get(space, "issueWeights");
    if (!json_is_object(utilities) || !json_is_object(weights))
        return fail(r, "LinearAdditiveUtilitySpace",
                    "a profile needs objects 'issueUtilities' and 'issueWeights'");
    const truce_scenario *s = r->s;
    evaluator *ev = arena_array(&r->s->a, s->n_issues, sizeof *ev);
    if (!ev)
        return error_nomem(r->err);
    const char *name;
    json_t *v;
    json_object_foreach(utilities, name, v)
    {
        long i = issue_named(r, name);
        if (i < 0)
            return fail(r, "issueUtilities", "'%s' is no issue of the domain", name);
        if ((rc = load_utilities(r, (size_t)i, &ev[i], v)))
            return rc;
    }
    json_object_foreach(weights, name, v)
    {
        long i = issue_named(r, name);
        if (i < 0)
            return fail(r, "issueWeights", "'%s' is no issue of the domain", name);
        if (!json_is_number(v) || !(json_number_value(v) >= 0) || !isfinite(json_number_value(v)))
            return fail(r, "issueWeights", "the weight of '%s' must be a number >= 0", name);
        ev[i].weight = json_number_value(v);
    }
    for (size_t i = 0; i < s->n_issues; i++) {
        if (!json_object_get(utilities, s->issues[i].name))
            return fail(r, "issueUtilities", "issue '%s' has no utilities", s->issues[i].name);
        if (!json_object_get(weights, s->issues[i].name))
            return fail(r, "issueWeights", "issue '%s' has no weight", s->issues[i].name);
    }
    p->evaluators = ev;
    if (linear_build_table(r->s, p))
        return error_nomem(r->err);
    json_t *bid = json_object_get(space, "reservationBid");
    if (bid && !json_is_null(bid)) {
        json_t *values = json_object_get(bid, "issuevalues");
        if (!json_is_object(values) || json_object_size(values) != s->n_issues)
            return fail(r, "reservationBid",
                        "a reservation bid gives every issue a value in "
                        "'issuevalues'");
        uint32_t *o = arena_array(&r->s->a, s->n_issues, sizeof *o);
        if (!o)
            return error_nomem(r->err);
        for (size_t i = 0; i < s->n_issues; i++) {
            json_t *x = json_object_get(values, s->issues[i].name);
            if (!x)
                return fail(r, "reservationBid", "issue '%s' has no value", s->issues[i].name);
            if ((rc = option_of(r, i, x, "reservationBid", &o[i])))
                return rc;
        }
        p->reservation_bid = o;
        /* GeniusWeb: no agreement is worth what the reservation bid is */
        p->reservation = party_utility(r->s, p, o);
        p->has_reservation = 1;
    }
    return 0;
}

/* Build the scenario from parsed documents (the caller keeps them). */
static int load_docs(truce_scenario **out, json_t *domain, const char *domain_path,
                     json_t *const *profiles, const char *const *profile_paths, size_t n,
                     const char *name, const load_limits *lim, const truce_load_options *opts,
                     truce_error *err)
{
    if (n == 0)
        return error_set(err, TRUCE_EINVAL, domain_path, 0, NULL,
                         "a scenario needs at least one profile file");
    if (n > lim->l.max_parties)
        return limit_exceeded(err, domain_path, 0, "max_parties", lim->l.max_parties,
                              "%zu profiles", n);
    truce_scenario *s = scenario_new(opts && opts->version >= 1 ? opts->allocator : NULL);
    if (!s)
        return error_nomem(err);
    s->real_steps = lim->real_steps;
    s->name = name ? arena_strdup(&s->a, name) : base_name(&s->a, domain_path);
    s->parties = arena_array(&s->a, n, sizeof *s->parties);
    int rc = s->name && s->parties ? 0 : error_nomem(err);
    reader r = {s, domain_path, err, lim};
    if (rc == 0)
        rc = load_domain(&r, domain);
    for (size_t i = 0; i < n && rc == 0; i++) {
        r.path = profile_paths[i];
        rc = load_profile(&r, &s->parties[i], profiles[i]);
        s->n_parties = i + 1;
    }
    reader_free(&r);
    if (rc == 0)
        rc = genius_check_party_names(s, profile_paths, err);
    if (rc == 0 && scenario_finish(s))
        rc = error_nomem(err);
    if (rc) {
        truce_scenario_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int truce_scenario_load_geniusweb(truce_scenario **out, const char *domain_path,
                                  const char *const *profile_paths, size_t n_profiles,
                                  const truce_load_options *opts, truce_error *err)
{
    error_clear(err);
    if (!out || !domain_path || (n_profiles && !profile_paths))
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    load_limits lim;
    int rc = load_limits_resolve(&lim, opts, err);
    if (rc == 0 && n_profiles > lim.l.max_parties)
        rc = limit_exceeded(err, domain_path, 0, "max_parties", lim.l.max_parties, "%zu profiles",
                            n_profiles);
    if (rc)
        return rc;
    json_t *domain = NULL;
    json_t **docs = calloc(n_profiles ? n_profiles : 1, sizeof *docs);
    if (!docs)
        return error_nomem(err);
    rc = load_json(&domain, domain_path, &lim, err);
    for (size_t i = 0; i < n_profiles && rc == 0; i++)
        rc = load_json(&docs[i], profile_paths[i], &lim, err);
    if (rc == 0)
        rc = load_docs(out, domain, domain_path, docs, profile_paths, n_profiles, NULL, &lim, opts,
                       err);
    for (size_t i = 0; i < n_profiles; i++)
        json_decref(docs[i]);
    free(docs);
    json_decref(domain);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int geniusweb_load_dir(truce_scenario **out, const char *dir, const char *name,
                       const truce_load_options *opts, truce_error *err)
{
    load_limits lim;
    int rc = load_limits_resolve(&lim, opts, err);
    if (rc)
        return rc;
    DIR *d = opendir(dir);
    if (!d)
        return error_set(err, TRUCE_EIO, dir, 0, NULL, "cannot open folder");
    char **paths = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) && rc == 0) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            char **grown = realloc(paths, cap * sizeof *paths);
            if (!grown) {
                rc = error_nomem(err);
                break;
            }
            paths = grown;
        }
        if (!(paths[n] = malloc(strlen(dir) + len + 2))) {
            rc = error_nomem(err);
            break;
        }
        sprintf(paths[n++], "%s/%s", dir, de->d_name);
    }
    closedir(d);
    if (n)
        qsort(paths, n, sizeof *paths, by_name);
    json_t **docs = calloc(n ? n : 1, sizeof *docs);
    json_t **profiles = calloc(n ? n : 1, sizeof *profiles);
    const char **profile_paths = calloc(n ? n : 1, sizeof *profile_paths);
    if (!rc && (!docs || !profiles || !profile_paths))
        rc = error_nomem(err);
    json_t *domain = NULL;
    const char *domain_path = NULL;
    size_t n_profiles = 0, n_domains = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if ((rc = load_json(&docs[i], paths[i], &lim, err)))
            break;
        if (json_object_get(docs[i], "issuesValues")) {
            n_domains++;
            domain = docs[i];
            domain_path = paths[i];
        } else if (json_object_size(docs[i]) == 1) {
            profiles[n_profiles] = docs[i];
            profile_paths[n_profiles++] = paths[i];
        }
    }
    if (rc == 0 && n_domains != 1)
        rc = error_set(err, TRUCE_EINVAL, dir, 0, NULL,
                       n_domains ? "ambiguous: several GeniusWeb domain files (with "
                                   "'issuesValues'); give the domain and profile files explicitly"
                                 : "no scenario files: no GENIUS XML files and no GeniusWeb domain "
                                   "file (a JSON object with 'issuesValues')");
    if (rc == 0 && n_profiles == 0)
        rc = error_set(err, TRUCE_EINVAL, dir, 0, NULL,
                       "no GeniusWeb profile file (a JSON object such as "
                       "{\"LinearAdditiveUtilitySpace\": ...}) in this folder");
    if (rc == 0)
        rc = load_docs(out, domain, domain_path, profiles, profile_paths, n_profiles, name, &lim,
                       opts, err);
    for (size_t i = 0; i < n; i++) {
        if (docs)
            json_decref(docs[i]);
        free(paths[i]);
    }
    free(paths);
    free(docs);
    free(profiles);
    free(profile_paths);
    return rc;
}

/* ---- writing ---- */

/* An integer issue's evaluator as GeniusWeb's interpolation over the issue's range, when
 * that gives every option the same utility: 1 and the four numbers, else 0. */
static int as_interpolation(const issue *is, const evaluator *e, double *p)
{
    if (is->kind == TRUCE_ISSUE_INTEGER) {
        if (e->function && e->real_ftype == REAL_INTERPOLATE) {
            memcpy(p, e->param, 4 * sizeof *p);
        } else {
            p[0] = (double)is->int_lower;
            p[1] = evaluator_value(is, e, 0);
            p[2] = (double)is->int_upper;
            p[3] = evaluator_value(is, e, is->n_options - 1);
        }
        if (!(p[2] > p[0]) || p[0] != (double)is->int_lower || p[2] != (double)is->int_upper)
            return 0;
    } else {
        if (is->gw_step <= 0 || e->real_ftype != REAL_INTERPOLATE ||
            e->param[0] != is->real_lower || e->param[2] != is->gw_high)
            return 0;
        memcpy(p, e->param, 4 * sizeof *p);
    }
    for (uint32_t k = 0; k < is->n_options; k++)
        if (interpolate(p, issue_option_value(is, k)) != evaluator_value(is, e, k))
            return 0;
    return 1;
}

static int geniusweb_exact(const truce_scenario *s, size_t i, const evaluator *e)
{
    double p[4];
    return as_interpolation(&s->issues[i], e, p);
}

/* The number a bid or range gives: an integer as an integer. */
static json_t *number(double x)
{
    return whole(x) ? json_integer((json_int_t)x) : json_real(x);
}

static json_t *domain_json(const truce_scenario *s)
{
    json_t *issues = json_object();
    for (size_t i = 0; issues && i < s->n_issues; i++) {
        const issue *is = &s->issues[i];
        json_t *spec;
        if (is->kind == TRUCE_ISSUE_DISCRETE) {
            json_t *values = json_array();
            for (uint32_t k = 0; values && k < is->n_options; k++)
                json_array_append_new(values, json_string(is->labels[k]));
            spec = json_pack("{s:o}", "values", values);
        } else if (is->kind == TRUCE_ISSUE_INTEGER) {
            spec = json_pack("{s:{s:o,s:o,s:i}}", "range", "low", number((double)is->int_lower),
                             "high", number((double)is->int_upper), "step", 1);
        } else {
            spec = json_pack("{s:{s:o,s:o,s:o}}", "range", "low", number(is->real_lower), "high",
                             number(is->gw_high), "step", number(is->gw_step));
        }
        if (!spec || json_object_set_new(issues, is->name, spec)) {
            json_decref(issues);
            return NULL;
        }
    }
    return issues ? json_pack("{s:s,s:o}", "name", s->name, "issuesValues", issues) : NULL;
}

/* The bid standing for party p's reservation value: the one read, else an outcome worth it
 * exactly, else the best outcome worth less (GeniusWeb has no other way to say it; the
 * CLI says when the value changes). NULL for none. Searches up to a million outcomes. */
static json_t *reservation_bid(const truce_scenario *s, const party *p)
{
    uint32_t *o = calloc(s->n_issues ? s->n_issues : 1, sizeof *o);
    uint32_t *best = calloc(s->n_issues ? s->n_issues : 1, sizeof *best);
    int found = 0;
    if (o && best && p->reservation_bid) {
        memcpy(best, p->reservation_bid, s->n_issues * sizeof *best);
        found = 1;
    } else if (o && best && p->has_reservation && p->reservation > 0) {
        double total = 1, best_u = -INFINITY;
        for (size_t i = 0; i < s->n_issues; i++)
            total *= s->issues[i].n_options;
        for (double x = 0; x < total && x < 1e6 && best_u != p->reservation; x++) {
            double u = party_utility(s, p, o);
            if (u <= p->reservation && u > best_u) {
                best_u = u;
                memcpy(best, o, s->n_issues * sizeof *best);
                found = 1;
            }
            for (size_t i = 0; i < s->n_issues && ++o[i] == s->issues[i].n_options; i++)
                o[i] = 0;
        }
    }
    json_t *values = found ? json_object() : NULL;
    for (size_t i = 0; values && i < s->n_issues; i++) {
        const issue *is = &s->issues[i];
        json_t *v = is->kind == TRUCE_ISSUE_DISCRETE ? json_string(is->labels[best[i]])
                                                     : number(issue_option_value(is, best[i]));
        if (json_object_set_new(values, is->name, v)) {
            json_decref(values);
            values = NULL;
        }
    }
    free(o);
    free(best);
    return values ? json_pack("{s:o}", "issuevalues", values) : NULL;
}

static json_t *profile_json(const truce_scenario *s, const party *p, json_t *domain)
{
    json_t *utilities = json_object(), *weights = json_object();
    int ok = utilities && weights;
    for (size_t i = 0; ok && i < s->n_issues; i++) {
        const issue *is = &s->issues[i];
        const evaluator *e = &p->evaluators[i];
        json_t *spec;
        if (is->kind == TRUCE_ISSUE_DISCRETE) {
            json_t *vu = json_object();
            for (uint32_t k = 0; vu && k < is->n_options; k++)
                if (json_object_set_new(vu, is->labels[k], json_real(evaluator_value(is, e, k)))) {
                    json_decref(vu);
                    vu = NULL;
                }
            spec = vu ? json_pack("{s:{s:o}}", "discreteutils", "valueUtilities", vu) : NULL;
        } else {
            double q[4];
            as_interpolation(is, e, q); /* geniusweb_exact made sure */
            spec = json_pack("{s:{s:o,s:f,s:o,s:f}}", "numberutils", "lowValue", number(q[0]),
                             "lowUtility", q[1], "highValue", number(q[2]), "highUtility", q[3]);
        }
        ok = spec && !json_object_set_new(utilities, is->name, spec) &&
             !json_object_set_new(weights, is->name, json_real(e->weight));
    }
    json_t *space = ok ? json_pack("{s:O,s:O,s:O,s:s}", "issueUtilities", utilities, "issueWeights",
                                   weights, "domain", domain, "name", p->name)
                       : NULL;
    json_decref(utilities);
    json_decref(weights);
    json_t *bid = space ? reservation_bid(s, p) : NULL;
    if (bid && json_object_set_new(space, "reservationBid", bid)) {
        json_decref(space);
        space = NULL;
    }
    return space ? json_pack("{s:o}", "LinearAdditiveUtilitySpace", space) : NULL;
}

static int write_json(json_t *doc, atomic_file *af, truce_error *err)
{
    if (!doc)
        return error_nomem(err);
    if (json_dumpf(doc, af->f, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) ||
        fputc('\n', af->f) == EOF)
        return error_set(err, TRUCE_EIO, af->path, 0, NULL, "write failed");
    return atomic_finish(af, err);
}

int truce_scenario_save_geniusweb(const truce_scenario *given, const char *domain_path,
                                  const char *const *profile_paths, size_t n_profiles,
                                  truce_error *err)
{
    error_clear(err);
    if (!given || !domain_path || !profile_paths)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (n_profiles != given->n_parties)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL,
                         "%zu profile paths given for %zu parties", n_profiles, given->n_parties);
    for (size_t p = 0; p < given->n_parties; p++)
        if (given->parties[p].is_coalition)
            return error_set(err, TRUCE_EINVAL, NULL, 0, given->parties[p].name,
                             "party '%s' is a coalition (docs/scenario-format.md#coalitions), "
                             "which GeniusWeb cannot express: remove it to write its members as "
                             "parties",
                             given->parties[p].name);
    for (size_t p = 0; p < given->n_parties; p++)
        if (given->parties[p].kind != TRUCE_PROFILE_LINEAR || !given->parties[p].evaluators)
            return error_set(err, TRUCE_EINVAL, NULL, 0, given->parties[p].name,
                             "party '%s' has a nonlinear profile, which a GeniusWeb "
                             "LinearAdditiveUtilitySpace cannot express",
                             given->parties[p].name);
    /* numeric issues GeniusWeb's interpolation cannot carry exactly are written as
     * discrete ones */
    const truce_scenario *s;
    truce_scenario *owned;
    if (forms_view(&s, &owned, given, geniusweb_exact))
        return error_nomem(err);
    atomic_file *files = calloc(n_profiles + 1, sizeof *files);
    json_t *domain = domain_json(s);
    int rc = files && domain ? 0 : error_nomem(err);
    size_t opened = 0;
    for (size_t i = 0; i <= n_profiles && rc == 0; i++) {
        const char *path = i == 0 ? domain_path : profile_paths[i - 1];
        if ((rc = atomic_open(&files[i], path, err)))
            break;
        opened = i + 1;
        json_t *doc = i == 0 ? json_incref(domain) : profile_json(s, &s->parties[i - 1], domain);
        rc = write_json(doc, &files[i], err);
        json_decref(doc);
    }
    for (size_t i = 0; i < opened && rc == 0; i++)
        rc = atomic_commit(&files[i], err);
    for (size_t i = 0; i < opened; i++)
        atomic_abort(&files[i]);
    free(files);
    json_decref(domain);
    truce_scenario_free(owned);
    return rc;
}
