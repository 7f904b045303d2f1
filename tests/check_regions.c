#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "image.h"
#include "layout.h"
#include "plan.h"
#include "preview.h"
#include "regions.h"
#include "render.h"
#include "rng.h"

static smp_layout *make(smp_plan *p)
{
    smp_layout *L = NULL;
    smp_error err = {0};
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    return L;
}

START_TEST(scar_is_lighter_and_sparser)
{
    /* A 10 mm strip scar across a 100 x 60 mm area; compare inside with
     * well outside (beyond the feather). */
    smp_plan *p = test_plan("area-mm=100,60", "sessions=1", "scar-line=0,30 100,30", "scar-width=10",
                            "scar-density=0.5", "scar-darkness=0.6", NULL);
    smp_layout *L = make(p);
    size_t in = 0, out = 0;
    double dark_in = 0, dark_out = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        const smp_dot *d = &L->dots.d[k];
        if (d->blown) continue;
        double dy = fabs(d->y_mm - 30);
        if (dy < 3) { in++; dark_in += d->darkness; }
        else if (dy > 10) { out++; dark_out += d->darkness; }
    }
    double dens_in = in / (100.0 * 6), dens_out = out / (100.0 * 40);
    ck_assert_msg(fabs(dens_in / dens_out - 0.5) < 0.08, "density ratio %f", dens_in / dens_out);
    ck_assert_msg(fabs((dark_in / in) / (dark_out / out) - 0.6) < 0.05, "darkness ratio %f", (dark_in / in) / (dark_out / out));
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

START_TEST(no_dots_outside_patches)
{
    smp_plan *p = test_plan("area-mm=100,100", "patch-polygon=30,30 70,30 70,70 30,70", "feather-mm=3", NULL);
    smp_layout *L = make(p);
    size_t inside = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        const smp_dot *d = &L->dots.d[k];
        /* The feathered edge wanders at most 1.5 + 1 mm outside. */
        ck_assert_msg(d->x_mm > 27 && d->x_mm < 73 && d->y_mm > 27 && d->y_mm < 73, "dot at %g,%g", d->x_mm, d->y_mm);
        inside += d->x_mm > 35 && d->x_mm < 65 && d->y_mm > 35 && d->y_mm < 65;
    }
    ck_assert_msg(fabs(inside / (30.0 * 30 * 0.8) - 1) < 0.05, "inner density off: %zu", inside);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

/* Pixel X,Y of PH: colour C times F, plus NOISE on every channel. */
static void put_noisy(photo *ph, int x, int y, uint32_t c, double f, double noise)
{
    uint32_t v = 0;
    for (int k = 16; k >= 0; k -= 8) {
        double e = ((c >> k) & 255) * f + noise;
        v = v << 8 | (uint32_t)(e < 0 ? 0 : e > 255 ? 255 : e);
    }
    ((uint32_t *)(ph->px + (size_t)y * ph->stride))[x] = v;
}

/* Write PH to PATH as a PNG, and free it. */
static void save_photo(const char *path, photo *ph)
{
    smp_error err = {0};
    FILE *f = fopen(path, "wb");
    ck_assert_int_eq(image_write_photo_png(f, path, ph, 1, &err), SMP_OK);
    fclose(f);
    photo_free(ph);
}

/* A 400x400 photo at 4 px/mm: skin with dark hair strokes on a grid. */
static const char *hair_photo(char *path, uint8_t **hair_out)
{
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 400, 400, &err), SMP_OK);
    uint8_t *hair = calloc(400 * 400, 1);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            /* Hair: 3 px wide strokes every 12 px, denser on the left. */
            int period = x < 200 ? 8 : 16;
            int h = (x + y / 3) % period < 3;
            hair[y * 400 + x] = (uint8_t)h;
            ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = h ? 0x2a2018u : 0xd9a88cu;
        }
    save_photo(path, &ph);
    *hair_out = hair;
    return path;
}

