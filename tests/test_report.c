/* test_report.c: the report module (src/report) through truce_report_*: SVG placed at the
 * coordinates of the documented mapping, well-formed XML, trace and database errors, writes. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SMALL TRUCE_TEST_DATA "/report/small.yaml"
#define SEED TRUCE_EXAMPLES "/seed/truce-talks.yaml"
#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"

/* ---- helpers ---- */

typedef struct fixture {
    truce_scenario *s;
    truce_analysis *an;
    truce_report *r;
} fixture;

static fixture load(const char *path, const truce_report_options *o)
{
    fixture f = {0};
    truce_error err;
    if (truce_scenario_load(&f.s, path, NULL, &err))
        fail_msg("%s", err.message);
    if (truce_analyze(&f.an, f.s, NULL, &err))
        fail_msg("%s", err.message);
    if (truce_report_create(&f.r, o, &err))
        fail_msg("%s", err.message);
    return f;
}

static void unload(fixture *f)
{
    truce_report_free(f->r);
    truce_analysis_free(f->an);
    truce_scenario_free(f->s);
}

/* The standalone SVG of figure k, parsed (fails the test when not
 * well-formed XML). */
static xmlDocPtr figure_doc(truce_report *r, size_t k)
{
    const char *dir = temp_dir();
    truce_error err;
    if (truce_report_write_svg(r, dir, &err))
        fail_msg("%s", err.message);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, truce_report_figure_name(r, k));
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    if (!doc)
        fail_msg("%s is not well-formed XML", path);
    /* the figure a program gets in memory is the file's text after its
     * XML declaration */
    char *text = slurp_file(path);
    const char *declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert_true(!strncmp(text, declaration, strlen(declaration)));
    assert_string_equal(truce_report_figure_svg(r, k), text + strlen(declaration));
    free(text);
    assert_null(truce_report_figure_svg(r, truce_report_figure_count(r)));
    return doc;
}

static xmlXPathObjectPtr select_nodes(xmlDocPtr doc, const char *xpath)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    assert_non_null(ctx);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
    xmlXPathFreeContext(ctx);
    assert_non_null(o);
    return o;
}

static size_t count_nodes(xmlDocPtr doc, const char *xpath)
{
    xmlXPathObjectPtr o = select_nodes(doc, xpath);
    size_t n = o->nodesetval ? (size_t)o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

static double attr(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    if (!v)
        fail_msg("no attribute %s", name);
    double d = strtod((const char *)v, NULL);
    xmlFree(v);
    return d;
}

/* The plot mapping documented in docs/reports.md and src/report/svg.h. */
typedef struct mapping {
    double x0, y0, width, height, xmin, xmax, ymin, ymax;
} mapping;

static mapping plot_mapping(xmlDocPtr doc, const char *cls)
{
    char xpath[200];
    snprintf(xpath, sizeof xpath, "//*[local-name()='g' and @class='%s']", cls);
    xmlXPathObjectPtr o = select_nodes(doc, xpath);
    assert_true(o->nodesetval && o->nodesetval->nodeNr == 1);
    xmlNodePtr g = o->nodesetval->nodeTab[0];
    mapping m = {attr(g, "data-x0"),     attr(g, "data-y0"),   attr(g, "data-width"),
                 attr(g, "data-height"), attr(g, "data-xmin"), attr(g, "data-xmax"),
                 attr(g, "data-ymin"),   attr(g, "data-ymax")};
    xmlXPathFreeObject(o);
    return m;
}

static double map_x(const mapping *m, double x)
{
    return m->x0 + (x - m->xmin) / (m->xmax - m->xmin) * m->width;
}

static double map_y(const mapping *m, double y)
{
    return m->y0 + m->height - (y - m->ymin) / (m->ymax - m->ymin) * m->height;
}

/* Some element matching xpath has (attribute ax, attribute ay) within 0.06
 * px of (x, y). */
static int found_at(xmlDocPtr doc, const char *xpath, const char *ax, const char *ay, double x,
                    double y)
{
    xmlXPathObjectPtr o = select_nodes(doc, xpath);
    int found = 0;
    for (int k = 0; o->nodesetval && k < o->nodesetval->nodeNr && !found; k++) {
        xmlNodePtr n = o->nodesetval->nodeTab[k];
        found = fabs(attr(n, ax) - x) < 0.06 && fabs(attr(n, ay) - y) < 0.06;
    }
    xmlXPathFreeObject(o);
    return found;
}

/* Not inlined: gcc 12 at -O2 would see html's address passed out and take every pointer into the
 * page for one into this frame (-Werror=dangling-pointer at the callers). */
__attribute__((noinline)) static char *html_of(truce_report *r)
{
    char *html = NULL;
    size_t len = 0;
    truce_error err;
    if (truce_report_html(r, &html, &len, &err))
        fail_msg("%s", err.message);
    assert_int_equal(strlen(html), len);
    return html;
}

static size_t occurrences(const char *text, const char *part)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, part)); p += strlen(part))
        n++;
    return n;
}

/* ---- the analysis plot ---- */

