/* view.c: what each seat of a session sees: its own party's preferences,
 * the turn it must answer, the protocol's messages it may hear (in mediated
 * talks only those sent along its channels), others' utilities only when the
 * session reveals them, and at the end the summary and the offers' plots. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ONLINE_SECONDS 10
#define MAX_OPTION_HINTS 5000

static const char *const roles[] = {"principal", "mediator", "stakeholder"};
static const char *const statuses[] = {"waiting", "running", "ended"};
static const char *const waits[] = {"none", "turn", "review", "draft"};

static size_t seat_count_of(const session *s, size_t party)
{
    for (size_t k = 0; k < s->n_seats; k++)
        if (s->seats[k].party == party)
            return k;
    return (size_t)-1;
}

/* Whether the viewer (a seat, NULL for the operator) hears record j. */
static int hears(const session *s, const seat *st, const json_t *j)
{
    if (!st || s->protocol == PROTOCOL_NEGOTIATION)
        return 1; /* direct talks: every principal hears every move */
    const char *type = json_string_value(json_object_get(j, "type"));
    const char *from = json_string_value(json_object_get(j, "from"));
    const char *to = json_string_value(json_object_get(j, "to"));
    const char *me = party_label(s, st);
    if (type && !strcmp(type, "end"))
        return 1;
    if (from && to)
        return !strcmp(from, me) || !strcmp(to, me);
    /* the start (first draft) and revisions are the mediator's own */
    return st->role == TRUCE_ROLE_MEDIATOR;
}

/* A record as the viewer may see it: others' utilities removed unless the
 * seat is shown them (their BATNAs kept when it is shown those). Returns a
 * new reference. */
static json_t *redact(const session *s, const seat *st, json_t *j)
{
    if (seat_sees(st, REVEAL_UTILITIES))
        return json_incref(j);
    json_t *c = json_copy(j);
    if (s->protocol == PROTOCOL_NEGOTIATION) {
        json_t *u = json_object_get(c, "utilities");
        if (json_is_array(u) && st->index < json_array_size(u))
            json_object_set(c, "your_utility", json_array_get(u, st->index));
        json_object_del(c, "utilities");
        json_object_del(c, "utilities_undiscounted");
    } else {
        /* a draft carries its receiver's utility of it, an answer its sender's */
        const char *type = json_string_value(json_object_get(c, "type"));
        const char *owner =
            json_string_value(json_object_get(c, type && !strcmp(type, "draft") ? "to" : "from"));
        if (owner && strcmp(owner, party_label(s, st))) {
            json_object_del(c, "utility");
            if (!seat_sees(st, REVEAL_RESERVATIONS))
                json_object_del(c, "reservation");
        }
        json_object_del(c, "utilities");
    }
    return c;
}

static json_t *seats_json(const session *s, double now)
{
    json_t *list = json_array();
    for (size_t k = 0; k < s->n_seats; k++) {
        const seat *st = &s->seats[k];
        const char *label =
            st->party == (size_t)-1 ? "mediator" : truce_party_label(s->s, st->party);
        json_t *j = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:b,s:b}", "index", (json_int_t)k, "party", party_label(s, st),
            "label", label, "role", roles[st->role], "kind",
            st->kind == SEAT_PERSON ? "person" : "agent", "joined", st->joined, "online",
            st->kind == SEAT_AGENT || (st->joined && now - st->last_seen < ONLINE_SECONDS));
        if (st->agent_name)
            json_object_set_new(j, "agent", json_string(st->agent_name));
        if (st->name)
            json_object_set_new(j, "name", json_string(st->name));
        json_array_append_new(list, j);
    }
    return list;
}

/* The relative time of the talks now (for time-dependent BATNAs). */
static double talks_time(const session *s, double now)
{
    if (s->status == STATUS_ENDED)
        return 1;
    double by_clock = 0;
    if (s->seconds > 0 && s->deadline_at > 0) {
        double t = 1 - (s->deadline_at - now) / s->seconds;
        by_clock = t < 0 ? 0 : t > 1 ? 1 : t;
        if (s->protocol == PROTOCOL_NEGOTIATION)
            return by_clock;
    }
    size_t n = json_array_size(s->events);
    for (size_t k = n; k-- > 0;) {
        json_t *e = json_array_get(s->events, k);
        json_t *t = json_object_get(e, "time");
        if (json_is_number(t))
            return json_number_value(t);
        json_t *it = json_object_get(e, "iteration");
        if (json_is_integer(it)) {
            /* mediated talks: by iterations, or by the clock when further */
            double by_iteration = (double)json_integer_value(it) / s->iterations;
            return by_clock > by_iteration ? by_clock : by_iteration;
        }
    }
    return by_clock;
}

