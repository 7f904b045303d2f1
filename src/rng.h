/* rng: counter-based random numbers.
 *
 * Every random choice in smpsim is a pure function of (seed, stream, index),
 * never of the order in which work is done.  That is what makes a layout
 * byte-identical across runs, thread counts and shards: no generator state
 * is threaded through the pipeline.  The mixer is SplitMix64's finaliser
 * (Steele, Lea, Flood 2014), which passes BigCrush when used as a hash of a
 * counter. */
#ifndef SMP_RNG_H
#define SMP_RNG_H

#include <stdint.h>

/* Streams keep unrelated uses of one seed independent. */
enum rng_stream {
    RNG_TILE = 1,      /* point-set transform and offset */
    RNG_DOT = 2,       /* per-dot size and darkness variation */
    RNG_HAIRLINE = 3,  /* waviness phases, asymmetry */
    RNG_NOISE = 4,     /* micro-irregularity lattice */
    RNG_CLUSTER = 5,   /* follicular-unit sizes and spread */
    RNG_GENERATOR = 6  /* build-time point-set generator */
};

static inline uint64_t rng_mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A 64-bit hash of seed, stream and two counters. */
static inline uint64_t rng_hash(uint64_t seed, unsigned stream, uint64_t a, uint64_t b)
{
    return rng_mix(rng_mix(rng_mix(seed ^ ((uint64_t)stream << 56)) ^ a) ^ b);
}

/* Uniform in [0, 1) with 53 bits. */
static inline double rng_unit(uint64_t h)
{
    return (double)(h >> 11) * (1.0 / 9007199254740992.0);
}

#endif
