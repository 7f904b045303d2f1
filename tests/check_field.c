#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "field.h"
#include "layout.h"
#include "plan.h"

typedef struct fixture {
    smp_plan *plan;
    area a;
    hairline hl;
    field f;
} fixture;

static void make(fixture *x, smp_plan *p, int with_line)
{
    smp_error err = {0};
    memset(x, 0, sizeof *x);
    x->plan = p;
    ck_assert_int_eq(area_build(plan_settings(p), &x->a, &err), SMP_OK);
    if (with_line) ck_assert_int_eq(hairline_build(plan_settings(p), x->a.w, x->a.h, &x->hl, &err), SMP_OK);
    ck_assert_msg(field_build(plan_settings(p), &x->a, with_line ? &x->hl : NULL, NULL, &x->f, &err) == SMP_OK, "%s", err.msg);
}

static void drop(fixture *x)
{
    field_free(&x->f);
    hairline_free(&x->hl);
    area_free(&x->a);
    smp_plan_free(x->plan);
}

START_TEST(signed_distance_for_every_face)
{
    struct { const char *face, *line; vec2 behind, ahead; } cases[] = {
        {"down", "0,50 100,50", {50, 40}, {50, 53}},
        {"up", "0,50 100,50", {50, 60}, {50, 47}},
        {"right", "50,0 50,100", {40, 50}, {53, 50}},
        {"left", "50,0 50,100", {60, 50}, {47, 50}},
    };
    for (int i = 0; i < 4; i++) {
        fixture x;
        char face[32], line[64];
        snprintf(face, sizeof face, "face=%s", cases[i].face);
        snprintf(line, sizeof line, "hairline-points=%s", cases[i].line);
        make(&x, test_plan("area-mm=100,100", face, line, "wave-mm=0", "irregularity=0", "asymmetry-mm=0", NULL), 1);
        ck_assert_double_eq_tol(field_signed_distance(&x.f, cases[i].behind), 10, 0.05);
        ck_assert_double_eq_tol(field_signed_distance(&x.f, cases[i].ahead), -3, 0.05);
        drop(&x);
    }
}
END_TEST

START_TEST(hairline_profile)
{
    fixture x;
    make(&x, test_plan("area-mm=100,100", "hairline-points=0,50 100,50", "wave-mm=0", "irregularity=0",
                       "asymmetry-mm=0", "density=80", "transition-mm=6", "sentinel-mm=3", "sentinel-share=0.06", NULL), 1);
    double full = 0.8;
    smp_dot_kind kind;
    double t;
    ck_assert_double_eq_tol(field_density(&x.f, v2(50, 20), &t, &kind), full, 1e-9);
    ck_assert_int_eq(kind, SMP_DOT_REGULAR);
    ck_assert_double_eq(t, 1);
    /* The zone straddles the line: its front is LEAD ahead, the sentinel
     * band 3 mm further; at the line a region darkens half as much as at
     * full density (dots there are smaller and lighter: sampler.c). */
    double lead = x.f.lead, front = 50 + lead;
    ck_assert_msg(lead > 0.5 && lead < 3, "lead %f mm", lead);
    ck_assert_double_eq(field_density(&x.f, v2(50, front + 3.2), NULL, NULL), 0);
    ck_assert_double_eq(field_density(&x.f, v2(50, 80), NULL, NULL), 0);
    ck_assert_double_eq_tol(field_density(&x.f, v2(50, front + 1.5), &t, &kind), 0.06 * full, 1e-6);
    ck_assert_int_eq(kind, SMP_DOT_SENTINEL);
    double at_line = field_density(&x.f, v2(50, 50), &t, &kind) / full, size = 0.8 + 0.2 * t;
    ck_assert_int_eq(kind, SMP_DOT_TRANSITION);
    ck_assert_msg(fabs(at_line * size * size * (0.75 + 0.25 * t) - 0.5) < 0.02, "at the line %f of full", at_line);
    /* Rising through the transition zone; 2 mm bands: under 90 % before
     * half the zone, within 10 % in the last band. */
    double prev = 0;
    for (double e = 0.05; e < 6; e += 0.1) {
        double v = field_density(&x.f, v2(50, front - e), NULL, &kind);
        ck_assert_int_eq(kind, SMP_DOT_TRANSITION);
        ck_assert(v >= prev - 1e-12);
        prev = v;
    }
    double band[3] = {0, 0, 0};
    for (int b = 0; b < 3; b++) {
        for (int k = 0; k < 100; k++) band[b] += field_density(&x.f, v2(50, front - (2 * b + (k + 0.5) / 50)), NULL, NULL);
        band[b] /= 100 * full;
    }
    ck_assert(band[0] < 0.9 && band[1] < 0.9);
    ck_assert(band[2] >= 0.9);
    drop(&x);
}
END_TEST

