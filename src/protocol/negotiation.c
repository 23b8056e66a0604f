/* negotiation.c: the stacked alternating offers protocol (bilateral SAO for
 * two parties, ANAC 2015 multilateral for more), deadlines, GENIUS
 * discounting, faults, and the JSON Lines trace. Nothing is allocated per run. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/constraint.h"
#include "../core/channels.h"
#include "../core/error.h"
#include "../core/hard.h"
#include "../core/utf8.h"
#include "space.h"

#define TRACE_MIN 4096

struct truce_negotiation {
    arena a;
    const truce_space *sp;
    const truce_scenario *s;
    size_t n, ni;          /* n: seats, the scenario's principals in order */
    size_t *seat;          /* seat -> scenario party index */
    int hard;              /* some seat's party has hard conditions (never in GENIUS scenarios) */
    unsigned char *vetoed; /* per seat: the standing offer breaks its party's own hard condition */
    truce_agent_spec *agents;
    void **state;
    size_t *state_size;
    unsigned char *live; /* per agent: init was called, release(0) is due */
    unsigned char *kept; /* per agent: a class with release holds state, release(1) is due */
    truce_negotiation_options o;
    uint32_t *standing;
    uint32_t *offer;
    /* results */
    int agreement;
    uint32_t *outcome;
    double *utility, *utility_u;
    uint64_t rounds;
    double time;
    long fault;
    char fault_message[600];
    const char *reason;
    double pareto_distance, nash_distance;
    /* trace */
    char *trace;
    size_t trace_cap;
    size_t trace_len;
    int trace_failed;
    /* channels over time (docs/scenario-format.md#channels-over-time): the periods of
     * channel_breaks and whether every pair of principals may talk in each;
     * NULL when no channel has a time window */
    double *talk_start;
    unsigned char *talk_open;
    size_t n_talk;
    /* under a decision rule other than plain unanimity (docs/scenario-format.md#decision-rules):
     * per party (the scenario's indices), who accepted the standing offer and who left */
    int rule;
    unsigned char *accepted, *gone;
};

/* ---- trace formatting (only when a trace callback is set) ---- */

static void put(truce_negotiation *ng, const char *text)
{
    size_t len = strlen(text);
    if (ng->trace_len + len + 1 > ng->trace_cap) {
        ng->trace_failed = 1;
        return;
    }
    memcpy(ng->trace + ng->trace_len, text, len + 1);
    ng->trace_len += len;
}

/* A JSON string; bytes that are not UTF-8 (agent specifications come from the command line)
 * are written as U+FFFD, so that the trace stays JSON that readers take. */
static void put_string(truce_negotiation *ng, const char *text)
{
    char esc[8];
    put(ng, "\"");
    size_t left = strlen(text);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++, left--) {
        size_t n = *c < 0x80 ? 1 : utf8_sequence(c, left);
        if (*c == '"' || *c == '\\') {
            snprintf(esc, sizeof esc, "\\%c", *c);
            put(ng, esc);
        } else if (*c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *c);
            put(ng, esc);
        } else if (n == 0) {
            put(ng, "\\ufffd");
        } else {
            char seq[5] = {0};
            memcpy(seq, c, n);
            put(ng, seq);
            c += n - 1;
            left -= n - 1;
        }
    }
    put(ng, "\"");
}

static void put_double(truce_negotiation *ng, double v)
{
    char buf[40];
    if (!isfinite(v))
        snprintf(buf, sizeof buf, "null");
    else
        snprintf(buf, sizeof buf, "%.17g", v);
    put(ng, buf);
}

static void put_uint(truce_negotiation *ng, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    put(ng, buf);
}

static void put_outcome(truce_negotiation *ng, const uint32_t *o)
{
    if (!o) {
        put(ng, "null");
        return;
    }
    put(ng, "{");
    for (size_t i = 0; i < ng->ni; i++) {
        const issue *is = &ng->s->issues[i];
        if (i)
            put(ng, ",");
        put_string(ng, is->name);
        put(ng, ":");
        if (is->kind == TRUCE_ISSUE_DISCRETE) {
            put_string(ng, is->labels[o[i]]);
        } else if (is->kind == TRUCE_ISSUE_INTEGER) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", (long long)(is->int_lower + (int64_t)o[i]));
            put(ng, buf);
        } else {
            put_double(ng, issue_option_value(is, o[i]));
        }
    }
    put(ng, "}");
}

static void put_utilities(truce_negotiation *ng, const uint32_t *o)
{
    put(ng, "[");
    for (size_t p = 0; p < ng->n; p++) {
        if (p)
            put(ng, ",");
        put_double(ng, space_utility(ng->sp, ng->seat[p], o));
    }
    put(ng, "]");
}

static void put_values(truce_negotiation *ng, const double *v)
{
    put(ng, "[");
    for (size_t p = 0; p < ng->n; p++) {
        if (p)
            put(ng, ",");
        put_double(ng, v[p]);
    }
    put(ng, "]");
}

