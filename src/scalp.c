#include "scalp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom.h"
#include "colour.h"
#include "status.h"

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The K-th smallest of V (N > K), as sorting would give it, in linear
 * time on average (Hoare's selection; V is reordered). */
static float kth_smallest(float *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                float t = v[i]; v[i] = v[j]; v[j] = t;
                i++;
                if (j == 0) break;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return v[k];
    }
    return v[k];
}

float scalp_median(float *v, size_t n) { return kth_smallest(v, n, n / 2); }

/* Box mean over (2r+1)^2 by an integral image. */
int scalp_dilate(uint8_t *m, int w, int h, int r)
{
    int n = w > h ? w : h;
    uint8_t *line = malloc((size_t)n);
    if (!line) return -1;
    for (int pass = 0; pass < 2; pass++) {
        int len = pass ? h : w, lines = pass ? w : h;
        size_t step = pass ? (size_t)w : 1;
        for (int l = 0; l < lines; l++) {
            uint8_t *p = pass ? m + l : m + (size_t)l * w;
            int count = 0;
            for (int k = 0; k < r && k < len; k++) count += p[(size_t)k * step] != 0;
            for (int k = 0; k < len; k++) {
                if (k + r < len) count += p[(size_t)(k + r) * step] != 0;
                if (k - r - 1 >= 0) count -= p[(size_t)(k - r - 1) * step] != 0;
                line[k] = count > 0;
            }
            for (int k = 0; k < len; k++) p[(size_t)k * step] = line[k];
        }
    }
    free(line);
    return 0;
}

void scalp_box_mean(const float *in, float *out, int w, int h, int r)
{
    double *ii = calloc((size_t)(w + 1) * (h + 1), sizeof *ii);
    if (!ii) { memcpy(out, in, sizeof(float) * (size_t)w * h); return; }
    for (int y = 0; y < h; y++) {
        double row = 0;
        for (int x = 0; x < w; x++) {
            row += in[(size_t)y * w + x];
            ii[(size_t)(y + 1) * (w + 1) + x + 1] = ii[(size_t)y * (w + 1) + x + 1] + row;
        }
    }
    for (int y = 0; y < h; y++) {
        int y0 = y - r < 0 ? 0 : y - r, y1 = y + r + 1 > h ? h : y + r + 1;
        for (int x = 0; x < w; x++) {
            int x0 = x - r < 0 ? 0 : x - r, x1 = x + r + 1 > w ? w : x + r + 1;
            double s = ii[(size_t)y1 * (w + 1) + x1] - ii[(size_t)y0 * (w + 1) + x1] - ii[(size_t)y1 * (w + 1) + x0] +
                       ii[(size_t)y0 * (w + 1) + x0];
            out[(size_t)y * w + x] = (float)(s / ((double)(y1 - y0) * (x1 - x0)));
        }
    }
    free(ii);
}

size_t scalp_flood(uint8_t *m, int w, int h, int sx, int sy, uint8_t from, uint8_t to, int box[4], int *stack)
{
    box[0] = box[2] = sx;
    box[1] = box[3] = sy;
    if (m[(size_t)sy * w + sx] != from) return 0;
    size_t top = 0, n = 0;
    stack[top++] = sx; stack[top++] = sy;
    m[(size_t)sy * w + sx] = to;
    while (top) {
        int y = stack[--top], x = stack[--top];
        n++;
        if (x < box[0]) box[0] = x;
        if (x > box[2]) box[2] = x;
        if (y < box[1]) box[1] = y;
        if (y > box[3]) box[3] = y;
        static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
        for (int k = 0; k < 4; k++) {
            int nx = x + dx[k], ny = y + dy[k];
            if (nx < 0 || ny < 0 || nx >= w || ny >= h || m[(size_t)ny * w + nx] != from) continue;
            m[(size_t)ny * w + nx] = to;
            stack[top++] = nx; stack[top++] = ny;
        }
    }
    return n;
}

size_t scalp_flood_box(uint8_t *m, int w, int h, int sx, int sy, uint8_t from, uint8_t to, int box[4])
{
    box[0] = box[2] = sx;
    box[1] = box[3] = sy;
    if (m[(size_t)sy * w + sx] != from) return 0;
    int *stack = malloc(sizeof(int) * 2 * (size_t)w * h);
    if (!stack) return 0;
    size_t n = scalp_flood(m, w, h, sx, sy, from, to, box, stack);
    free(stack);
    return n;
}

static size_t flood(uint8_t *m, int w, int h, int sx, int sy, uint8_t from, uint8_t to)
{
    int box[4];
    return scalp_flood_box(m, w, h, sx, sy, from, to, box);
}

/* The skin's CIELAB colour (see scalp.h); VAR is the local variance of
 * L*.  -1 when out of memory. */
static int skin_estimate(int w, int h, const float *L, const float *A, const float *B, const float *var, float skin[3])
{
    size_t n = (size_t)w * h;
    /* The skin: in the middle half of the photo, the smooth pixels of a
     * skin hue (hair is textured; a bald crown need not be in the very
     * middle), and of those the lighter half (thinning hair darkens the
     * rest).  Without enough of them, the middle ninth's medians. */
    const float *chan[3] = {L, A, B};
    size_t box = (size_t)(3 * h / 4 - h / 4 + 1) * (size_t)(3 * w / 4 - w / 4 + 1);
    float *sample = malloc(box * sizeof *sample);
    uint8_t *pick = malloc(n);
    if (!sample || !pick) { free(sample); free(pick); return -1; }
    size_t k = 0;
    memset(pick, 0, n);
    for (int y = h / 4; y < 3 * h / 4; y++)
        for (int x = w / 4; x < 3 * w / 4; x++) {
            size_t i = (size_t)y * w + x;
            double hue = atan2(B[i], A[i]) * 180 / M_PI;
            if (var[i] < 16 && A[i] > 2 && B[i] > 2 && hue > 15 && hue < 85) { pick[i] = 1; sample[k++] = L[i]; }
        }
    if (k >= box / 50 && k >= 20) {
        float lmid = scalp_median(sample, k);
        for (size_t i = 0; i < n; i++) pick[i] = pick[i] && L[i] >= lmid;
    } else {
        memset(pick, 0, n);
        for (int y = h / 3; y < 2 * h / 3; y++)
            for (int x = w / 3; x < 2 * w / 3; x++) pick[(size_t)y * w + x] = 1;
    }
    for (int c = 0; c < 3; c++) {
        k = 0;
        for (size_t i = 0; i < n; i++)
            if (pick[i]) sample[k++] = chan[c][i];
        skin[c] = k ? scalp_median(sample, k) : 0;
    }
    free(sample);
    free(pick);
    return 0;
}

/* Texture: the local variance of lightness over about R px. */
static void local_variance(const float *L, float *tmp, float *var, int w, int h, int r)
{
    scalp_box_mean(L, tmp, w, h, r);
    for (size_t i = 0; i < (size_t)w * h; i++) var[i] = (L[i] - tmp[i]) * (L[i] - tmp[i]);
    scalp_box_mean(var, var, w, h, r);
}

/* The hair's lightness: the darkest sixteenth of the middle half
 * (SCRATCH holds a quarter of the photo). */
static float hair_lightness(int w, int h, const float *L, float *scratch)
{
    size_t k = 0;
    for (int y = h / 4; y < 3 * h / 4; y++)
        for (int x = w / 4; x < 3 * w / 4; x++) scratch[k++] = L[(size_t)y * w + x];
    qsort(scratch, k, sizeof *scratch, cmp_float);
    return k ? scratch[k / 16] : 0;
}

smp_status scalp_skin(int w, int h, const float *L, const float *A, const float *B, double scale, double skin_lab[3],
                      double *hair_l, smp_error *err)
{
    size_t n = (size_t)w * h;
    float *tmp = malloc(n * sizeof *tmp), *var = malloc(n * sizeof *var);
    smp_status st = SMP_OK;
    float skin[3];
    if (!tmp || !var) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    local_variance(L, tmp, var, w, h, (int)fmax(1, lround(scale * 0.5)));
    if (skin_estimate(w, h, L, A, B, var, skin)) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    for (int c = 0; c < 3; c++) skin_lab[c] = skin[c];
    *hair_l = hair_lightness(w, h, L, tmp);
done:
    free(tmp);
    free(var);
    return st;
}

/* A grey or white strand: lighter than the skin by this much, at most
 * this share of its chroma, and textured (a shine is as light and pale,
 * but smooth). */
#define STRAND_LIGHTER 8.0
#define STRAND_CHROMA 0.5
#define SURE_CHROMA 0.8 /* skin that is plainly skin: this share of the skin's chroma, at least; */
#define SURE_MM 3.0     /* scalp shows within this of their convex hull, */
#define AREA_SURE_MM 7.5 /* the automatic area within this (its soft edge fades it further in) */
static int off_the_head(const float *L, const float *A, const float *B, int w, int h, const double skin[3],
                        double scale, double margin_mm, float *tmp, uint8_t *clear, float *clear_f);

/* Near the skin's hue and chroma (CIELAB a*, b* within 16) and within 30
 * of its L*: scalp, if it is lighter than the hair. */
static int skin_like(float l, float a, float b, const double skin[3])
{
    double da = a - skin[1], db = b - skin[2];
    return da * da + db * db < 16.0 * 16.0 && fabs(l - skin[0]) < 30;
}

void scalp_classify_lab(int w, int h, const float *L, const float *A, const float *B, const float *var,
                        const double skin_lab[3], double hair_l, uint8_t *out)
{
    double chroma = hypot(skin_lab[1], skin_lab[2]), mid = (skin_lab[0] + hair_l) / 2;
    for (size_t i = 0; i < (size_t)w * h; i++) {
        int skin = skin_like(L[i], A[i], B[i], skin_lab);
        int strand = L[i] > skin_lab[0] + STRAND_LIGHTER && hypot(A[i], B[i]) < STRAND_CHROMA * chroma && var[i] > 4;
        out[i] = L[i] < mid || strand ? SCALP_HAIR : skin ? SCALP_SHOWS : 0;
    }
}

int scalp_shows_lab(int w, int h, const float *L, const uint8_t *cls, const double skin_lab[3], double hair_l,
                    double scale, float *shows, float *hair, float *head)
{
    size_t n = (size_t)w * h;
    float *lmix = malloc(n * sizeof *lmix);
    if (!lmix) return -1;
    for (size_t i = 0; i < n; i++) {
        shows[i] = cls[i] == SCALP_SHOWS;
        hair[i] = cls[i] == SCALP_HAIR;
        head[i] = cls[i] != 0;
        lmix[i] = cls[i] ? L[i] : 0;
    }
    int r = (int)fmax(1, lround(scale * SCALP_SHOW_MM / 2));
    scalp_box_mean(shows, shows, w, h, r);
    scalp_box_mean(hair, hair, w, h, r);
    scalp_box_mean(head, head, w, h, r);
    scalp_box_mean(lmix, lmix, w, h, r);
    double span = skin_lab[0] - hair_l;
    for (size_t i = 0; i < n; i++) {
        if (!(head[i] > 0.05f)) { shows[i] = hair[i] = 0; continue; }
        /* Unresolved hairs darken the pixels they cross rather than
         * making them hair: the window's mean lightness, as a mix of the
         * skin's and the hair's, says how much skin shows too. */
        double mix = span > 1 ? (lmix[i] / head[i] - hair_l) / span : 1;
        shows[i] = (float)fmin(shows[i] / head[i], fmax(0, fmin(1, mix)));
        hair[i] /= head[i];
    }
    free(lmix);
    return 0;
}

