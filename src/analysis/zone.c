/* zone.c: the zone of agreement as every command reports it (docs/analysis.md):
 * feasible outcomes (no bargainer's hard condition broken) and individually
 * rational ones (also above every bargainer's reservation value at the time
 * given), whether the zone is empty (from the exact analysis, so `check`,
 * `analyze`, `evaluate` and `report` give one answer), and, when it is empty,
 * the smallest sets of constraints whose relaxation opens it, each with the
 * deal that needs the smallest concession (found by enumeration). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/constraint.h"
#include "../core/error.h"
#include "../io/report.h"
#include "frontier.h"
#include "margin.h"
#include "model.h"

/* A constraint of the zone: a bargainer's hard condition or reservation. */
typedef struct constraint {
    size_t party;
    int hard; /* index of the hard condition, or -1 for the reservation */
} constraint;

#define MAX_CONSTRAINTS 64

/* The deals that break exactly the constraints of `mask`: the best one by
 * the relaxation's criterion (primary), ties broken by `tie`. */
typedef struct mask_entry {
    uint64_t mask;
    uint64_t best; /* outcome index */
    double primary, tie;
} mask_entry;

json_t *model_count_json(const char *decimal)
{
    /* an integer when it fits a signed 64-bit integer, else the text */
    size_t len = strlen(decimal);
    if (len < 19 || (len == 19 && strcmp(decimal, "9223372036854775807") <= 0))
        return json_integer((json_int_t)strtoll(decimal, NULL, 10));
    return json_string(decimal);
}

json_t *model_deal_json(const truce_scenario *s, const uint32_t *o, const char *criterion)
{
    json_t *deal = json_pack("{s:o,s:o}", "outcome", report_outcome(s, o), "utilities",
                             model_utilities_json(s, o));
    if (deal && criterion)
        json_object_set_new(deal, "criterion", json_string(criterion));
    return deal;
}

static uint64_t violated_mask(const truce_scenario *s, const constraint *c, size_t nc,
                              const double *r, const uint32_t *o, const double *u)
{
    uint64_t mask = 0;
    for (size_t k = 0; k < nc; k++) {
        const party *p = &s->parties[c[k].party];
        int bad;
        if (c[k].hard >= 0) {
            const condition *h = &p->hard[c[k].hard];
            bad = 0;
            for (uint32_t q = 0; q < h->n_clauses && !bad; q++)
                bad = !h->clauses[q].allowed[o[h->clauses[q].issue]];
            /* an expression across issues is relaxed as a whole, like any hard condition */
            if (!bad && h->rule)
                bad = !expr_holds(h->rule->root, o);
        } else {
            bad = !(u[c[k].party] > r[c[k].party]);
        }
        if (bad)
            mask |= 1ULL << k;
    }
    return mask;
}

static json_t *constraint_json(const truce_scenario *s, const constraint *c, const double *r,
                               const double *u)
{
    const party *p = &s->parties[c->party];
    if (c->hard >= 0)
        return json_pack("{s:s,s:s,s:s,s:s}", "kind", "hard_condition", "party", p->name, "id",
                         p->hard[c->hard].id, "label",
                         p->hard[c->hard].label ? p->hard[c->hard].label : p->hard[c->hard].id);
    /* the zone opens when the reservation value drops below what the deal
     * gives: this is the smallest concession for this deal */
    return json_pack("{s:s,s:s,s:f,s:f,s:f}", "kind", "reservation", "party", p->name,
                     "reservation", r[c->party], "deal_gives", u[c->party], "concession",
                     r[c->party] - u[c->party]);
}

/* Score of a deal within a relaxation. Relaxing reservation values: the
 * smallest total concession, that is the largest sum of the relaxed
 * parties' utilities; relaxing hard conditions only: the Nash product of
 * the bargainers' gains over their reservation values (every one of them is
 * above it). Ties: the product of the bargainers' utilities. */
