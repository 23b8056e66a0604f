/* test_limits.c: truce_limits (docs/limits.md): every limit refuses the input just over it with
 * TRUCE_ELIMIT naming it, loads the input at it, and the defaults load the whole corpus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* ------------------------------------------------------------------ */
/* Hand-made inputs                                                   */
/* ------------------------------------------------------------------ */

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        /* no buffer yet: measure only (NULL + 0 is undefined) */
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (t->s && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + (size_t)n + 64;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
}

typedef struct genius_files {
    char domain[512], profile[512], dir[256];
} genius_files;

/* A GENIUS scenario in a fresh folder: n_issues discrete issues of
 * n_options options each, one linear profile; the profile's objective is
 * wrapped in `nesting` extra <objective> levels (so its deepest element,
 * <item>, sits at level 3 + nesting + 1). */
static void write_genius(genius_files *g, int n_issues, int n_options, int nesting)
{
    text d = {0}, p = {0};
    add(&d, "<negotiation_template><utility_space><objective>\n");
    add(&p, "<utility_space><objective>\n");
    for (int k = 0; k < nesting; k++)
        add(&p, "<objective>");
    for (int i = 1; i <= n_issues; i++) {
        add(&d, "<issue index=\"%d\" name=\"i%d\" type=\"discrete\">", i, i);
        add(&p, "<issue index=\"%d\" name=\"i%d\" type=\"discrete\">", i, i);
        for (int k = 0; k < n_options; k++) {
            add(&d, "<item value=\"o%d\"/>", k);
            add(&p, "<item value=\"o%d\" evaluation=\"%d\"/>", k, k + 1);
        }
        add(&d, "</issue>\n");
        add(&p, "</issue><weight index=\"%d\" value=\"%.17g\"/>\n", i, 1.0 / n_issues);
    }
    for (int k = 0; k < nesting; k++)
        add(&p, "</objective>");
    add(&d, "</objective></utility_space></negotiation_template>\n");
    add(&p, "</objective></utility_space>\n");
    snprintf(g->dir, sizeof g->dir, "%s", temp_dir());
    snprintf(g->domain, sizeof g->domain, "%s/domain.xml", g->dir);
    snprintf(g->profile, sizeof g->profile, "%s/a.xml", g->dir);
    FILE *f = fopen(g->domain, "w");
    fputs(d.s, f);
    fclose(f);
    f = fopen(g->profile, "w");
    fputs(p.s, f);
    fclose(f);
    free(d.s);
    free(p.s);
}

/* A native scenario: n_issues discrete issues of n_options options and
 * n_parties parties valuing them all; `extra` appended at the top level. */
static const char *write_yaml(int n_issues, int n_options, int n_parties, const char *extra)
{
    text t = {0};
    add(&t, "truce: 1\nname: limits\nissues:\n");
    for (int i = 0; i < n_issues; i++) {
        add(&t, "  - id: i%d\n    options: [", i);
        for (int k = 0; k < n_options; k++)
            add(&t, "%so%d", k ? ", " : "", k);
        add(&t, "]\n");
    }
    add(&t, "parties:\n");
    for (int p = 0; p < n_parties; p++) {
        add(&t, "  - id: p%d\n    weights: {", p);
        for (int i = 0; i < n_issues; i++)
            add(&t, "%si%d: 1", i ? ", " : "", i);
        add(&t, "}\n    values: {");
        for (int i = 0; i < n_issues; i++) {
            add(&t, "%si%d: {", i ? ", " : "", i);
            for (int k = 0; k < n_options; k++)
                add(&t, "%so%d: %d", k ? ", " : "", k, k);
            add(&t, "}");
        }
        add(&t, "}\n");
    }
    add(&t, "%s", extra ? extra : "");
    const char *path = temp_file("limits.yaml", t.s);
    free(t.s);
    return path;
}

static truce_load_options with(const truce_limits *limits)
{
    truce_load_options o = TRUCE_LOAD_OPTIONS_INIT;
    o.limits = limits;
    return o;
}

/* A limit exceeded: TRUCE_ELIMIT, the limit in err.field, and a message
 * that names the place, the limit and its value. */
