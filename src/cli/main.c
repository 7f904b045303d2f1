/* smpsim: command-line front end.  Dispatches to one file per subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: smpsim COMMAND [options]\n"
               "Scalp micropigmentation simulator: follicle-dot layouts behind a shaped hairline.\n"
               "\nCommands:\n"
               "  render   PHOTO|PLAN -o OUT.{png,jpg}         before/after preview on a photo\n"
               "  layout   [PHOTO|PLAN] -o DOTS.{csv,json,svg,png}   the dot layout alone\n"
               "  batch    MANIFEST [-j N] [--shard I/N]       many jobs, progress, JSON lines\n"
               "  print    PHOTO|PLAN -o MOCKUP.pdf            multi-page patient mock-up at true scale\n"
               "  shade    PHOTO|PLAN [--json]                 skin and hair colour, a dilution to start from\n"
               "  analyze  DOTS.csv --area-mm W,H              density and naturalness of a layout\n"
               "  presets  [NAME]                              list or describe presets\n"
               "\n'smpsim COMMAND --help' lists a command's options; 'man smpsim' has the details.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    int status;
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        usage(stdout);
        status = 0;
    } else if (!strcmp(cmd, "--version")) {
        printf("smpsim %s\n", SMP_VERSION);
        status = 0;
    } else if (!strcmp(cmd, "layout")) {
        status = cmd_layout(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "render")) {
        status = cmd_render(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "batch")) {
        status = cmd_batch(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "print")) {
        status = cmd_print(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "shade")) {
        status = cmd_shade(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "analyze")) {
        status = cmd_analyze(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "presets")) {
        status = cmd_presets(argc - 1, argv + 1);
    } else {
        fprintf(stderr, "smpsim: unknown command '%s' (see 'smpsim --help')\n", cmd);
        return EXIT_USAGE;
    }
    return cli_finish(status);
}
