/* svg.c: SVG plotting primitives shared by every report kind (see svg.h):
 * presentation attributes only, no scripts, numbers kept short. */
#include "svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

void buf_init(buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void buf_free(buf *b)
{
    free(b->data);
    buf_init(b);
}

static int buf_reserve(buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = 1;
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

void buf_write(buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
    buf_write(b, s, strlen(s));
}

void buf_printf(buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        buf_write(b, small, (size_t)n);
        return;
    }
    if (buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_escape(buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            /* control characters are not allowed in XML 1.0 */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                rep = " ";
        }
        if (rep) {
            buf_write(b, run, (size_t)(s - run));
            buf_puts(b, rep);
            run = s + 1;
        }
    }
    buf_write(b, run, (size_t)(s - run));
}

const char *num4(char *out, double v)
{
    if (!isfinite(v))
        return strcpy(out, "NaN");
    if (fabs(v) < 5e-13)
        v = 0; /* no "-0" or "1e-17" from rounding noise */
    snprintf(out, 32, "%.4g", v);
    return out;
}

const char *pix(char *out, double v)
{
    if (!isfinite(v))
        v = 0;
    double r = round(v * 10) / 10;
    if (r == 0)
        r = 0;
    if (r == floor(r) && fabs(r) < 1e15)
        snprintf(out, 32, "%.0f", r);
    else
        snprintf(out, 32, "%.1f", r);
    return out;
}

const char *const okabe_ito[8] = {"#000000", "#E69F00", "#56B4E9", "#009E73",
                                  "#F0E442", "#0072B2", "#D55E00", "#CC79A7"};

const char *palette_party(size_t k)
{
    static const int order[] = {5, 6, 3, 7, 1, 2, 0, 4};
    return okabe_ito[order[k % 8]];
}

void svg_open(buf *b, double width, double height, const char *title)
{
    char w[32], h[32];
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %s %s\" width=\"%s\" "
               "height=\"%s\" font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\" "
               "font-size=\"12\" role=\"img\" aria-label=\"",
               pix(w, width), pix(h, height), w, h);
    buf_escape(b, title);
    buf_puts(b, "\"><title>");
    buf_escape(b, title);
    buf_printf(b, "</title><rect width=\"%s\" height=\"%s\" fill=\"#ffffff\"/>\n", w, h);
}

void svg_close(buf *b)
{
    buf_puts(b, "</svg>\n");
}

void plot_open(plot *p, buf *b, const char *cls, double x0, double y0, double width, double height,
               double xmin, double xmax, double ymin, double ymax)
{
    if (!(xmax > xmin)) {
        xmin -= 0.5;
        xmax = xmin + 1;
    }
    if (!(ymax > ymin)) {
        ymin -= 0.5;
        ymax = ymin + 1;
    }
    *p = (plot){b, x0, y0, width, height, xmin, xmax, ymin, ymax};
    char v[8][32];
    buf_printf(b,
               "<g class=\"%s\" data-x0=\"%s\" data-y0=\"%s\" data-width=\"%s\" "
               "data-height=\"%s\" data-xmin=\"%s\" data-xmax=\"%s\" data-ymin=\"%s\" "
               "data-ymax=\"%s\">\n",
               cls, pix(v[0], x0), pix(v[1], y0), pix(v[2], width), pix(v[3], height),
               num4(v[4], xmin), num4(v[5], xmax), num4(v[6], ymin), num4(v[7], ymax));
}

void plot_close(plot *p)
{
    buf_puts(p->b, "</g>\n");
}

double plot_px(const plot *p, double x)
{
    return p->x0 + (x - p->xmin) / (p->xmax - p->xmin) * p->width;
}

double plot_py(const plot *p, double y)
{
    return p->y0 + p->height - (y - p->ymin) / (p->ymax - p->ymin) * p->height;
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) giving about 5 to 10
 * ticks over the range. */
static double tick_step(double range, int integer)
{
    double raw = range / 6;
    double mag = pow(10, floor(log10(raw)));
    double step = mag;
    if (raw / mag > 5)
        step = 10 * mag;
    else if (raw / mag > 2)
        step = 5 * mag;
    else if (raw / mag > 1)
        step = 2 * mag;
    if (integer && step < 1)
        step = 1;
    return step;
}

