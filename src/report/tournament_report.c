/* tournament_report.c: the tournament-results section of a report: agents ranked by mean
 * utility with cell-based confidence intervals and the ranks the pairwise tests allow, bar
 * charts, the pairwise Wilcoxon tests, the head-to-head and agent x scenario heat maps,
 * scenarios, and the statistics' warnings. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "report.h"

/* The statistics come from truce_results_stats (docs/results.md), read
 * through the public API like any other program would: the report adds
 * presentation only, no statistics of its own. */

typedef struct agent_row {
    const char *name;
    size_t index; /* in the database's agent order */
    long long negotiations, faults, n_utility, rank, rank_lo, rank_hi;
    double mean, sd, lo, hi, rate, deadline, welfare, pareto, nash;
} agent_row;

typedef struct results {
    json_t *root;
    const char *name;
    long long negotiations, jobs;
    agent_row *agents; /* ranked: highest mean utility first, no data last */
    size_t n_agents;
    json_t *h2h_mean, *h2h_n; /* rows and columns in the database's order */
} results;

static double number(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* o[key][sub] (o[key] when sub is NULL) as a number, NaN when absent or null. */
static double stat(json_t *o, const char *key, const char *sub)
{
    json_t *v = json_object_get(o, key);
    return number(sub ? json_object_get(v, sub) : v);
}

static double ci(json_t *o, const char *key, size_t side)
{
    return number(json_array_get(json_object_get(json_object_get(o, key), "ci95"), side));
}

static long long count(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

static int by_mean(const void *a, const void *b)
{
    const agent_row *x = a, *y = b;
    double u = isfinite(x->mean) ? x->mean : -INFINITY;
    double v = isfinite(y->mean) ? y->mean : -INFINITY;
    if (u != v)
        return u < v ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

static int results_read(results *res, const char *db, truce_error *err)
{
    memset(res, 0, sizeof *res);
    char *text = NULL;
    int rc = truce_results_stats(&text, db, err);
    if (rc)
        return rc;
    res->root = json_loads(text, 0, NULL);
    free(text);
    json_t *agents = json_object_get(res->root, "agents");
    json_t *h2h = json_object_get(res->root, "head_to_head");
    if (!json_is_array(agents) || !json_is_object(h2h))
        return error_set(err, TRUCE_EPARSE, db, 0, NULL,
                         "the statistics of this database could not be read");
    res->name = json_string_value(json_object_get(res->root, "tournament"));
    res->negotiations = count(res->root, "negotiations");
    res->jobs = count(res->root, "jobs");
    res->h2h_mean = json_object_get(h2h, "mean");
    res->h2h_n = json_object_get(h2h, "n");
    res->n_agents = json_array_size(agents);
    res->agents = calloc(res->n_agents ? res->n_agents : 1, sizeof *res->agents);
    if (!res->agents)
        return error_nomem(err);
    for (size_t i = 0; i < res->n_agents; i++) {
        json_t *a = json_array_get(agents, i);
        agent_row *row = &res->agents[i];
        const char *name = json_string_value(json_object_get(a, "agent"));
        row->name = name ? name : "?";
        row->index = i;
        row->negotiations = count(a, "negotiations");
        row->faults = count(a, "faults");
        row->n_utility = count(json_object_get(a, "utility"), "n");
        row->mean = stat(a, "utility", "mean");
        row->sd = stat(a, "utility", "sd");
        row->lo = ci(a, "utility", 0);
        row->hi = ci(a, "utility", 1);
        row->rate = stat(a, "agreement_rate", NULL);
        row->deadline = stat(a, "deadline_rate", NULL);
        row->rank = count(a, "rank");
        json_t *range = json_object_get(a, "rank_range");
        row->rank_lo = (long long)json_integer_value(json_array_get(range, 0));
        row->rank_hi = (long long)json_integer_value(json_array_get(range, 1));
        row->welfare = stat(a, "welfare", "mean");
        row->pareto = stat(a, "pareto_distance", "mean");
        row->nash = stat(a, "nash_distance", "mean");
    }
    qsort(res->agents, res->n_agents, sizeof *res->agents, by_mean);
    return 0;
}

static void results_free(results *res)
{
    free(res->agents);
    json_decref(res->root);
}

/* A table cell holding v with 3 decimals, or a dash when there is none. */
static void number_cell(buf *b, double v)
{
    if (isfinite(v))
        buf_printf(b, "<td class=\"num\">%.3f</td>", v);
    else
        buf_puts(b, "<td class=\"num\">&#8211;</td>");
}

static void summary(truce_report *r, const results *res, const char *db)
{
    buf *b = &r->body;
    size_t n_scenarios = json_array_size(json_object_get(res->root, "scenarios"));
    buf_printf(b, "<p>%lld of %lld negotiations in <code>", res->negotiations, res->jobs);
    buf_escape(b, db);
    buf_printf(b, "</code>; %zu agent%s, %zu scenario%s.</p>\n", res->n_agents,
               res->n_agents == 1 ? "" : "s", n_scenarios, n_scenarios == 1 ? "" : "s");
    if (res->negotiations < res->jobs)
        buf_printf(b,
                   "<p class=\"warn\">INCOMPLETE: %lld of the tournament's %lld negotiations "
                   "(%.1f%%) are missing. Everything below covers only those stored so far; "
                   "running the same <code>truce tournament</code> command again runs the "
                   "missing ones.</p>\n",
                   res->jobs - res->negotiations, res->jobs,
                   100.0 * (double)(res->jobs - res->negotiations) / (double)res->jobs);
}

static void agents_table(truce_report *r, const results *res)
{
    buf *b = &r->body;
    buf_puts(b, "<h3>Agents, ranked by mean utility</h3>\n");
    report_note(r, "Unit: the cell, one scenario, one matchup (agents in seats) and one seat, "
                   "its repetitions averaged: repetitions of a deterministic matchup count once. "
                   "utility: what the agent's own preferences give the results of its "
                   "negotiations (0 to 1), the mean over its cells, with the 95% confidence "
                   "interval of that mean (Student's t over cells; none below two cells) and the "
                   "standard deviation between cells. ranks: the ranks the pairwise tests below "
                   "allow (1-1: surely first). agreement, deadline: the shares of its "
                   "negotiations that ended in agreement and at the deadline without one. "
                   "welfare: the mean sum of every party's utility. Pareto and Nash: the mean "
                   "Euclidean distance of the agreements to the Pareto frontier and to the Nash "
                   "point (smaller is better). faults: negotiations ended by this agent failing. "
                   "A dash: no value.");
    buf_puts(b, "<div class=\"scroll\"><table class=\"agents\">\n<tr><th>rank</th><th>ranks"
                "</th><th>agent</th><th>cells</th><th>negotiations</th><th>mean utility</th>"
                "<th>95% CI</th><th>sd</th><th>agreement rate</th><th>deadline rate</th>"
                "<th>welfare</th><th>Pareto distance</th><th>Nash distance</th><th>faults</th>"
                "</tr>\n");
    for (size_t k = 0; k < res->n_agents; k++) {
        const agent_row *a = &res->agents[k];
        if (a->rank)
            buf_printf(b, "<tr><td class=\"num\">%lld</td>", a->rank);
        else
            buf_puts(b, "<tr><td class=\"num\">&#8211;</td>");
        if (!a->rank)
            buf_puts(b, "<td class=\"num\">&#8211;</td>");
        else if (a->rank_lo == a->rank_hi)
            buf_printf(b, "<td class=\"num\">%lld</td>", a->rank_lo);
        else
            buf_printf(b, "<td class=\"num\" style=\"white-space:nowrap\">%lld&#8211;%lld</td>",
                       a->rank_lo, a->rank_hi);
        buf_puts(b, "<td>");
        buf_escape(b, a->name);
        buf_printf(b, "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>",
                   a->n_utility, a->negotiations);
        number_cell(b, a->mean);
        if (isfinite(a->lo) && isfinite(a->hi))
            buf_printf(b, "<td class=\"num\" style=\"white-space:nowrap\">[%.3f, %.3f]</td>", a->lo,
                       a->hi);
        else
            buf_puts(b, "<td class=\"num\">&#8211;</td>");
        number_cell(b, a->sd);
        number_cell(b, a->rate);
        number_cell(b, a->deadline);
        number_cell(b, a->welfare);
        number_cell(b, a->pareto);
        number_cell(b, a->nash);
        buf_printf(b, "<td class=\"num\">%lld</td></tr>\n", a->faults);
    }
    buf_puts(b, "</table></div>\n");
}

/* The pairwise tests, one row per pair, with the verdict in words. */
static void pairwise_table(truce_report *r, const results *res)
{
    buf *b = &r->body;
    json_t *pw = json_object_get(res->root, "pairwise");
    json_t *pairs = json_object_get(pw, "pairs");
    buf_puts(b, "<h3>Which agents differ</h3>\n");
    if (json_is_true(json_object_get(pw, "skipped")) || json_array_size(pairs) == 0) {
        report_note(r, "No pairwise tests (fewer than two agents, or more than 100).");
        return;
    }
    report_note(r, "Wilcoxon signed-rank test of each pair of agents on paired cells: a's "
                   "cell in a seat against b's cell in the same seat of the matchup where the "
                   "two trade places (same scenario, same other agents). p: two-sided; p (Holm): "
                   "adjusted by Holm's method over all the pairs; a difference is significant "
                   "when p (Holm) < 0.05. Read differences from this table, not from whether the "
                   "confidence intervals above overlap.");
    buf_puts(b, "<div class=\"scroll\"><table class=\"pairwise\">\n<tr><th>agent a</th>"
                "<th>agent b</th><th>paired cells</th><th>mean a &#8722; b</th><th>p</th>"
                "<th>p (Holm)</th><th>verdict</th></tr>\n");
    size_t i;
    json_t *p;
    json_array_foreach(pairs, i, p)
    {
        const char *a = json_string_value(json_object_get(p, "a"));
        const char *c = json_string_value(json_object_get(p, "b"));
        const char *better = json_string_value(json_object_get(p, "better"));
        buf_puts(b, "<tr><td>");
        buf_escape(b, a ? a : "?");
        buf_puts(b, "</td><td>");
        buf_escape(b, c ? c : "?");
        buf_printf(b, "</td><td class=\"num\">%lld</td>", count(p, "pairs"));
        double d = stat(p, "mean_difference", NULL);
        if (isfinite(d))
            buf_printf(b, "<td class=\"num\">%+.3f</td>", d);
        else
            buf_puts(b, "<td class=\"num\">&#8211;</td>");
        double pv = stat(p, "p", NULL), ph = stat(p, "p_holm", NULL);
        if (isfinite(pv))
            buf_printf(b, "<td class=\"num\">%.4g</td><td class=\"num\">%.4g</td>", pv, ph);
        else
            buf_puts(b, "<td class=\"num\">&#8211;</td><td class=\"num\">&#8211;</td>");
        buf_puts(b, "<td>");
        if (better) {
            buf_puts(b, "<strong>");
            buf_escape(b, better);
            buf_puts(b, "</strong> better");
        } else {
            buf_puts(b, count(p, "pairs") ? "not significant" : "no paired cells");
        }
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</table></div>\n");
}

static void warnings(truce_report *r, const results *res)
{
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(res->root, "warnings"), i, w)
    {
        buf_puts(&r->body, "<p class=\"warn\">");
        buf_escape(&r->body, json_string_value(w));
        buf_puts(&r->body, "</p>\n");
    }
}

/* The scenarios left out under skip_unloadable, with the code and reason of each. */
static void skipped_table(truce_report *r, const results *res)
{
    json_t *list = json_object_get(res->root, "skipped_scenarios");
    size_t n = json_array_size(list);
    if (n == 0)
        return;
    buf *b = &r->body;
    buf_printf(b,
               "<h3>Skipped scenarios</h3>\n<p>%zu scenario%s left out (skip_unloadable): "
               "%s not load, or these agents cannot play %s.</p>\n"
               "<div class=\"scroll\"><table class=\"skipped\">\n"
               "<tr><th>scenario</th><th>code</th><th>reason</th></tr>\n",
               n, n == 1 ? " was" : "s were", n == 1 ? "it did" : "they did",
               n == 1 ? "it" : "them");
    for (size_t k = 0; k < n; k++) {
        json_t *v = json_array_get(list, k);
        const char *scenario = json_string_value(json_object_get(v, "scenario"));
        const char *code = json_string_value(json_object_get(v, "code"));
        const char *reason = json_string_value(json_object_get(v, "reason"));
        buf_puts(b, "<tr><td>");
        buf_escape(b, scenario ? scenario : "?");
        buf_puts(b, "</td><td><code>");
        buf_escape(b, code ? code : "");
        buf_puts(b, "</code></td><td>");
        buf_escape(b, reason ? reason : "");
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</table></div>\n");
}

static void scenarios_table(truce_report *r, const results *res)
{
    buf *b = &r->body;
    json_t *rows = json_object_get(res->root, "scenarios");
    buf_puts(b, "<h3>Scenarios</h3>\n<div class=\"scroll\"><table class=\"scenarios\">\n"
                "<tr><th>scenario</th><th>negotiations</th><th>agreement rate</th>"
                "<th>welfare</th><th>rounds</th><th>Pareto distance</th><th>Nash distance</th>"
                "<th>faults</th></tr>\n");
    for (size_t k = 0; k < json_array_size(rows); k++) {
        json_t *c = json_array_get(rows, k);
        const char *name = json_string_value(json_object_get(c, "scenario"));
        buf_puts(b, "<tr><td>");
        buf_escape(b, name ? name : "?");
        buf_printf(b, "</td><td class=\"num\">%lld</td>", count(c, "negotiations"));
        number_cell(b, stat(c, "agreement_rate", NULL));
        number_cell(b, stat(c, "welfare", "mean"));
        double rounds = stat(c, "rounds", "mean");
        if (isfinite(rounds))
            buf_printf(b, "<td class=\"num\">%.1f</td>", rounds);
        else
            buf_puts(b, "<td class=\"num\">&#8211;</td>");
        number_cell(b, stat(c, "pareto_distance", "mean"));
        number_cell(b, stat(c, "nash_distance", "mean"));
        buf_printf(b, "<td class=\"num\">%lld</td></tr>\n", count(c, "faults"));
    }
    buf_puts(b, "</table></div>\n");
}

/* Image width of a chart of n agents: the plot area is 86 px per agent up to
 * 430 px (at least 120), then 34 px per agent; 330 px go to the margins. */
static double chart_width(size_t n)
{
    double area = 86 * (double)n;
    area = area < 120 ? 120 : area > 430 ? 430 : area;
    if (34 * (double)n > area)
        area = 34 * (double)n;
    return 330 + area;
}

static int bar_charts(truce_report *r, const results *res, const char *slug, truce_error *err)
{
    size_t n = res->n_agents;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    double *v = malloc((n ? n : 1) * 4 * sizeof *v);
    if (!names || !v) {
        free(names);
        free(v);
        return error_nomem(err);
    }
    double *lo = v + n, *hi = v + 2 * n, *rate = v + 3 * n;
    /* utilities lie in [0, 1]; a wide interval widens the axis to the next tenth */
    double ymin = 0, ymax = 1;
    for (size_t k = 0; k < n; k++) {
        const agent_row *a = &res->agents[k];
        names[k] = a->name;
        v[k] = a->mean;
        lo[k] = a->lo;
        hi[k] = a->hi;
        rate[k] = a->rate;
        double low = isfinite(a->lo) ? a->lo : a->mean, high = isfinite(a->hi) ? a->hi : a->mean;
        if (isfinite(low) && low < ymin)
            ymin = floor(low * 10 - 1e-9) / 10;
        if (isfinite(high) && high > ymax)
            ymax = ceil(high * 10 - 1e-9) / 10;
    }
    static const char *const utility_series[] = {"mean utility"};
    static const char *const rate_series[] = {"agreement rate"};
    const char *const utility_colour[] = {okabe_ito[5]}, *const rate_colour[] = {okabe_ito[3]};
    bars chart = {"Mean utility per agent, with 95% confidence intervals",
                  "utility (0 to 1)",
                  n,
                  1,
                  names,
                  utility_series,
                  utility_colour,
                  v,
                  lo,
                  hi,
                  "agent (ranked by mean utility)",
                  "95% confidence interval",
                  ymin,
                  ymax};
    buf svg, name;
    buf_init(&svg);
    buf_init(&name);
    svg_bar_chart(&svg, &chart, chart_width(n), 360);
    buf_printf(&name, "results-%s-utility", slug);
    int rc = name.failed ? error_nomem(err)
                         : report_figure(r, name.data, &svg,
                                         "Each agent's mean utility over its cells (bars, best "
                                         "first) and the 95% confidence interval of that mean "
                                         "(whiskers). Whether two agents differ is decided by "
                                         "the pairwise tests below, not by whether whiskers "
                                         "overlap. Hover a bar for its values.",
                                         0, err);
    buf_free(&svg);
    if (!rc) {
        bars rates = {"Agreement rate per agent",
                      "share of negotiations agreed (0 to 1)",
                      n,
                      1,
                      names,
                      rate_series,
                      rate_colour,
                      rate,
                      NULL,
                      NULL,
                      "agent (ranked by mean utility)",
                      NULL,
                      0,
                      1};
        svg_bar_chart(&svg, &rates, chart_width(n), 360);
        name.len = 0;
        buf_printf(&name, "results-%s-agreement", slug);
        rc = name.failed ? error_nomem(err)
                         : report_figure(r, name.data, &svg,
                                         "The share of each agent's negotiations that ended in "
                                         "agreement, agents in the same order.",
                                         0, err);
        buf_free(&svg);
    }
    buf_free(&name);
    free(names);
    free(v);
    return rc;
}

/* Texts, colours and tooltips of the n x n head-to-head cells, in rank
 * order, held in one block. */
typedef struct cells {
    char (*text)[16];
    char (*colour)[8];
    char **tooltip;
    const char **texts, **colours, **tooltips, **names;
} cells;

static void cells_free(cells *c, size_t n)
{
    for (size_t k = 0; c->tooltip && k < n * n; k++)
        free(c->tooltip[k]);
    free(c->text);
    free(c->colour);
    free(c->tooltip);
    free(c->texts);
    free(c->colours);
    free(c->tooltips);
    free(c->names);
}

static int cells_fill(cells *c, const results *res, colour_scale *scale)
{
    size_t n = res->n_agents, nn = n ? n * n : 1;
    memset(c, 0, sizeof *c);
    c->text = calloc(nn, sizeof *c->text);
    c->colour = calloc(nn, sizeof *c->colour);
    c->tooltip = calloc(nn, sizeof *c->tooltip);
    c->texts = calloc(nn, sizeof *c->texts);
    c->colours = calloc(nn, sizeof *c->colours);
    c->tooltips = calloc(nn, sizeof *c->tooltips);
    c->names = calloc(n ? n : 1, sizeof *c->names);
    if (!c->text || !c->colour || !c->tooltip || !c->texts || !c->colours || !c->tooltips ||
        !c->names)
        return -1;
    scale->min = 0;
    scale->max = 1;
    for (size_t i = 0; i < n; i++) {
        c->names[i] = res->agents[i].name;
        for (size_t j = 0; j < n; j++) {
            double v = number(json_array_get(json_array_get(res->h2h_mean, res->agents[i].index),
                                             res->agents[j].index));
            if (isfinite(v) && v < scale->min)
                scale->min = floor(v * 10 - 1e-9) / 10;
            if (isfinite(v) && v > scale->max)
                scale->max = ceil(v * 10 - 1e-9) / 10;
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            size_t k = i * n + j, ri = res->agents[i].index, rj = res->agents[j].index;
            double v = number(json_array_get(json_array_get(res->h2h_mean, ri), rj));
            long long m =
                (long long)json_integer_value(json_array_get(json_array_get(res->h2h_n, ri), rj));
            const char *a = res->agents[i].name, *b = res->agents[j].name;
            size_t len = strlen(a) + strlen(b) + 96;
            if (!(c->tooltip[k] = malloc(len)))
                return -1;
            if (isfinite(v)) {
                snprintf(c->text[k], sizeof c->text[k], "%.3f", v);
                viridis(c->colour[k], (v - scale->min) / (scale->max - scale->min));
                c->colours[k] = c->colour[k];
                snprintf(c->tooltip[k], len,
                         "%s against %s: mean utility %.4g over %lld cell%s", a, b, v, m,
                         m == 1 ? "" : "s");
            } else {
                snprintf(c->text[k], sizeof c->text[k], "\xE2\x80\x93"); /* en dash */
                snprintf(c->tooltip[k], len, "%s never met %s", a, b);
            }
            c->texts[k] = c->text[k];
            c->tooltips[k] = c->tooltip[k];
        }
    return 0;
}

static int head_to_head(truce_report *r, const results *res, const char *slug, truce_error *err)
{
    size_t n = res->n_agents;
    cells c;
    colour_scale scale = {"mean utility", 0, 1};
    if (cells_fill(&c, res, &scale)) {
        cells_free(&c, n);
        return error_nomem(err);
    }
    heatmap map = {"Head to head: mean utility of the row agent against the column agent",
                   n,
                   n,
                   c.names,
                   c.names,
                   c.colours,
                   c.texts,
                   c.tooltips,
                   &scale};
    buf svg, name;
    buf_init(&svg);
    buf_init(&name);
    svg_heatmap(&svg, &map, n > 12 ? 48 : 60, 28);
    buf_printf(&name, "results-%s-head-to-head", slug);
    int rc = name.failed
                 ? error_nomem(err)
                 : report_figure(r, name.data, &svg,
                                 "Row agent's mean utility over its cells in the matchups where "
                                 "it met the column agent (agents in rank order). Colour follows the scale "
                                 "on the right (viridis: dark purple low, yellow high); every "
                                 "cell also prints its value. A dash on grey: the two never met "
                                 "(the diagonal, unless agents played themselves). Hover a cell "
                                 "for the number of cells.",
                                 0, err);
    buf_free(&svg);
    buf_free(&name);
    cells_free(&c, n);
    return rc;
}

/* The agent x scenario heat map: rows the agents in rank order, columns the scenarios. */
static int agent_scenario_map(truce_report *r, const results *res, const char *slug,
                              truce_error *err)
{
    json_t *m = json_object_get(res->root, "agent_scenario");
    json_t *scenarios = json_object_get(m, "scenarios");
    json_t *mean = json_object_get(m, "mean"), *n = json_object_get(m, "n");
    size_t rows = res->n_agents, cols = json_array_size(scenarios), all = rows * cols + 1;
    char(*text)[16] = calloc(all, sizeof *text);
    char(*colour)[8] = calloc(all, sizeof *colour);
    char **tooltip = calloc(all, sizeof *tooltip);
    const char **texts = calloc(all, sizeof *texts), **colours = calloc(all, sizeof *colours),
               **tooltips = calloc(all, sizeof *tooltips);
    const char **row_names = calloc(rows + 1, sizeof *row_names),
               **col_names = calloc(cols + 1, sizeof *col_names);
    int rc = 0;
    if (!text || !colour || !tooltip || !texts || !colours || !tooltips || !row_names ||
        !col_names)
        rc = error_nomem(err);
    colour_scale scale = {"mean utility", 0, 1};
    for (size_t c = 0; !rc && c < cols; c++) {
        const char *name = json_string_value(json_array_get(scenarios, c));
        col_names[c] = name ? name : "?";
    }
    for (size_t i = 0; !rc && i < rows; i++) {
        const agent_row *a = &res->agents[i];
        row_names[i] = a->name;
        for (size_t c = 0; !rc && c < cols; c++) {
            size_t k = i * cols + c;
            double v = number(json_array_get(json_array_get(mean, a->index), c));
            long long units =
                (long long)json_integer_value(json_array_get(json_array_get(n, a->index), c));
            size_t len = strlen(a->name) + strlen(col_names[c]) + 96;
            if (!(tooltip[k] = malloc(len))) {
                rc = error_nomem(err);
                break;
            }
            if (isfinite(v)) {
                snprintf(text[k], sizeof text[k], "%.3f", v);
                viridis(colour[k], v);
                colours[k] = colour[k];
                snprintf(tooltip[k], len, "%s on %s: mean utility %.4g over %lld cell%s",
                         a->name, col_names[c], v, units, units == 1 ? "" : "s");
            } else {
                snprintf(text[k], sizeof text[k], "\xE2\x80\x93"); /* en dash */
                snprintf(tooltip[k], len, "%s did not play %s", a->name, col_names[c]);
            }
            texts[k] = text[k];
            tooltips[k] = tooltip[k];
        }
    }
    if (!rc) {
        heatmap map = {"Agents x scenarios: mean utility of each agent in each scenario",
                       rows,
                       cols,
                       row_names,
                       col_names,
                       colours,
                       texts,
                       tooltips,
                       &scale};
        buf svg, name;
        buf_init(&svg);
        buf_init(&name);
        svg_heatmap(&svg, &map, cols > 12 ? 48 : 60, 28);
        buf_printf(&name, "results-%s-agent-scenario", slug);
        rc = name.failed
                 ? error_nomem(err)
                 : report_figure(r, name.data, &svg,
                                 "Each agent's mean utility over its cells in each scenario "
                                 "(agents in rank order, scenarios in the tournament's order). "
                                 "A ranking can hide agents that win some scenarios and lose "
                                 "others: this map shows where. Colour follows the viridis "
                                 "scale on the right; every cell prints its value; hover for "
                                 "the number of cells.",
                                 0, err);
        buf_free(&svg);
        buf_free(&name);
    }
    for (size_t k = 0; tooltip && k < all; k++)
        free(tooltip[k]);
    free(text);
    free(colour);
    free(tooltip);
    free(texts);
    free(colours);
    free(tooltips);
    free(row_names);
    free(col_names);
    return rc;
}

static int sections(truce_report *r, const results *res, const char *db, truce_error *err)
{
    char slug[80];
    report_slug(slug, sizeof slug, res->name && *res->name ? res->name : "tournament");
    summary(r, res, db);
    warnings(r, res);
    skipped_table(r, res);
    agents_table(r, res);
    int any = 0;
    for (size_t k = 0; k < res->n_agents; k++)
        any |= isfinite(res->agents[k].mean);
    int rc = 0;
    if (!any) {
        report_note(r, "No negotiation is stored yet: there is nothing to plot.");
    } else {
        rc = bar_charts(r, res, slug, err);
        if (!rc)
            pairwise_table(r, res);
        if (!rc) {
            buf_puts(&r->body, "<h3>Head to head</h3>\n");
            rc = head_to_head(r, res, slug, err);
        }
        if (!rc) {
            buf_puts(&r->body, "<h3>Agents x scenarios</h3>\n");
            rc = agent_scenario_map(r, res, slug, err);
        }
    }
    if (!rc)
        scenarios_table(r, res);
    return rc;
}

int truce_report_add_results(truce_report *r, const char *db, truce_error *err)
{
    error_clear(err);
    if (!r || !db)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    results res;
    int rc = results_read(&res, db, err);
    if (rc) {
        results_free(&res);
        return rc;
    }
    report_mark mark = report_save(r);
    /* the definition's default name is "tournament": no need to say it twice */
    char heading[400];
    int named = res.name && *res.name && strcmp(res.name, "tournament");
    snprintf(heading, sizeof heading, "Tournament%s%s (%lld of %lld negotiations)",
             named ? " " : "", named ? res.name : "", res.negotiations, res.jobs);
    report_default_title(r, heading);
    report_section_open(r, heading);
    rc = sections(r, &res, db, err);
    report_section_close(r);
    if (!rc && r->body.failed)
        rc = error_nomem(err);
    if (rc)
        report_restore(r, mark);
    results_free(&res);
    return rc;
}
