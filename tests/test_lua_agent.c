/* test_lua_agent.c: agents written in Lua: the Lua Boulware against the built-in one trace for
 * trace, the sandbox, the limits, faults with their messages, history, mediation, threads. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define AGENTS TRUCE_TEST_DATA "/agents/"
#define BOULWARE_LUA TRUCE_EXAMPLES "/agents/boulware.lua"

/* ---- running negotiations with the trace kept in memory ---- */

typedef struct buffer {
    char *text;
    size_t len, cap;
} buffer;

static int keep_record(const char *record, size_t length, void *payload)
{
    buffer *b = payload;
    if (b->len + length + 2 > b->cap) {
        b->cap = (b->len + length + 2) * 2;
        b->text = realloc(b->text, b->cap);
        if (!b->text)
            return 1;
    }
    memcpy(b->text + b->len, record, length);
    b->len += length;
    b->text[b->len++] = '\n';
    b->text[b->len] = '\0';
    return 0;
}

static truce_scenario *ceasefire(void)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, TRUCE_EXAMPLES "/genius/ceasefire", NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

/* Two issues; north may not accept a buffer zone ('no-buffer'), which south likes best. */
static const char border_yaml[] =
    "truce: 1\nname: border\nissues:\n"
    "  - id: border\n    options: [old-line, new-line, buffer-zone]\n"
    "  - id: aid\n    options: [none, some, much]\n"
    "parties:\n"
    "  - id: north\n    weights: {border: 0.6, aid: 0.4}\n"
    "    values: {border: {old-line: 0.2, new-line: 1, buffer-zone: 0.5}, aid: {none: 1, some: "
    "0.5}}\n"
    "    reservation: 0.1\n"
    "    hard_conditions:\n"
    "      - {id: no-buffer, require: {border: [old-line, new-line]}}\n"
    "  - id: south\n    weights: {border: 0.6, aid: 0.4}\n"
    "    values: {border: {old-line: 0.3, buffer-zone: 1}, aid: {some: 0.6, much: 1}}\n"
    "    reservation: 0.1\n";

static truce_scenario *border(void)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, temp_file("border.yaml", border_yaml), NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static truce_scenario *generated(uint64_t seed)
{
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = 4;
    g.n_options = 5;
    g.levels = 7; /* few levels: many ties among bids */
    g.seed = seed;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_generate(&s, &g, &err))
        fail_msg("%s", err.message);
    return s;
}

static truce_space *space_of(const truce_scenario *s, double max_outcomes)
{
    truce_space_options o = TRUCE_SPACE_OPTIONS_INIT;
    o.max_outcomes = max_outcomes;
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, &o, &err))
        fail_msg("%s", err.message);
    return sp;
}

static truce_negotiation *create(const truce_space *sp, const char *a, const char *b,
                                 uint64_t rounds, buffer *trace)
{
    truce_agent_spec specs[2];
    truce_error err;
    if (truce_agent_parse(&specs[0], a, &err) || truce_agent_parse(&specs[1], b, &err))
        fail_msg("%s", err.message);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = rounds;
    o.trace = trace ? keep_record : NULL;
    o.trace_payload = trace;
    truce_negotiation *ng = NULL;
    if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err))
        fail_msg("%s", err.message);
    return ng;
}

static void run(truce_negotiation *ng, uint64_t seed)
{
    truce_error err;
    if (truce_negotiation_run(ng, seed, &err))
        fail_msg("%s", err.message);
}

/* The trace without the start record's "agents" field, which names the agents. */
static char *without_agents(const char *trace)
{
    char *copy = strdup(trace);
    assert_non_null(copy);
    char *from = strstr(copy, "\"agents\":[");
    assert_non_null(from);
    char *to = strstr(from, "],");
    assert_non_null(to);
    memmove(from, to + 2, strlen(to + 2) + 1);
    return copy;
}

