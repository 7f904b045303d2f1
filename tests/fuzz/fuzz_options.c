/* The option parser of each subcommand: the input, split at NUL bytes, is
 * the argument list (the first byte picks the subcommand).  Outputs go to
 * a temporary folder.  Run with -close_fd_mask=3: the commands' own output
 * is not wanted, libFuzzer's reports still show. */
#include "fuzz_common.h"
#include "../../src/cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (!n || n > 4096) return 0;
    static const char *cmds[] = {"layout", "analyze", "presets", "shade"};
    char *buf = malloc(n + 1);
    memcpy(buf, data + 1, n - 1);
    buf[n - 1] = 0;
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)cmds[data[0] % 4];
    for (size_t i = 0; i < n - 1 && argc < 63;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    /* Keep runs small: outputs are refused unless to /tmp. */
    int bad = 0;
    for (int i = 1; i < argc; i++) bad |= !strncmp(argv[i], "-o", 2) || !strncmp(argv[i], "--output", 8);
    if (!bad) {
        switch (data[0] % 4) {
        case 0: cmd_layout(argc, argv); break;
        case 1: cmd_analyze(argc, argv); break;
        case 2: cmd_presets(argc, argv); break;
        default: cmd_shade(argc, argv); break;
        }
    }
    free(buf);
    return 0;
}
