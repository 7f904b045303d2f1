#include "render.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

/* Loops the compiler vectorises, in two versions chosen when the program
 * starts: with AVX2 (8 floats at a time) or SSSE3 where the processor has
 * it, else the baseline (SSE2 on x86-64).  Other compilers and machines
 * get the baseline. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define WIDE_LOOP __attribute__((target_clones("avx2", "default")))
#define SSSE3_LOOP __attribute__((target_clones("ssse3", "default")))
#else
#define WIDE_LOOP
#define SSSE3_LOOP
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
#define AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline
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
    int j0, j1;    /* the rows with weight */
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
    for (k->j0 = 0; k->j0 < size && k->span[2 * k->j0] == k->span[2 * k->j0 + 1]; k->j0++) {}
    for (k->j1 = size; k->j1 > k->j0 && k->span[2 * k->j1 - 2] == k->span[2 * k->j1 - 1]; k->j1--) {}
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

/* The radius and blur of R and S px in the cache's steps. */
static int radius_step(float r) { return (int)(fminf(r, (float)MAX_R) * RSTEPS + 0.5f); }
static int blur_step(float s) { return (int)fminf(s * BSTEPS + 0.5f, NBLUR - 1); }

/* The kernel of radius and blur steps RQ and BQ at sub-pixel position
 * (FX, FY) / SUB. */
static const kernel *kernel_at(kernel_cache *kc, int rq, int bq, int fx, int fy)
{
    if (!kc->k[bq] && !(kc->k[bq] = calloc((size_t)NRAD * SUB * SUB, sizeof **kc->k))) return NULL;
    kernel **slot = &kc->k[bq][(size_t)rq * SUB * SUB + (size_t)(fy * SUB + fx)];
    if (!*slot) *slot = kernel_make(kc, rq, bq, fx, fy);
    return *slot;
}

/* The same when it has been made, else NULL; makes nothing. */
static const kernel *kernel_find(const kernel_cache *kc, int rq, int bq, int fx, int fy)
{
    return kc->k[bq] ? kc->k[bq][(size_t)rq * SUB * SUB + (size_t)(fy * SUB + fx)] : NULL;
}

/* The blur step of a core at DEPTH (mm) at PPM on a photo whose own blur
 * is SOFT px: the two Gaussians add as their variances. */
static int core_blur_step(float depth, double ppm, double soft)
{
    double b = pigment_core_blur_mm(depth) * ppm;
    return blur_step((float)sqrt(b * b + soft * soft));
}

/* Makes in KC, ahead of the pass, the kernels of every pair of radius and
 * blur steps used (RQ_USED, BQ_USED), at every sub-pixel position: the
 * pairs of number PART modulo 2, so that two threads share the work; each
 * pair's profile and kernels are its own, and the tables per blur step are
 * made beforehand (kernels_tables).  0, or -1 out of memory. */
static int kernels_make(kernel_cache *kc, const uint8_t *rq_used, const uint8_t *bq_used, int part)
{
    int pair = 0;
    for (int b = 0; b < NBLUR; b++)
        for (int rq = 0; rq < NRAD && bq_used[b]; rq++) {
            if (!rq_used[rq] || pair++ % 2 != part) continue;
            for (int q = 0; q < SUB * SUB; q++)
                if (!kernel_at(kc, rq, b, q % SUB, q / SUB)) return -1;
        }
    return 0;
}

static int kernels_tables(kernel_cache *kc, const uint8_t *bq_used)
{
    for (int b = 0; b < NBLUR; b++)
        if (bq_used[b] && !kc->k[b] && !(kc->k[b] = calloc((size_t)NRAD * SUB * SUB, sizeof **kc->k))) return -1;
    return 0;
}

