/* margin.c: margins of conclusions: for each number of the model, the
 * nearest values at which it alone flips a conclusion (a scan of its range
 * then bisection on a variant of the scenario), the smallest such changes as
 * JSON, and the conclusions `check`, `advise`, `evaluate` and `mediate` draw
 * (docs/robustness.md#margins). */
#include "margin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "solve.h"

/* Zones of at most this many feasible outcomes are answered by walking them. */
#define MARGIN_WALK 1e5

int margin_numbers(const truce_scenario *s, const unsigned char *who, numref **out, size_t *n)
{
    size_t cap = 16, len = 0;
    numref *list = malloc(cap * sizeof *list);
    if (!list)
        return TRUCE_ENOMEM;
    for (size_t p = 0; p < s->n_parties; p++) {
        const party *pt = &s->parties[p];
        if (who && !who[p])
            continue;
        for (size_t i = 0; pt->evaluators && i < s->n_issues; i++) {
            const issue *is = &s->issues[i];
            const evaluator *e = &pt->evaluators[i];
            double top = 0;
            int values = 0;
            if (is->kind == TRUCE_ISSUE_DISCRETE && e->raw) {
                for (uint32_t k = 0; k < is->n_options; k++)
                    if (e->raw[k] > top)
                        top = e->raw[k];
                values = top > 0;
            } else if (is->kind != TRUCE_ISSUE_DISCRETE) {
                values = e->slope != 0 || e->offset != 0 || e->real_ftype != REAL_LINEAR;
            }
            size_t need = len + 1 + (is->kind == TRUCE_ISSUE_DISCRETE ? is->n_options : 0);
            if (need > cap) {
                while (cap < need)
                    cap *= 2;
                numref *grown = realloc(list, cap * sizeof *list);
                if (!grown) {
                    free(list);
                    return TRUCE_ENOMEM;
                }
                list = grown;
            }
            if (values)
                list[len++] = (numref){UNC_WEIGHT,
                                       p,
                                       (uint32_t)i,
                                       0,
                                       e->weight,
                                       0,
                                       e->weight * 2 > 1 ? e->weight * 2 : 1};
            if (is->kind == TRUCE_ISSUE_DISCRETE && e->raw && e->weight > 0)
                for (uint32_t k = 0; k < is->n_options; k++)
                    list[len++] = (numref){
                        UNC_VALUE, p, (uint32_t)i, k, e->raw[k], 0, top * 2 > 1 ? top * 2 : 1};
        }
        uint32_t points = pt->n_reservation_points;
        if (len + points + 1 > cap) {
            cap = len + points + 1;
            numref *grown = realloc(list, cap * sizeof *list);
            if (!grown) {
                free(list);
                return TRUCE_ENOMEM;
            }
            list = grown;
        }
        if (points == 0)
            list[len++] = (numref){UNC_RESERVATION, p, 0, 0, pt->reservation, 0, 1};
        for (uint32_t k = 0; k < points; k++)
            list[len++] = (numref){UNC_RESERVATION_POINT, p, 0, k, pt->reservation_value[k], 0, 1};
    }
    *out = list;
    *n = len;
    return 0;
}

void margin_name(const truce_scenario *s, int target, size_t p, uint32_t i, uint32_t index,
                 char *id, size_t id_size, char *text, size_t text_size)
{
    const char *who = target == UNC_INFLUENCE ? "" : s->parties[p].name;
    char label[256] = "";
    switch (target) {
    case UNC_WEIGHT:
        snprintf(id, id_size, "%s.weight.%s", who, s->issues[i].name);
        snprintf(text, text_size, "%s's weight on %s", who, s->issues[i].name);
        break;
    case UNC_VALUE:
        truce_issue_option_label(s, i, index, label, sizeof label);
        snprintf(id, id_size, "%s.value.%s.%s", who, s->issues[i].name, label);
        snprintf(text, text_size, "%s's value of %s=%s", who, s->issues[i].name, label);
        break;
    case UNC_RESERVATION:
        snprintf(id, id_size, "%s.reservation", who);
        snprintf(text, text_size, "%s's reservation value", who);
        break;
    case UNC_RESERVATION_POINT:
        snprintf(id, id_size, "%s.reservation.%u", who, index);
        if (s->parties[p].n_reservation_points == 1)
            snprintf(text, text_size, "%s's reservation value", who);
        else
            snprintf(text, text_size, "%s's reservation value at time %g", who,
                     s->parties[p].reservation_time[index]);
        break;
    case UNC_INFLUENCE: {
        const influence *f = &s->influences[index];
        snprintf(id, id_size, "influence.%s.%s", s->parties[f->stakeholder].name,
                 s->parties[f->principal].name);
        snprintf(text, text_size, "%s's influence on %s", s->parties[f->stakeholder].name,
                 s->parties[f->principal].name);
        break;
    }
    default: {
        const condition *c = &s->parties[p].hard[index];
        snprintf(id, id_size, "%s.credibility.%s", who, c->id);
        snprintf(text, text_size, "%s's hard condition '%s'", who, c->id);
        break;
    }
    }
}

