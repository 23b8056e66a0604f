/* coalitions.c: what check, analyze and evaluate say of a scenario's coalitions
 * (docs/check.md#coalitions): internal emptiness by enumeration, and who splits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/constraint.h"
#include "../core/error.h"
#include "model.h"

static const char *const rule_names[] = {"weighted", "unanimity"};

/* Members that would leave coalition c over deal o at time t (the split condition): the
 * deal breaks one of the member's hard conditions or gives it no more than its reservation
 * value. */
static json_t *split_json(const truce_scenario *s, const party *c, const uint32_t *o, double t)
{
    json_t *out = json_array();
    for (size_t k = 0; k < c->n_members; k++) {
        const party *m = &s->parties[c->members[k]];
        double u = party_utility(s, m, o), r = party_reservation_at(m, t);
        int h = party_violates(m, o);
        if (h < 0 && u > r)
            continue;
        json_t *j = json_pack("{s:s,s:f,s:f}", "party", m->name, "utility", u, "reservation", r);
        json_object_set_new(j, "reason",
                            h >= 0 ? json_sprintf("the deal breaks its hard condition '%s'",
                                                  m->hard[h].id)
                                   : json_sprintf("the deal gives it %.4g, not above its "
                                                  "reservation value %.4g",
                                                  u, r));
        json_array_append_new(out, j);
    }
    return out;
}

/* Outcomes no scenario constraint forbids that every member of c accepts at time t. */
static uint64_t acceptable(const truce_scenario *s, const party *c, uint64_t n, double t,
                           uint32_t *o)
{
    uint64_t count = 0;
    for (uint64_t x = 0; x < n; x++) {
        model_decode(s, x, o);
        if ((!s->n_constraints || constraint_first_broken(s, o) < 0) &&
            coalition_members_accept(s, c, o, t))
            count++;
    }
    return count;
}

int model_coalitions(const truce_scenario *s, const uint32_t *deal, int count,
                     const truce_check_options *opt, json_t **out, truce_error *err)
{
    uint64_t n = 0;
    int rc = count ? model_enumerable(s, opt->max_outcomes,
                                      "whether a coalition is internally empty", &n, err)
                   : 0;
    if (rc)
        return rc;
    uint32_t *o = calloc(s->n_issues ? s->n_issues : 1, sizeof *o);
    if (!o)
        return error_nomem(err);
    json_t *list = json_array();
    for (size_t p = 0; p < s->n_parties; p++) {
        const party *c = &s->parties[p];
        if (!c->is_coalition)
            continue;
        json_t *members = json_array();
        for (size_t k = 0; k < c->n_members; k++) {
            const party *m = &s->parties[c->members[k]];
            json_array_append_new(members,
                                  json_pack("{s:s,s:f,s:f}", "party", m->name, "weight",
                                            c->member_share[k], "reservation",
                                            party_reservation_at(m, opt->time)));
        }
        json_t *j = json_pack("{s:s,s:s,s:b,s:o,s:f}", "coalition", c->name, "rule",
                              rule_names[c->coalition_rule], "bargains",
                              c->role == TRUCE_ROLE_PRINCIPAL, "members", members, "reservation",
                              party_reservation_at(c, opt->time));
        if (count) {
            uint64_t ok = acceptable(s, c, n, opt->time, o);
            json_object_set_new(j, "outcomes", json_integer((json_int_t)n));
            json_object_set_new(j, "acceptable", json_integer((json_int_t)ok));
            json_object_set_new(j, "internally_empty", json_boolean(ok == 0));
        }
        if (deal)
            json_object_set_new(j, "split", split_json(s, c, deal, opt->time));
        json_array_append_new(list, j);
    }
    free(o);
    json_t *doc = json_pack("{s:s,s:f,s:o}", "mode",
                            s->coalition_mode == TRUCE_COALITIONS_SPLIT ? "split" : "as-one",
                            "time", opt->time, "coalitions", list);
    if (!doc)
        return error_nomem(err);
    *out = doc;
    return 0;
}

int model_outcome_of(const truce_scenario *s, json_t *labels, uint32_t *o)
{
    if (!json_is_object(labels))
        return 0;
    for (size_t i = 0; i < s->n_issues; i++) {
        const char *label = json_string_value(json_object_get(labels, s->issues[i].name));
        int k = label ? truce_option_find(s, i, label) : -1;
        if (k < 0)
            return 0;
        o[i] = (uint32_t)k;
    }
    return 1;
}

int truce_coalitions(char **out, const truce_scenario *s, const uint32_t *deal,
                     const truce_check_options *o, truce_error *err)
{
    error_clear(err);
    truce_check_options defaults = TRUCE_CHECK_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (!out || !s)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    for (size_t i = 0; deal && i < s->n_issues; i++)
        if (deal[i] >= s->issues[i].n_options)
            return error_set(err, TRUCE_EINVAL, NULL, 0, "deal",
                             "the deal's option %u of issue '%s' is out of range", deal[i],
                             s->issues[i].name);
    int rc = check_options(o, err);
    json_t *doc = NULL;
    if (rc || (rc = model_coalitions(s, deal, 1, o, &doc, err)))
        return rc;
    json_object_set_new(doc, "scenario", json_string(s->name));
    return model_dump(out, doc, err);
}
