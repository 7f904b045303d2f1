/* mksample: draws the project's sample scalp photos and their plans.
 *
 * Two plausible photos at a known scale (4 px/mm): a top-down view and an
 * upright frontal view of a balding head: skin with shading and pores, a
 * horseshoe of short hair at the sides and back, a plain background.  A
 * third, patches.jpg, is a close-up (8 px/mm) of the back of a buzz-cut
 * head with two bare alopecia areata patches.  A fourth, crown.jpg, is the
 * back and top of a shaved head (4 px/mm) with a bald crown in a ring of
 * dark buzz-cut stubble, for --match auto.  A fifth, side.jpg, is an
 * upright side view (4 px/mm), the face to the left, an ear below the
 * short hair of the side, for a hairline drawn in a side view.
 * Deterministic: the same program gives the same files.
 * Usage: mksample OUTDIR */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/image.h"
#include "../src/rng.h"

#define S 4.0 /* px per mm */

static double u(uint64_t *k) { return rng_unit(rng_hash(99, RNG_GENERATOR, (*k)++, 0)); }

/* Skin: a shaded ellipse with pores. */
static void skin(cairo_t *cr, double cx, double cy, double rx, double ry, uint64_t *k)
{
    cairo_pattern_t *g = cairo_pattern_create_radial(cx - rx * 0.2, cy - ry * 0.25, rx * 0.1, cx, cy, fmax(rx, ry));
    cairo_pattern_add_color_stop_rgb(g, 0, 0.93, 0.77, 0.66);
    cairo_pattern_add_color_stop_rgb(g, 0.7, 0.85, 0.66, 0.55);
    cairo_pattern_add_color_stop_rgb(g, 1, 0.62, 0.45, 0.37);
    cairo_save(cr);
    cairo_translate(cr, cx, cy);
    cairo_scale(cr, rx, ry);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    for (int i = 0; i < 9000; i++) {
        double a = 2 * M_PI * u(k), r = sqrt(u(k));
        double x = cx + rx * r * cos(a), y = cy + ry * r * sin(a);
        cairo_set_source_rgba(cr, 0.45, 0.28, 0.22, 0.12 + 0.12 * u(k));
        cairo_arc(cr, x, y, 0.4 + 0.6 * u(k), 0, 2 * M_PI);
        cairo_fill(cr);
    }
}

/* Short hair: many short dark strokes where INSIDE says so. */
static void hair(cairo_t *cr, double cx, double cy, double rx, double ry, int (*inside)(double, double),
                 uint64_t *k)
{
    cairo_set_line_width(cr, 0.35 * S);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < 60000; i++) {
        double a = 2 * M_PI * u(k), r = sqrt(u(k));
        double nx = r * cos(a), ny = r * sin(a);
        if (!inside(nx, ny)) continue;
        double x = cx + rx * nx, y = cy + ry * ny;
        double dir = atan2(ny, nx) + 0.4 * (u(k) - 0.5);
        double len = (1.0 + 1.5 * u(k)) * S;
        double shade = 0.10 + 0.12 * u(k);
        cairo_set_source_rgba(cr, shade, shade * 0.85, shade * 0.7, 0.85);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + len * cos(dir), y + len * sin(dir));
        cairo_stroke(cr);
    }
}

/* Top view, face down: bald on top, hair from the sides round the back. */
static int top_hair(double nx, double ny)
{
    double bx = nx / 0.72, by = (ny - 0.12) / 0.80; /* the bald oval, shifted toward the face */
    return bx * bx + by * by > 1 && ny < 0.75;
}

/* Frontal view: hair at the temples and sides above the ears. */
static int front_hair(double nx, double ny)
{
    double bx = nx / 0.66, by = (ny + 0.05) / 0.75;
    return bx * bx + by * by > 1 && ny < 0.35 && fabs(nx) > 0.3;
}

/* Alopecia areata patches of the close-up: irregular coin-sized blobs
 * (centre and mean radius in px; the edge wanders with angle). */
static const double PATCHES[2][3] = {{330, 360, 150}, {600, 590, 85}};

static double patch_edge(int i, double a)
{
    return PATCHES[i][2] * (1 + 0.10 * sin(3 * a + i) + 0.06 * sin(5 * a + 2 * i) + 0.04 * cos(7 * a));
}

