/* bench_mediate.c: mediated talks (single negotiating text) against alternating offers on the
 * ANAC scenarios: agreement rate, distance to the Nash point and to the Pareto frontier. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "benchutil.h"
#include "generate.h"
#include "truce.h"

#ifndef TRUCE_DEFAULT_CORPUS
#define TRUCE_DEFAULT_CORPUS "../shared/scenarios/genius"
#endif

#define SEEDS 5       /* seeds 1..SEEDS for every method */
#define ITERATIONS 50 /* SNT iteration limit (the default) */
#define ROUNDS 100    /* alternating offers deadline in rounds (the default) */
#define MAX_PARTIES 16
#define MAX_ISSUES 64

typedef struct year {
    const char *folder;
    int multilateral; /* 1: ANAC 2015, three parties or more */
} year;

static const year years[] = {
    {"anac/y2010", 0}, {"anac/y2011", 0}, {"anac/y2013", 0}, {"anac/y2015", 1}};

/* Alternating offers: these pairs on two-party scenarios; on three or more
 * parties every party plays the pair's first agent. */
static const char *const pairs[][2] = {
    {"boulware", "boulware"}, {"linear", "linear"}, {"conceder", "hardheaded"}};
#define N_PAIRS (sizeof pairs / sizeof *pairs)

enum { SNT_INFORMED, SNT_UNINFORMED, SNT_UNINFORMED_STRATEGIC, N_SNT };
static const char *const snt_names[N_SNT] = {"snt-informed-nash", "snt-uninformed",
                                             "snt-uninformed-strategic"};
#define N_METHODS (N_SNT + N_PAIRS)

/* What one method did on one scenario, or summed over a group. */
typedef struct tally {
    uint64_t runs, agreements, steps;
    double nash, pareto; /* summed over agreements */
    double seconds;
    int seed_dependent; /* some seed gave another result than seed 1 */
} tally;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const truce_error *err)
{
    fprintf(stderr, "bench_mediate: %s: %s\n", what, err->message);
    exit(1);
}

/* Reference points in the parties' utility space, from truce_analyze. */
typedef struct reference {
    size_t n; /* parties */
    size_t n_front;
    double *front; /* n_front x n */
    double *nash;  /* every frontier point with the Nash product (ties), n each */
    size_t n_nash;
    double reservation[MAX_PARTIES];
} reference;

static double distance(const double *a, const double *b, size_t n)
{
    double d = 0;
    for (size_t p = 0; p < n; p++)
        d += (a[p] - b[p]) * (a[p] - b[p]);
    return sqrt(d);
}

static double nearest(const double *u, const double *points, size_t count, size_t n)
{
    double best = INFINITY;
    for (size_t k = 0; k < count; k++) {
        double d = distance(u, points + k * n, n);
        best = d < best ? d : best;
    }
    return best;
}

/* The frontier and the Nash points: a Nash product can be reached by several
 * frontier points (symmetric scenarios such as NiceOrDie), and an agreement
 * on any of them is at distance 0. */
static int reference_build(reference *ref, const truce_analysis *a, const truce_scenario *s)
{
    ref->n = truce_scenario_party_count(s);
    ref->n_front = truce_analysis_pareto_size(a);
    ref->n_nash = 0;
    ref->front = malloc((ref->n_front ? ref->n_front : 1) * ref->n * sizeof *ref->front);
    ref->nash = malloc((ref->n_front ? ref->n_front : 1) * ref->n * sizeof *ref->nash);
    if (!ref->front || !ref->nash)
        return -1;
    for (size_t k = 0; k < ref->n_front; k++)
        memcpy(ref->front + k * ref->n, truce_analysis_pareto_point(a, k),
               ref->n * sizeof *ref->front);
    for (size_t p = 0; p < ref->n; p++)
        ref->reservation[p] = truce_party_reservation(s, p);
    double value;
    if (!truce_analysis_solution(a, TRUCE_SOLUTION_NASH, NULL, NULL, &value))
        return 0;
    for (size_t k = 0; k < ref->n_front; k++) {
        const double *u = truce_analysis_pareto_point(a, k);
        double product = 1;
        for (size_t p = 0; p < ref->n; p++)
            product *= u[p] > ref->reservation[p] ? u[p] - ref->reservation[p] : 0;
        if (product >= value * (1 - 1e-9))
            memcpy(ref->nash + ref->n_nash++ * ref->n, u, ref->n * sizeof *u);
    }
    return 0;
}

