/* stats.c: the statistics of a tournament results database: negotiations grouped into
 * cells (scenario x matchup x seat, repetitions averaged), per agent and per scenario
 * summaries over them, head to head, agent x scenario, and the pairwise Wilcoxon tests with
 * Holm's correction that decide which ranks are told apart. Reads the database only. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "stats.h"
#include "tournament.h"

/* One matchup of one scenario: its negotiations summed per seat. */
typedef struct group {
    uint32_t scenario;
    uint64_t matchup;
    size_t seats, at; /* its seats are slots at .. at + seats - 1 */
    uint64_t negotiations, agreements, deadlines, faults;
    moments welfare, rounds, pareto, nash; /* over its negotiations */
} group;

/* Everything read from the database, before the statistics. */
typedef struct table {
    group *groups;
    size_t n_groups, cap_groups;
    /* per slot (a seat of a group): its agent, utility sum and count, faults */
    uint32_t *slot_agent;
    double *slot_sum;
    uint64_t *slot_n, *slot_faults;
    size_t *slot_group;
    size_t n_slots, cap_slots;
    size_t *index; /* open addressing over groups by (scenario, matchup); SIZE_MAX: empty */
    size_t index_cap;
} table;

static void table_free(table *t)
{
    free(t->groups);
    free(t->slot_agent);
    free(t->slot_sum);
    free(t->slot_n);
    free(t->slot_faults);
    free(t->slot_group);
    free(t->index);
}

static uint64_t hash_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t group_hash(uint32_t scenario, uint64_t matchup)
{
    return hash_mix(matchup * 0x9E3779B97F4A7C15ULL + scenario);
}

static int index_grow(table *t)
{
    size_t cap = t->index_cap ? 2 * t->index_cap : 1024;
    size_t *index = malloc(cap * sizeof *index);
    if (!index)
        return -1;
    for (size_t i = 0; i < cap; i++)
        index[i] = SIZE_MAX;
    for (size_t g = 0; g < t->n_groups; g++) {
        size_t h = group_hash(t->groups[g].scenario, t->groups[g].matchup) & (cap - 1);
        while (index[h] != SIZE_MAX)
            h = (h + 1) & (cap - 1);
        index[h] = g;
    }
    free(t->index);
    t->index = index;
    t->index_cap = cap;
    return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *bigger = realloc(*p, n * size);
    if (!bigger)
        return -1;
    *p = bigger;
    *cap = n;
    return 0;
}

static int grow_slots(table *t, size_t need)
{
    size_t cap = t->cap_slots, c;
    void *p;
    /* every slot array grows to the same capacity */
#define GROW(field)                                                                                \
    c = cap;                                                                                       \
    p = t->field;                                                                                  \
    if (grow(&p, &c, need, sizeof *t->field))                                                      \
        return -1;                                                                                 \
    t->field = p;
    GROW(slot_agent)
    GROW(slot_sum)
    GROW(slot_n)
    GROW(slot_faults)
    GROW(slot_group)
#undef GROW
    t->cap_slots = c;
    return 0;
}

/* The group of (scenario, matchup), created with these seat agents when new. Returns its
 * index, SIZE_MAX when memory runs out, SIZE_MAX - 1 when the agents differ from the group's. */
static size_t group_of(table *t, uint32_t scenario, uint64_t matchup, const double *agents,
                       size_t seats)
{
    if (2 * (t->n_groups + 1) > t->index_cap && index_grow(t))
        return SIZE_MAX;
    size_t h = group_hash(scenario, matchup) & (t->index_cap - 1);
    for (; t->index[h] != SIZE_MAX; h = (h + 1) & (t->index_cap - 1)) {
        group *g = &t->groups[t->index[h]];
        if (g->scenario != scenario || g->matchup != matchup)
            continue;
        int same = g->seats == seats;
        for (size_t k = 0; same && k < seats; k++)
            same = t->slot_agent[g->at + k] == (uint32_t)agents[k];
        return same ? t->index[h] : SIZE_MAX - 1;
    }
    void *p = t->groups;
    if (grow(&p, &t->cap_groups, t->n_groups + 1, sizeof *t->groups))
        return SIZE_MAX;
    t->groups = p;
    if (grow_slots(t, t->n_slots + seats))
        return SIZE_MAX;
    size_t id = t->n_groups++;
    group *g = &t->groups[id];
    memset(g, 0, sizeof *g);
    g->scenario = scenario;
    g->matchup = matchup;
    g->seats = seats;
    g->at = t->n_slots;
    for (size_t k = 0; k < seats; k++) {
        size_t s = t->n_slots++;
        t->slot_agent[s] = (uint32_t)agents[k];
        t->slot_sum[s] = 0;
        t->slot_n[s] = 0;
        t->slot_faults[s] = 0;
        t->slot_group[s] = id;
    }
    t->index[h] = id;
    return id;
}

