/* model.h: shared pieces of the model checks (check.c, zone.c, advise.c,
 * tradeoffs.c): enumeration helpers and JSON rendering of outcomes. */
#ifndef TRUCE_ANALYSIS_MODEL_H
#define TRUCE_ANALYSIS_MODEL_H

#include <jansson.h>

#include "../core/scenario.h"

int check_options(const truce_check_options *o, truce_error *err);
/* The thin-margin threshold (the default for version 1 options). */
double check_thin_margin(const truce_check_options *o);
/* Whether to search margins (the default for version 1 and 2 options). */
int check_margins(const truce_check_options *o);
/* Search margins of the zone only when the feasible frame is solved by
 * additive merge or has at most this many outcomes. */
#define MODEL_MARGIN_ENUMERATE 1e5
/* ... and within this much work (bargainers' utilities of the outcomes
 * walked and the frontier points found over all its solves; the search
 * is not started when MODEL_MARGIN_SOLVES solves of the central frontier
 * would exceed it). */
#define MODEL_MARGIN_WORK 5e7
#define MODEL_MARGIN_SOLVES 50
/* The options of the exact analysis a check, an advice or an evaluation
 * runs, reservation values read at `time`. */
truce_analysis_options check_analysis_options(const truce_check_options *o, double time);
/* Number of outcomes, or TRUCE_ELIMIT above `limit`. */
int model_outcome_count(const truce_scenario *s, double limit, uint64_t *out, truce_error *err);
/* model_outcome_count for an analysis that can only enumerate: above `limit`
 * the error says that `what` is found by enumerating every outcome and how to
 * raise the limit. */
int model_enumerable(const truce_scenario *s, double limit, const char *what, uint64_t *out,
                     truce_error *err);
void model_decode(const truce_scenario *s, uint64_t index, uint32_t *outcome);
json_t *model_utilities_json(const truce_scenario *s, const uint32_t *outcome);
/* Render and free doc into *out (malloc'd text). */
int model_dump(char **out, json_t *doc, truce_error *err);

/* A decimal count as a JSON integer when it fits in int64, else a string. */
json_t *model_count_json(const char *decimal);
/* {"outcome", "utilities" (every party), "criterion"} of a deal; criterion
 * names how it was chosen (NULL: none). */
json_t *model_deal_json(const truce_scenario *s, const uint32_t *outcome, const char *criterion);

/* The zone and the bargaining points under the scenario's decision rule, by enumeration
 * (decision.c); TRUCE_ELIMIT above opt->max_outcomes outcomes. */
int model_decision(const truce_scenario *s, const truce_check_options *opt, json_t **out,
                   truce_error *err);

/* The scenario's coalitions (coalitions.c, docs/check.md#coalitions): members, rule and,
 * when count is 1, how many outcomes every member accepts at opt->time (by enumeration:
 * TRUCE_ELIMIT above opt->max_outcomes); when deal is not NULL, who splits over it. */
int model_coalitions(const truce_scenario *s, const uint32_t *deal, int count,
                     const truce_check_options *opt, json_t **out, truce_error *err);
/* Read an outcome written as {issue: option label} into o; 1 when every issue is there. */
int model_outcome_of(const truce_scenario *s, json_t *labels, uint32_t *o);

/* The zone of agreement among the bargainers (zone.c). */
int model_zone(const truce_scenario *s, const truce_check_options *o, json_t **out,
               truce_error *err);

#endif
