/* test_genius_xml.c: the GENIUS XML reader and writer: every corpus scenario loads, writing then
 * reading gives bit-identical utilities, and malformed input gets an error naming file and line. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/scenario.h"
#include "testutil.h"

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */
/* ------------------------------------------------------------------ */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Count of "<issue" start tags in a text (not "<issues" or similar). */
static size_t count_issue_tags(const char *text)
{
    size_t n = 0;
    for (const char *p = strstr(text, "<issue"); p; p = strstr(p + 1, "<issue")) {
        char c = p[6];
        n += c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/';
    }
    return n;
}

/* What a folder holds, read with plain string search (independent of libxml2
 * and of the reader): the issue tags of the domain file and the number of
 * profile files. */
static void folder_census(const char *dir, size_t *issues, size_t *profiles)
{
    *issues = 0;
    *profiles = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".xml") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        char *text = read_text(path);
        assert_non_null(text);
        if (strstr(text, "<negotiation_template"))
            *issues = count_issue_tags(text);
        else if (strstr(text, "<utility_space"))
            (*profiles)++;
        free(text);
    }
    closedir(d);
}

/* Number of outcomes, or HUGE_VAL beyond 2^63. */
static double outcome_total(const truce_scenario *s)
{
    double total = 1;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++)
        total *= truce_issue_option_count(s, i);
    return total;
}

/* splitmix64: the test's own seeded generator for random outcomes. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* ------------------------------------------------------------------ */
/* Corpus: every scenario loads                                       */
/* ------------------------------------------------------------------ */

static void test_every_corpus_folder_loads_with_its_issues_and_profiles(void **state)
{
    (void)state;
    size_t n;
    char **folders = corpus_folders(&n);
    assert_true(n >= 50); /* 55 ANAC folders and 9 others when this was written */
    for (size_t f = 0; f < n; f++) {
        truce_scenario *s = NULL;
        truce_error err;
        int rc = truce_scenario_load_dir(&s, folders[f], NULL, &err);
        if (rc)
            fail_msg("%s: %s", folders[f], err.message);
        size_t issues, profiles;
        folder_census(folders[f], &issues, &profiles);
        size_t ni = truce_scenario_issue_count(s), np = truce_scenario_party_count(s);
        if (ni != issues || np != profiles)
            fail_msg("%s: %zu issues and %zu parties loaded, files hold %zu and %zu", folders[f],
                     ni, np, issues, profiles);
        assert_true(ni >= 1 && ni <= 50);
        assert_true(np >= 2);
        if (strstr(folders[f], "/y2015/"))
            assert_true(np >= 3 && np <= 9); /* ANAC 2015 was multilateral */
        else if (strstr(folders[f], "/anac/"))
            assert_int_equal(np, 2); /* bilateral years */
        if (strstr(folders[f], "/y2014/")) {
            /* ANAC 2014 was the nonlinear year (its "50issues" domains hold 40
             * issues: folder names are not counts) */
            for (size_t p = 0; p < np; p++)
                assert_int_equal(truce_party_profile_kind(s, p), TRUCE_PROFILE_NONLINEAR);
        }
        for (size_t i = 0; i < ni; i++) {
            assert_true(truce_issue_option_count(s, i) >= 1);
            assert_non_null(truce_issue_name(s, i));
        }
        for (size_t p = 0; p < np; p++) {
            double r = truce_party_reservation(s, p), d = truce_party_discount(s, p);
            assert_true(r >= 0 && r <= 1);
            assert_true(d > 0 && d <= 1);
        }
        truce_scenario_free(s);
    }
    free_strings(folders, n);
}

static void test_anac_2010_england_zimbabwe_loads_by_explicit_paths(void **state)
{
    (void)state;
    char dir[1024], domain[1200], england[1200], zimbabwe[1200];
    corpus_path("anac/y2010/EnglandZimbabwe", dir, sizeof dir);
    snprintf(domain, sizeof domain, "%s/EnglandZimbabwe_domain.xml", dir);
    snprintf(england, sizeof england, "%s/England.xml", dir);
    snprintf(zimbabwe, sizeof zimbabwe, "%s/Zimbabwe.xml", dir);
    const char *profiles[] = {zimbabwe, england};
    truce_scenario *s = NULL;
    truce_error err;
    int rc = truce_scenario_load_genius(&s, domain, profiles, 2, NULL, &err);
    if (rc)
        fail_msg("%s", err.message);
    /* parties come in the order given and are named after their files */
    assert_string_equal(truce_party_name(s, 0), "Zimbabwe");
    assert_string_equal(truce_party_name(s, 1), "England");
    assert_string_equal(truce_scenario_name(s), "EnglandZimbabwe_domain");
    assert_int_equal(truce_scenario_issue_count(s), 5);
    truce_scenario_free(s);
}

/* ------------------------------------------------------------------ */
/* Round trip: load, save, load again                                 */
/* ------------------------------------------------------------------ */

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void assert_same_ufun(const ufun *a, const ufun *b)
{
    assert_int_equal(a->aggregation, b->aggregation);
    assert_true(same_bits(a->weight, b->weight));
    assert_int_equal(a->n_terms, b->n_terms);
    assert_int_equal(a->n_children, b->n_children);
    for (uint32_t j = 0; j < a->n_terms; j++) {
        const term *x = &a->terms[j], *y = &b->terms[j];
        assert_true(same_bits(x->utility, y->utility));
        assert_true(same_bits(x->weight, y->weight));
        assert_int_equal(x->exclusive, y->exclusive);
        assert_int_equal(x->n_bounds, y->n_bounds);
        for (uint32_t k = 0; k < x->n_bounds; k++) {
            assert_int_equal(x->bounds[k].issue, y->bounds[k].issue);
            assert_int_equal(x->bounds[k].min, y->bounds[k].min);
            assert_int_equal(x->bounds[k].max, y->bounds[k].max);
        }
    }
    for (uint32_t j = 0; j < a->n_children; j++)
        assert_same_ufun(&a->children[j], &b->children[j]);
}

static void assert_same_issues(const truce_scenario *a, const truce_scenario *b)
{
    assert_int_equal(truce_scenario_issue_count(a), truce_scenario_issue_count(b));
    for (size_t i = 0; i < truce_scenario_issue_count(a); i++) {
        assert_string_equal(truce_issue_name(a, i), truce_issue_name(b, i));
        assert_int_equal(truce_issue_kind_of(a, i), truce_issue_kind_of(b, i));
        assert_int_equal(a->issues[i].genius_index, b->issues[i].genius_index);
        uint32_t k = truce_issue_option_count(a, i);
        assert_int_equal(k, truce_issue_option_count(b, i));
        for (uint32_t o = 0; o < k; o++) {
            char la[1024], lb[1024];
            truce_issue_option_label(a, i, o, la, sizeof la);
            truce_issue_option_label(b, i, o, lb, sizeof lb);
            assert_string_equal(la, lb);
        }
    }
}

static void assert_same_parties(const truce_scenario *a, const truce_scenario *b)
{
    assert_int_equal(truce_scenario_party_count(a), truce_scenario_party_count(b));
    assert_int_equal(a->total_options, b->total_options);
    for (size_t p = 0; p < a->n_parties; p++) {
        const party *x = &a->parties[p], *y = &b->parties[p];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->kind, y->kind);
        assert_true(same_bits(x->reservation, y->reservation));
        assert_int_equal(x->has_reservation, y->has_reservation);
        assert_true(same_bits(x->discount, y->discount));
        assert_true(same_bits(x->discount_written, y->discount_written));
        assert_int_equal(x->has_discount, y->has_discount);
        if (x->kind == TRUCE_PROFILE_LINEAR) {
            /* equal per-option tables make every outcome's utility equal */
            assert_memory_equal(x->table, y->table, a->total_options * sizeof *x->table);
        } else {
            assert_true(same_bits(x->max_utility, y->max_utility));
            assert_same_ufun(&x->root, &y->root);
        }
    }
}

