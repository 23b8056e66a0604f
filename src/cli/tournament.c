/* tournament.c: `truce tournament` (run a tournament on all cores, or over MPI
 * ranks, into a resumable SQLite database, with progress) and `truce results`
 * (statistics of such a database as tables, JSON or CSV). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "tournament_cli.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce tournament [OPTIONS] --db FILE TOURNAMENT.yaml\n"
           "       truce tournament [OPTIONS] --db FILE --agents A,B,... SCENARIO...\n"
           "\n"
           "Run every agent against every other on every scenario, in every role,\n"
           "--repetitions times, on all cores (or over MPI ranks under mpirun), and\n"
           "store one row per negotiation in a SQLite database. Running the same command\n"
           "again runs only what is missing (after a crash, kill or Ctrl-C); a database\n"
           "of another tournament is refused. The definition comes from a YAML file\n"
           "(docs/results.md) or from the options below.\n"
           "\n"
           "A SCENARIO is a native .yaml file, a GENIUS scenario folder, a folder of\n"
           "scenarios (searched recursively) or a glob of these (quote it).\n"
           "\n"
           "Definition (without a YAML file):\n"
           "  --agents LIST       comma-separated agents with parameters, e.g.\n"
           "                      boulware:e=0.1,conceder,hardheaded ('truce agents')\n"
           "  --repetitions N     runs of each matchup (default 1)\n"
           "  --rounds N          deadline in rounds (default 100; see the note below)\n"
           "  --seconds S         deadline in wall-clock seconds instead (GENIUS's relative\n"
           "                      time, as ANAC ran its tournaments: e.g. 180); results then\n"
           "                      depend on the machine, its load and --threads\n"
           "  --clock C           time agents see: genius (default; round r of N at\n"
           "                      r/(N+1) for every party) or turn (each turn its own)\n"
           "  --ties T            order among outcomes of equal utility: index (default)\n"
           "                      or genius (GENIUS's, by the hash of the option labels)\n"
           "  --negotiation-timeout S\n"
           "                      wall-clock limit of a negotiation with a lua: or proc:\n"
           "                      agent: past it, that agent's turn ends the negotiation\n"
           "                      with a timeout fault and the tournament goes on\n"
           "  --seed N            master seed: every negotiation's seed derives from it\n"
           "                      and the negotiation's number (default 1)\n"
           "  --no-permutations   one role assignment per set of agents, not all of them\n"
           "  --self-play         agents may also meet themselves\n"
           "  --real-steps N      points per real-valued issue (default 11)\n"
           "  --skip-unloadable   leave out scenarios that fail to load or that these\n"
           "                      agents cannot play, recording why (default: stop;\n"
           "                      truce results and truce report show them)\n"
           "  --legacy            also read GENIUS's legacy formats (a tournament file\n"
           "                      says legacy: true instead)\n"
           "  --limit NAME=N      a limit on what the scenarios may ask (docs/limits.md)\n"
           "  --name NAME         the tournament's name\n"
           "Running:\n"
           "  --db FILE           results database (required; created when absent)\n"
           "  --threads N         worker threads (default: one per core)\n"
           "  --stop-after N      run at most N negotiations now (run again to go on)\n"
           "  --batch N           rows per transaction (default 4096)\n"
           "  --quiet             no progress and no summary\n"
           "  --json              print the statistics as JSON at the end\n"
           "  -h, --help          show this help\n"
           "\n"
           "Progress goes to stderr: a bar with rate and ETA on a terminal, a plain line\n"
           "every few seconds otherwise. Statistics afterwards: 'truce results FILE'.\n"
           "The deadline can decide a ranking: agents that concede late or only in reply\n"
           "(micro against micro) never agree in 100 rounds and do in 1000; the results\n"
           "warn when 10%% or more of the negotiations end at the deadline.\n"
           "Exit status: 0 success, 1 bad input, 2 bad usage, 130/143 stopped by\n"
           "SIGINT/SIGTERM (finished negotiations are kept; run again to resume).\n");
}

/* Seconds a stop waits for the running negotiations before the process ends anyway: an agent
 * can take its whole time limit for a turn (proc: timeout, lua: max_seconds), and a worker in
 * it does not return before. What was committed stays; the rest runs again on resuming. */
