/* tournament_cli.h: what `truce tournament`, its MPI driver and `truce results`
 * share: the parsed command line, progress display and statistics output. */
#ifndef TRUCE_CLI_TOURNAMENT_H
#define TRUCE_CLI_TOURNAMENT_H

#include <stdint.h>

#include "truce.h"

typedef struct tournament_args {
    truce_tournament_definition def;
    truce_tournament_run_options run;
    const char *agents; /* --agents as given */
    const char *db;
    const char *file; /* the YAML definition, or NULL */
    int quiet, json;
    char **paths;
    int n_paths;
    char *agent_buf;
    char **agent_list;
} tournament_args;

/* Parse the command line and build the tournament (*out stays NULL after
 * --help). Returns the exit status. */
int tournament_setup(int argc, char **argv, tournament_args *a, truce_tournament **out);
void tournament_args_free(tournament_args *a);

typedef struct progress_state {
    int quiet, tty, ended;
    double started, last_line, interval;
    uint64_t first_done;
} progress_state;

/* A truce_progress_fn drawing progress on stderr; it returns non-zero once
 * SIGINT or SIGTERM arrived (see tournament_watch_signals). */
int tournament_progress(uint64_t done, uint64_t total, double elapsed, void *payload);
/* Catch SIGINT and SIGTERM: the first asks the run to stop (progress returns non-zero) and
 * starts a watchdog that ends the process a few seconds later unless tournament_run_over() was
 * called (a worker stuck in an agent must not keep the process alive); a second signal ends the
 * process at once. */
void tournament_watch_signals(void);
void tournament_run_over(void);
int tournament_signal_pending(void);
/* 130 after SIGINT, 143 after SIGTERM. */
int tournament_stopped_status(void);
/* The closing summary and, when the tournament is complete, its table; after
 * a stop, where it got and the stop's exit status (130 or 143). */
int tournament_summary(const tournament_args *a, const truce_tournament_status *st);

/* MPI: whether this process was started by mpirun (and truce was built
 * with MPI), and the driver that then runs the tournament over the ranks. */
int tournament_mpi_active(void);
int tournament_mpi(int argc, char **argv);

enum results_view { RESULTS_ALL, RESULTS_AGENTS, RESULTS_JSON };
/* Print a results database's statistics on stdout. Returns the exit status. */
int results_print(const char *db, enum results_view view);

#endif
