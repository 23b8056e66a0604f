/* server.c: the HTTP side of `truce serve` on libmicrohttpd: the page's
 * assets, the JSON API (docs/serve.md#api), tokens on every action, request
 * size limits, security headers, and the sessions the server holds. Nothing
 * here maps a request's path to a file: scenarios, sessions and traces are
 * found by ids the server made. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "internal.h"

#define MAX_EXPERIMENTS 200

/* ---- options ---- */

void serve_options_init(serve_options *o)
{
    truce_limits limits = TRUCE_LIMITS_INIT;
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->port = 8080;
    o->data_dir = "truce-sessions";
    /* uploads come from people: far below the command line's defaults */
    limits.max_file_bytes = 4u << 20;
    limits.max_issues = 200;
    limits.max_options = 10000;
    limits.max_options_total = 100000;
    limits.max_parties = 20;
    o->limits = limits;
    o->seat_timeout = 600;
    o->max_sessions = 5000;
    o->max_running = 1000;
    o->max_uploads = 200;
    o->max_body = 8u << 20;
    o->max_outcomes = 2e6;
    o->threads = 4;
}

/* ---- responses ---- */

typedef struct request {
    char *body;
    size_t len, cap;
    int too_large;
} request;

static void headers(struct MHD_Response *r, const char *type, int page)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    /* the page loads only its own script and style; plots are images; an
     * SVG opened on its own runs nothing */
    MHD_add_response_header(r, "Content-Security-Policy",
                            page ? "default-src 'none'; script-src 'self'; style-src 'self'; "
                                   "img-src 'self' blob:; connect-src 'self'; base-uri 'none'; "
                                   "form-action 'none'; frame-ancestors 'none'"
                                 : "default-src 'none'; style-src 'unsafe-inline'; sandbox; "
                                   "frame-ancestors 'none'");
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
                             const void *data, size_t len, int copy, int page)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    headers(r, type, page);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result reply_json(struct MHD_Connection *c, unsigned status, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(j);
    if (!text)
        return reply(c, 500, "application/json", "{\"error\":\"out of memory\"}", 25, 0, 0);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    headers(r, "application/json; charset=utf-8", 0);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result fail(struct MHD_Connection *c, unsigned status, const char *why)
{
    return reply_json(c, status, json_pack("{s:s}", "error", why));
}

/* ---- requests ---- */

static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static const char *bearer(struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncmp(h, "Bearer ", 7))
        return NULL;
    return h + 7;
}

static int operator(const server *srv, struct MHD_Connection *c)
{
    const char *t = bearer(c);
    return t && serve_token_equal(t, srv->key);
}

static json_t *body_json(const request *r, char *why, size_t size)
{
    json_error_t jerr;
    json_t *j = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j)
        snprintf(why, size, "the request body is not JSON: %s (line %d)", jerr.text, jerr.line);
    return j;
}

/* On loopback, the Host a browser sends must name loopback: a page of
 * another site that had its name point here (DNS rebinding) is refused. */
static int host_ok(const server *srv, struct MHD_Connection *c)
{
    if (!srv->loopback)
        return 1;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host)
        return 1; /* HTTP/1.0 clients on this machine */
    static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
    char port[16];
    snprintf(port, sizeof port, ":%u", srv->port);
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(names[k]);
        if (!strncmp(host, names[k], n) && (!host[n] || !strcmp(host + n, port)))
            return 1;
    }
    return 0;
}

/* ---- the sessions the server holds ---- */

void server_hold(server *srv, session *s)
{
    pthread_mutex_lock(&srv->lock);
    s->refs++;
    pthread_mutex_unlock(&srv->lock);
}

void server_release(server *srv, session *s)
{
    pthread_mutex_lock(&srv->lock);
    int last = --s->refs == 0 && s->evicted;
    pthread_mutex_unlock(&srv->lock);
    if (last)
        session_free(s);
}

session *server_find_session(server *srv, const char *id)
{
    session *found = NULL;
    pthread_mutex_lock(&srv->lock);
    for (size_t k = 0; id && k < srv->n_sessions && !found; k++)
        if (!strcmp(srv->sessions[k]->id, id)) {
            found = srv->sessions[k];
            found->refs++;
        }
    pthread_mutex_unlock(&srv->lock);
    return found;
}

