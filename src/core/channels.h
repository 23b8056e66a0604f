/* channels.h: channels with time windows (docs/scenario-format.md#channels-over-time):
 * which channels are open at a time, when the channel graph changes, routes at a time. */
#ifndef TRUCE_CORE_CHANNELS_H
#define TRUCE_CORE_CHANNELS_H

#include <stddef.h>

#include "scenario.h"

/* 1 when some channel of s has a time window. */
int channels_timed(const truce_scenario *s);

/* The times in [0, 1) at which the channel graph may change, ascending and
 * distinct: 0 and every end of a window inside (0, 1). The graph is the same
 * at every t of [out[k], out[k+1]) (and of [out[last], 1]). out has room for
 * 2 * s->n_windows + 1 entries; returns how many were written (1 when no
 * channel has a window). */
size_t channel_breaks(const truce_scenario *s, double *out);

/* Breadth-first search from party `from` at relative time t along the
 * channels open at t, visiting parties in order; only parties whose role is
 * relay_role pass messages on (any party when relay_role < 0). Fills prev
 * (prev[from] = from, (size_t)-1 for parties not reached); queue has room for
 * s->n_parties entries. */
void channel_search(const truce_scenario *s, size_t from, double t, int relay_role, size_t *prev,
                    size_t *queue);

/* The first time >= t at which a and b have an open channel, or -1 when
 * none comes before the end (t in [0, 1]). */
double channel_next_open(const truce_scenario *s, size_t a, size_t b, double t);

#endif