static int emit(truce_negotiation *ng)
{
    if (ng->trace_failed)
        return TRUCE_ELIMIT;
    return ng->o.trace(ng->trace, ng->trace_len, ng->o.trace_payload) ? TRUCE_EIO : 0;
}

static int trace_start(truce_negotiation *ng, uint64_t seed)
{
    ng->trace_len = 0;
    put(ng, "{\"type\":\"start\",\"protocol\":\"");
    put(ng, ng->n == 2 ? "alternating-offers" : "stacked-alternating-offers");
    put(ng, "\",\"scenario\":");
    put_string(ng, ng->s->name);
    put(ng, ",\"parties\":[");
    for (size_t p = 0; p < ng->n; p++) {
        if (p)
            put(ng, ",");
        put_string(ng, ng->s->parties[ng->seat[p]].name);
    }
    put(ng, "],\"agents\":[");
    for (size_t p = 0; p < ng->n; p++) {
        if (p)
            put(ng, ",");
        char spec[512];
        const char *params = ng->agents[p].params;
        snprintf(spec, sizeof spec, "%s%s%s", ng->agents[p].cls->name, params && *params ? ":" : "",
                 params ? params : "");
        put_string(ng, spec);
    }
    put(ng, "],\"seed\":");
    /* JSON readers (jansson, truce's own) take integers up to 2^63 - 1: larger seeds are written
     * as decimal strings, so that every trace can be read back (docs/trace.md) */
    if (seed > (uint64_t)INT64_MAX)
        put(ng, "\"");
    put_uint(ng, seed);
    if (seed > (uint64_t)INT64_MAX)
        put(ng, "\"");
    put(ng, ",\"deadline\":{");
    if (ng->o.max_rounds) {
        put(ng, "\"rounds\":");
        put_uint(ng, ng->o.max_rounds);
        put(ng,
            ng->o.clock == TRUCE_CLOCK_GENIUS ? ",\"clock\":\"genius\"" : ",\"clock\":\"turn\"");
    } else {
        put(ng, "\"seconds\":");
        put_double(ng, ng->o.max_seconds);
    }
    put(ng, "}}");
    return emit(ng);
}

static int trace_action(truce_negotiation *ng, const char *type, size_t actor, uint64_t round,
                        double t, const uint32_t *o)
{
    ng->trace_len = 0;
    put(ng, "{\"type\":\"");
    put(ng, type);
    put(ng, "\",\"round\":");
    put_uint(ng, round);
    put(ng, ",\"time\":");
    put_double(ng, t);
    put(ng, ",\"actor\":");
    put_string(ng, ng->s->parties[ng->seat[actor]].name);
    if (o) {
        put(ng, ",\"outcome\":");
        put_outcome(ng, o);
        put(ng, ",\"utilities\":");
        put_utilities(ng, o);
    }
    put(ng, "}");
    return emit(ng);
}

static int trace_end(truce_negotiation *ng)
{
    ng->trace_len = 0;
    put(ng, "{\"type\":\"end\",\"reason\":\"");
    put(ng, ng->reason);
    put(ng, "\",\"round\":");
    put_uint(ng, ng->rounds);
    put(ng, ",\"time\":");
    put_double(ng, ng->time);
    put(ng, ",\"agreement\":");
    put(ng, ng->agreement ? "true" : "false");
    put(ng, ",\"outcome\":");
    put_outcome(ng, ng->agreement ? ng->outcome : NULL);
    put(ng, ",\"utilities\":");
    put_values(ng, ng->utility);
    put(ng, ",\"utilities_undiscounted\":");
    put_values(ng, ng->utility_u);
    put(ng, ",\"fault\":");
    if (ng->fault >= 0)
        put_string(ng, ng->s->parties[ng->seat[ng->fault]].name);
    else
        put(ng, "null");
    put(ng, ",\"fault_message\":");
    if (ng->fault >= 0)
        put_string(ng, ng->fault_message);
    else
        put(ng, "null");
    put(ng, "}");
    return emit(ng);
}

/* ---- the protocol ---- */

static double discount(const party *p, double u, double t)
{
    /* AbstractUtilitySpace.discount: u * d^t, t clamped to [0,1] */
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    return u * pow(p->discount, t);
}

static double distance(const double *a, const double *b, size_t n)
{
    double d = 0;
    for (size_t p = 0; p < n; p++)
        d += (a[p] - b[p]) * (a[p] - b[p]);
    return sqrt(d);
}

