/* session.c: one session of `truce serve`: the library's negotiation or
 * mediation run on a thread of its own, with every person seated as an agent
 * whose callbacks wait for that person's browser. The engine keeps the
 * rules (turns, channels, deadlines, hard conditions); this file only hands
 * it people's actions, records its trace, and times out stalled people. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* a person's action arriving this long after a deadline in seconds is
 * handed over late on purpose, so the engine itself rules it too late */
#define DEADLINE_MARGIN 0.05

const char *party_label(const session *s, const seat *st)
{
    return st->party == (size_t)-1 ? "mediator" : truce_party_name(s->s, st->party);
}

int seat_sees(const seat *st, int what)
{
    return !st || (st->reveal & what) == what;
}

json_t *reveal_json(int flags)
{
    if (flags == 0)
        return json_string("own");
    if (flags == REVEAL_ALL)
        return json_string("all");
    if (flags == REVEAL_WEIGHTS || flags == REVEAL_RESERVATIONS || flags == REVEAL_UTILITIES)
        return json_string(flags == REVEAL_WEIGHTS        ? "weights"
                           : flags == REVEAL_RESERVATIONS ? "reservations"
                                                          : "utilities");
    json_t *list = json_array();
    if (flags & REVEAL_WEIGHTS)
        json_array_append_new(list, json_string("weights"));
    if (flags & REVEAL_RESERVATIONS)
        json_array_append_new(list, json_string("reservations"));
    if (flags & REVEAL_UTILITIES)
        json_array_append_new(list, json_string("utilities"));
    return list;
}

/* ---- waiting for a person ---- */

static void bump(session *s)
{
    s->version++;
    pthread_cond_broadcast(&s->cond);
}

/* Wait (session locked) until the person at st acts, times out, the
 * deadline passes or the session is cancelled. `turn` (taken) is what the
 * person sees. Returns 0 with st->action set, 1 when a deadline in seconds
 * passed (the engine ends the run), or TRUCE_EINVAL with st->fault. */
static int wait_for(session *s, seat *st, int what, json_t *turn)
{
    json_decref(s->turn);
    s->turn = turn;
    s->waiting = what;
    s->waiting_seat = (long)st->index;
    s->waiting_since = serve_now();
    st->has_action = 0;
    st->fault[0] = '\0';
    bump(s);
    int rc = 0;
    for (;;) {
        if (st->has_action)
            break;
        if (s->cancelled) {
            snprintf(st->fault, sizeof st->fault, "%s", s->cancel_reason);
            rc = TRUCE_EINVAL;
            break;
        }
        double now = serve_now(), limit = s->waiting_since + s->seat_timeout;
        int by_deadline = s->deadline_at > 0 && s->deadline_at + DEADLINE_MARGIN < limit;
        if (by_deadline)
            limit = s->deadline_at + DEADLINE_MARGIN;
        if (now >= limit) {
            if (by_deadline) {
                rc = 1;
            } else {
                snprintf(st->fault, sizeof st->fault,
                         "no answer from the person at seat %s within %.0f s (the tab may have "
                         "been closed)",
                         party_label(s, st), s->seat_timeout);
                rc = TRUCE_EINVAL;
                store_presence(&s->srv->st, s->id, st->index, "timeout");
            }
            break;
        }
        struct timespec ts;
        double wake = limit < now + 3600 ? limit : now + 3600;
        ts.tv_sec = (time_t)wake;
        ts.tv_nsec = (long)((wake - (double)ts.tv_sec) * 1e9);
        pthread_cond_timedwait(&s->cond, &s->lock, &ts);
    }
    json_decref(s->turn);
    s->turn = NULL;
    s->waiting = WAIT_NONE;
    s->waiting_seat = -1;
    bump(s);
    return rc;
}

static int person_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)state;
    (void)setup;
    (void)err;
    (void)payload;
    return 0;
}

static const char *person_fault(const void *state, void *payload)
{
    (void)state;
    return ((const seat *)payload)->fault;
}

