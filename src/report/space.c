/* space.c: the utility-space plot of two parties shared by every report
 * kind: outcomes (dots or density), vetoed outcomes, the pair's Pareto
 * frontier, reservation lines, bargaining points, and paths drawn over them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/rng.h"
#include "report.h"

size_t report_principals(const truce_scenario *s, size_t *out)
{
    size_t n = 0, np = truce_scenario_party_count(s);
    for (size_t p = 0; p < np; p++)
        if (truce_party_role(s, p) == TRUCE_ROLE_PRINCIPAL)
            out[n++] = p;
    if (n < 2) {
        for (size_t p = 0; p < np; p++)
            out[p] = p;
        n = np;
    }
    return n;
}

size_t choose_pairs(size_t *pairs, size_t n, size_t max_pairs)
{
    size_t k = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            if (k == max_pairs)
                return k;
            pairs[2 * k] = a;
            pairs[2 * k + 1] = b;
            k++;
        }
    return k;
}

/* Infeasible: a principal's hard condition vetoes it (docs/analysis.md). */
static int any_veto(const truce_scenario *s, const uint32_t *o)
{
    return truce_outcome_feasible(s, o) == 0;
}

static void cloud_add(cloud *c, const truce_scenario *s, const uint32_t *o)
{
    for (size_t q = 0; q < c->n_parties; q++)
        c->u[c->n * c->n_parties + q] = (float)truce_utility(s, c->party[q], o);
    c->vetoed[c->n] = (unsigned char)any_veto(s, o);
    c->any_vetoed |= c->vetoed[c->n];
    c->n++;
}

int cloud_build(cloud *c, const truce_scenario *s, const size_t *parties, size_t n_parties,
                const truce_report_options *o, truce_error *err)
{
    memset(c, 0, sizeof *c);
    size_t ni = truce_scenario_issue_count(s);
    double total = 1;
    for (size_t i = 0; i < ni; i++)
        total *= truce_issue_option_count(s, i);
    if (truce_scenario_outcome_count(s, c->count, sizeof c->count) < 0)
        snprintf(c->count, sizeof c->count, "about %.3g", total);
    c->sampled = !(total <= o->max_enumerate);
    size_t cap = c->sampled ? o->samples : (size_t)total;
    c->n_parties = n_parties;
    c->party = malloc((n_parties ? n_parties : 1) * sizeof *c->party);
    c->u = malloc((cap ? cap : 1) * (n_parties ? n_parties : 1) * sizeof *c->u);
    c->vetoed = malloc(cap ? cap : 1);
    uint32_t *outcome = calloc(ni ? ni : 1, sizeof *outcome);
    if (!c->party || !c->u || !c->vetoed || !outcome) {
        free(outcome);
        cloud_free(c);
        return error_nomem(err);
    }
    memcpy(c->party, parties, n_parties * sizeof *parties);
    if (c->sampled) {
        rng g;
        rng_seed(&g, o->seed);
        for (size_t k = 0; k < cap; k++) {
            for (size_t i = 0; i < ni; i++)
                outcome[i] = (uint32_t)rng_below(&g, truce_issue_option_count(s, i));
            cloud_add(c, s, outcome);
        }
    } else {
        /* mixed-radix counting, first issue fastest */
        for (size_t k = 0; k < cap; k++) {
            cloud_add(c, s, outcome);
            for (size_t i = 0; i < ni; i++) {
                if (++outcome[i] < truce_issue_option_count(s, i))
                    break;
                outcome[i] = 0;
            }
        }
    }
    free(outcome);
    return 0;
}

void cloud_free(cloud *c)
{
    free(c->party);
    free(c->u);
    free(c->vetoed);
    memset(c, 0, sizeof *c);
}

static long cloud_column(const cloud *c, size_t who)
{
    for (size_t q = 0; c && q < c->n_parties; q++)
        if (c->party[q] == who)
            return (long)q;
    return -1;
}

