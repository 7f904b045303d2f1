#include "shave.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "pigment.h"
#include "render.h"
#include "scalp.h"
#include "colour.h"
#include "status.h"

/* Hair is cut in the area and this far outside it (strands that cross its
 * edge): the practitioner's area says which part of the head is to be
 * shown buzzed; beyond it lie the rest of the head, the face or the
 * background, which the tool cannot tell apart from hair well enough. */
#define SHAVE_MM 3.0
/* The head's outline darkens the skin within this of it, as a dome's side
 * turns from the light and the camera. */
#define DOME_MM 30.0
/* Hair is closed over this much so that the skin between strands goes
 * with them, and the cut's edge is blended over the last half of it. */
#define CLOSE_MM 1.0
/* Skin must show over at least this share of the head near the area (the
 * rest hair) for what lies under the hair to be known. */
#define MIN_SKIN 0.25
/* Hair over more than this share of a ring RING_MM around the area: the
 * rest of the head has hair, not just the area's edge. */
#define RING_MM 10.0
#define MAX_RING_HAIR 0.4
#define SOME_RING_HAIR 0.15

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The L* that best splits the area's smooth pixels (DIST 0, SD at most
 * SMOOTH) in two, by Otsu's criterion over whole L* steps; 0 (keep them
 * all) when the two parts' means lie under 15 L* apart. */
static float smooth_split(const float *L, const float *dist, const float *sd, float smooth, size_t n, size_t stride)
{
    double hist[101] = {0}, total = 0, sum = 0;
    for (size_t i = 0; i < n; i += stride)
        if (dist[i] == 0 && sd[i] <= smooth) {
            int k = (int)lrintf(fminf(100, fmaxf(0, L[i])));
            hist[k]++;
            total++;
            sum += k;
        }
    double w0 = 0, s0 = 0, best = -1;
    float split = 0, gap = 0;
    for (int k = 0; k < 100; k++) {
        w0 += hist[k];
        s0 += k * hist[k];
        if (w0 == 0 || w0 == total) continue;
        double m0 = s0 / w0, m1 = (sum - s0) / (total - w0), between = w0 * (total - w0) * (m1 - m0) * (m1 - m0);
        if (between > best) { best = between; split = k + 0.5f; gap = (float)(m1 - m0); }
    }
    return gap >= 15 ? split : 0;
}

/* Push-pull fill of the 3-channel plane V (W x H, linear light) where
 * weight K is 0, from where it is 1: each level averages the known values
 * of 2 x 2 below it; going back up, a hole takes its coarser level's value
 * (bilinear).  Levels are allocated here. */
static smp_status push_pull(float *v, float *k, int w, int h)
{
    if (w <= 1 && h <= 1) return SMP_OK;
    int cw = (w + 1) / 2, ch = (h + 1) / 2;
    float *cv = calloc((size_t)cw * ch * 3, sizeof *cv), *ck = calloc((size_t)cw * ch, sizeof *ck);
    if (!cv || !ck) { free(cv); free(ck); return SMP_ENOMEM; }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x, j = (size_t)(y / 2) * cw + x / 2;
            ck[j] += k[i];
            for (int c = 0; c < 3; c++) cv[3 * j + c] += k[i] * v[3 * i + c];
        }
    for (size_t j = 0; j < (size_t)cw * ch; j++)
        if (ck[j] > 0) {
            for (int c = 0; c < 3; c++) cv[3 * j + c] /= ck[j];
            ck[j] = 1;
        }
    smp_status st = push_pull(cv, ck, cw, ch);
    if (st == SMP_OK)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                size_t i = (size_t)y * w + x;
                if (k[i] > 0) continue;
                /* Bilinear from the coarser level's pixel centres. */
                float fx = (x + 0.5f) / 2 - 0.5f, fy = (y + 0.5f) / 2 - 0.5f;
                int x0 = (int)floorf(fx), y0 = (int)floorf(fy);
                float tx = fx - x0, ty = fy - y0;
                int xa = x0 < 0 ? 0 : x0, ya = y0 < 0 ? 0 : y0;
                int xb = x0 + 1 >= cw ? cw - 1 : x0 + 1, yb = y0 + 1 >= ch ? ch - 1 : y0 + 1;
                for (int c = 0; c < 3; c++) {
                    float a = cv[3 * ((size_t)ya * cw + xa) + c], b = cv[3 * ((size_t)ya * cw + xb) + c];
                    float d = cv[3 * ((size_t)yb * cw + xa) + c], e = cv[3 * ((size_t)yb * cw + xb) + c];
                    v[3 * i + c] = (a + (b - a) * tx) * (1 - ty) + (d + (e - d) * tx) * ty;
                }
            }
    free(cv);
    free(ck);
    return st;
}

