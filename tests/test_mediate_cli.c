/* test_mediate_cli.c: `truce mediate` run as the real binary on the seed scenario and a GENIUS
 * corpus folder: the printed history, --json fields, reproducible traces, exit statuses. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED TRUCE_EXAMPLES "/seed/truce-talks.yaml"

static void test_seed_prints_the_draft_history_and_the_result(void **state)
{
    (void)state;
    const char *args[] = {"mediate", SEED, NULL};
    cli_result r = cli_run_ok(args);
    assert_contains(r.out, "Mediated talks on truce-talks: mediator usa, informed strategy");
    assert_contains(r.out, "Iteration 1:\n");
    assert_contains(r.out, "VETO: hard condition 'withdrawal'");
    assert_contains(r.out, "eu -> ukraine: amendment");
    assert_contains(r.out, "(amendment from eu)");
    assert_contains(r.out, "revision: territory");
    /* no draft within Russia's hard condition beats Ukraine's BATNA */
    assert_contains(r.out, "Result: BREAKDOWN");
    assert_contains(r.out, "russia's hard condition 'withdrawal'");
    assert_contains(r.out, "last draft:");
    assert_null(strstr(r.out, "russia -> ukraine"));
    assert_null(strstr(r.out, "ukraine -> russia"));
    /* iterations, distinct drafts and messages, each counted separately */
    assert_contains(r.out, "Result: BREAKDOWN after 7 iterations (");
    assert_contains(r.out, " distinct drafts, ");
    cli_run_free(&r);
    const char *uninformed[] = {"mediate", "--strategy", "uninformed", SEED, NULL};
    r = cli_run_ok(uninformed);
    assert_contains(r.out, "what the mediator learned:");
    assert_contains(r.out, "russia: vetoes territory =");
    cli_run_free(&r);
}

static void test_json_report_has_the_documented_fields(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, SEED, NULL, &err), 0);
    const char *strategies[] = {"informed", "uninformed"};
    for (int k = 0; k < 2; k++) {
        const char *args[] = {"mediate", "--strategy", strategies[k], "--json", SEED, NULL};
        cli_result r = cli_run_ok(args);
        json_t *j = json_parse_or_fail(r.out);
        static const char *const fields[] = {"scenario",  "mediator", "strategy",   "end",
                                             "agreement", "reason",   "iterations", "drafts",
                                             "messages",  "outcome",  "utilities",  "nash_distance",
                                             "history"};
        for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
            if (!json_object_get(j, fields[f]))
                fail_msg("no field %s in %s", fields[f], r.out);
        assert_string_equal(json_string_value(json_object_get(j, "scenario")), "truce-talks");
        assert_string_equal(json_string_value(json_object_get(j, "mediator")), "usa");
        assert_string_equal(json_string_value(json_object_get(j, "strategy")), strategies[k]);
        assert_false(json_is_true(json_object_get(j, "agreement")));
        json_int_t iterations = json_integer_value(json_object_get(j, "iterations"));
        assert_true(iterations >= 1 && iterations <= 50);
        json_t *history = json_object_get(j, "history");
        assert_int_equal(json_array_size(history), (size_t)iterations);
        /* the outcome and the utilities agree with the library's utility */
        json_t *outcome = json_object_get(j, "outcome");
        uint32_t o[16];
        assert_int_equal(json_object_size(outcome), truce_scenario_issue_count(s));
        for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
            int opt = truce_option_find(
                s, i, json_string_value(json_object_get(outcome, truce_issue_name(s, i))));
            assert_true(opt >= 0);
            o[i] = (uint32_t)opt;
        }
        json_t *utilities = json_object_get(j, "utilities");
        assert_int_equal(json_object_size(utilities), truce_scenario_party_count(s));
        for (size_t p = 0; p < truce_scenario_party_count(s); p++)
            assert_float_equal(
                json_number_value(json_object_get(utilities, truce_party_name(s, p))),
                truce_utility(s, p, o), 1e-9);
        size_t it;
        json_t *entry;
        json_array_foreach(history, it, entry)
        {
            assert_int_equal(json_integer_value(json_object_get(entry, "iteration")), it);
            assert_float_equal(json_number_value(json_object_get(entry, "time")), it / 50.0, 1e-12);
            assert_true(json_is_object(json_object_get(entry, "draft")));
            assert_true(json_is_array(json_object_get(entry, "answers")));
            assert_true(json_is_array(json_object_get(entry, "changes")));
        }
        /* drafts: the distinct texts of the history; messages: per answer,
         * the draft it answers, the amendments it received and itself */
        json_int_t distinct = 0, messages = 0;
        json_array_foreach(history, it, entry)
        {
            int seen = 0;
            for (size_t e = 0; e < it && !seen; e++)
                seen = json_equal(json_object_get(json_array_get(history, e), "draft"),
                                  json_object_get(entry, "draft"));
            distinct += !seen;
            size_t a;
            json_t *answer;
            json_array_foreach(json_object_get(entry, "answers"), a, answer)
            {
                messages +=
                    2 + (json_int_t)json_array_size(json_object_get(answer, "adopted_amendments")) +
                    (json_int_t)json_array_size(json_object_get(answer, "rejected_amendments"));
            }
        }
        assert_int_equal(json_integer_value(json_object_get(j, "drafts")), distinct);
        assert_int_equal(json_integer_value(json_object_get(j, "messages")), messages);
        /* the uninformed mediator reports what it learned: Russia's vetoes */
        json_t *learned = json_object_get(j, "learned");
        if (k == 0) {
            assert_null(learned);
        } else {
            json_t *vetoed = json_object_get(json_object_get(learned, "russia"), "vetoed");
            assert_true(json_array_size(json_object_get(vetoed, "territory")) >= 1);
        }
        json_decref(j);
        cli_run_free(&r);
    }
    truce_scenario_free(s);
}

