/* robust_report.c: the robustness section of a report (truce robust): the
 * probability of a zone of agreement with what empties it, the clause
 * probabilities of the Nash and Kalai-Smorodinsky points, and tornado charts
 * of what moves the zone's and the advice's margins (docs/reports.md). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/robust.h"
#include "report.h"

#define TORNADO_ROWS 12

static double pval(json_t *o, const char *key)
{
    return json_real_value(json_object_get(json_object_get(o, key), "p"));
}

static double seval(json_t *o, const char *key)
{
    return json_real_value(json_object_get(json_object_get(o, key), "se"));
}

/* Bars of probabilities with 95% intervals (p +- 1.96 se, cut to [0, 1]). */
static int probability_bars(truce_report *r, const char *slug, const char *title,
                            const char *const *names, size_t n, size_t n_series,
                            const char *const *series, const double *p, const double *se,
                            const char *caption, truce_error *err)
{
    double *lo = malloc((n * n_series + 1) * 2 * sizeof *lo);
    if (!lo)
        return error_nomem(err);
    double *hi = lo + n * n_series + 1;
    for (size_t k = 0; k < n * n_series; k++) {
        lo[k] = fmax(0, p[k] - 1.96 * se[k]);
        hi[k] = fmin(1, p[k] + 1.96 * se[k]);
    }
    static const char *const colours[] = {"#0072B2", "#D55E00", "#009E73"};
    bars chart = {title,   "probability",
                  n,       n_series,
                  names,   series,
                  colours, p,
                  lo,      hi,
                  NULL,    "95% interval (Monte Carlo)",
                  0,       1};
    buf svg;
    buf_init(&svg);
    double width = 120 + 34.0 * (double)(n * n_series);
    svg_bar_chart(&svg, &chart, width < 560 ? 560 : width, 360);
    int rc = svg.failed ? error_nomem(err) : report_figure(r, slug, &svg, caption, 0, err);
    buf_free(&svg);
    free(lo);
    return rc;
}

/* A tornado chart: one horizontal bar per number, from the margin at the low
 * end of its range to the margin at the high end, widest first; 0 (where
 * the conclusion flips) and the central margin as vertical lines. */
static void tornado_svg(buf *b, const char *title, json_t *rows, double central)
{
    size_t n = 0, k;
    json_t *row;
    double lo = isfinite(central) ? central : 0, hi = lo;
    lo = fmin(lo, 0), hi = fmax(hi, 0);
    json_array_foreach(rows, k, row)
    {
        if (n == TORNADO_ROWS)
            break;
        json_t *a = json_object_get(row, "margin_low"), *c = json_object_get(row, "margin_high");
        if (!json_is_number(a) || !json_is_number(c))
            continue;
        lo = fmin(lo, fmin(json_real_value(a), json_real_value(c)));
        hi = fmax(hi, fmax(json_real_value(a), json_real_value(c)));
        n++;
    }
    double pad = (hi - lo) * 0.05 + 1e-9;
    double height = 70 + 26.0 * (double)(n ? n : 1);
    svg_open(b, 860, height, title);
    plot p;
    plot_open(&p, b, "plot tornado", 330, 30, 480, height - 70, lo - pad, hi + pad, 0,
              (double)(n ? n : 1));
    plot_axes(&p, "margin (above 0: the conclusion of the open zone / acceptable advice)", "", 0);
    plot_vline(&p, 0, "#000000", NULL, "flips", "flip");
    if (isfinite(central))
        plot_vline(&p, central, "#999999", "4 3", "central", "central");
    char x0[32], x1[32], y[32], h[32], v[32];
    size_t shown = 0;
    json_array_foreach(rows, k, row)
    {
        if (shown == n)
            break;
        json_t *a = json_object_get(row, "margin_low"), *c = json_object_get(row, "margin_high");
        if (!json_is_number(a) || !json_is_number(c))
            continue;
        double ml = json_real_value(a), mh = json_real_value(c);
        /* row `shown` from the top: data y from n - shown - 0.8 to n - shown - 0.2 */
        double ytop = plot_py(&p, (double)n - (double)shown - 0.2);
        double ybottom = plot_py(&p, (double)n - (double)shown - 0.8);
        double mid = plot_px(&p, isfinite(central) ? central : (ml + mh) / 2);
        double lowx = plot_px(&p, ml), highx = plot_px(&p, mh);
        buf_puts(b, "<g class=\"bar\"><title>");
        buf_escape(b, json_string_value(json_object_get(row, "text")));
        buf_printf(b, ": margin %s at %s, ", num4(v, ml),
                   num4(x0, json_real_value(json_object_get(row, "low"))));
        buf_printf(b, "%s at %s</title>", num4(v, mh),
                   num4(x0, json_real_value(json_object_get(row, "high"))));
        pix(y, ytop);
        pix(h, ybottom - ytop);
        /* toward the low end of the number's range in blue, the high end in orange */
        buf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"#0072B2\"/>",
                   pix(x0, fmin(lowx, mid)), y, pix(x1, fabs(mid - lowx)), h);
        buf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"#E69F00\"/>",
                   pix(x0, fmin(highx, mid)), y, pix(x1, fabs(highx - mid)), h);
        buf_printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-size=\"12\">", pix(x0, 322),
                   pix(x1, ybottom - 4));
        buf_escape(b, json_string_value(json_object_get(row, "text")));
        buf_puts(b, "</text></g>\n");
        shown++;
    }
    plot_close(&p);
    legend l;
    legend_open(&l, b, 330, height - 22);
    legend_area(&l, "#0072B2", 1, "number at the low end of its range");
    legend_close(&l);
    legend_open(&l, b, 600, height - 22);
    legend_area(&l, "#E69F00", 1, "at the high end");
    legend_close(&l);
    svg_close(b);
}

