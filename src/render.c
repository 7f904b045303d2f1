#include "render.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

/* The pixel loops in two versions, chosen when the program starts: with
 * AVX2 (8 floats at a time) where the processor has it, else the baseline
 * (SSE2 on x86-64).  Other compilers and machines get the baseline. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define WIDE_LOOP __attribute__((target_clones("avx2", "default")))
#else
#define WIDE_LOOP
#endif

/* The busiest loops are also written by hand with AVX2 intrinsics, used
 * where the processor has AVX2 (checked at run time): each does exactly
 * the arithmetic of the plain C version beside it, in the same order (no
 * fused multiply-add), so that the output is the same byte for byte either
 * way; the C version is the reference and every other machine's.  Define
 * SMP_RENDER_PORTABLE to build without them. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && !defined(SMP_RENDER_PORTABLE)
#include <immintrin.h>
#define HAVE_AVX2 1
#define AVX2 __attribute__((target("avx2")))
static int avx2_usable(void) { return __builtin_cpu_supports("avx2"); }
#else
#define HAVE_AVX2 0
static int avx2_usable(void) { return 0; }
#endif

#define GAMMA PIGMENT_GAMMA

/* ---- cores ----
 * The core is the deposit seen through the skin above it, which blurs it
 * (pigment_core_blur_mm).  Its absorbance, a kernel summing to the core's
 * effect in px^2, is added to a band of rows kept beside the frame and
 * applied with the halo in one pass (below): the core's effect is the same
 * at any resolution (a 0.5 mm deposit on a 3 px/mm photo is a small smudge
 * of the right weight, not a black pixel).
 *
 * Kernels are cached per radius (1/4 px steps), blur (1/4 px steps) and
 * sub-pixel position (1/4 px), made from a radial profile cached per
 * radius and blur.  The 1/8 px of position and radius they round away
 * cannot be seen (a core is 3 px or more across once blurred), and fewer
 * kernels stay in the cache: at 1/8 px steps, fetching and making them
 * took a third of the pass. */
#define SUB 4          /* sub-pixel steps */
#define RSTEPS 4       /* radius steps per px */
#define MAX_R 24.0     /* px: wider cores are drawn at this radius (same effect) */
#define NRAD 97        /* MAX_R * RSTEPS + 1 */
#define BSTEPS 4       /* blur steps per px */
#define NBLUR 25       /* blurs up to 6 px */
#define CORE_REACH 2.5 /* blur sigmas past the deposit's edge: 99 % of the core */

typedef struct kernel {
    int off, size; /* offset of the first column/row from floor(centre), and width */
    int ks;        /* floats per row: SIZE rounded up to a multiple of 8, the rest 0 */
    int *span;     /* per row, the columns [start, end) with weight */
    float v[];     /* size rows of ks weights, summing to 1 */
} kernel;

typedef struct kernel_cache {
    kernel **k[NBLUR]; /* per blur, [NRAD][SUB * SUB], made on first use: a render has one or two */
    float **prof;      /* [NBLUR][NRAD]: the radial profile every 1/8 px */
} kernel_cache;

static int kernel_extent(float r, float sg) { return (int)ceilf(r + CORE_REACH * sg) + 1; }

static const float *profile_get(kernel_cache *kc, int rq, int bq)
{
    float **slot = &kc->prof[(size_t)bq * NRAD + rq];
    if (*slot) return *slot;
    float r = (float)rq / RSTEPS, sg = fmaxf(0.5f, (float)bq / BSTEPS);
    int nt = (int)ceilf((r + CORE_REACH * sg) * 8) + 2;
    float *t = malloc(sizeof(float) * (size_t)nt);
    if (!t) return NULL;
    for (int i = 0; i < nt; i++) t[i] = (float)pigment_blurred_disc(r, sg, i / 8.0);
    t[nt - 1] = t[nt - 2] = 0;
    return *slot = t;
}

static kernel *kernel_make(kernel_cache *kc, int rq, int bq, int fx, int fy)
{
    float r = (float)rq / RSTEPS;
    /* Half a pixel of blur at least: a sub-pixel core spreads over a few
     * pixels instead of aliasing. */
    float sg = fmaxf(0.5f, (float)bq / BSTEPS), outer = r + CORE_REACH * sg;
    const float *tab = profile_get(kc, rq, bq);
    if (!tab) return NULL;
    float cx = (fx + 0.5f) / SUB, cy = (fy + 0.5f) / SUB;
    int ext = kernel_extent(r, sg), off = -ext, size = 2 * ext + 1, ks = (size + 7) & ~7;
    kernel *k = calloc(1, sizeof *k + sizeof(float) * (size_t)size * ks);
    if (!k) return NULL;
    k->off = off;
    k->size = size;
    k->ks = ks;
    double sum = 0;
    for (int j = 0; j < size; j++)
        for (int i = 0; i < size; i++) {
            float dx = off + i + 0.5f - cx, dy = off + j + 0.5f - cy;
            float rho = sqrtf(dx * dx + dy * dy);
            float c = 0;
            if (rho < outer) {
                float f = rho * 8;
                int t = (int)f;
                c = tab[t] + (tab[t + 1] - tab[t]) * (f - t);
            }
            k->v[j * ks + i] = c;
            sum += c;
        }
    for (int q = 0; q < size * ks; q++) k->v[q] = sum > 0 ? (float)(k->v[q] / sum) : 0;
    if (!(k->span = malloc(sizeof(int) * 2 * (size_t)size))) { free(k); return NULL; }
    for (int j = 0; j < size; j++) {
        int a = 0, b = size;
        while (a < size && k->v[j * ks + a] <= 0) a++;
        while (b > a && k->v[j * ks + b - 1] <= 0) b--;
        k->span[2 * j] = a;
        k->span[2 * j + 1] = b;
    }
    return k;
}

static void kernel_cache_free(kernel_cache *kc)
{
    if (!kc) return;
    for (int b = 0; b < NBLUR; b++) {
        if (!kc->k[b]) continue;
        for (size_t i = 0; i < (size_t)NRAD * SUB * SUB; i++)
            if (kc->k[b][i]) {
                free(kc->k[b][i]->span);
                free(kc->k[b][i]);
            }
        free(kc->k[b]);
    }
    if (kc->prof)
        for (size_t i = 0; i < (size_t)NBLUR * NRAD; i++) free(kc->prof[i]);
    free(kc->prof);
    free(kc);
}

