/* outcome.c: reading an outcome written as text, "issue=option" pairs
 * separated by commas or new lines ('#' starts a comment), as `truce
 * evaluate --outcome` and outcome files take them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/scenario.h"
#include "outcome.h"

/* Trim spaces and tabs at both ends of [*start, *end). */
static void trim(const char **start, const char **end)
{
    while (*start < *end && (**start == ' ' || **start == '\t' || **start == '\r'))
        (*start)++;
    while (*end > *start && ((*end)[-1] == ' ' || (*end)[-1] == '\t' || (*end)[-1] == '\r'))
        (*end)--;
}

static int parse_pair(const truce_scenario *s, const char *start, const char *end,
                      const char *source, int line, uint32_t *outcome, unsigned char *seen,
                      truce_error *err)
{
    trim(&start, &end);
    if (start == end)
        return 0;
    const char *eq = memchr(start, '=', (size_t)(end - start));
    char name[512], label[512];
    if (!eq)
        return error_set(err, TRUCE_EINVAL, source, line, "outcome", "'%.*s' is not issue=option",
                         (int)(end - start), start);
    const char *ns = start, *ne = eq, *vs = eq + 1, *ve = end;
    trim(&ns, &ne);
    trim(&vs, &ve);
    if ((size_t)(ne - ns) >= sizeof name || (size_t)(ve - vs) >= sizeof label)
        return error_set(err, TRUCE_EINVAL, source, line, "outcome",
                         "issue or option name too long");
    memcpy(name, ns, (size_t)(ne - ns));
    name[ne - ns] = '\0';
    memcpy(label, vs, (size_t)(ve - vs));
    label[ve - vs] = '\0';
    int i = truce_issue_find(s, name);
    if (i < 0) {
        char known[400] = "";
        for (size_t k = 0; k < s->n_issues && strlen(known) < 300; k++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", k ? ", " : "",
                     s->issues[k].name);
        return error_set(err, TRUCE_ENOTFOUND, source, line, name,
                         "unknown issue '%s' (the scenario's issues: %s)", name, known);
    }
    int k = truce_option_find(s, (size_t)i, label);
    if (k < 0) {
        char known[400] = "";
        for (uint32_t q = 0; q < s->issues[i].n_options && strlen(known) < 300; q++) {
            char one[128];
            truce_issue_option_label(s, (size_t)i, q, one, sizeof one);
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", q ? ", " : "",
                     one);
        }
        return error_set(err, TRUCE_ENOTFOUND, source, line, name,
                         "issue '%s' has no option '%s' (its options: %s)", name, label, known);
    }
    if (seen[i])
        return error_set(err, TRUCE_EINVAL, source, line, name, "issue '%s' is given twice", name);
    seen[i] = 1;
    outcome[i] = (uint32_t)k;
    return 0;
}

int truce_outcome_parse(const truce_scenario *s, const char *text, const char *source,
                        uint32_t *outcome, truce_error *err)
{
    error_clear(err);
    if (!s || !text || !outcome)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    unsigned char *seen = calloc(s->n_issues ? s->n_issues : 1, 1);
    uint32_t *o = calloc(s->n_issues ? s->n_issues : 1, sizeof *o);
    if (!seen || !o) {
        free(seen), free(o);
        return error_nomem(err);
    }
    int rc = 0, line = 1;
    const char *c = text;
    while (rc == 0 && *c) {
        const char *eol = strchr(c, '\n');
        if (!eol)
            eol = c + strlen(c);
        const char *hash = memchr(c, '#', (size_t)(eol - c));
        const char *stop = hash ? hash : eol;
        for (const char *item = c; rc == 0 && item < stop;) {
            const char *comma = memchr(item, ',', (size_t)(stop - item));
            const char *end = comma ? comma : stop;
            rc = parse_pair(s, item, end, source, source ? line : 0, o, seen, err);
            item = comma ? comma + 1 : stop;
        }
        c = *eol ? eol + 1 : eol;
        line++;
    }
    for (size_t i = 0; rc == 0 && i < s->n_issues; i++)
        if (!seen[i])
            rc = error_set(err, TRUCE_EINVAL, source, 0, s->issues[i].name,
                           "the outcome gives no option for issue '%s' (every issue needs one)",
                           s->issues[i].name);
    if (rc == 0)
        memcpy(outcome, o, s->n_issues * sizeof *o);
    free(seen), free(o);
    return rc;
}

int outcome_json_read(const truce_scenario *s, const json_t *j, uint32_t *outcome, int partial,
                      char *why, size_t size)
{
    if (!json_is_object(j)) {
        snprintf(why, size, "an outcome is an object {issue: option}");
        return -1;
    }
    size_t ni = truce_scenario_issue_count(s);
    const char *key;
    json_t *value;
    size_t given = 0;
    json_object_foreach((json_t *)j, key, value)
    {
        int i = truce_issue_find(s, key);
        if (i < 0) {
            snprintf(why, size, "no issue '%.200s'", key);
            return -1;
        }
        char label[512];
        const char *text = json_string_value(value);
        if (!text && json_is_number(value)) {
            /* integers and reals may come as numbers */
            if (json_is_integer(value))
                snprintf(label, sizeof label, "%lld", (long long)json_integer_value(value));
            else
                snprintf(label, sizeof label, "%.17g", json_real_value(value));
            text = label;
        }
        int k = text ? truce_option_find(s, (size_t)i, text) : -1;
        if (k < 0) {
            snprintf(why, size, "issue '%.200s' has no option '%.200s'", key,
                     text ? text : "(not a string)");
            return -1;
        }
        outcome[i] = (uint32_t)k;
        given++;
    }
    if (!partial && given != ni) {
        for (size_t i = 0; i < ni; i++)
            if (!json_object_get(j, truce_issue_name(s, i))) {
                snprintf(why, size, "no option given for issue '%.200s'", truce_issue_name(s, i));
                return -1;
            }
    }
    return 0;
}