void plot_axes(plot *p, const char *xlabel, const char *ylabel, int flags)
{
    buf *b = p->b;
    char a[32], c[32], d[32], e[32], f[32], t[32];
    double left = p->x0, right = p->x0 + p->width, top = p->y0, bottom = p->y0 + p->height;
    buf_puts(b, "<g class=\"axes\">\n");
    double step = tick_step(p->xmax - p->xmin, flags & AXES_INTEGER_X);
    for (double v = ceil(p->xmin / step - 1e-9) * step;
         !(flags & AXES_NO_X_TICKS) && v <= p->xmax + step * 1e-9; v += step) {
        double x = plot_px(p, v);
        buf_printf(b,
                   "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#e4e4e4\"/>"
                   "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"#333\">%s</text>\n",
                   pix(a, x), pix(c, top), a, pix(d, bottom), a, pix(e, bottom + 16), num4(t, v));
    }
    step = tick_step(p->ymax - p->ymin, 0);
    for (double v = ceil(p->ymin / step - 1e-9) * step; v <= p->ymax + step * 1e-9; v += step) {
        double y = plot_py(p, v);
        buf_printf(b,
                   "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#e4e4e4\"/>"
                   "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"#333\">%s</text>\n",
                   pix(a, left), pix(c, y), pix(d, right), c, pix(e, left - 6), pix(t, y + 4),
                   num4(f, v));
    }
    buf_printf(b,
               "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"none\" "
               "stroke=\"#555\"/>\n",
               pix(a, left), pix(c, top), pix(d, p->width), pix(e, p->height));
    buf_printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"13\">",
               pix(a, left + p->width / 2), pix(c, bottom + 36));
    buf_escape(b, xlabel);
    buf_printf(b,
               "</text>\n<text transform=\"translate(%s %s) rotate(-90)\" "
               "text-anchor=\"middle\" font-size=\"13\">",
               pix(a, left - 42), pix(c, top + p->height / 2));
    buf_escape(b, ylabel);
    buf_puts(b, "</text>\n</g>\n");
}

static void marker_shape(buf *b, double x, double y, marker shape, double r, const char *colour,
                         const char *cls)
{
    char a[32], c[32], d[32], e[32], f[32], g[32];
    const char *stroke = "#ffffff";
    if (shape == MARK_CROSS) {
        buf_printf(b, "<path d=\"M%s %sL%s %sM%s %sL%s %s\" stroke=\"%s\" stroke-width=\"2\"",
                   pix(a, x - r), pix(c, y - r), pix(d, x + r), pix(e, y + r), a, e, d, c, colour);
    } else if (shape == MARK_SQUARE) {
        buf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"",
                   pix(a, x - r), pix(c, y - r), pix(d, 2 * r), d, colour);
    } else if (shape == MARK_DIAMOND) {
        double q = r * 1.3;
        buf_printf(b, "<path d=\"M%s %sL%s %sL%s %sL%s %sZ\" fill=\"%s\"", pix(a, x), pix(c, y - q),
                   pix(d, x + q), pix(e, y), a, pix(f, y + q), pix(g, x - q), e, colour);
    } else if (shape == MARK_TRIANGLE) {
        double q = r * 1.3;
        buf_printf(b, "<path d=\"M%s %sL%s %sL%s %sZ\" fill=\"%s\"", pix(a, x), pix(c, y - q),
                   pix(d, x + q), pix(e, y + q * 0.8), pix(f, x - q), e, colour);
    } else if (shape == MARK_STAR) {
        buf_puts(b, "<path d=\"");
        for (int k = 0; k < 10; k++) {
            double rad = k % 2 ? r * 0.5 : r * 1.4;
            double ang = -PI / 2 + k * PI / 5;
            buf_printf(b, "%c%s %s", k ? 'L' : 'M', pix(a, x + rad * cos(ang)),
                       pix(c, y + rad * sin(ang)));
        }
        buf_printf(b, "Z\" fill=\"%s\"", colour);
    } else {
        buf_printf(b, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\"", pix(a, x), pix(c, y),
                   num4(d, r), colour);
    }
    if (shape != MARK_CROSS && r >= 3)
        buf_printf(b, " stroke=\"%s\" stroke-width=\"0.8\"", stroke);
    if (cls)
        buf_printf(b, " class=\"%s\"", cls);
}

