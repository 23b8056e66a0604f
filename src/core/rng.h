/* rng.h: the seeded random generator every random choice goes through
 * (xoshiro256** seeded by splitmix64); one per negotiation or search. */
#ifndef TRUCE_CORE_RNG_H
#define TRUCE_CORE_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
/* Uniform in [0, 1). */
double rng_uniform(rng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t rng_below(rng *r, uint64_t n);

#endif
