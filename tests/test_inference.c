/* test_inference.c: the statistics behind tournament results against published tables and
 * brute force: Student's t quantiles, the Wilcoxon signed-rank distribution (every sign
 * pattern counted, the published critical values, R's documented example), its normal
 * approximation with ties (by hand), and Holm's correction (by hand). */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

#include "tournament/inference.h"

static void test_student_t_quantiles_match_tables(void **state)
{
    (void)state;
    /* two-sided 95% critical values from standard t tables */
    assert_close(student_t_quantile(0.975, 1), 12.7062047, 1e-6);
    assert_close(student_t_quantile(0.975, 2), 4.30265273, 1e-7);
    assert_close(student_t_quantile(0.975, 5), 2.57058184, 1e-7);
    assert_close(student_t_quantile(0.975, 30), 2.04227246, 1e-7);
    assert_close(student_t_quantile(0.975, 1000), 1.96233908, 1e-7);
    assert_close(student_t_quantile(0.5, 7), 0, 1e-9);
    /* beyond every table: the normal quantile */
    assert_close(student_t_quantile(0.975, 1e9), 1.95996398, 1e-7);
    assert_true(isnan(student_t_quantile(0.975, 0)));
    assert_true(isnan(student_t_quantile(1, 5)));
    /* every degree of freedom a tournament can have returns a finite quantile */
    for (double df = 1; df < 1e8; df *= 1.7)
        assert_true(isfinite(student_t_quantile(0.975, df)));
}

static void test_summary_of_values(void **state)
{
    (void)state;
    /* 0.2, 0.4, 0.6: mean 0.4, sd 0.2, half width 4.30265273 * 0.2 / sqrt(3) = 0.4968275 */
    moments m = {0};
    moments_add(&m, 0.2);
    moments_add(&m, 0.4);
    moments_add(&m, NAN); /* left out */
    moments_add(&m, 0.6);
    summary s;
    summary_of(&s, &m);
    assert_int_equal(s.n, 3);
    assert_close(s.mean, 0.4, 1e-15);
    assert_close(s.sd, 0.2, 1e-15);
    assert_close(s.lo, 0.4 - 0.4968275, 1e-7);
    assert_close(s.hi, 0.4 + 0.4968275, 1e-7);
    /* equal values (a deterministic agent): no spread, an interval of one point */
    moments same = {0};
    for (int i = 0; i < 10; i++)
        moments_add(&same, 0.75);
    summary_of(&s, &same);
    assert_close(s.sd, 0, 0);
    assert_close(s.lo, 0.75, 1e-15);
    assert_close(s.hi, 0.75, 1e-15);
    /* one value: a mean, no interval */
    moments one = {0};
    moments_add(&one, 0.5);
    summary_of(&s, &one);
    assert_close(s.mean, 0.5, 0);
    assert_true(isnan(s.sd) && isnan(s.lo) && isnan(s.hi));
}

/* How many of the 2^n sign patterns of the ranks 1..n have positive ranks summing to each
 * total, counted one pattern at a time. */
static void brute_force_counts(unsigned n, unsigned long *count)
{
    for (unsigned w = 0; w <= n * (n + 1) / 2; w++)
        count[w] = 0;
    for (unsigned long signs = 0; signs < (1ul << n); signs++) {
        unsigned sum = 0;
        for (unsigned r = 1; r <= n; r++)
            if (signs & (1ul << (r - 1)))
                sum += r;
        count[sum]++;
    }
}

static void test_wilcoxon_distribution_counts_every_sign_pattern(void **state)
{
    (void)state;
    unsigned long count[16 * 17 / 2 + 1];
    for (unsigned n = 1; n <= 16; n++) {
        brute_force_counts(n, count);
        unsigned long below = 0;
        for (unsigned w = 0; w <= n * (n + 1) / 2; w++) {
            below += count[w];
            assert_close(wilcoxon_exact_cdf(w, n), (double)below / (double)(1ul << n), 1e-15);
        }
    }
    assert_close(wilcoxon_exact_cdf(-1, 5), 0, 0);
    assert_close(wilcoxon_exact_cdf(15, 5), 1, 0);
    assert_true(isnan(wilcoxon_exact_cdf(3, WILCOXON_EXACT_MAX + 1)));
}

static void test_wilcoxon_matches_published_critical_values(void **state)
{
    (void)state;
    /* Two-sided alpha = 0.05 critical values of the signed-rank statistic (the largest T
     * with P(reject) <= 0.05), as printed in the usual tables (e.g. Siegel 1956, table G). */
    static const unsigned table[][2] = {{6, 0},   {7, 2},   {8, 3},   {9, 5},   {10, 8},  {11, 10},
                                        {12, 13}, {13, 17}, {14, 21}, {15, 25}, {16, 29}, {17, 34},
                                        {18, 40}, {19, 46}, {20, 52}, {25, 89}, {30, 137}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        unsigned n = table[i][0], t = table[i][1];
        assert_true(2 * wilcoxon_exact_cdf(t, n) <= 0.05);
        assert_true(2 * wilcoxon_exact_cdf(t + 1, n) > 0.05);
    }
    /* n = 10 with the negative ranks 1, 2, 5 (W- = 8, at the critical value): significant;
     * with 1, 2, 6 (W- = 9): not */
    double d[10];
    for (int r = 1; r <= 10; r++)
        d[r - 1] = r / 100.0 * ((r == 1 || r == 2 || r == 5) ? -1 : 1);
    wilcoxon w;
    assert_int_equal(wilcoxon_signed_rank(&w, d, 10), 0);
    assert_true(w.exact);
    assert_close(w.w_minus, 8, 0);
    assert_close(w.w_plus, 47, 0);
    assert_close(w.p, 50.0 / 1024, 1e-15); /* 2 x 25 patterns of W <= 8, over 2^10 */
    d[4] = 0.05;
    d[5] = -0.06;
    assert_int_equal(wilcoxon_signed_rank(&w, d, 10), 0);
    assert_close(w.w_minus, 9, 0);
    assert_close(w.p, 66.0 / 1024, 1e-15);
}

