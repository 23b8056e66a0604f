/* test_constraints.c: constraint expressions (docs/scenario-format.md#
 * constraint-expressions): the parser on good and bad expressions (errors
 * placed by file, line, column and field), and random scenarios with random
 * expressions against a brute force that evaluates them itself. */
#define _DEFAULT_SOURCE
#include "randscen.h"
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the parser on a fixed scenario ---- */

/* x: a, b, c (discrete); n: integer 0..3; size: '10', '20', '40' (numeric
 * labels); cost per option of x and of n. */
static const char *base_yaml = "truce: 1\n"
                               "name: expressions\n"
                               "issues:\n"
                               "  - id: x\n"
                               "    options: [a, b, c]\n"
                               "    attributes: {cost: [1, 2, 4], risk: [0.1, 0.2, 0.4]}\n"
                               "  - id: n\n"
                               "    type: integer\n"
                               "    range: [0, 3]\n"
                               "    attributes: {cost: [0, 1, 1, 5]}\n"
                               "  - id: size\n"
                               "    options: ['10', '20', '40']\n"
                               "parties:\n"
                               "  - id: p\n"
                               "    weights: {x: 0.5, n: 0.5}\n"
                               "    values: {x: {a: 1, b: 0.5, c: 0}}\n"
                               "  - id: q\n"
                               "    weights: {x: 0.5, n: 0.5}\n"
                               "    values: {x: {a: 0, b: 0.5, c: 1}}\n"
                               "constraints:\n"
                               "  - id: c\n"
                               "    expression: ";

static truce_scenario *load_with(const char *expression, truce_error *err, int *rc)
{
    static char yaml[4096];
    snprintf(yaml, sizeof yaml, "%s%s\n", base_yaml, expression);
    truce_scenario *s = NULL;
    *rc = truce_scenario_load_yaml(&s, temp_file("expr.yaml", yaml), NULL, err);
    return s;
}

/* The hand-written meaning of each good expression. */
typedef int (*meaning)(int x, int n, int size);
static int m_eq(int x, int n, int z)
{
    (void)n, (void)z;
    return x == 0;
}
static int m_ne(int x, int n, int z)
{
    (void)n, (void)z;
    return x != 0;
}
static int m_in(int x, int n, int z)
{
    (void)n, (void)z;
    return x == 0 || x == 2;
}
static int m_not_in(int x, int n, int z)
{
    (void)n, (void)z;
    return x == 1;
}
static int m_int(int x, int n, int z)
{
    (void)x, (void)z;
    return n >= 2;
}
static int m_linear(int x, int n, int z)
{
    (void)x, (void)z;
    return 2 * n - 1 < 4;
}
static int m_cost(int x, int n, int z)
{
    static const int cx[] = {1, 2, 4}, cn[] = {0, 1, 1, 5};
    (void)z;
    return cx[x] + cn[n] + 1 <= 4;
}
static int m_logic(int x, int n, int z)
{
    (void)z;
    return !(x == 0) || n == 0;
}
static int m_prec(int x, int n, int z)
{
    (void)z;
    return x == 0 || (x == 1 && n == 3);
}
static int m_size(int x, int n, int z)
{
    (void)x, (void)n;
    return z >= 1;
}
static int m_risk(int x, int n, int z)
{
    (void)n, (void)z;
    return x <= 1;
}
static int m_true(int x, int n, int z)
{
    (void)x, (void)n, (void)z;
    return 1;
}
static int m_false(int x, int n, int z)
{
    (void)x, (void)n, (void)z;
    return 0;
}
static int m_sizeq(int x, int n, int z)
{
    (void)x, (void)n;
    return z == 1;
}

