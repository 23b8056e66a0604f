/* test_mediate.c: mediated talks under the single negotiating text procedure on hand-made
 * scenarios whose results are computed here by hand or by brute force, and on the seed. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generate.h"
#include "testutil.h"

#define TOL 1e-9
#define MAX_ISSUES 8

/* ---- scenarios ---- */

/* Two principals over two issues, linear, reservation 0.1 each. By hand:
 * north(x,y) = 0.6 vx + 0.4 vy, south(x,y) = 0.3 wx + 0.7 wy. The Nash
 * point is (a, c): 0.6 and 0.7, product of gains 0.5 x 0.6 = 0.30; the
 * runner-up (b, b) gives 0.46 x 0.53 = 0.2438. The mediator's weights are
 * filled in (%s, %s); the extra text (%s) goes into north's entry, and the
 * channels are the last %s. */
static const char TWO_ISSUES[] = "truce: 1\n"
                                 "name: two-issues\n"
                                 "issues:\n"
                                 "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                 "  - {id: y, type: discrete, options: [a, b, c]}\n"
                                 "parties:\n"
                                 "  - id: north\n"
                                 "    weights: {x: 0.6, y: 0.4}\n"
                                 "    values: {x: {a: 1, b: 0.6, c: 0}, y: {a: 1, b: 0.5, c: 0}}\n"
                                 "    reservation: %s\n"
                                 "%s"
                                 "  - id: south\n"
                                 "    weights: {x: 0.3, y: 0.7}\n"
                                 "    values: {x: {a: 0, b: 0.7, c: 1}, y: {a: 0, b: 0.6, c: 1}}\n"
                                 "    reservation: 0.1\n"
                                 "%s"
                                 "  - id: envoy\n"
                                 "    role: mediator\n"
                                 "    weights: {x: %s, y: %s}\n"
                                 "    values: {x: {a: 0, b: 0.5, c: 1}, y: {a: 0, b: 0.5, c: 1}}\n"
                                 "channels:\n"
                                 "%s";

/* The same principals without a mediator party or channels. */
static const char NEUTRAL_TWO[] = "truce: 1\n"
                                  "name: neutral\n"
                                  "issues:\n"
                                  "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                  "  - {id: y, type: discrete, options: [a, b, c]}\n"
                                  "parties:\n"
                                  "  - id: north\n"
                                  "    weights: {x: 0.6, y: 0.4}\n"
                                  "    values: {x: {a: 1, b: 0.6, c: 0}, y: {a: 1, b: 0.5, c: 0}}\n"
                                  "    reservation: 0.1\n"
                                  "  - id: south\n"
                                  "    weights: {x: 0.3, y: 0.7}\n"
                                  "    values: {x: {a: 0, b: 0.7, c: 1}, y: {a: 0, b: 0.6, c: 1}}\n"
                                  "    reservation: 0.1\n";

static const char BOTH_CHANNELS[] = "  - [envoy, north]\n  - [envoy, south]\n";

typedef struct two_issues_spec {
    const char *north_reservation; /* default "0.1" */
    const char *north_extra;       /* default "" */
    const char *south_extra;       /* default "" */
    const char *envoy_x, *envoy_y; /* default "1", "0": the envoy wants x = c */
    const char *channels;          /* default BOTH_CHANNELS */
} two_issues_spec;

static truce_scenario *load_text(const char *text)
{
    const char *path = temp_file("scenario.yaml", text);
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load(&s, path, NULL, &err);
    if (rc)
        fail_msg("loading the test scenario failed: %s", err.message);
    return s;
}

static truce_scenario *two_issues(two_issues_spec spec)
{
    char text[4096];
    snprintf(text, sizeof text, TWO_ISSUES, spec.north_reservation ? spec.north_reservation : "0.1",
             spec.north_extra ? spec.north_extra : "", spec.south_extra ? spec.south_extra : "",
             spec.envoy_x ? spec.envoy_x : "1", spec.envoy_y ? spec.envoy_y : "0",
             spec.channels ? spec.channels : BOTH_CHANNELS);
    return load_text(text);
}

/* A stakeholder, ally, cares only about z and wants it open; south loses
 * 0.1 x (1 - 0.5) = 0.05 when z opens. The envoy's first draft is its own
 * favourite (mid, closed), which south objects to: 0.55, below its
 * aspiration (an accepting principal carries no objections). */
static const char AMENDMENTS[] =
    "truce: 1\n"
    "name: amendments\n"
    "issues:\n"
    "  - {id: x, type: discrete, options: [lo, mid, hi]}\n"
    "  - {id: z, type: discrete, options: [closed, open]}\n"
    "parties:\n"
    "  - id: north\n"
    "    weights: {x: 0.8, z: 0.2}\n"
    "    values: {x: {lo: 1, mid: 0.5, hi: 0}, z: {closed: 1, open: 0}}\n"
    "  - id: south\n"
    "    weights: {x: 0.9, z: 0.1}\n"
    "    values: {x: {lo: 0, mid: 0.5, hi: 1}, z: {closed: 1, open: 0.5}}\n"
    "  - id: ally\n"
    "    role: stakeholder\n"
    "    weights: {z: 1}\n"
    "    values: {z: {closed: 0, open: 1}}\n"
    "  - id: envoy\n"
    "    role: mediator\n"
    "    weights: {x: 1}\n"
    "    values: {x: {lo: 0, mid: 1, hi: 0}}\n"
    "channels:\n"
    "  - [envoy, north]\n"
    "  - [envoy, south]\n"
    "%s"
    "influence:\n"
    "  - {stakeholder: ally, principal: south, weight: %s}\n";

static truce_scenario *amendments(const char *channels, const char *weight)
{
    char text[4096];
    snprintf(text, sizeof text, AMENDMENTS, channels, weight);
    return load_text(text);
}

static const char SEED[] = TRUCE_EXAMPLES "/seed/truce-talks.yaml";

/* ---- running ---- */

static size_t party_index(const truce_scenario *s, const char *name)
{
    int p = truce_party_find(s, name);
    if (p < 0)
        fail_msg("no party '%s'", name);
    return (size_t)p;
}

/* An outcome written as issue -> option label (report and trace format). */
static void outcome_of(const truce_scenario *s, json_t *j, uint32_t *o)
{
    assert_true(json_is_object(j));
    assert_int_equal(json_object_size(j), truce_scenario_issue_count(s));
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        const char *label = json_string_value(json_object_get(j, truce_issue_name(s, i)));
        assert_non_null(label);
        int k = truce_option_find(s, i, label);
        assert_true(k >= 0);
        o[i] = (uint32_t)k;
    }
}

static void assert_outcome_equal(const truce_scenario *s, const uint32_t *got, const uint32_t *want)
{
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        if (got[i] != want[i]) {
            char a[64], b[64];
            truce_issue_option_label(s, i, got[i], a, sizeof a);
            truce_issue_option_label(s, i, want[i], b, sizeof b);
            fail_msg("issue %s: got %s, expected %s", truce_issue_name(s, i), a, b);
        }
}

static uint64_t outcome_count(const truce_scenario *s)
{
    uint64_t n = 1;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        n *= truce_issue_option_count(s, i);
    return n;
}

static int respects_every_principal(const truce_scenario *s, const uint32_t *o)
{
    for (size_t p = 0; p < truce_scenario_party_count(s); p++)
        if (truce_party_role(s, p) == TRUCE_ROLE_PRINCIPAL && truce_outcome_violates(s, p, o) >= 0)
            return 0;
    return 1;
}

/* Brute force: the outcome maximising `score` (which returns -INFINITY for
 * outcomes it excludes); fails unless the best is unique by a margin, so
 * that the test has one right answer. */
typedef double (*score_fn)(const truce_scenario *s, const uint32_t *o, const void *data);

static void brute_argmax(const truce_scenario *s, score_fn score, const void *data, uint32_t *best)
{
    uint32_t o[MAX_ISSUES];
    double first = -INFINITY, second = -INFINITY;
    for (uint64_t x = 0; x < outcome_count(s); x++) {
        outcome_from_index(s, x, o);
        double v = score(s, o, data);
        if (v > first) {
            second = first;
            first = v;
            memcpy(best, o, truce_scenario_issue_count(s) * sizeof *o);
        } else if (v > second) {
            second = v;
        }
    }
    assert_true(first > -INFINITY);
    if (!(first > second + 1e-6))
        fail_msg("the test scenario has no unique best outcome (%g and %g)", first, second);
}

/* Nash product of the principals' gains over their reservation values,
 * among outcomes every principal's hard conditions allow. */
static double nash_score(const truce_scenario *s, const uint32_t *o, const void *data)
{
    (void)data;
    if (!respects_every_principal(s, o))
        return -INFINITY;
    double product = 1;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
        if (truce_party_role(s, p) != TRUCE_ROLE_PRINCIPAL)
            continue;
        double g = truce_utility(s, p, o) - truce_party_reservation(s, p);
        if (!(g > 0))
            return -INFINITY;
        product *= g;
    }
    return product;
}

static int individually_rational(const truce_scenario *s, const uint32_t *o)
{
    return nash_score(s, o, NULL) > -INFINITY;
}

/* ---- (a) agreement at the expected draft ---- */