static int tornado(truce_report *r, json_t *t, const char *key, const char *slug, const char *title,
                   const char *caption, truce_error *err)
{
    json_t *part = json_object_get(t, key);
    if (!part)
        return 0;
    json_t *c = json_object_get(part, "central");
    buf svg;
    buf_init(&svg);
    tornado_svg(&svg, title, json_object_get(part, "numbers"),
                json_is_number(c) ? json_real_value(c) : NAN);
    int rc = svg.failed ? error_nomem(err) : report_figure(r, slug, &svg, caption, 0, err);
    buf_free(&svg);
    return rc;
}

static int zone_bars(truce_report *r, json_t *doc, truce_error *err)
{
    json_t *zone = json_object_get(doc, "zone"), *emptied = json_object_get(zone, "emptied_by");
    size_t n = json_array_size(emptied) + 2, k;
    const char **names = calloc(n, sizeof *names);
    char(*labels)[200] = calloc(n, sizeof *labels);
    double *p = calloc(n, sizeof *p), *se = calloc(n, sizeof *se);
    if (!names || !labels || !p || !se) {
        free(names), free(labels), free(p), free(se);
        return error_nomem(err);
    }
    names[0] = "zone open";
    p[0] = pval(zone, "open");
    se[0] = seval(zone, "open");
    json_t *e;
    json_array_foreach(emptied, k, e)
    {
        const char *party = json_string_value(json_object_get(e, "party"));
        if (!strcmp(json_string_value(json_object_get(e, "kind")), "reservation"))
            snprintf(labels[k + 1], sizeof labels[k + 1], "%s's BATNA", party);
        else
            snprintf(labels[k + 1], sizeof labels[k + 1], "%s's '%s'", party,
                     json_string_value(json_object_get(e, "id")));
        names[k + 1] = labels[k + 1];
        p[k + 1] = json_real_value(json_object_get(e, "p"));
        se[k + 1] = json_real_value(json_object_get(e, "se"));
    }
    names[n - 1] = "several jointly";
    p[n - 1] = pval(zone, "jointly");
    se[n - 1] = seval(zone, "jointly");
    static const char *const series[] = {"probability"};
    int rc = probability_bars(
        r, "robust-zone",
        "Probability of a zone of agreement, and what empties it (the bars after the first)", names,
        n, 1, series, p, se,
        "The share of samples in which some feasible outcome clears every bargainer's "
        "reservation value (zone open); in the others, the share in which relaxing one "
        "constraint alone (a hard condition, a reservation value) opens the zone, and in which "
        "no single relaxation does (jointly). Whiskers: 95% Monte Carlo intervals.",
        err);
    free(names), free(labels), free(p), free(se);
    return rc;
}

