/* analysis_report.c: the scenario-analysis section of a report: the parties,
 * the bargaining points, and the outcome space of each pair of principals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "report.h"

static const char *role_name(int role)
{
    return role == TRUCE_ROLE_MEDIATOR      ? "mediator"
           : role == TRUCE_ROLE_STAKEHOLDER ? "stakeholder"
                                            : "principal";
}

static void parties_table(truce_report *r, const truce_scenario *s, const truce_analysis *an)
{
    buf *b = &r->body;
    char v[32];
    buf_puts(b, "<div class=\"scroll\"><table class=\"parties\">\n<tr><th>party</th><th>role</th>"
                "<th>bargains</th><th>reservation value (BATNA)</th><th>discount factor</th>"
                "<th>hard conditions</th></tr>\n");
    for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
        buf_puts(b, "<tr><td>");
        buf_escape(b, truce_party_label(s, p));
        if (strcmp(truce_party_label(s, p), truce_party_name(s, p))) {
            buf_puts(b, " (");
            buf_escape(b, truce_party_name(s, p));
            buf_puts(b, ")");
        }
        int role = truce_party_role(s, p);
        buf_printf(b, "</td><td>%s</td><td>%s</td><td class=\"num\">%s</td>", role_name(role),
                   role == TRUCE_ROLE_PRINCIPAL ? "yes" : "no (shown only)",
                   num4(v, truce_analysis_reservation(an, p)));
        buf_printf(b, "<td class=\"num\">%s</td><td>", num4(v, truce_party_discount(s, p)));
        for (size_t k = 0; k < truce_party_hard_condition_count(s, p); k++) {
            buf_puts(b, k ? ", " : "");
            buf_escape(b, truce_hard_condition_id(s, p, k));
        }
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</table></div>\n");
}

static void outcome_cell(buf *b, const truce_scenario *s, const uint32_t *o)
{
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        char label[512];
        truce_issue_option_label(s, i, o[i], label, sizeof label);
        buf_puts(b, i ? "; " : "");
        buf_escape(b, truce_issue_name(s, i));
        buf_puts(b, " = ");
        buf_escape(b, label);
    }
}

/* One row per bargaining point of an analysis; `prefix` labels the rows of
 * the analysis that ignores hard conditions. */
static void solution_rows(buf *b, const truce_scenario *s, const truce_analysis *an,
                          const char *prefix, double *u, uint32_t *o)
{
    static const char *const names[] = {"Nash", "Kalai-Smorodinsky", "max welfare"};
    size_t np = truce_scenario_party_count(s);
    char v[32];
    for (int w = 0; w < 3; w++) {
        buf_printf(b, "<tr><td>%s%s</td>", prefix, names[w]);
        if (truce_analysis_solution(an, (truce_solution)w, u, o, NULL) != 1) {
            buf_printf(b, "<td colspan=\"%zu\">none: %s</td></tr>\n", np + 1,
                       w == TRUCE_SOLUTION_MAX_WELFARE
                           ? "no feasible outcome"
                           : "no feasible outcome gives every principal more than its "
                             "reservation value");
            continue;
        }
        for (size_t p = 0; p < np; p++)
            buf_printf(b, "<td class=\"num\">%s</td>", num4(v, u[p]));
        buf_puts(b, "<td>");
        outcome_cell(b, s, o);
        buf_puts(b, "</td></tr>\n");
    }
}

static int solutions_table(truce_report *r, const truce_scenario *s, const truce_analysis *an)
{
    size_t np = truce_scenario_party_count(s), ni = truce_scenario_issue_count(s);
    double *u = malloc((np ? np : 1) * sizeof *u);
    uint32_t *o = malloc((ni ? ni : 1) * sizeof *o);
    if (!u || !o) {
        free(u);
        free(o);
        return -1;
    }
    buf *b = &r->body;
    report_note(r, "Computed over the principals (who bargain) and the feasible outcomes (no "
                   "principal's hard condition broken): Nash maximises the product of the "
                   "principals' gains over their reservation values, Kalai-Smorodinsky gives "
                   "each the same share of its possible gain, max welfare maximises the sum of "
                   "their utilities. Mediators and stakeholders are shown, never bargain.");
    buf_puts(b, "<div class=\"scroll\"><table class=\"solutions\">\n<tr><th>point</th>");
    for (size_t p = 0; p < np; p++) {
        buf_puts(b, "<th>");
        buf_escape(b, truce_party_name(s, p));
        buf_puts(b, "</th>");
    }
    buf_puts(b, "<th>outcome</th></tr>\n");
    solution_rows(b, s, an, "", u, o);
    const truce_analysis *free_an = truce_analysis_ignoring_hard_conditions(an);
    if (free_an)
        solution_rows(b, s, free_an, "ignoring hard conditions: ", u, o);
    buf_puts(b, "</table></div>\n");
    free(u);
    free(o);
    return 0;
}

