#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_suites.h"
#include "hairline.h"
#include "noise.h"
#include "plan.h"

static const hairline_shape shapes[] = {SHAPE_STRAIGHT, SHAPE_ROUNDED, SHAPE_WIDOWS_PEAK, SHAPE_MATURE,
                                        SHAPE_M, SHAPE_BOXED, SHAPE_BROKEN, SHAPE_FEMALE};

START_TEST(shape_functions_meet_the_anchors)
{
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        hairline_shape s = shapes[i];
        ck_assert_double_eq_tol(hairline_bulge(s, 0), 1, 1e-12);
        ck_assert_double_eq_tol(hairline_bulge(s, -1), 0, 1e-12);
        ck_assert_double_eq_tol(hairline_bulge(s, 1), 0, 1e-12);
        ck_assert_double_eq_tol(hairline_recession(s, 0, 65), 0, 1e-9);
        ck_assert_double_eq_tol(hairline_recession(s, 1, 65), 0, 1e-9);
        ck_assert_double_eq_tol(hairline_recession(s, -1, 65), 0, 1e-9);
        for (double u = -1; u <= 1; u += 0.01) ck_assert(hairline_recession(s, u, 65) >= 0);
    }
    /* Straight and boxed stay level across most of the width, boxed longer. */
    ck_assert(hairline_bulge(SHAPE_STRAIGHT, 0.6) > 0.95);
    ck_assert(hairline_bulge(SHAPE_BOXED, 0.8) > 0.95);
    ck_assert(hairline_bulge(SHAPE_STRAIGHT, 0.8) < hairline_bulge(SHAPE_BOXED, 0.8));
    ck_assert(hairline_bulge(SHAPE_ROUNDED, 0.6) < 0.7);
    /* Recession: m-shape deeper than mature; female and rounded have none. */
    double mature = 0, m = 0;
    for (double u = 0; u <= 1; u += 0.01) {
        mature = fmax(mature, hairline_recession(SHAPE_MATURE, u, 65));
        m = fmax(m, hairline_recession(SHAPE_M, u, 65));
        ck_assert_double_eq(hairline_recession(SHAPE_FEMALE, u, 65), 0);
    }
    ck_assert(mature > 10 && mature < 20);
    ck_assert(m > mature * 1.5);
}
END_TEST

/* y of the line where it first crosses x (face down frame). */
static double y_at(const hairline *hl, double x)
{
    for (size_t i = 0; i + 1 < hl->n; i++) {
        vec2 a = hl->pts[i], b = hl->pts[i + 1];
        if ((a.x <= x) != (b.x <= x)) return a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x);
    }
    return NAN;
}

static double dist_to_line(const hairline *hl, vec2 p)
{
    double best = INFINITY;
    for (size_t i = 0; i + 1 < hl->n; i++) best = fmin(best, geom_seg_dist2(p, hl->pts[i], hl->pts[i + 1]));
    return sqrt(best);
}

