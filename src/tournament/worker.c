/* worker.c: running single tournament jobs into result records, and records
 * as JSON (how MPI ranks send results to the rank that stores them). */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/error.h"
#include "tournament.h"

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

const char *const record_ends[5] = {"agreement", "deadline", "walk-away", "fault", "none"};

/* Bytes of the text area: four JSON arrays and a seed. A number takes at
 * most 24 characters and a comma ("%.17g" of a double, or "null"), an
 * index at most 11. */
static size_t text_size(const truce_tournament *t)
{
    return align8(3 * (25 * t->max_seats + 3) + 11 * t->max_issues + 3 + 24);
}

static size_t arrays_size(const truce_tournament *t)
{
    return align8(t->max_seats * sizeof(uint32_t)) + 2 * t->max_seats * sizeof(double) +
           align8(t->max_issues * sizeof(uint32_t));
}

size_t record_size(const truce_tournament *t)
{
    return align8(sizeof(record)) + arrays_size(t) + text_size(t);
}

char *record_text(const truce_tournament *t, const record *r)
{
    return (char *)r + align8(sizeof(record)) + arrays_size(t);
}

/* "v," in decimal; returns the length (printf's machinery costs more than
 * the rest of a row). */
static size_t put_count(char *p, uint64_t v)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        p[i] = digits[n - 1 - i];
    p[n] = ',';
    return n + 1;
}

/* "v," with full precision, "null," for NaN. */
static size_t put_number(char *p, double v)
{
    return isfinite(v) ? (size_t)sprintf(p, "%.17g,", v) : (size_t)sprintf(p, "null,");
}

/* Close a list written as "[a,b," into "[a,b]" ("[" alone into "[]"). */
static char *close_list(char *start, char *end)
{
    if (end[-1] == ',')
        end[-1] = ']';
    else
        *end++ = ']';
    *end++ = '\0';
    (void)start;
    return end;
}

void record_format(const truce_tournament *t, record *r)
{
    char *base = record_text(t, r), *p = base;
    r->text_agents = 0;
    *p++ = '[';
    for (size_t k = 0; k < r->seats; k++)
        p += put_count(p, r->agents[k]);
    p = close_list(base, p);
    r->text_utility = (size_t)(p - base);
    char *u = p;
    *p++ = '[';
    for (size_t k = 0; k < r->seats; k++)
        p += put_number(p, r->utility[k]);
    p = close_list(u, p);
    r->text_undiscounted = (size_t)(p - base);
    int same = 1;
    for (size_t k = 0; k < r->seats; k++)
        same &= r->utility_undiscounted[k] == r->utility[k];
    if (same) { /* no discounting: the same text, without formatting it again */
        size_t n = (size_t)(p - u);
        memcpy(p, u, n);
        p += n;
    } else {
        char *uu = p;
        *p++ = '[';
        for (size_t k = 0; k < r->seats; k++)
            p += put_number(p, r->utility_undiscounted[k]);
        p = close_list(uu, p);
    }
    r->text_outcome = (size_t)(p - base);
    char *o = p;
    *p++ = '[';
    for (size_t i = 0; r->agreement && i < r->issues; i++)
        p += put_count(p, r->outcome[i]);
    p = close_list(o, p);
    r->text_seed = (size_t)(p - base);
    size_t digits = put_count(p, r->seed);
    p[digits - 1] = '\0';
    r->text_end = r->text_seed + digits;
    r->formatted = 1;
}

/* Point the record's arrays at their places after the record. */
static void relink(const truce_tournament *t, record *r)
{
    char *p = (char *)r + align8(sizeof(record));
    r->agents = (uint32_t *)(void *)p;
    p += align8(t->max_seats * sizeof(uint32_t));
    r->utility = (double *)(void *)p;
    p += t->max_seats * sizeof(double);
    r->utility_undiscounted = (double *)(void *)p;
    p += t->max_seats * sizeof(double);
    r->outcome = (uint32_t *)(void *)p;
}

