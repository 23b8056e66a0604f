/* outcome.h: reading an outcome written as JSON, {"issue": "option", ...}, as traces,
 * the web server's moves and replayed sessions give them (options as
 * truce_issue_option_label writes them; integer and real options may be numbers). */
#ifndef TRUCE_IO_OUTCOME_H
#define TRUCE_IO_OUTCOME_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "truce.h"

/* Fill outcome (one option per issue) from j. With partial set, the issues j leaves out keep
 * what outcome held. 0, or -1 with why filled (an unknown issue or option, a missing issue). */
int outcome_json_read(const truce_scenario *s, const json_t *j, uint32_t *outcome, int partial,
                      char *why, size_t size);

#endif
