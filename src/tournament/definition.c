/* definition.c: a tournament's definition: agents, scenario expansion (files,
 * folders, globs), matchups, the job numbering and seeds, and the canonical
 * JSON a results database must match. */
#include <dirent.h>
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/error.h"
#include "tournament.h"

/* Agent specs are copied: the parsed specs point into the copies. */
static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static int list_add(path_list *l, const char *path)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], path))
            return 0; /* overlapping patterns name a scenario once */
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = dup(path)))
        return -1;
    l->n++;
    return 0;
}

static void list_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int is_yaml(const char *name)
{
    return has_suffix(name, ".yaml") || has_suffix(name, ".yml");
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted entry names of a folder (without . and ..). */
static int folder_entries(const char *dir, char ***out, size_t *n)
{
    DIR *d = opendir(dir);
    *out = NULL;
    *n = 0;
    if (!d)
        return -1;
    path_list l = {0};
    struct dirent *e;
    int rc = 0;
    while (!rc && (e = readdir(d)))
        if (e->d_name[0] != '.')
            rc = list_add(&l, e->d_name);
    closedir(d);
    if (rc) {
        list_free(&l);
        return -1;
    }
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, by_name);
    *out = l.v;
    *n = l.n;
    return 0;
}

static int add_path(path_list *l, const char *path, int depth, truce_error *err);

/* A folder with an XML file in it is one GENIUS scenario; any other folder
 * is a collection of scenarios (subfolders and YAML files). */
static int add_folder(path_list *l, const char *dir, int depth, truce_error *err)
{
    char **names;
    size_t n;
    if (folder_entries(dir, &names, &n))
        return error_set(err, TRUCE_EIO, dir, 0, NULL, "cannot read the folder");
    int genius = 0; /* GENIUS XML or GeniusWeb JSON files: one scenario */
    for (size_t i = 0; i < n; i++)
        genius |= has_suffix(names[i], ".xml") || has_suffix(names[i], ".json");
    int rc = 0;
    size_t before = l->n;
    if (genius) {
        if (list_add(l, dir))
            rc = error_nomem(err);
    } else {
        for (size_t i = 0; i < n && !rc; i++) {
            char sub[PATH_MAX];
            struct stat st;
            if (snprintf(sub, sizeof sub, "%s/%s", dir, names[i]) >= (int)sizeof sub) {
                rc = error_set(err, TRUCE_EINVAL, dir, 0, NULL, "path too long");
                break;
            }
            if (stat(sub, &st))
                continue;
            if (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && is_yaml(names[i])))
                rc = add_path(l, sub, depth + 1, err);
        }
        if (!rc && l->n == before && depth == 0)
            rc = error_set(err, TRUCE_ENOTFOUND, dir, 0, "scenarios",
                           "the folder holds no scenario (no GENIUS XML files, no .yaml files, "
                           "no scenario folders)");
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int add_path(path_list *l, const char *path, int depth, truce_error *err)
{
    struct stat st;
    if (depth > 16)
        return error_set(err, TRUCE_ELIMIT, path, 0, "scenarios", "folders nested too deep");
    if (stat(path, &st))
        return error_set(err, TRUCE_ENOTFOUND, path, 0, "scenarios",
                         "no such scenario file or folder");
    if (S_ISDIR(st.st_mode))
        return add_folder(l, path, depth, err);
    return list_add(l, path) ? error_nomem(err) : 0;
}

static int expand(path_list *l, const char *pattern, const char *base, truce_error *err)
{
    char full[PATH_MAX];
    if (!*pattern)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "scenarios", "empty scenario path");
    if (pattern[0] == '/' || !base || !*base)
        snprintf(full, sizeof full, "%s", pattern);
    else if (snprintf(full, sizeof full, "%s/%s", base, pattern) >= (int)sizeof full)
        return error_set(err, TRUCE_EINVAL, pattern, 0, "scenarios", "path too long");
    if (!strpbrk(pattern, "*?["))
        return add_path(l, full, 0, err);
    glob_t g;
    int grc = glob(full, 0, NULL, &g);
    if (grc == GLOB_NOMATCH) {
        globfree(&g);
        return error_set(err, TRUCE_ENOTFOUND, full, 0, "scenarios",
                         "no scenario file or folder matches the pattern");
    }
    if (grc) {
        globfree(&g);
        return grc == GLOB_NOSPACE ? error_nomem(err)
                                   : error_set(err, TRUCE_EIO, full, 0, "scenarios",
                                               "cannot read the folders the pattern names");
    }
    int rc = 0;
    for (size_t i = 0; i < g.gl_pathc && !rc; i++)
        rc = add_path(l, g.gl_pathv[i], 0, err);
    globfree(&g);
    return rc;
}

