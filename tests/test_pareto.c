/* test_pareto.c: pareto_filter against a naive quadratic filter written here,
 * on seeded random point sets full of exact ties and near-ties, and by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dominance.h"
#include "analysis/pareto.h"
#include "core/arena.h"
#include "testutil.h"

/* The documented tolerance, restated so that the naive filter below does not
 * depend on the code under test. */
#define TOL 1e-12

/* splitmix64: the test draws its own numbers, independent of src/core/rng.c */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *state)
{
    return (double)(next_random(state) >> 11) * 0x1.0p-53;
}

static int naive_dominates(const double *a, const double *b, size_t n)
{
    int strict = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] < b[i] - TOL)
            return 0;
        if (a[i] > b[i] + TOL)
            strict = 1;
    }
    return strict;
}

static int naive_equal(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(a[i] - b[i]) > TOL)
            return 0;
    return 1;
}

/* Lexicographic descending order, written out again for the same reason. */
static int strictly_before(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return a[i] > b[i];
    }
    return 0;
}

typedef struct filtered {
    size_t *kept;
    long *into;
    size_t n_kept;
} filtered;

static void run_filter(const double *u, size_t n, size_t len, int sorted, filtered *f)
{
    mem m;
    mem_init(&m, NULL);
    f->kept = calloc(len ? len : 1, sizeof *f->kept);
    f->into = calloc(len ? len : 1, sizeof *f->into);
    assert_non_null(f->kept);
    assert_non_null(f->into);
    assert_int_equal(pareto_filter(&m, u, n, len, sorted, f->kept, f->into, &f->n_kept), 0);
}

static void free_filtered(filtered *f)
{
    free(f->kept);
    free(f->into);
}

/* Check the filter's output against a quadratic scan: a vector is kept iff no
 * input dominates it; every non-dominated input maps to the one kept vector
 * it equals; kept vectors are distinct and in descending order. The data the
 * callers build keeps "equal within TOL" transitive (groups of equal values
 * are far apart), so the expected partition is well defined. */
static void check_against_naive(const double *u, size_t n, size_t len, const filtered *f)
{
    char *dominated = calloc(len ? len : 1, 1);
    assert_non_null(dominated);
    size_t classes = 0;
    for (size_t c = 0; c < len; c++) {
        for (size_t d = 0; d < len && !dominated[c]; d++)
            dominated[c] = (char)naive_dominates(&u[d * n], &u[c * n], n);
        if (dominated[c])
            continue;
        /* a new class when no earlier non-dominated input equals it */
        int seen = 0;
        for (size_t d = 0; d < c && !seen; d++)
            seen = !dominated[d] && naive_equal(&u[d * n], &u[c * n], n);
        classes += !seen;
    }
    assert_int_equal(f->n_kept, classes);
    for (size_t j = 0; j < f->n_kept; j++) {
        size_t c = f->kept[j];
        assert_true(c < len);
        assert_false(dominated[c]);
        assert_int_equal(f->into[c], (long)j);
        if (j > 0) {
            const double *prev = &u[f->kept[j - 1] * n];
            assert_true(strictly_before(prev, &u[c * n], n));
            assert_false(naive_equal(prev, &u[c * n], n));
        }
    }
    for (size_t c = 0; c < len; c++) {
        if (dominated[c]) {
            assert_int_equal(f->into[c], -1);
            continue;
        }
        long j = f->into[c];
        assert_true(j >= 0 && (size_t)j < f->n_kept);
        assert_true(naive_equal(&u[f->kept[j] * n], &u[c * n], n));
    }
    free(dominated);
}

/* Random vectors on a grid of `levels` values `step` apart; a third of the
 * coordinates get a jitter below 5e-14, so copies of one grid value differ
 * by less than 1e-13 (equal within the tolerance) while different grid
 * values stay at least step - 1e-13 apart. */
static double *random_points(uint64_t *state, size_t n, size_t len, unsigned levels, double step)
{
    double *u = malloc((len ? len : 1) * n * sizeof *u);
    assert_non_null(u);
    for (size_t c = 0; c < len * n; c++) {
        double v = 0.5 + step * (double)(next_random(state) % levels);
        uint64_t r = next_random(state) % 3;
        if (r == 1)
            v += 5e-14 * uniform(state);
        else if (r == 2)
            v -= 5e-14 * uniform(state);
        u[c] = v;
    }
    return u;
}

