/* channels.c: channels with time windows: whether a channel is open at a
 * relative time, the times the channel graph changes, routes at a time. */
#include "channels.h"

#include <math.h>
#include <stdlib.h>

int channels_timed(const truce_scenario *s)
{
    for (size_t k = 0; k < s->n_windows; k++)
        if (s->windows[k].timed)
            return 1;
    return 0;
}

int truce_channel_open(const truce_scenario *s, size_t a, size_t b, double t)
{
    if (!truce_channel(s, a, b))
        return 0;
    if (!s->windows)
        return 1;
    for (size_t k = 0; k < s->n_windows; k++) {
        const channel_window *w = &s->windows[k];
        if (((w->a == a && w->b == b) || (w->a == b && w->b == a)) && w->from <= t && t < w->until)
            return 1;
    }
    return 0;
}

size_t truce_channel_windows(const truce_scenario *s, size_t a, size_t b, double *from,
                             double *until, size_t cap)
{
    if (!s || !truce_channel(s, a, b))
        return 0;
    if (!s->windows) {
        if (cap) {
            from[0] = 0;
            until[0] = 1;
        }
        return 1;
    }
    size_t n = 0;
    for (size_t k = 0; k < s->n_windows; k++) {
        const channel_window *w = &s->windows[k];
        if ((w->a == a && w->b == b) || (w->a == b && w->b == a)) {
            if (n < cap) {
                from[n] = w->from;
                until[n] = w->until < 1 ? w->until : 1;
            }
            n++;
        }
    }
    return n;
}

double truce_scenario_days(const truce_scenario *s)
{
    return s ? s->days : 0;
}

static int ascending(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

size_t channel_breaks(const truce_scenario *s, double *out)
{
    size_t n = 0;
    out[n++] = 0;
    for (size_t k = 0; k < s->n_windows; k++) {
        const channel_window *w = &s->windows[k];
        if (w->from > 0 && w->from < 1)
            out[n++] = w->from;
        if (w->until > 0 && w->until < 1)
            out[n++] = w->until;
    }
    qsort(out, n, sizeof *out, ascending);
    size_t kept = 0;
    for (size_t k = 0; k < n; k++)
        if (kept == 0 || out[k] != out[kept - 1])
            out[kept++] = out[k];
    return kept;
}

void channel_search(const truce_scenario *s, size_t from, double t, int relay_role, size_t *prev,
                    size_t *queue)
{
    size_t n = s->n_parties;
    for (size_t k = 0; k < n; k++)
        prev[k] = (size_t)-1;
    prev[from] = from;
    size_t head = 0, tail = 0;
    queue[tail++] = from;
    while (head < tail) {
        size_t x = queue[head++];
        if (x != from && relay_role >= 0 && (int)s->parties[x].role != relay_role)
            continue;
        for (size_t y = 0; y < n; y++)
            if (prev[y] == (size_t)-1 && truce_channel_open(s, x, y, t)) {
                prev[y] = x;
                queue[tail++] = y;
            }
    }
}

double channel_next_open(const truce_scenario *s, size_t a, size_t b, double t)
{
    if (truce_channel_open(s, a, b, t))
        return t;
    double best = -1;
    for (size_t k = 0; k < s->n_windows; k++) {
        const channel_window *w = &s->windows[k];
        if (!((w->a == a && w->b == b) || (w->a == b && w->b == a)))
            continue;
        if (w->from > t && w->from < 1 && w->from < w->until && (best < 0 || w->from < best))
            best = w->from;
    }
    return best;
}
