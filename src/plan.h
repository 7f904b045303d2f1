/* plan: every setting of an invocation, from defaults, a preset, a plan file
 * and options, in that order of precedence (later wins).  Values are checked
 * as they are set, so a bad value in a plan file is reported with its line;
 * smp_plan_resolve() then checks how the values fit together. */
#ifndef SMP_PLAN_H
#define SMP_PLAN_H
#include <stdint.h>

#include "geom.h"
#include "smpsim.h"

typedef enum face_dir { FACE_DOWN = 0, FACE_UP, FACE_LEFT, FACE_RIGHT } face_dir;

typedef enum hairline_shape {
    SHAPE_NONE = 0,
    SHAPE_STRAIGHT,
    SHAPE_ROUNDED,
    SHAPE_WIDOWS_PEAK,
    SHAPE_MATURE,
    SHAPE_M,
    SHAPE_BOXED,
    SHAPE_BROKEN,
    SHAPE_FEMALE
} hairline_shape;

/* Hard limits: nothing allocates in proportion to an unchecked number. */
#define SMP_MAX_DOTS 20000000.0   /* dots in one layout */
#define SMP_MAX_POINTS 10000      /* vertices in a polygon or polyline (all the exclusions' together) */
#define SMP_MAX_AREA_MM 20000.0   /* side of the layout frame */
#define SMP_MAX_DENSITY 400.0     /* dots/cm^2: 0.25 mm dots 0.5 mm apart */

typedef struct settings {
    double area_w, area_h; /* frame, mm; 0 when not given */
    vec2 *polygon;
    size_t polygon_n;
    char *area_mask;       /* PNG path, resolved against the plan's folder */
    double scale;          /* px per mm of mask and map images; 0 = unset */
    double density1, density2; /* dots/cm^2 at left and right edges */
    int density_auto;      /* --density auto: matched to the hair around the patches */
    char *density_map;
    int clustering;
    hairline_shape shape;
    int has_anchors;
    int anchors_auto;      /* --anchors auto: the scene suggests them from the face */
    vec2 anchors[3];       /* left temple, front midpoint, right temple */
    vec2 *hl_points;
    size_t hl_n;
    face_dir face;
    double transition_mm, sentinel_mm, sentinel_share;
    double wave_mm, wavelength_mm, irregularity, asymmetry_mm;
    double dot_mm, dot_variation, darkness, depth_mm;
    int match_auto;        /* --match auto: dots chosen to read like the client's stubble */
    int shave;             /* --shave: the hair around the area cut to stubble in the after */
    uint64_t seed;
    double px_per_mm;
    /* photo and render */
    char *photo;
    double ruler_px, ruler_mm; /* 0 when no ruler */
    double max_pixels;
    double dilution, blowout;
    int dilution_auto;         /* --dilution auto: from the photo (shade) */
    int undertone;             /* 0 cool (carbon black), 1 neutral, 2 warm (pigment.c) */
    /* Not a plan key: the photo's own softness around the area (the scene
     * measures it, scalp_softness), in mm, so that the dots drawn on it
     * are as soft as its own detail; 0 without a photo. */
    double photo_soft_mm;
    /* Not a plan key either: the warmth of the client's skin in the area
     * (red over the lesser of green and blue, as a share of the brightest
     * channel), for the shine the render keeps; 0 unknown. */
    double photo_skin_warmth;
    int has_pigment;
    uint8_t pigment[3];
    int compose;               /* compose_mode */
    int png_level, quality;
    int show_fresh;            /* --show fresh */
    double show_years;         /* --show years=Y, 0 = not */
    int show_session;          /* --show session=K, 0 = all */
    int sessions, n_shares;
    double shares[6];          /* fractions summing to 1 */
    double session_darkening, first_raise_mm, healing_spread;
    int area_auto;             /* --area auto */
    char *save_area;
    /* regions */
    int thinning, scar_dots;
    vec2 *scar_line, *patch_poly;
    size_t scar_n, patch_n;
    char *scar_mask, *patch_mask;
    double scar_width_mm, scar_density, scar_darkness, feather_mm;
    double edge_mm;         /* the area's soft edge on a photo */
    /* print */
    int paper_letter;
    char *clinic, *client, *date, *session_dates, *logo, *notes;
    char *sheet;               /* --practitioner-sheet */
    char *exclude_mask;
    /* --exclude-polygon: the corners of every exclusion, one polygon after
     * another; EXCL_N[i] of them for the i-th; NULL when none. */
    vec2 *excl;
    size_t *excl_n;
    size_t excl_count;
    int width, no_labels;
} settings;

typedef enum compose_mode { COMPOSE_AFTER = 0, COMPOSE_SIDE, COMPOSE_SPLIT, COMPOSE_STACK, COMPOSE_OVERLAY,
                            COMPOSE_SESSIONS, COMPOSE_HEALING, COMPOSE_GUIDES } compose_mode;

/* The resolved settings of a plan; valid after smp_plan_resolve(). */
const settings *plan_settings(const smp_plan *plan);

/* BASE's dots alone (kind, size, depth, pigment, sessions, seed): no area,
 * photo, hairline, regions or automatic choices, for a layout laid on an
 * area of the caller's (match.c's test patch, shave.c's stubble).  The
 * copy borrows BASE's strings. */
settings settings_dots_only(const settings *base);

const char *hairline_shape_name(hairline_shape s);

/* The files settings S read (photo, masks, density map, logo, notes),
 * into OUT; returns how many. */
#define PLAN_MAX_INPUTS 8
size_t plan_input_files(const settings *s, const char *out[PLAN_MAX_INPUTS]);

/* smp_plan_dump, with the photo written as PHOTO (as given: a name
 * beside the plan) when PHOTO is not NULL. */
void plan_dump_photo_as(const smp_plan *plan, FILE *out, const char *photo);

/* The value of option I (smp_option_at's order) as the plan was given it
 * (a file's path resolved against its plan's folder), or NULL when it
 * was not given. */
const char *plan_given(const smp_plan *plan, size_t i);

/* The resolved PLAN on its photo resized by K: every position in photo
 * pixels (anchors, polygons, lines, the ruler's length) and the scale
 * multiplied by K. */
void plan_scale_photo_px(smp_plan *plan, double k);

#endif