static void assert_same_utility(const truce_scenario *a, const truce_scenario *b,
                                const uint32_t *outcome, const char *what)
{
    for (size_t p = 0; p < truce_scenario_party_count(a); p++) {
        double ua = truce_utility(a, p, outcome), ub = truce_utility(b, p, outcome);
        if (!same_bits(ua, ub))
            fail_msg("%s: party %zu: %.17g before, %.17g after the round trip", what, p, ua, ub);
        if (!(ua >= 0 && ua <= 1))
            fail_msg("%s: party %zu: utility %.17g outside [0,1]", what, p, ua);
    }
}

#define ENUMERATE_LIMIT 200000
#define RANDOM_OUTCOMES 20000

static void assert_same_utilities(const truce_scenario *a, const truce_scenario *b,
                                  const char *what)
{
    size_t ni = truce_scenario_issue_count(a);
    uint32_t *o = malloc((ni ? ni : 1) * sizeof *o);
    double total = outcome_total(a);
    if (total <= ENUMERATE_LIMIT) {
        for (uint64_t x = 0; x < (uint64_t)total; x++) {
            outcome_from_index(a, x, o);
            assert_same_utility(a, b, o, what);
        }
    } else {
        uint64_t seed = 20240601;
        for (int r = 0; r < RANDOM_OUTCOMES; r++) {
            for (size_t i = 0; i < ni; i++)
                o[i] = (uint32_t)(next_random(&seed) % truce_issue_option_count(a, i));
            assert_same_utility(a, b, o, what);
        }
    }
    free(o);
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Save s, load it back from the written files, compare everything. The domain
 * goes to its own sub-folder so that no party name can clash with it. */
static void assert_round_trip_with(const truce_scenario *s, const char *what,
                                   const truce_load_options *reload);

static void assert_round_trip(const truce_scenario *s, const char *what)
{
    assert_round_trip_with(s, what, NULL);
}

static void assert_round_trip_with(const truce_scenario *s, const char *what,
                                   const truce_load_options *reload)
{
    char dir[256], domain[1024];
    snprintf(dir, sizeof dir, "%s", temp_dir());
    snprintf(domain, sizeof domain, "%s/domain", dir);
    mkdir(domain, 0700);
    snprintf(domain, sizeof domain, "%s/domain/%s.xml", dir, truce_scenario_name(s));
    size_t np = truce_scenario_party_count(s);
    char **paths = calloc(np, sizeof *paths);
    for (size_t p = 0; p < np; p++) {
        paths[p] = malloc(1024);
        snprintf(paths[p], 1024, "%s/%s.xml", dir, truce_party_name(s, p));
    }
    truce_error err;
    int rc = truce_scenario_save_genius(s, domain, (const char *const *)paths, np, &err);
    if (rc)
        fail_msg("%s: save: %s", what, err.message);
    truce_scenario *back = NULL;
    rc = truce_scenario_load_genius(&back, domain, (const char *const *)paths, np, reload, &err);
    if (rc)
        fail_msg("%s: reload: %s", what, err.message);
    assert_string_equal(truce_scenario_name(back), truce_scenario_name(s));
    assert_same_issues(s, back);
    assert_same_parties(s, back);
    assert_same_utilities(s, back, what);
    truce_scenario_free(back);
    free_strings(paths, np);
    remove_tree(dir);
}

static void test_every_corpus_folder_survives_a_round_trip_bit_for_bit(void **state)
{
    (void)state;
    size_t n;
    char **folders = corpus_folders(&n);
    for (size_t f = 0; f < n; f++) {
        truce_scenario *s = NULL;
        truce_error err;
        if (truce_scenario_load_dir(&s, folders[f], NULL, &err))
            fail_msg("%s: %s", folders[f], err.message);
        assert_round_trip(s, folders[f]);
        truce_scenario_free(s);
    }
    free_strings(folders, n);
}

static void test_handmade_scenario_survives_a_round_trip_bit_for_bit(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, TRUCE_TEST_DATA "/handmade", NULL, &err))
        fail_msg("%s", err.message);
    /* one issue of each kind, discount and reservation present in a, absent in b */
    assert_int_equal(truce_issue_kind_of(s, 2), TRUCE_ISSUE_REAL);
    assert_round_trip(s, "handmade");
    truce_scenario_free(s);
}

static void test_nonlinear_scenario_survives_a_round_trip_bit_for_bit(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, TRUCE_TEST_DATA "/nonlinear", NULL, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_party_profile_kind(s, 0), TRUCE_PROFILE_NONLINEAR);
    assert_round_trip(s, "nonlinear");
    truce_scenario_free(s);
}

static void test_real_issue_with_odd_bounds_survives_a_round_trip(void **state)
{
    (void)state;
    /* bounds and parameters with no short decimal form: only 17 digits
     * reproduce them */
    const char *domain =
        temp_file("d.xml", "<negotiation_template><utility_space><objective>\n"
                           "<issue index=\"4\" name=\"r\" type=\"real\">\n"
                           "<range lowerbound=\"0.1\" upperbound=\"0.7000000000000001\"/>\n"
                           "</issue></objective></utility_space></negotiation_template>\n");
    const char *profile =
        temp_file("p.xml", "<utility_space><objective>\n"
                           "<issue index=\"4\" name=\"r\" type=\"real\">\n"
                           "<evaluator ftype=\"triangular\" parameter0=\"0.1\" parameter1=\"0.7\" "
                           "parameter2=\"0.30000000000000004\"/></issue>\n"
                           "<weight index=\"4\" value=\"0.3333333333333333\"/></objective>\n"
                           "<discount_factor value=\"0.95\"/><reservation value=\"0.1\"/>\n"
                           "</utility_space>\n");
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_genius(&s, domain, &profile, 1, NULL, &err))
        fail_msg("%s", err.message);
    assert_round_trip(s, "real");
    truce_scenario_free(s);
}

/* ------------------------------------------------------------------ */
/* Malformed input                                                    */
/* ------------------------------------------------------------------ */

/* A valid pair: two issues, one discrete and one integer. Line numbers
 * matter: the error tests below name them. */
static const char DOMAIN_OK[] =
    "<negotiation_template>\n"                               /* 1 */
    "<utility_space>\n"                                      /* 2 */
    "<objective index=\"0\" name=\"root\">\n"                /* 3 */
    "<issue index=\"1\" name=\"color\" type=\"discrete\">\n" /* 4 */
    "<item index=\"1\" value=\"red\"/>\n"                    /* 5 */
    "<item index=\"2\" value=\"blue\"/>\n"                   /* 6 */
    "</issue>\n"                                             /* 7 */
    "<issue index=\"2\" name=\"count\" type=\"integer\" lowerbound=\"0\" upperbound=\"3\"/>\n"
    "</objective>\n"             /* 9 */
    "</utility_space>\n"         /* 10 */
    "</negotiation_template>\n"; /* 11 */

static const char PROFILE_OK[] =
    "<utility_space>\n"                                              /* 1 */
    "<objective index=\"0\" name=\"root\">\n"                        /* 2 */
    "<issue index=\"1\" name=\"color\" type=\"discrete\">\n"         /* 3 */
    "<item value=\"red\" evaluation=\"1\"/>\n"                       /* 4 */
    "<item value=\"blue\" evaluation=\"0.5\"/>\n"                    /* 5 */
    "</issue>\n"                                                     /* 6 */
    "<issue index=\"2\" name=\"count\" type=\"integer\">\n"          /* 7 */
    "<evaluator ftype=\"linear\" slope=\"0.25\" offset=\"0.25\"/>\n" /* 8 */
    "</issue>\n"                                                     /* 9 */
    "<weight index=\"1\" value=\"0.6\"/>\n"                          /* 10 */
    "<weight index=\"2\" value=\"0.4\"/>\n"                          /* 11 */
    "</objective>\n"                                                 /* 12 */
    "<reservation value=\"0.3\"/>\n"                                 /* 13 */
    "</utility_space>\n";                                            /* 14 */

