/* limits.h: the limits a loader applies (truce_limits and the load options resolved into one
 * record), and the one message format for a limit exceeded. */
#ifndef TRUCE_CORE_LIMITS_H
#define TRUCE_CORE_LIMITS_H

#include "error.h"
#include "truce.h"

typedef struct load_limits {
    truce_limits l;           /* max_options already the smaller of the two option limits */
    uint32_t real_steps;      /* the load options' discretisation, carried along */
    int legacy;               /* the load options' legacy flag, carried along */
    const char *options_name; /* the knob that bounds options: "max_options" or
                                 "max_issue_values" */
} load_limits;

/* A truce_limits of any version (1 to TRUCE_LIMITS_VERSION) whose limits are all at least 1:
 * 0, or TRUCE_EINVAL naming the field. */
int limits_check(const truce_limits *l, truce_error *err);
/* The current struct from one of any version: fields it lacks get their defaults. */
void limits_upgrade(truce_limits *out, const truce_limits *in);

/* Check the load options (versions 1 and 2) and their limits, and resolve
 * them into *out. opts may be NULL (defaults). */
int load_limits_resolve(load_limits *out, const truce_load_options *opts, truce_error *err);

/* TRUCE_ELIMIT: "file:line: WHAT, more than the limit NAME = LIMIT", NAME in err->field. */
int limit_exceeded(truce_error *err, const char *file, int line, const char *name,
                   unsigned long long limit, const char *fmt, ...) TRUCE_PRINTF(6, 7);

/* max_file_bytes: TRUCE_ELIMIT when the file at path is larger (a file that
 * cannot be examined passes: opening it reports the problem). */
int limit_file_size(const char *path, const load_limits *lim, truce_error *err);

/* max_options_total over the issues loaded so far. */
struct truce_scenario;
int limit_total_options(const struct truce_scenario *s, const load_limits *lim, const char *path,
                        truce_error *err);

#endif
