/* mediation_report.c: the section of a mediation trace (docs/mediation.md):
 * the draft's clauses across iterations, each principal's answers, the
 * objections and amendments per party, utilities per iteration. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/limits.h"
#include "report.h"

enum { MAX_ITERATIONS = 1000000 };

/* What each party did over the talks. */
typedef struct tally {
    const char *name;
    int principal;
    size_t vetoes, cost, carried; /* objections by reason */
    size_t adopted, rejected;     /* amendments it sent that were adopted / not taken up */
} tally;

typedef struct talks {
    const record *start, *end;
    size_t n_issues;
    const char **issues; /* from the first draft, in its order */
    size_t n_iter;
    json_t **drafts;  /* per iteration (borrowed) */
    json_t **changes; /* revision changes after each iteration (borrowed), or NULL */
    size_t n_princ;
    const char **princ;  /* principals in the order drafts reach them */
    double *u, *res;     /* n_iter * n_princ utility of the draft and BATNA (NaN: none) */
    const char **answer; /* n_iter * n_princ: "accept", "object", "veto", "walk-away" or NULL */
    tally *tallies;
    size_t n_tallies;
} talks;

static void talks_free(talks *t)
{
    free(t->issues);
    free(t->drafts);
    free(t->changes);
    free(t->princ);
    free(t->u);
    free(t->res);
    free(t->answer);
    free(t->tallies);
    memset(t, 0, sizeof *t);
}

static tally *tally_of(talks *t, const char *name, int principal)
{
    for (size_t k = 0; k < t->n_tallies; k++)
        if (!strcmp(t->tallies[k].name, name)) {
            t->tallies[k].principal |= principal;
            return &t->tallies[k];
        }
    tally *n = realloc(t->tallies, (t->n_tallies + 1) * sizeof *n);
    if (!n)
        return NULL;
    t->tallies = n;
    tally *x = &n[t->n_tallies++];
    memset(x, 0, sizeof *x);
    x->name = name;
    x->principal = principal;
    return x;
}

static const char *string_field(const char *path, const record *rec, const char *field,
                                truce_error *err)
{
    const char *v = json_string_value(json_object_get(rec->j, field));
    if (!v)
        trace_error(err, path, rec->line, field, "expected a string");
    return v;
}

/* First pass: the number of iterations and the principals. */
static int scan(talks *t, const char *path, const record *recs, size_t n, uint32_t max_parties,
                truce_error *err)
{
    t->start = &recs[0];
    json_t *first = json_object_get(recs[0].j, "first_draft");
    if (!json_is_object(first))
        return trace_error(err, path, recs[0].line, "first_draft", "expected an outcome object");
    t->n_issues = json_object_size(first);
    t->issues = calloc(t->n_issues ? t->n_issues : 1, sizeof *t->issues);
    t->princ = calloc(n, sizeof *t->princ);
    if (!t->issues || !t->princ)
        return error_nomem(err);
    const char *key;
    json_t *value;
    size_t i = 0;
    json_object_foreach(first, key, value)
    {
        t->issues[i++] = key;
    }
    for (size_t k = 1; k < n; k++) {
        const record *rec = &recs[k];
        const char *type = json_string_value(json_object_get(rec->j, "type"));
        if (!type)
            return trace_error(err, path, rec->line, "type", "every record needs a \"type\"");
        if (!strcmp(type, "start"))
            return trace_error(err, path, rec->line, "type",
                               "a second \"start\" record: a mediation trace holds one run");
        if (t->end)
            return trace_error(err, path, rec->line, "type",
                               "a \"%s\" record after the \"end\" record", type);
        if (!strcmp(type, "end")) {
            t->end = rec;
            continue;
        }
        if (strcmp(type, "draft") && strcmp(type, "answer") && strcmp(type, "amendment") &&
            strcmp(type, "revision") && strcmp(type, "out-of-reach"))
            continue; /* records added later */
        json_t *it = json_object_get(rec->j, "iteration");
        if (!json_is_integer(it) || json_integer_value(it) < 0 ||
            json_integer_value(it) >= MAX_ITERATIONS)
            return trace_error(err, path, rec->line, "iteration",
                               "expected an iteration number from 0");
        /* iterations come in order, without gaps: one record numbered 999999 asked for a table
         * of a million iterations by every principal */
        if ((size_t)json_integer_value(it) > t->n_iter)
            return trace_error(err, path, rec->line, "iteration",
                               "iteration %lld comes before iteration %zu",
                               (long long)json_integer_value(it), t->n_iter);
        if ((size_t)json_integer_value(it) + 1 > t->n_iter)
            t->n_iter = (size_t)json_integer_value(it) + 1;
        if (!strcmp(type, "draft")) {
            const char *to = string_field(path, rec, "to", err);
            if (!to)
                return TRUCE_EPARSE;
            size_t p = 0;
            while (p < t->n_princ && strcmp(t->princ[p], to))
                p++;
            if (p == t->n_princ && t->n_princ == max_parties)
                return limit_exceeded(err, path, (int)rec->line, "max_parties", max_parties,
                                      "the trace has more than %u principals", max_parties);
            if (p == t->n_princ)
                t->princ[t->n_princ++] = to;
        }
    }
    if (!t->end)
        return trace_error(err, path, recs[n - 1].line, NULL,
                           "no \"end\" record: the trace is truncated");
    if (!t->n_iter || !t->n_princ)
        return trace_error(err, path, t->end->line, NULL, "the trace holds no draft");
    return 0;
}

