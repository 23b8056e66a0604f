/* test_examples_cli.c: the historical cases of examples/historical run as the real binary: every
 * scenario passes `truce check`, and its companion .outcome file (the deal the talks reached) names
 * each issue once with one of its options, breaks no principal's hard condition and leaves every
 * principal above its reservation value at the end of the talks (time 1). */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORICAL TRUCE_EXAMPLES "/historical"
#define MAX_CASES 64

static int compare_names(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* The case names (file names without ".yaml") of the folder, sorted; returns how many. */
static size_t list_cases(char names[][256], size_t max)
{
    DIR *dir = opendir(HISTORICAL);
    if (!dir)
        fail_msg("cannot open %s", HISTORICAL);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        if (n == max || len - 5 >= 256)
            fail_msg("too many cases or too long a name in %s", HISTORICAL);
        memcpy(names[n], e->d_name, len - 5);
        names[n][len - 5] = '\0';
        n++;
    }
    closedir(dir);
    qsort(names, n, sizeof names[0], compare_names);
    return n;
}

static void case_path(char *buf, size_t size, const char *name, const char *ext)
{
    int k = snprintf(buf, size, "%s/%s%s", HISTORICAL, name, ext);
    assert_true(k > 0 && (size_t)k < size);
}

static truce_scenario *load_case(const char *name)
{
    char path[1024];
    case_path(path, sizeof path, name, ".yaml");
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, path, NULL, &err) != 0)
        fail_msg("%s", err.message);
    return s;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
        *--end = '\0';
    return s;
}

/* Reads an outcome file: one `issue=option` a line, blank lines and lines starting with '#'
 * ignored. Every issue of the scenario must be named exactly once, with one of its options.
 * Returns 0 and fills outcome[], or -1 with the reason in why. */
static int parse_outcome(const truce_scenario *s, const char *path, uint32_t *outcome, char *why,
                         size_t size)
{
    size_t n_issues = truce_scenario_issue_count(s);
    for (size_t i = 0; i < n_issues; i++)
        outcome[i] = UINT32_MAX;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, size, "cannot open %s", path);
        return -1;
    }
    char line[1024];
    int number = 0, status = 0;
    while (status == 0 && fgets(line, sizeof line, f)) {
        number++;
        char *text = trim(line);
        if (*text == '\0' || *text == '#')
            continue;
        char *eq = strchr(text, '=');
        if (!eq || strchr(eq + 1, '=')) {
            snprintf(why, size, "line %d: expected issue=option", number);
            status = -1;
            break;
        }
        *eq = '\0';
        const char *issue_name = trim(text), *option = trim(eq + 1);
        int issue = truce_issue_find(s, issue_name);
        if (issue < 0) {
            snprintf(why, size, "line %d: unknown issue '%s'", number, issue_name);
            status = -1;
        } else if (outcome[issue] != UINT32_MAX) {
            snprintf(why, size, "line %d: issue '%s' named twice", number, issue_name);
            status = -1;
        } else {
            int k = truce_option_find(s, (size_t)issue, option);
            if (k < 0) {
                snprintf(why, size, "line %d: '%s' is not an option of issue '%s'", number,
                         option, issue_name);
                status = -1;
            } else {
                outcome[issue] = (uint32_t)k;
            }
        }
    }
    fclose(f);
    for (size_t i = 0; status == 0 && i < n_issues; i++)
        if (outcome[i] == UINT32_MAX) {
            snprintf(why, size, "issue '%s' has no option", truce_issue_name(s, i));
            status = -1;
        }
    return status;
}

/* The deal of case `name`'s .outcome file on s (malloc'd), or the test fails. */
static uint32_t *case_outcome(const truce_scenario *s, const char *name)
{
    uint32_t *outcome = calloc(truce_scenario_issue_count(s), sizeof *outcome);
    assert_non_null(outcome);
    char path[1024], why[512];
    case_path(path, sizeof path, name, ".outcome");
    if (parse_outcome(s, path, outcome, why, sizeof why) != 0)
        fail_msg("%s: %s", path, why);
    return outcome;
}

static void test_the_folder_holds_the_three_historical_cases(void **state)
{
    (void)state;
    char names[MAX_CASES][256];
    size_t n = list_cases(names, MAX_CASES);
    const char *expected[] = {"camp-david-1978", "good-friday-1998", "jcpoa-2015"};
    for (size_t e = 0; e < sizeof expected / sizeof expected[0]; e++) {
        size_t k = 0;
        while (k < n && strcmp(names[k], expected[e]) != 0)
            k++;
        if (k == n)
            fail_msg("%s/%s.yaml is missing", HISTORICAL, expected[e]);
    }
}