void plot_marker(plot *p, double x, double y, marker shape, double size, const char *colour,
                 const char *cls, const char *tooltip)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    marker_shape(p->b, plot_px(p, x), plot_py(p, y), shape, size, colour, cls);
    if (tooltip) {
        buf_puts(p->b, "><title>");
        buf_escape(p->b, tooltip);
        buf_puts(p->b, "</title></");
        buf_puts(p->b, shape == MARK_CIRCLE ? "circle" : shape == MARK_SQUARE ? "rect" : "path");
        buf_puts(p->b, ">\n");
    } else {
        buf_puts(p->b, "/>\n");
    }
}

void plot_line(plot *p, const double *x, const double *y, size_t n, const char *colour,
               double stroke_width, const char *dash, const char *cls)
{
    char a[32], c[32];
    int open = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(x[k]) || !isfinite(y[k])) {
            open = 0;
            continue;
        }
        if (!open && !(k + 1 < n && isfinite(x[k + 1]) && isfinite(y[k + 1])) &&
            !(k > 0 && isfinite(x[k - 1]) && isfinite(y[k - 1])))
            continue; /* a lone point draws nothing */
        if (!open) {
            buf_printf(p->b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"", colour,
                       num4(a, stroke_width));
            if (dash)
                buf_printf(p->b, " stroke-dasharray=\"%s\"", dash);
            if (cls)
                buf_printf(p->b, " class=\"%s\"", cls);
            buf_puts(p->b, " stroke-linejoin=\"round\" d=\"M");
            open = 1;
        } else {
            buf_puts(p->b, "L");
        }
        buf_printf(p->b, "%s %s", pix(a, plot_px(p, x[k])), pix(c, plot_py(p, y[k])));
        if (!(k + 1 < n && isfinite(x[k + 1]) && isfinite(y[k + 1]))) {
            buf_puts(p->b, "\"/>\n");
            open = 0;
        }
    }
}

static void guide_line(plot *p, double x1, double y1, double x2, double y2, const char *colour,
                       const char *dash, const char *cls)
{
    char a[32], c[32], d[32], e[32];
    buf_printf(p->b,
               "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"",
               pix(a, x1), pix(c, y1), pix(d, x2), pix(e, y2), colour);
    if (dash)
        buf_printf(p->b, " stroke-dasharray=\"%s\"", dash);
    if (cls)
        buf_printf(p->b, " class=\"%s\"", cls);
    buf_puts(p->b, "/>\n");
}

static void guide_label(plot *p, double x, double y, const char *anchor, const char *colour,
                        const char *label)
{
    char a[32], c[32];
    if (!label)
        return;
    buf_printf(p->b, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" fill=\"%s\" font-size=\"11\">",
               pix(a, x), pix(c, y), anchor, colour);
    buf_escape(p->b, label);
    buf_puts(p->b, "</text>\n");
}

void plot_hline(plot *p, double v, const char *colour, const char *dash, const char *label,
                const char *cls)
{
    if (!(v >= p->ymin && v <= p->ymax))
        return;
    double y = plot_py(p, v);
    guide_line(p, p->x0, y, p->x0 + p->width, y, colour, dash, cls);
    guide_label(p, p->x0 + p->width - 4, y - 4, "end", colour, label);
}

void plot_vline(plot *p, double v, const char *colour, const char *dash, const char *label,
                const char *cls)
{
    if (!(v >= p->xmin && v <= p->xmax))
        return;
    double x = plot_px(p, v);
    guide_line(p, x, p->y0, x, p->y0 + p->height, colour, dash, cls);
    if (label) {
        char a[32], c[32];
        buf_printf(p->b,
                   "<text transform=\"translate(%s %s) rotate(-90)\" text-anchor=\"end\" "
                   "fill=\"%s\" font-size=\"11\">",
                   pix(a, x - 4), pix(c, p->y0 + 4), colour);
        buf_escape(p->b, label);
        buf_puts(p->b, "</text>\n");
    }
}