/* The kernel of a core of radius R px blurred by S px at (X, Y). */
static const kernel *kernel_get(kernel_cache *kc, float r, float s, float x, float y)
{
    float flx = floorf(x), fly = floorf(y);
    return kernel_at(kc, radius_step(r), blur_step(s), (int)((x - flx) * SUB), (int)((y - fly) * SUB));
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

/* The warmth below which a bright pixel starts to be kept (HI), and one
 * over the span to where it is kept whole (INV). */
typedef struct shine_sat {
    float hi, inv;
} shine_sat;

/* For a client whose skin's warmth was measured (pigment.skin_warmth,
 * over 0): light reflected at the surface is white, and adds to the skin's
 * own colour, so a pixel's share of it is about one less its warmth over
 * the skin's (warmth does not change with how much light falls, only with
 * how much is reflected white).  A pixel starts to be kept from SHINE_FROM
 * of that and is kept whole from SHINE_WHOLE: on crown-back.jpg's
 * flash-lit crown (skin warmth 0.17) the fixed thresholds kept 56 % of
 * skin of warmth 0.155 from the pigment, and a 40 x 30 mm patch stayed
 * bare round a 15 mm glare. */
#define SHINE_FROM 0.15
#define SHINE_WHOLE 0.55
static shine_sat shine_sat_for(const pigment *pg)
{
    float hi = SAT_HI, lo = SAT_LO;
    if (pg && pg->skin_warmth > 0) {
        hi = (float)((1 - SHINE_FROM) * pg->skin_warmth);
        lo = (float)((1 - SHINE_WHOLE) * pg->skin_warmth);
    }
    return (shine_sat){hi, 1 / (hi - lo)};
}

static inline float shine_keep(float r, float g, float b, shine_sat sat)
{
    float mn = lesser(r, lesser(g, b)), mx = greater(greater(r, greater(g, b)), 1);
    float warm = greater(r - lesser(g, b), 0) / mx;
    return clamp01((mn - SHINE_LO) * (1 / (SHINE_HI - SHINE_LO))) * clamp01((sat.hi - warm) * sat.inv);
}

double render_pigment_share(uint32_t v)
{
    return 1 - shine_keep((float)((v >> 16) & 255), (float)((v >> 8) & 255), (float)(v & 255), shine_sat_for(NULL));
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
    uint8_t fresh;
    uint8_t cls;      /* its depth class (halos, below) */
} splat;

/* A render has a few depths (healed, blown out, fresh), a halo grid of
 * the shallowest, and for each deeper one the extra width of its halos
 * (depth classes, below): DEPTH_CLASSES of them at most.  With more depths
 * than that (not one of ours), the classes are the first depths met in
 * frame order, and a dot of another depth takes the nearest
 * (depth_classes_redo). */
#define DEPTH_CLASSES 16

/* Over all the dots: the least and greatest depth, the greatest radius,
 * the depth classes (each dot's is its own depth's unless MANY), the
 * radius and blur steps of their cores. */
typedef struct splat_range {
    double zmin, zmax;
    float rmax;
    int ndc, many;
    float depth[DEPTH_CLASSES];
    uint8_t rq_used[NRAD], bq_used[NBLUR];
} splat_range;

/* Z's class, made when new and there is room; else the nearest (MANY). */
static int depth_class_of(splat_range *rg, float z)
{
    int q = 0;
    while (q < rg->ndc && rg->depth[q] != z) q++;
    if (q < rg->ndc) return q;
    if (rg->ndc < DEPTH_CLASSES) {
        rg->depth[rg->ndc] = z;
        return rg->ndc++;
    }
    rg->many = 1;
    q = 0;
    for (int k = 1; k < rg->ndc; k++)
        if (fabs(rg->depth[k] - z) < fabs(rg->depth[q] - z)) q = k;
    return q;
}

/* With MANY depths: the classes again, in frame order, from the dots
 * within LIM px of the W x H frame. */
static void depth_classes_redo(splat_range *rg, splat *d, size_t n, float lim, int w, int h)
{
    rg->ndc = 0;
    for (size_t i = 0; i < n; i++)
        if (!(d[i].x < -lim || d[i].y < -lim || d[i].x > w + lim || d[i].y > h + lim)) d[i].cls = (uint8_t)depth_class_of(rg, d[i].depth);
}

/* The sort, in two parts, one per thread: each counts its dots per cell
 * (order_count), the counts of both give each part its places
 * (order_places), and each copies its dots there (order_copy): the same
 * order as one thread's, the first part's dots first in each cell. */
typedef struct order_part {
    size_t i0, i1;     /* its dots */
    size_t *start;     /* per cell: its dots' count, then the place of the next */
    splat_range rg;    /* of its dots; the classes in the order its dots bring them */
} order_part;

typedef struct sorter {
    const smp_dot *dots;
    size_t n;
    double ppm, ox, oy;
    double soft;       /* the photo's own blur, px */
    int w, h, cw, ch;
    uint32_t *cell;    /* per dot */
    splat *out;
    order_part part[2];
    splat_range rg;    /* of all */
} sorter;

static smp_status sorter_init(sorter *so, const smp_dot *dots, size_t n, double ppm, double ox, double oy, int w, int h)
{
    memset(so, 0, sizeof *so);
    so->dots = dots;
    so->n = n;
    so->ppm = ppm;
    so->ox = ox;
    so->oy = oy;
    so->w = w;
    so->h = h;
    so->cw = w / CELL_W + 1;
    so->ch = h / BAND + 1;
    size_t ncell = (size_t)so->cw * so->ch;
    so->cell = malloc(n * sizeof *so->cell);
    so->out = malloc(n * sizeof *so->out);
    for (int t = 0; t < 2; t++) {
        so->part[t].i0 = t ? n / 2 : 0;
        so->part[t].i1 = t ? n : n / 2;
        so->part[t].start = calloc(ncell, sizeof *so->part[t].start);
    }
    return so->cell && so->out && so->part[0].start && so->part[1].start ? SMP_OK : SMP_ENOMEM;
}

/* Frees all but the sorted dots. */
static void sorter_free(sorter *so)
{
    free(so->cell);
    free(so->part[0].start);
    free(so->part[1].start);
}

static void order_count(sorter *so, int t)
{
    order_part *pt = &so->part[t];
    splat_range *rg = &pt->rg;
    rg->zmin = 1e9;
    float zlast = -1;
    int bq = 0;
    for (size_t i = pt->i0; i < pt->i1; i++) {
        const smp_dot *d = &so->dots[i];
        double x = d->x_mm * so->ppm - so->ox, y = d->y_mm * so->ppm - so->oy;
        long cx = x < 0 ? 0 : x >= so->w ? so->cw - 1 : (long)x / CELL_W, cy = y < 0 ? 0 : y >= so->h ? so->ch - 1 : (long)y / BAND;
        so->cell[i] = (uint32_t)((size_t)cy * so->cw + (size_t)cx);
        pt->start[so->cell[i]]++;
        /* Depth and radius as the records have them. */
        float z = (float)d->depth_mm, r = (float)(d->diameter_mm * so->ppm / 2);
        if (z != zlast) {
            depth_class_of(rg, zlast = z);
            bq = core_blur_step(z, so->ppm, so->soft);
        }
        rg->zmin = fmin(rg->zmin, z);
        rg->zmax = fmax(rg->zmax, z);
        rg->rmax = fmaxf(rg->rmax, r);
        rg->rq_used[radius_step(r)] = rg->bq_used[bq] = 1;
    }
}

static void order_places(sorter *so)
{
    splat_range *rg = &so->rg;
    memset(rg, 0, sizeof *rg);
    rg->zmin = 1e9;
    for (int t = 0; t < 2; t++) {
        const splat_range *p = &so->part[t].rg;
        if (so->part[t].i0 == so->part[t].i1) continue;
        rg->zmin = fmin(rg->zmin, p->zmin);
        rg->zmax = fmax(rg->zmax, p->zmax);
        rg->rmax = fmaxf(rg->rmax, p->rmax);
        for (int q = 0; q < p->ndc; q++) depth_class_of(rg, p->depth[q]);
        rg->many |= p->many;
        for (int q = 0; q < NRAD; q++) rg->rq_used[q] |= p->rq_used[q];
        for (int q = 0; q < NBLUR; q++) rg->bq_used[q] |= p->bq_used[q];
    }
    size_t pos = 0, ncell = (size_t)so->cw * so->ch;
    for (size_t c = 0; c < ncell; c++)
        for (int t = 0; t < 2; t++) {
            size_t k = so->part[t].start[c];
            so->part[t].start[c] = pos;
            pos += k;
        }
}

static void order_copy(sorter *so, int t)
{
    order_part *pt = &so->part[t];
    const splat_range *rg = &so->rg;
    float zlast = -1;
    int cls = 0;
    for (size_t i = pt->i0; i < pt->i1; i++) {
        const smp_dot *d = &so->dots[i];
        double r = d->diameter_mm * so->ppm / 2, y = d->y_mm * so->ppm - so->oy;
        long cy = y < 0 ? 0 : y >= so->h ? so->ch - 1 : (long)y / BAND;
        splat *sp = &so->out[pt->start[so->cell[i]]++];
        *sp = (splat){(float)(d->x_mm * so->ppm - so->ox), (float)y, (float)r, (float)(M_PI * r * r * d->darkness),
                      (float)d->depth_mm, (int)cy, (uint8_t)(d->fresh != 0), 0};
        if (sp->depth != zlast) {
            /* Its own depth's class; with MANY, any (depth_classes_redo). */
            zlast = sp->depth;
            for (cls = 0; cls < rg->ndc - 1 && rg->depth[cls] != zlast; cls++) {}
        }
        sp->cls = (uint8_t)cls;
    }
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

typedef struct depth_class {
    double depth;
    deposit_optics o;
    double mass[3]; /* of the halo per channel and unit of ink: gain, halo share, the ink's weight per cell */
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
    int w, h;        /* the frame's */
    float lim;       /* px: deposits further off the frame reach none of it */
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
    depth_classes_free(g->dc, g->ndc);
}

/* Fills DC for DEPTH given the grid's optics LO; 0, or -1 out of memory. */
static int depth_class_make(depth_class *dc, double depth, const deposit_optics *lo, const halo_grid *g, double cell_mm)
{
    memset(dc, 0, sizeof *dc);
    dc->depth = depth;
    pigment_optics(depth, &dc->o);
    for (int c = 0; c < 3; c++) dc->mass[c] = dc->o.gain[c] * dc->o.halo[c] * g->scale[c];
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
    for (int x = 0; x < n; x++) out[x] = 0;
    for (int t = 0; t < taps; t++) {
        const float *restrict q = src[t];
        float kt = k[t];
        for (int x = 0; x < n; x++) out[x] += kt * q[x];
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
static smp_status halo_setup(halo_grid *g, const splat_range *rg, double ppm, int w, int h, const pigment *pg)
{
    memset(g, 0, sizeof *g);
    g->w = w;
    g->h = h;
    /* The grid's blur is that of the shallowest deposit: deeper ones add
     * their extra width. */
    deposit_optics lo, hi;
    pigment_optics(rg->zmin, &lo);
    pigment_optics(rg->zmax, &hi);
    /* Whole pixels of at most HALO_CELL_MM: the narrowest halo (0.45 mm)
     * then spans more than a cell either way, enough to interpolate. */
    g->avx2 = avx2_usable();
    g->c = (int)floor(ppm * HALO_CELL_MM + 1e-9);
    if (g->c < 1) g->c = 1;
    double cell_mm = g->c / ppm;
    double reach = 0;
    /* The photo's own blur widens the halos too (variances add). */
    double soft2 = pg->soft_mm * pg->soft_mm;
    for (int c = 0; c < 3; c++) {
        g->sigma[c] = sqrt(lo.sigma_mm[c] * lo.sigma_mm[c] + soft2) / cell_mm;
        reach = fmax(reach, HALO_REACH * sqrt(hi.sigma_mm[c] * hi.sigma_mm[c] + soft2) / cell_mm);
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
    g->lim = (float)(g->m * g->c);
    for (; g->ndc < rg->ndc; g->ndc++)
        if (depth_class_make(&g->dc[g->ndc], rg->depth[g->ndc], &lo, g, cell_mm)) {
            depth_classes_free(&g->dc[g->ndc], 1);
            halo_free(g);
            return SMP_ENOMEM;
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
    int band, band_row; /* the band of the last deposit looked at; the first row it reaches */
} halo_stream;

/* The first of the N dots, in frame order, of band B or a later one. */
static size_t first_of_band(const splat *d, size_t n, int b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d[mid].band < b) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

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
    hs->band = -1;
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
    int last = d[n - 1].band, b = 0;
    while (b < last && band_first_row(g, b + 1) + g->rs + 1 < lo) b++;
    hs->di = first_of_band(d, n, b);
    return SMP_OK;
}

/* Row R of channel C in the raw ring, R in [fin, fin + nraw). */
static inline float *raw_row(const halo_stream *hs, int c, int r)
{
    return hs->raw + ((size_t)c * hs->nraw + (size_t)(r % hs->nraw)) * hs->rw + hs->pad;
}

/* A deposit's halo at (FX, FY) cells, MASS per channel: bilinear points, or
 * for a deeper deposit its extra width (depth class K). */
static void splat_dot(halo_stream *hs, float fx, float fy, const float mass[3], const depth_class *k)
{
    const halo_grid *g = hs->g;
    int i = (int)floorf(fx), j = (int)floorf(fy);
    float tx = fx - i, ty = fy - j;
    for (int c = 0; c < 3; c++) {
        if (k->R[c] >= 0) {
            /* A small Gaussian, separable, its taps tabulated. */
            int R = k->R[c], taps = 2 * R + 2, ka = 0, kb = taps;
            const float *wx = k->w[c] + (size_t)(int)(tx * GSUB) * taps, *wy = k->w[c] + (size_t)(int)(ty * GSUB) * taps;
            if (i - R + ka < 0) ka = R - i;
            if (i - R + kb > g->gw) kb = g->gw - i + R;
            for (int l = 0; l < taps; l++) {
                int y = j - R + l;
                if (y < 0 || y >= g->gh || y < hs->lo) continue;
                float *row = raw_row(hs, c, y) + i - R, m = mass[c] * wy[l];
                for (int q = ka; q < kb; q++) row[q] += m * wx[q];
                hs->raw_any[y % hs->nraw] = 1;
            }
            continue;
        }
        if (i < 0 || j < 0 || i + 1 >= g->gw || j + 1 >= g->gh) continue;
        /* The ring's slots of rows j and j + 1, without a division each. */
        int s0 = j % hs->nraw, s1 = s0 + 1 == hs->nraw ? 0 : s0 + 1;
        float *plane = hs->raw + (size_t)c * hs->nraw * hs->rw + hs->pad + i;
        if (j >= hs->lo) {
            float *r0 = plane + (size_t)s0 * hs->rw;
            r0[0] += mass[c] * (1 - tx) * (1 - ty);
            r0[1] += mass[c] * tx * (1 - ty);
            hs->raw_any[s0] = 1;
        }
        if (j + 1 >= hs->lo) {
            float *r1 = plane + (size_t)s1 * hs->rw;
            r1[0] += mass[c] * (1 - tx) * ty;
            r1[1] += mass[c] * tx * ty;
            hs->raw_any[s1] = 1;
        }
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
            if (s->band != hs->band) {
                hs->band = s->band;
                hs->band_row = s->band > 0 ? band_first_row(g, s->band) - g->rs : INT_MIN;
            }
            if (hs->band_row > K) break;
            if (s->x < -g->lim || s->y < -g->lim || s->x > g->w + g->lim || s->y > g->h + g->lim) continue;
            const depth_class *k = &g->dc[s->cls];
            float mass[3];
            for (int c = 0; c < 3; c++) mass[c] = (float)(s->ink * k->mass[c]);
            splat_dot(hs, s->x / g->c + g->m - 0.5f, s->y / g->c + g->m - 0.5f, mass, k);
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
 * grid's rows are widened to the frame's width once each (blurred down the
 * columns, turned into multipliers per cell, interpolated along the row),
 * and each pixel row interpolates the two around it.  The frame is read and written once; a
 * pixel with no halo and no core keeps its bytes.
 *
 * The pixel loop works in 16-bit fixed point, 16 values to an AVX2
 * operation where float would take 8: multipliers and shares of the light
 * in 1/32768ths (Q15, 1 itself as 32767, which keeps any 8-bit value just
 * as well), each product rounded to nearest (mulhrs, the rounding of
 * AVX2's pmulhrsw).  The halo's multiplier is rounded once; the core takes
 * its share of what the halo leaves (h - h g), so that where there is no
 * core nothing else is rounded.  The error is a few thousandths of a level
 * on average, under the rounding to 8 bits. */
#define Q15 32767
#define Q14 16384 /* A, the core's absorbance, in 1/16384ths: up to 2 */
#define SHINE_MIN8 172 /* the darkest channel from which shine_keep can be above 0 */

typedef struct frame_pass {
    photo *p;
    const halo_grid *g;
    halo_stream hs;     /* the grid's rows */
    float core_scale;   /* core absorbance to A: the absorbance of 8-bit values in the darkest channel, Q(14 - core_shift) */
    int16_t core_w[4];  /* per byte of a pixel (blue, green, red, the fourth): its share of A, Q15 */
    int core_shift;     /* 0, or 1 for a strongly coloured ink: A's range is 2^(core_shift + 1) */
    shine_sat sat;      /* the shine's thresholds for this client's skin */
    float *ring;        /* RH rows of RS floats of core absorbance: the frame's width and room for a kernel's row past it */
    uint8_t *ring_used; /* per ring row: some core in it */
    int rh, rs;
    int band_y, band_slot; /* the first row of the band being drawn, its ring row */
    int used_lo, used_hi;  /* the rows the cores added for it reach, to mark used */
    int avx2;
    int w8;             /* the frame's width rounded up to 8 */
    int16_t *wide[2];   /* grid rows J and J + 1 widened: 4 multipliers a pixel (below) */
    int wide_j[2];      /* which grid rows they hold; -1 none */
    int16_t *ones;      /* multipliers of 1 */
    int *fxi;           /* per pixel column (w8 of them): its grid cell and weight */
    float *fxw;
    float *col[3];      /* a grid row per channel, blurred down the columns: its multipliers */
} frame_pass;

/* A widened row holds, per pixel, the multipliers of its 4 bytes, in the
 * order of the bytes in memory: for the C loops, pixel X's at 4 X; for
 * AVX2 (blue, green, red, and 1 for the fourth) the pixels of each group of
 * 8 in the order 0 1 4 5 2 3 6 7, the order in which AVX2 unpacks 8 pixels'
 * bytes to 16 bits. */

/* Which byte of a pixel 0x00RRGGBB lies at offset K in memory, as its
 * shift: 0 for blue up to 24 for the fourth. */
static int byte_shift(int k)
{
    const union { uint32_t u; uint8_t b[4]; } probe = {0x18100800u};
    return probe.b[k];
}

/* a b / 32768 rounded to nearest: pmulhrsw's arithmetic, in the form
 * compilers recognise as that instruction (with an arithmetic shift of a
 * negative product, as every compiler we use does). */
static inline int16_t mulhrs16(int16_t a, int16_t b) { return (int16_t)(((((int32_t)a * b) >> 14) + 1) >> 1); }

/* The multipliers of grid row ROW[0..2] (R, G, B) widened to pixel columns
 * [0, W8) into OUT: interpolated between the two cells around each pixel
 * centre, then to Q15, truncated: under a 32768th below the float value,
 * never above (0.002 of a level darker on average), the faintest halo's
 * rounding to 8 bits stays close to the float arithmetic's. */
static void widen_c(int16_t *out, const float *const *row, const int *fxi, const float *fxw, int w8)
{
    int ch[4];
    for (int k = 0; k < 4; k++) ch[k] = 2 - byte_shift(k) / 8; /* R, G, B = 0, 1, 2; -1 for the fourth */
    for (int x = 0; x < w8; x++)
        for (int k = 0; k < 4; k++) {
            int16_t v = Q15;
            if (ch[k] >= 0) {
                const float *q = row[ch[k]] + fxi[x];
                float h = q[0] + (q[1] - q[0]) * fxw[x];
                v = (int16_t)(int)lesser(h * 32768.0f, (float)Q15);
            }
            out[4 * (size_t)x + k] = v;
        }
}

/* One row of pixels: times the halo's multipliers (rows M0 and M1,
 * mixed by TY in Q15), the core's (CORE, cleared for the next row to use),
 * faded over shine.  By chunks, the per-pixel values first, so that the
 * compiler can vectorise the arithmetic on the bytes (with pmulhrsw where
 * the processor has SSSE3). */
#define CHUNK 64
SSSE3_LOOP static void darken_row_c(uint32_t *px, float *core, const int16_t *m0, const int16_t *m1, int ty, const frame_pass *fp,
                         int w)
{
    int16_t cw[4 * CHUNK], a[4 * CHUNK], keep[4 * CHUNK];
    for (int i = 0; i < 4 * CHUNK; i++) cw[i] = fp->core_w[byte_shift(i & 3) / 8];
    int sh = fp->core_shift + 1;
    int16_t ty16 = (int16_t)ty;
    uint8_t *bytes = (uint8_t *)px;
    for (int x0 = 0; x0 < w; x0 += CHUNK) {
        int n = w - x0 < CHUNK ? w - x0 : CHUNK;
        for (int x = 0; x < n; x++) {
            /* To the nearest integer, ties to even as cvtps2dq: adding 1.5
             * 2^23 leaves no fraction. */
            int16_t ax = (int16_t)(int)((lesser(core[x0 + x] * fp->core_scale, (float)Q15) + 12582912.0f) - 12582912.0f), kx = 0;
            core[x0 + x] = 0;
            uint32_t v = px[x0 + x];
            int r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
            if (r >= SHINE_MIN8 && g >= SHINE_MIN8 && b >= SHINE_MIN8)
                kx = (int16_t)(int)lesser(shine_keep((float)r, (float)g, (float)b, fp->sat) * 32768.0f + 0.5f, (float)Q15);
            for (int k = 0; k < 4; k++) {
                a[4 * x + k] = ax;
                keep[4 * x + k] = kx;
            }
        }
        const int16_t *h0 = m0 + 4 * (size_t)x0, *h1 = m1 + 4 * (size_t)x0;
        uint8_t *o = bytes + 4 * (size_t)x0;
        for (int i = 0; i < 4 * n; i++) {
            /* 16-bit values throughout, which the compiler can keep in
             * 16-bit lanes. */
            int16_t h = (int16_t)(h0[i] + mulhrs16((int16_t)(h1[i] - h0[i]), ty16));
            /* The core's share of the light, to Q15 with saturation at 1. */
            int16_t c = mulhrs16(a[i], cw[i]);
            c = (int16_t)(c > (Q15 >> sh) ? Q15 : c << sh);
            int16_t m = (int16_t)(h - mulhrs16(h, c));
            m = (int16_t)(m + mulhrs16((int16_t)(Q15 - m), keep[i]));
            o[i] = (uint8_t)mulhrs16(o[i], m);
        }
    }
}

#if HAVE_AVX2
AVX2 static void widen_avx2(int16_t *out, const float *const *row, const int *fxi, const float *fxw, int w8)
{
    const __m256 one = _mm256_set1_ps(32768.0f), q15 = _mm256_set1_ps((float)Q15);
    const __m256i fourth = _mm256_set1_epi32(Q15 << 16);
    for (int x = 0; x < w8; x += 8) {
        /* The 8 pixels lie over cells b .. b + 8: two loads and a permute
         * for each side, no gather. */
        int b = fxi[x];
        __m256i idx = _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(fxi + x)), _mm256_set1_epi32(b));
        __m256 t = _mm256_loadu_ps(fxw + x);
        __m256i m[3];
        for (int c = 0; c < 3; c++) {
            __m256 q0 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(row[c] + b), idx);
            __m256 q1 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(row[c] + b + 1), idx);
            __m256 h = _mm256_add_ps(q0, _mm256_mul_ps(_mm256_sub_ps(q1, q0), t));
            m[c] = _mm256_cvttps_epi32(_mm256_min_ps(_mm256_mul_ps(h, one), q15));
        }
        __m256i bg = _mm256_or_si256(m[2], _mm256_slli_epi32(m[1], 16)), rx = _mm256_or_si256(m[0], fourth);
        _mm256_storeu_si256((__m256i *)(out + 4 * (size_t)x), _mm256_unpacklo_epi32(bg, rx));
        _mm256_storeu_si256((__m256i *)(out + 4 * (size_t)x + 16), _mm256_unpackhi_epi32(bg, rx));
    }
}

/* 8 values of 0..32767 (32 bits each) to 16 bits, each 4 times: for pixels
 * 0 1 4 5 in LO, 2 3 6 7 in HI, the order of the pixels' unpacked bytes. */
AVX2_INLINE static void spread4(__m256i a, __m256i *lo, __m256i *hi)
{
    __m256i d = _mm256_or_si256(a, _mm256_slli_epi32(a, 16));
    *lo = _mm256_unpacklo_epi32(d, d);
    *hi = _mm256_unpackhi_epi32(d, d);
}

/* shine_keep of 8 pixels in Q15, the same arithmetic. */
AVX2_INLINE static __m256i keep8(__m256i v, __m256 sat_hi, __m256 sat_inv)
{
    const __m256i m255 = _mm256_set1_epi32(255);
    const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1);
    __m256 r = _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(v, 16), m255));
    __m256 g = _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(v, 8), m255));
    __m256 b = _mm256_cvtepi32_ps(_mm256_and_si256(v, m255));
    __m256 gb = _mm256_min_ps(g, b), mn = _mm256_min_ps(r, gb);
    __m256 mx = _mm256_max_ps(_mm256_max_ps(r, _mm256_max_ps(g, b)), one);
    __m256 warm = _mm256_div_ps(_mm256_max_ps(_mm256_sub_ps(r, gb), zero), mx);
    __m256 k1 = _mm256_mul_ps(_mm256_sub_ps(mn, _mm256_set1_ps(SHINE_LO)), _mm256_set1_ps(1 / (SHINE_HI - SHINE_LO)));
    __m256 k2 = _mm256_mul_ps(_mm256_sub_ps(sat_hi, warm), sat_inv);
    k1 = _mm256_min_ps(_mm256_max_ps(k1, zero), one);
    k2 = _mm256_min_ps(_mm256_max_ps(k2, zero), one);
    __m256 keep = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(k1, k2), _mm256_set1_ps(32768.0f)), _mm256_set1_ps(0.5f));
    return _mm256_cvttps_epi32(_mm256_min_ps(keep, _mm256_set1_ps((float)Q15)));
}

