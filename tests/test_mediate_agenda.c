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

/* A deadlock of three items (A before B, B before C, C before A: one package A + B + C), where
 * moving clauses one or two at a time passes through a draft a principal walks away from
 * (patience 0) and moving the package as a whole agrees. North: x 0.2 (a 1, b 0), y 0.2 (a 1,
 * b 0), z 0.6 (a 0, b 1), BATNA 0.3; south: x 0.4 (a 0, b 1), y 0.4 (a 0, b 1), z 0.2 (a 1, b 0),
 * BATNA 0.1. The envoy wants a everywhere: first draft (a, a, a), which gives north 0.4 and south
 * 0.2, both above their BATNAs. Utilities (north, south): aaa .4 .2, baa .2 .6, aba .2 .6,
 * bba 0 1, aab 1 0, bab .8 .4, abb .8 .4, bbb .6 .8: the zone is aaa, bab, abb, bbb, and the Nash
 * point bbb (0.3 x 0.7 = 0.21 against 0.15 and 0.01), brute-forced again in the test. */
#define TRIO_FILE TRUCE_TEST_DATA "/mediation/trio.yaml"

static truce_scenario *trio(void)
{
    const char *path = TRIO_FILE;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, path, NULL, &err))
        fail_msg("loading the test scenario failed: %s", err.message);
    return s;
}

/* Brute force over the eight outcomes: the Nash point among those above both BATNAs, as option
 * labels ("bbb"), and whether `draft` leaves some principal at or below its BATNA. */
static void trio_nash(const truce_scenario *s, char *nash)
{
    double best = -INFINITY;
    for (uint32_t x = 0; x < 8; x++) {
        uint32_t o[3] = {x & 1, (x >> 1) & 1, (x >> 2) & 1};
        double g0 = truce_utility(s, 0, o) - truce_party_reservation(s, 0);
        double g1 = truce_utility(s, 1, o) - truce_party_reservation(s, 1);
        if (g0 > 0 && g1 > 0 && log(g0) + log(g1) > best) {
            best = log(g0) + log(g1);
            for (int i = 0; i < 3; i++)
                nash[i] = (char)('a' + o[i]);
            nash[3] = 0;
        }
    }
}

static int trio_below_a_batna(const truce_scenario *s, const char *draft)
{
    uint32_t o[3] = {(uint32_t)(draft[0] - 'a'), (uint32_t)(draft[1] - 'a'),
                     (uint32_t)(draft[2] - 'a')};
    return !(truce_utility(s, 0, o) > truce_party_reservation(s, 0)) ||
           !(truce_utility(s, 1, o) > truce_party_reservation(s, 1));
}

static void last_draft(json_t *doc, char *out)
{
    json_t *history = json_object_get(doc, "history");
    json_t *d = json_object_get(json_array_get(history, json_array_size(history) - 1), "draft");
    const char *issues[] = {"x", "y", "z"};
    for (int i = 0; i < 3; i++)
        out[i] = json_string_value(json_object_get(d, issues[i]))[0];
    out[3] = 0;
}

/* Informed, patience 0. By hand: at (a, a, a) north objects to z (0.6), south to x and y (0.4
 * each); the target is the Nash point (b, b, b).
 * - ignore: two clauses a round, objected first in issue order: x and y, (b, b, a), where north
 *   gets 0 <= 0.3 and walks away at once: breakdown after 2 iterations.
 * - package: the package moves as a whole to (b, b, b), settled at iteration 0 (at the target);
 *   north accepts 0.6 once its aspiration 0.3 + 0.7 (1 - t) is at most 0.6, t >= 4/7, iteration
 *   29 of 50 (0.8 >= 0.1 + 0.9 (1 - t) holds for south from iteration 12): agreement after 30
 *   iterations, 2 distinct drafts. */
