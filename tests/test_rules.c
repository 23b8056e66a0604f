/* test_rules.c: who decides and with what weight (src/core/rules.c): bargaining
 * powers and the asymmetric Nash point, checked against a brute force over every
 * outcome of random small scenarios, and every command that reads them. */
#define _DEFAULT_SOURCE
#include "randscen.h"
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- bargaining power ---- */

/* sp's YAML with `power: w[q]` added to each principal q whose w[q] > 0. */
static void add_powers(scenario_spec *sp, const double *w)
{
    char out[sizeof sp->yaml];
    size_t n = 0;
    const char *at = sp->yaml;
    for (int q = 0; q < sp->n_parties; q++) {
        char head[64];
        snprintf(head, sizeof head, "  - id: p%d\n    role: principal\n", q);
        const char *hit = strstr(at, head);
        if (!hit || !(w[q] > 0))
            continue;
        hit += strlen(head);
        n += (size_t)snprintf(out + n, sizeof out - n, "%.*s    power: %.17g\n", (int)(hit - at),
                              at, w[q]);
        at = hit;
    }
    n += (size_t)snprintf(out + n, sizeof out - n, "%s", at);
    assert_true(n < sizeof out);
    memcpy(sp->yaml, out, n + 1);
}

/* The largest Π (u_i - r_i)^w_i over the feasible outcomes above every
 * bargainer's reservation value, -INFINITY when none; *best gets one such
 * outcome. */
static double brute_nash(const scenario_spec *sp, const world *w, const double *power, int *best)
{
    double top = -INFINITY;
    *best = -1;
    for (int x = 0; x < w->n_outcomes; x++) {
        if (!w->feasible[x] || !world_rational(sp, w, x))
            continue;
        double prod = 1;
        for (int k = 0; k < w->nb; k++) {
            int q = w->bargainer[k];
            prod *= pow(w->u[x][q] - sp->p[q].reservation, power[q]);
        }
        if (prod > top)
            top = prod, *best = x;
    }
    return top;
}

static double product_at(const scenario_spec *sp, const world *w, const double *power,
                         const double *u)
{
    double prod = 1;
    for (int k = 0; k < w->nb; k++) {
        int q = w->bargainer[k];
        prod *= pow(u[q] - sp->p[q].reservation, power[q]);
    }
    return prod;
}

/* The weighted product of a deal's utilities as check and evaluate print it. */
static double deal_product(const scenario_spec *sp, const world *w, const double *power,
                           const json_t *deal)
{
    json_t *u = json_object_get(deal, "utilities");
    assert_non_null(u);
    double got[MAX_PARTIES];
    for (int q = 0; q < sp->n_parties; q++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", q);
        got[q] = json_real_value(json_object_get(u, id));
    }
    return product_at(sp, w, power, got);
}

static json_t *json_of(int rc, char *text, const truce_error *err)
{
    if (rc)
        fail_msg("%s", err->message);
    json_t *j = json_parse_or_fail(text);
    truce_free(text);
    return j;
}

static void test_asymmetric_nash_matches_brute_force_on_random_scenarios(void **state)
{
    (void)state;
    uint64_t rng = 1977; /* Kalai's asymmetric Nash solution */
    int differs = 0, zone = 0;
    for (int round = 0; round < 600; round++) {
        scenario_spec sp;
        random_scenario(&rng, &sp);
        double power[MAX_PARTIES];
        for (int q = 0; q < sp.n_parties; q++)
            power[q] = sp.p[q].role == 0 ? 0.25 * (1 + rand_pick(&rng, 12)) : 1;
        add_powers(&sp, power);
        truce_scenario *s = load_spec(&sp);
        world w;
        build_world(&sp, s, &w);
        for (int q = 0; q < sp.n_parties; q++)
            assert_close(truce_party_power(s, (size_t)q), power[q], 0);
        /* equal powers are the symmetric point, whose value is the plain product */
        double effective[MAX_PARTIES];
        int equal = 1;
        for (int k = 1; k < w.nb; k++)
            equal &= power[w.bargainer[k]] == power[w.bargainer[0]];
        for (int q = 0; q < sp.n_parties; q++)
            effective[q] = equal ? 1 : power[q];
        int best;
        double want = brute_nash(&sp, &w, effective, &best);
        truce_analysis *an = NULL;
        truce_error err;
        if (truce_analyze(&an, s, NULL, &err))
            fail_msg("truce_analyze: %s\n%s", err.message, sp.yaml);
        double u[MAX_PARTIES], value;
        uint32_t o[MAX_ISSUES];
        int exists = truce_analysis_solution(an, TRUCE_SOLUTION_NASH, u, o, &value);
        assert_int_equal(exists, want > -INFINITY);
        if (exists && fabs(value - want) > 1e-9)
            fail_msg("value %.17g, want %.17g\n%s", value, want, sp.yaml);
        if (exists) {
            zone++;
            assert_close(value, want, 1e-9 * fmax(1, want));
            assert_close(product_at(&sp, &w, effective, u), want, 1e-9 * fmax(1, want));
            assert_int_equal(truce_outcome_feasible(s, o), 1);
            /* the symmetric point differs from the weighted one in some scenarios */
            double ones[MAX_PARTIES] = {1, 1, 1, 1, 1};
            int sym;
            brute_nash(&sp, &w, ones, &sym);
            differs += fabs(product_at(&sp, &w, effective, w.u[sym]) - want) > 1e-9;
            /* check's best deal and evaluate's Nash point are that point */
            if (round % 5 == 0) {
                char *text = NULL;
                int rc = truce_check(&text, s, NULL, &err);
                json_t *doc = json_of(rc, text, &err);
                json_t *z = json_object_get(doc, "zone");
                assert_false(json_is_true(json_object_get(z, "empty")));
                assert_close(deal_product(&sp, &w, effective, json_object_get(z, "best")), want,
                             1e-8 * fmax(1, want));
                json_decref(doc);
                text = NULL;
                rc = truce_evaluate(&text, s, w.o[best], NULL, &err);
                doc = json_of(rc, text, &err);
                assert_close(deal_product(&sp, &w, effective, json_object_get(doc, "nash")), want,
                             1e-8 * fmax(1, want));
                json_decref(doc);
            }
        }
        truce_analysis_free(an);
        truce_scenario_free(s);
    }
    assert_true(zone > 150 && differs > 20);
}

/* Equal powers, whatever their value, are the symmetric Nash point: the
 * same outcome, product and criterion as no powers at all. */
static void test_equal_powers_give_the_symmetric_nash_point(void **state)
{
    (void)state;
    uint64_t rng = 1950;
    for (int round = 0; round < 300; round++) {
        scenario_spec plain;
        random_scenario(&rng, &plain);
        scenario_spec same = plain;
        double power[MAX_PARTIES];
        double common = 0.5 * (1 + rand_pick(&rng, 6));
        for (int q = 0; q < plain.n_parties; q++)
            power[q] = common;
        add_powers(&same, power);
        truce_scenario *a = load_spec(&plain), *b = load_spec(&same);
        truce_analysis *x = NULL, *y = NULL;
        truce_error err;
        assert_int_equal(truce_analyze(&x, a, NULL, &err), 0);
        assert_int_equal(truce_analyze(&y, b, NULL, &err), 0);
        uint32_t ox[MAX_ISSUES], oy[MAX_ISSUES];
        double vx, vy;
        int ex = truce_analysis_solution(x, TRUCE_SOLUTION_NASH, NULL, ox, &vx);
        assert_int_equal(truce_analysis_solution(y, TRUCE_SOLUTION_NASH, NULL, oy, &vy), ex);
        if (ex) {
            assert_memory_equal(ox, oy, (size_t)plain.n_issues * sizeof *ox);
            assert_true(vx == vy);
        }
        assert_string_equal(truce_scenario_solution_criterion(b, TRUCE_SOLUTION_NASH),
                            truce_solution_criterion(TRUCE_SOLUTION_NASH));
        truce_analysis_free(x), truce_analysis_free(y);
        truce_scenario_free(a), truce_scenario_free(b);
    }
}