static void test_pareto_points_sit_at_the_documented_coordinates(void **state)
{
    (void)state;
    fixture f = load(SMALL, NULL);
    truce_error err;
    assert_int_equal(truce_report_add_analysis(f.r, f.s, f.an, &err), 0);
    assert_int_equal(truce_report_figure_count(f.r), 1);
    xmlDocPtr doc = figure_doc(f.r, 0);
    mapping m = plot_mapping(doc, "plot utility-space");
    /* the constants of docs/reports.md: utilities from 0 to 1 on 400 x 400 px */
    assert_close(m.x0, 70, 0);
    assert_close(m.y0, 20, 0);
    assert_close(m.width, 400, 0);
    assert_close(m.height, 400, 0);
    assert_close(m.xmin, 0, 0);
    assert_close(m.xmax, 1, 0);
    assert_close(m.ymin, 0, 0);
    assert_close(m.ymax, 1, 0);
    /* the hand-computed frontier of tests/data/report/small.yaml, among the
     * feasible outcomes (bob vetoes a=x) */
    static const double front[4][2] = {{0.7, 0.25}, {0.4, 0.5}, {0.3, 0.75}, {0, 1}};
    const char *pareto = "//*[local-name()='circle' and @class='pareto']";
    assert_int_equal(count_nodes(doc, pareto), 4);
    for (int k = 0; k < 4; k++) {
        /* independently: x = 70 + u * 400, y = 20 + 400 - v * 400 */
        double x = 70 + front[k][0] * 400, y = 420 - front[k][1] * 400;
        assert_close(map_x(&m, front[k][0]), x, 1e-9);
        if (!found_at(doc, pareto, "cx", "cy", x, y))
            fail_msg("no Pareto point at (%g, %g) for utilities (%g, %g)", x, y, front[k][0],
                     front[k][1]);
    }
    /* every outcome is drawn: four allowed dots, two vetoed crosses (bob vetoes a=x) */
    assert_int_equal(count_nodes(doc, "//*[@class='outcome']"), 4);
    assert_int_equal(count_nodes(doc, "//*[@class='vetoed']"), 2);
    assert_true(found_at(doc, "//*[@class='outcome']", "cx", "cy", 70 + 0.4 * 400, 420 - 200));
    /* reservation lines at alice 0.2 (x = 150) and bob 0.3 (y = 300) */
    assert_true(
        found_at(doc, "//*[local-name()='line' and @class='reservation']", "x1", "x2", 150, 150));
    assert_true(
        found_at(doc, "//*[local-name()='line' and @class='reservation']", "y1", "y2", 300, 300));
    /* the Nash point (0.3, 0.75): (0.3 - 0.2)(0.75 - 0.3) = 0.045 beats (0.4, 0.5)'s
     * 0.04; the vetoed (0.6, 0.5) would have won; named in its tooltip */
    assert_int_equal(count_nodes(doc, "//*[@class='nash']"), 1);
    assert_int_equal(count_nodes(doc, "//*[@class='nash']/*[local-name()='title' and "
                                      "text()='Nash point: alice 0.3, bob 0.75']"),
                     1);
    xmlFreeDoc(doc);
    /* the page holds the same figure inline, and no script */
    char *html = html_of(f.r);
    assert_contains(html, "<!DOCTYPE html>");
    assert_contains(html, "class=\"plot utility-space\"");
    assert_null(strstr(html, "<script"));
    /* nothing fetched: the only address is the SVG namespace */
    assert_int_equal(occurrences(html, "http"), occurrences(html, "http://www.w3.org/2000/svg"));
    free(html);
    unload(&f);
}

static void test_pairs_of_three_principals_each_get_a_plot(void **state)
{
    (void)state;
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = 3;
    g.n_options = 3;
    g.n_parties = 3;
    truce_scenario *s = NULL;
    truce_analysis *an = NULL;
    truce_report *r = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_generate(&s, &g, &err), 0);
    assert_int_equal(truce_analyze(&an, s, NULL, &err), 0);
    assert_int_equal(truce_report_create(&r, NULL, &err), 0);
    assert_int_equal(truce_report_add_analysis(r, s, an, &err), 0);
    assert_int_equal(truce_report_figure_count(r), 3);
    /* the pair's frontier is the non-dominated part of the projected
     * frontier: check plot 0 (parties 0 and 1) against brute force */
    brute b;
    brute_force(s, &b);
    size_t expected = 0;
    for (uint64_t i = 0; i < b.n_outcomes; i++) {
        const double *u = &b.u[i * 3];
        int dominated = 0, duplicate = 0;
        for (uint64_t j = 0; j < b.n_outcomes && !dominated; j++) {
            const double *v = &b.u[j * 3];
            dominated = v[0] >= u[0] - 1e-12 && v[1] >= u[1] - 1e-12 &&
                        (v[0] > u[0] + 1e-12 || v[1] > u[1] + 1e-12);
            duplicate |= j < i && fabs(v[0] - u[0]) <= 1e-12 && fabs(v[1] - u[1]) <= 1e-12;
        }
        expected += !dominated && !duplicate;
    }
    xmlDocPtr doc = figure_doc(r, 0);
    assert_int_equal(count_nodes(doc, "//*[@class='pareto']"), expected);
    xmlFreeDoc(doc);
    brute_free(&b);
    truce_report_free(r);
    truce_analysis_free(an);
    truce_scenario_free(s);
}

static void test_large_spaces_are_sampled_into_a_density_grid(void **state)
{
    (void)state;
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = 8;
    g.n_options = 6; /* 1679616 outcomes */
    truce_report_options o = TRUCE_REPORT_OPTIONS_INIT;
    o.max_enumerate = 1000;
    o.samples = 3000;
    truce_scenario *s = NULL;
    truce_analysis *an = NULL;
    truce_report *r = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_generate(&s, &g, &err), 0);
    assert_int_equal(truce_analyze(&an, s, NULL, &err), 0);
    assert_int_equal(truce_report_create(&r, &o, &err), 0);
    assert_int_equal(truce_report_add_analysis(r, s, an, &err), 0);
    xmlDocPtr doc = figure_doc(r, 0);
    assert_int_equal(count_nodes(doc, "//*[@class='outcome']"), 0);
    assert_true(count_nodes(doc, "//*[@class='density outcomes']/*") > 10);
    /* the cells count the samples, no more */
    xmlXPathObjectPtr cells = select_nodes(doc, "//*[@class='density outcomes']/*/*");
    unsigned long total = 0;
    for (int k = 0; k < cells->nodesetval->nodeNr; k++) {
        xmlChar *t = xmlNodeGetContent(cells->nodesetval->nodeTab[k]);
        total += strtoul((const char *)t, NULL, 10);
        xmlFree(t);
    }
    xmlXPathFreeObject(cells);
    assert_int_equal(total, 3000);
    xmlFreeDoc(doc);
    char *html = html_of(r);
    assert_contains(html, "3000 outcomes drawn at random (seed 1)");
    free(html);
    truce_report_free(r);
    truce_analysis_free(an);
    truce_scenario_free(s);
}

/* ---- negotiation traces ---- */

