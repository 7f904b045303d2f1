/* --shave on a generated head: a bald crown in a ring of long dark hair on
 * a blue background. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "colour.h"
#include "plan.h"
#include "shave.h"

#define W 400
#define H 400
#define PPM 4.0 /* 100 x 100 mm */

static uint64_t lcg(uint64_t *r)
{
    *r = *r * 6364136223846793005ULL + 1442695040888963407ULL;
    return *r >> 33;
}

/* Head: an ellipse of skin (radius 160 px) on blue; STRANDS hair strands
 * over the ring between radius INNER and 160 px. */
static photo head_of(int strands, int inner)
{
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, W, H, &err), SMP_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double r = hypot(x - 200, y - 200);
            ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = r < 160 ? 0xd2a48cu : 0x8aa0bcu;
        }
    uint64_t s = 5;
    for (int k = 0; k < strands; k++) {
        double a = 2 * M_PI * (lcg(&s) % 10000) / 10000.0, r = inner + (double)(lcg(&s) % (unsigned)(156 - inner));
        double x = 200 + r * cos(a), y = 200 + r * sin(a), d = a + 1.2;
        for (int t = 0; t < 24; t++) {
            int xx = (int)(x + t * 0.5 * cos(d)), yy = (int)(y + t * 0.5 * sin(d));
            if (hypot(xx - 200, yy - 200) >= 158) break;
            ((uint32_t *)(ph.px + (size_t)yy * ph.stride))[xx] = 0x2a2220u;
        }
    }
    return ph;
}

static photo head(void) { return head_of(6000, 90); }

/* The skin at radius R of a head lit from the camera: a dome, its light
 * falling toward the outline (radius 160 px), as linear RGB. */
static uint32_t shaded_skin(double r)
{
    double t = fmin(1, r / 160), light = 0.35 + 0.65 * sqrt(1 - 0.9 * t * t);
    double lin[3] = {0.65 * light, 0.40 * light, 0.28 * light};
    uint32_t v = 0;
    for (int c = 0; c < 3; c++) v = v << 8 | (uint32_t)lrint(fmin(255, linear_to_srgb(lin[c])));
    return v;
}

static double lightness(uint32_t v)
{
    uint8_t rgb[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    double lab[3];
    srgb_to_lab(rgb, lab);
    return lab[0];
}

static void run_on(photo head_photo, const char *poly, photo *ph, shave *sh)
{
    *ph = head_photo;
    smp_plan *p = test_plan("area-mm=100,100", poly, "scale=4", NULL);
    settings s = *plan_settings(p);
    area a;
    smp_error err = {0};
    ck_assert_int_eq(area_build(&s, &a, &err), SMP_OK);
    ck_assert_msg(shave_build(ph, PPM, &a, sh, &err) == SMP_OK, "%s", err.msg);
    field f;
    ck_assert_int_eq(field_build(&s, &a, NULL, NULL, &f, &err), SMP_OK);
    ck_assert_int_eq(shave_stubble(sh, &f, &s, &err), SMP_OK);
    field_free(&f);
    area_free(&a);
    smp_plan_free(p);
}

static void run(const char *poly, photo *ph, shave *sh) { run_on(head(), poly, ph, sh); }

/* The area: the whole head (a polygon just inside the outline, in mm). */
static void whole_head(char *poly, size_t size)
{
    size_t k = (size_t)snprintf(poly, size, "area-polygon=");
    for (int i = 0; i < 24; i++)
        k += (size_t)snprintf(poly + k, size - k, "%.2f,%.2f ", 50 + 39 * cos(i * M_PI / 12), 50 + 39 * sin(i * M_PI / 12));
}

START_TEST(hair_in_the_area_is_cut_to_skin)
{
    photo ph;
    shave sh;
    char poly[1024];
    whole_head(poly, sizeof poly);
    run(poly, &ph, &sh);
    ck_assert_msg(sh.shaved.px != NULL, "%s", sh.note);
    ck_assert_msg(sh.cut_cm2 > 20, "cut %.1f cm^2", sh.cut_cm2);
    size_t ring = 0, dark_before = 0, dark_after = 0, bg_changed = 0;
    double l_ring = 0, l_crown = 0;
    int n_crown = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double r = hypot(x - 200, y - 200);
            uint32_t b = ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x];
            uint32_t a = ((uint32_t *)(sh.shaved.px + (size_t)y * sh.shaved.stride))[x];
            if (r > 100 && r < 145) {
                ring++;
                dark_before += lightness(b) < 45;
                dark_after += lightness(a) < 45;
                l_ring += lightness(a);
            }
            if (r < 70) { l_crown += lightness(a); n_crown++; }
            if (r > 172) bg_changed += a != b;
        }
    /* The hair is gone, the skin under it is the crown's, and the
     * background (beyond 3 mm of the head) is untouched. */
    ck_assert_msg(dark_before > ring / 3 && dark_after < ring / 50, "dark %zu -> %zu of %zu", dark_before, dark_after, ring);
    ck_assert_msg(fabs(l_ring / ring - l_crown / n_crown) < 3, "ring L* %.1f, crown %.1f", l_ring / ring, l_crown / n_crown);
    ck_assert_uint_eq(bg_changed, 0);
    /* Hair inside the area gets the impressions, not stubble of its own. */
    ck_assert_uint_eq(sh.stubble.n, 0);
    shave_free(&sh);
    photo_free(&ph);
}
END_TEST