smp_status scalp_classify(const photo *p, double scale, uint8_t **out, float **shows, smp_error *err)
{
    int w = p->w, h = p->h;
    size_t n = (size_t)w * h;
    float *L = malloc(n * sizeof *L), *A = malloc(n * sizeof *A), *B = malloc(n * sizeof *B);
    float *tmp = malloc(n * sizeof *tmp), *var = malloc(n * sizeof *var);
    uint8_t *m = malloc(n);
    smp_status st = SMP_OK;
    *out = NULL;
    double skin_lab[3], hair_l;
    if (!L || !A || !B || !tmp || !var || !m) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    photo_to_lab(p, L, A, B);
    if ((st = scalp_skin(w, h, L, A, B, scale, skin_lab, &hair_l, err)) != SMP_OK) goto done;
    local_variance(L, tmp, var, w, h, (int)fmax(1, lround(scale * 0.5)));
    scalp_classify_lab(w, h, L, A, B, var, skin_lab, hair_l, m);
    if (shows) {
        /* TMP and VAR are free now. */
        *shows = malloc(n * sizeof **shows);
        if (!*shows || scalp_shows_lab(w, h, L, m, skin_lab, hair_l, scale, *shows, tmp, var)) {
            free(*shows);
            *shows = NULL;
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto done;
        }
        /* Scalp shows only about the skin that is plainly skin. */
        if (off_the_head(L, A, B, w, h, skin_lab, scale, SURE_MM, tmp, NULL, *shows)) {
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto done;
        }
    }
    *out = m;
    m = NULL;
done:
    free(L); free(A); free(B); free(tmp); free(var); free(m);
    return st;
}

/* Above these, --area auto's result is doubtful (see scalp_detect). */
#define EDGE_DOUBT 0.25   /* share of the photo's border the region touches */
#define SPREAD_DOUBT 15.0 /* spread of L* inside the region, as a standard deviation */
#define SOLID_DOUBT 0.75  /* the region's share of its convex hull */
#define FACE_BAND 0.15    /* the outer share of the photo on the face's side that the scalp must not reach */
#define SEED_REACH_MM 25.0 /* behind a hairline: the region must come this near the line's middle */
#define LINE_NEAR_MM 8.0  /* behind a hairline: a region this near the line anywhere along it is taken too, */
#define LINE_PART_MM2 100.0 /* when it is this large */
#define BACKGROUND_DE 25.0 /* beside the area, this far from the skin's colour (CIELAB) is no skin */
#define BACKGROUND_HUE 16.0 /* ... or this far in a* and b* alone (skin_like's hue): a pale green wall */
#define NEAR_LIGHT_MM 5.0  /* the area's bare skin beside a place: its lightest within this */
#define FACE_GAP_MM 8.0   /* skin running toward the face this near the region makes it a forehead */
#define GRAIN_MM 3.0      /* width over which grain is measured, and the scalp regrown into the smooth skin */
#define GRAIN_HAIR 1.5    /* finest-detail grain over bare skin's (as a standard deviation) that is stubble */
#define THIN_SHOWS 0.15   /* thinning: the share of scalp among scalp and hair from which scalp shows */
#define THIN_BARE 0.02    /* thinning: under this share of hair, skin is bare */
#define THIN_STRAND_VAR 9.0 /* thinning: L* variance over 0.5 mm from which a hair pixel is a strand, not shade */
#define THIN_REACH_MM 15.0 /* thinning: how far the zone goes on from the bare-looking crown into the hair */
#define HEAD_MIN_SHARE 0.2 /* a head narrower than this share of the photo is too small to measure */
#define HEAD_MAX_RATIO 1.0 /* a head broader than long holds shoulders or a wall */
#define THIN_STUBBLE 12.0 /* thinning: grain over this many times the stubble limit is stubble, not thinning hair */
#define CELL_MM 0.5       /* the grid the region grows on */
#define GROW_MM 2.0       /* the region's own skin this near is what a cell is compared with */
#define GROW_DL 6.0       /* a step of lightness between neighbouring skin this large is an edge, not light */
#define GROW_CAP 4.0      /* grain (over the stubble limit) no growth takes in, however gradual */
#define GROW_CHROMA 0.75  /* chroma over L* + 16 under this share of the skin's is hair or stubble paling it */
#define GROW_DARKER 1.0   /* grain past the stubble limit is taken only where the skin is not darker by this (L*) */
#define SHADE_DL 45.0     /* how much darker than the skin's estimate shaded skin may be */

/* Growing over a gradual change of light.  The skin's colour and grain
 * are measured on the middle of the photo, but a lit crown and its shaded
 * sides differ in lightness, and the finest detail (pores, grain) shows
 * more where more light falls, so a strong gradient of light used to cut
 * a bald top in two.  Seeds: the cells (CELL_MM square) where the strict
 * test holds for most pixels within GROW_MM.  From them the region grows,
 * cell by neighbouring cell, over skin-coloured smooth pixels (loose:
 * lit or shaded skin, bit 1 of FLAGS) whose lightness, grain and chroma
 * are near those of the region's own cells within GROW_MM: light changes
 * gradually over a head, while the edge of hair, stubble or the
 * background is a step.  Never taken, however gradual the way there:
 * grain over GROW_CAP times the stubble limit GRAINY, grain over GRAINY
 * where the skin is darker than the region beside it (hair and stubble
 * darken the skin they cover, light does the opposite), and a chroma
 * (over L* + 16, which light leaves alone) under GROW_CHROMA of the
 * seeds' (stubble and grey hair pale the skin).  FLAGS: bit 0 strict,
 * bit 1 loose; sets bit 2 on the pixels of the cells grown into.  -1
 * when out of memory. */
