/* smpsim presets: list the presets or print one. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(void)
{
    printf("Usage: smpsim presets [NAME] [--json]\n"
           "List the presets with a one-line description, or print preset NAME.\n"
           "Presets are plan files NAME.smp found in ./presets, $SMPSIM_PRESETS and the installed share folder.\n"
           "\nOptions:\n"
           "  --json                       list as JSON\n"
           "  -h, --help                   show this help\n"
           "  --version                    show the version\n"
           "\nExample: smpsim presets mature-receded\n");
}

typedef struct {
    int json, count;
    json_t *list; /* with --json */
} list_ctx;

static void list_one(const char *name, const char *path, const char *description, void *vctx)
{
    list_ctx *ctx = vctx;
    if (ctx->json)
        json_array_append_new(ctx->list, json_pack("{s:o,s:o,s:o}", "name", json_text(name), "path", json_text(path),
                                                   "description", json_text(description)));
    else
        printf("%-18s %s\n", name, description);
    ctx->count++;
}

int cmd_presets(int argc, char **argv)
{
    static const struct option lo[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'}, {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'}, {0, 0, 0, 0}};
    list_ctx ctx = {0, 0, NULL};
    int ch;
    opterr = 0;
    optind = 0; /* GNU: a full reset, whatever an earlier parse left behind */
    while ((ch = getopt_long(argc, argv, "hqv", lo, NULL)) != -1) {
        switch (ch) {
        case 'j': ctx.json = 1; break;
        case 'h': usage(); return 0;
        case 'V': printf("smpsim %s\n", SMP_VERSION); return 0;
        case 'q': case 'v': break;
        default: return cli_unknown_option("presets", argc, argv);
        }
    }
    if (optind + 1 < argc) return cli_usage_error("presets", "unexpected argument '%s'", argv[optind + 1]);
    if (optind < argc) {
        char path[4096];
        smp_error err = {0};
        if (smp_preset_find(argv[optind], path, sizeof path, &err) != SMP_OK) return cli_report(&err);
        FILE *f = fopen(path, "r");
        if (!f) { fprintf(stderr, "smpsim: %s: cannot open\n", path); return EXIT_INPUT; }
        char buf[4096];
        size_t k;
        while ((k = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, k, stdout);
        fclose(f);
        return 0;
    }
    if (ctx.json && !(ctx.list = json_array())) { fprintf(stderr, "smpsim: out of memory\n"); return EXIT_INPUT; }
    smp_presets_each(list_one, &ctx);
    if (ctx.json) {
        int whole = json_array_size(ctx.list) == (size_t)ctx.count;
        if (!whole) json_decref(ctx.list);
        if (!whole || json_print_line(stdout, ctx.list)) {
            fprintf(stderr, "smpsim: out of memory\n");
            return EXIT_INPUT;
        }
    }
    if (!ctx.count && !ctx.json) {
        fprintf(stderr, "smpsim: no presets found (looked in ./presets, $SMPSIM_PRESETS, beside the program and the share folder)\n");
        return EXIT_INPUT;
    }
    return 0;
}