static void test_good_expressions_mean_what_the_grammar_says(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        meaning m;
    } cases[] = {
        {"x = a", m_eq},
        {"x == a", m_eq},
        {"x != a", m_ne},
        {"\"x in {a, c}\"", m_in},
        {"\"x not in {a, c}\"", m_not_in},
        {"n >= 2", m_int},
        {"2 * n - 1 < 4", m_linear},
        {"cost + 1 <= 4", m_cost},
        {"-cost >= -3 - 1 + 1 * 1", m_cost},
        {"not (x = a) or n = 0", m_logic},
        {"x = a or x = b and n = 3", m_prec},
        {"size >= 20", m_size},
        {"size = 20", m_sizeq},
        {"\"size = '20'\"", m_sizeq},
        {"risk < 0.3", m_risk},
        {"0.1 + 0.2 >= risk + 0.1", m_risk}, /* decimals within the tolerance */
        {"\"`x` = a\"", m_eq},
        {"true", m_true},
        {"false", m_false},
        {"not not x = a", m_eq},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        truce_error err;
        int rc;
        truce_scenario *s = load_with(cases[c].text, &err, &rc);
        if (rc)
            fail_msg("%s: %s", cases[c].text, err.message);
        int count = 0;
        for (uint32_t x = 0; x < 3; x++)
            for (uint32_t n = 0; n < 4; n++)
                for (uint32_t z = 0; z < 3; z++) {
                    uint32_t o[3] = {x, n, z};
                    int want = cases[c].m((int)x, (int)n, (int)z);
                    if (truce_outcome_feasible(s, o) != want)
                        fail_msg("%s: outcome x=%u n=%u size=%u", cases[c].text, x, n, z);
                    assert_int_equal(truce_outcome_broken_constraint(s, o), want ? -1 : 0);
                    count += want;
                }
        char text[64];
        assert_true(truce_scenario_feasible_count(s, text, sizeof text) > 0);
        assert_int_equal(atoi(text), count);
        assert_string_equal(truce_scenario_constraint_id(s, 0), "c");
        truce_scenario_free(s);
    }
}

static void test_bad_expressions_are_placed_by_line_column_and_field(void **state)
{
    (void)state;
    /* the expression starts at column 17 of line 22 ("    expression: "); a quoted
     * one at column 18 (libfyaml places a quoted scalar after its quote) */
    static const struct {
        const char *text;
        int column;
        const char *part;
    } cases[] = {
        {"x = ", 20, "expected an option of issue 'x'"}, /* YAML drops the trailing space */
        {"x = d", 21, "'d' is not an option of issue 'x'"},
        {"\"x in {a, d}\"", 27, "'d' is not an option of issue 'x'"},
        {"\"x in {a b}\"", 26, "expected ',' or '}'"},
        {"x > 1", 17, "issue 'x' is not numeric"},
        {"cost * n > 1", 24, "a product of two names is not linear"},
        {"(n > 1", 23, "expected ')' to close the '(' at column 1"},
        {"y > 1", 17, "unknown name 'y'"},
        {"n > 1 > 0", 23, "comparisons do not chain"},
        {"n > 1 and", 26, "expected a condition, found the end"},
        {"n > 1 n < 2", 23, "expected 'and', 'or' or the end"},
        {"n ? 2", 19, "unexpected character '?'"},
        {"\"x = 'a\"", 22, "the quote ' opened here is not closed"},
        {"\"\"", 18, "an empty expression"},
        {"n", 18, "expected a comparison"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        truce_error err;
        int rc;
        truce_scenario *s = load_with(cases[c].text, &err, &rc);
        assert_null(s);
        assert_int_equal(rc, TRUCE_EINVAL);
        assert_int_equal(err.line, 22);
        if (err.column != cases[c].column)
            fail_msg("%s: column %d, expected %d (%s)", cases[c].text, err.column, cases[c].column,
                     err.message);
        assert_string_equal(err.field, "expression");
        assert_contains(err.message, "expr.yaml:22: ");
        assert_contains(err.message, "the expression of constraint 'c'");
        assert_contains(err.message, cases[c].part);
    }
}

static void test_expression_errors_in_hard_conditions_and_block_text(void **state)
{
    (void)state;
    const char *yaml = "truce: 1\n"
                       "name: e\n"
                       "issues:\n"
                       "  - id: x\n"
                       "    options: [a, b]\n"
                       "parties:\n"
                       "  - id: p\n"
                       "    weights: {x: 1}\n"
                       "    values: {x: {a: 1, b: 0}}\n"
                       "    hard_conditions:\n"
                       "      - id: h\n"
                       "        expression: |\n"
                       "          x = a or\n"
                       "          x = z\n";
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_yaml(&s, temp_file("h.yaml", yaml), NULL, &err),
                     TRUCE_EINVAL);
    assert_int_equal(err.line, 14);  /* the second line of the block */
    assert_int_equal(err.column, 0); /* in the file: unknown; in the expression: below */
    assert_contains(err.message, "the expression of hard condition 'h'");
    assert_contains(err.message, "(at line 2, column 5 of the expression)");
    /* an attribute may not take an issue's name */
    const char *clash = "truce: 1\n"
                        "name: e\n"
                        "issues:\n"
                        "  - id: x\n"
                        "    options: [a, b]\n"
                        "    attributes: {x: [1, 2]}\n"
                        "parties:\n"
                        "  - id: p\n"
                        "    weights: {x: 1}\n"
                        "    values: {x: {a: 1, b: 0}}\n";
    assert_int_equal(truce_scenario_load_yaml(&s, temp_file("c.yaml", clash), NULL, &err),
                     TRUCE_EINVAL);
    assert_int_equal(err.line, 6);
    assert_contains(err.message, "has the name of an issue");
    /* one number per option */
    const char *count = "truce: 1\n"
                        "name: e\n"
                        "issues:\n"
                        "  - id: x\n"
                        "    options: [a, b]\n"
                        "    attributes: {w: [1, 2, 3]}\n"
                        "parties:\n"
                        "  - id: p\n"
                        "    weights: {x: 1}\n"
                        "    values: {x: {a: 1, b: 0}}\n";
    assert_int_equal(truce_scenario_load_yaml(&s, temp_file("n.yaml", count), NULL, &err),
                     TRUCE_EINVAL);
    assert_contains(err.message, "attribute 'w' of issue 'x' (one per option) needs 2 numbers");
}

