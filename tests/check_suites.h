#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H
#include <check.h>

#include "smpsim.h"

Suite *geom_suite(void);
Suite *plan_suite(void);
Suite *hairline_suite(void);
Suite *field_suite(void);
Suite *sampler_suite(void);
Suite *analyze_suite(void);
Suite *export_suite(void);
Suite *render_suite(void);
Suite *image_suite(void);
Suite *pigment_suite(void);
Suite *shade_suite(void);
Suite *print_suite(void);
Suite *regions_suite(void);
Suite *scalp_suite(void);
Suite *batch_suite(void);
Suite *match_suite(void);
Suite *shave_suite(void);
Suite *face_suite(void);

/* A plan from "key=value" pairs (NULL-terminated), resolved; fails the test
 * on any error. */
smp_plan *test_plan(const char *first, ...);

#endif
