#include "image.h"

#include <png.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "status.h"

void grey_image_free(grey_image *img)
{
    if (!img) return;
    free(img->px);
    img->px = NULL;
}

/* One message for every image past the pixel limit, in megapixels when
 * the limit is a whole number of them. */
smp_status image_over_limit(smp_error *err, const char *path, unsigned w, unsigned h, long limit)
{
    if (limit >= 1000000 && limit % 1000000 == 0)
        return smp_fail(err, SMP_ELIMIT, 1, "%s: %ux%u pixels is over the limit of %ld megapixels", path, w, h,
                        limit / 1000000);
    return smp_fail(err, SMP_ELIMIT, 1, "%s: %ux%u pixels is over the limit of %ld pixels", path, w, h, limit);
}

smp_status image_read_grey_png(const char *path, grey_image *out, smp_error *err)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) return smp_fail(err, SMP_EINPUT, 1, "%s: cannot open: %s", path, strerror(errno));
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
        return image_over_limit(err, path, im.width, im.height, SMP_MAX_PIXELS);
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
        return smp_fail_write(err, f, errno, path, "PNG", im.message);
    return SMP_OK;
}

/* ---- photos ---- */

#include <jpeglib.h>
#include <jerror.h>
#include <libexif/exif-data.h>
#include <setjmp.h>

smp_status photo_alloc(photo *p, int w, int h, smp_error *err)
{
    memset(p, 0, sizeof *p);
    if (w <= 0 || h <= 0 || (long)w * h > SMP_MAX_PIXELS * 4L)
        return smp_fail(err, SMP_ELIMIT, 0, "a %dx%d image is too large", w, h);
    void *mem = bulk_alloc((size_t)w * h * 4);
    p->px = mem;
    if (!p->px) return smp_fail(err, SMP_ENOMEM, 0, "out of memory for a %dx%d image", w, h);
    p->w = w;
    p->h = h;
    p->stride = w * 4;
    return SMP_OK;
}

void photo_free(photo *p)
{
    if (!p) return;
    free(p->px);
    memset(p, 0, sizeof *p);
}

smp_status photo_reduce(const photo *p, int f, photo *out, smp_error *err)
{
    int w = (p->w + f - 1) / f, h = (p->h + f - 1) / f;
    smp_status st = photo_alloc(out, w, h, err);
    if (st != SMP_OK) return st;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned sum[3] = {0, 0, 0}, k = 0;
            for (int yy = y * f; yy < y * f + f && yy < p->h; yy++)
                for (int xx = x * f; xx < x * f + f && xx < p->w; xx++, k++) {
                    uint32_t v = ((const uint32_t *)(p->px + (size_t)yy * p->stride))[xx];
                    sum[0] += (v >> 16) & 255;
                    sum[1] += (v >> 8) & 255;
                    sum[2] += v & 255;
                }
            ((uint32_t *)(out->px + (size_t)y * out->stride))[x] =
                (sum[0] + k / 2) / k << 16 | (sum[1] + k / 2) / k << 8 | (sum[2] + k / 2) / k;
        }
    return SMP_OK;
}

/* libpng reports through these: no printing, one longjmp. */
static void png_quiet_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void png_quiet_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* The full libpng API rather than the simplified one: the simplified
 * reader takes 16-bit files as linear light and brightens them; photos are
 * sRGB at any depth, so the high byte is kept as it is. */
