/* test_coalitions.c: coalitions (src/core/coalition.c, src/analysis/coalitions.c): the
 * aggregated utility, unanimity acceptance, internal emptiness, the split condition and
 * the Nash and Kalai-Smorodinsky points as one bargainer or split, checked against a
 * brute force over every outcome of random small scenarios computed from the test's own
 * numbers; the reader's refusals, the YAML round trip and the commands. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ISSUES 3
#define N_OPTIONS 3
#define N_MEMBERS 3
#define N_PARTIES (1 + N_MEMBERS) /* opp, then the members */

typedef struct spec {
    int ni, no[N_ISSUES];
    int nm;                      /* members: 2 or 3 */
    int principal[N_PARTIES];    /* 1 principal, 0 stakeholder (opp is a principal) */
    double w[N_PARTIES][N_ISSUES];
    double v[N_PARTIES][N_ISSUES][N_OPTIONS]; /* the largest of each issue is 1 */
    double r[N_PARTIES];
    int hard_issue[N_PARTIES]; /* -1: none */
    unsigned hard_allowed[N_PARTIES];
    int unanimity;
    int weighted;               /* member_weights written */
    double mw[N_MEMBERS];       /* 1 each when not weighted */
    int coalition_first;        /* the coalition is listed before its members */
    char yaml[8192];
} spec;

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int pick(uint64_t *s, int n)
{
    return (int)(next(s) % (uint64_t)n);
}

static const char *party_id(int p, char *buf)
{
    if (p == 0)
        return "opp";
    sprintf(buf, "m%d", p - 1);
    return buf;
}

static size_t party_yaml(const spec *sp, int p, char *out, size_t size)
{
    char id[8];
    size_t n = (size_t)snprintf(out, size, "  - id: %s\n    role: %s\n    weights: {",
                                party_id(p, id), sp->principal[p] ? "principal" : "stakeholder");
    for (int i = 0; i < sp->ni; i++)
        n += (size_t)snprintf(out + n, size - n, "%si%d: %.17g", i ? ", " : "", i, sp->w[p][i]);
    n += (size_t)snprintf(out + n, size - n, "}\n    values:\n");
    for (int i = 0; i < sp->ni; i++) {
        n += (size_t)snprintf(out + n, size - n, "      i%d: {", i);
        for (int k = 0; k < sp->no[i]; k++)
            n += (size_t)snprintf(out + n, size - n, "%so%d: %.17g", k ? ", " : "", k,
                                  sp->v[p][i][k]);
        n += (size_t)snprintf(out + n, size - n, "}\n");
    }
    n += (size_t)snprintf(out + n, size - n, "    reservation: %.17g\n", sp->r[p]);
    if (sp->hard_issue[p] >= 0) {
        int i = sp->hard_issue[p];
        n += (size_t)snprintf(out + n, size - n,
                              "    hard_conditions:\n      - id: h%d\n        require: {i%d: [", p,
                              i);
        int first = 1;
        for (int k = 0; k < sp->no[i]; k++)
            if (sp->hard_allowed[p] >> k & 1) {
                n += (size_t)snprintf(out + n, size - n, "%so%d", first ? "" : ", ", k);
                first = 0;
            }
        n += (size_t)snprintf(out + n, size - n, "]}\n");
    }
    return n;
}

static size_t coalition_yaml(const spec *sp, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "  - id: coal\n    role: coalition\n    members: [");
    for (int k = 0; k < sp->nm; k++)
        n += (size_t)snprintf(out + n, size - n, "%sm%d", k ? ", " : "", k);
    n += (size_t)snprintf(out + n, size - n, "]\n    rule: %s\n",
                          sp->unanimity ? "unanimity" : "weighted");
    if (sp->weighted) {
        n += (size_t)snprintf(out + n, size - n, "    member_weights: {");
        for (int k = 0; k < sp->nm; k++)
            n += (size_t)snprintf(out + n, size - n, "%sm%d: %.17g", k ? ", " : "", k, sp->mw[k]);
        n += (size_t)snprintf(out + n, size - n, "}\n");
    }
    return n;
}

