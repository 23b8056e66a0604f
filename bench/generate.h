/* generate.h: a generator of multi-party mediation scenarios with roles,
 * channels, hard conditions and a non-empty zone of agreement (bench_mediate). */
#ifndef TRUCE_BENCH_GENERATE_H
#define TRUCE_BENCH_GENERATE_H

#include <stddef.h>
#include <stdint.h>

/* The size of a generated scenario. */
typedef struct gen_size {
    int principals; /* 2 or more */
    int issues;
    int options; /* per issue */
    int stakeholders;
} gen_size;

/* Write a native scenario (YAML) for `size` and `seed` to buf (size bytes):
 * principals with random linear additive preferences (weights summing to 1,
 * option values from 0 to 1 in a random order per issue), each with a hard
 * condition on one or two issues with probability 0.6 (each allowing at
 * least half of the options); a mediator with its own preferences and a
 * channel to every principal; stakeholders each influencing one principal
 * with a channel to it; a direct channel between two principals with
 * probability 0.75 (so some have no direct line). Reservation values are set
 * below the utilities of one outcome (drawn until it gives every principal
 * at least 0.2) that respects every hard condition, by margins drawn from
 * [0.02, 0.15]: the zone of agreement is not empty (bench_mediate checks it
 * by brute force).
 * Returns the length written, or 0 when buf is too small. */
size_t gen_scenario(char *buf, size_t size, gen_size g, uint64_t seed);

#endif
