#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

smp_status smp_fail(smp_error *err, smp_status st, int from_file, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = st;
        err->from_file = from_file;
    }
    return st;
}

smp_status smp_fail_write(smp_error *err, FILE *f, int errno_at_failure, const char *path, const char *kind,
                          const char *detail)
{
    if (f && ferror(f) && errno_at_failure)
        return smp_fail(err, SMP_EOUTPUT, 0, "%s: write failed: %s", path, strerror(errno_at_failure));
    return smp_fail(err, SMP_EOUTPUT, 0, "%s: cannot write %s: %s", path, kind, detail);
}