static double cell_value(const table *t, size_t slot)
{
    return t->slot_n[slot] ? t->slot_sum[slot] / (double)t->slot_n[slot] : NAN;
}

static char *text_dup(const unsigned char *text)
{
    const char *s = text ? (const char *)text : "";
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int stats_open(sqlite3 **db, const char *path, truce_error *err)
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

/* Ids numbered 0, 1, 2, ... with a name each (agents, scenarios). */
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
        void *p = *names;
        if (grow(&p, &cap, *n + 1, sizeof **names)) {
            rc = error_nomem(err);
            break;
        }
        *names = p;
        if (!((*names)[*n] = text_dup(sqlite3_column_text(q, 1)))) {
            rc = error_nomem(err);
            break;
        }
        (*n)++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_error(err, db, path, "cannot read");
    sqlite3_finalize(q);
    if (rc) {
        for (size_t i = 0; i < *n; i++)
            free((*names)[i]);
        free(*names);
        *names = NULL;
        *n = 0;
    }
    return rc;
}

void stats_free(stats *s)
{
    for (size_t i = 0; s->agents && i < s->n_agents; i++)
        free(s->agents[i].spec);
    for (size_t i = 0; s->scenarios && i < s->n_scenarios; i++)
        free(s->scenarios[i].name);
    free(s->agents);
    free(s->scenarios);
    free(s->head_to_head);
    free(s->by_scenario);
    free(s->pairs);
    free(s->name);
    for (size_t i = 0; i < s->n_skipped; i++) {
        free(s->skipped_scenario[i]);
        free(s->skipped_code[i]);
        free(s->skipped_reason[i]);
    }
    free(s->skipped_scenario);
    free(s->skipped_code);
    free(s->skipped_reason);
    memset(s, 0, sizeof *s);
}

/* The skipped scenarios of a stored definition (def's "skipped"): 0 or TRUCE_ENOMEM. */
static int read_skipped(stats *s, json_t *def)
{
    json_t *list = json_object_get(def, "skipped");
    size_t n = json_array_size(list);
    if (n == 0)
        return 0;
    s->skipped_scenario = calloc(n, sizeof *s->skipped_scenario);
    s->skipped_code = calloc(n, sizeof *s->skipped_code);
    s->skipped_reason = calloc(n, sizeof *s->skipped_reason);
    if (!s->skipped_scenario || !s->skipped_code || !s->skipped_reason)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(list, i);
        const char *scenario = json_string_value(json_object_get(v, "scenario"));
        const char *code = json_string_value(json_object_get(v, "code"));
        const char *reason = json_string_value(json_object_get(v, "reason"));
        s->n_skipped++;
        if (!(s->skipped_scenario[i] =
                  text_dup((const unsigned char *)(scenario ? scenario : "?"))) ||
            (code && !(s->skipped_code[i] = text_dup((const unsigned char *)code))) ||
            !(s->skipped_reason[i] = text_dup((const unsigned char *)(reason ? reason : ""))))
            return TRUCE_ENOMEM;
    }
    return 0;
}

static int read_names(stats *s, sqlite3 *db, const char *path, truce_error *err)
{
    char **names;
    size_t n;
    int rc = load_names(db, path, "SELECT id, spec FROM agents ORDER BY id", &names, &n, err);
    if (rc)
        return rc;
    if (!(s->agents = calloc(n ? n : 1, sizeof *s->agents))) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return error_nomem(err);
    }
    for (size_t i = 0; i < n; i++)
        s->agents[i].spec = names[i];
    s->n_agents = n;
    free(names);
    if ((rc = load_names(db, path, "SELECT id, name FROM scenarios ORDER BY id", &names, &n, err)))
        return rc;
    if (!(s->scenarios = calloc(n ? n : 1, sizeof *s->scenarios))) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return error_nomem(err);
    }
    for (size_t i = 0; i < n; i++)
        s->scenarios[i].name = names[i];
    s->n_scenarios = n;
    free(names);
    return 0;
}