/* Stable insertion sort by descending order, for the `sorted` entry point. */
static void sort_desc(double *u, size_t n, size_t len)
{
    double *tmp = malloc(n * sizeof *tmp);
    assert_non_null(tmp);
    for (size_t j = 1; j < len; j++) {
        memcpy(tmp, &u[j * n], n * sizeof *tmp);
        size_t k = j;
        while (k > 0 && strictly_before(tmp, &u[(k - 1) * n], n)) {
            memcpy(&u[k * n], &u[(k - 1) * n], n * sizeof *tmp);
            k--;
        }
        memcpy(&u[k * n], tmp, n * sizeof *tmp);
    }
    free(tmp);
}

static void random_rounds(size_t n, double step)
{
    static const size_t sizes[] = {1, 2, 3, 5, 8, 17, 40, 100, 250};
    static const unsigned grids[] = {2, 3, 5, 9};
    uint64_t state = 1000 * n + (uint64_t)(step * 1e12);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t g = 0; g < sizeof grids / sizeof *grids; g++)
            for (int round = 0; round < 4; round++) {
                size_t len = sizes[s];
                double *u = random_points(&state, n, len, grids[g], step);
                filtered f;
                run_filter(u, n, len, 0, &f);
                check_against_naive(u, n, len, &f);
                free_filtered(&f);
                /* the merge hands two-party candidates over already sorted */
                sort_desc(u, n, len);
                run_filter(u, n, len, 1, &f);
                check_against_naive(u, n, len, &f);
                free_filtered(&f);
                free(u);
            }
}

static void test_random_sets_match_naive_filter_one_party(void **state)
{
    (void)state;
    random_rounds(1, 0.25);
}

static void test_random_sets_match_naive_filter_two_parties(void **state)
{
    (void)state;
    random_rounds(2, 0.25);
}

static void test_random_sets_match_naive_filter_three_parties(void **state)
{
    (void)state;
    random_rounds(3, 0.25);
}

static void test_random_sets_match_naive_filter_four_parties(void **state)
{
    (void)state;
    random_rounds(4, 0.25);
}

/* Grid values 3e-12 apart: just beyond the tolerance, so they must be told
 * apart (dominance), while jitter below 1e-13 must not. */
static void test_differences_just_above_tolerance_count(void **state)
{
    (void)state;
    for (size_t n = 1; n <= 4; n++)
        random_rounds(n, 3e-12);
}

static void test_hand_made_two_party_set(void **state)
{
    (void)state;
    /* (0.4,0.4) is dominated by (0.5,0.5); the two (0.5,0.5) merge; the
     * frontier in descending order of u0 is (1,0), (0.5,0.5), (0,1) */
    const double u[] = {1, 0, 0, 1, 0.5, 0.5, 0.4, 0.4, 0.5, 0.5};
    filtered f;
    run_filter(u, 2, 5, 0, &f);
    assert_int_equal(f.n_kept, 3);
    assert_int_equal(f.kept[0], 0);
    assert_true(f.kept[1] == 2 || f.kept[1] == 4);
    assert_int_equal(f.kept[2], 1);
    assert_int_equal(f.into[0], 0);
    assert_int_equal(f.into[1], 2);
    assert_int_equal(f.into[2], 1);
    assert_int_equal(f.into[3], -1);
    assert_int_equal(f.into[4], 1);
    free_filtered(&f);
}

