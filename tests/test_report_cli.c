/* test_report_cli.c: `truce report` as the real binary: input kinds told apart, the files it
 * writes (--svg), exit statuses, and no output file left behind when it fails. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEED TRUCE_EXAMPLES "/seed/truce-talks.yaml"
#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"
#define SMALL TRUCE_TEST_DATA "/report/small.yaml"

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void test_seed_and_its_mediation_trace_make_one_page_and_svg_files(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char trace[600], html[600], svg[600];
    snprintf(trace, sizeof trace, "%s/talks.jsonl", dir);
    snprintf(html, sizeof html, "%s/seed.html", dir);
    snprintf(svg, sizeof svg, "%s/svg", dir);
    const char *mediate[] = {"mediate", "--trace", trace, SEED, NULL};
    cli_result r = cli_run_ok(mediate);
    cli_run_free(&r);
    const char *report[] = {"report", SEED, trace, "-o", html, "--svg", svg, NULL};
    r = cli_run_ok(report);
    /* the page's path, then one line per SVG file, each a standalone document */
    char *line = strtok(r.out, "\n");
    assert_string_equal(line, html);
    size_t files = 0;
    while ((line = strtok(NULL, "\n"))) {
        assert_true(strncmp(line, svg, strlen(svg)) == 0);
        char *text = slurp_file(line);
        assert_true(strncmp(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
        free(text);
        files++;
    }
    /* the seed's one pair of principals, its robustness (it documents its
     * uncertainty: the zone's bars, the clause bars, the zone's tornado),
     * then the mediation's five plots (clauses, utilities, answers,
     * objections, drafts in the space) */
    assert_int_equal(files, 9);
    cli_run_free(&r);
    char *page = slurp_file(html);
    assert_contains(page, "<h2>Scenario truce-talks</h2>");
    assert_contains(page, "Mediated talks on truce-talks");
    assert_contains(page, "Robustness of truce-talks (10000 samples)");
    assert_contains(page, "veto (0.375)");
    assert_null(strstr(page, "<script"));
    free(page);
}

static void test_negotiation_trace_of_a_genius_folder(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char trace[600], html[600];
    snprintf(trace, sizeof trace, "%s/run.jsonl", dir);
    snprintf(html, sizeof html, "%s/run.html", dir);
    const char *negotiate[] = {"negotiate", "--agents", "boulware,tft", "--repetitions", "3",
                               "--trace",   trace,      CEASEFIRE,      NULL};
    cli_result r = cli_run(negotiate);
    assert_int_equal(r.status, 0);
    cli_run_free(&r);
    const char *report[] = {"report", CEASEFIRE, trace, "-o", html, "--runs", "2", NULL};
    r = cli_run_ok(report);
    cli_run_free(&r);
    char *page = slurp_file(html);
    assert_contains(page, "Negotiation on ceasefire");
    assert_contains(page, "3 runs: the plots show the first 2 (max_runs).");
    assert_contains(page, "<h3>Run 2</h3>");
    assert_null(strstr(page, "<h3>Run 3</h3>"));
    assert_contains(page, "class=\"pareto\"");
    free(page);
    /* the trace alone: offers without the frontier */
    const char *alone[] = {"report", trace, "-o", html, NULL};
    r = cli_run_ok(alone);
    cli_run_free(&r);
    page = slurp_file(html);
    assert_contains(page, "No scenario was given with this trace");
    assert_null(strstr(page, "class=\"pareto\""));
    free(page);
}

/* Seeds from 2^63 on: negotiate wrote them as integers no JSON reader here takes (report refused
 * its own trace), mediate recorded -1. They are decimal strings in the trace now, read back. */
static void test_seeds_beyond_63_bits_are_written_so_that_they_read_back(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char trace[600], html[600];
    snprintf(trace, sizeof trace, "%s/big.jsonl", dir);
    snprintf(html, sizeof html, "%s/big.html", dir);
    const char *negotiate[] = {"negotiate", "--agents", "boulware,tft", "--seed",
                               "18446744073709551614", "--repetitions", "2", "--trace",
                               trace, CEASEFIRE, NULL};
    cli_result r = cli_run_ok(negotiate);
    cli_run_free(&r);
    char *text = slurp_file(trace);
    assert_contains(text, "\"seed\":\"18446744073709551614\"");
    assert_contains(text, "\"seed\":\"18446744073709551615\"");
    free(text);
    const char *report[] = {"report", CEASEFIRE, trace, "-o", html, NULL};
    r = cli_run_ok(report);
    cli_run_free(&r);
    char *page = slurp_file(html);
    assert_contains(page, "Seed 18446744073709551614");
    free(page);
    /* 2^63 - 1 is still a number */
    const char *small[] = {"negotiate", "--agents", "boulware,tft", "--seed",
                           "9223372036854775807", "--trace", trace, CEASEFIRE, NULL};
    r = cli_run_ok(small);
    cli_run_free(&r);
    text = slurp_file(trace);
    assert_contains(text, "\"seed\":9223372036854775807,");
    free(text);
    const char *mediate[] = {"mediate", "--seed", "18446744073709551615", "--trace", trace, SEED,
                             NULL};
    r = cli_run_ok(mediate);
    cli_run_free(&r);
    text = slurp_file(trace);
    assert_contains(text, "\"seed\":\"18446744073709551615\"");
    assert_null(strstr(text, "\"seed\":-1"));
    free(text);
    const char *mreport[] = {"report", SEED, trace, "-o", html, NULL};
    r = cli_run_ok(mreport);
    cli_run_free(&r);
    /* seeds counted past the largest one wrapped to 0 */
    const char *wrap[] = {"negotiate", "--agents", "boulware,tft", "--seed", "18446744073709551615",
                          "--repetitions", "2", CEASEFIRE, NULL};
    r = cli_run(wrap);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "would pass the largest seed");
    cli_run_free(&r);
}