static int grow_over_light(uint8_t *flags, const float *L, const float *A, const float *B, const float *grain, int w,
                           int h, double scale, float grainy)
{
    int c = (int)fmax(1, lround(scale * CELL_MM)), cw = (w + c - 1) / c, ch = (h + c - 1) / c;
    size_t nc = (size_t)cw * ch;
    float *cl = calloc(nc, sizeof *cl), *cg = calloc(nc, sizeof *cg), *cc = calloc(nc, sizeof *cc);
    float *cs = calloc(nc, sizeof *cs), *sm = calloc(nc, sizeof *sm);
    uint8_t *state = calloc(nc, 1); /* 1 loose enough to join, 2 in the region */
    /* Each cell is queued at most four times from the seeds and four
     * times from neighbours joining. */
    int *queue = malloc(sizeof(int) * (nc * 8 + 1));
    if (!cl || !cg || !cc || !cs || !sm || !state || !queue) {
        free(cl); free(cg); free(cc); free(cs); free(sm); free(state); free(queue);
        return -1;
    }
    for (int cy = 0; cy < ch; cy++)
        for (int cx = 0; cx < cw; cx++) {
            size_t strict = 0, loose = 0, all = 0;
            double sl = 0, sg = 0, sc = 0;
            for (int y = cy * c; y < cy * c + c && y < h; y++)
                for (int x = cx * c; x < cx * c + c && x < w; x++) {
                    size_t i = (size_t)y * w + x;
                    all++;
                    strict += flags[i] & 1;
                    if (flags[i] & 2) { loose++; sl += L[i]; sg += grain[i]; sc += sqrtf(A[i] * A[i] + B[i] * B[i]) / (L[i] + 16); }
                }
            size_t k = (size_t)cy * cw + cx;
            cs[k] = (float)strict / all;
            if (2 * loose >= all) {
                cl[k] = (float)(sl / loose);
                cg[k] = (float)(sg / loose);
                cc[k] = (float)(sc / loose);
                state[k] = 1;
            }
        }
    int r = (int)fmax(1, lround(GROW_MM / (c / scale)));
    scalp_box_mean(cs, sm, cw, ch, r);
    size_t nseed = 0;
    for (size_t k = 0; k < nc; k++)
        if (state[k] == 1 && sm[k] > 0.5f) { state[k] = 2; sm[nseed++] = cc[k]; }
    float seed_chroma = nseed ? scalp_median(sm, nseed) : 0;
    size_t head = 0, tail = 0;
    static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
    for (size_t k = 0; k < nc; k++) {
        if (state[k] != 2) continue;
        int x = (int)(k % cw), y = (int)(k / cw);
        for (int d = 0; d < 4; d++) {
            int nx = x + dx[d], ny = y + dy[d];
            if (nx >= 0 && ny >= 0 && nx < cw && ny < ch && state[(size_t)ny * cw + nx] == 1)
                queue[tail++] = ny * cw + nx;
        }
    }
    float cap = GROW_CAP * grainy;
    while (head < tail) {
        int k = queue[head++];
        if (state[k] != 1 || !(cg[k] < cap) || cc[k] < GROW_CHROMA * seed_chroma) continue;
        int x = k % cw, y = k / cw;
        double n = 0, sl = 0, sg = 0, sc = 0;
        for (int yy = y - r < 0 ? 0 : y - r; yy <= y + r && yy < ch; yy++)
            for (int xx = x - r < 0 ? 0 : x - r; xx <= x + r && xx < cw; xx++) {
                size_t j = (size_t)yy * cw + xx;
                if (state[j] == 2) { n++; sl += cl[j]; sg += cg[j]; sc += cc[j]; }
            }
        if (!n || fabs(cl[k] - sl / n) > GROW_DL || cg[k] > fmax(GRAIN_HAIR * GRAIN_HAIR * sg / n, grainy) ||
            cc[k] < GROW_CHROMA * sc / n || (cg[k] > grainy && cl[k] < sl / n - GROW_DARKER))
            continue;
        state[k] = 2;
        for (int d = 0; d < 4; d++) {
            int nx = x + dx[d], ny = y + dy[d];
            if (nx >= 0 && ny >= 0 && nx < cw && ny < ch && state[(size_t)ny * cw + nx] == 1)
                queue[tail++] = ny * cw + nx;
        }
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (state[(size_t)(y / c) * cw + x / c] == 2) flags[(size_t)y * w + x] |= 4;
    free(cl); free(cg); free(cc); free(cs); free(sm); free(state); free(queue);
    return 0;
}

static double cross3(vec2 o, vec2 a, vec2 b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

/* Points by y, then x: the monotone chain's order. */
static int cmp_yx(const void *pa, const void *pb)
{
    const vec2 *a = pa, *b = pb;
    return a->y < b->y ? -1 : a->y > b->y ? 1 : a->x < b->x ? -1 : a->x > b->x;
}

int scalp_hull(const uint8_t *m, int w, int h, vec2 **out, size_t *corners, size_t *count)
{
    vec2 *pt = malloc((size_t)h * 2 * sizeof *pt), *hull = malloc(((size_t)h * 2 + 1) * sizeof *hull);
    size_t np = 0, k = 0;
    *out = NULL;
    *corners = *count = 0;
    if (!pt || !hull) { free(pt); free(hull); return -1; }
    /* Each row's two ends, top to bottom: sorted by y, then x. */
    for (int y = 0; y < h; y++) {
        int lo = -1, hi = -1;
        for (int x = 0; x < w; x++)
            if (m[(size_t)y * w + x]) { if (lo < 0) lo = x; hi = x; (*count)++; }
        if (lo < 0) continue;
        pt[np++] = v2(lo, y);
        if (hi != lo) pt[np++] = v2(hi + 1, y);
    }
    if (np >= 3) {
        /* Andrew's monotone chain; the points are already sorted by y, then x. */
        for (size_t i = 0; i < np; i++) {
            while (k >= 2 && cross3(hull[k - 2], hull[k - 1], pt[i]) <= 0) k--;
            hull[k++] = pt[i];
        }
        for (size_t i = np - 1, t = k + 1; i-- > 0;) {
            while (k >= t && cross3(hull[k - 2], hull[k - 1], pt[i]) <= 0) k--;
            hull[k++] = pt[i];
        }
    }
    free(pt);
    if (k < 4) { free(hull); return 0; }
    *out = hull;
    *corners = k - 1;
    return 0;
}

void scalp_hull_fill(const vec2 *hull, size_t k, int w, int h, uint8_t *out, uint8_t value)
{
    for (int y = 0; y < h; y++) {
        /* The hull's span on this row's middle: it is convex. */
        double yc = y + 0.5, lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < k; i++) {
            vec2 p = hull[i], q = hull[(i + 1) % k];
            if ((p.y > yc) == (q.y > yc)) continue;
            double x = p.x + (yc - p.y) * (q.x - p.x) / (q.y - p.y);
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
        for (int x = (int)fmax(0, ceil(lo - 0.5)); x < w && x + 0.5 <= hi; x++) out[(size_t)y * w + x] = value;
    }
}

/* Clears CLEAR and CLEAR_F (W*H each, either may be NULL) beyond
 * MARGIN_MM of the convex hull of the skin that is plainly skin (near
 * SKIN's hue and lightness, and SURE_CHROMA of its chroma or more, chroma
 * taken over L* + 16); nothing when there is none.  TMP is W*H scratch.
 * Grey fly-away hair over a shirt or a wall beyond the head's outline is
 * skin-hued enough to pass for scalp (diffuse-thinning-top.jpg's left
 * side, dotted over the shirt) but lies outside it: the head is convex
 * round its skin.  -1 for want of memory. */
/* The convex hull of the skin that is plainly skin (the caller frees
 * *HULL; NULL when there is none), from W x H planes of CIELAB.  -1 for
 * want of memory. */
static int skin_hull(const float *L, const float *A, const float *B, int w, int h, const double skin[3], vec2 **hull,
                     size_t *k)
{
    size_t n = (size_t)w * h, count;
    double chroma = hypot(skin[1], skin[2]) / (skin[0] + 16);
    uint8_t *in = malloc(n);
    *hull = NULL;
    if (!in) return -1;
    for (size_t i = 0; i < n; i++)
        in[i] = skin_like(L[i], A[i], B[i], skin) && hypot(A[i], B[i]) / fmax(1, L[i] + 16) >= SURE_CHROMA * chroma;
    int r = scalp_hull(in, w, h, hull, k, &count);
    free(in);
    return r;
}

/* Clears CLEAR and CLEAR_F (W x H, either may be NULL) beyond MARGIN_MM of
 * HULL (K corners); TMP is W x H scratch.  -1 for want of memory. */
static int clear_off_hull(const vec2 *hull, size_t k, int w, int h, double scale, double margin_mm, float *tmp,
                          uint8_t *clear, float *clear_f)
{
    size_t n = (size_t)w * h;
    uint8_t *in = calloc(n, 1);
    if (!in) return -1;
    scalp_hull_fill(hull, k, w, h, in, 1);
    for (size_t i = 0; i < n; i++) tmp[i] = in[i];
    free(in);
    scalp_box_mean(tmp, tmp, w, h, (int)fmax(1, lround(scale * margin_mm)));
    for (size_t i = 0; i < n; i++) {
        if (tmp[i] > 0) continue;
        if (clear) clear[i] = 0;
        if (clear_f) clear_f[i] = 0;
    }
    return 0;
}

static int off_the_head(const float *L, const float *A, const float *B, int w, int h, const double skin[3],
                        double scale, double margin_mm, float *tmp, uint8_t *clear, float *clear_f)
{
    vec2 *hull;
    size_t k;
    if (skin_hull(L, A, B, w, h, skin, &hull, &k)) return -1;
    int r = hull ? clear_off_hull(hull, k, w, h, scale, margin_mm, tmp, clear, clear_f) : 0;
    free(hull);
    return r;
}

/* The region's area over that of its convex hull: near 1 for a crown or a
 * top, low for a region that reaches along a neck or an arm, or round
 * eyes and brows. */
static double solidity(const uint8_t *m, int w, int h)
{
    vec2 *hull;
    size_t k, count;
    double s = 1;
    if (scalp_hull(m, w, h, &hull, &k, &count) || !hull) return s;
    double a = geom_polygon_area(hull, k);
    if (fabs(a) > 0) s = fmin(1, count / fabs(a));
    free(hull);
    return s;
}

/* The solidity of each connected part of M, weighted by its size. */
static double solidity_parts(const uint8_t *m, int w, int h)
{
    size_t n = (size_t)w * h, total = 0;
    uint8_t *lab = malloc(n), *part = NULL;
    int *stack = malloc(sizeof(int) * 2 * n);
    if (!lab || !stack) { free(lab); free(stack); return solidity(m, w, h); }
    for (size_t i = 0; i < n; i++) lab[i] = m[i] ? 1 : 0;
    double sum = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (lab[(size_t)y * w + x] != 1) continue;
            int box[4];
            size_t got = scalp_flood(lab, w, h, x, y, 1, 2, box, stack);
            int bw = box[2] - box[0] + 1, bh = box[3] - box[1] + 1;
            uint8_t *p = realloc(part, (size_t)bw * bh);
            if (!p) { free(lab); free(part); free(stack); return solidity(m, w, h); }
            part = p;
            for (int yy = 0; yy < bh; yy++)
                for (int xx = 0; xx < bw; xx++)
                    part[(size_t)yy * bw + xx] = lab[(size_t)(yy + box[1]) * w + xx + box[0]] == 2 ? 255 : 0;
            sum += got * solidity(part, bw, bh);
            total += got;
            scalp_flood(lab, w, h, x, y, 2, 3, box, stack);
        }
    free(lab);
    free(part);
    free(stack);
    return total ? sum / total : 1;
}

void scalp_doubt(const uint8_t *m, const float *L, int w, int h, int parts, double *confidence, char *warning,
                 size_t warning_size)
{
    /* Doubt, said in the number and in words: a region that runs off the
     * photo along much of its border may go on into a forehead, a neck or
     * a wall; one whose lightness spreads widely holds more than one skin
     * (or a shine the dots would not show on). */
    size_t rim = 0, rim_in = 0, n = (size_t)w * h;
    for (int x = 0; x < w; x++) { rim_in += m[x] != 0; rim_in += m[(size_t)(h - 1) * w + x] != 0; rim += 2; }
    for (int y = 1; y < h - 1; y++) { rim_in += m[(size_t)y * w] != 0; rim_in += m[(size_t)y * w + w - 1] != 0; rim += 2; }
    double edge = rim ? (double)rim_in / rim : 0;
    /* The spread of the skin, not of the hairs lying over a thinning
     * crown: the interquartile range of L* (in tenths, from a histogram)
     * scaled to a standard deviation. */
    size_t hist[1001] = {0}, k = 0;
    for (size_t i = 0; i < n; i += 3)
        if (m[i]) { hist[(int)lround(fmin(100, fmax(0, L[i])) * 10)]++; k++; }
    double q[2] = {0, 0};
    size_t seen = 0;
    for (int b = 0, j = 0; b <= 1000 && j < 2; b++) {
        seen += hist[b];
        while (j < 2 && seen > (j ? 3 * k / 4 : k / 4)) q[j++] = b / 10.0;
    }
    double spread = k > 3 ? (q[1] - q[0]) / 1.349 : 0;
    if (warning_size) warning[0] = 0;
    if (edge > EDGE_DOUBT) {
        *confidence *= fmax(0.3, 1 - (edge - EDGE_DOUBT));
        if (warning_size)
            snprintf(warning, warning_size,
                     "the scalp found runs off the photo along %.0f%% of its border and may take in a forehead, neck "
                     "or background; check it with --save-area FILE.png",
                     100 * edge);
    }
    double solid = parts ? solidity_parts(m, w, h) : solidity(m, w, h);
    if (solid < SOLID_DOUBT) {
        *confidence *= (solid / SOLID_DOUBT) * (solid / SOLID_DOUBT);
        if (warning_size && !warning[0])
            snprintf(warning, warning_size,
                     "the scalp found is ragged (it fills %.0f%% of its convex hull) and may reach into a face, "
                     "neck or arm; check it with --save-area FILE.png",
                     100 * solid);
    }
    if (spread > SPREAD_DOUBT) {
        *confidence *= SPREAD_DOUBT / spread;
        if (warning_size && !warning[0])
            snprintf(warning, warning_size,
                     "the scalp found is very uneven in tone (L* spread %.0f) and may take in more than scalp; check "
                     "it with --save-area FILE.png",
                     spread);
    }
}

/* The blobs that may be a shine on the head (scalp.h): 1 in OUT (W*H),
 * 0 elsewhere.  VAR is the local variance of L* over half a millimetre. */
static void shine_blobs(const float *L, const float *A, const float *B, const float *var, int w, int h, double scale,
                        const float skin[3], double chroma, uint8_t *out)
{
    size_t n = (size_t)w * h;
    double most = SHINE_MAX_MM2 * scale * scale, least = SHINE_MIN_MM2 * scale * scale;
    for (size_t i = 0; i < n; i++)
        out[i] = L[i] >= skin[0] + SHINE_LIGHTER && var[i] < 16 &&
                 hypot(A[i], B[i]) < (L[i] >= SHINE_WHITE ? fmax(SHINE_CAST, SHINE_PALE * chroma) : SHINE_PALE * chroma);
    /* Each blob in turn: 1 -> 2 while it is looked at, then 3 (kept) or
     * 4 (not a shine). */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (out[(size_t)y * w + x] != 1) continue;
            int box[4];
            size_t got = scalp_flood_box(out, w, h, x, y, 1, 2, box);
            int keep = got >= least && got <= most && box[0] > 0 && box[1] > 0 && box[2] < w - 1 && box[3] < h - 1;
            /* Its brightest pixel, and its outermost ones (off the
             * photo's border, as it is kept). */
            size_t edge = 0;
            double top = 0, edge_l = 0, from = skin[0] + SHINE_LIGHTER;
            for (int yy = box[1]; keep && yy <= box[3]; yy++)
                for (int xx = box[0]; xx <= box[2]; xx++) {
                    size_t i = (size_t)yy * w + xx;
                    if (out[i] != 2) continue;
                    top = fmax(top, L[i]);
                    if (out[i - 1] != 2 || out[i + 1] != 2 || out[i - w] != 2 || out[i + w] != 2) {
                        edge++;
                        edge_l += L[i];
                    }
                }
            keep = keep && top >= SHINE_WHITE && edge && edge_l / edge - from <= SHINE_SOFT * (top - from);
            flood(out, w, h, x, y, 2, keep ? 3 : 4);
        }
    for (size_t i = 0; i < n; i++) out[i] = out[i] == 3;
}

/* Adds to the region (2 in M) each shine blob of SHINE (1) that borders
 * it (scalp.h), outside the band of the photo on the face's side
 * (BAND > 0).  MERGED (W*H) gets 1 on the shine added.  -1 when out of
 * memory. */
static int add_shine(uint8_t *m, const uint8_t *shine, int w, int h, double scale, int face, int band, size_t region,
                     uint8_t *merged)
{
    size_t n = (size_t)w * h;
    int r = (int)fmax(1, lround(scale * SHINE_RING_MM));
    uint8_t *s = malloc(n);
    if (!s) return -1;
    memcpy(s, shine, n);
    memset(merged, 0, n);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (s[(size_t)y * w + x] != 1) continue;
            int box[4];
            size_t got = scalp_flood_box(s, w, h, x, y, 1, 2, box);
            /* The pixels within R of the blob, outside it, and how many
             * of them the region holds. */
            int x0 = box[0] - r < 0 ? 0 : box[0] - r, y0 = box[1] - r < 0 ? 0 : box[1] - r;
            int x1 = box[2] + r >= w ? w - 1 : box[2] + r, y1 = box[3] + r >= h ? h - 1 : box[3] + r;
            int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
            float *near = malloc(sizeof *near * (size_t)bw * bh);
            if (!near) { free(s); return -1; }
            for (int yy = 0; yy < bh; yy++)
                for (int xx = 0; xx < bw; xx++) near[(size_t)yy * bw + xx] = s[(size_t)(yy + y0) * w + xx + x0] == 2;
            scalp_box_mean(near, near, bw, bh, r);
            size_t ring = 0, touch = 0;
            int in_band = 0;
            for (int yy = 0; yy < bh; yy++)
                for (int xx = 0; xx < bw; xx++) {
                    size_t i = (size_t)(yy + y0) * w + xx + x0;
                    if (s[i] == 2) {
                        int px = xx + x0, py = yy + y0;
                        in_band |= band > 0 && (face == FACE_DOWN ? py >= h - band : face == FACE_UP ? py < band
                                                : face == FACE_LEFT ? px < band : px >= w - band);
                        continue;
                    }
                    if (!(near[(size_t)yy * bw + xx] > 0)) continue;
                    ring++;
                    touch += m[i] == 2;
                }
            free(near);
            int add = !in_band && got <= region && ring && touch >= SHINE_TOUCH * ring;
            for (int yy = box[1]; yy <= box[3]; yy++)
                for (int xx = box[0]; xx <= box[2]; xx++) {
                    size_t i = (size_t)yy * w + xx;
                    if (s[i] != 2) continue;
                    s[i] = 3;
                    if (add) { m[i] = 2; merged[i] = 1; }
                }
        }
    free(s);
    return 0;
}