/* Against DOMAIN_OK: bounds on the discrete issue compare option indices. */
static const char NONLINEAR_OK[] = "<utility_space type=\"nonlinear\">\n"          /* 1 */
                                   "<objective index=\"0\" name=\"root\">\n"       /* 2 */
                                   "<utility maxutility=\"10\">\n"                 /* 3 */
                                   "<ufun aggregation=\"sum\">\n"                  /* 4 */
                                   "<hyperRectangle utility=\"6\">\n"              /* 5 */
                                   "<INCLUDES index=\"2\" min=\"1\" max=\"2\"/>\n" /* 6 */
                                   "</hyperRectangle>\n"                           /* 7 */
                                   "<hyperRectangle utility=\"4\">\n"              /* 8 */
                                   "<EXCLUDES index=\"1\" min=\"0\" max=\"0\"/>\n" /* 9 */
                                   "</hyperRectangle>\n"                           /* 10 */
                                   "</ufun>\n"                                     /* 11 */
                                   "</utility>\n"                                  /* 12 */
                                   "</objective>\n"                                /* 13 */
                                   "</utility_space>\n";                           /* 14 */

/* text with the one occurrence of `from` replaced by `to` (caller frees). */
static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at || strstr(at + 1, from))
        fail_msg("edit: \"%s\" must occur exactly once", from);
    size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)head, text, to, at + strlen(from));
    return out;
}

typedef struct loaded {
    int rc;
    truce_error err;
    char domain[512], profile[512];
} loaded;

/* Remove the temporary folder holding `path` (the path text stays usable). */
static void remove_parent(const char *path)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && strncmp(dir, "/tmp/truce-test-", 16) == 0) {
        *slash = '\0';
        remove_tree(dir);
    }
}

/* Write both texts to temp files and load them; out must stay untouched on failure. */
static loaded load_texts(const char *domain_text, const char *profile_text)
{
    loaded l;
    snprintf(l.domain, sizeof l.domain, "%s", temp_file("domain.xml", domain_text));
    snprintf(l.profile, sizeof l.profile, "%s", temp_file("profile.xml", profile_text));
    truce_scenario *sentinel = (truce_scenario *)&l, *s = sentinel;
    const char *profiles[] = {l.profile};
    l.rc = truce_scenario_load_genius(&s, l.domain, profiles, 1, NULL, &l.err);
    if (l.rc == 0)
        truce_scenario_free(s);
    else
        assert_ptr_equal(s, sentinel);
    remove_parent(l.domain);
    remove_parent(l.profile);
    return l;
}

/* The error has the code, and its message names the file, the line (when
 * line > 0) and contains `problem`. */
static void assert_error(const loaded *l, int code, const char *file, int line, const char *problem)
{
    if (l->rc != code)
        fail_msg("expected %s, got %s: %s", truce_strerror(code), truce_strerror(l->rc),
                 l->err.message);
    assert_int_equal(l->err.code, code);
    if (!strstr(l->err.message, file))
        fail_msg("message does not name %s: %s", file, l->err.message);
    if (line > 0) {
        char place[600];
        snprintf(place, sizeof place, "%s:%d:", file, line);
        if (!strstr(l->err.message, place))
            fail_msg("message does not name line %d: %s", line, l->err.message);
        assert_int_equal(l->err.line, line);
    }
    if (!strstr(l->err.message, problem))
        fail_msg("message does not say \"%s\": %s", problem, l->err.message);
    assert_string_equal(l->err.file, file);
}

static void expect_profile_error(const char *from, const char *to, int code, int line,
                                 const char *problem)
{
    char *profile = edit(PROFILE_OK, from, to);
    loaded l = load_texts(DOMAIN_OK, profile);
    assert_error(&l, code, l.profile, line, problem);
    free(profile);
}

static void expect_domain_error(const char *from, const char *to, int code, int line,
                                const char *problem)
{
    char *domain = edit(DOMAIN_OK, from, to);
    loaded l = load_texts(domain, PROFILE_OK);
    assert_error(&l, code, l.domain, line, problem);
    free(domain);
}

static void expect_nonlinear_error(const char *from, const char *to, int code, int line,
                                   const char *problem)
{
    char *profile = edit(NONLINEAR_OK, from, to);
    loaded l = load_texts(DOMAIN_OK, profile);
    assert_error(&l, code, l.profile, line, problem);
    free(profile);
}

static void test_valid_pair_loads_with_hand_computed_utilities(void **state)
{
    (void)state;
    truce_scenario *s = NULL;
    truce_error err;
    const char *domain = temp_file("d.xml", DOMAIN_OK);
    const char *profiles[] = {temp_file("lin.xml", PROFILE_OK), temp_file("non.xml", NONLINEAR_OK)};
    if (truce_scenario_load_genius(&s, domain, profiles, 2, NULL, &err))
        fail_msg("%s", err.message);
    /* lin: 0.6 * 0.5/1 + 0.4 * (0.25 + 0.25 * 3) = 0.7 */
    uint32_t blue3[] = {1, 3};
    assert_float_equal(truce_utility(s, 0, blue3), 0.7, 1e-12);
    /* lin: 0.6 * 1 + 0.4 * 0.25 = 0.7 as well, by another route */
    uint32_t red0[] = {0, 0};
    assert_float_equal(truce_utility(s, 0, red0), 0.7, 1e-12);
    assert_float_equal(truce_party_reservation(s, 0), 0.3, 0);
    /* non: count 2 in [1,2] gives 6, color blue (option 1) violates
     * EXCLUDES [0,0] so 4 more: 10 / 10 */
    uint32_t blue2[] = {1, 2};
    assert_float_equal(truce_utility(s, 1, blue2), 1.0, 1e-12);
    assert_float_equal(truce_utility(s, 1, red0), 0.0, 0);
    uint32_t red1[] = {0, 1};
    assert_float_equal(truce_utility(s, 1, red1), 0.6, 1e-12);
    truce_scenario_free(s);
}

static void test_unclosed_tag_is_a_parse_error_at_its_line(void **state)
{
    (void)state;
    /* the <item> opened on line 5 is still open when </issue> comes on line 6 */
    expect_profile_error("<item value=\"blue\" evaluation=\"0.5\"/>",
                         "<item value=\"blue\" evaluation=\"0.5\">", TRUCE_EPARSE, 6,
                         "malformed XML");
}

static void test_empty_file_is_a_parse_error(void **state)
{
    (void)state;
    loaded l = load_texts("", PROFILE_OK);
    assert_error(&l, TRUCE_EPARSE, l.domain, 1, "malformed XML");
    assert_non_null(strstr(l.err.message, "empty")); /* libxml2: "Document is empty" */
    l = load_texts(DOMAIN_OK, "\n\n   "); /* blanks only: no element by the end, line 3 */
    assert_error(&l, TRUCE_EPARSE, l.profile, 3, "malformed XML");
}

static void test_bad_encoding_is_a_one_line_parse_error(void **state)
{
    (void)state;
    /* libxml2 says "Input is not proper UTF-8, indicate encoding !\nBytes: ..."
     * over two lines; a truce_error message is one (found by fuzz_genius) */
    /* bytes that are neither UTF-8 nor Windows-1252 (which a file that is not UTF-8 is
     * read as, docs/formats.md) */
    expect_profile_error("value=\"blue\"", "value=\"bl\x81\x8d\"", TRUCE_EPARSE, 5,
                         "not proper UTF-8");
    char *profile = edit(PROFILE_OK, "value=\"blue\"", "value=\"bl\x81\x8d\"");
    loaded l = load_texts(DOMAIN_OK, profile);
    assert_null(strchr(l.err.message, '\n'));
    free(profile);
}

