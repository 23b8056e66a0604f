/* test_side_payments.c: side payments (src/analysis/sidepay.c,
 * docs/scenario-format.md#side-payments): the zone, the cheapest opening transfer and
 * the Nash point with transfers against the test's own computation (a grid over the
 * transfers, and the need of each principal worked out from the definition) on random
 * small scenarios; a hand-worked example through the real binary; reader errors at
 * their place; the YAML round trip; and scenarios without side payments unchanged. */
#define _DEFAULT_SOURCE
#include "randscen.h"
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The side payments the test adds to a random scenario, as it wrote them. */
typedef struct side_spec {
    int n;             /* recipients: 1 or 2 */
    int who[2];        /* party indices (principals p0, p1) */
    double rate[2];    /* utility per unit */
    double cap[2];     /* most per recipient */
    double budget;     /* in all */
    double power0;     /* p0's bargaining power (1: none written) */
} side_spec;

static void put(char *yaml, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void put(char *yaml, size_t size, const char *fmt, ...)
{
    size_t n = strlen(yaml);
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(yaml + n, size - n, fmt, ap);
    va_end(ap);
    assert_true(k > 0 && (size_t)k < size - n);
}

/* p0's power written after its role line (the first principal). */
static void add_power(char *yaml, size_t size, double power)
{
    const char *head = "  - id: p0\n    role: principal\n";
    char *hit = strstr(yaml, head);
    assert_non_null(hit);
    hit += strlen(head);
    char rest[8192];
    snprintf(rest, sizeof rest, "%s", hit);
    *hit = '\0';
    put(yaml, size, "    power: %.17g\n%s", power, rest);
}

/* The random scenario's YAML with a mediator 'payer' added last among the parties
 * (the parties are the last block the generator writes) and its side payments. */
static void random_side(uint64_t *rng, const scenario_spec *sp, side_spec *sd, char *yaml,
                        size_t size)
{
    memset(sd, 0, sizeof *sd);
    snprintf(yaml, size, "%s", sp->yaml);
    sd->power0 = rand_pick(rng, 3) == 0 ? (rand_pick(rng, 2) ? 2 : 0.5) : 1;
    if (sd->power0 != 1)
        add_power(yaml, size, sd->power0);
    put(yaml, size, "  - id: payer\n    role: mediator\n");
    int shape = rand_pick(rng, 3); /* p0, p1, or both */
    sd->n = shape == 2 ? 2 : 1;
    sd->who[0] = shape == 1 ? 1 : 0;
    sd->who[1] = 1;
    sd->budget = rand_pick(rng, 7) / 2.0; /* 0 to 3 */
    put(yaml, size, "side_payments:\n  payer: payer\n  budget: %.17g\n  recipients:\n",
        sd->budget);
    for (int j = 0; j < sd->n; j++) {
        sd->rate[j] = (1 + rand_pick(rng, 5)) / 10.0; /* 0.1 to 0.5 */
        int capped = rand_pick(rng, 2);
        sd->cap[j] = capped ? rand_pick(rng, 5) / 2.0 : sd->budget; /* default: the budget */
        put(yaml, size, "    - party: p%d\n      rate: %.17g\n", sd->who[j], sd->rate[j]);
        if (capped)
            put(yaml, size, "      max: %.17g\n", sd->cap[j]);
    }
}

/* The recipient slot of party q, or -1. */
static int slot_of(const side_spec *sd, int q)
{
    for (int j = 0; j < sd->n; j++)
        if (sd->who[j] == q)
            return j;
    return -1;
}

/* From the definition: the smallest total lifting every principal to its reservation
 * value, and whether a transfer within the caps and budget lifts every one strictly
 * above it. INFINITY when none can. */
static double need_of(const scenario_spec *sp, const world *w, const side_spec *sd, int x,
                      int *opens, double *per)
{
    double total = 0;
    int all = 1;
    per[0] = per[1] = 0;
    *opens = 0;
    for (int k = 0; k < w->nb; k++) {
        int q = w->bargainer[k], j = slot_of(sd, q);
        double g = w->u[x][q] - sp->p[q].reservation;
        if (g > 0)
            continue;
        all = 0;
        if (j < 0 || !(-g / sd->rate[j] < sd->cap[j]))
            return INFINITY;
        per[j] = -g / sd->rate[j];
        total += per[j];
    }
    *opens = all || total < sd->budget;
    return total;
}

static double power_of(const side_spec *sd, int q)
{
    return q == 0 ? sd->power0 : 1;
}

/* The product of lifted gains at transfer t (per slot), -1 when one is not positive. */
static double product_at(const scenario_spec *sp, const world *w, const side_spec *sd, int x,
                         const double *t)
{
    double prod = 1;
    for (int k = 0; k < w->nb; k++) {
        int q = w->bargainer[k], j = slot_of(sd, q);
        double lifted = w->u[x][q] - sp->p[q].reservation + (j < 0 ? 0 : sd->rate[j] * t[j]);
        if (!(lifted > 0))
            return -1;
        prod *= pow(lifted, power_of(sd, q));
    }
    return prod;
}

/* The best product over a grid of transfers within the caps and the budget. Once every
 * lifted gain is positive, giving more to anyone raises the product, so with two
 * recipients the second takes what the budget and its cap leave after the first. */
#define GRID 3000
static double grid_best(const scenario_spec *sp, const world *w, const side_spec *sd, int x)
{
    double best = -1, t[2] = {0, 0};
    double first = fmin(sd->cap[0], sd->budget);
    for (int g = 0; g <= GRID; g++) {
        t[0] = first * g / GRID;
        if (sd->n == 2)
            t[1] = fmin(sd->cap[1], sd->budget - t[0]);
        double p = product_at(sp, w, sd, x, t);
        if (p > best)
            best = p;
    }
    return best;
}

static json_t *check_json(const truce_scenario *s)
{
    char *report = NULL;
    truce_error err;
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.margins = 0;
    if (truce_check(&report, s, &o, &err))
        fail_msg("%s", err.message);
    json_t *doc = json_parse_or_fail(report);
    truce_free(report);
    return doc;
}

static double util_of(json_t *deal, int q)
{
    char id[16];
    snprintf(id, sizeof id, "p%d", q);
    json_t *v = json_object_get(json_object_get(deal, "utilities"), id);
    assert_non_null(v);
    return json_real_value(v);
}

static double amount_of(json_t *deal, const side_spec *sd, int j)
{
    char id[16];
    snprintf(id, sizeof id, "p%d", sd->who[j]);
    json_t *v = json_object_get(json_object_get(deal, "transfer"), id);
    assert_non_null(v);
    return json_real_value(v);
}

/* The Nash deal's own product, from its utilities and transfer as reported. */
static double reported_product(const scenario_spec *sp, const world *w, const side_spec *sd,
                               json_t *deal)
{
    double prod = 1;
    for (int k = 0; k < w->nb; k++) {
        int q = w->bargainer[k], j = slot_of(sd, q);
        double lifted = util_of(deal, q) - sp->p[q].reservation +
                        (j < 0 ? 0 : sd->rate[j] * amount_of(deal, sd, j));
        assert_true(lifted > 0);
        prod *= pow(lifted, power_of(sd, q));
    }
    return prod;
}

typedef struct tally {
    int opened, empty_with, nonempty_without, nash_checked;
} tally;

static void check_one(const scenario_spec *sp, const side_spec *sd, const char *yaml, tally *tl)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, temp_file("side.yaml", yaml), NULL, &err))
        fail_msg("%s\n%s", err.message, yaml);
    world w;
    build_world(sp, s, &w);
    int rational = 0, opened = 0, feasible = 0;
    double cheapest = INFINITY, best = -1, per[2];
    for (int x = 0; x < w.n_outcomes; x++) {
        if (!w.feasible[x])
            continue;
        feasible++;
        rational += world_rational(sp, &w, x);
        int opens;
        double need = need_of(sp, &w, sd, x, &opens, per);
        cheapest = need < cheapest ? need : cheapest;
        if (!opens)
            continue;
        opened++;
        double g = grid_best(sp, &w, sd, x);
        best = g > best ? g : best;
    }
    json_t *doc = check_json(s);
    json_t *side = json_object_get(doc, "side_payments");
    assert_non_null(side);
    assert_int_equal(json_integer_value(json_object_get(side, "feasible")), feasible);
    assert_int_equal(json_integer_value(json_object_get(side, "rational_without")), rational);
    assert_int_equal(json_integer_value(json_object_get(side, "rational_with")), opened);
    assert_int_equal(json_is_true(json_object_get(side, "opens_zone")), rational == 0 && opened);
    json_t *cheap = json_object_get(side, "cheapest");
    if (rational == 0 && isfinite(cheapest)) {
        assert_true(json_is_object(cheap));
        /* the report prints 12 significant digits */
        assert_close(json_real_value(json_object_get(cheap, "total")), cheapest, 1e-10);
        assert_int_equal(json_is_true(json_object_get(cheap, "within_budget")),
                         cheapest < sd->budget);
    } else {
        assert_true(json_is_null(cheap));
    }
    json_t *nash = json_object_get(side, "nash");
    assert_int_equal(json_is_object(nash), opened > 0);
    if (opened) {
        double value = json_real_value(json_object_get(nash, "value")), total = 0;
        for (int j = 0; j < sd->n; j++) {
            double a = amount_of(nash, sd, j);
            assert_true(a >= -1e-12 && a <= sd->cap[j] + 1e-9);
            total += a;
        }
        assert_true(total <= sd->budget + 1e-9);
        /* the report prints 12 significant digits */
        assert_close(reported_product(sp, &w, sd, nash), value, 1e-9 * value);
        /* never below the grid's best, and the grid comes within its step of it */
        if (!(value >= best - 1e-10 * best))
            fail_msg("nash %.17g below the grid's %.17g\n%s", value, best, yaml);
        if (best > 0) {
            assert_true(value <= best * (1 + 2e-3) + 1e-12);
            tl->nash_checked++;
        }
    }
    tl->opened += rational == 0 && opened > 0;
    tl->empty_with += opened == 0;
    tl->nonempty_without += rational > 0;
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_zone_cheapest_and_nash_match_brute_force(void **state)
{
    (void)state;
    uint64_t rng = 0x51de9a7;
    tally tl = {0, 0, 0, 0};
    for (int round = 0; round < 160; round++) {
        scenario_spec sp;
        random_scenario(&rng, &sp);
        side_spec sd;
        static char yaml[12000];
        random_side(&rng, &sp, &sd, yaml, sizeof yaml);
        check_one(&sp, &sd, yaml, &tl);
    }
    /* the cases the test is about all occurred */
    assert_true(tl.opened >= 3);
    assert_true(tl.empty_with >= 3);
    assert_true(tl.nonempty_without >= 3);
    assert_true(tl.nash_checked >= 20);
}

