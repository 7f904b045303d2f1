#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "colour.h"
#include "image.h"
#include "layout.h"
#include "plan.h"
#include "render.h"

/* A flat photo of W x H mm at PPM px/mm in colour RGB, written as PNG. */
static void flat_photo(const char *path, double w_mm, double h_mm, double ppm, uint32_t rgb)
{
    int w = (int)lround(w_mm * ppm), h = (int)lround(h_mm * ppm);
    uint8_t *px = malloc((size_t)w * h * 4);
    for (size_t i = 0; i < (size_t)w * h; i++) {
        px[4 * i] = (uint8_t)(rgb >> 16); px[4 * i + 1] = (uint8_t)(rgb >> 8); px[4 * i + 2] = (uint8_t)rgb;
        px[4 * i + 3] = 255;
    }
    FILE *f = fopen(path, "wb");
    smp_error err = {0};
    ck_assert_int_eq(image_write_png_rgba(f, path, px, w, h, w * 4, &err), SMP_OK);
    fclose(f);
    free(px);
}

static photo flat(int w, int h, uint32_t rgb)
{
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, w, h, &err), SMP_OK);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = rgb;
    return ph;
}

static uint32_t px_at(const photo *p, int x, int y) { return ((const uint32_t *)(p->px + (size_t)y * p->stride))[x]; }

/* Linear light of channel C relative to the flat colour it was. */
static double lin(uint32_t v, int c, uint32_t was)
{
    double a = (v >> (16 - 8 * c)) & 255, b = (was >> (16 - 8 * c)) & 255;
    return pow(a / b, 2.2);
}

static pigment default_pigment(void)
{
    settings s;
    memset(&s, 0, sizeof s);
    s.depth_mm = 0.2;
    pigment pg;
    pigment_from_settings(&pg, &s);
    return pg;
}

/* The strongest darkening of green (1 - T) the last deposit_with drew. */
static double deposit_peak;

/* One deposit of DIAMETER at DEPTH on a flat grey at PPM, on a photo whose
 * own blur is SOFT mm: the light it takes per channel in mm^2 (integral of
 * 1 - T), the share of green's beyond RADIUS + 0.15 mm, and green's second
 * moment in mm^2. */
static void deposit_soft(double ppm, double diameter, double depth, double companion, double soft, double total[3],
                         double *far_share, double *spread)
{
    smp_error err = {0};
    int w = (int)lround(8 * ppm);
    photo ph = flat(2 * w, w, 0xd2aa96);
    /* The companion, 8 mm to the right and out of the measure, sets the
     * depth of the grid the halos are blurred on when it is shallower. */
    smp_dot d[2] = {{4.0, 4.0, diameter, 1, 1, SMP_DOT_REGULAR, 0, 0, depth},
                    {12.0, 4.0, diameter, 1, 1, SMP_DOT_REGULAR, 0, 0, companion}};
    pigment pg = default_pigment();
    pg.soft_mm = soft;
    ck_assert_int_eq(render_dots(&ph, d, companion > 0 ? 2 : 1, ppm, 0, 0, &pg, &err), SMP_OK);
    double far = 0, m2 = 0;
    deposit_peak = 0;
    for (int c = 0; c < 3; c++) total[c] = 0;
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++) {
            double dx = (x + 0.5) / ppm - 4, dy = (y + 0.5) / ppm - 4, r2 = dx * dx + dy * dy;
            for (int c = 0; c < 3; c++) {
                double dk = (1 - lin(px_at(&ph, x, y), c, 0xd2aa96)) / (ppm * ppm);
                total[c] += dk;
                if (c == 1) {
                    m2 += dk * r2;
                    deposit_peak = fmax(deposit_peak, dk * ppm * ppm);
                    if (sqrt(r2) > diameter / 2 + 0.15) far += dk;
                }
            }
        }
    *far_share = far / total[1];
    *spread = m2 / total[1];
    photo_free(&ph);
}

static void deposit_with(double ppm, double diameter, double depth, double companion, double total[3], double *far_share,
                         double *spread)
{
    deposit_soft(ppm, diameter, depth, companion, 0, total, far_share, spread);
}

static void one_deposit(double ppm, double diameter, double depth, double total[3], double *far_share, double *spread)
{
    deposit_with(ppm, diameter, depth, 0, total, far_share, spread);
}

/* On a soft photo the dots are as soft as its own detail: the core spreads
 * and its peak falls, but the deposit takes as much light as on a sharp
 * one (the blur moves light, it does not add ink). */