/* ---- random scenarios with random expressions against brute force ---- */

#define N_ATTR 2

typedef struct extra {
    int declared[MAX_ISSUES][N_ATTR];
    int value[MAX_ISSUES][N_ATTR][MAX_OPTIONS];
} extra;

/* A random expression into buf; its meaning is checked by eval_random,
 * which re-reads the same random choices (same seed). */
typedef struct gen {
    uint64_t rng;
    char *buf;
    size_t len, size;
} gen;

#define GPUT(g, ...)                                                                               \
    ((g)->len += (size_t)snprintf((g)->buf + (g)->len, (g)->size - (g)->len, __VA_ARGS__))

/* Generate (buf != NULL) or evaluate (o != NULL) the same expression. */
static int walk_random(gen *g, const scenario_spec *sp, const extra *ex, const uint32_t *o,
                       int depth)
{
    int kind = depth >= 2 ? 3 + rand_pick(&g->rng, 3) : rand_pick(&g->rng, 6);
    if (kind == 0 || kind == 1) { /* and / or */
        if (g->buf)
            GPUT(g, "(");
        int l = walk_random(g, sp, ex, o, depth + 1);
        if (g->buf)
            GPUT(g, kind ? " or " : " and ");
        int r = walk_random(g, sp, ex, o, depth + 1);
        if (g->buf)
            GPUT(g, ")");
        return kind ? l || r : l && r;
    }
    if (kind == 2) { /* not */
        if (g->buf)
            GPUT(g, "not ");
        return !walk_random(g, sp, ex, o, depth + 1);
    }
    if (kind == 3) { /* option set */
        int i = rand_pick(&g->rng, sp->n_issues), neg = rand_pick(&g->rng, 2);
        unsigned set = 1u + (unsigned)rand_pick(&g->rng, (1 << sp->n_options[i]) - 1);
        if (g->buf) {
            GPUT(g, "i%d %sin {", i, neg ? "not " : "");
            int first = 1;
            for (int k = 0; k < sp->n_options[i]; k++)
                if (set >> k & 1) {
                    GPUT(g, "%so%d", first ? "" : ", ", k);
                    first = 0;
                }
            GPUT(g, "}");
        }
        return o ? (int)(set >> o[i] & 1) != neg : 0;
    }
    if (kind == 4) { /* option equality */
        int i = rand_pick(&g->rng, sp->n_issues), k = rand_pick(&g->rng, sp->n_options[i]);
        int eq = rand_pick(&g->rng, 2);
        if (g->buf)
            GPUT(g, "i%d %s o%d", i, eq ? "=" : "!=", k);
        return o ? ((int)o[i] == k) == eq : 0;
    }
    /* a linear comparison of the attributes */
    static const char *const ops[] = {"<", "<=", ">", ">=", "=", "!="};
    int c0 = rand_pick(&g->rng, 5) - 2, c1 = rand_pick(&g->rng, 5) - 2;
    if (c0 == 0 && c1 == 0)
        c0 = 1;
    int op = rand_pick(&g->rng, 6), t = rand_pick(&g->rng, 9) - 3;
    if (g->buf)
        GPUT(g, "%d * a0 + %d * a1 %s %d", c0, c1, ops[op], t);
    if (!o)
        return 0;
    int sum = 0;
    for (int i = 0; i < sp->n_issues; i++)
        for (int a = 0; a < N_ATTR; a++)
            if (ex->declared[i][a])
                sum += (a ? c1 : c0) * ex->value[i][a][o[i]];
    switch (op) {
    case 0:
        return sum < t;
    case 1:
        return sum <= t;
    case 2:
        return sum > t;
    case 3:
        return sum >= t;
    case 4:
        return sum == t;
    default:
        return sum != t;
    }
}