/* The photo's pixels per millimetre from which scalp_shine works on a
 * reduced copy: a shine is millimetres across, and a 16 MP photo's
 * CIELAB planes would cost seconds and hundreds of megabytes. */
#define SHINE_WORK_PX_MM 4.0

smp_status scalp_shine(const photo *p, double scale, uint8_t **out, smp_error *err)
{
    /* Every F x F pixels averaged into one. */
    int f = scale > 2 * SHINE_WORK_PX_MM ? (int)(scale / SHINE_WORK_PX_MM) : 1;
    int w = (p->w + f - 1) / f, h = (p->h + f - 1) / f;
    size_t n = (size_t)w * h;
    photo small = {0};
    const photo *q = p;
    float *L = malloc(n * sizeof *L), *A = malloc(n * sizeof *A), *B = malloc(n * sizeof *B);
    float *tmp = malloc(n * sizeof *tmp), *var = malloc(n * sizeof *var);
    uint8_t *m = malloc(n), *full = NULL;
    float skin[3];
    smp_status st = SMP_OK;
    *out = NULL;
    if (!L || !A || !B || !tmp || !var || !m) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    if (f > 1) {
        if ((st = photo_reduce(p, f, &small, err)) != SMP_OK) goto done;
        q = &small;
    }
    photo_to_lab(q, L, A, B);
    local_variance(L, tmp, var, w, h, (int)fmax(1, lround(scale / f * 0.5)));
    if (skin_estimate(w, h, L, A, B, var, skin)) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    shine_blobs(L, A, B, var, w, h, scale / f, skin, hypot(skin[1], skin[2]), m);
    if (f > 1) {
        if (!(full = malloc((size_t)p->w * p->h))) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
        for (int y = 0; y < p->h; y++)
            for (int x = 0; x < p->w; x++) full[(size_t)y * p->w + x] = m[(size_t)(y / f) * w + x / f];
        *out = full;
    } else {
        *out = m;
        m = NULL;
    }
done:
    photo_free(&small);
    free(L); free(A); free(B); free(tmp); free(var); free(m);
    return st;
}

void scalp_candidates_free(scalp_candidates *cand)
{
    free(cand->L); free(cand->A); free(cand->B); free(cand->smooth); free(cand->m); free(cand->zone); free(cand->shine);
    memset(cand, 0, sizeof *cand);
}

smp_status scalp_find_candidates(const photo *p, double scale, int thinning, int face, scalp_candidates *cand,
                                 smp_error *err)
{
    int w = p->w, h = p->h;
    size_t n = (size_t)w * h;
    memset(cand, 0, sizeof *cand);
    cand->w = w;
    cand->h = h;
    cand->scale = scale;
    cand->thinning = thinning;
    cand->face = face;
    float *L = cand->L = malloc(n * sizeof *L), *A = cand->A = malloc(n * sizeof *A), *B = cand->B = malloc(n * sizeof *B);
    float *tmp = malloc(n * sizeof *tmp), *var = malloc(n * sizeof *var);
    uint8_t *m = cand->m = malloc(n);
    float *grain = NULL;
    uint8_t *zone = NULL;
    smp_status st = SMP_OK;
    if (!L || !A || !B || !tmp || !var || !m) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    photo_to_lab(p, L, A, B);
    /* Texture: the local standard deviation of lightness over ~0.5 mm. */
    local_variance(L, tmp, var, w, h, (int)fmax(1, lround(scale * 0.5)));
    float *skin = cand->skin;
    if (skin_estimate(w, h, L, A, B, var, skin)) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    double chroma = cand->chroma = hypot(skin[1], skin[2]);
    if (!(cand->shine = malloc(n))) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    shine_blobs(L, A, B, var, w, h, scale, skin, chroma, cand->shine);
    /* Grain: the energy of the finest detail (lightness less its mean
     * over about 0.3 mm), averaged over GRAIN_MM.  Short stubble is
     * smooth at half a millimetre but grainy at the finest scale, its
     * grain 4 to 30 times bare skin's on the reference bands; bare skin's
     * is the lowest twentieth of the skin-coloured candidates' (the middle
     * of a back view may be mostly stubble). */
    grain = cand->smooth = malloc(n * sizeof *grain);
    if (!grain) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    scalp_box_mean(L, grain, w, h, (int)fmax(1, lround(scale * 0.3)));
    for (size_t i = 0; i < n; i++) grain[i] = (L[i] - grain[i]) * (L[i] - grain[i]);
    int rg = (int)fmax(1, lround(scale * GRAIN_MM / 2));
    scalp_box_mean(grain, grain, w, h, rg);
    /* The finest detail scales with the light falling on it: grain is
     * measured as it would be at the skin's lightness (L* + 16 is near
     * the cube root of the light). */
    scalp_box_mean(L, tmp, w, h, rg);
    for (size_t i = 0; i < n; i++) {
        float k = (float)((skin[0] + 16) / fmax(4, tmp[i] + 16));
        grain[i] *= k * k;
    }
    float bare_grain = 0;
    {
        size_t k = 0;
        for (int y = h / 4; y < 3 * h / 4; y++)
            for (int x = w / 4; x < 3 * w / 4; x++) {
                size_t i = (size_t)y * w + x;
                if (var[i] < 16 && hypot(A[i] - skin[1], B[i] - skin[2]) < fmax(6, 0.45 * chroma)) tmp[k++] = grain[i];
            }
        if (k) bare_grain = kth_smallest(tmp, k, k / 20);
    }
    float grainy = fmaxf(0.1f, (float)(GRAIN_HAIR * GRAIN_HAIR) * bare_grain);
    /* In thinning mode, hair over the skin is what is to be treated. */
    if (thinning) {
        /* But the thinning zone does not go on into stubble whose grain
         * is far above any thinning hair's (bit 4 of ZONE: not that).  Bit
         * 8: grainy at all, with strands or stubble over the skin. */
        if (!(zone = cand->zone = malloc(n))) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
        for (size_t i = 0; i < n; i++)
            zone[i] = (uint8_t)((grain[i] < THIN_STUBBLE * grainy ? 4 : 0) | (grain[i] >= grainy ? 8 : 0));
        grainy = INFINITY;
    }
    uint8_t *flags = malloc(n);
    if (!flags) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    double lk = 1 / (skin[0] + 16);
    for (size_t i = 0; i < n; i++) {
        double dc = hypot(A[i] - skin[1], B[i] - skin[2]);
        double dl = fabs(L[i] - skin[0]);
        int colour = dc < fmax(6, 0.45 * chroma) && dl < 25;
        /* Shaded or lit skin: a* and b* scale with L* + 16 when only the
         * light changes (each is a difference of cube roots). */
        double ls = (L[i] + 16) * lk, sa = A[i] - skin[1] * ls, sb = B[i] - skin[2] * ls;
        double reach = fmax(6, 0.45 * chroma) * fmin(1, ls);
        int shaded = L[i] > skin[0] - SHADE_DL && L[i] < skin[0] + 25 && sa * sa + sb * sb < reach * reach;
        /* A shine on a bald crown: lighter, paler, same hue side. */
        double c = hypot(A[i], B[i]);
        if (!colour && L[i] > skin[0] && L[i] - skin[0] < 40 && c < chroma && c > 0.25 * chroma &&
            A[i] * skin[1] + B[i] * skin[2] > 0.9 * c * chroma)
            colour = 1;
        int smooth = var[i] < 16; /* L* standard deviation under 4 */
        flags[i] = (uint8_t)((colour && smooth && grain[i] < grainy) | (colour || shaded) << 1);
        flags[i] &= smooth ? 3 : 0;
    }
    if (!thinning && grow_over_light(flags, L, A, B, grain, w, h, scale, grainy)) {
        free(flags);
        st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        tmp[i] = (float)((flags[i] & 1) || (flags[i] & 6) == 6);
        grain[i] = (float)((flags[i] & 2) != 0);
    }
    free(flags);
    int band = (int)lround(FACE_BAND * (face == FACE_LEFT || face == FACE_RIGHT ? w : h));
    if (thinning) {
        /* Thinning: scalp_classify's scalp and hair (grey strands are
         * hair), and over SCALP_SHOW_MM, where scalp shows among the hair
         * (ZONE, 1: not in stubble; 2: in any hair).  In the band on the
         * face's side, only bare, smooth skin counts toward the face: it
         * may be a forehead, while skin with strands over it (few enough
         * to leave it skin-coloured, but grainy) is the front or the back
         * of a head that fills the photo. */
        double skin_lab[3] = {skin[0], skin[1], skin[2]};
        float *hair = malloc(n * sizeof *hair), *head = malloc(n * sizeof *head), *tex = malloc(n * sizeof *tex);
        if (!hair || !head || !tex) {
            free(hair); free(head); free(tex);
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto done;
        }
        double hair_l = hair_lightness(w, h, L, tex);
        scalp_classify_lab(w, h, L, A, B, var, skin_lab, hair_l, m);
        /* Hair in the band: shaded bare skin may be as dark as hair, but
         * it is smooth and keeps the skin's chroma over L* + 16; hair is
         * textured or paler. */
        double skin_c = hypot(skin[1], skin[2]) / (skin[0] + 16);
        for (size_t i = 0; i < n; i++)
            tex[i] = m[i] == SCALP_HAIR && (var[i] >= THIN_STRAND_VAR ||
                                            hypot(A[i], B[i]) / fmax(1, L[i] + 16) < GROW_CHROMA * skin_c);
        scalp_box_mean(tex, tex, w, h, (int)fmax(1, lround(scale * SCALP_SHOW_MM / 2)));
        if (scalp_shows_lab(w, h, L, m, skin_lab, hair_l, scale, var, hair, head)) {
            free(hair); free(head); free(tex);
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto done;
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                size_t i = (size_t)y * w + x;
                int in_band = face == FACE_DOWN ? y >= h - band : face == FACE_UP ? y < band
                              : face == FACE_LEFT ? x < band : face == FACE_RIGHT ? x >= w - band : 0;
                int shows = head[i] > 0.5f && var[i] >= THIN_SHOWS, grained = zone[i] & 8;
                zone[i] = (uint8_t)(((zone[i] & 4) && shows) | shows << 1);
                if (in_band && (tex[i] >= THIN_BARE || grained)) tmp[i] = grain[i] = 0;
                if (in_band) zone[i] = 0;
            }
        free(hair);
        free(head);
        free(tex);
    }
    /* Close the small gaps over about 1.5 mm, then keep what is mostly scalp. */
    scalp_box_mean(tmp, var, w, h, (int)fmax(1, lround(scale * 1.5)));
    for (size_t i = 0; i < n; i++) m[i] = var[i] > 0.5f ? 1 : 0;
    /* Hairs lying across a thinning crown cut it into strips: bridge cuts
     * under two and a half millimetres (a closing: grow, then shrink). */
    int rc = (int)fmax(1, lround(scale * 1.25));
    for (size_t i = 0; i < n; i++) tmp[i] = m[i];
    scalp_box_mean(tmp, var, w, h, rc);
    for (size_t i = 0; i < n; i++) tmp[i] = var[i] > 0.001f ? 1.0f : 0.0f;
    scalp_box_mean(tmp, var, w, h, rc);
    for (size_t i = 0; i < n; i++) m[i] = var[i] > 0.999f ? 1 : 0;
done:
    free(tmp);
    free(var);
    if (st != SMP_OK) scalp_candidates_free(cand);
    return st;
}

