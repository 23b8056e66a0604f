/* layout.c: prints the size and field offsets of the structs of truce.h that the Python binding
 * mirrors with ctypes, and the defaults of their _INIT macros, as JSON for test_layout.py. */
#include <stddef.h>
#include <stdio.h>

#include "truce.h"

static int first;

static void begin(const char *name, size_t size)
{
    printf("%s\"%s\": {\"size\": %zu, \"fields\": {", first ? "" : ", ", name, size);
    first = 0;
}

static int first_field;

static void field(const char *name, size_t offset)
{
    printf("%s\"%s\": %zu", first_field ? "" : ", ", name, offset);
    first_field = 0;
}

#define STRUCT(type) (first_field = 1, begin(#type, sizeof(type)))
#define FIELD(type, member) field(#member, offsetof(type, member))
#define END() printf("}}")

static void structs(void)
{
    STRUCT(truce_error);
    FIELD(truce_error, code), FIELD(truce_error, line), FIELD(truce_error, column);
    FIELD(truce_error, file), FIELD(truce_error, field), FIELD(truce_error, message);
    END();
    STRUCT(truce_load_options);
    FIELD(truce_load_options, version), FIELD(truce_load_options, real_steps);
    FIELD(truce_load_options, max_issue_values), FIELD(truce_load_options, allocator);
    FIELD(truce_load_options, limits), FIELD(truce_load_options, legacy);
    FIELD(truce_load_options, coalitions);
    END();
    STRUCT(truce_generate_options);
    FIELD(truce_generate_options, version), FIELD(truce_generate_options, n_issues);
    FIELD(truce_generate_options, n_options), FIELD(truce_generate_options, n_parties);
    FIELD(truce_generate_options, levels), FIELD(truce_generate_options, seed);
    FIELD(truce_generate_options, allocator), FIELD(truce_generate_options, hard_rate);
    END();
    STRUCT(truce_analysis_options);
    FIELD(truce_analysis_options, version), FIELD(truce_analysis_options, max_outcomes);
    FIELD(truce_analysis_options, max_frontier), FIELD(truce_analysis_options, approximate);
    FIELD(truce_analysis_options, seed), FIELD(truce_analysis_options, approx_effort);
    FIELD(truce_analysis_options, max_nodes), FIELD(truce_analysis_options, allocator);
    FIELD(truce_analysis_options, time), FIELD(truce_analysis_options, max_work);
    END();
    STRUCT(truce_check_options);
    FIELD(truce_check_options, version), FIELD(truce_check_options, time);
    FIELD(truce_check_options, max_outcomes), FIELD(truce_check_options, max_relaxation);
    FIELD(truce_check_options, thin_margin), FIELD(truce_check_options, max_nodes);
    FIELD(truce_check_options, margins), FIELD(truce_check_options, max_work);
    END();
    STRUCT(truce_robust_options);
    FIELD(truce_robust_options, version), FIELD(truce_robust_options, samples);
    FIELD(truce_robust_options, seed), FIELD(truce_robust_options, threads);
    FIELD(truce_robust_options, time), FIELD(truce_robust_options, advise_party);
    FIELD(truce_robust_options, acceptable_to), FIELD(truce_robust_options, n_acceptable);
    FIELD(truce_robust_options, level), FIELD(truce_robust_options, max_outcomes);
    FIELD(truce_robust_options, mediate), FIELD(truce_robust_options, sensitivity);
    FIELD(truce_robust_options, progress), FIELD(truce_robust_options, progress_payload);
    FIELD(truce_robust_options, mediation);
    END();
    STRUCT(truce_space_options);
    FIELD(truce_space_options, version), FIELD(truce_space_options, max_outcomes);
    FIELD(truce_space_options, analyze), FIELD(truce_space_options, allocator);
    FIELD(truce_space_options, ties);
    END();
    STRUCT(truce_negotiation_options);
    FIELD(truce_negotiation_options, version), FIELD(truce_negotiation_options, max_rounds);
    FIELD(truce_negotiation_options, max_seconds), FIELD(truce_negotiation_options, trace);
    FIELD(truce_negotiation_options, trace_payload);
    FIELD(truce_negotiation_options, allocator), FIELD(truce_negotiation_options, clock);
    END();
    STRUCT(truce_mediation_options);
    FIELD(truce_mediation_options, version), FIELD(truce_mediation_options, mediator);
    FIELD(truce_mediation_options, codrafter), FIELD(truce_mediation_options, strategy);
    FIELD(truce_mediation_options, target), FIELD(truce_mediation_options, mediator_interest);
    FIELD(truce_mediation_options, responder), FIELD(truce_mediation_options, max_objections);
    FIELD(truce_mediation_options, max_iterations), FIELD(truce_mediation_options, patience);
    FIELD(truce_mediation_options, seed), FIELD(truce_mediation_options, trace);
    FIELD(truce_mediation_options, trace_payload);
    FIELD(truce_mediation_options, max_outcomes), FIELD(truce_mediation_options, agents);
    FIELD(truce_mediation_options, draft), FIELD(truce_mediation_options, draft_payload);
    FIELD(truce_mediation_options, max_seconds), FIELD(truce_mediation_options, clock);
    FIELD(truce_mediation_options, clock_payload), FIELD(truce_mediation_options, noise);
    FIELD(truce_mediation_options, agenda);
    END();
    STRUCT(truce_turn);
    FIELD(truce_turn, round), FIELD(truce_turn, time), FIELD(truce_turn, offer);
    FIELD(truce_turn, offer_from), FIELD(truce_turn, offer_utility);
    FIELD(truce_turn, offer_vetoed);
    END();
    STRUCT(truce_agent_setup);
    FIELD(truce_agent_setup, space), FIELD(truce_agent_setup, party);
    FIELD(truce_agent_setup, n_parties), FIELD(truce_agent_setup, max_rounds);
    FIELD(truce_agent_setup, seed), FIELD(truce_agent_setup, params);
    END();
    STRUCT(truce_event);
    FIELD(truce_event, kind), FIELD(truce_event, actor), FIELD(truce_event, round);
    FIELD(truce_event, time), FIELD(truce_event, offer);
    END();
    STRUCT(truce_agent_class);
    FIELD(truce_agent_class, name), FIELD(truce_agent_class, state_size);
    FIELD(truce_agent_class, state_size_for), FIELD(truce_agent_class, init);
    FIELD(truce_agent_class, act), FIELD(truce_agent_class, observe);
    FIELD(truce_agent_class, payload), FIELD(truce_agent_class, release);
    FIELD(truce_agent_class, fault_message), FIELD(truce_agent_class, review);
    END();
    STRUCT(truce_draft);
    FIELD(truce_draft, iteration), FIELD(truce_draft, time), FIELD(truce_draft, outcome);
    FIELD(truce_draft, utility), FIELD(truce_draft, reservation), FIELD(truce_draft, vetoed);
    END();
    STRUCT(truce_review);
    FIELD(truce_review, kind), FIELD(truce_review, proposed), FIELD(truce_review, gain);
    END();
    STRUCT(truce_tournament_definition);
    FIELD(truce_tournament_definition, version), FIELD(truce_tournament_definition, name);
    FIELD(truce_tournament_definition, agents), FIELD(truce_tournament_definition, n_agents);
    FIELD(truce_tournament_definition, scenarios);
    FIELD(truce_tournament_definition, n_scenarios);
    FIELD(truce_tournament_definition, base_dir);
    FIELD(truce_tournament_definition, repetitions), FIELD(truce_tournament_definition, rounds);
    FIELD(truce_tournament_definition, seed), FIELD(truce_tournament_definition, permutations);
    FIELD(truce_tournament_definition, self_play);
    FIELD(truce_tournament_definition, real_steps);
    FIELD(truce_tournament_definition, limits), FIELD(truce_tournament_definition, clock);
    FIELD(truce_tournament_definition, ties), FIELD(truce_tournament_definition, seconds);
    FIELD(truce_tournament_definition, negotiation_timeout);
    FIELD(truce_tournament_definition, skip_unloadable), FIELD(truce_tournament_definition, legacy);
    END();
    STRUCT(truce_tournament_run_options);
    FIELD(truce_tournament_run_options, version), FIELD(truce_tournament_run_options, threads);
    FIELD(truce_tournament_run_options, batch), FIELD(truce_tournament_run_options, limit);
    FIELD(truce_tournament_run_options, progress);
    FIELD(truce_tournament_run_options, progress_payload);
    END();
    STRUCT(truce_tournament_status);
    FIELD(truce_tournament_status, total), FIELD(truce_tournament_status, before);
    FIELD(truce_tournament_status, ran), FIELD(truce_tournament_status, stopped);
    FIELD(truce_tournament_status, seconds);
    END();
    STRUCT(truce_agent_spec);
    FIELD(truce_agent_spec, cls), FIELD(truce_agent_spec, params);
    END();
}

