/* test_alloc_fail.c: allocation-failure injection: fail the N-th request for every N until the
 * call succeeds; each failure must give TRUCE_ENOMEM, leave *out alone and leak nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Blocks carry a header with their size, so that the size the library passes
 * back when freeing or resizing can be checked against what it asked for. */
#define HEADER 16

typedef struct failing {
    long fail_at;       /* 1-based number of the request that fails; 0: none */
    long requests;      /* allocations and resizes so far */
    size_t outstanding; /* bytes allocated and not yet freed */
    size_t peak;
    long wrong_sizes; /* frees or resizes whose osize did not match */
} failing;

static void *failing_alloc(void *ptr, size_t osize, size_t nsize, void *payload)
{
    failing *f = payload;
    char *block = ptr ? (char *)ptr - HEADER : NULL;
    size_t size = 0; /* what the block really holds */
    if (block) {
        memcpy(&size, block, sizeof size);
        if (size != osize)
            f->wrong_sizes++;
    }
    if (nsize == 0) {
        if (block) {
            f->outstanding -= size;
            free(block);
        }
        return NULL;
    }
    if (++f->requests == f->fail_at)
        return NULL; /* the block, if any, stays valid: realloc semantics */
    char *grown = realloc(block, nsize + HEADER);
    if (!grown)
        return NULL;
    memcpy(grown, &nsize, sizeof nsize);
    f->outstanding += nsize - size;
    if (f->outstanding > f->peak)
        f->peak = f->outstanding;
    return grown + HEADER;
}

static void failing_reset(failing *f, long fail_at)
{
    memset(f, 0, sizeof *f);
    f->fail_at = fail_at;
}

/* Upper bound on N: a loop that never succeeds is itself a bug. */
#define MAX_RUNS 100000

/* What each run does: one library call through the allocator, returning its
 * code; on success it frees what it made (through the same allocator). */
typedef int (*run_fn)(const truce_allocator *allocator, void *context, truce_error *err);

/* Run fn with the N-th allocation failing for N = 1, 2, ... until it
 * succeeds; returns the number of allocation requests of the successful run.
 * Frees and resizes must pass the size the block was allocated with (Lua's
 * lua_Alloc contract: a pool allocator relies on it); *wrong_sizes, when not
 * NULL, collects the runs where they did not instead of failing at once. */
static long fail_every_allocation(run_fn fn, void *context, const char *what, long *wrong_sizes)
{
    failing f;
    truce_allocator allocator = {failing_alloc, &f};
    for (long n = 1; n <= MAX_RUNS; n++) {
        failing_reset(&f, n);
        truce_error err;
        memset(&err, 0, sizeof err);
        int rc = fn(&allocator, context, &err);
        if (f.wrong_sizes && !wrong_sizes)
            fail_msg("%s, allocation %ld failing: %ld frees or resizes gave a wrong size", what, n,
                     f.wrong_sizes);
        if (wrong_sizes)
            *wrong_sizes += f.wrong_sizes;
        if (f.outstanding != 0)
            fail_msg("%s, allocation %ld failing: %zu bytes not freed", what, n, f.outstanding);
        if (rc == 0) {
            /* the successful run made exactly n - 1 requests (none failed) */
            if (f.requests != n - 1)
                fail_msg("%s: succeeded with %ld requests while request %ld was to fail", what,
                         f.requests, n);
            assert_true(f.peak > 0);
            printf("%s: %ld allocation requests, each failed once\n", what, f.requests);
            return f.requests;
        }
        if (rc != TRUCE_ENOMEM || err.code != TRUCE_ENOMEM)
            fail_msg("%s, allocation %ld failing: %s (%s) instead of TRUCE_ENOMEM", what, n,
                     truce_strerror(rc), err.message);
        assert_non_null(strstr(err.message, "out of memory"));
    }
    fail_msg("%s: still failing after %d runs", what, MAX_RUNS);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Loading                                                            */
/* ------------------------------------------------------------------ */

static int load_handmade(const truce_allocator *allocator, void *context, truce_error *err)
{
    (void)context;
    const char *profiles[] = {TRUCE_TEST_DATA "/handmade/a.xml", TRUCE_TEST_DATA "/handmade/b.xml"};
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.allocator = allocator;
    truce_scenario *sentinel = (truce_scenario *)&opts, *s = sentinel;
    int rc = truce_scenario_load_genius(&s, TRUCE_TEST_DATA "/handmade/domain.xml", profiles, 2,
                                        &opts, err);
    if (rc) {
        assert_ptr_equal(s, sentinel); /* untouched on failure */
        return rc;
    }
    /* a scenario loaded under pressure is the whole scenario: a: 0.5 * 8/8 +
     * 0.3 * 0.25 * 2 + 0.2 * (0.05 * 4 + 0.1) = 0.71 (see test_scenario.c) */
    uint32_t outcome[] = {1, 2, 4};
    assert_float_equal(truce_utility(s, 0, outcome), 0.71, 1e-12);
    assert_int_equal(truce_scenario_party_count(s), 2);
    truce_scenario_free(s);
    return 0;
}

static void test_loading_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    long requests = fail_every_allocation(load_handmade, NULL, "load handmade", NULL);
    assert_true(requests >= 1);
}