/* Least squares of log(V[3 i]) over the known pixels (K 1) against a
 * quadratic in x and y (each from -0.5 to 0.5 across the photo) and
 * DOME[i], the log of the shading a dome's outline gives: Q gets the
 * seven terms' weights (1, x, y, x^2, xy, y^2, dome; without the dome
 * when the known pixels do not reach toward the outline) and LO the
 * least log light known, less a little (the fit is held above it).  0
 * when too few are known or the system is singular. */
static int shading_fit(const float *v, const float *k, const float *dome, int w, int h, double q[7], double *lo)
{
    double a[7][8] = {{0}}, dmin = INFINITY, dmax = -INFINITY, least = INFINITY;
    size_t n = (size_t)w * h, used = 0, step = n > 250000 ? n / 250000 : 1;
    for (size_t i = 0; i < n; i += step) {
        if (k[i] <= 0) continue;
        double x = (double)(i % (size_t)w) / w - 0.5, y = (double)(i / (size_t)w) / h - 0.5;
        double t[7] = {1, x, y, x * x, x * y, y * y, dome[i]}, z = log(fmax(1e-3, v[3 * i]));
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 7; c++) a[r][c] += t[r] * t[c];
            a[r][7] += t[r] * z;
        }
        dmin = fmin(dmin, dome[i]);
        dmax = fmax(dmax, dome[i]);
        least = fmin(least, z);
        used++;
    }
    if (used < 100) return 0;
    int nt = dmax - dmin > 0.2 ? 7 : 6;
    q[6] = 0;
    if (nt == 6)
        for (int r = 0; r < 6; r++) a[r][6] = a[r][7];
    /* Gauss-Jordan with partial pivoting. */
    for (int c = 0; c < nt; c++) {
        int piv = c;
        for (int r = c + 1; r < nt; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c])) piv = r;
        if (fabs(a[piv][c]) < 1e-9 * (double)used) return 0;
        for (int j = 0; j <= nt; j++) { double t = a[c][j]; a[c][j] = a[piv][j]; a[piv][j] = t; }
        for (int r = 0; r < nt; r++) {
            if (r == c) continue;
            double f = a[r][c] / a[c][c];
            for (int j = c; j <= nt; j++) a[r][j] -= f * a[c][j];
        }
    }
    for (int r = 0; r < nt; r++) q[r] = a[r][nt] / a[r][r];
    *lo = least - 0.3;
    return 1;
}

/* The stubble: dots of the plan's kind over the cut hair (CUT, the photo's
 * size, 255 = cut), healed. */
static smp_status lay_stubble(const settings *s, double scale, int w, int h, uint8_t *cut, dot_list *out,
                              smp_error *err)
{
    settings t = settings_dots_only(s); /* no photo, so no soft edge: the stubble runs to where the hair ran */
    t.scale = scale;
    grey_image g = {w, h, malloc((size_t)w * h)};
    if (!g.px) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    memcpy(g.px, cut, (size_t)w * h); /* the area takes it over */
    area a;
    field f;
    smp_status st = area_build_mask(&t, &g, &a, err);
    if (st != SMP_OK) { free(g.px); return st; }
    if ((st = field_build(&t, &a, NULL, NULL, &f, err)) == SMP_OK) {
        st = sampler_fill(&f, &t, 0, out, err);
        field_free(&f);
    }
    if (st == SMP_OK) {
        pigment pg;
        pigment_from_settings(&pg, &t);
        pigment_apply(&pg, t.seed ^ 0x5eedULL, out->d, out->n);
        for (size_t i = 0; i < out->n; i++) out->d[i].session = 1;
    }
    area_free(&a);
    return st;
}

