/* serveload.h: many sessions of truce serve at once, with scripted people
 * (HTTP through libcurl, one handle per session) against agents and each
 * other: the bounded load test and bench/bench_serve.c share it. */
#ifndef TRUCE_TEST_SERVELOAD_H
#define TRUCE_TEST_SERVELOAD_H

#include <stddef.h>

typedef struct load_options {
    const char *base;     /* http://127.0.0.1:PORT */
    const char *key;      /* the operator's key */
    const char *scenario; /* a scenario id of the server, with principals russia and ukraine */
    size_t sessions;      /* sessions at once */
    size_t pairs;         /* of which person against person (the rest: person against agent) */
    const char *agent;    /* the agent people face */
    unsigned rounds;      /* deadline */
    unsigned threads;     /* client threads */
    double seconds;       /* give up after */
    /* 1: mediated talks instead (rounds: their iterations; pairs and agent
     * unused). Session k seats, by k % 3: both principals people and the
     * informed mediator; ukraine a person, russia the engine's responder and
     * the uninformed mediator; a person mediating between two responders. */
    int mediation;
} load_options;

typedef struct load_result {
    size_t ended, agreements;
    size_t actions;          /* people's actions the server took (200) */
    size_t mediator_actions; /* of which drafts of people at a mediator's seat */
    size_t polls;            /* state requests */
    size_t errors;           /* requests that failed or answered other than expected */
    char first_error[512];
    double *latency; /* seconds of each action's request, `actions` of them */
    double wall;     /* seconds from the first session created to the last ended */
    /* per session, for the caller's checks against the store */
    char (*ids)[33];
    size_t *session_actions;
    char (*parties)[3][64]; /* the person seats' parties ("" for an agent's seat) */
    size_t (*seat_actions)[3];
} load_result;

/* Run the load; 0 when every session ended and no request failed. */
int load_run(const load_options *o, load_result *r);
void load_free(load_result *r);
/* The q-quantile (0..1) of the action latencies, in seconds. */
double load_quantile(const load_result *r, double q);

#endif
