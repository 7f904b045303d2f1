#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "check_suites.h"
#include "pigment.h"
#include "image.h"
#include "layout.h"
#include "plan.h"

static smp_layout *make(smp_plan *p)
{
    smp_layout *L = NULL;
    smp_error err = {0};
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    return L;
}

START_TEST(reference_ramp_meets_quality)
{
    smp_plan *p = test_plan("area-mm=300,300", "density=40:100", NULL);
    smp_layout *L = make(p);
    smp_quality q;
    smp_error err = {0};
    ck_assert_int_eq(smp_analyze_rect(smp_layout_dots(L), smp_layout_count(L), 300, 300, 40, 100, &q, &err), SMP_OK);
    ck_assert_msg(fabs(q.count_ratio - 1) <= 0.02, "count ratio %f", q.count_ratio);
    ck_assert_uint_eq(q.cells, 900);
    ck_assert_msg(q.cell_err_median <= 0.05, "median %f", q.cell_err_median);
    ck_assert_msg(q.cell_err_p95 <= 0.12, "p95 %f", q.cell_err_p95);
    ck_assert_msg(q.rho_p5 >= 0.60, "rho p5 %f", q.rho_p5);
    ck_assert_msg(q.rho_median >= 0.70 && q.rho_median <= 0.95, "rho median %f", q.rho_median);
    ck_assert_msg(q.rho_cv >= 0.05, "rho cv %f", q.rho_cv);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

START_TEST(uniform_has_no_repetition)
{
    /* 150 dots/cm^2 makes the point set's period 296 mm: a tile would show
     * in the 256 mm window if it repeated within it. */
    static const char *dens[] = {"density=80", "density=150"};
    for (int i = 0; i < 2; i++) {
        smp_plan *p = test_plan("area-mm=260,260", dens[i], "seed=9", NULL);
        smp_layout *L = make(p);
        smp_quality q;
        smp_error err = {0};
        const settings *s = plan_settings(p);
        ck_assert_int_eq(smp_analyze_rect(smp_layout_dots(L), smp_layout_count(L), 260, 260, s->density1, s->density2, &q, &err), SMP_OK);
        ck_assert(q.spectrum_done);
        ck_assert_msg(q.spectrum_mean <= 0.3, "mean %f", q.spectrum_mean);
        ck_assert_msg(q.spectrum_peak_ratio <= 40, "peak %f", q.spectrum_peak_ratio);
        smp_layout_free(L);
        smp_plan_free(p);
    }
}
END_TEST

START_TEST(deterministic_per_seed)
{
    smp_plan *a = test_plan("area-mm=120,80", "hairline=mature", "clustering=yes", "seed=42", NULL);
    smp_plan *b = test_plan("area-mm=120,80", "hairline=mature", "clustering=yes", "seed=42", NULL);
    smp_plan *c = test_plan("area-mm=120,80", "hairline=mature", "clustering=yes", "seed=43", NULL);
    smp_layout *La = make(a), *Lb = make(b), *Lc = make(c);
    ck_assert_uint_eq(smp_layout_count(La), smp_layout_count(Lb));
    for (size_t i = 0; i < smp_layout_count(La); i++) {
        const smp_dot *da = &smp_layout_dots(La)[i], *db = &smp_layout_dots(Lb)[i];
        ck_assert(da->x_mm == db->x_mm && da->y_mm == db->y_mm && da->diameter_mm == db->diameter_mm &&
                  da->darkness == db->darkness && da->kind == db->kind && da->blown == db->blown);
    }
    size_t n = smp_layout_count(La) < smp_layout_count(Lc) ? smp_layout_count(La) : smp_layout_count(Lc);
    size_t same = 0;
    for (size_t i = 0; i < n; i++) same += smp_layout_dots(La)[i].x_mm == smp_layout_dots(Lc)[i].x_mm;
    ck_assert(same < n / 100);
    smp_layout_free(La); smp_layout_free(Lb); smp_layout_free(Lc);
    smp_plan_free(a); smp_plan_free(b); smp_plan_free(c);
}
END_TEST

/* Exact distance to the final line, for checking the field's grid. */
static double line_dist(const hairline *hl, vec2 p)
{
    double best = INFINITY;
    for (size_t i = 0; i + 1 < hl->n; i++) best = fmin(best, geom_seg_dist2(p, hl->pts[i], hl->pts[i + 1]));
    return sqrt(best);
}

START_TEST(nothing_beyond_the_sentinel_band)
{
    static const char *shapes[] = {"hairline=straight", "hairline=rounded", "hairline=widows-peak",
                                   "hairline=mature", "hairline=m-shape", "hairline=boxed",
                                   "hairline=broken", "hairline=female"};
    for (int i = 0; i < 8; i++) {
        smp_plan *p = test_plan("area-mm=200,120", shapes[i], NULL);
        smp_layout *L = make(p);
        /* The sentinels lie ahead of the transition zone, whose front is
         * LEAD ahead of the line. */
        double lead = L->field.lead, band = L->field.sentinel + lead;
        size_t sentinels = 0;
        for (size_t k = 0; k < L->dots.n; k++) {
            const smp_dot *d = &L->dots.d[k];
            double sd = field_signed_distance(&L->field, v2(d->x_mm, d->y_mm));
            if (sd < -lead - 1e-9) {
                sentinels++;
                ck_assert_int_eq(d->kind, SMP_DOT_SENTINEL);
                /* Lateral dots past the temples measure to the extension. */
                double exact = line_dist(&L->line, v2(d->x_mm, d->y_mm));
                ck_assert_msg(exact <= band + 0.1 || -sd <= band, "%s: dot %g mm ahead", shapes[i], exact);
                ck_assert(-sd <= band + 1e-9);
            }
        }
        ck_assert_msg(sentinels >= 5, "%s: only %zu sentinels", shapes[i], sentinels);
        smp_layout_free(L);
        smp_plan_free(p);
    }
}
END_TEST

START_TEST(density_rises_through_the_transition)
{
    /* A level line across a wide area: count dots in 2 mm bands behind the
     * transition zone's front, LEAD ahead of the line. */
    smp_plan *p = test_plan("area-mm=400,120", "hairline-points=0,80 400,80", "wave-mm=0",
                            "asymmetry-mm=0", "density=80", "transition-mm=6", NULL);
    smp_layout *L = make(p);
    double bands[8] = {0};
    for (size_t k = 0; k < L->dots.n; k++) {
        double d = 80 + L->field.lead - L->dots.d[k].y_mm;
        if (d >= 0 && d < 16) bands[(int)(d / 2)]++;
    }
    double full = 0.8 * 400 * 2;
    ck_assert(bands[0] / full < 0.6);
    ck_assert(bands[1] / full < 0.9);
    ck_assert_msg(bands[2] / full >= 0.9 && bands[2] / full <= 1.1, "last band %f", bands[2] / full);
    for (int b = 4; b < 8; b++) ck_assert(fabs(bands[b] / full - 1) < 0.06);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

START_TEST(clustering_keeps_singles_at_the_front)
{
    smp_plan *p = test_plan("area-mm=200,120", "hairline=straight", "clustering=yes", NULL);
    smp_layout *L = make(p);
    smp_layout_stats st;
    smp_layout_get_stats(L, &st);
    ck_assert_msg(fabs((double)st.dots / st.expected_dots - 1) < 0.04, "%zu vs %f", st.dots, st.expected_dots);
    double *nn = analyze_nn_distances(L->dots.d, L->dots.n, 200, 120);
    size_t close[3] = {0}, all[3] = {0};
    for (size_t k = 0; k < L->dots.n; k++) {
        all[L->dots.d[k].kind]++;
        close[L->dots.d[k].kind] += nn[k] < 0.4;
    }
    double front = (double)close[SMP_DOT_SENTINEL] / all[SMP_DOT_SENTINEL];
    double back = (double)close[SMP_DOT_REGULAR] / all[SMP_DOT_REGULAR];
    ck_assert_msg(front < 0.2 && back > 0.5, "paired share front %f back %f", front, back);
    free(nn);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

static void write_png(const char *path, int w, int h, int (*value)(int x, int y, int w, int h))
{
    uint8_t *px = malloc((size_t)w * h * 4);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t v = (uint8_t)value(x, y, w, h);
            uint8_t *q = px + ((size_t)y * w + x) * 4;
            q[0] = q[1] = q[2] = v;
            q[3] = 255;
        }
    FILE *f = fopen(path, "wb");
    smp_error err = {0};
    ck_assert_int_eq(image_write_png_rgba(f, path, px, w, h, w * 4, &err), SMP_OK);
    fclose(f);
    free(px);
}

static int right_half(int x, int y, int w, int h) { (void)y; (void)h; return x >= w / 2 ? 255 : 0; }
static int disk(int x, int y, int w, int h) { return hypot(x - w / 2.0, y - h / 2.0) < w / 3.0 ? 255 : 0; }
static int black(int x, int y, int w, int h) { (void)x; (void)y; (void)w; (void)h; return 0; }

START_TEST(masks_and_density_maps)
{
    char map[] = "/tmp/smpsim-map-XXXXXX.png", mask[] = "/tmp/smpsim-mask-XXXXXX.png", empty[] = "/tmp/smpsim-empty-XXXXXX.png";
    close(mkstemps(map, 4)); close(mkstemps(mask, 4)); close(mkstemps(empty, 4));
    write_png(map, 64, 32, right_half);
    write_png(mask, 300, 300, disk);
    write_png(empty, 30, 30, black);
    char opt[128];
    snprintf(opt, sizeof opt, "density-map=%s", map);
    smp_plan *p = test_plan("area-mm=100,50", "density=80", opt, NULL);
    smp_layout *L = make(p);
    size_t left = 0, right = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        if (L->dots.d[k].x_mm < 49) left++;
        else if (L->dots.d[k].x_mm > 51) right++;
    }
    ck_assert_uint_eq(left, 0);
    ck_assert(fabs(right / (49 * 50 * 0.8) - 1) < 0.05);
    smp_layout_free(L);
    smp_plan_free(p);

    snprintf(opt, sizeof opt, "area-mask=%s", mask);
    p = test_plan(opt, "scale=3", "density=80", NULL);
    L = make(p);
    double w, h;
    smp_layout_frame(L, &w, &h);
    ck_assert_double_eq_tol(w, 100, 1e-9);
    for (size_t k = 0; k < L->dots.n; k++)
        ck_assert(hypot(L->dots.d[k].x_mm - 50, L->dots.d[k].y_mm - 50) < 100 / 3.0 + 0.5);
    double want = M_PI * pow(100 / 3.0, 2) * 0.8;
    ck_assert(fabs(L->dots.n / want - 1) < 0.03);
    smp_layout_free(L);
    smp_plan_free(p);

    /* Exclusion: the white right half of the map image removes its dots. */
    snprintf(opt, sizeof opt, "exclude-mask=%s", map);
    p = test_plan("area-mm=100,50", "scale=0.64", opt, NULL);
    L = make(p);
    left = right = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        if (L->dots.d[k].x_mm < 49) left++;
        else if (L->dots.d[k].x_mm > 51) right++;
    }
    ck_assert_uint_eq(right, 0);
    ck_assert(fabs(left / (49 * 50 * 0.8) - 1) < 0.05);
    smp_layout_free(L);
    smp_plan_free(p);

    smp_error err = {0};
    snprintf(opt, sizeof opt, "area-mask=%s", empty);
    p = test_plan(opt, "scale=3", NULL);
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "no white pixels"));
    smp_plan_free(p);
    p = test_plan("area-mask=/etc/hostname", "scale=3", NULL);
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a PNG"));
    smp_plan_free(p);
    unlink(map); unlink(mask); unlink(empty);
}
END_TEST

