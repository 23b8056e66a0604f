/* zone.c: the zone of agreement among the principals: outcomes within every
 * principal's hard conditions and above its reservation value at the given
 * time. When it is empty, the smallest sets of constraints (hard conditions,
 * reservation values) whose relaxation opens it, each with the best deal it
 * would allow and the concessions it asks. Computed by enumeration. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../io/report.h"
#include "model.h"

/* A constraint of the zone: a principal's hard condition or reservation. */
typedef struct constraint {
    size_t party;
    int hard; /* index of the hard condition, or -1 for the reservation */
} constraint;

typedef struct mask_entry {
    uint64_t mask;
    uint64_t best; /* outcome maximising the principals' utility product */
    double score;
} mask_entry;

static int violated_mask(const truce_scenario *s, const constraint *c, size_t nc, const double *r,
                         const uint32_t *o, double *u, uint64_t *mask)
{
    *mask = 0;
    for (size_t k = 0; k < nc; k++) {
        const party *p = &s->parties[c[k].party];
        int bad;
        if (c[k].hard >= 0) {
            const condition *h = &p->hard[c[k].hard];
            bad = 0;
            for (uint32_t q = 0; q < h->n_clauses && !bad; q++)
                bad = !h->clauses[q].allowed[o[h->clauses[q].issue]];
        } else {
            bad = !(u[c[k].party] > r[c[k].party]);
        }
        if (bad)
            *mask |= 1ULL << k;
    }
    return 0;
}

static json_t *constraint_json(const truce_scenario *s, const constraint *c, const double *r,
                               const double *u)
{
    const party *p = &s->parties[c->party];
    if (c->hard >= 0)
        return json_pack("{s:s,s:s,s:s,s:s}", "kind", "hard_condition", "party", p->name, "id",
                         p->hard[c->hard].id, "label",
                         p->hard[c->hard].label ? p->hard[c->hard].label : p->hard[c->hard].id);
    return json_pack("{s:s,s:s,s:f,s:f,s:f}", "kind", "reservation", "party", p->name,
                     "reservation", r[c->party], "deal_gives", u[c->party], "concession",
                     r[c->party] - u[c->party]);
}

static json_t *deal_json(const truce_scenario *s, const uint32_t *o)
{
    return json_pack("{s:o,s:o}", "outcome", report_outcome(s, o), "utilities",
                     model_utilities_json(s, o));
}

/* Score of a deal for the principals: the product of their utilities (a Nash
 * product with nothing as the disagreement point, so it ranks deals even
 * below someone's reservation value). */
static double score(const truce_scenario *s, const double *u)
{
    double prod = 1;
    for (size_t p = 0; p < s->n_parties; p++)
        if (s->parties[p].role == TRUCE_ROLE_PRINCIPAL)
            prod *= u[p];
    return prod;
}

/* Is the zone empty at time t? (for the "opens at" scan) */
static int zone_empty_at(const truce_scenario *s, uint64_t total, double t, uint32_t *o, double *u)
{
    for (uint64_t x = 0; x < total; x++) {
        model_decode(s, x, o);
        int ok = 1;
        for (size_t p = 0; p < s->n_parties && ok; p++) {
            const party *pt = &s->parties[p];
            if (pt->role != TRUCE_ROLE_PRINCIPAL)
                continue;
            u[p] = party_utility(s, pt, o);
            ok = party_violates(pt, o) < 0 && u[p] > party_reservation_at(pt, t);
        }
        if (ok)
            return 0;
    }
    return 1;
}

