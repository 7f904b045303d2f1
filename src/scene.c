/* scene: what the photo and the plan say before any dot is placed.  It
 * reads the photo, finds its scale (a ruler, the face, the anchors),
 * turns every position given in photo pixels into mm, and works out the
 * treatment area (given, or found: the bald scalp, the thinning region,
 * minus the face), the hairline, the regions (scars, patches, thinning),
 * and the automatic measurements that set the plan's numbers: density
 * and dilution matched to the photo, the client's hair (--match auto), the
 * shaved look (--shave).  Later stages see mm only. */
#include "scene.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "face.h"
#include "hairline.h"
#include "match.h"
#include "pigment.h"
#include "scalp.h"
#include "shade.h"
#include "status.h"

/* Temple-to-temple distance assumed when the scale must be guessed from
 * the anchors: about 12 cm across the front of an adult head (temple
 * points ~1 cm outside the outer eye corners, docs/domain.md). */
#define ASSUMED_TEMPLES_MM 120.0

static vec2 *scaled(const vec2 *p, size_t n, double k)
{
    vec2 *q = malloc(n * sizeof *q);
    if (q)
        for (size_t i = 0; i < n; i++) q[i] = v2_scale(p[i], k);
    return q;
}

/* Assumed when the scale comes from the head's outline: its breadth
 * across the ears' level, about 150-155 mm for an adult (issue 13), most
 * within 140-165 mm, so the scale is good to about 10 %. */
#define HEAD_BREADTH_MM 152.0

/* Assumed when the scale comes from the face: the mean adult distance
 * between the pupils, 63 mm (most adults 57-69 mm, so within about 10 %). */
#define IPD_MM 63.0

/* --anchors auto (docs/domain.md, "Hairline"): the front midpoint a third of
 * the face's height above the glabella, kept within 70-100 mm; the temple
 * points 10 mm outside the eyes' outer corners and, our choice where the
 * sources say nothing, 15 mm lower than the front. */
#define FRONT_MIN_MM 70.0
#define FRONT_MAX_MM 100.0
#define TEMPLE_OUT_MM 10.0
#define TEMPLE_DROP_MM 15.0
/* Thinning: over this share of the area bare skin far from hair (which
 * thinning leaves alone), a note says to use --area auto. */
#define THIN_BARE_NOTE 0.3

static vec2 face_pt(const face_found *f, int i) { return v2(f->pt[i][0], f->pt[i][1]); }

static vec2 face_mean(const face_found *f, int from, int to)
{
    vec2 m = v2(0, 0);
    for (int i = from; i <= to; i++) m = v2_add(m, face_pt(f, i));
    return v2_scale(m, 1.0 / (to - from + 1));
}

/* The pupils' distance in photo px (the eyes' centres). */
static double face_ipd(const face_found *f) { return v2_len(v2_sub(face_mean(f, 42, 47), face_mean(f, 36, 41))); }

/* Suggests the anchors (photo px) from face F at SCALE px/mm; says how in
 * WHY. */
static void face_anchors(const face_found *f, double scale, vec2 out[3], double *front_mm)
{
    vec2 el = face_mean(f, 36, 41), er = face_mean(f, 42, 47);
    vec2 u = v2_sub(er, el);
    u = v2_scale(u, 1 / fmax(1e-9, v2_len(u)));
    vec2 up = v2(u.y, -u.x); /* toward the forehead, for an upright face */
    vec2 glabella = face_mean(f, 21, 22);
    /* Thirds of the face: glabella to the base of the nose (33), and from
     * there to the chin (8); the top third is as high. */
    double mid = v2_dot(v2_sub(glabella, face_pt(f, 33)), up), low = v2_dot(v2_sub(face_pt(f, 33), face_pt(f, 8)), up);
    double third = fmax(0, (mid + low) / 2);
    double h = fmin(FRONT_MAX_MM * scale, fmax(FRONT_MIN_MM * scale, third));
    *front_mm = h / scale;
    out[1] = v2_add(glabella, v2_scale(up, h));
    vec2 cl = face_pt(f, 36), cr = face_pt(f, 45);
    double ht = h - TEMPLE_DROP_MM * scale;
    out[0] = v2_add(v2_sub(cl, v2_scale(u, TEMPLE_OUT_MM * scale)), v2_scale(up, ht - v2_dot(v2_sub(cl, glabella), up)));
    out[2] = v2_add(v2_add(cr, v2_scale(u, TEMPLE_OUT_MM * scale)), v2_scale(up, ht - v2_dot(v2_sub(cr, glabella), up)));
}

/* The area's exclusion mask at the photo's pixels (an empty one made when
 * there is none) into *OUT.  The user's --exclude-mask is at the photo's
 * scale but may be a pixel larger or smaller (area.c allows it): it is
 * cut or padded to the photo's size, so the face and the ears are kept out
 * whatever mask was given. */
static smp_status photo_exclusion(smp_layout *L, uint8_t **out, smp_error *err)
{
    area *a = &L->area;
    int w = L->photo.w, h = L->photo.h;
    *out = NULL;
    if (!a->exclude.px || a->exclude.w != w || a->exclude.h != h) {
        uint8_t *m = calloc((size_t)w * h, 1);
        if (!m) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        for (int y = 0; a->exclude.px && y < h && y < a->exclude.h; y++)
            memcpy(m + (size_t)y * w, a->exclude.px + (size_t)y * a->exclude.w,
                   (size_t)(w < a->exclude.w ? w : a->exclude.w));
        free(a->exclude.px);
        a->exclude.px = m;
        a->exclude.w = w;
        a->exclude.h = h;
    }
    a->scale = L->scale;
    *out = a->exclude.px;
    return SMP_OK;
}

/* Photo pixel X, Y joins the exclusion EX; the area it took from the
 * treated area, in mm^2. */
static double exclude_pixel(smp_layout *L, uint8_t *ex, int x, int y)
{
    uint8_t *px = &ex[(size_t)y * L->photo.w + x];
    if (*px >= 128) return 0;
    double took = area_contains(&L->area, v2((x + 0.5) / L->scale, (y + 0.5) / L->scale)) / (L->scale * L->scale);
    *px = 255;
    return took;
}

/* Never the ears: those found (ears.c, with their margin) join the area's
 * exclusion like the face. */
static smp_status exclude_ears(smp_layout *L, smp_error *err)
{
    uint8_t *ex;
    smp_status st = photo_exclusion(L, &ex, err);
    if (st != SMP_OK || !ex) return st;
    double off = 0;
    for (int y = 0; y < L->photo.h; y++)
        for (int x = 0; x < L->photo.w; x++)
            if (L->ears.mask[(size_t)y * L->photo.w + x]) off += exclude_pixel(L, ex, x, y);
    L->area.area_mm2 = fmax(0, L->area.area_mm2 - off);
    return SMP_OK;
}

/* Never the face: the face found (from the jaw up to the brows, or its
 * box without landmarks) joins the area's exclusion, at the photo's
 * scale. */
