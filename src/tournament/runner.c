/* runner.c: running a tournament on worker threads: workers take chunks of
 * missing jobs and hand back batches of records; the calling thread alone
 * writes them to the database, commits in batches and reports progress. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/error.h"
#include "tournament.h"

typedef struct batch {
    struct batch *next;
    size_t n;
    unsigned char *records; /* n records of record_size bytes */
} batch;

/* What one worker thread holds, kept where every thread can reach it: a worker stuck in an
 * agent when the process ends after a stop (truce tournament's grace), or a copy of the process
 * forked from another worker (a proc: agent's keeper), then leaves nothing that only its own
 * stack knew of. */
typedef struct worker_slot {
    uint64_t *jobs; /* `chunk` job numbers */
    truce_tournament_worker *w;
    batch *b; /* the batch being filled, until handed over */
} worker_slot;

typedef struct shared {
    const truce_tournament *t;
    const unsigned char *done;
    size_t record_bytes;
    size_t chunk;
    unsigned threads; /* workers started */
    pthread_mutex_t lock;
    pthread_cond_t ready;
    uint64_t cursor;  /* next job number to look at */
    uint64_t budget;  /* jobs still to hand out */
    atomic_int stop;  /* set by the writer (progress said stop) or a failing worker */
    unsigned running; /* workers not yet finished */
    batch *head, *tail;
    batch *spare; /* batches the writer has stored, for the workers to fill again */
    int failed;
    truce_error error;  /* the first worker error */
    uint64_t *jobs;     /* the workers' job lists, `chunk` numbers each */
    worker_slot *slots; /* one per thread */
    unsigned next_slot; /* the next worker's slot */
    pthread_t *tid;
    truce_store *st; /* the writer's, reachable from the workers for the same reason */
} shared;

