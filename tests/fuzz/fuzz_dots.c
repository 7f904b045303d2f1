/* Dots CSV files (smpsim analyze): any bytes give SMP_OK or an error,
 * never a crash, and the dots read are measured over a small area. */
#include <stdlib.h>
#include "fuzz_common.h"
#include "smpsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n, ".csv");
    smp_dot *dots = NULL;
    size_t nd = 0;
    smp_error err = {0};
    if (smp_dots_read_csv(path, &dots, &nd, &err) == SMP_OK) {
        smp_quality q;
        if (smp_analyze_rect(dots, nd, 50, 50, 80, 80, &q, &err) != SMP_OK) err.msg[0] = 0;
    }
    free(dots);
    unlink(path);
    return 0;
}
