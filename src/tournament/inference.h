/* inference.h: the statistical procedures behind tournament results: Student's t
 * confidence intervals, the Wilcoxon signed-rank test and Holm's correction. */
#ifndef TRUCE_TOURNAMENT_INFERENCE_H
#define TRUCE_TOURNAMENT_INFERENCE_H

#include <stddef.h>

/* Running count, mean and sum of squared deviations of values (Welford 1962). */
typedef struct moments {
    double n, mean, m2;
} moments;

/* Add v; NaN and infinities are left out. */
void moments_add(moments *m, double v);

/* The mean of the values, their sample standard deviation and the 95% confidence interval of
 * the mean, mean +- t(0.975, n - 1) sd / sqrt(n). sd and the interval are NaN below two values;
 * everything is NaN for none. */
typedef struct summary {
    size_t n;
    double mean, sd, lo, hi;
} summary;

void summary_of(summary *out, const moments *m);

/* Student's t quantile: the x with P(T <= x) = p for df degrees of freedom (GSL); NaN for p
 * outside (0, 1) or df below 1. */
double student_t_quantile(double p, double df);

/* The Wilcoxon signed-rank test of paired differences d (Wilcoxon 1945): zero differences are
 * dropped (Wilcoxon's rule), the others ranked by absolute value with ties given their mean
 * rank; w_plus and w_minus sum the ranks of positive and negative differences. The two-sided
 * p-value is exact (the null distribution of the rank sum, counted) when at most
 * WILCOXON_EXACT_MAX differences remain and none tie; otherwise it comes from the normal
 * approximation with the tie correction of the variance and a continuity correction of 1/2
 * (as R's wilcox.test). With no nonzero difference p is 1. */
#define WILCOXON_EXACT_MAX 50

typedef struct wilcoxon {
    size_t n;     /* nonzero differences ranked */
    size_t zeros; /* differences dropped as zero */
    double w_plus, w_minus;
    double p;  /* two-sided */
    int exact; /* 1: exact distribution; 0: normal approximation */
} wilcoxon;

/* Returns 0, or -1 when memory runs out. */
int wilcoxon_signed_rank(wilcoxon *out, const double *d, size_t n);

/* P(W <= w) for the signed-rank statistic W of n untied nonzero differences under the null
 * hypothesis (every sign equally likely): the number of subsets of {1..n} whose sum is at
 * most w, over 2^n. n at most WILCOXON_EXACT_MAX; NaN beyond. */
double wilcoxon_exact_cdf(double w, size_t n);

/* Holm's step-down adjustment (Holm 1979) of m p-values: sorted ascending, the i-th (from 0)
 * becomes max over j <= i of min(1, (m - j) p_(j)); written to adjusted in the original order.
 * NaN p-values are left out of m and stay NaN. Returns 0, or -1 when memory runs out. */
int holm_adjust(double *adjusted, const double *p, size_t m);

#endif
