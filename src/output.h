/* output: the one way out.  Every command and every batch job writes its
 * result through output_write(): a table says which command writes which
 * formats and with which writer; the entry point checks the format, checks
 * that no output is an input of the run by any path (the plan, the photo,
 * masks, map, logo, notes the plan names, and a manifest and report), opens
 * the output and the run's side outputs (--save-area, --practitioner-sheet)
 * under temporary names, calls the writer, and then keeps all of them or
 * none.  Writers only draw into the FILE they are given. */
#ifndef SMP_OUTPUT_H
#define SMP_OUTPUT_H
#include <stddef.h>
#include <stdio.h>

#include "smpsim.h"

/* What a writer reports: a preview's render, compose and encode times,
 * the pages of a PDF mock-up. */
typedef struct output_stats {
    double seconds[3];
    int pages;
} output_stats;

struct result_view; /* view.h */

typedef struct output_kind {
    const char *command; /* "render", "layout", "print" */
    smp_format format;
    const char *ext;     /* as the list of formats names it: ".png" */
    /* Whether the plan can be written so, before anything is opened (NULL: always). */
    smp_status (*check)(const smp_plan *plan, const char *path, smp_format fmt, smp_error *err);
    smp_status (*write)(FILE *f, const char *path, smp_format fmt, const struct result_view *L, const smp_plan *plan,
                        output_stats *stats, smp_error *err);
} output_kind;

/* The row for COMMAND writing PATH (by its extension; "-" is CSV on
 * standard output for layout), or NULL. */
const output_kind *output_kind_for(const char *command, const char *path);

/* 1 when COMMAND writes something (render, layout, print). */
int output_is_command(const char *command);

/* "use .png, .jpg, .pdf or .svg" for COMMAND, into BUF. */
void output_formats(const char *command, char *buf, size_t n);

/* Inputs of the run outside the plan's own settings: the plan file, a
 * manifest, a report (each may be NULL). */
#define OUTPUT_OTHERS 3

/* Everything output_write checks before it opens a file: the format, the
 * outputs against the inputs (SMP_EINPUT "the output would overwrite an
 * input"), and the outputs against each other (SMP_EVALUE). */
smp_status output_check(const char *command, const smp_plan *plan, const char *path,
                        const char *const others[OUTPUT_OTHERS], smp_error *err) SMP_MUST_CHECK;

/* Writes COMMAND's result for L to PATH, with the run's side outputs, all
 * or none.  OTHERS as for output_check (NULL: none); STATS, when not NULL,
 * gets what the writer reports. */
smp_status output_write(const char *command, const smp_layout *L, const smp_plan *plan, const char *path,
                        const char *const others[OUTPUT_OTHERS], output_stats *stats, smp_error *err) SMP_MUST_CHECK;

#endif
