/* test_robust.c: truce_robust against answers computed outside it: exact
 * enumeration of scenarios whose uncertain numbers take few values (each
 * combination written as a plain scenario and solved by the deterministic
 * commands and by brute force over outcomes), an independent sampler, zero
 * uncertainty, thread-count independence, and flip values by hand. */
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* ---- a small scenario whose numbers are given, as distributions or plain ---- */

/* The numbers of TEMPLATE, in order: a's weight on i1, a's value of i2=q,
 * b's reservation, a's hard condition (1 real, 0 a bluff), m's reservation. */
#define N_NUM 5
static const double VALUES[N_NUM][3] = {
    {0.3, 0.6, 0}, {0.2, 0.8, 0}, {0.5, 0.62, 0.75}, {0, 1, 0}, {0.2, 0.6, 0}};
static const double PROBS[N_NUM][3] = {
    {0.5, 0.5, 0}, {0.3, 0.7, 0}, {0.2, 0.5, 0.3}, {0.4, 0.6, 0}, {0.5, 0.5, 0}};
static const int COUNT[N_NUM] = {2, 2, 3, 2, 2};

static void discrete_text(char *buf, size_t size, int k)
{
    if (COUNT[k] == 2)
        snprintf(buf, size, "{discrete: [%.17g, %.17g], p: [%.17g, %.17g]}", VALUES[k][0],
                 VALUES[k][1], PROBS[k][0], PROBS[k][1]);
    else
        snprintf(buf, size, "{discrete: [%.17g, %.17g, %.17g], p: [%.17g, %.17g, %.17g]}",
                 VALUES[k][0], VALUES[k][1], VALUES[k][2], PROBS[k][0], PROBS[k][1], PROBS[k][2]);
}

/* The scenario with the numbers as distributions (x NULL) or as the plain
 * values x (a hard condition left out when x[3] is 0). */
static const char *small_scenario(const double *x, int no_reservation_of, int drop_hard)
{
    static char text[4096];
    char num[N_NUM][200];
    for (int k = 0; k < N_NUM; k++) {
        if (x)
            snprintf(num[k], sizeof num[k], "%.17g", x[k]);
        else
            discrete_text(num[k], sizeof num[k], k);
    }
    int hard = x ? x[3] >= 0.5 && !drop_hard : 1;
    char res_b[220];
    snprintf(res_b, sizeof res_b, "%s", no_reservation_of == 1 ? "0" : num[2]);
    snprintf(text, sizeof text,
             "truce: 1\n"
             "name: small\n"
             "issues:\n"
             "  - {id: i1, options: [x, y, z]}\n"
             "  - {id: i2, options: [p, q]}\n"
             "  - {id: i3, options: [u, v]}\n"
             "parties:\n"
             "  - id: a\n"
             "    weights: {i1: %s, i2: 0.25, i3: 0.15}\n"
             "    values:\n"
             "      i1: {x: 1, y: 0.6, z: 0}\n"
             "      i2: {p: 1, q: %s}\n"
             "      i3: {u: 0.3, v: 1}\n"
             "    reservation: %s\n"
             "%s%s%s"
             "  - id: b\n"
             "    weights: {i1: 0.5, i2: 0.2, i3: 0.3}\n"
             "    values:\n"
             "      i1: {x: 0, y: 0.5, z: 1}\n"
             "      i2: {p: 0.1, q: 1}\n"
             "      i3: {u: 1, v: 0.2}\n"
             "    reservation: %s\n"
             "  - id: m\n"
             "    role: mediator\n"
             "    weights: {i1: 0.6, i3: 0.4}\n"
             "    values:\n"
             "      i1: {x: 0.2, y: 1, z: 0.5}\n"
             "      i3: {u: 1, v: 0}\n"
             "    reservation: %s\n",
             num[0], num[1], no_reservation_of == 0 ? "0" : "0.3",
             hard ? "    hard_conditions:\n      - id: red\n        require: {i1: [x, y]}\n" : "",
             hard && !x ? "        credibility: " : "", hard && !x ? "0.6\n" : "", res_b, num[4]);
    return text;
}

static truce_scenario *load_text(const char *text)
{
    const char *path = temp_file("s.yaml", text);
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, path, NULL, &err))
        fail_msg("load: %s", err.message);
    return s;
}

/* Brute force over outcomes through the public API: is the zone open when
 * party `skip` has no reservation value and, if drop_hard, without any hard
 * condition of party `hard_of`? */
