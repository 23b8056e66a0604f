/* mediate.c: `truce mediate`: mediated talks under the single negotiating
 * text procedure, printed as the draft history clause by clause. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "util.h"

static void help(void)
{
    printf("usage: truce mediate [OPTIONS] SCENARIO\n"
           "\n"
           "Run mediated talks under the single negotiating text procedure: the mediator\n"
           "carries its draft to each principal along channels (shuttle diplomacy where\n"
           "principals have no channel between them); stakeholders send amendments to the\n"
           "principals they influence (and shift what those hold out for, never their\n"
           "BATNA); each principal accepts, objects to clauses with\n"
           "amendments, or vetoes a draft violating its hard condition; the mediator\n"
           "revises. GENIUS scenarios get a neutral mediator. See docs/mediation.md.\n"
           "\n"
           "Options:\n"
           "  --mediator ID        the mediator (default: the scenario's first mediator)\n"
           "  --codraft ID         principal the first draft is written with\n"
           "  --strategy S         informed (default: knows the profiles, steers to a target\n"
           "                       point) or uninformed (one-text procedure: uses only the\n"
           "                       objections and amendments it receives)\n"
           "  --target T           informed target: nash (default) or ks\n"
           "  --interest X         weight in [0,1] of the mediator's own interests (default 0)\n"
           "  --responders R       truthful (default), strategic (exaggerates and anchors),\n"
           "                       exaggerate (every objection vital, every draft below its\n"
           "                       BATNA) or anchor (asks for its ideal on more clauses,\n"
           "                       concedes slowly)\n"
           "  --objections N       clauses a principal objects to per answer (default 2)\n"
           "  --noise X            noise in [0, 1] on the gains principals report: each is\n"
           "                       multiplied by a factor in [1-X, 1+X] drawn by the seed\n"
           "                       (default 0: none)\n"
           "  --iterations N       iteration limit (default 50); the uninformed mediator puts\n"
           "                       its last draft to a binding vote (the final text)\n"
           "  --seconds S          deadline in wall-clock seconds besides the iteration limit:\n"
           "                       the talks end (\"deadline\") when it passes; the time\n"
           "                       principals see is the later of the two clocks\n"
           "  --patience N         iterations without progress before a principal below its\n"
           "                       BATNA walks away (default 5)\n"
           "  --agenda M           the agenda's preconditions: ignore (default: every clause\n"
           "                       drafted at once), follow (an item's clauses wait until the\n"
           "                       items demanded first are settled; in a deadlock the\n"
           "                       mediator's own demand, then the most held, then the first\n"
           "                       declared is followed) or package (each deadlocked set of\n"
           "                       items drafted, revised as a whole and settled together, as\n"
           "                       truce check advises)\n"
           "  --agent PARTY=AGENT  the principal PARTY answers drafts through an agent:\n"
           "                       lua:SCRIPT.lua[:k=v...] (its review(draft)) or\n"
           "                       proc:COMMAND[:k=v...] (\"review\" messages); repeatable\n"
           "                       (docs/agents.md, docs/agent-protocol.md)\n"
           "  --seed N             seed (default 1)\n"
           "  --trace FILE         every message as JSON Lines, with from and to\n"
           "  --json               print the whole history as one JSON object\n"
           "  -h, --help           show this help\n");
}

static void print_items(json_t *items)
{
    size_t k;
    json_t *x;
    json_array_foreach(items, k, x)
    {
        printf("%s%s", k ? " + " : "", json_string_value(x));
    }
}

/* The drafting order of --agenda follow|package: stages, demands set aside. */
static void print_agenda_plan(json_t *agenda)
{
    if (!agenda)
        return;
    printf("Agenda (%s): ", json_string_value(json_object_get(agenda, "mode")));
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(agenda, "stages"), k, x)
    {
        printf("%s", k ? ", then " : "");
        print_items(x);
    }
    printf("\n");
    json_array_foreach(json_object_get(agenda, "set_aside"), k, x)
    {
        printf("  set aside: %s before %s (held by ",
               json_string_value(json_object_get(x, "first")),
               json_string_value(json_object_get(x, "then")));
        size_t h;
        json_t *n;
        json_array_foreach(json_object_get(x, "held_by"), h, n)
        {
            printf("%s%s", h ? ", " : "", json_string_value(n));
        }
        printf("): it would deadlock with the demands followed\n");
    }
    printf("\n");
}

