/* test_failure_paths.c: what truce does when things go wrong around it: full disks and unwritable
 * outputs (nothing partial is left as if complete), interrupts, truncated and corrupted inputs. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"
#define SEED TRUCE_EXAMPLES "/seed/truce-talks.yaml"

/* Names in a folder other than `keep`, joined by spaces ("" when none):
 * leftovers such as temporary files. */
static void leftovers(const char *dir, const char *keep, char *buf, size_t size)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    buf[0] = '\0';
    struct dirent *de;
    size_t used = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || (keep && strstr(keep, de->d_name)))
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s ", de->d_name);
        if (used >= size)
            break;
    }
    closedir(d);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The truce binary with files limited to `max_bytes` (RLIMIT_FSIZE, SIGXFSZ
 * ignored: a write past the limit fails with EFBIG, as on a full disk).
 * stderr goes to err_path. Returns the exit status. */
static int run_limited(const char *const *args, rlim_t max_bytes, const char *err_path)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char *argv[32] = {TRUCE_BINARY};
        for (int i = 0; args[i] && i < 30; i++)
            argv[i + 1] = args[i];
        int out = open("/dev/null", O_WRONLY);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(out, 1);
        dup2(err, 2);
        struct rlimit r = {max_bytes, max_bytes};
        setrlimit(RLIMIT_FSIZE, &r);
        signal(SIGXFSZ, SIG_IGN);
        execv(TRUCE_BINARY, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ------------------------------------------------------------------ */
/* Full disks and unwritable outputs                                  */
/* ------------------------------------------------------------------ */

static void test_trace_to_a_full_device_fails_naming_it(void **state)
{
    (void)state;
    const char *const negotiate[] = {
        "negotiate", "--agents", "boulware,conceder", "--trace", "/dev/full", CEASEFIRE, NULL};
    const char *const repeat[] = {"negotiate", "--agents",  "boulware,conceder", "--repetitions", "5",
                                  "--trace",   "/dev/full", CEASEFIRE,           NULL};
    const char *const mediate[] = {"mediate", "--trace", "/dev/full", SEED, NULL};
    const char *const *cases[] = {negotiate, repeat, mediate};
    for (size_t k = 0; k < 3; k++) {
        cli_result r = cli_run(cases[k]);
        assert_int_equal(r.status, 1);
        assert_one_line(r.err);
        assert_contains(r.err, "/dev/full: write failed: No space left on device");
        cli_run_free(&r);
    }
}

/* A trace that fills the disk part way: the previous trace stays whole and
 * no partial or temporary file is left. */
static void test_trace_cut_short_by_a_full_disk_leaves_the_previous_file(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char trace[512], err_path[512], left[1024];
    snprintf(trace, sizeof trace, "%s/t.jsonl", dir);
    snprintf(err_path, sizeof err_path, "%s/../truce-failure-err-%d", dir, (int)getpid());
    write_text(trace, "previous\n");
    const char *const negotiate[] = {"negotiate", "--agents", "boulware,conceder",
                                     "--rounds",  "1000",     "--trace",
                                     trace,       CEASEFIRE,  NULL};
    const char *const mediate[] = {"mediate", "--trace", trace, SEED, NULL};
    const char *const *cases[] = {negotiate, mediate};
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(run_limited(cases[k], 2000, err_path), 1);
        char *err = slurp_file(err_path);
        assert_one_line(err);
        assert_contains(err, "t.jsonl: write failed: File too large");
        free(err);
        char *kept = slurp_file(trace);
        assert_string_equal(kept, "previous\n");
        free(kept);
        leftovers(dir, "t.jsonl", left, sizeof left);
        assert_string_equal(left, "");
        /* with room, the same command replaces the file whole */
        assert_int_equal(run_limited(cases[k], RLIM_INFINITY, err_path), 0);
        char *whole = slurp_file(trace);
        assert_true(strlen(whole) > 2000);
        assert_int_equal(whole[strlen(whole) - 1], '\n');
        free(whole);
        write_text(trace, "previous\n");
    }
    unlink(err_path);
}

