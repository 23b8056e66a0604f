/* frontier.h: the Pareto frontier every analysis method produces (distinct
 * utility vectors, one representative outcome each, exact outcome count),
 * and the three methods that compute it. */
#ifndef TRUCE_ANALYSIS_FRONTIER_H
#define TRUCE_ANALYSIS_FRONTIER_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/scenario.h"

typedef struct frontier {
    size_t n_parties;
    size_t n_issues;
    size_t len;        /* distinct utility vectors */
    double *u;         /* len * n_parties, sorted by pareto_compare_desc */
    uint32_t *outcome; /* len * n_issues: one outcome per vector */
    const char *count; /* Pareto-optimal outcomes, decimal */
} frontier;

/* 1 when the additive merge is exact for s: every profile is linear and no
 * party can exceed utility 1 (the GENIUS cap would break additivity). */
int merge_applies(const truce_scenario *s);

/* Exact frontier of a linear additive scenario by combining issues one at a
 * time and pruning dominated partial outcomes. Result allocated in `out_arena`.
 * TRUCE_ELIMIT when a partial frontier exceeds max_frontier. */
int merge_frontier(frontier *out, arena *out_arena, const truce_scenario *s, size_t max_frontier,
                   truce_error *err);

/* Exact frontier by visiting every outcome (any profile kind). */
int enumerate_frontier(frontier *out, arena *out_arena, const truce_scenario *s, truce_error *err);

/* 1 when branch and bound applies: every profile is linear or a sum of
 * constraint terms (no min/max aggregation). */
int bound_applies(const truce_scenario *s);

/* Exact frontier by branch and bound over option classes (see bound.c);
 * TRUCE_ELIMIT after max_nodes search nodes. */
int bound_frontier(frontier *out, arena *out_arena, const truce_scenario *s, double max_nodes,
                   uint64_t seed, truce_error *err);

/* Approximate frontier by seeded local search on weighted sums of the
 * parties' utilities; count is the number of distinct vectors found. */
int search_frontier(frontier *out, arena *out_arena, const truce_scenario *s, uint64_t seed,
                    double effort, truce_error *err);

#endif
