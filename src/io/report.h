/* report.h: JSON pieces shared by the reports and traces built with jansson
 * (checks, advice, mediation): an outcome as {issue: option label}. */
#ifndef TRUCE_IO_REPORT_H
#define TRUCE_IO_REPORT_H

#include <jansson.h>

#include "../core/scenario.h"

/* {issue name: option label}; NULL on allocation failure. */
json_t *report_outcome(const truce_scenario *s, const uint32_t *outcome);

#endif
