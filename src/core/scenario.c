/* scenario.c: creating a scenario, its public accessors and utility
 * evaluation; the loaders in src/io fill it. */
#include "scenario.h"

#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "constraint.h"
#include "error.h"

truce_scenario *scenario_new(const truce_allocator *allocator)
{
    mem m;
    mem_init(&m, allocator);
    arena a;
    arena_init(&a, &m);
    truce_scenario *s = arena_alloc(&a, sizeof *s);
    if (!s) {
        arena_release(&a);
        return NULL;
    }
    s->a = a;
    s->name = "";
    s->real_steps = 11;
    return s;
}

int scenario_index_options(truce_scenario *s)
{
    uint32_t *off = arena_array(&s->a, s->n_issues + 1, sizeof *off);
    if (!off)
        return TRUCE_ENOMEM;
    size_t total = 0;
    for (size_t i = 0; i < s->n_issues; i++) {
        off[i] = (uint32_t)total;
        total += s->issues[i].n_options;
    }
    off[s->n_issues] = (uint32_t)total;
    s->option_offset = off;
    s->total_options = total;
    return 0;
}

void truce_scenario_free(truce_scenario *scenario)
{
    if (!scenario)
        return;
    arena a = scenario->a; /* the scenario lives inside its own arena */
    arena_release(&a);
}

const char *truce_scenario_name(const truce_scenario *s)
{
    return s->name;
}

size_t truce_scenario_issue_count(const truce_scenario *s)
{
    return s->n_issues;
}

size_t truce_scenario_party_count(const truce_scenario *s)
{
    return s->n_parties;
}

const char *truce_issue_name(const truce_scenario *s, size_t i)
{
    return i < s->n_issues ? s->issues[i].name : NULL;
}

int truce_issue_kind_of(const truce_scenario *s, size_t i)
{
    return i < s->n_issues ? (int)s->issues[i].kind : -1;
}

uint32_t truce_issue_option_count(const truce_scenario *s, size_t i)
{
    return i < s->n_issues ? s->issues[i].n_options : 0;
}

double issue_option_value(const issue *is, uint32_t k)
{
    if (is->kind == TRUCE_ISSUE_INTEGER)
        return (double)(is->int_lower + (int64_t)k);
    if (is->kind == TRUCE_ISSUE_REAL) {
        if (is->n_options < 2)
            return is->real_lower;
        if (k + 1 == is->n_options)
            return is->real_upper;
        return is->real_lower + (is->real_upper - is->real_lower) * k / (is->n_options - 1);
    }
    return (double)k;
}

int truce_issue_option_label(const truce_scenario *s, size_t i, uint32_t k, char *buf, size_t size)
{
    if (i >= s->n_issues || k >= s->issues[i].n_options)
        return TRUCE_EINVAL;
    const issue *is = &s->issues[i];
    int n;
    if (is->kind == TRUCE_ISSUE_DISCRETE)
        n = snprintf(buf, size, "%s", is->labels[k]);
    else if (is->kind == TRUCE_ISSUE_INTEGER)
        n = snprintf(buf, size, "%lld", (long long)(is->int_lower + (int64_t)k));
    else
        n = snprintf(buf, size, "%.17g", issue_option_value(is, k));
    return n;
}

int truce_issue_find(const truce_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->n_issues; i++)
        if (strcmp(s->issues[i].name, name) == 0)
            return (int)i;
    return TRUCE_ENOTFOUND;
}

int truce_option_find(const truce_scenario *s, size_t i, const char *label)
{
    if (i >= s->n_issues)
        return TRUCE_ENOTFOUND;
    char buf[64];
    for (uint32_t k = 0; k < s->issues[i].n_options; k++) {
        if (s->issues[i].kind == TRUCE_ISSUE_DISCRETE) {
            if (strcmp(s->issues[i].labels[k], label) == 0)
                return (int)k;
        } else {
            truce_issue_option_label(s, i, k, buf, sizeof buf);
            if (strcmp(buf, label) == 0)
                return (int)k;
        }
    }
    return TRUCE_ENOTFOUND;
}

/* The product of per-issue option counts (all options, or the feasible
 * ones) as a decimal string. */
