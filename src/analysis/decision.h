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

/* The margin of o under the rule at t: positive exactly when o is decided. The smaller of the
 * ratifiers' smallest gain over their reservation values and, over the winning sets of
 * principals, the largest smallest gain (a party's gain is -INFINITY when o breaks one of its
 * own hard conditions; -INFINITY when o breaks a scenario constraint). Under unanimity without
 * ratifiers: the smallest principal's gain. scratch: 2 (n_bargainers + 1) doubles; in: n_parties
 * bytes. */
double decision_outcome_margin(const truce_scenario *s, const uint32_t *o, double t,
                               double *scratch, unsigned char *in);

/* The zone margin under the rule: the largest decision_outcome_margin over every outcome (the
 * first in enumeration order attaining it in `at`): the equal concession of reservation values
 * that would let some outcome be decided when it is negative, the room of the best decided
 * deal when positive. 0, TRUCE_ELIMIT above max_outcomes, TRUCE_ENOMEM. */
int decision_margin(const truce_scenario *s, double t, double max_outcomes, double *margin,
                    uint32_t *at, truce_error *err);

#endif
