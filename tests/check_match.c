/* --match auto on generated photos whose stubble is known: a bald area on
 * the left, bare skin around it, and stubble of a known darkness, colour
 * and density on the right. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "colour.h"
#include "image.h"
#include "layout.h"
#include "match.h"
#include "plan.h"
#include "render.h"

#define PPM 4
#define W 480 /* 120 x 80 mm */
#define H 320
#define AREA "40,40 220,40 220,280 40,280"
/* Drawn over the stubble only, 6 mm from the bald skin. */
#define AREA_OVER "260,40 460,40 460,280 260,280"
/* Drawn 15 mm into the stubble and over its whole height, as a
 * practitioner often does: no bare skin lies beside the stubble outside
 * it. */
#define AREA_INTO "40,8 296,8 296,312 40,312"

typedef enum hair_kind { NONE, DARK, LIGHT, LONG } hair_kind;

static uint64_t lcg(uint64_t *r)
{
    *r = *r * 6364136223846793005ULL + 1442695040888963407ULL;
    return *r >> 33;
}

/* Skin of colour SKIN with a little pixel noise; right of x = 236 (4 mm
 * past the area), HAIRS per cm^2 of the given kind (BELOW in the lower
 * half, when not 0). */
static void hair_photo_coloured(const char *path, hair_kind kind, int hairs, int below, const int hair_rgb[3])
{
    static const int grey_black[3] = {45, 42, 44};
    if (!hair_rgb) hair_rgb = grey_black;
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, W, H, &err), SMP_OK);
    uint64_t r = 99;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int n = (int)(lcg(&r) % 5) - 2;
            ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = (uint32_t)(200 + n) << 16 | (uint32_t)(158 + n) << 8 | (uint32_t)(138 + n);
        }
    double cm2 = (W - 236) / (double)PPM * H / PPM / 100;
    int count = kind == LONG ? 100 * (int)cm2 : (int)(hairs * cm2);
    for (int k = 0; k < count; k++) {
        int x = 236 + (int)(lcg(&r) % (W - 236)), y = (int)(lcg(&r) % H);
        if (below && hairs > 0 && y >= H / 2 && (int)(lcg(&r) % (uint64_t)hairs) >= below) continue;
        int len = kind == LONG ? 60 : 2, dir = (int)(lcg(&r) % 4);
        for (int s = 0; s < len; s++) {
            int xx = x + (dir == 0 || dir == 3 ? s : 0), yy = y + (dir >= 1 ? s : 0);
            if (xx >= W || yy >= H) break;
            uint32_t *p = (uint32_t *)(ph.px + (size_t)yy * ph.stride) + xx;
            int rr = (*p >> 16) & 255, gg = (*p >> 8) & 255, bb = *p & 255;
            if (kind == LIGHT) { /* grey-white hair, a little lighter than the skin */
                rr = (rr + 220) / 2; gg = (gg + 218) / 2; bb = (bb + 216) / 2;
            } else { /* dark hair shafts (grey-black unless HAIR_RGB), an eighth of a pixel wide: stubble at 4 px/mm */
                double f = kind == LONG ? 0.95 : 0.12;
                rr = (int)(rr * (1 - f) + hair_rgb[0] * f);
                gg = (int)(gg * (1 - f) + hair_rgb[1] * f);
                bb = (int)(bb * (1 - f) + hair_rgb[2] * f);
            }
            *p = (uint32_t)rr << 16 | (uint32_t)gg << 8 | (uint32_t)bb;
        }
    }
    FILE *f = fopen(path, "wb");
    ck_assert_int_eq(image_write_photo_png(f, path, &ph, 1, &err), SMP_OK);
    fclose(f);
    photo_free(&ph);
}

static void hair_photo_below(const char *path, hair_kind kind, int hairs, int below)
{
    hair_photo_coloured(path, kind, hairs, below, NULL);
}


typedef struct region_stats {
    double lin[3]; /* mean linear light */
    double lab[3];
    double tex;    /* standard deviation of L* */
} region_stats;