static void print_history(json_t *doc)
{
    size_t k, q;
    json_t *entry, *x;
    json_array_foreach(json_object_get(doc, "history"), k, entry)
    {
        printf("Iteration %lld:\n",
               (long long)json_integer_value(json_object_get(entry, "iteration")) + 1);
        json_array_foreach(json_object_get(entry, "answers"), q, x)
        {
            const char *who = json_string_value(json_object_get(x, "from"));
            size_t a;
            json_t *am;
            json_array_foreach(json_object_get(x, "adopted_amendments"), a, am)
            {
                printf("  %s -> %s: amendment %s = %s, adopted (influence-weighted value %+.3f)\n",
                       json_string_value(json_object_get(am, "from")), who,
                       json_string_value(json_object_get(am, "issue")),
                       json_string_value(json_object_get(am, "option")),
                       json_real_value(json_object_get(am, "value")));
            }
            json_array_foreach(json_object_get(x, "rejected_amendments"), a, am)
            {
                printf("  %s -> %s: amendment %s = %s, not taken up (value %+.3f)\n",
                       json_string_value(json_object_get(am, "from")), who,
                       json_string_value(json_object_get(am, "issue")),
                       json_string_value(json_object_get(am, "option")),
                       json_real_value(json_object_get(am, "value")));
            }
            const char *answer = json_string_value(json_object_get(x, "answer"));
            printf("  %-10s %s (utility %.3f", who, answer,
                   json_real_value(json_object_get(x, "utility")));
            json_t *valued = json_object_get(x, "valued");
            if (valued) /* a principal under a stakeholder's influence */
                printf(", valued %.3f", json_real_value(valued));
            printf(", BATNA %.3f)", json_real_value(json_object_get(x, "reservation")));
            json_t *veto = json_object_get(x, "veto");
            if (json_is_string(veto))
                printf(", VETO: hard condition '%s'", json_string_value(veto));
            printf("\n");
            json_array_foreach(json_object_get(x, "objections"), a, am)
            {
                json_t *from = json_object_get(am, "amendment_from");
                printf("             objects to %s = %s, proposes %s (%s%s%s)\n",
                       json_string_value(json_object_get(am, "issue")),
                       json_string_value(json_object_get(am, "draft")),
                       json_string_value(json_object_get(am, "proposed")),
                       json_string_value(json_object_get(am, "reason")), from ? " from " : "",
                       from ? json_string_value(from) : "");
            }
        }
        json_array_foreach(json_object_get(entry, "changes"), q, x)
        {
            printf("  revision: %s %s -> %s (%s", json_string_value(json_object_get(x, "issue")),
                   json_string_value(json_object_get(x, "from")),
                   json_string_value(json_object_get(x, "to")),
                   json_string_value(json_object_get(x, "why")));
            json_t *by = json_object_get(x, "proposed_by");
            if (json_array_size(by)) {
                printf("; proposed by ");
                size_t b;
                json_t *n;
                json_array_foreach(by, b, n)
                {
                    printf("%s%s", b ? ", " : "", json_string_value(n));
                }
            }
            printf(")\n");
        }
        json_t *agenda = json_object_get(entry, "agenda");
        if (agenda) {
            printf("  agenda: settled ");
            print_items(json_object_get(agenda, "settled"));
            if (json_array_size(json_object_get(agenda, "opens"))) {
                printf("; opens ");
                print_items(json_object_get(agenda, "opens"));
            }
            printf("\n");
        }
    }
}

/* What the uninformed mediator learned: each principal's vetoed options and
 * how many drafts it said were no better than its BATNA. */
