/* scalp: finds the bald or thinning scalp in a photo (--area auto).
 *
 * The skin's colour: in the middle half of the photo, the smooth pixels of
 * a skin hue, and of those the lighter half (a bald crown need not be in
 * the very middle, and thinning hair darkens the rest); without enough of
 * them, the middle ninth.  A pixel is a candidate when its hue and chroma
 * (CIELAB a*, b*) are near the skin's, its lightness within reach of the
 * skin's (a lighting gradient is allowed), and its neighbourhood smooth
 * (hair is textured) and without stubble's fine grain (measured as at the
 * skin's lightness: detail shows more where more light falls).  From
 * these the region grows over skin lit or shaded more strongly, where
 * lightness, grain and chroma change gradually as light does, but not
 * across the step to hair, stubble or background.  The candidates are
 * smoothed over a millimetre and a half; the largest connected region
 * reaching into the middle half is kept and its holes filled, unless skin
 * runs on from it toward the face (scalp_detect, below), which refuses
 * the photo.  A shine (lighter, paler, same hue) counts as
 * skin, and so does a blown-out one (near-white, unsaturated) that
 * borders the region (scalp_choose, below).  Confidence is how cleanly the region separates from the rest;
 * a photo that gives no usable answer (a blank or all-grey image, a region
 * covering nearly all or almost none of it) is refused rather than
 * guessed. */
#ifndef SMP_SCALP_H
#define SMP_SCALP_H
#include "area.h"
#include "image.h"

/* What the caller knows of the photo. FACE (a face_dir) is the side the
 * face is on, -1 when a hairline bounds the area.  THINNING: hair over
 * the skin is what is to be treated, so stubble's grain does not count as
 * hair.  SEED (photo px), when HAS_SEED: a point just behind the
 * hairline's middle; the region must come within SEED_REACH_MM of it.
 * SIDE (photo px, or NULL) where a hairline is drawn: 2 behind it, 1 on
 * the face's side but within reach of the drawn line's transition zone,
 * 0 beyond: the region is chosen among the candidates behind the line,
 * then takes in those within reach that join it, and nothing beyond.
 * SIDE_KEY tells one SIDE from another (a cache compares it).  LINE_BOX
 * (photo px: x0, y0, x1, y1), with SIDE: the box of the line's own points
 * (the anchors, or a free line's points), not of its run back from the
 * temple in a side view. */
typedef struct scalp_hint {
    int face;
    int thinning;
    int has_seed;
    double seed[2];
    double line_box[4];
    const uint8_t *side;
    uint64_t side_key;
} scalp_hint;

/* OUT (w*h, 255 = scalp) is the caller's to free. CONFIDENCE (0..1)
 * drops when the result is doubtful, and WARNING then says why (empty
 * when there is no doubt).  Skin that runs on into the outer FACE_BAND of
 * the photo on the face's side, or comes within FACE_GAP_MM of the region
 * there, is a forehead, a face or a neck, and the photo is refused
 * (SMP_EINPUT, CONFIDENCE -1).  Stubble is hair: a pixel whose finest
 * detail is over GRAIN_HAIR times bare skin's (as a standard deviation)
 * is not a candidate, except in thinning mode. */
smp_status scalp_detect(const photo *p, double scale, const scalp_hint *hint, const char *what, uint8_t **out,
                        double *confidence, char *warning, size_t warning_size, smp_error *err) SMP_MUST_CHECK;

/* A shine on the head: light reflected off the skin, blown out to
 * near-white in its middle, so neither the skin's colour nor its grain.
 * Its pixels are SHINE_LIGHTER L* or more above the skin's, under
 * SHINE_PALE of its chroma (near-white ones, SHINE_WHITE L* or more,
 * under SHINE_CAST too: the light's own tint) and smooth (L* standard
 * deviation under 4 over half a millimetre); a connected blob of them is
 * a shine when it reaches SHINE_WHITE L* somewhere, does not touch the
 * photo's border (a wall, a window, a shirt runs on out of the frame), is
 * SHINE_MIN_MM2 to SHINE_MAX_MM2 and its edge is soft: the mean L* of its
 * outermost pixels above its least (the skin's + SHINE_LIGHTER) by under
 * SHINE_SOFT of its brightest pixel's (a shine fades into the skin it
 * lights; a white thing lying on the skin stops sharply).  scalp_choose
 * adds a shine to the region when the region holds SHINE_TOUCH or more
 * of the pixels within SHINE_RING_MM around it and it is no larger than
 * the region. */
#define SHINE_LIGHTER 10.0
#define SHINE_PALE 0.5
#define SHINE_WHITE 90.0
#define SHINE_CAST 6.0
#define SHINE_MAX_MM2 2500.0
#define SHINE_MIN_MM2 10.0
#define SHINE_RING_MM 1.5
#define SHINE_TOUCH 0.1
#define SHINE_SOFT 0.7