void server_kick(server *srv)
{
    pthread_mutex_lock(&srv->lock);
    for (size_t k = 0; k < srv->n_sessions && srv->running < srv->o.max_running; k++)
        if (srv->sessions[k]->status == STATUS_WAITING)
            session_try_start(srv->sessions[k]);
    pthread_mutex_unlock(&srv->lock);
}

int server_add_session(server *srv, session *s, char *why, size_t size)
{
    pthread_mutex_lock(&srv->lock);
    if (srv->n_sessions >= srv->o.max_sessions) {
        /* drop the oldest ended session nobody else holds from memory */
        for (size_t k = 0; k < srv->n_sessions; k++) {
            session *old = srv->sessions[k];
            pthread_mutex_lock(&old->lock);
            int done = old->status == STATUS_ENDED && old->summary && old->refs == 1;
            pthread_mutex_unlock(&old->lock);
            if (done) {
                memmove(srv->sessions + k, srv->sessions + k + 1,
                        (srv->n_sessions - k - 1) * sizeof *srv->sessions);
                srv->n_sessions--;
                old->refs--;
                old->evicted = 1;
                session_free(old);
                break;
            }
        }
    }
    int rc = 0;
    if (srv->stopping) {
        snprintf(why, size, "the server is stopping");
        rc = 503;
    } else if (srv->n_sessions >= srv->o.max_sessions) {
        snprintf(why, size, "the server holds %zu sessions, none of them over: try later",
                 srv->n_sessions);
        rc = 503;
    } else if (srv->n_sessions == srv->cap_sessions) {
        size_t cap = srv->cap_sessions ? 2 * srv->cap_sessions : 64;
        session **grown = realloc(srv->sessions, cap * sizeof *grown);
        if (grown) {
            srv->sessions = grown;
            srv->cap_sessions = cap;
        } else {
            snprintf(why, size, "out of memory");
            rc = 500;
        }
    }
    if (rc == 0) {
        srv->sessions[srv->n_sessions++] = s;
        s->refs = 1;
        session_try_start(s); /* sessions of agents only start at once */
    }
    pthread_mutex_unlock(&srv->lock);
    return rc;
}

const char *server_named_agent(const server *srv, const char *name)
{
    for (size_t k = 0; k < srv->n_agents; k++)
        if (!strcmp(srv->agents[k].name, name))
            return srv->agents[k].spec;
    return NULL;
}

/* ---- the API ---- */

static enum MHD_Result api_info(server *srv, struct MHD_Connection *c)
{
    json_t *agents = json_array();
    for (size_t k = 0; k < truce_agent_count(); k++)
        json_array_append_new(agents, json_pack("{s:s,s:s,s:s}", "name", truce_agent_name(k),
                                                "params", truce_agent_params(k), "description",
                                                truce_agent_description(k)));
    json_t *named = json_array();
    for (size_t k = 0; k < srv->n_agents; k++) {
        truce_agent_spec spec;
        truce_error err;
        int review = truce_agent_parse(&spec, srv->agents[k].spec, &err) == 0 && spec.cls->review;
        json_array_append_new(
            named, json_pack("{s:s,s:b}", "name", srv->agents[k].name, "review", review));
    }
    json_t *limits = json_object();
    for (size_t k = 0; truce_limits_name(k); k++)
        json_object_set_new(limits, truce_limits_name(k),
                            json_real(truce_limits_get(&srv->o.limits, k)));
    json_object_set_new(limits, "max_body", json_integer((json_int_t)srv->o.max_body));
    return reply_json(c, 200,
                      json_pack("{s:s,s:o,s:o,s:o,s:f}", "version", truce_version(), "agents",
                                agents, "named_agents", named, "limits", limits, "seat_timeout",
                                srv->o.seat_timeout));
}

static enum MHD_Result api_scenario(server *srv, struct MHD_Connection *c, entry *e)
{
    char why[1200];
    json_t *d = entry_details(e, &srv->o, why, sizeof why);
    if (!d)
        return fail(c, 422, why);
    size_t count = 0;
    entry_plot(e, &srv->o, 0, &count);
    json_t *copy = json_copy(d);
    json_decref(d);
    json_object_set_new(copy, "plots", json_integer((json_int_t)count));
    return reply_json(c, 200, copy);
}

static enum MHD_Result svg(struct MHD_Connection *c, const char *text)
{
    if (!text)
        return fail(c, 404, "no such plot");
    return reply(c, 200, "image/svg+xml; charset=utf-8", text, strlen(text), 1, 0);
}