static void finish(truce_negotiation *ng, int agreement, double t, const char *reason)
{
    ng->agreement = agreement;
    ng->time = t;
    ng->reason = reason;
    ng->pareto_distance = NAN;
    ng->nash_distance = NAN;
    for (size_t p = 0; p < ng->n; p++) {
        const party *pt = &ng->s->parties[ng->seat[p]];
        if (agreement) {
            ng->utility_u[p] = space_utility(ng->sp, ng->seat[p], ng->outcome);
            ng->utility[p] = discount(pt, ng->utility_u[p], t);
        } else {
            /* getReservationValueWithDiscount: 0 stays 0, else discounted; a
             * time-dependent BATNA (native scenarios) is read at the end time */
            double r = party_reservation_at(pt, t);
            ng->utility_u[p] = r;
            ng->utility[p] = r == 0 ? 0 : discount(pt, r, t);
        }
    }
    if (agreement && ng->sp->analyzed && ng->sp->n_scored == ng->n) {
        /* scored in the bargainers' space, as analysed: the seats are the
         * bargainers, in the same order */
        double best = INFINITY;
        for (size_t j = 0; j < ng->sp->n_front; j++) {
            double d = distance(ng->utility_u, &ng->sp->front[j * ng->n], ng->n);
            if (d < best)
                best = d;
        }
        ng->pareto_distance = ng->sp->n_front ? best : NAN;
        if (ng->sp->has_nash)
            ng->nash_distance = distance(ng->utility_u, ng->sp->nash, ng->n);
    }
}

static int valid_offer(const truce_negotiation *ng, const uint32_t *o)
{
    for (size_t i = 0; i < ng->ni; i++)
        if (o[i] >= ng->s->issues[i].n_options)
            return 0;
    return 1;
}

/* The hard condition of seat p's own party that its action breaks: an offer
 * or an acceptance of an outcome its party vetoes; -1 when none. */
static int own_veto(const truce_negotiation *ng, size_t p, int kind, int has_standing)
{
    const party *pt = &ng->s->parties[ng->seat[p]];
    if (!pt->n_hard)
        return -1;
    if (kind == TRUCE_ACTION_OFFER && valid_offer(ng, ng->offer))
        return party_violates(pt, ng->offer);
    if (kind == TRUCE_ACTION_ACCEPT && has_standing)
        return party_violates(pt, ng->standing);
    return -1;
}

/* The scenario constraint seat p's action breaks (docs/scenario-format.md#
 * constraint-expressions: they bind every party), or -1. */
static long rule_veto(const truce_negotiation *ng, int kind, int has_standing)
{
    if (!ng->s->n_constraints)
        return -1;
    if (kind == TRUCE_ACTION_OFFER && valid_offer(ng, ng->offer))
        return constraint_first_broken(ng->s, ng->offer);
    if (kind == TRUCE_ACTION_ACCEPT && has_standing)
        return constraint_first_broken(ng->s, ng->standing);
    return -1;
}

/* Which seats' own parties the new standing offer breaks a hard condition of. */
static void note_vetoes(truce_negotiation *ng)
{
    for (size_t q = 0; q < ng->n; q++)
        ng->vetoed[q] = party_violates(&ng->s->parties[ng->seat[q]], ng->standing) >= 0;
}

/* Say what seat p did wrong: the agent's own words when it failed (arc != 0),
 * else what the engine found wrong with its action. */
static void describe_fault(truce_negotiation *ng, size_t p, int arc, int kind, int has_standing)
{
    int veto = arc ? -1 : own_veto(ng, p, kind, has_standing);
    long rule = arc || veto >= 0 ? -1 : rule_veto(ng, kind, has_standing);
    const truce_agent_class *cls = ng->agents[p].cls;
    char *msg = ng->fault_message;
    size_t size = sizeof ng->fault_message;
    const char *own =
        arc && cls->fault_message ? cls->fault_message(ng->state[p], cls->payload) : NULL;
    if (own && *own) {
        snprintf(msg, size, "%s", own);
    } else if (arc) {
        snprintf(msg, size, "agent '%s' failed (%s)", cls->name, truce_strerror(arc));
    } else if (veto >= 0) {
        char why[500];
        const party *pt = &ng->s->parties[ng->seat[p]];
        hard_broken(ng->s, pt, veto, kind == TRUCE_ACTION_OFFER ? ng->offer : ng->standing, why,
                    sizeof why);
        snprintf(msg, size, "%s an outcome that breaks %s's own hard condition %s",
                 kind == TRUCE_ACTION_OFFER ? "offered" : "accepted", pt->name, why);
    } else if (rule >= 0) {
        const scenario_rule *c = &ng->s->constraints[rule];
        snprintf(msg, size, "%s an outcome that breaks the scenario constraint '%s' (%s)",
                 kind == TRUCE_ACTION_OFFER ? "offered" : "accepted", c->id, c->rule.text);
    } else if (kind == TRUCE_ACTION_ACCEPT && !has_standing) {
        snprintf(msg, size, "accepted when there was no offer to accept");
    } else if (kind == TRUCE_ACTION_OFFER) {
        for (size_t i = 0; i < ng->ni; i++)
            if (ng->offer[i] >= ng->s->issues[i].n_options) {
                snprintf(msg, size,
                         "invalid offer: option %lu out of range for issue '%s' (options 0 to %lu)",
                         (unsigned long)ng->offer[i], ng->s->issues[i].name,
                         (unsigned long)ng->s->issues[i].n_options - 1);
                break;
            }
    } else {
        snprintf(msg, size, "unknown action kind %d", kind);
    }
    /* an agent's words can hold any bytes (a Lua error, a program's output) and be cut in the
     * middle of a character: traces and JSON outputs must stay readable */
    utf8_repair(msg);
}

