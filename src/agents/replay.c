/* replay.c: an agent that plays again the actions one party took in a recorded negotiation:
 * replay:PATH[:actor=A][:accept=never|trace][:then=hold|end]. PATH is a trace in JSON Lines,
 * as `truce negotiate --trace` writes it or GENIUS sessions recorded by genius_bench.sh
 * TRACE=FILE (actors by index there). Its k-th turn makes the actor's k-th recorded offer,
 * whatever the others do, so that several agents (or truce's and GENIUS's version of one) can
 * be met with the very same opponent. With accept=trace a recorded acceptance is made again
 * (of whatever stands then); after the last recorded action it repeats its last offer
 * (then=hold) or walks away (then=end). It reads the file once, when the negotiation is made
 * (docs/agents.md#replaying-a-recorded-party-replaypath). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/scenario.h"
#include "../io/outcome.h"
#include "external.h"

enum { STEP_OFFER = 0, STEP_ACCEPT = 1 };

typedef struct replay_agent {
    const truce_scenario *s;
    size_t party, ni;
    char path[512];
    char actor[256]; /* "seat": this agent's own seat (its index or party name) */
    int accept_trace, then_end;
    /* the script: n steps, each an offer (ni options) or an acceptance; read at the first init */
    size_t n, cap, offers;
    unsigned char *kind;
    uint32_t *outcome;
    int loaded;
    size_t next;          /* the next step */
    const uint32_t *last; /* the last offer made, or NULL */
} replay_agent;

/* Whether a record's "actor" is the one replayed: a name, or an index (GENIUS traces). */
static int actor_matches(const replay_agent *a, const json_t *actor)
{
    int seat = !strcmp(a->actor, "seat");
    if (json_is_integer(actor)) {
        json_int_t k = json_integer_value(actor);
        if (seat)
            return k >= 0 && (size_t)k == a->party;
        char *end;
        errno = 0;
        long long want = strtoll(a->actor, &end, 10);
        return !*end && end != a->actor && !errno && want == k;
    }
    const char *name = json_string_value(actor);
    if (!name)
        return 0;
    return !strcmp(name, seat ? a->s->parties[a->party].name : a->actor);
}

static int grow(replay_agent *a, truce_error *err)
{
    if (a->n < a->cap)
        return 0;
    size_t cap = a->cap ? 2 * a->cap : 64;
    unsigned char *kind = realloc(a->kind, cap);
    if (!kind)
        return error_nomem(err);
    a->kind = kind;
    uint32_t *outcome = realloc(a->outcome, cap * (a->ni ? a->ni : 1) * sizeof *outcome);
    if (!outcome)
        return error_nomem(err);
    a->outcome = outcome;
    a->cap = cap;
    return 0;
}

/* One record of the trace (line `line`): kept when it is an action of the actor. 1 at the end
 * of the first run (its "end" record, or a second "start"), else 0, or an error code. */
static int read_record(replay_agent *a, const json_t *r, int line, int *started, truce_error *err)
{
    if (!json_is_object(r))
        return error_set(err, TRUCE_EPARSE, a->path, line, NULL,
                         "a trace record is a JSON object, one per line");
    const char *type = json_string_value(json_object_get(r, "type"));
    if (!type)
        return error_set(err, TRUCE_EPARSE, a->path, line, "type",
                         "a trace record needs a \"type\" (offer, accept, end, ...)");
    if (!strcmp(type, "start")) {
        if (*started)
            return 1;
        *started = 1;
        return 0;
    }
    if (!strcmp(type, "end"))
        return 1;
    int offer = !strcmp(type, "offer");
    if ((!offer && strcmp(type, "accept")) || !actor_matches(a, json_object_get(r, "actor")))
        return 0;
    if (!offer && !a->accept_trace)
        return 0;
    int rc = grow(a, err);
    if (rc)
        return rc;
    a->kind[a->n] = offer ? STEP_OFFER : STEP_ACCEPT;
    if (offer) {
        char why[600];
        if (outcome_json_read(a->s, json_object_get(r, "outcome"), &a->outcome[a->n * a->ni], 0,
                              why, sizeof why))
            return error_set(err, TRUCE_EPARSE, a->path, line, "outcome",
                             "%s (is the trace of this scenario?)", why);
        a->offers++;
    }
    a->n++;
    return 0;
}

