#include "area.h"

#include <math.h>
#include <string.h>

#include "status.h"

smp_status area_build(const settings *s, area *a, smp_error *err)
{
    memset(a, 0, sizeof *a);
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
    if (a) grey_image_free(&a->mask);
}

int area_contains(const area *a, vec2 p)
{
    if (p.x < 0 || p.y < 0 || p.x >= a->w || p.y >= a->h) return 0;
    if (a->mask.px) {
        int i = (int)(p.x * a->scale), j = (int)(p.y * a->scale);
        if (i >= a->mask.w) i = a->mask.w - 1;
        if (j >= a->mask.h) j = a->mask.h - 1;
        return a->mask.px[(size_t)j * (size_t)a->mask.w + (size_t)i] >= 128;
    }
    if (a->poly) return geom_in_polygon(p, a->poly, a->poly_n);
    return 1;
}