static int plot_index(struct MHD_Connection *c, size_t *k)
{
    const char *v = arg(c, "k");
    char *end;
    if (!v || !*v)
        return -1;
    unsigned long n = strtoul(v, &end, 10);
    if (*end || n > 1000)
        return -1;
    *k = n;
    return 0;
}

static json_t *sessions_json(server *srv)
{
    json_t *list = json_array();
    static const char *const statuses[] = {"waiting", "running", "ended"};
    pthread_mutex_lock(&srv->lock);
    for (size_t k = 0; k < srv->n_sessions; k++) {
        session *s = srv->sessions[k];
        pthread_mutex_lock(&s->lock);
        json_t *j = json_pack("{s:s,s:s,s:s,s:O}", "id", s->id, "scenario", s->e->id, "status",
                              statuses[s->status], "definition", s->definition);
        if (s->experiment)
            json_object_set_new(j, "experiment", json_string(s->experiment));
        if (s->summary)
            json_object_set_new(j, "end", json_incref(json_object_get(s->summary, "end")));
        json_t *seats = json_array();
        for (size_t q = 0; q < s->n_seats; q++)
            if (s->seats[q].kind == SEAT_PERSON) {
                char link[128];
                snprintf(link, sizeof link, "/#/seat/%s/%s", s->id, s->seats[q].token);
                json_array_append_new(seats, json_pack("{s:s,s:s,s:b}", "party",
                                                       party_label(s, &s->seats[q]), "link", link,
                                                       "joined", s->seats[q].joined));
            }
        json_object_set_new(j, "people", seats);
        pthread_mutex_unlock(&s->lock);
        json_array_append_new(list, j);
    }
    pthread_mutex_unlock(&srv->lock);
    return list;
}

static enum MHD_Result api_create_session(server *srv, struct MHD_Connection *c, request *r)
{
    char why[1500];
    json_t *def = body_json(r, why, sizeof why);
    if (!def)
        return fail(c, 400, why);
    session *s = NULL;
    int rc = session_create(&s, srv, def, NULL, why, sizeof why);
    json_decref(def);
    if (rc)
        return fail(c, (unsigned)rc, why);
    json_t *seats = json_array();
    for (size_t q = 0; q < s->n_seats; q++) {
        seat *st = &s->seats[q];
        json_t *j = json_pack("{s:I,s:s,s:s}", "index", (json_int_t)q, "party", party_label(s, st),
                              "kind", st->kind == SEAT_PERSON ? "person" : "agent");
        if (st->kind == SEAT_PERSON) {
            char link[128];
            snprintf(link, sizeof link, "/#/seat/%s/%s", s->id, st->token);
            json_object_set_new(j, "token", json_string(st->token));
            json_object_set_new(j, "link", json_string(link));
        }
        json_array_append_new(seats, j);
    }
    json_t *out = json_pack("{s:s,s:o}", "id", s->id, "seats", seats);
    if ((rc = server_add_session(srv, s, why, sizeof why))) {
        json_decref(out);
        session_cancel(s, "the server could not hold it");
        session_free(s);
        return fail(c, (unsigned)rc, why);
    }
    return reply_json(c, 201, out);
}

/* The session a request names, and the seat its token holds (NULL for the
 * operator). Replies itself (and returns NULL) when neither fits. */
static session *session_for(server *srv, struct MHD_Connection *c, seat **st, int operator_ok,
                            enum MHD_Result *result)
{
    session *s = server_find_session(srv, arg(c, "id"));
    *st = NULL;
    if (!s) {
        *result = fail(c, 404, "no such session");
        return NULL;
    }
    if (operator_ok && operator(srv, c))
        return s;
    pthread_mutex_lock(&s->lock);
    *st = session_seat(s, bearer(c));
    pthread_mutex_unlock(&s->lock);
    if (!*st) {
        server_release(srv, s);
        *result = fail(c, bearer(c) ? 403 : 401,
                       bearer(c) ? "this token holds no seat of the session"
                                 : "a seat token is required (Authorization: Bearer TOKEN)");
        return NULL;
    }
    return s;
}

