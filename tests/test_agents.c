/* test_agents.c: the built-in agents against scripted opponents: concession curves computed
 * independently from the documented formulas, reservation values, tit-for-tat, MiCRO, errors. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/space.h"
#include "testutil.h"

#define TOL 1e-12
#define MAX_ISSUES 64
#define MAX_RECORDS 1024

/* ---- scenarios ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A one-issue bilateral scenario with options o0..o(n-1): "alpha" values option k at k/(n-1)
 * and "beta" at (n-1-k)/(n-1) (GENIUS divides evaluations by the largest). */
static truce_scenario *line_scenario(uint32_t n, double reservation_alpha, double reservation_beta)
{
    const char *dir = temp_dir();
    char *text = malloc(65536);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, 65536,
                                  "<negotiation_template><utility_space number_of_issues=\"1\">"
                                  "<objective index=\"0\" name=\"root\" type=\"objective\" "
                                  "etype=\"objective\"><issue index=\"1\" name=\"x\" "
                                  "type=\"discrete\" etype=\"discrete\">\n");
    for (uint32_t k = 0; k < n; k++)
        len += (size_t)snprintf(text + len, 65536 - len, "<item index=\"%u\" value=\"o%u\"/>\n",
                                k + 1, k);
    snprintf(text + len, 65536 - len,
             "</issue></objective></utility_space></negotiation_template>");
    write_file(dir, "domain.xml", text);
    const char *names[2] = {"alpha.xml", "beta.xml"};
    double reservation[2] = {reservation_alpha, reservation_beta};
    char paths[2][600];
    const char *profiles[2];
    for (int p = 0; p < 2; p++) {
        len = (size_t)snprintf(text, 65536,
                               "<utility_space><objective index=\"0\" name=\"root\" "
                               "type=\"objective\" etype=\"objective\"><issue index=\"1\" "
                               "name=\"x\" type=\"discrete\" etype=\"discrete\">\n");
        for (uint32_t k = 0; k < n; k++)
            len += (size_t)snprintf(text + len, 65536 - len,
                                    "<item index=\"%u\" value=\"o%u\" evaluation=\"%u\"/>\n", k + 1,
                                    k, p == 0 ? k : n - 1 - k);
        snprintf(text + len, 65536 - len,
                 "</issue><weight index=\"1\" value=\"1\"/></objective>"
                 "<reservation value=\"%.17g\"/></utility_space>",
                 reservation[p]);
        write_file(dir, names[p], text);
        snprintf(paths[p], sizeof paths[p], "%s/%s", dir, names[p]);
        profiles[p] = paths[p];
    }
    free(text);
    char domain[600];
    snprintf(domain, sizeof domain, "%s/domain.xml", dir);
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_genius(&s, domain, profiles, 2, NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static truce_scenario *load_dir(const char *dir)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, dir, NULL, &err))
        fail_msg("%s", err.message);
    return s;
}

static truce_scenario *load_ceasefire(void)
{
    return load_dir(TRUCE_EXAMPLES "/genius/ceasefire");
}

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

/* A corpus scenario, or NULL (with a message) when the corpus is absent. */
static truce_scenario *load_corpus(const char *relative)
{
    char buf[1024];
    if (!corpus_path(relative, buf, sizeof buf)) {
        printf("corpus scenario %s not found under %s: skipped\n", relative, TRUCE_SCENARIOS);
        return NULL;
    }
    return load_dir(buf);
}

static truce_space *space_of(const truce_scenario *s)
{
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, NULL, &err))
        fail_msg("%s", err.message);
    return sp;
}

/* ---- brute force over a small space, using only truce_utility() ---- */

typedef struct table {
    uint64_t n;
    double *u; /* party's utility of every outcome, by mixed-radix index */
    double best, worst;
    uint64_t best_index, worst_index;
} table;

static uint64_t outcome_count(const truce_scenario *s)
{
    uint64_t n = 1;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        n *= truce_issue_option_count(s, i);
    return n;
}

static table tabulate(const truce_scenario *s, size_t party_index)
{
    table t = {0};
    t.n = outcome_count(s);
    t.u = malloc(t.n * sizeof *t.u);
    assert_non_null(t.u);
    uint32_t o[MAX_ISSUES];
    t.best = -1;
    t.worst = 2;
    for (uint64_t x = 0; x < t.n; x++) {
        outcome_from_index(s, x, o);
        t.u[x] = truce_utility(s, party_index, o);
        if (t.u[x] > t.best) {
            t.best = t.u[x];
            t.best_index = x;
        }
        if (t.u[x] < t.worst) {
            t.worst = t.u[x];
            t.worst_index = x;
        }
    }
    return t;
}

/* The smallest utility at or above `target`; with lo/hi the candidates when the target lies
 * within rounding of an outcome's utility (either answer is right then). */
static void closest_above(const table *t, double target, double *lo, double *hi)
{
    *lo = *hi = INFINITY;
    for (uint64_t x = 0; x < t->n; x++) {
        if (t->u[x] >= target - 1e-9 && t->u[x] < *lo)
            *lo = t->u[x];
        if (t->u[x] >= target + 1e-9 && t->u[x] < *hi)
            *hi = t->u[x];
    }
    if (isinf(*lo))
        *lo = *hi = t->best;
    if (isinf(*hi))
        *hi = *lo;
}

static void assert_one_of(double actual, double lo, double hi, const char *what, double t)
{
    if (fabs(actual - lo) > TOL && fabs(actual - hi) > TOL)
        fail_msg("%s at t=%.6f: bid utility %.15g, expected %.15g%s%.15g", what, t, actual, lo,
                 lo == hi ? "" : " or ", lo == hi ? NAN : hi);
}

/* ---- a scripted opponent that plays a list of offers and records the subject's ---- */

typedef struct opponent {
    const truce_scenario *s;
    size_t ni, subject;
    const uint32_t *offers; /* n_offers outcomes of ni options; the last one repeats */
    size_t n_offers;
    truce_agent_class cls;
    /* what the subject did */
    size_t n;
    double u[MAX_RECORDS]; /* subject's own utility of each of its offers */
    double t[MAX_RECORDS];
    uint64_t index[MAX_RECORDS]; /* the offers as mixed-radix indices */
    size_t accepts;
} opponent;

typedef struct opponent_state {
    opponent *op;
    size_t next;
} opponent_state;

static int opponent_init(void *state, const truce_agent_setup *setup, truce_error *err,
                         void *payload)
{
    (void)setup;
    (void)err;
    opponent_state *st = state;
    st->op = payload;
    st->next = 0;
    st->op->n = 0;
    st->op->accepts = 0;
    return 0;
}

static int opponent_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                        uint32_t *offer, void *payload)
{
    (void)turn;
    (void)payload;
    opponent_state *st = state;
    const opponent *op = st->op;
    size_t k = st->next < op->n_offers ? st->next : op->n_offers - 1;
    st->next++;
    memcpy(offer, op->offers + k * op->ni, op->ni * sizeof *offer);
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

static uint64_t index_of(const truce_scenario *s, const uint32_t *o)
{
    uint64_t x = 0, stride = 1;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        x += o[i] * stride;
        stride *= truce_issue_option_count(s, i);
    }
    return x;
}

static void opponent_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    opponent_state *st = state;
    opponent *op = st->op;
    if (ev->actor != op->subject)
        return;
    if (ev->kind == TRUCE_ACTION_ACCEPT)
        op->accepts++;
    if (ev->kind != TRUCE_ACTION_OFFER || op->n >= MAX_RECORDS)
        return;
    op->u[op->n] = truce_utility(op->s, op->subject, ev->offer);
    op->t[op->n] = ev->time;
    op->index[op->n] = index_of(op->s, ev->offer);
    op->n++;
}