START_TEST(a_soft_photo_softens_a_deposit_not_its_ink)
{
    double t0[3], t1[3], far0, far1, s0, s1;
    deposit_soft(4, 0.4, 0.2, 0, 0, t0, &far0, &s0);
    double peak0 = deposit_peak;
    deposit_soft(4, 0.4, 0.2, 0, 0.4, t1, &far1, &s1);
    double peak1 = deposit_peak;
    /* Within 8 %: the core darkens 8-bit values (see above), and blue,
     * whose halo is the smallest share, moves most (-5 %). */
    for (int c = 0; c < 3; c++) ck_assert_msg(fabs(t1[c] / t0[c] - 1) < 0.08, "channel %d: %.4f -> %.4f mm^2", c, t0[c], t1[c]);
    ck_assert_msg(peak1 < 0.75 * peak0, "peak %.3f -> %.3f", peak0, peak1);
    /* A Gaussian of 0.4 mm adds 2 x 0.16 mm^2 to the second moment. */
    ck_assert_msg(s1 - s0 > 0.2 && s1 - s0 < 0.45, "second moment %.3f -> %.3f mm^2", s0, s1);
}
END_TEST

START_TEST(a_deposit_darkens_a_halo_wider_than_itself)
{
    double t[3], far, spread;
    one_deposit(20, 0.4, 0.2, t, &far, &spread);
    deposit_optics o;
    pigment_optics(0.2, &o);
    double a = M_PI * 0.2 * 0.2;
    /* The effect it was given, per channel: the halo's share in the
     * channel's gain, the neutral core's in green's; about 1.5x its area in
     * green.  Within 15 %: the core darkens 8-bit values linearly, which
     * takes a little less light than the exponential where it is darkest. */
    for (int c = 0; c < 3; c++) {
        double want = a * (o.gain[c] * o.halo[c] + o.gain[1] * (1 - o.halo[1]));
        ck_assert_msg(fabs(t[c] / want - 1) < 0.15, "channel %d: %f mm^2, want %f", c, t[c], want);
    }
    ck_assert(t[1] > 1.3 * a && t[1] < 1.7 * a);
    /* Red loses most, blue least: the skin turns cooler. */
    ck_assert(t[0] > 1.3 * t[1] && t[2] < 0.8 * t[1]);
    /* Most of it lies outside the deposit, as a soft halo. */
    ck_assert_msg(far > 0.6, "only %f of the darkening outside the deposit", far);
    ck_assert_msg(sqrt(spread) > 0.5, "rms radius %f mm", sqrt(spread));
}
END_TEST

START_TEST(deeper_deposits_are_fainter_wider_and_cooler)
{
    double a[3], b[3], fa, fb, sa, sb;
    one_deposit(20, 0.4, 0.2, a, &fa, &sa);
    one_deposit(20, 0.4, 0.35, b, &fb, &sb);
    ck_assert(b[1] < 0.6 * a[1]);
    ck_assert(sb > 1.3 * sa);
    ck_assert(b[0] / b[2] > 1.3 * a[0] / a[2]);
    ck_assert(fb > fa);
}
END_TEST

/* A deposit deeper than the others in the render (a blow-out among
 * healed dots) gets its own width on top of the shared halo grid's: the
 * same total and spread as when it is drawn alone. */
START_TEST(a_deeper_deposit_among_shallow_ones_keeps_its_halo)
{
    double a[3], b[3], fa, fb, sa, sb;
    one_deposit(20, 0.4, 0.4, a, &fa, &sa);
    deposit_with(20, 0.4, 0.4, 0.1, b, &fb, &sb);
    /* Blue, which a deep deposit barely darkens, within 10 %: much of it is
     * under half an 8-bit step and rounds away in either shape. */
    for (int c = 0; c < 3; c++)
        ck_assert_msg(fabs(b[c] / a[c] - 1) < (c == 2 ? 0.1 : 0.03), "channel %d: %f alone, %f among", c, a[c], b[c]);
    ck_assert_msg(fabs(sqrt(sb / sa) - 1) < 0.05, "rms radius %f alone, %f among", sqrt(sa), sqrt(sb));
}
END_TEST

