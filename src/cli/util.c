/* util.c: helpers shared by the truce subcommands (see util.h). */
#define _DEFAULT_SOURCE
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The hint shares the error's line: every error is one line on stderr, so
 * scripts can show or log it whole. */
int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "truce%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'truce%s%s --help')\n", cmd ? " " : "", cmd ? cmd : "");
    return EXIT_USAGE;
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* library messages may carry libxml2's trailing newline: keep one line */
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        text[--n] = '\0';
    for (char *c = text; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    fprintf(stderr, "truce%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "", text);
    return EXIT_INPUT;
}

const char *cli_option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return argv[*i][n] == '\0' ? "" : NULL;
}

int cli_parse_clock(const char *s)
{
    return !strcmp(s, "genius") ? TRUCE_CLOCK_GENIUS : !strcmp(s, "turn") ? TRUCE_CLOCK_TURN : -1;
}

int cli_parse_ties(const char *s)
{
    return !strcmp(s, "index") ? TRUCE_TIES_INDEX : !strcmp(s, "genius") ? TRUCE_TIES_GENIUS : -1;
}

int cli_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = v;
    return 0;
}

int cli_load_scenario(const char *cmd, truce_scenario **out, char **paths, int n_paths,
                      const truce_load_options *given)
{
    truce_error err;
    int rc;
    truce_load_options limited = TRUCE_LOAD_OPTIONS_INIT;
    if (given)
        limited = *given;
    limited.version = TRUCE_LOAD_OPTIONS_VERSION;
    limited.legacy = (given && given->version >= 3 && given->legacy) || cli_legacy();
    limited.limits = cli_limits();
    limited.coalitions = cli_coalitions();
    limited.max_issue_values = cli_limits()->max_options; /* --limit max_options decides */
    const truce_load_options *opts = &limited;
    if (n_paths == 0)
        return cli_usage(
            cmd, "no scenario given (a folder, a .yaml file, or DOMAIN.xml PROFILE.xml...)");
    if (n_paths == 1) {
        struct stat st;
        if (stat(paths[0], &st) != 0)
            return cli_fail(cmd, "%s: no such file or folder", paths[0]);
        size_t len = strlen(paths[0]);
        int yaml = (len > 5 && !strcmp(paths[0] + len - 5, ".yaml")) ||
                   (len > 4 && !strcmp(paths[0] + len - 4, ".yml"));
        if (!S_ISDIR(st.st_mode) && !yaml)
            return cli_usage(cmd,
                             "%s is one file: give a scenario folder, a .yaml scenario, or the "
                             "domain file followed by its profile files",
                             paths[0]);
        rc = truce_scenario_load(out, paths[0], opts, &err);
    } else {
        /* Checked here so that a missing file gets a plain one-line error
         * (libxml2 would also print its own I/O warning on stderr). */
        for (int i = 0; i < n_paths; i++) {
            struct stat st;
            if (stat(paths[i], &st) != 0)
                return cli_fail(cmd, "%s: %s", paths[i], strerror(errno));
            if (S_ISDIR(st.st_mode))
                return cli_usage(cmd,
                                 "%s is a folder: give a scenario folder alone, or the domain "
                                 "file followed by its profile files",
                                 paths[i]);
            FILE *f = fopen(paths[i], "rb");
            if (!f)
                return cli_fail(cmd, "%s: %s", paths[i], strerror(errno));
            fclose(f);
        }
        size_t len = strlen(paths[0]);
        if (len > 5 && !strcmp(paths[0] + len - 5, ".json"))
            rc = truce_scenario_load_geniusweb(out, paths[0], (const char *const *)(paths + 1),
                                               (size_t)(n_paths - 1), opts, &err);
        else
            rc = truce_scenario_load_genius(out, paths[0], (const char *const *)(paths + 1),
                                            (size_t)(n_paths - 1), opts, &err);
    }
    if (rc)
        return cli_fail_error(cmd, &err);
    return 0;
}

json_t *cli_outcome_json(const truce_scenario *s, const uint32_t *outcome)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
        char label[512];
        truce_issue_option_label(s, i, outcome[i], label, sizeof label);
        json_t *v;
        int kind = truce_issue_kind_of(s, i);
        if (kind == TRUCE_ISSUE_INTEGER)
            v = json_integer(strtoll(label, NULL, 10));
        else if (kind == TRUCE_ISSUE_REAL)
            v = json_real(strtod(label, NULL));
        else
            v = json_string(label);
        if (!v || json_object_set_new(o, truce_issue_name(s, i), v)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

void cli_outcome_text(const truce_scenario *s, const uint32_t *outcome, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < truce_scenario_issue_count(s) && used < size; i++) {
        char label[512];
        truce_issue_option_label(s, i, outcome[i], label, sizeof label);
        int n = snprintf(buf + used, size - used, "%s%s=%s", i ? ", " : "", truce_issue_name(s, i),
                         label);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

json_t *cli_count_json(const char *decimal)
{
    /* every count a JSON integer (json_int_t, 63 bits) holds exactly stays a
     * number; larger ones become strings rather than lose digits */
    char *end;
    errno = 0;
    long long v = strtoll(decimal, &end, 10);
    if (*decimal && !*end && errno == 0)
        return json_integer((json_int_t)v);
    return json_string(decimal);
}

/* errno of the first failed flush of stdout (the stream forgets it; main reports it) */
static int stdout_errno;

int cli_flush_stdout(void)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    if (!stdout_errno)
        stdout_errno = errno ? errno : EIO;
    return -1;
}

int cli_stdout_errno(void)
{
    return stdout_errno;
}

int cli_print_json(json_t *value)
{
    if (!value)
        return cli_fail(NULL, "out of memory");
    char *text = json_dumps(value, JSON_REAL_PRECISION(17) | JSON_COMPACT);
    json_decref(value);
    if (!text)
        return cli_fail(NULL, "out of memory");
    puts(text);
    free(text);
    return cli_flush_stdout() == 0 ? EXIT_OK : EXIT_INPUT;
}

char *cli_agent_end(char *spec)
{
    char *comma = strchr(spec, ',');
    while (comma) {
        size_t word = strcspn(comma + 1, "=:,");
        if (word == 0 || comma[1 + word] != '=')
            break;
        comma = strchr(comma + 1, ',');
    }
    return comma;
}

void cli_print_flips(json_t *margin, const char *indent, size_t max)
{
    json_t *flips = json_object_get(margin, "flips");
    size_t k;
    json_t *f;
    if (json_array_size(flips) == 0) {
        printf("%sno single number flips it within its range\n", indent);
        return;
    }
    json_array_foreach(flips, k, f)
    {
        if (k >= max)
            break;
        printf("%s%s\n", indent, json_string_value(json_object_get(f, "text")));
    }
}

void cli_print_party_flips(json_t *rows, const char *key)
{
    size_t k;
    json_t *row;
    int header = 0;
    json_array_foreach(rows, k, row)
    {
        json_t *fl = json_object_get(row, key);
        if (!json_is_object(fl))
            continue;
        if (!header)
            printf("\nMargins (the smallest change of one of a party's own numbers that flips "
                   "whether it accepts):\n");
        header = 1;
        double m = json_real_value(json_object_get(fl, "margin"));
        printf("  %s %s with a margin of %+.3f", json_string_value(json_object_get(row, "party")),
               m > 0 ? "accepts" : "does not accept", m);
        json_t *first = json_array_get(json_object_get(fl, "flips"), 0);
        if (first)
            printf("; %s\n", json_string_value(json_object_get(first, "text")));
        else
            printf("; no single number of its own flips it\n");
    }
}