static void test_convert_cut_short_leaves_previous_files_and_no_temporaries(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char yaml[512], folder[512], err_path[512], left[2048];
    snprintf(yaml, sizeof yaml, "%s/out.yaml", dir);
    snprintf(folder, sizeof folder, "%s/genius", dir);
    snprintf(err_path, sizeof err_path, "%s/../truce-failure-err-%d", dir, (int)getpid());
    write_text(yaml, "previous\n");
    const char *const to_yaml[] = {"convert", CEASEFIRE, "-o", yaml, NULL};
    assert_int_equal(run_limited(to_yaml, 300, err_path), 1);
    char *err = slurp_file(err_path);
    assert_one_line(err);
    assert_contains(err, "out.yaml: write failed: File too large");
    free(err);
    char *kept = slurp_file(yaml);
    assert_string_equal(kept, "previous\n");
    free(kept);
    leftovers(dir, "out.yaml", left, sizeof left);
    assert_string_equal(left, "");
    /* GENIUS: three files, all or nothing; the first conversion succeeds */
    const char *const to_genius[] = {"convert", SEED, "-o", folder, NULL};
    assert_int_equal(run_limited(to_genius, RLIM_INFINITY, err_path), 0);
    char before[2048];
    leftovers(folder, NULL, before, sizeof before);
    assert_true(strlen(before) > 0);
    struct stat st_before, st_after;
    char domain[1024];
    snprintf(domain, sizeof domain, "%s/%s", folder, strtok(before, " "));
    assert_int_equal(stat(domain, &st_before), 0);
    assert_int_equal(run_limited(to_genius, 500, err_path), 1);
    err = slurp_file(err_path);
    assert_contains(err, "write failed: File too large");
    free(err);
    assert_int_equal(stat(domain, &st_after), 0);
    assert_int_equal(st_after.st_size, st_before.st_size);
    leftovers(folder, NULL, left, sizeof left);
    assert_null(strstr(left, ".tmp-"));
    unlink(err_path);
}

static void test_unwritable_outputs_are_refused_at_once(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char missing[512];
    snprintf(missing, sizeof missing, "%s/no/such/folder/t.jsonl", dir);
    const char *const negotiate[] = {
        "negotiate", "--agents", "boulware,conceder", "--trace", missing, CEASEFIRE, NULL};
    cli_result r = cli_run(negotiate);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, "t.jsonl: cannot open for writing: No such file or directory");
    assert_string_equal(r.out, ""); /* refused before running */
    cli_run_free(&r);
    const char *const folder[] = {"mediate", "--trace", dir, SEED, NULL};
    r = cli_run(folder);
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "cannot write: it is a folder");
    cli_run_free(&r);
    const char *const convert[] = {"convert", SEED, "-o", missing, NULL};
    r = cli_run(convert);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    cli_run_free(&r);
}

