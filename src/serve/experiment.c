/* experiment.c: a study of many sessions of one definition (scenario, seats
 * for people and agents, deadline, what people are shown): participants come
 * through one link and each gets the next free person's seat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_EXPERIMENT_SESSIONS 1000

void experiment_free(experiment *x)
{
    if (!x)
        return;
    free(x->name);
    free(x->sessions);
    json_decref(x->definition);
    free(x);
}

int experiment_create(experiment **out, server *srv, const json_t *def, char *why, size_t size)
{
    why[0] = '\0';
    const json_t *tmpl = json_object_get(def, "session");
    json_t *count = json_object_get(def, "sessions");
    const char *name = json_string_value(json_object_get(def, "name"));
    json_t *seed = json_object_get(def, "seed");
    if (!json_is_object(def) || !json_is_object(tmpl)) {
        snprintf(why, size,
                 "an experiment is {name, sessions: N, session: {scenario, protocol, "
                 "seats, deadline, reveal}}");
        return 400;
    }
    if (count && (!json_is_integer(count) || json_integer_value(count) < 1 ||
                  json_integer_value(count) > MAX_EXPERIMENT_SESSIONS)) {
        snprintf(why, size, "sessions: a whole number from 1 to %d", MAX_EXPERIMENT_SESSIONS);
        return 422;
    }
    if (seed && (!json_is_integer(seed) || json_integer_value(seed) < 0)) {
        snprintf(why, size, "seed: a whole number from 0 (session k gets seed + k)");
        return 422;
    }
    size_t n = count ? (size_t)json_integer_value(count) : 1;
    experiment *x = calloc(1, sizeof *x);
    if (!x || serve_random_hex(x->id, 16) || serve_random_hex(x->code, 16) ||
        !(x->sessions = calloc(n, sizeof *x->sessions)) ||
        !(x->name = strdup(name ? name : "experiment")) || !(x->definition = json_deep_copy(def))) {
        experiment_free(x);
        snprintf(why, size, "out of memory");
        return 500;
    }
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        json_t *one = json_deep_copy(tmpl);
        if (seed)
            json_object_set_new(one, "seed",
                                json_integer(json_integer_value(seed) + (json_int_t)k));
        session *s = NULL;
        rc = one ? session_create(&s, srv, one, x->id, why, size) : 500;
        json_decref(one);
        if (rc == 0 && (rc = server_add_session(srv, s, why, size)))
            session_free(s);
        if (rc == 0) {
            server_hold(srv, s); /* kept while the experiment lasts */
            x->sessions[x->n_sessions++] = s;
        } else if (k > 0) {
            char head[200];
            snprintf(head, sizeof head, "session %zu of %zu: ", k + 1, n);
            size_t len = strlen(head), have = strlen(why);
            if (len + have + 1 <= size) {
                memmove(why + len, why, have + 1);
                memcpy(why, head, len);
            }
        }
    }
    if (rc) {
        for (size_t k = 0; k < x->n_sessions; k++) {
            session_cancel(x->sessions[k], "its experiment could not be created");
            server_release(srv, x->sessions[k]);
        }
        x->n_sessions = 0;
        experiment_free(x);
        return rc;
    }
    *out = x;
    return 0;
}

int experiment_join(experiment *x, const char *name, session **out, seat **seat_out)
{
    for (size_t k = 0; k < x->n_sessions; k++) {
        session *s = x->sessions[k];
        pthread_mutex_lock(&s->lock);
        seat *found = NULL;
        if (s->status == STATUS_WAITING && !s->cancelled)
            for (size_t q = 0; q < s->n_seats && !found; q++)
                if (s->seats[q].kind == SEAT_PERSON && !s->seats[q].claimed)
                    found = &s->seats[q];
        if (found) {
            found->claimed = 1;
            if (name && *name && !found->name)
                found->name = strndup(name, 100);
            s->version++;
        }
        pthread_mutex_unlock(&s->lock);
        if (found) {
            *out = s;
            *seat_out = found;
            return 0;
        }
    }
    return -1;
}

json_t *experiment_json(experiment *x, int with_code)
{
    json_t *sessions = json_array();
    size_t waiting = 0, running = 0, ended = 0, agreements = 0;
    for (size_t k = 0; k < x->n_sessions; k++) {
        session *s = x->sessions[k];
        pthread_mutex_lock(&s->lock);
        size_t persons = 0, claimed = 0, joined = 0;
        for (size_t q = 0; q < s->n_seats; q++)
            if (s->seats[q].kind == SEAT_PERSON) {
                persons++;
                claimed += s->seats[q].claimed;
                joined += s->seats[q].joined;
            }
        static const char *const statuses[] = {"waiting", "running", "ended"};
        waiting += s->status == STATUS_WAITING;
        running += s->status == STATUS_RUNNING;
        ended += s->status == STATUS_ENDED;
        agreements += s->summary && json_is_true(json_object_get(s->summary, "agreement"));
        json_array_append_new(
            sessions, json_pack("{s:s,s:s,s:I,s:I,s:I}", "id", s->id, "status", statuses[s->status],
                                "people", (json_int_t)persons, "claimed", (json_int_t)claimed,
                                "joined", (json_int_t)joined));
        pthread_mutex_unlock(&s->lock);
    }
    json_t *j = json_pack("{s:s,s:s,s:O,s:o,s:I,s:I,s:I,s:I}", "id", x->id, "name", x->name,
                          "definition", x->definition, "sessions", sessions, "waiting",
                          (json_int_t)waiting, "running", (json_int_t)running, "ended",
                          (json_int_t)ended, "agreements", (json_int_t)agreements);
    if (with_code) {
        char link[128];
        snprintf(link, sizeof link, "/#/join/%s/%s", x->id, x->code);
        json_object_set_new(j, "join", json_string(link));
    }
    return j;
}
