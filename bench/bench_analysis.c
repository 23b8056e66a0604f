/* bench_analysis.c: times scenario loading and analysis on every GENIUS corpus
 * folder and on synthetic scenarios; prints one JSON document on stdout.
 *
 * usage: bench_analysis [--reps N] [CORPUS]   (CORPUS: the genius/ folder of
 * the shared scenarios; default ../shared/scenarios/genius beside the project)
 *
 * Each job runs once untimed, then N times (default 10, fewer when one run
 * is slow, so a whole run stays within minutes); the minimum and the median
 * are reported in milliseconds (CLOCK_MONOTONIC). Machines are shared and
 * noisy: compare ratios of runs made side by side, not absolute figures.
 * Nonlinear folders that come with a reference frontier (pareto.xml) are also
 * analysed in approximate mode, with the distance between the points found
 * and the reference. A whole run takes about a minute, most of it spent by
 * branch and bound giving up on the 30- and 40-issue ANAC 2014 folders.
 * Progress goes to stderr. Uses the public API only. */
#define _DEFAULT_SOURCE /* realpath */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "truce.h"

#ifndef TRUCE_DEFAULT_CORPUS
#define TRUCE_DEFAULT_CORPUS "../shared/scenarios/genius"
#endif

/* Total time one job may take across its repetitions before they are cut. */
#define JOB_BUDGET_MS 3000.0

typedef struct config {
    size_t reps;
} config;

typedef struct timing {
    double min, median;
    size_t reps;
} timing;

/* A timed job: returns 0 or a truce error code; called repeatedly. */
typedef int (*job_fn)(void *payload);

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Run fn once untimed (warm caches), then up to c->reps timed runs within
 * JOB_BUDGET_MS; a job slower than the budget, or failing, is timed by its
 * warm-up run alone. Returns the first non-zero code fn gives. */
static int time_job(job_fn fn, void *payload, const config *c, timing *out)
{
    double start = now_ms();
    int rc = fn(payload);
    double first = now_ms() - start;
    size_t reps = c->reps;
    if (rc != 0)
        reps = 0;
    else if (first * (double)reps > JOB_BUDGET_MS)
        reps = (size_t)(JOB_BUDGET_MS / (first > 0 ? first : 1));
    double *t = malloc((reps ? reps : 1) * sizeof *t);
    if (!t) {
        out->min = out->median = first;
        out->reps = 1;
        return rc;
    }
    if (reps == 0) {
        t[0] = first;
        reps = 1;
    } else {
        for (size_t r = 0; r < reps && rc == 0; r++) {
            start = now_ms();
            rc = fn(payload);
            t[r] = now_ms() - start;
        }
    }
    qsort(t, reps, sizeof *t, compare_doubles);
    out->min = t[0];
    out->median = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
    out->reps = reps;
    free(t);
    return rc;
}

static json_t *timing_json(const timing *t)
{
    return json_pack("{s:f, s:f, s:I}", "min", t->min, "median", t->median, "reps",
                     (json_int_t)t->reps);
}

/* ------------------------------------------------------------------ */
/* Jobs                                                               */
/* ------------------------------------------------------------------ */

typedef struct load_job {
    const char *dir;
    truce_error err;
} load_job;

static int run_load(void *payload)
{
    load_job *j = payload;
    truce_scenario *s = NULL;
    int rc = truce_scenario_load_dir(&s, j->dir, NULL, &j->err);
    truce_scenario_free(s);
    return rc;
}

typedef struct generate_job {
    truce_generate_options opts;
    truce_error err;
} generate_job;

static int run_generate(void *payload)
{
    generate_job *j = payload;
    truce_scenario *s = NULL;
    int rc = truce_scenario_generate(&s, &j->opts, &j->err);
    truce_scenario_free(s);
    return rc;
}

/* Keeps the last result, for the report. */
typedef struct analyze_job {
    const truce_scenario *s;
    truce_analysis_options opts;
    truce_analysis *result;
    truce_error err;
} analyze_job;

static int run_analyze(void *payload)
{
    analyze_job *j = payload;
    truce_analysis_free(j->result);
    j->result = NULL;
    return truce_analyze(&j->result, j->s, &j->opts, &j->err);
}

/* ------------------------------------------------------------------ */
/* Reports                                                            */
/* ------------------------------------------------------------------ */