static void test_informed_mediator_agrees_on_the_nash_point_found_by_brute_force(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    uint32_t nash[2], first[2], final[2];
    brute_argmax(s, nash_score, NULL, nash);
    assert_int_equal(nash[0], 0); /* (a, c), as computed by hand above */
    assert_int_equal(nash[1], 2);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    /* the envoy drafted its own favourite first (x = c), far from the Nash point */
    json_t *start = json_loads(t.data, JSON_DISABLE_EOF_CHECK, NULL);
    assert_string_equal(json_string_value(json_object_get(start, "type")), "start");
    assert_string_equal(json_string_value(json_object_get(start, "mediator")), "envoy");
    outcome_of(s, json_object_get(start, "first_draft"), first);
    assert_int_equal(first[0], 2);
    json_decref(start);

    assert_true(truce_mediation_agreement(m));
    assert_string_equal(truce_mediation_end(m), "agreement");
    assert_outcome_equal(s, truce_mediation_draft(m), nash);
    assert_float_equal(truce_mediation_utility(m, party_index(s, "north")), 0.6, TOL);
    assert_float_equal(truce_mediation_utility(m, party_index(s, "south")), 0.7, TOL);
    assert_float_equal(truce_mediation_nash_distance(m), 0, TOL);
    /* The aspiration falls linearly from the best utility (1) to the BATNA
     * (0.1) over 50 iterations: 0.1 + 0.9 (1 - it/50) <= 0.6 first holds at
     * it = 23 for north (0.7 for south holds from it = 17): iteration 24. */
    assert_int_equal(truce_mediation_iterations(m), 24);
    json_t *doc = mediation_report_json(m);
    outcome_of(s, json_object_get(doc, "outcome"), final);
    assert_outcome_equal(s, final, nash);
    assert_true(json_is_true(json_object_get(doc, "agreement")));
    assert_int_equal(json_array_size(json_object_get(doc, "history")), 24);
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_first_draft_is_the_codrafters_best_and_talks_still_reach_nash(void **state)
{
    (void)state;
    /* no mediator party: a neutral one is added, and drafts with north */
    truce_scenario *s = load_text(NEUTRAL_TWO);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.codrafter = (long)party_index(s, "north");
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    json_t *start = json_loads(t.data, JSON_DISABLE_EOF_CHECK, NULL);
    assert_string_equal(json_string_value(json_object_get(start, "mediator")), "mediator");
    uint32_t first[2], nash[2];
    outcome_of(s, json_object_get(start, "first_draft"), first);
    assert_int_equal(first[0], 0); /* north's ideal (a, a) */
    assert_int_equal(first[1], 0);
    json_decref(start);
    brute_argmax(s, nash_score, NULL, nash);
    assert_true(truce_mediation_agreement(m));
    assert_outcome_equal(s, truce_mediation_draft(m), nash);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* Kalai-Smorodinsky ratio as the informed mediator defines it: ideals over
 * the individually rational outcomes the hard conditions allow. */
static double ks_score(const truce_scenario *s, const uint32_t *o, const void *data)
{
    const double *ideal = data;
    if (!individually_rational(s, o))
        return -INFINITY;
    double ratio = INFINITY;
    for (size_t p = 0; p < 2; p++) {
        double r = truce_party_reservation(s, p);
        double q = (truce_utility(s, p, o) - r) / (ideal[p] - r);
        ratio = q < ratio ? q : ratio;
    }
    return ratio;
}

static void test_ks_target_steers_to_the_kalai_smorodinsky_point(void **state)
{
    (void)state;
    /* By hand: the ideals among acceptable drafts are 0.875 for p at (a, b)
     * and 1 for q at (c, b). Nash: (c, b), 0.375 x 1 = 0.375 against
     * 0.5 x 0.7 = 0.35 at (c, a). KS: (c, a), min(0.5/0.875, 0.7/1) = 0.571
     * against 0.375/0.875 = 0.429 at (c, b). The neutral mediator's first
     * draft is (c, b) (largest sums 0.7 and 0.675), so KS must move it. */
    truce_scenario *s =
        load_text("truce: 1\n"
                  "name: ks\n"
                  "issues:\n"
                  "  - {id: x, type: discrete, options: [a, b, c]}\n"
                  "  - {id: y, type: discrete, options: [a, b, c]}\n"
                  "parties:\n"
                  "  - id: p\n"
                  "    weights: {x: 0.5, y: 0.5}\n"
                  "    values: {x: {a: 1, b: 0.5, c: 0}, y: {a: 1, b: 0.75, c: 0}}\n"
                  "  - id: q\n"
                  "    weights: {x: 0.7, y: 0.3}\n"
                  "    values: {x: {a: 0, b: 0, c: 1}, y: {a: 0, b: 1, c: 1}}\n");
    double ideal[2] = {0, 0};
    uint32_t o[2], nash[2], ks[2];
    for (uint64_t x = 0; x < outcome_count(s); x++) {
        outcome_from_index(s, x, o);
        for (size_t p = 0; p < 2 && individually_rational(s, o); p++)
            ideal[p] = fmax(ideal[p], truce_utility(s, p, o));
    }
    brute_argmax(s, nash_score, NULL, nash);
    brute_argmax(s, ks_score, ideal, ks);
    assert_true(nash[1] != ks[1]); /* the two targets differ here */
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.target = TRUCE_SOLUTION_KALAI_SMORODINSKY;
    truce_mediation *m = mediate_or_fail(s, &opts, NULL);
    assert_true(truce_mediation_agreement(m));
    assert_outcome_equal(s, truce_mediation_draft(m), ks);
    truce_mediation_free(m);
    opts.target = TRUCE_SOLUTION_NASH;
    m = mediate_or_fail(s, &opts, NULL);
    assert_outcome_equal(s, truce_mediation_draft(m), nash);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static double mediator_score(const truce_scenario *s, const uint32_t *o, const void *data)
{
    const size_t *mediator = data;
    return individually_rational(s, o) ? truce_utility(s, *mediator, o) : -INFINITY;
}

static void test_full_mediator_interest_steers_to_its_best_acceptable_draft(void **state)
{
    (void)state;
    /* the envoy wants c on both issues (weights 0.6, 0.4): its ideal (c, c)
     * leaves north 0, below its BATNA; among acceptable drafts its best is
     * (c, b) at 0.8 (north 0.2, south 0.72), not the Nash point (a, c) */
    truce_scenario *s = two_issues((two_issues_spec){.envoy_x = "0.6", .envoy_y = "0.4"});
    size_t envoy = party_index(s, "envoy");
    uint32_t best[2], nash[2];
    brute_argmax(s, mediator_score, &envoy, best);
    brute_argmax(s, nash_score, NULL, nash);
    assert_int_equal(best[0], 2);
    assert_int_equal(best[1], 1);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.mediator_interest = 1;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    assert_true(truce_mediation_agreement(m));
    assert_outcome_equal(s, truce_mediation_draft(m), best);
    truce_mediation_free(m);
    o.mediator_interest = 0;
    m = mediate_or_fail(s, &o, NULL);
    assert_outcome_equal(s, truce_mediation_draft(m), nash);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* ---- trace reading ---- */

typedef void (*record_fn)(json_t *record, void *data);

static size_t each_record(const char *trace, record_fn fn, void *data)
{
    size_t n = 0;
    const char *line = trace;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        json_error_t jerr;
        json_t *r = json_loadb(line, (size_t)(nl - line), 0, &jerr);
        if (!r)
            fail_msg("trace line %zu is not JSON: %s", n + 1, jerr.text);
        assert_true(json_is_object(r));
        fn(r, data);
        json_decref(r);
        n++;
        line = nl + 1;
    }
    return n;
}

static json_t *history_answer(json_t *doc, size_t iteration, const char *from)
{
    json_t *entry = json_array_get(json_object_get(doc, "history"), iteration);
    assert_non_null(entry);
    size_t k;
    json_t *a;
    json_array_foreach(json_object_get(entry, "answers"), k, a)
    {
        if (!strcmp(json_string_value(json_object_get(a, "from")), from))
            return a;
    }
    fail_msg("no answer from %s at iteration %zu", from, iteration);
    return NULL;
}

/* ---- (b) vetoes ---- */

typedef struct veto_seen {
    int vetoes, revisions;
    uint32_t fixed_x;
    const truce_scenario *s;
} veto_seen;

static void on_veto_record(json_t *r, void *data)
{
    veto_seen *v = data;
    const char *type = json_string_value(json_object_get(r, "type"));
    json_int_t it = json_integer_value(json_object_get(r, "iteration"));
    if (!strcmp(type, "answer") && it == 0 &&
        !strcmp(json_string_value(json_object_get(r, "from")), "north")) {
        assert_string_equal(json_string_value(json_object_get(r, "veto")), "keep-x-low");
        assert_string_equal(json_string_value(json_object_get(r, "answer")), "object");
        size_t k;
        json_t *obj;
        json_array_foreach(json_object_get(r, "objections"), k, obj)
        {
            if (strcmp(json_string_value(json_object_get(obj, "issue")), "x"))
                continue;
            assert_string_equal(json_string_value(json_object_get(obj, "reason")),
                                "veto: hard condition");
            assert_string_equal(json_string_value(json_object_get(obj, "draft")), "c");
            /* north's best option the condition allows */
            assert_string_equal(json_string_value(json_object_get(obj, "proposed")), "a");
            v->vetoes++;
        }
    }
    if (!strcmp(type, "revision") && it == 0) {
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(r, "changes"), k, c)
        {
            if (strcmp(json_string_value(json_object_get(c, "issue")), "x"))
                continue;
            assert_string_equal(json_string_value(json_object_get(c, "from")), "c");
            int opt = truce_option_find(v->s, 0, json_string_value(json_object_get(c, "to")));
            assert_true(opt >= 0);
            v->fixed_x = (uint32_t)opt;
            v->revisions++;
        }
    }
}

static void test_veto_names_the_hard_condition_and_the_revision_fixes_that_clause(void **state)
{
    (void)state;
    truce_scenario *s =
        two_issues((two_issues_spec){.north_extra = "    hard_conditions:\n"
                                                    "      - id: keep-x-low\n"
                                                    "        require: {x: [a, b]}\n"});
    size_t north = party_index(s, "north");
    for (int strategy = TRUCE_MEDIATOR_INFORMED; strategy <= TRUCE_MEDIATOR_UNINFORMED;
         strategy++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = strategy;
        trace_buf t;
        truce_mediation *m = mediate_or_fail(s, &o, &t);
        veto_seen v = {0, 0, 99, s};
        each_record(t.data, on_veto_record, &v);
        assert_int_equal(v.vetoes, 1);
        assert_int_equal(v.revisions, 1);
        assert_true(v.fixed_x == 0 || v.fixed_x == 1); /* a or b: the condition holds */
        /* no later draft breaks it again */
        json_t *doc = mediation_report_json(m);
        size_t k;
        json_t *entry;
        json_array_foreach(json_object_get(doc, "history"), k, entry)
        {
            uint32_t d[2];
            outcome_of(s, json_object_get(entry, "draft"), d);
            if (k > 0)
                assert_int_equal(truce_outcome_violates(s, north, d), -1);
        }
        assert_true(truce_mediation_agreement(m));
        json_decref(doc);
        free(t.data);
        truce_mediation_free(m);
    }
    truce_scenario_free(s);
}

/* ---- (c) amendments weighed by influence ---- */

static void check_amendment(const char *weight, double w, int adopted)
{
    truce_scenario *s = amendments("  - [ally, south]\n", weight);
    size_t south = party_index(s, "south"), ally = party_index(s, "ally");
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    json_t *doc = mediation_report_json(m);
    uint32_t d[2];
    outcome_of(s, json_object_get(json_array_get(json_object_get(doc, "history"), 0), "draft"), d);
    assert_int_equal(d[0], 1); /* (mid, closed), by hand above */
    assert_int_equal(d[1], 0);
    assert_string_equal(
        json_string_value(json_object_get(history_answer(doc, 0, "south"), "answer")), "object");
    /* what the ally asks for: its best single-clause change, z -> open */
    uint32_t changed[2] = {d[0], 1};
    double gain = truce_utility(s, ally, changed) - truce_utility(s, ally, d);
    double own = truce_utility(s, south, changed) - truce_utility(s, south, d);
    assert_float_equal(gain, 1, TOL);
    assert_float_equal(own, -0.05, TOL);
    double value = own + w * gain;
    assert_true(adopted ? value > 0 : value < 0);
    json_t *answer = history_answer(doc, 0, "south");
    json_t *yes = json_object_get(answer, "adopted_amendments");
    json_t *no = json_object_get(answer, "rejected_amendments");
    assert_int_equal(json_array_size(adopted ? yes : no), 1);
    assert_int_equal(json_array_size(adopted ? no : yes), 0);
    json_t *a = json_array_get(adopted ? yes : no, 0);
    assert_string_equal(json_string_value(json_object_get(a, "from")), "ally");
    assert_string_equal(json_string_value(json_object_get(a, "issue")), "z");
    assert_string_equal(json_string_value(json_object_get(a, "option")), "open");
    assert_float_equal(json_real_value(json_object_get(a, "value")), value, TOL);
    assert_float_equal(json_real_value(json_object_get(a, "own_gain")), own, TOL);
    /* an adopted amendment becomes south's objection, credited to the ally */
    int carried = 0;
    size_t k;
    json_t *obj;
    json_array_foreach(json_object_get(answer, "objections"), k, obj)
    {
        json_t *from = json_object_get(obj, "amendment_from");
        if (from) {
            assert_string_equal(json_string_value(from), "ally");
            assert_string_equal(json_string_value(json_object_get(obj, "issue")), "z");
            carried++;
        }
    }
    assert_int_equal(carried, adopted);
    /* the ally's message went to south only */
    assert_non_null(strstr(t.data, "\"type\":\"amendment\""));
    assert_null(strstr(t.data, "\"from\":\"ally\",\"to\":\"north\""));
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_amendment_is_adopted_when_its_influence_weighted_value_is_positive(void **state)
{
    (void)state;
    check_amendment("0.3", 0.3, 1); /* -0.05 + 0.3 x 1 = +0.25 */
}

static void test_amendment_is_rejected_when_its_influence_weighted_value_is_negative(void **state)
{
    (void)state;
    check_amendment("0.02", 0.02, 0); /* -0.05 + 0.02 x 1 = -0.03 */
}

/* ---- (d) breakdown ---- */

static double product_score(const truce_scenario *s, const uint32_t *o, const void *data)
{
    (void)data;
    if (!respects_every_principal(s, o))
        return -INFINITY;
    return log(truce_utility(s, 0, o)) + log(truce_utility(s, 1, o));
}

static void test_breakdown_when_a_batna_beats_every_draft_the_hard_conditions_allow(void **state)
{
    (void)state;
    truce_scenario *s =
        two_issues((two_issues_spec){.north_reservation = "0.99",
                                     .south_extra = "    hard_conditions:\n"
                                                    "      - id: no-a\n"
                                                    "        require: {x: [b, c]}\n"});
    /* north's best draft with x in {b, c}: 0.6 x 0.6 + 0.4 x 1 = 0.76 */
    double best_allowed = 0;
    uint32_t o[2];
    for (uint64_t x = 0; x < outcome_count(s); x++) {
        outcome_from_index(s, x, o);
        if (respects_every_principal(s, o))
            best_allowed = fmax(best_allowed, truce_utility(s, 0, o));
    }
    assert_float_equal(best_allowed, 0.76, TOL);
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    truce_mediation *m = mediate_or_fail(s, &opts, NULL);
    assert_false(truce_mediation_agreement(m));
    assert_string_equal(truce_mediation_end(m), "breakdown");
    char expected[256];
    snprintf(expected, sizeof expected,
             "north walked away: no draft that respects south's hard condition 'no-a' gives it "
             "more than its BATNA 0.990 (the best such draft gives %.3f)",
             best_allowed);
    assert_string_equal(truce_mediation_reason(m), expected);
    /* without any acceptable draft the informed mediator steers to the
     * largest product of utilities the hard conditions allow: (b, b) */
    uint32_t fallback[2];
    brute_argmax(s, product_score, NULL, fallback);
    assert_outcome_equal(s, truce_mediation_draft(m), fallback);
    /* walk-away after patience (5) drafts in a row below the BATNA without
     * progress: the draft reaches (b, b) at iteration 2 and stays; north is
     * below 0.99 from the first draft; at the 7th draft it has been below
     * for 7 drafts and is no better off than 5 drafts before */
    assert_int_equal(truce_mediation_iterations(m), 7);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_breakdown_without_hard_conditions_names_the_batna(void **state)
{
    (void)state;
    /* north's weights sum to 0.9: no draft reaches its BATNA 0.99 */
    truce_scenario *s = load_text("truce: 1\n"
                                  "name: high-batna\n"
                                  "issues:\n"
                                  "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                  "parties:\n"
                                  "  - id: north\n"
                                  "    weights: {x: 0.9}\n"
                                  "    values: {x: {a: 1, b: 0.5, c: 0}}\n"
                                  "    reservation: 0.99\n"
                                  "  - id: south\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {a: 0, b: 0.5, c: 1}}\n");
    for (int strategy = TRUCE_MEDIATOR_INFORMED; strategy <= TRUCE_MEDIATOR_UNINFORMED;
         strategy++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = strategy;
        truce_mediation *m = mediate_or_fail(s, &o, NULL);
        assert_string_equal(truce_mediation_end(m), "breakdown");
        const char *reason = truce_mediation_reason(m);
        if (strategy == TRUCE_MEDIATOR_UNINFORMED) {
            /* the neutral first draft is c (sums of weighted values: a 0.9,
             * b 0.95, c 1); north objects proposing a; at a (0.9, its best)
             * it says "below its BATNA" and asks for nothing, and south, at
             * 0 = its BATNA, also says "below" and asks for c. From
             * iteration 3 both have said "below" of two drafts in a row
             * (DISTRESS_AFTER): north, below longest, is relieved first and
             * nothing costs it less than a (its best); south's relief, b or
             * c, would cost north more by north's own reports (a 0, c 0.9),
             * so it is not granted (hurts_relieved: two reliefs must not
             * take from each other). The text stays a; after north has said
             * "below" of it patience (5) times, iterations 2 to 6, the
             * mediator concludes there is no zone, from those answers alone
             * (no veto in the evidence): 6 iterations, one before north
             * would walk away (7, as under the informed mediator). The zone
             * is indeed empty: north's best is 0.9 < 0.99. */
            assert_int_equal(truce_mediation_iterations(m), 6);
            assert_int_equal(truce_mediation_draft(m)[0], 0);
            assert_string_equal(reason, "the mediator concludes that there is no zone of "
                                        "agreement: north said the draft is no better than its "
                                        "BATNA, and by its answers no draft the vetoes allow is "
                                        "better for it");
            json_t *doc = mediation_report_json(m);
            size_t it, q;
            json_t *entry, *c;
            json_array_foreach(json_object_get(doc, "history"), it, entry)
            {
                json_array_foreach(json_object_get(entry, "changes"), q, c)
                {
                    assert_string_not_equal(json_string_value(json_object_get(c, "why")),
                                            "relieves a principal near walking away");
                }
            }
            json_decref(doc);
        } else {
            assert_non_null(strstr(reason, "north walked away"));
            assert_non_null(strstr(reason, "BATNA 0.990"));
        }
        truce_mediation_free(m);
    }
    truce_scenario_free(s);
}

static void test_walk_away_waits_patience_drafts_once_the_batna_overtakes_the_draft(void **state)
{
    (void)state;
    /* One issue. South's hard condition rules out a, so the most north can
     * get is b (0.6); its BATNA rises from 0.1 to 0.9 over the talks. The
     * neutral first draft is b (sums of values: a 1, b 1.1, c 1); the
     * informed mediator keeps it (c gives north 0, a breaks south's condition).
     * North's aspiration 1 - 0.9t + 0.8t^2 stays above 0.6 (its minimum is
     * 0.747), so it never accepts. Its BATNA 0.1 + 0.8 it/50 first reaches
     * 0.6 at it = 32 (0.612); with patience 5 it walks away at the sixth
     * draft in a row at or below its BATNA, it = 37 (BATNA 0.692): 38
     * iterations. The uninformed mediator, which knows none of this, tries
     * the options nobody has ruled out (c for south, a for north: the first
     * objections), learns from south's veto that a breaks south's condition
     * and settles on b long before north's BATNA overtakes it, and a is
     * tried once only. From it = 32 north says b is no better than its BATNA;
     * by its answers a (vetoed by south) is the only option it values more
     * (its losses: a 0, b 0.4, c 1); once it has said so of that same text
     * patience (5) times, it = 32 to 36, the mediator concludes there is no
     * zone, one iteration before north would walk away: 37 iterations. */
    truce_scenario *s = load_text("truce: 1\n"
                                  "name: rising\n"
                                  "issues:\n"
                                  "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                  "parties:\n"
                                  "  - id: north\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {a: 1, b: 0.6, c: 0}}\n"
                                  "    reservation:\n"
                                  "      points: [[0, 0.1], [1, 0.9]]\n"
                                  "  - id: south\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {a: 0, b: 0.5, c: 1}}\n"
                                  "    hard_conditions:\n"
                                  "      - id: no-a\n"
                                  "        require: {x: [b, c]}\n");
    for (int strategy = TRUCE_MEDIATOR_INFORMED; strategy <= TRUCE_MEDIATOR_UNINFORMED;
         strategy++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = strategy;
        truce_mediation *m = mediate_or_fail(s, &o, NULL);
        assert_string_equal(truce_mediation_end(m), "breakdown");
        assert_int_equal(truce_mediation_draft(m)[0], 1);
        uint32_t iterations = strategy == TRUCE_MEDIATOR_INFORMED ? 38 : 37;
        assert_int_equal(truce_mediation_iterations(m), iterations);
        if (strategy == TRUCE_MEDIATOR_INFORMED) {
            assert_non_null(strstr(truce_mediation_reason(m), "north walked away"));
            assert_non_null(strstr(truce_mediation_reason(m), "BATNA 0.692"));
        } else {
            assert_string_equal(truce_mediation_reason(m),
                                "the mediator concludes that there is no zone of agreement: "
                                "north said the draft is no better than its BATNA, and by its "
                                "answers no draft the vetoes allow is better for it (better for "
                                "it but vetoed: x = a by south)");
        }
        json_t *doc = mediation_report_json(m);
        json_t *history = json_object_get(doc, "history");
        uint32_t tried = 0, last_change = 0;
        for (uint32_t it = 0; it < iterations; it++) {
            uint32_t d[1], before[1];
            outcome_of(s, json_object_get(json_array_get(history, it), "draft"), d);
            if (it > 0) {
                outcome_of(s, json_object_get(json_array_get(history, it - 1), "draft"), before);
                last_change = d[0] != before[0] ? it : last_change;
            }
            if (d[0] == 0) {
                tried++;
                json_t *veto = json_object_get(history_answer(doc, it, "south"), "veto");
                assert_string_equal(json_string_value(veto), "no-a");
            }
        }
        assert_true(tried <= 1);
        assert_true(last_change < 32); /* settled on b before the BATNA passes 0.6 */
        json_decref(doc);
        truce_mediation_free(m);
        /* with patience 0 it walks away at the first draft below its
         * BATNA: it = 32 under the informed mediator; the uninformed one's
         * first try, c, already gives north 0, below its BATNA 0.116 */
        o.patience = 0;
        m = mediate_or_fail(s, &o, NULL);
        assert_int_equal(truce_mediation_iterations(m),
                         strategy == TRUCE_MEDIATOR_INFORMED ? 33 : 2);
        truce_mediation_free(m);
    }
    truce_scenario_free(s);
}

/* ---- (e) channels ---- */

static void test_mediator_without_a_channel_to_a_principal_is_refused_naming_both(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){.channels = "  - [envoy, north]\n"});
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    truce_mediation *m = NULL;
    truce_error err;
    assert_int_equal(truce_mediate(&m, s, &o, &err), TRUCE_EINVAL);
    assert_null(m);
    assert_non_null(strstr(err.message, "envoy"));
    assert_non_null(strstr(err.message, "south"));
    assert_string_equal(err.field, "channels");
    truce_scenario_free(s);
}

static void test_stakeholder_without_a_channel_sends_no_amendment(void **state)
{
    (void)state;
    truce_scenario *s = amendments("  - [north, south]\n", "0.3");
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    assert_null(strstr(t.data, "\"type\":\"amendment\""));
    assert_null(strstr(t.data, "\"from\":\"ally\""));
    json_t *doc = mediation_report_json(m);
    size_t k, q;
    json_t *entry, *a;
    json_array_foreach(json_object_get(doc, "history"), k, entry)
    {
        json_array_foreach(json_object_get(entry, "answers"), q, a)
        {
            assert_int_equal(json_array_size(json_object_get(a, "adopted_amendments")), 0);
            assert_int_equal(json_array_size(json_object_get(a, "rejected_amendments")), 0);
        }
    }
    json_decref(doc);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void
test_direct_talks_refuse_principals_without_a_channel_and_suggest_mediation(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    truce_space *space = NULL;
    truce_error err;
    assert_int_equal(truce_space_create(&space, s, NULL, &err), 0);
    truce_agent_spec agents[2];
    assert_int_equal(truce_agent_parse(&agents[0], "boulware", &err), 0);
    assert_int_equal(truce_agent_parse(&agents[1], "boulware", &err), 0);
    truce_negotiation *n = NULL;
    assert_int_equal(truce_negotiation_create(&n, space, agents, 2, NULL, &err), TRUCE_EINVAL);
    assert_null(n);
    assert_non_null(strstr(err.message, "north"));
    assert_non_null(strstr(err.message, "south"));
    assert_non_null(strstr(err.message, "truce mediate"));
    /* the same principals can be mediated along the channels they have */
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    truce_mediation_free(m);
    truce_space_free(space);
    truce_scenario_free(s);
}

/* ---- (f) traces ---- */

typedef struct message_check {
    const truce_scenario *s;
    int has_neutral;
    size_t messages, records;
    char first[16], last[16];
} message_check;

static void on_message(json_t *r, void *data)
{
    message_check *c = data;
    const char *type = json_string_value(json_object_get(r, "type"));
    assert_non_null(type);
    if (c->records++ == 0)
        snprintf(c->first, sizeof c->first, "%s", type);
    snprintf(c->last, sizeof c->last, "%s", type);
    if (strcmp(type, "draft") && strcmp(type, "amendment") && strcmp(type, "answer"))
        return;
    c->messages++;
    const char *from = json_string_value(json_object_get(r, "from"));
    const char *to = json_string_value(json_object_get(r, "to"));
    assert_non_null(from);
    assert_non_null(to);
    int a = truce_party_find(c->s, from), b = truce_party_find(c->s, to);
    /* a party of the scenario, or the added neutral mediator */
    assert_true(a >= 0 || (c->has_neutral && !strcmp(from, "mediator")));
    assert_true(b >= 0 || (c->has_neutral && !strcmp(to, "mediator")));
    if (a >= 0 && b >= 0)
        assert_true(truce_channel(c->s, (size_t)a, (size_t)b));
    assert_true(json_is_integer(json_object_get(r, "iteration")));
}

static void test_trace_is_byte_identical_per_seed_and_every_message_names_its_parties(void **state)
{
    (void)state;
    truce_scenario *scenarios[3] = {two_issues((two_issues_spec){0}),
                                    amendments("  - [ally, south]\n", "0.3"),
                                    load_text(NEUTRAL_TWO)};
    for (size_t k = 0; k < 3; k++) {
        for (int strategy = TRUCE_MEDIATOR_INFORMED; strategy <= TRUCE_MEDIATOR_UNINFORMED;
             strategy++) {
            truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
            o.strategy = strategy;
            o.seed = 42;
            trace_buf t1, t2;
            truce_mediation *m1 = mediate_or_fail(scenarios[k], &o, &t1);
            truce_mediation *m2 = mediate_or_fail(scenarios[k], &o, &t2);
            assert_int_equal(t1.size, t2.size);
            assert_memory_equal(t1.data, t2.data, t1.size);
            message_check c = {scenarios[k], k == 2, 0, 0, "", ""};
            size_t n = each_record(t1.data, on_message, &c);
            assert_true(c.messages > 0);
            assert_int_equal(n, c.records);
            assert_string_equal(c.first, "start");
            assert_string_equal(c.last, "end");
            assert_non_null(strstr(t1.data, "\"seed\":42"));
            free(t1.data);
            free(t2.data);
            truce_mediation_free(m1);
            truce_mediation_free(m2);
        }
        truce_scenario_free(scenarios[k]);
    }
}

static void test_failing_trace_callback_is_an_io_error(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    trace_buf t = {NULL, 0, 0, 1};
    o.trace = trace_buf_collect;
    o.trace_payload = &t;
    truce_mediation *m = NULL;
    truce_error err;
    assert_int_equal(truce_mediate(&m, s, &o, &err), TRUCE_EIO);
    assert_null(m);
    assert_non_null(strstr(err.message, "trace"));
    truce_scenario_free(s);
}

/* ---- (g) the seed ---- */

typedef struct seed_check {
    const truce_scenario *s;
    size_t drafts, amendments, eu_objections, eu_revisions;
} seed_check;

static void on_seed_record(json_t *r, void *data)
{
    seed_check *c = data;
    const char *type = json_string_value(json_object_get(r, "type"));
    const char *from = json_string_value(json_object_get(r, "from"));
    const char *to = json_string_value(json_object_get(r, "to"));
    if (from && to) {
        /* no channel between them: nothing travels directly */
        assert_false(!strcmp(from, "russia") && !strcmp(to, "ukraine"));
        assert_false(!strcmp(from, "ukraine") && !strcmp(to, "russia"));
        assert_true(truce_channel(c->s, party_index(c->s, from), party_index(c->s, to)));
    }
    if (!strcmp(type, "draft")) {
        c->drafts++;
        assert_string_equal(from, "usa");
        assert_true(!strcmp(to, "russia") || !strcmp(to, "ukraine"));
    } else if (!strcmp(type, "amendment")) {
        c->amendments++;
        assert_string_equal(from, "eu");
        assert_string_equal(to, "ukraine");
    } else if (!strcmp(type, "answer")) {
        assert_string_equal(to, "usa");
        size_t k;
        json_t *obj;
        json_array_foreach(json_object_get(r, "objections"), k, obj)
        {
            json_t *origin = json_object_get(obj, "amendment_from");
            if (origin) {
                assert_string_equal(json_string_value(origin), "eu");
                assert_string_equal(from, "ukraine");
                c->eu_objections++;
            }
        }
    } else if (!strcmp(type, "revision")) {
        size_t k, b;
        json_t *change, *by;
        json_array_foreach(json_object_get(r, "changes"), k, change)
        {
            json_array_foreach(json_object_get(change, "proposed_by"), b, by)
            {
                c->eu_revisions += !strcmp(json_string_value(by), "eu");
            }
        }
    }
}

static void test_seed_talks_run_along_the_channels_with_eu_amendments_through_ukraine(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, SEED, NULL, &err), 0);
    size_t russia = party_index(s, "russia"), ukraine = party_index(s, "ukraine");
    /* independently: every draft Russia's hard condition allows gives
     * Ukraine at most its BATNA, so no agreement is possible */
    double best_for_ukraine = 0;
    uint32_t o[MAX_ISSUES];
    for (uint64_t x = 0; x < outcome_count(s); x++) {
        outcome_from_index(s, x, o);
        if (truce_outcome_violates(s, russia, o) < 0)
            best_for_ukraine = fmax(best_for_ukraine, truce_utility(s, ukraine, o));
    }
    assert_true(best_for_ukraine <= truce_party_reservation_at(s, ukraine, 0) + TOL);
    for (int strategy = TRUCE_MEDIATOR_INFORMED; strategy <= TRUCE_MEDIATOR_UNINFORMED;
         strategy++) {
        truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
        opts.strategy = strategy;
        trace_buf t;
        truce_mediation *m = mediate_or_fail(s, &opts, &t);
        seed_check c = {s, 0, 0, 0, 0};
        each_record(t.data, on_seed_record, &c);
        /* two drafts an iteration, the last one perhaps cut short */
        assert_true(c.drafts + 1 >= 2 * truce_mediation_iterations(m));
        assert_true(c.drafts <= 2 * truce_mediation_iterations(m));
        assert_true(c.amendments > 0);
        assert_true(c.eu_objections > 0); /* EU amendments adopted by Ukraine... */
        if (strategy == TRUCE_MEDIATOR_UNINFORMED)
            assert_true(c.eu_revisions > 0); /* ...and written into the text */
        assert_false(truce_mediation_agreement(m));
        const char *reason = truce_mediation_reason(m);
        if (!strstr(reason, "'withdrawal'") && !strstr(reason, "BATNA"))
            fail_msg("the reason names neither the hard condition nor a BATNA: %s", reason);
        free(t.data);
        truce_mediation_free(m);
    }
    truce_scenario_free(s);
}

static double seed_nash_score(const truce_scenario *s, const uint32_t *o, const void *data)
{
    const int *respect = data;
    if (*respect && !respects_every_principal(s, o))
        return -INFINITY;
    double product = 1;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
        if (truce_party_role(s, p) != TRUCE_ROLE_PRINCIPAL)
            continue;
        double g = truce_utility(s, p, o) - truce_party_reservation_at(s, p, 0);
        if (!(g > 0))
            return -INFINITY;
        product *= g;
    }
    return product;
}

