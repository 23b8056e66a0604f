/* testutil.c: helpers shared by the tests (see testutil.h). The brute force
 * here is written independently of src/analysis: quadratic dominance checks
 * over every outcome, using only the public utility function. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *corpus_path(const char *relative, char *buf, size_t size)
{
    struct stat st;
    snprintf(buf, size, "%s/genius/%s", TRUCE_SCENARIOS, relative);
    if (stat(buf, &st) != 0)
        return NULL;
    return buf;
}

void require_corpus(void)
{
    char buf[1024];
    if (!corpus_path("", buf, sizeof buf)) {
        printf("SKIP: scenario corpus not found at %s/genius\n", TRUCE_SCENARIOS);
        exit(77);
    }
}

const char *temp_dir(void)
{
    static char slots[16][256];
    static int next;
    char *d = slots[next++ % 16];
    snprintf(d, 256, "/tmp/truce-test-XXXXXX");
    if (!mkdtemp(d)) {
        perror("mkdtemp");
        exit(1);
    }
    return d;
}

const char *temp_path(const char *name)
{
    static char paths[16][1024];
    static unsigned slot;
    char *p = paths[slot++ % 16];
    snprintf(p, sizeof paths[0], "%s/%s", temp_dir(), name);
    return p;
}

const char *temp_file(const char *name, const char *content)
{
    static char slots[16][512];
    static int next;
    char *p = slots[next++ % 16];
    snprintf(p, 512, "%s/%s", temp_dir(), name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        perror(p);
        exit(1);
    }
    fputs(content, f);
    fclose(f);
    return p;
}

static char *slurp_fd(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* argv for the truce binary: TRUCE_BINARY, then args (calloc'd). */
static const char **truce_argv(const char *const *args)
{
    size_t n = 0;
    while (args[n])
        n++;
    const char **argv = calloc(n + 2, sizeof *argv);
    assert_non_null(argv);
    argv[0] = TRUCE_BINARY;
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = args[i];
    return argv;
}

int spawn_truce(const char *const *args)
{
    const char **argv = truce_argv(args);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execv(TRUCE_BINARY, (char *const *)argv);
        _exit(127);
    }
    free(argv);
    return (int)pid;
}

int run_truce(const char *const *args, char **out, char **err)
{
    char out_path[] = "/tmp/truce-out-XXXXXX", err_path[] = "/tmp/truce-err-XXXXXX";
    int fo = mkstemp(out_path), fe = mkstemp(err_path);
    const char **argv = truce_argv(args);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        execv(TRUCE_BINARY, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    free(argv);
    lseek(fo, 0, SEEK_SET);
    lseek(fe, 0, SEEK_SET);
    char *o = slurp_fd(fo), *e = slurp_fd(fe);
    close(fo);
    close(fe);
    unlink(out_path);
    unlink(err_path);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

void outcome_from_index(const truce_scenario *s, uint64_t index, uint32_t *outcome)
{
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        uint32_t k = truce_issue_option_count(s, i);
        outcome[i] = (uint32_t)(index % k);
        index /= k;
    }
}

#define TOL 1e-12

static int dominates(const double *a, const double *b, size_t n)
{
    int strict = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] < b[i] - TOL)
            return 0;
        if (a[i] > b[i] + TOL)
            strict = 1;
    }
    return strict;
}

static size_t n_cmp;
static int cmp_desc(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    for (size_t i = 0; i < n_cmp; i++) {
        if (a[i] > b[i])
            return -1;
        if (a[i] < b[i])
            return 1;
    }
    return 0;
}

void brute_force(const truce_scenario *s, brute *b)
{
    size_t np = truce_scenario_party_count(s), ni = truce_scenario_issue_count(s);
    uint64_t total = 1;
    for (size_t i = 0; i < ni; i++)
        total *= truce_issue_option_count(s, i);
    memset(b, 0, sizeof *b);
    b->n_parties = np;
    b->n_issues = ni;
    b->n_outcomes = total;
    b->u = malloc(total * np * sizeof *b->u);
    uint32_t *o = malloc(ni * sizeof *o);
    for (uint64_t x = 0; x < total; x++) {
        outcome_from_index(s, x, o);
        for (size_t p = 0; p < np; p++)
            b->u[x * np + p] = truce_utility(s, p, o);
    }
    free(o);
    char *on_front = calloc(total, 1);
    for (uint64_t x = 0; x < total; x++) {
        int dominated = 0;
        for (uint64_t y = 0; y < total && !dominated; y++)
            dominated = dominates(&b->u[y * np], &b->u[x * np], np);
        if (!dominated) {
            on_front[x] = 1;
            b->pareto_count++;
        }
    }
    /* distinct frontier vectors (exact duplicates collapsed) */
    b->points = malloc(b->pareto_count * np * sizeof *b->points);
    size_t k = 0;
    for (uint64_t x = 0; x < total; x++)
        if (on_front[x])
            memcpy(&b->points[k++ * np], &b->u[x * np], np * sizeof *b->points);
    n_cmp = np;
    qsort(b->points, k, np * sizeof *b->points, cmp_desc);
    size_t distinct = 0;
    for (size_t j = 0; j < k; j++) {
        int same = distinct > 0;
        for (size_t p = 0; same && p < np; p++)
            if (b->points[j * np + p] > b->points[(distinct - 1) * np + p] + TOL ||
                b->points[j * np + p] < b->points[(distinct - 1) * np + p] - TOL)
                same = 0;
        if (!same)
            memmove(&b->points[distinct++ * np], &b->points[j * np], np * sizeof *b->points);
    }
    b->n_points = distinct;
    /* bargaining values over every outcome, not only the frontier */
    double *r = malloc(np * sizeof *r), *ideal = malloc(np * sizeof *ideal);
    for (size_t p = 0; p < np; p++) {
        r[p] = truce_party_reservation(s, p);
        ideal[p] = -1;
    }
    b->nash_value = -1;
    b->ks_value = -1;
    b->welfare_value = -1;
    for (uint64_t x = 0; x < total; x++) {
        const double *u = &b->u[x * np];
        double sum = 0, prod = 1;
        int rational = 1;
        for (size_t p = 0; p < np; p++) {
            sum += u[p];
            prod *= u[p] - r[p];
            if (!(u[p] > r[p]))
                rational = 0;
        }
        if (sum > b->welfare_value)
            b->welfare_value = sum;
        if (rational) {
            b->zopa = 1;
            if (prod > b->nash_value)
                b->nash_value = prod;
            for (size_t p = 0; p < np; p++)
                if (u[p] > ideal[p])
                    ideal[p] = u[p];
        }
    }
    for (uint64_t x = 0; x < total && b->zopa; x++) {
        if (!on_front[x])
            continue;
        const double *u = &b->u[x * np];
        double ratio = 1e300;
        int rational = 1;
        for (size_t p = 0; p < np; p++) {
            if (!(u[p] > r[p]))
                rational = 0;
            double q = (u[p] - r[p]) / (ideal[p] - r[p]);
            if (q < ratio)
                ratio = q;
        }
        if (rational && ratio > b->ks_value)
            b->ks_value = ratio;
    }
    free(r);
    free(ideal);
    free(on_front);
}