static void test_check_exits_0_on_every_historical_case(void **state)
{
    (void)state;
    char names[MAX_CASES][256];
    size_t n = list_cases(names, MAX_CASES);
    for (size_t c = 0; c < n; c++) {
        char path[1024];
        case_path(path, sizeof path, names[c], ".yaml");
        const char *args[] = {"check", path, NULL};
        cli_result r = cli_run_ok(args);
        char valid[512];
        snprintf(valid, sizeof valid, "Scenario %s: valid", names[c]);
        assert_contains(r.out, valid);
        cli_run_free(&r);
    }
}

static void test_every_case_has_an_outcome_file_of_valid_issues_and_options(void **state)
{
    (void)state;
    char names[MAX_CASES][256];
    size_t n = list_cases(names, MAX_CASES);
    for (size_t c = 0; c < n; c++) {
        truce_scenario *s = load_case(names[c]);
        uint32_t *outcome = case_outcome(s, names[c]);
        free(outcome);
        truce_scenario_free(s);
    }

    /* ... and no outcome file without its scenario */
    DIR *dir = opendir(HISTORICAL);
    assert_non_null(dir);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= 8 || strcmp(e->d_name + len - 8, ".outcome") != 0)
            continue;
        size_t c = 0;
        while (c < n && !(strlen(names[c]) == len - 8 && strncmp(names[c], e->d_name, len - 8) == 0))
            c++;
        if (c == n)
            fail_msg("%s/%s has no scenario beside it", HISTORICAL, e->d_name);
    }
    closedir(dir);
}

/* The calibration every case promises in its header: the deal history reached is feasible and
 * individually rational for the principals when the talks ended. Checked with the model's
 * primitives (utility, hard conditions, reservation at a time), not with `check`'s zone. */
static void test_history_respects_every_principal_at_the_end_of_the_talks(void **state)
{
    (void)state;
    char names[MAX_CASES][256];
    size_t n = list_cases(names, MAX_CASES);
    for (size_t c = 0; c < n; c++) {
        truce_scenario *s = load_case(names[c]);
        uint32_t *outcome = case_outcome(s, names[c]);
        size_t principals = 0;
        for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
            if (truce_party_role(s, p) != TRUCE_ROLE_PRINCIPAL)
                continue;
            principals++;
            int broken = truce_outcome_violates(s, p, outcome);
            if (broken >= 0)
                fail_msg("%s: the history breaks %s's hard condition '%s'", names[c],
                         truce_party_name(s, p), truce_hard_condition_id(s, p, (size_t)broken));
            double u = truce_utility(s, p, outcome), r = truce_party_reservation_at(s, p, 1);
            if (!(u > r))
                fail_msg("%s: the history gives %s %.3f, not above its reservation %.3f at time 1",
                         names[c], truce_party_name(s, p), u, r);
        }
        assert_true(principals >= 2);
        free(outcome);
        truce_scenario_free(s);
    }
}

/* The parser above is strict: what it accepts is worth checking only if it refuses the rest. */
static void test_outcome_parser_refuses_unknown_missing_and_repeated_names(void **state)
{
    (void)state;
    truce_scenario *s = load_case("camp-david-1978");
    uint32_t *outcome = calloc(truce_scenario_issue_count(s), sizeof *outcome);
    assert_non_null(outcome);
    char history[1024], why[512];
    case_path(history, sizeof history, "camp-david-1978", ".outcome");
    char *text = slurp_file(history);

    struct {
        const char *from, *to, *needle;
    } edits[] = {
        {"navigation=free-passage-suez-and-tiran", "navigation=open-seas", "not an option"},
        {"navigation=free-passage-suez-and-tiran", "navigate=free-passage-suez-and-tiran",
         "unknown issue 'navigate'"},
        {"navigation=free-passage-suez-and-tiran", "# navigation dropped", "'navigation' has no"},
        {"navigation=free-passage-suez-and-tiran", "jerusalem=exchange-of-letters",
         "named twice"},
        {"navigation=free-passage-suez-and-tiran", "navigation free-passage-suez-and-tiran",
         "expected issue=option"},
    };
    for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
        char *at = strstr(text, edits[k].from);
        assert_non_null(at);
        size_t head = (size_t)(at - text), from = strlen(edits[k].from), to = strlen(edits[k].to);
        char *edited = malloc(strlen(text) - from + to + 1);
        assert_non_null(edited);
        memcpy(edited, text, head);
        memcpy(edited + head, edits[k].to, to);
        strcpy(edited + head + to, at + from);
        const char *bad = temp_file("bad.outcome", edited);
        assert_int_equal(parse_outcome(s, bad, outcome, why, sizeof why), -1);
        assert_contains(why, edits[k].needle);
        free(edited);
    }
    /* comments, blank lines and spaces around the names are fine */
    size_t len = strlen(text);
    char *spaced = malloc(len + 64);
    assert_non_null(spaced);
    snprintf(spaced, len + 64, "\n# a comment\n\n%s", text);
    char *at = strstr(spaced, "linkage=");
    assert_non_null(at);
    memmove(at + 2, at, strlen(at) + 1);
    at[0] = ' ';
    at[1] = '\t';
    assert_int_equal(parse_outcome(s, temp_file("ok.outcome", spaced), outcome, why, sizeof why),
                     0);
    free(spaced);
    free(text);
    free(outcome);
    truce_scenario_free(s);
}