/* Under the hair, the skin is lit as the head's shape says: on a dome
 * whose light falls toward its outline, the cut ring takes the falloff
 * the bare skin shows, not the light of the crown beside it. */
START_TEST(the_skin_under_the_hair_follows_the_heads_shading)
{
    photo ph = head_of(6000, 90);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double r = hypot(x - 200, y - 200);
            uint32_t *v = &((uint32_t *)(ph.px + (size_t)y * ph.stride))[x];
            if (r < 160 && *v != 0x2a2220u) *v = shaded_skin(r);
        }
    shave sh;
    char poly[1024];
    whole_head(poly, sizeof poly);
    photo before = ph;
    run_on(ph, poly, &before, &sh);
    ck_assert_msg(sh.shaved.px != NULL, "%s", sh.note);
    double err = 0;
    size_t n = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double r = hypot(x - 200, y - 200);
            uint32_t b = ((uint32_t *)(before.px + (size_t)y * before.stride))[x];
            if (r < 100 || r > 150 || b != 0x2a2220u) continue;
            err += fabs(lightness(((uint32_t *)(sh.shaved.px + (size_t)y * sh.shaved.stride))[x]) - lightness(shaded_skin(r)));
            n++;
        }
    ck_assert_msg(n > 1000 && err / n < 2.5, "mean |dL*| %.2f over %zu hair pixels", err / n, n);
    shave_free(&sh);
    photo_free(&before);
}
END_TEST

START_TEST(a_crown_in_long_hair_is_left_alone)
{
    photo ph;
    shave sh;
    run("area-polygon=30,30 70,30 70,70 30,70", &ph, &sh);
    ck_assert_ptr_null(sh.shaved.px);
    ck_assert_uint_eq(sh.stubble.n, 0);
    ck_assert_msg(strstr(sh.note, "long hair surrounds the area"), "%s", sh.note);
    shave_free(&sh);
    photo_free(&ph);
}
END_TEST

/* A head of dense hair but a small bare crown, the whole head the area:
 * under the hair the skin and its light are not known, and a flat fill of
 * the few pixels between strands would be a dark cap.  Nothing is cut. */
START_TEST(a_head_of_dense_hair_is_not_guessed_at)
{
    photo ph;
    shave sh;
    char poly[1024];
    whole_head(poly, sizeof poly);
    run_on(head_of(60000, 30), poly, &ph, &sh);
    ck_assert_ptr_null(sh.shaved.px);
    ck_assert_msg(strstr(sh.note, "too little skin shows"), "%s", sh.note);
    shave_free(&sh);
    photo_free(&ph);
}
END_TEST

Suite *shave_suite(void)
{
    Suite *s = suite_create("shave");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, hair_in_the_area_is_cut_to_skin);
    tcase_add_test(tc, the_skin_under_the_hair_follows_the_heads_shading);
    tcase_add_test(tc, a_crown_in_long_hair_is_left_alone);
    tcase_add_test(tc, a_head_of_dense_hair_is_not_guessed_at);
    suite_add_tcase(s, tc);
    return s;
}
