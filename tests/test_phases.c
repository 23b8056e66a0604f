/* test_phases.c: phases of implementation (the 'phases' of a scenario and 'same_phase' of a
 * precondition) as truce_check reports them, against brute forces written here: how a phase
 * plan treats every demand, and every assignment of a deadlock's items to phases that meets
 * its demands; the format's refusals; writing and reading back; the JCPOA by hand. */
#define _DEFAULT_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define NI 4 /* agenda items of the random scenarios: i0..i3 */
#define NH 3 /* parties holding demands: a, b, c */

static truce_scenario *load_text(const char *text)
{
    truce_scenario *s = NULL;
    truce_error err;
    const char *path = temp_file("phases.yaml", text);
    if (truce_scenario_load_yaml(&s, path, NULL, &err))
        fail_msg("%s\n%s", err.message, text);
    return s;
}

static json_t *agenda_of(const truce_scenario *s)
{
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.margins = 0; /* the agenda is what is tested here */
    char *text = NULL;
    truce_error err;
    if (truce_check(&text, s, &o, &err))
        fail_msg("truce_check: %s", err.message);
    json_t *doc = json_parse_or_fail(text);
    truce_free(text);
    json_t *agenda = json_incref(json_object_get(doc, "agenda"));
    json_decref(doc);
    return agenda;
}

/* the test's own record: precondition k is party who[k]'s demand first[k] before then[k] */
typedef struct world {
    int n_pre, who[8], first[8], then[8], same[8];
    int phase[NI]; /* -1: in no phase */
} world;

static int item_of(const char *id)
{
    return id[1] - '0';
}

/* every holder of first-before-then accepts the same phase */
static int tolerant(const world *x, int first, int then)
{
    int any = 0;
    for (int k = 0; k < x->n_pre; k++)
        if (x->first[k] == first && x->then[k] == then) {
            any = 1;
            if (!x->same[k])
                return 0;
        }
    return any;
}

static int met(const world *x, int first, int then, int pf, int pt)
{
    return pf >= 0 && pt >= 0 && (pf < pt || (pf == pt && tolerant(x, first, then)));
}

static char *random_world(world *x, unsigned *seed)
{
    static char text[4096];
    size_t used = 0;
    used += (size_t)snprintf(text + used, sizeof text - used,
                             "truce: 1\nname: random-phases\nissues:\n  - id: x\n    options: [y, "
                             "n]\nparties:\n  - id: a\n  - id: b\n  - id: c\nagenda:\n");
    for (int i = 0; i < NI; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "  - id: i%d\n", i);
    x->n_pre = 2 + rand_r(seed) % 7;
    used += (size_t)snprintf(text + used, sizeof text - used, "preconditions:\n");
    for (int k = 0; k < x->n_pre; k++) {
        x->who[k] = rand_r(seed) % NH;
        x->first[k] = rand_r(seed) % NI;
        do
            x->then[k] = rand_r(seed) % NI;
        while (x->then[k] == x->first[k]);
        x->same[k] = rand_r(seed) % 3 != 0;
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "  - {party: %c, first: i%d, then: i%d%s}\n", 'a' + x->who[k],
                                 x->first[k], x->then[k], x->same[k] ? ", same_phase: true" : "");
    }
    used += (size_t)snprintf(text + used, sizeof text - used, "phases:\n");
    for (int i = 0; i < NI; i++)
        x->phase[i] = rand_r(seed) % 4 - 1;
    for (int p = 0; p < 3; p++) {
        used += (size_t)snprintf(text + used, sizeof text - used, "  - id: p%d\n    items: [", p);
        int first = 1;
        for (int i = 0; i < NI; i++)
            if (x->phase[i] == p) {
                used += (size_t)snprintf(text + used, sizeof text - used, "%si%d",
                                         first ? "" : ", ", i);
                first = 0;
            }
        used += (size_t)snprintf(text + used, sizeof text - used, "]\n");
    }
    return text;
}

/* A package as text: its phases' items, e.g. "i0,i2|i1". */
static void package_key(json_t *phases, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t k, j;
    json_t *ph, *it;
    json_array_foreach(phases, k, ph)
    {
        if (k)
            strncat(buf, "|", size - strlen(buf) - 1);
        json_array_foreach(ph, j, it)
        {
            if (j)
                strncat(buf, ",", size - strlen(buf) - 1);
            strncat(buf, json_string_value(it), size - strlen(buf) - 1);
        }
    }
}