static int eval_random(uint64_t seed, const scenario_spec *sp, const extra *ex, const uint32_t *o)
{
    gen g = {seed, NULL, 0, 0};
    return walk_random(&g, sp, ex, o, 0);
}

static void text_random(uint64_t seed, const scenario_spec *sp, const extra *ex, char *buf,
                        size_t size)
{
    gen g = {seed, buf, 0, size};
    walk_random(&g, sp, ex, NULL, 0);
}

/* sp's YAML with attributes on the issues, an expression hard condition on
 * p0 (a principal) when hard_seed, and constraints. */
static void constrained_yaml(const scenario_spec *sp, const extra *ex, uint64_t hard_seed,
                             const uint64_t *seeds, int n_constraints, char *out, size_t size)
{
    size_t n = 0;
    const char *y = sp->yaml;
    int issue = 0;
    while (*y) {
        const char *end = strchr(y, '\n');
        size_t len = end ? (size_t)(end - y) + 1 : strlen(y);
        if (!strncmp(y, "  - id: p1\n", 11) && hard_seed) {
            char text[2048];
            text_random(hard_seed, sp, ex, text, sizeof text);
            if (sp->p[0].n_hard == 0)
                n += (size_t)snprintf(out + n, size - n, "    hard_conditions:\n");
            n += (size_t)snprintf(out + n, size - n, "      - id: hx\n        expression: \"%s\"\n",
                                  text);
        }
        n += (size_t)snprintf(out + n, size - n, "%.*s", (int)len, y);
        if (!strncmp(y, "    options: [", 14)) {
            int any = 0;
            for (int a = 0; a < N_ATTR; a++) {
                if (!ex->declared[issue][a])
                    continue;
                n += (size_t)snprintf(out + n, size - n, "%sa%d: [",
                                      any++ ? ", " : "    attributes: {", a);
                for (int k = 0; k < sp->n_options[issue]; k++)
                    n += (size_t)snprintf(out + n, size - n, "%s%d", k ? ", " : "",
                                          ex->value[issue][a][k]);
                n += (size_t)snprintf(out + n, size - n, "]");
            }
            if (any)
                n += (size_t)snprintf(out + n, size - n, "}\n");
            issue++;
        }
        y += len;
    }
    if (n_constraints)
        n += (size_t)snprintf(out + n, size - n, "constraints:\n");
    for (int c = 0; c < n_constraints; c++) {
        char text[2048];
        text_random(seeds[c], sp, ex, text, sizeof text);
        n += (size_t)snprintf(out + n, size - n, "  - id: c%d\n    expression: \"%s\"\n", c, text);
    }
    assert_true(n < size);
}