static void measure(const photo *p, int x0, int y0, int x1, int y1, region_stats *out)
{
    double s = 0, s2 = 0, n = 0;
    memset(out, 0, sizeof *out);
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            uint32_t v = ((const uint32_t *)(p->px + (size_t)y * p->stride))[x];
            uint8_t rgb[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
            double lab[3];
            srgb_to_lab(rgb, lab);
            for (int c = 0; c < 3; c++) out->lin[c] += srgb_to_linear(rgb[c]);
            s += lab[0];
            s2 += lab[0] * lab[0];
            n++;
        }
    for (int c = 0; c < 3; c++) out->lin[c] /= n;
    linear_to_lab(out->lin, out->lab);
    out->tex = sqrt(s2 / n - (s / n) * (s / n));
}

/* Matches, renders, and measures the area's middle before and after and
 * the stubble. */
static void match_area_coloured(const char *polygon, hair_kind kind, int hairs, const int hair_rgb[3], const char *extra,
                                smp_hair_match *m, region_stats *before, region_stats *after, region_stats *stubble,
                                region_stats *after_cool)
{
    char path[] = "/tmp/smpsim-hair-XXXXXX.png", opt[64], scale[16], poly[80];
    close(mkstemps(path, 4));
    hair_photo_coloured(path, kind, hairs, 0, hair_rgb);
    snprintf(opt, sizeof opt, "photo=%s", path);
    snprintf(scale, sizeof scale, "scale=%d", PPM);
    snprintf(poly, sizeof poly, "area-polygon=%s", polygon);
    smp_plan *p = test_plan(opt, scale, poly, "match=auto", "edge-mm=0", "blowout=0", extra, NULL);
    smp_error err = {0};
    smp_layout *L;
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    ck_assert(smp_layout_hair_match(L, m));
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, W, H, &err), SMP_OK);
    memcpy(ph.px, L->photo.px, (size_t)ph.stride * ph.h);
    /* The middle of the area, 6 mm in from its edge. */
    measure(&ph, 64, 64, 196, 256, before);
    measure(&ph, 260, 24, 460, 296, stubble);
    pigment pg;
    pigment_from_settings(&pg, &L->mm);
    ck_assert_int_eq(render_dots(&ph, L->shown, L->n_shown, PPM, 0, 0, &pg, &err), SMP_OK);
    measure(&ph, 64, 64, 196, 256, after);
    if (after_cool) {
        /* The same dots in plain carbon black. */
        memcpy(ph.px, L->photo.px, (size_t)ph.stride * ph.h);
        pigment_undertone(0, pg.weight);
        ck_assert_int_eq(render_dots(&ph, L->shown, L->n_shown, PPM, 0, 0, &pg, &err), SMP_OK);
        measure(&ph, 64, 64, 196, 256, after_cool);
    }
    photo_free(&ph);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}

static void match_area_with(const char *polygon, hair_kind kind, int hairs, const char *extra, smp_hair_match *m,
                            region_stats *before, region_stats *after, region_stats *stubble)
{
    match_area_coloured(polygon, kind, hairs, NULL, extra, m, before, after, stubble, NULL);
}

static void match_area(const char *polygon, hair_kind kind, int hairs, smp_hair_match *m, region_stats *before,
                       region_stats *after, region_stats *stubble)
{
    match_area_with(polygon, kind, hairs, NULL, m, before, after, stubble);
}

static void match_case(hair_kind kind, int hairs, smp_hair_match *m, region_stats *before, region_stats *after,
                       region_stats *stubble)
{
    match_area(AREA, kind, hairs, m, before, after, stubble);
}

/* No match: the reason says WHY and the plan's dots are kept. */
static void plan_kept(const smp_hair_match *m, const char *why)
{
    ck_assert_msg(!m->found && strstr(m->reason, why), "%s", m->reason);
    ck_assert_double_eq(m->density, 80);
    ck_assert_double_eq(m->dot_mm, 0.5);
}

static double absorb(const region_stats *from, const region_stats *to) { return -log(to->lin[1] / from->lin[1]); }

