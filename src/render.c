#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

/* Each dot is applied to the pixels it covers at once, as a 16.16 fixed-
 * point multiplier per channel: out = in * (1 - c k w).  Dots rarely
 * overlap (about 4 % of skin is covered at 80 dots/cm^2), so a pixel is
 * rounded about once, and the rounding of pixels at different coverage
 * averages out; the ink tests hold this to 5 % at 3 px/mm.  No buffer
 * beside the photo is needed, so memory stays at the frame.
 *
 * Coverage kernels are cached per radius (in 1/8 px steps), sub-pixel
 * position (1/8 px) and edge (sharp or blown-out soft), each normalised to
 * sum to 1: a dot then costs its ink times the kernel, with no square root
 * per pixel.  The 1/16 px of position it rounds away cannot be seen. */
#define SUB 8          /* sub-pixel steps */
#define RSTEPS 8       /* radius steps per px */
#define MAX_R 24.0     /* px: wider dots are drawn at this radius (same ink) */
#define NRAD 193 /* MAX_R * RSTEPS + 1 */

typedef struct kernel {
    int off, size; /* pixel offset of the first column/row from floor(centre), and width */
    int *span;     /* per row, the columns [start, end) with weight */
    uint32_t *q;   /* the weights in 16.16 fixed point, for the inner loop */
    float v[];     /* size * size weights summing to 1 */
} kernel;

typedef struct kernel_cache {
    kernel *k[2][NRAD][SUB * SUB];
} kernel_cache;

static kernel *kernel_make(int blown, int rq, int fx, int fy)
{
    float r = (float)rq / RSTEPS;
    float soft = blown ? 0.35f * r + 0.5f : 0.5f;
    float R = r > 0.7f ? r : 0.7f, outer = R + soft, inv2s = 1 / (2 * soft);
    float cx = (fx + 0.5f) / SUB, cy = (fy + 0.5f) / SUB;
    int off = (int)floorf(cx - outer), end = (int)ceilf(cx + outer);
    int offy = (int)floorf(cy - outer);
    if (offy < off) off = offy;
    if ((int)ceilf(cy + outer) > end) end = (int)ceilf(cy + outer);
    int size = end - off + 1;
    kernel *k = malloc(sizeof *k + sizeof(float) * (size_t)size * size);
    if (!k) return NULL;
    k->off = off;
    k->size = size;
    double sum = 0;
    for (int j = 0; j < size; j++)
        for (int i = 0; i < size; i++) {
            float dx = off + i + 0.5f - cx, dy = off + j + 0.5f - cy;
            float c = (outer - sqrtf(dx * dx + dy * dy)) * inv2s;
            c = c < 0 ? 0 : c > 1 ? 1 : c;
            k->v[j * size + i] = c;
            sum += c;
        }
    for (int q = 0; q < size * size; q++) k->v[q] = (float)(k->v[q] / sum);
    k->span = malloc(sizeof(int) * 2 * (size_t)size);
    k->q = malloc(sizeof(uint32_t) * (size_t)size * size);
    if (!k->span || !k->q) { free(k->span); free(k->q); free(k); return NULL; }
    for (int q = 0; q < size * size; q++) k->q[q] = (uint32_t)lrintf(k->v[q] * 65536);
    for (int j = 0; j < size; j++) {
        int a = 0, b = size;
        while (a < size && k->v[j * size + a] <= 0) a++;
        while (b > a && k->v[j * size + b - 1] <= 0) b--;
        k->span[2 * j] = a;
        k->span[2 * j + 1] = b;
    }
    return k;
}

/* Dots come in rank order, scattered over the frame; touching pixels in
 * that order misses the cache on every row of every dot.  A counting sort
 * into cells 8 px high and 64 px wide, band by band and left to right,
 * turns the walk over the frame into a few sequential streams that the
 * prefetcher follows; the dots are copied into compact records in that
 * order so that reading them is sequential too. */
#define CELL 8   /* px high */
#define CELL_W 64 /* px wide: few cells, so the counts stay in cache */

typedef struct splat {
    float x, y;     /* centre, px */
    float r, ink;   /* radius px; ink = pi r^2 darkness, px^2 */
    int blown, fresh;
} splat;

