/* decision.c: the zone of agreement and the bargaining points under a scenario's
 * decision rule (docs/analysis.md#decision-rules), by enumerating every outcome. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/constraint.h"
#include "../core/error.h"
#include "decision.h"
#include "model.h"
#include "pareto.h"

static const char *const rule_names[] = {"unanimity", "qualified-majority"};

static double gain(const truce_scenario *s, size_t p, const uint32_t *o, double t);

/* The rule as written, with the deciders it implies. */
static json_t *rule_json(const truce_scenario *s)
{
    json_t *j = json_object(), *weights = json_object(), *required = json_array();
    json_t *ratifiers = json_array(), *deciders = json_array();
    json_object_set_new(j, "rule", json_string(rule_names[s->decision_rule]));
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        const char *name = s->parties[p].name;
        json_object_set_new(weights, name,
                            json_real(s->decision_weight ? s->decision_weight[p] : 1));
        if (s->required && s->required[p])
            json_array_append_new(required, json_string(name));
        if (s->decider[p])
            json_array_append_new(deciders, json_string(name));
    }
    for (size_t p = 0; p < s->n_parties; p++)
        if (s->ratifier && s->ratifier[p])
            json_array_append_new(ratifiers, json_string(s->parties[p].name));
    if (s->decision_rule == TRUCE_DECISION_QUALIFIED_MAJORITY) {
        json_object_set_new(j, "threshold", json_real(s->decision_threshold));
        json_object_set_new(j, "weights", weights);
        json_object_set_new(j, "required", required);
    } else {
        json_decref(weights);
        json_decref(required);
    }
    json_object_set_new(j, "ratifiers", ratifiers);
    json_object_set_new(j, "deciders", deciders);
    if (s->decision_source)
        json_object_set_new(j, "source", json_string(s->decision_source));
    return j;
}

/* The deciders' powers as the Nash product uses them: 1 each when equal. */
static double decider_power(const truce_scenario *s, size_t p)
{
    double first = -1;
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t q = s->bargainers[k];
        if (!s->decider[q])
            continue;
        if (first < 0)
            first = party_power(&s->parties[q]);
        else if (party_power(&s->parties[q]) != first)
            return party_power(&s->parties[p]);
    }
    return 1;
}

/* A decided deal: the outcome, every party's utility, who accepts it, and
 * the criterion. */
static json_t *deal_json(const truce_scenario *s, const uint32_t *o, double t,
                         const char *criterion)
{
    json_t *deal = model_deal_json(s, o, criterion);
    json_t *by = json_array();
    for (size_t k = 0; k < s->n_bargainers; k++)
        if (party_accepts(s, s->bargainers[k], o, t))
            json_array_append_new(by, json_string(s->parties[s->bargainers[k]].name));
    json_object_set_new(deal, "accepted_by", by);
    return deal;
}

typedef struct scan {
    uint64_t decided;
    int has_nash, has_ks;
    double nash, ks;
    uint32_t *nash_at, *ks_at, *o;
    double *ideal, *r; /* per party */
    unsigned char *accepts;
} scan;

/* One pass: count the decided outcomes, the Nash product over the deciders
 * and (second pass, once the ideal point is known) the KS ratio. */
static void walk(const truce_scenario *s, uint64_t n, double t, scan *sc, int pass)
{
    for (uint64_t x = 0; x < n; x++) {
        model_decode(s, x, sc->o);
        if (scenario_decided(s, sc->o, t, sc->accepts) != 1)
            continue;
        double prod = 1, ratio = INFINITY;
        for (size_t k = 0; k < s->n_bargainers; k++) {
            size_t p = s->bargainers[k];
            if (!s->decider[p])
                continue;
            double u = party_utility(s, &s->parties[p], sc->o), g = u - sc->r[p];
            if (pass == 0) {
                prod *= pow(g, decider_power(s, p));
                if (!(u <= sc->ideal[p]))
                    sc->ideal[p] = u;
            } else {
                double share = g / (sc->ideal[p] - sc->r[p]);
                ratio = share < ratio ? share : ratio;
            }
        }
        if (pass == 0) {
            sc->decided++;
            if (!sc->has_nash || prod > sc->nash) {
                sc->has_nash = 1, sc->nash = prod;
                memcpy(sc->nash_at, sc->o, s->n_issues * sizeof *sc->o);
            }
        } else if (!sc->has_ks || ratio > sc->ks) {
            sc->has_ks = 1, sc->ks = ratio;
            memcpy(sc->ks_at, sc->o, s->n_issues * sizeof *sc->o);
        }
    }
}