START_TEST(dark_stubble_is_matched)
{
    smp_hair_match m, m2;
    region_stats b, a, s, b2, a2, s2;
    match_case(DARK, 1100, &m, &b, &a, &s);
    ck_assert_msg(m.found && !m.light && !m.limited, "%s", m.reason);
    /* It measured the stubble within 2 L* of what it is, and the area now
     * takes as much light as the stubble does, within 20 %. */
    ck_assert_msg(fabs(m.stubble_lab[0] - s.lab[0]) < 2, "measured L* %.1f, the stubble is %.1f", m.stubble_lab[0], s.lab[0]);
    double want = absorb(&b, &s), got = absorb(&b, &a);
    ck_assert_msg(fabs(got / want - 1) < 0.2, "absorbance %.3f, stubble %.3f (%s)", got, want, m.reason);
    ck_assert_msg(fabs(a.lab[1] - s.lab[1]) < 3 && fabs(a.lab[2] - s.lab[2]) < 3, "a* %.1f b* %.1f against %.1f %.1f",
                  a.lab[1], a.lab[2], s.lab[1], s.lab[2]);
    ck_assert_msg(a.tex / s.tex > 0.6 && a.tex / s.tex < 1.6, "texture %.2f against %.2f", a.tex, s.tex);
    ck_assert(m.density >= 60 && m.density <= 200 && m.dot_mm >= 0.25 && m.dot_mm <= 0.6);
    ck_assert_msg(strstr(m.reason, "stubble around the area: L*"), "%s", m.reason);
    /* Sparser stubble asks for less ink. */
    match_case(DARK, 550, &m2, &b2, &a2, &s2);
    ck_assert_msg(m2.found && !m2.light, "%s", m2.reason);
    ck_assert_msg(m2.density * m2.dot_mm * m2.dot_mm < 0.8 * m.density * m.dot_mm * m.dot_mm, "%s / %s", m2.reason, m.reason);
    ck_assert(absorb(&b2, &a2) < 0.8 * got);
}
END_TEST

/* Brown stubble: a pigment with some brown in it, whose colour is closer
 * to the stubble's than carbon black's would be.  Stubble with a cool,
 * blue-black shadow (a* -4, b* -7 for L* -8 on this skin; the real
 * stubble-side-face.jpg's is -3.9, -5.8 for -7.4, and its bald band takes
 * neutral) keeps carbon black. */
START_TEST(brown_stubble_takes_a_browner_pigment)
{
    static const int brown[3] = {70, 50, 35};
    smp_hair_match m;
    region_stats b, a, s, cool;
    match_area_coloured(AREA, DARK, 1100, brown, NULL, &m, &b, &a, &s, &cool);
    ck_assert_msg(m.found && !m.light && m.undertone > 0, "%s", m.reason);
    ck_assert_msg(strstr(m.reason, m.undertone == 2 ? "warm undertone" : "neutral undertone"), "%s", m.reason);
    double got = hypot(a.lab[1] - s.lab[1], a.lab[2] - s.lab[2]), black = hypot(cool.lab[1] - s.lab[1], cool.lab[2] - s.lab[2]);
    ck_assert_msg(got < black - 0.5 && fabs(a.lab[1] - s.lab[1]) < 3 && fabs(a.lab[2] - s.lab[2]) < 3,
                  "a*b* %.1f,%.1f (carbon black %.1f,%.1f) against the stubble's %.1f,%.1f", a.lab[1], a.lab[2],
                  cool.lab[1], cool.lab[2], s.lab[1], s.lab[2]);
    static const int blue_black[3] = {0, 50, 90};
    match_area_coloured(AREA, DARK, 1100, blue_black, NULL, &m, &b, &a, &s, NULL);
    ck_assert_msg(m.found && m.undertone == 0 && strstr(m.reason, "cool undertone"), "%s", m.reason);
}
END_TEST

/* Stubble inside the area is still the client's stubble, not bare skin:
 * drawn 10 mm into it, the match reads the same stubble and the bald
 * middle takes as much light as it. */
START_TEST(an_area_drawn_into_the_stubble_reads_it)
{
    smp_hair_match m;
    region_stats b, a, s;
    match_area(AREA_INTO, DARK, 1100, &m, &b, &a, &s);
    ck_assert_msg(m.found && !m.light && !m.limited, "%s", m.reason);
    ck_assert_msg(fabs(m.stubble_lab[0] - s.lab[0]) < 2, "measured L* %.1f, the stubble is %.1f", m.stubble_lab[0], s.lab[0]);
    ck_assert_msg(fabs(m.skin_lab[0] - b.lab[0]) < 1, "measured bare L* %.1f, the skin is %.1f", m.skin_lab[0], b.lab[0]);
    double want = absorb(&b, &s), got = absorb(&b, &a);
    ck_assert_msg(fabs(got / want - 1) < 0.2, "absorbance %.3f, stubble %.3f (%s)", got, want, m.reason);
}
END_TEST

