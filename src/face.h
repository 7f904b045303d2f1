/* face: finds an upright face in the photo and its landmarks, to confirm
 * that a photo shows a face (--area auto refuses it without a hairline),
 * to suggest the hairline's anchors (--anchors auto) and to estimate the
 * scale from the eyes.  dlib's HOG face detector and its 68-point shape
 * predictor (Debian's libdlib-data) do the finding; face.cpp is the only
 * C++ in smpsim, behind this C interface.
 *
 * The detector finds upright faces seen from the front: not bowed,
 * turned or top views, where it mostly finds nothing (and now and then a
 * false face on the back of a head at low score, below FACE_MIN_SCORE).
 * So a face found confirms; no face found proves nothing. */
#ifndef SMP_FACE_H
#define SMP_FACE_H
#include "image.h"

/* The detector's score (a margin: 0 is its own threshold) below which a
 * face is not taken.  On the real photos of back and top views the false
 * faces scored under 0 even when rotated and enlarged; clear frontal faces
 * score 1 and more. */
#define FACE_MIN_SCORE 0.3

/* The iBUG 68-point scheme: jaw 0-16, brows 17-26, nose 27-35, eyes
 * 36-47 (36 and 45 the outer corners), mouth 48-67. */
enum { FACE_POINTS = 68 };

typedef struct face_found {
    int found;                    /* 1 when a face scored FACE_MIN_SCORE or more */
    double score;                 /* the best face's score */
    double box[4];                /* its box: x0, y0, x1, y1 in photo px */
    int has_points;               /* the landmarks below were found */
    double pt[FACE_POINTS][2];    /* x, y in photo px */
} face_found;

/* Looks for the largest upright face in P (shrunk to at most 1000 px on
 * its long side first).  With POINTS, also its landmarks, from the model
 * at $SMPSIM_FACE_MODEL or Debian's path; a missing or unreadable model is
 * an error naming it.  OUT->found = 0 when there is none.  WHAT names the
 * photo in messages. */
smp_status face_find(const photo *p, int points, const char *what, face_found *out, smp_error *err) SMP_MUST_CHECK;
/* Decodes the detector now (about 0.2 s, once per process), so that the
 * processes a batch forks share it rather than each decoding its own. */
void face_prepare(void);

/* The outline the scene keeps out and the guides draw, in photo px: the
 * jaw, then the brows back (27 points), or without the landmarks the
 * box's corners; how many. */
static inline int face_outline(const face_found *f, double out[27][2])
{
    int n = 0;
    if (f->has_points) {
        for (int i = 0; i <= 16; i++, n++) out[n][0] = f->pt[i][0], out[n][1] = f->pt[i][1];
        for (int i = 26; i >= 17; i--, n++) out[n][0] = f->pt[i][0], out[n][1] = f->pt[i][1];
    } else {
        for (int k = 0; k < 4; k++, n++) out[n][0] = f->box[k == 1 || k == 2 ? 2 : 0], out[n][1] = f->box[k < 2 ? 1 : 3];
    }
    return n;
}

/* The model's path, for messages and --version. */
const char *face_model_path(void);

#endif
