#include "noise.h"

#include <math.h>

#include "rng.h"

static double lattice(uint64_t seed, unsigned stream, int64_t i, int64_t j)
{
    return 2.0 * rng_unit(rng_hash(seed, stream, (uint64_t)i, (uint64_t)j)) - 1.0;
}

static double smooth(double t) { return t * t * (3 - 2 * t); }

double noise1(uint64_t seed, unsigned stream, double x)
{
    double fx = floor(x), t = smooth(x - fx);
    int64_t i = (int64_t)fx;
    double a = lattice(seed, stream, i, 0), b = lattice(seed, stream, i + 1, 0);
    return a + (b - a) * t;
}

double noise2(uint64_t seed, unsigned stream, double x, double y)
{
    double fx = floor(x), fy = floor(y), tx = smooth(x - fx), ty = smooth(y - fy);
    int64_t i = (int64_t)fx, j = (int64_t)fy;
    double a = lattice(seed, stream, i, j), b = lattice(seed, stream, i + 1, j);
    double c = lattice(seed, stream, i, j + 1), d = lattice(seed, stream, i + 1, j + 1);
    double top = a + (b - a) * tx, bot = c + (d - c) * tx;
    return top + (bot - top) * ty;
}