static smp_status exclude_face(smp_layout *L, smp_error *err)
{
    int w = L->photo.w, h = L->photo.h;
    uint8_t *ex;
    smp_status st = photo_exclusion(L, &ex, err);
    if (st != SMP_OK || !ex) return st;
    double pts[27][2];
    vec2 poly[27];
    size_t n = (size_t)face_outline(&L->face, pts);
    for (size_t i = 0; i < n; i++) poly[i] = v2(pts[i][0], pts[i][1]);
    double x0 = w, y0 = h, x1 = 0, y1 = 0;
    for (size_t i = 0; i < n; i++) {
        x0 = fmin(x0, poly[i].x); x1 = fmax(x1, poly[i].x);
        y0 = fmin(y0, poly[i].y); y1 = fmax(y1, poly[i].y);
    }
    /* Every pixel the face touches (its centre or a corner inside). */
    double off = 0;
    for (int y = (int)fmax(0, floor(y0) - 1); y < (int)fmin(h, ceil(y1) + 1); y++)
        for (int x = (int)fmax(0, floor(x0) - 1); x < (int)fmin(w, ceil(x1) + 1); x++) {
            int in = geom_in_polygon(v2(x + 0.5, y + 0.5), poly, n);
            for (int c = 0; c < 4 && !in; c++) in = geom_in_polygon(v2(x + (c & 1), y + (c >> 1)), poly, n);
            if (in) off += exclude_pixel(L, ex, x, y);
        }
    L->area.area_mm2 = fmax(0, L->area.area_mm2 - off);
    return SMP_OK;
}

/* Never past the head's outline: a drawn area (a polygon or mask on the
 * photo) that runs over the wall or clothes beyond it, as one drawn round
 * the outline in the studio easily does, loses what lies further than
 * DRAWN_SURE_MM from the convex hull of the skin that is plainly skin
 * (scalp.c), and the room that runs on in from there to the outline (a
 * pink wall holds pixels of a skin's colour, so the hull takes some of
 * it in); *TOOK gets the mm^2 it took.  stubble-side-face.jpg with the
 * practitioner's polygon to the outline: 3.1 cm^2 of dots on the wall. */
#define DRAWN_SURE_MM 1.0
/* ... and the after keeps the photo as it was from this far past that hull
 * (nearer, the outline's own pixels are part skin). */
#define KEPT_FROM_MM 0.3
static smp_status exclude_off_head(smp_layout *L, scene_cache *cache, double *took, smp_error *err)
{
    uint8_t *off = NULL, *ex;
    *took = 0;
    smp_status st = SMP_OK;
    if (!cache) {
        st = scalp_off_head(&L->photo, L->scale, DRAWN_SURE_MM, &off, err);
    } else if (cache->off_head_scale != L->scale) {
        /* Once per photo and scale: a page redraws on every drag. */
        free(cache->off_head);
        cache->off_head = NULL;
        cache->off_head_scale = 0;
        if ((st = scalp_off_head(&cache->photo, L->scale, DRAWN_SURE_MM, &cache->off_head, err)) == SMP_OK)
            cache->off_head_scale = L->scale;
    }
    if (st != SMP_OK) return st;
    const uint8_t *m = cache ? cache->off_head : off;
    /* Only within the area's bounds: the rest of the photo has no dots. */
    double x0, y0, x1, y1;
    area_bounds(&L->area, &x0, &y0, &x1, &y1);
    int px0 = (int)fmax(0, floor(x0 * L->scale)), py0 = (int)fmax(0, floor(y0 * L->scale));
    int px1 = (int)fmin(L->photo.w, ceil(x1 * L->scale) + 1), py1 = (int)fmin(L->photo.h, ceil(y1 * L->scale) + 1);
    if ((st = photo_exclusion(L, &ex, err)) == SMP_OK)
        for (int y = py0; y < py1; y++)
            for (int x = px0; x < px1; x++)
                if (m[(size_t)y * L->photo.w + x]) *took += exclude_pixel(L, ex, x, y);
    /* Where the area ran past the outline, the after keeps the room as it
     * was from KEPT_FROM_MM past the skin's hull: the halos of the dots
     * nearest the outline would darken a line of the wall along it. */
    if (st == SMP_OK && *took > 0) {
        size_t n = (size_t)L->photo.w * L->photo.h;
        if (!(L->kept = malloc(n))) {
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        } else {
            /* The room found within the margin runs on to the outline
             * itself: it is kept as it is. */
            for (size_t i = 0; i < n; i++) L->kept[i] = m[i] == 1;
            int r = (int)lround((DRAWN_SURE_MM - KEPT_FROM_MM) * L->scale);
            if (r > 0 && scalp_dilate(L->kept, L->photo.w, L->photo.h, r)) st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            for (size_t i = 0; i < n; i++) L->kept[i] |= m[i] == 2;
        }
    }
    free(off);
    L->area.area_mm2 = fmax(0, L->area.area_mm2 - *took);
    return st;
}

/* The scene: reads the photo, finds its scale and turns every position
 * given in photo pixels into mm, so that later stages see mm only.  A face
 * in the photo is looked for when it can help: to confirm one is there
 * (--area auto, thinning), to suggest the anchors, or to give the scale. */
/* The face in P, looked for once per photo with CACHE (NULL: every time);
 * with its landmarks when POINTS. */
static smp_status find_face(const photo *p, int points, const char *what, scene_cache *cache, face_found *out,
                            smp_error *err)
{
    if (!cache) return face_find(p, points, what, out, err);
    if (cache->face_level < 1 + points) {
        smp_status st = face_find(&cache->photo, points, what, &cache->face, err);
        if (st != SMP_OK) return st;
        cache->face_level = 1 + points;
    }
    *out = cache->face;
    return SMP_OK;
}

/* The ears in L's photo at its scale, looked for once per photo and scale
 * with CACHE (NULL: every time; a dragged anchor changes neither). */
static smp_status find_ears(smp_layout *L, scene_cache *cache, smp_error *err)
{
    if (!cache) return ears_find(&L->photo, L->scale, &L->ears, err);
    if (cache->ears_scale != L->scale) {
        ears_free(&cache->ears);
        cache->ears_scale = 0;
        smp_status st = ears_find(&cache->photo, L->scale, &cache->ears, err);
        if (st != SMP_OK) return st;
        cache->ears_scale = L->scale;
    }
    L->ears = cache->ears;
    L->ears_borrowed = 1;
    return SMP_OK;
}

/* The photo: read from the plan's file, or borrowed from CACHE. */
static smp_status scene_photo(smp_layout *L, const settings *s, scene_cache *cache, smp_error *err)
{
    if (!cache) {
        int orient;
        return image_read_photo(s->photo, (long)s->max_pixels, &L->photo, &orient, err);
    }
    /* The plan's own limit holds for a photo decoded before it was known. */
    if ((double)cache->photo.w * cache->photo.h > s->max_pixels)
        return image_over_limit(err, s->photo, (unsigned)cache->photo.w, (unsigned)cache->photo.h, (long)s->max_pixels);
    L->photo = cache->photo;
    L->photo_borrowed = 1;
    return SMP_OK;
}