static void test_binary_input_is_refused_without_printing(void **state)
{
    (void)state;
    /* bytes the decoder cannot convert made libxml2 print "I/O error" through
     * its generic handler (found by fuzz_genius); the library never prints */
    char text[100] = "\t";
    memset(text + 1, 0xff, 77);
    strcpy(text + 78, "\t\xbe\xb9\x96n\xcc");
    const char *domain = temp_file("binary.xml", text);
    const char *captured = temp_file("stderr.txt", "");
    fflush(stderr);
    int saved = dup(2);
    FILE *sink = fopen(captured, "wb");
    dup2(fileno(sink), 2);
    truce_scenario *s = NULL;
    truce_error err;
    const char *profiles[] = {TRUCE_TEST_DATA "/handmade/a.xml"};
    int rc = truce_scenario_load_genius(&s, domain, profiles, 1, NULL, &err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(sink);
    assert_int_equal(rc, TRUCE_EPARSE);
    assert_non_null(strstr(err.message, domain));
    char *printed = read_text(captured);
    assert_string_equal(printed, "");
    free(printed);
}

static void test_missing_file_is_an_io_error(void **state)
{
    (void)state;
    const char *profiles[] = {TRUCE_TEST_DATA "/handmade/a.xml"};
    truce_scenario *s = NULL;
    truce_error err;
    const char *missing = TRUCE_TEST_DATA "/handmade/no-such-domain.xml";
    int rc = truce_scenario_load_genius(&s, missing, profiles, 1, NULL, &err);
    assert_int_equal(rc, TRUCE_EIO);
    assert_null(s);
    assert_non_null(strstr(err.message, missing));
    assert_non_null(strstr(err.message, "cannot read"));
    /* a missing profile likewise */
    const char *gone[] = {TRUCE_TEST_DATA "/handmade/no-such-profile.xml"};
    rc =
        truce_scenario_load_genius(&s, TRUCE_TEST_DATA "/handmade/domain.xml", gone, 1, NULL, &err);
    assert_int_equal(rc, TRUCE_EIO);
    assert_non_null(strstr(err.message, "no-such-profile.xml"));
    /* a folder given as a file (libxml2 alone calls it an empty document) */
    rc = truce_scenario_load_genius(&s, TRUCE_TEST_DATA "/handmade", profiles, 1, NULL, &err);
    assert_int_equal(rc, TRUCE_EIO);
    assert_non_null(strstr(err.message, TRUCE_TEST_DATA "/handmade: cannot read file"));
    assert_non_null(strstr(err.message, "folder"));
}

static void test_wrong_root_element_names_both_roots(void **state)
{
    (void)state;
    /* a profile given as the domain */
    loaded l = load_texts(PROFILE_OK, PROFILE_OK);
    assert_error(&l, TRUCE_EPARSE, l.domain, 1, "root element is <utility_space>");
    assert_non_null(strstr(l.err.message, "<negotiation_template>"));
    /* a domain given as the profile */
    l = load_texts(DOMAIN_OK, DOMAIN_OK);
    assert_error(&l, TRUCE_EPARSE, l.profile, 1, "root element is <negotiation_template>");
}

/* Load DOMAIN_OK-like texts (legacy as given) and return the scenario, failing the test with
 * the loader's message if it refuses them. */
static truce_scenario *load_ok(const char *domain_text, const char *profile_text, int legacy)
{
    const char *domain = temp_file("domain.xml", domain_text);
    const char *profile = temp_file("profile.xml", profile_text);
    truce_load_options o = TRUCE_LOAD_OPTIONS_INIT;
    o.legacy = legacy;
    truce_scenario *s = NULL;
    truce_error err;
    const char *profiles[] = {profile};
    if (truce_scenario_load_genius(&s, domain, profiles, 1, &o, &err))
        fail_msg("%s", err.message);
    return s;
}

/* Party 0's utility of (color, count) under DOMAIN_OK's issues. */
static double color_count(const truce_scenario *s, const char *color, uint32_t count)
{
    int k = truce_option_find(s, 0, color);
    assert_true(k >= 0);
    uint32_t o[2] = {(uint32_t)k, count};
    return truce_utility(s, 0, o);
}

/* PROFILE_OK by hand: u(red, 2) = 0.6 * 1/1 + 0.4 * (0.25 + 0.25 * 2) = 0.9, u(blue, 2) =
 * 0.6 * 0.5/1 + 0.3 = 0.6. Each quirk below is read as GENIUS 10.4 reads it. */
static void expect_profile_utilities(const char *from, const char *to, double red2, double blue2)
{
    char *profile = edit(PROFILE_OK, from, to);
    truce_scenario *s = load_ok(DOMAIN_OK, profile, 0);
    assert_close(color_count(s, "red", 2), red2, 1e-15);
    assert_close(color_count(s, "blue", 2), blue2, 1e-15);
    truce_scenario_free(s);
    free(profile);
}

static void test_profile_issue_index_outside_the_domain_is_ignored(void **state)
{
    (void)state;
    /* an issue the domain lacks plays no part (GENIUS files it under no objective) */
    expect_profile_utilities("<weight index=\"1\"",
                             "<issue index=\"7\" name=\"x\"><item "
                             "value=\"a\" evaluation=\"1\"/></issue><weight index=\"1\"",
                             0.9, 0.6);
    /* but an issue of the domain with no evaluator is refused */
    expect_profile_error("<issue index=\"2\" name=\"count\"", "<issue index=\"7\" name=\"count\"",
                         TRUCE_EINVAL, 2,
                         "issue 'count' (index 2) has no evaluator in this profile");
}

static void test_discrete_option_without_evaluation_is_refused(void **state)
{
    (void)state;
    expect_profile_error("<item value=\"blue\" evaluation=\"0.5\"/>", "<!-- no blue -->",
                         TRUCE_EINVAL, 3, "option \"blue\" has no evaluation");
    /* an item without evaluation, or with "null", gives none (EvaluatorDiscrete) */
    expect_profile_error("<item value=\"blue\" evaluation=\"0.5\"/>", "<item value=\"blue\"/>",
                         TRUCE_EINVAL, 3, "option \"blue\" has no evaluation");
    expect_profile_error("<item value=\"blue\" evaluation=\"0.5\"/>",
                         "<item value=\"blue\" evaluation=\"null\"/>", TRUCE_EINVAL, 3,
                         "option \"blue\" has no evaluation");
    expect_profile_error("<item value=\"blue\" evaluation=\"0.5\"/>",
                         "<item value=\"blue\" evaluation=\"half\"/>", TRUCE_EPARSE, 5,
                         "evaluation=\"half\" is not a number");
}

static void test_item_value_not_in_the_domain_counts_in_the_largest_evaluation(void **state)
{
    (void)state;
    /* "green" is no option, but GENIUS divides by the largest evaluation of every item:
     * 2, so red is worth 1/2 and blue 0.5/2: u(red, 2) = 0.3 + 0.3, u(blue, 2) = 0.15 + 0.3 */
    expect_profile_utilities("</issue>\n<issue index=\"2\"",
                             "<item value=\"green\" evaluation=\"2\"/></issue>\n<issue "
                             "index=\"2\"",
                             0.6, 0.45);
    /* below the largest, it changes nothing */
    expect_profile_utilities("</issue>\n<issue index=\"2\"",
                             "<item value=\"green\" evaluation=\"0.2\"/></issue>\n<issue "
                             "index=\"2\"",
                             0.9, 0.6);
}

static void test_item_evaluated_twice_keeps_the_last(void **state)
{
    (void)state;
    /* red 1 then 0: red 0, blue 0.5 / 0.5 = 1: u(red, 2) = 0 + 0.3, u(blue, 2) = 0.6 + 0.3 */
    expect_profile_utilities("<item value=\"blue\" evaluation=\"0.5\"/>",
                             "<item value=\"blue\" evaluation=\"0.5\"/><item value=\"red\" "
                             "evaluation=\"0\"/>",
                             0.3, 0.9);
    /* an issue evaluated twice: the last evaluator (slope 0, offset 0.5: 0.4 * 0.5) */
    expect_profile_utilities("<weight index=\"1\"",
                             "<issue index=\"2\" name=\"count\" type=\"integer\"><evaluator "
                             "slope=\"0\" offset=\"0.5\"/></issue><weight index=\"1\"",
                             0.8, 0.5);
}

static void test_long_option_label_matches_whole(void **state)
{
    (void)state;
    char label[700], attr[720];
    memset(label, 'x', 600);
    label[600] = '\0';
    snprintf(attr, sizeof attr, "value=\"%s\"", label);
    char *domain = edit(DOMAIN_OK, "value=\"blue\"", attr);
    char *profile = edit(PROFILE_OK, "value=\"blue\"", attr);
    loaded l = load_texts(domain, profile);
    if (l.rc)
        fail_msg("%s", l.err.message);
    free(profile);
    /* a label equal to the long one up to its 511th character is another one */
    label[550] = 'y';
    snprintf(attr, sizeof attr, "value=\"%s\"", label);
    profile = edit(PROFILE_OK, "value=\"blue\"", attr);
    l = load_texts(domain, profile);
    assert_error(&l, TRUCE_EINVAL, l.profile, 3, "issue 'color': option \"xxxx");
    free(profile);
    free(domain);
}

static void test_weight_of_an_objective_or_of_no_issue_is_ignored(void **state)
{
    (void)state;
    /* ANAC 2012's Fitness weighs its root objective (index 0 here): GENIUS's getUtility
     * skips objectives */
    expect_profile_utilities("<weight index=\"2\" value=\"0.4\"/>",
                             "<weight index=\"2\" value=\"0.4\"/><weight index=\"0\" "
                             "value=\"1.0\"/>",
                             0.9, 0.6);
    expect_profile_utilities("<weight index=\"2\" value=\"0.4\"/>",
                             "<weight index=\"2\" value=\"0.4\"/><weight index=\"9\" "
                             "value=\"7\"/>",
                             0.9, 0.6);
}

static void test_issue_without_weight_is_refused(void **state)
{
    (void)state;
    expect_profile_error("<weight index=\"2\" value=\"0.4\"/>", "<!-- no weight -->", TRUCE_EINVAL,
                         2, "issue 'count' (index 2) has no <weight>");
    /* two weights of one issue: the last counts (0.2: u(red, 2) = 0.2 + 0.3) */
    expect_profile_utilities("<weight index=\"2\" value=\"0.4\"/>",
                             "<weight index=\"2\" value=\"0.4\"/><weight index=\"1\" "
                             "value=\"0.2\"/>",
                             0.5, 0.4);
}

/* GENIUS's quirks of whole files: a profile whose <utility_space> holds the issues and
 * weights with no <objective>; the space types; values that are no numbers where GENIUS
 * goes on without them; an option named twice in the domain. */
static void test_profile_without_objective_types_and_unreadable_values(void **state)
{
    (void)state;
    char *bare = edit(PROFILE_OK, "<objective index=\"0\" name=\"root\">\n", "");
    char *profile = edit(bare, "</objective>\n", "");
    truce_scenario *s = load_ok(DOMAIN_OK, profile, 0);
    assert_close(color_count(s, "red", 2), 0.9, 1e-15);
    assert_close(truce_party_reservation(s, 0), 0.3, 0);
    truce_scenario_free(s);
    free(profile);
    free(bare);
    expect_profile_utilities("<utility_space>", "<utility_space type=\"UNCERTAIN\">", 0.9, 0.6);
    expect_profile_utilities("<utility_space>", "<utility_space type=\"Linear\">", 0.9, 0.6);
    expect_profile_error("<utility_space>", "<utility_space type=\"constraint\">", TRUCE_EINVAL, 1,
                         "constraint utility space");
    expect_profile_error("<utility_space>", "<utility_space type=\"fuzzy\">", TRUCE_EPARSE, 1,
                         "unknown utility space type \"fuzzy\"");
    /* a reservation value or discount factor that is no number: none (0, and 1) */
    profile = edit(PROFILE_OK, "<reservation value=\"0.3\"/>",
                   "<reservation value=\"s\"/><discount_factor value=\"x\"/>");
    s = load_ok(DOMAIN_OK, profile, 0);
    assert_close(truce_party_reservation(s, 0), 0, 0);
    assert_close(truce_party_discount(s, 0), 1, 0);
    truce_scenario_free(s);
    free(profile);
    /* "red" twice in the domain: one option */
    char *domain = edit(DOMAIN_OK, "<item index=\"2\" value=\"blue\"/>",
                        "<item index=\"2\" value=\"red\"/><item index=\"3\" value=\"blue\"/>");
    s = load_ok(domain, PROFILE_OK, 0);
    assert_int_equal(truce_issue_option_count(s, 0), 2);
    assert_close(color_count(s, "blue", 2), 0.6, 1e-15);
    truce_scenario_free(s);
    free(domain);
}

/* GENIUS's own XML parser takes files libxml2 refuses; truce reads them as GENIUS does. */
static void test_xml_genius_reads_but_libxml2_refuses(void **state)
{
    (void)state;
    /* an XML declaration after a comment and blank lines (ANAC 2014's profiles) */
    char *profile = malloc(strlen(PROFILE_OK) + 100);
    sprintf(profile, "\n<!-- profile 1 -->\n<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n%s",
            PROFILE_OK);
    truce_scenario *s = load_ok(DOMAIN_OK, profile, 0);
    assert_close(color_count(s, "red", 2), 0.9, 1e-15);
    truce_scenario_free(s);
    free(profile);
    /* a bare '&' stands for itself (ANAC 2015's Symposium), attributes without a space
     * between them (ANAC 2011's Car), a Windows-1252 euro sign (ANAC 2015's New sporthal) */
    char *d1 = edit(DOMAIN_OK, "value=\"red\"", "value=\"R&D\"");
    char *d2 = edit(d1, "name=\"color\" type=\"discrete\"", "name=\"color\"type=\"discrete\"");
    char *domain = edit(d2, "value=\"blue\"", "value=\"\x80\x31\x30\"");
    char *p1 = edit(PROFILE_OK, "value=\"red\"", "value=\"R&D\"");
    profile = edit(p1, "value=\"blue\"", "value=\"\x80\x31\x30\"");
    s = load_ok(domain, profile, 0);
    assert_close(color_count(s, "R&D", 2), 0.9, 1e-15);
    assert_close(color_count(s,
                             "\xE2\x82\xAC"
                             "10",
                             2),
                 0.6, 1e-15); /* €10 in UTF-8 */
    truce_scenario_free(s);
    free(d1);
    free(d2);
    free(domain);
    free(p1);
    free(profile);
    /* what neither reads is still an error at its line */
    expect_profile_error("<item value=\"red\" evaluation=\"1\"/>", "<item value=\"red\" <",
                         TRUCE_EPARSE, 4, "malformed XML");
}

/* The integer issues of GENIUS before version 10: bounds in <range>, and an evaluator with a
 * function of the value (ftype, parameter0, parameter1) where 10.4 wants slope and offset. */
static void test_legacy_integer_evaluator_needs_the_opt_in(void **state)
{
    (void)state;
    static const char *const from =
        "<issue index=\"2\" name=\"count\" type=\"integer\">\n"
        "<evaluator ftype=\"linear\" slope=\"0.25\" offset=\"0.25\"/>\n";
    static const char *const to = "<issue index=\"2\" name=\"count\" type=\"integer\">\n"
                                  "<range lowerbound=\"0\" upperbound=\"3\"/><evaluator "
                                  "ftype=\"linear\" parameter0=\"1\" parameter1=\"-0.25\"/>\n";
    expect_profile_error(from, to, TRUCE_EINVAL, 8, "--legacy");
    /* with it: 1 - 0.25 v; u(red, 2) = 0.6 + 0.4 * 0.5 = 0.8, u(blue, 3) = 0.3 + 0.4 * 0.25 */
    char *profile = edit(PROFILE_OK, from, to);
    truce_scenario *s = load_ok(DOMAIN_OK, profile, 1);
    assert_close(color_count(s, "red", 2), 0.8, 1e-15);
    assert_close(color_count(s, "blue", 3), 0.4, 1e-15);
    /* written back in the legacy form, which reads back with the opt-in */
    truce_load_options legacy = TRUCE_LOAD_OPTIONS_INIT;
    legacy.legacy = 1;
    assert_round_trip_with(s, "legacy integer", &legacy);
    truce_scenario_free(s);
    free(profile);
}

/* The item the domain lacks sets the divisor: it is written back, and the utilities read
 * back bit for bit. */
static void test_item_outside_the_domain_survives_a_round_trip(void **state)
{
    (void)state;
    char *profile = edit(PROFILE_OK, "</issue>\n<issue index=\"2\"",
                         "<item value=\"green\" evaluation=\"3\"/></issue>\n<issue index=\"2\"");
    truce_scenario *s = load_ok(DOMAIN_OK, profile, 0);
    assert_close(color_count(s, "red", 2), 0.6 / 3 + 0.3, 1e-15);
    assert_round_trip(s, "item outside the domain");
    truce_scenario_free(s);
    free(profile);
}

static void test_nan_evaluation_is_refused(void **state)
{
    (void)state;
    expect_profile_error("evaluation=\"0.5\"", "evaluation=\"NaN\"", TRUCE_EINVAL, 5,
                         "evaluation=\"NaN\" is not a finite number");
    expect_profile_error("evaluation=\"0.5\"", "evaluation=\"inf\"", TRUCE_EINVAL, 5,
                         "not a finite number");
}

static void test_negative_weight_is_refused(void **state)
{
    (void)state;
    expect_profile_error("value=\"0.6\"", "value=\"-0.6\"", TRUCE_EINVAL, 10,
                         "weight of issue 'color' is negative");
}

static void test_negative_evaluation_is_refused(void **state)
{
    (void)state;
    expect_profile_error("evaluation=\"0.5\"", "evaluation=\"-0.5\"", TRUCE_EINVAL, 5,
                         "item \"blue\" has a negative evaluation");
}

static void test_negative_reservation_is_refused(void **state)
{
    (void)state;
    expect_profile_error("<reservation value=\"0.3\"/>", "<reservation value=\"-0.3\"/>",
                         TRUCE_EINVAL, 13, "reservation value -0.3 is negative");
}

static void test_integer_issue_with_upper_below_lower_is_refused(void **state)
{
    (void)state;
    expect_domain_error("lowerbound=\"0\" upperbound=\"3\"", "lowerbound=\"5\" upperbound=\"2\"",
                        TRUCE_EINVAL, 8, "upperbound 2 is below lowerbound 5");
}

static void test_integer_issue_spanning_all_of_int64_is_over_the_limit(void **state)
{
    (void)state;
    /* the width does not fit in int64_t: must be refused, not overflow */
    expect_domain_error("lowerbound=\"0\" upperbound=\"3\"",
                        "lowerbound=\"-9223372036854775808\" upperbound=\"9223372036854775807\"",
                        TRUCE_ELIMIT, 8, "more than the limit");
    expect_domain_error("lowerbound=\"0\" upperbound=\"3\"",
                        "lowerbound=\"-1\" upperbound=\"9223372036854775807\"", TRUCE_ELIMIT, 8,
                        "more than the limit");
}

static void test_duplicate_option_is_one_option(void **state)
{
    (void)state;
    /* GENIUS keeps "red" twice as equal values (the same bids twice over): one option here;
     * the profile's "blue" is then an item the domain lacks, outside the divisor's reach */
    char *domain = edit(DOMAIN_OK, "value=\"blue\"", "value=\"red\"");
    truce_scenario *s = load_ok(domain, PROFILE_OK, 0);
    assert_int_equal(truce_issue_option_count(s, 0), 1);
    assert_close(color_count(s, "red", 2), 0.9, 1e-15);
    truce_scenario_free(s);
    free(domain);
}

/* Issue names are keys of JSON outcomes and of the native format: two issues of one name lost
 * one of them in --json outcomes, an empty one made convert write YAML truce refuses. */
static void test_duplicate_or_empty_issue_names_are_refused(void **state)
{
    (void)state;
    expect_domain_error("name=\"count\"", "name=\"color\"", TRUCE_EINVAL, 8,
                        "two issues are named 'color' (lines 4 and 8)");
    expect_domain_error("name=\"count\"", "name=\"\"", TRUCE_EINVAL, 8,
                        "<issue index=\"2\"> has an empty name");
    expect_domain_error("value=\"blue\"", "value=\"\"", TRUCE_EINVAL, 6,
                        "an option of issue 'color' has an empty name");
    /* parties are named after their files: two profiles named p.xml, in two folders */
    char a[600], b[600];
    snprintf(a, sizeof a, "%s", temp_file("p.xml", PROFILE_OK));
    snprintf(b, sizeof b, "%s", temp_file("p.xml", PROFILE_OK));
    const char *profiles[] = {a, b};
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_genius(&s, temp_file("d.xml", DOMAIN_OK), profiles, 2,
                                                NULL, &err),
                     TRUCE_EINVAL);
    assert_contains(err.message, "two profiles name the party 'p'");
    assert_null(s);
}

