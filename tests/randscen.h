/* randscen.h: random negotiation scenarios for property tests: the YAML
 * text and the test's own record of what it says (roles, reservation values,
 * hard conditions), and a brute-force world of every outcome built from that
 * record, independently of the code under test. */
#ifndef TRUCE_TEST_RANDSCEN_H
#define TRUCE_TEST_RANDSCEN_H

#include <stdint.h>

#include "truce.h"

#define MAX_ISSUES 4
#define MAX_OPTIONS 4
#define MAX_PARTIES 5
#define MAX_HARD 2
#define MAX_OUTCOMES 256

typedef struct condition_spec {
    int n;               /* clauses */
    int issue[2];        /* distinct issues */
    unsigned allowed[2]; /* option bit sets, non-empty */
} condition_spec;

typedef struct party_spec {
    int role; /* 0 principal, 1 mediator, 2 stakeholder */
    double reservation;
    int n_hard;
    condition_spec hard[MAX_HARD];
} party_spec;

typedef struct scenario_spec {
    int n_issues, n_options[MAX_ISSUES];
    int n_parties;
    party_spec p[MAX_PARTIES];
    char yaml[8192];
} scenario_spec;

/* A pseudo-random integer in [0, n) from the state s. */
int rand_pick(uint64_t *s, int n);

/* A random scenario: parties 0 and 1 are principals, the others any role; a
 * mediator sometimes has no preferences at all; hard conditions on anyone
 * (those of mediators and stakeholders must not count); weights sometimes
 * sum above 1, so that the cap at 1 forces enumeration instead of the merge. */
void random_scenario(uint64_t *rng, scenario_spec *sp);

/* Load sp's YAML (fails the test on error). */
truce_scenario *load_spec(const scenario_spec *sp);

/* 1 when o is within every hard condition of p, as the text says. */
int spec_within(const party_spec *p, const uint32_t *o);

/* Every outcome with every party's utility and whether it is feasible (within
 * every principal's hard conditions). */
typedef struct world {
    int n_outcomes;
    int nb, bargainer[MAX_PARTIES];
    uint32_t o[MAX_OUTCOMES][MAX_ISSUES];
    double u[MAX_OUTCOMES][MAX_PARTIES];
    int feasible[MAX_OUTCOMES];
} world;

void build_world(const scenario_spec *sp, const truce_scenario *s, world *w);

/* a dominates b in the bargainers' utilities (tolerance 1e-12). */
int world_dominates(const world *w, const double *a, const double *b);

/* 1 when outcome x gives every bargainer more than its reservation value. */
int world_rational(const scenario_spec *sp, const world *w, int x);

#endif