/* The same words as `truce check` and `truce analyze`: the bargainers, the
 * feasible count, the zone (docs/analysis.md). */
static void summary(truce_report *r, const truce_scenario *s, const truce_analysis *an,
                    const cloud *c)
{
    char pcount[4096], feasible[4096];
    if (truce_analysis_pareto_count(an, pcount, sizeof pcount) < 0)
        strcpy(pcount, "many");
    if (truce_analysis_feasible_count(an, feasible, sizeof feasible) < 0)
        strcpy(feasible, "many");
    buf *b = &r->body;
    buf_printf(b, "<p>%zu parties, %zu issues, %s outcomes, of which %s feasible (no "
                  "principal's hard condition broken). ",
               truce_scenario_party_count(s), truce_scenario_issue_count(s), c->count, feasible);
    buf_puts(b, "Bargainers: ");
    for (size_t k = 0; k < truce_scenario_bargainer_count(s); k++) {
        buf_puts(b, k ? ", " : "");
        buf_escape(b, truce_party_name(s, (size_t)truce_scenario_bargainer(s, k)));
    }
    buf_puts(b, ". ");
    if (truce_analysis_is_approximate(an))
        buf_printf(b,
                   "Pareto frontier among feasible outcomes: %zu non-dominated utility vectors "
                   "found by a heuristic search (method ",
                   truce_analysis_pareto_size(an));
    else
        buf_printf(b,
                   "Pareto frontier among feasible outcomes: %s outcomes, %zu distinct utility "
                   "vectors (method ",
                   pcount, truce_analysis_pareto_size(an));
    buf_escape(b, truce_analysis_method(an));
    buf_printf(b, "). Zone of agreement at time %.2f: %s.</p>\n", truce_analysis_time(an),
               truce_analysis_zopa(an)
                   ? "non-empty, some feasible outcome gives every principal more than its "
                     "reservation value"
                   : "<strong>EMPTY</strong>: no feasible outcome gives every principal more "
                     "than its reservation value");
    int rule = truce_scenario_decision_rule(s) != TRUCE_DECISION_UNANIMITY;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++)
        rule |= truce_party_ratifier(s, p);
    if (rule)
        buf_puts(b, "<p class=\"warn\">This scenario has a decision rule other than plain "
                    "unanimity (a qualified majority or ratifiers): the zone, frontier and "
                    "points drawn here are those of unanimity of the principals; "
                    "<code>truce check</code> and <code>truce analyze</code> show the zone and "
                    "the points under the rule.</p>\n");
    if (truce_analysis_is_approximate(an))
        buf_puts(b, "<p class=\"warn\">APPROXIMATE: the space is too large for exact analysis. "
                    "The frontier (dashed) and the bargaining points come from a heuristic "
                    "search and may miss Pareto-optimal outcomes.</p>\n");
}

