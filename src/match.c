#include "match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "pigment.h"
#include "render.h"
#include "sampler.h"
#include "scalp.h"
#include "colour.h"
#include "status.h"

#define BLOCK_MM 2.0
#define RING_MM 30.0  /* how far out the hair is taken */
#define SKIN_MM 10.0  /* how far in the bare skin is taken */
#define MIN_BLOCKS 8  /* of stubble, to call it stubble: 32 mm^2 */
#define VOTE 32       /* candidates nearest the area that say which kind borders it */
/* Realistic practice: finished densities up to about 200
 * dots/cm^2 with 3-point groupings, healed deposits up to about 0.6 mm. */
#define DOT_MIN 0.25
#define DOT_MAX 0.6
/* Light stubble: a light grey this much darker than the skin (L*). */
#define LIGHT_DL 2.5
#define DARK_T 0.93   /* light of dark stubble over the skin beside it, at most */
/* Light of stubble over the skin beside it, at least: a shaved head of dark
 * hair is L* 6-11 darker than bald skin (domain), 0.53 of its light at the
 * darkest (11 below L* 40), 0.72-0.75 on the real stubble photos; long hair
 * lying over a thinning crown reads 0.47-0.52 (crown-thinning-top,
 * crown-dark-hair-top), and matching it drew black blotches. */
#define HAIR_T 0.53
/* In thinning mode, where the client keeps the hair around the area and
 * it is most often long: hair under 0.6 of the light (L* 8.5 below 40)
 * is long hair too.  diffuse-thinning-top's long grey-brown hair let
 * through 0.534 and was matched as dark stubble, a grey-blue pepper over
 * the whole head; reading real stubble as long hair only keeps the
 * plan's dots. */
#define HAIR_T_THIN 0.6
#define LIGHT_T 1.03   /* light of light stubble over the skin beside it, at least */
#define LIGHT_GREY 3.0 /* chroma light stubble takes from the skin beside it, at least */
#define LIGHT_TEX 1.3  /* texture of light stubble over the skin's, at least */
#define LOCAL 4       /* blocks either way to find bare skin beside a candidate */
#define LOCAL_FAR 12  /* failing that, how far the nearest bare skin may be (blocks) */
#define SMOOTH_Q 0.3  /* the area's skin: its smoothest 30 % ... */
#define SMOOTH 1.5    /* ... and any up to this many times as textured */
/* An area drawn over stubble only: the smoothest fifth of the skin-hued
 * blocks around it is this much lighter than the area's skin (L*) ... */
#define OVER_DL 2.0
#define OVER_TEX 1.5 /* ... and the area's skin this many times as textured */
/* With no stubble seen outside the area, its skin must also be this much
 * more textured (as an L* standard deviation): the generated frontal and
 * side samples' bald tops, lit and faintly textured above a smooth
 * forehead (1.4 and 0.45 against 0.2 and 0.3), were said to be drawn over
 * stubble; stubble inside measures 5.8 against 0.5 (check_match). */
#define OVER_TEX_ALONE 1.5
#define EDGE_DL 12.0  /* L* between neighbouring blocks: a sharp edge, not hair */
#define OUTLINE 3     /* blocks kept clear of the background and long hair */
#define PATCH_MM 24.0 /* the test patch; its middle 18 mm is measured */
/* The tone beside the stubble that borders the area (docs/render.md). */
#define NEED_MM 4.0   /* the span over which the area's own light sets what each part needs */
#define ADJ_MM 6.0    /* stubble this near the area's edge borders it; its level counts this far in, */
#define NEAR_MM 6.0   /* ... fading out over this much further */
#define TONE_MIN 0.35 /* the lightest dots there, as a share of the match's darkness */
#define SEED_T 0.97   /* stubble darkens the skin beside it to this share of its light, at least */
#define SEED_BLOCKS 3 /* the stubble's level at the edge: the lower quartile of the blocks this far either way */

typedef struct block {
    double lin[3];  /* mean linear light */
    double l, l2;   /* sum of L* and of its square over the pixels */
    int n;          /* pixels */
    int where;      /* 1 wholly inside the area, 0 wholly outside, -1 across its edge */
    int shine;      /* pixels of a shine (scalp_shine): neither bare skin nor hair */
    float dist;     /* blocks to the nearest block of the other kind (chamfer) */
    int hairy;      /* textured and greyer than the skin, as hair, off the outline: 2 a candidate, 1 one with no
                     * bare skin near enough to compare (its level still borders the area) */
    double lab[3];  /* of the mean */
} block;

/* A block around the area that may be hair, against the bare skin
 * beside it. */
typedef struct candidate {
    block *b;
    double t[3];    /* its light over the bare skin's beside it, per channel */
    double tex;     /* its texture: standard deviation of L* within it */
    double grey;    /* how much less chroma than that skin */
    int dark, light;
} candidate;

static double texture(const block *k)
{
    double mean = k->l / k->n;
    return sqrt(fmax(0, k->l2 / k->n - mean * mean));
}

/* A block that is neither skin nor short hair on it: background,
 * clothes, long hair (far darker than SKIN, the area's), a lit wall (far
 * lighter than that skin and than LIT, the L* of the bare skin nearest
 * it: across a lit dome the skin at the outline is far darker than the
 * area's mean, and light stubble lighter than it) or another hue. */
static int not_stubble(const double lab[3], const double skin[3], double lit)
{
    double dl = lab[0] - skin[0], da = lab[1] - skin[1], db = lab[2] - skin[2];
    return lab[0] < 12 || da > 6 || db > 8 || da < -15 || db < -15 || lab[0] - fmax(skin[0], lit) > 12 || dl < -28;
}

static double l_of_y(double y) { return y > 216.0 / 24389 ? 116 * cbrt(y) - 16 : 24389.0 / 27 * y; }
static double y_of_l(double l) { return l > 8 ? pow((l + 16) / 116, 3) : l * 27 / 24389; }

static double luminance(const double lin[3]) { return 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.0721750 * lin[2]; }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Blocks seen around the area, by distance from it (the first member),
 * nearest first. */
static int cmp_nearer(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* Pools blocks: mean linear light, and the standard deviation of L* over
 * all their pixels (the texture the appearance measures take over a band). */
static void pool(block **b, int n, double lin[3], double *grain)
{
    double s = 0, s2 = 0, npx = 0;
    lin[0] = lin[1] = lin[2] = 0;
    for (int i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) lin[c] += b[i]->lin[c] / n;
        s += b[i]->l;
        s2 += b[i]->l2;
        npx += b[i]->n;
    }
    double m = s / npx;
    *grain = sqrt(fmax(0, s2 / npx - m * m));
}

/* Chamfer distance, in blocks, from each block to the nearest block of
 * another kind: two passes, steps 1 and sqrt 2. */