/* The best outcome for a party within the scenario's feasible set (the
 * frontier's point best for it), or null. */
static json_t *ideal_json(session *s, size_t party)
{
    char why[256];
    const truce_analysis *an = entry_analysis(s->e, &s->srv->o, why, sizeof why);
    if (!an || party == (size_t)-1)
        return json_null();
    size_t best = 0, n = truce_analysis_pareto_size(an);
    for (size_t k = 1; k < n; k++)
        if (truce_analysis_pareto_point(an, k)[party] >
            truce_analysis_pareto_point(an, best)[party])
            best = k;
    size_t ni = truce_scenario_issue_count(s->s);
    uint32_t *o = calloc(ni ? ni : 1, sizeof *o);
    json_t *j = json_null();
    if (o && n && truce_analysis_pareto_outcome(an, best, o) == 0 &&
        truce_outcome_violates(s->s, party, o) < 0) {
        json_decref(j);
        j = serve_outcome_json(s->s, o);
    }
    free(o);
    return j;
}

static json_t *you_json(session *s, const seat *st, double t)
{
    json_t *hard = json_array();
    json_t *forbidden = json_object();
    if (st->party != (size_t)-1) {
        for (size_t h = 0; h < truce_party_hard_condition_count(s->s, st->party); h++)
            json_array_append_new(
                hard, json_pack("{s:s,s:s}", "id", truce_hard_condition_id(s->s, st->party, h),
                                "label", truce_hard_condition_label(s->s, st->party, h)));
        for (size_t i = 0; i < truce_scenario_issue_count(s->s); i++) {
            json_t *out = NULL;
            for (uint32_t k = 0; k < truce_issue_option_count(s->s, i) && k < 100000; k++)
                if (truce_party_option_allowed(s->s, st->party, i, k) == 0) {
                    char label[512];
                    truce_issue_option_label(s->s, i, k, label, sizeof label);
                    if (!out)
                        out = json_array();
                    json_array_append_new(out, json_string(label));
                }
            if (out)
                json_object_set_new(forbidden, truce_issue_name(s->s, i), out);
        }
    }
    int has_profile = st->party != (size_t)-1;
    return json_pack(
        "{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:o}", "seat", (json_int_t)st->index, "party",
        party_label(s, st), "label",
        st->party == (size_t)-1 ? "mediator" : truce_party_label(s->s, st->party), "role",
        roles[st->role], "batna",
        has_profile ? serve_real(truce_party_reservation_at(s->s, st->party, t)) : json_null(),
        "discount", has_profile ? serve_real(truce_party_discount(s->s, st->party)) : json_null(),
        "hard_conditions", hard, "forbidden", forbidden, "has_profile", has_profile, "name",
        st->name ? json_string(st->name) : json_null());
}

/* Party p's swing weights: each issue's share of the utility range the issue
 * alone spans (the largest minus the smallest utility over its options, the
 * other issues held), which for additive preferences does not depend on the
 * others' options and, when every issue's values run from 0 to 1, are its
 * weights. Null for preferences that are not additive (no issue weights). */
static json_t *swing_weights(const session *s, size_t p)
{
    size_t ni = truce_scenario_issue_count(s->s);
    if (truce_party_profile_kind(s->s, p) != TRUCE_PROFILE_LINEAR || ni == 0)
        return json_null();
    uint32_t *o = calloc(ni, sizeof *o);
    double *span = calloc(ni, sizeof *span);
    double total = 0;
    for (size_t i = 0; o && span && i < ni; i++) {
        double lo = INFINITY, hi = -INFINITY;
        for (uint32_t k = 0; k < truce_issue_option_count(s->s, i) && k < 100000; k++) {
            o[i] = k;
            double u = truce_utility(s->s, p, o);
            lo = u < lo ? u : lo;
            hi = u > hi ? u : hi;
        }
        o[i] = 0;
        span[i] = hi > lo ? hi - lo : 0;
        total += span[i];
    }
    json_t *j = json_null();
    if (o && span && total > 0) {
        j = json_object();
        for (size_t i = 0; i < ni; i++)
            json_object_set_new(j, truce_issue_name(s->s, i), json_real(span[i] / total));
    }
    free(o);
    free(span);
    return j;
}

