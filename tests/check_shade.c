#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "colour.h"
#include "shade.h"

/* A 200x200 photo: skin of grey level G tinted warm, with a ring of hair
 * of level H around a bald middle. */
static void synthetic(photo *p, int g, int h)
{
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(p, 200, 200, &err), SMP_OK);
    for (int y = 0; y < 200; y++)
        for (int x = 0; x < 200; x++) {
            double r = hypot(x - 100, y - 100);
            int v = r > 70 ? h : g, noise = (x * 7 + y * 13) % 9 - 4;
            int rr = v + 12 + noise, gg = v + noise, bb = v - 10 + noise;
            rr = rr < 0 ? 0 : rr > 255 ? 255 : rr;
            gg = gg < 0 ? 0 : gg > 255 ? 255 : gg;
            bb = bb < 0 ? 0 : bb > 255 ? 255 : bb;
            ((uint32_t *)(p->px + (size_t)y * p->stride))[x] = (uint32_t)rr << 16 | (uint32_t)gg << 8 | (uint32_t)bb;
        }
}

static void bald_middle(uint8_t *mask)
{
    for (int y = 0; y < 200; y++)
        for (int x = 0; x < 200; x++) mask[y * 200 + x] = hypot(x - 100, y - 100) < 60;
}

START_TEST(dilution_grows_with_skin_lightness)
{
    uint8_t *mask = malloc(200 * 200);
    bald_middle(mask);
    double prev = -1, prev_l = 0;
    for (int g = 40; g <= 230; g += 10) {
        photo p;
        shade sh;
        smp_error err = {0};
        synthetic(&p, g, 25);
        ck_assert_int_eq(shade_measure(&p, mask, "synthetic", &sh, &err), SMP_OK);
        ck_assert(sh.skin_lab[0] > prev_l);
        ck_assert_msg(sh.dilution >= prev, "skin %d: dilution %g after %g", g, sh.dilution, prev);
        ck_assert(sh.hair_lab[0] < 20);
        if (g <= 60) ck_assert_msg(sh.dilution <= 1, "dark skin, dark hair: %g", sh.dilution);
        ck_assert(strstr(sh.reason, "parts water") != NULL);
        prev = sh.dilution;
        prev_l = sh.skin_lab[0];
        photo_free(&p);
    }
    ck_assert(prev >= 6);
    /* Lighter hair on the same skin: more water, never less. */
    ck_assert(shade_dilution(75, 60) > shade_dilution(75, 15));
    free(mask);
}
END_TEST

START_TEST(lab_reference_values)
{
    uint8_t white[3] = {255, 255, 255}, black[3] = {0, 0, 0}, red[3] = {255, 0, 0};
    double lab[3];
    srgb_to_lab(white, lab);
    ck_assert_double_eq_tol(lab[0], 100, 0.01);
    ck_assert_double_eq_tol(lab[1], 0, 0.01);
    srgb_to_lab(black, lab);
    ck_assert_double_eq_tol(lab[0], 0, 0.01);
    srgb_to_lab(red, lab);
    ck_assert_double_eq_tol(lab[0], 53.24, 0.05);
    ck_assert_double_eq_tol(lab[1], 80.09, 0.1);
    ck_assert_double_eq_tol(lab[2], 67.20, 0.1);
}
END_TEST

Suite *shade_suite(void)
{
    Suite *s = suite_create("shade");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, dilution_grows_with_skin_lightness);
    tcase_add_test(tc, lab_reference_values);
    suite_add_tcase(s, tc);
    return s;
}
