/* area: the treatment area in mm on the scalp plane: a rectangle, a polygon
 * or a mask image (white = treat) at a known scale, less an optional
 * exclusion mask (white = never treat: ears, dense hair) and any exclusion
 * polygons.  The frame is the rectangle from the origin that holds it;
 * dots never leave the area. */
#ifndef SMP_AREA_H
#define SMP_AREA_H
#include "geom.h"
#include "image.h"
#include "plan.h"

typedef struct area {
    double w, h;          /* frame, mm */
    const vec2 *poly;     /* borrowed from the settings, or NULL */
    size_t poly_n;
    grey_image mask;      /* owned; px == NULL when none */
    double scale;         /* mask px per mm */
    grey_image exclude;   /* owned; white = never treat; px == NULL when none */
    /* --exclude-polygon: EXCL_COUNT polygons, EXCL_N[i] corners each, one
     * after another in EXCL (borrowed from the settings), and each one's
     * bounding box (x0, y0, x1, y1; owned). */
    const vec2 *excl;
    const size_t *excl_n;
    size_t excl_count;
    double *excl_box;
    double area_mm2;      /* treated area */
    /* On a photo: where it is no bare skin like the area's: darker (hair,
     * stubble, shadow) or another colour altogether (the room past the
     * head's outline, clothes), at SCALE px/mm; 255 = not bare.  px ==
     * NULL when unknown.  The soft edge is narrow there: the client's own
     * hair is the blend, and the dots run on to the head's outline
     * (field.c). */
    grey_image not_bare;
    double not_bare_scale;  /* its px per mm (also FILL's) */
    /* --match auto: the share of the dots still missing at each photo
     * pixel (1 on bare skin, less where the client's own stubble already
     * darkens it), the photo's size; NULL when none. */
    float *fill;
    int fill_w, fill_h;
    /* --match auto: each dot's darkness there as a share of the match's
     * (less beside lighter or sparser stubble), FILL's size; NULL when
     * none. */
    float *tone;
} area;

smp_status area_build(const settings *s, area *a, smp_error *err) SMP_MUST_CHECK;
/* The same with the area given as a mask at S's scale; takes MASK over. */
smp_status area_build_mask(const settings *s, grey_image *mask, area *a, smp_error *err) SMP_MUST_CHECK;
void area_free(area *a);
int area_contains(const area *a, vec2 p);
/* The treated area's bounding box in mm, within the frame. */
void area_bounds(const area *a, double *x0, double *y0, double *x1, double *y1);

#endif
