/* bench_serve.c: truce serve under load on loopback: sessions at once with
 * scripted people (tests/serveload.c) against boulware and each other, then
 * as many mediated talks (people as principals and as the mediator); the
 * latency of a person's action (the HTTP request that hands it to the
 * engine) at the median, p99 and worst, as JSON, one line per protocol.
 * Usage: bench_serve [SESSIONS] [PAIRS] [ROUNDS] [CLIENT_THREADS]
 * [negotiation|mediation|both]; ROUNDS are the mediated talks' iterations. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tests/serveload.h"

int main(int argc, char **argv)
{
    size_t sessions = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
    size_t pairs = argc > 2 ? strtoul(argv[2], NULL, 10) : 50;
    unsigned rounds = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 10;
    unsigned threads = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 16;
    const char *which = argc > 5 ? argv[5] : "both";
    if (strcmp(which, "negotiation") && strcmp(which, "mediation") && strcmp(which, "both")) {
        fprintf(stderr, "bench_serve: the protocol is negotiation, mediation or both\n");
        return 2;
    }
    char data[] = "/tmp/bench-serve-XXXXXX";
    if (!mkdtemp(data))
        return 1;
    char folder[64];
    snprintf(folder, sizeof folder, "%s/data", data);
    int out[2];
    if (pipe(out))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(out[1], 1);
        dup2(null, 2);
        execl(TRUCE_BINARY, TRUCE_BINARY, "serve", "--port", "0", "--data", folder,
              TRUCE_EXAMPLES "/genius/ceasefire", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    char line[512] = "";
    size_t len = 0;
    while (len + 1 < sizeof line && !strchr(line, '\n')) {
        struct pollfd p = {out[0], POLLIN, 0};
        if (poll(&p, 1, 30000) <= 0 || read(out[0], line + len, 1) != 1)
            break;
        line[++len] = '\0';
    }
    const char *at = strstr(line, "http://"), *key = strstr(line, "#key=");
    if (!at || !key) {
        fprintf(stderr, "bench_serve: truce serve did not start\n");
        return 1;
    }
    char base[64], k[80];
    snprintf(base, sizeof base, "%.*s", (int)(strchr(at + 7, '/') - at), at);
    snprintf(k, sizeof k, "%.64s", key + 5);
    int failed = 0;
    for (int mediation = 0; mediation <= 1; mediation++) {
        if (strcmp(which, "both") && strcmp(which, mediation ? "mediation" : "negotiation"))
            continue;
        load_options o = {base,       k,      "ceasefire", sessions, pairs,
                          "boulware", rounds, threads,     600,      mediation};
        load_result r;
        failed |= load_run(&o, &r) != 0;
        printf("{\"benchmark\":\"serve\",\"protocol\":\"%s\",\"sessions\":%zu,"
               "\"person_pairs\":%zu,\"%s\":%u,\"client_threads\":%u,\"ended\":%zu,"
               "\"agreements\":%zu,\"errors\":%zu,\"actions\":%zu,\"mediator_drafts\":%zu,"
               "\"polls\":%zu,\"action_latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,"
               "\"max\":%.3f},\"wall_seconds\":%.3f,\"actions_per_second\":%.1f}\n",
               mediation ? "mediation" : "negotiation", sessions, mediation ? 0 : pairs,
               mediation ? "iterations" : "rounds", rounds, threads, r.ended, r.agreements,
               r.errors, r.actions, r.mediator_actions, r.polls, 1e3 * load_quantile(&r, 0.5),
               1e3 * load_quantile(&r, 0.9), 1e3 * load_quantile(&r, 0.99),
               1e3 * load_quantile(&r, 1), r.wall, r.wall > 0 ? (double)r.actions / r.wall : 0);
        fflush(stdout);
        load_free(&r);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    close(out[0]);
    return failed ? 1 : 0;
}
