/* negotiation_report.c: the section of a negotiation trace (docs/trace.md):
 * each party's offers as paths in the utility space, utility over rounds,
 * and the agreement against the frontier, one run after another. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/limits.h"
#include "report.h"

/* One action of a run: an offer or an acceptance, with every party's
 * utility of the offer. */
typedef struct action {
    int accept;
    size_t actor;
    double x; /* position on the time axis */
    double *u;
} action;

typedef struct run {
    const record *start, *end;
    size_t n; /* parties (seats) */
    const char **names;
    long *party; /* scenario index of each seat, or -1 without a scenario */
    action *acts;
    size_t n_acts;
    double *agreed;           /* undiscounted utilities of the agreement, or NULL */
    uint64_t rounds_deadline; /* 0: deadline in seconds */
} run;

static void run_free(run *r)
{
    for (size_t k = 0; k < r->n_acts; k++)
        free(r->acts[k].u);
    free(r->acts);
    free(r->names);
    free(r->party);
    free(r->agreed);
    memset(r, 0, sizeof *r);
}

/* Utilities and relative times are in [0, 1]; sums of weights may pass 1 by a rounding error. */
#define UTILITY_SLACK 1e-9

/* An array of n utilities into a new array; NULL and an error when not. */
static double *numbers(const char *path, const record *rec, const char *field, size_t n,
                       truce_error *err)
{
    json_t *a = json_object_get(rec->j, field);
    if (!json_is_array(a) || json_array_size(a) != n) {
        trace_error(err, path, rec->line, field, "expected an array of %zu numbers", n);
        return NULL;
    }
    double *v = malloc(n * sizeof *v);
    if (!v) {
        error_nomem(err);
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        json_t *x = json_array_get(a, k);
        if (!json_is_number(x)) {
            free(v);
            trace_error(err, path, rec->line, field, "element %zu is not a number", k);
            return NULL;
        }
        v[k] = json_number_value(x);
        /* utilities lie in [0, 1]: +-1e308 made the plots' axes NaN */
        if (!(v[k] >= -UTILITY_SLACK && v[k] <= 1 + UTILITY_SLACK)) {
            free(v);
            trace_error(err, path, rec->line, field, "element %zu is %g, not a utility in [0, 1]",
                        k, json_number_value(x));
            return NULL;
        }
    }
    return v;
}

static int start_run(run *r, const char *path, const record *rec, const truce_scenario *s,
                     uint32_t max_parties, truce_error *err)
{
    json_t *parties = json_object_get(rec->j, "parties");
    size_t n = json_array_size(parties);
    if (!json_is_array(parties) || n < 1)
        return trace_error(err, path, rec->line, "parties", "expected an array of party names");
    if (n > max_parties)
        return limit_exceeded(err, path, (int)rec->line, "max_parties", max_parties,
                              "the run has %zu parties", n);
    r->start = rec;
    r->n = n;
    r->names = calloc(n, sizeof *r->names);
    r->party = calloc(n, sizeof *r->party);
    if (!r->names || !r->party)
        return error_nomem(err);
    const char *scenario = json_string_value(json_object_get(rec->j, "scenario"));
    if (s && scenario && strcmp(scenario, truce_scenario_name(s)))
        return trace_error(err, path, rec->line, "scenario",
                           "the trace was made on scenario '%s', not on '%s' given with it",
                           scenario, truce_scenario_name(s));
    for (size_t k = 0; k < n; k++) {
        r->names[k] = json_string_value(json_array_get(parties, k));
        if (!r->names[k])
            return trace_error(err, path, rec->line, "parties", "element %zu is not a string", k);
        r->party[k] = s ? truce_party_find(s, r->names[k]) : -1;
        if (s && r->party[k] < 0)
            return trace_error(err, path, rec->line, "parties",
                               "party '%s' is not in scenario '%s'", r->names[k],
                               truce_scenario_name(s));
    }
    json_t *deadline = json_object_get(rec->j, "deadline");
    json_t *rounds = json_object_get(deadline, "rounds");
    if (json_is_integer(rounds) && json_integer_value(rounds) > 0)
        r->rounds_deadline = (uint64_t)json_integer_value(rounds);
    return 0;
}