static void score(tally *t, const reference *ref, const truce_scenario *s, const uint32_t *outcome,
                  uint64_t steps)
{
    t->runs++;
    t->steps += steps;
    if (!outcome)
        return;
    double u[MAX_PARTIES];
    for (size_t p = 0; p < ref->n; p++)
        u[p] = truce_utility(s, p, outcome);
    t->agreements++;
    if (ref->n_nash)
        t->nash += nearest(u, ref->nash, ref->n_nash, ref->n);
    t->pareto += nearest(u, ref->front, ref->n_front, ref->n);
}

static void run_snt(tally *t, int method, const truce_scenario *s, const reference *ref)
{
    uint32_t first[MAX_ISSUES];
    int first_agreement = 0;
    size_t ni = truce_scenario_issue_count(s);
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
        o.strategy = method == SNT_INFORMED ? TRUCE_MEDIATOR_INFORMED : TRUCE_MEDIATOR_UNINFORMED;
        o.responder = method == SNT_UNINFORMED_STRATEGIC ? TRUCE_RESPONDER_STRATEGIC
                                                         : TRUCE_RESPONDER_TRUTHFUL;
        o.max_iterations = ITERATIONS;
        o.seed = seed;
        truce_mediation *m = NULL;
        truce_error err;
        double start = now();
        if (truce_mediate(&m, s, &o, &err))
            die(truce_scenario_name(s), &err);
        t->seconds += now() - start;
        int agreement = truce_mediation_agreement(m);
        const uint32_t *d = truce_mediation_draft(m);
        score(t, ref, s, agreement ? d : NULL, truce_mediation_iterations(m));
        if (seed == 1) {
            memcpy(first, d, ni * sizeof *d);
            first_agreement = agreement;
        } else if (agreement != first_agreement || memcmp(first, d, ni * sizeof *d)) {
            t->seed_dependent = 1;
        }
        truce_mediation_free(m);
    }
}

static void run_sao(tally *t, size_t pair, const truce_space *sp, const truce_scenario *s,
                    const reference *ref)
{
    size_t n = truce_scenario_party_count(s);
    truce_agent_spec specs[MAX_PARTIES];
    truce_error err;
    for (size_t p = 0; p < n; p++)
        if (truce_agent_parse(&specs[p], pairs[pair][n == 2 ? p : 0], &err))
            die("agents", &err);
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = ROUNDS;
    truce_negotiation *ng = NULL;
    if (truce_negotiation_create(&ng, sp, specs, n, &o, &err))
        die(truce_scenario_name(s), &err);
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        double start = now();
        if (truce_negotiation_run(ng, seed, &err))
            die(truce_scenario_name(s), &err);
        t->seconds += now() - start;
        score(t, ref, s, truce_negotiation_outcome(ng), truce_negotiation_rounds(ng));
    }
    truce_negotiation_free(ng);
}

static const char *method_name(size_t k, size_t n_parties, char *buf, size_t size)
{
    if (k < N_SNT)
        return snt_names[k];
    const char *const *pair = pairs[k - N_SNT];
    if (n_parties == 2)
        snprintf(buf, size, "sao %s,%s", pair[0], pair[1]);
    else
        snprintf(buf, size, "sao all %s", pair[0]);
    return buf;
}

