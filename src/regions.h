/* regions: the per-region factors of the density field (docs/regions.md):
 *
 *   scar     inside a strip scar (a line with a width), a scar mask or the
 *            FUE dot scars found in the photo (--scar-dots), dots
 *            follow their own density and darkness (sparser and lighter by
 *            default: scar tissue takes pigment unpredictably, docs/domain.md),
 *            blended over a feathered edge so density shows no seam;
 *   patch    alopecia patches (a mask or a polygon): dots only there, with
 *            an irregular feathered edge so the boundary shows no line;
 *   thinning where hair remains, dots only where scalp shows between the
 *            hairs, more where more shows, lighter, and drawn under the hair.
 *
 * Feathering: a smoothstep over --feather-mm across the boundary, whose
 * position wanders by a third of that with 2D noise (4 mm features). */
#ifndef SMP_REGIONS_H
#define SMP_REGIONS_H
#include "area.h"
#include "geom.h"
#include "image.h"
#include "plan.h"

typedef struct soft_mask {
    float *v;       /* 0..1, blurred over the feather width; NULL when none */
    int w, h;
    double scale;   /* px per mm */
} soft_mask;

typedef struct regions {
    int any;
    /* scars */
    const vec2 *scar_line;
    size_t scar_n;
    double scar_half;
    soft_mask scar_mask;
    double scar_density, scar_darkness;
    size_t dot_scars;   /* --scar-dots: how many were found */
    /* patches */
    const vec2 *patch_poly;
    size_t patch_n;
    soft_mask patch_mask;
    /* thinning: how much scalp shows, how much hair is near, and where hair is */
    soft_mask scalp;
    soft_mask hair_near;
    uint8_t *hair;  /* photo px: 1 where hair covers the scalp */
    int hair_w, hair_h;
    double thinning_darkness;
    double feather;
    uint64_t seed;
} regions;

/* Builds the regions for S on the scene's photo P (NULL without one) at
 * SCALE px/mm.  Positions in S are in mm already. */
smp_status regions_build(const settings *s, const photo *p, double scale, regions *r, smp_error *err) SMP_MUST_CHECK;
void regions_free(regions *r);

/* --density auto: the mean grey (0-255, mean of R, G, B) of the photo well
 * inside the patches and in a ring of about 6 mm around them, within the
 * area; CORE (photo px: 1 = well inside, 2 = the ring) tells shade.c
 * where the skin and the hair to match are.  SMP_EINPUT when either has too few pixels. */
typedef struct patch_levels {
    double inside, around;
    uint8_t *core;          /* the caller frees */
} patch_levels;
smp_status regions_patch_levels(const regions *r, const photo *p, const char *what, double scale, const area *a,
                                patch_levels *out, smp_error *err) SMP_MUST_CHECK;
/* The factors at P: density (0 = no dots) and darkness. */
void regions_eval(const regions *r, vec2 p, double *density, double *darkness);
/* Thinning: a crown's bald middle in the area A, ringed by thinning hair
 * (regions.c), is thinning too, though bare and far from hair. */
smp_status regions_take_in_vertex(regions *r, const area *a, smp_error *err) SMP_MUST_CHECK;
/* Thinning: the share of the area A that is bare skin with next to no
 * hair near it, which thinning leaves alone; 0 without thinning. */
double regions_bare_share(const regions *r, const area *a);
/* The patches as a W x H mask at SCALE px/mm, 255 inside (half-way
 * across the feather); all 0 without patches; NULL for want of memory. */
uint8_t *regions_patch_raster(const regions *r, int w, int h, double scale);
/* Finds FUE dot scars (pale dots under about 1.2 mm) in P: a mask of them
 * and their count. */
smp_status regions_find_dot_scars(const photo *p, double scale, soft_mask *m, size_t *count, smp_error *err) SMP_MUST_CHECK;
/* Thinning's reading of photo P (scalp_classify): how much scalp shows
 * between the hairs over SCALP_SHOW_MM (SCALP), the share of hair within
 * HAIR_NEAR_MM (NEAR), and the hair mask (HAIR, photo px).  The caller
 * frees all three. */
smp_status regions_scalp_map(const photo *p, double scale, soft_mask *scalp, soft_mask *near, uint8_t **hair,
                             smp_error *err) SMP_MUST_CHECK;

#endif
