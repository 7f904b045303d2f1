#include "regions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hairline.h"
#include "noise.h"
#include "rng.h"
#include "scalp.h"
#include "colour.h"
#include "status.h"

#define EDGE_NOISE_MM 4.0
/* Thinning: bare skin with under HAIR_NEAR_SHARE of hair within a window
 * of HAIR_NEAR_MM is not thinning (density fades to none there). */
#define HAIR_NEAR_MM 20.0
#define HAIR_NEAR_SHARE 0.02
/* ... unless it is a crown's bald middle: a patch of bare skin in the
 * area (scalp showing over RINGED_BARE of a window) of RINGED_MIN_MM2 or
 * more, off the photo's border, whose ring RINGED_RING_MM wide lies mostly
 * in the area (RINGED_INSIDE) and is there mostly (RINGED_SHARE) thinning
 * hair, with scalp showing between the hairs (RING_SHOWS: a bald patch in
 * dense hair has none). */
#define RINGED_BARE 0.85
#define RINGED_MIN_MM2 200.0
#define RINGED_RING_MM 5.0
#define RINGED_SHARE 0.7
#define RINGED_INSIDE 0.5 /* of the ring, at least this much in the area (only that part is judged) */
#define RINGED_MAX 8 /* patches looked at, the largest */
#define RING_SHOWS 0.15

static double smooth01(double t)
{
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return t * t * (3 - 2 * t);
}

/* Separable box blur, three passes: close to a Gaussian of about R px. */
static void blur(float *v, int w, int h, int r)
{
    if (r < 1) return;
    float *tmp = malloc(sizeof(float) * (size_t)(w > h ? w : h));
    if (!tmp) return;
    for (int pass = 0; pass < 3; pass++) {
        for (int y = 0; y < h; y++) {
            float *row = v + (size_t)y * w;
            double acc = 0;
            int n = 0;
            for (int x = -r; x < w + r; x++) {
                if (x + r < w) { acc += row[x + r < 0 ? 0 : x + r]; n++; }
                if (x - r - 1 >= 0) { acc -= row[x - r - 1]; n--; }
                if (x >= 0 && x < w) tmp[x] = (float)(n ? acc / n : 0);
            }
            memcpy(row, tmp, sizeof(float) * (size_t)w);
        }
        for (int x = 0; x < w; x++) {
            double acc = 0;
            int n = 0;
            for (int y = -r; y < h + r; y++) {
                if (y + r < h) { acc += v[(size_t)(y + r) * w + x]; n++; }
                if (y - r - 1 >= 0) { acc -= v[(size_t)(y - r - 1) * w + x]; n--; }
                if (y >= 0 && y < h) tmp[y] = (float)(n ? acc / n : 0);
            }
            for (int y = 0; y < h; y++) v[(size_t)y * w + x] = tmp[y];
        }
    }
    free(tmp);
}