/* ---- without side payments, and the round trip ---- */

static char *text_without(json_t *doc)
{
    json_t *copy = json_deep_copy(doc);
    json_object_del(copy, "side_payments");
    char *t = json_dumps(copy, JSON_SORT_KEYS);
    json_decref(copy);
    return t;
}

static void test_without_side_payments_nothing_changes(void **state)
{
    (void)state;
    uint64_t rng = 0xbeef;
    for (int round = 0; round < 25; round++) {
        scenario_spec sp;
        random_scenario(&rng, &sp);
        side_spec sd;
        static char yaml[12000], plain[12000];
        random_side(&rng, &sp, &sd, yaml, sizeof yaml);
        /* the same file cut before 'side_payments:' */
        snprintf(plain, sizeof plain, "%s", yaml);
        *strstr(plain, "side_payments:") = '\0';
        truce_scenario *a = NULL, *b = NULL;
        truce_error err;
        assert_int_equal(truce_scenario_load_yaml(&a, temp_file("with.yaml", yaml), NULL, &err), 0);
        assert_int_equal(truce_scenario_load_yaml(&b, temp_file("plain.yaml", plain), NULL, &err),
                         0);
        assert_int_equal(truce_scenario_has_side_payments(a), 1);
        assert_int_equal(truce_scenario_has_side_payments(b), 0);
        json_t *ja = check_json(a), *jb = check_json(b);
        assert_null(json_object_get(jb, "side_payments"));
        char *ta = text_without(ja), *tb = json_dumps(jb, JSON_SORT_KEYS);
        assert_string_equal(ta, tb);
        free(ta), free(tb);
        json_decref(ja), json_decref(jb);
        /* evaluate: the same apart from the section */
        uint32_t o[MAX_ISSUES] = {0};
        char *ra = NULL, *rb = NULL;
        truce_check_options co = TRUCE_CHECK_OPTIONS_INIT;
        co.margins = 0;
        assert_int_equal(truce_evaluate(&ra, a, o, &co, &err), 0);
        assert_int_equal(truce_evaluate(&rb, b, o, &co, &err), 0);
        ja = json_parse_or_fail(ra), jb = json_parse_or_fail(rb);
        assert_non_null(json_object_get(ja, "side_payments"));
        assert_null(json_object_get(jb, "side_payments"));
        ta = text_without(ja), tb = json_dumps(jb, JSON_SORT_KEYS);
        assert_string_equal(ta, tb);
        free(ta), free(tb), truce_free(ra), truce_free(rb);
        json_decref(ja), json_decref(jb);
        /* round trip: written and read back, the same check */
        const char *back = temp_path("back.yaml");
        truce_scenario *c = NULL;
        assert_int_equal(truce_scenario_save_yaml(a, back, &err), 0);
        if (truce_scenario_load_yaml(&c, back, NULL, &err))
            fail_msg("%s", err.message);
        ja = check_json(a), jb = check_json(c);
        ta = json_dumps(ja, JSON_SORT_KEYS), tb = json_dumps(jb, JSON_SORT_KEYS);
        assert_string_equal(ta, tb);
        assert_int_equal(truce_side_payment_payer(c), truce_side_payment_payer(a));
        assert_true(truce_side_payment_budget(c) == sd.budget);
        free(ta), free(tb);
        json_decref(ja), json_decref(jb);
        truce_scenario_free(a), truce_scenario_free(b), truce_scenario_free(c);
    }
}