static json_t *tally_json(const tally *t, const char *name)
{
    json_t *j = json_object();
    json_object_set_new(j, "method", json_string(name));
    json_object_set_new(j, "runs", json_integer((json_int_t)t->runs));
    json_object_set_new(j, "agreements", json_integer((json_int_t)t->agreements));
    json_object_set_new(j, "agreement_rate",
                        json_real(t->runs ? (double)t->agreements / (double)t->runs : 0));
    json_object_set_new(j, "mean_nash_distance",
                        t->agreements ? json_real(t->nash / (double)t->agreements) : json_null());
    json_object_set_new(j, "mean_pareto_distance",
                        t->agreements ? json_real(t->pareto / (double)t->agreements) : json_null());
    json_object_set_new(j, "mean_steps", json_real(t->runs ? (double)t->steps / t->runs : 0));
    json_object_set_new(j, "ms_per_run",
                        json_real(t->runs ? t->seconds * 1e3 / (double)t->runs : 0));
    json_object_set_new(j, "seed_dependent", json_boolean(t->seed_dependent));
    return j;
}

static void add(tally *sum, const tally *t)
{
    sum->runs += t->runs;
    sum->agreements += t->agreements;
    sum->steps += t->steps;
    sum->nash += t->nash;
    sum->pareto += t->pareto;
    sum->seconds += t->seconds;
    sum->seed_dependent |= t->seed_dependent;
}

/* One scenario: every method, its tallies added to the group's. */
static json_t *bench_scenario(const char *dir, const char *rel, tally *group)
{
    truce_scenario *s = NULL;
    truce_analysis *a = NULL;
    truce_space *sp = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, dir, NULL, &err)) {
        fprintf(stderr, "skip %s: %s\n", rel, err.message);
        return NULL;
    }
    size_t n = truce_scenario_party_count(s);
    reference ref = {0};
    if (n > MAX_PARTIES || truce_scenario_issue_count(s) > MAX_ISSUES) {
        fprintf(stderr, "skip %s: too many parties or issues\n", rel);
        truce_scenario_free(s);
        return NULL;
    }
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    so.analyze = 0; /* the reference points come from truce_analyze */
    if (truce_analyze(&a, s, NULL, &err) || truce_space_create(&sp, s, &so, &err)) {
        fprintf(stderr, "skip %s: %s\n", rel, err.message);
        truce_analysis_free(a);
        truce_scenario_free(s);
        return NULL;
    }
    if (reference_build(&ref, a, s)) {
        fprintf(stderr, "bench_mediate: out of memory\n");
        exit(1);
    }
    char outcomes[64];
    truce_scenario_outcome_count(s, outcomes, sizeof outcomes);
    fprintf(stderr, "%s (%zu parties, %s outcomes)", rel, n, outcomes);
    json_t *js = json_object(), *jm = json_array();
    json_object_set_new(js, "scenario", json_string(rel));
    json_object_set_new(js, "parties", json_integer((json_int_t)n));
    json_object_set_new(js, "outcomes", json_string(outcomes));
    json_object_set_new(js, "zopa", json_boolean(truce_analysis_zopa(a)));
    json_object_set_new(js, "nash_points", json_integer((json_int_t)ref.n_nash));
    for (size_t k = 0; k < N_METHODS; k++) {
        tally t = {0};
        if (k < N_SNT)
            run_snt(&t, (int)k, s, &ref);
        else
            run_sao(&t, k - N_SNT, sp, s, &ref);
        char name[64];
        json_array_append_new(jm, tally_json(&t, method_name(k, n, name, sizeof name)));
        fprintf(stderr, " %s %llu/%llu", method_name(k, n, name, sizeof name),
                (unsigned long long)t.agreements, (unsigned long long)t.runs);
        add(&group[k], &t);
    }
    fprintf(stderr, "\n");
    json_object_set_new(js, "methods", jm);
    free(ref.front);
    free(ref.nash);
    truce_analysis_free(a);
    truce_space_free(sp);
    truce_scenario_free(s);
    return js;
}

/* ---- the generated family: roles, channels, hard conditions, a zone ---- */

static const gen_size sizes[] = {
    {2, 3, 3, 0}, {3, 4, 3, 1}, {3, 5, 4, 1}, {4, 6, 4, 2}, {5, 6, 5, 2}};