static int brute_zone(const truce_scenario *s, long skip, long hard_of)
{
    size_t ni = truce_scenario_issue_count(s), np = truce_scenario_party_count(s);
    uint32_t o[16] = {0};
    uint64_t total = 1;
    for (size_t i = 0; i < ni; i++)
        total *= truce_issue_option_count(s, i);
    for (uint64_t x = 0; x < total; x++) {
        uint64_t y = x;
        for (size_t i = 0; i < ni; i++) {
            o[i] = (uint32_t)(y % truce_issue_option_count(s, i));
            y /= truce_issue_option_count(s, i);
        }
        int ok = 1;
        for (size_t p = 0; p < np && ok; p++) {
            if (truce_party_role(s, p) != TRUCE_ROLE_PRINCIPAL)
                continue;
            if ((long)p != hard_of && truce_outcome_violates(s, p, o) >= 0)
                ok = 0;
            if ((long)p != skip && !(truce_utility(s, p, o) > truce_party_reservation(s, p)))
                ok = 0;
        }
        if (ok)
            return 1;
    }
    return 0;
}

static json_t *robust_json(const truce_scenario *s, const truce_robust_options *o)
{
    truce_robustness *r = NULL;
    truce_error err;
    if (truce_robust(&r, s, o, &err))
        fail_msg("truce_robust: %s", err.message);
    char *text = NULL;
    assert_int_equal(truce_robust_report(r, &text, &err), 0);
    json_t *doc = json_parse_or_fail(text);
    truce_free(text);
    truce_robust_free(r);
    return doc;
}

static double pget(json_t *o, const char *key)
{
    return json_real_value(json_object_get(json_object_get(o, key), "p"));
}

/* |estimate - exact| within 4 standard errors of n samples */
static void assert_estimate(double estimate, double exact, uint64_t n, const char *what)
{
    double se = sqrt(exact * (1 - exact) / (double)n);
    if (fabs(estimate - exact) > 4 * se + 1e-9)
        fail_msg("%s: estimate %.5f, exact %.5f (4 se = %.5f)", what, estimate, exact, 4 * se);
}

static json_t *find_by(json_t *list, const char *key, const char *value, const char *key2,
                       const char *value2)
{
    size_t k;
    json_t *v;
    json_array_foreach(list, k, v)
    {
        if (!strcmp(json_string_value(json_object_get(v, key)), value) &&
            (!key2 || (json_object_get(v, key2) &&
                       !strcmp(json_string_value(json_object_get(v, key2)), value2))))
            return v;
    }
    fail_msg("no %s=%s", key, value);
    return NULL;
}

