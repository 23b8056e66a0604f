/* test_report_browser.c: every report kind opened in headless Chromium: the page loads, its DOM
 * holds the plots, and its screenshot (kept under BUILD/artifacts) is not blank. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define SEED TRUCE_EXAMPLES "/seed/truce-talks.yaml"
#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"

static const char *chromium;

static int find_chromium(void)
{
    static const char *const candidates[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
    for (size_t k = 0; k < sizeof candidates / sizeof *candidates; k++) {
        struct stat st;
        if (stat(candidates[k], &st) == 0) {
            chromium = candidates[k];
            return 0;
        }
    }
    return -1;
}

/* ---- PNG: just enough to look at the pixels (8-bit RGB or RGBA, not
 * interlaced, as Chromium writes its screenshots) ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

typedef struct image {
    uint32_t width, height, channels;
    unsigned char *pixels; /* rows of width * channels bytes */
} image;

static image decode_png(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("no screenshot %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)size);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    assert_true(size > 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0);
    image im = {0};
    unsigned char *z = NULL;
    size_t zlen = 0;
    for (long at = 8; at + 12 <= size;) {
        uint32_t len = be32(data + at);
        const unsigned char *type = data + at + 4, *body = data + at + 8;
        assert_true(at + 12 + (long)len <= size);
        if (!memcmp(type, "IHDR", 4)) {
            im.width = be32(body);
            im.height = be32(body + 4);
            assert_int_equal(body[8], 8);              /* bit depth */
            assert_true(body[9] == 2 || body[9] == 6); /* RGB or RGBA */
            assert_int_equal(body[12], 0);             /* not interlaced */
            im.channels = body[9] == 2 ? 3 : 4;
        } else if (!memcmp(type, "IDAT", 4)) {
            z = realloc(z, zlen + len);
            assert_non_null(z);
            memcpy(z + zlen, body, len);
            zlen += len;
        }
        at += 12 + (long)len;
    }
    free(data);
    size_t stride = (size_t)im.width * im.channels;
    uLongf raw_len = (uLongf)((stride + 1) * im.height);
    unsigned char *raw = malloc(raw_len);
    assert_non_null(raw);
    assert_int_equal(uncompress(raw, &raw_len, z, (uLong)zlen), Z_OK);
    assert_int_equal(raw_len, (stride + 1) * im.height);
    free(z);
    im.pixels = malloc(stride * im.height);
    assert_non_null(im.pixels);
    for (uint32_t y = 0; y < im.height; y++) {
        const unsigned char *in = raw + y * (stride + 1) + 1;
        unsigned char *out = im.pixels + y * stride;
        const unsigned char *up = y ? out - stride : NULL;
        int filter = raw[y * (stride + 1)];
        for (size_t x = 0; x < stride; x++) {
            int a = x >= im.channels ? out[x - im.channels] : 0;
            int b = up ? up[x] : 0;
            int c = up && x >= im.channels ? up[x - im.channels] : 0;
            int pred = filter == 1   ? a
                       : filter == 2 ? b
                       : filter == 3 ? (a + b) / 2
                       : filter == 4 ? paeth(a, b, c)
                                     : 0;
            out[x] = (unsigned char)(in[x] + pred);
        }
    }
    free(raw);
    return im;
}

/* Share of pixels that differ from the top-left one (the page background),
 * and the number of distinct colours among them (up to 64). */
static void look_at(const image *im, double *share, size_t *colours)
{
    size_t differ = 0, n = (size_t)im->width * im->height;
    uint32_t seen[64];
    size_t n_seen = 0;
    for (size_t k = 0; k < n; k++) {
        const unsigned char *p = im->pixels + k * im->channels;
        if (memcmp(p, im->pixels, 3) == 0)
            continue;
        differ++;
        uint32_t rgb = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
        size_t j = 0;
        while (j < n_seen && seen[j] != rgb)
            j++;
        if (j == n_seen && n_seen < 64)
            seen[n_seen++] = rgb;
    }
    *share = (double)differ / (double)n;
    *colours = n_seen;
}

/* ---- running things ---- */

static void run_ok(const char *const *args)
{
    cli_result r = cli_run(args);
    if (r.status != 0)
        fail_msg("truce %s failed: %s", args[0], r.err);
    cli_run_free(&r);
}

/* Open the page in Chromium: a screenshot into the artifacts folder and the
 * DOM as Chromium built it. */
static char *open_in_chromium(const char *html, const char *name)
{
    char png[1024], dom[1024], profile[600], command[4096];
    mkdir(TRUCE_ARTIFACTS, 0777);
    snprintf(png, sizeof png, "%s/%s.png", TRUCE_ARTIFACTS, name);
    snprintf(dom, sizeof dom, "%s/%s.dom.html", TRUCE_ARTIFACTS, name);
    snprintf(profile, sizeof profile, "%s", temp_dir());
    remove(png);
    /* --no-sandbox: tests run as root in CI; a private profile keeps
     * parallel runs apart */
    const char *flags = "--headless --no-sandbox --disable-gpu --hide-scrollbars "
                        "--no-first-run --disable-extensions";
    snprintf(command, sizeof command,
             "timeout 120 %s %s --user-data-dir=%s/p1 --screenshot=%s --window-size=1200,900 "
             "'file://%s' >/dev/null 2>&1",
             chromium, flags, profile, png, html);
    if (system(command) != 0)
        fail_msg("chromium failed: %s", command);
    snprintf(command, sizeof command,
             "timeout 120 %s %s --user-data-dir=%s/p2 --dump-dom 'file://%s' >%s 2>/dev/null",
             chromium, flags, profile, html, dom);
    if (system(command) != 0)
        fail_msg("chromium --dump-dom failed: %s", command);
    image im = decode_png(png);
    assert_int_equal(im.width, 1200);
    assert_int_equal(im.height, 900);
    double share;
    size_t colours;
    look_at(&im, &share, &colours);
    free(im.pixels);
    /* text, axes and coloured marks: a blank or error page has none of this */
    if (share < 0.02 || colours < 16)
        fail_msg("%s looks blank: %.3f of the pixels differ from the background, %zu colours", png,
                 share, colours);
    return slurp_file(dom);
}

static size_t occurrences(const char *text, const char *part)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, part)); p += strlen(part))
        n++;
    return n;
}