/* The library's writers: TRUCE_EIO naming the file; the previous file stays. */
static void test_library_writers_report_a_full_disk(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load(&s, SEED, NULL, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_scenario_save_yaml(s, "/dev/full", &err), TRUCE_EIO);
    assert_contains(err.message, "/dev/full: write failed: No space left on device");
    truce_scenario_free(s);
    if (truce_scenario_load(&s, CEASEFIRE, NULL, &err))
        fail_msg("%s", err.message);
    size_t np = truce_scenario_party_count(s);
    const char *profiles[8];
    for (size_t p = 0; p < np; p++)
        profiles[p] = "/dev/null";
    assert_int_equal(truce_scenario_save_genius(s, "/dev/full", profiles, np, &err), TRUCE_EIO);
    assert_contains(err.message, "/dev/full: write failed: No space left on device");
    /* in a forked child limited to 100 bytes: the file keeps its old text */
    const char *path = temp_file("kept.yaml", "previous\n");
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit r = {100, 100};
        setrlimit(RLIMIT_FSIZE, &r);
        signal(SIGXFSZ, SIG_IGN);
        truce_error child_err;
        int rc = truce_scenario_save_yaml(s, path, &child_err);
        _exit(rc == TRUCE_EIO && strstr(child_err.message, "File too large") ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *kept = slurp_file(path);
    assert_string_equal(kept, "previous\n");
    free(kept);
    char dir[512], left[1024];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    leftovers(dir, "kept.yaml", left, sizeof left);
    assert_string_equal(left, "");
    truce_scenario_free(s);
}

/* The truce binary with its standard output going to `out_path` (a file, or /dev/full: a full
 * disk); its standard error is returned (malloc'd) with the exit status. */
static int run_with_stdout(const char *const *args, const char *out_path, char **err_text)
{
    char err_path[512];
    snprintf(err_path, sizeof err_path, "%s/err.txt", temp_dir());
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char *argv[32] = {TRUCE_BINARY};
        for (int i = 0; args[i] && i < 30; i++)
            argv[i + 1] = args[i];
        int out = open(out_path, O_WRONLY);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(out, 1);
        dup2(err, 2);
        execv(TRUCE_BINARY, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    *err_text = slurp_file(err_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A small finished tournament database. */
static const char *small_db(void)
{
    const char *db = temp_path("small.db");
    const char *const run[] = {"tournament", "--quiet", "--db",     db, "--agents",
                               "boulware,conceder",     "--rounds", "30", CEASEFIRE,
                               NULL};
    cli_result r = cli_run_ok(run);
    cli_run_free(&r);
    return db;
}

/* Standard output on a full disk: every command said nothing and exited 0 (a CSV export came out
 * cut short). Now the failed write is an error, exit status 1. */
static void test_standard_output_on_a_full_disk_is_an_error(void **state)
{
    (void)state;
    const char *db = small_db();
    const char *const results[] = {"results", db, NULL};
    const char *const json[] = {"results", "--json", db, NULL};
    const char *const csv[] = {"results", "--csv", "negotiations", db, NULL};
    const char *const negotiate[] = {"negotiate", "--agents", "boulware,conceder", CEASEFIRE,
                                     NULL};
    const char *const negotiate_json[] = {"negotiate", "--json", "--agents", "boulware,conceder",
                                          CEASEFIRE, NULL};
    const char *const mediate[] = {"mediate", SEED, NULL};
    const char *const analyze[] = {"analyze", "--json", CEASEFIRE, NULL};
    const char *const check[] = {"check", SEED, NULL};
    const char *const agents[] = {"agents", NULL};
    const char *const help[] = {"--help", NULL};
    const char *const *cases[] = {results, json,  csv,   negotiate, negotiate_json,
                                  mediate, analyze, check, agents,    help};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *err = NULL;
        int status = run_with_stdout(cases[k], "/dev/full", &err);
        if (status != 1)
            fail_msg("truce %s > /dev/full: status %d (%s)", cases[k][0], status, err);
        assert_contains(err, "cannot write the output: No space left on device");
        free(err);
    }
}

/* report -o replaced devices, pipes and symbolic links by renaming a file over them (as root,
 * -o /dev/null replaced the device) and said nothing. Now they are written as every output
 * is: devices and pipes directly, a link's file replaced with the link kept. And a file replaced
 * keeps its permissions (a 0600 file came back 0644), whichever command wrote it. */
static void test_outputs_keep_devices_pipes_links_and_permissions(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char device[512], fifo[512], target[512], link[512], html[512];
    snprintf(device, sizeof device, "%s/null", dir);
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    snprintf(target, sizeof target, "%s/real.html", dir);
    snprintf(link, sizeof link, "%s/link.html", dir);
    snprintf(html, sizeof html, "%s/page.html", dir);
    struct stat st;
    /* a device node of our own (the null device), when we may make one */
    if (mknod(device, S_IFCHR | 0666, makedev(1, 3)) == 0) {
        const char *const report[] = {"report", SEED, "-o", device, NULL};
        cli_result r = cli_run_ok(report);
        cli_run_free(&r);
        assert_int_equal(lstat(device, &st), 0);
        assert_true(S_ISCHR(st.st_mode));
    } else {
        print_message("note: cannot make a device node here; that case is skipped\n");
    }
    /* a pipe, with a reader that counts what comes */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int counter[2];
    assert_int_equal(pipe(counter), 0);
    pid_t reader = fork();
    assert_true(reader >= 0);
    if (reader == 0) {
        int fd = open(fifo, O_RDONLY);
        char buf[4096];
        long total = 0;
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            total += n;
        ssize_t ignored = write(counter[1], &total, sizeof total);
        (void)ignored;
        _exit(0);
    }
    close(counter[1]);
    const char *const to_fifo[] = {"report", SEED, "-o", fifo, NULL};
    cli_result r = cli_run_ok(to_fifo);
    cli_run_free(&r);
    long total = 0;
    assert_int_equal(read(counter[0], &total, sizeof total), (ssize_t)sizeof total);
    close(counter[0]);
    waitpid(reader, NULL, 0);
    assert_true(total > 1000);
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    /* a symbolic link to a 0600 file: the link stays, the file is replaced, still 0600 */
    write_text(target, "old\n");
    chmod(target, 0600);
    assert_int_equal(symlink("real.html", link), 0);
    const char *const to_link[] = {"report", SEED, "-o", link, NULL};
    r = cli_run_ok(to_link);
    cli_run_free(&r);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *page = slurp_file(target);
    assert_contains(page, "<html");
    free(page);
    /* every writer keeps a replaced file's permissions */
    char trace[512], yaml[512], csv[512];
    snprintf(trace, sizeof trace, "%s/t.jsonl", dir);
    snprintf(yaml, sizeof yaml, "%s/s.yaml", dir);
    snprintf(csv, sizeof csv, "%s/r.csv", dir);
    const char *db = small_db();
    const char *const report[] = {"report", SEED, "-o", html, NULL};
    const char *const negotiate[] = {"negotiate", "--agents", "boulware,conceder", "--trace",
                                     trace,       CEASEFIRE,  NULL};
    const char *const mediate[] = {"mediate", "--trace", trace, SEED, NULL};
    const char *const convert[] = {"convert", CEASEFIRE, "-o", yaml, NULL};
    const char *const results[] = {"results", "--csv", "negotiations", "-o", csv, db, NULL};
    const char *const *cases[] = {report, negotiate, mediate, convert, results};
    const char *paths[] = {html, trace, trace, yaml, csv};
    for (size_t k = 0; k < 5; k++) {
        write_text(paths[k], "old\n");
        chmod(paths[k], 0600);
        r = cli_run_ok(cases[k]);
        cli_run_free(&r);
        assert_int_equal(stat(paths[k], &st), 0);
        if ((st.st_mode & 0777) != 0600)
            fail_msg("truce %s: %s came back %o", cases[k][0], paths[k], st.st_mode & 0777);
        char *text = slurp_file(paths[k]);
        assert_true(strcmp(text, "old\n") != 0);
        free(text);
    }
}

/* ------------------------------------------------------------------ */
/* Interrupts                                                         */
/* ------------------------------------------------------------------ */

/* SIGINT or SIGTERM in the middle of a long traced run: the process stops
 * at once, by that signal, and takes its temporary file with it. */
static void interrupt_long_run(int sig)
{
    const char *dir = temp_dir();
    char trace[512], left[1024];
    snprintf(trace, sizeof trace, "%s/t.jsonl", dir);
    write_text(trace, "previous\n");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        struct rlimit r = {64 << 20, 64 << 20}; /* a safety net for the disk */
        setrlimit(RLIMIT_FSIZE, &r);
        execl(TRUCE_BINARY, TRUCE_BINARY, "negotiate", "--agents", "boulware,conceder", "--repetitions",
              "1000000000", "--trace", trace, CEASEFIRE, (char *)NULL);
        _exit(127);
    }
    /* wait for the temporary file, then interrupt */
    int seen = 0;
    for (int k = 0; k < 20000 && !seen; k++) {
        leftovers(dir, "t.jsonl", left, sizeof left);
        seen = strstr(left, ".tmp-") != NULL;
        if (!seen)
            usleep(1000);
    }
    assert_true(seen);
    usleep(20000);
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), sig);
    char *kept = slurp_file(trace);
    assert_string_equal(kept, "previous\n");
    free(kept);
    leftovers(dir, "t.jsonl", left, sizeof left);
    assert_string_equal(left, "");
}