/* What the seat is shown of every other party's preferences: its issue
 * weights and its BATNA at time t, as far as the seat may see them; NULL
 * when it sees neither. */
static json_t *others_json(const session *s, const seat *st, double t)
{
    int weights = seat_sees(st, REVEAL_WEIGHTS), batnas = seat_sees(st, REVEAL_RESERVATIONS);
    if (!weights && !batnas)
        return NULL;
    json_t *list = json_array();
    for (size_t p = 0; p < truce_scenario_party_count(s->s); p++) {
        if (st && p == st->party)
            continue;
        json_t *j = json_pack("{s:s,s:s}", "party", truce_party_name(s->s, p), "label",
                              truce_party_label(s->s, p));
        if (weights)
            json_object_set_new(j, "weights", swing_weights(s, p));
        if (batnas)
            json_object_set_new(j, "batna", serve_real(truce_party_reservation_at(s->s, p, t)));
        json_array_append_new(list, j);
    }
    return list;
}

/* Issues, parties and channels: what everybody at the table may know. */
static json_t *table_json(const session *s)
{
    json_t *issues = json_array();
    for (size_t i = 0; i < truce_scenario_issue_count(s->s); i++) {
        json_t *options = json_array();
        for (uint32_t k = 0; k < truce_issue_option_count(s->s, i) && k < 100000; k++) {
            char label[512];
            truce_issue_option_label(s->s, i, k, label, sizeof label);
            json_array_append_new(options, json_string(label));
        }
        json_array_append_new(
            issues, json_pack("{s:s,s:o}", "name", truce_issue_name(s->s, i), "options", options));
    }
    json_t *parties = json_array();
    size_t np = truce_scenario_party_count(s->s);
    for (size_t p = 0; p < np; p++) {
        int role = truce_party_role(s->s, p);
        json_array_append_new(parties, json_pack("{s:s,s:s,s:s}", "name", truce_party_name(s->s, p),
                                                 "label", truce_party_label(s->s, p), "role",
                                                 role >= 0 && role <= 2 ? roles[role] : "?"));
    }
    json_t *channels = json_array();
    int neutral = s->mediator_seat >= 0 && s->seats[s->mediator_seat].party == (size_t)-1;
    for (size_t a = 0; a < np; a++) {
        for (size_t b = a + 1; b < np; b++)
            if (truce_channel(s->s, a, b))
                json_array_append_new(channels, json_pack("[s,s]", truce_party_name(s->s, a),
                                                          truce_party_name(s->s, b)));
        if (neutral && truce_party_role(s->s, a) == TRUCE_ROLE_PRINCIPAL)
            json_array_append_new(channels,
                                  json_pack("[s,s]", "mediator", truce_party_name(s->s, a)));
    }
    return json_pack("{s:s,s:o,s:o,s:o,s:o}", "name", truce_scenario_name(s->s), "issues", issues,
                     "parties", parties, "channels", channels, "channel_windows",
                     serve_channel_windows(s->s));
}

