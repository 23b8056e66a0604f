/* test_cli.c: the truce command line, run as a real binary on real files:
 * help, exit statuses, one-line errors, and `truce analyze` checked against a brute force. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HANDMADE TRUCE_TEST_DATA "/handmade"
#define NONLINEAR TRUCE_TEST_DATA "/nonlinear"
#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static void assert_near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= 1e-9))
        fail_msg("%s: got %.17g, expected %.17g", what, got, want);
}

/* `truce analyze --json ARGS...`: asserts success and returns the object. */
static json_t *analyze_json(const char *const *paths, size_t n_paths, const char *extra)
{
    const char *args[16] = {"analyze", "--json"};
    size_t k = 2;
    if (extra)
        args[k++] = extra;
    assert_true(n_paths + k < 16);
    for (size_t i = 0; i < n_paths; i++)
        args[k++] = paths[i];
    args[k] = NULL;
    cli_result r = cli_run(args);
    if (r.status != 0)
        fail_msg("truce analyze exited %d: %s", r.status, r.err);
    assert_string_equal(r.err, "");
    json_t *j = json_parse_or_fail(r.out);
    cli_run_free(&r);
    assert_true(json_is_object(j));
    return j;
}

static const char *write_in(const char *dir, const char *name, const char *content)
{
    static char slots[8][600];
    static int next;
    char *p = slots[next++ % 8];
    snprintf(p, sizeof slots[0], "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    return p;
}

static void copy_into(const char *dir, const char *name, const char *from)
{
    char *text = slurp_file(from);
    write_in(dir, name, text);
    free(text);
}

/* Remove a flat temporary folder and the files in it. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void remove_file_and_dir(const char *path)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    remove_dir(dir);
}

static truce_scenario *load_dir(const char *dir, uint32_t real_steps)
{
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    lo.real_steps = real_steps;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, dir, &lo, &err))
        fail_msg("loading %s: %s", dir, err.message);
    return s;
}

/* The string a JSON value holds; fails (rather than crash on NULL) when it
 * is not a string. */
static const char *json_text(const json_t *j)
{
    if (!json_is_string(j))
        fail_msg("expected a JSON string");
    return json_string_value(j);
}

static double number(const json_t *j, const char *what)
{
    if (!json_is_number(j))
        fail_msg("%s is not a number", what);
    return json_number_value(j);
}

/* Turn a JSON outcome {issue: option} back into option indices through the
 * public lookup functions, so the reported outcome can be re-evaluated. */
static void outcome_from_json(const truce_scenario *s, const json_t *o, uint32_t *outcome)
{
    assert_true(json_is_object(o));
    assert_int_equal(json_object_size(o), truce_scenario_issue_count(s));
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        const json_t *v = json_object_get(o, truce_issue_name(s, i));
        if (!v)
            fail_msg("outcome lacks issue '%s'", truce_issue_name(s, i));
        char label[512];
        int kind = truce_issue_kind_of(s, i);
        if (kind == TRUCE_ISSUE_DISCRETE) {
            assert_true(json_is_string(v));
            snprintf(label, sizeof label, "%s", json_string_value(v));
        } else if (kind == TRUCE_ISSUE_INTEGER) {
            assert_true(json_is_integer(v));
            snprintf(label, sizeof label, "%lld", (long long)json_integer_value(v));
        } else {
            assert_true(json_is_number(v));
            snprintf(label, sizeof label, "%.17g", json_number_value(v));
        }
        int k = truce_option_find(s, i, label);
        if (k < 0)
            fail_msg("issue '%s' has no option '%s'", truce_issue_name(s, i), label);
        outcome[i] = (uint32_t)k;
    }
}

/* A solution object: its utilities are those of its outcome, re-evaluated
 * with truce_utility(). Returns the utilities (malloc'd). */
static double *check_solution(const truce_scenario *s, const json_t *sol, const char *name)
{
    size_t np = truce_scenario_party_count(s), ni = truce_scenario_issue_count(s);
    if (!json_is_object(sol))
        fail_msg("%s is not an object", name);
    const json_t *us = json_object_get(sol, "utilities");
    assert_true(json_is_array(us));
    assert_int_equal(json_array_size(us), np);
    uint32_t *o = calloc(ni, sizeof *o);
    double *u = calloc(np, sizeof *u);
    assert_non_null(o);
    assert_non_null(u);
    outcome_from_json(s, json_object_get(sol, "outcome"), o);
    for (size_t p = 0; p < np; p++) {
        u[p] = number(json_array_get(us, p), name);
        assert_near(u[p], truce_utility(s, p, o), name);
    }
    free(o);
    return u;
}

/* Every number in the JSON report against the brute force over the same
 * scenario loaded through the library (testutil.c, independent of
 * src/analysis). */
