/* uncertain.h: the distributions an uncertain number of a scenario may take
 * (uniform, triangular, truncated normal, discrete; docs/scenario-format.md
 * #uncertainty): drawing from them, their distribution functions, and the
 * checks a reader applies to them. */
#ifndef TRUCE_CORE_UNCERTAIN_H
#define TRUCE_CORE_UNCERTAIN_H

#include "rng.h"
#include "scenario.h"

/* "uniform", "triangular", "normal", "discrete" ("" for an unknown kind). */
const char *uncertain_kind_name(int kind);
/* Kind by name, or -1. */
int uncertain_kind_find(const char *name);

/* The default central value of a distribution (the value every
 * deterministic command uses): the midpoint of a uniform range, the mode of a
 * triangular one, the mean of a normal one, the most probable value of a
 * discrete one (the first of equals). */
double uncertain_default_central(const uncertain *u);

/* Why the distribution is invalid for a number whose values must lie in
 * [dlo, dhi] (`what` names the number, e.g. "a weight"), written into buf;
 * NULL when it is valid. Checks ordered ends, the domain, a positive standard
 * deviation, probabilities summing to 1 and a central value inside the
 * support. */
const char *uncertain_invalid(const uncertain *u, const char *what, double dlo, double dhi,
                              char *buf, size_t size);

/* One draw, from r. Uniform, triangular and discrete by inversion of the
 * distribution function (one uniform each); the truncated normal by
 * rejection from the normal (Marsaglia's polar method) when at least 5% of
 * its mass lies within [lo, hi], else by inverting its distribution function
 * by bisection. */
double uncertain_draw(const uncertain *u, rng *r);

/* P(X <= x). */
double uncertain_cdf(const uncertain *u, double x);

/* The range a sweep over the number covers: the support, a normal's cut to
 * mean +- 4 sd. */
void uncertain_sweep_range(const uncertain *u, double *lo, double *hi);

#endif