/* One negotiation, one answer (docs/analysis.md): on the seed and on every
 * historical case, at the start and at the end of the talks, `check`,
 * `analyze`, `advise`, `evaluate` and `report` give the same zone and the
 * same feasible count, and every bargaining point is feasible. */
static json_t *cli_json(const char *const *args)
{
    cli_result r = cli_run_ok(args);
    json_t *j = json_parse_or_fail(r.out);
    cli_run_free(&r);
    return j;
}

static void commands_agree_on(const char *yaml, const char *outcome_file, const char *time)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, yaml, NULL, &err))
        fail_msg("%s", err.message);
    const char *check_args[] = {"check", "--json", "--time", time, yaml, NULL};
    json_t *check = cli_json(check_args);
    json_t *zone = json_object_get(check, "zone");
    int empty = json_is_true(json_object_get(zone, "empty"));
    json_int_t feasible = json_integer_value(json_object_get(zone, "feasible"));
    /* analyze: the same zone and count; every point feasible */
    const char *analyze_args[] = {"analyze", "--json", "--time", time, yaml, NULL};
    json_t *an = cli_json(analyze_args);
    assert_int_equal(json_is_true(json_object_get(an, "zopa")), !empty);
    assert_int_equal(json_integer_value(json_object_get(an, "n_feasible")), feasible);
    static const char *const points[] = {"nash", "kalai_smorodinsky", "max_welfare"};
    size_t ni = truce_scenario_issue_count(s);
    uint32_t o[64];
    assert_true(ni <= 64);
    for (int w = 0; w < 3; w++) {
        json_t *pt = json_object_get(an, points[w]);
        if (json_is_null(pt)) {
            assert_true(w < 2 && empty);
            continue;
        }
        json_t *oj = json_object_get(pt, "outcome");
        for (size_t i = 0; i < ni; i++) {
            int k = truce_option_find(s, i, json_string_value(json_object_get(oj, truce_issue_name(s, i))));
            assert_true(k >= 0);
            o[i] = (uint32_t)k;
        }
        assert_int_equal(truce_outcome_feasible(s, o), 1);
    }
    if (!empty)
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(json_object_get(zone, "best"), "outcome"),
                                              truce_issue_name(s, 0))),
            json_string_value(json_object_get(json_object_get(json_object_get(an, "nash"), "outcome"),
                                              truce_issue_name(s, 0))));
    /* advise: the mediator's (or first party's) best deal every principal accepts exists
     * exactly when the zone is not empty */
    size_t np = truce_scenario_party_count(s), first = 0;
    for (size_t p = 0; p < np; p++)
        if (truce_party_role(s, p) == TRUCE_ROLE_MEDIATOR) {
            first = p;
            break;
        }
    char acceptable[1024] = "";
    for (size_t k = 0; k < truce_scenario_bargainer_count(s); k++) {
        size_t p = (size_t)truce_scenario_bargainer(s, k);
        if (p == first)
            continue;
        snprintf(acceptable + strlen(acceptable), sizeof acceptable - strlen(acceptable), "%s%s",
                 *acceptable ? "," : "", truce_party_name(s, p));
    }
    if (truce_party_role(s, first) == TRUCE_ROLE_MEDIATOR) {
        const char *advise_args[] = {"advise", "--json",   "--time", time, "--party",
                                     truce_party_name(s, first), "--acceptable-to", acceptable,
                                     yaml, NULL};
        json_t *adv = cli_json(advise_args);
        assert_int_equal(json_is_true(json_object_get(adv, "found")), !empty);
        json_decref(adv);
    }
    /* evaluate: the same zone and count */
    if (outcome_file) {
        const char *eval_args[] = {"evaluate", "--json", "--time", time, "--outcome-file",
                                   outcome_file, yaml, NULL};
        json_t *ev = cli_json(eval_args);
        assert_int_equal(json_is_true(json_object_get(ev, "zone_empty")), empty);
        assert_int_equal(json_integer_value(json_object_get(ev, "n_feasible")), feasible);
        json_decref(ev);
    }
    /* report (at time 0, as the report analyses): the same words */
    if (!strcmp(time, "0")) {
        const char *page = temp_path("agree.html");
        const char *report_args[] = {"report", yaml, "-o", page, NULL};
        cli_result r = cli_run_ok(report_args);
        cli_run_free(&r);
        char *html = slurp_file(page);
        char text[256];
        snprintf(text, sizeof text, "of which %lld feasible", (long long)feasible);
        assert_contains(html, text);
        assert_contains(html, empty ? "Zone of agreement at time 0.00: <strong>EMPTY</strong>"
                                    : "Zone of agreement at time 0.00: non-empty");
        free(html);
    }
    json_decref(an);
    json_decref(check);
    truce_scenario_free(s);
}

