/* stats.c: statistics of a tournament results database: per agent, per
 * scenario and head to head, with Student's t confidence intervals, as JSON
 * and as CSV tables. Reads the database only. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "tournament.h"

/* Regularized incomplete beta I_x(a, b) by its continued fraction
 * (modified Lentz; Press et al., Numerical Recipes, 2nd ed., 6.4). */
static double beta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + num * d;
        c = 1 + num / c;
        d = fabs(d) < tiny ? 1 / tiny : 1 / d;
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + num * d;
        c = 1 + num / c;
        d = fabs(d) < tiny ? 1 / tiny : 1 / d;
        c = fabs(c) < tiny ? tiny : c;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1) < 1e-15)
            break;
    }
    return h;
}

static double incomplete_beta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_fraction(a, b, x) / a;
    return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

/* P(T <= x) for Student's t with df degrees of freedom, from whichever
 * incomplete beta form is accurate at x (Abramowitz and Stegun 26.7.1). */
static double student_t_cdf(double x, double df)
{
    double t2 = x * x;
    if (t2 < df) {
        double half = 0.5 * incomplete_beta(0.5, df / 2, t2 / (df + t2));
        return x >= 0 ? 0.5 + half : 0.5 - half;
    }
    double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t2));
    return x >= 0 ? 1 - tail : tail;
}

double student_t_quantile(double p, double df)
{
    if (!(p > 0 && p < 1) || !(df > 0))
        return NAN;
    double lo = -1e6, hi = 1e6;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (student_t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* Running mean and variance (Welford). */
typedef struct acc {
    double n, mean, m2;
} acc;

static void add(acc *a, double v)
{
    if (!isfinite(v))
        return;
    a->n++;
    double d = v - a->mean;
    a->mean += d / a->n;
    a->m2 += d * (v - a->mean);
}

static double sd_of(const acc *a)
{
    return a->n >= 2 ? sqrt(a->m2 / (a->n - 1)) : NAN;
}

/* Half width of the 95% confidence interval of the mean (NaN below 2). */
static double half_width(const acc *a)
{
    return a->n >= 2 ? student_t_quantile(0.975, a->n - 1) * sd_of(a) / sqrt(a->n) : NAN;
}

typedef struct agent_stats {
    char *spec;
    uint64_t negotiations, agreements, faults;
    acc utility, welfare, pareto, nash;
} agent_stats;

typedef struct scenario_stats {
    char *name;
    uint64_t negotiations, agreements, faults;
    acc welfare, rounds, pareto, nash;
} scenario_stats;

typedef struct stats {
    char *name;
    uint64_t negotiations, jobs;
    agent_stats *agents;
    size_t n_agents;
    scenario_stats *scenarios;
    size_t n_scenarios;
    acc *h2h; /* n_agents x n_agents */
} stats;

static char *text_dup(const unsigned char *t)
{
    const char *s = t ? (const char *)t : "";
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void stats_free(stats *s)
{
    for (size_t i = 0; i < s->n_agents; i++)
        free(s->agents[i].spec);
    for (size_t i = 0; i < s->n_scenarios; i++)
        free(s->scenarios[i].name);
    free(s->agents);
    free(s->scenarios);
    free(s->h2h);
    free(s->name);
}

static int open_results(sqlite3 **db, const char *path, truce_error *err)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = store_error(err, *db, path, "cannot open");
        sqlite3_close(*db);
        *db = NULL;
        return rc;
    }
    sqlite3_busy_timeout(*db, 10000);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(*db, "SELECT value FROM meta WHERE key = 'definition'", -1, &q, NULL) !=
        SQLITE_OK) {
        int code = sqlite3_errcode(*db);
        int rc = code == SQLITE_NOTADB
                     ? store_error(err, *db, path, "cannot read")
                     : error_set(err, TRUCE_EINVAL, path, 0, NULL,
                                 "not a truce results database (no tournament definition)");
        sqlite3_close(*db);
        *db = NULL;
        return rc;
    }
    sqlite3_finalize(q);
    return 0;
}

/* Read a JSON array of numbers (or null) into v (at most n). Returns the
 * count, or -1 when the text is not such an array. */
static long numbers_of(const unsigned char *text, double *v, size_t n)
{
    json_t *a = text ? json_loads((const char *)text, 0, NULL) : NULL;
    long count = -1;
    if (json_is_array(a) && json_array_size(a) <= n) {
        count = (long)json_array_size(a);
        for (size_t i = 0; i < (size_t)count; i++) {
            json_t *x = json_array_get(a, i);
            v[i] = json_is_number(x) ? json_number_value(x) : NAN;
        }
    }
    json_decref(a);
    return count;
}

