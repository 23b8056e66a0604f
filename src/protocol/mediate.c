/* mediate.c: mediated talks under the single negotiating text procedure
 * (Fisher's one-text procedure, as at Camp David): a mediator holds a draft,
 * shuttles it along channels to the principals, stakeholders send amendments
 * to the principals they influence, principals accept, object or veto, and
 * the mediator revises. Every message goes through send(), which refuses
 * pairs without a channel. See docs/mediation.md. */
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analysis/decision.h"
#include "../core/constraint.h"
#include "../core/channels.h"
#include "../core/error.h"
#include "../core/hard.h"
#include "../core/rng.h"
#include "../core/scenario.h"
#include "../core/utf8.h"
#include "../io/report.h"
#include "../protocol/space.h"
#include "mediate_agenda.h"

#define NEUTRAL ((size_t)-1)
/* what a principal said of a draft's value against its BATNA (uninformed memory) */
#define SAID_NOTHING 0
#define SAID_ABOVE 1
#define SAID_BELOW 2
#define SAID_ACCEPT 3 /* it accepted the draft */

typedef struct proposal {
    uint32_t issue, option;
    double gain; /* the proposer's own gain, as it reports it */
    int veto;    /* the draft violates the proposer's hard condition here */
    size_t by;   /* principal who sent it to the mediator */
    long origin; /* stakeholder it came from, or -1 */
} proposal;

struct truce_mediation {
    const truce_scenario *s;
    truce_mediation_options o;
    size_t n, ni;
    size_t mediator; /* NEUTRAL for an added neutral mediator */
    size_t *principals;
    size_t np;
    uint32_t *draft;
    uint64_t n_outcomes; /* 0 when too large to enumerate */
    double *best;        /* per party: best utility within its hard conditions */
    double **seen;       /* per principal: its utility of each past draft */
    uint32_t *below;     /* per principal: drafts in a row at or below its BATNA */
    /* the uninformed mediator's memory, per principal (index k of
     * principals) and option slot (option_offset[i] + option): */
    unsigned char *forbid; /* a veto showed the option breaks k's hard condition */
    double *loss;          /* k's loss on that clause against its best option, as
                              learned from its reported gains (NAN: not heard) */
    double *loss_cap;      /* an upper bound on that loss (INFINITY: none) */
    uint32_t *drafts;      /* every draft sent, iteration by iteration */
    unsigned char *said;   /* per iteration and principal: SAID_* */
    uint64_t messages;     /* messages delivered (drafts, amendments, answers) */
    int concluded;         /* the uninformed mediator concluded that no zone exists */
    uint32_t iterations;
    int agreement;
    const char *end;
    char reason[700];
    double nash_distance;
    double *nash; /* principals' Nash utilities, or NULL */
    json_t *history;
    truce_error *err;
    rng r;
    rng noise_r; /* the responders' noise (options v4 `noise`), apart from the mediator's draws */
    /* principals answering through agents (truce_mediation_options.agents) */
    truce_space *space;
    truce_agent_spec *agents; /* per party; cls NULL for the built-in responder */
    void **agent_state;       /* per party, NULL without an agent */
    uint32_t *proposed;       /* scratch for an agent's review */
    double *proposed_gain;
    long fault;
    double started; /* the deadline's clock when the talks started (max_seconds > 0) */
    /* channels over time (docs/mediation.md#channels-over-time): the time of
     * the current iteration, at which every message is sent, and the route of
     * the draft from the mediator to each party at that time (prev of a
     * breadth-first search through mediators; NULL for the neutral mediator) */
    double now;
    size_t *route, *route_queue, *hops;
    /* the uninformed mediator's check of what it hears (docs/mediation.md,
     * "Claims that cannot be true"): per principal, the answers whose own
     * gains add up to more than any utility can lose */
    uint32_t *inflated;
    /* the uninformed mediator's probes (docs/mediation.md, "Probing a
     * tolerance"): the text a probe left, to which the next revision returns */
    uint32_t *home;
    int probing;
    uint32_t probes;
    /* --agenda follow|package (options v5): the drafting order; NULL when ignored */
    med_agenda *agenda;
    /* the uninformed mediator puts this iteration's draft to a binding vote
     * (docs/mediation.md, "The final text"): every principal signs it or the
     * talks end without agreement */
    int final_text;
    /* per issue: 1 + the iteration whose revision granted it to keep a
     * principal at the table (keep_at_table), 0 when none did */
    uint32_t *kept;
};

/* A principal's agent failed: the talks end with it at fault. */
#define AGENT_FAULT 1
/* The deadline in seconds passed: the talks end without agreement. */
#define DEADLINE_PASSED 2

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double clock_now(const truce_mediation *m)
{
    return m->o.clock ? m->o.clock(m->o.clock_payload) : monotonic_seconds();
}

/* Seconds since the talks started, by the deadline's clock. */
static double elapsed(const truce_mediation *m)
{
    return clock_now(m) - m->started;
}

/* The relative time of iteration `it`: by iterations, or by the clock when a
 * deadline in seconds has gone further. */
static double time_of(const truce_mediation *m, uint32_t it)
{
    double t = (double)it / m->o.max_iterations;
    if (m->o.max_seconds > 0) {
        double c = elapsed(m) / m->o.max_seconds;
        t = c > t ? (c < 1 ? c : 1) : t;
    }
    return t;
}

/* When the deadline in seconds has passed: the talks end ("deadline") and
 * DEADLINE_PASSED is returned; else 0. */
static int deadline_passed(truce_mediation *m, uint32_t it, const char *waiting)
{
    if (!(m->o.max_seconds > 0) || elapsed(m) < m->o.max_seconds)
        return 0;
    m->end = "deadline";
    snprintf(m->reason, sizeof m->reason,
             "the deadline of %g s passed in iteration %u (%s) before every principal accepted",
             m->o.max_seconds, it + 1, waiting);
    return DEADLINE_PASSED;
}

static const char *strategy_name(int strategy)
{
    return strategy == TRUCE_MEDIATOR_INFORMED     ? "informed"
           : strategy == TRUCE_MEDIATOR_UNINFORMED ? "uninformed"
                                                   : "external";
}

static const char *name_of(const truce_mediation *m, size_t p)
{
    return p == NEUTRAL ? "mediator" : m->s->parties[p].name;
}

static double util(const truce_mediation *m, size_t p, const uint32_t *o)
{
    return party_utility(m->s, &m->s->parties[p], o);
}

static double reservation(const truce_mediation *m, size_t p, double t)
{
    return party_reservation_at(&m->s->parties[p], t);
}

/* Whether influence f reaches its principal: a declared channel between them (open at some
 * time; any pair when the scenario declares none) and a weight above 0. */
static int influence_reaches(const truce_mediation *m, const influence *in)
{
    return in->weight > 0 && truce_channel(m->s, in->stakeholder, in->principal);
}

/* Principal p's own utility of o plus the weighted utilities of the stakeholders influencing
 * it, sum w_s u_s(o): the part of how it values o that depends on o (valued() below). */
static double blended(const truce_mediation *m, size_t p, const uint32_t *o)
{
    double v = util(m, p, o);
    for (size_t f = 0; f < m->s->n_influence; f++) {
        const influence *in = &m->s->influences[f];
        if (in->principal == p && influence_reaches(m, in))
            v += in->weight * util(m, in->stakeholder, o);
    }
    return v;
}

/* Whether any stakeholder's influence reaches principal p. */
static int influenced(const truce_mediation *m, size_t p)
{
    for (size_t f = 0; f < m->s->n_influence; f++)
        if (m->s->influences[f].principal == p && influence_reaches(m, &m->s->influences[f]))
            return 1;
    return 0;
}

/* sum w_s r_s(t) over the stakeholders influencing p: 0 without influence. */
static double influence_shift(const truce_mediation *m, size_t p, double t)
{
    double shift = 0;
    for (size_t f = 0; f < m->s->n_influence; f++) {
        const influence *in = &m->s->influences[f];
        if (in->principal == p && influence_reaches(m, in))
            shift += in->weight * reservation(m, in->stakeholder, t);
    }
    return shift;
}

/* How principal p values outcome o at time t (docs/mediation.md, "Stakeholder influence"): its
 * own utility plus, for each stakeholder influencing it, the influence weight times that
 * stakeholder's gain over its own reservation value: u_p + sum w_s (u_s - r_s(t)). A change of
 * the draft is then worth own gain + w x the stakeholder's gain, as an amendment is weighed,
 * and a deal beats p's BATNA when its own gain plus the weighted gains exceed 0. Exactly u_p
 * without influence (blended is u_p and the shift 0). */
static double valued(const truce_mediation *m, size_t p, const uint32_t *o, double t)
{
    return blended(m, p, o) - influence_shift(m, p, t);
}

