#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "rng.h"
#include "plan.h"
#include "ears.h"
#include "scalp.h"

typedef struct { uint8_t skin[3], hair[3], bg[3]; double light; double bx, by, brx, bry; } scene;

/* A 300x300 top view at 3 px/mm: a head of textured hair around a bald
 * oval of skin, lit from the left, on a plain background.  TRUTH gets the
 * bald oval. */
static void draw(const scene *sc, photo *p, uint8_t *truth)
{
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(p, 300, 300, &err), SMP_OK);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            double hx = (x - 150) / 115.0, hy = (y - 155) / 130.0;
            double bx = (x - (sc->brx ? sc->bx : 150)) / (sc->brx ? sc->brx : 72.0);
            double by = (y - (sc->brx ? sc->by : 135)) / (sc->brx ? sc->bry : 82.0);
            int head = hx * hx + hy * hy < 1, bald = bx * bx + by * by < 1;
            truth[y * 300 + x] = (uint8_t)bald;
            double light = 1 - sc->light / 2 + sc->light * x / 300.0;
            double noise = (rng_unit(rng_hash(5, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 6;
            double c[3];
            for (int k = 0; k < 3; k++) {
                if (bald) c[k] = sc->skin[k] * light + noise;
                else if (head) {
                    /* Strands: bright and dark stripes a pixel or two wide. */
                    int stripe = (x * 3 + y * 5 + (int)(rng_hash(6, 9, (uint64_t)(x / 3), (uint64_t)(y / 9)) % 5)) % 4 < 2;
                    c[k] = sc->hair[k] * light * (stripe ? 1.35 : 0.6) + noise;
                } else c[k] = sc->bg[k] + noise / 3;
                c[k] = c[k] < 0 ? 0 : c[k] > 255 ? 255 : c[k];
            }
            ((uint32_t *)(p->px + (size_t)y * p->stride))[x] =
                (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | (uint32_t)c[2];
        }
}

START_TEST(finds_the_scalp_on_generated_photos)
{
    static const scene scenes[] = {
        {{245, 215, 195}, {25, 20, 18}, {60, 90, 160}, 0.3, 0, 0, 0, 0},   /* very fair, black hair, blue */
        {{230, 190, 160}, {200, 170, 110}, {128, 128, 128}, 0.2, 0, 0, 0, 0}, /* fair, blond, grey */
        {{200, 150, 115}, {80, 55, 35}, {240, 240, 240}, 0.4, 0, 0, 0, 0},  /* medium, brown, white */
        {{170, 125, 90}, {25, 20, 18}, {80, 140, 80}, 0.3, 0, 0, 0, 0},     /* olive, black, green */
        {{130, 90, 65}, {150, 150, 150}, {10, 10, 10}, 0.2, 0, 0, 0, 0},    /* brown, grey hair, black */
        {{90, 60, 45}, {25, 20, 18}, {200, 200, 220}, 0.3, 0, 0, 0, 0},     /* dark, black, pale */
        {{65, 43, 32}, {120, 110, 100}, {60, 90, 160}, 0.25, 0, 0, 0, 0},   /* very dark, grey-brown, blue */
    };
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++) {
        photo p;
        uint8_t truth[300 * 300], *mask = NULL;
        double conf;
        char warn[256];
        smp_error err = {0};
        draw(&scenes[i], &p, truth);
        ck_assert_msg(scalp_detect(&p, 3, &(scalp_hint){-1, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "generated", &mask, &conf, warn, sizeof warn, &err) == SMP_OK, "scene %zu: %s", i,
                      err.msg);
        ck_assert_msg(!warn[0], "scene %zu: %s", i, warn);
        size_t inter = 0, uni = 0;
        for (int k = 0; k < 300 * 300; k++) {
            inter += truth[k] && mask[k];
            uni += truth[k] || mask[k];
        }
        double iou = (double)inter / uni;
        ck_assert_msg(iou >= 0.85, "scene %zu: IoU %.3f", i, iou);
        ck_assert(conf > 0.3 && conf <= 1);
        free(mask);
        photo_free(&p);
    }
}
END_TEST

START_TEST(finds_a_crown_off_the_middle)
{
    /* The bald crown up and to the left; hair in the middle of the photo,
     * as when a back view is framed on the whole head. */
    static const scene sc[] = {
        {{200, 150, 115}, {40, 30, 25}, {220, 220, 225}, 0.3, 100, 95, 48, 52},
        {{90, 60, 45}, {25, 20, 18}, {200, 200, 220}, 0.3, 200, 100, 45, 50},
    };
    for (size_t i = 0; i < 2; i++) {
        photo p;
        uint8_t truth[300 * 300], *mask = NULL;
        double conf;
        char warn[256];
        smp_error err = {0};
        draw(&sc[i], &p, truth);
        ck_assert(!truth[150 * 300 + 150]);
        ck_assert_msg(scalp_detect(&p, 3, &(scalp_hint){-1, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "generated", &mask, &conf, warn, sizeof warn, &err) == SMP_OK, "%s", err.msg);
        size_t inter = 0, uni = 0;
        for (int k = 0; k < 300 * 300; k++) {
            inter += truth[k] && mask[k];
            uni += truth[k] || mask[k];
        }
        ck_assert_msg((double)inter / uni >= 0.85, "scene %zu: IoU %.3f", i, (double)inter / uni);
        free(mask);
        photo_free(&p);
    }
}
END_TEST

/* A 300x300 top view at 3 px/mm lit strongly from the upper left: the
 * light falls from 1.3 to 0.45 across the bald oval (about 30 L*), and the
 * skin's pores (one pixel in eight, 8 % darker) darken with it, so the
 * lit part is grainier in L* than the shaded part.  BALD gets the oval,
 * HEAD the head with its hair. */
static void draw_lit(photo *p, uint8_t *bald, uint8_t *head)
{
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(p, 300, 300, &err), SMP_OK);
    static const double skin[3] = {190, 140, 110}, hair[3] = {40, 30, 25}, bg[3] = {205, 210, 215};
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            double hx = (x - 150) / 120.0, hy = (y - 150) / 135.0;
            double bx = (x - 150) / 85.0, by = (y - 145) / 100.0;
            int in_head = hx * hx + hy * hy < 1, in_bald = bx * bx + by * by < 1;
            bald[y * 300 + x] = (uint8_t)in_bald;
            head[y * 300 + x] = (uint8_t)in_head;
            /* Light from the upper left, falling off across the head. */
            double d = hypot(x - 90, y - 80) / 220.0, light = 1.35 - 1.0 * fmin(1, d);
            double noise = (rng_unit(rng_hash(5, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 3;
            int pore = rng_unit(rng_hash(8, 9, (uint64_t)x, (uint64_t)y)) < 0.125;
            double c[3];
            for (int k = 0; k < 3; k++) {
                if (in_bald) c[k] = skin[k] * light * (pore ? 0.92 : 1) + noise;
                else if (in_head) {
                    int stripe = (x * 3 + y * 5 + (int)(rng_hash(6, 9, (uint64_t)(x / 3), (uint64_t)(y / 9)) % 5)) % 4 < 2;
                    c[k] = hair[k] * light * (stripe ? 1.35 : 0.6) + noise;
                } else c[k] = bg[k] + noise / 3;
                c[k] = c[k] < 0 ? 0 : c[k] > 255 ? 255 : c[k];
            }
            ((uint32_t *)(p->px + (size_t)y * p->stride))[x] =
                (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | (uint32_t)c[2];
        }
}

START_TEST(finds_the_whole_bald_top_across_a_lighting_gradient)
{
    /* The gradient of light must not split the bald top: all of it is
     * found, in one piece, and nothing of the hair or the background. */
    photo p;
    static uint8_t bald[300 * 300], head[300 * 300];
    uint8_t *mask = NULL;
    double conf = 0;
    char warn[256];
    smp_error err = {0};
    draw_lit(&p, bald, head);
    for (int face = -1; face <= FACE_UP; face += 1 + (face == -1)) {
        ck_assert_msg(scalp_detect(&p, 3, &(scalp_hint){face, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "lit.png", &mask, &conf, warn, sizeof warn,
                                   &err) == SMP_OK,
                      "%s", err.msg);
        size_t in = 0, all = 0, outside = 0, shaded = 0, shaded_all = 0;
        for (int y = 0; y < 300; y++)
            for (int x = 0; x < 300; x++) {
                int k = y * 300 + x;
                /* A millimetre's margin each side of the oval's edge. */
                double bx = (x - 150) / 85.0, by = (y - 145) / 100.0, e = sqrt(bx * bx + by * by);
                if (bald[k]) { all++; in += mask[k] != 0; }
                if (bald[k] && x + y > 330) { shaded_all++; shaded += mask[k] != 0; }
                if (!bald[k] && (e - 1) * 90 > 3) outside += mask[k] != 0;
            }
        ck_assert_msg(in >= all * 9 / 10, "face %d: %zu of %zu pixels of the bald top (%.1f %%)", face, in, all,
                      100.0 * in / all);
        ck_assert_msg(shaded >= shaded_all * 9 / 10, "face %d: %zu of %zu of its shaded half", face, shaded, shaded_all);
        ck_assert_msg(outside == 0, "face %d: %zu pixels off the bald top", face, outside);
        free(mask);
        mask = NULL;
    }
    photo_free(&p);
}
END_TEST

/* A 600x600 top view at 3 px/mm of a head 152 mm broad and 190 mm long
 * (textured hair round a bald top) on a pale wall, moved by (DX, DY) px;
 * with SHOULDERS, skin and a shirt 400 mm wide joined below it. */
static void draw_head(photo *p, int dx, int dy, int shoulders)
{
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(p, 600, 600, &err), SMP_OK);
    for (int y = 0; y < 600; y++)
        for (int x = 0; x < 600; x++) {
            double hx = (x - 300 - dx) / 228.0, hy = (y - 300 - dy) / 285.0;
            double bx = (x - 300 - dx) / 150.0, by = (y - 290 - dy) / 200.0;
            double noise = (rng_unit(rng_hash(5, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 4;
            double c[3] = {222, 224, 228};
            if (shoulders && y > 480 + dy && abs(x - 300 - dx) < 600) c[0] = 200, c[1] = 150, c[2] = 115;
            if (hx * hx + hy * hy < 1) {
                int stripe = (x * 3 + y * 5) % 4 < 2;
                for (int k = 0; k < 3; k++) c[k] = (k == 0 ? 60 : k == 1 ? 45 : 35) * (stripe ? 1.35 : 0.6);
                if (bx * bx + by * by < 1) c[0] = 200, c[1] = 150, c[2] = 115;
            }
            uint32_t v = 0;
            for (int k = 0; k < 3; k++) {
                double e = c[k] + noise;
                v = v << 8 | (uint32_t)(e < 0 ? 0 : e > 255 ? 255 : e);
            }
            ((uint32_t *)(p->px + (size_t)y * p->stride))[x] = v;
        }
}

START_TEST(measures_the_head_breadth)
{
    /* In the frame, the breadth is the head's (456 px: 152 mm at 3 px/mm);
     * running off the side or the bottom, or joined to shoulders, it
     * cannot be told. */
    static const struct { int dx, dy, shoulders; double want; } cases[] = {
        {0, 0, 0, 456}, {-40, 5, 0, 456}, {120, 0, 0, 0}, {0, 40, 0, 0}, {0, -10, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        photo p;
        smp_error err = {0};
        double breadth = -1;
        draw_head(&p, cases[i].dx, cases[i].dy, cases[i].shoulders);
        ck_assert_int_eq(scalp_head_breadth(&p, FACE_DOWN, &breadth, &err), SMP_OK);
        if (cases[i].want > 0)
            ck_assert_msg(fabs(breadth / cases[i].want - 1) < 0.03, "case %zu: %.0f px, want %.0f", i, breadth,
                          cases[i].want);
        else
            ck_assert_msg(breadth == 0, "case %zu: %.0f px, want none", i, breadth);
        photo_free(&p);
    }
}
END_TEST

/* A 300x300 top view at 3 px/mm: a bald crown that runs to the head's
 * outline on the left, with textured hair round the rest, and a blown-out
 * shine (near-white core 9 mm across the radius, fading over 4 mm) on the
 * crown's upper right, running over its edge into the hair.  A white wall
 * from the photo's left border meets the bald outline, and a white cup
 * stands free in the background, both out of focus (their edges fade over
 * 8 mm, softer than the shine's); a white clip lies on the crown's lower edge.
 * BALD gets the crown, SHINE the shine (core and fade), WHITE the wall,
 * the cup and the clip (with their fades). */
static void draw_shine(photo *p, const double skin[3], uint8_t *bald, uint8_t *shine, uint8_t *white)
{
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(p, 300, 300, &err), SMP_OK);
    static const double hair[3] = {40, 30, 25}, bg[3] = {95, 105, 125}, paint[3] = {244, 244, 241};
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            int k = y * 300 + x;
            double hx = (x - 170) / 115.0, hy = (y - 155) / 130.0;
            double bx = (x - 135) / 85.0, by = (y - 140) / 82.0;
            double d = hypot(x - 205, y - 115), s = fmin(1, fmax(0, (39 - d) / 12));
            int in_head = hx * hx + hy * hy < 1, clip = hypot(x - 150, y - 215) < 10;
            double blur = fmax(fmin(1, (62 - x) / 24.0), fmin(1, (30 - hypot(x - 265, y - 32)) / 24));
            int in_white = clip || (!in_head && blur > 0);
            bald[k] = (uint8_t)(in_head && !clip && bx * bx + by * by < 1);
            shine[k] = (uint8_t)(in_head && !clip && s > 0);
            /* The wall a millimetre clear of the head's outline (the
             * pixels on it mix the two). */
            white[k] = (uint8_t)(clip || (in_white && hx * hx + hy * hy > 1.05));
            double noise = (rng_unit(rng_hash(5, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 4;
            int stripe = (x * 3 + y * 5 + (int)(rng_hash(6, 9, (uint64_t)(x / 3), (uint64_t)(y / 9)) % 5)) % 4 < 2;
            double c[3];
            for (int i = 0; i < 3; i++) {
                c[i] = clip ? paint[i] + noise / 4 : bald[k] ? skin[i] + noise
                       : in_head ? hair[i] * (stripe ? 1.35 : 0.6) + noise
                       : in_white ? paint[i] * blur + bg[i] * (1 - blur) + noise / 4 : bg[i] + noise / 3;
                /* Light reflected off the head, above whatever it lies on. */
                if (shine[k]) c[i] = c[i] * (1 - s) + (253 + noise / 4) * s;
                c[i] = c[i] < 0 ? 0 : c[i] > 255 ? 255 : c[i];
            }
            ((uint32_t *)(p->px + (size_t)y * p->stride))[x] =
                (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | (uint32_t)c[2];
        }
}

/* The pixels outside MASK (300x300) that the photo's border cannot reach
 * without crossing it: holes. */
static size_t holes(const uint8_t *mask)
{
    static uint8_t seen[300 * 300];
    static int stack[2 * 300 * 300];
    size_t top = 0, out = 0, reached = 0;
    memset(seen, 0, sizeof seen);
    for (int k = 0; k < 300; k++) {
        int edge[4] = {k, 299 * 300 + k, k * 300, k * 300 + 299};
        for (int e = 0; e < 4; e++)
            if (!mask[edge[e]] && !seen[edge[e]]) { seen[edge[e]] = 1; stack[top++] = edge[e]; }
    }
    while (top) {
        int i = stack[--top], x = i % 300, y = i / 300;
        reached++;
        int nb[4] = {x > 0 ? i - 1 : -1, x < 299 ? i + 1 : -1, y > 0 ? i - 300 : -1, y < 299 ? i + 300 : -1};
        for (int e = 0; e < 4; e++)
            if (nb[e] >= 0 && !mask[nb[e]] && !seen[nb[e]]) { seen[nb[e]] = 1; stack[top++] = nb[e]; }
    }
    for (int i = 0; i < 300 * 300; i++) out += !mask[i];
    return out - reached;
}

START_TEST(takes_in_a_blown_out_shine_but_not_a_white_wall)
{
    /* The shine is the scalp it lies on: found with the crown, in bald
     * and thinning mode alike, while the wall, the cup and the clip, as
     * white and as smooth, are left alone. */
    static const double skins[][3] = {{200, 150, 115}, {225, 185, 160}, {150, 105, 80}};
    static uint8_t bald[300 * 300], shine[300 * 300], white[300 * 300];
    for (size_t i = 0; i < sizeof skins / sizeof *skins; i++)
        for (int thinning = 0; thinning <= 1; thinning++) {
            photo p;
            uint8_t *mask = NULL;
            double conf = 0;
            char warn[256];
            smp_error err = {0};
            draw_shine(&p, skins[i], bald, shine, white);
            ck_assert_msg(scalp_detect(&p, 3, &(scalp_hint){-1, thinning, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "shine.png", &mask, &conf, warn,
                                       sizeof warn, &err) == SMP_OK,
                          "skin %zu thinning %d: %s", i, thinning, err.msg);
            size_t in = 0, all = 0, lit = 0, lit_all = 0, painted = 0, off = 0;
            for (int k = 0; k < 300 * 300; k++) {
                if (bald[k]) { all++; in += mask[k] != 0; }
                if (shine[k] && bald[k]) { lit_all++; lit += mask[k] != 0; }
                painted += white[k] && mask[k];
                off += !bald[k] && !shine[k] && mask[k];
            }
            ck_assert_msg(mask[115 * 300 + 205], "skin %zu thinning %d: the shine's middle left out", i, thinning);
            ck_assert_msg(lit >= lit_all * 95 / 100, "skin %zu thinning %d: %zu of %zu pixels of the shine on the crown",
                          i, thinning, lit, lit_all);
            ck_assert_msg(in >= all * 90 / 100, "skin %zu thinning %d: %zu of %zu pixels of the crown", i, thinning, in,
                          all);
            ck_assert_msg(painted == 0, "skin %zu thinning %d: %zu pixels of the wall, the cup or the clip", i, thinning,
                          painted);
            ck_assert_msg(off <= all / 50, "skin %zu thinning %d: %zu pixels off the crown and its shine", i, thinning,
                          off);
            ck_assert_msg(holes(mask) == 0, "skin %zu thinning %d: %zu pixels of holes", i, thinning, holes(mask));
            free(mask);
            photo_free(&p);
        }
}
END_TEST

/* Empty 300x300 candidates at 3 px/mm, for a test to fill in, of a skin
 * of L* 70, a* 10, b* 15. */
static void hand_candidates(scalp_candidates *c)
{
    size_t n = 300 * 300;
    memset(c, 0, sizeof *c);
    c->w = c->h = 300;
    c->scale = 3;
    c->face = -1;
    c->L = malloc(n * sizeof *c->L), c->A = malloc(n * sizeof *c->A), c->B = malloc(n * sizeof *c->B);
    c->smooth = malloc(n * sizeof *c->smooth);
    c->m = calloc(n, 1), c->shine = calloc(n, 1);
    ck_assert(c->L && c->A && c->B && c->smooth && c->m && c->shine);
    c->skin[0] = 70, c->skin[1] = 10, c->skin[2] = 15;
    c->chroma = hypot(10, 15);
}

/* A hairline's sides on the 300x300 candidates, the face up: 2 behind
 * the line at row LINE_Y (below it), 1 within 15 px ahead, 0 beyond. */
static uint8_t *side_of_line(int line_y)
{
    uint8_t *side = malloc(300 * 300);
    ck_assert(side);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) side[(size_t)y * 300 + x] = y >= line_y ? 2 : y >= line_y - 15 ? 1 : 0;
    return side;
}

START_TEST(fills_a_hole_that_growing_back_closes_off)
{
    /* Candidates by hand: a square region with a pocket 20 px across
     * that a one-pixel way joins to the outside, smooth skin along the
     * way but not in the pocket.  Growing back closes the way, and the
     * pocket, a hole now, is filled (as it would have been with no way
     * out). */
    scalp_candidates c;
    hand_candidates(&c);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            size_t i = (size_t)y * 300 + x;
            int square = x >= 80 && x < 220 && y >= 80 && y < 220, pocket = abs(x - 150) < 10 && abs(y - 150) < 10;
            int way = x == 150 && y >= 80 && y < 150;
            c.m[i] = (uint8_t)(square && !pocket && !way);
            c.smooth[i] = square && !pocket ? 1.0f : 0.0f;
            c.L[i] = c.m[i] ? 70 : 30, c.A[i] = c.m[i] ? 10 : 2, c.B[i] = c.m[i] ? 15 : 2;
        }
    uint8_t *mask = NULL;
    double conf = 0;
    char warn[256];
    smp_error err = {0};
    ck_assert_msg(scalp_choose(&c, &(scalp_hint){-1, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "hand", &mask, &conf, warn, sizeof warn, &err) ==
                      SMP_OK,
                  "%s", err.msg);
    ck_assert_msg(mask[150 * 300 + 150] && mask[100 * 300 + 150], "the pocket or the way left out");
    ck_assert_msg(holes(mask) == 0, "%zu pixels of holes", holes(mask));
    free(mask);
    scalp_candidates_free(&c);
}
END_TEST

START_TEST(takes_in_a_shine_only_behind_the_hairline)
{
    /* Candidates by hand: skin behind a hairline at y = 100 (the side
     * mask 2 behind, 1 within reach ahead, 0 beyond), and a shine across
     * the line.  The part behind is taken, the part ahead is not. */
    scalp_candidates c;
    hand_candidates(&c);
    uint8_t *side = side_of_line(100);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            size_t i = (size_t)y * 300 + x;
            int lit = hypot(x - 150, y - 100) < 20;
            c.shine[i] = (uint8_t)lit;
            c.m[i] = (uint8_t)(!lit && x >= 80 && x < 220 && y >= 100 && y < 220);
            c.smooth[i] = c.m[i];
            c.L[i] = lit ? 97 : c.m[i] ? 70 : 30, c.A[i] = c.m[i] ? 10 : 2, c.B[i] = c.m[i] ? 15 : 2;
        }
    uint8_t *mask = NULL;
    double conf = 0;
    char warn[256];
    smp_error err = {0};
    ck_assert_msg(scalp_choose(&c, &(scalp_hint){-1, 0, 0, {0, 0}, {0, 0, 0, 0}, side, 1}, "hand", &mask, &conf, warn, sizeof warn,
                               &err) == SMP_OK,
                  "%s", err.msg);
    ck_assert_msg(mask[110 * 300 + 150], "the shine behind the line left out");
    size_t ahead = 0;
    for (int y = 0; y < 100; y++)
        for (int x = 130; x <= 170; x++) ahead += mask[y * 300 + x] != 0;
    ck_assert_msg(ahead == 0, "%zu pixels of the shine ahead of the line", ahead);
    free(mask);
    free(side);
    scalp_candidates_free(&c);
}
END_TEST

START_TEST(not_bare_skin_beside_the_area)
{
    /* A 100 x 60 mm photo at 3 px/mm: skin from x 0 to 60 mm, with a
     * stripe of dark hair at 40-45 mm; a light greenish wall past 60 mm
     * (as behind stubble-side-face.jpg's dome).  The area: the skin left
     * of 35 mm.  Hair and wall are marked, skin in and beside the area
     * is not; without an area to measure the skin, nothing is. */
    smp_error err = {0};
    photo p;
    ck_assert_int_eq(photo_alloc(&p, 300, 180, &err), SMP_OK);
    for (int y = 0; y < 180; y++)
        for (int x = 0; x < 300; x++) {
            uint32_t c = x >= 180 ? 0xd2dcb4u : x >= 120 && x < 135 ? 0x2a2018u : 0xc8987cu;
            ((uint32_t *)(p.px + (size_t)y * p.stride))[x] = c;
        }
    smp_plan *plan = test_plan("area-mm=100,60", "area-polygon=0,0 35,0 35,60 0,60", NULL);
    area a;
    ck_assert_int_eq(area_build(plan_settings(plan), &a, &err), SMP_OK);
    grey_image m;
    ck_assert_int_eq(scalp_not_bare_skin(&p, 3, &a, &m, &err), SMP_OK);
    ck_assert_ptr_nonnull(m.px);
    ck_assert_int_eq(m.px[90 * 300 + 50], 0);   /* in the area */
    ck_assert_int_eq(m.px[90 * 300 + 150], 0);  /* bare skin beside it */
    ck_assert_int_eq(m.px[90 * 300 + 127], 255); /* hair */
    ck_assert_int_eq(m.px[90 * 300 + 250], 255); /* the wall */
    grey_image_free(&m);
    area_free(&a);
    smp_plan_free(plan);
    photo_free(&p);
}
END_TEST

/* Skin in shade beside the area is bare skin, hair in the same shade is
 * not: a 100 x 60 mm photo at 3 px/mm lit from the top, its light falling
 * by 30 % to the bottom; the area is its top half; below it the skin goes
 * on in deeper shade, with a stripe of dark stubble at 50-55 mm.  The
 * shaded skin just below the area is 8 % of L* darker than the area's
 * lit skin, but no darker than the area's skin beside it.  A pale green
 * wall, 24 from the skin in CIELAB but of another hue, is no skin. */
START_TEST(skin_in_shade_beside_the_area_is_bare_skin)
{
    smp_error err = {0};
    photo p;
    ck_assert_int_eq(photo_alloc(&p, 300, 180, &err), SMP_OK);
    for (int y = 0; y < 180; y++)
        for (int x = 0; x < 300; x++) {
            double light = 1 - 0.3 * y / 180.0;
            int r = 222, g = 175, b = 147; /* the side sample's skin */
            if (y >= 150 && y < 165) { r = 70; g = 55; b = 45; }
            if (x >= 270) { r = 203; g = 209; b = 163; light = 1; } /* its wall */
            uint32_t c = (uint32_t)lrint(r * light) << 16 | (uint32_t)lrint(g * light) << 8 | (uint32_t)lrint(b * light);
            ((uint32_t *)(p.px + (size_t)y * p.stride))[x] = c;
        }
    smp_plan *plan = test_plan("area-mm=100,60", "area-polygon=0,0 85,0 85,30 0,30", NULL);
    area a;
    ck_assert_int_eq(area_build(plan_settings(plan), &a, &err), SMP_OK);
    grey_image m;
    ck_assert_int_eq(scalp_not_bare_skin(&p, 3, &a, &m, &err), SMP_OK);
    ck_assert_ptr_nonnull(m.px);
    for (int y = 91; y < 100; y++) ck_assert_msg(m.px[y * 300 + 120] == 0, "shaded skin at row %d taken for hair", y);
    ck_assert_int_eq(m.px[157 * 300 + 120], 255); /* the stubble, in the same shade */
    ck_assert_int_eq(m.px[40 * 300 + 285], 255);  /* the wall */
    grey_image_free(&m);
    area_free(&a);
    smp_plan_free(plan);
    photo_free(&p);
}
END_TEST

START_TEST(takes_every_region_along_the_hairline)
{
    /* Candidates by hand: a hairline along y = 150 from x 20 to 280 (the
     * face up, behind it below), and behind it three bald regions apart,
     * split by a fringe reaching down to the line: the temples and the
     * middle, where the seed lies.  All three are taken; so is no region
     * 30 mm behind the line, nor one under a square centimetre. */
    scalp_candidates c;
    hand_candidates(&c);
    uint8_t *side = side_of_line(150);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            size_t i = (size_t)y * 300 + x;
            int temples = (x >= 20 && x < 90) || (x >= 210 && x < 280), middle = x >= 120 && x < 180;
            int bald = y >= 150 && ((temples && y < 200) || (middle && y < 230));
            int far = x >= 20 && x < 90 && y >= 240 && y < 290, tiny = x >= 100 && x < 110 && y >= 150 && y < 160;
            c.m[i] = (uint8_t)(bald || far || tiny);
            c.smooth[i] = c.m[i];
            c.L[i] = c.m[i] ? 70 : 30, c.A[i] = c.m[i] ? 10 : 2, c.B[i] = c.m[i] ? 15 : 2;
        }
    uint8_t *mask = NULL;
    double conf = 0;
    char warn[256];
    smp_error err = {0};
    scalp_hint hint = {-1, 0, 1, {150, 160}, {20, 150, 280, 150}, side, 1};
    ck_assert_msg(scalp_choose(&c, &hint, "hand", &mask, &conf, warn, sizeof warn, &err) == SMP_OK, "%s", err.msg);
    ck_assert_msg(mask[170 * 300 + 150], "the middle left out");
    ck_assert_msg(mask[170 * 300 + 50] && mask[170 * 300 + 245], "a temple left out (%d, %d)", mask[170 * 300 + 50],
                  mask[170 * 300 + 245]);
    ck_assert_msg(!mask[265 * 300 + 50], "the region far behind the line taken");
    ck_assert_msg(!mask[155 * 300 + 105], "the tiny region taken");
    /* Three solid parts: not ragged, whatever their common hull. */
    ck_assert_msg(warn[0] == 0 && conf > 0.9, "confidence %.2f: %s", conf, warn);
    free(mask);
    free(side);
    scalp_candidates_free(&c);
}
END_TEST

START_TEST(finds_the_shine_on_a_large_photo_too)
{
    /* scalp_shine (for --match auto) works on a reduced copy of a photo
     * of 8 px/mm or more: the generated crown, each pixel made 3 x 3 (9
     * px/mm), gives the shine it gives at 3 px/mm, and neither the wall
     * (on the border) nor the clip (sharp-edged).  The cup, as soft as a
     * shine and off the border, is a shine to it too: only --area auto
     * asks that a shine border the scalp. */
    static const double skin[3] = {200, 150, 115};
    static uint8_t bald[300 * 300], shine[300 * 300], white[300 * 300];
    photo p, big;
    smp_error err = {0};
    uint8_t *small_mask = NULL, *big_mask = NULL;
    draw_shine(&p, skin, bald, shine, white);
    ck_assert_int_eq(photo_alloc(&big, 900, 900, &err), SMP_OK);
    for (int y = 0; y < 900; y++)
        for (int x = 0; x < 900; x++)
            ((uint32_t *)(big.px + (size_t)y * big.stride))[x] = ((const uint32_t *)(p.px + (size_t)(y / 3) * p.stride))[x / 3];
    ck_assert_int_eq(scalp_shine(&p, 3, &small_mask, &err), SMP_OK);
    ck_assert_int_eq(scalp_shine(&big, 9, &big_mask, &err), SMP_OK);
    size_t lit = 0, agree = 0, painted = 0;
    for (int y = 0; y < 900; y++)
        for (int x = 0; x < 900; x++) {
            int k = (y / 3) * 300 + x / 3;
            lit += small_mask[k] != 0;
            agree += small_mask[k] && big_mask[(size_t)y * 900 + x];
            painted += white[k] && hypot(x / 3 - 265, y / 3 - 32) > 30 && big_mask[(size_t)y * 900 + x];
        }
    ck_assert_msg(big_mask[(size_t)345 * 900 + 615], "the shine's middle left out at 9 px/mm");
    ck_assert_msg(lit > 9 * 1000 && agree >= lit * 9 / 10, "%zu of the %zu pixels of the shine at 3 px/mm", agree, lit);
    ck_assert_msg(painted == 0, "%zu pixels of the wall or the clip", painted);
    free(small_mask);
    free(big_mask);
    photo_free(&p);
    photo_free(&big);
}
END_TEST

START_TEST(refuses_a_photo_with_no_answer)
{
    photo p;
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(&p, 200, 150, &err), SMP_OK);
    for (int i = 0; i < 200 * 150; i++) ((uint32_t *)p.px)[i] = 0x808080;
    uint8_t *mask = NULL;
    double conf;
    char warn[256];
    ck_assert_int_eq(scalp_detect(&p, 3, &(scalp_hint){-1, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "grey.png", &mask, &conf, warn, sizeof warn, &err), SMP_EINPUT);
    ck_assert_ptr_null(mask);
    ck_assert_msg(strstr(err.msg, "grey.png: no scalp area") != NULL, "%s", err.msg);
    photo_free(&p);
}
END_TEST

/* A 300x300 view at 3 px/mm of fair skin (with a little noise) on a pale
 * wall: KIND says what lies at row Y, column X: 0 wall, 1 bare skin,
 * 2 stubble (skin with a third of its pixels darkened, in one-pixel
 * grains), 3 dark hair or a brow. */
static void paint(photo *p, int (*kind)(int x, int y))
{
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(p, 300, 300, &err), SMP_OK);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            double noise = (rng_unit(rng_hash(5, 9, (uint64_t)x, (uint64_t)y)) - 0.5) * 4;
            int k = kind(x, y);
            double c[3] = {210, 160, 125}, f = 1;
            if (k == 0) c[0] = c[1] = c[2] = 232;
            if (k == 2 && rng_unit(rng_hash(7, 9, (uint64_t)x, (uint64_t)y)) < 0.33) f = 0.92;
            if (k == 3) f = (x * 3 + y * 5) % 4 < 2 ? 0.25 : 0.15;
            uint32_t v = 0;
            for (int i = 0; i < 3; i++) {
                double e = c[i] * f + noise;
                v = v << 8 | (uint32_t)(e < 0 ? 0 : e > 255 ? 255 : e);
            }
            ((uint32_t *)(p->px + (size_t)y * p->stride))[x] = v;
        }
}

/* A head whose bare skin runs on to the bottom of the photo (a forehead
 * and face below a bald top, seen from the front). */
static int runs_on(int x, int y)
{
    double hx = (x - 150) / 120.0, hy = (y - 170) / 150.0;
    if (hx * hx + hy * hy >= 1 && y < 170) return 0;
    if (x < 30 || x > 270) return 0;
    return y < 60 ? 3 : 1;
}

/* The same, cut across by brows 3 mm high: the skin goes on below them. */
static int brows(int x, int y) { return runs_on(x, y) == 1 && y >= 200 && y < 209 ? 3 : runs_on(x, y); }

/* A back view: a bare top, a band of stubble 20 mm deep, the neck below. */
static int back(int x, int y)
{
    int k = runs_on(x, y);
    return k == 1 && y >= 150 && y < 210 ? 2 : k;
}

START_TEST(refuses_skin_running_toward_the_face)
{
    int (*kinds[])(int, int) = {runs_on, brows};
    for (int i = 0; i < 2; i++) {
        photo p;
        uint8_t *mask = NULL;
        double conf = 0;
        char warn[256];
        smp_error err = {0};
        paint(&p, kinds[i]);
        ck_assert_int_eq(scalp_detect(&p, 3, &(scalp_hint){FACE_DOWN, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "front.png", &mask, &conf, warn, sizeof warn, &err),
                         SMP_EINPUT);
        ck_assert_ptr_null(mask);
        ck_assert(conf == -1);
        ck_assert_msg(strstr(err.msg, "front.png: the skin found runs on into the lowest 15% of the photo, toward the "
                                      "face or the neck (--face down): give --hairline with --anchors") == err.msg,
                      "%s", err.msg);
        /* A hairline bounds it; a face on the other side is not there. */
        ck_assert_msg(scalp_detect(&p, 3, &(scalp_hint){-1, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "front.png", &mask, &conf, warn, sizeof warn, &err) == SMP_OK, "%s",
                      err.msg);
        free(mask);
        ck_assert_msg(scalp_detect(&p, 3, &(scalp_hint){FACE_UP, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "front.png", &mask, &conf, warn, sizeof warn, &err) == SMP_OK,
                      "%s", err.msg);
        free(mask);
        photo_free(&p);
    }
}
END_TEST

START_TEST(stubble_is_hair)
{
    /* Behind a band of stubble the neck is not the scalp's skin going on:
     * the bare top is found, without the stubble or the neck. */
    photo p;
    uint8_t *mask = NULL;
    double conf = 0;
    char warn[256];
    smp_error err = {0};
    paint(&p, back);
    ck_assert_msg(scalp_detect(&p, 3, &(scalp_hint){FACE_DOWN, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "back.png", &mask, &conf, warn, sizeof warn, &err) == SMP_OK, "%s",
                  err.msg);
    size_t top = 0, top_all = 0, stubble = 0, neck = 0;
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            int k = back(x, y), in = mask[y * 300 + x] != 0;
            if (k == 1 && y < 150) { top_all++; top += in; }
            if (k == 2 && y >= 160 && y < 200) stubble += in;
            if (k == 1 && y >= 210) neck += in;
        }
    ck_assert_msg(top > top_all * 9 / 10, "%zu of %zu pixels of the bare top", top, top_all);
    ck_assert_msg(stubble == 0 && neck == 0, "%zu stubble, %zu neck pixels", stubble, neck);
    free(mask);
    photo_free(&p);
}
END_TEST

/* A thinning head (skin with dark strands across it) on a lavender shirt,
 * and beside it, 25 mm from its skin, a haze of grey fly-away hair over
 * the shirt, skin-hued enough to pass for scalp showing but greyer than
 * any of the skin: scalp shows on the head and nowhere in the haze (it
 * once took dots in thinning mode, on diffuse-thinning-top.jpg). */
static int flyaway(int x, int y)
{
    if (hypot(x - 170, y - 150) < 90) return (y % 6) < 2 ? 2 : 1;
    return x >= 20 && x < 55 && y >= 100 && y < 200 ? 3 : 0;
}

START_TEST(no_scalp_shows_beyond_the_head)
{
    smp_error err = {0};
    photo p;
    ck_assert_int_eq(photo_alloc(&p, 300, 300, &err), SMP_OK);
    static const uint32_t colour[4] = {0xacaab6, 0xd2a07d, 0x3c3028, 0xc2ad97};
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++)
            ((uint32_t *)(p.px + (size_t)y * p.stride))[x] = colour[flyaway(x, y)];
    uint8_t *cls = NULL;
    float *shows = NULL;
    ck_assert_msg(scalp_classify(&p, 3, &cls, &shows, &err) == SMP_OK, "%s", err.msg);
    size_t haze = 0, haze_skin = 0, head = 0;
    double haze_max = 0;
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            size_t i = (size_t)y * 300 + x;
            if (flyaway(x, y) == 3) {
                haze++;
                haze_skin += cls[i] == SCALP_SHOWS;
                haze_max = fmax(haze_max, shows[i]);
            } else if (flyaway(x, y) == 1 && shows[i] > 0.2) {
                head++;
            }
        }
    /* The haze passes for skin pixel by pixel: the test means something. */
    ck_assert_msg(haze_skin > haze / 2, "%zu of %zu haze pixels classed as skin", haze_skin, haze);
    ck_assert_msg(haze_max == 0, "scalp shows %.2f in the haze", haze_max);
    ck_assert_msg(head > 5000, "scalp shows at %zu pixels of the head", head);
    free(cls);
    free(shows);
    photo_free(&p);
}
END_TEST

/* A head of dark skin (stubble-back.jpg's, L* 32) before a pink wall (L*
 * 80, a* 12) with darker marks on it in a row 17 mm above the head, of a
 * colour near enough the skin's (L* 53, a* 13) to count as plainly skin:
 * the skin's hull takes in the wall down to the head, and the room within
 * it must be found all the same, up to the head's outline and never on
 * it. */
static int pink_wall(int x, int y)
{
    if (hypot(x - 150, y - 170) < 100) return 1;
    return y >= 20 && y < 24 && x >= 30 && x < 270 && x % 12 < 4 ? 2 : 0;
}

START_TEST(the_room_past_the_head_though_a_wall_holds_the_skin_s_colour)
{
    smp_error err = {0};
    photo p;
    ck_assert_int_eq(photo_alloc(&p, 300, 300, &err), SMP_OK);
    static const uint32_t colour[3] = {0xddbfc9, 0x5b4748, 0x967679};
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++)
            ((uint32_t *)(p.px + (size_t)y * p.stride))[x] = colour[pink_wall(x, y)];
    uint8_t *off = NULL;
    ck_assert_msg(scalp_off_head(&p, 3, 1.0, &off, &err) == SMP_OK, "%s", err.msg);
    size_t wall = 0, wall_off = 0, head_off = 0;
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 300; x++) {
            double r = hypot(x - 150, y - 170);
            size_t i = (size_t)y * 300 + x;
            if (r < 99) head_off += off[i] != 0;
            /* The wall between the stripe and the head, 1 mm past it and more. */
            if (r > 103 && y > 30 && y < 100 && pink_wall(x, y) == 0) {
                wall++;
                wall_off += off[i] != 0;
            }
        }
    /* The stripe's hull does reach over that wall: the test means something. */
    ck_assert_msg(off[40 * 300 + 150] != 1, "150,40 lies past the hull's margin");
    ck_assert_msg(off[40 * 300 + 150] == 2, "150,40 is not found as room (%d)", off[40 * 300 + 150]);
    ck_assert_msg(wall_off == wall, "%zu of %zu wall pixels within 1-10 mm of the head found off it", wall_off, wall);
    ck_assert_msg(head_off == 0, "%zu pixels of the head taken for the room", head_off);
    free(off);
    photo_free(&p);
}
END_TEST

START_TEST(doubts_a_scalp_that_runs_off_the_photo)
{
    /* The same skin and hair, once framed and once running off the top and
     * sides (as a forehead or neck would): the second is less sure and
     * says why. */
    static const scene sc[] = {
        {{200, 150, 115}, {40, 30, 25}, {220, 220, 225}, 0.2, 150, 140, 70, 80},
        {{200, 150, 115}, {40, 30, 25}, {220, 220, 225}, 0.2, 150, 60, 190, 170},
    };
    double conf[2];
    char warn[2][256];
    for (size_t i = 0; i < 2; i++) {
        photo p;
        uint8_t truth[300 * 300], *mask = NULL;
        smp_error err = {0};
        draw(&sc[i], &p, truth);
        ck_assert_msg(scalp_detect(&p, 3, &(scalp_hint){-1, 0, 0, {0, 0}, {0, 0, 0, 0}, NULL, 0}, "generated", &mask, &conf[i], warn[i], sizeof warn[i], &err) == SMP_OK,
                      "%s", err.msg);
        free(mask);
        photo_free(&p);
    }
    ck_assert_msg(!warn[0][0], "%s", warn[0]);
    ck_assert_msg(strstr(warn[1], "runs off the photo along") && strstr(warn[1], "--save-area"), "%s", warn[1]);
    ck_assert_msg(conf[1] < conf[0] - 0.2, "framed %.2f, running off %.2f", conf[0], conf[1]);
}
END_TEST

START_TEST(doubts_a_scalp_of_uneven_tone)
{
    /* A framed oval on a 200x200 plane: even skin (L* 60 give or take 5)
     * is trusted; a ramp from L* 30 to 90 across it is not. */
    enum { W = 200, H = 200 };
    static uint8_t m[W * H];
    static float even[W * H], ramp[W * H];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double dx = (x - 100) / 70.0, dy = (y - 100) / 60.0;
            m[y * W + x] = dx * dx + dy * dy < 1 ? 255 : 0;
            even[y * W + x] = (float)(60 + 5 * ((x + y) % 3 - 1));
            ramp[y * W + x] = (float)(30 + 60 * (x - 30) / 140.0);
        }
    double conf_even = 0.9, conf_ramp = 0.9;
    char warn[256];
    scalp_doubt(m, even, W, H, 0, &conf_even, warn, sizeof warn);
    ck_assert_msg(!warn[0], "%s", warn);
    ck_assert(conf_even == 0.9);
    scalp_doubt(m, ramp, W, H, 0, &conf_ramp, warn, sizeof warn);
    ck_assert_msg(strstr(warn, "very uneven in tone (L* spread ") && strstr(warn, "--save-area"), "%s", warn);
    ck_assert_msg(conf_ramp < 0.85 && conf_ramp > 0.5, "%.3f", conf_ramp);
}
END_TEST

START_TEST(doubts_a_ragged_scalp)
{
    /* An oval alone is trusted; the same oval with a narrow arm of skin
     * reaching down and across (a neck, an arm) is not. */
    enum { W = 200, H = 200 };
    static uint8_t m[W * H];
    static float l[W * H];
    for (int arm = 0; arm < 2; arm++) {
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                double dx = (x - 70) / 50.0, dy = (y - 60) / 40.0;
                int in = dx * dx + dy * dy < 1;
                if (arm) in |= (x >= 65 && x < 75 && y >= 60 && y < 160) || (x >= 65 && x < 190 && y >= 150 && y < 160);
                m[y * W + x] = in ? 255 : 0;
                l[y * W + x] = 60;
            }
        double conf = 0.9;
        char warn[256];
        scalp_doubt(m, l, W, H, 0, &conf, warn, sizeof warn);
        if (!arm) {
            ck_assert_msg(!warn[0], "%s", warn);
            ck_assert(conf == 0.9);
        } else {
            ck_assert_msg(strstr(warn, "is ragged (it fills ") && strstr(warn, "--save-area"), "%s", warn);
            ck_assert_msg(conf < 0.6, "%.3f", conf);
        }
    }
}
END_TEST

/* A 600x600 back view at 3 px/mm: a head of even skin (a* 12) on a pale
 * wall, and an ear (a* 25) 30 x 60 mm with its middle at EX, EY and its
 * radii RX, RY px (none when RX is 0), drawn over the head's edge. */
static void draw_ear(photo *p, int ex, int ey, int rx, int ry)
{
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(p, 600, 600, &err), SMP_OK);
    for (int y = 0; y < 600; y++)
        for (int x = 0; x < 600; x++) {
            double hx = (x - 330) / 200.0, hy = (y - 260) / 240.0;
            double noise = (rng_unit(rng_hash(7, 3, (uint64_t)x, (uint64_t)y)) - 0.5) * 4;
            double c[3] = {222, 224, 228};
            if (hx * hx + hy * hy < 1 || y > 480) c[0] = 190, c[1] = 150, c[2] = 130;
            if (rx && pow((x - ex) / (double)rx, 2) + pow((y - ey) / (double)ry, 2) < 1) c[0] = 200, c[1] = 130, c[2] = 115;
            uint32_t v = 0;
            for (int k = 0; k < 3; k++) v = v << 8 | (uint32_t)fmin(255, fmax(0, c[k] + noise));
            ((uint32_t *)(p->px + (size_t)y * p->stride))[x] = v;
        }
}

START_TEST(finds_an_ear_beside_the_head_and_nothing_else)
{
    /* The ear upright beside the head is found where it is drawn; the same
     * flush lying flat, standing apart on the wall, or no ear at all, is
     * none. */
    static const struct { int ex, ey, rx, ry, want; } cases[] = {
        {125, 330, 45, 90, 1}, {0, 0, 0, 0, 0}, {125, 330, 90, 45, 0}, {60, 330, 45, 90, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        photo p;
        smp_error err = {0};
        ears_found e;
        draw_ear(&p, cases[i].ex, cases[i].ey, cases[i].rx, cases[i].ry);
        ck_assert_int_eq(ears_find(&p, 3, &e, &err), SMP_OK);
        ck_assert_msg(e.n == cases[i].want, "case %zu: %d ears, want %d", i, e.n, cases[i].want);
        if (e.n) {
            const double want[4] = {cases[i].ex - cases[i].rx, cases[i].ey - cases[i].ry, cases[i].ex + cases[i].rx,
                                    cases[i].ey + cases[i].ry};
            for (int k = 0; k < 4; k++)
                ck_assert_msg(fabs(e.box[0][k] - want[k]) <= 6, "case %zu: box[%d] %.0f, want %.0f", i, k, e.box[0][k],
                              want[k]);
            /* Kept out with its margin: the ear's middle and 1.5 mm past its
             * outer edge, not 5 mm past it. */
            ck_assert_int_eq(e.mask[(size_t)cases[i].ey * 600 + cases[i].ex], 255);
            ck_assert_int_eq(e.mask[(size_t)cases[i].ey * 600 + (size_t)(want[0] - 4)], 255);
            ck_assert_int_eq(e.mask[(size_t)cases[i].ey * 600 + (size_t)(want[0] - 15)], 0);
            ck_assert_uint_ge(e.outline_n[0], 8);
        }
        ears_free(&e);
        photo_free(&p);
    }
}
END_TEST

/* Skin and hair-dark marks of random sizes on it, sharp-edged, blurred by
 * a Gaussian of SIGMA px (none when 0). */
static photo marks(double sigma)
{
    const int w = 320, h = 320;
    smp_error err = {0};
    photo ph;
    ck_assert_int_eq(photo_alloc(&ph, w, h, &err), SMP_OK);
    float *v[3];
    for (int c = 0; c < 3; c++) v[c] = malloc(sizeof(float) * (size_t)w * h);
    static const float skin[3] = {210, 170, 150};
    for (size_t i = 0; i < (size_t)w * h; i++)
        for (int c = 0; c < 3; c++) v[c][i] = skin[c];
    for (int k = 0; k < 400; k++) {
        uint64_t r = rng_hash(7, RNG_GENERATOR, (uint64_t)k, 0);
        int x0 = (int)(r % 300), y0 = (int)((r >> 12) % 300), mw = 2 + (int)((r >> 24) % 12), mh = 2 + (int)((r >> 32) % 12);
        float dark = 0.3f + 0.5f * (float)((r >> 40) % 100) / 100;
        for (int y = y0; y < y0 + mh && y < h; y++)
            for (int x = x0; x < x0 + mw && x < w; x++)
                for (int c = 0; c < 3; c++) v[c][(size_t)y * w + x] = skin[c] * dark;
    }
    if (sigma > 0) {
        int R = (int)ceil(4 * sigma);
        double *k = malloc(sizeof *k * (size_t)(2 * R + 1)), ks = 0;
        for (int i = -R; i <= R; i++) ks += k[i + R] = exp(-i * i / (2 * sigma * sigma));
        float *t = malloc(sizeof(float) * (size_t)w * h);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double a = 0;
                    for (int i = -R; i <= R; i++) a += k[i + R] * v[c][(size_t)y * w + (x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i)];
                    t[(size_t)y * w + x] = (float)(a / ks);
                }
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double a = 0;
                    for (int i = -R; i <= R; i++) a += k[i + R] * t[(size_t)(y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i) * w + x];
                    v[c][(size_t)y * w + x] = (float)(a / ks);
                }
        }
        free(t);
        free(k);
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t o = 0;
            for (int c = 0; c < 3; c++) o = o << 8 | (uint32_t)lrintf(v[c][(size_t)y * w + x]);
            ((uint32_t *)(ph.px + (size_t)y * ph.stride))[x] = o;
        }
    for (int c = 0; c < 3; c++) free(v[c]);
    return ph;
}

/* The photo's softness: about the blur it was given, none on a sharp one
 * or a blank one. */
START_TEST(a_photo_s_softness_is_its_blur)
{
    static const double blur[] = {0, 1.0, 1.8, 2.8};
    int box[4] = {0, 0, 320, 320};
    double last = -1;
    for (int i = 0; i < 4; i++) {
        photo ph = marks(blur[i]);
        double s = scalp_softness(&ph, box);
        /* Hard pixel steps, sharper than a camera's, measure 0.4; marks 2
         * to 13 px wide blurred by 2.8 px run into each other (2.5). */
        ck_assert_msg(fabs(s - blur[i]) < 0.45 + 0.1 * blur[i] && s > last + 0.4, "blurred by %.1f px: measured %.2f",
                      blur[i], s);
        last = s;
        photo_free(&ph);
    }
    smp_error err = {0};
    photo blank;
    ck_assert_int_eq(photo_alloc(&blank, 100, 100, &err), SMP_OK);
    memset(blank.px, 0x80, (size_t)blank.stride * 100);
    int b2[4] = {0, 0, 100, 100};
    ck_assert_double_eq(scalp_softness(&blank, b2), 0);
    int tiny[4] = {0, 0, 20, 20};
    ck_assert_double_eq(scalp_softness(&blank, tiny), 0);
    photo_free(&blank);
}
END_TEST

Suite *scalp_suite(void)
{
    Suite *s = suite_create("scalp");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, finds_the_scalp_on_generated_photos);
    tcase_add_test(tc, finds_a_crown_off_the_middle);
    tcase_add_test(tc, finds_the_whole_bald_top_across_a_lighting_gradient);
    tcase_add_test(tc, refuses_a_photo_with_no_answer);
    tcase_add_test(tc, doubts_a_scalp_that_runs_off_the_photo);
    tcase_add_test(tc, doubts_a_scalp_of_uneven_tone);
    tcase_add_test(tc, doubts_a_ragged_scalp);
    tcase_add_test(tc, refuses_skin_running_toward_the_face);
    tcase_add_test(tc, stubble_is_hair);
    tcase_add_test(tc, no_scalp_shows_beyond_the_head);
    tcase_add_test(tc, the_room_past_the_head_though_a_wall_holds_the_skin_s_colour);
    tcase_add_test(tc, measures_the_head_breadth);
    tcase_add_test(tc, takes_in_a_blown_out_shine_but_not_a_white_wall);
    tcase_add_test(tc, finds_the_shine_on_a_large_photo_too);
    tcase_add_test(tc, fills_a_hole_that_growing_back_closes_off);
    tcase_add_test(tc, takes_in_a_shine_only_behind_the_hairline);
    tcase_add_test(tc, takes_every_region_along_the_hairline);
    tcase_add_test(tc, not_bare_skin_beside_the_area);
    tcase_add_test(tc, skin_in_shade_beside_the_area_is_bare_skin);
    tcase_add_test(tc, finds_an_ear_beside_the_head_and_nothing_else);
    tcase_add_test(tc, a_photo_s_softness_is_its_blur);
    suite_add_tcase(s, tc);
    return s;
}
