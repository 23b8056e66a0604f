/* catalog.c: the scenarios `truce serve` offers: those found under the paths
 * given on the command line (listed once at start; requests name them by id,
 * never by path) and those uploaded, each loaded, analysed and plotted when
 * first asked for, then shared read-only by every session on it. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define MAX_WALK_DEPTH 8
#define MAX_CATALOG 20000
#define MAX_UPLOAD_FILES 101

static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && !strcmp(name + n - k, suffix);
}

static int is_yaml(const char *name)
{
    return has_suffix(name, ".yaml") || has_suffix(name, ".yml");
}

/* A folder holding an XML file is a GENIUS scenario, one holding JSON files a
 * GeniusWeb scenario (as truce_scenario_load reads folders); one holding
 * neither is a collection of scenarios. */
static int holds_scenario_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    int found = 0;
    while (!found && (de = readdir(d)))
        found = de->d_name[0] != '.' &&
                (has_suffix(de->d_name, ".xml") || has_suffix(de->d_name, ".json"));
    closedir(d);
    return found;
}

static entry *entry_new(const char *id, const char *path, int uploaded)
{
    entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->id = strdup(id);
    e->path = strdup(path);
    e->uploaded = uploaded;
    if (!e->id || !e->path || pthread_mutex_init(&e->lock, NULL)) {
        free(e->id);
        free(e->path);
        free(e);
        return NULL;
    }
    return e;
}

static void entry_free(entry *e)
{
    if (!e)
        return;
    truce_report_free(e->plots);
    json_decref(e->details);
    truce_analysis_free(e->an);
    truce_space_free(e->space);
    truce_scenario_free(e->s);
    free(e->load_error);
    free(e->space_error);
    free(e->analysis_error);
    free(e->id);
    free(e->path);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

static entry *find(catalog *c, const char *id)
{
    for (size_t k = 0; k < c->n; k++)
        if (!strcmp(c->e[k]->id, id))
            return c->e[k];
    return NULL;
}

/* Add an entry under a unique id (the caller holds the lock or is alone). */
static int catalog_add(catalog *c, const char *wanted, const char *path, int uploaded,
                       entry **added)
{
    if (c->n >= MAX_CATALOG)
        return -1;
    char id[600];
    snprintf(id, sizeof id, "%s", wanted);
    for (unsigned k = 2; find(c, id); k++)
        snprintf(id, sizeof id, "%.560s-%u", wanted, k);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        entry **grown = realloc(c->e, cap * sizeof *grown);
        if (!grown)
            return -1;
        c->e = grown;
        c->cap = cap;
    }
    entry *e = entry_new(id, path, uploaded);
    if (!e)
        return -1;
    c->e[c->n++] = e;
    if (added)
        *added = e;
    return 0;
}