void plot_density(plot *p, const uint64_t *counts, size_t nx, size_t ny, const char *colour,
                  const char *cls)
{
    uint64_t max = 0;
    for (size_t k = 0; k < nx * ny; k++)
        if (counts[k] > max)
            max = counts[k];
    if (!max)
        return;
    double cw = p->width / (double)nx, ch = p->height / (double)ny;
    char a[32], c[32], d[32], e[32], f[32];
    buf_printf(p->b, "<g class=\"%s\" fill=\"%s\">\n", cls ? cls : "density", colour);
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            uint64_t n = counts[j * nx + i];
            if (!n)
                continue;
            /* at least 0.15 so that a cell holding one outcome still shows */
            double opacity = 0.15 + 0.85 * log1p((double)n) / log1p((double)max);
            buf_printf(p->b,
                       "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
                       "fill-opacity=\"%s\"><title>%llu outcomes</title></rect>\n",
                       pix(a, p->x0 + i * cw), pix(c, p->y0 + p->height - (j + 1) * ch), pix(d, cw),
                       pix(e, ch), num4(f, opacity), (unsigned long long)n);
        }
    buf_puts(p->b, "</g>\n");
}

void legend_open(legend *l, buf *b, double x, double y)
{
    l->b = b;
    l->x = x;
    l->y = y;
    buf_puts(b, "<g class=\"legend\">\n");
}

static void legend_label(legend *l, const char *text)
{
    char a[32], c[32];
    buf_printf(l->b, "<text x=\"%s\" y=\"%s\">", pix(a, l->x + 24), pix(c, l->y + 4));
    buf_escape(l->b, text);
    buf_puts(l->b, "</text>\n");
    l->y += 18;
}

void legend_marker(legend *l, marker shape, const char *colour, const char *text)
{
    marker_shape(l->b, l->x + 8, l->y, shape, 5, colour, NULL);
    buf_puts(l->b, "/>\n");
    legend_label(l, text);
}

void legend_line(legend *l, const char *colour, const char *dash, const char *text)
{
    char a[32], c[32], d[32];
    buf_printf(l->b,
               "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"2\"",
               pix(a, l->x), pix(c, l->y), pix(d, l->x + 18), c, colour);
    if (dash)
        buf_printf(l->b, " stroke-dasharray=\"%s\"", dash);
    buf_puts(l->b, "/>\n");
    legend_label(l, text);
}

void legend_area(legend *l, const char *colour, double opacity, const char *text)
{
    char a[32], c[32], d[32];
    buf_printf(l->b,
               "<rect x=\"%s\" y=\"%s\" width=\"16\" height=\"10\" fill=\"%s\" "
               "fill-opacity=\"%s\"/>\n",
               pix(a, l->x), pix(c, l->y - 5), colour, num4(d, opacity));
    legend_label(l, text);
}

void legend_text(legend *l, const char *text)
{
    char a[32], c[32];
    buf_printf(l->b, "<text x=\"%s\" y=\"%s\" fill=\"#555\" font-size=\"11\">", pix(a, l->x),
               pix(c, l->y + 4));
    buf_escape(l->b, text);
    buf_puts(l->b, "</text>\n");
    l->y += 16;
}

void legend_close(legend *l)
{
    buf_puts(l->b, "</g>\n");
}

static void escape_cut(buf *b, const char *s, size_t max);
static size_t longest(const char *const *names, size_t n);

/* Bars span from the baseline (0, or the end of the axis nearest to it) to
 * their value. */
