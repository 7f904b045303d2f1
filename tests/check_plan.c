#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "plan.h"

static char tmpdir[64];

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void setup(void)
{
    strcpy(tmpdir, "/tmp/smpsim-check-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(defaults_from_domain)
{
    smp_plan *p = test_plan("area-mm=100,50", NULL);
    const settings *s = plan_settings(p);
    ck_assert_double_eq(s->density1, 80);
    ck_assert_double_eq(s->density2, 80);
    ck_assert_double_eq(s->dot_mm, 0.5);
    ck_assert_double_eq(s->depth_mm, 0.2);
    ck_assert_double_eq(s->darkness, 1);
    ck_assert_double_eq(s->dot_variation, 0.25);
    ck_assert_double_eq(s->transition_mm, 6);
    ck_assert_double_eq(s->asymmetry_mm, 2);
    ck_assert_int_eq(s->shape, SHAPE_NONE);
    ck_assert_int_eq(s->face, FACE_DOWN);
    ck_assert_double_eq(s->area_w, 100);
    ck_assert_double_eq(s->area_h, 50);
    smp_plan_free(p);
}
END_TEST

static smp_status set1(const char *key, const char *value, smp_error *err)
{
    smp_plan *p = smp_plan_new();
    smp_status st = smp_plan_set(p, key, value, "--x", 0, err);
    smp_plan_free(p);
    return st;
}

START_TEST(bad_values)
{
    smp_error err = {0};
    static const char *bad[][2] = {
        {"density", "0"}, {"density", "-5"}, {"density", "abc"}, {"density", "40:"}, {"density", "40:0"},
        {"density", "401"}, {"area-mm", "100"}, {"area-mm", "0,10"}, {"area-mm", "1x2"},
        {"hairline", "zigzag"}, {"anchors", "1,2:3,4"}, {"seed", "-1"}, {"seed", "12abc"},
        {"face", "sideways"}, {"transition-mm", "nan"}, {"area-polygon", "0,0 1,1"},
        {"area-polygon", "0,0 10,0 20,0"}, {"clustering", "maybe"}, {"darkness", "1.5"},
        {"exclude-polygon", "0,0 10,0 0,10 |"}, {"exclude-polygon", "0,0 10,10 10,0 0,10"},
        {"exclude-polygon", "0,0 10,0 0,10 | 5,5 6,6 7,7"}, {"exclude-polygon", "0,0 10,0 0,10 || 0,0 9,0 0,9"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&err, 0, sizeof err);
        ck_assert_msg(set1(bad[i][0], bad[i][1], &err) == SMP_EVALUE, "%s=%s accepted", bad[i][0], bad[i][1]);
        ck_assert_int_eq(err.from_file, 0);
        ck_assert_msg(strstr(err.msg, bad[i][1]) != NULL, "message '%s' does not quote the value", err.msg);
        ck_assert_ptr_null(strchr(err.msg, '\n'));
    }
    ck_assert_int_eq(set1("no-such-option", "1", &err), SMP_EVALUE);
    ck_assert_ptr_nonnull(strstr(err.msg, "no-such-option"));
}
END_TEST

START_TEST(ramp_and_points)
{
    smp_plan *p = test_plan("area-mm=300,300", "density=40:100", "hairline-points=10,50 50,40; 90,52",
                            "clustering=yes", NULL);
    const settings *s = plan_settings(p);
    ck_assert_double_eq(s->density1, 40);
    ck_assert_double_eq(s->density2, 100);
    ck_assert_uint_eq(s->hl_n, 3);
    ck_assert_double_eq(s->hl_points[2].y, 52);
    ck_assert_int_eq(s->clustering, 1);
    smp_plan_free(p);
}
END_TEST

START_TEST(exclusion_polygons)
{
    /* Polygons with " | " between them, spaces around it or not; their
     * corners in photo pixels scale with the photo, as the area's do. */
    smp_plan *p = test_plan("area-mm=300,300", "exclude-polygon=10,10 40,10 40,40|60,50 90,55 80,95 70,90 | -5,0 0,-5 5,0",
                            NULL);
    const settings *s = plan_settings(p);
    ck_assert_uint_eq(s->excl_count, 3);
    ck_assert_uint_eq(s->excl_n[0], 3);
    ck_assert_uint_eq(s->excl_n[1], 4);
    ck_assert_uint_eq(s->excl_n[2], 3);
    ck_assert_double_eq(s->excl[3].x, 60);
    ck_assert_double_eq(s->excl[8].y, -5);
    plan_scale_photo_px(p, 0.5);
    ck_assert_double_eq(s->excl[6].y, 45);
    ck_assert_double_eq(s->excl[8].y, -2.5);
    smp_plan_free(p);
    /* Which one is wrong, among several. */
    smp_plan *q = smp_plan_new();
    smp_error err = {0};
    ck_assert_int_eq(smp_plan_set(q, "exclude-polygon", "0,0 10,0 0,10 | 0,0 10,10 10,0 0,10", "--exclude-polygon", 0, &err),
                     SMP_EVALUE);
    ck_assert_msg(strstr(err.msg, ": exclusion 2: the polygon crosses itself (edge 1 to 2 crosses edge 3 to 4)"), "%s", err.msg);
    smp_plan_free(q);
}
END_TEST

START_TEST(anchors_must_make_a_hairline)
{
    smp_error err = {0};
    smp_plan *p = smp_plan_new();
    ck_assert_int_eq(smp_plan_set(p, "area-mm", "100,100", "--area-mm", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_set(p, "anchors", "10,50:12,40:14,50", "--anchors", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_EVALUE);
    ck_assert_ptr_nonnull(strstr(err.msg, "temple points"));
    ck_assert_int_eq(smp_plan_set(p, "anchors", "10,50:95,40:70,50", "--anchors", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_EVALUE);
    ck_assert_ptr_nonnull(strstr(err.msg, "between the temple points"));
    ck_assert_int_eq(smp_plan_set(p, "anchors", "10,50:50,40:90,50", "--anchors", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_OK);
    ck_assert_int_eq(plan_settings(p)->shape, SHAPE_ROUNDED);
    smp_plan_free(p);
}
END_TEST

START_TEST(plan_file_lines)
{
    smp_error err = {0};
    smp_plan *p = smp_plan_new();
    const char *path = write_file("a.smp", "[area]\narea-mm = 100,80\n\n[density]\ndensity = 0\n");
    ck_assert_int_eq(smp_plan_load(p, path, &err), SMP_EINPUT);
    ck_assert_int_eq(err.from_file, 1);
    ck_assert_msg(strstr(err.msg, "a.smp:5:") != NULL, "%s", err.msg);
    path = write_file("b.smp", "[area]\narea-mm = 100,80\nbogus = 3\n");
    ck_assert_int_eq(smp_plan_load(p, path, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "b.smp:3: unknown key 'bogus'") != NULL, "%s", err.msg);
    path = write_file("c.smp", "[density]\ndensity = 50\ndensity = 60\n");
    ck_assert_int_eq(smp_plan_load(p, path, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "c.smp:3: duplicate key") != NULL, "%s", err.msg);
    path = write_file("d.smp", "[area]\ndensity = 50\n");
    ck_assert_int_eq(smp_plan_load(p, path, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "d.smp:2:") && strstr(err.msg, "[density]"), "%s", err.msg);
    path = write_file("e.smp", "[area]\narea-mask = mask.png\nscale = 4\n[density]\ndensity = 40:90\n");
    ck_assert_int_eq(smp_plan_load(p, path, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_OK);
    char want[256];
    snprintf(want, sizeof want, "%s/mask.png", tmpdir);
    ck_assert_str_eq(plan_settings(p)->area_mask, want);
    ck_assert_double_eq(plan_settings(p)->density2, 90);
    /* Options given after the plan override it. */
    ck_assert_int_eq(smp_plan_set(p, "density", "70", "--density", 0, &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_OK);
    ck_assert_double_eq(plan_settings(p)->density1, 70);
    ck_assert_int_eq(smp_plan_load(p, "/nonexistent/x.smp", &err), SMP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/x.smp: cannot open"));
    smp_plan_free(p);
}
END_TEST

START_TEST(presets)
{
    char path[256];
    smp_error err = {0};
    ck_assert_int_eq(smp_preset_find("natural-buzz", path, sizeof path, &err), SMP_OK);
    ck_assert_int_eq(smp_preset_find("no-such-look", path, sizeof path, &err), SMP_EVALUE);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown preset 'no-such-look'"));
    ck_assert_int_eq(smp_preset_find("../etc/passwd", path, sizeof path, &err), SMP_EVALUE);
    smp_plan *p = smp_plan_new();
    ck_assert_int_eq(smp_plan_load_preset(p, "mature-receded", &err), SMP_OK);
    ck_assert_int_eq(smp_plan_resolve(p, &err), SMP_OK);
    ck_assert_int_eq(plan_settings(p)->shape, SHAPE_MATURE);
    smp_plan_free(p);
}
END_TEST

Suite *plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, defaults_from_domain);
    tcase_add_test(tc, bad_values);
    tcase_add_test(tc, ramp_and_points);
    tcase_add_test(tc, exclusion_polygons);
    tcase_add_test(tc, anchors_must_make_a_hairline);
    tcase_add_test(tc, plan_file_lines);
    tcase_add_test(tc, presets);
    suite_add_tcase(s, tc);
    return s;
}
