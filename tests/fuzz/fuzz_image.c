/* Photos and masks: PNG and JPEG (with EXIF) through the readers, with a
 * small pixel limit so that nothing allocates much. */
#include "fuzz_common.h"
#include "../../src/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n, ".img");
    photo p;
    grey_image g;
    int o;
    smp_error err = {0};
    if (image_read_photo(path, 4000000L, &p, &o, &err) == SMP_OK) photo_free(&p);
    if (image_read_grey_png(path, &g, &err) == SMP_OK) grey_image_free(&g);
    unlink(path);
    return 0;
}