static void bar_range(const bars *chart, double *min, double *max)
{
    *min = 0;
    *max = 0;
    if (chart->ymax > chart->ymin) {
        *min = chart->ymin;
        *max = chart->ymax;
        return;
    }
    size_t n = chart->n_groups * chart->n_series;
    for (size_t k = 0; k < n; k++) {
        double v = chart->high ? chart->high[k] : chart->values[k];
        if (isfinite(v) && v > *max)
            *max = v;
        if (isfinite(chart->values[k]) && chart->values[k] > *max)
            *max = chart->values[k];
    }
    *max = *max > 0 ? *max * 1.1 : 1;
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void bar_tooltip(buf *b, const bars *chart, size_t g, size_t s)
{
    size_t k = g * chart->n_series + s;
    char t[32], u[32];
    buf_puts(b, "<title>");
    buf_escape(b, chart->group_names[g]);
    buf_puts(b, ", ");
    buf_escape(b, chart->series_names[s]);
    buf_printf(b, ": %s", num4(t, chart->values[k]));
    if (chart->low && chart->high && isfinite(chart->low[k]) && isfinite(chart->high[k]))
        buf_printf(b, " (%s %s to %s)", chart->interval_name ? chart->interval_name : "from",
                   num4(t, chart->low[k]), num4(u, chart->high[k]));
    buf_puts(b, "</title>");
}

static void bar_group_label(buf *b, const plot *p, const char *name, double cx, int turned)
{
    char e[32], t[32];
    if (turned) {
        /* turned down to the right, so that the first label stays inside
         * the image and the last one runs into the legend's margin */
        buf_printf(b, "<text transform=\"translate(%s %s) rotate(45)\" font-size=\"11\">",
                   pix(e, cx - 3), pix(t, p->y0 + p->height + 12));
        escape_cut(b, name, 24);
    } else {
        buf_printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">", pix(e, cx),
                   pix(t, p->y0 + p->height + 16));
        buf_escape(b, name);
    }
    buf_puts(b, "</text>\n");
}

void svg_bar_chart(buf *b, const bars *chart, double width, double height)
{
    double top = 34, bottom = 60, left = 60, right = 270;
    size_t groups = chart->n_groups ? chart->n_groups : 1;
    double group_w = (width - left - right) / (double)groups;
    /* about 6.5 px per character at 12 px */
    size_t len = longest(chart->group_names, chart->n_groups);
    int turned = 6.5 * (double)len > group_w * 0.95;
    double drop = turned ? 0.71 * 6.2 * (double)(len < 24 ? len : 24) : 0;
    double ymin, ymax;
    bar_range(chart, &ymin, &ymax);
    svg_open(b, width, height + drop, chart->title);
    plot p;
    plot_open(&p, b, "plot bars", left, top, width - left - right, height - top - bottom, 0,
              (double)groups, ymin, ymax);
    plot_axes(&p, turned || !chart->xlabel ? "" : chart->xlabel, chart->ylabel, AXES_NO_X_TICKS);
    if (turned && chart->xlabel) {
        char a[32], c[32];
        buf_printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"13\">",
                   pix(a, p.x0 + p.width / 2), pix(c, p.y0 + p.height + 36 + drop));
        buf_escape(b, chart->xlabel);
        buf_puts(b, "</text>\n");
    }
    double bar_w = group_w * 0.8 / (double)(chart->n_series ? chart->n_series : 1);
    double base = clamp(0, p.ymin, p.ymax);
    char a[32], c[32], d[32], e[32], t[32];
    for (size_t g = 0; g < chart->n_groups; g++) {
        /* group names replace the numeric ticks, which mean nothing here */
        bar_group_label(b, &p, chart->group_names[g], p.x0 + (g + 0.5) * group_w, turned);
        for (size_t s = 0; s < chart->n_series; s++) {
            size_t k = g * chart->n_series + s;
            double v = chart->values[k];
            if (!isfinite(v))
                continue;
            double x = p.x0 + g * group_w + group_w * 0.1 + s * bar_w;
            double y1 = plot_py(&p, clamp(v > base ? v : base, p.ymin, p.ymax));
            double y2 = plot_py(&p, clamp(v > base ? base : v, p.ymin, p.ymax));
            buf_printf(b,
                       "<rect class=\"bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
                       "fill=\"%s\">",
                       pix(a, x), pix(c, y1), pix(d, bar_w * 0.92), pix(e, y2 - y1),
                       chart->colours[s]);
            bar_tooltip(b, chart, g, s);
            buf_puts(b, "</rect>\n");
            if (chart->low && chart->high) {
                double lo = chart->low[k], hi = chart->high[k];
                double cx = x + bar_w * 0.46;
                if (isfinite(lo) && isfinite(hi))
                    buf_printf(b,
                               "<path class=\"interval\" d=\"M%s %sL%s %sM%s %sL%s %sM%s %sL%s "
                               "%s\" stroke=\"#000\" fill=\"none\"/>\n",
                               pix(a, cx), pix(c, plot_py(&p, clamp(lo, p.ymin, p.ymax))), a,
                               pix(d, plot_py(&p, clamp(hi, p.ymin, p.ymax))), pix(e, cx - 3), d,
                               pix(t, cx + 3), d, e, c, t, c);
            }
        }
    }
    plot_close(&p);
    legend l;
    legend_open(&l, b, width - right + 14, top + 8);
    for (size_t s = 0; s < chart->n_series; s++)
        legend_area(&l, chart->colours[s], 1, chart->series_names[s]);
    if (chart->low && chart->high && chart->interval_name)
        legend_line(&l, "#000", NULL, chart->interval_name);
    legend_close(&l);
    svg_close(b);
}