static void relaxation_scores(const truce_scenario *s, const constraint *c, size_t nc,
                              uint64_t mask, const double *r, const double *u, double *primary,
                              double *tie)
{
    double relaxed_sum = 0, nash = 1, prod = 1;
    int any_reservation = 0;
    for (size_t k = 0; k < nc; k++)
        if ((mask >> k & 1) && c[k].hard < 0) {
            any_reservation = 1;
            relaxed_sum += u[c[k].party];
        }
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        nash *= u[p] - r[p];
        prod *= u[p];
    }
    *primary = any_reservation ? relaxed_sum : nash;
    *tie = prod;
}

static const char *relaxation_criterion(const constraint *c, size_t nc, uint64_t mask)
{
    for (size_t k = 0; k < nc; k++)
        if ((mask >> k & 1) && c[k].hard < 0)
            return "smallest concession: the largest utility (summed over the parties whose "
                   "reservation value is relaxed) among the deals this relaxation allows";
    return "nash: the largest product of the bargainers' gains over their reservation values "
           "among the deals this relaxation allows";
}

/* Every outcome's violated constraints, the best deal per set; then the
 * sets minimal by inclusion, smallest first, as JSON. */
static int relaxations(const truce_scenario *s, const truce_check_options *opt, const double *r,
                       uint64_t total, json_t *relax, truce_error *err)
{
    size_t nc = 0;
    constraint c[MAX_CONSTRAINTS];
    for (size_t k = 0; k < s->n_bargainers; k++) {
        const party *pt = &s->parties[s->bargainers[k]];
        for (uint32_t h = 0; h < pt->n_hard && nc < MAX_CONSTRAINTS; h++)
            c[nc++] = (constraint){s->bargainers[k], (int)h};
        if (nc < MAX_CONSTRAINTS)
            c[nc++] = (constraint){s->bargainers[k], -1};
    }
    size_t n = s->n_parties, cap = 64, n_masks = 0;
    double *u = calloc(n ? n : 1, sizeof *u);
    uint32_t *o = calloc(s->n_issues ? s->n_issues : 1, sizeof *o);
    mask_entry *masks = malloc(cap * sizeof *masks);
    if (!u || !o || !masks) {
        free(u), free(o), free(masks);
        return error_nomem(err);
    }
    for (uint64_t x = 0; x < total; x++) {
        model_decode(s, x, o);
        /* scenario constraints say what cannot be agreed at all: never relaxed */
        if (s->n_constraints && constraint_first_broken(s, o) >= 0)
            continue;
        /* nor is the acceptance of each member of a bargaining unanimity coalition
         * (docs/scenario-format.md#coalitions) */
        if (s->n_coalitions && coalition_partial(s, o, 0) == EXPR_NO)
            continue;
        for (size_t k = 0; k < s->n_bargainers; k++)
            u[s->bargainers[k]] = party_utility(s, &s->parties[s->bargainers[k]], o);
        uint64_t mask = violated_mask(s, c, nc, r, o, u);
        double primary, tie;
        relaxation_scores(s, c, nc, mask, r, u, &primary, &tie);
        size_t k = 0;
        while (k < n_masks && masks[k].mask != mask)
            k++;
        if (k == n_masks) {
            if (n_masks == cap) {
                mask_entry *grown = realloc(masks, 2 * cap * sizeof *masks);
                if (!grown) {
                    free(u), free(o), free(masks);
                    return error_nomem(err);
                }
                masks = grown;
                cap *= 2;
            }
            masks[n_masks++] = (mask_entry){mask, x, primary, tie};
        } else if (primary > masks[k].primary ||
                   (primary == masks[k].primary && tie > masks[k].tie)) {
            masks[k] = (mask_entry){mask, x, primary, tie};
        }
    }
    for (size_t size = 1; size <= opt->max_relaxation && size <= nc; size++)
        for (size_t k = 0; k < n_masks; k++) {
            uint64_t m = masks[k].mask;
            if ((size_t)__builtin_popcountll(m) != size)
                continue;
            int minimal = 1;
            for (size_t q = 0; q < n_masks && minimal; q++)
                if (q != k && (masks[q].mask & m) == masks[q].mask && masks[q].mask != m)
                    minimal = 0;
            if (!minimal)
                continue;
            model_decode(s, masks[k].best, o);
            for (size_t p = 0; p < n; p++)
                u[p] = party_utility(s, &s->parties[p], o);
            json_t *set = json_array();
            for (size_t b = 0; b < nc; b++)
                if (m >> b & 1)
                    json_array_append_new(set, constraint_json(s, &c[b], r, u));
            json_array_append_new(relax,
                                  json_pack("{s:o,s:o}", "relax", set, "best",
                                            model_deal_json(s, o, relaxation_criterion(c, nc, m))));
        }
    free(u), free(o), free(masks);
    return 0;
}