static void test_interrupt_removes_the_unfinished_trace(void **state)
{
    (void)state;
    interrupt_long_run(SIGINT);
    interrupt_long_run(SIGTERM);
}

/* ------------------------------------------------------------------ */
/* Truncated and corrupted inputs                                     */
/* ------------------------------------------------------------------ */

typedef struct scenario_files {
    const char *label;
    const char *paths[4]; /* GENIUS: domain then profiles; YAML: one file */
    size_t n;
} scenario_files;

static char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc(*size + 1);
    assert_int_equal(fread(data, 1, *size, f), *size);
    fclose(f);
    return data;
}

/* Load the scenario with file `which` replaced by `data`: success, or a
 * one-line error with the output untouched. Returns the code. */
static int load_altered(const scenario_files *sc, size_t which, const char *data, size_t size,
                        const char *dir)
{
    char paths[4][600];
    const char *profiles[3];
    for (size_t k = 0; k < sc->n; k++) {
        const char *base = strrchr(sc->paths[k], '/') + 1;
        snprintf(paths[k], sizeof paths[k], "%s/%s", dir, base);
        size_t n;
        char *original = k == which ? NULL : read_all(sc->paths[k], &n);
        FILE *f = fopen(paths[k], "wb");
        assert_non_null(f);
        if (k == which)
            assert_true(size == 0 || fwrite(data, 1, size, f) == size);
        else
            assert_int_equal(fwrite(original, 1, n, f), n);
        fclose(f);
        free(original);
        if (k)
            profiles[k - 1] = paths[k];
    }
    truce_scenario *sentinel = (truce_scenario *)&paths, *s = sentinel;
    truce_error err;
    int rc = sc->n == 1 ? truce_scenario_load(&s, paths[0], NULL, &err)
                        : truce_scenario_load_genius(&s, paths[0], profiles, sc->n - 1, NULL, &err);
    if (rc) {
        assert_ptr_equal(s, sentinel);
        assert_true(rc < 0);
        assert_int_equal(err.code, rc);
        assert_true(err.message[0] != '\0');
        assert_null(strchr(err.message, '\n'));
    } else {
        /* what loads is usable */
        size_t ni = truce_scenario_issue_count(s);
        uint32_t *outcome = calloc(ni, sizeof *outcome);
        for (size_t p = 0; p < truce_scenario_party_count(s); p++)
            assert_false(truce_utility(s, p, outcome) > 1);
        free(outcome);
        truce_scenario_free(s);
    }
    return rc;
}