static long principal_index(const talks *t, const char *name)
{
    for (size_t p = 0; name && p < t->n_princ; p++)
        if (!strcmp(t->princ[p], name))
            return (long)p;
    return -1;
}

static int count_objections(talks *t, const char *path, const record *rec, const char *who,
                            truce_error *err)
{
    tally *x = tally_of(t, who, 1);
    if (!x)
        return error_nomem(err);
    json_t *objections = json_object_get(rec->j, "objections");
    if (objections && !json_is_array(objections))
        return trace_error(err, path, rec->line, "objections", "expected an array");
    size_t k;
    json_t *o;
    json_array_foreach(objections, k, o)
    {
        const char *reason = json_string_value(json_object_get(o, "reason"));
        if (!reason)
            return trace_error(err, path, rec->line, "objections", "objection %zu has no reason",
                               k);
        if (!strncmp(reason, "veto", 4))
            x->vetoes++;
        else if (!strcmp(reason, "amendment"))
            x->carried++;
        else
            x->cost++;
    }
    static const char *const lists[] = {"adopted_amendments", "rejected_amendments"};
    for (int l = 0; l < 2; l++) {
        json_t *list = json_object_get(rec->j, lists[l]);
        if (list && !json_is_array(list))
            return trace_error(err, path, rec->line, lists[l], "expected an array");
        json_array_foreach(list, k, o)
        {
            const char *from = json_string_value(json_object_get(o, "from"));
            if (!from)
                return trace_error(err, path, rec->line, lists[l],
                                   "amendment %zu names no \"from\"", k);
            tally *y = tally_of(t, from, 0);
            if (!y)
                return error_nomem(err);
            if (l == 0)
                y->adopted++;
            else
                y->rejected++;
        }
    }
    return 0;
}

