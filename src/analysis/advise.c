/* advise.c: truce_advise ("how A can align its demands to win B's support"):
 * the outcome best for A among those every named party would accept, shown
 * clause by clause against A's ideal demand; and truce_tradeoffs: issues
 * where a concession is cheap for the giver and valuable for the receiver. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../io/report.h"
#include "margin.h"
#include "model.h"

/* Would party p accept outcome o at reservation time t? Within its own
 * hard conditions and strictly above its reservation value. */
static int accepts(const truce_scenario *s, size_t p, const uint32_t *o, double t, double *u)
{
    const party *pt = &s->parties[p];
    *u = party_utility(s, pt, o);
    /* a coalition under unanimity accepts only what every member accepts */
    return party_violates(pt, o) < 0 && *u > party_reservation_at(pt, t) &&
           (!pt->is_coalition || pt->coalition_rule != TRUCE_COALITION_UNANIMITY ||
            coalition_members_accept(s, pt, o, t));
}

static double others_sum(const truce_scenario *s, const size_t *acc, size_t n, const uint32_t *o)
{
    double sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += party_utility(s, &s->parties[acc[k]], o);
    return sum;
}

/* Why nothing is acceptable: for each named party, what it needs and the
 * most it could get among feasible outcomes within its own hard conditions. */
static json_t *blockers(const truce_scenario *s, const size_t *acc, size_t n, uint64_t total,
                        double t, uint32_t *o)
{
    json_t *out = json_array();
    for (size_t k = 0; k < n; k++) {
        const party *pt = &s->parties[acc[k]];
        double best = -1;
        for (uint64_t x = 0; x < total; x++) {
            model_decode(s, x, o);
            if (party_violates(pt, o) >= 0 || !scenario_feasible(s, o))
                continue;
            double u = party_utility(s, pt, o);
            if (u > best)
                best = u;
        }
        json_array_append_new(out, json_pack("{s:s,s:f,s:o}", "party", pt->name, "reservation",
                                             party_reservation_at(pt, t), "best_possible",
                                             best < 0 ? json_null() : json_real(best)));
    }
    return out;
}

static const char *const role_names[] = {"principal", "mediator", "stakeholder"};

/* Each party's BATNA, and for the advised deal its utility and margin over
 * it; a margin below the threshold is thin and warned about. */
static json_t *margins_json(const truce_scenario *s, size_t a, const size_t *acc, size_t n_acc,
                            const uint32_t *advice, double t, double thin, json_t *warnings,
                            int flips)
{
    json_t *list = json_array();
    for (size_t k = 0; k <= n_acc; k++) {
        size_t p = k == 0 ? a : acc[k - 1];
        const party *pt = &s->parties[p];
        double r = party_reservation_at(pt, t);
        json_t *row = json_pack("{s:s,s:s,s:s,s:f}", "party", pt->name, "role",
                                role_names[pt->role], "as", k == 0 ? "advised" : "acceptable_to",
                                "reservation", r);
        if (advice) {
            double u = party_utility(s, pt, advice), margin = u - r;
            int is_thin = margin < thin;
            json_object_set_new(row, "utility", json_real(u));
            json_object_set_new(row, "margin", json_real(margin));
            json_object_set_new(row, "thin", json_boolean(is_thin));
            json_t *fl = NULL;
            truce_error ignored;
            if (flips && margin_deal_report(&fl, s, advice, p, t, &ignored) == 0)
                json_object_set_new(row, "flips", fl);
            char text[512];
            if (k == 0 && margin <= 0)
                snprintf(text, sizeof text,
                         "the advised deal gives %s %.3f, not above its own reservation value "
                         "%.3f: no deal is at least as good for it",
                         pt->name, u, r);
            else if (is_thin)
                snprintf(text, sizeof text,
                         "%s clears its reservation value %.3f by only %.3f (below the "
                         "thin-margin threshold %.3f): a small error in its numbers could "
                         "turn the deal down",
                         pt->name, r, margin, thin);
            if ((k == 0 && margin <= 0) || is_thin)
                json_array_append_new(warnings, json_string(text));
        }
        json_array_append_new(list, row);
    }
    return list;
}

