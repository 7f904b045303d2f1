/* render: draws the dots on the photo with the pigment model.
 *
 * Ink darkens skin multiplicatively: each dot multiplies the light that
 * reaches a covered pixel by (1 - coverage * strength * weight[channel]),
 * so skin keeps its texture and tone under the dots.  Coverage is a
 * soft-edged disk renormalised to sum to the dot's exact area in pixels:
 * whatever the resolution, a dot removes the same amount of light, and a
 * 0.25 mm dot on a 3 px/mm photo becomes a faint smudge of the right weight
 * rather than a black pixel or nothing.  Pixels no dot reaches are left
 * byte-identical.  Dots come with their final diameter and darkness
 * (pigment_apply); blown-out ones get a soft edge and the cooler weights. */
#ifndef SMP_RENDER_H
#define SMP_RENDER_H
#include "image.h"
#include "pigment.h"
#include "sampler.h"

/* Draws DOTS (positions in mm) on P at PX_PER_MM, a dot at (x, y) mm
 * landing on pixel (x px_per_mm - OX, y px_per_mm - OY): P may be a view
 * of one panel of a larger frame, and nothing outside it is touched.  When ALPHA is non-NULL
 * (w*h bytes) it receives the ink coverage instead of darkening P (for the
 * overlay). */
smp_status render_dots(photo *p, const smp_dot *dots, size_t n, double px_per_mm, double ox, double oy, const pigment *pg,
                       uint8_t *alpha, smp_error *err) SMP_MUST_CHECK;

#endif