/* A record on the trace (none when tracing is off). Takes the record. */
static int emit(truce_mediation *m, json_t *record)
{
    int rc = 0;
    if (m->o.trace) {
        char *text =
            json_dumps(record, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        if (!text)
            rc = error_nomem(m->err);
        else if (m->o.trace(text, strlen(text), m->o.trace_payload))
            rc = error_set(m->err, TRUCE_EIO, NULL, 0, "trace", "the trace callback failed");
        free(text);
    }
    json_decref(record);
    return rc;
}

/* The only way a message travels: along a channel open at the time of the
 * iteration, or from/to the added neutral mediator (which has a channel to
 * every principal). */
static int send(truce_mediation *m, size_t from, size_t to, json_t *record)
{
    if (from != NEUTRAL && to != NEUTRAL && !truce_channel_open(m->s, from, to, m->now)) {
        json_decref(record);
        return error_set(m->err, TRUCE_EINVAL, NULL, 0, "channels",
                         "no channel between %s and %s: the message cannot be delivered",
                         name_of(m, from), name_of(m, to));
    }
    json_object_set_new(record, "from", json_string(name_of(m, from)));
    json_object_set_new(record, "to", json_string(name_of(m, to)));
    m->messages++;
    return emit(m, record);
}

/* A hop of a relayed message: a mediator passes the draft (or an answer) on
 * to the next party of the route. */
static int relay(truce_mediation *m, size_t from, size_t to, const char *carries, size_t principal,
                 const json_t *record)
{
    json_t *rec = json_pack("{s:s,s:s,s:O,s:s}", "type", "relay", "carries", carries, "iteration",
                            json_object_get(record, "iteration"), "for", name_of(m, principal));
    return rec ? send(m, from, to, rec) : TRUCE_ENOMEM;
}

/* Channels over time (docs/mediation.md#channels-over-time): the draft
 * travels from the lead mediator to principal p along m->route, the
 * shortest route through mediators of channels open at the iteration's time:
 * "relay" records for the hops between mediators, then the "draft" record
 * from the mediator that carries it, named in "carried_by" when it is not the
 * lead. Takes the record. */
static int send_route(truce_mediation *m, size_t p, json_t *record)
{
    if (m->mediator == NEUTRAL)
        return send(m, m->mediator, p, record);
    size_t *hops = m->hops, n = 0;
    for (size_t x = p; x != m->mediator; x = m->route[x])
        hops[n++] = x;
    int rc = 0;
    size_t from = m->mediator;
    while (--n > 0 && rc == 0) {
        rc = relay(m, from, hops[n], "draft", p, record);
        from = hops[n];
    }
    if (rc) {
        json_decref(record);
        return rc;
    }
    if (from != m->mediator)
        json_object_set_new(record, "carried_by", json_string(name_of(m, from)));
    return send(m, from, p, record);
}

/* A principal's answer goes back to the lead mediator along the same route:
 * the "answer" record to the mediator next to it, then "relay" hops. */
static int send_back(truce_mediation *m, size_t p, json_t *record)
{
    if (m->mediator == NEUTRAL)
        return send(m, p, m->mediator, record);
    json_t *keep = json_incref(record);
    int rc = send(m, p, m->route[p], record);
    for (size_t x = m->route[p]; x != m->mediator && rc == 0; x = m->route[x])
        rc = relay(m, x, m->route[x], "answer", p, keep);
    json_decref(keep);
    return rc;
}

static const char *label_of(const truce_mediation *m, size_t i, uint32_t k, char *buf, size_t size)
{
    truce_issue_option_label(m->s, i, k, buf, size);
    return buf;
}

static void decode(const truce_mediation *m, uint64_t x, uint32_t *o)
{
    for (size_t i = 0; i < m->ni; i++) {
        o[i] = (uint32_t)(x % m->s->issues[i].n_options);
        x /= m->s->issues[i].n_options;
    }
}

/* ---- targets of the informed mediator ---- */

static int respects_all(const truce_mediation *m, const uint32_t *o)
{
    for (size_t k = 0; k < m->np; k++)
        if (party_violates(&m->s->parties[m->principals[k]], o) >= 0)
            return 0;
    return !m->s->n_constraints || constraint_first_broken(m->s, o) < 0;
}

/* Whether the informed mediator may target o: within every principal's hard
 * conditions (unanimity), or decided under the scenario's rule
 * (docs/analysis.md#decision-rules): the principals that accept o satisfy it
 * and every ratifier accepts o. */
static int acceptable(const truce_mediation *m, const uint32_t *o, double t, unsigned char *accepts)
{
    if (!scenario_has_rule(m->s))
        return respects_all(m, o);
    return scenario_decided(m->s, o, t, accepts) == 1;
}

/* Score of an outcome as a target: Nash product of gains over reservation
 * values, each raised to its principal's bargaining power (the asymmetric
 * Nash product; or the KS ratio when `ideal` is given) for the principals, blended
 * with the mediator's own utility. A principal's gain is how it values the
 * outcome (valued(): stakeholders' influence included) over its reservation
 * value. Returns -inf when not individually rational (on its own utility, as
 * every command defines it) or when a principal values it no more than its
 * BATNA. */
static double target_score(const truce_mediation *m, const uint32_t *o, double t,
                           const double *ideal)
{
    double score = ideal ? INFINITY : 0;
    for (size_t k = 0; k < m->np; k++) {
        size_t p = m->principals[k];
        if (m->s->decision_rule != TRUCE_DECISION_UNANIMITY && !m->s->decider[p])
            continue; /* outvotable: counted through the rule (find_target) */
        double r = reservation(m, p, t), g = valued(m, p, o, t) - r;
        if (!(g > 0) || !(util(m, p, o) > r)) /* the same as g alone without influence */
            return -INFINITY;
        if (ideal) {
            double ratio = g / (ideal[k] - reservation(m, p, t));
            score = ratio < score ? ratio : score;
        } else {
            score += party_power(&m->s->parties[p]) * log(g);
        }
    }
    if (ideal)
        score = log(score);
    if (m->mediator != NEUTRAL && m->o.mediator_interest > 0)
        score = (1 - m->o.mediator_interest) * score +
                m->o.mediator_interest * log(util(m, m->mediator, o) + 1e-12);
    return score;
}

/* The outcome the informed mediator steers to at time t: the target point
 * among outcomes every principal's hard conditions allow and above every
 * reservation value; failing that, the one with the largest product of
 * utilities among those the hard conditions allow (someone will refuse it:
 * the talks then show who and why). */
static int find_target(truce_mediation *m, double t, uint32_t *target)
{
    uint32_t *o = malloc(m->ni * sizeof *o);
    double *ideal = calloc(m->np, sizeof *ideal);
    unsigned char *accepts = calloc(m->n ? m->n : 1, 1);
    if (!o || !ideal || !accepts) {
        free(o);
        free(ideal);
        free(accepts);
        return TRUCE_ENOMEM;
    }
    int ks = m->o.target == TRUCE_SOLUTION_KALAI_SMORODINSKY;
    if (ks)
        for (uint64_t x = 0; x < m->n_outcomes; x++) {
            decode(m, x, o);
            if (!acceptable(m, o, t, accepts) || target_score(m, o, t, NULL) == -INFINITY)
                continue;
            for (size_t k = 0; k < m->np; k++) {
                double u = valued(m, m->principals[k], o, t);
                if (u > ideal[k])
                    ideal[k] = u;
            }
        }
    double best = -INFINITY, fallback = -INFINITY;
    int found = 0, any = 0;
    for (uint64_t x = 0; x < m->n_outcomes; x++) {
        decode(m, x, o);
        int ok = acceptable(m, o, t, accepts);
        double sc = ok ? target_score(m, o, t, ks ? ideal : NULL) : -INFINITY;
        if (sc > best) {
            best = sc;
            memcpy(target, o, m->ni * sizeof *o);
            found = 1;
        }
        if (!found && (ok || !any)) {
            double prod = 0;
            for (size_t k = 0; k < m->np; k++)
                prod += log(util(m, m->principals[k], o) + 1e-12);
            if (prod > fallback || (ok && !any)) {
                fallback = prod;
                memcpy(target, o, m->ni * sizeof *o);
            }
            any |= ok;
        }
    }
    free(o);
    free(ideal);
    free(accepts);
    return 0;
}

/* ---- answers ---- */

/* The best single-clause change of the draft for party p on issue i, and
 * its gain (0 and the current option when nothing is better). */
static double best_change(const truce_mediation *m, size_t p, uint32_t *draft, size_t i,
                          uint32_t *option)
{
    uint32_t keep = draft[i];
    double base = util(m, p, draft), best = 0;
    *option = keep;
    for (uint32_t k = 0; k < m->s->issues[i].n_options; k++) {
        if (k == keep)
            continue;
        draft[i] = k;
        double g = util(m, p, draft) - base;
        if (g > best + 1e-12) {
            best = g;
            *option = k;
        }
    }
    draft[i] = keep;
    return best;
}

static int compare_gain(const void *pa, const void *pb)
{
    const proposal *a = pa, *b = pb;
    if (a->veto != b->veto)
        return a->veto ? -1 : 1;
    if (a->gain != b->gain)
        return a->gain > b->gain ? -1 : 1;
    return a->issue < b->issue ? -1 : a->issue > b->issue;
}

/* The responders' strategies (truce_responder_strategy): a strategic one
 * both exaggerates and anchors. */
static int exaggerates(const truce_mediation *m)
{
    return m->o.responder == TRUCE_RESPONDER_STRATEGIC ||
           m->o.responder == TRUCE_RESPONDER_EXAGGERATE;
}

static int anchors(const truce_mediation *m)
{
    return m->o.responder == TRUCE_RESPONDER_STRATEGIC || m->o.responder == TRUCE_RESPONDER_ANCHOR;
}

/* Amendments a stakeholder sends to a principal: its most valuable clause
 * changes (all of them when anchoring). */
static size_t stakeholder_amendments(truce_mediation *m, size_t st, proposal *out)
{
    size_t n = 0;
    for (size_t i = 0; i < m->ni; i++) {
        uint32_t opt;
        double g = best_change(m, st, m->draft, i, &opt);
        if (g > 0)
            out[n++] = (proposal){(uint32_t)i, opt, g, 0, 0, (long)st};
    }
    qsort(out, n, sizeof *out, compare_gain);
    size_t limit = anchors(m) ? n : m->o.max_objections;
    return n < limit ? n : limit;
}

/* A principal's aspiration: from its best utility down to its reservation
 * value over the talks (slower when anchoring: it holds out). */
static double aspiration(const truce_mediation *m, size_t p, double t)
{
    double r = reservation(m, p, t), b = m->best[p] - influence_shift(m, p, t);
    double f = anchors(m) ? 1 - t * t : 1 - t;
    return r + (b - r) * (f < 0 ? 0 : f);
}

typedef struct answer {
    int accept, walk_away, veto;
    int below;   /* it says the draft is no better than its BATNA */
    int unheard; /* out of reach at this iteration: no channel route carried the draft */
    proposal *objections;
    size_t n_objections;
} answer;

/* A rule across issues the draft breaks (docs/scenario-format.md#constraint-
 * expressions): the one-clause change that satisfies it and is best for p,
 * as a veto objection; none when no single change does. */
static void rule_objection(truce_mediation *m, size_t p, const expr_rule *rule, answer *ans)
{
    uint32_t *draft = m->draft, best_issue = 0, best_opt = 0;
    double best_u = -INFINITY;
    for (uint32_t j = 0; j < rule->n_issues; j++) {
        uint32_t i = rule->issues[j], keep = draft[i];
        for (uint32_t k = 0; k < m->s->issues[i].n_options; k++) {
            draft[i] = k;
            if (expr_holds(rule->root, draft)) {
                double v = util(m, p, draft);
                if (v > best_u)
                    best_u = v, best_issue = i, best_opt = k;
            }
        }
        draft[i] = keep;
    }
    if (best_u > -INFINITY)
        ans->objections[ans->n_objections++] = (proposal){best_issue, best_opt, 1, 1, p, -1};
}

/* Vetoes: the clauses of hard condition `vetoed` the draft breaks, each
 * with the allowed option best for p. */
static void veto_objections(truce_mediation *m, size_t p, int vetoed, answer *ans)
{
    const condition *h = &m->s->parties[p].hard[vetoed];
    uint32_t *draft = m->draft;
    if (h->rule && !expr_holds(h->rule->root, draft))
        rule_objection(m, p, h->rule, ans);
    for (uint32_t c = 0; c < h->n_clauses; c++) {
        uint32_t i = h->clauses[c].issue;
        if (h->clauses[c].allowed[draft[i]])
            continue;
        uint32_t best_opt = 0;
        double best_u = -INFINITY, keep = draft[i];
        for (uint32_t k = 0; k < m->s->issues[i].n_options; k++) {
            if (!h->clauses[c].allowed[k])
                continue;
            draft[i] = k;
            double v = util(m, p, draft);
            if (v > best_u) {
                best_u = v;
                best_opt = k;
            }
        }
        draft[i] = (uint32_t)keep;
        ans->objections[ans->n_objections++] = (proposal){i, best_opt, 1, 1, p, -1};
    }
    /* one objection per clause: an adopted amendment on a vetoed clause
     * gives way to the veto */
    size_t kept = 0;
    for (size_t q = 0; q < ans->n_objections; q++) {
        int covered = 0;
        for (size_t v = 0; v < ans->n_objections && !ans->objections[q].veto && !covered; v++)
            covered =
                ans->objections[v].veto && ans->objections[v].issue == ans->objections[q].issue;
        if (!covered)
            ans->objections[kept++] = ans->objections[q];
    }
    ans->n_objections = kept;
}

/* A principal's answer through its agent's review callback: accept, walk
 * away, or object to the clauses it writes (a draft breaking its hard
 * condition is vetoed besides). Returns AGENT_FAULT when the agent fails or
 * accepts a draft its own party vetoes. */
static int agent_answer(truce_mediation *m, size_t p, uint32_t it, double t, int vetoed,
                        answer *ans)
{
    const truce_agent_class *cls = m->agents[p].cls;
    double u = util(m, p, m->draft);
    truce_draft d = {it, t, m->draft, u, reservation(m, p, t), vetoed >= 0};
    memcpy(m->proposed, m->draft, m->ni * sizeof *m->proposed);
    for (size_t i = 0; i < m->ni; i++)
        m->proposed_gain[i] = 0;
    truce_review r = {TRUCE_REVIEW_OBJECT, m->proposed, m->proposed_gain};
    int rc = cls->review(m->agent_state[p], &d, &r, cls->payload);
    if (rc || (r.kind != TRUCE_REVIEW_ACCEPT && r.kind != TRUCE_REVIEW_OBJECT &&
               r.kind != TRUCE_REVIEW_WALK_AWAY)) {
        const char *why =
            cls->fault_message ? cls->fault_message(m->agent_state[p], cls->payload) : NULL;
        m->fault = (long)p;
        m->end = "fault";
        snprintf(m->reason, sizeof m->reason, "the agent of %s failed: %s", name_of(m, p),
                 why && *why ? why
                 : rc        ? truce_strerror(rc)
                             : "unknown review answer");
        utf8_repair(m->reason); /* any bytes an agent said, cut anywhere: JSON must take it */
        return AGENT_FAULT;
    }
    if (r.kind == TRUCE_REVIEW_ACCEPT && vetoed >= 0) {
        char why[500];
        hard_broken(m->s, &m->s->parties[p], vetoed, m->draft, why, sizeof why);
        m->fault = (long)p;
        m->end = "fault";
        snprintf(m->reason, sizeof m->reason,
                 "the agent of %s accepted a draft that breaks %s's own hard condition %s",
                 name_of(m, p), name_of(m, p), why);
        utf8_repair(m->reason); /* long names cut to the buffer may split a character */
        return AGENT_FAULT;
    }
    if (r.kind == TRUCE_REVIEW_WALK_AWAY) {
        ans->walk_away = 1;
        ans->n_objections = 0;
        return 0;
    }
    if (r.kind == TRUCE_REVIEW_ACCEPT) {
        ans->accept = 1;
        ans->n_objections = 0;
        return 0;
    }
    if (vetoed >= 0)
        veto_objections(m, p, vetoed, ans);
    size_t first_own = ans->n_objections;
    for (size_t i = 0; i < m->ni; i++) {
        if (m->proposed[i] == m->draft[i] || m->proposed[i] >= m->s->issues[i].n_options)
            continue;
        int taken = 0;
        for (size_t q = 0; q < first_own && !taken; q++)
            taken = ans->objections[q].issue == i;
        if (taken)
            continue;
        double gain = m->proposed_gain[i];
        if (!(gain > 0)) {
            uint32_t keep = m->draft[i];
            m->draft[i] = m->proposed[i];
            gain = util(m, p, m->draft) - u;
            m->draft[i] = keep;
        }
        ans->objections[ans->n_objections++] =
            (proposal){(uint32_t)i, m->proposed[i], gain, 0, p, -1};
    }
    qsort(ans->objections + first_own, ans->n_objections - first_own, sizeof *ans->objections,
          compare_gain);
    if (ans->n_objections - first_own > m->o.max_objections)
        ans->n_objections = first_own + m->o.max_objections;
    return 0;
}

/* One principal's turn: receive amendments from the stakeholders that
 * influence it, weigh them, and answer the mediator. */
static int principal_turn(truce_mediation *m, size_t p, uint32_t it, double t, answer *ans,
                          proposal *scratch)
{
    const party *pt = &m->s->parties[p];
    uint32_t *draft = m->draft;
    /* its BATNA is beaten on its own utility u (the zone of every command); what it holds out
     * for (its aspiration) is measured on how it values the draft, influence included */
    double u = util(m, p, draft), worth = valued(m, p, draft, t), r = reservation(m, p, t);
    int rc;
    ans->n_objections = 0;
    ans->accept = ans->walk_away = 0;
    /* a truthful principal says whether the draft beats its BATNA (not by
     * how much); a strategic one says it does not whenever it objects */
    ans->below = u <= r;
    int vetoed = party_violates(pt, draft);
    /* a coalition under unanimity accepts only what every member accepts
     * (docs/scenario-format.md#coalitions): a member's refusal is the bloc's objection */
    int members_refuse = pt->is_coalition && pt->coalition_rule == TRUCE_COALITION_UNANIMITY &&
                         !coalition_members_accept(m->s, pt, draft, t);
    ans->below |= members_refuse;
    ans->veto = vetoed;
    /* a scenario constraint the draft breaks binds every principal */
    long impossible = m->s->n_constraints ? constraint_first_broken(m->s, draft) : -1;
    json_t *adopted = json_array(), *rejected = json_array();
    proposal *obj = ans->objections;
    /* stakeholders first: amendments along channels, weighed by influence */
    for (size_t f = 0; f < m->s->n_influence; f++) {
        const influence *in = &m->s->influences[f];
        if (in->principal != p || !truce_channel_open(m->s, in->stakeholder, p, m->now))
            continue;
        size_t na = stakeholder_amendments(m, in->stakeholder, scratch);
        for (size_t k = 0; k < na; k++) {
            proposal *a = &scratch[k];
            char lb[512];
            json_t *rec =
                json_pack("{s:s,s:I,s:s,s:s,s:f}", "type", "amendment", "iteration", (json_int_t)it,
                          "issue", m->s->issues[a->issue].name, "option",
                          label_of(m, a->issue, a->option, lb, sizeof lb), "gain", a->gain);
            if ((rc = send(m, in->stakeholder, p, rec))) {
                json_decref(adopted);
                json_decref(rejected);
                return rc;
            }
            /* influence-weighted value: own gain plus weight x stakeholder's */
            uint32_t keep = draft[a->issue];
            draft[a->issue] = a->option;
            double own = util(m, p, draft) - u;
            int breaks_own = party_violates(pt, draft) >= 0 && vetoed < 0;
            draft[a->issue] = keep;
            double value = own + in->weight * a->gain;
            json_t *entry = json_pack("{s:s,s:s,s:s,s:f,s:f}", "from", name_of(m, in->stakeholder),
                                      "issue", m->s->issues[a->issue].name, "option",
                                      label_of(m, a->issue, a->option, lb, sizeof lb), "value",
                                      value, "own_gain", own);
            if (value > 0 && !breaks_own) {
                json_array_append_new(adopted, entry);
                obj[ans->n_objections++] =
                    (proposal){a->issue, a->option, value, 0, p, (long)in->stakeholder};
            } else {
                json_array_append_new(rejected, entry);
            }
        }
    }
    /* walk away: at or below its BATNA on this draft and the `patience`
     * before it, and no better off than `patience` drafts ago (a draft that
     * has just fallen below its BATNA gets `patience` revisions to recover) */
    m->below[p] = u <= r ? m->below[p] + 1 : 0;
    if (m->agent_state && m->agent_state[p]) {
        if ((rc = agent_answer(m, p, it, t, vetoed, ans))) {
            json_decref(adopted);
            json_decref(rejected);
            return rc;
        }
    } else if (m->below[p] > m->o.patience && !(u > m->seen[p][it - m->o.patience] + 1e-9)) {
        ans->walk_away = 1;
    }
    /* an answer that comes after the deadline is too late */
    if ((rc = deadline_passed(m, it, "waiting for an answer"))) {
        json_decref(adopted);
        json_decref(rejected);
        return rc;
    }
    if (m->agent_state && m->agent_state[p]) {
        /* answered above */
    } else if (ans->walk_away) {
        ans->n_objections = 0;
    } else if (vetoed < 0 && impossible < 0 && !members_refuse && u > r &&
               (m->final_text || worth >= aspiration(m, p, t) - 1e-12)) {
        /* a final text beating its BATNA is signed whatever it claimed or held out for:
         * refusing it leaves it its BATNA (signs_final_text) */
        ans->accept = 1;
        ans->n_objections = 0;
    } else {
        if (vetoed >= 0)
            veto_objections(m, p, vetoed, ans);
        if (impossible >= 0)
            rule_objection(m, p, &m->s->constraints[impossible].rule, ans);
        /* the clauses that cost it most, proposing its best option */
        size_t first_own = ans->n_objections;
        for (size_t i = 0; i < m->ni; i++) {
            uint32_t opt;
            double g;
            if (anchors(m)) {
                /* anchoring: its ideal option (reported as vital when it
                 * also exaggerates) */
                uint32_t keep = draft[i];
                opt = keep;
                double bestv = -INFINITY;
                for (uint32_t k = 0; k < m->s->issues[i].n_options; k++) {
                    draft[i] = k;
                    double v = util(m, p, draft);
                    if (v > bestv + 1e-12) {
                        bestv = v;
                        opt = k;
                    }
                }
                draft[i] = keep;
                g = opt == keep ? 0 : exaggerates(m) ? 1 : bestv - u;
            } else {
                g = best_change(m, p, draft, i, &opt);
                if (exaggerates(m) && g > 0)
                    g = 1; /* exaggeration: every objection vital */
            }
            /* one objection per clause: a veto or an adopted amendment
             * already speaks for it */
            int taken = 0;
            for (size_t q = 0; q < first_own && !taken; q++)
                taken = obj[q].issue == i;
            if (g > 0 && !taken) {
                /* noise when asked: the gain it reports, not the option it asks for */
                if (m->o.noise > 0)
                    g *= 1 + m->o.noise * (2 * rng_uniform(&m->noise_r) - 1);
                obj[ans->n_objections++] = (proposal){(uint32_t)i, opt, g, 0, p, -1};
            }
        }
        qsort(obj + first_own, ans->n_objections - first_own, sizeof *obj, compare_gain);
        size_t limit = anchors(m) ? m->o.max_objections + 2 : m->o.max_objections;
        size_t own = ans->n_objections - first_own;
        if (own > limit)
            ans->n_objections = first_own + limit;
        if (exaggerates(m))
            ans->below = 1;
    }
    json_t *objections = json_array();
    for (size_t k = 0; k < ans->n_objections; k++) {
        char lb[512], cur[512];
        json_t *oj = json_pack(
            "{s:s,s:s,s:s,s:f,s:s}", "issue", m->s->issues[obj[k].issue].name, "draft",
            label_of(m, obj[k].issue, draft[obj[k].issue], cur, sizeof cur), "proposed",
            label_of(m, obj[k].issue, obj[k].option, lb, sizeof lb), "gain", obj[k].gain, "reason",
            obj[k].veto          ? "veto: hard condition"
            : obj[k].origin >= 0 ? "amendment"
                                 : "cost");
        if (obj[k].origin >= 0)
            json_object_set_new(oj, "amendment_from",
                                json_string(name_of(m, (size_t)obj[k].origin)));
        json_array_append_new(objections, oj);
    }
    json_t *rec =
        json_pack("{s:s,s:I,s:s,s:f,s:f,s:b,s:o,s:o,s:o,s:o}", "type", "answer", "iteration",
                  (json_int_t)it, "answer",
                  ans->walk_away ? "walk-away"
                  : ans->accept  ? "accept"
                                 : "object",
                  "utility", u, "reservation", r, "beats_batna", !ans->below, "veto",
                  vetoed >= 0 ? json_string(pt->hard[vetoed].id) : json_null(), "objections",
                  objections, "adopted_amendments", adopted, "rejected_amendments", rejected);
    if (influenced(m, p)) /* only then: traces without influence stay as they were */
        json_object_set_new(rec, "valued", json_real(worth));
    json_t *copy = json_deep_copy(rec);
    json_object_set_new(copy, "from", json_string(name_of(m, p)));
    json_array_append_new(json_object_get(json_array_get(m->history, it), "answers"), copy);
    return send_back(m, p, rec);
}

/* ---- revisions ---- */

/* Change the draft clause i to option k, recording who proposed it. */
static void change(truce_mediation *m, json_t *changes, size_t i, uint32_t k, const proposal *all,
                   size_t n_all, const char *why)
{
    char from[512], to[512];
    json_t *by = json_array();
    for (size_t q = 0; q < n_all; q++)
        if (all[q].issue == i && all[q].option == k) {
            /* each party once, though it asked twice (its own objection and
             * a stakeholder's amendment it carried) */
            const char *names[2] = {name_of(m, all[q].by),
                                    all[q].origin >= 0 ? name_of(m, (size_t)all[q].origin) : NULL};
            for (int n = 0; n < 2 && names[n]; n++) {
                int listed = 0;
                for (size_t b = 0; b < json_array_size(by) && !listed; b++)
                    listed = !strcmp(json_string_value(json_array_get(by, b)), names[n]);
                if (!listed)
                    json_array_append_new(by, json_string(names[n]));
            }
        }
    json_array_append_new(changes, json_pack("{s:s,s:s,s:s,s:o,s:s}", "issue", m->s->issues[i].name,
                                             "from", label_of(m, i, m->draft[i], from, sizeof from),
                                             "to", label_of(m, i, k, to, sizeof to), "proposed_by",
                                             by, "why", why));
    m->draft[i] = k;
}

/* --agenda package (docs/mediation.md, "The agenda"): every open, unsettled package goes to the
 * target's options as a whole, in this one revision (one move of the round's two). Returns the
 * number of moves made. */
static size_t package_toward_target(truce_mediation *m, const uint32_t *target,
                                    const proposal *all, size_t n_all, json_t *changes)
{
    size_t moves = 0;
    for (size_t g = 0; g < med_agenda_stages(m->agenda) && moves < 2; g++) {
        size_t n = 0, changed = 0;
        const uint32_t *issues = med_agenda_package(m->agenda, g, &n);
        for (size_t q = 0; q < n; q++)
            if (m->draft[issues[q]] != target[issues[q]]) {
                change(m, changes, issues[q], target[issues[q]], all, n_all,
                       "package toward the target point");
                changed = 1;
            }
        moves += changed;
    }
    return moves;
}

static void revise_informed(truce_mediation *m, const uint32_t *target, const proposal *all,
                            size_t n_all, json_t *changes)
{
    /* move at most two clauses a round toward the target, objected ones first (a package of
     * the agenda counting as one) */
    size_t moved = package_toward_target(m, target, all, n_all, changes);
    for (int pass = 0; pass < 2 && moved < 2; pass++)
        for (size_t i = 0; i < m->ni && moved < 2; i++) {
            if (m->draft[i] == target[i] || med_agenda_frozen(m->agenda, i))
                continue;
            int objected = 0;
            for (size_t q = 0; q < n_all; q++)
                objected |= all[q].issue == i;
            if (pass == 0 && !objected)
                continue;
            change(m, changes, i, target[i], all, n_all, "toward the target point");
            moved++;
        }
}

/* ---- the uninformed mediator: what it learns, how it searches ---- */

/* The one-text procedure with a mediator that learns from what it hears
 * (docs/mediation.md, "Uninformed"). Per principal it keeps: the options a
 * veto showed to break the principal's hard condition (a condition is a
 * conjunction of clauses, so such an option breaks it whatever the other
 * clauses say); the loss on each clause against the principal's best option,
 * from the gains it reports (an objection proposing b against the draft's a
 * with gain g says loss(a) = loss(b) + g, and a truthful objection proposes
 * the best option, loss 0); upper bounds on the loss of the clauses it did
 * not object to; and, draft by draft, whether it said the draft beats its
 * BATNA. From these it estimates each principal's loss on every draft and
 * the loss it tolerates, and searches the options nobody has ruled out,
 * middle options and two-clause packages included, for the draft with the
 * largest product of estimated slacks (tolerated loss minus loss): the Nash
 * point of its estimates. */

/* Loss assumed tolerable beyond the worst draft a principal said beats its
 * BATNA, until it says one does not. */
#define SLACK_UNKNOWN 0.15
/* More loss assumed tolerable per draft in a row a principal accepted. */
#define ACCEPT_SLACK 0.02

static size_t slot_of(const truce_mediation *m, size_t i, uint32_t k)
{
    return m->s->option_offset[i] + k;
}

static int forbidden(const truce_mediation *m, size_t i, uint32_t k)
{
    for (size_t q = 0; q < m->np; q++)
        if (m->forbid[q * m->s->total_options + slot_of(m, i, k)])
            return 1;
    return 0;
}

/* Claims that cannot be true: a principal's own objections to one draft
 * (not vetoes, not amendments it carries) each report the gain of one
 * clause change, and for additive utilities in [0, 1] (the scenario
 * format's linear profiles with weights summing to at most 1) these gains
 * add up to at most what the draft costs it against its ideal, at most 1.
 * An answer whose gains add up to more exaggerates (docs/mediation.md,
 * "Claims that cannot be true"). */
static int claims_inflated(const answer *a)
{
    double sum = 0;
    for (size_t q = 0; q < a->n_objections; q++)
        if (!a->objections[q].veto && a->objections[q].origin < 0 && a->objections[q].gain > 0)
            sum += a->objections[q].gain;
    return sum > 1 + 1e-9;
}

/* Learn from the principals' answers to the draft of iteration `it`. */
static void learn(truce_mediation *m, uint32_t it, const answer *answers)
{
    size_t total = m->s->total_options;
    const uint32_t *d = m->draft;
    for (size_t k = 0; k < m->np; k++) {
        const answer *a = &answers[k];
        if (a->unheard) /* out of reach: it said nothing */
            continue;
        m->said[(size_t)it * m->np + k] = a->accept  ? SAID_ACCEPT
                                          : a->below ? SAID_BELOW
                                                     : SAID_ABOVE;
        if (a->accept || a->walk_away)
            continue;
        double *loss = m->loss + k * total, *cap = m->loss_cap + k * total;
        size_t own = 0;
        double smallest = INFINITY;
        m->inflated[k] += claims_inflated(a);
        for (size_t q = 0; q < a->n_objections; q++) {
            const proposal *o = &a->objections[q];
            if (o->veto) {
                m->forbid[k * total + slot_of(m, o->issue, d[o->issue])] = 1;
                continue;
            }
            size_t to = slot_of(m, o->issue, o->option);
            if (o->origin < 0) { /* its own: the best option for it */
                own++;
                smallest = o->gain < smallest ? o->gain : smallest;
                loss[to] = 0;
            }
            loss[slot_of(m, o->issue, d[o->issue])] = (isnan(loss[to]) ? 0 : loss[to]) + o->gain;
        }
        /* the clauses it left alone cost it less than its smallest
         * objection, or nothing when it had objections to spare */
        for (size_t i = 0; i < m->ni; i++) {
            int objected = 0;
            for (size_t q = 0; q < a->n_objections && !objected; q++)
                objected = a->objections[q].issue == i;
            size_t at = slot_of(m, i, d[i]);
            if (objected)
                continue;
            if (own < m->o.max_objections)
                loss[at] = 0;
            else if (smallest < cap[at])
                cap[at] = smallest;
        }
    }
}

/* Principal k's estimated loss on option o of issue i: what it reported;
 * else interpolated between the nearest reported options on either side in
 * the order the options are written (the middle options); else no
 * different from the text's option
 * (`typical`, its average reported loss, when that is all that is known) -
 * or half that for a principal that has just said the text is no better
 * than its BATNA: the untried options are where the mediator looks for what
 * it has not said. Never above a known upper bound. */
static double estimate(const truce_mediation *m, size_t k, size_t i, uint32_t o, double typical,
                       int hopeful)
{
    size_t base = k * m->s->total_options + m->s->option_offset[i];
    const double *loss = m->loss + base, *cap = m->loss_cap + base;
    if (!isnan(loss[o]))
        return loss[o];
    long n = (long)m->s->issues[i].n_options, lo = -1, hi = -1;
    for (long j = (long)o - 1; j >= 0 && lo < 0; j--)
        if (!isnan(loss[j]))
            lo = j;
    for (long j = (long)o + 1; j < n && hi < 0; j++)
        if (!isnan(loss[j]))
            hi = j;
    double e;
    uint32_t now = m->draft[i];
    if (lo >= 0 && hi >= 0)
        e = loss[lo] + (loss[hi] - loss[lo]) * (double)((long)o - lo) / (double)(hi - lo);
    else if (o != now && !isnan(loss[now]) && loss[now] > 0)
        e = loss[now] * (hopeful ? 0.5 : 1);
    else if (o == now)
        e = cap[now] < typical ? cap[now] : typical;
    else
        e = (cap[now] < typical ? cap[now] : typical) * (hopeful ? 0.25 : 0.5);
    e = e < 0 ? 0 : e > 1 ? 1 : e;
    return e < cap[o] ? e : cap[o];
}

typedef struct search {
    double *est;           /* per principal and slot: estimated loss */
    double *loss;          /* per principal: estimated loss of the current text */
    double *tolerated;     /* per principal: estimated loss it tolerates */
    double *urgency;       /* per principal: 1 + drafts in a row it said were below its BATNA */
    double *trial;         /* per principal: scratch */
    unsigned char *moved;  /* per issue: changed in this revision */
    double *above, *below; /* per principal: its tolerance's bracket (-1, INFINITY: open) */
    unsigned char *distress; /* per principal: DISTRESSED, RELIEVED or 0 (relieve_distress) */
} search;

/* Nash product of the estimated slacks (log), each raised to its principal's
 * bargaining power (public, like the roles), or, when some principal's
 * estimated loss reaches what it tolerates, a score below every such
 * product that grows as the shortfalls shrink, each weighed by how long that
 * principal has been below its BATNA (who has waited longest is helped
 * first: it is the first to walk away). */
static double slack_score(const truce_mediation *m, const search *sr, const double *loss)
{
    double score = 0, shortfall = 0;
    for (size_t k = 0; k < m->np; k++) {
        double slack = sr->tolerated[k] - loss[k];
        if (slack > 1e-12)
            score += party_power(&m->s->parties[m->principals[k]]) * log(slack);
        else
            shortfall += (slack - 1e-12) * sr->urgency[k];
    }
    return shortfall < 0 ? -1e6 + 1e3 * shortfall : score;
}

/* Principal losses of the text `o` with clause i at option a (and j at b,
 * when j < ni) instead. */
static double try_move(const truce_mediation *m, const search *sr, const uint32_t *o, size_t i,
                       uint32_t a, size_t j, uint32_t b)
{
    size_t total = m->s->total_options;
    for (size_t k = 0; k < m->np; k++) {
        const double *e = sr->est + k * total;
        double l = sr->loss[k] - e[slot_of(m, i, o[i])] + e[slot_of(m, i, a)];
        if (j < m->ni)
            l += e[slot_of(m, j, b)] - e[slot_of(m, j, o[j])];
        sr->trial[k] = l;
    }
    return slack_score(m, sr, sr->trial);
}

/* Why the mediator moves clause i to option k: someone asked for it, it
 * lies between the text and an option someone asked for, or nobody has
 * ruled it out yet. */
static const char *why_option(const truce_mediation *m, size_t i, uint32_t k, const proposal *all,
                              size_t n_all)
{
    int between = 0;
    for (size_t q = 0; q < n_all; q++) {
        if (all[q].issue != i)
            continue;
        if (all[q].option == k)
            return "answers an objection";
        uint32_t lo = all[q].option < m->draft[i] ? all[q].option : m->draft[i];
        uint32_t hi = all[q].option < m->draft[i] ? m->draft[i] : all[q].option;
        between |= lo < k && k < hi;
    }
    return between ? "middle option" : "option not yet ruled out";
}

/* Keep the better of two candidates; equal scores are broken at random by
 * the mediation's seed (reservoir sampling over the ties). */
static int better(truce_mediation *m, double score, double *best, size_t *ties)
{
    if (score > *best + 1e-12) {
        *best = score;
        *ties = 1;
        return 1;
    }
    if (score >= *best - 1e-12 && *best > -INFINITY)
        return rng_below(&m->r, ++*ties) == 0;
    return 0;
}

/* Set the estimates for this revision: losses per slot, the text's losses,
 * and the losses each principal tolerates. */
static void estimate_all(truce_mediation *m, uint32_t it, const search *sr)
{
    size_t total = m->s->total_options;
    for (size_t k = 0; k < m->np; k++) {
        const double *loss = m->loss + k * total;
        double sum = 0;
        size_t n = 0;
        for (size_t x = 0; x < total; x++)
            if (loss[x] > 0) {
                sum += loss[x];
                n++;
            }
        double typical = n ? sum / (double)n : 0;
        for (size_t i = 0; i < m->ni; i++)
            for (uint32_t o = 0; o < m->s->issues[i].n_options; o++)
                sr->est[k * total + slot_of(m, i, o)] =
                    estimate(m, k, i, o, typical, m->said[(size_t)it * m->np + k] == SAID_BELOW);
        /* it tolerates less than the loss of any draft it said was no better
         * than its BATNA, and at least the loss of those it said beat it;
         * where the estimates contradict each other (they are estimates, and
         * BATNAs move with time) the later answer wins */
        double below = INFINITY, above = -1;
        uint32_t accepts = 0;
        for (uint32_t j = 0; j <= it; j++) {
            double l = 0;
            for (size_t i = 0; i < m->ni; i++)
                l += sr->est[k * total + slot_of(m, i, m->drafts[(size_t)j * m->ni + i])];
            unsigned char said = m->said[(size_t)j * m->np + k];
            if (said == SAID_BELOW && l < below) {
                below = l;
                above = above < below ? above : -1;
            }
            /* one that accepts could give more, the more so the longer it
             * has accepted while others still object */
            accepts = said == SAID_ACCEPT ? accepts + 1 : 0;
            l += ACCEPT_SLACK * accepts;
            if ((said == SAID_ABOVE || said == SAID_ACCEPT) && l > above) {
                above = l;
                below = below > above ? below : INFINITY;
            }
        }
        sr->tolerated[k] = below == INFINITY ? (above < 0 ? 0 : above) + SLACK_UNKNOWN
                           : above < 0       ? below
                                             : (above + below) / 2;
        sr->above[k] = above;
        sr->below[k] = below;
        sr->urgency[k] = 1;
        for (uint32_t j = it + 1; j-- > 0 && m->said[(size_t)j * m->np + k] == SAID_BELOW;)
            sr->urgency[k] += 1;
        double l = 0;
        for (size_t i = 0; i < m->ni; i++)
            l += sr->est[k * total + slot_of(m, i, m->draft[i])];
        sr->loss[k] = l;
    }
}

/* When every option of some issue breaks a principal's hard condition (as
 * vetoes showed), no draft can respect them all: write the evidence to the
 * reason and return 1. */
static int no_feasible_option(truce_mediation *m)
{
    for (size_t i = 0; i < m->ni; i++) {
        uint32_t n = m->s->issues[i].n_options, k;
        for (k = 0; k < n && forbidden(m, i, k); k++)
            ;
        if (k < n)
            continue;
        size_t used = (size_t)snprintf(m->reason, sizeof m->reason,
                                       "the mediator concludes that there is no zone of "
                                       "agreement: vetoes ruled out every option of '%s' (",
                                       m->s->issues[i].name);
        for (k = 0; k < n && used < sizeof m->reason; k++) {
            char label[128];
            size_t q = 0;
            while (!m->forbid[q * m->s->total_options + slot_of(m, i, k)])
                q++;
            used += (size_t)snprintf(m->reason + used, sizeof m->reason - used, "%s%s by %s",
                                     k ? ", " : "", label_of(m, i, k, label, sizeof label),
                                     name_of(m, m->principals[q]));
        }
        if (used < sizeof m->reason)
            snprintf(m->reason + used, sizeof m->reason - used, ")");
        return 1;
    }
    return 0;
}

/* Whether principal k's answer `a` to draft d shows that d's option on
 * issue i is the best for k among the options no veto ruled out. k must have
 * had objections to spare (one that used them all may have had more to ask
 * for); then either it raised none on i (no other option of i is better for
 * it), or its reported losses on i are known for every option not ruled out
 * and each is strictly above the draft's (equal losses, like the flat gains
 * a strategic principal reports, prove nothing). */
static int best_allowed_clause(const truce_mediation *m, size_t k, const answer *a, size_t i)
{
    const uint32_t *d = m->draft;
    size_t own = 0;
    int objected = 0;
    for (size_t q = 0; q < a->n_objections; q++) {
        own += !a->objections[q].veto && a->objections[q].origin < 0;
        objected |= a->objections[q].issue == i;
    }
    if (own >= m->o.max_objections)
        return 0; /* it may have had more to ask for than it could say */
    if (!objected)
        return 1;
    const double *loss = m->loss + k * m->s->total_options;
    double here = loss[slot_of(m, i, d[i])];
    if (isnan(here))
        return 0;
    for (uint32_t o = 0; o < m->s->issues[i].n_options; o++)
        if (o != d[i] && !forbidden(m, i, o) && !(loss[slot_of(m, i, o)] > here + 1e-12))
            return 0; /* NAN (not heard) or better: it may do better there */
    return 1;
}

/* When a principal says the draft is no better than its BATNA although, by
 * what it has said, no draft the vetoes allow is better for it (the draft's
 * option is its best allowed one on every issue), no draft beats every
 * BATNA: write the evidence to the reason and return 1 (docs/mediation.md,
 * "Uninformed"). */
static int no_zone_by_batna(truce_mediation *m, uint32_t it, const answer *answers)
{
    for (size_t k = 0; k < m->np; k++) {
        const answer *a = &answers[k];
        if (a->unheard || a->accept || a->walk_away || !a->below || a->veto >= 0)
            continue;
        /* a coalition under unanimity also says "below" for a member that refuses,
         * whose wishes its objections do not show: no conclusion from it */
        const party *pt = &m->s->parties[m->principals[k]];
        if (pt->is_coalition && pt->coalition_rule == TRUCE_COALITION_UNANIMITY)
            continue;
        /* nor from one whose claims could not be true (claims_inflated) */
        if (m->inflated[k])
            continue;
        /* said of this same text `patience` times in a row (a claim is cheap,
         * and BATNAs move) */
        uint32_t row = 0;
        for (uint32_t j = it + 1;
             j-- > 0 && m->said[(size_t)j * m->np + k] == SAID_BELOW &&
             !memcmp(m->drafts + (size_t)j * m->ni, m->draft, m->ni * sizeof *m->draft);)
            row++;
        if (row < (m->o.patience ? m->o.patience : 1))
            continue;
        size_t i;
        for (i = 0; i < m->ni && best_allowed_clause(m, k, a, i); i++)
            ;
        if (i < m->ni)
            continue;
        size_t used = (size_t)snprintf(
            m->reason, sizeof m->reason,
            "the mediator concludes that there is no zone of agreement: %s said the draft is no "
            "better than its BATNA, and by its answers no draft the vetoes allow is better for it",
            name_of(m, m->principals[k]));
        /* the options it would rather have, and who ruled them out */
        const double *loss = m->loss + k * m->s->total_options;
        int listed = 0;
        for (i = 0; i < m->ni && used < sizeof m->reason; i++) {
            double here = loss[slot_of(m, i, m->draft[i])];
            for (uint32_t o = 0; o < m->s->issues[i].n_options && used < sizeof m->reason; o++) {
                if (o == m->draft[i] || !(loss[slot_of(m, i, o)] < here))
                    continue;
                size_t q = 0;
                while (q < m->np && !m->forbid[q * m->s->total_options + slot_of(m, i, o)])
                    q++;
                char label[128];
                used += (size_t)snprintf(
                    m->reason + used, sizeof m->reason - used, "%s%s = %s by %s",
                    listed++ ? ", " : " (better for it but vetoed: ", m->s->issues[i].name,
                    label_of(m, i, o, label, sizeof label),
                    q < m->np ? name_of(m, m->principals[q]) : "?");
            }
        }
        if (listed && used < sizeof m->reason)
            snprintf(m->reason + used, sizeof m->reason - used, ")");
        utf8_repair(m->reason);
        return 1;
    }
    return 0;
}

/* Probing a tolerance (docs/mediation.md, "Probing a tolerance"): when a
 * revision leaves the text as it was (the mediator waits for the principals
 * to concede), the iteration is spent on a question instead. The principal
 * whose tolerance lies in the widest bracket [highest loss it said beats its
 * BATNA, lowest loss it said does not], if wider than PROBE_WIDTH, gets the
 * one- or two-clause change of the text whose loss for it, from losses it
 * reported (no guessed option), is nearest the bracket's middle, strictly
 * inside the bracket (elsewhere its answer is known); among equally near ones the best for the
 * estimated Nash product. Its answer halves the bracket (bisection); the next revision returns to
 * the text. At most PROBE_MAX probes, in the first PROBE_BEFORE of the iterations. */
#define PROBE_WIDTH 0.2
#define PROBE_MAX 3
#define PROBE_BEFORE 0.5

/* Which principal to probe (np: none), and the loss to probe at. */
static size_t probe_target(const truce_mediation *m, const search *sr, double *mid)
{
    size_t kk = m->np;
    double wide = PROBE_WIDTH;
    for (size_t k = 0; k < m->np; k++)
        if (sr->above[k] >= 0 && sr->below[k] < INFINITY && sr->below[k] - sr->above[k] > wide) {
            wide = sr->below[k] - sr->above[k];
            kk = k;
        }
    if (kk < m->np)
        *mid = (sr->above[kk] + sr->below[kk]) / 2;
    return kk;
}

static void probe_tolerance(truce_mediation *m, uint32_t it, search *sr, const proposal *all,
                            size_t n_all, json_t *changes)
{
    if (json_array_size(changes) || m->probes >= PROBE_MAX ||
        (double)it >= PROBE_BEFORE * m->o.max_iterations)
        return;
    double mid = 0;
    size_t kk = probe_target(m, sr, &mid);
    if (kk == m->np)
        return;
    size_t total = m->s->total_options;
    const double *e = sr->est + kk * total, *heard = m->loss + kk * total;
    const uint32_t *d = m->draft;
    double bestd = INFINITY, bests = -INFINITY;
    size_t bi = m->ni, bj = m->ni;
    uint32_t ba = 0, bb = 0;
    /* j == ni: the single change of clause i; j > i: the package (i, j) */
    for (size_t i = 0; i < m->ni; i++)
        for (uint32_t a = 0; a < m->s->issues[i].n_options; a++) {
            if (a == d[i] || forbidden(m, i, a) || isnan(heard[slot_of(m, i, a)]))
                continue;
            for (size_t j = i + 1; j <= m->ni; j++) {
                uint32_t nb = j == m->ni ? 1 : m->s->issues[j].n_options;
                for (uint32_t b = 0; b < nb; b++) {
                    if (j < m->ni &&
                        (b == d[j] || forbidden(m, j, b) || isnan(heard[slot_of(m, j, b)])))
                        continue;
                    double l = sr->loss[kk] - e[slot_of(m, i, d[i])] + e[slot_of(m, i, a)];
                    if (j < m->ni)
                        l += e[slot_of(m, j, b)] - e[slot_of(m, j, d[j])];
                    if (l <= sr->above[kk] + 1e-9 || l >= sr->below[kk] - 1e-9)
                        continue; /* outside the bracket: its answer is known */
                    double dist = fabs(l - mid), sc = try_move(m, sr, d, i, a, j, b);
                    if (dist < bestd - 1e-9 || (dist < bestd + 1e-9 && sc > bests)) {
                        bestd = dist;
                        bests = sc;
                        bi = i;
                        ba = a;
                        bj = j;
                        bb = b;
                    }
                }
            }
        }
    if (bi == m->ni)
        return;
    memcpy(m->home, m->draft, m->ni * sizeof *m->draft);
    m->probing = 1;
    m->probes++;
    change(m, changes, bi, ba, all, n_all, "probe");
    if (bj < m->ni)
        change(m, changes, bj, bb, all, n_all, "probe");
}

/* A principal near walking away (docs/mediation.md, "Relieving a principal
 * near walking away"): it has said the text is no better than its BATNA on
 * the last DISTRESS_AFTER drafts in a row, and a principal below its BATNA
 * for `patience` drafts without progress walks away. The search's moves
 * weigh its shortfall by estimates, which for options it never spoke of are
 * guesses, so a revision can keep taking from it what the estimates say it
 * will not miss. When the revision gives it nothing that, by its own
 * reports, costs it less, the mediator grants it the clause change or
 * two-clause package that does, best for the estimated Nash product (even
 * when the estimates say the product falls); for up to DISTRESS_RELIEFS such
 * principals a revision, those below longest first. */
#define DISTRESS_AFTER 2
#define DISTRESS_RELIEFS 2
#define DISTRESSED 1
#define RELIEVED 2

/* Principal k's loss on option o of issue i as its reports support it: the
 * loss it reported, or interpolated between the nearest reported options on
 * either side (a middle option); NAN when it never spoke of the option. */
static double supported_loss(const truce_mediation *m, size_t k, size_t i, uint32_t o)
{
    const double *loss = m->loss + k * m->s->total_options + m->s->option_offset[i];
    if (!isnan(loss[o]))
        return loss[o];
    long lo = -1, hi = -1, n = (long)m->s->issues[i].n_options;
    for (long j = (long)o - 1; j >= 0 && lo < 0; j--)
        if (!isnan(loss[j]))
            lo = j;
    for (long j = (long)o + 1; j < n && hi < 0; j++)
        if (!isnan(loss[j]))
            hi = j;
    if (lo < 0 || hi < 0)
        return NAN;
    return loss[lo] + (loss[hi] - loss[lo]) * (double)((long)o - lo) / (double)(hi - lo);
}

/* Whether moving clause i to a (and, when j < ni, clause j to b) costs a
 * principal relieved earlier in this revision more by its own reports: two
 * reliefs that take from each other cancel out (on two issues, north's clause
 * for south's, and each is worse off again). */
static int hurts_relieved(const truce_mediation *m, const search *sr, size_t kk, size_t i,
                          uint32_t a, size_t j, uint32_t b)
{
    const uint32_t *d = m->draft;
    for (size_t q = 0; q < m->np; q++) {
        if (q == kk || sr->distress[q] != RELIEVED)
            continue;
        double g = supported_loss(m, q, i, a) - supported_loss(m, q, i, d[i]);
        if (j < m->ni)
            g += supported_loss(m, q, j, b) - supported_loss(m, q, j, d[j]);
        if (g > 1e-9) /* NAN (an option it never spoke of) compares false */
            return 1;
    }
    return 0;
}

/* Grant principal kk a move that costs it less, unless the revision so far
 * already does (the changes against the draft it answered, by its reports;
 * an option it never spoke of counts as nothing known), and that costs no
 * principal relieved before it in this revision more (hurts_relieved). */
static void relieve_one(truce_mediation *m, uint32_t it, search *sr, size_t kk,
                        const proposal *all, size_t n_all, json_t *changes)
{
    const uint32_t *sent = m->drafts + (size_t)it * m->ni, *d = m->draft;
    double delta = 0;
    for (size_t i = 0; i < m->ni; i++)
        if (d[i] != sent[i])
            delta += supported_loss(m, kk, i, d[i]) - supported_loss(m, kk, i, sent[i]);
    if (delta < -1e-9)
        return; /* it gets something (NAN compares false) */
    double best = -INFINITY;
    size_t ties = 0, bi = m->ni, bj = m->ni;
    uint32_t ba = 0, bb = 0;
    /* j == ni: the single change of clause i; j > i: the package (i, j) */
    for (size_t i = 0; i < m->ni; i++)
        for (uint32_t a = 0; a < m->s->issues[i].n_options; a++) {
            if (a == d[i] || sr->moved[i] || forbidden(m, i, a))
                continue;
            for (size_t j = i + 1; j <= m->ni; j++) {
                uint32_t nb = j == m->ni ? 1 : m->s->issues[j].n_options;
                for (uint32_t b = 0; b < nb; b++) {
                    if (j < m->ni && (b == d[j] || sr->moved[j] || forbidden(m, j, b)))
                        continue;
                    double g = supported_loss(m, kk, i, a) - supported_loss(m, kk, i, d[i]);
                    if (j < m->ni)
                        g += supported_loss(m, kk, j, b) - supported_loss(m, kk, j, d[j]);
                    if (g < -1e-9 && !hurts_relieved(m, sr, kk, i, a, j, b) &&
                        better(m, try_move(m, sr, d, i, a, j, b), &best, &ties)) {
                        bi = i;
                        ba = a;
                        bj = j;
                        bb = b;
                    }
                }
            }
        }
    if (bi == m->ni)
        return;
    try_move(m, sr, d, bi, ba, bj, bb);
    memcpy(sr->loss, sr->trial, m->np * sizeof *sr->loss);
    sr->moved[bi] = 1;
    change(m, changes, bi, ba, all, n_all, "relieves a principal near walking away");
    if (bj < m->ni) {
        sr->moved[bj] = 1;
        change(m, changes, bj, bb, all, n_all, "relieves a principal near walking away");
    }
}

/* Relieve the principals in distress after the search; returns 1 when one is. */
static int relieve_distress(truce_mediation *m, uint32_t it, search *sr, const proposal *all,
                            size_t n_all, json_t *changes)
{
    int any = 0;
    for (size_t k = 0; k < m->np; k++) /* urgency: 1 + drafts in a row below */
        any |= sr->distress[k] = sr->urgency[k] > DISTRESS_AFTER ? DISTRESSED : 0;
    for (int r = 0; r < DISTRESS_RELIEFS; r++) {
        size_t kk = m->np;
        for (size_t k = 0; k < m->np; k++)
            if (sr->distress[k] == DISTRESSED &&
                (kk == m->np || sr->urgency[k] > sr->urgency[kk]))
                kk = k;
        if (kk == m->np)
            break;
        sr->distress[kk] = RELIEVED;
        relieve_one(m, it, sr, kk, all, n_all, changes);
    }
    return any;
}

/* --agenda package (docs/mediation.md, "The agenda"): each open, unsettled package of the agenda
 * is revised as a whole: the joint assignment of its clauses (options no veto ruled out) with the
 * best estimated score, the rest of the text as it is, is taken when it raises the score or a veto
 * ruled out one of the package's options (ties at random by the seed). Its clauses then take no
 * other move this revision. A package of more than PACKAGE_JOINT_MAX joint assignments is left to
 * the clause-by-clause search. Returns 0 or TRUCE_ENOMEM. */
#define PACKAGE_JOINT_MAX 65536

static int package_search(truce_mediation *m, search *sr, const proposal *all, size_t n_all,
                          json_t *changes)
{
    size_t total = m->s->total_options;
    uint32_t *d = m->draft;
    for (size_t g = 0; g < med_agenda_stages(m->agenda); g++) {
        size_t n = 0;
        const uint32_t *is = med_agenda_package(m->agenda, g, &n);
        double count = 1;
        int vetoed = 0;
        for (size_t q = 0; q < n; q++) {
            count *= m->s->issues[is[q]].n_options;
            vetoed |= forbidden(m, is[q], d[is[q]]);
        }
        if (n < 2 || count > PACKAGE_JOINT_MAX)
            continue;
        uint32_t *at = calloc(2 * n, sizeof *at), *pick = at + n;
        if (!at)
            return TRUCE_ENOMEM;
        double now = slack_score(m, sr, sr->loss), best = -INFINITY;
        size_t ties = 0;
        for (int more = 1; more;) { /* every joint assignment, the first clause fastest */
            int allowed = 1;
            for (size_t q = 0; q < n && allowed; q++)
                allowed = !forbidden(m, is[q], at[q]);
            if (allowed) {
                for (size_t k = 0; k < m->np; k++) {
                    const double *e = sr->est + k * total;
                    double l = sr->loss[k];
                    for (size_t q = 0; q < n; q++)
                        l += e[slot_of(m, is[q], at[q])] - e[slot_of(m, is[q], d[is[q]])];
                    sr->trial[k] = l;
                }
                if (better(m, slack_score(m, sr, sr->trial), &best, &ties))
                    memcpy(pick, at, n * sizeof *at);
            }
            more = 0;
            for (size_t q = 0; q < n && !more; q++) {
                more = ++at[q] < m->s->issues[is[q]].n_options;
                if (!more)
                    at[q] = 0;
            }
        }
        int differs = 0;
        for (size_t q = 0; q < n; q++)
            differs |= pick[q] != d[is[q]];
        if (best > -INFINITY && differs && (vetoed || best > now + 1e-9)) {
            for (size_t k = 0; k < m->np; k++) {
                const double *e = sr->est + k * total;
                for (size_t q = 0; q < n; q++)
                    sr->loss[k] += e[slot_of(m, is[q], pick[q])] - e[slot_of(m, is[q], d[is[q]])];
            }
            for (size_t q = 0; q < n; q++)
                if (pick[q] != d[is[q]])
                    change(m, changes, is[q], pick[q], all, n_all, "package of the agenda");
        }
        for (size_t q = 0; q < n; q++)
            sr->moved[is[q]] = 1;
        free(at);
    }
    return 0;
}

/* Keeping a principal at the table (docs/mediation.md, "Keeping a principal
 * at the table"). The talks' rules are public: a principal that has said
 * `patience` drafts in a row were no better than its BATNA leaves at the next
 * one unless that one is better for it. Whether it told the truth the
 * mediator cannot tell (an exaggerating principal says so of every draft it
 * objects to), but when it did the walk-away is real. So when the revision
 * grants such a principal none of the clauses it asked for in this answer,
 * the mediator grants one: of the principal with the longest run of such
 * answers (ties at random by the seed; one principal a revision, or two
 * grants could cancel each other out), the clause it asked for whose move
 * the estimates score best, among clauses the revision has not moved, options
 * no veto ruled out, and clauses not granted this way in the last `patience`
 * revisions (a grant taken back at once is no progress). Its own answer says
 * that move is better for it. */
static void keep_at_table(truce_mediation *m, uint32_t it, search *sr, const proposal *all,
                          size_t n_all, json_t *changes)
{
    uint32_t need = m->o.patience ? m->o.patience : 1;
    size_t bq = n_all, tied = 0;
    double longest = -INFINITY;
    for (size_t k = 0; k < m->np; k++) {
        uint32_t row = 0;
        for (uint32_t j = it + 1; j-- > 0 && m->said[(size_t)j * m->np + k] == SAID_BELOW;)
            row++;
        if (row < need || (double)row < longest)
            continue;
        size_t p = m->principals[k], kq = n_all;
        int granted = 0;
        double best = -INFINITY;
        size_t ties = 0;
        for (size_t q = 0; q < n_all && !granted; q++) {
            const proposal *a = &all[q];
            if (a->by != p || a->veto)
                continue;
            if (m->draft[a->issue] == a->option) {
                granted = 1;
                continue;
            }
            if (sr->moved[a->issue] || forbidden(m, a->issue, a->option) ||
                (m->kept[a->issue] && it + 1 < m->kept[a->issue] + need))
                continue;
            if (better(m, try_move(m, sr, m->draft, a->issue, a->option, m->ni, 0), &best, &ties))
                kq = q;
        }
        if (granted || kq == n_all || !better(m, row, &longest, &tied))
            continue;
        bq = kq;
    }
    if (bq == n_all)
        return;
    try_move(m, sr, m->draft, all[bq].issue, all[bq].option, m->ni, 0);
    memcpy(sr->loss, sr->trial, m->np * sizeof *sr->loss);
    sr->moved[all[bq].issue] = 1;
    m->kept[all[bq].issue] = it + 1;
    change(m, changes, all[bq].issue, all[bq].option, all, n_all, "keeps a principal at the table");
}

static int signs_final_text(const truce_mediation *m, uint32_t it);

/* Whether principal k accepted draft d, or said it beats its BATNA, at some
 * iteration up to `it`. */
static int supports(const truce_mediation *m, uint32_t it, size_t k, const uint32_t *d)
{
    for (uint32_t j = 0; j <= it; j++) {
        unsigned char said = m->said[(size_t)j * m->np + k];
        if ((said == SAID_ACCEPT || said == SAID_ABOVE) &&
            !memcmp(m->drafts + (size_t)j * m->ni, d, m->ni * sizeof *d))
            return 1;
    }
    return 0;
}

/* Choosing the final text (docs/mediation.md, "The final text"): before the
 * last iteration the mediator recommends the text with the most support,
 * counting for each draft of the talks (no veto ruling it out) the
 * principals that accepted it or said it beats their BATNA at some time: a
 * principal's own acceptance outweighs its later claims. The revised text
 * stands unless an earlier draft has strictly more support (the latest among
 * equals); then the revision is replaced by the change from this iteration's
 * draft to that one. */
static void choose_final_text(truce_mediation *m, uint32_t it, const proposal *all, size_t n_all,
                              json_t *changes)
{
    size_t best = 0, pick = (size_t)-1;
    for (size_t k = 0; k < m->np; k++)
        best += (size_t)supports(m, it, k, m->draft);
    for (uint32_t j = it + 1; j-- > 0;) {
        const uint32_t *d = m->drafts + (size_t)j * m->ni;
        int ok = 1;
        for (size_t i = 0; i < m->ni && ok; i++)
            ok = !forbidden(m, i, d[i]);
        size_t n = 0;
        for (size_t k = 0; ok && k < m->np; k++)
            n += (size_t)supports(m, it, k, d);
        if (ok && n > best) {
            best = n;
            pick = j;
        }
    }
    if (pick == (size_t)-1)
        return;
    json_array_clear(changes);
    memcpy(m->draft, m->drafts + (size_t)it * m->ni, m->ni * sizeof *m->draft);
    const uint32_t *d = m->drafts + pick * m->ni;
    for (size_t i = 0; i < m->ni; i++)
        if (m->draft[i] != d[i])
            change(m, changes, i, d[i], all, n_all, "final text: the most support");
}

/* The search behind revise_uninformed, on its scratch arrays. */
static int revise_search(truce_mediation *m, uint32_t it, search *srp, const proposal *all,
                         size_t n_all, json_t *changes)
{
    search sr = *srp;
    size_t total = m->s->total_options;
    if (m->probing) {
        m->probing = 0;
        for (size_t i = 0; i < m->ni; i++)
            if (m->draft[i] != m->home[i])
                change(m, changes, i, m->home[i], all, n_all, "back from a probe");
    }
    estimate_all(m, it, &sr);
    if (package_search(m, &sr, all, n_all, changes)) /* --agenda package: nothing otherwise */
        return TRUCE_ENOMEM;
    uint32_t *d = m->draft;
    for (size_t i = 0; i < m->ni; i++) {
        if (!forbidden(m, i, d[i]) || med_agenda_frozen(m->agenda, i))
            continue;
        double best = -INFINITY;
        size_t ties = 0;
        uint32_t pick = d[i];
        for (uint32_t k = 0; k < m->s->issues[i].n_options; k++)
            if (!forbidden(m, i, k) && better(m, try_move(m, &sr, d, i, k, m->ni, 0), &best, &ties))
                pick = k;
        try_move(m, &sr, d, i, pick, m->ni, 0);
        memcpy(sr.loss, sr.trial, m->np * sizeof *sr.loss);
        change(m, changes, i, pick, all, n_all, "resolves a veto");
        sr.moved[i] = 1;
    }
    for (uint32_t moved = 0; moved < m->o.max_objections;) {
        double now = slack_score(m, &sr, sr.loss), best = -INFINITY;
        size_t ties = 0, bi = m->ni, bj = m->ni;
        uint32_t ba = 0, bb = 0;
        for (size_t i = 0; i < m->ni; i++)
            for (uint32_t a = 0; a < m->s->issues[i].n_options; a++) {
                if (a == d[i] || sr.moved[i] || forbidden(m, i, a))
                    continue;
                if (better(m, try_move(m, &sr, d, i, a, m->ni, 0), &best, &ties)) {
                    bi = i;
                    ba = a;
                    bj = m->ni;
                }
                for (size_t j = i + 1;
                     total <= 600 && moved + 2 <= m->o.max_objections && j < m->ni; j++)
                    for (uint32_t b = 0; b < m->s->issues[j].n_options; b++)
                        if (b != d[j] && !sr.moved[j] && !forbidden(m, j, b) &&
                            better(m, try_move(m, &sr, d, i, a, j, b), &best, &ties)) {
                            bi = i;
                            ba = a;
                            bj = j;
                            bb = b;
                        }
            }
        if (bi == m->ni || !(best > now + 1e-9))
            break;
        try_move(m, &sr, d, bi, ba, bj, bb);
        memcpy(sr.loss, sr.trial, m->np * sizeof *sr.loss);
        sr.moved[bi] = 1;
        moved += bj < m->ni ? 2 : 1;
        if (bj < m->ni) {
            sr.moved[bj] = 1;
            change(m, changes, bi, ba, all, n_all, "package of two clauses");
            change(m, changes, bj, bb, all, n_all, "package of two clauses");
        } else {
            change(m, changes, bi, ba, all, n_all, why_option(m, bi, ba, all, n_all));
        }
    }
    /* no probe while a principal is near walking away: it would spend its patience */
    int distressed = relieve_distress(m, it, &sr, all, n_all, changes);
    keep_at_table(m, it, &sr, all, n_all, changes);
    if (!distressed)
        probe_tolerance(m, it, &sr, all, n_all, changes);
    return 0;
}

/* Revise the text: first every clause a veto ruled out, to the allowed
 * option with the best estimated score; then up to max_objections moves, each
 * the single clause change or two-clause package that raises the score most.
 * Returns 1 when the mediator concludes that no zone exists, else 0, or
 * TRUCE_ENOMEM. */
static int revise_uninformed(truce_mediation *m, uint32_t it, const answer *answers,
                             const proposal *all, size_t n_all, json_t *changes)
{
    learn(m, it, answers);
    if (no_feasible_option(m) || no_zone_by_batna(m, it, answers))
        return 1;
    size_t total = m->s->total_options;
    search sr = {calloc(m->np * total + 1, sizeof(double)),
                 calloc(m->np, sizeof(double)),
                 calloc(m->np, sizeof(double)),
                 calloc(m->np, sizeof(double)),
                 calloc(m->np, sizeof(double)),
                 calloc(m->ni + 1, 1),
                 calloc(m->np, sizeof(double)),
                 calloc(m->np, sizeof(double)),
                 calloc(m->np + 1, 1)};
    int rc = 0;
    if (!sr.est || !sr.loss || !sr.tolerated || !sr.urgency || !sr.trial || !sr.moved ||
        !sr.above || !sr.below || !sr.distress)
        rc = TRUCE_ENOMEM;
    else {
        for (size_t i = 0; i < m->ni; i++) /* a clause the agenda holds back does not move */
            sr.moved[i] |= (unsigned char)med_agenda_frozen(m->agenda, i);
        rc = revise_search(m, it, &sr, all, n_all, changes);
        if (rc == 0 && signs_final_text(m, it + 1))
            choose_final_text(m, it, all, n_all, changes);
    }
    free(sr.est);
    free(sr.loss);
    free(sr.tolerated);
    free(sr.urgency);
    free(sr.trial);
    free(sr.moved);
    free(sr.above);
    free(sr.below);
    free(sr.distress);
    return rc;
}

/* ---- the agenda (--agenda follow|package) ---- */

/* After the revision of iteration `it`: settle the agenda's open stages from
 * the answers and the revision (mediate_agenda.h), and record what settled
 * and what it opens (an `agenda` trace record, `agenda` in the history). */
static int agenda_step(truce_mediation *m, uint32_t it, const answer *answers, const proposal *all,
                       size_t n_all, const uint32_t *target, json_t *entry)
{
    unsigned char *objected = calloc(m->ni + 1, 1);
    if (!objected)
        return TRUCE_ENOMEM;
    int all_heard = 1;
    for (size_t k = 0; k < m->np; k++)
        all_heard &= !answers[k].unheard;
    for (size_t q = 0; q < n_all; q++)
        objected[all[q].issue] = 1;
    json_t *event = med_agenda_settle(m->agenda, it, objected, all_heard,
                                      m->drafts + (size_t)it * m->ni, m->draft, target);
    free(objected);
    if (!event)
        return 0;
    json_object_set(entry, "agenda", event);
    json_t *rec =
        json_pack("{s:s,s:I,s:O,s:O}", "type", "agenda", "iteration", (json_int_t)it, "settled",
                  json_object_get(event, "settled"), "opens", json_object_get(event, "opens"));
    json_decref(event);
    return emit(m, rec);
}

/* ---- setup and the loop ---- */

/* Whether some iteration's route reaches principal p (only the times at
 * which the channel graph changes need a look when channels have windows). */
static int reached_some_time(truce_mediation *m, size_t p)
{
    if (!channels_timed(m->s)) {
        channel_search(m->s, m->mediator, 0, TRUCE_ROLE_MEDIATOR, m->route, m->route_queue);
        return m->route[p] != (size_t)-1;
    }
    for (uint32_t it = 0; it < m->o.max_iterations; it++) {
        channel_search(m->s, m->mediator, (double)it / m->o.max_iterations, TRUCE_ROLE_MEDIATOR,
                       m->route, m->route_queue);
        if (m->route[p] != (size_t)-1)
            return 1;
    }
    return 0;
}

static int pick_mediator(truce_mediation *m)
{
    const truce_scenario *s = m->s;
    if (m->o.mediator >= 0) {
        if ((size_t)m->o.mediator >= s->n_parties)
            return error_set(m->err, TRUCE_EINVAL, NULL, 0, "mediator", "no party %ld",
                             m->o.mediator);
        if (s->parties[m->o.mediator].role == TRUCE_ROLE_PRINCIPAL)
            return error_set(m->err, TRUCE_EINVAL, NULL, 0, "mediator",
                             "'%s' is a principal, not a mediator", s->parties[m->o.mediator].name);
        m->mediator = (size_t)m->o.mediator;
    } else {
        m->mediator = NEUTRAL;
        for (size_t p = 0; p < s->n_parties && m->mediator == NEUTRAL; p++)
            if (s->parties[p].role == TRUCE_ROLE_MEDIATOR)
                m->mediator = p;
    }
    if (m->mediator != NEUTRAL)
        for (size_t k = 0; k < m->np; k++)
            if (!reached_some_time(m, m->principals[k]))
                return error_set(
                    m->err, TRUCE_EINVAL, NULL, 0, "channels",
                    truce_channel(s, m->mediator, m->principals[k])
                        ? "mediator %s never reaches principal %s at an iteration of the talks "
                          "(its channel is closed at every one): it cannot carry the draft there"
                        : "mediator %s has no channel to principal %s: it cannot carry the draft "
                          "there",
                    s->parties[m->mediator].name, s->parties[m->principals[k]].name);
    return 0;
}

/* First draft: the best outcome for the mediator (and its co-drafter), or,
 * for a neutral mediator, on each issue the option the principals value most
 * together. Always within the co-drafter's hard conditions when enumerable. */
static void first_draft(truce_mediation *m)
{
    const truce_scenario *s = m->s;
    long co = m->o.codrafter;
    if (m->mediator == NEUTRAL && co < 0) {
        for (size_t i = 0; i < m->ni; i++) {
            double best = -INFINITY;
            for (uint32_t k = 0; k < s->issues[i].n_options; k++) {
                double v = 0;
                for (size_t q = 0; q < m->np; q++) {
                    const party *pt = &s->parties[m->principals[q]];
                    if (pt->table)
                        v += pt->table[s->option_offset[i] + k];
                }
                if (v > best + 1e-12) {
                    best = v;
                    m->draft[i] = k;
                }
            }
        }
        return;
    }
    uint32_t *o = malloc(m->ni * sizeof *o);
    double best = -INFINITY;
    for (uint64_t x = 0; o && x < m->n_outcomes; x++) {
        decode(m, x, o);
        if (co >= 0 && party_violates(&s->parties[co], o) >= 0)
            continue;
        if (s->n_constraints && constraint_first_broken(s, o) >= 0)
            continue; /* scenario constraints bind the drafters too */
        double v = (m->mediator != NEUTRAL ? util(m, m->mediator, o) : 0) +
                   (co >= 0 ? util(m, (size_t)co, o) : 0);
        if (v > best + 1e-12) {
            best = v;
            memcpy(m->draft, o, m->ni * sizeof *o);
        }
    }
    free(o);
}

/* Why the talks broke down or ran out: name the BATNA or hard condition. */
static void explain(truce_mediation *m, const answer *answers, double t)
{
    char text[700] = "";
    size_t used = 0;
    int breakdown = !strcmp(m->end, "breakdown");
    for (size_t k = 0; k < m->np && used < sizeof text; k++) {
        size_t p = m->principals[k];
        const answer *a = &answers[k];
        /* a breakdown is explained by who walked away; a limit by everyone
         * who had not accepted */
        if (a->accept || (breakdown && !a->walk_away))
            continue;
        double u = util(m, p, m->draft), r = reservation(m, p, t);
        if (a->walk_away || u <= r) {
            /* is its BATNA above every draft the others' hard conditions allow? */
            double best_allowed = -1;
            long blocker = -1;
            uint32_t *o = malloc(m->ni * sizeof *o);
            for (uint64_t x = 0; o && x < m->n_outcomes; x++) {
                decode(m, x, o);
                int ok = 1;
                for (size_t q = 0; q < m->np && ok; q++)
                    if (q != k && party_violates(&m->s->parties[m->principals[q]], o) >= 0)
                        ok = 0;
                double v = ok ? util(m, p, o) : -1;
                if (v > best_allowed)
                    best_allowed = v;
            }
            free(o);
            for (size_t q = 0; q < m->np && blocker < 0; q++)
                if (q != k && m->s->parties[m->principals[q]].n_hard)
                    blocker = (long)m->principals[q];
            if (m->n_outcomes && best_allowed <= r && blocker >= 0)
                used += (size_t)snprintf(
                    text + used, sizeof text - used,
                    "%s%s %s: no draft that respects %s's hard condition '%s' gives it more "
                    "than its BATNA %.3f (the best such draft gives %.3f)",
                    used ? "; " : "", name_of(m, p), a->walk_away ? "walked away" : "refuses",
                    name_of(m, (size_t)blocker), m->s->parties[blocker].hard[0].id, r,
                    best_allowed);
            else if (m->final_text && !a->walk_away)
                used += (size_t)snprintf(text + used, sizeof text - used,
                                         "%s%s refuses the final text: it gives it %.3f, not "
                                         "above its BATNA %.3f",
                                         used ? "; " : "", name_of(m, p), u, r);
            else
                used +=
                    (size_t)snprintf(text + used, sizeof text - used,
                                     "%s%s %s: the draft gives it %.3f, not above its BATNA "
                                     "%.3f, with no progress for %u iterations",
                                     used ? "; " : "", name_of(m, p),
                                     a->walk_away ? "walked away" : "refuses", u, r, m->o.patience);
        } else if (a->veto >= 0) {
            used += (size_t)snprintf(text + used, sizeof text - used,
                                     "%s%s vetoes the draft: it violates its hard condition '%s'",
                                     used ? "; " : "", name_of(m, p),
                                     m->s->parties[p].hard[a->veto].id);
        } else {
            used += (size_t)snprintf(text + used, sizeof text - used,
                                     "%s%s still objects (the draft gives it %.3f, below what "
                                     "it holds out for)",
                                     used ? "; " : "", name_of(m, p), u);
        }
    }
    snprintf(m->reason, sizeof m->reason, "%s", text);
}

/* The success test under a decision rule (docs/analysis.md#decision-rules):
 * the principals that accepted the draft satisfy the rule and every ratifier
 * would ratify it (a ratifier accepts what breaks none of its hard conditions
 * and beats its reservation value at time t). Sets the reason when it holds. */
static int decided_by_rule(truce_mediation *m, const answer *answers, double t, uint32_t it)
{
    unsigned char *accepts = calloc(m->n ? m->n : 1, 1);
    if (!accepts)
        return 0;
    for (size_t k = 0; k < m->np; k++)
        accepts[m->principals[k]] = (unsigned char)answers[k].accept;
    int decided = scenario_rule_met(m->s, accepts);
    for (size_t p = 0; decided && p < m->n; p++)
        if (m->s->ratifier && m->s->ratifier[p] && !party_accepts(m->s, p, m->draft, t))
            decided = 0;
    if (decided) {
        size_t at =
            (size_t)snprintf(m->reason, sizeof m->reason,
                             "the principals that accepted the draft of iteration %u (", it + 1);
        int first = 1;
        for (size_t k = 0; k < m->np && at < sizeof m->reason; k++)
            if (answers[k].accept) {
                at += (size_t)snprintf(m->reason + at, sizeof m->reason - at, "%s%s",
                                       first ? "" : ", ", name_of(m, m->principals[k]));
                first = 0;
            }
        if (at < sizeof m->reason)
            snprintf(m->reason + at, sizeof m->reason - at,
                     ") satisfy the decision rule, and every ratifier accepts it");
    }
    free(accepts);
    return decided;
}

/* The Nash point of the shared analysis (docs/analysis.md: over the
 * bargainers, who are the principals, among feasible outcomes, reservation
 * values at time 0): the principals' utilities there, or none when no
 * feasible outcome beats every BATNA or the exact analysis exceeds a limit. */
static void compute_nash(truce_mediation *m)
{
    if (scenario_has_rule(m->s)) {
        /* under a decision rule, the rule's Nash point (docs/analysis.md#decision-rules: over
         * the deciders among decided outcomes, by enumeration within the analysis's limit) */
        truce_analysis_options d = TRUCE_ANALYSIS_OPTIONS_INIT;
        uint32_t *at = calloc(m->ni ? m->ni : 1, sizeof *at);
        if (at && decision_point(m->s, 0, d.max_outcomes, 0, at, NULL) == 1 &&
            (m->nash = calloc(m->np, sizeof *m->nash)))
            for (size_t k = 0; k < m->np; k++)
                m->nash[k] = util(m, m->principals[k], at);
        free(at);
        return;
    }
    truce_analysis *an = NULL;
    truce_analysis_options o = TRUCE_ANALYSIS_OPTIONS_INIT;
    double *all = calloc(m->n ? m->n : 1, sizeof *all);
    if (all && truce_analyze(&an, m->s, &o, NULL) == 0 &&
        truce_analysis_solution(an, TRUCE_SOLUTION_NASH, all, NULL, NULL) == 1 &&
        (m->nash = calloc(m->np, sizeof *m->nash)))
        for (size_t k = 0; k < m->np; k++)
            m->nash[k] = all[m->principals[k]];
    truce_analysis_free(an);
    free(all);
}

/* Distinct texts among the drafts sent (a draft the mediator left
 * unchanged is the same text sent again). */
static uint32_t distinct_drafts(const truce_mediation *m)
{
    uint32_t n = 0;
    for (uint32_t it = 0; it < m->iterations; it++) {
        const uint32_t *d = m->drafts + (size_t)it * m->ni;
        uint32_t j = 0;
        while (j < it && memcmp(m->drafts + (size_t)j * m->ni, d, m->ni * sizeof *d))
            j++;
        n += j == it;
    }
    return n;
}

/* The external mediator's draft for iteration `it` (truce_mediation_options
 * .draft): the first one (answers NULL), or its revision after the answers
 * to the last one, recorded in `changes` clause by clause. Returns
 * AGENT_FAULT when it fails or writes an option out of range (the talks then
 * end with the mediator at fault), TRUCE_ENOMEM, or 0. */
static int external_draft(truce_mediation *m, uint32_t it, const answer *answers,
                          const proposal *all, size_t n_all, json_t *changes)
{
    size_t n_obj = 0;
    for (size_t k = 0; answers && k < m->np; k++)
        n_obj += answers[k].n_objections;
    truce_answer *pub = calloc(m->np, sizeof *pub);
    truce_objection *obj = calloc(n_obj ? n_obj : 1, sizeof *obj);
    uint32_t *next = malloc((m->ni ? m->ni : 1) * sizeof *next);
    if (!pub || !obj || !next) {
        free(pub);
        free(obj);
        free(next);
        return TRUCE_ENOMEM;
    }
    size_t used = 0;
    for (size_t k = 0; answers && k < m->np; k++) {
        const answer *a = &answers[k];
        const party *pt = &m->s->parties[m->principals[k]];
        pub[k].party = m->principals[k];
        pub[k].kind = a->walk_away ? TRUCE_REVIEW_WALK_AWAY
                      : a->accept  ? TRUCE_REVIEW_ACCEPT
                                   : TRUCE_REVIEW_OBJECT;
        pub[k].veto = a->veto >= 0 ? pt->hard[a->veto].id : NULL;
        pub[k].objections = obj + used;
        pub[k].n_objections = a->n_objections;
        pub[k].beats_batna = !a->below;
        for (size_t q = 0; q < a->n_objections; q++)
            obj[used++] = (truce_objection){a->objections[q].issue, a->objections[q].option,
                                            a->objections[q].gain, a->objections[q].veto,
                                            a->objections[q].origin};
    }
    memcpy(next, m->draft, m->ni * sizeof *next);
    char why[400] = "";
    truce_mediator_turn turn = {it,  time_of(m, it), answers ? pub : NULL, answers ? m->np : 0,
                                why, sizeof why};
    int rc = m->o.draft(&turn, next, m->o.draft_payload);
    why[sizeof why - 1] = '\0';
    /* a draft that comes after the deadline is too late (whatever it says) */
    /* named by the iteration that ended (a revision follows iteration it - 1) */
    if (deadline_passed(m, it ? it - 1 : 0,
                        it ? "waiting for the mediator's revision"
                           : "waiting for the mediator's first draft")) {
        free(pub);
        free(obj);
        free(next);
        return DEADLINE_PASSED;
    }
    char bad[300] = "";
    for (size_t i = 0; rc == 0 && i < m->ni && !bad[0]; i++)
        if (next[i] >= m->s->issues[i].n_options)
            snprintf(bad, sizeof bad,
                     "invalid draft: option %lu out of range for issue '%s' (options 0 to %lu)",
                     (unsigned long)next[i], m->s->issues[i].name,
                     (unsigned long)m->s->issues[i].n_options - 1);
    if (rc || bad[0]) {
        m->fault = m->mediator == NEUTRAL ? -1 : (long)m->mediator;
        m->end = "fault";
        snprintf(m->reason, sizeof m->reason, "the mediator %s failed: %s", name_of(m, m->mediator),
                 bad[0]   ? bad
                 : why[0] ? why
                          : truce_strerror(rc));
        rc = AGENT_FAULT;
    } else if (changes) {
        for (size_t i = 0; i < m->ni; i++)
            if (next[i] != m->draft[i])
                change(m, changes, i, next[i], all, n_all, "the mediator's revision");
    } else {
        memcpy(m->draft, next, m->ni * sizeof *next);
    }
    free(pub);
    free(obj);
    free(next);
    return rc;
}

/* Principal p is out of reach at iteration it: no route of open channels
 * joins it to the mediator. It hears nothing and says nothing (it accepts
 * nothing either); its count of drafts below its BATNA stands still. */
/* The final text (docs/mediation.md, "The final text"): the one-text
 * procedure ends with the mediator recommending its last draft for a yes or
 * no (Fisher and Ury, Getting to Yes, "the one-text procedure": at Camp
 * David, after thirteen days and some twenty-three drafts, the United States
 * recommended a text and both sides accepted it; Raiffa, The Art and Science
 * of Negotiation). The
 * uninformed mediator says so of the draft of the last iteration, where the
 * iteration limit makes the claim true: whoever refuses it is left with its
 * BATNA. So a built-in principal of any strategy signs it when it beats its
 * BATNA and breaks no hard condition (its claims and what it held out for
 * were bargaining; a signature is not), and a refusal there tells the truth.
 * Agents answer through their review, as ever (they see the time). */
static int signs_final_text(const truce_mediation *m, uint32_t it)
{
    return m->o.strategy == TRUCE_MEDIATOR_UNINFORMED && it + 1 == m->o.max_iterations;
}

static int out_of_reach(truce_mediation *m, size_t p, uint32_t it, answer *ans)
{
    ans->accept = ans->walk_away = ans->below = 0;
    ans->veto = -1;
    ans->n_objections = 0;
    json_t *rec =
        json_pack("{s:s,s:I,s:f,s:s,s:s}", "type", "out-of-reach", "iteration", (json_int_t)it,
                  "time", m->now, "party", name_of(m, p), "mediator", name_of(m, m->mediator));
    json_t *entry =
        json_pack("{s:s,s:s,s:f,s:f}", "from", name_of(m, p), "answer", "out-of-reach", "utility",
                  util(m, p, m->draft), "reservation", reservation(m, p, m->now));
    json_array_append_new(json_object_get(json_array_get(m->history, it), "answers"), entry);
    return emit(m, rec);
}

static int run(truce_mediation *m)
{
    /* a principal's objections: its own (one per issue), the clauses of the
     * hard condition it vetoes with, and the amendments it adopts (up to one
     * per issue from every influence entry naming it, duplicates included) */
    size_t clauses = 0;
    for (size_t k = 0; k < m->np; k++) {
        const party *pt = &m->s->parties[m->principals[k]];
        for (uint32_t h = 0; h < pt->n_hard; h++)
            clauses = pt->hard[h].n_clauses > clauses ? pt->hard[h].n_clauses : clauses;
    }
    size_t cap = (m->ni + 8) * (m->s->n_parties + 2) * 2 + m->ni * m->s->n_influence + clauses +
                 2; /* a rule objection for a hard condition and one for a scenario constraint */
    proposal *all = calloc(cap * (m->np + 1), sizeof *all);
    proposal *scratch = calloc(m->ni + 1, sizeof *scratch);
    answer *answers = calloc(m->np, sizeof *answers);
    uint32_t *target = malloc(m->ni * sizeof *target);
    int rc = (!all || !scratch || !answers || !target) ? TRUCE_ENOMEM : 0;
    for (size_t k = 0; rc == 0 && k < m->np; k++)
        if (!(answers[k].objections = calloc(cap, sizeof *answers[k].objections)))
            rc = TRUCE_ENOMEM;
    m->end = "limit";
    if (m->o.max_seconds > 0)
        m->started = clock_now(m);
    int external = m->o.strategy == TRUCE_MEDIATOR_EXTERNAL;
    if (rc == 0 && external &&
        ((rc = external_draft(m, 0, NULL, NULL, 0, NULL)) == AGENT_FAULT || rc == DEADLINE_PASSED))
        rc = 0; /* recorded: the talks end before the first iteration */
    if (rc == 0) {
        /* seeds beyond 2^63 - 1 as decimal strings (a cast recorded them as negative numbers) */
        char big[24];
        snprintf(big, sizeof big, "%llu", (unsigned long long)m->o.seed);
        json_t *seed = m->o.seed > (uint64_t)INT64_MAX ? json_string(big)
                                                       : json_integer((json_int_t)m->o.seed);
        json_t *start = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "type", "start", "protocol",
                                  "single-negotiating-text", "mediator", name_of(m, m->mediator),
                                  "strategy", strategy_name(m->o.strategy), "seed", seed,
                                  "first_draft", report_outcome(m->s, m->draft));
        if (m->o.max_seconds > 0) /* only then: traces without it stay as they were */
            json_object_set_new(start, "seconds", json_real(m->o.max_seconds));
        if (m->agenda) /* likewise: --agenda ignore leaves the trace as it was */
            json_object_set_new(start, "agenda", med_agenda_plan(m->agenda));
        rc = emit(m, start);
    }
    for (uint32_t it = 0; rc == 0 && strcmp(m->end, "fault") && strcmp(m->end, "deadline") &&
                          it < m->o.max_iterations;
         it++) {
        if (deadline_passed(m, it, "before its draft was sent"))
            break;
        double t = time_of(m, it);
        m->iterations = it + 1;
        m->now = t;
        if (m->mediator != NEUTRAL)
            channel_search(m->s, m->mediator, t, TRUCE_ROLE_MEDIATOR, m->route, m->route_queue);
        json_t *entry = json_pack("{s:I,s:f,s:o,s:[],s:[]}", "iteration", (json_int_t)it, "time", t,
                                  "draft", report_outcome(m->s, m->draft), "answers", "changes");
        json_array_append_new(m->history, entry);
        memcpy(m->drafts + (size_t)it * m->ni, m->draft, m->ni * sizeof *m->draft);
        m->final_text = signs_final_text(m, it);
        if (m->final_text) /* only then: other drafts' records stay as they were */
            json_object_set_new(entry, "final", json_true());
        size_t n_all = 0, accepted = 0;
        for (size_t k = 0; rc == 0 && k < m->np; k++) {
            size_t p = m->principals[k];
            m->seen[p][it] = util(m, p, m->draft);
            answers[k].unheard = m->mediator != NEUTRAL && m->route[p] == (size_t)-1;
            if (answers[k].unheard) {
                if ((rc = out_of_reach(m, p, it, &answers[k])))
                    break;
                continue;
            }
            json_t *msg =
                json_pack("{s:s,s:I,s:o,s:f}", "type", "draft", "iteration", (json_int_t)it,
                          "outcome", report_outcome(m->s, m->draft), "utility", m->seen[p][it]);
            if (m->final_text)
                json_object_set_new(msg, "final", json_true());
            if ((rc = send_route(m, p, msg)))
                break;
            rc = principal_turn(m, p, it, t, &answers[k], scratch);
            if (rc)
                break;
            accepted += answers[k].accept;
            /* under a decision rule a principal the others can outvote leaves without ending
             * the talks: its refusal counts (docs/scenario-format.md#decision-rules) */
            if (answers[k].walk_away && scenario_has_rule(m->s) && !m->s->decider[p])
                answers[k].walk_away = 0;
            if (answers[k].walk_away) {
                m->end = "breakdown";
                break;
            }
            for (size_t q = 0; q < answers[k].n_objections && n_all < cap * (m->np + 1); q++)
                all[n_all++] = answers[k].objections[q];
        }
        if (rc == AGENT_FAULT || rc == DEADLINE_PASSED)
            rc = 0;
        if (rc || !strcmp(m->end, "breakdown") || !strcmp(m->end, "fault") ||
            !strcmp(m->end, "deadline"))
            break;
        if (scenario_has_rule(m->s) ? decided_by_rule(m, answers, t, it) : accepted == m->np) {
            m->agreement = 1;
            m->end = "agreement";
            if (accepted == m->np && !scenario_has_rule(m->s))
                snprintf(m->reason, sizeof m->reason,
                         "every principal accepted the draft of iteration %u", it + 1);
            break;
        }
        json_t *changes = json_object_get(entry, "changes");
        if (m->final_text) /* refused: no revision follows the final text */
            break;
        if (external) {
            /* nobody would answer a revision after the last iteration */
            if (it + 1 == m->o.max_iterations)
                break;
            if ((rc = external_draft(m, it + 1, answers, all, n_all, changes)) == AGENT_FAULT ||
                rc == DEADLINE_PASSED) {
                rc = 0;
                break;
            }
            if (rc)
                break;
        } else if (m->o.strategy == TRUCE_MEDIATOR_INFORMED) {
            if ((rc = find_target(m, t, target)))
                break;
            revise_informed(m, target, all, n_all, changes);
        } else if ((rc = revise_uninformed(m, it, answers, all, n_all, changes)) == 1) {
            rc = 0;
            m->end = "breakdown";
            m->concluded = 1;
            break;
        } else if (rc) {
            break;
        }
        json_t *rev = json_pack("{s:s,s:I,s:s,s:O}", "type", "revision", "iteration",
                                (json_int_t)it, "by", name_of(m, m->mediator), "changes", changes);
        rc = emit(m, rev);
        if (rc == 0 && m->agenda)
            rc = agenda_step(m, it, answers, all, n_all,
                             m->o.strategy == TRUCE_MEDIATOR_INFORMED ? target : NULL, entry);
    }
    if (rc == 0 && !m->agreement && strcmp(m->end, "fault") && strcmp(m->end, "deadline") &&
        !m->concluded)
        explain(m, answers, m->iterations ? (double)(m->iterations - 1) / m->o.max_iterations : 0);
    if (rc == 0) {
        compute_nash(m);
        m->nash_distance = NAN;
        if (m->nash) {
            double d = 0;
            for (size_t k = 0; k < m->np; k++) {
                double x = util(m, m->principals[k], m->draft) - m->nash[k];
                d += x * x;
            }
            m->nash_distance = sqrt(d);
        }
        json_t *utilities = json_object();
        for (size_t p = 0; p < m->n; p++)
            json_object_set_new(utilities, m->s->parties[p].name, json_real(util(m, p, m->draft)));
        json_t *end = json_pack(
            "{s:s,s:s,s:b,s:s,s:I,s:o,s:o,s:o}", "type", "end", "end", m->end, "agreement",
            m->agreement, "reason", m->reason, "iterations", (json_int_t)m->iterations, "outcome",
            report_outcome(m->s, m->draft), "utilities", utilities, "nash_distance",
            isfinite(m->nash_distance) ? json_real(m->nash_distance) : json_null());
        if (m->fault >= 0)
            json_object_set_new(end, "fault", json_string(name_of(m, (size_t)m->fault)));
        json_object_set_new(end, "drafts", json_integer((json_int_t)distinct_drafts(m)));
        json_object_set_new(end, "messages", json_integer((json_int_t)m->messages));
        rc = emit(m, end);
    }
    for (size_t k = 0; answers && k < m->np; k++)
        free(answers[k].objections);
    free(answers);
    free(all);
    free(scratch);
    free(target);
    return rc == TRUCE_ENOMEM ? error_nomem(m->err) : rc;
}