#define STOP_GRACE_SECONDS 3

static volatile sig_atomic_t stop_signal, run_over;
static sem_t stop_posted; /* posted by the first signal: wakes the watchdog */

static void on_signal(int sig)
{
    if (stop_signal) { /* a second signal ends the process at once, by that signal */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_signal = sig;
    sem_post(&stop_posted);
}

/* After the first signal: give the run STOP_GRACE_SECONDS to stop, then end the process. */
static void *watchdog(void *unused)
{
    (void)unused;
    while (sem_wait(&stop_posted) != 0 && errno == EINTR)
        ;
    struct timespec left = {STOP_GRACE_SECONDS, 0};
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
    if (run_over)
        return NULL;
    static const char message[] =
        "truce tournament: stopped; a negotiation still running was abandoned (committed "
        "negotiations are kept: run the same command again to go on)\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    _exit(stop_signal == SIGTERM ? 143 : 130);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void duration(char *buf, size_t size, double s)
{
    if (!isfinite(s) || s < 0)
        snprintf(buf, size, "?");
    else if (s < 3600)
        snprintf(buf, size, "%d:%02d", (int)s / 60, (int)s % 60);
    else
        snprintf(buf, size, "%d:%02d:%02d", (int)(s / 3600), (int)s / 60 % 60, (int)s % 60);
}

int tournament_progress(uint64_t done, uint64_t total, double elapsed, void *payload)
{
    progress_state *p = payload;
    if (!p->quiet) {
        double now = now_seconds();
        int last = done == total;
        if (p->started == 0) {
            p->started = now;
            p->first_done = done;
        }
        double ran = (double)(done - p->first_done);
        double rate = elapsed > 0 ? ran / elapsed : 0;
        double eta = rate > 0 ? (double)(total - done) / rate : NAN;
        char eta_text[32];
        duration(eta_text, sizeof eta_text, eta);
        double percent = total ? 100.0 * (double)done / (double)total : 100;
        if (p->tty) {
            char bar[31];
            int fill = (int)(percent * 30 / 100);
            for (int i = 0; i < 30; i++)
                bar[i] = i < fill ? '#' : '.';
            bar[30] = '\0';
            fprintf(stderr, "\r[%s] %5.1f%%  %llu/%llu  %.0f/s  ETA %s   ", bar, percent,
                    (unsigned long long)done, (unsigned long long)total, rate, eta_text);
            if (last && !p->ended) {
                fputc('\n', stderr);
                p->ended = 1;
            }
            fflush(stderr);
        } else if (now - p->last_line >= p->interval || (last && !p->ended)) {
            p->last_line = now;
            p->ended = last;
            fprintf(stderr, "progress: %llu/%llu negotiations (%.1f%%), %.0f/s, ETA %s\n",
                    (unsigned long long)done, (unsigned long long)total, percent, rate, eta_text);
        }
    }
    return stop_signal != 0;
}

static int parse(int argc, char **argv, tournament_args *a)
{
    memset(a, 0, sizeof *a);
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    a->def = d;
    a->paths = calloc((size_t)argc + 1, sizeof *a->paths);
    if (!a->paths)
        return cli_fail("tournament", "out of memory");
    int defined = 0, rounds_given = 0;
    for (int i = 0; i < argc; i++) {
        const char *v;
        uint64_t n;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            return -1;
        } else if ((v = cli_option_value(argc, argv, &i, "--agents"))) {
            a->agents = v;
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--db"))) {
            a->db = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--name"))) {
            a->def.name = v;
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--repetitions"))) {
            if (cli_parse_u64(v, &a->def.repetitions) || a->def.repetitions < 1)
                return cli_usage("tournament", "--repetitions needs a number >= 1");
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--rounds"))) {
            if (cli_parse_u64(v, &a->def.rounds) || a->def.rounds < 1)
                return cli_usage("tournament", "--rounds needs a number >= 1");
            defined = 1;
            rounds_given = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--seconds"))) {
            if (cli_parse_double(v, &a->def.seconds) || !(a->def.seconds > 0) ||
                !(a->def.seconds < 1e7))
                return cli_usage("tournament", "--seconds needs seconds above 0, not '%s'", v);
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--negotiation-timeout"))) {
            if (cli_parse_double(v, &a->def.negotiation_timeout) ||
                !(a->def.negotiation_timeout > 0) || !(a->def.negotiation_timeout < 1e7))
                return cli_usage("tournament",
                                 "--negotiation-timeout needs seconds above 0, not '%s'", v);
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--clock"))) {
            if ((a->def.clock = cli_parse_clock(v)) < 0)
                return cli_usage("tournament", "--clock needs genius or turn, not '%s'", v);
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--ties"))) {
            if ((a->def.ties = cli_parse_ties(v)) < 0)
                return cli_usage("tournament", "--ties needs index or genius, not '%s'", v);
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--seed"))) {
            if (cli_parse_u64(v, &a->def.seed))
                return cli_usage("tournament", "--seed needs a whole number");
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--real-steps"))) {
            if (cli_parse_u64(v, &n) || n < 2 || n > 1000000)
                return cli_usage("tournament", "--real-steps needs a number from 2 to 10^6");
            a->def.real_steps = (uint32_t)n;
            defined = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--threads"))) {
            if (cli_parse_u64(v, &n) || n < 1 || n > 1024)
                return cli_usage("tournament", "--threads needs a number from 1 to 1024");
            a->run.threads = (unsigned)n;
        } else if ((v = cli_option_value(argc, argv, &i, "--stop-after"))) {
            if (cli_parse_u64(v, &a->run.limit) || a->run.limit < 1)
                return cli_usage("tournament", "--stop-after needs a number >= 1");
        } else if ((v = cli_option_value(argc, argv, &i, "--batch"))) {
            if (cli_parse_u64(v, &a->run.batch) || a->run.batch < 1)
                return cli_usage("tournament", "--batch needs a number >= 1");
        } else if (!strcmp(argv[i], "--no-permutations")) {
            a->def.permutations = 0;
            defined = 1;
        } else if (!strcmp(argv[i], "--self-play")) {
            a->def.self_play = 1;
            defined = 1;
        } else if (!strcmp(argv[i], "--skip-unloadable")) {
            a->def.skip_unloadable = 1;
            defined = 1;
        } else if (!strcmp(argv[i], "--quiet")) {
            a->quiet = 1;
        } else if (!strcmp(argv[i], "--json")) {
            a->json = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("tournament", "unknown option '%s'", argv[i]);
        } else {
            a->paths[a->n_paths++] = argv[i];
        }
    }
    if (!a->db)
        return cli_usage("tournament",
                         "give --db FILE: the results database (running again resumes it)");
    if (a->def.seconds > 0 && rounds_given)
        return cli_usage("tournament", "give the deadline in --rounds or in --seconds, not both");
    if (a->n_paths == 0)
        return cli_usage("tournament", "give a tournament file, or --agents and scenarios");
    if (!a->agents) {
        if (defined)
            return cli_usage("tournament", "the definition options need --agents (or give "
                                           "them in a tournament file instead)");
        if (a->n_paths != 1)
            return cli_usage("tournament", "give one tournament file, or --agents and "
                                           "scenarios");
        a->file = a->paths[0];
    }
    return 0;
}

static int split_agents(tournament_args *a)
{
    size_t n = 1;
    for (const char *c = a->agents; *c; c++)
        n += *c == ',';
    a->agent_buf = malloc(strlen(a->agents) + 1);
    a->agent_list = calloc(n, sizeof *a->agent_list);
    if (!a->agent_buf || !a->agent_list)
        return cli_fail("tournament", "out of memory");
    strcpy(a->agent_buf, a->agents);
    size_t k = 0;
    for (char *tok = a->agent_buf; tok;) {
        char *comma = cli_agent_end(tok);
        if (comma)
            *comma = '\0';
        if (!*tok)
            return cli_usage("tournament", "empty agent name in --agents '%s'", a->agents);
        a->agent_list[k++] = tok;
        tok = comma ? comma + 1 : NULL;
    }
    a->def.agents = (const char *const *)a->agent_list;
    a->def.n_agents = k;
    a->def.scenarios = (const char *const *)a->paths;
    a->def.n_scenarios = (size_t)a->n_paths;
    return 0;
}

void tournament_args_free(tournament_args *a)
{
    free(a->paths);
    free(a->agent_buf);
    free(a->agent_list);
}

int tournament_setup(int argc, char **argv, tournament_args *a, truce_tournament **out)
{
    int rc = parse(argc, argv, a);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (a->agents && (rc = split_agents(a)))
        return rc;
    truce_error err;
    a->def.limits = cli_limits();
    a->def.legacy = cli_legacy();
    int failed = a->file ? truce_tournament_load(out, a->file, cli_limits(), &err)
                         : truce_tournament_create(out, &a->def, &err);
    /* a tournament file decides how its scenarios load, as it decides everything else in the
     * definition (running it again must give the same one): --legacy cannot change it */
    if (a->file && cli_legacy() &&
        (failed || !strstr(truce_tournament_definition_json(*out), "\"legacy\":true"))) {
        if (!failed)
            truce_tournament_free(*out);
        *out = NULL;
        return cli_usage("tournament",
                         "--legacy does not apply to a tournament file: put 'legacy: true' in "
                         "%s instead",
                         a->file);
    }
    if (failed)
        return cli_fail_error("tournament", &err);
    for (size_t k = 0; !a->quiet && k < truce_tournament_skipped_count(*out); k++)
        fprintf(stderr, "truce tournament: skipped %s: %s\n",
                truce_tournament_skipped_path(*out, k), truce_tournament_skipped_reason(*out, k));
    return EXIT_OK;
}

static void install_signals(void)
{
    static int watching;
    if (!watching && sem_init(&stop_posted, 0, 0) == 0) {
        pthread_t id;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        watching = pthread_create(&id, &attr, watchdog, NULL) == 0;
        pthread_attr_destroy(&attr);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int tournament_stopped_status(void)
{
    return stop_signal == SIGTERM ? 143 : 130;
}

int tournament_signal_pending(void)
{
    return stop_signal != 0;
}

void tournament_watch_signals(void)
{
    install_signals();
}

void tournament_run_over(void)
{
    run_over = 1;
}

int tournament_summary(const tournament_args *a, const truce_tournament_status *st)
{
    if (st->stopped) {
        fprintf(stderr,
                "truce tournament: stopped; %llu of %llu negotiations are in %s: run the same "
                "command again to go on\n",
                (unsigned long long)(st->before + st->ran), (unsigned long long)st->total, a->db);
        return tournament_stopped_status();
    }
    if (a->quiet && !a->json)
        return EXIT_OK;
    if (!a->quiet)
        fprintf(stderr,
                "%llu negotiations run in %.2f s (%.0f/s); %llu were done already; %llu of %llu "
                "in %s\n",
                (unsigned long long)st->ran, st->seconds,
                st->seconds > 0 ? (double)st->ran / st->seconds : 0.0,
                (unsigned long long)st->before, (unsigned long long)(st->before + st->ran),
                (unsigned long long)st->total, a->db);
    if (st->before + st->ran < st->total)
        return EXIT_OK;
    return results_print(a->db, a->json ? RESULTS_JSON : RESULTS_AGENTS);
}

int cmd_tournament(int argc, char **argv)
{
    if (tournament_mpi_active())
        return tournament_mpi(argc, argv);
    tournament_args a;
    truce_tournament *t = NULL;
    int rc = tournament_setup(argc, argv, &a, &t);
    if (rc || !t) {
        tournament_args_free(&a);
        return rc;
    }
    progress_state p;
    memset(&p, 0, sizeof p);
    p.quiet = a.quiet;
    p.tty = isatty(2);
    p.interval = 5;
    a.run.version = TRUCE_TOURNAMENT_RUN_OPTIONS_VERSION;
    a.run.progress = tournament_progress;
    a.run.progress_payload = &p;
    install_signals();
    truce_tournament_status st;
    truce_error err;
    int failed = truce_tournament_run(t, a.db, &a.run, &st, &err);
    tournament_run_over();
    if (failed) {
        truce_tournament_free(t);
        tournament_args_free(&a);
        return cli_fail("tournament", "%s", err.message);
    }
    truce_tournament_free(t);
    if (st.stopped && p.tty && !p.ended)
        fputc('\n', stderr);
    rc = tournament_summary(&a, &st);
    tournament_args_free(&a);
    return rc;
}
