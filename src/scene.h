/* scene: the first stage of the pipeline (scene.c says what it does). */
#ifndef SMP_SCENE_H
#define SMP_SCENE_H
#include "layout.h"
#include "plan.h"
#include "scalp.h"

/* Fills L's scene: photo, scale, the settings in mm (L->mm), area, face,
 * hairline, regions and the automatic measurements of PLAN.  What it made
 * is freed with L (smp_layout_free). */
smp_status scene_build(smp_layout *L, const smp_plan *plan, smp_error *err) SMP_MUST_CHECK;

/* What a caller making many layouts of one photo (the studio, a preview
 * after every dragged anchor) keeps between them: the decoded photo, the
 * face found in it and the last --area auto answer, each of which depends
 * on the photo and a few settings only.  Zero it, set PHOTO, and free it
 * with scene_cache_free. */
typedef struct scene_cache {
    photo photo;          /* decoded and oriented; owned; layouts borrow it */
    int face_level;       /* 0: not looked for yet; 1: the box; 2: with the landmarks */
    face_found face;
    double ears_scale;    /* the ears below were looked for at this scale; 0: not yet */
    ears_found ears;      /* layouts borrow them */
    int scalp_valid;      /* the scalp answer below is for these inputs: */
    double scalp_scale;
    scalp_hint scalp_hint;
    smp_status scalp_status;
    smp_error scalp_err;
    uint8_t *scalp_mask;  /* photo px, 255 = scalp; NULL after a refusal */
    double scalp_confidence;
    char scalp_doubt[256];
    /* The candidates of that answer (scalp.h), which a moved hint (the
     * hairline's middle) chooses among again: kept for photos of a few
     * megapixels (17 bytes a pixel), the size a page shows. */
    int cand_valid;
    scalp_candidates cand;
    double off_head_scale;  /* the pixels off the head below were found at this scale; 0: not yet */
    uint8_t *off_head;      /* photo px, 1 = past the head's outline (scalp_off_head) */
    uint64_t not_bare_key;  /* the area the not-bare pixels below were found for (a hash), 0: none */
    grey_image not_bare;
    uint64_t edge_key;    /* the area and edge width the soft edge below is for, 0: none */
    field edge;           /* only its soft edge (field.h) */
    uint64_t hair_kind_key; /* the area as given and the scale the reading below is for, 0: none */
    int hair_kind_long;     /* long hair round that area (match_hair_kind), for the note */
} scene_cache;

void scene_cache_free(scene_cache *c);

/* scene_build with CACHE (NULL: none): the photo comes from it, not from
 * the plan's file (the plan's photo then only names it in messages). */
smp_status scene_build_cached(smp_layout *L, const smp_plan *plan, scene_cache *cache, smp_error *err) SMP_MUST_CHECK;

/* What the scene would assume for PLAN on CACHE's photo, without laying
 * anything out: the scale (FROM 0 given, 1 from the anchors, 2 from the
 * face, 3 from the head's breadth; HAS_SCALE 0 with WHY when none), and the anchors --anchors auto
 * would suggest (HAS_ANCHORS 0 when no face with landmarks is found). */
typedef struct scene_suggestion {
    int has_scale;
    double scale;
    int scale_from;
    char scale_why[160];
    int has_anchors;
    vec2 anchors[3];      /* photo px: left temple, front, right temple */
    double front_mm;
} scene_suggestion;

/* smp_layout_new with CACHE (NULL: none); and the scene alone (the
 * area, the face, the hairline: no field, no dots), for a suggestion. */
smp_status smp_layout_new_cached(const smp_plan *plan, scene_cache *cache, smp_layout **out, smp_error *err) SMP_MUST_CHECK;
smp_status smp_layout_scene(const smp_plan *plan, scene_cache *cache, smp_layout **out, smp_error *err) SMP_MUST_CHECK;

smp_status scene_suggest(const smp_plan *plan, scene_cache *cache, scene_suggestion *out, smp_error *err) SMP_MUST_CHECK;

#endif
