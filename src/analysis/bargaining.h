/* bargaining.h: Nash, Kalai-Smorodinsky and max-welfare points picked from a
 * Pareto frontier, and whether a zone of possible agreement exists. */
#ifndef TRUCE_ANALYSIS_BARGAINING_H
#define TRUCE_ANALYSIS_BARGAINING_H

#include <stddef.h>

#include "frontier.h"

typedef struct solution {
    int exists;
    size_t point; /* index into the frontier */
    double value; /* Nash product, KS ratio or welfare sum */
} solution;

/* r: reservation value per party. Each maximiser is a frontier point: the
 * Nash product and the welfare sum grow along dominance, and the KS ratio
 * is taken over individually rational Pareto outcomes by definition. */
/* power: each bargainer's exponent in the asymmetric Nash product
 * Π (u_i - r_i)^power_i (Kalai 1977), or NULL for the symmetric product. */
solution bargaining_nash(const frontier *f, const double *r, const double *power);
/* ideal: scratch for party_count doubles (the ideal point). */
solution bargaining_kalai_smorodinsky(const frontier *f, const double *r, double *ideal);
solution bargaining_max_welfare(const frontier *f);
/* 1 when some frontier point gives every party more than r_i. */
int bargaining_zopa(const frontier *f, const double *r);

#endif