smp_status shave_build(const photo *p, double scale, const area *a, shave *out, smp_error *err)
{
    memset(out, 0, sizeof *out);
    int w = p->w, h = p->h;
    size_t n = (size_t)w * h;
    float *L = malloc(n * sizeof *L), *A = malloc(n * sizeof *A), *B = malloc(n * sizeof *B);
    float *dist = malloc(n * sizeof *dist), *tmp = malloc(n * sizeof *tmp), *sd = malloc(n * sizeof *sd);
    uint8_t *cut = calloc(n, 1);
    float *lin = NULL, *known = NULL, *bgd = NULL;
    smp_status st = SMP_OK;
    if (!L || !A || !B || !dist || !tmp || !sd || !cut) { st = SMP_ENOMEM; goto out; }
    photo_to_lab(p, L, A, B);
    /* Distance from the area in px (chamfer): 0 inside. */
    const float far = 1e9f;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) dist[(size_t)y * w + x] = area_contains(a, v2((x + 0.5) / scale, (y + 0.5) / scale)) ? 0 : far;
    geom_chamfer(dist, w, h, 1);
    /* The skin: the area's smooth pixels (a head of hair leaves few: the
     * bare crown, skin between strands), of those the lighter part; the
     * hair: the darkest sixteenth of the area and the band around it
     * (every pixel a few apart).  Smooth: the standard deviation of L*
     * over half a millimetre under 1.5 times the area's lowest quarter. */
    double band = SHAVE_MM * scale;
    size_t ns = 0, nh = 0, stride = n > 4000000 ? 4 : 1;
    int rv = (int)fmax(1, lround(0.25 * scale));
    scalp_box_mean(L, sd, w, h, rv);
    for (size_t i = 0; i < n; i++) tmp[i] = L[i] * L[i];
    scalp_box_mean(tmp, tmp, w, h, rv);
    for (size_t i = 0; i < n; i++) sd[i] = sqrtf(fmaxf(0, tmp[i] - sd[i] * sd[i]));
    for (size_t i = 0; i < n; i += stride)
        if (dist[i] == 0) tmp[ns++] = sd[i];
    if (ns < 100) { /* no area to speak of */
        snprintf(out->note, sizeof out->note, "--shave: the area is too small to tell its skin from hair: nothing cut");
        goto out;
    }
    qsort(tmp, ns, sizeof *tmp, cmp_float);
    float smooth = fmaxf(1.0f, 1.5f * tmp[ns / 4]);
    /* Dense hair is smooth too at this size: of the smooth pixels, those
     * above the lightness that best splits them in two (Otsu's), when the
     * two parts lie 15 L* apart or more. */
    float split = smooth_split(L, dist, sd, smooth, n, stride);
    ns = 0;
    for (size_t i = 0; i < n; i += stride)
        if (dist[i] == 0 && sd[i] <= smooth && L[i] >= split) tmp[ns++] = L[i];
    if (ns < 100) {
        snprintf(out->note, sizeof out->note, "--shave: too little smooth skin in the area to tell it from hair: nothing cut");
        goto out;
    }
    qsort(tmp, ns, sizeof *tmp, cmp_float);
    float skin_l = tmp[(size_t)(0.7 * ns)], skin_lo = tmp[(size_t)(0.4 * ns)];
    double sa = 0, sb = 0;
    size_t nsk = 0;
    for (size_t i = 0; i < n; i += stride)
        if (dist[i] == 0 && sd[i] <= smooth && L[i] >= skin_lo) { sa += A[i]; sb += B[i]; nsk++; }
    sa /= nsk;
    sb /= nsk;
    for (size_t i = 0; i < n; i += stride)
        if (dist[i] <= band) tmp[nh++] = L[i];
    qsort(tmp, nh, sizeof *tmp, cmp_float);
    float hair_l = tmp[nh / 16];
    if (skin_l - hair_l < 15) {
        snprintf(out->note, sizeof out->note,
                 "--shave: no hair stands out from the skin in the area or at its edge (L* %.0f against %.0f): nothing "
                 "cut", hair_l, skin_l);
        goto out;
    }
    float mid = (skin_l + hair_l) / 2;
    /* Long hair all around the area: cut only inside it, the after would
     * show a bare patch in a head of hair.  The area must be the part of
     * the head to show buzzed: say so and keep the hair. */
    size_t ring = 0, ring_hair = 0;
    for (size_t i = 0; i < n; i += stride)
        if (dist[i] > band && dist[i] <= RING_MM * scale) {
            ring++;
            ring_hair += L[i] < mid;
        }
    if (ring > 0 && ring_hair > MAX_RING_HAIR * ring) {
        snprintf(out->note, sizeof out->note,
                 "--shave: long hair surrounds the area (%.0f %% of a %g mm ring around it); give the part of the "
                 "head to show buzzed as the area; the hair is kept", 100.0 * ring_hair / ring, RING_MM);
        goto out;
    }
    /* Some hair going on past the area: cut there, it ends in a line. */
    if (ring > 0 && ring_hair > SOME_RING_HAIR * ring)
        snprintf(out->note, sizeof out->note,
                 "--shave: hair goes on past the area's edge (%.0f %% of a %g mm ring around it) and the cut shows "
                 "there; take the hair to show buzzed into the area", 100.0 * ring_hair / ring, RING_MM);
    /* Background: where nearly all of a millimetre around is neither hair
     * nor skin-coloured.  Hair within 2 mm of it is the head's outline
     * against it, and stays: cut, it would need the background behind it,
     * not skin. */
    for (size_t i = 0; i < n; i++) {
        double da = A[i] - sa, db = B[i] - sb;
        int skin = da * da + db * db < 16.0 * 16 && fabsf(L[i] - skin_l) < 30;
        tmp[i] = L[i] >= mid && !skin && sd[i] <= 2 * smooth; /* strands are textured */
    }
    scalp_box_mean(tmp, tmp, w, h, (int)fmax(1, lround(scale)));
    for (size_t i = 0; i < n; i++) tmp[i] = tmp[i] > 0.8f;
    /* The head's outline, for its shading: the distance to the background. */
    if (!(bgd = malloc(n * sizeof *bgd))) { st = SMP_ENOMEM; goto out; }
    for (size_t i = 0; i < n; i++) bgd[i] = tmp[i] > 0 ? 0 : far;
    geom_chamfer(bgd, w, h, 1);
    scalp_box_mean(tmp, tmp, w, h, (int)fmax(1, lround(2 * scale)));
    for (size_t i = 0; i < n; i++) cut[i] = tmp[i] > 0; /* 1: near the background */
    /* Hair in the area and the band, closed over CLOSE_MM. */
    for (size_t i = 0; i < n; i++) {
        /* Dark hair, or strands lighter than it (grey, white, lit): textured
         * and not of the skin's hue and lightness. */
        double da = A[i] - sa, db = B[i] - sb;
        int skin_like = da * da + db * db < 14.0 * 14 && fabsf(L[i] - skin_l) < 12;
        int hair = L[i] < mid || (sd[i] > 2 * smooth && !skin_like);
        tmp[i] = dist[i] <= band && hair && !cut[i];
    }
    int r = (int)fmax(1, lround(CLOSE_MM * scale / 2));
    scalp_box_mean(tmp, tmp, w, h, r);
    /* A little past the strands, so that no dark rim of their edges stays. */
    for (size_t i = 0; i < n; i++) cut[i] = tmp[i] > 0.12f && !cut[i] && dist[i] <= band ? 255 : 0;
    /* Only what reaches the area: a flood from the pixels beside it. */
    {
        size_t *stack = malloc(n * sizeof *stack), top = 0;
        if (!stack) { st = SMP_ENOMEM; goto out; }
        for (size_t i = 0; i < n; i++)
            if (cut[i] == 255 && dist[i] <= 2) { cut[i] = 1; stack[top++] = i; } /* in the area or beside it */
        while (top) {
            size_t i = stack[--top];
            int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
            static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
            for (int k = 0; k < 4; k++) {
                int xx = x + dx[k], yy = y + dy[k];
                if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                size_t j = (size_t)yy * w + xx;
                if (cut[j] == 255) { cut[j] = 1; stack[top++] = j; }
            }
        }
        free(stack);
        size_t ncut = 0;
        for (size_t i = 0; i < n; i++) {
            cut[i] = cut[i] == 1 ? 255 : 0;
            ncut += cut[i] != 0;
        }
        out->cut_cm2 = ncut / (scale * scale) / 100;
        if (ncut == 0) {
            snprintf(out->note, sizeof out->note, "--shave: no hair reaches the area: nothing cut");
            goto out;
        }
    }
    /* Under the hair: the client's skin colour (the clean skin of the
     * area), lit as the skin around it is: the light of the known skin over
     * that colour's, filled in over the cut.  Known: clean skin-coloured
     * pixels not cut (the area, skin between and beside the hair; skin
     * between strands is shaded by them, so where it is not smooth, only
     * the lighter part). */
    lin = malloc(n * 3 * sizeof *lin);
    known = malloc(n * sizeof *known);
    if (!lin || !known) { st = SMP_ENOMEM; goto out; }
    double skin_lin[3] = {0, 0, 0};
    size_t nk = 0, nk_band = 0, ncut_band = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = ((const uint32_t *)(p->px + (i / (size_t)w) * p->stride))[i % (size_t)w];
        double l3[3] = {srgb_to_linear((v >> 16) & 255), srgb_to_linear((v >> 8) & 255), srgb_to_linear(v & 255)};
        double da = A[i] - sa, db = B[i] - sb;
        known[i] = !cut[i] && dist[i] <= band && da * da + db * db < 16.0 * 16 && fabsf(L[i] - skin_l) < 30 &&
                   (L[i] >= skin_lo - 3 || sd[i] <= smooth) && sd[i] <= 2 * smooth;
        /* The skin's colour: clean skin in the area, not its shine. */
        if (known[i] && dist[i] == 0 && L[i] <= skin_l + 3 && render_pigment_share(v) > 0.99) {
            for (int c = 0; c < 3; c++) skin_lin[c] += l3[c];
            nk++;
        }
        nk_band += known[i] && dist[i] <= band;
        ncut_band += cut[i] != 0;
        lin[3 * i] = (float)(0.2126 * l3[0] + 0.7152 * l3[1] + 0.0722 * l3[2]); /* luminance, for now */
    }
    /* Too little skin shows around the hair to know what lies under it:
     * the hair is kept, and the user told. */
    if (nk < 100 || nk_band < MIN_SKIN * (nk_band + ncut_band)) {
        snprintf(out->note, sizeof out->note,
                 "--shave: too little skin shows around the hair to show it shaved (%.0f %% of the head near the area); "
                 "the hair is kept", 100.0 * nk_band / (double)(nk_band + ncut_band));
        out->cut_cm2 = 0;
        goto out;
    }
    for (int c = 0; c < 3; c++) skin_lin[c] /= nk;
    double skin_y = 0.2126 * skin_lin[0] + 0.7152 * skin_lin[1] + 0.0722 * skin_lin[2];
    /* The light: each known pixel's luminance over the skin colour's, as a
     * single channel (push_pull fills three: the other two follow). */
    for (size_t i = 0; i < n; i++) {
        float light = (float)(lin[3 * i] / skin_y);
        lin[3 * i] = lin[3 * i + 1] = lin[3 * i + 2] = light < 0.3f ? 0.3f : light > 1.6f ? 1.6f : light;
    }
    /* The head's shading carried on under the hair (the nearest known skin
     * alone would not darken toward the outline as a dome does): a
     * quadratic in x and y and a dome's falloff within DOME_MM of the
     * outline, fitted to the log of the known light, and what it leaves
     * filled in by push-pull.  SHADE (in tmp) is the fit. */
    double q[7] = {0, 0, 0, 0, 0, 0, 0}, lo = 0;
    float *shade = tmp;
    for (size_t i = 0; i < n; i++) {
        double d = 1 - fmin(1, bgd[i] / (DOME_MM * scale));
        bgd[i] = (float)log(fmax(0.05, sqrt(fmax(0, 1 - d * d))));
    }
    int fitted = shading_fit(lin, known, bgd, w, h, q, &lo);
    for (size_t i = 0; i < n; i++) {
        double x = (double)(i % (size_t)w) / w - 0.5, y = (double)(i / (size_t)w) / h - 0.5;
        shade[i] = fitted ? (float)exp(fmax(lo, q[0] + q[1] * x + q[2] * y + q[3] * x * x + q[4] * x * y +
                                                    q[5] * y * y + q[6] * bgd[i]))
                          : 1;
        for (int c = 0; c < 3; c++) lin[3 * i + c] /= shade[i];
    }
    if ((st = push_pull(lin, known, w, h)) != SMP_OK) goto out;
    for (size_t i = 0; i < n; i++) {
        float light = lin[3 * i] * shade[i];
        light = light < 0.3f ? 0.3f : light > 1.6f ? 1.6f : light;
        for (int c = 0; c < 3; c++) lin[3 * i + c] = (float)(skin_lin[c] * light);
    }
    if ((st = photo_alloc(&out->shaved, w, h, err)) != SMP_OK) goto out;
    /* The cut's edge blended over half a millimetre. */
    for (size_t i = 0; i < n; i++) tmp[i] = cut[i] ? 1 : 0;
    scalp_box_mean(tmp, tmp, w, h, (int)fmax(1, lround(CLOSE_MM * scale / 4)));
    for (int y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(p->px + (size_t)y * p->stride);
        uint32_t *dst = (uint32_t *)(out->shaved.px + (size_t)y * out->shaved.stride);
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            float k = cut[i] ? 1 : fminf(1, 2 * tmp[i]);
            if (k <= 0) { dst[x] = src[x]; continue; }
            uint32_t v = src[x], o = 0;
            for (int c = 0; c < 3; c++) {
                double was = (v >> (16 - 8 * c)) & 255, fill = linear_to_srgb(lin[3 * i + c]);
                o = o << 8 | (uint32_t)lrint(was + (fill - was) * k);
            }
            dst[x] = o;
        }
    }
    /* The cut is kept for the stubble, laid once the field is known. */
    out->cut = cut;
    out->w = w;
    out->h = h;
    out->scale = scale;
    cut = NULL;
