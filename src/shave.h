/* shave: --shave, the whole look for crown and full-head work.  Where the
 * client will keep the head buzzed, the after shows the longer hair in the
 * treatment area cut to stubble: one even shaved head.  The area says what
 * is to be shown buzzed (for full-head work, the whole scalp).
 *
 * - The skin: the area's smooth pixels (dense hair is smooth too at a
 *   photo's scale: of them, those above the lightness that best splits
 *   them in two, when the parts lie 15 L* apart), their lighter part.
 * - The hair: pixels in the area or within SHAVE_MM of it (strands
 *   crossing its edge), darker than halfway from the skin to the hair, or
 *   textured and not of the skin's hue and lightness (grey and white
 *   strands), closed over a millimetre so the skin between strands goes
 *   with them, and connected to the area.  Hair within 2 mm of a
 *   background (neither hair nor skin-coloured) is the head's outline and
 *   stays.
 * - Under it: the client's skin colour (measured in the area), lit as the
 *   skin around it is: the light of the known skin (smooth skin-coloured
 *   pixels in the area and beside it) fitted to the head's shading (a
 *   quadratic across the photo and a dome's falloff toward its outline),
 *   and what that leaves filled in over the hair by push-pull, the known
 *   pixels averaged down a pyramid until every hole is covered and
 *   interpolated back up.  Where skin shows over less than a quarter of
 *   the head near the area (long dense hair), what lies under the hair is
 *   not known: the hair is kept and the user told.
 * - On it: stubble.  Where the impressions lie (the area at full density)
 *   they are the stubble; elsewhere (just outside the area, ahead of a
 *   hairline) dots of the plan's kind (the dots --match auto chose to
 *   read like the client's stubble), so that it all reads the same.  They are the client's own
 *   hair, not impressions: layout does not write them. */
#ifndef SMP_SHAVE_H
#define SMP_SHAVE_H
#include "area.h"
#include "field.h"
#include "image.h"
#include "plan.h"
#include "sampler.h"

typedef struct shave {
    photo shaved;     /* the photo with the hair cut; px NULL when nothing was cut */
    dot_list stubble; /* the stubble on the shaved skin, healed, in mm */
    double cut_cm2;   /* how much hair was cut */
    uint8_t *cut;     /* the cut, until the stubble is laid; w x h at SCALE */
    int w, h;
    double scale;
    char note[200];   /* why nothing was cut, when --shave could not */
} shave;

/* Cuts the hair in and at the edge of area A of photo P (SCALE px/mm). */
smp_status shave_build(const photo *p, double scale, const area *a, shave *out, smp_error *err) SMP_MUST_CHECK;
/* Lays the stubble on the cut hair where the field F gives under half the
 * full density (outside the area, ahead of a hairline). */
smp_status shave_stubble(shave *sh, const field *f, const settings *s, smp_error *err) SMP_MUST_CHECK;
void shave_free(shave *sh);

#endif
