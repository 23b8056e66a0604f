/* test_negotiation.c: the stacked alternating offers protocol driven by scripted agents: turn
 * order, acceptance, faults, walk-away, deadlines, GENIUS discounting and JSON Lines traces. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#define TOL 1e-12
#define MAX_PARTIES 3
#define N_OPTIONS 11
#define MAX_TURNS 256
#define MAX_EVENTS 1024

/* ---- a one-issue scenario written as GENIUS XML: utilities known by hand ---- */

static const char *const party_names[MAX_PARTIES] = {"alpha", "beta", "gamma"};

/* Raw evaluations of option k (GENIUS divides by the largest, here 10):
 * alpha k/10, beta (10-k)/10, gamma ((3k) mod 11)/10. */
static double raw_eval(size_t p, uint32_t k)
{
    if (p == 0)
        return k;
    if (p == 1)
        return 10.0 - k;
    return (double)((3 * k) % 11);
}

/* The same utilities, as the test expects them: evaluation / 10 with weight 1. */
static double hand_utility(size_t p, uint32_t k)
{
    return raw_eval(p, k) / 10.0;
}

static const double discount_of[MAX_PARTIES] = {0.8, 0.6, 0.9};
static const double reservation_of[MAX_PARTIES] = {0.3, 0.25, 0};

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Load alpha, beta (and gamma when n_parties is 3) over issue x with options o0..o10. */
static truce_scenario *one_issue(size_t n_parties)
{
    const char *dir = temp_dir();
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text,
                                  "<negotiation_template>\n<utility_space number_of_issues=\"1\">\n"
                                  "<objective index=\"0\" name=\"root\" type=\"objective\" "
                                  "etype=\"objective\">\n"
                                  "<issue index=\"1\" name=\"x\" type=\"discrete\" "
                                  "etype=\"discrete\">\n");
    for (uint32_t k = 0; k < N_OPTIONS; k++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "<item index=\"%u\" value=\"o%u\"/>\n", k + 1, k);
    snprintf(text + len, sizeof text - len,
             "</issue>\n</objective>\n</utility_space>\n</negotiation_template>\n");
    write_file(dir, "domain.xml", text);
    char paths[MAX_PARTIES][600];
    const char *profiles[MAX_PARTIES];
    for (size_t p = 0; p < n_parties; p++) {
        len = (size_t)snprintf(text, sizeof text,
                               "<utility_space>\n<objective index=\"0\" name=\"root\" "
                               "type=\"objective\" etype=\"objective\">\n"
                               "<issue index=\"1\" name=\"x\" type=\"discrete\" "
                               "etype=\"discrete\">\n");
        for (uint32_t k = 0; k < N_OPTIONS; k++)
            len += (size_t)snprintf(text + len, sizeof text - len,
                                    "<item index=\"%u\" value=\"o%u\" evaluation=\"%g\"/>\n", k + 1,
                                    k, raw_eval(p, k));
        snprintf(text + len, sizeof text - len,
                 "</issue>\n<weight index=\"1\" value=\"1\"/>\n</objective>\n"
                 "<discount_factor value=\"%g\"/>\n<reservation value=\"%g\"/>\n"
                 "</utility_space>\n",
                 discount_of[p], reservation_of[p]);
        char name[32];
        snprintf(name, sizeof name, "%s.xml", party_names[p]);
        write_file(dir, name, text);
        snprintf(paths[p], sizeof paths[p], "%s/%s", dir, name);
        profiles[p] = paths[p];
    }
    char domain[600];
    snprintf(domain, sizeof domain, "%s/domain.xml", dir);
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_genius(&s, domain, profiles, n_parties, NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static truce_space *space_of(const truce_scenario *s)
{
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, NULL, &err))
        fail_msg("%s", err.message);
    return sp;
}

/* ---- scripted agents: each plays a fixed list of steps, the last one repeating ---- */

/* DO_LATE_ACCEPT: take 0.3 s (a person thinking, a slow program), then accept */
enum { DO_OFFER, DO_ACCEPT, DO_END, DO_FAIL, DO_BOGUS, DO_LATE_ACCEPT };

typedef struct step {
    int what;
    uint32_t option; /* DO_OFFER: option of issue x */
} step;

typedef struct turn_record {
    size_t party;
    uint64_t round;
    double time;
    int has_offer;
    size_t offer_from;
    double offer_utility;
    int offer_vetoed;
    uint32_t offer;
} turn_record;

typedef struct event_record {
    size_t observer;
    truce_action_kind kind;
    size_t actor;
    uint64_t round;
    double time;
    int has_offer;
    uint32_t offer;
} event_record;

/* What every scripted agent of one negotiation saw, in order. */
typedef struct journal {
    turn_record turns[MAX_TURNS];
    size_t n_turns;
    event_record events[MAX_EVENTS];
    size_t n_events;
    truce_agent_setup setups[MAX_PARTIES];
    size_t n_setups;
} journal;

typedef struct script {
    step steps[16];
    size_t n_steps;
    journal *j;
} script;

typedef struct script_state {
    const script *sc;
    size_t party;
    size_t next;
} script_state;

static int script_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)err;
    script_state *st = state;
    script *sc = payload;
    st->sc = sc;
    st->party = setup->party;
    st->next = 0;
    if (sc->j->n_setups < MAX_PARTIES)
        sc->j->setups[sc->j->n_setups++] = *setup;
    return 0;
}

static int script_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)payload;
    script_state *st = state;
    journal *j = st->sc->j;
    if (j->n_turns < MAX_TURNS) {
        turn_record *r = &j->turns[j->n_turns++];
        r->party = st->party;
        r->round = turn->round;
        r->time = turn->time;
        r->has_offer = turn->offer != NULL;
        r->offer_from = turn->offer_from;
        r->offer_utility = turn->offer_utility;
        r->offer_vetoed = turn->offer_vetoed;
        r->offer = turn->offer ? turn->offer[0] : 0;
    }
    size_t i = st->next < st->sc->n_steps ? st->next : st->sc->n_steps - 1;
    st->next++;
    const step *s = &st->sc->steps[i];
    switch (s->what) {
    case DO_OFFER:
        *kind = TRUCE_ACTION_OFFER;
        offer[0] = s->option;
        return 0;
    case DO_ACCEPT:
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    case DO_END:
        *kind = TRUCE_ACTION_END;
        return 0;
    case DO_LATE_ACCEPT: {
        struct timespec pause = {0, 300000000};
        nanosleep(&pause, NULL);
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    }
    case DO_FAIL:
        *kind = TRUCE_ACTION_OFFER;
        offer[0] = 0;
        return TRUCE_EINVAL;
    default:
        *kind = (truce_action_kind)42; /* no such action */
        return 0;
    }
}

static void script_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    script_state *st = state;
    journal *j = st->sc->j;
    if (j->n_events < MAX_EVENTS) {
        event_record *r = &j->events[j->n_events++];
        r->observer = st->party;
        r->kind = ev->kind;
        r->actor = ev->actor;
        r->round = ev->round;
        r->time = ev->time;
        r->has_offer = ev->offer != NULL;
        r->offer = ev->offer ? ev->offer[0] : 0;
    }
}

/* One negotiation of scripted agents; the classes and scripts live here so
 * that they outlive the negotiation. */
