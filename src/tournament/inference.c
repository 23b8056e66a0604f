/* inference.c: Student's t confidence intervals, the Wilcoxon signed-rank test (exact and
 * normal approximation) and Holm's correction, on GSL's distribution functions. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>

#include "inference.h"

/* GSL reports failures through an error handler that aborts by default; setting another is
 * process-wide, which a library must not do. The calls below only ever get arguments GSL
 * accepts (p inside (0, 1), df at least 1), so that handler is never reached. */

double student_t_quantile(double p, double df)
{
    if (!(p > 0 && p < 1) || !(df >= 1))
        return NAN;
    /* beyond 1e7 degrees of freedom t and the normal agree to ~1e-7 */
    return df > 1e7 ? gsl_cdf_ugaussian_Pinv(p) : gsl_cdf_tdist_Pinv(p, df);
}

void moments_add(moments *m, double v)
{
    if (!isfinite(v))
        return;
    m->n++;
    double d = v - m->mean;
    m->mean += d / m->n;
    m->m2 += d * (v - m->mean);
}

void summary_of(summary *out, const moments *m)
{
    out->n = (size_t)m->n;
    out->mean = out->sd = out->lo = out->hi = NAN;
    if (m->n < 1)
        return;
    out->mean = m->mean;
    if (m->n < 2)
        return;
    out->sd = sqrt(m->m2 / (m->n - 1));
    double half = student_t_quantile(0.975, m->n - 1) * out->sd / sqrt(m->n);
    out->lo = out->mean - half;
    out->hi = out->mean + half;
}

double wilcoxon_exact_cdf(double w, size_t n)
{
    if (n > WILCOXON_EXACT_MAX || isnan(w))
        return NAN;
    size_t top = n * (n + 1) / 2;
    if (w < 0)
        return 0;
    if (w >= (double)top)
        return 1;
    /* count[s]: subsets of {1..i} summing to s; at most 2^50, exact in a double */
    double count[WILCOXON_EXACT_MAX * (WILCOXON_EXACT_MAX + 1) / 2 + 1] = {1};
    for (size_t i = 1; i <= n; i++)
        for (size_t s = i * (i + 1) / 2; s >= i; s--)
            count[s] += count[s - i];
    double below = 0;
    for (size_t s = 0; (double)s <= w; s++)
        below += count[s];
    return ldexp(below, -(int)n);
}

/* Differences closer to zero than this are zero, and absolute differences closer than this
 * tie: utilities lie in [0, 1], and averaging repetitions in another order moves them by a few
 * units of the last place, which must not decide a test. */
#define SAME 1e-12

int wilcoxon_signed_rank(wilcoxon *out, const double *d, size_t n)
{
    out->n = out->zeros = 0;
    out->w_plus = out->w_minus = 0;
    out->p = 1;
    out->exact = 1;
    double *v = malloc((n ? n : 1) * sizeof *v);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!v || !order) {
        free(v);
        free(order);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (fabs(d[i]) <= SAME)
            out->zeros++;
        else
            v[m++] = d[i];
    }
    out->n = m;
    double *magnitude = malloc((m ? m : 1) * sizeof *magnitude);
    if (!magnitude) {
        free(v);
        free(order);
        return -1;
    }
    for (size_t i = 0; i < m; i++)
        magnitude[i] = fabs(v[i]);
    if (m)
        gsl_sort_index(order, magnitude, 1, m);
    double ties = 0; /* sum of t^3 - t over groups of t tied magnitudes */
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && magnitude[order[j]] - magnitude[order[i]] <= SAME)
            j++;
        double rank = 0.5 * (double)(i + 1 + j); /* mean of ranks i+1 .. j */
        double t = (double)(j - i);
        ties += t * t * t - t;
        for (size_t k = i; k < j; k++) {
            if (v[order[k]] > 0)
                out->w_plus += rank;
            else
                out->w_minus += rank;
        }
        i = j;
    }
    free(v);
    free(order);
    free(magnitude);
    if (m == 0)
        return 0;
    double nn = (double)m;
    if (m <= WILCOXON_EXACT_MAX && ties == 0) {
        double low = out->w_plus < out->w_minus ? out->w_plus : out->w_minus;
        double p = 2 * wilcoxon_exact_cdf(low, m);
        out->p = p < 1 ? p : 1;
        return 0;
    }
    out->exact = 0;
    double mean = nn * (nn + 1) / 4;
    double sd = sqrt(nn * (nn + 1) * (2 * nn + 1) / 24 - ties / 48);
    double z = out->w_plus - mean;
    z = (z - (z > 0 ? 0.5 : z < 0 ? -0.5 : 0)) / sd;
    double tail = z > 0 ? gsl_cdf_ugaussian_Q(z) : gsl_cdf_ugaussian_P(z);
    out->p = 2 * tail < 1 ? 2 * tail : 1;
    return 0;
}

int holm_adjust(double *adjusted, const double *p, size_t m)
{
    double *given = malloc((m ? m : 1) * sizeof *given);
    size_t *where = malloc((m ? m : 1) * sizeof *where);
    size_t *order = malloc((m ? m : 1) * sizeof *order);
    if (!given || !where || !order) {
        free(given);
        free(where);
        free(order);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        adjusted[i] = NAN;
        if (!isnan(p[i])) {
            given[k] = p[i];
            where[k++] = i;
        }
    }
    if (k)
        gsl_sort_index(order, given, 1, k);
    double running = 0;
    for (size_t i = 0; i < k; i++) {
        double scaled = (double)(k - i) * given[order[i]];
        if (scaled > 1)
            scaled = 1;
        if (scaled > running)
            running = scaled;
        adjusted[where[order[i]]] = running;
    }
    free(given);
    free(where);
    free(order);
    return 0;
}