static json_t *scenario_json(const char *name, const char *kind, const truce_scenario *s)
{
    char count[512];
    if (truce_scenario_outcome_count(s, count, sizeof count) < 0)
        snprintf(count, sizeof count, "?");
    return json_pack("{s:s, s:s, s:I, s:I, s:s}", "name", name, "kind", kind, "parties",
                     (json_int_t)truce_scenario_party_count(s), "issues",
                     (json_int_t)truce_scenario_issue_count(s), "outcomes", count);
}

static json_t *analysis_json(const analyze_job *j, int rc, const timing *t)
{
    json_t *o =
        json_pack("{s:s, s:o}", "status", rc ? truce_strerror(rc) : "ok", "ms", timing_json(t));
    if (rc) {
        json_object_set_new(o, "message", json_string(j->err.message));
        return o;
    }
    const truce_analysis *an = j->result;
    char count[1024];
    if (truce_analysis_pareto_count(an, count, sizeof count) < 0)
        snprintf(count, sizeof count, "?");
    json_object_set_new(o, "method", json_string(truce_analysis_method(an)));
    json_object_set_new(o, "approximate", json_boolean(truce_analysis_is_approximate(an)));
    json_object_set_new(o, "pareto_count", json_string(count));
    json_object_set_new(o, "pareto_points",
                        json_integer((json_int_t)truce_analysis_pareto_size(an)));
    return o;
}

/* Reference frontier of a folder: pareto.xml, lines "u1, u2"; 0 when absent. */
static size_t read_reference(const char *dir, double **out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/pareto.xml", dir);
    FILE *f = fopen(path, "r");
    *out = NULL;
    if (!f)
        return 0;
    size_t n = 0, cap = 0;
    double *u = NULL, a, b;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lf , %lf", &a, &b) != 2)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            double *grown = realloc(u, cap * 2 * sizeof *u);
            if (!grown)
                break;
            u = grown;
        }
        u[2 * n] = a;
        u[2 * n + 1] = b;
        n++;
    }
    fclose(f);
    *out = u;
    return n;
}

/* How a two-party frontier compares with the reference: mean and largest
 * distance from a reference point to the nearest point found, reference
 * points found (within 1e-6), and points found beyond the reference (not
 * weakly dominated by any reference point within 1e-6: either the search
 * is wrong or the reference is incomplete). */
static json_t *distance_json(const truce_analysis *an, const double *ref, size_t n_ref)
{
    size_t found = truce_analysis_pareto_size(an), hits = 0, beyond = 0;
    double total = 0, largest = 0;
    for (size_t r = 0; r < n_ref; r++) {
        double best = INFINITY;
        for (size_t k = 0; k < found; k++) {
            const double *u = truce_analysis_pareto_point(an, k);
            double d = hypot(u[0] - ref[2 * r], u[1] - ref[2 * r + 1]);
            best = d < best ? d : best;
        }
        total += best;
        largest = best > largest ? best : largest;
        hits += best <= 1e-6;
    }
    for (size_t k = 0; k < found; k++) {
        const double *u = truce_analysis_pareto_point(an, k);
        int covered = 0;
        for (size_t r = 0; r < n_ref && !covered; r++)
            covered = ref[2 * r] >= u[0] - 1e-6 && ref[2 * r + 1] >= u[1] - 1e-6;
        beyond += !covered;
    }
    return json_pack("{s:I, s:I, s:I, s:f, s:f, s:I}", "reference_points", (json_int_t)n_ref,
                     "found_points", (json_int_t)found, "reference_points_found", (json_int_t)hits,
                     "mean_distance", n_ref ? total / (double)n_ref : 0.0, "max_distance", largest,
                     "beyond_reference", (json_int_t)beyond);
}

/* ------------------------------------------------------------------ */
/* Corpus                                                             */
/* ------------------------------------------------------------------ */

typedef struct paths {
    char **items;
    size_t len, cap;
} paths;