/* A face's brows: two dark bars side by side across the face's axis,
 * inside the skin of the forehead and the face.  M holds the holes in the
 * region as 0 (what the border cannot reach without crossing it); a hole
 * is bar-shaped when its long side (across the face's axis) measures
 * BROW_LONG_MM, its short side BROW_SHORT_MM, it fills half its box or
 * more (a strand lying across a crown is thin and slanted) and it is
 * BROW_DL darker than the skin; two of them within BROW_GAP_MM of each
 * other along the long side, level within BROW_LEVEL_MM, of like length.
 * 1 and their middles in XY (photo px) when found; M's holes become 7. */
#define BROW_LONG_MIN 20.0
#define BROW_LONG_MAX 75.0
#define BROW_SHORT_MIN 3.0
#define BROW_SHORT_MAX 20.0
#define BROW_DL 10.0
#define BROW_GAP_MM 45.0
#define BROW_LEVEL_MM 12.0
static int brow_pair(uint8_t *m, const float *L, int w, int h, double scale, int face, double skin_l, double xy[4])
{
    enum { MAX_BARS = 16 };
    double bar[MAX_BARS][4]; /* middle along, middle across, long side, short side (px) */
    int nb = 0, across_x = face == FACE_DOWN || face == FACE_UP;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (m[(size_t)y * w + x] != 0) continue;
            int box[4];
            size_t got = scalp_flood_box(m, w, h, x, y, 0, 7, box);
            double bw = box[2] - box[0] + 1, bh = box[3] - box[1] + 1;
            double lng = across_x ? bw : bh, sht = across_x ? bh : bw;
            if (lng < BROW_LONG_MIN * scale || lng > BROW_LONG_MAX * scale || sht < BROW_SHORT_MIN * scale ||
                sht > BROW_SHORT_MAX * scale || lng < 2 * sht || got < 0.5 * bw * bh || nb == MAX_BARS)
                continue;
            double sum = 0;
            size_t k = 0;
            for (int yy = box[1]; yy <= box[3]; yy++)
                for (int xx = box[0]; xx <= box[2]; xx++)
                    if (m[(size_t)yy * w + xx] == 7) { sum += L[(size_t)yy * w + xx]; k++; }
            if (!k || sum / k > skin_l - BROW_DL) continue;
            double cx = (box[0] + box[2] + 1) / 2.0, cy = (box[1] + box[3] + 1) / 2.0;
            bar[nb][0] = across_x ? cx : cy;
            bar[nb][1] = across_x ? cy : cx;
            bar[nb][2] = lng;
            bar[nb][3] = sht;
            nb++;
        }
    for (int i = 0; i < nb; i++)
        for (int j = i + 1; j < nb; j++) {
            double gap = fabs(bar[i][0] - bar[j][0]) - (bar[i][2] + bar[j][2]) / 2;
            double ratio = bar[i][2] / bar[j][2];
            if (gap < 0 || gap > BROW_GAP_MM * scale || fabs(bar[i][1] - bar[j][1]) > BROW_LEVEL_MM * scale ||
                ratio < 0.5 || ratio > 2)
                continue;
            xy[0] = across_x ? bar[i][0] : bar[i][1];
            xy[1] = across_x ? bar[i][1] : bar[i][0];
            xy[2] = across_x ? bar[j][0] : bar[j][1];
            xy[3] = across_x ? bar[j][1] : bar[j][0];
            return 1;
        }
    return 0;
}

/* M's pixels of value 1 that join those of value 2 (4-connected) become 2. */
static void grow_into(uint8_t *m, int w, int h)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (m[(size_t)y * w + x] == 2)
                for (int k = 0; k < 4; k++) {
                    int nx = x + (k == 0) - (k == 1), ny = y + (k == 2) - (k == 3);
                    if (nx >= 0 && ny >= 0 && nx < w && ny < h) flood(m, w, h, nx, ny, 1, 2);
                }
}

smp_status scalp_choose(const scalp_candidates *cand, const scalp_hint *hint, const char *what, uint8_t **out,
                        double *confidence, char *warning, size_t warning_size, smp_error *err)
{
    int face = hint->face;
    int w = cand->w, h = cand->h;
    size_t n = (size_t)w * h;
    double scale = cand->scale, chroma = cand->chroma;
    const float *L = cand->L, *A = cand->A, *B = cand->B, *grain = cand->smooth, *skin = cand->skin;
    const uint8_t *zone = cand->zone;
    int band = (int)lround(FACE_BAND * (face == FACE_LEFT || face == FACE_RIGHT ? w : h));
    int rg = (int)fmax(1, lround(scale * GRAIN_MM / 2));
    float *tmp = calloc(n, sizeof *tmp), *var = malloc(n * sizeof *var);
    uint8_t *m = malloc(n), *shine = NULL;
    smp_status st = SMP_OK;
    *out = NULL;
    if (!tmp || !var || !m) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    const uint8_t *line_side = hint->side;
    size_t region = 0, toward = 0;
    int bx = -1, by = -1;
    /* Behind a hairline, the skin just behind it (within LINE_NEAR_MM of
     * the pixels on its face's side, along the line's own points, not its
     * run back from a side view's temple): every region there of a square
     * centimetre or more lies between the new line and the client's hair,
     * and is taken, not only the largest near the line's middle.  A frontal recession's temples are apart from its middle,
     * cut off by the fringe; one region alone left a line half drawn. */
    uint8_t *near_line = NULL;
    if (line_side && hint->has_seed) {
        near_line = malloc(n);
        if (!near_line) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
        for (size_t i = 0; i < n; i++) tmp[i] = line_side[i] == 1;
        scalp_box_mean(tmp, var, w, h, (int)fmax(1, lround(scale * LINE_NEAR_MM)));
        double r = scale * LINE_NEAR_MM;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                size_t i = (size_t)y * w + x;
                near_line[i] = line_side[i] == 2 && var[i] > 0 && x >= hint->line_box[0] - r &&
                               x <= hint->line_box[2] + r && y >= hint->line_box[1] - r && y <= hint->line_box[3] + r;
            }
        memset(tmp, 0, n * sizeof *tmp);
    }
    /* Thinning behind a hairline, where no bare patch is found near its
     * middle (long thin hair over all of the top): the second pass takes
     * where scalp shows among any hair, stubble or long, as the region
     * (the line bounds the forehead; the photo's grain cannot tell long
     * strands from stubble). */
    size_t taken = 0;
    int seeded = 0; /* a region taken along the line comes near its middle too */
    double best = 0;  /* the largest region taken by the middle */
    for (int pass = 0; pass < (zone && hint->has_seed ? 2 : 1) && !region && !seeded; pass++) {
        memcpy(m, cand->m, n);
        taken = 0;
        best = 0;
        for (size_t i = 0; pass && i < n; i++)
            if (zone[i] & 2) m[i] = 1;
        if (line_side)
            for (size_t i = 0; i < n; i++)
                if (line_side[i] != 2) m[i] = 0;
        /* The largest connected region reaching into the middle half, but
         * not one that runs into the band of the photo on the face's side
         * (its outer FACE_BAND): skin going on there is a forehead, a face
         * or a neck, which only a hairline can bound (FACE < 0: one does).
         * Behind a hairline, the region that reaches near the line's middle
         * (SEED_REACH_MM), from anywhere in the photo. */
        int y0 = hint->has_seed ? 0 : h / 4, y1 = hint->has_seed ? h : 3 * h / 4;
        int x0 = hint->has_seed ? 0 : w / 4, x1 = hint->has_seed ? w : 3 * w / 4;
        double reach = SEED_REACH_MM * scale;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) {
                if (m[(size_t)y * w + x] != 1) continue;
                int box[4];
                size_t got = scalp_flood_box(m, w, h, x, y, 1, 4, box);
                int reaches = face == FACE_DOWN ? box[3] >= h - band : face == FACE_UP ? box[1] < band
                              : face == FACE_LEFT ? box[0] < band : face == FACE_RIGHT ? box[2] >= w - band : 0;
                double dx = fmax(0, fmax(box[0] - hint->seed[0], hint->seed[0] - box[2] - 1));
                double dy = fmax(0, fmax(box[1] - hint->seed[1], hint->seed[1] - box[3] - 1));
                int by_seed = hint->has_seed && hypot(dx, dy) <= reach;
                if (near_line) {
                    int touches = 0;
                    for (int yy = box[1]; yy <= box[3] && !touches; yy++)
                        for (int xx = box[0]; xx <= box[2] && !touches; xx++) {
                            size_t i = (size_t)yy * w + xx;
                            touches = m[i] == 4 && near_line[i];
                        }
                    if (touches && got >= LINE_PART_MM2 * scale * scale) {
                        flood(m, w, h, x, y, 4, 2);
                        taken += got;
                        if (by_seed) {
                            /* The largest near the middle so far: any
                             * smaller one taken by the middle goes. */
                            seeded = 1;
                            if (got > best && bx >= 0) {
                                flood(m, w, h, bx, by, 2, 3);
                                bx = -1;
                                region = 0;
                            }
                            best = fmax(best, got);
                        }
                        continue;
                    }
                }
                if (hint->has_seed && !by_seed) { flood(m, w, h, x, y, 4, 3); continue; }
                if (reaches) {
                    if (got > toward) toward = got;
                    flood(m, w, h, x, y, 4, got >= n / 200 ? 5 : 3);
                } else if (got > best) {
                    if (bx >= 0) flood(m, w, h, bx, by, 2, 3);
                    flood(m, w, h, x, y, 4, 2);
                    region = best = got;
                    bx = x;
                    by = y;
                } else {
                    flood(m, w, h, x, y, 4, 3);
                }
            }
    }
    region += taken;
    free(near_line);
    near_line = NULL;
    /* Skin in the band on the face's side, within a few millimetres of
     * the region, is the same skin cut by a strand, a brow or an eye: the
     * region is a forehead too.  (A neck below a band of stubble is
     * further.) */
    int near = 0;
    if (face >= 0 && region) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int in_band = face == FACE_DOWN ? y >= h - band : face == FACE_UP ? y < band
                              : face == FACE_LEFT ? x < band : x >= w - band;
                if (!in_band || m[(size_t)y * w + x] != 1) continue;
                int box[4];
                size_t got = scalp_flood_box(m, w, h, x, y, 1, 6, box);
                flood(m, w, h, x, y, 6, got >= n / 400 ? 5 : 3);
            }
        for (size_t i = 0; i < n; i++) tmp[i] = m[i] == 5 ? 1.0f : 0.0f;
        scalp_box_mean(tmp, var, w, h, (int)fmax(1, lround(scale * FACE_GAP_MM)));
        for (size_t i = 0; i < n && !near; i++) near = m[i] == 2 && var[i] > 0;
    }
    if (((toward > 0 && region < toward / 3) || near) && chroma >= 4) {
        static const char *side[] = {"lowest", "highest", "leftmost", "rightmost"};
        static const char *names[] = {"down", "up", "left", "right"};
        *confidence = -1;
        st = smp_fail(err, SMP_EINPUT, 1,
                      "%s: the skin found runs on into the %s %.0f%% of the photo, toward the face or the neck (--face %s): give "
                      "--hairline with --anchors to bound the forehead, or --area-polygon or --area-mask",
                      what, side[face], 100 * FACE_BAND, names[face]);
        goto done;
    }
    /* A blown-out shine that borders the region is the scalp it lies on;
     * left out, it would cut the crown short at its edge. */
    shine = malloc(n);
    if (!shine || (region && add_shine(m, cand->shine, w, h, scale, face, face >= 0 ? band : 0, region, shine))) {
        st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        goto done;
    }
    if (!region) memset(shine, 0, n);
    /* Behind a hairline, only the shine behind it. */
    for (size_t i = 0; line_side && i < n; i++)
        if (shine[i] && line_side[i] != 2) m[i] = shine[i] = 0;
    /* Holes: whatever the border cannot reach without crossing the region. */
    for (size_t i = 0; i < n; i++) m[i] = m[i] == 2 ? 2 : 0;
    for (int x = 0; x < w; x++) { flood(m, w, h, x, 0, 0, 3); flood(m, w, h, x, h - 1, 0, 3); }
    for (int y = 0; y < h; y++) { flood(m, w, h, 0, y, 0, 3); flood(m, w, h, w - 1, y, 0, 3); }
    /* Unbounded by a hairline, a face framed with a margin need not run
     * on into the band: its brows inside the skin found say it is one. */
    double brows[4];
    if (face >= 0 && region && brow_pair(m, L, w, h, scale, face, skin[0], brows)) {
        *confidence = -1;
        st = smp_fail(err, SMP_EINPUT, 1,
                      "%s: a face's brows lie inside the skin found (near %.0f,%.0f and %.0f,%.0f): give --hairline "
                      "with --anchors to bound the forehead, or --area-polygon or --area-mask",
                      what, brows[0], brows[1], brows[2], brows[3]);
        goto done;
    }
    for (size_t i = 0; i < n; i++) m[i] = m[i] == 7 ? 0 : m[i];
    /* The grain is measured over GRAIN_MM, so the region stops short of
     * the hair by half of that: grow it back over the skin-coloured,
     * smooth pixels (GRAIN now holds those, smoothed like the rest). */
    for (size_t i = 0; i < n; i++) tmp[i] = m[i] == 3 ? 0.0f : 1.0f;
    scalp_box_mean(tmp, var, w, h, rg);
    scalp_box_mean(grain, tmp, w, h, (int)fmax(1, lround(scale * 1.5)));
    size_t found = 0;
    for (size_t i = 0; i < n; i++) m[i] = m[i] != 3 || (var[i] > 0.0f && tmp[i] > 0.5f) ? 255 : 0;
    /* Growing back closes narrow ways in from the border (beside a shine
     * taken in, often): what they led to is a hole now, and filled. */
    for (int x = 0; x < w; x++) { flood(m, w, h, x, 0, 0, 3); flood(m, w, h, x, h - 1, 0, 3); }
    for (int y = 0; y < h; y++) { flood(m, w, h, 0, y, 0, 3); flood(m, w, h, w - 1, y, 0, 3); }
    for (size_t i = 0; i < n; i++) m[i] = m[i] == 3 ? 0 : 255;
    if (line_side && region) {
        /* Ahead of the line, the transition zone's front and the sentinel
         * dots need the skin there too: the candidates within reach that
         * join the region, and nothing further. */
        for (size_t i = 0; i < n; i++) m[i] = m[i] == 255 ? 2 : line_side[i] == 1 && cand->m[i] == 1 ? 1 : 0;
        grow_into(m, w, h);
        for (size_t i = 0; i < n; i++) m[i] = m[i] == 2 ? 255 : 0;
    }
    if (zone && region) {
        /* The thinning zone goes on beyond the bare-looking crown into the
         * hair, as long as scalp shows between the hairs: from the region
         * over ZONE, to THIN_REACH_MM from it (outside the band on the
         * face's side). */
        for (size_t i = 0; i < n; i++) tmp[i] = m[i] == 255;
        scalp_box_mean(tmp, var, w, h, (int)fmax(1, lround(scale * THIN_REACH_MM)));
        for (size_t i = 0; i < n; i++) m[i] = m[i] == 255 ? 2 : (zone[i] & 1) && var[i] > 0 ? 1 : 0;
        grow_into(m, w, h);
        for (size_t i = 0; i < n; i++) m[i] = m[i] == 2 ? 255 : 0;
    }
    if (line_side)
        for (size_t i = 0; i < n; i++)
            if (!line_side[i]) m[i] = 0;
    /* Nothing beyond the head's outline: only about the skin that is
     * plainly skin. */
    {
        double sk[3] = {skin[0], skin[1], skin[2]};
        if (off_the_head(L, A, B, w, h, sk, scale, AREA_SURE_MM, tmp, m, NULL)) {
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++) found += m[i] == 255;
    double share = (double)found / n;
    /* Confidence: how far the region's colour stands from the rest. */
    double in_l = 0, out_l = 0, in_c = 0, out_c = 0;
    size_t ni = 0, no = 0;
    for (size_t i = 0; i < n; i += 3) {
        double c = hypot(A[i] - skin[1], B[i] - skin[2]);
        if (m[i]) { in_l += L[i]; in_c += c; ni++; } else { out_l += L[i]; out_c += c; no++; }
    }
    double sep = ni && no ? fabs(in_l / ni - out_l / no) / 20 + fabs(in_c / ni - out_c / no) / 10 : 0;
    *confidence = fmin(1, sep) * (region ? 1 : 0);
    if (hint->has_seed && !region && chroma >= 4) {
        st = smp_fail(err, SMP_EINPUT, 1,
                      "%s: no bald scalp found behind the hairline's middle; give --area-polygon or --area-mask",
                      what);
        goto done;
    }
    if (!region || share < 0.02 || share > 0.9 || chroma < 4 || *confidence < 0.3) {
        st = smp_fail(err, SMP_EINPUT, 1, "%s: no scalp area could be told apart in the photo; give --area-polygon or --area-mask", what);
        goto done;
    }
    /* The spread of the skin's tone, not of the shine on it: the shine
     * counts at the region's median lightness. */
    {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (m[i] && !shine[i]) var[k++] = L[i];
        float mid = k ? kth_smallest(var, k, k / 2) : 0;
        for (size_t i = 0; i < n; i++) tmp[i] = shine[i] ? mid : L[i];
    }
    scalp_doubt(m, tmp, w, h, taken > 0, confidence, warning, warning_size);
    *out = m;
    m = NULL;
done:
    free(tmp); free(var); free(m); free(shine);
    return st;
}

