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
    cli_run_free(&r);
    /* alternating offers and robust refuse, saying why */
    r = cli_run(
        (const char *const[]){"negotiate", "--agents", "boulware,boulware,boulware", path, NULL});
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "qualified majority");
    cli_run_free(&r);
    r = cli_run((const char *const[]){"robust", path, NULL});
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "decision rule");
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
        cmocka_unit_test(test_bad_decision_rules_are_refused_at_their_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