static void observe_all(truce_negotiation *ng, const truce_event *ev)
{
    for (size_t p = 0; p < ng->n; p++)
        if (ng->agents[p].cls->observe)
            ng->agents[p].cls->observe(ng->state[p], ev, ng->agents[p].cls->payload);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t mix(uint64_t seed, uint64_t who)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (who + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Let agents free what lives outside their state (Lua states, processes):
 * what a run used (final 0), or everything (final 1). */
static void release_agents(truce_negotiation *ng, int final)
{
    for (size_t p = 0; ng->live && ng->kept && p < ng->n; p++) {
        const truce_agent_class *cls = ng->agents[p].cls;
        if (ng->live[p] && cls->release)
            cls->release(ng->state[p], 0, cls->payload);
        ng->live[p] = 0;
        if (final && ng->kept[p])
            cls->release(ng->state[p], 1, cls->payload);
        if (final)
            ng->kept[p] = 0;
    }
}

static int init_agents(truce_negotiation *ng, uint64_t seed, truce_error *err)
{
    release_agents(ng, 0);
    for (size_t p = 0; p < ng->n; p++) {
        /* a class with release keeps its state between runs (see truce.h) */
        if (!ng->kept[p])
            memset(ng->state[p], 0, ng->state_size[p]);
        ng->live[p] = 1;
        ng->kept[p] = ng->agents[p].cls->release != NULL;
        truce_agent_setup setup = {ng->sp,       ng->seat[p],
                                   ng->n,        ng->o.max_rounds,
                                   mix(seed, p), ng->agents[p].params ? ng->agents[p].params : ""};
        int rc = ng->agents[p].cls->init(ng->state[p], &setup, err, ng->agents[p].cls->payload);
        if (rc) {
            if (err && !err->message[0])
                error_set(err, TRUCE_EINVAL, NULL, 0, ng->agents[p].cls->name,
                          "agent '%s' of party '%s' failed to start", ng->agents[p].cls->name,
                          ng->s->parties[ng->seat[p]].name);
            return rc < 0 ? rc : TRUCE_EINVAL;
        }
    }
    return 0;
}

/* Channels over time: direct talks go on only while every pair of
 * principals has an open channel. 1 when they may talk at t. */
static int talks_open(const truce_negotiation *ng, double t)
{
    if (!ng->talk_start)
        return 1;
    size_t k = 0;
    while (k + 1 < ng->n_talk && ng->talk_start[k + 1] <= t)
        k++;
    return ng->talk_open[k];
}

/* The time (0..1) after t at which the channels of every pair of principals
 * open again, or -1 when they never do. */
static double talks_reopen(const truce_negotiation *ng, double t)
{
    for (size_t k = 0; ng->talk_start && k < ng->n_talk; k++)
        if (ng->talk_start[k] > t && ng->talk_open[k])
            return ng->talk_start[k];
    return -1;
}

/* Under a deadline in seconds, wait (without spinning) until relative time
 * `until`, or at most until the deadline. */
static void wait_until(double start, double max_seconds, double until)
{
    double left = start + (until < 1 ? until : 1) * max_seconds - now_seconds();
    if (left <= 0)
        return;
    struct timespec pause = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
    if (pause.tv_nsec >= 1000000000L)
        pause.tv_nsec = 999999999L;
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
        ;
}

/* Fill the periods of talks_open; 0, TRUCE_ENOMEM, or TRUCE_EINVAL when
 * the principals' channels are never all open at once. */
static int talk_periods(truce_negotiation *ng, truce_error *err)
{
    const truce_scenario *s = ng->s;
    if (!channels_timed(s))
        return 0;
    ng->talk_start = arena_array(&ng->a, 2 * s->n_windows + 1, sizeof *ng->talk_start);
    ng->talk_open = arena_array(&ng->a, 2 * s->n_windows + 1, 1);
    if (!ng->talk_start || !ng->talk_open)
        return error_nomem(err);
    ng->n_talk = channel_breaks(s, ng->talk_start);
    int ever = 0;
    for (size_t k = 0; k < ng->n_talk; k++) {
        int open = 1;
        for (size_t a = 0; a < ng->n && open; a++)
            for (size_t b = a + 1; b < ng->n && open; b++)
                open = truce_channel_open(s, ng->seat[a], ng->seat[b], ng->talk_start[k]);
        ng->talk_open[k] = (unsigned char)open;
        ever |= open;
    }
    if (!ever)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "channels",
                         "the channels between the principals are never all open at the same "
                         "time, so direct talks cannot take place; mediated talks along the "
                         "channels can run with 'truce mediate'");
    return 0;
}

/* ---- under a decision rule (docs/analysis.md#negotiation-under-a-decision-rule) ---- */

/* A new standing offer from seat p: only its proposer has accepted it. */
static void rule_offer(truce_negotiation *ng, size_t p)
{
    memset(ng->accepted, 0, ng->s->n_parties);
    ng->accepted[ng->seat[p]] = 1;
}

/* The standing offer is agreed: the principals that accepted it win under the rule and every
 * ratifier accepts it at t (its own hard conditions kept, above its reservation value). */
static int rule_agreed(const truce_negotiation *ng, double t)
{
    const truce_scenario *s = ng->s;
    if (!scenario_rule_met(s, ng->accepted))
        return 0;
    for (size_t q = 0; s->ratifier && q < s->n_parties; q++)
        if (s->ratifier[q] && !party_accepts(s, q, ng->standing, t))
            return 0;
    return 1;
}

/* Every seat still at the table has accepted the standing offer (and it was not ratified). */
static int rule_all_answered(const truce_negotiation *ng)
{
    for (size_t q = 0; q < ng->n; q++)
        if (!ng->gone[ng->seat[q]] && !ng->accepted[ng->seat[q]])
            return 0;
    return 1;
}

/* The seats still at the table can still win under the rule. */
static int rule_can_win(const truce_negotiation *ng)
{
    unsigned char *in = ng->accepted; /* reused: a walk-away ends the standing offer's vote */
    for (size_t p = 0; p < ng->s->n_parties; p++)
        in[p] = ng->s->parties[p].role == TRUCE_ROLE_PRINCIPAL && !ng->gone[p];
    int can = scenario_rule_met(ng->s, in);
    memset(in, 0, ng->s->n_parties);
    return can;
}

int truce_negotiation_run(truce_negotiation *ng, uint64_t seed, truce_error *err)
{
    error_clear(err);
    int rc = init_agents(ng, seed, err);
    if (rc)
        return rc;
    int tracing = ng->o.trace != NULL;
    if (tracing && (rc = trace_start(ng, seed)))
        goto trace_error;
    size_t n = ng->n;
    int has_standing = 0;
    memset(ng->vetoed, 0, ng->n);
    if (ng->rule) {
        memset(ng->accepted, 0, ng->s->n_parties);
        memset(ng->gone, 0, ng->s->n_parties);
    }
    size_t standing_from = 0, accepts = 0;
    double start = ng->o.max_rounds ? 0 : now_seconds();
    uint64_t round = 0;
    ng->fault = -1;
    ng->fault_message[0] = '\0';
    for (;;) {
        round++;
        if (ng->o.max_rounds && round > ng->o.max_rounds)
            break;
        size_t p;
        double t = 0;
        int expired = 0;
        for (p = 0; p < n; p++) {
            if (ng->o.max_rounds && ng->o.clock == TRUCE_CLOCK_GENIUS) {
                /* DiscreteTimeline: round r of N at r / (N + 1), every party alike */
                t = (double)round / ((double)ng->o.max_rounds + 1);
            } else if (ng->o.max_rounds) {
                t = ((double)(round - 1) * n + p) / ((double)ng->o.max_rounds * n);
            } else {
                t = (now_seconds() - start) / ng->o.max_seconds;
                if (t >= 1) {
                    expired = 1;
                    break;
                }
            }
            if (ng->rule && ng->gone[ng->seat[p]])
                continue; /* walked away under a rule that lets the others go on */
            if (!talks_open(ng, t)) {
                /* a closed channel: the turn passes in silence; closed for
                 * good, the talks are over at once (as at the deadline) */
                double reopen = talks_reopen(ng, t);
                if (reopen >= 0) {
                    /* under a deadline in seconds, sleep until they reopen
                     * rather than spin through silent turns */
                    if (!ng->o.max_rounds)
                        wait_until(start, ng->o.max_seconds, reopen);
                    continue;
                }
                expired = 1;
                break;
            }
            truce_turn turn = {round,
                               t,
                               has_standing ? ng->standing : NULL,
                               ng->seat[standing_from],
                               has_standing ? space_utility(ng->sp, ng->seat[p], ng->standing) : 0,
                               ng->vetoed[p]};
            truce_action_kind kind = TRUCE_ACTION_END;
            const truce_agent_class *cls = ng->agents[p].cls;
            int arc = cls->act(ng->state[p], &turn, &kind, ng->offer, cls->payload);
            ng->rounds = round;
            /* under a deadline in seconds, an action that comes after it is
             * too late (a person or a program may take long to answer) */
            if (!ng->o.max_rounds && now_seconds() - start >= ng->o.max_seconds) {
                expired = 1;
                break;
            }
            truce_event ev = {kind, ng->seat[p], round, t, NULL};
            /* last: no agent may offer or accept what its own party vetoes */
            if (arc || (kind == TRUCE_ACTION_ACCEPT && !has_standing) ||
                (kind == TRUCE_ACTION_OFFER && !valid_offer(ng, ng->offer)) ||
                (kind != TRUCE_ACTION_ACCEPT && kind != TRUCE_ACTION_OFFER &&
                 kind != TRUCE_ACTION_END) ||
                (ng->hard && own_veto(ng, p, (int)kind, has_standing) >= 0) ||
                rule_veto(ng, (int)kind, has_standing) >= 0) {
                ng->fault = (long)p;
                describe_fault(ng, p, arc, (int)kind, has_standing);
                finish(ng, 0, t, "fault");
                goto done;
            }
            if (kind == TRUCE_ACTION_END) {
                if (tracing && (rc = trace_action(ng, "end-negotiation", p, round, t, NULL)))
                    goto trace_error;
                /* truce_event promises END events too (offer NULL) */
                observe_all(ng, &ev);
                if (ng->rule) {
                    /* under a rule a seat that ends leaves the table: its answer is a refusal;
                     * the talks end when the seats left can no longer win */
                    ng->gone[ng->seat[p]] = 1;
                    if (rule_can_win(ng)) {
                        has_standing = 0;
                        continue;
                    }
                }
                finish(ng, 0, t, "walk-away");
                goto done;
            }
            if (kind == TRUCE_ACTION_OFFER) {
                memcpy(ng->standing, ng->offer, ng->ni * sizeof *ng->offer);
                if (ng->hard)
                    note_vetoes(ng);
                has_standing = 1;
                standing_from = p;
                accepts = 0;
                ev.offer = ng->standing;
                if (tracing && (rc = trace_action(ng, "offer", p, round, t, ng->standing)))
                    goto trace_error;
                observe_all(ng, &ev);
                if (ng->rule) {
                    rule_offer(ng, p);
                    if (rule_agreed(ng, t)) { /* its proposer alone wins under the rule */
                        memcpy(ng->outcome, ng->standing, ng->ni * sizeof *ng->outcome);
                        finish(ng, 1, t, "agreement");
                        goto done;
                    }
                    if (rule_all_answered(ng)) /* alone at the table, not ratified */
                        has_standing = 0;
                }
                continue;
            }
            accepts++;
            ev.offer = ng->standing;
            if (tracing && (rc = trace_action(ng, "accept", p, round, t, ng->standing)))
                goto trace_error;
            observe_all(ng, &ev);
            if (ng->rule) {
                ng->accepted[ng->seat[p]] = 1;
                if (rule_agreed(ng, t)) {
                    memcpy(ng->outcome, ng->standing, ng->ni * sizeof *ng->outcome);
                    finish(ng, 1, t, "agreement");
                    goto done;
                }
                /* every seat at the table accepted and a ratifier refused: the offer
                 * falls, the next seat makes a new one */
                if (rule_all_answered(ng))
                    has_standing = 0;
                continue;
            }
            if (accepts == n - 1) {
                memcpy(ng->outcome, ng->standing, ng->ni * sizeof *ng->outcome);
                finish(ng, 1, t, "agreement");
                goto done;
            }
        }
        if (expired)
            break;
    }
    if (ng->o.max_rounds)
        ng->rounds = ng->o.max_rounds;
    /* under the GENIUS clock the talks end at the last round's time N / (N + 1), where GENIUS
     * discounts the reservation values (0.6 * 0.87^(100/101) = 0.52272 on ANAC 2013 SmartPhone,
     * as GENIUS 10.4 reports); otherwise at t = 1 */
    finish(ng, 0,
           ng->o.max_rounds && ng->o.clock == TRUCE_CLOCK_GENIUS
               ? (double)ng->o.max_rounds / ((double)ng->o.max_rounds + 1)
               : 1.0,
           "deadline");
done:
    if (tracing && (rc = trace_end(ng)))
        goto trace_error;
    release_agents(ng, 0);
    return 0;
trace_error:
    release_agents(ng, 0);
    return error_set(err, rc, NULL, 0, "trace",
                     rc == TRUCE_ELIMIT ? "a trace record outgrew its buffer"
                                        : "the trace callback failed");
}

static size_t trace_capacity(const truce_scenario *s, size_t n_agents)
{
    /* worst case: every character escaped as \u00XX (6 bytes) */
    size_t cap = TRACE_MIN + 6 * strlen(s->name);
    for (size_t i = 0; i < s->n_issues; i++) {
        size_t longest = 32;
        if (s->issues[i].kind == TRUCE_ISSUE_DISCRETE)
            for (uint32_t k = 0; k < s->issues[i].n_options; k++) {
                size_t l = strlen(s->issues[i].labels[k]);
                if (l > longest)
                    longest = l;
            }
        cap += 6 * (strlen(s->issues[i].name) + longest) + 8;
    }
    for (size_t p = 0; p < s->n_parties; p++)
        cap += 6 * strlen(s->parties[p].name) + 3 * 40;
    for (size_t p = 0; p < n_agents; p++)
        cap += 6 * 512;
    return cap;
}

/* Some outcome respects party p's own hard conditions (and, in a tabulated space, the scenario
 * constraints): its agent has something to offer. */
static int can_bid(const truce_space *sp, size_t p)
{
    if (sp->tabulated)
        return sp->n_bids[p] > 0;
    const truce_scenario *s = sp->s;
    const unsigned char *allowed = s->parties[p].allowed;
    for (size_t i = 0; allowed && i < s->n_issues; i++) {
        int any = 0;
        for (uint32_t k = 0; k < s->issues[i].n_options && !any; k++)
            any = allowed[s->option_offset[i] + k];
        if (!any)
            return 0;
    }
    return 1;
}

int truce_negotiation_create(truce_negotiation **out, const truce_space *sp,
                             const truce_agent_spec *agents, size_t n_agents,
                             const truce_negotiation_options *o, truce_error *err)
{
    error_clear(err);
    truce_negotiation_options defaults = TRUCE_NEGOTIATION_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (!out || !sp || !agents)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (o->version != TRUCE_NEGOTIATION_OPTIONS_VERSION && o->version != 1)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_negotiation_options version %d is not %d", o->version,
                         TRUCE_NEGOTIATION_OPTIONS_VERSION);
    if (o->version >= 2 && o->clock != TRUCE_CLOCK_GENIUS && o->clock != TRUCE_CLOCK_TURN)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "clock",
                         "truce_negotiation_options clock %d is not TRUCE_CLOCK_GENIUS or "
                         "TRUCE_CLOCK_TURN",
                         o->clock);
    const truce_scenario *s = sp->s;
    size_t n_principals = 0;
    for (size_t p = 0; p < s->n_parties; p++)
        n_principals += s->parties[p].role == TRUCE_ROLE_PRINCIPAL;
    if (n_agents != n_principals)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "agents",
                         "%zu agents given for %zu parties: give one agent per %sparty", n_agents,
                         n_principals, n_principals < s->n_parties ? "principal " : "");
    if (n_principals < 2)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "agents",
                         "a negotiation needs at least 2 principals");
    /* alternating offers are direct talks: every principal hears every
     * other, so each pair needs a channel */
    for (size_t a = 0; a < s->n_parties; a++)
        for (size_t b = a + 1; b < s->n_parties; b++)
            if (s->parties[a].role == TRUCE_ROLE_PRINCIPAL &&
                s->parties[b].role == TRUCE_ROLE_PRINCIPAL && !truce_channel(s, a, b))
                return error_set(err, TRUCE_EINVAL, NULL, 0, "channels",
                                 "%s and %s have no channel, so direct talks between them are "
                                 "impossible; mediated talks along the channels can run with "
                                 "'truce mediate'",
                                 s->parties[a].name, s->parties[b].name);
    /* say before it starts that no deal can respect every principal's hard
     * conditions (agents bid within their own, so none could be reached) */
    char conflict[sizeof err->message];
    /* under a decision rule an outvotable principal's hard conditions need not all hold */
    if (!scenario_has_rule(s) && hard_conflict(s, conflict, sizeof conflict))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "hard_conditions", "%s", conflict);
    for (size_t p = 0; scenario_has_rule(s) && p < s->n_parties; p++)
        if (s->parties[p].role == TRUCE_ROLE_PRINCIPAL && !can_bid(sp, p))
            return error_set(err, TRUCE_EINVAL, NULL, 0, "hard_conditions",
                             "no outcome respects %s's own hard conditions%s, so its agent could "
                             "neither offer nor accept anything (the decision rule may outvote "
                             "it, but it still sits at the table)",
                             s->parties[p].name,
                             s->n_constraints ? " and the scenario's constraints" : "");
    if (!(o->max_rounds > 0) && !(o->max_seconds > 0))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "deadline",
                         "impossible deadline: give a number of rounds or of seconds above 0");
    if (o->max_rounds > 0 && o->max_seconds > 0)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "deadline",
                         "give the deadline in rounds or in seconds, not both");
    if (o->max_rounds > (uint64_t)1 << 40 || (o->max_seconds > 0 && !(o->max_seconds < 1e7)))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "deadline", "deadline too far away");
    for (size_t p = 0; p < n_agents; p++)
        if (!agents[p].cls || !agents[p].cls->init || !agents[p].cls->act)
            return error_set(err, TRUCE_EINVAL, NULL, 0, "agents",
                             "agent %zu has no class or no init/act callbacks", p);
    mem m;
    mem_init(&m, o->allocator);
    arena a;
    arena_init(&a, &m);
    truce_negotiation *ng = arena_alloc(&a, sizeof *ng);
    if (!ng) {
        arena_release(&a);
        return error_nomem(err);
    }
    ng->a = a;
    ng->sp = sp;
    ng->s = s;
    ng->n = n_principals;
    ng->seat = arena_array(&ng->a, n_principals, sizeof *ng->seat);
    for (size_t p = 0, k = 0; ng->seat && p < s->n_parties; p++)
        if (s->parties[p].role == TRUCE_ROLE_PRINCIPAL) {
            ng->seat[k++] = p;
            ng->hard |= s->parties[p].n_hard > 0;
        }
    ng->vetoed = arena_array(&ng->a, n_principals, 1);
    ng->ni = s->n_issues;
    if (o->version == 1) { /* version 1 had the turn clock only */
        memcpy(&ng->o, o, offsetof(truce_negotiation_options, clock));
        ng->o.clock = TRUCE_CLOCK_TURN;
    } else {
        ng->o = *o;
    }
    ng->fault = -1;
    ng->reason = "none";
    ng->agents = arena_array(&ng->a, n_agents, sizeof *ng->agents);
    ng->state = arena_array(&ng->a, n_agents, sizeof *ng->state);
    ng->state_size = arena_array(&ng->a, n_agents, sizeof *ng->state_size);
    ng->live = arena_array(&ng->a, n_agents, sizeof *ng->live);
    ng->kept = arena_array(&ng->a, n_agents, sizeof *ng->kept);
    ng->standing = arena_array(&ng->a, ng->ni, sizeof *ng->standing);
    ng->offer = arena_array(&ng->a, ng->ni, sizeof *ng->offer);
    ng->outcome = arena_array(&ng->a, ng->ni, sizeof *ng->outcome);
    ng->utility = arena_array(&ng->a, ng->n, sizeof *ng->utility);
    ng->utility_u = arena_array(&ng->a, ng->n, sizeof *ng->utility_u);
    if ((ng->rule = scenario_has_rule(s)) != 0) {
        ng->accepted = arena_array(&ng->a, s->n_parties, 1);
        ng->gone = arena_array(&ng->a, s->n_parties, 1);
    }
    int ok = (!ng->rule || (ng->accepted && ng->gone)) && ng->seat && ng->vetoed && ng->agents &&
             ng->state && ng->state_size && ng->live && ng->kept && ng->standing && ng->offer &&
             ng->outcome && ng->utility && ng->utility_u;
    for (size_t p = 0; ok && p < n_agents; p++) {
        ng->agents[p] = agents[p];
        if (agents[p].params && !(ng->agents[p].params = arena_strdup(&ng->a, agents[p].params)))
            ok = 0;
        const truce_agent_class *cls = agents[p].cls;
        size_t size = cls->state_size_for ? cls->state_size_for(sp, cls->payload) : cls->state_size;
        ng->state_size[p] = size ? size : 1;
        ok = ok && (ng->state[p] = arena_alloc(&ng->a, ng->state_size[p])) != NULL;
    }
    if (ok && o->trace) {
        ng->trace_cap = trace_capacity(s, n_agents);
        ok = (ng->trace = arena_alloc(&ng->a, ng->trace_cap)) != NULL;
    }
    if (!ok) {
        truce_negotiation_free(ng);
        return error_nomem(err);
    }
    int trc = talk_periods(ng, err);
    if (trc) {
        truce_negotiation_free(ng);
        return trc;
    }
    /* check parameters now, so that a bad one is reported before any run */
    int rc = init_agents(ng, 0, err);
    release_agents(ng, 0);
    if (rc) {
        truce_negotiation_free(ng);
        return rc;
    }
    *out = ng;
    return 0;
}

