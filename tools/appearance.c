/* appearance: the appearance figures of docs/render.md ("Appearance", and the
 * render rules that compare a before with an after), measured from a BEFORE
 * photo and the AFTER preview of the same pixels (smpsim render --compose
 * after --no-labels).  For the tests and make bench: one "name value" line
 * per figure, or with --json one JSON object on one line.
 *
 * Blurs are Gaussians in mm (sigma_px = sigma_mm x PX_PER_MM), truncated at
 * 3 sigma and normalised by the weight that falls inside the photo (and,
 * when blurring inside the treated area, inside the area), so that neither
 * the photo's border nor the untreated skin around an area leaks in. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/image.h"
#include "../src/colour.h"

static const char usage_text[] =
    "usage: appearance [--json] bands BEFORE AFTER PX_PER_MM STUBBLE_POLY BALD_POLY\n"
    "       appearance [--json] shadow BEFORE AFTER PX_PER_MM AREA_MASK.png\n"
    "       appearance [--json] edge BEFORE AFTER PX_PER_MM AREA_MASK.png\n"
    "       appearance [--json] ring BEFORE AFTER PX_PER_MM AREA_MASK.png\n"
    "       appearance [--json] shine BEFORE AFTER [PX_PER_MM]\n"
    "       appearance [--json] diff BEFORE AFTER [POLY]   (only inside POLY when given)\n"
    "       appearance [--json] colour IMAGE RRGGBB TOL [POLY]   (pixels within TOL of RRGGBB in every channel)\n"
    "       appearance [--json] panels IMAGE N   (mean L*, a*, b* in the middle of each of N side-by-side panels)\n"
    "       appearance mkshine OUT.png   (a test photo: skin with a specular highlight)\n"
    "       appearance mkflat OUT.png W H RRGGBB   (an even photo of one colour)\n"
    "       appearance margin IN OUT.png PX   (IN with PX pixels of its corner's colour round it)\n"
    "Polygons are \"x,y x,y x,y ...\" in the photo's pixels; a mask is a PNG of the\n"
    "photo's size, white = the treated area.\n";

/* Added to both luminances of T = Y_after / Y_before: less than one 8-bit
 * step above black, so an unchanged pixel gives exactly 1 and a black one
 * no division by zero. */
#define Y_GUARD 2e-4

static void usage_fail(const char *problem)
{
    if (problem) fprintf(stderr, "appearance: %s\n", problem);
    fputs(usage_text, stderr);
    exit(1);
}

static void fail(const char *file, const char *problem)
{
    fprintf(stderr, "appearance: %s: %s\n", file, problem);
    exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) fail("memory", "out of memory");
    return p;
}

/* V, an array of *CAP pairs of SIZE bytes each, with room for pair N:
 * doubled when full. */
static void *grow_pairs(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return v;
    void *more = realloc(v, *cap * 4 * size);
    if (!more) fail("memory", "out of memory");
    *cap *= 2;
    return more;
}

static float *plane(const photo *p) { return xcalloc((size_t)p->w * p->h, sizeof(float)); }

/* ---- output: collected, then written in one format ---- */

typedef struct figure {
    const char *name;
    double value;
    int count; /* printed as an integer */
} figure;

static figure figs[32];
static int nfigs;

static void put(const char *name, double value) { figs[nfigs++] = (figure){name, value, 0}; }
static void put_count(const char *name, double value) { figs[nfigs++] = (figure){name, value, 1}; }

static void emit(int json)
{
    if (json) putchar('{');
    for (int i = 0; i < nfigs; i++) {
        const figure *f = &figs[i];
        if (json) printf("%s\"%s\":", i ? "," : "", f->name);
        else printf("%s ", f->name);
        if (!isfinite(f->value)) fputs(json ? "null" : "nan", stdout);
        else if (f->count) printf("%.0f", f->value);
        else printf("%.3f", f->value);
        if (!json) putchar('\n');
    }
    if (json) puts("}");
}

/* ---- inputs ---- */

static double parse_scale(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v <= 0) usage_fail("PX_PER_MM must be a positive number");
    return v;
}

static void load_photo(const char *path, photo *p)
{
    smp_error err = {0};
    int orientation;
    if (image_read_photo(path, SMP_MAX_PIXELS, p, &orientation, &err)) {
        fprintf(stderr, "appearance: %s\n", err.msg);
        exit(2);
    }
}

/* Both photos, or exit: the figures compare pixel with pixel. */
static void load_pair(const char *before, const char *after, photo *b, photo *a)
{
    load_photo(before, b);
    load_photo(after, a);
    if (a->w != b->w || a->h != b->h) {
        char msg[128];
        snprintf(msg, sizeof msg, "size %dx%d differs from BEFORE's %dx%d", a->w, a->h, b->w, b->h);
        fail(after, msg);
    }
}

static uint32_t pixel(const photo *p, int x, int y) { return ((const uint32_t *)(p->px + (size_t)y * p->stride))[x]; }