static void assert_limit(int rc, const truce_error *err, const char *name, const char *place,
                         const char *value_text)
{
    if (rc != TRUCE_ELIMIT)
        fail_msg("expected TRUCE_ELIMIT for %s, got %s: %s", name, truce_strerror(rc),
                 err->message);
    assert_int_equal(err->code, TRUCE_ELIMIT);
    assert_string_equal(err->field, name);
    char expected[128];
    snprintf(expected, sizeof expected, "more than the limit %s = %s", name, value_text);
    assert_contains(err->message, expected);
    assert_contains(err->message, place);
    assert_null(strchr(err->message, '\n'));
}

static int load_genius(const genius_files *g, const truce_limits *limits, truce_error *err)
{
    truce_load_options o = with(limits);
    truce_scenario *s = NULL;
    const char *profiles[] = {g->profile};
    int rc = truce_scenario_load_genius(&s, g->domain, profiles, 1, &o, err);
    truce_scenario_free(s);
    return rc;
}

static int load_path(const char *path, const truce_limits *limits, truce_error *err)
{
    truce_load_options o = with(limits);
    truce_scenario *s = NULL;
    int rc = truce_scenario_load(&s, path, &o, err);
    truce_scenario_free(s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Each limit                                                         */
/* ------------------------------------------------------------------ */

static void test_max_issues_refuses_one_issue_more(void **state)
{
    (void)state;
    genius_files g;
    write_genius(&g, 5, 2, 0);
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_error err;
    l.max_issues = 5;
    assert_int_equal(load_genius(&g, &l, &err), 0);
    l.max_issues = 4;
    assert_limit(load_genius(&g, &l, &err), &err, "max_issues", "domain.xml", "4");
    assert_contains(err.message, "the domain has 5 issues");
    const char *yaml = write_yaml(5, 2, 1, NULL);
    l.max_issues = 5;
    assert_int_equal(load_path(yaml, &l, &err), 0);
    l.max_issues = 4;
    assert_limit(load_path(yaml, &l, &err), &err, "max_issues", "limits.yaml:4:", "4");
}

static void test_max_options_refuses_an_issue_with_one_option_more(void **state)
{
    (void)state;
    genius_files g;
    write_genius(&g, 2, 7, 0);
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_error err;
    l.max_options = 7;
    assert_int_equal(load_genius(&g, &l, &err), 0);
    l.max_options = 6;
    assert_limit(load_genius(&g, &l, &err), &err, "max_options", "domain.xml:2:", "6");
    assert_contains(err.message, "issue 'i1' has 7 options");
    const char *yaml = write_yaml(2, 7, 1, NULL);
    l.max_options = 7;
    assert_int_equal(load_path(yaml, &l, &err), 0);
    l.max_options = 6;
    assert_limit(load_path(yaml, &l, &err), &err, "max_options", "limits.yaml:5:", "6");
}

static void test_max_options_bounds_integer_ranges_and_real_steps(void **state)
{
    (void)state;
    /* [-3, 3] holds 7 integers; a real issue of 11 steps (the default) */
    const char *domain = temp_file(
        "d.xml",
        "<negotiation_template><utility_space><objective>"
        "<issue index=\"1\" name=\"n\" type=\"integer\" lowerbound=\"-3\" upperbound=\"3\"/>"
        "</objective></utility_space></negotiation_template>\n");
    const char *profile = temp_file(
        "p.xml", "<utility_space><objective><issue index=\"1\" name=\"n\" type=\"integer\">"
                 "<evaluator ftype=\"linear\" slope=\"0.1\" offset=\"0\"/></issue>"
                 "<weight index=\"1\" value=\"1\"/></objective></utility_space>\n");
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_load_options o = with(&l);
    truce_scenario *s = NULL;
    truce_error err;
    l.max_options = 7;
    assert_int_equal(truce_scenario_load_genius(&s, domain, &profile, 1, &o, &err), 0);
    truce_scenario_free(s);
    l.max_options = 6;
    assert_limit(truce_scenario_load_genius(&s, domain, &profile, 1, &o, &err), &err, "max_options",
                 "d.xml:1:", "6");
    assert_contains(err.message, "has 7 values");
    const char *yaml = temp_file("r.yaml", "truce: 1\nname: r\nissues:\n"
                                           "  - id: x\n    type: real\n    range: [0, 1]\n"
                                           "    steps: 11\n"
                                           "parties:\n  - id: p\n");
    l.max_options = 10;
    assert_limit(load_path(yaml, &l, &err), &err, "max_options", "r.yaml:7:", "10");
    assert_contains(err.message, "has 11 steps");
}

/* The load options' own max_issue_values still applies; the smaller of the
 * two bounds options, and the message names the one that did. */
static void test_max_issue_values_and_max_options_the_smaller_applies(void **state)
{
    (void)state;
    genius_files g;
    write_genius(&g, 1, 5, 0);
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_load_options o = with(&l);
    o.max_issue_values = 4;
    truce_scenario *s = NULL;
    truce_error err;
    const char *profiles[] = {g.profile};
    assert_limit(truce_scenario_load_genius(&s, g.domain, profiles, 1, &o, &err), &err,
                 "max_issue_values", "domain.xml", "4");
    o.max_issue_values = 100;
    l.max_options = 3;
    assert_limit(truce_scenario_load_genius(&s, g.domain, profiles, 1, &o, &err), &err,
                 "max_options", "domain.xml", "3");
}

static void test_max_options_total_sums_the_issues(void **state)
{
    (void)state;
    genius_files g;
    write_genius(&g, 3, 4, 0); /* 12 options in all */
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_error err;
    l.max_options_total = 12;
    assert_int_equal(load_genius(&g, &l, &err), 0);
    l.max_options_total = 11;
    assert_limit(load_genius(&g, &l, &err), &err, "max_options_total", "domain.xml", "11");
    assert_contains(err.message, "the 3 issues have 12 options in all");
    const char *yaml = write_yaml(3, 4, 1, NULL);
    assert_limit(load_path(yaml, &l, &err), &err, "max_options_total", "limits.yaml", "11");
}

/* Options summed over many wide integer issues once overflowed the 32-bit
 * option offsets: the default limit stops such a file long before. */
static void test_default_total_options_stops_a_small_file_asking_for_billions(void **state)
{
    (void)state;
    text t = {0};
    add(&t, "truce: 1\nname: wide\nissues:\n");
    for (int i = 0; i < 5000; i++)
        add(&t, "  - {id: n%d, type: integer, range: [0, 999999]}\n", i);
    add(&t, "parties:\n  - id: p\n");
    const char *path = temp_file("wide.yaml", t.s);
    free(t.s);
    truce_error err;
    assert_limit(load_path(path, NULL, &err), &err, "max_options_total", "wide.yaml", "4000000");
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void test_max_parties_counts_profiles_and_parties(void **state)
{
    (void)state;
    genius_files g;
    write_genius(&g, 2, 2, 0);
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_load_options o = with(&l);
    truce_scenario *s = NULL;
    truce_error err;
    /* three files: parties are named after their files, so one file three times is refused */
    char b[600], c[600];
    snprintf(b, sizeof b, "%s/b.xml", g.dir);
    snprintf(c, sizeof c, "%s/c.xml", g.dir);
    copy_file(g.profile, b);
    copy_file(g.profile, c);
    const char *profiles[] = {g.profile, b, c};
    l.max_parties = 3;
    assert_int_equal(truce_scenario_load_genius(&s, g.domain, profiles, 3, &o, &err), 0);
    truce_scenario_free(s);
    l.max_parties = 2;
    assert_limit(truce_scenario_load_genius(&s, g.domain, profiles, 3, &o, &err), &err,
                 "max_parties", "domain.xml", "2");
    assert_contains(err.message, "3 profiles");
    const char *yaml = write_yaml(1, 2, 3, NULL);
    assert_limit(load_path(yaml, &l, &err), &err, "max_parties", "limits.yaml", "2");
    assert_contains(err.message, "3 parties");
}

static void test_max_file_bytes_refuses_before_reading(void **state)
{
    (void)state;
    genius_files g;
    write_genius(&g, 2, 2, 0);
    long size = 0; /* of the larger file, the profile */
    const char *files[] = {g.domain, g.profile};
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen(files[k], "r");
        fseek(f, 0, SEEK_END);
        if (ftell(f) > size)
            size = ftell(f);
        fclose(f);
    }
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_error err;
    l.max_file_bytes = (uint64_t)size;
    assert_int_equal(load_genius(&g, &l, &err), 0);
    l.max_file_bytes = (uint64_t)size - 1;
    char expected[64];
    snprintf(expected, sizeof expected, "%ld", size - 1);
    assert_limit(load_genius(&g, &l, &err), &err, "max_file_bytes", "a.xml", expected);
    /* the folder loader too */
    assert_limit(load_path(g.dir, &l, &err), &err, "max_file_bytes", ".xml", expected);
    const char *yaml = write_yaml(1, 2, 1, NULL);
    l.max_file_bytes = 10;
    assert_limit(load_path(yaml, &l, &err), &err, "max_file_bytes", "limits.yaml", "10");
}

static void test_max_depth_bounds_xml_nesting(void **state)
{
    (void)state;
    genius_files g;
    /* utility_space 1, objective 2, 3 nested objectives 3..5, issue 6, item 7 */
    write_genius(&g, 1, 2, 3);
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_error err;
    l.max_depth = 7;
    assert_int_equal(load_genius(&g, &l, &err), 0);
    l.max_depth = 6;
    assert_limit(load_genius(&g, &l, &err), &err, "max_depth", "a.xml", "6");
    assert_contains(err.message, "element <item> is nested 7 levels deep");
}

static void test_max_depth_bounds_nested_ufuns(void **state)
{
    (void)state;
    const char *domain = temp_file(
        "d.xml",
        "<negotiation_template><utility_space><objective>"
        "<issue index=\"1\" name=\"n\" type=\"integer\" lowerbound=\"0\" upperbound=\"3\"/>"
        "</objective></utility_space></negotiation_template>\n");
    text t = {0};
    add(&t, "<utility_space type=\"nonlinear\"><utility maxutility=\"1\">");
    for (int k = 0; k < 10; k++)
        add(&t, "<ufun>");
    add(&t, "<hyperRectangle utility=\"1\"/>");
    for (int k = 0; k < 10; k++)
        add(&t, "</ufun>");
    add(&t, "</utility></utility_space>\n");
    const char *profile = temp_file("p.xml", t.s);
    free(t.s);
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_load_options o = with(&l);
    truce_scenario *s = NULL;
    truce_error err;
    /* the deepest element, <hyperRectangle>, is at level 13: ufuns at 3..12 */
    l.max_depth = 13;
    assert_int_equal(truce_scenario_load_genius(&s, domain, &profile, 1, &o, &err), 0);
    truce_scenario_free(s);
    l.max_depth = 12; /* the XML is too deep now, before any ufun is read */
    assert_limit(truce_scenario_load_genius(&s, domain, &profile, 1, &o, &err), &err, "max_depth",
                 "p.xml", "12");
}

static void test_max_depth_bounds_yaml_nesting(void **state)
{
    (void)state;
    /* the document is level 1, 'description' and its value 2, so x is at
     * level 7; the parties' values go down to level 6 (parties, party,
     * values, issue, option's value) */
    const char *yaml = write_yaml(1, 2, 1, "description: [[[[[x]]]]]\n");
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_error err;
    l.max_depth = 7;
    int rc = load_path(yaml, &l, &err);
    /* a description must be text: this one is refused, but not for depth */
    assert_int_equal(rc, TRUCE_EINVAL);
    l.max_depth = 6;
    assert_limit(load_path(yaml, &l, &err), &err, "max_depth", "limits.yaml:", "6");
    assert_contains(err.message, "nested 7 levels deep");
}

/* ------------------------------------------------------------------ */
/* Defaults, versions, names                                          */
/* ------------------------------------------------------------------ */

static void test_defaults_load_every_corpus_scenario(void **state)
{
    (void)state;
    require_corpus();
    size_t n = 0;
    char **folders = corpus_folders(&n);
    assert_true(n > 50);
    truce_limits l = TRUCE_LIMITS_INIT;
    size_t most_issues = 0;
    for (size_t k = 0; k < n; k++) {
        truce_scenario *s = NULL;
        truce_error err;
        truce_load_options o = with(&l);
        if (truce_scenario_load(&s, folders[k], &o, &err))
            fail_msg("%s: %s", folders[k], err.message);
        if (truce_scenario_issue_count(s) > most_issues)
            most_issues = truce_scenario_issue_count(s);
        truce_scenario_free(s);
        /* NULL options mean the same defaults */
        if (truce_scenario_load(&s, folders[k], NULL, &err))
            fail_msg("%s: %s", folders[k], err.message);
        truce_scenario_free(s);
    }
    printf("%zu corpus scenarios load under the default limits (up to %zu issues)\n", n,
           most_issues);
    assert_true(most_issues >= 40); /* anac/y2014/50issues declares 40 */
    free_strings(folders, n);
}

/* Callers built against version 1 of truce_load_options have no `limits`
 * field: whatever follows their struct must not be read. */
static void test_version_1_load_options_get_the_default_limits(void **state)
{
    (void)state;
    genius_files g;
    write_genius(&g, 3, 2, 0);
    truce_limits tiny = TRUCE_LIMITS_INIT;
    tiny.max_issues = 1;
    truce_load_options o = with(&tiny);
    o.version = 1; /* `limits` is then garbage from the caller's point of view */
    truce_scenario *s = NULL;
    truce_error err;
    const char *profiles[] = {g.profile};
    assert_int_equal(truce_scenario_load_genius(&s, g.domain, profiles, 1, &o, &err), 0);
    truce_scenario_free(s);
    o.version = TRUCE_LOAD_OPTIONS_VERSION + 1; /* no such version yet */
    assert_int_equal(truce_scenario_load_genius(&s, g.domain, profiles, 1, &o, &err), TRUCE_EINVAL);
    o.version = 2;
    tiny.version = TRUCE_LIMITS_VERSION + 1;
    assert_int_equal(truce_scenario_load_genius(&s, g.domain, profiles, 1, &o, &err), TRUCE_EINVAL);
    assert_contains(err.message, "truce_limits version 3 is not 1 to 2");
    /* a version 1 struct has no max_name_bytes: what follows it is not read (0 here would
     * otherwise be refused as a limit below 1) */
    tiny.version = 1;
    tiny.max_issues = 10;
    tiny.max_name_bytes = 0;
    assert_int_equal(truce_scenario_load_genius(&s, g.domain, profiles, 1, &o, &err), 0);
    truce_scenario_free(s);
    assert_int_equal(truce_limits_set(&tiny, "max_name_bytes", "5", &err), TRUCE_EINVAL);
    assert_contains(err.message, "max_name_bytes needs truce_limits version 2");
    tiny.version = TRUCE_LIMITS_VERSION;
    tiny.max_depth = 0;
    assert_int_equal(truce_scenario_load_genius(&s, g.domain, profiles, 1, &o, &err), TRUCE_EINVAL);
    assert_contains(err.message, "max_depth must be at least 1");
}

static void test_limits_are_set_and_listed_by_name(void **state)
{
    (void)state;
    truce_limits l = TRUCE_LIMITS_INIT;
    truce_error err;
    /* the defaults docs/limits.md gives */
    static const struct {
        const char *name;
        double value;
    } defaults[] = {{"max_file_bytes", 67108864}, {"max_issues", 10000},
                    {"max_options", 1000000},     {"max_options_total", 4000000},
                    {"max_parties", 100},         {"max_depth", 64},
                    {"max_trace_line", 16777216}, {"max_message_bytes", 16777216},
                    {"max_message_rate", 1000},   {"max_name_bytes", 4096}};
    size_t n = sizeof defaults / sizeof defaults[0];
    for (size_t k = 0; k < n; k++) {
        assert_string_equal(truce_limits_name(k), defaults[k].name);
        assert_true(truce_limits_get(&l, k) == defaults[k].value);
    }
    assert_null(truce_limits_name(n));
    assert_int_equal(truce_limits_set(&l, "max_issues", "200", &err), 0);
    assert_int_equal(l.max_issues, 200);
    assert_int_equal(truce_limits_set(&l, "max_file_bytes", "1e9", &err), 0);
    assert_true(l.max_file_bytes == 1000000000u);
    assert_int_equal(truce_limits_set(&l, "max_message_rate", "2.5", &err), 0);
    assert_true(l.max_message_rate == 2.5);
    assert_int_equal(truce_limits_set(&l, "max_issues", "0", &err), TRUCE_EINVAL);
    assert_int_equal(truce_limits_set(&l, "max_issues", "1.5", &err), TRUCE_EINVAL);
    assert_int_equal(truce_limits_set(&l, "max_issues", "4294967296", &err), TRUCE_EINVAL);
    assert_int_equal(truce_limits_set(&l, "max_issues", "12x", &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "max_issues");
    assert_int_equal(l.max_issues, 200); /* untouched by refusals */
    assert_int_equal(truce_limits_set(&l, "max_isues", "3", &err), TRUCE_ENOTFOUND);
    assert_contains(err.message, "unknown limit 'max_isues'");
    assert_contains(err.message, "max_message_rate"); /* the names are listed */
}

/* ------------------------------------------------------------------ */
/* Traces read back                                                   */
/* ------------------------------------------------------------------ */

/* The longest line of a file (without its newline) and the first line that long. */
static size_t longest_line(const char *path, size_t *at)
{
    char *content = slurp_file(path);
    size_t longest = 0, line = 0, len = 0;
    *at = 0;
    for (const char *p = content; *p; p++) {
        if (*p != '\n') {
            len++;
            continue;
        }
        line++;
        if (len > longest) {
            longest = len;
            *at = line;
        }
        len = 0;
    }
    free(content);
    return longest;
}

static int add_trace_limited(const char *trace, uint64_t max_line, truce_error *err)
{
    truce_limits limits = TRUCE_LIMITS_INIT;
    limits.max_trace_line = max_line;
    truce_report_options ro = TRUCE_REPORT_OPTIONS_INIT;
    ro.limits = &limits;
    truce_report *r = NULL;
    assert_int_equal(truce_report_create(&r, &ro, err), 0);
    int rc = truce_report_add_trace(r, trace, NULL, NULL, err);
    truce_report_free(r);
    return rc;
}

static void test_max_trace_line_bounds_each_record(void **state)
{
    (void)state;
    const char *trace = temp_path("t.jsonl");
    const char *const negotiate[] = {"negotiate",
                                     "--agents",
                                     "boulware,conceder",
                                     "--rounds",
                                     "30",
                                     "--trace",
                                     trace,
                                     TRUCE_EXAMPLES "/genius/ceasefire",
                                     NULL};
    cli_result ok = cli_run_ok(negotiate);
    cli_run_free(&ok);
    size_t at;
    size_t longest = longest_line(trace, &at);
    assert_true(longest > 100 && at >= 1);
    truce_error err;
    /* the longest record fits exactly (its newline is not counted) */
    assert_int_equal(add_trace_limited(trace, longest, &err), 0);
    /* one byte less: refused at that record's line, naming the limit */
    assert_int_equal(add_trace_limited(trace, longest - 1, &err), TRUCE_ELIMIT);
    assert_string_equal(err.field, "max_trace_line");
    assert_int_equal(err.line, (int)at);
    char expected[160];
    snprintf(expected, sizeof expected, "longer than the limit max_trace_line = %zu bytes",
             longest - 1);
    assert_contains(err.message, expected);
    /* the command line says how to raise it */
    char limit[64];
    snprintf(limit, sizeof limit, "max_trace_line=%zu", longest - 1);
    const char *const report[] = {"report", trace, "--limit", limit, "-o", temp_path("r.html"),
                                  NULL};
    cli_result r = cli_run(report);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, expected);
    assert_contains(r.err, "(raise it with --limit max_trace_line=N)");
    cli_run_free(&r);
    /* version 1 report options (no limits) get the default */
    truce_report_options v1 = TRUCE_REPORT_OPTIONS_INIT;
    v1.version = 1;
    truce_report *rep = NULL;
    assert_int_equal(truce_report_create(&rep, &v1, &err), 0);
    assert_int_equal(truce_report_add_trace(rep, trace, NULL, NULL, &err), 0);
    truce_report_free(rep);
}

/* ------------------------------------------------------------------ */
/* The command line                                                   */
/* ------------------------------------------------------------------ */

static void test_cli_limit_flag_names_the_limit_and_how_to_raise_it(void **state)
{
    (void)state;
    genius_files g;
    write_genius(&g, 3, 2, 0);
    const char *seed = TRUCE_EXAMPLES "/seed/truce-talks.yaml";
    struct {
        const char *const args[10];
        const char *expected;
    } cases[] = {
        {{"analyze", "--limit", "max_issues=2", g.dir, NULL},
         "the domain has 3 issues, more than the limit max_issues = 2 (raise it with --limit "
         "max_issues=N)"},
        {{"check", seed, "--limit=max_parties=2", NULL}, "more than the limit max_parties = 2"},
        {{"advise", "--limit", "max_options=1", seed, "--party", "ukraine", "--acceptable-to",
          "russia", NULL},
         "more than the limit max_options = 1 (raise it with --limit max_options=N)"},
        {{"negotiate", "--agents", "boulware,conceder", "--limit", "max_depth=2", g.dir, NULL},
         "more than the limit max_depth = 2"},
        {{"mediate", "--limit", "max_file_bytes=100", seed, NULL},
         "more than the limit max_file_bytes = 100 (raise it with --limit max_file_bytes=N)"},
        {{"convert", g.dir, "-o", "/tmp/never.yaml", "--limit", "max_options_total=5", NULL},
         "more than the limit max_options_total = 5"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        cli_result r = cli_run(cases[k].args);
        if (r.status != 1)
            fail_msg("truce %s: exit %d, stderr %s", cases[k].args[0], r.status, r.err);
        assert_one_line(r.err);
        assert_contains(r.err, cases[k].expected);
        cli_run_free(&r);
    }
    /* raised, the same inputs load */
    const char *const raised[] = {"analyze", "--limit", "max_issues=3", g.dir, NULL};
    cli_result r = cli_run_ok(raised);
    cli_run_free(&r);
}

static void test_cli_bad_limit_is_a_usage_error(void **state)
{
    (void)state;
    const char *seed = TRUCE_EXAMPLES "/seed/truce-talks.yaml";
    const char *const unknown[] = {"check", "--limit", "max_bogus=3", seed, NULL};
    cli_result r = cli_run(unknown);
    assert_int_equal(r.status, 2);
    assert_one_line(r.err);
    assert_contains(r.err, "unknown limit 'max_bogus'");
    cli_run_free(&r);
    const char *const zero[] = {"check", "--limit", "max_issues=0", seed, NULL};
    r = cli_run(zero);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "limit max_issues needs a whole number from 1");
    cli_run_free(&r);
    const char *const shape[] = {"check", "--limit", "max_issues", seed, NULL};
    r = cli_run(shape);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--limit needs NAME=N");
    cli_run_free(&r);
    const char *const help[] = {"--help", NULL};
    r = cli_run_ok(help);
    assert_contains(r.out, "--limit NAME=N");
    cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_issues_refuses_one_issue_more),
        cmocka_unit_test(test_max_options_refuses_an_issue_with_one_option_more),
        cmocka_unit_test(test_max_options_bounds_integer_ranges_and_real_steps),
        cmocka_unit_test(test_max_issue_values_and_max_options_the_smaller_applies),
        cmocka_unit_test(test_max_options_total_sums_the_issues),
        cmocka_unit_test(test_default_total_options_stops_a_small_file_asking_for_billions),
        cmocka_unit_test(test_max_parties_counts_profiles_and_parties),
        cmocka_unit_test(test_max_file_bytes_refuses_before_reading),
        cmocka_unit_test(test_max_depth_bounds_xml_nesting),
        cmocka_unit_test(test_max_depth_bounds_nested_ufuns),
        cmocka_unit_test(test_max_depth_bounds_yaml_nesting),
        cmocka_unit_test(test_version_1_load_options_get_the_default_limits),
        cmocka_unit_test(test_limits_are_set_and_listed_by_name),
        cmocka_unit_test(test_max_trace_line_bounds_each_record),
        cmocka_unit_test(test_cli_limit_flag_names_the_limit_and_how_to_raise_it),
        cmocka_unit_test(test_cli_bad_limit_is_a_usage_error),
        cmocka_unit_test(test_defaults_load_every_corpus_scenario),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
