/* serveload.c: scripted people at many tables of truce serve at once (see
 * serveload.h). Each person polls its seat's state and acts on its turn: a
 * person facing an agent offers its best deal twice, then takes any offer
 * its hard conditions allow; of two people, the first always offers its
 * best deal and the second offers its own once, then accepts. In mediated
 * talks a principal objects with its best deal to the first two drafts, then
 * accepts any its hard conditions allow; a mediator sends the draft it is
 * given first, then grants the objections it hears, clause by clause. */
#define _DEFAULT_SOURCE
#include "serveload.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct buffer {
    char *data;
    size_t len;
} buffer;

typedef struct person {
    char token[80];
    char party[64];
    int index; /* seat */
    size_t events;
    unsigned long long version;
    json_t *ideal;
    size_t acted;
    int mediator; /* at the mediator's seat */
} person;

typedef struct table {
    char id[33];
    int pair;
    person people[3];
    size_t n_people;
    int ended, agreement;
} table;

typedef struct shared {
    const load_options *o;
    table *tables;
    size_t n;
    pthread_mutex_t lock;
    load_result *r;
    size_t cap_latency;
    double deadline;
} shared;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t collect(char *ptr, size_t size, size_t n, void *userdata)
{
    buffer *b = userdata;
    char *grown = realloc(b->data, b->len + size * n + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, ptr, size * n);
    b->data = grown;
    b->len += size * n;
    b->data[b->len] = '\0';
    return size * n;
}

/* One request on a kept-alive handle: the HTTP status (0 when it failed)
 * and the body as JSON in *out. */
static long request(CURL *c, const char *base, const char *method, const char *path,
                    const char *token, const char *body, json_t **out)
{
    char url[1024], auth[200];
    snprintf(url, sizeof url, "%s%s", base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    if (body)
        h = curl_slist_append(h, "Content-Type: application/json");
    buffer b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, body ? (long)strlen(body) : 0L);
    curl_easy_setopt(c, CURLOPT_HTTPGET, body ? 0L : 1L);
    if (body)
        curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    if (out)
        *out = b.data ? json_loads(b.data, 0, NULL) : NULL;
    free(b.data);
    return status;
}

static void error(shared *sh, const char *fmt, const char *a, long b)
{
    pthread_mutex_lock(&sh->lock);
    if (!sh->r->errors++)
        snprintf(sh->r->first_error, sizeof sh->r->first_error, fmt, a, b);
    pthread_mutex_unlock(&sh->lock);
}

static void latency(shared *sh, double seconds)
{
    pthread_mutex_lock(&sh->lock);
    load_result *r = sh->r;
    if (r->actions == sh->cap_latency) {
        size_t cap = sh->cap_latency ? 2 * sh->cap_latency : 4096;
        double *grown = realloc(r->latency, cap * sizeof *grown);
        if (grown) {
            r->latency = grown;
            sh->cap_latency = cap;
        }
    }
    if (r->actions < sh->cap_latency)
        r->latency[r->actions] = seconds;
    r->actions++;
    pthread_mutex_unlock(&sh->lock);
}

/* The person's move on its turn (details: what the engine shows it). */
static char *decide(const table *t, const person *p, const json_t *details)
{
    json_t *round = json_object_get(details, "round");
    json_t *offer = json_object_get(details, "offer");
    int vetoed = json_is_object(json_object_get(details, "offer_vetoed"));
    json_int_t r = json_integer_value(round);
    int accept;
    if (t->pair)
        accept = p->index == 1 && r >= 2;
    else
        accept = r > 2;
    json_t *move = accept && offer && !vetoed
                       ? json_pack("{s:s}", "action", "accept")
                       : json_pack("{s:s,s:O}", "action", "offer", "outcome", p->ideal);
    char *text = json_dumps(move, JSON_COMPACT);
    json_decref(move);
    return text;
}

/* Mediated talks: the person's answer to a draft, or the mediator's next draft. */
static char *decide_mediation(const person *p, const json_t *details)
{
    json_t *move;
    if (p->mediator) {
        /* the draft, with every objection heard granted (later ones win) */
        json_t *draft = json_deep_copy(json_object_get(details, "draft"));
        size_t k, q;
        json_t *a, *o;
        json_array_foreach(json_object_get(details, "answers"), k, a)
        {
            json_array_foreach(json_object_get(a, "objections"), q, o)
            {
                const char *issue = json_string_value(json_object_get(o, "issue"));
                if (issue)
                    json_object_set(draft, issue, json_object_get(o, "proposed"));
            }
        }
        move = json_pack("{s:s,s:o}", "action", "draft", "outcome", draft);
    } else {
        json_int_t it = json_integer_value(json_object_get(details, "iteration"));
        int vetoed = json_is_object(json_object_get(details, "vetoed"));
        move = it >= 2 && !vetoed ? json_pack("{s:s}", "action", "accept")
               : json_is_object(p->ideal)
                   ? json_pack("{s:s,s:O}", "action", "object", "outcome", p->ideal)
                   : json_pack("{s:s}", "action", "object");
    }
    char *text = json_dumps(move, JSON_COMPACT);
    json_decref(move);
    return text;
}