/* The shine blobs of photo P at SCALE px/mm, as above, with the skin's
 * colour as scalp_skin measures it (from a copy reduced to about 4 px/mm
 * when the photo has twice that or more): OUT (the photo's size, 1 =
 * shine) is the caller's to free. */
smp_status scalp_shine(const photo *p, double scale, uint8_t **out, smp_error *err) SMP_MUST_CHECK;

/* scalp_detect in two steps, so that a caller trying several hints on one
 * photo (the studio, a hairline dragged) finds the candidates once: the
 * pixels of the skin's colour, smooth and without stubble's grain, closed
 * over small gaps (depending on the photo, the scale and THINNING only),
 * then the region the hint picks among them. */
typedef struct scalp_candidates {
    int w, h;
    double scale;
    int thinning;
    int face;          /* the hint's face: thinning treats the band on its side apart */
    float *L, *A, *B;  /* the photo in CIELAB */
    float *smooth;     /* 1 where skin-coloured and smooth (stubble or not), smoothed over GRAIN_MM */
    uint8_t *m;        /* 1 for a candidate */
    uint8_t *zone;     /* thinning: where scalp shows among the hair not stubble (bit 1), among any (2); else NULL */
    uint8_t *shine;    /* 1 on the blobs that may be a shine on the head (scalp_shine_blobs) */
    float skin[3];
    double chroma;
} scalp_candidates;

smp_status scalp_find_candidates(const photo *p, double scale, int thinning, int face, scalp_candidates *c,
                                 smp_error *err) SMP_MUST_CHECK;
smp_status scalp_choose(const scalp_candidates *c, const scalp_hint *hint, const char *what, uint8_t **out,
                        double *confidence, char *warning, size_t warning_size, smp_error *err) SMP_MUST_CHECK;
void scalp_candidates_free(scalp_candidates *c);

/* Lowers CONFIDENCE for a found region M (W*H, nonzero = scalp) on the
 * lightness plane L when it runs off the photo along over a quarter of
 * the border, when it fills under three quarters of its convex hull
 * (ragged: into a face, neck or arm; with PARTS, each connected part of
 * it its own hull, the parts weighed by size: the regions behind a
 * hairline lie apart along it), or when the interquartile range of its L*
 * over 1.349 (a standard deviation, were it normal) exceeds 15; WARNING
 * says why (the first of these; empty when none). */
void scalp_doubt(const uint8_t *m, const float *L, int w, int h, int parts, double *confidence, char *warning,
                 size_t warning_size);

/* The skin's colour as above (CIELAB) and the hair's lightness (the
 * darkest sixteenth of the middle half), for --mode thinning, from the
 * photo's CIELAB planes (W*H each) that the caller already has. */
smp_status scalp_skin(int w, int h, const float *L, const float *A, const float *B, double scale, double skin_lab[3],
                      double *hair_l, smp_error *err) SMP_MUST_CHECK;

/* Hair and scalp, pixel by pixel (OUT, the photo's size, the caller's to
 * free): SCALP_SHOWS where the pixel is near the skin's hue and chroma and
 * nearer its lightness than the hair's; SCALP_HAIR where it is darker
 * than midway to the hair's (the darkest sixteenth of the middle half),
 * or a grey or white strand (lighter than the skin by STRAND_LIGHTER L*,
 * under STRAND_CHROMA of its chroma, and textured); 0 for anything else
 * (background, clothes). */
enum { SCALP_SHOWS = 1, SCALP_HAIR = 2 };
/* SHOWS, when not NULL, gets (the caller's to free) how much scalp shows
 * between the hairs over SCALP_SHOW_MM (scalp_shows_lab). */
smp_status scalp_classify(const photo *p, double scale, uint8_t **out, float **shows, smp_error *err) SMP_MUST_CHECK;
/* The same from the CIELAB planes, the local variance of L* over half a
 * millimetre (VAR), and the skin and hair measured (scalp_skin). */
void scalp_classify_lab(int w, int h, const float *L, const float *A, const float *B, const float *var,
                        const double skin_lab[3], double hair_l, uint8_t *out);

/* How much scalp shows between the hairs, over a window SCALP_SHOW_MM
 * wide: single hairs are not resolved in a phone photo, but a few
 * millimetres of them are.  SHOWS (0..1) is the lesser of the share of
 * scalp among the pixels of scalp and hair (CLS, scalp_classify_lab)
 * and the window's mean L* placed between the hair's and the skin's
 * (unresolved hairs darken the pixels they cross); HAIR the share of
 * hair among them; HEAD the share of pixels that are either (not
 * background or clothes).  All W*H, the caller's.  -1 when out of
 * memory. */
#define SCALP_SHOW_MM 4.0
int scalp_shows_lab(int w, int h, const float *L, const uint8_t *cls, const double skin_lab[3], double hair_l,
                    double scale, float *shows, float *hair, float *head);