json_t *view_state(session *s, const seat *st, size_t after, int full)
{
    double now = serve_now();
    json_t *deadline = json_object();
    if (s->protocol == PROTOCOL_MEDIATION) {
        json_object_set_new(deadline, "iterations", json_integer(s->iterations));
        if (s->seconds > 0)
            json_object_set_new(deadline, "minutes", json_real(s->seconds / 60));
    } else if (s->rounds)
        json_object_set_new(deadline, "rounds", json_integer((json_int_t)s->rounds));
    else
        json_object_set_new(deadline, "minutes", json_real(s->seconds / 60));
    if (s->status == STATUS_RUNNING && s->deadline_at > 0)
        json_object_set_new(deadline, "seconds_left",
                            json_real(s->deadline_at > now ? s->deadline_at - now : 0));
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:f,s:b,s:b,s:o}", "version",
                          (json_int_t)s->version, "id", s->id, "protocol",
                          s->protocol == PROTOCOL_MEDIATION ? "mediation" : "negotiation", "status",
                          statuses[s->status], "scenario", s->e->id, "scenario_name",
                          truce_scenario_name(s->s), "deadline", deadline, "seat_timeout",
                          s->seat_timeout, "reveal_all", seat_sees(st, REVEAL_UTILITIES), "debrief",
                          s->debrief, "seats", seats_json(s, now));
    json_object_set_new(j, "reveal", reveal_json(st ? st->reveal : REVEAL_ALL));
    if (s->experiment)
        json_object_set_new(j, "experiment", json_string(s->experiment));
    double t = talks_time(s, now);
    json_object_set_new(j, "you", st ? you_json(s, st, t) : json_null());
    json_object_set_new(j, "observer", json_boolean(st == NULL));
    if (s->waiting != WAIT_NONE && s->waiting_seat >= 0) {
        /* an answer on its way is no longer awaited from the person */
        int answered = s->seats[s->waiting_seat].has_action;
        int yours = st && (long)st->index == s->waiting_seat && !answered;
        json_t *w =
            json_pack("{s:I,s:s,s:s,s:b,s:f}", "seat", (json_int_t)s->waiting_seat, "party",
                      party_label(s, &s->seats[s->waiting_seat]), "what", waits[s->waiting],
                      "yours", yours, "timeout_in", s->waiting_since + s->seat_timeout - now);
        if ((yours || !st) && s->turn)
            json_object_set(w, "details", s->turn);
        if (answered)
            json_object_set_new(w, "answered", json_true());
        json_object_set_new(j, "waiting", w);
    } else {
        json_object_set_new(j, "waiting", json_null());
    }
    json_t *events = json_array();
    size_t n = json_array_size(s->events);
    for (size_t k = after; k < n; k++) {
        json_t *e = json_array_get(s->events, k);
        if (hears(s, st, e)) {
            json_t *shown = redact(s, st, e);
            json_object_set_new(shown, "seq", json_integer((json_int_t)k));
            json_array_append_new(events, shown);
        }
    }
    json_object_set_new(j, "events", events);
    json_object_set_new(j, "events_total", json_integer((json_int_t)n));
    if (s->summary) {
        if (s->debrief || seat_sees(st, REVEAL_UTILITIES)) {
            json_object_set(j, "summary", s->summary);
        } else {
            /* without a debrief a person learns the outcome and its own lot */
            json_t *mine = json_deep_copy(s->summary);
            json_t *parties = json_object_get(mine, "parties");
            for (size_t k = json_array_size(parties); k-- > 0;) {
                const char *p =
                    json_string_value(json_object_get(json_array_get(parties, k), "party"));
                if (!p || strcmp(p, party_label(s, st)))
                    json_array_remove(parties, k);
            }
            json_object_del(mine, "evaluation");
            json_object_set_new(j, "summary", mine);
        }
    }
    if (s->cancelled)
        json_object_set_new(j, "cancelled", json_string(s->cancel_reason));
    if (full) {
        json_object_set_new(j, "table", table_json(s));
        if (st)
            json_object_set_new(j, "ideal", ideal_json(s, st->party));
        json_t *others = others_json(s, st, t);
        if (others)
            json_object_set_new(j, "others", others);
    }
    return j;
}

