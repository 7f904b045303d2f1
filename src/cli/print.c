/* smpsim print: the patient mock-up, a multi-page PDF at true scale. */
#include <stdio.h>

#include "cli.h"
#include "../output.h"

static void usage(void)
{
    printf("Usage: smpsim print PHOTO|PLAN -o MOCKUP.pdf [options]\n"
           "A patient mock-up on A4 or Letter: before and after with the clinic, client and notes; the plan\n"
           "session by session; a 40 x 40 mm detail at true size beside a millimetre ruler, and a plain\n"
           "statement that it is a simulation, not a guarantee.  No file path or technical setting: those,\n"
           "with the seed, go to --practitioner-sheet FILE.pdf.\n");
    cli_print_general_options(stdout, "write the mock-up (PDF)");
    cli_print_plan_options(stdout);
    printf("\nExample: smpsim print samples/top.smp --client 'J. Doe' -o mockup.pdf\n");
}

int cmd_print(int argc, char **argv)
{
    cli_common c = {.cmd = "print", .positional_is_plan = 1};
    smp_plan *plan = smp_plan_new();
    smp_layout *layout = NULL;
    smp_error err = {0};
    int status;
    if (!plan) { fprintf(stderr, "smpsim: out of memory\n"); return EXIT_INPUT; }
    if ((status = cli_begin_output(argc, argv, &c, plan, usage, "MOCKUP.pdf")) >= 0)
        goto out;
    double t0 = cli_now();
    double scale;
    if ((status = cli_photo_layout(&c, plan, &layout, &scale)) >= 0) goto out;
    /* With --practitioner-sheet, both files or neither (output.c). */
    const char *others[OUTPUT_OTHERS] = {c.plan, NULL, NULL};
    output_stats out;
    if (output_write("print", layout, plan, c.output, others, &out, &err) != SMP_OK) {
        status = cli_report(&err);
        goto out;
    }
    if (c.json &&
        json_print_line(stdout, json_pack("{s:o,s:i,s:I,s:o}", "output", json_text(c.output), "pages", out.pages, "seed",
                                          (json_int_t)smp_plan_seed(plan), "seconds", json_num(cli_now() - t0, 3)))) {
        fprintf(stderr, "smpsim: out of memory\n");
        status = EXIT_INPUT;
        goto out;
    }
    status = 0;
out:
    smp_layout_free(layout);
    smp_plan_free(plan);
    return status;
}
