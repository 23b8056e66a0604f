/* test_channels.c: channels with time windows and several mediators (src/core/channels.c and
 * their use by check, mediate and negotiate), against brute forces written here: who may talk
 * to whom at each time, who reaches whom, the mediators' routes, and hand-computed cases. */
#define _DEFAULT_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#define NP 5 /* parties of the random scenarios: a..e */

static truce_scenario *load_text(const char *text)
{
    truce_scenario *s = NULL;
    truce_error err;
    const char *path = temp_file("channels.yaml", text);
    if (truce_scenario_load_yaml(&s, path, NULL, &err))
        fail_msg("%s\n%s", err.message, text);
    return s;
}

static int load_error(const char *text, truce_error *err)
{
    truce_scenario *s = NULL;
    const char *path = temp_file("channels.yaml", text);
    int rc = truce_scenario_load_yaml(&s, path, NULL, err);
    truce_scenario_free(s);
    return rc;
}

static json_t *check_of(const truce_scenario *s)
{
    truce_check_options o = TRUCE_CHECK_OPTIONS_INIT;
    o.margins = 0; /* the channels are what is tested here */
    char *text = NULL;
    truce_error err;
    if (truce_check(&text, s, &o, &err))
        fail_msg("truce_check: %s", err.message);
    json_t *doc = json_parse_or_fail(text);
    truce_free(text);
    return doc;
}

/* ---- the test's own record of a random scenario's channels ---- */

typedef struct window {
    int a, b;
    double from, until; /* until > 1: to the end */
} window;

typedef struct world {
    int role[NP]; /* 0 principal, 1 mediator, 2 stakeholder */
    window w[12];
    int nw;
} world;

static const char *const role_name[] = {"principal", "mediator", "stakeholder"};

static int open_at(const world *x, int a, int b, double t)
{
    for (int k = 0; k < x->nw; k++)
        if (((x->w[k].a == a && x->w[k].b == b) || (x->w[k].a == b && x->w[k].b == a)) &&
            x->w[k].from <= t && t < x->w[k].until)
            return 1;
    return 0;
}

/* reach[a][b] at time t by Floyd-Warshall's closure; relays: any party
 * (mediators_only 0) or mediators only. dist: shortest hop counts. */
static void closure(const world *x, double t, int mediators_only, int reach[NP][NP],
                    int dist[NP][NP])
{
    for (int a = 0; a < NP; a++)
        for (int b = 0; b < NP; b++) {
            reach[a][b] = a == b || open_at(x, a, b, t);
            dist[a][b] = a == b ? 0 : open_at(x, a, b, t) ? 1 : 1000;
        }
    for (int k = 0; k < NP; k++) {
        if (mediators_only && x->role[k] != 1)
            continue;
        for (int a = 0; a < NP; a++)
            for (int b = 0; b < NP; b++) {
                if (reach[a][k] && reach[k][b])
                    reach[a][b] = 1;
                if (dist[a][k] + dist[k][b] < dist[a][b])
                    dist[a][b] = dist[a][k] + dist[k][b];
            }
    }
}

static const double ends[] = {0, 0.25, 0.4, 0.5, 0.75, 1};

static char *random_world(world *x, unsigned *seed)
{
    static char text[4096];
    size_t used = 0;
    used += (size_t)snprintf(text + used, sizeof text - used,
                             "truce: 1\nname: random-channels\nissues:\n  - id: x\n    options: "
                             "[a, b]\nparties:\n");
    int principals = 0;
    for (int p = 0; p < NP; p++) {
        x->role[p] = p < 2 ? 0 : rand_r(seed) % 3;
        principals += x->role[p] == 0;
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "  - id: %c\n    role: %s\n    weights: {x: 1}\n    values: "
                                 "{x: {a: 1, b: 0}}\n",
                                 'a' + p, role_name[x->role[p]]);
    }
    x->nw = 1 + rand_r(seed) % 10;
    used += (size_t)snprintf(text + used, sizeof text - used, "channels:\n");
    for (int k = 0; k < x->nw; k++) {
        window *w = &x->w[k];
        w->a = rand_r(seed) % NP;
        do
            w->b = rand_r(seed) % NP;
        while (w->b == w->a);
        int kind = rand_r(seed) % 3;
        if (kind == 0) { /* a plain pair, open throughout */
            w->from = 0;
            w->until = 2;
            used += (size_t)snprintf(text + used, sizeof text - used, "  - [%c, %c]\n", 'a' + w->a,
                                     'a' + w->b);
            continue;
        }
        int i = rand_r(seed) % 5, j = i + 1 + rand_r(seed) % (5 - i);
        w->from = ends[i];
        w->until = ends[j] >= 1 ? 2 : ends[j];
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "  - between: [%c, %c]\n    from: %g\n", 'a' + w->a, 'a' + w->b,
                                 w->from);
        if (kind == 2 || ends[j] < 1)
            used += (size_t)snprintf(text + used, sizeof text - used, "    until: %g\n", ends[j]);
    }
    (void)principals;
    return text;
}