typedef struct bench {
    truce_scenario *s;
    truce_space *sp;
    journal j;
    script scripts[MAX_PARTIES];
    truce_agent_class classes[MAX_PARTIES];
    truce_agent_spec specs[MAX_PARTIES];
    truce_negotiation *ng;
    size_t n;
    int clock; /* truce_clock of the runs (bench_new: the turn clock) */
} bench;

static void add_step(bench *b, size_t p, int what, uint32_t option)
{
    script *sc = &b->scripts[p];
    assert_true(sc->n_steps < 16);
    sc->steps[sc->n_steps].what = what;
    sc->steps[sc->n_steps].option = option;
    sc->n_steps++;
}

/* Scripted agents for the n seats of scenario s (the bench owns it). */
static bench *bench_on(truce_scenario *s, size_t n)
{
    bench *b = calloc(1, sizeof *b);
    assert_non_null(b);
    b->n = n;
    b->clock = TRUCE_CLOCK_TURN;
    b->s = s;
    b->sp = space_of(b->s);
    for (size_t p = 0; p < n; p++) {
        b->scripts[p].j = &b->j;
        truce_agent_class c = {"script",   sizeof(script_state), NULL,          script_init,
                               script_act, script_observe,       &b->scripts[p]};
        b->classes[p] = c;
        b->specs[p].cls = &b->classes[p];
        b->specs[p].params = NULL;
    }
    return b;
}

static bench *bench_new(size_t n)
{
    return bench_on(one_issue(n), n);
}

static void bench_run(bench *b, uint64_t max_rounds)
{
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = max_rounds;
    o.clock = b->clock;
    truce_error err;
    if (truce_negotiation_create(&b->ng, b->sp, b->specs, b->n, &o, &err))
        fail_msg("%s", err.message);
    /* create runs init once to check parameters: start the journal afresh */
    memset(&b->j, 0, sizeof b->j);
    if (truce_negotiation_run(b->ng, 5, &err))
        fail_msg("%s", err.message);
}

static void bench_free(bench *b)
{
    truce_negotiation_free(b->ng);
    truce_space_free(b->sp);
    truce_scenario_free(b->s);
    free(b);
}

/* Time of party j's turn in round r of N among n parties, written out here
 * from docs/agents.md rather than taken from the engine: the turn clock
 * ((r-1) n + j) / (N n), or the GENIUS clock r / (N + 1) for every party. */
static double seen_time(int clock, uint64_t r, size_t j, size_t n, uint64_t N)
{
    if (clock == TRUCE_CLOCK_GENIUS)
        return (double)r / ((double)N + 1);
    return ((double)(r - 1) * (double)n + (double)j) / ((double)N * (double)n);
}

/* ---- turn order ---- */

static void check_turn_order(size_t n, uint64_t N, int clock)
{
    bench *b = bench_new(n);
    b->clock = clock;
    /* party p always offers option p + 1, which nobody accepts */
    for (size_t p = 0; p < n; p++)
        add_step(b, p, DO_OFFER, (uint32_t)p + 1);
    bench_run(b, N);
    assert_int_equal(b->j.n_turns, N * n);
    for (size_t k = 0; k < b->j.n_turns; k++) {
        const turn_record *t = &b->j.turns[k];
        assert_int_equal(t->party, k % n);
        assert_int_equal(t->round, k / n + 1);
        assert_float_equal(t->time, seen_time(b->clock, k / n + 1, k % n, n, N), TOL);
        if (k == 0) {
            assert_false(t->has_offer);
            continue;
        }
        /* the standing offer is the previous party's */
        size_t prev = (k - 1) % n;
        assert_true(t->has_offer);
        assert_int_equal(t->offer_from, prev);
        assert_int_equal(t->offer, prev + 1);
        assert_float_equal(t->offer_utility, hand_utility(t->party, (uint32_t)prev + 1), TOL);
    }
    /* every party observes every action, in order */
    assert_int_equal(b->j.n_events, N * n * n);
    for (size_t k = 0; k < b->j.n_events; k++) {
        const event_record *e = &b->j.events[k];
        size_t action = k / n;
        assert_int_equal(e->observer, k % n);
        assert_int_equal(e->kind, TRUCE_ACTION_OFFER);
        assert_int_equal(e->actor, action % n);
        assert_int_equal(e->round, action / n + 1);
        assert_true(e->has_offer);
        assert_int_equal(e->offer, action % n + 1);
    }
    /* setup as documented */
    assert_int_equal(b->j.n_setups, n);
    for (size_t p = 0; p < n; p++) {
        assert_int_equal(b->j.setups[p].party, p);
        assert_int_equal(b->j.setups[p].n_parties, n);
        assert_int_equal(b->j.setups[p].max_rounds, N);
        assert_string_equal(b->j.setups[p].params, "");
    }
    assert_int_not_equal(b->j.setups[0].seed, b->j.setups[1].seed);
    assert_false(truce_negotiation_agreement(b->ng));
    bench_free(b);
}

static void test_bilateral_parties_alternate_starting_with_the_first(void **state)
{
    (void)state;
    check_turn_order(2, 6, TRUCE_CLOCK_TURN);
    check_turn_order(2, 6, TRUCE_CLOCK_GENIUS);
}

static void test_multilateral_parties_act_in_profile_order(void **state)
{
    (void)state;
    check_turn_order(3, 5, TRUCE_CLOCK_TURN);
    check_turn_order(3, 5, TRUCE_CLOCK_GENIUS);
}

/* GENIUS's DiscreteTimeline by hand: with N = 10 both parties of round 2
 * see 2/11; the agreement is at that time, discounted there. */
static void test_genius_clock_agreement_time_is_the_round_over_n_plus_one(void **state)
{
    (void)state;
    bench *b = bench_new(2);
    b->clock = TRUCE_CLOCK_GENIUS;
    add_step(b, 0, DO_OFFER, 2);
    add_step(b, 0, DO_ACCEPT, 0);
    add_step(b, 1, DO_OFFER, 7);
    bench_run(b, 10);
    assert_int_equal(b->j.n_turns, 3);
    assert_float_equal(b->j.turns[0].time, 1.0 / 11, 1e-15);
    assert_float_equal(b->j.turns[1].time, 1.0 / 11, 1e-15);
    assert_float_equal(b->j.turns[2].time, 2.0 / 11, 1e-15);
    assert_true(truce_negotiation_agreement(b->ng));
    assert_float_equal(truce_negotiation_time(b->ng), 2.0 / 11, 1e-15);
    assert_float_equal(truce_negotiation_utility(b->ng, 1),
                       hand_utility(1, 7) * pow(discount_of[1], 2.0 / 11), TOL);
    bench_free(b);
}

/* The default is the GENIUS clock; version 1 options (which had no clock
 * field) keep the turn clock they always had; another clock is refused. */