static void random_spec(uint64_t *rng, spec *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->ni = 2 + pick(rng, 2);
    for (int i = 0; i < sp->ni; i++)
        sp->no[i] = 2 + pick(rng, 2);
    sp->nm = 2 + pick(rng, 2);
    sp->principal[0] = 1;
    for (int p = 0; p <= sp->nm; p++) {
        if (p > 0)
            sp->principal[p] = pick(rng, 4) != 0;
        int a[N_ISSUES], total = 0;
        for (int i = 0; i < sp->ni; i++)
            total += a[i] = 1 + pick(rng, 9);
        for (int i = 0; i < sp->ni; i++) {
            sp->w[p][i] = (double)a[i] / total;
            int top = pick(rng, sp->no[i]);
            for (int k = 0; k < sp->no[i]; k++)
                sp->v[p][i][k] = k == top ? 1 : pick(rng, 11) / 10.0;
        }
        sp->r[p] = pick(rng, 9) / 10.0;
        sp->hard_issue[p] = -1;
        if (pick(rng, 3) == 0) {
            int i = pick(rng, sp->ni);
            sp->hard_issue[p] = i;
            sp->hard_allowed[p] = 1u + (unsigned)pick(rng, (1 << sp->no[i]) - 1);
        }
    }
    sp->unanimity = pick(rng, 2);
    sp->weighted = pick(rng, 2);
    for (int k = 0; k < sp->nm; k++)
        sp->mw[k] = sp->weighted ? 1 + pick(rng, 4) : 1;
    sp->coalition_first = pick(rng, 2);
    size_t n = (size_t)snprintf(sp->yaml, sizeof sp->yaml, "truce: 1\nname: rand\nissues:\n");
    for (int i = 0; i < sp->ni; i++) {
        n += (size_t)snprintf(sp->yaml + n, sizeof sp->yaml - n, "  - id: i%d\n    options: [", i);
        for (int k = 0; k < sp->no[i]; k++)
            n += (size_t)snprintf(sp->yaml + n, sizeof sp->yaml - n, "%so%d", k ? ", " : "", k);
        n += (size_t)snprintf(sp->yaml + n, sizeof sp->yaml - n, "]\n");
    }
    n += (size_t)snprintf(sp->yaml + n, sizeof sp->yaml - n, "parties:\n");
    if (sp->coalition_first)
        n += coalition_yaml(sp, sp->yaml + n, sizeof sp->yaml - n);
    for (int p = 0; p <= sp->nm; p++)
        n += party_yaml(sp, p, sp->yaml + n, sizeof sp->yaml - n);
    if (!sp->coalition_first)
        n += coalition_yaml(sp, sp->yaml + n, sizeof sp->yaml - n);
    assert_true(n < sizeof sp->yaml);
}

/* ---- the brute force, from the spec's numbers only ---- */

static double util(const spec *sp, int p, const int *o)
{
    double u = 0;
    for (int i = 0; i < sp->ni; i++)
        u += sp->w[p][i] * sp->v[p][i][o[i]];
    return u;
}

static int within(const spec *sp, int p, const int *o)
{
    return sp->hard_issue[p] < 0 || (sp->hard_allowed[p] >> o[sp->hard_issue[p]] & 1);
}

static double share(const spec *sp, int k)
{
    double total = 0;
    for (int j = 0; j < sp->nm; j++)
        total += sp->mw[j];
    return sp->mw[k] / total;
}

static double coalition_util(const spec *sp, const int *o)
{
    double u = 0;
    for (int k = 0; k < sp->nm; k++)
        u += share(sp, k) * util(sp, 1 + k, o);
    return u;
}

static double coalition_reservation(const spec *sp)
{
    double r = 0;
    for (int k = 0; k < sp->nm; k++)
        r += share(sp, k) * sp->r[1 + k];
    return r;
}

static int member_accepts(const spec *sp, int k, const int *o)
{
    return within(sp, 1 + k, o) && util(sp, 1 + k, o) > sp->r[1 + k];
}

static int members_accept(const spec *sp, const int *o)
{
    for (int k = 0; k < sp->nm; k++)
        if (!member_accepts(sp, k, o))
            return 0;
    return 1;
}

/* The bargainers of a mode: their utilities and reservation values at o, and whether o is
 * feasible (breaks no bargainer's hard condition; as one under unanimity, every member
 * accepts). */
typedef struct view {
    int n;
    double u[N_PARTIES], r[N_PARTIES];
    int feasible;
} view;

static void view_at(const spec *sp, int split, const int *o, view *v)
{
    memset(v, 0, sizeof *v);
    v->u[v->n] = util(sp, 0, o), v->r[v->n++] = sp->r[0];
    v->feasible = within(sp, 0, o);
    if (split) {
        for (int k = 0; k < sp->nm; k++)
            if (sp->principal[1 + k]) {
                v->u[v->n] = util(sp, 1 + k, o), v->r[v->n++] = sp->r[1 + k];
                v->feasible &= within(sp, 1 + k, o);
            }
        return;
    }
    v->u[v->n] = coalition_util(sp, o), v->r[v->n++] = coalition_reservation(sp);
    for (int k = 0; k < sp->nm; k++)
        v->feasible &= within(sp, 1 + k, o);
    if (sp->unanimity)
        v->feasible &= members_accept(sp, o);
}

