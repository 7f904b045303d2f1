/* print: the patient mock-up PDF and the practitioner sheet (print.c),
 * the print command's writers in output.c's table. */
#ifndef SMP_PRINT_H
#define SMP_PRINT_H
#include <stdio.h>

#include "view.h"

/* Whether PLAN can be printed (it needs a photo), before anything is
 * opened. */
smp_status print_check(const smp_plan *plan, const char *path, smp_format fmt, smp_error *err) SMP_MUST_CHECK;
struct output_stats; /* output.h */
/* The mock-up of L into F at true scale: three pages or more (long notes
 * go on over further pages); STATS->pages says how many. */
smp_status print_write(FILE *f, const char *path, smp_format fmt, const result_view *L, const smp_plan *plan,
                       struct output_stats *stats, smp_error *err) SMP_MUST_CHECK;
/* The practitioner sheet of PLAN into F: every setting, file and the seed. */
smp_status print_write_sheet(FILE *f, const char *path, const smp_plan *plan, smp_error *err) SMP_MUST_CHECK;

#endif
