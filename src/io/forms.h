/* forms.h: what the writers share: a view of a scenario in which the numeric issues a target
 * format cannot carry bit for bit become discrete issues of their options. */
#ifndef TRUCE_IO_FORMS_H
#define TRUCE_IO_FORMS_H

#include "../core/scenario.h"

/* Whether the target format reads party p's evaluator e of numeric issue i back with the
 * same value on every option. */
typedef int (*forms_numeric_fn)(const truce_scenario *s, size_t i, const evaluator *e);

/* A view of s in which every numeric issue that some party's evaluator fails `exact` on is a
 * discrete issue of its options' labels, each party valuing option k at its utility there
 * (the evaluation divided by 1: extra_max = 1), so that utilities stay the same bit for bit.
 * *view is s itself when no issue changes, else a scenario sharing s's memory (s must outlive
 * it), freed with truce_scenario_free. 0 or TRUCE_ENOMEM. */
int forms_view(const truce_scenario **view, truce_scenario **owned, const truce_scenario *s,
               forms_numeric_fn exact);

/* 1 when evaluating e's option k gives the same double as clamp01(offset + slope * k), the
 * form of an integer evaluator counted from the issue's lower bound. */
int forms_integer_line_exact(const issue *is, const evaluator *e, double slope, double offset);

/* An option label no option of is has: "truce:divisor", then "truce:divisor2", ... (into buf). */
const char *forms_free_label(const issue *is, char *buf, size_t size);

#endif