int truce_advise(char **out, const truce_scenario *s, size_t party_index, const size_t *acc,
                 size_t n_acc, const truce_check_options *o, truce_error *err)
{
    error_clear(err);
    truce_check_options defaults = TRUCE_CHECK_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (!out || !s || (n_acc && !acc))
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    int rc = check_options(o, err);
    if (rc)
        return rc;
    if (party_index >= s->n_parties)
        return error_set(err, TRUCE_ENOTFOUND, NULL, 0, "party", "no party %zu", party_index);
    for (size_t k = 0; k < n_acc; k++) {
        if (acc[k] >= s->n_parties)
            return error_set(err, TRUCE_ENOTFOUND, NULL, 0, "acceptable_to", "no party %zu",
                             acc[k]);
        if (acc[k] == party_index)
            return error_set(err, TRUCE_EINVAL, NULL, 0, "acceptable_to",
                             "'%s' is the advised party itself", s->parties[acc[k]].name);
    }
    uint64_t total;
    if ((rc = model_outcome_count(s, o->max_outcomes, &total, err)))
        return rc;
    double thin = check_thin_margin(o);
    const party *a = &s->parties[party_index];
    uint32_t *cur = calloc(s->n_issues ? s->n_issues : 1, sizeof *cur);
    uint32_t *ideal = calloc(s->n_issues ? s->n_issues : 1, sizeof *ideal);
    uint32_t *advice = calloc(s->n_issues ? s->n_issues : 1, sizeof *advice);
    if (!cur || !ideal || !advice) {
        free(cur), free(ideal), free(advice);
        return error_nomem(err);
    }
    /* ideal demand: A's best outcome within its own hard conditions (ties:
     * the one the others like most); advice: the same among feasible
     * outcomes (no bargainer's hard condition broken) every named party
     * accepts */
    double ideal_u = -INFINITY, ideal_tie = -INFINITY, best_u = -INFINITY, best_tie = -INFINITY;
    int found = 0;
    for (uint64_t x = 0; x < total; x++) {
        model_decode(s, x, cur);
        if (party_violates(a, cur) >= 0)
            continue;
        double u = party_utility(s, a, cur), tie = others_sum(s, acc, n_acc, cur);
        if (u > ideal_u || (u == ideal_u && tie > ideal_tie)) {
            ideal_u = u;
            ideal_tie = tie;
            memcpy(ideal, cur, s->n_issues * sizeof *cur);
        }
        int ok = scenario_feasible(s, cur);
        for (size_t k = 0; k < n_acc && ok; k++) {
            double v;
            ok = accepts(s, acc[k], cur, o->time, &v);
        }
        if (ok && (u > best_u || (u == best_u && tie > best_tie))) {
            best_u = u;
            best_tie = tie;
            found = 1;
            memcpy(advice, cur, s->n_issues * sizeof *cur);
        }
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "party", json_string(a->name));
    json_t *names = json_array();
    for (size_t k = 0; k < n_acc; k++)
        json_array_append_new(names, json_string(s->parties[acc[k]].name));
    json_object_set_new(doc, "acceptable_to", names);
    json_object_set_new(doc, "time", json_real(o->time));
    json_object_set_new(doc, "found", json_boolean(found));
    json_object_set_new(doc, "criterion",
                        json_string("the advised party's best deal among feasible outcomes (no "
                                    "bargainer's hard condition broken) that every named party "
                                    "accepts: within its hard conditions and strictly above its "
                                    "reservation value at the time given; ties: the named "
                                    "parties' utility sum"));
    json_object_set_new(doc, "thin_margin", json_real(thin));
    if (isfinite(ideal_u))
        json_object_set_new(doc, "ideal",
                            json_pack("{s:o,s:o}", "outcome", report_outcome(s, ideal), "utilities",
                                      model_utilities_json(s, ideal)));
    json_t *warnings = json_array();
    json_object_set_new(doc, "margins",
                        margins_json(s, party_index, acc, n_acc, found ? advice : NULL, o->time,
                                     thin, warnings, check_margins(o)));
    if (found) {
        json_t *clauses = json_array();
        for (size_t i = 0; i < s->n_issues; i++) {
            char from[512], to[512];
            truce_issue_option_label(s, i, ideal[i], from, sizeof from);
            truce_issue_option_label(s, i, advice[i], to, sizeof to);
            json_t *cl = json_pack("{s:s,s:s,s:s,s:b}", "issue", s->issues[i].name, "ideal", from,
                                   "advised", to, "changed", ideal[i] != advice[i]);
            if (ideal[i] != advice[i]) {
                /* what the change is worth to each party, holding the rest at
                 * the advised outcome */
                memcpy(cur, advice, s->n_issues * sizeof *cur);
                json_t *delta = json_object();
                for (size_t p = 0; p < s->n_parties; p++) {
                    double with = party_utility(s, &s->parties[p], advice);
                    cur[i] = ideal[i];
                    double without = party_utility(s, &s->parties[p], cur);
                    cur[i] = advice[i];
                    json_object_set_new(delta, s->parties[p].name, json_real(with - without));
                }
                json_object_set_new(cl, "utility_change", delta);
            }
            json_array_append_new(clauses, cl);
        }
        json_object_set_new(doc, "advice",
                            json_pack("{s:o,s:o,s:o}", "outcome", report_outcome(s, advice),
                                      "utilities", model_utilities_json(s, advice), "clauses",
                                      clauses));
    } else {
        json_object_set_new(doc, "advice", json_null());
        json_object_set_new(doc, "why", blockers(s, acc, n_acc, total, o->time, cur));
    }
    json_object_set_new(doc, "warnings", warnings);
    free(cur), free(ideal), free(advice);
    return model_dump(out, doc, err);
}

