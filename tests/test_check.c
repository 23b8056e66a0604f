/* test_check.c: truce_check, truce_advise and truce_tradeoffs against answers worked out by hand
 * and against brute forces written here: channels and relay paths, agenda deadlocks, the zone
 * of agreement with its minimal relaxations, advice, trade-offs, and the seed scenario. */
#define _DEFAULT_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define SEED TRUCE_EXAMPLES "/seed/truce-talks.yaml"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

/* cmocka's assert_float_equal compares floats, too coarse for these
 * tolerances: doubles here. */

static truce_scenario *load_text(const char *text)
{
    truce_scenario *s = NULL;
    truce_error err;
    const char *path = temp_file("scenario.yaml", text);
    if (truce_scenario_load_yaml(&s, path, NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static json_t *parse(char *text)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (!doc)
        fail_msg("not JSON: %s (line %d)", jerr.text, jerr.line);
    truce_free(text);
    return doc;
}

static json_t *check_at(const truce_scenario *s, double time)
{
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.time = time;
    char *text = NULL;
    truce_error err;
    if (truce_check(&text, s, &o, &err))
        fail_msg("truce_check: %s", err.message);
    return parse(text);
}

static json_t *advise(const truce_scenario *s, size_t party, const size_t *acc, size_t n,
                      double time)
{
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.time = time;
    char *text = NULL;
    truce_error err;
    if (truce_advise(&text, s, party, acc, n, &o, &err))
        fail_msg("truce_advise: %s", err.message);
    return parse(text);
}

static size_t party_of(const truce_scenario *s, const char *name)
{
    int p = truce_party_find(s, name);
    if (p < 0)
        fail_msg("no party '%s'", name);
    return (size_t)p;
}

/* Option indices of a reported outcome {"issue": "label", ...}. */
static void outcome_of_json(const truce_scenario *s, json_t *o, uint32_t *out)
{
    assert_true(json_is_object(o));
    assert_int_equal(json_object_size(o), truce_scenario_issue_count(s));
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        const char *label = json_string_value(json_object_get(o, truce_issue_name(s, i)));
        assert_non_null(label);
        int k = truce_option_find(s, i, label);
        assert_true(k >= 0);
        out[i] = (uint32_t)k;
    }
}

static const char *str(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v)
        fail_msg("no string '%s'", key);
    return v;
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        fail_msg("no number '%s'", key);
    return json_number_value(v);
}

/* "a,b,c" from a JSON array of strings */
static void joined(json_t *array, char *buf, size_t size)
{
    size_t k, used = 0;
    json_t *v;
    buf[0] = '\0';
    json_array_foreach(array, k, v)
    {
        used +=
            (size_t)snprintf(buf + used, size - used, "%s%s", k ? "," : "", json_string_value(v));
        if (used >= size)
            break;
    }
}

/* splitmix64: the test's own seeded generator. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int pick(uint64_t *state, int n)
{
    return (int)(next_random(state) % (uint64_t)n);
}

/* ------------------------------------------------------------------ */
/* Agenda deadlocks                                                   */
/* ------------------------------------------------------------------ */

/* Four agenda items a, b, c, d and three parties; `pre` lists the
 * preconditions as "party first then" triples separated by ';'. */
static truce_scenario *agenda_scenario(const char *pre)
{
    char text[8192];
    int n = snprintf(text, sizeof text,
                     "truce: 1\nname: agenda\nissues:\n  - id: x\n    options: [yes, no]\n"
                     "parties:\n  - id: p1\n  - id: p2\n  - id: p3\n"
                     "agenda:\n  - id: a\n  - id: b\n  - id: c\n  - id: d\n"
                     "preconditions:\n");
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", pre);
    for (char *tok = strtok(copy, ";"); tok; tok = strtok(NULL, ";")) {
        char who[16], first[16], then[16];
        if (sscanf(tok, "%15s %15s %15s", who, first, then) != 3)
            fail_msg("bad triple '%s'", tok);
        n += snprintf(text + n, sizeof text - (size_t)n, "  - {party: %s, first: %s, then: %s}\n",
                      who, first, then);
    }
    return load_text(text);
}

/* The test's own model of the demands: distinct (first, then) edges over
 * items 0..3 (a..d). */
typedef struct edges {
    int n;
    int first[16], then[16];
} edges;

static void edges_of(const char *pre, edges *e)
{
    e->n = 0;
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", pre);
    for (char *tok = strtok(copy, ";"); tok; tok = strtok(NULL, ";")) {
        char who[16], first[16], then[16];
        sscanf(tok, "%15s %15s %15s", who, first, then);
        int f = first[0] - 'a', t = then[0] - 'a', k = 0;
        while (k < e->n && !(e->first[k] == f && e->then[k] == t))
            k++;
        if (k == e->n) {
            e->first[k] = f;
            e->then[k] = t;
            e->n++;
        }
    }
}

/* Kahn's algorithm: 1 when the edges not in `dropped` leave a cycle. */
static int cyclic(const edges *e, unsigned dropped)
{
    int indegree[4] = {0}, removed[4] = {0}, left = 4;
    for (int k = 0; k < e->n; k++)
        if (!(dropped >> k & 1))
            indegree[e->then[k]]++;
    for (int progress = 1; progress;) {
        progress = 0;
        for (int v = 0; v < 4; v++)
            if (!removed[v] && indegree[v] == 0) {
                removed[v] = 1;
                left--;
                progress = 1;
                for (int k = 0; k < e->n; k++)
                    if (!(dropped >> k & 1) && e->first[k] == v)
                        indegree[e->then[k]]--;
            }
    }
    return left > 0;
}

static int has_edge(const edges *e, int f, int t)
{
    for (int k = 0; k < e->n; k++)
        if (e->first[k] == f && e->then[k] == t)
            return 1;
    return 0;
}

/* Every elementary cycle as a string of items starting at its smallest,
 * e.g. "abc", by trying every sequence of distinct items. */
static int brute_cycles(const edges *e, char out[][8])
{
    int n = 0;
    for (int len = 2; len <= 4; len++) {
        int seq[4];
        /* all sequences of len distinct items, seq[0] the smallest */
        for (int code = 0; code < (1 << (2 * len)); code++) {
            int c = code, ok = 1;
            for (int k = 0; k < len; k++) {
                seq[k] = c % 4;
                c /= 4;
            }
            for (int k = 0; k < len && ok; k++)
                for (int j = 0; j < k && ok; j++)
                    ok = seq[j] != seq[k];
            for (int k = 1; k < len && ok; k++)
                ok = seq[k] > seq[0];
            for (int k = 0; k < len && ok; k++)
                ok = has_edge(e, seq[k], seq[(k + 1) % len]);
            if (!ok)
                continue;
            for (int k = 0; k < len; k++)
                out[n][k] = (char)('a' + seq[k]);
            out[n][len] = '\0';
            n++;
        }
    }
    return n;
}