/* How many matchups k agents on `seats` seats make: every tuple (k^seats), tuples of distinct
 * agents (k!/(k-seats)!), multisets (C(k+seats-1, seats)) or sets (C(k, seats)). A double: the
 * caller only compares it with the limit. */
static double matchup_count(size_t k, size_t seats, int permutations, int self_play)
{
    double n = 1;
    for (size_t i = 0; i < seats; i++) {
        if (permutations)
            n *= self_play ? (double)k : (double)k - (double)i;
        else /* C(m, seats) built up one factor at a time, exact while it fits */
            n = n * ((self_play ? (double)(k + seats - 1) : (double)k) - (double)i) / (double)(i + 1);
        if (n <= 0)
            return 0;
    }
    return n;
}

typedef struct generator {
    size_t k, seats;
    int permutations, self_play;
    uint32_t *tuple;
    unsigned char *used; /* k flags: agents in the tuple so far (without self-play) */
    uint32_t *out;
    uint64_t n;
} generator;

/* The allowed tuples from seat `pos` on, in lexicographic order (the order of jobs), without
 * looking at the tuples that are not allowed: counting through all k^seats of them to keep a
 * few took minutes for 30 agents on 6 seats. */
static void generate(generator *g, size_t pos)
{
    if (pos == g->seats) {
        memcpy(g->out + g->n * g->seats, g->tuple, g->seats * sizeof *g->tuple);
        g->n++;
        return;
    }
    uint32_t from = 0;
    if (!g->permutations && pos > 0)
        from = g->tuple[pos - 1] + (g->self_play ? 0 : 1);
    for (uint32_t v = from; v < g->k; v++) {
        if (!g->self_play && g->used[v])
            continue;
        /* sets: leave room for the seats after this one */
        if (!g->permutations && !g->self_play && g->k - v < g->seats - pos)
            break;
        g->tuple[pos] = v;
        g->used[v] = 1;
        generate(g, pos + 1);
        g->used[v] = 0;
    }
}

/* Every tuple of `seats` agent indices allowed by the definition, in
 * lexicographic order. */
static int make_matchups(matchup_set *set, size_t k, size_t seats, int permutations, int self_play,
                         truce_error *err)
{
    /* the limit counts the matchups that will run (every k^seats tuple was counted: 30 agents
     * on 6 seats without permutations, 593775 sets, were refused as over 10^8) */
    double all = matchup_count(k, seats, permutations, self_play);
    if (all > 1e8)
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "agents",
                         "%zu agents on %zu seats make %.4g matchups, over 10^8", k, seats, all);
    uint64_t n = (uint64_t)all;
    generator g = {k, seats, permutations, self_play, calloc(seats + 1, sizeof *g.tuple),
                   calloc(k + 1, 1), malloc((n ? n : 1) * seats * sizeof *g.out), 0};
    if (!g.tuple || !g.used || !g.out) {
        free(g.tuple);
        free(g.used);
        free(g.out);
        return error_nomem(err);
    }
    if (n > 0)
        generate(&g, 0);
    free(g.tuple);
    free(g.used);
    set->seats = seats;
    set->n = g.n;
    set->agents = g.out;
    return 0;
}

static uint64_t mix(uint64_t seed, uint64_t job)
{
    uint64_t z = seed ^ (0x9E3779B97F4A7C15ULL * (job + 1));
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void tournament_job(const truce_tournament *t, uint64_t job, job_info *out)
{
    size_t lo = 0, hi = t->n_scenarios;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->sc[mid].first_job <= job)
            lo = mid;
        else
            hi = mid;
    }
    const tournament_scenario *sc = &t->sc[lo];
    uint64_t within = job - sc->first_job;
    out->scenario = lo;
    out->matchup = within / t->repetitions;
    out->repetition = within % t->repetitions;
    out->agents = sc->set->agents + out->matchup * sc->set->seats;
    out->seed = mix(t->seed, job);
}