/* Text cut to at most `max` characters (bytes of ASCII; a cut never
 * splits a UTF-8 sequence), with "..." when cut. */
/* A name longer than max bytes keeps its beginning and its end around "...", so that two
 * agents told apart only by their parameters ("boulware:e=0.1", "boulware:e=0.3") stay
 * apart; cuts fall on UTF-8 character boundaries. */
static void escape_cut(buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        buf_escape(b, s);
        return;
    }
    size_t keep = max > 3 ? max - 3 : 1;
    size_t head = (keep + 1) / 2, tail = n - (keep - head);
    while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
        head--;
    while (tail < n && ((unsigned char)s[tail] & 0xC0) == 0x80)
        tail++;
    char *cut = malloc(head + 1);
    if (!cut) {
        b->failed = 1;
        return;
    }
    memcpy(cut, s, head);
    cut[head] = '\0';
    buf_escape(b, cut);
    buf_puts(b, "...");
    buf_escape(b, s + tail);
    free(cut);
}

static size_t longest(const char *const *names, size_t n)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (names[k] && strlen(names[k]) > m)
            m = strlen(names[k]);
    return m;
}

/* Dark fills get white text. */
static int dark(const char *colour)
{
    unsigned r, g, b;
    if (!colour || sscanf(colour, "#%2x%2x%2x", &r, &g, &b) != 3)
        return 0;
    return 0.299 * r + 0.587 * g + 0.114 * b < 110;
}

/* matplotlib's viridis at t = 0, 0.1, ..., 1 */
static const unsigned char viridis_stops[11][3] = {
    {0x44, 0x01, 0x54}, {0x48, 0x25, 0x76}, {0x41, 0x44, 0x87}, {0x35, 0x60, 0x8D},
    {0x2A, 0x78, 0x8E}, {0x21, 0x90, 0x8C}, {0x22, 0xA8, 0x84}, {0x43, 0xBF, 0x71},
    {0x7A, 0xD1, 0x51}, {0xBB, 0xDF, 0x27}, {0xFD, 0xE7, 0x25}};

const char *viridis(char *out, double t)
{
    t = isfinite(t) ? (t < 0 ? 0 : t > 1 ? 1 : t) : 0;
    size_t k = (size_t)(t * 10);
    if (k > 9)
        k = 9;
    double f = t * 10 - (double)k;
    int c[3];
    for (int i = 0; i < 3; i++)
        c[i] =
            (int)lround(viridis_stops[k][i] + f * (viridis_stops[k + 1][i] - viridis_stops[k][i]));
    snprintf(out, 8, "#%02X%02X%02X", c[0], c[1], c[2]);
    return out;
}

/* The scale as a bar of 50 steps at (x, y), `height` tall, max at the top,
 * with ticks on round values and its title turned along its right side. */