START_TEST(thinning_keeps_dots_off_hair)
{
    char path[] = "/tmp/smpsim-hair-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    uint8_t *hair;
    hair_photo(path, &hair);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "mode=thinning", "area-polygon=0,0 400,0 400,400 0,400", NULL);
    smp_layout *L = make(p);
    size_t on_hair = 0, left = 0, right = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        int x = (int)(L->dots.d[k].x_mm * 4), y = (int)(L->dots.d[k].y_mm * 4);
        on_hair += hair[y * 400 + x];
        if (x < 180) left++;
        else if (x > 220) right++;
    }
    ck_assert(L->dots.n > 500);
    ck_assert_msg(on_hair < L->dots.n / 20, "%zu of %zu dots on hair", on_hair, L->dots.n);
    /* More scalp shows on the right: more dots there. */
    ck_assert_msg(right > left, "left %zu right %zu", left, right);
    smp_layout_free(L);
    smp_plan_free(p);
    free(hair);
    unlink(path);
}
END_TEST

/* A 600x300 photo at 4 px/mm: on the left 60 mm, skin under white
 * strands (2 px wide, every 10 px); on the right, bare skin with no hair
 * at all, as a forehead or a bald patch.  Thinning over the whole photo
 * puts no dot on the strands and none on the bare skin far from them. */
START_TEST(thinning_grey_strands_are_hair_and_bare_skin_is_not_thinning)
{
    char path[] = "/tmp/smpsim-grey-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 600, 300, &err), SMP_OK);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 600; x++) {
            int strand = x < 240 && (x + y / 4) % 10 < 2;
            /* A few dark hairs too, so the hair's lightness is known. */
            int dark = x < 240 && (x + y / 4) % 30 == 5;
            ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = dark ? 0x2a2018u : strand ? 0xf0f0eeu : 0xc89878u;
        }
    save_photo(path, &ph);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "mode=thinning", "area-polygon=0,0 600,0 600,300 0,300", NULL);
    smp_layout *L = make(p);
    size_t on_strand = 0, left = 0, far = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        int x = (int)(L->dots.d[k].x_mm * 4), y = (int)(L->dots.d[k].y_mm * 4);
        if (x < 240) { left++; on_strand += (x + y / 4) % 10 < 2; }
        if (x > 240 + 4 * 15) far++;
    }
    ck_assert_msg(left > 300, "%zu dots among the strands", left);
    ck_assert_msg(on_strand < left / 20, "%zu of %zu dots on white strands", on_strand, left);
    ck_assert_msg(far == 0, "%zu dots on bare skin 15 mm and more from any hair", far);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

/* A 100 x 100 mm shaved head at 6 px/mm: skin with stubble (dark 2 x 2 px
 * specks, STUBBLE per cm^2) everywhere but a bare patch of 20 mm radius in
 * the middle. */
static void stubble_photo(const char *path, int stubble)
{
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 600, 600, &err), SMP_OK);
    for (int y = 0; y < 600; y++)
        for (int x = 0; x < 600; x++) ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = 0xc89a80u;
    uint64_t r = 12345;
    for (int k = 0; k < stubble * 300; k++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        int x = (int)((r >> 33) % 599), y = (int)((r >> 13) % 599);
        if (hypot(x - 300, y - 300) < 120) continue;
        for (int j = 0; j < 2; j++)
            for (int i = 0; i < 2; i++) ((uint32_t *)(ph.px + (size_t)(y + j) * ph.stride))[x + i] = 0x3c3028u;
    }
    save_photo(path, &ph);
}

/* Mean grey of PH within mm radii R0..R1 of the middle. */
static double ring_grey(const photo *ph, double r0, double r1)
{
    double sum = 0;
    size_t n = 0;
    for (int y = 0; y < ph->h; y++)
        for (int x = 0; x < ph->w; x++) {
            double r = hypot(x + 0.5 - 300, y + 0.5 - 300) / 6;
            if (r < r0 || r >= r1) continue;
            uint32_t c = ((const uint32_t *)(ph->px + (size_t)y * ph->stride))[x];
            sum += (((c >> 16) & 255) + ((c >> 8) & 255) + (c & 255)) / 3.0;
            n++;
        }
    return sum / n;
}

