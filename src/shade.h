/* shade: measures the skin in the treatment area and the existing hair in
 * CIELAB, and suggests a pigment dilution.
 *
 * Skin: the median colour of the lighter 60 % of the treatment area's
 * pixels (the darker ones are hair, pores and shadow).  Hair: the median
 * of the darkest 12 % of pixels in and around the area (its bounding box
 * grown by a quarter): the fringe or any hair near the scalp, not a
 * background far away.
 *
 * The suggestion: no source maps skin types to dilutions (docs/domain.md), so
 * this is a starting point the practitioner tests on the skin.  It keeps
 * the ink near-black for dark skin and dark hair, and adds water as the
 * skin gets lighter (fair skin risks a bluish cast when too dark), less
 * for dark hair, which shaved reads darker:
 * W = 16 (L_skin - 40) / 45 x (0.6 + 0.4 h), h = (L_hair - 15) / 45 in
 * 0..1, from 0 to 20, in halves.  It never decreases as the skin gets
 * lighter. */
#ifndef SMP_SHADE_H
#define SMP_SHADE_H
#include "area.h"
#include "image.h"

typedef smp_shade shade;

/* Measures P: the skin where MASK (w*h bytes) is 1, the hair where it is 2
 * (a patch's surroundings) or, with none of those, in and around the skin;
 * MASK NULL = the whole photo.  SMP_EINPUT when too few skin pixels give
 * an answer. */
smp_status shade_measure(const photo *p, const uint8_t *mask, const char *what, shade *out,
                         smp_error *err) SMP_MUST_CHECK;
/* Measures the photo inside an area given in mm at SCALE px/mm. */
smp_status shade_measure_area(const photo *p, const area *a, double scale, const char *what, shade *out,
                              smp_error *err) SMP_MUST_CHECK;
/* The suggestion for a skin and hair lightness (L*), exposed for tests. */
double shade_dilution(double skin_l, double hair_l);

#endif