static smp_status soft_from_png(const char *path, double scale, double frame_w, double frame_h, double feather,
                                soft_mask *m, smp_error *err)
{
    grey_image g;
    smp_status st = image_read_grey_png(path, &g, err);
    if (st != SMP_OK) return st;
    if (fabs(g.w / scale - frame_w) > 1 / scale || fabs(g.h / scale - frame_h) > 1 / scale) {
        int ew = (int)lround(frame_w * scale), eh = (int)lround(frame_h * scale);
        grey_image_free(&g);
        return smp_fail(err, SMP_EINPUT, 1, "%s: the mask must be the photo's size, %dx%d", path, ew, eh);
    }
    size_t n = (size_t)g.w * g.h, on = 0;
    m->v = malloc(n * sizeof *m->v);
    if (!m->v) { grey_image_free(&g); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    for (size_t i = 0; i < n; i++) { m->v[i] = g.px[i] >= 128; on += g.px[i] >= 128; }
    m->w = g.w;
    m->h = g.h;
    m->scale = scale;
    grey_image_free(&g);
    if (!on) {
        free(m->v);
        m->v = NULL;
        return smp_fail(err, SMP_EINPUT, 1, "%s: the mask has no white pixels", path);
    }
    blur(m->v, m->w, m->h, (int)lround(feather * scale / 2));
    return SMP_OK;
}

static double soft_at(const soft_mask *m, vec2 p)
{
    int x = (int)(p.x * m->scale), y = (int)(p.y * m->scale);
    if (x < 0 || y < 0 || x >= m->w || y >= m->h) return 0;
    return m->v[(size_t)y * m->w + x];
}

/* A patch of bare skin: a pixel of it (X, Y), its box and its size. */
typedef struct bare_patch { int x, y, box[4]; size_t n; } bare_patch;

static int larger_patch(const void *a, const void *b)
{
    size_t x = ((const bare_patch *)a)->n, y = ((const bare_patch *)b)->n;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* A crown's bald middle, ringed by thinning hair: NEAR (the share of hair
 * nearby) is raised to HAIR_NEAR_SHARE over it, so thinning treats it.
 * HAIR: 1 on hair pixels; SHOWS: how much scalp shows; INSIDE: 1 in the
 * area.  A patch: bare skin in the area (not hair, scalp showing over
 * RINGED_BARE of the window: a wall or shirt shows none, thin hair less)
 * with some of it far from hair (under HAIR_NEAR_SHARE nearby).  0, or -1
 * for want of memory. */
static int take_in_ringed_bare(const uint8_t *hair, const float *shows, const uint8_t *inside, float *near, int w, int h,
                               double scale)
{
    size_t n = (size_t)w * h, np = 0, cap = 0;
    uint8_t *lab = malloc(n);
    int *stack = malloc(sizeof(int) * 2 * n);
    bare_patch *patch = NULL;
    if (!lab || !stack) goto nomem;
    for (size_t i = 0; i < n; i++) lab[i] = inside[i] && !hair[i] && shows[i] >= RINGED_BARE;
    int rr = (int)fmax(1, lround(scale * RINGED_RING_MM));
    /* The patches (1 -> 2) that hold skin far from hair, large enough and
     * with their ring in the photo (a patch nearer its border may be a
     * forehead running on out of view). */
    for (int sy = 0; sy < h; sy++)
        for (int sx = 0; sx < w; sx++) {
            size_t i = (size_t)sy * w + sx;
            if (lab[i] != 1 || near[i] >= HAIR_NEAR_SHARE) continue;
            bare_patch p = {sx, sy, {0, 0, 0, 0}, 0};
            p.n = scalp_flood(lab, w, h, sx, sy, 1, 2, p.box, stack);
            if (p.n < RINGED_MIN_MM2 * scale * scale || p.box[0] < rr || p.box[1] < rr || p.box[2] >= w - rr ||
                p.box[3] >= h - rr)
                continue;
            if (np == cap) {
                bare_patch *q = realloc(patch, sizeof *q * (cap = cap ? 2 * cap : 8));
                if (!q) goto nomem;
                patch = q;
            }
            patch[np++] = p;
        }
    /* Of the largest few (a photo of many bare rings would take long),
     * those ringed by thinning hair: 2 -> 4. */
    if (np) qsort(patch, np, sizeof *patch, larger_patch);
    for (size_t k = 0; k < np && k < RINGED_MAX; k++) {
        const int *box = patch[k].box;
        int x0 = box[0] - rr, y0 = box[1] - rr, bw = box[2] - box[0] + 1 + 2 * rr, bh = box[3] - box[1] + 1 + 2 * rr;
        float *ring = malloc(sizeof *ring * (size_t)bw * bh);
        if (!ring) goto nomem;
        /* This patch alone, as 4 for now, then its ring: within RR of it. */
        scalp_flood(lab, w, h, patch[k].x, patch[k].y, 2, 4, (int[4]){0, 0, 0, 0}, stack);
        for (int y = 0; y < bh; y++)
            for (int x = 0; x < bw; x++) ring[(size_t)y * bw + x] = lab[(size_t)(y + y0) * w + x + x0] == 4;
        scalp_box_mean(ring, ring, bw, bh, rr);
        size_t all = 0, nr = 0, thin = 0;
        for (int y = 0; y < bh; y++)
            for (int x = 0; x < bw; x++) {
                size_t i = (size_t)(y + y0) * w + x + x0;
                if (ring[(size_t)y * bw + x] <= 0 || lab[i] == 4) continue;
                all++;
                if (!inside[i]) continue;
                nr++;
                thin += shows[i] >= RING_SHOWS && (hair[i] || near[i] >= HAIR_NEAR_SHARE);
            }
        free(ring);
        if (!nr || nr < RINGED_INSIDE * all || thin < RINGED_SHARE * nr) scalp_flood(lab, w, h, patch[k].x, patch[k].y, 4, 2, (int[4]){0, 0, 0, 0}, stack);
    }
    for (size_t i = 0; i < n; i++)
        if (lab[i] == 4 && near[i] < HAIR_NEAR_SHARE) near[i] = HAIR_NEAR_SHARE;
    free(lab);
    free(stack);
    free(patch);
    return 0;
nomem:
    free(lab);
    free(stack);
    free(patch);
    return -1;
}

smp_status regions_take_in_vertex(regions *r, const area *a, smp_error *err)
{
    if (!r->hair || !r->scalp.v || !r->hair_near.v) return SMP_OK;
    int w = r->hair_w, h = r->hair_h;
    double scale = r->hair_near.scale;
    uint8_t *inside = malloc((size_t)w * h);
    if (!inside) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) inside[(size_t)y * w + x] = (uint8_t)area_contains(a, v2((x + 0.5) / scale, (y + 0.5) / scale));
    int bad = take_in_ringed_bare(r->hair, r->scalp.v, inside, r->hair_near.v, w, h, scale);
    free(inside);
    return bad ? smp_fail(err, SMP_ENOMEM, 0, "out of memory") : SMP_OK;
}