/* --density auto on a stubble photo: the match, and the patch's mean grey
 * over the ring's after rendering and before. */
static void match_patch(int stubble, const char *extra, smp_density_match *m, double *after_ratio, double *before_ratio)
{
    char path[] = "/tmp/smpsim-stubble-XXXXXX.png", opt[64], poly[1024] = "patch-polygon=";
    close(mkstemps(path, 4));
    stubble_photo(path, stubble);
    snprintf(opt, sizeof opt, "photo=%s", path);
    size_t k = strlen(poly);
    for (int i = 0; i < 32; i++)
        k += (size_t)snprintf(poly + k, sizeof poly - k, "%.1f,%.1f ", 300 + 120 * cos(i * M_PI / 16),
                              300 + 120 * sin(i * M_PI / 16));
    smp_plan *p = test_plan(opt, "scale=6", "density=auto", "feather-mm=3", poly, extra, NULL);
    smp_error err = {0};
    smp_layout *L = make(p);
    ck_assert(smp_layout_density_match(L, m));
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 600, 600, &err), SMP_OK);
    memcpy(ph.px, L->photo.px, (size_t)ph.stride * ph.h);
    *before_ratio = ring_grey(&ph, 0, 14) / ring_grey(&ph, 26, 32);
    pigment pg;
    pigment_from_settings(&pg, &L->mm);
    ck_assert_int_eq(render_dots(&ph, smp_layout_dots(L), smp_layout_count(L), 6, 0, 0, &pg, &err), SMP_OK);
    *after_ratio = ring_grey(&ph, 0, 14) / ring_grey(&ph, 26, 32);
    photo_free(&ph);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}

START_TEST(patch_density_matches_the_hair_around)
{
    double after, before, after2, before2, after3, before3;
    smp_density_match m1, m2, m3;
    match_patch(40, NULL, &m1, &after, &before);
    /* Bare, the patch is clearly lighter; treated, it reads as the ring. */
    ck_assert_msg(before > 1.025, "the patch is only %.3f lighter before", before);
    ck_assert_msg(!m1.limited, "%s", m1.reason);
    ck_assert_msg(fabs(after - 1) < 0.006, "patch/ring grey %.4f after (density %g)", after, m1.density);
    /* Half the stubble asks for half the dots. */
    match_patch(20, NULL, &m2, &after2, &before2);
    ck_assert_msg(!m2.limited, "%s", m2.reason);
    ck_assert_msg(fabs(after2 - 1) < 0.006, "patch/ring grey %.4f after (density %g)", after2, m2.density);
    ck_assert_msg(m1.density / m2.density > 1.8 && m1.density / m2.density < 2.2, "densities %g and %g", m1.density,
                  m2.density);
    ck_assert_double_eq(m1.darkness, 1);
    /* Heavy stubble: 115 dots/cm^2 at most, darker dots, and it says the
     * patch stays lighter. */
    match_patch(100, NULL, &m3, &after3, &before3);
    ck_assert_msg(m3.limited && m3.density == 115 && m3.darkness == 1, "%g at %g", m3.density, m3.darkness);
    ck_assert_msg(strstr(m3.reason, "will stay lighter"), "%s", m3.reason);
    ck_assert_msg(after3 > 1 && after3 < before3 - 0.03, "patch/ring %.4f after, %.4f before", after3, before3);
    /* With the shade left to smpsim too, less water makes up the rest. */
    smp_density_match m4;
    match_patch(55, "dilution=auto", &m4, &after3, &before3);
    ck_assert_msg(!m4.limited && m4.density == 115 && m4.dilution < 6, "%s", m4.reason);
    /* Dilutions come in halves: within 1 %. */
    ck_assert_msg(fabs(after3 - 1) < 0.01, "patch/ring grey %.4f after (dilution %g)", after3, m4.dilution);
}
END_TEST