/* A reservation value above 1 loaded, and convert then wrote YAML the native reader refuses. */
static void test_reservation_above_one_is_refused(void **state)
{
    (void)state;
    expect_profile_error("<reservation value=\"0.3\"/>", "<reservation value=\"1.5\"/>",
                         TRUCE_EINVAL, 13, "reservation value 1.5 is above 1");
}

/* An entity used in an attribute was expanded by the tree functions after the parse, beyond
 * libxml2's amplification guard: one 50 KB entity used 2000 times in an issue name took 1.6 GB
 * and printed 500 MB. GENIUS files never declare entities: any declaration is refused at its
 * line, before anything is expanded. */
static void test_entity_declarations_are_refused(void **state)
{
    (void)state;
    size_t unit = 50000, uses = 2000;
    size_t cap = unit + uses * 4 + 4096;
    char *bomb = malloc(cap);
    assert_non_null(bomb);
    size_t n = (size_t)snprintf(bomb, cap, "<?xml version=\"1.0\"?>\n"
                                           "<!DOCTYPE negotiation_template [\n<!ENTITY e \"");
    memset(bomb + n, 'x', unit);
    n += unit;
    n += (size_t)snprintf(bomb + n, cap - n,
                          "\">\n]>\n<negotiation_template><utility_space>"
                          "<objective index=\"0\" name=\"root\">\n"
                          "<issue index=\"1\" name=\"");
    for (size_t k = 0; k < uses; k++)
        n += (size_t)snprintf(bomb + n, cap - n, "&e;");
    snprintf(bomb + n, cap - n,
             "\" type=\"discrete\"><item index=\"1\" value=\"a\"/></issue>\n"
             "</objective></utility_space></negotiation_template>\n");
    loaded l = load_texts(bomb, PROFILE_OK);
    assert_error(&l, TRUCE_EINVAL, l.domain, 3, "declares the entity 'e'");
    assert_null(strchr(l.err.message, '\n'));
    free(bomb);
    /* parameter entities and unused entities alike; character references still work */
    const char *texts[] = {
        "<!DOCTYPE t [\n<!ENTITY % p \"x\">\n]>\n<negotiation_template/>\n",
        "<!DOCTYPE t [\n<!ENTITY unused \"x\">\n]>\n<negotiation_template/>\n",
        "<!DOCTYPE t [\n<!ENTITY ext SYSTEM \"/etc/passwd\">\n]>\n<negotiation_template/>\n",
        "<!DOCTYPE t [\n<!ENTITY pic SYSTEM \"a.gif\" NDATA gif>\n]>\n<negotiation_template/>\n"};
    const char *names[] = {"'p'", "'unused'", "'ext'", "'pic'"};
    for (size_t k = 0; k < 4; k++) {
        l = load_texts(texts[k], PROFILE_OK);
        assert_error(&l, TRUCE_EINVAL, l.domain, 2, names[k]);
    }
    /* nor in a file read again with GENIUS's dialect repaired (a late XML declaration;
     * Windows-1252 without a declaration): the first parse stopped before the declaration */
    const char *repaired[] = {
        "\n<?xml version=\"1.0\"?>\n<!DOCTYPE t [\n<!ENTITY e \"x\">\n]>\n"
        "<negotiation_template a=\"&e;\"/>\n",
        "<!DOCTYPE t [\n<!-- caf\xE9 -->\n<!ENTITY e \"x\">\n]>\n"
        "<negotiation_template a=\"&e;\"/>\n"};
    const int lines[] = {4, 3};
    for (size_t k = 0; k < 2; k++) {
        l = load_texts(repaired[k], PROFILE_OK);
        assert_error(&l, TRUCE_EINVAL, l.domain, lines[k], "declares the entity 'e'");
    }
    char *amp = edit(DOMAIN_OK, "name=\"color\"", "name=\"c&#111;lor &amp; &#x263A;\"");
    char *profile = edit(PROFILE_OK, "name=\"color\"", "name=\"color &amp; \xE2\x98\xBA\"");
    l = load_texts(amp, profile);
    assert_int_equal(l.rc, 0);
    free(amp);
    free(profile);
}