static int in_patch(double x, double y, double margin)
{
    for (int i = 0; i < 2; i++) {
        double dx = x - PATCHES[i][0], dy = y - PATCHES[i][1];
        if (hypot(dx, dy) < patch_edge(i, atan2(dy, dx)) + margin) return 1;
    }
    return 0;
}

/* Buzz-cut stubble: about 90 follicular units per cm^2 of one to three
 * hairs on a jittered grid (follicles keep their distance), fewer toward a
 * patch's edge, none inside.  Each hair is a short dark speck above the
 * skin and, below it, the part under the skin seen through it: a soft
 * cool shadow about 0.4 mm wide at the root and along the follicle behind
 * it, which is most of what makes a shaved head darker (as crown.jpg). */
/* The part of a hair under the skin, seen through it (SHADOW, W x H px at
 * PPM px/mm): a Gaussian of 0.4 mm and peak AMP at the root (X, Y mm), and
 * 0.6 of it 0.3 mm back along the follicle, against the growth DIR. */
static void follicle_shadow(float *shadow, int w, int h, double ppm, double x, double y, double dir, double amp)
{
    const double sig = 0.4 * ppm;
    const int rad = (int)ceil(3 * sig);
    for (int part = 0; part < 2; part++) {
        double px = (x - part * 0.3 * cos(dir)) * ppm;
        double py = (y - part * 0.3 * sin(dir)) * ppm;
        double a = amp * (part ? 0.6 : 1);
        int x0 = (int)px, y0 = (int)py;
        for (int yy = y0 - rad; yy <= y0 + rad; yy++) {
            if (yy < 0 || yy >= h) continue;
            for (int xx = x0 - rad; xx <= x0 + rad; xx++) {
                if (xx < 0 || xx >= w) continue;
                double r2 = (xx + 0.5 - px) * (xx + 0.5 - px) + (yy + 0.5 - py) * (yy + 0.5 - py);
                shadow[(size_t)yy * w + xx] += (float)(a * exp(-r2 / (2 * sig * sig)));
            }
        }
    }
}

/* A hair above the skin: a stroke of LEN from (X, Y) toward DIR, in the
 * units CR draws in. */
static void hair_stroke(cairo_t *cr, double x, double y, double dir, double len, double width, double r, double g,
                        double b, double alpha)
{
    cairo_set_source_rgba(cr, r, g, b, alpha);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + len * cos(dir), y + len * sin(dir));
    cairo_stroke(cr);
}

typedef struct stub_hair {
    double x, y, dir, len, width, shade, alpha;
} stub_hair;

static void stubble(cairo_t *cr, double w, double h, double ppm, uint64_t *k)
{
    double grid = ppm / sqrt(0.9);
    int gw = (int)(w / grid) + 1, gh = (int)(h / grid) + 1, n = 0, iw = (int)w, ih = (int)h;
    stub_hair *hs = malloc(sizeof *hs * (size_t)gw * gh * 3);
    float *shadow = calloc((size_t)iw * ih, sizeof *shadow);
    if (!hs || !shadow) { free(hs); free(shadow); return; }
    for (int j = 0; j < gh; j++)
        for (int i = 0; i < gw; i++) {
            double x = (i + 0.5 + 0.8 * (u(k) - 0.5)) * grid, y = (j + 0.5 + 0.8 * (u(k) - 0.5)) * grid;
            if (in_patch(x, y, 0)) continue;
            if (in_patch(x, y, 3 * ppm) && u(k) < 0.5) continue;
            int hairs = 1 + (u(k) < 0.55) + (u(k) < 0.2);
            for (int q = 0; q < hairs; q++) {
                stub_hair *e = &hs[n++];
                double an = 2 * M_PI * u(k);
                e->x = x + 0.15 * ppm * cos(an) * q;
                e->y = y + 0.15 * ppm * sin(an) * q;
                e->shade = 0.12 + 0.12 * u(k);
                e->dir = 1.9 + 0.5 * (u(k) - 0.5);
                e->len = (0.15 + 0.2 * u(k)) * ppm;
                e->alpha = 0.45 + 0.25 * u(k);
                e->width = (0.08 + 0.04 * u(k)) * ppm;
                follicle_shadow(shadow, iw, ih, ppm, e->x / ppm, e->y / ppm, e->dir, 0.045 + 0.015 * u(k));
            }
        }
    /* The shadow takes red the most, so it is cooler as well as darker. */
    static const double absorb[3] = {1.0, 0.64, 0.42};
    cairo_surface_t *s = cairo_get_target(cr);
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < ih; y++) {
        uint32_t *row = (uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < iw; x++) {
            uint32_t px = 0;
            for (int c = 0; c < 3; c++) {
                double v = pow(((row[x] >> (16 - 8 * c)) & 255) / 255.0, 2.2) * exp(-shadow[(size_t)y * iw + x] * absorb[c]);
                px = px << 8 | (uint32_t)lround(255 * pow(v, 1 / 2.2));
            }
            row[x] = px;
        }
    }
    cairo_surface_mark_dirty(s);
    free(shadow);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < n; i++) {
        const stub_hair *e = &hs[i];
        hair_stroke(cr, e->x, e->y, e->dir, e->len, e->width, e->shade, e->shade * 0.95, e->shade * 0.95, e->alpha);
    }
    free(hs);
}