START_TEST(integral_and_area)
{
    fixture x;
    make(&x, test_plan("area-mm=120,80", "density=40:100", NULL), 0);
    ck_assert_double_eq_tol(field_integrate(&x.f, 0.5, 1e6), 120 * 80 * 0.7, 1e-6 * 6720);
    ck_assert_double_eq_tol(field_density(&x.f, v2(0, 10), NULL, NULL), 0.4, 1e-9);
    ck_assert_double_eq_tol(field_density(&x.f, v2(60, 10), NULL, NULL), 0.7, 1e-9);
    ck_assert_double_eq(field_density(&x.f, v2(121, 10), NULL, NULL), 0);
    drop(&x);
    make(&x, test_plan("area-polygon=0,0 100,0 0,100", "density=50", NULL), 0);
    ck_assert_double_eq_tol(field_integrate(&x.f, 0.25, 1e6), 5000 * 0.5, 0.01 * 2500);
    ck_assert_double_eq(field_density(&x.f, v2(60, 60), NULL, NULL), 0);
    drop(&x);
}
END_TEST

START_TEST(soft_edge_on_bare_skin_narrow_beside_hair)
{
    /* A 60 mm square on a 100 mm "photo" (the photo setting is all the
     * field looks at); beside its right edge the photo is darker (hair). */
    smp_plan *p = test_plan("area-mm=100,100", "area-polygon=20,20 80,20 80,80 20,80", NULL);
    settings s = *plan_settings(p);
    s.photo = (char *)"photo.png";
    s.edge_mm = 5;
    area a;
    smp_error err = {0};
    ck_assert_int_eq(area_build(&s, &a, &err), SMP_OK);
    a.not_bare = (grey_image){200, 200, calloc(200 * 200, 1)};
    a.not_bare_scale = 2;
    for (int y = 0; y < 200; y++)
        for (int x = 161; x < 200; x++) a.not_bare.px[(size_t)y * 200 + x] = 255;
    /* Below it, sparse stubble: a dark pixel every 1.5 mm each way, the
     * skin between them bare. */
    for (int y = 162; y < 200; y += 3)
        for (int x = 0; x < 161; x += 3) a.not_bare.px[(size_t)y * 200 + x] = 255;
    field f;
    ck_assert_int_eq(field_build(&s, &a, NULL, NULL, &f, &err), SMP_OK);
    double full = field_density(&f, v2(50, 50), NULL, NULL), left = 0, right = 0, mid = 0, bottom = 0;
    for (int k = 0; k < 40; k++) {
        double y = 30 + k;
        left += field_density(&f, v2(21.5, y), NULL, NULL) / 40;
        mid += field_density(&f, v2(22.5 + 5, y), NULL, NULL) / 40;
        right += field_density(&f, v2(78.5, y), NULL, NULL) / 40;
        bottom += field_density(&f, v2(y, 78.5), NULL, NULL) / 40;
    }
    /* Sparse stubble is no blend: the edge beside it as on bare skin. */
    ck_assert_msg(bottom < 0.55 * full && bottom > 0.05 * full, "bottom %f of %f", bottom, full);
    /* 1.5 mm in from bare skin: a fraction; 7.5 mm in: full; 1.5 mm in
     * from the hair: full, the hair is the blend. */
    ck_assert_msg(left < 0.55 * full && left > 0.05 * full, "left %f of %f", left, full);
    ck_assert_msg(mid > 0.95 * full, "7.5 mm in %f of %f", mid, full);
    ck_assert_msg(right > 0.9 * full, "right %f of %f", right, full);
    ck_assert_double_eq(field_density(&f, v2(19, 50), NULL, NULL), 0);
    field_free(&f);
    area_free(&a);
    smp_plan_free(p);
}
END_TEST