START_TEST(patch_density_needs_hair_around)
{
    char path[] = "/tmp/smpsim-bare-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    stubble_photo(path, 0);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=6", "density=auto", "patch-polygon=200,200 400,200 400,400 200,400", NULL);
    smp_layout *L = NULL;
    smp_error err = {0};
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "no hair to match") && strstr(err.msg, path), "%s", err.msg);
    smp_plan_free(p);
    /* Without patches there is nothing to match. */
    p = test_plan(opt, "scale=6", "area-polygon=0,0 600,0 600,600 0,600", NULL);
    ck_assert_int_eq(smp_plan_set(p, "density", "auto", "t", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_EVALUE);
    ck_assert_msg(strstr(err.msg, "needs a photo and --patch-mask or --patch-polygon"), "%s", err.msg);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

/* --compose guides on a plain 240x200 photo at 4 px/mm (60 x 50 mm): the
 * area (10..50 x 10..40 mm, given in photo px) tinted, its 1 cm grid lighter, the hairline
 * drawn, and the photo untouched away from them (no labels, no scale bar). */
START_TEST(guides_mark_the_area_and_nothing_else)
{
    char path[] = "/tmp/smpsim-guides-XXXXXX.png", out[] = "/tmp/smpsim-guides-out-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    close(mkstemps(out, 4));
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 240, 200, &err), SMP_OK);
    for (int y = 0; y < 200; y++)
        for (int x = 0; x < 240; x++) ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = 0xc09070u;
    save_photo(path, &ph);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "area-polygon=40,40 200,40 200,160 40,160", "hairline=straight",
                            "anchors=48,152:120,152:192,152", "face=down", "compose=guides", "no-labels=1", NULL);
    smp_layout *L = make(p);
    ck_assert_msg(smp_preview_write(L, p, out, &err) == SMP_OK, "%s", err.msg);
    photo g;
    int orient;
    ck_assert_msg(image_read_photo(out, SMP_MAX_PIXELS, &g, &orient, &err) == SMP_OK, "%s", err.msg);
    ck_assert_int_eq(g.w, 240);
    ck_assert_int_eq(g.h, 200);
    size_t outside_changed = 0, inside = 0, tinted = 0, grid = 0, line = 0;
    for (int y = 0; y < 200; y++)
        for (int x = 0; x < 240; x++) {
            uint32_t v = ((const uint32_t *)(g.px + (size_t)y * g.stride))[x] & 0xffffffu;
            double mx = (x + 0.5) / 4, my = (y + 0.5) / 4;
            int r = (v >> 16) & 255, gg = (v >> 8) & 255, b = v & 255;
            if (mx > 11 && mx < 49 && my > 11 && my < 39) {
                inside++;
                tinted += b > 0x70 + 10;                                        /* bluer than the skin */
                grid += fabs(mx - 20) < 0.2 && (my < 37 || my > 39) && r > 0xc0 + 5 && gg > 0x90 + 20; /* lighter */
                line += fabs(my - 38) < 0.3 && r > 0xf0 && gg > 0xc0 && b < 0x60;                  /* yellow */
            } else if (mx < 9 || mx > 51 || my < 9 || my > 41) {
                outside_changed += v != 0xc09070u; /* away from the outline; no scale bar */
            }
        }
    ck_assert_msg(outside_changed == 0, "%zu pixels changed outside the area", outside_changed);
    ck_assert_msg(tinted > inside * 9 / 10, "%zu of %zu pixels inside tinted", tinted, inside);
    ck_assert_msg(grid >= 80, "%zu grid pixels on x = 20 mm", grid);
    ck_assert_msg(line >= 100, "%zu hairline pixels", line);
    photo_free(&g);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
    unlink(out);
}
END_TEST

/* A 400x400 top view at 4 px/mm: dense hair over the head, thinning in an
 * oval in its middle, and bare skin (a forearm) in the corner outside it. */
