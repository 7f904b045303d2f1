/* smpsim layout: the dot layout alone, as CSV, JSON, SVG or PNG. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../output.h"

static void usage(void)
{
    printf("Usage: smpsim layout [PHOTO|PLAN] -o DOTS.{csv,json,svg,png} [options]\n"
           "Lay out SMP dots behind a shaped hairline, density-graded and blue-noise.\n");
    cli_print_general_options(stdout, "write the layout; type from the extension; - for CSV on stdout");
    cli_print_plan_options(stdout);
    printf("\nExample: smpsim layout --area-mm 200,120 --hairline mature -o dots.png\n");
}

int cmd_layout(int argc, char **argv)
{
    cli_common c = {.cmd = "layout", .positional_is_plan = 1};
    smp_plan *plan = smp_plan_new();
    smp_layout *layout = NULL;
    smp_error err = {0};
    int status;
    if (!plan) { fprintf(stderr, "smpsim: out of memory\n"); return EXIT_INPUT; }
    status = cli_parse_plan(argc, argv, &c, plan, usage);
    if (status >= 0) goto out;
    if (c.dump_plan) {
        smp_plan_dump(plan, stdout);
        status = 0;
        goto out;
    }
    if (!c.output && !c.json) { status = cli_usage_error("layout", "no output: give -o FILE or --json"); goto out; }
    if (c.output && !strcmp(c.output, "-") && c.json) {
        status = cli_usage_error("layout", "-o - and --json both write to stdout; choose one");
        goto out;
    }
    if (c.output && !output_kind_for("layout", c.output)) {
        char formats[96];
        output_formats("layout", formats, sizeof formats);
        status = cli_usage_error("layout", "%s: unknown output type (%s)", c.output, formats);
        goto out;
    }
    if (c.output && (status = cli_check_output(&c, plan)) != 0) goto out;
    double t0 = cli_now();
    if (smp_layout_new(plan, &layout, &err) != SMP_OK) { status = cli_report(&err); goto out; }
    cli_say_measured(&c, layout);
    double t1 = cli_now();
    /* With --save-area, both files or neither (output.c); without -o
     * (--json alone), the area by itself. */
    const char *others[OUTPUT_OTHERS] = {c.plan, NULL, NULL};
    if (c.output ? output_write("layout", layout, plan, c.output, others, NULL, &err) != SMP_OK
                 : smp_plan_save_area(plan) && smp_layout_save_area(layout, smp_plan_save_area(plan), &err) != SMP_OK) {
        status = cli_report(&err);
        goto out;
    }
    double t2 = cli_now();
    smp_layout_stats st;
    smp_layout_get_stats(layout, &st);
    if (c.json) {
        json_t *doc = json_pack("{s:I,s:o,s:o,s:o,s:I,s:o,s:{s:o,s:o,s:o,s:o,s:o}}", "dots", (json_int_t)st.dots, "area_cm2",
                                json_num(st.area_cm2, 4), "expected_dots", json_num(st.expected_dots, 1), "mean_density",
                                json_num(st.mean_density, 3), "seed", (json_int_t)smp_plan_seed(plan), "output",
                                json_text(c.output), "seconds", "scene", json_num(st.seconds_scene, 6), "field",
                                json_num(st.seconds_field, 6), "layout", json_num(st.seconds_layout, 6), "write",
                                json_num(t2 - t1, 6), "total", json_num(t2 - t0, 6));
        if (json_print_line(stdout, doc)) {
            fprintf(stderr, "smpsim: out of memory\n");
            status = EXIT_INPUT;
            goto out;
        }
    } else if (c.verbose && !c.quiet) {
        fprintf(stderr, "smpsim: %zu dots (expected %.0f) over %.1f cm^2, %.1f dots/cm^2, in %.3f s\n",
                st.dots, st.expected_dots, st.area_cm2, st.mean_density, t2 - t0);
    }
    status = 0;
out:
    smp_layout_free(layout);
    smp_plan_free(plan);
    return status;
}