int model_zone(const truce_scenario *s, const truce_check_options *opt, json_t **out,
               truce_error *err)
{
    uint64_t total;
    int rc = model_outcome_count(s, opt->max_outcomes, &total, err);
    if (rc)
        return rc;
    size_t n = s->n_parties, nc = 0;
    constraint c[64];
    for (size_t p = 0; p < n; p++) {
        if (s->parties[p].role != TRUCE_ROLE_PRINCIPAL)
            continue;
        for (uint32_t h = 0; h < s->parties[p].n_hard && nc < 64; h++)
            c[nc++] = (constraint){p, (int)h};
        if (nc < 64)
            c[nc++] = (constraint){p, -1};
    }
    double *r = calloc(n, sizeof *r), *u = calloc(n, sizeof *u);
    uint32_t *o = calloc(s->n_issues, sizeof *o), *best_o = calloc(s->n_issues, sizeof *o);
    size_t cap = 64, n_masks = 0;
    mask_entry *masks = malloc(cap * sizeof *masks);
    if (!r || !u || !o || !best_o || !masks) {
        free(r), free(u), free(o), free(best_o), free(masks);
        return error_nomem(err);
    }
    for (size_t p = 0; p < n; p++)
        r[p] = party_reservation_at(&s->parties[p], opt->time);
    uint64_t feasible = 0;
    for (uint64_t x = 0; x < total; x++) {
        model_decode(s, x, o);
        for (size_t p = 0; p < n; p++)
            u[p] = party_utility(s, &s->parties[p], o);
        uint64_t mask;
        violated_mask(s, c, nc, r, o, u, &mask);
        feasible += mask == 0;
        double sc = score(s, u);
        size_t k = 0;
        while (k < n_masks && masks[k].mask != mask)
            k++;
        if (k == n_masks) {
            if (n_masks == cap) {
                mask_entry *grown = realloc(masks, 2 * cap * sizeof *masks);
                if (!grown) {
                    free(r), free(u), free(o), free(best_o), free(masks);
                    return error_nomem(err);
                }
                masks = grown;
                cap *= 2;
            }
            masks[n_masks++] = (mask_entry){mask, x, sc};
        } else if (sc > masks[k].score) {
            masks[k].best = x;
            masks[k].score = sc;
        }
    }
    json_t *zone = json_object();
    json_t *principals = json_array();
    for (size_t p = 0; p < n; p++)
        if (s->parties[p].role == TRUCE_ROLE_PRINCIPAL)
            json_array_append_new(principals, json_string(s->parties[p].name));
    json_object_set_new(zone, "principals", principals);
    json_object_set_new(zone, "time", json_real(opt->time));
    json_t *res = json_object();
    for (size_t p = 0; p < n; p++)
        if (s->parties[p].role == TRUCE_ROLE_PRINCIPAL)
            json_object_set_new(res, s->parties[p].name, json_real(r[p]));
    json_object_set_new(zone, "reservation", res);
    json_object_set_new(zone, "outcomes", json_integer((json_int_t)total));
    json_object_set_new(zone, "feasible", json_integer((json_int_t)feasible));
    json_object_set_new(zone, "empty", json_boolean(feasible == 0));
    /* the best deal within the zone (mask 0), or the minimal relaxations */
    json_t *relax = json_array();
    for (size_t k = 0; k < n_masks; k++) {
        if (masks[k].mask == 0) {
            model_decode(s, masks[k].best, best_o);
            json_object_set_new(zone, "best", deal_json(s, best_o));
        }
    }
    if (feasible == 0) {
        /* minimal masks by inclusion, smallest first */
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
                model_decode(s, masks[k].best, best_o);
                for (size_t p = 0; p < n; p++)
                    u[p] = party_utility(s, &s->parties[p], best_o);
                json_t *set = json_array();
                for (size_t b = 0; b < nc; b++)
                    if (m >> b & 1)
                        json_array_append_new(set, constraint_json(s, &c[b], r, u));
                json_array_append_new(
                    relax, json_pack("{s:o,s:o}", "relax", set, "best", deal_json(s, best_o)));
            }
        /* when does the zone open as reservation values change with time? */
        double opens = -1;
        for (int step = 1; step <= 20 && opens < 0 && total <= 1000000; step++) {
            double t = step / 20.0;
            if (t > opt->time && !zone_empty_at(s, total, t, o, u))
                opens = t;
        }
        json_object_set_new(zone, "opens_at_time", opens < 0 ? json_null() : json_real(opens));
    }
    json_object_set_new(zone, "relaxations", relax);
    free(r), free(u), free(o), free(best_o), free(masks);
    *out = zone;
    return 0;
}