static const scenario_files inputs[] = {
    {"ceasefire",
     {CEASEFIRE "/ceasefire_domain.xml", CEASEFIRE "/russia.xml", CEASEFIRE "/ukraine.xml"},
     3},
    {"handmade",
     {TRUCE_TEST_DATA "/handmade/domain.xml", TRUCE_TEST_DATA "/handmade/a.xml",
      TRUCE_TEST_DATA "/handmade/b.xml"},
     3},
    {"nonlinear",
     {TRUCE_TEST_DATA "/nonlinear/domain.xml", TRUCE_TEST_DATA "/nonlinear/p.xml",
      TRUCE_TEST_DATA "/nonlinear/q.xml"},
     3},
    {"seed", {SEED}, 1},
};

/* Every file cut at 48 places spread over its length (and at every one of
 * its first 64 bytes): refused with a one-line error, never a crash. A cut
 * inside the text is almost always refused; some cuts (after the closing
 * tag) leave a whole document. */
static void test_truncated_inputs_are_refused_cleanly(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    size_t loads = 0, refused = 0;
    for (size_t c = 0; c < sizeof inputs / sizeof inputs[0]; c++) {
        for (size_t which = 0; which < inputs[c].n; which++) {
            size_t size;
            char *data = read_all(inputs[c].paths[which], &size);
            for (size_t k = 0; k < 64 + 48; k++) {
                size_t cut = k < 64 ? k : (k - 64) * size / 48;
                if (cut >= size)
                    continue;
                refused += load_altered(&inputs[c], which, data, cut, dir) != 0;
                loads++;
            }
            free(data);
        }
    }
    printf("%zu truncated inputs, %zu refused\n", loads, refused);
    assert_true(refused >= loads * 9 / 10);
}