static void stem(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s", name);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

/* Every scenario under a collection folder: GENIUS folders and YAML files;
 * symbolic links are not followed, so nothing outside the folder is read. */
static int walk(catalog *c, const char *dir, const char *prefix, int depth, truce_error *err)
{
    if (depth > MAX_WALK_DEPTH)
        return 0;
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return 0;
    int rc = 0;
    for (int k = 0; k < n; k++) {
        const char *name = names[k]->d_name;
        char path[PATH_MAX], id[PATH_MAX];
        struct stat st;
        if (rc == 0 && name[0] != '.' &&
            (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) < sizeof path &&
            lstat(path, &st) == 0 && !S_ISLNK(st.st_mode)) {
            char base[NAME_MAX + 1];
            stem(base, sizeof base, name);
            snprintf(id, sizeof id, "%s/%s", prefix, S_ISDIR(st.st_mode) ? name : base);
            if (S_ISDIR(st.st_mode) && holds_scenario_files(path))
                rc = catalog_add(c, id, path, 0, NULL);
            else if (S_ISDIR(st.st_mode))
                rc = walk(c, path, id, depth + 1, err);
            else if (S_ISREG(st.st_mode) && is_yaml(name))
                rc = catalog_add(c, id, path, 0, NULL);
            if (rc && err && !err->message[0])
                snprintf(err->message, sizeof err->message,
                         "too many scenarios under the folders given (at most %d)", MAX_CATALOG);
        }
        free(names[k]);
    }
    free(names);
    return rc;
}

static int reload_uploads(catalog *c);

int catalog_init(catalog *c, const serve_options *o, const char *upload_dir, truce_error *err)
{
    memset(c, 0, sizeof *c);
    c->o = o;
    if (pthread_mutex_init(&c->lock, NULL))
        return -1;
    c->upload_dir = strdup(upload_dir);
    if (!c->upload_dir)
        return -1;
    for (size_t k = 0; k < o->n_paths; k++) {
        const char *p = o->paths[k];
        struct stat st;
        if (stat(p, &st) != 0) {
            snprintf(err->message, sizeof err->message, "%s: no such file or folder", p);
            return -1;
        }
        char copy[PATH_MAX];
        snprintf(copy, sizeof copy, "%s", p);
        size_t len = strlen(copy);
        while (len > 1 && copy[len - 1] == '/')
            copy[--len] = '\0';
        const char *base = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
        char id[NAME_MAX + 1];
        if (!strcmp(base, ".") || !strcmp(base, "..") || !*base)
            snprintf(id, sizeof id, "scenarios");
        else
            stem(id, sizeof id, base);
        int rc;
        if (S_ISDIR(st.st_mode) && holds_scenario_files(copy)) {
            rc = catalog_add(c, id, copy, 0, NULL);
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(c, copy, id, 0, err);
        } else if (S_ISREG(st.st_mode) && is_yaml(copy)) {
            rc = catalog_add(c, id, copy, 0, NULL);
        } else {
            snprintf(err->message, sizeof err->message,
                     "%s: not a scenario: give .yaml files, GENIUS or GeniusWeb scenario "
                     "folders, or folders holding them",
                     p);
            return -1;
        }
        if (rc) {
            if (!err->message[0])
                snprintf(err->message, sizeof err->message, "out of memory");
            return -1;
        }
    }
    if (reload_uploads(c)) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    return 0;
}

void catalog_free(catalog *c)
{
    for (size_t k = 0; k < c->n; k++)
        entry_free(c->e[k]);
    free(c->e);
    free(c->upload_dir);
    pthread_mutex_destroy(&c->lock);
    memset(c, 0, sizeof *c);
}

entry *catalog_find(catalog *c, const char *id)
{
    /* entries are never removed: the pointer stays valid after the lock */
    pthread_mutex_lock(&c->lock);
    entry *e = find(c, id);
    pthread_mutex_unlock(&c->lock);
    return e;
}

json_t *catalog_list(catalog *c)
{
    json_t *list = json_array();
    pthread_mutex_lock(&c->lock);
    for (size_t k = 0; list && k < c->n; k++) {
        entry *e = c->e[k];
        json_t *item = json_pack("{s:s,s:b}", "id", e->id, "uploaded", e->uploaded);
        pthread_mutex_lock(&e->lock);
        if (e->s)
            json_object_set_new(item, "name", json_string(truce_scenario_name(e->s)));
        if (e->load_error)
            json_object_set_new(item, "error", json_string(e->load_error));
        pthread_mutex_unlock(&e->lock);
        json_array_append_new(list, item);
    }
    pthread_mutex_unlock(&c->lock);
    return list;
}

/* ---- loading ---- */

static truce_load_options load_options(const serve_options *o)
{
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    lo.limits = &o->limits;
    lo.max_issue_values = o->limits.max_options;
    return lo;
}

static int load(const char *path, const serve_options *o, truce_scenario **out, truce_error *err)
{
    truce_load_options lo = load_options(o);
    return truce_scenario_load(out, path, &lo, err);
}

int entry_scenario(entry *e, const serve_options *o, const truce_scenario **out, char *why,
                   size_t size)
{
    pthread_mutex_lock(&e->lock);
    if (!e->s && !e->load_error) {
        truce_error err;
        truce_scenario *s = NULL;
        if (load(e->path, o, &s, &err) == 0)
            e->s = s;
        else
            e->load_error = strdup(err.message);
    }
    int rc = e->s ? 0 : -1;
    if (rc == 0)
        *out = e->s;
    else
        snprintf(why, size, "%s", e->load_error ? e->load_error : "out of memory");
    pthread_mutex_unlock(&e->lock);
    return rc;
}

int entry_space(entry *e, const serve_options *o, const truce_space **out, char *why, size_t size)
{
    const truce_scenario *s;
    if (entry_scenario(e, o, &s, why, size))
        return -1;
    pthread_mutex_lock(&e->lock);
    if (!e->space && !e->space_error) {
        truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
        so.max_outcomes = o->max_outcomes;
        truce_error err;
        if (truce_space_create(&e->space, s, &so, &err))
            e->space_error = strdup(err.message);
    }
    int rc = e->space ? 0 : -1;
    if (rc == 0)
        *out = e->space;
    else
        snprintf(why, size, "%s", e->space_error ? e->space_error : "out of memory");
    pthread_mutex_unlock(&e->lock);
    return rc;
}

static truce_analysis_options analysis_options(const serve_options *o)
{
    truce_analysis_options ao = TRUCE_ANALYSIS_OPTIONS_INIT;
    ao.max_outcomes = o->max_outcomes;
    ao.max_nodes = o->max_outcomes;
    return ao;
}

/* The lock is held. */
static void analyse(entry *e, const serve_options *o)
{
    if (e->analyzed)
        return;
    e->analyzed = 1;
    truce_analysis_options ao = analysis_options(o);
    truce_error err;
    if (truce_analyze(&e->an, e->s, &ao, &err))
        e->analysis_error = strdup(err.message);
}

const truce_analysis *entry_analysis(entry *e, const serve_options *o, char *why, size_t size)
{
    const truce_scenario *s;
    if (entry_scenario(e, o, &s, why, size))
        return NULL;
    pthread_mutex_lock(&e->lock);
    analyse(e, o);
    const truce_analysis *an = e->an;
    if (!an)
        snprintf(why, size, "%s", e->analysis_error ? e->analysis_error : "out of memory");
    pthread_mutex_unlock(&e->lock);
    return an;
}

static json_t *solution_json(const truce_scenario *s, const truce_analysis *an,
                             truce_solution which)
{
    size_t np = truce_scenario_party_count(s), ni = truce_scenario_issue_count(s);
    double *u = calloc(np ? np : 1, sizeof *u), value = 0;
    uint32_t *o = calloc(ni ? ni : 1, sizeof *o);
    json_t *j = NULL;
    if (u && o && truce_analysis_solution(an, which, u, o, &value) == 1) {
        json_t *util = json_object();
        for (size_t p = 0; p < np; p++)
            json_object_set_new(util, truce_party_name(s, p), serve_real(u[p]));
        j = json_pack("{s:o,s:o,s:o,s:s}", "utilities", util, "outcome", serve_outcome_json(s, o),
                      "value", serve_real(value), "criterion",
                      truce_scenario_solution_criterion(s, which));
    } else {
        j = json_pack("{s:n,s:s}", "outcome", "criterion",
                      truce_scenario_solution_criterion(s, which));
    }
    free(u);
    free(o);
    return j;
}

static json_t *analysis_json(const truce_scenario *s, const truce_analysis *an)
{
    char count[128] = "";
    truce_analysis_pareto_count(an, count, sizeof count);
    json_t *frontier = json_array();
    size_t np = truce_scenario_party_count(s);
    for (size_t k = 0; k < truce_analysis_pareto_size(an) && k < 2000; k++) {
        const double *pt = truce_analysis_pareto_point(an, k);
        json_t *row = json_array();
        for (size_t p = 0; p < np; p++)
            json_array_append_new(row, serve_real(pt[p]));
        json_array_append_new(frontier, row);
    }
    json_t *reservation = json_object();
    for (size_t p = 0; p < np; p++)
        json_object_set_new(reservation, truce_party_name(s, p),
                            serve_real(truce_analysis_reservation(an, p)));
    return json_pack("{s:s,s:b,s:b,s:s,s:o,s:o,s:o,s:o,s:o,s:b}", "method",
                     truce_analysis_method(an), "approximate", truce_analysis_is_approximate(an),
                     "zopa", truce_analysis_zopa(an), "pareto_count", count, "pareto", frontier,
                     "reservation", reservation, "nash", solution_json(s, an, TRUCE_SOLUTION_NASH),
                     "kalai_smorodinsky", solution_json(s, an, TRUCE_SOLUTION_KALAI_SMORODINSKY),
                     "max_welfare", solution_json(s, an, TRUCE_SOLUTION_MAX_WELFARE),
                     "hard_conditions_bind", truce_analysis_hard_conditions_bind(an));
}

static json_t *issues_json(const truce_scenario *s)
{
    json_t *issues = json_array();
    static const char *const kinds[] = {"discrete", "integer", "real"};
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        json_t *options = json_array();
        uint32_t n = truce_issue_option_count(s, i);
        for (uint32_t k = 0; k < n && k < 100000; k++) {
            char label[512];
            truce_issue_option_label(s, i, k, label, sizeof label);
            json_array_append_new(options, json_string(label));
        }
        int kind = truce_issue_kind_of(s, i);
        json_array_append_new(issues, json_pack("{s:s,s:s,s:o}", "name", truce_issue_name(s, i),
                                                "kind", kind >= 0 && kind <= 2 ? kinds[kind] : "?",
                                                "options", options));
    }
    return issues;
}