static smp_status build_scene(smp_layout *L, const settings *given, scene_cache *cache, smp_error *err)
{
    L->mm = *given;
    if (!given->photo) return SMP_OK;
    settings scene = *given;
    const settings *s = &scene;
    smp_status st = scene_photo(L, s, cache, err);
    if (st != SMP_OK) return st;
    int no_scale = !(s->ruler_mm > 0) && !(s->scale > 0);
    /* Not for the guides alone: they show what a render with the same
     * options keeps out, and a render with a drawn area and a scale does
     * not look. */
    if (s->anchors_auto || s->area_auto || s->thinning || no_scale) {
        st = find_face(&L->photo, s->anchors_auto || no_scale, s->photo, cache, &L->face, err);
        if (st != SMP_OK) return st;
    }
    if (s->anchors_auto && !L->face.has_points)
        return smp_fail(err, SMP_EINPUT, 1,
                        "%s: no face found for --anchors auto (it needs the face upright, seen from the front); give "
                        "--anchors LX,LY:FX,FY:RX,RY",
                        s->photo);
    if (s->ruler_mm > 0) {
        L->scale = s->ruler_px / s->ruler_mm;
    } else if (s->scale > 0) {
        L->scale = s->scale;
    } else if (L->face.has_points && face_ipd(&L->face) > 4) {
        L->scale = face_ipd(&L->face) / IPD_MM;
        L->scale_estimated = 2;
    } else if (s->has_anchors) {
        L->scale = v2_len(v2_sub(s->anchors[2], s->anchors[0])) / ASSUMED_TEMPLES_MM;
        L->scale_estimated = 1;
    } else {
        /* A top or back view with the whole head in the frame: its
         * breadth. */
        double breadth;
        if ((st = scalp_head_breadth(&L->photo, (int)s->face, &breadth, err)) != SMP_OK) return st;
        if (!(breadth > 0))
            return smp_fail(err, SMP_EVALUE, 0, "%s: no scale: no face to measure, nor the whole head in view; give --scale PX_PER_MM, --ruler or --anchors",
                            s->photo);
        L->scale = breadth / HEAD_BREADTH_MM;
        L->scale_estimated = 3;
    }
    if (s->anchors_auto && L->scale > 0) {
        double front_mm;
        face_anchors(&L->face, L->scale, scene.anchors, &front_mm);
        scene.has_anchors = 1;
        snprintf(L->suggestion, sizeof L->suggestion,
                 "anchors from the face: --anchors %.0f,%.0f:%.0f,%.0f:%.0f,%.0f (front %.0f mm above the glabella: a "
                 "third of the face, kept to 70-100 mm; temples 10 mm outside the eyes' outer corners, 15 mm lower); "
                 "check them with --compose guides, then adopt or adjust them",
                 scene.anchors[0].x, scene.anchors[0].y, scene.anchors[1].x, scene.anchors[1].y, scene.anchors[2].x,
                 scene.anchors[2].y, front_mm);
        memcpy(L->anchors_px, scene.anchors, sizeof L->anchors_px);
    }
    if (!(L->scale > 0.05 && L->scale < 1000))
        return smp_fail(err, SMP_EVALUE, 0, "%s: a scale of %g px/mm is not plausible", s->photo, L->scale);
    double k = 1 / L->scale;
    settings *m = &L->mm;
    m->scale = L->scale;
    for (int i = 0; i < 3; i++) m->anchors[i] = v2_scale(s->anchors[i], k);
    m->has_anchors = s->has_anchors;
    if (s->polygon && !(m->polygon = L->owned[0] = scaled(s->polygon, s->polygon_n, k))) goto nomem;
    if (s->hl_points && !(m->hl_points = L->owned[1] = scaled(s->hl_points, s->hl_n, k))) goto nomem;
    if (s->scar_line && !(m->scar_line = L->owned[2] = scaled(s->scar_line, s->scar_n, k))) goto nomem;
    if (s->patch_poly && !(m->patch_poly = L->owned[3] = scaled(s->patch_poly, s->patch_n, k))) goto nomem;
    size_t excl_total = 0;
    for (size_t i = 0; i < s->excl_count; i++) excl_total += s->excl_n[i];
    if (s->excl && !(m->excl = L->owned[4] = scaled(s->excl, excl_total, k))) goto nomem;
    m->area_w = L->photo.w * k;
    m->area_h = L->photo.h * k;
    if (s->area_mask) {
        grey_image mask;
        if ((st = image_read_grey_png(s->area_mask, &mask, err)) != SMP_OK) return st;
        int ok = mask.w == L->photo.w && mask.h == L->photo.h;
        grey_image_free(&mask);
        if (!ok)
            return smp_fail(err, SMP_EINPUT, 1, "%s: the mask must be the photo's size, %dx%d", s->area_mask,
                            L->photo.w, L->photo.h);
    }
    return SMP_OK;
nomem:
    return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
}

smp_status scene_suggest(const smp_plan *plan, scene_cache *cache, scene_suggestion *out, smp_error *err)
{
    const settings *s = plan_settings(plan);
    memset(out, 0, sizeof *out);
    face_found f;
    smp_status st = find_face(&cache->photo, 1, s->photo, cache, &f, err);
    if (st != SMP_OK) return st;
    /* The scale as the scene finds it (build_scene), in the same order. */
    if (s->ruler_mm > 0) {
        out->scale = s->ruler_px / s->ruler_mm;
    } else if (s->scale > 0) {
        out->scale = s->scale;
    } else if (f.has_points && face_ipd(&f) > 4) {
        out->scale = face_ipd(&f) / IPD_MM;
        out->scale_from = 2;
    } else if (s->has_anchors) {
        out->scale = v2_len(v2_sub(s->anchors[2], s->anchors[0])) / ASSUMED_TEMPLES_MM;
        out->scale_from = 1;
    } else {
        double breadth;
        if ((st = scalp_head_breadth(&cache->photo, (int)s->face, &breadth, err)) != SMP_OK) return st;
        if (breadth > 0) {
            out->scale = breadth / HEAD_BREADTH_MM;
            out->scale_from = 3;
        }
    }
    out->has_scale = out->scale > 0.05 && out->scale < 1000;
    if (!out->has_scale && out->scale > 0)
        snprintf(out->scale_why, sizeof out->scale_why, "a scale of %g px/mm is not plausible", out->scale);
    else if (!out->has_scale)
        snprintf(out->scale_why, sizeof out->scale_why,
                 "no scale: no face found to measure, nor the whole head in the photo; give the scale, a ruler or "
                 "the anchors");
    if (f.has_points && out->has_scale) {
        face_anchors(&f, out->scale, out->anchors, &out->front_mm);
        out->has_anchors = 1;
    }
    return SMP_OK;
}