/* The tournament's name and what the definition says about the jobs, repetitions and
 * deadline. */
static int read_meta(stats *s, sqlite3 *db, truce_error *err)
{
    sqlite3_stmt *q;
    char *definition = NULL;
    if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &q, NULL) == SQLITE_OK) {
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *key = (const char *)sqlite3_column_text(q, 0);
            if (key && !strcmp(key, "name") && !s->name)
                s->name = text_dup(sqlite3_column_text(q, 1));
            if (key && !strcmp(key, "definition") && !definition)
                definition = text_dup(sqlite3_column_text(q, 1));
        }
        sqlite3_finalize(q);
    }
    json_t *def = definition ? json_loads(definition, 0, NULL) : NULL;
    free(definition);
    s->jobs = (uint64_t)json_integer_value(json_object_get(def, "jobs"));
    s->repetitions = (uint64_t)json_integer_value(json_object_get(def, "repetitions"));
    s->rounds = (uint64_t)json_integer_value(json_object_get(def, "rounds"));
    json_t *seconds = json_object_get(def, "seconds");
    s->seconds = json_is_number(seconds) ? json_number_value(seconds) : 0;
    int rc = read_skipped(s, def);
    json_decref(def);
    if (rc || (!s->name && !(s->name = text_dup(NULL))))
        return error_nomem(err);
    return 0;
}

/* Every negotiation into its group. */
static int read_rows(stats *s, table *t, sqlite3 *db, const char *path, truce_error *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "SELECT scenario, matchup, agents, agreement, end_reason, utility, "
                           "welfare, pareto_distance, nash_distance, fault_seat, rounds, job "
                           "FROM negotiations ORDER BY job",
                           -1, &q, NULL) != SQLITE_OK)
        return store_error(err, db, path, "cannot read");
    double agents[64], utility[64];
    int step, rc = 0;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        sqlite3_int64 sc = sqlite3_column_int64(q, 0), matchup = sqlite3_column_int64(q, 1);
        long na = numbers_of(sqlite3_column_text(q, 2), agents, 64);
        long nu = numbers_of(sqlite3_column_text(q, 5), utility, 64);
        int bad = sc < 0 || (size_t)sc >= s->n_scenarios || matchup < 0 || na < 2 || na != nu;
        for (long i = 0; !bad && i < na; i++)
            bad = !(agents[i] >= 0 && agents[i] < (double)s->n_agents &&
                    agents[i] == floor(agents[i]));
        size_t id =
            bad ? SIZE_MAX - 1 : group_of(t, (uint32_t)sc, (uint64_t)matchup, agents, (size_t)na);
        if (id == SIZE_MAX) {
            rc = error_nomem(err);
            break;
        }
        if (id == SIZE_MAX - 1) {
            rc = error_set(err, TRUCE_EPARSE, path, 0, NULL,
                           "results database: a negotiation row names unknown agents or "
                           "scenarios, or other agents than its matchup's other rows");
            break;
        }
        /* numbers in their ranges (a database is a file anybody may have written: 1e308 made
         * means overflow and the report's axes NaN); missing ones (null) are left out */
        const char *what = NULL;
        double value = 0;
#define REAL(c) (sqlite3_column_type(q, c) == SQLITE_NULL ? NAN : sqlite3_column_double(q, c))
        for (long i = 0; !what && i < nu; i++)
            if (!isnan(utility[i]) && !(utility[i] >= -1e-9 && utility[i] <= 1 + 1e-9))
                what = "a utility", value = utility[i];
        if (!what && !isnan(REAL(6)) && !(REAL(6) >= -1e-9 && REAL(6) <= (double)na + 1e-9))
            what = "a welfare", value = REAL(6);
        if (!what && !isnan(REAL(7)) && !(REAL(7) >= 0 && REAL(7) <= (double)na))
            what = "a distance to the Pareto frontier", value = REAL(7);
        if (!what && !isnan(REAL(8)) && !(REAL(8) >= 0 && REAL(8) <= (double)na))
            what = "a distance to the Nash point", value = REAL(8);
        if (!what && sqlite3_column_int64(q, 10) < 0)
            what = "a round count", value = (double)sqlite3_column_int64(q, 10);