static const char small_trace[] =
    "{\"type\":\"start\",\"protocol\":\"alternating-offers\",\"scenario\":\"small\","
    "\"parties\":[\"alice\",\"bob\"],\"agents\":[\"boulware\",\"tft\"],\"seed\":3,"
    "\"deadline\":{\"rounds\":10}}\n"
    "{\"type\":\"offer\",\"round\":1,\"time\":0,\"actor\":\"alice\",\"outcome\":{\"a\":\"x\","
    "\"b\":\"p\"},\"utilities\":[1,0]}\n"
    "{\"type\":\"offer\",\"round\":1,\"time\":0.05,\"actor\":\"bob\",\"outcome\":{\"a\":\"z\","
    "\"b\":\"q\"},\"utilities\":[0,1]}\n"
    "{\"type\":\"offer\",\"round\":2,\"time\":0.1,\"actor\":\"alice\",\"outcome\":{\"a\":\"x\","
    "\"b\":\"q\"},\"utilities\":[0.6,0.5]}\n"
    "{\"type\":\"accept\",\"round\":2,\"time\":0.15,\"actor\":\"bob\",\"outcome\":{\"a\":\"x\","
    "\"b\":\"q\"},\"utilities\":[0.6,0.5]}\n"
    "{\"type\":\"end\",\"reason\":\"agreement\",\"round\":2,\"time\":0.15,\"agreement\":true,"
    "\"outcome\":{\"a\":\"x\",\"b\":\"q\"},\"utilities\":[0.6,0.5],"
    "\"utilities_undiscounted\":[0.6,0.5],\"fault\":null}\n";

static void test_offers_are_paths_at_their_utilities(void **state)
{
    (void)state;
    fixture f = load(SMALL, NULL);
    truce_error err;
    const char *trace = temp_file("run.jsonl", small_trace);
    assert_int_equal(truce_report_add_trace(f.r, trace, f.s, f.an, &err), 0);
    /* the offers in the space, then one timeline per party */
    assert_int_equal(truce_report_figure_count(f.r), 3);
    assert_contains(truce_report_figure_name(f.r, 0), "offers-alice-bob");
    xmlDocPtr doc = figure_doc(f.r, 0);
    mapping m = plot_mapping(doc, "plot utility-space");
    /* alice offered (1, 0) and (0.6, 0.5) (circles), bob (0, 1) (squares) */
    const char *circles = "//*[local-name()='circle' and @class='offer']";
    assert_int_equal(count_nodes(doc, circles), 2);
    assert_true(found_at(doc, circles, "cx", "cy", map_x(&m, 1), map_y(&m, 0)));
    assert_true(found_at(doc, circles, "cx", "cy", map_x(&m, 0.6), map_y(&m, 0.5)));
    const char *squares = "//*[local-name()='rect' and @class='offer']";
    assert_int_equal(count_nodes(doc, squares), 1);
    /* a square of half-side 3.2 px centred on the offer */
    assert_true(found_at(doc, squares, "x", "y", map_x(&m, 0) - 3.2, map_y(&m, 1) - 3.2));
    assert_int_equal(count_nodes(doc, "//*[@class='agreement']/*[local-name()='title' and "
                                      "text()='agreement: alice 0.6, bob 0.5']"),
                     1);
    assert_int_equal(count_nodes(doc, "//*[@class='pareto']"), 4);
    xmlFreeDoc(doc);
    /* the trace's agreement a=x b=q breaks bob's hard condition: flagged */
    char *page = html_of(f.r);
    assert_contains(page, "This agreement breaks bob's hard condition 'not-x'");
    free(page);
    /* timeline of alice: x = round + turn / n = time * 10 + 1 */
    doc = figure_doc(f.r, 1);
    m = plot_mapping(doc, "plot timeline");
    assert_close(m.xmin, 1, 0);
    assert_close(m.xmax, 11, 0);
    assert_true(found_at(doc, circles, "cx", "cy", map_x(&m, 2), map_y(&m, 0.6)));
    xmlFreeDoc(doc);
    char *html = html_of(f.r);
    assert_contains(html, "Distance of the agreement to the Pareto frontier: 0");
    assert_contains(html, "alice (boulware), bob (tft)");
    free(html);
    unload(&f);
}

static void test_a_trace_without_its_scenario_shows_the_offers_only(void **state)
{
    (void)state;
    truce_report *r = NULL;
    truce_error err;
    assert_int_equal(truce_report_create(&r, NULL, &err), 0);
    assert_int_equal(
        truce_report_add_trace(r, temp_file("run.jsonl", small_trace), NULL, NULL, &err), 0);
    xmlDocPtr doc = figure_doc(r, 0);
    assert_int_equal(count_nodes(doc, "//*[@class='pareto']"), 0);
    assert_int_equal(count_nodes(doc, "//*[local-name()='circle' and @class='offer']"), 2);
    xmlFreeDoc(doc);
    char *html = html_of(r);
    assert_contains(html, "No scenario was given with this trace");
    free(html);
    truce_report_free(r);
}

/* Each broken trace fails with TRUCE_EPARSE at the expected line, and
 * leaves the report as it was. */
