#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *path_join(const char *dir, const char *p)
{
    int join = dir && p[0] != '/';
    size_t n = strlen(p) + (join ? strlen(dir) + 1 : 0) + 1;
    char *r = malloc(n);
    if (!r) return NULL;
    if (join) snprintf(r, n, "%s/%s", dir, p);
    else memcpy(r, p, n);
    return r;
}