static void test_probabilities_match_exact_enumeration(void **state)
{
    (void)state;
    truce_scenario *s = load_text(small_scenario(NULL, -1, 0));
    assert_int_equal(truce_scenario_uncertain_count(s), N_NUM);
    /* the central advice: a's best deal m accepts, at central values */
    size_t m = (size_t)truce_party_find(s, "m");
    char *adv = NULL;
    truce_error err;
    assert_int_equal(truce_advise(&adv, s, 0, &m, 1, NULL, &err), 0);
    json_t *adv_doc = json_parse_or_fail(adv);
    json_t *advice = json_object_get(adv_doc, "advice");
    uint32_t advised[3];
    assert_int_equal(truce_outcome_parse(s, "i1=x,i2=p,i3=v", NULL, advised, &err), 0);
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(advice, "outcome"), key, v)
    {
        int i = truce_issue_find(s, key);
        advised[i] = (uint32_t)truce_option_find(s, (size_t)i, json_string_value(v));
    }
    /* exact answers, combination by combination */
    double p_open = 0, p_nash = 0, p_accept = 0, p_block[5] = {0}, p_joint = 0;
    double p_nash_i1[3] = {0};
    int idx[N_NUM] = {0};
    for (;;) {
        double x[N_NUM], w = 1;
        for (int k = 0; k < N_NUM; k++) {
            x[k] = VALUES[k][idx[k]];
            w *= PROBS[k][idx[k]];
        }
        truce_scenario *c = load_text(small_scenario(x, -1, 0));
        truce_analysis *an = NULL;
        assert_int_equal(truce_analyze(&an, c, NULL, &err), 0);
        int open = truce_analysis_zopa(an);
        assert_int_equal(open, brute_zone(c, -1, -1));
        p_open += w * open;
        uint32_t o[3];
        if (truce_analysis_solution(an, TRUCE_SOLUTION_NASH, NULL, o, NULL) == 1) {
            p_nash += w;
            p_nash_i1[o[0]] += w;
        }
        double um = truce_utility(c, m, advised);
        p_accept += w * (um > truce_party_reservation(c, m));
        if (!open) {
            /* constraints: a's red line (when real), a's and b's reservation values */
            int any = 0, blocks[3];
            blocks[0] = x[3] >= 0.5 && brute_zone(c, -1, 0);
            blocks[1] = brute_zone(c, 0, -1);
            blocks[2] = brute_zone(c, 1, -1);
            for (int k = 0; k < 3; k++) {
                p_block[k] += w * blocks[k];
                any |= blocks[k];
            }
            p_joint += w * !any;
        }
        truce_analysis_free(an);
        truce_scenario_free(c);
        int k = 0;
        while (k < N_NUM && ++idx[k] == COUNT[k])
            idx[k++] = 0;
        if (k == N_NUM)
            break;
    }
    truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
    o.samples = 20000;
    o.advise_party = 0;
    o.acceptable_to = &m;
    o.n_acceptable = 1;
    json_t *doc = robust_json(s, &o);
    json_t *zone = json_object_get(doc, "zone");
    assert_estimate(pget(zone, "open"), p_open, o.samples, "P(zone open)");
    json_t *emptied = json_object_get(zone, "emptied_by");
    assert_estimate(json_real_value(json_object_get(
                        find_by(emptied, "kind", "hard_condition", "party", "a"), "p")),
                    p_block[0], o.samples, "a's red line empties the zone");
    assert_estimate(json_real_value(json_object_get(
                        find_by(emptied, "kind", "reservation", "party", "a"), "p")),
                    p_block[1], o.samples, "a's reservation empties the zone");
    assert_estimate(json_real_value(json_object_get(
                        find_by(emptied, "kind", "reservation", "party", "b"), "p")),
                    p_block[2], o.samples, "b's reservation empties the zone");
    assert_estimate(pget(zone, "jointly"), p_joint, o.samples, "emptied jointly");
    json_t *nash = json_object_get(doc, "nash");
    assert_estimate(pget(nash, "exists"), p_nash, o.samples, "P(Nash exists)");
    json_t *i1 = json_array_get(json_object_get(nash, "clauses"), 0);
    static const char *const opts[] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++)
        assert_estimate(
            json_real_value(json_object_get(
                find_by(json_object_get(i1, "options"), "option", opts[k], NULL, NULL), "p")),
            p_nash_i1[k], o.samples, opts[k]);
    json_t *central = json_object_get(json_object_get(doc, "advice"), "central");
    assert_estimate(pget(central, "acceptable"), p_accept, o.samples, "P(advice acceptable)");
    print_message("exact: P(open) %.4f, blockers %.4f %.4f %.4f, jointly %.4f, P(Nash) %.4f, "
                  "P(accept) %.4f\n",
                  p_open, p_block[0], p_block[1], p_block[2], p_joint, p_nash, p_accept);
    assert_true(p_accept > 0.2 && p_accept < 0.8); /* a case that can go either way */
    assert_true(p_open > 0.1 && p_open < 0.9);
    json_decref(doc);
    json_decref(adv_doc);
    free(adv);
    truce_scenario_free(s);
}

/* ---- an independent sampler ---- */

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static double unit(uint64_t *x)
{
    return (double)(xorshift(x) >> 11) / 9007199254740992.0;
}

static const char *uniform_scenario(const double *x)
{
    static char text[2048];
    char n[3][80];
    static const char *const range[3] = {"[0.2, 0.7]", "[0, 1]", "[0.3, 0.7]"};
    for (int k = 0; k < 3; k++)
        snprintf(n[k], sizeof n[k], "%.17g", x ? x[k] : 0);
    snprintf(text, sizeof text,
             "truce: 1\nname: u\n"
             "issues:\n  - {id: i1, options: [x, y, z]}\n  - {id: i2, options: [p, q]}\n"
             "parties:\n"
             "  - id: a\n    weights: {i1: %s, i2: 0.3}\n"
             "    values: {i1: {x: 1, y: 0.5, z: 0}, i2: {p: 1, q: 0.4}}\n    reservation: 0.2\n"
             "  - id: b\n    weights: {i1: 0.6, i2: 0.4}\n"
             "    values: {i1: {x: 0, y: %s, z: 1}, i2: {p: 0, q: 1}}\n    reservation: %s\n",
             x ? n[0] : range[0], x ? n[1] : range[1], x ? n[2] : range[2]);
    return text;
}

