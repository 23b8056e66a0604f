/* servetest.h: what the tests of truce serve share: the real server started
 * as a child process on a free port (its address and operator's key read
 * from what it prints), and HTTP requests to it through libcurl. */
#ifndef TRUCE_TEST_SERVETEST_H
#define TRUCE_TEST_SERVETEST_H

#include <jansson.h>
#include <stddef.h>

typedef struct served {
    int pid;
    int out; /* its stdout, read up to the address */
    unsigned port;
    char key[80];
    char base[64];  /* http://127.0.0.1:PORT */
    char data[600]; /* its data folder */
    char log[700];  /* its stderr */
} served;

/* Start `truce serve --port 0 --data DIR ARGS...` (args NULL-terminated);
 * fails the test when it does not print its address within 60 s. */
void served_start(served *s, const char *const *args);
/* Start it again on the same data folder (stopping it first if it runs). */
void served_restart(served *s, const char *const *args);
/* SIGTERM, and the exit status (0 when it stopped cleanly). */
int served_stop(served *s);

typedef struct reply {
    long status;
    char *body; /* malloc'd, NUL-terminated */
    size_t length;
    char content_type[128];
} reply;

/* One request: method, path (after the base), bearer token (or NULL), body
 * (or NULL). */
reply http(const served *s, const char *method, const char *path, const char *token,
           const char *body);
/* The same with a JSON body built by json_pack-like formatting is left to
 * callers; this parses a reply's body as JSON (NULL when it is not). */
json_t *reply_json(const reply *r);
void reply_free(reply *r);

/* Create a session (operator) from a JSON definition; its reply as JSON, the
 * test failing unless it is 201. */
json_t *create_session(const served *s, const char *definition);
/* The token of the seat of `party` in a create_session reply (borrowed). */
const char *seat_token(const json_t *created, const char *party);

/* Send raw bytes on a fresh TCP connection and read what comes back (at
 * most `max` bytes, `seconds` at most); the reply's first line in status. */
int raw_request(const served *s, const char *bytes, size_t n, char *status, size_t size,
                double seconds);

#endif