static int compare_text(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* The report's cycles and smallest drops equal the brute force's. */
static void assert_agenda_matches_brute_force(const char *pre, size_t expected_cycles)
{
    truce_scenario *s = agenda_scenario(pre);
    json_t *doc = check_at(s, 0);
    json_t *ag = json_object_get(doc, "agenda");
    edges e;
    edges_of(pre, &e);
    char want[64][8], got[64][8];
    int n_want = brute_cycles(&e, want);
    assert_int_equal(n_want, expected_cycles);
    json_t *dl = json_object_get(ag, "deadlocks");
    assert_int_equal(json_array_size(dl), (size_t)n_want);
    size_t k;
    json_t *d;
    json_array_foreach(dl, k, d)
    {
        char buf[64];
        joined(json_object_get(d, "cycle"), buf, sizeof buf);
        /* "a,b,c" -> "abc" */
        int m = 0;
        for (char *c = buf; *c; c++)
            if (*c != ',')
                got[k][m++] = *c;
        got[k][m] = '\0';
        /* each edge of the cycle is listed, from item to item */
        json_t *edges_json = json_object_get(d, "edges");
        assert_int_equal(json_array_size(edges_json), (size_t)m);
        for (int j = 0; j < m; j++) {
            json_t *edge = json_array_get(edges_json, (size_t)j);
            assert_int_equal(str(edge, "first")[0], got[k][j]);
            assert_int_equal(str(edge, "then")[0], got[k][(j + 1) % m]);
        }
    }
    qsort(want, (size_t)n_want, sizeof want[0], compare_text);
    qsort(got, json_array_size(dl), sizeof got[0], compare_text);
    for (int j = 0; j < n_want; j++)
        assert_string_equal(want[j], got[j]);
    /* smallest drop sets: brute force over subsets of distinct demands */
    json_t *drops = json_object_get(ag, "smallest_drops");
    int best = -1;
    char want_sets[64][64];
    int n_sets = 0;
    for (int size = 1; size <= e.n && best < 0 && n_want; size++)
        for (unsigned mask = 1; mask < (1u << e.n); mask++) {
            if (__builtin_popcount(mask) != size || cyclic(&e, mask))
                continue;
            best = size;
            int used = 0;
            for (int j = 0; j < e.n; j++)
                if (mask >> j & 1)
                    used += snprintf(want_sets[n_sets] + used, 64 - (size_t)used, "%c%c ",
                                     'a' + e.first[j], 'a' + e.then[j]);
            n_sets++;
        }
    assert_int_equal(json_array_size(drops), (size_t)n_sets);
    char got_sets[64][64];
    json_t *set;
    json_array_foreach(drops, k, set)
    {
        /* demands listed in a canonical order: sort their "ft " codes */
        char codes[16][4];
        size_t j, m = json_array_size(set);
        json_t *dem;
        json_array_foreach(set, j, dem)
        {
            snprintf(codes[j], sizeof codes[j], "%c%c ", str(dem, "first")[0], str(dem, "then")[0]);
        }
        got_sets[k][0] = '\0';
        /* the brute force lists them in edge order; map back to it */
        for (int q = 0; q < e.n; q++)
            for (size_t r = 0; r < m; r++)
                if (codes[r][0] == 'a' + e.first[q] && codes[r][1] == 'a' + e.then[q])
                    strcat(got_sets[k], codes[r]);
        assert_int_equal(strlen(got_sets[k]), 3 * m);
    }
    qsort(want_sets, (size_t)n_sets, sizeof want_sets[0], compare_text);
    qsort(got_sets, json_array_size(drops), sizeof got_sets[0], compare_text);
    for (int j = 0; j < n_sets; j++)
        assert_string_equal(want_sets[j], got_sets[j]);
    assert_true(json_is_true(json_object_get(ag, "complete")));
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_two_cycle_is_a_deadlock_broken_by_dropping_either_demand(void **state)
{
    (void)state;
    assert_agenda_matches_brute_force("p1 a b;p2 b a", 1);
    /* and by hand: the cycle a -> b -> a, each demand with its holder */
    truce_scenario *s = agenda_scenario("p1 a b;p2 b a;p3 a b");
    json_t *doc = check_at(s, 0);
    json_t *cycle = json_array_get(json_object_get(json_object_get(doc, "agenda"), "deadlocks"), 0);
    char buf[64];
    joined(json_object_get(cycle, "cycle"), buf, sizeof buf);
    assert_string_equal(buf, "a,b");
    json_t *edge0 = json_array_get(json_object_get(cycle, "edges"), 0);
    joined(json_object_get(edge0, "held_by"), buf, sizeof buf);
    assert_string_equal(buf, "p1,p3");
    json_t *edge1 = json_array_get(json_object_get(cycle, "edges"), 1);
    joined(json_object_get(edge1, "held_by"), buf, sizeof buf);
    assert_string_equal(buf, "p2");
    /* resolutions: a bundle, then one drop per demand naming its holders */
    json_t *res = json_object_get(cycle, "resolutions");
    assert_int_equal(json_array_size(res), 3);
    assert_string_equal(str(json_array_get(res, 0), "kind"), "bundle");
    assert_string_equal(str(json_array_get(res, 1), "kind"), "drop");
    joined(json_object_get(json_array_get(res, 1), "parties"), buf, sizeof buf);
    assert_string_equal(buf, "p1,p3");
    assert_string_equal(str(json_array_get(res, 2), "text"),
                        "p2 drops the demand that b come before a");
    json_t *drops = json_object_get(json_object_get(doc, "agenda"), "smallest_drops");
    assert_int_equal(json_array_size(drops), 2);
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_three_cycle_is_broken_by_any_one_of_its_demands(void **state)
{
    (void)state;
    assert_agenda_matches_brute_force("p1 a b;p2 b c;p3 c a", 1);
    /* a cycle entered the other way round, with an edge outside it */
    assert_agenda_matches_brute_force("p1 a c;p2 c b;p3 b a;p1 c d", 1);
}

static void test_two_separate_cycles_need_one_drop_each(void **state)
{
    (void)state;
    assert_agenda_matches_brute_force("p1 a b;p2 b a;p1 c d;p3 d c", 2);
    /* overlapping cycles a-b-c, b-c and b-d: b -> c breaks the
     * first two, and b-d needs one more */
    assert_agenda_matches_brute_force("p1 a b;p2 b c;p3 c a;p1 c b;p2 b d;p3 d b", 3);
}

static void test_acyclic_preconditions_are_no_deadlock(void **state)
{
    (void)state;
    assert_agenda_matches_brute_force("p1 a b;p2 b c;p3 a c;p1 c d", 0);
    truce_scenario *s = agenda_scenario("p1 a b");
    json_t *doc = check_at(s, 0);
    json_t *ag = json_object_get(doc, "agenda");
    assert_int_equal(json_array_size(json_object_get(ag, "deadlocks")), 0);
    assert_int_equal(json_array_size(json_object_get(ag, "smallest_drops")), 0);
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_dense_agenda_lists_a_bounded_number_of_cycles(void **state)
{
    (void)state;
    /* 8 items, every ordered pair demanded: thousands of elementary cycles */
    char text[16384];
    int n = snprintf(text, sizeof text,
                     "truce: 1\nname: dense\nissues:\n  - id: x\n    options: [yes, no]\n"
                     "parties:\n  - id: p\nagenda:\n");
    for (int i = 0; i < 8; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "  - id: item%d\n", i);
    n += snprintf(text + n, sizeof text - (size_t)n, "preconditions:\n");
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            if (i != j)
                n += snprintf(text + n, sizeof text - (size_t)n,
                              "  - {party: p, first: item%d, then: item%d}\n", i, j);
    truce_scenario *s = load_text(text);
    json_t *doc = check_at(s, 0);
    json_t *ag = json_object_get(doc, "agenda");
    assert_true(json_array_size(json_object_get(ag, "deadlocks")) > 0);
    assert_true(json_array_size(json_object_get(ag, "deadlocks")) <= 100);
    /* 56 demands are too many to search every subset: not listed, and said */
    assert_true(json_is_null(json_object_get(ag, "smallest_drops")));
    assert_true(json_is_false(json_object_get(ag, "complete")));
    json_decref(doc);
    truce_scenario_free(s);
}

/* 40 items with every forward demand i -> j (i < j), and `extra` appended. */
static truce_scenario *forward_agenda(const char *extra)
{
    size_t size = 40 * 40 * 48 + 4096;
    char *text = malloc(size);
    int n = snprintf(text, size,
                     "truce: 1\nname: forward\nissues:\n  - id: x\n    options: [yes, no]\n"
                     "parties:\n  - id: p\nagenda:\n");
    for (int i = 0; i < 40; i++)
        n += snprintf(text + n, size - (size_t)n, "  - id: i%d\n", i);
    n += snprintf(text + n, size - (size_t)n, "preconditions:\n");
    for (int i = 0; i < 40; i++)
        for (int j = i + 1; j < 40; j++)
            if (i != 0 || j != 2) /* i0 -> i2 left out: see below */
                n += snprintf(text + n, size - (size_t)n, "  - {party: p, first: i%d, then: i%d}\n",
                              i, j);
    snprintf(text + n, size - (size_t)n, "%s", extra);
    truce_scenario *s = load_text(text);
    free(text);
    return s;
}

static void test_dense_acyclic_agenda_is_no_deadlock_and_complete(void **state)
{
    (void)state;
    /* 2^38 simple paths and not one cycle */
    truce_scenario *s = forward_agenda("");
    json_t *doc = check_at(s, 0);
    json_t *ag = json_object_get(doc, "agenda");
    assert_int_equal(json_array_size(json_object_get(ag, "deadlocks")), 0);
    assert_true(json_is_true(json_object_get(ag, "complete")));
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_one_cycle_in_a_dense_agenda_is_found_at_once(void **state)
{
    (void)state;
    /* one cycle i0 -> i1 -> i2 -> i0, beside 2^37 forward paths through
     * i3..i39 that never return to i0 */
    truce_scenario *s = forward_agenda("  - {party: p, first: i2, then: i0}\n");
    json_t *doc = check_at(s, 0);
    json_t *ag = json_object_get(doc, "agenda");
    json_t *dl = json_object_get(ag, "deadlocks");
    assert_true(json_array_size(dl) >= 1);
    char buf[64];
    joined(json_object_get(json_array_get(dl, 0), "cycle"), buf, sizeof buf);
    assert_string_equal(buf, "i0,i1,i2");
    assert_int_equal(json_array_size(dl), 1);
    /* 780 demands are too many to try every subset for the smallest drops */
    assert_true(json_is_null(json_object_get(ag, "smallest_drops")));
    assert_true(json_is_false(json_object_get(ag, "complete")));
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_cycle_search_stops_within_its_budget_and_says_so(void **state)
{
    (void)state;
    /* i0 <-> i1, then i1 -> i2..i39, every forward i -> j among those, and
     * i39 -> i1: from i0 every path through i2..i39 comes back to i1, on
     * the path already, so 2^37 dead ends and no cycle through i0 beyond
     * the first */
    size_t size = 40 * 40 * 48 + 4096;
    char *text = malloc(size);
    int n = snprintf(text, size,
                     "truce: 1\nname: dead-ends\nissues:\n  - id: x\n    options: [yes, no]\n"
                     "parties:\n  - id: p\nagenda:\n");
    for (int i = 0; i < 40; i++)
        n += snprintf(text + n, size - (size_t)n, "  - id: i%d\n", i);
    n += snprintf(text + n, size - (size_t)n,
                  "preconditions:\n  - {party: p, first: i0, then: i1}\n"
                  "  - {party: p, first: i1, then: i0}\n  - {party: p, first: i39, then: i1}\n");
    for (int i = 1; i < 40; i++)
        for (int j = i + 1; j < 40; j++)
            n += snprintf(text + n, size - (size_t)n, "  - {party: p, first: i%d, then: i%d}\n", i,
                          j);
    truce_scenario *s = load_text(text);
    free(text);
    json_t *doc = check_at(s, 0);
    json_t *ag = json_object_get(doc, "agenda");
    json_t *dl = json_object_get(ag, "deadlocks");
    assert_true(json_array_size(dl) >= 1);
    char buf[64];
    joined(json_object_get(json_array_get(dl, 0), "cycle"), buf, sizeof buf);
    assert_string_equal(buf, "i0,i1");
    assert_true(json_is_false(json_object_get(ag, "complete")));
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_long_cycle_through_a_long_agenda_is_found(void **state)
{
    (void)state;
    /* 300 items in one cycle: longer than any fixed-size search stack */
    size_t size = 300 * 80 + 512;
    char *text = malloc(size);
    int n = snprintf(text, size,
                     "truce: 1\nname: long\nissues:\n  - id: x\n    options: [yes, no]\n"
                     "parties:\n  - id: p\nagenda:\n");
    for (int i = 0; i < 300; i++)
        n += snprintf(text + n, size - (size_t)n, "  - id: i%d\n", i);
    n += snprintf(text + n, size - (size_t)n, "preconditions:\n");
    for (int i = 0; i < 300; i++)
        n += snprintf(text + n, size - (size_t)n, "  - {party: p, first: i%d, then: i%d}\n", i,
                      (i + 1) % 300);
    truce_scenario *s = load_text(text);
    free(text);
    json_t *doc = check_at(s, 0);
    json_t *dl = json_object_get(json_object_get(doc, "agenda"), "deadlocks");
    assert_int_equal(json_array_size(dl), 1);
    assert_int_equal(json_array_size(json_object_get(json_array_get(dl, 0), "cycle")), 300);
    json_decref(doc);
    truce_scenario_free(s);
}

/* ------------------------------------------------------------------ */
/* Channels                                                           */
/* ------------------------------------------------------------------ */

static json_t *find_reach(json_t *ch, const char *from, const char *to)
{
    size_t k;
    json_t *r;
    json_array_foreach(json_object_get(ch, "reach"), k, r)
    {
        if (!strcmp(str(r, "from"), from) && !strcmp(str(r, "to"), to))
            return r;
    }
    fail_msg("no reach entry %s -> %s", from, to);
    return NULL;
}

static json_t *find_protocol(json_t *ch, const char *protocol, const char *who)
{
    size_t k;
    json_t *p;
    json_array_foreach(json_object_get(ch, "protocols"), k, p)
    {
        if (strcmp(str(p, "protocol"), protocol) != 0)
            continue;
        if (!who)
            return p;
        json_t *m = json_object_get(p, "mediator");
        char buf[256] = "";
        if (!m)
            joined(json_object_get(p, "between"), buf, sizeof buf);
        if ((m && !strcmp(json_string_value(m), who)) || (!m && !strcmp(buf, who)))
            return p;
    }
    return NULL;
}

static const char CHAIN[] = "truce: 1\n"
                            "name: chain\n"
                            "issues:\n"
                            "  - id: x\n"
                            "    options: [yes, no]\n"
                            "parties:\n"
                            "  - id: a\n"
                            "  - id: b\n"
                            "    role: mediator\n"
                            "  - id: c\n"
                            "    role: mediator\n"
                            "  - id: d\n"
                            "  - id: e\n"
                            "    role: stakeholder\n"
                            "channels:\n"
                            "  - [a, b]\n"
                            "  - [b, c]\n"
                            "  - [d, c]\n";

/* Breadth-first distances from `from` in the test's own adjacency. */
static void distances(int n, const int adj[][5], int from, int *dist)
{
    int queue[5], head = 0, tail = 0;
    for (int k = 0; k < n; k++)
        dist[k] = -1;
    dist[from] = 0;
    queue[tail++] = from;
    while (head < tail) {
        int x = queue[head++];
        for (int y = 0; y < n; y++)
            if (adj[x][y] && dist[y] < 0) {
                dist[y] = dist[x] + 1;
                queue[tail++] = y;
            }
    }
}

static void test_relay_paths_are_shortest_and_unreachable_parties_have_none(void **state)
{
    (void)state;
    truce_scenario *s = load_text(CHAIN);
    json_t *doc = check_at(s, 0);
    json_t *ch = json_object_get(doc, "channels");
    assert_true(json_is_true(json_object_get(ch, "declared")));
    assert_int_equal(json_array_size(json_object_get(ch, "pairs")), 3);
    static const int adj[5][5] = {
        {0, 1, 0, 0, 0}, {1, 0, 1, 0, 0}, {0, 1, 0, 1, 0}, {0, 0, 1, 0, 0}, {0, 0, 0, 0, 0}};
    static const char *const names[] = {"a", "b", "c", "d", "e"};
    assert_int_equal(json_array_size(json_object_get(ch, "reach")), 10);
    for (int x = 0; x < 5; x++) {
        int dist[5];
        distances(5, adj, x, dist);
        for (int y = x + 1; y < 5; y++) {
            json_t *r = find_reach(ch, names[x], names[y]);
            assert_int_equal(json_is_true(json_object_get(r, "direct")), adj[x][y]);
            json_t *path = json_object_get(r, "path");
            if (dist[y] < 0) {
                assert_true(json_is_null(path));
                continue;
            }
            /* a shortest path, from x to y, along channels */
            assert_int_equal(json_array_size(path), (size_t)dist[y] + 1);
            assert_string_equal(json_string_value(json_array_get(path, 0)), names[x]);
            assert_string_equal(json_string_value(json_array_get(path, (size_t)dist[y])), names[y]);
            for (size_t k = 0; k + 1 < json_array_size(path); k++) {
                int u = json_string_value(json_array_get(path, k))[0] - 'a';
                int v = json_string_value(json_array_get(path, k + 1))[0] - 'a';
                assert_true(adj[u][v]);
            }
        }
    }
    char buf[64];
    joined(json_object_get(find_reach(ch, "a", "d"), "path"), buf, sizeof buf);
    assert_string_equal(buf, "a,b,c,d");
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_protocols_need_channels_between_principals_or_to_a_mediator(void **state)
{
    (void)state;
    truce_scenario *s = load_text(CHAIN);
    json_t *doc = check_at(s, 0);
    json_t *ch = json_object_get(doc, "channels");
    /* principals a and d: no direct channel */
    json_t *p = find_protocol(ch, "direct-bilateral", "a,d");
    assert_non_null(p);
    assert_true(json_is_false(json_object_get(p, "feasible")));
    /* two principals: no multilateral entry */
    assert_null(find_protocol(ch, "direct-multilateral", NULL));
    /* b reaches a only, c reaches d only: neither can mediate */
    p = find_protocol(ch, "mediated", "b");
    assert_true(json_is_false(json_object_get(p, "feasible")));
    assert_string_equal(str(p, "reason"), "b has no channel to d");
    p = find_protocol(ch, "mediated", "c");
    assert_true(json_is_false(json_object_get(p, "feasible")));
    assert_string_equal(str(p, "reason"), "c has no channel to a");
    json_decref(doc);
    truce_scenario_free(s);
    /* a channel b-d makes b a mediator of both principals */
    char text[sizeof CHAIN + 32];
    snprintf(text, sizeof text, "%s  - [b, d]\n", CHAIN);
    s = load_text(text);
    doc = check_at(s, 0);
    ch = json_object_get(doc, "channels");
    p = find_protocol(ch, "mediated", "b");
    assert_true(json_is_true(json_object_get(p, "feasible")));
    assert_true(json_is_false(json_object_get(find_protocol(ch, "mediated", "c"), "feasible")));
    json_decref(doc);
    truce_scenario_free(s);
}

static void
test_three_principals_talk_multilaterally_only_when_all_pairs_have_channels(void **state)
{
    (void)state;
    static const char base[] = "truce: 1\nname: three\nissues:\n  - id: x\n"
                               "    options: [yes, no]\nparties:\n  - id: a\n  - id: b\n"
                               "  - id: c\n";
    char text[512];
    snprintf(text, sizeof text, "%schannels:\n  - [a, b]\n  - [b, c]\n  - [a, c]\n", base);
    truce_scenario *s = load_text(text);
    json_t *doc = check_at(s, 0);
    json_t *ch = json_object_get(doc, "channels");
    assert_true(
        json_is_true(json_object_get(find_protocol(ch, "direct-multilateral", NULL), "feasible")));
    assert_true(
        json_is_true(json_object_get(find_protocol(ch, "direct-bilateral", "a,c"), "feasible")));
    json_decref(doc);
    truce_scenario_free(s);
    snprintf(text, sizeof text, "%schannels:\n  - [a, b]\n  - [b, c]\n", base);
    s = load_text(text);
    doc = check_at(s, 0);
    ch = json_object_get(doc, "channels");
    assert_true(
        json_is_false(json_object_get(find_protocol(ch, "direct-multilateral", NULL), "feasible")));
    assert_true(
        json_is_false(json_object_get(find_protocol(ch, "direct-bilateral", "a,c"), "feasible")));
    json_decref(doc);
    truce_scenario_free(s);
    /* no channels declared: everybody may talk */
    s = load_text(base);
    doc = check_at(s, 0);
    ch = json_object_get(doc, "channels");
    assert_true(json_is_false(json_object_get(ch, "declared")));
    assert_int_equal(json_array_size(json_object_get(ch, "pairs")), 3);
    assert_true(
        json_is_true(json_object_get(find_protocol(ch, "direct-multilateral", NULL), "feasible")));
    json_decref(doc);
    truce_scenario_free(s);
}

/* ------------------------------------------------------------------ */
/* The zone of agreement: random scenarios against a brute force      */
/* ------------------------------------------------------------------ */

#define MAX_ISSUES 3
#define MAX_PARTIES 4
#define MAX_HARD 2

/* What the generator wrote, kept to recompute the answers independently. */
typedef struct spec_condition {
    int n;
    int issue[2];
    unsigned allowed[2]; /* option bit masks */
} spec_condition;

typedef struct spec_party {
    int principal;
    int n_hard;
    spec_condition hard[MAX_HARD];
    double r0, r1; /* reservation at times 0 and 1, linear between */
} spec_party;

typedef struct spec {
    int n_issues, n_options[MAX_ISSUES], n_parties;
    spec_party p[MAX_PARTIES];
    char yaml[8192];
} spec;

static double spec_reservation(const spec_party *p, double t)
{
    return p->r0 + (p->r1 - p->r0) * t;
}

static int spec_within(const spec_condition *c, const uint32_t *o)
{
    for (int k = 0; k < c->n; k++)
        if (!(c->allowed[k] >> o[c->issue[k]] & 1))
            return 0;
    return 1;
}

static int spec_within_all(const spec_party *p, const uint32_t *o)
{
    for (int h = 0; h < p->n_hard; h++)
        if (!spec_within(&p->hard[h], o))
            return 0;
    return 1;
}

/* Feasible: within every principal's hard conditions (docs/analysis.md). */
static int spec_feasible(const spec *sp, const uint32_t *o)
{
    for (int p = 0; p < sp->n_parties; p++)
        if (sp->p[p].principal && !spec_within_all(&sp->p[p], o))
            return 0;
    return 1;
}

static void random_spec(uint64_t *rng, spec *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->n_issues = 2 + pick(rng, 2);
    sp->n_parties = 2 + pick(rng, 3);
    int n = snprintf(sp->yaml, sizeof sp->yaml, "truce: 1\nname: random\nissues:\n");
    for (int i = 0; i < sp->n_issues; i++) {
        sp->n_options[i] = 2 + pick(rng, 2);
        n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "  - id: i%d\n    options: [", i);
        for (int k = 0; k < sp->n_options[i]; k++)
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "%so%d", k ? ", " : "", k);
        n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "]\n");
    }
    n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "parties:\n");
    for (int p = 0; p < sp->n_parties; p++) {
        spec_party *pt = &sp->p[p];
        /* the last of four parties mediates: it is not in the zone */
        pt->principal = !(p == 3);
        n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "  - id: p%d\n    role: %s\n", p,
                      pt->principal ? "principal" : "mediator");
        n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "    weights: {");
        for (int i = 0; i < sp->n_issues; i++)
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "%si%d: 0.%d", i ? ", " : "",
                          i, 1 + pick(rng, 4));
        n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "}\n    values:\n");
        for (int i = 0; i < sp->n_issues; i++) {
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "      i%d: {", i);
            for (int k = 0; k < sp->n_options[i]; k++)
                n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "%so%d: %d", k ? ", " : "",
                              k, pick(rng, 5));
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "}\n");
        }
        pt->r0 = pick(rng, 15) / 20.0;
        pt->r1 = pick(rng, 3) ? pt->r0 : pick(rng, 15) / 20.0;
        if (pt->r1 == pt->r0)
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "    reservation: %.17g\n",
                          pt->r0);
        else
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n,
                          "    reservation:\n      points: [[0, %.17g], [1, %.17g]]\n", pt->r0,
                          pt->r1);
        pt->n_hard = pick(rng, MAX_HARD + 1);
        if (pt->n_hard)
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "    hard_conditions:\n");
        for (int h = 0; h < pt->n_hard; h++) {
            spec_condition *c = &pt->hard[h];
            c->n = 1 + pick(rng, 2);
            c->issue[0] = pick(rng, sp->n_issues);
            c->issue[1] = (c->issue[0] + 1) % sp->n_issues;
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n,
                          "      - id: h%d\n        require: {", h);
            for (int k = 0; k < c->n; k++) {
                int opts = sp->n_options[c->issue[k]];
                c->allowed[k] = 1u + (unsigned)pick(rng, (1 << opts) - 1); /* non-empty */
                n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "%si%d: [", k ? ", " : "",
                              c->issue[k]);
                int first = 1;
                for (int o = 0; o < opts; o++)
                    if (c->allowed[k] >> o & 1) {
                        n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "%so%d",
                                      first ? "" : ", ", o);
                        first = 0;
                    }
                n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "]");
            }
            n += snprintf(sp->yaml + n, sizeof sp->yaml - (size_t)n, "}\n");
        }
    }
    assert_true((size_t)n < sizeof sp->yaml);
}

