/* status: filling an smp_error.  One place formats every message so that
 * they all read "WHAT: what is wrong" on one line. */
#ifndef SMP_STATUS_H
#define SMP_STATUS_H
#include "smpsim.h"

/* Fills ERR (when non-NULL) and returns ST. */
smp_status smp_fail(smp_error *err, smp_status st, int from_file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