static int save(cairo_surface_t *s, const char *dir, const char *name)
{
    int png = strstr(name, ".png") != NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    photo p = {cairo_image_surface_get_width(s), cairo_image_surface_get_height(s),
               cairo_image_surface_get_stride(s), cairo_image_surface_get_data(s)};
    cairo_surface_flush(s);
    FILE *f = fopen(path, "wb");
    smp_error err = {0};
    if (!f || (png ? image_write_photo_png(f, path, &p, 9, &err) : image_write_photo_jpeg(f, path, &p, 88, &err)) != SMP_OK ||
        fclose(f) != 0) {
        fprintf(stderr, "mksample: %s: cannot write %s\n", path, err.msg);
        return 1;
    }
    return 0;
}

/* The crown close-up: the back and top of a shaved head seen from above and
 * behind at 4 px/mm, 200 x 200 mm, with a bald crown in a ring of buzz-cut
 * stubble (dark hair 0.5-1 mm long, about 200 hairs/cm^2, on medium-fair
 * skin).  Drawn at CROWN_SS times the scale and brought down with a little
 * blur, as a camera would, so single hairs make a fine grain rather than
 * specks.  It has its own random stream: the other samples do not move. */
#define CROWN_SS 3
#define CROWN_PPM (S * CROWN_SS) /* px per mm while drawing */

static double uc(uint64_t *k) { return rng_unit(rng_hash(100, RNG_GENERATOR, (*k)++, 0)); }

/* Smooth value noise in [-1, 1] on a unit lattice, and three octaves of it. */
static double lattice(long ix, long iy, unsigned salt)
{
    return 2 * rng_unit(rng_hash(101, RNG_GENERATOR, (uint64_t)ix * 0x10001 + salt, (uint64_t)iy)) - 1;
}

static double vnoise(double x, double y, unsigned salt)
{
    double fx = floor(x), fy = floor(y), tx = x - fx, ty = y - fy;
    long ix = (long)fx, iy = (long)fy;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    double a = lattice(ix, iy, salt), b = lattice(ix + 1, iy, salt);
    double c = lattice(ix, iy + 1, salt), d = lattice(ix + 1, iy + 1, salt);
    return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
}

static double fbm(double x, double y, unsigned salt)
{
    return 0.57 * vnoise(x, y, salt) + 0.29 * vnoise(2.03 * x + 17.1, 2.03 * y + 5.3, salt + 1) +
           0.14 * vnoise(4.1 * x + 3.7, 4.1 * y + 11.9, salt + 2);
}

/* The head (mm), seen from above and behind: round on top, its sides
 * running on nearly straight off the bottom of the frame, toward the ears
 * and the nape. */
#define HEAD_X 100.0
#define HEAD_Y 125.0
#define HEAD_A 84.0
#define HEAD_B 105.0
#define HEAD_C 90.0
/* The middle of the bald crown (and the whorl the hair grows from). */
#define CROWN_X 100.0
#define CROWN_Y 90.0

/* Whether (X, Y) mm is on the head and, if so, its surface normal N
 * (toward the camera, N[2] > 0): the head is z = C sqrt(1 - f) with
 * f = u^2 + v^2 above its middle and u^2 + v^3 below. */