/* The seed with Ukraine's BATNA lowered from 0.65 to 0.55 (issue 15's variant). */
static truce_scenario *seed_with_ukraine_at_055(void)
{
    char *text = slurp_file(SEED);
    /* the seed writes that BATNA uncertain, central value 0.65: its central value moves */
    char *at = strstr(text, "points: [[0, {uniform: [0.55, 0.7], value: 0.65}]]");
    assert_non_null(at);
    at = strstr(at, "value: 0.65");
    memcpy(at, "value: 0.55", strlen("value: 0.55"));
    truce_scenario *s = load_text(text);
    free(text);
    return s;
}

static void test_seed_nash_distance_is_measured_to_the_brute_force_nash_point(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, SEED, NULL, &err), 0);
    /* no draft within Russia's hard condition beats both BATNAs: there is no Nash point
     * (one definition with truce analyze), so no distance to it */
    uint32_t outcome[MAX_ISSUES];
    int respect = 1;
    for (uint64_t x = 0; x < outcome_count(s); x++) {
        outcome_from_index(s, x, outcome);
        assert_true(seed_nash_score(s, outcome, &respect) == -INFINITY);
    }
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    assert_true(isnan(truce_mediation_nash_distance(m)));
    json_t *doc = mediation_report_json(m);
    assert_true(json_is_null(json_object_get(doc, "nash_distance")));
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);

    /* with Ukraine's BATNA at 0.55 feasible deals beat both: the Nash point is the brute
     * force's among them */
    s = seed_with_ukraine_at_055();
    uint32_t nash[MAX_ISSUES];
    brute_argmax(s, seed_nash_score, &respect, nash);
    size_t russia = party_index(s, "russia"), ukraine = party_index(s, "ukraine");
    m = mediate_or_fail(s, &o, NULL);
    const uint32_t *d = truce_mediation_draft(m);
    double dr = truce_utility(s, russia, d) - truce_utility(s, russia, nash);
    double du = truce_utility(s, ukraine, d) - truce_utility(s, ukraine, nash);
    assert_close(truce_mediation_nash_distance(m), sqrt(dr * dr + du * du), TOL);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* An agent reviewing for a principal sees whether the draft breaks its own party's hard
 * condition; accepting such a draft is a fault naming the condition. */
static void test_an_agent_accepting_a_draft_its_party_vetoes_is_at_fault(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, SEED, NULL, &err), 0);
    size_t n = truce_scenario_party_count(s), russia = party_index(s, "russia");
    truce_agent_spec *specs = calloc(n, sizeof *specs);
    assert_non_null(specs);
    assert_int_equal(truce_agent_parse(&specs[russia],
                                       "lua:" TRUCE_TEST_DATA "/agents/review_accept_vetoed.lua",
                                       &err),
                     0);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.agents = specs;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    /* the United States' first draft freezes the front line, which 'withdrawal' forbids */
    assert_string_equal(truce_mediation_end(m), "fault");
    assert_int_equal(truce_mediation_fault(m), (long)russia);
    assert_false(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_iterations(m), 1);
    assert_string_equal(truce_mediation_reason(m),
                        "the agent of russia accepted a draft that breaks russia's own hard "
                        "condition 'withdrawal' (requires territory = ukraine-withdraws; the "
                        "outcome has territory = freeze-front-line)");
    free(t.data);
    truce_mediation_free(m);
    free(specs);
    truce_scenario_free(s);
}

/* ---- (h) strategies and options ---- */

