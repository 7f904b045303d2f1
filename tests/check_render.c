#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "image.h"
#include "layout.h"
#include "plan.h"
#include "render.h"

/* A flat grey photo of W x H mm at PPM px/mm, written as PNG. */
static void flat_photo(const char *path, double w_mm, double h_mm, double ppm, uint8_t grey)
{
    int w = (int)lround(w_mm * ppm), h = (int)lround(h_mm * ppm);
    uint8_t *px = malloc((size_t)w * h * 4);
    for (size_t i = 0; i < (size_t)w * h; i++) { px[4 * i] = px[4 * i + 1] = px[4 * i + 2] = grey; px[4 * i + 3] = 255; }
    FILE *f = fopen(path, "wb");
    smp_error err = {0};
    ck_assert_int_eq(image_write_png_rgba(f, path, px, w, h, w * 4, &err), SMP_OK);
    fclose(f);
    free(px);
}

/* Mean darkening of the red channel, measured and predicted by the ink. */
static void darkening(double ppm, const char *extra, double *measured, double *predicted, size_t *untouched_bad)
{
    char path[] = "/tmp/smpsim-flat-XXXXXX.png", photo_opt[64], scale_opt[32];
    close(mkstemps(path, 4));
    flat_photo(path, 60, 40, ppm, 200);
    snprintf(photo_opt, sizeof photo_opt, "photo=%s", path);
    snprintf(scale_opt, sizeof scale_opt, "scale=%g", ppm);
    /* Dots in the left 40 mm only: the right third must stay untouched. */
    smp_plan *p = test_plan(photo_opt, scale_opt, "area-polygon=0,0 160,0 160,160 0,160", "sessions=1", extra, NULL);
    smp_error err = {0};
    /* The polygon is in photo pixels: 40 mm at this scale. */
    char poly[128];
    double e = 40 * ppm;
    snprintf(poly, sizeof poly, "0,0 %g,0 %g,%g 0,%g", e, e, e, e);
    ck_assert_int_eq(smp_plan_set(p, "area-polygon", poly, "t", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_OK);
    smp_layout *L;
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, L->photo.w, L->photo.h, &err), SMP_OK);
    memcpy(ph.px, L->photo.px, (size_t)ph.stride * ph.h);
    pigment pg;
    pigment_from_settings(&pg, plan_settings(p));
    ck_assert_int_eq(render_dots(&ph, smp_layout_dots(L), smp_layout_count(L), ppm, 0, 0, &pg, NULL, &err), SMP_OK);
    double sum = 0, ink = 0;
    int xe = (int)lround(40 * ppm), ye = (int)lround(40 * ppm);
    for (int y = 0; y < ye; y++)
        for (int x = 0; x < xe; x++) {
            uint32_t v = ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x];
            sum += 1 - ((v >> 16) & 255) / 200.0;
        }
    *measured = sum / ((double)xe * ye);
    for (size_t i = 0; i < smp_layout_count(L); i++) {
        const smp_dot *d = &smp_layout_dots(L)[i];
        ink += M_PI * d->diameter_mm * d->diameter_mm / 4 * d->darkness * (d->blown ? pg.blown_weight[0] : pg.weight[0]);
    }
    *predicted = ink / (40.0 * 40.0);
    *untouched_bad = 0;
    int x0 = (int)ceil(41.5 * ppm);
    for (int y = 0; y < ph.h; y++)
        for (int x = x0; x < ph.w; x++)
            *untouched_bad += ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] != ((uint32_t *)(L->photo.px + (size_t)y * L->photo.stride))[x];
    photo_free(&ph);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}

START_TEST(ink_is_conserved_at_any_resolution)
{
    double m3, p3, m12, p12;
    size_t bad3, bad12;
    darkening(3, "seed=4", &m3, &p3, &bad3);
    darkening(12, "seed=4", &m12, &p12, &bad12);
    ck_assert_msg(fabs(m3 / p3 - 1) < 0.05, "3 px/mm: measured %f predicted %f", m3, p3);
    ck_assert_msg(fabs(m12 / p12 - 1) < 0.05, "12 px/mm: measured %f predicted %f", m12, p12);
    ck_assert_msg(fabs(m3 / m12 - 1) < 0.03, "3 vs 12 px/mm: %f vs %f", m3, m12);
    ck_assert_uint_eq(bad3, 0);
    ck_assert_uint_eq(bad12, 0);
    /* Fresh dots darken more; a lighter dilution less. */
    double mf, pf, md, pd;
    darkening(6, "show=fresh", &mf, &pf, &bad3);
    darkening(6, "dilution=20", &md, &pd, &bad3);
    ck_assert(mf > 2 * m12);
    ck_assert(md < 0.5 * m12);
}
END_TEST

