#include "area.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

static smp_status area_shape(const settings *s, area *a, smp_error *err);
static smp_status area_exclude(const settings *s, area *a, smp_error *err);

smp_status area_build(const settings *s, area *a, smp_error *err)
{
    memset(a, 0, sizeof *a);
    smp_status st = area_shape(s, a, err);
    if (st == SMP_OK) st = area_exclude(s, a, err);
    return st;
}

smp_status area_build_mask(const settings *s, grey_image *mask, area *a, smp_error *err)
{
    memset(a, 0, sizeof *a);
    a->mask = *mask;
    memset(mask, 0, sizeof *mask);
    a->scale = s->scale;
    a->w = a->mask.w / s->scale;
    a->h = a->mask.h / s->scale;
    size_t on = 0, npx = (size_t)a->mask.w * a->mask.h;
    for (size_t i = 0; i < npx; i++) on += a->mask.px[i] >= 128;
    a->area_mm2 = (double)on / (s->scale * s->scale);
    return area_exclude(s, a, err);
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
    grey_image_free(&a->not_bare);
    free(a->fill);
    a->fill = NULL;
    free(a->tone);
    a->tone = NULL;
    free(a->excl_box);
    a->excl_box = NULL;
    a->excl_count = 0;
}

static int mask_at(const grey_image *m, double scale, vec2 p)
{
    int i = (int)(p.x * scale), j = (int)(p.y * scale);
    if (i >= m->w) i = m->w - 1;
    if (j >= m->h) j = m->h - 1;
    return m->px[(size_t)j * (size_t)m->w + (size_t)i] >= 128;
}

/* The frame, the shape and the exclusion mask: the area but for the
 * exclusion polygons. */
static int in_shape(const area *a, vec2 p)
{
    if (p.x < 0 || p.y < 0 || p.x >= a->w || p.y >= a->h) return 0;
    if (a->exclude.px && mask_at(&a->exclude, a->scale, p)) return 0;
    if (a->mask.px) return mask_at(&a->mask, a->scale, p);
    if (a->poly) return geom_in_polygon(p, a->poly, a->poly_n);
    return 1;
}

/* Whether P is inside one of the first UPTO exclusion polygons. */
static int in_exclusion(const area *a, vec2 p, size_t upto)
{
    const vec2 *poly = a->excl;
    for (size_t i = 0; i < upto; poly += a->excl_n[i], i++) {
        const double *b = a->excl_box + 4 * i;
        if (p.x < b[0] || p.y < b[1] || p.x > b[2] || p.y > b[3]) continue;
        if (geom_in_polygon(p, poly, a->excl_n[i])) return 1;
    }
    return 0;
}

int area_contains(const area *a, vec2 p) { return in_shape(a, p) && !in_exclusion(a, p, a->excl_count); }

/* Cells over an exclusion's box when its overlap with the area is
 * measured: the treated area is a figure to report, good to a fraction of
 * a percent this way; finer would slow every preview the studio draws. */
#define EXCL_CELLS 40000.0

/* Takes S's exclusion mask and exclusion polygons out of A, whose shape
 * is built; each takes from the treated area only what it overlaps. */
static smp_status area_exclude(const settings *s, area *a, smp_error *err)
{
    if (s->exclude_mask) {
        smp_status st;
        grey_image ex;
        if (s->scale <= 0) {
            area_free(a);
            return smp_fail(err, SMP_EVALUE, 0, "--exclude-mask needs --scale PX_PER_MM or a photo");
        }
        if ((st = image_read_grey_png(s->exclude_mask, &ex, err)) != SMP_OK) {
            area_free(a);
            return st;
        }
        if (fabs(ex.w / s->scale - a->w) > 1 / s->scale || fabs(ex.h / s->scale - a->h) > 1 / s->scale) {
            smp_fail(err, SMP_EINPUT, 1, "%s: the exclusion mask must cover the frame: %dx%d pixels", s->exclude_mask,
                     (int)lround(a->w * s->scale), (int)lround(a->h * s->scale));
            grey_image_free(&ex);
            area_free(a);
            return SMP_EINPUT;
        }
        size_t off = 0;
        for (int y = 0; y < ex.h; y++)
            for (int x = 0; x < ex.w; x++)
                off += ex.px[(size_t)y * ex.w + x] >= 128 && in_shape(a, v2((x + 0.5) / s->scale, (y + 0.5) / s->scale));
        a->exclude = ex;
        a->scale = s->scale;
        a->area_mm2 = fmax(0, a->area_mm2 - off / (s->scale * s->scale));
    }
    if (!s->excl_count) return SMP_OK;
    if (!(a->excl_box = malloc(4 * s->excl_count * sizeof *a->excl_box))) {
        area_free(a);
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    a->excl = s->excl;
    a->excl_n = s->excl_n;
    const vec2 *poly = s->excl;
    for (size_t i = 0; i < s->excl_count; poly += s->excl_n[i], i++) {
        double *b = a->excl_box + 4 * i;
        b[0] = b[1] = INFINITY;
        b[2] = b[3] = -INFINITY;
        for (size_t k = 0; k < s->excl_n[i]; k++) {
            b[0] = fmin(b[0], poly[k].x); b[2] = fmax(b[2], poly[k].x);
            b[1] = fmin(b[1], poly[k].y); b[3] = fmax(b[3], poly[k].y);
        }
        /* The cells of its box inside it, in the area and in none of the
         * exclusions before it. */
        double x0 = fmax(0, b[0]), y0 = fmax(0, b[1]), x1 = fmin(a->w, b[2]), y1 = fmin(a->h, b[3]);
        if (x1 <= x0 || y1 <= y0) continue;
        double g = fmax(0.05, sqrt((x1 - x0) * (y1 - y0) / EXCL_CELLS));
        int nx = (int)ceil((x1 - x0) / g), ny = (int)ceil((y1 - y0) / g);
        double cw = (x1 - x0) / nx, ch = (y1 - y0) / ny;
        size_t off = 0;
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++) {
                vec2 c = v2(x0 + (x + 0.5) * cw, y0 + (y + 0.5) * ch);
                off += geom_in_polygon(c, poly, s->excl_n[i]) && in_shape(a, c) && !in_exclusion(a, c, i);
            }
        a->area_mm2 = fmax(0, a->area_mm2 - off * cw * ch);
    }
    a->excl_count = s->excl_count;
    return SMP_OK;
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
