/* test_timedep.c: the time-dependent family in GENIUS mode (GENIUS clock, bid=nearest,
 * floor=none, GENIUS or index ties) against a re-implementation of GENIUS 10.4's
 * TimeDependentAgent sessions written here from docs/agents.md, offer by offer. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* ---- the reference: one party's outcomes in GENIUS's sorted order ---- */

typedef struct reference {
    const truce_scenario *s;
    size_t party;
    uint64_t n;
    uint64_t *order; /* outcome indices, best first */
    double *u;       /* their utilities */
    double pmin, pmax;
} reference;

typedef struct sort_item {
    double u;
    int32_t key;
    uint64_t index;
} sort_item;

static int by_genius_order(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    if (a->u > b->u)
        return -1;
    if (a->u < b->u)
        return 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Java's String.hashCode over UTF-16 code units, from a UTF-8 label. */
static int32_t java_hash(const char *label)
{
    uint32_t h = 0;
    size_t len = strlen(label);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)label[i];
        uint32_t cp;
        size_t more;
        if (c < 0x80) {
            cp = c;
            more = 0;
        } else if (c >> 5 == 6) {
            cp = c & 0x1F;
            more = 1;
        } else if (c >> 4 == 14) {
            cp = c & 0x0F;
            more = 2;
        } else {
            cp = c & 0x07;
            more = 3;
        }
        for (size_t k = 1; k <= more; k++)
            cp = cp << 6 | ((unsigned char)label[i + k] & 0x3F);
        i += more + 1;
        if (cp > 0xFFFF) {
            uint32_t v = cp - 0x10000;
            h = h * 31 + (0xD800 | v >> 10);
            h = h * 31 + (0xDC00 | (v & 0x3FF));
        } else {
            h = h * 31 + cp;
        }
    }
    return (int32_t)h;
}

/* BidDetails(bid, u, -1).hashCode(): 31 (31 (31 + bid hash) + hash(u)) + hash(-1.0), where a
 * bid's hash is the sum of its values' hashes (a discrete value: its label's; an integer: 0)
 * and a double's hash folds the halves of its bits. */
static int32_t bid_details_hash(const truce_scenario *s, const uint32_t *o, double u)
{
    int32_t bid = 0;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        if (truce_issue_kind_of(s, i) != TRUCE_ISSUE_DISCRETE)
            continue;
        char label[1024];
        truce_issue_option_label(s, i, o[i], label, sizeof label);
        bid = (int32_t)((uint32_t)bid + (uint32_t)java_hash(label));
    }
    union {
        double d;
        uint64_t bits;
    } a = {u}, b = {-1.0};
    uint32_t fold_u = (uint32_t)(a.bits ^ a.bits >> 32), fold_m = (uint32_t)(b.bits ^ b.bits >> 32);
    uint32_t h = 31u * (31u * (31u + (uint32_t)bid) + fold_u) + fold_m;
    return (int32_t)h;
}

static void reference_build(reference *r, const truce_scenario *s, size_t party, int genius_ties)
{
    r->s = s;
    r->party = party;
    r->n = 1;
    size_t ni = truce_scenario_issue_count(s);
    for (size_t i = 0; i < ni; i++)
        r->n *= truce_issue_option_count(s, i);
    sort_item *items = malloc(r->n * sizeof *items);
    r->order = malloc(r->n * sizeof *r->order);
    r->u = malloc(r->n * sizeof *r->u);
    uint32_t *o = calloc(ni ? ni : 1, sizeof *o);
    assert_true(items && r->order && r->u && o);
    for (uint64_t x = 0; x < r->n; x++) {
        outcome_from_index(s, x, o);
        items[x].u = truce_utility(s, party, o);
        items[x].key = genius_ties ? bid_details_hash(s, o, items[x].u) : 0;
        items[x].index = x;
    }
    qsort(items, r->n, sizeof *items, by_genius_order);
    for (uint64_t k = 0; k < r->n; k++) {
        r->order[k] = items[k].index;
        r->u[k] = items[k].u;
    }
    /* TimeDependentAgent: Pmax the best utility, Pmin the larger of the worst and the
     * reservation value */
    double rv = truce_party_reservation(s, party);
    r->pmax = r->u[0];
    r->pmin = r->u[r->n - 1] > rv ? r->u[r->n - 1] : rv;
    free(items);
    free(o);
}

static void reference_free(reference *r)
{
    free(r->order);
    free(r->u);
}