static int head_at(double x, double y, double n[3])
{
    double u = (x - HEAD_X) / HEAD_A, v = (y - HEAD_Y) / HEAD_B;
    double f = u * u + (v > 0 ? v * v * v : v * v);
    if (f >= 1) return 0;
    double w = sqrt(1 - f), fu = 2 * u / HEAD_A, fv = (v > 0 ? 3 * v * v : 2 * v) / HEAD_B;
    n[0] = HEAD_C * fu / (2 * w);
    n[1] = HEAD_C * fv / (2 * w);
    n[2] = 1;
    double len = sqrt(n[0] * n[0] + n[1] * n[1] + 1);
    for (int c = 0; c < 3; c++) n[c] /= len;
    return 1;
}

/* The ears, low at the sides, seen from behind: where (X, Y) mm is on one,
 * in front of the head's side, its distance from the ear's middle (0 to
 * 1 at its rim) and which side; 0 when on none. */
static int ear_at(double x, double y, double *rho)
{
    for (int side = -1; side <= 1; side += 2) {
        double ex = HEAD_X + side * 79, ey = 198, tilt = side * 0.3;
        double dx = x - ex, dy = y - ey;
        double px = dx * cos(tilt) + dy * sin(tilt), py = -dx * sin(tilt) + dy * cos(tilt);
        double r = hypot(px / 11.5, py / 23);
        if (r >= 1 || side * (x - HEAD_X) < 70) continue;
        *rho = r;
        return side;
    }
    return 0;
}

static double crown_edge(double a)
{
    double rx = 41, ry = 34, c = cos(a), s = sin(a);
    return rx * ry / sqrt(ry * ry * c * c + rx * rx * s * s) *
           (1 + 0.08 * sin(2 * a + 0.7) + 0.07 * sin(3 * a + 1.9) + 0.04 * sin(5 * a + 0.3));
}

/* How much of the full stubble grows at (X, Y) mm: rising over 5-9 mm
 * across a boundary that wanders at two scales, with a few stray hairs a
 * few mm further in, and none on the rest of the bald crown. */
static double crown_stubble(double x, double y)
{
    double n[3];
    if (!head_at(x, y, n)) return 0;
    double dx = x - CROWN_X, dy = y - CROWN_Y;
    double s = hypot(dx, dy) - crown_edge(atan2(dy, dx)) + 5 * fbm(x / 20, y / 20, 10) + 1.2 * fbm(x / 4, y / 4, 20);
    double width = 8 * (1 + 0.35 * fbm(x / 20, y / 20, 90));
    if (s <= 0) return s < -15 ? 0 : 0.06 * exp(s / 3);
    if (s >= width) return 1;
    s /= width;
    /* Thinning hair goes in tufts and gaps. */
    double t = s * s * (3 - 2 * s) + 1.6 * s * (1 - s) * fbm(x / 2.5, y / 2.5, 100);
    return 0.06 + 0.94 * (t < 0 ? 0 : t > 1 ? 1 : t);
}

typedef struct crown_hair {
    float x, y, dir, len, width, shade, alpha, shadow;
} crown_hair;

static double to_linear(double v) { return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4); }
static double to_srgb(double v)
{
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055;
}

