/* render: draws the dots on the photo with the pigment model.
 *
 * Each deposit darkens the skin in two parts (pigment.h): a small core the
 * size of the deposit, drawn per dot, and a soft halo several times wider,
 * which carries most of the darkening.  The halos of all the dots are
 * accumulated on a coarse grid (about 0.25 mm cells), blurred once per
 * channel, and applied to the photo as a transmission: neighbouring halos
 * merge into the even grey shadow of a shaved head, and the cores give its
 * grain.  Light is taken away multiplicatively, so skin keeps its texture
 * and tone under the pigment; specular shine (near-white, unsaturated
 * pixels: light reflected at the surface, above the ink) is kept.  Both
 * parts conserve the deposit's effect at any resolution, and pixels no
 * halo reaches are left byte-identical.  Dots come with their final
 * diameter, ink and depth (pigment_apply); on a soft photo both parts are
 * blurred as much as its own detail (pigment.soft_mm). */
#ifndef SMP_RENDER_H
#define SMP_RENDER_H
#include "image.h"
#include "pigment.h"
#include "sampler.h"

/* Draws DOTS (positions in mm) on P at PX_PER_MM, a dot at (x, y) mm
 * landing on pixel (x px_per_mm - OX, y px_per_mm - OY): P may be a view
 * of one panel of a larger frame, and nothing outside it is touched. */
smp_status render_dots(photo *p, const smp_dot *dots, size_t n, double px_per_mm, double ox, double oy, const pigment *pg,
                       smp_error *err) SMP_MUST_CHECK;

/* How much of the pigment a pixel of this colour shows, 0..1: 0 on a
 * specular highlight (near-white and unsaturated), 1 on skin. */
double render_pigment_share(uint32_t rgb);

#endif
