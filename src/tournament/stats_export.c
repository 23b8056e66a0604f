/* stats_export.c: a results database's statistics (stats.c) as one JSON document and as CSV
 * tables (agents, scenarios, head to head, agent x scenario, pairwise tests, negotiations),
 * with the warnings a reader needs (the deadline deciding results, tests that cannot reach
 * significance). */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "stats.h"
#include "tournament.h"

static json_t *real_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *summary_json(const moments *m)
{
    summary s;
    summary_of(&s, m);
    return json_pack("{s:I, s:o, s:o, s:[o, o]}", "n", (json_int_t)s.n, "mean",
                     real_or_null(s.mean), "sd", real_or_null(s.sd), "ci95", real_or_null(s.lo),
                     real_or_null(s.hi));
}

static double rate(uint64_t part, uint64_t all)
{
    return all ? (double)part / (double)all : NAN;
}

/* The deadline as a phrase: "100 rounds", "180 s". */
static void deadline_text(const stats *s, char *buf, size_t size)
{
    if (s->seconds > 0)
        snprintf(buf, size, "%g s", s->seconds);
    else
        snprintf(buf, size, "%llu rounds", (unsigned long long)s->rounds);
}

static json_t *warnings_json(const stats *s)
{
    json_t *w = json_array();
    char text[600], deadline[64];
    deadline_text(s, deadline, sizeof deadline);
    double share = rate(s->deadlines, s->negotiations);
    if (share >= STATS_DEADLINE_WARNING) {
        snprintf(text, sizeof text,
                 "%llu of %llu negotiations (%.0f%%) ended at the deadline (%s) without "
                 "agreement: the deadline, not only the strategies, may decide these results; "
                 "run the tournament again with a later deadline (e.g. %s) to see whether the "
                 "ranking holds",
                 (unsigned long long)s->deadlines, (unsigned long long)s->negotiations, 100 * share,
                 deadline, s->seconds > 0 ? "more --seconds" : "--rounds 1000");
        json_array_append_new(w, json_string(text));
    }
    if (s->pairs_skipped) {
        snprintf(text, sizeof text,
                 "no pairwise tests: %zu agents are more than the %d tested (query the "
                 "database or the CSV tables for the pairs you need)",
                 s->n_agents, STATS_MAX_TESTED_AGENTS);
        json_array_append_new(w, json_string(text));
    }
    size_t few = 0;
    for (size_t m = 0; m < s->n_pairs; m++)
        few += s->pairs[m].w.n > 0 && s->pairs[m].w.n < 6;
    if (few) {
        snprintf(text, sizeof text,
                 "%zu pair%s of agents differ in fewer than 6 paired cells: no two-sided "
                 "Wilcoxon test on 5 or fewer differences can reach p < 0.05 (run more "
                 "scenarios)",
                 few, few == 1 ? "" : "s");
        json_array_append_new(w, json_string(text));
    }
    return w;
}

static json_t *agent_json(const stats *s, size_t i)
{
    const agent_stats *a = &s->agents[i];
    json_t *better = json_array(), *worse = json_array();
    for (size_t m = 0; m < s->n_pairs; m++) {
        const pair_test *p = &s->pairs[m];
        if (p->better < 0 || (p->a != i && p->b != i))
            continue;
        size_t other = p->a == i ? p->b : p->a;
        json_array_append_new((size_t)p->better == i ? better : worse,
                              json_string(s->agents[other].spec));
    }
    json_t *rank = a->rank ? json_integer((json_int_t)a->rank) : json_null();
    json_t *range =
        a->rank ? json_pack("[I, I]", (json_int_t)a->rank_lo, (json_int_t)a->rank_hi) : json_null();
    return json_pack(
        "{s:s, s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o}", "agent", a->spec,
        "rank", rank, "rank_range", range, "negotiations", (json_int_t)a->negotiations, "cells",
        (json_int_t)a->cells, "utility", summary_json(&a->utility), "agreement_rate",
        real_or_null(rate(a->agreements, a->negotiations)), "deadline_rate",
        real_or_null(rate(a->deadlines, a->negotiations)), "welfare", summary_json(&a->welfare),
        "pareto_distance", summary_json(&a->pareto), "nash_distance", summary_json(&a->nash),
        "faults", (json_int_t)a->faults, "better_than", better, "worse_than", worse);
}