static enum MHD_Result api_state(server *srv, struct MHD_Connection *c)
{
    enum MHD_Result result;
    seat *st;
    session *s = session_for(srv, c, &st, 1, &result);
    if (!s)
        return result;
    const char *after_text = arg(c, "after"), *since = arg(c, "since");
    size_t after = after_text ? strtoul(after_text, NULL, 10) : 0;
    int full = arg(c, "full") != NULL, first = 0;
    pthread_mutex_lock(&s->lock);
    if (st) {
        first = !st->joined;
        st->joined = 1;
        st->last_seen = serve_now();
        if (first)
            s->version++;
    }
    json_t *j;
    if (since && !first && strtoull(since, NULL, 10) == s->version && !full)
        j = json_pack("{s:I,s:b}", "version", (json_int_t)s->version, "unchanged", 1);
    else
        j = view_state(s, st, after, full);
    pthread_mutex_unlock(&s->lock);
    if (first) {
        store_presence(&srv->st, s->id, st->index, "join");
        server_kick(srv);
    }
    server_release(srv, s);
    return reply_json(c, 200, j);
}

static enum MHD_Result api_act(server *srv, struct MHD_Connection *c, request *r)
{
    enum MHD_Result result;
    seat *st;
    session *s = session_for(srv, c, &st, 0, &result);
    if (!s)
        return result;
    char why[1200];
    json_t *body = body_json(r, why, sizeof why);
    int rc = body ? session_act(s, st, body, why, sizeof why) : 400;
    json_decref(body);
    pthread_mutex_lock(&s->lock);
    st->last_seen = serve_now();
    json_int_t version = (json_int_t)s->version;
    pthread_mutex_unlock(&s->lock);
    server_release(srv, s);
    if (rc)
        return fail(c, (unsigned)rc, why);
    return reply_json(c, 200, json_pack("{s:b,s:I}", "ok", 1, "version", version));
}

static enum MHD_Result api_evaluate(server *srv, struct MHD_Connection *c, request *r)
{
    enum MHD_Result result;
    seat *st;
    session *s = session_for(srv, c, &st, 1, &result);
    if (!s)
        return result;
    char why[1200];
    json_t *body = body_json(r, why, sizeof why);
    json_t *j =
        body ? view_evaluate(s, st, json_object_get(body, "outcome"), why, sizeof why) : NULL;
    json_decref(body);
    server_release(srv, s);
    return j ? reply_json(c, 200, j) : fail(c, 422, why);
}

static enum MHD_Result api_session_plot(server *srv, struct MHD_Connection *c)
{
    enum MHD_Result result;
    seat *st;
    session *s = session_for(srv, c, &st, 1, &result);
    if (!s)
        return result;
    size_t k, count = 0;
    if (plot_index(c, &k)) {
        server_release(srv, s);
        return fail(c, 400, "k: the plot's number");
    }
    pthread_mutex_lock(&s->lock);
    const char *text = NULL;
    if (s->debrief || seat_sees(st, REVEAL_UTILITIES))
        text = view_plot(s, k, &count);
    enum MHD_Result rc = svg(c, text);
    pthread_mutex_unlock(&s->lock);
    server_release(srv, s);
    return rc;
}

/* The scenario's analysis for a seat of a session that reveals it. */
static enum MHD_Result api_session_scenario(server *srv, struct MHD_Connection *c, int plot)
{
    enum MHD_Result result;
    seat *st;
    session *s = session_for(srv, c, &st, 1, &result);
    if (!s)
        return result;
    pthread_mutex_lock(&s->lock);
    int allowed = seat_sees(st, REVEAL_UTILITIES) || (s->debrief && s->status == STATUS_ENDED);
    pthread_mutex_unlock(&s->lock);
    entry *e = s->e;
    server_release(srv, s);
    if (!allowed)
        return fail(c, 403, "this session does not show the others' preferences");
    if (!plot)
        return api_scenario(srv, c, e);
    size_t k, count;
    if (plot_index(c, &k))
        return fail(c, 400, "k: the plot's number");
    return svg(c, entry_plot(e, &srv->o, k, &count));
}

