/* test_agents_cli.c: Lua and process agents through the real binary: truce negotiate, truce
 * mediate --agent and truce agents; faults in the output, exit statuses, usage errors. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"
#define SEED_YAML TRUCE_EXAMPLES "/seed/truce-talks.yaml"
#define AGENTS TRUCE_TEST_DATA "/agents/"
#define BOULWARE_LUA TRUCE_EXAMPLES "/agents/boulware.lua"

/* The Lua Boulware's result equals the built-in Boulware's, field by field. */
static void test_cli_lua_boulware_result_equals_builtin(void **state)
{
    (void)state;
    const char *builtin[] = {"negotiate", "--agents", "boulware,tft", "--seed",
                             "4",         "--json",   CEASEFIRE,      NULL};
    const char *lua[] = {"negotiate", "--agents", "lua:" BOULWARE_LUA ",tft",
                         "--seed",    "4",        "--json",
                         CEASEFIRE,   NULL};
    cli_result a = cli_run_ok(builtin), b = cli_run_ok(lua);
    assert_string_equal(a.out, b.out);
    json_t *j = json_parse_or_fail(b.out);
    assert_true(json_is_null(json_object_get(j, "fault_message")));
    json_decref(j);
    cli_run_free(&a);
    cli_run_free(&b);
}

static void test_cli_fault_is_reported_with_its_message(void **state)
{
    (void)state;
    const char *text[] = {"negotiate", "--agents", "lua:" AGENTS "error.lua,conceder", CEASEFIRE,
                          NULL};
    cli_result r = cli_run_ok(text);
    assert_contains(r.out, "ended by fault");
    assert_contains(r.out, "Fault: russia: ");
    assert_contains(r.out, "error.lua:5: attempt to index a nil value");
    cli_run_free(&r);
    const char *json[] = {"negotiate", "--agents", "proc:" AGENTS "proc_crash.sh,conceder",
                          "--json",    CEASEFIRE,  NULL};
    r = cli_run_ok(json);
    json_t *j = json_parse_or_fail(r.out);
    assert_string_equal(json_string_value(json_object_get(j, "end")), "fault");
    assert_string_equal(json_string_value(json_object_get(j, "fault")), "russia");
    assert_contains(json_string_value(json_object_get(j, "fault_message")), "exited with status 3");
    json_decref(j);
    cli_run_free(&r);
}

static void test_cli_repeat_counts_faults_and_goes_on(void **state)
{
    (void)state;
    const char *args[] = {
        "negotiate", "--agents", "lua:" AGENTS "loop.lua:max_instructions=1e5,conceder",
        "--repetitions",  "5",        "--json",
        CEASEFIRE,   NULL};
    cli_result r = cli_run_ok(args);
    json_t *j = json_parse_or_fail(r.out);
    assert_int_equal(json_integer_value(json_object_get(j, "runs")), 5);
    assert_int_equal(json_integer_value(json_object_get(j, "faults")), 5);
    json_decref(j);
    cli_run_free(&r);
}

static void test_cli_trace_end_record_has_the_fault_message(void **state)
{
    (void)state;
    const char *path = temp_file("trace.jsonl", "");
    const char *args[] = {"negotiate", "--agents", "conceder,lua:" AGENTS "invalid_offer.lua",
                          "--trace",   path,       CEASEFIRE,
                          NULL};
    cli_result r = cli_run_ok(args);
    char *trace = slurp_file(path);
    const char *end = strstr(trace, "{\"type\":\"end\"");
    assert_non_null(end);
    json_t *j = json_parse_or_fail(end);
    assert_string_equal(json_string_value(json_object_get(j, "fault")), "ukraine");
    assert_contains(json_string_value(json_object_get(j, "fault_message")),
                    "invalid offer: option 99 out of range for issue 'territory'");
    json_decref(j);
    free(trace);
    cli_run_free(&r);
}