static void test_probabilities_match_an_independent_sampler(void **state)
{
    (void)state;
    uint64_t seed = 88172645463325252ULL;
    int n = 400, open = 0, nash_x = 0;
    truce_error err;
    for (int k = 0; k < n; k++) {
        double x[3] = {0.2 + 0.5 * unit(&seed), unit(&seed), 0.3 + 0.4 * unit(&seed)};
        truce_scenario *c = load_text(uniform_scenario(x));
        truce_analysis *an = NULL;
        assert_int_equal(truce_analyze(&an, c, NULL, &err), 0);
        open += truce_analysis_zopa(an);
        uint32_t o[2];
        if (truce_analysis_solution(an, TRUCE_SOLUTION_NASH, NULL, o, NULL) == 1)
            nash_x += o[0] == 0;
        truce_analysis_free(an);
        truce_scenario_free(c);
    }
    truce_scenario *s = load_text(uniform_scenario(NULL));
    truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
    o.samples = 8000;
    o.sensitivity = 0;
    json_t *doc = robust_json(s, &o);
    double p1 = (double)open / n, p2 = pget(json_object_get(doc, "zone"), "open");
    double se = sqrt(p1 * (1 - p1) / n + p2 * (1 - p2) / (double)o.samples);
    if (fabs(p1 - p2) > 4 * se + 0.005)
        fail_msg("zone: sampler %.4f, truce_robust %.4f", p1, p2);
    json_t *i1 = json_array_get(json_object_get(json_object_get(doc, "nash"), "clauses"), 0);
    double q1 = (double)nash_x / n;
    double q2 =
        json_real_value(json_object_get(json_array_get(json_object_get(i1, "options"), 0), "p"));
    se = sqrt(q1 * (1 - q1) / n + q2 * (1 - q2) / (double)o.samples);
    if (fabs(q1 - q2) > 4 * se + 0.005)
        fail_msg("Nash i1=x: sampler %.4f, truce_robust %.4f", q1, q2);
    assert_true(p1 > 0.05 && p1 < 0.95);
    json_decref(doc);
    truce_scenario_free(s);
}

/* ---- zero uncertainty ---- */

static void test_zero_uncertainty_gives_the_deterministic_answer(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/seed/truce-talks.yaml", TRUCE_EXAMPLES);
    /* the seed without its documented uncertainty: every number plain */
    char *seed = slurp_file(path);
    static const char *const cuts[][2] = {{"uncertainty: 0.05\n", ""},
                                          {"credibility: 0.9", "credibility: 1"},
                                          {"{uniform: [0.55, 0.7], value: 0.65}", "0.65"}};
    for (size_t k = 0; k < 3; k++) {
        char *at = strstr(seed, cuts[k][0]);
        assert_non_null(at);
        size_t from = strlen(cuts[k][0]), to = strlen(cuts[k][1]);
        memcpy(at, cuts[k][1], to);
        memmove(at + to, at + from, strlen(at + from) + 1);
    }
    truce_scenario *s = load_text(seed);
    free(seed);
    truce_error err;
    assert_int_equal(truce_scenario_uncertain_count(s), 0);
    size_t usa = (size_t)truce_party_find(s, "usa");
    truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
    o.samples = 300;
    o.advise_party = truce_party_find(s, "russia");
    o.acceptable_to = &usa;
    o.n_acceptable = 1;
    json_t *doc = robust_json(s, &o);
    json_t *zone = json_object_get(doc, "zone");
    /* check: the seed's zone is empty; Ukraine's reservation alone opens it,
     * and so does Russia's red line (docs/check.md) */
    assert_false(json_is_true(json_object_get(zone, "central_open")));
    assert_close(pget(zone, "open"), 0, 0);
    assert_close(json_real_value(json_object_get(find_by(json_object_get(zone, "emptied_by"),
                                                         "kind", "reservation", "party", "ukraine"),
                                                 "p")),
                 1, 0);
    assert_close(
        json_real_value(json_object_get(find_by(json_object_get(zone, "emptied_by"), "kind",
                                                "hard_condition", "party", "russia"),
                                        "p")),
        1, 0);
    assert_close(json_real_value(json_object_get(zone, "central_margin")), -0.025, 1e-9);
    assert_close(pget(json_object_get(doc, "nash"), "exists"), 0, 0);
    assert_close(pget(json_object_get(doc, "nash"), "same_as_central"), 1, 0);
    json_t *adv = json_object_get(doc, "advice");
    assert_close(pget(json_object_get(adv, "central"), "acceptable"), 1, 0);
    /* the advice is truce advise's */
    char *text = NULL;
    assert_int_equal(truce_advise(&text, s, (size_t)o.advise_party, &usa, 1, NULL, &err), 0);
    json_t *det = json_parse_or_fail(text);
    assert_true(json_equal(json_object_get(json_object_get(det, "advice"), "outcome"),
                           json_object_get(json_object_get(adv, "central"), "outcome")));
    assert_true(json_equal(json_object_get(json_object_get(adv, "robust"), "outcome"),
                           json_object_get(json_object_get(adv, "central"), "outcome")));
    json_t *usa_margin =
        json_array_get(json_object_get(json_object_get(adv, "central"), "margins"), 1);
    assert_close(json_real_value(json_object_get(usa_margin, "mean")), 0.055, 1e-9);
    assert_close(json_real_value(json_object_get(usa_margin, "sd")), 0, 1e-12);
    json_decref(det);
    free(text);
    json_decref(doc);
    truce_scenario_free(s);

    /* ranges of one point mean the plain number: the Nash point of the small
     * scenario at its central values, with probability 1 */
    double central[N_NUM] = {0.3, 0.8, 0.62, 1, 0.2};
    truce_scenario *c = load_text(small_scenario(central, -1, 0));
    truce_analysis *an = NULL;
    assert_int_equal(truce_analyze(&an, c, NULL, &err), 0);
    uint32_t nash[3];
    int exists = truce_analysis_solution(an, TRUCE_SOLUTION_NASH, NULL, nash, NULL);
    char pointy[4096];
    snprintf(pointy, sizeof pointy, "%s", small_scenario(central, -1, 0));
    char *w = strstr(pointy, "i1: 0.29999999999999999");
    assert_non_null(w);
    memcpy(w, "i1: [0.3, 0.3]         ", 23);
    truce_scenario *p = load_text(pointy);
    assert_int_equal(truce_scenario_uncertain_count(p), 1);
    o = (truce_robust_options)TRUCE_ROBUST_OPTIONS_INIT;
    o.samples = 200;
    doc = robust_json(p, &o);
    assert_close(pget(json_object_get(doc, "zone"), "open"), truce_analysis_zopa(an), 0);
    assert_close(pget(json_object_get(doc, "nash"), "exists"), exists, 0);
    assert_close(pget(json_object_get(doc, "nash"), "same_as_central"), 1, 0);
    if (exists) {
        json_t *i1 = json_array_get(json_object_get(json_object_get(doc, "nash"), "clauses"), 0);
        assert_close(json_real_value(json_object_get(
                         json_array_get(json_object_get(i1, "options"), nash[0]), "p")),
                     1, 0);
    }
    json_decref(doc);
    truce_analysis_free(an);
    truce_scenario_free(p);
    truce_scenario_free(c);
}