static int view_rational(const view *v)
{
    for (int b = 0; b < v->n; b++)
        if (!(v->u[b] > v->r[b]))
            return 0;
    return 1;
}

static int outcome_count(const spec *sp)
{
    int n = 1;
    for (int i = 0; i < sp->ni; i++)
        n *= sp->no[i];
    return n;
}

static void decode(const spec *sp, int x, int *o)
{
    for (int i = 0; i < sp->ni; i++) {
        o[i] = x % sp->no[i];
        x /= sp->no[i];
    }
}

static double nash_product(const view *v)
{
    double prod = 1;
    for (int b = 0; b < v->n; b++)
        prod *= v->u[b] - v->r[b];
    return prod;
}

/* The largest Nash product and KS ratio over feasible rational outcomes (-1: none). */
static void brute_points(const spec *sp, int split, double *nash, double *ks, double *ideal)
{
    int o[N_ISSUES];
    view v;
    *nash = *ks = -1;
    for (int b = 0; b < N_PARTIES; b++)
        ideal[b] = -INFINITY;
    for (int x = 0; x < outcome_count(sp); x++) {
        decode(sp, x, o);
        view_at(sp, split, o, &v);
        if (!v.feasible || !view_rational(&v))
            continue;
        if (nash_product(&v) > *nash)
            *nash = nash_product(&v);
        for (int b = 0; b < v.n; b++)
            ideal[b] = v.u[b] > ideal[b] ? v.u[b] : ideal[b];
    }
    for (int x = 0; *nash >= 0 && x < outcome_count(sp); x++) {
        decode(sp, x, o);
        view_at(sp, split, o, &v);
        if (!v.feasible || !view_rational(&v))
            continue;
        double ratio = INFINITY;
        for (int b = 0; b < v.n; b++) {
            double share_of = (v.u[b] - v.r[b]) / (ideal[b] - v.r[b]);
            ratio = share_of < ratio ? share_of : ratio;
        }
        *ks = ratio > *ks ? ratio : *ks;
    }
}

static truce_scenario *load_mode(const spec *sp, int split)
{
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    lo.coalitions = split ? TRUCE_COALITIONS_SPLIT : TRUCE_COALITIONS_AS_ONE;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, temp_file("rand.yaml", sp->yaml), &lo, &err))
        fail_msg("%s\n%s", err.message, sp->yaml);
    return s;
}

static json_t *json_of(int rc, char *text, const truce_error *err)
{
    if (rc)
        fail_msg("%s", err->message);
    json_t *j = json_parse_or_fail(text);
    truce_free(text);
    return j;
}