static const matchup_set *matchups_for(truce_tournament *t, size_t seats, truce_error *err)
{
    for (size_t i = 0; i < t->n_sets; i++)
        if (t->sets[i].seats == seats)
            return &t->sets[i];
    /* scenarios keep pointers into t->sets: it is allocated once (plan), never moved */
    matchup_set *sets = t->sets;
    if (make_matchups(&sets[t->n_sets], t->n_agents, seats, t->permutations, t->self_play, err))
        return NULL;
    return &sets[t->n_sets++];
}

/* The canonical definition: what decides the results. Paths and thread
 * counts are left out, so a moved corpus or another machine still match;
 * scenarios are identified by name, parties, issues and outcome count. */
/* text without the folder of path (path up to base) wherever it occurs: the stored reason
 * of a skipped scenario still matches when the corpus moves. */
static char *without_folder(const char *text, const char *path, const char *base)
{
    size_t n = (size_t)(base - path);
    char *out = dup(text);
    if (!out || n == 0)
        return out;
    char *w = out;
    for (const char *r = text; *r;)
        if (!strncmp(r, path, n))
            r += n;
        else
            *w++ = *r++;
    *w = '\0';
    return out;
}

static int make_definition(truce_tournament *t, truce_error *err)
{
    json_t *agents = json_array(), *scenarios = json_array();
    json_t *root = json_object();
    int ok = agents && scenarios && root;
    for (size_t i = 0; ok && i < t->n_agents; i++)
        ok = !json_array_append_new(agents, json_string(t->agents[i]));
    for (size_t i = 0; ok && i < t->n_scenarios; i++) {
        const truce_scenario *s = t->sc[i].s;
        char count[64];
        if (truce_scenario_outcome_count(s, count, sizeof count))
            snprintf(count, sizeof count, "?");
        const char *name = truce_scenario_name(s);
        ok = !json_array_append_new(
            scenarios, json_pack("{s:s?, s:I, s:I, s:s}", "name", name, "parties",
                                 (json_int_t)truce_scenario_party_count(s), "issues",
                                 (json_int_t)truce_scenario_issue_count(s), "outcomes", count));
    }
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)t->seed);
    if (ok) {
        json_t *fields = json_pack(
            "{s:s, s:i, s:s, s:O, s:O, s:s, s:I, s:I, s:s, s:b, s:b, s:I, s:I}", "format",
            "truce-tournament", "version", 1, "name", t->name, "agents", agents, "scenarios",
            scenarios, "protocol", "sao", "rounds", (json_int_t)t->rounds, "repetitions",
            (json_int_t)t->repetitions, "seed", seed, "permutations", t->permutations, "self_play",
            t->self_play, "real_steps", (json_int_t)t->real_steps, "jobs", (json_int_t)t->n_jobs);
        ok = fields && !json_object_update(root, fields);
        json_decref(fields);
        /* only when set: databases of definitions without them still match */
        if (ok && t->seconds > 0)
            ok = !json_object_set_new(root, "seconds", json_real(t->seconds));
        if (ok && t->negotiation_timeout > 0)
            ok = !json_object_set_new(root, "negotiation_timeout",
                                      json_real(t->negotiation_timeout));
    }
    /* the turn clock and index ties were all version 1 knew: their definitions
     * stay as they were, so that its databases still resume */
    if (ok && t->clock == TRUCE_CLOCK_GENIUS)
        ok = !json_object_set_new(root, "clock", json_string("genius"));
    if (ok && t->ties == TRUCE_TIES_GENIUS)
        ok = !json_object_set_new(root, "ties", json_string("genius"));
    /* written only when set, so that databases made before version 4 still resume */
    if (ok && t->skip_unloadable)
        ok = !json_object_set_new(root, "skip_unloadable", json_true());
    if (ok && t->legacy)
        ok = !json_object_set_new(root, "legacy", json_true());
    /* the scenarios left out and why, by file name (a moved corpus still matches) */
    if (ok && t->n_skipped) {
        json_t *skipped = json_array();
        ok = skipped && !json_object_set_new(root, "skipped", skipped);
        for (size_t i = 0; ok && i < t->n_skipped; i++) {
            const char *slash = strrchr(t->skipped_path[i], '/');
            const char *base = slash && slash[1] ? slash + 1 : t->skipped_path[i];
            char *reason = without_folder(t->skipped_reason[i], t->skipped_path[i], base);
            ok = reason && !json_array_append_new(
                               skipped, json_pack("{s:s, s:s, s:s}", "scenario", base, "code",
                                                  t->skipped_code[i], "reason", reason));
            free(reason);
        }
    }
    if (ok)
        ok = (t->definition =
                  json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(15))) != NULL;
    json_decref(agents);
    json_decref(scenarios);
    json_decref(root);
    return ok ? 0 : error_nomem(err);
}

