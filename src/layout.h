/* layout: the product of the pipeline up to the dots (smp_layout). */
#ifndef SMP_LAYOUT_H
#define SMP_LAYOUT_H
#include "area.h"
#include "ears.h"
#include "face.h"
#include "image.h"
#include "field.h"
#include "hairline.h"
#include "regions.h"
#include "sampler.h"
#include "shave.h"

struct smp_layout {
    settings mm;         /* the plan's settings with photo pixels turned into mm */
    vec2 *owned[5];      /* converted polygon, polyline, scar line, patch and exclusion arrays */
    photo photo;         /* the scene's photo, px == NULL without one */
    int photo_borrowed;  /* 1: PHOTO is a scene_cache's (scene.h), not freed with the layout */
    double scale;        /* photo px per mm */
    int scale_estimated; /* 1 when the scale was guessed from the anchors, 2 from the face, 3 from the head */
    face_found face;     /* the face in the photo, when the scene looked for one */
    ears_found ears;     /* the ears in plain view, when it looked for them (with the face's) */
    int ears_borrowed;   /* 1: EARS are a scene_cache's, not freed with the layout */
    char suggestion[320]; /* --anchors auto: the anchors suggested, to print */
    vec2 anchors_px[3];  /* and the same in photo px */
    int has_shade;       /* --dilution auto measured this */
    double area_confidence; /* --area auto: how sure, 0..1 */
    uint64_t edge_key;   /* with a scene_cache: a hash of the area, the photo's scale and the edge width; 0 unknown */
    /* What the user should know about choices made for them, each its own
     * line (the area's doubt, a --face that looks wrong, --shave keeping
     * the hair): the first SMP_NOTES, in the order made. */
#define SMP_NOTES 4
    char notes[SMP_NOTES][256];
    int n_notes;
    int doubt_note;      /* --area auto: 1 + the index of the note of doubt about the area found, 0 none */
    smp_shade shade;
    int has_match;       /* --density auto matched this */
    smp_density_match match;
    int has_hair;        /* --match auto measured this */
    smp_hair_match hair;
    shave shave;         /* --shave: the photo with the hair cut, and its stubble */
    /* A drawn area that ran past the head's outline: the photo px past it
     * (scene.c, exclude_off_head), which the after keeps as they were: no
     * halo spills ink onto the wall.  NULL when none. */
    uint8_t *kept;
    area area;
    hairline line;
    int has_line;
    /* --area auto behind the line: each photo pixel's side of it (scene.c,
     * line_sides), kept for the match's bays; NULL when not computed. */
    uint8_t *line_side;
    regions regions;     /* scars, patches, thinning */
    field field;
    dot_list dots;       /* every session, healed */
    smp_dot *shown;      /* the dots the plan's --show state draws (may be dots.d) */
    size_t n_shown;
    int owns_shown;
    smp_layout_stats stats;
};

#endif