/* One party's margin at o: {party, role, utility, reservation, margin}; margin null when o
 * breaks its own hard condition. */
static json_t *margin_json(const truce_scenario *s, size_t p, const char *role, const uint32_t *o,
                           double t)
{
    const party *pt = &s->parties[p];
    double u = party_utility(s, pt, o), r = party_reservation_at(pt, t), g = gain(s, p, o, t);
    return json_pack("{s:s,s:s,s:f,s:f,s:o}", "party", pt->name, "role", role, "utility", u,
                     "reservation", r, "margin", isfinite(g) ? json_real(g) : json_null());
}

/* The margins under the rule (docs/check.md#decision): the zone margin and its outcome; when the
 * zone is empty, the smallest concession of reservation values that lets that outcome be
 * decided and who makes it; the margin of each decider and ratifier at the Nash point. */
static int margins_json(const truce_scenario *s, const truce_check_options *opt, json_t *doc,
                        const uint32_t *nash, truce_error *err)
{
    size_t ni = s->n_issues ? s->n_issues : 1;
    uint32_t *at = calloc(ni, sizeof *at);
    double *scratch = calloc(2 * (s->n_bargainers + 1), sizeof *scratch);
    unsigned char *in = calloc(s->n_parties ? s->n_parties : 1, 1);
    double margin = -INFINITY;
    int rc = at && scratch && in
                 ? decision_margin(s, opt->time, opt->max_outcomes, &margin, at, err)
                 : error_nomem(err);
    if (rc == 0) {
        json_object_set_new(doc, "margin", isfinite(margin) ? json_real(margin) : json_null());
        json_object_set_new(
            doc, "margin_deal",
            isfinite(margin)
                ? model_deal_json(s, at,
                                  "the outcome with the largest margin under the rule: the "
                                  "smaller of the ratifiers' smallest gain over their "
                                  "reservation values and the largest smallest gain of a winning "
                                  "set of principals; ties: the first in enumeration order")
                : json_null());
        json_t *concession = json_null();
        if (margin <= 0 && isfinite(margin)) {
            /* the winning set behind the margin (left in `in`) and the ratifiers: each one
             * below its reservation value must concede more than its shortfall */
            decision_outcome_margin(s, at, opt->time, scratch, in);
            json_t *who = json_array();
            for (size_t p = 0; p < s->n_parties; p++) {
                int ratifier = s->ratifier && s->ratifier[p];
                if (!(ratifier || (in[p] && s->parties[p].role == TRUCE_ROLE_PRINCIPAL)))
                    continue;
                double g = gain(s, p, at, opt->time);
                if (g <= 0)
                    json_array_append_new(who, margin_json(s, p,
                                                           ratifier        ? "ratifier"
                                                           : s->decider[p] ? "decider"
                                                                           : "principal",
                                                           at, opt->time));
            }
            concession = json_pack("{s:f,s:o,s:s}", "amount", -margin, "parties", who, "text",
                                   "every party listed lowering its reservation value by more "
                                   "than its shortfall (reservation - utility, at most amount) "
                                   "lets margin_deal be decided: the smallest equal concession "
                                   "that lets any outcome be decided");
        } else if (!isfinite(margin)) {
            concession = json_pack(
                "{s:n,s:s}", "amount", "text",
                "every outcome breaks a scenario constraint, a ratifier's own hard condition, or "
                "a hard condition of enough principals that no winning set is left: no "
                "concession of reservation values lets an outcome be decided");
        }
        json_object_set_new(doc, "concession", margin > 0 ? json_null() : concession);
        if (margin > 0)
            json_decref(concession);
        json_t *at_nash = json_array();
        for (size_t p = 0; nash && p < s->n_parties; p++) {
            if (s->ratifier && s->ratifier[p])
                json_array_append_new(at_nash, margin_json(s, p, "ratifier", nash, opt->time));
            else if (s->parties[p].role == TRUCE_ROLE_PRINCIPAL && s->decider[p])
                json_array_append_new(at_nash, margin_json(s, p, "decider", nash, opt->time));
        }
        json_object_set_new(doc, "margins", nash ? at_nash : json_null());
        if (!nash)
            json_decref(at_nash);
    }
    free(at), free(scratch), free(in);
    return rc;
}

