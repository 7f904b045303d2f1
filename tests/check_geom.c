#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "check_suites.h"
#include "geom.h"

smp_plan *test_plan(const char *first, ...)
{
    smp_plan *p = smp_plan_new();
    smp_error err = {0};
    va_list ap;
    va_start(ap, first);
    for (const char *kv = first; kv; kv = va_arg(ap, const char *)) {
        char key[64];
        const char *eq = strchr(kv, '=');
        ck_assert_ptr_nonnull(eq);
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
        ck_assert_msg(smp_plan_set(p, key, eq + 1, key, 0, &err) == SMP_OK, "%s", err.msg);
    }
    va_end(ap);
    ck_assert_msg(smp_plan_resolve(p, &err) == SMP_OK, "%s", err.msg);
    return p;
}

START_TEST(seg_distance)
{
    vec2 a = v2(0, 0), b = v2(10, 0);
    ck_assert_double_eq_tol(sqrt(geom_seg_dist2(v2(5, 3), a, b)), 3, 1e-12);
    ck_assert_double_eq_tol(sqrt(geom_seg_dist2(v2(-3, 4), a, b)), 5, 1e-12);
    ck_assert_double_eq_tol(sqrt(geom_seg_dist2(v2(13, -4), a, b)), 5, 1e-12);
    ck_assert_double_eq_tol(sqrt(geom_seg_dist2(v2(1, 1), a, a)), sqrt(2), 1e-12);
}
END_TEST

START_TEST(polygon)
{
    vec2 sq[] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    vec2 tri[] = {{0, 0}, {8, 0}, {0, 6}};
    ck_assert_double_eq_tol(geom_polygon_area(sq, 4), 100, 1e-12);
    ck_assert_double_eq_tol(geom_polygon_area(tri, 3), 24, 1e-12);
    ck_assert(geom_in_polygon(v2(5, 5), sq, 4));
    ck_assert(!geom_in_polygon(v2(11, 5), sq, 4));
    ck_assert(geom_in_polygon(v2(1, 1), tri, 3));
    ck_assert(!geom_in_polygon(v2(5, 5), tri, 3));
    ck_assert_double_eq_tol(geom_polygon_edge_dist(v2(5, 3), sq, 4), 3, 1e-12);
}
END_TEST

START_TEST(polygon_crossing)
{
    static const vec2 square[] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    static const vec2 concave[] = {{0, 0}, {10, 0}, {10, 10}, {5, 3}, {0, 10}};
    static const vec2 bowtie[] = {{0, 0}, {10, 10}, {10, 0}, {0, 10}};
    static const vec2 star[] = {{5, 0}, {8, 10}, {0, 4}, {10, 4}, {2, 10}};
    size_t i, j;
    ck_assert(!geom_polygon_crossing(square, 4, &i, &j));
    ck_assert(!geom_polygon_crossing(concave, 5, &i, &j));
    ck_assert(geom_polygon_crossing(bowtie, 4, &i, &j));
    ck_assert_msg(i == 0 && j == 2, "edges %zu and %zu", i, j);
    ck_assert(geom_polygon_crossing(star, 5, &i, &j));
}
END_TEST

/* The chamfer distance from one cell: exact along the rows, columns and
 * diagonals, at most 8.3 % over the true distance elsewhere, in UNIT. */
START_TEST(chamfer_distance)
{
    enum { W = 21, H = 15 };
    float d[W * H];
    for (int i = 0; i < W * H; i++) d[i] = INFINITY;
    d[7 * W + 10] = 0;
    geom_chamfer(d, W, H, 0.5f);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double dx = x - 10, dy = y - 7, e = 0.5 * hypot(dx, dy), got = d[y * W + x];
            if (dx == 0 || dy == 0 || fabs(dx) == fabs(dy))
                ck_assert_msg(fabs(got - e) < 1e-4, "(%d,%d): %g, not %g", x, y, got, e);
            else
                ck_assert_msg(got >= e - 1e-4 && got <= 1.083 * e, "(%d,%d): %g against %g", x, y, got, e);
        }
    ck_assert_float_eq_tol(d[8 * W + 13], 0.5 * (2 + M_SQRT2), 1e-4);
}
END_TEST

Suite *geom_suite(void)
{
    Suite *s = suite_create("geom");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seg_distance);
    tcase_add_test(tc, polygon_crossing);
    tcase_add_test(tc, polygon);
    tcase_add_test(tc, chamfer_distance);
    suite_add_tcase(s, tc);
    return s;
}
