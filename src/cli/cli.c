#include "cli.h"

#include "../clock.h"
#include "../export.h"
#include "../output.h"
#include "../plan.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_JSON = 1000, OPT_PRESET, OPT_PLAN, OPT_VERSION, OPT_DUMP_PLAN, OPT_FORCE, OPT_PLAN_BASE = 256 };

int cli_report(const smp_error *err)
{
    fprintf(stderr, "smpsim: %s\n", err->msg);
    if (err->status == SMP_EVALUE && !err->from_file) return EXIT_USAGE;
    return EXIT_INPUT;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "smpsim %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'smpsim %s --help')\n", cmd);
    return EXIT_USAGE;
}

void cli_print_general_options(FILE *f, const char *output)
{
    fprintf(f, "\nGeneral options:\n"
               "  -o, --output FILE            %s\n"
               "  --json                       print a summary as JSON on stdout\n"
               "  --preset NAME                start from a preset ('smpsim presets' lists them)\n"
               "  --plan FILE                  read a plan file (INI); options given here override it\n"
               "  --dump-plan                  print the effective plan and exit\n"
               "  --force                      replace an output even when it is read-only\n"
               "  -q, --quiet                  print nothing but errors\n"
               "  -v, --verbose                say what was made and how long it took\n"
               "  -h, --help                   show this help\n"
               "  --version                    show the version\n",
            output);
}

double cli_now(void) { return smp_seconds(); }

int cli_unknown_option(const char *cmd, int argc, char **argv)
{
    /* An unknown letter inside a cluster ("-x.jpg"): getopt has not moved
     * past the word yet, so argv[optind - 1] is the word before it. */
    if (optopt > 0 && optind < argc && argv[optind][0] == '-' && argv[optind][1] != '-' &&
        strchr(argv[optind] + 1, optopt))
        return cli_usage_error(cmd, "unknown option '-%c' in '%s'", optopt, argv[optind]);
    if (optopt > 0 && optopt < 128) return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_check_output(const cli_common *c, const smp_plan *plan)
{
    smp_error err = {0};
    const char *others[OUTPUT_OTHERS] = {c->plan, NULL, NULL};
    return output_check(c->cmd, plan, c->output, others, &err) == SMP_OK ? 0 : cli_report(&err);
}

void cli_print_plan_options(FILE *f)
{
    const char *section;
    for (size_t k = 0; (section = smp_option_section(k)); k++) {
        int header = 0;
        for (size_t i = 0; i < smp_option_count(); i++) {
            const smp_option_info *o = smp_option_at(i);
            if (!strcmp(o->name, "description") || strcmp(section, o->section)) continue;
            if (!header) fprintf(f, "\n%c%s options:\n", section[0] - 32, section + 1);
            header = 1;
            char lhs[64];
            snprintf(lhs, sizeof lhs, "--%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
            fprintf(f, "  %-28s %s", lhs, o->help);
            if (o->fallback && o->metavar) fprintf(f, " [%s]", o->fallback);
            fputc('\n', f);
        }
    }
}

int cli_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        /* Said once: a command that already failed on it has reported it. */
        if (status == 0) fprintf(stderr, "smpsim: standard output: write failed: %s\n", strerror(errno));
        return status ? status : EXIT_INPUT;
    }
    return status;
}