static enum MHD_Result api_trace(server *srv, struct MHD_Connection *c)
{
    session *s = server_find_session(srv, arg(c, "id"));
    if (!s)
        return fail(c, 404, "no such session");
    pthread_mutex_lock(&s->lock);
    int ended = s->status == STATUS_ENDED;
    pthread_mutex_unlock(&s->lock);
    int fd = ended ? open(s->trace_path, O_RDONLY | O_CLOEXEC) : -1;
    server_release(srv, s);
    if (fd < 0)
        return fail(c, 404, "the trace is written when the session ends");
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 0) {
        close(fd);
        return fail(c, 500, "cannot read the trace");
    }
    /* the response owns the descriptor and closes it */
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    headers(r, "application/x-ndjson; charset=utf-8", 0);
    MHD_add_response_header(r, "Content-Disposition", "attachment; filename=\"trace.jsonl\"");
    enum MHD_Result rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result api_experiment_create(server *srv, struct MHD_Connection *c, request *r)
{
    char why[1500];
    json_t *def = body_json(r, why, sizeof why);
    if (!def)
        return fail(c, 400, why);
    pthread_mutex_lock(&srv->lock);
    int full = srv->n_experiments >= MAX_EXPERIMENTS;
    pthread_mutex_unlock(&srv->lock);
    if (full) {
        json_decref(def);
        return fail(c, 503, "the server holds too many experiments");
    }
    experiment *x = NULL;
    int rc = experiment_create(&x, srv, def, why, sizeof why);
    json_decref(def);
    if (rc)
        return fail(c, (unsigned)rc, why);
    pthread_mutex_lock(&srv->lock);
    if (srv->n_experiments == srv->cap_experiments) {
        size_t cap = srv->cap_experiments ? 2 * srv->cap_experiments : 8;
        experiment **grown = realloc(srv->experiments, cap * sizeof *grown);
        if (grown) {
            srv->experiments = grown;
            srv->cap_experiments = cap;
        }
    }
    int added = srv->n_experiments < srv->cap_experiments;
    if (added)
        srv->experiments[srv->n_experiments++] = x;
    pthread_mutex_unlock(&srv->lock);
    if (!added) {
        experiment_free(x);
        return fail(c, 500, "out of memory");
    }
    return reply_json(c, 201, experiment_json(x, 1));
}

static enum MHD_Result api_experiments(server *srv, struct MHD_Connection *c)
{
    json_t *list = json_array();
    pthread_mutex_lock(&srv->lock);
    for (size_t k = 0; k < srv->n_experiments; k++)
        json_array_append_new(list, experiment_json(srv->experiments[k], 1));
    pthread_mutex_unlock(&srv->lock);
    return reply_json(c, 200, list);
}

static enum MHD_Result api_join(server *srv, struct MHD_Connection *c, request *r)
{
    const char *id = arg(c, "id"), *code = arg(c, "code");
    char why[300];
    json_t *body = r->len ? body_json(r, why, sizeof why) : json_object();
    if (!body)
        return fail(c, 400, why);
    const char *name = json_string_value(json_object_get(body, "name"));
    session *s = NULL;
    seat *st = NULL;
    int known = 0;
    pthread_mutex_lock(&srv->lock);
    for (size_t k = 0; id && code && k < srv->n_experiments && !known; k++) {
        experiment *x = srv->experiments[k];
        if (!strcmp(x->id, id) && serve_token_equal(code, x->code)) {
            known = 1;
            if (experiment_join(x, name, &s, &st) == 0)
                s->refs++;
        }
    }
    pthread_mutex_unlock(&srv->lock);
    json_decref(body);
    if (!known)
        return fail(c, 404, "no such experiment, or a wrong join code");
    if (!s)
        return fail(c, 409, "every seat of this experiment is taken: thank you for coming");
    json_t *j = json_pack("{s:s,s:s,s:s}", "session", s->id, "token", st->token, "party",
                          party_label(s, st));
    server_release(srv, s);
    return reply_json(c, 200, j);
}

static enum MHD_Result api_export(server *srv, struct MHD_Connection *c)
{
    const char *table = arg(c, "table");
    char *csv = NULL;
    truce_error err = {0};
    if (store_csv(&srv->st, table ? table : "sessions", arg(c, "experiment"), &csv, &err))
        return fail(c, err.code == TRUCE_ENOTFOUND ? 404 : 500, err.message);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(csv), csv, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(csv);
        return MHD_NO;
    }
    headers(r, "text/csv; charset=utf-8", 0);
    MHD_add_response_header(r, "Content-Disposition",
                            table && !strcmp(table, "actions")
                                ? "attachment; filename=\"actions.csv\""
                                : "attachment; filename=\"sessions.csv\"");
    enum MHD_Result rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result api_cancel(server *srv, struct MHD_Connection *c)
{
    session *s = server_find_session(srv, arg(c, "id"));
    if (!s)
        return fail(c, 404, "no such session");
    session_cancel(s, "the operator ended the session");
    server_release(srv, s);
    return reply_json(c, 200, json_pack("{s:b}", "ok", 1));
}