/* One issue split between two principals, u_big = k/4, u_small = 1 - k/4:
 * with powers 3 and 1, (k/4)^3 (1 - k/4) is largest at k = 3 (27/256), by
 * hand; the symmetric point is k = 2. */
static const char split_yaml[] =
    "truce: 1\n"
    "name: split\n"
    "issues:\n"
    "  - id: share\n"
    "    options: [a0, a1, a2, a3, a4]\n"
    "parties:\n"
    "  - id: big\n"
    "    power: 3\n"
    "    weights: {share: 1}\n"
    "    values: {share: {a0: 0, a1: 0.25, a2: 0.5, a3: 0.75, a4: 1}}\n"
    "  - id: small\n"
    "    weights: {share: 1}\n"
    "    values: {share: {a0: 1, a1: 0.75, a2: 0.5, a3: 0.25, a4: 0}}\n"
    "  - id: envoy\n"
    "    role: mediator\n";

static void test_commands_name_the_powers_and_follow_them(void **state)
{
    (void)state;
    const char *path = temp_file("split.yaml", split_yaml);
    cli_result r = cli_run_ok((const char *const[]){"analyze", "--json", path, NULL});
    json_t *doc = json_parse_or_fail(r.out);
    json_t *nash = json_object_get(doc, "nash");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(nash, "outcome"), "share")), "a3");
    assert_close(json_real_value(json_object_get(nash, "value")), 27.0 / 256, 1e-12);
    const char *criterion = json_string_value(json_object_get(nash, "criterion"));
    assert_contains(criterion, "bargaining power big 3, small 1");
    /* Kalai-Smorodinsky takes no powers: the equal split */
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(json_object_get(doc, "kalai_smorodinsky"), "outcome"), "share")),
        "a2");
    json_decref(doc);
    cli_run_free(&r);
    r = cli_run_ok((const char *const[]){"analyze", path, NULL});
    assert_contains(r.out, "bargaining power");
    assert_contains(r.out, "Nash (weighted)");
    cli_run_free(&r);
    r = cli_run_ok((const char *const[]){"check", "--json", path, NULL});
    assert_contains(r.out, "bargaining power big 3, small 1");
    cli_run_free(&r);
    r = cli_run_ok(
        (const char *const[]){"evaluate", "--json", "--outcome", "share=a3", path, NULL});
    doc = json_parse_or_fail(r.out);
    nash = json_object_get(doc, "nash");
    assert_close(json_real_value(json_object_get(nash, "distance")), 0, 1e-12);
    assert_contains(json_string_value(json_object_get(nash, "criterion")), "asymmetric");
    json_decref(doc);
    cli_run_free(&r);
    /* the informed mediator steers to the weighted point */
    r = cli_run_ok((const char *const[]){"mediate", "--json", path, NULL});
    assert_contains(r.out, "\"outcome\":{\"share\":\"a3\"}");
    cli_run_free(&r);
    /* written back as it was read; GENIUS export says it drops the powers */
    const char *copy = temp_path("copy.yaml");
    r = cli_run_ok((const char *const[]){"convert", path, "-o", copy, NULL});
    cli_run_free(&r);
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, copy, NULL, &err), 0);
    assert_close(truce_party_power(s, 0), 3, 0);
    assert_close(truce_party_power(s, 1), 1, 0);
    truce_scenario_free(s);
    r = cli_run_ok((const char *const[]){"convert", path, "-o", temp_dir(), NULL});
    assert_contains(r.out, "bargaining powers");
    cli_run_free(&r);
}

static void expect_refusal(const char *power_line, const char *role, const char *message)
{
    char text[1024];
    snprintf(text, sizeof text,
             "truce: 1\nname: x\nissues:\n  - id: i\n    options: [a, b]\nparties:\n"
             "  - id: p\n    role: %s\n%s  - id: q\n",
             role, power_line);
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_yaml(&s, temp_file("bad.yaml", text), NULL, &err),
                     TRUCE_EINVAL);
    assert_contains(err.message, message);
    assert_int_equal(err.line, 9);
    assert_null(s);
}

static void test_bad_powers_are_refused_at_their_place(void **state)
{
    (void)state;
    expect_refusal("    power: 0\n", "principal", "a bargaining power must be a number above 0");
    expect_refusal("    power: -2\n", "principal", "above 0");
    expect_refusal("    power: .inf\n", "principal", "must be a number");
    expect_refusal("    power: lots\n", "principal", "must be a number");
    expect_refusal("    power: 2\n", "mediator", "'p' is not a principal");
    expect_refusal("    power: 2\n", "stakeholder", "only a principal has a bargaining power");
}

/* ---- decision rules ---- */

typedef struct rule_spec {
    int qualified;
    double threshold, weight[MAX_PARTIES];
    int required[MAX_PARTIES], ratifier[MAX_PARTIES];
} rule_spec;

/* A random rule appended to sp's YAML: a qualified majority (or unanimity),
 * weights, required principals and ratifiers among the other parties. */
static void add_rule(uint64_t *rng, scenario_spec *sp, rule_spec *r)
{
    static const double thresholds[] = {0.3, 0.5, 0.6, 0.75, 1};
    memset(r, 0, sizeof *r);
    r->qualified = rand_pick(rng, 4) != 0;
    r->threshold = thresholds[rand_pick(rng, 5)];
    size_t n = strlen(sp->yaml);
    char *y = sp->yaml;
    size_t cap = sizeof sp->yaml;
    n += (size_t)snprintf(y + n, cap - n, "decision:\n  rule: %s\n",
                          r->qualified ? "qualified-majority" : "unanimity");
    if (r->qualified) {
        n += (size_t)snprintf(y + n, cap - n, "  threshold: %g\n  weights: {", r->threshold);
        int first = 1;
        for (int q = 0; q < sp->n_parties; q++) {
            r->weight[q] = 1;
            if (sp->p[q].role != 0)
                continue;
            r->weight[q] = rand_pick(rng, 4);
            n += (size_t)snprintf(y + n, cap - n, "%sp%d: %g", first ? "" : ", ", q, r->weight[q]);
            first = 0;
        }
        n += (size_t)snprintf(y + n, cap - n, "}\n  required: [");
        first = 1;
        for (int q = 0; q < sp->n_parties; q++)
            if (sp->p[q].role == 0 && rand_pick(rng, 4) == 0) {
                r->required[q] = 1;
                n += (size_t)snprintf(y + n, cap - n, "%sp%d", first ? "" : ", ", q);
                first = 0;
            }
        n += (size_t)snprintf(y + n, cap - n, "]\n");
    }
    n += (size_t)snprintf(y + n, cap - n, "  ratifiers: [");
    int first = 1;
    for (int q = 0; q < sp->n_parties; q++)
        if (sp->p[q].role != 0 && rand_pick(rng, 3) == 0) {
            r->ratifier[q] = 1;
            n += (size_t)snprintf(y + n, cap - n, "%sp%d", first ? "" : ", ", q);
            first = 0;
        }
    n += (size_t)snprintf(y + n, cap - n, "]\n");
    assert_true(n < cap);
}