static void test_genius_folder_gets_a_neutral_mediator(void **state)
{
    (void)state;
    char dir[1024];
    if (!corpus_path("anac/y2013/Icecream", dir, sizeof dir)) {
        printf("SKIP: scenario corpus not found at %s/genius\n", TRUCE_SCENARIOS);
        skip();
    }
    const char *text_args[] = {"mediate", dir, NULL};
    cli_result r = cli_run_ok(text_args);
    assert_contains(r.out, "mediator mediator, informed strategy");
    cli_run_free(&r);
    const char *args[] = {"mediate", "--json", "--strategy", "uninformed", dir, NULL};
    r = cli_run_ok(args);
    json_t *j = json_parse_or_fail(r.out);
    assert_string_equal(json_string_value(json_object_get(j, "mediator")), "mediator");
    /* Icecream has a zone of agreement: both mediators reach one */
    assert_true(json_is_true(json_object_get(j, "agreement")));
    assert_string_equal(json_string_value(json_object_get(j, "end")), "agreement");
    assert_true(json_number_value(json_object_get(j, "nash_distance")) >= 0);
    json_decref(j);
    cli_run_free(&r);
}

static void test_trace_file_is_identical_across_runs_with_the_same_seed(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char one[600], two[600];
    snprintf(one, sizeof one, "%s/one.jsonl", dir);
    snprintf(two, sizeof two, "%s/two.jsonl", dir);
    const char *paths[2] = {one, two};
    char *text[2];
    for (int k = 0; k < 2; k++) {
        const char *args[] = {"mediate", "--strategy", "uninformed", "--seed", "7",
                              "--trace", paths[k],     SEED,         NULL};
        cli_result r = cli_run_ok(args);
        cli_run_free(&r);
        text[k] = slurp_file(paths[k]);
    }
    assert_true(strlen(text[0]) > 0);
    assert_string_equal(text[0], text[1]);
    size_t n = 0, messages = 0;
    const char *last = NULL;
    char *save = NULL;
    for (char *line = strtok_r(text[0], "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_t *rec = json_parse_or_fail(line);
        const char *type = json_string_value(json_object_get(rec, "type"));
        assert_non_null(type);
        if (n++ == 0) {
            assert_string_equal(type, "start");
            assert_int_equal(json_integer_value(json_object_get(rec, "seed")), 7);
        }
        if (!strcmp(type, "draft") || !strcmp(type, "amendment") || !strcmp(type, "answer")) {
            assert_true(json_is_string(json_object_get(rec, "from")));
            assert_true(json_is_string(json_object_get(rec, "to")));
            messages++;
        }
        last = strcmp(type, "end") ? "other" : "end";
        json_decref(rec);
    }
    assert_true(messages > 0);
    assert_string_equal(last, "end");
    free(text[0]);
    free(text[1]);
}

static void expect_usage(const char *const *args, const char *part)
{
    cli_result r = cli_run(args);
    if (r.status != 2)
        fail_msg("expected exit 2, got %d; stderr: %s", r.status, r.err);
    assert_one_line(r.err);
    assert_contains(r.err, part);
    assert_string_equal(r.out, "");
    cli_run_free(&r);
}

static void test_bad_usage_exits_2_with_one_line(void **state)
{
    (void)state;
    const char *strategy[] = {"mediate", "--strategy", "clever", SEED, NULL};
    expect_usage(strategy, "--strategy is informed or uninformed, not 'clever'");
    const char *target[] = {"mediate", "--target", "welfare", SEED, NULL};
    expect_usage(target, "--target is nash or ks");
    const char *responders[] = {"mediate", "--responders", "liars", SEED, NULL};
    expect_usage(responders, "--responders is truthful, strategic, exaggerate or anchor");
    const char *interest[] = {"mediate", "--interest", "2", SEED, NULL};
    expect_usage(interest, "--interest");
    const char *objections[] = {"mediate", "--objections", "0", SEED, NULL};
    expect_usage(objections, "--objections");
    const char *iterations[] = {"mediate", "--iterations", "0", SEED, NULL};
    expect_usage(iterations, "--iterations");
    const char *patience[] = {"mediate", "--patience", "-1", SEED, NULL};
    expect_usage(patience, "--patience");
    const char *seconds[] = {"mediate", "--seconds", "0", SEED, NULL};
    expect_usage(seconds, "--seconds needs seconds above 0");
    const char *seconds_word[] = {"mediate", "--seconds", "soon", SEED, NULL};
    expect_usage(seconds_word, "--seconds needs seconds above 0 and below 1e7, not 'soon'");
    const char *noise[] = {"mediate", "--noise", "2", SEED, NULL};
    expect_usage(noise, "--noise needs a number in [0, 1], not '2'");
    const char *seed[] = {"mediate", "--seed", "x", SEED, NULL};
    expect_usage(seed, "--seed");
    const char *unknown[] = {"mediate", "--shuttle", SEED, NULL};
    expect_usage(unknown, "unknown option '--shuttle'");
    const char *none[] = {"mediate", NULL};
    expect_usage(none, "no scenario given");
    const char *nobody[] = {"mediate", "--mediator", "un", SEED, NULL};
    expect_usage(nobody, "unknown party 'un'");
    const char *principal[] = {"mediate", "--mediator", "russia", SEED, NULL};
    expect_usage(principal, "'russia' is a principal");
    const char *codraft[] = {"mediate", "--codraft", "usa", SEED, NULL};
    expect_usage(codraft, "the co-drafter must be a principal");
}

static void test_mediator_without_a_channel_exits_1_naming_both(void **state)
{
    (void)state;
    const char *path = temp_file("cut-off.yaml", "truce: 1\n"
                                                 "name: cut-off\n"
                                                 "issues:\n"
                                                 "  - {id: x, type: discrete, options: [a, b]}\n"
                                                 "parties:\n"
                                                 "  - id: north\n"
                                                 "    weights: {x: 1}\n"
                                                 "    values: {x: {a: 1, b: 0}}\n"
                                                 "  - id: south\n"
                                                 "    weights: {x: 1}\n"
                                                 "    values: {x: {a: 0, b: 1}}\n"
                                                 "  - id: envoy\n"
                                                 "    role: mediator\n"
                                                 "channels:\n"
                                                 "  - [envoy, north]\n");
    const char *args[] = {"mediate", path, NULL};
    cli_result r = cli_run(args);
    if (r.status != 1)
        fail_msg("expected exit 1, got %d; stderr: %s", r.status, r.err);
    assert_one_line(r.err);
    assert_contains(r.err, "envoy");
    assert_contains(r.err, "south");
    assert_string_equal(r.out, "");
    cli_run_free(&r);
    /* and a missing scenario file is a plain failure too */
    const char *missing[] = {"mediate", "/nonexistent/talks.yaml", NULL};
    r = cli_run(missing);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    cli_run_free(&r);
}

static void test_help_exits_0_and_lists_the_options(void **state)
{
    (void)state;
    const char *args[] = {"mediate", "--help", NULL};
    cli_result r = cli_run_ok(args);
    static const char *const options[] = {
        "--mediator",   "--codraft",    "--strategy",   "--target",   "--interest",
        "--responders", "--objections", "--iterations", "--patience", "--seed",
        "--trace",      "--json",       "--seconds",    "--noise"};
    for (size_t k = 0; k < sizeof options / sizeof *options; k++)
        assert_contains(r.out, options[k]);
    cli_run_free(&r);
}

/* Two principals who want opposite options on six issues of five options
 * and whose BATNAs (0.99) no outcome beats for both: no zone, and with
 * patience 100000 nobody walks away. The informed mediator enumerates the
 * 15,625 outcomes each iteration, so 100,000 iterations take far longer than
 * the deadline of 0.5 s: the talks end by the deadline, not the limit. */
static const char *no_zone_six_issues(void)
{
    static char text[4096];
    size_t used = (size_t)snprintf(text, sizeof text, "truce: 1\nname: far-apart\nissues:\n");
    for (int i = 0; i < 6; i++)
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "  - {id: i%d, type: discrete, options: [a, b, c, d, e]}\n", i);
    used += (size_t)snprintf(text + used, sizeof text - used, "parties:\n");
    for (int p = 0; p < 2; p++) {
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "  - id: %s\n    reservation: 0.99\n    weights: {",
                                 p ? "south" : "north");
        for (int i = 0; i < 6; i++)
            used += (size_t)snprintf(text + used, sizeof text - used, "%si%d: %s", i ? ", " : "", i,
                                     i < 4 ? "0.2" : "0.1");
        used += (size_t)snprintf(text + used, sizeof text - used, "}\n    values: {");
        for (int i = 0; i < 6; i++)
            used += (size_t)snprintf(
                text + used, sizeof text - used, "%si%d: {a: %d, b: %s, c: 0.5, d: %s, e: %d}",
                i ? ", " : "", i, p ? 0 : 1, p ? "0.25" : "0.75", p ? "0.75" : "0.25", p ? 1 : 0);
        used += (size_t)snprintf(text + used, sizeof text - used, "}\n");
    }
    return temp_file("far-apart.yaml", text);
}

