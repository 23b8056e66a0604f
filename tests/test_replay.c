/* test_replay.c: the replay agent (replay:PATH): a recorded party's offers made again in order,
 * then held or walked away from; recorded acceptances with accept=trace; GENIUS traces (actors
 * by index); a recorded negotiation replayed against the same agent and seed gives the same
 * trace; and bad traces or parameters give errors naming the file, line and field. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Two issues of three options; north's best is new-line + none (1.0). */
static const char border_yaml[] =
    "truce: 1\nname: border\nissues:\n"
    "  - id: border\n    options: [old-line, new-line, buffer-zone]\n"
    "  - id: aid\n    options: [none, some, much]\n"
    "parties:\n"
    "  - id: north\n    weights: {border: 0.6, aid: 0.4}\n"
    "    values: {border: {old-line: 0.2, new-line: 1, buffer-zone: 0.5}, aid: {none: 1, some: "
    "0.5}}\n"
    "  - id: south\n    weights: {border: 0.6, aid: 0.4}\n"
    "    values: {border: {old-line: 0.3, buffer-zone: 1}, aid: {some: 0.6, much: 1}}\n";

static truce_scenario *border(void)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, temp_file("border.yaml", border_yaml), NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static truce_space *space_of(const truce_scenario *s)
{
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, NULL, &err))
        fail_msg("%s", err.message);
    return sp;
}

/* Create a negotiation of agents a and b: 0, or the error code with err filled. */
static int create(truce_negotiation **ng, const truce_space *sp, const char *a, const char *b,
                  uint64_t rounds, trace_buf *trace, truce_error *err)
{
    truce_agent_spec specs[2];
    int rc = truce_agent_parse(&specs[0], a, err);
    if (rc || (rc = truce_agent_parse(&specs[1], b, err)))
        return rc;
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = rounds;
    o.trace = trace ? trace_buf_collect : NULL;
    o.trace_payload = trace;
    return truce_negotiation_create(ng, sp, specs, 2, &o, err);
}

/* Run a and b for `rounds` rounds with seed 1; the trace's records, one JSON value each. */
static json_t *play(const truce_space *sp, const char *a, const char *b, uint64_t rounds)
{
    trace_buf t = {0};
    truce_negotiation *ng = NULL;
    truce_error err;
    if (create(&ng, sp, a, b, rounds, &t, &err) || truce_negotiation_run(ng, 1, &err))
        fail_msg("%s", err.message);
    truce_negotiation_free(ng);
    json_t *records = json_array();
    for (char *line = strtok(t.data, "\n"); line; line = strtok(NULL, "\n"))
        json_array_append_new(records, json_parse_or_fail(line));
    free(t.data);
    return records;
}

/* The option names of a record's outcome, "border/aid". */
static void outcome_of(const json_t *r, char *out, size_t size)
{
    const json_t *o = json_object_get(r, "outcome");
    snprintf(out, size, "%s/%s", json_string_value(json_object_get(o, "border")),
             json_string_value(json_object_get(o, "aid")));
}

/* South's recorded offers (names, as truce traces write actors), an acceptance by north in
 * between (not south's: never replayed), and an acceptance by south at its fourth step. */
static const char south_trace[] =
    "{\"type\":\"start\",\"parties\":[\"north\",\"south\"]}\n"
    "{\"type\":\"offer\",\"round\":1,\"actor\":\"north\",\"outcome\":{\"border\":\"new-line\","
    "\"aid\":\"none\"}}\n"
    "{\"type\":\"offer\",\"round\":1,\"actor\":\"south\",\"outcome\":{\"border\":\"buffer-zone\","
    "\"aid\":\"much\"}}\n"
    "\n"
    "{\"type\":\"offer\",\"round\":2,\"actor\":\"south\",\"outcome\":{\"aid\":\"much\","
    "\"border\":\"old-line\"}}\n"
    "{\"type\":\"offer\",\"round\":3,\"actor\":\"south\",\"outcome\":{\"border\":\"old-line\","
    "\"aid\":\"some\"}}\n"
    "{\"type\":\"accept\",\"round\":4,\"actor\":\"south\"}\n"
    "{\"type\":\"end\",\"reason\":\"agreement\"}\n"
    "{\"type\":\"start\"}\n"
    "{\"type\":\"offer\",\"round\":1,\"actor\":\"south\",\"outcome\":{\"border\":\"new-line\","
    "\"aid\":\"none\"}}\n";

