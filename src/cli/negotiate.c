/* negotiate.c: `truce negotiate` (run negotiations between built-in agents on
 * a scenario, with traces and repeated runs). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "output.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce negotiate [OPTIONS] --agents A,B[,C...] SCENARIO.yaml\n"
           "       truce negotiate [OPTIONS] --agents A,B[,C...] FOLDER\n"
           "       truce negotiate [OPTIONS] --agents A,B DOMAIN.xml PROFILE.xml PROFILE.xml\n"
           "\n"
           "Run a negotiation under the alternating offers protocol (stacked alternating\n"
           "offers for three or more parties), one agent per party in profile order.\n"
           "Agents take parameters after colons, e.g. boulware:e=0.1 or\n"
           "conceder:ac=const:c=0.8; 'truce agents' lists them. Your own agents:\n"
           "lua:SCRIPT.lua[:k=v...] or proc:COMMAND[:k=v...]; a recorded party's offers\n"
           "again: replay:TRACE.jsonl[:actor=...] (see 'truce agents').\n"
           "\n"
           "Options:\n"
           "  --agents LIST     comma-separated agents, one per party (required)\n"
           "  --rounds N        deadline in rounds (default 100)\n"
           "  --seconds S       deadline in seconds of wall-clock time instead (agents\n"
           "                    see elapsed / S; --time S is the old, deprecated name)\n"
           "  --clock C         time agents see under a deadline in rounds: genius (default;\n"
           "                    every party of round r sees r/(N+1), as GENIUS and NegMAS)\n"
           "                    or turn (each turn its own time, the first at 0)\n"
           "  --ties T          order among outcomes of equal utility: index (default) or\n"
           "                    genius (GENIUS's order, by the hash of the option labels)\n"
           "  --seed N          seed of the (first) run (default 1)\n"
           "  --repetitions N   run N negotiations with the seeds S, S+1, ..., S+N-1 (S\n"
           "                    from --seed) and print aggregate statistics (--repeat N\n"
           "                    is the old, deprecated name)\n"
           "  --each            with --repetitions: also each run's seed, agreement,\n"
           "                    rounds and utilities (JSON: the array \"each\"; text: a\n"
           "                    line per run), for comparing distributions, not only means\n"
           "  --trace FILE      write every event as JSON Lines (docs/trace.md)\n"
           "  --json            print one JSON object\n"
           "  --real-steps N    points per real-valued issue (default 11)\n"
           "  -h, --help        show this help\n"
           "\n"
           "Utilities are discounted at the time of agreement as GENIUS does; without\n"
           "agreement each party gets its reservation value, discounted likewise.\n"
           "Exit status: 0 success, 1 bad input, 2 bad usage.\n");
}

/* runs --each lists at most (its JSON array is held in memory) */
#define EACH_MAX 1000000

typedef struct args {
    const char *agents;
    int clock, ties;
    uint64_t rounds, seed, repeat;
    double seconds;
    const char *trace;
    int json, each;
    truce_load_options load;
    char **paths;
    int n_paths;
} args;

/* An option's old spelling: its value as cli_option_value gives it, with a note on stderr
 * naming the new one (and why it changed). */
static const char *deprecated(int argc, char **argv, int *i, const char *old, const char *now,
                              const char *why)
{
    const char *v = cli_option_value(argc, argv, i, old);
    if (v)
        fprintf(stderr, "truce negotiate: note: %s is deprecated, use %s (%s)\n", old, now, why);
    return v;
}

