/* forms.c: the view of a scenario the writers write when a numeric issue has no exact form
 * in the target format: that issue as a discrete issue of its options (docs/formats.md). */
#include "forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

int forms_integer_line_exact(const issue *is, const evaluator *e, double slope, double offset)
{
    for (uint32_t k = 0; k < is->n_options; k++) {
        double v = clamp01(offset + slope * (double)k);
        if (v != evaluator_value(is, e, k))
            return 0;
    }
    return 1;
}

const char *forms_free_label(const issue *is, char *buf, size_t size)
{
    for (unsigned n = 1;; n++) {
        if (n == 1)
            snprintf(buf, size, "truce:divisor");
        else
            snprintf(buf, size, "truce:divisor%u", n);
        int taken = 0;
        for (uint32_t k = 0; is->kind == TRUCE_ISSUE_DISCRETE && k < is->n_options && !taken; k++)
            taken = !strcmp(is->labels[k], buf);
        if (!taken)
            return buf;
    }
}

int forms_view(const truce_scenario **view, truce_scenario **owned, const truce_scenario *s,
               forms_numeric_fn exact)
{
    *view = s;
    *owned = NULL;
    size_t changed = 0;
    unsigned char *change = calloc(s->n_issues ? s->n_issues : 1, 1);
    if (!change)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < s->n_issues; i++) {
        if (s->issues[i].kind == TRUCE_ISSUE_DISCRETE)
            continue;
        for (size_t p = 0; p < s->n_parties && !change[i]; p++) {
            const party *pt = &s->parties[p];
            if (pt->evaluators && !exact(s, i, &pt->evaluators[i]))
                change[i] = 1;
        }
        changed += change[i];
    }
    truce_scenario *v = changed ? scenario_new(NULL) : NULL;
    if (!v) {
        free(change);
        return changed ? TRUCE_ENOMEM : 0;
    }
    arena a = v->a;
    *v = *s;
    v->a = a;
    issue *issues = arena_array(&v->a, s->n_issues, sizeof *issues);
    party *parties = arena_array(&v->a, s->n_parties, sizeof *parties);
    int ok = issues && parties;
    for (size_t i = 0; ok && i < s->n_issues; i++) {
        issues[i] = s->issues[i];
        if (!change[i])
            continue;
        const char **labels = arena_array(&v->a, s->issues[i].n_options, sizeof *labels);
        ok = labels != NULL;
        for (uint32_t k = 0; ok && k < s->issues[i].n_options; k++) {
            char buf[64];
            truce_issue_option_label(s, i, k, buf, sizeof buf);
            ok = (labels[k] = arena_strdup(&v->a, buf)) != NULL;
        }
        issues[i].kind = TRUCE_ISSUE_DISCRETE;
        issues[i].labels = labels;
    }
    for (size_t p = 0; ok && p < s->n_parties; p++) {
        parties[p] = s->parties[p];
        const evaluator *from = s->parties[p].evaluators;
        if (!from)
            continue;
        evaluator *ev = arena_array(&v->a, s->n_issues, sizeof *ev);
        ok = ev != NULL;
        for (size_t i = 0; ok && i < s->n_issues; i++) {
            ev[i] = from[i];
            if (!change[i])
                continue;
            double *raw = arena_array(&v->a, s->issues[i].n_options, sizeof *raw);
            ok = raw != NULL;
            for (uint32_t k = 0; ok && k < s->issues[i].n_options; k++)
                raw[k] = evaluator_value(&s->issues[i], &from[i], k);
            memset(&ev[i], 0, sizeof ev[i]);
            ev[i].weight = from[i].weight;
            ev[i].raw = raw;
            ev[i].extra_max = 1; /* the values as they are: divided by 1 */
        }
        parties[p].evaluators = ev;
    }
    free(change);
    if (!ok) {
        truce_scenario_free(v);
        return TRUCE_ENOMEM;
    }
    v->issues = issues;
    v->parties = parties;
    *view = v;
    *owned = v;
    return 0;
}
