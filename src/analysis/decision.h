/* decision.h: the bargaining points under a scenario's decision rule
 * (docs/analysis.md#decision-rules) for callers outside the analysis
 * (negotiation scoring, robust samples, mediation). */
#ifndef TRUCE_ANALYSIS_DECISION_H
#define TRUCE_ANALYSIS_DECISION_H

#include "../core/scenario.h"

/* The Nash point (ks 0) or the KS point (ks 1) under the rule, reservation values read at t, by
 * enumerating every outcome: 1 with `at` (n_issues options) filled, 0 when there is none
 * (nothing decided, or no decider), TRUCE_ELIMIT above max_outcomes outcomes, TRUCE_ENOMEM. */
int decision_point(const truce_scenario *s, double t, double max_outcomes, int ks, uint32_t *at,
                   truce_error *err);

/* The Pareto frontier of the decided outcomes in the bargainers' utilities (bargainer order),
 * reservation values read at t: 1 with *front (malloc'd, *n_front x n_bargainers) set, 0 when
 * nothing is decided or more than max_points outcomes are (*front NULL), TRUCE_ELIMIT above
 * max_outcomes outcomes, TRUCE_ENOMEM. */
int decision_frontier(const truce_scenario *s, double t, double max_outcomes, size_t max_points,
                      double **front, size_t *n_front, truce_error *err);

#endif