/* ---- a hand-worked example through the real binary ---- */

/* One issue x {a, b, c}; p values a 1, b 0.6, c 0 with reservation 0.7; q values a 0,
 * b 0.5, c 1 with reservation 0.6: no outcome gives both more than no deal. The mediator
 * m pays up to 2 (million), p at most 1.5 at 0.1 a unit, q at most 2 at 0.2 a unit.
 *   a: q needs (0.6 - 0) / 0.2 = 3 > its cap 2: closed.
 *   c: p needs (0.7 - 0) / 0.1 = 7 > its cap 1.5: closed.
 *   b: p needs (0.7 - 0.6) / 0.1 = 1, q needs (0.6 - 0.5) / 0.2 = 0.5: 1.5 < 2, open.
 * Nash at b: maximise (0.1 xp - 0.1)(0.2 xq - 0.1) with xp + xq = 2: with xp = 1 + d,
 * xq = 1 - d, (0.1 d)(0.2 (0.5 - d)) is largest at d = 0.25: xp 1.25, xq 0.75,
 * lifted p 0.725, q 0.65, product 0.025 * 0.05 = 0.00125. */
static const char *const HAND = "truce: 1\n"
                                "name: hand\n"
                                "issues:\n"
                                "  - id: x\n"
                                "    options: [a, b, c]\n"
                                "parties:\n"
                                "  - id: p\n"
                                "    weights: {x: 1}\n"
                                "    values: {x: {a: 1, b: 0.6, c: 0}}\n"
                                "    reservation: 0.7\n"
                                "  - id: q\n"
                                "    weights: {x: 1}\n"
                                "    values: {x: {a: 0, b: 0.5, c: 1}}\n"
                                "    reservation: 0.6\n"
                                "  - id: m\n"
                                "    role: mediator\n"
                                "side_payments:\n"
                                "  payer: m\n"
                                "  budget: 2\n"
                                "  unit: million\n"
                                "  recipients:\n"
                                "    - party: p\n"
                                "      rate: 0.1\n"
                                "      max: 1.5\n"
                                "    - party: q\n"
                                "      rate: 0.2\n";