json_t *view_evaluate(session *s, const seat *st, const json_t *outcome, char *why, size_t size)
{
    size_t ni = truce_scenario_issue_count(s->s), np = truce_scenario_party_count(s->s);
    uint32_t *o = calloc(ni ? ni : 1, sizeof *o);
    if (!o) {
        snprintf(why, size, "out of memory");
        return NULL;
    }
    if (outcome_json_read(s->s, outcome, o, 0, why, size)) {
        free(o);
        return NULL;
    }
    json_t *j = json_object();
    size_t party = st ? st->party : (size_t)-1;
    if (party != (size_t)-1) {
        json_object_set_new(j, "utility", serve_real(truce_utility(s->s, party, o)));
        json_object_set_new(j, "vetoed", serve_vetoed(s->s, party, o));
        size_t total = 0;
        for (size_t i = 0; i < ni; i++)
            total += truce_issue_option_count(s->s, i);
        if (total <= MAX_OPTION_HINTS) {
            /* the utility of the offer with each option in turn: the live
             * hint beside every choice */
            json_t *hints = json_object();
            for (size_t i = 0; i < ni; i++) {
                json_t *row = json_array();
                uint32_t keep = o[i];
                for (uint32_t k = 0; k < truce_issue_option_count(s->s, i); k++) {
                    o[i] = k;
                    json_array_append_new(row, serve_real(truce_utility(s->s, party, o)));
                }
                o[i] = keep;
                json_object_set_new(hints, truce_issue_name(s->s, i), row);
            }
            json_object_set_new(j, "options", hints);
        }
    } else {
        json_object_set_new(j, "utility", json_null());
    }
    if (seat_sees(st, REVEAL_UTILITIES)) {
        json_t *all = json_object();
        for (size_t p = 0; p < np; p++)
            json_object_set_new(all, truce_party_name(s->s, p),
                                serve_real(truce_utility(s->s, p, o)));
        json_object_set_new(j, "utilities", all);
        json_t *broken = json_array();
        for (size_t p = 0; p < np; p++) {
            json_t *v = serve_vetoed(s->s, p, o);
            if (json_is_object(v)) {
                json_object_set_new(v, "party", json_string(truce_party_name(s->s, p)));
                json_array_append_new(broken, v);
            } else {
                json_decref(v);
            }
        }
        json_object_set_new(j, "broken", broken);
    }
    free(o);
    return j;
}

/* ---- the summary ---- */

/* truce evaluate's evaluation of a deal, under the server's budget, as the
 * scenario's analysis (catalog.c). */
static json_t *evaluation(const session *se, const uint32_t *outcome, double t)
{
    const truce_scenario *s = se->s;
    truce_check_options co = TRUCE_CHECK_OPTIONS_INIT;
    co.time = t;
    co.max_outcomes = se->srv->o.max_outcomes;
    co.max_nodes = se->srv->o.max_outcomes;
    char *text = NULL;
    truce_error err;
    json_t *j = NULL;
    if (truce_evaluate(&text, s, outcome, &co, &err) == 0)
        j = json_loads(text, 0, NULL);
    truce_free(text);
    return j ? j : json_pack("{s:s}", "error", err.message);
}

static json_t *party_row(session *s, size_t party, double utility, double undiscounted, double t,
                         int agreement)
{
    size_t k = seat_count_of(s, party);
    double batna = truce_party_reservation_at(s->s, party, t);
    int role = truce_party_role(s->s, party);
    json_t *row = json_pack(
        "{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "party", truce_party_name(s->s, party), "label",
        truce_party_label(s->s, party), "role", role >= 0 && role <= 2 ? roles[role] : "?",
        "utility", serve_real(utility), "utility_undiscounted", serve_real(undiscounted), "batna",
        serve_real(batna), "margin", agreement ? serve_real(undiscounted - batna) : json_null());
    if (k != (size_t)-1) {
        json_object_set_new(row, "seat", json_integer((json_int_t)k));
        json_object_set_new(row, "kind",
                            json_string(s->seats[k].kind == SEAT_PERSON ? "person" : "agent"));
        if (s->seats[k].agent_name)
            json_object_set_new(row, "agent", json_string(s->seats[k].agent_name));
    }
    return row;
}