static int crown_sample(const char *outdir)
{
    const int W = 800, H = 800, SW = W * CROWN_SS, SH = H * CROWN_SS;
    const double wmm = W / S, hmm = H / S;
    uint64_t k = 1;
    /* The hairs grow in follicular units of one to three, about 1 mm apart:
     * a jittered grid rather than scattered at random, since follicles keep
     * their distance, and that is what makes stubble an even grain (at
     * random they clump into specks and gaps).  Two hairs a unit on average:
     * 200/cm^2, a little more or less from place to place, and more per mm
     * of the picture where the skin turns away from the camera.  Where the
     * stubble thins toward the crown many are miniaturised (finer, lighter,
     * shorter); a few fine vellus hairs stand on the crown itself. */
    const double grid = 1.0;
    int gw = (int)(wmm / grid), gh = (int)(hmm / grid), n = 0;
    crown_hair *hs = malloc(sizeof *hs * (size_t)gw * gh * 12);
    if (!hs) return 1;
    for (int j = 0; j < gh; j++)
        for (int i = 0; i < gw; i++) {
            double cx0 = (i + 0.5 + 0.7 * (uc(&k) - 0.5)) * grid, cy0 = (j + 0.5 + 0.7 * (uc(&k) - 0.5)) * grid;
            double nrm[3];
            if (!head_at(cx0, cy0, nrm)) continue;
            double slant = 1 / fmax(nrm[2], 0.3);
            int units = (int)slant + (uc(&k) < slant - floor(slant));
            for (int un = 0; un < units; un++) {
                double x = un ? (i + uc(&k)) * grid : cx0, y = un ? (j + uc(&k)) * grid : cy0;
                double keep = uc(&k), many = uc(&k), fine = uc(&k), rho;
                if (ear_at(x, y, &rho)) continue;
                double level = crown_stubble(x, y), dense = 1 + 0.1 * fbm(x / 20, y / 20, 30);
                int vellus = 0;
                if (keep >= level * dense) {
                    if (keep < level * dense + 0.1 * (1 - level)) vellus = 1;
                    else continue;
                }
                /* Growth: away from the whorl with a slight swirl, turning
                 * downward toward the nape, and a little flow of its own. */
                double dx = x - CROWN_X, dy = y - CROWN_Y, a = atan2(dy, dx) + 0.35;
                double down = fmin(1, fmax(0, dy / 60));
                double gx = (1 - down) * cos(a) + down * 0.2 * cos(a), gy = (1 - down) * sin(a) + down;
                double dir = atan2(gy, gx) + 0.25 * fbm(x / 8, y / 8, 40) + 0.5 * (uc(&k) - 0.5);
                double mini = vellus ? 1 : fine < 0.6 * (1 - level) ? 0.5 + 0.5 * uc(&k) : 0;
                int m = vellus ? 1 : 1 + (many > 0.25) + (many > 0.75);
                for (int q = 0; q < m; q++) {
                    crown_hair *h = &hs[n++];
                    h->x = (float)(x + 0.08 * (uc(&k) - 0.5));
                    h->y = (float)(y + 0.08 * (uc(&k) - 0.5));
                    h->dir = (float)(dir + 0.3 * (uc(&k) - 0.5));
                    /* Seen from above, a hair of 0.5-1 mm standing at an angle. */
                    double len = 0.5 + 0.5 * uc(&k), tilt = 0.45 + 0.45 * uc(&k);
                    h->len = (float)(len * fmin(1, tilt * (0.7 + 0.3 * slant)) * (1 - 0.5 * mini));
                    h->width = (float)((0.055 + 0.02 * uc(&k)) * (1 - 0.45 * mini));
                    h->shade = (float)(0.12 + 0.12 * uc(&k) + 0.25 * mini + (uc(&k) < 0.04 ? 0.35 : 0));
                    h->alpha = (float)((0.5 + 0.2 * uc(&k)) * (1 - 0.55 * mini));
                    h->shadow = (float)(vellus ? 0 : (0.042 + 0.015 * uc(&k)) * (1 - 0.6 * mini));
                }
            }
        }
    /* The part of each hair under the skin, seen through it: a soft, cool
     * shadow at the root and along the follicle behind it. */
    float *shadow = calloc((size_t)SW * SH, sizeof *shadow);
    if (!shadow) { free(hs); return 1; }
    for (int i = 0; i < n; i++)
        if (hs[i].shadow > 0) follicle_shadow(shadow, SW, SH, CROWN_PPM, hs[i].x, hs[i].y, hs[i].dir, hs[i].shadow);
    /* Skin: medium-fair, lit softly from the upper left and front, faint
     * mottling, a mild broad shine on the crown; a plain wall behind. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, SW, SH);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) { free(hs); free(shadow); return 1; }
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    const double albedo[3] = {to_linear(226 / 255.0), to_linear(186 / 255.0), to_linear(166 / 255.0)};
    const double absorb[3] = {1.0, 0.64, 0.42}; /* of the follicle shadow: red the most, so cooler */
    double l[3] = {-0.45, -0.6, 0.65}, hv[3];
    double ln = sqrt(l[0] * l[0] + l[1] * l[1] + l[2] * l[2]);
    for (int c = 0; c < 3; c++) l[c] /= ln;
    hv[0] = l[0]; hv[1] = l[1]; hv[2] = l[2] + 1;
    ln = sqrt(hv[0] * hv[0] + hv[1] * hv[1] + hv[2] * hv[2]);
    for (int c = 0; c < 3; c++) hv[c] /= ln;
    for (int y = 0; y < SH; y++) {
        uint32_t *row = (uint32_t *)(data + (size_t)y * stride);
        double ymm = (y + 0.5) / CROWN_PPM;
        for (int x = 0; x < SW; x++) {
            double xmm = (x + 0.5) / CROWN_PPM, rgb[3];
            double nv[3], rho;
            int ear = ear_at(xmm, ymm, &rho);
            if (ear) {
                /* The back of the ear: a dome, redder than the scalp,
                 * shadowed where it leaves the head. */
                double crease = fmin(1, fabs(xmm - HEAD_X - ear * 70) / 8);
                double roll = exp(-pow((rho - 0.86) / 0.06, 2)), lip = rho > 0.95 ? (rho - 0.95) / 0.05 : 0;
                double light = (0.22 + 0.4 * sqrt(1 - rho * rho) - 0.1 * ear + 0.06 * roll - 0.08 * lip) *
                               (0.55 + 0.45 * crease) * (1 + 0.04 * fbm(xmm / 3, ymm / 3, 110));
                const double ear_tint[3] = {1.05, 0.93, 0.92};
                for (int c = 0; c < 3; c++) rgb[c] = albedo[c] * ear_tint[c] * light;
            } else if (!head_at(xmm, ymm, nv)) {
                double t = ymm / hmm;
                rgb[0] = to_linear((196 - 14 * t) / 255.0);
                rgb[1] = to_linear((199 - 13 * t) / 255.0);
                rgb[2] = to_linear((203 - 11 * t) / 255.0);
            } else {
                double w = nv[2], nl = nv[0] * l[0] + nv[1] * l[1] + nv[2] * l[2];
                double diffuse = fmax(0, (nl + 0.3) / 1.3); /* soft light wraps round */
                double light = 0.16 + 0.9 * diffuse * (0.85 + 0.15 * w);
                double mottle = fbm(xmm / 9, ymm / 9, 50) + 0.6 * fbm(xmm / 0.6, ymm / 0.6, 80);
                double blush = fbm(xmm / 15, ymm / 15, 60);
                double nh = fmax(0, nv[0] * hv[0] + nv[1] * hv[1] + nv[2] * hv[2]);
                double shine = 0.09 * pow(nh, 18) * (1 + 0.25 * fbm(xmm / 2, ymm / 2, 70));
                double d = shadow[(size_t)y * SW + x];
                for (int c = 0; c < 3; c++) {
                    double alb = albedo[c] * (1 + 0.025 * mottle + (c == 0 ? 0.03 : -0.02) * blush);
                    rgb[c] = alb * light * exp(-d * absorb[c]) + shine * (c == 2 ? 0.96 : 1);
                }
            }
            row[x] = (uint32_t)lround(255 * to_srgb(rgb[0])) << 16 | (uint32_t)lround(255 * to_srgb(rgb[1])) << 8 |
                     (uint32_t)lround(255 * to_srgb(rgb[2]));
        }
    }
    free(shadow);
    cairo_surface_mark_dirty(s);
    /* The hairs above the skin: thin dark strokes, grey-black. */
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, CROWN_PPM, CROWN_PPM);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < n; i++) {
        const crown_hair *h = &hs[i];
        hair_stroke(cr, h->x, h->y, h->dir, h->len, h->width, h->shade, h->shade * 1.02, h->shade * 1.06, h->alpha);
    }
    cairo_destroy(cr);
    free(hs);
    cairo_surface_flush(s);
    /* Down to 4 px/mm through a Gaussian (the lens and the sensor), in
     * linear light, with a little sensor noise. */
    cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    float *tmp = malloc(sizeof *tmp * 3 * (size_t)W * SH);
    if (!tmp || cairo_surface_status(out) != CAIRO_STATUS_SUCCESS) {
        free(tmp);
        cairo_surface_destroy(out);
        cairo_surface_destroy(s);
        return 1;
    }
    const double bs = 0.8 * CROWN_SS;
    const int br = (int)ceil(3 * bs);
    double kern[64], ks = 0;
    for (int i = -br; i <= br; i++) ks += kern[i + br] = exp(-i * i / (2 * bs * bs));
    for (int i = 0; i <= 2 * br; i++) kern[i] /= ks;
    double lut[256];
    for (int i = 0; i < 256; i++) lut[i] = to_linear(i / 255.0);
    for (int y = 0; y < SH; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < W; x++) {
            double acc[3] = {0, 0, 0};
            int cx = x * CROWN_SS + CROWN_SS / 2;
            for (int i = -br; i <= br; i++) {
                int xx = cx + i < 0 ? 0 : cx + i >= SW ? SW - 1 : cx + i;
                uint32_t p = row[xx];
                acc[0] += kern[i + br] * lut[(p >> 16) & 255];
                acc[1] += kern[i + br] * lut[(p >> 8) & 255];
                acc[2] += kern[i + br] * lut[p & 255];
            }
            for (int c = 0; c < 3; c++) tmp[((size_t)y * W + x) * 3 + c] = (float)acc[c];
        }
    }
    unsigned char *od = cairo_image_surface_get_data(out);
    int ostride = cairo_image_surface_get_stride(out);
    for (int y = 0; y < H; y++) {
        uint32_t *row = (uint32_t *)(od + (size_t)y * ostride);
        int cy = y * CROWN_SS + CROWN_SS / 2;
        for (int x = 0; x < W; x++) {
            double acc[3] = {0, 0, 0};
            for (int i = -br; i <= br; i++) {
                int yy = cy + i < 0 ? 0 : cy + i >= SH ? SH - 1 : cy + i;
                for (int c = 0; c < 3; c++) acc[c] += kern[i + br] * tmp[((size_t)yy * W + x) * 3 + c];
            }
            double grain = 4 * (uc(&k) + uc(&k) + uc(&k) - 1.5);
            uint32_t px = 0;
            for (int c = 0; c < 3; c++) {
                double val = 255 * to_srgb(acc[c]) + grain + 1.5 * (uc(&k) - 0.5);
                px = px << 8 | (uint32_t)(val < 0 ? 0 : val > 255 ? 255 : lround(val));
            }
            row[x] = px;
        }
    }
    free(tmp);
    cairo_surface_destroy(s);
    cairo_surface_mark_dirty(out);
    int rc = save(out, outdir, "crown.jpg");
    cairo_surface_destroy(out);
    return rc;
}