static opponent *opponent_new(const truce_scenario *s, size_t subject, const uint32_t *offers,
                              size_t n_offers)
{
    opponent *op = calloc(1, sizeof *op);
    assert_non_null(op);
    op->s = s;
    op->ni = truce_scenario_issue_count(s);
    assert_true(op->ni <= MAX_ISSUES);
    op->subject = subject;
    op->offers = offers;
    op->n_offers = n_offers;
    truce_agent_class c = {"scripted",   sizeof(opponent_state), NULL, opponent_init,
                           opponent_act, opponent_observe,       op};
    op->cls = c;
    return op;
}

/* Run `subject_spec` as party `subject` against the opponent; returns the negotiation. */
static truce_negotiation *duel(const truce_space *sp, const char *subject_spec, opponent *op,
                               uint64_t rounds, uint64_t seed)
{
    truce_agent_spec specs[2];
    truce_error err;
    if (truce_agent_parse(&specs[op->subject], subject_spec, &err))
        fail_msg("%s", err.message);
    specs[1 - op->subject].cls = &op->cls;
    specs[1 - op->subject].params = NULL;
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = rounds;
    truce_negotiation *ng = NULL;
    if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err) ||
        truce_negotiation_run(ng, seed, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_negotiation_fault(ng), -1);
    return ng;
}

/* The outcome with mixed-radix index x. */
static void decode(const truce_scenario *s, uint64_t x, uint32_t *o)
{
    outcome_from_index(s, x, o);
}

/* ---- time-dependent agents ---- */

static const char *const time_dependent[] = {
    "boulware", "linear", "conceder", "timedep:e=0.5:k=0.2", "timedep:e=3", "hardliner"};

static void check_never_rises(const truce_scenario *s, const char *label)
{
    truce_space *sp = space_of(s);
    for (size_t subject = 0; subject < 2; subject++) {
        table t = tabulate(s, subject);
        /* the opponent offers the subject's worst outcome forever */
        uint32_t worst[MAX_ISSUES];
        decode(s, t.worst_index, worst);
        for (size_t a = 0; a < sizeof time_dependent / sizeof *time_dependent; a++) {
            opponent *op = opponent_new(s, subject, worst, 1);
            truce_negotiation *ng = duel(sp, time_dependent[a], op, 100, 3);
            assert_true(op->n > 10);
            for (size_t k = 1; k < op->n; k++)
                if (op->u[k] > op->u[k - 1])
                    fail_msg("%s on %s: offer %zu (%.15g) rises above offer %zu (%.15g)",
                             time_dependent[a], label, k, op->u[k], k - 1, op->u[k - 1]);
            /* all but the hardliner concede something over the negotiation */
            if (strcmp(time_dependent[a], "hardliner") != 0)
                assert_true(op->u[op->n - 1] < op->u[0]);
            truce_negotiation_free(ng);
            free(op);
        }
        free(t.u);
    }
    truce_space_free(sp);
}

static void test_time_dependent_offers_never_rise_in_own_utility(void **state)
{
    (void)state;
    truce_scenario *s = load_ceasefire();
    check_never_rises(s, "ceasefire");
    truce_scenario_free(s);
    s = load_handmade();
    check_never_rises(s, "handmade");
    truce_scenario_free(s);
    if ((s = load_corpus("anac/y2010/Travel"))) {
        check_never_rises(s, "Travel");
        truce_scenario_free(s);
    }
}

/* Faratin et al. (1998), as docs/agents.md writes it. */
static double decision_function(double pmin, double pmax, double e, double k, double t)
{
    double f = e == 0 ? k : k + (1 - k) * pow(t, 1 / e);
    return pmin + (pmax - pmin) * (1 - f);
}

/* The subject's own utility of its offer at time t (exactly t), or NaN. */
static double offer_at(const opponent *op, double t)
{
    for (size_t k = 0; k < op->n; k++)
        if (op->t[k] == t)
            return op->u[k];
    return NAN;
}