/* The class with n set to x. */
static int class_at(variant *v, const numref *n, double x, margin_classify f, void *ctx,
                    truce_error *err)
{
    variant_set(v, n->target, n->party, n->issue, n->index, x);
    variant_refresh(v);
    return f(&v->s, ctx, NULL, err);
}

int margin_flips(variant *v, const numref *n, int central, margin_classify f, void *ctx, int steps,
                 double *below, double *above, truce_error *err)
{
    double cur = variant_get(v, n->target, n->party, n->issue, n->index);
    int rc = 0;
    for (int dir = 0; dir < 2 && rc >= 0; dir++) {
        double end = dir == 0 ? n->lo : n->hi, found = NAN, prev = cur;
        for (int k = 1; k <= steps && end != cur && rc >= 0; k++) {
            double x = k == steps ? end : cur + (end - cur) * k / steps;
            if ((rc = class_at(v, n, x, f, ctx, err)) < 0) {
                /* too large to solve exactly this far out: no answer this way */
                if (rc == TRUCE_ELIMIT)
                    rc = 0;
                break;
            }
            if (rc == central) {
                prev = x;
                continue;
            }
            /* bisect between prev (central) and x (flipped) */
            double same = prev, flipped = x;
            for (int b = 0; b < 48 && fabs(flipped - same) > 1e-12; b++) {
                double mid = same + (flipped - same) / 2;
                if ((rc = class_at(v, n, mid, f, ctx, err)) < 0)
                    break;
                if (rc == central)
                    same = mid;
                else
                    flipped = mid;
            }
            if (rc == TRUCE_ELIMIT)
                rc = 0;
            else if (rc >= 0)
                found = flipped;
            break;
        }
        if (dir == 0)
            *below = found;
        else
            *above = found;
    }
    variant_set(v, n->target, n->party, n->issue, n->index, cur);
    variant_refresh(v);
    return rc < 0 ? rc : 0;
}

typedef struct candidate {
    size_t number;
    double at;
} candidate;

