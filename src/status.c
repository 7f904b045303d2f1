#include "status.h"

#include <stdarg.h>
#include <stdio.h>

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