/* With no bald skin in the area there is nothing to match: its smoothest
 * skin is stubble, darker and grainier than the bald skin beside it; it
 * says so and keeps the plan's dots rather than darken the stubble by its
 * own step. */
START_TEST(an_area_over_stubble_only_is_not_matched)
{
    smp_hair_match m;
    region_stats b, a, s;
    match_area(AREA_OVER, DARK, 1100, &m, &b, &a, &s);
    plan_kept(&m, "drawn over stubble");
}
END_TEST

/* Hair that takes more than half the light from the skin it lies on is
 * darker than any buzz-cut head: long hair over a thinning crown, not
 * stubble to copy (matching it drew black blotches); the plan's dots. */
START_TEST(hair_darker_than_stubble_is_not_matched)
{
    smp_hair_match m;
    region_stats b, a, s;
    match_case(DARK, 4000, &m, &b, &a, &s);
    ck_assert_msg(s.lin[1] < 0.53 * b.lin[1], "the generated hair lets through %.2f of the light", s.lin[1] / b.lin[1]);
    plan_kept(&m, "long hair over the skin, not stubble to match");
}
END_TEST

/* In thinning mode the hair around is kept and most often long: under 0.6
 * of the skin's light it is long hair too, while the same photo with a
 * bald area (normal mode) is matched as the darkest stubble. */
START_TEST(thinning_takes_dark_hair_for_long_hair)
{
    smp_hair_match m;
    region_stats b, a, s;
    match_area_with(AREA, DARK, 2600, NULL, &m, &b, &a, &s);
    double through = s.lin[1] / b.lin[1];
    ck_assert_msg(through > 0.53 && through < 0.6, "the generated hair lets through %.2f of the light", through);
    ck_assert_msg(m.found && !m.light, "%s", m.reason);
    match_area_with(AREA, DARK, 2600, "mode=thinning", &m, &b, &a, &s);
    plan_kept(&m, "long hair over the skin, not stubble to match");
}
END_TEST

START_TEST(light_stubble_gives_a_light_grey)
{
    smp_hair_match m;
    region_stats b, a, s;
    match_case(LIGHT, 200, &m, &b, &a, &s);
    ck_assert_msg(m.found && m.light, "%s", m.reason);
    /* Darker by no more than L* 4, and greyer. */
    ck_assert_msg(b.lab[0] - a.lab[0] > 0.5 && b.lab[0] - a.lab[0] <= 4, "L* %.1f to %.1f", b.lab[0], a.lab[0]);
    ck_assert(hypot(a.lab[1], a.lab[2]) < hypot(b.lab[1], b.lab[2]) - 0.5);
    ck_assert_msg(strstr(m.reason, "is light"), "%s", m.reason);
}
END_TEST

START_TEST(no_stubble_or_long_hair_keeps_the_plan)
{
    smp_hair_match m;
    region_stats b, a, s;
    match_case(NONE, 0, &m, &b, &a, &s);
    ck_assert_msg(!m.found && strstr(m.reason, "no short hair or stubble"), "%s", m.reason);
    ck_assert_double_eq(m.density, 80);
    ck_assert_double_eq(m.dot_mm, 0.5);
    match_case(LONG, 0, &m, &b, &a, &s);
    ck_assert_msg(!m.found && strstr(m.reason, "long hair"), "%s", m.reason);
}
END_TEST

/* The note for long hair round the area, in normal mode without --match
 * auto (1 when it is given), from the kind alone. */
static int long_hair_noted(hair_kind kind, int hairs, const char *extra)
{
    char path[] = "/tmp/smpsim-hair-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    hair_photo_coloured(path, kind, hairs, 0, NULL);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "area-polygon=" AREA, extra, NULL);
    smp_error err = {0};
    smp_layout *L;
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    int noted = 0;
    for (int i = 0; smp_layout_note_at(L, i); i++) noted += strstr(smp_layout_note_at(L, i), "long hair lies round") != NULL;
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
    return noted;
}

/* What borders the area, alone: long hair (strands, or hair too dark for
 * stubble) or not, with the plan's settings and the area left as they
 * were; the note that the after shows a head kept shaved follows it. */
