/* internal.h: what the parts of `truce serve` share: the scenario catalog,
 * the sessions and their seats, the store, and the server that holds them. */
#ifndef TRUCE_SERVE_INTERNAL_H
#define TRUCE_SERVE_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

#include "../io/outcome.h"
#include "serve.h"

/* ---- small helpers (util.c) ---- */

/* Seconds on the monotonic clock, and wall-clock time as ISO 8601 UTC. */
double serve_now(void);
void serve_iso_time(char *buf, size_t size);
/* `bytes` random bytes (getrandom) written as 2 * bytes hex digits + NUL. */
int serve_random_hex(char *out, size_t bytes);
/* Constant-time comparison of two NUL-terminated tokens: 1 when equal. */
int serve_token_equal(const char *a, const char *b);
/* An outcome as {issue: label} (labels as truce_issue_option_label writes them). */
json_t *serve_outcome_json(const truce_scenario *s, const uint32_t *outcome);
/* The first hard condition of `party` the outcome breaks as {id, label}, or
 * null (also for a neutral mediator, party (size_t)-1). */
json_t *serve_vetoed(const truce_scenario *s, size_t party, const uint32_t *outcome);
/* The time windows of the scenario's channels, [{"between": [a, b], "from":
 * f, "until": u}] in relative time (plus from_day/until_day when the scenario
 * gives its length in days); an empty array when no channel has a window. */
json_t *serve_channel_windows(const truce_scenario *s);
/* A double as JSON (null when not finite). */
json_t *serve_real(double v);
/* Replace every occurrence of `prefix` in text (in place). */
void serve_strip(char *text, const char *prefix);

/* ---- the scenario catalog (catalog.c) ---- */

typedef struct entry {
    char *id;   /* unique, shown in the page and used in requests */
    char *path; /* where it is read from: never taken from a request */
    int uploaded;
    pthread_mutex_t lock; /* guards the lazily built fields below */
    truce_scenario *s;
    char *load_error;
    truce_space *space;
    char *space_error;
    truce_analysis *an;
    char *analysis_error;
    int analyzed;
    json_t *details;     /* scenario, analysis and check, as the page shows them */
    truce_report *plots; /* the analysis plots */
    int plots_done;
} entry;

typedef struct catalog {
    pthread_mutex_t lock; /* guards the array (entries are never removed) */
    entry **e;
    size_t n, cap, n_uploads;
    unsigned long upload_seq;
    const serve_options *o;
    char *upload_dir;
} catalog;

int catalog_init(catalog *c, const serve_options *o, const char *upload_dir, truce_error *err);
void catalog_free(catalog *c);
entry *catalog_find(catalog *c, const char *id);
json_t *catalog_list(catalog *c);
/* Save the uploaded files ([{name, content}]) in a folder of their own and
 * load them as the CLI would; on success the new entry's id in *id (free),
 * else the loader's message (the upload folder left out of file names). */
int catalog_upload(catalog *c, const json_t *files, char **id, char *why, size_t size);

/* Lazily built views of an entry: 0, or -1 with the reason in why. */
int entry_scenario(entry *e, const serve_options *o, const truce_scenario **out, char *why,
                   size_t size);
int entry_space(entry *e, const serve_options *o, const truce_space **out, char *why, size_t size);
/* The analysis, or NULL when it exceeds the server's limits (why says so). */
const truce_analysis *entry_analysis(entry *e, const serve_options *o, char *why, size_t size);
/* Scenario, parties, issues, analysis and check as one JSON object (a new
 * reference), or NULL with why. */
json_t *entry_details(entry *e, const serve_options *o, char *why, size_t size);
/* Analysis plot k as SVG (borrowed from the entry), or NULL. */
const char *entry_plot(entry *e, const serve_options *o, size_t k, size_t *count);

/* ---- the store (store.c) ---- */

typedef struct store {
    pthread_mutex_t lock;
    struct sqlite3 *db;
    struct sqlite3_stmt *insert_action;
} store;

int store_open(store *st, const char *path, truce_error *err);
void store_close(store *st);
int store_session(store *st, const char *id, const char *experiment_id, const char *scenario,
                  const char *protocol, const char *definition);
int store_started(store *st, const char *id);
int store_ended(store *st, const char *id, const char *end, int agreement, const char *outcome,
                const char *summary, const char *trace);