/* Density limits of --density auto: below 20 dots/cm^2 a patch reads as
 * scattered dots; above 115, the top of the finished range, it starts to
 * look painted (docs/domain.md).  Hair darker than that gets darker dots, up to
 * a darkness of 1. */
#define MATCH_MIN 20.0
#define MATCH_MAX 115.0

/* --density auto: the dots must take from the patch's skin what the hair
 * takes from the skin around it.  Dots that rarely overlap darken a region
 * by density x mean ink (pigment.h), so the density is the ring's
 * darkening, 1 - around / inside, over one dot's ink.  Past 115 dots/cm^2
 * the dots get darker instead, then (with --dilution auto) less diluted. */
static smp_status match_density(smp_layout *L, const patch_levels *lv, smp_error *err)
{
    smp_density_match *m = &L->match;
    settings *s = &L->mm;
    m->inside = lv->inside;
    m->around = lv->around;
    double dark = 1 - lv->around / lv->inside;
    /* The absorbance of linear light the hair adds (grey levels are about
     * linear light to the power 1/2.2). */
    double absorb = -PIGMENT_GAMMA * log(lv->around / lv->inside);
    if (!(dark > 0.002))
        return smp_fail(err, SMP_EINPUT, 1,
                        "%s: the skin around the patches is no darker than inside them: no hair to match; give --density",
                        s->photo);
    double dark0 = s->darkness, dil0 = s->dilution;
    double d = absorb / pigment_mean_ink_mm2(s) * 100;
    m->density = fmax(MATCH_MIN, floor(fmin(d, MATCH_MAX) + 0.5));
    m->darkness = s->darkness;
    m->dilution = s->dilution;
    if (d > MATCH_MAX) {
        /* Darker dots: the sampled darkness varies by +-10 % and stops at 1. */
        s->darkness = m->darkness = fmax(s->darkness, fmin(1 / 1.1, s->darkness * d / MATCH_MAX));
        d = absorb / pigment_mean_ink_mm2(s) * 100;
    }
    if (d > MATCH_MAX && L->has_shade && s->dilution > 0) {
        /* Less water, when the plan left the shade to smpsim: strength
         * 1 / (1 + W/6) (pigment.c) must grow by d / MATCH_MAX. */
        double strength = 1 / (1 + s->dilution / 6) * d / MATCH_MAX;
        /* To the half part below, so that the ink is strong enough. */
        double w = strength >= 1 ? 0 : floor(6 * (1 / strength - 1) * 2) / 2;
        s->dilution = m->dilution = L->shade.dilution = w;
        size_t r = strlen(L->shade.reason);
        snprintf(L->shade.reason + r, sizeof L->shade.reason - r, "; matching the hair around the patches takes %g", w);
        d = absorb / pigment_mean_ink_mm2(s) * 100;
    }
    m->limited = d < MATCH_MIN - 0.5 || d > MATCH_MAX + 0.5;
    int n = snprintf(m->reason, sizeof m->reason, "the hair around the patches darkens the skin by %.1f %% (grey %.0f against %.0f inside)",
                     dark * 100, lv->around, lv->inside);
    size_t k = n > 0 && (size_t)n < sizeof m->reason ? (size_t)n : 0, left = sizeof m->reason - k;
    if (d > MATCH_MAX + 0.5 && L->has_shade)
        snprintf(m->reason + k, left, "; even undiluted at darkness %.2f, %g dots/cm^2 cannot: the patches will stay lighter",
                 m->darkness, m->density);
    else if (d > MATCH_MAX + 0.5)
        snprintf(m->reason + k, left, "; %g dots/cm^2 at darkness %.2f cannot: the patches will stay lighter (try "
                 "--dilution auto)", m->density, m->darkness);
    else if (d < MATCH_MIN - 0.5)
        snprintf(m->reason + k, left, "; %g dots/cm^2 is the sparsest that reads as hair: the patches will be a little darker",
                 m->density);
    else if (m->dilution != dil0 || m->darkness != dark0)
        snprintf(m->reason + k, left, "; at darkness %.2f and dilution %g these dots darken the patches as much",
                 m->darkness, m->dilution);
    else
        snprintf(m->reason + k, left, "; these dots darken the patches as much");
    s->density1 = s->density2 = m->density;
    L->has_match = 1;
    return SMP_OK;
}

/* The largest photo whose scalp candidates a cache keeps (about 70 MB). */
#define CACHE_CANDIDATES_PX 4200000.0

/* --area auto's scalp for the photo, kept in CACHE for the inputs it
 * depends on (the scale and the hint), refusals included. */
static smp_status detect_scalp(smp_layout *L, const scalp_hint *hint, scene_cache *cache, uint8_t **mask,
                               char *doubt, size_t doubt_n, smp_error *err)
{
    const char *what = L->mm.photo;
    if (!cache)
        return scalp_detect(&L->photo, L->scale, hint, what, mask, &L->area_confidence, doubt, doubt_n, err);
    const scalp_hint *was = &cache->scalp_hint;
    int same = cache->scalp_valid && cache->scalp_scale == L->scale && was->face == hint->face &&
               was->thinning == hint->thinning && was->has_seed == hint->has_seed &&
               (!hint->has_seed || (was->seed[0] == hint->seed[0] && was->seed[1] == hint->seed[1])) &&
               was->side_key == hint->side_key;
    if (!same) {
        free(cache->scalp_mask);
        cache->scalp_mask = NULL;
        memset(&cache->scalp_err, 0, sizeof cache->scalp_err);
        scalp_candidates *cand = &cache->cand;
        if ((double)L->photo.w * L->photo.h <= CACHE_CANDIDATES_PX) {
            if (!cache->cand_valid || cand->scale != L->scale || cand->thinning != hint->thinning ||
                (hint->thinning && cand->face != hint->face)) {
                scalp_candidates_free(cand);
                cache->cand_valid = 0;
                smp_status st = scalp_find_candidates(&cache->photo, L->scale, hint->thinning, hint->face, cand, err);
                if (st != SMP_OK) return st;
                cache->cand_valid = 1;
            }
            cache->scalp_status = scalp_choose(cand, hint, what, &cache->scalp_mask, &cache->scalp_confidence,
                                               cache->scalp_doubt, sizeof cache->scalp_doubt, &cache->scalp_err);
        } else {
            cache->scalp_status = scalp_detect(&cache->photo, L->scale, hint, what, &cache->scalp_mask,
                                               &cache->scalp_confidence, cache->scalp_doubt,
                                               sizeof cache->scalp_doubt, &cache->scalp_err);
        }
        if (cache->scalp_status == SMP_ENOMEM) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        cache->scalp_valid = 1;
        cache->scalp_scale = L->scale;
        cache->scalp_hint = *hint;
        cache->scalp_hint.side = NULL; /* the caller's, gone after this call: SIDE_KEY stands for it */
    }
    L->area_confidence = cache->scalp_confidence;
    if (cache->scalp_status != SMP_OK) {
        if (err) *err = cache->scalp_err;
        return cache->scalp_status;
    }
    size_t n = (size_t)L->photo.w * L->photo.h;
    if (!(*mask = malloc(n))) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    memcpy(*mask, cache->scalp_mask, n);
    snprintf(doubt, doubt_n, "%s", cache->scalp_doubt);
    return SMP_OK;
}

