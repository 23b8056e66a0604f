/* serve.h: `truce serve`, people at the negotiating table in a browser: the
 * web server (libmicrohttpd, JSON with jansson) over the library's public API
 * only, as the CLI is. See docs/serve.md. */
#ifndef TRUCE_SERVE_H
#define TRUCE_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "truce.h"

typedef struct serve_options {
    const char *bind;         /* numeric address to listen on ("127.0.0.1") */
    unsigned port;            /* 0: any free port (serve_port tells which) */
    const char *data_dir;     /* sessions.db, traces/ and uploads/ live here */
    const char *const *paths; /* scenario files and folders offered in the page */
    size_t n_paths;
    const char *const *agents; /* "NAME=SPEC": named Lua or proc: agents people may face */
    size_t n_agents;
    truce_limits limits; /* what scenarios (given or uploaded) may ask */
    double seat_timeout; /* seconds a person may take for one turn */
    size_t max_sessions; /* sessions kept (running, waiting or ended) */
    size_t max_running;  /* sessions running at once */
    size_t max_uploads;  /* uploaded scenarios kept */
    size_t max_body;     /* bytes of one request body (uploads included) */
    double max_outcomes; /* largest space analysed or mediated by enumeration */
    const char *key;     /* the operator's key; NULL: a random one */
    unsigned threads;    /* HTTP worker threads (0: 4) */
} serve_options;

/* Defaults for a server facing untrusted uploads: smaller limits than the
 * command line's (docs/serve.md#limits). */
void serve_options_init(serve_options *o);

typedef struct server server;

/* Load the scenarios' list (each is loaded when first used), open or create
 * the data folder and its database, and start listening. Errors name what
 * failed (a path, the address). Free with serve_stop. */
int serve_start(server **out, const serve_options *o, truce_error *err);
/* The port listened on, and the operator's key (borrowed). */
unsigned serve_port(const server *srv);
const char *serve_key(const server *srv);
/* Number of scenarios offered (from the paths given). */
size_t serve_scenario_count(const server *srv);
/* Stop listening, end every running session (the engine records them as
 * ended by the operator), wait for them, and free everything. */
void serve_stop(server *srv);

/* A table of the data folder's database as CSV (RFC 4180): "sessions" (one
 * row per session and seat) or "actions" (one row per protocol action).
 * Free with free(). */
int serve_export_csv(char **out, const char *data_dir, const char *table, const char *experiment_id,
                     truce_error *err);

#endif