/* The model's own view of one random scenario in one mode, against the brute force. */
static void check_mode(const spec *sp, int split, int *zones)
{
    truce_scenario *s = load_mode(sp, split);
    int coal = truce_party_find(s, "coal");
    assert_true(coal >= 0);
    assert_int_equal(truce_scenario_coalition_mode(s), split);
    /* accessors and roles in this mode */
    assert_true(truce_party_coalition(s, (size_t)coal));
    assert_int_equal(truce_coalition_rule_of(s, (size_t)coal), sp->unanimity);
    assert_int_equal(truce_coalition_member_count(s, (size_t)coal), (size_t)sp->nm);
    assert_int_equal(truce_party_role(s, (size_t)coal),
                     split ? TRUCE_ROLE_STAKEHOLDER : TRUCE_ROLE_PRINCIPAL);
    size_t member[N_MEMBERS];
    for (int k = 0; k < sp->nm; k++) {
        char id[8];
        member[k] = (size_t)truce_party_find(s, party_id(1 + k, id));
        assert_int_equal(truce_coalition_member(s, (size_t)coal, (size_t)k), (long)member[k]);
        assert_close(truce_coalition_member_weight(s, (size_t)coal, (size_t)k), share(sp, k),
                     1e-15);
        assert_int_equal(truce_party_coalition_of(s, member[k]), coal);
        assert_int_equal(truce_party_role(s, member[k]),
                         split && sp->principal[1 + k] ? TRUCE_ROLE_PRINCIPAL
                                                       : TRUCE_ROLE_STAKEHOLDER);
    }
    size_t opp = (size_t)truce_party_find(s, "opp");
    assert_int_equal(truce_party_coalition_of(s, opp), -1);
    assert_false(truce_party_coalition(s, opp));
    assert_int_equal(truce_party_role(s, opp), TRUCE_ROLE_PRINCIPAL);
    assert_close(truce_party_reservation(s, (size_t)coal), coalition_reservation(sp), 1e-12);
    /* every outcome: the aggregated utility and the feasible set */
    int o[N_ISSUES];
    uint32_t uo[N_ISSUES];
    int acceptable = 0;
    for (int x = 0; x < outcome_count(sp); x++) {
        decode(sp, x, o);
        for (int i = 0; i < sp->ni; i++)
            uo[i] = (uint32_t)o[i];
        assert_close(truce_utility(s, (size_t)coal, uo), coalition_util(sp, o), 1e-12);
        view v;
        view_at(sp, split, o, &v);
        assert_int_equal(truce_outcome_feasible(s, uo), v.feasible);
        acceptable += members_accept(sp, o);
    }
    /* the points */
    double nash, ks, ideal[N_PARTIES];
    brute_points(sp, split, &nash, &ks, ideal);
    truce_analysis *an = NULL;
    truce_error err;
    if (truce_analyze(&an, s, NULL, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_analysis_zopa(an), nash >= 0);
    *zones += nash >= 0;
    double value;
    uint32_t at[N_ISSUES];
    int has = truce_analysis_solution(an, TRUCE_SOLUTION_NASH, NULL, at, &value);
    assert_int_equal(has, nash >= 0);
    if (has) {
        assert_close(value, nash, 1e-9);
        /* the point the code picked attains the brute force's maximum */
        for (int i = 0; i < sp->ni; i++)
            o[i] = (int)at[i];
        view v;
        view_at(sp, split, o, &v);
        assert_true(v.feasible && view_rational(&v));
        assert_close(nash_product(&v), nash, 1e-9);
    }
    has = truce_analysis_solution(an, TRUCE_SOLUTION_KALAI_SMORODINSKY, NULL, NULL, &value);
    assert_int_equal(has, ks >= 0);
    if (has)
        assert_close(value, ks, 1e-9);
    /* internal emptiness and the split condition at the Nash point */
    uint32_t nash_at[N_ISSUES];
    int nash_has = truce_analysis_solution(an, TRUCE_SOLUTION_NASH, NULL, nash_at, NULL) == 1;
    char *text = NULL;
    int rc = truce_coalitions(&text, s, nash_has ? nash_at : NULL, NULL, &err);
    json_t *doc = json_of(rc, text, &err);
    json_t *c = json_array_get(json_object_get(doc, "coalitions"), 0);
    assert_int_equal(json_integer_value(json_object_get(c, "acceptable")), acceptable);
    assert_int_equal(json_is_true(json_object_get(c, "internally_empty")), acceptable == 0);
    assert_int_equal(json_is_true(json_object_get(c, "bargains")), !split);
    assert_string_equal(json_string_value(json_object_get(c, "rule")),
                        sp->unanimity ? "unanimity" : "weighted");
    json_t *leaving = json_object_get(c, "split");
    if (nash_has) {
        for (int i = 0; i < sp->ni; i++)
            o[i] = (int)nash_at[i];
        size_t want = 0;
        for (int k = 0; k < sp->nm; k++) {
            int leaves = !member_accepts(sp, k, o), listed = 0;
            size_t j;
            json_t *m;
            char id[8];
            json_array_foreach(leaving, j, m)
            {
                listed |= !strcmp(json_string_value(json_object_get(m, "party")),
                                  party_id(1 + k, id));
            }
            assert_int_equal(listed, leaves);
            want += (size_t)leaves;
        }
        assert_int_equal(json_array_size(leaving), want);
        /* as one under unanimity no member leaves the coalition's own best deal */
        if (!split && sp->unanimity)
            assert_int_equal(want, 0);
    } else {
        assert_null(leaving);
    }
    json_decref(doc);
    /* check: the zone and the same coalition section */
    rc = truce_check(&text, s, NULL, &err);
    doc = json_of(rc, text, &err);
    assert_int_equal(json_is_true(json_object_get(json_object_get(doc, "zone"), "empty")),
                     nash < 0);
    c = json_array_get(json_object_get(json_object_get(doc, "coalitions"), "coalitions"), 0);
    assert_int_equal(json_integer_value(json_object_get(c, "acceptable")), acceptable);
    json_decref(doc);
    truce_analysis_free(an);
    truce_scenario_free(s);
}

static void test_coalitions_match_brute_force_on_random_scenarios(void **state)
{
    (void)state;
    uint64_t rng = 1648; /* Westphalia: many parties, a few blocs */
    int zones[2] = {0, 0}, moved = 0, empty = 0;
    for (int round = 0; round < 300; round++) {
        spec sp;
        random_spec(&rng, &sp);
        check_mode(&sp, 0, &zones[0]);
        check_mode(&sp, 1, &zones[1]);
        double a, b, ks, ideal[N_PARTIES];
        brute_points(&sp, 0, &a, &ks, ideal);
        brute_points(&sp, 1, &b, &ks, ideal);
        moved += (a >= 0) != (b >= 0);
        int o[N_ISSUES], any = 0;
        for (int x = 0; x < outcome_count(&sp); x++) {
            decode(&sp, x, o);
            any |= members_accept(&sp, o);
        }
        empty += !any;
    }
    /* the cases are varied: zones open and closed in both modes, the mode changing whether
     * a zone exists, internally empty coalitions */
    if (!(zones[0] > 20 && zones[0] < 280 && zones[1] > 20 && zones[1] < 280 && moved > 5 &&
          empty > 5))
        fail_msg("zones %d %d moved %d empty %d", zones[0], zones[1], moved, empty);
    assert_true(zones[0] > 20 && zones[0] < 280);
    assert_true(zones[1] > 20 && zones[1] < 280);
    assert_true(moved > 5);
    assert_true(empty > 5);
}

/* ---- a hand-computed case through the real binary ---- */

/* Two members of equal weight: a (0.5 x + 0.5 y on one issue) and b the reverse. */
static const char *const hand =
    "truce: 1\n"
    "name: hand\n"
    "issues:\n"
    "  - id: deal\n"
    "    options: [low, mid, high]\n"
    "parties:\n"
    "  - id: buyer\n"
    "    weights: {deal: 1}\n"
    "    values: {deal: {low: 1, mid: 0.5, high: 0}}\n"
    "    reservation: 0.1\n"
    "  - id: bloc\n"
    "    role: coalition\n"
    "    members: [a, b]\n"
    "    rule: RULE\n"
    "    member_weights: {a: 3, b: 1}\n"
    "  - id: a\n"
    "    weights: {deal: 1}\n"
    "    values: {deal: {low: 0, mid: 0.6, high: 1}}\n"
    "    reservation: 0.2\n"
    "  - id: b\n"
    "    weights: {deal: 1}\n"
    "    values: {deal: {low: 0.4, mid: 0.2, high: 1}}\n"
    "    reservation: 0.3\n";

static const char *hand_file(const char *rule)
{
    static char text[2048];
    const char *at = strstr(hand, "RULE");
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - hand), hand, rule, at + 4);
    return temp_file("hand.yaml", text);
}