static json_t *hard_json(const truce_scenario *s, size_t p)
{
    json_t *list = json_array();
    for (size_t h = 0; h < truce_party_hard_condition_count(s, p); h++)
        json_array_append_new(list, json_pack("{s:s,s:s}", "id", truce_hard_condition_id(s, p, h),
                                              "label", truce_hard_condition_label(s, p, h)));
    return list;
}

static json_t *parties_json(const truce_scenario *s)
{
    json_t *parties = json_array();
    static const char *const roles[] = {"principal", "mediator", "stakeholder"};
    for (size_t p = 0; p < truce_scenario_party_count(s); p++) {
        int role = truce_party_role(s, p);
        json_t *forbidden = json_object();
        for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
            json_t *out = NULL;
            for (uint32_t k = 0; k < truce_issue_option_count(s, i) && k < 100000; k++)
                if (truce_party_option_allowed(s, p, i, k) == 0) {
                    char label[512];
                    truce_issue_option_label(s, i, k, label, sizeof label);
                    if (!out)
                        out = json_array();
                    json_array_append_new(out, json_string(label));
                }
            if (out)
                json_object_set_new(forbidden, truce_issue_name(s, i), out);
        }
        json_array_append_new(
            parties,
            json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "name", truce_party_name(s, p), "label",
                      truce_party_label(s, p), "role", role >= 0 && role <= 2 ? roles[role] : "?",
                      "reservation", serve_real(truce_party_reservation(s, p)), "discount",
                      serve_real(truce_party_discount(s, p)), "hard_conditions", hard_json(s, p),
                      "forbidden", forbidden));
    }
    return parties;
}

