/* setup.c: a session from its definition (docs/serve.md#sessions): the
 * scenario, the seats for people and agents, the deadline, what people are
 * shown. What the engine can check before anyone sits down (channels,
 * conflicting hard conditions, agents' parameters) is checked here, by the
 * engine, so that a bad session is refused when it is created. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define MAX_ROUNDS 100000
#define MAX_MINUTES (24 * 60)
#define MAX_ITERATIONS 10000

static void seat_free(seat *st)
{
    free(st->agent);
    free(st->agent_name);
    free(st->name);
    free(st->outcome);
}

void session_free(session *s)
{
    if (!s)
        return;
    truce_negotiation_free(s->negotiation);
    for (size_t k = 0; s->seats && k < s->n_seats; k++)
        seat_free(&s->seats[k]);
    free(s->seats);
    free(s->specs);
    json_decref(s->events);
    json_decref(s->turn);
    json_decref(s->summary);
    json_decref(s->definition);
    truce_report_free(s->report);
    free(s->error);
    free(s->experiment);
    free(s->trace_path);
    free(s->trace_part);
    if (s->trace)
        fclose(s->trace);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    free(s);
}

static session *session_new(server *srv)
{
    session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int ok = pthread_mutex_init(&s->lock, NULL) == 0;
    ok = pthread_cond_init(&s->cond, &attr) == 0 && ok;
    pthread_condattr_destroy(&attr);
    s->srv = srv;
    s->events = json_array();
    s->waiting_seat = -1;
    s->mediator_seat = -1;
    s->created = serve_now();
    if (!ok || !s->events || serve_random_hex(s->id, 16)) {
        free(s);
        return NULL;
    }
    return s;
}

/* The agent a definition names: a built-in (with parameters), or an agent
 * named when the server started; never a script or program path from a
 * request. Its spec text goes to *text (owned by the seat). */
static int agent_spec(server *srv, const char *name, char **text, truce_agent_spec *spec, char *why,
                      size_t size)
{
    const char *named = server_named_agent(srv, name);
    if (!named && (!strncmp(name, "lua:", 4) || !strncmp(name, "proc:", 5))) {
        snprintf(why, size,
                 "'%.100s': Lua and program agents are named when the server starts (truce "
                 "serve --agent NAME=SPEC), then chosen by name",
                 name);
        return 403;
    }
    *text = strdup(named ? named : name);
    if (!*text) {
        snprintf(why, size, "out of memory");
        return 500;
    }
    truce_error err;
    if (truce_agent_parse(spec, *text, &err)) {
        snprintf(why, size, "%s", err.message);
        return 422;
    }
    return 0;
}

typedef struct given_seat {
    const json_t *j;
    size_t party;
    int used;
} given_seat;

static int read_deadline(session *s, const json_t *d, char *why, size_t size)
{
    s->rounds = 0;
    s->seconds = 0;
    s->iterations = 20;
    if (s->protocol == PROTOCOL_NEGOTIATION)
        s->rounds = 20;
    if (!d)
        return 0;
    /* mediated talks may have both: as many iterations at most, within minutes */
    int both = s->protocol == PROTOCOL_MEDIATION && json_object_size(d) == 2 &&
               json_object_get(d, "minutes") && json_object_get(d, "iterations");
    if (!json_is_object(d) || (json_object_size(d) != 1 && !both)) {
        snprintf(why, size,
                 "deadline: give one of {\"rounds\": N}, {\"minutes\": M} (alternating "
                 "offers) or {\"iterations\": N}, {\"minutes\": M} or both (mediated talks)");
        return 422;
    }
    json_t *v;
    if ((v = json_object_get(d, "minutes")) && s->protocol == PROTOCOL_MEDIATION) {
        double m = json_number_value(v);
        if (!json_is_number(v) || !(m > 0) || m > MAX_MINUTES) {
            snprintf(why, size, "deadline: minutes must be a number above 0, at most %d",
                     MAX_MINUTES);
            return 422;
        }
        s->seconds = m * 60;
        /* minutes alone: as many iterations as fit in them */
        s->iterations = MAX_ITERATIONS;
        if (!both)
            return 0;
    }
    if ((v = json_object_get(d, "rounds")) && s->protocol == PROTOCOL_NEGOTIATION) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > MAX_ROUNDS) {
            snprintf(why, size, "deadline: rounds must be a whole number from 1 to %d", MAX_ROUNDS);
            return 422;
        }
        s->rounds = (uint64_t)json_integer_value(v);
    } else if ((v = json_object_get(d, "minutes")) && s->protocol == PROTOCOL_NEGOTIATION) {
        double m = json_number_value(v);
        if (!json_is_number(v) || !(m > 0) || m > MAX_MINUTES) {
            snprintf(why, size, "deadline: minutes must be a number above 0, at most %d",
                     MAX_MINUTES);
            return 422;
        }
        s->rounds = 0;
        s->seconds = m * 60;
    } else if ((v = json_object_get(d, "iterations")) && s->protocol == PROTOCOL_MEDIATION) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > MAX_ITERATIONS) {
            snprintf(why, size, "deadline: iterations must be a whole number from 1 to %d",
                     MAX_ITERATIONS);
            return 422;
        }
        s->iterations = (uint32_t)json_integer_value(v);
    } else {
        snprintf(why, size,
                 s->protocol == PROTOCOL_NEGOTIATION
                     ? "deadline: alternating offers end after {\"rounds\": N} or {\"minutes\": M}"
                     : "deadline: mediated talks end after {\"iterations\": N} or "
                       "{\"minutes\": M}");
        return 422;
    }
    return 0;
}

