/* tournament.h: the tournament's internals shared by its modules: the
 * definition with its loaded scenarios, the job numbering, result records,
 * the SQLite results store and the statistics. */
#ifndef TRUCE_TOURNAMENT_TOURNAMENT_H
#define TRUCE_TOURNAMENT_TOURNAMENT_H

#include <sqlite3.h>
#include <stdint.h>

#include "truce.h"

/* The ordered agent tuples ("matchups") of one seat count: n x seats agent
 * indices, in lexicographic order. */
typedef struct matchup_set {
    size_t seats;
    uint64_t n;
    uint32_t *agents;
} matchup_set;

typedef struct tournament_scenario {
    char *path; /* as found (after glob and folder expansion) */
    truce_scenario *s;
    truce_space *sp;
    size_t seats;           /* principals: one agent each */
    const matchup_set *set; /* the matchups for this seat count */
    uint64_t first_job;     /* its jobs: [first_job, first_job + set->n * repetitions) */
} tournament_scenario;

/* A class wrapped around an agent written outside truce (watchdog.c): the same agent, ended
 * with a timeout fault at its first turn after `limit` seconds of the negotiation. The
 * wrapper's payload points at this struct, which must not move. */
typedef struct watchdog {
    truce_agent_class cls;
    const truce_agent_class *inner;
    double limit;
} watchdog;

void watchdog_init(watchdog *w, const truce_agent_class *inner, double limit);

struct truce_tournament {
    char *name;
    char **agents; /* agent specs as given, "name[:k=v...]" */
    size_t n_agents;
    truce_agent_spec *specs; /* parsed; params point into agents[]; external agents wrapped
                                in watch[] when there is a negotiation timeout */
    watchdog *watch;         /* one per agent (unused for built-in agents) */
    char **patterns;         /* scenario patterns as given */
    size_t n_patterns;
    tournament_scenario *sc;
    size_t n_scenarios;
    matchup_set *sets;
    size_t n_sets;
    uint64_t repetitions, rounds, seed;
    double seconds;             /* deadline in wall-clock seconds (0: in rounds) */
    double negotiation_timeout; /* wall-clock limit of a negotiation with external agents */
    int permutations, self_play;
    int clock, ties; /* truce_clock, truce_ties */
    int skip_unloadable, legacy;
    char **skipped_path, **skipped_reason; /* scenarios left out under skip_unloadable */
    size_t n_skipped;
    const char **skipped_code; /* static: why, stable across versions (skip_code) */
    uint32_t real_steps;
    uint64_t n_jobs;
    size_t max_seats, max_issues;
    char *definition; /* canonical JSON: what a results database must match */
};

/* A tournament definition file as read (definition_yaml.c), before its agents are parsed and
 * its scenarios expanded and loaded: d points into the other fields. The fuzz target
 * tests/fuzz/fuzz_tournament.c reads definitions through this without loading scenarios. */
typedef struct tournament_definition_file {
    truce_tournament_definition d;
    char *name, **agents, **scenarios; /* NULL-terminated lists */
    char folder[4096];                 /* the file's folder: d.base_dir */
} tournament_definition_file;

/* Read and check the file; on failure nothing is left to free. Free with
 * tournament_definition_file_free. */
int tournament_definition_read(tournament_definition_file *out, const char *path, truce_error *err);
void tournament_definition_file_free(tournament_definition_file *f);

/* Where a job sits: scenario, matchup (agents[k] plays seat k), repetition,
 * and its seed, derived from the master seed and the job number alone (so a
 * job gives the same result on any thread, rank or resumed run). */
typedef struct job_info {
    size_t scenario;
    uint64_t matchup;
    const uint32_t *agents;
    uint64_t repetition;
    uint64_t seed;
} job_info;

void tournament_job(const truce_tournament *t, uint64_t job, job_info *out);

/* The result of one negotiation. The arrays hold max_seats / max_issues
 * entries (record_size() bytes in all, laid out by record_init). */
#define FAULT_MESSAGE_SIZE 512