static int by_change(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    /* changes equal but for the bisection's last digits rank by number */
    if (fabs(x->at - y->at) > 1e-9)
        return x->at < y->at ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

/* The values between which n moves a conclusion of margin.h monotonically:
 * every utility is non-decreasing in a weight and non-increasing... in a
 * reservation value the other way; an option's value raises the utility of
 * outcomes with that option until it passes the largest value of the other
 * options of its issue, above which it lowers the others' (values are
 * divided by the issue's largest, docs/utility.md). So the class can change
 * at most once between breakpoints. */
static size_t breakpoints(const variant *v, const numref *n, double *out)
{
    size_t k = 0;
    if (n->target != UNC_VALUE)
        return 0;
    const truce_scenario *s = &v->s;
    const evaluator *e = &s->parties[n->party].evaluators[n->issue];
    double top = 0;
    for (uint32_t o = 0; o < s->issues[n->issue].n_options; o++)
        if (o != n->index && e->raw[o] > top)
            top = e->raw[o];
    out[k++] = top;
    out[k++] = 0.00001; /* below it as the largest, every value of the issue is 0 */
    return k;
}

/* Nearest value of n in direction dir (-1, +1) from its current value, no
 * farther than `bound` away, at which the class leaves `central`: the end of
 * each monotone piece is tried in turn, and a piece whose end is flipped is
 * bisected. NAN when none. */
static int monotone_search(variant *v, const numref *n, int central, margin_classify f, void *ctx,
                           int dir, double limit_change, double *found, truce_error *err)
{
    double cur = n->value, end = dir < 0 ? n->lo : n->hi;
    if (fabs(end - cur) > limit_change)
        end = cur + dir * limit_change;
    *found = NAN;
    double bp[4];
    size_t nb = breakpoints(v, n, bp);
    double ends[6];
    size_t ne = 0;
    /* piece ends strictly between cur and end, nearest first, then end */
    for (size_t k = 0; k < nb; k++)
        if ((bp[k] - cur) * dir > 0 && (end - bp[k]) * dir > 0)
            ends[ne++] = bp[k];
    if (ne == 2 && (ends[0] - ends[1]) * dir > 0) {
        double tmp = ends[0];
        ends[0] = ends[1];
        ends[1] = tmp;
    }
    if (end != cur)
        ends[ne++] = end;
    double prev = cur;
    for (size_t k = 0; k < ne; k++) {
        int c = class_at(v, n, ends[k], f, ctx, err);
        if (c == TRUCE_ELIMIT)
            return 0; /* too large to solve exactly this far out: no answer this way */
        if (c < 0)
            return c;
        if (c == central) {
            prev = ends[k];
            continue;
        }
        double same = prev, flipped = ends[k];
        for (int b = 0; b < 40 && fabs(flipped - same) > 1e-12 * (1 + fabs(same)); b++) {
            double mid = same + (flipped - same) / 2;
            c = class_at(v, n, mid, f, ctx, err);
            if (c == TRUCE_ELIMIT)
                return 0;
            if (c < 0)
                return c;
            if (c == central)
                same = mid;
            else
                flipped = mid;
        }
        *found = flipped;
        return 0;
    }
    return 0;
}

/* monotone_search, leaving the variant as it was. */
static int monotone_flip(variant *v, const numref *n, int central, margin_classify f, void *ctx,
                         int dir, double limit_change, double *found, truce_error *err)
{
    int rc = monotone_search(v, n, central, f, ctx, dir, limit_change, found, err);
    variant_set(v, n->target, n->party, n->issue, n->index, n->value);
    variant_refresh(v);
    return rc;
}

static const char *const kind_names[] = {"weight",      "value",     "reservation",
                                         "reservation", "influence", "credibility"};

/* Reservation values first, then weights, then values: small flips found
 * early bound the search of the others. */
static int by_kind(const void *a, const void *b)
{
    static const int rank[] = {1, 2, 0, 0, 3, 4};
    const numref *x = a, *y = b;
    return rank[x->target] - rank[y->target];
}

int margin_report(json_t **out, const truce_scenario *s, const unsigned char *who,
                  margin_classify f, void *ctx, const char *conclusion, size_t limit,
                  truce_error *err)
{
    variant v;
    if (variant_init(&v, s, NULL))
        return error_nomem(err);
    numref *nums = NULL;
    size_t n = 0;
    candidate *cand = NULL;
    double margin = NAN;
    int central = f(&v.s, ctx, &margin, err), rc = central < 0 ? central : 0;
    if (rc == 0 && margin_numbers(s, who, &nums, &n))
        rc = error_nomem(err);
    if (rc == 0 && !(cand = malloc((2 * n + 1) * sizeof *cand)))
        rc = error_nomem(err);
    if (rc == 0) {
        /* stable: equal kinds keep their order */
        for (size_t k = 1; k < n; k++)
            for (size_t q = k; q > 0 && by_kind(&nums[q - 1], &nums[q]) > 0; q--) {
                numref tmp = nums[q];
                nums[q] = nums[q - 1];
                nums[q - 1] = tmp;
            }
    }
    size_t nc = 0;
    double smallest = INFINITY; /* the limit-th smallest change so far */
    for (size_t k = 0; k < n && rc == 0; k++) {
        for (int dir = -1; dir <= 1 && rc == 0; dir += 2) {
            double at;
            if ((rc = monotone_flip(&v, &nums[k], central, f, ctx, dir, smallest, &at, err)))
                break;
            if (isnan(at))
                continue;
            cand[nc++] = (candidate){2 * k + (dir > 0), fabs(at - nums[k].value)};
            if (nc >= limit) {
                qsort(cand, nc, sizeof *cand, by_change);
                nc = limit;
                smallest = cand[limit - 1].at;
            }
        }
    }
    json_t *doc = NULL;
    if (rc == 0) {
        qsort(cand, nc, sizeof *cand, by_change);
        json_t *flips = json_array();
        for (size_t c = 0; c < nc && c < limit; c++) {
            const numref *x = &nums[cand[c].number / 2];
            int up = cand[c].number % 2;
            double at = up ? x->value + cand[c].at : x->value - cand[c].at;
            char id[600], name[600], text[800];
            margin_name(s, x->target, x->party, x->issue, x->index, id, sizeof id, name,
                        sizeof name);
            snprintf(text, sizeof text, "flips if %s %s %.4g (now %.4g)", name,
                     up ? "rises above" : "falls below", at, x->value);
            json_t *row =
                json_pack("{s:s,s:s,s:s,s:f,s:f,s:f,s:s}", "number", id, "party",
                          s->parties[x->party].name, "kind", kind_names[x->target], "value",
                          x->value, "flips_at", at, "change", at - x->value, "text", text);
            if (x->target == UNC_WEIGHT || x->target == UNC_VALUE)
                json_object_set_new(row, "issue", json_string(s->issues[x->issue].name));
            if (x->target == UNC_VALUE) {
                truce_issue_option_label(s, x->issue, x->index, id, sizeof id);
                json_object_set_new(row, "option", json_string(id));
            }
            json_array_append_new(flips, row);
        }
        doc = json_pack("{s:s,s:o,s:o,s:I,s:s}", "conclusion", conclusion, "margin",
                        isfinite(margin) ? json_real(margin) : json_null(), "flips", flips,
                        "searched", (json_int_t)n, "method",
                        "each number of the parties concerned moved alone over its range "
                        "(weights and values [0, max(1, 2x)], reservation values [0, 1]): the "
                        "conclusion changes at most once between the breakpoints where an "
                        "option's value passes its issue's largest, so the end of each piece is "
                        "tried and a flipped piece bisected to the nearest value that flips "
                        "it; smallest changes first");
        if (!doc)
            rc = error_nomem(err);
    }
    free(nums);
    free(cand);
    variant_release(&v);
    if (rc)
        return rc;
    *out = doc;
    return 0;
}

/* ---- conclusions ---- */

int margin_zone_open(const truce_scenario *s, void *ctx, double *margin, truce_error *err)
{
    zone_ctx *z = ctx;
    const truce_analysis_options o = z->ao;
    if (z->work < 0) {
        z->exhausted = 1;
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "margin",
                         "the zone margin's search ran out of its work budget");
    }
    arena_reset(&z->a);
    double *r = arena_array(&z->a, s->n_parties ? s->n_parties : 1, sizeof *r);
    if (!r)
        return error_nomem(err);
    for (size_t p = 0; p < s->n_parties; p++)
        r[p] = party_reservation_at(&s->parties[p], z->ao.time);
    if (!margin) {
        /* the answer alone: some feasible outcome clearing every bargainer's
         * reservation value, found by walking few feasible outcomes */
        frame fr;
        uint32_t *pos = arena_array(&z->a, s->n_issues + 1, sizeof *pos);
        uint32_t *out = arena_array(&z->a, s->n_issues + 1, sizeof *out);
        if (!pos || !out || frame_build(&fr, &z->a, s, 1))
            return error_nomem(err);
        if (s->n_bargainers && frame_size(&fr) <= MARGIN_WALK) {
            for (int more = frame_first(&fr, pos, out); more; more = frame_next(&fr, pos, out)) {
                z->work -= (double)s->n_bargainers;
                int ok = 1;
                for (size_t k = 0; k < s->n_bargainers && ok; k++) {
                    size_t p = s->bargainers[k];
                    ok = party_utility(s, &s->parties[p], out) > r[p];
                }
                if (ok)
                    return 1;
            }
            return 0;
        }
    }
    solved sv;
    int rc = analysis_solve(&sv, &z->a, s, 1, &o, r, err);
    if (rc)
        return rc;
    z->work -= MARGIN_SOLVE_WORK * (double)sv.f.len * (double)s->n_bargainers;
    if (margin)
        *margin = sv.zone_margin;
    return sv.zopa;
}