/* "reveal" (of the session or a seat) as REVEAL_* flags: "own", "all", one of
 * "weights", "reservations", "utilities", or a list of them. -1 when bad. */
static int read_reveal(const json_t *j)
{
    static const char *const names[] = {"weights", "reservations", "utilities"};
    if (json_is_string(j)) {
        const char *v = json_string_value(j);
        if (!strcmp(v, "own"))
            return 0;
        if (!strcmp(v, "all") || !strcmp(v, "full"))
            return REVEAL_ALL;
        for (int k = 0; k < 3; k++)
            if (!strcmp(v, names[k]))
                return 1 << k;
        return -1;
    }
    if (!json_is_array(j))
        return -1;
    int flags = 0;
    size_t i;
    json_t *v;
    json_array_foreach(j, i, v)
    {
        int f = json_is_string(v) ? read_reveal(v) : -1;
        if (f < 0)
            return -1;
        flags |= f;
    }
    return flags;
}

#define REVEAL_HELP                                                                                \
    "reveal: \"own\" (people see only their own preferences), \"weights\" (and the others' "       \
    "issue weights), \"reservations\" (and the others' BATNAs), \"utilities\" (and the others' "   \
    "utilities of every offer, and the analysis), a list of these, or \"all\""

static int read_options(session *s, const json_t *def, char *why, size_t size)
{
    json_t *reveal = json_object_get(def, "reveal");
    s->reveal = reveal ? read_reveal(reveal) : 0;
    if (s->reveal < 0) {
        snprintf(why, size, "%s", REVEAL_HELP);
        return 422;
    }
    json_t *debrief = json_object_get(def, "debrief");
    s->debrief = debrief ? json_is_true(debrief) : 1;
    if (debrief && !json_is_boolean(debrief)) {
        snprintf(why, size, "debrief: true or false");
        return 422;
    }
    json_t *timeout = json_object_get(def, "seat_timeout");
    s->seat_timeout = s->srv->o.seat_timeout;
    if (timeout) {
        double t = json_number_value(timeout);
        if (!json_is_number(timeout) || !(t >= 1) || t > 86400) {
            snprintf(why, size, "seat_timeout: seconds from 1 to 86400");
            return 422;
        }
        s->seat_timeout = t;
    }
    json_t *seed = json_object_get(def, "seed");
    if (seed && (!json_is_integer(seed) || json_integer_value(seed) < 0)) {
        snprintf(why, size, "seed: a whole number from 0");
        return 422;
    }
    if (seed) {
        s->seed = (uint64_t)json_integer_value(seed);
    } else {
        char hex[17];
        serve_random_hex(hex, 4);
        s->seed = strtoull(hex, NULL, 16);
    }
    s->mediator_strategy = TRUCE_MEDIATOR_INFORMED;
    s->responder = TRUCE_RESPONDER_TRUTHFUL;
    s->max_objections = 2;
    json_t *med = json_object_get(def, "mediation");
    if (med) {
        const char *r = json_string_value(json_object_get(med, "responders"));
        json_t *obj = json_object_get(med, "objections");
        if (r && strcmp(r, "truthful") && strcmp(r, "strategic") && strcmp(r, "exaggerate") &&
            strcmp(r, "anchor")) {
            snprintf(why, size, "mediation.responders: truthful, strategic, exaggerate or anchor");
            return 422;
        }
        s->responder = !r                         ? TRUCE_RESPONDER_TRUTHFUL
                       : !strcmp(r, "strategic")  ? TRUCE_RESPONDER_STRATEGIC
                       : !strcmp(r, "exaggerate") ? TRUCE_RESPONDER_EXAGGERATE
                       : !strcmp(r, "anchor")     ? TRUCE_RESPONDER_ANCHOR
                                                  : TRUCE_RESPONDER_TRUTHFUL;
        if (obj && (!json_is_integer(obj) || json_integer_value(obj) < 1 ||
                    json_integer_value(obj) > 100)) {
            snprintf(why, size, "mediation.objections: a whole number from 1 to 100");
            return 422;
        }
        if (obj)
            s->max_objections = (uint32_t)json_integer_value(obj);
        const char *a = json_string_value(json_object_get(med, "agenda"));
        if (json_object_get(med, "agenda") &&
            (!a || (strcmp(a, "ignore") && strcmp(a, "follow") && strcmp(a, "package")))) {
            snprintf(why, size, "mediation.agenda: ignore, follow or package");
            return 422;
        }
        s->agenda = !a                     ? TRUCE_AGENDA_IGNORE
                    : !strcmp(a, "follow")  ? TRUCE_AGENDA_FOLLOW
                    : !strcmp(a, "package") ? TRUCE_AGENDA_PACKAGE
                                            : TRUCE_AGENDA_IGNORE;
    }
    return 0;
}