START_TEST(thinning_keeps_to_the_thinning_area)
{
    char path[] = "/tmp/smpsim-crown-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 400, 400, &err), SMP_OK);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            double head = hypot(x - 190, y - 190), thin = hypot((x - 190) / 90.0, (y - 180) / 70.0);
            uint32_t c = 0x303844u; /* a dark blue chair */
            if (hypot(x - 400, y - 400) < 90) c = 0xd9a88cu;
            if (head < 170) {
                int period = thin < 1 ? 30 : 4, width = thin < 1 ? 2 : 3;
                c = (x + y / 3) % period < width ? 0x2a2018u : 0xd9a88cu;
            }
            ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = c;
        }
    save_photo(path, &ph);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "mode=thinning", NULL);
    smp_layout *L = make(p);
    ck_assert_msg(!smp_layout_note(L), "%s", smp_layout_note(L));
    ck_assert(smp_layout_area_confidence(L) > 0.3);
    size_t arm = 0, thin = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        double x = L->dots.d[k].x_mm * 4, y = L->dots.d[k].y_mm * 4;
        arm += hypot(x - 400, y - 400) < 95;
        thin += hypot((x - 190) / 90.0, (y - 180) / 70.0) < 1;
    }
    ck_assert_msg(arm == 0, "%zu dots on the forearm", arm);
    ck_assert_msg(thin > 300 && thin > L->dots.n * 9 / 10, "%zu of %zu dots in the thinning area", thin, L->dots.n);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

/* A 400x800 top view at 4 px/mm, the face up: a wall round the edge; from
 * the top, three bands 40 mm wide of hair over skin, scalp showing between
 * the hairs on 25 %, 50 % and 80 % of it (the hairs, unresolved as in a
 * phone photo, as pixels a third darker at random), then 60 mm of bare
 * skin.  BAND_OF takes the distance down the photo, then across. */
static int band_of(int x, int y)
{
    if (x < 40 || x >= 760 || y < 40 || y >= 360) return -1; /* wall */
    return x < 200 ? 0 : x < 360 ? 1 : x < 520 ? 2 : 3;
}

