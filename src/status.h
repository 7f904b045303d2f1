/* status: filling an smp_error.  One place formats every message so that
 * they all read "WHAT: what is wrong" on one line. */
#ifndef SMP_STATUS_H
#define SMP_STATUS_H
#include <stdio.h>

#include "smpsim.h"

/* Fills ERR (when non-NULL) and returns ST. */
smp_status smp_fail(smp_error *err, smp_status st, int from_file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An encoder writing PATH to F failed: when the write itself failed (full
 * disk, past a file-size limit) that is said with the system's reason
 * (ERRNO_AT_FAILURE), otherwise "cannot write KIND: DETAIL". */
smp_status smp_fail_write(smp_error *err, FILE *f, int errno_at_failure, const char *path, const char *kind,
                          const char *detail);

#endif