static long actor_of(const run *r, const char *path, const record *rec, truce_error *err)
{
    const char *actor = json_string_value(json_object_get(rec->j, "actor"));
    for (size_t k = 0; actor && k < r->n; k++)
        if (!strcmp(actor, r->names[k]))
            return (long)k;
    trace_error(err, path, rec->line, "actor", "expected the name of a party of the run");
    return -1;
}

static int add_action(run *r, size_t *cap, const char *path, const record *rec, int accept,
                      truce_error *err)
{
    long actor = actor_of(r, path, rec, err);
    if (actor < 0)
        return TRUCE_EPARSE;
    json_t *round = json_object_get(rec->j, "round"), *time = json_object_get(rec->j, "time");
    if (!json_is_integer(round) || json_integer_value(round) < 1)
        return trace_error(err, path, rec->line, "round", "expected a round number from 1");
    if (!json_is_number(time) || !(json_number_value(time) >= 0) ||
        !(json_number_value(time) <= 1 + UTILITY_SLACK))
        return trace_error(err, path, rec->line, "time",
                           "expected the relative time, a number in [0, 1]");
    double *u = numbers(path, rec, "utilities", r->n, err);
    if (!u)
        return err ? err->code : TRUCE_EPARSE;
    if (r->n_acts == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        action *a = realloc(r->acts, ncap * sizeof *a);
        if (!a) {
            free(u);
            return error_nomem(err);
        }
        r->acts = a;
        *cap = ncap;
    }
    action *a = &r->acts[r->n_acts++];
    a->accept = accept;
    a->actor = (size_t)actor;
    a->u = u;
    /* with a deadline in rounds, x = round + (turn within the round) / n, as
     * time = ((round - 1) n + turn) / (N n) gives */
    a->x = r->rounds_deadline ? json_number_value(time) * (double)r->rounds_deadline + 1
                              : json_number_value(time);
    return 0;
}

static int end_run(run *r, const char *path, const record *rec, truce_error *err)
{
    r->end = rec;
    if (!json_is_string(json_object_get(rec->j, "reason")))
        return trace_error(err, path, rec->line, "reason", "expected a string");
    json_t *agreement = json_object_get(rec->j, "agreement");
    if (!json_is_boolean(agreement))
        return trace_error(err, path, rec->line, "agreement", "expected true or false");
    double *u = numbers(path, rec, "utilities_undiscounted", r->n, err);
    if (!u)
        return err ? err->code : TRUCE_EPARSE;
    if (json_is_true(agreement))
        r->agreed = u;
    else
        free(u);
    return 0;
}

/* Every run of the trace, validated. */
static int read_runs(const char *path, const record *recs, size_t n, const truce_scenario *s,
                     uint32_t max_parties, run **out, size_t *n_runs, truce_error *err)
{
    run *runs = NULL;
    size_t count = 0, cap = 0, act_cap = 0;
    int open = 0, rc = 0;
    for (size_t k = 0; k < n && !rc; k++) {
        const record *rec = &recs[k];
        const char *type = json_string_value(json_object_get(rec->j, "type"));
        if (!type) {
            rc = trace_error(err, path, rec->line, "type", "every record needs a \"type\"");
        } else if (!strcmp(type, "start")) {
            if (open) {
                rc = trace_error(err, path, rec->line, "type",
                                 "a new run starts before the run of line %zu ended",
                                 runs[count - 1].start->line);
                break;
            }
            if (count == cap) {
                size_t ncap = cap ? 2 * cap : 8;
                run *nr = realloc(runs, ncap * sizeof *nr);
                if (!nr) {
                    rc = error_nomem(err);
                    break;
                }
                runs = nr;
                cap = ncap;
            }
            memset(&runs[count], 0, sizeof runs[count]);
            count++;
            open = 1;
            act_cap = 0;
            rc = start_run(&runs[count - 1], path, rec, s, max_parties, err);
        } else if (!open) {
            rc = trace_error(err, path, rec->line, "type",
                             "a \"%s\" record outside a run (no \"start\" record before it)", type);
        } else if (!strcmp(type, "offer") || !strcmp(type, "accept")) {
            rc = add_action(&runs[count - 1], &act_cap, path, rec, !strcmp(type, "accept"), err);
        } else if (!strcmp(type, "end")) {
            rc = end_run(&runs[count - 1], path, rec, err);
            open = 0;
        }
        /* other types (end-negotiation, and records added later) carry nothing
         * these plots show */
    }
    if (!rc && open)
        rc = trace_error(err, path, recs[n - 1].line, NULL,
                         "the run that starts at line %zu has no \"end\" record: the trace is "
                         "truncated",
                         runs[count - 1].start->line);
    if (rc) {
        for (size_t k = 0; k < count; k++)
            run_free(&runs[k]);
        free(runs);
        return rc;
    }
    *out = runs;
    *n_runs = count;
    return 0;
}