/* Second pass: drafts, utilities, answers, changes, tallies. */
static int collect(talks *t, const char *path, const record *recs, size_t n, truce_error *err)
{
    size_t cells = t->n_iter * t->n_princ;
    t->drafts = calloc(t->n_iter, sizeof *t->drafts);
    t->changes = calloc(t->n_iter, sizeof *t->changes);
    t->u = malloc(cells * sizeof *t->u);
    t->res = malloc(cells * sizeof *t->res);
    t->answer = calloc(cells, sizeof *t->answer);
    if (!t->drafts || !t->changes || !t->u || !t->res || !t->answer)
        return error_nomem(err);
    for (size_t k = 0; k < cells; k++)
        t->u[k] = t->res[k] = NAN;
    for (size_t p = 0; p < t->n_princ; p++)
        if (!tally_of(t, t->princ[p], 1))
            return error_nomem(err);
    for (size_t k = 1; k < n; k++) {
        const record *rec = &recs[k];
        const char *type = json_string_value(json_object_get(rec->j, "type"));
        if (rec == t->end)
            break;
        json_t *itj = json_object_get(rec->j, "iteration");
        if (!itj)
            continue;
        size_t it = (size_t)json_integer_value(itj);
        if (!strcmp(type, "draft")) {
            json_t *outcome = json_object_get(rec->j, "outcome");
            if (!json_is_object(outcome))
                return trace_error(err, path, rec->line, "outcome", "expected an outcome object");
            if (!t->drafts[it])
                t->drafts[it] = outcome;
            long p = principal_index(t, json_string_value(json_object_get(rec->j, "to")));
            json_t *u = json_object_get(rec->j, "utility");
            if (!json_is_number(u) || !(json_number_value(u) >= -1e-9) ||
                !(json_number_value(u) <= 1 + 1e-9))
                return trace_error(err, path, rec->line, "utility",
                                   "expected a utility, a number in [0, 1]");
            t->u[it * t->n_princ + (size_t)p] = json_number_value(u);
        } else if (!strcmp(type, "answer")) {
            const char *from = string_field(path, rec, "from", err);
            const char *answer = from ? string_field(path, rec, "answer", err) : NULL;
            if (!answer)
                return TRUCE_EPARSE;
            long p = principal_index(t, from);
            if (p < 0)
                return trace_error(err, path, rec->line, "from",
                                   "'%s' answers without having received a draft", from);
            json_t *res = json_object_get(rec->j, "reservation");
            if (res && (!json_is_number(res) || !(json_number_value(res) >= -1e-9) ||
                        !(json_number_value(res) <= 1 + 1e-9)))
                return trace_error(err, path, rec->line, "reservation",
                                   "expected a reservation value, a number in [0, 1]");
            if (json_is_number(res))
                t->res[it * t->n_princ + (size_t)p] = json_number_value(res);
            t->answer[it * t->n_princ + (size_t)p] =
                json_is_string(json_object_get(rec->j, "veto")) && !strcmp(answer, "object")
                    ? "veto"
                    : answer;
            int rc = count_objections(t, path, rec, from, err);
            if (rc)
                return rc;
        } else if (!strcmp(type, "out-of-reach")) {
            /* channels over time: no route carried the draft to this principal */
            long p = principal_index(t, json_string_value(json_object_get(rec->j, "party")));
            if (p < 0)
                return trace_error(err, path, rec->line, "party", "expected a principal");
            t->answer[it * t->n_princ + (size_t)p] = "out-of-reach";
        } else if (!strcmp(type, "revision")) {
            json_t *changes = json_object_get(rec->j, "changes");
            if (!json_is_array(changes))
                return trace_error(err, path, rec->line, "changes", "expected an array");
            t->changes[it] = changes;
        } else if (!strcmp(type, "amendment")) {
            const char *from = string_field(path, rec, "from", err);
            if (!from)
                return TRUCE_EPARSE;
            if (!tally_of(t, from, 0))
                return error_nomem(err);
        }
    }
    for (size_t it = 0; it < t->n_iter; it++)
        if (!t->drafts[it])
            return trace_error(err, path, t->end->line, NULL,
                               "iteration %zu has no \"draft\" record", it);
    return 0;
}

/* ---- rendering ---- */

static const char *label_of(json_t *outcome, const char *issue, char *tmp)
{
    json_t *v = json_object_get(outcome, issue);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_number(v))
        return num4(tmp, json_number_value(v));
    return "";
}

/* The revision change that set `issue` in the draft of iteration it. */
static json_t *change_of(const talks *t, size_t it, const char *issue)
{
    if (it == 0 || !t->changes[it - 1])
        return NULL;
    size_t k;
    json_t *c;
    json_array_foreach(t->changes[it - 1], k, c)
    {
        const char *i = json_string_value(json_object_get(c, "issue"));
        if (i && !strcmp(i, issue))
            return c;
    }
    return NULL;
}