static void test_plans_and_phased_packages_match_brute_force(void **state)
{
    (void)state;
    unsigned seed = 5;
    size_t cycles_seen = 0, resolved = 0;
    for (int round = 0; round < 120; round++) {
        world x;
        memset(&x, 0, sizeof x);
        truce_scenario *s = load_text(random_world(&x, &seed));
        json_t *ag = agenda_of(s);
        /* the plan: every distinct demand, as the test sees it */
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(json_object_get(ag, "plan"), "demands"), k, v)
        {
            int f = item_of(json_string_value(json_object_get(v, "first")));
            int t = item_of(json_string_value(json_object_get(v, "then")));
            int pf = x.phase[f], pt = x.phase[t];
            const char *under = pf < 0 || pt < 0 ? "unphased"
                                : pf < pt        ? "earlier"
                                : pf == pt       ? "same-phase"
                                                 : "reversed";
            assert_string_equal(json_string_value(json_object_get(v, "under_plan")), under);
            assert_int_equal(json_is_true(json_object_get(v, "met")), met(&x, f, t, pf, pt));
            assert_int_equal(json_is_true(json_object_get(v, "same_phase_accepted")),
                             tolerant(&x, f, t));
        }
        /* each deadlock: every assignment of its items to phases 0..n-1, each
         * used, that meets its demands */
        json_array_foreach(json_object_get(ag, "deadlocks"), k, v)
        {
            cycles_seen++;
            json_t *cycle = json_object_get(v, "cycle");
            size_t n = json_array_size(cycle);
            int item[NI];
            for (size_t i = 0; i < n; i++)
                item[i] = item_of(json_string_value(json_array_get(cycle, i)));
            char expected[64][64];
            size_t n_expected = 0;
            int assign[NI];
            size_t total = 1;
            for (size_t i = 0; i < n; i++)
                total *= n;
            for (size_t code = 0; code < total; code++) {
                size_t c = code;
                int used = 0, m = 0;
                for (size_t i = 0; i < n; i++) {
                    assign[i] = (int)(c % n);
                    c /= n;
                    used |= 1 << assign[i];
                    m = assign[i] + 1 > m ? assign[i] + 1 : m;
                }
                if (used != (1 << m) - 1)
                    continue;
                int ok = 1;
                for (size_t i = 0; i < n && ok; i++)
                    ok = met(&x, item[i], item[(i + 1) % n], assign[i], assign[(i + 1) % n]);
                if (!ok)
                    continue;
                char *key = expected[n_expected++];
                key[0] = '\0';
                for (int p = 0; p < m; p++) {
                    if (p)
                        strcat(key, "|");
                    int first = 1;
                    for (size_t i = 0; i < n; i++)
                        if (assign[i] == p) {
                            if (!first)
                                strcat(key, ",");
                            char id[4];
                            snprintf(id, sizeof id, "i%d", item[i]);
                            strcat(key, id);
                            first = 0;
                        }
                }
            }
            json_t *packages = json_object_get(v, "phased_packages");
            assert_int_equal(json_array_size(packages), n_expected);
            size_t j;
            json_t *pk;
            json_array_foreach(packages, j, pk)
            {
                char key[64];
                package_key(json_object_get(pk, "phases"), key, sizeof key);
                int found = 0;
                for (size_t e = 0; e < n_expected && !found; e++)
                    found = !strcmp(key, expected[e]);
                if (!found)
                    fail_msg("package %s is not one the brute force found", key);
            }
            /* a cycle can be phased only as one phase, when every demand in it
             * accepts the same phase (the phases would otherwise go round) */
            int all = 1;
            for (size_t i = 0; i < n; i++)
                all &= tolerant(&x, item[i], item[(i + 1) % n]);
            assert_int_equal(n_expected, (size_t)all);
            resolved += (size_t)all;
            /* the declared plan */
            int plan = 1;
            for (size_t i = 0; i < n; i++)
                plan &= met(&x, item[i], item[(i + 1) % n], x.phase[item[i]],
                            x.phase[item[(i + 1) % n]]);
            assert_int_equal(json_is_true(json_object_get(v, "plan_resolves")), plan);
        }
        /* written and read back: the same report */
        const char *out = temp_path("phases-written.yaml");
        truce_error err;
        assert_int_equal(truce_scenario_save_yaml(s, out, &err), 0);
        truce_scenario *back = NULL;
        if (truce_scenario_load_yaml(&back, out, NULL, &err))
            fail_msg("%s", err.message);
        json_t *again = agenda_of(back);
        assert_true(json_equal(ag, again));
        json_decref(again);
        truce_scenario_free(back);
        json_decref(ag);
        truce_scenario_free(s);
    }
    /* the random cases reach both answers */
    assert_true(cycles_seen > 20 && resolved > 2 && resolved < cycles_seen);
}