static const char *const nash_criterion =
    "nash under the decision rule: among decided outcomes (the principals that accept satisfy "
    "the rule and every ratifier accepts), the largest product of the deciders' gains over "
    "their reservation values (each raised to its bargaining power when the deciders' powers "
    "differ); ties: the first outcome in enumeration order";
static const char *const ks_criterion =
    "kalai-smorodinsky under the decision rule: among decided outcomes, the largest equal share "
    "of each decider's possible gain (its best utility among decided outcomes over its "
    "reservation value); ties: the first outcome in enumeration order";

int decision_point(const truce_scenario *s, double t, double max_outcomes, int ks, uint32_t *at,
                   truce_error *err)
{
    uint64_t n = 0;
    int rc = model_outcome_count(s, max_outcomes, &n, err);
    if (rc)
        return rc;
    size_t np = s->n_parties ? s->n_parties : 1, ni = s->n_issues ? s->n_issues : 1;
    scan sc = {0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL};
    sc.nash_at = calloc(ni, sizeof *sc.nash_at);
    sc.ks_at = calloc(ni, sizeof *sc.ks_at);
    sc.o = calloc(ni, sizeof *sc.o);
    sc.ideal = calloc(np, sizeof *sc.ideal);
    sc.r = calloc(np, sizeof *sc.r);
    sc.accepts = calloc(np, 1);
    rc = TRUCE_ENOMEM;
    if (sc.nash_at && sc.ks_at && sc.o && sc.ideal && sc.r && sc.accepts) {
        for (size_t p = 0; p < s->n_parties; p++) {
            sc.r[p] = party_reservation_at(&s->parties[p], t);
            sc.ideal[p] = -INFINITY;
        }
        walk(s, n, t, &sc, 0);
        if (sc.decided && ks)
            walk(s, n, t, &sc, 1);
        rc = sc.decided && s->n_deciders;
        if (rc)
            memcpy(at, ks ? sc.ks_at : sc.nash_at, s->n_issues * sizeof *at);
    }
    free(sc.nash_at), free(sc.ks_at), free(sc.o), free(sc.ideal), free(sc.r), free(sc.accepts);
    return rc == TRUCE_ENOMEM ? error_nomem(err) : rc;
}

/* A party's gain over its reservation value, -INFINITY when o breaks its own hard condition. */
static double gain(const truce_scenario *s, size_t p, const uint32_t *o, double t)
{
    const party *pt = &s->parties[p];
    if (party_violates(pt, o) >= 0)
        return -INFINITY;
    return party_utility(s, pt, o) - party_reservation_at(pt, t);
}

static int by_gain_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