/* The mask as 0/1 per pixel; white (>= 128) is inside. */
static uint8_t *load_mask(const char *path, int w, int h)
{
    smp_error err = {0};
    grey_image g = {0};
    if (image_read_grey_png(path, &g, &err)) {
        fprintf(stderr, "appearance: %s\n", err.msg);
        exit(2);
    }
    if (g.w != w || g.h != h) {
        char msg[128];
        snprintf(msg, sizeof msg, "size %dx%d differs from the photos' %dx%d", g.w, g.h, w, h);
        fail(path, msg);
    }
    size_t n = (size_t)w * h;
    uint8_t *m = xcalloc(n, 1);
    size_t inside = 0;
    for (size_t i = 0; i < n; i++) inside += m[i] = g.px[i] >= 128;
    grey_image_free(&g);
    if (!inside) fail(path, "no white pixel: the area is empty");
    return m;
}

/* A polygon "x,y x,y ..." rasterised by pixel centres (pixel x covers
 * x..x+1), even-odd rule, so a band "310,110 370,110 ..." holds columns
 * 310-369. */
static uint8_t *polygon_mask(const char *s, const char *what, int w, int h)
{
    size_t cap = 16, n = 0;
    double *xy = xcalloc(cap * 2, sizeof(double));
    const char *p = s;
    char msg[160];
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        char *end;
        double x = strtod(p, &end);
        if (end == p || *end != ',') goto bad;
        p = end + 1;
        double y = strtod(p, &end);
        if (end == p || (*end && *end != ' ' && *end != '\t') || !isfinite(x) || !isfinite(y)) goto bad;
        p = end;
        xy = grow_pairs(xy, &cap, n, sizeof *xy);
        xy[2 * n] = x;
        xy[2 * n + 1] = y;
        n++;
    }
    if (n < 3) goto bad;
    uint8_t *m = xcalloc((size_t)w * h, 1);
    size_t inside = 0;
    for (int py = 0; py < h; py++)
        for (int px = 0; px < w; px++) {
            double cx = px + 0.5, cy = py + 0.5;
            int in = 0;
            for (size_t i = 0, j = n - 1; i < n; j = i++) {
                double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
                if ((yi > cy) != (yj > cy) && cx < xi + (cy - yi) * (xj - xi) / (yj - yi)) in = !in;
            }
            m[(size_t)py * w + px] = (uint8_t)in;
            inside += in;
        }
    free(xy);
    if (!inside) {
        snprintf(msg, sizeof msg, "%s polygon covers no pixel of the photo", what);
        usage_fail(msg);
    }
    return m;
bad:
    free(xy);
    snprintf(msg, sizeof msg, "%s polygon must be at least three \"x,y\" points separated by spaces", what);
    usage_fail(msg);
    return NULL;
}

/* ---- colour ---- */

static double srgb_linear(int c)
{
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* CIE luminance Y (white = 1) from linearised sRGB, as colour.c's CIELAB. */
static void photo_to_y(const photo *p, float *out)
{
    double lin[256];
    for (int i = 0; i < 256; i++) lin[i] = srgb_linear(i);
    for (int y = 0; y < p->h; y++)
        for (int x = 0; x < p->w; x++) {
            uint32_t c = pixel(p, x, y);
            out[(size_t)y * p->w + x] =
                (float)(0.2126729 * lin[(c >> 16) & 255] + 0.7151522 * lin[(c >> 8) & 255] + 0.0721750 * lin[c & 255]);
        }
}

static double l_of_y(double y)
{
    double f = y > 216.0 / 24389 ? cbrt(y) : (24389.0 / 27 * y + 16) / 116;
    return 116 * f - 16;
}

/* T = Y_after / Y_before: the skin's own texture cancels (docs/render.md, "How the appearance is measured"). */
static float *transmission(const photo *before, const photo *after)
{
    size_t n = (size_t)before->w * before->h;
    float *yb = plane(before), *t = plane(before);
    photo_to_y(before, yb);
    photo_to_y(after, t);
    for (size_t i = 0; i < n; i++) t[i] = (float)((t[i] + Y_GUARD) / (yb[i] + Y_GUARD));
    free(yb);
    return t;
}

/* ---- blur and distance ---- */

/* Gaussian of SIGMA px, truncated at 3 sigma, normalised by the weight that
 * falls inside the photo and, with WT (0..1 per pixel, or NULL), inside the
 * region.  Where no weight reaches, 0.  DST may not be SRC. */
static void blur(const float *src, const float *wt, int w, int h, double sigma, float *dst)
{
    size_t n = (size_t)w * h;
    if (sigma < 1e-3) {
        memcpy(dst, src, n * sizeof(float));
        return;
    }
    int r = (int)ceil(3 * sigma);
    float *k = xcalloc((size_t)r + 1, sizeof(float));
    for (int j = 0; j <= r; j++) k[j] = (float)exp(-0.5 * j * j / (sigma * sigma));
    float *hn = xcalloc(n, sizeof(float)), *hd = xcalloc(n, sizeof(float));
    float *restrict vd = xcalloc((size_t)w, sizeof(float));
    /* Rows padded with r zeros of value and weight each side: the loops
     * need no bounds and the weight outside the photo is 0. */
    float *pv = xcalloc((size_t)w + 2 * (size_t)r, sizeof(float));
    float *pw = xcalloc((size_t)w + 2 * (size_t)r, sizeof(float));
    for (int y = 0; y < h; y++) {
        const float *s = src + (size_t)y * w, *m = wt ? wt + (size_t)y * w : NULL;
        for (int x = 0; x < w; x++) {
            pw[r + x] = m ? m[x] : 1.0f;
            pv[r + x] = s[x] * pw[r + x];
        }
        float *restrict on = hn + (size_t)y * w, *restrict od = hd + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            on[x] = k[0] * pv[r + x];
            od[x] = k[0] * pw[r + x];
        }
        for (int j = 1; j <= r; j++) {
            const float kk = k[j], *restrict va = pv + r - j, *restrict vb = pv + r + j;
            const float *restrict wa = pw + r - j, *restrict wb = pw + r + j;
            for (int x = 0; x < w; x++) {
                on[x] += kk * (va[x] + vb[x]);
                od[x] += kk * (wa[x] + wb[x]);
            }
        }
    }
    for (int y = 0; y < h; y++) {
        float *restrict out = dst + (size_t)y * w;
        memset(out, 0, (size_t)w * sizeof(float));
        memset(vd, 0, (size_t)w * sizeof(float));
        int lo = y - r < 0 ? 0 : y - r, hi = y + r >= h ? h - 1 : y + r;
        for (int yy = lo; yy <= hi; yy++) {
            const float kk = k[abs(yy - y)];
            const float *restrict rn = hn + (size_t)yy * w, *restrict rd = hd + (size_t)yy * w;
            for (int x = 0; x < w; x++) {
                out[x] += kk * rn[x];
                vd[x] += kk * rd[x];
            }
        }
        for (int x = 0; x < w; x++) out[x] = vd[x] > 1e-12f ? out[x] / vd[x] : 0;
    }
    free(k);
    free(hn);
    free(hd);
    free(vd);
    free(pv);
    free(pw);
}

