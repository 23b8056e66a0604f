/* bench_tournament.c [CORPUS [REPETITIONS [ROUNDS]]]: tournaments on the ANAC 2010/2011/2013
 * scenarios: negotiations per second on 1 and 2 threads (and 2 MPI ranks), scaling efficiency, and
 * the cost of the results store, in wall-clock time and in CPU time of the thread doing the
 * work (which a loaded machine disturbs less). The store's cost is the median over REPEATS of
 * the ratio of one store pass to the negotiation pass run just before it (so that a change of
 * load between passes moves both); the whole runs on 1 and 2 threads are also timed in CPU time
 * of the process, which bounds the 1 -> 2 thread scaling whatever else shares the cores. The
 * machine's own ceiling is measured too: the negotiations alone (no store, no runner) on one
 * thread against the same jobs split over two threads that share nothing but the cores. */
#define _DEFAULT_SOURCE
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tournament/tournament.h"
#include "truce.h"

#ifndef TRUCE_DEFAULT_CORPUS
#define TRUCE_DEFAULT_CORPUS "../shared/scenarios/genius"
#endif

#define REPEATS 9
#define MPI_REPEATS 5 /* each start-up costs seconds */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of the whole process (every thread). */
static double process_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const truce_error *err)
{
    fprintf(stderr, "bench_tournament: %s: %s\n", what, err ? err->message : "failed");
    exit(1);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static json_t *timing(double *t, size_t n, uint64_t jobs)
{
    qsort(t, n, sizeof *t, by_value);
    return json_pack("{s:f, s:f, s:f}", "seconds_min", t[0], "seconds_median", t[n / 2],
                     "negotiations_per_second", (double)jobs / t[n / 2]);
}

/* Microseconds per negotiation: minimum and median. */
static json_t *per_job(double *t, size_t n, uint64_t jobs)
{
    qsort(t, n, sizeof *t, by_value);
    return json_pack("{s:f, s:f}", "us_min", t[0] / (double)jobs * 1e6, "us_median",
                     t[n / 2] / (double)jobs * 1e6);
}

static char db_name[512];

static const char *fresh_db(void)
{
    static int k;
    snprintf(db_name, sizeof db_name, "/tmp/truce-bench-tournament-%d-%d.db", (int)getpid(), k++);
    return db_name;
}

static void remove_db(const char *path)
{
    char side[600];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
}

/* The time of the run's last progress report: the writer's last, once every worker has finished
 * and the last rows are committed. */
static int last_report(uint64_t done, uint64_t total, double seconds, void *payload)
{
    (void)done;
    (void)total;
    (void)seconds;
    *(double *)payload = now();
    return 0;
}

/* A whole run on `threads` workers: its wall-clock seconds, in *cpu_seconds the CPU time of
 * every thread of the process (workers, the writer, SQLite), and in *close_seconds the time
 * from its last progress report to its end: closing the database (the last checkpoint and its
 * fsyncs, removing the write-ahead log), a fixed cost that more threads do not shorten. */
static double run_threads(truce_tournament *t, unsigned threads, double *cpu_seconds,
                          double *close_seconds)
{
    const char *db = fresh_db();
    truce_tournament_run_options o = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    double last = 0;
    o.threads = threads;
    o.progress = last_report;
    o.progress_payload = &last;
    truce_tournament_status st;
    truce_error err;
    double start = now(), c = process_cpu();
    if (truce_tournament_run(t, db, &o, &st, &err))
        die("run", &err);
    *cpu_seconds = process_cpu() - c;
    double end = now(), s = end - start;
    *close_seconds = last > 0 ? end - last : 0;
    remove_db(db);
    return s;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    return v[n / 2];
}

/* Every step-th job from `from` on its own worker, for the machine's ceiling: the negotiations
 * alone. */
struct half {
    truce_tournament *t;
    unsigned char *records;
    size_t bytes;
    uint64_t from, to, step;
    int failed;
};

static void *run_half(void *p)
{
    struct half *h = p;
    truce_tournament_worker *w;
    truce_error err;
    if (truce_tournament_worker_create(&w, h->t, &err)) {
        h->failed = 1;
        return NULL;
    }
    for (uint64_t j = h->from; j < h->to && !h->failed; j += h->step)
        if (worker_run(w, j, record_init(h->t, h->records + j * h->bytes), &err))
            h->failed = 1;
    truce_tournament_worker_free(w);
    return NULL;
}

/* Wall-clock seconds of the negotiations alone on one or two threads (the even and the odd
 * jobs: neighbouring jobs are the same scenario and matchup, so the halves weigh the same). */
static double negotiations_on(truce_tournament *t, unsigned char *records, size_t bytes,
                              uint64_t jobs, unsigned threads)
{
    struct half h[2] = {{t, records, bytes, 0, jobs, 1, 0}, {t, records, bytes, 1, jobs, 2, 0}};
    if (threads == 2)
        h[0].step = 2;
    pthread_t other;
    double start = now();
    if (threads == 2 && pthread_create(&other, NULL, run_half, &h[1]))
        die("thread", NULL);
    run_half(&h[0]);
    if (threads == 2)
        pthread_join(other, NULL);
    double s = now() - start;
    if (h[0].failed || h[1].failed)
        die("ceiling job", NULL);
    return s;
}

int main(int argc, char **argv)
{
    const char *corpus = argc > 1 ? argv[1] : TRUCE_DEFAULT_CORPUS;
    uint64_t repetitions = argc > 2 ? strtoull(argv[2], NULL, 10) : 20;
    uint64_t rounds = argc > 3 ? strtoull(argv[3], NULL, 10) : 100;
    char y2010[4096], y2011[4096], y2013[4096];
    snprintf(y2010, sizeof y2010, "%s/anac/y2010", corpus);
    snprintf(y2011, sizeof y2011, "%s/anac/y2011", corpus);
    snprintf(y2013, sizeof y2013, "%s/anac/y2013", corpus);
    if (access(y2010, R_OK)) {
        fprintf(stderr, "bench_tournament: no corpus at %s\n", corpus);
        return 1;
    }
    const char *scenarios[] = {y2010, y2011, y2013};
    const char *agents[] = {"boulware", "conceder", "linear", "tft", "hardheaded"};
    truce_tournament_definition d = TRUCE_TOURNAMENT_DEFINITION_INIT;
    d.agents = agents;
    d.n_agents = 5;
    d.scenarios = scenarios;
    d.n_scenarios = 3;
    d.repetitions = repetitions;
    d.rounds = rounds;
    truce_tournament *t;
    truce_error err;
    double start = now();
    if (truce_tournament_create(&t, &d, &err))
        die("create", &err);
    double load = now() - start;
    uint64_t jobs = truce_tournament_job_count(t);

    /* the negotiations alone, on one thread, kept as records */
    size_t bytes = record_size(t);
    unsigned char *records = malloc(jobs * bytes);
    truce_tournament_worker *w;
    if (!records || truce_tournament_worker_create(&w, t, &err))
        die("worker", &err);
    double neg[REPEATS], store[REPEATS], one[REPEATS], two[REPEATS];
    double neg_cpu[REPEATS], store_cpu[REPEATS], ratio[REPEATS], ratio_cpu[REPEATS];
    double one_cpu[REPEATS], two_cpu[REPEATS], one_close[REPEATS], two_close[REPEATS];
    double one_open[REPEATS], two_open[REPEATS];
    double busy_before[1] = {-1};
    getloadavg(busy_before, 1);
    for (int r = 0; r < REPEATS; r++) {
        start = now();
        double c = cpu();
        for (uint64_t j = 0; j < jobs; j++)
            if (worker_run(w, j, record_init(t, records + j * bytes), &err))
                die("job", &err);
        neg_cpu[r] = cpu() - c;
        neg[r] = now() - start;
        /* the store alone, right after: the same records written as the runner writes them, in
         * the batches workers hand over (64 records) and transactions of 4096 rows */
        const char *db = fresh_db();
        truce_store *st;
        if (truce_store_open(&st, t, db, &err))
            die("store", &err);
        start = now();
        c = cpu();
        for (uint64_t j = 0; j < jobs; j += 64) {
            size_t n = jobs - j < 64 ? (size_t)(jobs - j) : 64, stored;
            if (store_add_many(st, records + j * bytes, bytes, n, &stored, &err))
                die("store", &err);
            if (st->pending_rows >= 4096 && truce_store_commit(st, &err))
                die("commit", &err);
        }
        if (truce_store_commit(st, &err))
            die("commit", &err);
        truce_store_free(st); /* its last checkpoint counts too */
        store_cpu[r] = cpu() - c;
        store[r] = now() - start;
        remove_db(db);
        ratio[r] = store[r] / neg[r];
        ratio_cpu[r] = store_cpu[r] / neg_cpu[r];
    }
    truce_tournament_worker_free(w);
    /* the machine's ceiling: the same negotiations on one thread, then split over two */
    double solo[REPEATS], duo[REPEATS];
    for (int r = 0; r < REPEATS; r++) {
        solo[r] = negotiations_on(t, records, bytes, jobs, 1);
        duo[r] = negotiations_on(t, records, bytes, jobs, 2);
    }
    free(records);
    for (int r = 0; r < REPEATS; r++) {
        one[r] = run_threads(t, 1, &one_cpu[r], &one_close[r]);
        two[r] = run_threads(t, 2, &two_cpu[r], &two_close[r]);
        one_open[r] = one[r] - one_close[r];
        two_open[r] = two[r] - two_close[r];
    }
    json_t *out =
        json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:f}", "benchmark", "tournament", "scenarios",
                  (json_int_t)truce_tournament_scenario_count(t), "agents", (json_int_t)5,
                  "repetitions", (json_int_t)repetitions, "rounds", (json_int_t)rounds,
                  "negotiations", (json_int_t)jobs, "load_and_precompute_seconds", load);
    json_object_set_new(out, "repeats", json_integer(REPEATS));
    json_object_set_new(out, "negotiations_only_1_thread", timing(neg, REPEATS, jobs));
    json_object_set_new(out, "store_only", timing(store, REPEATS, jobs));
    json_object_set_new(out, "store_cost_vs_negotiations", json_real(median(ratio, REPEATS)));
    json_object_set_new(out, "negotiation_cpu", per_job(neg_cpu, REPEATS, jobs));
    json_object_set_new(out, "store_cpu", per_job(store_cpu, REPEATS, jobs));
    /* medians, and the range over the repeats */
    double ratio_cpu_median = median(ratio_cpu, REPEATS);
    json_object_set_new(out, "store_cpu_vs_negotiation_cpu", json_real(ratio_cpu_median));
    json_object_set_new(out, "store_cpu_vs_negotiation_cpu_range",
                        json_pack("[f, f]", ratio_cpu[0], ratio_cpu[REPEATS - 1]));
    /* two threads on two cores share them with the store's work: the best 1 -> 2 scaling
     * efficiency those cores allow is n / (n + s), whatever else runs */
    json_object_set_new(out, "scaling_bound_from_cpu", json_real(1 / (1 + ratio_cpu_median)));
    json_object_set_new(out, "threads_1", timing(one, REPEATS, jobs));
    json_object_set_new(out, "threads_2", timing(two, REPEATS, jobs));
    /* the same bound from the whole runs: the negotiations' CPU time against the CPU time the
     * 2-thread run's process used per negotiation (workers, writer, locks, SQLite, start-up) */
    double neg_median = median(neg_cpu, REPEATS);
    json_object_set_new(out, "threads_1_process_cpu", per_job(one_cpu, REPEATS, jobs));
    json_object_set_new(out, "threads_2_process_cpu", per_job(two_cpu, REPEATS, jobs));
    json_object_set_new(out, "scaling_bound_from_run_cpu",
                        json_real(neg_median / median(two_cpu, REPEATS)));
    json_object_set_new(out, "scaling_efficiency_1_to_2",
                        json_real(one[REPEATS / 2] / two[REPEATS / 2] / 2));
    /* the close of the database (after the last negotiation and commit) apart: medians of its
     * wall-clock time, and the scaling of the runs without it */
    json_object_set_new(out, "close_ms_1_thread", json_real(median(one_close, REPEATS) * 1e3));
    json_object_set_new(out, "close_ms_2_threads", json_real(median(two_close, REPEATS) * 1e3));
    json_object_set_new(
        out, "scaling_efficiency_1_to_2_without_close",
        json_real(median(one_open, REPEATS) / median(two_open, REPEATS) / 2));
    /* how far two threads scale on this machine with nothing shared but the cores (caches,
     * memory, the host's scheduling of the virtual cores): no tournament can scale better */
    double solo_median = median(solo, REPEATS), duo_median = median(duo, REPEATS);
    json_object_set_new(out, "scaling_ceiling_negotiations_only",
                        json_real(solo_median / duo_median / 2));
    json_object_set_new(out, "scaling_efficiency_vs_ceiling",
                        json_real(one[REPEATS / 2] / two[REPEATS / 2] / 2 /
                                  (solo_median / duo_median / 2)));
    /* with the store on its own thread, a 1-thread run costs this much more
     * than the negotiations alone */
    json_object_set_new(out, "store_overhead_in_1_thread_run",
                        json_real(one[REPEATS / 2] / neg[REPEATS / 2] - 1));