void truce_negotiation_free(truce_negotiation *ng)
{
    if (!ng)
        return;
    release_agents(ng, 1);
    arena a = ng->a;
    arena_release(&a);
}

int truce_negotiation_agreement(const truce_negotiation *ng)
{
    return ng->agreement;
}

const uint32_t *truce_negotiation_outcome(const truce_negotiation *ng)
{
    return ng->agreement ? ng->outcome : NULL;
}

double truce_negotiation_utility(const truce_negotiation *ng, size_t p)
{
    return p < ng->n ? ng->utility[p] : NAN;
}

double truce_negotiation_utility_undiscounted(const truce_negotiation *ng, size_t p)
{
    return p < ng->n ? ng->utility_u[p] : NAN;
}

uint64_t truce_negotiation_rounds(const truce_negotiation *ng)
{
    return ng->rounds;
}

double truce_negotiation_time(const truce_negotiation *ng)
{
    return ng->time;
}

long truce_negotiation_fault(const truce_negotiation *ng)
{
    return ng->fault;
}

const char *truce_negotiation_fault_message(const truce_negotiation *ng)
{
    return ng->fault >= 0 ? ng->fault_message : "";
}

const char *truce_negotiation_end_reason(const truce_negotiation *ng)
{
    return ng->reason;
}

double truce_negotiation_pareto_distance(const truce_negotiation *ng)
{
    return ng->pareto_distance;
}

double truce_negotiation_nash_distance(const truce_negotiation *ng)
{
    return ng->nash_distance;
}

size_t truce_negotiation_seat_count(const truce_negotiation *ng)
{
    return ng->n;
}

size_t truce_negotiation_seat_party(const truce_negotiation *ng, size_t seat)
{
    return seat < ng->n ? ng->seat[seat] : (size_t)-1;
}