typedef struct expected {
    int n_feasible, n_rational, n_front, zopa;
    uint64_t pareto_count;
    double nash, ks, welfare;
} expected;

static void expect(const scenario_spec *sp, const world *w, const int *ok, expected *e)
{
    memset(e, 0, sizeof *e);
    e->nash = e->ks = e->welfare = -INFINITY;
    double ideal[MAX_PARTIES], front[MAX_OUTCOMES][MAX_PARTIES];
    for (int k = 0; k < w->nb; k++)
        ideal[k] = -INFINITY;
    for (int x = 0; x < w->n_outcomes; x++) {
        if (!ok[x])
            continue;
        e->n_feasible++;
        double sum = 0;
        for (int k = 0; k < w->nb; k++)
            sum += w->u[x][w->bargainer[k]];
        e->welfare = fmax(e->welfare, sum);
        int dominated = 0;
        for (int y = 0; y < w->n_outcomes && !dominated; y++)
            dominated = ok[y] && world_dominates(w, w->u[y], w->u[x]);
        if (!dominated) {
            e->pareto_count++;
            int seen = 0;
            for (int j = 0; j < e->n_front && !seen; j++) {
                seen = 1;
                for (int k = 0; k < w->nb; k++)
                    seen &= fabs(front[j][k] - w->u[x][w->bargainer[k]]) <= 1e-12;
            }
            if (!seen) {
                for (int k = 0; k < w->nb; k++)
                    front[e->n_front][k] = w->u[x][w->bargainer[k]];
                e->n_front++;
            }
        }
        if (!world_rational(sp, w, x))
            continue;
        e->zopa = 1;
        e->n_rational++;
        double prod = 1;
        for (int k = 0; k < w->nb; k++) {
            int q = w->bargainer[k];
            prod *= w->u[x][q] - sp->p[q].reservation;
            ideal[k] = fmax(ideal[k], w->u[x][q]);
        }
        e->nash = fmax(e->nash, prod);
    }
    for (int x = 0; e->zopa && x < w->n_outcomes; x++) {
        if (!ok[x] || !world_rational(sp, w, x))
            continue;
        double share = INFINITY;
        for (int k = 0; k < w->nb; k++) {
            int q = w->bargainer[k];
            share = fmin(share,
                         (w->u[x][q] - sp->p[q].reservation) / (ideal[k] - sp->p[q].reservation));
        }
        e->ks = fmax(e->ks, share);
    }
}

static void negotiate_all(const truce_scenario *s, int round)
{
    static const char *const agents[] = {"boulware", "conceder", "random", "hardheaded"};
    size_t n = truce_scenario_bargainer_count(s);
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, &so, &err))
        fail_msg("truce_space_create: %s", err.message);
    for (int pair = 0; pair < 4; pair++) {
        truce_agent_spec specs[MAX_PARTIES];
        for (size_t k = 0; k < n; k++)
            if (truce_agent_parse(&specs[k], agents[(pair + k) % 4], &err))
                fail_msg("%s", err.message);
        truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
        o.max_rounds = 60;
        truce_negotiation *ng = NULL;
        if (truce_negotiation_create(&ng, sp, specs, n, &o, &err))
            fail_msg("truce_negotiation_create: %s", err.message);
        if (truce_negotiation_run(ng, (uint64_t)round * 7 + (uint64_t)pair, &err))
            fail_msg("truce_negotiation_run: %s", err.message);
        if (truce_negotiation_fault(ng) >= 0)
            fail_msg("fault: %s", truce_negotiation_fault_message(ng));
        if (truce_negotiation_agreement(ng))
            assert_int_equal(truce_outcome_feasible(s, truce_negotiation_outcome(ng)), 1);
        truce_negotiation_free(ng);
    }
    truce_space_free(sp);
}

