/* serve.c: `truce serve`: people negotiate in the browser, against agents or
 * each other (the server lives in src/serve/), and `--export` of the
 * sessions it stored. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../serve/serve.h"
#include "commands.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce serve [OPTIONS] SCENARIO_OR_FOLDER...\n"
           "       truce serve --export sessions|actions [--experiment ID] [--data DIR]\n"
           "\n"
           "Serve a page where people negotiate: pick a scenario (from the files and\n"
           "folders given, or uploaded), see its analysis, and sit at the table against\n"
           "agents or each other: alternating offers, or mediated talks as a principal or\n"
           "as the mediator. The engine keeps the rules as in 'truce negotiate' and\n"
           "'truce mediate'. Every session is stored in DIR/sessions.db (one row per\n"
           "action) and DIR/traces/ID.jsonl (the --trace format: 'truce report' reads it).\n"
           "It prints the address to open, with the operator's key; people join through\n"
           "the links the page gives them. Ctrl-C stops it. See docs/serve.md.\n"
           "\n"
           "Options:\n"
           "  --bind ADDR         numeric address to listen on (default 127.0.0.1: this\n"
           "                      machine only; 0.0.0.0 opens it to the network)\n"
           "  --port N            port (default 8080; 0: any free port)\n"
           "  --data DIR          where sessions are stored (default ./truce-sessions)\n"
           "  --agent NAME=SPEC   offer a Lua or program agent under NAME, e.g.\n"
           "                      --agent moscow=lua:examples/agents/boulware.lua\n"
           "                      (repeatable; the page names agents, never paths)\n"
           "  --seat-timeout S    seconds a person may take for one turn (default 600);\n"
           "                      a closed tab can rejoin with its link until then\n"
           "  --key KEY           the operator's key (default: a random one)\n"
           "  --max-sessions N    sessions held in memory (default 5000)\n"
           "  --max-running N     sessions running at once (default 1000)\n"
           "  --max-uploads N     uploaded scenarios kept (default 200)\n"
           "  --max-body BYTES    largest request body (default 8388608)\n"
           "  --max-outcomes N    largest space analysed or mediated by enumeration\n"
           "                      (default 2e6)\n"
           "  --threads N         HTTP worker threads (default 4)\n"
           "  --export TABLE      print TABLE of DIR/sessions.db as CSV and exit:\n"
           "                      sessions (a row per session and seat) or actions\n"
           "  --experiment ID     with --export: that experiment's sessions only\n"
           "  --limit NAME=N      limits on scenarios; those not given are lower than the\n"
           "                      other commands' (docs/serve.md#limits)\n"
           "  -h, --help          show this help\n");
}

static int number(const char *name, const char *v, double low, double high, double *out)
{
    if (cli_parse_double(v, out) || *out < low || *out > high)
        return cli_usage("serve", "%s needs a number from %g to %g, not '%s'", name, low, high, v);
    return 0;
}

/* Limits given with --limit replace serve's defaults; the others stay low. */
static void limits(serve_options *o)
{
    truce_limits cli = *cli_limits(), defaults = TRUCE_LIMITS_INIT;
    for (size_t k = 0; truce_limits_name(k); k++)
        if (truce_limits_get(&cli, k) != truce_limits_get(&defaults, k)) {
            char value[64];
            snprintf(value, sizeof value, "%.0f", truce_limits_get(&cli, k));
            truce_limits_set(&o->limits, truce_limits_name(k), value, NULL);
        }
}