static void test_domain_without_issues_is_refused(void **state)
{
    (void)state;
    loaded l = load_texts("<negotiation_template>\n"
                          "<utility_space>\n"
                          "<objective index=\"0\" name=\"root\">\n"
                          "</objective>\n"
                          "</utility_space>\n"
                          "</negotiation_template>\n",
                          PROFILE_OK);
    assert_error(&l, TRUCE_EINVAL, l.domain, 3, "domain has no issues");
}

static void test_nonlinear_maxutility_zero_is_refused(void **state)
{
    (void)state;
    expect_nonlinear_error("maxutility=\"10\"", "maxutility=\"0\"", TRUCE_EINVAL, 3,
                           "maxutility must be positive");
}

static void test_hyperrectangle_with_unknown_issue_is_refused(void **state)
{
    (void)state;
    expect_nonlinear_error("<INCLUDES index=\"2\"", "<INCLUDES index=\"5\"", TRUCE_EINVAL, 6,
                           "<INCLUDES> index 5 matches no issue");
}

static void test_includes_mixed_with_excludes_is_refused(void **state)
{
    (void)state;
    expect_nonlinear_error("<INCLUDES index=\"2\" min=\"1\" max=\"2\"/>",
                           "<INCLUDES index=\"2\" min=\"1\" max=\"2\"/>"
                           "<EXCLUDES index=\"1\" min=\"0\" max=\"0\"/>",
                           TRUCE_EINVAL, 5, "mixes INCLUDES and EXCLUDES");
}