/* Is t inside one of the {from, until} intervals of list (the last one closed at 1)? */
static int inside(json_t *list, double t)
{
    size_t k;
    json_t *v;
    json_array_foreach(list, k, v)
    {
        double from = json_real_value(json_object_get(v, "from"));
        double until = json_real_value(json_object_get(v, "until"));
        if (from <= t && (t < until || (until == 1 && t == 1)))
            return 1;
    }
    return 0;
}

static json_t *reach_entry(json_t *ch, const char *from, const char *to)
{
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(ch, "reach"), k, v)
    {
        if (!strcmp(json_string_value(json_object_get(v, "from")), from) &&
            !strcmp(json_string_value(json_object_get(v, "to")), to))
            return v;
    }
    return NULL;
}

static json_t *protocol(json_t *ch, const char *kind, const char *lead)
{
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(ch, "protocols"), k, v)
    {
        const char *name = json_string_value(json_object_get(v, "protocol"));
        json_t *who = json_object_get(v, !strcmp(kind, "mediated-team") ? "lead" : "mediator");
        if (!strcmp(name, kind) && (!lead || (who && !strcmp(json_string_value(who), lead))))
            return v;
    }
    return NULL;
}

/* The times probed: every end of a window, just before it, and between. */
static const double probes[] = {0,      0.1, 0.2499, 0.25,   0.3,  0.3999, 0.4,    0.45,
                                0.4999, 0.5, 0.6,    0.7499, 0.75, 0.9,    0.9999, 1};
#define NPROBES (sizeof probes / sizeof *probes)