/* docs/agents.md#bids: bisect the descending list, stopping at a probe equal to the target;
 * otherwise the search ends on the last outcome above the target. The next outcome replaces
 * it when strictly nearer. Returns a position in the sorted list. */
static uint64_t reference_nearest(const reference *r, double target)
{
    long long low = 0, high = (long long)r->n - 1, probe = -1, last;
    uint64_t at = 0;
    for (;;) {
        last = probe;
        probe = (low + high) / 2;
        if (probe == last) {
            at = (uint64_t)probe;
            break;
        }
        if (r->u[probe] == target) {
            at = (uint64_t)probe;
            break;
        }
        if (r->u[probe] < target)
            high = probe;
        else
            low = probe;
    }
    if (at + 1 < r->n && fabs(r->u[at + 1] - target) < fabs(r->u[at] - target))
        at++;
    return at;
}

/* p(t) = Pmin + (Pmax - Pmin)(1 - t^(1/e)) (k = 0). */
static double reference_target(const reference *r, double e, double t)
{
    double f = e == 0 ? 0 : pow(t, 1 / e);
    return r->pmin + (r->pmax - r->pmin) * (1 - f);
}

/* One action of the reference session. */
typedef struct action {
    int accept;
    size_t actor;
    uint64_t round;
    uint64_t outcome; /* index; the standing offer for an accept */
} action;

/* A whole session: party 0 opens; every party of round r sees t = r/(N+1); a party with an
 * offer standing accepts it when its utility is at least that of the bid it would make now
 * (no reservation floor), else offers that bid. Returns the number of actions. */
static size_t reference_session(const reference ref[2], const double e[2], uint64_t N, action *out,
                                size_t max)
{
    size_t n = 0;
    int standing = 0;
    uint64_t offer = 0;
    for (uint64_t round = 1; round <= N; round++) {
        double t = (double)round / ((double)N + 1);
        for (size_t p = 0; p < 2; p++) {
            const reference *r = &ref[p];
            uint64_t at = reference_nearest(r, reference_target(r, e[p], t));
            assert_true(n < max);
            if (standing) {
                uint32_t o[256];
                outcome_from_index(r->s, offer, o);
                if (truce_utility(r->s, p, o) >= r->u[at]) {
                    out[n++] = (action){1, p, round, offer};
                    return n;
                }
            }
            offer = r->order[at];
            standing = 1;
            out[n++] = (action){0, p, round, offer};
        }
    }
    return n;
}

/* ---- truce's session, read back from its trace ---- */

typedef struct trace_buffer {
    char *data;
    size_t len, cap;
} trace_buffer;

static int collect(const char *record, size_t length, void *payload)
{
    trace_buffer *b = payload;
    if (b->len + length + 2 > b->cap) {
        size_t cap = (b->cap + length + 2) * 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, record, length);
    b->len += length;
    b->data[b->len++] = '\n';
    b->data[b->len] = '\0';
    return 0;
}

/* The outcome index of a trace record's "outcome" object. */
static uint64_t outcome_of(const truce_scenario *s, json_t *outcome)
{
    uint64_t x = 0, stride = 1;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        json_t *v = json_object_get(outcome, truce_issue_name(s, i));
        assert_non_null(v);
        char text[1024];
        if (json_is_string(v))
            snprintf(text, sizeof text, "%s", json_string_value(v));
        else
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        int k = truce_option_find(s, i, text);
        assert_true(k >= 0);
        x += (uint64_t)k * stride;
        stride *= truce_issue_option_count(s, i);
    }
    return x;
}

static size_t truce_session(const truce_space *sp, const char *agents[2], uint64_t N, action *out,
                            size_t max)
{
    const truce_scenario *s = truce_space_scenario(sp);
    truce_agent_spec specs[2];
    truce_error err;
    for (int p = 0; p < 2; p++)
        if (truce_agent_parse(&specs[p], agents[p], &err))
            fail_msg("%s", err.message);
    trace_buffer b = {0};
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = N;
    o.trace = collect;
    o.trace_payload = &b;
    assert_int_equal(o.clock, TRUCE_CLOCK_GENIUS); /* the default */
    truce_negotiation *ng = NULL;
    if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err) || truce_negotiation_run(ng, 1, &err))
        fail_msg("%s", err.message);
    size_t n = 0;
    for (char *line = b.data; line && *line;) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        json_t *r = json_loads(line, 0, NULL);
        assert_non_null(r);
        const char *type = json_string_value(json_object_get(r, "type"));
        if (!strcmp(type, "offer") || !strcmp(type, "accept")) {
            assert_true(n < max);
            const char *actor = json_string_value(json_object_get(r, "actor"));
            out[n].accept = !strcmp(type, "accept");
            out[n].actor = strcmp(actor, truce_party_name(s, 0)) ? 1 : 0;
            out[n].round = (uint64_t)json_integer_value(json_object_get(r, "round"));
            out[n].outcome = outcome_of(s, json_object_get(r, "outcome"));
            n++;
        }
        json_decref(r);
        line = nl + 1;
    }
    free(b.data);
    truce_negotiation_free(ng);
    return n;
}