static void test_uninformed_mediator_grants_both_objections_as_a_package_and_agrees(void **state)
{
    (void)state;
    /* first draft (c, a), the envoy's favourite: north objects to x (a,
     * gain 0.6), south to y (c, gain 0.7), each its only objection, so the
     * other clause costs it nothing. Granting one alone would cost the other
     * principal an unknown amount; the package of both gains each what it
     * asked for: (a, c), the brute-force Nash point, where the text stays.
     * North (0.6, BATNA 0.1, best 1) accepts from 0.1 + 0.9 (1 - t) <= 0.6,
     * t >= 5/9: iteration 23 from 0, 24 iterations; south (0.7) earlier.
     * Two distinct drafts; each iteration 2 drafts and 2 answers travel. */
    truce_scenario *s = two_issues((two_issues_spec){0});
    uint32_t nash[2];
    brute_argmax(s, nash_score, NULL, nash);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = TRUCE_MEDIATOR_UNINFORMED;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    assert_true(truce_mediation_agreement(m));
    assert_outcome_equal(s, truce_mediation_draft(m), nash);
    assert_int_equal(truce_mediation_iterations(m), 24);
    assert_int_equal(truce_mediation_drafts(m), 2);
    assert_int_equal(truce_mediation_messages(m), 24 * 4);
    json_t *doc = mediation_report_json(m);
    assert_int_equal(json_integer_value(json_object_get(doc, "drafts")), 2);
    assert_int_equal(json_integer_value(json_object_get(doc, "iterations")), 24);
    assert_int_equal(json_integer_value(json_object_get(doc, "messages")), 96);
    json_t *changes =
        json_object_get(json_array_get(json_object_get(doc, "history"), 0), "changes");
    assert_int_equal(json_array_size(changes), 2);
    const char *who[2] = {"north", "south"};
    for (size_t k = 0; k < 2; k++) {
        json_t *c = json_array_get(changes, k);
        assert_string_equal(json_string_value(json_object_get(c, "why")), "package of two clauses");
        json_t *by = json_object_get(c, "proposed_by");
        assert_int_equal(json_array_size(by), 1);
        assert_string_equal(json_string_value(json_array_get(by, 0)), who[k]);
    }
    json_t *later = json_object_get(json_array_get(json_object_get(doc, "history"), 1), "changes");
    assert_int_equal(json_array_size(later), 0);
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_uninformed_mediator_finds_the_middle_option_both_objections_allow(void **state)
{
    (void)state;
    /* One ordered issue lo < mid < hi; north values 1, 0.6, 0 and south 0,
     * 0.6, 1, both with BATNA 0.5: by brute force the zone is {mid} alone.
     * The envoy drafts lo; south objects (hi) and says lo does not beat its
     * BATNA; the mediator grants hi, and north says the same of hi. Between
     * two drafts each side rejects, the option in between is the one left:
     * mid ("middle option", proposed by nobody), where both accept once
     * 0.5 + 0.5 (1 - t) <= 0.6, t >= 0.8: 41 iterations. */
    truce_scenario *s = load_text("truce: 1\n"
                                  "name: middle\n"
                                  "issues:\n"
                                  "  - {id: x, type: discrete, options: [lo, mid, hi]}\n"
                                  "parties:\n"
                                  "  - id: north\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {lo: 1, mid: 0.6, hi: 0}}\n"
                                  "    reservation: 0.5\n"
                                  "  - id: south\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {lo: 0, mid: 0.6, hi: 1}}\n"
                                  "    reservation: 0.5\n"
                                  "  - id: envoy\n"
                                  "    role: mediator\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {lo: 1, mid: 0, hi: 0}}\n");
    uint32_t zone[1];
    brute_argmax(s, nash_score, NULL, zone);
    assert_int_equal(zone[0], 1);
    uint32_t o[1];
    for (uint64_t x = 0; x < outcome_count(s); x++) {
        outcome_from_index(s, x, o);
        assert_true(individually_rational(s, o) == (o[0] == 1));
    }
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.strategy = TRUCE_MEDIATOR_UNINFORMED;
    truce_mediation *m = mediate_or_fail(s, &opts, NULL);
    assert_true(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_draft(m)[0], 1);
    assert_int_equal(truce_mediation_iterations(m), 41);
    assert_int_equal(truce_mediation_drafts(m), 3);
    json_t *doc = mediation_report_json(m);
    json_t *c = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "history"), 1), "changes"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "to")), "mid");
    assert_string_equal(json_string_value(json_object_get(c, "why")), "middle option");
    assert_int_equal(json_array_size(json_object_get(c, "proposed_by")), 0);
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void
test_uninformed_mediator_concludes_there_is_no_zone_when_vetoes_rule_out_every_option(void **state)
{
    (void)state;
    /* North's condition rules out a, south's b and c: by brute force no
     * outcome respects both. The envoy drafts a: north vetoes it (proposing
     * b); at b south vetoes (its only allowed option, a, is ruled out); the
     * mediator tries c, the last option nobody has ruled out, and south
     * vetoes that too: every option of x is ruled out, and the mediator says
     * so with the evidence after three drafts. */
    truce_scenario *s = load_text("truce: 1\n"
                                  "name: no-zone\n"
                                  "issues:\n"
                                  "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                  "parties:\n"
                                  "  - id: north\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {a: 1, b: 0.6, c: 0}}\n"
                                  "    hard_conditions:\n"
                                  "      - {id: not-a, require: {x: [b, c]}}\n"
                                  "  - id: south\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {a: 0, b: 0.5, c: 1}}\n"
                                  "    hard_conditions:\n"
                                  "      - {id: only-a, require: {x: [a]}}\n"
                                  "  - id: envoy\n"
                                  "    role: mediator\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {a: 1, b: 0, c: 0}}\n");
    uint32_t o[1];
    for (uint64_t x = 0; x < outcome_count(s); x++) {
        outcome_from_index(s, x, o);
        assert_false(respects_every_principal(s, o));
    }
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.strategy = TRUCE_MEDIATOR_UNINFORMED;
    truce_mediation *m = mediate_or_fail(s, &opts, NULL);
    assert_string_equal(truce_mediation_end(m), "breakdown");
    assert_int_equal(truce_mediation_iterations(m), 3);
    assert_int_equal(truce_mediation_drafts(m), 3);
    assert_string_equal(truce_mediation_reason(m),
                        "the mediator concludes that there is no zone of agreement: vetoes ruled "
                        "out every option of 'x' (a by north, b by south, c by south)");
    json_t *doc = mediation_report_json(m);
    json_t *learned = json_object_get(doc, "learned");
    json_t *north =
        json_object_get(json_object_get(json_object_get(learned, "north"), "vetoed"), "x");
    json_t *south =
        json_object_get(json_object_get(json_object_get(learned, "south"), "vetoed"), "x");
    assert_int_equal(json_array_size(north), 1);
    assert_string_equal(json_string_value(json_array_get(north, 0)), "a");
    assert_int_equal(json_array_size(south), 2);
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_a_veto_and_an_amendment_on_one_clause_make_one_objection(void **state)
{
    (void)state;
    /* The amendments scenario with a condition of south's, x = hi, and an
     * ally that wants x = hi. The envoy drafts its favourite (mid, closed),
     * which breaks south's condition on x; the ally asks south for x = hi,
     * which south adopts (own gain 0.9 x 0.5 plus 0.3 x the ally's 1). One
     * objection on x reaches the mediator: the veto, not the veto and the
     * amendment besides. */
    char text[4096];
    snprintf(text, sizeof text, AMENDMENTS, "  - [ally, south]\n", "0.3");
    char *at = strstr(text, "  - id: ally\n");
    assert_non_null(at);
    char patched[4096];
    snprintf(patched, sizeof patched,
             "%.*s    hard_conditions:\n      - {id: high, require: {x: [hi]}}\n%s",
             (int)(at - text), text, at);
    /* the ally wants x = hi above all */
    char *w = strstr(patched, "    weights: {z: 1}\n    values: {z: {closed: 0, open: 1}}\n");
    assert_non_null(w);
    const char ally[] = "    weights: {x: 1}\n    values: {x: {lo: 0, mid: 0, hi: 1}}\n";
    char final[4096];
    snprintf(final, sizeof final, "%.*s%s%s", (int)(w - patched), patched, ally,
             w + strlen("    weights: {z: 1}\n    values: {z: {closed: 0, open: 1}}\n"));
    truce_scenario *s = load_text(final);
    for (int strategy = TRUCE_MEDIATOR_INFORMED; strategy <= TRUCE_MEDIATOR_UNINFORMED;
         strategy++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = strategy;
        truce_mediation *m = mediate_or_fail(s, &o, NULL);
        json_t *doc = mediation_report_json(m);
        json_t *answer = history_answer(doc, 0, "south");
        assert_string_equal(json_string_value(json_object_get(answer, "veto")), "high");
        assert_int_equal(json_array_size(json_object_get(answer, "adopted_amendments")), 1);
        size_t k, on_x = 0;
        json_t *obj;
        json_array_foreach(json_object_get(answer, "objections"), k, obj)
        {
            if (!strcmp(json_string_value(json_object_get(obj, "issue")), "x")) {
                on_x++;
                assert_string_equal(json_string_value(json_object_get(obj, "reason")),
                                    "veto: hard condition");
            }
        }
        assert_int_equal(on_x, 1);
        json_decref(doc);
        truce_mediation_free(m);
    }
    truce_scenario_free(s);
}

/* The seed with Ukraine's BATNA at `batna` (the file says 0.65, somewhere
 * from 0.55 to 0.7: a plain number replaces that). */
static truce_scenario *seed_with_ukraine_at(const char *batna)
{
    static const char written[] = "points: [[0, {uniform: [0.55, 0.7], value: 0.65}]]";
    char *text = slurp_file(SEED);
    char *at = strstr(text, written);
    assert_non_null(at);
    char *out = malloc(strlen(text) + 16);
    assert_non_null(out);
    sprintf(out, "%.*spoints: [[0, %s]]%s", (int)(at - text), text, batna, at + strlen(written));
    truce_scenario *s = load_text(out);
    free(out);
    free(text);
    return s;
}

/* An agreement breaks no principal's hard condition and gives every
 * principal more than its BATNA at the time it was reached; no draft after a
 * veto proposes the vetoed option again. */
static void check_uninformed_agreement(const truce_scenario *s, truce_mediation *m)
{
    if (!truce_mediation_agreement(m))
        fail_msg("%s: %s", truce_scenario_name(s), truce_mediation_reason(m));
    const uint32_t *d = truce_mediation_draft(m);
    double t = (double)(truce_mediation_iterations(m) - 1) / 50;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
        if (truce_party_role(s, p) != TRUCE_ROLE_PRINCIPAL)
            continue;
        assert_int_equal(truce_outcome_violates(s, p, d), -1);
        assert_true(truce_utility(s, p, d) > truce_party_reservation_at(s, p, t));
    }
    json_t *doc = mediation_report_json(m);
    json_t *history = json_object_get(doc, "history");
    size_t k, q, j;
    json_t *entry, *answer, *obj;
    json_array_foreach(history, k, entry)
    {
        json_array_foreach(json_object_get(entry, "answers"), q, answer)
        {
            json_array_foreach(json_object_get(answer, "objections"), j, obj)
            {
                if (strcmp(json_string_value(json_object_get(obj, "reason")),
                           "veto: hard condition"))
                    continue;
                const char *issue = json_string_value(json_object_get(obj, "issue"));
                const char *bad = json_string_value(json_object_get(obj, "draft"));
                for (size_t later = k + 1; later < json_array_size(history); later++) {
                    json_t *draft = json_object_get(json_array_get(history, later), "draft");
                    if (!strcmp(json_string_value(json_object_get(draft, issue)), bad))
                        fail_msg("%s: %s = %s proposed again after a veto", truce_scenario_name(s),
                                 issue, bad);
                }
            }
        }
    }
    json_decref(doc);
}

static void test_uninformed_mediator_agrees_on_seed_variants_with_a_zone(void **state)
{
    (void)state;
    /* Ukraine's BATNA lowered until the zone opens (brute force: some draft
     * within Russia's condition beats both BATNAs at time 0) */
    const char *batnas[] = {"0.62", "0.6", "0.55", "0.5", "0.4"};
    for (size_t v = 0; v < sizeof batnas / sizeof *batnas; v++) {
        truce_scenario *s = seed_with_ukraine_at(batnas[v]);
        int respect = 1;
        int open = 0;
        uint32_t o[MAX_ISSUES];
        for (uint64_t x = 0; x < outcome_count(s) && !open; x++) {
            outcome_from_index(s, x, o);
            open = seed_nash_score(s, o, &respect) > -INFINITY;
        }
        assert_true(open);
        for (uint64_t seed = 1; seed <= 3; seed++) {
            truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
            opts.strategy = TRUCE_MEDIATOR_UNINFORMED;
            opts.seed = seed;
            truce_mediation *m = mediate_or_fail(s, &opts, NULL);
            check_uninformed_agreement(s, m);
            truce_mediation_free(m);
        }
        truce_scenario_free(s);
    }
}

static void test_uninformed_mediator_agrees_on_the_historical_cases(void **state)
{
    (void)state;
    /* Camp David 1978, the JCPOA 2015 and Good Friday 1998 (examples/
     * historical): their zones are non-empty (test_examples_cli checks
     * that the history beats every BATNA within every hard condition) */
    const char *cases[] = {"camp-david-1978", "jcpoa-2015", "good-friday-1998"};
    for (size_t c = 0; c < 3; c++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/historical/%s.yaml", TRUCE_EXAMPLES, cases[c]);
        truce_scenario *s = NULL;
        truce_error err;
        assert_int_equal(truce_scenario_load(&s, path, NULL, &err), 0);
        truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
        opts.strategy = TRUCE_MEDIATOR_UNINFORMED;
        truce_mediation *m = mediate_or_fail(s, &opts, NULL);
        check_uninformed_agreement(s, m);
        truce_mediation_free(m);
        truce_scenario_free(s);
    }
}

/* The historical examples that broke down under the uninformed mediator
 * before it relieved a principal near walking away (docs/mediation.md):
 * iran or china walked away after revisions that kept moving clauses it had
 * never spoken of. Each zone is non-empty (test_examples_cli checks that the
 * history beats every BATNA within every hard condition); each must now
 * agree within every principal's hard conditions and above every BATNA at
 * the time of the agreement (check_uninformed_agreement, from the
 * scenario's own evaluators). All ten examples at seeds 1 to 5 agree (a
 * manual run, docs/mediation.md); the test keeps to the cases that broke, to
 * stay fast under the sanitizers. */
static void test_uninformed_mediator_agrees_where_a_principal_used_to_walk_away(void **state)
{
    (void)state;
    const struct {
        const char *name;
        uint64_t seed;
    } cases[] = {{"jcpoa-2015-breakout", 2},
                 {"jcpoa-2015-p5plus1", 2},
                 {"jcpoa-2015-p5plus1", 3},
                 {"jcpoa-2015", 4},
                 {"jcpoa-2015-phases", 4}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/historical/%s.yaml", TRUCE_EXAMPLES, cases[c].name);
        truce_scenario *s = NULL;
        truce_error err;
        assert_int_equal(truce_scenario_load(&s, path, NULL, &err), 0);
        truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
        opts.strategy = TRUCE_MEDIATOR_UNINFORMED;
        opts.seed = cases[c].seed;
        truce_mediation *m = mediate_or_fail(s, &opts, NULL);
        if (!truce_mediation_agreement(m))
            fail_msg("%s, seed %llu: %s", cases[c].name, (unsigned long long)cases[c].seed,
                     truce_mediation_reason(m));
        check_uninformed_agreement(s, m);
        truce_mediation_free(m);
        truce_scenario_free(s);
    }
}

