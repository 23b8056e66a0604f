/* report.c: `truce report`: a self-contained HTML page (and SVG files) for a
 * scenario analysis, negotiation traces, mediation traces and tournament results. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce report [OPTIONS] INPUT... -o FILE.html\n"
           "\n"
           "Write one self-contained HTML page (inline SVG and CSS, no scripts, nothing\n"
           "fetched from the network) with plots of each INPUT:\n"
           "  a scenario (FOLDER, FILE.yaml, or DOMAIN.xml PROFILE.xml...): the outcomes in\n"
           "      the utility space of each pair of principals, the Pareto frontier, the\n"
           "      Nash, Kalai-Smorodinsky and max-welfare points, reservation values, and\n"
           "      the outcomes hard conditions veto; with uncertain numbers, how sure the\n"
           "      zone and the bargaining points are (truce robust) and what moves them;\n"
           "  a negotiation trace (truce negotiate --trace): each party's offers as paths\n"
           "      in the utility space, utility over rounds, the agreement;\n"
           "  a mediation trace (truce mediate --trace): the draft's clauses across\n"
           "      iterations, answers, objections and amendments per party, utilities;\n"
           "  a tournament database (truce tournament --db): agents ranked by mean utility\n"
           "      with 95%% confidence intervals, bar charts of utility and agreement rate,\n"
           "      the head-to-head heat map, scenarios; an unfinished one is marked so.\n"
           "Traces and databases are told apart by their content. Give the scenario a\n"
           "trace was made on too, to see the outcome space and the frontier behind it:\n"
           "  truce report SCENARIO TRACE... -o report.html\n"
           "  truce report results.db -o tournament.html --svg plots\n"
           "See docs/reports.md.\n"
           "\n"
           "Options:\n"
           "  -o, --output FILE    the HTML file to write (required; replaced atomically)\n"
           "  --svg DIR            also write every plot as a standalone SVG file in DIR\n"
           "                       (created when missing)\n"
           "  --title TEXT         page title (default: the first section's)\n"
           "  --dots N             spaces with at most N outcomes are drawn one dot per\n"
           "                       outcome, larger ones as a density grid (default 4000)\n"
           "  --enumerate N        largest space counted whole in the density grid; larger\n"
           "                       spaces are sampled (default 1e6)\n"
           "  --samples N          outcomes sampled from larger spaces (default 100000)\n"
           "  --seed N             seed of the sampling (default 1)\n"
           "  --pairs N            utility-space plots per section for 3+ parties (default 6)\n"
           "  --runs N             runs of a multi-run trace plotted (default 10)\n"
           "  --approximate        when exact analysis exceeds a limit, search heuristically\n"
           "                       (the frontier is then marked approximate)\n"
           "  --max-outcomes N     largest space the analysis enumerates (default 2e7)\n"
           "  --real-steps N       points per real-valued issue (default 11)\n"
           "  --robust-samples N   a scenario with uncertain numbers gets a robustness\n"
           "                       section from N samples (default 10000; 0: none;\n"
           "                       docs/robustness.md)\n"
           "  -h, --help           show this help\n"
           "\n"
           "Exit status: 0 success, 1 bad input, 2 bad usage.\n"
           "Example: truce report examples/seed/truce-talks.yaml talks.jsonl -o seed.html\n");
}

typedef enum input_kind {
    INPUT_SCENARIO,
    INPUT_GENIUS_FILE,
    INPUT_TRACE,
    INPUT_RESULTS
} input_kind;

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && !strcmp(s + n - m, suffix);
}

/* What a command-line input is, from its type and first bytes: a folder or
 * YAML file is a scenario, an XML file part of a GENIUS scenario, a file
 * whose first non-blank byte is '{' a trace, and "SQLite format 3\0" a
 * tournament database. */
