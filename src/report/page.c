/* page.c: the report as a whole: creating it, its figures and sections, the
 * HTML page around them, and writing files through a temporary file. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/error.h"
#include "../core/limits.h"
#include "../io/atomic.h"
#include "report.h"

int truce_report_create(truce_report **out, const truce_report_options *opts, truce_error *err)
{
    error_clear(err);
    truce_report_options defaults = TRUCE_REPORT_OPTIONS_INIT;
    if (!out)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (!opts)
        opts = &defaults;
    if (opts->version != TRUCE_REPORT_OPTIONS_VERSION && opts->version != 1)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_report_options version %d is not %d", opts->version,
                         TRUCE_REPORT_OPTIONS_VERSION);
    if (!(opts->max_enumerate >= 1) || opts->samples < 1 || opts->max_pairs < 1 ||
        opts->max_runs < 1)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "max_enumerate, samples, max_pairs and max_runs must be at least 1");
    int rc;
    if (opts->version >= 2 && opts->limits && (rc = limits_check(opts->limits, err)))
        return rc;
    truce_report *r = calloc(1, sizeof *r);
    if (!r)
        return error_nomem(err);
    if (opts->version == 1) { /* version 1 had no limits */
        memcpy(&r->o, opts, offsetof(truce_report_options, limits));
        r->o.limits = NULL;
    } else {
        r->o = *opts;
    }
    truce_limits defaults_limits = TRUCE_LIMITS_INIT;
    limits_upgrade(&r->limits, r->o.limits ? r->o.limits : &defaults_limits);
    r->max_trace_line = r->limits.max_trace_line;
    r->o.limits = NULL;
    if (opts->title && !(r->title = strdup(opts->title))) {
        free(r);
        return error_nomem(err);
    }
    r->o.title = NULL;
    buf_init(&r->body);
    *out = r;
    return 0;
}

void truce_report_free(truce_report *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->n_figures; k++) {
        free(r->figures[k].name);
        free(r->figures[k].svg);
    }
    free(r->figures);
    free(r->title);
    buf_free(&r->body);
    free(r);
}

size_t truce_report_figure_count(const truce_report *r)
{
    return r ? r->n_figures : 0;
}

const char *truce_report_figure_name(const truce_report *r, size_t k)
{
    return r && k < r->n_figures ? r->figures[k].name : NULL;
}

const char *truce_report_figure_svg(const truce_report *r, size_t k)
{
    return r && k < r->n_figures ? r->figures[k].svg : NULL;
}

void report_slug(char *out, size_t size, const char *text)
{
    size_t n = 0;
    int dash = 0;
    for (const char *c = text; *c && n + 1 < size && n < 60; c++) {
        unsigned char ch = (unsigned char)*c;
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_') {
            out[n++] = (char)ch;
            dash = 0;
        } else if (ch >= 'A' && ch <= 'Z') {
            out[n++] = (char)(ch - 'A' + 'a');
            dash = 0;
        } else if (!dash && n) {
            out[n++] = '-';
            dash = 1;
        }
    }
    while (n && out[n - 1] == '-')
        n--;
    out[n] = '\0';
}

int report_figure(truce_report *r, const char *slug, buf *svg, const char *caption, int svg_only,
                  truce_error *err)
{
    if (svg->failed)
        return error_nomem(err);
    if (r->n_figures == r->cap_figures) {
        size_t cap = r->cap_figures ? 2 * r->cap_figures : 16;
        figure *f = realloc(r->figures, cap * sizeof *f);
        if (!f)
            return error_nomem(err);
        r->figures = f;
        r->cap_figures = cap;
    }
    char clean[80], name[128];
    report_slug(clean, sizeof clean, slug);
    snprintf(name, sizeof name, "%02zu-%s.svg", r->n_figures + 1, clean);
    char *copy = strdup(name);
    if (!copy)
        return error_nomem(err);
    if (!svg_only) {
        buf_printf(&r->body, "<figure id=\"fig-%zu\">\n", r->n_figures + 1);
        buf_write(&r->body, svg->data, svg->len);
        if (caption)
            buf_printf(&r->body, "<figcaption>%s</figcaption>\n", caption);
        buf_puts(&r->body, "</figure>\n");
    }
    r->figures[r->n_figures].name = copy;
    r->figures[r->n_figures].svg = svg->data;
    r->n_figures++;
    buf_init(svg);
    return 0;
}

report_mark report_save(const truce_report *r)
{
    report_mark m = {r->body.len, r->n_figures, r->n_sections};
    return m;
}

void report_restore(truce_report *r, report_mark m)
{
    while (r->n_figures > m.n_figures) {
        r->n_figures--;
        free(r->figures[r->n_figures].name);
        free(r->figures[r->n_figures].svg);
    }
    /* a body whose allocation failed stays failed: the report cannot be
     * written any more, and says so */
    if (!r->body.failed && r->body.data) {
        r->body.len = m.body_len;
        r->body.data[m.body_len] = '\0';
    }
    r->n_sections = m.n_sections;
}

void report_default_title(truce_report *r, const char *title)
{
    if (r->title)
        return;
    size_t n = strlen(title) + 32;
    r->title = malloc(n); /* NULL on failure: the page falls back to "truce report" */
    if (r->title)
        snprintf(r->title, n, "truce report: %s", title);
}