typedef struct record {
    uint64_t job, seed, rounds;
    uint32_t scenario;
    uint64_t matchup, repetition;
    int agreement;
    const char *end; /* static string: agreement, deadline, walk-away, fault */
    int end_index;   /* its index in record_ends */
    double time;     /* relative time the negotiation ended */
    long fault_seat; /* -1 when nobody was at fault */
    double pareto, nash, welfare;
    double elapsed; /* seconds of wall-clock time */
    size_t seats, issues;
    uint32_t *agents;
    double *utility, *utility_undiscounted;
    uint32_t *outcome; /* NULL-equivalent: agreement == 0 */
    char fault_message[FAULT_MESSAGE_SIZE];
    /* the row's text columns, formatted by record_format (by the worker,
     * so that the thread writing the database only binds them): offsets in
     * the text area that follows the arrays */
    int formatted;
    size_t text_agents, text_utility, text_undiscounted, text_outcome, text_seed, text_end;
} record;

extern const char *const record_ends[5];

size_t record_size(const truce_tournament *t);
/* Lay out a record in `size` bytes at mem (aligned for doubles). */
record *record_init(const truce_tournament *t, void *mem);
/* The record's text area, and its columns as JSON arrays and the seed in
 * decimal. */
char *record_text(const truce_tournament *t, const record *r);
void record_format(const truce_tournament *t, record *r);

/* A record as bytes for another process of the same build (the MPI ranks):
 * record_size bytes; unpacking relinks the arrays and checks the record
 * against the tournament. */
int record_unpack(const truce_tournament *t, const void *bytes, record *r, truce_error *err);

/* A worker runs jobs, keeping the last negotiation handle for the next job
 * of the same matchup. One per thread. */
struct truce_tournament_worker {
    const truce_tournament *t;
    truce_negotiation *ng;
    size_t scenario;
    uint64_t matchup;
    truce_agent_spec *specs;
    void *scratch; /* a record for truce_tournament_worker_run */
};

int worker_run(truce_tournament_worker *w, uint64_t job, record *r, truce_error *err);

/* Records as JSON (the MPI transport) and back. */
char *record_to_json(const truce_tournament *t, const record *r);
int record_from_json(const truce_tournament *t, const char *json, record *r, truce_error *err);

/* The results store. */
struct truce_store {
    sqlite3 *db;
    char *path;
    const truce_tournament *t;
    sqlite3_stmt *insert_negotiation; /* one row */
    sqlite3_stmt *insert_many;        /* a batch: INSERT ... SELECT FROM truce_batch(?1) */
    int in_transaction;
    uint64_t pending_rows;
    int created; /* store_prepare made the tables (the database was empty) */
    unsigned char *unpacked; /* truce_store_add_packed_many's records */
    size_t unpacked_capacity; /* records it holds */
    /* the jobs in the database, this transaction's rows included (bit j: job j): the store
     * refuses a job stored already itself, as the negotiations table of schema version 4 has
     * no key on job. Read from the table when not valid (at the first transaction, after a
     * failed statement or commit) or when another connection has committed since
     * (PRAGMA data_version, read under the write lock of BEGIN IMMEDIATE) */
    unsigned char *stored;
    int stored_valid;
    sqlite3_int64 stored_version;
    sqlite3_stmt *data_version;
};

/* truce_store_open in two steps, so that a run on a new database can start its workers while
 * the second makes the file (its fsyncs take milliseconds; runner.c). store_connect opens the
 * file and refuses what is not this tournament's without changing anything; *empty says it
 * holds nothing yet. store_prepare switches to WAL, makes or upgrades the tables and prepares
 * the statements; on failure it frees the store. */
int store_connect(truce_store **out, const truce_tournament *t, const char *path, int *empty,
                  truce_error *err);
int store_prepare(truce_store *st, int empty, truce_error *err);

int store_add(truce_store *st, const record *r, truce_error *err);
/* Add n records laid out every `stride` bytes; *stored says how many were added (all but
 * what follows an error). */
int store_add_many(truce_store *st, const unsigned char *records, size_t stride, size_t n,
                   size_t *stored, truce_error *err);

/* Bitmap (bit j: job j) of the jobs stored already, and their number. */
int store_done(truce_store *st, unsigned char **done, uint64_t *count, truce_error *err);

/* SQLite failure as a truce_error naming the database. */
int store_error(truce_error *err, sqlite3 *db, const char *path, const char *what);

#endif