/* Agents written outside truce: a Lua script or a program (Python classes come as programs). */
static int is_external(const char *spec)
{
    return !strncmp(spec, "lua:", 4) || !strncmp(spec, "proc:", 5);
}

/* Start one negotiation of these agents on scenario sc, so that bad agent
 * parameters and impossible scenarios show before any work. */
static int try_start(const truce_tournament *t, const tournament_scenario *sc,
                     const uint32_t *agents, truce_error *err)
{
    truce_agent_spec specs[64];
    if (sc->seats > 64)
        return error_set(err, TRUCE_ELIMIT, sc->path, 0, "parties",
                         "%zu negotiating parties (at most 64 in a tournament)", sc->seats);
    for (size_t k = 0; k < sc->seats; k++)
        specs[k] = t->specs[agents[k]];
    truce_negotiation_options no = TRUCE_NEGOTIATION_OPTIONS_INIT;
    no.max_rounds = t->rounds;
    no.max_seconds = t->seconds;
    no.clock = t->clock;
    truce_negotiation *ng;
    int rc = truce_negotiation_create(&ng, sc->sp, specs, sc->seats, &no, err);
    if (rc)
        return rc;
    truce_negotiation_free(ng);
    return 0;
}

static int prefix_error(truce_error *err, const char *what)
{
    if (err && what) {
        char text[sizeof err->message];
        size_t n = strlen(what);
        if (n + 2 < sizeof text) {
            memcpy(text, what, n);
            memcpy(text + n, ": ", 2);
            size_t rest = strnlen(err->message, sizeof err->message - 1);
            if (rest > sizeof text - n - 3)
                rest = sizeof text - n - 3;
            memcpy(text + n + 2, err->message, rest);
            text[n + 2 + rest] = '\0';
            memcpy(err->message, text, sizeof text);
        }
    }
    return err ? err->code : TRUCE_EINVAL;
}

/* The stable code of why a scenario was left out (docs/results.md): what a program tests,
 * while the message's wording may change between versions. Loading failed: by the error's
 * code; loaded but not playable: by the check that failed (playable). */
static const char *load_failure_code(int rc)
{
    switch (rc) {
    case TRUCE_EIO:
        return "unreadable";
    case TRUCE_EPARSE:
        return "malformed";
    case TRUCE_ELIMIT:
        return "over-limit";
    case TRUCE_ENOTFOUND:
        return "not-found";
    default:
        return "invalid";
    }
}

/* Leave scenario i out (skip_unloadable), keeping its path, why (the error) and the stable
 * code of why; the scenarios after it move up. 0 or TRUCE_ENOMEM. */