int store_action(store *st, const char *session_id, uint64_t seq, const char *type,
                 const char *actor, const char *record, size_t length);
int store_presence(store *st, const char *session_id, size_t seat_index, const char *event);
/* Sessions a server that died left waiting or running are marked "interrupted". */
int store_recover(store *st);
int store_csv(store *st, const char *table, const char *experiment_id, char **out,
              truce_error *err);

/* ---- sessions (session.c, view.c) ---- */

enum { PROTOCOL_NEGOTIATION = 0, PROTOCOL_MEDIATION = 1 };
enum { STATUS_WAITING = 0, STATUS_RUNNING = 1, STATUS_ENDED = 2 };
enum { SEAT_PERSON = 0, SEAT_AGENT = 1 };
/* What a person may do, by what the engine is waiting for. */
enum { WAIT_NONE = 0, WAIT_TURN = 1, WAIT_REVIEW = 2, WAIT_DRAFT = 3 };
enum { ACT_OFFER = 0, ACT_ACCEPT = 1, ACT_WALK_AWAY = 2, ACT_OBJECT = 3, ACT_DRAFT = 4 };
/* What a person sees of the others' preferences (docs/serve.md#what-people-see):
 * flags; none is "own" (only its own). */
enum {
    REVEAL_WEIGHTS = 1,      /* the others' issue weights */
    REVEAL_RESERVATIONS = 2, /* the others' BATNAs */
    REVEAL_UTILITIES = 4,    /* the others' utilities of every offer, and the analysis */
    REVEAL_ALL = 7
};

struct session;

typedef struct seat {
    struct session *session;
    size_t index;
    size_t party;     /* scenario party index; (size_t)-1 for a neutral mediator */
    int role;         /* TRUCE_ROLE_PRINCIPAL or TRUCE_ROLE_MEDIATOR */
    int kind;         /* SEAT_PERSON or SEAT_AGENT */
    char *agent;      /* the agent's spec (SEAT_AGENT): a built-in, a named agent's spec, or a
                         mediator strategy ("informed", "uninformed") or "responder" */
    char *agent_name; /* what the page shows for it */
    char token[65];
    char *name;  /* participant's name (optional) */
    int claimed; /* given to a participant of an experiment */
    int joined;
    double last_seen;
    truce_agent_class cls; /* the person class with this seat as payload */
    /* the action the browser sent, for the engine waiting on this seat */
    int has_action, action;
    uint32_t *outcome;
    char fault[300];
    int reveal; /* REVEAL_* flags of what this person sees of the others */
} seat;

typedef struct session {
    struct server *srv;
    char id[33];
    entry *e;
    const truce_scenario *s;
    int protocol;
    seat *seats;
    size_t n_seats;
    long mediator_seat; /* mediation: the mediator's seat, or -1 */
    uint64_t rounds;    /* negotiation deadline in rounds, or 0 */
    double seconds;     /* negotiation deadline in seconds, or 0 */
    uint32_t iterations;
    int mediator_strategy, responder;
    uint32_t max_objections;
    uint64_t seed;
    int reveal;  /* REVEAL_* flags of the definition's "reveal" (each seat may differ) */
    int debrief; /* the summary shows every party's utilities */
    double seat_timeout;
    char *experiment;
    json_t *definition;

    pthread_mutex_t lock;
    pthread_cond_t cond; /* the engine waits here for people's actions */
    uint64_t version;    /* bumped whenever what a seat sees changes */
    int status;
    int cancelled;
    char cancel_reason[200];
    double created, started, ended;
    double deadline_at; /* seconds deadline on serve_now's clock, or 0 */
    json_t *events;     /* the trace records, parsed */
    /* what the engine waits for */
    long waiting_seat;
    int waiting;
    double waiting_since;
    json_t *turn; /* the turn, draft or answers the waiting seat sees */
    json_t *summary;
    truce_report *report; /* the session's plots, built when first asked */
    int report_done;
    char *error; /* the session could not run: why */

    int refs;    /* holders (the server's list, experiments, requests): server's lock */
    int evicted; /* dropped from the server's list: freed when the last holder lets go */

    truce_negotiation *negotiation;
    truce_agent_spec *specs;
    FILE *trace;
    char *trace_path, *trace_part;
    uint64_t n_records;
    int trace_failed;
    int agenda; /* mediation.agenda: truce_agenda_mode */
} session;