static void test_random_expressions_match_brute_force(void **state)
{
    (void)state;
    uint64_t rng = 17;
    int cross = 0, empty = 0, open = 0, closed = 0, bounded = 0;
    static char yaml[16384];
    for (int round = 0; round < 600; round++) {
        scenario_spec sp;
        random_scenario(&rng, &sp);
        extra ex;
        memset(&ex, 0, sizeof ex);
        for (int i = 0; i < sp.n_issues; i++)
            for (int a = 0; a < N_ATTR; a++) {
                ex.declared[i][a] = i == 0 || rand_pick(&rng, 2);
                for (int k = 0; k < sp.n_options[i]; k++)
                    ex.value[i][a][k] = rand_pick(&rng, 6) - 2;
            }
        uint64_t hard_seed = rand_pick(&rng, 2) ? 1000u + (uint64_t)rand_pick(&rng, 1 << 30) : 0;
        uint64_t seeds[2];
        int nc = rand_pick(&rng, 3);
        for (int c = 0; c < nc; c++)
            seeds[c] = 7u + (uint64_t)rand_pick(&rng, 1 << 30);
        constrained_yaml(&sp, &ex, hard_seed, seeds, nc, yaml, sizeof yaml);
        truce_scenario *s = NULL;
        truce_error err;
        if (truce_scenario_load_yaml(&s, temp_file("random.yaml", yaml), NULL, &err))
            fail_msg("%s\n%s", err.message, yaml);
        world w;
        build_world(&sp, s, &w);
        int ok[MAX_OUTCOMES];
        for (int x = 0; x < w.n_outcomes; x++) {
            ok[x] = w.feasible[x] && (!hard_seed || eval_random(hard_seed, &sp, &ex, w.o[x]));
            for (int c = 0; c < nc; c++)
                ok[x] = ok[x] && eval_random(seeds[c], &sp, &ex, w.o[x]);
            assert_int_equal(truce_outcome_feasible(s, w.o[x]), ok[x]);
            /* p0's own veto, as agents and the mediator read it */
            int own = spec_within(&sp.p[0], w.o[x]) &&
                      (!hard_seed || eval_random(hard_seed, &sp, &ex, w.o[x]));
            assert_int_equal(truce_outcome_violates(s, 0, w.o[x]) < 0, own);
        }
        expected e;
        expect(&sp, &w, ok, &e);
        char count[64];
        assert_true(truce_scenario_feasible_count(s, count, sizeof count) > 0);
        assert_int_equal(atoi(count), e.n_feasible);
        truce_analysis *an = NULL;
        if (truce_analyze(&an, s, NULL, &err))
            fail_msg("truce_analyze: %s\n%s", err.message, yaml);
        assert_true(truce_analysis_pareto_count(an, count, sizeof count) > 0);
        assert_int_equal(strtoull(count, NULL, 10), e.pareto_count);
        assert_int_equal(truce_analysis_pareto_size(an), (size_t)e.n_front);
        assert_int_equal(truce_analysis_zopa(an), e.zopa);
        const double want[3] = {e.nash, e.ks, e.welfare};
        for (int which = 0; which < 3; which++) {
            double u[MAX_PARTIES], value;
            uint32_t o[MAX_ISSUES];
            int exists = truce_analysis_solution(an, (truce_solution)which, u, o, &value);
            assert_int_equal(exists, want[which] > -INFINITY);
            if (!exists)
                continue;
            assert_close(value, want[which], 1e-9);
            assert_int_equal(truce_outcome_feasible(s, o), 1);
        }
        for (size_t k = 0; k < truce_analysis_pareto_size(an); k++) {
            uint32_t o[MAX_ISSUES];
            assert_int_equal(truce_analysis_pareto_outcome(an, k, o), 0);
            assert_int_equal(truce_outcome_feasible(s, o), 1);
        }
        /* the exact branch and bound (what spaces too large to enumerate get), forced by an
         * enumeration limit of 1 outcome: the same frontier, points and counts */
        truce_analysis_options bo = TRUCE_ANALYSIS_OPTIONS_INIT;
        bo.max_outcomes = 1;
        truce_analysis *bn = NULL;
        if (truce_analyze(&bn, s, &bo, &err))
            fail_msg("truce_analyze (branch and bound): %s\n%s", err.message, yaml);
        if (!strcmp(truce_analysis_method(bn), "branch-and-bound")) {
            bounded++;
            assert_true(truce_analysis_pareto_count(bn, count, sizeof count) > 0);
            assert_int_equal(strtoull(count, NULL, 10), e.pareto_count);
            assert_int_equal(truce_analysis_pareto_size(bn), (size_t)e.n_front);
            assert_int_equal(truce_analysis_zopa(bn), e.zopa);
            for (int which = 0; which < 3; which++) {
                double u[MAX_PARTIES], value;
                uint32_t o[MAX_ISSUES];
                int exists = truce_analysis_solution(bn, (truce_solution)which, u, o, &value);
                assert_int_equal(exists, want[which] > -INFINITY);
                if (exists) {
                    assert_close(value, want[which], 1e-9);
                    assert_int_equal(truce_outcome_feasible(s, o), 1);
                }
            }
            for (size_t k = 0; k < truce_analysis_pareto_size(bn); k++) {
                uint32_t o[MAX_ISSUES];
                assert_int_equal(truce_analysis_pareto_outcome(bn, k, o), 0);
                assert_int_equal(truce_outcome_feasible(s, o), 1);
            }
        }
        truce_analysis_free(bn);
        /* check's zone: the same counts (the pruned walk) and emptiness */
        if (round % 3 == 0) {
            char *text = NULL;
            if (truce_check(&text, s, NULL, &err))
                fail_msg("truce_check: %s\n%s", err.message, yaml);
            json_t *doc = json_parse_or_fail(text);
            truce_free(text);
            json_t *z = json_object_get(doc, "zone");
            assert_int_equal(json_is_true(json_object_get(z, "empty")), !e.zopa);
            assert_int_equal(json_integer_value(json_object_get(z, "feasible")), e.n_feasible);
            assert_int_equal(json_integer_value(json_object_get(z, "individually_rational")),
                             e.n_rational);
            /* relaxations never offer a deal that breaks a scenario constraint */
            json_t *relax = json_object_get(z, "relaxations"), *r;
            size_t j;
            json_array_foreach(relax, j, r)
            {
                json_t *best = json_object_get(json_object_get(r, "best"), "outcome");
                uint32_t o[MAX_ISSUES];
                for (int i = 0; i < sp.n_issues; i++) {
                    char key[16];
                    snprintf(key, sizeof key, "i%d", i);
                    o[i] = (uint32_t)atoi(json_string_value(json_object_get(best, key)) + 1);
                }
                assert_int_equal(truce_outcome_broken_constraint(s, o), -1);
            }
            json_decref(doc);
        }
        /* negotiations: no built-in agent offers or accepts what its own expression or a
         * scenario constraint forbids (the engine would fault it), and a deal is feasible */
        if (round % 5 == 0 && e.n_feasible > 0)
            negotiate_all(s, round);
        cross += hard_seed || nc;
        empty += e.n_feasible == 0;
        open += e.zopa;
        closed += !e.zopa && e.n_feasible > 0;
        truce_analysis_free(an);
        truce_scenario_free(s);
    }
    /* the random scenarios reached every case */
    print_message("%d with rules across issues, %d solved by branch and bound\n", cross, bounded);
    assert_true(cross > 300 && empty > 10 && open > 100 && closed > 50 && bounded > 150);
}

