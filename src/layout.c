/* layout: runs the pipeline from a resolved plan to the dots:
 * scene (area, hairline) -> field -> sampler.  Owns what each stage makes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "area.h"
#include "field.h"
#include "hairline.h"
#include "layout.h"
#include "sampler.h"
#include "status.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

smp_status smp_layout_new(const smp_plan *plan, smp_layout **outp, smp_error *err)
{
    *outp = NULL;
    const settings *s = plan_settings(plan);
    smp_layout *L = calloc(1, sizeof *L);
    if (!L) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    smp_status st;
    double t0 = now();
    if ((st = area_build(s, &L->area, err)) != SMP_OK) goto fail;
    if (s->shape != SHAPE_NONE || s->hl_points) {
        if ((st = hairline_build(s, L->area.w, L->area.h, &L->line, err)) != SMP_OK) goto fail;
        L->has_line = 1;
    }
    double t1 = now();
    if ((st = field_build(s, &L->area, L->has_line ? &L->line : NULL, &L->field, err)) != SMP_OK) goto fail;
    /* Refuse a request past the dot limit before making it: a coarse
     * integral is enough to say how many it would make. */
    double rough = field_integrate(&L->field, 1.0, 40000);
    if (rough > SMP_MAX_DOTS) {
        st = smp_fail(err, SMP_ELIMIT, 0, "the plan would make about %.0f dots; the limit is %.0f", rough, SMP_MAX_DOTS);
        goto fail;
    }
    double t2 = now();
    if ((st = sampler_fill(&L->field, s, &L->dots, err)) != SMP_OK) goto fail;
    double t3 = now();
    L->stats.dots = L->dots.n;
    L->stats.seconds_scene = t1 - t0;
    L->stats.seconds_field = t2 - t1;
    L->stats.seconds_layout = t3 - t2;
    L->stats.tile_period_mm = sampler_period_mm(L->field.lambda_max);
    L->stats.expected_dots = field_integrate(&L->field, 0.5, 1e6);
    L->stats.area_cm2 = L->area.area_mm2 / 100.0;
    L->stats.mean_density = L->stats.area_cm2 > 0 ? L->dots.n / L->stats.area_cm2 : 0;
    *outp = L;
    return SMP_OK;
fail:
    smp_layout_free(L);
    return st;
}

void smp_layout_free(smp_layout *L)
{
    if (!L) return;
    dot_list_free(&L->dots);
    field_free(&L->field);
    hairline_free(&L->line);
    area_free(&L->area);
    free(L);
}

size_t smp_layout_count(const smp_layout *L) { return L->dots.n; }
const smp_dot *smp_layout_dots(const smp_layout *L) { return L->dots.d; }
void smp_layout_get_stats(const smp_layout *L, smp_layout_stats *st) { *st = L->stats; }
void smp_layout_frame(const smp_layout *L, double *w, double *h)
{
    *w = L->area.w;
    *h = L->area.h;
}