static void test_open_channels_and_reach_at_every_time_match_brute_force(void **state)
{
    (void)state;
    unsigned seed = 17;
    for (int round = 0; round < 150; round++) {
        world x;
        memset(&x, 0, sizeof x);
        char *text = random_world(&x, &seed);
        truce_scenario *s = load_text(text);
        json_t *doc = check_of(s);
        json_t *ch = json_object_get(doc, "channels");
        int timed = 0;
        for (int k = 0; k < x.nw; k++)
            timed |= x.w[k].from > 0 || x.w[k].until <= 1;
        /* without a window check says what it said before windows existed */
        assert_int_equal(json_object_get(ch, "timeline") != NULL, timed);
        for (size_t q = 0; q < NPROBES; q++) {
            double t = probes[q];
            int reach[NP][NP], dist[NP][NP], mreach[NP][NP], mdist[NP][NP];
            closure(&x, t, 0, reach, dist);
            closure(&x, t, 1, mreach, mdist);
            for (int a = 0; a < NP; a++)
                for (int b = 0; b < NP; b++)
                    if (a != b)
                        assert_int_equal(truce_channel_open(s, (size_t)a, (size_t)b, t),
                                         open_at(&x, a, b, t));
            if (!timed)
                continue;
            for (int a = 0; a < NP; a++)
                for (int b = a + 1; b < NP; b++) {
                    char fa[2] = {(char)('a' + a), 0}, fb[2] = {(char)('a' + b), 0};
                    json_t *r = reach_entry(ch, fa, fb);
                    assert_non_null(r);
                    assert_int_equal(inside(json_object_get(r, "open"), t), open_at(&x, a, b, t));
                    assert_int_equal(inside(json_object_get(r, "connected"), t), reach[a][b]);
                }
            /* a mediator on its own reaches a principal along its own open
             * channel; as the lead of several, through mediators */
            int mediators = 0;
            for (int m = 0; m < NP; m++)
                mediators += x.role[m] == 1;
            for (int m = 0; m < NP; m++) {
                if (x.role[m] != 1)
                    continue;
                char fm[2] = {(char)('a' + m), 0};
                json_t *alone = protocol(ch, "mediated", fm);
                json_t *team = protocol(ch, "mediated-team", fm);
                assert_non_null(alone);
                assert_int_equal(team != NULL, mediators > 1);
                for (int a = 0; a < NP; a++) {
                    if (x.role[a] != 0)
                        continue;
                    char fa[2] = {(char)('a' + a), 0};
                    json_t *when = json_object_get(json_object_get(alone, "reach"), fa);
                    assert_int_equal(inside(when, t), open_at(&x, m, a, t));
                    if (team)
                        assert_int_equal(
                            inside(json_object_get(json_object_get(team, "reach"), fa), t),
                            mreach[m][a]);
                }
            }
        }
        if (timed) {
            /* the path: a shortest one at the first time the pair is connected */
            for (int a = 0; a < NP; a++)
                for (int b = a + 1; b < NP; b++) {
                    char fa[2] = {(char)('a' + a), 0}, fb[2] = {(char)('a' + b), 0};
                    json_t *r = reach_entry(ch, fa, fb), *path = json_object_get(r, "path");
                    double first = -1;
                    for (size_t q = 0; q < NPROBES && first < 0; q++) {
                        int reach[NP][NP], dist[NP][NP];
                        closure(&x, probes[q], 0, reach, dist);
                        if (reach[a][b])
                            first = probes[q];
                    }
                    if (first < 0) {
                        assert_true(json_is_null(path));
                        assert_int_equal(json_array_size(json_object_get(r, "connected")), 0);
                        continue;
                    }
                    int reach[NP][NP], dist[NP][NP];
                    closure(&x, first, 0, reach, dist);
                    assert_int_equal(json_array_size(path), (size_t)dist[a][b] + 1);
                    for (size_t k = 0; k + 1 < json_array_size(path); k++) {
                        int u = json_string_value(json_array_get(path, k))[0] - 'a';
                        int v = json_string_value(json_array_get(path, k + 1))[0] - 'a';
                        assert_true(open_at(&x, u, v, first));
                    }
                }
        }
        json_decref(doc);
        /* written and read back: the same windows */
        const char *out = temp_path("written.yaml");
        truce_error err;
        assert_int_equal(truce_scenario_save_yaml(s, out, &err), 0);
        truce_scenario *back = NULL;
        if (truce_scenario_load_yaml(&back, out, NULL, &err))
            fail_msg("%s", err.message);
        for (size_t q = 0; q < NPROBES; q++)
            for (size_t a = 0; a < NP; a++)
                for (size_t b = 0; b < NP; b++)
                    assert_int_equal(truce_channel_open(back, a, b, probes[q]),
                                     truce_channel_open(s, a, b, probes[q]));
        truce_scenario_free(back);
        truce_scenario_free(s);
    }
}

/* ---- a hand-made case: two principals, two mediators, days ---- */

static const char TWO_MEDIATORS[] =
    "truce: 1\n"
    "name: two-mediators\n"
    "days: 10\n"
    "issues:\n"
    "  - id: x\n"
    "    options: [a, b, c]\n"
    "  - id: y\n"
    "    options: [a, b, c]\n"
    "parties:\n"
    "  - id: p\n"
    "    weights: {x: 0.7, y: 0.3}\n"
    "    values: {x: {a: 1, b: 0.5, c: 0}, y: {a: 0, b: 0.5, c: 1}}\n"
    "    reservation: 0.3\n"
    "  - id: q\n"
    "    weights: {x: 0.3, y: 0.7}\n"
    "    values: {x: {a: 0, b: 0.5, c: 1}, y: {a: 1, b: 0.5, c: 0}}\n"
    "    reservation: 0.3\n"
    "  - id: m1\n"
    "    role: mediator\n"
    "  - id: m2\n"
    "    role: mediator\n"
    "channels:\n"
    "  - [m1, p]\n"
    "  - between: [m1, m2]\n"
    "    from_day: 2\n"
    "  - between: [m2, q]\n"
    "    until_day: 6\n";