int margin_deal_accepted(const truce_scenario *s, void *ctx, double *margin, truce_error *err)
{
    (void)err;
    const deal_ctx *d = ctx;
    const party *pt = &s->parties[d->party];
    double m = party_utility(s, pt, d->outcome) - party_reservation_at(pt, d->time);
    if (margin)
        *margin = m;
    return party_violates(pt, d->outcome) < 0 && m > 0;
}

int margin_zone_searchable(const truce_scenario *s, double enumerate, size_t n_frontier,
                           double solves, double work)
{
    mem m;
    mem_init(&m, NULL);
    arena a;
    arena_init(&a, &m);
    frame fr;
    int ok = 0;
    if (frame_build(&fr, &a, s, 1) == 0)
        ok = (merge_applies(&fr) || frame_size(&fr) <= enumerate) &&
             (frame_size(&fr) <= MARGIN_WALK ||
              solves * MARGIN_SOLVE_WORK * (double)n_frontier * (double)s->n_bargainers <= work);
    arena_release(&a);
    return ok;
}

int margin_deal_report(json_t **out, const truce_scenario *s, const uint32_t *outcome,
                       size_t party_index, double time, truce_error *err)
{
    unsigned char *who = calloc(s->n_parties, 1);
    if (!who)
        return error_nomem(err);
    who[party_index] = 1;
    deal_ctx d = {outcome, party_index, time};
    char conclusion[400];
    int accepts = margin_deal_accepted(s, &d, NULL, err);
    snprintf(conclusion, sizeof conclusion,
             accepts ? "%s accepts the deal (within its hard conditions, above its reservation "
                       "value)"
                     : "%s does not accept the deal",
             s->parties[party_index].name);
    int rc = margin_report(out, s, who, margin_deal_accepted, &d, conclusion, 3, err);
    free(who);
    return rc;
}