/* The first time after opt->time (in steps of 1/20) at which the zone opens
 * as time-dependent reservation values change, or -1. */
static int opens_at(const truce_scenario *s, const truce_check_options *opt, double *out,
                    truce_error *err)
{
    *out = -1;
    int moves = 0;
    for (size_t k = 0; k < s->n_bargainers; k++)
        moves |= s->parties[s->bargainers[k]].n_reservation_points > 1;
    for (int step = 1; moves && step <= 20 && *out < 0; step++) {
        double t = step / 20.0;
        if (t <= opt->time)
            continue;
        truce_analysis_options ao = check_analysis_options(opt, t);
        truce_analysis *an = NULL;
        int rc = truce_analyze(&an, s, &ao, err);
        if (rc)
            return rc;
        if (truce_analysis_zopa(an))
            *out = t;
        truce_analysis_free(an);
    }
    return 0;
}

/* Outcomes of the feasible frame above every bargainer's reservation value. */
static int count_rational(const truce_scenario *s, const double *r, uint64_t *out,
                          truce_error *err)
{
    mem m;
    mem_init(&m, NULL);
    arena a;
    arena_init(&a, &m);
    frame fr;
    uint32_t *pos = arena_array(&a, s->n_issues ? s->n_issues : 1, sizeof *pos);
    uint32_t *o = arena_array(&a, s->n_issues ? s->n_issues : 1, sizeof *o);
    if (!pos || !o || frame_build(&fr, &a, s, 1)) {
        arena_release(&a);
        return error_nomem(err);
    }
    uint64_t n = 0;
    for (int more = frame_first(&fr, pos, o); more; more = frame_next(&fr, pos, o)) {
        int ok = 1;
        for (size_t k = 0; k < s->n_bargainers && ok; k++) {
            size_t p = s->bargainers[k];
            ok = party_utility(s, &s->parties[p], o) > r[p];
        }
        n += ok;
    }
    arena_release(&a);
    *out = n;
    return 0;
}

/* The smallest change of one bargainer's number that opens (or closes)
 * the zone, when the zone is cheap enough to solve thousands of times: its
 * frame solved by additive merge or small, and the search within
 * MODEL_MARGIN_WORK (null otherwise). `n_frontier`: the size of the central
 * Pareto frontier. */
static int zone_margin(const truce_scenario *s, const truce_check_options *opt, int empty,
                       size_t n_frontier, json_t **out, truce_error *err)
{
    if (!margin_zone_searchable(s, MODEL_MARGIN_ENUMERATE, n_frontier, MODEL_MARGIN_SOLVES,
                                MODEL_MARGIN_WORK)) {
        *out = json_null();
        return 0;
    }
    unsigned char *who = calloc(s->n_parties ? s->n_parties : 1, 1);
    if (!who)
        return error_nomem(err);
    for (size_t k = 0; k < s->n_bargainers; k++)
        who[s->bargainers[k]] = 1;
    mem m;
    mem_init(&m, NULL);
    zone_ctx z;
    memset(&z, 0, sizeof z);
    z.ao = check_analysis_options(opt, opt->time);
    z.work = MODEL_MARGIN_WORK;
    arena_init(&z.a, &m);
    int rc = margin_report(out, s, who, margin_zone_open, &z,
                           empty ? "the zone of agreement is empty"
                                 : "the zone of agreement is open",
                           5, err);
    if (z.exhausted) {
        /* too costly to finish: no answer rather than a partial one */
        if (rc == 0)
            json_decref(*out);
        *out = json_null();
        rc = 0;
    }
    arena_release(&z.a);
    free(who);
    return rc;
}

