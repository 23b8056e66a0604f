/* fuzz_trace.c: libFuzzer target for the JSON Lines trace reader (truce_report_add_trace): the
 * input is read as a negotiation or mediation trace, alone and against the ceasefire example. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"

/* The scenario the seed traces were made on (examples/genius/ceasefire), loaded once. */
static truce_scenario *scenario;
static truce_analysis *analysis;

static void load_example(void)
{
    static int tried;
    if (tried)
        return;
    tried = 1;
    truce_error err;
    if (truce_scenario_load(&scenario, TRUCE_FUZZ_EXAMPLES "/genius/ceasefire", NULL, &err) ||
        truce_analyze(&analysis, scenario, NULL, &err)) {
        fprintf(stderr, "fuzz_trace: cannot load the example: %s\n", err.message);
        abort();
    }
}

/* Add the trace to a fresh report; a refusal must leave the report as it was. */
static void read_trace(const char *path, const truce_scenario *s, const truce_analysis *an)
{
    truce_limits limits = TRUCE_LIMITS_INIT;
    limits.max_trace_line = 1 << 16; /* small: reaches the limit check */
    truce_report_options ro = TRUCE_REPORT_OPTIONS_INIT;
    ro.max_dots = 200;
    ro.max_enumerate = 2000;
    ro.samples = 200;
    ro.max_runs = 3;
    ro.limits = &limits;
    truce_report *r = NULL;
    truce_error err;
    FUZZ_CHECK(truce_report_create(&r, &ro, &err) == 0);
    size_t figures = truce_report_figure_count(r);
    int rc = truce_report_add_trace(r, path, s, an, &err);
    if (rc) {
        FUZZ_CHECK(rc < 0 && err.code == rc && err.message[0] != '\0');
        FUZZ_CHECK(truce_report_figure_count(r) == figures);
        if (fuzz_verbose())
            fprintf(stderr, "fuzz_trace: refused: %s\n", err.message);
    } else if (fuzz_verbose()) {
        fprintf(stderr, "fuzz_trace: read, %zu figures\n", truce_report_figure_count(r));
    }
    for (size_t k = 0; k < truce_report_figure_count(r); k++)
        FUZZ_CHECK(truce_report_figure_name(r, k) != NULL);
    char *html = NULL;
    size_t len = 0;
    FUZZ_CHECK(truce_report_html(r, &html, &len, &err) == 0);
    FUZZ_CHECK(html != NULL && len == strlen(html));
    truce_free(html);
    truce_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1 << 20))
        return 0;
    load_example();
    char path[512];
    fuzz_path("trace.jsonl", path, sizeof path);
    fuzz_write(path, data, size);
    read_trace(path, NULL, NULL);
    read_trace(path, scenario, analysis);
    return 0;
}