/* Fill seat st from its definition j (NULL: the default agent). */
static int read_seat(session *s, seat *st, const json_t *j, truce_agent_spec *spec, char *why,
                     size_t size)
{
    const char *kind = json_string_value(json_object_get(j, "kind"));
    const char *agent = json_string_value(json_object_get(j, "agent"));
    const char *name = json_string_value(json_object_get(j, "name"));
    const char *who = party_label(s, st);
    if (j && kind && strcmp(kind, "person") && strcmp(kind, "agent")) {
        snprintf(why, size, "seat %s: kind is \"person\" or \"agent\"", who);
        return 422;
    }
    json_t *reveal = json_object_get(j, "reveal");
    st->reveal = reveal ? read_reveal(reveal) : s->reveal;
    if (st->reveal < 0) {
        snprintf(why, size, "seat %s: %s", who, REVEAL_HELP);
        return 422;
    }
    st->kind = kind && !strcmp(kind, "person") ? SEAT_PERSON : SEAT_AGENT;
    if (name && !(st->name = strndup(name, 100))) {
        snprintf(why, size, "out of memory");
        return 500;
    }
    if (st->kind == SEAT_PERSON) {
        st->cls = person_seat_class(st);
        return serve_random_hex(st->token, 32) ? 500 : 0;
    }
    if (st->role == TRUCE_ROLE_MEDIATOR) {
        if (!agent)
            agent = "informed";
        if (strcmp(agent, "informed") && strcmp(agent, "uninformed")) {
            snprintf(why, size,
                     "seat %s: the mediator is a person, or an agent \"informed\" or "
                     "\"uninformed\"",
                     who);
            return 422;
        }
        s->mediator_strategy =
            !strcmp(agent, "informed") ? TRUCE_MEDIATOR_INFORMED : TRUCE_MEDIATOR_UNINFORMED;
        st->agent = strdup(agent);
    } else if (s->protocol == PROTOCOL_MEDIATION && (!agent || !strcmp(agent, "responder"))) {
        /* the engine's own principal (truce mediate's responders) */
        st->agent = strdup("responder");
    } else {
        if (!agent) {
            snprintf(why, size, "seat %s: name its agent (\"agent\": \"boulware\", say)", who);
            return 422;
        }
        int rc = agent_spec(s->srv, agent, &st->agent, spec, why, size);
        if (rc)
            return rc;
        if (s->protocol == PROTOCOL_MEDIATION && !spec->cls->review) {
            snprintf(why, size,
                     "seat %s: agent '%s' cannot review drafts (Lua and program agents can; or "
                     "\"responder\", the engine's own principal)",
                     who, agent);
            return 422;
        }
    }
    st->agent_name = strdup(agent ? agent : st->agent ? st->agent : "");
    if (!st->agent || !st->agent_name) {
        snprintf(why, size, "out of memory");
        return 500;
    }
    return 0;
}

