/* Runs every module's suite.  CK_FORK=no under valgrind and gdb. */
#include <check.h>
#include <stdlib.h>

#include "check_suites.h"

int main(void)
{
    SRunner *sr = srunner_create(geom_suite());
    srunner_add_suite(sr, plan_suite());
    srunner_add_suite(sr, hairline_suite());
    srunner_add_suite(sr, field_suite());
    srunner_add_suite(sr, sampler_suite());
    srunner_add_suite(sr, analyze_suite());
    srunner_add_suite(sr, export_suite());
    srunner_add_suite(sr, render_suite());
    srunner_add_suite(sr, image_suite());
    srunner_add_suite(sr, pigment_suite());
    srunner_add_suite(sr, shade_suite());
    srunner_add_suite(sr, print_suite());
    srunner_add_suite(sr, regions_suite());
    srunner_add_suite(sr, scalp_suite());
    srunner_add_suite(sr, batch_suite());
    srunner_add_suite(sr, match_suite());
    srunner_add_suite(sr, shave_suite());
    srunner_add_suite(sr, face_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
