/* model.h: shared pieces of the model checks (check.c, zone.c, advise.c,
 * tradeoffs.c): enumeration helpers and JSON rendering of outcomes. */
#ifndef TRUCE_ANALYSIS_MODEL_H
#define TRUCE_ANALYSIS_MODEL_H

#include <jansson.h>

#include "../core/scenario.h"

int check_options(const truce_check_options *o, truce_error *err);
/* Number of outcomes, or TRUCE_ELIMIT above `limit`. */
int model_outcome_count(const truce_scenario *s, double limit, uint64_t *out, truce_error *err);
void model_decode(const truce_scenario *s, uint64_t index, uint32_t *outcome);
json_t *model_utilities_json(const truce_scenario *s, const uint32_t *outcome);
/* Render and free doc into *out (malloc'd text). */
int model_dump(char **out, json_t *doc, truce_error *err);

/* The zone of agreement among principals (zone.c). */
int model_zone(const truce_scenario *s, const truce_check_options *o, json_t **out,
               truce_error *err);

#endif