START_TEST(soft_edge_kept_and_reused)
{
    /* The edge a field keeps gives the same densities when reused; the
     * edge of another area gives its own (the reuse is what is drawn). */
    smp_plan *p = test_plan("area-mm=100,100", "area-polygon=20,20 80,20 80,80 20,80", NULL);
    smp_plan *q = test_plan("area-mm=100,100", "area-polygon=40,20 80,20 80,80 40,80", NULL);
    settings s = *plan_settings(p), t = *plan_settings(q);
    s.photo = t.photo = (char *)"photo.png";
    s.edge_mm = t.edge_mm = 5;
    area a, b;
    smp_error err = {0};
    ck_assert_int_eq(area_build(&s, &a, &err), SMP_OK);
    ck_assert_int_eq(area_build(&t, &b, &err), SMP_OK);
    field f, keep = {0}, g, other, h;
    ck_assert_int_eq(field_build(&s, &a, NULL, NULL, &f, &err), SMP_OK);
    ck_assert_int_eq(field_keep_edge(&f, &keep, &err), SMP_OK);
    ck_assert_ptr_nonnull(keep.edge);
    ck_assert_int_eq(field_build_edge_from(&s, &a, NULL, NULL, &keep, &g, &err), SMP_OK);
    for (int k = 0; k < 100; k++) {
        vec2 at = v2(15 + 0.7 * k, 50 + 0.3 * k);
        ck_assert_double_eq(field_density(&f, at, NULL, NULL), field_density(&g, at, NULL, NULL));
    }
    /* Area b's edge on area a: at x = 22 mm, inside a but far from b's edge. */
    ck_assert_int_eq(field_build(&t, &b, NULL, NULL, &other, &err), SMP_OK);
    ck_assert_int_eq(field_keep_edge(&other, &keep, &err), SMP_OK);
    ck_assert_int_eq(field_build_edge_from(&s, &a, NULL, NULL, &keep, &h, &err), SMP_OK);
    ck_assert_msg(field_density(&h, v2(22, 50), NULL, NULL) != field_density(&f, v2(22, 50), NULL, NULL),
                  "the reused edge was not used");
    field_free(&f);
    field_free(&g);
    field_free(&h);
    field_free(&other);
    field_free(&keep);
    area_free(&a);
    area_free(&b);
    smp_plan_free(p);
    smp_plan_free(q);
}
END_TEST

/* Whether P is inside the closed polygon of N corners (even-odd), on its
 * own here rather than through geom.c, which the area uses. */
static int inside(const double (*c)[2], int n, double x, double y)
{
    int in = 0;
    for (int i = 0, j = n - 1; i < n; j = i++)
        if ((c[i][1] > y) != (c[j][1] > y) && x < (c[j][0] - c[i][0]) * (y - c[i][1]) / (c[j][1] - c[i][1]) + c[i][0])
            in = !in;
    return in;
}