static void test_boulware_concedes_slower_than_conceder(void **state)
{
    (void)state;
    truce_scenario *s = load_ceasefire();
    truce_space *sp = space_of(s);
    table t = tabulate(s, 0);
    uint32_t worst[MAX_ISSUES];
    decode(s, t.worst_index, worst);
    double at_half[2];
    const char *agents[2] = {"boulware", "conceder"};
    for (int a = 0; a < 2; a++) {
        opponent *op = opponent_new(s, 0, worst, 1);
        truce_negotiation *ng = duel(sp, agents[a], op, 100, 1);
        /* round 50 of 100 is at 50 / 101 (the GENIUS clock, the default) */
        at_half[a] = offer_at(op, 50.0 / 101.0);
        assert_false(isnan(at_half[a]));
        truce_negotiation_free(ng);
        free(op);
    }
    assert_true(at_half[0] > at_half[1]);
    free(t.u);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* Every bid of a time-dependent agent is the outcome closest above its target
 * P_min + (P_max - P_min)(1 - F(t)), P_max its best utility, P_min the larger of its
 * reservation value and worst utility. */
static void check_decision_function(const truce_scenario *s, const char *label)
{
    truce_space *sp = space_of(s);
    static const struct {
        const char *spec;
        double e, k;
    } agents[] = {{"boulware", 0.2, 0},  {"linear", 1, 0},
                  {"conceder", 2, 0},    {"timedep:e=0.5:k=0.3", 0.5, 0.3},
                  {"timedep:e=7", 7, 0}, {"hardliner", 0, 0}};
    for (size_t subject = 0; subject < 2; subject++) {
        table t = tabulate(s, subject);
        double r = truce_party_reservation(s, subject);
        double pmax = t.best, pmin = r > t.worst ? r : t.worst;
        uint32_t worst[MAX_ISSUES];
        decode(s, t.worst_index, worst);
        for (size_t a = 0; a < sizeof agents / sizeof *agents; a++) {
            opponent *op = opponent_new(s, subject, worst, 1);
            truce_negotiation *ng = duel(sp, agents[a].spec, op, 60, 9);
            assert_true(op->n > 10);
            for (size_t k = 0; k < op->n; k++) {
                double target = decision_function(pmin, pmax, agents[a].e, agents[a].k, op->t[k]);
                double lo, hi;
                closest_above(&t, target, &lo, &hi);
                char what[128];
                snprintf(what, sizeof what, "%s as party %zu on %s", agents[a].spec, subject,
                         label);
                assert_one_of(op->u[k], lo, hi, what, op->t[k]);
            }
            truce_negotiation_free(ng);
            free(op);
        }
        free(t.u);
    }
    truce_space_free(sp);
}

static void test_time_dependent_bids_follow_the_decision_function(void **state)
{
    (void)state;
    truce_scenario *s = load_ceasefire(); /* russia has reservation 0.35 */
    check_decision_function(s, "ceasefire");
    truce_scenario_free(s);
    s = load_handmade(); /* a has reservation 0.2 */
    check_decision_function(s, "handmade");
    truce_scenario_free(s);
    s = line_scenario(41, 0.6, 0.1);
    check_decision_function(s, "line");
    truce_scenario_free(s);
}

static void test_hardliner_only_offers_its_best(void **state)
{
    (void)state;
    truce_scenario *s = load_ceasefire();
    truce_space *sp = space_of(s);
    for (size_t subject = 0; subject < 2; subject++) {
        table t = tabulate(s, subject);
        /* the opponent concedes all the way to the subject's best but one */
        uint32_t offers[2 * MAX_ISSUES];
        size_t ni = truce_scenario_issue_count(s);
        decode(s, t.worst_index, offers);
        uint64_t second = t.best_index == 0 ? 1 : 0;
        for (uint64_t x = 0; x < t.n; x++)
            if (t.u[x] < t.best && t.u[x] > t.u[second])
                second = x;
        decode(s, second, offers + ni);
        opponent *op = opponent_new(s, subject, offers, 2);
        truce_negotiation *ng = duel(sp, "hardliner", op, 50, 2);
        assert_int_equal(op->n, 50);
        for (size_t k = 0; k < op->n; k++)
            assert_float_equal(op->u[k], t.best, TOL);
        assert_false(truce_negotiation_agreement(ng));
        truce_negotiation_free(ng);
        free(op);

        /* and accepts an offer worth its best */
        uint32_t best[MAX_ISSUES];
        decode(s, t.best_index, best);
        op = opponent_new(s, subject, best, 1);
        ng = duel(sp, "hardliner", op, 50, 2);
        assert_true(truce_negotiation_agreement(ng));
        assert_float_equal(truce_negotiation_utility_undiscounted(ng, subject), t.best, TOL);
        truce_negotiation_free(ng);
        free(op);
        free(t.u);
    }
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- reservation values ---- */

/* Every built-in agent, and variants whose acceptance condition would take anything. */
static const char *const eager[] = {"boulware",
                                    "linear",
                                    "conceder",
                                    "timedep",
                                    "hardliner",
                                    "random",
                                    "tft",
                                    "micro",
                                    "hardheaded",
                                    "random:p=1",
                                    "boulware:ac=time:T=0",
                                    "conceder:ac=const:c=0",
                                    "tft:ac=next:a=10:b=1",
                                    "hardheaded:ac=time+const:T=0:c=0",
                                    "linear:ac=next+time:T=0.5"};

static void check_reservation(const truce_scenario *s, const uint32_t *low, size_t subject,
                              uint64_t rounds, const char *label)
{
    truce_space *sp = space_of(s);
    double r = truce_party_reservation(s, subject);
    assert_true(truce_utility(s, subject, low) < r);
    for (size_t a = 0; a < sizeof eager / sizeof *eager; a++) {
        opponent *op = opponent_new(s, subject, low, 1);
        truce_negotiation *ng = duel(sp, eager[a], op, rounds, 4 + a);
        if (truce_negotiation_agreement(ng) || op->accepts)
            fail_msg("%s as party %zu on %s accepted an offer worth %g below its reservation %g",
                     eager[a], subject, label, truce_utility(s, subject, low), r);
        assert_string_equal(truce_negotiation_end_reason(ng), "deadline");
        /* and bids never below it either */
        for (size_t k = 0; k < op->n; k++)
            assert_true(op->u[k] >= r);
        truce_negotiation_free(ng);
        free(op);
    }
    truce_space_free(sp);
}

static void test_no_agent_accepts_below_its_reservation(void **state)
{
    (void)state;
    /* alpha: k/20 with reservation 0.55; beta: (20-k)/20 with reservation 0.45 */
    truce_scenario *s = line_scenario(21, 0.55, 0.45);
    uint32_t low_for_alpha[1] = {10}; /* alpha 0.5 */
    uint32_t low_for_beta[1] = {12};  /* beta 0.4 */
    check_reservation(s, low_for_alpha, 0, 60, "line");
    check_reservation(s, low_for_beta, 1, 60, "line");
    truce_scenario_free(s);

    /* an untabulated nonlinear space: reservation 0.75 for both */
    if ((s = load_corpus("anac/y2014/10issueswithRV"))) {
        size_t ni = truce_scenario_issue_count(s);
        for (size_t subject = 0; subject < 2; subject++) {
            uint32_t low[MAX_ISSUES];
            /* a deterministic sweep for an outcome below the reservation value */
            uint64_t x = 12345;
            do {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                for (size_t i = 0; i < ni; i++)
                    low[i] = (uint32_t)((x >> (i % 8 * 8)) % truce_issue_option_count(s, i));
            } while (truce_utility(s, subject, low) >= 0.5);
            check_reservation(s, low, subject, 20, "10issueswithRV");
        }
        truce_scenario_free(s);
    }
}

/* floor=none (GENIUS's TimeDependentAgent has no floor): the acceptance condition alone
 * decides, so an offer below the reservation value is accepted at the first turn; the
 * same agent with the default floor never accepts it. */
static void test_floor_none_accepts_below_the_reservation_value(void **state)
{
    (void)state;
    truce_scenario *s = line_scenario(21, 0.55, 0.45);
    truce_space *sp = space_of(s);
    uint32_t low[1] = {10}; /* alpha 0.5 < 0.55 */
    const char *specs[] = {"conceder:ac=const:c=0:floor=none", "boulware:ac=time:T=0:floor=none",
                           "tft:ac=const:c=0.4:floor=none", "hardheaded:ac=const:c=0:floor=none"};
    for (size_t a = 0; a < sizeof specs / sizeof *specs; a++) {
        opponent *op = opponent_new(s, 0, low, 1);
        truce_negotiation *ng = duel(sp, specs[a], op, 20, 1);
        if (!truce_negotiation_agreement(ng))
            fail_msg("%s did not accept an offer its acceptance condition takes", specs[a]);
        /* alpha opens; it accepts at its first turn with an offer standing: round 2 */
        assert_int_equal(truce_negotiation_rounds(ng), 2);
        assert_close(truce_negotiation_utility_undiscounted(ng, 0), 0.5, TOL);
        truce_negotiation_free(ng);
        free(op);
    }
    truce_error err;
    truce_agent_spec spec;
    truce_negotiation *ng = NULL;
    assert_int_equal(truce_agent_parse(&spec, "linear:floor=zero", &err), 0);
    truce_agent_spec specs2[2] = {spec, spec};
    assert_int_equal(truce_negotiation_create(&ng, sp, specs2, 2, NULL, &err), TRUCE_EINVAL);
    assert_contains(err.message, "floor=\"zero\" is not reservation or none");
    assert_int_equal(truce_agent_parse(&spec, "linear:bid=closest", &err), 0);
    specs2[0] = specs2[1] = spec;
    assert_int_equal(truce_negotiation_create(&ng, sp, specs2, 2, NULL, &err), TRUCE_EINVAL);
    assert_contains(err.message, "bid=\"closest\" is not at-least or nearest");
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- tit-for-tat ---- */

/* Two tit-for-tats wait for each other to concede first; with the default acceptance (next
 * and last) the first to act in the last round accepts the standing offer, when it clears its
 * reservation value (0 here). ac=next alone never agrees. */
static void test_tft_agrees_with_tft_in_the_last_round(void **state)
{
    (void)state;
    truce_scenario *s = line_scenario(21, 0, 0);
    truce_space *sp = space_of(s);
    const char *pairs[][2] = {{"tft", "tft"}};
    for (size_t k = 0; k < 1; k++)
        for (int plain = 0; plain < 2; plain++) {
            truce_agent_spec specs[2];
            truce_error err;
            for (int p = 0; p < 2; p++) {
                const char *spec =
                    !strcmp(pairs[k][p], "tft") && plain ? "tft:ac=next" : pairs[k][p];
                assert_int_equal(truce_agent_parse(&specs[p], spec, &err), 0);
            }
            truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
            o.max_rounds = 20;
            truce_negotiation *ng = NULL;
            if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err) ||
                truce_negotiation_run(ng, 1, &err))
                fail_msg("%s", err.message);
            if (plain) {
                assert_false(truce_negotiation_agreement(ng));
            } else {
                if (!truce_negotiation_agreement(ng))
                    fail_msg("%s vs %s: no agreement", pairs[k][0], pairs[k][1]);
                assert_int_equal(truce_negotiation_rounds(ng), 20);
            }
            truce_negotiation_free(ng);
        }
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* docs/agents.md: rho = (best - first) / (U_max - first), bid at U_max - (U_max - floor) d rho,
 * never below the floor. */
static double tft_expected_target(double umax, double floor_, double d, double first, double best)
{
    double rho = umax > first ? (best - first) / (umax - first) : 0;
    if (rho < 0)
        rho = 0;
    double target = umax - (umax - floor_) * d * rho;
    return target < floor_ ? floor_ : target;
}

static void check_tft(double d, double reservation)
{
    /* tft is beta (party 1), valuing option k at (40 - k)/40 */
    truce_scenario *s = line_scenario(41, 0, reservation);
    truce_space *sp = space_of(s);
    table t = tabulate(s, 1);
    /* beta's utilities of alpha's offers: up, down, up: what counts is the best so far */
    static const double sequence[] = {0.1, 0.15, 0.125, 0.2, 0.05, 0.3, 0.25, 0.35, 0.35};
    size_t n_seq = sizeof sequence / sizeof *sequence;
    uint32_t offers[16];
    for (size_t k = 0; k < n_seq; k++)
        offers[k] = (uint32_t)lround(40 - 40 * sequence[k]);
    opponent *op = opponent_new(s, 1, offers, n_seq);
    char spec[64];
    /* ac=next alone: without the default's acceptance in the last round */
    snprintf(spec, sizeof spec, "tft:d=%g:ac=next", d);
    truce_negotiation *ng = duel(sp, spec, op, 30, 5);
    assert_false(truce_negotiation_agreement(ng));
    assert_int_equal(op->n, 30);
    double floor_ = reservation > t.worst ? reservation : t.worst;
    double first = sequence[0], best = 0;
    for (size_t k = 0; k < op->n; k++) {
        /* in round k+1 tft answers alpha's (k+1)-th offer */
        double received = sequence[k < n_seq ? k : n_seq - 1];
        if (received > best)
            best = received;
        double target = tft_expected_target(t.best, floor_, d, first, best);
        double lo, hi;
        closest_above(&t, target, &lo, &hi);
        char what[64];
        snprintf(what, sizeof what, "tft d=%g reservation %g", d, reservation);
        assert_one_of(op->u[k], lo, hi, what, op->t[k]);
    }
    /* it conceded something, and its final bid is its answer to the best offer, 0.35 */
    assert_true(op->u[op->n - 1] < op->u[0]);
    free(t.u);
    truce_negotiation_free(ng);
    free(op);
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_tft_mirrors_the_opponents_concessions(void **state)
{
    (void)state;
    check_tft(1, 0);
    check_tft(0.5, 0);
    check_tft(1, 0.6);
    check_tft(2, 0.3);
}

/* ---- MiCRO ---- */

static size_t distinct_in_order(const opponent *op, uint64_t *first_seen, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < op->n; k++) {
        size_t j = 0;
        while (j < n && first_seen[j] != op->index[k])
            j++;
        if (j == n && n < max)
            first_seen[n++] = op->index[k];
    }
    return n;
}

static void check_micro(size_t subject, size_t n_distinct)
{
    /* alpha values option k at k/20, beta at (20-k)/20: distinct utilities */
    truce_scenario *s = line_scenario(21, 0, 0);
    truce_space *sp = space_of(s);
    /* the opponent's offers are poor for MiCRO: options 0, 1, ... for alpha, 20, 19, ... for
     * beta; n_distinct of them, then the last repeats */
    uint32_t offers[8];
    for (size_t k = 0; k < n_distinct; k++)
        offers[k] = (uint32_t)(subject == 0 ? k : 20 - k);
    opponent *op = opponent_new(s, subject, offers, n_distinct);
    truce_negotiation *ng = duel(sp, "micro", op, 100, 7);
    assert_false(truce_negotiation_agreement(ng));
    uint64_t seen[32];
    size_t n = distinct_in_order(op, seen, 32);
    /* one new bid per distinct bid received, plus its opening bid */
    assert_int_equal(n, n_distinct + 1);
    /* in decreasing order of its utility, from its best */
    for (size_t k = 0; k < n; k++)
        assert_int_equal(seen[k], subject == 0 ? 20 - k : k);
    truce_negotiation_free(ng);
    free(op);
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_micro_concedes_only_after_new_distinct_bids(void **state)
{
    (void)state;
    /* against an opponent repeating one bid MiCRO makes its best bid and, having received one
     * distinct bid, its second best, then only repeats those two */
    check_micro(0, 1);
    check_micro(1, 1);
    check_micro(0, 4);
    check_micro(1, 6);
}

/* MiCRO among three: B makes a new bid every turn, C repeats one, MiCRO acts first. At
 * MiCRO's turn the standing offer is always C's, so count=standing (the default) has
 * received one distinct bid and makes two distinct bids, its best and second best;
 * count=every (NegMAS's rule) counts B's bids too and concedes every round (8 rounds, before
 * C's bid becomes worth accepting to it). */
typedef struct three_script {
    size_t seat_party, micro_party;
    uint64_t made[64]; /* hashes of MiCRO's distinct offers */
    size_t n_made;
} three_script;

static int three_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)err;
    *(size_t *)state = setup->party;
    three_script *sc = payload;
    if (setup->party == 1)
        sc->n_made = 0;
    return 0;
}

static int three_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                     void *payload)
{
    (void)payload;
    size_t seat = *(size_t *)state;
    /* B: outcome (round mod 5, round / 5 mod 5), new each round; C: always (4, 4) */
    offer[0] = seat == 1 ? (uint32_t)(turn->round % 5) : 4;
    offer[1] = seat == 1 ? (uint32_t)(turn->round / 5 % 5) : 4;
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

static void three_observe(void *state, const truce_event *ev, void *payload)
{
    three_script *sc = payload;
    if (*(size_t *)state != 1 || ev->actor != 0 || ev->kind != TRUCE_ACTION_OFFER)
        return;
    uint64_t h = (uint64_t)ev->offer[0] * 1000003u + ev->offer[1];
    for (size_t k = 0; k < sc->n_made; k++)
        if (sc->made[k] == h)
            return;
    if (sc->n_made < 64)
        sc->made[sc->n_made++] = h;
}

static void test_micro_counts_standing_or_every_bid_among_three(void **state)
{
    (void)state;
    truce_generate_options g = TRUCE_GENERATE_OPTIONS_INIT;
    g.n_issues = 2;
    g.n_parties = 3;
    g.seed = 4;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_generate(&s, &g, &err))
        fail_msg("%s", err.message);
    truce_space *sp = space_of(s);
    const char *micro[] = {"micro", "micro:count=standing", "micro:count=every"};
    const size_t expect[] = {2, 2, 8};
    for (int k = 0; k < 3; k++) {
        three_script sc = {0};
        truce_agent_class cls = {"three",   sizeof(size_t), NULL, three_init,
                                 three_act, three_observe,  &sc};
        truce_agent_spec specs[3] = {{NULL, NULL}, {&cls, NULL}, {&cls, NULL}};
        assert_int_equal(truce_agent_parse(&specs[0], micro[k], &err), 0);
        truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
        o.max_rounds = 8;
        truce_negotiation *ng = NULL;
        if (truce_negotiation_create(&ng, sp, specs, 3, &o, &err) ||
            truce_negotiation_run(ng, 1, &err))
            fail_msg("%s", err.message);
        /* unless it accepted on the way, which would end the count early */
        if (!truce_negotiation_agreement(ng) && sc.n_made != expect[k])
            fail_msg("%s made %zu distinct bids, not %zu", micro[k], sc.n_made, expect[k]);
        truce_negotiation_free(ng);
    }
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* truce_agent_param_info documents exactly the parameters each built-in agent's parser takes
 * (read from the parser's own error for an unknown key), and each default it documents is
 * accepted as given. */
static void test_documented_parameters_are_the_parsed_ones(void **state)
{
    (void)state;
    truce_scenario *s = line_scenario(5, 0, 0);
    truce_space *sp = space_of(s);
    size_t checked = 0;
    for (size_t i = 0; i < truce_agent_count(); i++) {
        const char *name = truce_agent_name(i);
        if (truce_agent_year(i) || !strcmp(name, "boa"))
            continue; /* documented in docs/anac-agents.md */
        char spec[256];
        truce_error err;
        truce_agent_spec specs[2];
        truce_negotiation *ng = NULL;
        snprintf(spec, sizeof spec, "%s:zzz=1", name);
        assert_int_equal(truce_agent_parse(&specs[0], spec, &err), 0);
        specs[1] = specs[0];
        assert_int_equal(truce_negotiation_create(&ng, sp, specs, 2, NULL, &err), TRUCE_EINVAL);
        const char *takes = strstr(err.message, "(it takes: ");
        size_t n = truce_agent_param_count(i);
        if (!takes) { /* an agent without parameters */
            assert_int_equal(n, 0);
            continue;
        }
        char list[512];
        snprintf(list, sizeof list, "%s", takes + strlen("(it takes: "));
        *strchr(list, ')') = '\0';
        size_t parsed = 0;
        for (char *tok = strtok(list, ", "); tok; tok = strtok(NULL, ", ")) {
            int found = 0;
            for (size_t k = 0; k < n; k++)
                found |= !strcmp(truce_agent_param_info(i, k)->name, tok);
            if (!found)
                fail_msg("%s takes '%s', which truce_agent_param_info does not document", name,
                         tok);
            parsed++;
        }
        assert_int_equal(parsed, n);
        for (size_t k = 0; k < n; k++) {
            const truce_agent_param *p = truce_agent_param_info(i, k);
            assert_non_null(p->meaning);
            assert_non_null(p->range);
            snprintf(spec, sizeof spec, "%s:%s=%s", name, p->name, p->fallback);
            assert_int_equal(truce_agent_parse(&specs[0], spec, &err), 0);
            specs[1] = specs[0];
            if (truce_negotiation_create(&ng, sp, specs, 2, NULL, &err))
                fail_msg("%s: the documented default does not parse: %s", spec, err.message);
            truce_negotiation_free(ng);
            checked++;
        }
        assert_null(truce_agent_param_info(i, n));
    }
    assert_true(checked >= 30);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- errors ---- */

static void test_unknown_agent_is_not_found_and_known_ones_are_listed(void **state)
{
    (void)state;
    static const char *const names[] = {"boulware", "linear", "conceder", "timedep",   "hardliner",
                                        "random",   "tft",    "micro",    "hardheaded"};
    size_t builtin = 0; /* the nine above and boa; the ANAC agents carry a year */
    for (size_t i = 0; i < truce_agent_count(); i++)
        builtin += truce_agent_year(i) == 0;
    assert_int_equal(builtin, 10);
    truce_agent_spec spec;
    truce_error err;
    assert_int_equal(truce_agent_parse(&spec, "nosuchagent:e=1", &err), TRUCE_ENOTFOUND);
    assert_non_null(strstr(err.message, "nosuchagent"));
    for (size_t i = 0; i < 9; i++) {
        assert_string_equal(truce_agent_name(i), names[i]);
        assert_non_null(truce_agent_description(i));
        assert_non_null(truce_agent_params(i));
        assert_true(truce_agent_find(names[i]) != NULL);
        assert_non_null(strstr(err.message, names[i]));
    }
    assert_null(truce_agent_name(truce_agent_count()));
    assert_null(truce_agent_find("Boulware"));
    assert_int_equal(truce_agent_parse(&spec, "", &err), TRUCE_ENOTFOUND);
    assert_int_equal(truce_agent_parse(&spec, "tft:d=0.5", &err), 0);
    assert_ptr_equal(spec.cls, truce_agent_find("tft"));
    assert_string_equal(spec.params, "d=0.5");
}

static void test_bad_parameters_name_the_agent_and_the_parameter(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *words[2];
    } bad[] = {{"boulware:e=-1", {"boulware", "e=-1"}},
               {"boulware:zz=1", {"boulware", "zz"}},
               {"random:p=abc", {"random", "p"}},
               {"random:p=2", {"random", "p"}},
               {"hardliner:e=1", {"hardliner", "e=1"}},
               {"micro:x=1", {"micro", "'x'"}},
               {"micro:count=all", {"micro", "count=\"all\""}},
               {"tft:d=nan", {"tft", "d"}},
               {"conceder:ac=never", {"conceder", "never"}},
               {"hardheaded:w=", {"hardheaded", "w"}},
               {"linear:e", {"linear", "e"}},
               {"timedep:k=1.5", {"timedep", "k"}},
               {"linear:a=11", {"linear", "a"}}};
    truce_scenario *s = line_scenario(5, 0, 0);
    truce_space *sp = space_of(s);
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        truce_agent_spec specs[2];
        truce_error err;
        assert_int_equal(truce_agent_parse(&specs[0], bad[k].spec, &err), 0);
        assert_int_equal(truce_agent_parse(&specs[1], "linear", &err), 0);
        truce_negotiation *ng = NULL;
        int rc = truce_negotiation_create(&ng, sp, specs, 2, NULL, &err);
        if (rc != TRUCE_EINVAL)
            fail_msg("%s: expected TRUCE_EINVAL, got %d", bad[k].spec, rc);
        assert_null(ng);
        for (int w = 0; w < 2; w++)
            if (!strstr(err.message, bad[k].words[w]))
                fail_msg("%s: message \"%s\" does not name \"%s\"", bad[k].spec, err.message,
                         bad[k].words[w]);
        assert_null(strchr(err.message, '\n'));
    }
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- every pair, on real scenarios ---- */

/* The trace's end-negotiation record names the party that walked away (its actor). */
typedef struct walker {
    char actor[128];
} walker;

static int note_walker(const char *record, size_t length, void *payload)
{
    static const char head[] = "{\"type\":\"end-negotiation\"";
    if (length < sizeof head - 1 || memcmp(record, head, sizeof head - 1) != 0)
        return 0; /* offers and accepts: nothing to note (and no parse) */
    json_error_t jerr;
    json_t *r = json_loadb(record, length, 0, &jerr);
    if (!r)
        return -1;
    const char *actor = json_string_value(json_object_get(r, "actor"));
    walker *w = payload;
    if (actor)
        snprintf(w->actor, sizeof w->actor, "%s", actor);
    json_decref(r);
    return 0;
}

/* what: "A vs B on ...", agents[p] the agent of party p; w: who walked away, if anyone */
static void check_result(const truce_scenario *s, const truce_negotiation *ng, const char *what,
                         const char *const agents[], const walker *w)
{
    size_t np = truce_scenario_party_count(s);
    if (truce_negotiation_fault(ng) != -1)
        fail_msg("%s: fault of party %ld", what, truce_negotiation_fault(ng));
    const char *reason = truce_negotiation_end_reason(ng);
    if (strcmp(reason, "walk-away") == 0) {
        /* CUHKAgent walks away when its reservation value beats its threshold or its next bid
         * (Hao and Leung 2014), Atlas3 under a discount when its line falls below its
         * reservation value before t = 0.5 (anac-fid23); no other agent does */
        size_t p = 0;
        while (p < np && strcmp(truce_party_name(s, p), w->actor) != 0)
            p++;
        if (p == np)
            fail_msg("%s: walk-away by '%s', not a party", what, w->actor);
        if (strcmp(agents[p], "cuhkagent") != 0 && strcmp(agents[p], "atlas3") != 0)
            fail_msg("%s: %s (party %zu) walked away", what, agents[p], p);
    } else if (strcmp(reason, "agreement") != 0 && strcmp(reason, "deadline") != 0) {
        fail_msg("%s: ended by %s", what, reason);
    }
    double t = truce_negotiation_time(ng);
    assert_true(t >= 0 && t <= 1);
    const uint32_t *o = truce_negotiation_outcome(ng);
    for (size_t p = 0; p < np; p++) {
        double u = truce_negotiation_utility_undiscounted(ng, p);
        double r = truce_party_reservation(s, p);
        if (o) {
            assert_float_equal(u, truce_utility(s, p, o), TOL);
            /* nobody offers or accepts below its reservation value */
            if (u < r - TOL)
                fail_msg("%s: party %zu agreed at %g below its reservation %g", what, p, u, r);
        } else {
            assert_float_equal(u, r, TOL);
        }
        assert_float_equal(truce_negotiation_utility(ng, p),
                           r == 0 && !o ? 0 : u * pow(truce_party_discount(s, p), t), TOL);
    }
}

static void all_pairs(const char *relative, uint64_t rounds)
{
    truce_scenario *s = load_corpus(relative);
    if (!s)
        return;
    truce_space *sp = space_of(s);
    size_t n = truce_agent_count();
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = rounds;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            truce_agent_spec specs[2] = {{truce_agent_find(truce_agent_name(a)), NULL},
                                         {truce_agent_find(truce_agent_name(b)), NULL}};
            truce_negotiation *ng = NULL;
            truce_error err;
            walker w = {""};
            o.trace = note_walker;
            o.trace_payload = &w;
            if (truce_negotiation_create(&ng, sp, specs, 2, &o, &err) ||
                truce_negotiation_run(ng, 17 + a * n + b, &err))
                fail_msg("%s vs %s on %s: %s", truce_agent_name(a), truce_agent_name(b), relative,
                         err.message);
            char what[256];
            snprintf(what, sizeof what, "%s vs %s on %s", truce_agent_name(a), truce_agent_name(b),
                     relative);
            const char *agents[2] = {truce_agent_name(a), truce_agent_name(b)};
            check_result(s, ng, what, agents, &w);
            assert_true(truce_negotiation_rounds(ng) <= rounds);
            truce_negotiation_free(ng);
        }
    truce_space_free(sp);
    truce_scenario_free(s);
}

static void test_every_pair_of_agents_negotiates_on_corpus_samples(void **state)
{
    (void)state;
    all_pairs("anac/y2010/Travel", 40);
    all_pairs("anac/y2011/Energy", 20);
    all_pairs("anac/y2013/Fifty2013", 100);
    all_pairs("other/IntegerDomain", 100);
    all_pairs("anac/y2014/10issues", 20);
    all_pairs("anac/y2014/10issuesDiscountedwithRV", 20);
}

static void test_all_agents_negotiate_with_three_parties(void **state)
{
    (void)state;
    char dir[1024];
    if (!corpus_path("anac/y2015/group2-dinner", dir, sizeof dir)) {
        printf("corpus scenario anac/y2015/group2-dinner not found: skipped\n");
        return;
    }
    char domain[1100], paths[3][1100];
    const char *profiles[3];
    snprintf(domain, sizeof domain, "%s/Dinner.xml", dir);
    for (int p = 0; p < 3; p++) {
        snprintf(paths[p], sizeof paths[p], "%s/Dinner_util%d.xml", dir, p + 1);
        profiles[p] = paths[p];
    }
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_genius(&s, domain, profiles, 3, NULL, &err))
        fail_msg("%s", err.message);
    truce_space *sp = space_of(s);
    size_t n = truce_agent_count();
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = 60;
    size_t agreements = 0;
    /* every agent in every seat, with every other agent beside it */
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            size_t c = (a + b + 1) % n;
            truce_agent_spec specs[3] = {{truce_agent_find(truce_agent_name(a)), NULL},
                                         {truce_agent_find(truce_agent_name(b)), NULL},
                                         {truce_agent_find(truce_agent_name(c)), NULL}};
            truce_negotiation *ng = NULL;
            walker w = {""};
            o.trace = note_walker;
            o.trace_payload = &w;
            if (truce_negotiation_create(&ng, sp, specs, 3, &o, &err) ||
                truce_negotiation_run(ng, a * n + b, &err))
                fail_msg("%s", err.message);
            char what[256];
            snprintf(what, sizeof what, "%s, %s, %s on Dinner", truce_agent_name(a),
                     truce_agent_name(b), truce_agent_name(c));
            const char *agents[3] = {truce_agent_name(a), truce_agent_name(b), truce_agent_name(c)};
            check_result(s, ng, what, agents, &w);
            agreements += truce_negotiation_agreement(ng) != 0;
            truce_negotiation_free(ng);
        }
    assert_true(agreements > 0);
    truce_space_free(sp);
    truce_scenario_free(s);
}