smp_status scalp_detect(const photo *p, double scale, const scalp_hint *hint, const char *what, uint8_t **out,
                        double *confidence, char *warning, size_t warning_size, smp_error *err)
{
    scalp_candidates c;
    *out = NULL;
    smp_status st = scalp_find_candidates(p, scale, hint->thinning, hint->face, &c, err);
    if (st != SMP_OK) return st;
    st = scalp_choose(&c, hint, what, out, confidence, warning, warning_size, err);
    scalp_candidates_free(&c);
    return st;
}

/* Tables for fast CIELAB: linear light per 8-bit value, and CIELAB's f
 * (the cube root, linear near black) per 1/4096 of X, Y or Z. */
typedef struct lab_tables { float lin[256], f[4098]; } lab_tables;

static void lab_tables_init(lab_tables *t)
{
    for (int v = 0; v < 256; v++) t->lin[v] = (float)srgb_to_linear(v);
    for (int i = 0; i <= 4097; i++) {
        double x = fmin(1, i / 4096.0);
        t->f[i] = (float)(x > 216.0 / 24389 ? cbrt(x) : (24389.0 / 27 * x + 16) / 116);
    }
}

static float lab_f(const lab_tables *t, float x)
{
    float s = fminf(1, fmaxf(0, x)) * 4096;
    int k = (int)s;
    return t->f[k] + (t->f[k + 1] - t->f[k]) * (s - (float)k);
}

/* Pixel V's L*, and with AB its a* and b*. */
static float fast_lab(const lab_tables *t, uint32_t v, float *ab)
{
    float r = t->lin[(v >> 16) & 255], g = t->lin[(v >> 8) & 255], b = t->lin[v & 255];
    float fy = lab_f(t, 0.2126729f * r + 0.7151522f * g + 0.0721750f * b);
    if (ab) {
        ab[0] = 500 * (lab_f(t, (0.4124564f * r + 0.3575761f * g + 0.1804375f * b) / 0.95047f) - fy);
        ab[1] = 200 * (fy - lab_f(t, (0.0193339f * r + 0.1191920f * g + 0.9503041f * b) / 1.08883f));
    }
    return 116 * fy - 16;
}

/* The hull is found on every Fth pixel each way, to about this many (its
 * corners move by F - 1 pixels at most), grown by the margin as a polygon
 * and filled at the photo's scale (no plane of floats: a 12 MP photo's
 * is 48 MB), and the skin's colour measured on fewer still: on every
 * pixel, in CIELAB, an 800 x 800 photo took 110 ms, too much for every
 * render and every drag on a page. */
#define OFF_HEAD_PIXELS 2.5e5
#define OFF_HEAD_SKIN_PIXELS 4e4
/* The room inside that hull's margin: reached from past it, step by step,
 * over neighbours within ROOM_STEP of each other in CIELAB, within
 * ROOM_SEED of the colour it set out from (a wall's own shading, not the
 * blurred step to the head), ROOM_FROM_SKIN or more from the skin's, no
 * darker than the skin (hair past the hull, as dark as a dark room, is
 * the head's) and within ROOM_REACH_MM.  A wall of a skin's hue (stubble-back.jpg's pink)
 * puts some of its pixels in the hull of the skin: the hull then runs 2-5
 * mm past the head, where the dots drawn to the outline would lie on it. */
#define ROOM_STEP 8.0
#define ROOM_SEED 20.0
#define ROOM_FROM_SKIN 20.0
#define ROOM_REACH_MM 25.0

static double de2(const float *L, const float *A, const float *B, size_t i, size_t j)
{
    double dl = L[i] - L[j], da = A[i] - A[j], db = B[i] - B[j];
    return dl * dl + da * da + db * db;
}

/* Grows OFF (SW x SH, 1 = past the hull's margin) into the room within
 * it, as above, marking what it reached 2.  -1 for want of memory. */
static int room_past_hull(uint8_t *off, const float *L, const float *A, const float *B, int sw, int sh,
                          const double skin[3], double scale)
{
    size_t n = (size_t)sw * sh, head = 0, tail = 0;
    int *queue = malloc(n * sizeof *queue), *seed = malloc(n * sizeof *seed);
    uint16_t *dist = malloc(n * sizeof *dist);
    if (!queue || !seed || !dist) {
        free(queue); free(seed); free(dist);
        return -1;
    }
    int reach = (int)fmin(60000, lround(ROOM_REACH_MM * scale));
    /* Every pixel past the margin that borders one within it sets out. */
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++) {
            size_t i = (size_t)y * sw + x;
            if (off[i] != 1 || L[i] < skin[0]) continue;
            if ((x > 0 && !off[i - 1]) || (x + 1 < sw && !off[i + 1]) || (y > 0 && !off[i - sw]) ||
                (y + 1 < sh && !off[i + sw])) {
                queue[tail++] = (int)i;
                seed[i] = (int)i;
                dist[i] = 0;
            }
        }
    while (head < tail) {
        size_t i = (size_t)queue[head++];
        if (dist[i] >= reach) continue;
        int x = (int)(i % sw), y = (int)(i / sw);
        size_t nb[4];
        int k = 0;
        if (x > 0) nb[k++] = i - 1;
        if (x + 1 < sw) nb[k++] = i + 1;
        if (y > 0) nb[k++] = i - sw;
        if (y + 1 < sh) nb[k++] = i + sw;
        for (int j = 0; j < k; j++) {
            size_t q = nb[j];
            if (off[q] || L[q] < skin[0]) continue;
            double dl = L[q] - skin[0], da = A[q] - skin[1], db = B[q] - skin[2];
            if (de2(L, A, B, q, i) > ROOM_STEP * ROOM_STEP || de2(L, A, B, q, (size_t)seed[i]) > ROOM_SEED * ROOM_SEED ||
                dl * dl + da * da + db * db < ROOM_FROM_SKIN * ROOM_FROM_SKIN)
                continue;
            off[q] = 2;
            seed[q] = seed[i];
            dist[q] = (uint16_t)(dist[i] + 1);
            queue[tail++] = (int)q;
        }
    }
    free(queue);
    free(seed);
    free(dist);
    return 0;
}