/* darken_row_c on 8 pixels. */
AVX2_INLINE static void darken8(uint32_t *px, float *core, const int16_t *m0, const int16_t *m1, __m256i ty, __m256i cw,
                                __m256 cs, int shift, __m256 sat_hi, __m256 sat_inv)
{
    const __m256i zero = _mm256_setzero_si256(), q15 = _mm256_set1_epi16(Q15);
    __m256i v = _mm256_loadu_si256((const __m256i *)px);
    __m256i lo = _mm256_unpacklo_epi8(v, zero), hi = _mm256_unpackhi_epi8(v, zero);
    __m256i a0 = _mm256_loadu_si256((const __m256i *)m0), a1 = _mm256_loadu_si256((const __m256i *)(m0 + 16));
    __m256i b0 = _mm256_loadu_si256((const __m256i *)m1), b1 = _mm256_loadu_si256((const __m256i *)(m1 + 16));
    __m256i hl = _mm256_add_epi16(a0, _mm256_mulhrs_epi16(_mm256_sub_epi16(b0, a0), ty));
    __m256i hh = _mm256_add_epi16(a1, _mm256_mulhrs_epi16(_mm256_sub_epi16(b1, a1), ty));
    __m256 a = _mm256_min_ps(_mm256_mul_ps(_mm256_loadu_ps(core), cs), _mm256_set1_ps((float)Q15));
    _mm256_storeu_ps(core, _mm256_setzero_ps());
    __m256i al, ah;
    spread4(_mm256_cvtps_epi32(a), &al, &ah);
    /* The core's share of the light, to Q15 with saturation at 1. */
    __m256i gl = _mm256_mulhrs_epi16(al, cw), gh = _mm256_mulhrs_epi16(ah, cw);
    gl = _mm256_adds_epi16(gl, gl);
    gh = _mm256_adds_epi16(gh, gh);
    if (shift) {
        gl = _mm256_adds_epi16(gl, gl);
        gh = _mm256_adds_epi16(gh, gh);
    }
    __m256i ml = _mm256_sub_epi16(hl, _mm256_mulhrs_epi16(hl, gl)), mh = _mm256_sub_epi16(hh, _mm256_mulhrs_epi16(hh, gh));
    /* Shine only where a pixel's channels are all SHINE_MIN8 or more: skin
     * seldom is, and the block skips the float arithmetic.  A bit per
     * byte under SHINE_MIN8; such a pixel's three low bits are clear. */
    uint32_t under = (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_subs_epu8(v, _mm256_set1_epi8((char)(SHINE_MIN8 - 1))), zero));
    if (((~under & 0x77777777u) + 0x11111111u) & 0x88888888u) {
        __m256i kl, kh;
        spread4(keep8(v, sat_hi, sat_inv), &kl, &kh);
        ml = _mm256_add_epi16(ml, _mm256_mulhrs_epi16(_mm256_sub_epi16(q15, ml), kl));
        mh = _mm256_add_epi16(mh, _mm256_mulhrs_epi16(_mm256_sub_epi16(q15, mh), kh));
    }
    lo = _mm256_mulhrs_epi16(lo, ml);
    hi = _mm256_mulhrs_epi16(hi, mh);
    _mm256_storeu_si256((__m256i *)px, _mm256_packus_epi16(lo, hi));
}

