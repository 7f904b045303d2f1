#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "image.h"

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/smpsim-export-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static int files_in(const char *d)
{
    DIR *h = opendir(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(h))) n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    closedir(h);
    return n;
}

START_TEST(formats)
{
    smp_plan *p = test_plan("area-mm=50,30", "hairline=rounded", "px-per-mm=4", NULL);
    smp_layout *L;
    smp_error err = {0};
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_OK);
    char path[128], line[256];
    snprintf(path, sizeof path, "%s/d.csv", dir);
    ck_assert_int_eq(smp_layout_write(L, p, path, &err), SMP_OK);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "x_mm,y_mm,diameter_mm,darkness,session,kind,blown,depth_mm,apparent_mm\n");
    size_t rows = 0;
    while (fgets(line, sizeof line, f)) rows++;
    fclose(f);
    ck_assert_uint_eq(rows, smp_layout_count(L));

    snprintf(path, sizeof path, "%s/d.svg", dir);
    ck_assert_int_eq(smp_layout_write(L, p, path, &err), SMP_OK);
    f = fopen(path, "r");
    char *buf = calloc(1, 1 << 20);
    size_t got = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    ck_assert(got > 0);
    ck_assert_msg(strstr(buf, "width=\"50mm\"") && strstr(buf, "height=\"30mm\""), "SVG not at true size");
    free(buf);

    snprintf(path, sizeof path, "%s/d.png", dir);
    ck_assert_int_eq(smp_layout_write(L, p, path, &err), SMP_OK);
    grey_image img;
    ck_assert_int_eq(image_read_grey_png(path, &img, &err), SMP_OK);
    ck_assert_int_eq(img.w, 200);
    ck_assert_int_eq(img.h, 120);
    size_t dark = 0;
    for (int i = 0; i < img.w * img.h; i++) dark += img.px[i] < 200;
    ck_assert(dark > 100);
    grey_image_free(&img);
    ck_assert_int_eq(files_in(dir), 3);

    ck_assert_int_eq(smp_layout_write(L, p, "/nonexistent-dir/d.csv", &err), SMP_EOUTPUT);
    ck_assert_msg(strstr(err.msg, "/nonexistent-dir/d.csv: cannot create") != NULL, "%s", err.msg);
    snprintf(path, sizeof path, "%s/d.txt", dir);
    ck_assert_int_eq(smp_layout_write(L, p, path, &err), SMP_EVALUE);
    ck_assert_int_eq(files_in(dir), 3);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

Suite *export_suite(void)
{
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, formats);
    suite_add_tcase(s, tc);
    return s;
}