static hairline build(const char *shape, const char *anchors, const char *extra)
{
    smp_plan *p = test_plan("area-mm=200,140", "wave-mm=0", "irregularity=0", "asymmetry-mm=0",
                            extra ? extra : "seed=1", NULL);
    smp_error err = {0};
    ck_assert_int_eq(smp_plan_set(p, "hairline", shape, "--hairline", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_set(p, "anchors", anchors, "--anchors", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_OK);
    hairline hl;
    ck_assert_int_eq(hairline_build(plan_settings(p), 200, 140, &hl, &err), SMP_OK);
    smp_plan_free(p);
    return hl;
}

/* Frontal view: the front midpoint lies away from the face (smaller y);
 * top view: toward it. */
static const char *views[] = {"20,90:100,60:180,90", "20,60:100,90:180,60"};

START_TEST(fit_passes_through_anchors_in_both_views)
{
    const char *names[] = {"straight", "rounded", "widows-peak", "mature", "m-shape", "boxed", "broken", "female"};
    vec2 pts[2][3] = {{{20, 90}, {100, 60}, {180, 90}}, {{20, 60}, {100, 90}, {180, 60}}};
    for (int v = 0; v < 2; v++)
        for (int i = 0; i < 8; i++) {
            hairline hl = build(names[i], views[v], NULL);
            for (int a = 0; a < 3; a++)
                ck_assert_msg(dist_to_line(&hl, pts[v][a]) < 0.3, "%s misses anchor %d in view %d", names[i], a, v);
            /* About 0.5 mm between points. */
            ck_assert(fabs(v2_len(v2_sub(hl.pts[1], hl.pts[0])) - 0.5) < 0.05);
            hairline_free(&hl);
            /* With the default waviness, irregularity and asymmetry too: they
             * fade out at the anchors, so the line stays within 1 mm of each. */
            for (int seed = 1; seed <= 4; seed++) {
                char sd[32];
                snprintf(sd, sizeof sd, "seed=%d", seed);
                smp_plan *p = test_plan("area-mm=200,140", sd, NULL);
                smp_error err = {0};
                ck_assert_int_eq(smp_plan_set(p, "hairline", names[i], "t", 0, &err), SMP_OK);
                ck_assert_int_eq(smp_plan_set(p, "anchors", views[v], "t", 0, &err), SMP_OK);
                ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_OK);
                ck_assert_int_eq(hairline_build(plan_settings(p), 200, 140, &hl, &err), SMP_OK);
                for (int a = 0; a < 3; a++)
                    ck_assert_msg(dist_to_line(&hl, pts[v][a]) < 1.0, "%s, seed %d, misses anchor %d in view %d by %.2f mm",
                                  names[i], seed, a, v, dist_to_line(&hl, pts[v][a]));
                hairline_free(&hl);
                smp_plan_free(p);
            }
        }
}
END_TEST

START_TEST(recession_bends_away_from_the_face_in_both_views)
{
    for (int v = 0; v < 2; v++) {
        hairline round = build("rounded", views[v], NULL), mat = build("mature", views[v], NULL);
        hairline m = build("m-shape", views[v], NULL);
        hairline base = build("widows-peak", views[v], NULL);
        for (int side = -1; side <= 1; side += 2) {
            double x = 100 + side * 0.75 * 80;
            /* Face down: away from the face is smaller y.  Compare with the
             * same bulge (1 - u^4) without recession: b(0.75) = 0.684, the
             * front midpoint 30 mm from the temple line. */
            double plain = v == 0 ? 90 - 30 * 0.684 : 60 + 30 * 0.684;
            ck_assert_msg(y_at(&mat, x) < plain - 8, "view %d: mature does not recede at x=%g", v, x);
            ck_assert_msg(y_at(&m, x) < y_at(&mat, x) - 3, "view %d: m-shape not deeper at x=%g", v, x);
            (void)round;
        }
        /* The m-shape keeps a central tuft: the middle stays at the front. */
        ck_assert_double_eq_tol(y_at(&m, 100), v == 0 ? 60 : 90, 0.3);
        /* Widow's peak: the point at the midpoint, the line 1 cm back either side. */
        ck_assert(y_at(&base, 100) > y_at(&base, 85) + 4);
        ck_assert(y_at(&base, 100) > y_at(&base, 115) + 4);
        hairline_free(&round); hairline_free(&mat); hairline_free(&m); hairline_free(&base);
    }
}
END_TEST

START_TEST(irregularity_and_asymmetry)
{
    /* Asymmetry never exceeds the setting, and the seed varies it. */
    double most = 0;
    for (int seed = 1; seed <= 12; seed++) {
        char sd[32];
        snprintf(sd, sizeof sd, "seed=%d", seed);
        smp_plan *p = test_plan("area-mm=200,140", "wave-mm=0", "irregularity=0", "asymmetry-mm=2",
                                "hairline=straight", "anchors=20,90:100,60:180,90", sd, NULL);
        hairline hl, ref = build("straight", views[0], sd);
        smp_error err = {0};
        ck_assert_int_eq(hairline_build(plan_settings(p), 200, 140, &hl, &err), SMP_OK);
        double dl = y_at(&hl, 30) - y_at(&ref, 30), dr = y_at(&hl, 170) - y_at(&ref, 170);
        ck_assert(fabs(dl - dr) <= 2.0 + 1e-9);
        most = fmax(most, fabs(dl - dr));
        hairline_free(&hl); hairline_free(&ref);
        smp_plan_free(p);
    }
    ck_assert(most > 0.8);
    /* Waviness moves the line by up to its amplitude, and does move it. */
    smp_plan *p = test_plan("area-mm=200,140", "wave-mm=1.5", "irregularity=0", "asymmetry-mm=0",
                            "hairline=straight", "anchors=20,90:100,60:180,90", NULL);
    hairline hl, ref = build("straight", views[0], NULL);
    smp_error err = {0};
    ck_assert_int_eq(hairline_build(plan_settings(p), 200, 140, &hl, &err), SMP_OK);
    double dmax = 0;
    for (double x = 40; x <= 160; x += 1) dmax = fmax(dmax, fabs(y_at(&hl, x) - y_at(&ref, x)));
    ck_assert(dmax > 0.7 && dmax <= 1.5 + 0.05);
    hairline_free(&hl); hairline_free(&ref);
    smp_plan_free(p);
}
END_TEST

START_TEST(noise_is_bounded_and_smooth)
{
    double lo = 1, hi = -1;
    for (int i = 0; i < 5000; i++) {
        double x = i * 0.037, v = noise2(7, 4, x, x * 0.7), w = noise2(7, 4, x + 0.001, x * 0.7);
        ck_assert(v >= -1 && v <= 1);
        ck_assert(fabs(v - w) < 0.01);
        lo = fmin(lo, v); hi = fmax(hi, v);
    }
    ck_assert(lo < -0.5 && hi > 0.5);
}
END_TEST

/* The signed distance on a grid: behind the line positive, ahead
 * negative, capped at the band; beyond the ends the line runs on across
 * the frame, but in a side view its lower end runs straight back. */
static float side_at(const char *face, const char *anchors, double x, double y)
{
    smp_plan *p = test_plan("area-mm=200,200", "hairline=straight", "wave-mm=0", "irregularity=0", "asymmetry-mm=0", NULL);
    smp_error err = {0};
    ck_assert_int_eq(smp_plan_set(p, "face", face, "t", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_set(p, "anchors", anchors, "t", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_OK);
    hairline hl;
    ck_assert_int_eq(hairline_build(plan_settings(p), 200, 200, &hl, &err), SMP_OK);
    float sd[1];
    ck_assert_int_eq(hairline_distance_grid(&hl, x, y, 1, 1, 1, 30, 1, sd, &err), SMP_OK);
    hairline_free(&hl);
    smp_plan_free(p);
    return sd[0];
}

START_TEST(line_sides_in_front_and_side_views)
{
    /* A frontal view: the line at y = 100 from x = 50 to 150, the face down. */
    const char *front = "50,100:100,100:150,100";
    ck_assert_float_eq_tol(side_at("down", front, 100, 90), 10, 0.01);
    ck_assert_float_eq_tol(side_at("down", front, 100, 120), -20, 0.01);
    ck_assert_float_eq_tol(side_at("down", front, 100, 10), 30, 0.01);   /* capped at the band */
    ck_assert_float_eq_tol(side_at("down", front, 20, 90), 10, 0.01);    /* beyond the temple: on across */
    ck_assert_float_eq_tol(side_at("down", front, 180, 110), -10, 0.01);
    /* A side view: the face left, the line from the top (100,50) down to
     * the temple (100,150).  Behind it, above the temple: positive; below
     * the temple, behind as well as ahead, is the face's side. */
    const char *side = "100,50:100,100:100,150";
    ck_assert_float_eq_tol(side_at("left", side, 110, 100), 10, 0.01);
    ck_assert_float_eq_tol(side_at("left", side, 90, 100), -10, 0.01);
    ck_assert_float_eq_tol(side_at("left", side, 150, 140), 10, 0.01); /* 10 above the level end */
    ck_assert_float_lt(side_at("left", side, 150, 165), 0);                  /* the ear, below the temple */
    ck_assert_float_eq_tol(side_at("left", side, 150, 165), -15, 0.01);
    ck_assert_float_lt(side_at("left", side, 60, 180), 0);                   /* the cheek */
    ck_assert_float_gt(side_at("left", side, 120, 20), 0);                   /* the top of the head, above the line */
    /* The face right mirrors it. */
    ck_assert_float_lt(side_at("right", side, 50, 165), 0);
    ck_assert_float_gt(side_at("right", side, 50, 140), 0);
}
END_TEST

Suite *hairline_suite(void)
{
    Suite *s = suite_create("hairline");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, shape_functions_meet_the_anchors);
    tcase_add_test(tc, fit_passes_through_anchors_in_both_views);
    tcase_add_test(tc, recession_bends_away_from_the_face_in_both_views);
    tcase_add_test(tc, irregularity_and_asymmetry);
    tcase_add_test(tc, noise_is_bounded_and_smooth);
    tcase_add_test(tc, line_sides_in_front_and_side_views);
    suite_add_tcase(s, tc);
    return s;
}