/* The brute force's own acceptance: within the party's hard conditions, as
 * the text says, and strictly above its reservation value. */
static int spec_accepts(const scenario_spec *sp, const world *w, int q, int x)
{
    return spec_within(&sp->p[q], w->o[x]) && w->u[x][q] > sp->p[q].reservation;
}

/* in: per party, 1 for the principals counted as accepting. */
static int spec_wins(const scenario_spec *sp, const rule_spec *r, const int *in)
{
    double total = 0, held = 0;
    for (int q = 0; q < sp->n_parties; q++) {
        if (sp->p[q].role != 0)
            continue;
        if (!r->qualified && !in[q])
            return 0;
        if (r->required[q] && !in[q])
            return 0;
        total += r->weight[q];
        held += in[q] ? r->weight[q] : 0;
    }
    return !r->qualified || held >= r->threshold * total - 1e-12;
}

static int spec_decided(const scenario_spec *sp, const rule_spec *r, const world *w, int x)
{
    int in[MAX_PARTIES] = {0};
    for (int q = 0; q < sp->n_parties; q++) {
        in[q] = sp->p[q].role == 0 && spec_accepts(sp, w, q, x);
        if (r->ratifier[q] && !spec_accepts(sp, w, q, x))
            return 0;
    }
    return spec_wins(sp, r, in);
}

/* The world's index of the outcome a JSON object names (issue -> option). */
static int world_index(const truce_scenario *s, const world *w, const json_t *outcome)
{
    uint32_t o[MAX_ISSUES];
    size_t ni = truce_scenario_issue_count(s);
    for (size_t i = 0; i < ni; i++) {
        const char *label = json_string_value(json_object_get(outcome, truce_issue_name(s, i)));
        int k = label ? truce_option_find(s, i, label) : -1;
        assert_true(k >= 0);
        o[i] = (uint32_t)k;
    }
    for (int x = 0; x < w->n_outcomes; x++)
        if (!memcmp(w->o[x], o, ni * sizeof *o))
            return x;
    fail_msg("no such outcome");
    return -1;
}

static void test_decision_rules_match_brute_force_on_random_scenarios(void **state)
{
    (void)state;
    uint64_t rng = 1998; /* the Good Friday Agreement */
    int qualified_nonempty = 0, fewer_deciders = 0, beyond_unanimity = 0;
    for (int round = 0; round < 500; round++) {
        scenario_spec sp;
        random_scenario(&rng, &sp);
        rule_spec r;
        add_rule(&rng, &sp, &r);
        truce_scenario *s = load_spec(&sp);
        world w;
        build_world(&sp, s, &w);
        /* the deciders: principals without whom the others do not win */
        int decider[MAX_PARTIES] = {0}, n_deciders = 0;
        for (int q = 0; q < sp.n_parties; q++) {
            if (sp.p[q].role != 0)
                continue;
            int in[MAX_PARTIES] = {0};
            for (int z = 0; z < sp.n_parties; z++)
                in[z] = sp.p[z].role == 0 && z != q;
            decider[q] = !spec_wins(&sp, &r, in);
            n_deciders += decider[q];
            assert_int_equal(truce_party_decider(s, (size_t)q), decider[q]);
            assert_int_equal(truce_party_ratifier(s, (size_t)q), 0);
        }
        fewer_deciders += n_deciders < w.nb;
        /* decided outcomes, the Nash and KS points over the deciders */
        int decided = 0, unanimous = 0;
        double nash = -INFINITY, ideal[MAX_PARTIES];
        for (int q = 0; q < MAX_PARTIES; q++)
            ideal[q] = -INFINITY;
        for (int x = 0; x < w.n_outcomes; x++) {
            int d = spec_decided(&sp, &r, &w, x);
            assert_int_equal(truce_outcome_decided(s, w.o[x], 0), d);
            if (!d)
                continue;
            decided++;
            unanimous += w.feasible[x] && world_rational(&sp, &w, x);
            double prod = 1;
            for (int q = 0; q < sp.n_parties; q++)
                if (decider[q]) {
                    prod *= w.u[x][q] - sp.p[q].reservation;
                    ideal[q] = fmax(ideal[q], w.u[x][q]);
                }
            nash = fmax(nash, prod);
        }
        double ks = -INFINITY;
        for (int x = 0; x < w.n_outcomes; x++) {
            if (!spec_decided(&sp, &r, &w, x))
                continue;
            double share = INFINITY;
            for (int q = 0; q < sp.n_parties; q++)
                if (decider[q])
                    share = fmin(share, (w.u[x][q] - sp.p[q].reservation) /
                                            (ideal[q] - sp.p[q].reservation));
            ks = fmax(ks, share);
        }
        beyond_unanimity += decided > unanimous;
        qualified_nonempty += r.qualified && decided > 0;
        char *text = NULL;
        truce_error err;
        int rc = truce_decision(&text, s, NULL, &err);
        json_t *doc = json_of(rc, text, &err);
        assert_int_equal(json_integer_value(json_object_get(doc, "decided")), decided);
        assert_int_equal(json_is_true(json_object_get(doc, "empty")), decided == 0);
        assert_int_equal(json_array_size(json_object_get(doc, "deciders")), (size_t)n_deciders);
        json_t *np = json_object_get(doc, "nash"), *kp = json_object_get(doc, "kalai_smorodinsky");
        assert_int_equal(json_is_object(np), decided > 0 && n_deciders > 0);
        assert_int_equal(json_is_object(kp), decided > 0 && n_deciders > 0);
        if (json_is_object(np)) {
            /* the brute force's own numbers at the outcomes the points name */
            int xn = world_index(s, &w, json_object_get(np, "outcome"));
            int xk = world_index(s, &w, json_object_get(kp, "outcome"));
            double got = 1, share = INFINITY;
            for (int q = 0; q < sp.n_parties; q++) {
                if (!decider[q])
                    continue;
                got *= w.u[xn][q] - sp.p[q].reservation;
                share = fmin(share,
                             (w.u[xk][q] - sp.p[q].reservation) / (ideal[q] - sp.p[q].reservation));
            }
            assert_true(spec_decided(&sp, &r, &w, xn) && spec_decided(&sp, &r, &w, xk));
            if (fabs(got - nash) > 1e-12 || fabs(share - ks) > 1e-12)
                fail_msg("nash %.17g want %.17g, ks %.17g want %.17g\n%s", got, nash, share, ks,
                         sp.yaml);
        }
        /* check carries the same section */
        if (round % 5 == 0) {
            text = NULL;
            rc = truce_check(&text, s, NULL, &err);
            json_t *c = json_of(rc, text, &err);
            json_t *d = json_object_get(c, "decision");
            int has = r.qualified;
            for (int q = 0; q < sp.n_parties; q++)
                has |= r.ratifier[q];
            assert_int_equal(json_is_object(d), has);
            if (has)
                assert_int_equal(json_integer_value(json_object_get(d, "decided")), decided);
            json_decref(c);
        }
        json_decref(doc);
        truce_scenario_free(s);
    }
    assert_true(qualified_nonempty > 50 && fewer_deciders > 50 && beyond_unanimity > 30);
}