static json_t *scenario_json(const scenario_stats *c)
{
    return json_pack(
        "{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "scenario", c->name, "negotiations",
        (json_int_t)c->negotiations, "matchups", (json_int_t)c->matchups, "agreement_rate",
        real_or_null(rate(c->agreements, c->negotiations)), "deadline_rate",
        real_or_null(rate(c->deadlines, c->negotiations)), "welfare", summary_json(&c->welfare),
        "rounds", summary_json(&c->rounds), "pareto_distance", summary_json(&c->pareto),
        "nash_distance", summary_json(&c->nash), "faults", (json_int_t)c->faults);
}

/* A rows x columns matrix of means and counts. */
static json_t *matrix_json(const moments *m, size_t rows, size_t columns, const char *key,
                           json_t *row_names, json_t *column_names)
{
    json_t *mean = json_array(), *count = json_array();
    for (size_t i = 0; i < rows; i++) {
        json_t *row = json_array(), *nrow = json_array();
        for (size_t j = 0; j < columns; j++) {
            const moments *c = &m[i * columns + j];
            json_array_append_new(row, c->n ? real_or_null(c->mean) : json_null());
            json_array_append_new(nrow, json_integer((json_int_t)c->n));
        }
        json_array_append_new(mean, row);
        json_array_append_new(count, nrow);
    }
    if (column_names)
        return json_pack("{s:o, s:o, s:o, s:o}", "agents", row_names, key, column_names, "mean",
                         mean, "n", count);
    return json_pack("{s:o, s:o, s:o}", "agents", row_names, "mean", mean, "n", count);
}

static json_t *pair_json(const stats *s, const pair_test *p)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:o}", "a",
                     s->agents[p->a].spec, "b", s->agents[p->b].spec, "pairs", (json_int_t)p->pairs,
                     "zeros", (json_int_t)p->w.zeros, "n", (json_int_t)p->w.n, "w_plus",
                     real_or_null(p->w.w_plus), "w_minus", real_or_null(p->w.w_minus),
                     "mean_difference", real_or_null(p->mean_difference), "p",
                     real_or_null(p->pairs ? p->w.p : NAN), "p_holm", real_or_null(p->p_holm),
                     "exact", p->w.exact && p->w.n > 0, "significant", p->better >= 0, "better",
                     p->better >= 0 ? json_string(s->agents[p->better].spec) : json_null());
}

static json_t *stats_json(const stats *s)
{
    json_t *agents = json_array(), *scenarios = json_array(), *pairs = json_array();
    json_t *agent_names = json_array(), *scenario_names = json_array();
    for (size_t i = 0; i < s->n_agents; i++) {
        json_array_append_new(agents, agent_json(s, i));
        json_array_append_new(agent_names, json_string(s->agents[i].spec));
    }
    for (size_t i = 0; i < s->n_scenarios; i++) {
        json_array_append_new(scenarios, scenario_json(&s->scenarios[i]));
        json_array_append_new(scenario_names, json_string(s->scenarios[i].name));
    }
    for (size_t m = 0; m < s->n_pairs; m++)
        json_array_append_new(pairs, pair_json(s, &s->pairs[m]));
    json_t *deadline = s->seconds > 0 ? json_pack("{s:f}", "seconds", s->seconds)
                                      : json_pack("{s:I}", "rounds", (json_int_t)s->rounds);
    json_t *h2h =
        matrix_json(s->head_to_head, s->n_agents, s->n_agents, NULL, json_copy(agent_names), NULL);
    json_t *by_scenario = matrix_json(s->by_scenario, s->n_agents, s->n_scenarios, "scenarios",
                                      json_copy(agent_names), json_copy(scenario_names));
    json_decref(agent_names);
    json_decref(scenario_names);
    json_t *skipped = json_array();
    for (size_t i = 0; i < s->n_skipped; i++)
        json_array_append_new(skipped, json_pack("{s:s, s:s?, s:s}", "scenario",
                                                 s->skipped_scenario[i], "code", s->skipped_code[i],
                                                 "reason", s->skipped_reason[i]));
    return json_pack(
        "{s:s, s:I, s:I, s:b, s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:{s:s, s:s, s:s, s:f, "
        "s:b, s:o}, s:o, s:o}",
        "tournament", s->name, "negotiations", (json_int_t)s->negotiations, "jobs",
        (json_int_t)s->jobs, "complete", s->negotiations == s->jobs, "repetitions",
        (json_int_t)s->repetitions, "deadline", deadline, "unit", "cell", "deadline_rate",
        real_or_null(rate(s->deadlines, s->negotiations)), "agents", agents, "scenarios", scenarios,
        "head_to_head", h2h, "agent_scenario", by_scenario, "pairwise", "test",
        "wilcoxon-signed-rank", "pairing", "same scenario, seat and other agents", "correction",
        "holm", "alpha", STATS_ALPHA, "skipped", s->pairs_skipped, "pairs", pairs, "warnings",
        warnings_json(s), "skipped_scenarios", skipped);
}

