#include "image.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

void grey_image_free(grey_image *img)
{
    if (!img) return;
    free(img->px);
    img->px = NULL;
}

smp_status image_read_grey_png(const char *path, grey_image *out, smp_error *err)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) return smp_fail(err, SMP_EINPUT, 1, "%s: cannot open", path);
    unsigned char sig[8];
    if (fread(sig, 1, 8, f) != 8 || png_sig_cmp(sig, 0, 8)) {
        fclose(f);
        return smp_fail(err, SMP_EINPUT, 1, "%s: not a PNG image", path);
    }
    rewind(f);
    if (!png_image_begin_read_from_stdio(&im, f)) {
        fclose(f);
        return smp_fail(err, SMP_EINPUT, 1, "%s: unreadable PNG: %s", path, im.message);
    }
    if ((long)im.width * (long)im.height > SMP_MAX_PIXELS) {
        png_image_free(&im);
        fclose(f);
        return smp_fail(err, SMP_ELIMIT, 1, "%s: %ux%u pixels is over the limit of 100 megapixels",
                        path, im.width, im.height);
    }
    im.format = PNG_FORMAT_GRAY;
    uint8_t *px = malloc((size_t)im.width * im.height);
    if (!px) {
        png_image_free(&im);
        fclose(f);
        return smp_fail(err, SMP_ENOMEM, 0, "%s: out of memory", path);
    }
    png_color black = {0, 0, 0};
    if (!png_image_finish_read(&im, &black, px, 0, NULL)) {
        free(px);
        fclose(f);
        return smp_fail(err, SMP_EINPUT, 1, "%s: unreadable PNG: %s", path, im.message);
    }
    fclose(f);
    out->w = (int)im.width;
    out->h = (int)im.height;
    out->px = px;
    return SMP_OK;
}

smp_status image_write_png_rgba(FILE *f, const char *path, const uint8_t *px, int w, int h,
                                int stride, smp_error *err)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = (png_uint_32)w;
    im.height = (png_uint_32)h;
    im.format = PNG_FORMAT_RGBA;
    if (!png_image_write_to_stdio(&im, f, 0, px, stride, NULL))
        return smp_fail(err, SMP_EOUTPUT, 0, "%s: cannot write PNG: %s", path, im.message);
    return SMP_OK;
}