START_TEST(apparent_size_of_a_healed_deposit)
{
    /* docs/domain.md: 0.2-0.4 mm deposits look 0.3-0.45 mm wide at half contrast. */
    double a = pigment_apparent_mm(0.2, 0.2), b = pigment_apparent_mm(0.4, 0.2);
    ck_assert_msg(a > 0.2 && a < 0.4, "0.2 mm looks %f", a);
    ck_assert_msg(b > 0.38 && b < 0.55, "0.4 mm looks %f", b);
    ck_assert(pigment_apparent_mm(0.4, 0.35) > b);
}
END_TEST

/* Renders the default layout of a 40 x 40 mm area on a flat skin photo of
 * 60 x 40 mm at PPM; returns the rendered photo (and the layout's). */
static smp_layout *render_flat(double ppm, uint32_t skin, photo *out)
{
    char path[] = "/tmp/smpsim-flat-XXXXXX.png", photo_opt[64], scale_opt[32], poly[128];
    close(mkstemps(path, 4));
    flat_photo(path, 60, 40, ppm, skin);
    snprintf(photo_opt, sizeof photo_opt, "photo=%s", path);
    snprintf(scale_opt, sizeof scale_opt, "scale=%g", ppm);
    double e = 40 * ppm;
    snprintf(poly, sizeof poly, "area-polygon=0,0 %g,0 %g,%g 0,%g", e, e, e, e);
    smp_plan *p = test_plan(photo_opt, scale_opt, poly, NULL);
    smp_error err = {0};
    smp_layout *L;
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    ck_assert_int_eq(photo_alloc(out, L->photo.w, L->photo.h, &err), SMP_OK);
    memcpy(out->px, L->photo.px, (size_t)out->stride * out->h);
    pigment pg;
    pigment_from_settings(&pg, plan_settings(p));
    ck_assert_int_eq(render_dots(out, L->shown, L->n_shown, ppm, 0, 0, &pg, &err), SMP_OK);
    smp_plan_free(p);
    unlink(path);
    return L;
}

/* L* of P averaged over F x F blocks then blurred by SIGMA px (clamped at
 * the edges): W x H values at the coarse grid. */
static double *blurred_lightness(const photo *p, int f, double sigma, int *w, int *h)
{
    *w = p->w / f;
    *h = p->h / f;
    double *l = calloc((size_t)*w * *h, sizeof *l), *t = calloc((size_t)*w * *h, sizeof *t);
    for (int y = 0; y < *h; y++)
        for (int x = 0; x < *w; x++) {
            double s[3] = {0, 0, 0};
            for (int j = 0; j < f; j++)
                for (int i = 0; i < f; i++) {
                    uint32_t v = px_at(p, x * f + i, y * f + j);
                    s[0] += (v >> 16) & 255; s[1] += (v >> 8) & 255; s[2] += v & 255;
                }
            uint8_t rgb[3] = {(uint8_t)lrint(s[0] / (f * f)), (uint8_t)lrint(s[1] / (f * f)), (uint8_t)lrint(s[2] / (f * f))};
            double lab[3];
            srgb_to_lab(rgb, lab);
            l[(size_t)y * *w + x] = lab[0];
        }
    int R = (int)ceil(3 * sigma);
    for (int pass = 0; pass < 2; pass++) {
        double *src = pass ? t : l, *dst = pass ? l : t;
        for (int y = 0; y < *h; y++)
            for (int x = 0; x < *w; x++) {
                double s = 0, ws = 0;
                for (int k = -R; k <= R; k++) {
                    int xx = pass ? x : x + k, yy = pass ? y + k : y;
                    if (xx < 0 || yy < 0 || xx >= *w || yy >= *h) continue;
                    double wk = exp(-k * k / (2 * sigma * sigma));
                    s += wk * src[(size_t)yy * *w + xx];
                    ws += wk;
                }
                dst[(size_t)y * *w + x] = s / ws;
            }
    }
    free(t);
    return l;
}