static void test_commands_agree_on_the_zone_and_the_feasible_count(void **state)
{
    (void)state;
    commands_agree_on(TRUCE_EXAMPLES "/seed/truce-talks.yaml", NULL, "0");
    commands_agree_on(TRUCE_EXAMPLES "/seed/truce-talks.yaml", NULL, "1");
    char names[MAX_CASES][256];
    size_t n = list_cases(names, MAX_CASES);
    for (size_t c = 0; c < n; c++) {
        char yaml[1024], outcome[1024];
        case_path(yaml, sizeof yaml, names[c], ".yaml");
        case_path(outcome, sizeof outcome, names[c], ".outcome");
        commands_agree_on(yaml, outcome, "0");
        commands_agree_on(yaml, outcome, "1");
    }
}

/* Good Friday with its three chairmen (good-friday-1998-chairs.yaml): iteration `it` of the 50
 * runs at t = it/50, day 87 t; Sinn Fein's lines to the chairmen are closed from day 38 until
 * day 55, so by hand it is out of reach exactly when 38 <= 87 it / 50 < 55: iterations 22 to 31
 * (21.8 <= it < 31.6). Every chairman can hold the text and the talks agree either way. */
static void test_good_friday_chairs_carry_the_text_around_the_suspension(void **state)
{
    (void)state;
    const char *path = HISTORICAL "/good-friday-1998-chairs.yaml";
    const char *leads[] = {"mitchell", "de-chastelain", "holkeri"};
    for (size_t l = 0; l < 3; l++) {
        cli_result r = cli_run_ok(
            (const char *const[]){"mediate", "--json", "--mediator", leads[l], path, NULL});
        json_t *doc = json_parse_or_fail(r.out);
        assert_true(json_is_true(json_object_get(doc, "agreement")));
        size_t k;
        json_t *it;
        int seen = 0;
        json_array_foreach(json_object_get(doc, "history"), k, it)
        {
            long i = (long)json_integer_value(json_object_get(it, "iteration"));
            int out = 0;
            size_t a;
            json_t *ans;
            json_array_foreach(json_object_get(it, "answers"), a, ans)
            {
                if (!strcmp(json_string_value(json_object_get(ans, "answer")), "out-of-reach")) {
                    assert_string_equal(json_string_value(json_object_get(ans, "from")),
                                        "sinn-fein");
                    out = 1;
                }
            }
            assert_int_equal(out, i >= 22 && i <= 31);
            seen += out;
        }
        assert_int_equal(seen, 10);
        json_decref(doc);
        cli_run_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_folder_holds_the_three_historical_cases),
        cmocka_unit_test(test_check_exits_0_on_every_historical_case),
        cmocka_unit_test(test_every_case_has_an_outcome_file_of_valid_issues_and_options),
        cmocka_unit_test(test_history_respects_every_principal_at_the_end_of_the_talks),
        cmocka_unit_test(test_outcome_parser_refuses_unknown_missing_and_repeated_names),
        cmocka_unit_test(test_commands_agree_on_the_zone_and_the_feasible_count),
        cmocka_unit_test(test_good_friday_chairs_carry_the_text_around_the_suspension),
    };
    return cmocka_run_group_tests_name("examples_cli", tests, NULL, NULL);
}