/* Side view, the face to the left, at 4 px/mm: the head's ellipse in
 * (NX, NY) units.  Short hair over the side and back, round an ear; a
 * bald top and forehead that run on, in front of the ear where no
 * sideburn grows, into the cheek, the jaw and the neck below. */
#define SIDE_EAR_X 0.10
#define SIDE_EAR_Y 0.18
static int side_ear(double nx, double ny)
{
    double ex = (nx - SIDE_EAR_X) / 0.17, ey = (ny - SIDE_EAR_Y) / 0.30;
    return ex * ex + ey * ey <= 1;
}

static int side_hair(double nx, double ny)
{
    if (side_ear(nx, ny) || nx < -0.12 + 0.03 * sin(ny * 14)) return 0;
    /* Up to a line rising toward the back, down to the nape. */
    return ny > -0.42 + 0.25 * (0.5 - nx) * (nx < 0.5) && ny < 0.70 && !(nx < 0.35 && ny > 0.50);
}

/* An ellipse's path. */
static void ellipse(cairo_t *cr, double cx, double cy, double rx, double ry)
{
    cairo_save(cr);
    cairo_translate(cr, cx, cy);
    cairo_scale(cr, rx, ry);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
}

static int side_sample(const char *outdir)
{
    uint64_t k = 7;
    int W = 800, H = 800;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.80, 0.82, 0.64);
    cairo_paint(cr);
    double cx = 450, cy = 390, rx = 300, ry = 330;
    /* The neck, then the head over it, the nose in front. */
    cairo_set_source_rgb(cr, 0.80, 0.60, 0.50);
    cairo_move_to(cr, 330, 640); cairo_line_to(cr, 640, 600); cairo_line_to(cr, 690, 800); cairo_line_to(cr, 320, 800);
    cairo_close_path(cr);
    cairo_fill(cr);
    skin(cr, cx, cy, rx, ry, &k);
    /* Lit from the side, more evenly than from above: half the top's sheen. */
    ellipse(cr, cx, cy, rx, ry);
    cairo_set_source_rgba(cr, 0.85, 0.66, 0.55, 0.5);
    cairo_fill(cr);
    skin(cr, 165, 445, 45, 32, &k);
    /* Under the hair's fringe the skin of the side is a little shaded;
     * the ear redder than the scalp, its rim lit, its bowl in shadow. */
    ellipse(cr, cx + SIDE_EAR_X * rx, cy + SIDE_EAR_Y * ry, 0.17 * rx, 0.30 * ry);
    cairo_set_source_rgb(cr, 0.90, 0.58, 0.54);
    cairo_fill(cr);
    ellipse(cr, cx + (SIDE_EAR_X - 0.02) * rx, cy + (SIDE_EAR_Y + 0.02) * ry, 0.09 * rx, 0.17 * ry);
    cairo_set_source_rgb(cr, 0.62, 0.36, 0.33);
    cairo_fill(cr);
    hair(cr, cx, cy, rx, ry, side_hair, &k);
    /* An eye and a brow, to place the face. */
    cairo_set_source_rgb(cr, 0.22, 0.16, 0.13);
    ellipse(cr, 232, 395, 16, 6);
    cairo_fill(cr);
    cairo_set_source_rgba(cr, 0.2, 0.14, 0.1, 0.85);
    cairo_set_line_width(cr, 2.5 * S);
    cairo_move_to(cr, 200, 368); cairo_curve_to(cr, 220, 356, 250, 356, 272, 362); cairo_stroke(cr);
    cairo_destroy(cr);
    int rc = save(s, outdir, "side.jpg");
    cairo_surface_destroy(s);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: mksample OUTDIR\n"); return 1; }
    uint64_t k = 1;
    int W = 800, H = 800;
    /* Top view: head 170 x 210 mm. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.78, 0.80, 0.82);
    cairo_paint(cr);
    double cx = 400, cy = 400, rx = 85 * S * 0.95, ry = 100 * S * 0.95;
    skin(cr, cx, cy, rx, ry, &k);
    hair(cr, cx, cy, rx, ry, top_hair, &k);
    cairo_destroy(cr);
    if (save(s, argv[1], "top.jpg")) return 2;
    cairo_surface_destroy(s);

    /* Frontal view: forehead and scalp above the brows, ears at the sides. */
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.55, 0.62, 0.70);
    cairo_paint(cr);
    cx = 400; cy = 470; rx = 80 * S; ry = 105 * S;
    skin(cr, cx, cy, rx, ry, &k);
    hair(cr, cx, cy, rx, ry, front_hair, &k);
    /* Brows, to place the face below. */
    cairo_set_source_rgba(cr, 0.2, 0.14, 0.1, 0.85);
    cairo_set_line_width(cr, 3 * S);
    cairo_move_to(cr, 260, 640); cairo_curve_to(cr, 290, 620, 340, 620, 370, 635); cairo_stroke(cr);
    cairo_move_to(cr, 430, 635); cairo_curve_to(cr, 460, 620, 510, 620, 540, 640); cairo_stroke(cr);
    cairo_destroy(cr);
    if (save(s, argv[1], "frontal.jpg")) return 2;
    cairo_surface_destroy(s);

    /* Close-up of the back of a buzz-cut head at 8 px/mm, 100 x 100 mm:
     * skin filling the frame, lit from the upper left, stubble, patches. */
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cr = cairo_create(s);
    skin(cr, 330, 300, 900, 900, &k);
    stubble(cr, W, H, 2 * S, &k);
    cairo_destroy(cr);
    if (save(s, argv[1], "patches.jpg")) return 2;
    cairo_surface_destroy(s);
    /* The patches as a practitioner would paint them: round each patch
     * by hand, about 3 mm beyond the bare skin, over the thinner stubble
     * at its edge, so that the dots blend into the full stubble. */
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 48; j++) {
            double a = 2 * M_PI * j / 48, r = patch_edge(i, a) + (3 + 0.6 * sin(4 * a + i)) * 2 * S;
            if (j == 0) cairo_move_to(cr, PATCHES[i][0] + r * cos(a), PATCHES[i][1] + r * sin(a));
            else cairo_line_to(cr, PATCHES[i][0] + r * cos(a), PATCHES[i][1] + r * sin(a));
        }
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    if (save(s, argv[1], "patches-mask.png")) return 2;
    cairo_surface_destroy(s);

    /* The bald crown in a ring of stubble, with its own random stream. */
    if (crown_sample(argv[1])) return 2;
    if (side_sample(argv[1])) return 2;
    return 0;
}
