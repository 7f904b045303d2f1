#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "check_suites.h"

START_TEST(fft_of_a_cosine)
{
    double z[2 * 64] = {0};
    for (int i = 0; i < 64; i++) z[2 * i] = cos(2 * M_PI * 5 * i / 64.0);
    analyze_fft(z, 64, 0);
    for (int k = 0; k < 64; k++) {
        double mag = hypot(z[2 * k], z[2 * k + 1]);
        ck_assert_double_eq_tol(mag, (k == 5 || k == 59) ? 32 : 0, 1e-9);
    }
    analyze_fft(z, 64, 1);
    ck_assert_double_eq_tol(z[0] / 64, 1, 1e-12);
}
END_TEST

START_TEST(lattice_and_random)
{
    /* A hexagonal lattice has rho = 1 everywhere and no variation: it fails
     * the "not a lattice" bar; uniform random fails the clump bar. */
    size_t n = 0, cap = 20000;
    smp_dot *d = calloc(cap, sizeof *d);
    double a = sqrt(2 / (sqrt(3) * 0.8)); /* spacing for 80 dots/cm^2 */
    for (int row = 0; row * a * sqrt(3) / 2 < 100; row++)
        for (int col = 0; (col + 0.5 * (row & 1)) * a < 100; col++) {
            d[n].x_mm = (col + 0.5 * (row & 1)) * a;
            d[n].y_mm = row * a * sqrt(3) / 2;
            n++;
        }
    smp_quality q;
    smp_error err = {0};
    ck_assert_int_eq(smp_analyze_rect(d, n, 100, 100, 80, 80, &q, &err), SMP_OK);
    ck_assert_double_eq_tol(q.rho_median, 1, 1e-6);
    ck_assert(q.rho_cv < 0.01);
    ck_assert_double_eq_tol(q.count_ratio, 1, 0.02);
    srand(3);
    for (size_t i = 0; i < 8000; i++) { d[i].x_mm = 100.0 * rand() / RAND_MAX; d[i].y_mm = 100.0 * rand() / RAND_MAX; }
    ck_assert_int_eq(smp_analyze_rect(d, 8000, 100, 100, 80, 80, &q, &err), SMP_OK);
    ck_assert(q.rho_p5 < 0.3);
    ck_assert(q.cell_err_median > 0.05);
    free(d);
}
END_TEST

START_TEST(csv_reader)
{
    char path[] = "/tmp/smpsim-csv-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("x_mm,y_mm,diameter_mm,darkness,session,kind\n1.5,2.5,0.25,0.7,1,regular\n3,4,0.2,0.5,2\n", f);
    fclose(f);
    smp_dot *d;
    size_t n;
    smp_error err = {0};
    ck_assert_int_eq(smp_dots_read_csv(path, &d, &n, &err), SMP_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_double_eq(d[1].y_mm, 4);
    ck_assert_int_eq(d[1].session, 2);
    free(d);
    f = fopen(path, "w");
    fputs("x_mm,y_mm,diameter_mm,darkness,session\n1,2,0.25,0.7,1\n1,zz,0.25,0.7,1\n", f);
    fclose(f);
    ck_assert_int_eq(smp_dots_read_csv(path, &d, &n, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, ":3: column 2") != NULL, "%s", err.msg);
    f = fopen(path, "w");
    fputs("a,b\n1,2\n", f);
    fclose(f);
    ck_assert_int_eq(smp_dots_read_csv(path, &d, &n, &err), SMP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a dots CSV"));
    /* The dot limit, exactly: ten dots pass a limit of ten, eleven do not. */
    for (int lines = 10; lines <= 11; lines++) {
        f = fopen(path, "w");
        fputs("x_mm,y_mm,diameter_mm,darkness,session\n", f);
        for (int i = 0; i < lines; i++) fprintf(f, "%d,1,0.25,0.7,1\n", i);
        fclose(f);
        smp_status st = analyze_read_csv(path, 10, &d, &n, &err);
        if (lines == 10) {
            ck_assert_int_eq(st, SMP_OK);
            ck_assert_uint_eq(n, 10);
            free(d);
        } else {
            ck_assert_int_eq(st, SMP_ELIMIT);
            ck_assert_msg(strstr(err.msg, ": more than 10 dots") != NULL, "%s", err.msg);
        }
    }
    unlink(path);
}
END_TEST

Suite *analyze_suite(void)
{
    Suite *s = suite_create("analyze");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fft_of_a_cosine);
    tcase_add_test(tc, lattice_and_random);
    tcase_add_test(tc, csv_reader);
    suite_add_tcase(s, tc);
    return s;
}