/* Poll one person's seat and act when it is its turn; 1 when it acted or
 * something changed. */
static int step(shared *sh, CURL *c, table *t, person *p)
{
    char path[300];
    int full = !p->ideal;
    snprintf(path, sizeof path, "/api/session?id=%s&after=%zu%s", t->id, p->events,
             full ? "&full=1" : "");
    if (!full)
        snprintf(path + strlen(path), sizeof path - strlen(path), "&since=%llu", p->version);
    json_t *s = NULL;
    long status = request(c, sh->o->base, "GET", path, p->token, NULL, &s);
    pthread_mutex_lock(&sh->lock);
    sh->r->polls++;
    pthread_mutex_unlock(&sh->lock);
    if (status != 200 || !s) {
        error(sh, "state of %s: HTTP %ld", t->id, status);
        json_decref(s);
        return 0;
    }
    int changed = !json_is_true(json_object_get(s, "unchanged"));
    p->version = (unsigned long long)json_integer_value(json_object_get(s, "version"));
    if (changed) {
        p->events = (size_t)json_integer_value(json_object_get(s, "events_total"));
        if (full)
            p->ideal = json_incref(json_object_get(s, "ideal"));
        const char *st = json_string_value(json_object_get(s, "status"));
        if (st && !strcmp(st, "ended")) {
            json_t *summary = json_object_get(s, "summary");
            t->ended = 1;
            t->agreement = json_is_true(json_object_get(summary, "agreement"));
        }
        json_t *w = json_object_get(s, "waiting");
        if (!t->ended && json_is_true(json_object_get(w, "yours"))) {
            char *move = sh->o->mediation ? decide_mediation(p, json_object_get(w, "details"))
                                          : decide(t, p, json_object_get(w, "details"));
            snprintf(path, sizeof path, "/api/session/act?id=%s", t->id);
            double start = now();
            long rc = request(c, sh->o->base, "POST", path, p->token, move, NULL);
            double took = now() - start;
            free(move);
            if (rc == 200) {
                p->acted++;
                latency(sh, took);
                if (p->mediator) {
                    pthread_mutex_lock(&sh->lock);
                    sh->r->mediator_actions++;
                    pthread_mutex_unlock(&sh->lock);
                }
            } else {
                error(sh, "action in %s: HTTP %ld", t->id, rc);
            }
        }
    }
    json_decref(s);
    return changed;
}

static void *worker(void *arg)
{
    void **args = arg;
    shared *sh = args[0];
    size_t first = (size_t)(uintptr_t)args[1], step_by = (size_t)(uintptr_t)args[2];
    CURL *c = curl_easy_init();
    for (;;) {
        int open = 0, busy = 0;
        for (size_t k = first; k < sh->n; k += step_by) {
            table *t = &sh->tables[k];
            for (size_t q = 0; q < t->n_people && !t->ended; q++)
                busy |= step(sh, c, t, &t->people[q]);
            open += !t->ended;
        }
        if (!open || now() > sh->deadline)
            break;
        if (!busy)
            usleep(2000);
    }
    curl_easy_cleanup(c);
    return NULL;
}

