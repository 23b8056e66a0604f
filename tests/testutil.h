/* testutil.h: shared test helpers: temporary files, the corpus location,
 * running the real truce binary, and a brute-force analysis that uses only
 * truce_utility() so that analysis results are checked independently. */
#ifndef TRUCE_TESTUTIL_H
#define TRUCE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the headers above first */
#include <cmocka.h>

#include "truce.h"

/* Path of a corpus folder below ../shared/scenarios/genius, or NULL when the
 * corpus is absent (the caller then skips with a message). */
const char *corpus_path(const char *relative, char *buf, size_t size);
/* Exit 77 (ctest: skipped) with a message when the corpus is absent. */
void require_corpus(void);

/* Write `content` to a new file NAME in a fresh temporary folder; returns the
 * path (static storage per call slot, valid until the next 16 calls). */
const char *temp_file(const char *name, const char *content);
/* A fresh temporary folder. */
const char *temp_dir(void);
/* A path NAME in a fresh temporary folder (nothing is created; static
 * storage per call slot, valid until the next 16 calls). */
const char *temp_path(const char *name);

/* Run the truce binary with argv (NULL-terminated, without "truce");
 * captures stdout and stderr (malloc'd, caller frees). Returns exit status. */
int run_truce(const char *const *args, char **out, char **err);
/* Start the truce binary with argv (as run_truce) in the background, its
 * output going to /dev/null; returns its pid. */
int spawn_truce(const char *const *args);

/* The truce binary's exit status and output, for CLI tests. */
typedef struct cli_result {
    int status;
    char *out;
    char *err;
} cli_result;

cli_result cli_run(const char *const *args);
/* cli_run that fails the test unless it exits 0 with nothing on stderr. */
cli_result cli_run_ok(const char *const *args);
void cli_run_free(cli_result *r);
/* Errors are one line: the whole text is a single '\n'-terminated line. */
void assert_one_line(const char *text);
void assert_contains(const char *text, const char *part);
/* One JSON value, or the test fails showing the text (jansson's json_t). */
struct json_t;
struct json_t *json_parse_or_fail(const char *text);

/* Mediated talks for tests: the trace records as lines of text (a truce_trace_fn collecting into
 * a trace_buf; set `fail` to make the next record fail), the talks run or the test failed, and the
 * report as JSON (caller json_decrefs). */
typedef struct trace_buf {
    char *data;
    size_t size, cap;
    int fail;
} trace_buf;
int trace_buf_collect(const char *record, size_t length, void *payload);
truce_mediation *mediate_or_fail(const truce_scenario *s, truce_mediation_options *o,
                                 trace_buf *trace);
struct json_t *mediation_report_json(const truce_mediation *m);
/* A whole file as a NUL-terminated string (malloc'd). */
char *slurp_file(const char *path);

/* cmocka's assert_float_equal compares floats, too coarse for utilities:
 * doubles, within `tolerance`. */
#define assert_close(a, b, tolerance) assert_close_at((a), (b), (tolerance), __LINE__)
void assert_close_at(double a, double b, double tolerance, int line);

/* Every scenario folder of the corpus (genius/anac/y20xx/<name> and
 * genius/other/<name>), sorted; empty when the corpus is absent. Free with
 * free_strings. */
char **corpus_folders(size_t *count);
void free_strings(char **list, size_t n);

/* Brute force over every outcome (small spaces only). */
typedef struct brute {
    size_t n_parties, n_issues;
    uint64_t n_outcomes;
    double *u;             /* n_outcomes * n_parties */
    uint64_t pareto_count; /* outcomes not dominated (tolerance 1e-12) */
    size_t n_points;       /* distinct frontier vectors */
    double *points;        /* sorted by party 0 descending, then 1, ... */
    double nash_value;     /* -1 when no outcome beats every reservation */
    double ks_value;       /* -1 likewise */
    double welfare_value;
    int zopa;
} brute;

void brute_force(const truce_scenario *s, brute *b);
void brute_free(brute *b);

/* Decode a mixed-radix index into an outcome. */
void outcome_from_index(const truce_scenario *s, uint64_t index, uint32_t *outcome);

#endif