int cli_parse_plan(int argc, char **argv, cli_common *c, smp_plan *plan, void (*usage)(void))
{
    size_t nopt = smp_option_count();
    struct option *lo = calloc(nopt + 12, sizeof *lo);
    struct { int id; const char *value; } *set = calloc((size_t)argc + 1, sizeof *set);
    int nset = 0, status = -1;
    if (!lo || !set) { fprintf(stderr, "smpsim: out of memory\n"); free(lo); free(set); return EXIT_INPUT; }
    size_t k = 0;
    for (size_t i = 0; i < nopt; i++) {
        const smp_option_info *o = smp_option_at(i);
        lo[k++] = (struct option){o->name, o->metavar ? required_argument : no_argument, NULL, OPT_PLAN_BASE + (int)i};
    }
    lo[k++] = (struct option){"output", required_argument, NULL, 'o'};
    lo[k++] = (struct option){"json", no_argument, NULL, OPT_JSON};
    lo[k++] = (struct option){"preset", required_argument, NULL, OPT_PRESET};
    lo[k++] = (struct option){"plan", required_argument, NULL, OPT_PLAN};
    lo[k++] = (struct option){"dump-plan", no_argument, NULL, OPT_DUMP_PLAN};
    lo[k++] = (struct option){"force", no_argument, NULL, OPT_FORCE};
    lo[k++] = (struct option){"quiet", no_argument, NULL, 'q'};
    lo[k++] = (struct option){"verbose", no_argument, NULL, 'v'};
    lo[k++] = (struct option){"help", no_argument, NULL, 'h'};
    lo[k++] = (struct option){"version", no_argument, NULL, OPT_VERSION};
    lo[k] = (struct option){0, 0, 0, 0};

    opterr = 0;
    optind = 0; /* GNU: a full reset, whatever an earlier parse left behind */
    int ch;
    while ((ch = getopt_long(argc, argv, ":o:qvh", lo, NULL)) != -1) {
        switch (ch) {
        case 'o': c->output = optarg; break;
        case OPT_JSON: c->json = 1; break;
        case OPT_PRESET: c->preset = optarg; break;
        case OPT_PLAN: c->plan = optarg; break;
        case OPT_DUMP_PLAN: c->dump_plan = 1; break;
        case OPT_FORCE: out_set_force(1); break;
        case 'q': c->quiet = 1; break;
        case 'v': c->verbose = 1; break;
        case 'h': usage(); status = 0; goto out;
        case OPT_VERSION: printf("smpsim %s\n", SMP_VERSION); status = 0; goto out;
        case ':':
            status = cli_usage_error(c->cmd, "option '%s' needs a value", argv[optind - 1]);
            goto out;
        case '?':
            status = cli_unknown_option(c->cmd, argc, argv);
            goto out;
        default:
            if (ch < OPT_PLAN_BASE || ch >= OPT_PLAN_BASE + (int)nopt || nset >= argc) {
                status = cli_usage_error(c->cmd, "cannot read the options");
                goto out;
            }
            set[nset].id = ch - OPT_PLAN_BASE;
            set[nset].value = optarg ? optarg : "yes";
            nset++;
        }
    }
    if (optind < argc) c->positional = argv[optind++];
    if (optind < argc) {
        status = cli_usage_error(c->cmd, "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (c->positional_is_plan && c->positional &&
        (smp_format_from_path(c->positional) == SMP_FMT_PNG || smp_format_from_path(c->positional) == SMP_FMT_JPEG)) {
        c->photo = c->positional;
    } else if (c->positional_is_plan && c->positional) {
        if (c->plan) {
            status = cli_usage_error(c->cmd, "give the plan once, as an argument or with --plan");
            goto out;
        }
        c->plan = c->positional;
    }
    smp_error err = {0};
    if (c->preset && smp_plan_load_preset(plan, c->preset, &err) != SMP_OK) {
        /* An unknown preset named on the command line is a usage error;
         * a broken preset file is an input error. */
        status = cli_report(&err);
        goto out;
    }
    if (c->plan && smp_plan_load(plan, c->plan, &err) != SMP_OK) { status = cli_report(&err); goto out; }
    for (int i = 0; i < nset; i++) {
        char origin[80];
        snprintf(origin, sizeof origin, "--%s", smp_option_at((size_t)set[i].id)->name);
        if (smp_plan_set(plan, smp_option_at((size_t)set[i].id)->name, set[i].value, origin, 0, &err) != SMP_OK) {
            status = cli_report(&err);
            goto out;
        }
    }
    if (c->photo && smp_plan_set(plan, "photo", c->photo, "PHOTO", 0, &err) != SMP_OK) {
        status = cli_report(&err);
        goto out;
    }
    if (smp_plan_resolve(plan, &err) != SMP_OK) { status = cli_report(&err); goto out; }
out:
    free(lo);
    free(set);
    return status;
}

void cli_say_measured(const cli_common *c, const smp_layout *layout)
{
    int say = !c->quiet && !c->json;
    smp_shade sh;
    if (smp_layout_shade(layout, &sh) && say)
        fprintf(stderr, "smpsim: dilution %g (auto, a starting point to test on the skin): %s\n", sh.dilution, sh.reason);
    smp_density_match dm;
    if (smp_layout_density_match(layout, &dm) && say)
        fprintf(stderr, "smpsim: density %g dots/cm^2 (auto, from the photo): %s\n", dm.density, dm.reason);
    smp_hair_match hm;
    if (smp_layout_hair_match(layout, &hm) && say) fprintf(stderr, "smpsim: match: %s\n", hm.reason);
    if (smp_layout_area_confidence(layout) > 0 && say)
        fprintf(stderr, "smpsim: found the scalp with confidence %.2f; check it with --save-area FILE.png\n",
                smp_layout_area_confidence(layout));
    for (int i = 0; smp_layout_note_at(layout, i) && !c->quiet; i++)
        fprintf(stderr, "smpsim: note: %s\n", smp_layout_note_at(layout, i));
    if (smp_layout_suggestion(layout) && !c->quiet) fprintf(stderr, "smpsim: %s\n", smp_layout_suggestion(layout));
}

int cli_photo_layout(const cli_common *c, const smp_plan *plan, smp_layout **layout, double *scale)
{
    smp_error err = {0};
    *layout = NULL;
    if (smp_layout_new(plan, layout, &err) != SMP_OK) return cli_report(&err);
    /* A photo is there: output_check refuses render and print without one. */
    int kind = smp_layout_photo_scale(*layout, scale);
    cli_say_measured(c, *layout);
    if (kind == 2 && !c->quiet)
        fprintf(stderr, "smpsim: warning: no scale given; assuming 120 mm between the temple points: %.2f px/mm\n",
                *scale);
    if (kind == 3 && !c->quiet)
        fprintf(stderr,
                "smpsim: warning: no scale given; assuming 63 mm between the pupils of the face found (most adults "
                "57-69 mm: within about 10%%): %.2f px/mm\n",
                *scale);
    if (kind == 4 && !c->quiet)
        fprintf(stderr,
                "smpsim: warning: no scale given; assuming the head in the photo is 152 mm broad (most adults "
                "140-165 mm: within about 10%%): %.2f px/mm\n",
                *scale);
    return -1;
}

const char *cli_scale_from(int kind)
{
    return kind == 4 ? "head" : kind == 3 ? "face" : kind == 2 ? "anchors" : "given";
}

int cli_begin_output(int argc, char **argv, cli_common *c, smp_plan *plan, void (*usage)(void), const char *give)
{
    int status = cli_parse_plan(argc, argv, c, plan, usage);
    if (status >= 0) return status;
    if (c->dump_plan) {
        smp_plan_dump(plan, stdout);
        return 0;
    }
    if (!c->output) return cli_usage_error(c->cmd, "no output: give -o %s", give);
    if (!output_kind_for(c->cmd, c->output)) {
        char formats[96];
        output_formats(c->cmd, formats, sizeof formats);
        return cli_usage_error(c->cmd, "%s: unknown output type (%s)", c->output, formats);
    }
    /* Never overwrite the photo or any other input, by any path. */
    int st = cli_check_output(c, plan);
    return st ? st : -1;
}