/* ---- hard conditions: bid tables and agreements (issue 15) ---- */

/* A random small native scenario with hard conditions, made and checked by the test
 * itself: 2-4 discrete issues of 2-5 options, 2-3 principals with random weights, values,
 * reservation values and 0-2 hard conditions each (clauses on random issues, each allowing a
 * random non-empty set of options), and sometimes a mediator or stakeholder with a hard
 * condition of its own (which binds nobody). Names: issues i0.., options o0.., parties p0..,
 * conditions pP_cK. */
#define HARD_MAX_PARTIES 4
#define HARD_MAX_ISSUES 4
#define HARD_MAX_HARD 2
typedef struct hard_spec {
    size_t n_parties, n_issues;
    uint32_t n_options[HARD_MAX_ISSUES];
    int principal[HARD_MAX_PARTIES];
    size_t n_hard[HARD_MAX_PARTIES];
    /* bit k: the condition allows option k of the issue (every bit without a clause there) */
    unsigned allowed[HARD_MAX_PARTIES][HARD_MAX_HARD][HARD_MAX_ISSUES];
    int has_clause[HARD_MAX_PARTIES][HARD_MAX_HARD][HARD_MAX_ISSUES];
    char yaml[16384];
} hard_spec;

static uint64_t spec_next(uint64_t *x)
{
    /* splitmix64 (Steele, Lea and Flood 2014) */
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t spec_below(uint64_t *x, uint32_t n)
{
    return (uint32_t)(spec_next(x) % n);
}

static double spec_uniform(uint64_t *x)
{
    return (double)(spec_next(x) >> 11) / 9007199254740992.0;
}

#define SPEC_PUT(...) (len += (size_t)snprintf(h->yaml + len, sizeof h->yaml - len, __VA_ARGS__))

static void hard_spec_random(hard_spec *h, uint64_t seed)
{
    memset(h, 0, sizeof *h);
    uint64_t x = seed * 0x2545F4914F6CDD1DULL + 7;
    h->n_issues = 2 + spec_below(&x, 3);
    size_t principals = 2 + spec_below(&x, 2);
    int other = spec_below(&x, 2) == 0; /* a mediator or stakeholder besides */
    h->n_parties = principals + (size_t)other;
    size_t len = 0;
    SPEC_PUT("truce: 1\nname: random-hard-%llu\nissues:\n", (unsigned long long)seed);
    for (size_t i = 0; i < h->n_issues; i++) {
        h->n_options[i] = 2 + spec_below(&x, 4);
        SPEC_PUT("  - id: i%zu\n    options: [", i);
        for (uint32_t k = 0; k < h->n_options[i]; k++)
            SPEC_PUT("%so%u", k ? ", " : "", k);
        SPEC_PUT("]\n");
    }
    SPEC_PUT("parties:\n");
    for (size_t p = 0; p < h->n_parties; p++) {
        int principal = p < principals;
        h->principal[p] = principal;
        const char *role = principal ? "principal" : spec_below(&x, 2) ? "mediator" : "stakeholder";
        SPEC_PUT("  - id: p%zu\n    role: %s\n", p, role);
        if (principal || spec_below(&x, 2)) {
            double w[HARD_MAX_ISSUES], sum = 0;
            for (size_t i = 0; i < h->n_issues; i++)
                sum += w[i] = 0.05 + spec_uniform(&x);
            SPEC_PUT("    weights: {");
            for (size_t i = 0; i < h->n_issues; i++)
                SPEC_PUT("%si%zu: %.6f", i ? ", " : "", i, w[i] / sum);
            SPEC_PUT("}\n    values:\n");
            for (size_t i = 0; i < h->n_issues; i++) {
                SPEC_PUT("      i%zu: {", i);
                for (uint32_t k = 0; k < h->n_options[i]; k++)
                    SPEC_PUT("%so%u: %.4f", k ? ", " : "", k, spec_uniform(&x));
                SPEC_PUT("}\n");
            }
            SPEC_PUT("    reservation: %.4f\n", principal ? 0.5 * spec_uniform(&x) : 0.2);
        }
        /* principals: 0 (20%), 1 (50%) or 2 (30%) conditions; others at most one */
        uint32_t roll = spec_below(&x, 10);
        h->n_hard[p] = !principal ? roll < 5 : roll < 2 ? 0 : roll < 7 ? 1 : 2;
        if (h->n_hard[p])
            SPEC_PUT("    hard_conditions:\n");
        for (size_t c = 0; c < h->n_hard[p]; c++) {
            SPEC_PUT("      - id: p%zu_c%zu\n        require: {", p, c);
            size_t clauses = 0;
            for (size_t i = 0; i < h->n_issues; i++) {
                h->allowed[p][c][i] = (1u << h->n_options[i]) - 1;
                /* a clause on each issue with probability 1/2, on one issue at least */
                if (spec_below(&x, 2) && !(i + 1 == h->n_issues && clauses == 0))
                    continue;
                unsigned mask = 0;
                while (!mask)
                    for (uint32_t k = 0; k < h->n_options[i]; k++)
                        if (spec_uniform(&x) < 0.6)
                            mask |= 1u << k;
                h->allowed[p][c][i] = mask;
                h->has_clause[p][c][i] = 1;
                SPEC_PUT("%si%zu: [", clauses++ ? ", " : "", i);
                int first = 1;
                for (uint32_t k = 0; k < h->n_options[i]; k++)
                    if (mask >> k & 1) {
                        SPEC_PUT("%so%u", first ? "" : ", ", k);
                        first = 0;
                    }
                SPEC_PUT("]");
            }
            SPEC_PUT("}\n");
        }
    }
    if (len >= sizeof h->yaml)
        fail_msg("hard_spec_random: scenario text too long");
}

static truce_scenario *hard_spec_load(const hard_spec *h)
{
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, temp_file("random-hard.yaml", h->yaml), NULL, &err))
        fail_msg("%s\n%s", err.message, h->yaml);
    return s;
}

