/* Plan and preset files: any bytes give SMP_OK or an error, never a crash,
 * and a resolved plan makes a (small) layout. */
#include "fuzz_common.h"
#include "smpsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n, ".smp");
    smp_plan *p = smp_plan_new();
    smp_error err = {0};
    if (smp_plan_load(p, path, &err) == SMP_OK && smp_plan_set(p, "area-mm", "20,20", "fuzz", 0, &err) == SMP_OK &&
        smp_plan_resolve(p, &err) == SMP_OK) {
        smp_layout *L = NULL;
        if (smp_layout_new(p, &L, &err) == SMP_OK) smp_layout_free(L);
    }
    smp_plan_free(p);
    unlink(path);
    return 0;
}