static void print_learned(json_t *learned)
{
    if (!json_object_size(learned))
        return;
    printf("\n  what the mediator learned:\n");
    const char *who;
    json_t *p;
    json_object_foreach(learned, who, p)
    {
        printf("    %s:", who);
        const char *issue;
        json_t *options;
        int any = 0;
        json_object_foreach(json_object_get(p, "vetoed"), issue, options)
        {
            printf("%s %s =", any++ ? ";" : " vetoes", issue);
            size_t k;
            json_t *o;
            json_array_foreach(options, k, o)
            {
                printf("%s %s", k ? "," : "", json_string_value(o));
            }
        }
        printf("%s %lld drafts no better than its BATNA", any ? ";" : "",
               (long long)json_integer_value(json_object_get(p, "below_batna_drafts")));
        json_t *inflated = json_object_get(p, "inflated_answers");
        if (inflated)
            printf("; %lld answers whose gains add up to more than 1 (exaggerated)",
                   (long long)json_integer_value(inflated));
        printf("\n");
    }
}

static int lookup(const char *cmd, const truce_scenario *s, const char *id, long *out)
{
    int p = truce_party_find(s, id);
    if (p < 0)
        return cli_usage(cmd, "unknown party '%s'", id);
    *out = p;
    return 0;
}

/* --agent PARTY=SPEC options into one spec per party (cls NULL: built-in responder). */
static int parse_agents(const truce_scenario *s, const char *const *args, size_t n,
                        truce_agent_spec **out)
{
    truce_agent_spec *specs = calloc(truce_scenario_party_count(s) + 1, sizeof *specs);
    if (!specs)
        return cli_fail("mediate", "out of memory");
    *out = specs;
    for (size_t k = 0; k < n; k++) {
        const char *eq = strchr(args[k], '=');
        char party[256];
        snprintf(party, sizeof party, "%.*s", (int)(eq - args[k]), args[k]);
        int p = truce_party_find(s, party);
        if (p < 0)
            return cli_usage("mediate", "--agent %s: unknown party '%s'", args[k], party);
        if (truce_party_role(s, (size_t)p) != TRUCE_ROLE_PRINCIPAL)
            return cli_usage("mediate", "--agent %s: '%s' is not a principal", args[k], party);
        truce_error err;
        if (truce_agent_parse(&specs[p], eq + 1, &err))
            return cli_usage("mediate", "--agent %s: %s", args[k], err.message);
    }
    return 0;
}

/* Each principal's margin on the agreement and the smallest change of one
 * of its numbers that would flip its acceptance (truce_evaluate's parties,
 * principals only, at the time of the last iteration); NULL without an
 * agreement. */
static json_t *agreement_margins(const truce_scenario *s, const truce_mediation *m,
                                 uint32_t max_iterations, int *rc)
{
    if (!truce_mediation_agreement(m))
        return NULL;
    truce_check_options co = TRUCE_CHECK_OPTIONS_INIT;
    uint32_t it = truce_mediation_iterations(m);
    co.time = it > 0 && max_iterations ? (double)(it - 1) / max_iterations : 0;
    char *text = NULL;
    truce_error err;
    if (truce_evaluate(&text, s, truce_mediation_draft(m), &co, &err)) {
        *rc = cli_fail_error("mediate", &err);
        return NULL;
    }
    json_t *doc = json_loads(text, 0, NULL), *out = json_array();
    truce_free(text);
    size_t k;
    json_t *row;
    json_array_foreach(json_object_get(doc, "parties"), k, row)
    {
        if (json_is_true(json_object_get(row, "bargainer")))
            json_array_append(out, row);
    }
    json_decref(doc);
    return out;
}

