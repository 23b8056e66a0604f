/* sidepay.h: side payments (docs/scenario-format.md#side-payments): the transfer a
 * deal needs, the Nash transfer of a deal, and the zone and Nash point with transfers. */
#ifndef TRUCE_ANALYSIS_SIDEPAY_H
#define TRUCE_ANALYSIS_SIDEPAY_H

#include <jansson.h>

#include "../core/scenario.h"

/* The gains g[k] = u - r of the bargainers (in the order of s->bargainers) give:
 * the smallest total transfer lifting every bargainer to its reservation value (each
 * recipient's need max(0, -g)/rate, written to x per recipient of s->side), and whether
 * a transfer within the caps and the budget makes every bargainer strictly better than
 * no deal (*opens). INFINITY when no transfer can (a bargainer who receives nothing
 * gains nothing, or a need reaches its recipient's cap). */
double sidepay_need(const truce_scenario *s, const double *gain, double *x, int *opens);

/* The transfer x (per recipient) within the caps and the budget maximising
 * the product of the bargainers' lifted gains, each raised to its power (1 when
 * the powers are equal), and that product; -1 when no transfer makes every lifted
 * gain positive. scratch: room for 2 * n_bargainers + 1 numbers. */
double sidepay_nash(const truce_scenario *s, const double *gain, double *x, double *scratch);

/* The side payments' section of `check` (JSON), by enumerating every outcome;
 * TRUCE_ELIMIT above opt->max_outcomes. */
int model_side_payments(const truce_scenario *s, const truce_check_options *opt, json_t **out,
                        truce_error *err);

/* The side payments' section of `evaluate` for one outcome: the transfer it needs and,
 * when given (`transfer`: an amount per party, NULL for none), what that transfer does. */
json_t *sidepay_evaluate_json(const truce_scenario *s, const uint32_t *outcome,
                              const double *transfer, double t);

#endif