static int check_mediation_options(const truce_mediation_options *o, truce_error *err)
{
    if (o->version < 1 || o->version > TRUCE_MEDIATION_OPTIONS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_mediation_options version %d is not %d", o->version,
                         TRUCE_MEDIATION_OPTIONS_VERSION);
    if (o->strategy == TRUCE_MEDIATOR_EXTERNAL && (o->version < 2 || !o->draft))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "strategy",
                         "an external mediator needs its drafting callback (options.draft, "
                         "version 2)");
    if (o->max_iterations < 1 || o->max_iterations > 100000)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "iterations",
                         "iterations must be between 1 and 100000");
    if (o->strategy != TRUCE_MEDIATOR_INFORMED && o->strategy != TRUCE_MEDIATOR_UNINFORMED &&
        o->strategy != TRUCE_MEDIATOR_EXTERNAL)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "strategy", "unknown mediator strategy");
    if (o->responder != TRUCE_RESPONDER_TRUTHFUL && o->responder != TRUCE_RESPONDER_STRATEGIC &&
        o->responder != TRUCE_RESPONDER_EXAGGERATE && o->responder != TRUCE_RESPONDER_ANCHOR)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "responder", "unknown responder strategy");
    if (o->target != TRUCE_SOLUTION_NASH && o->target != TRUCE_SOLUTION_KALAI_SMORODINSKY)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "target",
                         "the target must be the Nash or the Kalai-Smorodinsky point");
    if (!(o->mediator_interest >= 0 && o->mediator_interest <= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "mediator_interest",
                         "mediator_interest must lie in [0, 1]");
    if (o->max_objections < 1)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_objections",
                         "max_objections must be at least 1");
    if (o->version >= 4 && !(o->noise >= 0 && o->noise <= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "noise", "noise must lie in [0, 1]");
    if (o->version >= 5 && o->agenda != TRUCE_AGENDA_IGNORE && o->agenda != TRUCE_AGENDA_FOLLOW &&
        o->agenda != TRUCE_AGENDA_PACKAGE)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "agenda",
                         "the agenda mode must be ignore, follow or package");
    if (o->version >= 5 && o->agenda != TRUCE_AGENDA_IGNORE &&
        o->strategy == TRUCE_MEDIATOR_EXTERNAL)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "agenda",
                         "an external mediator drafts in its own order: the agenda mode "
                         "(follow, package) is for the built-in mediators");
    if (o->version >= 3 && !(o->max_seconds >= 0 && o->max_seconds < 1e7))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "max_seconds",
                         "the deadline in seconds must be 0 (none) or above 0 and below 1e7");
    return 0;
}