static void test_the_seed_drives_the_tie_breaks_and_reproduces_to_the_byte(void **state)
{
    (void)state;
    truce_scenario *s = seed_with_ukraine_at("0.55");
    char *traces[6];
    for (uint64_t seed = 1; seed <= 5; seed++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = TRUCE_MEDIATOR_UNINFORMED;
        o.seed = seed;
        trace_buf t;
        truce_mediation_free(mediate_or_fail(s, &o, &t));
        /* the start record names the seed: compare from the first draft on */
        traces[seed] = t.data;
    }
    int differ = 0;
    for (int a = 2; a <= 5; a++)
        differ |= strcmp(strchr(traces[1], '\n'), strchr(traces[a], '\n')) != 0;
    assert_true(differ);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = TRUCE_MEDIATOR_UNINFORMED;
    o.seed = 3;
    trace_buf again;
    truce_mediation_free(mediate_or_fail(s, &o, &again));
    assert_string_equal(again.data, traces[3]);
    free(again.data);
    for (int a = 1; a <= 5; a++)
        free(traces[a]);
    truce_scenario_free(s);
}

/* Reported gains under noise X, checked against the true gains by hand:
 * north values a 1, b 0.6, c 0 and asks for a (gain 1 - its value of the
 * draft's option); south values a 0, b 0.5, c 1 and asks for c (gain 1 -
 * its value). The informed mediator ignores gains, so noise changes no
 * draft: only the numbers. Returns how many gains differ from the true ones. */
static size_t check_noisy_gains(json_t *doc, double noise, size_t *objections)
{
    static const char *const labels[] = {"a", "b", "c"};
    static const double north[] = {1, 0.6, 0}, south[] = {0, 0.5, 1};
    size_t differ = 0, it;
    json_t *entry;
    *objections = 0;
    json_array_foreach(json_object_get(doc, "history"), it, entry)
    {
        size_t k, q;
        json_t *ans, *ob;
        json_array_foreach(json_object_get(entry, "answers"), k, ans)
        {
            const double *v =
                !strcmp(json_string_value(json_object_get(ans, "from")), "north") ? north : south;
            json_array_foreach(json_object_get(ans, "objections"), q, ob)
            {
                const char *at = json_string_value(json_object_get(ob, "draft"));
                double truth = -1;
                for (int o = 0; o < 3; o++)
                    if (!strcmp(at, labels[o]))
                        truth = 1 - v[o];
                double g = json_real_value(json_object_get(ob, "gain"));
                assert_true(g >= truth * (1 - noise) - 1e-12 && g <= truth * (1 + noise) + 1e-12);
                differ += fabs(g - truth) > 1e-9;
                ++*objections;
            }
        }
    }
    return differ;
}

static void test_responder_noise_is_drawn_by_the_seed_and_off_by_default(void **state)
{
    (void)state;
    truce_scenario *s = load_text("truce: 1\n"
                                  "name: noisy\n"
                                  "issues:\n"
                                  "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                  "parties:\n"
                                  "  - id: north\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {a: 1, b: 0.6, c: 0}}\n"
                                  "  - id: south\n"
                                  "    weights: {x: 1}\n"
                                  "    values: {x: {a: 0, b: 0.5, c: 1}}\n");
    /* off: exact gains, and a version 3 caller (garbage where noise lies)
     * gets the same talks to the byte */
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    trace_buf plain, old, noisy, again, other;
    truce_mediation *m = mediate_or_fail(s, &o, &plain);
    json_t *doc = mediation_report_json(m);
    size_t n_plain, n;
    assert_int_equal(check_noisy_gains(doc, 0, &n_plain), 0);
    assert_true(n_plain >= 2);
    json_t *plain_history = json_deep_copy(json_object_get(doc, "history"));
    json_decref(doc);
    truce_mediation_free(m);
    o.version = 3;
    o.noise = 0.7;
    truce_mediation_free(mediate_or_fail(s, &o, &old));
    assert_string_equal(old.data, plain.data);
    /* on: every gain within [1 - X, 1 + X] of the truth, some moved, the
     * drafts unchanged; one seed reproduces the talks, another differs */
    o.version = TRUCE_MEDIATION_OPTIONS_VERSION;
    o.noise = 0.5;
    m = mediate_or_fail(s, &o, &noisy);
    doc = mediation_report_json(m);
    assert_true(check_noisy_gains(doc, 0.5, &n) > 0);
    assert_int_equal(n, n_plain);
    json_t *history = json_object_get(doc, "history");
    assert_int_equal(json_array_size(history), json_array_size(plain_history));
    for (size_t it = 0; it < json_array_size(history); it++)
        assert_true(json_equal(json_object_get(json_array_get(history, it), "draft"),
                               json_object_get(json_array_get(plain_history, it), "draft")));
    json_decref(doc);
    json_decref(plain_history);
    truce_mediation_free(m);
    truce_mediation_free(mediate_or_fail(s, &o, &again));
    assert_string_equal(again.data, noisy.data);
    o.seed = 2;
    truce_mediation_free(mediate_or_fail(s, &o, &other));
    assert_string_not_equal(strchr(other.data, '\n'), strchr(noisy.data, '\n'));
    /* out of range: refused, naming the field */
    o.noise = 1.5;
    truce_mediation *bad = NULL;
    truce_error err;
    assert_int_equal(truce_mediate(&bad, s, &o, &err), TRUCE_EINVAL);
    assert_null(bad);
    assert_string_equal(err.field, "noise");
    free(plain.data);
    free(old.data);
    free(noisy.data);
    free(again.data);
    free(other.data);
    truce_scenario_free(s);
}

/* Brute force over a scenario's principals: whether the outcome breaks no
 * principal's hard condition and beats every reservation value, and its
 * Nash product (log) when it does. */
static double zone_score(const truce_scenario *s, const uint32_t *o, const void *data)
{
    (void)data;
    if (!respects_every_principal(s, o))
        return -INFINITY;
    double score = 0;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
        if (truce_party_role(s, p) != TRUCE_ROLE_PRINCIPAL)
            continue;
        double g = truce_utility(s, p, o) - truce_party_reservation(s, p);
        if (!(g > 0))
            return -INFINITY;
        score += log(g);
    }
    return score;
}

static void
test_generated_scenarios_have_a_zone_and_the_mediators_respect_hard_conditions(void **state)
{
    (void)state;
    /* bench/generate.c's family on small sizes: by brute force each zone is
     * non-empty; the informed mediator agrees on a brute-force Nash point;
     * no agreement of either mediator breaks a hard condition */
    static char text[1 << 16];
    gen_size sizes[] = {{2, 3, 3, 0}, {3, 3, 3, 1}};
    int missing_line = 0, uninformed = 0, runs = 0;
    for (size_t z = 0; z < 2; z++)
        for (uint64_t seed = 1; seed <= 6; seed++) {
            size_t len = gen_scenario(text, sizeof text, sizes[z], seed);
            assert_true(len > 0);
            truce_scenario *s = load_text(text);
            uint32_t o[MAX_ISSUES];
            double best = -INFINITY;
            for (uint64_t x = 0; x < outcome_count(s); x++) {
                outcome_from_index(s, x, o);
                double v = zone_score(s, o, NULL);
                best = v > best ? v : best;
            }
            assert_true(best > -INFINITY);
            size_t envoy = party_index(s, "envoy");
            for (size_t p = 0; p < truce_scenario_party_count(s); p++)
                if (truce_party_role(s, p) == TRUCE_ROLE_PRINCIPAL)
                    assert_true(truce_channel(s, envoy, p));
            missing_line |= !truce_channel(s, party_index(s, "p0"), party_index(s, "p1"));
            for (int strategy = TRUCE_MEDIATOR_INFORMED; strategy <= TRUCE_MEDIATOR_UNINFORMED;
                 strategy++) {
                truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
                opts.strategy = strategy;
                opts.seed = seed;
                truce_mediation *m = mediate_or_fail(s, &opts, NULL);
                if (truce_mediation_agreement(m)) {
                    const uint32_t *d = truce_mediation_draft(m);
                    assert_true(respects_every_principal(s, d));
                    if (strategy == TRUCE_MEDIATOR_INFORMED)
                        assert_true(zone_score(s, d, NULL) >= best - 1e-9);
                    else
                        uninformed++;
                } else {
                    assert_int_not_equal(strategy, TRUCE_MEDIATOR_INFORMED);
                }
                truce_mediation_free(m);
            }
            runs++;
            truce_scenario_free(s);
        }
    assert_true(missing_line);     /* some principals have no direct line */
    assert_true(uninformed >= 10); /* of 12: measured 12 (bench_mediate has the full family) */
    (void)runs;
}