/* ---- comparisons ---- */

static const char *const family[] = {"boulware", "linear", "conceder"};
static const double family_e[] = {0.2, 1, 2};

#define MAX_ACTIONS 4096

/* Every pair of the family on the scenario, in both seats, offer by offer. */
static size_t compare_family(const truce_scenario *s, int ties, uint64_t N, const char *label)
{
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    so.ties = ties;
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, &so, &err))
        fail_msg("%s", err.message);
    reference ref[2];
    for (size_t p = 0; p < 2; p++)
        reference_build(&ref[p], s, p, ties == TRUCE_TIES_GENIUS);
    action *want = malloc(MAX_ACTIONS * sizeof *want), *got = malloc(MAX_ACTIONS * sizeof *got);
    assert_true(want && got);
    size_t sessions = 0;
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 3; b++) {
            char spec[2][64];
            const char *agents[2] = {spec[0], spec[1]};
            snprintf(spec[0], sizeof spec[0], "%s:bid=nearest:floor=none", family[a]);
            snprintf(spec[1], sizeof spec[1], "%s:bid=nearest:floor=none", family[b]);
            double e[2] = {family_e[a], family_e[b]};
            size_t n_want = reference_session(ref, e, N, want, MAX_ACTIONS);
            size_t n_got = truce_session(sp, agents, N, got, MAX_ACTIONS);
            for (size_t k = 0; k < n_want && k < n_got; k++)
                if (want[k].accept != got[k].accept || want[k].actor != got[k].actor ||
                    want[k].round != got[k].round || want[k].outcome != got[k].outcome)
                    fail_msg("%s, %s vs %s, %llu rounds, ties %d: action %zu differs: reference "
                             "%s outcome %llu in round %llu by %zu, truce %s outcome %llu in "
                             "round %llu by %zu",
                             label, spec[0], spec[1], (unsigned long long)N, ties, k,
                             want[k].accept ? "accept" : "offer",
                             (unsigned long long)want[k].outcome, (unsigned long long)want[k].round,
                             want[k].actor, got[k].accept ? "accept" : "offer",
                             (unsigned long long)got[k].outcome, (unsigned long long)got[k].round,
                             got[k].actor);
            if (n_want != n_got)
                fail_msg("%s, %s vs %s: %zu actions in the reference, %zu in truce", label, spec[0],
                         spec[1], n_want, n_got);
            sessions++;
        }
    free(want);
    free(got);
    for (size_t p = 0; p < 2; p++)
        reference_free(&ref[p]);
    truce_space_free(sp);
    return sessions;
}

/* Every bilateral ANAC 2010, 2011 and 2013 scenario of the corpus. */
static void test_genius_mode_matches_the_reference_on_anac_2010_to_2013(void **state)
{
    (void)state;
    size_t n_folders = 0, compared = 0;
    char **folders = corpus_folders(&n_folders);
    if (n_folders == 0) {
        free_strings(folders, n_folders);
        skip(); /* corpus_folders says why */
    }
    for (size_t f = 0; f < n_folders; f++) {
        if (!strstr(folders[f], "/anac/y2010/") && !strstr(folders[f], "/anac/y2011/") &&
            !strstr(folders[f], "/anac/y2013/"))
            continue;
        truce_scenario *s = NULL;
        truce_error err;
        if (truce_scenario_load_dir(&s, folders[f], NULL, &err))
            fail_msg("%s", err.message);
        if (truce_scenario_party_count(s) == 2) {
            compared += compare_family(s, TRUCE_TIES_GENIUS, 100, folders[f]);
            compared += compare_family(s, TRUCE_TIES_INDEX, 100, folders[f]);
        }
        truce_scenario_free(s);
    }
    free_strings(folders, n_folders);
    print_message("%zu sessions of the time-dependent family equal the reference\n", compared);
    assert_true(compared >= 2 * 9 * 25);
}

