/* noise: smooth value noise, the irregularity of hairlines and of soft
 * area edges (hairline, field, regions): the same seed gives the same
 * wander. */
#ifndef SMP_NOISE_H
#define SMP_NOISE_H
#include <stdint.h>

/* 1D value noise in [-1, 1], smooth, unit feature size. */
double noise1(uint64_t seed, unsigned stream, double x);
/* 2D value noise in [-1, 1], smooth, unit feature size. */
double noise2(uint64_t seed, unsigned stream, double x, double y);

#endif