static void test_wilcoxon_reproduces_the_documented_r_example(void **state)
{
    (void)state;
    /* Hollander and Wolfe (1973, p. 29), the example of R's wilcox.test: Hamilton depression
     * scale before (x) and after (y) a tranquilizer; R prints V = 40, p = 0.01953 for the
     * one-sided test, so the two-sided p is 0.0390625 = 20 / 512 */
    const double x[] = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
    const double y[] = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
    double d[9];
    for (int i = 0; i < 9; i++)
        d[i] = x[i] - y[i];
    wilcoxon w;
    assert_int_equal(wilcoxon_signed_rank(&w, d, 9), 0);
    assert_int_equal(w.n, 9);
    assert_int_equal(w.zeros, 0);
    assert_true(w.exact);
    assert_close(w.w_plus, 40, 0);
    assert_close(w.w_minus, 5, 0);
    assert_close(w.p, 0.0390625, 1e-15);
    /* the other direction gives the same two-sided p */
    for (int i = 0; i < 9; i++)
        d[i] = -d[i];
    assert_int_equal(wilcoxon_signed_rank(&w, d, 9), 0);
    assert_close(w.w_plus, 5, 0);
    assert_close(w.p, 0.0390625, 1e-15);
}

static double normal_upper_tail(double z)
{
    return 0.5 * erfc(z / sqrt(2));
}

static void test_wilcoxon_with_ties_uses_the_corrected_normal_approximation(void **state)
{
    (void)state;
    /* d = 1, -1, 2, 2, 3: |d| ranks 1.5, 1.5, 3.5, 3.5, 5; W+ = 13.5, W- = 1.5. Mean
     * n(n+1)/4 = 7.5; variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48 = 13.75 - 12/48 = 13.5;
     * z = (13.5 - 7.5 - 0.5) / sqrt(13.5) = 1.4969; p = 2 Q(z) = 0.1344 (R: V = 13.5,
     * p-value = 0.1344, "cannot compute exact p-value with ties") */
    const double d[] = {1, -1, 2, 2, 3};
    wilcoxon w;
    assert_int_equal(wilcoxon_signed_rank(&w, d, 5), 0);
    assert_false(w.exact);
    assert_close(w.w_plus, 13.5, 0);
    assert_close(w.w_minus, 1.5, 0);
    assert_close(w.p, 2 * normal_upper_tail(5.5 / sqrt(13.5)), 1e-12);
    assert_close(w.p, 0.1344, 1e-4);
}

static void test_wilcoxon_drops_zero_differences(void **state)
{
    (void)state;
    /* deterministic agents in identical cells differ by exactly 0 (or by rounding) */
    const double d[] = {0, 1e-15, 0.1, 0.2, 0.3};
    wilcoxon w;
    assert_int_equal(wilcoxon_signed_rank(&w, d, 5), 0);
    assert_int_equal(w.zeros, 2);
    assert_int_equal(w.n, 3);
    assert_close(w.w_plus, 6, 0);
    assert_close(w.p, 2.0 / 8, 1e-15); /* W- = 0: one pattern of 8, both tails */
    const double none[] = {0, 0, 0};
    assert_int_equal(wilcoxon_signed_rank(&w, none, 3), 0);
    assert_int_equal(w.n, 0);
    assert_close(w.p, 1, 0);
    /* more than WILCOXON_EXACT_MAX untied differences: the normal approximation, all
     * positive: W+ = 60 * 61 / 2 = 1830, mean 915, sd sqrt(60 * 61 * 121 / 24) = 135.84 */
    double many[60];
    for (int i = 0; i < 60; i++)
        many[i] = (i + 1) / 1000.0;
    assert_int_equal(wilcoxon_signed_rank(&w, many, 60), 0);
    assert_false(w.exact);
    assert_close(w.p, 2 * normal_upper_tail((1830 - 915 - 0.5) / sqrt(60.0 * 61 * 121 / 24)),
                 1e-15);
}

static void test_holm_adjusts_by_hand(void **state)
{
    (void)state;
    /* sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04 -> running
     * maximum 0.02, 0.03, 0.06, 0.06 */
    const double p[] = {0.01, 0.04, 0.03, 0.005, NAN};
    double a[5];
    assert_int_equal(holm_adjust(a, p, 5), 0);
    assert_close(a[0], 0.03, 1e-15);
    assert_close(a[1], 0.06, 1e-15);
    assert_close(a[2], 0.06, 1e-15);
    assert_close(a[3], 0.02, 1e-15);
    assert_true(isnan(a[4]));
    /* capped at 1 */
    const double big[] = {0.6, 0.7};
    assert_int_equal(holm_adjust(a, big, 2), 0);
    assert_close(a[0], 1, 0);
    assert_close(a[1], 1, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_student_t_quantiles_match_tables),
        cmocka_unit_test(test_summary_of_values),
        cmocka_unit_test(test_wilcoxon_distribution_counts_every_sign_pattern),
        cmocka_unit_test(test_wilcoxon_matches_published_critical_values),
        cmocka_unit_test(test_wilcoxon_reproduces_the_documented_r_example),
        cmocka_unit_test(test_wilcoxon_with_ties_uses_the_corrected_normal_approximation),
        cmocka_unit_test(test_wilcoxon_drops_zero_differences),
        cmocka_unit_test(test_holm_adjusts_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
