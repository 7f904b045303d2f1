/* paths: a file named in a plan or a manifest is relative to that file's
 * folder, unless it is absolute. */
#ifndef SMP_PATHS_H
#define SMP_PATHS_H

/* DIR/P as a new string (free() it), or a copy of P when P is absolute or
 * DIR is NULL; NULL when out of memory. */
char *path_join(const char *dir, const char *p);

#endif