record *record_init(const truce_tournament *t, void *mem)
{
    record *r = mem;
    memset(r, 0, sizeof *r);
    relink(t, r);
    return r;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int truce_tournament_worker_create(truce_tournament_worker **out, const truce_tournament *t,
                                   truce_error *err)
{
    error_clear(err);
    if (!out || !t)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    truce_tournament_worker *w = calloc(1, sizeof *w);
    if (w) {
        w->t = t;
        w->specs = calloc(t->max_seats ? t->max_seats : 1, sizeof *w->specs);
        w->scratch = malloc(record_size(t));
    }
    if (!w || !w->specs || !w->scratch) {
        truce_tournament_worker_free(w);
        return error_nomem(err);
    }
    *out = w;
    return 0;
}

void truce_tournament_worker_free(truce_tournament_worker *w)
{
    if (!w)
        return;
    truce_negotiation_free(w->ng);
    free(w->specs);
    free(w->scratch);
    free(w);
}

int worker_run(truce_tournament_worker *w, uint64_t job, record *r, truce_error *err)
{
    const truce_tournament *t = w->t;
    if (job >= t->n_jobs)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "job", "job %llu of a tournament of %llu",
                         (unsigned long long)job, (unsigned long long)t->n_jobs);
    job_info j;
    tournament_job(t, job, &j);
    const tournament_scenario *sc = &t->sc[j.scenario];
    if (!w->ng || w->scenario != j.scenario || w->matchup != j.matchup) {
        truce_negotiation_free(w->ng);
        w->ng = NULL;
        for (size_t k = 0; k < sc->seats; k++)
            w->specs[k] = t->specs[j.agents[k]];
        truce_negotiation_options no = TRUCE_NEGOTIATION_OPTIONS_INIT;
        no.max_rounds = t->rounds;
        no.max_seconds = t->seconds;
        no.clock = t->clock;
        int rc = truce_negotiation_create(&w->ng, sc->sp, w->specs, sc->seats, &no, err);
        if (rc)
            return rc;
        w->scenario = j.scenario;
        w->matchup = j.matchup;
    }
    truce_negotiation *ng = w->ng;
    double start = now_seconds();
    int rc = truce_negotiation_run(ng, j.seed, err);
    r->elapsed = now_seconds() - start;
    if (rc)
        return rc;
    r->job = job;
    r->seed = j.seed;
    r->scenario = (uint32_t)j.scenario;
    r->matchup = j.matchup;
    r->repetition = j.repetition;
    r->seats = sc->seats;
    r->issues = truce_scenario_issue_count(sc->s);
    r->agreement = truce_negotiation_agreement(ng);
    r->end = truce_negotiation_end_reason(ng);
    r->end_index = 4;
    for (int i = 0; i < 5; i++)
        if (!strcmp(r->end, record_ends[i]))
            r->end_index = i;
    r->end = record_ends[r->end_index];
    r->rounds = truce_negotiation_rounds(ng);
    r->time = truce_negotiation_time(ng);
    r->fault_seat = truce_negotiation_fault(ng);
    r->fault_message[0] = '\0';
    if (r->fault_seat >= 0) {
        const char *why = truce_negotiation_fault_message(ng);
        snprintf(r->fault_message, sizeof r->fault_message, "agent '%s' of party '%s': %s",
                 t->agents[j.agents[r->fault_seat]],
                 truce_party_name(sc->s, truce_negotiation_seat_party(ng, (size_t)r->fault_seat)),
                 why && *why ? why : "failed");
    }
    r->pareto = truce_negotiation_pareto_distance(ng);
    r->nash = truce_negotiation_nash_distance(ng);
    r->welfare = 0;
    for (size_t k = 0; k < sc->seats; k++) {
        r->agents[k] = j.agents[k];
        r->utility[k] = truce_negotiation_utility(ng, k);
        r->utility_undiscounted[k] = truce_negotiation_utility_undiscounted(ng, k);
        r->welfare += r->utility[k];
    }
    const uint32_t *outcome = truce_negotiation_outcome(ng);
    if (outcome)
        memcpy(r->outcome, outcome, r->issues * sizeof *outcome);
    record_format(t, r);
    return 0;
}

