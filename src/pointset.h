/* pointset: the progressive blue-noise point set, generated at build time by
 * tools/mkpointset.c (see there for the method).  Points lie on the unit
 * torus as 16-bit fixed point (x = pointset_xy[2i] / 65536), in rank order:
 * every prefix is an even blue-noise set. */
#ifndef SMP_POINTSET_H
#define SMP_POINTSET_H
#include <stdint.h>

extern const unsigned pointset_n;
extern const uint16_t pointset_xy[];

#endif