static int clause_bars(truce_report *r, json_t *doc, truce_error *err)
{
    json_t *nash = json_object_get(json_object_get(doc, "nash"), "clauses");
    json_t *ks = json_object_get(json_object_get(doc, "kalai_smorodinsky"), "clauses");
    size_t n = 0, k, q;
    json_t *c, *o;
    json_array_foreach(nash, k, c)
    {
        n += json_array_size(json_object_get(c, "options"));
    }
    const char **names = calloc(n + 1, sizeof *names);
    char(*labels)[300] = calloc(n + 1, sizeof *labels);
    double *p = calloc(2 * n + 1, sizeof *p), *se = calloc(2 * n + 1, sizeof *se);
    if (!names || !labels || !p || !se) {
        free(names), free(labels), free(p), free(se);
        return error_nomem(err);
    }
    size_t g = 0;
    json_array_foreach(nash, k, c)
    {
        json_t *other = json_object_get(json_array_get(ks, k), "options");
        json_array_foreach(json_object_get(c, "options"), q, o)
        {
            snprintf(labels[g], sizeof labels[g], "%s=%s",
                     json_string_value(json_object_get(c, "issue")),
                     json_string_value(json_object_get(o, "option")));
            names[g] = labels[g];
            p[2 * g] = json_real_value(json_object_get(o, "p"));
            se[2 * g] = json_real_value(json_object_get(o, "se"));
            p[2 * g + 1] = json_real_value(json_object_get(json_array_get(other, q), "p"));
            se[2 * g + 1] = json_real_value(json_object_get(json_array_get(other, q), "se"));
            g++;
        }
    }
    static const char *const series[] = {"Nash point", "Kalai-Smorodinsky point"};
    int rc = probability_bars(
        r, "robust-clauses", "Probability of each option of each clause of the bargaining points",
        names, n, 2, series, p, se,
        "For each clause (issue=option), the share of samples whose Nash (blue) and "
        "Kalai-Smorodinsky (orange) point takes that option; a clause's bars sum to the "
        "probability that the point exists. Whiskers: 95% Monte Carlo intervals.",
        err);
    free(names), free(labels), free(p), free(se);
    return rc;
}

int truce_report_add_robustness(truce_report *r, const truce_scenario *s,
                                const truce_robustness *robustness, truce_error *err)
{
    error_clear(err);
    if (!r || !s || !robustness)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    json_t *doc = (json_t *)robust_doc(robustness);
    report_mark mark = report_save(r);
    char heading[400], text[1200];
    snprintf(heading, sizeof heading, "Robustness of %s (%lld samples)", truce_scenario_name(s),
             (long long)json_integer_value(json_object_get(doc, "samples")));
    report_default_title(r, heading);
    report_section_open(r, heading);
    json_t *zone = json_object_get(doc, "zone");
    double p = pval(zone, "open"), se = seval(zone, "open");
    snprintf(text, sizeof text,
             "%zu numbers of the model are uncertain (docs/scenario-format.md#uncertainty); each "
             "sample draws them all and solves the scenario exactly. At central values the zone "
             "of agreement is %s. Probability of a zone: %.3f (95%% interval %.3f to %.3f).",
             json_array_size(json_object_get(doc, "uncertain")),
             json_is_true(json_object_get(zone, "central_open")) ? "open" : "empty", p,
             fmax(0, p - 1.96 * se), fmin(1, p + 1.96 * se));
    report_note(r, text);
    json_t *adv = json_object_get(doc, "advice");
    json_t *central = adv ? json_object_get(adv, "central") : NULL;
    if (central && json_is_object(central)) {
        snprintf(text, sizeof text,
                 "The advice for %s at central values is acceptable to every named party with "
                 "probability %.3f (se %.3f).",
                 json_string_value(json_object_get(adv, "party")), pval(central, "acceptable"),
                 seval(central, "acceptable"));
        report_note(r, text);
    }
    int rc = zone_bars(r, doc, err);
    if (!rc)
        rc = clause_bars(r, doc, err);
    json_t *t = json_object_get(doc, "tornado");
    if (!rc)
        rc = tornado(r, t, "zone", "robust-tornado-zone",
                     "What moves the zone margin (each uncertain number alone)",
                     "Each bar spans the zone margin (the best feasible deal's smallest gain of a "
                     "bargainer over its reservation value) as one number moves over its range, "
                     "the others at their central values: blue toward the low end, orange toward "
                     "the high end. A bar crossing the black line at 0 flips the zone (open above "
                     "0). Widest first; hover a bar for its values.",
                     err);
    if (!rc)
        rc = tornado(r, t, "advice", "robust-tornado-advice",
                     "What moves the advice's margin (each uncertain number alone)",
                     "The same for the smallest margin of a named party over its reservation "
                     "value on the advice at central values: a bar crossing 0 makes it "
                     "unacceptable.",
                     err);
    report_section_close(r);
    if (!rc && r->body.failed)
        rc = error_nomem(err);
    if (rc)
        report_restore(r, mark);
    return rc;
}
