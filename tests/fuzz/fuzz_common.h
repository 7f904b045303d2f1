/* Shared by the libFuzzer harnesses: the input as a temporary file, for the
 * readers that take a path. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline const char *fuzz_file(const uint8_t *data, size_t n, const char *suffix)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/smpsim-fuzz-%d%s", (int)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (n && fwrite(data, 1, n, f) != n) abort();
    fclose(f);
    return path;
}

#endif