out:
    free(L); free(A); free(B); free(dist); free(tmp); free(sd); free(cut); free(lin); free(known); free(bgd);
    if (st != SMP_OK) {
        shave_free(out);
        if (st == SMP_ENOMEM) return smp_fail(err, st, 0, "out of memory");
    }
    return st;
}

smp_status shave_stubble(shave *sh, const field *f, const settings *s, smp_error *err)
{
    if (!sh->cut) return SMP_OK;
    /* Where the impressions are thin or none (outside the area, ahead of
     * a hairline) the cut hair needs stubble of its own; elsewhere the
     * impressions are the stubble. */
    double full = fmax(s->density1, s->density2) / 100;
    for (int y = 0; y < sh->h; y++)
        for (int x = 0; x < sh->w; x++) {
            uint8_t *c = &sh->cut[(size_t)y * sh->w + x];
            if (*c && field_density(f, v2((x + 0.5) / sh->scale, (y + 0.5) / sh->scale), NULL, NULL) >= 0.5 * full) *c = 0;
        }
    smp_status st = lay_stubble(s, sh->scale, sh->w, sh->h, sh->cut, &sh->stubble, err);
    free(sh->cut);
    sh->cut = NULL;
    return st;
}

void shave_free(shave *sh)
{
    if (!sh) return;
    photo_free(&sh->shaved);
    dot_list_free(&sh->stubble);
    free(sh->cut);
    sh->cut = NULL;
}
