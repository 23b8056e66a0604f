/* evaluate.c: truce_evaluate: one given deal (the one history reached, a
 * draft on the table) scored against the model: each party's utility,
 * reservation value and margin, the hard conditions it breaks, whether it
 * is Pareto-optimal among feasible outcomes, and how far it lies from the
 * Nash and Kalai-Smorodinsky points, all by the definitions of
 * docs/analysis.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/constraint.h"
#include "../core/error.h"
#include "../io/report.h"
#include "margin.h"
#include "model.h"

static const char *const role_names[] = {"principal", "mediator", "stakeholder"};

/* Euclidean distance between two outcomes' bargainer utilities, given as
 * full party vectors. */
static double bargainer_distance(const truce_scenario *s, const double *a, const double *b)
{
    double d = 0;
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        d += (a[p] - b[p]) * (a[p] - b[p]);
    }
    return sqrt(d);
}

/* 1 when a dominates b for the bargainers (tolerance TRUCE_TOLERANCE). */
static int dominates(const truce_scenario *s, const double *a, const double *b)
{
    int strict = 0;
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        if (a[p] < b[p] - TRUCE_TOLERANCE)
            return 0;
        if (a[p] > b[p] + TRUCE_TOLERANCE)
            strict = 1;
    }
    return strict;
}

static json_t *point_json(const truce_scenario *s, const truce_analysis *an, truce_solution which,
                          const double *u, const char *criterion)
{
    size_t n = s->n_parties;
    double *v = calloc(n ? n : 1, sizeof *v);
    uint32_t *o = calloc(s->n_issues ? s->n_issues : 1, sizeof *o);
    json_t *j = json_null();
    if (v && o && truce_analysis_solution(an, which, v, o, NULL) == 1) {
        j = model_deal_json(s, o, criterion);
        json_object_set_new(j, "distance", json_real(bargainer_distance(s, u, v)));
    }
    free(v), free(o);
    return j;
}

/* Whether the deal is decided under the scenario's decision rule
 * (docs/analysis.md#decision-rules): who accepts it, whether the rule is met
 * and every ratifier ratifies. */
static json_t *decision_json(const truce_scenario *s, const uint32_t *outcome, double t)
{
    static const char *const rules[] = {"unanimity", "qualified-majority"};
    unsigned char *accepts = calloc(s->n_parties ? s->n_parties : 1, 1);
    if (!accepts)
        return NULL;
    int decided = scenario_decided(s, outcome, t, accepts) == 1;
    json_t *by = json_array(), *refused = json_array(), *ratified = json_array(),
           *not_ratified = json_array();
    for (size_t p = 0; p < s->n_parties; p++) {
        json_t *name = json_string(s->parties[p].name);
        if (s->parties[p].role == TRUCE_ROLE_PRINCIPAL)
            json_array_append_new(accepts[p] ? by : refused, name);
        else if (s->ratifier && s->ratifier[p])
            json_array_append_new(accepts[p] ? ratified : not_ratified, name);
        else
            json_decref(name);
    }
    free(accepts);
    return json_pack("{s:s,s:b,s:o,s:o,s:o,s:o}", "rule", rules[s->decision_rule], "decided",
                     decided, "accepted_by", by, "refused_by", refused, "ratified_by", ratified,
                     "not_ratified_by", not_ratified);
}

/* The frontier point dominating u that adds most to the bargainers'
 * summed utility, or NULL. */
static json_t *dominated_by(const truce_scenario *s, const truce_analysis *an, const double *u)
{
    size_t best = SIZE_MAX;
    double best_gain = 0;
    for (size_t k = 0; k < truce_analysis_pareto_size(an); k++) {
        const double *v = truce_analysis_pareto_point(an, k);
        if (!dominates(s, v, u))
            continue;
        double gain = 0;
        for (size_t q = 0; q < s->n_bargainers; q++)
            gain += v[s->bargainers[q]] - u[s->bargainers[q]];
        if (best == SIZE_MAX || gain > best_gain) {
            best = k;
            best_gain = gain;
        }
    }
    if (best == SIZE_MAX)
        return json_null();
    uint32_t *o = calloc(s->n_issues ? s->n_issues : 1, sizeof *o);
    json_t *j = json_null();
    if (o && truce_analysis_pareto_outcome(an, best, o) == 0)
        j = model_deal_json(s, o,
                            "the feasible Pareto-optimal outcome that dominates it with the "
                            "largest gain in the bargainers' summed utility");
    free(o);
    return j;
}