static void test_near_tie_on_sort_key_is_dominated_by_later_vector(void **state)
{
    (void)state;
    /* (0.5, 0.2) sorts first, but (0.5 - 5e-13, 0.6) equals it on u0 within
     * the tolerance and is better on u1: it dominates; (0.5 + 4e-13, 0.2)
     * ties with the dominated one and goes with it */
    const double u2[] = {0.5, 0.2, 0.5 - 5e-13, 0.6, 0.5 + 4e-13, 0.2, 0.1, 0.9};
    for (int sorted = 0; sorted <= 1; sorted++) {
        double v[8];
        memcpy(v, u2, sizeof v);
        if (sorted)
            sort_desc(v, 2, 4);
        filtered f;
        run_filter(v, 2, 4, sorted, &f);
        assert_int_equal(f.n_kept, 2);
        check_against_naive(v, 2, 4, &f);
        free_filtered(&f);
    }
    const double u3[] = {0.5,         0.2, 0.3, 0.5 - 5e-13, 0.2, 0.4,
                         0.5 + 4e-13, 0.2, 0.3, 0.1,         0.9, 0.0};
    filtered f;
    run_filter(u3, 3, 4, 0, &f);
    assert_int_equal(f.n_kept, 2);
    assert_int_equal(f.into[0], -1);
    assert_int_equal(f.into[2], -1);
    assert_int_equal(f.into[1], 0);
    assert_int_equal(f.into[3], 1);
    free_filtered(&f);
}

static void test_one_party_keeps_all_maxima(void **state)
{
    (void)state;
    const double u[] = {0.3, 0.9, 0.9 - 1e-13, 0.1, 0.9 + 1e-13, 0.8999};
    filtered f;
    run_filter(u, 1, 6, 0, &f);
    assert_int_equal(f.n_kept, 1);
    const long into[] = {-1, 0, 0, -1, 0, -1};
    for (size_t c = 0; c < 6; c++)
        assert_int_equal(f.into[c], into[c]);
    free_filtered(&f);
}

static void test_identical_vectors_merge_into_one(void **state)
{
    (void)state;
    double u[3 * 50];
    for (size_t c = 0; c < 50; c++) {
        u[3 * c] = 0.25;
        u[3 * c + 1] = 0.5;
        u[3 * c + 2] = 0.75;
    }
    filtered f;
    run_filter(u, 3, 50, 0, &f);
    assert_int_equal(f.n_kept, 1);
    for (size_t c = 0; c < 50; c++)
        assert_int_equal(f.into[c], 0);
    free_filtered(&f);
}

static void test_empty_input_keeps_nothing(void **state)
{
    (void)state;
    mem m;
    mem_init(&m, NULL);
    size_t kept[1], n_kept = 99;
    long into[1];
    assert_int_equal(pareto_filter(&m, NULL, 2, 0, 0, kept, into, &n_kept), 0);
    assert_int_equal(n_kept, 0);
}

static void test_dominance_and_equality_use_tolerance(void **state)
{
    (void)state;
    const double a[] = {0.5, 0.5}, b[] = {0.5 + 5e-13, 0.5}, c[] = {0.5 + 2e-12, 0.5};
    assert_true(pareto_equal(a, b, 2));
    assert_false(pareto_dominates(b, a, 2));
    assert_false(pareto_equal(a, c, 2));
    assert_true(pareto_dominates(c, a, 2));
    assert_false(pareto_dominates(a, c, 2));
    const double d[] = {0.5 - 5e-13, 0.7};
    assert_true(pareto_dominates(d, a, 2));
    assert_true(pareto_compare_desc(a, d, 2) < 0);
}

/* Three to six parties, sets large enough that the dominance structure splits into many
 * leaves: the kept vectors and every place (into) equal those of the pairwise filter it
 * replaced, on gridded data (ties, dominance) and on data whose coordinates sit within a few
 * tolerances of each other, where "equal" is not transitive and a later vector can dominate an
 * earlier one within the tolerance of the sort key (the removals). The mid-sized sets are
 * also checked against the naive filter written here. */
