/* sampler: variable-density blue noise by thinning a ranked point set.
 *
 * The build-time point set (pointset.h) is laid over the plane as one large
 * seamless tile, turned by one of its 8 symmetries and shifted by an offset,
 * both chosen by the seed.  Its density is set to the field's upper bound
 * lambda_max; a point of rank i (of N) is kept where (i + 0.5) / N is below
 * lambda(p) / lambda_max.  Because every prefix of the ranking is itself an
 * even blue-noise set, the kept points are blue noise at the local density,
 * at the cost of one density lookup and one comparison per point.
 *
 * The tile holds 131072 points: at 100 dots/cm^2 it repeats every 362 mm,
 * more than a scalp is wide, so no repetition shows on a head.
 *
 * Follicular-unit clustering thins at the unit density lambda / mu, mu the
 * mean unit size (1 at the line, 1.92 at full density: 28 % singles, 53 %
 * pairs, 18 % triples, 1 % quads, docs/domain.md), and places each unit's dots
 * within 0.3 mm of its centre. */
#ifndef SMP_SAMPLER_H
#define SMP_SAMPLER_H
#include "field.h"

typedef struct dot_list {
    smp_dot *d;
    size_t n, cap;
} dot_list;

void dot_list_free(dot_list *l);

/* Fills OUT with the dots for field F and the dot settings of S; EXPECT
 * (0 when unknown) sizes the list. */
smp_status sampler_fill(const field *f, const settings *s, size_t expect, dot_list *out, smp_error *err) SMP_MUST_CHECK;

/* The tile's period in mm for a density bound in dots/mm^2. */
double sampler_period_mm(double lambda_max);

#endif