/* Match the definition's seats to the parties that need one. */
static int read_seats(session *s, const json_t *list, char *why, size_t size)
{
    const truce_scenario *sc = s->s;
    size_t np = truce_scenario_party_count(sc), n_given = json_array_size(list);
    if (list && !json_is_array(list)) {
        snprintf(why, size, "seats: a list of {party, kind, agent}");
        return 422;
    }
    long mediator = -1;
    int neutral = 1;
    for (size_t p = 0; p < np; p++)
        if (truce_party_role(sc, p) == TRUCE_ROLE_MEDIATOR) {
            neutral = 0;
            if (mediator < 0)
                mediator = (long)p;
        }
    given_seat *given = calloc(n_given ? n_given : 1, sizeof *given);
    if (!given)
        return 500;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n_given; k++) {
        const json_t *j = json_array_get(list, k);
        const char *party = json_string_value(json_object_get(j, "party"));
        int p = party ? truce_party_find(sc, party) : -1;
        given[k].j = j;
        if (party && p < 0 && !strcmp(party, "mediator") && neutral) {
            given[k].party = (size_t)-1;
        } else if (p < 0) {
            snprintf(why, size, "seats: no party '%.100s' in scenario '%s'",
                     party ? party : "(none)", truce_scenario_name(sc));
            rc = 422;
        } else if (truce_party_role(sc, (size_t)p) == TRUCE_ROLE_STAKEHOLDER ||
                   (truce_party_role(sc, (size_t)p) == TRUCE_ROLE_MEDIATOR &&
                    s->protocol == PROTOCOL_NEGOTIATION)) {
            snprintf(why, size, "seats: %s is a %s: %s", party,
                     truce_party_role(sc, (size_t)p) == TRUCE_ROLE_MEDIATOR ? "mediator"
                                                                            : "stakeholder",
                     s->protocol == PROTOCOL_NEGOTIATION
                         ? "alternating offers seat the principals only"
                         : "stakeholders act through their amendments, not at the table");
            rc = 422;
        } else {
            given[k].party = (size_t)p;
            if (truce_party_role(sc, (size_t)p) == TRUCE_ROLE_MEDIATOR)
                mediator = p;
        }
        for (size_t q = 0; rc == 0 && q < k; q++)
            if (given[q].party == given[k].party) {
                snprintf(why, size, "seats: %s has two seats", party);
                rc = 422;
            }
    }
    size_t n_seats = truce_scenario_bargainer_count(sc) + (s->protocol == PROTOCOL_MEDIATION);
    s->seats = rc ? NULL : calloc(n_seats, sizeof *s->seats);
    s->specs = rc ? NULL : calloc(n_seats, sizeof *s->specs);
    if (rc == 0 && (!s->seats || !s->specs))
        rc = 500;
    size_t ni = truce_scenario_issue_count(sc);
    for (size_t k = 0; rc == 0 && k < n_seats; k++) {
        seat *st = &s->seats[k];
        st->session = s;
        st->index = k;
        s->n_seats = k + 1;
        if (k < truce_scenario_bargainer_count(sc)) {
            st->party = (size_t)truce_scenario_bargainer(sc, k);
            st->role = TRUCE_ROLE_PRINCIPAL;
        } else {
            st->party = mediator >= 0 ? (size_t)mediator : (size_t)-1;
            st->role = TRUCE_ROLE_MEDIATOR;
            s->mediator_seat = (long)k;
        }
        const json_t *j = NULL;
        for (size_t q = 0; q < n_given; q++)
            if (given[q].party == st->party) {
                j = given[q].j;
                given[q].used = 1;
            }
        if (!j && s->protocol == PROTOCOL_NEGOTIATION) {
            snprintf(why, size,
                     "seats: no seat for principal %s (every principal needs a person "
                     "or an agent)",
                     truce_party_name(sc, st->party));
            rc = 422;
        }
        if (rc == 0 && !(st->outcome = calloc(ni ? ni : 1, sizeof *st->outcome)))
            rc = 500;
        if (rc == 0)
            rc = read_seat(s, st, j, &s->specs[k], why, size);
    }
    for (size_t q = 0; rc == 0 && q < n_given; q++)
        if (!given[q].used) {
            snprintf(why, size, "seats: %s does not sit at this table",
                     json_string_value(json_object_get(given[q].j, "party")));
            rc = 422;
        }
    if (rc == 500 && !why[0])
        snprintf(why, size, "out of memory");
    free(given);
    return rc;
}