/* ---- rendering ---- */

static void agents_text(buf *b, const run *r)
{
    json_t *agents = json_object_get(r->start->j, "agents");
    for (size_t k = 0; k < r->n; k++) {
        buf_puts(b, k ? ", " : "");
        buf_escape(b, r->names[k]);
        const char *a = json_string_value(json_array_get(agents, k));
        if (a) {
            buf_puts(b, " (");
            buf_escape(b, a);
            buf_puts(b, ")");
        }
    }
}

static double distance(const double *a, const double *b, size_t n)
{
    double d = 0;
    for (size_t k = 0; k < n; k++)
        d += (a[k] - b[k]) * (a[k] - b[k]);
    return sqrt(d);
}

/* Distances of the agreement to the frontier and to the Nash point, over
 * the bargainers' utilities (the frontier's space), when the run's seats
 * are the scenario's bargainers in order. NaN otherwise. */
static void agreement_distances(const run *r, const truce_scenario *s, const truce_analysis *an,
                                double *pareto, double *nash)
{
    *pareto = *nash = NAN;
    if (!r->agreed || !s || !an || r->n != truce_scenario_bargainer_count(s))
        return;
    for (size_t k = 0; k < r->n; k++)
        if (r->party[k] != truce_scenario_bargainer(s, k))
            return;
    size_t np = truce_scenario_party_count(s);
    double *u = malloc((np > r->n ? np : r->n) * sizeof *u);
    double *seat = malloc(r->n * sizeof *seat);
    if (!u || !seat) {
        free(u);
        free(seat);
        return;
    }
    double best = INFINITY;
    for (size_t k = 0; k < truce_analysis_pareto_size(an); k++) {
        const double *full = truce_analysis_pareto_point(an, k);
        for (size_t q = 0; q < r->n; q++)
            seat[q] = full[r->party[q]];
        best = fmin(best, distance(r->agreed, seat, r->n));
    }
    *pareto = best;
    if (truce_analysis_solution(an, TRUCE_SOLUTION_NASH, u, NULL, NULL) == 1) {
        for (size_t q = 0; q < r->n; q++)
            seat[q] = u[r->party[q]];
        *nash = distance(r->agreed, seat, r->n);
    }
    free(u);
    free(seat);
}

static void run_table(truce_report *rep, const run *r, const truce_scenario *s,
                      const truce_analysis *an)
{
    buf *b = &rep->body;
    char v[32];
    json_t *end = r->end->j;
    buf_puts(b, "<p>Parties and agents: ");
    agents_text(b, r);
    char seed[32];
    if (seed_text(json_object_get(r->start->j, "seed"), seed, sizeof seed))
        buf_printf(b, ". Seed %s", seed);
    if (r->rounds_deadline)
        buf_printf(b, ", deadline %llu rounds", (unsigned long long)r->rounds_deadline);
    buf_puts(b, ". Ended: <strong>");
    buf_escape(b, json_string_value(json_object_get(end, "reason")));
    buf_printf(b, "</strong> in round %lld",
               (long long)json_integer_value(json_object_get(end, "round")));
    const char *fault = json_string_value(json_object_get(end, "fault"));
    if (fault) {
        buf_puts(b, " (fault of ");
        buf_escape(b, fault);
        buf_puts(b, ")");
    }
    buf_puts(b, ".</p>\n");
    json_t *outcome = json_object_get(end, "outcome");
    if (json_is_object(outcome)) {
        buf_puts(b, "<p>Agreement: ");
        const char *key;
        json_t *value;
        int first = 1;
        json_object_foreach(outcome, key, value)
        {
            buf_puts(b, first ? "" : "; ");
            first = 0;
            buf_escape(b, key);
            buf_puts(b, " = ");
            if (json_is_string(value))
                buf_escape(b, json_string_value(value));
            else if (json_is_number(value))
                buf_puts(b, num4(v, json_number_value(value)));
        }
        buf_puts(b, "</p>\n");
        report_flag_infeasible(rep, s, outcome, "This agreement");
    }
    buf_puts(b, "<div class=\"scroll\"><table>\n<tr><th></th>");
    for (size_t k = 0; k < r->n; k++) {
        buf_puts(b, "<th>");
        buf_escape(b, r->names[k]);
        buf_puts(b, "</th>");
    }
    static const char *const rows[] = {"utilities_undiscounted", "utilities"};
    static const char *const labels[] = {"utility of the result", "discounted utility"};
    for (int row = 0; row < 2; row++) {
        buf_printf(b, "</tr>\n<tr><td>%s</td>", labels[row]);
        json_t *a = json_object_get(end, rows[row]);
        for (size_t k = 0; k < r->n; k++)
            buf_printf(b, "<td class=\"num\">%s</td>",
                       num4(v, json_number_value(json_array_get(a, k))));
    }
    buf_puts(b, "</tr>\n</table></div>\n");
    double pd, nd;
    agreement_distances(r, s, an, &pd, &nd);
    if (isfinite(pd)) {
        buf_printf(b, "<p>Distance of the agreement to the Pareto frontier: %s", num4(v, pd));
        if (isfinite(nd))
            buf_printf(b, "; to the Nash point: %s", num4(v, nd));
        buf_puts(b, " (Euclidean, over the principals' undiscounted utilities, among feasible "
                    "outcomes).</p>\n");
    }
}