static void test_report_does_not_depend_on_threads(void **state)
{
    (void)state;
    truce_scenario *s = load_text(small_scenario(NULL, -1, 0));
    size_t m = 2;
    char *texts[3];
    for (unsigned t = 1; t <= 3; t++) {
        truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
        o.samples = 1500;
        o.threads = t;
        o.seed = 7;
        o.advise_party = 0;
        o.acceptable_to = &m;
        o.n_acceptable = 1;
        truce_robustness *r = NULL;
        truce_error err;
        assert_int_equal(truce_robust(&r, s, &o, &err), 0);
        assert_int_equal(truce_robust_report(r, &texts[t - 1], &err), 0);
        truce_robust_free(r);
    }
    assert_string_equal(texts[0], texts[1]);
    assert_string_equal(texts[0], texts[2]);
    for (int k = 0; k < 3; k++)
        truce_free(texts[k]);
    truce_scenario_free(s);
}

/* One issue, yes or no. a: yes 1, no 0, reservation 0.2. b: yes 0.5, no 1,
 * reservation uniform on [0.3, 0.7] (central 0.5). By hand: only "yes" can
 * clear a's 0.2; it clears b's reservation r exactly when r < 0.5. So the
 * zone is empty at the central value, opens below 0.5 (probability 0.5). */
static void test_flip_value_by_hand(void **state)
{
    (void)state;
    truce_scenario *s = load_text("truce: 1\nname: hand\n"
                                  "issues:\n  - {id: d, options: [yes, no]}\n"
                                  "parties:\n"
                                  "  - {id: a, weights: {d: 1}, values: {d: {yes: 1, no: 0}}, "
                                  "reservation: 0.2}\n"
                                  "  - {id: b, weights: {d: 1}, values: {d: {yes: 0.5, no: 1}}, "
                                  "reservation: [0.3, 0.7]}\n");
    truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
    o.samples = 10000;
    json_t *doc = robust_json(s, &o);
    json_t *zone = json_object_get(doc, "zone");
    assert_false(json_is_true(json_object_get(zone, "central_open")));
    assert_estimate(pget(zone, "open"), 0.5, o.samples, "P(open)");
    json_t *flips = json_array_get(json_object_get(doc, "what_flips"), 0);
    assert_string_equal(json_string_value(json_object_get(flips, "conclusion")), "zone");
    json_t *top = json_array_get(json_object_get(flips, "numbers"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "number")), "b.reservation");
    assert_close(json_real_value(json_object_get(top, "flips_below")), 0.5, 1e-9);
    assert_true(json_is_null(json_object_get(top, "flips_above")));
    assert_close(json_real_value(json_object_get(top, "flip_probability")), 0.5, 1e-9);
    /* the first-order index of the only uncertain number: all of the variance */
    assert_close(json_real_value(json_object_get(top, "first_order")), 1, 1e-9);
    json_decref(doc);
    truce_scenario_free(s);
}