static void test_clock_default_version_one_and_bad_value(void **state)
{
    (void)state;
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    assert_int_equal(o.clock, TRUCE_CLOCK_GENIUS);
    bench *b = bench_new(2);
    add_step(b, 0, DO_OFFER, 2);
    add_step(b, 1, DO_OFFER, 3);
    truce_error err;
    o.version = 1;
    o.max_rounds = 4;
    o.clock = 12345; /* not read in version 1 */
    assert_int_equal(truce_negotiation_create(&b->ng, b->sp, b->specs, 2, &o, &err), 0);
    memset(&b->j, 0, sizeof b->j);
    assert_int_equal(truce_negotiation_run(b->ng, 1, &err), 0);
    assert_float_equal(b->j.turns[1].time, 1.0 / 8, 1e-15);
    truce_negotiation_free(b->ng);
    b->ng = NULL;
    o.version = TRUCE_NEGOTIATION_OPTIONS_VERSION;
    assert_int_equal(truce_negotiation_create(&b->ng, b->sp, b->specs, 2, &o, &err), TRUCE_EINVAL);
    assert_string_equal(err.field, "clock");
    bench_free(b);
}

/* ---- acceptance ---- */

static void expect_agreement(const bench *b, uint32_t option, uint64_t round, size_t actor,
                             uint64_t N)
{
    const truce_negotiation *ng = b->ng;
    assert_true(truce_negotiation_agreement(ng));
    assert_string_equal(truce_negotiation_end_reason(ng), "agreement");
    assert_int_equal(truce_negotiation_fault(ng), -1);
    assert_non_null(truce_negotiation_outcome(ng));
    assert_int_equal(truce_negotiation_outcome(ng)[0], option);
    assert_int_equal(truce_negotiation_rounds(ng), round);
    double t = seen_time(b->clock, round, actor, b->n, N);
    assert_float_equal(truce_negotiation_time(ng), t, TOL);
    for (size_t p = 0; p < b->n; p++) {
        double u = hand_utility(p, option);
        assert_float_equal(truce_negotiation_utility_undiscounted(ng, p), u, TOL);
        assert_float_equal(truce_negotiation_utility(ng, p), u * pow(discount_of[p], t), TOL);
    }
}

static void test_bilateral_accept_agrees_on_the_standing_offer(void **state)
{
    (void)state;
    bench *b = bench_new(2);
    add_step(b, 0, DO_OFFER, 3);
    add_step(b, 1, DO_ACCEPT, 0);
    bench_run(b, 10);
    expect_agreement(b, 3, 1, 1, 10);
    assert_int_equal(b->j.n_turns, 2);
    bench_free(b);

    /* the first party accepts the second's counter-offer in round 2 */
    b = bench_new(2);
    add_step(b, 0, DO_OFFER, 2);
    add_step(b, 0, DO_ACCEPT, 0);
    add_step(b, 1, DO_OFFER, 7);
    bench_run(b, 10);
    expect_agreement(b, 7, 2, 0, 10);
    assert_int_equal(b->j.n_turns, 3);
    bench_free(b);
}

static void test_three_parties_agree_when_both_others_accept(void **state)
{
    (void)state;
    bench *b = bench_new(3);
    add_step(b, 0, DO_OFFER, 4);
    add_step(b, 1, DO_ACCEPT, 0);
    add_step(b, 2, DO_ACCEPT, 0);
    bench_run(b, 10);
    expect_agreement(b, 4, 1, 2, 10);
    bench_free(b);
}

static void test_one_acceptance_of_three_is_not_an_agreement(void **state)
{
    (void)state;
    bench *b = bench_new(3);
    /* beta accepts alpha's offer, gamma replaces it; alpha and beta then accept gamma's */
    add_step(b, 0, DO_OFFER, 4);
    add_step(b, 0, DO_ACCEPT, 0);
    add_step(b, 1, DO_ACCEPT, 0);
    add_step(b, 2, DO_OFFER, 6);
    bench_run(b, 10);
    assert_int_equal(b->j.n_turns, 5);
    assert_int_equal(b->j.turns[2].party, 2); /* gamma got its turn after one acceptance */
    expect_agreement(b, 6, 2, 1, 10);
    bench_free(b);
}

static void test_a_new_offer_resets_acceptances(void **state)
{
    (void)state;
    bench *b = bench_new(3);
    /* round 1: alpha offers, beta accepts, gamma counters; round 2: alpha accepts gamma's
     * offer (had beta's acceptance of alpha's offer been kept, that would be a deal), beta
     * counters, gamma accepts; round 3: alpha accepts beta's offer: agreement */
    add_step(b, 0, DO_OFFER, 4);
    add_step(b, 0, DO_ACCEPT, 0);
    add_step(b, 1, DO_ACCEPT, 0);
    add_step(b, 1, DO_OFFER, 8);
    add_step(b, 2, DO_OFFER, 6);
    add_step(b, 2, DO_ACCEPT, 0);
    bench_run(b, 10);
    assert_int_equal(b->j.n_turns, 7);
    expect_agreement(b, 8, 3, 0, 10);
    bench_free(b);

    /* never two acceptances of the same offer: no deal, though acceptances of different
     * offers follow each other (beta accepts alpha's, alpha accepts gamma's) */
    b = bench_new(3);
    add_step(b, 0, DO_OFFER, 4);
    add_step(b, 0, DO_ACCEPT, 0);
    add_step(b, 1, DO_ACCEPT, 0);
    add_step(b, 1, DO_OFFER, 9);
    add_step(b, 2, DO_OFFER, 6);
    bench_run(b, 4);
    /* alpha offers 4, beta accepts, gamma offers 6, alpha accepts, beta offers 9, gamma
     * offers 6, alpha accepts, beta offers 9, ... never two acceptances in a row */
    assert_false(truce_negotiation_agreement(b->ng));
    assert_string_equal(truce_negotiation_end_reason(b->ng), "deadline");
    assert_int_equal(b->j.n_turns, 12);
    bench_free(b);
}

/* ---- faults ---- */

static void expect_fault(const bench *b, long who, uint64_t round, uint64_t N)
{
    const truce_negotiation *ng = b->ng;
    assert_false(truce_negotiation_agreement(ng));
    assert_null(truce_negotiation_outcome(ng));
    assert_int_equal(truce_negotiation_fault(ng), who);
    assert_string_equal(truce_negotiation_end_reason(ng), "fault");
    assert_int_equal(truce_negotiation_rounds(ng), round);
    double t = seen_time(b->clock, round, (size_t)who, b->n, N);
    assert_float_equal(truce_negotiation_time(ng), t, TOL);
    for (size_t p = 0; p < b->n; p++) {
        double r = reservation_of[p];
        assert_float_equal(truce_negotiation_utility_undiscounted(ng, p), r, TOL);
        assert_float_equal(truce_negotiation_utility(ng, p), r * pow(discount_of[p], t), TOL);
    }
}

static void test_accepting_without_a_standing_offer_is_a_fault(void **state)
{
    (void)state;
    bench *b = bench_new(2);
    add_step(b, 0, DO_ACCEPT, 0);
    add_step(b, 1, DO_OFFER, 1);
    bench_run(b, 10);
    expect_fault(b, 0, 1, 10);
    assert_int_equal(b->j.n_turns, 1);
    assert_int_equal(b->j.n_events, 0); /* an invalid action is not shown to anyone */
    bench_free(b);

    b = bench_new(3);
    add_step(b, 0, DO_ACCEPT, 0);
    bench_run(b, 10);
    expect_fault(b, 0, 1, 10);
    bench_free(b);
}