static int is_done(const unsigned char *done, uint64_t job)
{
    return (done[job / 8] >> (job % 8)) & 1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Up to `chunk` missing jobs, in job order (so that repetitions of one
 * matchup stay on one worker and reuse its negotiation), and a stored batch to fill again if
 * there is one (*b, else NULL): no allocation per batch once the run is going. Near the end,
 * fewer: a share of what is left (half of it over the workers), so that they finish together
 * instead of one running its last whole chunk alone while the other cores wait (64 jobs of
 * up to 20 us each, bench_tournament). */
static size_t take_jobs(shared *sh, uint64_t *jobs, batch **b)
{
    size_t n = 0;
    *b = NULL;
    pthread_mutex_lock(&sh->lock);
    uint64_t share = sh->budget / (2 * (uint64_t)(sh->threads ? sh->threads : 1));
    size_t want = share < sh->chunk ? (share ? (size_t)share : 1) : sh->chunk;
    while (!sh->stop && n < want && sh->budget > 0 && sh->cursor < sh->t->n_jobs) {
        uint64_t j = sh->cursor++;
        if (!is_done(sh->done, j)) {
            jobs[n++] = j;
            sh->budget--;
        }
    }
    if (n > 0 && sh->spare) {
        *b = sh->spare;
        sh->spare = (*b)->next;
    }
    pthread_mutex_unlock(&sh->lock);
    return n;
}

/* Whether the run is stopping: a worker checks between jobs, so that a stop does not wait for
 * the rest of its chunk (slow program agents can take seconds each). */
static int stopping(shared *sh)
{
    return atomic_load_explicit(&sh->stop, memory_order_relaxed);
}

static void free_batches(batch *b)
{
    while (b) {
        batch *next = b->next;
        free(b->records);
        free(b);
        b = next;
    }
}

static void hand_over(shared *sh, worker_slot *slot)
{
    pthread_mutex_lock(&sh->lock);
    batch *b = slot->b;
    slot->b = NULL;
    if (sh->tail)
        sh->tail->next = b;
    else
        sh->head = b;
    sh->tail = b;
    pthread_cond_signal(&sh->ready);
    pthread_mutex_unlock(&sh->lock);
}

static void fail_worker(shared *sh, const truce_error *e)
{
    pthread_mutex_lock(&sh->lock);
    if (!sh->failed) {
        sh->failed = 1;
        sh->error = *e;
    }
    sh->stop = 1;
    pthread_mutex_unlock(&sh->lock);
}

static void *work(void *arg)
{
    shared *sh = arg;
    truce_error e;
    pthread_mutex_lock(&sh->lock);
    worker_slot *slot = &sh->slots[sh->next_slot++];
    pthread_mutex_unlock(&sh->lock);
    uint64_t *jobs = slot->jobs;
    if (truce_tournament_worker_create(&slot->w, sh->t, &e)) {
        fail_worker(sh, &e);
    } else {
        size_t n;
        batch *b;
        while ((n = take_jobs(sh, jobs, &b)) > 0) {
            if (!b) { /* every batch holds `chunk` records, so that any can be filled again */
                b = malloc(sizeof *b);
                unsigned char *mem = malloc(sh->chunk * sh->record_bytes);
                if (!b || !mem) {
                    free(b);
                    free(mem);
                    error_nomem(&e);
                    fail_worker(sh, &e);
                    break;
                }
                b->records = mem;
            }
            unsigned char *mem = b->records;
            b->next = NULL;
            b->n = 0;
            slot->b = b;
            int rc = 0;
            for (size_t i = 0; i < n && !rc && (i == 0 || !stopping(sh)); i++) {
                record *r = record_init(sh->t, mem + i * sh->record_bytes);
                if (!(rc = worker_run(slot->w, jobs[i], r, &e)))
                    b->n++;
            }
            hand_over(sh, slot); /* what ran is kept even when a job failed */
            if (rc) {
                fail_worker(sh, &e);
                break;
            }
        }
    }
    truce_tournament_worker_free(slot->w);
    slot->w = NULL;
    pthread_mutex_lock(&sh->lock);
    sh->running--;
    pthread_cond_signal(&sh->ready);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 4096 ? (unsigned)n : 1;
}

/* The writer's loop: store batches as they come, commit every `rows` rows
 * or half a second, report progress; returns the first store error. */
static int write_results(shared *sh, truce_store *st, const truce_tournament_run_options *o,
                         uint64_t rows, truce_tournament_status *status, truce_error *err)
{
    double start = now_seconds(), last_commit = start, last_progress = start;
    int rc = 0;
    /* once at the start, so that rates count only this run's work */
    if (o->progress && o->progress(status->before, status->total, 0, o->progress_payload)) {
        status->stopped = 1;
        pthread_mutex_lock(&sh->lock);
        sh->stop = 1;
        pthread_mutex_unlock(&sh->lock);
    }
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        while (!sh->head && sh->running > 0) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 100 * 1000 * 1000;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            if (pthread_cond_timedwait(&sh->ready, &sh->lock, &until) == ETIMEDOUT)
                break;
        }
        batch *got = sh->head;
        sh->head = sh->tail = NULL;
        int finished = sh->running == 0, stopping = sh->stop;
        pthread_mutex_unlock(&sh->lock);
        batch *last = NULL;
        for (batch *b = got; b; b = b->next) {
            size_t stored = 0;
            if (!rc)
                rc = store_add_many(st, b->records, sh->record_bytes, b->n, &stored, err);
            status->ran += stored;
            /* every `rows` rows even when many batches waited (as at the start of a run on a
             * new database, whose tables are made while the workers run) */
            if (!rc && st->pending_rows >= rows)
                rc = truce_store_commit(st, err);
            last = b;
        }
        if (last) { /* stored: the workers fill them again */
            pthread_mutex_lock(&sh->lock);
            last->next = sh->spare;
            sh->spare = got;
            pthread_mutex_unlock(&sh->lock);
        }
        double now = now_seconds();
        /* once stopping, every row is committed as it comes: the caller may end the process
         * without waiting for a worker stuck in an agent (truce tournament does, after a grace) */
        if (!rc && st->pending_rows > 0 &&
            (st->pending_rows >= rows || now - last_commit >= 0.5 || finished || stopping))
            rc = truce_store_commit(st, err);
        if (st->pending_rows == 0)
            last_commit = now;
        if (rc) {
            pthread_mutex_lock(&sh->lock);
            sh->stop = 1;
            pthread_mutex_unlock(&sh->lock);
        }
        if (o->progress && (now - last_progress >= 0.1 || finished)) {
            last_progress = now;
            /* progress reports what is committed */
            uint64_t committed = status->before + status->ran - st->pending_rows;
            if (o->progress(committed, status->total, now - start, o->progress_payload)) {
                pthread_mutex_lock(&sh->lock);
                if (!sh->stop)
                    status->stopped = 1;
                sh->stop = 1;
                pthread_mutex_unlock(&sh->lock);
            }
        }
        if (finished)
            return rc;
    }
}

