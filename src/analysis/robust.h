/* robust.h: what the report module reads of a truce_robustness. */
#ifndef TRUCE_ANALYSIS_ROBUST_H
#define TRUCE_ANALYSIS_ROBUST_H

#include <jansson.h>

#include "truce.h"

/* The report as a JSON document (docs/robustness.md), borrowed. */
const json_t *robust_doc(const truce_robustness *r);

#endif
