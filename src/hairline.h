/* hairline: the shaped front edge of the treatment.
 *
 * A named shape is a curve in a normalised frame (u from -1 at the left
 * temple to +1 at the right temple), fitted exactly through the three
 * anchors; a free line is taken as given.  Then, in millimetres, macro
 * waviness, micro irregularity and left/right asymmetry move it along its
 * normal.  Recession always bends away from the face, whatever the view:
 * in a top view the front midpoint lies toward the face from the temple
 * line, in an upright frontal view away from it, and the fit keeps that
 * sign while the recession terms are added on the away side. */
#ifndef SMP_HAIRLINE_H
#define SMP_HAIRLINE_H
#include <stddef.h>

#include "geom.h"
#include "plan.h"

typedef struct hairline {
    vec2 *pts;      /* the final line, left to right, about 0.5 mm apart */
    size_t n;
    vec2 face;      /* unit vector toward the face */
    vec2 across;    /* unit vector from the left temple to the right */
    vec2 anchors[3];/* the anchors the line was fitted to (default ones if none given) */
} hairline;

/* Builds the line for S in a frame of W x H mm.  On success OUT owns its
 * points (hairline_free). */
/* How far outside the frame a hairline point or anchor may lie, in mm. */
#define HAIRLINE_REACH_MM 500.0

smp_status hairline_build(const settings *s, double w, double h, hairline *out, smp_error *err) SMP_MUST_CHECK;
void hairline_free(hairline *hl);

/* The signed distance to the line at the nodes of a grid (X0 + i G,
 * Y0 + j G) of GW x GH, into SD: positive behind the line, negative on
 * the face's side, its size capped at BAND.  Beyond its ends the line
 * runs on across the frame, outward; in a side view (the face left or
 * right) its lower end runs straight back from the temple instead, so
 * that the sideburn, ear, cheek and neck below are on the face's side.
 * ENDS 0 measures the distance to the drawn line alone (the sign still
 * counts the ends). */
smp_status hairline_distance_grid(const hairline *hl, double x0, double y0, double g, int gw, int gh, double band,
                                  int ends, float *sd, smp_error *err) SMP_MUST_CHECK;

/* Shape offset functions in the normalised frame, exposed for tests:
 * the bulge b(u) (1 at u = 0, 0 at u = +-1) and the recession r(u) in mm
 * for a temple half-width of HALF_W mm (0 at u = 0 and u = +-1, >= 0). */
double hairline_bulge(hairline_shape shape, double u);
double hairline_recession(hairline_shape shape, double u, double half_w);

vec2 face_vector(face_dir f);

#endif