static int classify(const char *path, input_kind *out)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cli_fail("report", "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        *out = INPUT_SCENARIO;
        return 0;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail("report", "%s: %s", path, strerror(errno));
    unsigned char head[64];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n >= 16 && !memcmp(head, "SQLite format 3", 16)) {
        *out = INPUT_RESULTS;
        return 0;
    }
    size_t k = 0;
    while (k < n && (head[k] == ' ' || head[k] == '\t' || head[k] == '\r' || head[k] == '\n'))
        k++;
    if (k < n && head[k] == '{') {
        *out = INPUT_TRACE;
        return 0;
    }
    if (has_suffix(path, ".yaml") || has_suffix(path, ".yml")) {
        *out = INPUT_SCENARIO;
        return 0;
    }
    if (has_suffix(path, ".xml")) {
        *out = INPUT_GENIUS_FILE;
        return 0;
    }
    return cli_usage("report",
                     "cannot tell what %s is: give a scenario (folder, .yaml, GENIUS .xml "
                     "files), a JSON Lines trace or a tournament database",
                     path);
}

typedef struct args {
    const char *output, *svg_dir;
    truce_report_options report;
    truce_load_options load;
    truce_analysis_options analysis;
    char **scenario;
    int n_scenario;
    int scenario_is_dir_or_yaml;
    char **traces;
    int n_traces;
    char **results;
    int n_results;
    double robust_samples; /* 0: no robustness section */
} args;

static int set_count(const char *option, const char *v, double lo, double hi, double *out)
{
    if (cli_parse_double(v, out) || *out < lo || *out > hi)
        return cli_usage("report", "%s needs a number from %g to %g, not '%s'", option, lo, hi, v);
    return 0;
}

static int parse_option(int argc, char **argv, int *i, args *a)
{
    const char *v;
    double d = 0;
    uint64_t u;
    int rc = 0;
    if ((v = cli_option_value(argc, argv, i, "--output")) ||
        (v = cli_option_value(argc, argv, i, "-o")))
        a->output = v;
    else if ((v = cli_option_value(argc, argv, i, "--svg")))
        a->svg_dir = v;
    else if ((v = cli_option_value(argc, argv, i, "--title")))
        a->report.title = v;
    else if (!strcmp(argv[*i], "--approximate"))
        a->analysis.approximate = 1;
    else if ((v = cli_option_value(argc, argv, i, "--dots")))
        rc = set_count("--dots", v, 0, 1e7, &d), a->report.max_dots = (size_t)d;
    else if ((v = cli_option_value(argc, argv, i, "--enumerate")))
        rc = set_count("--enumerate", v, 1, 1e9, &a->report.max_enumerate);
    else if ((v = cli_option_value(argc, argv, i, "--samples")))
        rc = set_count("--samples", v, 1, 1e8, &d), a->report.samples = (size_t)d;
    else if ((v = cli_option_value(argc, argv, i, "--pairs")))
        rc = set_count("--pairs", v, 1, 1000, &d), a->report.max_pairs = (size_t)d;
    else if ((v = cli_option_value(argc, argv, i, "--runs")))
        rc = set_count("--runs", v, 1, 1e6, &d), a->report.max_runs = (size_t)d;
    else if ((v = cli_option_value(argc, argv, i, "--max-outcomes")))
        rc = set_count("--max-outcomes", v, 1, 1e15, &a->analysis.max_outcomes);
    else if ((v = cli_option_value(argc, argv, i, "--robust-samples")))
        rc = set_count("--robust-samples", v, 0, 1e8, &a->robust_samples);
    else if ((v = cli_option_value(argc, argv, i, "--real-steps")))
        rc = set_count("--real-steps", v, 2, 1e6, &d), a->load.real_steps = (uint32_t)d;
    else if ((v = cli_option_value(argc, argv, i, "--seed"))) {
        if (cli_parse_u64(v, &u))
            return cli_usage("report", "--seed needs a non-negative integer, not '%s'", v);
        a->report.seed = u;
    } else
        return cli_usage("report", "unknown option '%s'", argv[*i]);
    if (!rc && v && !*v)
        return cli_usage("report", "%s needs a value", argv[*i]);
    return rc;
}