static kernel_cache *kernel_cache_new(void)
{
    kernel_cache *kc = calloc(1, sizeof *kc);
    if (!kc) return NULL;
    kc->prof = calloc((size_t)NBLUR * NRAD, sizeof *kc->prof);
    if (!kc->prof) {
        kernel_cache_free(kc);
        return NULL;
    }
    return kc;
}

/* The kernel of a core of radius R px blurred by S px at (X, Y). */
static const kernel *kernel_get(kernel_cache *kc, float r, float s, float x, float y)
{
    float flx = floorf(x), fly = floorf(y);
    int fx = (int)((x - flx) * SUB), fy = (int)((y - fly) * SUB);
    int rq = (int)(fminf(r, (float)MAX_R) * RSTEPS + 0.5f);
    int bq = (int)fminf(s * BSTEPS + 0.5f, NBLUR - 1);
    if (!kc->k[bq] && !(kc->k[bq] = calloc((size_t)NRAD * SUB * SUB, sizeof **kc->k))) return NULL;
    kernel **slot = &kc->k[bq][(size_t)rq * SUB * SUB + (size_t)(fy * SUB + fx)];
    if (!*slot) *slot = kernel_make(kc, rq, bq, fx, fy);
    return *slot;
}

/* ---- shine ----
 * A specular highlight is light reflected at the surface, above the ink
 * (docs/render.md): it stays as bright over pigment as beside it.  Skin, even
 * very fair skin, keeps a clear hue; a highlight is near-white and
 * unsaturated, or cool (light from a window or the sky).  So the pigment
 * fades out as the darkest channel rises from 172 to 196 (L* about 70 to
 * 79) and the skin's warmth, red over the lesser of green and blue as a
 * share of the brightest channel, falls from 0.2 to 0.12 (fair skin is
 * about 0.2, medium skin 0.3, a highlight under 0.1 or none).  shine_keep() is the share of the pixel
 * kept from the pigment, in the form the pixel loop computes it. */
#define SHINE_LO 172.0f
#define SHINE_HI 196.0f
#define SAT_LO 0.12f
#define SAT_HI 0.20f

/* min and max without a call to fminf (NaN rules): none of ours is NaN. */
static inline float lesser(float a, float b) { return a < b ? a : b; }
static inline float greater(float a, float b) { return a > b ? a : b; }
static inline float clamp01(float v) { return lesser(greater(v, 0), 1); }

static inline float shine_keep(float r, float g, float b)
{
    float mn = lesser(r, lesser(g, b)), mx = greater(greater(r, greater(g, b)), 1);
    float warm = greater(r - lesser(g, b), 0) / mx;
    return clamp01((mn - SHINE_LO) * (1 / (SHINE_HI - SHINE_LO))) * clamp01((SAT_HI - warm) * (1 / (SAT_HI - SAT_LO)));
}

double render_pigment_share(uint32_t v)
{
    return 1 - shine_keep((float)((v >> 16) & 255), (float)((v >> 8) & 255), (float)(v & 255));
}

/* ---- dots in frame order ----
 * Dots come in rank order, scattered over the frame.  A counting sort by
 * bands of BAND rows, left to right within a band, lets the pass below
 * take them as it walks down the frame; the dots are copied into compact
 * records in that order so that reading them is sequential too. */
#define BAND 8     /* rows */
#define CELL_W 64  /* px wide: few cells, so the counts stay in cache */

typedef struct splat {
    float x, y;       /* centre, px */
    float r, ink;     /* radius px; ink = pi r^2 darkness, px^2 */
    float depth;      /* mm */
    int band;         /* the band of rows it is sorted into */
    int blown, fresh;
} splat;

static splat *spatial_order(const smp_dot *dots, size_t n, double ppm, double ox, double oy, int w, int h)
{
    int cw = w / CELL_W + 1, ch = h / BAND + 1;
    size_t ncell = (size_t)cw * ch;
    splat *out = malloc((n ? n : 1) * sizeof *out);
    uint32_t *cell = malloc((n ? n : 1) * sizeof *cell);
    size_t *start = calloc(ncell + 1, sizeof *start);
    if (!out || !start || !cell) { free(out); free(start); free(cell); return NULL; }
    for (size_t i = 0; i < n; i++) {
        double x = dots[i].x_mm * ppm - ox, y = dots[i].y_mm * ppm - oy;
        long cx = x < 0 ? 0 : x >= w ? cw - 1 : (long)x / CELL_W, cy = y < 0 ? 0 : y >= h ? ch - 1 : (long)y / BAND;
        cell[i] = (uint32_t)((size_t)cy * cw + (size_t)cx);
        start[cell[i] + 1]++;
    }
    for (size_t c = 0; c < ncell; c++) start[c + 1] += start[c];
    for (size_t i = 0; i < n; i++) {
        const smp_dot *d = &dots[i];
        double r = d->diameter_mm * ppm / 2;
        out[start[cell[i]]++] = (splat){(float)(d->x_mm * ppm - ox), (float)(d->y_mm * ppm - oy), (float)r,
                                        (float)(M_PI * r * r * d->darkness), (float)d->depth_mm,
                                        (int)(cell[i] / (uint32_t)cw), d->blown, d->fresh};
    }
    free(start);
    free(cell);
    return out;
}

/* exp(X) for X <= 0, to about 1e-7, in a form the compiler vectorises:
 * 2^t as 2^i times a polynomial in the fraction. */