static void test_informed_moves_a_package_as_a_whole(void **state)
{
    (void)state;
    truce_scenario *s = trio();
    char nash[4];
    trio_nash(s, nash);
    assert_string_equal(nash, "bbb");
    assert_true(trio_below_a_batna(s, "bba"));
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.patience = 0;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    assert_false(truce_mediation_agreement(m));
    assert_string_equal(truce_mediation_end(m), "breakdown");
    assert_non_null(strstr(truce_mediation_reason(m), "north walked away"));
    json_t *doc = mediation_report_json(m);
    const char *one_at_a_time[] = {"aaa", "bba"};
    assert_drafts(doc, one_at_a_time, 2);
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);

    o.agenda = TRUCE_AGENDA_PACKAGE;
    m = mediate_or_fail(s, &o, &t);
    assert_true(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_iterations(m), 30);
    assert_int_equal(truce_mediation_drafts(m), 2);
    doc = mediation_report_json(m);
    char got[4];
    last_draft(doc, got);
    assert_string_equal(got, nash);
    json_t *agenda = json_object_get(doc, "agenda");
    assert_string_equal(stages_text(json_object_get(agenda, "stages")), "A+B+C");
    assert_non_null(strstr(t.data, "{\"type\":\"agenda\",\"iteration\":0,\"settled\":[\"A\",\"B\","
                                   "\"C\"],\"opens\":[]}"));
    /* the three clauses in one revision */
    assert_non_null(strstr(t.data, "\"why\":\"package toward the target point\"},{\"issue\":\"y\""));
    assert_non_null(strstr(t.data, "{\"issue\":\"z\",\"from\":\"a\",\"to\":\"b\",\"proposed_by\":"
                                   "[\"north\"],\"why\":\"package toward the target point\"}"));
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* Uninformed, one objection per answer (so one clause moves per revision), patience 0. What the
 * mediator knows after the answers to (a, a, a) (docs/mediation.md, "Uninformed"): north
 * objected to z alone (gain 0.6) and used its one objection, so x = a and y = a cost it less
 * than 0.6: estimated 0.6 (the cap), the options not heard half of that, 0.3; z: a 0.6, b 0.
 * South objected to x (0.4): x a 0.4, b 0; y and z: a 0.4, b 0.2. Both said (a, a, a) beats
 * their BATNA: tolerated loss = the draft's estimated loss + 0.15, north 1.8 + 0.15 = 1.95, south
 * 1.2 + 0.15 = 1.35. Products of the slacks: single moves (b, a, a) 0.45 x 0.55 = 0.2475,
 * (a, b, a) 0.45 x 0.35 = 0.1575, (a, a, b) 0.75 x 0.35 = 0.2625; the joint assignments add
 * (b, b, a) 0.5625, (b, a, b) 1.05 x 0.75 = 0.7875, (a, b, b) 0.5775, (b, b, b) 1.35 x 0.95 =
 * 1.2825, the best.
 * - ignore: the best single move, z: (a, a, b) gives south 0 <= 0.1, and it walks away.
 * - package: the whole package to (b, b, b) in the first revision; the talks agree on the Nash
 *   point (brute force). */
static void test_uninformed_moves_a_package_as_a_whole(void **state)
{
    (void)state;
    truce_scenario *s = trio();
    char nash[4];
    trio_nash(s, nash);
    assert_true(trio_below_a_batna(s, "aab"));
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = TRUCE_MEDIATOR_UNINFORMED;
    o.patience = 0;
    o.max_objections = 1;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    assert_string_equal(truce_mediation_end(m), "breakdown");
    assert_non_null(strstr(truce_mediation_reason(m), "south walked away"));
    json_t *doc = mediation_report_json(m);
    const char *one_at_a_time[] = {"aaa", "aab"};
    assert_drafts(doc, one_at_a_time, 2);
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);

    o.agenda = TRUCE_AGENDA_PACKAGE;
    m = mediate_or_fail(s, &o, &t);
    assert_true(truce_mediation_agreement(m));
    doc = mediation_report_json(m);
    json_t *second = json_object_get(json_array_get(json_object_get(doc, "history"), 1), "draft");
    assert_string_equal(json_string_value(json_object_get(second, "x")), "b");
    assert_string_equal(json_string_value(json_object_get(second, "y")), "b");
    assert_string_equal(json_string_value(json_object_get(second, "z")), "b");
    json_t *changes =
        json_object_get(json_array_get(json_object_get(doc, "history"), 0), "changes");
    assert_int_equal(json_array_size(changes), 3);
    for (size_t k = 0; k < 3; k++)
        assert_string_equal(
            json_string_value(json_object_get(json_array_get(changes, k), "why")),
            "package of the agenda");
    char got[4];
    last_draft(doc, got);
    assert_string_equal(got, nash);
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
        cmocka_unit_test(test_informed_moves_a_package_as_a_whole),
        cmocka_unit_test(test_uninformed_moves_a_package_as_a_whole),
        cmocka_unit_test(test_no_revision_touches_a_clause_before_its_stage_opens),
        cmocka_unit_test(test_version_4_callers_and_ignore_get_the_same_trace),
        cmocka_unit_test(test_bad_agenda_modes_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