static int skip_scenario(truce_tournament *t, size_t i, const truce_error *why, const char *code)
{
    char **paths = realloc(t->skipped_path, (t->n_skipped + 1) * sizeof *paths);
    if (paths)
        t->skipped_path = paths;
    char **reasons = realloc(t->skipped_reason, (t->n_skipped + 1) * sizeof *reasons);
    if (reasons)
        t->skipped_reason = reasons;
    const char **codes = realloc(t->skipped_code, (t->n_skipped + 1) * sizeof *codes);
    if (codes)
        t->skipped_code = codes;
    char *reason = dup(why && why->message[0] ? why->message : "(no reason given)");
    if (!paths || !reasons || !codes || !reason) {
        free(reason);
        return TRUCE_ENOMEM;
    }
    tournament_scenario *sc = &t->sc[i];
    t->skipped_path[t->n_skipped] = sc->path;
    t->skipped_code[t->n_skipped] = code;
    t->skipped_reason[t->n_skipped++] = reason;
    truce_space_free(sc->sp);
    truce_scenario_free(sc->s);
    memmove(sc, sc + 1, (t->n_scenarios - i - 1) * sizeof *sc);
    t->n_scenarios--;
    memset(&t->sc[t->n_scenarios], 0, sizeof *sc);
    return 0;
}

static int load_scenarios(truce_tournament *t, const truce_tournament_definition *d,
                          truce_error *err)
{
    path_list paths = {0};
    int rc = 0;
    for (size_t i = 0; i < d->n_scenarios && !rc; i++)
        rc = expand(&paths, d->scenarios[i], d->base_dir, err);
    if (!rc && paths.n == 0)
        rc = error_set(err, TRUCE_EINVAL, NULL, 0, "scenarios", "no scenario given");
    if (!rc && !(t->sc = calloc(paths.n, sizeof *t->sc)))
        rc = error_nomem(err);
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    lo.real_steps = t->real_steps;
    lo.limits = d->limits;
    lo.legacy = t->legacy;
    if (d->limits)
        lo.max_issue_values = d->limits->max_options; /* the limit decides */
    for (size_t i = 0; i < paths.n && !rc; i++) {
        tournament_scenario *sc = &t->sc[t->n_scenarios];
        sc->path = paths.v[i];
        paths.v[i] = NULL;
        t->n_scenarios++;
        rc = truce_scenario_load(&sc->s, sc->path, &lo, err);
        truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
        so.ties = t->ties;
        if (rc == 0 && (rc = truce_space_create(&sc->sp, sc->s, &so, err)))
            prefix_error(err, sc->path);
        if (rc && t->skip_unloadable && rc != TRUCE_ENOMEM) {
            rc = skip_scenario(t, t->n_scenarios - 1, err, load_failure_code(rc)) ? error_nomem(err)
                                                                                  : 0;
            error_clear(err);
            continue;
        }
        if (rc)
            break;
        for (size_t p = 0; p < truce_scenario_party_count(sc->s); p++)
            sc->seats += truce_party_role(sc->s, p) == TRUCE_ROLE_PRINCIPAL;
        if (sc->seats > t->max_seats)
            t->max_seats = sc->seats;
        if (truce_scenario_issue_count(sc->s) > t->max_issues)
            t->max_issues = truce_scenario_issue_count(sc->s);
    }
    list_free(&paths);
    return rc;
}

/* Matchups, job ranges and the checks that every scenario and agent can
 * start. */
/* Why scenario sc cannot be played by these agents (0: it can), and *code the stable code
 * of why. */
static int playable(truce_tournament *t, tournament_scenario *sc, const char **code,
                    truce_error *err)
{
    *code = sc->seats < 2 ? "too-few-parties" : "too-few-agents";
    if (sc->seats < 2)
        return error_set(err, TRUCE_EINVAL, sc->path, 0, "parties",
                         "a negotiation needs at least 2 negotiating parties, the scenario "
                         "has %zu",
                         sc->seats);
    if (!t->self_play && sc->seats > t->n_agents)
        return error_set(err, TRUCE_EINVAL, sc->path, 0, "agents",
                         "the scenario has %zu negotiating parties but the tournament has "
                         "%zu agents: add agents or allow self-play",
                         sc->seats, t->n_agents);
    *code = "cannot-start";
    if (!(sc->set = matchups_for(t, sc->seats, err)))
        return err && err->code ? err->code : TRUCE_ENOMEM;
    int rc = try_start(t, sc, sc->set->agents, err);
    if (rc)
        prefix_error(err, sc->path);
    return rc;
}