static int check_negotiation(session *s, char *why, size_t size)
{
    const truce_space *space;
    if (entry_space(s->e, &s->srv->o, &space, why, size))
        return 422;
    truce_agent_spec *specs = calloc(s->n_seats, sizeof *specs);
    if (!specs)
        return 500;
    for (size_t k = 0; k < s->n_seats; k++)
        specs[k] = s->seats[k].kind == SEAT_PERSON ? (truce_agent_spec){&s->seats[k].cls, NULL}
                                                   : s->specs[k];
    truce_negotiation_options no = TRUCE_NEGOTIATION_OPTIONS_INIT;
    no.max_rounds = s->rounds;
    no.max_seconds = s->seconds;
    no.trace = session_trace;
    no.trace_payload = s;
    truce_error err;
    int rc = truce_negotiation_create(&s->negotiation, space, specs, s->n_seats, &no, &err);
    free(specs);
    if (rc) {
        snprintf(why, size, "%s", err.message);
        return 422;
    }
    return 0;
}

/* Mediated talks run in one call, so the engine checks them by running one
 * iteration of the same talks with its own responders in the people's seats
 * (and the uninformed mediator): channels, roles, the mediator's reach. */
static int check_mediation(session *s, char *why, size_t size)
{
    size_t np = truce_scenario_party_count(s->s);
    truce_agent_spec *specs = calloc(np ? np : 1, sizeof *specs);
    if (!specs)
        return 500;
    for (size_t k = 0; k < s->n_seats; k++)
        if (s->seats[k].role == TRUCE_ROLE_PRINCIPAL && s->specs[k].cls)
            specs[s->seats[k].party] = s->specs[k];
    truce_mediation_options mo = TRUCE_MEDIATION_OPTIONS_INIT;
    seat *med = &s->seats[s->mediator_seat];
    if (med->kind == SEAT_PERSON && s->agenda != TRUCE_AGENDA_IGNORE) {
        free(specs);
        snprintf(why, size,
                 "mediation.agenda: a person mediating drafts in their own order (follow and "
                 "package are for the engine's informed and uninformed mediators)");
        return 422;
    }
    mo.mediator = med->party != (size_t)-1 ? (long)med->party : -1;
    mo.strategy = TRUCE_MEDIATOR_UNINFORMED;
    mo.agenda = s->agenda;
    mo.max_iterations = 1;
    mo.agents = specs;
    mo.max_outcomes = s->srv->o.max_outcomes;
    truce_mediation *m = NULL;
    truce_error err;
    int rc = truce_mediate(&m, s->s, &mo, &err);
    truce_mediation_free(m);
    free(specs);
    if (rc) {
        snprintf(why, size, "%s", err.message);
        return 422;
    }
    char count[64];
    truce_scenario_outcome_count(s->s, count, sizeof count);
    if (med->kind == SEAT_AGENT && s->mediator_strategy == TRUCE_MEDIATOR_INFORMED &&
        strtod(count, NULL) > s->srv->o.max_outcomes) {
        snprintf(why, size,
                 "the informed mediator searches every outcome, and this scenario has %s (more "
                 "than %.3g): seat an uninformed mediator or a person",
                 count, s->srv->o.max_outcomes);
        return 422;
    }
    return 0;
}