static void test_hand_computed_case_through_the_binary(void **state)
{
    (void)state;
    /* bloc = 0.75 a + 0.25 b: low 0.1, mid 0.5, high 1; reservation 0.75*0.2+0.25*0.3 = 0.225.
     * As one (weighted): Nash over (buyer, bloc): low (0.9)(-) no, mid 0.4*0.275 = 0.11,
     * high (-0.1) no -> mid; b gets 0.2 <= 0.3 at mid: b leaves. Split: buyer, a, b: mid
     * fails b, high fails buyer, low fails a -> empty zone. Unanimity as one: mid is not
     * acceptable to b, so no deal: the zone is empty; the members accept only high. */
    const char *weighted = hand_file("weighted");
    cli_result r = cli_run_ok((const char *[]){"check", "--json", "--no-margins", weighted, NULL});
    json_t *doc = json_parse_or_fail(r.out);
    json_t *zone = json_object_get(doc, "zone");
    assert_false(json_is_true(json_object_get(zone, "empty")));
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(json_object_get(zone, "best"), "outcome"), "deal")),
        "mid");
    json_t *c = json_array_get(json_object_get(json_object_get(doc, "coalitions"), "coalitions"),
                               0);
    assert_close(json_real_value(json_object_get(c, "reservation")), 0.225, 1e-12);
    assert_int_equal(json_integer_value(json_object_get(c, "acceptable")), 1);
    json_t *split = json_object_get(c, "split");
    assert_int_equal(json_array_size(split), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(split, 0), "party")),
                        "b");
    json_decref(doc);
    cli_run_free(&r);
    r = cli_run_ok((const char *[]){"check", "--no-margins", weighted, NULL});
    assert_contains(r.out, "b would leave the coalition over the deal");
    assert_contains(r.out, "aggregated reservation value 0.225");
    cli_run_free(&r);
    /* split: the zone closes */
    r = cli_run_ok(
        (const char *[]){"check", "--json", "--no-margins", "--coalitions", "split", weighted, NULL});
    doc = json_parse_or_fail(r.out);
    assert_true(json_is_true(json_object_get(json_object_get(doc, "zone"), "empty")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "coalitions"),
                                                          "mode")),
                        "split");
    json_decref(doc);
    cli_run_free(&r);
    /* unanimity as one: only 'high' is acceptable inside, and the buyer refuses it; the one
     * relaxation that opens the zone is the buyer's reservation value, with 'high' */
    const char *unanimous = hand_file("unanimity");
    r = cli_run_ok((const char *[]){"check", "--json", "--no-margins", unanimous, NULL});
    doc = json_parse_or_fail(r.out);
    zone = json_object_get(doc, "zone");
    assert_true(json_is_true(json_object_get(zone, "empty")));
    json_t *relax = json_object_get(zone, "relaxations");
    assert_int_equal(json_array_size(relax), 1);
    json_t *first = json_array_get(json_object_get(json_array_get(relax, 0), "relax"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "party")), "buyer");
    assert_string_equal(json_string_value(json_object_get(first, "kind")), "reservation");
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(json_object_get(json_array_get(relax, 0), "best"), "outcome"),
            "deal")),
        "high");
    json_decref(doc);
    cli_run_free(&r);
    r = cli_run_ok((const char *[]){"analyze", "--json", unanimous, NULL});
    doc = json_parse_or_fail(r.out);
    c = json_array_get(json_object_get(json_object_get(doc, "coalitions"), "coalitions"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "rule")), "unanimity");
    assert_int_equal(json_integer_value(json_object_get(c, "acceptable")), 1);
    json_decref(doc);
    cli_run_free(&r);
    r = cli_run_ok((const char *[]){"analyze", unanimous, NULL});
    assert_contains(r.out, "Feasible outcomes (no bargainer's hard condition broken): 1 of 3");
    cli_run_free(&r);
    /* evaluate: the split condition on a given deal, and the unanimity refusal */
    r = cli_run_ok((const char *[]){"evaluate", "--json", "--outcome", "deal=mid", unanimous, NULL});
    doc = json_parse_or_fail(r.out);
    assert_false(json_is_true(json_object_get(doc, "feasible")));
    c = json_array_get(json_object_get(json_object_get(doc, "coalitions"), "coalitions"), 0);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(c, "split"), 0), "party")),
        "b");
    json_decref(doc);
    cli_run_free(&r);
    r = cli_run_ok((const char *[]){"evaluate", "--outcome", "deal=mid", unanimous, NULL});
    assert_contains(r.out, "a member of a coalition under the unanimity rule refuses the deal");
    cli_run_free(&r);
    /* mediate: the bloc never accepts a draft a member refuses; 'high', the only one both
     * members accept, is below the buyer's reservation value, so there is no agreement */
    r = cli_run_ok((const char *[]){"mediate", "--json", unanimous, NULL});
    doc = json_parse_or_fail(r.out);
    assert_false(json_is_true(json_object_get(doc, "agreement")));
    json_decref(doc);
    cli_run_free(&r);
    /* ... while under the weighted rule the bloc accepts 'mid' (b's refusal does not bind) */
    r = cli_run_ok((const char *[]){"mediate", "--json", weighted, NULL});
    doc = json_parse_or_fail(r.out);
    assert_true(json_is_true(json_object_get(doc, "agreement")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "outcome"), "deal")), "mid");
    json_decref(doc);
    cli_run_free(&r);
}

