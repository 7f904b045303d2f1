/* The option parser of each subcommand: the input, split at NUL bytes, is
 * the argument list (the first byte picks the subcommand: layout, analyze,
 * presets, shade, render, print, batch).  Outputs go to
 * a temporary folder.  Run with -close_fd_mask=3: the commands' own output
 * is not wanted, libFuzzer's reports still show. */
#include "fuzz_common.h"
#include "../../src/cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (!n || n > 4096) return 0;
    static const char *cmds[] = {"layout", "analyze", "presets", "shade", "render", "print", "batch"};
    int which = data[0] % 7;
    char *buf = malloc(n + 1);
    memcpy(buf, data + 1, n - 1);
    buf[n - 1] = 0;
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)cmds[which];
    for (size_t i = 0; i < n - 1 && argc < 63;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    /* Keep runs small: outputs are refused unless to /tmp. */
    int bad = 0;
    /* No files written: -o (alone or in a bundle such as -vo) and
     * --save-area, by any abbreviation getopt takes. */
    for (int i = 1; i < argc; i++)
        bad |= (argv[i][0] == '-' && argv[i][1] != '-' && strchr(argv[i], 'o')) || !strncmp(argv[i], "--o", 3) ||
               !strncmp(argv[i], "--sa", 4);
    /* batch: options alone (a manifest would start workers), no --report. */
    for (int i = 1; which == 6 && i < argc; i++) bad |= strncmp(argv[i], "--", 2) != 0 || !strncmp(argv[i], "--r", 3);
    if (!bad) {
        switch (which) {
        case 0: cmd_layout(argc, argv); break;
        case 1: cmd_analyze(argc, argv); break;
        case 2: cmd_presets(argc, argv); break;
        case 3: cmd_shade(argc, argv); break;
        case 4: cmd_render(argc, argv); break;    /* stops at "no output" or after --dump-plan */
        case 5: cmd_print(argc, argv); break;
        default: cmd_batch(argc, argv); break;
        }
    }
    free(buf);
    return 0;
}