/* Alternating offers: the person's turn. */
static int person_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)state;
    seat *st = payload;
    session *s = st->session;
    size_t ni = truce_scenario_issue_count(s->s);
    json_t *t =
        json_pack("{s:I,s:f,s:o}", "round", (json_int_t)turn->round, "time", turn->time, "batna",
                  serve_real(truce_party_reservation_at(s->s, st->party, turn->time)));
    if (turn->offer) {
        json_object_set_new(t, "offer", serve_outcome_json(s->s, turn->offer));
        json_object_set_new(t, "offer_from", json_string(truce_party_name(s->s, turn->offer_from)));
        json_object_set_new(t, "offer_utility", serve_real(turn->offer_utility));
        json_object_set_new(t, "offer_vetoed", serve_vetoed(s->s, st->party, turn->offer));
    }
    pthread_mutex_lock(&s->lock);
    int rc = wait_for(s, st, WAIT_TURN, t);
    if (rc == 0) {
        *kind = st->action == ACT_OFFER    ? TRUCE_ACTION_OFFER
                : st->action == ACT_ACCEPT ? TRUCE_ACTION_ACCEPT
                                           : TRUCE_ACTION_END;
        if (st->action == ACT_OFFER)
            memcpy(offer, st->outcome, ni * sizeof *offer);
    } else if (rc == 1) {
        *kind = TRUCE_ACTION_END; /* after the deadline: the engine ends the run */
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Mediated talks: the person reviews the mediator's draft. */
static int person_review(void *state, const truce_draft *draft, truce_review *answer, void *payload)
{
    (void)state;
    seat *st = payload;
    session *s = st->session;
    size_t ni = truce_scenario_issue_count(s->s);
    json_t *t =
        json_pack("{s:I,s:f,s:o,s:o,s:o,s:o}", "iteration", (json_int_t)draft->iteration, "time",
                  draft->time, "draft", serve_outcome_json(s->s, draft->outcome), "utility",
                  serve_real(draft->utility), "batna", serve_real(draft->reservation), "vetoed",
                  serve_vetoed(s->s, st->party, draft->outcome));
    pthread_mutex_lock(&s->lock);
    int rc = wait_for(s, st, WAIT_REVIEW, t);
    if (rc == 0) {
        answer->kind = st->action == ACT_ACCEPT   ? TRUCE_REVIEW_ACCEPT
                       : st->action == ACT_OBJECT ? TRUCE_REVIEW_OBJECT
                                                  : TRUCE_REVIEW_WALK_AWAY;
        if (st->action == ACT_OBJECT)
            memcpy(answer->proposed, st->outcome, ni * sizeof *answer->proposed);
    } else if (rc == 1) {
        /* after the deadline in minutes: whatever is answered now is too late
         * (the engine, on the same clock, ends the talks and records none) */
        answer->kind = TRUCE_REVIEW_OBJECT;
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc ? TRUCE_EINVAL : 0;
}

static const char *const review_names[] = {"accept", "object", "walk-away"};

/* Mediated talks: the person at the mediator's seat writes the next draft. */
static int person_draft(const truce_mediator_turn *turn, uint32_t *draft, void *payload)
{
    seat *st = payload;
    session *s = st->session;
    size_t ni = truce_scenario_issue_count(s->s);
    json_t *answers = json_array();
    for (size_t k = 0; k < turn->n_answers; k++) {
        const truce_answer *a = &turn->answers[k];
        json_t *objections = json_array();
        for (size_t q = 0; q < a->n_objections; q++) {
            const truce_objection *o = &a->objections[q];
            char label[512];
            truce_issue_option_label(s->s, o->issue, o->option, label, sizeof label);
            json_t *oj = json_pack("{s:s,s:s,s:o,s:b}", "issue", truce_issue_name(s->s, o->issue),
                                   "proposed", label, "gain", serve_real(o->gain), "veto", o->veto);
            if (o->amendment_from >= 0)
                json_object_set_new(oj, "amendment_from",
                                    json_string(truce_party_name(s->s, (size_t)o->amendment_from)));
            json_array_append_new(objections, oj);
        }
        json_array_append_new(
            answers, json_pack("{s:s,s:s,s:o,s:o,s:b}", "party", truce_party_name(s->s, a->party),
                               "answer", a->kind >= 0 && a->kind <= 2 ? review_names[a->kind] : "?",
                               "veto", a->veto ? json_string(a->veto) : json_null(), "objections",
                               objections, "beats_batna", a->beats_batna));
    }
    json_t *t = json_pack("{s:I,s:f,s:o,s:o}", "iteration", (json_int_t)turn->iteration, "time",
                          turn->time, "draft", serve_outcome_json(s->s, draft), "answers", answers);
    pthread_mutex_lock(&s->lock);
    memcpy(st->outcome, draft, ni * sizeof *draft);
    int rc = wait_for(s, st, WAIT_DRAFT, t);
    if (rc == 0)
        memcpy(draft, st->outcome, ni * sizeof *draft);
    else if (rc == 1)
        rc = 0; /* after the deadline in minutes: the engine ends the talks */
    else
        snprintf(turn->message, turn->message_size, "%s", st->fault);
    pthread_mutex_unlock(&s->lock);
    return rc ? TRUCE_EINVAL : 0;
}

truce_agent_class person_seat_class(seat *st)
{
    truce_agent_class cls = {"person", 1,  NULL, person_init,  person_act,
                             NULL,     st, NULL, person_fault, person_review};
    return cls;
}

/* ---- the trace: file, database, and what the seats see ---- */

int session_trace(const char *record, size_t length, void *payload)
{
    session *s = payload;
    json_t *j = json_loadb(record, length, 0, NULL);
    const char *type = json_string_value(json_object_get(j, "type"));
    const char *actor = json_string_value(json_object_get(j, "actor"));
    if (!actor)
        actor = json_string_value(json_object_get(j, "from"));
    if (type && !strcmp(type, "start") && s->seconds > 0 && s->protocol == PROTOCOL_NEGOTIATION) {
        /* the engine starts its clock right after this record (mediated
         * talks: mediation_clock) */
        pthread_mutex_lock(&s->lock);
        s->deadline_at = serve_now() + s->seconds;
        pthread_mutex_unlock(&s->lock);
    }
    int failed = !j || !s->trace || fwrite(record, 1, length, s->trace) != length ||
                 fputc('\n', s->trace) == EOF || fflush(s->trace) != 0;
    failed = failed || store_action(&s->srv->st, s->id, s->n_records, type, actor, record, length);
    pthread_mutex_lock(&s->lock);
    if (!failed) {
        s->n_records++;
        json_array_append(s->events, j);
    } else {
        s->trace_failed = 1;
    }
    bump(s);
    pthread_mutex_unlock(&s->lock);
    json_decref(j);
    return failed;
}

/* ---- running ---- */

static json_t *run_negotiation(session *s, char *why, size_t size)
{
    truce_error err;
    if (truce_negotiation_run(s->negotiation, s->seed, &err)) {
        snprintf(why, size, "%s",
                 s->trace_failed ? "the session's record could not be written "
                                   "(is the disk full?)"
                                 : err.message);
        return NULL;
    }
    return view_summary(s);
}

/* Mediated talks' deadline in minutes: the engine reads this clock first
 * when the talks start, which sets the deadline people see, on the clock
 * the server times them by. */
static double mediation_clock(void *payload)
{
    session *s = payload;
    double now = serve_now();
    pthread_mutex_lock(&s->lock);
    if (!(s->deadline_at > 0)) {
        s->deadline_at = now + s->seconds;
        bump(s);
    }
    pthread_mutex_unlock(&s->lock);
    return now;
}

static json_t *run_mediation(session *s, char *why, size_t size)
{
    truce_mediation_options mo = TRUCE_MEDIATION_OPTIONS_INIT;
    size_t np = truce_scenario_party_count(s->s);
    truce_agent_spec *specs = calloc(np ? np : 1, sizeof *specs);
    if (!specs) {
        snprintf(why, size, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < s->n_seats; k++) {
        seat *st = &s->seats[k];
        if (st->role != TRUCE_ROLE_PRINCIPAL)
            continue;
        if (st->kind == SEAT_PERSON)
            specs[st->party] = (truce_agent_spec){&st->cls, NULL};
        else if (s->specs && s->specs[k].cls)
            specs[st->party] = s->specs[k];
    }
    seat *med = s->mediator_seat >= 0 ? &s->seats[s->mediator_seat] : NULL;
    mo.mediator = med && med->party != (size_t)-1 ? (long)med->party : -1;
    mo.strategy = s->mediator_strategy;
    if (med && med->kind == SEAT_PERSON) {
        mo.strategy = TRUCE_MEDIATOR_EXTERNAL;
        mo.draft = person_draft;
        mo.draft_payload = med;
    }
    mo.responder = s->responder;
    mo.max_objections = s->max_objections;
    if (mo.strategy != TRUCE_MEDIATOR_EXTERNAL) /* a person drafts in their own order */
        mo.agenda = s->agenda;
    mo.max_iterations = s->iterations;
    if (s->seconds > 0) {
        mo.max_seconds = s->seconds;
        mo.clock = mediation_clock;
        mo.clock_payload = s;
    }
    mo.seed = s->seed;
    mo.trace = session_trace;
    mo.trace_payload = s;
    mo.max_outcomes = s->srv->o.max_outcomes;
    mo.agents = specs;
    truce_mediation *m = NULL;
    truce_error err;
    json_t *summary = NULL;
    if (truce_mediate(&m, s->s, &mo, &err))
        snprintf(why, size, "%s",
                 s->trace_failed ? "the session's record could not be written "
                                   "(is the disk full?)"
                                 : err.message);
    else
        summary = view_summary_mediation(s, m);
    truce_mediation_free(m);
    free(specs);
    return summary;
}

static void finish(session *s, json_t *summary, const char *why)
{
    if (s->trace) {
        fclose(s->trace);
        s->trace = NULL;
        if (rename(s->trace_part, s->trace_path) != 0)
            unlink(s->trace_part);
    }
    if (!summary)
        summary = json_pack("{s:s,s:s,s:b,s:n}", "end", "error", "reason", why, "agreement", 0,
                            "outcome");
    char *text = json_dumps(summary, JSON_COMPACT | JSON_REAL_PRECISION(17));
    char *outcome = json_dumps(json_object_get(summary, "outcome"),
                               JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    store_ended(&s->srv->st, s->id, json_string_value(json_object_get(summary, "end")),
                json_is_true(json_object_get(summary, "agreement")), outcome, text,
                s->n_records ? s->trace_path : NULL);
    free(text);
    free(outcome);
    truce_negotiation_free(s->negotiation); /* its agents' processes end here */
    s->negotiation = NULL;
    pthread_mutex_lock(&s->lock);
    s->summary = summary;
    s->status = STATUS_ENDED;
    s->ended = serve_now();
    bump(s);
    pthread_mutex_unlock(&s->lock);
}

static void *session_main(void *arg)
{
    session *s = arg;
    server *srv = s->srv;
    char why[1200] = "";
    json_t *summary = NULL;
    s->trace = fopen(s->trace_part, "w");
    if (!s->trace)
        snprintf(why, sizeof why, "cannot write the session's trace %s: %s", s->trace_part,
                 strerror(errno));
    else if (s->protocol == PROTOCOL_NEGOTIATION)
        summary = run_negotiation(s, why, sizeof why);
    else
        summary = run_mediation(s, why, sizeof why);
    finish(s, summary, why);
    /* start whoever waited for room while this thread still counts as
     * running: once it stops counting, the server may be freed */
    server_kick(srv);
    pthread_mutex_lock(&srv->lock);
    srv->running--;
    pthread_cond_broadcast(&srv->idle);
    pthread_mutex_unlock(&srv->lock);
    return NULL;
}

/* The server's lock is held: start s when all its people have joined and
 * there is room. */
int session_try_start(session *s)
{
    server *srv = s->srv;
    pthread_mutex_lock(&s->lock);
    int ready = s->status == STATUS_WAITING && !s->cancelled;
    for (size_t k = 0; ready && k < s->n_seats; k++)
        ready = s->seats[k].kind != SEAT_PERSON || s->seats[k].joined;
    int started = 0;
    if (ready && !srv->stopping && srv->running < srv->o.max_running) {
        pthread_attr_t attr;
        pthread_t thread;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        /* Lua states and agents run on this thread: a generous stack */
        pthread_attr_setstacksize(&attr, 8u << 20);
        s->status = STATUS_RUNNING;
        s->started = serve_now();
        srv->running++;
        if (pthread_create(&thread, &attr, session_main, s) != 0) {
            srv->running--;
            s->status = STATUS_WAITING;
        } else {
            started = 1;
            bump(s);
        }
        pthread_attr_destroy(&attr);
    }
    pthread_mutex_unlock(&s->lock);
    if (started)
        store_started(&srv->st, s->id);
    return started;
}

void session_cancel(session *s, const char *reason)
{
    pthread_mutex_lock(&s->lock);
    int never_started = s->status == STATUS_WAITING;
    if (s->status != STATUS_ENDED && !s->cancelled) {
        s->cancelled = 1;
        snprintf(s->cancel_reason, sizeof s->cancel_reason, "%s", reason);
        if (never_started)
            s->status = STATUS_ENDED;
        bump(s);
    } else {
        never_started = 0;
    }
    pthread_mutex_unlock(&s->lock);
    if (never_started) {
        json_t *summary = json_pack("{s:s,s:s,s:b,s:n}", "end", "cancelled", "reason", reason,
                                    "agreement", 0, "outcome");
        char *text = json_dumps(summary, JSON_COMPACT);
        store_ended(&s->srv->st, s->id, "cancelled", 0, "null", text, NULL);
        free(text);
        pthread_mutex_lock(&s->lock);
        s->summary = summary;
        s->ended = serve_now();
        bump(s);
        pthread_mutex_unlock(&s->lock);
    }
}

seat *session_seat(session *s, const char *token)
{
    if (!token)
        return NULL;
    seat *found = NULL;
    for (size_t k = 0; k < s->n_seats; k++)
        if (s->seats[k].kind == SEAT_PERSON && serve_token_equal(token, s->seats[k].token))
            found = &s->seats[k];
    return found;
}

/* ---- a person's action ---- */

int session_act(session *s, seat *st, const json_t *request, char *why, size_t size)
{
    const char *action = json_string_value(json_object_get(request, "action"));
    static const char *const names[] = {"offer", "accept", "walk-away", "object", "draft"};
    int act = -1;
    for (int k = 0; action && k < 5; k++)
        if (!strcmp(action, names[k]))
            act = k;
    if (act < 0) {
        snprintf(why, size, "unknown action '%.60s': offer, accept, walk-away, object or draft",
                 action ? action : "(none)");
        return 400;
    }
    size_t ni = truce_scenario_issue_count(s->s);
    uint32_t *o = calloc(ni ? ni : 1, sizeof *o);
    if (!o) {
        snprintf(why, size, "out of memory");
        return 500;
    }
    int rc = 0;
    pthread_mutex_lock(&s->lock);
    if (s->status != STATUS_RUNNING) {
        snprintf(why, size, "the session is not running");
        rc = 409;
    } else if (s->waiting_seat != (long)st->index || s->waiting == WAIT_NONE) {
        snprintf(why, size, "it is not your turn");
        rc = 409;
    } else if (st->has_action) {
        snprintf(why, size, "your answer is already on its way");
        rc = 409;
    }
    int what = s->waiting;
    json_t *turn = s->turn;
    if (rc == 0) {
        int allowed = (what == WAIT_TURN && act <= ACT_WALK_AWAY) ||
                      (what == WAIT_REVIEW && act >= ACT_ACCEPT && act <= ACT_OBJECT) ||
                      (what == WAIT_DRAFT && act == ACT_DRAFT);
        if (!allowed) {
            snprintf(why, size, "'%s' is not a move here: %s", names[act],
                     what == WAIT_TURN     ? "offer, accept or walk-away"
                     : what == WAIT_REVIEW ? "accept, object or walk-away"
                                           : "draft");
            rc = 422;
        }
    }
    const json_t *given = json_object_get(request, "outcome");
    if (rc == 0 && (act == ACT_OFFER || act == ACT_DRAFT)) {
        if (act == ACT_DRAFT)
            memcpy(o, st->outcome, ni * sizeof *o);
        if (outcome_json_read(s->s, given, o, 0, why, size))
            rc = 422;
    } else if (rc == 0 && act == ACT_OBJECT) {
        /* amendments: the clauses changed, over the draft */
        if (outcome_json_read(s->s, json_object_get(turn, "draft"), o, 0, why, size) ||
            (given && outcome_json_read(s->s, given, o, 1, why, size)))
            rc = 422;
    }
    /* refused here, with the reason, rather than handed to the engine,
     * which would rule it a fault and end the session: a person offering
     * or accepting what its own party vetoes */
    if (rc == 0 && act == ACT_OFFER && truce_outcome_violates(s->s, st->party, o) >= 0) {
        int h = truce_outcome_violates(s->s, st->party, o);
        snprintf(why, size, "this offer breaks your hard condition '%s' (%s)",
                 truce_hard_condition_id(s->s, st->party, (size_t)h),
                 truce_hard_condition_label(s->s, st->party, (size_t)h));
        rc = 422;
    } else if (rc == 0 && act == ACT_ACCEPT && what == WAIT_TURN &&
               !json_object_get(turn, "offer")) {
        snprintf(why, size, "there is no offer to accept yet");
        rc = 422;
    } else if (rc == 0 && act == ACT_ACCEPT) {
        json_t *vetoed = json_object_get(turn, what == WAIT_TURN ? "offer_vetoed" : "vetoed");
        if (json_is_object(vetoed)) {
            snprintf(why, size, "you cannot accept it: it breaks your hard condition '%s' (%s)",
                     json_string_value(json_object_get(vetoed, "id")),
                     json_string_value(json_object_get(vetoed, "label")));
            rc = 422;
        }
    }
    if (rc == 0) {
        memcpy(st->outcome, o, ni * sizeof *o);
        st->action = act;
        st->has_action = 1;
        bump(s);
    }
    pthread_mutex_unlock(&s->lock);
    free(o);
    return rc;
}