#define N_SIZES (sizeof sizes / sizeof *sizes)
#define PER_SIZE 20 /* scenarios per size */

enum {
    G_INFORMED,
    G_UNINFORMED,
    G_STRATEGIC,
    G_NOISY,
    G_SAO,
    G_EXAGGERATE,
    G_ANCHOR,
    N_GEN_METHODS
};
static const char *const gen_names[N_GEN_METHODS] = {
    "snt-informed-nash",        "snt-uninformed", "snt-uninformed-strategic",
    "snt-uninformed-noise-0.2", "sao all linear", "snt-uninformed-exaggerate",
    "snt-uninformed-anchor"};
/* added to every mediation's seed (`--generated --seed-offset N`): the
 * scenarios stay, the mediator's tie-breaks and the responders' noise change */
static uint64_t seed_offset;
/* `--generated --no-influence`: the scenarios without their `influence:`
 * section (the stakeholders and their channels stay, and say nothing): the
 * mediators measured against the Nash point they are meant to find */
static int no_influence;
/* the responders' noise of G_NOISY (truce_mediation_options.noise) */
#define GEN_NOISE 0.2

typedef struct gen_tally {
    uint64_t runs, agreements, broken, refused, iterations, drafts, messages;
    double nash; /* summed over agreements */
    double seconds;
    double influenced; /* summed over agreements: distance to the influenced Nash point */
} gen_tally;

/* Brute force over the bargainers (the principals) and the feasible outcomes
 * (no principal's hard condition broken): the zone (feasible and above every
 * reservation value) and its Nash points (several when tied). */
typedef struct brute {
    size_t np, principals[MAX_PARTIES];
    uint64_t feasible, zone;
    double *nash; /* n_nash x np utilities */
    size_t n_nash;
    /* the influenced Nash points (docs/mediation.md#stakeholder-influence: what the informed
     * mediator aims at), as the principals' own utilities: n_influenced x np */
    double *influenced;
    size_t n_influenced;
} brute;

/* One influence of a generated scenario, read from its text (the engine has no accessor). */
typedef struct gen_influence {
    size_t stakeholder, principal;
    double weight;
} gen_influence;

/* The influences of the generated scenario `text`: the lines
 * "  - {stakeholder: sK, principal: pJ, weight: W}" of bench/generate.c. Only those with a
 * channel between the stakeholder and the principal count (docs/mediation.md). */
static size_t gen_influences(const char *text, const truce_scenario *s, gen_influence *out,
                             size_t max)
{
    size_t n = 0;
    const char *at = strstr(text, "\ninfluence:\n");
    for (const char *line = at ? strchr(at + 1, '\n') : NULL; line && n < max;
         line = strchr(line + 1, '\n')) {
        int sk, pj;
        double w;
        if (sscanf(line + 1, "  - {stakeholder: s%d, principal: p%d, weight: %lf}", &sk, &pj,
                   &w) != 3)
            break;
        char a[32], b[32];
        snprintf(a, sizeof a, "s%d", sk);
        snprintf(b, sizeof b, "p%d", pj);
        int st = truce_party_find(s, a), pr = truce_party_find(s, b);
        if (st < 0 || pr < 0) {
            fprintf(stderr, "bench_mediate: influence of %s on %s names no party\n", a, b);
            exit(1);
        }
        if (w > 0 && truce_channel(s, (size_t)st, (size_t)pr))
            out[n++] = (gen_influence){(size_t)st, (size_t)pr, w};
    }
    return n;
}

/* Append u (np values) to the list of tied points. */
static void keep_point(double **points, size_t *n, const double *u, size_t np)
{
    *points = realloc(*points, (*n + 1) * np * sizeof **points);
    if (!*points) {
        fprintf(stderr, "bench_mediate: out of memory\n");
        exit(1);
    }
    memcpy(*points + (*n)++ * np, u, np * sizeof *u);
}