static void test_offering_an_option_out_of_range_is_a_fault(void **state)
{
    (void)state;
    const uint32_t bad[] = {N_OPTIONS, UINT32_MAX};
    for (size_t k = 0; k < 2; k++) {
        bench *b = bench_new(2);
        add_step(b, 0, DO_OFFER, 3);
        add_step(b, 1, DO_OFFER, 4);
        add_step(b, 1, DO_OFFER, bad[k]);
        bench_run(b, 10);
        expect_fault(b, 1, 2, 10);
        bench_free(b);
    }
}

static void test_failing_callback_or_unknown_action_is_a_fault(void **state)
{
    (void)state;
    bench *b = bench_new(3);
    add_step(b, 0, DO_OFFER, 3);
    add_step(b, 1, DO_OFFER, 4);
    add_step(b, 2, DO_FAIL, 0);
    bench_run(b, 10);
    expect_fault(b, 2, 1, 10);
    bench_free(b);

    b = bench_new(2);
    add_step(b, 0, DO_OFFER, 3);
    add_step(b, 1, DO_BOGUS, 0);
    bench_run(b, 10);
    expect_fault(b, 1, 1, 10);
    bench_free(b);
}

/* ---- walk-away and deadlines ---- */

static void test_end_walks_away_with_discounted_reservation_values(void **state)
{
    (void)state;
    bench *b = bench_new(2);
    add_step(b, 0, DO_OFFER, 3);
    add_step(b, 0, DO_END, 0);
    add_step(b, 1, DO_OFFER, 5);
    bench_run(b, 10);
    const truce_negotiation *ng = b->ng;
    assert_false(truce_negotiation_agreement(ng));
    assert_null(truce_negotiation_outcome(ng));
    assert_string_equal(truce_negotiation_end_reason(ng), "walk-away");
    assert_int_equal(truce_negotiation_fault(ng), -1);
    assert_int_equal(truce_negotiation_rounds(ng), 2);
    /* alpha's second turn: ((2-1)*2 + 0) / (10*2) = 0.1 */
    assert_float_equal(truce_negotiation_time(ng), 0.1, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 0), 0.3 * pow(0.8, 0.1), TOL);
    assert_float_equal(truce_negotiation_utility(ng, 1), 0.25 * pow(0.6, 0.1), TOL);
    assert_float_equal(truce_negotiation_utility_undiscounted(ng, 0), 0.3, TOL);
    assert_float_equal(truce_negotiation_utility_undiscounted(ng, 1), 0.25, TOL);
    /* both observed the walk-away, without an offer */
    const event_record *last = &b->j.events[b->j.n_events - 1];
    assert_int_equal(last->kind, TRUCE_ACTION_END);
    assert_int_equal(last->actor, 0);
    assert_false(last->has_offer);
    bench_free(b);
}

static void test_deadline_in_rounds_ends_without_agreement_at_time_one(void **state)
{
    (void)state;
    bench *b = bench_new(3);
    for (size_t p = 0; p < 3; p++)
        add_step(b, p, DO_OFFER, (uint32_t)(p + 2));
    bench_run(b, 7);
    const truce_negotiation *ng = b->ng;
    assert_false(truce_negotiation_agreement(ng));
    assert_string_equal(truce_negotiation_end_reason(ng), "deadline");
    assert_int_equal(truce_negotiation_rounds(ng), 7);
    assert_float_equal(truce_negotiation_time(ng), 1.0, 0);
    assert_int_equal(b->j.n_turns, 21);
    /* reservation discounted at t = 1: r * d; gamma's reservation 0 stays 0 */
    assert_float_equal(truce_negotiation_utility(ng, 0), 0.3 * 0.8, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 1), 0.25 * 0.6, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 2), 0.0, 0);
    assert_float_equal(truce_negotiation_utility_undiscounted(ng, 2), 0.0, 0);
    bench_free(b);
}

/* tests/data/handmade: a has discount 0.5 and reservation 0.2; b's discount 0 is invalid
 * in GENIUS and becomes 1, and b has no reservation (0). */
static truce_scenario *load_handmade(void)
{
    const char *profiles[] = {TRUCE_TEST_DATA "/handmade/a.xml", TRUCE_TEST_DATA "/handmade/b.xml"};
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_genius(&s, TRUCE_TEST_DATA "/handmade/domain.xml", profiles, 2, NULL,
                                   &err))
        fail_msg("%s", err.message);
    return s;
}

/* Offers the fixed outcome {green, 2, 4} (a: 0.71, b: 0.75 by hand); with the parameter
 * "from=R" it accepts the standing offer from round R on. */
typedef struct handmade_state {
    uint64_t accept_from;
} handmade_state;

static int handmade_init(void *state, const truce_agent_setup *setup, truce_error *err,
                         void *payload)
{
    (void)err;
    (void)payload;
    handmade_state *st = state;
    st->accept_from = UINT64_MAX;
    if (!strncmp(setup->params, "from=", 5))
        st->accept_from = strtoull(setup->params + 5, NULL, 10);
    return 0;
}