#undef REAL
        if (what) {
            rc = error_set(err, TRUCE_EPARSE, path, 0, NULL,
                           "results database: negotiation %lld holds %s of %g, out of range",
                           (long long)sqlite3_column_int64(q, 11), what, value);
            break;
        }
        group *g = &t->groups[id];
        const char *end = (const char *)sqlite3_column_text(q, 4);
        int agreement = sqlite3_column_int(q, 3) != 0;
        long fault = sqlite3_column_type(q, 9) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 9);
        g->negotiations++;
        g->agreements += agreement;
        g->deadlines += end && !strcmp(end, "deadline");
        g->faults += fault >= 0;
#define REAL(c) (sqlite3_column_type(q, c) == SQLITE_NULL ? NAN : sqlite3_column_double(q, c))
        moments_add(&g->welfare, REAL(6));
        moments_add(&g->pareto, REAL(7));
        moments_add(&g->nash, REAL(8));
        moments_add(&g->rounds, (double)sqlite3_column_int64(q, 10));
#undef REAL
        for (long k = 0; k < na; k++) {
            size_t slot = g->at + (size_t)k;
            if (isfinite(utility[k])) {
                t->slot_sum[slot] += utility[k];
                t->slot_n[slot]++;
            }
            t->slot_faults[slot] += fault == k;
        }
        s->negotiations++;
        s->deadlines += end && !strcmp(end, "deadline");
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_error(err, db, path, "cannot read");
    sqlite3_finalize(q);
    return rc;
}

/* Per agent, per scenario, head to head and agent x scenario, from the groups. */
static void summarise(stats *s, const table *t)
{
    size_t k = s->n_agents;
    for (size_t id = 0; id < t->n_groups; id++) {
        const group *g = &t->groups[id];
        scenario_stats *sc = &s->scenarios[g->scenario];
        sc->negotiations += g->negotiations;
        sc->agreements += g->agreements;
        sc->deadlines += g->deadlines;
        sc->faults += g->faults;
        sc->matchups++;
        moments_add(&sc->welfare, g->welfare.n ? g->welfare.mean : NAN);
        moments_add(&sc->rounds, g->rounds.n ? g->rounds.mean : NAN);
        moments_add(&sc->pareto, g->pareto.n ? g->pareto.mean : NAN);
        moments_add(&sc->nash, g->nash.n ? g->nash.mean : NAN);
        for (size_t seat = 0; seat < g->seats; seat++) {
            size_t slot = g->at + seat, i = t->slot_agent[slot];
            agent_stats *a = &s->agents[i];
            double v = cell_value(t, slot);
            a->negotiations += g->negotiations;
            a->agreements += g->agreements;
            a->deadlines += g->deadlines;
            a->faults += t->slot_faults[slot];
            a->cells += isfinite(v);
            moments_add(&a->utility, v);
            moments_add(&a->welfare, g->welfare.n ? g->welfare.mean : NAN);
            moments_add(&a->pareto, g->pareto.n ? g->pareto.mean : NAN);
            moments_add(&a->nash, g->nash.n ? g->nash.mean : NAN);
            moments_add(&s->by_scenario[i * s->n_scenarios + g->scenario], v);
            /* the cell counts once against each other agent present, however many seats
             * that agent holds */
            for (size_t other = 0; other < g->seats; other++) {
                size_t j = t->slot_agent[g->at + other];
                int first = other != seat;
                for (size_t before = 0; first && before < other; before++)
                    first = before == seat || t->slot_agent[g->at + before] != j;
                if (first)
                    moments_add(&s->head_to_head[i * k + j], v);
            }
        }
    }
}

/* Groups by (scenario, seat agents): where the pairing of two agents' cells looks. */
typedef struct tuple_index {
    size_t *slots; /* group ids; SIZE_MAX: empty */
    size_t cap;
} tuple_index;

