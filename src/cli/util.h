/* util.h: what every truce subcommand shares: loading a scenario from the
 * command line, reporting errors with the right exit status, parsing
 * numbers, and rendering outcomes as text or JSON. Uses only truce.h. */
#ifndef TRUCE_CLI_UTIL_H
#define TRUCE_CLI_UTIL_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "truce.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

/* "truce CMD: message (see 'truce CMD --help')" on one line of stderr;
 * returns EXIT_USAGE. */
/* Flush stdout: 0, or -1 after remembering why (the first failure's errno, which
 * cli_stdout_errno gives back: main says it once, at the end). */
int cli_flush_stdout(void);
int cli_stdout_errno(void);

int cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* "truce CMD: message" on one line of stderr (newlines in the message become
 * spaces); returns EXIT_INPUT. */
int cli_fail(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Value of option `name` given as "--name value" or "--name=value" at
 * argv[*i] (advancing *i past a separate value); "" when the value is
 * missing; NULL when argv[*i] is another option. */
const char *cli_option_value(int argc, char **argv, int *i, const char *name);

/* Strict number parsing: the whole string must be a number. 0 or -1. */
int cli_parse_double(const char *s, double *out);
int cli_parse_u64(const char *s, uint64_t *out);

/* --clock genius|turn and --ties index|genius: the truce_clock / truce_ties
 * value, or -1 for another word. */
int cli_parse_clock(const char *s);
int cli_parse_ties(const char *s);

/* The limits set with --limit NAME=N (TRUCE_LIMITS_INIT otherwise). */
const truce_limits *cli_limits(void);

/* --coalitions as-one|split (truce_coalition_mode; as-one when not given). */
int cli_coalitions(void);
/* --legacy was given: read the legacy GENIUS formats (truce_load_options.legacy). */
int cli_legacy(void);

/* Take every "--limit NAME=N" and "--legacy" out of the command's arguments
 * (any command accepts them), setting cli_limits() and cli_legacy(); returns
 * the arguments left, or -1 after printing a usage error. */
int cli_take_limits(const char *cmd, int argc, char **argv);

/* cli_fail with a library error; a limit exceeded says how to raise it. */
int cli_fail_error(const char *cmd, const truce_error *err);

/* Load a scenario given as FOLDER or DOMAIN.xml PROFILE.xml... under
 * cli_limits(). Returns 0, or the exit status after printing the error. */
int cli_load_scenario(const char *cmd, truce_scenario **out, char **paths, int n_paths,
                      const truce_load_options *opts);

/* {issue name: option} with integers as JSON integers, reals as numbers and
 * discrete options as strings. NULL on allocation failure. */
json_t *cli_outcome_json(const truce_scenario *s, const uint32_t *outcome);

/* "issue=option, issue=option" into buf. */
void cli_outcome_text(const truce_scenario *s, const uint32_t *outcome, char *buf, size_t size);

/* A decimal count as a JSON integer when it fits in a signed 64-bit integer
 * (at most 2^63 - 1), else as a decimal string. */
json_t *cli_count_json(const char *decimal);

/* Print a JSON value on stdout with full double precision; 0 or EXIT_INPUT. */
int cli_print_json(json_t *value);

/* The comma ending the agent spec that starts at `spec` in a comma-separated list, or NULL
 * for the last one. A comma followed by "key=" (before any ':'; agent names hold no '=')
 * continues the spec, as in boa:bid=timedep:e=0.2,model=frequency,accept=next. */
char *cli_agent_end(char *spec);

/* The "flips" of a margin report (docs/robustness.md#margins), at most max,
 * one a line after indent. */
void cli_print_flips(json_t *margin, const char *indent, size_t max);
/* Print the "decision" section of check, analyze (truce_decision's JSON); nothing for NULL. */
void cli_print_decision(json_t *decision);
/* A coalitions section (truce_coalitions; docs/check.md#coalitions) as text. */
void cli_print_coalitions(json_t *coalitions);
/* For each row of rows (parties) holding a margin report under key: the
 * party, its margin and the smallest change that flips it, one a line. */
void cli_print_party_flips(json_t *rows, const char *key);

#endif