static enum MHD_Result route(server *srv, struct MHD_Connection *c, const char *url,
                             const char *method, request *r)
{
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    int post = !strcmp(method, "POST");
    if (r->too_large) {
        char why[200];
        snprintf(why, sizeof why, "the request body is larger than the limit of %zu bytes",
                 srv->o.max_body);
        return fail(c, 413, why);
    }
    for (size_t k = 0; k < serve_asset_count; k++)
        if (!strcmp(url, serve_assets[k].path) || (!strcmp(url, "/") && k == 0)) {
            if (!get)
                return fail(c, 405, "only GET here");
            return reply(c, 200, serve_assets[k].type, serve_assets[k].data, serve_assets[k].size,
                         0, 1);
        }
    if (strncmp(url, "/api/", 5))
        return fail(c, 404, "not found");
    const char *api = url + 5;
    /* public: the page's facts, and joining an experiment with its code */
    if (!strcmp(api, "info"))
        return get ? api_info(srv, c) : fail(c, 405, "GET only");
    if (!strcmp(api, "experiment/join"))
        return post ? api_join(srv, c, r) : fail(c, 405, "POST only");
    /* seats (or the operator) */
    if (!strcmp(api, "session"))
        return get ? api_state(srv, c) : fail(c, 405, "GET only");
    if (!strcmp(api, "session/act"))
        return post ? api_act(srv, c, r) : fail(c, 405, "POST only");
    if (!strcmp(api, "session/evaluate"))
        return post ? api_evaluate(srv, c, r) : fail(c, 405, "POST only");
    if (!strcmp(api, "session/plot"))
        return get ? api_session_plot(srv, c) : fail(c, 405, "GET only");
    if (!strcmp(api, "session/scenario"))
        return get ? api_session_scenario(srv, c, 0) : fail(c, 405, "GET only");
    if (!strcmp(api, "session/scenario-plot"))
        return get ? api_session_scenario(srv, c, 1) : fail(c, 405, "GET only");
    /* the operator */
    static const char *const operator_routes[] = {"scenarios",   "scenario",      "scenario/plot",
                                                  "sessions",    "session/trace", "session/cancel",
                                                  "experiments", "export"};
    int known = 0;
    for (size_t k = 0; k < sizeof operator_routes / sizeof *operator_routes; k++)
        known |= !strcmp(api, operator_routes[k]);
    if (!known)
        return fail(c, 404, "no such API");
    if (!operator(srv, c))
        return fail(c, bearer(c) ? 403 : 401,
                    bearer(c) ? "this key is not the operator's"
                              : "the operator's key is required (Authorization: Bearer KEY)");
    if (!strcmp(api, "scenarios") && get)
        return reply_json(c, 200, catalog_list(&srv->cat));
    if (!strcmp(api, "scenarios") && post) {
        char why[1500], *id = NULL;
        json_t *body = body_json(r, why, sizeof why);
        int rc =
            body ? catalog_upload(&srv->cat, json_object_get(body, "files"), &id, why, sizeof why)
                 : 400;
        json_decref(body);
        if (rc)
            return fail(c, (unsigned)rc, why);
        json_t *j = json_pack("{s:s}", "id", id);
        free(id);
        return reply_json(c, 201, j);
    }
    if (!strcmp(api, "scenario") && get) {
        entry *e = arg(c, "id") ? catalog_find(&srv->cat, arg(c, "id")) : NULL;
        return e ? api_scenario(srv, c, e) : fail(c, 404, "no such scenario");
    }
    if (!strcmp(api, "scenario/plot") && get) {
        entry *e = arg(c, "id") ? catalog_find(&srv->cat, arg(c, "id")) : NULL;
        size_t k, count;
        if (!e)
            return fail(c, 404, "no such scenario");
        if (plot_index(c, &k))
            return fail(c, 400, "k: the plot's number");
        return svg(c, entry_plot(e, &srv->o, k, &count));
    }
    if (!strcmp(api, "sessions") && get)
        return reply_json(c, 200, sessions_json(srv));
    if (!strcmp(api, "sessions") && post)
        return api_create_session(srv, c, r);
    if (!strcmp(api, "session/trace") && get)
        return api_trace(srv, c);
    if (!strcmp(api, "session/cancel") && post)
        return api_cancel(srv, c);
    if (!strcmp(api, "experiments") && get)
        return api_experiments(srv, c);
    if (!strcmp(api, "experiments") && post)
        return api_experiment_create(srv, c, r);
    if (!strcmp(api, "export") && get)
        return api_export(srv, c);
    return fail(c, 405, "method not allowed here");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    server *srv = cls;
    request *r = *con_cls;
    if (!r) {
        if (!(r = calloc(1, sizeof *r)))
            return MHD_NO;
        *con_cls = r;
        if (!host_ok(srv, c))
            return fail(c, 421, "this server answers to its loopback address only");
        /* a body announced too large is refused before it is read */
        const char *length =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull(length, NULL, 10) > srv->o.max_body) {
            r->too_large = 1;
            char why[200];
            snprintf(why, sizeof why, "the request body is larger than the limit of %zu bytes",
                     srv->o.max_body);
            return fail(c, 413, why);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->too_large)
            return MHD_YES;
        if (r->len + n > srv->o.max_body) {
            r->too_large = 1;
            free(r->body);
            r->body = NULL;
            r->len = r->cap = 0;
            return MHD_YES;
        }
        if (r->len + n + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : 4096;
            while (cap < r->len + n + 1)
                cap *= 2;
            char *grown = realloc(r->body, cap);
            if (!grown)
                return MHD_NO;
            r->body = grown;
            r->cap = cap;
        }
        memcpy(r->body + r->len, upload_data, n);
        r->len += n;
        r->body[r->len] = '\0';
        return MHD_YES;
    }
    return route(srv, c, url, method, r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)c;
    (void)code;
    request *r = *con_cls;
    if (r) {
        free(r->body);
        free(r);
    }
    *con_cls = NULL;
}

