#include "hairline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "noise.h"
#include "rng.h"
#include "status.h"

vec2 face_vector(face_dir f)
{
    switch (f) {
    case FACE_UP: return v2(0, -1);
    case FACE_LEFT: return v2(-1, 0);
    case FACE_RIGHT: return v2(1, 0);
    default: return v2(0, 1);
    }
}

double hairline_bulge(hairline_shape shape, double u)
{
    double a = fabs(u);
    if (a >= 1) return 0;
    switch (shape) {
    case SHAPE_ROUNDED: return 1 - a * a;                 /* an even arc */
    case SHAPE_FEMALE: return sqrt(1 - a * a);            /* rounder, falls steeply at the temples */
    case SHAPE_STRAIGHT: return 1 - pow(a, 6);            /* level, rounded corners */
    case SHAPE_BOXED: return 1 - pow(a, 14);              /* level, squarer corners */
    default: return 1 - a * a * a * a;                    /* peaked, mature, m-shape, broken */
    }
}

/* A bump rising from 0 at |u| = A0 to 1 at two thirds of the way to the
 * temple and back to 0 at the temple: 27/4 t^2 (1 - t) peaks at t = 2/3. */
static double temple_bump(double a, double a0)
{
    if (a <= a0 || a >= 1) return 0;
    double t = (a - a0) / (1 - a0);
    return 6.75 * t * t * (1 - t);
}

double hairline_recession(hairline_shape shape, double u, double half_w)
{
    double a = fabs(u);
    switch (shape) {
    case SHAPE_MATURE:
        /* Recession at the fronto-temporal angles, about 1.5 cm on a typical
         * 65 mm half-width (docs/domain.md: a mature line sits ~1.5 cm higher). */
        return 0.23 * half_w * temple_bump(a, 0.30);
    case SHAPE_M:
        /* Deeper, starting nearer the middle, keeping a central tuft. */
        return 0.42 * half_w * temple_bump(a, 0.14);
    case SHAPE_WIDOWS_PEAK: {
        /* A central point of about 1 cm: the line behind it sits 10 mm
         * back, the peak narrows to the front midpoint, with shallow bays
         * (2.5 mm) either side; all of it fades out toward the temples. */
        double x = a * half_w;
        double peak = x < 16 ? pow(1 - x / 16, 1.6) : 0;
        double bay = 2.5 * (exp(-pow((x - 24) / 8, 2)) - exp(-9.0)); /* 0 at the midpoint */
        return fmax(0, (10 * (1 - peak) + bay) * (1 - a * a));
    }
    default:
        return 0;
    }
}

/* Default anchors for a frame with no anchors: a frontal view's line. */
static void default_anchors(face_dir face, double w, double h, vec2 a[3])
{
    /* In (across, toward-face) coordinates on a frame of A x D. */
    double A = (face == FACE_LEFT || face == FACE_RIGHT) ? h : w;
    double D = (face == FACE_LEFT || face == FACE_RIGHT) ? w : h;
    double ac[3] = {0.06 * A, 0.5 * A, 0.94 * A}, fc[3] = {0.80 * D, 0.58 * D, 0.80 * D};
    for (int i = 0; i < 3; i++) {
        switch (face) {
        case FACE_UP: a[i] = v2(ac[i], D - fc[i]); break;
        case FACE_RIGHT: a[i] = v2(fc[i], ac[i]); break;
        case FACE_LEFT: a[i] = v2(D - fc[i], ac[i]); break;
        default: a[i] = v2(ac[i], fc[i]); break;
        }
    }
}