static int hard_spec_breaks(const hard_spec *h, size_t p, const uint32_t *outcome)
{
    for (size_t c = 0; c < h->n_hard[p]; c++)
        for (size_t i = 0; i < h->n_issues; i++)
            if (!(h->allowed[p][c][i] >> outcome[i] & 1))
                return (int)c;
    return -1;
}

static size_t hard_spec_principals(const hard_spec *h)
{
    size_t n = 0;
    for (size_t p = 0; p < h->n_parties; p++)
        n += h->principal[p] != 0;
    return n;
}

static int hard_spec_blocked_issue(const hard_spec *h)
{
    for (size_t i = 0; i < h->n_issues; i++) {
        unsigned mask = (1u << h->n_options[i]) - 1;
        for (size_t p = 0; p < h->n_parties; p++)
            for (size_t c = 0; h->principal[p] && c < h->n_hard[p]; c++)
                mask &= h->allowed[p][c][i];
        if (!mask)
            return (int)i;
    }
    return -1;
}

static truce_space *space_with(const truce_scenario *s, double max_outcomes)
{
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    so.max_outcomes = max_outcomes;
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, &so, &err))
        fail_msg("%s", err.message);
    return sp;
}

static int compare_descending(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a < b) - (a > b);
}

/* Party p's tables against the test's own reading of its conditions: the sorted bids are
 * exactly the outcomes it allows, in utility order; searches and random bids stay inside. */