START_TEST(refuses_past_the_dot_limit)
{
    smp_plan *p = test_plan("area-mm=20000,20000", "density=80", NULL);
    smp_layout *L = NULL;
    smp_error err = {0};
    ck_assert_int_eq(smp_layout_new(p, &L, &err), SMP_ELIMIT);
    ck_assert_ptr_null(L);
    ck_assert_msg(strstr(err.msg, "about 320000000 dots") != NULL, "%s", err.msg);
    smp_plan_free(p);
}
END_TEST

START_TEST(dot_attributes)
{
    smp_plan *p = test_plan("area-mm=200,120", "hairline=rounded", "dilution=0", "sessions=1", NULL);
    smp_layout *L = make(p);
    double sum_reg = 0, sum_front = 0, dk_reg = 0, dk_front = 0;
    size_t nreg = 0, nfront = 0, blown = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        const smp_dot *d = &L->dots.d[k];
        if (d->blown) {
            /* 1.3x wider, and deep. */
            ck_assert(d->diameter_mm >= 0.5 * 0.8 * 0.75 * 1.3 - 1e-9);
            ck_assert(d->darkness <= 1);
            ck_assert_double_eq(d->depth_mm, BLOWN_DEPTH_MM);
            blown++;
            continue;
        }
        ck_assert(d->diameter_mm >= 0.5 * 0.8 * 0.75 - 1e-9 && d->diameter_mm <= 0.5 * 1.25 + 1e-9);
        ck_assert_double_eq(d->depth_mm, 0.2);
        ck_assert(d->darkness > 0 && d->darkness <= 1);
        ck_assert_int_eq(d->session, 1);
        if (d->kind == SMP_DOT_REGULAR) { sum_reg += d->diameter_mm; dk_reg += d->darkness; nreg++; }
        if (d->kind == SMP_DOT_SENTINEL) { sum_front += d->diameter_mm; dk_front += d->darkness; nfront++; }
    }
    ck_assert_double_eq_tol(sum_reg / nreg, 0.5, 0.01);
    ck_assert(sum_front / nfront < 0.9 * sum_reg / nreg);
    ck_assert(dk_front / nfront < 0.85 * dk_reg / nreg);
    /* darkness 1, +-10 %, stopping at 1: 0.975 on average. */
    ck_assert_double_eq_tol(dk_reg / nreg, 0.975, 0.01);
    /* The default blow-out share, 2 %. */
    ck_assert_msg(fabs((double)blown / L->dots.n - 0.02) < 0.005, "blown share %f", (double)blown / L->dots.n);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

