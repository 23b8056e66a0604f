/* rng.h: the seeded random generator every random choice goes through
 * (xoshiro256** seeded by splitmix64); one per negotiation or search. */
#ifndef TRUCE_CORE_RNG_H
#define TRUCE_CORE_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

void rng_seed(rng *r, uint64_t seed);

/* The next 64 bits of the stream (xoshiro256**, see rng.c). Inline: agents drawing many
 * random bids a turn call it thousands of times a negotiation, and the call cost about as
 * much as the step itself. */
static inline uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t m = s[1] * 5;
    uint64_t result = ((m << 7) | (m >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform in [0, 1): the top 53 bits. */
static inline double rng_uniform(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0, without modulo bias; 0 when n is 0. */
uint64_t rng_below(rng *r, uint64_t n);
/* Uniform integer in [0, span], any span up to UINT64_MAX (a range's width computed unsigned,
 * hi - lo, as Lua does). */
uint64_t rng_upto(rng *r, uint64_t span);

#endif
