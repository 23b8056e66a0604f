/* mediate_agenda.h: the order in which a built-in mediator drafts the agenda's
 * items under --agenda follow|package (docs/mediation.md, "The agenda"). */
#ifndef TRUCE_PROTOCOL_MEDIATE_AGENDA_H
#define TRUCE_PROTOCOL_MEDIATE_AGENDA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/scenario.h"

typedef struct med_agenda med_agenda;

/* The drafting order of s's agenda under mode (truce_agenda_mode, FOLLOW or
 * PACKAGE); lead is the party index of the mediator holding the text, or
 * (size_t)-1 for the neutral one (its demands win a deadlock under FOLLOW).
 * Items without issues that nothing precedes are settled at once. Returns 0
 * or TRUCE_ENOMEM. */
int med_agenda_create(med_agenda **out, const truce_scenario *s, int mode, size_t lead);
void med_agenda_free(med_agenda *a);

/* Whether the mediator must leave clause i as it is: it belongs to an item
 * whose stage is not open yet (an earlier stage is not settled). */
int med_agenda_frozen(const med_agenda *a, size_t i);

/* The number of stages (an index g < this names a stage for med_agenda_package). */
size_t med_agenda_stages(const med_agenda *a);

/* Under PACKAGE, when stage g is a package (two items or more: a deadlock) that is open and not
 * yet settled: its clauses that may move (in issue order, each once; *n of them), in a buffer
 * the agenda owns (valid until the next call); otherwise *n = 0. The mediators revise such a
 * package as a whole (docs/mediation.md, "The agenda"). */
const uint32_t *med_agenda_package(med_agenda *a, size_t g, size_t *n);

/* After the answers to the draft of iteration `it` and the revision that
 * followed: every open, unsettled stage is settled when every principal was
 * heard and none objected to one of its clauses (objected[i]), or when the
 * mediator has drafted it as far as it will: with a target (informed), its
 * clauses are at the target's options in `after`; without, the revision left
 * them as they were in `before`. Settling opens the stages after it (stages
 * without clauses settle as they open). Returns a new JSON object {"settled":
 * [items], "opens": [items]} or NULL when nothing was settled (also on
 * memory failure: the caller checks nothing else). */
json_t *med_agenda_settle(med_agenda *a, uint32_t it, const unsigned char *objected, int all_heard,
                          const uint32_t *before, const uint32_t *after, const uint32_t *target);

/* {"mode", "stages": [[items of stage 1], ...] in drafting order, "set_aside":
 * [{first, then, held_by}] (FOLLOW: demands not followed because they would
 * deadlock with those that are)}: a new reference. */
json_t *med_agenda_plan(const med_agenda *a);

/* The stages settled so far, in order: [{"items": [...], "iteration": it}]
 * (iteration null for a stage without clauses settled before the talks). */
json_t *med_agenda_settled(const med_agenda *a);

#endif