START_TEST(sessions_fill_between_earlier_dots)
{
    static const char *shares[] = {NULL, "session-shares=50,30,20"};
    static const double want[2][3] = {{0.40, 0.35, 0.25}, {0.50, 0.30, 0.20}};
    for (int v = 0; v < 2; v++) {
        smp_plan *p = shares[v] ? test_plan("area-mm=300,300", "density=40:100", shares[v], NULL)
                                : test_plan("area-mm=300,300", "density=40:100", NULL);
        smp_layout *L = make(p);
        size_t count[4] = {0};
        for (size_t k = 0; k < L->dots.n; k++) {
            ck_assert(L->dots.d[k].session >= 1 && L->dots.d[k].session <= 3);
            count[L->dots.d[k].session]++;
        }
        double cum = 0;
        smp_dot *sub = malloc(L->dots.n * sizeof *sub);
        for (int s = 1; s <= 3; s++) {
            double share = (double)count[s] / L->dots.n;
            ck_assert_msg(fabs(share - want[v][s - 1]) <= 0.02, "session %d share %f", s, share);
            /* Sessions 1..s alone: blue noise at their own density. */
            cum += want[v][s - 1];
            size_t n = 0;
            for (size_t k = 0; k < L->dots.n; k++)
                if (L->dots.d[k].session <= s) sub[n++] = L->dots.d[k];
            smp_quality q;
            smp_error err = {0};
            ck_assert_int_eq(smp_analyze_rect(sub, n, 300, 300, 40 * cum, 100 * cum, &q, &err), SMP_OK);
            ck_assert_msg(fabs(q.count_ratio - 1) <= 0.02, "prefix %d count %f", s, q.count_ratio);
            ck_assert_msg(q.rho_p5 >= 0.60, "prefix %d rho p5 %f", s, q.rho_p5);
            ck_assert_msg(q.rho_median >= 0.70 && q.rho_median <= 0.95, "prefix %d rho median %f", s, q.rho_median);
            ck_assert_msg(q.rho_cv >= 0.05, "prefix %d rho cv %f", s, q.rho_cv);
        }
        free(sub);
        smp_layout_free(L);
        smp_plan_free(p);
    }
}
END_TEST

