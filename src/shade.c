#include "shade.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "pigment.h"
#include "plan.h"
#include "status.h"

double shade_dilution(double skin_l, double hair_l)
{
    double hair = fmin(1, fmax(0, (hair_l - 15) / 45));
    double w = fmax(0, 16 * (skin_l - 40) / 45) * (0.6 + 0.4 * hair);
    w = fmin(20, w);
    return floor(w * 2 + 0.5) / 2;
}

typedef struct px_l {
    float l;
    uint32_t rgb;
} px_l;

static int cmp_l(const void *a, const void *b)
{
    float x = ((const px_l *)a)->l, y = ((const px_l *)b)->l;
    return x < y ? -1 : x > y;
}

/* Median colour, channel by channel, of V[lo..hi). */
static void median_rgb(px_l *v, size_t lo, size_t hi, uint8_t out[3])
{
    size_t n = hi - lo;
    uint32_t *hist = calloc(3 * 256, sizeof *hist);
    if (!hist) { out[0] = out[1] = out[2] = 0; return; }
    for (size_t i = lo; i < hi; i++)
        for (int c = 0; c < 3; c++) hist[c * 256 + ((v[i].rgb >> (16 - 8 * c)) & 255)]++;
    for (int c = 0; c < 3; c++) {
        size_t acc = 0;
        int k = 0;
        while (k < 255 && (acc += hist[c * 256 + k]) < (n + 1) / 2) k++;
        out[c] = (uint8_t)k;
    }
    free(hist);
}

static double luma_l(uint32_t v)
{
    uint8_t rgb[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    double lab[3];
    srgb_to_lab(rgb, lab);
    return lab[0];
}

smp_status shade_measure(const photo *p, const uint8_t *mask, const char *what, shade *out, smp_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = 0, n_ring = 0, cap = (size_t)p->w * p->h;
    int x0 = p->w, y0 = p->h, x1 = -1, y1 = -1;
    /* Every 4th pixel each way is plenty for a median. */
    int step = p->w * p->h > 1000000 ? 4 : 1;
    px_l *v = malloc(cap / ((size_t)step * step) * sizeof *v + sizeof *v * 16);
    if (!v) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    for (int y = 0; y < p->h; y += step)
        for (int x = 0; x < p->w; x += step) {
            if (mask && mask[(size_t)y * p->w + x] != 1) {
                n_ring += mask && mask[(size_t)y * p->w + x] == 2;
                continue;
            }
            uint32_t c = ((const uint32_t *)(p->px + (size_t)y * p->stride))[x];
            v[n].rgb = c;
            v[n].l = (float)luma_l(c);
            n++;
            if (x < x0) x0 = x;
            if (y < y0) y0 = y;
            if (x > x1) x1 = x;
            if (y > y1) y1 = y;
        }
    if (n < 50) {
        free(v);
        return smp_fail(err, SMP_EINPUT, 1, "%s: too little of the treatment area to measure the skin", what);
    }
    qsort(v, n, sizeof *v, cmp_l);
    median_rgb(v, n * 2 / 5, n, out->skin_rgb);
    srgb_to_lab(out->skin_rgb, out->skin_lab);
    /* Hair: given around the area (a patch's ring: the stubble there is
     * sparse, so its darkest 5 %), or around the area's bounding box too,
     * where the fringe is. */
    size_t m = 0;
    double share = 0.12;
    if (n_ring >= 50) {
        share = 0.02;
        for (int y = 0; y < p->h; y += step)
            for (int x = 0; x < p->w; x += step) {
                if (mask[(size_t)y * p->w + x] != 2) continue;
                uint32_t c = ((const uint32_t *)(p->px + (size_t)y * p->stride))[x];
                v[m].rgb = c;
                v[m].l = (float)luma_l(c);
                m++;
            }
    }
    int gx = (x1 - x0) / 4, gy = (y1 - y0) / 4;
    x0 = x0 - gx < 0 ? 0 : x0 - gx; y0 = y0 - gy < 0 ? 0 : y0 - gy;
    x1 = x1 + gx >= p->w ? p->w - 1 : x1 + gx; y1 = y1 + gy >= p->h ? p->h - 1 : y1 + gy;
    for (int y = y0; y <= y1 && n_ring < 50; y += step)
        for (int x = x0; x <= x1; x += step) {
            if (m >= cap / ((size_t)step * step) + 16) break;
            uint32_t c = ((const uint32_t *)(p->px + (size_t)y * p->stride))[x];
            v[m].rgb = c;
            v[m].l = (float)luma_l(c);
            m++;
        }
    qsort(v, m, sizeof *v, cmp_l);
    uint8_t hair[3];
    median_rgb(v, 0, (size_t)(m * share) + 1, hair);
    srgb_to_lab(hair, out->hair_lab);
    free(v);
    out->dilution = shade_dilution(out->skin_lab[0], out->hair_lab[0]);
    /* A healed dot on this skin, at the default darkness. */
    settings s;
    memset(&s, 0, sizeof s);
    s.dilution = out->dilution;
    pigment pg;
    pigment_from_settings(&pg, &s);
    for (int c = 0; c < 3; c++)
        out->dot_rgb[c] = (uint8_t)lrint(out->skin_rgb[c] * (1 - 0.85 * pg.strength * pg.weight[c]));
    const char *skin = out->skin_lab[0] < 45 ? "dark" : out->skin_lab[0] < 60 ? "medium" : out->skin_lab[0] < 72 ? "light" : "fair";
    const char *hairw = out->hair_lab[0] < 25 ? "dark" : out->hair_lab[0] < 45 ? "medium" : "light";
    snprintf(out->reason, sizeof out->reason,
             "%s skin (L* %.0f) and %s hair (L* %.0f): %g parts water to 1 of pigment keeps the dots a grey "
             "that reads as shaved hair without a bluish cast",
             skin, out->skin_lab[0], hairw, out->hair_lab[0], out->dilution);
    return SMP_OK;
}

smp_status shade_measure_area(const photo *p, const area *a, double scale, const char *what, shade *out, smp_error *err)
{
    uint8_t *mask = malloc((size_t)p->w * p->h);
    if (!mask) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    for (int y = 0; y < p->h; y++)
        for (int x = 0; x < p->w; x++)
            mask[(size_t)y * p->w + x] = (uint8_t)area_contains(a, v2((x + 0.5) / scale, (y + 0.5) / scale));
    smp_status st = shade_measure(p, mask, what, out, err);
    free(mask);
    return st;
}

smp_status smp_shade_photo(const smp_plan *plan, smp_shade *out, smp_error *err)
{
    const settings *s = plan_settings(plan);
    if (!s->photo) return smp_fail(err, SMP_EVALUE, 0, "shade needs a photo: give PHOTO or --photo");
    photo p;
    int orient;
    smp_status st = image_read_photo(s->photo, (long)s->max_pixels, &p, &orient, err);
    if (st != SMP_OK) return st;
    /* Positions are photo pixels: measure at 1 px per unit. */
    settings px = *s;
    px.scale = 1;
    px.area_w = p.w;
    px.area_h = p.h;
    area a;
    if ((st = area_build(&px, &a, err)) == SMP_OK) {
        if (s->area_mask && (a.mask.w != p.w || a.mask.h != p.h))
            st = smp_fail(err, SMP_EINPUT, 1, "%s: the mask must be the photo's size, %dx%d", s->area_mask, p.w, p.h);
        else
            st = shade_measure_area(&p, &a, 1, s->photo, out, err);
        area_free(&a);
    }
    photo_free(&p);
    return st;
}