static void check_tables(const hard_spec *h, const truce_scenario *s, size_t p)
{
    uint64_t n = 1;
    for (size_t i = 0; i < h->n_issues; i++)
        n *= h->n_options[i];
    double *u = malloc(n * sizeof *u);
    assert_non_null(u);
    uint64_t allowed = 0;
    uint32_t o[HARD_MAX_ISSUES];
    for (uint64_t x = 0; x < n; x++) {
        outcome_from_index(s, x, o);
        if (hard_spec_breaks(h, p, o) < 0)
            u[allowed++] = truce_utility(s, p, o);
    }
    qsort(u, allowed, sizeof *u, compare_descending);
    truce_space *tab = space_with(s, 4e6), *searched = space_with(s, 1);
    assert_true(tab->tabulated && !searched->tabulated);
    assert_int_equal(space_bid_count(tab, p), allowed);
    for (uint64_t k = 0; k < allowed; k++) {
        double v = space_kth_best(tab, p, k, o);
        assert_int_equal(hard_spec_breaks(h, p, o), -1);
        assert_close(v, truce_utility(s, p, o), TOL);
        assert_close(v, u[k], TOL);
    }
    rng r;
    rng_seed(&r, 99 + p);
    if (allowed) {
        assert_close(tab->best_u[p], u[0], TOL);
        assert_close(tab->worst_u[p], u[allowed - 1], TOL);
        /* linear profiles: the searched best is exact (per-issue maxima over allowed options) */
        assert_close(searched->best_u[p], u[0], TOL);
        assert_int_equal(hard_spec_breaks(h, p, &searched->best[p * h->n_issues]), -1);
        for (int j = 0; j < 20; j++) {
            double target = u[allowed - 1] + (u[0] - u[allowed - 1]) * j / 19.0;
            uint64_t above = 0;
            while (above < allowed && u[above] >= target)
                above++;
            assert_int_equal(space_count_at_least(tab, p, target), above);
            const truce_space *spaces[2] = {tab, searched};
            for (int w = 0; w < 2; w++) {
                double v = space_bid_at_least(spaces[w], p, target, &r, o);
                assert_int_equal(hard_spec_breaks(h, p, o), -1);
                assert_true(v >= target - TOL);
                v = space_random_at_least(spaces[w], p, target, &r, o);
                assert_int_equal(hard_spec_breaks(h, p, o), -1);
                assert_true(v >= target - TOL);
            }
        }
    }
    truce_space_free(tab);
    truce_space_free(searched);
    free(u);
}