static inline float exp_neg(float x)
{
    float t = greater(x, -80.0f) * 1.44269504f;
    int i = (int)t;
    i -= t < (float)i;
    float f = t - (float)i;
    float p = 1.0f + f * (0.69314718f + f * (0.24022651f + f * (0.05550411f + f * (0.00961813f + f * 0.00133336f))));
    int32_t bits = (i + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

WIDE_LOOP static void to_multiplier(float *restrict m, int n)
{
    const float k = (float)(-1 / GAMMA);
    for (int i = 0; i < n; i++) m[i] = exp_neg(m[i] * k);
}

/* ---- halos ----
 * The halo part of every deposit goes into a grid of absorbance per
 * channel, cells of whole pixels up to HALO_CELL_MM, as a point (bilinear); the grid is
 * then blurred once per channel with the halo's Gaussian.  A deposit whose
 * halo is wider than the grid's (blown out, or deeper than the rest) adds
 * its extra width as a small Gaussian splat: Gaussians add variances.  The
 * blur is cut at HALO_REACH sigma, so beyond that no pixel is touched. */
#define HALO_CELL_MM 0.4
#define HALO_REACH 2.5
#define MAX_TAPS 64 /* of a blur: 2 HALO_REACH sigma + 1, sigma in cells; wider ones are cut */

/* Deposits deeper than the grid's (blown out, or a deeper pass) add their
 * extra width as a small Gaussian around the point, separable, its taps
 * tabulated per depth for GSUB positions within a cell: a render has one
 * or two depths, thousands of such deposits. */
#define GSUB 16
#define GMAX_R 31
#define DEPTH_CLASSES 16
#define OUTSIDE 255 /* depth class of a deposit too far off the frame */

typedef struct depth_class {
    double depth;
    deposit_optics o;
    int R[3];     /* per channel: taps either side, or -1 for a point */
    float *w[3];  /* [GSUB][2 R + 2]: weights of cells floor(f) - R .. floor(f) + R + 1, summing to 1 */
} depth_class;

typedef struct halo_grid {
    int c;           /* px per cell */
    int m;           /* cells of margin around the view */
    int gw, gh;
    double sigma[3]; /* the blur, in cells */
    int R[3], rmax;  /* its taps either side, per channel and the most */
    int avx2;        /* the AVX2 loops may be used */
    float k[3][MAX_TAPS];
    double scale[3]; /* the ink's weight in the channel, per cell from per px^2 */
    int rs;          /* rows either side a deposit's extra width reaches, at most */
    uint8_t *cls;    /* per deposit: its depth class, or OUTSIDE */
    depth_class dc[DEPTH_CLASSES];
    int ndc;
} halo_grid;

static void depth_classes_free(depth_class *dc, int n)
{
    for (int i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) free(dc[i].w[c]);
}

static void halo_free(halo_grid *g)
{
    free(g->cls);
    depth_classes_free(g->dc, g->ndc);
}

/* Fills DC for DEPTH given the grid's optics LO; 0, or -1 out of memory. */
static int depth_class_make(depth_class *dc, double depth, const deposit_optics *lo, const halo_grid *g, double cell_mm)
{
    memset(dc, 0, sizeof *dc);
    dc->depth = depth;
    pigment_optics(depth, &dc->o);
    for (int c = 0; c < 3; c++) {
        double extra2 = (dc->o.sigma_mm[c] * dc->o.sigma_mm[c] - lo->sigma_mm[c] * lo->sigma_mm[c]) / (cell_mm * cell_mm);
        dc->R[c] = -1;
        /* Under a quarter of the halo's sigma of extra width cannot be seen. */
        if (!(extra2 > 0.0625 * g->sigma[c] * g->sigma[c] && extra2 > 0.09)) continue;
        double sg = sqrt(extra2);
        int R = (int)ceil(3 * sg), taps;
        if (R > GMAX_R) R = GMAX_R;
        taps = 2 * R + 2;
        if (!(dc->w[c] = malloc(sizeof(float) * GSUB * (size_t)taps))) return -1;
        dc->R[c] = R;
        for (int q = 0; q < GSUB; q++) {
            float *w = dc->w[c] + (size_t)q * taps;
            double t = (q + 0.5) / GSUB, sum = 0;
            for (int k = 0; k < taps; k++) {
                double dx = k - R - t;
                sum += w[k] = (float)exp(-dx * dx / (2 * sg * sg));
            }
            for (int k = 0; k < taps; k++) w[k] = (float)(w[k] / sum);
        }
    }
    return 0;
}

/* OUT[x] = the sum over t of K[t] SRC[t][x], the terms added in that
 * order: a blur's taps, along a row (SRC[t] = the row shifted by t) or
 * down the columns (SRC[t] = the rows above and below). */
static void taps_sum_c(float *restrict out, const float *const *src, const float *k, int taps, int n)
{
    for (int x = 0; x < n; x++) {
        float s = 0;
        for (int t = 0; t < taps; t++) s += k[t] * src[t][x];
        out[x] = s;
    }
}

#if HAVE_AVX2
/* 32 columns at a time, their sums in registers. */
AVX2 static void taps_sum_avx2(float *restrict out, const float *const *src, const float *k, int taps, int n)
{
    int x = 0;
    for (; x + 32 <= n; x += 32) {
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t < taps; t++) {
            const float *q = src[t] + x;
            __m256 kt = _mm256_set1_ps(k[t]);
            s0 = _mm256_add_ps(s0, _mm256_mul_ps(kt, _mm256_loadu_ps(q)));
            s1 = _mm256_add_ps(s1, _mm256_mul_ps(kt, _mm256_loadu_ps(q + 8)));
            s2 = _mm256_add_ps(s2, _mm256_mul_ps(kt, _mm256_loadu_ps(q + 16)));
            s3 = _mm256_add_ps(s3, _mm256_mul_ps(kt, _mm256_loadu_ps(q + 24)));
        }
        _mm256_storeu_ps(out + x, s0);
        _mm256_storeu_ps(out + x + 8, s1);
        _mm256_storeu_ps(out + x + 16, s2);
        _mm256_storeu_ps(out + x + 24, s3);
    }
    for (; x + 8 <= n; x += 8) {
        __m256 s0 = _mm256_setzero_ps();
        for (int t = 0; t < taps; t++) s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_set1_ps(k[t]), _mm256_loadu_ps(src[t] + x)));
        _mm256_storeu_ps(out + x, s0);
    }
    if (x < n) {
        const float *rest[MAX_TAPS];
        for (int t = 0; t < taps; t++) rest[t] = src[t] + x;
        taps_sum_c(out + x, rest, k, taps, n - x);
    }
}
#endif