static void block_distance(block *b, int w, int h)
{
    const float far = 1e6f, diag = (float)M_SQRT2;
    for (int i = 0; i < w * h; i++) b[i].dist = b[i].where < 0 ? 0 : far;
    for (int pass = 0; pass < 2; pass++) {
        int step = pass ? -1 : 1;
        for (int j = pass ? h - 1 : 0; j >= 0 && j < h; j += step)
            for (int i = pass ? w - 1 : 0; i >= 0 && i < w; i += step) {
                block *c = &b[j * w + i];
                static const int nb[4][2] = {{-1, 0}, {0, -1}, {-1, -1}, {1, -1}};
                for (int k = 0; k < 4; k++) {
                    int x = i + step * nb[k][0], y = j + step * nb[k][1];
                    if (x < 0 || y < 0 || x >= w || y >= h) continue;
                    const block *o = &b[y * w + x];
                    float d = o->dist + (k < 2 ? 1 : diag);
                    if (o->where != c->where) d = k < 2 ? 1 : diag;
                    if (d < c->dist) c->dist = d;
                }
            }
    }
}

/* The test patch: the plan's dots at DENSITY, DOT, DEPTH and DILUTION on a
 * flat patch of the skin's colour at the photo's scale; the mean light of
 * its middle and the standard deviation of L* there. */
static smp_status simulate(const settings *base, double scale, double density, double dot, double depth, double dilution,
                           const double skin_lin[3], double out_lin[3], double *grain)
{
    settings t = settings_dots_only(base);
    t.area_w = t.area_h = PATCH_MM;
    t.density1 = t.density2 = density;
    t.dot_mm = dot;
    t.depth_mm = depth;
    t.dilution = dilution;
    t.dilution_auto = 0;
    t.blowout = 0;
    smp_error quiet = {0};
    area a;
    field f;
    dot_list dots = {0};
    photo ph = {0};
    smp_status st = area_build(&t, &a, &quiet);
    if (st != SMP_OK) return st;
    if ((st = field_build(&t, &a, NULL, NULL, &f, &quiet)) != SMP_OK) { area_free(&a); return st; }
    int side = (int)ceil(PATCH_MM * scale);
    if ((st = sampler_fill(&f, &t, 0, &dots, &quiet)) == SMP_OK && (st = photo_alloc(&ph, side, side, &quiet)) == SMP_OK) {
        pigment pg;
        pigment_from_settings(&pg, &t);
        pigment_apply(&pg, t.seed, dots.d, dots.n);
        uint32_t skin = 0;
        for (int c = 0; c < 3; c++) skin = skin << 8 | (uint32_t)lrint(linear_to_srgb(skin_lin[c]));
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = skin;
        st = render_dots(&ph, dots.d, dots.n, scale, 0, 0, &pg, &quiet);
    }
    if (st == SMP_OK) {
        int a0 = (int)(3 * scale), a1 = side - a0;
        double s = 0, s2 = 0, n = 0;
        out_lin[0] = out_lin[1] = out_lin[2] = 0;
        for (int y = a0; y < a1; y++)
            for (int x = a0; x < a1; x++) {
                uint32_t v = ((const uint32_t *)(ph.px + (size_t)y * ph.stride))[x];
                double l[3] = {srgb_to_linear((v >> 16) & 255), srgb_to_linear((v >> 8) & 255), srgb_to_linear(v & 255)};
                for (int c = 0; c < 3; c++) out_lin[c] += l[c];
                double L = l_of_y(luminance(l));
                s += L;
                s2 += L * L;
                n++;
            }
        for (int c = 0; c < 3; c++) out_lin[c] /= n;
        *grain = sqrt(fmax(0, s2 / n - (s / n) * (s / n)));
    }
    photo_free(&ph);
    dot_list_free(&dots);
    field_free(&f);
    area_free(&a);
    return st;
}

/* The mean absorbance of linear light in green that a patch shows. */
static double absorbance(const double skin[3], const double after[3]) { return -log(fmax(1e-6, after[1] / skin[1])); }

/* Sizes the deposits at DENSITY so that the patch's green absorbance is
 * WANT: the absorbance grows about as the deposit's area, so a few
 * corrections by the square root of the ratio. */
static smp_status size_for(const settings *s, double scale, double density, double depth, double dilution,
                           const double skin[3], double want, double *dot, double out_lin[3], double *grain)
{
    double d = s->dot_mm;
    for (int it = 0;; it++) {
        smp_status st = simulate(s, scale, density, d, depth, dilution, skin, out_lin, grain);
        if (st != SMP_OK) return st;
        double got = absorbance(skin, out_lin);
        if (it == 4 || got <= 0) break;
        double nd = fmin(DOT_MAX, fmax(DOT_MIN, d * sqrt(want / got)));
        if (fabs(nd - d) < 0.002) break;
        d = nd;
    }
    *dot = d;
    return SMP_OK;
}

/* The depth and undertone whose colour cast comes closest to the
 * stubble's: the mean absorbance per channel is X times the deposit's
 * effect in that channel; X is set so the luminance matches, then a* and
 * b* are compared.  The usual depth and plain carbon black win ties, by
 * 0.3 each.  With FIXED (a --pigment colour's weights) only the depth. */
/* What a depth and an undertone cost against the usual 0.2 mm and carbon
 * black, in a*b*: a change of pigment is a bigger step for a practitioner
 * than a small gain in hue. */
static double cast_cost(double depth, int undertone)
{
    return (fabs(depth - 0.2) < 1e-9 ? 0 : 0.3) + (undertone ? 0.25 + 0.25 * undertone : 0);
}

/* ONLY: that undertone alone, or -1 for any. */
static void choose_cast(const double skin[3], const double stub[3], const double *fixed, int only, double *depth,
                        int *undertone)
{
    static const double depths[] = {0.15, 0.2, 0.25, 0.3};
    double want_y = luminance(stub), slab[3], best_err = INFINITY;
    linear_to_lab(stub, slab);
    *depth = 0.2;
    *undertone = only > 0 ? only : 0;
    for (int u = only >= 0 ? only : 0; u < (fixed ? 1 : only >= 0 ? only + 1 : 3); u++) {
        double weight[3];
        if (fixed) memcpy(weight, fixed, sizeof weight); else pigment_undertone(u, weight);
        for (size_t k = 0; k < sizeof depths / sizeof *depths; k++) {
            deposit_optics o;
            pigment_optics(depths[k], &o);
            double e[3], lo = 0, hi = 10, out[3];
            for (int c = 0; c < 3; c++) e[c] = (o.gain[c] * o.halo[c] + o.gain[1] * (1 - o.halo[1])) * weight[c];
            for (int it = 0; it < 50; it++) {
                double x = (lo + hi) / 2;
                for (int c = 0; c < 3; c++) out[c] = skin[c] * exp(-x * e[c]);
                if (luminance(out) > want_y) lo = x; else hi = x;
            }
            double lab[3];
            linear_to_lab(out, lab);
            double err = hypot(lab[1] - slab[1], lab[2] - slab[2]) + cast_cost(depths[k], u);
            if (err < best_err) { best_err = err; *depth = depths[k]; *undertone = u; }
        }
    }
}

