/* watchdog.c: a tournament's per-negotiation wall-clock limit for agents written outside truce
 * (Lua scripts, programs): a class wrapped around theirs that ends the negotiation with a
 * timeout fault at the agent's first turn after the limit, so that the tournament goes on. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tournament.h"

/* The wrapper's state: this header, then the agent's own state. */
typedef struct watch_state {
    double start; /* when the negotiation began (monotonic seconds): the wrapper's init */
    double used;  /* seconds spent inside this agent's callbacks */
    int timed_out;
    char message[256];
} watch_state;

/* Where the agent's own state begins: after the header, aligned as an arena aligns. */
#define HEADER ((sizeof(watch_state) + 15) & ~(size_t)15)

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *inner_state(void *state)
{
    return (char *)state + HEADER;
}

static size_t inner_size(const watchdog *w, const truce_space *space)
{
    const truce_agent_class *c = w->inner;
    return c->state_size_for ? c->state_size_for(space, c->payload) : c->state_size;
}

static size_t watch_size(const truce_space *space, void *payload)
{
    return HEADER + inner_size(payload, space);
}

static int watch_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    const watchdog *w = payload;
    watch_state *ws = state;
    ws->start = now_seconds();
    ws->used = 0;
    ws->timed_out = 0;
    ws->message[0] = '\0';
    /* a class without release expects zeroed state at every init (truce.h); the wrapper has
     * release, so the engine zeroes only before the first */
    if (!w->inner->release)
        memset(inner_state(state), 0, inner_size(w, setup->space));
    int rc = w->inner->init(inner_state(state), setup, err, w->inner->payload);
    ws->used += now_seconds() - ws->start;
    return rc;
}

static int watch_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    const watchdog *w = payload;
    watch_state *ws = state;
    double begin = now_seconds();
    if (begin - ws->start > w->limit) {
        ws->timed_out = 1;
        snprintf(ws->message, sizeof ws->message,
                 "timeout: the negotiation passed its wall-clock limit of %g s (%.3g s) at this "
                 "agent's turn in round %llu; the agent had used %.3g s of it",
                 w->limit, begin - ws->start, (unsigned long long)turn->round, ws->used);
        return TRUCE_ELIMIT;
    }
    int rc = w->inner->act(inner_state(state), turn, kind, offer, w->inner->payload);
    ws->used += now_seconds() - begin;
    return rc;
}

static void watch_observe(void *state, const truce_event *event, void *payload)
{
    const watchdog *w = payload;
    watch_state *ws = state;
    double begin = now_seconds();
    w->inner->observe(inner_state(state), event, w->inner->payload);
    ws->used += now_seconds() - begin;
}

static void watch_release(void *state, int final, void *payload)
{
    const watchdog *w = payload;
    if (w->inner->release)
        w->inner->release(inner_state(state), final, w->inner->payload);
}

static const char *watch_fault_message(const void *state, void *payload)
{
    const watchdog *w = payload;
    const watch_state *ws = state;
    if (ws->timed_out)
        return ws->message;
    return w->inner->fault_message
               ? w->inner->fault_message((const char *)state + HEADER, w->inner->payload)
               : NULL;
}

static int watch_review(void *state, const truce_draft *draft, truce_review *answer, void *payload)
{
    const watchdog *w = payload;
    return w->inner->review(inner_state(state), draft, answer, w->inner->payload);
}

void watchdog_init(watchdog *w, const truce_agent_class *inner, double limit)
{
    memset(w, 0, sizeof *w);
    w->inner = inner;
    w->limit = limit;
    w->cls.name = inner->name;
    w->cls.state_size_for = watch_size;
    w->cls.init = watch_init;
    w->cls.act = watch_act;
    w->cls.observe = inner->observe ? watch_observe : NULL;
    w->cls.payload = w;
    w->cls.release = watch_release;
    w->cls.fault_message = watch_fault_message;
    w->cls.review = inner->review ? watch_review : NULL;
}
