/* main.c: the truce command line: dispatches to one subcommand per file.
 * Exit status: 0 success, 1 bad input, 2 bad usage. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "truce.h"
#include "util.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"analyze", cmd_analyze,
     "exact analysis over the principals and feasible outcomes: frontier, Nash, KS, zone"},
    {"negotiate", cmd_negotiate,
     "run negotiations between agents (alternating offers), with traces"},
    {"agents", cmd_agents, "list the built-in agents and their parameters"},
    {"check", cmd_check,
     "check a scenario's model: channels, agenda deadlocks, zone of agreement, relaxations"},
    {"advise", cmd_advise, "how a party can align its demands to win other parties' support"},
    {"evaluate", cmd_evaluate,
     "score a given deal: utilities, BATNA margins, hard conditions broken, Pareto, Nash"},
    {"robust", cmd_robust,
     "how sure the conclusions are: probabilities and margins over uncertain numbers"},
    {"convert", cmd_convert,
     "convert between GENIUS XML, GeniusWeb JSON and the native YAML format"},
    {"mediate", cmd_mediate,
     "mediated talks: single negotiating text with amendments, vetoes and channels"},
    {"tournament", cmd_tournament,
     "run every agent against every other on many scenarios, on all cores or MPI ranks"},
    {"results", cmd_results, "statistics of a tournament's results database: tables, JSON, CSV"},
    {"report", cmd_report,
     "self-contained HTML report with plots of a scenario, negotiation or mediation traces"},
    {"serve", cmd_serve,
     "people negotiate in the browser, against agents or each other; sessions stored"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: truce COMMAND [OPTIONS] SCENARIO...\n"
               "\n"
               "truce is a negotiation engine: it models multi-party, multi-issue negotiations,\n"
               "analyses them exactly and reads the GENIUS/ANAC research corpus.\n"
               "\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n"
               "A SCENARIO is a native YAML scenario file (docs/scenario-format.md), a\n"
               "GENIUS or GeniusWeb scenario folder (one domain file and its profile\n"
               "files), or a GENIUS (.xml) or GeniusWeb (.json) domain file followed by\n"
               "profile files (docs/formats.md).\n"
               "\n"
               "Options:\n"
               "  -h, --help     show this help (or 'truce COMMAND --help')\n"
               "  --version      print the version\n"
               "  --limit NAME=N set a limit on what inputs may ask (any command; e.g.\n"
               "                 --limit max_issues=200; docs/limits.md lists them)\n"
               "  --legacy       also read GENIUS files in formats GENIUS 10.4 refuses, as\n"
               "                 older GENIUS versions wrote them (any command;\n"
               "                 docs/formats.md#legacy-formats)\n"
               "  --coalitions as-one|split\n"
               "                 a coalition bargains as one party (as-one, the default) or\n"
               "                 its members bargain separately (split) (any command;\n"
               "                 docs/scenario-format.md#coalitions)\n"
               "\n"
               "Exit status: 0 success, 1 bad input, 2 bad usage.\n"
               "Examples: truce check examples/seed/truce-talks.yaml\n"
               "          truce analyze ../shared/scenarios/genius/anac/y2010/Travel\n");
}

/* Every command prints through stdout: a full disk or a closed file loses what was printed, and
 * that must not end in exit 0 (a CSV export to a full disk came out cut short with status 0).
 * The stream's error flag stays set after a failed write, so one check at the end sees them
 * all; the last buffer goes out with the flush and the close. */
static int finish(const char *name, int rc)
{
    int failed = cli_flush_stdout() != 0;
    int code = cli_stdout_errno();
    errno = 0;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        code = errno;
    }
    if (!failed)
        return rc;
    fprintf(stderr, "truce%s%s: cannot write the output: %s\n", name ? " " : "", name ? name : "",
            code ? strerror(code) : "write error");
    return rc ? rc : EXIT_INPUT;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(NULL, "no command given");
    const char *name = argv[1];
    if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
        usage(stdout);
        return finish(NULL, EXIT_OK);
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        printf("truce %s\n", truce_version());
        return finish(NULL, EXIT_OK);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name))
            continue;
        int left = cli_take_limits(name, argc - 2, argv + 2);
        return finish(name, left < 0 ? EXIT_USAGE : commands[i].run(left, argv + 2));
    }
    return cli_usage(NULL, "unknown command '%s'", name);
}