static int handmade_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                        uint32_t *offer, void *payload)
{
    (void)payload;
    const handmade_state *st = state;
    if (turn->offer && turn->round >= st->accept_from) {
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    }
    offer[0] = 1;
    offer[1] = 2;
    offer[2] = 4;
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

static const truce_agent_class handmade_class = {
    "handmade", sizeof(handmade_state), NULL, handmade_init, handmade_act, NULL, NULL};

static void run_handmade_clock(const char *second, uint64_t N, int clock, truce_scenario **s_out,
                               truce_space **sp_out, truce_negotiation **ng_out)
{
    truce_agent_spec specs[2] = {{&handmade_class, NULL}, {&handmade_class, second}};
    *s_out = load_handmade();
    *sp_out = space_of(*s_out);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = N;
    o.clock = clock;
    truce_error err;
    if (truce_negotiation_create(ng_out, *sp_out, specs, 2, &o, &err) ||
        truce_negotiation_run(*ng_out, 1, &err))
        fail_msg("%s", err.message);
}

static void run_handmade(const char *second, uint64_t N, truce_scenario **s_out,
                         truce_space **sp_out, truce_negotiation **ng_out)
{
    run_handmade_clock(second, N, TRUCE_CLOCK_TURN, s_out, sp_out, ng_out);
}

static void test_agreement_is_discounted_at_the_time_of_agreement(void **state)
{
    (void)state;
    truce_scenario *s;
    truce_space *sp;
    truce_negotiation *ng;
    run_handmade("from=3", 10, &s, &sp, &ng);
    assert_true(truce_negotiation_agreement(ng));
    /* b accepts in round 3: t = (2*2 + 1) / 20 = 0.25 */
    assert_float_equal(truce_negotiation_time(ng), 0.25, TOL);
    assert_float_equal(truce_negotiation_utility_undiscounted(ng, 0), 0.71, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 0), 0.71 * pow(0.5, 0.25), TOL);
    assert_float_equal(truce_negotiation_utility_undiscounted(ng, 1), 0.75, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 1), 0.75, TOL);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);

    /* the GENIUS clock: round 3 of 10 at 3/11 */
    run_handmade_clock("from=3", 10, TRUCE_CLOCK_GENIUS, &s, &sp, &ng);
    assert_true(truce_negotiation_agreement(ng));
    assert_float_equal(truce_negotiation_time(ng), 3.0 / 11, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 0), 0.71 * pow(0.5, 3.0 / 11), TOL);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);

    /* the last turn of the last round: t = (2*9 + 1) / 20 */
    run_handmade("from=10", 10, &s, &sp, &ng);
    assert_true(truce_negotiation_agreement(ng));
    assert_int_equal(truce_negotiation_rounds(ng), 10);
    assert_float_equal(truce_negotiation_time(ng), 0.95, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 0), 0.71 * pow(0.5, 0.95), TOL);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_disagreement_gives_reservation_discounted_at_the_deadline(void **state)
{
    (void)state;
    truce_scenario *s;
    truce_space *sp;
    truce_negotiation *ng;
    run_handmade(NULL, 4, &s, &sp, &ng);
    assert_false(truce_negotiation_agreement(ng));
    assert_float_equal(truce_negotiation_time(ng), 1.0, 0);
    /* a: 0.2 * 0.5^1; b: reservation 0 stays 0 */
    assert_float_equal(truce_negotiation_utility(ng, 0), 0.1, TOL);
    assert_float_equal(truce_negotiation_utility_undiscounted(ng, 0), 0.2, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 1), 0.0, 0);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);

    /* the GENIUS clock: the deadline passes at the last round's time 4/5, where GENIUS 10.4
     * discounts (its SmartPhone sessions without agreement: 0.6 * 0.87^(100/101) = 0.52272) */
    run_handmade_clock(NULL, 4, TRUCE_CLOCK_GENIUS, &s, &sp, &ng);
    assert_false(truce_negotiation_agreement(ng));
    assert_string_equal(truce_negotiation_end_reason(ng), "deadline");
    assert_float_equal(truce_negotiation_time(ng), 0.8, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 0), 0.2 * pow(0.5, 0.8), TOL);
    assert_float_equal(truce_negotiation_utility_undiscounted(ng, 0), 0.2, TOL);
    assert_float_equal(truce_negotiation_utility(ng, 1), 0.0, 0);
    /* a negotiation object runs again from scratch */
    truce_error err;
    assert_int_equal(truce_negotiation_run(ng, 2, &err), 0);
    assert_false(truce_negotiation_agreement(ng));
    assert_int_equal(truce_negotiation_rounds(ng), 4);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- creation errors ---- */

static void test_impossible_or_double_deadlines_are_rejected(void **state)
{
    (void)state;
    truce_scenario *s = one_issue(2);
    truce_space *sp = space_of(s);
    truce_agent_spec specs[3] = {{truce_agent_find("linear"), NULL},
                                 {truce_agent_find("boulware"), NULL},
                                 {truce_agent_find("tft"), NULL}};
    truce_negotiation *ng = NULL;
    truce_error err;
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = 0;
    o.max_seconds = 0;
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, &o, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "impossible deadline"));
    assert_null(ng);
    o.max_seconds = -1;
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, &o, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "impossible deadline"));
    o.max_seconds = NAN;
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, &o, &err), TRUCE_EINVAL);
    o.max_rounds = 10;
    o.max_seconds = 1;
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, &o, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "not both"));
    assert_null(ng);
    /* one agent per party */
    o.max_seconds = 0;
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 1, &o, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "1 agents given for 2 parties"));
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 3, &o, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "3 agents given for 2 parties"));
    assert_null(ng);
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, &o, &err), 0);
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- traces ---- */

typedef struct buffer {
    char *data;
    size_t len, cap;
    size_t records;
    int fail_after; /* > 0: the callback fails on that record */
} buffer;

static int collect(const char *record, size_t length, void *payload)
{
    buffer *b = payload;
    if (b->fail_after && (int)b->records + 1 >= b->fail_after)
        return 1;
    /* a record is one line: no newline inside, as JSON Lines requires */
    assert_null(memchr(record, '\n', length));
    assert_int_equal(strlen(record), length);
    if (b->len + length + 2 > b->cap) {
        b->cap = (b->len + length + 2) * 2;
        b->data = realloc(b->data, b->cap);
        assert_non_null(b->data);
    }
    memcpy(b->data + b->len, record, length);
    b->len += length;
    b->data[b->len++] = '\n';
    b->data[b->len] = '\0';
    b->records++;
    return 0;
}

static truce_scenario *load_ceasefire(void)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, TRUCE_EXAMPLES "/genius/ceasefire", NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static void trace_run(const truce_space *sp, const char *a, const char *b, uint64_t rounds,
                      uint64_t seed, buffer *out, truce_negotiation **keep)
{
    truce_agent_spec specs[2];
    truce_error err;
    assert_int_equal(truce_agent_parse(&specs[0], a, &err), 0);
    assert_int_equal(truce_agent_parse(&specs[1], b, &err), 0);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = rounds;
    o.trace = collect;
    o.trace_payload = out;
    truce_negotiation *ng = NULL;
    if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err) ||
        truce_negotiation_run(ng, seed, &err))
        fail_msg("%s", err.message);
    if (keep)
        *keep = ng;
    else
        truce_negotiation_free(ng);
}