/* One line of the squared Euclidean distance transform (Felzenszwalb and
 * Huttenlocher 2012): D[q] = min_p (q - p)^2 + F[p]. */
static void edt_line(const double *f, int n, double *d, int *v, double *z)
{
    int k = 0;
    v[0] = 0;
    z[0] = -HUGE_VAL;
    z[1] = HUGE_VAL;
    for (int q = 1; q < n; q++) {
        double s;
        for (;;) { /* z[0] = -inf ends this at k = 0 */
            int p = v[k];
            s = ((f[q] + (double)q * q) - (f[p] + (double)p * p)) / (2.0 * (q - p));
            if (s > z[k]) break;
            k--;
        }
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = HUGE_VAL;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
        while (z[k + 1] < q) k++;
        d[q] = (double)(q - v[k]) * (q - v[k]) + f[v[k]];
    }
}

/* The area shrunk by R px: pixels whose distance to every pixel outside it
 * is > R.  Beyond the photo's border is not "outside": the edge of a photo
 * is not the edge of the area.  Returns the pixel count kept. */
static size_t erode(const uint8_t *in, int w, int h, double r, uint8_t *out)
{
    const double far = 1e20;
    int len = w > h ? w : h;
    double *f = xcalloc((size_t)len, sizeof(double)), *d = xcalloc((size_t)len, sizeof(double));
    double *z = xcalloc((size_t)len + 1, sizeof(double));
    int *v = xcalloc((size_t)len, sizeof(int));
    double *d2 = xcalloc((size_t)w * h, sizeof(double));
    for (int x = 0; x < w; x++) {
        for (int y = 0; y < h; y++) f[y] = in[(size_t)y * w + x] ? far : 0;
        edt_line(f, h, d, v, z);
        for (int y = 0; y < h; y++) d2[(size_t)y * w + x] = d[y];
    }
    size_t kept = 0;
    for (int y = 0; y < h; y++) {
        double *row = d2 + (size_t)y * w;
        memcpy(f, row, (size_t)w * sizeof(double));
        edt_line(f, w, d, v, z);
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            out[i] = in[i] && d[x] > r * r;
            kept += out[i];
        }
    }
    free(f);
    free(d);
    free(z);
    free(v);
    free(d2);
    return kept;
}

/* ---- statistics ---- */

static void mean_sd(const float *v, const uint8_t *m, size_t n, double *mean, double *sd)
{
    double s = 0, s2 = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i]) {
            s += v[i];
            c++;
        }
    double mu = c ? s / c : NAN;
    for (size_t i = 0; i < n; i++)
        if (m[i]) s2 += (v[i] - mu) * (v[i] - mu);
    if (mean) *mean = mu;
    if (sd) *sd = c ? sqrt(s2 / c) : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Q-th quantile (0..1) of sorted V, interpolated linearly (as numpy). */