START_TEST(first_session_raise)
{
    smp_plan *p = test_plan("area-mm=200,120", "hairline=rounded", "first-session-raise=10", NULL);
    smp_layout *L = make(p);
    size_t first = 0, near = 0;
    for (size_t k = 0; k < L->dots.n; k++) {
        const smp_dot *d = &L->dots.d[k];
        double sd = field_signed_distance(&L->field, v2(d->x_mm, d->y_mm));
        if (d->session == 1) {
            first++;
            ck_assert_msg(sd >= 10 - L->field.sentinel - L->field.lead - 0.1, "session-1 dot %g mm from the planned line", sd);
        }
        if (sd < 3) near++;
    }
    ck_assert(first > 0 && near > 0);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

Suite *sampler_suite(void)
{
    Suite *s = suite_create("sampler");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, reference_ramp_meets_quality);
    tcase_add_test(tc, uniform_has_no_repetition);
    tcase_add_test(tc, deterministic_per_seed);
    tcase_add_test(tc, nothing_beyond_the_sentinel_band);
    tcase_add_test(tc, density_rises_through_the_transition);
    tcase_add_test(tc, clustering_keeps_singles_at_the_front);
    tcase_add_test(tc, masks_and_density_maps);
    tcase_add_test(tc, refuses_past_the_dot_limit);
    tcase_add_test(tc, dot_attributes);
    tcase_add_test(tc, sessions_fill_between_earlier_dots);
    tcase_add_test(tc, first_session_raise);
    suite_add_tcase(s, tc);
    return s;
}
