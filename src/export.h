/* export: the write stage.  Every file is written to a temporary name in
 * the destination's folder and renamed into place only when complete, so a
 * failure never leaves half a file.  "-" means standard output. */
#ifndef SMP_EXPORT_H
#define SMP_EXPORT_H
#include <cairo.h>
#include <stdio.h>

#include "smpsim.h"
#include "view.h"

typedef struct out_file {
    FILE *f;
    char *tmp;        /* temporary path, NULL for stdout */
    const char *path;
    char *target;     /* what the temporary file replaces: PATH's own target when PATH is a link (owned) */
    int keep_mode;    /* 1: give the new file MODE, the old file's */
    unsigned mode;
} out_file;

/* Opens PATH for writing under a temporary name.  An existing file with
 * no write permission for anyone is refused unless out_set_force(1). */
smp_status out_open(out_file *o, const char *path, smp_error *err) SMP_MUST_CHECK;
void out_set_force(int force);
/* --save-area written to O's temporary file, to commit (out_commit) once
 * the run's other output is written, or abort: all outputs or none. */
smp_status layout_save_area_begin(const result_view *L, const char *path, out_file *o, smp_error *err) SMP_MUST_CHECK;
/* Flushes, closes and renames; on failure removes the temporary file. */
smp_status out_commit(out_file *o, smp_error *err) SMP_MUST_CHECK;
/* Abandons the output: closes and removes the temporary file. */
void out_abort(out_file *o);
/* In a forked child: the output the parent is writing is not this
 * process's to remove when stopped (and none of its own is in place yet). */
void out_forget_pending(void);
/* Whether an output of this process has been renamed into place: a
 * batch worker stopped after that finishes its job and reports it, so
 * that the report lists every file there is.  Async-signal-safe. */
int out_committed(void);

/* Cairo's write callback for a FILE; out_stream_errno() is the reason the
 * last failed one failed, since cairo and pango may change errno since. */
cairo_status_t out_cairo_write(void *file, const unsigned char *data, unsigned int len);
int out_stream_errno(void);

const char *dot_kind_name(smp_dot_kind k);

struct output_stats; /* output.h */
/* The layout command's writer (output.c's table): L's impressions into F as
 * CSV, JSON, true-size SVG or PNG. */
smp_status layout_write_dots(FILE *f, const char *path, smp_format fmt, const result_view *L, const smp_plan *plan,
                             struct output_stats *stats, smp_error *err) SMP_MUST_CHECK;

#endif