static void test_same_seed_gives_a_byte_identical_trace(void **state)
{
    (void)state;
    truce_scenario *s = load_ceasefire();
    truce_space *sp = space_of(s);
    buffer one = {0}, two = {0}, other = {0};
    trace_run(sp, "random", "hardheaded", 100, 7, &one, NULL);
    trace_run(sp, "random", "hardheaded", 100, 7, &two, NULL);
    assert_true(one.records > 3);
    assert_int_equal(one.len, two.len);
    assert_memory_equal(one.data, two.data, one.len);
    trace_run(sp, "random", "hardheaded", 100, 8, &other, NULL);
    assert_true(other.len != one.len || memcmp(other.data, one.data, one.len) != 0);
    free(one.data);
    free(two.data);
    free(other.data);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* The utilities of a traced outcome, recomputed from its labels with truce_utility(). */
static void check_traced_outcome(const truce_scenario *s, json_t *outcome, json_t *utilities)
{
    size_t ni = truce_scenario_issue_count(s), np = truce_scenario_party_count(s);
    assert_true(json_is_object(outcome));
    assert_int_equal(json_object_size(outcome), ni);
    uint32_t o[16];
    assert_true(ni <= 16);
    for (size_t i = 0; i < ni; i++) {
        json_t *v = json_object_get(outcome, truce_issue_name(s, i));
        assert_non_null(v);
        char label[256];
        if (truce_issue_kind_of(s, i) == TRUCE_ISSUE_DISCRETE) {
            assert_true(json_is_string(v));
            snprintf(label, sizeof label, "%s", json_string_value(v));
        } else {
            assert_true(json_is_integer(v));
            snprintf(label, sizeof label, "%lld", (long long)json_integer_value(v));
        }
        int k = truce_option_find(s, i, label);
        assert_true(k >= 0);
        o[i] = (uint32_t)k;
    }
    assert_true(json_is_array(utilities));
    assert_int_equal(json_array_size(utilities), np);
    for (size_t p = 0; p < np; p++)
        assert_float_equal(json_number_value(json_array_get(utilities, p)), truce_utility(s, p, o),
                           TOL);
}

static void check_trace(const truce_scenario *s, const truce_negotiation *ng, const buffer *b,
                        const char *agent0, const char *agent1, uint64_t seed, uint64_t N)
{
    size_t np = truce_scenario_party_count(s);
    char *copy = strdup(b->data);
    size_t line_no = 0, n_actions = 0;
    int last_was_end = 0;
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n"), line_no++) {
        json_error_t jerr;
        json_t *r = json_loads(line, 0, &jerr);
        if (!r)
            fail_msg("trace line %zu is not JSON (%s): %s", line_no, jerr.text, line);
        const char *type = json_string_value(json_object_get(r, "type"));
        assert_non_null(type);
        last_was_end = !strcmp(type, "end");
        if (line_no == 0) {
            assert_string_equal(type, "start");
            assert_string_equal(json_string_value(json_object_get(r, "protocol")),
                                "alternating-offers");
            assert_string_equal(json_string_value(json_object_get(r, "scenario")),
                                truce_scenario_name(s));
            json_t *parties = json_object_get(r, "parties"), *agents = json_object_get(r, "agents");
            assert_int_equal(json_array_size(parties), np);
            for (size_t p = 0; p < np; p++)
                assert_string_equal(json_string_value(json_array_get(parties, p)),
                                    truce_party_name(s, p));
            assert_int_equal(json_array_size(agents), 2);
            assert_string_equal(json_string_value(json_array_get(agents, 0)), agent0);
            assert_string_equal(json_string_value(json_array_get(agents, 1)), agent1);
            assert_int_equal(json_integer_value(json_object_get(r, "seed")), seed);
            json_t *deadline = json_object_get(r, "deadline");
            assert_int_equal(json_object_size(deadline), 2);
            assert_int_equal(json_integer_value(json_object_get(deadline, "rounds")), N);
            assert_string_equal(json_string_value(json_object_get(deadline, "clock")), "genius");
        } else if (!strcmp(type, "offer") || !strcmp(type, "accept")) {
            /* the k-th action is party k mod 2's, in round k/2 + 1 */
            uint64_t round = n_actions / 2 + 1;
            size_t actor = n_actions % 2;
            assert_int_equal(json_integer_value(json_object_get(r, "round")), round);
            assert_float_equal(json_number_value(json_object_get(r, "time")),
                               seen_time(TRUCE_CLOCK_GENIUS, round, actor, 2, N), TOL);
            assert_string_equal(json_string_value(json_object_get(r, "actor")),
                                truce_party_name(s, actor));
            check_traced_outcome(s, json_object_get(r, "outcome"), json_object_get(r, "utilities"));
            n_actions++;
        } else if (!strcmp(type, "end")) {
            assert_string_equal(json_string_value(json_object_get(r, "reason")),
                                truce_negotiation_end_reason(ng));
            assert_int_equal(json_integer_value(json_object_get(r, "round")),
                             truce_negotiation_rounds(ng));
            assert_float_equal(json_number_value(json_object_get(r, "time")),
                               truce_negotiation_time(ng), TOL);
            json_t *agreement = json_object_get(r, "agreement");
            assert_true(json_is_boolean(agreement));
            assert_int_equal(json_is_true(agreement), truce_negotiation_agreement(ng) != 0);
            json_t *u = json_object_get(r, "utilities"),
                   *uu = json_object_get(r, "utilities_undiscounted");
            assert_int_equal(json_array_size(u), np);
            assert_int_equal(json_array_size(uu), np);
            for (size_t p = 0; p < np; p++) {
                assert_float_equal(json_number_value(json_array_get(u, p)),
                                   truce_negotiation_utility(ng, p), TOL);
                assert_float_equal(json_number_value(json_array_get(uu, p)),
                                   truce_negotiation_utility_undiscounted(ng, p), TOL);
            }
            if (truce_negotiation_agreement(ng))
                check_traced_outcome(s, json_object_get(r, "outcome"), uu);
            else
                assert_true(json_is_null(json_object_get(r, "outcome")));
            assert_true(json_is_null(json_object_get(r, "fault")));
        } else {
            fail_msg("unexpected record type %s", type);
        }
        json_decref(r);
    }
    assert_int_equal(line_no, b->records);
    assert_true(last_was_end);
    free(copy);
}

static void test_trace_records_are_json_with_the_documented_fields(void **state)
{
    (void)state;
    truce_scenario *s = load_ceasefire();
    truce_space *sp = space_of(s);
    const char *pairs[][2] = {
        {"linear", "tft"}, {"random:p=0.05", "boulware:e=0.5"}, {"hardliner", "micro"}};
    for (size_t k = 0; k < 3; k++) {
        buffer b = {0};
        truce_negotiation *ng = NULL;
        trace_run(sp, pairs[k][0], pairs[k][1], 30, 11 + k, &b, &ng);
        check_trace(s, ng, &b, pairs[k][0], pairs[k][1], 11 + k, 30);
        truce_negotiation_free(ng);
        free(b.data);
    }
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_trace_of_three_parties_and_walk_away(void **state)
{
    (void)state;
    bench *b = bench_new(3);
    add_step(b, 0, DO_OFFER, 3);
    add_step(b, 1, DO_ACCEPT, 0);
    add_step(b, 2, DO_END, 0);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    buffer out = {0};
    o.max_rounds = 10;
    o.trace = collect;
    o.trace_payload = &out;
    truce_error err;
    if (truce_negotiation_create(&b->ng, b->sp, b->specs, 3, &o, &err) ||
        truce_negotiation_run(b->ng, 3, &err))
        fail_msg("%s", err.message);
    assert_int_equal(out.records, 5);
    const char *expect_types[] = {"start", "offer", "accept", "end-negotiation", "end"};
    char *line = out.data;
    for (size_t k = 0; k < 5; k++) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        json_t *r = json_loads(line, 0, NULL);
        assert_non_null(r);
        assert_string_equal(json_string_value(json_object_get(r, "type")), expect_types[k]);
        if (k == 0)
            assert_string_equal(json_string_value(json_object_get(r, "protocol")),
                                "stacked-alternating-offers");
        if (k == 3) {
            assert_string_equal(json_string_value(json_object_get(r, "actor")), "gamma");
            assert_int_equal(json_integer_value(json_object_get(r, "round")), 1);
            assert_float_equal(json_number_value(json_object_get(r, "time")),
                               seen_time(TRUCE_CLOCK_GENIUS, 1, 2, 3, 10), TOL);
            assert_null(json_object_get(r, "outcome"));
        }
        if (k == 4) {
            assert_string_equal(json_string_value(json_object_get(r, "reason")), "walk-away");
            assert_true(json_is_false(json_object_get(r, "agreement")));
        }
        json_decref(r);
        line = nl + 1;
    }
    free(out.data);
    bench_free(b);
}

static void test_fault_is_named_in_the_trace(void **state)
{
    (void)state;
    bench *b = bench_new(2);
    add_step(b, 0, DO_OFFER, 3);
    add_step(b, 1, DO_OFFER, N_OPTIONS);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    buffer out = {0};
    o.trace = collect;
    o.trace_payload = &out;
    truce_error err;
    if (truce_negotiation_create(&b->ng, b->sp, b->specs, 2, &o, &err) ||
        truce_negotiation_run(b->ng, 3, &err))
        fail_msg("%s", err.message);
    const char *end = strstr(out.data, "{\"type\":\"end\"");
    assert_non_null(end);
    json_t *r = json_loads(end, JSON_DISABLE_EOF_CHECK, NULL);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(r, "reason")), "fault");
    assert_string_equal(json_string_value(json_object_get(r, "fault")), "beta");
    json_decref(r);
    free(out.data);
    bench_free(b);
}

