/* smpsim render: the before/after preview on the client's photo. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../export.h"

static void usage(void)
{
    printf("Usage: smpsim render PHOTO|PLAN -o OUT.{png,jpg,pdf,svg} [options]\n"
           "Draw the dot layout on the client's photo: a before/after preview.\n"
           "Positions (anchors, polygons, hairline points) are in pixels of the photo as displayed.\n");
    cli_print_general_options(stdout, "write the preview: PNG, JPEG, or PDF/SVG at true size, from the extension");
    cli_print_plan_options(stdout);
    printf("\nExample: smpsim render samples/frontal.smp -o preview.png\n");
}

static int renders(smp_format f)
{
    return f == SMP_FMT_PNG || f == SMP_FMT_JPEG || f == SMP_FMT_PDF || f == SMP_FMT_SVG;
}

int cmd_render(int argc, char **argv)
{
    cli_common c = {.cmd = "render", .positional_is_plan = 1};
    smp_plan *plan = smp_plan_new();
    smp_layout *layout = NULL;
    smp_error err = {0};
    int status;
    if (!plan) { fprintf(stderr, "smpsim: out of memory\n"); return EXIT_INPUT; }
    if ((status = cli_begin_output(argc, argv, &c, plan, usage, renders, "FILE.png, .jpg, .pdf or .svg",
                                   "use .png, .jpg, .pdf or .svg")) >= 0)
        goto out;
    double t0 = cli_now();
    double scale;
    if ((status = cli_photo_layout(&c, plan, &layout, &scale)) >= 0) goto out;
    smp_shade sh;
    int auto_shade = smp_layout_shade(layout, &sh);
    smp_density_match dm;
    int auto_density = smp_layout_density_match(layout, &dm);
    int kind = smp_layout_photo_scale(layout, &scale);
    double t1 = cli_now();
    double secs[3];
    /* All outputs or none: the area is written aside first, and kept only
     * when the preview is. */
    out_file area_out = {0};
    if (smp_plan_save_area(plan) &&
        layout_save_area_begin(layout, smp_plan_save_area(plan), &area_out, &err) != SMP_OK) {
        status = cli_report(&err);
        goto out;
    }
    if (smp_preview_write_timed(layout, plan, c.output, secs, &err) != SMP_OK) {
        if (area_out.f) out_abort(&area_out);
        status = cli_report(&err);
        goto out;
    }
    double t2 = cli_now();
    if (area_out.f && out_commit(&area_out, &err) != SMP_OK) {
        status = cli_report(&err);
        goto out;
    }
    smp_layout_stats st;
    smp_layout_get_stats(layout, &st);
    char dbuf[160] = "null", mbuf[512] = "null";
    smp_hair_match hm;
    if (smp_layout_hair_match(layout, &hm))
        snprintf(mbuf, sizeof mbuf,
                 "{\"found\":%s,\"light\":%s,\"limited\":%s,\"density\":%g,\"dot_mm\":%.3f,\"depth_mm\":%.3f,"
                 "\"dilution\":%g,\"skin_lab\":[%.2f,%.2f,%.2f],\"stubble_lab\":[%.2f,%.2f,%.2f],"
                 "\"expect_lab\":[%.2f,%.2f,%.2f],\"skin_grain\":%.2f,\"stubble_grain\":%.2f,\"expect_grain\":%.2f}",
                 hm.found ? "true" : "false", hm.light ? "true" : "false", hm.limited ? "true" : "false", hm.density,
                 hm.dot_mm, hm.depth_mm, hm.dilution, hm.skin_lab[0], hm.skin_lab[1], hm.skin_lab[2], hm.stubble_lab[0],
                 hm.stubble_lab[1], hm.stubble_lab[2], hm.expect_lab[0], hm.expect_lab[1], hm.expect_lab[2], hm.skin_grain,
                 hm.stubble_grain, hm.expect_grain);
    if (auto_density)
        snprintf(dbuf, sizeof dbuf, "{\"density\":%g,\"darkness\":%.3f,\"dilution\":%g,\"inside\":%.1f,\"around\":%.1f,\"limited\":%s}",
                 dm.density, dm.darkness, dm.dilution, dm.inside, dm.around, dm.limited ? "true" : "false");
    char abuf[96] = "null";
    double anchors[6];
    if (smp_layout_anchors_auto(layout, anchors))
        snprintf(abuf, sizeof abuf, "\"%.0f,%.0f:%.0f,%.0f:%.0f,%.0f\"", anchors[0], anchors[1], anchors[2], anchors[3],
                 anchors[4], anchors[5]);
    if (c.json)
        printf("{\"dots\":%zu,\"area_confidence\":%.3f,\"dilution\":%g,\"dilution_auto\":%s,\"scale_px_per_mm\":%.4f,\"scale_estimated\":%s,\"scale_from\":\"%s\",\"anchors_auto\":%s,\"area_cm2\":%.4f,"
               "\"mean_density\":%.3f,\"density_auto\":%s,\"match\":%s,\"seed\":%llu,\"seconds\":{\"decode\":%.6f,\"layout\":%.6f,"
               "\"render\":%.6f,\"compose\":%.6f,\"encode\":%.6f,\"total\":%.6f}}\n",
               st.dots, smp_layout_area_confidence(layout), auto_shade ? sh.dilution : smp_plan_dilution(plan), auto_shade ? "true" : "false", scale,
               kind >= 2 ? "true" : "false", kind == 3 ? "face" : kind == 2 ? "anchors" : "given", abuf, st.area_cm2, st.mean_density, auto_density ? dbuf : "null", mbuf,
               (unsigned long long)smp_plan_seed(plan), st.seconds_scene, t1 - t0 - st.seconds_scene, secs[0],
               secs[1], secs[2], t2 - t0);
    else if (c.verbose && !c.quiet)
        fprintf(stderr, "smpsim: %s: %zu dots at %.2f px/mm in %.3f s\n", c.output, st.dots, scale, t2 - t0);
    status = 0;
out:
    smp_layout_free(layout);
    smp_plan_free(plan);
    return status;
}