static void test_offers_in_order_then_holds(void **state)
{
    (void)state;
    truce_scenario *s = border();
    truce_space *sp = space_of(s);
    const char *path = temp_file("south.jsonl", south_trace);
    char spec[600];
    snprintf(spec, sizeof spec, "replay:%s", path);
    /* hardliner (north) offers new-line/none and accepts nothing less than 1 */
    json_t *r = play(sp, "hardliner", spec, 6);
    const char *want[] = {"buffer-zone/much", "old-line/much", "old-line/some",
                          "old-line/some",    "old-line/some", "old-line/some"};
    size_t k = 0, i;
    json_t *rec;
    json_array_foreach(r, i, rec)
    {
        const char *type = json_string_value(json_object_get(rec, "type"));
        const char *actor = json_string_value(json_object_get(rec, "actor"));
        if (strcmp(type, "offer") || strcmp(actor, "south"))
            continue;
        char got[64];
        outcome_of(rec, got, sizeof got);
        assert_true(k < 6);
        assert_string_equal(got, want[k]);
        assert_int_equal(json_integer_value(json_object_get(rec, "round")), (json_int_t)k + 1);
        k++;
    }
    assert_int_equal(k, 6); /* three recorded, then the last held; the second run unread */
    json_t *end = json_array_get(r, json_array_size(r) - 1);
    assert_string_equal(json_string_value(json_object_get(end, "reason")), "deadline");
    json_decref(r);

    /* then=end: it walks away at its fourth turn */
    snprintf(spec, sizeof spec, "replay:%s:then=end", path);
    r = play(sp, "hardliner", spec, 6);
    end = json_array_get(r, json_array_size(r) - 1);
    assert_string_equal(json_string_value(json_object_get(end, "reason")), "walk-away");
    assert_int_equal(json_integer_value(json_object_get(end, "round")), 4);
    json_decref(r);

    /* accept=trace: south's recorded acceptance at its fourth step takes north's standing offer */
    snprintf(spec, sizeof spec, "replay:%s:accept=trace", path);
    r = play(sp, "hardliner", spec, 6);
    end = json_array_get(r, json_array_size(r) - 1);
    assert_string_equal(json_string_value(json_object_get(end, "reason")), "agreement");
    assert_int_equal(json_integer_value(json_object_get(end, "round")), 4);
    char got[64];
    outcome_of(end, got, sizeof got);
    assert_string_equal(got, "new-line/none");
    json_decref(r);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* A GENIUS session (genius_bench.sh TRACE=): actors are indices 0 and 1. */
static void test_genius_traces_name_actors_by_index(void **state)
{
    (void)state;
    truce_scenario *s = border();
    truce_space *sp = space_of(s);
    const char *path =
        temp_file("genius.jsonl",
                  "{\"type\":\"offer\",\"round\":1,\"turn\":1,\"actor\":0,\"outcome\":{\"border\":"
                  "\"new-line\",\"aid\":\"some\"}}\n"
                  "{\"type\":\"offer\",\"round\":1,\"turn\":2,\"actor\":1,\"outcome\":{\"border\":"
                  "\"buffer-zone\",\"aid\":\"some\"}}\n"
                  "{\"type\":\"offer\",\"round\":2,\"turn\":1,\"actor\":0,\"outcome\":{\"border\":"
                  "\"new-line\",\"aid\":\"none\"}}\n");
    char spec[600];
    /* seat 0 (default actor: its own seat, index 0) replays actor 0; seat 1 with actor=0 too */
    snprintf(spec, sizeof spec, "replay:%s", path);
    char spec1[600];
    snprintf(spec1, sizeof spec1, "replay:%s:actor=0:then=end", path);
    json_t *r = play(sp, spec, spec1, 5);
    /* rounds 1-2 both seats replay actor 0's two offers; in round 3 seat 0 holds its last and
     * seat 1 walks away */
    const char *want[] = {"new-line/some", "new-line/some", "new-line/none", "new-line/none",
                          "new-line/none"};
    size_t k = 0, i;
    json_t *rec;
    json_array_foreach(r, i, rec)
    {
        if (strcmp(json_string_value(json_object_get(rec, "type")), "offer"))
            continue;
        char got[64];
        outcome_of(rec, got, sizeof got);
        assert_true(k < 5);
        assert_string_equal(got, want[k]);
        k++;
    }
    assert_int_equal(k, 5);
    json_t *end = json_array_get(r, json_array_size(r) - 1);
    assert_string_equal(json_string_value(json_object_get(end, "reason")), "walk-away");
    json_decref(r);
    /* actor=1, at seat 1 by default */
    snprintf(spec1, sizeof spec1, "replay:%s:then=end", path);
    r = play(sp, "hardliner", spec1, 5);
    rec = json_array_get(r, 2); /* start, north's offer, south's */
    char got[64];
    outcome_of(rec, got, sizeof got);
    assert_string_equal(got, "buffer-zone/some");
    json_decref(r);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* An agent's negotiation recorded, then the other party replayed against the same agent with
 * the same seed: the agent sees the same offers at the same times, so everything it does is
 * the same, and so is the whole trace but the start record's agent names. */
static void test_replay_reproduces_a_recorded_negotiation(void **state)
{
    (void)state;
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = 4;
    g.n_options = 5;
    const char *agents[] = {"agentk", "hardheaded2011", "yushu", "conceder", "cuhkagent"};
    size_t compared = 0;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        g.seed = seed;
        truce_scenario *s = NULL;
        truce_error err;
        if (truce_scenario_generate(&s, &g, &err))
            fail_msg("%s", err.message);
        truce_space *sp = space_of(s);
        for (size_t a = 0; a < sizeof agents / sizeof agents[0]; a++) {
            const char *other = agents[(a + seed) % 5];
            json_t *first = play(sp, agents[a], other, 60);
            char *text = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&text, &len);
            size_t i;
            json_t *rec;
            json_array_foreach(first, i, rec)
            {
                char *line = json_dumps(rec, JSON_COMPACT);
                fprintf(f, "%s\n", line);
                free(line);
            }
            fclose(f);
            char name[64];
            snprintf(name, sizeof name, "recorded-%zu.jsonl", a);
            char spec[600];
            snprintf(spec, sizeof spec, "replay:%s:accept=trace", temp_file(name, text));
            free(text);
            json_t *again = play(sp, agents[a], spec, 60);
            assert_int_equal(json_array_size(again), json_array_size(first));
            for (i = 1; i < json_array_size(first); i++) {
                if (!json_equal(json_array_get(first, i), json_array_get(again, i))) {
                    char *x = json_dumps(json_array_get(first, i), JSON_COMPACT),
                         *y = json_dumps(json_array_get(again, i), JSON_COMPACT);
                    fail_msg("%s vs %s, record %zu:\n%s\n%s", agents[a], other, i, x, y);
                }
                compared++;
            }
            json_decref(first);
            json_decref(again);
        }
        truce_space_free(sp);
        truce_scenario_free(s);
    }
    assert_true(compared > 100);
}