/* Margins (docs/robustness.md#margins) on the seed, by hand: the zone is
 * empty by 0.025 (Ukraine can get 0.625 from a deal Russia accepts and
 * needs more than 0.65, docs/check.md); the advice for Russia gives the US
 * 0.405 against its 0.35. Each flip claimed is then checked on a scenario
 * written with that number moved just past it, and just short of it. */
static void test_margins_flip_where_they_say(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/seed/truce-talks.yaml", TRUCE_EXAMPLES);
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, path, NULL, &err), 0);
    char *text = NULL;
    assert_int_equal(truce_check(&text, s, NULL, &err), 0);
    json_t *doc = json_parse_or_fail(text);
    json_t *margin = json_object_get(json_object_get(doc, "zone"), "margin");
    assert_close(json_real_value(json_object_get(margin, "margin")), -0.025, 1e-12);
    json_t *flips = json_object_get(margin, "flips");
    assert_int_equal(json_array_size(flips), 5);
    json_t *first = json_array_get(flips, 0);
    assert_string_equal(json_string_value(json_object_get(first, "number")),
                        "ukraine.reservation.0");
    assert_close(json_real_value(json_object_get(first, "flips_at")), 0.625, 1e-9);
    /* every claimed flip: Ukraine's weights (which only raise its utility) */
    char *seed = slurp_file(path);
    size_t k;
    json_t *f;
    json_array_foreach(flips, k, f)
    {
        const char *number = json_string_value(json_object_get(f, "number"));
        double at = json_real_value(json_object_get(f, "flips_at"));
        double now = json_real_value(json_object_get(f, "value"));
        assert_true(fabs(at - now) <= 0.025 + 1e-9); /* none smaller than the first */
        if (strncmp(number, "ukraine.weight.", 15) != 0)
            continue;
        const char *issue = number + 15;
        for (int side = 0; side < 2; side++) {
            /* Ukraine's weights line, rewritten with this issue's weight moved */
            double w =
                side ? at + 1e-6 * (at - now > 0 ? 1 : -1) : at - 1e-6 * (at - now > 0 ? 1 : -1);
            char needle[200], *copy = strdup(seed), *at_line;
            snprintf(needle, sizeof needle, "weights: {territory: 0.35");
            at_line = strstr(copy, needle);
            assert_non_null(at_line);
            char key[120];
            snprintf(key, sizeof key, "%s: ", issue);
            char *pos = strstr(at_line, key);
            assert_non_null(pos);
            pos += strlen(key);
            char *end = pos;
            while (*end == '.' || (*end >= '0' && *end <= '9'))
                end++;
            char value[40];
            snprintf(value, sizeof value, "%.9f", w);
            size_t len = strlen(copy) + strlen(value) + 1;
            char *edited = malloc(len);
            snprintf(edited, len, "%.*s%s%s", (int)(pos - copy), copy, value, end);
            /* a plain number widened by the seed's 'uncertainty': its central value is w */
            truce_scenario *c = load_text(edited);
            truce_analysis *an = NULL;
            assert_int_equal(truce_analyze(&an, c, NULL, &err), 0);
            if (truce_analysis_zopa(an) != side)
                fail_msg("%s at %.9f: zone %s", number, w,
                         truce_analysis_zopa(an) ? "open" : "empty");
            truce_analysis_free(an);
            truce_scenario_free(c);
            free(edited);
            free(copy);
        }
    }
    free(seed);
    json_decref(doc);
    free(text);
    /* the advice: the US accepts with a margin of 0.055, flipping first when
     * its reservation value rises above 0.405 */
    size_t usa = (size_t)truce_party_find(s, "usa");
    assert_int_equal(
        truce_advise(&text, s, (size_t)truce_party_find(s, "russia"), &usa, 1, NULL, &err), 0);
    doc = json_parse_or_fail(text);
    json_t *row = json_array_get(json_object_get(doc, "margins"), 1);
    assert_string_equal(json_string_value(json_object_get(row, "party")), "usa");
    json_t *fl = json_object_get(row, "flips");
    assert_close(json_real_value(json_object_get(fl, "margin")), 0.055, 1e-12);
    first = json_array_get(json_object_get(fl, "flips"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "number")), "usa.reservation");
    assert_close(json_real_value(json_object_get(first, "flips_at")), 0.405, 1e-9);
    json_decref(doc);
    free(text);
    truce_scenario_free(s);
}

