/* smpsim: command-line front end.  Dispatches to one file per subcommand. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Stopped by Ctrl-C, SIGTERM or SIGHUP: the file being written is removed,
 * one line says so, and the exit status is 128 + the signal.  Only
 * async-signal-safe calls here. */
static void on_signal(int sig)
{
    const char *dest = smp_discard_partial_output();
    const char *name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
    char line[4300];
    size_t n = 0;
    const char *parts[] = {"smpsim: stopped by ", name, dest ? ": " : "", dest ? dest : "",
                           dest ? " was not written" : "", "\n"};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        for (const char *p = parts[i]; *p && n < sizeof line - 1; p++) line[n++] = *p;
    if (write(2, line, n) < 0) { /* nothing more to do */ }
    _exit(128 + sig);
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);
    /* Past a file-size limit (ulimit -f) a write fails with EFBIG and is
     * reported like a full disk, rather than killing the process with half
     * a file. */
    signal(SIGXFSZ, SIG_IGN);
}

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
               "  studio   [--listen ADDR:PORT]                the consultation page in a browser\n"
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
    catch_signals();
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
    } else if (!strcmp(cmd, "studio")) {
        status = cmd_studio(argc - 1, argv + 1);
    } else {
        fprintf(stderr, "smpsim: unknown command '%s' (see 'smpsim --help')\n", cmd);
        return EXIT_USAGE;
    }
    return cli_finish(status);
}