static void test_cli_bad_agents_exit_status(void **state)
{
    (void)state;
    struct {
        const char *agents;
        int status;
        const char *part;
    } cases[] = {
        {"lua,conceder", 2, "needs a script path"},
        {"lua:" BOULWARE_LUA ":max_memory=lots,conceder", 2, "max_memory"},
        {"lua:" AGENTS "syntax.lua,conceder", 1, "syntax.lua:3:"},
        {"lua:" AGENTS "missing.lua,conceder", 1, "missing.lua"},
        {"proc:" AGENTS "no_such_program,conceder", 1, "not an executable program"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *args[] = {"negotiate", "--agents", cases[k].agents, CEASEFIRE, NULL};
        cli_result r = cli_run(args);
        if (r.status != cases[k].status)
            fail_msg("%s: exit %d, expected %d: %s", cases[k].agents, r.status, cases[k].status,
                     r.err);
        assert_one_line(r.err);
        assert_contains(r.err, cases[k].part);
        cli_run_free(&r);
    }
}

static void test_cli_proc_agent_with_arguments(void **state)
{
    (void)state;
    const char *args[] = {"negotiate",
                          "--agents",
                          "proc:sh " TRUCE_EXAMPLES "/agents/hardliner.sh:threshold=0,hardliner",
                          "--json",
                          CEASEFIRE,
                          NULL};
    cli_result r = cli_run_ok(args);
    json_t *j = json_parse_or_fail(r.out);
    /* threshold=0 reached the program: it accepts the hardliner's first offer (round 2) */
    assert_string_equal(json_string_value(json_object_get(j, "end")), "agreement");
    assert_int_equal(json_integer_value(json_object_get(j, "rounds")), 2);
    assert_true(json_is_null(json_object_get(j, "fault")));
    json_decref(j);
    cli_run_free(&r);
}

static void test_cli_mediate_with_an_agent(void **state)
{
    (void)state;
    const char *walk[] = {"mediate", "--agent", "russia=lua:" AGENTS "review_walk.lua", SEED_YAML,
                          NULL};
    cli_result r = cli_run_ok(walk);
    assert_contains(r.out, "BREAKDOWN after 1 iterations");
    cli_run_free(&r);
    const char *fault[] = {"mediate", "--agent", "ukraine=proc:" AGENTS "proc_garbage.sh",
                           "--json",  SEED_YAML, NULL};
    r = cli_run_ok(fault);
    json_t *j = json_parse_or_fail(r.out);
    assert_string_equal(json_string_value(json_object_get(j, "end")), "fault");
    assert_string_equal(json_string_value(json_object_get(j, "fault")), "ukraine");
    assert_contains(json_string_value(json_object_get(j, "reason")), "not a JSON object");
    json_decref(j);
    cli_run_free(&r);
    const char *usage[][5] = {
        {"mediate", "--agent", "nobody=lua:x.lua", SEED_YAML, NULL},
        {"mediate", "--agent", "usa=lua:" BOULWARE_LUA, SEED_YAML, NULL},
        {"mediate", "--agent", "russia", SEED_YAML, NULL},
        {"mediate", "--agent", "russia=nosuchagent", SEED_YAML, NULL},
    };
    for (size_t k = 0; k < 4; k++) {
        r = cli_run(usage[k]);
        if (r.status != 2)
            fail_msg("%s: exit %d: %s", usage[k][2], r.status, r.err);
        assert_one_line(r.err);
        cli_run_free(&r);
    }
}

static void test_cli_agents_describes_lua_and_proc(void **state)
{
    (void)state;
    const char *args[] = {"agents", NULL};
    cli_result r = cli_run_ok(args);
    assert_contains(r.out, "lua:PATH[:key=value...]");
    assert_contains(r.out, "proc:COMMAND[:key=value...]");
    assert_contains(r.out, "max_instructions=1e7");
    assert_contains(r.out, "docs/agent-protocol.md");
    cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_lua_boulware_result_equals_builtin),
        cmocka_unit_test(test_cli_fault_is_reported_with_its_message),
        cmocka_unit_test(test_cli_repeat_counts_faults_and_goes_on),
        cmocka_unit_test(test_cli_trace_end_record_has_the_fault_message),
        cmocka_unit_test(test_cli_bad_agents_exit_status),
        cmocka_unit_test(test_cli_proc_agent_with_arguments),
        cmocka_unit_test(test_cli_mediate_with_an_agent),
        cmocka_unit_test(test_cli_agents_describes_lua_and_proc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