static void paths_push(paths *p, const char *s)
{
    if (p->len == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        char **grown = realloc(p->items, cap * sizeof *grown);
        if (!grown)
            return;
        p->items = grown;
        p->cap = cap;
    }
    char *copy = strdup(s);
    if (copy)
        p->items[p->len++] = copy;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Scenario folders below dir: those holding .xml files directly. */
static void find_scenarios(const char *dir, paths *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    paths subdirs = {NULL, 0, 0};
    int has_xml = 0;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        size_t n = strlen(e->d_name);
        if (S_ISDIR(st.st_mode))
            paths_push(&subdirs, path);
        else if (n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0)
            has_xml = 1;
    }
    closedir(d);
    if (has_xml)
        paths_push(out, dir);
    if (subdirs.len)
        qsort(subdirs.items, subdirs.len, sizeof *subdirs.items, compare_strings);
    for (size_t i = 0; i < subdirs.len; i++) {
        find_scenarios(subdirs.items[i], out);
        free(subdirs.items[i]);
    }
    free(subdirs.items);
}

static int any_nonlinear(const truce_scenario *s)
{
    for (size_t p = 0; p < truce_scenario_party_count(s); p++)
        if (truce_party_profile_kind(s, p) == TRUCE_PROFILE_NONLINEAR)
            return 1;
    return 0;
}

/* One corpus folder: load, exact analysis, and for folders with a reference
 * frontier the approximate search (max_nodes = 1: branch and bound gives up
 * at once, so the search itself is timed) and both distances. */
static json_t *bench_folder(const char *dir, const char *name, const config *c)
{
    fprintf(stderr, "bench: %s\n", name);
    load_job lj = {dir, {0}};
    timing load_t;
    int rc = time_job(run_load, &lj, c, &load_t);
    truce_scenario *s = NULL;
    if (rc == 0)
        rc = truce_scenario_load_dir(&s, dir, NULL, &lj.err);
    if (rc) {
        fprintf(stderr, "bench: %s: %s\n", name, lj.err.message);
        return json_pack("{s:s, s:s, s:s}", "name", name, "status", truce_strerror(rc), "message",
                         lj.err.message);
    }
    json_t *o = scenario_json(name, any_nonlinear(s) ? "corpus-nonlinear" : "corpus", s);
    json_object_set_new(o, "load_ms", timing_json(&load_t));
    truce_analysis_options defaults = TRUCE_ANALYSIS_OPTIONS_INIT;
    analyze_job aj = {s, defaults, NULL, {0}};
    timing t;
    rc = time_job(run_analyze, &aj, c, &t);
    json_t *exact = analysis_json(&aj, rc, &t);
    double *ref = NULL;
    size_t n_ref = truce_scenario_party_count(s) == 2 ? read_reference(dir, &ref) : 0;
    if (rc == 0 && n_ref)
        json_object_set_new(exact, "versus_reference", distance_json(aj.result, ref, n_ref));
    json_object_set_new(o, "analyze", exact);
    truce_analysis_free(aj.result);
    if (n_ref) {
        analyze_job approx = {s, defaults, NULL, {0}};
        approx.opts.approximate = 1;
        approx.opts.max_nodes = 1;
        rc = time_job(run_analyze, &approx, c, &t);
        json_t *a = analysis_json(&approx, rc, &t);
        if (rc == 0)
            json_object_set_new(a, "versus_reference", distance_json(approx.result, ref, n_ref));
        json_object_set_new(o, "approximate", a);
        truce_analysis_free(approx.result);
    }
    free(ref);
    truce_scenario_free(s);
    return o;
}

/* ------------------------------------------------------------------ */
/* Synthetic scenarios                                                */
/* ------------------------------------------------------------------ */

/* hard_rate > 0: every party has a hard condition excluding one option on
 * that share of the issues (truce_generate_options.hard_rate). */
static json_t *bench_synthetic(size_t issues, uint32_t options, size_t parties, double hard_rate,
                               const config *c)
{
    char name[64];
    snprintf(name, sizeof name, "synthetic/%zux%u-%zup%s", issues, options, parties,
             hard_rate > 0 ? "-hard" : "");
    fprintf(stderr, "bench: %s\n", name);
    generate_job gj = {TRUCE_GENERATE_OPTIONS_INIT, {0}};
    gj.opts.n_issues = issues;
    gj.opts.n_options = options;
    gj.opts.n_parties = parties;
    gj.opts.hard_rate = hard_rate;
    timing gen_t;
    truce_scenario *s = NULL;
    int rc = time_job(run_generate, &gj, c, &gen_t);
    if (rc == 0)
        rc = truce_scenario_generate(&s, &gj.opts, &gj.err);
    if (rc)
        return json_pack("{s:s, s:s, s:s}", "name", name, "status", truce_strerror(rc), "message",
                         gj.err.message);
    json_t *o = scenario_json(name, "synthetic", s);
    json_object_set_new(o, "load_ms", timing_json(&gen_t));
    truce_analysis_options defaults = TRUCE_ANALYSIS_OPTIONS_INIT;
    analyze_job aj = {s, defaults, NULL, {0}};
    timing t;
    rc = time_job(run_analyze, &aj, c, &t);
    json_object_set_new(o, "analyze", analysis_json(&aj, rc, &t));
    truce_analysis_free(aj.result);
    truce_scenario_free(s);
    return o;
}