static void test_bad_phases_are_refused_at_their_place(void **state)
{
    (void)state;
    static const char head[] = "truce: 1\nname: bad\nissues:\n  - id: x\n    options: [a, b]\n"
                               "parties:\n  - id: p\nagenda:\n  - id: i\n  - id: j\n%s";
    static const struct {
        const char *tail, *message;
    } cases[] = {
        {"phases:\n  - {id: one, items: [i]}\n  - {id: two, items: [i]}\n",
         "agenda item 'i' is in two phases ('one' and 'two')"},
        {"phases:\n  - {id: one}\n  - {id: one}\n", "phase 'one' appears twice"},
        {"phases:\n  - {id: one, items: [k]}\n", "unknown agenda item 'k'"},
        {"phases:\n  - {id: one, when: 2}\n", "unknown key 'when' in a phase"},
        {"phases:\n  - {items: [i]}\n", "a phase needs 'id'"},
        {"preconditions:\n  - {party: p, first: i, then: j, same_phase: yes}\n",
         "same_phase of a precondition must be true or false"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char text[512];
        snprintf(text, sizeof text, head, cases[k].tail);
        truce_scenario *s = NULL;
        truce_error err;
        assert_int_equal(truce_scenario_load_yaml(&s, temp_file("bad.yaml", text), NULL, &err),
                         TRUCE_EINVAL);
        if (!strstr(err.message, cases[k].message))
            fail_msg("case %zu: %s", k, err.message);
        assert_true(err.line > 0 && err.column > 0);
    }
}

static void test_jcpoa_implementation_day_resolves_the_deadlock_by_hand(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, TRUCE_EXAMPLES "/historical/jcpoa-2015-phases.yaml", NULL,
                                 &err))
        fail_msg("%s", err.message);
    json_t *ag = agenda_of(s);
    /* by hand: verification and sanctions share Implementation Day, which every
     * holder of both demands accepts; the nuclear steps come first */
    json_t *d = json_array_get(json_object_get(ag, "deadlocks"), 0);
    assert_int_equal(json_array_size(json_object_get(ag, "deadlocks")), 1);
    assert_true(json_is_true(json_object_get(d, "plan_resolves")));
    json_t *packages = json_object_get(d, "phased_packages");
    assert_int_equal(json_array_size(packages), 1);
    char key[64];
    package_key(json_object_get(json_array_get(packages, 0), "phases"), key, sizeof key);
    assert_string_equal(key, "verification,sanctions");
    json_t *phases = json_object_get(json_object_get(ag, "plan"), "phases");
    assert_int_equal(json_array_size(phases), 2);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_array_get(phases, 0), "items"), 0)),
        "nuclear-limits");
    json_decref(ag);
    truce_scenario_free(s);
    /* the file without phases: the same deadlock, no phased resolution */
    if (truce_scenario_load_yaml(&s, TRUCE_EXAMPLES "/historical/jcpoa-2015.yaml", NULL, &err))
        fail_msg("%s", err.message);
    ag = agenda_of(s);
    d = json_array_get(json_object_get(ag, "deadlocks"), 0);
    assert_null(json_object_get(ag, "plan"));
    assert_null(json_object_get(d, "phased_packages"));
    assert_int_equal(json_array_size(json_object_get(d, "resolutions")), 3);
    json_decref(ag);
    truce_scenario_free(s);
}

/* ---- hard conditions on the phase plan ---- */

/* Party a and b are principals, c a stakeholder; each has up to two conditions
 * "item i after phase `after` and by phase `by`" (-1: no bound), and the plan puts
 * each of i0..i3 in phase -1..2. Met: the item is in a phase, <= by, > after. */
typedef struct phase_world {
    int phase[NI];
    int n_cond[3], item[3][2], by[3][2], after[3][2];
} phase_world;