START_TEST(exclusions_keep_dots_out)
{
    /* Two exclusions in a 100 mm square (a square and a triangle), a third
     * overlapping the first by 10 x 10 mm, a fourth reaching past the
     * frame's corner: no dot inside any, and the treated area is what is
     * left, each overlap counted once. */
    static const double sq[4][2] = {{10, 10}, {40, 10}, {40, 40}, {10, 40}};
    static const double tri[3][2] = {{60, 50}, {90, 55}, {70, 90}};
    static const double over[4][2] = {{30, 30}, {50, 30}, {50, 50}, {30, 50}};
    static const double past[4][2] = {{-10, 90}, {10, 90}, {10, 110}, {-10, 110}};
    smp_plan *p = test_plan("area-mm=100,100", "density=80", "sessions=1",
                            "exclude-polygon=10,10 40,10 40,40 10,40 | 60,50 90,55 70,90 | 30,30 50,30 50,50 30,50 | "
                            "-10,90 10,90 10,110 -10,110",
                            NULL);
    smp_layout *L = NULL;
    smp_error err = {0};
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    double tri_area = fabs(60.0 * (55 - 90) + 90.0 * (90 - 50) + 70.0 * (50 - 55)) / 2;
    double left = 10000 - 900 - tri_area - 300 - 100;
    ck_assert_msg(fabs(L->area.area_mm2 - left) < 0.005 * left, "area %f mm^2, expected %f", L->area.area_mm2, left);
    size_t in_any = 0, near = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        double x = L->dots.d[k].x_mm, y = L->dots.d[k].y_mm;
        in_any += inside(sq, 4, x, y) || inside(tri, 3, x, y) || inside(over, 4, x, y) || inside(past, 4, x, y);
        near += x > 40 && x < 41 && y > 12 && y < 28; /* just beside the square's right edge */
    }
    ck_assert_msg(in_any == 0, "%zu dots inside the exclusions", in_any);
    ck_assert_msg(near > 0, "no dots beside the exclusion: it reaches past its outline");
    /* Without a photo there is no soft edge: the count follows the area. */
    ck_assert_msg(fabs(L->dots.n / (left * 0.8) - 1) < 0.03, "%zu dots on %f mm^2", L->dots.n, left);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

START_TEST(soft_edge_at_an_exclusion)
{
    /* On a "photo", the edge fades toward an exclusion as toward the
     * area's own edge: 1.5 mm from it a fraction of full, 7.5 mm full. */
    smp_plan *p = test_plan("area-mm=100,100", "area-polygon=0,0 100,0 100,100 0,100",
                            "exclude-polygon=40,20 60,20 60,80 40,80", NULL);
    settings s = *plan_settings(p);
    s.photo = (char *)"photo.png";
    s.edge_mm = 5;
    area a;
    smp_error err = {0};
    ck_assert_int_eq(area_build(&s, &a, &err), SMP_OK);
    field f;
    ck_assert_int_eq(field_build(&s, &a, NULL, NULL, &f, &err), SMP_OK);
    double full = field_density(&f, v2(20, 50), NULL, NULL), near = 0, far = 0;
    for (int k = 0; k < 40; k++) {
        near += field_density(&f, v2(61.5, 30 + k), NULL, NULL) / 40;
        far += field_density(&f, v2(67.5, 30 + k), NULL, NULL) / 40;
        ck_assert_double_eq(field_density(&f, v2(59.9, 30 + k), NULL, NULL), 0);
    }
    ck_assert_msg(near < 0.55 * full && near > 0.05 * full, "1.5 mm from it %f of %f", near, full);
    ck_assert_msg(far > 0.95 * full, "7.5 mm from it %f of %f", far, full);
    field_free(&f);
    area_free(&a);
    smp_plan_free(p);
}
END_TEST

Suite *field_suite(void)
{
    Suite *s = suite_create("field");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, signed_distance_for_every_face);
    tcase_add_test(tc, hairline_profile);
    tcase_add_test(tc, integral_and_area);
    tcase_add_test(tc, soft_edge_on_bare_skin_narrow_beside_hair);
    tcase_add_test(tc, soft_edge_kept_and_reused);
    tcase_add_test(tc, exclusions_keep_dots_out);
    tcase_add_test(tc, soft_edge_at_an_exclusion);
    suite_add_tcase(s, tc);
    return s;
}