static void test_commands_that_cannot_follow_a_coalition_refuse(void **state)
{
    (void)state;
    const char *file = hand_file("weighted");
    cli_result r = cli_run((const char *[]){"robust", "--samples", "5", file, NULL});
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "--coalitions split");
    assert_one_line(r.err);
    cli_run_free(&r);
    r = cli_run_ok(
        (const char *[]){"robust", "--samples", "5", "--coalitions", "split", file, NULL});
    cli_run_free(&r);
    r = cli_run((const char *[]){"convert", file, "-o", temp_path("genius"), NULL});
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "is a coalition");
    cli_run_free(&r);
    r = cli_run((const char *[]){"convert", file, "-o", temp_path("gw"), "--format", "geniusweb",
                                 NULL});
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "GeniusWeb cannot express");
    cli_run_free(&r);
    r = cli_run((const char *[]){"check", "--coalitions", "both", file, NULL});
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "--coalitions must be as-one or split");
    cli_run_free(&r);
}

/* ---- round trip ---- */

static void test_yaml_round_trip_keeps_the_coalition(void **state)
{
    (void)state;
    uint64_t rng = 2015;
    for (int round = 0; round < 40; round++) {
        spec sp;
        random_spec(&rng, &sp);
        for (int split = 0; split < 2; split++) {
            truce_scenario *s = load_mode(&sp, split), *back = NULL;
            truce_error err;
            const char *path = temp_path("back.yaml");
            if (truce_scenario_save_yaml(s, path, &err))
                fail_msg("%s", err.message);
            truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
            lo.coalitions = split;
            if (truce_scenario_load_yaml(&back, path, &lo, &err))
                fail_msg("%s", err.message);
            size_t np = truce_scenario_party_count(s);
            assert_int_equal(truce_scenario_party_count(back), np);
            for (size_t p = 0; p < np; p++) {
                assert_int_equal(truce_party_role(back, p), truce_party_role(s, p));
                assert_int_equal(truce_party_coalition(back, p), truce_party_coalition(s, p));
                assert_int_equal(truce_coalition_rule_of(back, p), truce_coalition_rule_of(s, p));
                assert_int_equal(truce_party_coalition_of(back, p), truce_party_coalition_of(s, p));
                for (size_t k = 0; k < truce_coalition_member_count(s, p); k++) {
                    assert_int_equal(truce_coalition_member(back, p, k),
                                     truce_coalition_member(s, p, k));
                    assert_true(truce_coalition_member_weight(back, p, k) ==
                                truce_coalition_member_weight(s, p, k));
                }
                assert_true(truce_party_reservation(back, p) == truce_party_reservation(s, p));
                int o[N_ISSUES];
                uint32_t uo[N_ISSUES];
                for (int x = 0; x < outcome_count(&sp); x++) {
                    decode(&sp, x, o);
                    for (int i = 0; i < sp.ni; i++)
                        uo[i] = (uint32_t)o[i];
                    assert_true(truce_utility(back, p, uo) == truce_utility(s, p, uo));
                    assert_int_equal(truce_outcome_feasible(back, uo), truce_outcome_feasible(s, uo));
                }
            }
            truce_scenario_free(back);
            truce_scenario_free(s);
        }
    }
}