static void check_against_brute_force(const json_t *j, const truce_scenario *s)
{
    brute b;
    brute_force(s, &b);
    size_t np = b.n_parties;

    const json_t *parties = json_object_get(j, "parties");
    assert_int_equal(json_array_size(parties), np);
    for (size_t p = 0; p < np; p++)
        assert_string_equal(json_text(json_array_get(parties, p)), truce_party_name(s, p));
    assert_true(json_is_integer(json_object_get(j, "n_outcomes")));
    assert_int_equal(json_integer_value(json_object_get(j, "n_outcomes")), b.n_outcomes);
    const json_t *res = json_object_get(j, "reservation");
    for (size_t p = 0; p < np; p++)
        assert_near(number(json_array_get(res, p), "reservation"), truce_party_reservation(s, p),
                    "reservation");
    assert_int_equal(json_is_true(json_object_get(j, "zopa")), b.zopa);
    assert_true(json_is_false(json_object_get(j, "approximate")));

    const json_t *pareto = json_object_get(j, "pareto");
    assert_int_equal(json_integer_value(json_object_get(pareto, "size")), b.pareto_count);
    const json_t *points = json_object_get(pareto, "points");
    assert_int_equal(json_array_size(points), b.n_points);
    for (size_t k = 0; k < b.n_points; k++) {
        const json_t *pt = json_array_get(points, k);
        assert_int_equal(json_array_size(pt), np);
        for (size_t p = 0; p < np; p++)
            assert_near(number(json_array_get(pt, p), "point"), b.points[k * np + p],
                        "pareto point");
    }

    const json_t *nash = json_object_get(j, "nash");
    if (b.nash_value < 0) {
        assert_true(json_is_null(nash));
    } else {
        double *u = check_solution(s, nash, "nash");
        double product = 1;
        for (size_t p = 0; p < np; p++)
            product *= u[p] - json_number_value(json_array_get(res, p));
        assert_near(product, b.nash_value, "nash product of gains");
        assert_near(number(json_object_get(nash, "value"), "nash.value"), b.nash_value,
                    "nash.value");
        free(u);
    }
    const json_t *ks = json_object_get(j, "kalai_smorodinsky");
    if (b.ks_value < 0) {
        assert_true(json_is_null(ks));
    } else {
        free(check_solution(s, ks, "kalai_smorodinsky"));
        assert_near(number(json_object_get(ks, "value"), "kalai_smorodinsky.value"), b.ks_value,
                    "kalai_smorodinsky.value");
    }
    const json_t *welfare = json_object_get(j, "max_welfare");
    double *u = check_solution(s, welfare, "max_welfare");
    double sum = 0;
    for (size_t p = 0; p < np; p++)
        sum += u[p];
    free(u);
    assert_near(sum, b.welfare_value, "max_welfare sum");
    assert_near(number(json_object_get(welfare, "value"), "max_welfare.value"), b.welfare_value,
                "max_welfare.value");
    brute_free(&b);
}

static void check_folder_against_brute_force(const char *dir)
{
    json_t *j = analyze_json(&dir, 1, NULL);
    truce_scenario *s = load_dir(dir, 11);
    check_against_brute_force(j, s);
    truce_scenario_free(s);
    json_decref(j);
}

/* ------------------------------------------------------------------ */
/* Help, version, usage errors                                        */
/* ------------------------------------------------------------------ */

/* --legacy, on any command: a GENIUS integer issue written before GENIUS 10 (bounds in a
 * <range>, a function evaluator) is refused without it, naming the option, and read with it:
 * u(v = 2) = 1 - 0.25 * 2 = 0.5 for the one party, whose best is v = 0 (utility 1). */
static void test_legacy_flag_reads_the_old_integer_format(void **state)
{
    (void)state;
    const char *domain =
        temp_file("d.xml", "<negotiation_template><utility_space><objective>"
                           "<issue index=\"1\" name=\"n\" type=\"integer\"><range "
                           "lowerbound=\"0\" upperbound=\"3\"/></issue></objective>"
                           "</utility_space></negotiation_template>\n");
    const char *profile = temp_file("p.xml", "<utility_space><objective>\n<issue index=\"1\" "
                                             "type=\"integer\"><range lowerbound=\"0\" "
                                             "upperbound=\"3\"/>\n<evaluator ftype=\"linear\" "
                                             "parameter0=\"1\" parameter1=\"-0.25\"/></issue>"
                                             "<weight index=\"1\" value=\"1\"/></objective>"
                                             "</utility_space>\n");
    const char *strict[] = {"evaluate", "--outcome", "n=2", domain, profile, "--json", NULL};
    cli_result r = cli_run(strict);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, "p.xml:3:");
    assert_contains(r.err, "--legacy");
    cli_run_free(&r);
    const char *legacy[] = {"evaluate", "--legacy", "--outcome", "n=2",
                            domain,     profile,    "--json",    NULL};
    r = cli_run_ok(legacy);
    assert_contains(r.out, "0.5");
    cli_run_free(&r);
}

static void test_help_lists_commands_and_exits_0(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"--help", NULL});
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "usage: truce COMMAND");
    assert_contains(r.out, "analyze");
    assert_contains(r.out, "Exit status: 0 success, 1 bad input, 2 bad usage");
    assert_string_equal(r.err, "");
    cli_run_free(&r);
}