/* The zone's constraints in the test's own order: for each principal its
 * hard conditions, then its reservation (hard = -1). */
typedef struct spec_constraint {
    int party, hard;
} spec_constraint;

static int spec_constraints(const spec *sp, spec_constraint *c)
{
    int n = 0;
    for (int p = 0; p < sp->n_parties; p++) {
        if (!sp->p[p].principal)
            continue;
        for (int h = 0; h < sp->p[p].n_hard; h++)
            c[n++] = (spec_constraint){p, h};
        c[n++] = (spec_constraint){p, -1};
    }
    return n;
}

static int spec_meets(const spec *sp, const truce_scenario *s, const spec_constraint *c,
                      const uint32_t *o, double t)
{
    const spec_party *pt = &sp->p[c->party];
    if (c->hard >= 0)
        return spec_within(&pt->hard[c->hard], o);
    return truce_utility(s, (size_t)c->party, o) > spec_reservation(pt, t);
}

/* The Nash product: the principals' gains over their reservation values. */
static double spec_nash(const spec *sp, const truce_scenario *s, const uint32_t *o, double t)
{
    double prod = 1;
    for (int p = 0; p < sp->n_parties; p++)
        if (sp->p[p].principal)
            prod *= truce_utility(s, (size_t)p, o) - spec_reservation(&sp->p[p], t);
    return prod;
}

