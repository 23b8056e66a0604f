/* bargaining.c: bargaining solutions over a Pareto frontier (Nash 1950, asymmetric:
 * Kalai 1977; Kalai and Smorodinsky 1975), see docs/analysis.md for the definitions. */
#include "bargaining.h"

#include <math.h>

static int rational(const double *u, const double *r, size_t n)
{
    for (size_t p = 0; p < n; p++)
        if (!(u[p] > r[p]))
            return 0;
    return 1;
}

solution bargaining_nash(const frontier *f, const double *r, const double *power)
{
    solution s = {0, 0, 0};
    size_t n = f->n_parties;
    for (size_t k = 0; k < f->len; k++) {
        const double *u = &f->u[k * n];
        if (!rational(u, r, n))
            continue;
        double prod = 1;
        for (size_t p = 0; p < n; p++)
            prod *= power ? pow(u[p] - r[p], power[p]) : u[p] - r[p];
        if (!s.exists || prod > s.value) {
            s.exists = 1;
            s.point = k;
            s.value = prod;
        }
    }
    return s;
}

solution bargaining_kalai_smorodinsky(const frontier *f, const double *r, double *best)
{
    solution s = {0, 0, 0};
    size_t n = f->n_parties;
    int any = 0;
    for (size_t k = 0; k < f->len; k++) {
        const double *u = &f->u[k * n];
        if (!rational(u, r, n))
            continue;
        for (size_t p = 0; p < n; p++)
            if (!any || u[p] > best[p])
                best[p] = u[p];
        any = 1;
    }
    if (!any)
        return s;
    for (size_t k = 0; k < f->len; k++) {
        const double *u = &f->u[k * n];
        if (!rational(u, r, n))
            continue;
        double ratio = 0;
        for (size_t p = 0; p < n; p++) {
            double x = (u[p] - r[p]) / (best[p] - r[p]);
            if (p == 0 || x < ratio)
                ratio = x;
        }
        if (!s.exists || ratio > s.value) {
            s.exists = 1;
            s.point = k;
            s.value = ratio;
        }
    }
    return s;
}

solution bargaining_max_welfare(const frontier *f)
{
    solution s = {0, 0, 0};
    size_t n = f->n_parties;
    for (size_t k = 0; k < f->len; k++) {
        double sum = 0;
        for (size_t p = 0; p < n; p++)
            sum += f->u[k * n + p];
        if (!s.exists || sum > s.value) {
            s.exists = 1;
            s.point = k;
            s.value = sum;
        }
    }
    return s;
}

int bargaining_zopa(const frontier *f, const double *r)
{
    for (size_t k = 0; k < f->len; k++)
        if (rational(&f->u[k * f->n_parties], r, f->n_parties))
            return 1;
    return 0;
}