/* The real binary: the same JSON for 1 and 2 threads, readable output,
 * usage errors (exit 2) and a malformed distribution (exit 1, one line
 * naming the file and line). */
static void test_cli_robust(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/seed/truce-talks.yaml", TRUCE_EXAMPLES);
    const char *one[] = {"robust",    "--json", "--samples", "300",        "--seed", "5",
                         "--threads", "1",      "--advise",  "russia:usa", path,     NULL};
    const char *two[] = {"robust",    "--json", "--samples", "300",        "--seed", "5",
                         "--threads", "2",      "--advise",  "russia:usa", path,     NULL};
    cli_result a = cli_run_ok(one), b = cli_run_ok(two);
    assert_string_equal(a.out, b.out);
    json_t *doc = json_parse_or_fail(a.out);
    assert_int_equal(json_integer_value(json_object_get(doc, "samples")), 300);
    json_decref(doc);
    cli_run_free(&a), cli_run_free(&b);
    const char *readable[] = {"robust", "--samples", "200", path, NULL};
    a = cli_run_ok(readable);
    assert_contains(a.out, "Zone of agreement: EMPTY at central values (margin -0.025)");
    assert_contains(a.out, "What flips it");
    cli_run_free(&a);
    const char *bad_party[] = {"robust", "--advise", "nobody:usa", path, NULL};
    a = cli_run(bad_party);
    assert_int_equal(a.status, 2);
    assert_one_line(a.err);
    cli_run_free(&a);
    const char *bad_samples[] = {"robust", "--samples", "0", path, NULL};
    a = cli_run(bad_samples);
    assert_int_equal(a.status, 2);
    cli_run_free(&a);
    const char *file = temp_file("bad.yaml", "truce: 1\nname: bad\n"
                                             "issues:\n  - {id: d, options: [yes, no]}\n"
                                             "parties:\n"
                                             "  - id: a\n"
                                             "    weights: {d: [0.9, 0.1]}\n"
                                             "    values: {d: {yes: 1, no: 0}}\n");
    const char *bad_file[] = {"robust", file, NULL};
    a = cli_run(bad_file);
    assert_int_equal(a.status, 1);
    assert_one_line(a.err);
    assert_contains(a.err, "bad.yaml:7:");
    assert_contains(a.err, "lower end above its upper end");
    cli_run_free(&a);
}

/* Mediated talks with options (version 2 `mediation`; truce robust --mediate --strategy,
 * --responders, --agenda). The scenario (also tests/test_mediate_agenda.c, worked by hand there):
 * three one-clause items in a deadlock (one package), first draft (a, a, a), Nash point
 * (b, b, b); with patience 0 the informed mediator's two moves a round reach (b, b, a), where
 * north gets 0 <= its BATNA 0.3 and walks away, while under --agenda package the whole package
 * moves to (b, b, b) and the talks agree there. Nothing is uncertain: every sample is the central
 * scenario. */
#define TRIO_FILE TRUCE_TEST_DATA "/mediation/trio.yaml" /* the scenario test_mediate_agenda works by hand */

static void assert_all_b(json_t *outcome)
{
    const char *issues[] = {"x", "y", "z"};
    for (int i = 0; i < 3; i++)
        assert_string_equal(json_string_value(json_object_get(outcome, issues[i])), "b");
}