/* How a relaxation's deal is chosen (docs/check.md): with a reservation
 * relaxed, the largest sum of the relaxed parties' utilities (the smallest
 * concession); with hard conditions only, the Nash product. */
static double spec_relaxed_score(const spec *sp, const truce_scenario *s, const spec_constraint *c,
                                 int nc, unsigned relaxed, const uint32_t *o, double t)
{
    double sum = 0;
    int any = 0;
    for (int k = 0; k < nc; k++)
        if ((relaxed >> k & 1) && c[k].hard < 0) {
            any = 1;
            sum += truce_utility(s, (size_t)c[k].party, o);
        }
    return any ? sum : spec_nash(sp, s, o, t);
}

static uint64_t space_size(const truce_scenario *s)
{
    uint64_t total = 1;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        total *= truce_issue_option_count(s, i);
    return total;
}

/* Largest score of a relaxation among outcomes meeting every constraint
 * outside `relaxed`; -INFINITY when there is none. */
static double best_outside(const spec *sp, const truce_scenario *s, const spec_constraint *c,
                           int nc, unsigned relaxed, double t)
{
    double best = -INFINITY;
    uint32_t o[MAX_ISSUES];
    for (uint64_t x = 0; x < space_size(s); x++) {
        outcome_from_index(s, x, o);
        int ok = 1;
        for (int k = 0; k < nc && ok; k++)
            ok = (relaxed >> k & 1) || spec_meets(sp, s, &c[k], o, t);
        double score = ok ? spec_relaxed_score(sp, s, c, nc, relaxed, o, t) : -INFINITY;
        if (score > best)
            best = score;
    }
    return best;
}

static void constraint_name(const spec_constraint *c, char *buf, size_t size)
{
    if (c->hard >= 0)
        snprintf(buf, size, "p%d/h%d", c->party, c->hard);
    else
        snprintf(buf, size, "p%d/reservation", c->party);
}

/* Kinds of relaxed constraints the random scenarios reached, so that the
 * test knows it covered both. */
static int relaxed_hard, relaxed_reservation;

/* The zone of one scenario at time t, checked against the brute force. */
static void assert_zone_matches_brute_force(const spec *sp, const truce_scenario *s, json_t *zone,
                                            double t)
{
    spec_constraint c[MAX_PARTIES * (MAX_HARD + 1)];
    int nc = spec_constraints(sp, c);
    uint32_t o[MAX_ISSUES];
    uint64_t feasible = 0, rational = 0;
    for (uint64_t x = 0; x < space_size(s); x++) {
        outcome_from_index(s, x, o);
        int ok = 1;
        for (int k = 0; k < nc && ok; k++)
            ok = spec_meets(sp, s, &c[k], o, t);
        rational += (uint64_t)ok;
        feasible += (uint64_t)spec_feasible(sp, o);
    }
    assert_int_equal(json_integer_value(json_object_get(zone, "outcomes")), space_size(s));
    assert_int_equal(json_integer_value(json_object_get(zone, "feasible")), feasible);
    assert_int_equal(json_integer_value(json_object_get(zone, "individually_rational")), rational);
    assert_int_equal(json_is_true(json_object_get(zone, "empty")), rational == 0);
    if (rational) {
        /* the best deal: the Nash point, the largest product of gains
         * within the zone */
        json_t *best = json_object_get(zone, "best");
        outcome_of_json(s, json_object_get(best, "outcome"), o);
        for (int k = 0; k < nc; k++)
            assert_true(spec_meets(sp, s, &c[k], o, t));
        assert_close(spec_nash(sp, s, o, t), best_outside(sp, s, c, nc, 0, t), 1e-12);
        assert_non_null(strstr(str(best, "criterion"), "nash"));
        assert_int_equal(json_array_size(json_object_get(zone, "relaxations")), 0);
        return;
    }
    /* minimal relaxations of at most 3 constraints: they open the zone and
     * no constraint of theirs can be kept */
    char want[128][128];
    int n_want = 0;
    for (unsigned mask = 1; mask < (1u << nc); mask++) {
        if (__builtin_popcount(mask) > 3 || best_outside(sp, s, c, nc, mask, t) == -INFINITY)
            continue;
        int minimal = 1;
        for (int k = 0; k < nc && minimal; k++)
            if (mask >> k & 1)
                minimal = best_outside(sp, s, c, nc, mask & ~(1u << k), t) == -INFINITY;
        if (!minimal)
            continue;
        want[n_want][0] = '\0';
        for (int k = 0; k < nc; k++)
            if (mask >> k & 1) {
                char name[32];
                constraint_name(&c[k], name, sizeof name);
                strcat(want[n_want], name);
                strcat(want[n_want], " ");
            }
        n_want++;
    }
    json_t *relax = json_object_get(zone, "relaxations");
    assert_int_equal(json_array_size(relax), (size_t)n_want);
    char got[128][128];
    size_t k;
    json_t *r;
    json_array_foreach(relax, k, r)
    {
        unsigned mask = 0;
        size_t j;
        json_t *cj;
        json_array_foreach(json_object_get(r, "relax"), j, cj)
        {
            int p = atoi(str(cj, "party") + 1), q = 0;
            int hard = !strcmp(str(cj, "kind"), "hard_condition") ? atoi(str(cj, "id") + 1) : -1;
            relaxed_hard += hard >= 0;
            relaxed_reservation += hard < 0;
            while (q < nc && !(c[q].party == p && c[q].hard == hard))
                q++;
            assert_true(q < nc);
            mask |= 1u << q;
        }
        got[k][0] = '\0';
        for (int q = 0; q < nc; q++)
            if (mask >> q & 1) {
                char name[32];
                constraint_name(&c[q], name, sizeof name);
                strcat(got[k], name);
                strcat(got[k], " ");
            }
        /* the best deal of this relaxation: within every other constraint,
         * with the smallest concession (or the largest Nash product) */
        json_t *best = json_object_get(r, "best");
        outcome_of_json(s, json_object_get(best, "outcome"), o);
        for (int q = 0; q < nc; q++)
            if (!(mask >> q & 1))
                assert_true(spec_meets(sp, s, &c[q], o, t));
        assert_close(spec_relaxed_score(sp, s, c, nc, mask, o, t),
                     best_outside(sp, s, c, nc, mask, t), 1e-12);
        /* what a relaxed reservation asks of its party */
        json_array_foreach(json_object_get(r, "relax"), j, cj)
        {
            if (strcmp(str(cj, "kind"), "reservation") != 0)
                continue;
            int p = atoi(str(cj, "party") + 1);
            double res = spec_reservation(&sp->p[p], t), u = truce_utility(s, (size_t)p, o);
            assert_close(num(cj, "reservation"), res, 1e-9);
            assert_close(num(cj, "deal_gives"), u, 1e-9);
            assert_close(num(cj, "concession"), res - u, 1e-9);
        }
    }
    qsort(want, (size_t)n_want, sizeof want[0], compare_text);
    qsort(got, json_array_size(relax), sizeof got[0], compare_text);
    for (int j = 0; j < n_want; j++)
        assert_string_equal(want[j], got[j]);
    /* when the zone opens as reservation values move: the first step of
     * 1/20 after t where some outcome meets every constraint */
    double opens = -1;
    for (int step = 1; step <= 20 && opens < 0; step++)
        if (step / 20.0 > t && best_outside(sp, s, c, nc, 0, step / 20.0) > -INFINITY)
            opens = step / 20.0;
    json_t *at = json_object_get(zone, "opens_at_time");
    if (opens < 0)
        assert_true(json_is_null(at));
    else
        assert_close(json_number_value(at), opens, 1e-12);
}