static int load_names(sqlite3 *db, const char *path, const char *sql, char ***names, size_t *n,
                      truce_error *err)
{
    sqlite3_stmt *q;
    *names = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return store_error(err, db, path, "cannot read");
    size_t cap = 0;
    int step, rc = 0;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        size_t id = (size_t)sqlite3_column_int64(q, 0);
        if (id != *n) {
            rc = error_set(err, TRUCE_EPARSE, path, 0, NULL,
                           "results database: ids are not numbered 0, 1, 2, ...");
            break;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **bigger = realloc(*names, cap * sizeof *bigger);
            if (!bigger) {
                rc = error_nomem(err);
                break;
            }
            *names = bigger;
        }
        if (!((*names)[*n] = text_dup(sqlite3_column_text(q, 1)))) {
            rc = error_nomem(err);
            break;
        }
        (*n)++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_error(err, db, path, "cannot read");
    sqlite3_finalize(q);
    return rc;
}

static int compute(stats *s, sqlite3 *db, const char *path, truce_error *err)
{
    memset(s, 0, sizeof *s);
    char **names = NULL;
    size_t n = 0;
    int rc = load_names(db, path, "SELECT id, spec FROM agents ORDER BY id", &names, &n, err);
    if (!rc && (s->agents = calloc(n ? n : 1, sizeof *s->agents)))
        for (size_t i = 0; i < n; i++)
            s->agents[i].spec = names[i];
    else if (!rc)
        rc = error_nomem(err);
    if (!s->agents)
        for (size_t i = 0; i < n; i++)
            free(names[i]);
    s->n_agents = s->agents ? n : 0;
    free(names);
    names = NULL;
    n = 0;
    if (!rc)
        rc = load_names(db, path, "SELECT id, name FROM scenarios ORDER BY id", &names, &n, err);
    if (!rc && (s->scenarios = calloc(n ? n : 1, sizeof *s->scenarios)))
        for (size_t i = 0; i < n; i++)
            s->scenarios[i].name = names[i];
    else if (!rc)
        rc = error_nomem(err);
    if (!s->scenarios)
        for (size_t i = 0; i < n; i++)
            free(names[i]);
    s->n_scenarios = s->scenarios ? n : 0;
    free(names);
    if (rc)
        return rc;
    size_t k = s->n_agents;
    if (!(s->h2h = calloc(k * k + 1, sizeof *s->h2h)))
        return error_nomem(err);
    char *definition = NULL;
    {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &q, NULL) == SQLITE_OK) {
            while (sqlite3_step(q) == SQLITE_ROW) {
                const char *key = (const char *)sqlite3_column_text(q, 0);
                if (key && !strcmp(key, "name"))
                    s->name = text_dup(sqlite3_column_text(q, 1));
                if (key && !strcmp(key, "definition"))
                    definition = text_dup(sqlite3_column_text(q, 1));
            }
            sqlite3_finalize(q);
        }
    }
    json_t *def = definition ? json_loads(definition, 0, NULL) : NULL;
    s->jobs = (uint64_t)json_integer_value(json_object_get(def, "jobs"));
    json_decref(def);
    free(definition);
    if (!s->name && !(s->name = text_dup(NULL)))
        return error_nomem(err);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "SELECT scenario, agents, agreement, utility, welfare, "
                           "pareto_distance, nash_distance, fault_seat, rounds, job "
                           "FROM negotiations",
                           -1, &q, NULL) != SQLITE_OK)
        return store_error(err, db, path, "cannot read");
    double agents[64], utility[64];
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        sqlite3_int64 sc = sqlite3_column_int64(q, 0);
        long na = numbers_of(sqlite3_column_text(q, 1), agents, 64);
        long nu = numbers_of(sqlite3_column_text(q, 3), utility, 64);
        int bad = sc < 0 || (size_t)sc >= s->n_scenarios || na < 2 || na != nu;
        for (long i = 0; !bad && i < na; i++)
            bad = !(agents[i] >= 0 && agents[i] < (double)k);
        if (bad) {
            rc = error_set(err, TRUCE_EPARSE, path, 0, NULL,
                           "results database: a negotiation row names unknown agents or "
                           "scenarios");
            break;
        }
        int agreement = sqlite3_column_int(q, 2);
        double welfare =
            sqlite3_column_type(q, 4) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 4);
        double pareto =
            sqlite3_column_type(q, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 5);
        double nash = sqlite3_column_type(q, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 6);
        long fault = sqlite3_column_type(q, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 7);
        /* numbers in their ranges (a database is a file anybody may have written: 1e308 made
         * means overflow and the report's axes NaN); missing ones (null) are left out */
        const char *what = NULL;
        double value = 0;
        for (long i = 0; !what && i < nu; i++)
            if (!isnan(utility[i]) && !(utility[i] >= -1e-9 && utility[i] <= 1 + 1e-9))
                what = "a utility", value = utility[i];
        if (!what && !isnan(welfare) && !(welfare >= -1e-9 && welfare <= (double)na + 1e-9))
            what = "a welfare", value = welfare;
        if (!what && !isnan(pareto) && !(pareto >= 0 && pareto <= (double)na))
            what = "a distance to the Pareto frontier", value = pareto;
        if (!what && !isnan(nash) && !(nash >= 0 && nash <= (double)na))
            what = "a distance to the Nash point", value = nash;
        if (!what && sqlite3_column_int64(q, 8) < 0)
            what = "a round count", value = (double)sqlite3_column_int64(q, 8);
        if (what) {
            rc = error_set(err, TRUCE_EPARSE, path, 0, NULL,
                           "results database: negotiation %lld holds %s of %g, out of range",
                           (long long)sqlite3_column_int64(q, 9), what, value);
            break;
        }
        s->negotiations++;
        scenario_stats *ss = &s->scenarios[sc];
        ss->negotiations++;
        ss->agreements += agreement != 0;
        ss->faults += fault >= 0;
        add(&ss->welfare, welfare);
        add(&ss->rounds, (double)sqlite3_column_int64(q, 8));
        add(&ss->pareto, pareto);
        add(&ss->nash, nash);
        for (long i = 0; i < na; i++) {
            agent_stats *as = &s->agents[(size_t)agents[i]];
            as->negotiations++;
            as->agreements += agreement != 0;
            as->faults += fault == i;
            add(&as->utility, utility[i]);
            add(&as->welfare, welfare);
            add(&as->pareto, pareto);
            add(&as->nash, nash);
            for (long j = 0; j < na; j++)
                if (j != i)
                    add(&s->h2h[(size_t)agents[i] * k + (size_t)agents[j]], utility[i]);
        }
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_error(err, db, path, "cannot read");
    sqlite3_finalize(q);
    return rc;
}