static int count_product(const truce_scenario *s, int feasible_only, char *buf, size_t size)
{
    if (feasible_only && s->cross) {
        arena a;
        arena_init(&a, &s->a.m);
        char *text = constraint_count_text(s, CONSTRAINT_COUNT_NODES, &a);
        int rc = !text ? TRUCE_ENOMEM : !buf || strlen(text) + 1 > size ? TRUCE_EINVAL
                                                                       : (int)strlen(text);
        if (rc > 0 || (text && rc == 0))
            memcpy(buf, text, strlen(text) + 1);
        arena_release(&a);
        return rc;
    }
    mpz_t n;
    mpz_init_set_ui(n, 1);
    for (size_t i = 0; i < s->n_issues; i++)
        mpz_mul_ui(n, n, feasible_only ? s->n_feasible_options[i] : s->issues[i].n_options);
    size_t digits = mpz_sizeinbase(n, 10) + 2;
    int rc;
    if (!buf || digits > size) {
        rc = TRUCE_EINVAL;
    } else {
        mpz_get_str(buf, 10, n);
        rc = (int)strlen(buf);
    }
    mpz_clear(n);
    return rc;
}

int truce_scenario_outcome_count(const truce_scenario *s, char *buf, size_t size)
{
    return count_product(s, 0, buf, size);
}

char *scenario_count_text(const truce_scenario *s, int feasible_only, arena *a)
{
    if (feasible_only && s->cross)
        return constraint_count_text(s, CONSTRAINT_COUNT_NODES, a);
    mpz_t n;
    mpz_init_set_ui(n, 1);
    for (size_t i = 0; i < s->n_issues; i++)
        mpz_mul_ui(n, n, feasible_only ? s->n_feasible_options[i] : s->issues[i].n_options);
    char *text = arena_alloc(a, mpz_sizeinbase(n, 10) + 2);
    if (text)
        mpz_get_str(text, 10, n);
    mpz_clear(n);
    return text;
}

const char *truce_party_name(const truce_scenario *s, size_t p)
{
    return p < s->n_parties ? s->parties[p].name : NULL;
}

int truce_party_profile_kind(const truce_scenario *s, size_t p)
{
    return p < s->n_parties ? (int)s->parties[p].kind : -1;
}

double truce_party_reservation(const truce_scenario *s, size_t p)
{
    return p < s->n_parties ? s->parties[p].reservation : NAN;
}

double truce_party_discount(const truce_scenario *s, size_t p)
{
    return p < s->n_parties ? s->parties[p].discount : NAN;
}

double party_utility(const truce_scenario *s, const party *p, const uint32_t *outcome)
{
    double u = 0;
    if (p->table)
        for (size_t i = 0; i < s->n_issues; i++)
            u += p->table[s->option_offset[i] + outcome[i]];
    if (p->kind == TRUCE_PROFILE_NONLINEAR)
        u += ufun_value(s, &p->root, outcome) / p->max_utility;
    /* GENIUS caps utility at 1 (AdditiveUtilitySpace, NonlinearUtilitySpace) */
    return u > 1 ? 1 : u;
}

double truce_utility(const truce_scenario *s, size_t p, const uint32_t *outcome)
{
    if (p >= s->n_parties || !outcome)
        return NAN;
    for (size_t i = 0; i < s->n_issues; i++)
        if (outcome[i] >= s->issues[i].n_options)
            return NAN;
    return party_utility(s, &s->parties[p], outcome);
}

double truce_discount(const truce_scenario *s, size_t p, double utility, double time)
{
    if (p >= s->n_parties)
        return NAN;
    /* AbstractUtilitySpace.discount: util * d^t, t clamped to [0,1] */
    if (time < 0)
        time = 0;
    if (time > 1)
        time = 1;
    return utility * pow(s->parties[p].discount, time);
}

int scenario_is_linear(const truce_scenario *s)
{
    for (size_t p = 0; p < s->n_parties; p++)
        if (s->parties[p].kind != TRUCE_PROFILE_LINEAR)
            return 0;
    return 1;
}