static int plan(truce_tournament *t, truce_error *err)
{
    uint64_t jobs = 0;
    /* at most one matchup set per scenario (one per seat count) */
    if (!(t->sets = calloc(t->n_scenarios ? t->n_scenarios : 1, sizeof *t->sets)))
        return error_nomem(err);
    int rc = 0;
    for (size_t i = 0; i < t->n_scenarios && !rc;) {
        const char *code;
        rc = playable(t, &t->sc[i], &code, err);
        if (rc && t->skip_unloadable && rc != TRUCE_ENOMEM) {
            rc = skip_scenario(t, i, err, code) ? error_nomem(err) : 0;
            error_clear(err);
            continue;
        }
        i += rc == 0;
    }
    if (rc)
        return rc;
    if (t->n_scenarios == 0)
        return error_set(err, TRUCE_EINVAL, t->n_skipped ? t->skipped_path[0] : NULL, 0,
                         "scenarios", "no scenario could be loaded and played%s%s",
                         t->n_skipped ? "; the first: " : "",
                         t->n_skipped ? t->skipped_reason[0] : "");
    for (size_t i = 0; i < t->n_scenarios; i++) {
        tournament_scenario *sc = &t->sc[i];
        sc->first_job = jobs;
        if (sc->set->n > UINT64_MAX / t->repetitions ||
            jobs > UINT64_MAX - sc->set->n * t->repetitions)
            return error_set(err, TRUCE_ELIMIT, NULL, 0, "repetitions", "too many negotiations");
        jobs += sc->set->n * t->repetitions;
    }
    t->n_jobs = jobs;
    /* each agent alone in every seat of the first scenario: its parameters */
    uint32_t same[64];
    for (size_t a = 0; a < t->n_agents && !rc; a++) {
        for (size_t k = 0; k < 64; k++)
            same[k] = (uint32_t)a;
        if ((rc = try_start(t, &t->sc[0], same, err)))
            prefix_error(err, t->agents[a]);
    }
    return rc;
}