/* FNV-1a over N bytes at P, on from H. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211u;
    return h;
}

/* Where the photo beside the area is no bare skin (scalp_not_bare_skin),
 * kept in CACHE for the area it was found for: an anchor dragged leaves
 * the area as it was. */
static smp_status not_bare_beside(smp_layout *L, scene_cache *cache, smp_error *err)
{
    const area *a = &L->area;
    if (!cache) return scalp_not_bare_skin(&L->photo, L->scale, a, &L->area.not_bare, err);
    uint64_t key = 14695981039346656037u;
    double nums[] = {L->scale, a->w, a->h, a->scale, (double)a->poly_n, (double)a->mask.w, (double)a->mask.h,
                     (double)a->exclude.w, (double)a->exclude.h};
    key = hash_bytes(key, nums, sizeof nums);
    if (a->poly) key = hash_bytes(key, a->poly, a->poly_n * sizeof *a->poly);
    if (a->mask.px) key = hash_bytes(key, a->mask.px, (size_t)a->mask.w * a->mask.h);
    if (a->exclude.px) key = hash_bytes(key, a->exclude.px, (size_t)a->exclude.w * a->exclude.h);
    size_t excl_total = 0;
    for (size_t i = 0; i < a->excl_count; i++) excl_total += a->excl_n[i];
    key = hash_bytes(key, &a->excl_count, sizeof a->excl_count);
    if (a->excl_count) {
        key = hash_bytes(key, a->excl_n, a->excl_count * sizeof *a->excl_n);
        key = hash_bytes(key, a->excl, excl_total * sizeof *a->excl);
    }
    key |= 1; /* never 0, "none" */
    L->edge_key = hash_bytes(key, &L->mm.edge_mm, sizeof L->mm.edge_mm) | 1;
    if (cache->not_bare_key != key) {
        grey_image_free(&cache->not_bare);
        cache->not_bare_key = 0;
        smp_status st = scalp_not_bare_skin(&L->photo, L->scale, a, &cache->not_bare, err);
        if (st != SMP_OK) return st;
        cache->not_bare_key = key;
    }
    L->area.not_bare = (grey_image){0};
    if (!cache->not_bare.px) return SMP_OK;
    size_t n = (size_t)cache->not_bare.w * cache->not_bare.h;
    if (!(L->area.not_bare.px = malloc(n))) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    memcpy(L->area.not_bare.px, cache->not_bare.px, n);
    L->area.not_bare.w = cache->not_bare.w;
    L->area.not_bare.h = cache->not_bare.h;
    return SMP_OK;
}

void scene_cache_free(scene_cache *c)
{
    if (!c) return;
    photo_free(&c->photo);
    ears_free(&c->ears);
    grey_image_free(&c->not_bare);
    free(c->off_head);
    c->off_head = NULL;
    field_free(&c->edge);
    scalp_candidates_free(&c->cand);
    free(c->scalp_mask);
    memset(c, 0, sizeof *c);
}

/* For the automatic area behind a hairline: each photo pixel's side of
 * the line (scalp_hint's SIDE), from its signed distance on a 0.5 mm grid.
 * Ahead of the line, the transition zone's front and the sentinels reach
 * at most the zone's width and the sentinels' depth, and a millimetre. */
static smp_status line_sides(const smp_layout *L, const hairline *hl, uint8_t **out, uint64_t *key, smp_error *err)
{
    const settings *s = &L->mm;
    int w = L->photo.w, h = L->photo.h;
    double k = L->scale, W = w / k, H = h / k, g = 0.5;
    if ((W / g) * (H / g) > 4e6) g = sqrt(W * H / 4e6) * 1.01;
    int gw = (int)ceil(W / g) + 1, gh = (int)ceil(H / g) + 1;
    double reach = s->transition_mm + s->sentinel_mm + 1;
    smp_status st = SMP_OK;
    float *sd = malloc((size_t)gw * gh * sizeof *sd);
    uint8_t *side = malloc((size_t)w * h);
    if (!sd || !side) st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    if (st == SMP_OK) st = hairline_distance_grid(hl, 0, 0, g, gw, gh, reach + g, 0, sd, err);
    if (st != SMP_OK) {
        free(sd);
        free(side);
        return st;
    }
    for (int y = 0; y < h; y++) {
        int j = (int)lround((y + 0.5) / k / g);
        for (int x = 0; x < w; x++) {
            float d = sd[(size_t)j * gw + (int)lround((x + 0.5) / k / g)];
            side[(size_t)y * w + x] = d > 0 ? 2 : d > -reach ? 1 : 0;
        }
    }
    free(sd);
    *key = hash_bytes(14695981039346656037u, side, (size_t)w * h);
    *out = side;
    return SMP_OK;
}

/* --match auto behind a drawn hairline: the bald skin --area auto finds
 * stops where stubble starts, and a bay of thinner stubble between the
 * bald top and the dense stubble (above the temple, in a side view) stays
 * lighter than both once the top matches the dense stubble, with bare
 * spots in it that the area took in as dark smudges.  A practitioner draws
 * round the bald top, bays and all: the area takes in its convex hull
 * behind the line (never ahead of it: the forehead; nor outside the head,
 * which is convex round the area), and the fill (match.c) tops up the
 * thinner stubble there and leaves the dense stubble be.  The hull's new
 * edge runs through stubble that may be thinner than the match's, so the
 * dots fade out toward it over BAY_FADE_MM: no step, no straight line.
 * *ADDED gets the pixels taken in. */
#define BAY_FADE_MM 10.0
static smp_status close_into_stubble(smp_layout *L, size_t *added, smp_error *err)
{
    area *a = &L->area;
    int w = L->photo.w, h = L->photo.h;
    size_t n = (size_t)w * h, count, k;
    *added = 0;
    if (!a->mask.px || a->mask.w != w || a->mask.h != h || !a->fill || !L->has_line) return SMP_OK;
    uint8_t *m = malloc(n);
    vec2 *hull = NULL;
    uint64_t key;
    if (!m) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < n; i++) m[i] = a->mask.px[i] >= 128;
    smp_status st = SMP_OK;
    if (scalp_hull(m, w, h, &hull, &k, &count)) st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    /* The line's sides, as --area auto found them (once per layout). */
    if (st == SMP_OK && hull && !L->line_side) st = line_sides(L, &L->line, &L->line_side, &key, err);
    const uint8_t *side = L->line_side;
    uint8_t *in_hull = st == SMP_OK && hull ? calloc(n, 1) : NULL;
    if (st == SMP_OK && hull && !in_hull) st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    if (in_hull) {
        /* The hull, less the area itself and what lies ahead of the line. */
        scalp_hull_fill(hull, k, w, h, in_hull, 1);
        for (size_t i = 0; i < n; i++) {
            if (!in_hull[i] || m[i] || side[i] != 2) continue;
            a->mask.px[i] = 255;
            m[i] = 2;
            (*added)++;
        }
        free(in_hull);
    }
    float *in = NULL;
    if (st == SMP_OK && *added) {
        /* The share of the area within BAY_FADE_MM: a half at its edge. */
        float *t = malloc(n * sizeof *t);
        if (!t || !(in = malloc(n * sizeof *in))) {
            free(t);
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        } else {
            for (size_t i = 0; i < n; i++) t[i] = m[i] != 0;
            scalp_box_mean(t, in, w, h, (int)fmax(1, lround(BAY_FADE_MM * L->scale)));
            free(t);
            for (size_t i = 0; i < n; i++)
                if (m[i] == 2) a->fill[i] *= fminf(1, fmaxf(0, 2 * in[i] - 1));
        }
    }
    free(in);
    a->area_mm2 += *added / (L->scale * L->scale);
    free(m);
    free(hull);
    return st;
}