static void test_mediation_options_reach_every_sample(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, TRIO_FILE, NULL, &err))
        fail_msg("load: %s", err.message);
    truce_mediation_options mo = TRUCE_MEDIATION_OPTIONS_INIT;
    mo.patience = 0;
    truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
    o.samples = 20;
    o.mediate = 1;
    o.mediation = &mo;
    json_t *doc = robust_json(s, &o);
    json_t *med = json_object_get(doc, "mediation");
    assert_true(json_is_null(json_object_get(med, "central")));
    assert_close(pget(med, "agreement"), 0, 0);
    json_decref(doc);
    mo.agenda = TRUCE_AGENDA_PACKAGE;
    doc = robust_json(s, &o);
    med = json_object_get(doc, "mediation");
    assert_close(pget(med, "agreement"), 1, 0);
    assert_all_b(json_object_get(json_object_get(med, "central"), "outcome"));
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(med, "central"),
                                                              "criterion")),
                           "the mediation options given"));
    json_decref(doc);
    /* a version 1 caller (no `mediation`: whatever follows is not read) gets the defaults:
     * patience 5 lets north wait out (b, b, a), and the talks agree on (b, b, b) */
    struct {
        truce_robust_options o;
        char pad[64];
    } v1;
    memset(&v1, 0x5a, sizeof v1);
    truce_robust_options init = TRUCE_ROBUST_OPTIONS_INIT;
    memcpy(&v1.o, &init, offsetof(truce_robust_options, mediation));
    v1.o.version = 1;
    v1.o.samples = 5;
    v1.o.mediate = 1;
    doc = robust_json(s, &v1.o);
    med = json_object_get(doc, "mediation");
    assert_close(pget(med, "agreement"), 1, 0);
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(med, "central"),
                                                              "criterion")),
                           "truce mediate's defaults"));
    json_decref(doc);
    /* refused: what thousands of talks on several threads cannot do, and bad options */
    truce_robustness *r = NULL;
    mo.strategy = TRUCE_MEDIATOR_EXTERNAL;
    assert_int_equal(truce_robust(&r, s, &o, &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "mediation");
    mo = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    mo.trace = trace_buf_collect;
    assert_int_equal(truce_robust(&r, s, &o, &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "mediation");
    mo = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    mo.agenda = 9;
    assert_int_equal(truce_robust(&r, s, &o, &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "agenda");
    assert_null(r);
    truce_scenario_free(s);
}

static void test_cli_robust_mediates_with_the_options_given(void **state)
{
    (void)state;
    const char *file = TRIO_FILE;
    /* the informed mediator moves the package to the Nash point (b, b, b) in its first revision
     * and the talks agree there (iteration 30, as the aspirations fall) */
    const char *package[] = {"robust",   "--json",   "--samples",  "10",
                             "--mediate", "--agenda", "package",   "--strategy",
                             "informed", "--responders", "truthful", file,
                             NULL};
    cli_result a = cli_run_ok(package);
    json_t *doc = json_parse_or_fail(a.out);
    json_t *med = json_object_get(doc, "mediation");
    assert_close(pget(med, "agreement"), 1, 0);
    assert_all_b(json_object_get(json_object_get(med, "central"), "outcome"));
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(med, "central"),
                                                              "criterion")),
                           "the mediation options given"));
    json_decref(doc);
    cli_run_free(&a);
    static const char *const bad[][8] = {
        {"robust", "--mediate", "--agenda", "first", NULL},
        {"robust", "--mediate", "--responders", "liar", NULL},
        {"robust", "--mediate", "--strategy", "external", NULL},
        {"robust", "--agenda", "package", NULL}};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        const char *argv[8] = {0};
        size_t n = 0;
        while (bad[k][n]) {
            argv[n] = bad[k][n];
            n++;
        }
        argv[n] = file;
        a = cli_run(argv);
        assert_int_equal(a.status, 2);
        assert_one_line(a.err);
        cli_run_free(&a);
    }
}

static void test_bad_options_are_refused(void **state)
{
    (void)state;
    truce_scenario *s = load_text(uniform_scenario(NULL));
    truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
    truce_robustness *r = NULL;
    truce_error err;
    o.samples = 0;
    assert_int_equal(truce_robust(&r, s, &o, &err), TRUCE_EINVAL);
    o = (truce_robust_options)TRUCE_ROBUST_OPTIONS_INIT;
    o.level = 1.5;
    assert_int_equal(truce_robust(&r, s, &o, &err), TRUCE_EINVAL);
    o = (truce_robust_options)TRUCE_ROBUST_OPTIONS_INIT;
    o.advise_party = 0;
    assert_int_equal(truce_robust(&r, s, &o, &err), TRUCE_EINVAL);
    assert_null(r);
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probabilities_match_exact_enumeration),
        cmocka_unit_test(test_probabilities_match_an_independent_sampler),
        cmocka_unit_test(test_zero_uncertainty_gives_the_deterministic_answer),
        cmocka_unit_test(test_report_does_not_depend_on_threads),
        cmocka_unit_test(test_flip_value_by_hand),
        cmocka_unit_test(test_margins_flip_where_they_say),
        cmocka_unit_test(test_cli_robust),
        cmocka_unit_test(test_bad_options_are_refused),
        cmocka_unit_test(test_mediation_options_reach_every_sample),
        cmocka_unit_test(test_cli_robust_mediates_with_the_options_given),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
