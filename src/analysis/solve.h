/* solve.h: the analysis of one frame without building a truce_analysis, for
 * callers that solve many variants of a scenario (truce_robust, the margin
 * search): the frontier, the bargaining points, the zone and its margin. */
#ifndef TRUCE_ANALYSIS_SOLVE_H
#define TRUCE_ANALYSIS_SOLVE_H

#include "bargaining.h"
#include "frontier.h"

typedef struct solved {
    frontier f;         /* over the bargainers (fr.n dimensions) */
    const char *method; /* as truce_analysis_method */
    int approximate;
    solution nash, ks;
    int zopa;
    /* the largest, over feasible outcomes, of the smallest gain of a
     * bargainer over its reservation value: the zone is open exactly when it
     * is above 0 (strictly); -INFINITY without a feasible outcome or bargainer */
    double zone_margin;
} solved;

/* Solve s's frame (feasible_only: over its feasible options) with
 * reservation values r (one per party) under o (NULL: defaults), allocating
 * in a. Errors as truce_analyze's. */
int analysis_solve(solved *out, arena *a, const truce_scenario *s, int feasible_only,
                   const truce_analysis_options *o, const double *r, truce_error *err);

/* Bargainer k's reservation (r per party) into rb; rb has s->n_bargainers slots. */
void analysis_bargainer_reservations(const truce_scenario *s, const double *r, double *rb);

#endif
