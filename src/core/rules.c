/* rules.c: who decides and with what weight, derived once beside the scenario:
 * bargaining powers, the criterion of the Nash point, and the decision rule. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "constraint.h"
#include "scenario.h"

#define NASH_CRITERION                                                                             \
    "nash: the largest product of the bargainers' gains over their reservation values, among "     \
    "feasible outcomes above every bargainer's reservation value"

double party_power(const party *p)
{
    return p->has_power ? p->power : 1.0;
}

/* "nash (asymmetric, bargaining power a 2, b 1): ..." naming every
 * bargainer's power. */
static const char *weighted_criterion(truce_scenario *s, const double *w)
{
    size_t len = 256;
    for (size_t k = 0; k < s->n_bargainers; k++)
        len += strlen(s->parties[s->bargainers[k]].name) + 32;
    char *text = arena_alloc(&s->a, len);
    if (!text)
        return NULL;
    size_t at = (size_t)snprintf(text, len, "nash (asymmetric; bargaining power");
    for (size_t k = 0; k < s->n_bargainers && at < len; k++)
        at += (size_t)snprintf(text + at, len - at, "%s %s %g", k ? "," : "",
                               s->parties[s->bargainers[k]].name, w[k]);
    if (at < len)
        snprintf(text + at, len - at,
                 "): the largest product of the bargainers' gains over their reservation "
                 "values, each gain raised to its bargainer's power, among feasible outcomes "
                 "above every bargainer's reservation value");
    return text;
}

static double decision_weight(const truce_scenario *s, size_t p)
{
    return s->decision_weight ? s->decision_weight[p] : 1.0;
}

/* The principals' total weight, and whether the principals in `in` (per
 * party flags, principals only) hold enough of it and every required one. */
static int winning(const truce_scenario *s, const unsigned char *in)
{
    if (s->decision_rule != TRUCE_DECISION_QUALIFIED_MAJORITY) {
        for (size_t k = 0; k < s->n_bargainers; k++)
            if (!in[s->bargainers[k]])
                return 0;
        return 1;
    }
    double total = 0, held = 0;
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        total += decision_weight(s, p);
        if (in[p])
            held += decision_weight(s, p);
        else if (s->required && s->required[p])
            return 0;
    }
    return held >= s->decision_threshold * total - TRUCE_TOLERANCE;
}

/* The deciders: a principal is one when the others together do not win. */
static int find_deciders(truce_scenario *s)
{
    unsigned char *in = arena_array(&s->a, s->n_parties ? s->n_parties : 1, 1);
    unsigned char *decider = arena_array(&s->a, s->n_parties ? s->n_parties : 1, 1);
    if (!in || !decider)
        return TRUCE_ENOMEM;
    s->n_deciders = 0;
    for (size_t k = 0; k < s->n_bargainers; k++)
        in[s->bargainers[k]] = 1;
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        in[p] = 0;
        decider[p] = !winning(s, in);
        s->n_deciders += decider[p];
        in[p] = 1;
    }
    s->decider = decider;
    return 0;
}

int scenario_finish_rules(truce_scenario *s)
{
    if (find_deciders(s))
        return TRUCE_ENOMEM;
    size_t nb = s->n_bargainers;
    s->bargainer_power = NULL;
    s->nash_criterion = NASH_CRITERION;
    int equal = 1;
    for (size_t k = 1; k < nb; k++)
        equal &= party_power(&s->parties[s->bargainers[k]]) ==
                 party_power(&s->parties[s->bargainers[0]]);
    if (equal)
        return 0; /* equal powers: the symmetric Nash point, the same argmax as powers 1 */
    double *w = arena_array(&s->a, nb, sizeof *w);
    if (!w)
        return TRUCE_ENOMEM;
    for (size_t k = 0; k < nb; k++)
        w[k] = party_power(&s->parties[s->bargainers[k]]);
    const char *criterion = weighted_criterion(s, w);
    if (!criterion)
        return TRUCE_ENOMEM;
    s->bargainer_power = w;
    s->nash_criterion = criterion;
    return 0;
}

double truce_party_power(const truce_scenario *s, size_t p)
{
    return s && p < s->n_parties ? party_power(&s->parties[p]) : NAN;
}

const char *truce_scenario_solution_criterion(const truce_scenario *s, truce_solution which)
{
    if (s && which == TRUCE_SOLUTION_NASH && s->nash_criterion)
        return s->nash_criterion;
    return truce_solution_criterion(which);
}

/* p's own acceptance of an outcome no scenario constraint forbids. */
static int accepts_own(const truce_scenario *s, size_t p, const uint32_t *o, double t)
{
    const party *pt = &s->parties[p];
    return party_violates(pt, o) < 0 && party_utility(s, pt, o) > party_reservation_at(pt, t) &&
           (!pt->is_coalition || pt->coalition_rule != TRUCE_COALITION_UNANIMITY ||
            coalition_members_accept(s, pt, o, t));
}

/* A scenario constraint binds everyone: no party accepts an outcome that breaks one. */
static int constraints_hold(const truce_scenario *s, const uint32_t *o)
{
    return !s->n_constraints || constraint_first_broken(s, o) < 0;
}

int party_accepts(const truce_scenario *s, size_t p, const uint32_t *o, double t)
{
    return constraints_hold(s, o) && accepts_own(s, p, o, t);
}

int scenario_decided(const truce_scenario *s, const uint32_t *o, double t, unsigned char *accepts)
{
    int allowed = constraints_hold(s, o), ratified = 1; /* the constraints once, not per party */
    for (size_t p = 0; p < s->n_parties; p++) {
        accepts[p] = (unsigned char)(allowed && accepts_own(s, p, o, t));
        if (s->ratifier && s->ratifier[p] && !accepts[p])
            ratified = 0;
    }
    return ratified && winning(s, accepts);
}

int scenario_has_rule(const truce_scenario *s)
{
    if (s->decision_rule != TRUCE_DECISION_UNANIMITY)
        return 1;
    for (size_t p = 0; s->ratifier && p < s->n_parties; p++)
        if (s->ratifier[p])
            return 1;
    return 0;
}

int truce_scenario_decision_rule(const truce_scenario *s)
{
    return s ? s->decision_rule : TRUCE_DECISION_UNANIMITY;
}

int truce_party_ratifier(const truce_scenario *s, size_t p)
{
    return s && p < s->n_parties && s->ratifier ? s->ratifier[p] : 0;
}

int truce_party_decider(const truce_scenario *s, size_t p)
{
    return s && p < s->n_parties && s->decider ? s->decider[p] : 0;
}

int truce_outcome_decided(const truce_scenario *s, const uint32_t *outcome, double time)
{
    if (!s || !outcome)
        return TRUCE_EINVAL;
    for (size_t i = 0; i < s->n_issues; i++)
        if (outcome[i] >= s->issues[i].n_options)
            return TRUCE_EINVAL;
    unsigned char *in = calloc(s->n_parties ? s->n_parties : 1, 1);
    if (!in)
        return TRUCE_ENOMEM;
    int decided = scenario_decided(s, outcome, time, in);
    free(in);
    return decided;
}

int scenario_rule_met(const truce_scenario *s, const unsigned char *accepts)
{
    return winning(s, accepts);
}