/* NEXT, a row further down (or NULL), is fetched into the cache ahead:
 * the processor's own prefetching does not run ahead of the pixels as far
 * (it stops at every 4 kB page), and the rows are read once. */
AVX2 static void darken_row_avx2(uint32_t *px, float *core, const int16_t *m0, const int16_t *m1, int ty,
                                 const frame_pass *fp, int w, const char *next)
{
    const __m256i tyv = _mm256_set1_epi16((int16_t)ty);
    const __m256i cw = _mm256_set1_epi64x((int64_t)((uint64_t)(uint16_t)fp->core_w[0] | (uint64_t)(uint16_t)fp->core_w[1] << 16 |
                                                    (uint64_t)(uint16_t)fp->core_w[2] << 32 | (uint64_t)(uint16_t)fp->core_w[3] << 48));
    const __m256 cs = _mm256_set1_ps(fp->core_scale), sh = _mm256_set1_ps(fp->sat.hi), si = _mm256_set1_ps(fp->sat.inv);
    const int shift = fp->core_shift;
    int x = 0;
    if (next)
        for (; x + 16 <= w; x += 16) {
            _mm_prefetch(next + 4 * (size_t)x, _MM_HINT_T0);
            darken8(px + x, core + x, m0 + 4 * (size_t)x, m1 + 4 * (size_t)x, tyv, cw, cs, shift, sh, si);
            darken8(px + x + 8, core + x + 8, m0 + 4 * (size_t)x + 32, m1 + 4 * (size_t)x + 32, tyv, cw, cs, shift, sh, si);
        }
    for (; x + 8 <= w; x += 8) darken8(px + x, core + x, m0 + 4 * (size_t)x, m1 + 4 * (size_t)x, tyv, cw, cs, shift, sh, si);
    if (x < w) {
        /* The last pixels through a copy: the ring and the widened rows
         * have room for 8. */
        uint32_t t[8] = {0};
        memcpy(t, px + x, sizeof(uint32_t) * (size_t)(w - x));
        darken8(t, core + x, m0 + 4 * (size_t)x, m1 + 4 * (size_t)x, tyv, cw, cs, shift, sh, si);
        memcpy(px + x, t, sizeof(uint32_t) * (size_t)(w - x));
    }
}
#endif