double decision_outcome_margin(const truce_scenario *s, const uint32_t *o, double t,
                               double *scratch, unsigned char *in)
{
    if (s->n_constraints && constraint_first_broken(s, o) >= 0)
        return -INFINITY;
    double margin = INFINITY;
    for (size_t p = 0; s->ratifier && p < s->n_parties; p++)
        if (s->ratifier[p]) {
            double g = gain(s, p, o, t);
            margin = g < margin ? g : margin;
        }
    /* the smallest prefix of the principals, by gain descending, that wins: its last gain */
    size_t nb = s->n_bargainers;
    for (size_t k = 0; k < nb; k++) {
        scratch[2 * k] = gain(s, s->bargainers[k], o, t);
        scratch[2 * k + 1] = (double)s->bargainers[k];
    }
    qsort(scratch, nb, 2 * sizeof *scratch, by_gain_desc);
    memset(in, 0, s->n_parties ? s->n_parties : 1);
    double bottleneck = scenario_rule_met(s, in) ? INFINITY : -INFINITY; /* weights all 0 */
    for (size_t k = 0; k < nb && bottleneck == -INFINITY; k++) {
        in[(size_t)scratch[2 * k + 1]] = 1;
        if (scenario_rule_met(s, in)) {
            bottleneck = scratch[2 * k];
            break;
        }
    }
    return bottleneck < margin ? bottleneck : margin;
}

int decision_margin(const truce_scenario *s, double t, double max_outcomes, double *margin,
                    uint32_t *at, truce_error *err)
{
    uint64_t n = 0;
    int rc = model_outcome_count(s, max_outcomes, &n, err);
    if (rc)
        return rc;
    size_t ni = s->n_issues ? s->n_issues : 1;
    uint32_t *o = calloc(ni, sizeof *o);
    double *scratch = calloc(2 * (s->n_bargainers + 1), sizeof *scratch);
    unsigned char *in = calloc(s->n_parties ? s->n_parties : 1, 1);
    *margin = -INFINITY;
    memset(at, 0, s->n_issues * sizeof *at);
    for (uint64_t x = 0; o && scratch && in && x < n; x++) {
        model_decode(s, x, o);
        double m = decision_outcome_margin(s, o, t, scratch, in);
        if (m > *margin) {
            *margin = m;
            memcpy(at, o, s->n_issues * sizeof *at);
        }
    }
    rc = o && scratch && in ? 0 : error_nomem(err);
    free(o), free(scratch), free(in);
    return rc;
}

int decision_frontier(const truce_scenario *s, double t, double max_outcomes, size_t max_points,
                      double **front, size_t *n_front, truce_error *err)
{
    uint64_t n = 0;
    int rc = model_outcome_count(s, max_outcomes, &n, err);
    if (rc)
        return rc;
    size_t nb = s->n_bargainers, np = s->n_parties ? s->n_parties : 1;
    size_t cap = 64, len = 0;
    uint32_t *o = calloc(s->n_issues ? s->n_issues : 1, sizeof *o);
    unsigned char *accepts = calloc(np, 1);
    double *u = malloc(cap * (nb ? nb : 1) * sizeof *u);
    rc = o && accepts && u ? 0 : TRUCE_ENOMEM;
    for (uint64_t x = 0; rc == 0 && x < n; x++) {
        model_decode(s, x, o);
        if (scenario_decided(s, o, t, accepts) != 1)
            continue;
        if (len == max_points) {
            rc = 1; /* too many decided outcomes: no frontier */
            break;
        }
        if (len == cap) {
            double *more = realloc(u, 2 * cap * (nb ? nb : 1) * sizeof *u);
            if (!more) {
                rc = TRUCE_ENOMEM;
                break;
            }
            u = more, cap *= 2;
        }
        for (size_t k = 0; k < nb; k++)
            u[len * nb + k] = party_utility(s, &s->parties[s->bargainers[k]], o);
        len++;
    }
    size_t *kept = NULL, k = 0;
    long *into = NULL;
    double *out = NULL;
    if (rc == 0 && len) {
        mem m;
        mem_init(&m, NULL);
        kept = malloc(len * sizeof *kept);
        into = malloc(len * sizeof *into);
        rc = kept && into ? pareto_filter(&m, u, nb, len, 0, kept, into, &k) : TRUCE_ENOMEM;
        if (rc == 0 && !(out = malloc(k * (nb ? nb : 1) * sizeof *out)))
            rc = TRUCE_ENOMEM;
        for (size_t j = 0; rc == 0 && j < k; j++)
            memcpy(out + j * nb, u + kept[j] * nb, nb * sizeof *out);
    }
    free(o), free(accepts), free(u), free(kept), free(into);
    if (rc == TRUCE_ENOMEM)
        return error_nomem(err);
    *front = out;
    *n_front = k;
    return rc == 0 && len;
}