/* Resamples POLY at spacing STEP by arc length; returns count or 0. */
static size_t resample(const vec2 *poly, size_t n, double step, vec2 **out)
{
    double total = 0;
    for (size_t i = 1; i < n; i++) total += v2_len(v2_sub(poly[i], poly[i - 1]));
    size_t m = (size_t)ceil(total / step) + 1;
    if (m < 2) m = 2;
    vec2 *r = malloc(m * sizeof *r);
    if (!r) return 0;
    size_t seg = 1;
    double seg_start = 0, seg_len = n > 1 ? v2_len(v2_sub(poly[1], poly[0])) : 0;
    for (size_t k = 0; k < m; k++) {
        double s = total * (double)k / (double)(m - 1);
        while (seg < n - 1 && s > seg_start + seg_len) {
            seg_start += seg_len;
            seg++;
            seg_len = v2_len(v2_sub(poly[seg], poly[seg - 1]));
        }
        double t = seg_len > 0 ? (s - seg_start) / seg_len : 0;
        if (t < 0) t = 0;
        if (t > 1) t = 1;
        r[k] = v2_add(poly[seg - 1], v2_scale(v2_sub(poly[seg], poly[seg - 1]), t));
    }
    *out = r;
    return m;
}

/* Irregularity fades out within this much line of each anchor. */
#define TAPER_MM 6.0