static void test_bid_tables_hold_only_the_outcomes_the_party_allows(void **state)
{
    (void)state;
    for (uint64_t seed = 0; seed < 60; seed++) {
        hard_spec h;
        hard_spec_random(&h, seed);
        truce_scenario *s = hard_spec_load(&h);
        for (size_t p = 0; p < h.n_parties; p++)
            check_tables(&h, s, p);
        truce_scenario_free(s);
    }
}

/* The conflict message names the blocked issue and every principal condition with a clause
 * there (the test's own reading). */
static void check_refusal(const hard_spec *h, const truce_error *err, int blocked)
{
    char name[32];
    snprintf(name, sizeof name, "issue 'i%d'", blocked);
    if (!strstr(err->message, name) || !strstr(err->message, "no outcome respects"))
        fail_msg("refusal does not name %s: %s", name, err->message);
    for (size_t p = 0; p < h->n_parties; p++)
        for (size_t c = 0; h->principal[p] && c < h->n_hard[p]; c++) {
            char id[64];
            snprintf(id, sizeof id, "'p%zu_c%zu'", p, c);
            if (h->has_clause[p][c][blocked] && !strstr(err->message, id))
                fail_msg("refusal does not name %s: %s", id, err->message);
        }
}

static void test_no_agreement_breaks_a_principal_hard_condition_for_any_agent_pair(void **state)
{
    (void)state;
    size_t n = truce_agent_count(), pairs = n * n;
    /* about 4000 bilateral and three-party negotiations whatever the number of agents */
    size_t scenarios = pairs >= 500 ? 8 : 4000 / pairs + 1;
    uint64_t runs = 0, agreements = 0, refused = 0;
    truce_negotiation_options no = TRUCE_NEGOTIATION_OPTIONS_INIT;
    no.max_rounds = 60;
    for (uint64_t seed = 1000; seed < 1000 + scenarios; seed++) {
        hard_spec h;
        hard_spec_random(&h, seed);
        truce_scenario *s = hard_spec_load(&h);
        /* every other scenario searched instead of tabulated */
        truce_space *sp = space_with(s, seed % 2 ? 4e6 : 1);
        size_t seats = hard_spec_principals(&h);
        int blocked = hard_spec_blocked_issue(&h);
        for (size_t a = 0; a < n; a++)
            for (size_t b = 0; b < n; b++) {
                size_t c = (a + b + 1) % n, pick[3] = {a, b, c};
                truce_agent_spec specs[3];
                for (size_t k = 0; k < 3; k++)
                    specs[k] =
                        (truce_agent_spec){truce_agent_find(truce_agent_name(pick[k])), NULL};
                truce_negotiation *ng = NULL;
                truce_error err;
                int rc = truce_negotiation_create(&ng, sp, specs, seats, &no, &err);
                if (blocked >= 0) {
                    assert_int_equal(rc, TRUCE_EINVAL);
                    check_refusal(&h, &err, blocked);
                    refused++;
                    a = b = n; /* once per scenario */
                    break;
                }
                if (rc || truce_negotiation_run(ng, seed * pairs + a * n + b, &err))
                    fail_msg("%s", err.message);
                runs++;
                if (truce_negotiation_fault(ng) != -1)
                    fail_msg("%s, %s, %s on scenario %llu: %s is at fault: %s", truce_agent_name(a),
                             truce_agent_name(b), truce_agent_name(c), (unsigned long long)seed,
                             truce_party_name(s, truce_negotiation_seat_party(
                                                     ng, (size_t)truce_negotiation_fault(ng))),
                             truce_negotiation_fault_message(ng));
                const uint32_t *o = truce_negotiation_outcome(ng);
                for (size_t p = 0; o && p < h.n_parties; p++)
                    if (h.principal[p] && hard_spec_breaks(&h, p, o) >= 0)
                        fail_msg("%s, %s, %s on scenario %llu agreed on an outcome breaking "
                                 "p%zu_c%d\n%s",
                                 truce_agent_name(a), truce_agent_name(b), truce_agent_name(c),
                                 (unsigned long long)seed, p, hard_spec_breaks(&h, p, o), h.yaml);
                agreements += o != NULL;
                truce_negotiation_free(ng);
            }
        truce_space_free(sp);
        truce_scenario_free(s);
    }
    printf("%llu negotiations, %llu agreements; %llu scenarios refused\n", (unsigned long long)runs,
           (unsigned long long)agreements, (unsigned long long)refused);
    /* the property is not vacuous: many agreements, and conflicting scenarios were met */
    assert_true(runs >= 2000);
    assert_true(agreements * 5 >= runs);
    assert_true(refused > 0);
}