static void test_strategic_responders_anchor_and_hold_out_longer_than_truthful_ones(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.responder = TRUCE_RESPONDER_STRATEGIC;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    assert_true(truce_mediation_agreement(m));
    /* strategic aspiration 0.1 + 0.9 (1 - t^2) <= 0.6 first holds at
     * t = 34/50 (t^2 = 0.4624 >= 0.444...): iteration 35, against 24 */
    assert_int_equal(truce_mediation_iterations(m), 35);
    json_t *doc = mediation_report_json(m);
    /* first draft (c, a): north's objection reports its ideal x = a as vital
     * (gain 1) where a truthful north reports 0.6 x (1 - 0) = 0.6 */
    json_t *obj = json_array_get(json_object_get(history_answer(doc, 0, "north"), "objections"), 0);
    assert_string_equal(json_string_value(json_object_get(obj, "issue")), "x");
    assert_string_equal(json_string_value(json_object_get(obj, "proposed")), "a");
    assert_float_equal(json_real_value(json_object_get(obj, "gain")), 1, TOL);
    json_decref(doc);
    truce_mediation_free(m);
    o.responder = TRUCE_RESPONDER_TRUTHFUL;
    m = mediate_or_fail(s, &o, NULL);
    assert_int_equal(truce_mediation_iterations(m), 24);
    doc = mediation_report_json(m);
    obj = json_array_get(json_object_get(history_answer(doc, 0, "north"), "objections"), 0);
    assert_float_equal(json_real_value(json_object_get(obj, "gain")), 0.6, TOL);
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_exaggerating_and_anchoring_responders_each_do_one_half_of_strategic(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    /* exaggeration alone: the first draft (c, a) gives north 0.4 > 0.1, yet
     * it reports its objection x = a as vital (gain 1, truthful 0.6) and the
     * draft as no better than its BATNA; it concedes at the truthful pace, and
     * the informed mediator ignores claims: agreement after 24 iterations, as
     * with truthful responders */
    o.responder = TRUCE_RESPONDER_EXAGGERATE;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    assert_true(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_iterations(m), 24);
    json_t *doc = mediation_report_json(m);
    json_t *north = history_answer(doc, 0, "north");
    json_t *obj = json_array_get(json_object_get(north, "objections"), 0);
    assert_string_equal(json_string_value(json_object_get(obj, "proposed")), "a");
    assert_float_equal(json_real_value(json_object_get(obj, "gain")), 1, TOL);
    assert_true(json_is_false(json_object_get(north, "beats_batna")));
    json_decref(doc);
    truce_mediation_free(m);
    /* anchoring alone: the same ideal x = a with its true gain 0.6 and the
     * truth about its BATNA, but the strategic aspiration 0.1 + 0.9 (1 - t^2):
     * agreement after 35 iterations, as strategic */
    o.responder = TRUCE_RESPONDER_ANCHOR;
    m = mediate_or_fail(s, &o, NULL);
    assert_true(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_iterations(m), 35);
    doc = mediation_report_json(m);
    north = history_answer(doc, 0, "north");
    obj = json_array_get(json_object_get(north, "objections"), 0);
    assert_string_equal(json_string_value(json_object_get(obj, "proposed")), "a");
    assert_float_equal(json_real_value(json_object_get(obj, "gain")), 0.6, TOL);
    assert_true(json_is_true(json_object_get(north, "beats_batna")));
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* The answers in a report's history from `who` whose own ("cost") gains
 * add up to more than 1, counted from the trace. */
static json_int_t answers_over_one(json_t *doc, const char *who)
{
    json_int_t n = 0;
    size_t it, k, q;
    json_t *entry, *a, *ob;
    json_array_foreach(json_object_get(doc, "history"), it, entry)
    {
        json_array_foreach(json_object_get(entry, "answers"), k, a)
        {
            if (strcmp(json_string_value(json_object_get(a, "from")), who))
                continue;
            double sum = 0;
            json_array_foreach(json_object_get(a, "objections"), q, ob)
            {
                if (!strcmp(json_string_value(json_object_get(ob, "reason")), "cost"))
                    sum += json_real_value(json_object_get(ob, "gain"));
            }
            n += sum > 1 + 1e-9;
        }
    }
    return n;
}

/* Probing a tolerance, by hand (docs/mediation.md, "Probing a tolerance").
 * North's reservation 0.3 (tolerates a loss of 0.7 against its ideal 1),
 * south's 0.1 (tolerates 0.9); the envoy's weights 0.5/0.5 make the first
 * draft (c, c).
 * - it 0, (c, c): north 0, below; objects x -> a (0.6), y -> a (0.4), so
 *   its losses x: a 0, c 0.6, y: a 0, c 0.4; south accepts (loss 0).
 * - it 1, (a, a): north accepts; south 0, below; objects y -> c (0.7),
 *   x -> c (0.3): losses y: a 0.7, c 0, x: a 0.3, c 0.
 * - it 2, (a, c): north 0.6 (loss 0.4), south 0.7 (loss 0.3), both above,
 *   both object; the revision keeps the text. Brackets: north [0.4, 1.0]
 *   (above at 0.4, below at 1.0), south [0.3, 1.0] (above at 0.3, below
 *   at (a, a) 1.0): south's is the widest (0.7 > 0.2), middle 0.65. Changes
 *   of (a, c) over options south reported (b unheard): x -> c loss 0 and
 *   y -> a 1.0 lie outside the bracket; the package (c, a) costs south
 *   0 + 0.7 = 0.7, inside, 0.05 from the middle: the probe.
 * - it 3, (c, a): south 0.3 > 0.1 beats its BATNA, so it tolerates at least
 *   0.7 (bracket [0.7, 1.0], true 0.9; the middle rule had 0.65); north 0.4
 *   > 0.3 too (bracket [0.6, 1.0], true 0.7). The revision returns to
 *   (a, c).
 * - no second probe: north's bracket is now the widest (0.4), and every
 *   change over options it reported costs it 0.6 or less, or 1.0, not
 *   strictly inside (0.6, 1.0).
 * - (a, c) is the brute-force Nash point (product 0.3 x 0.6 = 0.18 against
 *   (a, b) 0.5 x 0.32 = 0.16); north accepts once 0.3 + 0.7 (1 - t) <= 0.6,
 *   t >= 4/7, iteration 29 of 50: 30 iterations, 4 distinct drafts. */
static void test_uninformed_mediator_probes_the_widest_tolerance_bracket_by_bisection(void **state)
{
    (void)state;
    truce_scenario *s = two_issues(
        (two_issues_spec){.north_reservation = "0.3", .envoy_x = "0.5", .envoy_y = "0.5"});
    uint32_t nash[2];
    brute_argmax(s, nash_score, NULL, nash);
    assert_int_equal(nash[0], 0);
    assert_int_equal(nash[1], 2);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = TRUCE_MEDIATOR_UNINFORMED;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    assert_true(truce_mediation_agreement(m));
    assert_outcome_equal(s, truce_mediation_draft(m), nash);
    assert_int_equal(truce_mediation_iterations(m), 30);
    assert_int_equal(truce_mediation_drafts(m), 4);
    json_t *doc = mediation_report_json(m);
    json_t *history = json_object_get(doc, "history");
    const char *drafts[4][2] = {{"c", "c"}, {"a", "a"}, {"a", "c"}, {"c", "a"}};
    for (size_t it = 0; it < 4; it++) {
        json_t *d = json_object_get(json_array_get(history, it), "draft");
        assert_string_equal(json_string_value(json_object_get(d, "x")), drafts[it][0]);
        assert_string_equal(json_string_value(json_object_get(d, "y")), drafts[it][1]);
    }
    /* the probe at iteration 2 (both clauses), the return at 3, no other */
    size_t probes = 0, returns = 0, it;
    json_t *entry;
    json_array_foreach(history, it, entry)
    {
        size_t q;
        json_t *c;
        json_array_foreach(json_object_get(entry, "changes"), q, c)
        {
            const char *why = json_string_value(json_object_get(c, "why"));
            if (!strcmp(why, "probe")) {
                assert_int_equal(it, 2);
                probes++;
            } else if (!strcmp(why, "back from a probe")) {
                assert_int_equal(it, 3);
                returns++;
            }
        }
    }
    assert_int_equal(probes, 2);
    assert_int_equal(returns, 2);
    json_t *changes = json_object_get(json_array_get(history, 3), "changes");
    assert_int_equal(json_array_size(changes), 2);
    /* the answers that halve the brackets */
    assert_true(json_is_true(json_object_get(history_answer(doc, 3, "south"), "beats_batna")));
    assert_true(json_is_true(json_object_get(history_answer(doc, 3, "north"), "beats_batna")));
    assert_true(json_is_false(json_object_get(history_answer(doc, 1, "south"), "beats_batna")));
    assert_true(json_is_false(json_object_get(history_answer(doc, 0, "north"), "beats_batna")));
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_uninformed_mediator_flags_gains_that_add_up_to_more_than_one(void **state)
{
    (void)state;
    /* the envoy wants (c, c) (0.5 + 0.5), its first draft; north loses there on both
     * clauses: truthfully 0.6 (x) + 0.4 (y) = 1, all its utility, which can be
     * true; exaggerating, 1 + 1 = 2, which cannot */
    truce_scenario *s = two_issues((two_issues_spec){.envoy_x = "0.5", .envoy_y = "0.5"});
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = TRUCE_MEDIATOR_UNINFORMED;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    json_t *doc = mediation_report_json(m);
    json_t *north = history_answer(doc, 0, "north");
    json_t *objections = json_object_get(north, "objections");
    assert_int_equal(json_array_size(objections), 2);
    assert_float_equal(json_real_value(json_object_get(json_array_get(objections, 0), "gain")), 0.6,
                       TOL);
    assert_float_equal(json_real_value(json_object_get(json_array_get(objections, 1), "gain")), 0.4,
                       TOL);
    json_t *learned = json_object_get(doc, "learned");
    assert_null(json_object_get(json_object_get(learned, "north"), "inflated_answers"));
    assert_null(json_object_get(json_object_get(learned, "south"), "inflated_answers"));
    json_decref(doc);
    truce_mediation_free(m);
    o.responder = TRUCE_RESPONDER_EXAGGERATE;
    m = mediate_or_fail(s, &o, NULL);
    doc = mediation_report_json(m);
    objections = json_object_get(history_answer(doc, 0, "north"), "objections");
    assert_int_equal(json_array_size(objections), 2);
    for (size_t q = 0; q < 2; q++)
        assert_float_equal(json_real_value(json_object_get(json_array_get(objections, q), "gain")),
                           1, TOL);
    learned = json_object_get(doc, "learned");
    json_t *flagged = json_object_get(json_object_get(learned, "north"), "inflated_answers");
    assert_non_null(flagged);
    assert_true(json_integer_value(flagged) >= 1);
    /* every answer over 1 in the history is counted, and no other */
    assert_int_equal(json_integer_value(flagged), answers_over_one(doc, "north"));
    json_t *south = json_object_get(json_object_get(learned, "south"), "inflated_answers");
    assert_int_equal(south ? json_integer_value(south) : 0, answers_over_one(doc, "south"));
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static size_t most_cost_objections(const truce_scenario *s, uint32_t max_objections, int responder)
{
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.max_objections = max_objections;
    o.responder = responder;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    json_t *doc = mediation_report_json(m);
    size_t most = 0, k, q, j;
    json_t *entry, *a, *obj;
    json_array_foreach(json_object_get(doc, "history"), k, entry)
    {
        json_array_foreach(json_object_get(entry, "answers"), q, a)
        {
            size_t cost = 0;
            json_array_foreach(json_object_get(a, "objections"), j, obj)
            {
                cost += !strcmp(json_string_value(json_object_get(obj, "reason")), "cost");
            }
            most = cost > most ? cost : most;
            /* a truthful stakeholder sends at most max_objections amendments */
            if (responder == TRUCE_RESPONDER_TRUTHFUL)
                assert_true(json_array_size(json_object_get(a, "adopted_amendments")) +
                                json_array_size(json_object_get(a, "rejected_amendments")) <=
                            max_objections);
        }
    }
    json_decref(doc);
    truce_mediation_free(m);
    return most;
}

static void test_principals_object_to_at_most_max_objections_clauses_of_their_own(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load(&s, SEED, NULL, &err), 0);
    /* Russia and Ukraine each lose on more than two clauses of the first
     * draft, so the limit binds; strategic principals exaggerate with two
     * objections more */
    assert_int_equal(most_cost_objections(s, 2, TRUCE_RESPONDER_TRUTHFUL), 2);
    assert_int_equal(most_cost_objections(s, 1, TRUCE_RESPONDER_TRUTHFUL), 1);
    assert_int_equal(most_cost_objections(s, 1, TRUCE_RESPONDER_STRATEGIC), 3);
    truce_scenario_free(s);
}

static void expect_refused(const truce_scenario *s, const truce_mediation_options *o, int code,
                           const char *field, const char *words)
{
    truce_mediation *m = NULL;
    truce_error err;
    assert_int_equal(truce_mediate(&m, s, o, &err), code);
    assert_null(m);
    assert_string_equal(err.field, field);
    if (!strstr(err.message, words))
        fail_msg("'%s' does not say '%s'", err.message, words);
}

static void test_bad_options_are_refused_with_a_clear_error(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.max_iterations = 0;
    expect_refused(s, &o, TRUCE_EINVAL, "iterations", "between 1 and 100000");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.mediator = (long)party_index(s, "north");
    expect_refused(s, &o, TRUCE_EINVAL, "mediator", "'north' is a principal");
    o.mediator = 17;
    expect_refused(s, &o, TRUCE_EINVAL, "mediator", "no party 17");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = 7;
    expect_refused(s, &o, TRUCE_EINVAL, "strategy", "unknown mediator strategy");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.responder = 4;
    expect_refused(s, &o, TRUCE_EINVAL, "responder", "unknown responder strategy");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.target = TRUCE_SOLUTION_MAX_WELFARE;
    expect_refused(s, &o, TRUCE_EINVAL, "target", "Nash or the Kalai-Smorodinsky");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.mediator_interest = 1.5;
    expect_refused(s, &o, TRUCE_EINVAL, "mediator_interest", "[0, 1]");
    o.mediator_interest = NAN;
    expect_refused(s, &o, TRUCE_EINVAL, "mediator_interest", "[0, 1]");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.max_objections = 0;
    expect_refused(s, &o, TRUCE_EINVAL, "max_objections", "at least 1");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.codrafter = (long)party_index(s, "envoy");
    expect_refused(s, &o, TRUCE_EINVAL, "codrafter", "must be a principal");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.version = 99;
    expect_refused(s, &o, TRUCE_EINVAL, "options", "version 99");
    /* the informed mediator searches every outcome: a space above the limit
     * is refused, and the uninformed one still runs */
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.max_outcomes = 5;
    expect_refused(s, &o, TRUCE_ELIMIT, "max_outcomes", "use the uninformed mediator");
    o.strategy = TRUCE_MEDIATOR_UNINFORMED;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    truce_mediation_free(m);
    truce_scenario_free(s);
    /* one principal cannot hold talks */
    s = load_text("truce: 1\n"
                  "name: alone\n"
                  "issues:\n"
                  "  - {id: x, type: discrete, options: [a, b]}\n"
                  "parties:\n"
                  "  - id: north\n"
                  "    weights: {x: 1}\n"
                  "    values: {x: {a: 1, b: 0}}\n"
                  "  - id: envoy\n"
                  "    role: mediator\n");
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    expect_refused(s, &o, TRUCE_EINVAL, "parties", "at least 2 principals");
    truce_scenario_free(s);
}

static void test_duplicate_influence_entries_do_not_overflow_the_objections(void **state)
{
    (void)state;
    /* 100 identical influence entries on a one-issue scenario: each adopted
     * amendment is an objection (this overflowed a fixed-size buffer) */
    char text[16384];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "truce: 1\n"
                                "name: crowd\n"
                                "issues:\n"
                                "  - {id: x, type: discrete, options: [a, b, c]}\n"
                                "parties:\n"
                                "  - id: north\n"
                                "    weights: {x: 1}\n"
                                "    values: {x: {a: 1, b: 0.5, c: 0}}\n"
                                "  - id: south\n"
                                "    weights: {x: 1}\n"
                                "    values: {x: {a: 0, b: 0.5, c: 1}}\n"
                                "  - id: ally\n"
                                "    role: stakeholder\n"
                                "    weights: {x: 1}\n"
                                "    values: {x: {a: 0, b: 0.5, c: 1}}\n"
                                "influence:\n");
    for (int k = 0; k < 100; k++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "  - {stakeholder: ally, principal: south, weight: 1}\n");
    truce_scenario *s = load_text(text);
    for (int strategy = TRUCE_MEDIATOR_INFORMED; strategy <= TRUCE_MEDIATOR_UNINFORMED;
         strategy++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = strategy;
        truce_mediation *m = mediate_or_fail(s, &o, NULL);
        json_t *doc = mediation_report_json(m);
        json_t *answer = history_answer(doc, 0, "south");
        /* the first draft is x = a (the three options tie on the sum of the
         * principals' values and the first is kept): in each of its 100
         * entries the ally asks for c, which south wants too */
        assert_int_equal(json_array_size(json_object_get(answer, "adopted_amendments")), 100);
        /* a revision names each party that asked for the option once */
        size_t k, j, b;
        json_t *entry, *change, *name;
        json_array_foreach(json_object_get(doc, "history"), k, entry)
        {
            json_array_foreach(json_object_get(entry, "changes"), j, change)
            {
                json_t *by = json_object_get(change, "proposed_by");
                json_array_foreach(by, b, name)
                {
                    for (size_t c = b + 1; c < json_array_size(by); c++)
                        assert_string_not_equal(json_string_value(name),
                                                json_string_value(json_array_get(by, c)));
                }
            }
        }
        json_decref(doc);
        truce_mediation_free(m);
    }
    truce_scenario_free(s);
}

/* ---- an external mediator (a person at truce serve, a program) ---- */

typedef struct script {
    const truce_scenario *s;
    uint32_t calls, iterations[8];
    size_t answers[8];
    size_t first_party, second_party;
    int kinds_ok;
    int fail_at;    /* call that fails, or -1 */
    int bad_option; /* write an option out of range on that call instead */
} script;

/* The first draft (c, a); then the Nash point (a, c) on every revision. */
static int scripted(const truce_mediator_turn *turn, uint32_t *draft, void *payload)
{
    script *sc = payload;
    uint32_t k = sc->calls++;
    if (k < 8) {
        sc->iterations[k] = turn->iteration;
        sc->answers[k] = turn->n_answers;
    }
    if (k == 0 && turn->answers)
        sc->kinds_ok = 0;
    if (k > 0 && turn->n_answers == 2) {
        sc->first_party = turn->answers[0].party;
        sc->second_party = turn->answers[1].party;
        for (size_t q = 0; q < 2; q++)
            if (turn->answers[q].kind != TRUCE_REVIEW_OBJECT || turn->answers[q].veto)
                sc->kinds_ok = 0;
    }
    if ((int)k == sc->fail_at && !sc->bad_option) {
        snprintf(turn->message, turn->message_size, "%s", "the envoy left the room");
        return TRUCE_EINVAL;
    }
    draft[0] = k == 0 ? 2 : 0;
    draft[1] = k == 0 ? 0 : 2;
    if ((int)k == sc->fail_at)
        draft[0] = 7;
    return 0;
}

static void test_external_mediator_writes_the_drafts_the_engine_carries(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    /* independently: the Nash point is (a, c) (see TWO_ISSUES) */
    uint32_t nash[MAX_ISSUES];
    brute_argmax(s, nash_score, NULL, nash);
    assert_int_equal(nash[0], 0);
    assert_int_equal(nash[1], 2);
    script sc = {s, 0, {0}, {0}, 0, 0, 1, -1, 0};
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.strategy = TRUCE_MEDIATOR_EXTERNAL;
    opts.draft = scripted;
    opts.draft_payload = &sc;
    opts.max_iterations = 4;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &opts, &t);
    /* truthful principals hold out for their aspiration r + (best - r)(1 - t):
     * at t = 0.25 north wants 0.775 > 0.6; at t = 0.5 north 0.55 <= 0.6 and
     * south 0.55 <= 0.7: agreement on the third draft, the Nash point */
    assert_true(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_iterations(m), 3);
    assert_outcome_equal(s, truce_mediation_draft(m), nash);
    /* drafted once at the start and after each of the first two iterations */
    assert_int_equal(sc.calls, 3);
    assert_int_equal(sc.iterations[0], 0);
    assert_int_equal(sc.answers[0], 0);
    assert_int_equal(sc.iterations[1], 1);
    assert_int_equal(sc.answers[1], 2);
    assert_int_equal(sc.iterations[2], 2);
    assert_true(sc.kinds_ok);
    assert_int_equal(sc.first_party, party_index(s, "north"));
    assert_int_equal(sc.second_party, party_index(s, "south"));
    /* the trace: the external strategy, its first draft, its drafts carried
     * from the envoy to each principal, its changes recorded clause by clause */
    assert_non_null(strstr(t.data, "\"strategy\":\"external\""));
    assert_non_null(strstr(t.data, "\"first_draft\":{\"x\":\"c\",\"y\":\"a\"}"));
    assert_non_null(strstr(
        t.data, "{\"type\":\"draft\",\"iteration\":0,\"outcome\":{\"x\":\"c\",\"y\":\"a\"}"));
    assert_non_null(strstr(
        t.data, "{\"type\":\"draft\",\"iteration\":1,\"outcome\":{\"x\":\"a\",\"y\":\"c\"}"));
    assert_non_null(strstr(t.data, "\"from\":\"envoy\",\"to\":\"north\""));
    assert_non_null(strstr(t.data, "\"from\":\"envoy\",\"to\":\"south\""));
    assert_non_null(strstr(t.data, "{\"issue\":\"x\",\"from\":\"c\",\"to\":\"a\""));
    assert_non_null(strstr(t.data, "\"why\":\"the mediator's revision\""));
    free(t.data);
    truce_mediation_free(m);
    /* without agreement, nobody is asked for a draft after the last iteration */
    sc = (script){s, 0, {0}, {0}, 0, 0, 1, -1, 0};
    opts.max_iterations = 1;
    opts.trace = NULL;
    m = mediate_or_fail(s, &opts, NULL);
    assert_false(truce_mediation_agreement(m));
    assert_string_equal(truce_mediation_end(m), "limit");
    assert_int_equal(sc.calls, 1);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_a_failing_external_mediator_is_at_fault(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.strategy = TRUCE_MEDIATOR_EXTERNAL;
    opts.draft = scripted;
    for (int bad = 0; bad <= 1; bad++)
        for (int at = 0; at <= 1; at++) {
            script sc = {s, 0, {0}, {0}, 0, 0, 1, at, bad};
            opts.draft_payload = &sc;
            trace_buf t;
            truce_mediation *m = mediate_or_fail(s, &opts, &t);
            assert_string_equal(truce_mediation_end(m), "fault");
            assert_int_equal(truce_mediation_fault(m), (long)party_index(s, "envoy"));
            assert_int_equal(truce_mediation_iterations(m), (uint32_t)at);
            const char *reason = truce_mediation_reason(m);
            if (!strstr(reason, "the mediator envoy failed: ") ||
                !strstr(reason, bad ? "invalid draft: option 7 out of range for issue 'x'"
                                    : "the envoy left the room"))
                fail_msg("reason: %s", reason);
            /* the trace still starts and ends */
            assert_non_null(strstr(t.data, "{\"type\":\"start\""));
            assert_non_null(strstr(t.data, "{\"type\":\"end\",\"end\":\"fault\""));
            free(t.data);
            truce_mediation_free(m);
        }
    truce_scenario_free(s);
    /* a neutral mediator at fault is nobody's party */
    s = load_text(NEUTRAL_TWO);
    script sc = {s, 0, {0}, {0}, 0, 0, 1, 0, 0};
    opts.draft_payload = &sc;
    opts.trace = NULL;
    truce_mediation *m = mediate_or_fail(s, &opts, NULL);
    assert_string_equal(truce_mediation_end(m), "fault");
    assert_int_equal(truce_mediation_fault(m), -1);
    assert_non_null(strstr(truce_mediation_reason(m), "the mediator mediator failed"));
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_the_external_strategy_needs_its_callback_and_version_1_still_runs(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.strategy = TRUCE_MEDIATOR_EXTERNAL;
    truce_mediation *m = NULL;
    truce_error err;
    assert_int_equal(truce_mediate(&m, s, &opts, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "drafting callback"));
    /* a caller built against version 1 knows no callback: it is never read */
    opts.version = 1;
    assert_int_equal(truce_mediate(&m, s, &opts, &err), TRUCE_EINVAL);
    opts.strategy = TRUCE_MEDIATOR_INFORMED;
    opts.draft = (truce_mediator_fn)(uintptr_t)1; /* garbage past a version 1 struct */
    assert_int_equal(truce_mediate(&m, s, &opts, &err), 0);
    assert_true(truce_mediation_agreement(m));
    truce_mediation_free(m);
    /* a caller built against version 2 knows no deadline in seconds: never read */
    opts = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    opts.version = 2;
    opts.max_seconds = -1;
    opts.clock = (double (*)(void *))(uintptr_t)1;
    assert_int_equal(truce_mediate(&m, s, &opts, &err), 0);
    assert_true(truce_mediation_agreement(m));
    truce_mediation_free(m);
    /* version 3 reads it, and refuses a negative one */
    opts = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    opts.max_seconds = -1;
    assert_int_equal(truce_mediate(&m, s, &opts, &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "max_seconds");
    opts.version = TRUCE_MEDIATION_OPTIONS_VERSION + 1; /* a version from the future */
    opts.max_seconds = 0;
    assert_int_equal(truce_mediate(&m, s, &opts, &err), TRUCE_EINVAL);
    char future[32];
    snprintf(future, sizeof future, "version %d", TRUCE_MEDIATION_OPTIONS_VERSION + 1);
    assert_non_null(strstr(err.message, future));
    truce_scenario_free(s);
}

/* ---- a deadline in seconds (a person at truce serve takes time) ---- */

/* A clock the test moves: the drafting or reviewing callbacks advance it. */
typedef struct fake_clock {
    double now;
    double per_draft, per_review; /* seconds each draft, each review takes */
    uint32_t drafts, reviews;
    int beats[8][2]; /* beats_batna of the answers each revision heard, -1 none */
} fake_clock;

static double read_fake_clock(void *payload)
{
    return ((fake_clock *)payload)->now;
}

/* Drafts (c, a) first, then the Nash point (a, c); each takes per_draft seconds. */
static int slow_drafter(const truce_mediator_turn *turn, uint32_t *draft, void *payload)
{
    fake_clock *c = payload;
    uint32_t k = c->drafts++;
    c->now += c->per_draft;
    if (k < 8)
        for (size_t q = 0; q < 2; q++)
            c->beats[k][q] = q < turn->n_answers ? turn->answers[q].beats_batna : -1;
    draft[0] = k == 0 ? 2 : 0;
    draft[1] = k == 0 ? 0 : 2;
    return 0;
}

static int slow_review(void *state, const truce_draft *draft, truce_review *answer, void *payload)
{
    (void)state;
    (void)draft;
    fake_clock *c = payload;
    c->reviews++;
    c->now += c->per_review;
    answer->kind = TRUCE_REVIEW_ACCEPT;
    return 0;
}

static int review_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)state;
    (void)setup;
    (void)err;
    (void)payload;
    return 0;
}

static void test_a_deadline_in_seconds_ends_the_talks_without_agreement(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    /* without a deadline the drafter reaches agreement on its second draft at
     * iteration 3 (test_external_mediator_writes_the_drafts_the_engine_carries);
     * each draft now takes 1 s of a 1.5 s deadline: the first comes at 1 s,
     * the revision after iteration 1 at 2 s, too late */
    fake_clock c = {0};
    c.per_draft = 1;
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.strategy = TRUCE_MEDIATOR_EXTERNAL;
    opts.draft = slow_drafter;
    opts.draft_payload = &c;
    opts.max_iterations = 4;
    opts.max_seconds = 1.5;
    opts.clock = read_fake_clock;
    opts.clock_payload = &c;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &opts, &t);
    assert_string_equal(truce_mediation_end(m), "deadline");
    assert_false(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_iterations(m), 1);
    assert_int_equal(c.drafts, 2);
    assert_string_equal(truce_mediation_reason(m),
                        "the deadline of 1.5 s passed in iteration 1 (waiting for the mediator's "
                        "revision) before every principal accepted");
    /* the trace: the deadline in the start record, both answers of iteration
     * 0, no revision (it came too late), and the end says why */
    assert_non_null(strstr(t.data, "\"seconds\":1.5"));
    assert_non_null(strstr(t.data, "\"iteration\":0,\"answer\":"));
    assert_null(strstr(t.data, "\"type\":\"revision\""));
    assert_non_null(strstr(t.data, "{\"type\":\"end\",\"end\":\"deadline\",\"agreement\":false"));
    free(t.data);
    truce_mediation_free(m);

    /* the first draft itself too late: no iteration at all */
    c = (fake_clock){0};
    c.per_draft = 2;
    opts.trace = NULL;
    m = mediate_or_fail(s, &opts, NULL);
    assert_string_equal(truce_mediation_end(m), "deadline");
    assert_int_equal(truce_mediation_iterations(m), 0);
    assert_non_null(strstr(truce_mediation_reason(m), "waiting for the mediator's first draft"));
    truce_mediation_free(m);

    /* an answer after the deadline is too late too, even an acceptance: both
     * principals answer through an agent that accepts after 1 s; north's
     * answer comes at 1 s (< 1.5), south's at 2 s */
    size_t n = truce_scenario_party_count(s);
    truce_agent_class cls = {"slow", 1, NULL, review_init, NULL, NULL, &c, NULL, NULL, slow_review};
    truce_agent_spec *specs = calloc(n, sizeof *specs);
    assert_non_null(specs);
    specs[party_index(s, "north")] = (truce_agent_spec){&cls, NULL};
    specs[party_index(s, "south")] = (truce_agent_spec){&cls, NULL};
    c = (fake_clock){0};
    c.per_review = 1;
    opts = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    opts.agents = specs;
    opts.max_seconds = 1.5;
    opts.clock = read_fake_clock;
    opts.clock_payload = &c;
    m = mediate_or_fail(s, &opts, &t);
    assert_string_equal(truce_mediation_end(m), "deadline");
    assert_false(truce_mediation_agreement(m));
    assert_int_equal(c.reviews, 2);
    assert_non_null(strstr(truce_mediation_reason(m), "waiting for an answer"));
    assert_non_null(strstr(t.data, "\"from\":\"north\""));
    assert_null(strstr(t.data, "\"from\":\"south\""));
    free(t.data);
    truce_mediation_free(m);
    /* the same agents with time to spare agree at once */
    c = (fake_clock){0};
    c.per_review = 1;
    opts.max_seconds = 10;
    opts.trace = NULL;
    m = mediate_or_fail(s, &opts, NULL);
    assert_string_equal(truce_mediation_end(m), "agreement");
    truce_mediation_free(m);
    free(specs);
    truce_scenario_free(s);
}

static void test_the_deadline_clock_moves_the_time_principals_see(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    /* the first draft (c, a) gives north 0.4 and south 0.3. A truthful
     * principal accepts at or above its aspiration r + (best - r)(1 - t),
     * r = 0.1, best = 1. By iterations (t = 0 of 4) north holds out for 1;
     * with the first draft taking 1 s of a 1.5 s deadline, t = 2/3 and north
     * holds out for 0.1 + 0.9 / 3 = 0.4: it accepts; south (0.3) objects */
    fake_clock c = {0};
    c.per_draft = 1;
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.strategy = TRUCE_MEDIATOR_EXTERNAL;
    opts.draft = slow_drafter;
    opts.draft_payload = &c;
    opts.max_iterations = 4;
    opts.max_seconds = 1.5;
    opts.clock = read_fake_clock;
    opts.clock_payload = &c;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &opts, &t);
    assert_non_null(strstr(t.data, "\"to\":\"envoy\""));
    const char *north =
        strstr(t.data, "{\"type\":\"answer\",\"iteration\":0,\"answer\":\"accept\"");
    const char *south =
        strstr(t.data, "{\"type\":\"answer\",\"iteration\":0,\"answer\":\"object\"");
    assert_non_null(north);
    assert_non_null(south);
    assert_true(north < south);
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_the_external_mediator_hears_whether_each_draft_beats_each_batna(void **state)
{
    (void)state;
    /* north's BATNA 0.5: the first draft (c, a) gives it 0.4, not above; south
     * 0.3 against 0.1. The Nash point (a, c) gives north 0.6 > 0.5 and south
     * 0.7 > 0.1: the revision after iteration 0 hears north "no", south "yes" */
    truce_scenario *s = two_issues((two_issues_spec){.north_reservation = "0.5"});
    fake_clock c = {0};
    truce_mediation_options opts = TRUCE_MEDIATION_OPTIONS_INIT;
    opts.strategy = TRUCE_MEDIATOR_EXTERNAL;
    opts.draft = slow_drafter;
    opts.draft_payload = &c;
    opts.max_iterations = 3;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &opts, &t);
    assert_true(c.drafts >= 2);
    assert_int_equal(c.beats[0][0], -1); /* the first draft hears nothing */
    assert_int_equal(c.beats[1][0], 0);  /* north: 0.4 <= 0.5 */
    assert_int_equal(c.beats[1][1], 1);  /* south: 0.3 > 0.1 */
    /* as the trace says it */
    assert_non_null(strstr(t.data, "\"reservation\":0.5,\"beats_batna\":false"));
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* ---- stakeholder influence under the informed mediator ---- */

/* north and south over x (lo, mid, hi) and z (closed, open), reservation 0.1 each; the ally
 * (reservation 0) cares only that z is open and influences south with weight 0.5. By hand
 * (north 0.8 x + 0.2 z, south 0.9 x + 0.1 z):
 *   (mid, closed): north 0.6, south 0.55, ally 0: product of gains 0.5 x 0.45 = 0.225
 *   (mid, open):   north 0.4, south 0.5,  ally 1: 0.3 x 0.4 = 0.12; south values it
 *                  0.5 + 0.5 x (1 - 0) = 1.0: 0.3 x 0.9 = 0.27
 *   (hi, closed):  0.2, 1.0: 0.09;  (lo, open): south 0.05, not above its BATNA
 * so the Nash point moves from (mid, closed) to (mid, open) under the influence. The brute
 * force below recomputes it from truce_utility alone. */
static const char INFLUENCED[] = "truce: 1\n"
                                 "name: influenced\n"
                                 "issues:\n"
                                 "  - {id: x, type: discrete, options: [lo, mid, hi]}\n"
                                 "  - {id: z, type: discrete, options: [closed, open]}\n"
                                 "parties:\n"
                                 "  - id: north\n"
                                 "    weights: {x: 0.8, z: 0.2}\n"
                                 "    values: {x: {lo: 1, mid: 0.5, hi: 0},\n"
                                 "             z: {closed: 1, open: 0}}\n"
                                 "    reservation: 0.1\n"
                                 "  - id: south\n"
                                 "    weights: {x: 0.9, z: 0.1}\n"
                                 "    values: {x: {lo: 0, mid: 0.5, hi: 1},\n"
                                 "             z: {closed: 1, open: 0.5}}\n"
                                 "    reservation: 0.1\n"
                                 "  - id: ally\n"
                                 "    role: stakeholder\n"
                                 "    weights: {z: 1}\n"
                                 "    values: {z: {closed: 0, open: 1}}\n"
                                 "    reservation: 0\n"
                                 "%s"
                                 "influence:\n"
                                 "  - {stakeholder: ally, principal: south, weight: 0.5}\n";

/* The outcome maximising the product of (valued - r) over north and south, each also above its
 * BATNA on its own utility, south valuing with weight w on the ally's gain. */
static void brute_influenced_nash(const truce_scenario *s, double w, uint32_t *best)
{
    double top = -1;
    for (uint32_t x = 0; x < 3; x++)
        for (uint32_t z = 0; z < 2; z++) {
            uint32_t o[2] = {x, z};
            double un = truce_utility(s, 0, o), us = truce_utility(s, 1, o);
            double vs = us + w * (truce_utility(s, 2, o) - 0);
            if (!(un > 0.1 && us > 0.1 && vs > 0.1))
                continue;
            double product = (un - 0.1) * (vs - 0.1);
            if (product > top) {
                top = product;
                memcpy(best, o, sizeof o);
            }
        }
}

static void test_influence_moves_the_informed_mediators_deal_as_brute_force_says(void **state)
{
    (void)state;
    char text[4096];
    snprintf(text, sizeof text, INFLUENCED, "");
    truce_scenario *s = load_text(text);
    uint32_t with[2], without[2];
    brute_influenced_nash(s, 0.5, with);
    brute_influenced_nash(s, 0, without);
    /* the hand computation above */
    assert_int_equal(with[0], 1);
    assert_int_equal(with[1], 1);
    assert_int_equal(without[0], 1);
    assert_int_equal(without[1], 0);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    trace_buf t;
    truce_mediation *m = mediate_or_fail(s, &o, &t);
    assert_true(truce_mediation_agreement(m));
    assert_memory_equal(truce_mediation_draft(m), with, sizeof with);
    /* south's answers carry how it values the draft: 0.5 + 0.5 x 1 on the agreement */
    assert_non_null(strstr(t.data, "\"answer\":\"accept\",\"utility\":0.5,"));
    assert_non_null(strstr(t.data, "\"valued\":1.0"));
    free(t.data);
    truce_mediation_free(m);
    truce_scenario_free(s);
    /* an influence without a channel has no effect: the deal of no influence */
    snprintf(text, sizeof text, INFLUENCED, "channels:\n  - [north, south]\n");
    s = load_text(text);
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    m = mediate_or_fail(s, &o, NULL);
    assert_true(truce_mediation_agreement(m));
    assert_memory_equal(truce_mediation_draft(m), without, sizeof without);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* The final text, by hand (docs/mediation.md, "The final text"). With the
 * envoy's default weights the first draft is (c, a): north 0.6 x 0 + 0.4 x 1
 * = 0.4, south 0.3 x 1 + 0.7 x 0 = 0.3, both above their BATNAs 0.1 and far
 * below what they hold out for at t = 0 (their best, 1).
 * - One iteration: the uninformed mediator's first draft is also its last,
 *   put to the vote as final; every responder strategy signs a final text
 *   that beats its BATNA: agreement on (c, a) after 1 iteration. The
 *   informed mediator asks no binding vote: both object (0.4 and 0.3 < 1),
 *   no agreement.
 * - North's BATNA 0.45: 0.4 is not above it, north refuses the final text,
 *   no agreement; the talks end on that text (no revision after it).
 * - Two iterations, envoy 0.5/0.5, north's BATNA 0.3 (the probing test's
 *   talks): (c, c) at iteration 0 (north 0, below, objects; south 1
 *   accepts), which the search revises to (a, a) as there. But the final
 *   text is the draft with the most support: (c, c) has south's acceptance
 *   (1), (a, a) nobody's answer yet (0), so the mediator keeps (c, c) (its
 *   revision has no changes). At iteration 1, final: north 0 is not above
 *   0.3 and refuses, south signs: no agreement, outcome (c, c), and only
 *   iteration 1's record is marked final. */
