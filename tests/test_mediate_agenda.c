/* test_mediate_agenda.c: mediated talks under --agenda follow|package (src/protocol/
 * mediate_agenda.c): the drafting order and the packages of hand-made scenarios, worked out by
 * hand below, and ignore = the talks without an agenda mode, byte for byte. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Three yes/no clauses x, y, z (options a, b), items A = {x}, B = {y}, C = {z}. Both principals
 * value b at 1 and a at 0 on every clause: north's weights x 0.5, y 0.1, z 0.4, south's x 0.4,
 * y 0.1, z 0.5, reservation 0.1 each. The envoy wants a everywhere, so its first draft is
 * (a, a, a); the Nash point (the informed target) is (b, b, b), 0.9 x 0.9 being the largest
 * product of gains. Demands: north A before B, south B before A (a deadlock), north B before C;
 * %s adds the envoy's own.
 *
 * By hand (the informed mediator moves at most two clauses a round to the target, the objected
 * ones first, in issue order; a principal objects to its two costliest clauses; nobody accepts
 * before the draft is (b, b, b), as the aspirations stay above 0.9 for the first iterations):
 * - ignore: north objects to x (0.5) and z (0.4), south to z and x: x and z move, (b, a, b);
 *   then y: (b, b, b), agreed in iteration 3.
 * - follow: A before B is followed (declared first), B before A would close a cycle and is set
 *   aside, B before C is followed: stages A, B, C. Only x is open: (b, a, a), A is settled (at
 *   the target); y: (b, b, a), B settled; z: (b, b, b), C settled; agreed in iteration 4.
 * - package: A and B deadlock, one stage, then C: x (objected) and y (the second move) move:
 *   (b, b, a), the package is settled; z: (b, b, b); agreed in iteration 3.
 * - follow with the envoy demanding B before A: the mediator's demand wins, A before B is set
 *   aside: stages B, then A and C. y alone: (a, b, a); then x and z: (b, b, b), iteration 3. */
static const char ABC[] = "truce: 1\n"
                          "name: abc\n"
                          "issues:\n"
                          "  - {id: x, type: discrete, options: [a, b]}\n"
                          "  - {id: y, type: discrete, options: [a, b]}\n"
                          "  - {id: z, type: discrete, options: [a, b]}\n"
                          "parties:\n"
                          "  - id: north\n"
                          "    weights: {x: 0.5, y: 0.1, z: 0.4}\n"
                          "    values: {x: {a: 0, b: 1}, y: {a: 0, b: 1}, z: {a: 0, b: 1}}\n"
                          "    reservation: 0.1\n"
                          "  - id: south\n"
                          "    weights: {x: 0.4, y: 0.1, z: 0.5}\n"
                          "    values: {x: {a: 0, b: 1}, y: {a: 0, b: 1}, z: {a: 0, b: 1}}\n"
                          "    reservation: 0.1\n"
                          "  - id: envoy\n"
                          "    role: mediator\n"
                          "    weights: {x: 0.4, y: 0.3, z: 0.3}\n"
                          "    values: {x: {a: 1, b: 0}, y: {a: 1, b: 0}, z: {a: 1, b: 0}}\n"
                          "agenda:\n"
                          "  - {id: A, issues: [x]}\n"
                          "  - {id: B, issues: [y]}\n"
                          "  - {id: C, issues: [z]}\n"
                          "preconditions:\n"
                          "  - {party: north, first: A, then: B}\n"
                          "  - {party: south, first: B, then: A}\n"
                          "  - {party: north, first: B, then: C}\n"
                          "%s";

static truce_scenario *abc(const char *extra)
{
    char text[4096];
    snprintf(text, sizeof text, ABC, extra);
    const char *path = temp_file("abc.yaml", text);
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, path, NULL, &err))
        fail_msg("loading the test scenario failed: %s", err.message);
    return s;
}

/* The drafts of the history as strings of option labels ("bab"), one per iteration. */
static void assert_drafts(json_t *doc, const char *const *want, size_t n)
{
    json_t *history = json_object_get(doc, "history");
    assert_int_equal(json_array_size(history), n);
    for (size_t it = 0; it < n; it++) {
        json_t *d = json_object_get(json_array_get(history, it), "draft");
        char got[4] = {0};
        const char *issues[] = {"x", "y", "z"};
        for (int i = 0; i < 3; i++)
            got[i] = json_string_value(json_object_get(d, issues[i]))[0];
        if (strcmp(got, want[it]))
            fail_msg("iteration %zu: draft %s, expected %s", it, got, want[it]);
    }
}