static void test_analyze_help_lists_its_options_and_exits_0(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"analyze", "--help", NULL});
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "usage: truce analyze");
    assert_contains(r.out, "FOLDER");
    assert_contains(r.out, "DOMAIN.xml PROFILE.xml");
    const char *options[] = {"--json",         "--approximate", "--real-steps",
                             "--max-outcomes", "--points",      "--seed"};
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        assert_contains(r.out, options[i]);
    assert_string_equal(r.err, "");
    cli_run_free(&r);
}

static void test_version_prints_the_library_version(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"--version", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "truce " TRUCE_VERSION_STRING "\n");
    assert_string_equal(r.err, "");
    cli_run_free(&r);
}

static void test_unknown_command_exits_2_with_one_line_error(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"frobnicate", NULL});
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_one_line(r.err);
    assert_contains(r.err, "unknown command 'frobnicate'");
    cli_run_free(&r);
}

static void test_no_command_exits_2_with_one_line_error(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){NULL});
    assert_int_equal(r.status, 2);
    assert_one_line(r.err);
    cli_run_free(&r);
}

static void test_unknown_option_exits_2_with_one_line_error(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"analyze", "--frobnicate", HANDMADE, NULL});
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_one_line(r.err);
    assert_contains(r.err, "unknown option '--frobnicate'");
    cli_run_free(&r);
}

static void test_bad_option_values_exit_2(void **state)
{
    (void)state;
    const char *cases[][2] = {{"--real-steps", "1"},   {"--real-steps", "ten"},
                              {"--max-outcomes", "0"}, {"--points", "some"},
                              {"--seed", "-3"},        {"--effort", "0"},
                              {"--max-nodes", "0"},    {"--max-frontier", "x"},
                              {"--max-work", "0"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cli_result r =
            cli_run((const char *const[]){"analyze", cases[i][0], cases[i][1], HANDMADE, NULL});
        if (r.status != 2)
            fail_msg("%s %s exited %d", cases[i][0], cases[i][1], r.status);
        assert_one_line(r.err);
        assert_contains(r.err, cases[i][0]);
        cli_run_free(&r);
    }
}

static void test_analyze_without_scenario_exits_2(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"analyze", "--json", NULL});
    assert_int_equal(r.status, 2);
    assert_one_line(r.err);
    cli_run_free(&r);
}

static void test_folder_among_files_exits_2(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"analyze", HANDMADE, HANDMADE "/a.xml", NULL});
    assert_int_equal(r.status, 2);
    assert_one_line(r.err);
    assert_contains(r.err, HANDMADE " is a folder");
    cli_run_free(&r);
}

/* ------------------------------------------------------------------ */
/* Bad input                                                          */
/* ------------------------------------------------------------------ */

static void test_missing_folder_exits_1_naming_it(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"analyze", "/nonexistent/truce-scenario", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_one_line(r.err);
    assert_contains(r.err, "/nonexistent/truce-scenario");
    cli_run_free(&r);
}

static void test_missing_profile_file_exits_1_naming_it(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){
        "analyze", HANDMADE "/domain.xml", HANDMADE "/a.xml", "/nonexistent/profile.xml", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_one_line(r.err);
    assert_contains(r.err, "/nonexistent/profile.xml");
    cli_run_free(&r);
}

static void test_malformed_domain_xml_exits_1_naming_file_and_line(void **state)
{
    (void)state;
    const char *domain = temp_file("domain.xml", "<?xml version=\"1.0\"?>\n"
                                                 "<negotiation_template>\n"
                                                 "  <utility_space>\n"
                                                 "    <objective index=\"0\" name=\"root\">\n"
                                                 "    </objectiv>\n"
                                                 "  </utility_space>\n"
                                                 "</negotiation_template>\n");
    cli_result r = cli_run((const char *const[]){"analyze", domain, HANDMADE "/a.xml", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_one_line(r.err);
    char where[700];
    snprintf(where, sizeof where, "%s:5:", domain);
    assert_contains(r.err, where);
    assert_contains(r.err, "malformed XML");
    cli_run_free(&r);
    remove_file_and_dir(domain);
}

static void test_malformed_profile_in_folder_exits_1_naming_file_and_line(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    copy_into(dir, "domain.xml", HANDMADE "/domain.xml");
    copy_into(dir, "a.xml", HANDMADE "/a.xml");
    const char *bad = write_in(dir, "b.xml",
                               "<?xml version=\"1.0\"?>\n"
                               "<utility_space>\n"
                               "  <objective index=\"0\" name=\"root\">\n"
                               "    <weight index=\"1\" value=\"0.5\"\n"
                               "  </objective>\n"
                               "</utility_space>\n");
    char where[700];
    snprintf(where, sizeof where, "%s:", bad);
    cli_result r = cli_run((const char *const[]){"analyze", dir, NULL});
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, where);
    assert_contains(r.err, "malformed XML");
    cli_run_free(&r);
    remove_dir(dir);
}

static void test_invalid_value_exits_1_naming_file_line_and_problem(void **state)
{
    (void)state;
    char *text = slurp_file(HANDMADE "/a.xml");
    const char *from = "<weight index=\"2\" value=\"0.3\"/>";
    char *at = strstr(text, from);
    assert_non_null(at);
    /* same length, so the line number stays that of the original file */
    memcpy(at, "<weight index=\"2\" value=\"abc\"/>", strlen(from));
    const char *dir = temp_dir();
    copy_into(dir, "domain.xml", HANDMADE "/domain.xml");
    const char *a = write_in(dir, "a.xml", text);
    free(text);
    char where[700];
    snprintf(where, sizeof where, "%s:18:", a);
    cli_result r = cli_run((const char *const[]){"analyze", dir, NULL});
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, where);
    assert_contains(r.err, "value=\"abc\" is not a number");
    cli_run_free(&r);
    remove_dir(dir);
}