static void test_the_uninformed_mediator_puts_its_last_draft_to_a_binding_vote(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){0});
    const int responders[] = {TRUCE_RESPONDER_TRUTHFUL, TRUCE_RESPONDER_STRATEGIC,
                              TRUCE_RESPONDER_EXAGGERATE, TRUCE_RESPONDER_ANCHOR};
    uint32_t ca[2] = {2, 0};
    for (size_t r = 0; r < sizeof responders / sizeof *responders; r++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = TRUCE_MEDIATOR_UNINFORMED;
        o.responder = responders[r];
        o.max_iterations = 1;
        truce_mediation *m = mediate_or_fail(s, &o, NULL);
        assert_true(truce_mediation_agreement(m));
        assert_int_equal(truce_mediation_iterations(m), 1);
        assert_outcome_equal(s, truce_mediation_draft(m), ca);
        json_t *doc = mediation_report_json(m);
        json_t *entry = json_array_get(json_object_get(doc, "history"), 0);
        assert_true(json_is_true(json_object_get(entry, "final")));
        assert_string_equal(
            json_string_value(json_object_get(history_answer(doc, 0, "north"), "answer")),
            "accept");
        json_decref(doc);
        truce_mediation_free(m);
        o.strategy = TRUCE_MEDIATOR_INFORMED;
        m = mediate_or_fail(s, &o, NULL);
        assert_false(truce_mediation_agreement(m));
        truce_mediation_free(m);
    }
    truce_scenario_free(s);

    s = two_issues((two_issues_spec){.north_reservation = "0.45"});
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = TRUCE_MEDIATOR_UNINFORMED;
    o.responder = TRUCE_RESPONDER_STRATEGIC;
    o.max_iterations = 1;
    truce_mediation *m = mediate_or_fail(s, &o, NULL);
    assert_false(truce_mediation_agreement(m));
    assert_outcome_equal(s, truce_mediation_draft(m), ca);
    json_t *doc = mediation_report_json(m);
    assert_string_equal(
        json_string_value(json_object_get(history_answer(doc, 0, "north"), "answer")), "object");
    assert_string_equal(
        json_string_value(json_object_get(history_answer(doc, 0, "south"), "answer")), "accept");
    assert_string_equal(truce_mediation_reason(m),
                        "north refuses the final text: it gives it 0.400, not above its BATNA "
                        "0.450");
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);

    s = two_issues(
        (two_issues_spec){.north_reservation = "0.3", .envoy_x = "0.5", .envoy_y = "0.5"});
    o = (truce_mediation_options)TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = TRUCE_MEDIATOR_UNINFORMED;
    o.max_iterations = 2;
    m = mediate_or_fail(s, &o, NULL);
    assert_false(truce_mediation_agreement(m));
    assert_int_equal(truce_mediation_iterations(m), 2);
    uint32_t cc[2] = {2, 2};
    assert_outcome_equal(s, truce_mediation_draft(m), cc);
    assert_string_equal(truce_mediation_reason(m),
                        "north refuses the final text: it gives it 0.000, not above its BATNA "
                        "0.300");
    doc = mediation_report_json(m);
    json_t *history = json_object_get(doc, "history");
    assert_null(json_object_get(json_array_get(history, 0), "final"));
    assert_true(json_is_true(json_object_get(json_array_get(history, 1), "final")));
    assert_int_equal(json_array_size(json_object_get(json_array_get(history, 0), "changes")), 0);
    assert_int_equal(json_array_size(json_object_get(json_array_get(history, 1), "changes")), 0);
    assert_string_equal(
        json_string_value(json_object_get(history_answer(doc, 0, "south"), "answer")), "accept");
    assert_string_equal(
        json_string_value(json_object_get(history_answer(doc, 1, "north"), "answer")), "object");
    assert_string_equal(
        json_string_value(json_object_get(history_answer(doc, 1, "south"), "answer")), "accept");
    json_decref(doc);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

