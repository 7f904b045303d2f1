/* ears: finds the ears in a photo where they are plainly in view, so that
 * no dot lands on one (the scene keeps them out of the area, as it keeps
 * the face) and the guides picture can show them.
 *
 * dlib's landmarks stop at the jaw, so ears are found by their colour and
 * shape.  An ear is skin flushed redder than the head beside it: CIELAB
 * a* over the skin's, in a skin hue, and of an ear's size and shape.
 * Pixels of a skin hue (EAR_HUE_MIN to EAR_HUE_MAX degrees, chroma
 * EAR_CHROMA_MIN to EAR_CHROMA_MAX, a* EAR_A_MIN or more), smoothed over
 * EAR_SMOOTH_MM, are candidates where their a* exceeds the mean a* of the
 * head's pixels within EAR_REACH_MM by EAR_GROW or more; the connected
 * pieces holding a pixel EAR_SEED over it are the blobs.  A blob is an
 * ear when
 *   - it is EAR_H_MIN to EAR_H_MAX mm tall, EAR_W_MIN to EAR_W_MAX mm wide,
 *     and at least EAR_UPRIGHT times as tall as wide (an ear stands up; a
 *     cheek, a lit forehead or a cloth on a chair does not),
 *   - it covers EAR_AREA_MIN mm^2 or more and does not touch the photo's
 *     border (a wall or a shirt runs on out of the frame),
 *   - the head lies beside it: of the pixels EAR_RING_IN to EAR_RING_OUT mm
 *     around it, EAR_BESIDE or more are of the head's colour and paler in
 *     a* by 5 or more, and the blob's mean a* is EAR_CONTRAST or more over
 *     the median of the head's pixels there (a flushed temple fades into
 *     the forehead; an ear stands out of it).
 * Every threshold errs toward finding nothing: a missed ear is still
 * bounded by the scalp's own edge, a false one only keeps dots off skin.
 * Measured on the real back and side views (three photos, five ears at
 * about 3 px/mm) and on the top, frontal and bowed views (none found). */
#ifndef SMP_EARS_H
#define SMP_EARS_H
#include <stddef.h>

#include "geom.h"
#include "image.h"

#define EAR_SMOOTH_MM 1.5
#define EAR_REACH_MM 25.0
#define EAR_HUE_MIN 5.0
#define EAR_HUE_MAX 60.0
#define EAR_CHROMA_MIN 10.0
#define EAR_CHROMA_MAX 40.0
#define EAR_A_MIN 10.0
#define EAR_GROW 3.0
#define EAR_SEED 6.0
#define EAR_H_MIN 35.0
#define EAR_H_MAX 80.0
#define EAR_W_MIN 12.0
#define EAR_W_MAX 55.0
#define EAR_UPRIGHT 1.3
#define EAR_AREA_MIN 250.0
#define EAR_RING_IN 2.0
#define EAR_RING_OUT 10.0
#define EAR_BESIDE 0.15
#define EAR_CONTRAST 7.0
/* Kept out around an ear found, for the soft edge of its blob. */
#define EAR_MARGIN_MM 2.0
/* At most this many ears (the largest), one each side of a back view. */
#define EAR_MAX 2

typedef struct ears_found {
    int n;
    double box[EAR_MAX][4];   /* x0, y0, x1, y1 in photo px, left to right */
    vec2 *outline[EAR_MAX];   /* each ear with its margin, clockwise, photo px (owned) */
    size_t outline_n[EAR_MAX];
    int w, h;                 /* the photo's size */
    uint8_t *mask;            /* w*h, 255 on an ear or its margin; NULL when none found */
} ears_found;

/* Looks for ears in P at SCALE px/mm (worked on a copy reduced to about
 * 3 px/mm); OUT->n = 0 when none is plainly in view.  Free with
 * ears_free. */
smp_status ears_find(const photo *p, double scale, ears_found *out, smp_error *err) SMP_MUST_CHECK;
void ears_free(ears_found *e);

#endif