static int load_nonlinear_dir(const truce_allocator *allocator, void *context, truce_error *err)
{
    (void)context;
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.allocator = allocator;
    truce_scenario *sentinel = (truce_scenario *)&opts, *s = sentinel;
    int rc = truce_scenario_load_dir(&s, TRUCE_TEST_DATA "/nonlinear", &opts, err);
    if (rc) {
        assert_ptr_equal(s, sentinel);
        return rc;
    }
    /* p on x = 0, y = 2: 6 (inside) + 5 (always) = 11, capped at 1 */
    uint32_t outcome[] = {0, 2};
    assert_float_equal(truce_utility(s, 0, outcome), 1.0, 0);
    truce_scenario_free(s);
    return 0;
}

static void test_loading_a_folder_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    fail_every_allocation(load_nonlinear_dir, NULL, "load nonlinear folder", NULL);
}

/* A scenario too big for one arena chunk (64 KiB), so that failures hit the
 * loader part way through: 3000 named options and 20000 integer values. */
typedef struct big_files {
    char domain[512], profile[3][512]; /* three files: parties are named after their files */
} big_files;

static void write_big_scenario(big_files *files)
{
    size_t cap = 3000 * 64 + 4096, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len,
                            "<negotiation_template><utility_space><objective>\n"
                            "<issue index=\"1\" name=\"word\" type=\"discrete\">\n");
    for (int k = 0; k < 3000; k++)
        len += (size_t)snprintf(text + len, cap - len, "<item value=\"option-%d\"/>\n", k);
    snprintf(text + len, cap - len,
             "</issue><issue index=\"2\" name=\"n\" type=\"integer\" lowerbound=\"0\" "
             "upperbound=\"19999\"/></objective></utility_space></negotiation_template>\n");
    snprintf(files->domain, sizeof files->domain, "%s", temp_file("big.xml", text));
    len = (size_t)snprintf(text, cap,
                           "<utility_space><objective>\n"
                           "<issue index=\"1\" name=\"word\" type=\"discrete\">\n");
    for (int k = 0; k < 3000; k++)
        len += (size_t)snprintf(text + len, cap - len,
                                "<item value=\"option-%d\" evaluation=\"%d\"/>\n", k, k % 7);
    snprintf(text + len, cap - len,
             "</issue><issue index=\"2\" name=\"n\" type=\"integer\">"
             "<evaluator ftype=\"linear\" slope=\"0.00005\" offset=\"0\"/></issue>\n"
             "<weight index=\"1\" value=\"0.5\"/><weight index=\"2\" value=\"0.5\"/>\n"
             "</objective></utility_space>\n");
    for (int p = 0; p < 3; p++) {
        char file[16];
        snprintf(file, sizeof file, "p%d.xml", p + 1);
        snprintf(files->profile[p], sizeof files->profile[p], "%s", temp_file(file, text));
    }
    free(text);
}

static int load_big(const truce_allocator *allocator, void *context, truce_error *err)
{
    const big_files *files = context;
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.allocator = allocator;
    truce_scenario *sentinel = (truce_scenario *)&opts, *s = sentinel;
    const char *profiles[] = {files->profile[0], files->profile[1], files->profile[2]};
    int rc = truce_scenario_load_genius(&s, files->domain, profiles, 3, &opts, err);
    if (rc) {
        assert_ptr_equal(s, sentinel);
        return rc;
    }
    /* option-13 evaluates 13 % 7 = 6 of at most 6; n = 10000 gives 0.5:
     * 0.5 * 1 + 0.5 * 0.5 */
    uint32_t outcome[] = {13, 10000};
    assert_float_equal(truce_utility(s, 2, outcome), 0.75, 1e-12);
    truce_scenario_free(s);
    return 0;
}