/* M's report for an area drawn over stubble only: its skin (L* in M,
 * texture SKIN_TEX) darker and grainier than the smoothest skin around
 * it (L* AROUND_L, texture AROUND_TEX). */
static void say_over(hair_match *m, double skin_tex, double around_l, double around_tex)
{
    snprintf(m->reason, sizeof m->reason,
             "the area seems drawn over stubble: its smoothest skin (L* %.1f, grain %.1f) is darker and grainier than the "
             "smoothest around it (L* %.1f, grain %.1f), so there is no bare skin in it to match: the plan's dots are kept",
             m->skin_lab[0], skin_tex, around_l, around_tex);
}

/* Spreads NCH values per block from the blocks marked in KNOWN (nonzero,
 * their values in V) to all the others, block by block in order of
 * distance: each takes the mean of its neighbours already known.  STEPS,
 * when given, gets how many blocks away the nearest known one is.  0 when
 * nothing is known, -1 for want of memory. */
static int spread(float *v, int nch, const uint8_t *seed, int bw, int bh, uint16_t *steps)
{
    int *queue = malloc(sizeof *queue * (size_t)bw * bh);
    uint8_t *known = malloc((size_t)bw * bh);
    if (!queue || !known) { free(queue); free(known); return -1; }
    int head = 0, tail = 0;
    for (int q = 0; q < bw * bh; q++) {
        known[q] = seed[q] != 0;
        if (steps) steps[q] = 0;
        if (known[q]) queue[tail++] = q;
    }
    int any = tail > 0;
    while (head < tail) {
        int q = queue[head++], x = q % bw, y = q / bw;
        static const int d[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int k = 0; k < 4; k++) {
            int xx = x + d[k][0], yy = y + d[k][1], r = yy * bw + xx;
            if (xx < 0 || yy < 0 || xx >= bw || yy >= bh || known[r]) continue;
            /* The mean of its known neighbours (8 of them at most). */
            double s[3] = {0, 0, 0};
            int n = 0;
            for (int j = -1; j <= 1; j++)
                for (int i = -1; i <= 1; i++) {
                    int u = xx + i, w = yy + j;
                    if (u < 0 || w < 0 || u >= bw || w >= bh || !known[w * bw + u]) continue;
                    for (int c = 0; c < nch; c++) s[c] += v[(size_t)(w * bw + u) * nch + c];
                    n++;
                }
            for (int c = 0; c < nch; c++) v[(size_t)r * nch + c] = (float)(s[c] / n);
            known[r] = 1;
            if (steps) steps[r] = (uint16_t)(steps[q] < UINT16_MAX ? steps[q] + 1 : steps[q]);
            queue[tail++] = r;
        }
    }
    free(queue);
    free(known);
    return any;
}

/* The bare skin's L* block by block (BW x BH blocks), for the fill: the
 * area's smooth skin blocks (BARE nonzero) keep their own; the rest take
 * the spread of them.  A photo's light changes across a head, so the skin
 * next to the area's edge is the one to compare the stubble's darkening
 * with. */
static float *bare_field(const block *b, const uint8_t *bare, int bw, int bh)
{
    float *v = malloc(sizeof *v * (size_t)bw * bh);
    if (!v) return NULL;
    for (int q = 0; q < bw * bh; q++) v[q] = bare[q] ? (float)b[q].lab[0] : 0;
    if (spread(v, 1, bare, bw, bh, NULL) <= 0) { free(v); return NULL; }
    return v;
}

/* The area's fill: at each pixel, L* averaged over 1.5 mm against the
 * bare skin's there (BARE, per block of BS px, bilinear) and the stubble's
 * (STEP L* darker than it) says how much of the stubble's darkening is
 * already there; where the pixel's neighbourhood is also textured as hair
 * (1.2x to 2.2x the skin's TEX), that share of the dots is left out.  A
 * darker but smooth patch (shade) keeps them all.  With STUB (the L* of
 * the stubble bordering the area, per block, NULL when none) and NEAR (how
 * much it counts there, 0-255), the area's tone: the area near stubble
 * lighter than the match's (SKIN_L against STUB_L) gets lighter dots, as
 * far as the fill has not left them out already. */
