/* fuzz_tournament.c: libFuzzer target for tournament definition files (docs/results.md): the
 * input is read as a definition; safe ones are also built against the examples, in a folder. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/tournament/tournament.h"
#include "fuzzutil.h"

/* The scratch folder holds the definition and, as links, the scenarios seeds may name:
 * ceasefire (a GENIUS folder), small.yaml (a two-party native scenario) and talks.yaml (the seed
 * scenario, which has no direct channel and so cannot be run in a tournament). */
static void make_folder(void)
{
    static int made;
    if (made)
        return;
    made = 1;
    char path[512];
    FUZZ_CHECK(symlink(TRUCE_FUZZ_EXAMPLES "/genius/ceasefire",
                       fuzz_path("ceasefire", path, sizeof path)) == 0);
    FUZZ_CHECK(symlink(TRUCE_FUZZ_EXAMPLES "/seed/truce-talks.yaml",
                       fuzz_path("talks.yaml", path, sizeof path)) == 0);
    FUZZ_CHECK(symlink(TRUCE_FUZZ_EXAMPLES "/../tests/data/report/small.yaml",
                       fuzz_path("small.yaml", path, sizeof path)) == 0);
}

/* Building a tournament loads its scenarios and starts its agents: only done when every
 * scenario pattern stays in the scratch folder and every agent is built in, in small numbers. */
static int safe_to_build(const tournament_definition_file *f)
{
    if (f->d.n_agents > 8 || f->d.n_scenarios > 4)
        return 0;
    for (size_t k = 0; k < f->d.n_agents; k++)
        if (strncmp(f->agents[k], "proc", 4) == 0 || strncmp(f->agents[k], "lua", 3) == 0)
            return 0;
    for (size_t k = 0; k < f->d.n_scenarios; k++)
        if (strchr(f->scenarios[k], '/') || f->scenarios[k][0] == '.' ||
            strchr(f->scenarios[k], '~') || strstr(f->scenarios[k], ".."))
            return 0;
    return 1;
}

static void build(const tournament_definition_file *f)
{
    truce_tournament *t = NULL;
    truce_error err;
    int rc = truce_tournament_create(&t, &f->d, &err);
    if (rc) {
        FUZZ_CHECK(t == NULL && rc < 0 && err.code == rc && err.message[0] != '\0');
        if (fuzz_verbose())
            fprintf(stderr, "fuzz_tournament: not built: %s\n", err.message);
        return;
    }
    FUZZ_CHECK(truce_tournament_agent_count(t) == f->d.n_agents);
    size_t n = truce_tournament_scenario_count(t);
    FUZZ_CHECK(n >= 1);
    /* every matchup of every scenario, `repetitions` times: at least one job per scenario */
    FUZZ_CHECK(truce_tournament_job_count(t) >= n * f->d.repetitions ||
               truce_tournament_job_count(t) == 0);
    json_error_t jerr;
    json_t *j = json_loads(truce_tournament_definition_json(t), 0, &jerr);
    FUZZ_CHECK(j != NULL && json_is_object(j));
    json_decref(j);
    if (fuzz_verbose())
        fprintf(stderr, "fuzz_tournament: built: %zu scenarios, %llu jobs\n", n,
                (unsigned long long)truce_tournament_job_count(t));
    truce_tournament_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1 << 16))
        return 0;
    make_folder();
    char path[512];
    fuzz_path("cup.yaml", path, sizeof path);
    fuzz_write(path, data, size);
    tournament_definition_file f;
    truce_error err;
    int rc = tournament_definition_read(&f, path, &err);
    if (rc) {
        FUZZ_CHECK(rc < 0 && err.code == rc && err.message[0] != '\0');
        FUZZ_CHECK(!strchr(err.message, '\n') || strstr(err.message, "malformed YAML"));
        if (fuzz_verbose())
            fprintf(stderr, "fuzz_tournament: refused: %s\n", err.message);
        return 0;
    }
    FUZZ_CHECK(f.d.n_agents >= 1 && f.d.n_scenarios >= 1);
    FUZZ_CHECK(f.d.rounds >= 1 && f.d.repetitions >= 1 && f.d.real_steps >= 2);
    for (size_t k = 0; k < f.d.n_agents; k++)
        FUZZ_CHECK(f.d.agents[k] != NULL);
    FUZZ_CHECK(f.agents[f.d.n_agents] == NULL && f.scenarios[f.d.n_scenarios] == NULL);
    for (size_t k = 0; k < f.d.n_scenarios; k++)
        FUZZ_CHECK(f.d.scenarios[k] != NULL);
    if (safe_to_build(&f))
        build(&f);
    tournament_definition_file_free(&f);
    return 0;
}