static void scale_legend(buf *b, const colour_scale *sc, double x, double y, double height)
{
    double min = sc->min, max = sc->max > sc->min ? sc->max : sc->min + 1;
    char a[32], c[32], d[32], e[32], f[32], g[32], col[8];
    buf_printf(b, "<g class=\"colour-scale\" data-min=\"%s\" data-max=\"%s\">\n", num4(a, min),
               num4(c, max));
    double step_h = height / 50;
    for (int k = 0; k < 50; k++)
        buf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"16\" height=\"%s\" fill=\"%s\"/>\n",
                   pix(a, x), pix(c, y + height - (k + 1) * step_h), pix(d, step_h + 0.3),
                   viridis(col, (k + 0.5) / 50));
    buf_printf(b,
               "<rect x=\"%s\" y=\"%s\" width=\"16\" height=\"%s\" fill=\"none\" "
               "stroke=\"#555\"/>\n",
               pix(a, x), pix(c, y), pix(d, height));
    double step = tick_step(max - min, 0);
    for (double v = ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
        double ty = y + height - (v - min) / (max - min) * height;
        buf_printf(b,
                   "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#555\"/>"
                   "<text x=\"%s\" y=\"%s\" fill=\"#333\" font-size=\"11\">%s</text>\n",
                   pix(a, x + 16), pix(c, ty), pix(d, x + 20), c, pix(e, x + 23), pix(f, ty + 4),
                   num4(g, v));
    }
    buf_printf(b,
               "<text transform=\"translate(%s %s) rotate(-90)\" text-anchor=\"middle\" "
               "font-size=\"12\">",
               pix(a, x + 68), pix(c, y + height / 2));
    buf_escape(b, sc->title ? sc->title : "");
    buf_puts(b, "</text>\n</g>\n");
}

void svg_heatmap(buf *b, const heatmap *map, double cell_width, double cell_height)
{
    /* about 6.5 px per character at 11 px; column heads are turned 50 degrees */
    size_t row_len = longest(map->row_names, map->n_rows);
    size_t col_len = longest(map->col_names, map->n_cols);
    double left = 16 + 6.5 * (double)(row_len < 40 ? row_len : 40);
    double top = 16 + 5.2 * (double)(col_len < 40 ? col_len : 40);
    double grid_w = cell_width * (double)map->n_cols, grid_h = cell_height * (double)map->n_rows;
    double scale_h = grid_h < 150 ? 150 : grid_h > 260 ? 260 : grid_h;
    double width = left + grid_w + (map->scale ? 130 : 40);
    double height = top + (map->scale && scale_h > grid_h ? scale_h : grid_h) + 12;
    size_t fit = (size_t)(cell_width / 6.2);
    char a[32], c[32], d[32], e[32];
    svg_open(b, width, height, map->title);
    buf_printf(b,
               "<g class=\"heatmap\" data-x0=\"%s\" data-y0=\"%s\" data-cell-width=\"%s\" "
               "data-cell-height=\"%s\">\n",
               pix(a, left), pix(c, top), pix(d, cell_width), pix(e, cell_height));
    for (size_t col = 0; col < map->n_cols; col++) {
        buf_printf(b, "<text transform=\"translate(%s %s) rotate(-50)\" font-size=\"11\">",
                   pix(a, left + (col + 0.5) * cell_width), pix(c, top - 6));
        escape_cut(b, map->col_names[col], 40);
        buf_puts(b, "</text>\n");
    }
    for (size_t row = 0; row < map->n_rows; row++) {
        double y = top + row * cell_height;
        buf_printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-size=\"11\">",
                   pix(a, left - 6), pix(c, y + cell_height / 2 + 4));
        escape_cut(b, map->row_names[row], 40);
        buf_puts(b, "</text>\n");
        for (size_t col = 0; col < map->n_cols; col++) {
            size_t k = row * map->n_cols + col;
            double x = left + col * cell_width;
            buf_printf(b,
                       "<rect class=\"cell\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
                       "fill=\"%s\" stroke=\"#ffffff\">",
                       pix(a, x), pix(c, y), pix(d, cell_width), pix(e, cell_height),
                       map->colours[k] ? map->colours[k] : "#f2f2f2");
            const char *tip = map->tooltips && map->tooltips[k]
                                  ? map->tooltips[k]
                                  : (map->texts ? map->texts[k] : NULL);
            if (tip) {
                buf_puts(b, "<title>");
                buf_escape(b, tip);
                buf_puts(b, "</title>");
            }
            buf_puts(b, "</rect>\n");
            if (map->texts && map->texts[k]) {
                buf_printf(b,
                           "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"10\""
                           "%s>",
                           pix(a, x + cell_width / 2), pix(c, y + cell_height / 2 + 4),
                           dark(map->colours[k]) ? " fill=\"#ffffff\"" : "");
                escape_cut(b, map->texts[k], fit);
                buf_puts(b, "</text>\n");
            }
        }
    }
    buf_puts(b, "</g>\n");
    if (map->scale)
        scale_legend(b, map->scale, left + grid_w + 24, top, scale_h);
    svg_close(b);
}