/* Bytes replaced by ones that matter to the parsers, at positions drawn
 * from a fixed generator: each load succeeds or is refused cleanly. */
static void test_corrupted_inputs_are_refused_or_loaded_never_crash(void **state)
{
    (void)state;
    static const char bytes[] = {'<',  '>', '"', '&', '\0', (char)0xFF, '9', '-',
                                 '\n', ' ', ':', '[', '{',  '*',        '#', 'e'};
    const char *dir = temp_dir();
    uint64_t x = 88172645463325252ull;
    size_t loads = 0, refused = 0;
    for (size_t c = 0; c < sizeof inputs / sizeof inputs[0]; c++) {
        for (size_t which = 0; which < inputs[c].n; which++) {
            size_t size;
            char *data = read_all(inputs[c].paths[which], &size);
            char *copy = malloc(size);
            for (int k = 0; k < 150; k++) {
                memcpy(copy, data, size);
                for (int hits = 0; hits < 1 + k % 3; hits++) {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    copy[x % size] = bytes[(x >> 32) % sizeof bytes];
                }
                refused += load_altered(&inputs[c], which, copy, size, dir) != 0;
                loads++;
            }
            free(copy);
            free(data);
        }
    }
    printf("%zu corrupted inputs, %zu refused\n", loads, refused);
    assert_true(refused > 0);
}

/* Through the command line: exit 1 and one line, for a truncated file. */
static void test_cli_refuses_a_truncated_file_in_one_line(void **state)
{
    (void)state;
    size_t size;
    char *data = read_all(SEED, &size);
    /* cut inside the first flow mapping, so that what is left is no scenario
     * wherever the seed's lines fall */
    char *cut = strstr(data, "weights: {");
    assert_non_null(cut);
    cut[strlen("weights: {")] = '\0';
    const char *path = temp_file("cut.yaml", data);
    free(data);
    const char *const check[] = {"check", path, NULL};
    cli_result r = cli_run(check);
    assert_int_equal(r.status, 1);
    assert_one_line(r.err);
    assert_contains(r.err, "cut.yaml:");
    cli_run_free(&r);
}

/* ------------------------------------------------------------------ */
/* Results database on a full disk                                    */
/* ------------------------------------------------------------------ */

#define FULL_DISK_JOBS 120 /* 4 agents: 12 ordered pairs, 10 repetitions, one scenario */

/* Row k of the negotiations table of db as text (every column but elapsed, the wall-clock
 * time, which no two runs share), in rows[job] (malloc'd; NULL for a missing job); returns
 * the number of rows. */
static size_t result_rows(const char *db, char **rows)
{
    for (size_t k = 0; k < FULL_DISK_JOBS; k++)
        rows[k] = NULL;
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(h,
                                "SELECT job, json_array(scenario, matchup, repetition, seed, "
                                "agents, agreement, end_reason, rounds, time, outcome, utility, "
                                "utility_undiscounted, welfare, pareto_distance, nash_distance, "
                                "fault_seat, fault_message) FROM negotiations ORDER BY job",
                                -1, &q, NULL);
    if (rc != SQLITE_OK) { /* the run stopped before the tables were made */
        assert_non_null(strstr(sqlite3_errmsg(h), "no such table"));
        sqlite3_close(h);
        return 0;
    }
    size_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        sqlite3_int64 job = sqlite3_column_int64(q, 0);
        assert_true(job >= 0 && job < FULL_DISK_JOBS);
        assert_null(rows[job]);
        rows[job] = strdup((const char *)sqlite3_column_text(q, 1));
        n++;
    }
    sqlite3_finalize(q);
    sqlite3_close(h);
    return n;
}

static void free_rows(char **rows)
{
    for (size_t k = 0; k < FULL_DISK_JOBS; k++)
        free(rows[k]);
}