/* The head's breadth in photo px (BREADTH; 0 when it cannot be told):
 * the widest span, across the face's direction (FACE, a face_dir), of
 * the skin and hair over the photo's middle.  0 when that piece runs off
 * the photo anywhere (a back view's neck: its widest row would be the
 * ears), is broader than long (shoulders, a wall) or spans under a fifth
 * of the photo. */
smp_status scalp_head_breadth(const photo *p, int face, double *breadth, smp_error *err) SMP_MUST_CHECK;

/* Marks in OUT (the photo's size, 255 = not bare skin) where photo P is
 * darker than the skin of area A (its lighter 60 %, at SCALE px/mm) by 8 %
 * of its L* (2.5 at least) or more (hair, stubble or shadow beside the
 * area), or lies 25 or more from that skin's colour in CIELAB (the room
 * past the head's outline, clothes). */
smp_status scalp_not_bare_skin(const photo *p, double scale, const area *a, grey_image *out,
                               smp_error *err) SMP_MUST_CHECK;

/* Marks in *OUT (the photo's size, malloc'd) what lies off the head: 1
 * beyond MARGIN_MM of the convex hull of the skin in P that is plainly
 * skin (the head is convex round it), the wall or clothes past the head's
 * outline; 2 within it, where the room runs on in from there, unbroken
 * and unlike the skin, up to the head's outline (a wall of a skin's hue
 * puts some of its pixels in that hull).  All 0 when no skin is plainly
 * skin.  A large photo is read in blocks of about a megapixel in all. */
smp_status scalp_off_head(const photo *p, double scale, double margin_mm, uint8_t **out, smp_error *err) SMP_MUST_CHECK;

/* How soft the photo is in BOX (photo px: x0, y0, x1, y1; read in tiles
 * of SOFT_TILE px spread over it, SOFT_TILES each way at most): the sigma,
 * in px, of the
 * Gaussian blur that would take a perfectly sharp photo to it (focus,
 * motion, a phone's processing), so that dots drawn on it can be as soft.
 * Measured on its sharpest edges (the top SOFT_EDGES of its gradients): a
 * step blurred by s loses gradient as sqrt(s^2 + 1) / s when blurred by 1
 * px more; a perfectly sharp photo measures SOFT_FLOOR px (its pixels and
 * the differences themselves), which is taken off.  0 for a box under 32
 * px or without an edge of SOFT_MIN_EDGE levels a pixel; at most SOFT_MAX
 * px.  For want of memory, 0. */
#define SOFT_TILE 96
#define SOFT_TILES 4
#define SOFT_EDGES 0.01
#define SOFT_FLOOR 0.36
#define SOFT_MIN_EDGE 1.0
#define SOFT_MAX 4.0
double scalp_softness(const photo *p, const int box[4]);

/* M (W x H, 0 or 1) grown by R px each way (a square), rows then
 * columns, each a running count of the ones within R.  -1 for want of
 * memory (M unchanged), else 0. */
int scalp_dilate(uint8_t *m, int w, int h, int r);

/* The median of V (N > 0) as sorting would give it, element N / 2, in
 * linear time on average (V is reordered). */
float scalp_median(float *v, size_t n);

/* OUT = the mean of IN over (2R + 1)^2 pixels around each (W x H planes;
 * fewer at the borders). */
void scalp_box_mean(const float *in, float *out, int w, int h, int r);

/* Flood fill of M (W x H) from (SX, SY) over the 4-connected pixels equal
 * to FROM, writing TO; BOX gets {x0, y0, x1, y1} of what it filled.  The
 * count filled (0 when out of memory or M there is not FROM). */
size_t scalp_flood_box(uint8_t *m, int w, int h, int sx, int sy, uint8_t from, uint8_t to, int box[4]);
/* The same with STACK, the caller's, of 2 W H ints (for many floods). */
size_t scalp_flood(uint8_t *m, int w, int h, int sx, int sy, uint8_t from, uint8_t to, int box[4], int *stack);

/* The convex hull of M's nonzero pixels, built on each row's two ends (a
 * pixel's ends at X and X + 1, Y): its K corners in *HULL (malloc'd; NULL
 * when under three), and the pixel count in *COUNT.  -1 for want of
 * memory. */
int scalp_hull(const uint8_t *m, int w, int h, vec2 **hull, size_t *k, size_t *count);
/* Sets OUT (W*H) to VALUE on the pixels whose middle lies inside the
 * convex polygon HULL of K corners (scalp_hull's), row by row; the rest
 * is left as it is. */
void scalp_hull_fill(const vec2 *hull, size_t k, int w, int h, uint8_t *out, uint8_t value);

/* The outline of the largest region of MASK (W*H, >= 128) less EXCLUDE
 * (NULL: none), simplified to at most MAX_POINTS pixel centres, clockwise
 * in photo px, into OUT (the caller frees it); *N 0 when MASK is empty. */
smp_status scalp_outline(const uint8_t *mask, const uint8_t *exclude, int w, int h, size_t max_points, vec2 **out,
                         size_t *n, smp_error *err) SMP_MUST_CHECK;

#endif