static int pair_figures(truce_report *r, const truce_scenario *s, const truce_analysis *an,
                        const cloud *c, const size_t *pairs, size_t n_pairs, truce_error *err)
{
    for (size_t k = 0; k < n_pairs; k++) {
        size_t a = pairs[2 * k], d = pairs[2 * k + 1];
        char title[512], slug[300];
        snprintf(title, sizeof title, "%s: outcomes of %s and %s", truce_scenario_name(s),
                 truce_party_name(s, a), truce_party_name(s, d));
        space_view v = {0};
        v.s = s;
        v.an = an;
        v.c = c;
        v.px = a;
        v.py = d;
        v.xname = truce_party_name(s, a);
        v.yname = truce_party_name(s, d);
        v.title = title;
        v.max_dots = r->o.max_dots;
        buf svg;
        buf_init(&svg);
        space_plot(&svg, &v);
        snprintf(slug, sizeof slug, "space-%s-%s-%s", truce_scenario_name(s),
                 truce_party_name(s, a), truce_party_name(s, d));
        buf cap;
        buf_init(&cap);
        buf_puts(&cap, "Outcome space of ");
        buf_escape(&cap, v.xname);
        buf_puts(&cap, " (x) and ");
        buf_escape(&cap, v.yname);
        buf_puts(&cap, " (y). ");
        if (truce_scenario_party_count(s) > 2)
            buf_puts(&cap, "The frontier is this pair's own; the bargaining points are those of "
                           "every principal, projected on the pair. ");
        if (c->sampled)
            buf_printf(&cap,
                       "The space is shown by %zu outcomes drawn at random (seed %llu); "
                       "the frontier comes from the analysis of the whole space.",
                       c->n, (unsigned long long)r->o.seed);
        int rc = cap.failed ? error_nomem(err) : report_figure(r, slug, &svg, cap.data, 0, err);
        buf_free(&cap);
        buf_free(&svg);
        if (rc)
            return rc;
    }
    return 0;
}

int truce_report_add_analysis(truce_report *r, const truce_scenario *s, const truce_analysis *an,
                              truce_error *err)
{
    error_clear(err);
    if (!r || !s || !an)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    size_t np = truce_scenario_party_count(s);
    size_t *principals = malloc((np ? np : 1) * sizeof *principals);
    size_t *pairs = malloc((r->o.max_pairs * 2) * sizeof *pairs);
    if (!principals || !pairs) {
        free(principals);
        free(pairs);
        return error_nomem(err);
    }
    size_t n = report_principals(s, principals);
    size_t n_pairs = choose_pairs(pairs, n, r->o.max_pairs);
    /* the cloud keeps only the parties some plot shows */
    size_t *used = malloc((np ? np : 1) * sizeof *used), n_used = 0;
    for (size_t k = 0; used && k < 2 * n_pairs; k++) {
        size_t p = principals[pairs[k]];
        int seen = 0;
        for (size_t q = 0; q < n_used; q++)
            seen |= used[q] == p;
        if (!seen)
            used[n_used++] = p;
        pairs[k] = p;
    }
    cloud c;
    int rc = used ? cloud_build(&c, s, used, n_used, &r->o, err) : error_nomem(err);
    free(used);
    if (rc) {
        free(principals);
        free(pairs);
        return rc;
    }
    report_mark mark = report_save(r);
    char heading[300];
    snprintf(heading, sizeof heading, "Scenario %s", truce_scenario_name(s));
    report_default_title(r, heading);
    report_section_open(r, heading);
    summary(r, s, an, &c);
    parties_table(r, s, an);
    report_note(r, "How to read the plots: each dot is one outcome (one possible deal), placed "
                   "at the two parties' utilities for it; crosses are infeasible outcomes, which "
                   "a principal's hard condition vetoes. The black line joins the pair's "
                   "Pareto-optimal feasible outcomes (no feasible outcome is better for one "
                   "without being worse for the other). Dashed lines are the reservation values: "
                   "deals left of or below them are worse than no deal for that party. The "
                   "bargaining points are feasible. Hover a point for its values.");
    if (n_pairs < n * (n - 1) / 2) {
        char text[200];
        snprintf(text, sizeof text,
                 "%zu principals: only the first %zu pairs are plotted (max_pairs).", n, n_pairs);
        report_note(r, text);
    }
    rc = pair_figures(r, s, an, &c, pairs, n_pairs, err);
    if (!rc) {
        buf_puts(&r->body, "<h3>Bargaining points</h3>\n");
        if (solutions_table(r, s, an))
            rc = error_nomem(err);
    }
    report_section_close(r);
    if (!rc && r->body.failed)
        rc = error_nomem(err);
    if (rc)
        report_restore(r, mark);
    cloud_free(&c);
    free(principals);
    free(pairs);
    return rc;
}
