/* fuzz_agent_message.c: libFuzzer target for the messages an external agent program sends
 * (docs/agent-protocol.md): the first byte picks the message truce waits for, the rest is lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/agents/proc_message.h"
#include "fuzzutil.h"

/* The scenario the seed messages were answered on (examples/genius/ceasefire), loaded once. */
static truce_scenario *scenario;

static void load_example(void)
{
    if (scenario)
        return;
    truce_error err;
    if (truce_scenario_load(&scenario, TRUCE_FUZZ_EXAMPLES "/genius/ceasefire", NULL, &err)) {
        fprintf(stderr, "fuzz_agent_message: cannot load the example: %s\n", err.message);
        abort();
    }
}

static void check_line(const char *line, size_t len, proc_expect what, int has_offer)
{
    const truce_scenario *s = scenario;
    size_t ni = s->n_issues;
    uint32_t offer[64], proposed[64], draft[64];
    double gain[64];
    FUZZ_CHECK(ni <= 64);
    for (size_t i = 0; i < ni; i++) {
        offer[i] = UINT32_MAX;
        draft[i] = proposed[i] = (uint32_t)(i % s->issues[i].n_options);
        gain[i] = 0;
    }
    truce_review review = {-1, proposed, gain};
    proc_answer answer = {(truce_action_kind)-1, offer, &review};
    char why[360];
    why[0] = '\0';
    /* exactly len bytes, so that ASan sees a read past the end of the line */
    char *copy = malloc(len ? len : 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, line, len);
    int rc = proc_message_check(copy, len, what, s, has_offer, &answer, why, sizeof why);
    free(copy);
    if (rc) {
        FUZZ_CHECK(rc == TRUCE_EINVAL || rc == TRUCE_ENOMEM);
        FUZZ_CHECK(rc == TRUCE_ENOMEM || (why[0] != '\0' && !strchr(why, '\n')));
        if (fuzz_verbose())
            fprintf(stderr, "fuzz_agent_message: refused: %s\n", why);
        return;
    }
    if (what == PROC_ACTION) {
        FUZZ_CHECK(answer.action == TRUCE_ACTION_OFFER || answer.action == TRUCE_ACTION_ACCEPT ||
                   answer.action == TRUCE_ACTION_END);
        FUZZ_CHECK(answer.action != TRUCE_ACTION_ACCEPT || has_offer);
        for (size_t i = 0; answer.action == TRUCE_ACTION_OFFER && i < ni; i++)
            FUZZ_CHECK(offer[i] < s->issues[i].n_options);
    } else if (what == PROC_REVIEW) {
        FUZZ_CHECK(review.kind == TRUCE_REVIEW_ACCEPT || review.kind == TRUCE_REVIEW_WALK_AWAY ||
                   review.kind == TRUCE_REVIEW_OBJECT);
        for (size_t i = 0; i < ni; i++) {
            FUZZ_CHECK(proposed[i] < s->issues[i].n_options);
            FUZZ_CHECK(review.kind == TRUCE_REVIEW_OBJECT ||
                       (proposed[i] == draft[i] && gain[i] == 0));
        }
    }
    if (fuzz_verbose())
        fprintf(stderr, "fuzz_agent_message: accepted as an answer to '%s'\n",
                what == PROC_READY    ? "start"
                : what == PROC_ACTION ? "turn"
                                      : "review");
}

/* Byte 0: (what the program answers) * 2 + (a standing offer exists), modulo 6; then lines,
 * each checked as such an answer (the agent reads messages line by line). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1 << 20))
        return 0;
    load_example();
    proc_expect what = (proc_expect)(data[0] % 6 / 2);
    int has_offer = data[0] % 2;
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        check_line(p, len, what, has_offer);
        p += len + 1;
    }
    return 0;
}