static void test_seconds_ends_the_talks_at_the_deadline(void **state)
{
    (void)state;
    const char *path = no_zone_six_issues();
    const char *args[] = {"mediate",    "--seconds", "0.5",    "--iterations", "100000",
                          "--patience", "100000",    "--json", path,           NULL};
    cli_result r = cli_run_ok(args);
    json_t *j = json_parse_or_fail(r.out);
    assert_string_equal(json_string_value(json_object_get(j, "end")), "deadline");
    assert_false(json_is_true(json_object_get(j, "agreement")));
    json_int_t it = json_integer_value(json_object_get(j, "iterations"));
    assert_true(it >= 1 && it < 100000);
    assert_contains(json_string_value(json_object_get(j, "reason")),
                    "the deadline of 0.5 s passed in iteration ");
    json_decref(j);
    cli_run_free(&r);
    /* the text output names the end */
    const char *text[] = {"mediate", "--seconds", "0.5", "--iterations", "100000", "--patience",
                          "100000",  path,        NULL};
    r = cli_run_ok(text);
    assert_contains(r.out, "Result: no agreement (deadline passed) after ");
    cli_run_free(&r);
    /* a trace carries the deadline in its start record, and only with --seconds */
    const char *trace = temp_file("far-apart.jsonl", "");
    const char *traced[] = {"mediate", "--seconds", "0.5", "--iterations", "3", "--trace",
                            trace,     path,        NULL};
    r = cli_run_ok(traced);
    cli_run_free(&r);
    char *lines = slurp_file(trace);
    assert_contains(lines, "\"seconds\":0.5");
    free(lines);
    const char *untimed[] = {"mediate", "--iterations", "3", "--trace", trace, path, NULL};
    r = cli_run_ok(untimed);
    /* three iterations in far less than 0.5 s: the limit ends them */
    assert_contains(r.out, "no agreement (iteration limit) after 3 iterations");
    cli_run_free(&r);
    lines = slurp_file(trace);
    assert_null(strstr(lines, "\"seconds\""));
    free(lines);
}