/* A bundled native scenario (examples/...): constraint expressions across
 * issues turn the additive merge into the pruned enumeration
 * (docs/scenario-format.md#constraint-expressions), compared side by side
 * with the same case without them. */
static json_t *bench_example(const char *relative, const config *c)
{
#ifdef TRUCE_BENCH_EXAMPLES
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", TRUCE_BENCH_EXAMPLES, relative);
    fprintf(stderr, "bench: %s\n", relative);
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load(&s, path, NULL, &err);
    if (rc)
        return json_pack("{s:s, s:s, s:s}", "name", relative, "status", truce_strerror(rc),
                         "message", err.message);
    json_t *o = scenario_json(relative, "example", s);
    char feasible[512];
    if (truce_scenario_feasible_count(s, feasible, sizeof feasible) > 0)
        json_object_set_new(o, "feasible", json_string(feasible));
    truce_analysis_options defaults = TRUCE_ANALYSIS_OPTIONS_INIT;
    analyze_job aj = {s, defaults, NULL, {0}};
    timing t;
    rc = time_job(run_analyze, &aj, c, &t);
    json_object_set_new(o, "analyze", analysis_json(&aj, rc, &t));
    truce_analysis_free(aj.result);
    truce_scenario_free(s);
    return o;
#else
    (void)c;
    return json_pack("{s:s, s:s}", "name", relative, "status", "no examples folder");
#endif
}

typedef struct check_job {
    const truce_scenario *s;
} check_job;

static int run_check(void *payload)
{
    check_job *j = payload;
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.margins = 0;
    char *report = NULL;
    truce_error err;
    int rc = truce_check(&report, j->s, &o, &err);
    truce_free(report);
    return rc;
}

/* `truce check` (without margins) on a bundled case: with side payments
 * (docs/scenario-format.md#side-payments) the check enumerates every outcome
 * once more, for the zone and the Nash point with transfers; compared side by
 * side with the same case without them. */
static json_t *bench_check_example(const char *relative, const config *c)
{
#ifdef TRUCE_BENCH_EXAMPLES
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", TRUCE_BENCH_EXAMPLES, relative);
    fprintf(stderr, "bench: check %s\n", relative);
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load(&s, path, NULL, &err);
    if (rc)
        return json_pack("{s:s, s:s, s:s}", "name", relative, "status", truce_strerror(rc),
                         "message", err.message);
    json_t *o = json_pack("{s:s, s:s, s:b}", "name", relative, "kind", "check", "side_payments",
                          truce_scenario_has_side_payments(s));
    check_job j = {s};
    timing t;
    rc = time_job(run_check, &j, c, &t);
    json_object_set_new(o, "check", json_pack("{s:s, s:{s:f, s:f}, s:I}", "status",
                                              rc ? truce_strerror(rc) : "ok", "ms", "min", t.min,
                                              "median", t.median, "reps", (json_int_t)t.reps));
    truce_scenario_free(s);
    return o;
#else
    (void)c;
    return json_pack("{s:s, s:s}", "name", relative, "status", "no examples folder");
#endif
}

/* ------------------------------------------------------------------ */
/* Summary                                                            */
/* ------------------------------------------------------------------ */

static double median_of(json_t *entry, const char *what)
{
    json_t *x = json_object_get(entry, what);
    if (x && json_object_get(x, "ms"))
        x = json_object_get(x, "ms");
    return json_number_value(json_object_get(x, "median"));
}

