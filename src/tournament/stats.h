/* stats.h: the statistics of a tournament results database (stats.c), computed once and
 * written as JSON or CSV tables (stats_export.c); docs/results.md says what each one means. */
#ifndef TRUCE_TOURNAMENT_STATS_H
#define TRUCE_TOURNAMENT_STATS_H

#include <sqlite3.h>
#include <stdint.h>

#include "inference.h"
#include "truce.h"

/* The unit of every interval and test is the cell: one scenario, one matchup (agents in
 * seats), one seat, its repetitions averaged. A deterministic matchup repeated ten times is
 * one value, not ten. */

/* Pairwise tests are run between at most this many agents (k (k - 1) / 2 tests). */
#define STATS_MAX_TESTED_AGENTS 100
/* Differences whose Holm-adjusted p-value is below this are significant. */
#define STATS_ALPHA 0.05
/* A warning says the deadline decides results when at least this share of negotiations
 * ended there. */
#define STATS_DEADLINE_WARNING 0.10

typedef struct agent_stats {
    char *spec;
    uint64_t negotiations, agreements, deadlines, faults, cells;
    moments utility, welfare, pareto, nash; /* one value per cell */
    size_t rank;             /* 1-based position by mean utility; 0 without any cell */
    size_t rank_lo, rank_hi; /* the ranks the significant pairwise differences allow */
} agent_stats;

typedef struct scenario_stats {
    char *name;
    uint64_t negotiations, agreements, deadlines, faults, matchups;
    moments welfare, rounds, pareto, nash; /* one value per matchup */
} scenario_stats;

/* The Wilcoxon signed-rank test of agents a < b over their paired cells. */
typedef struct pair_test {
    size_t a, b;
    size_t pairs;           /* paired cells (zero differences included) */
    double mean_difference; /* mean of a's cell minus b's, NaN without pairs */
    wilcoxon w;
    double p_holm; /* Holm-adjusted over every pair tested */
    long better;   /* the agent significantly better, or -1 */
} pair_test;

typedef struct stats {
    char *name;
    uint64_t negotiations, jobs, repetitions, rounds;
    double seconds; /* the time deadline (0: rounds) */
    agent_stats *agents;
    size_t n_agents;
    scenario_stats *scenarios;
    size_t n_scenarios;
    moments *head_to_head; /* [row * n_agents + column]: row agent's cells against column */
    moments *by_scenario;  /* [agent * n_scenarios + scenario]: the agent's cells there */
    pair_test *pairs;      /* for i < j in agent order; none when too many agents */
    size_t n_pairs;
    int pairs_skipped; /* 1: more than STATS_MAX_TESTED_AGENTS agents */
    uint64_t deadlines;
    /* the scenarios left out under skip_unloadable (the stored definition): file name, stable
     * code (NULL in databases made before codes) and reason */
    size_t n_skipped;
    char **skipped_scenario, **skipped_code, **skipped_reason;
} stats;

/* Read the database at path and compute every statistic; on failure nothing is left to
 * free. Free with stats_free. */
int stats_compute(stats *out, const char *path, truce_error *err);
void stats_free(stats *s);

/* Open a results database read-only, refusing a file that is not one. */
int stats_open(sqlite3 **db, const char *path, truce_error *err);

#endif