static int parse(int argc, char **argv, args *a)
{
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    memset(a, 0, sizeof *a);
    a->load = lo;
    a->rounds = 100;
    a->clock = TRUCE_CLOCK_GENIUS;
    a->ties = TRUCE_TIES_INDEX;
    a->seed = 1;
    a->repeat = 0;
    a->paths = calloc((size_t)argc + 1, sizeof *a->paths);
    if (!a->paths)
        return cli_fail("negotiate", "out of memory");
    int rounds_given = 0;
    for (int i = 0; i < argc; i++) {
        const char *v;
        double d;
        uint64_t u;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            return -1;
        } else if (!strcmp(argv[i], "--json")) {
            a->json = 1;
        } else if (!strcmp(argv[i], "--each")) {
            a->each = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--agents"))) {
            a->agents = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--rounds"))) {
            if (cli_parse_u64(v, &u) || u < 1 || u > (1ULL << 40))
                return cli_usage("negotiate",
                                 "--rounds needs a whole number from 1 to 2^40, "
                                 "not '%s'",
                                 v);
            a->rounds = u;
            rounds_given = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--seconds")) ||
                   (v = deprecated(argc, argv, &i, "--time", "--seconds",
                                   "--time is relative time in check and advise"))) {
            if (cli_parse_double(v, &d) || !(d > 0) || d > 1e6)
                return cli_usage("negotiate", "--seconds needs seconds above 0, not '%s'", v);
            a->seconds = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--clock"))) {
            if ((a->clock = cli_parse_clock(v)) < 0)
                return cli_usage("negotiate", "--clock needs genius or turn, not '%s'", v);
        } else if ((v = cli_option_value(argc, argv, &i, "--ties"))) {
            if ((a->ties = cli_parse_ties(v)) < 0)
                return cli_usage("negotiate", "--ties needs index or genius, not '%s'", v);
        } else if ((v = cli_option_value(argc, argv, &i, "--seed"))) {
            if (cli_parse_u64(v, &u))
                return cli_usage("negotiate", "--seed needs a non-negative integer, not '%s'", v);
            a->seed = u;
        } else if ((v = cli_option_value(argc, argv, &i, "--repetitions")) ||
                   (v = deprecated(argc, argv, &i, "--repeat", "--repetitions",
                                   "as in truce tournament"))) {
            if (cli_parse_u64(v, &u) || u < 1 || u > 1000000000)
                return cli_usage("negotiate",
                                 "--repetitions needs a count from 1 to 1e9, not '%s'", v);
            a->repeat = u;
        } else if ((v = cli_option_value(argc, argv, &i, "--trace"))) {
            if (!*v)
                return cli_usage("negotiate", "--trace needs a file name");
            a->trace = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--real-steps"))) {
            if (cli_parse_u64(v, &u) || u < 2 || u > 1000000)
                return cli_usage("negotiate", "--real-steps needs an integer from 2 to 1000000");
            a->load.real_steps = (uint32_t)u;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("negotiate", "unknown option '%s'", argv[i]);
        } else {
            a->paths[a->n_paths++] = argv[i];
        }
    }
    if (!a->agents)
        return cli_usage("negotiate", "--agents is required (e.g. --agents boulware,conceder)");
    if (a->seconds > 0 && rounds_given)
        return cli_usage("negotiate", "give the deadline in --rounds or in --seconds, not both");
    if (a->seconds > 0)
        a->rounds = 0;
    if (a->each && !a->repeat)
        return cli_usage("negotiate", "--each lists the runs of --repetitions N: give N");
    if (a->each && a->repeat > EACH_MAX)
        return cli_usage("negotiate",
                         "--each lists at most %d runs, not %llu (fewer --repetitions, or "
                         "--trace for every event)",
                         EACH_MAX, (unsigned long long)a->repeat);
    if (a->repeat > 1 && a->seed > UINT64_MAX - (a->repeat - 1))
        return cli_usage("negotiate",
                         "--seed %llu with --repetitions %llu would pass the largest seed, %llu",
                         (unsigned long long)a->seed, (unsigned long long)a->repeat,
                         (unsigned long long)UINT64_MAX);
    return 0;
}