/* The share of scalp and the hair (scalp_classify: a grey or white strand
 * is hair too), and how much hair lies near each pixel, so that bare skin
 * with no hair around it (a forehead, a bald patch) is not taken for
 * thinning. */
smp_status regions_scalp_map(const photo *p, double scale, soft_mask *scalp, soft_mask *near, uint8_t **hair,
                             smp_error *err)
{
    size_t n = (size_t)p->w * p->h;
    uint8_t *cls = NULL;
    smp_status st = scalp_classify(p, scale, &cls, &scalp->v, err);
    if (st != SMP_OK) return st;
    near->v = malloc(n * sizeof *near->v);
    if (!near->v) {
        free(cls); free(scalp->v);
        scalp->v = NULL;
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        near->v[i] = cls[i] == SCALP_HAIR;
        cls[i] = cls[i] == SCALP_HAIR;
    }
    scalp->w = near->w = p->w;
    scalp->h = near->h = p->h;
    scalp->scale = near->scale = scale;
    /* How much scalp shows between the hairs (scalp_shows_lab, over
     * SCALP_SHOW_MM); how much hair within a window of HAIR_NEAR_MM. */
    scalp_box_mean(near->v, near->v, p->w, p->h, (int)fmax(1, lround(scale * HAIR_NEAR_MM / 2)));
    *hair = cls;
    return SMP_OK;
}

/* FUE scars: pale dots under about 1.2 mm, lighter than the skin around
 * them by 5 L* or more; blobs larger than that are not dot scars. */