smp_status scalp_off_head(const photo *p, double scale, double margin_mm, uint8_t **out, smp_error *err)
{
    int w = p->w, h = p->h;
    int f = (int)fmax(1, ceil(sqrt((double)w * h / OFF_HEAD_PIXELS)));
    int sw = (w + f - 1) / f, sh = (h + f - 1) / f;
    size_t n = (size_t)sw * sh, nf = (size_t)w * h;
    float *L = malloc(n * sizeof *L), *A = malloc(n * sizeof *A), *B = malloc(n * sizeof *B);
    vec2 *hull = NULL;
    smp_status st = SMP_OK;
    *out = NULL;
    if (!L || !A || !B) {
        st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        goto done;
    }
    /* Every Fth pixel each way, as it is: an average would mix the wall
     * into the head's edge. */
    lab_tables t;
    lab_tables_init(&t);
    for (int y = 0; y < sh; y++) {
        const uint32_t *row = (const uint32_t *)(p->px + (size_t)y * f * p->stride);
        for (int x = 0; x < sw; x++) {
            size_t i = (size_t)y * sw + x;
            float ab[2];
            L[i] = fast_lab(&t, row[x * f], ab);
            A[i] = ab[0];
            B[i] = ab[1];
        }
    }
    /* The skin's colour from every Kth of those, K to about
     * OFF_HEAD_SKIN_PIXELS: measuring it is most of the work. */
    double skin[3], hair_l;
    int k = (int)fmax(1, ceil(sqrt((double)n / OFF_HEAD_SKIN_PIXELS)));
    int kw = (sw + k - 1) / k, kh = (sh + k - 1) / k;
    size_t kn = (size_t)kw * kh;
    float *kl = malloc(3 * kn * sizeof *kl);
    if (!kl) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    for (int y = 0; y < kh; y++)
        for (int x = 0; x < kw; x++) {
            size_t i = (size_t)y * k * sw + (size_t)x * k, j = (size_t)y * kw + x;
            kl[j] = L[i];
            kl[kn + j] = A[i];
            kl[2 * kn + j] = B[i];
        }
    st = scalp_skin(kw, kh, kl, kl + kn, kl + 2 * kn, scale / f / k, skin, &hair_l, err);
    free(kl);
    if (st != SMP_OK) goto done;
    /* The hull on the sampled pixels, each standing for F x F of the photo;
     * its margin at the photo's own scale. */
    size_t hk;
    if (skin_hull(L, A, B, sw, sh, skin, &hull, &hk)) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    if (!(*out = calloc(nf, 1))) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    if (hull) {
        /* Within the margin of the hull: within a square of that half-side
         * of it (as a box mean would say), the hull of the corners' squares. */
        double r = margin_mm * scale;
        size_t gk = 0;
        vec2 *pts = malloc(4 * hk * sizeof *pts), *grown = malloc((4 * hk + 1) * sizeof *grown);
        if (!pts || !grown) {
            free(pts); free(grown);
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < hk; i++)
            for (int j = 0; j < 4; j++)
                pts[4 * i + j] = v2(hull[i].x * f + (j & 1 ? r : -r), hull[i].y * f + (j & 2 ? r : -r));
        qsort(pts, 4 * hk, sizeof *pts, cmp_yx);
        for (size_t i = 0; i < 4 * hk; i++) {
            while (gk >= 2 && cross3(grown[gk - 2], grown[gk - 1], pts[i]) <= 0) gk--;
            grown[gk++] = pts[i];
        }
        for (size_t i = 4 * hk - 1, lower = gk + 1; i-- > 0;) {
            while (gk >= lower && cross3(grown[gk - 2], grown[gk - 1], pts[i]) <= 0) gk--;
            grown[gk++] = pts[i];
        }
        memset(*out, 1, nf);
        scalp_hull_fill(grown, gk - 1, w, h, *out, 0);
        free(pts);
        free(grown);
        /* The room within the margin, on the sampled pixels, each marking
         * its F x F pixels of the photo. */
        uint8_t *so = malloc(n);
        if (!so) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++) so[(size_t)y * sw + x] = (*out)[(size_t)y * f * w + (size_t)x * f];
        if (room_past_hull(so, L, A, B, sw, sh, skin, scale / f)) {
            free(so);
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto done;
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (so[(size_t)(y / f) * sw + x / f] == 2) (*out)[(size_t)y * w + x] = 2;
        free(so);
    }
done:
    if (st != SMP_OK) { free(*out); *out = NULL; }
    free(L); free(A); free(B); free(hull);
    return st;
}

/* V (W x H; -1 where unknown) takes the greatest known value within R
 * cells either way (a square), separably; TMP is W x H scratch. */
static void near_max(float *v, float *tmp, int w, int h, int r)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float best = -1;
            for (int k = x - r < 0 ? 0 : x - r; k <= x + r && k < w; k++) best = fmaxf(best, v[(size_t)y * w + k]);
            tmp[(size_t)y * w + x] = best;
        }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float best = -1;
            for (int k = y - r < 0 ? 0 : y - r; k <= y + r && k < h; k++) best = fmaxf(best, tmp[(size_t)k * w + x]);
            v[(size_t)y * w + x] = best;
        }
}

smp_status scalp_not_bare_skin(const photo *p, double scale, const area *a, grey_image *out, smp_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)p->w * p->h, ns = 0;
    int step = n > 4000000 ? 3 : n > 1000000 ? 2 : 1;
    size_t most = ((size_t)p->w / step + 1) * ((size_t)p->h / step + 1);
    /* The area's light near each place, on cells of a millimetre: the
     * mean L* of its pixels in each cell, then the lightest within
     * NEAR_LIGHT_MM (the bare skin, past stubble the area was drawn
     * into). */
    int c = (int)fmax(1, lround(scale)), cw = (p->w + c - 1) / c, ch = (p->h + c - 1) / c;
    size_t nc = (size_t)cw * ch;
    float *l = malloc(n * sizeof *l), *in = malloc(3 * most * sizeof *in), *cl = calloc(nc, sizeof *cl),
          *cn = calloc(nc, sizeof *cn);
    uint8_t *m = malloc(n);
    if (!l || !in || !m || !cl || !cn) {
        free(l); free(in); free(m); free(cl); free(cn);
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    /* Every pixel's L* from tables: a 12 MP photo in a few tens of ms;
     * the area's sampled pixels' a* and b* too. */
    lab_tables t;
    lab_tables_init(&t);
    /* Only pixels in the area's bounding box can be in it. */
    double bx0, by0, bx1, by1;
    area_bounds(a, &bx0, &by0, &bx1, &by1);
    for (int y = 0; y < p->h; y++) {
        const uint32_t *row = (const uint32_t *)(p->px + (size_t)y * p->stride);
        double my = (y + 0.5) / scale;
        int row_in = y % step == 0 && my >= by0 && my <= by1;
        for (int x = 0; x < p->w; x++) {
            l[(size_t)y * p->w + x] = fast_lab(&t, row[x], NULL);
            double mx = (x + 0.5) / scale;
            if (row_in && x % step == 0 && mx >= bx0 && mx <= bx1 && area_contains(a, v2(mx, my))) {
                in[ns] = fast_lab(&t, row[x], &in[most + 2 * ns]);
                size_t k = (size_t)(y / c) * cw + x / c;
                cl[k] += in[ns];
                cn[k]++;
                ns++;
            }
        }
    }
    if (ns >= 50) {
        /* 8 % of the skin's lightness, 2.5 L* at least: dark stubble on
         * dark skin in dim light darkens it by less than 4.  The skin's
         * colour: the mean a* and b* of the area's pixels within 10 L* of
         * that. */
        double sa = 0, sb = 0;
        size_t nk = 0;
        float *li = malloc(ns * sizeof *li);
        if (!li) {
            free(l); free(in); free(m);
            return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        }
        memcpy(li, in, ns * sizeof *li);
        float skin = kth_smallest(li, ns, (size_t)(0.7 * ns));
        free(li);
        for (size_t k = 0; k < nc; k++) cl[k] = cn[k] > 0 ? cl[k] / cn[k] : -1;
        near_max(cl, cn, cw, ch, (int)lround(NEAR_LIGHT_MM * scale / c));
        /* Each cell's threshold: darker than this is no bare skin. */
        for (size_t k = 0; k < nc; k++) {
            float ref = cl[k] >= 0 ? cl[k] : skin, by = 0.08f * ref;
            cl[k] = ref - (by > 2.5f ? by : 2.5f);
        }
        for (size_t k = 0; k < ns; k++)
            if (fabsf(in[k] - skin) < 10) { sa += in[most + 2 * k]; sb += in[most + 2 * k + 1]; nk++; }
        sa /= nk ? nk : 1;
        sb /= nk ? nk : 1;
        /* Darker: hair, stubble, shadow.  Not skin at all: BACKGROUND_DE
         * or more from its colour (the wall or room past the head's
         * outline, clothes). */
        for (int y = 0; y < p->h; y++) {
            const uint32_t *row = (const uint32_t *)(p->px + (size_t)y * p->stride);
            const float *dark = cl + (size_t)(y / c) * cw;
            for (int x = 0; x < p->w; x++) {
                size_t i = (size_t)y * p->w + x;
                float ab[2];
                if (l[i] < dark[x / c]) { m[i] = 255; continue; }
                fast_lab(&t, row[x], ab);
                double dl = l[i] - skin, da = ab[0] - sa, db = ab[1] - sb;
                m[i] = nk && (dl * dl + da * da + db * db > BACKGROUND_DE * BACKGROUND_DE ||
                              da * da + db * db > BACKGROUND_HUE * BACKGROUND_HUE) ? 255 : 0;
            }
        }
        out->w = p->w;
        out->h = p->h;
        out->px = m;
        m = NULL;
    }
    free(l);
    free(in);
    free(m);
    free(cl);
    free(cn);
    return SMP_OK;
}