/* ---- start and stop ---- */

static int make_folder(const char *path, truce_error *err)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
    }
    snprintf(err->message, sizeof err->message, "%s: cannot create the folder: %s", path,
             strerror(errno));
    return -1;
}

static int named_agents(server *srv, truce_error *err)
{
    srv->agents = calloc(srv->o.n_agents ? srv->o.n_agents : 1, sizeof *srv->agents);
    if (!srv->agents)
        return -1;
    for (size_t k = 0; k < srv->o.n_agents; k++) {
        const char *text = srv->o.agents[k], *eq = strchr(text, '=');
        size_t n = eq ? (size_t)(eq - text) : 0;
        int ok = n > 0 && n < 64;
        for (size_t q = 0; ok && q < n; q++)
            ok = (text[q] >= 'a' && text[q] <= 'z') || (text[q] >= '0' && text[q] <= '9') ||
                 text[q] == '-' || text[q] == '_';
        if (!ok) {
            snprintf(err->message, sizeof err->message,
                     "--agent %s: give NAME=SPEC, NAME in lower-case letters, digits, '-', '_'",
                     text);
            return -1;
        }
        srv->agents[k].name = strndup(text, n);
        srv->agents[k].spec = strdup(eq + 1);
        srv->n_agents = k + 1;
        truce_agent_spec spec;
        truce_error perr;
        if (!srv->agents[k].name || !srv->agents[k].spec)
            return -1;
        if (truce_agent_parse(&spec, srv->agents[k].spec, &perr)) {
            snprintf(err->message, sizeof err->message, "--agent %.200s: %.800s", text,
                     perr.message);
            return -1;
        }
        for (size_t q = 0; q < k; q++)
            if (!strcmp(srv->agents[q].name, srv->agents[k].name)) {
                snprintf(err->message, sizeof err->message, "--agent: '%s' is named twice",
                         srv->agents[k].name);
                return -1;
            }
    }
    return 0;
}

static void release_server(server *srv)
{
    for (size_t k = 0; k < srv->n_experiments; k++)
        experiment_free(srv->experiments[k]);
    free(srv->experiments);
    for (size_t k = 0; k < srv->n_sessions; k++)
        session_free(srv->sessions[k]);
    free(srv->sessions);
    for (size_t k = 0; srv->agents && k < srv->n_agents; k++) {
        free(srv->agents[k].name);
        free(srv->agents[k].spec);
    }
    free(srv->agents);
    catalog_free(&srv->cat);
    if (srv->st.db)
        store_close(&srv->st);
    free(srv->data_dir);
    free(srv->trace_dir);
    pthread_mutex_destroy(&srv->lock);
    pthread_cond_destroy(&srv->idle);
    free(srv);
}