static double quantile(const double *v, size_t n, double q)
{
    if (!n) return NAN;
    double pos = q * (n - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= n) return v[n - 1];
    return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

/* ---- bands ---- */

typedef struct band_stats {
    double l, a, b, chroma, texture;
} band_stats;

/* Means of L*, a*, b* and chroma blurred at BLUR_PX over each band of P,
 * and the texture: the standard deviation of unblurred L*. */
static void measure_bands(const photo *p, double blur_px, const uint8_t *const *bands, int nb, band_stats *out)
{
    int w = p->w, h = p->h;
    size_t n = (size_t)w * h;
    float *l = plane(p), *a = plane(p), *b = plane(p), *tmp = plane(p);
    photo_to_lab(p, l, a, b);
    for (int k = 0; k < nb; k++) mean_sd(l, bands[k], n, NULL, &out[k].texture);
    blur(l, NULL, w, h, blur_px, tmp);
    for (int k = 0; k < nb; k++) mean_sd(tmp, bands[k], n, &out[k].l, NULL);
    blur(a, NULL, w, h, blur_px, tmp);
    memcpy(a, tmp, n * sizeof(float));
    blur(b, NULL, w, h, blur_px, tmp);
    for (int k = 0; k < nb; k++) {
        mean_sd(a, bands[k], n, &out[k].a, NULL);
        mean_sd(tmp, bands[k], n, &out[k].b, NULL);
    }
    for (size_t i = 0; i < n; i++) tmp[i] = hypotf(a[i], tmp[i]);
    for (int k = 0; k < nb; k++) mean_sd(tmp, bands[k], n, &out[k].chroma, NULL);
    free(l);
    free(a);
    free(b);
    free(tmp);
}

static void cmd_bands(const photo *before, const photo *after, char **arg)
{
    double ppm = parse_scale(arg[2]);
    int w = before->w, h = before->h;
    uint8_t *stubble = polygon_mask(arg[3], "STUBBLE_POLY", w, h), *bald = polygon_mask(arg[4], "BALD_POLY", w, h);
    const uint8_t *both[2] = {stubble, bald};
    band_stats bs[2], ba;
    measure_bands(before, 0.5 * ppm, both, 2, bs);
    measure_bands(after, 0.5 * ppm, &both[1], 1, &ba);
    const band_stats *s = &bs[0], *b = &bs[1];
    put("stubble_L", s->l);
    put("bald_L", b->l);
    put("after_L", ba.l);
    put("step", (ba.l - s->l) / (b->l - s->l));
    put("da", ba.a - s->a);
    put("db", ba.b - s->b);
    put("darkening", b->l - ba.l);
    put("chroma_stubble", s->chroma);
    put("chroma_before", b->chroma);
    put("chroma_after", ba.chroma);
    put("texture_stubble", s->texture);
    put("texture_before", b->texture);
    put("texture_after", ba.texture);
    put("texture_ratio", ba.texture / s->texture);
    free(stubble);
    free(bald);
}

/* ---- shadow and grain ---- */

static void cmd_shadow(const photo *before, const photo *after, char **arg)
{
    double ppm = parse_scale(arg[2]);
    int w = before->w, h = before->h;
    size_t n = (size_t)w * h;
    uint8_t *inarea = load_mask(arg[3], w, h), *core = xcalloc(n, 1);
    if (!erode(inarea, w, h, 5 * ppm, core)) fail(arg[3], "nothing is left of the area 5 mm inside its edge");
    float *wt = plane(before), *t = transmission(before, after);
    for (size_t i = 0; i < n; i++) wt[i] = inarea[i];

    /* Shadow: L* of the blurred before luminance, and of it times the
     * blurred T, blurred inside the area only. */
    float *yb = plane(before), *yb2 = plane(before), *t2 = plane(before), *d = plane(before);
    photo_to_y(before, yb);
    blur(yb, wt, w, h, 2 * ppm, yb2);
    blur(t, wt, w, h, 2 * ppm, t2);
    for (size_t i = 0; i < n; i++) d[i] = (float)(l_of_y((double)yb2[i] * t2[i]) - l_of_y(yb2[i]));
    double dl, db_before, db_after;
    mean_sd(d, core, n, &dl, NULL);
    float *lab_l = yb, *lab_b = yb2; /* reused: the luminance is done with */
    photo_to_lab(before, lab_l, NULL, lab_b);
    blur(lab_b, wt, w, h, 2 * ppm, d);
    mean_sd(d, core, n, &db_before, NULL);
    photo_to_lab(after, lab_l, NULL, lab_b);
    blur(lab_b, wt, w, h, 2 * ppm, d);
    mean_sd(d, core, n, &db_after, NULL);

    /* Grain: D from the unblurred T, RMS of what a 1 mm blur removes. */
    double mt, resid_mean, rms;
    mean_sd(t, core, n, &mt, NULL);
    blur(t, wt, w, h, 1 * ppm, t2);
    for (size_t i = 0; i < n; i++) d[i] = t[i] - t2[i];
    mean_sd(d, core, n, &resid_mean, &rms);

    size_t kept = 0;
    for (size_t i = 0; i < n; i++) kept += core[i];
    put_count("shadow_pixels", (double)kept);
    put("shadow_dL", dl);
    put("shadow_db", db_after - db_before);
    put("grain_D", 1 - mt);
    put("grain_RMS", rms);
    put("grain_ratio", rms / (1 - mt));
    free(inarea);
    free(core);
    free(wt);
    free(t);
    free(yb);
    free(yb2);
    free(t2);
    free(d);
}

/* ---- soft edges ---- */

/* V at (X, Y) in pixel-centre coordinates, bilinear; NAN outside. */
static double sample(const float *v, int w, int h, double x, double y)
{
    if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1)) return NAN;
    int x0 = (int)x, y0 = (int)y;
    int x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
    double fx = x - x0, fy = y - y0;
    const float *r0 = v + (size_t)y0 * w, *r1 = v + (size_t)y1 * w;
    return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]);
}

/* Where the profile P (step STEP from S0) first reaches LEVEL at or after
 * index FROM, interpolated between samples; NAN when it never does, or
 * already does at the first sample (the rise began before the window). */