/* The person's agent class seated at st (its payload is the seat): its
 * callbacks wait for the browser. */
truce_agent_class person_seat_class(seat *st);
/* The engine's trace callback of a session: the file, the database, the seats. */
int session_trace(const char *record, size_t length, void *payload);
/* A seat's party name ("mediator" for a neutral mediator). */
const char *party_label(const session *s, const seat *st);
/* What the viewer sees of the others (REVEAL_*): the operator (st NULL) sees all. */
int seat_sees(const seat *st, int what);
/* REVEAL_* flags as the definition writes them: "own", "all", or a list of
 * "weights", "reservations", "utilities". */
json_t *reveal_json(int flags);

/* Create a session from its definition (JSON, docs/serve.md#sessions): the
 * engine checks what it can before any seat joins. 0, or an HTTP status
 * with the reason in why. */
int session_create(session **out, struct server *srv, const json_t *definition,
                   const char *experiment_id, char *why, size_t size);
void session_free(session *s);
/* Start the engine's thread when every person's seat has joined and the
 * server has room (the server's lock is held); 1 when it started. */
int session_try_start(session *s);
/* The seat holding token, or NULL. */
seat *session_seat(session *s, const char *token);
/* Ask the session to end (server stopping, operator): waiting people are
 * answered with a fault naming the reason. */
void session_cancel(session *s, const char *reason);
/* A person's action ({"action": ..., "outcome": {...}}): 0, or an HTTP
 * status with why. */
int session_act(session *s, seat *st, const json_t *request, char *why, size_t size);

/* view.c: what a seat (or the operator, st NULL) sees, as JSON; events from
 * index `after` on. The session must be locked. */
json_t *view_state(session *s, const seat *st, size_t after, int full);
/* Utilities of a proposed outcome for the seat (and for everybody when
 * revealed), with the hard conditions it breaks. */
json_t *view_evaluate(session *s, const seat *st, const json_t *outcome, char *why, size_t size);
/* The end-of-session summary of a negotiation and of mediated talks (the
 * session's thread builds it). */
json_t *view_summary(session *s);
json_t *view_summary_mediation(session *s, const truce_mediation *m);
/* Plot k of the session (its trace over the scenario analysis), or NULL. */
const char *view_plot(session *s, size_t k, size_t *count);

/* ---- experiments (experiment.c) ---- */

typedef struct experiment {
    char id[33];
    char code[33]; /* what the join link carries */
    char *name;
    json_t *definition;
    session **sessions;
    size_t n_sessions;
} experiment;

/* Create an experiment's sessions from its definition; 0, or an HTTP
 * status with why. */
int experiment_create(experiment **out, struct server *srv, const json_t *definition, char *why,
                      size_t size);
void experiment_free(experiment *x);
/* Give a participant the next free person's seat: its session and token. */
int experiment_join(experiment *x, const char *name, session **s, seat **st);
json_t *experiment_json(experiment *x, int with_code);

/* ---- the server (server.c) ---- */

typedef struct named_agent {
    char *name, *spec;
} named_agent;

struct server {
    serve_options o;
    char key[65];
    struct MHD_Daemon *daemon;
    unsigned port;
    int loopback; /* listening on loopback only: Host must name it */
    catalog cat;
    store st;
    char *data_dir, *trace_dir;
    named_agent *agents;
    size_t n_agents;

    pthread_mutex_t lock; /* sessions, experiments, running */
    pthread_cond_t idle;
    session **sessions;
    size_t n_sessions, cap_sessions;
    experiment **experiments;
    size_t n_experiments, cap_experiments;
    size_t running;
    int stopping;
};

/* Register a new session (the server's lock must not be held) and start it
 * when it seats no person: 0, or 503 when the server holds too many (the
 * oldest ended sessions are dropped from memory first: their record stays in
 * the database). */
int server_add_session(struct server *srv, session *s, char *why, size_t size);
/* A session by id, held until server_release (server's lock taken inside),
 * or NULL. */
session *server_find_session(struct server *srv, const char *id);
void server_hold(struct server *srv, session *s);
void server_release(struct server *srv, session *s);
/* Start the sessions that are ready (after a seat joined or a session ended). */
void server_kick(struct server *srv);
/* The spec of a named agent, or NULL. */
const char *server_named_agent(const struct server *srv, const char *name);

#endif
