/* frontier.h: the Pareto frontier every analysis method produces (distinct
 * utility vectors, one representative outcome each, exact outcome count),
 * and the three methods that compute it. */
#ifndef TRUCE_ANALYSIS_FRONTIER_H
#define TRUCE_ANALYSIS_FRONTIER_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/scenario.h"
#include "dominance.h"

typedef struct frontier {
    size_t n_parties; /* dimensions: the frame's bargainers */
    size_t n_issues;
    size_t len;        /* distinct utility vectors */
    double *u;         /* len * n_parties, sorted by pareto_compare_desc */
    uint32_t *outcome; /* len * n_issues: one outcome per vector */
    const char *count; /* Pareto-optimal outcomes, decimal */
} frontier;

/* What a frontier is computed over (docs/analysis.md): the bargainers'
 * utilities (the frontier's dimensions, in this order) and, per issue, the
 * options considered: the feasible ones (no bargainer's hard condition
 * excludes them), or every option for the analysis that ignores hard
 * conditions. Hard conditions restrict issues one at a time, so the
 * outcomes considered are exactly the product of these option lists. */
typedef struct frame {
    const truce_scenario *s;
    size_t n;                       /* bargainers */
    const size_t *party;            /* their party indices */
    const uint32_t *const *options; /* per issue: options considered, ascending */
    const uint32_t *n_options;      /* per issue; 0 makes the frame empty */
    dominance_work *work;           /* the bound on the dominance filter's work for three or
                                       more bargainers (dominance.h); NULL: none */
    int cross; /* rules read several issues (docs/scenario-format.md#constraint-expressions):
                  the outcomes considered are those of the product that satisfy them, and
                  frame_first/frame_next walk only those */
} frame;

/* The frame of s's bargainers over its feasible options (feasible_only) or
 * over every option, allocated in a. 0 or TRUCE_ENOMEM. */
int frame_build(frame *out, arena *a, const truce_scenario *s, int feasible_only);

static inline const party *frame_party(const frame *fr, size_t k)
{
    return &fr->s->parties[fr->party[k]];
}

/* 1 when the frame holds no outcome (some issue has no option left). */
int frame_empty(const frame *fr);
/* Number of outcomes in the frame, as a double (inf beyond its range). */
double frame_size(const frame *fr);

/* Mixed-radix walk over the frame's outcomes: pos holds each issue's
 * position in its option list, o the outcome. frame_first returns 0 for an
 * empty frame; frame_next returns 0 after the last outcome. With cross
 * rules the walk skips the outcomes that break them, pruning partial
 * outcomes no completion can satisfy (constraint_seek). */
int frame_first(const frame *fr, uint32_t *pos, uint32_t *o);
int frame_next(const frame *fr, uint32_t *pos, uint32_t *o);

/* 1 when the additive merge is exact for the frame: every bargainer's
 * profile is linear and none can exceed utility 1 (the GENIUS cap would
 * break additivity). */
int merge_applies(const frame *fr);

/* Exact frontier of a linear additive frame by combining issues one at a
 * time and pruning dominated partial outcomes. Result allocated in `out_arena`.
 * TRUCE_ELIMIT when a partial frontier exceeds max_frontier. */
int merge_frontier(frontier *out, arena *out_arena, const frame *fr, size_t max_frontier,
                   truce_error *err);

/* Exact frontier by visiting every outcome of the frame (any profile kind). */
int enumerate_frontier(frontier *out, arena *out_arena, const frame *fr, truce_error *err);

/* 1 when branch and bound applies: every bargainer's profile is linear or a
 * sum of constraint terms (no min/max aggregation). */
int bound_applies(const frame *fr);

/* Exact frontier by branch and bound over option classes (see bound.c);
 * TRUCE_ELIMIT after max_nodes search nodes. */
int bound_frontier(frontier *out, arena *out_arena, const frame *fr, double max_nodes,
                   uint64_t seed, truce_error *err);

/* Approximate frontier by seeded local search on weighted sums of the
 * bargainers' utilities; count is the number of distinct vectors found. */
int search_frontier(frontier *out, arena *out_arena, const frame *fr, uint64_t seed,
                    double effort, truce_error *err);

#endif