/* Every "keeps a principal at the table" change in a report, checked
 * against the rule from the answers themselves: one such change a revision,
 * to an option its principal asked for in that iteration's answer, by a
 * principal that said the last `patience` drafts in a row were no better than
 * its BATNA, and no other change of that revision grants it anything it
 * asked for. Returns how many there were. */
static size_t check_kept_at_table(json_t *doc, size_t patience)
{
    json_t *history = json_object_get(doc, "history"), *entry;
    size_t it, kept = 0;
    json_array_foreach(history, it, entry)
    {
        json_t *changes = json_object_get(entry, "changes"), *c;
        size_t q, here = 0;
        json_array_foreach(changes, q, c)
        {
            if (strcmp(json_string_value(json_object_get(c, "why")),
                       "keeps a principal at the table"))
                continue;
            here++;
            const char *issue = json_string_value(json_object_get(c, "issue"));
            const char *to = json_string_value(json_object_get(c, "to"));
            /* whose ask it is */
            const char *who = NULL;
            size_t k;
            json_t *a;
            json_array_foreach(json_object_get(entry, "answers"), k, a)
            {
                size_t b;
                json_t *ob;
                json_array_foreach(json_object_get(a, "objections"), b, ob)
                {
                    if (!strcmp(json_string_value(json_object_get(ob, "issue")), issue) &&
                        !strcmp(json_string_value(json_object_get(ob, "proposed")), to))
                        who = json_string_value(json_object_get(a, "from"));
                }
            }
            assert_non_null(who);
            assert_true(it + 1 >= patience);
            for (size_t j = it + 1 - patience; j <= it; j++)
                assert_true(
                    json_is_false(json_object_get(history_answer(doc, j, who), "beats_batna")));
            /* nothing else it asked for granted by this revision */
            size_t r;
            json_t *other;
            json_array_foreach(changes, r, other)
            {
                if (r == q)
                    continue;
                size_t b;
                json_t *ob;
                json_array_foreach(json_object_get(history_answer(doc, it, who), "objections"), b,
                                   ob)
                {
                    assert_false(!strcmp(json_string_value(json_object_get(ob, "issue")),
                                         json_string_value(json_object_get(other, "issue"))) &&
                                 !strcmp(json_string_value(json_object_get(ob, "proposed")),
                                         json_string_value(json_object_get(other, "to"))));
                }
            }
        }
        assert_true(here <= 1);
        kept += here;
    }
    return kept;
}

/* Keeping a principal at the table, by hand (docs/mediation.md). North's
 * BATNA 0.65, south's 0.1. Exaggerating responders claim every draft they
 * object to is below their BATNA. At (a, c) north truly is (0.6 x 1 + 0.4 x
 * 0 = 0.6), south is not (0.3 x 0 + 0.7 x 1 = 0.7); at (c, a) north has 0.4,
 * south 0.3. North walks away once it has been below for more than
 * `patience` (5) drafts with no progress: the mediator before these rules
 * kept (a, c) from iteration 1 on and north walked away at iteration 7.
 * Now principals "below" two drafts running are relieved (the reliefs of one
 * revision never take from each other) and, after `patience` such answers
 * with none of its asks granted, a principal is granted a clause it asked
 * for; nobody walks away: the talks run to the final text (iteration 50).
 * Every "keeps a principal at the table" grant is checked against its rule
 * by check_kept_at_table (at least one fires). The final text is voted on
 * truthfully: each principal accepts it exactly when its utility (computed
 * here by hand from the weights) is above its BATNA. The zone is not empty:
 * (a, b) gives north 0.6 + 0.2 = 0.8 and south 0.42, but the mediator's
 * final text is not in it (exaggerated claims hide it; docs, what is left). */
static void test_the_uninformed_mediator_keeps_a_principal_at_the_table(void **state)
{
    (void)state;
    truce_scenario *s = two_issues((two_issues_spec){.north_reservation = "0.65"});
    const int responders[] = {TRUCE_RESPONDER_EXAGGERATE, TRUCE_RESPONDER_STRATEGIC};
    for (size_t r = 0; r < 2; r++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = TRUCE_MEDIATOR_UNINFORMED;
        o.responder = responders[r];
        truce_mediation *m = mediate_or_fail(s, &o, NULL);
        assert_int_equal(truce_mediation_iterations(m), 50);
        assert_string_not_equal(truce_mediation_end(m), "breakdown");
        json_t *doc = mediation_report_json(m);
        assert_true(check_kept_at_table(doc, 5) >= 1);
        json_t *history = json_object_get(doc, "history");
        size_t it, q, reliefs = 0;
        json_t *entry, *c;
        json_array_foreach(history, it, entry)
        {
            json_array_foreach(json_object_get(entry, "changes"), q, c)
            {
                reliefs += !strcmp(json_string_value(json_object_get(c, "why")),
                                   "relieves a principal near walking away");
            }
        }
        assert_true(reliefs >= 1);
        /* the final text, answered by the BATNAs */
        json_t *last = json_array_get(history, 49);
        assert_true(json_is_true(json_object_get(last, "final")));
        json_t *d = json_object_get(last, "draft");
        const char *x = json_string_value(json_object_get(d, "x"));
        const char *y = json_string_value(json_object_get(d, "y"));
        double nx[3] = {1, 0.6, 0}, ny[3] = {1, 0.5, 0}, sx[3] = {0, 0.7, 1}, sy[3] = {0, 0.6, 1};
        double un = 0.6 * nx[x[0] - 'a'] + 0.4 * ny[y[0] - 'a'];
        double us = 0.3 * sx[x[0] - 'a'] + 0.7 * sy[y[0] - 'a'];
        assert_string_equal(
            json_string_value(json_object_get(history_answer(doc, 49, "north"), "answer")),
            un > 0.65 ? "accept" : "object");
        assert_string_equal(
            json_string_value(json_object_get(history_answer(doc, 49, "south"), "answer")),
            us > 0.1 ? "accept" : "object");
        assert_int_equal(truce_mediation_agreement(m), un > 0.65 && us > 0.1);
        json_decref(doc);
        truce_mediation_free(m);
    }
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_informed_mediator_agrees_on_the_nash_point_found_by_brute_force),
        cmocka_unit_test(test_first_draft_is_the_codrafters_best_and_talks_still_reach_nash),
        cmocka_unit_test(test_ks_target_steers_to_the_kalai_smorodinsky_point),
        cmocka_unit_test(test_full_mediator_interest_steers_to_its_best_acceptable_draft),
        cmocka_unit_test(test_veto_names_the_hard_condition_and_the_revision_fixes_that_clause),
        cmocka_unit_test(test_amendment_is_adopted_when_its_influence_weighted_value_is_positive),
        cmocka_unit_test(test_amendment_is_rejected_when_its_influence_weighted_value_is_negative),
        cmocka_unit_test(test_breakdown_when_a_batna_beats_every_draft_the_hard_conditions_allow),
        cmocka_unit_test(test_breakdown_without_hard_conditions_names_the_batna),
        cmocka_unit_test(test_walk_away_waits_patience_drafts_once_the_batna_overtakes_the_draft),
        cmocka_unit_test(test_mediator_without_a_channel_to_a_principal_is_refused_naming_both),
        cmocka_unit_test(test_stakeholder_without_a_channel_sends_no_amendment),
        cmocka_unit_test(
            test_direct_talks_refuse_principals_without_a_channel_and_suggest_mediation),
        cmocka_unit_test(test_trace_is_byte_identical_per_seed_and_every_message_names_its_parties),
        cmocka_unit_test(test_failing_trace_callback_is_an_io_error),
        cmocka_unit_test(test_seed_talks_run_along_the_channels_with_eu_amendments_through_ukraine),
        cmocka_unit_test(test_seed_nash_distance_is_measured_to_the_brute_force_nash_point),
        cmocka_unit_test(test_an_agent_accepting_a_draft_its_party_vetoes_is_at_fault),
        cmocka_unit_test(test_uninformed_mediator_grants_both_objections_as_a_package_and_agrees),
        cmocka_unit_test(test_uninformed_mediator_finds_the_middle_option_both_objections_allow),
        cmocka_unit_test(
            test_uninformed_mediator_concludes_there_is_no_zone_when_vetoes_rule_out_every_option),
        cmocka_unit_test(test_a_veto_and_an_amendment_on_one_clause_make_one_objection),
        cmocka_unit_test(test_uninformed_mediator_agrees_on_seed_variants_with_a_zone),
        cmocka_unit_test(test_uninformed_mediator_agrees_on_the_historical_cases),
        cmocka_unit_test(test_uninformed_mediator_agrees_where_a_principal_used_to_walk_away),
        cmocka_unit_test(test_the_seed_drives_the_tie_breaks_and_reproduces_to_the_byte),
        cmocka_unit_test(test_responder_noise_is_drawn_by_the_seed_and_off_by_default),
        cmocka_unit_test(
            test_generated_scenarios_have_a_zone_and_the_mediators_respect_hard_conditions),
        cmocka_unit_test(test_strategic_responders_anchor_and_hold_out_longer_than_truthful_ones),
        cmocka_unit_test(test_exaggerating_and_anchoring_responders_each_do_one_half_of_strategic),
        cmocka_unit_test(test_uninformed_mediator_probes_the_widest_tolerance_bracket_by_bisection),
        cmocka_unit_test(test_uninformed_mediator_flags_gains_that_add_up_to_more_than_one),
        cmocka_unit_test(test_principals_object_to_at_most_max_objections_clauses_of_their_own),
        cmocka_unit_test(test_bad_options_are_refused_with_a_clear_error),
        cmocka_unit_test(test_duplicate_influence_entries_do_not_overflow_the_objections),
        cmocka_unit_test(test_external_mediator_writes_the_drafts_the_engine_carries),
        cmocka_unit_test(test_a_failing_external_mediator_is_at_fault),
        cmocka_unit_test(test_the_external_strategy_needs_its_callback_and_version_1_still_runs),
        cmocka_unit_test(test_a_deadline_in_seconds_ends_the_talks_without_agreement),
        cmocka_unit_test(test_the_deadline_clock_moves_the_time_principals_see),
        cmocka_unit_test(test_the_external_mediator_hears_whether_each_draft_beats_each_batna),
        cmocka_unit_test(test_influence_moves_the_informed_mediators_deal_as_brute_force_says),
        cmocka_unit_test(test_the_uninformed_mediator_puts_its_last_draft_to_a_binding_vote),
        cmocka_unit_test(test_the_uninformed_mediator_keeps_a_principal_at_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