static void taps_sum(int avx2, float *restrict out, const float *const *src, const float *k, int taps, int n)
{
#if HAVE_AVX2
    if (avx2) {
        taps_sum_avx2(out, src, k, taps, n);
        return;
    }
#endif
    (void)avx2;
    taps_sum_c(out, src, k, taps, n);
}

/* Frames of at least MIN_SPLIT_ROWS rows are done in two halves at once:
 * the machines this runs on have two cores or more. */
#define MIN_SPLIT_ROWS 256

/* The grid's size and blur, and each deposit's depth class.  LIM is how
 * far off the frame, in px, a deposit's halo may lie and still reach it. */
static smp_status halo_setup(halo_grid *g, const splat *d, size_t n, double ppm, int w, int h, const pigment *pg)
{
    memset(g, 0, sizeof *g);
    /* The grid's blur is that of the shallowest deposit: deeper ones add
     * their extra width. */
    double zmin = 1e9, zmax = 0;
    for (size_t i = 0; i < n; i++) {
        zmin = fmin(zmin, d[i].depth);
        zmax = fmax(zmax, d[i].depth);
    }
    deposit_optics lo, hi;
    pigment_optics(zmin, &lo);
    pigment_optics(zmax, &hi);
    /* Whole pixels of at most HALO_CELL_MM: the narrowest halo (0.45 mm)
     * then spans more than a cell either way, enough to interpolate. */
    g->avx2 = avx2_usable();
    g->c = (int)floor(ppm * HALO_CELL_MM + 1e-9);
    if (g->c < 1) g->c = 1;
    double cell_mm = g->c / ppm;
    double reach = 0;
    for (int c = 0; c < 3; c++) {
        g->sigma[c] = lo.sigma_mm[c] / cell_mm;
        reach = fmax(reach, HALO_REACH * hi.sigma_mm[c] / cell_mm);
        g->scale[c] = pg->weight[c] / ((double)g->c * g->c);
        int R = (int)ceil(HALO_REACH * g->sigma[c]);
        if (R > (MAX_TAPS - 1) / 2) R = (MAX_TAPS - 1) / 2;
        g->R[c] = R;
        if (R > g->rmax) g->rmax = R;
        double sum = 0, t[MAX_TAPS];
        for (int i = -R; i <= R; i++) sum += t[i + R] = (float)exp(-(double)i * i / (2 * g->sigma[c] * g->sigma[c]));
        for (int i = 0; i <= 2 * R; i++) g->k[c][i] = (float)(t[i] / sum);
    }
    g->m = (int)ceil(reach) + 2;
    g->gw = (w + g->c - 1) / g->c + 2 * g->m;
    g->gh = (h + g->c - 1) / g->c + 2 * g->m;
    if (!(g->cls = malloc(n ? n : 1))) return SMP_ENOMEM;
    /* Each deposit's depth class. */
    float lim = (float)(g->m * g->c);
    for (size_t i = 0, cur = 0; i < n; i++) {
        const splat *s = &d[i];
        g->cls[i] = OUTSIDE;
        if (s->x < -lim || s->y < -lim || s->x > w + lim || s->y > h + lim) continue;
        if (g->ndc == 0 || g->dc[cur].depth != s->depth) {
            for (cur = 0; cur < (size_t)g->ndc && g->dc[cur].depth != s->depth; cur++) {}
            if (cur == (size_t)g->ndc && g->ndc < DEPTH_CLASSES) {
                if (depth_class_make(&g->dc[g->ndc], s->depth, &lo, g, cell_mm)) {
                    depth_classes_free(&g->dc[g->ndc], 1);
                    halo_free(g);
                    return SMP_ENOMEM;
                }
                g->ndc++;
            } else if (cur == (size_t)g->ndc) {
                /* More depths than classes (not one of ours): the nearest. */
                cur = 0;
                for (int k = 1; k < g->ndc; k++)
                    if (fabs(g->dc[k].depth - s->depth) < fabs(g->dc[cur].depth - s->depth)) cur = (size_t)k;
            }
        }
        g->cls[i] = (uint8_t)cur;
    }
    for (int q = 0; q < g->ndc; q++)
        for (int c = 0; c < 3; c++)
            if (g->dc[q].R[c] > g->rs) g->rs = g->dc[q].R[c];
    return SMP_OK;
}

/* ---- the halo grid, row by row ----
 * Each thread makes the grid rows its part of the frame needs, in order
 * down the frame, in rings of rows: the deposits are sorted by bands of
 * pixel rows, so once the pass reaches a grid row every deposit that can
 * reach it has been splatted (halo_advance).  Each row, once complete, is
 * blurred along itself into a second ring, and the rows of that ring are
 * blurred down the columns when the pass needs them (column_row).  A
 * thread keeps no grid row below LO: the rows above its part of the frame
 * are the other thread's.  The rows the two parts share are made by both,
 * from the same deposits in the same order: the same values. */
typedef struct halo_stream {
    const halo_grid *g;
    const splat *d;
    size_t n, di;      /* the deposits; the next to splat */
    int lo;            /* the first grid row kept */
    int fin;           /* rows below are blurred along the rows */
    int nraw, nblur;   /* rows in the two rings */
    int pad, rw;       /* zeros either side of a raw row, for the blur's taps; floats per raw row */
    float *raw;        /* [3][nraw][rw]: rows [fin, fin + nraw) as splatted, row r in slot r % nraw */
    float *blur;       /* [3][nblur][gw]: rows [fin - nblur, fin) blurred along the rows */
    uint8_t *raw_any;  /* per raw slot: something splatted (else all 0) */
    uint8_t *blur_any; /* per blurred slot */
} halo_stream;

/* The lowest grid row a deposit of pixel band B (above 0) reaches, but for
 * the extra width of a deeper deposit. */
static int band_first_row(const halo_grid *g, int b) { return (int)floorf((float)(b * BAND) / g->c + g->m - 0.5f); }

static void halo_stream_free(halo_stream *hs)
{
    free(hs->raw);
    free(hs->blur);
    free(hs->raw_any);
    free(hs->blur_any);
}