/* Grid row J blurred down the columns, its multipliers widened into OUT. */
static void widen(frame_pass *fp, int j, int16_t *out)
{
    const halo_grid *g = fp->g;
    for (int c = 0; c < 3; c++) {
        column_row(&fp->hs, c, j, fp->col[c]);
        /* From absorbance to the multiplier of 8-bit values, once per
         * cell: pixels interpolate the multipliers. */
        to_multiplier(fp->col[c], g->gw);
    }
#if HAVE_AVX2
    if (fp->avx2) {
        widen_avx2(out, (const float *const *)fp->col, fp->fxi, fp->fxw, fp->w8);
        return;
    }
#endif
    widen_c(out, (const float *const *)fp->col, fp->fxi, fp->fxw, fp->w8);
}

static const int16_t *wide_row(frame_pass *fp, int j)
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
        if (y < fp->used_lo) fp->used_lo = y;
        if (y + 1 > fp->used_hi) fp->used_hi = y + 1;
    }
}

#if HAVE_AVX2
/* The same for a kernel of at most 16 columns whose rows fit in the ring's
 * (X0 >= 0, X0 + K->ks <= RS): whole rows of 8 or 16, the columns past the
 * span and past the frame adding 0 or landing in the ring's margin.  A
 * row marked used that gets nothing changes no pixel. */
