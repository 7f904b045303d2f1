/* smpsim shade: skin and hair colour in the photo, and a dilution to start from. */
#include <stdio.h>

#include "cli.h"

static void usage(void)
{
    printf("Usage: smpsim shade PHOTO|PLAN [--area-polygon \"X,Y ...\" | --area-mask FILE.png] [--json]\n"
           "Measure the skin in the treatment area and the existing hair in CIELAB, and suggest a\n"
           "pigment dilution (water parts to one part pigment) with the grey it gives on this skin.\n"
           "A starting point only: test it on the skin.\n");
    cli_print_general_options(stdout, "(not used)");
    cli_print_plan_options(stdout);
    printf("\nExample: smpsim shade samples/top.smp --json\n");
}

int cmd_shade(int argc, char **argv)
{
    cli_common c = {.cmd = "shade", .positional_is_plan = 1};
    smp_plan *plan = smp_plan_new();
    smp_error err = {0};
    int status;
    if (!plan) { fprintf(stderr, "smpsim: out of memory\n"); return EXIT_INPUT; }
    status = cli_parse_plan(argc, argv, &c, plan, usage);
    if (status >= 0) goto out;
    smp_shade sh;
    if (smp_shade_photo(plan, &sh, &err) != SMP_OK) { status = cli_report(&err); goto out; }
    static const char *warning = "a starting point, not a prescription: test the dilution on the skin in session 1";
    if (c.json) {
        char pig[8], skin[8];
        snprintf(pig, sizeof pig, "#%02x%02x%02x", sh.dot_rgb[0], sh.dot_rgb[1], sh.dot_rgb[2]);
        snprintf(skin, sizeof skin, "#%02x%02x%02x", sh.skin_rgb[0], sh.skin_rgb[1], sh.skin_rgb[2]);
        json_t *doc = json_pack("{s:o,s:o,s:o,s:s,s:s,s:o,s:s}", "skin_lab", json_nums(sh.skin_lab, 3, 2), "hair_lab",
                                json_nums(sh.hair_lab, 3, 2), "dilution", json_num(sh.dilution, 6), "pigment_rgb", pig,
                                "skin_rgb", skin, "reason", json_text(sh.reason), "warning", warning);
        if (json_print_line(stdout, doc)) {
            fprintf(stderr, "smpsim: out of memory\n");
            status = EXIT_INPUT;
            goto out;
        }
    } else {
        printf("skin      L* %.1f  a* %.1f  b* %.1f   (#%02x%02x%02x)\n", sh.skin_lab[0], sh.skin_lab[1],
               sh.skin_lab[2], sh.skin_rgb[0], sh.skin_rgb[1], sh.skin_rgb[2]);
        printf("hair      L* %.1f  a* %.1f  b* %.1f\n", sh.hair_lab[0], sh.hair_lab[1], sh.hair_lab[2]);
        printf("dilution  %g parts water to 1 part pigment; a healed dot reads #%02x%02x%02x on this skin\n",
               sh.dilution, sh.dot_rgb[0], sh.dot_rgb[1], sh.dot_rgb[2]);
        printf("why       %s.\n", sh.reason);
        printf("note      %s.\n", warning);
    }
    status = 0;
out:
    smp_plan_free(plan);
    return status;
}