static splat *spatial_order(const smp_dot *dots, size_t n, double ppm, double ox, double oy, int w, int h)
{
    int cw = w / CELL_W + 1, ch = h / CELL + 1;
    size_t ncell = (size_t)cw * ch;
    splat *out = malloc((n ? n : 1) * sizeof *out);
    uint32_t *cell = malloc((n ? n : 1) * sizeof *cell);
    size_t *start = calloc(ncell + 1, sizeof *start);
    if (!out || !start || !cell) { free(out); free(start); free(cell); return NULL; }
    for (size_t i = 0; i < n; i++) {
        long cx = (long)(dots[i].x_mm * ppm - ox) / CELL_W, cy = (long)(dots[i].y_mm * ppm - oy) / CELL;
        cx = cx < 0 ? 0 : cx >= cw ? cw - 1 : cx;
        cy = cy < 0 ? 0 : cy >= ch ? ch - 1 : cy;
        cell[i] = (uint32_t)((size_t)cy * cw + (size_t)cx);
        start[cell[i] + 1]++;
    }
    for (size_t c = 0; c < ncell; c++) start[c + 1] += start[c];
    for (size_t i = 0; i < n; i++) {
        const smp_dot *d = &dots[i];
        double r = d->diameter_mm * ppm / 2;
        out[start[cell[i]]++] = (splat){(float)(d->x_mm * ppm - ox), (float)(d->y_mm * ppm - oy), (float)r,
                                        (float)(M_PI * r * r * d->darkness), d->blown, d->fresh};
    }
    free(start);
    free(cell);
    return out;
}

/* Fresh dots: the skin around each is a little red for the first days
 * (domain.md): a soft halo 2.4x the dot's radius takes up to 5 % of the
 * green and 6 % of the blue at its centre. */
static smp_status redden(photo *p, kernel_cache *kc, const splat *d)
{
    float rh = fminf(2.4f * d->r + 1.0f, (float)MAX_R);
    float flx = floorf(d->x), fly = floorf(d->y);
    int fx = (int)((d->x - flx) * SUB), fy = (int)((d->y - fly) * SUB);
    int rq = (int)(rh * RSTEPS + 0.5f);
    kernel **slot = &kc->k[1][rq][fy * SUB + fx];
    if (!*slot && !(*slot = kernel_make(1, rq, fx, fy))) return SMP_ENOMEM;
    const kernel *k = *slot;
    /* The kernel sums to 1; its centre weighs about 1 / (pi rh^2). */
    float peak = (float)M_PI * rh * rh;
    float sg = 0.05f * peak * 65536, sb = 0.06f * peak * 65536;
    int x0 = (int)flx + k->off, y0 = (int)fly + k->off, size = k->size;
    for (int j = 0; j < size; j++) {
        int y = y0 + j;
        if (y < 0 || y >= p->h) continue;
        uint32_t *row = (uint32_t *)(p->px + (size_t)y * p->stride);
        for (int q = k->span[2 * j]; q < k->span[2 * j + 1]; q++) {
            int x = x0 + q;
            if (x < 0 || x >= p->w) continue;
            float c = k->v[j * size + q];
            int mg = 65536 - (int)(c * sg + 0.5f), mb = 65536 - (int)(c * sb + 0.5f);
            uint32_t v = row[x];
            row[x] = (v & 0xff0000u) | ((((v >> 8) & 255) * (uint32_t)(mg < 0 ? 0 : mg) + 32768) >> 16) << 8 |
                     (((v & 255) * (uint32_t)(mb < 0 ? 0 : mb) + 32768) >> 16);
        }
    }
    return SMP_OK;
}