static smp_status read_png_photo(const char *path, FILE *f, long max_pixels, photo *out, smp_error *err)
{
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_quiet_error, png_quiet_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_bytep *volatile rows = NULL;
    uint8_t *volatile rgba = NULL;
    volatile smp_status st = SMP_OK;
    memset(out, 0, sizeof *out);
    if (!png || !info) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    if (setjmp(png_jmpbuf(png))) {
        photo_free(out);
        st = smp_fail(err, SMP_EINPUT, 1, "%s: truncated or corrupt PNG", path);
        goto done;
    }
    png_init_io(png, f);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if ((long)w * (long)h > max_pixels) {
        st = image_over_limit(err, path, w, h, max_pixels);
        goto done;
    }
    int ct = png_get_color_type(png, info);
    if (ct == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (ct == PNG_COLOR_TYPE_GRAY || ct == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if (png_get_bit_depth(png, info) < 8) png_set_expand(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    png_set_strip_16(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if ((st = photo_alloc(out, (int)w, (int)h, err)) != SMP_OK) goto done;
    rgba = malloc((size_t)w * h * 4);
    rows = malloc(h * sizeof *rows);
    if (!rgba || !rows) { photo_free(out); st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto done; }
    for (png_uint_32 y = 0; y < h; y++) rows[y] = rgba + (size_t)y * w * 4;
    png_read_image(png, rows);
    /* Alpha over white, into cairo's native 0x00RRGGBB. */
    for (png_uint_32 y = 0; y < h; y++) {
        uint32_t *q = (uint32_t *)(out->px + (size_t)y * out->stride);
        const uint8_t *r = rows[y];
        for (png_uint_32 x = 0; x < w; x++) {
            const uint8_t *c = r + 4 * x;
            uint32_t a = c[3], v = 0;
            for (int k = 0; k < 3; k++) v = v << 8 | (uint32_t)((c[k] * a + 255 * (255 - a) + 127) / 255);
            q[x] = v;
        }
    }
done:
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    free(rgba);
    return st;
}

struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr c)
{
    struct jerr *e = (struct jerr *)c->err;
    (*c->err->format_message)(c, e->msg);
    longjmp(e->jb, 1);
}

/* libjpeg only warns about a truncated file (and fills the rest grey):
 * every warning is taken as corruption but stray bytes between markers,
 * which some cameras write and which do not harm the image. */
static void jpeg_warn(j_common_ptr c, int level)
{
    if (level == -1 && c->err->msg_code != JWRN_EXTRANEOUS_DATA) jpeg_fail(c);
}

static int exif_orientation(struct jpeg_decompress_struct *d)
{
    for (jpeg_saved_marker_ptr m = d->marker_list; m; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 6 || memcmp(m->data, "Exif\0\0", 6)) continue;
        ExifData *ed = exif_data_new_from_data(m->data, m->data_length);
        if (!ed) continue;
        int o = 1;
        ExifEntry *e = exif_data_get_entry(ed, EXIF_TAG_ORIENTATION);
        if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1)
            o = exif_get_short(e->data, exif_data_get_byte_order(ed));
        exif_data_unref(ed);
        return o >= 1 && o <= 8 ? o : 1;
    }
    return 1;
}

static smp_status read_jpeg_photo(const char *path, FILE *f, long max_pixels, photo *out, int *orient,
                                  smp_error *err)
{
    struct jpeg_decompress_struct d;
    struct jerr je;
    volatile smp_status st = SMP_OK;
    uint8_t *volatile row = NULL;
    memset(out, 0, sizeof *out);
    d.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_warn;
    if (setjmp(je.jb)) {
        st = smp_fail(err, SMP_EINPUT, 1, "%s: truncated or corrupt JPEG: %s", path, je.msg);
        goto out;
    }
    jpeg_create_decompress(&d);
    jpeg_stdio_src(&d, f);
    jpeg_save_markers(&d, JPEG_APP0 + 1, 0xffff);
    jpeg_read_header(&d, TRUE);
    if ((long)d.image_width * (long)d.image_height > max_pixels) {
        st = image_over_limit(err, path, d.image_width, d.image_height, max_pixels);
        goto out;
    }
    if (d.jpeg_color_space == JCS_CMYK || d.jpeg_color_space == JCS_YCCK) {
        st = smp_fail(err, SMP_EINPUT, 1, "%s: CMYK JPEG is not supported; save it as RGB", path);
        goto out;
    }
    *orient = exif_orientation(&d);
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    if ((st = photo_alloc(out, (int)d.output_width, (int)d.output_height, err)) != SMP_OK) goto out;
    row = malloc((size_t)d.output_width * 3);
    if (!row) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
    while (d.output_scanline < d.output_height) {
        int y = (int)d.output_scanline;
        JSAMPROW rp = row;
        jpeg_read_scanlines(&d, &rp, 1);
        uint32_t *q = (uint32_t *)(out->px + (size_t)y * out->stride);
        for (int x = 0; x < out->w; x++)
            q[x] = (uint32_t)row[3 * x] << 16 | (uint32_t)row[3 * x + 1] << 8 | row[3 * x + 2];
    }
    jpeg_finish_decompress(&d);
out:
    jpeg_destroy_decompress(&d);
    free(row);
    if (st != SMP_OK) photo_free(out);
    return st;
}

smp_status photo_orient(photo *p, int o, smp_error *err)
{
    if (o <= 1 || o > 8) return SMP_OK;
    int swap = o >= 5;
    photo q;
    smp_status st = photo_alloc(&q, swap ? p->h : p->w, swap ? p->w : p->h, err);
    if (st != SMP_OK) return st;
    /* For each source pixel (x, y), where it lands when displayed. */
    for (int y = 0; y < p->h; y++) {
        const uint32_t *r = (const uint32_t *)(p->px + (size_t)y * p->stride);
        for (int x = 0; x < p->w; x++) {
            int X, Y, W = p->w - 1, H = p->h - 1;
            switch (o) {
            case 2: X = W - x; Y = y; break;       /* mirrored */
            case 3: X = W - x; Y = H - y; break;   /* turned 180 */
            case 4: X = x; Y = H - y; break;       /* mirrored vertically */
            case 5: X = y; Y = x; break;           /* transposed */
            case 6: X = H - y; Y = x; break;       /* turned 90 clockwise */
            case 7: X = H - y; Y = W - x; break;   /* transversed */
            default: X = y; Y = W - x; break;      /* 8: turned 90 counter-clockwise */
            }
            ((uint32_t *)(q.px + (size_t)Y * q.stride))[X] = r[x];
        }
    }
    photo_free(p);
    *p = q;
    return SMP_OK;
}

smp_status image_read_photo(const char *path, long max_pixels, photo *out, int *orientation, smp_error *err)
{
    memset(out, 0, sizeof *out);
    *orientation = 1;
    FILE *f = fopen(path, "rb");
    if (!f) return smp_fail(err, SMP_EINPUT, 1, "%s: cannot open: %s", path, strerror(errno));
    unsigned char sig[8] = {0};
    size_t got = fread(sig, 1, 8, f);
    rewind(f);
    smp_status st;
    if (got == 8 && !png_sig_cmp(sig, 0, 8)) st = read_png_photo(path, f, max_pixels, out, err);
    else if (got >= 3 && sig[0] == 0xff && sig[1] == 0xd8 && sig[2] == 0xff)
        st = read_jpeg_photo(path, f, max_pixels, out, orientation, err);
    else st = smp_fail(err, SMP_EINPUT, 1, "%s: not a PNG or JPEG image", path);
    fclose(f);
    if (st == SMP_OK && *orientation != 1) {
        st = photo_orient(out, *orientation, err);
        if (st != SMP_OK) photo_free(out);
    }
    return st;
}

smp_status image_write_photo_png(FILE *f, const char *path, const photo *p, int level, smp_error *err)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_quiet_error, png_quiet_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    uint8_t *volatile row = malloc((size_t)p->w * 3);
    volatile smp_status st = SMP_OK;
    if (!png || !info || !row) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
    if (setjmp(png_jmpbuf(png))) {
        st = smp_fail_write(err, f, errno, path, "PNG", "libpng failed");
        goto out;
    }
    png_init_io(png, f);
    png_set_compression_level(png, level);
    /* Fast by default: level 1 with the Sub filter costs a fraction of the
     * default and files grow by about a quarter. */
    if (level <= 3) png_set_filter(png, 0, PNG_FILTER_SUB);
    png_set_IHDR(png, info, (png_uint_32)p->w, (png_uint_32)p->h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < p->h; y++) {
        const uint32_t *q = (const uint32_t *)(p->px + (size_t)y * p->stride);
        for (int x = 0; x < p->w; x++) {
            row[3 * x] = (uint8_t)(q[x] >> 16);
            row[3 * x + 1] = (uint8_t)(q[x] >> 8);
            row[3 * x + 2] = (uint8_t)q[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
out:
    png_destroy_write_struct(&png, &info);
    free(row);
    return st;
}

smp_status image_write_photo_jpeg(FILE *f, const char *path, const photo *p, int quality, smp_error *err)
{
    struct jpeg_compress_struct c;
    struct jerr je;
    volatile smp_status st = SMP_OK;
    uint8_t *volatile row = malloc((size_t)p->w * 3);
    c.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    if (!row) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    if (setjmp(je.jb)) {
        st = smp_fail_write(err, f, errno, path, "JPEG", je.msg);
        goto out;
    }
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)p->w;
    c.image_height = (JDIMENSION)p->h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        const uint32_t *q = (const uint32_t *)(p->px + (size_t)c.next_scanline * p->stride);
        for (int x = 0; x < p->w; x++) {
            row[3 * x] = (uint8_t)(q[x] >> 16);
            row[3 * x + 1] = (uint8_t)(q[x] >> 8);
            row[3 * x + 2] = (uint8_t)q[x];
        }
        JSAMPROW rp = row;
        jpeg_write_scanlines(&c, &rp, 1);
    }
    jpeg_finish_compress(&c);
out:
    jpeg_destroy_compress(&c);
    free(row);
    return st;
}