START_TEST(renders_agree_across_resolutions)
{
    photo a, b;
    smp_layout *La = render_flat(3, 0xd2aa96, &a), *Lb = render_flat(12, 0xd2aa96, &b);
    /* Mean darkening of linear light over the inner 30 x 30 mm. */
    double da = 0, db = 0;
    for (int y = 15; y < 105; y++)
        for (int x = 15; x < 105; x++) da += 1 - lin(px_at(&a, x, y), 1, 0xd2aa96);
    for (int y = 60; y < 420; y++)
        for (int x = 60; x < 420; x++) db += 1 - lin(px_at(&b, x, y), 1, 0xd2aa96);
    da /= 90 * 90;
    db /= 360 * 360;
    ck_assert_msg(da > 0.1, "darkening %f", da);
    ck_assert_msg(fabs(da / db - 1) < 0.03, "3 px/mm %f, 12 px/mm %f", da, db);
    /* Pixel by pixel, blurred at 0.5 mm, within 2 L*. */
    int wa, ha, wb, hb;
    double *la = blurred_lightness(&a, 1, 1.5, &wa, &ha), *lb = blurred_lightness(&b, 4, 1.5, &wb, &hb);
    double worst = 0;
    for (int y = 6; y < 114; y++)
        for (int x = 6; x < 114; x++) worst = fmax(worst, fabs(la[(size_t)y * wa + x] - lb[(size_t)y * wb + x]));
    ck_assert_msg(worst < 2, "differ by %f L*", worst);
    /* Further than the widest halo from any dot (4 mm past the area),
     * every pixel keeps its bytes. */
    size_t changed = 0;
    for (int y = 0; y < b.h; y++)
        for (int x = 44 * 12; x < b.w; x++) changed += px_at(&b, x, y) != px_at(&Lb->photo, x, y);
    ck_assert_uint_eq(changed, 0);
    free(la);
    free(lb);
    photo_free(&a);
    photo_free(&b);
    smp_layout_free(La);
    smp_layout_free(Lb);
}
END_TEST