int truce_tradeoffs(char **out, const truce_scenario *s, truce_error *err)
{
    error_clear(err);
    if (!out || !s)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    json_t *list = json_array();
    /* between bargainers only, and among feasible options: a concession
     * to an option some bargainer's hard condition excludes is no trade */
    for (size_t gk = 0; gk < s->n_bargainers; gk++) {
        const party *giver = &s->parties[s->bargainers[gk]];
        /* a native profile with terms has a table too, for its linear part
         * only: the trade-offs of that part would misstate its utility */
        if (!giver->table || giver->kind != TRUCE_PROFILE_LINEAR)
            continue;
        for (size_t rk = 0; rk < s->n_bargainers; rk++) {
            const party *recv = &s->parties[s->bargainers[rk]];
            if (rk == gk || !recv->table || recv->kind != TRUCE_PROFILE_LINEAR)
                continue;
            for (size_t i = 0; i < s->n_issues; i++) {
                const double *tg = &giver->table[s->option_offset[i]];
                const double *tr = &recv->table[s->option_offset[i]];
                const unsigned char *ok = &s->feasible[s->option_offset[i]];
                uint32_t n_opt = s->issues[i].n_options, best = n_opt;
                for (uint32_t k = 0; k < n_opt; k++)
                    if (ok[k] && (best == n_opt || tg[k] > tg[best] ||
                                  (tg[k] == tg[best] && tr[k] > tr[best])))
                        best = k;
                if (best == n_opt)
                    continue;
                /* the concession from the giver's best option with the
                 * largest joint gain */
                uint32_t to = best;
                double joint = 0;
                for (uint32_t k = 0; k < n_opt; k++) {
                    double gain = tr[k] - tr[best], cost = tg[best] - tg[k];
                    if (ok[k] && gain - cost > joint + 1e-12) {
                        joint = gain - cost;
                        to = k;
                    }
                }
                if (to == best)
                    continue;
                char from_label[512], to_label[512];
                truce_issue_option_label(s, i, best, from_label, sizeof from_label);
                truce_issue_option_label(s, i, to, to_label, sizeof to_label);
                double gain = tr[to] - tr[best], cost = tg[best] - tg[to];
                json_array_append_new(
                    list, json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:o}", "giver", giver->name,
                                    "receiver", recv->name, "issue", s->issues[i].name, "from",
                                    from_label, "to", to_label, "giver_cost", cost, "receiver_gain",
                                    gain, "joint_gain", gain - cost, "ratio",
                                    cost > 0 ? json_real(gain / cost) : json_null()));
            }
        }
    }
    /* rank by joint gain, largest first (stable for equal gains) */
    size_t n = json_array_size(list);
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0; b--) {
            double x = json_real_value(json_object_get(json_array_get(list, b - 1), "joint_gain"));
            double y = json_real_value(json_object_get(json_array_get(list, b), "joint_gain"));
            if (y <= x)
                break;
            json_t *tmp = json_incref(json_array_get(list, b));
            json_array_set(list, b, json_array_get(list, b - 1));
            json_array_set_new(list, b - 1, tmp);
        }
    return model_dump(out, list, err);
}
