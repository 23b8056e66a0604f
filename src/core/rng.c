/* rng.c: xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64,
 * so that equal seeds give equal streams on every machine. */
#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

/* rng_next and rng_uniform are inline in rng.h */

uint64_t rng_below(rng *r, uint64_t n)
{
    if (n == 0)
        return 0; /* an empty range: never a division by zero */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = rng_next(r);
    while (x >= limit);
    return x % n;
}

uint64_t rng_upto(rng *r, uint64_t span)
{
    /* span + 1 would wrap to 0 for the whole 64-bit range: every value is then fair */
    return span == UINT64_MAX ? rng_next(r) : rng_below(r, span + 1);
}