int truce_tournament_run(truce_tournament *t, const char *db,
                         const truce_tournament_run_options *opts, truce_tournament_status *status,
                         truce_error *err)
{
    error_clear(err);
    truce_tournament_run_options defaults = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    const truce_tournament_run_options *o = opts ? opts : &defaults;
    truce_tournament_status ignored;
    if (!status)
        status = &ignored;
    memset(status, 0, sizeof *status);
    if (!t || !db)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (o->version != TRUCE_TOURNAMENT_RUN_OPTIONS_VERSION)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "options",
                         "truce_tournament_run_options version %d is not %d", o->version,
                         TRUCE_TOURNAMENT_RUN_OPTIONS_VERSION);
    double start = now_seconds();
    status->total = t->n_jobs;
    truce_store *st;
    int empty;
    int rc = store_connect(&st, t, db, &empty, err);
    if (rc)
        return rc;
    /* a new database has no results: the workers start at once and the tables are made while
     * they run (switching a new file to WAL and making the tables take several fsyncs, time a
     * run would otherwise spend with every core idle) */
    int deferred = empty;
    if (!deferred && (rc = store_prepare(st, 0, err)))
        return rc;
    unsigned char *done = NULL;
    uint64_t count = 0;
    if (deferred ? !(done = calloc(t->n_jobs / 8 + 1, 1))
                 : (rc = store_done(st, &done, &count, err)) != 0) {
        truce_store_free(st);
        return rc ? rc : error_nomem(err);
    }
    status->before = count;
    uint64_t missing = t->n_jobs - count;
    uint64_t budget = o->limit && o->limit < missing ? o->limit : missing;
    unsigned threads = o->threads ? o->threads : default_threads();
    if (threads > 1024)
        threads = 1024;
    if (budget < threads)
        threads = budget ? (unsigned)budget : 1;
    shared *sh = calloc(1, sizeof *sh);
    if (!sh) {
        free(done);
        truce_store_free(st);
        return error_nomem(err);
    }
    atomic_init(&sh->stop, 0);
    sh->st = st;
    sh->t = t;
    sh->done = done;
    sh->record_bytes = record_size(t);
    sh->budget = budget;
    sh->chunk = (size_t)(budget / ((uint64_t)threads * 16));
    if (sh->chunk < 1)
        sh->chunk = 1;
    if (sh->chunk > 64)
        sh->chunk = 64;
    pthread_mutex_init(&sh->lock, NULL);
    pthread_cond_init(&sh->ready, NULL);
    pthread_t *tid = sh->tid = calloc(threads, sizeof *tid);
    sh->jobs = calloc((size_t)threads * sh->chunk, sizeof *sh->jobs);
    sh->slots = calloc(threads, sizeof *sh->slots);
    unsigned started = 0;
    if (!tid || !sh->jobs || !sh->slots)
        rc = error_nomem(err);
    for (unsigned i = 0; !rc && i < threads; i++)
        sh->slots[i].jobs = sh->jobs + (size_t)i * sh->chunk;
    for (unsigned i = 0; !rc && i < threads; i++) {
        pthread_mutex_lock(&sh->lock);
        sh->running++;
        pthread_mutex_unlock(&sh->lock);
        if (pthread_create(&tid[i], NULL, work, sh)) {
            pthread_mutex_lock(&sh->lock);
            sh->running--;
            pthread_mutex_unlock(&sh->lock);
            if (started == 0)
                rc = error_set(err, TRUCE_ENOMEM, NULL, 0, "threads",
                               "cannot start a worker thread");
            break;
        }
        started++;
        pthread_mutex_lock(&sh->lock);
        sh->threads = started;
        pthread_mutex_unlock(&sh->lock);
    }
    int again = 0; /* another process made the tables after we looked */
    if (started > 0 && deferred) {
        if ((rc = store_prepare(st, 1, err)))
            st = sh->st = NULL; /* freed */
        else if (!st->created)
            again = 1;
        if (rc || again) {
            pthread_mutex_lock(&sh->lock);
            sh->stop = 1;
            pthread_mutex_unlock(&sh->lock);
        }
    }
    if (started > 0 && (rc || again)) {
        /* nothing the workers ran is stored: what is there may hold some of it */
        for (unsigned i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
        free_batches(sh->head);
        sh->head = NULL;
    } else if (started > 0) {
        rc = write_results(sh, st, o, o->batch ? o->batch : 4096, status, err);
        for (unsigned i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
        int crc = truce_store_commit(st, rc ? NULL : err);
        if (!rc)
            rc = crc;
        if (!rc && sh->failed) {
            if (err)
                *err = sh->error;
            rc = sh->error.code ? sh->error.code : TRUCE_EINVAL;
        }
    }
    free_batches(sh->spare);
    free(tid);
    free(sh->jobs);
    free(sh->slots);
    free(done);
    pthread_mutex_destroy(&sh->lock);
    pthread_cond_destroy(&sh->ready);
    free(sh);
    truce_store_free(st);
    if (again) /* as a resumed run, the tables made */
        return truce_tournament_run(t, db, opts, status, err);
    status->seconds = now_seconds() - start;
    return rc;
}