AVX2 static void add_core_avx2(frame_pass *fp, const kernel *k, int x0, int y0, float amount, int ymin, int ymax)
{
    int ja = ymin - y0 > k->j0 ? ymin - y0 : k->j0, jb = ymax - y0 < k->j1 ? ymax - y0 : k->j1;
    if (ja >= jb) return;
    __m256 am = _mm256_set1_ps(amount);
    /* The ring's row of y0 + ja (at or after the band's first row: no
     * division), then the next ones. */
    const int rh = fp->rh, ks = k->ks;
    int slot0 = fp->band_slot + (y0 + ja - fp->band_y);
    if (slot0 >= rh) slot0 -= rh;
    const size_t rs = (size_t)fp->rs;
    float *ring = fp->ring + x0, *row = ring + (size_t)slot0 * rs;
    const float *v = k->v + (size_t)ja * ks;
    for (int j = ja, slot = slot0; j < jb; j++, v += ks) {
        _mm256_storeu_ps(row, _mm256_add_ps(_mm256_loadu_ps(row), _mm256_mul_ps(am, _mm256_loadu_ps(v))));
        if (ks > 8) _mm256_storeu_ps(row + 8, _mm256_add_ps(_mm256_loadu_ps(row + 8), _mm256_mul_ps(am, _mm256_loadu_ps(v + 8))));
        row += rs;
        if (++slot == rh) {
            slot = 0;
            row = ring;
        }
    }
    if (y0 + ja < fp->used_lo) fp->used_lo = y0 + ja;
    if (y0 + jb > fp->used_hi) fp->used_hi = y0 + jb;
}
#endif

/* Kernel K times AMOUNT with its centre pixel at (IX, IY). */
static void add_core(frame_pass *fp, const kernel *k, int ix, int iy, float amount, int ymin, int ymax)
{
    int x0 = ix + k->off, y0 = iy + k->off;
#if HAVE_AVX2
    if (fp->avx2 && k->ks <= 16 && x0 >= 0 && x0 + k->ks <= fp->rs) {
        add_core_avx2(fp, k, x0, y0, amount, ymin, ymax);
        return;
    }
#endif
    add_core_c(fp, k, x0, y0, amount, ymin, ymax);
}