/* A note for the user, after those made before it (SMP_NOTES at most). */
static void add_note(smp_layout *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(smp_layout *L, const char *fmt, ...)
{
    if (L->n_notes >= SMP_NOTES) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->notes[L->n_notes++], sizeof L->notes[0], fmt, ap);
    va_end(ap);
}

/* The photo's softness (scalp_softness) round the area's bounds, SOFT_AROUND_MM
 * more each way, in mm.  A mask's bounds are read on every fourth pixel
 * each way: a 12 MP mask read whole costs a studio drag 10 ms. */
#define SOFT_AROUND_MM 10.0
static double photo_softness(const smp_layout *L)
{
    const area *a = &L->area;
    double x0, y0, x1, y1, m = SOFT_AROUND_MM;
    if (a->mask.px && !a->poly) {
        int mx0 = a->mask.w, my0 = a->mask.h, mx1 = -1, my1 = -1;
        for (int y = 0; y < a->mask.h; y += 4)
            for (int x = 0; x < a->mask.w; x += 4)
                if (a->mask.px[(size_t)y * a->mask.w + x] >= 128) {
                    if (x < mx0) mx0 = x;
                    if (x > mx1) mx1 = x;
                    if (y < my0) my0 = y;
                    if (y > my1) my1 = y;
                }
        if (mx1 < 0) return 0;
        x0 = mx0 / a->scale; y0 = my0 / a->scale; x1 = (mx1 + 4) / a->scale; y1 = (my1 + 4) / a->scale;
    } else {
        area_bounds(a, &x0, &y0, &x1, &y1);
    }
    int box[4] = {(int)floor((x0 - m) * L->scale), (int)floor((y0 - m) * L->scale), (int)ceil((x1 + m) * L->scale),
                  (int)ceil((y1 + m) * L->scale)};
    return scalp_softness(&L->photo, box) / L->scale;
}

/* The warmth of the client's skin in the area (render.c's shine: red over
 * the lesser of green and blue, as a share of the brightest channel): the
 * median over the area's pixels lit as skin is, below the shine's range
 * (darkest channel under 172) and above hair's (over 60), some 100,000 of
 * them at most; 0 when fewer than 200. */
#define WARMTH_SAMPLES 100000
static double photo_skin_warmth(const smp_layout *L)
{
    const area *a = &L->area;
    const photo *p = &L->photo;
    double x0, y0, x1, y1;
    area_bounds(a, &x0, &y0, &x1, &y1);
    int px0 = (int)fmax(0, floor(x0 * L->scale)), py0 = (int)fmax(0, floor(y0 * L->scale));
    int px1 = (int)fmin(p->w, ceil(x1 * L->scale)), py1 = (int)fmin(p->h, ceil(y1 * L->scale));
    if (px1 <= px0 || py1 <= py0) return 0;
    double cells = (double)(px1 - px0) * (py1 - py0);
    int step = cells > WARMTH_SAMPLES ? (int)ceil(sqrt(cells / WARMTH_SAMPLES)) : 1;
    size_t cap = (size_t)((px1 - px0 + step - 1) / step) * (size_t)((py1 - py0 + step - 1) / step), n = 0;
    float *w = malloc(cap * sizeof *w);
    if (!w) return 0; /* the default thresholds */
    for (int y = py0; y < py1; y += step) {
        const uint32_t *row = (const uint32_t *)(p->px + (size_t)y * p->stride);
        for (int x = px0; x < px1; x += step) {
            uint32_t v = row[x];
            int r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
            int gb = g < b ? g : b, mn = r < gb ? r : gb, mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
            if (mn <= 60 || mn >= 172) continue;
            if (!area_contains(a, v2((x + 0.5) / L->scale, (y + 0.5) / L->scale))) continue;
            w[n++] = (float)(r > gb ? (double)(r - gb) / mx : 0);
        }
    }
    double med = n >= 200 ? scalp_median(w, n) : 0;
    free(w);
    return med;
}

smp_status scene_build(smp_layout *L, const smp_plan *plan, smp_error *err)
{
    return scene_build_cached(L, plan, NULL, err);
}