/* Three principals and a referendum: a and b are required, c is not (weights
 * 1, 1, 1, threshold 0.6). c's red line excludes the only option a and b both
 * accept, so unanimity has no deal, while the rule has: by hand, deal=mid gives
 * a 0.6 > 0.5, b 0.6 > 0.5, c 0 and a broken red line (refuses), the vote
 * 2/3 >= 0.6, and the referendum 1 > 0.5; low loses b (0.2), high loses a (0). */
static const char vote_yaml[] = "truce: 1\n"
                                "name: vote\n"
                                "issues:\n"
                                "  - id: deal\n"
                                "    options: [low, mid, high]\n"
                                "parties:\n"
                                "  - id: a\n"
                                "    weights: {deal: 1}\n"
                                "    values: {deal: {low: 1, mid: 0.6, high: 0}}\n"
                                "    reservation: 0.5\n"
                                "  - id: b\n"
                                "    weights: {deal: 1}\n"
                                "    values: {deal: {low: 0.2, mid: 0.6, high: 1}}\n"
                                "    reservation: 0.5\n"
                                "  - id: c\n"
                                "    weights: {deal: 1}\n"
                                "    values: {deal: {low: 1, mid: 0, high: 1}}\n"
                                "    hard_conditions:\n"
                                "      - id: never-mid\n"
                                "        require: {deal: [low, high]}\n"
                                "  - id: referendum\n"
                                "    role: stakeholder\n"
                                "    weights: {deal: 1}\n"
                                "    values: {deal: {low: 0.5, mid: 1, high: 0.5}}\n"
                                "    reservation: 0.5\n"
                                "decision:\n"
                                "  rule: qualified-majority\n"
                                "  threshold: 0.6\n"
                                "  required: [a, b]\n"
                                "  ratifiers: [referendum]\n"
                                "  source: assumption\n";

static void test_commands_follow_the_decision_rule(void **state)
{
    (void)state;
    const char *path = temp_file("vote.yaml", vote_yaml);
    cli_result r = cli_run_ok((const char *const[]){"check", "--json", path, NULL});
    json_t *doc = json_parse_or_fail(r.out);
    /* unanimity: empty (c vetoes mid, a or b refuse low and high) */
    assert_true(json_is_true(json_object_get(json_object_get(doc, "zone"), "empty")));
    json_t *d = json_object_get(doc, "decision");
    assert_false(json_is_true(json_object_get(d, "empty")));
    assert_int_equal(json_integer_value(json_object_get(d, "decided")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_object_get(d, "nash"), "outcome"), "deal")),
                        "mid");
    assert_int_equal(json_array_size(json_object_get(d, "deciders")), 2);
    json_decref(doc);
    cli_run_free(&r);
    r = cli_run_ok((const char *const[]){"check", path, NULL});
    assert_contains(r.out, "Decision rule: qualified-majority");
    assert_contains(r.out, "zone under the rule at time 0.00: non-empty (1 of 3 outcomes decided)");
    cli_run_free(&r);
    r = cli_run_ok((const char *const[]){"analyze", "--json", path, NULL});
    doc = json_parse_or_fail(r.out);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(doc, "decision"), "decided")), 1);
    json_decref(doc);
    cli_run_free(&r);
    r = cli_run_ok(
        (const char *const[]){"evaluate", "--json", "--outcome", "deal=mid", path, NULL});
    doc = json_parse_or_fail(r.out);
    d = json_object_get(doc, "decision");
    assert_true(json_is_true(json_object_get(d, "decided")));
    assert_int_equal(json_array_size(json_object_get(d, "refused_by")), 1);
    assert_int_equal(json_array_size(json_object_get(d, "ratified_by")), 1);
    json_decref(doc);
    cli_run_free(&r);
    /* the informed mediator closes on the decided outcome */
    r = cli_run_ok((const char *const[]){"mediate", "--json", path, NULL});
    assert_contains(r.out, "\"agreement\":true");
    assert_contains(r.out, "\"outcome\":{\"deal\":\"mid\"}");
    assert_contains(r.out, "satisfy the decision rule");
    /* measured to the rule's Nash point, mid (unanimity has none: its zone is empty) */
    doc = json_parse_or_fail(r.out);
    assert_true(json_real_value(json_object_get(doc, "nash_distance")) == 0);
    json_decref(doc);
    cli_run_free(&r);
    /* written back, read back the same; GENIUS export says it drops it */
    const char *copy = temp_path("vote-copy.yaml");
    r = cli_run_ok((const char *const[]){"convert", path, "-o", copy, NULL});
    cli_run_free(&r);
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, copy, NULL, &err), 0);
    assert_int_equal(truce_scenario_decision_rule(s), TRUCE_DECISION_QUALIFIED_MAJORITY);
    assert_int_equal(truce_party_ratifier(s, 3), 1);
    assert_int_equal(truce_party_decider(s, 0), 1);
    assert_int_equal(truce_party_decider(s, 2), 0);
    uint32_t mid = 1, low = 0;
    assert_int_equal(truce_outcome_decided(s, &mid, 0), 1);
    assert_int_equal(truce_outcome_decided(s, &low, 0), 0);
    truce_scenario_free(s);
    r = cli_run_ok((const char *const[]){"convert", path, "-o", temp_dir(), NULL});
    assert_contains(r.out, "the decision rule");
    cli_run_free(&r);
}

/* ---- alternating offers under a rule (docs/analysis.md#negotiation-under-a-decision-rule) ---- */

/* A scripted seat: walks away (walk=1), accepts any standing offer its hard conditions allow
 * (any=1) or one above its reservation value (otherwise), else offers option o of the one
 * issue. */
static const char seat_lua[] = "local me\n"
                               "function init(info) me = info end\n"
                               "function act(state, offer)\n"
                               "  local p = me.params\n"
                               "  if p.walk == 1 then return 'end' end\n"
                               "  if offer and not state.offer_vetoed and\n"
                               "     (p.any == 1 or state.offer_utility > me.reservation) then\n"
                               "    return 'accept'\n"
                               "  end\n"
                               "  return {p.o}\n"
                               "end\n";

static json_t *negotiate_json(const char *path, const char *agents, const char *rounds)
{
    cli_result r = cli_run_ok((const char *const[]){"negotiate", "--json", "--rounds", rounds,
                                                    "--agents", agents, path, NULL});
    json_t *doc = json_parse_or_fail(r.out);
    cli_run_free(&r);
    return doc;
}

static const char *deal_of(json_t *doc)
{
    return json_string_value(json_object_get(json_object_get(doc, "outcome"), "deal"));
}

