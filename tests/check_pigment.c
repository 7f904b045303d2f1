#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "layout.h"
#include "pigment.h"
#include "plan.h"

static double mean_of(const smp_dot *d, size_t n, int session, int what)
{
    double s = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if ((!session || d[i].session == session) && !d[i].blown) {
            s += what ? d[i].diameter_mm : d[i].darkness;
            k++;
        }
    return k ? s / k : NAN;
}

START_TEST(later_sessions_darker)
{
    smp_plan *p = test_plan("area-mm=100,100", "sessions=4", NULL);
    smp_layout *L;
    smp_error err = {0};
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_OK);
    double prev = 0;
    for (int s = 1; s <= 4; s++) {
        double m = mean_of(L->dots.d, L->dots.n, s, 0);
        ck_assert_msg(m > prev, "session %d darkness %f after %f", s, m, prev);
        prev = m;
    }
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

START_TEST(states)
{
    smp_plan *p = test_plan("area-mm=100,100", NULL);
    smp_layout *L;
    smp_error err = {0};
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_OK);
    size_t n = L->dots.n;
    smp_dot *out = malloc(n * sizeof *out);
    show_state healed = {3, 0, 0, 1}, fresh = {3, 3, 0, 1}, years = {3, 0, 4, 1}, upto2 = {2, 2, 0, 1};
    double hd = mean_of(L->dots.d, n, 3, 0), hs = mean_of(L->dots.d, n, 3, 1);
    ck_assert_uint_eq(pigment_show(&healed, L->dots.d, n, out), n);
    ck_assert_double_eq_tol(mean_of(out, n, 3, 0), hd, 1e-12);
    ck_assert_uint_eq(pigment_show(&fresh, L->dots.d, n, out), n);
    ck_assert(mean_of(out, n, 3, 0) >= hd);            /* fresh: no lighter, */
    for (size_t i = 0; i < n; i++)                     /* and shallower: darker, crisper */
        if (out[i].fresh && !out[i].blown) ck_assert(out[i].depth_mm < 0.7 * L->dots.d[i].depth_mm);
    ck_assert(mean_of(out, n, 3, 1) > 1.55 * hs);      /* and 1.6x larger */
    ck_assert_double_eq_tol(mean_of(out, n, 1, 0), mean_of(L->dots.d, n, 1, 0), 1e-12); /* earlier: healed */
    for (size_t i = 0; i < n; i++) ck_assert_int_eq(out[i].fresh, out[i].session == 3);
    ck_assert_uint_eq(pigment_show(&years, L->dots.d, n, out), n);
    ck_assert(mean_of(out, n, 0, 0) < 0.7 * mean_of(L->dots.d, n, 0, 0)); /* years: lighter */
    ck_assert(mean_of(out, n, 0, 1) > mean_of(L->dots.d, n, 0, 1));       /* and a little softer */
    size_t k = pigment_show(&upto2, L->dots.d, n, out);
    for (size_t i = 0; i < k; i++) ck_assert(out[i].session <= 2);
    ck_assert(k < n && k > n / 2);
    free(out);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

Suite *pigment_suite(void)
{
    Suite *s = suite_create("pigment");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, later_sessions_darker);
    tcase_add_test(tc, states);
    suite_add_tcase(s, tc);
    return s;
}