static void test_failing_trace_callback_is_an_error(void **state)
{
    (void)state;
    truce_scenario *s = load_ceasefire();
    truce_space *sp = space_of(s);
    truce_agent_spec specs[2] = {{truce_agent_find("linear"), NULL},
                                 {truce_agent_find("conceder"), NULL}};
    for (int fail_after = 1; fail_after <= 3; fail_after++) {
        buffer out = {0};
        out.fail_after = fail_after;
        truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
        o.trace = collect;
        o.trace_payload = &out;
        truce_negotiation *ng = NULL;
        truce_error err;
        assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, &o, &err), 0);
        assert_int_equal(truce_negotiation_run(ng, 1, &err), TRUCE_EIO);
        assert_non_null(strstr(err.message, "trace"));
        truce_negotiation_free(ng);
        free(out.data);
    }
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- wall-clock deadline ---- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_wall_clock_deadline_terminates(void **state)
{
    (void)state;
    bench *b = bench_new(2);
    add_step(b, 0, DO_OFFER, 2);
    add_step(b, 1, DO_OFFER, 8);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = 0;
    o.max_seconds = 0.05;
    truce_error err;
    if (truce_negotiation_create(&b->ng, b->sp, b->specs, 2, &o, &err))
        fail_msg("%s", err.message);
    double start = now();
    assert_int_equal(truce_negotiation_run(b->ng, 1, &err), 0);
    double elapsed = now() - start;
    assert_true(elapsed >= 0.05);
    assert_true(elapsed < 5);
    assert_false(truce_negotiation_agreement(b->ng));
    assert_string_equal(truce_negotiation_end_reason(b->ng), "deadline");
    assert_float_equal(truce_negotiation_time(b->ng), 1.0, 0);
    assert_true(truce_negotiation_rounds(b->ng) >= 1);
    /* agents are told there is no deadline in rounds, and times rise within [0,1) */
    assert_int_equal(b->j.setups[0].max_rounds, 0);
    for (size_t k = 1; k < b->j.n_turns; k++) {
        assert_true(b->j.turns[k].time >= b->j.turns[k - 1].time);
        assert_true(b->j.turns[k].time < 1);
    }
    bench_free(b);
}

static void test_an_action_after_a_deadline_in_seconds_is_too_late(void **state)
{
    (void)state;
    bench *b = bench_new(2);
    add_step(b, 0, DO_OFFER, 2);
    add_step(b, 1, DO_LATE_ACCEPT, 0);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = 0;
    o.max_seconds = 0.1;
    buffer t = {0};
    o.trace = collect;
    o.trace_payload = &t;
    truce_error err;
    if (truce_negotiation_create(&b->ng, b->sp, b->specs, 2, &o, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_negotiation_run(b->ng, 1, &err), 0);
    /* the acceptance came 0.3 s into a 0.1 s negotiation: no agreement */
    assert_false(truce_negotiation_agreement(b->ng));
    assert_string_equal(truce_negotiation_end_reason(b->ng), "deadline");
    assert_int_equal(truce_negotiation_fault(b->ng), -1);
    assert_null(strstr(t.data, "\"type\":\"accept\""));
    assert_non_null(strstr(t.data, "\"type\":\"offer\""));
    free(t.data);
    bench_free(b);
}

/* ---- hard conditions (issue 15) ---- */

/* Issue x with options o0..o10 as above, written natively: principals alpha (values k/10,
 * reservation 0.3, hard condition 'floor': x in o3..o6) and beta (values (10-k)/10,
 * reservation 0.25, 'cap': x in o0..o5), with a mediator between them whose own condition
 * ('mine': x = o0) binds nobody. Feasible: o3, o4, o5. */
static truce_scenario *one_issue_hard(void)
{
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text,
                                  "truce: 1\nname: one-issue-hard\nissues:\n  - id: x\n"
                                  "    options: [o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10]\n"
                                  "parties:\n");
    const char *names[3] = {"alpha", "envoy", "beta"};
    for (size_t p = 0; p < 3; p++) {
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "  - id: %s\n    role: %s\n    weights: {x: 1}\n    values:\n"
                                "      x: {",
                                names[p], p == 1 ? "mediator" : "principal");
        for (uint32_t k = 0; k < N_OPTIONS; k++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%so%u: %g", k ? ", " : "", k,
                                    p == 0   ? k / 10.0
                                    : p == 2 ? (10 - k) / 10.0
                                             : (3 * k % 11) / 10.0);
        len += (size_t)snprintf(text + len, sizeof text - len, "}\n");
    }
    /* the conditions, inserted after each party's values */
    char out[4096];
    const char *conditions[3] = {
        "    reservation: 0.3\n    hard_conditions:\n      - {id: floor, require: {x: [o3, o4, o5, "
        "o6]}}\n",
        "    hard_conditions:\n      - {id: mine, require: {x: [o0]}}\n",
        "    reservation: 0.25\n    hard_conditions:\n      - {id: cap, require: {x: [o0, o1, o2, "
        "o3, o4, o5]}}\n"};
    size_t o = 0, party = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n') + 1;
        o += (size_t)snprintf(out + o, sizeof out - o, "%.*s", (int)(end - line), line);
        if (!strncmp(line, "      x: {", 10))
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", conditions[party++]);
        line = end;
    }
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, temp_file("one-issue-hard.yaml", out), NULL, &err))
        fail_msg("%s\n%s", err.message, out);
    return s;
}

static void test_offering_what_its_own_party_vetoes_is_a_fault_naming_the_condition(void **state)
{
    (void)state;
    bench *b = bench_on(one_issue_hard(), 2);
    add_step(b, 0, DO_OFFER, 4);
    add_step(b, 1, DO_OFFER, 5);
    add_step(b, 0, DO_OFFER, 1); /* its second offer breaks its own 'floor' */
    bench_run(b, 10);
    assert_int_equal(truce_negotiation_fault(b->ng), 0);
    assert_string_equal(truce_negotiation_end_reason(b->ng), "fault");
    assert_null(truce_negotiation_outcome(b->ng));
    assert_int_equal(truce_negotiation_rounds(b->ng), 2);
    assert_string_equal(truce_negotiation_fault_message(b->ng),
                        "offered an outcome that breaks alpha's own hard condition 'floor' "
                        "(requires x = o3 or o4 or o5 or o6; the outcome has x = o1)");
    assert_int_equal(b->j.n_turns, 3);
    /* offers break the other party's condition freely: o5 is beta's, fine for alpha */
    assert_false(b->j.turns[1].offer_vetoed);
    assert_false(b->j.turns[2].offer_vetoed);
    bench_free(b);

    /* beta offers o7, which its 'cap' forbids, although alpha would take it */
    b = bench_on(one_issue_hard(), 2);
    add_step(b, 0, DO_OFFER, 6);
    add_step(b, 1, DO_OFFER, 7);
    bench_run(b, 10);
    assert_int_equal(truce_negotiation_fault(b->ng), 1);
    assert_string_equal(truce_negotiation_fault_message(b->ng),
                        "offered an outcome that breaks beta's own hard condition 'cap' (requires "
                        "x = o0 or o1 or o2 or o3 or o4 or o5; the outcome has x = o7)");
    bench_free(b);
}

