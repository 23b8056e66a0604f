/* definition_yaml.c: reading a tournament definition file (YAML, documented in
 * docs/results.md); every error names the file, line and column. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../io/yamlutil.h"
#include "tournament.h"

typedef struct ctx {
    const char *path;
    truce_error *err;
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

/* A scalar's text, malloc'd; NULL for a non-scalar. */
static char *scalar(struct fy_node *n)
{
    size_t len;
    const char *t = n && fy_node_is_scalar(n) ? fy_node_get_scalar(n, &len) : NULL;
    if (!t)
        return NULL;
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, t, len);
        d[len] = '\0';
    }
    return d;
}

static int count_of(ctx *c, struct fy_node *n, const char *key, uint64_t lo, uint64_t *out)
{
    char *t = scalar(n);
    if (!t)
        return fail(c, n, "'%s' must be a whole number", key);
    char *end;
    errno = 0;
    unsigned long long v = strtoull(t, &end, 10);
    int bad = end == t || *end || errno || t[0] == '-' || v < lo;
    if (bad) {
        int rc = fail(c, n, "'%s' must be a whole number >= %llu, not \"%s\"", key,
                      (unsigned long long)lo, t);
        free(t);
        return rc;
    }
    free(t);
    *out = v;
    return 0;
}

/* Seconds: a number above 0 (at least `lo`) and below 10^7. */
static int seconds_of(ctx *c, struct fy_node *n, const char *key, double *out)
{
    char *t = scalar(n);
    if (!t)
        return fail(c, n, "'%s' must be a number of seconds", key);
    char *end;
    errno = 0;
    double v = strtod(t, &end);
    if (end == t || *end || errno || !(v > 0 && v < 1e7)) {
        int rc = fail(c, n, "'%s' must be a number of seconds above 0 and below 10^7, not \"%s\"",
                      key, t);
        free(t);
        return rc;
    }
    free(t);
    *out = v;
    return 0;
}

static int flag_of(ctx *c, struct fy_node *n, const char *key, int *out)
{
    char *t = scalar(n);
    int rc = 0;
    if (t && (!strcmp(t, "true") || !strcmp(t, "yes")))
        *out = 1;
    else if (t && (!strcmp(t, "false") || !strcmp(t, "no")))
        *out = 0;
    else
        rc = fail(c, n, "'%s' must be true or false", key);
    free(t);
    return rc;
}

/* A list of texts (or one text) into a NULL-terminated malloc'd array. */
static int texts_of(ctx *c, struct fy_node *n, const char *key, char ***out, size_t *count)
{
    size_t cap = n && fy_node_is_sequence(n) ? (size_t)fy_node_sequence_item_count(n) : 1;
    char **v = calloc(cap + 1, sizeof *v);
    if (!v)
        return error_nomem(c->err);
    *out = v;
    *count = 0;
    if (n && fy_node_is_scalar(n)) {
        if (!(v[0] = scalar(n)))
            return error_nomem(c->err);
        *count = 1;
        return 0;
    }
    if (!n || !fy_node_is_sequence(n) || cap == 0)
        return fail(c, n, "'%s' must be a list of texts with at least one entry", key);
    void *it = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(n, &it))) {
        if (!fy_node_is_scalar(item))
            return fail(c, item, "each entry of '%s' must be a text", key);
        if (!(v[*count] = scalar(item)))
            return error_nomem(c->err);
        if (!v[*count][0])
            return fail(c, item, "an entry of '%s' is empty", key);
        (*count)++;
    }
    return 0;
}

static void texts_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static const char *const keys[] = {"name",         "agents",    "scenarios",  "protocol",
                                   "rounds",       "seconds",   "deadline",   "repetitions",
                                   "permutations", "self_play", "real_steps", "seed",
                                   "clock",        "ties",      "negotiation_timeout",
                                   "skip_unloadable", "legacy", NULL};

static int check_keys(ctx *c, struct fy_node *root)
{
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(root, &it))) {
        struct fy_node *k = fy_node_pair_key(p);
        char *name = scalar(k);
        int known = 0;
        for (size_t i = 0; name && keys[i] && !known; i++)
            known = !strcmp(keys[i], name);
        if (!known) {
            int rc = fail(c, k,
                          "unknown key '%s' (expected name, agents, scenarios, protocol, deadline, "
                          "rounds, seconds, clock, ties, repetitions, permutations, self_play, "
                          "real_steps, seed, negotiation_timeout, skip_unloadable, legacy)",
                          name ? name : "?");
            free(name);
            return rc;
        }
        free(name);
    }
    return 0;
}