smp_status hairline_build(const settings *s, double w, double h, hairline *out, smp_error *err)
{
    memset(out, 0, sizeof *out);
    vec2 face = face_vector(s->face), away = v2_scale(face, -1);
    vec2 across = (s->face == FACE_LEFT || s->face == FACE_RIGHT) ? v2(0, 1) : v2(1, 0);
    vec2 *base = NULL;
    size_t nb = 0;
    double half_w;

    /* Points far outside the frame make a line kilometres long, and the
     * work follows its length: a point more than HAIRLINE_REACH_MM outside
     * the frame is a mistake (a wrong unit, a stray digit), refused. */
    const vec2 *given = s->hl_points ? s->hl_points : s->has_anchors ? s->anchors : NULL;
    size_t ng = s->hl_points ? s->hl_n : s->has_anchors ? 3 : 0;
    for (size_t i = 0; i < ng; i++) {
        double out_by = fmax(fmax(-given[i].x, given[i].x - w), fmax(-given[i].y, given[i].y - h));
        if (!(out_by <= HAIRLINE_REACH_MM))
            return smp_fail(err, SMP_EVALUE, 0,
                            "--%s: the point %g,%g lies %.0f mm outside the %.0f x %.0f mm frame (at most %g)",
                            s->hl_points ? "hairline-points" : "anchors", given[i].x, given[i].y, out_by, w, h,
                            HAIRLINE_REACH_MM);
    }

    if (s->hl_points) {
        nb = s->hl_n;
        base = malloc(nb * sizeof *base);
        if (!base) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        memcpy(base, s->hl_points, nb * sizeof *base);
        /* Accept the line in either direction: store it left to right. */
        if (v2_dot(base[nb - 1], across) < v2_dot(base[0], across))
            for (size_t i = 0; i < nb / 2; i++) {
                vec2 t = base[i]; base[i] = base[nb - 1 - i]; base[nb - 1 - i] = t;
            }
        out->anchors[0] = base[0];
        out->anchors[1] = base[nb / 2];
        out->anchors[2] = base[nb - 1];
        half_w = v2_len(v2_sub(base[nb - 1], base[0])) / 2;
    } else {
        vec2 a[3];
        if (s->has_anchors) memcpy(a, s->anchors, sizeof a);
        else default_anchors(s->face, w, h, a);
        memcpy(out->anchors, a, sizeof a);
        vec2 L = a[0], F = a[1], R = a[2];
        half_w = v2_len(v2_sub(R, L)) / 2;
        vec2 e = v2_scale(v2_sub(R, L), 0.5 / half_w);
        vec2 n = v2(-e.y, e.x);
        if (v2_dot(n, away) < 0) n = v2_scale(n, -1);
        vec2 M = v2_scale(v2_add(L, R), 0.5), FM = v2_sub(F, M);
        double fu = v2_dot(FM, e), fn = v2_dot(FM, n);
        nb = (size_t)(half_w * 8) + 64; /* ~0.25 mm steps before resampling */
        base = malloc(nb * sizeof *base);
        if (!base) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        hairline_shape shape = s->shape == SHAPE_NONE ? SHAPE_ROUNDED : s->shape;
        for (size_t i = 0; i < nb; i++) {
            double u = -1 + 2.0 * (double)i / (double)(nb - 1);
            double b = hairline_bulge(shape, u), r = hairline_recession(shape, u, half_w);
            vec2 p = v2_add(M, v2_scale(e, u * half_w + fu * b));
            base[i] = v2_add(p, v2_scale(n, fn * b + r));
        }
    }

    vec2 *line;
    size_t n = resample(base, nb, 0.5, &line);
    free(base);
    if (!n) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");

    /* Irregularity, in mm along the normal pointing away from the face. */
    uint64_t seed = s->seed;
    double ph1 = 2 * M_PI * rng_unit(rng_hash(seed, RNG_HAIRLINE, 1, 0));
    double ph2 = 2 * M_PI * rng_unit(rng_hash(seed, RNG_HAIRLINE, 2, 0));
    double k_asym = 2 * rng_unit(rng_hash(seed, RNG_HAIRLINE, 3, 0)) - 1;
    double lam = s->wavelength_mm;
    vec2 *moved = malloc(n * sizeof *moved);
    if (!moved) { free(line); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    /* The line passes through the anchors the practitioner set: every
     * irregularity fades to nothing at each of them, over TAPER_MM of line
     * either way (arc positions of the points nearest them). */
    double anchor_arc[3];
    for (int a = 0; a < 3; a++) {
        double best = INFINITY;
        for (size_t i = 0; i < n; i++) {
            double d = v2_len(v2_sub(line[i], out->anchors[a]));
            if (d < best) { best = d; anchor_arc[a] = 0.5 * (double)i; }
        }
    }
    for (size_t i = 0; i < n; i++) {
        vec2 t = v2_sub(line[i + 1 < n ? i + 1 : i], line[i > 0 ? i - 1 : i]);
        double tl = v2_len(t);
        vec2 nrm = tl > 0 ? v2(-t.y / tl, t.x / tl) : away;
        if (v2_dot(nrm, away) < 0) nrm = v2_scale(nrm, -1);
        double sarc = 0.5 * (double)i;
        double u = n > 1 ? -1 + 2.0 * (double)i / (double)(n - 1) : 0;
        double macro = s->wave_mm * (0.7 * sin(2 * M_PI * sarc / lam + ph1) +
                                     0.3 * sin(2 * M_PI * sarc / (0.53 * lam) + ph2));
        /* Micro: 0.6 mm at full irregularity, 4 mm features. */
        double micro = 0.6 * s->irregularity * noise1(seed, RNG_HAIRLINE, sarc / 4.0);
        double asym = 0.5 * k_asym * s->asymmetry_mm * u * fabs(u);
        double taper = 1;
        for (int a = 0; a < 3; a++) {
            double d = (sarc - anchor_arc[a]) / TAPER_MM;
            taper *= 1 - exp(-d * d);
        }
        moved[i] = v2_add(line[i], v2_scale(nrm, taper * (macro + micro + asym)));
    }
    free(line);
    out->pts = moved;
    out->n = n;
    out->face = face;
    out->across = across;
    (void)half_w;
    return SMP_OK;
}

void hairline_free(hairline *hl)
{
    if (!hl) return;
    free(hl->pts);
    hl->pts = NULL;
    hl->n = 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The line, extended by LEN beyond both ends so that it splits the whole
 * frame: along ACROSS, outward.  But in a side view (the face left or
 * right) the lower end runs on straight back from the temple, level:
 * below a temple in a side view are the sideburn, the ear, the cheek and
 * the neck, never scalp behind the line. */
static vec2 *extended(const hairline *hl, double len, size_t *ne)
{
    vec2 *ext = malloc((hl->n + 2) * sizeof *ext);
    if (!ext) return NULL;
    int side = hl->face.y == 0;
    ext[0] = v2_sub(hl->pts[0], v2_scale(hl->across, len));
    memcpy(ext + 1, hl->pts, hl->n * sizeof *ext);
    vec2 last = hl->pts[hl->n - 1];
    /* ACROSS points down the photo in a side view (hairline_build), so the
     * last point is the lower end. */
    ext[hl->n + 1] = side ? v2_sub(last, v2_scale(hl->face, len)) : v2_add(last, v2_scale(hl->across, len));
    *ne = hl->n + 2;
    return ext;
}

/* Signs by parity: a ray from a node toward the face crosses the extended
 * line an odd number of times exactly when the node is behind the line. */
static smp_status sign_nodes(const vec2 *ext, size_t ne, vec2 face, double x0, double y0, double g, int gw, int gh,
                             float *sd, smp_error *err)
{
    int vertical = face.x == 0; /* face down or up: rays along y */
    int lines = vertical ? gw : gh, along = vertical ? gh : gw;
    double *cross = malloc(ne * sizeof *cross);
    if (!cross) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    double dir = vertical ? face.y : face.x;
    for (int l = 0; l < lines; l++) {
        double c = vertical ? x0 + l * g : y0 + l * g;
        size_t k = 0;
        for (size_t i = 0; i + 1 < ne; i++) {
            double a = vertical ? ext[i].x : ext[i].y, b = vertical ? ext[i + 1].x : ext[i + 1].y;
            if ((a <= c) == (b <= c)) continue;
            double pa = vertical ? ext[i].y : ext[i].x, pb = vertical ? ext[i + 1].y : ext[i + 1].x;
            cross[k++] = pa + (pb - pa) * (c - a) / (b - a);
        }
        qsort(cross, k, sizeof *cross, cmp_double);
        size_t below = 0; /* crossings at smaller coordinate than the node */
        for (int m = 0; m < along; m++) {
            double q = vertical ? y0 + m * g : x0 + m * g;
            while (below < k && cross[below] < q) below++;
            size_t ahead = dir > 0 ? k - below : below;
            size_t idx = vertical ? (size_t)m * gw + l : (size_t)l * gw + m;
            if (!(ahead & 1)) sd[idx] = -sd[idx];
        }
    }
    free(cross);
    return SMP_OK;
}

smp_status hairline_distance_grid(const hairline *hl, double x0, double y0, double g, int gw, int gh, double band,
                                  int ends, float *sd, smp_error *err)
{
    size_t nn = (size_t)gw * (size_t)gh;
    for (size_t i = 0; i < nn; i++) sd[i] = (float)band;
    double x1 = x0 + gw * g, y1 = y0 + gh * g;
    size_t ne;
    vec2 *ext = extended(hl, fabs(x1 - x0) + fabs(y1 - y0) + fabs(x0) + fabs(y0) + 100, &ne);
    if (!ext) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    /* Unsigned distance within the band, segment by segment. */
    for (size_t s = ends ? 0 : 1; s + 1 < (ends ? ne : ne - 1); s++) {
        vec2 a = ext[s], b = ext[s + 1];
        double lox = fmin(a.x, b.x) - band, hix = fmax(a.x, b.x) + band;
        double loy = fmin(a.y, b.y) - band, hiy = fmax(a.y, b.y) + band;
        int i0 = (int)floor((fmax(lox, x0 - g) - x0) / g), i1 = (int)ceil((fmin(hix, x1 + g) - x0) / g);
        int j0 = (int)floor((fmax(loy, y0 - g) - y0) / g), j1 = (int)ceil((fmin(hiy, y1 + g) - y0) / g);
        if (i0 < 0) i0 = 0;
        if (j0 < 0) j0 = 0;
        if (i1 > gw - 1) i1 = gw - 1;
        if (j1 > gh - 1) j1 = gh - 1;
        for (int j = j0; j <= j1; j++)
            for (int i = i0; i <= i1; i++) {
                vec2 p = v2(x0 + i * g, y0 + j * g);
                double d = sqrt(geom_seg_dist2(p, a, b));
                float *slot = &sd[(size_t)j * gw + i];
                if (d < *slot) *slot = (float)d;
            }
    }
    smp_status st = sign_nodes(ext, ne, hl->face, x0, y0, g, gw, gh, sd, err);
    free(ext);
    return st;
}