static void brute_force(brute *b, const truce_scenario *s, const gen_influence *inf, size_t n_inf)
{
    size_t ni = truce_scenario_issue_count(s);
    b->np = 0;
    for (size_t p = 0; p < truce_scenario_party_count(s); p++)
        if (truce_party_role(s, p) == TRUCE_ROLE_PRINCIPAL)
            b->principals[b->np++] = p;
    uint64_t n = 1;
    for (size_t i = 0; i < ni; i++)
        n *= truce_issue_option_count(s, i);
    b->feasible = b->zone = 0;
    b->n_nash = b->n_influenced = 0;
    b->nash = b->influenced = NULL;
    double best = -INFINITY, best_v = -INFINITY;
    uint32_t o[MAX_ISSUES];
    double u[MAX_PARTIES];
    for (uint64_t x = 0; x < n; x++) {
        uint64_t y = x;
        for (size_t i = 0; i < ni; i++) {
            o[i] = (uint32_t)(y % truce_issue_option_count(s, i));
            y /= truce_issue_option_count(s, i);
        }
        int ok = 1;
        for (size_t k = 0; k < b->np && ok; k++)
            ok = truce_outcome_violates(s, b->principals[k], o) < 0;
        if (!ok)
            continue;
        b->feasible++;
        double score = 0;
        for (size_t k = 0; k < b->np && ok; k++) {
            u[k] = truce_utility(s, b->principals[k], o);
            double g = u[k] - truce_party_reservation(s, b->principals[k]);
            ok = g > 0;
            score += ok ? log(g) : 0;
        }
        if (!ok)
            continue;
        b->zone++;
        if (score > best + 1e-12) {
            best = score;
            b->n_nash = 0;
        }
        if (score >= best - 1e-12)
            keep_point(&b->nash, &b->n_nash, u, b->np);
        /* v_p = u_p + sum of w (u_s - r_s) over the stakeholders influencing p */
        double score_v = 0;
        for (size_t k = 0; k < b->np && ok; k++) {
            double v = u[k];
            for (size_t q = 0; q < n_inf; q++)
                if (inf[q].principal == b->principals[k])
                    v += inf[q].weight * (truce_utility(s, inf[q].stakeholder, o) -
                                          truce_party_reservation(s, inf[q].stakeholder));
            double g = v - truce_party_reservation(s, b->principals[k]);
            ok = g > 0;
            score_v += ok ? log(g) : 0;
        }
        if (!ok)
            continue;
        if (score_v > best_v + 1e-12) {
            best_v = score_v;
            b->n_influenced = 0;
        }
        if (score_v >= best_v - 1e-12)
            keep_point(&b->influenced, &b->n_influenced, u, b->np);
    }
}

static void gen_score(gen_tally *t, const brute *b, const truce_scenario *s, const uint32_t *deal)
{
    t->runs++;
    if (!deal)
        return;
    t->agreements++;
    double u[MAX_PARTIES];
    for (size_t k = 0; k < b->np; k++) {
        u[k] = truce_utility(s, b->principals[k], deal);
        t->broken += truce_outcome_violates(s, b->principals[k], deal) >= 0;
    }
    t->nash += nearest(u, b->nash, b->n_nash, b->np);
    t->influenced += nearest(u, b->influenced, b->n_influenced, b->np);
}

static void gen_mediate(gen_tally *t, int method, const truce_scenario *s, const brute *b,
                        uint64_t seed)
{
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    o.strategy = method == G_INFORMED ? TRUCE_MEDIATOR_INFORMED : TRUCE_MEDIATOR_UNINFORMED;
    o.responder = method == G_STRATEGIC    ? TRUCE_RESPONDER_STRATEGIC
                  : method == G_EXAGGERATE ? TRUCE_RESPONDER_EXAGGERATE
                  : method == G_ANCHOR     ? TRUCE_RESPONDER_ANCHOR
                                           : TRUCE_RESPONDER_TRUTHFUL;
    o.seed = seed + seed_offset;
    o.noise = method == G_NOISY ? GEN_NOISE : 0;
    truce_mediation *m = NULL;
    truce_error err;
    double start = now();
    if (truce_mediate(&m, s, &o, &err))
        die(truce_scenario_name(s), &err);
    t->seconds += now() - start;
    t->iterations += truce_mediation_iterations(m);
    t->drafts += truce_mediation_drafts(m);
    t->messages += truce_mediation_messages(m);
    gen_score(t, b, s, truce_mediation_agreement(m) ? truce_mediation_draft(m) : NULL);
    truce_mediation_free(m);
}