/* Entries sorted by a median time, slowest first (up to `keep`). */
static json_t *slowest(json_t *results, const char *what, size_t keep)
{
    size_t n = json_array_size(results);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    json_t *out = json_array();
    if (!order)
        return out;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && median_of(json_array_get(results, order[j - 1]), what) <
                                        median_of(json_array_get(results, order[j]), what);
             j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < n && i < keep; i++) {
        json_t *e = json_array_get(results, order[i]);
        json_array_append_new(out, json_pack("{s:O, s:f}", "name", json_object_get(e, "name"),
                                             "median_ms", median_of(e, what)));
    }
    free(order);
    return out;
}

static json_t *find_entry(json_t *results, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(results, i, e)
    {
        const char *n = json_string_value(json_object_get(e, "name"));
        if (n && strcmp(n, name) == 0)
            return e;
    }
    return NULL;
}

/* A named figure with its target: {"min", "median", "target", "met"}. */
static json_t *target_json(json_t *results, const char *name, double target_ms)
{
    json_t *e = find_entry(results, name);
    json_t *ms = e ? json_object_get(json_object_get(e, "analyze"), "ms") : NULL;
    if (!ms)
        return json_null();
    double median = json_number_value(json_object_get(ms, "median"));
    return json_pack("{s:s, s:f, s:f, s:f, s:b}", "name", name, "min",
                     json_number_value(json_object_get(ms, "min")), "median", median, "target_ms",
                     target_ms, "met", median < target_ms);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_analysis [--reps N] [CORPUS]\n");
    return 2;
}

int main(int argc, char **argv)
{
    config c = {10};
    const char *corpus = TRUCE_DEFAULT_CORPUS;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            long reps = strtol(argv[++i], NULL, 10);
            if (reps < 1 || reps > 1000)
                return usage();
            c.reps = (size_t)reps;
        } else if (argv[i][0] == '-') {
            return usage();
        } else {
            corpus = argv[i];
        }
    }
    json_t *results = json_array();
    struct stat st;
    int have_corpus = stat(corpus, &st) == 0 && S_ISDIR(st.st_mode);
    if (!have_corpus)
        fprintf(stderr, "bench: corpus %s not found: synthetic scenarios only\n", corpus);
    char *resolved = have_corpus ? realpath(corpus, NULL) : NULL;
    if (resolved)
        corpus = resolved;
    paths folders = {NULL, 0, 0};
    if (have_corpus)
        find_scenarios(corpus, &folders);
    size_t prefix = strlen(corpus) + 1;
    for (size_t i = 0; i < folders.len; i++) {
        const char *name = strlen(folders.items[i]) > prefix ? folders.items[i] + prefix : "";
        json_array_append_new(results, bench_folder(folders.items[i], name, &c));
        free(folders.items[i]);
    }
    free(folders.items);
    json_array_append_new(results, bench_synthetic(200, 10, 2, 0, &c));
    json_array_append_new(results, bench_synthetic(200, 10, 2, 0.5, &c));
    json_array_append_new(results, bench_synthetic(50, 10, 2, 0, &c));
    json_array_append_new(results, bench_synthetic(20, 5, 3, 0, &c));
    json_array_append_new(results, bench_synthetic(10, 5, 4, 0, &c));
    json_array_append_new(results, bench_example("historical/jcpoa-2015.yaml", &c));
    json_array_append_new(results, bench_example("historical/jcpoa-2015-breakout.yaml", &c));
    json_array_append_new(results, bench_check_example("historical/camp-david-1978.yaml", &c));
    json_array_append_new(results, bench_check_example("historical/camp-david-1978-aid.yaml", &c));
    json_t *summary = json_pack(
        "{s:o, s:o, s:o, s:o, s:o}", "energy", target_json(results, "anac/y2011/Energy", 20),
        "synthetic_10e200", target_json(results, "synthetic/200x10-2p", 1000),
        "synthetic_10e200_hard_conditions", target_json(results, "synthetic/200x10-2p-hard", 1000),
        "slowest_analyses",
        slowest(results, "analyze", 8), "slowest_loads", slowest(results, "load_ms", 5));
    json_t *doc = json_pack("{s:s, s:s, s:s?, s:I, s:o, s:o}", "benchmark", "analysis",
                            "truce_version", truce_version(), "corpus", have_corpus ? corpus : NULL,
                            "reps", (json_int_t)c.reps, "summary", summary, "results", results);
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    fputc('\n', stdout);
    json_decref(doc);
    free(resolved);
    return 0;
}