/* For the grid rows from LO on, the deposits from the first that can
 * reach them. */
static smp_status halo_stream_init(halo_stream *hs, const halo_grid *g, const splat *d, size_t n, int lo)
{
    memset(hs, 0, sizeof *hs);
    hs->g = g;
    hs->d = d;
    hs->n = n;
    hs->lo = hs->fin = lo;
    /* Rows open at once: a band's rows, a deeper deposit's reach above and
     * below, and the margin's rows for the deposits off the frame, which
     * come with the last band (docs in halo_advance). */
    hs->nraw = 2 * g->rs + (BAND + g->c - 1) / g->c + g->m + 6;
    hs->nblur = 2 * g->rmax + 3;
    hs->pad = g->rmax;
    hs->rw = g->gw + 2 * hs->pad;
    hs->raw = calloc((size_t)3 * hs->nraw * hs->rw, sizeof(float));
    hs->blur = malloc(sizeof(float) * 3 * (size_t)hs->nblur * g->gw);
    hs->raw_any = calloc((size_t)hs->nraw, 1);
    hs->blur_any = calloc((size_t)hs->nblur, 1);
    if (!hs->raw || !hs->blur || !hs->raw_any || !hs->blur_any) {
        halo_stream_free(hs);
        return SMP_ENOMEM;
    }
    /* Skip the bands that reach no row from LO on; the last band holds the
     * deposits below the frame. */
    int last = d[n - 1].band;
    while (hs->di < n && d[hs->di].band < last && band_first_row(g, d[hs->di].band + 1) + g->rs + 1 < lo) hs->di++;
    return SMP_OK;
}

static inline float *raw_row(const halo_stream *hs, int c, int r)
{
    return hs->raw + ((size_t)c * hs->nraw + (size_t)(r % hs->nraw)) * hs->rw + hs->pad;
}

static void splat_point(halo_stream *hs, int c, float fx, float fy, float mass)
{
    const halo_grid *g = hs->g;
    int i = (int)floorf(fx), j = (int)floorf(fy);
    float tx = fx - i, ty = fy - j;
    if (i < 0 || j < 0 || i + 1 >= g->gw || j + 1 >= g->gh) return;
    if (j >= hs->lo) {
        float *r0 = raw_row(hs, c, j) + i;
        r0[0] += mass * (1 - tx) * (1 - ty);
        r0[1] += mass * tx * (1 - ty);
        hs->raw_any[j % hs->nraw] = 1;
    }
    if (j + 1 >= hs->lo) {
        float *r1 = raw_row(hs, c, j + 1) + i;
        r1[0] += mass * (1 - tx) * ty;
        r1[1] += mass * tx * ty;
        hs->raw_any[(j + 1) % hs->nraw] = 1;
    }
}

static void splat_gauss(halo_stream *hs, int c, float fx, float fy, float mass, int R, const float *tab)
{
    const halo_grid *g = hs->g;
    int i0 = (int)floorf(fx), j0 = (int)floorf(fy), taps = 2 * R + 2;
    const float *wx = tab + (size_t)(int)((fx - i0) * GSUB) * taps, *wy = tab + (size_t)(int)((fy - j0) * GSUB) * taps;
    int ka = 0, kb = taps;
    if (i0 - R + ka < 0) ka = R - i0;
    if (i0 - R + kb > g->gw) kb = g->gw - i0 + R;
    for (int l = 0; l < taps; l++) {
        int y = j0 - R + l;
        if (y < 0 || y >= g->gh || y < hs->lo) continue;
        float *row = raw_row(hs, c, y) + i0 - R, m = mass * wy[l];
        for (int k = ka; k < kb; k++) row[k] += m * wx[k];
        hs->raw_any[y % hs->nraw] = 1;
    }
}

/* Makes the grid rows up to UPTO blurred along the rows.  Row K is complete
 * once every deposit of a band whose first row, less the deeper deposits'
 * reach RS, is K or less has been splatted: the deposits come by bands,
 * so the ones to come reach no row before K; band 0 holds the deposits
 * above the frame as well, so it goes first.  A deposit splatted for row K
 * reaches at most a band's rows, 2 RS and the margin (for the deposits
 * below the frame, in the last band) past it: inside the raw ring. */
static void halo_advance(halo_stream *hs, int upto)
{
    const halo_grid *g = hs->g;
    if (upto > g->gh - 1) upto = g->gh - 1;
    for (; hs->fin <= upto; hs->fin++) {
        int K = hs->fin;
        for (; hs->di < hs->n; hs->di++) {
            const splat *s = &hs->d[hs->di];
            if (s->band > 0 && band_first_row(g, s->band) - g->rs > K) break;
            uint8_t cl = g->cls[hs->di];
            if (cl == OUTSIDE) continue;
            const depth_class *k = &g->dc[cl];
            float fx = s->x / g->c + g->m - 0.5f, fy = s->y / g->c + g->m - 0.5f;
            for (int c = 0; c < 3; c++) {
                float mass = (float)(s->ink * k->o.gain[c] * k->o.halo[c] * g->scale[c]);
                if (k->R[c] >= 0) splat_gauss(hs, c, fx, fy, mass, k->R[c], k->w[c]);
                else splat_point(hs, c, fx, fy, mass);
            }
        }
        int rs = K % hs->nraw, bs = K % hs->nblur;
        hs->blur_any[bs] = hs->raw_any[rs];
        if (!hs->raw_any[rs]) continue;
        for (int c = 0; c < 3; c++) {
            float *raw = raw_row(hs, c, K);
            const float *src[MAX_TAPS];
            int R = g->R[c];
            for (int t = 0; t <= 2 * R; t++) src[t] = raw - R + t;
            taps_sum(g->avx2, hs->blur + ((size_t)c * hs->nblur + (size_t)bs) * g->gw, src, g->k[c], 2 * R + 1, g->gw);
            memset(raw, 0, sizeof(float) * (size_t)g->gw);
        }
        hs->raw_any[rs] = 0;
    }
}

/* Whether grid row J, blurred down the columns, has any halo; rows up to
 * J + rmax made. */