/* Alternating offers between the principals (every one playing `linear`),
 * when every pair has a channel; refused (and counted) otherwise. */
static void gen_sao(gen_tally *t, const truce_scenario *s, const brute *b, uint64_t seed)
{
    truce_space *sp = NULL;
    truce_negotiation *ng = NULL;
    truce_error err;
    truce_agent_spec specs[MAX_PARTIES];
    for (size_t k = 0; k < b->np; k++)
        if (truce_agent_parse(&specs[k], "linear", &err))
            die("agents", &err);
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    so.analyze = 0;
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = ROUNDS;
    if (truce_space_create(&sp, s, &so, &err))
        die(truce_scenario_name(s), &err);
    if (truce_negotiation_create(&ng, sp, specs, b->np, &o, &err)) {
        t->refused++;
        truce_space_free(sp);
        return;
    }
    double start = now();
    if (truce_negotiation_run(ng, seed, &err))
        die(truce_scenario_name(s), &err);
    t->seconds += now() - start;
    t->iterations += truce_negotiation_rounds(ng);
    /* every seat speaks once a round: an offer or an answer */
    t->messages += (uint64_t)truce_negotiation_rounds(ng) * b->np;
    gen_score(t, b, s, truce_negotiation_outcome(ng));
    truce_negotiation_free(ng);
    truce_space_free(sp);
}

static json_t *gen_tally_json(const gen_tally *t, const char *name)
{
    json_t *j = json_object();
    double runs = t->runs ? (double)t->runs : 1;
    json_object_set_new(j, "method", json_string(name));
    json_object_set_new(j, "runs", json_integer((json_int_t)t->runs));
    json_object_set_new(j, "refused", json_integer((json_int_t)t->refused));
    json_object_set_new(j, "agreements", json_integer((json_int_t)t->agreements));
    json_object_set_new(j, "agreement_rate", json_real((double)t->agreements / runs));
    json_object_set_new(j, "hard_conditions_broken", json_integer((json_int_t)t->broken));
    json_object_set_new(j, "mean_nash_distance",
                        t->agreements ? json_real(t->nash / (double)t->agreements) : json_null());
    json_object_set_new(j, "mean_influenced_nash_distance",
                        t->agreements ? json_real(t->influenced / (double)t->agreements)
                                      : json_null());
    json_object_set_new(j, "mean_steps", json_real((double)t->iterations / runs));
    json_object_set_new(j, "mean_drafts",
                        strncmp(name, "sao", 3) ? json_real((double)t->drafts / runs)
                                                : json_null());
    json_object_set_new(j, "mean_messages", json_real((double)t->messages / runs));
    json_object_set_new(j, "ms_per_run", json_real(t->seconds * 1e3 / runs));
    return j;
}

/* The generated family: PER_SIZE scenarios of each size, every method once
 * (seed = the scenario's number). */
