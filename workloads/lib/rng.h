/* rng.h — the workloads' deterministic random numbers.
 *
 * splitmix64: one 64-bit word of state, good enough statistically for
 * shuffles and page contents, and the same sequence on every machine for
 * the same --seed, which is what lets two guests fill identical pages.
 */
#ifndef OCB_WL_RNG_H
#define OCB_WL_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s;
};

static inline uint64_t rng_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline uint64_t rng_next(struct rng *r)
{
	r->s += UINT64_C(0x9e3779b97f4a7c15);
	return rng_mix(r->s);
}

/* Uniform in [0, n) (n > 0); Lemire's multiply, bias below 2^-32 for the
 * sizes used here. */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* Uniform in [0, 1). */
static inline double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#endif