static json_t *channels_json(const truce_scenario *s)
{
    json_t *pairs = json_array();
    size_t n = truce_scenario_party_count(s);
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++)
            if (truce_channel(s, a, b))
                json_array_append_new(
                    pairs, json_pack("[s,s]", truce_party_name(s, a), truce_party_name(s, b)));
    return pairs;
}

/* Issues, parties and channels: what every seat of a session may know. */
static json_t *scenario_json(const truce_scenario *s)
{
    char outcomes[128] = "", feasible[128] = "";
    truce_scenario_outcome_count(s, outcomes, sizeof outcomes);
    truce_scenario_feasible_count(s, feasible, sizeof feasible);
    return json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:s}", "name", truce_scenario_name(s), "issues",
                     issues_json(s), "parties", parties_json(s), "channels", channels_json(s),
                     "channel_windows", serve_channel_windows(s), "outcomes", outcomes,
                     "feasible", feasible);
}

json_t *entry_details(entry *e, const serve_options *o, char *why, size_t size)
{
    const truce_scenario *s;
    if (entry_scenario(e, o, &s, why, size))
        return NULL;
    pthread_mutex_lock(&e->lock);
    if (!e->details) {
        analyse(e, o);
        json_t *d = scenario_json(s);
        json_object_set_new(d, "id", json_string(e->id));
        json_object_set_new(d, "uploaded", json_boolean(e->uploaded));
        if (e->an)
            json_object_set_new(d, "analysis", analysis_json(s, e->an));
        else
            json_object_set_new(
                d, "analysis",
                json_pack("{s:s}", "error", e->analysis_error ? e->analysis_error : "failed"));
        truce_check_options co = TRUCE_CHECK_OPTIONS_INIT;
        co.max_outcomes = o->max_outcomes;
        co.max_nodes = o->max_outcomes; /* as the analysis's budget above */
        char *text = NULL;
        truce_error err;
        json_t *check = NULL;
        if (truce_check(&text, s, &co, &err) == 0)
            check = json_loads(text, 0, NULL);
        truce_free(text);
        json_object_set_new(d, "check", check ? check : json_pack("{s:s}", "error", err.message));
        e->details = d;
    }
    json_t *d = json_incref(e->details);
    pthread_mutex_unlock(&e->lock);
    return d;
}

