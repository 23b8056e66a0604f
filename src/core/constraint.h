/* constraint.h: feasibility under constraint expressions: the rules that
 * read several issues (bargainers' hard conditions and scenario
 * constraints), checked on whole and partial outcomes, a pruned walk over
 * the outcomes that satisfy them, and their exact count. */
#ifndef TRUCE_CORE_CONSTRAINT_H
#define TRUCE_CORE_CONSTRAINT_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* AND the option masks of the one-issue scenario constraints into feasible
 * (total_options flags). */
void constraint_fold(const truce_scenario *s, unsigned char *feasible);

/* 1 when some bargainer's hard condition or some scenario constraint reads
 * several issues (what scenario_finish stores in s->cross). */
int constraint_cross(const truce_scenario *s);

/* 1 when outcome satisfies every rule that reads several issues. */
int constraint_cross_holds(const truce_scenario *s, const uint32_t *outcome);

/* EXPR_YES, EXPR_NO or EXPR_MAYBE for those rules when only the issues
 * known_from and above are decided. */
int constraint_cross_partial(const truce_scenario *s, const uint32_t *outcome, uint32_t known_from);

/* Index of the first scenario constraint outcome breaks, or -1. */
long constraint_first_broken(const truce_scenario *s, const uint32_t *outcome);

/* 1 when outcome breaks neither a cross-issue hard condition of p nor any
 * scenario constraint (per-issue conditions are p->allowed's part). */
int constraint_party_allows(const truce_scenario *s, const party *p, const uint32_t *outcome);

/* 1 when p's choices are limited beyond p->allowed: p has a cross-issue
 * hard condition or the scenario has constraints. */
int constraint_party_limited(const truce_scenario *s, const party *p);

/* From the position pos (per issue, an index into options[i], n_options[i]
 * of them; issue 0 varies fastest), move to the first outcome at or after
 * it that satisfies the cross rules, pruning every partial outcome (issues
 * from the last one down) that no completion can satisfy. Sets pos and
 * outcome and returns 1, or returns 0 when there is none. */
int constraint_seek(const truce_scenario *s, const uint32_t *const *options,
                    const uint32_t *n_options, uint32_t *pos, uint32_t *outcome);

/* The number of feasible outcomes as decimal text in a, counted exactly by
 * the pruned walk (a subtree whose rules all hold is counted at once);
 * after max_nodes partial outcomes, "at most N" with N the product of the
 * feasible options. NULL when out of memory. */
char *constraint_count_text(const truce_scenario *s, double max_nodes, arena *a);

/* Nodes the exact count may visit (scenario_count_text). */
#define CONSTRAINT_COUNT_NODES 5e7

#endif