int model_zone(const truce_scenario *s, const truce_check_options *opt, json_t **out,
               truce_error *err)
{
    truce_analysis_options ao = check_analysis_options(opt, opt->time);
    truce_analysis *an = NULL;
    int rc = truce_analyze(&an, s, &ao, err);
    if (rc)
        return rc;
    size_t n = s->n_parties;
    double *r = calloc(n ? n : 1, sizeof *r);
    uint32_t *best = calloc(s->n_issues ? s->n_issues : 1, sizeof *best);
    mem m;
    mem_init(&m, NULL);
    arena a;
    arena_init(&a, &m);
    char *outcomes = scenario_count_text(s, 0, &a), *feasible = scenario_count_text(s, 1, &a);
    if (!r || !best || !outcomes || !feasible) {
        free(r), free(best), arena_release(&a), truce_analysis_free(an);
        return error_nomem(err);
    }
    for (size_t p = 0; p < n; p++)
        r[p] = party_reservation_at(&s->parties[p], opt->time);
    int empty = !truce_analysis_zopa(an);
    json_t *zone = json_object();
    json_t *bargainers = json_array(), *res = json_object();
    for (size_t k = 0; k < s->n_bargainers; k++) {
        const party *p = &s->parties[s->bargainers[k]];
        json_array_append_new(bargainers, json_string(p->name));
        json_object_set_new(res, p->name, json_real(r[s->bargainers[k]]));
    }
    json_object_set_new(zone, "bargainers", bargainers);
    json_object_set_new(zone, "principals", json_deep_copy(bargainers));
    json_object_set_new(zone, "time", json_real(opt->time));
    json_object_set_new(zone, "reservation", res);
    json_object_set_new(zone, "outcomes", model_count_json(outcomes));
    json_object_set_new(zone, "feasible", model_count_json(feasible));
    if (s->n_constraints) {
        /* the scenario's constraints bind every feasible outcome (never relaxed) */
        json_t *rules = json_array();
        for (size_t k = 0; k < s->n_constraints; k++) {
            const scenario_rule *c = &s->constraints[k];
            json_array_append_new(rules, json_pack("{s:s,s:s,s:s}", "id", c->id, "label",
                                                   c->label ? c->label : c->id, "expression",
                                                   c->rule.text));
        }
        json_object_set_new(zone, "constraints", rules);
    }
    /* a count the pruned walk could not finish reads "at most N" */
    double n_feasible = *feasible >= '0' && *feasible <= '9' ? strtod(feasible, NULL) : INFINITY;
    double n_total = strtod(outcomes, NULL);
    uint64_t rational = 0;
    if (n_feasible <= opt->max_outcomes) {
        if ((rc = count_rational(s, r, &rational, err)))
            goto fail;
        json_object_set_new(zone, "individually_rational", json_integer((json_int_t)rational));
    } else {
        json_object_set_new(zone, "individually_rational", json_null());
    }
    json_object_set_new(zone, "empty", json_boolean(empty));
    if (!empty && truce_analysis_solution(an, TRUCE_SOLUTION_NASH, NULL, best, NULL) == 1)
        json_object_set_new(
            zone, "best",
            model_deal_json(s, best, truce_scenario_solution_criterion(s, TRUCE_SOLUTION_NASH)));
    json_t *relax = json_array();
    json_object_set_new(zone, "relaxations", relax);
    if (empty) {
        if (n_total <= opt->max_outcomes) {
            if ((rc = relaxations(s, opt, r, (uint64_t)n_total, relax, err)))
                goto fail;
        } else {
            json_object_set_new(zone, "relaxations", json_null());
        }
        double t;
        if ((rc = opens_at(s, opt, &t, err)))
            goto fail;
        json_object_set_new(zone, "opens_at_time", t < 0 ? json_null() : json_real(t));
    }
    if (check_margins(opt)) {
        json_t *margin = NULL;
        if ((rc = zone_margin(s, opt, empty, truce_analysis_pareto_size(an), &margin, err)))
            goto fail;
        json_object_set_new(zone, "margin", margin);
    }
    free(r), free(best), arena_release(&a), truce_analysis_free(an);
    *out = zone;
    return 0;
fail:
    json_decref(zone);
    free(r), free(best), arena_release(&a), truce_analysis_free(an);
    return rc;
}