double linear_max_sum(const truce_scenario *s, const party *p)
{
    double sum = 0;
    for (size_t i = 0; i < s->n_issues; i++) {
        double best = 0;
        for (uint32_t k = 0; k < s->issues[i].n_options; k++) {
            double v = p->table[s->option_offset[i] + k];
            if (v > best)
                best = v;
        }
        sum += best;
    }
    return sum;
}

double party_reservation_at(const party *p, double t)
{
    if (p->n_reservation_points == 0)
        return p->reservation;
    const double *x = p->reservation_time, *y = p->reservation_value;
    uint32_t n = p->n_reservation_points;
    if (t <= x[0])
        return y[0];
    for (uint32_t k = 1; k < n; k++)
        if (t <= x[k])
            return y[k - 1] + (y[k] - y[k - 1]) * (t - x[k - 1]) / (x[k] - x[k - 1]);
    return y[n - 1];
}

int party_violates(const party *p, const uint32_t *outcome)
{
    for (uint32_t h = 0; h < p->n_hard; h++) {
        for (uint32_t c = 0; c < p->hard[h].n_clauses; c++) {
            const clause *cl = &p->hard[h].clauses[c];
            if (!cl->allowed[outcome[cl->issue]])
                return (int)h;
        }
        if (p->hard[h].rule && !expr_holds(p->hard[h].rule->root, outcome))
            return (int)h;
    }
    return -1;
}

int truce_party_role(const truce_scenario *s, size_t p)
{
    return p < s->n_parties ? (int)s->parties[p].role : -1;
}

const char *truce_party_label(const truce_scenario *s, size_t p)
{
    if (p >= s->n_parties)
        return NULL;
    return s->parties[p].label ? s->parties[p].label : s->parties[p].name;
}

int truce_party_find(const truce_scenario *s, const char *name)
{
    for (size_t p = 0; p < s->n_parties; p++)
        if (strcmp(s->parties[p].name, name) == 0)
            return (int)p;
    return TRUCE_ENOTFOUND;
}

double truce_party_reservation_at(const truce_scenario *s, size_t p, double t)
{
    return p < s->n_parties ? party_reservation_at(&s->parties[p], t) : NAN;
}

size_t truce_party_hard_condition_count(const truce_scenario *s, size_t p)
{
    return p < s->n_parties ? s->parties[p].n_hard : 0;
}

const char *truce_hard_condition_id(const truce_scenario *s, size_t p, size_t k)
{
    if (p >= s->n_parties || k >= s->parties[p].n_hard)
        return NULL;
    return s->parties[p].hard[k].id;
}

const char *truce_hard_condition_label(const truce_scenario *s, size_t p, size_t k)
{
    if (p >= s->n_parties || k >= s->parties[p].n_hard)
        return NULL;
    const condition *h = &s->parties[p].hard[k];
    return h->label && *h->label ? h->label : h->id;
}

int truce_party_option_allowed(const truce_scenario *s, size_t p, size_t i, uint32_t option)
{
    if (p >= s->n_parties || i >= s->n_issues || option >= s->issues[i].n_options)
        return TRUCE_EINVAL;
    /* a condition is broken as soon as one of its clauses is: an option is
     * excluded when any clause on its issue leaves it out */
    const party *pt = &s->parties[p];
    for (uint32_t h = 0; h < pt->n_hard; h++)
        for (uint32_t c = 0; c < pt->hard[h].n_clauses; c++) {
            const clause *cl = &pt->hard[h].clauses[c];
            if (cl->issue == i && !cl->allowed[option])
                return 0;
        }
    return 1;
}

int truce_outcome_violates(const truce_scenario *s, size_t p, const uint32_t *outcome)
{
    if (p >= s->n_parties)
        return -1;
    return party_violates(&s->parties[p], outcome);
}

int truce_channel(const truce_scenario *s, size_t a, size_t b)
{
    if (a >= s->n_parties || b >= s->n_parties || a == b)
        return 0;
    return s->channels ? s->channels[a * s->n_parties + b] : 1;
}

/* ---- bargainers and the feasible set (docs/analysis.md) ---- */