static void test_broken_traces_name_their_line(void **state)
{
    (void)state;
    const char *start = strchr(small_trace, '\n') + 1; /* after the start record */
    size_t start_len = (size_t)(start - small_trace);
    char text[4096];
    struct {
        const char *name;
        int line;
        const char *message;
    } cases[] = {
        {"truncated", 6, "truncated record"},
        {"no-end", 5, "has no \"end\" record"},
        {"bad-json", 3, "not a JSON record"},
        {"array", 2, "must be a JSON object"},
        {"short-utilities", 2, "expected an array of 2 numbers"},
        {"unknown-actor", 2, "expected the name of a party"},
        {"before-start", 1, "a trace starts with a \"start\" record"},
        {"huge-utility", 2, "is 1e+308, not a utility in [0, 1]"},
        {"huge-time", 2, "expected the relative time, a number in [0, 1]"},
        {"wrong-scenario", 1, "not on 'small'"},
        {"empty", 0, "holds no records"},
    };
    fixture f = load(SMALL, NULL);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const char *name = cases[k].name;
        if (!strcmp(name, "truncated")) {
            snprintf(text, sizeof text, "%.*s", (int)(strlen(small_trace) - 20), small_trace);
        } else if (!strcmp(name, "no-end")) {
            const char *last = small_trace + strlen(small_trace) - 1; /* the end record */
            while (last[-1] != '\n')
                last--;
            snprintf(text, sizeof text, "%.*s", (int)(last - small_trace), small_trace);
        } else if (!strcmp(name, "bad-json")) {
            snprintf(text, sizeof text, "%.*s%.*s{\"type\":\"offer\",\n%s", (int)start_len,
                     small_trace, (int)(strchr(start, '\n') + 1 - start), start,
                     strchr(start, '\n') + 1);
        } else if (!strcmp(name, "array")) {
            snprintf(text, sizeof text, "%.*s[1,2]\n", (int)start_len, small_trace);
        } else if (!strcmp(name, "short-utilities")) {
            snprintf(text, sizeof text,
                     "%.*s{\"type\":\"offer\",\"round\":1,\"time\":0,\"actor\":\"alice\","
                     "\"utilities\":[1]}\n",
                     (int)start_len, small_trace);
        } else if (!strcmp(name, "unknown-actor")) {
            snprintf(text, sizeof text,
                     "%.*s{\"type\":\"offer\",\"round\":1,\"time\":0,\"actor\":\"carol\","
                     "\"utilities\":[1,0]}\n",
                     (int)start_len, small_trace);
        } else if (!strcmp(name, "huge-utility")) {
            snprintf(text, sizeof text,
                     "%.*s{\"type\":\"offer\",\"round\":1,\"time\":0,\"actor\":\"alice\","
                     "\"utilities\":[1e308,0]}\n",
                     (int)start_len, small_trace);
        } else if (!strcmp(name, "huge-time")) {
            snprintf(text, sizeof text,
                     "%.*s{\"type\":\"offer\",\"round\":1,\"time\":-1e308,\"actor\":\"alice\","
                     "\"utilities\":[1,0]}\n",
                     (int)start_len, small_trace);
        } else if (!strcmp(name, "before-start")) {
            snprintf(text, sizeof text, "%s", start);
        } else if (!strcmp(name, "wrong-scenario")) {
            snprintf(text, sizeof text, "%s", small_trace);
            memcpy(strstr(text, "\"small\""), "\"other\"", 7);
        } else {
            text[0] = '\0';
        }
        const char *path = temp_file("broken.jsonl", text);
        truce_error err;
        int rc = truce_report_add_trace(f.r, path, f.s, f.an, &err);
        if (rc != TRUCE_EPARSE)
            fail_msg("%s: got %d (%s)", name, rc, err.message);
        if (err.line != cases[k].line || !strstr(err.message, cases[k].message) ||
            !strstr(err.message, path))
            fail_msg("%s: line %d, message '%s'", name, err.line, err.message);
        assert_int_equal(truce_report_figure_count(f.r), 0);
    }
    char *html = html_of(f.r);
    assert_contains(html, "This report is empty.");
    free(html);
    unload(&f);
}

/* A negotiation trace of n parties (names p0, p1, ...) and `acts` offers, into a file. */
static const char *many_party_trace(size_t n, size_t acts)
{
    size_t cap = (n * 24 + 256) * (acts + 2), len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len,
                            "{\"type\":\"start\",\"protocol\":\"stacked-alternating-offers\","
                            "\"scenario\":\"x\",\"parties\":[");
    for (size_t p = 0; p < n; p++)
        len += (size_t)snprintf(text + len, cap - len, "%s\"p%zu\"", p ? "," : "", p);
    len += (size_t)snprintf(text + len, cap - len, "],\"seed\":1,\"deadline\":{\"rounds\":%zu}}\n",
                            acts);
    for (size_t k = 0; k < acts; k++) {
        len += (size_t)snprintf(text + len, cap - len,
                                "{\"type\":\"offer\",\"round\":%zu,\"time\":%.6f,\"actor\":\"p%zu\","
                                "\"utilities\":[",
                                k + 1, (double)k / (double)acts, k % n);
        for (size_t p = 0; p < n; p++)
            len += (size_t)snprintf(text + len, cap - len, "%s0.5", p ? "," : "");
        len += (size_t)snprintf(text + len, cap - len, "]}\n");
    }
    len += (size_t)snprintf(text + len, cap - len,
                            "{\"type\":\"end\",\"reason\":\"deadline\",\"round\":%zu,\"time\":1,"
                            "\"agreement\":false,\"utilities\":[",
                            acts);
    for (size_t p = 0; p < n; p++)
        len += (size_t)snprintf(text + len, cap - len, "%s0", p ? "," : "");
    len += (size_t)snprintf(text + len, cap - len, "],\"utilities_undiscounted\":[");
    for (size_t p = 0; p < n; p++)
        len += (size_t)snprintf(text + len, cap - len, "%s0", p ? "," : "");
    snprintf(text + len, cap - len, "]}\n");
    const char *path = temp_file("many.jsonl", text);
    free(text);
    return path;
}

static size_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (size_t)st.st_size;
}

/* Traces with many parties: max_parties was not applied to them, and the page grew with the
 * square of the parties (a timeline per party, each with every party in it: a 5 MB trace gave
 * a 225 MB page). Now the limit applies and the page stays within a few times the trace. */
static void test_traces_with_many_parties_are_bounded(void **state)
{
    (void)state;
    truce_error err;
    truce_report *r = NULL;
    assert_int_equal(truce_report_create(&r, NULL, &err), 0);
    const char *big = many_party_trace(101, 10);
    assert_int_equal(truce_report_add_trace(r, big, NULL, NULL, &err), TRUCE_ELIMIT);
    assert_contains(err.message, "the run has 101 parties, more than the limit max_parties = 100");
    assert_string_equal(err.field, "max_parties");
    truce_report_free(r);
    /* what four times the parties add to the page, against what they add to the trace (the
     * page's fixed part, its style and plot frames, cancels out) */
    size_t page[2], trace[2], parties[2] = {25, 100};
    for (int k = 0; k < 2; k++) {
        const char *path = many_party_trace(parties[k], 400);
        assert_int_equal(truce_report_create(&r, NULL, &err), 0);
        assert_int_equal(truce_report_add_trace(r, path, NULL, NULL, &err), 0);
        char *html = html_of(r);
        page[k] = strlen(html);
        trace[k] = file_size(path);
        free(html);
        truce_report_free(r);
    }
    if (page[1] - page[0] > 4 * (trace[1] - trace[0]))
        fail_msg("25 to 100 parties: the page grew by %zu bytes, the trace by %zu", page[1] - page[0],
                 trace[1] - trace[0]);
    /* raised, the limit lets the trace in */
    truce_limits limits = TRUCE_LIMITS_INIT;
    limits.max_parties = 200;
    truce_report_options ro = TRUCE_REPORT_OPTIONS_INIT;
    ro.limits = &limits;
    assert_int_equal(truce_report_create(&r, &ro, &err), 0);
    assert_int_equal(truce_report_add_trace(r, big, NULL, NULL, &err), 0);
    truce_report_free(r);
}

/* ---- mediation traces ---- */