/* Every run of a negotiation made once replays from the start. */
static void test_each_run_replays_from_the_start(void **state)
{
    (void)state;
    truce_scenario *s = border();
    truce_space *sp = space_of(s);
    char spec[600];
    snprintf(spec, sizeof spec, "replay:%s:then=end", temp_file("south2.jsonl", south_trace));
    truce_negotiation *ng = NULL;
    truce_error err;
    assert_int_equal(create(&ng, sp, "hardliner", spec, 10, NULL, &err), 0);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        assert_int_equal(truce_negotiation_run(ng, seed, &err), 0);
        assert_string_equal(truce_negotiation_end_reason(ng), "walk-away");
        assert_int_equal(truce_negotiation_rounds(ng), 4);
    }
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* Create hardliner against replay:PATH+rest and expect `code`, the message holding `part`. */
static truce_error expect_error(const truce_space *sp, const char *path, const char *rest, int code,
                                const char *part)
{
    char spec[700];
    snprintf(spec, sizeof spec, "replay%s%s%s", path ? ":" : "", path ? path : "", rest);
    truce_negotiation *ng = NULL;
    truce_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(create(&ng, sp, "hardliner", spec, 10, NULL, &err), code);
    assert_null(ng);
    if (!strstr(err.message, part))
        fail_msg("'%s' does not say '%s'", err.message, part);
    return err;
}