static void change_text(buf *b, json_t *c, const char *before)
{
    buf_puts(b, "changed from ");
    buf_escape(b, before);
    const char *why = json_string_value(json_object_get(c, "why"));
    if (why) {
        buf_puts(b, ": ");
        buf_escape(b, why);
    }
    json_t *by = json_object_get(c, "proposed_by");
    if (json_array_size(by)) {
        buf_puts(b, "; proposed by ");
        size_t k;
        json_t *n;
        json_array_foreach(by, k, n)
        {
            buf_puts(b, k ? ", " : "");
            buf_escape(b, json_string_value(n) ? json_string_value(n) : "?");
        }
    }
}

static const char *answer_class(const char *a)
{
    return !a                        ? ""
           : !strcmp(a, "accept")    ? "accept"
           : !strcmp(a, "veto")      ? "veto"
           : !strcmp(a, "walk-away") ? "veto"
                                     : "";
}

static void clause_table(truce_report *r, const talks *t)
{
    buf *b = &r->body;
    char tmp[32], tmp2[32];
    buf_puts(b, "<div class=\"scroll\"><table class=\"clauses\">\n<tr><th>iteration</th>");
    for (size_t i = 0; i < t->n_issues; i++) {
        buf_puts(b, "<th>");
        buf_escape(b, t->issues[i]);
        buf_puts(b, "</th>");
    }
    for (size_t p = 0; p < t->n_princ; p++) {
        buf_puts(b, "<th>");
        buf_escape(b, t->princ[p]);
        buf_puts(b, " answers</th>");
    }
    buf_puts(b, "</tr>\n");
    for (size_t it = 0; it < t->n_iter; it++) {
        buf_printf(b, "<tr><td class=\"num\">%zu</td>", it + 1);
        for (size_t i = 0; i < t->n_issues; i++) {
            const char *now = label_of(t->drafts[it], t->issues[i], tmp);
            const char *before = it ? label_of(t->drafts[it - 1], t->issues[i], tmp2) : now;
            if (strcmp(now, before)) {
                buf_puts(b, "<td class=\"changed\" title=\"");
                json_t *c = change_of(t, it, t->issues[i]);
                if (c)
                    change_text(b, c, before);
                else {
                    buf_puts(b, "changed from ");
                    buf_escape(b, before);
                }
                buf_puts(b, "\">");
            } else {
                buf_puts(b, "<td>");
            }
            buf_escape(b, now);
            buf_puts(b, "</td>");
        }
        for (size_t p = 0; p < t->n_princ; p++) {
            const char *a = t->answer[it * t->n_princ + p];
            buf_printf(b, "<td class=\"%s\">", answer_class(a));
            if (a) {
                buf_escape(b, a);
                buf_printf(b, " (%s)", num4(tmp, t->u[it * t->n_princ + p]));
            }
            buf_puts(b, "</td>");
        }
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</table></div>\n");
}

/* The same table as a standalone heat map for papers: clauses that changed
 * are coloured. */
static int clause_heatmap(truce_report *r, const talks *t, truce_error *err)
{
    size_t cells = t->n_iter * t->n_issues;
    const char **colours = calloc(cells ? cells : 1, sizeof *colours);
    const char **texts = calloc(cells ? cells : 1, sizeof *texts);
    char **rows = calloc(t->n_iter, sizeof *rows);
    char(*tmp)[32] = calloc(cells ? cells : 1, sizeof *tmp);
    int rc = 0;
    if (!colours || !texts || !rows || !tmp)
        rc = error_nomem(err);
    for (size_t it = 0; !rc && it < t->n_iter; it++) {
        rows[it] = malloc(40);
        if (!rows[it]) {
            rc = error_nomem(err);
            break;
        }
        snprintf(rows[it], 40, "iteration %zu", it + 1);
        for (size_t i = 0; i < t->n_issues; i++) {
            char other[32];
            size_t k = it * t->n_issues + i;
            texts[k] = label_of(t->drafts[it], t->issues[i], tmp[k]);
            if (it && strcmp(texts[k], label_of(t->drafts[it - 1], t->issues[i], other)))
                colours[k] = okabe_ito[4];
        }
    }
    if (!rc) {
        heatmap map = {"Draft clauses by iteration (changes highlighted)",
                       t->n_iter,
                       t->n_issues,
                       (const char *const *)rows,
                       t->issues,
                       colours,
                       texts,
                       NULL};
        buf svg;
        buf_init(&svg);
        svg_heatmap(&svg, &map, 130, 20);
        rc = report_figure(r, "mediation-clauses", &svg, NULL, 1, err);
        buf_free(&svg);
    }
    for (size_t it = 0; rows && it < t->n_iter; it++)
        free(rows[it]);
    free(rows);
    free(colours);
    free(texts);
    free(tmp);
    return rc;
}

static int utilities_plot(truce_report *r, const talks *t, truce_error *err)
{
    double *xs = malloc(t->n_iter * sizeof *xs), *ys = malloc(t->n_iter * sizeof *ys);
    if (!xs || !ys) {
        free(xs);
        free(ys);
        return error_nomem(err);
    }
    double lo = 0;
    for (size_t k = 0; k < t->n_iter * t->n_princ; k++) {
        if (isfinite(t->u[k]))
            lo = fmin(lo, t->u[k]);
        if (isfinite(t->res[k]))
            lo = fmin(lo, t->res[k]);
    }
    lo = lo < 0 ? floor(lo * 10) / 10 : 0;
    buf svg;
    buf_init(&svg);
    svg_open(&svg, 760, 330, "Utility of the draft for each principal, by iteration");
    plot p;
    plot_open(&p, &svg, "plot timeline", 70, 20, 400, 250, 1,
              (double)(t->n_iter > 1 ? t->n_iter : 2), lo, 1);
    plot_axes(&p, "iteration", "utility of the draft", AXES_INTEGER_X);
    legend l;
    legend_open(&l, &svg, 70 + 400 + 24, 30);
    char text[200];
    for (size_t q = 0; q < t->n_princ; q++) {
        const char *colour = palette_party(q);
        for (size_t it = 0; it < t->n_iter; it++) {
            xs[it] = (double)(it + 1);
            ys[it] = t->u[it * t->n_princ + q];
        }
        plot_line(&p, xs, ys, t->n_iter, colour, 2, NULL, "utility");
        for (size_t it = 0; it < t->n_iter; it++) {
            const char *a = t->answer[it * t->n_princ + q];
            marker m = !a                        ? MARK_CIRCLE
                       : !strcmp(a, "accept")    ? MARK_STAR
                       : !strcmp(a, "veto")      ? MARK_CROSS
                       : !strcmp(a, "walk-away") ? MARK_SQUARE
                                                 : MARK_CIRCLE;
            char tip[200], v[32];
            snprintf(tip, sizeof tip, "%s, iteration %zu: %s, utility %s", t->princ[q], it + 1,
                     a ? a : "no answer", num4(v, ys[it]));
            plot_marker(&p, xs[it], ys[it], m, m == MARK_STAR ? 7 : 3.5, colour, "answer", tip);
            ys[it] = t->res[it * t->n_princ + q];
        }
        plot_line(&p, xs, ys, t->n_iter, colour, 1.2, "6 4", "reservation");
        snprintf(text, sizeof text, "%s: utility", t->princ[q]);
        legend_line(&l, colour, NULL, text);
        snprintf(text, sizeof text, "%s: BATNA", t->princ[q]);
        legend_line(&l, colour, "6 4", text);
    }
    legend_marker(&l, MARK_CIRCLE, "#555555", "objects");
    legend_marker(&l, MARK_CROSS, "#555555", "vetoes (hard condition)");
    legend_marker(&l, MARK_STAR, "#555555", "accepts");
    legend_marker(&l, MARK_SQUARE, "#555555", "walks away");
    plot_close(&p);
    legend_close(&l);
    svg_close(&svg);
    int rc = report_figure(r, "mediation-utilities", &svg,
                           "Solid: the principal's utility of each draft; dashed: its BATNA at "
                           "that time. The marker says how it answered.",
                           0, err);
    buf_free(&svg);
    free(xs);
    free(ys);
    return rc;
}

static int answers_heatmap(truce_report *r, const talks *t, truce_error *err)
{
    size_t cells = t->n_princ * t->n_iter;
    const char **colours = calloc(cells, sizeof *colours);
    const char **texts = calloc(cells, sizeof *texts);
    const char **tips = calloc(cells, sizeof *tips);
    char **cols = calloc(t->n_iter, sizeof *cols);
    int rc = 0;
    if (!colours || !texts || !tips || !cols)
        rc = error_nomem(err);
    for (size_t it = 0; !rc && it < t->n_iter; it++) {
        if (!(cols[it] = malloc(24))) {
            rc = error_nomem(err);
            break;
        }
        snprintf(cols[it], 24, "%zu", it + 1);
        for (size_t q = 0; q < t->n_princ; q++) {
            const char *a = t->answer[it * t->n_princ + q];
            size_t k = q * t->n_iter + it;
            tips[k] = a;
            if (!a)
                continue;
            /* bluish green, orange, vermillion, black: told apart by letter too */
            colours[k] = !strcmp(a, "accept")      ? okabe_ito[3]
                         : !strcmp(a, "veto")      ? okabe_ito[6]
                         : !strcmp(a, "walk-away") ? "#444444"
                                                   : okabe_ito[1];
            texts[k] = !strcmp(a, "accept")      ? "A"
                       : !strcmp(a, "veto")      ? "V"
                       : !strcmp(a, "walk-away") ? "W"
                                                 : "O";
        }
    }
    if (!rc) {
        heatmap map = {"Answers by iteration (A accept, O object, V veto, W walk away)",
                       t->n_princ,
                       t->n_iter,
                       t->princ,
                       (const char *const *)cols,
                       colours,
                       texts,
                       tips};
        buf svg;
        buf_init(&svg);
        svg_heatmap(&svg, &map, 18, 22);
        rc = report_figure(r, "mediation-answers", &svg,
                           "Each principal's answer to each draft: A accepts, O objects, V vetoes "
                           "(the draft breaks its hard condition), W walks away.",
                           0, err);
        buf_free(&svg);
    }
    for (size_t it = 0; cols && it < t->n_iter; it++)
        free(cols[it]);
    free(cols);
    free(colours);
    free(texts);
    free(tips);
    return rc;
}

static int tally_chart(truce_report *r, const talks *t, truce_error *err)
{
    enum { SERIES = 5 };
    static const char *const series[SERIES] = {"veto objections", "cost objections",
                                               "objections carrying an amendment",
                                               "amendments adopted", "amendments not taken up"};
    static const char *const colours[SERIES] = {"#D55E00", "#E69F00", "#CC79A7", "#009E73",
                                                "#56B4E9"};
    size_t n = t->n_tallies;
    double *values = calloc(n * SERIES + 1, sizeof *values);
    const char **names = calloc(n + 1, sizeof *names);
    if (!values || !names) {
        free(values);
        free(names);
        return error_nomem(err);
    }
    buf *b = &r->body;
    buf_puts(b, "<div class=\"scroll\"><table class=\"tallies\">\n<tr><th>party</th><th>role</th>");
    for (int s = 0; s < SERIES; s++)
        buf_printf(b, "<th>%s</th>", series[s]);
    buf_puts(b, "</tr>\n");
    for (size_t k = 0; k < n; k++) {
        const tally *x = &t->tallies[k];
        names[k] = x->name;
        double v[SERIES] = {(double)x->vetoes, (double)x->cost, (double)x->carried,
                            (double)x->adopted, (double)x->rejected};
        memcpy(values + k * SERIES, v, sizeof v);
        buf_puts(b, "<tr><td>");
        buf_escape(b, x->name);
        buf_printf(b, "</td><td>%s</td>", x->principal ? "principal" : "stakeholder");
        for (int s = 0; s < SERIES; s++)
            buf_printf(b, "<td class=\"num\">%.0f</td>", v[s]);
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</table></div>\n");
    bars chart = {"Objections and amendments per party",
                  "count",
                  n,
                  SERIES,
                  names,
                  series,
                  colours,
                  values,
                  NULL,
                  NULL};
    buf svg;
    buf_init(&svg);
    svg_bar_chart(&svg, &chart, 760, 340);
    int rc = report_figure(r, "mediation-objections", &svg,
                           "Objections a principal sent the mediator, by reason, and the "
                           "amendments a stakeholder sent, by whether the principal adopted "
                           "them.",
                           0, err);
    buf_free(&svg);
    free(values);
    free(names);
    return rc;
}

/* The drafts as a path in the utility space of each pair of principals. */
static int draft_space(truce_report *r, const talks *t, const truce_scenario *s,
                       const truce_analysis *an, truce_error *err)
{
    size_t *party = malloc(t->n_princ * sizeof *party);
    size_t *pairs = malloc(2 * r->o.max_pairs * sizeof *pairs);
    double *xs = malloc(t->n_iter * sizeof *xs), *ys = malloc(t->n_iter * sizeof *ys);
    int rc = 0;
    if (!party || !pairs || !xs || !ys)
        rc = error_nomem(err);
    for (size_t q = 0; !rc && q < t->n_princ; q++)
        party[q] = (size_t)truce_party_find(s, t->princ[q]);
    cloud c;
    int have_cloud = 0;
    if (!rc && !(rc = cloud_build(&c, s, party, t->n_princ, &r->o, err)))
        have_cloud = 1;
    size_t n_pairs = rc ? 0 : choose_pairs(pairs, t->n_princ, r->o.max_pairs);
    for (size_t k = 0; !rc && k < n_pairs; k++) {
        size_t a = pairs[2 * k], d = pairs[2 * k + 1];
        for (size_t it = 0; it < t->n_iter; it++) {
            xs[it] = t->u[it * t->n_princ + a];
            ys[it] = t->u[it * t->n_princ + d];
        }
        space_path path = {xs,          ys,     t->n_iter, okabe_ito[5], "drafts, in order",
                           MARK_CIRCLE, "draft"};
        space_mark marks[2] = {
            {xs[0], ys[0], MARK_SQUARE, okabe_ito[6], "first draft", "first-draft"},
            {xs[t->n_iter - 1], ys[t->n_iter - 1], MARK_STAR, "#000000",
             json_is_true(json_object_get(t->end->j, "agreement")) ? "agreement" : "last draft",
             "last-draft"}};
        char title[400], slug[300];
        snprintf(title, sizeof title, "Drafts in the utility space of %s and %s", t->princ[a],
                 t->princ[d]);
        space_view v = {0};
        v.s = s;
        v.an = an;
        v.c = &c;
        v.px = party[a];
        v.py = party[d];
        v.xname = t->princ[a];
        v.yname = t->princ[d];
        v.title = title;
        v.paths = &path;
        v.n_paths = 1;
        v.marks = marks;
        v.n_marks = 2;
        v.max_dots = r->o.max_dots;
        buf svg;
        buf_init(&svg);
        space_plot(&svg, &v);
        snprintf(slug, sizeof slug, "mediation-drafts-%s-%s", t->princ[a], t->princ[d]);
        rc = report_figure(r, slug, &svg,
                           "Where each draft stands for the two principals; the mediator's "
                           "revisions move it from the first draft (square) to the last (star).",
                           0, err);
        buf_free(&svg);
    }
    if (have_cloud)
        cloud_free(&c);
    free(party);
    free(pairs);
    free(xs);
    free(ys);
    return rc;
}

static void summary(truce_report *r, const talks *t, const truce_scenario *s)
{
    buf *b = &r->body;
    char v[32];
    json_t *start = t->start->j, *end = t->end->j;
    buf_puts(b, "<p>Mediator ");
    buf_escape(b, json_string_value(json_object_get(start, "mediator"))
                      ? json_string_value(json_object_get(start, "mediator"))
                      : "?");
    buf_puts(b, ", ");
    buf_escape(b, json_string_value(json_object_get(start, "strategy"))
                      ? json_string_value(json_object_get(start, "strategy"))
                      : "?");
    buf_printf(b, " strategy, %zu iterations. Result: <strong>", t->n_iter);
    const char *e = json_string_value(json_object_get(end, "end"));
    buf_escape(b, e ? e : "?");
    buf_puts(b, "</strong>: ");
    const char *reason = json_string_value(json_object_get(end, "reason"));
    buf_escape(b, reason ? reason : "");
    buf_puts(b, "</p>\n");
    if (e && !strcmp(e, "agreement") && t->n_iter)
        report_flag_infeasible(r, s, t->drafts[t->n_iter - 1], "The agreed draft");
    json_t *utilities = json_object_get(end, "utilities");
    if (json_is_object(utilities)) {
        buf_puts(b, "<div class=\"scroll\"><table class=\"final\">\n<tr><th>party</th>"
                    "<th>utility of the last draft</th></tr>\n");
        const char *key;
        json_t *value;
        json_object_foreach(utilities, key, value)
        {
            buf_puts(b, "<tr><td>");
            buf_escape(b, key);
            buf_printf(b, "</td><td class=\"num\">%s</td></tr>\n",
                       num4(v, json_number_value(value)));
        }
        buf_puts(b, "</table></div>\n");
    }
    json_t *nd = json_object_get(end, "nash_distance");
    if (json_is_number(nd))
        buf_printf(b,
                   "<p>Distance of the principals' utilities of the last draft to their Nash "
                   "point: %s.</p>\n",
                   num4(v, json_number_value(nd)));
}

static int render(truce_report *r, const char *path, const talks *t, const truce_scenario *s,
                  const truce_analysis *an, truce_error *err)
{
    char heading[600];
    if (s)
        snprintf(heading, sizeof heading, "Mediated talks on %s (%s)", truce_scenario_name(s),
                 path);
    else
        snprintf(heading, sizeof heading, "Mediated talks (%s)", path);
    report_default_title(r, heading);
    report_section_open(r, heading);
    summary(r, t, s);
    buf_puts(&r->body, "<h3>The draft, iteration by iteration</h3>\n");
    report_note(r, "Each row is the draft the mediator sent in that iteration; a highlighted "
                   "clause changed since the previous draft (hover it for who proposed the change "
                   "and why). The last columns give each principal's answer and its utility of "
                   "the draft.");
    clause_table(r, t);
    int rc = clause_heatmap(r, t, err);
    if (!rc)
        rc = utilities_plot(r, t, err);
    if (!rc)
        rc = answers_heatmap(r, t, err);
    if (!rc) {
        buf_puts(&r->body, "<h3>Objections and amendments</h3>\n");
        rc = tally_chart(r, t, err);
    }
    if (!rc && s && an && t->n_princ >= 2) {
        buf_puts(&r->body, "<h3>The drafts against the frontier</h3>\n");
        rc = draft_space(r, t, s, an, err);
    }
    report_section_close(r);
    return rc;
}

int report_mediation(truce_report *r, const char *path, const record *recs, size_t n,
                     const truce_scenario *s, const truce_analysis *an, truce_error *err)
{
    talks t;
    memset(&t, 0, sizeof t);
    int rc = scan(&t, path, recs, n, r->limits.max_parties, err);
    if (!rc)
        rc = collect(&t, path, recs, n, err);
    if (!rc && s) {
        for (size_t q = 0; q < t.n_princ && !rc; q++)
            if (truce_party_find(s, t.princ[q]) < 0)
                rc = trace_error(err, path, recs[0].line, NULL,
                                 "principal '%s' of the trace is not in scenario '%s'", t.princ[q],
                                 truce_scenario_name(s));
        for (size_t i = 0; i < t.n_issues && !rc; i++)
            if (truce_issue_find(s, t.issues[i]) < 0)
                rc = trace_error(err, path, recs[0].line, "first_draft",
                                 "issue '%s' of the trace is not in scenario '%s'", t.issues[i],
                                 truce_scenario_name(s));
    }
    if (!rc)
        rc = render(r, path, &t, s, an, err);
    talks_free(&t);
    return rc;
}
