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
/* Uniform integer in [0, n), n > 0, without modulo bias; 0 when n is 0. */
uint64_t rng_below(rng *r, uint64_t n);
/* Uniform integer in [0, span], any span up to UINT64_MAX (a range's width computed unsigned,
 * hi - lo, as Lua does). */
uint64_t rng_upto(rng *r, uint64_t span);

#endif