void brute_free(brute *b)
{
    free(b->u);
    free(b->points);
    memset(b, 0, sizeof *b);
}

cli_result cli_run(const char *const *args)
{
    cli_result r;
    r.status = run_truce(args, &r.out, &r.err);
    assert_non_null(r.out);
    assert_non_null(r.err);
    return r;
}

cli_result cli_run_ok(const char *const *args)
{
    cli_result r = cli_run(args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_string_equal(r.err, "");
    return r;
}

void cli_run_free(cli_result *r)
{
    free(r->out);
    free(r->err);
}

void assert_one_line(const char *text)
{
    size_t n = strlen(text);
    if (n == 0 || text[n - 1] != '\n' || strchr(text, '\n') != text + n - 1)
        fail_msg("expected exactly one line on stderr, got:\n%s", text);
}

void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in:\n%s", part, text);
}

json_t *json_parse_or_fail(const char *text)
{
    json_error_t error;
    json_t *j = json_loads(text, 0, &error);
    if (!j)
        fail_msg("not one JSON value (%s at line %d):\n%s", error.text, error.line, text);
    return j;
}

int trace_buf_collect(const char *record, size_t length, void *payload)
{
    trace_buf *t = payload;
    if (t->fail)
        return -1;
    if (t->size + length + 2 > t->cap) {
        t->cap = (t->size + length + 2) * 2;
        t->data = realloc(t->data, t->cap);
        assert_non_null(t->data);
    }
    memcpy(t->data + t->size, record, length);
    t->size += length;
    t->data[t->size++] = '\n';
    t->data[t->size] = '\0';
    return 0;
}

truce_mediation *mediate_or_fail(const truce_scenario *s, truce_mediation_options *o,
                                 trace_buf *trace)
{
    if (trace) {
        memset(trace, 0, sizeof *trace);
        o->trace = trace_buf_collect;
        o->trace_payload = trace;
    }
    truce_mediation *m = NULL;
    truce_error err;
    if (truce_mediate(&m, s, o, &err))
        fail_msg("truce_mediate failed: %s", err.message);
    return m;
}

json_t *mediation_report_json(const truce_mediation *m)
{
    char *text = NULL;
    truce_error err;
    if (truce_mediation_report(m, &text, &err))
        fail_msg("truce_mediation_report failed: %s", err.message);
    json_t *j = json_parse_or_fail(text);
    truce_free(text);
    return j;
}

char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

void assert_close_at(double a, double b, double tolerance, int line)
{
    if (!(fabs(a - b) <= tolerance))
        fail_msg("line %d: %.17g and %.17g differ by more than %g", line, a, b, tolerance);
}

static int compare_strings(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static char **sub_folders(const char *dir, size_t *count)
{
    char **list = NULL;
    size_t n = 0;
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        list = realloc(list, (n + 1) * sizeof *list);
        list[n++] = strdup(path);
    }
    if (d)
        closedir(d);
    if (n)
        qsort(list, n, sizeof *list, compare_strings);
    *count = n;
    return list;
}

void free_strings(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

char **corpus_folders(size_t *count)
{
    char buf[1024];
    char **all = NULL;
    size_t n = 0, n_groups = 0;
    char **groups = sub_folders(corpus_path("anac", buf, sizeof buf), &n_groups);
    groups = realloc(groups, (n_groups + 1) * sizeof *groups);
    groups[n_groups++] = strdup(corpus_path("other", buf, sizeof buf) ? buf : "");
    for (size_t g = 0; g < n_groups; g++) {
        size_t k;
        char **folders = sub_folders(*groups[g] ? groups[g] : NULL, &k);
        all = realloc(all, (n + k + 1) * sizeof *all);
        for (size_t i = 0; i < k; i++)
            all[n++] = folders[i];
        free(folders);
        free(groups[g]);
    }
    free(groups);
    *count = n;
    return all;
}