static void test_uninformed_mediator_says_there_is_no_zone_from_batna_answers(void **state)
{
    (void)state;
    /* north's weights sum to 0.9: its best, x = a, gives it 0.9, below its
     * BATNA 0.99. The neutral first draft is c (weighted sums a 0.95, b 0.95,
     * c 1); north asks for a; at a it says "below its BATNA" and asks for
     * nothing, five times over (iterations 2 to 6), while south (a gives it
     * 0.05, above its BATNA 0) is not near walking away: the mediator ends
     * the talks after 6 iterations saying there is no zone, with that
     * evidence; north said "below" of all 6 drafts (c gives it 0, a 0.9) */
    const char *path =
        temp_file("high-batna.yaml", "truce: 1\n"
                                     "name: high-batna\n"
                                     "issues:\n"
                                     "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                     "parties:\n"
                                     "  - id: north\n"
                                     "    weights: {x: 0.9}\n"
                                     "    values: {x: {a: 1, b: 0.5, c: 0}}\n"
                                     "    reservation: 0.99\n"
                                     "  - id: south\n"
                                     "    weights: {x: 1}\n"
                                     "    values: {x: {a: 0.05, b: 0.5, c: 1}}\n");
    const char *args[] = {"mediate", "--strategy", "uninformed", path, NULL};
    cli_result r = cli_run_ok(args);
    assert_contains(r.out, "Result: BREAKDOWN after 6 iterations (2 distinct drafts, ");
    assert_contains(r.out, "the mediator concludes that there is no zone of agreement: north said "
                           "the draft is no better than its BATNA, and by its answers no draft "
                           "the vetoes allow is better for it\n");
    assert_contains(r.out, "north: 6 drafts no better than its BATNA");
    cli_run_free(&r);
}