int truce_evaluate(char **out, const truce_scenario *s, const uint32_t *outcome,
                   const truce_check_options *o, truce_error *err)
{
    error_clear(err);
    truce_check_options defaults = TRUCE_CHECK_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (!out || !s || !outcome)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    int rc = check_options(o, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < s->n_issues; i++)
        if (outcome[i] >= s->issues[i].n_options)
            return error_set(err, TRUCE_EINVAL, NULL, 0, s->issues[i].name,
                             "option %lu out of range for issue '%s' (options 0 to %lu)",
                             (unsigned long)outcome[i], s->issues[i].name,
                             (unsigned long)s->issues[i].n_options - 1);
    truce_analysis_options ao = check_analysis_options(o, o->time);
    truce_analysis *an = NULL;
    if ((rc = truce_analyze(&an, s, &ao, err)))
        return rc;
    size_t n = s->n_parties;
    double *u = calloc(n ? n : 1, sizeof *u);
    if (!u) {
        truce_analysis_free(an);
        return error_nomem(err);
    }
    double thin = check_thin_margin(o);
    json_t *doc = json_object(), *parties = json_array(), *broken = json_array();
    json_t *warnings = json_array();
    int rational = 1;
    for (size_t p = 0; p < n; p++) {
        const party *pt = &s->parties[p];
        u[p] = party_utility(s, pt, outcome);
        double r = party_reservation_at(pt, o->time), margin = u[p] - r;
        int h = party_violates(pt, outcome), bargains = scenario_is_bargainer(s, p);
        for (uint32_t k = 0; k < pt->n_hard; k++) {
            const condition *c = &pt->hard[k];
            int bad = 0;
            for (uint32_t q = 0; q < c->n_clauses && !bad; q++)
                bad = !c->clauses[q].allowed[outcome[c->clauses[q].issue]];
            if (!bad && c->rule)
                bad = !expr_holds(c->rule->root, outcome);
            json_t *entry = bad ? json_pack("{s:s,s:s,s:s,s:b}", "party", pt->name, "id", c->id,
                                            "label", c->label ? c->label : c->id, "bargainer",
                                            bargains)
                                : NULL;
            if (entry && c->expression)
                json_object_set_new(entry, "expression", json_string(c->expression));
            if (entry)
                json_array_append_new(broken, entry);
        }
        int accepts = h < 0 && margin > 0 &&
                      (!pt->is_coalition || pt->coalition_rule != TRUCE_COALITION_UNANIMITY ||
                       coalition_members_accept(s, pt, outcome, o->time));
        if (bargains && !(margin > 0))
            rational = 0;
        json_t *row = json_pack("{s:s,s:s,s:b,s:f,s:f,s:f,s:b,s:b}", "party", pt->name, "role",
                                role_names[pt->role], "bargainer", bargains, "utility", u[p],
                                "reservation", r, "margin", margin, "thin", margin < thin,
                                "accepts", accepts);
        json_t *fl = NULL;
        if (check_margins(o) && (rc = margin_deal_report(&fl, s, outcome, p, o->time, err))) {
            json_decref(row);
            json_decref(doc), json_decref(parties), json_decref(broken), json_decref(warnings);
            free(u);
            truce_analysis_free(an);
            return rc;
        }
        if (fl)
            json_object_set_new(row, "flips", fl);
        json_array_append_new(parties, row);
        if (bargains && margin > 0 && margin < thin) {
            char text[400];
            snprintf(text, sizeof text,
                     "%s clears its reservation value %.3f by only %.3f (below the thin-margin "
                     "threshold %.3f)",
                     pt->name, r, margin, thin);
            json_array_append_new(warnings, json_string(text));
        }
    }
    /* scenario constraints bind every party: each one broken is named */
    for (size_t k = 0; k < s->n_constraints; k++) {
        const scenario_rule *c = &s->constraints[k];
        if (!expr_holds(c->rule.root, outcome))
            json_array_append_new(broken,
                                  json_pack("{s:s,s:s,s:s,s:s}", "constraint", c->id, "id", c->id,
                                            "label", c->label ? c->label : c->id, "expression",
                                            c->rule.text));
    }
    int feasible = scenario_feasible(s, outcome);
    int pareto = 0;
    json_t *dom = json_null();
    if (feasible) {
        dom = dominated_by(s, an, u);
        pareto = json_is_null(dom);
    }
    json_object_set_new(doc, "scenario", json_string(s->name));
    json_object_set_new(doc, "time", json_real(o->time));
    json_object_set_new(doc, "outcome", report_outcome(s, outcome));
    json_object_set_new(doc, "feasible", json_boolean(feasible));
    json_object_set_new(doc, "broken", broken);
    json_object_set_new(doc, "individually_rational", json_boolean(feasible && rational));
    json_object_set_new(doc, "parties", parties);
    json_object_set_new(doc, "thin_margin", json_real(thin));
    json_object_set_new(doc, "pareto_optimal", json_boolean(feasible && pareto));
    json_object_set_new(doc, "dominated_by", dom);
    json_object_set_new(doc, "nash",
                        point_json(s, an, TRUCE_SOLUTION_NASH, u,
                                   truce_scenario_solution_criterion(s, TRUCE_SOLUTION_NASH)));
    json_object_set_new(doc, "kalai_smorodinsky",
                        point_json(s, an, TRUCE_SOLUTION_KALAI_SMORODINSKY, u,
                                   truce_solution_criterion(TRUCE_SOLUTION_KALAI_SMORODINSKY)));
    json_object_set_new(doc, "distance",
                        json_string("Euclidean, over the bargainers' undiscounted utilities"));
    char count[4096];
    json_object_set_new(doc, "zone_empty", json_boolean(!truce_analysis_zopa(an)));
    if (truce_analysis_feasible_count(an, count, sizeof count) > 0)
        json_object_set_new(doc, "n_feasible", model_count_json(count));
    else
        json_object_set_new(doc, "n_feasible", json_null());
    json_object_set_new(doc, "approximate", json_boolean(truce_analysis_is_approximate(an)));
    json_object_set_new(doc, "method", json_string(truce_analysis_method(an)));
    if (!feasible)
        json_array_append_new(
            warnings,
            json_string(s->n_constraints && constraint_first_broken(s, outcome) >= 0
                            ? "the deal breaks a scenario constraint: no party can agree to it"
                        : coalition_binds(s) && scenario_first_violation(s, outcome, NULL) < 0
                            ? "a member of a coalition under the unanimity rule refuses the deal "
                              "(see coalitions): the coalition cannot accept it"
                        : scenario_has_rule(s)
                            ? "the deal breaks a principal's hard condition: that principal "
                              "refuses it, whatever its utility (under the scenario's decision "
                              "rule it may be outvoted: see decision)"
                            : "the deal breaks a principal's hard condition: that principal "
                              "vetoes it, whatever its utility"));
    json_object_set_new(doc, "warnings", warnings);
    if (scenario_has_rule(s))
        json_object_set_new(doc, "decision", decision_json(s, outcome, o->time));
    if (s->n_coalitions) {
        /* docs/check.md#coalitions: who would leave a coalition over this deal */
        json_t *coalitions = NULL;
        truce_check_options co = TRUCE_CHECK_OPTIONS_INIT;
        co.time = o->time;
        rc = model_coalitions(s, outcome, 0, &co, &coalitions, err);
        if (rc) {
            json_decref(doc);
            free(u);
            truce_analysis_free(an);
            return rc;
        }
        json_object_set_new(doc, "coalitions", coalitions);
    }
    free(u);
    truce_analysis_free(an);
    return model_dump(out, doc, err);
}