static void test_loading_a_big_scenario_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    big_files files;
    write_big_scenario(&files);
    long requests = fail_every_allocation(load_big, &files, "load big", NULL);
    assert_true(requests >= 4); /* several arena chunks: failures came mid-load */
}

static int generate_small(const truce_allocator *allocator, void *context, truce_error *err)
{
    (void)context;
    truce_generate_options opts = TRUCE_GENERATE_OPTIONS_INIT;
    opts.n_issues = 4;
    opts.n_options = 3;
    opts.n_parties = 3;
    opts.allocator = allocator;
    truce_scenario *sentinel = (truce_scenario *)&opts, *s = sentinel;
    int rc = truce_scenario_generate(&s, &opts, err);
    if (rc) {
        assert_ptr_equal(s, sentinel);
        return rc;
    }
    assert_int_equal(truce_scenario_issue_count(s), 4);
    truce_scenario_free(s);
    return 0;
}

static void test_generating_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    fail_every_allocation(generate_small, NULL, "generate", NULL);
}

/* ------------------------------------------------------------------ */
/* Analysis                                                           */
/* ------------------------------------------------------------------ */

typedef struct analysis_case {
    const truce_scenario *scenario;
    const brute *expected;
    const char *method; /* the path the case must take */
} analysis_case;

static int analyze_case(const truce_allocator *allocator, void *context, truce_error *err)
{
    const analysis_case *c = context;
    truce_analysis_options opts = TRUCE_ANALYSIS_OPTIONS_INIT;
    opts.allocator = allocator;
    truce_analysis *sentinel = (truce_analysis *)&opts, *an = sentinel;
    int rc = truce_analyze(&an, c->scenario, &opts, err);
    if (rc) {
        assert_ptr_equal(an, sentinel);
        return rc;
    }
    /* the result under pressure is the full result: compare with brute force */
    assert_string_equal(truce_analysis_method(an), c->method);
    assert_false(truce_analysis_is_approximate(an));
    assert_int_equal(truce_analysis_pareto_size(an), c->expected->n_points);
    size_t np = c->expected->n_parties;
    for (size_t k = 0; k < c->expected->n_points; k++) {
        const double *u = truce_analysis_pareto_point(an, k);
        for (size_t p = 0; p < np; p++)
            assert_float_equal(u[p], c->expected->points[k * np + p], 1e-9);
    }
    char count[64];
    assert_true(truce_analysis_pareto_count(an, count, sizeof count) > 0);
    assert_int_equal(strtoull(count, NULL, 10), c->expected->pareto_count);
    assert_int_equal(truce_analysis_zopa(an), c->expected->zopa);
    double welfare;
    assert_int_equal(truce_analysis_solution(an, TRUCE_SOLUTION_MAX_WELFARE, NULL, NULL, &welfare),
                     1);
    assert_float_equal(welfare, c->expected->welfare_value, 1e-9);
    truce_analysis_free(an);
    return 0;
}

static void test_analysis_of_a_generated_scenario_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    truce_generate_options gen = TRUCE_GENERATE_OPTIONS_INIT;
    gen.n_issues = 4;
    gen.n_options = 3;
    gen.n_parties = 2;
    gen.levels = 5;
    gen.seed = 7;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_generate(&s, &gen, &err))
        fail_msg("%s", err.message);
    brute expected;
    brute_force(s, &expected);
    analysis_case c = {s, &expected, "additive-merge"};
    long requests = fail_every_allocation(analyze_case, &c, "analyze generated", NULL);
    assert_true(requests >= 2);
    brute_free(&expected);
    truce_scenario_free(s);
}

static void test_analysis_by_enumeration_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, TRUCE_TEST_DATA "/nonlinear", NULL, &err))
        fail_msg("%s", err.message);
    brute expected;
    brute_force(s, &expected);
    analysis_case c = {s, &expected, "enumeration"};
    long requests = fail_every_allocation(analyze_case, &c, "analyze nonlinear", NULL);
    assert_true(requests >= 2);
    brute_free(&expected);
    truce_scenario_free(s);
}

static int load_yaml_seed(const truce_allocator *allocator, void *context, truce_error *err)
{
    (void)context;
    truce_load_options opts = TRUCE_LOAD_OPTIONS_INIT;
    opts.allocator = allocator;
    truce_scenario *sentinel = (truce_scenario *)&opts, *s = sentinel;
    int rc = truce_scenario_load_yaml(&s, TRUCE_EXAMPLES "/seed/truce-talks.yaml", &opts, err);
    if (rc) {
        assert_ptr_equal(s, sentinel);
        return rc;
    }
    /* the whole scenario: 5 parties (docs/scenario-format.md's example) */
    assert_int_equal(truce_scenario_party_count(s), 5);
    assert_true(truce_scenario_issue_count(s) >= 1);
    truce_scenario_free(s);
    return 0;
}

