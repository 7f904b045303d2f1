#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int path_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* P's folder made absolute, then its last part: NULL when the folder
 * cannot be resolved.  The caller frees it. */
static char *canonical_path(const char *p)
{
    const char *slash = strrchr(p, '/');
    char *dir = slash ? strndup(p, (size_t)(slash - p) + 1) : strdup(".");
    char *real = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    if (!real) return NULL;
    char *out = path_join(real, slash ? slash + 1 : p);
    free(real);
    return out;
}

int path_same_name(const char *a, const char *b)
{
    if (!a || !b) return 0;
    if (!strcmp(a, b) || path_same_file(a, b)) return 1;
    char *ca = canonical_path(a), *cb = canonical_path(b);
    int same = ca && cb && !strcmp(ca, cb);
    free(ca);
    free(cb);
    return same;
}