static void test_days_map_to_relative_time_by_hand(void **state)
{
    (void)state;
    truce_scenario *s = load_text(TWO_MEDIATORS);
    /* day 2 of 10 is t = 0.2, day 6 is 0.6 */
    assert_false(truce_channel_open(s, 2, 3, 0.1999));
    assert_true(truce_channel_open(s, 2, 3, 0.2));
    assert_true(truce_channel_open(s, 3, 1, 0.5999));
    assert_false(truce_channel_open(s, 3, 1, 0.6));
    assert_true(truce_channel(s, 3, 1)); /* declared: open at some time */
    json_t *doc = check_of(s);
    json_t *ch = json_object_get(doc, "channels");
    /* m1 reaches q only through m2, on days 2 to 6 */
    json_t *team = protocol(ch, "mediated-team", "m1");
    json_t *when = json_object_get(json_object_get(team, "reach"), "q");
    assert_int_equal(json_array_size(when), 1);
    assert_close_at(json_real_value(json_object_get(json_array_get(when, 0), "from_day")), 2, 1e-12,
                    __LINE__);
    assert_close_at(json_real_value(json_object_get(json_array_get(when, 0), "until_day")), 6,
                    1e-12, __LINE__);
    assert_true(json_is_true(json_object_get(team, "feasible")));
    assert_true(json_is_false(json_object_get(protocol(ch, "mediated", "m1"), "feasible")));
    /* p and q: never a direct channel; connected through m1 and m2 on days 2 to 6 */
    json_t *r = reach_entry(ch, "p", "q");
    assert_false(json_is_true(json_object_get(r, "direct")));
    char buf[64] = "";
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(r, "path"), k, v)
    {
        strcat(buf, json_string_value(v));
        strcat(buf, " ");
    }
    assert_string_equal(buf, "p m1 m2 q ");
    json_decref(doc);
    truce_scenario_free(s);
}

/* ---- mediate: every message along a channel open at its iteration ---- */

typedef struct trace_json {
    json_t *records;
} trace_json;

static int collect(const char *record, size_t length, void *payload)
{
    trace_json *t = payload;
    json_error_t jerr;
    json_t *j = json_loadb(record, length, 0, &jerr);
    if (!j)
        return -1;
    json_array_append_new(t->records, j);
    return 0;
}

static int index_of(const char *name)
{
    static const char *const names[] = {"p", "q", "m1", "m2"};
    for (int k = 0; k < 4; k++)
        if (!strcmp(names[k], name))
            return k;
    return -1;
}

static void test_mediate_routes_the_draft_through_open_channels_by_hand(void **state)
{
    (void)state;
    truce_scenario *s = load_text(TWO_MEDIATORS);
    /* the test's record of the channels: p-m1 always, m1-m2 from 0.2, m2-q until 0.6 */
    world x = {{0, 0, 1, 1}, {{0, 2, 0, 2}, {2, 3, 0.2, 2}, {3, 1, 0, 0.6}}, 3};
    trace_json tb = {json_array()};
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.max_iterations = 50;
    o.trace = collect;
    o.trace_payload = &tb;
    truce_mediation *m = NULL;
    truce_error err;
    if (truce_mediate(&m, s, &o, &err))
        fail_msg("%s", err.message);
    size_t k;
    json_t *rec;
    int out_of_reach[50] = {0}, drafts_to_q[50] = {0}, relays[50] = {0};
    json_array_foreach(tb.records, k, rec)
    {
        const char *type = json_string_value(json_object_get(rec, "type"));
        json_t *itj = json_object_get(rec, "iteration");
        if (!itj || !strcmp(type, "revision"))
            continue;
        int it = (int)json_integer_value(itj);
        double t = it / 50.0;
        if (!strcmp(type, "out-of-reach")) {
            assert_string_equal(json_string_value(json_object_get(rec, "party")), "q");
            out_of_reach[it]++;
            continue;
        }
        int from = index_of(json_string_value(json_object_get(rec, "from")));
        int to = index_of(json_string_value(json_object_get(rec, "to")));
        assert_true(from >= 0 && to >= 0);
        assert_true(open_at(&x, from, to, t)); /* only along a channel open then */
        if (!strcmp(type, "relay"))
            relays[it]++;
        if (!strcmp(type, "draft") && to == 1) {
            drafts_to_q[it]++;
            assert_string_equal(json_string_value(json_object_get(rec, "carried_by")), "m2");
        }
    }
    size_t iterations = truce_mediation_iterations(m);
    for (size_t it = 0; it < iterations; it++) {
        /* by hand: q is reached from iteration 10 (t = 0.2) to 29 (t = 0.58) */
        int reachable = it >= 10 && it < 30;
        assert_int_equal(out_of_reach[it], !reachable);
        assert_int_equal(drafts_to_q[it], reachable);
        /* the draft m1 -> m2 and q's answer m2 -> m1 */
        assert_int_equal(relays[it], reachable ? 2 : 0);
    }
    /* nothing is agreed while q is out of reach */
    assert_true(iterations > 10);
    json_decref(tb.records);
    truce_mediation_free(m);
    truce_scenario_free(s);
}

