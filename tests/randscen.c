/* randscen.c: random negotiation scenarios for property tests (randscen.h). */
#define _DEFAULT_SOURCE
#include "randscen.h"

#include <stdio.h>
#include <string.h>

#include "testutil.h"

static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

int rand_pick(uint64_t *s, int n)
{
    return (int)(next(s) % (uint64_t)n);
}

#define PUT(...) n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, __VA_ARGS__)

void random_scenario(uint64_t *rng, scenario_spec *sp)
{
    static const char *const roles[] = {"principal", "mediator", "stakeholder"};
    memset(sp, 0, sizeof *sp);
    int n = 0;
    sp->n_issues = 2 + rand_pick(rng, MAX_ISSUES - 1);
    sp->n_parties = 2 + rand_pick(rng, MAX_PARTIES - 1);
    PUT("truce: 1\nname: random\nissues:\n");
    for (int i = 0; i < sp->n_issues; i++) {
        sp->n_options[i] = 2 + rand_pick(rng, MAX_OPTIONS - 1);
        PUT("  - id: i%d\n    options: [", i);
        for (int k = 0; k < sp->n_options[i]; k++)
            PUT("%so%d", k ? ", " : "", k);
        PUT("]\n");
    }
    int capped = rand_pick(rng, 4) == 0;
    PUT("parties:\n");
    for (int q = 0; q < sp->n_parties; q++) {
        party_spec *pt = &sp->p[q];
        pt->role = q < 2 ? 0 : rand_pick(rng, 3);
        PUT("  - id: p%d\n    role: %s\n", q, roles[pt->role]);
        int bare = pt->role == 1 && rand_pick(rng, 2) == 0; /* a mediator without preferences */
        if (!bare) {
            PUT("    weights: {");
            for (int i = 0; i < sp->n_issues; i++)
                PUT("%si%d: %.2f", i ? ", " : "", i,
                    (capped ? 0.5 : 1.0 / sp->n_issues) * (0.2 + rand_pick(rng, 9) / 10.0));
            PUT("}\n    values:\n");
            for (int i = 0; i < sp->n_issues; i++) {
                PUT("      i%d: {", i);
                for (int k = 0; k < sp->n_options[i]; k++)
                    PUT("%so%d: %.2f", k ? ", " : "", k, rand_pick(rng, 11) / 10.0);
                PUT("}\n");
            }
        }
        pt->reservation = rand_pick(rng, 8) / 10.0;
        PUT("    reservation: %.17g\n", pt->reservation);
        pt->n_hard = rand_pick(rng, MAX_HARD + 1);
        if (pt->n_hard)
            PUT("    hard_conditions:\n");
        for (int h = 0; h < pt->n_hard; h++) {
            condition_spec *c = &pt->hard[h];
            c->n = 1 + rand_pick(rng, 2);
            c->issue[0] = rand_pick(rng, sp->n_issues);
            c->issue[1] = (c->issue[0] + 1) % sp->n_issues;
            PUT("      - id: h%d\n        require: {", h);
            for (int k = 0; k < c->n; k++) {
                int opts = sp->n_options[c->issue[k]];
                c->allowed[k] = 1u + (unsigned)rand_pick(rng, (1 << opts) - 1);
                PUT("%si%d: [", k ? ", " : "", c->issue[k]);
                int first = 1;
                for (int o = 0; o < opts; o++)
                    if (c->allowed[k] >> o & 1) {
                        PUT("%so%d", first ? "" : ", ", o);
                        first = 0;
                    }
                PUT("]");
            }
            PUT("}\n");
        }
    }
    assert_true((size_t)n < sizeof sp->yaml);
}

truce_scenario *load_spec(const scenario_spec *sp)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, temp_file("random.yaml", sp->yaml), NULL, &err))
        fail_msg("%s\n%s", err.message, sp->yaml);
    return s;
}

int spec_within(const party_spec *p, const uint32_t *o)
{
    for (int h = 0; h < p->n_hard; h++)
        for (int k = 0; k < p->hard[h].n; k++)
            if (!(p->hard[h].allowed[k] >> o[p->hard[h].issue[k]] & 1))
                return 0;
    return 1;
}

void build_world(const scenario_spec *sp, const truce_scenario *s, world *w)
{
    memset(w, 0, sizeof *w);
    for (int q = 0; q < sp->n_parties; q++)
        if (sp->p[q].role == 0)
            w->bargainer[w->nb++] = q;
    int total = 1;
    for (int i = 0; i < sp->n_issues; i++)
        total *= sp->n_options[i];
    w->n_outcomes = total;
    for (int x = 0; x < total; x++) {
        int rest = x;
        for (int i = 0; i < sp->n_issues; i++) {
            w->o[x][i] = (uint32_t)(rest % sp->n_options[i]);
            rest /= sp->n_options[i];
        }
        for (int q = 0; q < sp->n_parties; q++)
            w->u[x][q] = truce_utility(s, (size_t)q, w->o[x]);
        w->feasible[x] = 1;
        for (int k = 0; k < w->nb; k++)
            w->feasible[x] &= spec_within(&sp->p[w->bargainer[k]], w->o[x]);
    }
}

int world_dominates(const world *w, const double *a, const double *b)
{
    int strict = 0;
    for (int k = 0; k < w->nb; k++) {
        int q = w->bargainer[k];
        if (a[q] < b[q] - 1e-12)
            return 0;
        strict |= a[q] > b[q] + 1e-12;
    }
    return strict;
}

int world_rational(const scenario_spec *sp, const world *w, int x)
{
    for (int k = 0; k < w->nb; k++)
        if (!(w->u[x][w->bargainer[k]] > sp->p[w->bargainer[k]].reservation))
            return 0;
    return 1;
}