int cmd_serve(int argc, char **argv)
{
    serve_options o;
    serve_options_init(&o);
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    const char **agents = calloc((size_t)argc + 1, sizeof *agents);
    const char *export_table = NULL, *experiment = NULL;
    int rc = paths && agents ? 0 : cli_fail("serve", "out of memory");
    for (int i = 0; rc == 0 && i < argc; i++) {
        const char *v;
        double d;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            free(paths);
            free(agents);
            return EXIT_OK;
        } else if ((v = cli_option_value(argc, argv, &i, "--bind"))) {
            o.bind = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--port"))) {
            if (!(rc = number("--port", v, 0, 65535, &d)))
                o.port = (unsigned)d;
        } else if ((v = cli_option_value(argc, argv, &i, "--data"))) {
            if (!*v)
                rc = cli_usage("serve", "--data needs a folder");
            o.data_dir = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--agent"))) {
            agents[o.n_agents++] = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--seat-timeout"))) {
            rc = number("--seat-timeout", v, 1, 86400, &o.seat_timeout);
        } else if ((v = cli_option_value(argc, argv, &i, "--key"))) {
            o.key = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-sessions"))) {
            if (!(rc = number("--max-sessions", v, 1, 1e6, &d)))
                o.max_sessions = (size_t)d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-running"))) {
            if (!(rc = number("--max-running", v, 1, 100000, &d)))
                o.max_running = (size_t)d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-uploads"))) {
            if (!(rc = number("--max-uploads", v, 0, 1e6, &d)))
                o.max_uploads = (size_t)d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-body"))) {
            if (!(rc = number("--max-body", v, 1024, 1e9, &d)))
                o.max_body = (size_t)d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-outcomes"))) {
            rc = number("--max-outcomes", v, 1, 1e12, &o.max_outcomes);
        } else if ((v = cli_option_value(argc, argv, &i, "--threads"))) {
            if (!(rc = number("--threads", v, 1, 256, &d)))
                o.threads = (unsigned)d;
        } else if ((v = cli_option_value(argc, argv, &i, "--export"))) {
            export_table = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--experiment"))) {
            experiment = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = cli_usage("serve", "unknown option '%s'", argv[i]);
        } else {
            paths[o.n_paths++] = argv[i];
        }
    }
    if (rc == 0 && export_table) {
        char *csv = NULL;
        truce_error err;
        if (strcmp(export_table, "sessions") && strcmp(export_table, "actions"))
            rc = cli_usage("serve", "--export is sessions or actions, not '%s'", export_table);
        else if (serve_export_csv(&csv, o.data_dir, export_table, experiment, &err))
            rc = cli_fail("serve", "%s", err.message);
        else
            rc = fputs(csv, stdout) == EOF || fflush(stdout) ? cli_fail("serve", "write failed")
                                                             : EXIT_OK;
        free(csv);
        free(paths);
        free(agents);
        return rc;
    }
    if (rc == 0 && o.n_paths == 0)
        rc = cli_usage("serve", "no scenario given: files (.yaml), GENIUS folders, or folders "
                                "holding them (people may also upload scenarios in the page)");
    if (rc) {
        free(paths);
        free(agents);
        return rc;
    }
    o.paths = paths;
    o.agents = agents;
    limits(&o);
    /* the server's threads inherit this mask: the signals wait for sigwait */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    server *srv = NULL;
    truce_error err;
    if (serve_start(&srv, &o, &err)) {
        free(paths);
        free(agents);
        return cli_fail("serve", "%s", err.message);
    }
    const char *host = strchr(o.bind, ':') ? NULL : o.bind;
    printf("truce serve: open http://%s%s%s:%u/#key=%s\n", host ? "" : "[",
           host ? (strcmp(host, "0.0.0.0") ? host : "127.0.0.1") : o.bind, host ? "" : "]",
           serve_port(srv), serve_key(srv));
    printf("truce serve: %zu scenarios; sessions stored in %s; Ctrl-C stops\n",
           serve_scenario_count(srv), o.data_dir);
    fflush(stdout);
    if (!host || strncmp(host, "127.", 4))
        fprintf(stderr,
                "truce serve: listening on %s: anyone who can reach this machine can open "
                "the page (people still need their links to sit at a table)\n",
                o.bind);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "truce serve: stopping (running sessions end as stopped)\n");
    serve_stop(srv);
    free(paths);
    free(agents);
    return EXIT_OK;
}
