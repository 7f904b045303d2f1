/* pipeline: runs the stages from a resolved plan to the dots and owns
 * what each makes (smp_layout, layout.h):
 *
 *   plan -> scene (scene.c) -> field (field.c) -> layout (sampler.c)
 *        -> pigment (pigment.c: each impression's size, ink and depth)
 *
 * then render (render.c), compose (preview.c, print.c) and write
 * (export.c, image.c) take the result. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "clock.h"
#include "field.h"
#include "layout.h"
#include "pigment.h"
#include "sampler.h"
#include "scene.h"
#include "status.h"

smp_status smp_layout_new(const smp_plan *plan, smp_layout **outp, smp_error *err)
{
    return smp_layout_new_cached(plan, NULL, outp, err);
}

smp_status smp_layout_scene(const smp_plan *plan, scene_cache *cache, smp_layout **outp, smp_error *err)
{
    *outp = NULL;
    smp_layout *L = calloc(1, sizeof *L);
    if (!L) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    smp_status st = scene_build_cached(L, plan, cache, err);
    if (st != SMP_OK) {
        smp_layout_free(L);
        return st;
    }
    *outp = L;
    return SMP_OK;
}

smp_status smp_layout_new_cached(const smp_plan *plan, scene_cache *cache, smp_layout **outp, smp_error *err)
{
    *outp = NULL;
    smp_layout *L = calloc(1, sizeof *L);
    if (!L) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    smp_status st;
    double t0 = smp_seconds();
    if ((st = scene_build_cached(L, plan, cache, err)) != SMP_OK) goto fail;
    const settings *s = &L->mm;
    double t1 = smp_seconds();
    /* With a cache, the area's soft edge of the last layout when the area is the same. */
    int reuse = cache && L->edge_key && cache->edge_key == L->edge_key;
    if ((st = field_build_edge_from(s, &L->area, L->has_line ? &L->line : NULL, &L->regions,
                                    reuse ? &cache->edge : NULL, &L->field, err)) != SMP_OK)
        goto fail;
    if (cache && L->edge_key && !reuse) {
        cache->edge_key = 0;
        if ((st = field_keep_edge(&L->field, &cache->edge, err)) != SMP_OK) goto fail;
        cache->edge_key = L->edge_key;
    }
    if ((st = shave_stubble(&L->shave, &L->field, s, err)) != SMP_OK) goto fail;
    /* Refuse a request past the dot limit before making it: a coarse
     * integral is enough to say how many it would make. */
    double rough = field_integrate(&L->field, 1.0, 40000);
    if (rough > SMP_MAX_DOTS) {
        st = smp_fail(err, SMP_ELIMIT, 0, "the plan would make about %.0f dots; the limit is %.0f", rough, SMP_MAX_DOTS);
        goto fail;
    }
    double t2 = smp_seconds();
    size_t expect = (size_t)(rough * (s->clustering ? 1.1 : 1.0));
    if ((st = sampler_fill(&L->field, s, expect, &L->dots, err)) != SMP_OK) goto fail;
    pigment pg;
    pigment_from_settings(&pg, s);
    pigment_apply(&pg, s->seed, L->dots.d, L->dots.n);
    show_state show;
    show_state_from_settings(&show, s);
    if (show.upto >= s->sessions && !show.fresh_session && show.years == 0) {
        /* Healed, every session: the dots as they are, no copy. */
        L->shown = L->dots.d;
        L->n_shown = L->dots.n;
    } else {
        L->shown = bulk_alloc((L->dots.n ? L->dots.n : 1) * sizeof *L->shown);
        if (!L->shown) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto fail; }
        L->owns_shown = 1;
        L->n_shown = pigment_show(&show, L->dots.d, L->dots.n, L->shown);
    }
    double t3 = smp_seconds();
    L->stats.dots = L->n_shown;
    L->stats.seconds_scene = t1 - t0;
    L->stats.seconds_field = t2 - t1;
    L->stats.seconds_layout = t3 - t2;
    L->stats.tile_period_mm = sampler_period_mm(L->field.lambda_max);
    L->stats.expected_dots = field_integrate(&L->field, 0.5, 1e6);
    L->stats.area_cm2 = L->area.area_mm2 / 100.0;
    L->stats.mean_density = L->stats.area_cm2 > 0 ? L->n_shown / L->stats.area_cm2 : 0;
    *outp = L;
    return SMP_OK;
fail:
    smp_layout_free(L);
    return st;
}

void smp_layout_free(smp_layout *L)
{
    if (!L) return;
    if (L->owns_shown) free(L->shown);
    dot_list_free(&L->dots);
    for (int i = 0; i < 5; i++) free(L->owned[i]);
    regions_free(&L->regions);
    free(L->kept);
    if (!L->ears_borrowed) ears_free(&L->ears);
    shave_free(&L->shave);
    if (!L->photo_borrowed) photo_free(&L->photo);
    field_free(&L->field);
    hairline_free(&L->line);
    free(L->line_side);
    area_free(&L->area);
    free(L);
}

size_t smp_layout_count(const smp_layout *L) { return L->n_shown; }
const smp_dot *smp_layout_dots(const smp_layout *L) { return L->shown; }
void smp_layout_get_stats(const smp_layout *L, smp_layout_stats *st) { *st = L->stats; }
double smp_layout_area_confidence(const smp_layout *L) { return L->area_confidence; }
double smp_layout_photo_softness(const smp_layout *L) { return L->mm.photo_soft_mm; }

int smp_layout_shade(const smp_layout *L, smp_shade *out)
{
    if (L->has_shade) *out = L->shade;
    return L->has_shade;
}

const char *smp_layout_note(const smp_layout *L) { return smp_layout_note_at(L, 0); }

const char *smp_layout_note_at(const smp_layout *L, int i) { return i >= 0 && i < L->n_notes ? L->notes[i] : NULL; }

const char *smp_layout_suggestion(const smp_layout *L) { return L->suggestion[0] ? L->suggestion : NULL; }

int smp_layout_anchors_auto(const smp_layout *L, double xy[6])
{
    if (!L->suggestion[0]) return 0;
    for (int i = 0; i < 3; i++) { xy[2 * i] = L->anchors_px[i].x; xy[2 * i + 1] = L->anchors_px[i].y; }
    return 1;
}

int smp_layout_kept_out(const smp_layout *L, double face[4], double ears[2][4], int *n_ears)
{
    *n_ears = 0;
    if (L->face.found)
        for (int k = 0; k < 4; k++) face[k] = L->face.box[k];
    for (int e = 0; e < L->ears.n && e < 2; e++) {
        for (int k = 0; k < 4; k++) ears[e][k] = L->ears.box[e][k];
        (*n_ears)++;
    }
    return L->face.found != 0;
}

int smp_layout_hair_match(const smp_layout *L, smp_hair_match *out)
{
    if (L->has_hair) *out = L->hair;
    return L->has_hair;
}

int smp_layout_density_match(const smp_layout *L, smp_density_match *out)
{
    if (L->has_match) *out = L->match;
    return L->has_match;
}

int smp_layout_photo_scale(const smp_layout *L, double *px_per_mm)
{
    *px_per_mm = L->scale;
    return L->photo.px ? 1 + L->scale_estimated : 0;
}

void smp_layout_frame(const smp_layout *L, double *w, double *h)
{
    *w = L->area.w;
    *h = L->area.h;
}
