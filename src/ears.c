#include "ears.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "scalp.h"
#include "status.h"

/* The ears are looked for at about this many px/mm: their size is a few
 * centimetres, and the smoothing and the head's mean around them cost
 * per pixel. */
#define EAR_WORK_PX_MM 3.0

/* The head's colour, to compare an ear with: skin of any lightness and a
 * skin or near-grey hue (grey stubble, a pale or shaded scalp), not a
 * saturated or green wall. */
static int head_colour(float l, float a, float b)
{
    double c2 = (double)a * a + (double)b * b;
    /* Hue over -30 and under 90 degrees: a* > 0 and b* above -tan 30 a*. */
    return c2 < 40 * 40 && l > 12 && l < 95 && ((a > 0 && b > -0.57735 * a) || c2 < 8 * 8);
}

/* Whether hue atan2(B, A) lies between LO and HI degrees (both within
 * -90..90, so A > 0). */
static int hue_within(double a, double b, double lo, double hi)
{
    return a > 0 && b > a * tan(lo * M_PI / 180) && b < a * tan(hi * M_PI / 180);
}

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return a < b ? -1 : a > b;
}

/* One blob taken for an ear, at the working scale: its box and its
 * pixels and their convex hull in a window of the box. */
typedef struct ear_blob {
    int box[4];
    size_t count;
    uint8_t *m; /* (box[2] - box[0] + 1) x (box[3] - box[1] + 1), 1 = ear */
} ear_blob;

/* OUT (W x H) = 1 where a pixel of M (W x H, == V) lies within R pixels
 * (a square); TMP and TMP2 are unused since scalp_dilate (kept for the
 * callers' buffers). */
static void dilate(const uint8_t *m, uint8_t v, int w, int h, int r, float *tmp, float *tmp2, uint8_t *out)
{
    (void)tmp;
    (void)tmp2;
    for (size_t i = 0; i < (size_t)w * h; i++) out[i] = m[i] == v;
    if (scalp_dilate(out, w, h, r)) {
        /* For want of memory, the box mean as before. */
        for (size_t i = 0; i < (size_t)w * h; i++) tmp[i] = m[i] == v;
        scalp_box_mean(tmp, tmp2, w, h, r);
        for (size_t i = 0; i < (size_t)w * h; i++) out[i] = tmp2[i] > 1e-6f;
    }
}

/* Whether the piece of M marked 4 within BOX (a window of it, grown by
 * the ring's reach, clipped to the photo) is an ear, by its size, shape
 * and the head beside it (ears.h); planes at S px/mm. */
static int is_ear(const uint8_t *m, int w, int h, const int box[4], size_t count, double s, const float *L,
                  const float *A, const float *B, int *oom)
{
    double hmm = (box[3] - box[1] + 1) / s, wmm = (box[2] - box[0] + 1) / s;
    if (hmm < EAR_H_MIN || hmm > EAR_H_MAX || wmm < EAR_W_MIN || wmm > EAR_W_MAX || hmm < EAR_UPRIGHT * wmm ||
        count / (s * s) < EAR_AREA_MIN || box[0] == 0 || box[1] == 0 || box[2] == w - 1 || box[3] == h - 1)
        return 0;
    int rout = (int)lround(EAR_RING_OUT * s), rin = (int)lround(EAR_RING_IN * s);
    int x0 = box[0] - rout < 0 ? 0 : box[0] - rout, y0 = box[1] - rout < 0 ? 0 : box[1] - rout;
    int x1 = box[2] + rout >= w ? w - 1 : box[2] + rout, y1 = box[3] + rout >= h ? h - 1 : box[3] + rout;
    int ww = x1 - x0 + 1, wh = y1 - y0 + 1;
    size_t wn = (size_t)ww * wh;
    uint8_t *win = malloc(wn), *near = malloc(wn), *far = malloc(wn);
    float *t1 = malloc(wn * sizeof *t1), *t2 = malloc(wn * sizeof *t2), *ring_a = malloc(wn * sizeof *ring_a);
    int ear = 0;
    if (!win || !near || !far || !t1 || !t2 || !ring_a) {
        *oom = 1;
        goto done;
    }
    double sum_a = 0, sum_l = 0;
    for (int y = 0; y < wh; y++)
        for (int x = 0; x < ww; x++) {
            size_t i = (size_t)(y + y0) * w + x + x0;
            win[(size_t)y * ww + x] = m[i] == 4;
            if (m[i] == 4) sum_a += A[i], sum_l += L[i];
        }
    double ma = sum_a / count, ml = sum_l / count;
    dilate(win, 1, ww, wh, rin, t1, t2, near);
    dilate(win, 1, ww, wh, rout, t1, t2, far);
    size_t ring = 0, beside = 0, heads = 0;
    for (int y = 0; y < wh; y++)
        for (int x = 0; x < ww; x++) {
            size_t k = (size_t)y * ww + x, i = (size_t)(y + y0) * w + x + x0;
            if (!far[k] || near[k]) continue;
            ring++;
            if (!head_colour(L[i], A[i], B[i])) continue;
            ring_a[heads++] = A[i];
            beside += A[i] < ma - 5 && fabs(L[i] - ml) < 25;
        }
    if (ring && heads > 10 && (double)beside / ring >= EAR_BESIDE) {
        qsort(ring_a, heads, sizeof *ring_a, cmp_float);
        ear = ma - ring_a[heads / 2] >= EAR_CONTRAST;
    }
done:
    free(win); free(near); free(far); free(t1); free(t2); free(ring_a);
    return ear;
}