/* One real issue; bounds and evaluator are filled in per test. */
static loaded load_real(const char *bounds, const char *function)
{
    char domain[512], profile[512];
    snprintf(domain, sizeof domain,
             "<negotiation_template><utility_space><objective>\n"
             "<issue index=\"1\" name=\"r\" type=\"real\" %s/>\n"
             "</objective></utility_space></negotiation_template>\n",
             bounds);
    snprintf(profile, sizeof profile,
             "<utility_space><objective>\n"
             "<issue index=\"1\" name=\"r\" type=\"real\">\n"
             "%s\n"
             "</issue><weight index=\"1\" value=\"1\"/></objective></utility_space>\n",
             function);
    return load_texts(domain, profile);
}

static void test_real_range_too_wide_to_step_is_refused(void **state)
{
    (void)state;
    /* the width overflows to inf and the first step would be inf * 0 = NaN */
    loaded l = load_real("lowerbound=\"-1e308\" upperbound=\"1e308\"",
                         "<evaluator ftype=\"linear\" parameter0=\"0\" parameter1=\"0\"/>");
    assert_error(&l, TRUCE_EINVAL, l.domain, 2, "too wide");
}

static void test_real_evaluator_outside_unit_interval_is_refused(void **state)
{
    (void)state;
    const char *bounds = "lowerbound=\"0\" upperbound=\"1\"";
    loaded l = load_real(bounds, "<evaluator ftype=\"constant\" parameter0=\"-0.7\"/>");
    assert_error(&l, TRUCE_EINVAL, l.profile, 3, "constant evaluator gives -0.7 at 0");
    l = load_real(bounds, "<evaluator ftype=\"constant\" parameter0=\"1.5\"/>");
    assert_error(&l, TRUCE_EINVAL, l.profile, 3, "outside [0,1]");
    /* a variable-top triangle rising to 2 at x = 0.5 is 4x below it: over 1
     * first at the step x = 0.3 (steps of 0.1) */
    l = load_real(bounds, "<evaluator ftype=\"triangular_variable_top\" parameter0=\"0\" "
                          "parameter1=\"1\" parameter2=\"0.5\" parameter3=\"2\"/>");
    assert_error(&l, TRUCE_EINVAL, l.profile, 3, "gives 1.2 at 0.3");
    /* triangles whose sides overflow: (x - lower) / (top - lower) = inf / inf */
    l = load_real("lowerbound=\"1e308\" upperbound=\"1.5e308\"",
                  "<evaluator ftype=\"triangular\" parameter0=\"-1e308\" "
                  "parameter1=\"1.7e308\" parameter2=\"1.6e308\"/>");
    assert_error(&l, TRUCE_EINVAL, l.profile, 3, "gives NaN at 1e+308");
    /* inside [0,1] everywhere: loads */
    l = load_real(bounds, "<evaluator ftype=\"constant\" parameter0=\"1\"/>");
    assert_int_equal(l.rc, 0);
}

static void test_negative_nonlinear_terms_are_refused(void **state)
{
    (void)state;
    expect_nonlinear_error("<hyperRectangle utility=\"4\">", "<hyperRectangle utility=\"-4\">",
                           TRUCE_EINVAL, 8, "<hyperRectangle> utility -4 is negative");
    expect_nonlinear_error("<hyperRectangle utility=\"4\">",
                           "<hyperRectangle utility=\"4\" weight=\"-1\">", TRUCE_EINVAL, 8,
                           "<hyperRectangle> weight -1 is negative");
    expect_nonlinear_error("<ufun aggregation=\"sum\">",
                           "<ufun aggregation=\"sum\" weight=\"-0.5\">", TRUCE_EINVAL, 4,
                           "<ufun> weight -0.5 is negative");
}

static void test_nonlinear_terms_that_overflow_are_refused(void **state)
{
    (void)state;
    /* 1e308 + 1e308 is inf (and inf times a ufun weight of 0 is NaN) */
    char *one = edit(NONLINEAR_OK, "utility=\"6\"", "utility=\"1e308\"");
    char *both = edit(one, "utility=\"4\"", "utility=\"1e308\"");
    loaded l = load_texts(DOMAIN_OK, both);
    assert_error(&l, TRUCE_EINVAL, l.profile, 4, "can add up to more than the largest number");
    free(both);
    /* one huge term alone is fine: capped at 1 where it counts */
    l = load_texts(DOMAIN_OK, one);
    assert_int_equal(l.rc, 0);
    free(one);
}

static void test_non_numeric_attribute_is_a_parse_error(void **state)
{
    (void)state;
    expect_profile_error("slope=\"0.25\"", "slope=\"abc\"", TRUCE_EPARSE, 8,
                         "slope=\"abc\" is not a number");
    expect_domain_error("upperbound=\"3\"", "upperbound=\"3x\"", TRUCE_EPARSE, 8,
                        "upperbound=\"3x\" is not an integer");
    expect_nonlinear_error("min=\"1\"", "min=\"one\"", TRUCE_EPARSE, 6, "is not an integer");
}

static void test_long_attribute_is_read_whole(void **state)
{
    (void)state;
    /* garbage after 200 blanks must not be cut off and the rest accepted */
    char slope[300];
    snprintf(slope, sizeof slope, "slope=\"0.25%200sx\"", "");
    expect_profile_error("slope=\"0.25\"", slope, TRUCE_EPARSE, 8, "is not a number");
    char upper[300];
    snprintf(upper, sizeof upper, "upperbound=\"3%200sx\"", "");
    expect_domain_error("upperbound=\"3\"", upper, TRUCE_EPARSE, 8, "is not an integer");
}