int truce_tournament_create(truce_tournament **out, const truce_tournament_definition *d,
                            truce_error *err)
{
    error_clear(err);
    if (!out || !d)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (d->version < 1 || d->version > TRUCE_TOURNAMENT_DEFINITION_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "definition",
                         "truce_tournament_definition version %d is not 1 to %d", d->version,
                         TRUCE_TOURNAMENT_DEFINITION_VERSION);
    int clock = d->version >= 2 ? d->clock : TRUCE_CLOCK_TURN;
    int ties = d->version >= 2 ? d->ties : TRUCE_TIES_INDEX;
    if (clock != TRUCE_CLOCK_GENIUS && clock != TRUCE_CLOCK_TURN)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "clock",
                         "the clock must be TRUCE_CLOCK_GENIUS or TRUCE_CLOCK_TURN (got %d)",
                         clock);
    if (ties != TRUCE_TIES_INDEX && ties != TRUCE_TIES_GENIUS)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "ties",
                         "ties must be TRUCE_TIES_INDEX or TRUCE_TIES_GENIUS (got %d)", ties);
    /* fields callers before version 3 do not have */
    double seconds = d->version >= 3 ? d->seconds : 0;
    double timeout = d->version >= 3 ? d->negotiation_timeout : 0;
    int skip_unloadable = d->version >= 4 && d->skip_unloadable;
    int legacy = d->version >= 4 && d->legacy;
    if (d->n_agents == 0 || !d->agents)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "agents", "no agents given");
    if (d->n_scenarios == 0 || !d->scenarios)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "scenarios", "no scenarios given");
    if (d->repetitions < 1 || d->repetitions > (uint64_t)1 << 32)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "repetitions",
                         "repetitions must be between 1 and 2^32");
    if (!(seconds >= 0 && seconds < 1e7))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "seconds",
                         "a deadline in seconds must be above 0 and below 10^7");
    if (!(timeout >= 0 && timeout < 1e7))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "negotiation_timeout",
                         "the negotiation timeout must be 0 (none) or seconds below 10^7");
    if (seconds == 0 && (d->rounds < 1 || d->rounds > (uint64_t)1 << 40))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "rounds",
                         "the deadline must be between 1 and 2^40 rounds");
    if (d->real_steps < 2)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "real_steps", "real_steps must be >= 2");
    if (d->n_agents > 1000)
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "agents", "more than 1000 agents");
    truce_tournament *t = calloc(1, sizeof *t);
    if (!t)
        return error_nomem(err);
    t->repetitions = d->repetitions;
    t->rounds = seconds > 0 ? 0 : d->rounds;
    t->seconds = seconds;
    t->negotiation_timeout = timeout;
    t->seed = d->seed;
    t->permutations = d->permutations != 0;
    t->self_play = d->self_play != 0;
    t->real_steps = d->real_steps;
    t->clock = clock;
    t->ties = ties;
    t->skip_unloadable = skip_unloadable;
    t->legacy = legacy;
    int rc = 0;
    t->name = dup(d->name && *d->name ? d->name : "tournament");
    t->agents = calloc(d->n_agents, sizeof *t->agents);
    t->specs = calloc(d->n_agents, sizeof *t->specs);
    t->watch = calloc(d->n_agents, sizeof *t->watch);
    if (!t->name || !t->agents || !t->specs || !t->watch)
        rc = error_nomem(err);
    for (size_t i = 0; i < d->n_agents && !rc; i++) {
        if (!(t->agents[i] = dup(d->agents[i]))) {
            rc = error_nomem(err);
            break;
        }
        t->n_agents++;
        for (size_t j = 0; j < i && !rc; j++)
            if (!strcmp(t->agents[j], t->agents[i]))
                rc = error_set(err, TRUCE_EINVAL, NULL, 0, "agents",
                               "agent '%s' is named twice (give it other parameters, or allow "
                               "self-play)",
                               t->agents[i]);
        if (!rc)
            rc = truce_agent_parse(&t->specs[i], t->agents[i], err); /* names the agent */
        if (!rc && timeout > 0 && is_external(t->agents[i])) {
            watchdog_init(&t->watch[i], t->specs[i].cls, timeout);
            t->specs[i].cls = &t->watch[i].cls;
        }
    }
    if (!rc)
        rc = load_scenarios(t, d, err);
    if (!rc)
        rc = plan(t, err);
    if (!rc)
        rc = make_definition(t, err);
    if (rc) {
        truce_tournament_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

void truce_tournament_free(truce_tournament *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_scenarios; i++) {
        truce_space_free(t->sc[i].sp);
        truce_scenario_free(t->sc[i].s);
        free(t->sc[i].path);
    }
    free(t->sc);
    for (size_t i = 0; i < t->n_sets; i++)
        free(t->sets[i].agents);
    free(t->sets);
    for (size_t i = 0; i < t->n_agents; i++)
        free(t->agents[i]);
    free(t->agents);
    free(t->specs);
    free(t->watch);
    free(t->name);
    free(t->definition);
    for (size_t i = 0; i < t->n_skipped; i++) {
        free(t->skipped_path[i]);
        free(t->skipped_reason[i]);
    }
    free(t->skipped_path);
    free(t->skipped_reason);
    free(t->skipped_code);
    free(t);
}

size_t truce_tournament_skipped_count(const truce_tournament *t)
{
    return t ? t->n_skipped : 0;
}

const char *truce_tournament_skipped_path(const truce_tournament *t, size_t k)
{
    return t && k < t->n_skipped ? t->skipped_path[k] : NULL;
}

const char *truce_tournament_skipped_reason(const truce_tournament *t, size_t k)
{
    return t && k < t->n_skipped ? t->skipped_reason[k] : NULL;
}

const char *truce_tournament_skipped_code(const truce_tournament *t, size_t k)
{
    return t && k < t->n_skipped ? t->skipped_code[k] : NULL;
}

uint64_t truce_tournament_job_count(const truce_tournament *t)
{
    return t ? t->n_jobs : 0;
}

size_t truce_tournament_scenario_count(const truce_tournament *t)
{
    return t ? t->n_scenarios : 0;
}

size_t truce_tournament_agent_count(const truce_tournament *t)
{
    return t ? t->n_agents : 0;
}

const char *truce_tournament_definition_json(const truce_tournament *t)
{
    return t ? t->definition : NULL;
}

const char *truce_tournament_scenario_path(const truce_tournament *t, size_t i)
{
    return t && i < t->n_scenarios ? t->sc[i].path : NULL;
}