/* The pair's own Pareto frontier among feasible outcomes: the analysis
 * frontier (over the bargainers) projected on (px, py), keeping the points
 * no other projected point dominates. Every feasible outcome on the pair's
 * frontier has its utilities on some point of the full frontier (an outcome
 * dominating it would have to be at least as good for both), so this is
 * exact when the analysis is and px, py are bargainers. Sorted by
 * x ascending; returns the count (points in xy, 2 per point). */
static int by_x_then_y_descending(const void *a, const void *b)
{
    const double *p = a, *q = b;
    if (p[0] != q[0])
        return p[0] < q[0] ? 1 : -1;
    if (p[1] != q[1])
        return p[1] < q[1] ? 1 : -1;
    return 0;
}

static size_t pair_frontier(const truce_analysis *an, size_t px, size_t py, double **xy)
{
    size_t n = truce_analysis_pareto_size(an);
    double *v = malloc((n ? n : 1) * 2 * sizeof *v);
    *xy = v;
    if (!v)
        return 0;
    for (size_t k = 0; k < n; k++) {
        const double *u = truce_analysis_pareto_point(an, k);
        v[2 * k] = u[px];
        v[2 * k + 1] = u[py];
    }
    /* sort by x descending, y descending; then keep the points whose y
     * beats every earlier y (a sweep) */
    qsort(v, n, 2 * sizeof *v, by_x_then_y_descending);
    size_t m = 0;
    double best = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        if (v[2 * k + 1] > best + TRUCE_TOLERANCE) {
            best = v[2 * k + 1];
            v[2 * m] = v[2 * k];
            v[2 * m + 1] = v[2 * k + 1];
            m++;
        }
    }
    /* ascending x for the line */
    for (size_t a = 0, b = m ? m - 1 : 0; a < b; a++, b--) {
        double tx = v[2 * a], ty = v[2 * a + 1];
        v[2 * a] = v[2 * b];
        v[2 * a + 1] = v[2 * b + 1];
        v[2 * b] = tx;
        v[2 * b + 1] = ty;
    }
    return m;
}

static double lowest_shown(const space_view *v, const double *front, size_t n_front)
{
    double lo = 0;
    long cx = cloud_column(v->c, v->px), cy = cloud_column(v->c, v->py);
    if (v->c && cx >= 0 && cy >= 0)
        for (size_t k = 0; k < v->c->n; k++) {
            double a = v->c->u[k * v->c->n_parties + (size_t)cx];
            double b = v->c->u[k * v->c->n_parties + (size_t)cy];
            lo = fmin(lo, fmin(a, b));
        }
    for (size_t k = 0; k < 2 * n_front; k++)
        lo = fmin(lo, front[k]);
    for (size_t q = 0; q < v->n_paths; q++)
        for (size_t k = 0; k < v->paths[q].n; k++) {
            if (isfinite(v->paths[q].x[k]))
                lo = fmin(lo, v->paths[q].x[k]);
            if (isfinite(v->paths[q].y[k]))
                lo = fmin(lo, v->paths[q].y[k]);
        }
    /* a round lower bound keeps the ticks on round numbers */
    return lo < 0 ? floor(lo * 10) / 10 : 0;
}