smp_status regions_find_dot_scars(const photo *p, double scale, soft_mask *m, size_t *count, smp_error *err)
{
    int w = p->w, h = p->h;
    size_t n = (size_t)w * h;
    float *l = malloc(n * sizeof *l), *mean = malloc(n * sizeof *mean);
    uint8_t *cand = calloc(n, 1);
    int *stack = malloc(sizeof(int) * 2 * n);
    m->v = calloc(n, sizeof *m->v);
    *count = 0;
    if (!l || !mean || !cand || !stack || !m->v) {
        free(l); free(mean); free(cand); free(stack); free(m->v);
        m->v = NULL;
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    photo_to_lab(p, l, NULL, NULL);
    memcpy(mean, l, n * sizeof *mean);
    blur(mean, w, h, (int)fmax(2, lround(scale * 1.5)));
    for (size_t i = 0; i < n; i++) cand[i] = l[i] - mean[i] > 5;
    double max_px = M_PI * pow(0.7 * scale, 2) * 1.5;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (cand[(size_t)y * w + x] != 1) continue;
            /* One blob: collect it, then keep it if it is dot-sized. */
            size_t top = 0, first = 0;
            stack[top++] = x; stack[top++] = y;
            cand[(size_t)y * w + x] = 2;
            while (first < top) {
                int cx = stack[first++], cy = stack[first++];
                static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
                for (int k = 0; k < 4; k++) {
                    int nx = cx + dx[k], ny = cy + dy[k];
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h || cand[(size_t)ny * w + nx] != 1) continue;
                    cand[(size_t)ny * w + nx] = 2;
                    stack[top++] = nx; stack[top++] = ny;
                }
            }
            size_t px = top / 2;
            if (px >= 2 && px <= max_px) {
                for (size_t q = 0; q < top; q += 2) m->v[(size_t)stack[q + 1] * w + stack[q]] = 1;
                (*count)++;
            }
        }
    free(l); free(mean); free(cand); free(stack);
    m->w = w;
    m->h = h;
    m->scale = scale;
    /* Grow each scar by half a millimetre: the pale rim the eye sees. */
    blur(m->v, w, h, (int)fmax(1, lround(scale * 0.5)));
    for (size_t i = 0; i < n; i++) m->v[i] = m->v[i] > 0.05f ? 1.0f : 0.0f;
    return SMP_OK;
}

smp_status regions_build(const settings *s, const photo *p, double scale, regions *r, smp_error *err)
{
    memset(r, 0, sizeof *r);
    r->feather = s->feather_mm;
    r->seed = s->seed;
    r->scar_density = s->scar_density;
    r->scar_darkness = s->scar_darkness;
    r->thinning_darkness = 0.75; /* thinning: a lighter shade, under the hair */
    double fw = p ? p->w / scale : s->area_w, fh = p ? p->h / scale : s->area_h;
    smp_status st = SMP_OK;
    if (s->scar_line) {
        r->scar_line = s->scar_line;
        r->scar_n = s->scar_n;
        r->scar_half = s->scar_width_mm / 2;
        r->any = 1;
    }
    if (s->scar_mask) {
        if (!(scale > 0)) return smp_fail(err, SMP_EVALUE, 0, "--scar-mask needs a photo or --scale");
        if ((st = soft_from_png(s->scar_mask, scale, fw, fh, r->feather, &r->scar_mask, err)) != SMP_OK) goto fail;
        r->any = 1;
    }
    if (s->scar_dots) {
        if (!p) return smp_fail(err, SMP_EVALUE, 0, "--scar-dots needs a photo to find the scars in");
        if (r->scar_mask.v) return smp_fail(err, SMP_EVALUE, 0, "give --scar-dots or --scar-mask, not both");
        if ((st = regions_find_dot_scars(p, scale, &r->scar_mask, &r->dot_scars, err)) != SMP_OK) goto fail;
        /* A soft edge of its own: the feather is wider than a dot scar. */
        blur(r->scar_mask.v, r->scar_mask.w, r->scar_mask.h, (int)fmax(1, lround(scale * 0.3)));
        r->any = 1;
    }
    if (s->patch_poly) {
        r->patch_poly = s->patch_poly;
        r->patch_n = s->patch_n;
        r->any = 1;
    }
    if (s->patch_mask) {
        if (!(scale > 0)) return smp_fail(err, SMP_EVALUE, 0, "--patch-mask needs a photo or --scale");
        if ((st = soft_from_png(s->patch_mask, scale, fw, fh, r->feather, &r->patch_mask, err)) != SMP_OK) goto fail;
        r->any = 1;
    }
    if (s->thinning) {
        if (!p) return smp_fail(err, SMP_EVALUE, 0, "--mode: thinning needs a photo to find the scalp");
        if ((st = regions_scalp_map(p, scale, &r->scalp, &r->hair_near, &r->hair, err)) != SMP_OK) goto fail;
        r->hair_w = p->w;
        r->hair_h = p->h;
        r->any = 1;
    }
    return SMP_OK;
fail:
    regions_free(r);
    return st;
}