static int grid_row_lit(halo_stream *hs, int j)
{
    const halo_grid *g = hs->g;
    halo_advance(hs, j + g->rmax);
    for (int y = j - g->rmax; y <= j + g->rmax; y++)
        if (y >= 0 && y < g->gh && hs->blur_any[y % hs->nblur]) return 1;
    return 0;
}

/* Grid row J of channel C blurred down the columns, into OUT (GW
 * values); rows up to J + rmax made.  Rows of zeros are left out of the
 * sum: adding 0 changes nothing. */
static void column_row(halo_stream *hs, int c, int j, float *out)
{
    const halo_grid *g = hs->g;
    const float *src[MAX_TAPS];
    float k[MAX_TAPS];
    int taps = 0, R = g->R[c];
    halo_advance(hs, j + g->rmax);
    for (int t = -R; t <= R; t++) {
        int y = j + t;
        if (y < 0 || y >= g->gh || !hs->blur_any[y % hs->nblur]) continue;
        src[taps] = hs->blur + ((size_t)c * hs->nblur + (size_t)(y % hs->nblur)) * g->gw;
        k[taps++] = g->k[c][t + R];
    }
    if (taps) taps_sum(g->avx2, out, src, k, taps, g->gw);
    else memset(out, 0, sizeof(float) * (size_t)g->gw);
}

/* ---- the pass over the frame ----
 * Band by band down the frame: the cores of the dots whose kernels reach
 * the band are added to a ring of rows beside the frame (a single plane:
 * the core is carbon's neutral grey), then each row of the band is
 * darkened at once by the halo and the core, faded over shine.  The halo
 * grid's rows are widened to the frame's width once each (absorbance
 * interpolated along the row, then its multiplier), and each pixel row
 * interpolates the two around it.  The frame is read and written once; a
 * pixel with no halo and no core keeps its bytes. */
typedef struct frame_pass {
    photo *p;
    const halo_grid *g;
    halo_stream hs;     /* the grid's rows */
    float core_gain[3]; /* absorbance of a core's 8-bit values per unit, per channel */
    float *ring;        /* RH rows of RS floats of core absorbance: the frame's width and room for a kernel's row past it */
    uint8_t *ring_used; /* per ring row: some core in it */
    int rh, rs;
    int avx2;
    float *wide[2];     /* grid rows J and J + 1 widened: multipliers, 3 planes of w */
    int wide_j[2];      /* which grid rows they hold; -1 none */
    float *ones;        /* 3 planes of w multipliers of 1 */
    int *fxi;           /* per pixel column: its grid cell and weight */
    float *fxw;
    float *col[3];      /* a grid row per channel, blurred down the columns: its multipliers */
} frame_pass;

/* Grid row J blurred down the columns, its multipliers widened into OUT:
 * 3 planes of the frame's width. */
static void widen(frame_pass *fp, int j, float *out)
{
    const halo_grid *g = fp->g;
    int w = fp->p->w;
    for (int c = 0; c < 3; c++) {
        const float *r = fp->col[c];
        column_row(&fp->hs, c, j, fp->col[c]);
        /* From absorbance to the multiplier of 8-bit values, once per
         * cell: pixels interpolate the multipliers. */
        to_multiplier(fp->col[c], g->gw);
        float *o = out + (size_t)c * w;
        for (int x = 0; x < w; x++) {
            const float *q = r + fp->fxi[x];
            o[x] = q[0] + (q[1] - q[0]) * fp->fxw[x];
        }
    }
}

static const float *wide_row(frame_pass *fp, int j)
{
    if (!grid_row_lit(&fp->hs, j)) return fp->ones;
    for (int k = 0; k < 2; k++)
        if (fp->wide_j[k] == j) return fp->wide[k];
    /* Replace the one that is not row J - 1 (the other of the pair). */
    int k = fp->wide_j[0] == j - 1 ? 1 : 0;
    widen(fp, j, fp->wide[k]);
    fp->wide_j[k] = j;
    return fp->wide[k];
}

/* Adds kernel K times AMOUNT at column X0, row Y0 of the frame to the
 * ring, rows [YMIN, YMAX) only. */
static void add_core_c(frame_pass *fp, const kernel *k, int x0, int y0, float amount, int ymin, int ymax)
{
    int w = fp->p->w;
    for (int j = 0; j < k->size; j++) {
        int y = y0 + j;
        if (y < ymin || y >= ymax) continue;
        int qa = k->span[2 * j], qb = k->span[2 * j + 1];
        if (x0 + qa < 0) qa = -x0;
        if (x0 + qb > w) qb = w - x0;
        if (qa >= qb) continue;
        float *row = fp->ring + (size_t)(y % fp->rh) * fp->rs + x0;
        const float *v = k->v + (size_t)j * k->ks;
        for (int q = qa; q < qb; q++) row[q] += amount * v[q];
        fp->ring_used[y % fp->rh] = 1;
    }
}

#if HAVE_AVX2
/* The same for a kernel of at most 16 columns whose rows fit in the ring's
 * (X0 >= 0, X0 + K->ks <= RS): whole rows of 8 or 16, the columns past the
 * span and past the frame adding 0 or landing in the ring's margin. */
AVX2 static void add_core_avx2(frame_pass *fp, const kernel *k, int x0, int y0, float amount, int ymin, int ymax)
{
    __m256 am = _mm256_set1_ps(amount);
    int w = fp->p->w, ja = ymin - y0 > 0 ? ymin - y0 : 0, jb = ymax - y0 < k->size ? ymax - y0 : k->size;
    if (ja >= jb) return;
    /* The ring's row of y0 + ja, then the next ones (no division per row). */
    int slot = (y0 + ja) % fp->rh, two = k->ks > 8;
    for (int j = ja; j < jb; j++, slot = slot + 1 == fp->rh ? 0 : slot + 1) {
        int qa = k->span[2 * j], qb = k->span[2 * j + 1];
        if (x0 + qb > w) qb = w - x0;
        if (qa >= qb) continue;
        float *row = fp->ring + (size_t)slot * fp->rs + x0;
        const float *v = k->v + (size_t)j * k->ks;
        _mm256_storeu_ps(row, _mm256_add_ps(_mm256_loadu_ps(row), _mm256_mul_ps(am, _mm256_loadu_ps(v))));
        if (two) _mm256_storeu_ps(row + 8, _mm256_add_ps(_mm256_loadu_ps(row + 8), _mm256_mul_ps(am, _mm256_loadu_ps(v + 8))));
        fp->ring_used[slot] = 1;
    }
}
#endif