static smp_status fill_gaps(const photo *p, double scale, area *a, const float *bare, const float *stub,
                            const uint8_t *near, int bs, int bw, int bh, double skin_l, double stub_l, double tex)
{
    double step = stub_l - skin_l;
    size_t n = (size_t)p->w * p->h;
    float *l = malloc(n * sizeof *l), *m1 = malloc(n * sizeof *m1), *m2 = malloc(n * sizeof *m2);
    if (!l || !m1 || !m2) { free(l); free(m1); free(m2); return SMP_ENOMEM; }
    for (int y = 0; y < p->h; y++) {
        const uint32_t *row = (const uint32_t *)(p->px + (size_t)y * p->stride);
        for (int x = 0; x < p->w; x++) {
            double lin[3] = {srgb_to_linear((row[x] >> 16) & 255), srgb_to_linear((row[x] >> 8) & 255),
                             srgb_to_linear(row[x] & 255)};
            l[(size_t)y * p->w + x] = (float)l_of_y(luminance(lin));
        }
    }
    /* The area's own light over NEED_MM, for what each part needs. */
    float *wide = stub ? malloc(n * sizeof *wide) : NULL, *tone = stub ? malloc(n * sizeof *tone) : NULL;
    if (stub && (!wide || !tone)) { free(l); free(m1); free(m2); free(wide); free(tone); return SMP_ENOMEM; }
    if (wide) scalp_box_mean(l, wide, p->w, p->h, (int)fmax(1, lround(NEED_MM / 2 * scale)));
    double full = -log(y_of_l(stub_l) / y_of_l(skin_l));
    int r = (int)fmax(1, lround(0.75 * scale));
    scalp_box_mean(l, m1, p->w, p->h, r);
    for (size_t i = 0; i < n; i++) m2[i] = l[i] * l[i];
    scalp_box_mean(m2, m2, p->w, p->h, r);
    double span = fmax(1, -step);
    for (size_t i = 0; i < n; i++) {
        int x = (int)(i % (size_t)p->w), y = (int)(i / (size_t)p->w);
        double fx = (x + 0.5) / bs - 0.5, fy = (y + 0.5) / bs - 0.5;
        int x0 = (int)floor(fx), y0 = (int)floor(fy);
        double tx = fx - x0, ty = fy - y0;
        int xa = x0 < 0 ? 0 : x0 >= bw ? bw - 1 : x0, xb = x0 + 1 >= bw ? bw - 1 : x0 + 1 < 0 ? 0 : x0 + 1;
        int ya = y0 < 0 ? 0 : y0 >= bh ? bh - 1 : y0, yb = y0 + 1 >= bh ? bh - 1 : y0 + 1 < 0 ? 0 : y0 + 1;
#define BILERP(v) ((v[ya * bw + xa] * (1 - tx) + v[ya * bw + xb] * tx) * (1 - ty) + \
                   (v[yb * bw + xa] * (1 - tx) + v[yb * bw + xb] * tx) * ty)
        double bare_l = BILERP(bare);
        double have = fmin(1, fmax(0, (bare_l - m1[i]) / span));
        double t = sqrt(fmax(0, m2[i] - m1[i] * m1[i])) / fmax(0.3, tex);
        double hair = fmin(1, fmax(0, (t - 1.2) / 1.0));
        double f = 1 - have * hair;
        if (tone) tone[i] = 1;
        if (wide && full > 0) {
            /* The darkening this part needs to read as the stubble
             * nearest it, against what the dots give the area's skin:
             * lighter dots there, as a practitioner blends an edge, not
             * fewer (sparser dots read as pepper).  Where the area holds
             * hair (a bay of thin stubble taken in, an edge drawn into
             * the stubble), the fill has left out the dots it already
             * gives: the dots' darkness makes up the rest, over NEED_MM
             * (counting only bare skin here left a darker ring inside
             * the crown sample's edge: p10 -2.5 L*, -1.5 now). */
            double need = -log(y_of_l(BILERP(stub)) / y_of_l(wide[i])) / full;
            tone[i] = (float)need;
            m2[i] = (float)(BILERP(near) / 255.0);
        }
#undef BILERP
        l[i] = (float)f;
    }
    if (wide && full > 0) {
        scalp_box_mean(l, m1, p->w, p->h, (int)fmax(1, lround(NEED_MM / 2 * scale)));
        for (size_t i = 0; i < n; i++) {
            double w = m2[i];
            tone[i] = (float)fmin(1, w * fmax(TONE_MIN, tone[i] / fmax(0.05, m1[i])) + (1 - w));
        }
    }
    free(wide);
    free(m1);
    free(m2);
    free(a->fill);
    free(a->tone);
    a->fill = l;
    a->tone = tone;
    a->fill_w = p->w;
    a->fill_h = p->h;
    a->not_bare_scale = scale;
    return SMP_OK;
}

/* match_hair, or with KIND_ONLY only as far as what borders the area:
 * M's found, light, long_hair and reason, and STUBBLE 1 when stubble
 * borders it; S and A are left alone. */