static void test_exaggerating_responders_are_named_in_what_the_mediator_learned(void **state)
{
    (void)state;
    /* the envoy's first draft is (c, c); north loses 0.6 on x and 0.4 on y
     * there: truthful gains add up to 1, exaggerated ones (1 + 1) to 2 */
    const char *path = temp_file("exaggerate.yaml",
                                 "truce: 1\n"
                                 "name: exaggerate\n"
                                 "issues:\n"
                                 "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                 "  - {id: y, type: discrete, options: [a, b, c]}\n"
                                 "parties:\n"
                                 "  - id: north\n"
                                 "    weights: {x: 0.6, y: 0.4}\n"
                                 "    values: {x: {a: 1, b: 0.6, c: 0}, y: {a: 1, b: 0.5, c: 0}}\n"
                                 "    reservation: 0.1\n"
                                 "  - id: south\n"
                                 "    weights: {x: 0.3, y: 0.7}\n"
                                 "    values: {x: {a: 0, b: 0.7, c: 1}, y: {a: 0, b: 0.6, c: 1}}\n"
                                 "    reservation: 0.1\n"
                                 "  - id: envoy\n"
                                 "    role: mediator\n"
                                 "    weights: {x: 0.5, y: 0.5}\n"
                                 "    values: {x: {a: 0, b: 0.5, c: 1}, y: {a: 0, b: 0.5, c: 1}}\n"
                                 "channels:\n"
                                 "  - [envoy, north]\n"
                                 "  - [envoy, south]\n");
    const char *truthful[] = {"mediate", "--strategy", "uninformed", path, NULL};
    cli_result r = cli_run_ok(truthful);
    assert_contains(r.out, "what the mediator learned");
    if (strstr(r.out, "exaggerated"))
        fail_msg("truthful answers flagged:\n%s", r.out);
    cli_run_free(&r);
    const char *exaggerate[] = {"mediate",    "--strategy", "uninformed", "--responders",
                                "exaggerate", path,         NULL};
    r = cli_run_ok(exaggerate);
    assert_contains(r.out, "answers whose gains add up to more than 1 (exaggerated)");
    cli_run_free(&r);
    const char *anchor[] = {"mediate", "--responders", "anchor", path, NULL};
    r = cli_run_ok(anchor);
    assert_contains(r.out, "Result: ");
    cli_run_free(&r);
}