const char *entry_plot(entry *e, const serve_options *o, size_t k, size_t *count)
{
    char why[256];
    const truce_scenario *s;
    *count = 0;
    if (entry_scenario(e, o, &s, why, sizeof why))
        return NULL;
    pthread_mutex_lock(&e->lock);
    analyse(e, o);
    if (!e->plots_done && e->an) {
        e->plots_done = 1;
        truce_report_options ro = TRUCE_REPORT_OPTIONS_INIT;
        ro.max_pairs = 3;
        truce_error err;
        if (truce_report_create(&e->plots, &ro, &err) == 0 &&
            truce_report_add_analysis(e->plots, s, e->an, &err)) {
            truce_report_free(e->plots);
            e->plots = NULL;
        }
    }
    *count = truce_report_figure_count(e->plots);
    const char *svg = truce_report_figure_svg(e->plots, k);
    pthread_mutex_unlock(&e->lock);
    return svg;
}

/* ---- uploads ---- */

/* A file name as the page sends it: a plain name, no folders, nothing hidden. */
static int safe_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 120 || name[0] == '.' || name[0] == '-')
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == '-' || *c == ' ' || *c == '+'))
            return 0;
    return 1;
}

static void remove_folder(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        char path[PATH_MAX];
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
                (size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) < sizeof path)
                unlink(path);
        closedir(d);
    }
    rmdir(dir);
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wbx");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    return ok ? 0 : -1;
}