START_TEST(shadow_at_defaults_and_shine_kept)
{
    /* A bald scalp of medium skin: the default darkens it at arm's length
     * by L* 5-12 without a warm cast; a specular highlight stays. */
    photo a;
    smp_layout *L = render_flat(4, 0xc89680, &a);
    uint8_t before[3] = {0xc8, 0x96, 0x80};
    double lb[3], sum[3] = {0, 0, 0};
    srgb_to_lab(before, lb);
    int n = 0;
    for (int y = 20; y < 140; y += 2)
        for (int x = 20; x < 140; x += 2) {
            uint32_t v = px_at(&a, x, y);
            uint8_t rgb[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
            double lab[3];
            srgb_to_lab(rgb, lab);
            for (int c = 0; c < 3; c++) sum[c] += lab[c];
            n++;
        }
    double dl = sum[0] / n - lb[0], dbb = sum[2] / n - lb[2];
    ck_assert_msg(dl < -5 && dl > -12, "default shadow dL* %f", dl);
    ck_assert_msg(dbb <= 0, "b* rose by %f", dbb);
    /* The scene measured the skin's warmth for the shine: (200 - 128) / 200. */
    ck_assert_msg(fabs(L->mm.photo_skin_warmth - 0.36) < 0.005, "skin warmth %f", L->mm.photo_skin_warmth);
    photo_free(&a);
    smp_layout_free(L);
    ck_assert(render_pigment_share(0xf5f5f5) < 0.01);
    ck_assert(render_pigment_share(0xf0c8b0) > 0.99); /* fair skin is skin */
    ck_assert(render_pigment_share(0x806050) > 0.99);

    smp_error err = {0};
    photo ph = flat(80, 80, 0xc89680);
    for (int y = 30; y < 50; y++)
        for (int x = 30; x < 50; x++) ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = 0xf6f6f4;
    smp_dot d[400];
    for (int i = 0; i < 400; i++) d[i] = (smp_dot){0.5 + (i % 20) + 0.3 * ((i / 20) % 2), 0.5 + i / 20, 0.5, 1, 1, SMP_DOT_REGULAR, 0, 0, 0.2};
    pigment pg = default_pigment();
    ck_assert_int_eq(render_dots(&ph, d, 400, 4, 0, 0, &pg, &err), SMP_OK);
    uint8_t w[3] = {0xf6, 0xf6, 0xf4};
    double lw[3];
    srgb_to_lab(w, lw);
    for (int y = 32; y < 48; y++)
        for (int x = 32; x < 48; x++) {
            uint32_t v = px_at(&ph, x, y);
            uint8_t rgb[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
            double lab[3];
            srgb_to_lab(rgb, lab);
            ck_assert_msg(fabs(lab[0] - lw[0]) < 2, "shine lost %f L* at %d,%d", lab[0] - lw[0], x, y);
        }
    photo_free(&ph);
}
END_TEST

/* Mean L* of P over the square [X0, X1) x [Y0, Y1). */
static double mean_l(const photo *p, int x0, int y0, int x1, int y1)
{
    double sum = 0;
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            uint32_t v = px_at(p, x, y);
            uint8_t rgb[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
            double lab[3];
            srgb_to_lab(rgb, lab);
            sum += lab[0];
            n++;
        }
    return sum / n;
}

/* The shine follows the client's skin: brightly lit skin as warm as the
 * client's (warmth 0.156 against 0.17: crown-back.jpg's flash-lit crown)
 * takes the pigment, as the same skin in shade does; without the skin's
 * warmth (the fixed thresholds, for fair skin of 0.2) it was kept over
 * half; a white glare is kept either way. */
START_TEST(shine_follows_the_clients_skin)
{
    smp_dot d[400];
    for (int i = 0; i < 400; i++) d[i] = (smp_dot){0.5 + (i % 20) + 0.3 * ((i / 20) % 2), 0.5 + i / 20, 0.5, 1, 1, SMP_DOT_REGULAR, 0, 0, 0.2};
    double lit_dl[2], glare_dl[2], shade_dl = 0;
    for (int k = 0; k < 2; k++) {
        smp_error err = {0};
        photo ph = flat(80, 80, 0xf4d9ce), orig = flat(80, 80, 0xf4d9ce);
        for (int y = 30; y < 50; y++)
            for (int x = 0; x < 80; x++) {
                uint32_t v = x < 40 ? 0xf6f6f4 : 0xa38e86; /* a glare; the skin in shade, as warm */
                ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = v;
                ((uint32_t *)(orig.px + (size_t)y * orig.stride))[x] = v;
            }
        pigment pg = default_pigment();
        pg.skin_warmth = k ? 0.17 : 0;
        ck_assert_int_eq(render_dots(&ph, d, 400, 4, 0, 0, &pg, &err), SMP_OK);
        lit_dl[k] = mean_l(&ph, 10, 6, 70, 24) - mean_l(&orig, 10, 6, 70, 24);
        glare_dl[k] = mean_l(&ph, 8, 32, 32, 48) - mean_l(&orig, 8, 32, 32, 48);
        if (k) shade_dl = mean_l(&ph, 48, 32, 72, 48) - mean_l(&orig, 48, 32, 72, 48);
        photo_free(&ph);
        photo_free(&orig);
    }
    ck_assert_msg(fabs(glare_dl[0]) < 2 && fabs(glare_dl[1]) < 2, "the glare lost %f, %f L*", glare_dl[0], glare_dl[1]);
    ck_assert_msg(shade_dl < -4, "the skin in shade darkened by %f L* only", shade_dl);
    /* In linear light the lit skin loses the share the shaded skin does,
     * which at its lightness is more L* (here -11.2 against -8.0; with the
     * fixed thresholds -4.9). */
    ck_assert_msg(lit_dl[1] < shade_dl, "the lit skin of the client's warmth darkened by %f L* (shade: %f)", lit_dl[1],
                  shade_dl);
    ck_assert_msg(lit_dl[0] > 0.5 * lit_dl[1], "the fixed thresholds darkened it by %f L* (with the skin's: %f)", lit_dl[0],
                  lit_dl[1]);
}
END_TEST

START_TEST(fresh_dots_are_darker_and_redden_the_skin_around_them)
{
    smp_error err = {0};
    photo a = flat(40, 40, 0xc89680), b = flat(40, 40, 0xc89680);
    smp_dot d = {2.0, 2.0, 0.4, 0.9, 1, SMP_DOT_REGULAR, 0, 0, 0.2}, f = d;
    f.fresh = 1;
    f.depth_mm = 0.12;
    pigment pg = default_pigment();
    ck_assert_int_eq(render_dots(&a, &d, 1, 10.0, 0, 0, &pg, &err), SMP_OK);
    ck_assert_int_eq(render_dots(&b, &f, 1, 10.0, 0, 0, &pg, &err), SMP_OK);
    /* The centre darker; 5 px out, redder (green and blue taken). */
    ck_assert(((px_at(&b, 20, 20) >> 8) & 255) < ((px_at(&a, 20, 20) >> 8) & 255));
    uint32_t va = px_at(&a, 25, 20), vb = px_at(&b, 25, 20);
    int ra = (va >> 16) & 255, ga = (va >> 8) & 255, rb = (vb >> 16) & 255, gb = (vb >> 8) & 255;
    ck_assert_msg(rb - gb > ra - ga, "fresh %d %d, healed %d %d", rb, gb, ra, ga);
    photo_free(&a);
    photo_free(&b);
}
END_TEST

START_TEST(pigment_colour_and_dilution)
{
    settings s;
    pigment pg;
    memset(&s, 0, sizeof s);
    pigment_from_settings(&pg, &s);
    ck_assert_double_eq(pg.strength, 1);
    ck_assert_double_eq(pg.weight[0], 1); /* carbon: the skin's optics give the cast */
    s.dilution = 20;
    pigment_from_settings(&pg, &s);
    ck_assert(pg.strength > 0.2 && pg.strength < 0.3);
    s.has_pigment = 1;
    s.pigment[0] = 0x60; s.pigment[1] = 0x40; s.pigment[2] = 0x30;
    pigment_from_settings(&pg, &s);
    ck_assert_double_eq(pg.strength, 1);
    ck_assert_double_eq_tol(pg.weight[0], 1 - 0x60 / 255.0, 1e-12);
    ck_assert_double_eq_tol(pg.weight[2], 1 - 0x30 / 255.0, 1e-12);
}
END_TEST

/* A pigment with brown in it takes less red than carbon black: a field of
 * its dots reads warmer (a*, b*) for as much darkening in green, and the
 * undertones keep their order. */
START_TEST(a_browner_undertone_reads_warmer)
{
    smp_error err = {0};
    const double ppm = 6;
    double lab[3][3];
    for (int u = 0; u < 3; u++) {
        photo ph = flat(120, 120, 0xd2aa96);
        smp_dot d[400]; /* 100 per cm^2 */
        for (int k = 0; k < 400; k++) d[k] = (smp_dot){0.5 + k % 20, 0.5 + k / 20, 0.5, 1, 1, SMP_DOT_REGULAR, 0, 0, 0.2};
        settings s;
        memset(&s, 0, sizeof s);
        s.depth_mm = 0.2;
        s.undertone = u;
        pigment pg;
        pigment_from_settings(&pg, &s);
        ck_assert_double_eq(pg.weight[2], 1);
        ck_assert(u == 0 ? pg.weight[0] == 1 : pg.weight[0] < pg.weight[1] && pg.weight[1] < 1);
        ck_assert_int_eq(render_dots(&ph, d, 400, ppm, 0, 0, &pg, &err), SMP_OK);
        double sum[3] = {0, 0, 0};
        for (int y = 24; y < 96; y++)
            for (int x = 24; x < 96; x++)
                for (int c = 0; c < 3; c++) sum[c] += srgb_to_linear((px_at(&ph, x, y) >> (16 - 8 * c)) & 255);
        for (int c = 0; c < 3; c++) sum[c] /= 72 * 72;
        linear_to_lab(sum, lab[u]);
        photo_free(&ph);
    }
    uint8_t skin_rgb[3] = {0xd2, 0xaa, 0x96};
    double skin[3];
    srgb_to_lab(skin_rgb, skin);
    for (int u = 1; u < 3; u++) {
        /* Per L* of darkening, less of a* and b*. */
        double was = (skin[1] - lab[u - 1][1] + skin[2] - lab[u - 1][2]) / (skin[0] - lab[u - 1][0]);
        double now = (skin[1] - lab[u][1] + skin[2] - lab[u][2]) / (skin[0] - lab[u][0]);
        ck_assert_msg(now < was - 0.05, "undertone %d: a*+b* lost per L* %.2f, against %.2f", u, now, was);
    }
    ck_assert_msg(skin[0] - lab[2][0] > 3, "the warm dots darken by L* %.1f only", skin[0] - lab[2][0]);
}
END_TEST

Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_soft_photo_softens_a_deposit_not_its_ink);
    tcase_add_test(tc, a_deposit_darkens_a_halo_wider_than_itself);
    tcase_add_test(tc, deeper_deposits_are_fainter_wider_and_cooler);
    tcase_add_test(tc, a_deeper_deposit_among_shallow_ones_keeps_its_halo);
    tcase_add_test(tc, apparent_size_of_a_healed_deposit);
    tcase_add_test(tc, renders_agree_across_resolutions);
    tcase_add_test(tc, shadow_at_defaults_and_shine_kept);
    tcase_add_test(tc, shine_follows_the_clients_skin);
    tcase_add_test(tc, fresh_dots_are_darker_and_redden_the_skin_around_them);
    tcase_add_test(tc, pigment_colour_and_dilution);
    tcase_add_test(tc, a_browner_undertone_reads_warmer);
    suite_add_tcase(s, tc);
    return s;
}