static void test_ambiguous_folder_exits_1_listing_both_domains(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    copy_into(dir, "first_domain.xml", HANDMADE "/domain.xml");
    copy_into(dir, "second_domain.xml", HANDMADE "/domain.xml");
    copy_into(dir, "a.xml", HANDMADE "/a.xml");
    copy_into(dir, "b.xml", HANDMADE "/b.xml");
    cli_result r = cli_run((const char *const[]){"analyze", dir, NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_one_line(r.err);
    assert_contains(r.err, "first_domain.xml");
    assert_contains(r.err, "second_domain.xml");
    assert_contains(r.err, "explicitly");
    cli_run_free(&r);
    remove_dir(dir);
}

/* ------------------------------------------------------------------ */
/* JSON report                                                        */
/* ------------------------------------------------------------------ */

/* The scenario's name comes from the folder in one form and from the domain
 * file in the other; everything else must match. */
static void assert_same_report(const char *dir, const char *const *files, size_t n_files)
{
    json_t *a = analyze_json(&dir, 1, NULL);
    json_t *b = analyze_json(files, n_files, NULL);
    json_object_del(a, "scenario");
    json_object_del(b, "scenario");
    if (!json_equal(a, b)) {
        char *ta = json_dumps(a, JSON_COMPACT), *tb = json_dumps(b, JSON_COMPACT);
        fail_msg("folder form:\n%s\nfile form:\n%s", ta, tb);
    }
    json_decref(a);
    json_decref(b);
}

static void test_folder_and_explicit_files_give_the_same_json(void **state)
{
    (void)state;
    const char *handmade[] = {HANDMADE "/domain.xml", HANDMADE "/a.xml", HANDMADE "/b.xml"};
    assert_same_report(HANDMADE, handmade, 3);
    const char *ceasefire[] = {CEASEFIRE "/ceasefire_domain.xml", CEASEFIRE "/russia.xml",
                               CEASEFIRE "/ukraine.xml"};
    assert_same_report(CEASEFIRE, ceasefire, 3);
}

static void assert_number_array(const json_t *a, size_t n, const char *what)
{
    if (!json_is_array(a) || json_array_size(a) != n)
        fail_msg("%s is not an array of %zu", what, n);
    for (size_t i = 0; i < n; i++)
        if (!json_is_number(json_array_get(a, i)))
            fail_msg("%s[%zu] is not a number", what, i);
}

static void assert_solution_shape(const json_t *sol, size_t np, int with_value, const char *name)
{
    if (!json_is_object(sol))
        fail_msg("%s is not an object", name);
    assert_number_array(json_object_get(sol, "utilities"), np, name);
    assert_true(json_is_object(json_object_get(sol, "outcome")));
    if (with_value)
        assert_true(json_is_number(json_object_get(sol, "value")));
}

static void test_json_has_every_documented_field_with_its_type(void **state)
{
    (void)state;
    const char *dir = CEASEFIRE;
    json_t *j = analyze_json(&dir, 1, NULL);
    const json_t *parties = json_object_get(j, "parties");
    assert_true(json_is_array(parties));
    assert_int_equal(json_array_size(parties), 2);
    assert_string_equal(json_text(json_array_get(parties, 0)), "russia");
    assert_string_equal(json_text(json_array_get(parties, 1)), "ukraine");
    assert_true(json_is_integer(json_object_get(j, "n_outcomes")));
    assert_number_array(json_object_get(j, "reservation"), 2, "reservation");
    assert_true(json_is_boolean(json_object_get(j, "zopa")));
    const json_t *pareto = json_object_get(j, "pareto");
    assert_true(json_is_object(pareto));
    assert_true(json_is_integer(json_object_get(pareto, "size")));
    const json_t *points = json_object_get(pareto, "points");
    assert_true(json_is_array(points));
    assert_true(json_array_size(points) > 0);
    for (size_t k = 0; k < json_array_size(points); k++) {
        assert_number_array(json_array_get(points, k), 2, "pareto.points[k]");
        if (k > 0) /* sorted by the first party's utility, descending */
            assert_true(json_number_value(json_array_get(json_array_get(points, k - 1), 0)) >=
                        json_number_value(json_array_get(json_array_get(points, k), 0)));
    }
    assert_solution_shape(json_object_get(j, "nash"), 2, 1, "nash");
    assert_solution_shape(json_object_get(j, "kalai_smorodinsky"), 2, 0, "kalai_smorodinsky");
    assert_solution_shape(json_object_get(j, "max_welfare"), 2, 1, "max_welfare");
    const json_t *outcome = json_object_get(json_object_get(j, "nash"), "outcome");
    assert_true(json_is_string(json_object_get(outcome, "territory")));
    assert_true(json_is_integer(json_object_get(outcome, "sanctions relief (percent)")));
    assert_true(json_is_boolean(json_object_get(j, "approximate")));
    json_decref(j);
}

static void test_ceasefire_matches_brute_force(void **state)
{
    (void)state;
    check_folder_against_brute_force(CEASEFIRE);
}

static void test_handmade_matches_brute_force(void **state)
{
    (void)state;
    check_folder_against_brute_force(HANDMADE);
}

static void test_small_nonlinear_scenario_matches_brute_force(void **state)
{
    (void)state;
    check_folder_against_brute_force(NONLINEAR);
}

static void test_corpus_scenarios_match_brute_force(void **state)
{
    (void)state;
    /* two parties (ANAC 2011), three parties (ANAC 2015) */
    const char *names[] = {"anac/y2011/Camera", "anac/y2015/group2-dinner"};
    char buf[1024];
    if (!corpus_path("", buf, sizeof buf)) {
        print_message("SKIP: scenario corpus not found at %s/genius\n", TRUCE_SCENARIOS);
        skip();
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (!corpus_path(names[i], buf, sizeof buf))
            fail_msg("corpus scenario %s is missing", names[i]);
        check_folder_against_brute_force(buf);
    }
}

static void test_real_steps_sets_the_discretisation_of_real_issues(void **state)
{
    (void)state;
    const char *dir = HANDMADE;
    /* handmade: 3 colors x 5 counts x real level */
    json_t *j = analyze_json(&dir, 1, NULL);
    assert_int_equal(json_integer_value(json_object_get(j, "n_outcomes")), 3 * 5 * 11);
    json_decref(j);
    j = analyze_json(&dir, 1, "--real-steps=3");
    assert_int_equal(json_integer_value(json_object_get(j, "n_outcomes")), 3 * 5 * 3);
    truce_scenario *s = load_dir(dir, 3);
    check_against_brute_force(j, s);
    /* the three points of level are its bounds and their midpoint */
    const json_t *level =
        json_object_get(json_object_get(json_object_get(j, "max_welfare"), "outcome"), "level");
    double x = number(level, "level");
    assert_true(x == 0 || x == 5 || x == 10);
    truce_scenario_free(s);
    json_decref(j);
}

static char *replace_once(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    assert_non_null(out);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_no_zopa_gives_null_nash_and_kalai_smorodinsky(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    copy_into(dir, "ceasefire_domain.xml", CEASEFIRE "/ceasefire_domain.xml");
    char *russia = slurp_file(CEASEFIRE "/russia.xml");
    char *ukraine = slurp_file(CEASEFIRE "/ukraine.xml");
    char *r2 =
        replace_once(russia, "<reservation value=\"0.35\"/>", "<reservation value=\"0.95\"/>");
    char *u2 =
        replace_once(ukraine, "<reservation value=\"0.3\"/>", "<reservation value=\"0.95\"/>");
    write_in(dir, "russia.xml", r2);
    write_in(dir, "ukraine.xml", u2);
    free(russia);
    free(ukraine);
    free(r2);
    free(u2);
    json_t *j = analyze_json(&dir, 1, NULL);
    assert_true(json_is_false(json_object_get(j, "zopa")));
    assert_true(json_is_null(json_object_get(j, "nash")));
    assert_true(json_is_null(json_object_get(j, "kalai_smorodinsky")));
    assert_true(json_is_object(json_object_get(j, "max_welfare")));
    truce_scenario *s = load_dir(dir, 11);
    check_against_brute_force(j, s);
    truce_scenario_free(s);
    json_decref(j);

    cli_result r = cli_run((const char *const[]){"analyze", dir, NULL});
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "Zone of agreement among the bargainers at time 0.00: EMPTY");
    const char *nash = strstr(r.out, "\nNash ");
    assert_non_null(nash);
    assert_true(strncmp(nash + 1 + 22, " none (no feasible outcome gives every bargainer", 48) ==
                0);
    cli_run_free(&r);
    remove_dir(dir);
}

/* Write a generated linear scenario as GENIUS files into a fresh folder. */
static const char *write_generated(size_t n_issues, uint32_t levels)
{
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = n_issues;
    g.n_options = 10;
    g.n_parties = 2;
    g.levels = levels;
    g.seed = 7;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_generate(&s, &g, &err))
        fail_msg("generate: %s", err.message);
    const char *dir = temp_dir();
    char domain[600], p1[600], p2[600];
    snprintf(domain, sizeof domain, "%s/domain.xml", dir);
    snprintf(p1, sizeof p1, "%s/party1.xml", dir);
    snprintf(p2, sizeof p2, "%s/party2.xml", dir);
    const char *profiles[] = {p1, p2};
    if (truce_scenario_save_genius(s, domain, profiles, 2, &err))
        fail_msg("save: %s", err.message);
    truce_scenario_free(s);
    return dir;
}

static void test_outcome_count_beyond_64_bits_is_a_decimal_string(void **state)
{
    (void)state;
    /* 10^200 outcomes: 200 issues of 10 options */
    const char *dir = write_generated(200, 3);
    json_t *j = analyze_json(&dir, 1, NULL);
    const json_t *n = json_object_get(j, "n_outcomes");
    assert_true(json_is_string(n));
    char expected[202];
    expected[0] = '1';
    memset(expected + 1, '0', 200);
    expected[201] = '\0';
    assert_string_equal(json_text(n), expected);
    /* this scenario's frontier holds about 1.9e37 outcomes: a decimal string too */
    const json_t *size = json_object_get(json_object_get(j, "pareto"), "size");
    const char *digits = json_text(size);
    assert_int_equal(strspn(digits, "0123456789"), strlen(digits));
    assert_true(strlen(digits) >= 20);
    assert_true(json_is_false(json_object_get(j, "approximate")));
    assert_true(json_is_object(json_object_get(j, "nash")));
    json_decref(j);
    remove_dir(dir);
}

static void test_counts_within_63_bits_stay_json_integers(void **state)
{
    (void)state;
    /* 10^18 has 19 digits and still fits a signed 64-bit integer; 10^19 does not */
    const char *dir = write_generated(18, 2);
    json_t *j = analyze_json(&dir, 1, NULL);
    const json_t *n = json_object_get(j, "n_outcomes");
    assert_true(json_is_integer(n));
    assert_true(json_integer_value(n) == 1000000000000000000LL);
    json_decref(j);
    remove_dir(dir);
    dir = write_generated(19, 2);
    j = analyze_json(&dir, 1, NULL);
    assert_string_equal(json_text(json_object_get(j, "n_outcomes")), "10000000000000000000");
    json_decref(j);
    remove_dir(dir);
}

/* ------------------------------------------------------------------ */
/* Approximate mode                                                   */
/* ------------------------------------------------------------------ */

/* A nonlinear scenario over n_issues integer issues 0..9: party low likes
 * values 0..4, party high values 5..9, plus joint terms over pairs of issues.
 * With joint_max the joint terms count through their best one (aggregation
 * max), which keeps branch and bound (sums of terms only) out, so exact
 * analysis can only enumerate. */
static const char *write_nonlinear(int n_issues, int joint_max)
{
    const char *dir = temp_dir();
    char *buf = malloc(65536);
    assert_non_null(buf);
    size_t used = (size_t)snprintf(buf, 65536,
                                   "<?xml version=\"1.0\"?>\n<negotiation_template>\n"
                                   "<utility_space number_of_issues=\"%d\">\n"
                                   "<objective index=\"0\" name=\"root\" type=\"objective\">\n",
                                   n_issues);
    for (int i = 1; i <= n_issues; i++)
        used += (size_t)snprintf(buf + used, 65536 - used,
                                 "<issue index=\"%d\" name=\"i%d\" type=\"integer\" "
                                 "lowerbound=\"0\" upperbound=\"9\"/>\n",
                                 i, i);
    snprintf(buf + used, 65536 - used, "</objective>\n</utility_space>\n</negotiation_template>\n");
    write_in(dir, "domain.xml", buf);
    const char *names[] = {"low.xml", "high.xml"};
    for (int p = 0; p < 2; p++) {
        int lo = p ? 5 : 0, hi = p ? 9 : 4;
        double max = 0;
        used = (size_t)snprintf(buf, 65536,
                                "<?xml version=\"1.0\"?>\n<utility_space type=\"nonlinear\">\n"
                                "<objective index=\"0\" name=\"root\" type=\"objective\">\n"
                                "<utility maxutility=\"MAXUTILITY\">\n"
                                "<ufun type=\"PlainUfun\" weight=\"1\" aggregation=\"sum\">\n");
        for (int i = 1; i <= n_issues; i++) {
            used += (size_t)snprintf(buf + used, 65536 - used,
                                     "<hyperRectangle utility=\"%d\"><INCLUDES index=\"%d\" "
                                     "min=\"%d\" max=\"%d\"/></hyperRectangle>\n",
                                     i, i, lo, hi);
            max += i;
        }
        if (joint_max)
            used += (size_t)snprintf(buf + used, 65536 - used,
                                     "<ufun type=\"PlainUfun\" weight=\"1\" "
                                     "aggregation=\"max\">\n");
        double joint_sum = 0, joint_best = 0;
        for (int i = 1; i < n_issues; i += 2) {
            used += (size_t)snprintf(buf + used, 65536 - used,
                                     "<hyperRectangle utility=\"%d\"><INCLUDES index=\"%d\" "
                                     "min=\"%d\" max=\"%d\"/><INCLUDES index=\"%d\" min=\"3\" "
                                     "max=\"6\"/></hyperRectangle>\n",
                                     5 + i, i, lo, hi, i + 1);
            joint_sum += 5 + i;
            joint_best = 5 + i;
        }
        if (joint_max)
            used += (size_t)snprintf(buf + used, 65536 - used, "</ufun>\n");
        max += joint_max ? joint_best : joint_sum;
        snprintf(buf + used, 65536 - used,
                 "</ufun>\n</utility>\n</objective>\n<reservation value=\"0.1\"/>\n"
                 "</utility_space>\n");
        char maxtext[32];
        snprintf(maxtext, sizeof maxtext, "%g", max);
        char *text = replace_once(buf, "MAXUTILITY", maxtext);
        write_in(dir, names[p], text);
        free(text);
    }
    free(buf);
    return dir;
}

/* 12 issues: 10^12 outcomes, beyond any enumeration */
static const char *write_big_nonlinear(void)
{
    return write_nonlinear(12, 1);
}

static void test_too_large_nonlinear_scenario_exits_1_suggesting_approximate(void **state)
{
    (void)state;
    const char *dir = write_big_nonlinear();
    cli_result r = cli_run((const char *const[]){"analyze", "--max-outcomes", "1000", dir, NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_one_line(r.err);
    assert_contains(r.err, "--approximate");
    assert_contains(r.err, "1000000000000");
    cli_run_free(&r);
    remove_dir(dir);
}

static void test_approximate_mode_is_labelled_in_json_and_text(void **state)
{
    (void)state;
    const char *dir = write_big_nonlinear();
    const char *args[] = {"analyze", "--approximate", "--max-outcomes", "1000", "--json", dir,
                          NULL};
    cli_result r = cli_run(args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    json_t *j = json_parse_or_fail(r.out);
    cli_run_free(&r);
    assert_true(json_is_true(json_object_get(j, "approximate")));
    assert_true(json_integer_value(json_object_get(j, "n_outcomes")) == 1000000000000LL);
    const json_t *points = json_object_get(json_object_get(j, "pareto"), "points");
    assert_true(json_array_size(points) > 0);
    /* the solutions it reports are real outcomes with the utilities it says */
    truce_scenario *s = load_dir(dir, 11);
    free(check_solution(s, json_object_get(j, "nash"), "nash"));
    free(check_solution(s, json_object_get(j, "max_welfare"), "max_welfare"));
    truce_scenario_free(s);
    json_decref(j);

    const char *text_args[] = {"analyze", "--approximate", "--max-outcomes", "1000", dir, NULL};
    r = cli_run(text_args);
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "APPROXIMATE");
    assert_contains(r.out, "Nash");
    /* a search cannot bound the true frontier: it reports what it found */
    assert_contains(r.out, "Pareto frontier (approximate):");
    assert_null(strstr(r.out, "at least"));
    cli_run_free(&r);
    remove_dir(dir);
}

static void test_branch_and_bound_matches_brute_force_beyond_max_outcomes(void **state)
{
    (void)state;
    /* 10^4 outcomes, more than --max-outcomes: sums of terms go to branch and bound */
    const char *dir = write_nonlinear(4, 0);
    json_t *j = analyze_json(&dir, 1, "--max-outcomes=1000");
    assert_string_equal(json_text(json_object_get(j, "method")), "branch-and-bound");
    truce_scenario *s = load_dir(dir, 11);
    check_against_brute_force(j, s);
    truce_scenario_free(s);
    json_decref(j);
    remove_dir(dir);
}

static void test_branch_and_bound_limit_exits_1_or_goes_approximate(void **state)
{
    (void)state;
    const char *dir = write_nonlinear(12, 0);
    cli_result r = cli_run((const char *const[]){"analyze", "--max-nodes", "10", dir, NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_one_line(r.err);
    assert_contains(r.err, "--approximate");
    assert_contains(r.err, "--max-nodes");
    cli_run_free(&r);
    /* the Pareto filter's work bound (Good Friday's principals: three and more) stops it
     * the same way */
    r = cli_run((const char *const[]){"analyze", "--max-work", "10",
                                      TRUCE_EXAMPLES "/historical/good-friday-1998.yaml", NULL});
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, "--max-work");
    cli_run_free(&r);
    /* and check, evaluate and advise, whose zone and points come from the same analysis, take
     * the flag too */
    r = cli_run((const char *const[]){"check", "--max-work", "10",
                                      TRUCE_EXAMPLES "/historical/good-friday-1998.yaml", NULL});
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, "max_work = 10 ");
    cli_run_free(&r);
    const char *const bad[][2] = {{"check", "0"}, {"evaluate", "x"}, {"advise", "-1"}};
    for (size_t k = 0; k < 3; k++) {
        r = cli_run((const char *const[]){bad[k][0], "--max-work", bad[k][1],
                                          TRUCE_EXAMPLES "/historical/good-friday-1998.yaml",
                                          NULL});
        assert_int_equal(r.status, 2);
        assert_contains(r.err, "--max-work needs a number >= 1");
        cli_run_free(&r);
    }
    r = cli_run((const char *const[]){"analyze", "--approximate", "--max-nodes", "10", "--json",
                                      dir, NULL});
    assert_int_equal(r.status, 0);
    json_t *j = json_parse_or_fail(r.out);
    assert_true(json_is_true(json_object_get(j, "approximate")));
    assert_string_equal(json_text(json_object_get(j, "method")), "local-search");
    json_decref(j);
    cli_run_free(&r);
    remove_dir(dir);
}

static void test_exact_scenarios_are_not_labelled_approximate(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"analyze", "--approximate", CEASEFIRE, NULL});
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "APPROXIMATE"));
    cli_run_free(&r);
}

