/* hard.c: hard conditions in words, for the faults of agents that break
 * their own party's condition and for refusing talks no deal can end. */
#include "hard.h"

#include "constraint.h"

#include <stdio.h>
#include <string.h>

#define MAX_LISTED 6 /* options named in a list before "..." */

/* Append formatted text at *used in buf, never past size. */
static void add(char *buf, size_t size, size_t *used, const char *text)
{
    if (*used + 1 >= size)
        return;
    int n = snprintf(buf + *used, size - *used, "%s", text);
    *used += n < 0 ? 0 : (size_t)n < size - *used ? (size_t)n : size - *used - 1;
}

/* "a or b or c", or "no option" when none is allowed. */
static void add_options(const truce_scenario *s, uint32_t i, const unsigned char *allowed,
                        char *buf, size_t size, size_t *used)
{
    uint32_t n = s->issues[i].n_options, listed = 0, total = 0;
    for (uint32_t k = 0; k < n; k++)
        total += allowed[k] != 0;
    if (total == 0) {
        add(buf, size, used, "no option");
        return;
    }
    for (uint32_t k = 0; k < n; k++) {
        if (!allowed[k])
            continue;
        if (listed == MAX_LISTED) {
            char more[64];
            snprintf(more, sizeof more, " or ... (%u options)", (unsigned)total);
            add(buf, size, used, more);
            return;
        }
        char label[256];
        truce_issue_option_label(s, i, k, label, sizeof label);
        if (listed++)
            add(buf, size, used, " or ");
        add(buf, size, used, label);
    }
}

void hard_requirement(const truce_scenario *s, const condition *h, char *buf, size_t size)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (uint32_t c = 0; c < h->n_clauses; c++) {
        const clause *cl = &h->clauses[c];
        if (c)
            add(buf, size, &used, "; ");
        add(buf, size, &used, s->issues[cl->issue].name);
        add(buf, size, &used, " = ");
        add_options(s, cl->issue, cl->allowed, buf, size, &used);
    }
    if (h->n_clauses == 0)
        add(buf, size, &used, "nothing");
}

void hard_broken(const truce_scenario *s, const party *p, int h, const uint32_t *outcome, char *buf,
                 size_t size)
{
    const condition *hc = &p->hard[h];
    char requirement[400], label[256] = "?";
    hard_requirement(s, hc, requirement, sizeof requirement);
    const char *issue_name = "?";
    for (uint32_t c = 0; c < hc->n_clauses; c++)
        if (!hc->clauses[c].allowed[outcome[hc->clauses[c].issue]]) {
            uint32_t i = hc->clauses[c].issue;
            issue_name = s->issues[i].name;
            truce_issue_option_label(s, i, outcome[i], label, sizeof label);
            break;
        }
    snprintf(buf, size, "'%s' (requires %s; the outcome has %s = %s)", hc->id, requirement,
             issue_name, label);
}

/* Partial outcomes the search for one feasible outcome may visit before
 * letting the talks start undecided. */
#define CROSS_CONFLICT_NODES 1e6

/* With rules across issues every issue may keep feasible options while no
 * outcome satisfies the rules together: found by the pruned count. */
static int cross_conflict(const truce_scenario *s, char *buf, size_t size)
{
    if (!s->cross)
        return 0;
    arena a;
    arena_init(&a, &s->a.m);
    const char *count = constraint_count_text(s, CROSS_CONFLICT_NODES, &a);
    int none = count && strcmp(count, "0") == 0;
    arena_release(&a);
    if (none)
        snprintf(buf, size,
                 "no outcome respects every principal's hard conditions and the scenario's "
                 "constraints together, so no agreement is possible (the feasible set is empty, "
                 "as 'truce check' shows): each issue keeps options, but the rules that read "
                 "several issues exclude every combination of them");
    return none;
}

int hard_conflict(const truce_scenario *s, char *buf, size_t size)
{
    size_t blocked = s->n_issues, empty = 0;
    for (size_t i = 0; i < s->n_issues; i++)
        if (s->n_feasible_options[i] == 0 && empty++ == 0)
            blocked = i;
    if (!empty)
        return cross_conflict(s, buf, size);
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    add(buf, size, &used,
        "no outcome respects every principal's hard conditions, so no agreement is possible (the "
        "feasible set is empty, as 'truce check' shows): on issue '");
    add(buf, size, &used, s->issues[blocked].name);
    add(buf, size, &used, "',");
    size_t named = 0;
    for (size_t b = 0; b < s->n_bargainers; b++) {
        const party *p = &s->parties[s->bargainers[b]];
        for (uint32_t h = 0; h < p->n_hard; h++)
            for (uint32_t c = 0; c < p->hard[h].n_clauses; c++) {
                const clause *cl = &p->hard[h].clauses[c];
                if (cl->issue != blocked)
                    continue;
                add(buf, size, &used, named++ ? " and " : " ");
                add(buf, size, &used, p->name);
                add(buf, size, &used, "'s hard condition '");
                add(buf, size, &used, p->hard[h].id);
                add(buf, size, &used, "' allows ");
                add_options(s, cl->issue, cl->allowed, buf, size, &used);
            }
    }
    if (empty > 1) {
        char more[96];
        snprintf(more, sizeof more, " (and %zu more issue%s have no feasible option)", empty - 1,
                 empty > 2 ? "s" : "");
        add(buf, size, &used, more);
    }
    return 1;
}