json_t *view_summary(session *s)
{
    truce_negotiation *ng = s->negotiation;
    int agreement = truce_negotiation_agreement(ng);
    const uint32_t *outcome = truce_negotiation_outcome(ng);
    double t = truce_negotiation_time(ng);
    json_t *parties = json_array();
    for (size_t k = 0; k < truce_negotiation_seat_count(ng); k++)
        json_array_append_new(parties, party_row(s, truce_negotiation_seat_party(ng, k),
                                                 truce_negotiation_utility(ng, k),
                                                 truce_negotiation_utility_undiscounted(ng, k), t,
                                                 agreement));
    long fault = truce_negotiation_fault(ng);
    json_t *j = json_pack(
        "{s:s,s:b,s:o,s:I,s:f,s:o,s:o,s:o,s:o,s:o}", "end", truce_negotiation_end_reason(ng),
        "agreement", agreement, "outcome",
        agreement ? serve_outcome_json(s->s, outcome) : json_null(), "rounds",
        (json_int_t)truce_negotiation_rounds(ng), "time", t, "parties", parties, "pareto_distance",
        serve_real(truce_negotiation_pareto_distance(ng)), "nash_distance",
        serve_real(truce_negotiation_nash_distance(ng)), "fault",
        fault >= 0
            ? json_string(truce_party_name(s->s, truce_negotiation_seat_party(ng, (size_t)fault)))
            : json_null(),
        "fault_message",
        fault >= 0 ? json_string(truce_negotiation_fault_message(ng)) : json_null());
    json_object_set_new(j, "evaluation", agreement ? evaluation(s, outcome, t) : json_null());
    return j;
}

/* Distance of the bargainers' utilities of an outcome to the nearest point
 * of the analysis's frontier (over the bargainers), or NaN. */
static double pareto_distance(session *s, const uint32_t *outcome)
{
    char why[256];
    const truce_analysis *an = entry_analysis(s->e, &s->srv->o, why, sizeof why);
    if (!an || !truce_analysis_pareto_size(an))
        return NAN;
    size_t nb = truce_scenario_bargainer_count(s->s);
    double best = INFINITY;
    for (size_t k = 0; k < truce_analysis_pareto_size(an); k++) {
        const double *pt = truce_analysis_pareto_point(an, k);
        double d = 0;
        for (size_t b = 0; b < nb; b++) {
            size_t p = (size_t)truce_scenario_bargainer(s->s, b);
            double x = truce_utility(s->s, p, outcome) - pt[p];
            d += x * x;
        }
        best = d < best ? d : best;
    }
    return sqrt(best);
}

json_t *view_summary_mediation(session *s, const truce_mediation *m)
{
    int agreement = truce_mediation_agreement(m);
    const uint32_t *draft = truce_mediation_draft(m);
    uint32_t iterations = truce_mediation_iterations(m);
    double t = iterations ? (double)(iterations - 1) / s->iterations : 0;
    json_t *parties = json_array();
    for (size_t p = 0; p < truce_scenario_party_count(s->s); p++) {
        double u = truce_mediation_utility(m, p);
        json_array_append_new(parties, party_row(s, p, u, u, t, agreement));
    }
    long fault = truce_mediation_fault(m);
    json_t *j =
        json_pack("{s:s,s:s,s:b,s:o,s:o,s:I,s:f,s:o,s:o,s:o,s:o}", "end", truce_mediation_end(m),
                  "reason", truce_mediation_reason(m), "agreement", agreement, "outcome",
                  agreement ? serve_outcome_json(s->s, draft) : json_null(), "last_draft",
                  serve_outcome_json(s->s, draft), "rounds", (json_int_t)iterations, "time", t,
                  "parties", parties, "pareto_distance", serve_real(pareto_distance(s, draft)),
                  "nash_distance", serve_real(truce_mediation_nash_distance(m)), "fault",
                  fault >= 0 ? json_string(truce_party_name(s->s, (size_t)fault)) : json_null());
    json_object_set_new(j, "evaluation", evaluation(s, draft, t));
    return j;
}

const char *view_plot(session *s, size_t k, size_t *count)
{
    *count = 0;
    if (s->status != STATUS_ENDED || !s->n_records)
        return NULL;
    if (!s->report_done) {
        s->report_done = 1;
        char why[256];
        const truce_analysis *an = entry_analysis(s->e, &s->srv->o, why, sizeof why);
        truce_report_options ro = TRUCE_REPORT_OPTIONS_INIT;
        ro.max_pairs = 3;
        truce_error err;
        if (truce_report_create(&s->report, &ro, &err) == 0 &&
            truce_report_add_trace(s->report, s->trace_path, s->s, an, &err)) {
            truce_report_free(s->report);
            s->report = NULL;
        }
    }
    *count = truce_report_figure_count(s->report);
    return truce_report_figure_svg(s->report, k);
}