static int write_line(const char *record, size_t length, void *payload)
{
    FILE *f = payload;
    return fwrite(record, 1, length, f) != length || fputc('\n', f) == EOF;
}

/* Replace the first `from` after the first `after` in text (malloc'd copy). */
static char *replaced(const char *text, const char *after, const char *from, const char *to)
{
    const char *base = strstr(text, after);
    assert_non_null(base);
    const char *at = strstr(base, from);
    assert_non_null(at);
    size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)head, text, to, at + strlen(from));
    return out;
}

/* A mediation trace's numbers are checked too: a utility of 1e308 drew NaN axes, and one record
 * numbered iteration 999999 asked for a table of a million iterations. */
static void test_mediation_traces_are_checked_for_ranges(void **state)
{
    (void)state;
    fixture f = load(SEED, NULL);
    const char *good = temp_file("talks.jsonl", "");
    FILE *out = fopen(good, "w");
    assert_non_null(out);
    truce_mediation_options mo = TRUCE_MEDIATION_OPTIONS_INIT;
    mo.trace = write_line;
    mo.trace_payload = out;
    truce_mediation *m = NULL;
    truce_error err;
    assert_int_equal(truce_mediate(&m, f.s, &mo, &err), 0);
    truce_mediation_free(m);
    fclose(out);
    char *text = slurp_file(good);
    struct {
        const char *after, *from, *to, *message;
    } cases[] = {
        {"\"type\":\"draft\"", "\"utility\":", "\"utility\":1e308,\"x\":", "expected a utility"},
        {"\"type\":\"answer\"", "\"reservation\":", "\"reservation\":-1e308,\"x\":",
         "expected a reservation value"},
        {"\"type\":\"draft\"", "\"iteration\":0", "\"iteration\":999999",
         "iteration 999999 comes before iteration 0"},
    };
    for (size_t k = 0; k < 3; k++) {
        char *bad = replaced(text, cases[k].after, cases[k].from, cases[k].to);
        const char *path = temp_file("bad.jsonl", bad);
        free(bad);
        assert_int_equal(truce_report_add_trace(f.r, path, f.s, f.an, &err), TRUCE_EPARSE);
        assert_contains(err.message, cases[k].message);
        assert_true(err.line > 1);
    }
    free(text);
    unload(&f);
}

static void test_mediation_table_colours_every_changed_clause(void **state)
{
    (void)state;
    fixture f = load(SEED, NULL);
    const char *path = temp_file("talks.jsonl", "");
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    truce_mediation_options mo = TRUCE_MEDIATION_OPTIONS_INIT;
    mo.strategy = TRUCE_MEDIATOR_UNINFORMED;
    mo.trace = write_line;
    mo.trace_payload = out;
    truce_mediation *m = NULL;
    truce_error err;
    assert_int_equal(truce_mediate(&m, f.s, &mo, &err), 0);
    fclose(out);
    /* independently: clauses that differ between consecutive drafts, read
     * from the trace's draft records (one per iteration is enough) */
    char *text = slurp_file(path);
    size_t changed = 0, iterations = 0;
    json_t *previous = NULL;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *j = json_parse_or_fail(line);
        if (!strcmp(json_string_value(json_object_get(j, "type")), "draft") &&
            (size_t)json_integer_value(json_object_get(j, "iteration")) == iterations) {
            json_t *o = json_incref(json_object_get(j, "outcome"));
            const char *issue;
            json_t *v;
            json_object_foreach(o, issue, v)
            {
                if (previous && !json_equal(v, json_object_get(previous, issue)))
                    changed++;
            }
            json_decref(previous);
            previous = o;
            iterations++;
        }
        json_decref(j);
    }
    json_decref(previous);
    free(text);
    assert_int_equal(iterations, truce_mediation_iterations(m));
    assert_true(changed > 0);
    assert_int_equal(truce_report_add_trace(f.r, path, f.s, f.an, &err), 0);
    char *html = html_of(f.r);
    assert_int_equal(occurrences(html, "<td class=\"changed\""), changed);
    assert_contains(html, "Mediated talks on truce-talks");
    assert_contains(html, "uninformed strategy");
    assert_contains(html, "walked away: no draft that respects russia&#39;s hard condition");
    /* the clause heat map is for --svg only; the others are in the page */
    size_t figures = truce_report_figure_count(f.r);
    assert_int_equal(occurrences(html, "<figure"), figures - 1);
    for (size_t k = 0; k < figures; k++) {
        xmlDocPtr doc = figure_doc(f.r, k);
        xmlFreeDoc(doc);
    }
    /* one row per principal and iteration in the answers heat map */
    for (size_t k = 0; k < figures; k++)
        if (strstr(truce_report_figure_name(f.r, k), "answers")) {
            xmlDocPtr doc = figure_doc(f.r, k);
            assert_int_equal(count_nodes(doc, "//*[@class='cell']"), 2 * iterations);
            xmlFreeDoc(doc);
        }
    free(html);
    truce_mediation_free(m);
    unload(&f);
}