static json_t *real_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *summary(const acc *a)
{
    double h = half_width(a);
    return json_pack("{s:I, s:o, s:o, s:[o, o]}", "n", (json_int_t)a->n, "mean",
                     a->n ? real_or_null(a->mean) : json_null(), "sd", real_or_null(sd_of(a)),
                     "ci95", real_or_null(a->mean - h), real_or_null(a->mean + h));
}

static double rate(uint64_t part, uint64_t all)
{
    return all ? (double)part / (double)all : NAN;
}

static json_t *stats_json(const stats *s)
{
    json_t *agents = json_array(), *scenarios = json_array(), *mean = json_array(),
           *count = json_array(), *names = json_array();
    for (size_t i = 0; i < s->n_agents; i++) {
        const agent_stats *a = &s->agents[i];
        json_array_append_new(
            agents,
            json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:I}", "agent", a->spec, "negotiations",
                      (json_int_t)a->negotiations, "utility", summary(&a->utility),
                      "agreement_rate", real_or_null(rate(a->agreements, a->negotiations)),
                      "welfare", summary(&a->welfare), "pareto_distance", summary(&a->pareto),
                      "nash_distance", summary(&a->nash), "faults", (json_int_t)a->faults));
        json_array_append_new(names, json_string(a->spec));
        json_t *row = json_array(), *nrow = json_array();
        for (size_t j = 0; j < s->n_agents; j++) {
            const acc *h = &s->h2h[i * s->n_agents + j];
            json_array_append_new(row, h->n ? real_or_null(h->mean) : json_null());
            json_array_append_new(nrow, json_integer((json_int_t)h->n));
        }
        json_array_append_new(mean, row);
        json_array_append_new(count, nrow);
    }
    for (size_t i = 0; i < s->n_scenarios; i++) {
        const scenario_stats *c = &s->scenarios[i];
        json_array_append_new(
            scenarios, json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:I}", "scenario", c->name,
                                 "negotiations", (json_int_t)c->negotiations, "agreement_rate",
                                 real_or_null(rate(c->agreements, c->negotiations)), "welfare",
                                 summary(&c->welfare), "rounds", summary(&c->rounds),
                                 "pareto_distance", summary(&c->pareto), "nash_distance",
                                 summary(&c->nash), "faults", (json_int_t)c->faults));
    }
    return json_pack("{s:s, s:I, s:I, s:b, s:o, s:o, s:{s:o, s:o, s:o}}", "tournament", s->name,
                     "negotiations", (json_int_t)s->negotiations, "jobs", (json_int_t)s->jobs,
                     "complete", s->negotiations == s->jobs, "agents", agents, "scenarios",
                     scenarios, "head_to_head", "agents", names, "mean", mean, "n", count);
}

static int with_stats(const char *db_path, stats *s, truce_error *err)
{
    sqlite3 *db;
    int rc = open_results(&db, db_path, err);
    if (rc)
        return rc;
    rc = compute(s, db, db_path, err);
    sqlite3_close(db);
    if (rc)
        stats_free(s);
    return rc;
}

