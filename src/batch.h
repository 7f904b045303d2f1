/* batch: manifests and jobs.  The CLI (src/cli/batch.c) schedules them in
 * worker processes; this module parses a manifest and runs one job.
 *
 * A manifest is either a CSV with a header, columns photo, plan, output,
 * optionally command (render, layout or print; by default layout for .csv
 * and .json outputs, render otherwise), then any option names as further
 * columns; or a plain list of plan files, one a line, each rendered to the
 * plan's name with .png.  Paths are relative to the manifest's folder.
 * Blank lines and lines starting with # are skipped. */
#ifndef SMP_BATCH_H
#define SMP_BATCH_H
#include "smpsim.h"

#define BATCH_MAX_JOBS 1000000
#define BATCH_MAX_COLUMNS 64
#define BATCH_MAX_LINE 65536
#define BATCH_WARNING_END '\x1e' /* ends each note in batch_result's WARNING (ASCII record separator) */

typedef struct batch_job {
    int line;                 /* manifest line, 1-based */
    char *command;            /* render, layout or print */
    char *photo, *plan, *output;
    int n_opts;
    char **keys, **values;    /* further columns (shared keys) */
    const char *manifest;     /* the manifest's path, and the report's (NULL when */
    const char *report;       /* none): a job's output must be neither (not owned) */
} batch_job;

typedef struct batch_manifest {
    batch_job *jobs;
    size_t n;
    char **keys;              /* option names of the further columns */
    int n_keys;
} batch_manifest;

smp_status batch_read(const char *path, batch_manifest *m, smp_error *err) SMP_MUST_CHECK;
void batch_free(batch_manifest *m);

typedef struct batch_result {
    size_t dots;
    double seconds;
    int skipped;
    char warning[1100]; /* what the user should check (the layout's notes, each ended by BATCH_WARNING_END) */
} batch_result;

/* The plan a job runs, into PLAN (new): its preset, its plan file over
 * that, the manifest's columns over both, then resolved. */
smp_status batch_plan(const batch_job *job, smp_plan *plan, smp_error *err) SMP_MUST_CHECK;
/* Runs one job; RESUME skips it when its output is newer than its inputs. */
smp_status batch_run(const batch_job *job, int resume, batch_result *res, smp_error *err) SMP_MUST_CHECK;

#endif