static void test_mediate_refuses_a_principal_never_reached(void **state)
{
    (void)state;
    char text[sizeof TWO_MEDIATORS + 64];
    /* m1-m2 opens on day 7, after m2-q closed on day 6: q is never reached */
    snprintf(text, sizeof text, "%s", TWO_MEDIATORS);
    char *at = strstr(text, "from_day: 2");
    at[10] = '7';
    truce_scenario *s = load_text(text);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    truce_mediation *m = NULL;
    truce_error err;
    assert_int_equal(truce_mediate(&m, s, &o, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message,
                           "mediator m1 has no channel to principal q: it cannot carry the draft"));
    json_t *doc = check_of(s);
    json_t *team = protocol(json_object_get(doc, "channels"), "mediated-team", "m1");
    assert_true(json_is_false(json_object_get(team, "feasible")));
    json_decref(doc);
    truce_scenario_free(s);
}

/* ---- negotiate: turns only while the principals' channel is open ---- */

static const char WINDOW[] = "truce: 1\n"
                             "name: window\n"
                             "issues:\n"
                             "  - id: x\n"
                             "    options: [a, b, c]\n"
                             "parties:\n"
                             "  - id: p\n"
                             "    weights: {x: 1}\n"
                             "    values: {x: {a: 1, b: 0.6, c: 0}}\n"
                             "  - id: q\n"
                             "    weights: {x: 1}\n"
                             "    values: {x: {a: 0, b: 0.6, c: 1}}\n"
                             "channels:\n"
                             "  - between: [p, q]\n"
                             "    from: 0.5\n"
                             "    until: 0.6\n";

static void test_negotiate_acts_only_while_the_channel_is_open(void **state)
{
    (void)state;
    truce_scenario *s = load_text(WINDOW);
    truce_space *sp = NULL;
    truce_error err;
    assert_int_equal(truce_space_create(&sp, s, NULL, &err), 0);
    static const char *const agents[] = {"boulware", "conceder", "linear", "hardliner"};
    for (size_t a = 0; a < 4; a++)
        for (int clock = 0; clock < 2; clock++) {
            truce_agent_spec specs[2] = {{truce_agent_find(agents[a]), NULL},
                                         {truce_agent_find("conceder"), NULL}};
            trace_json tb = {json_array()};
            truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
            o.max_rounds = 100;
            o.clock = clock;
            o.trace = collect;
            o.trace_payload = &tb;
            truce_negotiation *ng = NULL;
            if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err) ||
                truce_negotiation_run(ng, 1, &err))
                fail_msg("%s", err.message);
            size_t k, actions = 0;
            json_t *rec;
            json_array_foreach(tb.records, k, rec)
            {
                json_t *t = json_object_get(rec, "time");
                const char *type = json_string_value(json_object_get(rec, "type"));
                if (!t || !strcmp(type, "end"))
                    continue;
                actions++;
                assert_true(json_real_value(t) >= 0.5 && json_real_value(t) < 0.6);
            }
            assert_true(actions > 0);
            if (!truce_negotiation_agreement(ng))
                assert_string_equal(truce_negotiation_end_reason(ng), "deadline");
            json_decref(tb.records);
            truce_negotiation_free(ng);
        }
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* Under a deadline in seconds the talks wait for the channel to open
 * asleep, not by spinning through silent turns: the first action comes in
 * the first round (a spinning wait counts a round per silent pass). */