/* The Lua Boulware and the built-in one make the same moves: traces equal byte for byte. */
static void compare_with_builtin(const truce_space *sp, const char *builtin, const char *lua,
                                 const char *opponent, int lua_first, uint64_t seed)
{
    buffer a = {0}, b = {0};
    truce_negotiation *x =
        lua_first ? create(sp, builtin, opponent, 100, &a) : create(sp, opponent, builtin, 100, &a);
    truce_negotiation *y =
        lua_first ? create(sp, lua, opponent, 100, &b) : create(sp, opponent, lua, 100, &b);
    run(x, seed);
    run(y, seed);
    assert_int_equal(truce_negotiation_fault(y), -1);
    char *ta = without_agents(a.text), *tb = without_agents(b.text);
    assert_string_equal(ta, tb);
    assert_true(strstr(a.text, "\"type\":\"offer\"") != NULL);
    free(ta);
    free(tb);
    free(a.text);
    free(b.text);
    truce_negotiation_free(x);
    truce_negotiation_free(y);
}

static void test_lua_boulware_trace_equals_builtin(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    const char *opponents[] = {"conceder", "linear", "tft", "hardheaded"};
    for (size_t k = 0; k < 4; k++)
        for (uint64_t seed = 1; seed <= 3; seed++) {
            compare_with_builtin(sp, "boulware", "lua:" BOULWARE_LUA, opponents[k], 1, seed);
            compare_with_builtin(sp, "boulware", "lua:" BOULWARE_LUA, opponents[k], 0, seed);
        }
    compare_with_builtin(sp, "boulware:e=0.5:k=0.1", "lua:" BOULWARE_LUA ":e=0.5:k=0.1", "conceder",
                         1, 7);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* Many ties (7 evaluation levels), and a space too large to tabulate (bids from the seeded
 * random walk): the same bids in the same order. */
static void test_lua_boulware_trace_equals_builtin_with_ties_and_search(void **state)
{
    (void)state;
    for (uint64_t g = 1; g <= 3; g++) {
        truce_scenario *s = generated(g);
        truce_space *tabulated = space_of(s, 4e6), *searched = space_of(s, 10);
        for (uint64_t seed = 1; seed <= 3; seed++) {
            compare_with_builtin(tabulated, "boulware", "lua:" BOULWARE_LUA, "conceder", 1, seed);
            compare_with_builtin(searched, "boulware", "lua:" BOULWARE_LUA, "conceder", 0, seed);
        }
        truce_space_free(tabulated);
        truce_space_free(searched);
        truce_scenario_free(s);
    }
}

/* ---- faults ---- */

/* Run `script` as the first party against conceder: it must be at fault with a message
 * containing every one of `parts`. */
static void expect_fault(const truce_space *sp, const char *spec, const char *const *parts)
{
    buffer trace = {0};
    truce_negotiation *ng = create(sp, spec, "conceder", 50, &trace);
    for (uint64_t seed = 1; seed <= 2; seed++) {
        trace.len = 0;
        run(ng, seed);
        assert_int_equal(truce_negotiation_fault(ng), 0);
        assert_string_equal(truce_negotiation_end_reason(ng), "fault");
        const char *msg = truce_negotiation_fault_message(ng);
        for (const char *const *p = parts; *p; p++)
            assert_contains(msg, *p);
        /* the trace's end record carries it too */
        const char *end = strstr(trace.text, "{\"type\":\"end\"");
        assert_non_null(end);
        json_t *r = json_parse_or_fail(end);
        assert_string_equal(json_string_value(json_object_get(r, "fault_message")), msg);
        json_decref(r);
    }
    free(trace.text);
    truce_negotiation_free(ng);
}

static void test_lua_faults_name_the_error_and_line(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    /* the instruction and memory limits, whatever the speed of the machine: under valgrind, or
     * on a loaded one, 10^7 instructions took longer than the wall-clock backstop (max_seconds,
     * 10 s), and the fault named that limit instead */
    expect_fault(sp, "lua:" AGENTS "loop.lua:max_seconds=86400",
                 (const char *const[]){"loop.lua:3:", "instruction limit of 10000000", NULL});
    expect_fault(sp, "lua:" AGENTS "pcall_loop.lua:max_seconds=86400",
                 (const char *const[]){"instruction limit", NULL});
    expect_fault(sp, "lua:" AGENTS "loop.lua:max_instructions=1e5",
                 (const char *const[]){"instruction limit of 100000 ", NULL});
    expect_fault(sp, "lua:" AGENTS "membomb.lua:max_seconds=86400",
                 (const char *const[]){"memory limit of 33554432 bytes", NULL});
    expect_fault(sp, "lua:" AGENTS "membomb.lua:max_memory=1M:max_seconds=86400",
                 (const char *const[]){"memory limit of 1048576 bytes", NULL});
    expect_fault(sp, "lua:" AGENTS "error.lua",
                 (const char *const[]){"error.lua:5:", "attempt to index a nil value", NULL});
    expect_fault(sp, "lua:" AGENTS "os_execute.lua",
                 (const char *const[]){"os_execute.lua:3:", "global 'os'", NULL});
    expect_fault(sp, "lua:" AGENTS "io_open.lua",
                 (const char *const[]){"io_open.lua:2:", "global 'require'", NULL});
    expect_fault(sp, "lua:" AGENTS "binary_load.lua",
                 (const char *const[]){"binary_load.lua:7:", "binary chunk", NULL});
    expect_fault(sp, "lua:" AGENTS "invalid_offer.lua",
                 (const char *const[]){"invalid offer: option 99 out of range for issue "
                                       "'territory' (options 1 to 4)",
                                       NULL});
    expect_fault(sp, "lua:" AGENTS "review_walk.lua",
                 (const char *const[]){"defines no function propose", NULL});
    /* finalizers run with hooks off: an endless one hung the run (or the closing of the state);
     * the alarm turns a hang into a failure (generous: under valgrind on a loaded machine the
     * cases below, 10^7 units of library work each, took over 120 s) */
    alarm(900);
    expect_fault(sp, "lua:" AGENTS "finalizer.lua",
                 (const char *const[]){"finalizer.lua:13:", "metatables with __gc are not allowed",
                                       NULL});
    /* library calls that loop in C, where the instruction hook never runs: they never ended */
    expect_fault(sp, "lua:" AGENTS "library_rep.lua:max_seconds=86400",
                 (const char *const[]){"library_rep.lua:4:", "instruction limit of 10000000", NULL});
    expect_fault(sp, "lua:" AGENTS "library_move.lua:max_seconds=86400",
                 (const char *const[]){"library_move.lua:3:", "instruction limit", NULL});
    expect_fault(sp, "lua:" AGENTS "library_find.lua:max_seconds=86400",
                 (const char *const[]){"library_find.lua:4:", "instruction limit", NULL});
    /* work instructions do not measure (one comparison reads a megabyte): the wall clock */
    expect_fault(sp, "lua:" AGENTS "slow_compare.lua:max_instructions=1e15:max_seconds=0.5",
                 (const char *const[]){"slow_compare.lua:", "time limit of 0.5 s per call", NULL});
    alarm(0);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* A script may neither offer nor accept what its own party's hard condition forbids; one that
 * keeps to it with state.offer_vetoed, truce.vetoed and truce.allowed is never at fault. */
static void test_lua_offering_or_accepting_a_vetoed_outcome_is_a_fault(void **state)
{
    (void)state;
    truce_scenario *s = border();
    truce_space *sp = space_of(s, 4e6);
    expect_fault(sp, "lua:" AGENTS "vetoed_offer.lua",
                 (const char *const[]){"offered an outcome that breaks north's own hard condition "
                                       "'no-buffer' (requires border = old-line or new-line; the "
                                       "outcome has border = buffer-zone)",
                                       NULL});
    /* south, a hardliner, offers its best: the buffer zone */
    truce_negotiation *ng = create(sp, "lua:" AGENTS "accept_vetoed.lua", "hardliner", 50, NULL);
    run(ng, 1);
    assert_int_equal(truce_negotiation_fault(ng), 0);
    assert_int_equal(truce_negotiation_rounds(ng), 2);
    assert_string_equal(truce_negotiation_fault_message(ng),
                        "accepted an outcome that breaks north's own hard condition 'no-buffer' "
                        "(requires border = old-line or new-line; the outcome has border = "
                        "buffer-zone)");
    truce_negotiation_free(ng);
    const char *opponents[] = {"hardliner", "conceder", "random", "micro"};
    int agreed = 0;
    for (size_t k = 0; k < 4; k++) {
        for (uint64_t seed = 1; seed <= 5; seed++) {
            for (int first = 0; first < 2; first++) {
                ng = first ? create(sp, "lua:" AGENTS "obedient.lua", opponents[k], 50, NULL)
                           : create(sp, opponents[k], "lua:" AGENTS "obedient.lua", 50, NULL);
                run(ng, seed);
                if (truce_negotiation_fault(ng) != -1)
                    fail_msg("obedient.lua against %s: %s", opponents[k],
                             truce_negotiation_fault_message(ng));
                const uint32_t *o = truce_negotiation_outcome(ng);
                if (o) {
                    assert_int_not_equal(o[0], 2); /* never the buffer zone */
                    agreed++;
                }
                truce_negotiation_free(ng);
            }
        }
    }
    assert_true(agreed > 0);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* After faults the next negotiations run as usual (as a tournament goes on). */
static void test_lua_fault_does_not_stop_later_negotiations(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    const char *bad[] = {"loop", "membomb", "error", "os_execute", "invalid_offer"};
    truce_negotiation *good = create(sp, "lua:" BOULWARE_LUA, "conceder", 100, NULL);
    truce_negotiation *builtin = create(sp, "boulware", "conceder", 100, NULL);
    for (size_t k = 0; k < 5; k++) {
        char spec[600];
        snprintf(spec, sizeof spec, "lua:%s%s.lua:max_instructions=1e5", AGENTS, bad[k]);
        truce_negotiation *ng = create(sp, spec, "conceder", 100, NULL);
        run(ng, k);
        assert_int_equal(truce_negotiation_fault(ng), 0);
        truce_negotiation_free(ng);
        run(good, k);
        run(builtin, k);
        assert_int_equal(truce_negotiation_fault(good), -1);
        assert_int_equal(truce_negotiation_agreement(good), truce_negotiation_agreement(builtin));
        assert_int_equal(truce_negotiation_rounds(good), truce_negotiation_rounds(builtin));
    }
    truce_negotiation_free(good);
    truce_negotiation_free(builtin);
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_lua_bad_scripts_and_parameters_fail_at_create(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    struct {
        const char *spec;
        int code;
        const char *part;
    } cases[] = {
        {"lua:" AGENTS "syntax.lua", TRUCE_EPARSE, "syntax.lua:3:"},
        {"lua:" AGENTS "missing.lua", TRUCE_EIO, "missing.lua"},
        {"lua:" BOULWARE_LUA ":max_memory=12X", TRUCE_EINVAL, "max_memory"},
        {"lua:" BOULWARE_LUA ":max_instructions=10", TRUCE_EINVAL, "max_instructions"},
        {"lua:" BOULWARE_LUA ":max_seconds=0", TRUCE_EINVAL, "max_seconds"},
        {"lua:" BOULWARE_LUA ":novalue", TRUCE_EINVAL, "not key=value"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        truce_agent_spec specs[2];
        truce_error err;
        assert_int_equal(truce_agent_parse(&specs[0], cases[k].spec, &err), 0);
        assert_int_equal(truce_agent_parse(&specs[1], "conceder", &err), 0);
        truce_negotiation *ng = NULL;
        int rc = truce_negotiation_create(&ng, sp, specs, 2, NULL, &err);
        assert_int_equal(rc, cases[k].code);
        assert_null(ng);
        assert_contains(err.message, cases[k].part);
    }
    truce_agent_spec spec;
    truce_error err;
    assert_int_equal(truce_agent_parse(&spec, "lua", &err), TRUCE_EINVAL);
    assert_contains(err.message, "script path");
    assert_int_equal(truce_agent_parse(&spec, "lua::e=1", &err), TRUCE_EINVAL);
    assert_int_equal(truce_agent_parse(&spec, "lua:x.lua:e=1", &err), 0);
    assert_string_equal(spec.cls->name, "lua");
    assert_string_equal(spec.params, "x.lua:e=1");
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- what scripts see ---- */

static void test_lua_sandbox_history_and_opponent_model(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    truce_negotiation *ng = create(sp, "lua:" AGENTS "probe.lua", "hardliner", 30, NULL);
    run(ng, 1);
    assert_string_equal(truce_negotiation_fault_message(ng), "");
    assert_int_equal(truce_negotiation_fault(ng), -1);
    assert_string_equal(truce_negotiation_end_reason(ng), "deadline");
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_lua_runs_do_not_see_each_other(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    truce_negotiation *ng = create(sp, "lua:" AGENTS "isolation.lua", "hardliner", 5, NULL);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        run(ng, seed);
        assert_string_equal(truce_negotiation_fault_message(ng), "");
    }
    /* after a fault the state is made anew, and the next run is clean */
    truce_negotiation *bad =
        create(sp, "lua:" AGENTS "membomb.lua:max_memory=1M", "hardliner", 5, NULL);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        run(bad, seed);
        assert_contains(truce_negotiation_fault_message(bad), "memory limit of 1048576 bytes");
    }
    truce_negotiation_free(bad);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* getmetatable(state) gave every run the same table, so a script could carry a value from run
 * to run: each run gets a fresh state with a fresh metatable. */
static void test_lua_state_metatable_is_fresh_at_every_run(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    truce_negotiation *ng = create(sp, "lua:" AGENTS "state_metatable.lua", "hardliner", 5, NULL);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        run(ng, seed);
        assert_string_equal(truce_negotiation_fault_message(ng), "");
        assert_int_equal(truce_negotiation_fault(ng), -1);
    }
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* Globals and info are filled on first use; pairs, next, rawget and deletions see whole tables,
 * run after run, and act replaces respond and propose. */
static void test_lua_globals_and_info_look_whole(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    truce_negotiation *ng = create(sp, "lua:" AGENTS "globals.lua", "hardliner", 10, NULL);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        run(ng, seed);
        assert_string_equal(truce_negotiation_fault_message(ng), "");
        assert_int_equal(truce_negotiation_fault(ng), -1);
        assert_string_equal(truce_negotiation_end_reason(ng), "deadline");
    }
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_lua_random_is_seeded_by_truce(void **state)
{
    (void)state;
    truce_scenario *s = generated(5);
    truce_space *sp = space_of(s, 4e6);
    buffer a = {0}, b = {0}, c = {0};
    truce_negotiation *x = create(sp, "lua:" AGENTS "random.lua", "hardliner", 20, &a);
    truce_negotiation *y = create(sp, "lua:" AGENTS "random.lua", "hardliner", 20, &b);
    truce_negotiation *z = create(sp, "lua:" AGENTS "random.lua", "hardliner", 20, &c);
    run(x, 11);
    run(y, 11);
    run(z, 12);
    assert_int_equal(truce_negotiation_fault(x), -1);
    assert_string_equal(a.text, b.text);
    /* after the start record (which names the seed) the moves differ too */
    assert_true(strcmp(strchr(a.text, '\n'), strchr(c.text, '\n')) != 0);
    free(a.text);
    free(b.text);
    free(c.text);
    truce_negotiation_free(x);
    truce_negotiation_free(y);
    truce_negotiation_free(z);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* The widest intervals: the width hi - lo is computed unsigned (it overflowed a signed integer
 * and rng_below(0) divided by zero: SIGFPE killed negotiate and whole tournaments). */
static void test_lua_random_takes_the_whole_integer_range(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    truce_negotiation *ng = create(sp, "lua:" AGENTS "random_extremes.lua", "hardliner", 20, NULL);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        run(ng, seed);
        assert_string_equal(truce_negotiation_fault_message(ng), "");
        assert_int_equal(truce_negotiation_fault(ng), -1);
    }
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- mediation ---- */

static truce_scenario *seed_scenario(void)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, TRUCE_EXAMPLES "/seed/truce-talks.yaml", NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static void test_lua_review_in_mediation(void **state)
{
    (void)state;
    truce_scenario *s = seed_scenario();
    size_t n = truce_scenario_party_count(s);
    truce_agent_spec *specs = calloc(n, sizeof *specs);
    truce_error err;
    int russia = truce_party_find(s, "russia");
    assert_true(russia >= 0);
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.agents = specs;

    assert_int_equal(truce_agent_parse(&specs[russia], "lua:" AGENTS "review_walk.lua", &err), 0);
    truce_mediation *m = NULL;
    if (truce_mediate(&m, s, &o, &err))
        fail_msg("%s", err.message);
    assert_string_equal(truce_mediation_end(m), "breakdown");
    assert_int_equal(truce_mediation_iterations(m), 1);
    assert_int_equal(truce_mediation_fault(m), -1);
    truce_mediation_free(m);

    assert_int_equal(truce_agent_parse(&specs[russia], "lua:" AGENTS "review_error.lua", &err), 0);
    if (truce_mediate(&m, s, &o, &err))
        fail_msg("%s", err.message);
    assert_string_equal(truce_mediation_end(m), "fault");
    assert_int_equal(truce_mediation_fault(m), russia);
    assert_contains(truce_mediation_reason(m), "review_error.lua:3:");
    truce_mediation_free(m);

    /* a built-in agent has no review */
    assert_int_equal(truce_agent_parse(&specs[russia], "boulware", &err), 0);
    assert_int_equal(truce_mediate(&m, s, &o, &err), TRUCE_EINVAL);
    assert_contains(err.message, "cannot review");

    /* the Boulware script's review reaches an end without fault */
    assert_int_equal(truce_agent_parse(&specs[russia], "lua:" BOULWARE_LUA, &err), 0);
    if (truce_mediate(&m, s, &o, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_mediation_fault(m), -1);
    truce_mediation_free(m);
    free(specs);
    truce_scenario_free(s);
}

/* ---- threads: one Lua state per agent instance ---- */

typedef struct job {
    const truce_space *sp;
    uint64_t first_seed;
    double sum;
    long faults;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    truce_agent_spec specs[2];
    truce_error err;
    if (truce_agent_parse(&specs[0], "lua:" BOULWARE_LUA, &err) ||
        truce_agent_parse(&specs[1], "lua:" BOULWARE_LUA ":e=2", &err))
        return NULL;
    truce_negotiation *ng = NULL;
    if (truce_negotiation_create(&ng, j->sp, specs, 2, NULL, &err))
        return NULL;
    for (uint64_t seed = j->first_seed; seed < j->first_seed + 20; seed++) {
        if (truce_negotiation_run(ng, seed, &err))
            break;
        j->sum += truce_negotiation_utility(ng, 0) + truce_negotiation_utility(ng, 1);
        j->faults += truce_negotiation_fault(ng) >= 0;
    }
    truce_negotiation_free(ng);
    return NULL;
}

static void test_lua_agents_in_parallel_threads(void **state)
{
    (void)state;
    truce_scenario *s = ceasefire();
    truce_space *sp = space_of(s, 4e6);
    job alone[4], together[4];
    pthread_t threads[4];
    for (int k = 0; k < 4; k++) {
        alone[k] = (job){sp, (uint64_t)k * 100, 0, 0};
        together[k] = alone[k];
        run_job(&alone[k]);
    }
    for (int k = 0; k < 4; k++)
        assert_int_equal(pthread_create(&threads[k], NULL, run_job, &together[k]), 0);
    for (int k = 0; k < 4; k++) {
        pthread_join(threads[k], NULL);
        assert_int_equal(together[k].faults, 0);
        assert_true(together[k].sum > 0);
        assert_true(together[k].sum == alone[k].sum);
    }
    truce_space_free(sp);
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lua_boulware_trace_equals_builtin),
        cmocka_unit_test(test_lua_boulware_trace_equals_builtin_with_ties_and_search),
        cmocka_unit_test(test_lua_faults_name_the_error_and_line),
        cmocka_unit_test(test_lua_fault_does_not_stop_later_negotiations),
        cmocka_unit_test(test_lua_offering_or_accepting_a_vetoed_outcome_is_a_fault),
        cmocka_unit_test(test_lua_bad_scripts_and_parameters_fail_at_create),
        cmocka_unit_test(test_lua_sandbox_history_and_opponent_model),
        cmocka_unit_test(test_lua_runs_do_not_see_each_other),
        cmocka_unit_test(test_lua_state_metatable_is_fresh_at_every_run),
        cmocka_unit_test(test_lua_globals_and_info_look_whole),
        cmocka_unit_test(test_lua_random_is_seeded_by_truce),
        cmocka_unit_test(test_lua_random_takes_the_whole_integer_range),
        cmocka_unit_test(test_lua_review_in_mediation),
        cmocka_unit_test(test_lua_agents_in_parallel_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