static void upload_id(char *out, size_t size, unsigned long seq, const char *name)
{
    snprintf(out, size, "upload-%lu-%.100s", seq, name);
    for (char *p = out; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            *p = '-';
}

/* The scenario an upload folder holds: its one .yaml file, or the folder
 * (GENIUS files). */
static void upload_target(const char *dir, char *out, size_t size)
{
    snprintf(out, size, "%s", dir);
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (de->d_name[0] != '.' && is_yaml(de->d_name)) {
            int n = snprintf(out, size, "%s/%s", dir, de->d_name);
            if (n < 0 || (size_t)n >= size) /* too long a path: the folder stands */
                snprintf(out, size, "%s", dir);
        }
    if (d)
        closedir(d);
}

static int by_number(const struct dirent **a, const struct dirent **b)
{
    unsigned long x = strtoul((*a)->d_name, NULL, 10), y = strtoul((*b)->d_name, NULL, 10);
    return x < y ? -1 : x > y;
}

/* Uploads an earlier server kept in this data folder are offered again,
 * under the ids they had (those its sessions name). */
static int reload_uploads(catalog *c)
{
    struct dirent **names = NULL;
    int n = scandir(c->upload_dir, &names, NULL, by_number);
    int rc = 0;
    for (int k = 0; k < n; k++) {
        char *end;
        unsigned long seq = strtoul(names[k]->d_name, &end, 10);
        char dir[PATH_MAX], target[PATH_MAX];
        if (rc == 0 && *end == '\0' && seq > 0 && c->n_uploads < c->o->max_uploads &&
            (size_t)snprintf(dir, sizeof dir, "%s/%s", c->upload_dir, names[k]->d_name) <
                sizeof dir) {
            upload_target(dir, target, sizeof target);
            truce_scenario *s = NULL;
            truce_error err;
            entry *e = NULL;
            char id[200];
            if (load(target, c->o, &s, &err) == 0) {
                upload_id(id, sizeof id, seq, truce_scenario_name(s));
                if ((rc = catalog_add(c, id, target, 1, &e)) == 0) {
                    e->s = s;
                    c->n_uploads++;
                } else {
                    truce_scenario_free(s);
                }
            }
        }
        if (seq > c->upload_seq)
            c->upload_seq = seq;
        free(names[k]);
    }
    free(names);
    return rc;
}

int catalog_upload(catalog *c, const json_t *files, char **id, char *why, size_t size)
{
    const serve_options *o = c->o;
    size_t n = json_array_size(files);
    if (!json_is_array(files) || n == 0) {
        snprintf(why, size,
                 "give the scenario's files: one .yaml file, a GENIUS domain and its "
                 "profiles (.xml), or a GeniusWeb domain and its profiles (.json)");
        return 400;
    }
    if (n > MAX_UPLOAD_FILES || n > (size_t)o->limits.max_parties + 1) {
        snprintf(why, size, "%zu files: a scenario has at most %u profiles and one domain", n,
                 o->limits.max_parties);
        return 422;
    }
    size_t yaml = 0, xml = 0, json = 0;
    for (size_t k = 0; k < n; k++) {
        json_t *f = json_array_get(files, k);
        const char *name = json_string_value(json_object_get(f, "name"));
        json_t *content = json_object_get(f, "content");
        if (!name || !json_is_string(content)) {
            snprintf(why, size, "every file needs a name and its content as text");
            return 400;
        }
        if (!safe_name(name)) {
            snprintf(why, size,
                     "'%.120s': file names are plain names (letters, digits, '.', '_', '-', "
                     "spaces) without folders",
                     name);
            return 422;
        }
        for (size_t q = 0; q < k; q++)
            if (!strcmp(name,
                        json_string_value(json_object_get(json_array_get(files, q), "name")))) {
                snprintf(why, size, "'%s' is given twice", name);
                return 422;
            }
        if (is_yaml(name))
            yaml++;
        else if (has_suffix(name, ".xml"))
            xml++;
        else if (has_suffix(name, ".json"))
            json++;
        else {
            snprintf(why, size,
                     "'%.120s': a scenario is a native .yaml file, GENIUS .xml files or "
                     "GeniusWeb .json files (a domain and its profiles)",
                     name);
            return 422;
        }
    }
    if ((yaml > 0) + (xml > 0) + (json > 0) > 1 || yaml > 1) {
        snprintf(why, size,
                 "give one .yaml scenario, GENIUS .xml files or GeniusWeb .json files, "
                 "not a mix");
        return 422;
    }
    pthread_mutex_lock(&c->lock);
    if (c->n_uploads >= o->max_uploads) {
        pthread_mutex_unlock(&c->lock);
        snprintf(why, size, "the server keeps at most %zu uploaded scenarios", o->max_uploads);
        return 503;
    }
    /* a folder of its own: never one an earlier upload holds */
    char dir[PATH_MAX], prefix[PATH_MAX + 2];
    unsigned long seq = 0;
    int made = -1;
    for (int tries = 0; made != 0 && tries < 1000; tries++) {
        seq = ++c->upload_seq;
        snprintf(dir, sizeof dir, "%s/%lu", c->upload_dir, seq);
        made = mkdir(dir, 0700);
        if (made != 0 && errno != EEXIST)
            break;
    }
    pthread_mutex_unlock(&c->lock);
    snprintf(prefix, sizeof prefix, "%s/", dir);
    if (made != 0) {
        snprintf(why, size, "cannot store the upload: %s", strerror(errno));
        return 500;
    }
    char target[PATH_MAX] = "";
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        json_t *f = json_array_get(files, k);
        const char *name = json_string_value(json_object_get(f, "name"));
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path ||
            write_file(path, json_string_value(json_object_get(f, "content")),
                       json_string_length(json_object_get(f, "content")))) {
            snprintf(why, size, "cannot store the upload: %s", strerror(errno));
            rc = 500;
        }
        if (is_yaml(name))
            snprintf(target, sizeof target, "%s", path);
    }
    truce_scenario *s = NULL;
    if (rc == 0) {
        truce_error err;
        /* the loaders the command line uses: its messages, its limits */
        if (load(yaml ? target : dir, o, &s, &err)) {
            snprintf(why, size, "%s", err.message);
            serve_strip(why, prefix);
            serve_strip(why, dir);
            rc = 422;
        }
    }
    if (rc) {
        remove_folder(dir);
        return rc;
    }
    char wanted[200];
    upload_id(wanted, sizeof wanted, seq, truce_scenario_name(s));
    pthread_mutex_lock(&c->lock);
    entry *e = NULL;
    if (catalog_add(c, wanted, yaml ? target : dir, 1, &e) == 0) {
        e->s = s;
        c->n_uploads++;
        *id = strdup(e->id);
        if (!*id) {
            rc = 500;
            snprintf(why, size, "out of memory");
        }
    } else {
        truce_scenario_free(s);
        rc = 500;
        snprintf(why, size, "out of memory");
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}
