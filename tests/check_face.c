#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "face.h"
#include "geom.h"
#include "layout.h"
#include "plan.h"

START_TEST(no_face_in_a_scalp)
{
    /* A plain skin-coloured photo with a darker oval: nothing the detector
     * takes for a face. */
    photo p;
    smp_error err = {0};
    ck_assert_int_eq(photo_alloc(&p, 400, 300, &err), SMP_OK);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 400; x++) {
            double d = hypot((x - 200) / 150.0, (y - 150) / 110.0);
            ((uint32_t *)(p.px + (size_t)y * p.stride))[x] = d < 1 ? 0xc89878u : 0x404850u;
        }
    face_found f;
    ck_assert_int_eq(face_find(&p, 1, "plain", &f, &err), SMP_OK);
    ck_assert_int_eq(f.found, 0);
    ck_assert_int_eq(f.has_points, 0);
    photo_free(&p);
}
END_TEST

/* The face photo (scripts/face-photo.sh), or NULL: the tests below skip. */
static const char *face_photo(void)
{
    const char *path = getenv("SMPSIM_FACE_PHOTO");
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        fprintf(stderr, "check_face: skipped: no face photo ($SMPSIM_FACE_PHOTO)\n");
        return NULL;
    }
    fclose(f);
    return path;
}

START_TEST(finds_the_face_and_its_landmarks)
{
    const char *path = face_photo();
    if (!path) return;
    photo p;
    int orient;
    smp_error err = {0};
    ck_assert_int_eq(image_read_photo(path, SMP_MAX_PIXELS, &p, &orient, &err), SMP_OK);
    face_found f;
    ck_assert_msg(face_find(&p, 1, "face", &f, &err) == SMP_OK, "%s", err.msg);
    ck_assert(f.found && f.has_points);
    ck_assert_msg(f.score >= 1, "score %.2f", f.score);
    /* Landmarks in order: the brows above the eyes, the eyes above the
     * nose's base and the chin, the outer eye corners outside the inner,
     * all inside the box grown by a fifth. */
    double bw = f.box[2] - f.box[0], bh = f.box[3] - f.box[1];
    for (int i = 0; i < FACE_POINTS; i++) {
        ck_assert(f.pt[i][0] > f.box[0] - bw / 5 && f.pt[i][0] < f.box[2] + bw / 5);
        ck_assert(f.pt[i][1] > f.box[1] - bh / 5 && f.pt[i][1] < f.box[3] + bh / 5);
    }
    ck_assert(f.pt[19][1] < f.pt[37][1] && f.pt[24][1] < f.pt[44][1]);
    ck_assert(f.pt[37][1] < f.pt[33][1] && f.pt[33][1] < f.pt[8][1]);
    ck_assert(f.pt[36][0] < f.pt[39][0] && f.pt[39][0] < f.pt[42][0] && f.pt[42][0] < f.pt[45][0]);
    photo_free(&p);
}
END_TEST

START_TEST(never_the_face)
{
    /* A treatment area over the whole photo and no hairline, the scale
     * from the face: no dot lands on the face, from the jaw up to the
     * brows, and dots do land above them. */
    const char *path = face_photo();
    if (!path) return;
    char opt[512];
    snprintf(opt, sizeof opt, "photo=%s", path);
    smp_plan *p = test_plan(opt, "area-polygon=0,0 512,0 512,512 0,512", "density=200", NULL);
    smp_layout *L = NULL;
    smp_error err = {0};
    ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
    ck_assert(L->face.found && L->face.has_points && L->scale_estimated == 2);
    ck_assert_msg(fabs(L->scale - 0.69) < 0.06, "%.3f px/mm", L->scale);
    size_t on_face = 0, behind = 0, n = 0;
    const face_found *f = &L->face;
    vec2 face[27];
    for (int i = 0; i <= 16; i++) face[n++] = v2(f->pt[i][0], f->pt[i][1]);
    for (int i = 26; i >= 17; i--) face[n++] = v2(f->pt[i][0], f->pt[i][1]);
    for (size_t k = 0; k < L->dots.n; k++) {
        double x = L->dots.d[k].x_mm * L->scale, y = L->dots.d[k].y_mm * L->scale;
        on_face += geom_in_polygon(v2(x, y), face, n);
        behind += y < f->pt[19][1];
    }
    ck_assert_msg(on_face == 0, "%zu dots on the face", on_face);
    ck_assert_msg(behind > 100, "%zu dots above the brows", behind);
    smp_layout_free(L);
    smp_plan_free(p);
}
END_TEST

Suite *face_suite(void)
{
    Suite *s = suite_create("face");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, no_face_in_a_scalp);
    tcase_add_test(tc, finds_the_face_and_its_landmarks);
    tcase_add_test(tc, never_the_face);
    suite_add_tcase(s, tc);
    return s;
}