START_TEST(thinning_is_graded_by_how_much_scalp_shows)
{
    char path[] = "/tmp/smpsim-bands-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 400, 800, &err), SMP_OK);
    static const double hair_share[4] = {0.75, 0.5, 0.2, 0};
    for (int y = 0; y < 800; y++)
        for (int x = 0; x < 400; x++) {
            int b = band_of(y, x);
            uint32_t c = 0xb4b8bcu;
            /* A hair a third of a pixel wide darkens it by a third; a
             * little sensor noise on everything. */
            double f = b >= 0 && rng_unit(rng_hash(3, 9, (uint64_t)x, (uint64_t)y)) < hair_share[b] ? 0.88 : 1;
            double noise = (rng_unit(rng_hash(4, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 10;
            if (b >= 0) c = 0xd9a88cu;
            put_noisy(&ph, x, y, c, f, noise);
        }
    save_photo(path, &ph);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "mode=thinning", "face=up", NULL);
    smp_layout *L = make(p);
    size_t in[3] = {0}, wall = 0, bare = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        int x = (int)(L->dots.d[k].y_mm * 4), y = (int)(L->dots.d[k].x_mm * 4); /* down, across */
        int b = band_of(x, y);
        wall += b < 0;
        if (b == 3 && x >= 520 + 4 * 15) bare++;
        /* Each band's middle, 5 mm clear of its neighbours and the wall. */
        if (b >= 0 && b < 3 && y >= 60 && y < 340 && x >= 40 + 160 * b + 20 && x < 200 + 160 * b - 20) in[b]++;
    }
    double cm2 = (120 / 4.0) * (280 / 4.0) / 100;
    double d[3] = {in[0] / cm2, in[1] / cm2, in[2] / cm2};
    ck_assert_msg(d[1] > 1.3 * d[0] && d[2] > 1.3 * d[1] && d[2] > 10,
                  "dots/cm^2 where 25 %%, 50 %%, 80 %% of the scalp shows: %.1f, %.1f, %.1f", d[0], d[1], d[2]);
    ck_assert_msg(bare == 0, "%zu dots on bare skin 15 mm and more from any hair", bare);
    ck_assert_msg(wall == 0, "%zu dots on the wall", wall);
    smp_layout_free(L);
    smp_plan_free(p);
    if (!getenv("KEEP")) unlink(path);
    else fprintf(stderr, "%s\n", path);
}
END_TEST

/* A 400x400 top view at 4 px/mm: a wall 10 mm wide round a head of hair
 * with a bare disc of 22 mm radius in its middle, a crown's bald vertex.
 * The hair round it is thin (dark strands a pixel wide every 4 px, the
 * scalp showing between) or, DENSE, dark all over (a bald patch in a full
 * head of hair).  A little sensor noise on everything. */
static void ringed_photo(const char *path, int dense, int channel)
{
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 400, 400, &err), SMP_OK);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            int wall = x < 40 || x >= 360 || y < 40 || y >= 360;
            /* CHANNEL: bare skin-coloured pixels from the disc down past
             * the head to the photo's edge (grey hair misread as skin, say). */
            int bare = hypot(x - 200, y - 200) < 4 * 22 || (channel && y > 200 && abs(x - 200) < 20);
            int strand = !wall && !bare && (dense || (x + y / 3) % 4 == 0);
            double noise = (rng_unit(rng_hash(5, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 8;
            put_noisy(&ph, x, y, wall && !bare ? 0xb4b8bcu : strand ? 0x2a2018u : 0xd9a88cu, 1, noise);
        }
    save_photo(path, &ph);
}

START_TEST(thinning_treats_a_bald_vertex_ringed_by_thin_hair)
{
    /* Bare skin far from hair is not thinning (a forehead, a bald patch),
     * but a crown's bald middle ringed by thinning hair is: its core, 16
     * mm and more from the hair, gets dots; in dense hair it gets none.
     * Bare pixels running on from it out of the area to the photo's edge
     * do not count: within the area it is ringed all the same. */
    for (int variant = 0; variant < 3; variant++) {
        int dense = variant == 1;
        char path[] = "/tmp/smpsim-vertex-XXXXXX.png", opt[64];
        close(mkstemps(path, 4));
        ringed_photo(path, dense, variant == 2);
        snprintf(opt, sizeof opt, "photo=%s", path);
        /* With the channel, the area stops 8 mm below the disc. */
        smp_plan *p = test_plan(opt, "scale=4", "mode=thinning",
                                variant == 2 ? "area-polygon=40,40 360,40 360,320 40,320" : "area-polygon=40,40 360,40 360,360 40,360",
                                NULL);
        smp_layout *L = make(p);
        size_t core = 0, ring = 0;
        for (size_t k = 0; k < L->dots.n; k++) {
            double r = hypot(L->dots.d[k].x_mm - 50, L->dots.d[k].y_mm - 50);
            core += r < 6;
            ring += r > 25 && r < 35;
        }
        if (dense) {
            ck_assert_msg(core == 0, "%zu dots in a bald patch's core in dense hair", core);
        } else {
            /* 1.1 cm^2 at the plan's 80 dots/cm^2 is about 90. */
            ck_assert_msg(core > 45, "%zu dots in the bald vertex's core%s", core, variant == 2 ? " (bare pixels run on out of the area)" : "");
            ck_assert_msg(ring > 100, "%zu dots among the thin hair round it", ring);
        }
        smp_layout_free(L);
        smp_plan_free(p);
        unlink(path);
    }
}
END_TEST

/* A 400x400 top view at 4 px/mm, the face down (the default) and out of
 * view: a wall round a head that fills the photo; a crown with a few
 * strands, thin hair around it (lit strands, a pixel wide and 2.5 mm
 * apart, pale enough to leave the skin skin-coloured) whose lower edge
 * runs 5 mm into the photo's lowest 15 %, dense dark hair round that, a
 * little sensor noise on everything.  Skin with strands over it in that
 * band is the back of the head, not a forehead: thinning mode treats the
 * thin hair down to the band (the band itself is left alone).  With a bare
 * forehead running on into the band instead, it refuses. */
static void top_view_photo(const char *path, int forehead)
{
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 400, 400, &err), SMP_OK);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            double r = hypot((x - 200) / 185.0, (y - 200) / 190.0);
            uint32_t c = 0x8c9cb0u;
            if (r < 1) {
                int period = r < 0.55 ? 40 : r < 0.85 ? 10 : 4;
                c = (x + y / 3) % period >= (r < 0.85 ? 1 : 3) ? 0xd9a88cu : r < 0.85 ? 0xc49882u : 0x2a2018u;
            }
            if (forehead && y > 300 && abs(x - 200) < 110) c = 0xd9a88cu;
            put_noisy(&ph, x, y, c, 1, (rng_unit(rng_hash(5, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 8);
        }
    save_photo(path, &ph);
}

START_TEST(thinning_strands_toward_the_face_are_the_head)
{
    char path[] = "/tmp/smpsim-top-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    top_view_photo(path, 0);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "mode=thinning", NULL);
    smp_layout *L = make(p);
    size_t band = 0, wall = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        double x = L->dots.d[k].x_mm * 4, y = L->dots.d[k].y_mm * 4;
        band += y >= 300 && y < 340 && hypot((x - 200) / 185.0, (y - 200) / 190.0) > 0.55;
        wall += hypot((x - 200) / 185.0, (y - 200) / 190.0) > 1;
    }
    ck_assert_msg(band > 20, "%zu of %zu dots in the thin hair just above the lowest 15 %% of the photo", band,
                  L->dots.n);
    ck_assert_msg(wall == 0, "%zu dots on the wall", wall);
    smp_layout_free(L);
    smp_plan_free(p);
    top_view_photo(path, 1);
    p = test_plan(opt, "scale=4", "mode=thinning", NULL);
    smp_error err = {0};
    L = NULL;
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "toward the face"), "%s", err.msg);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