int truce_results_stats(char **out, const char *db, truce_error *err)
{
    error_clear(err);
    if (!out || !db)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    stats s;
    int rc = stats_compute(&s, db, err);
    if (rc)
        return rc;
    json_t *j = stats_json(&s);
    stats_free(&s);
    char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(j);
    if (!text)
        return error_nomem(err);
    *out = text;
    return 0;
}

/* A growing text for CSV output. */
typedef struct text {
    char *p;
    size_t n, cap;
    int failed;
} text;

static void put(text *t, const char *fmt, ...) TRUCE_PRINTF(2, 3);

static void put(text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(t->p ? t->p + t->n : NULL, t->p ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        if (w < 0) {
            t->failed = 1;
            return;
        }
        if (t->p && (size_t)w < t->cap - t->n) {
            t->n += (size_t)w;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->n + (size_t)w + 1)
            cap *= 2;
        char *bigger = realloc(t->p, cap);
        if (!bigger) {
            t->failed = 1;
            return;
        }
        t->p = bigger;
        t->cap = cap;
    }
}

/* A CSV field of text: quoted when it holds a comma, quote or line break. Text starting with
 * = + - @, a tab or a carriage return is what spreadsheets run as a formula (=HYPERLINK(...),
 * @SUM(...)): as OWASP recommends for CSV injection, it gets a leading single quote and the
 * field is quoted (numbers are written as numbers, never through here). */
static void put_field(text *t, const char *s)
{
    int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        put(t, "%s", s);
        return;
    }
    put(t, formula ? "\"'" : "\"");
    for (; *s; s++)
        put(t, *s == '"' ? "\"\"" : "%c", *s);
    put(t, "\"");
}

static void put_real(text *t, double v)
{
    if (isfinite(v))
        put(t, ",%.10g", v);
    else
        put(t, ",");
}

static void put_summary(text *t, const moments *m)
{
    summary s;
    summary_of(&s, m);
    put_real(t, s.mean);
    put_real(t, s.lo);
    put_real(t, s.hi);
}

static void put_count(text *t, uint64_t v)
{
    put(t, ",%llu", (unsigned long long)v);
}

static void csv_agents(text *t, const stats *s)
{
    put(t, "agent,negotiations,utility_mean,utility_ci95_low,utility_ci95_high,utility_sd,"
           "agreement_rate,welfare_mean,welfare_ci95_low,welfare_ci95_high,"
           "pareto_distance_mean,nash_distance_mean,faults,cells,rank,rank_low,rank_high,"
           "deadline_rate\r\n");
    for (size_t i = 0; i < s->n_agents; i++) {
        const agent_stats *a = &s->agents[i];
        summary u;
        summary_of(&u, &a->utility);
        put_field(t, a->spec);
        put_count(t, a->negotiations);
        put_summary(t, &a->utility);
        put_real(t, u.sd);
        put_real(t, rate(a->agreements, a->negotiations));
        put_summary(t, &a->welfare);
        put_real(t, a->pareto.n ? a->pareto.mean : NAN);
        put_real(t, a->nash.n ? a->nash.mean : NAN);
        put_count(t, a->faults);
        put_count(t, a->cells);
        if (a->rank) {
            put_count(t, a->rank);
            put_count(t, a->rank_lo);
            put_count(t, a->rank_hi);
        } else {
            put(t, ",,,");
        }
        put_real(t, rate(a->deadlines, a->negotiations));
        put(t, "\r\n");
    }
}

