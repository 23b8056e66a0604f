/* report.h: what the report kinds share: the report being built (its HTML
 * body and its figures) and the utility-space plot with its outcome cloud. */
#ifndef TRUCE_REPORT_REPORT_H
#define TRUCE_REPORT_REPORT_H

/* Reports live in the library, not the CLI, because they read what the
 * library computes (the analysis, the outcome space, its hard conditions)
 * and are useful to any program that runs negotiations, as the tournament
 * runner will be; like every library call they write only into caller
 * buffers and caller-named files, and never print. */

#include "svg.h"
#include "truce.h"

typedef struct figure {
    char *name; /* file name for --svg, e.g. "02-utility-space-a-b.svg" */
    char *svg;  /* the standalone SVG document */
} figure;

struct truce_report {
    truce_report_options o;
    char *title;
    buf body; /* the sections, in order */
    figure *figures;
    size_t n_figures, cap_figures;
    size_t n_sections;
    uint64_t max_trace_line; /* truce_limits.max_trace_line: bytes of one trace record */
    truce_limits limits;     /* the caller's (any version), upgraded; defaults without */
};

/* Add a finished SVG (taking its text; svg is emptied) as a figure: stored
 * for --svg and, unless svg_only, shown in the page with its caption (HTML
 * text, may be NULL). `slug` names the file after its number. */
int report_figure(truce_report *r, const char *slug, buf *svg, const char *caption, int svg_only,
                  truce_error *err);
/* <section> with a heading (escaped) and an anchor; its end. */
void report_section_open(truce_report *r, const char *heading);
void report_section_close(truce_report *r);
/* A paragraph of explanatory text (escaped). */
void report_note(truce_report *r, const char *text);
/* Where the report stands, to undo a section that failed half-way. */
typedef struct report_mark {
    size_t body_len, n_figures, n_sections;
} report_mark;
report_mark report_save(const truce_report *r);
void report_restore(truce_report *r, report_mark m);
/* Take the first section's heading as the page title when none was given. */
void report_default_title(truce_report *r, const char *title);

/* ---- the utility space of pairs of parties ---- */

/* Utilities of the outcomes shown as the backdrop of utility-space plots:
 * every outcome when the space has at most max_enumerate, otherwise a seeded
 * uniform sample; only the parties that appear in a plot are kept. */
typedef struct cloud {
    size_t n;              /* outcomes held */
    size_t n_parties;      /* parties kept */
    size_t *party;         /* their scenario indices */
    float *u;              /* n * n_parties */
    unsigned char *vetoed; /* 1: some party's hard condition vetoes the outcome */
    int sampled;           /* 1: a random sample of a larger space */
    int any_vetoed;
    char count[64]; /* the space's size as a decimal string (or "about 1eN") */
} cloud;

int cloud_build(cloud *c, const truce_scenario *s, const size_t *parties, size_t n_parties,
                const truce_report_options *o, truce_error *err);
void cloud_free(cloud *c);

/* A path drawn over the space (a party's offers, the drafts): n points. */
typedef struct space_path {
    const double *x, *y;
    size_t n;
    const char *colour;
    const char *name; /* legend text */
    marker shape;     /* marker at each point */
    const char *cls;  /* class of the markers, e.g. "offer" */
} space_path;

/* One point with a legend entry (an agreement, the last draft). */
typedef struct space_mark {
    double x, y;
    marker shape;
    const char *colour;
    const char *name;
    const char *cls;
} space_mark;

/* Everything a utility-space plot of parties (px, py) can show. scenario,
 * cloud and analysis may be NULL (a trace alone); names are the axis titles. */
typedef struct space_view {
    const truce_scenario *s;
    const truce_analysis *an;
    const cloud *c;
    size_t px, py; /* scenario party indices (when s is given) */
    const char *xname, *yname;
    const char *title;
    const space_path *paths;
    size_t n_paths;
    const space_mark *marks;
    size_t n_marks;
    size_t max_dots;
} space_view;

/* The plot as a standalone SVG. Layout constants (docs/reports.md): image
 * 760 x 480, plot area x0 = 70, y0 = 20, 400 x 400 pixels, both axes from
 * min(0, lowest utility shown) to 1. */
#define SPACE_WIDTH 760
#define SPACE_HEIGHT 480
#define SPACE_X0 70
#define SPACE_Y0 20
#define SPACE_SIZE 400
void space_plot(buf *b, const space_view *v);

/* Pairs of parties to plot among `parties` (n of them): every pair, in
 * order, at most max_pairs; pairs[2k], pairs[2k+1]. Returns the count. */
size_t choose_pairs(size_t *pairs, size_t n, size_t max_pairs);

/* Principals of the scenario (every party when fewer than two), into
 * out (party_count entries); returns their number. */
size_t report_principals(const truce_scenario *s, size_t *out);

/* A file-name-safe slug of text into out (size bytes). */
void report_slug(char *out, size_t size, const char *text);

/* ---- traces ---- */

struct json_t;

/* One record of a JSON Lines trace and the line it was read from. */
typedef struct record {
    struct json_t *j;
    size_t line;
} record;

/* A trace's seed as text: an integer, or a decimal string (seeds beyond 2^63 - 1 are written
 * so); 0 when it is neither. */
int seed_text(const struct json_t *seed, char *out, size_t size);

/* "file:line: message" into err (TRUCE_EPARSE). */
int trace_error(truce_error *err, const char *path, size_t line, const char *field, const char *fmt,
                ...) TRUCE_PRINTF(5, 6);

/* When a trace's agreed outcome ({issue: option} as traces write it) breaks
 * a principal's hard condition of scenario s, a warning paragraph naming
 * the condition (`what` says whose outcome: "This agreement"); nothing when
 * it is feasible or does not read as an outcome of s. */
void report_flag_infeasible(truce_report *r, const truce_scenario *s, const struct json_t *outcome,
                            const char *what);

/* The sections of a negotiation trace and of a mediation trace; records
 * are validated as they are read (errors name the line), and nothing is
 * added to the report unless every record is valid. */
int report_negotiation(truce_report *r, const char *path, const record *records, size_t n,
                       const truce_scenario *s, const truce_analysis *an, truce_error *err);
int report_mediation(truce_report *r, const char *path, const record *records, size_t n,
                     const truce_scenario *s, const truce_analysis *an, truce_error *err);

#endif