static uint64_t tuple_hash(uint32_t scenario, const uint32_t *agents, size_t n)
{
    uint64_t h = hash_mix(scenario + 0x51ED27ULL);
    for (size_t i = 0; i < n; i++)
        h = hash_mix(h ^ (agents[i] + 0x9E3779B97F4A7C15ULL * (i + 1)));
    return h;
}

static int tuple_index_build(tuple_index *x, const table *t)
{
    x->cap = 1024;
    while (x->cap < 2 * t->n_groups + 2)
        x->cap *= 2;
    if (!(x->slots = malloc(x->cap * sizeof *x->slots)))
        return -1;
    for (size_t i = 0; i < x->cap; i++)
        x->slots[i] = SIZE_MAX;
    for (size_t id = 0; id < t->n_groups; id++) {
        const group *g = &t->groups[id];
        size_t h = tuple_hash(g->scenario, t->slot_agent + g->at, g->seats) & (x->cap - 1);
        while (x->slots[h] != SIZE_MAX)
            h = (h + 1) & (x->cap - 1);
        x->slots[h] = id;
    }
    return 0;
}

static size_t tuple_find(const tuple_index *x, const table *t, uint32_t scenario,
                         const uint32_t *agents, size_t n)
{
    size_t h = tuple_hash(scenario, agents, n) & (x->cap - 1);
    for (; x->slots[h] != SIZE_MAX; h = (h + 1) & (x->cap - 1)) {
        const group *g = &t->groups[x->slots[h]];
        if (g->scenario == scenario && g->seats == n &&
            !memcmp(t->slot_agent + g->at, agents, n * sizeof *agents))
            return x->slots[h];
    }
    return SIZE_MAX;
}

/* The cells of agent a paired with those of agent b: a's cell in seat k of a matchup goes
 * with b's cell in seat k of the matchup where a and b trade places (same scenario, same
 * seat, same other agents). The differences a - b go to d; returns their number. */
static size_t paired_differences(const table *t, const tuple_index *x, const size_t *cells,
                                 size_t n_cells, uint32_t a, uint32_t b, double *d)
{
    uint32_t swapped[64];
    size_t n = 0;
    for (size_t c = 0; c < n_cells; c++) {
        size_t slot = cells[c];
        const group *g = &t->groups[t->slot_group[slot]];
        for (size_t k = 0; k < g->seats; k++) {
            uint32_t who = t->slot_agent[g->at + k];
            swapped[k] = who == a ? b : who == b ? a : who;
        }
        size_t other = tuple_find(x, t, g->scenario, swapped, g->seats);
        if (other == SIZE_MAX)
            continue;
        double mine = cell_value(t, slot),
               theirs = cell_value(t, t->groups[other].at + (slot - g->at));
        if (isfinite(mine) && isfinite(theirs))
            d[n++] = mine - theirs;
    }
    return n;
}

/* Whether agent j ranks before agent i: a higher mean utility, or the same and an earlier
 * place in the definition; agents without a cell come last. */
static int ranks_before(const stats *s, size_t j, size_t i)
{
    const agent_stats *a = &s->agents[j], *b = &s->agents[i];
    double u = a->utility.n ? a->utility.mean : -INFINITY;
    double v = b->utility.n ? b->utility.mean : -INFINITY;
    return u > v || (u == v && j < i);
}

/* Every agent's cells (slots), agent by agent: cells[first[i] .. first[i + 1]). */
static int cells_by_agent(const table *t, size_t k, size_t **cells, size_t **first)
{
    *cells = malloc((t->n_slots ? t->n_slots : 1) * sizeof **cells);
    *first = calloc(k + 1, sizeof **first);
    if (!*cells || !*first)
        return -1;
    for (size_t slot = 0; slot < t->n_slots; slot++)
        (*first)[t->slot_agent[slot] + 1]++;
    for (size_t i = 0; i < k; i++)
        (*first)[i + 1] += (*first)[i];
    size_t *at = malloc((k ? k : 1) * sizeof *at);
    if (!at)
        return -1;
    memcpy(at, *first, k * sizeof *at);
    for (size_t slot = 0; slot < t->n_slots; slot++)
        (*cells)[at[t->slot_agent[slot]]++] = slot;
    free(at);
    return 0;
}

/* The Wilcoxon test of every pair of agents, Holm's correction over them, and the ranks the
 * significant differences allow. */
