/* mksample: draws the project's sample scalp photos and their plans.
 *
 * Two plausible photos at a known scale (4 px/mm): a top-down view and an
 * upright frontal view of a balding head: skin with shading and pores, a
 * horseshoe of short hair at the sides and back, a plain background.  A
 * third, patches.jpg, is a close-up (8 px/mm) of the back of a buzz-cut
 * head with two bare alopecia areata patches.
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

/* Buzz-cut stubble: about 90 follicular units per cm^2, each a short dark
 * speck or two; fewer toward a patch's edge, none inside. */
static void stubble(cairo_t *cr, double w, double h, double ppm, uint64_t *k)
{
    double units = w * h / (ppm * ppm) / 100 * 90;
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < (int)units; i++) {
        double x = w * u(k), y = h * u(k);
        if (in_patch(x, y, 0)) continue;
        if (in_patch(x, y, 3 * ppm) && u(k) < 0.5) continue;
        int hairs = 1 + (u(k) < 0.55) + (u(k) < 0.2);
        for (int j = 0; j < hairs; j++) {
            double a = 2 * M_PI * u(k), x1 = x + 0.15 * ppm * cos(a) * j, y1 = y + 0.15 * ppm * sin(a) * j;
            double shade = 0.12 + 0.12 * u(k), dir = 1.9 + 0.5 * (u(k) - 0.5), len = (0.15 + 0.2 * u(k)) * ppm;
            cairo_set_source_rgba(cr, shade, shade * 0.9, shade * 0.85, 0.55 + 0.25 * u(k));
            cairo_set_line_width(cr, (0.09 + 0.04 * u(k)) * ppm);
            cairo_move_to(cr, x1, y1);
            cairo_line_to(cr, x1 + len * cos(dir), y1 + len * sin(dir));
            cairo_stroke(cr);
        }
    }
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
    /* The patches as a practitioner would paint them: a rough ellipse over
     * each, a little beyond the bare skin. */
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    for (int i = 0; i < 2; i++) {
        cairo_save(cr);
        cairo_translate(cr, PATCHES[i][0], PATCHES[i][1]);
        cairo_rotate(cr, 0.3);
        cairo_scale(cr, 1.08, 0.98);
        cairo_arc(cr, 0, 0, PATCHES[i][2] * 1.05, 0, 2 * M_PI);
        cairo_restore(cr);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    if (save(s, argv[1], "patches-mask.png")) return 2;
    cairo_surface_destroy(s);
    return 0;
}
