/* pareto.h: dominance with the documented tolerance, and filtering a set of
 * utility vectors down to its Pareto frontier while merging ties. */
#ifndef TRUCE_ANALYSIS_PARETO_H
#define TRUCE_ANALYSIS_PARETO_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"

/* 1 when a dominates b: a_i >= b_i - tol for all i and a_j > b_j + tol for
 * some j (tol = TRUCE_TOLERANCE). */
int pareto_dominates(const double *a, const double *b, size_t n);
/* 1 when |a_i - b_i| <= tol for all i. */
int pareto_equal(const double *a, const double *b, size_t n);

/* Order for frontiers: party 0's utility descending, then party 1's, ... */
int pareto_compare_desc(const double *a, const double *b, size_t n);

/* Filter `len` vectors (u[c*n .. c*n+n-1]) to the frontier.
 * On return kept[0..*n_kept) lists the indices of the kept vectors sorted by
 * pareto_compare_desc, and into[c] is, for every input c, the position in
 * kept of the vector it equals (itself if kept), or -1 when dominated.
 * `sorted`: the inputs are already in pareto_compare_desc order (2 parties:
 * lets the filter run in linear time). kept and into hold len entries.
 * Returns 0 or TRUCE_ENOMEM. */
int pareto_filter(const mem *m, const double *u, size_t n, size_t len, int sorted, size_t *kept,
                  long *into, size_t *n_kept);

/* pareto_filter counting its work for three or more parties against `work` (dominance.h;
 * NULL: no bound): TRUCE_ELIMIT when the bound is passed. */
struct dominance_work;
int pareto_filter_bounded(const mem *m, const double *u, size_t n, size_t len, int sorted,
                          size_t *kept, long *into, size_t *n_kept, struct dominance_work *work);

/* The same results by comparing every vector with every kept one (three or more parties): the
 * reference the dominance structure is tested against. */
int pareto_filter_pairwise(const mem *m, const double *u, size_t n, size_t len, int sorted,
                           size_t *kept, long *into, size_t *n_kept);

#endif