static smp_status measure(const photo *p, double scale, area *a, settings *s, hair_match *m, int kind_only,
                          int *stubble, smp_error *err)
{
    memset(m, 0, sizeof *m);
    *stubble = 0;
    m->density = s->density1;
    m->dot_mm = s->dot_mm;
    m->depth_mm = s->depth_mm;
    m->dilution = s->dilution;
    m->undertone = s->undertone;
    int bs = (int)lround(BLOCK_MM * scale);
    if (bs < 2) bs = 2;
    int bw = (p->w + bs - 1) / bs, bh = (p->h + bs - 1) / bs;
    block *b = calloc((size_t)bw * bh, sizeof *b);
    block **skin = malloc(sizeof *skin * (size_t)bw * bh);
    double *ls = malloc(sizeof *ls * (size_t)bw * bh);
    uint8_t *inner_bare = NULL, *shine = NULL, *stub_seed = NULL;
    float *stub_l = NULL;
    if (!b || !skin || !ls) {
        free(b); free(skin); free(ls);
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    /* A blown-out shine is lighter and paler than the skin, as light
     * stubble is, and textured at its edge: it is left out of both. */
    smp_status st = scalp_shine(p, scale, &shine, err);
    if (st != SMP_OK) {
        free(b); free(skin); free(ls);
        return st;
    }
    /* Which blocks are inside: the area at the corners and the middle. */
    for (int j = 0; j < bh; j++)
        for (int i = 0; i < bw; i++) {
            int in = 0;
            static const double at[5][2] = {{0.02, 0.02}, {0.98, 0.02}, {0.02, 0.98}, {0.98, 0.98}, {0.5, 0.5}};
            for (int k = 0; k < 5; k++)
                in += area_contains(a, v2((i + at[k][0]) * bs / scale, (j + at[k][1]) * bs / scale));
            b[j * bw + i].where = in == 5 ? 1 : in == 0 ? 0 : -1;
        }
    block_distance(b, bw, bh);
    /* The pixels of the blocks that count. */
    double ring = RING_MM / BLOCK_MM, deep = SKIN_MM / BLOCK_MM;
    for (int j = 0; j < bh; j++)
        for (int i = 0; i < bw; i++) {
            block *k = &b[j * bw + i];
            if (k->where < 0 || k->dist > ring + 1.5) continue;
            for (int y = j * bs; y < (j + 1) * bs && y < p->h; y++) {
                const uint32_t *row = (const uint32_t *)(p->px + (size_t)y * p->stride);
                for (int x = i * bs; x < (i + 1) * bs && x < p->w; x++) {
                    double l[3] = {srgb_to_linear((row[x] >> 16) & 255), srgb_to_linear((row[x] >> 8) & 255),
                                   srgb_to_linear(row[x] & 255)};
                    for (int c = 0; c < 3; c++) k->lin[c] += l[c];
                    double L = l_of_y(luminance(l));
                    k->l += L;
                    k->l2 += L * L;
                    k->n++;
                    k->shine += shine[(size_t)y * p->w + x];
                }
            }
            for (int c = 0; c < 3; c++) k->lin[c] /= k->n ? k->n : 1;
            linear_to_lab(k->lin, k->lab);
        }
    /* The bare skin: the smooth blocks wholly inside the area within
     * SKIN_MM of its edge (an area drawn into the stubble holds stubble
     * too: under SMOOTH times the texture of its smoothest SMOOTH_Q), but
     * the darkest 10 % (stray hair, pores, shadow). */
    int ns = 0;
    for (int q = 0; q < bw * bh; q++)
        if (b[q].where == 1 && b[q].n && !b[q].shine && b[q].dist <= deep) ls[ns++] = texture(&b[q]);
    if (ns < 4) {
        snprintf(m->reason, sizeof m->reason, "too little of the area to measure its skin: the plan's dots are kept");
        goto out;
    }
    qsort(ls, (size_t)ns, sizeof *ls, cmp_double);
    double smooth = SMOOTH * ls[(int)(SMOOTH_Q * ns)], all_tex = ls[ns / 2];
    ns = 0;
    for (int q = 0; q < bw * bh; q++)
        if (b[q].where == 1 && b[q].n && !b[q].shine && b[q].dist <= deep && texture(&b[q]) <= smooth)
            ls[ns++] = b[q].lab[0];
    qsort(ls, (size_t)ns, sizeof *ls, cmp_double);
    double cut = ls[(int)(0.1 * ns)];
    int nskin = 0;
    for (int q = 0; q < bw * bh; q++)
        if (b[q].where == 1 && b[q].n && !b[q].shine && b[q].dist <= deep && texture(&b[q]) <= smooth &&
            b[q].lab[0] >= cut)
            skin[nskin++] = &b[q];
    double skin_lin[3];
    pool(skin, nskin, skin_lin, &m->skin_grain);
    linear_to_lab(skin_lin, m->skin_lab);
    /* Texture within a block: the median of the area's blocks near its
     * edge, or no more than the smooth ones' when stubble is among them,
     * is what hair must beat. */
    double skin_tex = fmin(all_tex, smooth);
    /* The stubble, against the bare skin next to it under the same light
     * (a photo's light changes across a head more than stubble does):
     * - bare skin, inside the area or out: smooth blocks (texture under
     *   1.3x the area's) with the skin's hue, not greyer than it; its
     *   light is spread from there to every block, for the skin nearest
     *   any block;
     * - candidates, outside the area and inside it (stubble the area was
     *   drawn into is still the client's): textured blocks (1.2x) greyer
     *   than the skin, with its hue, not on a sharp edge (the head's
     *   outline), not long hair (L* 28 darker), with bare skin within
     *   LOCAL blocks to compare, or failing that the nearest within
     *   LOCAL_FAR: a candidate's light over that skin's is its
     *   transmission.
     * Dark stubble is clearly darker than the skin beside it (under DARK_T
     * of its light); light stubble no darker, greyer by LIGHT_GREY in
     * chroma and LIGHT_TEX times as textured as the skin, and outside the
     * area.  Dark stubble wins unless light stubble is half as common
     * again among the candidates nearest the area (below); of the winner,
     * the nearer half (further away the light and the hair change), and
     * of dark stubble, which thins out toward a bald area, the darker
     * half: the hair as it grows. */
    int ncand = 0, nlong = 0;
    uint8_t *bare = calloc((size_t)bw * bh, 1), *odd = calloc((size_t)bw * bh, 1);
    candidate *cand = malloc(sizeof *cand * (size_t)bw * bh);
    float *near_lin = malloc(sizeof *near_lin * 3 * (size_t)bw * bh);
    uint16_t *near_steps = malloc(sizeof *near_steps * (size_t)bw * bh);
    if (!bare || !odd || !cand || !near_lin || !near_steps) {
        free(bare); free(odd); free(cand); free(near_lin); free(near_steps);
        st = SMP_ENOMEM;
        goto out;
    }
    for (int q = 0; q < bw * bh; q++) {
        block *k = &b[q];
        if (k->where < 0 || !k->n) continue;
        double da = k->lab[1] - m->skin_lab[1], db = k->lab[2] - m->skin_lab[2];
        bare[q] = !k->shine && texture(k) < 1.3 * skin_tex && da + db > -1 && fabs(k->lab[0] - m->skin_lab[0]) < 20 && da < 6 && db < 8;
        for (int c = 0; c < 3; c++) near_lin[3 * q + c] = bare[q] ? (float)k->lin[c] : 0;
    }
    if (spread(near_lin, 3, bare, bw, bh, near_steps) < 0) {
        free(bare); free(odd); free(cand); free(near_lin); free(near_steps);
        st = SMP_ENOMEM;
        goto out;
    }
    /* The lab of the bare skin nearest block Q. */
#define NEAR_LAB(q, lab)                                                                     \
    do {                                                                                     \
        double nl_[3] = {near_lin[3 * (q)], near_lin[3 * (q) + 1], near_lin[3 * (q) + 2]}; \
        linear_to_lab(nl_, lab);                                                             \
    } while (0)
    for (int q = 0; q < bw * bh; q++) {
        if (b[q].where < 0 || !b[q].n) continue;
        double nlab[3];
        NEAR_LAB(q, nlab);
        odd[q] = b[q].shine || not_stubble(b[q].lab, m->skin_lab, nlab[0]);
    }
    for (int q = 0; q < bw * bh; q++) {
        block *k = &b[q];
        if (k->where < 0 || !k->n || k->dist > ring || bare[q] || k->shine) continue;
        double tex = texture(k), nlab[3];
        NEAR_LAB(q, nlab);
        double dl = k->lab[0] - m->skin_lab[0];
        if (not_stubble(k->lab, m->skin_lab, nlab[0]) && dl >= -28) continue; /* not hair on this skin */
        /* Hair is textured and greys the skin. */
        if (tex < 1.2 * skin_tex || k->lab[1] - m->skin_lab[1] + k->lab[2] - m->skin_lab[2] > -0.5) continue;
        /* Not the head's outline or any other sharp edge: stubble changes
         * the skin over millimetres, a silhouette in one block. */
        int edge = 0;
        for (int dj = -1; dj <= 1 && !edge; dj++)
            for (int di = -1; di <= 1 && !edge; di++) {
                int x = q % bw + di, y = q / bw + dj;
                if (x < 0 || y < 0 || x >= bw || y >= bh || !b[y * bw + x].n) continue;
                edge = fabs(b[y * bw + x].lab[0] - k->lab[0]) > EDGE_DL;
            }
        if (edge) continue;
        if (dl < -28) { nlong++; continue; }
        /* Not near the head's outline, the background or long hair
         * either: at the outline stubble is seen edge-on, denser and
         * darker than it is, and a block beside the background mixes
         * in its light. */
        int near_odd = 0;
        for (int dj = -OUTLINE; dj <= OUTLINE && !near_odd; dj++)
            for (int di = -OUTLINE; di <= OUTLINE && !near_odd; di++) {
                int x = q % bw + di, y = q / bw + dj;
                near_odd = x >= 0 && y >= 0 && x < bw && y < bh && odd[y * bw + x];
            }
        if (near_odd) continue;
        k->hairy = 1;
        double local[3] = {0, 0, 0};
        int nl = 0;
        for (int dj = -LOCAL; dj <= LOCAL; dj++)
            for (int di = -LOCAL; di <= LOCAL; di++) {
                int x = q % bw + di, y = q / bw + dj;
                if (x < 0 || y < 0 || x >= bw || y >= bh || !bare[y * bw + x]) continue;
                for (int c = 0; c < 3; c++) local[c] += b[y * bw + x].lin[c];
                nl++;
            }
        if (nl >= 3) {
            for (int c = 0; c < 3; c++) local[c] /= nl;
        } else if (near_steps[q] <= LOCAL_FAR) {
            for (int c = 0; c < 3; c++) local[c] = near_lin[3 * q + c];
        } else {
            continue;
        }
        k->hairy = 2; /* a candidate: its light says whether it darkens the skin */
        candidate *c = &cand[ncand++];
        double llab[3];
        for (int ch = 0; ch < 3; ch++) c->t[ch] = k->lin[ch] / local[ch];
        linear_to_lab(local, llab);
        c->b = k;
        c->tex = tex;
        c->grey = hypot(llab[1], llab[2]) - hypot(k->lab[1], k->lab[2]);
        c->dark = luminance(c->t) < DARK_T;
        c->light = !c->dark && k->where == 0 && luminance(c->t) >= LIGHT_T && c->grey >= LIGHT_GREY &&
                   tex >= LIGHT_TEX * skin_tex;
    }
#undef NEAR_LAB
    /* The smoothest fifth of the skin-hued blocks around the area: where
     * they are clearly lighter and smoother than the area's skin, that
     * skin is stubble (an area drawn over stubble only). */
    double around_l = 0, around_tex = 0;
    {
        int na = 0, nl = 0;
        uint8_t *hued = odd; /* reused: skin-hued blocks around the area */
        for (int q = 0; q < bw * bh; q++) {
            hued[q] = b[q].where == 0 && b[q].n && b[q].dist <= ring && !odd[q] &&
                      fabs(b[q].lab[1] - m->skin_lab[1]) < 6 && fabs(b[q].lab[2] - m->skin_lab[2]) < 8;
            if (hued[q]) ls[na++] = texture(&b[q]);
        }
        if (na >= MIN_BLOCKS) {
            qsort(ls, (size_t)na, sizeof *ls, cmp_double);
            around_tex = ls[na / 5];
            for (int q = 0; q < bw * bh; q++)
                if (hued[q] && texture(&b[q]) <= around_tex) {
                    around_l += b[q].lab[0];
                    nl++;
                }
            around_l /= nl;
        }
    }
    /* The area's own bare blocks, for the fill. */
    inner_bare = calloc((size_t)bw * bh, 1);
    for (int q = 0; inner_bare && q < bw * bh; q++) inner_bare[q] = bare[q] && b[q].where == 1;
    free(bare);
    free(odd);
    free(near_lin);
    free(near_steps);
    if (!inner_bare) { free(cand); st = SMP_ENOMEM; goto out; }
    int ndark = 0, nlight = 0;
    for (int q = 0; q < ncand; q++) {
        if (cand[q].dark) ls[ndark++] = cand[q].b->dist;
    }
    qsort(ls, (size_t)ndark, sizeof *ls, cmp_double);
    double near_dark = ndark >= MIN_BLOCKS ? ls[MIN_BLOCKS / 2] : INFINITY;
    for (int q = 0; q < ncand; q++)
        if (cand[q].light) ls[nlight++] = cand[q].b->dist;
    qsort(ls, (size_t)nlight, sizeof *ls, cmp_double);
    double near_light = nlight >= MIN_BLOCKS ? ls[MIN_BLOCKS / 2] : INFINITY;
    /* Over stubble only, dark stubble stands out less than it is, or
     * not at all (the area's skin is the stubble itself). */
    int over = around_tex > 0 && around_l - m->skin_lab[0] > OVER_DL && skin_tex > OVER_TEX * around_tex;
    if (!isfinite(near_dark) && !isfinite(near_light)) {
        free(cand);
        if (over && skin_tex > around_tex + OVER_TEX_ALONE)
            say_over(m, skin_tex, around_l, around_tex);
        else {
            m->long_hair = nlong >= MIN_BLOCKS;
            snprintf(m->reason, sizeof m->reason, "%s around the area: the plan's dots are kept",
                     m->long_hair ? "long hair, no short hair or stubble" : "no short hair or stubble stands out");
        }
        goto out;
    }
    /* The kind that borders the area: a vote of the VOTE candidates
     * outside it nearest it, and any as near (light stubble, often only a
     * thin fringe before the bald skin, is otherwise outnumbered by the
     * darker hair further off); light needs half as many votes again,
     * since lit skin beside shaded skin passes for a little of it.  Those
     * inside vote only when too few are outside: skin inside a drawn
     * area, lit more brightly than the bare skin found nearest it, can
     * pass for light stubble. */
    int vote_dark = 0, vote_light = 0;
    {
        typedef struct { float d; int dark; } seen;
        seen *near = malloc(sizeof *near * (size_t)(ncand + 1));
        int nn = 0, nout = 0;
        if (!near) { free(cand); st = SMP_ENOMEM; goto out; }
        for (int q = 0; q < ncand; q++) nout += cand[q].b->where == 0 && (cand[q].dark || cand[q].light);
        for (int q = 0; q < ncand; q++)
            if ((cand[q].dark || cand[q].light) && (cand[q].b->where == 0 || nout < VOTE))
                near[nn++] = (seen){cand[q].b->dist, cand[q].dark};
        qsort(near, (size_t)nn, sizeof *near, cmp_nearer);
        float reach_vote = nn ? near[(nn < VOTE ? nn : VOTE) - 1].d : 0;
        for (int q = 0; q < nn && near[q].d <= reach_vote; q++) {
            vote_dark += near[q].dark;
            vote_light += !near[q].dark;
        }
        free(near);
    }
    int dark = isfinite(near_dark) && (!isfinite(near_light) || 3 * vote_dark >= 2 * vote_light), nsel = 0;
    if (dark && over) {
        free(cand);
        say_over(m, skin_tex, around_l, around_tex);
        goto out;
    }
    if (dark && nlong > ndark) {
        /* More blocks of long hair than of dark stubble: the darker
         * textured blocks are its strands lying over the skin. */
        free(cand);
        m->long_hair = 1;
        snprintf(m->reason, sizeof m->reason, "long hair, no short hair or stubble around the area: the plan's dots are kept");
        goto out;
    }
    /* The stubble's own L* where it borders the area (within ADJ_MM of
     * its edge), for the fill: dense or sparse, not only the darker part
     * the match takes; at each place the lower quartile of the stubble
     * within SEED_BLOCKS (as the match takes the darker half), not only
     * the thinning fringe nearest the edge.  Its mean L*, as the area's
     * own light is measured in fill_gaps.  Hair with no bare skin near
     * enough to say how much it darkens the skin counts too: on
     * stubble-side-face.jpg the stubble beside a practitioner's polygon
     * had none within 8 mm, and the area beside it took the dense
     * stubble's level from 12 mm away, 5 L* darker than it. */
    stub_seed = calloc((size_t)bw * bh, 1);
    stub_l = malloc(sizeof *stub_l * (size_t)bw * bh);
    if (!stub_seed || !stub_l) { free(cand); st = SMP_ENOMEM; goto out; }
    for (int q = 0; q < bw * bh; q++) stub_l[q] = -1;
    for (int q = 0; dark && q < bw * bh; q++)
        if (b[q].hairy == 1 && b[q].where == 0) stub_l[q] = (float)(b[q].l / b[q].n);
    for (int q = 0; dark && q < ncand; q++)
        if (cand[q].b->where == 0 && !cand[q].light && luminance(cand[q].t) < SEED_T)
            stub_l[cand[q].b - b] = (float)(cand[q].b->l / cand[q].b->n);
    for (int q = 0; q < bw * bh; q++) {
        if (stub_l[q] < 0 || b[q].dist > ADJ_MM / BLOCK_MM) continue;
        double near[(2 * SEED_BLOCKS + 1) * (2 * SEED_BLOCKS + 1)];
        int nn = 0;
        for (int dj = -SEED_BLOCKS; dj <= SEED_BLOCKS; dj++)
            for (int di = -SEED_BLOCKS; di <= SEED_BLOCKS; di++) {
                int x = q % bw + di, y = q / bw + dj;
                if (x >= 0 && y >= 0 && x < bw && y < bh && stub_l[y * bw + x] >= 0) near[nn++] = stub_l[y * bw + x];
            }
        qsort(near, (size_t)nn, sizeof *near, cmp_double);
        stub_seed[q] = 1;
        ls[q] = near[nn / 4];
    }
    for (int q = 0; q < bw * bh; q++) stub_l[q] = stub_seed[q] ? (float)ls[q] : 0;
    for (int q = 0; q < ncand; q++)
        if (dark ? cand[q].dark : cand[q].light) cand[nsel++] = cand[q];
    for (int q = 0; q < nsel; q++) ls[q] = cand[q].b->dist;
    qsort(ls, (size_t)nsel, sizeof *ls, cmp_double);
    double reach = ls[nsel / 2], cut_t = INFINITY;
    if (dark) {
        int nn = 0;
        for (int q = 0; q < nsel; q++)
            if (cand[q].b->dist <= reach) ls[nn++] = luminance(cand[q].t);
        qsort(ls, (size_t)nn, sizeof *ls, cmp_double);
        if (nn >= 2 * MIN_BLOCKS) cut_t = ls[nn / 2];
    }
    double tr[3] = {0, 0, 0};
    int nstub = 0;
    for (int q = 0; q < nsel; q++) {
        if (cand[q].b->dist > reach || luminance(cand[q].t) > cut_t) continue;
        for (int c = 0; c < 3; c++) tr[c] += cand[q].t[c];
        ls[nstub++] = cand[q].tex;
    }
    free(cand);
    /* The stubble as it would look on the area's own skin, and its
     * texture (within a block, as the skin's). */
    double stub_lin[3];
    for (int c = 0; c < 3; c++) stub_lin[c] = skin_lin[c] * tr[c] / nstub;
    linear_to_lab(stub_lin, m->stubble_lab);
    if (dark && luminance(stub_lin) < (s->thinning ? HAIR_T_THIN : HAIR_T) * luminance(skin_lin)) {
        /* Darker than any buzz-cut head: strands lying over the skin. */
        m->long_hair = 1;
        snprintf(m->reason, sizeof m->reason,
                 "the hair around the area lets through %.0f%% of the skin's light (L* %.1f against %.1f bare), less "
                 "than stubble does: long hair over the skin, not stubble to match: the plan's dots are kept",
                 100 * luminance(stub_lin) / luminance(skin_lin), m->stubble_lab[0], m->skin_lab[0]);
        goto out;
    }
    if (kind_only) {
        /* Stubble to match: what it is, not yet how. */
        *stubble = 1;
        snprintf(m->reason, sizeof m->reason, "stubble around the area");
        goto out;
    }
    qsort(ls, (size_t)nstub, sizeof *ls, cmp_double);
    double stub_tex = ls[nstub / 2];
    m->stubble_grain = stub_tex;
    m->skin_grain = skin_tex;
    m->found = 1;
    pigment pg;
    pigment_from_settings(&pg, s);
    double after[3], grain = 0;
    double density = s->density1, dot = s->dot_mm, depth = s->depth_mm, dilution = s->dilution;
    int undertone = s->undertone;
    int faint = 0; /* every candidate too dark even at the smallest size */
    if (luminance(stub_lin) < 0.96 * luminance(skin_lin)) {
        choose_cast(skin_lin, stub_lin, s->has_pigment ? pg.weight : NULL, -1, &depth, &undertone);
        s->undertone = undertone; /* for the test patches */
        double want = absorbance(skin_lin, stub_lin);
        static const double densities[] = {70, 85, 100, 120, 150, 180, 200};
        double best = INFINITY;
        int too_dark = 0, tried = 0;
        for (int pass = 0; pass < 2 && !isfinite(best); pass++) {
            /* Second pass: the plan's shade could not darken enough even
             * at the densest and largest; undiluted then. */
            if (pass == 1) {
                if (dilution <= 0 || too_dark) break;
                dilution = 0;
            }
            for (size_t k = 0; k < sizeof densities / sizeof *densities; k++) {
                double d, out_lin[3], g;
                if ((st = size_for(s, scale, densities[k], depth, dilution, skin_lin, want, &d, out_lin, &g)) != SMP_OK)
                    goto out;
                /* Too faint even at the largest size, or too dark even at
                 * the smallest: not a candidate. */
                double got = absorbance(skin_lin, out_lin);
                tried++;
                if (got > 1.15 * want) too_dark++;
                if (got < 0.9 * want || got > 1.15 * want) continue;
                double tex = sqrt(m->skin_grain * m->skin_grain + g * g);
                double score = fabs(log(tex / fmax(0.3, m->stubble_grain))) + 0.03 * fabs(densities[k] - 120) / 40;
                if (score < best) {
                    best = score;
                    density = densities[k];
                    dot = d;
                    memcpy(after, out_lin, sizeof after);
                    grain = g;
                }
            }
        }
        if (isfinite(best) && !s->has_pigment) {
            /* The cast worked out above leaves out how the cores saturate:
             * the other undertones, each at its own depth and sized to the
             * same darkening, rendered on the test patch too, and the one
             * closest to the stubble in a*b* kept (the crown sample: carbon
             * mixed with brown read 2 b* cooler than its stubble). */
            double slab[3], alab[3];
            linear_to_lab(stub_lin, slab);
            linear_to_lab(after, alab);
            double cast = hypot(alab[1] - slab[1], alab[2] - slab[2]) + cast_cost(depth, undertone);
            double fit = fabs(log(sqrt(m->skin_grain * m->skin_grain + grain * grain) / fmax(0.3, m->stubble_grain)));
            int chosen = undertone;
            for (int u = 0; u < 3; u++) {
                if (u == chosen) continue;
                double du, d, out_lin[3], g, ulab[3];
                int uu;
                choose_cast(skin_lin, stub_lin, NULL, u, &du, &uu);
                s->undertone = u;
                if ((st = size_for(s, scale, density, du, dilution, skin_lin, want, &d, out_lin, &g)) != SMP_OK) goto out;
                double got = absorbance(skin_lin, out_lin);
                if (got < 0.9 * want || got > 1.15 * want) continue;
                linear_to_lab(out_lin, ulab);
                double e = hypot(ulab[1] - slab[1], ulab[2] - slab[2]) + cast_cost(du, u);
                /* Not at the cost of the grain (a deeper deposit is softer). */
                double ufit = fabs(log(sqrt(m->skin_grain * m->skin_grain + g * g) / fmax(0.3, m->stubble_grain)));
                if (e < cast && ufit <= fit + 0.1) {
                    cast = e;
                    undertone = u;
                    depth = du;
                    dot = d;
                    grain = g;
                    memcpy(after, out_lin, sizeof after);
                }
            }
            s->undertone = undertone;
        }
        faint = !isfinite(best) && too_dark == tried;
        if (!isfinite(best) && !faint) {
            /* Realistic practice cannot darken as much: the densest and
             * largest, undiluted, and say so. */
            m->limited = 1;
            density = 200;
            dot = DOT_MAX;
            if ((st = simulate(s, scale, density, dot, depth, dilution, skin_lin, after, &grain)) != SMP_OK) goto out;
        }
    }
    if (luminance(stub_lin) >= 0.96 * luminance(skin_lin) || faint) {
        /* Light or grey stubble, or stubble so sparse that the smallest
         * dots are too dark: the plan's dots, diluted to the stubble's
         * darkness, or for light stubble to a light grey LIGHT_DL below
         * the skin, and cooler. */
        m->light = !faint;
        density = s->density1;
        dot = s->dot_mm;
        depth = faint ? depth : 0.25;
        double target_l = m->skin_lab[0] - LIGHT_DL;
        double want_y = target_l > 8 ? pow((target_l + 16) / 116, 3) : target_l * 27 / 24389;
        double want = faint ? absorbance(skin_lin, stub_lin) : -log(want_y / luminance(skin_lin));
        /* The ink's opacity is 1 / (1 + W/6) (pigment.c): find W by
         * bisection on the opacity, in halves. */
        double lo = 0, hi = 1;
        for (int it = 0; it < 12; it++) {
            double k = (lo + hi) / 2;
            if ((st = simulate(s, scale, density, dot, depth, fmin(50, 6 * (1 / k - 1)), skin_lin, after, &grain)) != SMP_OK)
                goto out;
            if (absorbance(skin_lin, after) < want) lo = k; else hi = k;
        }
        dilution = fmin(50, round(2 * 6 * (1 / ((lo + hi) / 2) - 1)) / 2);
        if ((st = simulate(s, scale, density, dot, depth, dilution, skin_lin, after, &grain)) != SMP_OK) goto out;
    }
    if (!m->light) {
        float *bare_l = bare_field(b, inner_bare, bw, bh);
        if (!bare_l) { st = SMP_ENOMEM; goto out; }
        /* Where the stubble beside the area is known, the stubble's L*
         * spread over the area, to darken each part only as far as it. */
        uint16_t *steps = malloc(sizeof *steps * (size_t)bw * bh);
        int known = steps ? spread(stub_l, 1, stub_seed, bw, bh, steps) : -1;
        if (known < 0) { free(bare_l); free(steps); st = SMP_ENOMEM; goto out; }
        /* How much it counts (stub_seed, reused): wholly within ADJ_MM of
         * it, fading out over NEAR_MM; further in, the match's own level. */
        for (int q = 0; q < bw * bh; q++)
            stub_seed[q] = (uint8_t)(255 * fmin(1, fmax(0, 1 - (steps[q] * BLOCK_MM - ADJ_MM) / NEAR_MM)));
        free(steps);
        st = fill_gaps(p, scale, a, bare_l, known > 0 ? stub_l : NULL, stub_seed, bs, bw, bh, m->skin_lab[0],
                       m->stubble_lab[0], skin_tex);
        free(bare_l);
        if (st != SMP_OK) goto out;
    }
    m->density = density;
    m->dot_mm = dot;
    m->depth_mm = depth;
    m->dilution = dilution;
    m->undertone = undertone;
    m->expect_grain = sqrt(m->skin_grain * m->skin_grain + grain * grain);
    linear_to_lab(after, m->expect_lab);
    s->density1 = s->density2 = density;
    s->dot_mm = dot;
    s->depth_mm = depth;
    s->dilution = dilution;
    int n;
    if (m->light)
        n = snprintf(m->reason, sizeof m->reason,
                     "the stubble around the area is light (L* %.1f against %.1f bare): a light grey, %g dots/cm^2 of %.2f mm "
                     "deposits %.2f mm deep at dilution %g, expected L* %.1f",
                     m->stubble_lab[0], m->skin_lab[0], density, dot, depth, dilution, m->expect_lab[0]);
    else
        n = snprintf(m->reason, sizeof m->reason,
                     "stubble around the area: L* %.1f against %.1f bare (a* %+.1f, b* %+.1f), grain %.1f against %.1f: "
                     "%g dots/cm^2 of %.2f mm deposits %.2f mm deep at dilution %g%s, expected L* %.1f (a* %+.1f, b* %+.1f), "
                     "grain %.1f",
                     m->stubble_lab[0], m->skin_lab[0], m->stubble_lab[1] - m->skin_lab[1],
                     m->stubble_lab[2] - m->skin_lab[2], m->stubble_grain, m->skin_grain, density, dot, depth, dilution,
                     s->has_pigment ? "" : undertone == 2 ? ", warm undertone" : undertone == 1 ? ", neutral undertone" : ", cool undertone",
                     m->expect_lab[0], m->expect_lab[1] - m->skin_lab[1], m->expect_lab[2] - m->skin_lab[2],
                     m->expect_grain);
    if (m->limited && n > 0 && (size_t)n < sizeof m->reason)
        snprintf(m->reason + n, sizeof m->reason - (size_t)n, "; no realistic density and size darken as much: the area "
                 "stays lighter by L* %.1f", m->expect_lab[0] - m->stubble_lab[0]);
out:
    free(b);
    free(skin);
    free(ls);
    free(inner_bare);
    free(shine);
    free(stub_seed);
    free(stub_l);
    if (st != SMP_OK) return smp_fail(err, st, 0, "out of memory");
    return SMP_OK;
}

smp_status match_hair(const photo *p, double scale, area *a, settings *s, hair_match *m, smp_error *err)
{
    int stubble;
    return measure(p, scale, a, s, m, 0, &stubble, err);
}

smp_status match_hair_kind(const photo *p, double scale, area *a, const settings *s, hair_match *m, int *stubble,
                           smp_error *err)
{
    settings t = *s;
    int got;
    smp_status st = measure(p, scale, a, &t, m, 1, &got, err);
    if (stubble) *stubble = got;
    return st;
}