static double get_path(json_t *doc, const char *a, const char *b, const char *c)
{
    json_t *v = json_object_get(json_object_get(json_object_get(doc, a), b), c);
    assert_non_null(v);
    return json_real_value(v);
}

static void test_hand_example_through_the_binary(void **state)
{
    (void)state;
    const char *path = temp_file("hand.yaml", HAND);
    const char *check[] = {"check", "--json", path, NULL};
    cli_result r = cli_run_ok(check);
    json_t *doc = json_parse_or_fail(r.out);
    json_t *side = json_object_get(doc, "side_payments");
    assert_true(json_is_true(json_object_get(side, "opens_zone")));
    assert_int_equal(json_integer_value(json_object_get(side, "rational_with")), 1);
    json_t *cheap = json_object_get(side, "cheapest"), *nash = json_object_get(side, "nash");
    assert_string_equal(json_string_value(json_object_get(json_object_get(cheap, "outcome"), "x")),
                        "b");
    assert_close(json_real_value(json_object_get(cheap, "total")), 1.5, 1e-12);
    assert_close(get_path(side, "cheapest", "transfer", "p"), 1, 1e-12);
    assert_close(get_path(side, "cheapest", "transfer", "q"), 0.5, 1e-12);
    assert_close(get_path(side, "nash", "transfer", "p"), 1.25, 1e-12);
    assert_close(get_path(side, "nash", "transfer", "q"), 0.75, 1e-12);
    assert_close(get_path(side, "nash", "with_transfer", "p"), 0.725, 1e-12);
    assert_close(get_path(side, "nash", "with_transfer", "q"), 0.65, 1e-12);
    assert_close(json_real_value(json_object_get(nash, "value")), 0.00125, 1e-15);
    json_decref(doc);
    cli_run_free(&r);
    const char *text[] = {"check", path, NULL};
    r = cli_run_ok(text);
    assert_contains(r.out, "the side payments OPEN the zone");
    assert_contains(r.out, "transfer p 1 q 0.5 (total 1.5 million)");
    assert_contains(r.out, "transfer p 1.25 q 0.75 (total 2 million)");
    cli_run_free(&r);
    /* evaluate with the Nash transfer, and with one too small for q */
    const char *ev[] = {"evaluate", "--json", "--outcome", "x=b", "--transfer", "p=1.25,q=0.75",
                        path, NULL};
    r = cli_run_ok(ev);
    doc = json_parse_or_fail(r.out);
    json_t *given = json_object_get(json_object_get(doc, "side_payments"), "given");
    assert_true(json_is_true(json_object_get(given, "individually_rational")));
    assert_close(json_real_value(json_object_get(given, "total")), 2, 1e-12);
    assert_close(get_path(doc, "side_payments", "needed", "total"), 1.5, 1e-12);
    json_decref(doc);
    cli_run_free(&r);
    const char *low[] = {"evaluate", "--outcome", "x=b", "--transfer", "p=1.5,q=0.5", path, NULL};
    r = cli_run_ok(low);
    assert_contains(r.out, "NOT individually rational");
    assert_contains(r.out, "0.500 + 0.100 = 0.600  (reservation 0.600)  REFUSES");
    cli_run_free(&r);
    const char *over[] = {"evaluate", "--outcome", "x=b", "--transfer", "p=1.5,q=1", path, NULL};
    r = cli_run_ok(over);
    assert_contains(r.out, "total 2.5: BEYOND the budget");
    cli_run_free(&r);
    /* bad transfers: exit 1, one line */
    const char *bad[][8] = {
        {"evaluate", "--outcome", "x=b", "--transfer", "m=1", path, NULL},
        {"evaluate", "--outcome", "x=b", "--transfer", "z=1", path, NULL},
        {"evaluate", "--outcome", "x=b", "--transfer", "p=-1", path, NULL},
        {"evaluate", "--outcome", "x=b", "--transfer", "p=lots", path, NULL},
    };
    const char *says[] = {"'m' is not a recipient", "unknown party 'z'", "must be a number >= 0",
                          "must be a number"};
    for (int k = 0; k < 4; k++) {
        r = cli_run(bad[k]);
        assert_int_equal(r.status, 1);
        assert_one_line(r.err);
        assert_contains(r.err, says[k]);
        cli_run_free(&r);
    }
    /* GENIUS export says what it left out */
    const char *dir = temp_dir();
    const char *conv[] = {"convert", path, "-o", dir, NULL};
    r = cli_run_ok(conv);
    assert_contains(r.out, "the side payments of 'm'");
    cli_run_free(&r);
}