/* The offers of each party as paths in the space of parties a and b. */
static int run_space(truce_report *rep, const run *r, size_t index, size_t a, size_t d,
                     const truce_scenario *s, const truce_analysis *an, const cloud *c,
                     truce_error *err)
{
    size_t n = r->n_acts;
    double *xs = malloc((n ? n : 1) * r->n * sizeof *xs);
    double *ys = malloc((n ? n : 1) * r->n * sizeof *ys);
    space_path *paths = calloc(r->n, sizeof *paths);
    char(*names)[160] = calloc(r->n, sizeof *names);
    if (!xs || !ys || !paths || !names) {
        free(xs);
        free(ys);
        free(paths);
        free(names);
        return error_nomem(err);
    }
    static const marker shapes[] = {MARK_CIRCLE, MARK_SQUARE, MARK_TRIANGLE, MARK_DIAMOND};
    for (size_t p = 0; p < r->n; p++) {
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (!r->acts[k].accept && r->acts[k].actor == p) {
                xs[p * n + m] = r->acts[k].u[a];
                ys[p * n + m] = r->acts[k].u[d];
                m++;
            }
        snprintf(names[p], sizeof names[p], "offers of %s (%zu)", r->names[p], m);
        paths[p] = (space_path){xs + p * n, ys + p * n,    m,      palette_party(p),
                                names[p],   shapes[p % 4], "offer"};
    }
    space_mark mark = {0};
    if (r->agreed)
        mark = (space_mark){r->agreed[a], r->agreed[d], MARK_STAR,
                            "#000000",    "agreement",  "agreement"};
    char title[400], slug[300];
    snprintf(title, sizeof title, "Run %zu: offers in the utility space of %s and %s", index + 1,
             r->names[a], r->names[d]);
    space_view v = {0};
    v.s = s;
    v.an = an;
    v.c = c;
    v.px = s ? (size_t)r->party[a] : 0;
    v.py = s ? (size_t)r->party[d] : 0;
    v.xname = r->names[a];
    v.yname = r->names[d];
    v.title = title;
    v.paths = paths;
    v.n_paths = r->n;
    v.marks = r->agreed ? &mark : NULL;
    v.n_marks = r->agreed ? 1 : 0;
    v.max_dots = rep->o.max_dots;
    buf svg;
    buf_init(&svg);
    space_plot(&svg, &v);
    snprintf(slug, sizeof slug, "run%zu-offers-%s-%s", index + 1, r->names[a], r->names[d]);
    int rc = report_figure(rep, slug, &svg,
                           r->agreed ? "Each party's offers in order (lines join them); the star "
                                       "is the agreement."
                                     : "Each party's offers in order (lines join them); no "
                                       "agreement.",
                           0, err);
    buf_free(&svg);
    free(xs);
    free(ys);
    free(paths);
    free(names);
    return rc;
}