/* ---- the commands ---- */

static void test_cli_evaluate_names_the_broken_expression_and_convert_notes_the_loss(void **state)
{
    (void)state;
    truce_error err;
    int rc;
    truce_scenario *s = load_with("\"cost <= 3\"", &err, &rc);
    assert_int_equal(rc, 0);
    truce_scenario_free(s);
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%s%s\n", base_yaml, "\"cost <= 3\"");
    const char *path = temp_file("cli.yaml", yaml);
    /* x = c costs 4: broken */
    const char *args[] = {"evaluate", "--outcome", "x=c,n=0,size=10", path, NULL};
    cli_result r = cli_run(args);
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "Breaks the scenario constraint 'c' (cost <= 3): no party can agree");
    assert_contains(r.out, "Feasible: NO");
    cli_run_free(&r);
    const char *json_args[] = {"evaluate", "--json", "--outcome", "x=c,n=0,size=10", path, NULL};
    r = cli_run(json_args);
    if (r.status == 0) {
        json_t *doc = json_parse_or_fail(r.out);
        json_t *broken = json_array_get(json_object_get(doc, "broken"), 0);
        assert_string_equal(json_string_value(json_object_get(broken, "constraint")), "c");
        assert_string_equal(json_string_value(json_object_get(broken, "expression")), "cost <= 3");
        json_decref(doc);
    }
    cli_run_free(&r);
    /* GENIUS has no form for it: said */
    const char *dir = temp_dir();
    const char *conv[] = {"convert", path, "-o", dir, NULL};
    r = cli_run(conv);
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "1 constraint and its option attributes");
    cli_run_free(&r);
    /* the native writer keeps it: the copy has the same feasible outcomes */
    const char *copy = temp_path("copy.yaml");
    const char *back[] = {"convert", path, "-o", copy, NULL};
    r = cli_run_ok(back);
    cli_run_free(&r);
    truce_scenario *a = NULL, *b = NULL;
    assert_int_equal(truce_scenario_load_yaml(&a, path, NULL, &err), 0);
    if (truce_scenario_load_yaml(&b, copy, NULL, &err))
        fail_msg("%s", err.message);
    for (uint32_t x = 0; x < 3; x++)
        for (uint32_t n = 0; n < 4; n++) {
            uint32_t o[3] = {x, n, 0};
            assert_int_equal(truce_outcome_feasible(a, o), truce_outcome_feasible(b, o));
        }
    truce_scenario_free(a);
    truce_scenario_free(b);
    /* rules that together leave nothing: talks refuse to start, saying why */
    const char *none = "truce: 1\n"
                       "name: none\n"
                       "issues:\n"
                       "  - id: x\n"
                       "    options: [a, b]\n"
                       "  - id: y\n"
                       "    options: [a, b]\n"
                       "parties:\n"
                       "  - id: p\n"
                       "    weights: {x: 0.5, y: 0.5}\n"
                       "    values: {x: {a: 1, b: 0}, y: {a: 1, b: 0}}\n"
                       "  - id: q\n"
                       "    weights: {x: 0.5, y: 0.5}\n"
                       "    values: {x: {a: 0, b: 1}, y: {a: 0, b: 1}}\n"
                       "    hard_conditions:\n"
                       "      - id: h\n"
                       "        expression: x = a and y = b\n"
                       "constraints:\n"
                       "  - id: c\n"
                       "    expression: x = b or y = a\n";
    const char *talks[] = {"negotiate", "--agents", "boulware,conceder",
                           temp_file("none.yaml", none), NULL};
    r = cli_run(talks);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, "the rules that read several issues exclude every combination");
    cli_run_free(&r);
    /* a bad expression: one line, exit 1 */
    snprintf(yaml, sizeof yaml, "%s%s\n", base_yaml, "cost <=");
    const char *bad[] = {"check", temp_file("bad.yaml", yaml), NULL};
    r = cli_run(bad);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, "bad.yaml:22: column 24: the expression of constraint 'c'");
    cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_expressions_mean_what_the_grammar_says),
        cmocka_unit_test(test_bad_expressions_are_placed_by_line_column_and_field),
        cmocka_unit_test(test_expression_errors_in_hard_conditions_and_block_text),
        cmocka_unit_test(test_random_expressions_match_brute_force),
        cmocka_unit_test(test_cli_evaluate_names_the_broken_expression_and_convert_notes_the_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
