#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

#define TILE 64

typedef struct transmit {
    int tw, th;
    float **tiles; /* TILE*TILE*3 floats each, NULL where untouched */
} transmit;

static float *tile_at(transmit *t, int tx, int ty)
{
    float **slot = &t->tiles[(size_t)ty * t->tw + tx];
    if (!*slot) {
        *slot = malloc(sizeof(float) * TILE * TILE * 3);
        if (!*slot) return NULL;
        for (int i = 0; i < TILE * TILE * 3; i++) (*slot)[i] = 1.0f;
    }
    return *slot;
}

smp_status render_dots(photo *p, const smp_dot *dots, size_t n, double ppm, const pigment *pg, uint8_t *alpha,
                       smp_error *err)
{
    transmit t;
    t.tw = (p->w + TILE - 1) / TILE;
    t.th = (p->h + TILE - 1) / TILE;
    t.tiles = calloc((size_t)t.tw * t.th, sizeof *t.tiles);
    if (!t.tiles) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    float cov[64 * 64];
    for (size_t i = 0; i < n; i++) {
        const smp_dot *d = &dots[i];
        int blown = d->blown;
        double r = d->diameter_mm * ppm / 2;
        double k = d->darkness;
        double soft = blown ? 0.35 * r + 0.5 : 0.5; /* blown-out dots have soft edges */
        double ink_area = M_PI * r * r;
        double R = fmax(r, 0.7); /* spread sub-pixel dots over a few pixels */
        double cx = d->x_mm * ppm, cy = d->y_mm * ppm;
        int x0 = (int)floor(cx - R - soft), x1 = (int)ceil(cx + R + soft);
        int y0 = (int)floor(cy - R - soft), y1 = (int)ceil(cy + R + soft);
        if (x1 - x0 >= 64) { x1 = x0 + 63; }
        if (y1 - y0 >= 64) { y1 = y0 + 63; }
        double sum = 0;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                double dist = hypot(x + 0.5 - cx, y + 0.5 - cy);
                double c = (R + soft - dist) / (2 * soft);
                c = c < 0 ? 0 : c > 1 ? 1 : c;
                cov[(y - y0) * 64 + (x - x0)] = (float)c;
                sum += c;
            }
        if (sum <= 0) continue;
        double norm = ink_area / sum;
        const double *w = blown ? pg->blown_weight : pg->weight;
        for (int y = y0; y <= y1; y++) {
            if (y < 0 || y >= p->h) continue;
            for (int x = x0; x <= x1; x++) {
                if (x < 0 || x >= p->w) continue;
                double c = cov[(y - y0) * 64 + (x - x0)] * norm;
                if (c <= 0) continue;
                if (c > 1) c = 1;
                float *tile = tile_at(&t, x / TILE, y / TILE);
                if (!tile) goto nomem;
                float *px = tile + ((y % TILE) * TILE + (x % TILE)) * 3;
                for (int ch = 0; ch < 3; ch++) {
                    double a = c * k * w[ch];
                    px[ch] *= (float)(1 - (a > 1 ? 1 : a));
                }
            }
        }
    }
    /* Apply the touched tiles. */
    for (int ty = 0; ty < t.th; ty++)
        for (int tx = 0; tx < t.tw; tx++) {
            float *tile = t.tiles[(size_t)ty * t.tw + tx];
            if (!tile) continue;
            int ye = (ty + 1) * TILE < p->h ? (ty + 1) * TILE : p->h;
            int xe = (tx + 1) * TILE < p->w ? (tx + 1) * TILE : p->w;
            for (int y = ty * TILE; y < ye; y++) {
                uint32_t *row = (uint32_t *)(p->px + (size_t)y * p->stride);
                for (int x = tx * TILE; x < xe; x++) {
                    const float *f = tile + ((y % TILE) * TILE + (x % TILE)) * 3;
                    if (f[0] == 1.0f && f[1] == 1.0f && f[2] == 1.0f) continue;
                    if (alpha) {
                        double a = 1 - (f[0] + f[1] + f[2]) / 3;
                        alpha[(size_t)y * p->w + x] = (uint8_t)lrint(a * 255);
                        continue;
                    }
                    uint32_t v = row[x];
                    double ch[3] = {(v >> 16) & 255, (v >> 8) & 255, v & 255};
                    uint32_t o = 0;
                    for (int c = 0; c < 3; c++) o = o << 8 | (uint32_t)lrint(ch[c] * f[c]);
                    row[x] = o;
                }
            }
        }
    for (size_t i = 0; i < (size_t)t.tw * t.th; i++) free(t.tiles[i]);
    free(t.tiles);
    return SMP_OK;
nomem:
    for (size_t i = 0; i < (size_t)t.tw * t.th; i++) free(t.tiles[i]);
    free(t.tiles);
    return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
}
