/* agents.c: `truce agents`: the built-in agents, their parameters (meaning, default, range)
 * and how to bring one's own, as text or JSON; one agent with `truce agents NAME`. */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce agents [--json] [NAME]\n"
           "\n"
           "List the built-in agents and what they do, with their parameters; with NAME,\n"
           "one agent and what each of its parameters means, its default and the values it\n"
           "takes; and how to bring your own agent (Lua script or program) or replay a\n"
           "recorded party.\n"
           "Agents take parameters after colons: boulware:e=0.1:ac=next+time:T=0.98\n"
           "(docs/agents.md, docs/anac-agents.md).\n"
           "\n"
           "Options:\n"
           "  --json       print JSON: an array of agents, or the one agent NAME, each\n"
           "               {name, description, year, reference, parameters: [{name, default,\n"
           "               range, meaning}], parameters_text}\n"
           "  -h, --help   show this help\n");
}

static void own_agents(void)
{
    printf("Your own agents work wherever a built-in name does (negotiate, mediate --agent):\n\n"
           "lua:PATH[:key=value...]\n"
           "            a Lua 5.4 script defining init(info), propose(state), respond(state,\n"
           "            offer) and, for mediation, review(draft); sandboxed (no io, os,\n"
           "            require, binary chunks). Other keys reach the script as info.params.\n"
           "            parameters: max_instructions=1e7 (per call), max_memory=32M\n"
           "            example: lua:examples/agents/boulware.lua:e=0.2 (docs/agents.md)\n\n"
           "proc:COMMAND[:key=value...]\n"
           "            a program in any language speaking JSON Lines on stdin/stdout\n"
           "            (docs/agent-protocol.md). COMMAND ends at the first ':' and is split\n"
           "            at spaces, without a shell: 'proc:python3 my_agent.py:e=0.5'.\n"
           "            Other keys reach the program in its start message's params.\n"
           "            parameters: timeout=2 (s per message), start_timeout=10, grace=1\n"
           "            example: proc:examples/agents/hardliner.sh:threshold=0.8\n\n"
           "replay:PATH[:actor=NAME|INDEX][:accept=never|trace][:then=hold|end]\n"
           "            plays again the offers one party made in a recorded negotiation: a\n"
           "            trace of 'truce negotiate --trace' or a GENIUS session (genius_bench.sh\n"
           "            TRACE=), its k-th turn the party's k-th offer whatever the others do,\n"
           "            so that agents meet the very same opponent. actor: the party (default:\n"
           "            the one at its own seat); accept=trace also accepts where the party\n"
           "            did; after the last: then=hold repeats the last offer, end walks away.\n"
           "            example: replay:session.jsonl:actor=1 (docs/agents.md)\n\n"
           "A script or program that errors, breaks a limit, crashes, hangs or answers\n"
           "nonsense ends that negotiation with its party at fault, and says why.\n");
}

static json_t *agent_json(size_t i)
{
    json_t *params = json_array();
    for (size_t k = 0; params && k < truce_agent_param_count(i); k++) {
        const truce_agent_param *p = truce_agent_param_info(i, k);
        json_array_append_new(params,
                              json_pack("{s:s,s:s,s:s,s:s}", "name", p->name, "default",
                                        p->fallback, "range", p->range, "meaning", p->meaning));
    }
    json_t *o = json_pack("{s:s,s:s,s:o,s:s}", "name", truce_agent_name(i), "description",
                          truce_agent_description(i), "parameters", params, "parameters_text",
                          truce_agent_params(i));
    if (o && truce_agent_year(i)) {
        json_object_set_new(o, "year", json_integer(truce_agent_year(i)));
        json_object_set_new(o, "reference", json_string(truce_agent_reference(i)));
    } else if (o) {
        json_object_set_new(o, "year", json_null());
        json_object_set_new(o, "reference", json_null());
    }
    return o;
}

/* One agent, every parameter on its own lines. */
static void agent_text(size_t i)
{
    printf("%s: %s\n", truce_agent_name(i), truce_agent_description(i));
    if (truce_agent_year(i))
        printf("ANAC %d; %s\n", truce_agent_year(i), truce_agent_reference(i));
    size_t n = truce_agent_param_count(i);
    if (n == 0) {
        printf("\nparameters: %s%s\n", truce_agent_params(i),
               truce_agent_year(i) ? " (docs/anac-agents.md says what they do)" : "");
        return;
    }
    printf("\nparameters:\n");
    for (size_t k = 0; k < n; k++) {
        const truce_agent_param *p = truce_agent_param_info(i, k);
        printf("  %s=%s\n      values: %s\n      %s\n", p->name, p->fallback, p->range, p->meaning);
    }
}

int cmd_agents(int argc, char **argv)
{
    int json = 0;
    const char *name = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("agents", "unknown option '%s'", argv[i]);
        } else if (name) {
            return cli_usage("agents", "give one agent name, not '%s' and '%s'", name, argv[i]);
        } else {
            name = argv[i];
        }
    }
    size_t n = truce_agent_count(), which = n;
    if (name) {
        for (size_t i = 0; i < n; i++)
            if (!strcmp(truce_agent_name(i), name))
                which = i;
        if (which == n) {
            if (!strcmp(name, "lua") || !strcmp(name, "proc") || !strcmp(name, "replay")) {
                own_agents();
                return EXIT_OK;
            }
            return cli_usage("agents", "unknown agent '%s' ('truce agents' lists them)", name);
        }
    }
    if (json) {
        json_t *out = name ? agent_json(which) : json_array();
        for (size_t i = 0; !name && out && i < n; i++)
            json_array_append_new(out, agent_json(i));
        return cli_print_json(out);
    }
    if (name) {
        agent_text(which);
        return EXIT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        printf("%-11s %s\n", truce_agent_name(i), truce_agent_description(i));
        if (truce_agent_year(i))
            printf("%-11s ANAC %d; %s\n", "", truce_agent_year(i), truce_agent_reference(i));
        printf("%-11s parameters: %s\n\n", "", truce_agent_params(i));
    }
    printf("'truce agents NAME' says what each parameter of an agent means.\n\n");
    own_agents();
    return EXIT_OK;
}