smp_status render_dots(photo *p, const smp_dot *dots, size_t n, double ppm, double ox, double oy, const pigment *pg, uint8_t *alpha,
                       smp_error *err)
{
    kernel_cache *kc = calloc(1, sizeof *kc);
    splat *order = kc ? spatial_order(dots, n, ppm, ox, oy, p->w, p->h) : NULL;
    smp_status st = SMP_OK;
    if (!order) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
    for (size_t i = 0; i < n; i++) {
        const splat *d = &order[i];
        if (i + 32 < n) {
            /* Ask for the rows of a dot a little ahead: the loads below
             * would otherwise wait on memory. */
            const splat *e = &order[i + 32];
            int px = (int)e->x - 2, py = (int)e->y - 2;
            for (int j = 0; j < 5; j++)
                if (py + j >= 0 && py + j < p->h && px >= 0 && px < p->w)
                    __builtin_prefetch(p->px + (size_t)(py + j) * p->stride + (size_t)px * 4, 1);
        }
        float flx = floorf(d->x), fly = floorf(d->y);
        int fx = (int)((d->x - flx) * SUB), fy = (int)((d->y - fly) * SUB);
        int rq = (int)(fminf(d->r, (float)MAX_R) * RSTEPS + 0.5f);
        kernel **slot = &kc->k[d->blown ? 1 : 0][rq][fy * SUB + fx];
        if (!*slot && !(*slot = kernel_make(d->blown, rq, fx, fy))) {
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto out;
        }
        const kernel *k = *slot;
        /* Ink: the dot's area times its darkness, whatever the pixels. */
        float ink = d->ink;
        const double *w = d->blown ? pg->blown_weight : pg->weight;
        /* m = 65536 (1 - weight * ink * w): weights in 16.16, ink * w in 24.8. */
        uint64_t s0 = (uint64_t)(ink * (float)w[0] * 256 + 0.5f), s1 = (uint64_t)(ink * (float)w[1] * 256 + 0.5f);
        uint64_t s2 = (uint64_t)(ink * (float)w[2] * 256 + 0.5f);
        int x0 = (int)flx + k->off, y0 = (int)fly + k->off, size = k->size;
        int ia = x0 < 0 ? -x0 : 0, ib = x0 + size > p->w ? p->w - x0 : size;
        int ja = y0 < 0 ? -y0 : 0, jb = y0 + size > p->h ? p->h - y0 : size;
        if (alpha) {
            for (int j = ja; j < jb; j++)
                for (int q = ia; q < ib; q++) {
                    float a = k->v[j * size + q] * ink;
                    if (a <= 0) continue;
                    if (a > 1) a = 1;
                    uint8_t *px = &alpha[(size_t)(y0 + j) * p->w + x0 + q];
                    *px = (uint8_t)(255.5f - (255 - *px) * (1 - a));
                }
            continue;
        }
        for (int j = ja; j < jb; j++) {
            uint32_t *row = (uint32_t *)(p->px + (size_t)(y0 + j) * p->stride) + x0;
            const uint32_t *kv = k->q + j * size;
            int qa = ia > k->span[2 * j] ? ia : k->span[2 * j], qb = ib < k->span[2 * j + 1] ? ib : k->span[2 * j + 1];
            for (int q = qa; q < qb; q++) {
                uint64_t c = kv[q];
                uint64_t a0 = (c * s0 + 128) >> 8, a1 = (c * s1 + 128) >> 8, a2 = (c * s2 + 128) >> 8;
                uint32_t m0 = a0 >= 65536 ? 0 : 65536 - (uint32_t)a0, m1 = a1 >= 65536 ? 0 : 65536 - (uint32_t)a1;
                uint32_t m2 = a2 >= 65536 ? 0 : 65536 - (uint32_t)a2;
                uint32_t v = row[q];
                row[q] = ((((v >> 16) & 255) * m0 + 32768) >> 16) << 16 | ((((v >> 8) & 255) * m1 + 32768) >> 16) << 8 |
                         (((v & 255) * m2 + 32768) >> 16);
            }
        }
        if (d->fresh && (st = redden(p, kc, d)) != SMP_OK) {
            smp_fail(err, st, 0, "out of memory");
            goto out;
        }
    }
out:
    if (kc)
        for (int b2 = 0; b2 < 2; b2++)
            for (int r2 = 0; r2 < NRAD; r2++)
                for (int q = 0; q < SUB * SUB; q++)
                    if (kc->k[b2][r2][q]) {
                        free(kc->k[b2][r2][q]->span);
                        free(kc->k[b2][r2][q]->q);
                        free(kc->k[b2][r2][q]);
                    }
    free(kc);
    free(order);
    return st;
}