smp_status scene_build_cached(smp_layout *L, const smp_plan *plan, scene_cache *cache, smp_error *err)
{
    smp_status st;
    if ((st = build_scene(L, plan_settings(plan), cache, err)) != SMP_OK) return st;
    const settings *s = &L->mm;
    /* Thinning with no area given treats the thinning region the scene
     * finds, not arms, a face or a warm wall that look like skin. */
    int thinning_auto = s->thinning && s->photo && !s->polygon && !s->area_mask && !s->area_auto;
    uint8_t *mask = NULL;
    if (s->area_auto || thinning_auto) {
        /* The scene finds the scalp itself. */
        char doubt[sizeof L->notes[0]];
        /* Only a line placed on the photo bounds it: a shape with no
         * anchors (a preset's) goes where the area would put it, and the
         * area is what is being looked for. */
        int bounded = s->hl_points || (s->shape != SHAPE_NONE && s->has_anchors);
        /* A face the detector is sure of is a frontal view: its forehead
         * takes a hairline to bound it, whatever the skin looks like. */
        if (L->face.found && !bounded) {
            st = smp_fail(err, SMP_EINPUT, 1,
                          "%s: a face is in view (at %.0f,%.0f to %.0f,%.0f): give --hairline with --anchors (or "
                          "--anchors auto) to bound the forehead, or --area-polygon or --area-mask",
                          s->photo, L->face.box[0], L->face.box[1], L->face.box[2], L->face.box[3]);
            return st;
        }
        /* With the face to a side the photo is a side view: the bald top
         * runs on over the temple into the forehead and the face, down to
         * the ear and the cheek, and only a hairline can say where the
         * scalp stops (a side view's face is no frontal one the detector
         * knows, and it need not reach the photo's edge). */
        if ((s->face == FACE_LEFT || s->face == FACE_RIGHT) && !bounded)
            return smp_fail(err, SMP_EINPUT, 1,
                            "%s: --face %s is a side view, whose bald top runs on over the temple into the face, the "
                            "ear and the cheek: give --hairline with --anchors to bound the forehead, or --area-polygon "
                            "or --area-mask",
                            s->photo, s->face == FACE_LEFT ? "left" : "right");
        scalp_hint hint = {bounded ? -1 : (int)s->face, s->thinning, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0};
        if (bounded) {
            /* Just behind the line's middle: 10 mm from the front anchor,
             * or the free line's middle point, away from the face. */
            vec2 mid = s->hl_points ? s->hl_points[s->hl_n / 2] : s->anchors[1];
            vec2 seed = v2_scale(v2_sub(mid, v2_scale(face_vector(s->face), 10)), L->scale);
            hint.has_seed = s->hl_points || s->has_anchors;
            hint.seed[0] = seed.x;
            hint.seed[1] = seed.y;
            /* The line, built once here in the frame the area will have
             * (the photo's, in mm), and kept for the later stages. */
            if (hint.has_seed) {
                if ((st = hairline_build(s, L->photo.w / L->scale, L->photo.h / L->scale, &L->line, err)) != SMP_OK)
                    return st;
                L->has_line = 1;
                if ((st = line_sides(L, &L->line, &L->line_side, &hint.side_key, err)) != SMP_OK) return st;
            }
            hint.side = L->line_side;
            /* The line's own points: the anchors, or a free line's. */
            const vec2 *pts = s->hl_points ? s->hl_points : s->anchors;
            size_t np = s->hl_points ? s->hl_n : 3;
            hint.line_box[0] = hint.line_box[1] = INFINITY;
            hint.line_box[2] = hint.line_box[3] = -INFINITY;
            for (size_t k = 0; k < np; k++) {
                hint.line_box[0] = fmin(hint.line_box[0], pts[k].x * L->scale);
                hint.line_box[1] = fmin(hint.line_box[1], pts[k].y * L->scale);
                hint.line_box[2] = fmax(hint.line_box[2], pts[k].x * L->scale);
                hint.line_box[3] = fmax(hint.line_box[3], pts[k].y * L->scale);
            }
        }
        /* Thinning with nothing standing out is refused like --area auto:
         * dots "wherever scalp shows" in the photo would find a face, an
         * arm or a wall. */
        memset(doubt, 0, sizeof doubt);
        st = detect_scalp(L, &hint, cache, &mask, doubt, sizeof doubt, err);
        if (st != SMP_OK) return st;
        if (doubt[0]) {
            int had = L->n_notes;
            add_note(L, "%s", doubt);
            if (L->n_notes > had) L->doubt_note = L->n_notes;
        }
    }
    if (mask) {
        grey_image g = {L->photo.w, L->photo.h, mask};
        if ((st = area_build_mask(s, &g, &L->area, err)) != SMP_OK) { free(g.px); return st; }
    } else if ((st = area_build(s, &L->area, err)) != SMP_OK) {
        return st;
    }
    if (L->face.found && (st = exclude_face(L, err)) != SMP_OK) return st;
    if (L->photo.px && L->scale > 0 && (s->polygon || s->area_mask) && !s->area_auto && !s->thinning && !s->patch_poly &&
        !s->patch_mask) {
        double took;
        if ((st = exclude_off_head(L, cache, &took, err)) != SMP_OK) return st;
        if (took >= 10)
            add_note(L, "%.1f cm^2 of the area drawn lies past the head's outline (the wall or clothes): no dots there",
                     took / 100);
    }
    /* The ears, wherever the face is looked for, to keep them out. */
    if (L->photo.px && L->scale > 0 && (s->anchors_auto || s->area_auto || s->thinning || L->scale_estimated)) {
        if ((st = find_ears(L, cache, err)) != SMP_OK) return st;
        if (L->ears.n && (st = exclude_ears(L, err)) != SMP_OK) return st;
    }
    /* Where the photo beside the area is no bare skin (the client's hair,
     * the room past the head's outline), the soft edge is narrow (field.c). */
    if (L->photo.px && s->edge_mm > 0) {
        if ((st = not_bare_beside(L, cache, err)) != SMP_OK) return st;
        L->area.not_bare_scale = L->scale;
        /* The room found past the outline is no skin, whatever its colour
         * (a pink wall 25 from the skin's passed for it, and the dots
         * faded out over the head's last 5 mm). */
        grey_image *nb = &L->area.not_bare;
        if (L->kept && nb->px && nb->w == L->photo.w && nb->h == L->photo.h)
            for (size_t i = 0, n = (size_t)nb->w * nb->h; i < n; i++)
                if (L->kept[i]) nb->px[i] = 255;
    }
    if (s->shape != SHAPE_NONE || s->hl_points) {
        if (!L->has_line && (st = hairline_build(s, L->area.w, L->area.h, &L->line, err)) != SMP_OK) return st;
        L->has_line = 1;
        /* The face lies across the temple line, never along it: a --face
         * that runs along the anchors is a mistake to point out. */
        if (s->has_anchors) {
            vec2 across = v2_sub(L->line.anchors[2], L->line.anchors[0]);
            double len = v2_len(across);
            static const char *names[] = {"down", "up", "left", "right"};
            /* A face found in the photo lies on the --face side of the
             * temple line. */
            vec2 mid = v2_scale(v2_add(L->line.anchors[0], L->line.anchors[2]), 0.5);
            vec2 seen = v2_scale(v2((L->face.box[0] + L->face.box[2]) / 2, (L->face.box[1] + L->face.box[3]) / 2),
                                 1 / L->scale);
            if (len > 0 && fabs(v2_dot(across, face_vector(s->face))) / len > 0.7)
                add_note(L,
                         "--face %s runs along the temple points, not across them: the face is probably %s; check "
                         "--face",
                         names[s->face], fabs(across.x) > fabs(across.y) ? "up or down" : "left or right");
            else if (L->face.found && v2_dot(v2_sub(seen, mid), face_vector(s->face)) < 0)
                add_note(L,
                         "the face found in the photo is on the other side of the temple points from --face %s; "
                         "check --face",
                         names[s->face]);
        }
    }
    if ((st = regions_build(s, L->photo.px ? &L->photo : NULL, L->photo.px ? L->scale : s->scale, &L->regions, err)) !=
        SMP_OK)
        return st;
    if (s->thinning && L->photo.px && (st = regions_take_in_vertex(&L->regions, &L->area, err)) != SMP_OK) return st;
    /* Thinning leaves bare skin far from any hair alone: on a bald top
     * it treats a frame round a bare window, which a note explains. */
    if (s->thinning && L->photo.px) {
        double bare = regions_bare_share(&L->regions, &L->area);
        if (bare > THIN_BARE_NOTE)
            add_note(L,
                     "thinning mode leaves %.0f %% of the area alone: bare skin with next to no hair within 10 mm "
                     "(a bald top, not thinning); for a bald area use --area auto",
                     100 * bare);
    }
    /* No area, no dots: on a photo, dots go only where the user or the
     * photo (--area auto, thinning, patches) says, never over the whole
     * picture with its face, wall and shirt. */
    const settings *given = plan_settings(plan);
    if (L->photo.px && !(given->area_w > 0) && !given->polygon && !given->area_mask && !given->area_auto &&
        !given->thinning && !given->patch_poly && !given->patch_mask) {
        st = smp_fail(err, SMP_EVALUE, 0,
                      "%s: no treatment area: give --area-polygon, --area-mask or --area auto (or --mode thinning, "
                      "--patch-polygon, --patch-mask)",
                      s->photo);
        return st;
    }
    patch_levels lv = {0};
    if (s->density_auto &&
        (st = regions_patch_levels(&L->regions, &L->photo, s->photo, L->scale, &L->area, &lv, err)) != SMP_OK)
        return st;
    if (s->dilution_auto) {
        /* The shade stage: the suggestion becomes the plan's dilution.
         * With patches to match, the skin is the patches' own and the
         * hair is the hair around them. */
        st = lv.core ? shade_measure(&L->photo, lv.core, s->photo, &L->shade, err)
                     : shade_measure_area(&L->photo, &L->area, L->scale, s->photo, &L->shade, err);
        if (st != SMP_OK) { free(lv.core); return st; }
        L->has_shade = 1;
        L->mm.dilution = L->shade.dilution;
    }
    free(lv.core);
    if (s->density_auto && (st = match_density(L, &lv, err)) != SMP_OK) return st;
    /* The photo's own softness round the area: dots drawn on a soft photo
     * are as soft, not crisp specks on it.  Before the match, whose test
     * patch is drawn the same way. */
    if (L->photo.px) {
        L->mm.photo_soft_mm = photo_softness(L);
        L->mm.photo_skin_warmth = photo_skin_warmth(L);
    }
    if (s->match_auto) {
        /* The client's own hair decides the dots: after the shade, which
         * it overrides where it found stubble. */
        if (L->regions.patch_poly || L->regions.patch_mask.v) {
            /* With patches, the dots go only there: the patches are
             * the area whose skin and surroundings the match reads. */
            grey_image g = {L->photo.w, L->photo.h, regions_patch_raster(&L->regions, L->photo.w, L->photo.h, L->scale)};
            area pa;
            if (!g.px) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            if ((st = area_build_mask(s, &g, &pa, err)) != SMP_OK) {
                area_free(&pa);
                free(g.px);
                return st;
            }
            st = match_hair(&L->photo, L->scale, &pa, &L->mm, &L->hair, err);
            free(L->area.fill);
            free(L->area.tone);
            L->area.fill = pa.fill;
            L->area.tone = pa.tone;
            L->area.fill_w = pa.fill_w;
            L->area.fill_h = pa.fill_h;
            L->area.not_bare_scale = L->scale; /* the fill's px per mm, as the not-bare map's */
            pa.fill = NULL;
            pa.tone = NULL;
            area_free(&pa);
            if (st != SMP_OK) return st;
        } else if ((st = match_hair(&L->photo, L->scale, &L->area, &L->mm, &L->hair, err)) != SMP_OK) {
            return st;
        }
        L->has_hair = 1;
        size_t added = 0;
        if (L->hair.found && !L->hair.light && s->area_auto && (s->shape != SHAPE_NONE || s->hl_points) &&
            (st = close_into_stubble(L, &added, err)) != SMP_OK)
            return st;
        if (added) {
            size_t r = strlen(L->hair.reason);
            snprintf(L->hair.reason + r, sizeof L->hair.reason - r,
                     "; the area takes in the %.1f cm^2 of its bays behind the hairline, thinner stubble topped up",
                     added / (L->scale * L->scale) / 100);
        }
        if (L->hair.found && L->has_shade) {
            L->shade.dilution = L->mm.dilution;
            size_t r = strlen(L->shade.reason);
            snprintf(L->shade.reason + r, sizeof L->shade.reason - r, "; --match auto took %g to match the stubble",
                     L->mm.dilution);
        }
    }
    int stubble = L->has_hair && L->hair.found;
    if (s->shave && L->photo.px && !L->has_hair) {
        hair_match kind;
        if ((st = match_hair_kind(&L->photo, L->scale, &L->area, s, &kind, &stubble, err)) != SMP_OK) return st;
    }
    if (s->shave && stubble) {
        /* Stubble round the area (as --match auto reads it): the head is
         * buzzed already, and the dark specks of a dense buzz cut would
         * pass for long hair in shave_build's ring (the crown sample:
         * 81 %; light-stubble-back.jpg's shaded rim and room: 65 %). */
        add_note(L, "--shave: the hair around the area is stubble already: nothing to cut");
    } else if (s->shave) {
        if ((st = shave_build(&L->photo, L->scale, &L->area, &L->shave, err)) != SMP_OK) return st;
        if (L->shave.note[0]) add_note(L, "%s", L->shave.note);
    } else if (L->photo.px && !s->thinning && !L->regions.patch_poly && !L->regions.patch_mask.v) {
        /* The after shows the dots as they read on a head kept buzzed:
         * next to long hair that is a grey wash beside dark strands, so
         * say so when long hair borders the area (as the match reads it;
         * without --match auto, only that far: about 60 ms on a 640 px
         * photo).  With CACHE (the studio), read once for the area as
         * given (automatic, a polygon, a mask file) at this scale: a
         * dragged anchor moves an automatic area's front, not the hair
         * round it, and 60 ms is most of a drag's budget. */
        hair_match kind;
        const hair_match *h = &L->hair;
        if (!L->has_hair && !cache) {
            if ((st = match_hair_kind(&L->photo, L->scale, &L->area, s, &kind, NULL, err)) != SMP_OK) return st;
            h = &kind;
        } else if (!L->has_hair) {
            uint64_t key = hash_bytes(14695981039346656037u, &L->scale, sizeof L->scale);
            key = hash_bytes(key, &s->area_auto, sizeof s->area_auto);
            if (!s->area_auto && L->area.poly) key = hash_bytes(key, L->area.poly, L->area.poly_n * sizeof *L->area.poly);
            if (!s->area_auto && s->area_mask) key = hash_bytes(key, s->area_mask, strlen(s->area_mask));
            key |= 1; /* never 0, "none" */
            if (cache->hair_kind_key != key) {
                if ((st = match_hair_kind(&L->photo, L->scale, &L->area, s, &kind, NULL, err)) != SMP_OK) return st;
                cache->hair_kind_long = kind.long_hair;
                cache->hair_kind_key = key;
            }
            memset(&kind, 0, sizeof kind);
            kind.long_hair = cache->hair_kind_long;
            h = &kind;
        }
        if (h->long_hair)
            add_note(L, "long hair lies round the area: the after shows it as SMP reads on a head kept shaved; for "
                        "dots under the hair use --mode thinning, and to show the rest shaved give that part as the "
                        "area with --shave");
    }
    return SMP_OK;
}