START_TEST(the_kind_alone_tells_long_hair_from_stubble)
{
    static const struct { hair_kind kind; int hairs, long_hair, stubble; } cases[] = {
        {LONG, 0, 1, 0}, {DARK, 4000, 1, 0}, {DARK, 2600, 0, 1}, {DARK, 800, 0, 1}, {LIGHT, 200, 0, 1}, {NONE, 0, 0, 0}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char path[] = "/tmp/smpsim-hair-XXXXXX.png", opt[64];
        close(mkstemps(path, 4));
        hair_photo_coloured(path, cases[k].kind, cases[k].hairs, 0, NULL);
        snprintf(opt, sizeof opt, "photo=%s", path);
        smp_plan *p = test_plan(opt, "scale=4", "area-polygon=" AREA, NULL);
        smp_error err = {0};
        smp_layout *L;
        ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
        settings s = L->mm;
        smp_hair_match m;
        int stubble = -1;
        ck_assert_int_eq(match_hair_kind(&L->photo, L->scale, &L->area, &L->mm, &m, &stubble, &err), SMP_OK);
        ck_assert_msg(m.long_hair == cases[k].long_hair, "case %zu: %s", k, m.reason);
        ck_assert_msg(stubble == cases[k].stubble, "case %zu: stubble %d: %s", k, stubble, m.reason);
        ck_assert_msg(!m.found, "case %zu: the kind alone matched: %s", k, m.reason);
        ck_assert(memcmp(&s, &L->mm, sizeof s) == 0);
        ck_assert_ptr_null(L->area.fill);
        smp_layout_free(L);
        smp_plan_free(p);
        unlink(path);
    }
    ck_assert_int_eq(long_hair_noted(LONG, 0, NULL), 1);
    ck_assert_int_eq(long_hair_noted(LONG, 0, "match=auto"), 1);
    ck_assert_int_eq(long_hair_noted(DARK, 2600, NULL), 0);
    ck_assert_int_eq(long_hair_noted(NONE, 0, NULL), 0);
    /* Thinning puts the dots under the hair: nothing to say. */
    ck_assert_int_eq(long_hair_noted(LONG, 0, "mode=thinning"), 0);
}
END_TEST

/* The stubble beside the area dense above and sparse below: next to the
 * sparse stubble the area darkens only as far as it, not to the dense
 * stubble's level (a visible darker cap's edge, seen on stubble-back.jpg's
 * lower edge); next to the dense stubble, to its level. */
START_TEST(the_edge_darkens_as_the_stubble_beside_it)
{
    /* Measured and rendered on strips along the area's right edge (x
     * 200-218: 0.5-5 mm in) and on the stubble beside them. */
    char path[] = "/tmp/smpsim-hair-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    hair_photo_below(path, DARK, 1100, 450);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=4", "area-polygon=" AREA, "match=auto", "edge-mm=0", "blowout=0", NULL);
    smp_error err = {0};
    smp_layout *L;
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    smp_hair_match m;
    ck_assert(smp_layout_hair_match(L, &m));
    ck_assert_msg(m.found && !m.light, "%s", m.reason);
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, W, H, &err), SMP_OK);
    memcpy(ph.px, L->photo.px, (size_t)ph.stride * ph.h);
    region_stats top0, low0, top1, low1, stub_top, stub_low;
    measure(&ph, 200, 50, 218, 110, &top0);
    measure(&ph, 200, 210, 218, 270, &low0);
    measure(&ph, 250, 50, 330, 110, &stub_top);
    measure(&ph, 250, 210, 330, 270, &stub_low);
    pigment pg;
    pigment_from_settings(&pg, &L->mm);
    ck_assert_int_eq(render_dots(&ph, L->shown, L->n_shown, PPM, 0, 0, &pg, &err), SMP_OK);
    measure(&ph, 200, 50, 218, 110, &top1);
    measure(&ph, 200, 210, 218, 270, &low1);
    double top = absorb(&top0, &top1), low = absorb(&low0, &low1);
    double want_top = absorb(&top0, &stub_top), want_low = absorb(&low0, &stub_low);
    ck_assert_msg(top > 0.5 * want_top, "by the dense stubble: absorbance %.3f, the stubble's %.3f", top, want_top);
    ck_assert_msg(low < 0.9 * top && fabs(low / want_low - 1) < 0.3,
                  "by the sparse stubble: absorbance %.3f, the stubble's %.3f (by the dense: %.3f)", low, want_low, top);
    photo_free(&ph);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

/* Behind a drawn hairline (face down, across the bottom), --area auto
 * finds a bald disc in dense stubble at 6 px/mm, less a bay of thinner
 * stubble cut into it from the right.  Matched, the area takes in the bay
 * (its convex hull), and the dots there bring the thin stubble most of
 * the way to the dense stubble's shade; nothing lands ahead of the line. */