void report_section_open(truce_report *r, const char *heading)
{
    r->n_sections++;
    buf_printf(&r->body, "<section id=\"s%zu\">\n<h2>", r->n_sections);
    buf_escape(&r->body, heading);
    buf_puts(&r->body, "</h2>\n");
}

void report_section_close(truce_report *r)
{
    buf_puts(&r->body, "</section>\n");
}

void report_note(truce_report *r, const char *text)
{
    buf_puts(&r->body, "<p class=\"note\">");
    buf_escape(&r->body, text);
    buf_puts(&r->body, "</p>\n");
}

/* Readable without any stylesheet from outside: system fonts, figures that
 * shrink with the window, tables that scroll sideways when wide. */
static const char style[] =
    "body{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;margin:2em auto;"
    "max-width:1500px;padding:0 1.5em;color:#222;line-height:1.45}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.3em;border-bottom:2px solid #0072B2;"
    "padding-bottom:.2em;margin-top:2em}h3{font-size:1.1em}\n"
    "p.note{color:#444;max-width:75em}p.warn{background:#fff4d6;border-left:4px solid #E69F00;"
    "padding:.4em .8em}\n"
    "figure{display:inline-block;vertical-align:top;margin:.5em 1em 1em 0;max-width:100%}\n"
    "figure svg{max-width:100%;height:auto;border:1px solid #ddd}\n"
    "figcaption{font-size:.9em;color:#444;max-width:700px}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}\n"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\n"
    "th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.changed{background:#F0E442;font-weight:bold}td.veto{background:#f6c9a8}\n"
    "td.accept{background:#b9e3d6}\n"
    "nav ul{columns:2;font-size:.9em}\n"
    "footer{margin-top:3em;color:#777;font-size:.85em}\n";

static void page(const truce_report *r, buf *b)
{
    const char *title = r->title ? r->title : "truce report";
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"generator\" content=\"truce ");
    buf_puts(b, truce_version());
    buf_puts(b, "\">\n<title>");
    buf_escape(b, title);
    buf_puts(b, "</title>\n<style>\n");
    buf_puts(b, style);
    buf_puts(b, "</style>\n</head>\n<body>\n<h1>");
    buf_escape(b, title);
    buf_puts(b, "</h1>\n");
    if (!r->n_sections)
        buf_puts(b, "<p>This report is empty.</p>\n");
    buf_write(b, r->body.data ? r->body.data : "", r->body.len);
    buf_puts(b, "<footer>Made by truce ");
    buf_puts(b, truce_version());
    buf_puts(b, ". Every plot is inline SVG and can be saved alone with "
                "<code>truce report --svg DIR</code>; docs/reports.md explains how to read "
                "them.</footer>\n</body>\n</html>\n");
}

int truce_report_html(const truce_report *r, char **out, size_t *length, truce_error *err)
{
    error_clear(err);
    if (!r || !out)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (r->body.failed)
        return error_nomem(err);
    buf b;
    buf_init(&b);
    page(r, &b);
    if (b.failed) {
        buf_free(&b);
        return error_nomem(err);
    }
    *out = b.data;
    if (length)
        *length = b.len;
    return 0;
}

/* Write text to path complete or not at all, as every output file (atomic.h): a temporary file
 * renamed over a regular file, keeping its permissions; devices, pipes and links to them are
 * written directly (renaming over them replaced /dev/null with a file); failures say so. */
static int write_atomic(const char *path, const char *text, size_t len, truce_error *err)
{
    atomic_file af;
    int rc = atomic_open(&af, path, err);
    if (rc)
        return rc;
    errno = 0;
    if (fwrite(text, 1, len, af.f) != len) {
        int code = errno ? errno : EIO;
        atomic_abort(&af);
        return error_set(err, TRUCE_EIO, path, 0, NULL, "write failed: %s", strerror(code));
    }
    if ((rc = atomic_finish(&af, err)) == 0)
        rc = atomic_commit(&af, err);
    atomic_abort(&af);
    return rc;
}

int truce_report_write_html(const truce_report *r, const char *path, truce_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = truce_report_html(r, &text, &len, err);
    if (rc)
        return rc;
    if (!path) {
        free(text);
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL path");
    }
    rc = write_atomic(path, text, len, err);
    free(text);
    return rc;
}

int truce_report_write_svg(const truce_report *r, const char *dir, truce_error *err)
{
    error_clear(err);
    if (!r || !dir)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    for (size_t k = 0; k < r->n_figures; k++) {
        size_t n = strlen(dir) + strlen(r->figures[k].name) + 2;
        char *path = malloc(n);
        if (!path)
            return error_nomem(err);
        snprintf(path, n, "%s/%s", dir, r->figures[k].name);
        const char *svg = r->figures[k].svg;
        static const char header[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        size_t len = strlen(svg);
        char *doc = malloc(sizeof header + len);
        if (!doc) {
            free(path);
            return error_nomem(err);
        }
        memcpy(doc, header, sizeof header - 1);
        memcpy(doc + sizeof header - 1, svg, len + 1);
        int rc = write_atomic(path, doc, sizeof header - 1 + len, err);
        free(doc);
        free(path);
        if (rc)
            return rc;
    }
    return 0;
}