/* Utility for party q of every party's offers over the rounds. */
static int run_timeline(truce_report *rep, const run *r, size_t index, size_t q,
                        const truce_scenario *s, truce_error *err)
{
    size_t n = r->n_acts;
    double *xs = malloc((n ? n : 1) * sizeof *xs), *ys = malloc((n ? n : 1) * sizeof *ys);
    if (!xs || !ys) {
        free(xs);
        free(ys);
        return error_nomem(err);
    }
    double xmax = r->rounds_deadline ? (double)r->rounds_deadline + 1 : 1, lo = 0;
    for (size_t k = 0; k < n; k++) {
        xmax = fmax(xmax, r->acts[k].x);
        lo = fmin(lo, r->acts[k].u[q]);
    }
    lo = lo < 0 ? floor(lo * 10) / 10 : 0;
    char title[400], slug[300], label[200];
    snprintf(title, sizeof title, "Run %zu: utility of the offers for %s", index + 1, r->names[q]);
    buf svg;
    buf_init(&svg);
    double width = 760, height = 330;
    svg_open(&svg, width, height, title);
    plot p;
    plot_open(&p, &svg, "plot timeline", 70, 20, 400, 250, r->rounds_deadline ? 1 : 0, xmax, lo, 1);
    snprintf(label, sizeof label, "utility of %s", r->names[q]);
    plot_axes(&p, r->rounds_deadline ? "round" : "relative time (1 = deadline)", label,
              r->rounds_deadline ? AXES_INTEGER_X : 0);
    legend l;
    legend_open(&l, &svg, 70 + 400 + 24, 30);
    static const marker shapes[] = {MARK_CIRCLE, MARK_SQUARE, MARK_TRIANGLE, MARK_DIAMOND};
    for (size_t who = 0; who < r->n; who++) {
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (!r->acts[k].accept && r->acts[k].actor == who) {
                xs[m] = r->acts[k].x;
                ys[m] = r->acts[k].u[q];
                m++;
            }
        if (m == 0)
            continue; /* no path, no legend entry */
        plot_line(&p, xs, ys, m, palette_party(who), 1.5, NULL, "path");
        if (m <= 300)
            for (size_t k = 0; k < m; k++)
                plot_marker(&p, xs[k], ys[k], shapes[who % 4], 2.6, palette_party(who), "offer",
                            NULL);
        snprintf(label, sizeof label, "offers of %s", r->names[who]);
        legend_marker(&l, shapes[who % 4], palette_party(who), label);
    }
    if (s) {
        double batna = truce_party_reservation(s, (size_t)r->party[q]);
        plot_hline(&p, batna, "#555555", "6 4", "BATNA", "reservation");
        legend_line(&l, "#555555", "6 4", "reservation value (BATNA)");
    }
    if (r->agreed && n) {
        double x = r->acts[n - 1].x;
        plot_marker(&p, x, r->agreed[q], MARK_STAR, 8, "#000000", "agreement", "agreement");
        legend_marker(&l, MARK_STAR, "#000000", "agreement");
    }
    plot_close(&p);
    legend_close(&l);
    svg_close(&svg);
    snprintf(slug, sizeof slug, "run%zu-utility-%s", index + 1, r->names[q]);
    int rc = report_figure(rep, slug, &svg, NULL, 0, err);
    buf_free(&svg);
    free(xs);
    free(ys);
    return rc;
}

