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

/* A photo or composed frame: cairo's RGB24 layout, one uint32 per pixel
 * (0x00RRGGBB in native byte order), rows STRIDE bytes apart, so that
 * cairo can draw on it directly. */
typedef struct photo {
    int w, h, stride;
    uint8_t *px; /* owned */
} photo;

smp_status photo_alloc(photo *p, int w, int h, smp_error *err) SMP_MUST_CHECK;
void photo_free(photo *p);
/* P with every F x F pixels averaged into one (the last row and column of
 * a size F does not divide averaged over what there is), into OUT: the
 * measuring stages work at a few px/mm whatever the photo's. */
smp_status photo_reduce(const photo *p, int f, photo *out, smp_error *err) SMP_MUST_CHECK;

/* Reads a PNG (any bit depth, grey, palette, alpha over white, interlaced)
 * or JPEG (baseline, progressive, greyscale; CMYK refused) and applies the
 * EXIF orientation of a JPEG, so the photo is as it is displayed.  The
 * pixel count is checked against MAX_PIXELS from the header, before
 * decoding.  *ORIENTATION receives the EXIF value applied (1 when none). */
smp_status image_read_photo(const char *path, long max_pixels, photo *out, int *orientation,
                            smp_error *err) SMP_MUST_CHECK;
/* The refusal of a W x H image at PATH past LIMIT pixels (SMP_ELIMIT). */
smp_status image_over_limit(smp_error *err, const char *path, unsigned w, unsigned h, long limit) SMP_MUST_CHECK;

/* Writes P as PNG (zlib LEVEL 0-9) or JPEG (QUALITY 1-100) to F.  No
 * metadata from any input is carried. */
smp_status image_write_photo_png(FILE *f, const char *path, const photo *p, int level,
                                 smp_error *err) SMP_MUST_CHECK;
smp_status image_write_photo_jpeg(FILE *f, const char *path, const photo *p, int quality,
                                  smp_error *err) SMP_MUST_CHECK;
/* Applies EXIF orientation O (1-8) to P in place (may swap w and h). */
smp_status photo_orient(photo *p, int o, smp_error *err) SMP_MUST_CHECK;

#endif