int scenario_finish(truce_scenario *s)
{
    size_t n = s->n_parties, slots = s->total_options;
    size_t *bargainers = arena_array(&s->a, n ? n : 1, sizeof *bargainers);
    unsigned char *feasible = arena_array(&s->a, slots ? slots : 1, 1);
    uint32_t *counts = arena_array(&s->a, s->n_issues ? s->n_issues : 1, sizeof *counts);
    if (!bargainers || !feasible || !counts)
        return TRUCE_ENOMEM;
    memset(feasible, 1, slots);
    coalition_apply_mode(s);
    size_t nb = 0;
    for (size_t p = 0; p < n; p++) {
        party *pt = &s->parties[p];
        pt->allowed = NULL;
        if (pt->n_hard) {
            unsigned char *allowed = arena_array(&s->a, slots ? slots : 1, 1);
            if (!allowed)
                return TRUCE_ENOMEM;
            memset(allowed, 1, slots);
            for (uint32_t h = 0; h < pt->n_hard; h++)
                for (uint32_t c = 0; c < pt->hard[h].n_clauses; c++) {
                    const clause *cl = &pt->hard[h].clauses[c];
                    for (uint32_t k = 0; k < s->issues[cl->issue].n_options; k++)
                        if (!cl->allowed[k])
                            allowed[s->option_offset[cl->issue] + k] = 0;
                }
            pt->allowed = allowed;
        }
        if (pt->role != TRUCE_ROLE_PRINCIPAL)
            continue;
        bargainers[nb++] = p;
        for (size_t x = 0; pt->allowed && x < slots; x++)
            feasible[x] &= pt->allowed[x];
    }
    constraint_fold(s, feasible);
    s->hard_binds = 0;
    for (size_t i = 0; i < s->n_issues; i++) {
        counts[i] = 0;
        for (uint32_t k = 0; k < s->issues[i].n_options; k++)
            counts[i] += feasible[s->option_offset[i] + k];
        if (counts[i] < s->issues[i].n_options)
            s->hard_binds = 1;
    }
    s->n_bargainers = nb;
    s->bargainers = bargainers;
    s->feasible = feasible;
    s->n_feasible_options = counts;
    /* rules across issues: the feasible set is no longer a product */
    s->cross = constraint_cross(s);
    if (s->cross)
        s->hard_binds = 1;
    return scenario_finish_rules(s);
}

int scenario_feasible(const truce_scenario *s, const uint32_t *outcome)
{
    for (size_t i = 0; i < s->n_issues; i++)
        if (!s->feasible[s->option_offset[i] + outcome[i]])
            return 0;
    return !s->cross || constraint_cross_holds(s, outcome);
}

long scenario_first_violation(const truce_scenario *s, const uint32_t *outcome, int *which)
{
    for (size_t k = 0; k < s->n_bargainers; k++) {
        int h = party_violates(&s->parties[s->bargainers[k]], outcome);
        if (h >= 0) {
            if (which)
                *which = h;
            return (long)s->bargainers[k];
        }
    }
    return -1;
}

int scenario_is_bargainer(const truce_scenario *s, size_t p)
{
    return p < s->n_parties && s->parties[p].role == TRUCE_ROLE_PRINCIPAL;
}

size_t truce_scenario_bargainer_count(const truce_scenario *s)
{
    return s->n_bargainers;
}

long truce_scenario_bargainer(const truce_scenario *s, size_t k)
{
    return k < s->n_bargainers ? (long)s->bargainers[k] : -1;
}

int truce_option_feasible(const truce_scenario *s, size_t i, uint32_t option)
{
    if (i >= s->n_issues || option >= s->issues[i].n_options)
        return TRUCE_EINVAL;
    return s->feasible[s->option_offset[i] + option];
}

int truce_outcome_feasible(const truce_scenario *s, const uint32_t *outcome)
{
    if (!outcome)
        return TRUCE_EINVAL;
    for (size_t i = 0; i < s->n_issues; i++)
        if (outcome[i] >= s->issues[i].n_options)
            return TRUCE_EINVAL;
    return scenario_feasible(s, outcome);
}

int truce_scenario_feasible_count(const truce_scenario *s, char *buf, size_t size)
{
    return count_product(s, 1, buf, size);
}

size_t truce_scenario_uncertain_count(const truce_scenario *s)
{
    return s ? s->n_uncertain : 0;
}
