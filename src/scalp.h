/* scalp: finds the bald or thinning scalp in a photo (--area auto).
 *
 * The skin's colour is taken from the middle of the photo, where a scalp
 * photo centres the scalp.  A pixel is a candidate when its hue and chroma
 * (CIELAB a*, b*) are near the skin's, its lightness within reach of the
 * skin's (a lighting gradient is allowed), and its neighbourhood smooth
 * (hair is textured).  The candidates are smoothed over a millimetre and a
 * half, the connected region through the middle is kept and its holes
 * filled.  Confidence is how cleanly the region separates from the rest;
 * a photo that gives no usable answer (a blank or all-grey image, a region
 * covering nearly all or almost none of it) is refused rather than
 * guessed. */
#ifndef SMP_SCALP_H
#define SMP_SCALP_H
#include "image.h"

/* OUT (w*h, 255 = scalp) is the caller's to free. */
smp_status scalp_detect(const photo *p, double scale, const char *what, uint8_t **out, double *confidence,
                        smp_error *err) SMP_MUST_CHECK;

#endif