static uint64_t mix(uint64_t seed, uint64_t who)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (who + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Release and free the principals' agents (their Lua states, processes). */
static void agents_release(truce_mediation *m)
{
    for (size_t p = 0; m->agents && p < m->n; p++) {
        const truce_agent_class *cls = m->agents[p].cls;
        if (m->agent_state && m->agent_state[p] && cls->release) {
            cls->release(m->agent_state[p], 0, cls->payload);
            cls->release(m->agent_state[p], 1, cls->payload);
        }
        if (m->agent_state)
            free(m->agent_state[p]);
        free((char *)m->agents[p].params);
    }
    free(m->agent_state);
    free(m->agents);
    free(m->proposed);
    free(m->proposed_gain);
    truce_space_free(m->space);
    m->agent_state = NULL;
    m->agents = NULL;
    m->proposed = NULL;
    m->proposed_gain = NULL;
    m->space = NULL;
}

/* Start the agents of the principals that have one in opts->agents. */
static int agents_setup(truce_mediation *m, const truce_agent_spec *specs, truce_error *err)
{
    int any = 0;
    for (size_t p = 0; specs && p < m->n; p++) {
        const truce_agent_class *cls = specs[p].cls;
        if (!cls)
            continue;
        if (m->s->parties[p].role != TRUCE_ROLE_PRINCIPAL)
            return error_set(err, TRUCE_EINVAL, NULL, 0, "agents",
                             "%s is not a principal: only principals answer drafts", name_of(m, p));
        if (!cls->review || !cls->init)
            return error_set(err, TRUCE_EINVAL, NULL, 0, "agents",
                             "agent '%s' cannot review drafts (Lua and proc agents can)",
                             cls->name);
        any = 1;
    }
    if (!any)
        return 0;
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    so.analyze = 0;
    int rc = truce_space_create(&m->space, m->s, &so, err);
    if (rc)
        return rc;
    m->agents = calloc(m->n, sizeof *m->agents);
    m->agent_state = calloc(m->n, sizeof *m->agent_state);
    m->proposed = calloc(m->ni + 1, sizeof *m->proposed);
    m->proposed_gain = calloc(m->ni + 1, sizeof *m->proposed_gain);
    if (!m->agents || !m->agent_state || !m->proposed || !m->proposed_gain)
        return error_nomem(err);
    for (size_t p = 0; p < m->n; p++) {
        const truce_agent_class *cls = specs[p].cls;
        if (!cls)
            continue;
        size_t size =
            cls->state_size_for ? cls->state_size_for(m->space, cls->payload) : cls->state_size;
        m->agents[p].cls = cls;
        m->agents[p].params = strdup(specs[p].params ? specs[p].params : "");
        m->agent_state[p] = calloc(1, size ? size : 1);
        if (!m->agents[p].params || !m->agent_state[p])
            return error_nomem(err);
        truce_agent_setup setup = {
            m->space, p, m->np, m->o.max_iterations, mix(m->o.seed, p), m->agents[p].params};
        if ((rc = cls->init(m->agent_state[p], &setup, err, cls->payload)))
            return err && err->message[0] ? rc
                                          : error_set(err, rc, NULL, 0, cls->name,
                                                      "agent '%s' of party '%s' failed to start",
                                                      cls->name, name_of(m, p));
    }
    return 0;
}

void truce_mediation_free(truce_mediation *m)
{
    if (!m)
        return;
    agents_release(m);
    for (size_t p = 0; m->seen && p < m->n; p++)
        free(m->seen[p]);
    free(m->seen);
    free(m->below);
    free(m->forbid);
    free(m->loss);
    free(m->loss_cap);
    free(m->drafts);
    free(m->route);
    free(m->route_queue);
    free(m->hops);
    free(m->inflated);
    free(m->home);
    free(m->kept);
    free(m->said);
    free(m->principals);
    free(m->draft);
    free(m->best);
    free(m->nash);
    med_agenda_free(m->agenda);
    json_decref(m->history);
    free(m);
}

int truce_mediate(truce_mediation **out, const truce_scenario *s,
                  const truce_mediation_options *opts, truce_error *err)
{
    error_clear(err);
    truce_mediation_options defaults = TRUCE_MEDIATION_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (!out || !s)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    int rc = check_mediation_options(opts, err);
    if (rc)
        return rc;
    truce_mediation *m = calloc(1, sizeof *m);
    if (!m)
        return error_nomem(err);
    m->s = s;
    if (opts->version == 1) { /* version 1 ended with `agents` */
        memcpy(&m->o, opts, offsetof(truce_mediation_options, draft));
        m->o.draft = NULL;
        m->o.draft_payload = NULL;
    } else if (opts->version == 2) { /* version 2 ended with `draft_payload` */
        memcpy(&m->o, opts, offsetof(truce_mediation_options, max_seconds));
    } else if (opts->version == 3) { /* version 3 ended with `clock_payload` */
        memcpy(&m->o, opts, offsetof(truce_mediation_options, noise));
    } else if (opts->version == 4) { /* version 4 ended with `noise` */
        memcpy(&m->o, opts, offsetof(truce_mediation_options, agenda));
    } else {
        m->o = *opts;
    }
    if (opts->version < 5)
        m->o.agenda = TRUCE_AGENDA_IGNORE;
    if (opts->version < 4)
        m->o.noise = 0;
    if (opts->version < 3) {
        m->o.max_seconds = 0;
        m->o.clock = NULL;
        m->o.clock_payload = NULL;
    }
    m->n = s->n_parties;
    m->ni = s->n_issues;
    m->err = err;
    m->end = "limit";
    m->nash_distance = NAN;
    m->fault = -1;
    rng_seed(&m->r, opts->seed);
    rng_seed(&m->noise_r, mix(opts->seed, (uint64_t)-2)); /* the responders' noise */
    m->principals = calloc(m->n, sizeof *m->principals);
    m->draft = calloc(m->ni, sizeof *m->draft);
    m->best = calloc(m->n, sizeof *m->best);
    m->seen = calloc(m->n, sizeof *m->seen);
    m->below = calloc(m->n, sizeof *m->below);
    size_t memory = (m->n ? m->n : 1) * (s->total_options ? s->total_options : 1);
    m->forbid = calloc(memory, 1);
    m->loss = malloc(memory * sizeof *m->loss);
    m->loss_cap = malloc(memory * sizeof *m->loss_cap);
    m->drafts = calloc(((size_t)opts->max_iterations + 1) * (m->ni ? m->ni : 1), sizeof *m->drafts);
    m->said = calloc(((size_t)opts->max_iterations + 1) * (m->n ? m->n : 1), 1);
    m->history = json_array();
    m->route = malloc((m->n ? m->n : 1) * sizeof *m->route);
    m->route_queue = malloc((m->n ? m->n : 1) * sizeof *m->route_queue);
    m->hops = malloc((m->n ? m->n : 1) * sizeof *m->hops);
    m->inflated = calloc(m->n ? m->n : 1, sizeof *m->inflated);
    m->home = calloc(m->ni ? m->ni : 1, sizeof *m->home);
    m->kept = calloc(m->ni ? m->ni : 1, sizeof *m->kept);
    if (!m->principals || !m->draft || !m->best || !m->seen || !m->below || !m->forbid ||
        !m->loss || !m->loss_cap || !m->drafts || !m->said || !m->history || !m->route ||
        !m->route_queue || !m->hops || !m->inflated || !m->home || !m->kept) {
        truce_mediation_free(m);
        return error_nomem(err);
    }
    for (size_t x = 0; x < memory; x++) {
        m->loss[x] = NAN;
        m->loss_cap[x] = INFINITY;
    }
    for (size_t p = 0; p < m->n; p++) {
        if (s->parties[p].role == TRUCE_ROLE_PRINCIPAL)
            m->principals[m->np++] = p;
        if (!(m->seen[p] = calloc(opts->max_iterations + 1, sizeof **m->seen))) {
            truce_mediation_free(m);
            return error_nomem(err);
        }
    }
    if (m->np < 2) {
        truce_mediation_free(m);
        return error_set(err, TRUCE_EINVAL, NULL, 0, "parties",
                         "mediated talks need at least 2 principals");
    }
    if (opts->codrafter >= 0 && ((size_t)opts->codrafter >= m->n ||
                                 s->parties[opts->codrafter].role != TRUCE_ROLE_PRINCIPAL)) {
        truce_mediation_free(m);
        return error_set(err, TRUCE_EINVAL, NULL, 0, "codrafter",
                         "the co-drafter must be a principal");
    }
    if ((rc = pick_mediator(m))) {
        truce_mediation_free(m);
        return rc;
    }
    double total = 1;
    for (size_t i = 0; i < m->ni; i++)
        total *= s->issues[i].n_options;
    m->n_outcomes = total <= opts->max_outcomes ? (uint64_t)total : 0;
    if (!m->n_outcomes && opts->strategy == TRUCE_MEDIATOR_INFORMED) {
        truce_mediation_free(m);
        return error_set(err, TRUCE_ELIMIT, NULL, 0, "max_outcomes",
                         "the informed mediator searches every outcome, and '%s' has %.3g "
                         "(more than %.3g): use the uninformed mediator",
                         s->name, total, opts->max_outcomes);
    }
    /* each party's best utility within its hard conditions */
    uint32_t *o = malloc(m->ni * sizeof *o);
    for (size_t p = 0; o && p < m->n; p++)
        m->best[p] = m->n_outcomes ? 0 : 1;
    for (uint64_t x = 0; o && x < m->n_outcomes; x++) {
        decode(m, x, o);
        int impossible = s->n_constraints && constraint_first_broken(s, o) >= 0;
        for (size_t p = 0; p < m->n; p++) {
            if (impossible || party_violates(&s->parties[p], o) >= 0)
                continue;
            double u = blended(m, p, o); /* valued() without its time-dependent shift */
            if (u > m->best[p])
                m->best[p] = u;
        }
    }
    free(o);
    first_draft(m);
    if (m->o.agenda != TRUCE_AGENDA_IGNORE &&
        med_agenda_create(&m->agenda, s, m->o.agenda, m->mediator) != 0) {
        truce_mediation_free(m);
        return error_nomem(err);
    }
    rc = agents_setup(m, opts->agents, err);
    if (rc == 0)
        rc = run(m);
    agents_release(m);
    if (rc) {
        truce_mediation_free(m);
        return rc;
    }
    m->err = NULL;
    *out = m;
    return 0;
}

const char *truce_mediation_end(const truce_mediation *m)
{
    return m->end;
}

long truce_mediation_fault(const truce_mediation *m)
{
    return m->fault;
}

const char *truce_mediation_reason(const truce_mediation *m)
{
    return m->reason;
}

int truce_mediation_agreement(const truce_mediation *m)
{
    return m->agreement;
}

const uint32_t *truce_mediation_draft(const truce_mediation *m)
{
    return m->draft;
}

uint32_t truce_mediation_iterations(const truce_mediation *m)
{
    return m->iterations;
}

uint32_t truce_mediation_drafts(const truce_mediation *m)
{
    return distinct_drafts(m);
}

uint64_t truce_mediation_messages(const truce_mediation *m)
{
    return m->messages;
}

/* What the uninformed mediator learned, per principal: the options its
 * vetoes ruled out and how many drafts it said were no better than its
 * BATNA (the evidence behind a conclusion that no zone exists). */
static json_t *learned_report(const truce_mediation *m)
{
    json_t *doc = json_object();
    for (size_t k = 0; k < m->np; k++) {
        json_t *vetoed = json_object();
        for (size_t i = 0; i < m->ni; i++) {
            json_t *options = json_array();
            for (uint32_t o = 0; o < m->s->issues[i].n_options; o++)
                if (m->forbid[k * m->s->total_options + slot_of(m, i, o)]) {
                    char label[512];
                    json_array_append_new(options,
                                          json_string(label_of(m, i, o, label, sizeof label)));
                }
            if (json_array_size(options))
                json_object_set_new(vetoed, m->s->issues[i].name, options);
            else
                json_decref(options);
        }
        uint32_t below = 0;
        for (uint32_t it = 0; it < m->iterations; it++)
            below += m->said[(size_t)it * m->np + k] == SAID_BELOW;
        json_t *entry =
            json_pack("{s:o,s:I}", "vetoed", vetoed, "below_batna_drafts", (json_int_t)below);
        /* answers whose gains could not be true (claims_inflated), when there were any */
        if (m->inflated[k])
            json_object_set_new(entry, "inflated_answers", json_integer(m->inflated[k]));
        json_object_set_new(doc, name_of(m, m->principals[k]), entry);
    }
    return doc;
}

double truce_mediation_utility(const truce_mediation *m, size_t p)
{
    return p < m->n ? util(m, p, m->draft) : NAN;
}

double truce_mediation_nash_distance(const truce_mediation *m)
{
    return m->nash_distance;
}

int truce_mediation_report(const truce_mediation *m, char **out, truce_error *err)
{
    error_clear(err);
    if (!m || !out)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    json_t *utilities = json_object();
    for (size_t p = 0; p < m->n; p++)
        json_object_set_new(utilities, m->s->parties[p].name, json_real(util(m, p, m->draft)));
    json_t *doc = json_pack("{s:s,s:s,s:s,s:s,s:b,s:s,s:I,s:o,s:o,s:o,s:O}", "scenario", m->s->name,
                            "mediator", name_of(m, m->mediator), "strategy",
                            strategy_name(m->o.strategy), "end", m->end, "agreement", m->agreement,
                            "reason", m->reason, "iterations", (json_int_t)m->iterations, "outcome",
                            report_outcome(m->s, m->draft), "utilities", utilities, "nash_distance",
                            isfinite(m->nash_distance) ? json_real(m->nash_distance) : json_null(),
                            "history", m->history);
    if (!doc)
        return error_nomem(err);
    if (m->fault >= 0)
        json_object_set_new(doc, "fault", json_string(name_of(m, (size_t)m->fault)));
    json_object_set_new(doc, "drafts", json_integer((json_int_t)distinct_drafts(m)));
    json_object_set_new(doc, "messages", json_integer((json_int_t)m->messages));
    if (m->o.strategy == TRUCE_MEDIATOR_UNINFORMED)
        json_object_set_new(doc, "learned", learned_report(m));
    if (m->agenda) {
        json_t *agenda = med_agenda_plan(m->agenda);
        json_object_set_new(agenda, "settled", med_agenda_settled(m->agenda));
        json_object_set_new(doc, "agenda", agenda);
    }
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(doc);
    if (!text)
        return error_nomem(err);
    *out = text;
    return 0;
}