void regions_free(regions *r)
{
    if (!r) return;
    free(r->scar_mask.v);
    free(r->patch_mask.v);
    free(r->scalp.v);
    free(r->hair_near.v);
    free(r->hair);
    memset(r, 0, sizeof *r);
}

static double polyline_dist(vec2 p, const vec2 *pts, size_t n)
{
    double best = INFINITY;
    for (size_t i = 0; i + 1 < n; i++) best = fmin(best, geom_seg_dist2(p, pts[i], pts[i + 1]));
    return sqrt(best);
}

/* How far P is inside the patches: 1 well inside, 0 outside, a smoothstep
 * over the feather across an edge moved by WANDER mm. */
static double patch_in(const regions *r, vec2 p, double wander)
{
    double f = r->feather > 0 ? r->feather : 1e-6, in = 0;
    if (r->patch_poly) {
        double d = geom_polygon_edge_dist(p, r->patch_poly, r->patch_n);
        if (!geom_in_polygon(p, r->patch_poly, r->patch_n)) d = -d;
        in = fmax(in, smooth01((d + wander) / f + 0.5));
    }
    if (r->patch_mask.v) in = fmax(in, smooth01((soft_at(&r->patch_mask, p) - 0.5) * 2 + 0.5 + wander / f));
    return in;
}

uint8_t *regions_patch_raster(const regions *r, int w, int h, double scale)
{
    uint8_t *m = calloc((size_t)w * h, 1);
    if (!m || (!r->patch_poly && !r->patch_mask.v)) return m;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            m[(size_t)y * w + x] = patch_in(r, v2((x + 0.5) / scale, (y + 0.5) / scale), 0) >= 0.5 ? 255 : 0;
    return m;
}

void regions_eval(const regions *r, vec2 p, double *density, double *darkness)
{
    *density = 1;
    *darkness = 1;
    if (!r->any) return;
    double f = r->feather > 0 ? r->feather : 1e-6;
    /* The boundary wanders by a third of the feather width. */
    double wander = f / 3 * noise2(r->seed, RNG_NOISE + 16, p.x / EDGE_NOISE_MM, p.y / EDGE_NOISE_MM);
    double scar = 0;
    if (r->scar_line) {
        double d = polyline_dist(p, r->scar_line, r->scar_n) - r->scar_half + wander;
        scar = fmax(scar, 1 - smooth01(d / f + 0.5));
    }
    if (r->scar_mask.v) scar = fmax(scar, smooth01((soft_at(&r->scar_mask, p) - 0.5) * 2 + 0.5 + wander / f));
    if (scar > 0) {
        *density *= 1 + scar * (r->scar_density - 1);
        *darkness *= 1 + scar * (r->scar_darkness - 1);
    }
    if (r->patch_poly || r->patch_mask.v) *density *= patch_in(r, p, wander);
    if (r->scalp.v) {
        /* Density rises with the scalp that shows; none on hair itself. */
        int x = (int)(p.x * r->scalp.scale), y = (int)(p.y * r->scalp.scale);
        if (x >= 0 && y >= 0 && x < r->hair_w && y < r->hair_h && r->hair[(size_t)y * r->hair_w + x]) {
            *density = 0;
            return;
        }
        double show = soft_at(&r->scalp, p);
        *density *= smooth01((show - 0.15) / 0.7) * smooth01(soft_at(&r->hair_near, p) / HAIR_NEAR_SHARE);
        *darkness *= r->thinning_darkness;
    }
}