/* ---- files ---- */

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_writes_leave_no_partial_file(void **state)
{
    (void)state;
    fixture f = load(SMALL, NULL);
    truce_error err;
    assert_int_equal(truce_report_add_analysis(f.r, f.s, f.an, &err), 0);
    const char *dir = temp_dir();
    char path[1024];
    snprintf(path, sizeof path, "%s/report.html", dir);
    assert_int_equal(truce_report_write_html(f.r, path, &err), 0);
    assert_int_equal(entries(dir), 1); /* the page, no temporary file */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    char *html = html_of(f.r);
    assert_int_equal((size_t)st.st_size, strlen(html));
    free(html);
    /* a folder that does not exist: an error naming the file, nothing written */
    snprintf(path, sizeof path, "%s/missing/report.html", dir);
    assert_int_equal(truce_report_write_html(f.r, path, &err), TRUCE_EIO);
    assert_contains(err.message, path);
    /* a folder in the way of the page: rename fails, the temporary file goes */
    snprintf(path, sizeof path, "%s/taken", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    char inner[1100];
    snprintf(inner, sizeof inner, "%s/x", path);
    assert_int_equal(mkdir(inner, 0777), 0);
    assert_int_equal(truce_report_write_html(f.r, path, &err), TRUCE_EIO);
    assert_int_equal(entries(dir), 2); /* report.html and taken/ */
    unload(&f);
}

static void test_options_are_checked(void **state)
{
    (void)state;
    truce_report_options o = TRUCE_REPORT_OPTIONS_INIT;
    truce_report *r = NULL;
    truce_error err;
    o.version = 99;
    assert_int_equal(truce_report_create(&r, &o, &err), TRUCE_EINVAL);
    assert_null(r);
    o.version = TRUCE_REPORT_OPTIONS_VERSION;
    o.samples = 0;
    assert_int_equal(truce_report_create(&r, &o, &err), TRUCE_EINVAL);
    o.samples = 10;
    o.title = "A <title> & more";
    assert_int_equal(truce_report_create(&r, &o, &err), 0);
    char *html = html_of(r);
    assert_contains(html, "<title>A &lt;title&gt; &amp; more</title>");
    free(html);
    truce_report_free(r);
    truce_report_free(NULL);
    assert_int_equal(truce_report_figure_count(NULL), 0);
}

/* ---- tournament results ---- */

/* A results database of a real tournament of `agents` on the ceasefire
 * scenario (every pairing in both seats, one repetition), running only the
 * first `limit` jobs (0: all), then executing `sql` on it (may be NULL). */
static const char *tournament_db(const char *const *agents, size_t n, uint64_t limit,
                                 const char *sql)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/results.db", temp_dir());
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    const char *scenarios[] = {CEASEFIRE};
    d.agents = agents;
    d.n_agents = n;
    d.scenarios = scenarios;
    d.n_scenarios = 1;
    d.rounds = 50;
    truce_tournament *t = NULL;
    truce_error err;
    if (truce_tournament_create(&t, &d, &err))
        fail_msg("%s", err.message);
    truce_tournament_run_options o = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    o.threads = 1;
    o.limit = limit;
    if (truce_tournament_run(t, path, &o, NULL, &err))
        fail_msg("%s", err.message);
    truce_tournament_free(t);
    if (sql) {
        sqlite3 *h;
        assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
        if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
            fail_msg("%s", sqlite3_errmsg(h));
        sqlite3_close(h);
    }
    return path;
}

/* Four negotiations of agents A (boulware, id 0), B (conceder, 1) and C
 * (linear, 2) replacing the six the tournament ran, as in
 * tests/test_tournament.c: A gets 0.2, 0.4, 0.6; B 0.8, 0.6, 0.3; C 0.1, 0.3. */
static const char HAND_ROWS[] =
    "DELETE FROM negotiations;"
    "INSERT INTO negotiations VALUES"
    " (0, 0, 0, 0, '1', '[0,1]', 1, 'agreement', 10, 0.1, '[0,0]', '[0.2,0.8]',"
    "  '[0.2,0.8]', 1.0, 0.1, 0.3, NULL, NULL, 0.001),"
    " (1, 0, 1, 0, '2', '[1,0]', 1, 'agreement', 20, 0.2, '[1,0]', '[0.6,0.4]',"
    "  '[0.6,0.4]', 1.0, 0.0, 0.2, NULL, NULL, 0.001),"
    " (2, 0, 2, 0, '3', '[0,2]', 0, 'fault', 30, 0.3, NULL, '[0.6,0.1]',"
    "  '[0.6,0.1]', 0.7, NULL, NULL, 1, 'crashed', 0.001),"
    " (3, 0, 3, 0, '4', '[2,1]', 0, 'deadline', 40, 1.0, NULL, '[0.3,0.3]',"
    "  '[0.3,0.3]', 0.6, NULL, NULL, NULL, NULL, 0.001);";

static xmlNodePtr nth_node(xmlDocPtr doc, const char *xpath, int k)
{
    xmlXPathObjectPtr o = select_nodes(doc, xpath);
    if (!o->nodesetval || k >= o->nodesetval->nodeNr)
        fail_msg("no node %d of %s", k, xpath);
    xmlNodePtr n = o->nodesetval->nodeTab[k];
    xmlXPathFreeObject(o);
    return n;
}

static char *text_of(xmlNodePtr n)
{
    return (char *)xmlNodeGetContent(n);
}

/* The bar of group g (one series) at the place docs/reports.md gives:
 * w = width / groups, from x0 + (g + 0.1) w, 0.8 * 0.92 w wide, from py(0)
 * up to py(value). */
static void assert_bar(xmlDocPtr doc, const mapping *m, int k, size_t groups, size_t g,
                       double value)
{
    xmlNodePtr bar = nth_node(doc, "//*[local-name()='rect' and @class='bar']", k);
    double w = m->width / (double)groups;
    assert_close(attr(bar, "x"), m->x0 + (g + 0.1) * w, 0.06);
    assert_close(attr(bar, "width"), 0.8 * 0.92 * w, 0.06);
    assert_close(attr(bar, "y"), map_y(m, value), 0.06);
    assert_close(attr(bar, "height"), map_y(m, 0) - map_y(m, value), 0.06);
}