/* ---- the reader's refusals ---- */

static const char *const base =
    "truce: 1\n"
    "name: x\n"
    "issues:\n"
    "  - id: i\n"
    "    options: [a, b]\n"
    "parties:\n"
    "  - id: p\n"
    "    weights: {i: 1}\n"
    "    values: {i: {a: 1, b: 0}}\n"
    "  - id: q\n"
    "    weights: {i: 1}\n"
    "    values: {i: {a: 0, b: 1}}\n"
    "  - id: s\n"
    "    role: stakeholder\n"
    "  - id: m\n"
    "    role: mediator\n"
    "  - id: t\n"
    "    reservation:\n"
    "      points: [[0, 0.5], [1, 0.2]]\n"; /* the coalition comes at line 20 */

static void expect_refusal(const char *coalition, const char *tail, const char *message, int line)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s%s", base, coalition, tail ? tail : "");
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load_yaml(&s, temp_file("bad.yaml", text), NULL, &err);
    if (rc != TRUCE_EINVAL)
        fail_msg("expected a refusal (%s), got %d: %s", message, rc, rc ? err.message : "");
    assert_contains(err.message, message);
    if (err.line != line)
        fail_msg("'%s' at line %d, expected %d", err.message, err.line, line);
    assert_true(err.column > 0);
    assert_null(s);
}

static void test_bad_coalitions_are_refused_at_their_place(void **state)
{
    (void)state;
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, nobody]\n", NULL,
                   "unknown party 'nobody' in the members of a coalition", 22);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, c]\n", NULL,
                   "cannot be its own member", 22);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, d]\n"
                   "  - id: d\n    role: coalition\n    members: [q, c]\n",
                   NULL, "coalitions do not nest", 22);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, m]\n", NULL,
                   "'m' is a mediator", 22);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q, p]\n", NULL,
                   "'p' appears twice in the members of 'c'", 22);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n"
                   "  - id: d\n    role: coalition\n    members: [s, q]\n",
                   NULL, "'q' appears twice among the members of coalitions ('c')", 25);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p]\n", NULL,
                   "needs at least two members", 22);
    expect_refusal("  - id: c\n    role: coalition\n", NULL, "needs 'members'", 20);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, t]\n", NULL,
                   "time-dependent reservation value", 22);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n    rule: majority\n",
                   NULL, "rule must be weighted or unanimity, not 'majority'", 23);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n"
                   "    member_weights: {p: 0}\n",
                   NULL, "a member's weight must be a number above 0", 23);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n"
                   "    member_weights: {s: 2}\n",
                   NULL, "'s' is not a member of coalition 'c'", 23);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n"
                   "    member_weights: {p: heavy}\n",
                   NULL, "must be a number", 23);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n    reservation: 0.3\n",
                   NULL, "'c' is a coalition: its preferences are its members'", 23);
    expect_refusal("  - id: c\n    members: [p, q]\n", NULL,
                   "'members' belongs to a party of role coalition", 21);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n",
                   "decision:\n  rule: unanimity\n",
                   "a decision rule and a coalition in one scenario are not supported yet", 24);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n",
                   "channels:\n  - [c, s]\n", "channels do not name it", 24);
    expect_refusal("  - id: c\n    role: coalition\n    members: [p, q]\n",
                   "channels:\n  - between: [p, s]\n    from: 0.5\n",
                   "channels with time windows and coalitions", 24);
    expect_refusal("  - id: c\n    role: lobby\n", NULL,
                   "role must be principal, mediator, stakeholder or coalition", 21);
    /* the load option itself */
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    lo.coalitions = 7;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_yaml(&s, temp_file("ok.yaml", base), &lo, &err),
                     TRUCE_EINVAL);
    assert_string_equal(err.field, "coalitions");
    assert_null(s);
}

