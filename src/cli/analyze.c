/* smpsim analyze: the docs/quality.md metrics of a dots CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../plan.h"
#include "cli.h"

static void usage(void)
{
    printf("Usage: smpsim analyze DOTS.csv --area-mm W,H [--density D|D1:D2] [--json]\n"
           "Measure a layout: count and density fidelity, local relative radius, spectrum.\n"
           "\nOptions:\n"
           "  --area-mm W,H                the rectangle the dots were laid in\n"
           "  --density D|D1:D2            its target density in dots/cm^2, or a left-to-right ramp [80]\n"
           "  --json                       print the metrics as JSON\n"
           "  -h, --help                   show this help\n"
           "  --version                    show the version\n"
           "\nExample: smpsim analyze dots.csv --area-mm 300,300 --density 40:100\n");
}

static const char *mark(int ok) { return ok ? "ok" : "FAIL"; }

int cmd_analyze(int argc, char **argv)
{
    cli_common c = {.cmd = "analyze"};
    smp_plan *plan = smp_plan_new();
    smp_dot *dots = NULL;
    size_t n = 0;
    smp_error err = {0};
    int status;
    if (!plan) { fprintf(stderr, "smpsim: out of memory\n"); return EXIT_INPUT; }
    status = cli_parse_plan(argc, argv, &c, plan, usage);
    if (status >= 0) goto out;
    if (!c.positional) { status = cli_usage_error("analyze", "no dots CSV given"); goto out; }
    const settings *s = plan_settings(plan);
    if (s->area_w <= 0 || s->polygon || s->area_mask) {
        status = cli_usage_error("analyze", "give the rectangle with --area-mm W,H");
        goto out;
    }
    if (smp_dots_read_csv(c.positional, &dots, &n, &err) != SMP_OK) { status = cli_report(&err); goto out; }
    smp_quality q;
    if (smp_analyze_rect(dots, n, s->area_w, s->area_h, s->density1, s->density2, &q, &err) != SMP_OK) {
        status = cli_report(&err);
        goto out;
    }
    if (c.json) {
        json_t *doc = json_pack("{s:I,s:o,s:o,s:I,s:o,s:o,s:I,s:o,s:o,s:o}", "dots", (json_int_t)q.dots, "expected",
                                json_num(q.expected, 1), "count_ratio", json_num(q.count_ratio, 4), "cells", (json_int_t)q.cells,
                                "cell_error_median", json_num(q.cell_err_median, 4), "cell_error_p95", json_num(q.cell_err_p95, 4),
                                "rho_dots", (json_int_t)q.rho_dots, "rho_p5", json_num(q.rho_p5, 4), "rho_median",
                                json_num(q.rho_median, 4), "rho_cv", json_num(q.rho_cv, 4));
        if (doc && q.spectrum_done) {
            json_object_set_new(doc, "spectrum_mean", json_num(q.spectrum_mean, 4));
            json_object_set_new(doc, "spectrum_peak_ratio", json_num(q.spectrum_peak_ratio, 2));
        }
        if (json_print_line(stdout, doc)) {
            fprintf(stderr, "smpsim: out of memory\n");
            status = EXIT_INPUT;
            goto out;
        }
    } else {
        printf("dots                  %zu (expected %.0f)\n", q.dots, q.expected);
        printf("count ratio           %.4f   target 1.00 +- 0.02   %s\n", q.count_ratio,
               mark(fabs(q.count_ratio - 1) <= 0.02));
        printf("cell error median     %.4f   target <= 0.05        %s   (%zu cells of 10 mm)\n",
               q.cell_err_median, mark(q.cell_err_median <= 0.05), q.cells);
        printf("cell error p95        %.4f   target <= 0.12        %s\n", q.cell_err_p95, mark(q.cell_err_p95 <= 0.12));
        printf("rho p5                %.4f   target >= 0.60        %s   (%zu dots 3 mm inside)\n", q.rho_p5,
               mark(q.rho_p5 >= 0.60), q.rho_dots);
        printf("rho median            %.4f   target 0.70..0.95     %s\n", q.rho_median,
               mark(q.rho_median >= 0.70 && q.rho_median <= 0.95));
        printf("rho cv                %.4f   target >= 0.05        %s\n", q.rho_cv, mark(q.rho_cv >= 0.05));
        if (q.spectrum_done) {
            printf("spectrum mean         %.4f   target <= 0.3         %s\n", q.spectrum_mean, mark(q.spectrum_mean <= 0.3));
            printf("spectrum peak/median  %.2f   target <= 40          %s\n", q.spectrum_peak_ratio,
                   mark(q.spectrum_peak_ratio <= 40));
        }
    }
    status = 0;
out:
    free(dots);
    smp_plan_free(plan);
    return status;
}
