/* proc_message.h: checking the JSON Lines messages an external agent program sends
 * (docs/agent-protocol.md): one line in, the action or review it stands for, or why it is wrong. */
#ifndef TRUCE_AGENTS_PROC_MESSAGE_H
#define TRUCE_AGENTS_PROC_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../core/scenario.h"
#include "truce.h"

#define PROC_PROTOCOL_VERSION 1

/* The message truce waits for. */
typedef enum proc_expect {
    PROC_READY,  /* the answer to "start": {"type":"ready","protocol":1} */
    PROC_ACTION, /* the answer to "turn": offer, accept or end */
    PROC_REVIEW  /* the answer to "review": accept, walk-away or object */
} proc_expect;

/* What a well-formed answer says: the action (and the offer, s's issue count entries, for
 * PROC_ACTION) or the review (answer->proposed and gain must hold s's issue count entries, set
 * by the caller to the draft and 0; objections change them). */
typedef struct proc_answer {
    truce_action_kind action;
    uint32_t *offer;
    truce_review *review;
} proc_answer;

/* Check line[0..len) (no newline; need not be NUL-terminated) as the answer `what` in a
 * negotiation on s (has_offer: a standing offer exists, so accepting it is allowed). 0 with
 * *answer filled, TRUCE_ENOMEM, or TRUCE_EINVAL with a one-line reason in why (at most
 * why_size bytes, naming the message and the problem). */
int proc_message_check(const char *line, size_t len, proc_expect what, const truce_scenario *s,
                       int has_offer, proc_answer *answer, char *why, size_t why_size);

#endif