/* A tournament whose database cannot grow (RLIMIT_FSIZE: SQLite's writes fail part way) stops
 * with one line and exit 1, keeps only whole committed negotiations, and the same command run
 * again with room finishes it with the rows of an uninterrupted run. */
static void test_tournament_on_a_full_disk_keeps_whole_rows_and_resumes(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char whole_db[512], cut_db[512], err_path[512];
    snprintf(whole_db, sizeof whole_db, "%s/whole.db", dir);
    snprintf(cut_db, sizeof cut_db, "%s/cut.db", dir);
    snprintf(err_path, sizeof err_path, "%s/err.txt", dir);
    const char *args[] = {"tournament",
                          "--db",
                          NULL,
                          "--agents",
                          "boulware,conceder,linear,tft",
                          "--repetitions",
                          "10",
                          "--rounds",
                          "50",
                          "--threads",
                          "1",
                          "--batch",
                          "8",
                          "--quiet",
                          CEASEFIRE,
                          NULL};
    args[2] = whole_db;
    assert_int_equal(run_limited(args, RLIM_INFINITY, err_path), 0);
    char *whole[FULL_DISK_JOBS], *cut[FULL_DISK_JOBS];
    assert_int_equal(result_rows(whole_db, whole), FULL_DISK_JOBS);

    /* Larger and larger files, until a run stops part way (where SQLite's writes fail depends
     * on its page and WAL layout, so several sizes are tried: pages of 16 KiB make every
     * commit grow the write-ahead log by at least that); the smallest fail while the database
     * is created, and must say so (not "it has other tables"). */
    args[2] = cut_db;
    int stopped = 0;
    for (rlim_t kib = 4; kib <= 2048 && !stopped; kib += kib < 128 ? 4 : 16) {
        remove(cut_db);
        char side[600];
        snprintf(side, sizeof side, "%s-wal", cut_db);
        remove(side);
        snprintf(side, sizeof side, "%s-shm", cut_db);
        remove(side);
        int status = run_limited(args, kib * 1024, err_path);
        if (status == 0)
            continue;
        assert_int_equal(status, 1);
        char *err = slurp_file(err_path);
        assert_one_line(err);
        assert_contains(err, "cut.db: results database:");
        assert_contains(err, "disk");
        free(err);
        size_t n = result_rows(cut_db, cut);
        /* every row kept is whole: the uninterrupted run's row for that job */
        for (size_t k = 0; k < FULL_DISK_JOBS; k++)
            if (cut[k])
                assert_string_equal(cut[k], whole[k]);
        free_rows(cut);
        stopped = n > 0 && n < FULL_DISK_JOBS;
    }
    assert_true(stopped);

    /* with room, the same command runs what is missing */
    assert_int_equal(run_limited(args, RLIM_INFINITY, err_path), 0);
    assert_int_equal(result_rows(cut_db, cut), FULL_DISK_JOBS);
    for (size_t k = 0; k < FULL_DISK_JOBS; k++)
        assert_string_equal(cut[k], whole[k]);
    free_rows(cut);
    free_rows(whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_to_a_full_device_fails_naming_it),
        cmocka_unit_test(test_trace_cut_short_by_a_full_disk_leaves_the_previous_file),
        cmocka_unit_test(test_convert_cut_short_leaves_previous_files_and_no_temporaries),
        cmocka_unit_test(test_unwritable_outputs_are_refused_at_once),
        cmocka_unit_test(test_library_writers_report_a_full_disk),
        cmocka_unit_test(test_standard_output_on_a_full_disk_is_an_error),
        cmocka_unit_test(test_outputs_keep_devices_pipes_links_and_permissions),
        cmocka_unit_test(test_interrupt_removes_the_unfinished_trace),
        cmocka_unit_test(test_truncated_inputs_are_refused_cleanly),
        cmocka_unit_test(test_corrupted_inputs_are_refused_or_loaded_never_crash),
        cmocka_unit_test(test_cli_refuses_a_truncated_file_in_one_line),
        cmocka_unit_test(test_tournament_on_a_full_disk_keeps_whole_rows_and_resumes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
