/* svg.h: a growable text buffer and the SVG plotting primitives every report
 * kind draws with: axes, markers, lines, density grids, legends, bars, heat maps. */
#ifndef TRUCE_REPORT_SVG_H
#define TRUCE_REPORT_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"

/* Text that grows as it is written. A failed allocation sets `failed` and
 * later writes do nothing, so callers check once at the end. */
typedef struct buf {
    char *data; /* NUL-terminated when len > 0 */
    size_t len, cap;
    int failed;
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
void buf_puts(buf *b, const char *s);
void buf_write(buf *b, const char *s, size_t n);
void buf_printf(buf *b, const char *fmt, ...) TRUCE_PRINTF(2, 3);
/* s with & < > " ' escaped for XML and HTML text and attribute values. */
void buf_escape(buf *b, const char *s);

/* Numbers as short text: utilities and other values with 4 significant
 * digits (%.4g), pixel coordinates to 0.1 px. `out` holds 32 bytes. */
const char *num4(char *out, double v);
const char *pix(char *out, double v);

/* The Okabe-Ito palette (Okabe and Ito 2008, "Color Universal Design"),
 * distinguishable with the common colour-vision deficiencies; index 0 is
 * black. palette_party(k) gives party k a colour, skipping black and yellow
 * (too light on white) for the first six parties. */
extern const char *const okabe_ito[8];
const char *palette_party(size_t k);

/* Marker shapes, so that points differ by shape as well as by colour. */
typedef enum marker {
    MARK_CIRCLE = 0,
    MARK_SQUARE,
    MARK_DIAMOND,
    MARK_TRIANGLE,
    MARK_CROSS,
    MARK_STAR
} marker;

/* A plot area inside an SVG image: pixels [x0, x0 + width] x [y0, y0 +
 * height] show data [xmin, xmax] x [ymin, ymax]. The mapping, written on the
 * plot's <g class="plot"> element as data-x0, data-y0, data-width,
 * data-height, data-xmin, data-xmax, data-ymin and data-ymax, is
 *   px = x0 + (x - xmin) / (xmax - xmin) * width
 *   py = y0 + height - (y - ymin) / (ymax - ymin) * height
 * (SVG's y axis points down). */
typedef struct plot {
    buf *b;
    double x0, y0, width, height;
    double xmin, xmax, ymin, ymax;
} plot;

/* <svg> with its size, an accessible title and the shared style, and its end. */
void svg_open(buf *b, double width, double height, const char *title);
void svg_close(buf *b);

/* Open the plot group (with its data- mapping and the given class, e.g.
 * "plot utility-space") and close it. A degenerate range is widened. */
void plot_open(plot *p, buf *b, const char *cls, double x0, double y0, double width, double height,
               double xmin, double xmax, double ymin, double ymax);
void plot_close(plot *p);
double plot_px(const plot *p, double x);
double plot_py(const plot *p, double y);

/* Frame, grid, ticks with labels, axis titles; flags: AXES_INTEGER_X puts
 * the x ticks on whole numbers, AXES_NO_X_TICKS leaves them out (the caller
 * labels categories). */
enum { AXES_INTEGER_X = 1, AXES_NO_X_TICKS = 2 };
void plot_axes(plot *p, const char *xlabel, const char *ylabel, int flags);

/* One marker at data (x, y); size is its radius in pixels. cls may be NULL;
 * tooltip (an SVG <title>, shown on hover) may be NULL. Filled markers get a
 * thin white outline so that overlapping ones stay visible. */
void plot_marker(plot *p, double x, double y, marker shape, double size, const char *colour,
                 const char *cls, const char *tooltip);
/* A polyline through n data points (NaN points break it). dash NULL: solid. */
void plot_line(plot *p, const double *x, const double *y, size_t n, const char *colour,
               double stroke_width, const char *dash, const char *cls);
/* Horizontal / vertical line across the plot at data value v, with a short
 * label at its end (label may be NULL). */
void plot_hline(plot *p, double v, const char *colour, const char *dash, const char *label,
                const char *cls);
void plot_vline(plot *p, double v, const char *colour, const char *dash, const char *label,
                const char *cls);
/* nx * ny counts over the plot's data range (row 0 at ymin), drawn as cells
 * whose opacity grows with log(1 + count); empty cells are not drawn. */
void plot_density(plot *p, const uint64_t *counts, size_t nx, size_t ny, const char *colour,
                  const char *cls);

/* A legend: entries stacked from (x, y) downwards, 18 px apart. */
typedef struct legend {
    buf *b;
    double x, y;
} legend;
void legend_open(legend *l, buf *b, double x, double y);
void legend_marker(legend *l, marker shape, const char *colour, const char *text);
void legend_line(legend *l, const char *colour, const char *dash, const char *text);
void legend_area(legend *l, const char *colour, double opacity, const char *text);
void legend_text(legend *l, const char *text);
void legend_close(legend *l);

/* Grouped bars: n_groups groups of n_series bars each, values[g * n_series
 * + s], with error bars when low/high are not NULL (same layout); series s
 * is coloured colours[s] and named in the legend. The fields after `high`
 * may be left zero. The plot area starts at (60, 34), leaves 270 px on the
 * right for the legend and 60 px below, and spans y from ymin to ymax (both
 * zero: from 0 to 1.1 times the highest value or error bar). Group g of
 * w = width / n_groups pixels holds series s's bar from x0 + (g + 0.1) w +
 * s b, b = 0.8 w / n_series, 0.92 b wide, between py(0) and py(value), and
 * its error bar at x = that + 0.46 b from py(low) to py(high). Group names
 * too long for their group are turned 45 degrees and cut to 24 characters
 * (beginning ... end, so that parameters stay visible),
 * and the image grows downwards to hold them. */
typedef struct bars {
    const char *title, *ylabel;
    size_t n_groups, n_series;
    const char *const *group_names;
    const char *const *series_names;
    const char *const *colours;
    const double *values, *low, *high;
    const char *xlabel;        /* NULL: none */
    const char *interval_name; /* legend entry of the error bars, e.g. "95% CI" */
    double ymin, ymax;
} bars;
void svg_bar_chart(buf *b, const bars *chart, double width, double height);

/* Viridis (van der Walt and Smith, matplotlib 2015), a sequential scale
 * that stays ordered for the common colour-vision deficiencies and in grey:
 * the colour at t in [0, 1] (clamped) as "#RRGGBB" in out (8 bytes),
 * linearly interpolated in sRGB between its 11 stops at t = 0, 0.1, ..., 1. */
const char *viridis(char *out, double t);

/* A continuous colour scale shown beside a heat map: values from min (t =
 * 0) to max (t = 1) coloured viridis(t), drawn as a vertical bar of 50 steps
 * with ticks and a title. */
typedef struct colour_scale {
    const char *title;
    double min, max;
} colour_scale;

/* A heat map: rows x columns cells coloured colours[row * n_cols + col]
 * (NULL entries: empty), with text (may be NULL) and a tooltip each, and row
 * and column headers. */
typedef struct heatmap {
    const char *title;
    size_t n_rows, n_cols;
    const char *const *row_names;
    const char *const *col_names;
    const char *const *colours;
    const char *const *texts;
    const char *const *tooltips;
    const colour_scale *scale; /* NULL: no scale legend */
} heatmap;
void svg_heatmap(buf *b, const heatmap *map, double cell_width, double cell_height);

#endif