static double crossing(const double *p, int np, int from, double level, double s0, double step, int *at)
{
    for (int i = from; i < np; i++)
        if (p[i] >= level) {
            if (i == 0) return NAN;
            *at = i;
            double f = (level - p[i - 1]) / (p[i] - p[i - 1]);
            return s0 + step * (i - 1 + f);
        }
    return NAN;
}

/* Boundary pixels of the area INAREA, taken greedily in scan order at
 * least 2 mm apart: (x, y) pairs, NPICK of them. */
static int *boundary_picks(const uint8_t *inarea, int w, int h, double ppm, size_t *npick_out)
{
    /* A grid of cells small enough to hold one pick each. */
    double spacing = 2 * ppm, cell = spacing / sqrt(2);
    int gw = (int)(w / cell) + 1, gh = (int)(h / cell) + 1;
    int *grid = xcalloc((size_t)gw * gh, sizeof(int)); /* pick index + 1 */
    size_t cap = 256, npick = 0;
    int *pick = xcalloc(cap * 2, sizeof(int));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            if (!inarea[i]) continue;
            if (!((x > 0 && !inarea[i - 1]) || (x < w - 1 && !inarea[i + 1]) || (y > 0 && !inarea[i - w]) ||
                  (y < h - 1 && !inarea[i + w])))
                continue;
            int cx = (int)(x / cell), cy = (int)(y / cell), close = 0;
            for (int yy = cy - 2; yy <= cy + 2 && !close; yy++)
                for (int xx = cx - 2; xx <= cx + 2 && !close; xx++) {
                    if (xx < 0 || yy < 0 || xx >= gw || yy >= gh) continue;
                    int g = grid[(size_t)yy * gw + xx];
                    if (g && hypot(pick[2 * (g - 1)] - x, pick[2 * (g - 1) + 1] - y) < spacing) close = 1;
                }
            if (close) continue;
            pick = grow_pairs(pick, &cap, npick, sizeof *pick);
            pick[2 * npick] = x;
            pick[2 * npick + 1] = y;
            grid[(size_t)cy * gw + cx] = (int)++npick;
        }

    free(grid);
    *npick_out = npick;
    return pick;
}

/* The inward normal at (X, Y) from MB (the mask blurred): 0 when flat. */
static int inward(const float *mb, int w, int h, int x, int y, double *nx, double *ny)
{
    int xl = x > 0 ? x - 1 : x, xr = x < w - 1 ? x + 1 : x, yu = y > 0 ? y - 1 : y, yd = y < h - 1 ? y + 1 : y;
    double gx = (mb[(size_t)y * w + xr] - mb[(size_t)y * w + xl]) / (xr - xl);
    double gy = (mb[(size_t)yd * w + x] - mb[(size_t)yu * w + x]) / (yd - yu);
    double g = hypot(gx, gy);
    if (!(g > 1e-6)) return 0;
    *nx = gx / g;
    *ny = gy / g;
    return 1;
}

/* V along the inward normal (from MB) at boundary point (X, Y): NP
 * samples from S0 mm in STEP mm steps into PROF; 0 when the normal is
 * flat or the profile leaves the photo. */
static int profile(const float *v, const float *mb, int w, int h, int x, int y, double ppm, double s0, double step,
                   int np, double *prof)
{
    double nx = 0, ny = 0;
    if (!inward(mb, w, h, x, y, &nx, &ny)) return 0;
    for (int i = 0; i < np; i++) {
        double s = (s0 + step * i) * ppm;
        prof[i] = sample(v, w, h, x + s * nx, y + s * ny);
        if (isnan(prof[i])) return 0;
    }
    return 1;
}

static void cmd_edge(const photo *before, const photo *after, char **arg)
{
    double ppm = parse_scale(arg[2]);
    int w = before->w, h = before->h;
    size_t n = (size_t)w * h;
    uint8_t *inarea = load_mask(arg[3], w, h), *core = xcalloc(n, 1);

    float *t = transmission(before, after), *dk = plane(before);
    blur(t, NULL, w, h, 0.5 * ppm, dk);
    for (size_t i = 0; i < n; i++) dk[i] = 1 - dk[i];

    /* The full level: the median darkening well inside the area. */
    size_t kept = erode(inarea, w, h, 8 * ppm, core);
    if (!kept) kept = erode(inarea, w, h, 4 * ppm, core);
    if (!kept) fail(arg[3], "nothing is left of the area 4 mm inside its edge");
    double *vals = xcalloc(kept, sizeof(double));
    size_t nv = 0;
    for (size_t i = 0; i < n; i++)
        if (core[i]) vals[nv++] = dk[i];
    qsort(vals, nv, sizeof(double), cmp_double);
    double full = quantile(vals, nv, 0.5);
    free(vals);
    if (!(full > 0.01)) fail(arg[1], "no darkening inside the area to measure an edge against");

    /* The normal: the gradient of the mask blurred at 1 mm points inward. */
    float *m = plane(before), *mb = plane(before);
    for (size_t i = 0; i < n; i++) m[i] = inarea[i];
    blur(m, NULL, w, h, 1 * ppm, mb);

    size_t npick;
    int *pick = boundary_picks(inarea, w, h, ppm, &npick);

    /* Profiles from 8 mm outside to 12 mm inside in 0.25 mm steps. */
    const double s0 = -8, step = 0.25;
    enum { NP = 81 };
    double prof[NP];
    double *widths = xcalloc(npick, sizeof(double));
    size_t nw = 0, skipped = 0;
    for (size_t k = 0; k < npick; k++) {
        int ok = profile(dk, mb, w, h, pick[2 * k], pick[2 * k + 1], ppm, s0, step, NP, prof);
        int at = 0;
        double t10 = ok ? crossing(prof, NP, 0, 0.1 * full, s0, step, &at) : NAN;
        double t90 = isnan(t10) ? NAN : crossing(prof, NP, at, 0.9 * full, s0, step, &at);
        if (isnan(t90)) skipped++;
        else widths[nw++] = t90 - t10;
    }
    qsort(widths, nw, sizeof(double), cmp_double);

    size_t changed = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            changed += !inarea[(size_t)y * w + x] && pixel(before, x, y) != pixel(after, x, y);

    put("edge_full", full);
    put("edge_width_median_mm", quantile(widths, nw, 0.5));
    put("edge_width_p10_mm", quantile(widths, nw, 0.1));
    put("edge_width_p90_mm", quantile(widths, nw, 0.9));
    put_count("edge_profiles", (double)nw);
    put_count("edge_profiles_skipped", (double)skipped);
    put_count("outside_changed", (double)changed);
    free(inarea);
    free(core);
    free(t);
    free(dk);
    free(m);
    free(mb);
    free(pick);
    free(widths);
}