static int parse_args(int argc, char **argv, args *a)
{
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            return -1;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            int rc = parse_option(argc, argv, &i, a);
            if (rc)
                return rc;
            continue;
        }
        input_kind kind = INPUT_TRACE;
        int rc = classify(argv[i], &kind);
        if (rc)
            return rc;
        if (kind == INPUT_TRACE) {
            a->traces[a->n_traces++] = argv[i];
        } else if (kind == INPUT_RESULTS) {
            a->results[a->n_results++] = argv[i];
        } else if (a->n_scenario && (kind == INPUT_SCENARIO || a->scenario_is_dir_or_yaml)) {
            return cli_usage("report", "one scenario per report: %s and %s", a->scenario[0],
                             argv[i]);
        } else {
            a->scenario[a->n_scenario++] = argv[i];
            a->scenario_is_dir_or_yaml = kind == INPUT_SCENARIO;
        }
    }
    if (!a->output)
        return cli_usage("report", "no output file: give -o FILE.html");
    if (!a->n_scenario && !a->n_traces && !a->n_results)
        return cli_usage("report",
                         "nothing to report: give a scenario, a trace, or a tournament database");
    if (a->n_scenario == 1 && !a->scenario_is_dir_or_yaml)
        return cli_usage("report", "%s: a GENIUS domain file needs its profile files after it",
                         a->scenario[0]);
    return 0;
}

static int make_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : cli_fail("report", "%s: not a folder", dir);
    if (mkdir(dir, 0777) != 0)
        return cli_fail("report", "%s: cannot create the folder: %s", dir, strerror(errno));
    return 0;
}

static int build(const args *a, truce_report *r, truce_scenario **scenario,
                 truce_analysis **analysis)
{
    truce_error err;
    if (a->n_scenario) {
        int rc = cli_load_scenario("report", scenario, a->scenario, a->n_scenario, &a->load);
        if (rc)
            return rc;
        if (truce_analyze(analysis, *scenario, &a->analysis, &err) ||
            truce_report_add_analysis(r, *scenario, *analysis, &err))
            return cli_fail("report", "%s", err.message);
        if (a->robust_samples >= 1 && truce_scenario_uncertain_count(*scenario)) {
            /* a scenario with uncertain numbers: how sure its conclusions are */
            truce_robust_options ro = TRUCE_ROBUST_OPTIONS_INIT;
            ro.samples = (uint64_t)a->robust_samples;
            truce_robustness *rb = NULL;
            int bad = truce_robust(&rb, *scenario, &ro, &err) ||
                     truce_report_add_robustness(r, *scenario, rb, &err);
            truce_robust_free(rb);
            if (bad)
                return cli_fail_error("report", &err);
        }
    }
    for (int k = 0; k < a->n_traces; k++)
        if (truce_report_add_trace(r, a->traces[k], *scenario, *analysis, &err))
            return cli_fail_error("report", &err);
    for (int k = 0; k < a->n_results; k++)
        if (truce_report_add_results(r, a->results[k], &err))
            return cli_fail("report", "%s", err.message);
    if (truce_report_write_html(r, a->output, &err))
        return cli_fail("report", "%s", err.message);
    if (a->svg_dir) {
        int rc = make_dir(a->svg_dir);
        if (rc)
            return rc;
        if (truce_report_write_svg(r, a->svg_dir, &err))
            return cli_fail("report", "%s", err.message);
    }
    return EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    truce_report_options ro = TRUCE_REPORT_OPTIONS_INIT;
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    truce_analysis_options ao = TRUCE_ANALYSIS_OPTIONS_INIT;
    ro.limits = cli_limits();
    a.report = ro;
    a.load = lo;
    a.analysis = ao;
    a.robust_samples = 10000;
    a.scenario = calloc((size_t)argc + 1, sizeof *a.scenario);
    a.traces = calloc((size_t)argc + 1, sizeof *a.traces);
    a.results = calloc((size_t)argc + 1, sizeof *a.results);
    int rc = a.scenario && a.traces && a.results ? parse_args(argc, argv, &a)
                                                 : cli_fail("report", "out of memory");
    truce_report *r = NULL;
    truce_scenario *s = NULL;
    truce_analysis *an = NULL;
    truce_error err;
    if (!rc && truce_report_create(&r, &a.report, &err))
        rc = cli_fail("report", "%s", err.message);
    if (!rc)
        rc = build(&a, r, &s, &an);
    if (!rc) {
        printf("%s\n", a.output);
        for (size_t k = 0; a.svg_dir && k < truce_report_figure_count(r); k++)
            printf("%s/%s\n", a.svg_dir, truce_report_figure_name(r, k));
        if (cli_flush_stdout() != 0)
            rc = EXIT_INPUT;
    }
    truce_report_free(r);
    truce_analysis_free(an);
    truce_scenario_free(s);
    free(a.scenario);
    free(a.traces);
    free(a.results);
    return rc < 0 ? EXIT_OK : rc;
}