static void add_core(frame_pass *fp, const kernel *k, const splat *d, double gain_g, double halo_g, int ymin, int ymax)
{
    float amount = (float)(d->ink * gain_g * (1 - halo_g));
    int x0 = (int)floorf(d->x) + k->off, y0 = (int)floorf(d->y) + k->off;
#if HAVE_AVX2
    if (fp->avx2 && k->ks <= 16 && x0 >= 0 && x0 + k->ks <= fp->rs) {
        add_core_avx2(fp, k, x0, y0, amount, ymin, ymax);
        return;
    }
#endif
    add_core_c(fp, k, x0, y0, amount, ymin, ymax);
}

/* One row: pixels times the halo's multipliers (rows M0 and M1 of 3
 * planes, mixed by TY) and the core's, faded over shine.  Written without branches so that the compiler
 * vectorises it. */
WIDE_LOOP static void darken_row(uint32_t *restrict px, float *restrict core, const float *restrict m0, const float *restrict m1,
                       float ty, const float kc[3], int w)
{
    const float *r0 = m0, *g0 = m0 + w, *b0 = m0 + 2 * w, *r1 = m1, *g1 = m1 + w, *b1 = m1 + 2 * w;
    float k0 = kc[0], k1 = kc[1], k2 = kc[2];
    for (int x = 0; x < w; x++) {
        uint32_t v = px[x];
        float r = (float)((v >> 16) & 255), g = (float)((v >> 8) & 255), b = (float)(v & 255);
        float keep = shine_keep(r, g, b), a = core[x];
        float hr = r0[x] + (r1[x] - r0[x]) * ty, hg = g0[x] + (g1[x] - g0[x]) * ty, hb = b0[x] + (b1[x] - b0[x]) * ty;
        float cr = hr * greater(0, 1 - a * k0), cg = hg * greater(0, 1 - a * k1), cb = hb * greater(0, 1 - a * k2);
        cr += (1 - cr) * keep;
        cg += (1 - cg) * keep;
        cb += (1 - cb) * keep;
        /* Through int: a float to unsigned conversion is a branch. */
        px[x] = (uint32_t)(int)(r * cr + 0.5f) << 16 | (uint32_t)(int)(g * cg + 0.5f) << 8 | (uint32_t)(int)(b * cb + 0.5f);
    }
}

static void finish_row(frame_pass *fp, int y)
{
    const halo_grid *g = fp->g;
    float f = (y + 0.5f) / g->c + g->m - 0.5f;
    int j = (int)floorf(f), slot = y % fp->rh;
    if (!grid_row_lit(&fp->hs, j + 1) && !grid_row_lit(&fp->hs, j) && !fp->ring_used[slot]) return;
    const float *m0 = wide_row(fp, j), *m1 = wide_row(fp, j + 1);
    darken_row((uint32_t *)(fp->p->px + (size_t)y * fp->p->stride), fp->ring + (size_t)slot * fp->rs, m0, m1, f - j,
               fp->core_gain, fp->p->w);
    memset(fp->ring + (size_t)slot * fp->rs, 0, sizeof(float) * (size_t)fp->rs);
    fp->ring_used[slot] = 0;
}

/* Fresh dots: the skin around each is a little red for the first days
 * (docs/domain.md): a soft halo 2.4x the dot's radius takes up to 5 % of the
 * green and 6 % of the blue at its centre. */
static smp_status redden(photo *p, kernel_cache *kc, const splat *d)
{
    float rh = fminf(2.4f * d->r + 1.0f, (float)MAX_R);
    const kernel *k = kernel_get(kc, rh * 0.7f, fminf(rh * 0.3f, 5.5f), d->x, d->y);
    if (!k) return SMP_ENOMEM;
    /* The kernel sums to 1; its centre weighs about 1 / (pi rh^2). */
    float peak = (float)M_PI * rh * rh;
    int x0 = (int)floorf(d->x) + k->off, y0 = (int)floorf(d->y) + k->off;
    for (int j = 0; j < k->size; j++) {
        int y = y0 + j;
        if (y < 0 || y >= p->h) continue;
        uint32_t *row = (uint32_t *)(p->px + (size_t)y * p->stride);
        for (int q = k->span[2 * j]; q < k->span[2 * j + 1]; q++) {
            int x = x0 + q;
            if (x < 0 || x >= p->w) continue;
            float c = k->v[j * k->ks + q] * peak;
            uint32_t v = row[x];
            uint32_t g = (uint32_t)(((v >> 8) & 255) * (1 - 0.05f * c) + 0.5f), b = (uint32_t)((v & 255) * (1 - 0.06f * c) + 0.5f);
            row[x] = (v & 0xff0000u) | g << 8 | b;
        }
    }
    return SMP_OK;
}

/* One thread's share: the rows [YA, YB) of the frame, YA a multiple of
 * BAND.  EXT bounds the half-width of every core kernel in px. */
typedef struct pass_job {
    photo *p;
    const halo_grid *g;
    const splat *order;
    size_t n;
    double ppm;
    const pigment *pg;
    int ext, ya, yb;
    smp_status st;
} pass_job;