/* space_decode (which divides by multiplying with per-issue reciprocals in tabulated spaces)
 * gives the mixed-radix digits computed by plain division, on every outcome of scenarios with
 * one-option, prime-sized and many issues. */
static void check_decode(const truce_scenario *s)
{
    truce_space *sp = NULL;
    truce_error err;
    if (truce_space_create(&sp, s, NULL, &err))
        fail_msg("%s", err.message);
    assert_true(sp->tabulated);
    size_t ni = truce_scenario_issue_count(s);
    uint32_t *got = calloc(ni ? ni : 1, sizeof *got), *want = calloc(ni ? ni : 1, sizeof *want);
    assert_non_null(got);
    assert_non_null(want);
    for (uint64_t x = 0; x < sp->n_outcomes; x++) {
        space_decode(sp, x, got);
        outcome_from_index(s, x, want);
        assert_memory_equal(got, want, ni * sizeof *got);
        assert_int_equal(space_encode(sp, got), x);
    }
    free(got);
    free(want);
    truce_space_free(sp);
}

static void test_space_decode_matches_division(void **state)
{
    (void)state;
    uint32_t sizes[] = {1, 2, 3, 997};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        truce_scenario *s = line_scenario(sizes[k], 0, 0);
        check_decode(s);
        truce_scenario_free(s);
    }
    truce_scenario *s = load_handmade();
    check_decode(s);
    truce_scenario_free(s);
    s = load_corpus("anac/y2011/Energy");
    if (s) {
        check_decode(s);
        truce_scenario_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_space_decode_matches_division),
        cmocka_unit_test(test_time_dependent_offers_never_rise_in_own_utility),
        cmocka_unit_test(test_boulware_concedes_slower_than_conceder),
        cmocka_unit_test(test_time_dependent_bids_follow_the_decision_function),
        cmocka_unit_test(test_hardliner_only_offers_its_best),
        cmocka_unit_test(test_no_agent_accepts_below_its_reservation),
        cmocka_unit_test(test_floor_none_accepts_below_the_reservation_value),
        cmocka_unit_test(test_tft_agrees_with_tft_in_the_last_round),
        cmocka_unit_test(test_tft_mirrors_the_opponents_concessions),
        cmocka_unit_test(test_micro_concedes_only_after_new_distinct_bids),
        cmocka_unit_test(test_micro_counts_standing_or_every_bid_among_three),
        cmocka_unit_test(test_documented_parameters_are_the_parsed_ones),
        cmocka_unit_test(test_unknown_agent_is_not_found_and_known_ones_are_listed),
        cmocka_unit_test(test_bad_parameters_name_the_agent_and_the_parameter),
        cmocka_unit_test(test_every_pair_of_agents_negotiates_on_corpus_samples),
        cmocka_unit_test(test_all_agents_negotiate_with_three_parties),
        cmocka_unit_test(test_bid_tables_hold_only_the_outcomes_the_party_allows),
        cmocka_unit_test(test_no_agreement_breaks_a_principal_hard_condition_for_any_agent_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