/* --agenda on the seed: Kyiv's, Washington's and Brussels' ceasefire-first demand is followed
 * (the mediator holds it), Moscow's reverse one is set aside; package drafts the two items as
 * one (they deadlock); a bad mode is bad usage. */
static void test_agenda_modes_print_the_drafting_order(void **state)
{
    (void)state;
    const char *follow[] = {"mediate", "--agenda", "follow", SEED, NULL};
    cli_result r = cli_run_ok(follow);
    assert_contains(r.out, "Agenda (follow): ceasefire, then settlement\n");
    assert_contains(r.out, "  set aside: settlement before ceasefire (held by russia)");
    assert_contains(r.out, "  agenda: settled ceasefire; opens settlement\n");
    cli_run_free(&r);
    const char *package[] = {"mediate", "--agenda", "package", "--json", SEED, NULL};
    r = cli_run_ok(package);
    json_t *j = json_parse_or_fail(r.out);
    json_t *agenda = json_object_get(j, "agenda");
    assert_string_equal(json_string_value(json_object_get(agenda, "mode")), "package");
    json_t *stages = json_object_get(agenda, "stages");
    assert_int_equal(json_array_size(stages), 1);
    assert_int_equal(json_array_size(json_array_get(stages, 0)), 2);
    json_decref(j);
    cli_run_free(&r);
    const char *plain[] = {"mediate", "--agenda", "ignore", SEED, NULL};
    r = cli_run_ok(plain);
    assert_null(strstr(r.out, "Agenda"));
    cli_run_free(&r);
    const char *bad[] = {"mediate", "--agenda", "first", SEED, NULL};
    expect_usage(bad, "--agenda is ignore, follow or package, not 'first'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_prints_the_draft_history_and_the_result),
        cmocka_unit_test(test_json_report_has_the_documented_fields),
        cmocka_unit_test(test_genius_folder_gets_a_neutral_mediator),
        cmocka_unit_test(test_trace_file_is_identical_across_runs_with_the_same_seed),
        cmocka_unit_test(test_bad_usage_exits_2_with_one_line),
        cmocka_unit_test(test_mediator_without_a_channel_exits_1_naming_both),
        cmocka_unit_test(test_help_exits_0_and_lists_the_options),
        cmocka_unit_test(test_seconds_ends_the_talks_at_the_deadline),
        cmocka_unit_test(test_uninformed_mediator_says_there_is_no_zone_from_batna_answers),
        cmocka_unit_test(test_exaggerating_responders_are_named_in_what_the_mediator_learned),
        cmocka_unit_test(test_agenda_modes_print_the_drafting_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