static void test_loading_yaml_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    long requests = fail_every_allocation(load_yaml_seed, NULL, "load YAML seed", NULL);
    assert_true(requests >= 1);
}

/* ------------------------------------------------------------------ */
/* Negotiation                                                        */
/* ------------------------------------------------------------------ */

typedef struct negotiation_case {
    const truce_scenario *scenario;
    double agreement_utility[2]; /* of the run without any failure */
    int agreement;
    uint64_t rounds;
} negotiation_case;

/* Space, negotiation and one run, all through the allocator. */
static int negotiate_case(const truce_allocator *allocator, void *context, truce_error *err)
{
    negotiation_case *c = context;
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    so.allocator = allocator;
    truce_space *space_sentinel = (truce_space *)&so, *sp = space_sentinel;
    int rc = truce_space_create(&sp, c->scenario, &so, err);
    if (rc) {
        assert_ptr_equal(sp, space_sentinel);
        return rc;
    }
    truce_agent_spec agents[2];
    assert_int_equal(truce_agent_parse(&agents[0], "boulware", err), 0);
    assert_int_equal(truce_agent_parse(&agents[1], "conceder", err), 0);
    truce_negotiation_options no = TRUCE_NEGOTIATION_OPTIONS_INIT;
    no.allocator = allocator;
    no.max_rounds = 50;
    truce_negotiation *ng_sentinel = (truce_negotiation *)&no, *ng = ng_sentinel;
    rc = truce_negotiation_create(&ng, sp, agents, 2, &no, err);
    if (rc) {
        assert_ptr_equal(ng, ng_sentinel);
        truce_space_free(sp);
        return rc;
    }
    rc = truce_negotiation_run(ng, 7, err);
    if (rc == 0) {
        /* nothing is allocated while running: the result is the result */
        int agreement = truce_negotiation_agreement(ng);
        double u0 = truce_negotiation_utility(ng, 0), u1 = truce_negotiation_utility(ng, 1);
        if (c->rounds == 0) {
            c->agreement = agreement;
            c->agreement_utility[0] = u0;
            c->agreement_utility[1] = u1;
            c->rounds = truce_negotiation_rounds(ng);
        } else {
            assert_int_equal(agreement, c->agreement);
            assert_int_equal(truce_negotiation_rounds(ng), c->rounds);
            assert_true(u0 == c->agreement_utility[0] && u1 == c->agreement_utility[1]);
        }
    }
    truce_negotiation_free(ng);
    truce_space_free(sp);
    return rc;
}

static void test_negotiation_fails_cleanly_at_every_allocation(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, TRUCE_EXAMPLES "/genius/ceasefire", NULL, &err))
        fail_msg("%s", err.message);
    negotiation_case c = {s, {0, 0}, 0, 0};
    /* the reference run, with plenty of memory */
    assert_int_equal(negotiate_case(NULL, &c, &err), 0);
    assert_true(c.rounds >= 1);
    long requests = fail_every_allocation(negotiate_case, &c, "space, negotiation and run", NULL);
    assert_true(requests >= 3);
    truce_scenario_free(s);
}

/* The allocator itself: a test that cannot fail proves nothing. */
static void test_failing_allocator_fails_exactly_the_chosen_request(void **state)
{
    (void)state;
    failing f;
    failing_reset(&f, 2);
    void *a = failing_alloc(NULL, 0, 10, &f);
    assert_non_null(a);
    assert_null(failing_alloc(NULL, 0, 20, &f));
    void *b = failing_alloc(a, 10, 30, &f);
    assert_non_null(b);
    assert_int_equal(f.outstanding, 30);
    failing_alloc(b, 29, 0, &f); /* wrong size on purpose */
    assert_int_equal(f.wrong_sizes, 1);
    assert_int_equal(f.requests, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failing_allocator_fails_exactly_the_chosen_request),
        cmocka_unit_test(test_loading_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_loading_a_folder_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_loading_a_big_scenario_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_generating_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_loading_yaml_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_negotiation_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_analysis_of_a_generated_scenario_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_analysis_by_enumeration_fails_cleanly_at_every_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