static int pairwise(stats *s, const table *t, truce_error *err)
{
    size_t k = s->n_agents;
    for (size_t i = 0; i < k; i++) {
        agent_stats *a = &s->agents[i];
        a->rank = 0;
        if (!a->utility.n)
            continue;
        a->rank = 1;
        for (size_t j = 0; j < k; j++)
            a->rank += j != i && s->agents[j].utility.n && ranks_before(s, j, i);
    }
    size_t ranked = 0;
    for (size_t i = 0; i < k; i++)
        ranked += s->agents[i].rank > 0;
    for (size_t i = 0; i < k; i++) {
        s->agents[i].rank_lo = s->agents[i].rank ? 1 : 0;
        s->agents[i].rank_hi = s->agents[i].rank ? ranked : 0;
    }
    if (k > STATS_MAX_TESTED_AGENTS) {
        s->pairs_skipped = 1;
        return 0;
    }
    if (k < 2)
        return 0;
    tuple_index x = {0};
    size_t *cells = NULL, *first = NULL;
    double *d = NULL, *p = NULL, *adjusted = NULL;
    s->n_pairs = k * (k - 1) / 2;
    int rc = 0;
    if (!(s->pairs = calloc(s->n_pairs, sizeof *s->pairs)) || tuple_index_build(&x, t) ||
        cells_by_agent(t, k, &cells, &first) ||
        !(d = malloc((t->n_slots ? t->n_slots : 1) * sizeof *d)) ||
        !(p = malloc(s->n_pairs * sizeof *p)) || !(adjusted = malloc(s->n_pairs * sizeof *p)))
        rc = error_nomem(err);
    size_t n = 0;
    for (size_t i = 0; !rc && i < k; i++)
        for (size_t j = i + 1; !rc && j < k; j++, n++) {
            pair_test *pt = &s->pairs[n];
            pt->a = i;
            pt->b = j;
            pt->better = -1;
            pt->pairs = paired_differences(t, &x, cells + first[i], first[i + 1] - first[i],
                                           (uint32_t)i, (uint32_t)j, d);
            double sum = 0;
            for (size_t c = 0; c < pt->pairs; c++)
                sum += d[c];
            pt->mean_difference = pt->pairs ? sum / (double)pt->pairs : NAN;
            if (wilcoxon_signed_rank(&pt->w, d, pt->pairs))
                rc = error_nomem(err);
            p[n] = pt->pairs ? pt->w.p : NAN;
        }
    if (!rc && holm_adjust(adjusted, p, s->n_pairs))
        rc = error_nomem(err);
    for (size_t m = 0; !rc && m < s->n_pairs; m++) {
        pair_test *pt = &s->pairs[m];
        pt->p_holm = adjusted[m];
        if (!(pt->p_holm < STATS_ALPHA) || pt->w.w_plus == pt->w.w_minus)
            continue;
        size_t win = pt->w.w_plus > pt->w.w_minus ? pt->a : pt->b;
        size_t lose = win == pt->a ? pt->b : pt->a;
        pt->better = (long)win;
        /* one more agent surely ranks above the loser, and one more surely below the winner */
        s->agents[lose].rank_lo++;
        s->agents[win].rank_hi--;
    }
    free(x.slots);
    free(cells);
    free(first);
    free(d);
    free(p);
    free(adjusted);
    return rc;
}

int stats_compute(stats *s, const char *path, truce_error *err)
{
    memset(s, 0, sizeof *s);
    sqlite3 *db;
    int rc = stats_open(&db, path, err);
    if (rc)
        return rc;
    table t = {0};
    if (!(rc = read_names(s, db, path, err)) && !(rc = read_meta(s, db, err))) {
        size_t k = s->n_agents, n = s->n_scenarios;
        s->head_to_head = calloc(k * k + 1, sizeof *s->head_to_head);
        s->by_scenario = calloc(k * n + 1, sizeof *s->by_scenario);
        if (!s->head_to_head || !s->by_scenario)
            rc = error_nomem(err);
    }
    if (!rc)
        rc = read_rows(s, &t, db, path, err);
    sqlite3_close(db);
    if (!rc) {
        summarise(s, &t);
        rc = pairwise(s, &t, err);
    }
    table_free(&t);
    if (rc)
        stats_free(s);
    return rc;
}