smp_status scalp_head_breadth(const photo *p, int face, double *breadth, smp_error *err)
{
    int w = p->w, h = p->h;
    size_t n = (size_t)w * h;
    *breadth = 0;
    /* Without a scale, millimetres are guessed from the frame: a head
     * photo shows about 300 mm across. */
    double guess = fmax(w, h) / 300.0;
    uint8_t *cls = NULL;
    smp_status st = scalp_classify(p, guess, &cls, NULL, err);
    if (st != SMP_OK) return st;
    float *f = malloc(n * sizeof *f);
    if (!f) { free(cls); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    /* The head: skin and hair (neither background nor clothes), gaps of
     * a few millimetres closed, the piece over the photo's middle. */
    for (size_t i = 0; i < n; i++) f[i] = cls[i] != 0;
    scalp_box_mean(f, f, w, h, (int)fmax(1, lround(guess * 2)));
    for (size_t i = 0; i < n; i++) cls[i] = f[i] > 0.5f;
    free(f);
    int box[4] = {0, 0, 0, 0};
    size_t got = 0;
    for (int y = h / 3; y < 2 * h / 3 && !got; y++)
        for (int x = w / 3; x < 2 * w / 3 && !got; x++) got = scalp_flood_box(cls, w, h, x, y, 1, 2, box);
    /* Across the face's direction: its breadth, the widest span of any
     * row (or column, when the face is to a side); along it, its length. */
    int across_rows = face == FACE_DOWN || face == FACE_UP;
    int extent = across_rows ? w : h;
    double widest = 0, length = across_rows ? box[3] - box[1] + 1 : box[2] - box[0] + 1;
    /* The whole outline in the frame: a back view's neck running off
     * the bottom leaves the ears as the widest row. */
    if (got && box[0] > 0 && box[1] > 0 && box[2] < w - 1 && box[3] < h - 1) {
        for (int a = 0; a < (across_rows ? h : w); a++) {
            int first = -1, last = -1;
            for (int b = 0; b < extent; b++) {
                int x = across_rows ? b : a, y = across_rows ? a : b;
                if (cls[(size_t)y * w + x] == 2) { if (first < 0) first = b; last = b; }
            }
            if (first >= 0) widest = fmax(widest, last - first + 1);
        }
        /* A head seen from above or behind is longer than it is broad;
         * broader, the piece holds shoulders or a wall. */
        if (widest >= HEAD_MIN_SHARE * extent && widest <= HEAD_MAX_RATIO * length) *breadth = widest;
    }
    free(cls);
    return SMP_OK;
}

/* The pixel centres along the outer boundary of the region where M is 3,
 * clockwise from its first pixel in raster order S (Moore-neighbour
 * tracing: sweep clockwise round the pixel from the background one it was
 * entered from; stop when the start repeats with the same entry). */
static size_t trace_boundary(const uint8_t *m, int w, int h, int s, vec2 **out)
{
    static const int dx[8] = {1, 1, 0, -1, -1, -1, 0, 1}, dy[8] = {0, 1, 1, 1, 0, -1, -1, -1};
    size_t cap = 1024, n = 0, limit = 4 * (size_t)w * h + 8;
    vec2 *pts = malloc(cap * sizeof *pts);
    if (!pts) return 0;
    int px = s % w, py = s / w, back = 4; /* entered from the west: nothing lies before S in its row */
    int back0 = back;
    do {
        if (n == cap) {
            vec2 *g = realloc(pts, (cap *= 2) * sizeof *pts);
            if (!g) { free(pts); return 0; }
            pts = g;
        }
        pts[n++] = v2(px + 0.5, py + 0.5);
        int moved = 0;
        for (int i = 1; i <= 8 && !moved; i++) {
            int d = (back + i) % 8, cx = px + dx[d], cy = py + dy[d];
            if (cx < 0 || cy < 0 || cx >= w || cy >= h || m[(size_t)cy * w + cx] != 3) continue;
            /* The neighbour swept just before C is background, next to C. */
            int b = (back + i - 1) % 8, bx = px + dx[b] - cx, by = py + dy[b] - cy;
            for (int k = 0; k < 8; k++)
                if (dx[k] == bx && dy[k] == by) back = k;
            px = cx;
            py = cy;
            moved = 1;
        }
        if (!moved) break; /* a single pixel */
    } while (!(py * w + px == s && back == back0) && n < limit);
    *out = pts;
    return n;
}

/* Douglas-Peucker on the open chain P[A..B]: marks in KEEP the points
 * farther than EPS from the chord. */
static void simplify(const vec2 *p, size_t a, size_t b, double eps, uint8_t *keep)
{
    if (b <= a + 1) return;
    double best = -1;
    size_t at = a;
    for (size_t i = a + 1; i < b; i++) {
        double d = geom_seg_dist2(p[i], p[a], p[b]);
        if (d > best) { best = d; at = i; }
    }
    if (best <= eps * eps) return;
    keep[at] = 1;
    simplify(p, a, at, eps, keep);
    simplify(p, at, b, eps, keep);
}

smp_status scalp_outline(const uint8_t *mask, const uint8_t *exclude, int w, int h, size_t max_points, vec2 **out,
                         size_t *n_out, smp_error *err)
{
    *out = NULL;
    *n_out = 0;
    size_t npx = (size_t)w * h;
    uint8_t *m = malloc(npx);
    if (!m) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < npx; i++) m[i] = mask[i] >= 128 && !(exclude && exclude[i] >= 128);
    /* The largest region: every region counted (1 -> 2), the largest
     * marked 3. */
    size_t best = 0;
    int start = -1;
    for (int i = 0; i < (int)npx; i++) {
        if (m[i] != 1) continue;
        size_t k = flood(m, w, h, i % w, i / w, 1, 2);
        if (k > best) { best = k; start = i; }
    }
    if (start < 0) { free(m); return SMP_OK; }
    flood(m, w, h, start % w, start / w, 2, 3);
    vec2 *pts = NULL;
    size_t n = trace_boundary(m, w, h, start, &pts);
    free(m);
    if (!n) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    uint8_t *keep = malloc(n + 1);
    vec2 *chain = malloc((n + 1) * sizeof *chain);
    if (!keep || !chain) { free(pts); free(keep); free(chain); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    memcpy(chain, pts, n * sizeof *chain);
    chain[n] = pts[0]; /* closed */
    size_t kept = n;
    for (double eps = 1; kept > max_points || eps == 1; eps *= 1.5) {
        memset(keep, 0, n + 1);
        keep[0] = 1;
        /* Split at the point farthest from the start, so both halves are chains. */
        size_t far = 0;
        double fd = -1;
        for (size_t i = 0; i < n; i++) {
            vec2 d = v2_sub(chain[i], chain[0]);
            if (v2_dot(d, d) > fd) { fd = v2_dot(d, d); far = i; }
        }
        keep[far] = 1;
        simplify(chain, 0, far, eps, keep);
        simplify(chain, far, n, eps, keep);
        kept = 0;
        for (size_t i = 0; i < n; i++) kept += keep[i];
        if (eps > (double)(w + h)) break;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i]) pts[k++] = chain[i];
    free(keep);
    free(chain);
    *out = pts;
    *n_out = k;
    return SMP_OK;
}

/* The gradient magnitude of V (W x H) by central differences, 0 at the
 * border. */
static void gradient(const float *v, float *g, int w, int h)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            if (x == 0 || y == 0 || x == w - 1 || y == h - 1) { g[i] = 0; continue; }
            float gx = (v[i + 1] - v[i - 1]) / 2, gy = (v[i + (size_t)w] - v[i - (size_t)w]) / 2;
            g[i] = sqrtf(gx * gx + gy * gy);
        }
}

double scalp_softness(const photo *p, const int box[4])
{
    int x0 = box[0] < 0 ? 0 : box[0], y0 = box[1] < 0 ? 0 : box[1];
    int x1 = box[2] > p->w ? p->w : box[2], y1 = box[3] > p->h ? p->h : box[3];
    int bw = x1 - x0, bh = y1 - y0;
    if (bw < 32 || bh < 32) return 0;
    /* Tiles of SOFT_TILE px spread evenly over the box, SOFT_TILES each way
     * at most: the area's edges (stubble, hair) are where the sharp detail
     * is, not only its middle, and a few tiles are as good as the whole. */
    int tw = bw < SOFT_TILE ? bw : SOFT_TILE, th = bh < SOFT_TILE ? bh : SOFT_TILE;
    int nx = bw / tw < SOFT_TILES ? bw / tw : SOFT_TILES, ny = bh / th < SOFT_TILES ? bh / th : SOFT_TILES;
    size_t n = (size_t)tw * th, most = (size_t)nx * ny * n;
    float *v = malloc(n * sizeof *v), *b = malloc(n * sizeof *b), *g0 = malloc(most * sizeof *g0),
          *g1 = malloc(most * sizeof *g1);
    double sigma = 0;
    if (!v || !b || !g0 || !g1) goto out;
    float k[9], ks = 0;
    for (int i = -4; i <= 4; i++) ks += k[i + 4] = expf(-(float)(i * i) / 2);
    for (int i = 0; i < 9; i++) k[i] /= ks;
    for (int ty = 0; ty < ny; ty++)
        for (int tx = 0; tx < nx; tx++) {
            int ox = x0 + (nx > 1 ? (int)((long)(bw - tw) * tx / (nx - 1)) : (bw - tw) / 2);
            int oy = y0 + (ny > 1 ? (int)((long)(bh - th) * ty / (ny - 1)) : (bh - th) / 2);
            float *t0 = g0 + (size_t)(ty * nx + tx) * n, *t1 = g1 + (size_t)(ty * nx + tx) * n;
            for (int y = 0; y < th; y++) {
                const uint32_t *row = (const uint32_t *)(p->px + (size_t)(oy + y) * p->stride) + ox;
                for (int x = 0; x < tw; x++) {
                    uint32_t c = row[x];
                    v[(size_t)y * tw + x] =
                        0.299f * (float)((c >> 16) & 255) + 0.587f * (float)((c >> 8) & 255) + 0.114f * (float)(c & 255);
                }
            }
            /* The tile blurred again by a Gaussian of 1 px (separable, 4 px
             * either way), through t1 and b. */
            for (int y = 0; y < th; y++)
                for (int x = 0; x < tw; x++) {
                    float a = 0;
                    for (int i = -4; i <= 4; i++) a += k[i + 4] * v[(size_t)y * tw + (x + i < 0 ? 0 : x + i >= tw ? tw - 1 : x + i)];
                    t1[(size_t)y * tw + x] = a;
                }
            for (int y = 0; y < th; y++)
                for (int x = 0; x < tw; x++) {
                    float a = 0;
                    for (int i = -4; i <= 4; i++) a += k[i + 4] * t1[(size_t)(y + i < 0 ? 0 : y + i >= th ? th - 1 : y + i) * tw + x];
                    b[(size_t)y * tw + x] = a;
                }
            gradient(v, t0, tw, th);
            gradient(b, t1, tw, th);
        }
    /* The sharpest edges: the top SOFT_EDGES of the gradients, found in a
     * histogram (steps of a quarter level), well inside each tile (the
     * blur reads past its edge). */
    enum { NH = 1500 };
    static const int margin = 5;
    size_t hist[NH] = {0}, m = 0;
    for (size_t t = 0; t < (size_t)nx * ny; t++)
        for (int y = margin; y < th - margin; y++)
            for (int x = margin; x < tw - margin; x++) {
                int q = (int)(g0[t * n + (size_t)y * tw + x] * 4);
                hist[q < NH ? q : NH - 1]++;
                m++;
            }
    size_t want = (size_t)((double)m * SOFT_EDGES), seen = 0;
    int cut = NH - 1;
    while (cut > 0 && seen + hist[cut] < want) seen += hist[cut--];
    float thr = (float)cut / 4;
    if (thr < SOFT_MIN_EDGE) goto out; /* nothing sharp enough to judge by: a blank photo */
    /* The median ratio of the sharp gradients to the blurred ones: a step
     * blurred by s falls from 1 / s to 1 / sqrt(s^2 + 1) in its gradient. */
    enum { NR = 800 };
    size_t rh[NR] = {0}, nr = 0;
    for (size_t t = 0; t < (size_t)nx * ny; t++)
        for (int y = margin; y < th - margin; y++)
            for (int x = margin; x < tw - margin; x++) {
                size_t i = t * n + (size_t)y * tw + x;
                if (g0[i] < thr || g1[i] <= 0) continue;
                int q = (int)((g0[i] / g1[i] - 1) * 200);
                rh[q < 0 ? 0 : q < NR ? q : NR - 1]++;
                nr++;
            }
    size_t half = nr / 2, acc = 0;
    int q = 0;
    while (q < NR - 1 && acc + rh[q] <= half) acc += rh[q++];
    double r = 1 + (q + 0.5) / 200;
    double s = 1 / sqrt(fmax(1e-6, r * r - 1));
    /* Less what a perfectly sharp photo measures (pixels and the
     * differences themselves). */
    sigma = sqrt(fmax(0, s * s - SOFT_FLOOR * SOFT_FLOOR));
    if (sigma > SOFT_MAX) sigma = SOFT_MAX;
out:
    free(v); free(b); free(g0); free(g1);
    return sigma;
}