static void test_tournament_bars_and_heat_map_show_hand_computed_means(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "linear"};
    const char *db = tournament_db(agents, 3, 0, HAND_ROWS);
    truce_report *r;
    truce_error err;
    assert_int_equal(truce_report_create(&r, NULL, &err), 0);
    if (truce_report_add_results(r, db, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_report_figure_count(r), 4);
    assert_non_null(strstr(truce_report_figure_name(r, 0), "utility"));
    assert_non_null(strstr(truce_report_figure_name(r, 1), "agreement"));
    assert_non_null(strstr(truce_report_figure_name(r, 2), "head-to-head"));
    assert_non_null(strstr(truce_report_figure_name(r, 3), "agent-scenario"));
    /* means: B 1.7/3, A 0.4, C 0.2, ranked so. Half widths of the 95%
     * intervals t(0.975, df) sd / sqrt(n): A 4.30265273 * 0.2 / sqrt(3) =
     * 0.4968275; B 4.30265273 * 0.2516611 / sqrt(3) = 0.6251648; C 12.7062047 *
     * 0.1414214 / sqrt(2) = 1.2706205 */
    const double mean[3] = {1.7 / 3, 0.4, 0.2};
    const double half[3] = {0.6251648, 0.4968275, 1.2706205};
    xmlDocPtr doc = figure_doc(r, 0);
    mapping m = plot_mapping(doc, "plot bars");
    /* the documented layout: plot area at (60, 34), 86 px per agent from
     * 120 px up, 360 - 94 px tall; y widened from [0, 1] to the tenths
     * holding every interval: C's reaches -1.0706 and 1.4706 */
    assert_close(m.x0, 60, 1e-9);
    assert_close(m.y0, 34, 1e-9);
    assert_close(m.width, 3 * 86, 1e-9);
    assert_close(m.height, 266, 1e-9);
    assert_close(m.ymin, -1.1, 1e-9);
    assert_close(m.ymax, 1.5, 1e-9);
    assert_int_equal(count_nodes(doc, "//*[local-name()='rect' and @class='bar']"), 3);
    for (int g = 0; g < 3; g++) {
        assert_bar(doc, &m, g, 3, (size_t)g, mean[g]);
        /* the whisker: a vertical line at the bar's centre, low to high */
        xmlNodePtr path = nth_node(doc, "//*[local-name()='path' and @class='interval']", g);
        xmlChar *d = xmlGetProp(path, (const xmlChar *)"d");
        double x1, y1, x2, y2;
        assert_int_equal(sscanf((const char *)d, "M%lf %lfL%lf %lf", &x1, &y1, &x2, &y2), 4);
        xmlFree(d);
        double w = m.width / 3, cx = m.x0 + (g + 0.1) * w + 0.46 * 0.8 * w;
        assert_close(x1, cx, 0.06);
        assert_close(x2, cx, 0.06);
        assert_close(y1, map_y(&m, mean[g] - half[g]), 0.06);
        assert_close(y2, map_y(&m, mean[g] + half[g]), 0.06);
    }
    /* the group labels, in rank order */
    const char *ranked[3] = {"conceder", "boulware", "linear"};
    for (int g = 0; g < 3; g++) {
        char xpath[200];
        snprintf(xpath, sizeof xpath, "//*[local-name()='text' and text()='%s']", ranked[g]);
        assert_int_equal(count_nodes(doc, xpath), 1);
    }
    xmlFreeDoc(doc);
    /* agreement rates: B 2 of 3, A 2 of 3, C 0 of 2, on a fixed [0, 1] axis */
    doc = figure_doc(r, 1);
    m = plot_mapping(doc, "plot bars");
    assert_close(m.ymin, 0, 1e-9);
    assert_close(m.ymax, 1, 1e-9);
    assert_bar(doc, &m, 0, 3, 0, 2.0 / 3);
    assert_bar(doc, &m, 1, 3, 1, 2.0 / 3);
    assert_bar(doc, &m, 2, 3, 2, 0);
    xmlFreeDoc(doc);
    /* head to head in rank order (B, A, C): B against A 0.8 and 0.6, against
     * C 0.3; A against B 0.2 and 0.4, against C 0.6; C against A 0.1,
     * against B 0.3. Colours: viridis over [0, 1], whose stops at tenths
     * are matplotlib's published values. */
    doc = figure_doc(r, 2);
    assert_int_equal(count_nodes(doc, "//*[local-name()='rect' and @class='cell']"), 9);
    const char *texts[9] = {"\xE2\x80\x93", "0.700", "0.300", "0.300",       "\xE2\x80\x93",
                            "0.600",        "0.300", "0.100", "\xE2\x80\x93"};
    const char *fills[9] = {"#f2f2f2", "#43BF71", "#35608D", "#35608D", "#f2f2f2",
                            "#22A884", "#35608D", "#482576", "#f2f2f2"};
    for (int k = 0; k < 9; k++) {
        xmlNodePtr cell = nth_node(doc, "//*[local-name()='rect' and @class='cell']", k);
        xmlChar *fill = xmlGetProp(cell, (const xmlChar *)"fill");
        assert_string_equal((const char *)fill, fills[k]);
        xmlFree(fill);
        char *t = text_of(nth_node(doc, "//*[local-name()='text' and @font-size='10']", k));
        assert_string_equal(t, texts[k]);
        xmlFree(t);
    }
    xmlNodePtr scale = nth_node(doc, "//*[local-name()='g' and @class='colour-scale']", 0);
    assert_close(attr(scale, "data-min"), 0, 0);
    assert_close(attr(scale, "data-max"), 1, 0);
    xmlFreeDoc(doc);
    /* agent x scenario: one scenario, so each agent's mean over its cells: B 1.7/3, A 0.4,
     * C 0.2, in rank order; A and C sit on viridis stops (0.4: #2A788E, 0.2: #414487) */
    doc = figure_doc(r, 3);
    assert_int_equal(count_nodes(doc, "//*[local-name()='rect' and @class='cell']"), 3);
    const char *means[3] = {"0.567", "0.400", "0.200"};
    const char *mean_fills[3] = {NULL, "#2A788E", "#414487"};
    for (int k = 0; k < 3; k++) {
        char *t = text_of(nth_node(doc, "//*[local-name()='text' and @font-size='10']", k));
        assert_string_equal(t, means[k]);
        xmlFree(t);
        if (!mean_fills[k])
            continue;
        xmlNodePtr cell = nth_node(doc, "//*[local-name()='rect' and @class='cell']", k);
        xmlChar *fill = xmlGetProp(cell, (const xmlChar *)"fill");
        assert_string_equal((const char *)fill, mean_fills[k]);
        xmlFree(fill);
    }
    xmlFreeDoc(doc);
    /* the page: incomplete (4 of 6), agents ranked with their intervals */
    char *html = html_of(r);
    assert_contains(html, "<h2>Tournament (4 of 6 negotiations)</h2>");
    assert_contains(html, "INCOMPLETE: 2 of the tournament's 6 negotiations");
    const char *b = strstr(html, "<td>conceder</td>"), *a = strstr(html, "<td>boulware</td>");
    const char *c = strstr(html, "<td>linear</td>");
    assert_true(b && a && c && b < a && a < c);
    assert_contains(html, "[-0.058, 1.192]"); /* 0.5666667 -+ 0.6251648 */
    assert_contains(html, "[-1.071, 1.471]");
    assert_contains(html, "<td>ceasefire</td><td class=\"num\">4</td>");
    /* differences are read from tests, not from overlapping whiskers */
    assert_contains(html, "<h3>Which agents differ</h3>");
    assert_contains(html, "not by whether whiskers overlap");
    assert_null(strstr(html, "Overlapping whiskers: the data do not tell"));
    free(html);
    truce_report_free(r);
}

