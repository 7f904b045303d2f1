/* image: the one place that talks to image codecs (libpng for now; the
 * photo issue adds libjpeg-turbo and libexif here). */
#ifndef SMP_IMAGE_H
#define SMP_IMAGE_H
#include <stdint.h>
#include <stdio.h>

#include "smpsim.h"

typedef struct grey_image {
    int w, h;
    uint8_t *px; /* w*h, row-major, owned */
} grey_image;

/* Pixel limit for any image read (checked from the header). */
#define SMP_MAX_PIXELS 100000000L

/* Reads a PNG of any type as 8-bit grey (alpha composited over black, so a
 * transparent pixel counts as "no").  WHAT names the option for messages. */
smp_status image_read_grey_png(const char *path, grey_image *out, smp_error *err) SMP_MUST_CHECK;
void grey_image_free(grey_image *img);

/* Writes 8-bit RGBA (stride bytes per row, premultiplied = 0) to F as PNG. */
smp_status image_write_png_rgba(FILE *f, const char *path, const uint8_t *px, int w, int h,
                                int stride, smp_error *err) SMP_MUST_CHECK;

#endif