static void test_long_issue_name_is_kept_whole(void **state)
{
    (void)state;
    char name[400], attr[420];
    memset(name, 'n', 300);
    name[300] = '\0';
    snprintf(attr, sizeof attr, "name=\"%s\"", name);
    char *domain = edit(DOMAIN_OK, "name=\"count\"", attr);
    const char *dpath = temp_file("d.xml", domain);
    const char *ppath = temp_file("p.xml", PROFILE_OK);
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_genius(&s, dpath, &ppath, 1, NULL, &err))
        fail_msg("%s", err.message);
    assert_string_equal(truce_issue_name(s, 1), name);
    truce_scenario_free(s);
    free(domain);
}

/* ------------------------------------------------------------------ */
/* Loading a folder                                                   */
/* ------------------------------------------------------------------ */

static void put(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_text(path, text);
}

static void test_folder_with_two_domains_is_ambiguous(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    put(dir, "first.xml", DOMAIN_OK);
    put(dir, "second.xml", DOMAIN_OK);
    put(dir, "p.xml", PROFILE_OK);
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_dir(&s, dir, NULL, &err), TRUCE_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err.message, dir));
    assert_non_null(strstr(err.message, "first.xml"));
    assert_non_null(strstr(err.message, "second.xml"));
    assert_null(strstr(err.message, "p.xml")); /* only the candidates are listed */
    assert_non_null(strstr(err.message, "explicitly"));
    remove_tree(dir);
}

static void test_folder_without_domain_is_refused(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    put(dir, "p.xml", PROFILE_OK);
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_dir(&s, dir, NULL, &err), TRUCE_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err.message, dir));
    assert_non_null(strstr(err.message, "no GENIUS domain file"));
    assert_non_null(strstr(err.message, "p.xml"));
    remove_tree(dir);
    /* a folder that does not exist */
    assert_int_equal(truce_scenario_load_dir(&s, "/nonexistent/truce/folder", NULL, &err),
                     TRUCE_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/truce/folder"));
}

static void test_folder_skips_a_point_list_named_pareto_xml(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    put(dir, "domain.xml", DOMAIN_OK);
    put(dir, "p.xml", PROFILE_OK);
    put(dir, "pareto.xml", "\n0.5, 1.0\n1.0, 0.5\n"); /* as beside ANAC 2014 scenarios */
    put(dir, "notes.txt", "not a scenario file");
    truce_scenario *s = NULL;
    truce_error err;
    if (truce_scenario_load_dir(&s, dir, NULL, &err))
        fail_msg("%s", err.message);
    assert_int_equal(truce_scenario_party_count(s), 1);
    assert_string_equal(truce_party_name(s, 0), "p");
    truce_scenario_free(s);
    remove_tree(dir);
}

static void test_folder_with_a_broken_profile_is_an_error(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    put(dir, "domain.xml", DOMAIN_OK);
    put(dir, "p.xml", PROFILE_OK);
    put(dir, "q.xml", "<utility_space>\n<objective>\n</utility_space>\n");
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_dir(&s, dir, NULL, &err), TRUCE_EPARSE);
    assert_null(s);
    assert_non_null(strstr(err.message, "q.xml:3:"));
    assert_non_null(strstr(err.message, "malformed XML"));
    remove_tree(dir);
}

static void test_folder_with_an_invalid_profile_names_that_profile(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    put(dir, "domain.xml", DOMAIN_OK);
    char *bad = edit(PROFILE_OK, "value=\"0.6\"", "value=\"-1\"");
    put(dir, "a.xml", PROFILE_OK);
    put(dir, "b.xml", bad);
    free(bad);
    truce_scenario *s = NULL;
    truce_error err;
    assert_int_equal(truce_scenario_load_dir(&s, dir, NULL, &err), TRUCE_EINVAL);
    assert_non_null(strstr(err.message, "b.xml:10:"));
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest corpus[] = {
        cmocka_unit_test(test_every_corpus_folder_loads_with_its_issues_and_profiles),
        cmocka_unit_test(test_anac_2010_england_zimbabwe_loads_by_explicit_paths),
        cmocka_unit_test(test_every_corpus_folder_survives_a_round_trip_bit_for_bit),
    };
    const struct CMUnitTest local[] = {
        cmocka_unit_test(test_handmade_scenario_survives_a_round_trip_bit_for_bit),
        cmocka_unit_test(test_nonlinear_scenario_survives_a_round_trip_bit_for_bit),
        cmocka_unit_test(test_real_issue_with_odd_bounds_survives_a_round_trip),
        cmocka_unit_test(test_valid_pair_loads_with_hand_computed_utilities),
        cmocka_unit_test(test_unclosed_tag_is_a_parse_error_at_its_line),
        cmocka_unit_test(test_empty_file_is_a_parse_error),
        cmocka_unit_test(test_bad_encoding_is_a_one_line_parse_error),
        cmocka_unit_test(test_binary_input_is_refused_without_printing),
        cmocka_unit_test(test_missing_file_is_an_io_error),
        cmocka_unit_test(test_wrong_root_element_names_both_roots),
        cmocka_unit_test(test_profile_issue_index_outside_the_domain_is_ignored),
        cmocka_unit_test(test_discrete_option_without_evaluation_is_refused),
        cmocka_unit_test(test_item_value_not_in_the_domain_counts_in_the_largest_evaluation),
        cmocka_unit_test(test_item_evaluated_twice_keeps_the_last),
        cmocka_unit_test(test_long_option_label_matches_whole),
        cmocka_unit_test(test_weight_of_an_objective_or_of_no_issue_is_ignored),
        cmocka_unit_test(test_issue_without_weight_is_refused),
        cmocka_unit_test(test_profile_without_objective_types_and_unreadable_values),
        cmocka_unit_test(test_xml_genius_reads_but_libxml2_refuses),
        cmocka_unit_test(test_legacy_integer_evaluator_needs_the_opt_in),
        cmocka_unit_test(test_item_outside_the_domain_survives_a_round_trip),
        cmocka_unit_test(test_nan_evaluation_is_refused),
        cmocka_unit_test(test_negative_weight_is_refused),
        cmocka_unit_test(test_negative_evaluation_is_refused),
        cmocka_unit_test(test_negative_reservation_is_refused),
        cmocka_unit_test(test_integer_issue_with_upper_below_lower_is_refused),
        cmocka_unit_test(test_integer_issue_spanning_all_of_int64_is_over_the_limit),
        cmocka_unit_test(test_duplicate_option_is_one_option),
        cmocka_unit_test(test_duplicate_or_empty_issue_names_are_refused),
        cmocka_unit_test(test_entity_declarations_are_refused),
        cmocka_unit_test(test_reservation_above_one_is_refused),
        cmocka_unit_test(test_domain_without_issues_is_refused),
        cmocka_unit_test(test_nonlinear_maxutility_zero_is_refused),
        cmocka_unit_test(test_hyperrectangle_with_unknown_issue_is_refused),
        cmocka_unit_test(test_includes_mixed_with_excludes_is_refused),
        cmocka_unit_test(test_real_range_too_wide_to_step_is_refused),
        cmocka_unit_test(test_real_evaluator_outside_unit_interval_is_refused),
        cmocka_unit_test(test_negative_nonlinear_terms_are_refused),
        cmocka_unit_test(test_nonlinear_terms_that_overflow_are_refused),
        cmocka_unit_test(test_non_numeric_attribute_is_a_parse_error),
        cmocka_unit_test(test_long_attribute_is_read_whole),
        cmocka_unit_test(test_long_issue_name_is_kept_whole),
        cmocka_unit_test(test_folder_with_two_domains_is_ambiguous),
        cmocka_unit_test(test_folder_without_domain_is_refused),
        cmocka_unit_test(test_folder_skips_a_point_list_named_pareto_xml),
        cmocka_unit_test(test_folder_with_a_broken_profile_is_an_error),
        cmocka_unit_test(test_folder_with_an_invalid_profile_names_that_profile),
    };
    /* the hand-written cases run everywhere; without the corpus the file
     * then counts as skipped (exit 77, with a message), as ctest expects */
    int failed = cmocka_run_group_tests_name("genius_xml", local, NULL, NULL);
    if (failed)
        return failed;
    require_corpus();
    return cmocka_run_group_tests_name("genius_xml_corpus", corpus, NULL, NULL);
}