static void runs_table(truce_report *rep, const run *runs, size_t n_runs)
{
    buf *b = &rep->body;
    char v[32];
    buf_puts(b, "<div class=\"scroll\"><table class=\"runs\">\n<tr><th>run</th><th>seed</th>"
                "<th>end</th><th>round</th><th>utilities (undiscounted)</th></tr>\n");
    for (size_t k = 0; k < n_runs; k++) {
        const run *r = &runs[k];
        char seed[32] = "";
        seed_text(json_object_get(r->start->j, "seed"), seed, sizeof seed);
        buf_printf(b, "<tr><td class=\"num\">%zu</td><td class=\"num\">%s</td><td>", k + 1,
                   seed);
        buf_escape(b, json_string_value(json_object_get(r->end->j, "reason")));
        buf_printf(b, "</td><td class=\"num\">%lld</td><td>",
                   (long long)json_integer_value(json_object_get(r->end->j, "round")));
        json_t *u = json_object_get(r->end->j, "utilities_undiscounted");
        for (size_t p = 0; p < r->n; p++) {
            buf_puts(b, p ? ", " : "");
            buf_escape(b, r->names[p]);
            buf_printf(b, " %s", num4(v, json_number_value(json_array_get(u, p))));
        }
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</table></div>\n");
}

static int render(truce_report *rep, const char *path, const run *runs, size_t n_runs,
                  const truce_scenario *s, const truce_analysis *an, truce_error *err)
{
    const char *scenario = json_string_value(json_object_get(runs[0].start->j, "scenario"));
    char heading[600];
    snprintf(heading, sizeof heading, "Negotiation on %s (%s)", scenario ? scenario : "?", path);
    report_default_title(rep, heading);
    report_section_open(rep, heading);
    report_note(rep, "How to read: in the utility-space plots each party's offers form a path "
                     "(its first offer is usually its best; conceding moves the path towards "
                     "the other party's axis); the star marks the agreement, which is efficient "
                     "when it lies on the black frontier. The timelines show what each offer is "
                     "worth to one party, round by round.");
    if (!s)
        report_note(rep, "No scenario was given with this trace: the plots show the offers "
                         "only (give the scenario too for the outcome space and the frontier).");
    if (n_runs > 1)
        runs_table(rep, runs, n_runs);
    if (n_runs > rep->o.max_runs) {
        char text[160];
        snprintf(text, sizeof text, "%zu runs: the plots show the first %zu (max_runs).", n_runs,
                 rep->o.max_runs);
        report_note(rep, text);
    }
    cloud c;
    int have_cloud = 0, rc = 0;
    size_t *pairs = malloc(2 * rep->o.max_pairs * sizeof *pairs);
    if (!pairs)
        return error_nomem(err);
    if (s) {
        size_t *parties = malloc(runs[0].n * sizeof *parties);
        if (!parties) {
            free(pairs);
            return error_nomem(err);
        }
        for (size_t k = 0; k < runs[0].n; k++)
            parties[k] = (size_t)runs[0].party[k];
        rc = cloud_build(&c, s, parties, runs[0].n, &rep->o, err);
        free(parties);
        have_cloud = rc == 0;
    }
    for (size_t k = 0; !rc && k < n_runs && k < rep->o.max_runs; k++) {
        const run *r = &runs[k];
        char sub[300];
        snprintf(sub, sizeof sub, "Run %zu", k + 1);
        buf_puts(&rep->body, "<h3>");
        buf_escape(&rep->body, sub);
        buf_puts(&rep->body, "</h3>\n");
        run_table(rep, r, s, an);
        size_t n_pairs = choose_pairs(pairs, r->n, rep->o.max_pairs);
        for (size_t q = 0; !rc && q < n_pairs; q++)
            rc = run_space(rep, r, k, pairs[2 * q], pairs[2 * q + 1], s, an, have_cloud ? &c : NULL,
                           err);
        /* one timeline per party, at most max_pairs of them: each plots every party's offers,
         * so all of them made pages grow with the square of the parties (a 5 MB trace gave a
         * 225 MB page) */
        size_t timelines = r->n < rep->o.max_pairs ? r->n : rep->o.max_pairs;
        if (timelines < r->n) {
            char text[200];
            snprintf(text, sizeof text,
                     "Timelines: the utility of the offers for the first %zu of the %zu parties "
                     "(max_pairs).",
                     timelines, r->n);
            report_note(rep, text);
        }
        for (size_t q = 0; !rc && q < timelines; q++)
            rc = run_timeline(rep, r, k, q, s, err);
    }
    report_section_close(rep);
    if (have_cloud)
        cloud_free(&c);
    free(pairs);
    return rc;
}

int report_negotiation(truce_report *rep, const char *path, const record *recs, size_t n,
                       const truce_scenario *s, const truce_analysis *an, truce_error *err)
{
    run *runs = NULL;
    size_t n_runs = 0;
    int rc = read_runs(path, recs, n, s, rep->limits.max_parties, &runs, &n_runs, err);
    if (rc)
        return rc;
    rc = render(rep, path, runs, n_runs, s, an, err);
    for (size_t k = 0; k < n_runs; k++)
        run_free(&runs[k]);
    free(runs);
    return rc;
}