/* Split the agent list; specs point into the copy `buf`. */
static int parse_agents(const char *list, char *buf, truce_agent_spec *specs, size_t max, size_t *n)
{
    *n = 0;
    for (char *tok = buf; tok;) {
        char *comma = cli_agent_end(tok);
        if (comma)
            *comma = '\0';
        if (*n == max)
            return cli_usage("negotiate", "too many agents in '%s'", list);
        truce_error err;
        if (truce_agent_parse(&specs[*n], tok, &err))
            return cli_usage("negotiate", "%s", err.message);
        (*n)++;
        tok = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Whether a truce_negotiation_create error is the command line's fault (exit 2): the wrong
 * number of agents, or an agent's bad parameter (agents name themselves in err->field). */
static int bad_agents(const truce_error *err, const truce_agent_spec *specs, size_t n)
{
    if (err->code != TRUCE_EINVAL)
        return 0;
    if (strstr(err->message, "agents given"))
        return 1;
    for (size_t p = 0; p < n; p++)
        if (specs[p].cls && !strcmp(err->field, specs[p].cls->name))
            return 1;
    return 0;
}

static json_t *numbers(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, isfinite(v[i]) ? json_real(v[i]) : json_null());
    return a;
}

static json_t *result_json(const truce_scenario *s, const truce_negotiation *ng)
{
    size_t np = truce_negotiation_seat_count(ng);
    double *u = calloc(np, sizeof *u), *uu = calloc(np, sizeof *uu);
    if (!u || !uu) {
        free(u);
        free(uu);
        return NULL;
    }
    for (size_t p = 0; p < np; p++) {
        u[p] = truce_negotiation_utility(ng, p);
        uu[p] = truce_negotiation_utility_undiscounted(ng, p);
    }
    const uint32_t *o = truce_negotiation_outcome(ng);
    long fault = truce_negotiation_fault(ng);
    double pd = truce_negotiation_pareto_distance(ng), nd = truce_negotiation_nash_distance(ng);
    json_t *parties = json_array();
    for (size_t p = 0; parties && p < np; p++)
        json_array_append_new(
            parties, json_string(truce_party_name(s, truce_negotiation_seat_party(ng, p))));
    json_t *r = json_object();
    json_object_set_new(r, "parties", parties);
    json_object_set_new(r, "agreement", json_boolean(truce_negotiation_agreement(ng)));
    json_object_set_new(r, "outcome", o ? cli_outcome_json(s, o) : json_null());
    json_object_set_new(r, "utilities", numbers(u, np));
    json_object_set_new(r, "utilities_undiscounted", numbers(uu, np));
    json_object_set_new(r, "rounds", json_integer((json_int_t)truce_negotiation_rounds(ng)));
    json_object_set_new(r, "time", json_real(truce_negotiation_time(ng)));
    json_object_set_new(r, "end", json_string(truce_negotiation_end_reason(ng)));
    json_object_set_new(r, "pareto_distance", isfinite(pd) ? json_real(pd) : json_null());
    json_object_set_new(r, "nash_distance", isfinite(nd) ? json_real(nd) : json_null());
    json_object_set_new(r, "fault",
                        fault >= 0 ? json_string(truce_party_name(
                                         s, truce_negotiation_seat_party(ng, (size_t)fault)))
                                   : json_null());
    json_object_set_new(r, "fault_message",
                        fault >= 0 ? json_string(truce_negotiation_fault_message(ng))
                                   : json_null());
    free(u);
    free(uu);
    return r;
}

static void result_text(const truce_scenario *s, const truce_negotiation *ng)
{
    size_t np = truce_negotiation_seat_count(ng);
    const uint32_t *o = truce_negotiation_outcome(ng);
    printf("Result: %s after %llu rounds (time %.4f, ended by %s)\n",
           o ? "AGREEMENT" : "no agreement", (unsigned long long)truce_negotiation_rounds(ng),
           truce_negotiation_time(ng), truce_negotiation_end_reason(ng));
    if (truce_negotiation_fault(ng) >= 0)
        printf("Fault: %s: %s\n",
               truce_party_name(
                   s, truce_negotiation_seat_party(ng, (size_t)truce_negotiation_fault(ng))),
               truce_negotiation_fault_message(ng));
    if (o) {
        for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
            char label[512];
            truce_issue_option_label(s, i, o[i], label, sizeof label);
            printf("  %-28s %s\n", truce_issue_name(s, i), label);
        }
    }
    printf("\n  %-28s %12s %14s\n", "party", "utility", "undiscounted");
    for (size_t p = 0; p < np; p++)
        printf("  %-28s %12.6f %14.6f\n", truce_party_name(s, truce_negotiation_seat_party(ng, p)),
               truce_negotiation_utility(ng, p), truce_negotiation_utility_undiscounted(ng, p));
    double pd = truce_negotiation_pareto_distance(ng), nd = truce_negotiation_nash_distance(ng);
    if (isfinite(pd))
        printf("\nDistance to the Pareto frontier %.6f, to the Nash point %.6f\n", pd,
               isfinite(nd) ? nd : NAN);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* One run for --each: appended to `each` (JSON; the seed a string, as in the tournament's
 * results), or printed as a line (text, each NULL); non-zero when out of memory. */
static int each_run(const truce_negotiation *ng, uint64_t seed, json_t *each)
{
    size_t np = truce_negotiation_seat_count(ng);
    int agreed = truce_negotiation_agreement(ng) != 0;
    uint64_t rounds = truce_negotiation_rounds(ng);
    if (!each) {
        printf("  seed %llu: %s, round %llu, utilities", (unsigned long long)seed,
               agreed ? "agreement" : "no agreement", (unsigned long long)rounds);
        for (size_t p = 0; p < np; p++)
            printf(" %.6f", truce_negotiation_utility(ng, p));
        printf("\n");
        return 0;
    }
    double *u = calloc(np, sizeof *u);
    json_t *r = json_object();
    if (!u || !r) {
        free(u);
        json_decref(r);
        return 1;
    }
    for (size_t p = 0; p < np; p++)
        u[p] = truce_negotiation_utility(ng, p);
    char text[32];
    snprintf(text, sizeof text, "%llu", (unsigned long long)seed);
    json_object_set_new(r, "seed", json_string(text));
    json_object_set_new(r, "agreement", json_boolean(agreed));
    json_object_set_new(r, "rounds", json_integer((json_int_t)rounds));
    json_object_set_new(r, "utilities", numbers(u, np));
    free(u);
    return json_array_append_new(each, r) != 0;
}

static int run_many(const truce_scenario *s, truce_negotiation *ng, const args *a,
                    const cli_output *trace)
{
    size_t np = truce_negotiation_seat_count(ng);
    double *sum = calloc(np, sizeof *sum);
    if (!sum)
        return cli_fail("negotiate", "out of memory");
    uint64_t agreements = 0, faults = 0;
    double rounds = 0, pareto = 0, nash = 0;
    uint64_t scored = 0;
    json_t *each = a->each && a->json ? json_array() : NULL;
    if (a->each && a->json && !each) {
        free(sum);
        return cli_fail("negotiate", "out of memory");
    }
    double start = seconds_now();
    truce_error err;
    for (uint64_t k = 0; k < a->repeat; k++) {
        if (truce_negotiation_run(ng, a->seed + k, &err)) {
            free(sum);
            json_decref(each);
            return cli_output_fail("negotiate", trace, &err);
        }
        if (a->each) { /* its listing is not counted in the negotiations' time */
            double listed = seconds_now();
            if (each_run(ng, a->seed + k, each)) {
                free(sum);
                json_decref(each);
                return cli_fail("negotiate", "out of memory");
            }
            start += seconds_now() - listed;
        }
        agreements += truce_negotiation_agreement(ng) != 0;
        faults += truce_negotiation_fault(ng) >= 0;
        rounds += (double)truce_negotiation_rounds(ng);
        for (size_t p = 0; p < np; p++)
            sum[p] += truce_negotiation_utility(ng, p);
        double pd = truce_negotiation_pareto_distance(ng), nd = truce_negotiation_nash_distance(ng);
        if (isfinite(pd) && isfinite(nd)) {
            pareto += pd;
            nash += nd;
            scored++;
        }
    }
    double elapsed = seconds_now() - start;
    double per_second = elapsed > 0 ? (double)a->repeat / elapsed : 0;
    for (size_t p = 0; p < np; p++)
        sum[p] /= (double)a->repeat;
    int rc = EXIT_OK;
    if (a->json) {
        json_t *r = json_object();
        json_object_set_new(r, "runs", json_integer((json_int_t)a->repeat));
        json_object_set_new(r, "agreement_rate", json_real((double)agreements / a->repeat));
        json_object_set_new(r, "mean_utilities", numbers(sum, np));
        json_object_set_new(r, "mean_rounds", json_real(rounds / a->repeat));
        json_object_set_new(r, "faults", json_integer((json_int_t)faults));
        json_object_set_new(r, "mean_pareto_distance",
                            scored ? json_real(pareto / scored) : json_null());
        json_object_set_new(r, "mean_nash_distance",
                            scored ? json_real(nash / scored) : json_null());
        json_object_set_new(r, "negotiations_per_second", json_real(per_second));
        if (each)
            json_object_set_new(r, "each", each);
        rc = cli_print_json(r);
    } else {
        printf("%llu negotiations (seeds %llu..%llu): agreement rate %.4f, mean rounds %.2f, "
               "faults %llu\n",
               (unsigned long long)a->repeat, (unsigned long long)a->seed,
               (unsigned long long)(a->seed + a->repeat - 1), (double)agreements / a->repeat,
               rounds / a->repeat, (unsigned long long)faults);
        for (size_t p = 0; p < np; p++)
            printf("  %-28s mean utility %.6f\n",
                   truce_party_name(s, truce_negotiation_seat_party(ng, p)), sum[p]);
        if (scored)
            printf("  mean distance to the Pareto frontier %.6f, to the Nash point %.6f\n",
                   pareto / scored, nash / scored);
        printf("  %.0f negotiations per second\n", per_second);
    }
    free(sum);
    return rc;
}

int cmd_negotiate(int argc, char **argv)
{
    args a;
    int rc = parse(argc, argv, &a);
    if (rc) {
        free(a.paths);
        return rc < 0 ? EXIT_OK : rc;
    }
    size_t max_agents = 64;
    truce_agent_spec specs[64];
    char *buf = strdup(a.agents);
    size_t n_agents = 0;
    if (!buf || (rc = parse_agents(a.agents, buf, specs, max_agents, &n_agents))) {
        free(buf);
        free(a.paths);
        return buf ? rc : cli_fail("negotiate", "out of memory");
    }
    truce_scenario *s = NULL;
    rc = cli_load_scenario("negotiate", &s, a.paths, a.n_paths, &a.load);
    free(a.paths);
    if (rc) {
        free(buf);
        return rc;
    }
    truce_error err;
    truce_space *sp = NULL;
    truce_negotiation *ng = NULL;
    cli_output trace = {0};
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    so.ties = a.ties;
    if (truce_space_create(&sp, s, &so, &err)) {
        rc = cli_fail("negotiate", "%s", err.message);
        goto out;
    }
    if (a.trace && (rc = cli_output_open("negotiate", &trace, a.trace)))
        goto out;
    truce_negotiation_options o = TRUCE_NEGOTIATION_OPTIONS_INIT;
    o.max_rounds = a.rounds;
    o.max_seconds = a.seconds;
    o.clock = a.clock;
    o.trace = trace.f ? cli_output_trace : NULL;
    o.trace_payload = &trace;
    if (truce_negotiation_create(&ng, sp, specs, n_agents, &o, &err)) {
        rc = bad_agents(&err, specs, n_agents) ? cli_usage("negotiate", "%s", err.message)
                                               : cli_fail("negotiate", "%s", err.message);
        goto out;
    }
    if (a.repeat) {
        rc = run_many(s, ng, &a, &trace);
    } else if (truce_negotiation_run(ng, a.seed, &err)) {
        rc = cli_output_fail("negotiate", &trace, &err);
    } else if (a.json) {
        rc = cli_print_json(result_json(s, ng));
    } else {
        result_text(s, ng);
        rc = EXIT_OK;
    }
out:
    if (trace.f && cli_output_close("negotiate", &trace, rc == EXIT_OK))
        rc = EXIT_INPUT;
    truce_negotiation_free(ng);
    truce_space_free(sp);
    truce_scenario_free(s);
    free(buf);
    return rc;
}
