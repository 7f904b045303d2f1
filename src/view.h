/* view: what the writers (render's compose, print, layout's files) may see
 * of a pipeline's result: a small read-only view built once (output.c),
 * not the whole smp_layout with its scene and fields. */
#ifndef SMP_VIEW_H
#define SMP_VIEW_H
#include <stddef.h>
#include <stdint.h>

#include "area.h"
#include "ears.h"
#include "face.h"
#include "hairline.h"
#include "image.h"
#include "plan.h"

typedef struct result_view {
    const photo *photo;        /* the client's photo; its px is NULL without one */
    const photo *after_photo;  /* what an after panel starts from: with --shave, the hair cut */
    double scale;              /* photo px per mm */
    const area *area;          /* the treatment area in mm; area->w, area->h is the frame */
    const hairline *line;      /* NULL without a hairline */
    const face_found *face;    /* the face the scene found and kept out, or NULL */
    const ears_found *ears;    /* the ears it found and kept out, or NULL */
    const smp_dot *dots;       /* every session's impressions, healed */
    size_t n_dots;
    const smp_dot *shown;      /* the state the plan shows (--show) */
    size_t n_shown;
    const smp_dot *stubble;    /* --shave: stubble drawn on the cut hair */
    size_t n_stubble;
    /* Photo px the after keeps as they were, or NULL: in thinning mode the
     * hair over the dots; for a drawn area, the room past the head's
     * outline (no halo spills ink onto the wall). */
    const uint8_t *hair;
    int hair_w, hair_h;
    const settings *mm;        /* the plan's settings in mm, as the dots were made */
    const smp_layout_stats *stats;
} result_view;

/* V for L (V points into L: valid while L is). */
void result_view_of(const smp_layout *L, result_view *v);

#endif
