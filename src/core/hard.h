/* hard.h: hard conditions in words: what a condition requires, which one an
 * outcome breaks, and which conditions leave no feasible outcome at all. */
#ifndef TRUCE_CORE_HARD_H
#define TRUCE_CORE_HARD_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* What hard condition h requires, clause by clause, as
 * "territory = a or b; money = low", written to buf (truncated to size). */
void hard_requirement(const truce_scenario *s, const condition *h, char *buf, size_t size);

/* "'ID' (requires ...; the outcome has ISSUE = OPTION)": condition h of
 * party p named with what it requires and the first clause outcome breaks. */
void hard_broken(const truce_scenario *s, const party *p, int h, const uint32_t *outcome, char *buf,
                 size_t size);

/* When no outcome respects every bargainer's hard conditions (an issue has
 * no feasible option), write a sentence naming that issue and the
 * conditions that exclude its options to buf and return 1; else return 0.
 * With rules across issues (constraint expressions), also when they
 * exclude every combination, as far as a search of 10^6 partial outcomes
 * tells (beyond it: 0). */
int hard_conflict(const truce_scenario *s, char *buf, size_t size);

#endif
