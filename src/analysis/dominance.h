/* dominance.h: the Pareto filter for three or more parties, with a multi-objective dominance
 * structure (a bucketed k-d tree with bounding boxes) instead of comparing every pair, and a
 * bound on its work. Called by pareto_filter (pareto.c); same contract and same results. */
#ifndef TRUCE_ANALYSIS_DOMINANCE_H
#define TRUCE_ANALYSIS_DOMINANCE_H

#include <stddef.h>

#include "../core/arena.h"
#include "../core/error.h"

/* Work done and allowed (units: a vector compared, a tree node visited). */
typedef struct dominance_work {
    double done;
    double max; /* 0: no bound */
} dominance_work;

/* Filter `len` vectors of n >= 3 utilities (u[c*n .. c*n+n-1]), taken in `order` (descending
 * by pareto_compare_desc), to the frontier under pareto_dominates / pareto_equal with the
 * documented tolerance, exactly as the pairwise filter did: kept[0..*n_kept) lists the kept
 * vectors in that order; into[c] is the position in kept of the vector c equals (the last one
 * kept that equals it), itself when kept, -1 when dominated. kept and into hold len entries.
 * Returns 0, TRUCE_ENOMEM, or TRUCE_ELIMIT when work->max is passed (work->done then says how
 * far it got). */
int dominance_filter(const mem *m, const double *u, size_t n, const size_t *order, size_t len,
                     size_t *kept, long *into, size_t *n_kept, dominance_work *work);

/* TRUCE_ELIMIT naming max_work ("field" max_work), for the callers whose filter passed it. */
int dominance_limit_error(truce_error *err, const dominance_work *work);

#endif
