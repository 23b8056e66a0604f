/* uncertain.c: distributions of uncertain numbers (uniform, triangular,
 * truncated normal, discrete): draws, distribution functions and checks. */
#include "uncertain.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {"uniform", "triangular", "normal", "discrete"};

const char *uncertain_kind_name(int kind)
{
    return kind >= 0 && kind < 4 ? kind_names[kind] : "";
}

int uncertain_kind_find(const char *name)
{
    for (int k = 0; k < 4; k++)
        if (!strcmp(name, kind_names[k]))
            return k;
    return -1;
}

double uncertain_default_central(const uncertain *u)
{
    switch (u->kind) {
    case UNC_UNIFORM:
        return u->lo + (u->hi - u->lo) / 2;
    case UNC_TRIANGULAR:
        return u->mode;
    case UNC_NORMAL:
        return u->mean;
    default: {
        uint32_t best = 0;
        for (uint32_t k = 1; k < u->n_values; k++)
            if (u->probs[k] > u->probs[best])
                best = k;
        return u->n_values ? u->values[best] : 0;
    }
    }
}

const char *uncertain_invalid(const uncertain *u, const char *what, double dlo, double dhi,
                              char *buf, size_t size)
{
    if (u->kind == UNC_DISCRETE) {
        double sum = 0;
        for (uint32_t k = 0; k < u->n_values; k++) {
            if (u->values[k] < dlo || u->values[k] > dhi) {
                snprintf(buf, size, "the value %g of %s must lie within [%g, %g]", u->values[k],
                         what, dlo, dhi);
                return buf;
            }
            if (!(u->probs[k] >= 0)) {
                snprintf(buf, size, "the probabilities of %s must not be negative", what);
                return buf;
            }
            sum += u->probs[k];
        }
        if (fabs(sum - 1) > 1e-9) {
            snprintf(buf, size, "the probabilities of %s sum to %g, not 1", what, sum);
            return buf;
        }
    } else {
        if (u->lo > u->hi) {
            snprintf(buf, size,
                     "the range [%g, %g] of %s has its lower end above its upper end (write "
                     "[lo, hi] with lo <= hi)",
                     u->lo, u->hi, what);
            return buf;
        }
        if (u->lo < dlo || u->hi > dhi) {
            if (dlo == 0 && isinf(dhi))
                snprintf(buf, size,
                         "the range [%g, %g] of %s must not go below 0 (%s cannot be "
                         "negative)",
                         u->lo, u->hi, what, what);
            else
                snprintf(buf, size, "the range [%g, %g] of %s must lie within [%g, %g]", u->lo,
                         u->hi, what, dlo, dhi);
            return buf;
        }
        if (u->kind == UNC_TRIANGULAR && !(u->mode >= u->lo && u->mode <= u->hi)) {
            snprintf(buf, size, "the mode %g of %s must lie within its range [%g, %g]", u->mode,
                     what, u->lo, u->hi);
            return buf;
        }
        if (u->kind == UNC_NORMAL && !(u->sd >= 0)) {
            snprintf(buf, size, "the standard deviation of %s must not be negative", what);
            return buf;
        }
        if (u->kind == UNC_NORMAL && !(u->mean >= u->lo && u->mean <= u->hi)) {
            snprintf(buf, size, "the mean %g of %s must lie within its range [%g, %g]", u->mean,
                     what, u->lo, u->hi);
            return buf;
        }
    }
    if (!(u->central >= u->lo && u->central <= u->hi)) {
        snprintf(buf, size, "the central value %g of %s must lie within [%g, %g]", u->central, what,
                 u->lo, u->hi);
        return buf;
    }
    return NULL;
}

static double normal_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* One standard normal draw, Marsaglia's polar method (one of the pair). */
static double standard_normal(rng *r)
{
    for (;;) {
        double x = 2 * rng_uniform(r) - 1, y = 2 * rng_uniform(r) - 1, s = x * x + y * y;
        if (s > 0 && s < 1)
            return x * sqrt(-2 * log(s) / s);
    }
}

static double truncated_normal(const uncertain *u, rng *r)
{
    if (u->sd == 0 || u->lo == u->hi)
        return u->mean;
    double a = normal_cdf((u->lo - u->mean) / u->sd), b = normal_cdf((u->hi - u->mean) / u->sd);
    if (b - a >= 0.05)
        for (;;) {
            double x = u->mean + u->sd * standard_normal(r);
            if (x >= u->lo && x <= u->hi)
                return x;
        }
    /* far in a tail: invert the distribution function by bisection */
    double target = a + (b - a) * rng_uniform(r), lo = u->lo, hi = u->hi;
    for (int k = 0; k < 100 && hi - lo > 1e-15 * (1 + fabs(lo)); k++) {
        double mid = lo + (hi - lo) / 2;
        if (normal_cdf((mid - u->mean) / u->sd) < target)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2;
}

double uncertain_draw(const uncertain *u, rng *r)
{
    switch (u->kind) {
    case UNC_UNIFORM:
        return u->lo + (u->hi - u->lo) * rng_uniform(r);
    case UNC_TRIANGULAR: {
        double x = rng_uniform(r), w = u->hi - u->lo;
        if (w <= 0)
            return u->lo;
        double f = (u->mode - u->lo) / w;
        if (x < f)
            return u->lo + sqrt(x * w * (u->mode - u->lo));
        return u->hi - sqrt((1 - x) * w * (u->hi - u->mode));
    }
    case UNC_NORMAL:
        return truncated_normal(u, r);
    default: {
        double x = rng_uniform(r), acc = 0;
        for (uint32_t k = 0; k + 1 < u->n_values; k++) {
            acc += u->probs[k];
            if (x < acc)
                return u->values[k];
        }
        return u->n_values ? u->values[u->n_values - 1] : u->central;
    }
    }
}

double uncertain_cdf(const uncertain *u, double x)
{
    if (u->kind == UNC_DISCRETE) {
        double p = 0;
        for (uint32_t k = 0; k < u->n_values; k++)
            if (u->values[k] <= x)
                p += u->probs[k];
        return p > 1 ? 1 : p;
    }
    if (x < u->lo)
        return 0;
    if (x >= u->hi)
        return 1;
    switch (u->kind) {
    case UNC_UNIFORM:
        return (x - u->lo) / (u->hi - u->lo);
    case UNC_TRIANGULAR: {
        double w = u->hi - u->lo;
        if (x <= u->mode)
            return u->mode > u->lo ? (x - u->lo) * (x - u->lo) / (w * (u->mode - u->lo)) : 0;
        return 1 - (u->hi - x) * (u->hi - x) / (w * (u->hi - u->mode));
    }
    default: {
        if (u->sd == 0)
            return x >= u->mean ? 1 : 0;
        double a = normal_cdf((u->lo - u->mean) / u->sd), b = normal_cdf((u->hi - u->mean) / u->sd);
        if (b <= a)
            return x >= u->mean ? 1 : 0;
        return (normal_cdf((x - u->mean) / u->sd) - a) / (b - a);
    }
    }
}

void uncertain_sweep_range(const uncertain *u, double *lo, double *hi)
{
    *lo = u->lo;
    *hi = u->hi;
    if (u->kind == UNC_NORMAL) {
        if (u->mean - 4 * u->sd > *lo)
            *lo = u->mean - 4 * u->sd;
        if (u->mean + 4 * u->sd < *hi)
            *hi = u->mean + 4 * u->sd;
    }
}
