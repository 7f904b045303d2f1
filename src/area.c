#include "area.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

static smp_status area_shape(const settings *s, area *a, smp_error *err);

smp_status area_build(const settings *s, area *a, smp_error *err)
{
    memset(a, 0, sizeof *a);
    smp_status st = area_shape(s, a, err);
    if (st != SMP_OK || !s->exclude_mask) return st;
    if (s->scale <= 0) {
        area_free(a);
        return smp_fail(err, SMP_EVALUE, 0, "--exclude-mask needs --scale PX_PER_MM or a photo");
    }
    if ((st = image_read_grey_png(s->exclude_mask, &a->exclude, err)) != SMP_OK) {
        area_free(a);
        return st;
    }
    a->scale = s->scale;
    if (fabs(a->exclude.w / s->scale - a->w) > 1 / s->scale || fabs(a->exclude.h / s->scale - a->h) > 1 / s->scale) {
        smp_fail(err, SMP_EINPUT, 1, "%s: the exclusion mask must cover the frame: %dx%d pixels", s->exclude_mask,
                 (int)lround(a->w * s->scale), (int)lround(a->h * s->scale));
        area_free(a);
        return SMP_EINPUT;
    }
    size_t off = 0, npx = (size_t)a->exclude.w * a->exclude.h;
    for (size_t i = 0; i < npx; i++) off += a->exclude.px[i] >= 128;
    a->area_mm2 = fmax(0, a->area_mm2 - off / (s->scale * s->scale));
    return SMP_OK;
}

smp_status area_build_mask(const settings *s, grey_image *mask, area *a, smp_error *err)
{
    settings t = *s;
    t.area_mask = NULL;
    t.polygon = NULL;
    smp_status st = area_build(&t, a, err); /* the frame and any exclusion */
    if (st != SMP_OK) return st;
    a->mask = *mask;
    memset(mask, 0, sizeof *mask);
    a->scale = s->scale;
    a->w = a->mask.w / s->scale;
    a->h = a->mask.h / s->scale;
    size_t on = 0, npx = (size_t)a->mask.w * a->mask.h;
    for (size_t i = 0; i < npx; i++) on += a->mask.px[i] >= 128;
    a->area_mm2 = (double)on / (s->scale * s->scale);
    return SMP_OK;
}

static smp_status area_shape(const settings *s, area *a, smp_error *err)
{
    if (s->area_mask) {
        smp_status st = image_read_grey_png(s->area_mask, &a->mask, err);
        if (st != SMP_OK) return st;
        a->scale = s->scale;
        a->w = a->mask.w / s->scale;
        a->h = a->mask.h / s->scale;
        size_t on = 0, npx = (size_t)a->mask.w * (size_t)a->mask.h;
        for (size_t i = 0; i < npx; i++) on += a->mask.px[i] >= 128;
        if (!on) {
            area_free(a);
            return smp_fail(err, SMP_EINPUT, 1, "%s: the mask has no white pixels: nothing to treat", s->area_mask);
        }
        a->area_mm2 = (double)on / (s->scale * s->scale);
        if (a->w > SMP_MAX_AREA_MM || a->h > SMP_MAX_AREA_MM) {
            area_free(a);
            return smp_fail(err, SMP_ELIMIT, 1, "%s: at this scale the mask spans more than 20000 mm", s->area_mask);
        }
        return SMP_OK;
    }
    if (s->polygon) {
        double mx = 0, my = 0;
        for (size_t i = 0; i < s->polygon_n; i++) {
            if (s->polygon[i].x > mx) mx = s->polygon[i].x;
            if (s->polygon[i].y > my) my = s->polygon[i].y;
        }
        a->poly = s->polygon;
        a->poly_n = s->polygon_n;
        a->w = s->area_w > 0 ? s->area_w : mx;
        a->h = s->area_h > 0 ? s->area_h : my;
        if (mx > SMP_MAX_AREA_MM || my > SMP_MAX_AREA_MM)
            return smp_fail(err, SMP_ELIMIT, 0, "--area-polygon: spans more than 20000 mm");
        a->area_mm2 = geom_polygon_area(s->polygon, s->polygon_n);
        return SMP_OK;
    }
    a->w = s->area_w;
    a->h = s->area_h;
    a->area_mm2 = a->w * a->h;
    return SMP_OK;
}

void area_free(area *a)
{
    if (!a) return;
    grey_image_free(&a->mask);
    grey_image_free(&a->exclude);
    grey_image_free(&a->darker);
    free(a->fill);
    a->fill = NULL;
}

static int mask_at(const grey_image *m, double scale, vec2 p)
{
    int i = (int)(p.x * scale), j = (int)(p.y * scale);
    if (i >= m->w) i = m->w - 1;
    if (j >= m->h) j = m->h - 1;
    return m->px[(size_t)j * (size_t)m->w + (size_t)i] >= 128;
}

int area_contains(const area *a, vec2 p)
{
    if (p.x < 0 || p.y < 0 || p.x >= a->w || p.y >= a->h) return 0;
    if (a->exclude.px && mask_at(&a->exclude, a->scale, p)) return 0;
    if (a->mask.px) return mask_at(&a->mask, a->scale, p);
    if (a->poly) return geom_in_polygon(p, a->poly, a->poly_n);
    return 1;
}

void area_bounds(const area *a, double *x0, double *y0, double *x1, double *y1)
{
    *x0 = 0; *y0 = 0; *x1 = a->w; *y1 = a->h;
    if (a->poly) {
        *x0 = *y0 = INFINITY;
        *x1 = *y1 = -INFINITY;
        for (size_t i = 0; i < a->poly_n; i++) {
            *x0 = fmin(*x0, a->poly[i].x); *x1 = fmax(*x1, a->poly[i].x);
            *y0 = fmin(*y0, a->poly[i].y); *y1 = fmax(*y1, a->poly[i].y);
        }
    } else if (a->mask.px) {
        int mx0 = a->mask.w, my0 = a->mask.h, mx1 = -1, my1 = -1;
        for (int y = 0; y < a->mask.h; y++)
            for (int x = 0; x < a->mask.w; x++)
                if (a->mask.px[(size_t)y * a->mask.w + x] >= 128) {
                    if (x < mx0) mx0 = x;
                    if (x > mx1) mx1 = x;
                    if (y < my0) my0 = y;
                    if (y > my1) my1 = y;
                }
        *x0 = mx0 / a->scale; *y0 = my0 / a->scale; *x1 = (mx1 + 1) / a->scale; *y1 = (my1 + 1) / a->scale;
    }
    *x0 = fmax(0, *x0); *y0 = fmax(0, *y0); *x1 = fmin(a->w, *x1); *y1 = fmin(a->h, *y1);
}