static int read_definition(ctx *c, struct fy_node *root, truce_tournament_definition *d,
                           char **name, char ***agents, char ***scenarios)
{
    if (!fy_node_is_mapping(root))
        return fail(c, root, "a tournament definition is a mapping (name, agents, scenarios, ...)");
    int rc = check_keys(c, root);
    struct fy_node *n;
    if (!rc && (n = yaml_get(root, "name")) && !(*name = scalar(n)))
        rc = fail(c, n, "'name' must be a text");
    d->name = *name;
    if (!rc) {
        if (!(n = yaml_get(root, "agents")))
            rc = fail(c, root, "the definition needs 'agents' (a list of agent names)");
        else
            rc = texts_of(c, n, "agents", agents, &d->n_agents);
        d->agents = (const char *const *)*agents;
    }
    if (!rc) {
        if (!(n = yaml_get(root, "scenarios")))
            rc = fail(c, root, "the definition needs 'scenarios' (files, folders or globs)");
        else
            rc = texts_of(c, n, "scenarios", scenarios, &d->n_scenarios);
        d->scenarios = (const char *const *)*scenarios;
    }
    if (!rc && (n = yaml_get(root, "protocol"))) {
        char *p = scalar(n);
        if (!p || (strcmp(p, "sao") && strcmp(p, "alternating-offers")))
            rc = fail(c, n,
                      "unknown protocol '%s' (tournaments run 'sao', stacked alternating "
                      "offers)",
                      p ? p : "?");
        free(p);
    }
    /* the deadline: deadline: {rounds: N} or {seconds: S}, or rounds: N, or seconds: S */
    struct fy_node *deadline = yaml_get(root, "deadline");
    struct fy_node *rounds = yaml_get(root, "rounds"), *seconds = yaml_get(root, "seconds");
    if (!rc && deadline) {
        struct fy_node *r = fy_node_is_mapping(deadline) ? yaml_get(deadline, "rounds") : NULL;
        struct fy_node *t = fy_node_is_mapping(deadline) ? yaml_get(deadline, "seconds") : NULL;
        if ((!r && !t) || fy_node_mapping_item_count(deadline) != 1)
            rc = fail(c, deadline, "'deadline' must be {rounds: N} or {seconds: S}");
        else if (r)
            rc = count_of(c, r, "rounds", 1, &d->rounds);
        else
            rc = seconds_of(c, t, "seconds", &d->seconds);
    }
    if (!rc && (deadline || rounds) && seconds)
        rc = fail(c, seconds, "give one deadline: 'deadline', 'rounds' or 'seconds'");
    if (!rc && rounds) {
        if (deadline)
            rc = fail(c, rounds, "give 'rounds' or 'deadline', not both");
        else
            rc = count_of(c, rounds, "rounds", 1, &d->rounds);
    }
    if (!rc && seconds)
        rc = seconds_of(c, seconds, "seconds", &d->seconds);
    if (!rc && (n = yaml_get(root, "negotiation_timeout")))
        rc = seconds_of(c, n, "negotiation_timeout", &d->negotiation_timeout);
    if (!rc && (n = yaml_get(root, "clock"))) {
        char *v = scalar(n);
        if (v && !strcmp(v, "genius"))
            d->clock = TRUCE_CLOCK_GENIUS;
        else if (v && !strcmp(v, "turn"))
            d->clock = TRUCE_CLOCK_TURN;
        else
            rc = fail(c, n, "'clock' must be genius or turn, not '%s'", v ? v : "?");
        free(v);
    }
    if (!rc && (n = yaml_get(root, "ties"))) {
        char *v = scalar(n);
        if (v && !strcmp(v, "index"))
            d->ties = TRUCE_TIES_INDEX;
        else if (v && !strcmp(v, "genius"))
            d->ties = TRUCE_TIES_GENIUS;
        else
            rc = fail(c, n, "'ties' must be index or genius, not '%s'", v ? v : "?");
        free(v);
    }
    if (!rc && (n = yaml_get(root, "repetitions")))
        rc = count_of(c, n, "repetitions", 1, &d->repetitions);
    if (!rc && (n = yaml_get(root, "seed")))
        rc = count_of(c, n, "seed", 0, &d->seed);
    uint64_t steps;
    if (!rc && (n = yaml_get(root, "real_steps")) &&
        !(rc = count_of(c, n, "real_steps", 2, &steps)))
        d->real_steps = steps > 1000000 ? 1000000 : (uint32_t)steps;
    if (!rc && (n = yaml_get(root, "permutations")))
        rc = flag_of(c, n, "permutations", &d->permutations);
    if (!rc && (n = yaml_get(root, "self_play")))
        rc = flag_of(c, n, "self_play", &d->self_play);
    if (!rc && (n = yaml_get(root, "skip_unloadable")))
        rc = flag_of(c, n, "skip_unloadable", &d->skip_unloadable);
    if (!rc && (n = yaml_get(root, "legacy")))
        rc = flag_of(c, n, "legacy", &d->legacy);
    return rc;
}

int tournament_definition_read(tournament_definition_file *out, const char *path, truce_error *err)
{
    memset(out, 0, sizeof *out);
    truce_tournament_definition init = TRUCE_TOURNAMENT_DEFINITION_INIT;
    out->d = init;
    struct fy_document *doc;
    char *text;
    int rc = yaml_load_file(&doc, &text, path, (uint64_t)1 << 24,
                            "a tournament names its agents and scenarios", err);
    if (rc)
        return rc;
    ctx c = {path, err};
    rc = read_definition(&c, fy_document_root(doc), &out->d, &out->name, &out->agents,
                         &out->scenarios);
    fy_document_destroy(doc);
    free(text);
    snprintf(out->folder, sizeof out->folder, "%s", path);
    out->d.base_dir = dirname(out->folder);
    if (rc)
        tournament_definition_file_free(out);
    return rc;
}

void tournament_definition_file_free(tournament_definition_file *f)
{
    free(f->name);
    texts_free(f->agents);
    texts_free(f->scenarios);
    f->name = NULL;
    f->agents = f->scenarios = NULL;
}

int truce_tournament_load(truce_tournament **out, const char *path, const truce_limits *limits,
                          truce_error *err)
{
    error_clear(err);
    if (!out || !path)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    tournament_definition_file f;
    int rc = tournament_definition_read(&f, path, err);
    if (rc)
        return rc;
    f.d.limits = limits;
    rc = truce_tournament_create(out, &f.d, err);
    tournament_definition_file_free(&f);
    return rc;
}