int model_decision(const truce_scenario *s, const truce_check_options *opt, json_t **out,
                   truce_error *err)
{
    uint64_t n = 0;
    int rc = model_enumerable(s, opt->max_outcomes, "the zone under its decision rule", &n, err);
    if (rc)
        return rc;
    size_t np = s->n_parties ? s->n_parties : 1, ni = s->n_issues ? s->n_issues : 1;
    scan sc = {0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL};
    sc.nash_at = calloc(ni, sizeof *sc.nash_at);
    sc.ks_at = calloc(ni, sizeof *sc.ks_at);
    sc.o = calloc(ni, sizeof *sc.o);
    sc.ideal = calloc(np, sizeof *sc.ideal);
    sc.r = calloc(np, sizeof *sc.r);
    sc.accepts = calloc(np, 1);
    json_t *doc = NULL;
    if (sc.nash_at && sc.ks_at && sc.o && sc.ideal && sc.r && sc.accepts) {
        for (size_t p = 0; p < s->n_parties; p++) {
            sc.r[p] = party_reservation_at(&s->parties[p], opt->time);
            sc.ideal[p] = -INFINITY;
        }
        walk(s, n, opt->time, &sc, 0);
        if (sc.decided)
            walk(s, n, opt->time, &sc, 1);
        doc = rule_json(s);
    }
    if (doc) {
        json_object_set_new(doc, "time", json_real(opt->time));
        json_object_set_new(doc, "outcomes", json_integer((json_int_t)n));
        json_object_set_new(doc, "decided", json_integer((json_int_t)sc.decided));
        json_object_set_new(doc, "empty", json_boolean(sc.decided == 0));
        int points = sc.decided && s->n_deciders;
        json_object_set_new(doc, "nash",
                            points ? deal_json(s, sc.nash_at, opt->time, nash_criterion)
                                   : json_null());
        json_object_set_new(doc, "kalai_smorodinsky",
                            points ? deal_json(s, sc.ks_at, opt->time, ks_criterion) : json_null());
        if (sc.decided && !s->n_deciders)
            json_object_set_new(doc, "no_point",
                                json_string("no principal is needed by every winning set of "
                                            "acceptors, so no bargaining point is defined: the "
                                            "zone is shown without one"));
        int mrc = margins_json(s, opt, doc, points ? sc.nash_at : NULL, err);
        if (mrc) {
            json_decref(doc);
            free(sc.nash_at), free(sc.ks_at), free(sc.o), free(sc.ideal), free(sc.r),
                free(sc.accepts);
            return mrc;
        }
    }
    free(sc.nash_at), free(sc.ks_at), free(sc.o), free(sc.ideal), free(sc.r), free(sc.accepts);
    if (!doc)
        return error_nomem(err);
    *out = doc;
    return 0;
}

int truce_decision(char **out, const truce_scenario *s, const truce_check_options *o,
                   truce_error *err)
{
    error_clear(err);
    truce_check_options defaults = TRUCE_CHECK_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (!out || !s)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    int rc = check_options(o, err);
    json_t *doc = NULL;
    if (rc || (rc = model_decision(s, o, &doc, err)))
        return rc;
    json_object_set_new(doc, "scenario", json_string(s->name));
    return model_dump(out, doc, err);
}
