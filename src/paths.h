/* paths: a file named in a plan or a manifest is relative to that file's
 * folder, unless it is absolute; and whether two names are one file. */
#ifndef SMP_PATHS_H
#define SMP_PATHS_H

/* DIR/P as a new string (free() it), or a copy of P when P is absolute or
 * DIR is NULL; NULL when out of memory. */
char *path_join(const char *dir, const char *p);

/* 1 when A and B name one existing file (the same inode), by any path. */
int path_same_file(const char *a, const char *b);
/* 1 when A and B name the same file, existing or not: as path_same_file,
 * or the same name once their folders are resolved ("./o.png", "o.png"). */
int path_same_name(const char *a, const char *b);

#endif
