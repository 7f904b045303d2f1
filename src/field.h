/* field: target density (dots/mm^2), and the transition position that sets
 * dot size and darkness, as functions of position in mm.
 *
 *   density = base (constant or left-to-right ramp)
 *           x density map (grey level)          when given
 *           x hairline profile (see below)      when there is a hairline
 *           x 0 outside the treatment area
 *           x the soft edge: on a photo, rising from 0 at the area's edge
 *             to 1 at edge-mm inside it, along an edge that wanders by a
 *             third of that (the photo's own border is no edge); where
 *             the photo beside the edge is darker than the area's skin
 *             (the client's hair or stubble: the blend is theirs), over
 *             EDGE_HAIR_MM only
 *
 * Hairline profile along the signed distance d from the line (d > 0 behind
 * it, away from the face), taken from the transition zone's front, LEAD
 * ahead of the line (e = d + lead), so that the ramp straddles the line
 * and the visible edge (half the darkening) sits where it was drawn: 0 for
 * e <= -sentinel; the sentinel share in -sentinel < e < 0; from 15 %
 * rising to full over the transition zone 0 <= e < T (transition_profile);
 * full beyond.  In the sentinel band and the
 * transition zone a 2D value noise (2.5 mm features) makes denser and
 * sparser spots, fading out as the zone reaches full density. */
#ifndef SMP_FIELD_H
#define SMP_FIELD_H
#include "area.h"
#include "hairline.h"
#include "regions.h"

typedef struct field {
    const area *area;
    double w, h;
    double d1, d2;         /* dots/mm^2 at the left and right edges */
    grey_image map;        /* density map, owned; px == NULL when none */
    /* hairline: signed distance at grid nodes (x0 + i g, y0 + j g) */
    float *sd;
    int gw, gh;
    double g, x0, y0, band;
    double transition, sentinel, share, irregularity;
    double lead;           /* how far ahead of the line the transition zone starts, mm */
    uint64_t seed;
    const regions *regions; /* scars, patches, thinning; may be NULL */
    double lambda_max;     /* an upper bound of the density, dots/mm^2 */
    /* The area's soft edge on a photo: distance inside the area to its
     * edge, mm, at nodes (i + 0.5) eg, (j + 0.5) eg; NULL when none; and
     * the width of the ramp there, narrower where the edge borders hair. */
    float *edge, *edge_width;
    int ew, eh;
    double eg, edge_mm;
} field;

smp_status field_build(const settings *s, const area *a, const hairline *hl, const regions *r, field *f,
                       smp_error *err) SMP_MUST_CHECK;
void field_free(field *f);
/* field_build, with the area's soft edge copied from EDGE_FROM (when it
 * has one) instead of built: the edge depends on the area, its width and
 * the photo beside it only, which a caller drawing many lines on one area
 * (the studio) keeps; and the copy of F's edge it keeps, into KEEP
 * (freed first). */
smp_status field_build_edge_from(const settings *s, const area *a, const hairline *hl, const regions *r,
                                 const field *edge_from, field *f, smp_error *err) SMP_MUST_CHECK;
smp_status field_keep_edge(const field *f, field *keep, smp_error *err) SMP_MUST_CHECK;

/* Density in dots/mm^2 at P; *T (when non-NULL) receives the position in
 * the transition zone: 0 at or ahead of the line, 1 at full density, and
 * *KIND the dot kind a dot there has. */
double field_density(const field *f, vec2 p, double *t, smp_dot_kind *kind);
/* The same with the hairline moved SHIFT mm away from the face (the
 * first session's raised line). */
double field_density_shifted(const field *f, vec2 p, double shift, double *t, smp_dot_kind *kind);
/* The darkness factor of the regions at P (1 outside scars, lighter in
 * thinning mode). */
double field_darkness(const field *f, vec2 p);
/* Signed distance from the hairline in mm (positive behind it); +inf
 * without a hairline.  Accurate within the band around the line, clamped
 * beyond it. */
double field_signed_distance(const field *f, vec2 p);
/* Integral of the density over the frame by the midpoint rule with cells of
 * about STEP mm (coarsened to at most MAX_CELLS cells). */
double transition_profile(double t);
double field_integrate(const field *f, double step, double max_cells);

#endif