/* The definition as stored: seats resolved, no tokens. */
static json_t *resolved(const session *s, const char *scenario)
{
    json_t *seats = json_array();
    static const char *const roles[] = {"principal", "mediator", "stakeholder"};
    for (size_t k = 0; k < s->n_seats; k++) {
        const seat *st = &s->seats[k];
        json_t *j = json_pack("{s:s,s:s,s:s}", "party", party_label(s, st), "role", roles[st->role],
                              "kind", st->kind == SEAT_PERSON ? "person" : "agent");
        if (st->agent_name)
            json_object_set_new(j, "agent", json_string(st->agent_name));
        if (st->agent && st->agent_name && strcmp(st->agent, st->agent_name))
            json_object_set_new(j, "spec", json_string(st->agent));
        if (st->name)
            json_object_set_new(j, "name", json_string(st->name));
        if (st->kind == SEAT_PERSON)
            json_object_set_new(j, "reveal", reveal_json(st->reveal));
        json_array_append_new(seats, j);
    }
    json_t *deadline = s->protocol == PROTOCOL_MEDIATION
                           ? json_pack("{s:I}", "iterations", (json_int_t)s->iterations)
                       : s->rounds ? json_pack("{s:I}", "rounds", (json_int_t)s->rounds)
                                   : json_pack("{s:f}", "minutes", s->seconds / 60);
    if (s->protocol == PROTOCOL_MEDIATION && s->seconds > 0)
        json_object_set_new(deadline, "minutes", json_real(s->seconds / 60));
    return json_pack("{s:s,s:s,s:o,s:o,s:o,s:b,s:f,s:I}", "scenario", scenario, "protocol",
                     s->protocol == PROTOCOL_MEDIATION ? "mediation" : "negotiation", "seats",
                     seats, "deadline", deadline, "reveal", reveal_json(s->reveal), "debrief",
                     s->debrief, "seat_timeout", s->seat_timeout, "seed", (json_int_t)s->seed);
}

int session_create(session **out, server *srv, const json_t *def, const char *experiment_id,
                   char *why, size_t size)
{
    why[0] = '\0';
    if (!json_is_object(def)) {
        snprintf(why, size,
                 "a session is defined by an object {scenario, protocol, seats, "
                 "deadline, reveal}");
        return 400;
    }
    const char *scenario = json_string_value(json_object_get(def, "scenario"));
    entry *e = scenario ? catalog_find(&srv->cat, scenario) : NULL;
    if (!e) {
        snprintf(why, size, "no scenario '%.200s'", scenario ? scenario : "(none given)");
        return 404;
    }
    session *s = session_new(srv);
    if (!s) {
        snprintf(why, size, "out of memory");
        return 500;
    }
    s->e = e;
    int rc = entry_scenario(e, &srv->o, &s->s, why, size) ? 422 : 0;
    const char *protocol = json_string_value(json_object_get(def, "protocol"));
    if (rc == 0 && protocol && strcmp(protocol, "negotiation") && strcmp(protocol, "mediation")) {
        snprintf(why, size, "protocol: \"negotiation\" (alternating offers) or \"mediation\"");
        rc = 422;
    }
    s->protocol =
        protocol && !strcmp(protocol, "mediation") ? PROTOCOL_MEDIATION : PROTOCOL_NEGOTIATION;
    if (rc == 0)
        rc = read_deadline(s, json_object_get(def, "deadline"), why, size);
    if (rc == 0)
        rc = read_options(s, def, why, size);
    if (rc == 0)
        rc = read_seats(s, json_object_get(def, "seats"), why, size);
    if (rc == 0)
        rc = s->protocol == PROTOCOL_NEGOTIATION ? check_negotiation(s, why, size)
                                                 : check_mediation(s, why, size);
    if (rc == 0) {
        /* analysed now rather than on the first person's first look (the
         * best deal a seat is shown, the summary's distances); a scenario
         * too large to analyse still runs */
        char ignored[256];
        entry_analysis(e, &srv->o, ignored, sizeof ignored);
    }
    if (rc == 0) {
        s->definition = resolved(s, e->id);
        s->experiment = experiment_id ? strdup(experiment_id) : NULL;
        size_t n = strlen(srv->trace_dir) + 64;
        s->trace_path = malloc(n);
        s->trace_part = malloc(n);
        if (!s->definition || (experiment_id && !s->experiment) || !s->trace_path || !s->trace_part)
            rc = 500;
        else {
            snprintf(s->trace_path, n, "%s/%s.jsonl", srv->trace_dir, s->id);
            snprintf(s->trace_part, n, "%s/%s.jsonl.part", srv->trace_dir, s->id);
        }
    }
    if (rc == 0) {
        char *text = json_dumps(s->definition, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!text ||
            store_session(&srv->st, s->id, experiment_id, e->id,
                          s->protocol == PROTOCOL_MEDIATION ? "mediation" : "negotiation", text)) {
            snprintf(why, size, "the sessions database refused the session (is the disk full?)");
            rc = 500;
        }
        free(text);
    }
    if (rc) {
        if (rc == 500 && !why[0])
            snprintf(why, size, "out of memory");
        session_free(s);
        return rc;
    }
    *out = s;
    return 0;
}