static void test_negotiate_in_seconds_sleeps_while_the_channel_is_closed(void **state)
{
    (void)state;
    truce_scenario *s = load_text(WINDOW);
    truce_space *sp = NULL;
    truce_error err;
    assert_int_equal(truce_space_create(&sp, s, NULL, &err), 0);
    truce_agent_spec specs[2] = {{truce_agent_find("boulware"), NULL},
                                 {truce_agent_find("conceder"), NULL}};
    trace_json tb = {json_array()};
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = 0;
    o.max_seconds = 0.6; /* closed for 0.3 s, open for 0.06 s, then closed for good */
    o.trace = collect;
    o.trace_payload = &tb;
    truce_negotiation *ng = NULL;
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err) || truce_negotiation_run(ng, 1, &err))
        fail_msg("%s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    double wall = (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
    assert_true(wall >= 0.29); /* the talks waited for the window */
    size_t k, actions = 0;
    json_t *rec;
    json_array_foreach(tb.records, k, rec)
    {
        json_t *t = json_object_get(rec, "time");
        const char *type = json_string_value(json_object_get(rec, "type"));
        if (!t || !strcmp(type, "end"))
            continue;
        assert_true(json_real_value(t) >= 0.5);
        if (actions++ == 0) {
            json_int_t round = json_integer_value(json_object_get(rec, "round"));
            if (round != 1)
                fail_msg("the first action came in round %lld: the wait spun", (long long)round);
        }
    }
    assert_true(actions > 0);
    json_decref(tb.records);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* truce_channel_windows: the windows of a pair, by hand */
static void test_channel_windows_of_a_pair_by_hand(void **state)
{
    (void)state;
    truce_scenario *s = load_text("truce: 1\nname: w\ndays: 10\n"
                                  "issues:\n  - id: x\n    options: [a, b]\n"
                                  "parties:\n"
                                  "  - id: p\n    weights: {x: 1}\n    values: {x: {a: 1, b: 0}}\n"
                                  "  - id: q\n    weights: {x: 1}\n    values: {x: {a: 0, b: 1}}\n"
                                  "  - id: r\n    weights: {x: 1}\n    values: {x: {a: 0, b: 1}}\n"
                                  "channels:\n"
                                  "  - between: [p, q]\n    from_day: 2\n    until_day: 5\n"
                                  "  - between: [q, p]\n    from_day: 7\n"
                                  "  - [p, r]\n");
    double from[3] = {-1, -1, -1}, until[3] = {-1, -1, -1};
    assert_int_equal(truce_channel_windows(s, 0, 1, from, until, 3), 2);
    assert_true(fabs(from[0] - 0.2) < 1e-12 && fabs(until[0] - 0.5) < 1e-12);
    assert_true(fabs(from[1] - 0.7) < 1e-12 && until[1] == 1);
    assert_true(from[2] == -1); /* nothing written past the count */
    /* a plain channel in a scenario with windows: open throughout */
    assert_int_equal(truce_channel_windows(s, 2, 0, from, until, 3), 1);
    assert_true(from[0] == 0 && until[0] == 1);
    /* no channel */
    assert_int_equal(truce_channel_windows(s, 1, 2, from, until, 3), 0);
    /* cap 0 only counts */
    assert_int_equal(truce_channel_windows(s, 1, 0, NULL, NULL, 0), 2);
    assert_true(truce_scenario_days(s) == 10);
    truce_scenario_free(s);
}

static void test_negotiate_refuses_channels_never_open_together(void **state)
{
    (void)state;
    static const char text[] = "truce: 1\nname: apart\nissues:\n  - id: x\n    options: [a, b]\n"
                               "parties:\n  - id: p\n  - id: q\n  - id: r\nchannels:\n"
                               "  - between: [p, q]\n    until: 0.5\n"
                               "  - between: [q, r]\n    from: 0.5\n"
                               "  - [p, r]\n";
    truce_scenario *s = load_text(text);
    truce_space *sp = NULL;
    truce_error err;
    assert_int_equal(truce_space_create(&sp, s, NULL, &err), 0);
    truce_agent_spec specs[3] = {{truce_agent_find("conceder"), NULL},
                                 {truce_agent_find("conceder"), NULL},
                                 {truce_agent_find("conceder"), NULL}};
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    truce_negotiation *ng = NULL;
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 3, &o, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "never all open at the same time"));
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- the format's refusals ---- */