static void draw_cloud(plot *p, const space_view *v, legend *l)
{
    const cloud *c = v->c;
    long cx = cloud_column(c, v->px), cy = cloud_column(c, v->py);
    if (!c || cx < 0 || cy < 0 || !c->n)
        return;
    char text[160];
    if (c->n <= v->max_dots && !c->sampled) {
        buf_puts(p->b, "<g class=\"outcomes\">\n");
        for (size_t k = 0; k < c->n; k++) {
            double x = c->u[k * c->n_parties + (size_t)cx];
            double y = c->u[k * c->n_parties + (size_t)cy];
            if (c->vetoed[k])
                plot_marker(p, x, y, MARK_CROSS, 2.2, "#999999", "vetoed", NULL);
            else
                plot_marker(p, x, y, MARK_CIRCLE, 2.2, "#56B4E9", "outcome", NULL);
        }
        buf_puts(p->b, "</g>\n");
        snprintf(text, sizeof text, "outcome (all %s)", c->count);
        legend_marker(l, MARK_CIRCLE, "#56B4E9", text);
        if (c->any_vetoed)
            legend_marker(l, MARK_CROSS, "#999999", "infeasible (a principal's veto)");
        return;
    }
    enum { GRID = 80 };
    uint64_t *grid = calloc(2 * GRID * GRID, sizeof *grid);
    if (!grid) {
        p->b->failed = 1;
        return;
    }
    for (size_t k = 0; k < c->n; k++) {
        double x = c->u[k * c->n_parties + (size_t)cx];
        double y = c->u[k * c->n_parties + (size_t)cy];
        long i = (long)floor((x - p->xmin) / (p->xmax - p->xmin) * GRID);
        long j = (long)floor((y - p->ymin) / (p->ymax - p->ymin) * GRID);
        i = i < 0 ? 0 : i >= GRID ? GRID - 1 : i;
        j = j < 0 ? 0 : j >= GRID ? GRID - 1 : j;
        grid[(c->vetoed[k] ? GRID * GRID : 0) + (size_t)j * GRID + (size_t)i]++;
    }
    plot_density(p, grid + GRID * GRID, GRID, GRID, "#999999", "density vetoed");
    plot_density(p, grid, GRID, GRID, "#0072B2", "density outcomes");
    free(grid);
    if (c->sampled)
        snprintf(text, sizeof text, "density of %zu sampled outcomes", c->n);
    else
        snprintf(text, sizeof text, "density of all %s outcomes", c->count);
    legend_area(l, "#0072B2", 0.6, text);
    if (c->any_vetoed)
        legend_area(l, "#999999", 0.6, "infeasible (a principal's veto)");
}

static void draw_frontier(plot *p, const space_view *v, const double *front, size_t n, legend *l)
{
    if (!n)
        return;
    int approx = truce_analysis_is_approximate(v->an);
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        p->b->failed = 1;
        return;
    }
    /* thin the line to points at least half a pixel apart: large frontiers
     * stay small in the file and look the same */
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        double px = plot_px(p, front[2 * k]), py = plot_py(p, front[2 * k + 1]);
        if (m && k + 1 < n && fabs(px - plot_px(p, x[m - 1])) < 0.5 &&
            fabs(py - plot_py(p, y[m - 1])) < 0.5)
            continue;
        x[m] = front[2 * k];
        y[m] = front[2 * k + 1];
        m++;
    }
    plot_line(p, x, y, m, "#000000", 1.5, approx ? "5 3" : NULL, "frontier");
    free(x);
    free(y);
    if (n <= 1000) {
        char tip[128], a[32], b[32];
        buf_puts(p->b, "<g class=\"pareto-points\">\n");
        for (size_t k = 0; k < n; k++) {
            snprintf(tip, sizeof tip, "Pareto-optimal: %s %s, %s %s", v->xname,
                     num4(a, front[2 * k]), v->yname, num4(b, front[2 * k + 1]));
            plot_marker(p, front[2 * k], front[2 * k + 1], MARK_CIRCLE, 3, "#000000", "pareto",
                        tip);
        }
        buf_puts(p->b, "</g>\n");
    }
    char text[96];
    snprintf(text, sizeof text, "Pareto frontier (%zu point%s%s)", n, n == 1 ? "" : "s",
             approx ? ", approximate" : "");
    if (n <= 1000)
        legend_marker(l, MARK_CIRCLE, "#000000", text);
    else
        legend_line(l, "#000000", approx ? "5 3" : NULL, text);
}

