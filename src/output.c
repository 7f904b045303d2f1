#include "output.h"

#include <stdio.h>
#include <string.h>

#include "export.h"
#include "layout.h"
#include "paths.h"
#include "plan.h"
#include "preview.h"
#include "print.h"
#include "status.h"
#include "view.h"

/* Which command writes what, and how: the one list (in the order the
 * messages name the formats). */
static const output_kind kinds[] = {
    {"render", SMP_FMT_PNG, ".png", preview_check, preview_write},
    {"render", SMP_FMT_JPEG, ".jpg", preview_check, preview_write},
    {"render", SMP_FMT_PDF, ".pdf", preview_check, preview_write},
    {"render", SMP_FMT_SVG, ".svg", preview_check, preview_write},
    {"layout", SMP_FMT_CSV, ".csv", NULL, layout_write_dots},
    {"layout", SMP_FMT_JSON, ".json", NULL, layout_write_dots},
    {"layout", SMP_FMT_SVG, ".svg", NULL, layout_write_dots},
    {"layout", SMP_FMT_PNG, ".png", NULL, layout_write_dots},
    {"print", SMP_FMT_PDF, ".pdf", print_check, print_write},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const output_kind *output_kind_for(const char *command, const char *path)
{
    smp_format fmt = smp_format_from_path(path);
    if (!strcmp(path, "-") && !strcmp(command, "layout")) fmt = SMP_FMT_CSV;
    for (size_t i = 0; i < NKINDS; i++)
        if (!strcmp(kinds[i].command, command) && kinds[i].format == fmt) return &kinds[i];
    return NULL;
}

int output_is_command(const char *command)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (!strcmp(kinds[i].command, command)) return 1;
    return 0;
}

void output_formats(const char *command, char *buf, size_t n)
{
    size_t count = 0, k = 0, len = 0;
    for (size_t i = 0; i < NKINDS; i++) count += !strcmp(kinds[i].command, command);
    int w = snprintf(buf, n, "use ");
    len = w > 0 ? (size_t)w : 0;
    for (size_t i = 0; i < NKINDS && len < n; i++) {
        if (strcmp(kinds[i].command, command)) continue;
        const char *sep = k == 0 ? "" : k + 1 == count ? " or " : ", ";
        w = snprintf(buf + len, n - len, "%s%s", sep, kinds[i].ext);
        len += w > 0 ? (size_t)w : 0;
        k++;
    }
    /* One format: say why. */
    if (count == 1 && !strcmp(command, "print") && len < n) snprintf(buf + len, n - len, ": the mock-up is a PDF");
}

/* The run's side outputs: --save-area (render, layout) and
 * --practitioner-sheet (print), with the option that names each. */
typedef struct side_output {
    const char *path, *option;
} side_output;

static size_t side_outputs(const char *command, const settings *s, side_output out[2])
{
    size_t n = 0;
    if (s->save_area && strcmp(command, "print")) out[n++] = (side_output){s->save_area, "--save-area"};
    if (s->sheet && !strcmp(command, "print")) out[n++] = (side_output){s->sheet, "--practitioner-sheet"};
    return n;
}

smp_status output_check(const char *command, const smp_plan *plan, const char *path,
                        const char *const others[OUTPUT_OTHERS], smp_error *err)
{
    const output_kind *k = output_kind_for(command, path);
    if (!k) {
        char formats[96];
        output_formats(command, formats, sizeof formats);
        return smp_fail(err, SMP_EVALUE, 0, "%s: unknown output type (%s)", path, formats);
    }
    smp_status st;
    if (k->check && (st = k->check(plan, path, k->format, err)) != SMP_OK) return st;
    const settings *s = plan_settings(plan);
    const char *inputs[PLAN_MAX_INPUTS + OUTPUT_OTHERS];
    size_t ni = 0;
    for (int i = 0; others && i < OUTPUT_OTHERS; i++)
        if (others[i]) inputs[ni++] = others[i];
    ni += plan_input_files(s, inputs + ni);
    side_output side[2];
    size_t nside = side_outputs(command, s, side);
    const char *outs[3] = {path, nside > 0 ? side[0].path : NULL, nside > 1 ? side[1].path : NULL};
    for (size_t o = 0; o < 1 + nside; o++)
        for (size_t i = 0; i < ni; i++)
            if (path_same_file(outs[o], inputs[i]))
                return smp_fail(err, SMP_EINPUT, 1, "%s: the output would overwrite an input", outs[o]);
    for (size_t o = 0; o < nside; o++)
        if (path_same_name(path, side[o].path))
            return smp_fail(err, SMP_EVALUE, 0, "%s: named for both -o and %s", side[o].path, side[o].option);
    return SMP_OK;
}

smp_status output_write(const char *command, const smp_layout *L, const smp_plan *plan, const char *path,
                        const char *const others[OUTPUT_OTHERS], output_stats *stats, smp_error *err)
{
    output_stats unused;
    if (!stats) stats = &unused;
    memset(stats, 0, sizeof *stats);
    smp_status st = output_check(command, plan, path, others, err);
    if (st != SMP_OK) return st;
    const output_kind *k = output_kind_for(command, path);
    const settings *s = plan_settings(plan);
    /* What the writers see of the result, built once. */
    result_view view;
    result_view_of(L, &view);
    side_output side[2];
    size_t nside = side_outputs(command, s, side);
    /* The side outputs first, under temporary names: if one cannot be
     * written, neither is the main one. */
    out_file o[3];
    size_t open = 0;
    for (size_t i = 0; i < nside && st == SMP_OK; i++) {
        if (!strcmp(side[i].option, "--save-area")) {
            st = layout_save_area_begin(&view, side[i].path, &o[open], err);
        } else if ((st = out_open(&o[open], side[i].path, err)) == SMP_OK &&
                   (st = print_write_sheet(o[open].f, side[i].path, plan, err)) != SMP_OK) {
            out_abort(&o[open]);
        }
        if (st == SMP_OK) open++;
    }
    out_file *main_out = &o[open];
    if (st == SMP_OK && (st = out_open(main_out, path, err)) == SMP_OK) {
        if ((st = k->write(main_out->f, path, k->format, &view, plan, stats, err)) != SMP_OK) out_abort(main_out);
        else st = out_commit(main_out, err);
    }
    /* All or none: the side outputs are kept only with the main one. */
    for (size_t i = 0; i < open; i++) {
        if (st != SMP_OK) out_abort(&o[i]);
        else st = out_commit(&o[i], err);
    }
    return st;
}