/* The blob marked 4 in M within BOX, with its convex hull, into B: the
 * bowl of an ear seen from the side is paler and opens outward, so it is
 * no hole in the blob, but it is the ear. */
static int keep_blob(const uint8_t *m, int w, const int box[4], size_t count, ear_blob *b)
{
    int ww = box[2] - box[0] + 1, wh = box[3] - box[1] + 1;
    if (!(b->m = malloc((size_t)ww * wh))) return -1;
    for (int y = 0; y < wh; y++)
        for (int x = 0; x < ww; x++) b->m[(size_t)y * ww + x] = m[(size_t)(y + box[1]) * w + x + box[0]] == 4;
    vec2 *hull;
    size_t k, n;
    if (scalp_hull(b->m, ww, wh, &hull, &k, &n)) {
        free(b->m);
        b->m = NULL;
        return -1;
    }
    /* The hull runs on the rows' ends (x to x + 1 on row y). */
    for (int y = 0; y < wh && hull; y++)
        for (int x = 0; x < ww; x++) b->m[(size_t)y * ww + x] |= geom_in_polygon(v2(x + 0.5, y), hull, k);
    free(hull);
    memcpy(b->box, box, sizeof b->box);
    b->count = count;
    return 0;
}

/* The blobs (ears.h) of the planes at S px/mm, found as ears, largest
 * first: up to EAR_MAX of them into OUT; the count, -1 when out of memory. */
static int find_blobs(int w, int h, double s, const float *L, const float *A, const float *B, ear_blob out[EAR_MAX])
{
    size_t n = (size_t)w * h;
    float *head = malloc(n * sizeof *head), *sum = malloc(n * sizeof *sum), *t = malloc(n * sizeof *t);
    uint8_t *m = malloc(n), *seed = malloc(n);
    int found = 0, oom = 0;
    if (!head || !sum || !t || !m || !seed) {
        found = -1;
        goto done;
    }
    /* The head's mean a* around each pixel. */
    for (size_t i = 0; i < n; i++) {
        head[i] = (float)head_colour(L[i], A[i], B[i]);
        t[i] = head[i] * A[i];
    }
    int reach = (int)lround(EAR_REACH_MM * s);
    scalp_box_mean(t, sum, w, h, reach);
    scalp_box_mean(head, t, w, h, reach);
    for (size_t i = 0; i < n; i++) {
        double c = hypot(A[i], B[i]);
        double over = t[i] > 1e-3f ? A[i] - sum[i] / t[i] : 0;
        int skin = A[i] >= EAR_A_MIN && c > EAR_CHROMA_MIN && c < EAR_CHROMA_MAX && L[i] > 15 && L[i] < 90 &&
                   hue_within(A[i], B[i], EAR_HUE_MIN, EAR_HUE_MAX);
        m[i] = skin && over >= EAR_GROW;
        seed[i] = skin && over >= EAR_SEED;
    }
    ear_blob cand[EAR_MAX + 1];
    memset(cand, 0, sizeof cand);
    for (int y = 0; y < h && !oom; y++)
        for (int x = 0; x < w && !oom; x++) {
            size_t i = (size_t)y * w + x;
            if (!seed[i] || m[i] != 1) continue;
            int box[4];
            size_t count = scalp_flood_box(m, w, h, x, y, 1, 4, box);
            if (!count) { oom = 1; break; }
            if (is_ear(m, w, h, box, count, s, L, A, B, &oom) && !oom) {
                /* Kept in order of size: the smallest falls off the end. */
                int k = found < EAR_MAX ? found++ : EAR_MAX;
                if (keep_blob(m, w, box, count, &cand[k])) { oom = 1; break; }
                for (; k > 0 && cand[k].count > cand[k - 1].count; k--) {
                    ear_blob tb = cand[k]; cand[k] = cand[k - 1]; cand[k - 1] = tb;
                }
                free(cand[EAR_MAX].m);
                cand[EAR_MAX].m = NULL;
            }
            /* Done with this piece, whatever it was. */
            for (int yy = box[1]; yy <= box[3]; yy++)
                for (int xx = box[0]; xx <= box[2]; xx++)
                    if (m[(size_t)yy * w + xx] == 4) m[(size_t)yy * w + xx] = 3;
        }
    if (oom) {
        for (int k = 0; k <= EAR_MAX; k++) free(cand[k].m);
        found = -1;
    } else {
        memcpy(out, cand, sizeof(ear_blob) * EAR_MAX);
    }
done:
    free(head); free(sum); free(t); free(m); free(seed);
    return found;
}

