/* tournament_mpi.c: `mpirun -np K truce tournament ...`: rank 0 owns the
 * results database and hands out chunks of missing jobs; every rank
 * (rank 0 too, between messages) runs jobs and sends results back packed (stored a message at
 * a time). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tournament_cli.h"
#include "util.h"

#ifndef TRUCE_HAVE_MPI

int tournament_mpi_active(void)
{
    return 0;
}

int tournament_mpi(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("tournament", "this truce was built without MPI");
}

#else

#include <mpi.h>

enum { TAG_REQUEST = 1, TAG_WORK = 2, TAG_ERROR = 3 };
enum { CHUNK = 32 };

/* Started by an MPI launcher: OpenMPI, MPICH/Hydra and Slurm's PMI set these
 * in every rank's environment. Without them truce runs on threads and never
 * initialises MPI. */
int tournament_mpi_active(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int worker(truce_tournament *t)
{
    truce_tournament_worker *w = NULL;
    truce_error err;
    size_t size = truce_tournament_result_size(t);
    unsigned char *out = malloc(CHUNK * size);
    int n_out = 0;
    int failed = !out || truce_tournament_worker_create(&w, t, &err) != 0;
    if (!out)
        snprintf(err.message, sizeof err.message, "out of memory");
    uint64_t jobs[CHUNK];
    while (!failed) {
        MPI_Send(out, n_out * (int)size, MPI_BYTE, 0, TAG_REQUEST, MPI_COMM_WORLD);
        n_out = 0;
        MPI_Status status;
        MPI_Recv(jobs, CHUNK, MPI_UINT64_T, 0, TAG_WORK, MPI_COMM_WORLD, &status);
        int n;
        MPI_Get_count(&status, MPI_UINT64_T, &n);
        if (n == 0)
            break;
        for (int i = 0; i < n && !failed; i++) {
            if (truce_tournament_worker_run_packed(w, jobs[i], out + (size_t)n_out * size, &err))
                failed = 1;
            else
                n_out++;
        }
    }
    if (failed) {
        /* what finished is not lost: rank 0 stores it, then sees the error */
        if (n_out)
            MPI_Send(out, n_out * (int)size, MPI_BYTE, 0, TAG_REQUEST, MPI_COMM_WORLD);
        MPI_Send(err.message, (int)strlen(err.message) + 1, MPI_CHAR, 0, TAG_ERROR, MPI_COMM_WORLD);
        if (n_out) {
            uint64_t ignored[CHUNK];
            MPI_Recv(ignored, CHUNK, MPI_UINT64_T, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
    }
    truce_tournament_worker_free(w);
    free(out);
    return failed ? EXIT_INPUT : EXIT_OK;
}

typedef struct coordinator {
    truce_tournament *t;
    truce_store *store;
    uint64_t *missing;
    size_t n_missing, cursor;
    int stop, failed;
    char error[1200];
    uint64_t ran;
} coordinator;

static size_t next_jobs(coordinator *c, uint64_t *jobs, size_t max)
{
    size_t n = 0;
    while (!c->stop && n < max && c->cursor < c->n_missing)
        jobs[n++] = c->missing[c->cursor++];
    return n;
}

static void fail(coordinator *c, const char *message)
{
    if (!c->failed)
        snprintf(c->error, sizeof c->error, "%s", message);
    c->failed = 1;
    c->stop = 1;
}

/* Store the packed results of a worker's message. */
static void store_results(coordinator *c, const unsigned char *bytes, size_t n)
{
    truce_error err;
    size_t size = truce_tournament_result_size(c->t);
    if (n % size) {
        fail(c, "a rank sent a message that is not a whole number of results");
        return;
    }
    /* the whole message in one statement; what precedes a refused result is kept */
    size_t stored;
    if (truce_store_add_packed_many(c->store, bytes, n / size, &stored, &err))
        fail(c, err.message);
    c->ran += stored;
}

/* Answer one message; returns 1 when that worker is done. */
static int serve(coordinator *c, MPI_Status *probe)
{
    int n;
    MPI_Get_count(probe, MPI_BYTE, &n);
    unsigned char *bytes = malloc((size_t)n + 1);
    if (!bytes) {
        fail(c, "out of memory");
        /* drain the message into a small buffer: MPI truncates it */
        char drain[1];
        MPI_Recv(drain, 0, MPI_BYTE, probe->MPI_SOURCE, probe->MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    } else {
        MPI_Recv(bytes, n, MPI_BYTE, probe->MPI_SOURCE, probe->MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        bytes[n] = '\0';
    }
    if (probe->MPI_TAG == TAG_ERROR) {
        char message[1200];
        snprintf(message, sizeof message, "rank %d: %s", probe->MPI_SOURCE,
                 bytes ? (const char *)bytes : "?");
        fail(c, message);
        free(bytes);
        return 1;
    }
    if (bytes)
        store_results(c, bytes, (size_t)n);
    free(bytes);
    uint64_t jobs[CHUNK];
    size_t k = next_jobs(c, jobs, CHUNK);
    MPI_Send(jobs, (int)k, MPI_UINT64_T, probe->MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
    return k == 0;
}

static int coordinate(coordinator *c, int ranks, tournament_args *a, truce_tournament_status *st)
{
    truce_error err;
    truce_tournament_worker *w = NULL;
    progress_state p;
    memset(&p, 0, sizeof p);
    p.quiet = a->quiet;
    p.tty = isatty(2);
    p.interval = 5;
    if (truce_tournament_worker_create(&w, c->t, &err))
        fail(c, err.message);
    unsigned char *own = malloc(truce_tournament_result_size(c->t));
    if (!own)
        fail(c, "out of memory");
    int active = ranks - 1;
    uint64_t batch = a->run.batch ? a->run.batch : 4096;
    double start = now_seconds(), last_commit = start, last_progress = 0;
    uint64_t committed_ran = 0;
    while (active > 0 || (!c->stop && c->cursor < c->n_missing)) {
        int flag = 1;
        MPI_Status probe;
        while (active > 0 && flag) {
            MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &probe);
            if (flag)
                active -= serve(c, &probe);
        }
        uint64_t job;
        if (own && next_jobs(c, &job, 1)) {
            if (truce_tournament_worker_run_packed(w, job, own, &err))
                fail(c, err.message);
            else
                store_results(c, own, truce_tournament_result_size(c->t));
        } else if (active > 0) {
            MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &probe);
            active -= serve(c, &probe);
        }
        double now = now_seconds();
        if (c->ran - committed_ran >= batch || now - last_commit >= 0.5) {
            if (truce_store_commit(c->store, &err))
                fail(c, err.message);
            committed_ran = c->ran;
            last_commit = now;
        }
        if (now - last_progress >= 0.1) {
            last_progress = now;
            if (tournament_progress(st->before + committed_ran, st->total, now - start, &p) &&
                !c->stop) {
                c->stop = 1;
                st->stopped = 1;
            }
        }
    }
    if (truce_store_commit(c->store, &err))
        fail(c, err.message);
    st->ran = c->ran;
    st->seconds = now_seconds() - start;
    tournament_progress(st->before + st->ran, st->total, st->seconds, &p);
    if (p.tty && !p.ended && !a->quiet)
        fputc('\n', stderr);
    truce_tournament_worker_free(w);
    free(own);
    return c->failed;
}

int tournament_mpi(int argc, char **argv)
{
    int provided, rank, ranks;
    MPI_Init_thread(NULL, NULL, MPI_THREAD_SINGLE, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    tournament_args a;
    truce_tournament *t = NULL;
    int rc;
    if (rank != 0) {
        /* only rank 0 speaks: the others have the same definition and
         * would repeat its errors */
        fclose(stderr);
        stderr = fopen("/dev/null", "w");
        fclose(stdout);
        stdout = fopen("/dev/null", "w");
    }
    rc = tournament_setup(argc, argv, &a, &t);
    int ok = rc == 0 && t != NULL, all_ok;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        truce_tournament_free(t);
        tournament_args_free(&a);
        MPI_Finalize();
        return rc ? rc : (ok ? EXIT_INPUT : EXIT_OK);
    }
    tournament_watch_signals();
    if (rank != 0) {
        rc = worker(t);
        tournament_run_over();
        truce_tournament_free(t);
        tournament_args_free(&a);
        MPI_Finalize();
        return rc;
    }
    coordinator c;
    memset(&c, 0, sizeof c);
    c.t = t;
    truce_tournament_status st;
    memset(&st, 0, sizeof st);
    st.total = truce_tournament_job_count(t);
    truce_error err;
    if (truce_store_open(&c.store, t, a.db, &err) ||
        truce_store_missing(c.store, &c.missing, &c.n_missing, &err)) {
        fail(&c, err.message);
    } else {
        st.before = st.total - c.n_missing;
        if (a.run.limit && a.run.limit < c.n_missing)
            c.n_missing = (size_t)a.run.limit;
    }
    coordinate(&c, ranks, &a, &st);
    tournament_run_over();
    truce_free(c.missing);
    truce_store_free(c.store);
    truce_tournament_free(t);
    if (c.failed)
        rc = cli_fail("tournament", "%s", c.error);
    else {
        if (!a.quiet && !st.stopped)
            fprintf(stderr, "(%d MPI ranks) ", ranks);
        rc = tournament_summary(&a, &st);
    }
    tournament_args_free(&a);
    MPI_Finalize();
    return rc;
}

#endif