static void test_tournament_gaps_show_as_dashes_and_bad_files_change_nothing(void **state)
{
    (void)state;
    const char *agents[] = {"boulware", "conceder", "linear"};
    /* linear (C) never played: only the first two hand-made rows are left */
    char sql[sizeof HAND_ROWS + 64];
    snprintf(sql, sizeof sql, "%sDELETE FROM negotiations WHERE job >= 2;", HAND_ROWS);
    const char *db = tournament_db(agents, 3, 0, sql);
    truce_report *r;
    truce_error err;
    assert_int_equal(truce_report_create(&r, NULL, &err), 0);
    if (truce_report_add_results(r, db, &err))
        fail_msg("%s", err.message);
    xmlDocPtr doc = figure_doc(r, 0);
    mapping m = plot_mapping(doc, "plot bars");
    /* B 0.7, A 0.3, and no bar for C, whose group stays as a label */
    assert_int_equal(count_nodes(doc, "//*[local-name()='rect' and @class='bar']"), 2);
    assert_bar(doc, &m, 0, 3, 0, 0.7);
    assert_bar(doc, &m, 1, 3, 1, 0.3);
    assert_int_equal(count_nodes(doc, "//*[local-name()='text' and text()='linear']"), 1);
    xmlFreeDoc(doc);
    doc = figure_doc(r, 2);
    size_t dashes = 0;
    for (int k = 0; k < 9; k++) {
        char *t = text_of(nth_node(doc, "//*[local-name()='text' and @font-size='10']", k));
        dashes += strcmp(t, "\xE2\x80\x93") == 0;
        xmlFree(t);
    }
    assert_int_equal(dashes, 7); /* the diagonal and everything of C */
    xmlFreeDoc(doc);
    char *before = html_of(r);
    assert_contains(before, "<td>linear</td><td class=\"num\">0</td><td class=\"num\">&#8211;");
    /* not a database, not a results database: errors, the report unchanged */
    const char *notes = temp_file("notes.db", "SQLite format 3");
    assert_int_not_equal(truce_report_add_results(r, notes, &err), 0);
    assert_contains(err.message, "notes.db");
    char other[600];
    snprintf(other, sizeof other, "%s/other.db", temp_dir());
    sqlite3 *h;
    assert_int_equal(sqlite3_open(other, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE x(a);", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(truce_report_add_results(r, other, &err), TRUCE_EINVAL);
    assert_contains(err.message, "not a truce results database");
    assert_int_equal(truce_report_figure_count(r), 4);
    char *after = html_of(r);
    assert_string_equal(before, after);
    free(before);
    free(after);
    truce_report_free(r);
    /* nothing stored yet: the tables, no plots */
    db = tournament_db(agents, 3, 0, "DELETE FROM negotiations;");
    assert_int_equal(truce_report_create(&r, NULL, &err), 0);
    assert_int_equal(truce_report_add_results(r, db, &err), 0);
    assert_int_equal(truce_report_figure_count(r), 0);
    char *html = html_of(r);
    assert_contains(html, "(0 of 6 negotiations)");
    assert_contains(html, "nothing to plot");
    free(html);
    truce_report_free(r);
}

static void test_twenty_agents_keep_their_labels_readable(void **state)
{
    (void)state;
    const char *agents[20] = {"boulware", "conceder",   "linear",
                              "tft",      "micro",      "hardliner",
                              "random",   "hardheaded", "timedep:e=0.123456789:k=0.0123456789"};
    char specs[11][32];
    for (int k = 0; k < 11; k++) {
        snprintf(specs[k], sizeof specs[k], "timedep:e=%g", 0.1 + 0.2 * k);
        agents[9 + k] = specs[k];
    }
    /* 380 jobs; the first 150 only: an incomplete tournament */
    const char *db = tournament_db(agents, 20, 150, NULL);
    truce_report *r;
    truce_error err;
    assert_int_equal(truce_report_create(&r, NULL, &err), 0);
    if (truce_report_add_results(r, db, &err))
        fail_msg("%s", err.message);
    xmlDocPtr doc = figure_doc(r, 0);
    mapping m = plot_mapping(doc, "plot bars");
    assert_close(m.width, 20 * 34, 1e-9);
    /* every group label turned and at most 24 characters long */
    xmlXPathObjectPtr o = select_nodes(doc, "//*[local-name()='text' and "
                                            "contains(@transform, 'rotate(45)')]");
    assert_int_equal(o->nodesetval ? o->nodesetval->nodeNr : 0, 20);
    int cut = 0;
    for (int k = 0; k < o->nodesetval->nodeNr; k++) {
        char *t = text_of(o->nodesetval->nodeTab[k]);
        assert_true(strlen(t) <= 24);
        cut += strstr(t, "...") != NULL;
        xmlFree(t);
    }
    assert_int_equal(cut, 1);
    xmlXPathFreeObject(o);
    /* the image grew downwards to hold them */
    xmlNodePtr svg = xmlDocGetRootElement(doc);
    assert_true(attr(svg, "height") > 360);
    xmlFreeDoc(doc);
    doc = figure_doc(r, 2);
    assert_int_equal(count_nodes(doc, "//*[local-name()='rect' and @class='cell']"), 400);
    xmlFreeDoc(doc);
    char *html = html_of(r);
    assert_contains(html, "(150 of 380 negotiations)");
    assert_contains(html, "timedep:e=0.123456789:k=0.0123456789");
    free(html);
    truce_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pareto_points_sit_at_the_documented_coordinates),
        cmocka_unit_test(test_pairs_of_three_principals_each_get_a_plot),
        cmocka_unit_test(test_large_spaces_are_sampled_into_a_density_grid),
        cmocka_unit_test(test_offers_are_paths_at_their_utilities),
        cmocka_unit_test(test_a_trace_without_its_scenario_shows_the_offers_only),
        cmocka_unit_test(test_broken_traces_name_their_line),
        cmocka_unit_test(test_traces_with_many_parties_are_bounded),
        cmocka_unit_test(test_mediation_traces_are_checked_for_ranges),
        cmocka_unit_test(test_mediation_table_colours_every_changed_clause),
        cmocka_unit_test(test_writes_leave_no_partial_file),
        cmocka_unit_test(test_options_are_checked),
        cmocka_unit_test(test_tournament_bars_and_heat_map_show_hand_computed_means),
        cmocka_unit_test(test_tournament_gaps_show_as_dashes_and_bad_files_change_nothing),
        cmocka_unit_test(test_twenty_agents_keep_their_labels_readable),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
