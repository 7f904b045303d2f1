/* smpsim render: the before/after preview on the client's photo. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../output.h"

static void usage(void)
{
    printf("Usage: smpsim render PHOTO|PLAN -o OUT.{png,jpg,pdf,svg} [options]\n"
           "Draw the dot layout on the client's photo: a before/after preview.\n"
           "Positions (anchors, polygons, hairline points) are in pixels of the photo as displayed.\n");
    cli_print_general_options(stdout, "write the preview: PNG, JPEG, or PDF/SVG at true size, from the extension");
    cli_print_plan_options(stdout);
    printf("\nExample: smpsim render samples/frontal.smp -o preview.png\n");
}

int cmd_render(int argc, char **argv)
{
    cli_common c = {.cmd = "render", .positional_is_plan = 1};
    smp_plan *plan = smp_plan_new();
    smp_layout *layout = NULL;
    smp_error err = {0};
    int status;
    if (!plan) { fprintf(stderr, "smpsim: out of memory\n"); return EXIT_INPUT; }
    if ((status = cli_begin_output(argc, argv, &c, plan, usage, "FILE.png, .jpg, .pdf or .svg")) >= 0)
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
    output_stats out;
    /* With --save-area, both files or neither (output.c). */
    const char *others[OUTPUT_OTHERS] = {c.plan, NULL, NULL};
    if (output_write("render", layout, plan, c.output, others, &out, &err) != SMP_OK) {
        status = cli_report(&err);
        goto out;
    }
    double t2 = cli_now();
    smp_layout_stats st;
    smp_layout_get_stats(layout, &st);
    if (c.json) {
        json_t *match = json_null(), *dauto = json_null(), *anchors_auto = json_null();
        smp_hair_match hm;
        if (smp_layout_hair_match(layout, &hm))
            match = json_pack("{s:b,s:b,s:b,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "found", hm.found, "light", hm.light,
                              "limited", hm.limited, "density", json_num(hm.density, 6), "dot_mm", json_num(hm.dot_mm, 3),
                              "depth_mm", json_num(hm.depth_mm, 3), "dilution", json_num(hm.dilution, 6), "undertone",
                              hm.undertone == 2 ? "warm" : hm.undertone == 1 ? "neutral" : "cool", "skin_lab",
                              json_nums(hm.skin_lab, 3, 2), "stubble_lab", json_nums(hm.stubble_lab, 3, 2), "expect_lab",
                              json_nums(hm.expect_lab, 3, 2), "skin_grain", json_num(hm.skin_grain, 2), "stubble_grain",
                              json_num(hm.stubble_grain, 2), "expect_grain", json_num(hm.expect_grain, 2), "reason",
                              json_text(hm.reason), "long_hair", hm.long_hair);
        if (auto_density)
            dauto = json_pack("{s:o,s:o,s:o,s:o,s:o,s:b}", "density", json_num(dm.density, 6), "darkness",
                              json_num(dm.darkness, 3), "dilution", json_num(dm.dilution, 6), "inside", json_num(dm.inside, 1),
                              "around", json_num(dm.around, 1), "limited", dm.limited);
        double anchors[6];
        if (smp_layout_anchors_auto(layout, anchors)) {
            char abuf[96];
            snprintf(abuf, sizeof abuf, "%.0f,%.0f:%.0f,%.0f:%.0f,%.0f", anchors[0], anchors[1], anchors[2], anchors[3],
                     anchors[4], anchors[5]);
            anchors_auto = json_text(abuf);
        }
        double face[4], ears[2][4];
        int n_ears, has_face = smp_layout_kept_out(layout, face, ears, &n_ears);
        json_t *ear_boxes = json_array();
        for (int e = 0; e < n_ears; e++) json_array_append_new(ear_boxes, json_nums(ears[e], 4, 0));
        json_t *kept = json_pack("{s:o,s:o}", "face", has_face ? json_nums(face, 4, 0) : json_null(), "ears", ear_boxes);
        json_t *notes = json_array();
        for (int i = 0; smp_layout_note_at(layout, i); i++) json_array_append_new(notes, json_text(smp_layout_note_at(layout, i)));
        json_t *doc = json_pack(
            "{s:I,s:o,s:o,s:o,s:b,s:o,s:b,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:{s:o,s:o,s:o,s:o,s:o,s:o}}", "dots",
            (json_int_t)st.dots, "area_confidence", json_num(smp_layout_area_confidence(layout), 3), "photo_softness_mm",
            json_num(smp_layout_photo_softness(layout), 3), "dilution",
            json_num(auto_shade ? sh.dilution : smp_plan_dilution(plan), 6), "dilution_auto", auto_shade,
            "scale_px_per_mm", json_num(scale, 4), "scale_estimated", kind >= 2, "scale_from",
            cli_scale_from(kind), "anchors_auto", anchors_auto, "area_cm2",
            json_num(st.area_cm2, 4), "mean_density", json_num(st.mean_density, 3), "density_auto", dauto, "match", match,
            "kept_out", kept, "notes", notes,
            "seed", (json_int_t)smp_plan_seed(plan), "seconds", "decode", json_num(st.seconds_scene, 6), "layout",
            json_num(t1 - t0 - st.seconds_scene, 6), "render", json_num(out.seconds[0], 6), "compose",
            json_num(out.seconds[1], 6), "encode", json_num(out.seconds[2], 6), "total", json_num(t2 - t0, 6));
        if (json_print_line(stdout, doc)) {
            fprintf(stderr, "smpsim: out of memory\n");
            status = EXIT_INPUT;
            goto out;
        }
    }
    else if (c.verbose && !c.quiet)
        fprintf(stderr, "smpsim: %s: %zu dots at %.2f px/mm in %.3f s\n", c.output, st.dots, scale, t2 - t0);
    status = 0;
out:
    smp_layout_free(layout);
    smp_plan_free(plan);
    return status;
}
