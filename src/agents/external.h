/* external.h: what agents written outside truce share (Lua scripts, programs
 * over JSON Lines): splitting "HEAD:key=value:..." specs and their parameters. */
#ifndef TRUCE_AGENTS_EXTERNAL_H
#define TRUCE_AGENTS_EXTERNAL_H

#include <stddef.h>

#include "truce.h"

/* Copy the part of `params` before the first ':' (a script path or a
 * command) into head and return the rest ("" when none). NULL when the head
 * is empty or longer than head_size - 1. */
const char *external_head(const char *params, char *head, size_t head_size);

/* One "key=value" of a parameter list. */
typedef struct external_param {
    char key[64];
    char value[256];
} external_param;

/* Read the next item of a ":"-separated list at *cursor into p, advancing
 * the cursor. Returns 1 for an item, 0 at the end, or a negative code with
 * err filled (naming `agent`) for an item that is not key=value. */
int external_next_param(const char **cursor, external_param *p, const char *agent,
                        truce_error *err);

/* A number, optionally with a size suffix K, M or G (powers of 1024) when
 * `sizes` is set. 0 or -1. */
int external_number(const char *text, int sizes, double *out);

extern const truce_agent_class agent_lua_class;
extern const truce_agent_class agent_proc_class;
/* replay:PATH[:actor=A][:accept=never|trace][:then=hold|end] (replay.c) */
extern const truce_agent_class agent_replay_class;

#endif