static smp_status frame_pass_rows(const pass_job *job)
{
    photo *p = job->p;
    const halo_grid *g = job->g;
    const splat *order = job->order;
    int w = p->w, ext = job->ext;
    frame_pass fp = {0};
    fp.p = p;
    fp.g = g;
    /* Rows from the band being finished to the last a due dot reaches. */
    fp.rh = 2 * BAND + 2 * ext + 1;
    fp.rs = ((w + 7) & ~7) + 16;
    fp.avx2 = g->avx2;
    fp.ring = calloc((size_t)fp.rh * fp.rs, sizeof(float));
    fp.ring_used = calloc((size_t)fp.rh, 1);
    fp.wide[0] = malloc(sizeof(float) * 3 * (size_t)w);
    fp.wide[1] = malloc(sizeof(float) * 3 * (size_t)w);
    fp.ones = malloc(sizeof(float) * 3 * (size_t)w);
    fp.wide_j[0] = fp.wide_j[1] = -1;
    fp.fxi = malloc(sizeof(int) * (size_t)w);
    fp.fxw = malloc(sizeof(float) * (size_t)w);
    fp.col[0] = malloc(sizeof(float) * 3 * (size_t)g->gw);
    fp.col[1] = fp.col[0] + g->gw;
    fp.col[2] = fp.col[1] + g->gw;
    kernel_cache *kc = kernel_cache_new(); /* one per thread: made on first use */
    /* The grid rows from the first this part interpolates, less the column
     * blur's reach. */
    int lo = (int)floorf((job->ya + 0.5f) / g->c + g->m - 0.5f) - g->rmax;
    smp_status st = halo_stream_init(&fp.hs, g, order, job->n, lo > 0 ? lo : 0);
    if (st != SMP_OK) goto out;
    if (!fp.ring || !fp.ring_used || !fp.wide[0] || !fp.wide[1] || !fp.ones || !fp.fxi || !fp.fxw || !fp.col[0] || !kc) {
        st = SMP_ENOMEM;
        goto out;
    }
    for (int x = 0; x < 3 * w; x++) fp.ones[x] = 1;
    for (int x = 0; x < w; x++) {
        float f = (x + 0.5f) / g->c + g->m - 0.5f;
        fp.fxi[x] = (int)floorf(f);
        fp.fxw[x] = f - fp.fxi[x];
    }
    /* The core is the deposit's carbon grey: green's share in every
     * channel, scaled by the ink's colour; as a linear darkening of 8-bit
     * values (small enough at a core's contrast). */
    for (int c = 0; c < 3; c++) fp.core_gain[c] = (float)(job->pg->weight[c] / GAMMA);
    /* A dot of band B reaches rows [B BAND - ext, (B + 1) BAND + ext). */
    size_t di = 0;
    while (di < job->n && (order[di].band + 1) * BAND + ext <= job->ya) di++;
    double zlast = -1;
    deposit_optics o;
    pigment_optics(job->pg->depth_mm, &o);
    for (int y0 = job->ya; y0 < job->yb; y0 += BAND) {
        int y1 = y0 + BAND < job->yb ? y0 + BAND : job->yb;
        /* Every dot that reaches a row before y1 is in the ring by now; the
         * rest start at y1 or after. */
        while (di < job->n && order[di].band * BAND - ext < y1) {
            const splat *d = &order[di++];
            if (d->y < (float)-ext || d->y > (float)(p->h + ext) || d->x < (float)-ext || d->x > (float)(w + ext)) continue;
            if (d->depth != zlast) pigment_optics(zlast = d->depth, &o);
            const kernel *k = kernel_get(kc, d->r, (float)(pigment_core_blur_mm(d->depth) * job->ppm), d->x, d->y);
            if (!k) { st = SMP_ENOMEM; goto out; }
            add_core(&fp, k, d, o.gain[1], o.halo[1], y0, job->yb);
        }
        for (int y = y0; y < y1; y++) finish_row(&fp, y);
    }
out:
    halo_stream_free(&fp.hs);
    kernel_cache_free(kc);
    free(fp.ring);
    free(fp.ring_used);
    free(fp.wide[0]);
    free(fp.wide[1]);
    free(fp.ones);
    free(fp.fxi);
    free(fp.fxw);
    free(fp.col[0]);
    return st;
}

static void *pass_thread(void *arg)
{
    pass_job *job = arg;
    job->st = frame_pass_rows(job);
    return NULL;
}

static smp_status frame_pass_run(photo *p, const halo_grid *g, const splat *order, size_t n, double ppm, const pigment *pg,
                                 kernel_cache *kc)
{
    /* The widest core kernel bounds the rows a dot reaches. */
    int ext = 0;
    for (size_t i = 0; i < n; i++) {
        float sg = fmaxf(0.5f, (float)(pigment_core_blur_mm(order[i].depth) * ppm));
        int e = kernel_extent(fminf(order[i].r, (float)MAX_R), fminf(sg, (NBLUR - 1.0f) / BSTEPS));
        if (e > ext) ext = e;
    }
    pass_job jobs[2] = {{p, g, order, n, ppm, pg, ext, 0, p->h, SMP_OK}, {p, g, order, n, ppm, pg, ext, p->h, p->h, SMP_OK}};
    pthread_t th;
    int threaded = 0;
    if (p->h >= MIN_SPLIT_ROWS) {
        jobs[0].yb = jobs[1].ya = p->h / 2 / BAND * BAND;
        threaded = pthread_create(&th, NULL, pass_thread, &jobs[1]) == 0;
    }
    smp_status st = frame_pass_rows(&jobs[0]);
    if (threaded) pthread_join(th, NULL);
    else if (jobs[1].ya < jobs[1].yb) jobs[1].st = frame_pass_rows(&jobs[1]);
    if (st == SMP_OK) st = jobs[1].st;
    /* Redness around fresh dots, over the darkened skin. */
    for (size_t i = 0; i < n && st == SMP_OK; i++)
        if (order[i].fresh) st = redden(p, kc, &order[i]);
    return st;
}

smp_status render_dots(photo *p, const smp_dot *dots, size_t n, double ppm, double ox, double oy, const pigment *pg,
                       smp_error *err)
{
    if (n == 0 || p->w <= 0 || p->h <= 0) return SMP_OK;
    kernel_cache *kc = kernel_cache_new();
    splat *order = kc ? spatial_order(dots, n, ppm, ox, oy, p->w, p->h) : NULL;
    halo_grid g = {0};
    smp_status st = SMP_OK;
    if (!order || halo_setup(&g, order, n, ppm, p->w, p->h, pg) != SMP_OK ||
        frame_pass_run(p, &g, order, n, ppm, pg, kc) != SMP_OK)
        st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    halo_free(&g);
    kernel_cache_free(kc);
    free(order);
    return st;
}