/* ---- the worked example ---- */

/* examples/historical/camp-david-1978-aid.yaml: at time 0 no feasible outcome is
 * individually rational; the cheapest transfer is Israel's need on the deal history
 * reached, (r - u) / 0.04, Egypt being above its reservation value there; the caps
 * add up to the budget, so the Nash transfer is both caps and its outcome maximises
 * (g_egypt + 0.02 * 1.8)(g_israel + 0.04 * 3) over the feasible outcomes. */
static void test_camp_david_aid_by_hand(void **state)
{
    (void)state;
    const char *path = TRUCE_EXAMPLES "/historical/camp-david-1978-aid.yaml";
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, path, NULL, &err))
        fail_msg("%s", err.message);
    size_t ni = truce_scenario_issue_count(s);
    int egypt = truce_party_find(s, "egypt"), israel = truce_party_find(s, "israel");
    uint32_t history[16], o[16], best[16];
    char *text = slurp_file(TRUCE_EXAMPLES "/historical/camp-david-1978-aid.outcome");
    assert_int_equal(truce_outcome_parse(s, text, NULL, history, &err), 0);
    free(text);
    double re = truce_party_reservation_at(s, (size_t)egypt, 0);
    double ri = truce_party_reservation_at(s, (size_t)israel, 0);
    double ge = truce_utility(s, (size_t)egypt, history) - re;
    double need = (ri - truce_utility(s, (size_t)israel, history)) / 0.04;
    assert_true(ge > 0 && need > 0);
    /* every outcome: none rational without a transfer; the best product with both caps */
    uint64_t total = 1;
    for (size_t i = 0; i < ni; i++)
        total *= truce_issue_option_count(s, i);
    double top = -1, cheapest = INFINITY;
    for (uint64_t x = 0; x < total; x++) {
        outcome_from_index(s, x, o);
        if (truce_outcome_feasible(s, o) != 1)
            continue;
        double a = truce_utility(s, (size_t)egypt, o) - re;
        double b = truce_utility(s, (size_t)israel, o) - ri;
        assert_false(a > 0 && b > 0);
        double n = (a > 0 ? 0 : -a / 0.02) + (b > 0 ? 0 : -b / 0.04);
        if ((a > 0 || -a / 0.02 < 1.8) && (b > 0 || -b / 0.04 < 3))
            cheapest = n < cheapest ? n : cheapest;
        double p = (a + 0.02 * 1.8) * (b + 0.04 * 3);
        if (a + 0.036 > 0 && b + 0.12 > 0 && p > top)
            top = p, memcpy(best, o, ni * sizeof *o);
    }
    assert_close(cheapest, need, 1e-12);
    json_t *doc = check_json(s);
    json_t *side = json_object_get(doc, "side_payments");
    assert_true(json_is_true(json_object_get(json_object_get(doc, "zone"), "empty")));
    assert_true(json_is_true(json_object_get(side, "opens_zone")));
    assert_close(get_path(side, "cheapest", "transfer", "israel"), need, 1e-10);
    assert_close(get_path(side, "cheapest", "transfer", "egypt"), 0, 1e-12);
    assert_close(get_path(side, "nash", "transfer", "israel"), 3, 1e-12);
    assert_close(get_path(side, "nash", "transfer", "egypt"), 1.8, 1e-12);
    assert_close(json_real_value(json_object_get(json_object_get(side, "nash"), "value")), top,
                 1e-10 * top);
    json_t *out = json_object_get(json_object_get(side, "nash"), "outcome");
    for (size_t i = 0; i < ni; i++) {
        char label[128];
        truce_issue_option_label(s, i, best[i], label, sizeof label);
        assert_string_equal(json_string_value(json_object_get(out, truce_issue_name(s, i))),
                            label);
    }
    json_decref(doc);
    truce_scenario_free(s);
}