static void test_a_tournament_database_gives_its_page_and_svg_files(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char db[600], html[600], svg[600], fake[600];
    snprintf(db, sizeof db, "%s/results.sqlite", dir);
    snprintf(html, sizeof html, "%s/out.html", dir);
    snprintf(svg, sizeof svg, "%s/svg", dir);
    snprintf(fake, sizeof fake, "%s/fake.sqlite", dir);
    const char *tournament[] = {
        "tournament", "--db",   db,         "--agents", "boulware,conceder,tft",
        "--quiet",    "--name", "cli test", CEASEFIRE,  NULL};
    cli_result r = cli_run_ok(tournament);
    cli_run_free(&r);
    const char *report[] = {"report", db, "-o", html, "--svg", svg, NULL};
    r = cli_run_ok(report);
    /* the page, then the four plots: utility, agreement rate, head to head, agent x
     * scenario */
    char expected[4096];
    snprintf(expected, sizeof expected,
             "%s\n%s/01-results-cli-test-utility.svg\n%s/02-results-cli-test-agreement.svg\n"
             "%s/03-results-cli-test-head-to-head.svg\n"
             "%s/04-results-cli-test-agent-scenario.svg\n",
             html, svg, svg, svg, svg);
    assert_string_equal(r.out, expected);
    cli_run_free(&r);
    snprintf(expected, sizeof expected, "%s/03-results-cli-test-head-to-head.svg", svg);
    char *text = slurp_file(expected);
    assert_true(strncmp(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
    free(text);
    char *page = slurp_file(html);
    assert_contains(page, "<h2>Tournament cli test (6 of 6 negotiations)</h2>");
    assert_null(strstr(page, "INCOMPLETE"));
    assert_null(strstr(page, "<script"));
    free(page);
    /* a file with the SQLite header that is no database: one line, exit 1 */
    FILE *f = fopen(fake, "wb");
    assert_non_null(f);
    static const char header[100] = "SQLite format 3";
    fwrite(header, 1, sizeof header, f);
    fclose(f);
    remove(html);
    const char *bad[] = {"report", fake, "-o", html, NULL};
    r = cli_run(bad);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, "fake.sqlite");
    assert_false(exists(html));
    cli_run_free(&r);
}

static void test_bad_usage_and_bad_input(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char html[600], notes[600], trace[600];
    snprintf(html, sizeof html, "%s/out.html", dir);
    snprintf(notes, sizeof notes, "%s/notes.txt", dir);
    snprintf(trace, sizeof trace, "%s/broken.jsonl", dir);
    FILE *f = fopen(notes, "w");
    assert_non_null(f);
    fputs("not a trace\n", f);
    fclose(f);
    f = fopen(trace, "w");
    assert_non_null(f);
    fputs("{\"type\":\"start\",\"protocol\":\"alternating-offers\",\"scenario\":\"small\","
          "\"parties\":[\"alice\",\"bob\"]}\n{\"type\":\"offer\",\"round\":1,",
          f);
    fclose(f);
    struct {
        const char *args[8];
        int status;
        const char *message;
    } cases[] = {
        {{"report", SMALL, NULL}, 2, "no output file"},
        {{"report", "-o", html, NULL}, 2, "nothing to report"},
        {{"report", SMALL, "-o", html, "--frobnicate", NULL}, 2, "unknown option '--frobnicate'"},
        {{"report", SMALL, SEED, "-o", html, NULL}, 2, "one scenario per report"},
        {{"report", notes, "-o", html, NULL}, 2, "cannot tell what"},
        {{"report", SMALL, "-o", html, "--dots", "many", NULL}, 2, "--dots needs a number"},
        {{"report", "/nonexistent/x.yaml", "-o", html, NULL}, 1, "No such file"},
        {{"report", SMALL, trace, "-o", html, NULL}, 1, "broken.jsonl:2: truncated record"},
        {{"report", SEED, TRUCE_TEST_DATA "/../data/report/../../data/report/small.yaml", "-o",
          html, NULL},
         2,
         "one scenario per report"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        cli_result r = cli_run(cases[k].args);
        if (r.status != cases[k].status || !strstr(r.err, cases[k].message))
            fail_msg("case %zu: status %d, stderr '%s'", k, r.status, r.err);
        assert_one_line(r.err);
        /* nothing written when it fails */
        assert_false(exists(html));
        cli_run_free(&r);
    }
    /* a failure after the page existed leaves the old page whole */
    const char *ok[] = {"report", SMALL, "-o", html, NULL};
    cli_result r = cli_run_ok(ok);
    cli_run_free(&r);
    char *before = slurp_file(html);
    const char *broken[] = {"report", SMALL, trace, "-o", html, NULL};
    r = cli_run(broken);
    assert_int_equal(r.status, 1);
    cli_run_free(&r);
    char *after = slurp_file(html);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* --help */
    const char *help[] = {"report", "--help", NULL};
    r = cli_run_ok(help);
    assert_contains(r.out, "usage: truce report");
    assert_contains(r.out, "--svg DIR");
    cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_and_its_mediation_trace_make_one_page_and_svg_files),
        cmocka_unit_test(test_negotiation_trace_of_a_genius_folder),
        cmocka_unit_test(test_seeds_beyond_63_bits_are_written_so_that_they_read_back),
        cmocka_unit_test(test_a_tournament_database_gives_its_page_and_svg_files),
        cmocka_unit_test(test_bad_usage_and_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