static json_t *number_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

char *record_to_json(const truce_tournament *t, const record *r)
{
    (void)t;
    json_t *agents = json_array(), *u = json_array(), *uu = json_array(), *outcome = json_array();
    int ok = agents && u && uu && outcome;
    for (size_t k = 0; ok && k < r->seats; k++)
        ok = !json_array_append_new(agents, json_integer(r->agents[k])) &&
             !json_array_append_new(u, number_or_null(r->utility[k])) &&
             !json_array_append_new(uu, number_or_null(r->utility_undiscounted[k]));
    for (size_t i = 0; ok && r->agreement && i < r->issues; i++)
        ok = !json_array_append_new(outcome, json_integer(r->outcome[i]));
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    json_t *o = NULL;
    if (ok)
        o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:b, s:s, s:I, s:o, s:I, s:s, s:o, s:o, s:o, "
                      "s:f, s:O, s:O, s:O, s:O}",
                      "job", (json_int_t)r->job, "seed", seed, "scenario", (json_int_t)r->scenario,
                      "matchup", (json_int_t)r->matchup, "repetition", (json_int_t)r->repetition,
                      "agreement", r->agreement, "end", r->end, "rounds", (json_int_t)r->rounds,
                      "time", number_or_null(r->time), "fault_seat", (json_int_t)r->fault_seat,
                      "fault_message", r->fault_message, "pareto_distance",
                      number_or_null(r->pareto), "nash_distance", number_or_null(r->nash),
                      "welfare", number_or_null(r->welfare), "elapsed", r->elapsed, "agents",
                      agents, "utility", u, "utility_undiscounted", uu, "outcome", outcome);
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(o);
    json_decref(agents);
    json_decref(u);
    json_decref(uu);
    json_decref(outcome);
    return text;
}

