/* limits.c: --limit NAME=N, --legacy and --coalitions, accepted by every command: the limits
 * on what inputs may ask of truce (docs/limits.md), the legacy GENIUS formats
 * (docs/formats.md), how coalitions bargain (docs/scenario-format.md#coalitions), and errors
 * that say how to raise the limit they hit. */
#include <stdarg.h>
#include <string.h>

#include "util.h"

/* The command line's limits, --legacy and --coalitions: one per process, set before the command runs. */
static truce_limits limits = TRUCE_LIMITS_INIT;
static int legacy;
static int coalitions = TRUCE_COALITIONS_AS_ONE;

const truce_limits *cli_limits(void)
{
    return &limits;
}

int cli_legacy(void)
{
    return legacy;
}

int cli_coalitions(void)
{
    return coalitions;
}

int cli_take_limits(const char *cmd, int argc, char **argv)
{
    int kept = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--legacy")) {
            legacy = 1;
            continue;
        }
        const char *mode = cli_option_value(argc, argv, &i, "--coalitions");
        if (mode) {
            /* docs/scenario-format.md#coalitions */
            if (!strcmp(mode, "as-one") || !strcmp(mode, "split")) {
                coalitions = !strcmp(mode, "split") ? TRUCE_COALITIONS_SPLIT
                                                    : TRUCE_COALITIONS_AS_ONE;
                continue;
            }
            cli_usage(cmd, "--coalitions must be as-one or split, not '%s'", mode);
            return -1;
        }
        const char *v = cli_option_value(argc, argv, &i, "--limit");
        if (!v) {
            argv[kept++] = argv[i];
            continue;
        }
        char name[64];
        const char *eq = strchr(v, '=');
        if (!eq || eq == v || (size_t)(eq - v) >= sizeof name) {
            cli_usage(cmd, "--limit needs NAME=N (e.g. --limit max_issues=200), not '%s'", v);
            return -1;
        }
        memcpy(name, v, (size_t)(eq - v));
        name[eq - v] = '\0';
        truce_error err;
        if (truce_limits_set(&limits, name, eq + 1, &err)) {
            cli_usage(cmd, "--limit: %s", err.message);
            return -1;
        }
    }
    argv[kept] = NULL;
    return kept;
}

int cli_fail_error(const char *cmd, const truce_error *err)
{
    if (err->code == TRUCE_ELIMIT)
        for (size_t k = 0; truce_limits_name(k); k++)
            if (!strcmp(err->field, truce_limits_name(k)))
                return cli_fail(cmd, "%s (raise it with --limit %s=N)", err->message, err->field);
    /* the outcomes a command enumerates have their own option */
    if (err->code == TRUCE_ELIMIT && !strcmp(err->field, "max_outcomes") &&
        !strstr(err->message, "--max-outcomes"))
        return cli_fail(cmd, "%s (raise it with --max-outcomes N)", err->message);
    return cli_fail(cmd, "%s", err->message);
}