/* ---- shine ---- */

/* Specular pixels of BEFORE: near-white, unsaturated and, with a scale,
 * standing out of the local skin (L* blurred at 3 mm) by 8 L*. */
static void cmd_shine(const photo *before, const photo *after, char **arg)
{
    double ppm = arg[2] ? parse_scale(arg[2]) : 0;
    int w = before->w, h = before->h;
    size_t n = (size_t)w * h;
    float *l = plane(before), *a = plane(before), *b = plane(before), *la = plane(before);
    float *local = NULL;
    photo_to_lab(before, l, a, b);
    photo_to_lab(after, la, NULL, NULL);
    if (ppm > 0) {
        local = plane(before);
        blur(l, NULL, w, h, 3 * ppm, local);
    }
    size_t count = 0;
    double max = 0, sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (l[i] < 85 || hypotf(a[i], b[i]) > 12 || (local && l[i] - local[i] < 8)) continue;
        double d = fabs((double)la[i] - l[i]);
        count++;
        sum += d;
        if (d > max) max = d;
    }
    put_count("shine_pixels", (double)count);
    put("shine_max_dL", max);
    put("shine_mean_dL", count ? sum / count : 0);
    free(l);
    free(a);
    free(b);
    free(la);
    free(local);
}

/* ---- diff ---- */

static void cmd_diff(const photo *before, const photo *after, char **arg)
{
    uint8_t *in = arg[2] ? polygon_mask(arg[2], "POLY", before->w, before->h) : NULL;
    size_t count = 0, all = 0;
    int max = 0;
    double sum = 0;
    for (int y = 0; y < before->h; y++)
        for (int x = 0; x < before->w; x++) {
            if (in && !in[(size_t)y * before->w + x]) continue;
            all++;
            uint32_t p = pixel(before, x, y), q = pixel(after, x, y);
            if ((p & 0xffffffu) == (q & 0xffffffu)) continue;
            count++;
            for (int s = 0; s < 24; s += 8) {
                int d = abs((int)((p >> s) & 255) - (int)((q >> s) & 255));
                sum += d;
                if (d > max) max = d;
            }
        }
    put_count("diff_pixels", (double)count);
    put_count("diff_max", max);
    /* The mean difference per channel over every pixel compared. */
    put("diff_mean", all ? sum / (3.0 * (double)all) : 0);
    free(in);
}

/* ---- panels ----
 * A composed strip is N panels of equal width side by side; the middle of
 * each (the central fifth of its width and height) shows the same part of
 * the scalp in every panel, so their colours can be compared: the
 * sessions strip must darken panel after panel, the healing range go from
 * lighter to darker. */