int load_run(const load_options *o, load_result *r)
{
    memset(r, 0, sizeof *r);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    shared sh = {o,
                 calloc(o->sessions, sizeof(table)),
                 o->sessions,
                 PTHREAD_MUTEX_INITIALIZER,
                 r,
                 0,
                 now() + o->seconds};
    r->ids = calloc(o->sessions, sizeof *r->ids);
    r->session_actions = calloc(o->sessions, sizeof *r->session_actions);
    r->parties = calloc(o->sessions, sizeof *r->parties);
    r->seat_actions = calloc(o->sessions, sizeof *r->seat_actions);
    if (!sh.tables || !r->ids || !r->session_actions || !r->parties || !r->seat_actions)
        return -1;
    CURL *c = curl_easy_init();
    double start = now();
    for (size_t k = 0; k < o->sessions; k++) {
        table *t = &sh.tables[k];
        t->pair = k < o->pairs;
        char def[600];
        static const char *const mediated[3] = {
            "{\"party\":\"russia\",\"kind\":\"person\"},{\"party\":\"ukraine\",\"kind\":"
            "\"person\"},{\"party\":\"mediator\",\"kind\":\"agent\",\"agent\":\"informed\"}",
            "{\"party\":\"russia\",\"kind\":\"agent\",\"agent\":\"responder\"},{\"party\":"
            "\"ukraine\",\"kind\":\"person\"},{\"party\":\"mediator\",\"kind\":\"agent\","
            "\"agent\":\"uninformed\"}",
            "{\"party\":\"mediator\",\"kind\":\"person\"}"};
        if (o->mediation)
            snprintf(def, sizeof def,
                     "{\"scenario\":\"%s\",\"protocol\":\"mediation\",\"seats\":[%s],"
                     "\"deadline\":{\"iterations\":%u},\"seed\":%zu}",
                     o->scenario, mediated[k % 3], o->rounds, k);
        else if (t->pair)
            snprintf(def, sizeof def,
                     "{\"scenario\":\"%s\",\"seats\":[{\"party\":\"russia\",\"kind\":\"person\"},"
                     "{\"party\":\"ukraine\",\"kind\":\"person\"}],\"deadline\":{\"rounds\":%u},"
                     "\"seed\":%zu}",
                     o->scenario, o->rounds, k);
        else
            snprintf(def, sizeof def,
                     "{\"scenario\":\"%s\",\"seats\":[{\"party\":\"russia\",\"kind\":\"agent\","
                     "\"agent\":\"%s\"},{\"party\":\"ukraine\",\"kind\":\"person\"}],"
                     "\"deadline\":{\"rounds\":%u},\"seed\":%zu}",
                     o->scenario, o->agent, o->rounds, k);
        json_t *created = NULL;
        long status = request(c, o->base, "POST", "/api/sessions", o->key, def, &created);
        if (status != 201 || !created) {
            error(&sh, "creating a session: %s HTTP %ld", "", status);
            json_decref(created);
            continue;
        }
        snprintf(t->id, sizeof t->id, "%s", json_string_value(json_object_get(created, "id")));
        json_t *seats = json_object_get(created, "seats");
        for (size_t q = 0; q < json_array_size(seats); q++) {
            json_t *seat = json_array_get(seats, q);
            const char *token = json_string_value(json_object_get(seat, "token"));
            if (!token)
                continue;
            person *p = &t->people[t->n_people++];
            snprintf(p->token, sizeof p->token, "%s", token);
            snprintf(p->party, sizeof p->party, "%s",
                     json_string_value(json_object_get(seat, "party")));
            p->index = (int)q;
            /* a scenario without a mediator party gets the neutral one, "mediator" */
            p->mediator = !strcmp(p->party, "mediator");
        }
        json_decref(created);
    }
    curl_easy_cleanup(c);
    unsigned n_threads = o->threads ? o->threads : 8;
    pthread_t *threads = calloc(n_threads, sizeof *threads);
    void *(*args)[3] = calloc(n_threads, sizeof *args);
    for (unsigned k = 0; k < n_threads; k++) {
        args[k][0] = &sh;
        args[k][1] = (void *)(uintptr_t)k;
        args[k][2] = (void *)(uintptr_t)n_threads;
        pthread_create(&threads[k], NULL, worker, args[k]);
    }
    for (unsigned k = 0; k < n_threads; k++)
        pthread_join(threads[k], NULL);
    r->wall = now() - start;
    for (size_t k = 0; k < sh.n; k++) {
        table *t = &sh.tables[k];
        r->ended += t->ended;
        r->agreements += t->agreement;
        snprintf(r->ids[k], sizeof r->ids[k], "%s", t->id);
        for (size_t q = 0; q < t->n_people; q++) {
            size_t seat = (size_t)t->people[q].index;
            r->session_actions[k] += t->people[q].acted;
            snprintf(r->parties[k][seat], sizeof r->parties[k][seat], "%s", t->people[q].party);
            r->seat_actions[k][seat] = t->people[q].acted;
            json_decref(t->people[q].ideal);
        }
    }
    free(threads);
    free(args);
    free(sh.tables);
    curl_global_cleanup();
    return r->ended == o->sessions && r->errors == 0 ? 0 : -1;
}

void load_free(load_result *r)
{
    free(r->latency);
    free(r->ids);
    free(r->session_actions);
    free(r->parties);
    free(r->seat_actions);
    memset(r, 0, sizeof *r);
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double load_quantile(const load_result *r, double q)
{
    if (!r->actions || !r->latency)
        return 0.0 / 0.0;
    qsort(r->latency, r->actions, sizeof *r->latency, compare);
    size_t k = (size_t)(q * (double)(r->actions - 1) + 0.5);
    return r->latency[k < r->actions ? k : r->actions - 1];
}