int cmd_mediate(int argc, char **argv)
{
    truce_mediation_options o = TRUCE_MEDIATION_OPTIONS_INIT;
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    const char *mediator = NULL, *codraft = NULL, *trace_path = NULL;
    const char *agent_args[64];
    size_t n_agent_args = 0;
    int json = 0;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n_paths = 0;
    if (!paths)
        return cli_fail("mediate", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *v;
        uint64_t u;
        double d;
        int bad = 0;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            free(paths);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--mediator"))) {
            mediator = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--codraft"))) {
            codraft = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--strategy"))) {
            if (!strcmp(v, "informed"))
                o.strategy = TRUCE_MEDIATOR_INFORMED;
            else if (!strcmp(v, "uninformed"))
                o.strategy = TRUCE_MEDIATOR_UNINFORMED;
            else
                bad = cli_usage("mediate", "--strategy is informed or uninformed, not '%s'", v);
        } else if ((v = cli_option_value(argc, argv, &i, "--target"))) {
            if (!strcmp(v, "nash"))
                o.target = TRUCE_SOLUTION_NASH;
            else if (!strcmp(v, "ks"))
                o.target = TRUCE_SOLUTION_KALAI_SMORODINSKY;
            else
                bad = cli_usage("mediate", "--target is nash or ks, not '%s'", v);
        } else if ((v = cli_option_value(argc, argv, &i, "--responders"))) {
            if (!strcmp(v, "truthful"))
                o.responder = TRUCE_RESPONDER_TRUTHFUL;
            else if (!strcmp(v, "strategic"))
                o.responder = TRUCE_RESPONDER_STRATEGIC;
            else if (!strcmp(v, "exaggerate"))
                o.responder = TRUCE_RESPONDER_EXAGGERATE;
            else if (!strcmp(v, "anchor"))
                o.responder = TRUCE_RESPONDER_ANCHOR;
            else
                bad = cli_usage(
                    "mediate",
                    "--responders is truthful, strategic, exaggerate or anchor, not '%s'", v);
        } else if ((v = cli_option_value(argc, argv, &i, "--interest"))) {
            if (cli_parse_double(v, &d) || d < 0 || d > 1)
                bad = cli_usage("mediate", "--interest needs a number in [0, 1], not '%s'", v);
            o.mediator_interest = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--noise"))) {
            if (cli_parse_double(v, &d) || !(d >= 0 && d <= 1))
                bad = cli_usage("mediate", "--noise needs a number in [0, 1], not '%s'", v);
            o.noise = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--objections"))) {
            if (cli_parse_u64(v, &u) || u < 1 || u > 1000)
                bad = cli_usage("mediate", "--objections needs a count from 1 to 1000");
            o.max_objections = (uint32_t)u;
        } else if ((v = cli_option_value(argc, argv, &i, "--iterations"))) {
            if (cli_parse_u64(v, &u) || u < 1 || u > 100000)
                bad = cli_usage("mediate", "--iterations needs a count from 1 to 100000");
            o.max_iterations = (uint32_t)u;
        } else if ((v = cli_option_value(argc, argv, &i, "--seconds"))) {
            if (cli_parse_double(v, &d) || !(d > 0 && d < 1e7))
                bad = cli_usage("mediate",
                                "--seconds needs seconds above 0 and below 1e7, not '%s'", v);
            o.max_seconds = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--agenda"))) {
            if (!strcmp(v, "ignore"))
                o.agenda = TRUCE_AGENDA_IGNORE;
            else if (!strcmp(v, "follow"))
                o.agenda = TRUCE_AGENDA_FOLLOW;
            else if (!strcmp(v, "package"))
                o.agenda = TRUCE_AGENDA_PACKAGE;
            else
                bad = cli_usage("mediate", "--agenda is ignore, follow or package, not '%s'", v);
        } else if ((v = cli_option_value(argc, argv, &i, "--patience"))) {
            if (cli_parse_u64(v, &u) || u > 100000)
                bad = cli_usage("mediate", "--patience needs a count from 0 to 100000");
            o.patience = (uint32_t)u;
        } else if ((v = cli_option_value(argc, argv, &i, "--seed"))) {
            if (cli_parse_u64(v, &u))
                bad = cli_usage("mediate", "--seed needs a non-negative integer");
            o.seed = u;
        } else if ((v = cli_option_value(argc, argv, &i, "--trace"))) {
            trace_path = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--agent"))) {
            if (!strchr(v, '=') || n_agent_args == 64)
                bad = cli_usage("mediate", "--agent needs PARTY=AGENT (at most 64), not '%s'", v);
            else
                agent_args[n_agent_args++] = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            bad = cli_usage("mediate", "unknown option '%s'", argv[i]);
        } else {
            paths[n_paths++] = argv[i];
        }
        if (bad) {
            free(paths);
            return bad;
        }
    }
    truce_scenario *s = NULL;
    int rc = cli_load_scenario("mediate", &s, paths, n_paths, &lo);
    free(paths);
    if (rc)
        return rc;
    if ((mediator && (rc = lookup("mediate", s, mediator, &o.mediator))) ||
        (codraft && (rc = lookup("mediate", s, codraft, &o.codrafter)))) {
        truce_scenario_free(s);
        return rc;
    }
    /* a party in the wrong role is a bad argument, as an unknown one is */
    if (mediator && truce_party_role(s, (size_t)o.mediator) == TRUCE_ROLE_PRINCIPAL)
        rc = cli_usage("mediate", "--mediator %s: '%s' is a principal, not a mediator", mediator,
                       mediator);
    else if (codraft && truce_party_role(s, (size_t)o.codrafter) != TRUCE_ROLE_PRINCIPAL)
        rc = cli_usage("mediate", "--codraft %s: the co-drafter must be a principal", codraft);
    truce_agent_spec *specs = NULL;
    if (rc == 0 && n_agent_args)
        rc = parse_agents(s, agent_args, n_agent_args, &specs);
    o.agents = specs;
    if (rc) {
        free(specs);
        truce_scenario_free(s);
        return rc;
    }
    cli_output trace = {0};
    if (trace_path && (rc = cli_output_open("mediate", &trace, trace_path))) {
        free(specs);
        truce_scenario_free(s);
        return rc;
    }
    o.trace = trace.f ? cli_output_trace : NULL;
    o.trace_payload = &trace;
    truce_mediation *m = NULL;
    truce_error err;
    char *report = NULL;
    if (truce_mediate(&m, s, &o, &err)) {
        rc = cli_output_fail("mediate", &trace, &err);
    } else if (truce_mediation_report(m, &report, &err)) {
        rc = cli_fail("mediate", "%s", err.message);
    } else if (json) {
        json_t *margins = agreement_margins(s, m, o.max_iterations, &rc);
        if (rc == 0 && !margins) {
            puts(report);
        } else if (rc == 0) {
            json_t *doc = json_loads(report, 0, NULL);
            if (doc)
                json_object_set_new(doc, "margins", margins);
            else
                json_decref(margins);
            rc = cli_print_json(doc); /* takes doc */
        }
    } else {
        json_t *doc = json_loads(report, 0, NULL);
        printf("Mediated talks on %s: mediator %s, %s strategy\n\n", truce_scenario_name(s),
               json_string_value(json_object_get(doc, "mediator")),
               json_string_value(json_object_get(doc, "strategy")));
        print_agenda_plan(json_object_get(doc, "agenda"));
        print_history(doc);
        printf("\nResult: %s after %u iterations (%u distinct drafts, %llu messages)\n  %s\n",
               truce_mediation_agreement(m)                   ? "AGREEMENT"
               : !strcmp(truce_mediation_end(m), "breakdown") ? "BREAKDOWN"
               : !strcmp(truce_mediation_end(m), "fault")     ? "FAULT"
               : !strcmp(truce_mediation_end(m), "deadline")  ? "no agreement (deadline passed)"
                                                              : "no agreement (iteration "
                                                                "limit)",
               truce_mediation_iterations(m), truce_mediation_drafts(m),
               (unsigned long long)truce_mediation_messages(m), truce_mediation_reason(m));
        const uint32_t *d = truce_mediation_draft(m);
        printf("\n  %s draft:\n", truce_mediation_agreement(m) ? "agreed" : "last");
        for (size_t i = 0; i < truce_scenario_issue_count(s); i++) {
            char label[512];
            truce_issue_option_label(s, i, d[i], label, sizeof label);
            printf("    %-24s %s\n", truce_issue_name(s, i), label);
        }
        printf("\n  utilities:");
        for (size_t p = 0; p < truce_scenario_party_count(s); p++)
            printf(" %s %.3f", truce_party_name(s, p), truce_mediation_utility(m, p));
        double nd = truce_mediation_nash_distance(m);
        if (isfinite(nd))
            printf("\n  distance of the principals' utilities to their Nash point: %.4f", nd);
        printf("\n");
        json_t *margins = agreement_margins(s, m, o.max_iterations, &rc);
        if (margins)
            cli_print_party_flips(margins, "flips");
        json_decref(margins);
        print_learned(json_object_get(doc, "learned"));
        json_decref(doc);
    }
    truce_free(report);
    truce_mediation_free(m);
    free(specs);
    if (trace.f && cli_output_close("mediate", &trace, rc == EXIT_OK))
        rc = EXIT_INPUT;
    truce_scenario_free(s);
    return rc;
}