static void draw_solutions(plot *p, const space_view *v, legend *l)
{
    static const char *const names[] = {"Nash point", "Kalai-Smorodinsky point",
                                        "max-welfare point"};
    static const char *const classes[] = {"nash", "kalai-smorodinsky", "max-welfare"};
    static const marker shapes[] = {MARK_DIAMOND, MARK_TRIANGLE, MARK_SQUARE};
    static const int colours[] = {1, 7, 3}; /* orange, reddish purple, bluish green */
    size_t np = truce_scenario_party_count(v->s);
    double *u = malloc((np ? np : 1) * sizeof *u);
    if (!u) {
        p->b->failed = 1;
        return;
    }
    for (int w = 0; w < 3; w++) {
        if (truce_analysis_solution(v->an, (truce_solution)w, u, NULL, NULL) != 1)
            continue;
        char tip[160], a[32], b[32];
        snprintf(tip, sizeof tip, "%s: %s %s, %s %s", names[w], v->xname, num4(a, u[v->px]),
                 v->yname, num4(b, u[v->py]));
        plot_marker(p, u[v->px], u[v->py], shapes[w], 6.5 - w, okabe_ito[colours[w]], classes[w],
                    tip);
        legend_marker(l, shapes[w], okabe_ito[colours[w]], names[w]);
    }
    free(u);
}

static void draw_paths(plot *p, const space_view *v, legend *l)
{
    for (size_t q = 0; q < v->n_paths; q++) {
        const space_path *path = &v->paths[q];
        plot_line(p, path->x, path->y, path->n, path->colour, 1.2, NULL, "path");
        /* markers only while they stay readable */
        if (path->n <= 400)
            for (size_t k = 0; k < path->n; k++)
                plot_marker(p, path->x[k], path->y[k], path->shape, 3.2, path->colour, path->cls,
                            NULL);
        legend_marker(l, path->shape, path->colour, path->name);
    }
    for (size_t q = 0; q < v->n_marks; q++) {
        const space_mark *m = &v->marks[q];
        char tip[200], a[32], b[32];
        snprintf(tip, sizeof tip, "%s: %s %s, %s %s", m->name, v->xname, num4(a, m->x), v->yname,
                 num4(b, m->y));
        plot_marker(p, m->x, m->y, m->shape, 9, m->colour, m->cls, tip);
        legend_marker(l, m->shape, m->colour, m->name);
    }
}

void space_plot(buf *b, const space_view *v)
{
    double *front = NULL;
    size_t n_front = v->an && v->s ? pair_frontier(v->an, v->px, v->py, &front) : 0;
    double lo = lowest_shown(v, front, n_front);
    svg_open(b, SPACE_WIDTH, SPACE_HEIGHT, v->title);
    plot p;
    plot_open(&p, b, "plot utility-space", SPACE_X0, SPACE_Y0, SPACE_SIZE, SPACE_SIZE, lo, 1, lo,
              1);
    char xl[200], yl[200];
    snprintf(xl, sizeof xl, "utility of %s", v->xname);
    snprintf(yl, sizeof yl, "utility of %s", v->yname);
    plot_axes(&p, xl, yl, 0);
    legend l;
    legend_open(&l, b, SPACE_X0 + SPACE_SIZE + 24, SPACE_Y0 + 10);
    draw_cloud(&p, v, &l);
    if (v->s) {
        char label[200];
        /* the analysis reads reservation values at its time */
        double rx = v->an ? truce_analysis_reservation(v->an, v->px)
                          : truce_party_reservation(v->s, v->px);
        double ry = v->an ? truce_analysis_reservation(v->an, v->py)
                          : truce_party_reservation(v->s, v->py);
        snprintf(label, sizeof label, "%s's BATNA", v->xname);
        plot_vline(&p, rx, "#555555", "6 4", rx > lo ? label : NULL, "reservation");
        snprintf(label, sizeof label, "%s's BATNA", v->yname);
        plot_hline(&p, ry, "#555555", "6 4", ry > lo ? label : NULL, "reservation");
        legend_line(&l, "#555555", "6 4", "reservation value (BATNA)");
    }
    if (v->an && v->s) {
        draw_frontier(&p, v, front, n_front, &l);
        draw_solutions(&p, v, &l);
    }
    draw_paths(&p, v, &l);
    plot_close(&p);
    if (v->an && truce_analysis_is_approximate(v->an))
        legend_text(&l, "frontier from a heuristic search");
    legend_close(&l);
    svg_close(b);
    free(front);
}