static void check_dom(const char *dom, const char *heading, size_t min_svgs)
{
    assert_contains(dom, heading);
    assert_contains(dom, "</html>");
    /* a file Chromium cannot load becomes its error page; malformed markup
     * would show up as a parser error element */
    assert_null(strstr(dom, "ERR_FILE_NOT_FOUND"));
    assert_null(strstr(dom, "parsererror"));
    if (occurrences(dom, "<svg") < min_svgs)
        fail_msg("%zu plots in the DOM, expected at least %zu", occurrences(dom, "<svg"), min_svgs);
}

static void test_scenario_analysis_report_renders(void **state)
{
    (void)state;
    char html[600];
    snprintf(html, sizeof html, "%s/analysis.html", temp_dir());
    const char *args[] = {"report", SEED, "-o", html, NULL};
    run_ok(args);
    char *dom = open_in_chromium(html, "report-analysis");
    check_dom(dom, "Scenario truce-talks", 1);
    assert_contains(dom, "class=\"pareto\"");
    free(dom);
}

static void test_negotiation_report_renders(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char html[600], trace[600];
    snprintf(html, sizeof html, "%s/negotiation.html", dir);
    snprintf(trace, sizeof trace, "%s/run.jsonl", dir);
    const char *negotiate[] = {"negotiate", "--agents", "boulware,tft", "--trace", trace,
                               CEASEFIRE,   NULL};
    run_ok(negotiate);
    const char *args[] = {"report", CEASEFIRE, trace, "-o", html, NULL};
    run_ok(args);
    char *dom = open_in_chromium(html, "report-negotiation");
    check_dom(dom, "Negotiation on ceasefire", 4);
    assert_contains(dom, "class=\"offer\"");
    free(dom);
}

static void test_mediation_report_renders(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char html[600], trace[600];
    snprintf(html, sizeof html, "%s/mediation.html", dir);
    snprintf(trace, sizeof trace, "%s/talks.jsonl", dir);
    const char *mediate[] = {"mediate", "--trace", trace, SEED, NULL};
    run_ok(mediate);
    const char *args[] = {"report", trace, "-o", html, NULL};
    run_ok(args);
    char *dom = open_in_chromium(html, "report-mediation");
    check_dom(dom, "Mediated talks", 3);
    assert_contains(dom, "class=\"changed\"");
    free(dom);
}

static void test_tournament_report_renders(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char html[600], db[600];
    snprintf(html, sizeof html, "%s/tournament.html", dir);
    snprintf(db, sizeof db, "%s/results.db", dir);
    const char *tournament[] = {"tournament", "--db",    db,  "--agents", "boulware,conceder,tft",
                                "--quiet",    CEASEFIRE, NULL};
    run_ok(tournament);
    const char *args[] = {"report", db, "-o", html, NULL};
    run_ok(args);
    char *dom = open_in_chromium(html, "report-tournament");
    check_dom(dom, "Tournament (6 of 6 negotiations)", 3);
    assert_contains(dom, "class=\"bar\"");
    assert_contains(dom, "class=\"cell\"");
    assert_contains(dom, "class=\"colour-scale\"");
    free(dom);
}

static void test_standalone_svg_renders(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char html[600], svg[600], file[1200];
    snprintf(html, sizeof html, "%s/page.html", dir);
    snprintf(svg, sizeof svg, "%s/svg", dir);
    const char *args[] = {"report", SEED, "-o", html, "--svg", svg, NULL};
    run_ok(args);
    snprintf(file, sizeof file, "%s/01-space-truce-talks-russia-ukraine.svg", svg);
    char *dom = open_in_chromium(file, "report-standalone-svg");
    /* an SVG document that is not well-formed XML renders as an error page */
    assert_null(strstr(dom, "parsererror"));
    assert_contains(dom, "class=\"pareto\"");
    free(dom);
}

int main(void)
{
    if (find_chromium()) {
        /* not a skip: CI must not pass without the browser tests */
        printf("test_report_browser: chromium is not installed: run 'scripts/deps.sh test' "
               "(make test does) to install it\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_analysis_report_renders),
        cmocka_unit_test(test_negotiation_report_renders),
        cmocka_unit_test(test_mediation_report_renders),
        cmocka_unit_test(test_tournament_report_renders),
        cmocka_unit_test(test_standalone_svg_renders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
