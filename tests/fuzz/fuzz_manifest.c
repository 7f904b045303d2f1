/* Batch manifests. */
#include "fuzz_common.h"
#include "../../src/batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n, ".csv");
    batch_manifest m;
    smp_error err = {0};
    if (batch_read(path, &m, &err) == SMP_OK) batch_free(&m);
    unlink(path);
    return 0;
}