static void csv_scenarios(text *t, const stats *s)
{
    put(t, "scenario,negotiations,agreement_rate,welfare_mean,welfare_ci95_low,"
           "welfare_ci95_high,rounds_mean,pareto_distance_mean,nash_distance_mean,faults,"
           "matchups,deadline_rate\r\n");
    for (size_t i = 0; i < s->n_scenarios; i++) {
        const scenario_stats *c = &s->scenarios[i];
        put_field(t, c->name);
        put_count(t, c->negotiations);
        put_real(t, rate(c->agreements, c->negotiations));
        put_summary(t, &c->welfare);
        put_real(t, c->rounds.n ? c->rounds.mean : NAN);
        put_real(t, c->pareto.n ? c->pareto.mean : NAN);
        put_real(t, c->nash.n ? c->nash.mean : NAN);
        put_count(t, c->faults);
        put_count(t, c->matchups);
        put_real(t, rate(c->deadlines, c->negotiations));
        put(t, "\r\n");
    }
}

/* Rows of (row name, column name, mean, CI, n) for every pair that has a value. */
static void csv_matrix(text *t, const stats *s, const moments *m, size_t columns,
                       const char *header, int by_scenario)
{
    put(t, "%s", header);
    for (size_t i = 0; i < s->n_agents; i++)
        for (size_t j = 0; j < columns; j++) {
            const moments *c = &m[i * columns + j];
            if (!c->n)
                continue;
            put_field(t, s->agents[i].spec);
            put(t, ",");
            put_field(t, by_scenario ? s->scenarios[j].name : s->agents[j].spec);
            put_summary(t, c);
            put(t, ",%.0f\r\n", c->n);
        }
}

static void csv_pairwise(text *t, const stats *s)
{
    put(t, "agent_a,agent_b,pairs,zeros,n,w_plus,w_minus,mean_difference,p,p_holm,exact,"
           "significant,better\r\n");
    for (size_t m = 0; m < s->n_pairs; m++) {
        const pair_test *p = &s->pairs[m];
        put_field(t, s->agents[p->a].spec);
        put(t, ",");
        put_field(t, s->agents[p->b].spec);
        put_count(t, p->pairs);
        put_count(t, p->w.zeros);
        put_count(t, p->w.n);
        put_real(t, p->w.w_plus);
        put_real(t, p->w.w_minus);
        put_real(t, p->mean_difference);
        put_real(t, p->pairs ? p->w.p : NAN);
        put_real(t, p->p_holm);
        put(t, ",%d,%d,", p->w.exact && p->w.n > 0, p->better >= 0);
        if (p->better >= 0)
            put_field(t, s->agents[p->better].spec);
        put(t, "\r\n");
    }
}