static void test_alternating_offers_follow_the_decision_rule(void **state)
{
    (void)state;
    const char *path = temp_file("vote.yaml", vote_yaml);
    char lua[512], agents[2048];
    snprintf(lua, sizeof lua, "lua:%s", temp_file("seat.lua", seat_lua));
    /* by hand: a offers mid (round 1), b accepts it (0.6 > 0.5): a and b hold 2/3 >= 0.6 with
     * both required ones, the referendum ratifies (1 > 0.5): agreed without c, who could never
     * accept mid (its red line). The rule's Nash point is mid, the only decided outcome. */
    snprintf(agents, sizeof agents, "%s:o=2,%s:o=3,%s:o=1", lua, lua, lua);
    json_t *doc = negotiate_json(path, agents, "10");
    assert_true(json_is_true(json_object_get(doc, "agreement")));
    assert_string_equal(deal_of(doc), "mid");
    assert_int_equal(json_integer_value(json_object_get(doc, "rounds")), 1);
    assert_string_equal(json_string_value(json_object_get(doc, "end")), "agreement");
    assert_true(json_real_value(json_object_get(doc, "nash_distance")) == 0);
    json_decref(doc);
    /* a offers low, b accepts anything, c accepts low (1 > 0): every principal accepts, but the
     * referendum does not ratify (0.5 is not above 0.5): the offer falls each round, and the
     * deadline comes. The same talks without the rule agree on low in round 1. */
    snprintf(agents, sizeof agents, "%s:o=1,%s:o=3:any=1,%s:o=1", lua, lua, lua);
    doc = negotiate_json(path, agents, "4");
    assert_false(json_is_true(json_object_get(doc, "agreement")));
    assert_string_equal(json_string_value(json_object_get(doc, "end")), "deadline");
    json_decref(doc);
    char plain[sizeof vote_yaml];
    snprintf(plain, sizeof plain, "%.*s", (int)(strstr(vote_yaml, "decision:") - vote_yaml),
             vote_yaml);
    const char *plain_path = temp_file("vote-plain.yaml", plain);
    /* c's red line excludes mid only: low respects every principal */
    doc = negotiate_json(plain_path, agents, "4");
    assert_true(json_is_true(json_object_get(doc, "agreement")));
    assert_string_equal(deal_of(doc), "low");
    assert_int_equal(json_integer_value(json_object_get(doc, "rounds")), 1);
    json_decref(doc);
    /* c walks away in round 1: a and b can still win, so the talks go on without it (the
     * offer standing then falls): round 2 a offers low, b counters with mid, round 3 a accepts
     * mid, agreed */
    snprintf(agents, sizeof agents, "%s:o=1,%s:o=2,%s:walk=1", lua, lua, lua);
    doc = negotiate_json(path, agents, "10");
    assert_true(json_is_true(json_object_get(doc, "agreement")));
    assert_string_equal(deal_of(doc), "mid");
    assert_int_equal(json_integer_value(json_object_get(doc, "rounds")), 3);
    json_decref(doc);
    /* b, a decider (required), walks away: the talks are over */
    snprintf(agents, sizeof agents, "%s:o=1,%s:walk=1,%s:o=1", lua, lua, lua);
    doc = negotiate_json(path, agents, "10");
    assert_false(json_is_true(json_object_get(doc, "agreement")));
    assert_string_equal(json_string_value(json_object_get(doc, "end")), "walk-away");
    assert_int_equal(json_integer_value(json_object_get(doc, "rounds")), 1);
    json_decref(doc);
    /* a plain majority of two equals (threshold 1/2): the proposer alone wins, so its first
     * offer is agreed; nobody decides, so there is no Nash point to measure to */
    char pair[sizeof vote_yaml + 128];
    snprintf(pair, sizeof pair,
             "truce: 1\nname: pair\nissues:\n  - id: deal\n    options: [low, mid, high]\n"
             "parties:\n  - id: a\n    weights: {deal: 1}\n"
             "    values: {deal: {low: 1, mid: 0.6, high: 0}}\n"
             "  - id: b\n    weights: {deal: 1}\n    values: {deal: {low: 0, mid: 0.6, high: 1}}\n"
             "decision:\n  rule: qualified-majority\n  threshold: 0.5\n");
    const char *pair_path = temp_file("pair.yaml", pair);
    snprintf(agents, sizeof agents, "%s:o=1,%s:o=3", lua, lua);
    doc = negotiate_json(pair_path, agents, "10");
    assert_true(json_is_true(json_object_get(doc, "agreement")));
    assert_string_equal(deal_of(doc), "low");
    assert_int_equal(json_integer_value(json_object_get(doc, "rounds")), 1);
    assert_true(json_is_null(json_object_get(doc, "nash_distance")));
    json_decref(doc);
    /* a tournament runs the same protocol: with agents that never accept below their
     * reservation values, a and b (required) accept only mid, so every agreement is on mid, at
     * distance 0 from the rule's Nash point and its frontier (mid alone) */
    const char *db = temp_path("vote.db");
    cli_result t = cli_run_ok((const char *const[]){"tournament", "--quiet", "--db", db, "--agents",
                                                    "boulware,conceder,random", path, NULL});
    cli_run_free(&t);
    t = cli_run_ok((const char *const[]){"results", "--csv", "negotiations", db, NULL});
    int agreed = 0;
    for (const char *line = strchr(t.out, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
        if (strstr(line, ",1,agreement,")) {
            agreed++;
            assert_non_null(strstr(line, ",0,0,0,,[1],"));
        } else {
            assert_non_null(strstr(line, ",0,deadline,"));
        }
    assert_true(agreed >= 3);
    cli_run_free(&t);
    /* built-in agents run under the rule too, and never fault */
    cli_result r = cli_run_ok((const char *const[]){"negotiate", "--json", "--agents",
                                                    "boulware,conceder,random", path, NULL});
    doc = json_parse_or_fail(r.out);
    assert_true(json_is_null(json_object_get(doc, "fault")));
    json_decref(doc);
    cli_run_free(&r);
}

typedef struct trace_log {
    char text[1 << 16];
    size_t len;
} trace_log;

static int collect(const char *record, size_t length, void *payload)
{
    trace_log *t = payload;
    if (t->len + length + 2 > sizeof t->text)
        return 1;
    memcpy(t->text + t->len, record, length);
    t->len += length;
    t->text[t->len++] = '\n';
    t->text[t->len] = '\0';
    return 0;
}

/* The brute force's Nash point under the rule: over the deciders among decided outcomes, the
 * first largest product in world order; -1 when nothing is decided or nobody decides. */
static int brute_rule_nash(const scenario_spec *sp, const rule_spec *r, const world *w)
{
    int decider[MAX_PARTIES] = {0}, any = 0, best = -1;
    for (int q = 0; q < sp->n_parties; q++) {
        int in[MAX_PARTIES] = {0};
        for (int z = 0; z < sp->n_parties; z++)
            in[z] = sp->p[z].role == 0 && z != q;
        decider[q] = sp->p[q].role == 0 && !spec_wins(sp, r, in);
        any |= decider[q];
    }
    double top = -INFINITY;
    for (int x = 0; any && x < w->n_outcomes; x++) {
        if (!spec_decided(sp, r, w, x))
            continue;
        double prod = 1;
        for (int q = 0; q < sp->n_parties; q++)
            if (decider[q])
                prod *= w->u[x][q] - sp->p[q].reservation;
        if (prod > top)
            top = prod, best = x;
    }
    return best;
}

/* Replays a negotiation's trace by the protocol's text: an offer is agreed at the first action
 * after which the principals that accepted it (its proposer, then each acceptance) win under the
 * rule and every ratifier accepts it; when every seat at the table accepted and it is not
 * agreed, it falls; a seat that ends leaves, and the talks end when the others cannot win.
 * Returns the agreed outcome's world index, -1 when the talks did not agree; *partial counts
 * agreements some principal did not accept, *fallen offers that fell for want of ratification. */
static int replay(const scenario_spec *sp, const rule_spec *r, const world *w,
                  const truce_scenario *s, const char *text, int *partial, int *fallen)
{
    int accepted[MAX_PARTIES] = {0}, gone[MAX_PARTIES] = {0}, standing = -1, agreed = -1;
    int principals[MAX_PARTIES] = {0}, end = 0;
    for (int q = 0; q < sp->n_parties; q++)
        principals[q] = sp->p[q].role == 0;
    for (const char *line = text; *line && !end;) {
        const char *nl = strchr(line, '\n');
        json_error_t je;
        json_t *ev = json_loadb(line, (size_t)(nl - line), 0, &je);
        assert_non_null(ev);
        line = nl + 1;
        const char *type = json_string_value(json_object_get(ev, "type"));
        const char *actor = json_string_value(json_object_get(ev, "actor"));
        int q = actor ? atoi(actor + 1) : -1;
        if (!strcmp(type, "offer")) {
            memset(accepted, 0, sizeof accepted);
            standing = world_index(s, w, json_object_get(ev, "outcome"));
            accepted[q] = 1;
        } else if (!strcmp(type, "accept")) {
            assert_true(standing >= 0);
            accepted[q] = 1;
        } else if (!strcmp(type, "end-negotiation")) {
            gone[q] = 1;
            int in[MAX_PARTIES];
            for (int z = 0; z < sp->n_parties; z++)
                in[z] = principals[z] && !gone[z];
            if (!spec_wins(sp, r, in))
                end = 1;
            standing = -1;
            memset(accepted, 0, sizeof accepted);
        }
        json_decref(ev);
        if (standing < 0 || end)
            continue;
        int ratified = 1, all = 1, everyone = 1;
        for (int z = 0; z < sp->n_parties; z++) {
            if (r->ratifier[z] && !spec_accepts(sp, w, z, standing))
                ratified = 0;
            if (principals[z] && !gone[z] && !accepted[z])
                all = 0;
            if (principals[z] && !accepted[z])
                everyone = 0;
        }
        if (ratified && spec_wins(sp, r, accepted)) {
            agreed = standing;
            *partial += !everyone;
            break;
        }
        if (all) {
            standing = -1;
            ++*fallen;
        }
    }
    return agreed;
}

static void test_alternating_offers_under_random_rules_match_the_protocol(void **state)
{
    (void)state;
    static const char *const agents[] = {"random:p=0.5", "conceder", "random:p=0.2", "boulware"};
    static trace_log log;
    uint64_t rng = 1978; /* Camp David */
    int agreements = 0, partial = 0, fallen = 0, measured = 0, refused = 0;
    for (int round = 0; round < 150; round++) {
        scenario_spec sp;
        random_scenario(&rng, &sp);
        rule_spec r;
        add_rule(&rng, &sp, &r);
        truce_scenario *s = load_spec(&sp);
        world w;
        build_world(&sp, s, &w);
        size_t n = truce_scenario_bargainer_count(s);
        truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
        so.analyze = 1;
        truce_space *space = NULL;
        truce_error err;
        if (truce_space_create(&space, s, &so, &err))
            fail_msg("truce_space_create: %s", err.message);
        int has_rule = r.qualified;
        for (int q = 0; q < sp.n_parties; q++)
            has_rule |= r.ratifier[q];
        int nash_at = has_rule ? brute_rule_nash(&sp, &r, &w) : -1;
        for (int pair = 0; pair < 2; pair++) {
            truce_agent_spec specs[MAX_PARTIES];
            for (size_t k = 0; k < n; k++)
                if (truce_agent_parse(&specs[k], agents[(pair * 2 + k) % 4], &err))
                    fail_msg("%s", err.message);
            truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
            o.max_rounds = 30;
            o.trace = collect;
            o.trace_payload = &log;
            log.len = 0;
            log.text[0] = '\0';
            truce_negotiation *ng = NULL;
            int rc = truce_negotiation_create(&ng, space, specs, n, &o, &err);
            if (rc && !strcmp(err.field, "hard_conditions")) {
                /* unanimity with no feasible outcome: refused, as always; under a rule, a
                 * principal whose own conditions allow nothing */
                int none = !has_rule;
                for (int q = 0; q < sp.n_parties && !none; q++) {
                    int any = 0;
                    for (int x = 0; x < w.n_outcomes && !any; x++)
                        any = spec_within(&sp.p[q], w.o[x]);
                    none = sp.p[q].role == 0 && !any;
                }
                assert_true(none);
                refused++;
                continue;
            }
            if (rc)
                fail_msg("truce_negotiation_create: %s\n%s", err.message, sp.yaml);
            if (truce_negotiation_run(ng, (uint64_t)round * 3 + (uint64_t)pair, &err))
                fail_msg("truce_negotiation_run: %s", err.message);
            if (truce_negotiation_fault(ng) >= 0)
                fail_msg("fault: %s", truce_negotiation_fault_message(ng));
            int agreed = replay(&sp, &r, &w, s, log.text, &partial, &fallen);
            assert_int_equal(truce_negotiation_agreement(ng), agreed >= 0);
            if (agreed >= 0) {
                agreements++;
                assert_memory_equal(truce_negotiation_outcome(ng), w.o[agreed],
                                    truce_scenario_issue_count(s) * sizeof(uint32_t));
                double nd = truce_negotiation_nash_distance(ng);
                if (has_rule) {
                    /* the frontier of the decided outcomes, by brute force */
                    double best = INFINITY;
                    for (int x = 0; x < w.n_outcomes; x++) {
                        if (!spec_decided(&sp, &r, &w, x))
                            continue;
                        int dominated = 0;
                        for (int y = 0; y < w.n_outcomes && !dominated; y++)
                            dominated =
                                spec_decided(&sp, &r, &w, y) && world_dominates(&w, w.u[y], w.u[x]);
                        double d = 0;
                        for (int k = 0; k < w.nb; k++)
                            d += pow(w.u[agreed][w.bargainer[k]] - w.u[x][w.bargainer[k]], 2);
                        if (!dominated)
                            best = fmin(best, sqrt(d));
                    }
                    double pd = truce_negotiation_pareto_distance(ng);
                    if (fabs(best - pd) > 1e-9)
                        fail_msg("pareto_distance %.17g want %.17g\n%s", pd, best, sp.yaml);
                    assert_int_equal(isnan(nd), nash_at < 0);
                    if (nash_at >= 0) {
                        double d = 0;
                        for (int k = 0; k < w.nb; k++) {
                            int q = w.bargainer[k];
                            d += pow(w.u[agreed][q] - w.u[nash_at][q], 2);
                        }
                        if (fabs(sqrt(d) - nd) > 1e-9)
                            fail_msg("nash_distance %.17g want %.17g\n%s", nd, sqrt(d), sp.yaml);
                        measured++;
                    }
                }
            }
            truce_negotiation_free(ng);
        }
        truce_space_free(space);
        truce_scenario_free(s);
    }
    /* the cases the protocol is about happened */
    if (!(agreements > 50 && partial > 10 && fallen > 3 && measured > 20))
        fail_msg("agreements %d, without some principal %d, fallen for ratification %d, "
                 "measured %d, refused %d",
                 agreements, partial, fallen, measured, refused);
    print_message("%d agreements, %d without some principal, %d offers fell for want of "
                  "ratification, %d nash distances, %d refused\n",
                  agreements, partial, fallen, measured, refused);
}

/* ---- robust under a rule ---- */

/* The brute force's margin of outcome x under the rule, from its definition over every winning
 * set of principals (not the sorted prefix the library takes): the smaller of the ratifiers'
 * smallest gain and the largest, over winning sets, of their smallest gain; a gain is -inf
 * when x breaks the party's own hard condition. */
static double spec_margin(const scenario_spec *sp, const rule_spec *r, const world *w, int x)
{
    double g[MAX_PARTIES], ratified = INFINITY, best = -INFINITY;
    for (int q = 0; q < sp->n_parties; q++) {
        g[q] = spec_within(&sp->p[q], w->o[x]) ? w->u[x][q] - sp->p[q].reservation : -INFINITY;
        if (r->ratifier[q])
            ratified = fmin(ratified, g[q]);
    }
    for (int set = 0; set < 1 << sp->n_parties; set++) {
        int in[MAX_PARTIES] = {0}, ok = 1;
        double worst = INFINITY;
        for (int q = 0; q < sp->n_parties; q++)
            if (set >> q & 1) {
                ok &= sp->p[q].role == 0;
                in[q] = 1;
                worst = fmin(worst, g[q]);
            }
        if (ok && spec_wins(sp, r, in))
            best = fmax(best, worst);
    }
    return fmin(ratified, best);
}

static void test_robust_follows_the_decision_rule_on_random_scenarios(void **state)
{
    (void)state;
    uint64_t rng = 2015; /* the JCPOA */
    int open = 0, closed = 0;
    for (int round = 0; round < 120; round++) {
        scenario_spec sp;
        random_scenario(&rng, &sp);
        rule_spec r;
        add_rule(&rng, &sp, &r);
        int has_rule = r.qualified;
        for (int q = 0; q < sp.n_parties; q++)
            has_rule |= r.ratifier[q];
        if (!has_rule)
            continue;
        truce_scenario *s = load_spec(&sp);
        world w;
        build_world(&sp, s, &w);
        double margin = -INFINITY;
        int decided = 0;
        for (int x = 0; x < w.n_outcomes; x++) {
            margin = fmax(margin, spec_margin(&sp, &r, &w, x));
            decided += spec_decided(&sp, &r, &w, x);
        }
        int nash = brute_rule_nash(&sp, &r, &w);
        truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
        o.samples = 1;
        o.threads = 1;
        o.sensitivity = 0;
        truce_robustness *rb = NULL;
        truce_error err;
        char *text = NULL;
        if (truce_robust(&rb, s, &o, &err) || truce_robust_report(rb, &text, &err))
            fail_msg("robust: %s\n%s", err.message, sp.yaml);
        json_t *doc = json_of(0, text, &err);
        json_t *z = json_object_get(doc, "zone");
        assert_int_equal(json_is_true(json_object_get(z, "central_open")), decided > 0);
        assert_int_equal(decided > 0, margin > 0);
        json_t *cm = json_object_get(z, "central_margin");
        if (isfinite(margin)) {
            if (fabs(json_real_value(cm) - margin) > 1e-12)
                fail_msg("margin %.17g want %.17g\n%s", json_real_value(cm), margin, sp.yaml);
        } else {
            assert_true(json_is_null(cm));
        }
        json_t *central = json_object_get(json_object_get(doc, "nash"), "central");
        assert_int_equal(json_is_object(central), nash >= 0);
        if (nash >= 0)
            assert_int_equal(world_index(s, &w, json_object_get(central, "outcome")), nash);
        open += decided > 0;
        closed += decided == 0;
        json_decref(doc);
        /* check's margins under the rule: the same zone margin; the concession's amount is the
         * largest shortfall of the parties it names; each decider's and ratifier's margin at
         * the Nash point */
        text = NULL;
        if (truce_decision(&text, s, NULL, &err))
            fail_msg("decision: %s", err.message);
        doc = json_of(0, text, &err);
        json_t *dm = json_object_get(doc, "margin");
        if (isfinite(margin))
            assert_true(fabs(json_real_value(dm) - margin) < 1e-12);
        else
            assert_true(json_is_null(dm));
        json_t *c = json_object_get(doc, "concession");
        assert_int_equal(json_is_null(c), margin > 0);
        if (margin <= 0 && isfinite(margin)) {
            double most = -INFINITY;
            size_t k;
            json_t *e;
            json_array_foreach(json_object_get(c, "parties"), k, e)
            {
                int q = atoi(json_string_value(json_object_get(e, "party")) + 1);
                int x = world_index(
                    s, &w, json_object_get(json_object_get(doc, "margin_deal"), "outcome"));
                most = fmax(most, sp.p[q].reservation - w.u[x][q]);
            }
            assert_true(fabs(most + margin) < 1e-12);
            assert_true(fabs(json_real_value(json_object_get(c, "amount")) + margin) < 1e-12);
        }
        json_t *ms = json_object_get(doc, "margins");
        assert_int_equal(json_is_array(ms), nash >= 0);
        if (nash >= 0) {
            size_t k;
            json_t *e;
            int listed = 0;
            json_array_foreach(ms, k, e)
            {
                int q = atoi(json_string_value(json_object_get(e, "party")) + 1);
                assert_true(r.ratifier[q] || truce_party_decider(s, (size_t)q));
                assert_true(fabs(json_real_value(json_object_get(e, "margin")) -
                                 (w.u[nash][q] - sp.p[q].reservation)) < 1e-12);
                listed++;
            }
            int expected = 0;
            for (int q = 0; q < sp.n_parties; q++)
                expected +=
                    r.ratifier[q] || (sp.p[q].role == 0 && truce_party_decider(s, (size_t)q));
            assert_int_equal(listed, expected);
        }
        json_decref(doc);
        truce_robust_free(rb);
        truce_scenario_free(s);
    }
    assert_true(open > 15 && closed > 15);
}

static void test_robust_samples_under_the_rule_by_hand(void **state)
{
    (void)state;
    /* a's reservation uniform on [0.4, 0.7]: mid (the only outcome a and b, both required, can
     * accept together) is decided while it is below 0.6 (0.6 for a), so P(open) = 2/3. By hand,
     * the zone margin under the rule is min(0.6 - r_a, 0.1) (b's gain 0.1 at mid; low and high
     * are at most -0.3), 0.05 at the central value 0.55, 0.1 and -0.1 at the ends, mean 1/30;
     * the rule's Nash point is mid whenever the zone is open. */
    char text[sizeof vote_yaml + 64];
    const char *at = strstr(vote_yaml, "    reservation: 0.5\n");
    snprintf(text, sizeof text, "%.*s    reservation: {uniform: [0.4, 0.7]}\n%s",
             (int)(at - vote_yaml), vote_yaml, at + strlen("    reservation: 0.5\n"));
    const char *path = temp_file("vote-uncertain.yaml", text);
    cli_result r =
        cli_run_ok((const char *const[]){"robust", "--json", "--samples", "3000", path, NULL});
    json_t *doc = json_parse_or_fail(r.out);
    json_t *z = json_object_get(doc, "zone");
    assert_string_equal(json_string_value(json_object_get(z, "decision_rule")),
                        "qualified-majority");
    assert_null(json_object_get(z, "emptied_by"));
    assert_true(fabs(json_real_value(json_object_get(z, "central_margin")) - 0.05) < 1e-12);
    json_t *p = json_object_get(z, "open");
    double pr = json_real_value(json_object_get(p, "p")),
           se = json_real_value(json_object_get(p, "se"));
    assert_true(fabs(pr - 2.0 / 3) < 4 * se + 1e-9);
    json_t *m = json_object_get(z, "margin");
    assert_true(fabs(json_real_value(json_object_get(m, "mean")) - 1.0 / 30) <
                4 * json_real_value(json_object_get(m, "se")));
    json_t *exists = json_object_get(json_object_get(doc, "nash"), "exists");
    assert_true(json_real_value(json_object_get(exists, "p")) == pr);
    json_t *flip = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "what_flips"), 0), "numbers"), 0);
    assert_true(fabs(json_real_value(json_object_get(flip, "flips_above")) - 0.6) < 1e-6);
    assert_true(fabs(json_real_value(json_object_get(flip, "flip_probability")) - 1.0 / 3) < 1e-6);
    json_t *tz = json_array_get(
        json_object_get(json_object_get(json_object_get(doc, "tornado"), "zone"), "numbers"), 0);
    assert_true(fabs(json_real_value(json_object_get(tz, "margin_low")) - 0.1) < 1e-12);
    assert_true(fabs(json_real_value(json_object_get(tz, "margin_high")) + 0.1) < 1e-12);
    json_decref(doc);
    cli_run_free(&r);
    r = cli_run_ok((const char *const[]){"robust", "--samples", "100", path, NULL});
    assert_contains(r.out, "Zone of agreement under the decision rule (qualified-majority)");
    assert_contains(r.out, "Nash point under the rule at central values: deal=mid");
    cli_run_free(&r);
    /* check: the referendum weighs the deal 0.8 and wants 0.9, so mid (its best) falls 0.1
     * short and nothing is decided; by hand the zone margin under the rule is -0.1 at mid
     * (a and b are 0.1 above), and the referendum alone must concede more than 0.1 */
    char hard[sizeof vote_yaml + 256];
    const char *ref = strstr(vote_yaml, "    role: stakeholder\n");
    snprintf(hard, sizeof hard,
             "%.*s    role: stakeholder\n    weights: {deal: 0.8}\n"
             "    values: {deal: {low: 0.5, mid: 1, high: 0.5}}\n    reservation: 0.9\n%s",
             (int)(ref - vote_yaml), vote_yaml, strstr(vote_yaml, "decision:"));
    const char *hard_path = temp_file("vote-hard.yaml", hard);
    cli_result c = cli_run_ok((const char *const[]){"check", "--json", hard_path, NULL});
    doc = json_parse_or_fail(c.out);
    json_t *d = json_object_get(doc, "decision");
    assert_true(json_is_true(json_object_get(d, "empty")));
    assert_true(fabs(json_real_value(json_object_get(d, "margin")) + 0.1) < 1e-12);
    json_t *con = json_object_get(d, "concession");
    assert_true(fabs(json_real_value(json_object_get(con, "amount")) - 0.1) < 1e-12);
    assert_int_equal(json_array_size(json_object_get(con, "parties")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(con, "parties"), 0), "party")),
                        "referendum");
    assert_true(json_is_null(json_object_get(d, "margins")));
    json_decref(doc);
    cli_run_free(&c);
    c = cli_run_ok((const char *const[]){"check", hard_path, NULL});
    assert_contains(c.out, "margin under the rule: -0.100, at deal=mid");
    assert_contains(c.out, "smallest concession that lets an outcome be decided: more than 0.100, "
                           "by referendum (ratifier: reservation 0.900, gets 0.800)");
    cli_run_free(&c);
    c = cli_run_ok((const char *const[]){"check", temp_file("vote.yaml", vote_yaml), NULL});
    assert_contains(c.out, "margins at the best deal: a +0.100 (decider), b +0.100 (decider), "
                           "referendum +0.500 (ratifier)");
    cli_run_free(&c);
    /* a space larger than --max-outcomes: bad input (exit 1), the limit named */
    r = cli_run((const char *const[]){"robust", "--max-outcomes", "2", path, NULL});
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "--max-outcomes");
    cli_run_free(&r);
}