static char *random_phase_world(phase_world *x, unsigned *seed)
{
    static char text[4096];
    size_t used = 0;
    used += (size_t)snprintf(text + used, sizeof text - used,
                             "truce: 1\nname: random-phase-conditions\nissues:\n  - id: x\n    "
                             "options: [y, n]\nparties:\n");
    for (int q = 0; q < 3; q++) {
        used += (size_t)snprintf(text + used, sizeof text - used, "  - id: %c\n    role: %s\n",
                                 'a' + q, q < 2 ? "principal" : "stakeholder");
        x->n_cond[q] = rand_r(seed) % 3;
        if (x->n_cond[q])
            used += (size_t)snprintf(text + used, sizeof text - used, "    hard_conditions:\n");
        for (int h = 0; h < x->n_cond[q]; h++) {
            x->item[q][h] = rand_r(seed) % NI;
            do {
                x->by[q][h] = rand_r(seed) % 4 - 1;
                x->after[q][h] = rand_r(seed) % 4 - 1;
            } while ((x->by[q][h] < 0 && x->after[q][h] < 0) ||
                     (x->by[q][h] >= 0 && x->after[q][h] >= x->by[q][h]));
            used += (size_t)snprintf(text + used, sizeof text - used,
                                     "      - id: h%d\n        phase: {item: i%d", h,
                                     x->item[q][h]);
            if (x->by[q][h] >= 0)
                used += (size_t)snprintf(text + used, sizeof text - used, ", by: p%d",
                                         x->by[q][h]);
            if (x->after[q][h] >= 0)
                used += (size_t)snprintf(text + used, sizeof text - used, ", after: p%d",
                                         x->after[q][h]);
            used += (size_t)snprintf(text + used, sizeof text - used, "}\n");
        }
    }
    used += (size_t)snprintf(text + used, sizeof text - used, "agenda:\n");
    for (int i = 0; i < NI; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "  - id: i%d\n", i);
    used += (size_t)snprintf(text + used, sizeof text - used, "phases:\n");
    for (int i = 0; i < NI; i++)
        x->phase[i] = rand_r(seed) % 4 - 1;
    for (int ph = 0; ph < 3; ph++) {
        used += (size_t)snprintf(text + used, sizeof text - used, "  - id: p%d\n    items: [", ph);
        int first = 1;
        for (int i = 0; i < NI; i++)
            if (x->phase[i] == ph) {
                used += (size_t)snprintf(text + used, sizeof text - used, "%si%d",
                                         first ? "" : ", ", i);
                first = 0;
            }
        used += (size_t)snprintf(text + used, sizeof text - used, "]\n");
    }
    assert_true(used < sizeof text);
    return text;
}

static void check_phase_conditions(const phase_world *x, json_t *agenda)
{
    json_t *plan = json_object_get(agenda, "plan");
    json_t *list = json_object_get(plan, "conditions");
    size_t n = 0;
    int vetoes[3] = {0, 0, 0};
    for (int q = 0; q < 3; q++)
        for (int h = 0; h < x->n_cond[q]; h++) {
            json_t *c = json_array_get(list, n++);
            assert_non_null(c);
            char party[2] = {(char)('a' + q), '\0'}, id[16], item[16];
            snprintf(id, sizeof id, "h%d", h);
            snprintf(item, sizeof item, "i%d", x->item[q][h]);
            assert_string_equal(json_string_value(json_object_get(c, "party")), party);
            assert_string_equal(json_string_value(json_object_get(c, "id")), id);
            assert_string_equal(json_string_value(json_object_get(c, "item")), item);
            int at = x->phase[x->item[q][h]];
            int ok = at >= 0 && (x->by[q][h] < 0 || at <= x->by[q][h]) &&
                     (x->after[q][h] < 0 || at > x->after[q][h]);
            assert_int_equal(json_is_true(json_object_get(c, "met")), ok);
            vetoes[q] |= !ok && q < 2;
        }
    assert_int_equal(json_array_size(list), n);
    if (n == 0) {
        assert_null(list);
        assert_null(json_object_get(plan, "vetoed_by"));
        return;
    }
    json_t *vetoed = json_object_get(plan, "vetoed_by");
    size_t k = 0;
    for (int q = 0; q < 3; q++)
        if (vetoes[q]) {
            char party[2] = {(char)('a' + q), '\0'};
            assert_string_equal(json_string_value(json_array_get(vetoed, k++)), party);
        }
    assert_int_equal(json_array_size(vetoed), k);
}

static void test_phase_conditions_match_brute_force(void **state)
{
    (void)state;
    unsigned seed = 1717;
    for (int round = 0; round < 150; round++) {
        phase_world x;
        const char *text = random_phase_world(&x, &seed);
        truce_scenario *s = load_text(text);
        json_t *ag = agenda_of(s);
        check_phase_conditions(&x, ag);
        /* written and read back: the same report */
        truce_error err;
        const char *back = temp_path("back.yaml");
        assert_int_equal(truce_scenario_save_yaml(s, back, &err), 0);
        truce_scenario *b = NULL;
        if (truce_scenario_load_yaml(&b, back, NULL, &err))
            fail_msg("%s", err.message);
        json_t *bg = agenda_of(b);
        assert_true(json_equal(ag, bg));
        /* an outcome never breaks a condition on the plan */
        uint32_t o[1] = {0};
        for (size_t p = 0; p < 3; p++)
            assert_int_equal(truce_outcome_violates(s, p, o), -1);
        json_decref(ag), json_decref(bg);
        truce_scenario_free(s), truce_scenario_free(b);
    }
}