static void test_zone_and_minimal_relaxations_match_a_brute_force(void **state)
{
    (void)state;
    uint64_t rng = 42;
    int empty = 0, open = 0;
    for (int round = 0; round < 60; round++) {
        spec sp;
        random_spec(&rng, &sp);
        truce_scenario *s = load_text(sp.yaml);
        double t = round % 3 == 0 ? 0.5 : 0;
        json_t *doc = check_at(s, t);
        json_t *zone = json_object_get(doc, "zone");
        assert_close(num(zone, "time"), t, 0);
        assert_zone_matches_brute_force(&sp, s, zone, t);
        empty += json_is_true(json_object_get(zone, "empty"));
        open += json_is_false(json_object_get(zone, "empty"));
        json_decref(doc);
        truce_scenario_free(s);
    }
    /* the generator reaches both verdicts, and relaxations of both kinds */
    assert_true(empty >= 10 && open >= 10);
    assert_true(relaxed_hard >= 5 && relaxed_reservation >= 5);
}

/* ------------------------------------------------------------------ */
/* The zone by hand                                                   */
/* ------------------------------------------------------------------ */

/* Two principals whose hard conditions exclude each other. p: land north 1,
 * south .2 (weight .5); money 0..2 worth .5 * (0, .5, 1). q: land north .2,
 * south 1 (.5); money worth .5 * (1, .5, 0). Reservations .1. */
static const char LAND[] = "truce: 1\n"
                           "name: land\n"
                           "issues:\n"
                           "  - id: land\n"
                           "    options: [north, south]\n"
                           "  - id: money\n"
                           "    type: integer\n"
                           "    range: [0, 2]\n"
                           "parties:\n"
                           "  - id: p\n"
                           "    weights: {land: 0.5, money: 0.5}\n"
                           "    values:\n"
                           "      land: {north: 1, south: 0.2}\n"
                           "      money: {slope: 0.5}\n"
                           "    reservation: 0.1\n"
                           "    hard_conditions:\n"
                           "      - id: keep-north\n"
                           "        require: {land: [north]}\n"
                           "  - id: q\n"
                           "    weights: {land: 0.5, money: 0.5}\n"
                           "    values:\n"
                           "      land: {north: 0.2, south: 1}\n"
                           "      money: {slope: -0.5, offset: 1}\n"
                           "    reservation: 0.1\n"
                           "    hard_conditions:\n"
                           "      - id: keep-south\n"
                           "        require: {land: [south]}\n";