int serve_start(server **out, const serve_options *o, truce_error *err)
{
    memset(err, 0, sizeof *err);
    server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return TRUCE_ENOMEM;
    srv->o = *o;
    pthread_mutex_init(&srv->lock, NULL);
    pthread_cond_init(&srv->idle, NULL);
    if (!srv->o.threads)
        srv->o.threads = 4;
    size_t n = strlen(o->data_dir) + 32;
    srv->data_dir = strdup(o->data_dir);
    srv->trace_dir = malloc(n);
    char *db = malloc(n), *uploads = malloc(n);
    int rc = !srv->data_dir || !srv->trace_dir || !db || !uploads ? -1 : 0;
    if (rc == 0) {
        snprintf(srv->trace_dir, n, "%s/traces", o->data_dir);
        snprintf(db, n, "%s/sessions.db", o->data_dir);
        snprintf(uploads, n, "%s/uploads", o->data_dir);
        rc = make_folder(o->data_dir, err) || make_folder(srv->trace_dir, err) ||
             make_folder(uploads, err);
    }
    if (rc == 0)
        rc = store_open(&srv->st, db, err);
    if (rc == 0)
        store_recover(&srv->st);
    if (rc == 0)
        rc = catalog_init(&srv->cat, &srv->o, uploads, err);
    if (rc == 0)
        rc = named_agents(srv, err);
    if (rc == 0 && o->key && strlen(o->key) < 16) {
        snprintf(err->message, sizeof err->message,
                 "the operator's key needs at least 16 characters");
        rc = -1;
    }
    if (rc == 0 && o->key)
        snprintf(srv->key, sizeof srv->key, "%.64s", o->key);
    else if (rc == 0)
        rc = serve_random_hex(srv->key, 32);
    free(db);
    free(uploads);
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    const struct sockaddr *addr = NULL;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
    if (rc == 0 && inet_pton(AF_INET, o->bind, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons((uint16_t)o->port);
        addr = (const struct sockaddr *)&v4;
        srv->loopback = (ntohl(v4.sin_addr.s_addr) >> 24) == 127;
    } else if (rc == 0 && inet_pton(AF_INET6, o->bind, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons((uint16_t)o->port);
        addr = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
        srv->loopback = IN6_IS_ADDR_LOOPBACK(&v6.sin6_addr);
    } else if (rc == 0) {
        snprintf(err->message, sizeof err->message,
                 "--bind %s: give a numeric IPv4 or IPv6 address (127.0.0.1, ::1, 0.0.0.0)",
                 o->bind);
        rc = -1;
    }
    if (rc == 0) {
        srv->daemon = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, srv,
                                       MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_THREAD_POOL_SIZE,
                                       (unsigned)srv->o.threads, MHD_OPTION_CONNECTION_LIMIT,
                                       (unsigned)2000, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
                                       MHD_OPTION_NOTIFY_COMPLETED, completed, srv, MHD_OPTION_END);
        if (!srv->daemon) {
            snprintf(err->message, sizeof err->message,
                     "cannot listen on %s port %u (is the port in use?)", o->bind, o->port);
            rc = -1;
        }
    }
    if (rc == 0) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
        srv->port = info ? info->port : o->port;
    }
    if (rc) {
        if (!err->message[0])
            snprintf(err->message, sizeof err->message, "out of memory");
        err->code = TRUCE_EINVAL;
        if (srv->daemon)
            MHD_stop_daemon(srv->daemon);
        release_server(srv);
        return TRUCE_EINVAL;
    }
    *out = srv;
    return 0;
}

unsigned serve_port(const server *srv)
{
    return srv->port;
}

const char *serve_key(const server *srv)
{
    return srv->key;
}

size_t serve_scenario_count(const server *srv)
{
    return srv->cat.n;
}

void serve_stop(server *srv)
{
    if (!srv)
        return;
    pthread_mutex_lock(&srv->lock);
    srv->stopping = 1;
    pthread_mutex_unlock(&srv->lock);
    MHD_stop_daemon(srv->daemon);
    pthread_mutex_lock(&srv->lock);
    for (size_t k = 0; k < srv->n_sessions; k++)
        session_cancel(srv->sessions[k], "the server stopped");
    while (srv->running)
        pthread_cond_wait(&srv->idle, &srv->lock);
    pthread_mutex_unlock(&srv->lock);
    release_server(srv);
}