static void cmd_panels(const char *path, const char *count)
{
    char *end;
    long n = strtol(count, &end, 10);
    if (end == count || *end || n < 1 || n > 8) usage_fail("N must be a whole number from 1 to 8");
    photo p;
    load_photo(path, &p);
    static char names[8][3][16];
    int pw = p.w / (int)n;
    for (int k = 0; k < n; k++) {
        double sum[3] = {0, 0, 0};
        size_t m = 0;
        for (int y = p.h * 2 / 5; y < p.h * 3 / 5; y++)
            for (int x = k * pw + pw * 2 / 5; x < k * pw + pw * 3 / 5; x++) {
                uint32_t v = pixel(&p, x, y);
                uint8_t rgb[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
                double lab[3];
                srgb_to_lab(rgb, lab);
                for (int c = 0; c < 3; c++) sum[c] += lab[c];
                m++;
            }
        for (int c = 0; c < 3; c++) {
            snprintf(names[k][c], sizeof names[k][c], "panel%d_%c", k + 1, "Lab"[c]);
            put(names[k][c], m ? sum[c] / (double)m : NAN);
        }
    }
    photo_free(&p);
}

/* ---- colour ----
 * How many pixels of IMAGE (inside POLY when given) are within TOL of
 * RRGGBB in each channel: a guides picture's marks are of one colour. */
static void cmd_colour(const char *path, const char *hex, const char *tol_s, const char *poly)
{
    char *end;
    unsigned long rgb = strtoul(hex, &end, 16);
    if (strlen(hex) != 6 || *end) usage_fail("RRGGBB must be six hex digits");
    long tol = strtol(tol_s, &end, 10);
    if (end == tol_s || *end || tol < 0 || tol > 255) usage_fail("TOL must be a whole number from 0 to 255");
    photo p;
    load_photo(path, &p);
    uint8_t *in = poly ? polygon_mask(poly, "POLY", p.w, p.h) : NULL;
    size_t count = 0;
    for (int y = 0; y < p.h; y++)
        for (int x = 0; x < p.w; x++) {
            if (in && !in[(size_t)y * p.w + x]) continue;
            uint32_t v = pixel(&p, x, y);
            int near = 1;
            for (int k = 0; k < 24; k += 8) near &= labs((long)((v >> k) & 255) - (long)((rgb >> k) & 255)) <= tol;
            count += (size_t)near;
        }
    put_count("colour_pixels", (double)count);
    free(in);
    photo_free(&p);
}

/* ---- a test photo ---- */

/* A 400x400 photo of skin (RGB 200,158,138 with a little deterministic
 * noise) with a near-white disc (246,246,244) of radius 40 px at (200,200):
 * a specular highlight for the shine test, inside any area that covers the
 * middle. */
static void cmd_mkshine(const char *path)
{
    enum { SIZE = 400, CX = 200, CY = 200, R = 40 };
    photo p;
    smp_error err = {0};
    if (photo_alloc(&p, SIZE, SIZE, &err)) fail(path, err.msg);
    uint32_t s = 2463534242u; /* xorshift32 */
    for (int y = 0; y < SIZE; y++) {
        uint32_t *row = (uint32_t *)(p.px + (size_t)y * p.stride);
        for (int x = 0; x < SIZE; x++) {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            int noise = (int)(s % 7) - 3, disc = (x - CX) * (x - CX) + (y - CY) * (y - CY) <= R * R;
            int r = (disc ? 246 : 200) + noise, g = (disc ? 246 : 158) + noise, b = (disc ? 244 : 138) + noise;
            row[x] = 0xff000000u | (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
        }
    }
    FILE *f = fopen(path, "wb");
    if (!f) fail(path, strerror(errno));
    if (image_write_photo_png(f, path, &p, 6, &err)) fail(path, err.msg);
    if (fclose(f)) fail(path, strerror(errno));
    photo_free(&p);
}

/* An even W x H photo of colour HEX (RRGGBB): a photo with nothing in it. */
static void cmd_mkflat(const char *path, const char *ws, const char *hs, const char *hex)
{
    char *end;
    long w = strtol(ws, &end, 10), h = strtol(hs, &end, 10);
    unsigned long rgb = strtoul(hex, &end, 16);
    if (w < 1 || h < 1 || w > 10000 || h > 10000 || strlen(hex) != 6 || *end) usage_fail("mkflat OUT.png W H RRGGBB");
    photo p;
    smp_error err = {0};
    if (photo_alloc(&p, (int)w, (int)h, &err)) fail(path, err.msg);
    for (int y = 0; y < p.h; y++)
        for (int x = 0; x < p.w; x++) ((uint32_t *)(p.px + (size_t)y * p.stride))[x] = 0xff000000u | (uint32_t)rgb;
    FILE *f = fopen(path, "wb");
    if (!f) fail(path, strerror(errno));
    if (image_write_photo_png(f, path, &p, 6, &err)) fail(path, err.msg);
    if (fclose(f)) fail(path, strerror(errno));
    photo_free(&p);
}

/* IN with PX pixels of its top-left corner's colour round it: a photo
 * framed with a margin. */
static void cmd_margin(const char *in, const char *out, const char *pxs)
{
    char *end;
    long m = strtol(pxs, &end, 10);
    if (m < 0 || m > 5000 || *end) usage_fail("margin IN OUT.png PX");
    photo src, p;
    smp_error err = {0};
    load_photo(in, &src);
    if (photo_alloc(&p, src.w + 2 * (int)m, src.h + 2 * (int)m, &err)) fail(out, err.msg);
    uint32_t corner = pixel(&src, 0, 0);
    for (int y = 0; y < p.h; y++)
        for (int x = 0; x < p.w; x++) {
            int sx = x - (int)m, sy = y - (int)m;
            ((uint32_t *)(p.px + (size_t)y * p.stride))[x] =
                sx >= 0 && sy >= 0 && sx < src.w && sy < src.h ? pixel(&src, sx, sy) : corner;
        }
    FILE *f = fopen(out, "wb");
    if (!f) fail(out, strerror(errno));
    if (image_write_photo_png(f, out, &p, 6, &err)) fail(out, err.msg);
    if (fclose(f)) fail(out, strerror(errno));
    photo_free(&p);
    photo_free(&src);
}

/* ---- a ring at the edge ---- */

/* Where the area is drawn into the client's stubble, dots over stubble
 * that already darkens the skin make a darker ring just inside the edge.
 * Along the inward normal at boundary points 2 mm apart, the after's L*
 * (blurred over 0.5 mm): the lowest mean over 1 mm within the first 3 mm
 * inside, less the lower of the means 1-4 mm outside (the stubble) and
 * 6-10 mm inside; negative where the edge is darker than both sides.  Reported:
 * its median and its lowest tenth (a ring round part of the edge). */
static void cmd_ring(const photo *before, const photo *after, char **arg)
{
    double ppm = parse_scale(arg[2]);
    int w = before->w, h = before->h;
    size_t n = (size_t)w * h;
    uint8_t *inarea = load_mask(arg[3], w, h);
    float *l = plane(after), *lb = plane(after), *m = plane(before), *mb = plane(before);
    photo_to_lab(after, l, NULL, NULL);
    blur(l, NULL, w, h, 0.5 * ppm, lb);
    for (size_t i = 0; i < n; i++) m[i] = inarea[i];
    blur(m, NULL, w, h, 1 * ppm, mb);
    size_t npick;
    int *pick = boundary_picks(inarea, w, h, ppm, &npick);
    /* Profiles from 4 mm outside to 10 mm inside in 0.25 mm steps. */
    const double s0 = -4, step = 0.25;
    enum { NP = 57 };
    double prof[NP], *dips = xcalloc(npick + 1, sizeof(double));
    size_t nd = 0;
    for (size_t k = 0; k < npick; k++) {
        if (!profile(lb, mb, w, h, pick[2 * k], pick[2 * k + 1], ppm, s0, step, NP, prof)) continue;
        double out = 0, in = 0, low = INFINITY;
        int no = 0, ni = 0;
        for (int i = 0; i < NP; i++) {
            double sp = s0 + step * i;
            if (sp >= -4 && sp <= -1) { out += prof[i]; no++; }
            if (sp >= 6 && sp <= 10) { in += prof[i]; ni++; }
        }
        for (int i = 0; i + 4 < NP; i++) {
            double sp = s0 + step * i;
            if (sp < 0 || sp + 1 > 3) continue;
            double mean = (prof[i] + prof[i + 1] + prof[i + 2] + prof[i + 3] + prof[i + 4]) / 5;
            if (mean < low) low = mean;
        }
        dips[nd++] = low - fmin(out / no, in / ni);
    }
    if (nd < 10) fail(arg[3], "too few places on the area's edge to measure a ring (the area needs 10 mm inside)");
    qsort(dips, nd, sizeof(double), cmp_double);
    put("ring_dip_median", quantile(dips, nd, 0.5));
    put("ring_dip_p10", quantile(dips, nd, 0.1));
    put_count("ring_profiles", (double)nd);
    free(inarea); free(l); free(lb); free(m); free(mb); free(pick); free(dips);
}

/* The subcommands that compare a BEFORE with an AFTER (their first two
 * arguments), with how many arguments each takes in all. */
static const struct command {
    const char *name;
    int min_args, max_args;
    void (*run)(const photo *before, const photo *after, char **arg);
} commands[] = {
    {"bands", 5, 5, cmd_bands}, {"shadow", 4, 4, cmd_shadow}, {"edge", 4, 4, cmd_edge},
    {"ring", 4, 4, cmd_ring},
    {"shine", 2, 3, cmd_shine}, {"diff", 2, 3, cmd_diff},
};

int main(int argc, char **argv)
{
    int json = 0, nargs = 0;
    /* argc slots: the arguments, then at least one NULL after the last. */
    char **arg = xcalloc((size_t)argc, sizeof(char *));
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage_text, stdout);
            free(arg);
            return 0;
        } else arg[nargs++] = argv[i];
    }
    if (!nargs) usage_fail(NULL);
    const char *cmd = arg[0];
    char **rest = arg + 1;
    int nrest = nargs - 1;
    if (!strcmp(cmd, "panels")) {
        if (nrest != 2) usage_fail("wrong number of arguments");
        cmd_panels(rest[0], rest[1]);
        emit(json);
        free(arg);
        return 0;
    }
    if (!strcmp(cmd, "colour")) {
        if (nrest != 3 && nrest != 4) usage_fail("wrong number of arguments");
        cmd_colour(rest[0], rest[1], rest[2], nrest == 4 ? rest[3] : NULL);
        emit(json);
        free(arg);
        return 0;
    }
    if (!strcmp(cmd, "mkflat")) {
        if (nrest != 4) usage_fail("wrong number of arguments");
        cmd_mkflat(rest[0], rest[1], rest[2], rest[3]);
        free(arg);
        return 0;
    }
    if (!strcmp(cmd, "margin")) {
        if (nrest != 3) usage_fail("wrong number of arguments");
        cmd_margin(rest[0], rest[1], rest[2]);
        free(arg);
        return 0;
    }
    if (!strcmp(cmd, "mkshine")) {
        if (nrest != 1) usage_fail("wrong number of arguments");
        cmd_mkshine(rest[0]);
        free(arg);
        return 0;
    }
    const struct command *c = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name)) c = &commands[i];
    if (!c) usage_fail("unknown subcommand");
    if (nrest < c->min_args || nrest > c->max_args) usage_fail("wrong number of arguments");
    photo before, after;
    load_pair(rest[0], rest[1], &before, &after);
    c->run(&before, &after, rest);
    photo_free(&before);
    photo_free(&after);
    emit(json);
    free(arg);
    return 0;
}