START_TEST(sub_pixel_dot_is_a_faint_smudge)
{
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 8, 8, &err), SMP_OK);
    for (int i = 0; i < 64; i++) ((uint32_t *)ph.px)[i] = 0xc8c8c8;
    smp_dot d = {1.0, 1.0, 0.25, 0.7, 1, SMP_DOT_REGULAR, 0, 0};
    pigment pg;
    settings s;
    memset(&s, 0, sizeof s);
    pigment_from_settings(&pg, &s);
    ck_assert_int_eq(render_dots(&ph, &d, 1, 3.0, 0, 0, &pg, NULL, &err), SMP_OK);
    /* A 0.75 px dot: no pixel black, several pixels touched, and the light
     * removed equals the ink: pi/4 * 0.75^2 * 0.7 * 200 levels. */
    int touched = 0, darkest = 255;
    double removed = 0;
    for (int i = 0; i < 64; i++) {
        int v = (((uint32_t *)ph.px)[i] >> 16) & 255;
        if (v != 200) touched++;
        if (v < darkest) darkest = v;
        removed += 200 - v;
    }
    ck_assert(touched >= 3);
    ck_assert(darkest > 120);
    double want = M_PI / 4 * 0.75 * 0.75 * 0.7 * 200;
    ck_assert_msg(fabs(removed - want) < 0.15 * want + 1, "removed %f want %f", removed, want);
    photo_free(&ph);
}
END_TEST

START_TEST(fresh_dots_redden_the_skin_around_them)
{
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 40, 40, &err), SMP_OK);
    for (int i = 0; i < 1600; i++) ((uint32_t *)ph.px)[i] = 0xc8c8c8;
    smp_dot d = {2.0, 2.0, 0.4, 0.9, 1, SMP_DOT_REGULAR, 0, 1};
    pigment pg;
    settings s;
    memset(&s, 0, sizeof s);
    pigment_from_settings(&pg, &s);
    ck_assert_int_eq(render_dots(&ph, &d, 1, 10.0, 0, 0, &pg, NULL, &err), SMP_OK);
    /* 4 px from the centre, outside the 2 px dot: red kept, green and blue taken. */
    uint32_t v = ((uint32_t *)(ph.px + 20 * ph.stride))[24];
    int r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
    ck_assert_msg(r == 200 && g < 198 && b < g + 1 && g > 180, "halo %d %d %d", r, g, b);
    /* Far away nothing changes. */
    ck_assert_uint_eq(((uint32_t *)(ph.px + 2 * ph.stride))[2], 0xc8c8c8);
    photo_free(&ph);
}
END_TEST

START_TEST(pigment_colour_and_dilution)
{
    settings s;
    pigment pg;
    memset(&s, 0, sizeof s);
    pigment_from_settings(&pg, &s);
    ck_assert_double_eq(pg.strength, 1);
    ck_assert(pg.weight[2] < pg.weight[0]);           /* carbon reads slightly cool */
    ck_assert(pg.blown_weight[2] < pg.weight[2] - 0.1); /* blown out: bluer */
    s.dilution = 20;
    pigment_from_settings(&pg, &s);
    ck_assert(pg.strength > 0.2 && pg.strength < 0.3);
    s.has_pigment = 1;
    s.pigment[0] = 0x60; s.pigment[1] = 0x40; s.pigment[2] = 0x30;
    pigment_from_settings(&pg, &s);
    ck_assert_double_eq(pg.strength, 1);
    ck_assert_double_eq_tol(pg.weight[0], 1 - 0x60 / 255.0, 1e-12);
    ck_assert_double_eq_tol(pg.weight[2], 1 - 0x30 / 255.0, 1e-12);
}
END_TEST

Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ink_is_conserved_at_any_resolution);
    tcase_add_test(tc, sub_pixel_dot_is_a_faint_smudge);
    tcase_add_test(tc, fresh_dots_redden_the_skin_around_them);
    tcase_add_test(tc, pigment_colour_and_dilution);
    suite_add_tcase(s, tc);
    return s;
}
