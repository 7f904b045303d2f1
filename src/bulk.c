#include "bulk.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BULK_MIN (8u << 20)
#define HUGE_PAGE (2u << 20)

void *bulk_alloc(size_t bytes)
{
    if (bytes < BULK_MIN) return malloc(bytes ? bytes : 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, bytes) != 0) return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

void *bulk_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
    if (new_bytes < BULK_MIN) return realloc(p, new_bytes);
    void *q = bulk_alloc(new_bytes);
    if (!q) return NULL;
    if (p) {
        memcpy(q, p, old_bytes < new_bytes ? old_bytes : new_bytes);
        free(p);
    }
    return q;
}