/* The _INIT defaults, as numbers (%.17g keeps doubles exact). */
static void defaults(void)
{
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    truce_generate_options go = TRUCE_GENERATE_OPTIONS_INIT;
    truce_analysis_options ao = TRUCE_ANALYSIS_OPTIONS_INIT;
    truce_check_options co = TRUCE_CHECK_OPTIONS_INIT;
    truce_space_options so = TRUCE_SPACE_OPTIONS_INIT;
    truce_negotiation_options no = TRUCE_NEGOTIATION_OPTIONS_INIT;
    truce_mediation_options mo = TRUCE_MEDIATION_OPTIONS_INIT;
    truce_tournament_definition td = TRUCE_TOURNAMENT_DEFINITION_INIT;
    truce_tournament_run_options ro = TRUCE_TOURNAMENT_RUN_OPTIONS_INIT;
    printf("\"defaults\": {");
    printf("\"truce_load_options\": {\"version\": %d, \"real_steps\": %u, "
           "\"max_issue_values\": %u, \"legacy\": %d, \"coalitions\": %d}",
           lo.version, (unsigned)lo.real_steps, (unsigned)lo.max_issue_values, lo.legacy,
           lo.coalitions);
    printf(", \"truce_generate_options\": {\"version\": %d, \"n_issues\": %zu, \"n_options\": %u, "
           "\"n_parties\": %zu, \"levels\": %u, \"seed\": %llu, \"hard_rate\": %.17g}",
           go.version, go.n_issues, (unsigned)go.n_options, go.n_parties, (unsigned)go.levels,
           (unsigned long long)go.seed, go.hard_rate);
    printf(", \"truce_analysis_options\": {\"version\": %d, \"max_outcomes\": %.17g, "
           "\"max_frontier\": %zu, \"approximate\": %d, \"seed\": %llu, \"approx_effort\": %.17g, "
           "\"max_nodes\": %.17g, \"time\": %.17g, \"max_work\": %.17g}",
           ao.version, ao.max_outcomes, ao.max_frontier, ao.approximate,
           (unsigned long long)ao.seed, ao.approx_effort, ao.max_nodes, ao.time, ao.max_work);
    printf(", \"truce_check_options\": {\"version\": %d, \"time\": %.17g, \"max_outcomes\": %.17g, "
           "\"max_relaxation\": %zu, \"thin_margin\": %.17g, \"max_nodes\": %.17g, "
           "\"margins\": %d, \"max_work\": %.17g}",
           co.version, co.time, co.max_outcomes, co.max_relaxation, co.thin_margin, co.max_nodes,
           co.margins, co.max_work);
    truce_robust_options rbo = TRUCE_ROBUST_OPTIONS_INIT;
    printf(", \"truce_robust_options\": {\"version\": %d, \"samples\": %llu, \"seed\": %llu, "
           "\"threads\": %u, \"time\": %.17g, \"advise_party\": %ld, \"n_acceptable\": %zu, "
           "\"level\": %.17g, \"max_outcomes\": %.17g, \"mediate\": %d, \"sensitivity\": %d}",
           rbo.version, (unsigned long long)rbo.samples, (unsigned long long)rbo.seed,
           rbo.threads, rbo.time, rbo.advise_party, rbo.n_acceptable, rbo.level,
           rbo.max_outcomes, rbo.mediate, rbo.sensitivity);
    printf(", \"truce_space_options\": {\"version\": %d, \"max_outcomes\": %.17g, \"analyze\": %d, "
           "\"ties\": %d}",
           so.version, so.max_outcomes, so.analyze, so.ties);
    printf(", \"truce_negotiation_options\": {\"version\": %d, \"max_rounds\": %llu, "
           "\"max_seconds\": %.17g, \"clock\": %d}",
           no.version, (unsigned long long)no.max_rounds, no.max_seconds, no.clock);
    printf(
        ", \"truce_mediation_options\": {\"version\": %d, \"mediator\": %ld, \"codrafter\": %ld, "
        "\"strategy\": %d, \"target\": %d, \"mediator_interest\": %.17g, \"responder\": %d, "
        "\"max_objections\": %u, \"max_iterations\": %u, \"patience\": %u, \"seed\": %llu, "
        "\"max_outcomes\": %.17g, \"max_seconds\": %.17g, \"noise\": %.17g, \"agenda\": %d}",
        mo.version, mo.mediator, mo.codrafter, mo.strategy, mo.target, mo.mediator_interest,
        mo.responder, (unsigned)mo.max_objections, (unsigned)mo.max_iterations,
        (unsigned)mo.patience, (unsigned long long)mo.seed, mo.max_outcomes, mo.max_seconds,
        mo.noise, mo.agenda);
    printf(", \"truce_tournament_definition\": {\"version\": %d, \"repetitions\": %llu, "
           "\"rounds\": %llu, \"seed\": %llu, \"permutations\": %d, \"self_play\": %d, "
           "\"real_steps\": %u, \"clock\": %d, \"ties\": %d, \"seconds\": %.17g, "
           "\"negotiation_timeout\": %.17g, \"skip_unloadable\": %d, \"legacy\": %d}",
           td.version, (unsigned long long)td.repetitions, (unsigned long long)td.rounds,
           (unsigned long long)td.seed, td.permutations, td.self_play, (unsigned)td.real_steps,
           td.clock, td.ties, td.seconds, td.negotiation_timeout, td.skip_unloadable, td.legacy);
    printf(", \"truce_tournament_run_options\": {\"version\": %d, \"threads\": %u, "
           "\"batch\": %llu, \"limit\": %llu}",
           ro.version, ro.threads, (unsigned long long)ro.batch, (unsigned long long)ro.limit);
    printf("}");
}

int main(void)
{
    first = 1;
    printf("{\"structs\": {");
    structs();
    printf("}, ");
    defaults();
    printf("}\n");
    return 0;
}