int truce_results_stats(char **out, const char *db, truce_error *err)
{
    error_clear(err);
    if (!out || !db)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    stats s;
    int rc = with_stats(db, &s, err);
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
    int formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
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

static void put_summary(text *t, const acc *a)
{
    double h = half_width(a);
    put_real(t, a->n ? a->mean : NAN);
    put_real(t, a->mean - h);
    put_real(t, a->mean + h);
}

static void csv_agents(text *t, const stats *s)
{
    put(t, "agent,negotiations,utility_mean,utility_ci95_low,utility_ci95_high,utility_sd,"
           "agreement_rate,welfare_mean,welfare_ci95_low,welfare_ci95_high,"
           "pareto_distance_mean,nash_distance_mean,faults\r\n");
    for (size_t i = 0; i < s->n_agents; i++) {
        const agent_stats *a = &s->agents[i];
        put_field(t, a->spec);
        put(t, ",%llu", (unsigned long long)a->negotiations);
        put_summary(t, &a->utility);
        put_real(t, sd_of(&a->utility));
        put_real(t, rate(a->agreements, a->negotiations));
        put_summary(t, &a->welfare);
        put_real(t, a->pareto.n ? a->pareto.mean : NAN);
        put_real(t, a->nash.n ? a->nash.mean : NAN);
        put(t, ",%llu\r\n", (unsigned long long)a->faults);
    }
}

static void csv_scenarios(text *t, const stats *s)
{
    put(t, "scenario,negotiations,agreement_rate,welfare_mean,welfare_ci95_low,"
           "welfare_ci95_high,rounds_mean,pareto_distance_mean,nash_distance_mean,faults\r\n");
    for (size_t i = 0; i < s->n_scenarios; i++) {
        const scenario_stats *c = &s->scenarios[i];
        put_field(t, c->name);
        put(t, ",%llu", (unsigned long long)c->negotiations);
        put_real(t, rate(c->agreements, c->negotiations));
        put_summary(t, &c->welfare);
        put_real(t, c->rounds.n ? c->rounds.mean : NAN);
        put_real(t, c->pareto.n ? c->pareto.mean : NAN);
        put_real(t, c->nash.n ? c->nash.mean : NAN);
        put(t, ",%llu\r\n", (unsigned long long)c->faults);
    }
}

static void csv_head_to_head(text *t, const stats *s)
{
    put(t, "agent,opponent,utility_mean,utility_ci95_low,utility_ci95_high,n\r\n");
    for (size_t i = 0; i < s->n_agents; i++)
        for (size_t j = 0; j < s->n_agents; j++) {
            const acc *h = &s->h2h[i * s->n_agents + j];
            if (!h->n)
                continue;
            put_field(t, s->agents[i].spec);
            put(t, ",");
            put_field(t, s->agents[j].spec);
            put_summary(t, h);
            put(t, ",%.0f\r\n", h->n);
        }
}

/* One row per negotiation and seat, straight from the database. */
static int csv_negotiations(text *t, const char *path, truce_error *err)
{
    sqlite3 *db;
    int rc = open_results(&db, path, err);
    if (rc)
        return rc;
    sqlite3_stmt *q;
    const char *sql =
        "SELECT n.job, s.name, n.repetition, n.seed, st.seat, a.spec,"
        " json_extract(s.parties_json, '$[' || st.seat || ']'), st.utility,"
        " st.utility_undiscounted, n.agreement, n.end_reason, n.rounds, n.time, n.welfare,"
        " n.pareto_distance, n.nash_distance, coalesce(n.fault_seat = st.seat, 0), n.fault_message,"
        " n.outcome"
        " FROM negotiations AS n JOIN seats AS st ON st.job = n.job"
        " JOIN scenarios AS s ON s.id = n.scenario JOIN agents AS a ON a.id = st.agent"
        " ORDER BY n.job, st.seat";
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        rc = store_error(err, db, path, "cannot read");
        sqlite3_close(db);
        return rc;
    }
    put(t, "job,scenario,repetition,seed,seat,agent,party,utility,utility_undiscounted,"
           "agreement,end_reason,rounds,time,welfare,pareto_distance,nash_distance,at_fault,"
           "fault_message,outcome\r\n");
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        for (int c = 0; c < 19; c++) {
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
               !strcmp(table, "head-to-head")) {
        stats s;
        if (!(rc = with_stats(db, &s, err))) {
            if (table[0] == 'a')
                csv_agents(&t, &s);
            else if (table[0] == 's')
                csv_scenarios(&t, &s);
            else
                csv_head_to_head(&t, &s);
            stats_free(&s);
        }
    } else {
        rc = error_set(err, TRUCE_EINVAL, NULL, 0, "table",
                       "unknown table '%s' (negotiations, agents, scenarios or head-to-head)",
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