static char *stages_text(json_t *stages)
{
    static char buf[256];
    buf[0] = 0;
    size_t k, q;
    json_t *stage, *item;
    json_array_foreach(stages, k, stage)
    {
        strcat(buf, k ? " | " : "");
        json_array_foreach(stage, q, item)
        {
            strcat(buf, q ? "+" : "");
            strcat(buf, json_string_value(item));
        }
    }
    return buf;
}

static void test_ignore_drafts_every_clause_at_once(void **state)
{
    (void)state;
    truce_scenario *s = abc("");
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    assert_true(truce_mediation_agreement(m));
    json_t *doc = mediation_report_json(m);
    const char *want[] = {"aaa", "bab", "bbb"};
    assert_drafts(doc, want, 3);
    assert_null(json_object_get(doc, "agenda"));
    assert_null(strstr(t.data, "agenda"));
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_follow_drafts_the_items_in_the_order_demanded(void **state)
{
    (void)state;
    truce_scenario *s = abc("");
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.agenda = TRUCE_AGENDA_FOLLOW;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    assert_true(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_iterations(m), 4);
    json_t *doc = mediation_report_json(m);
    const char *want[] = {"aaa", "baa", "bba", "bbb"};
    assert_drafts(doc, want, 4);
    json_t *agenda = json_object_get(doc, "agenda");
    assert_string_equal(json_string_value(json_object_get(agenda, "mode")), "follow");
    assert_string_equal(stages_text(json_object_get(agenda, "stages")), "A | B | C");
    json_t *aside = json_object_get(agenda, "set_aside");
    assert_int_equal(json_array_size(aside), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(aside, 0), "first")), "B");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_array_get(aside, 0), "held_by"), 0)),
        "south");
    /* settled A after the first revision, B after the second, C after the third */
    json_t *settled = json_object_get(agenda, "settled");
    assert_int_equal(json_array_size(settled), 3);
    for (int k = 0; k < 3; k++) {
        json_t *e = json_array_get(settled, (size_t)k);
        char item[2] = {(char)('A' + k), 0};
        assert_string_equal(json_string_value(json_array_get(json_object_get(e, "items"), 0)),
                            item);
        assert_int_equal(json_integer_value(json_object_get(e, "iteration")), k);
    }
    /* the trace: the plan in start, one agenda record per settling */
    assert_non_null(strstr(t.data, "\"agenda\":{\"mode\":\"follow\",\"stages\":[[\"A\"],[\"B\"],"
                                   "[\"C\"]],\"set_aside\":[{\"first\":\"B\",\"then\":\"A\","
                                   "\"held_by\":[\"south\"]}]}"));
    assert_non_null(strstr(t.data, "{\"type\":\"agenda\",\"iteration\":0,\"settled\":[\"A\"],"
                                   "\"opens\":[\"B\"]}"));
    assert_non_null(strstr(t.data, "{\"type\":\"agenda\",\"iteration\":2,\"settled\":[\"C\"],"
                                   "\"opens\":[]}"));
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_package_drafts_the_deadlocked_items_together(void **state)
{
    (void)state;
    truce_scenario *s = abc("");
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.agenda = TRUCE_AGENDA_PACKAGE;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    assert_true(truce_mediation_agreement(m));
    json_t *doc = mediation_report_json(m);
    const char *want[] = {"aaa", "bba", "bbb"};
    assert_drafts(doc, want, 3);
    json_t *agenda = json_object_get(doc, "agenda");
    assert_string_equal(json_string_value(json_object_get(agenda, "mode")), "package");
    assert_string_equal(stages_text(json_object_get(agenda, "stages")), "A+B | C");
    assert_int_equal(json_array_size(json_object_get(agenda, "set_aside")), 0);
    assert_non_null(strstr(t.data, "{\"type\":\"agenda\",\"iteration\":0,\"settled\":[\"A\",\"B\"],"
                                   "\"opens\":[\"C\"]}"));
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_follow_prefers_the_mediators_own_demand_in_a_deadlock(void **state)
{
    (void)state;
    truce_scenario *s = abc("  - {party: envoy, first: B, then: A}\n");
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.agenda = TRUCE_AGENDA_FOLLOW;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    assert_true(truce_mediation_agreement(m));
    json_t *doc = mediation_report_json(m);
    const char *want[] = {"aaa", "aba", "bbb"};
    assert_drafts(doc, want, 3);
    json_t *agenda = json_object_get(doc, "agenda");
    assert_string_equal(stages_text(json_object_get(agenda, "stages")), "B | A | C");
    json_t *aside = json_array_get(json_object_get(agenda, "set_aside"), 0);
    assert_string_equal(json_string_value(json_object_get(aside, "first")), "A");
    assert_string_equal(json_string_value(json_array_get(json_object_get(aside, "held_by"), 0)),
                        "north");
    assert_non_null(strstr(t.data, "\"settled\":[\"B\"],\"opens\":[\"A\",\"C\"]"));
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* Under follow no revision touches a clause of an item whose stage is not open: read from the
 * trace alone, for both built-in mediators on the seed (ceasefire first, then the settlement). */
static void test_no_revision_touches_a_clause_before_its_stage_opens(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, TRUCE_EXAMPLES "/seed/truce-talks.yaml", NULL, &err),
                     0);
    int strategies[] = {TRUCE_MEDIATOR_INFORMED, TRUCE_MEDIATOR_UNINFORMED};
    for (int k = 0; k < 2; k++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.agenda = TRUCE_AGENDA_FOLLOW;
        o.strategy = strategies[k];
        trace_buf t;
        truce_mediation *m = mediate_or_fail(s, &o, &t);
        int settlement_open = 0, revisions = 0;
        for (char *line = t.data; line && *line;) {
            char *nl = strchr(line, '\n');
            *nl = 0;
            json_t *r = json_parse_or_fail(line);
            const char *type = json_string_value(json_object_get(r, "type"));
            if (!strcmp(type, "agenda")) {
                if (strstr(line, "\"opens\":[\"settlement\"]"))
                    settlement_open = 1;
            } else if (!strcmp(type, "revision")) {
                revisions++;
                size_t q;
                json_t *c;
                json_array_foreach(json_object_get(r, "changes"), q, c)
                {
                    const char *issue = json_string_value(json_object_get(c, "issue"));
                    if (strcmp(issue, "ceasefire") && !settlement_open)
                        fail_msg("%s moved before the settlement opened: %s", issue, line);
                }
            }
            json_decref(r);
            line = nl + 1;
        }
        assert_true(settlement_open);
        assert_true(revisions >= 2);
        free(t.data);
        truce_mediation_free(m);
    }
    truce_scenario_free(s);
}