static void test_exclusive_hard_conditions_leave_an_empty_zone_with_two_ways_out(void **state)
{
    (void)state;
    truce_scenario *s = load_text(LAND);
    json_t *doc = check_at(s, 0);
    json_t *zone = json_object_get(doc, "zone");
    assert_true(json_is_true(json_object_get(zone, "empty")));
    assert_int_equal(json_integer_value(json_object_get(zone, "outcomes")), 6);
    assert_int_equal(json_integer_value(json_object_get(zone, "feasible")), 0);
    json_t *relax = json_object_get(zone, "relaxations");
    assert_int_equal(json_array_size(relax), 2);
    /* relax p's condition: south; money 0 gives p .1 (not above .1), money
     * 1 gives .35 x .75 = .2625, money 2 gives .6 x .5 = .3: money 2. And
     * symmetrically north with money 0 (.5 x .6) when q's is relaxed. */
    int seen = 0;
    for (size_t k = 0; k < 2; k++) {
        json_t *r = json_array_get(relax, k);
        json_t *c = json_array_get(json_object_get(r, "relax"), 0);
        assert_int_equal(json_array_size(json_object_get(r, "relax")), 1);
        assert_string_equal(str(c, "kind"), "hard_condition");
        json_t *best = json_object_get(json_object_get(r, "best"), "outcome");
        json_t *u = json_object_get(json_object_get(r, "best"), "utilities");
        if (!strcmp(str(c, "party"), "p")) {
            assert_string_equal(str(c, "id"), "keep-north");
            assert_string_equal(str(best, "land"), "south");
            assert_string_equal(str(best, "money"), "2");
            assert_close(num(u, "p"), 0.6, 1e-9);
            assert_close(num(u, "q"), 0.5, 1e-9);
            seen |= 1;
        } else {
            assert_string_equal(str(c, "id"), "keep-south");
            assert_string_equal(str(best, "land"), "north");
            assert_string_equal(str(best, "money"), "0");
            assert_close(num(u, "p"), 0.5, 1e-9);
            assert_close(num(u, "q"), 0.6, 1e-9);
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
    /* reservation values that do not move never open it */
    assert_true(json_is_null(json_object_get(zone, "opens_at_time")));
    json_decref(doc);
    truce_scenario_free(s);
}

/* One issue; p's reservation falls from .9 at time 0 to .1 at time 1. */
static const char FALLING[] = "truce: 1\n"
                              "name: falling\n"
                              "issues:\n"
                              "  - id: deal\n"
                              "    options: [x, y, z]\n"
                              "parties:\n"
                              "  - id: p\n"
                              "    weights: {deal: 1}\n"
                              "    values: {deal: {x: 1, y: 0.6, z: 0}}\n"
                              "    reservation:\n"
                              "      points: [[0, 0.9], [1, 0.1]]\n"
                              "  - id: q\n"
                              "    weights: {deal: 1}\n"
                              "    values: {deal: {x: 0, y: 0.6, z: 1}}\n"
                              "    reservation: 0.4\n";

static void test_zone_opens_when_a_falling_reservation_passes_the_compromise(void **state)
{
    (void)state;
    truce_scenario *s = load_text(FALLING);
    /* p needs more than .9 - .8 t; only y (.6, .6) can satisfy both: it
     * does once .9 - .8 t < .6, t > .375, so the first step is .4 */
    json_t *doc = check_at(s, 0);
    json_t *zone = json_object_get(doc, "zone");
    assert_true(json_is_true(json_object_get(zone, "empty")));
    assert_close(num(zone, "opens_at_time"), 0.4, 1e-12);
    assert_close(num(json_object_get(zone, "reservation"), "p"), 0.9, 1e-12);
    /* relaxing p's reservation allows y (.6 x .6) and z (0 x 1): y;
     * relaxing q's allows x only */
    json_t *relax = json_object_get(zone, "relaxations");
    assert_int_equal(json_array_size(relax), 2);
    for (size_t k = 0; k < 2; k++) {
        json_t *r = json_array_get(relax, k);
        const char *who = str(json_array_get(json_object_get(r, "relax"), 0), "party");
        const char *deal = str(json_object_get(json_object_get(r, "best"), "outcome"), "deal");
        assert_string_equal(deal, !strcmp(who, "p") ? "y" : "x");
    }
    json_decref(doc);
    doc = check_at(s, 0.5);
    zone = json_object_get(doc, "zone");
    assert_true(json_is_false(json_object_get(zone, "empty")));
    assert_int_equal(json_integer_value(json_object_get(zone, "feasible")), 3);
    assert_int_equal(json_integer_value(json_object_get(zone, "individually_rational")), 1);
    assert_close(num(json_object_get(zone, "reservation"), "p"), 0.5, 1e-12);
    assert_string_equal(str(json_object_get(json_object_get(zone, "best"), "outcome"), "deal"),
                        "y");
    assert_null(json_object_get(zone, "opens_at_time"));
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_check_refuses_bad_options_and_spaces_over_the_limit(void **state)
{
    (void)state;
    truce_scenario *s = load_text(FALLING);
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    char *text = NULL;
    truce_error err;
    o.time = 1.5;
    assert_int_equal(truce_check(&text, s, &o, &err), TRUCE_EINVAL);
    o.time = 0;
    o.max_outcomes = 2; /* 3 outcomes: the zone comes from the exact analysis (linear), but
                           the relaxations and the count of agreeable outcomes need an
                           enumeration: left out */
    assert_int_equal(truce_check(&text, s, &o, &err), 0);
    json_t *doc = parse(text);
    json_t *zone = json_object_get(doc, "zone");
    assert_true(json_is_true(json_object_get(zone, "empty")));
    assert_true(json_is_null(json_object_get(zone, "relaxations")));
    assert_true(json_is_null(json_object_get(zone, "individually_rational")));
    json_decref(doc);
    text = NULL;
    size_t acc = 1;
    assert_int_equal(truce_advise(&text, s, 0, &acc, 1, &o, &err), TRUCE_ELIMIT);
    o.max_outcomes = 10;
    o.version = 99;
    assert_int_equal(truce_check(&text, s, &o, &err), TRUCE_EINVAL);
    assert_null(text);
    truce_scenario_free(s);
}

/* The exact analysis behind the zone, with three or more bargainers, is bounded by max_work as
 * truce_analyze is (it was bounded only by the analysis's default, 2e9 units, whatever the
 * check's other limits: fuzz_yaml spent most of its time there). The work that suffices is the
 * analysis's own count, truce_analysis_work, at the options check uses. */
static void test_check_bounds_the_work_of_many_bargainers(void **state)
{
    (void)state;
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_parties = 4;
    g.n_issues = 5;
    g.n_options = 4;
    g.seed = 11;
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_generate(&s, &g, &err), 0);
    truce_analysis *an = NULL;
    assert_int_equal(truce_analyze(&an, s, NULL, &err), 0);
    double work = truce_analysis_work(an);
    assert_true(work > 0);
    truce_analysis_free(an);
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    char *text = NULL, *unbounded = NULL;
    assert_int_equal(truce_check(&unbounded, s, &o, &err), 0);
    o.max_work = work / 4;
    assert_int_equal(truce_check(&text, s, &o, &err), TRUCE_ELIMIT);
    assert_null(text);
    assert_string_equal(err.field, "max_work");
    /* enough work: the same report as without a bound */
    o.max_work = work + 1;
    assert_int_equal(truce_check(&text, s, &o, &err), 0);
    assert_string_equal(text, unbounded);
    truce_free(text);
    o.max_work = 0;
    assert_int_equal(truce_check(&text, s, &o, &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "max_work");
    o.version = 3; /* max_work not read: the analysis's default */
    assert_int_equal(truce_check(&text, s, &o, &err), 0);
    assert_string_equal(text, unbounded);
    truce_free(text);
    truce_free(unbounded);
    truce_scenario_free(s);
}

/* ------------------------------------------------------------------ */
/* Advice                                                             */
/* ------------------------------------------------------------------ */

/* Brute force: A's best utility within its hard conditions among outcomes
 * every named party accepts (ties: the largest sum of their utilities);
 * with `named` = 0, A's ideal (no acceptance needed). */
typedef struct brute_advice {
    int found;
    double u, tie;
} brute_advice;

static brute_advice brute_advise(const spec *sp, const truce_scenario *s, int a, const int *acc,
                                 int n_acc, int named, double t)
{
    brute_advice b = {0, -INFINITY, -INFINITY};
    uint32_t o[MAX_ISSUES];
    for (uint64_t x = 0; x < space_size(s); x++) {
        outcome_from_index(s, x, o);
        if (!spec_within_all(&sp->p[a], o))
            continue;
        int ok = 1;
        double tie = 0;
        for (int k = 0; k < n_acc; k++) {
            double u = truce_utility(s, (size_t)acc[k], o);
            tie += u;
            if (named)
                ok &= spec_within_all(&sp->p[acc[k]], o) && u > spec_reservation(&sp->p[acc[k]], t);
        }
        if (named)
            ok &= spec_feasible(sp, o);
        double u = truce_utility(s, (size_t)a, o);
        if (ok && (u > b.u || (u == b.u && tie > b.tie))) {
            b.found = 1;
            b.u = u;
            b.tie = tie;
        }
    }
    return b;
}

static void assert_advice_matches_brute_force(const spec *sp, const truce_scenario *s, int a,
                                              const int *acc, int n_acc, double t)
{
    size_t acc_index[MAX_PARTIES];
    for (int k = 0; k < n_acc; k++)
        acc_index[k] = (size_t)acc[k];
    json_t *doc = advise(s, (size_t)a, acc_index, (size_t)n_acc, t);
    brute_advice ideal = brute_advise(sp, s, a, acc, n_acc, 0, t);
    brute_advice best = brute_advise(sp, s, a, acc, n_acc, 1, t);
    size_t ni = truce_scenario_issue_count(s);
    uint32_t io[MAX_ISSUES], ao[MAX_ISSUES];
    double tie;
    if (!ideal.found) {
        /* A's own hard conditions exclude every outcome: no ideal, no advice */
        assert_null(json_object_get(doc, "ideal"));
        assert_false(best.found);
        assert_true(json_is_null(json_object_get(doc, "advice")));
        json_decref(doc);
        return;
    }
    outcome_of_json(s, json_object_get(json_object_get(doc, "ideal"), "outcome"), io);
    assert_true(spec_within_all(&sp->p[a], io));
    assert_true(truce_utility(s, (size_t)a, io) == ideal.u);
    tie = 0;
    for (int k = 0; k < n_acc; k++)
        tie += truce_utility(s, (size_t)acc[k], io);
    assert_true(tie == ideal.tie);
    assert_int_equal(json_is_true(json_object_get(doc, "found")), best.found);
    json_t *adv = json_object_get(doc, "advice");
    if (!best.found) {
        assert_true(json_is_null(adv));
        /* why: for each named party, the most it could get among feasible
         * outcomes within its own hard conditions (null: none) */
        json_t *why = json_object_get(doc, "why");
        assert_int_equal(json_array_size(why), (size_t)n_acc);
        for (int k = 0; k < n_acc; k++) {
            double most = -1;
            uint32_t o[MAX_ISSUES];
            for (uint64_t x = 0; x < space_size(s); x++) {
                outcome_from_index(s, x, o);
                if (spec_feasible(sp, o) && spec_within_all(&sp->p[acc[k]], o) &&
                    truce_utility(s, (size_t)acc[k], o) > most)
                    most = truce_utility(s, (size_t)acc[k], o);
            }
            json_t *w = json_array_get(why, (size_t)k);
            if (most < 0)
                assert_true(json_is_null(json_object_get(w, "best_possible")));
            else
                assert_close(num(w, "best_possible"), most, 1e-9);
            assert_close(num(w, "reservation"), spec_reservation(&sp->p[acc[k]], t), 1e-9);
        }
        json_decref(doc);
        return;
    }
    outcome_of_json(s, json_object_get(adv, "outcome"), ao);
    /* feasible, accepted by everyone named, within A's conditions, and the best */
    assert_true(spec_within_all(&sp->p[a], ao));
    assert_true(spec_feasible(sp, ao));
    tie = 0;
    for (int k = 0; k < n_acc; k++) {
        double u = truce_utility(s, (size_t)acc[k], ao);
        assert_true(spec_within_all(&sp->p[acc[k]], ao));
        assert_true(u > spec_reservation(&sp->p[acc[k]], t));
        tie += u;
    }
    assert_true(truce_utility(s, (size_t)a, ao) == best.u);
    assert_true(tie == best.tie);
    /* every BATNA shown, with the margin the advice clears it by: the
     * advised party first, then the named ones; thin below 0.05 */
    json_t *margins = json_object_get(doc, "margins");
    assert_int_equal(json_array_size(margins), (size_t)n_acc + 1);
    for (int k = 0; k <= n_acc; k++) {
        int p = k == 0 ? a : acc[k - 1];
        json_t *m = json_array_get(margins, (size_t)k);
        double r = spec_reservation(&sp->p[p], t), u = truce_utility(s, (size_t)p, ao);
        assert_string_equal(str(m, "party"), truce_party_name(s, (size_t)p));
        assert_close(num(m, "reservation"), r, 1e-12);
        assert_close(num(m, "margin"), u - r, 1e-12);
        assert_int_equal(json_is_true(json_object_get(m, "thin")), u - r < 0.05);
    }
    /* clause by clause against the ideal */
    json_t *clauses = json_object_get(adv, "clauses");
    assert_int_equal(json_array_size(clauses), ni);
    for (size_t i = 0; i < ni; i++) {
        json_t *c = json_array_get(clauses, i);
        assert_string_equal(str(c, "issue"), truce_issue_name(s, i));
        assert_int_equal(truce_option_find(s, i, str(c, "ideal")), io[i]);
        assert_int_equal(truce_option_find(s, i, str(c, "advised")), ao[i]);
        int changed = io[i] != ao[i];
        assert_int_equal(json_is_true(json_object_get(c, "changed")), changed);
        json_t *delta = json_object_get(c, "utility_change");
        if (!changed) {
            assert_null(delta);
            continue;
        }
        /* the change's worth: advised outcome against the same with this
         * clause back at the ideal */
        uint32_t back[MAX_ISSUES];
        memcpy(back, ao, sizeof back);
        back[i] = io[i];
        for (size_t p = 0; p < truce_scenario_party_count(s); p++)
            assert_close(num(delta, truce_party_name(s, p)),
                         truce_utility(s, p, ao) - truce_utility(s, p, back), 1e-9);
    }
    json_decref(doc);
}

static void test_advice_matches_a_brute_force(void **state)
{
    (void)state;
    uint64_t rng = 7;
    int found = 0, none = 0;
    for (int round = 0; round < 60; round++) {
        spec sp;
        random_spec(&rng, &sp);
        truce_scenario *s = load_text(sp.yaml);
        double t = round % 2 ? 0.5 : 0;
        int a = pick(&rng, sp.n_parties);
        int acc[MAX_PARTIES], n_acc = 0;
        for (int p = 0; p < sp.n_parties; p++)
            if (p != a && (n_acc == 0 || pick(&rng, 2)))
                acc[n_acc++] = p;
        assert_advice_matches_brute_force(&sp, s, a, acc, n_acc, t);
        brute_advice b = brute_advise(&sp, s, a, acc, n_acc, 1, t);
        found += b.found;
        none += !b.found;
        truce_scenario_free(s);
    }
    assert_true(found >= 10 && none >= 5);
}

static void test_advise_refuses_the_party_itself_and_unknown_parties(void **state)
{
    (void)state;
    truce_scenario *s = load_text(FALLING);
    char *text = NULL;
    truce_error err;
    size_t self = 0, absent = 9;
    assert_int_equal(truce_advise(&text, s, 0, &self, 1, NULL, &err), TRUCE_EINVAL);
    assert_int_equal(truce_advise(&text, s, 0, &absent, 1, NULL, &err), TRUCE_ENOTFOUND);
    assert_int_equal(truce_advise(&text, s, 5, NULL, 0, NULL, &err), TRUCE_ENOTFOUND);
    assert_null(text);
    truce_scenario_free(s);
}

/* ------------------------------------------------------------------ */
/* Trade-offs                                                         */
/* ------------------------------------------------------------------ */

static const char TRADE[] = "truce: 1\n"
                            "name: trade\n"
                            "issues:\n"
                            "  - id: first\n"
                            "    options: [a, b, c]\n"
                            "  - id: second\n"
                            "    options: [p, q]\n"
                            "parties:\n"
                            "  - id: x\n"
                            "    weights: {first: 0.5, second: 0.5}\n"
                            "    values:\n"
                            "      first: {a: 1, b: 0.8, c: 0}\n"
                            "      second: {p: 1, q: 0.9}\n"
                            "  - id: y\n"
                            "    weights: {first: 0.3, second: 0.7}\n"
                            "    values:\n"
                            "      first: {a: 0, b: 1, c: 0.5}\n"
                            "      second: {p: 0.2, q: 1}\n";

static void test_tradeoffs_of_a_two_issue_case_match_hand_computation(void **state)
{
    (void)state;
    truce_scenario *s = load_text(TRADE);
    char *text = NULL;
    truce_error err;
    if (truce_tradeoffs(&text, s, &err))
        fail_msg("%s", err.message);
    json_t *list = parse(text);
    /* x gives, y receives. first: x's best a (.5); y gains .3 - 0 for b at
     * x's cost .5 - .4 = .1 (joint .2); c: .15 - .5 < 0. second: x's best p
     * (.5); q: y gains .7 - .14 = .56 at x's cost .05 (joint .51).
     * y gives, x receives: y's best options are b and q; every move from
     * them costs y more than x gains. So two trade-offs, .51 first. */
    assert_int_equal(json_array_size(list), 2);
    json_t *t0 = json_array_get(list, 0), *t1 = json_array_get(list, 1);
    assert_string_equal(str(t0, "giver"), "x");
    assert_string_equal(str(t0, "receiver"), "y");
    assert_string_equal(str(t0, "issue"), "second");
    assert_string_equal(str(t0, "from"), "p");
    assert_string_equal(str(t0, "to"), "q");
    assert_close(num(t0, "giver_cost"), 0.05, 1e-9);
    assert_close(num(t0, "receiver_gain"), 0.56, 1e-9);
    assert_close(num(t0, "joint_gain"), 0.51, 1e-9);
    assert_close(num(t0, "ratio"), 11.2, 1e-9);
    assert_string_equal(str(t1, "issue"), "first");
    assert_string_equal(str(t1, "from"), "a");
    assert_string_equal(str(t1, "to"), "b");
    assert_close(num(t1, "giver_cost"), 0.1, 1e-9);
    assert_close(num(t1, "receiver_gain"), 0.3, 1e-9);
    assert_close(num(t1, "joint_gain"), 0.2, 1e-9);
    assert_close(num(t1, "ratio"), 3, 1e-9);
    json_decref(list);
    truce_scenario_free(s);
}

static void test_tradeoffs_leave_out_profiles_with_terms(void **state)
{
    (void)state;
    /* z gives w the second issue cheaply (p -> q costs z .5, gains w's
     * linear part 1), but w's terms make its utility more than that part:
     * w is left out. Between z and v nothing is worth trading. */
    static const char text_in[] = "truce: 1\n"
                                  "name: terms\n"
                                  "issues:\n"
                                  "  - id: first\n"
                                  "    options: [a, b]\n"
                                  "  - id: second\n"
                                  "    options: [p, q]\n"
                                  "parties:\n"
                                  "  - id: z\n"
                                  "    weights: {second: 1}\n"
                                  "    values: {second: {p: 1, q: 0.5}}\n"
                                  "  - id: v\n"
                                  "    weights: {first: 1}\n"
                                  "    values: {first: {a: 0, b: 1}}\n"
                                  "  - id: w\n"
                                  "    weights: {second: 1}\n"
                                  "    values: {second: {p: 0, q: 1}}\n"
                                  "    terms:\n"
                                  "      - value: 0.5\n"
                                  "        when: {first: [a]}\n";
    truce_scenario *s = load_text(text_in);
    char *text = NULL;
    truce_error err;
    if (truce_tradeoffs(&text, s, &err))
        fail_msg("%s", err.message);
    json_t *list = parse(text);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    truce_scenario_free(s);
}

static void test_tradeoffs_start_from_the_givers_best_with_ties_to_the_receiver(void **state)
{
    (void)state;
    static const char indifferent[] = "truce: 1\n"
                                      "name: indifferent\n"
                                      "issues:\n"
                                      "  - id: first\n"
                                      "    options: [a, b, c]\n"
                                      "parties:\n"
                                      "  - id: g\n"
                                      "    weights: {first: 1}\n"
                                      "    values: {first: {a: 1, b: 1, c: 0}}\n"
                                      "  - id: r\n"
                                      "    weights: {first: 1}\n"
                                      "    values: {first: {a: 0, b: 0.5, c: 1}}\n";
    truce_scenario *s = load_text(indifferent);
    char *text = NULL;
    truce_error err;
    if (truce_tradeoffs(&text, s, &err))
        fail_msg("%s", err.message);
    json_t *list = parse(text);
    /* g is indifferent between a and b and starts from b, r's liking: a
     * would cost r .5, c costs g 1 for r's .5. r starts from c: a gives g
     * 1 for r's 1 (no gain), b gives g 1 for r's .5: joint .5, ratio 2 */
    assert_int_equal(json_array_size(list), 1);
    json_t *t = json_array_get(list, 0);
    assert_string_equal(str(t, "giver"), "r");
    assert_string_equal(str(t, "receiver"), "g");
    assert_string_equal(str(t, "from"), "c");
    assert_string_equal(str(t, "to"), "b");
    assert_close(num(t, "giver_cost"), 0.5, 1e-9);
    assert_close(num(t, "receiver_gain"), 1, 1e-9);
    assert_close(num(t, "joint_gain"), 0.5, 1e-9);
    assert_close(num(t, "ratio"), 2, 1e-9);
    json_decref(list);
    truce_scenario_free(s);
}

/* ------------------------------------------------------------------ */
/* The seed                                                           */
/* ------------------------------------------------------------------ */

static truce_scenario *load_seed(void)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, SEED, NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static void test_seed_allows_mediated_talks_only(void **state)
{
    (void)state;
    truce_scenario *s = load_seed();
    json_t *doc = check_at(s, 0);
    json_t *ch = json_object_get(doc, "channels");
    json_t *p = find_protocol(ch, "direct-bilateral", "russia,ukraine");
    assert_non_null(p);
    assert_true(json_is_false(json_object_get(p, "feasible")));
    p = find_protocol(ch, "mediated", "usa");
    assert_non_null(p);
    assert_true(json_is_true(json_object_get(p, "feasible")));
    char buf[128];
    joined(json_object_get(find_reach(ch, "russia", "ukraine"), "path"), buf, sizeof buf);
    assert_string_equal(buf, "russia,usa,ukraine");
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_seed_ceasefire_first_is_a_deadlock_with_its_holders(void **state)
{
    (void)state;
    truce_scenario *s = load_seed();
    json_t *doc = check_at(s, 0);
    json_t *ag = json_object_get(doc, "agenda");
    json_t *dl = json_object_get(ag, "deadlocks");
    assert_int_equal(json_array_size(dl), 1);
    char buf[128];
    joined(json_object_get(json_array_get(dl, 0), "cycle"), buf, sizeof buf);
    assert_string_equal(buf, "ceasefire,settlement");
    json_t *edges_json = json_object_get(json_array_get(dl, 0), "edges");
    joined(json_object_get(json_array_get(edges_json, 0), "held_by"), buf, sizeof buf);
    assert_string_equal(buf, "ukraine,usa,eu");
    joined(json_object_get(json_array_get(edges_json, 1), "held_by"), buf, sizeof buf);
    assert_string_equal(buf, "russia");
    assert_int_equal(json_array_size(json_object_get(ag, "smallest_drops")), 2);
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_seed_zone_is_empty_and_opens_by_withdrawal_or_ukraine_conceding(void **state)
{
    (void)state;
    truce_scenario *s = load_seed();
    json_t *doc = check_at(s, 0);
    json_t *zone = json_object_get(doc, "zone");
    assert_true(json_is_true(json_object_get(zone, "empty")));
    assert_close(num(json_object_get(zone, "reservation"), "russia"), 0.5, 1e-12);
    assert_close(num(json_object_get(zone, "reservation"), "ukraine"), 0.65, 1e-12);
    char buf[128];
    joined(json_object_get(zone, "principals"), buf, sizeof buf);
    assert_string_equal(buf, "russia,ukraine");
    int withdrawal = 0, reservation = 0;
    size_t k;
    json_t *r;
    json_array_foreach(json_object_get(zone, "relaxations"), k, r)
    {
        json_t *c = json_array_get(json_object_get(r, "relax"), 0);
        if (json_array_size(json_object_get(r, "relax")) != 1)
            continue;
        withdrawal |= !strcmp(str(c, "party"), "russia") &&
                      !strcmp(str(c, "kind"), "hard_condition") &&
                      !strcmp(str(c, "id"), "withdrawal");
        reservation |=
            !strcmp(str(c, "party"), "ukraine") && !strcmp(str(c, "kind"), "reservation");
    }
    assert_true(withdrawal && reservation);
    /* Ukraine can get at most .65 while Russia keeps its condition, and it
     * needs more than .65: no time opens the zone */
    assert_true(json_is_null(json_object_get(zone, "opens_at_time")));
    json_decref(doc);
    truce_scenario_free(s);
}

/* The brute forces above take at most MAX_ISSUES issues; the seed has six,
 * so its zone and advice are checked here with loops of their own. */
static int seed_meets(const truce_scenario *s, int which, const uint32_t *o, double t)
{
    switch (which) {
    case 0: /* russia's withdrawal */
        return o[0] == 0;
    case 1: /* russia's reservation */
        return truce_utility(s, 0, o) > 0.5 + (0.3 - 0.5) * t;
    default: /* ukraine's reservation */
        return truce_utility(s, 1, o) > 0.65;
    }
}

static void test_seed_relaxations_match_a_brute_force(void **state)
{
    (void)state;
    truce_scenario *s = load_seed();
    json_t *doc = check_at(s, 0);
    json_t *zone = json_object_get(doc, "zone");
    uint32_t o[6];
    /* constraints: 0 russia's withdrawal, 1 russia's reservation, 2
     * ukraine's. The best score outside each set: the largest utility of
     * the relaxed parties when a reservation is relaxed (the smallest
     * concession), else the Nash product over russia and ukraine */
    double best[8];
    double r[2] = {truce_party_reservation_at(s, 0, 0), truce_party_reservation_at(s, 1, 0)};
    for (unsigned mask = 0; mask < 8; mask++) {
        best[mask] = -INFINITY;
        for (uint64_t x = 0; x < 1728; x++) {
            outcome_from_index(s, x, o);
            int ok = 1;
            for (int c = 0; c < 3 && ok; c++)
                ok = (mask >> c & 1) || seed_meets(s, c, o, 0);
            double u0 = truce_utility(s, 0, o), u1 = truce_utility(s, 1, o);
            double score = (mask & 6) ? ((mask & 2) ? u0 : 0) + ((mask & 4) ? u1 : 0)
                                      : (u0 - r[0]) * (u1 - r[1]);
            if (ok && score > best[mask])
                best[mask] = score;
        }
    }
    assert_true(best[0] == -INFINITY);
    /* minimal opening sets */
    int n_minimal = 0;
    for (unsigned mask = 1; mask < 8; mask++) {
        if (best[mask] == -INFINITY)
            continue;
        int minimal = 1;
        for (int c = 0; c < 3; c++)
            if (mask >> c & 1)
                minimal &= best[mask & ~(1u << c)] == -INFINITY;
        n_minimal += minimal;
    }
    json_t *relax = json_object_get(zone, "relaxations");
    assert_int_equal(json_array_size(relax), (size_t)n_minimal);
    size_t k;
    json_t *rel;
    json_array_foreach(relax, k, rel)
    {
        unsigned mask = 0;
        size_t j;
        json_t *c;
        json_array_foreach(json_object_get(rel, "relax"), j, c)
        {
            if (!strcmp(str(c, "kind"), "hard_condition"))
                mask |= 1;
            else
                mask |= !strcmp(str(c, "party"), "russia") ? 2u : 4u;
        }
        outcome_of_json(s, json_object_get(json_object_get(rel, "best"), "outcome"), o);
        double u0 = truce_utility(s, 0, o), u1 = truce_utility(s, 1, o);
        double score = (mask & 6) ? ((mask & 2) ? u0 : 0) + ((mask & 4) ? u1 : 0)
                                  : (u0 - r[0]) * (u1 - r[1]);
        assert_close(score, best[mask], 1e-12);
        if (mask == 4) {
            /* the issue's example: ukraine concedes 0.025 (0.650 -> below 0.625), the
             * largest utility it gets from a deal russia accepts, by hand: withdrawal,
             * ceasefire immediately .2, treaty .05, nato-membership .25, sanctions partial
             * .025, no cap .1 */
            json_t *cj = json_array_get(json_object_get(rel, "relax"), 0);
            assert_close(num(cj, "concession"), 0.025, 1e-12);
            assert_close(num(cj, "deal_gives"), 0.625, 1e-12);
        }
    }
    json_decref(doc);
    truce_scenario_free(s);
}

static void test_seed_advice_for_russia_wins_the_us_and_matches_a_brute_force(void **state)
{
    (void)state;
    truce_scenario *s = load_seed();
    size_t russia = party_of(s, "russia"), usa = party_of(s, "usa");
    json_t *doc = advise(s, russia, &usa, 1, 0);
    assert_true(json_is_true(json_object_get(doc, "found")));
    uint32_t o[6], ideal[6], adv[6];
    double best_u = -INFINITY, best_tie = -INFINITY, ideal_u = -INFINITY;
    for (uint64_t x = 0; x < 1728; x++) {
        outcome_from_index(s, x, o);
        if (o[0] != 0) /* russia's withdrawal */
            continue;
        double u = truce_utility(s, russia, o), us = truce_utility(s, usa, o);
        if (u > ideal_u)
            ideal_u = u;
        if (us > 0.35 && (u > best_u || (u == best_u && us > best_tie))) {
            best_u = u;
            best_tie = us;
        }
    }
    json_t *a = json_object_get(doc, "advice");
    outcome_of_json(s, json_object_get(a, "outcome"), adv);
    outcome_of_json(s, json_object_get(json_object_get(doc, "ideal"), "outcome"), ideal);
    assert_true(truce_utility(s, russia, adv) == best_u);
    assert_true(truce_utility(s, usa, adv) == best_tie);
    assert_true(truce_utility(s, usa, adv) > 0.35);
    assert_int_equal(adv[0], 0);
    assert_true(truce_utility(s, russia, ideal) == ideal_u);
    /* the US does not accept Russia's ideal: some clause must change */
    assert_false(truce_utility(s, usa, ideal) > 0.35);
    int changed = 0;
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(a, "clauses"), k, c)
    {
        int ch = json_is_true(json_object_get(c, "changed"));
        assert_int_equal(ch, ideal[k] != adv[k]);
        changed += ch;
    }
    assert_true(changed >= 1);
    json_decref(doc);
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_cycle_is_a_deadlock_broken_by_dropping_either_demand),
        cmocka_unit_test(test_three_cycle_is_broken_by_any_one_of_its_demands),
        cmocka_unit_test(test_two_separate_cycles_need_one_drop_each),
        cmocka_unit_test(test_acyclic_preconditions_are_no_deadlock),
        cmocka_unit_test(test_dense_agenda_lists_a_bounded_number_of_cycles),
        cmocka_unit_test(test_long_cycle_through_a_long_agenda_is_found),
        cmocka_unit_test(test_dense_acyclic_agenda_is_no_deadlock_and_complete),
        cmocka_unit_test(test_cycle_search_stops_within_its_budget_and_says_so),
        cmocka_unit_test(test_one_cycle_in_a_dense_agenda_is_found_at_once),
        cmocka_unit_test(test_relay_paths_are_shortest_and_unreachable_parties_have_none),
        cmocka_unit_test(test_protocols_need_channels_between_principals_or_to_a_mediator),
        cmocka_unit_test(
            test_three_principals_talk_multilaterally_only_when_all_pairs_have_channels),
        cmocka_unit_test(test_zone_and_minimal_relaxations_match_a_brute_force),
        cmocka_unit_test(test_exclusive_hard_conditions_leave_an_empty_zone_with_two_ways_out),
        cmocka_unit_test(test_zone_opens_when_a_falling_reservation_passes_the_compromise),
        cmocka_unit_test(test_check_refuses_bad_options_and_spaces_over_the_limit),
        cmocka_unit_test(test_check_bounds_the_work_of_many_bargainers),
        cmocka_unit_test(test_advice_matches_a_brute_force),
        cmocka_unit_test(test_advise_refuses_the_party_itself_and_unknown_parties),
        cmocka_unit_test(test_tradeoffs_of_a_two_issue_case_match_hand_computation),
        cmocka_unit_test(test_tradeoffs_leave_out_profiles_with_terms),
        cmocka_unit_test(test_tradeoffs_start_from_the_givers_best_with_ties_to_the_receiver),
        cmocka_unit_test(test_seed_allows_mediated_talks_only),
        cmocka_unit_test(test_seed_ceasefire_first_is_a_deadlock_with_its_holders),
        cmocka_unit_test(test_seed_zone_is_empty_and_opens_by_withdrawal_or_ukraine_conceding),
        cmocka_unit_test(test_seed_relaxations_match_a_brute_force),
        cmocka_unit_test(test_seed_advice_for_russia_wins_the_us_and_matches_a_brute_force),
    };
    return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