/* A 400x400 frontal view at 4 px/mm, the face down: long dark hair over
 * the top (strands 2 px wide, 6 px apart: scalp shows between them, but
 * no bare patch anywhere behind the line), bare forehead from y 250, and
 * a hairline drawn along the hair's edge.  Thinning mode treats the thin
 * hair behind the line, and nothing on the forehead beyond the transition
 * zone's front. */
START_TEST(thinning_behind_a_line_with_no_bare_patch)
{
    char path[] = "/tmp/smpsim-long-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 400, 400, &err), SMP_OK);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            uint32_t c = y < 250 && (x + y / 3) % 6 < 2 ? 0x2a2018u : 0xd9a88cu;
            put_noisy(&ph, x, y, c, 1, (rng_unit(rng_hash(6, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 8);
        }
    save_photo(path, &ph);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "mode=thinning", "face=down", "hairline=rounded",
                            "anchors=20,260:200,250:380,260", NULL);
    smp_layout *L = make(p);
    size_t behind = 0, forehead = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        double y = L->dots.d[k].y_mm * 4;
        behind += y < 230;
        forehead += y > 310; /* 15 mm ahead of the line */
    }
    ck_assert_msg(behind > 300, "%zu of %zu dots in the thin hair behind the line", behind, L->dots.n);
    ck_assert_msg(forehead == 0, "%zu dots on the forehead", forehead);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

START_TEST(mask_errors)
{
    char path[] = "/tmp/smpsim-rmask-XXXXXX.png", opt[96];
    close(mkstemps(path, 4));
    uint8_t px[20 * 10 * 4];
    memset(px, 0, sizeof px);
    for (int i = 3; i < (int)sizeof px; i += 4) px[i] = 255;
    FILE *f = fopen(path, "wb");
    smp_error err = {0};
    ck_assert_int_eq(image_write_png_rgba(f, path, px, 20, 10, 80, &err), SMP_OK);
    fclose(f);
    /* Black everywhere: an empty mask. */
    snprintf(opt, sizeof opt, "scar-mask=%s", path);
    smp_plan *p = test_plan("area-mm=5,2.5", "scale=4", opt, NULL);
    smp_layout *L = NULL;
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "no white pixels") != NULL, "%s", err.msg);
    smp_plan_free(p);
    /* The wrong size. */
    snprintf(opt, sizeof opt, "patch-mask=%s", path);
    p = test_plan("area-mm=50,50", "scale=4", opt, NULL);
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "must be the photo's size, 200x200") != NULL, "%s", err.msg);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

