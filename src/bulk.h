/* bulk: allocations of many megabytes (frames, dot lists).
 *
 * On the virtual machines this runs on, first touching fresh memory in
 * 4 KB pages costs a page fault each, and tens of thousands of them took
 * longer than the work itself.  Large blocks are aligned to 2 MB and the
 * kernel is asked for huge pages where it offers them (MADV_HUGEPAGE). */
#ifndef SMP_BULK_H
#define SMP_BULK_H
#include <stddef.h>

/* Like malloc; free with free(). */
void *bulk_alloc(size_t bytes);
/* Like realloc for a block from bulk_alloc (or NULL). */
void *bulk_realloc(void *p, size_t old_bytes, size_t new_bytes);

#endif
