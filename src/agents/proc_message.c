/* proc_message.c: checking the answers an external agent program sends (docs/agent-protocol.md):
 * ready, actions and reviews, with every option index checked against the scenario. */
#include "proc_message.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int why_set(char *why, size_t size, const char *fmt, ...) TRUCE_PRINTF(3, 4);

static int why_set(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return TRUCE_EINVAL;
}

static const char *expected_name(proc_expect what)
{
    return what == PROC_READY ? "start" : what == PROC_ACTION ? "turn" : "review";
}

/* An outcome: one option index in range per issue. */
static int read_outcome(const truce_scenario *s, json_t *value, uint32_t *out, char *why,
                        size_t size)
{
    size_t ni = s->n_issues;
    if (!json_is_array(value) || json_array_size(value) != ni)
        return why_set(why, size, "invalid offer: expected an array of %zu option numbers", ni);
    for (size_t i = 0; i < ni; i++) {
        json_t *v = json_array_get(value, i);
        uint32_t n = s->issues[i].n_options;
        if (!json_is_integer(v))
            return why_set(why, size, "invalid offer: option for issue '%s' is not an integer",
                           s->issues[i].name);
        json_int_t k = json_integer_value(v);
        if (k < 0 || k >= (json_int_t)n)
            return why_set(why, size,
                           "invalid offer: option %lld out of range for issue '%s' (options 0 to "
                           "%u)",
                           (long long)k, s->issues[i].name, n - 1);
        out[i] = (uint32_t)k;
    }
    return 0;
}

static int check_ready(json_t *r, char *why, size_t size)
{
    const char *type = json_string_value(json_object_get(r, "type"));
    json_t *version = json_object_get(r, "protocol");
    if (!type || strcmp(type, "ready") != 0 || !json_is_integer(version))
        return why_set(why, size,
                       "handshake failed: the answer to 'start' must be {\"type\":\"ready\","
                       "\"protocol\":%d}",
                       PROC_PROTOCOL_VERSION);
    if (json_integer_value(version) != PROC_PROTOCOL_VERSION)
        return why_set(why, size, "handshake failed: it speaks protocol %lld, truce speaks %d",
                       (long long)json_integer_value(version), PROC_PROTOCOL_VERSION);
    return 0;
}

static int check_action(json_t *r, const truce_scenario *s, int has_offer, proc_answer *answer,
                        char *why, size_t size)
{
    const char *action = json_string_value(json_object_get(r, "action"));
    if (action && !strcmp(action, "offer")) {
        answer->action = TRUCE_ACTION_OFFER;
        return read_outcome(s, json_object_get(r, "outcome"), answer->offer, why, size);
    }
    if (action && !strcmp(action, "accept")) {
        answer->action = TRUCE_ACTION_ACCEPT;
        return has_offer ? 0 : why_set(why, size, "accepted when there was no offer to accept");
    }
    if (action && !strcmp(action, "end")) {
        answer->action = TRUCE_ACTION_END;
        return 0;
    }
    return why_set(why, size,
                   "invalid answer to 'turn': \"action\" must be \"offer\", \"accept\" or "
                   "\"end\"");
}

static int check_review(json_t *r, const truce_scenario *s, truce_review *answer, char *why,
                        size_t size)
{
    const char *word = json_string_value(json_object_get(r, "answer"));
    json_t *list = json_object_get(r, "objections");
    size_t ni = s->n_issues;
    if (word && !strcmp(word, "accept")) {
        answer->kind = TRUCE_REVIEW_ACCEPT;
        return 0;
    }
    if (word && !strcmp(word, "walk-away")) {
        answer->kind = TRUCE_REVIEW_WALK_AWAY;
        return 0;
    }
    if (!word || strcmp(word, "object") || !json_is_array(list))
        return why_set(why, size,
                       "invalid answer to 'review': \"answer\" must be \"accept\", "
                       "\"walk-away\" or \"object\" with \"objections\"");
    answer->kind = TRUCE_REVIEW_OBJECT;
    for (size_t k = 0; k < json_array_size(list); k++) {
        json_t *o = json_array_get(list, k);
        json_t *which = json_object_get(o, "issue"), *option = json_object_get(o, "option");
        json_int_t i = json_integer_value(which), v = json_integer_value(option);
        if (!json_is_integer(which) || i < 0 || (size_t)i >= ni)
            return why_set(why, size, "invalid objection %zu: issue must be 0 to %zu", k, ni - 1);
        if (!json_is_integer(option) || v < 0 || v >= s->issues[i].n_options)
            return why_set(why, size, "invalid objection %zu: option out of range for issue '%s'",
                           k, s->issues[i].name);
        answer->proposed[i] = (uint32_t)v;
        answer->gain[i] = json_number_value(json_object_get(o, "gain"));
    }
    return 0;
}

int proc_message_check(const char *line, size_t len, proc_expect what, const truce_scenario *s,
                       int has_offer, proc_answer *answer, char *why, size_t why_size)
{
    json_error_t jerr;
    json_t *r = json_loadb(line, len, 0, &jerr);
    if (!r || !json_is_object(r)) {
        json_decref(r);
        char shown[80];
        size_t k = 0;
        for (; k + 1 < sizeof shown && k < len; k++)
            shown[k] = line[k] >= 0x20 && line[k] < 0x7f ? line[k] : '?';
        shown[k] = '\0';
        return why_set(why, why_size,
                       "answered '%s' with something that is not a JSON object: \"%s%s\"",
                       expected_name(what), shown, len > k ? "..." : "");
    }
    int rc = what == PROC_READY    ? check_ready(r, why, why_size)
             : what == PROC_ACTION ? check_action(r, s, has_offer, answer, why, why_size)
                                   : check_review(r, s, answer->review, why, why_size);
    json_decref(r);
    return rc;
}