static void test_bad_windows_are_refused_at_their_place(void **state)
{
    (void)state;
    static const char head[] = "truce: 1\nname: bad\n%sissues:\n  - id: x\n    options: [a, b]\n"
                               "parties:\n  - id: p\n  - id: q\nchannels:\n  - %s\n";
    static const struct {
        const char *top, *entry, *message;
    } cases[] = {
        {"", "{between: [p, q], from: 0.6, until: 0.2}",
         "a channel must open before it closes (it opens at 0.6 and closes at 0.2, in relative "
         "time)"},
        {"", "{between: [p, q], from: 1.5}",
         "'from' of a channel is a relative time and must lie "
         "in [0, 1] (0 the start of the talks, 1 the deadline; "
         "use 'from_day' for days)"},
        {"", "{between: [p, q], from_day: 2}",
         "'from_day' needs 'days' (the length of the talks in days) at the top level"},
        {"days: 10\n", "{between: [p, q], from_day: 12}",
         "'from_day' of a channel must lie in [0, 10] (days: 10)"},
        {"days: 10\n", "{between: [p, q], from: 0.1, from_day: 2}",
         "give 'from' or 'from_day' for a channel, not both"},
        {"days: 0\n", "[p, q]", "days (the length of the talks in days) must be above 0"},
        {"", "{between: [p, q], form: 0.1}",
         "unknown key 'form' in a channel (expected one of: between, from, until, from_day, "
         "until_day, source)"},
        {"", "{from: 0.1}", "a channel needs 'between'"},
        {"", "{between: [p, p]}", "a channel joins two different parties"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char text[512];
        snprintf(text, sizeof text, head, cases[k].top, cases[k].entry);
        truce_error err;
        assert_int_equal(load_error(text, &err), TRUCE_EINVAL);
        if (!strstr(err.message, cases[k].message))
            fail_msg("case %zu: %s", k, err.message);
        assert_true(err.line > 0 && err.column > 0);
    }
}

/* ---- existing files: no window, same answers ---- */

static void test_files_without_windows_keep_their_channels(void **state)
{
    (void)state;
    static const char *const files[] = {
        "/seed/truce-talks.yaml", "/historical/camp-david-1978.yaml", "/historical/jcpoa-2015.yaml",
        "/historical/good-friday-1998.yaml"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", TRUCE_EXAMPLES, files[f]);
        truce_scenario *s = NULL;
        truce_error err;
        if (truce_scenario_load_yaml(&s, path, NULL, &err))
            fail_msg("%s", err.message);
        size_t n = truce_scenario_party_count(s);
        for (size_t a = 0; a < n; a++)
            for (size_t b = 0; b < n; b++)
                for (size_t q = 0; q < NPROBES; q++)
                    assert_int_equal(truce_channel_open(s, a, b, probes[q]),
                                     truce_channel(s, a, b));
        json_t *doc = check_of(s);
        json_t *ch = json_object_get(doc, "channels");
        assert_null(json_object_get(ch, "timeline"));
        assert_null(json_object_get(json_array_get(json_object_get(ch, "reach"), 0), "open"));
        assert_null(protocol(ch, "mediated-team", NULL)); /* one mediator each */
        json_decref(doc);
        truce_scenario_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_channels_and_reach_at_every_time_match_brute_force),
        cmocka_unit_test(test_days_map_to_relative_time_by_hand),
        cmocka_unit_test(test_mediate_routes_the_draft_through_open_channels_by_hand),
        cmocka_unit_test(test_mediate_refuses_a_principal_never_reached),
        cmocka_unit_test(test_negotiate_acts_only_while_the_channel_is_open),
        cmocka_unit_test(test_negotiate_refuses_channels_never_open_together),
        cmocka_unit_test(test_negotiate_in_seconds_sleeps_while_the_channel_is_closed),
        cmocka_unit_test(test_channel_windows_of_a_pair_by_hand),
        cmocka_unit_test(test_bad_windows_are_refused_at_their_place),
        cmocka_unit_test(test_files_without_windows_keep_their_channels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