#ifdef TRUCE_BINARY
    if (!system("command -v mpirun >/dev/null 2>&1")) {
        /* the run time truce reports (from the first job to the last
         * commit), and the whole command with MPI start-up and every rank
         * loading the scenarios */
        double run[MPI_REPEATS], whole[MPI_REPEATS];
        char cmd[16384], log[256];
        snprintf(log, sizeof log, "/tmp/truce-bench-mpi-%d.log", (int)getpid());
        int ok = 1;
        for (int r = 0; r < MPI_REPEATS && ok; r++) {
            const char *db = fresh_db();
            snprintf(
                cmd, sizeof cmd,
                "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun "
                "--oversubscribe -np 2 %s tournament --db %s --agents "
                "boulware,conceder,linear,tft,hardheaded --repetitions %llu --rounds %llu %s %s %s "
                ">/dev/null 2>%s",
                TRUCE_BINARY, db, (unsigned long long)repetitions, (unsigned long long)rounds,
                y2010, y2011, y2013, log);
            start = now();
            ok = system(cmd) == 0;
            whole[r] = now() - start;
            remove_db(db);
            char line[1024];
            FILE *f = fopen(log, "r");
            run[r] = 0;
            while (f && fgets(line, sizeof line, f)) {
                const char *at = strstr(line, "negotiations run in ");
                if (at)
                    run[r] = atof(at + strlen("negotiations run in "));
            }
            if (f)
                fclose(f);
            ok = ok && run[r] > 0;
        }
        remove(log);
        if (ok) {
            json_t *m = timing(run, MPI_REPEATS, jobs);
            json_object_set_new(m, "whole_command", timing(whole, MPI_REPEATS, jobs));
            json_object_set_new(m, "scaling_efficiency_vs_1_thread",
                                json_real(one[REPEATS / 2] / run[MPI_REPEATS / 2] / 2));
            json_object_set_new(out, "mpi_2_ranks", m);
        }
    }
#endif
    /* what else ran: the machine's load (runnable processes, 1-minute average) at the end,
     * against its online cores; wall-clock scaling means little when load exceeds cores */
    double busy[1];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (getloadavg(busy, 1) == 1) {
        json_object_set_new(out, "load_average_1min_before", json_real(busy_before[0]));
        json_object_set_new(out, "load_average_1min", json_real(busy[0]));
        /* wall-clock figures of a machine busier than its cores measure the other work */
        if (busy[0] >= (double)cores || busy_before[0] >= (double)cores)
            json_object_set_new(
                out, "wall_clock_note",
                json_string("the load average reached the number of cores: wall-clock "
                            "throughputs and scaling_efficiency_1_to_2 measure the machine's "
                            "other work too; the CPU-time figures (store_cpu_vs_negotiation_cpu, "
                            "scaling_bound_from_cpu, scaling_bound_from_run_cpu) hold"));
    }
    json_object_set_new(out, "cores", json_integer((json_int_t)cores));
    char *text = json_dumps(out, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    printf("%s\n", text);
    free(text);
    json_decref(out);
    truce_tournament_free(t);
    return 0;
}