/* A caller built against version 4 (no `agenda` field) gets the talks of --agenda ignore, and
 * so does version 5 with TRUCE_AGENDA_IGNORE: the same trace, byte for byte. */
static void test_version_4_callers_and_ignore_get_the_same_trace(void **state)
{
    (void)state;
    truce_scenario *s = abc("");
    int strategies[] = {TRUCE_MEDIATOR_INFORMED, TRUCE_MEDIATOR_UNINFORMED};
    for (int k = 0; k < 2; k++) {
        /* a v4 struct: the memory after `noise` holds garbage the engine must not read */
        struct {
            truce_mediation_options o;
            char pad[64];
        } v4;
        memset(&v4, 0x5a, sizeof v4);
        truce_mediation_options init = TRUCE_MEDIATION_OPTIONS_INIT;
        memcpy(&v4.o, &init, offsetof(truce_mediation_options, agenda));
        v4.o.version = 4;
        v4.o.strategy = strategies[k];
        trace_buf a, b;
        truce_mediation *m4 = mediate_or_fail(s, &v4.o, &a);
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = strategies[k];
        o.agenda = TRUCE_AGENDA_IGNORE;
        truce_mediation *m5 = mediate_or_fail(s, &o, &b);
        assert_string_equal(a.data, b.data);
        assert_null(strstr(a.data, "agenda"));
        free(a.data);
        free(b.data);
        truce_mediation_free(m4);
        truce_mediation_free(m5);
    }
    truce_scenario_free(s);
}

static void test_bad_agenda_modes_are_refused(void **state)
{
    (void)state;
    truce_scenario *s = abc("");
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    truce_mediation *m = NULL;
    truce_error err;
    o.agenda = 7;
    assert_int_equal(truce_mediate(&m, s, &o, &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "agenda");
    assert_null(m);
    o.agenda = TRUCE_AGENDA_PACKAGE;
    o.strategy = TRUCE_MEDIATOR_EXTERNAL;
    assert_int_equal(truce_mediate(&m, s, &o, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "external mediator"));
    assert_null(m);
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ignore_drafts_every_clause_at_once),
        cmocka_unit_test(test_follow_drafts_the_items_in_the_order_demanded),
        cmocka_unit_test(test_package_drafts_the_deadlocked_items_together),
        cmocka_unit_test(test_follow_prefers_the_mediators_own_demand_in_a_deadlock),
        cmocka_unit_test(test_no_revision_touches_a_clause_before_its_stage_opens),
        cmocka_unit_test(test_version_4_callers_and_ignore_get_the_same_trace),
        cmocka_unit_test(test_bad_agenda_modes_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