static void test_bad_phase_conditions_are_refused_at_their_place(void **state)
{
    (void)state;
    static const struct {
        const char *condition, *phases, *message;
    } cases[] = {
        {"{item: i0, by: p9}", "phases: [{id: p0}]\n",
         "x.yaml:7: column 53: unknown phase 'p9' in 'by' of a hard condition"},
        {"{item: i9, by: p0}", "phases: [{id: p0}]\n",
         "x.yaml:7: column 45: unknown agenda item 'i9' in 'phase' of a hard condition"},
        {"{item: i0}", "phases: [{id: p0}]\n",
         "x.yaml:7: column 39: 'phase' of hard condition 'h' needs 'by'"},
        {"{item: i0, by: p0, after: p1}", "phases: [{id: p0}, {id: p1}]\n",
         "x.yaml:7: column 39: hard condition 'h' can never hold"},
        {"{item: i0, when: p0}", "phases: [{id: p0}]\n",
         "x.yaml:7: column 49: unknown key 'when' in 'phase' of a hard condition"},
        {"{item: i0, by: p0}", "",
         "x.yaml:7: column 39: hard condition 'h' refers to phases, but the scenario declares "
         "none"},
        {"{item: i0, by: p0}\n        require: {x: [y]}", "phases: [{id: p0}]\n",
         "x.yaml:9: column 17: hard condition 'h': 'phase' is a condition on the phase plan"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "truce: 1\nname: bad\nissues:\n  - {id: x, options: [y, n]}\nparties:\n"
                 "  - id: a\n    hard_conditions: [{id: h, phase: %s}]\nagenda: [{id: i0}]\n%s",
                 cases[k].condition, cases[k].phases);
        /* the multi-line case needs block style */
        if (strchr(cases[k].condition, '\n'))
            snprintf(text, sizeof text,
                     "truce: 1\nname: bad\nissues:\n  - {id: x, options: [y, n]}\nparties:\n"
                     "  - id: a\n    hard_conditions:\n      - id: h\n        phase: %s\n"
                     "agenda: [{id: i0}]\n%s",
                     cases[k].condition, cases[k].phases);
        truce_scenario *s = NULL;
        truce_error err;
        assert_int_not_equal(truce_scenario_load_yaml(&s, temp_file("x.yaml", text), NULL, &err),
                             0);
        if (!strstr(err.message, cases[k].message))
            fail_msg("case %zu: got '%s', expected '%s'", k, err.message, cases[k].message);
    }
}

/* examples/historical/camp-david-1978-aid.yaml by hand: interim (sinai-security,
 * west-bank-gaza), normal-relations (normalization), final-withdrawal (sinai-return);
 * Egypt's normalization after interim: in phase 2 > 1, met; Israel's sinai-return after
 * normal-relations: phase 3 > 2, met; the deadlock resolved in the first phase. */
static void test_camp_david_interim_withdrawal_by_hand(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_yaml(&s, TRUCE_EXAMPLES "/historical/camp-david-1978-aid.yaml", NULL,
                                 &err))
        fail_msg("%s", err.message);
    json_t *ag = agenda_of(s);
    json_t *plan = json_object_get(ag, "plan");
    json_t *c = json_object_get(plan, "conditions");
    assert_int_equal(json_array_size(c), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "in_phase")),
                        "normal-relations");
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 1), "in_phase")),
                        "final-withdrawal");
    assert_true(json_is_true(json_object_get(json_array_get(c, 0), "met")));
    assert_true(json_is_true(json_object_get(json_array_get(c, 1), "met")));
    assert_int_equal(json_array_size(json_object_get(plan, "vetoed_by")), 0);
    json_t *d = json_array_get(json_object_get(ag, "deadlocks"), 0);
    assert_true(json_is_true(json_object_get(d, "plan_resolves")));
    json_decref(ag);
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plans_and_phased_packages_match_brute_force),
        cmocka_unit_test(test_bad_phases_are_refused_at_their_place),
        cmocka_unit_test(test_jcpoa_implementation_day_resolves_the_deadlock_by_hand),
        cmocka_unit_test(test_phase_conditions_match_brute_force),
        cmocka_unit_test(test_bad_phase_conditions_are_refused_at_their_place),
        cmocka_unit_test(test_camp_david_interim_withdrawal_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