static json_t *bench_generated(void)
{
    json_t *groups = json_array();
    gen_tally total[N_GEN_METHODS] = {{0}};
    static char text[1 << 20];
    for (size_t z = 0; z < N_SIZES; z++) {
        gen_tally t[N_GEN_METHODS] = {{0}};
        uint64_t zone_sizes = 0, feasible = 0;
        for (uint64_t k = 1; k <= PER_SIZE; k++) {
            uint64_t seed = z * 1000 + k;
            size_t len = gen_scenario(text, sizeof text, sizes[z], seed);
            char *infl = no_influence && len ? strstr(text, "\ninfluence:\n") : NULL;
            if (infl) /* the last section */
                len = (size_t)(infl - text) + 1;
            char path[] = "/tmp/bench_mediate_XXXXXX.yaml";
            int fd = len ? mkstemps(path, 5) : -1;
            FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
            if (!f || fwrite(text, 1, len, f) != len || fclose(f)) {
                fprintf(stderr, "bench_mediate: cannot write a generated scenario\n");
                exit(1);
            }
            truce_scenario *s = NULL;
            truce_error err;
            if (truce_scenario_load(&s, path, NULL, &err))
                die(path, &err);
            remove(path);
            gen_influence inf[64];
            /* without the section there is no influence: both points coincide */
            size_t n_inf = infl ? 0 : gen_influences(text, s, inf, 64);
            brute b;
            brute_force(&b, s, inf, n_inf);
            if (!b.zone) {
                fprintf(stderr, "bench_mediate: generated scenario %llu has no zone\n",
                        (unsigned long long)seed);
                exit(1);
            }
            zone_sizes += b.zone;
            feasible += b.feasible;
            for (int mth = 0; mth < N_GEN_METHODS; mth++) {
                if (mth == G_SAO)
                    gen_sao(&t[mth], s, &b, seed);
                else
                    gen_mediate(&t[mth], mth, s, &b, seed);
            }
            free(b.nash);
            free(b.influenced);
            truce_scenario_free(s);
        }
        const gen_size *g = &sizes[z];
        fprintf(stderr,
                "generated %d principals, %d issues x %d options, %d stakeholders:", g->principals,
                g->issues, g->options, g->stakeholders);
        json_t *jg = json_object(), *jm = json_array();
        json_object_set_new(jg, "principals", json_integer(g->principals));
        json_object_set_new(jg, "issues", json_integer(g->issues));
        json_object_set_new(jg, "options", json_integer(g->options));
        json_object_set_new(jg, "stakeholders", json_integer(g->stakeholders));
        json_object_set_new(jg, "scenarios", json_integer(PER_SIZE));
        json_object_set_new(jg, "mean_feasible", json_real((double)feasible / PER_SIZE));
        json_object_set_new(jg, "mean_zone", json_real((double)zone_sizes / PER_SIZE));
        for (int mth = 0; mth < N_GEN_METHODS; mth++) {
            json_array_append_new(jm, gen_tally_json(&t[mth], gen_names[mth]));
            fprintf(stderr, " %s %llu/%llu", gen_names[mth], (unsigned long long)t[mth].agreements,
                    (unsigned long long)t[mth].runs);
            gen_tally *s = &total[mth], *a = &t[mth];
            s->runs += a->runs;
            s->agreements += a->agreements;
            s->broken += a->broken;
            s->refused += a->refused;
            s->iterations += a->iterations;
            s->drafts += a->drafts;
            s->messages += a->messages;
            s->nash += a->nash;
            s->influenced += a->influenced;
            s->seconds += a->seconds;
        }
        fprintf(stderr, "\n");
        json_object_set_new(jg, "methods", jm);
        json_array_append_new(groups, jg);
    }
    json_t *all = json_array();
    for (int mth = 0; mth < N_GEN_METHODS; mth++)
        json_array_append_new(all, gen_tally_json(&total[mth], gen_names[mth]));
    json_t *doc = json_object();
    json_object_set_new(doc, "note",
                        json_string("bench/generate.c scenarios, every one with a non-empty zone "
                                    "(brute force); distances to the Nash point over the "
                                    "principals among feasible outcomes (brute force), in their own "
                                    "utilities, to the Nash point of their own utilities "
                                    "(nash_distance) and to that of the influenced values "
                                    "v_p = u_p + sum w_s (u_s - r_s) (influenced_nash_distance, "
                                    "what the informed mediator aims at); SAO only "
                                    "where every pair of principals has a channel (refused: "
                                    "not run)"));
    json_object_set_new(doc, "summary", all);
    json_object_set_new(doc, "sizes", groups);
    return doc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--generated")) {
        for (int a = 2; a < argc; a++) {
            char *end = NULL;
            if (!strcmp(argv[a], "--no-influence")) {
                no_influence = 1;
                continue;
            }
            if (!strcmp(argv[a], "--seed-offset") && a + 1 < argc)
                seed_offset = strtoull(argv[++a], &end, 10);
            if (!end || *end || end == argv[a]) {
                fprintf(stderr,
                        "usage: bench_mediate --generated [--seed-offset N] [--no-influence]\n");
                return 2;
            }
        }
        json_t *doc = json_object();
        json_object_set_new(doc, "benchmark", json_string("mediate"));
        json_object_set_new(doc, "version", json_string(truce_version()));
        json_object_set_new(doc, "seed_offset", json_integer((json_int_t)seed_offset));
        json_object_set_new(doc, "influence", json_boolean(!no_influence));
        json_object_set_new(doc, "generated", bench_generated());
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        json_decref(doc);
        if (!text)
            return 1;
        puts(text);
        free(text);
        return 0;
    }
    const char *corpus = argc > 1 ? argv[1] : TRUCE_DEFAULT_CORPUS;
    struct stat st;
    if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "bench_mediate: corpus %s not found (give its path as argument)\n", corpus);
        return 1;
    }
    json_t *scenarios = json_array();
    tally groups[2][N_METHODS] = {{{0}}};
    size_t counted[2] = {0, 0};
    for (size_t y = 0; y < sizeof years / sizeof *years; y++) {
        char folder[4096];
        if (snprintf(folder, sizeof folder, "%s/%s", corpus, years[y].folder) >= (int)sizeof folder)
            continue;
        char **names;
        size_t count = list_dirs(folder, &names);
        for (size_t i = 0; i < count; i++) {
            char dir[8192], rel[4200];
            snprintf(dir, sizeof dir, "%s/%s", folder, names[i]);
            snprintf(rel, sizeof rel, "%s/%s", years[y].folder, names[i]);
            json_t *js = bench_scenario(dir, rel, groups[years[y].multilateral]);
            if (js) {
                json_array_append_new(scenarios, js);
                counted[years[y].multilateral]++;
            }
            free(names[i]);
        }
        free(names);
    }
    static const char *const group_names[2] = {"bilateral: ANAC 2010, 2011, 2013",
                                               "multilateral: ANAC 2015"};
    json_t *summary = json_array();
    for (int g = 0; g < 2; g++) {
        json_t *jg = json_object(), *jm = json_array();
        json_object_set_new(jg, "group", json_string(group_names[g]));
        json_object_set_new(jg, "scenarios", json_integer((json_int_t)counted[g]));
        for (size_t k = 0; k < N_METHODS; k++) {
            char name[64];
            json_array_append_new(
                jm, tally_json(&groups[g][k], method_name(k, g ? 3 : 2, name, sizeof name)));
        }
        json_object_set_new(jg, "methods", jm);
        json_array_append_new(summary, jg);
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "benchmark", json_string("mediate"));
    json_object_set_new(doc, "version", json_string(truce_version()));
    json_object_set_new(doc, "corpus", json_string(corpus));
    json_object_set_new(doc, "seeds", json_integer(SEEDS));
    json_object_set_new(doc, "snt_iterations", json_integer(ITERATIONS));
    json_object_set_new(doc, "sao_rounds", json_integer(ROUNDS));
    json_object_set_new(
        doc, "note",
        json_string("distances are Euclidean in the parties' undiscounted utility space, to the "
                    "nearest frontier point with the Nash product and to the nearest Pareto "
                    "point (truce_analyze), averaged over agreements; mean_steps: SNT iterations "
                    "or SAO rounds, averaged over all runs"));
    json_object_set_new(doc, "summary", summary);
    json_object_set_new(doc, "scenarios", scenarios);
    json_object_set_new(doc, "generated", bench_generated());
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(doc);
    if (!text)
        return 1;
    puts(text);
    free(text);
    return 0;
}