/* ------------------------------------------------------------------ */
/* Text report                                                        */
/* ------------------------------------------------------------------ */

static void test_text_report_names_parties_and_gives_the_nash_line(void **state)
{
    (void)state;
    cli_result r = cli_run((const char *const[]){"analyze", CEASEFIRE, NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_contains(r.out, "Scenario ceasefire: 2 parties, 4 issues, 528 outcomes");
    assert_contains(r.out, "russia");
    assert_contains(r.out, "ukraine");
    assert_contains(r.out, "Zone of agreement among the bargainers at time 0.00: non-empty");
    /* the Nash line carries both utilities and the product, from the brute force */
    truce_scenario *s = load_dir(CEASEFIRE, 11);
    brute b;
    brute_force(s, &b);
    const char *line = strstr(r.out, "\nNash ");
    assert_non_null(line);
    char product[64];
    snprintf(product, sizeof product, "product %.6g", b.nash_value);
    const char *end = strchr(line + 1, '\n');
    assert_non_null(end);
    char nash[512];
    snprintf(nash, sizeof nash, "%.*s", (int)(end - line - 1), line + 1);
    assert_contains(nash, product);
    assert_contains(r.out, "Kalai-Smorodinsky");
    assert_contains(r.out, "Max welfare");
    brute_free(&b);
    truce_scenario_free(s);
    cli_run_free(&r);
}

static void test_text_report_shows_long_party_names_whole(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    copy_into(dir, "domain.xml", HANDMADE "/domain.xml");
    copy_into(dir, "the_first_party_with_a_long_name.xml", HANDMADE "/a.xml");
    copy_into(dir, "the_second_party_with_a_long_name.xml", HANDMADE "/b.xml");
    cli_result r = cli_run((const char *const[]){"analyze", dir, NULL});
    assert_int_equal(r.status, 0);
    assert_contains(r.out, " the_first_party_with_a_long_name ");
    assert_contains(r.out, " the_second_party_with_a_long_name\n");
    /* numbers stay right-aligned under the names */
    const char *header = strstr(r.out, "  the_first_party");
    const char *row = strstr(r.out, "\nreservation (t=0.00)");
    assert_non_null(header);
    assert_non_null(row);
    const char *header_start = header;
    while (header_start > r.out && header_start[-1] != '\n')
        header_start--;
    const char *header_end = strchr(header, '\n');
    const char *row_end = strchr(row + 1, '\n');
    assert_int_equal(header_end - header_start, row_end - (row + 1));
    cli_run_free(&r);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_lists_commands_and_exits_0),
        cmocka_unit_test(test_analyze_help_lists_its_options_and_exits_0),
        cmocka_unit_test(test_version_prints_the_library_version),
        cmocka_unit_test(test_unknown_command_exits_2_with_one_line_error),
        cmocka_unit_test(test_no_command_exits_2_with_one_line_error),
        cmocka_unit_test(test_unknown_option_exits_2_with_one_line_error),
        cmocka_unit_test(test_bad_option_values_exit_2),
        cmocka_unit_test(test_analyze_without_scenario_exits_2),
        cmocka_unit_test(test_folder_among_files_exits_2),
        cmocka_unit_test(test_missing_folder_exits_1_naming_it),
        cmocka_unit_test(test_missing_profile_file_exits_1_naming_it),
        cmocka_unit_test(test_malformed_domain_xml_exits_1_naming_file_and_line),
        cmocka_unit_test(test_malformed_profile_in_folder_exits_1_naming_file_and_line),
        cmocka_unit_test(test_invalid_value_exits_1_naming_file_line_and_problem),
        cmocka_unit_test(test_ambiguous_folder_exits_1_listing_both_domains),
        cmocka_unit_test(test_folder_and_explicit_files_give_the_same_json),
        cmocka_unit_test(test_json_has_every_documented_field_with_its_type),
        cmocka_unit_test(test_ceasefire_matches_brute_force),
        cmocka_unit_test(test_handmade_matches_brute_force),
        cmocka_unit_test(test_small_nonlinear_scenario_matches_brute_force),
        cmocka_unit_test(test_corpus_scenarios_match_brute_force),
        cmocka_unit_test(test_real_steps_sets_the_discretisation_of_real_issues),
        cmocka_unit_test(test_no_zopa_gives_null_nash_and_kalai_smorodinsky),
        cmocka_unit_test(test_outcome_count_beyond_64_bits_is_a_decimal_string),
        cmocka_unit_test(test_counts_within_63_bits_stay_json_integers),
        cmocka_unit_test(test_too_large_nonlinear_scenario_exits_1_suggesting_approximate),
        cmocka_unit_test(test_approximate_mode_is_labelled_in_json_and_text),
        cmocka_unit_test(test_branch_and_bound_matches_brute_force_beyond_max_outcomes),
        cmocka_unit_test(test_branch_and_bound_limit_exits_1_or_goes_approximate),
        cmocka_unit_test(test_exact_scenarios_are_not_labelled_approximate),
        cmocka_unit_test(test_text_report_names_parties_and_gives_the_nash_line),
        cmocka_unit_test(test_text_report_shows_long_party_names_whole),
        cmocka_unit_test(test_legacy_flag_reads_the_old_integer_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