static void finish_row(frame_pass *fp, int y)
{
    const halo_grid *g = fp->g;
    float f = (y + 0.5f) / g->c + g->m - 0.5f;
    int j = (int)floorf(f), slot = y % fp->rh;
    if (!grid_row_lit(&fp->hs, j + 1) && !grid_row_lit(&fp->hs, j) && !fp->ring_used[slot]) return;
    const int16_t *m0 = wide_row(fp, j), *m1 = wide_row(fp, j + 1);
    int ty = (int)((f - j) * 32768.0f + 0.5f);
    if (ty > Q15) ty = Q15;
    uint32_t *px = (uint32_t *)(fp->p->px + (size_t)y * fp->p->stride);
    float *core = fp->ring + (size_t)slot * fp->rs;
#if HAVE_AVX2
    if (fp->avx2)
        darken_row_avx2(px, core, m0, m1, ty, fp, fp->p->w,
                        y + 2 < fp->p->h ? (const char *)px + 2 * (size_t)fp->p->stride : NULL);
    else
#endif
        darken_row_c(px, core, m0, m1, ty, fp, fp->p->w);
    /* The darkening cleared the cores it read; the rest of the row too. */
    memset(core + fp->p->w, 0, sizeof(float) * (size_t)(fp->rs - fp->p->w));
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
    const kernel_cache *shared; /* every kernel the pass needs, made beforehand; or NULL */
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
    /* Rows from the band being finished, Y0, to the last a due dot
     * reaches: the dots due are those of bands up to (Y0 + BAND + ext - 1)
     * / BAND, and a dot of band B reaches rows before (B + 1) BAND + ext. */
    fp.rh = BAND * (1 + (BAND + ext - 1) / BAND) + ext;
    fp.w8 = (w + 7) & ~7;
    fp.rs = fp.w8 + 16;
    fp.avx2 = g->avx2;
    fp.sat = shine_sat_for(job->pg);
    size_t wide_bytes = sizeof(int16_t) * 4 * (size_t)fp.w8;
    fp.ring = calloc((size_t)fp.rh * fp.rs, sizeof(float));
    fp.ring_used = calloc((size_t)fp.rh, 1);
    fp.wide[0] = malloc(wide_bytes);
    fp.wide[1] = malloc(wide_bytes);
    fp.ones = malloc(wide_bytes);
    fp.wide_j[0] = fp.wide_j[1] = -1;
    fp.fxi = malloc(sizeof(int) * (size_t)fp.w8);
    fp.fxw = malloc(sizeof(float) * (size_t)fp.w8);
    /* With room for the 8 cells widen_avx2 loads past the last it uses. */
    fp.col[0] = calloc(3 * ((size_t)g->gw + 16), sizeof(float));
    fp.col[1] = fp.col[0] + g->gw + 16;
    fp.col[2] = fp.col[1] + g->gw + 16;
    kernel_cache *kc = NULL; /* this thread's kernels, made on first use, when none are shared */
    /* The grid rows from the first this part interpolates, less the column
     * blur's reach. */
    int lo = (int)floorf((job->ya + 0.5f) / g->c + g->m - 0.5f) - g->rmax;
    smp_status st = halo_stream_init(&fp.hs, g, order, job->n, lo > 0 ? lo : 0);
    if (st != SMP_OK) goto out;
    if (!fp.ring || !fp.ring_used || !fp.wide[0] || !fp.wide[1] || !fp.ones || !fp.fxi || !fp.fxw || !fp.col[0]) {
        st = SMP_ENOMEM;
        goto out;
    }
    for (int x = 0; x < 4 * fp.w8; x++) fp.ones[x] = Q15;
    for (int x = 0; x < fp.w8; x++) {
        float f = (x + 0.5f) / g->c + g->m - 0.5f;
        fp.fxi[x] = (int)floorf(f);
        fp.fxw[x] = f - fp.fxi[x];
        /* The columns past the frame: any cell in the grid. */
        if (fp.fxi[x] > g->gw - 2) fp.fxi[x] = g->gw - 2;
    }
    /* The core is the deposit's carbon grey: green's share in every
     * channel, scaled by the ink's colour; as a linear darkening of 8-bit
     * values (small enough at a core's contrast), channel c's by
     * weight[c] / GAMMA per unit: A is that of the darkest channel,
     * core_w each channel's share of it.  A goes up to 2 in Q14: where
     * every channel is black for carbon and any ink whose channels' shares
     * are within 2 to 1; up to 4 in Q13 for a more strongly coloured ink
     * (beyond that, its faintest channel keeps a little of its light in
     * the blackest cores). */
    double kmax = 0, share = 1;
    for (int c = 0; c < 3; c++) kmax = fmax(kmax, job->pg->weight[c] / GAMMA);
    for (int c = 0; c < 3; c++) {
        fp.core_w[2 - c] = (int16_t)(kmax > 0 ? (int)(job->pg->weight[c] / GAMMA / kmax * Q15 + 0.5) : 0);
        if (fp.core_w[2 - c] > 0) share = fmin(share, fp.core_w[2 - c] / (double)Q15);
    }
    fp.core_w[3] = 0;
    if (1 / share > 2) fp.core_shift = 1;
    fp.core_scale = (float)(kmax * (Q14 >> fp.core_shift));
    /* A dot of band B reaches rows [B BAND - ext, (B + 1) BAND + ext). */
    size_t di = first_of_band(order, job->n, (job->ya - ext) / BAND);
    double zlast = -1, gain = 0, halo = 0;
    int bq = 0;
    for (int y0 = job->ya; y0 < job->yb; y0 += BAND) {
        int y1 = y0 + BAND < job->yb ? y0 + BAND : job->yb;
        fp.band_y = y0;
        fp.band_slot = y0 % fp.rh;
        fp.used_lo = INT_MAX;
        fp.used_hi = INT_MIN;
        /* Every dot that reaches a row before y1 is in the ring by now; the
         * rest start at y1 or after. */
        while (di < job->n && order[di].band * BAND - ext < y1) {
            const splat *d = &order[di++];
            if (d->y < (float)-ext || d->y > (float)(p->h + ext) || d->x < (float)-ext || d->x > (float)(w + ext)) continue;
            if (d->depth != zlast) {
                deposit_optics o;
                pigment_optics(zlast = d->depth, &o);
                gain = o.gain[1];
                halo = o.halo[1];
                bq = core_blur_step(d->depth, job->ppm, job->pg->soft_mm * job->ppm);
            }
            /* floorf, for the values a dot here can have. */
            int ix = (int)d->x, iy = (int)d->y;
            ix -= d->x < (float)ix;
            iy -= d->y < (float)iy;
            int rq = radius_step(d->r), fx = (int)((d->x - (float)ix) * SUB), fy = (int)((d->y - (float)iy) * SUB);
            const kernel *k = job->shared ? kernel_find(job->shared, rq, bq, fx, fy) : NULL;
            if (!k && (!(kc || (kc = kernel_cache_new())) || !(k = kernel_at(kc, rq, bq, fx, fy)))) {
                st = SMP_ENOMEM;
                goto out;
            }
            add_core(&fp, k, ix, iy, (float)(d->ink * gain * (1 - halo)), y0, job->yb);
        }
        /* The rows the band's cores reach, once for all of them: a row
         * marked that got none darkens no pixel. */
        if (fp.used_lo < fp.used_hi) {
            int slot = fp.band_slot + (fp.used_lo - y0);
            if (slot >= fp.rh) slot -= fp.rh;
            for (int y = fp.used_lo; y < fp.used_hi; y++) {
                fp.ring_used[slot] = 1;
                if (++slot == fp.rh) slot = 0;
            }
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

/* A render in two threads: both sort half the dots, make half the kernels
 * the cores need and draw half the frame; the first sets up what they
 * share between.  Frames under MIN_SPLIT_ROWS rows, and a render whose
 * second thread cannot start, run the same steps in one. */
typedef struct render_ctx {
    photo *p;
    size_t n;
    double ppm;
    const pigment *pg;
    sorter so;
    halo_grid g;
    kernel_cache *kc;
    int premake;          /* the kernels are made ahead and shared */
    pass_job jobs[2];
    smp_status st[2];     /* of each thread's steps before the pass */
    smp_status setup;     /* of the first thread's setup */
    int threaded;
    pthread_barrier_t bar;
} render_ctx;

static void render_sync(render_ctx *rc)
{
    if (rc->threaded) pthread_barrier_wait(&rc->bar);
}

/* What the first thread does between the two halves of the sort: the
 * places, the grid, the kernels' tables. */
static smp_status render_setup(render_ctx *rc)
{
    photo *p = rc->p;
    order_places(&rc->so);
    const splat_range *rg = &rc->so.rg;
    int pairs = 0;
    for (int b = 0; b < NBLUR; b++)
        for (int r = 0; r < NRAD; r++) pairs += rg->bq_used[b] && rg->rq_used[r];
    /* Kernels ahead when the dots are many enough to use most of them. */
    rc->premake = rc->threaded && rc->n >= (size_t)pairs * SUB * SUB * 4;
    if (rc->premake && kernels_tables(rc->kc, rg->bq_used)) return SMP_ENOMEM;
    smp_status st = halo_setup(&rc->g, &rc->so.rg, rc->ppm, p->w, p->h, rc->pg);
    if (st != SMP_OK) return st;
    /* The widest core kernel bounds the rows a dot reaches: the largest
     * and deepest deposit's (the extent grows with both). */
    float sg = fmaxf(0.5f, (float)hypot(pigment_core_blur_mm(rg->zmax) * rc->ppm, rc->pg->soft_mm * rc->ppm));
    int ext = kernel_extent(fminf(rg->rmax, (float)MAX_R), fminf(sg, (NBLUR - 1.0f) / BSTEPS));
    for (int i = 0; i < 2; i++)
        rc->jobs[i] = (pass_job){p, &rc->g, rc->so.out, rc->n, rc->ppm, rc->pg, rc->premake ? rc->kc : NULL, ext, i ? p->h : 0, p->h, SMP_OK};
    if (p->h >= MIN_SPLIT_ROWS) rc->jobs[0].yb = rc->jobs[1].ya = p->h / 2 / BAND * BAND;
    return SMP_OK;
}

/* Thread T's steps before the pass; the first thread's setup between. */
static void render_prepare(render_ctx *rc, int t)
{
    order_count(&rc->so, t);
    render_sync(rc);
    if (t == 0) rc->setup = render_setup(rc);
    render_sync(rc);
    if (rc->setup != SMP_OK) return;
    order_copy(&rc->so, t);
    if (rc->premake && kernels_make(rc->kc, rc->so.rg.rq_used, rc->so.rg.bq_used, t)) rc->st[t] = SMP_ENOMEM;
}

/* With more depths than classes, the classes from the sorted dots. */
static void render_redo(render_ctx *rc)
{
    if (rc->setup == SMP_OK && rc->so.rg.many) {
        depth_classes_redo(&rc->so.rg, rc->so.out, rc->n, rc->g.lim, rc->p->w, rc->p->h);
        halo_free(&rc->g);
        rc->setup = halo_setup(&rc->g, &rc->so.rg, rc->ppm, rc->p->w, rc->p->h, rc->pg);
    }
}

static int render_ready(const render_ctx *rc) { return rc->setup == SMP_OK && rc->st[0] == SMP_OK && rc->st[1] == SMP_OK; }

static void *second_thread(void *arg)
{
    render_ctx *rc = arg;
    render_prepare(rc, 1);
    int many = rc->so.rg.many;
    render_sync(rc);
    /* The first thread redoes the classes, if need be, between these. */
    if (many) render_sync(rc);
    if (render_ready(rc)) rc->jobs[1].st = frame_pass_rows(&rc->jobs[1]);
    return NULL;
}

smp_status render_dots(photo *p, const smp_dot *dots, size_t n, double ppm, double ox, double oy, const pigment *pg,
                       smp_error *err)
{
    if (n == 0 || p->w <= 0 || p->h <= 0) return SMP_OK;
    render_ctx *rc = calloc(1, sizeof *rc);
    if (!rc) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    rc->p = p;
    rc->n = n;
    rc->ppm = ppm;
    rc->pg = pg;
    smp_status st = sorter_init(&rc->so, dots, n, ppm, ox, oy, p->w, p->h);
    rc->so.soft = pg->soft_mm * ppm;
    if (st == SMP_OK && !(rc->kc = kernel_cache_new())) st = SMP_ENOMEM;
    pthread_t th;
    if (st == SMP_OK && p->h >= MIN_SPLIT_ROWS && pthread_barrier_init(&rc->bar, NULL, 2) == 0) {
        rc->threaded = 1;
        if (pthread_create(&th, NULL, second_thread, rc) != 0) {
            rc->threaded = 0;
            pthread_barrier_destroy(&rc->bar);
        }
    }
    if (st == SMP_OK) {
        if (rc->threaded) {
            render_prepare(rc, 0);
            int many = rc->so.rg.many;
            render_sync(rc);
            if (many) {
                render_redo(rc);
                render_sync(rc);
            }
        } else {
            /* The same steps one after the other. */
            order_count(&rc->so, 0);
            order_count(&rc->so, 1);
            rc->setup = render_setup(rc);
            if (rc->setup == SMP_OK) {
                order_copy(&rc->so, 0);
                order_copy(&rc->so, 1);
                render_redo(rc);
            }
        }
        st = render_ready(rc) ? frame_pass_rows(&rc->jobs[0]) : rc->setup != SMP_OK ? rc->setup : SMP_ENOMEM;
        if (rc->threaded) {
            pthread_join(th, NULL);
            pthread_barrier_destroy(&rc->bar);
        } else if (st == SMP_OK && rc->jobs[1].ya < rc->jobs[1].yb)
            rc->jobs[1].st = frame_pass_rows(&rc->jobs[1]);
        if (st == SMP_OK) st = rc->jobs[1].st;
    }
    /* Redness around fresh dots, over the darkened skin. */
    for (size_t i = 0; i < n && st == SMP_OK; i++)
        if (rc->so.out[i].fresh) st = redden(p, rc->kc, &rc->so.out[i]);
    if (st != SMP_OK) st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    halo_free(&rc->g);
    kernel_cache_free(rc->kc);
    sorter_free(&rc->so);
    free(rc->so.out);
    free(rc);
    return st;
}