void ears_free(ears_found *e)
{
    for (int k = 0; k < EAR_MAX; k++) free(e->outline[k]);
    free(e->mask);
    memset(e, 0, sizeof *e);
}

smp_status ears_find(const photo *p, double scale, ears_found *out, smp_error *err)
{
    memset(out, 0, sizeof *out);
    out->w = p->w;
    out->h = p->h;
    if (!(scale > 0)) return SMP_OK;
    int f = scale >= 2 * EAR_WORK_PX_MM ? (int)(scale / EAR_WORK_PX_MM) : 1;
    photo small = {0};
    const photo *q = p;
    smp_status st = SMP_OK;
    if (f > 1) {
        if ((st = photo_reduce(p, f, &small, err)) != SMP_OK) return st;
        q = &small;
    }
    int w = q->w, h = q->h;
    double s = scale / f;
    size_t n = (size_t)w * h;
    float *L = malloc(n * sizeof *L), *A = malloc(n * sizeof *A), *B = malloc(n * sizeof *B);
    float *t = malloc(n * sizeof *t);
    uint8_t *one = malloc(n), *grown = malloc(n), *full = NULL;
    ear_blob blobs[EAR_MAX];
    memset(blobs, 0, sizeof blobs);
    int found = 0;
    if (!L || !A || !B || !t || !one || !grown) goto oom;
    photo_to_lab(q, L, A, B);
    /* Smoothed over EAR_SMOOTH_MM: the blob is the ear's skin, not its
     * pores or the stubble beside it. */
    int r = (int)fmax(1, lround(EAR_SMOOTH_MM * s / 2));
    float *planes[3] = {L, A, B};
    for (int c = 0; c < 3; c++) {
        scalp_box_mean(planes[c], t, w, h, r);
        memcpy(planes[c], t, n * sizeof *t);
    }
    if ((found = find_blobs(w, h, s, L, A, B, blobs)) < 0) goto oom;
    if (found && !(out->mask = calloc((size_t)p->w * p->h, 1))) goto oom;
    if (found && !(full = malloc((size_t)p->w * p->h))) goto oom;
    /* Left to right, for the guides' labels and the tests. */
    if (found == 2 && blobs[1].box[0] < blobs[0].box[0]) {
        ear_blob tb = blobs[0]; blobs[0] = blobs[1]; blobs[1] = tb;
    }
    float *t2 = L; /* the planes are done with: reused as scratch */
    for (int k = 0; k < found; k++) {
        const ear_blob *b = &blobs[k];
        int bw = b->box[2] - b->box[0] + 1;
        memset(one, 0, n);
        for (int y = b->box[1]; y <= b->box[3]; y++)
            for (int x = b->box[0]; x <= b->box[2]; x++)
                one[(size_t)y * w + x] = b->m[(size_t)(y - b->box[1]) * bw + x - b->box[0]];
        dilate(one, 1, w, h, (int)lround(EAR_MARGIN_MM * s), t, t2, grown);
        for (int y = 0; y < p->h; y++)
            for (int x = 0; x < p->w; x++) {
                uint8_t v = grown[(size_t)(y / f) * w + x / f] ? 255 : 0;
                full[(size_t)y * p->w + x] = v;
                out->mask[(size_t)y * p->w + x] |= v;
            }
        if ((st = scalp_outline(full, NULL, p->w, p->h, 64, &out->outline[k], &out->outline_n[k], err)) != SMP_OK)
            goto done;
        out->box[k][0] = (double)b->box[0] * f;
        out->box[k][1] = (double)b->box[1] * f;
        out->box[k][2] = fmin(p->w, (b->box[2] + 1.0) * f);
        out->box[k][3] = fmin(p->h, (b->box[3] + 1.0) * f);
        out->n = k + 1;
    }
    goto done;
oom:
    st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
done:
    for (int k = 0; k < EAR_MAX; k++) free(blobs[k].m);
    photo_free(&small);
    free(L); free(A); free(B); free(t); free(one); free(grown); free(full);
    if (st != SMP_OK) ears_free(out);
    return st;
}