/* One row per negotiation and seat, straight from the database. */
static int csv_negotiations(text *t, const char *path, truce_error *err)
{
    sqlite3 *db;
    int rc = stats_open(&db, path, err);
    if (rc)
        return rc;
    sqlite3_stmt *q;
    /* the outcome's labels come from the options table (schema version 2); a database of
     * version 1 opened read-only has none: the column is left empty. Everything of a row comes
     * from that row (its seats from json_each of its agents, the labels by the options' key):
     * from version 4 on, no key on job, so a lookup by job would scan the table */
    const char *sql =
        "SELECT n.job, s.name, n.repetition, n.seed, CAST(st.key AS INTEGER) AS seat, a.spec,"
        " json_extract(s.parties_json, '$[' || st.key || ']'),"
        " json_extract(n.utility, '$[' || st.key || ']'),"
        " json_extract(n.utility_undiscounted, '$[' || st.key || ']'), n.agreement,"
        " n.end_reason, n.rounds, n.time, n.welfare, n.pareto_distance, n.nash_distance,"
        " coalesce(n.fault_seat = CAST(st.key AS INTEGER), 0), n.fault_message, n.outcome, %s"
        " FROM negotiations AS n, json_each(n.agents) AS st"
        " JOIN scenarios AS s ON s.id = n.scenario JOIN agents AS a ON a.id = st.value"
        " ORDER BY n.job, seat";
    char query[1400];
    snprintf(query, sizeof query, sql,
             "CASE WHEN n.outcome IS NULL THEN NULL ELSE (SELECT json_group_object(p.issue_name,"
             " p.label) FROM json_each(n.outcome) AS o CROSS JOIN options AS p ON p.scenario ="
             " n.scenario AND p.issue = CAST(o.key AS INTEGER) AND p.option = o.value) END");
    if (sqlite3_prepare_v2(db, query, -1, &q, NULL) != SQLITE_OK) {
        snprintf(query, sizeof query, sql, "NULL");
        if (sqlite3_prepare_v2(db, query, -1, &q, NULL) != SQLITE_OK) {
            rc = store_error(err, db, path, "cannot read");
            sqlite3_close(db);
            return rc;
        }
    }
    put(t, "job,scenario,repetition,seed,seat,agent,party,utility,utility_undiscounted,"
           "agreement,end_reason,rounds,time,welfare,pareto_distance,nash_distance,at_fault,"
           "fault_message,outcome,outcome_labels\r\n");
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        for (int c = 0; c < 20; c++) {
            if (c)
                put(t, ",");
            int type = sqlite3_column_type(q, c);
            if (type == SQLITE_NULL)
                continue;
            if (type == SQLITE_FLOAT)
                put(t, "%.17g", sqlite3_column_double(q, c));
            else if (type == SQLITE_INTEGER)
                put(t, "%lld", (long long)sqlite3_column_int64(q, c));
            else
                put_field(t, (const char *)sqlite3_column_text(q, c));
        }
        put(t, "\r\n");
    }
    if (step != SQLITE_DONE)
        rc = store_error(err, db, path, "cannot read");
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rc;
}

int truce_results_csv(char **out, const char *db, const char *table, truce_error *err)
{
    error_clear(err);
    if (!out || !db || !table)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    text t = {0};
    int rc = 0;
    if (!strcmp(table, "negotiations")) {
        rc = csv_negotiations(&t, db, err);
    } else if (!strcmp(table, "agents") || !strcmp(table, "scenarios") ||
               !strcmp(table, "head-to-head") || !strcmp(table, "agent-scenario") ||
               !strcmp(table, "pairwise")) {
        stats s;
        if (!(rc = stats_compute(&s, db, err))) {
            if (!strcmp(table, "agents"))
                csv_agents(&t, &s);
            else if (!strcmp(table, "scenarios"))
                csv_scenarios(&t, &s);
            else if (!strcmp(table, "head-to-head"))
                csv_matrix(&t, &s, s.head_to_head, s.n_agents,
                           "agent,opponent,utility_mean,utility_ci95_low,utility_ci95_high,n\r\n",
                           0);
            else if (!strcmp(table, "agent-scenario"))
                csv_matrix(&t, &s, s.by_scenario, s.n_scenarios,
                           "agent,scenario,utility_mean,utility_ci95_low,utility_ci95_high,"
                           "cells\r\n",
                           1);
            else
                csv_pairwise(&t, &s);
            stats_free(&s);
        }
    } else {
        rc = error_set(err, TRUCE_EINVAL, NULL, 0, "table",
                       "unknown table '%s' (negotiations, agents, scenarios, head-to-head, "
                       "agent-scenario or pairwise)",
                       table);
    }
    if (!rc && (t.failed || !t.p))
        rc = error_nomem(err);
    if (rc) {
        free(t.p);
        return rc;
    }
    *out = t.p;
    return 0;
}