START_TEST(the_bays_behind_a_hairline_are_topped_up)
{
    char path[] = "/tmp/smpsim-bay-XXXXXX.png", opt[64];
    close(mkstemps(path, 4));
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, 600, 600, &err), SMP_OK);
    uint64_t r = 12345;
    for (int y = 0; y < 600; y++)
        for (int x = 0; x < 600; x++) {
            int n = (int)(lcg(&r) % 7) - 3;
            ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] =
                (uint32_t)(200 + n) << 16 | (uint32_t)(154 + n) << 8 | (uint32_t)(128 + n);
        }
    for (int k = 0; k < 12000; k++) {
        int x = (int)(lcg(&r) % 599), y = (int)(lcg(&r) % 599);
        int bay = x >= 340 && x < 460 && y >= 230 && y < 290;
        if (hypot(x - 300, y - 260) < 150 && !bay) continue;
        if (bay && lcg(&r) % 100 >= 35) continue;
        for (int j = 0; j < 2; j++)
            for (int i = 0; i < 2; i++) ((uint32_t *)(ph.px + (size_t)(y + j) * ph.stride))[x + i] = 0x3c3028u;
    }
    FILE *f = fopen(path, "wb");
    ck_assert_int_eq(image_write_photo_png(f, path, &ph, 1, &err), SMP_OK);
    fclose(f);
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "scale=6", "area=auto", "hairline=rounded", "anchors=150,440:300,460:450,440",
                            "face=down", "match=auto", NULL);
    smp_layout *L;
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    smp_hair_match m;
    ck_assert(smp_layout_hair_match(L, &m));
    ck_assert_msg(m.found && !m.light && strstr(m.reason, "its bays behind the hairline"), "%s", m.reason);
    region_stats bay0, bay1, dense;
    measure(&ph, 350, 240, 450, 280, &bay0);
    measure(&ph, 500, 100, 580, 500, &dense);
    pigment pg;
    pigment_from_settings(&pg, &L->mm);
    ck_assert_int_eq(render_dots(&ph, L->shown, L->n_shown, 6, 0, 0, &pg, &err), SMP_OK);
    measure(&ph, 350, 240, 450, 280, &bay1);
    ck_assert_msg(bay0.lab[0] - dense.lab[0] > 2, "the bay is only %.1f L* lighter than the stubble",
                  bay0.lab[0] - dense.lab[0]);
    ck_assert_msg(bay0.lab[0] - bay1.lab[0] > 0.4 * (bay0.lab[0] - dense.lab[0]),
                  "the bay went from L* %.1f to %.1f, the dense stubble is %.1f", bay0.lab[0], bay1.lab[0], dense.lab[0]);
    ck_assert_msg(bay1.lab[0] > dense.lab[0] - 1, "the bay is darker than the stubble: %.1f against %.1f", bay1.lab[0],
                  dense.lab[0]);
    size_t ahead = 0;
    for (size_t k = 0; k < L->n_shown; k++) ahead += L->shown[k].y_mm * 6 > 480;
    ck_assert_msg(ahead == 0, "%zu dots ahead of the line", ahead);
    photo_free(&ph);
    smp_layout_free(L);
    smp_plan_free(p);
    unlink(path);
}
END_TEST

Suite *match_suite(void)
{
    Suite *s = suite_create("match");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, dark_stubble_is_matched);
    tcase_add_test(tc, the_edge_darkens_as_the_stubble_beside_it);
    tcase_add_test(tc, an_area_drawn_into_the_stubble_reads_it);
    tcase_add_test(tc, an_area_over_stubble_only_is_not_matched);
    tcase_add_test(tc, hair_darker_than_stubble_is_not_matched);
    tcase_add_test(tc, thinning_takes_dark_hair_for_long_hair);
    tcase_add_test(tc, light_stubble_gives_a_light_grey);
    tcase_add_test(tc, no_stubble_or_long_hair_keeps_the_plan);
    tcase_add_test(tc, the_kind_alone_tells_long_hair_from_stubble);
    tcase_add_test(tc, the_bays_behind_a_hairline_are_topped_up);
    tcase_add_test(tc, brown_stubble_takes_a_browner_pigment);
    suite_add_tcase(s, tc);
    return s;
}