static void test_accepting_what_its_own_party_vetoes_is_a_fault_and_the_turn_says_so(void **state)
{
    (void)state;
    bench *b = bench_on(one_issue_hard(), 2);
    add_step(b, 0, DO_OFFER, 4);
    add_step(b, 1, DO_OFFER, 2); /* allowed by beta's 'cap', vetoed by alpha's 'floor' */
    add_step(b, 0, DO_ACCEPT, 0);
    bench_run(b, 10);
    assert_int_equal(truce_negotiation_fault(b->ng), 0);
    assert_false(truce_negotiation_agreement(b->ng));
    assert_string_equal(truce_negotiation_fault_message(b->ng),
                        "accepted an outcome that breaks alpha's own hard condition 'floor' "
                        "(requires x = o3 or o4 or o5 or o6; the outcome has x = o2)");
    assert_int_equal(b->j.n_turns, 3);
    assert_false(b->j.turns[0].offer_vetoed); /* no offer yet */
    assert_false(b->j.turns[1].offer_vetoed); /* o4: beta allows it */
    assert_true(b->j.turns[2].offer_vetoed);  /* o2: alpha's own 'floor' forbids it */
    /* the faulty acceptance is shown to nobody */
    for (size_t k = 0; k < b->j.n_events; k++)
        assert_int_equal(b->j.events[k].kind, TRUCE_ACTION_OFFER);
    bench_free(b);
}

static void test_a_mediators_condition_vetoes_nothing_and_distances_are_over_the_seats(void **state)
{
    (void)state;
    bench *b = bench_on(one_issue_hard(), 2);
    add_step(b, 0, DO_OFFER, 4); /* the mediator's 'mine' (o0) does not bind */
    add_step(b, 1, DO_ACCEPT, 0);
    bench_run(b, 10);
    assert_int_equal(truce_negotiation_fault(b->ng), -1);
    assert_true(truce_negotiation_agreement(b->ng));
    assert_int_equal(truce_negotiation_seat_party(b->ng, 0), 0);
    assert_int_equal(truce_negotiation_seat_party(b->ng, 1), 2);
    assert_false(b->j.turns[1].offer_vetoed);
    /* By hand, over alpha and beta among the feasible o3..o5: every one is Pareto-optimal
     * ((0.3, 0.7), (0.4, 0.6), (0.5, 0.5)); the Nash point is o5, as o3 leaves alpha at its
     * reservation and (0.4-0.3)(0.6-0.25) = 0.035 < (0.5-0.3)(0.5-0.25) = 0.05. The mediator's
     * utility (0.2 at o4) plays no part. */
    assert_close(truce_negotiation_pareto_distance(b->ng), 0, TOL);
    assert_close(truce_negotiation_nash_distance(b->ng), sqrt(0.01 + 0.01), TOL);
    bench_free(b);
}

static void test_talks_no_outcome_can_end_are_refused_naming_the_conditions(void **state)
{
    (void)state;
    const char *yaml =
        "truce: 1\nname: deadlock\nissues:\n  - id: land\n    options: [north, middle, south]\n"
        "  - id: money\n    options: [low, high]\nparties:\n"
        "  - id: east\n    weights: {land: 1}\n    values: {land: {north: 1}}\n"
        "    hard_conditions:\n      - {id: hold-north, require: {land: [north]}}\n"
        "  - id: west\n    weights: {land: 1}\n    values: {land: {south: 1}}\n"
        "    hard_conditions:\n      - {id: no-north, require: {land: [middle, south], money: "
        "[low]}}\n"
        "  - id: broker\n    role: mediator\n";
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, temp_file("deadlock.yaml", yaml), NULL, &err))
        fail_msg("%s", err.message);
    truce_space *sp = space_of(s);
    truce_agent_spec specs[2];
    assert_int_equal(truce_agent_parse(&specs[0], "linear", &err), 0);
    assert_int_equal(truce_agent_parse(&specs[1], "conceder", &err), 0);
    truce_negotiation *ng = NULL;
    assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, NULL, &err), TRUCE_EINVAL);
    assert_null(ng);
    assert_string_equal(err.field, "hard_conditions");
    assert_non_null(strstr(err.message,
                           "no outcome respects every principal's hard conditions, so no agreement "
                           "is possible (the feasible set is empty, as 'truce check' shows): on "
                           "issue 'land', east's hard condition 'hold-north' allows north and "
                           "west's hard condition 'no-north' allows middle or south"));
    truce_space_free(sp);
    truce_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bilateral_parties_alternate_starting_with_the_first),
        cmocka_unit_test(test_multilateral_parties_act_in_profile_order),
        cmocka_unit_test(test_genius_clock_agreement_time_is_the_round_over_n_plus_one),
        cmocka_unit_test(test_clock_default_version_one_and_bad_value),
        cmocka_unit_test(test_bilateral_accept_agrees_on_the_standing_offer),
        cmocka_unit_test(test_three_parties_agree_when_both_others_accept),
        cmocka_unit_test(test_one_acceptance_of_three_is_not_an_agreement),
        cmocka_unit_test(test_a_new_offer_resets_acceptances),
        cmocka_unit_test(test_accepting_without_a_standing_offer_is_a_fault),
        cmocka_unit_test(test_offering_an_option_out_of_range_is_a_fault),
        cmocka_unit_test(test_failing_callback_or_unknown_action_is_a_fault),
        cmocka_unit_test(test_end_walks_away_with_discounted_reservation_values),
        cmocka_unit_test(test_deadline_in_rounds_ends_without_agreement_at_time_one),
        cmocka_unit_test(test_agreement_is_discounted_at_the_time_of_agreement),
        cmocka_unit_test(test_disagreement_gives_reservation_discounted_at_the_deadline),
        cmocka_unit_test(test_impossible_or_double_deadlines_are_rejected),
        cmocka_unit_test(test_same_seed_gives_a_byte_identical_trace),
        cmocka_unit_test(test_trace_records_are_json_with_the_documented_fields),
        cmocka_unit_test(test_trace_of_three_parties_and_walk_away),
        cmocka_unit_test(test_fault_is_named_in_the_trace),
        cmocka_unit_test(test_failing_trace_callback_is_an_error),
        cmocka_unit_test(test_wall_clock_deadline_terminates),
        cmocka_unit_test(test_an_action_after_a_deadline_in_seconds_is_too_late),
        cmocka_unit_test(test_offering_what_its_own_party_vetoes_is_a_fault_naming_the_condition),
        cmocka_unit_test(test_accepting_what_its_own_party_vetoes_is_a_fault_and_the_turn_says_so),
        cmocka_unit_test(
            test_a_mediators_condition_vetoes_nothing_and_distances_are_over_the_seats),
        cmocka_unit_test(test_talks_no_outcome_can_end_are_refused_naming_the_conditions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