static void test_bad_traces_and_parameters_are_clear_errors(void **state)
{
    (void)state;
    truce_scenario *s = border();
    truce_space *sp = space_of(s);
    const char *offer = "{\"type\":\"offer\",\"actor\":\"south\",\"outcome\":{\"border\":"
                        "\"old-line\",\"aid\":\"some\"}}\n";
    char text[1024];
    truce_error e = expect_error(sp, NULL, "", TRUCE_EINVAL, "needs a trace");
    const char *missing = temp_path("none.jsonl");
    e = expect_error(sp, missing, "", TRUCE_EIO, "cannot read");
    assert_string_equal(e.file, missing);
    /* not JSON on line 2, and a line cut short at the end */
    snprintf(text, sizeof text, "%s{\"type\": offer}\n%s", offer, offer);
    const char *p = temp_file("bad.jsonl", text);
    e = expect_error(sp, p, "", TRUCE_EPARSE, "not a JSON record");
    assert_string_equal(e.file, p);
    assert_int_equal(e.line, 2);
    snprintf(text, sizeof text, "%s%.30s", offer, offer);
    e = expect_error(sp, temp_file("cut.jsonl", text), "", TRUCE_EPARSE, "cut short");
    assert_int_equal(e.line, 2);
    /* an option or issue the scenario does not have, a missing issue, no type */
    p = temp_file("option.jsonl", "{\"type\":\"offer\",\"actor\":\"south\",\"outcome\":"
                                  "{\"border\":\"moon\",\"aid\":\"some\"}}\n");
    e = expect_error(sp, p, "", TRUCE_EPARSE, "no option 'moon'");
    assert_int_equal(e.line, 1);
    assert_string_equal(e.field, "outcome");
    expect_error(
        sp,
        temp_file("issue.jsonl",
                  "{\"type\":\"offer\",\"actor\":\"south\",\"outcome\":{\"aid\":\"some\"}}"),
        "", TRUCE_EPARSE, "no option given for issue 'border'");
    e = expect_error(sp, temp_file("type.jsonl", "[1,2]\n"), "", TRUCE_EPARSE, "JSON object");
    e = expect_error(sp, temp_file("notype.jsonl", "{\"actor\":\"south\"}\n"), "", TRUCE_EPARSE,
                     "\"type\"");
    assert_string_equal(e.field, "type");
    /* nothing by that actor */
    p = temp_file("south.jsonl", offer);
    e = expect_error(sp, p, ":actor=east", TRUCE_EINVAL, "no offer by actor 'east'");
    assert_string_equal(e.field, "actor");
    expect_error(sp, temp_file("empty.jsonl", ""), "", TRUCE_EINVAL, "no offer by the party");
    /* parameters */
    expect_error(sp, p, ":accept=sometimes", TRUCE_EINVAL, "accept=never|trace");
    expect_error(sp, p, ":then=sulk", TRUCE_EINVAL, "then=hold|end");
    expect_error(sp, p, ":speed=2", TRUCE_EINVAL, "speed=\"2\"");
    expect_error(sp, p, ":actor", TRUCE_EINVAL, "not key=value");
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* The real binary: `truce agents replay` says how; a replayed negotiation runs; a bad trace is
 * one line naming the file and line, and a non-zero exit. */
static void test_cli_replays_and_reports_bad_traces(void **state)
{
    (void)state;
    const char *yaml = temp_file("border-cli.yaml", border_yaml);
    char spec[600];
    snprintf(spec, sizeof spec, "hardliner,replay:%s:then=end",
             temp_file("south-cli.jsonl", south_trace));
    const char *help[] = {"agents", "replay", NULL};
    cli_result r = cli_run_ok(help);
    assert_contains(r.out, "replay:PATH[:actor=NAME|INDEX]");
    cli_run_free(&r);
    const char *run[] = {"negotiate", "--agents", spec, "--json", yaml, NULL};
    r = cli_run_ok(run);
    json_t *j = json_parse_or_fail(r.out);
    assert_non_null(json_string_value(json_object_get(j, "end")));
    assert_string_equal(json_string_value(json_object_get(j, "end")), "walk-away");
    assert_int_equal(json_integer_value(json_object_get(j, "rounds")), 4);
    json_decref(j);
    cli_run_free(&r);
    const char *cut = temp_file("cut-cli.jsonl", "{\"type\":\"offer\",\"actor\":\"south\",\"outc");
    snprintf(spec, sizeof spec, "hardliner,replay:%s", cut);
    const char *bad[] = {"negotiate", "--agents", spec, yaml, NULL};
    r = cli_run(bad);
    assert_int_not_equal(r.status, 0);
    assert_one_line(r.err);
    assert_contains(r.err, cut);
    assert_contains(r.err, ":1");
    assert_contains(r.err, "cut short");
    cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offers_in_order_then_holds),
        cmocka_unit_test(test_genius_traces_name_actors_by_index),
        cmocka_unit_test(test_replay_reproduces_a_recorded_negotiation),
        cmocka_unit_test(test_each_run_replays_from_the_start),
        cmocka_unit_test(test_bad_traces_and_parameters_are_clear_errors),
        cmocka_unit_test(test_cli_replays_and_reports_bad_traces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