START_TEST(fue_dot_scars_are_found_and_treated_lighter)
{
    /* Skin at 4 px/mm with 40 pale dots of 0.8 mm and one pale 6 mm patch
     * that is not a dot scar. */
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 400, 400, &err), SMP_OK);
    double cx[40], cy[40];
    for (int k = 0; k < 40; k++) { cx[k] = 30 + (k % 8) * 45 + (k / 8) * 3; cy[k] = 30 + (k / 8) * 70; }
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            int pale = hypot(x - 200, y - 370) < 12;
            for (int k = 0; k < 40; k++) pale |= hypot(x - cx[k], y - cy[k]) < 1.6;
            ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = pale ? 0xf0d2c0u : 0xc8987cu;
        }
    soft_mask m;
    size_t count;
    ck_assert_int_eq(regions_find_dot_scars(&ph, 4, &m, &count, &err), SMP_OK);
    ck_assert_msg(count >= 38 && count <= 40, "found %zu of 40", count);
    ck_assert(m.v[(size_t)370 * 400 + 200] == 0); /* the big patch is not a dot scar */
    free(m.v);
    char path[] = "/tmp/smpsim-fue-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    save_photo(path, &ph);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "area-polygon=0,0 400,0 400,400 0,400", "scar-dots=yes", "sessions=1",
                            "density=200", "edge-mm=0", NULL);
    smp_layout *L = make(p);
    double in = 0, out = 0;
    size_t nin = 0, nout = 0;
    for (size_t i = 0; i < L->dots.n; i++) {
        const smp_dot *d = &L->dots.d[i];
        if (d->blown) continue;
        double best = 1e9;
        for (int k = 0; k < 40; k++) best = fmin(best, hypot(d->x_mm * 4 - cx[k], d->y_mm * 4 - cy[k]));
        if (best < 1.5) { in += d->darkness; nin++; }
        else if (best > 12) { out += d->darkness; nout++; }
    }
    ck_assert(nin > 5 && nout > 100);
    ck_assert_msg(in / nin < 0.9 * out / nout, "scar dots %f vs %f", in / nin, out / nout);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

Suite *regions_suite(void)
{
    Suite *s = suite_create("regions");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, scar_is_lighter_and_sparser);
    tcase_add_test(tc, no_dots_outside_patches);
    tcase_add_test(tc, thinning_keeps_dots_off_hair);
    tcase_add_test(tc, thinning_grey_strands_are_hair_and_bare_skin_is_not_thinning);
    tcase_add_test(tc, mask_errors);
    tcase_add_test(tc, thinning_keeps_to_the_thinning_area);
    tcase_add_test(tc, thinning_is_graded_by_how_much_scalp_shows);
    tcase_add_test(tc, thinning_treats_a_bald_vertex_ringed_by_thin_hair);
    tcase_add_test(tc, thinning_strands_toward_the_face_are_the_head);
    tcase_add_test(tc, thinning_behind_a_line_with_no_bare_patch);
    tcase_add_test(tc, guides_mark_the_area_and_nothing_else);
    tcase_add_test(tc, patch_density_matches_the_hair_around);
    tcase_add_test(tc, patch_density_needs_hair_around);
    tcase_add_test(tc, fue_dot_scars_are_found_and_treated_lighter);
    suite_add_tcase(s, tc);
    return s;
}