static void test_dominance_structure_matches_the_pairwise_filter(void **state)
{
    (void)state;
    uint64_t rs = 77;
    mem m;
    mem_init(&m, NULL);
    static const size_t sizes[] = {300, 1500, 4000};
    for (size_t n = 3; n <= 6; n++)
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
            for (int kind = 0; kind < 4; kind++) {
                size_t len = sizes[si];
                double *u;
                if (kind == 0) {
                    u = random_points(&rs, n, len, 12, 0.05);
                } else if (kind == 1) {
                    /* anti-correlated: most vectors Pareto-optimal, a large tree */
                    u = malloc(len * n * sizeof *u);
                    assert_non_null(u);
                    for (size_t c = 0; c < len; c++) {
                        double sum = 0;
                        for (size_t i = 0; i < n; i++)
                            sum += (u[c * n + i] = uniform(&rs) + 1e-3);
                        for (size_t i = 0; i < n; i++)
                            u[c * n + i] = floor(u[c * n + i] / sum * 64) / 64;
                    }
                } else {
                    /* near ties: values a few tolerances apart, or 0.7 of one apart (equal
                     * to the next value, not to the one after: not transitive) */
                    double gap = kind == 2 ? 1e-12 : 0.7e-12;
                    u = malloc(len * n * sizeof *u);
                    assert_non_null(u);
                    for (size_t c = 0; c < len * n; c++)
                        u[c] = 0.5 + gap * (double)(next_random(&rs) % 5);
                }
                filtered a, b;
                run_filter(u, n, len, 0, &a);
                b.kept = calloc(len, sizeof *b.kept);
                b.into = calloc(len, sizeof *b.into);
                assert_non_null(b.kept);
                assert_non_null(b.into);
                assert_int_equal(
                    pareto_filter_pairwise(&m, u, n, len, 0, b.kept, b.into, &b.n_kept), 0);
                assert_int_equal(a.n_kept, b.n_kept);
                assert_memory_equal(a.kept, b.kept, a.n_kept * sizeof *a.kept);
                assert_memory_equal(a.into, b.into, len * sizeof *a.into);
                if (kind == 0 && len <= 1500)
                    check_against_naive(u, n, len, &a);
                free_filtered(&a);
                free_filtered(&b);
                free(u);
            }
}

/* The work bound: a filter given less work than it needs stops with TRUCE_ELIMIT and says how
 * far it got; with no bound (max 0) or enough it finishes with the same result. */
static void test_dominance_work_is_bounded(void **state)
{
    (void)state;
    uint64_t rs = 5;
    mem m;
    mem_init(&m, NULL);
    size_t n = 4, len = 2000;
    double *u = random_points(&rs, n, len, 20, 0.02);
    size_t *kept = calloc(len, sizeof *kept);
    long *into = calloc(len, sizeof *into);
    assert_non_null(kept);
    assert_non_null(into);
    size_t k = 0;
    dominance_work w = {0, 0};
    assert_int_equal(pareto_filter_bounded(&m, u, n, len, 0, kept, into, &k, &w), 0);
    assert_true(w.done >= (double)len); /* each vector is compared at least once */
    size_t k_free = k;
    dominance_work tight = {0, w.done / 10};
    assert_int_equal(pareto_filter_bounded(&m, u, n, len, 0, kept, into, &k, &tight),
                     TRUCE_ELIMIT);
    assert_true(tight.done > tight.max);
    dominance_work enough = {0, w.done + 1};
    assert_int_equal(pareto_filter_bounded(&m, u, n, len, 0, kept, into, &k, &enough), 0);
    assert_int_equal(k, k_free);
    truce_error err;
    assert_int_equal(dominance_limit_error(&err, &tight), TRUCE_ELIMIT);
    assert_string_equal(err.field, "max_work");
    free(kept);
    free(into);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_sets_match_naive_filter_one_party),
        cmocka_unit_test(test_random_sets_match_naive_filter_two_parties),
        cmocka_unit_test(test_random_sets_match_naive_filter_three_parties),
        cmocka_unit_test(test_random_sets_match_naive_filter_four_parties),
        cmocka_unit_test(test_differences_just_above_tolerance_count),
        cmocka_unit_test(test_hand_made_two_party_set),
        cmocka_unit_test(test_near_tie_on_sort_key_is_dominated_by_later_vector),
        cmocka_unit_test(test_one_party_keeps_all_maxima),
        cmocka_unit_test(test_identical_vectors_merge_into_one),
        cmocka_unit_test(test_empty_input_keeps_nothing),
        cmocka_unit_test(test_dominance_and_equality_use_tolerance),
        cmocka_unit_test(test_dominance_structure_matches_the_pairwise_filter),
        cmocka_unit_test(test_dominance_work_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