double regions_bare_share(const regions *r, const area *a)
{
    if (!r->scalp.v || !r->hair_near.v) return 0;
    /* On a grid of about a millimetre over the hair map's frame. */
    double cell = fmax(1.0, sqrt((double)r->hair_w * r->hair_h / 250000.0)) / r->scalp.scale;
    size_t in = 0, bare = 0;
    for (double y = cell / 2; y < r->hair_h / r->scalp.scale; y += cell)
        for (double x = cell / 2; x < r->hair_w / r->scalp.scale; x += cell) {
            vec2 p = v2(x, y);
            if (!area_contains(a, p)) continue;
            in++;
            bare += smooth01(soft_at(&r->hair_near, p) / HAIR_NEAR_SHARE) < 0.2;
        }
    return in ? (double)bare / in : 0;
}

/* The ring around the patches that --density auto matches: from where the
 * feathered edge ends to this far out. */
#define RING_MM 6.0

smp_status regions_patch_levels(const regions *r, const photo *p, const char *what, double scale, const area *a,
                                patch_levels *out, smp_error *err)
{
    memset(out, 0, sizeof *out);
    if (!r->patch_poly && !r->patch_mask.v)
        return smp_fail(err, SMP_EVALUE, 0,
                        "--density: auto needs a photo and --patch-mask or --patch-polygon: it matches the hair around "
                        "the patches");
    /* Inside-ness on a grid of half-millimetre cells (coarser for a very
     * large photo), without the wander: the edge itself is what moves. */
    double fw = p->w / scale, fh = p->h / scale;
    double cell = fmax(0.5, sqrt(fw * fh / 250000.0));
    int nx = (int)ceil(fw / cell), ny = (int)ceil(fh / cell);
    size_t nc = (size_t)nx * ny;
    float *in = malloc(nc * sizeof *in), *dist = malloc(nc * sizeof *dist);
    uint8_t *inarea = malloc(nc);
    out->core = calloc((size_t)p->w * p->h, 1);
    if (!in || !dist || !inarea || !out->core) {
        free(in); free(dist); free(inarea); free(out->core);
        out->core = NULL;
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            vec2 c = v2((i + 0.5) * cell, (j + 0.5) * cell);
            size_t k = (size_t)j * nx + i;
            in[k] = (float)patch_in(r, c, 0);
            inarea[k] = (uint8_t)area_contains(a, c);
            dist[k] = in[k] > 0.02f ? 0 : INFINITY;
        }
    /* Distance from the patches (chamfer). */
    geom_chamfer(dist, nx, ny, (float)cell);
    /* Every pixel (every 2nd or 4th each way on a big photo) adds its grey
     * to the core or the ring. */
    int step = (size_t)p->w * p->h > 4000000 ? 4 : (size_t)p->w * p->h > 1000000 ? 2 : 1;
    double sum_core = 0, sum_ring = 0;
    size_t n_core = 0, n_ring = 0;
    for (int y = 0; y < p->h; y += step) {
        int j = (int)((y + 0.5) / scale / cell);
        if (j >= ny) j = ny - 1;
        const uint32_t *row = (const uint32_t *)(p->px + (size_t)y * p->stride);
        for (int x = 0; x < p->w; x += step) {
            int i = (int)((x + 0.5) / scale / cell);
            if (i >= nx) i = nx - 1;
            size_t k = (size_t)j * nx + i;
            if (!inarea[k]) continue;
            uint32_t c = row[x];
            double grey = (((c >> 16) & 255) + ((c >> 8) & 255) + (c & 255)) / 3.0;
            if (in[k] >= 0.98f) {
                sum_core += grey;
                n_core++;
                out->core[(size_t)y * p->w + x] = 1;
            } else if (in[k] <= 0.02f && dist[k] <= RING_MM) {
                sum_ring += grey;
                n_ring++;
                out->core[(size_t)y * p->w + x] = 2;
            }
        }
    }
    free(in); free(dist); free(inarea);
    if (n_core < 50 || n_ring < 50) {
        free(out->core);
        out->core = NULL;
        return smp_fail(err, SMP_EINPUT, 1, "%s: too little of the photo %s the patches to match the hair there",
                        what, n_core < 50 ? "inside" : "around");
    }
    out->inside = sum_core / n_core;
    out->around = sum_ring / n_ring;
    return SMP_OK;
}