static double real_or_nan(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int record_from_json(const truce_tournament *t, const char *text, record *r, truce_error *err)
{
    json_error_t je;
    json_t *o = json_loads(text, 0, &je);
    if (!o)
        return error_set(err, TRUCE_EPARSE, NULL, 0, "result", "malformed result: %s", je.text);
    int rc = 0;
    json_int_t job = json_integer_value(json_object_get(o, "job"));
    json_t *agents = json_object_get(o, "agents"), *u = json_object_get(o, "utility"),
           *uu = json_object_get(o, "utility_undiscounted"),
           *outcome = json_object_get(o, "outcome");
    const char *seed = json_string_value(json_object_get(o, "seed"));
    const char *end = json_string_value(json_object_get(o, "end"));
    const char *fault = json_string_value(json_object_get(o, "fault_message"));
    if (!json_is_integer(json_object_get(o, "job")) || job < 0 || (uint64_t)job >= t->n_jobs ||
        !json_is_array(agents) || !json_is_array(u) || !json_is_array(uu) ||
        !json_is_array(outcome) || !seed || !end || !fault) {
        json_decref(o);
        return error_set(err, TRUCE_EPARSE, NULL, 0, "result",
                         "result without a valid job, seed, agents or utilities");
    }
    job_info j;
    tournament_job(t, (uint64_t)job, &j);
    const tournament_scenario *sc = &t->sc[j.scenario];
    r->job = (uint64_t)job;
    r->seed = strtoull(seed, NULL, 10);
    r->scenario = (uint32_t)j.scenario;
    r->matchup = j.matchup;
    r->repetition = j.repetition;
    r->seats = sc->seats;
    r->issues = truce_scenario_issue_count(sc->s);
    r->agreement = json_is_true(json_object_get(o, "agreement"));
    r->end_index = 4;
    for (int i = 0; i < 5; i++)
        if (!strcmp(end, record_ends[i]))
            r->end_index = i;
    r->end = record_ends[r->end_index];
    r->rounds = (uint64_t)json_integer_value(json_object_get(o, "rounds"));
    r->time = real_or_nan(json_object_get(o, "time"));
    r->fault_seat = (long)json_integer_value(json_object_get(o, "fault_seat"));
    snprintf(r->fault_message, sizeof r->fault_message, "%s", fault);
    r->pareto = real_or_nan(json_object_get(o, "pareto_distance"));
    r->nash = real_or_nan(json_object_get(o, "nash_distance"));
    r->welfare = real_or_nan(json_object_get(o, "welfare"));
    r->elapsed = real_or_nan(json_object_get(o, "elapsed"));
    if (json_array_size(agents) != r->seats || json_array_size(u) != r->seats ||
        json_array_size(uu) != r->seats ||
        (r->agreement && json_array_size(outcome) != r->issues) || r->seed != j.seed)
        rc = error_set(err, TRUCE_EPARSE, NULL, 0, "result",
                       "result of job %lld does not fit the tournament", (long long)job);
    for (size_t k = 0; !rc && k < r->seats; k++) {
        r->agents[k] = j.agents[k];
        r->utility[k] = real_or_nan(json_array_get(u, k));
        r->utility_undiscounted[k] = real_or_nan(json_array_get(uu, k));
    }
    for (size_t i = 0; !rc && r->agreement && i < r->issues; i++)
        r->outcome[i] = (uint32_t)json_integer_value(json_array_get(outcome, i));
    json_decref(o);
    if (!rc)
        record_format(t, r);
    return rc;
}

int record_unpack(const truce_tournament *t, const void *bytes, record *r, truce_error *err)
{
    size_t size = record_size(t);
    memcpy(r, bytes, size);
    relink(t, r); /* what pointed into the other process's record */
    int ok = r->job < t->n_jobs && r->end_index >= 0 && r->end_index < 5;
    if (ok) {
        job_info j;
        tournament_job(t, r->job, &j);
        const tournament_scenario *sc = &t->sc[j.scenario];
        ok = r->seed == j.seed && r->scenario == j.scenario && r->seats == sc->seats &&
             r->issues == truce_scenario_issue_count(sc->s) &&
             (r->fault_seat >= -1 && r->fault_seat < (long)r->seats);
        for (size_t k = 0; ok && k < r->seats; k++)
            ok = r->agents[k] == j.agents[k];
    }
    r->fault_message[FAULT_MESSAGE_SIZE - 1] = '\0';
    if (!ok)
        return error_set(err, TRUCE_EPARSE, NULL, 0, "result",
                         "a packed result does not fit the tournament");
    r->end = record_ends[r->end_index];
    /* the text columns the other rank formatted: each one ends inside the area */
    const char *text = record_text(t, r);
    size_t area = text_size(t), at[] = {r->text_agents,  r->text_utility, r->text_undiscounted,
                                        r->text_outcome, r->text_seed,    r->text_end};
    /* in order, each ending with a NUL just before the next (the store
     * takes the lengths from the offsets); the last is where the area's text ends */
    size_t count = sizeof at / sizeof at[0];
    for (size_t i = 0; r->formatted && i < count; i++)
        if ((i == 0 && at[0] != 0) ||
            (i > 0 && (at[i] <= at[i - 1] || at[i] > area || text[at[i] - 1] != '\0')) ||
            (i < count - 1 && at[i] >= area))
            r->formatted = 0;
    if (!r->formatted)
        record_format(t, r);
    return 0;
}

size_t truce_tournament_result_size(const truce_tournament *t)
{
    return t ? record_size(t) : 0;
}

int truce_tournament_worker_run_packed(truce_tournament_worker *w, uint64_t job, void *result,
                                       truce_error *err)
{
    error_clear(err);
    if (!w || !result)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    record *r = record_init(w->t, result);
    return worker_run(w, job, r, err);
}

int truce_tournament_worker_run(truce_tournament_worker *w, uint64_t job, char **result,
                                truce_error *err)
{
    error_clear(err);
    if (!w || !result)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    record *r = record_init(w->t, w->scratch);
    int rc = worker_run(w, job, r, err);
    if (rc)
        return rc;
    if (!(*result = record_to_json(w->t, r)))
        return error_nomem(err);
    return 0;
}