static int load(replay_agent *a, truce_error *err)
{
    FILE *f = fopen(a->path, "r");
    if (!f)
        return error_set(err, TRUCE_EIO, a->path, 0, NULL, "cannot read the trace to replay: %s",
                         strerror(errno));
    a->n = a->offers = 0;
    char *buf = NULL;
    size_t size = 0;
    int line = 0, started = 0, rc = 0;
    ssize_t len;
    while (rc == 0 && (len = getline(&buf, &size, f)) >= 0) {
        line++;
        size_t k = (size_t)len;
        while (k && (buf[k - 1] == '\n' || buf[k - 1] == '\r' || buf[k - 1] == ' '))
            buf[--k] = '\0';
        if (!k)
            continue;
        json_error_t jerr;
        json_t *r = json_loadb(buf, k, 0, &jerr);
        if (!r) {
            rc = error_set(err, TRUCE_EPARSE, a->path, line, NULL,
                           "not a JSON record (column %d: %s); a line cut short?", jerr.column,
                           jerr.text);
            break;
        }
        rc = read_record(a, r, line, &started, err);
        json_decref(r);
    }
    int failed = ferror(f);
    free(buf);
    fclose(f);
    if (rc < 0)
        return rc;
    if (failed)
        return error_set(err, TRUCE_EIO, a->path, line, NULL, "cannot read the trace to replay");
    if (a->offers == 0) {
        if (!strcmp(a->actor, "seat"))
            return error_set(err, TRUCE_EINVAL, a->path, 0, "actor",
                             "the trace has no offer by the party at this seat (%zu, '%s'): "
                             "actor=NAME or actor=INDEX picks the party to replay",
                             a->party, a->s->parties[a->party].name);
        return error_set(err, TRUCE_EINVAL, a->path, 0, "actor",
                         "the trace has no offer by actor '%s' (a party name, or its index in "
                         "GENIUS traces)",
                         a->actor);
    }
    a->loaded = 1;
    return 0;
}

static int parse_params(replay_agent *a, const char *params, truce_error *err)
{
    const char *rest = external_head(params, a->path, sizeof a->path);
    if (!rest)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "replay",
                         "agent 'replay' needs a trace, as in replay:session.jsonl:actor=0");
    snprintf(a->actor, sizeof a->actor, "seat");
    a->accept_trace = 0;
    a->then_end = 0;
    external_param p;
    int rc;
    while ((rc = external_next_param(&rest, &p, "replay", err)) == 1) {
        if (!strcmp(p.key, "actor") && *p.value) {
            snprintf(a->actor, sizeof a->actor, "%s", p.value);
        } else if (!strcmp(p.key, "accept") &&
                   (!strcmp(p.value, "never") || !strcmp(p.value, "trace"))) {
            a->accept_trace = !strcmp(p.value, "trace");
        } else if (!strcmp(p.key, "then") &&
                   (!strcmp(p.value, "hold") || !strcmp(p.value, "end"))) {
            a->then_end = !strcmp(p.value, "end");
        } else {
            return error_set(err, TRUCE_EINVAL, NULL, 0, "replay",
                             "agent 'replay': %s=\"%s\" is not one of actor=NAME|INDEX, "
                             "accept=never|trace, then=hold|end",
                             p.key, p.value);
        }
    }
    return rc;
}

static int replay_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    replay_agent *a = state;
    const truce_scenario *s = truce_space_scenario(setup->space);
    a->next = 0;
    a->last = NULL;
    if (a->loaded) /* a later run of the same negotiation: the script read at the first */
        return 0;
    a->s = s;
    a->party = setup->party;
    a->ni = s->n_issues;
    int rc = parse_params(a, setup->params, err);
    return rc ? rc : load(a, err);
}

static int replay_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)payload;
    replay_agent *a = state;
    while (a->next < a->n) {
        size_t k = a->next++;
        if (a->kind[k] == STEP_ACCEPT) {
            if (turn->offer && !turn->offer_vetoed && turn->offer_from != a->party) {
                *kind = TRUCE_ACTION_ACCEPT;
                return 0;
            }
            continue; /* nothing it may accept stands now: the next step */
        }
        a->last = &a->outcome[k * a->ni];
        memcpy(offer, a->last, a->ni * sizeof *offer);
        *kind = TRUCE_ACTION_OFFER;
        return 0;
    }
    if (a->then_end || !a->last) {
        *kind = TRUCE_ACTION_END;
        return 0;
    }
    memcpy(offer, a->last, a->ni * sizeof *offer);
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

static void replay_release(void *state, int final, void *payload)
{
    (void)payload;
    replay_agent *a = state;
    if (!final)
        return;
    free(a->kind);
    free(a->outcome);
    a->kind = NULL;
    a->outcome = NULL;
    a->n = a->cap = a->offers = 0;
    a->loaded = 0;
}

const truce_agent_class agent_replay_class = {
    "replay", sizeof(replay_agent), NULL, replay_init, replay_act, NULL,
    NULL,     replay_release,       NULL, NULL};
