/* generate.c: synthetic linear additive scenarios (random weights and
 * evaluations from a seed) for tests, benchmarks and teaching. */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "rng.h"
#include "scenario.h"

static int check(const truce_generate_options *o, truce_error *err)
{
    if (o->version != 1 && o->version != TRUCE_GENERATE_OPTIONS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_generate_options version %d is not 1 or %d", o->version,
                         TRUCE_GENERATE_OPTIONS_VERSION);
    if (o->version >= 2 && !(o->hard_rate >= 0 && o->hard_rate <= 1))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "hard_rate", "hard_rate must lie in [0, 1]");
    if (o->n_issues < 1 || o->n_issues > 100000)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "n_issues",
                         "n_issues must be between 1 and 100000 (got %zu)", o->n_issues);
    if (o->n_options < 1 || o->n_options > 100000)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "n_options",
                         "n_options must be between 1 and 100000 (got %u)", o->n_options);
    if (o->n_parties < 1 || o->n_parties > 1000)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "n_parties",
                         "n_parties must be between 1 and 1000 (got %zu)", o->n_parties);
    if (o->levels < 1)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "levels", "levels must be at least 1");
    return 0;
}

/* One condition "red-line" per party: on each issue, with probability
 * hard_rate, one option excluded. A generator of its own keeps the weights
 * and evaluations of version 1 scenarios. */
static int add_hard_conditions(truce_scenario *s, const truce_generate_options *o)
{
    rng r;
    rng_seed(&r, o->seed ^ 0x68617264ULL);
    for (size_t p = 0; p < s->n_parties; p++) {
        clause *cl = arena_array(&s->a, s->n_issues, sizeof *cl);
        condition *h = arena_alloc(&s->a, sizeof *h);
        if (!cl || !h)
            return TRUCE_ENOMEM;
        uint32_t n = 0;
        for (size_t i = 0; i < s->n_issues; i++) {
            if (s->issues[i].n_options < 2 || !(rng_uniform(&r) < o->hard_rate))
                continue;
            unsigned char *allowed = arena_array(&s->a, s->issues[i].n_options, 1);
            if (!allowed)
                return TRUCE_ENOMEM;
            memset(allowed, 1, s->issues[i].n_options);
            allowed[rng_below(&r, s->issues[i].n_options)] = 0;
            cl[n++] = (clause){(uint32_t)i, allowed};
        }
        if (!n)
            continue;
        *h = (condition){"red-line", NULL, NULL, n, cl};
        s->parties[p].n_hard = 1;
        s->parties[p].hard = h;
    }
    return 0;
}

static int build(truce_scenario *s, const truce_generate_options *o)
{
    rng r;
    rng_seed(&r, o->seed);
    char name[64];
    snprintf(name, sizeof name, "synthetic-%zux%u-%zup-s%llu", o->n_issues, o->n_options,
             o->n_parties, (unsigned long long)o->seed);
    if (!(s->name = arena_strdup(&s->a, name)))
        return TRUCE_ENOMEM;
    s->n_issues = o->n_issues;
    s->issues = arena_array(&s->a, o->n_issues, sizeof *s->issues);
    if (!s->issues)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < o->n_issues; i++) {
        issue *is = &s->issues[i];
        snprintf(name, sizeof name, "issue%zu", i + 1);
        is->name = arena_strdup(&s->a, name);
        is->kind = TRUCE_ISSUE_DISCRETE;
        is->n_options = o->n_options;
        is->genius_index = (int)i + 1;
        is->labels = arena_array(&s->a, o->n_options, sizeof *is->labels);
        if (!is->name || !is->labels)
            return TRUCE_ENOMEM;
        for (uint32_t k = 0; k < o->n_options; k++) {
            snprintf(name, sizeof name, "v%u", k + 1);
            if (!(is->labels[k] = arena_strdup(&s->a, name)))
                return TRUCE_ENOMEM;
        }
    }
    if (scenario_index_options(s))
        return TRUCE_ENOMEM;
    s->n_parties = o->n_parties;
    s->parties = arena_array(&s->a, o->n_parties, sizeof *s->parties);
    if (!s->parties)
        return TRUCE_ENOMEM;
    for (size_t p = 0; p < o->n_parties; p++) {
        party *pt = &s->parties[p];
        snprintf(name, sizeof name, "party%zu", p + 1);
        pt->name = arena_strdup(&s->a, name);
        pt->source = "";
        pt->kind = TRUCE_PROFILE_LINEAR;
        pt->discount = 1;
        evaluator *ev = arena_array(&s->a, o->n_issues, sizeof *ev);
        if (!pt->name || !ev)
            return TRUCE_ENOMEM;
        double sum = 0;
        for (size_t i = 0; i < o->n_issues; i++)
            sum += (ev[i].weight = rng_uniform(&r) + 1e-3);
        for (size_t i = 0; i < o->n_issues; i++) {
            ev[i].weight /= sum;
            double *raw = arena_array(&s->a, o->n_options, sizeof *raw);
            if (!raw)
                return TRUCE_ENOMEM;
            for (uint32_t k = 0; k < o->n_options; k++)
                raw[k] = (double)(1 + rng_below(&r, o->levels));
            ev[i].raw = raw;
        }
        pt->evaluators = ev;
        if (linear_build_table(s, pt))
            return TRUCE_ENOMEM;
    }
    return o->version >= 2 && o->hard_rate > 0 ? add_hard_conditions(s, o) : 0;
}

int truce_scenario_generate(truce_scenario **out, const truce_generate_options *opts,
                            truce_error *err)
{
    error_clear(err);
    truce_generate_options defaults = TRUCE_GENERATE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (!out)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    int rc = check(opts, err);
    if (rc)
        return rc;
    truce_scenario *s = scenario_new(opts->allocator);
    if (!s)
        return error_nomem(err);
    if (build(s, opts) || scenario_finish(s)) {
        truce_scenario_free(s);
        return error_nomem(err);
    }
    *out = s;
    return 0;
}