/* Synthetic scenarios with few utility levels: large groups of equal utility, so that the tie
 * order and exact hits of the bisection decide the bids. */
static void test_genius_mode_matches_the_reference_with_many_ties(void **state)
{
    (void)state;
    for (uint32_t levels = 1; levels <= 4; levels++) {
        truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
        g.n_issues = 4;
        g.n_options = 5;
        g.levels = levels;
        g.seed = levels;
        truce_scenario *s = NULL;
        truce_error err;
        if (truce_scenario_generate(&s, &g, &err))
            fail_msg("%s", err.message);
        char label[64];
        snprintf(label, sizeof label, "generated, %u levels", levels);
        compare_family(s, TRUCE_TIES_GENIUS, 30, label);
        compare_family(s, TRUCE_TIES_INDEX, 30, label);
        truce_scenario_free(s);
    }
}

/* A GENIUS hash order worked by hand: labels "a" (97) and "b" (98) on one issue of equal
 * value; BidDetails hashes 31 (31 (31 + 97) + f) + m and 31 (31 (31 + 98) + f) + m differ by
 * 961, so "a" comes first unless the sum wraps past 2^31 between them. */
static void test_genius_ties_order_equal_bids_by_their_java_hash(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char path[3][600];
    snprintf(path[0], sizeof path[0], "%s/d.xml", dir);
    snprintf(path[1], sizeof path[1], "%s/p.xml", dir);
    snprintf(path[2], sizeof path[2], "%s/q.xml", dir);
    const char *texts[3] = {
        "<negotiation_template><utility_space><objective index=\"0\" name=\"r\">"
        "<issue index=\"1\" name=\"x\" type=\"discrete\"><item index=\"1\" value=\"b\"/>"
        "<item index=\"2\" value=\"a\"/><item index=\"3\" value=\"c\"/></issue>"
        "</objective></utility_space></negotiation_template>",
        "<utility_space><objective index=\"0\" name=\"r\"><issue index=\"1\" name=\"x\">"
        "<item index=\"1\" value=\"b\" evaluation=\"1\"/><item index=\"2\" value=\"a\" "
        "evaluation=\"1\"/><item index=\"3\" value=\"c\" evaluation=\"0\"/></issue>"
        "<weight index=\"1\" value=\"1\"/></objective></utility_space>",
        "<utility_space><objective index=\"0\" name=\"r\"><issue index=\"1\" name=\"x\">"
        "<item index=\"1\" value=\"b\" evaluation=\"0\"/><item index=\"2\" value=\"a\" "
        "evaluation=\"0\"/><item index=\"3\" value=\"c\" evaluation=\"1\"/></issue>"
        "<weight index=\"1\" value=\"1\"/></objective></utility_space>"};
    for (int k = 0; k < 3; k++) {
        FILE *f = fopen(path[k], "w");
        assert_non_null(f);
        fputs(texts[k], f);
        fclose(f);
    }
    truce_scenario *s = NULL;
    truce_error err;
    const char *profiles[2] = {path[1], path[2]};
    if (truce_scenario_load_genius(&s, path[0], profiles, 2, NULL, &err))
        fail_msg("%s", err.message);
    /* u = 1 for "b" (index 0) and "a" (index 1). fold(1.0) = 0x3FF00000 = 1072693248,
     * fold(-1.0) = 0xBFF00000 = 3220176896; modulo 2^32, "a": 31 (31 * 128 + 1072693248) +
     * 3220176896 = 2114052224 and "b": 31 (31 * 129 + 1072693248) + 3220176896 = 2114053185,
     * both positive as signed integers: "a" comes first. */
    uint32_t expect_first = 1;
    const char *spec[2] = {"hardliner", "hardliner"};
    for (int ties = 0; ties < 2; ties++) {
        truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
        so.ties = ties;
        truce_space *sp = NULL;
        if (truce_space_create(&sp, s, &so, &err))
            fail_msg("%s", err.message);
        action got[8];
        size_t n = truce_session(sp, spec, 1, got, 8);
        assert_int_equal(n, 2);
        /* index ties: "b" (index 0) first; GENIUS ties: the smaller hash */
        assert_int_equal(got[0].outcome, ties == TRUCE_TIES_GENIUS ? expect_first : 0);
        truce_space_free(sp);
    }
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_genius_ties_order_equal_bids_by_their_java_hash),
        cmocka_unit_test(test_genius_mode_matches_the_reference_with_many_ties),
        cmocka_unit_test(test_genius_mode_matches_the_reference_on_anac_2010_to_2013),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
