/* benchrender: the dot-rendering figures of docs/quality.md, in one run.
 * 100,000 dots on a 4000 x 3000 photo: our renderer against a plain
 * cairo_arc + cairo_fill loop and against one memcpy of the 48 MB frame.
 * With a path argument it also writes a 12-megapixel test JPEG for the
 * whole-preview figures.  Usage: benchrender [BIG.jpg] */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/layout.h"
#include "../src/pigment.h"
#include "../src/render.h"
#include "../src/rng.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const smp_error *e) { fprintf(stderr, "benchrender: %s\n", e->msg); exit(2); }

int main(int argc, char **argv)
{
    smp_error err = {0};
    const int W = 4000, H = 3000;
    const double ppm = 10; /* 400 x 300 mm */
    /* 100,000 dots over 1200 cm^2. */
    smp_plan *plan = smp_plan_new();
    if (smp_plan_set(plan, "area-mm", "400,300", "bench", 0, &err) ||
        smp_plan_set(plan, "density", "83.3334", "bench", 0, &err) || smp_plan_resolve(plan, &err))
        die(&err);
    smp_layout *L;
    if (smp_layout_new(plan, &L, &err)) die(&err);
    photo base, work;
    if (photo_alloc(&base, W, H, &err) || photo_alloc(&work, W, H, &err)) die(&err);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            ((uint32_t *)(base.px + (size_t)y * base.stride))[x] =
                0xd8b09au ^ (uint32_t)(rng_hash(1, 9, (uint64_t)x, (uint64_t)y) & 0x070707u);
    pigment pg;
    pigment_from_settings(&pg, plan_settings(plan));
    size_t frame = (size_t)base.stride * H;

    double best_ours = 1e9, best_cairo = 1e9, best_copy = 1e9;
    for (int r = 0; r < 5; r++) {
        memcpy(work.px, base.px, frame);
        double t = now();
        if (render_dots(&work, L->dots.d, L->dots.n, ppm, 0, 0, &pg, &err)) die(&err);
        best_ours = fmin(best_ours, now() - t);
    }
    for (int r = 0; r < 3; r++) {
        memcpy(work.px, base.px, frame);
        cairo_surface_t *s = cairo_image_surface_create_for_data(work.px, CAIRO_FORMAT_RGB24, W, H, work.stride);
        cairo_t *cr = cairo_create(s);
        double t = now();
        cairo_scale(cr, ppm, ppm);
        for (size_t i = 0; i < L->dots.n; i++) {
            const smp_dot *d = &L->dots.d[i];
            cairo_set_source_rgba(cr, 0, 0, 0, d->darkness);
            cairo_arc(cr, d->x_mm, d->y_mm, d->diameter_mm / 2, 0, 2 * M_PI);
            cairo_fill(cr);
        }
        cairo_surface_flush(s);
        best_cairo = fmin(best_cairo, now() - t);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
    }
    for (int r = 0; r < 10; r++) {
        double t = now();
        memcpy(work.px, base.px, frame);
        best_copy = fmin(best_copy, now() - t);
    }
    printf("render:  %zu dots on %dx%d: %.4f s (best of 5)\n", L->dots.n, W, H, best_ours);
    printf("cairo:   cairo_arc + cairo_fill per dot: %.4f s (best of 3)\n", best_cairo);
    printf("memcpy:  one %.0f MB frame: %.4f s (best of 10)\n", frame / 1e6, best_copy);
    printf("RATIO dot rendering cairo/smpsim: %.1fx (target >= 10x)\n", best_cairo / best_ours);
    printf("RATIO dot rendering smpsim/memcpy: %.1fx (target <= 5x)\n", best_ours / best_copy);
    if (argc > 1) {
        FILE *f = fopen(argv[1], "wb");
        if (!f || image_write_photo_jpeg(f, argv[1], &base, 90, &err)) die(&err);
        fclose(f);
    }
    photo_free(&base);
    photo_free(&work);
    smp_layout_free(L);
    smp_plan_free(plan);
    return 0;
}