/* ---- no coalition, no change ---- */

static const char *const examples[] = {
    "seed/truce-talks.yaml",
    "historical/camp-david-1978.yaml",
    "historical/camp-david-1978-days.yaml",
    "historical/good-friday-1998.yaml",
    "historical/good-friday-1998-consensus.yaml",
    "historical/jcpoa-2015.yaml",
    "historical/jcpoa-2015-breakout.yaml",
    "historical/jcpoa-2015-phases.yaml",
};

/* The mode only concerns coalitions: without one, as-one and split load the same scenario
 * and check says the same, byte for byte, with no coalition section. */
static void test_scenarios_without_coalitions_do_not_depend_on_the_mode(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof examples / sizeof examples[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", TRUCE_EXAMPLES, examples[k]);
        char *text[2];
        for (int split = 0; split < 2; split++) {
            truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
            lo.coalitions = split;
            truce_scenario *s = NULL;
            truce_error err;
            if (truce_scenario_load_yaml(&s, path, &lo, &err))
                fail_msg("%s: %s", path, err.message);
            for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
                assert_false(truce_party_coalition(s, p));
                assert_int_equal(truce_party_coalition_of(s, p), -1);
            }
            truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
            o.margins = 0;
            if (truce_check(&text[split], s, &o, &err))
                fail_msg("%s: %s", path, err.message);
            assert_null(strstr(text[split], "\"coalitions\""));
            truce_scenario_free(s);
        }
        assert_string_equal(text[0], text[1]);
        truce_free(text[0]);
        truce_free(text[1]);
    }
}

/* The worked example: the P5+1 as one bloc under unanimity, or the six states. Whatever the
 * numbers, the bloc accepts exactly what each of the six accepts, so the individually
 * rational outcomes are the same set in both views; the bargainers are not. */
static void test_the_p5plus1_example_in_both_views(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/historical/jcpoa-2015-p5plus1.yaml", TRUCE_EXAMPLES);
    json_int_t rational[2];
    for (int split = 0; split < 2; split++) {
        cli_result r = cli_run_ok((const char *[]){"check", "--json", "--no-margins", "--time", "1",
                                                   "--coalitions", split ? "split" : "as-one",
                                                   path, NULL});
        json_t *doc = json_parse_or_fail(r.out);
        json_t *zone = json_object_get(doc, "zone");
        assert_int_equal(json_array_size(json_object_get(zone, "bargainers")), split ? 7 : 2);
        rational[split] = json_integer_value(json_object_get(zone, "individually_rational"));
        assert_false(json_is_true(json_object_get(zone, "empty")));
        json_t *c =
            json_array_get(json_object_get(json_object_get(doc, "coalitions"), "coalitions"), 0);
        assert_string_equal(json_string_value(json_object_get(c, "coalition")), "p5plus1");
        assert_int_equal(json_array_size(json_object_get(c, "members")), 6);
        assert_false(json_is_true(json_object_get(c, "internally_empty")));
        json_decref(doc);
        cli_run_free(&r);
    }
    assert_true(rational[0] > 0);
    assert_int_equal(rational[0], rational[1]);
    /* the JCPOA itself: no member leaves the bloc over it at the end of the talks */
    cli_result r = cli_run_ok((const char *[]){
        "evaluate", "--json", "--time", "1", "--outcome-file",
        TRUCE_EXAMPLES "/historical/jcpoa-2015-p5plus1.outcome", path, NULL});
    json_t *doc = json_parse_or_fail(r.out);
    assert_true(json_is_true(json_object_get(doc, "feasible")));
    json_t *c = json_array_get(json_object_get(json_object_get(doc, "coalitions"), "coalitions"), 0);
    assert_int_equal(json_array_size(json_object_get(c, "split")), 0);
    json_decref(doc);
    cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coalitions_match_brute_force_on_random_scenarios),
        cmocka_unit_test(test_hand_computed_case_through_the_binary),
        cmocka_unit_test(test_commands_that_cannot_follow_a_coalition_refuse),
        cmocka_unit_test(test_yaml_round_trip_keeps_the_coalition),
        cmocka_unit_test(test_bad_coalitions_are_refused_at_their_place),
        cmocka_unit_test(test_scenarios_without_coalitions_do_not_depend_on_the_mode),
        cmocka_unit_test(test_the_p5plus1_example_in_both_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