/* ---- reader errors ---- */

static void test_bad_side_payments_are_refused_at_their_place(void **state)
{
    (void)state;
    static const struct {
        const char *tail, *message;
    } cases[] = {
        {"side_payments:\n  payer: p\n  budget: 1\n  recipients: [{party: q, rate: 1}]\n",
         "hand.yaml:18: column 10: 'p' is a principal: the payer of side payments is a mediator"},
        {"side_payments:\n  payer: m\n  budget: -1\n  recipients: [{party: q, rate: 1}]\n",
         "hand.yaml:19: column 11: the budget of side payments must be a number >= 0"},
        {"side_payments:\n  payer: m\n  budget: 1\n  recipients: [{party: m, rate: 1}]\n",
         "hand.yaml:20: column 24: 'm' is not a principal: side payments go to principals"},
        {"side_payments:\n  payer: m\n  budget: 1\n  recipients: [{party: q, rate: 0}]\n",
         "hand.yaml:20: column 33: the rate of a side payment (utility of 'q' per unit paid) must be "
         "above 0"},
        {"side_payments:\n  payer: m\n  budget: 1\n  recipients: [{party: q, rate: 1, max: -2}]\n",
         "hand.yaml:20: column 41: the most 'q' may get must be a number >= 0"},
        {"side_payments:\n  payer: m\n  budget: 1\n  recipients: [{party: q, rate: 1}, {party: q, "
         "rate: 2}]\n",
         "hand.yaml:20: column 45: 'q' appears twice among the recipients of side payments"},
        {"side_payments:\n  payer: m\n  budget: 1\n  recipients: []\n",
         "hand.yaml:20: column 3: side payments need at least one recipient"},
        {"side_payments:\n  payer: m\n  recipients: [{party: q, rate: 1}]\n",
         "hand.yaml:18: column 3: 'side_payments' needs 'budget'"},
        {"side_payments:\n  payer: zz\n  budget: 1\n  recipients: [{party: q, rate: 1}]\n",
         "hand.yaml:18: column 10: unknown party 'zz' in 'side_payments'"},
        {"side_payments:\n  payer: m\n  budget: 1\n  cap: 2\n  recipients: [{party: q, rate: "
         "1}]\n",
         "hand.yaml:20: column 3: unknown key 'cap' in 'side_payments' (expected one of: payer, budget, "
         "unit, recipients, source)"},
        {"side_payments:\n  payer: m\n  budget: 1\n  recipients: [{party: q, amount: 1}]\n",
         "hand.yaml:20: column 27: unknown key 'amount' in a recipient of side payments"},
        {"side_payments: [m]\n", "hand.yaml:17: column 17: 'side_payments' must be a mapping"},
        {"  - id: bloc\n    role: coalition\n    members: [p, q]\nside_payments:\n  payer: m\n"
         "  budget: 1\n  recipients: [{party: p, rate: 1}]\n",
         "hand.yaml:21: column 3: side payments and a coalition in one scenario are not "
         "supported yet"},
    };
    /* HAND up to its side payments (16 lines), then each bad block from line 17 */
    char head[2048];
    snprintf(head, sizeof head, "%s", HAND);
    *strstr(head, "side_payments:") = '\0';
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[4096];
        snprintf(text, sizeof text, "%s%s", head, cases[k].tail);
        truce_scenario *s = NULL;
        truce_error err;
        int rc = truce_scenario_load_yaml(&s, temp_file("hand.yaml", text), NULL, &err);
        assert_int_not_equal(rc, 0);
        assert_null(s);
        if (!strstr(err.message, cases[k].message))
            fail_msg("case %zu: got '%s', expected '%s'", k, err.message, cases[k].message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zone_cheapest_and_nash_match_brute_force),
        cmocka_unit_test(test_without_side_payments_nothing_changes),
        cmocka_unit_test(test_hand_example_through_the_binary),
        cmocka_unit_test(test_camp_david_aid_by_hand),
        cmocka_unit_test(test_bad_side_payments_are_refused_at_their_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