static void expect_rule_refusal(const char *decision, const char *message, int line)
{
    char text[1024];
    snprintf(text, sizeof text,
             "truce: 1\nname: x\nissues:\n  - id: i\n    options: [a, b]\nparties:\n"
             "  - id: p\n  - id: q\n  - id: m\n    role: mediator\ndecision:\n%s",
             decision);
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_yaml(&s, temp_file("bad.yaml", text), NULL, &err),
                     TRUCE_EINVAL);
    assert_contains(err.message, message);
    assert_int_equal(err.line, line);
    assert_null(s);
}

static void test_bad_decision_rules_are_refused_at_their_place(void **state)
{
    (void)state;
    expect_rule_refusal("  rule: majority\n", "must be unanimity or qualified-majority", 12);
    expect_rule_refusal("  rule: qualified-majority\n", "needs 'threshold'", 12);
    expect_rule_refusal("  rule: qualified-majority\n  threshold: 1.5\n", "(0, 1]", 13);
    expect_rule_refusal("  rule: qualified-majority\n  threshold: 0\n", "(0, 1]", 13);
    expect_rule_refusal("  rule: unanimity\n  threshold: 0.5\n", "belongs to a qualified majority",
                        13);
    expect_rule_refusal("  rule: qualified-majority\n  threshold: 0.5\n  required: [m]\n",
                        "'m' is not a principal", 14);
    expect_rule_refusal("  rule: qualified-majority\n  threshold: 0.5\n  required: [p, p]\n",
                        "'p' appears twice", 14);
    expect_rule_refusal("  ratifiers: [p]\n", "'p' is a principal", 12);
    expect_rule_refusal("  ratifiers: [zz]\n", "unknown party 'zz'", 12);
    expect_rule_refusal("  rule: qualified-majority\n  threshold: 0.5\n  weights: {p: -1}\n",
                        "a voting weight must be a number >= 0", 14);
    expect_rule_refusal("  rule: qualified-majority\n  threshold: 0.5\n  weights: {m: 1}\n",
                        "'m' is not a principal", 14);
    expect_rule_refusal("  quorum: 3\n", "unknown key 'quorum'", 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asymmetric_nash_matches_brute_force_on_random_scenarios),
        cmocka_unit_test(test_equal_powers_give_the_symmetric_nash_point),
        cmocka_unit_test(test_commands_name_the_powers_and_follow_them),
        cmocka_unit_test(test_bad_powers_are_refused_at_their_place),
        cmocka_unit_test(test_decision_rules_match_brute_force_on_random_scenarios),
        cmocka_unit_test(test_commands_follow_the_decision_rule),
        cmocka_unit_test(test_alternating_offers_follow_the_decision_rule),
        cmocka_unit_test(test_alternating_offers_under_random_rules_match_the_protocol),
        cmocka_unit_test(test_robust_follows_the_decision_rule_on_random_scenarios),
        cmocka_unit_test(test_robust_samples_under_the_rule_by_hand),
        cmocka_unit_test(test_bad_decision_rules_are_refused_at_their_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
