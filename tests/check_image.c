#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>
#include <libexif/exif-data.h>
#include <png.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "image.h"

static char path[64];

static void setup(void)
{
    strcpy(path, "/tmp/smpsim-img-XXXXXX");
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
}

static void teardown(void) { unlink(path); }

static uint32_t px_at(const photo *p, int x, int y) { return ((const uint32_t *)(p->px + (size_t)y * p->stride))[x]; }

/* Writes a 7x5 PNG of the given type; pixel (x, y) has grey or red level 30*x + 10*y. */
static void write_png_variant(int color_type, int depth, int interlace)
{
    FILE *f = fopen(path, "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    png_init_io(png, f);
    png_set_IHDR(png, info, 7, 5, depth, color_type, interlace, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[256];
        for (int i = 0; i < 256; i++) pal[i].red = pal[i].green = pal[i].blue = (png_byte)i;
        png_set_PLTE(png, info, pal, 256);
    }
    png_write_info(png, info);
    if (depth == 16) png_set_swap(png);
    int channels = color_type == PNG_COLOR_TYPE_RGB ? 3 : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
    int passes = png_set_interlace_handling(png);
    for (int pass = 0; pass < passes; pass++)
        for (int y = 0; y < 5; y++) {
            uint16_t row16[7 * 3];
            uint8_t row8[7 * 3];
            for (int x = 0; x < 7; x++)
                for (int c = 0; c < channels; c++) {
                    int v = 30 * x + 10 * y;
                    if (color_type == PNG_COLOR_TYPE_GRAY_ALPHA && c == 1) v = 255;
                    row8[x * channels + c] = (uint8_t)v;
                    row16[x * channels + c] = (uint16_t)(v * 257);
                }
            png_write_row(png, depth == 16 ? (png_bytep)row16 : row8);
        }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(f);
}

START_TEST(png_variants)
{
    struct { int type, depth, interlace; } v[] = {
        {PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE}, {PNG_COLOR_TYPE_RGB, 16, PNG_INTERLACE_NONE},
        {PNG_COLOR_TYPE_GRAY, 8, PNG_INTERLACE_NONE}, {PNG_COLOR_TYPE_PALETTE, 8, PNG_INTERLACE_NONE},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 8, PNG_INTERLACE_NONE}, {PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_ADAM7},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        write_png_variant(v[i].type, v[i].depth, v[i].interlace);
        photo p;
        int o;
        smp_error err = {0};
        ck_assert_msg(image_read_photo(path, 1000, &p, &o, &err) == SMP_OK, "variant %zu: %s", i, err.msg);
        ck_assert_int_eq(p.w, 7);
        ck_assert_int_eq(p.h, 5);
        /* 16-bit and sRGB gamma handling may move a level or two. */
        int want = 30 * 6 + 10 * 4, got = (int)(px_at(&p, 6, 4) >> 16);
        ck_assert_msg(abs(got - want) <= 2, "variant %zu: %d vs %d", i, got, want);
        got = (int)(px_at(&p, 1, 0) >> 8 & 255);
        ck_assert_msg(abs(got - 30) <= 2, "variant %zu green %d", i, got);
        photo_free(&p);
    }
}
END_TEST

/* A 32x16 JPEG, red in the top-left 16x8 quadrant, blue elsewhere, with an
 * EXIF orientation when O > 0; grey when GREY. */
static int progressive;

static void write_jpeg(int o, int grey, int cmyk)
{
    FILE *f = fopen(path, "wb");
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr je;
    c.err = jpeg_std_error(&je);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = 32;
    c.image_height = 16;
    c.input_components = grey ? 1 : cmyk ? 4 : 3;
    c.in_color_space = grey ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    if (progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    if (o > 0) {
        ExifData *ed = exif_data_new();
        exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
        ExifEntry *e = exif_entry_new();
        exif_content_add_entry(ed->ifd[EXIF_IFD_0], e);
        exif_entry_initialize(e, EXIF_TAG_ORIENTATION);
        exif_set_short(e->data, EXIF_BYTE_ORDER_INTEL, (ExifShort)o);
        unsigned char *buf = NULL;
        unsigned int len = 0;
        exif_data_save_data(ed, &buf, &len);
        jpeg_write_marker(&c, JPEG_APP0 + 1, buf, len);
        free(buf);
        exif_entry_unref(e);
        exif_data_unref(ed);
    }
    uint8_t row[32 * 4];
    while (c.next_scanline < 16) {
        int y = (int)c.next_scanline;
        for (int x = 0; x < 32; x++) {
            int red = x < 16 && y < 8;
            if (grey) row[x] = red ? 220 : 40;
            else if (cmyk) { row[4 * x] = 0; row[4 * x + 1] = 0; row[4 * x + 2] = 0; row[4 * x + 3] = 100; }
            else { row[3 * x] = red ? 230 : 20; row[3 * x + 1] = 20; row[3 * x + 2] = red ? 20 : 230; }
        }
        JSAMPROW rp = row;
        jpeg_write_scanlines(&c, &rp, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(f);
}

START_TEST(exif_orientation_all_eight)
{
    /* Where the stored top-left corner shows: 0 TL, 1 TR, 2 BR, 3 BL. */
    static const int corner[9] = {0, 0, 1, 2, 3, 0, 1, 2, 3};
    for (int o = 1; o <= 8; o++) {
        write_jpeg(o, 0, 0);
        photo p;
        int got_o;
        smp_error err = {0};
        ck_assert_msg(image_read_photo(path, 1000, &p, &got_o, &err) == SMP_OK, "%s", err.msg);
        ck_assert_int_eq(got_o, o);
        ck_assert_int_eq(p.w, o >= 5 ? 16 : 32);
        ck_assert_int_eq(p.h, o >= 5 ? 32 : 16);
        int cx[4] = {2, p.w - 3, p.w - 3, 2}, cy[4] = {2, 2, p.h - 3, p.h - 3};
        for (int k = 0; k < 4; k++) {
            uint32_t v = px_at(&p, cx[k], cy[k]);
            int red = (int)(v >> 16) > 150 && (int)(v & 255) < 100;
            ck_assert_msg(red == (k == corner[o]), "orientation %d corner %d: %06x", o, k, v);
        }
        photo_free(&p);
    }
}
END_TEST

START_TEST(jpeg_grey_cmyk_truncated_and_limits)
{
    photo p;
    int o;
    smp_error err = {0};
    write_jpeg(0, 1, 0);
    ck_assert_int_eq(image_read_photo(path, 1000, &p, &o, &err), SMP_OK);
    uint32_t v = px_at(&p, 2, 2);
    ck_assert(abs((int)(v >> 16) - 220) < 6 && abs((int)(v & 255) - 220) < 6);
    photo_free(&p);
    /* Progressive, with an orientation. */
    progressive = 1;
    write_jpeg(6, 0, 0);
    progressive = 0;
    ck_assert_int_eq(image_read_photo(path, 1000, &p, &o, &err), SMP_OK);
    ck_assert_int_eq(p.w, 16);
    ck_assert((px_at(&p, p.w - 3, 2) >> 16) > 150);
    photo_free(&p);
    write_jpeg(0, 1, 0);
    ck_assert_int_eq(image_read_photo(path, 100, &p, &o, &err), SMP_ELIMIT);
    ck_assert_msg(strstr(err.msg, "32x16 pixels is over the limit") != NULL, "%s", err.msg);
    write_jpeg(0, 0, 1);
    ck_assert_int_eq(image_read_photo(path, 1000, &p, &o, &err), SMP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "CMYK"));
    /* Truncated JPEG and PNG. */
    write_jpeg(0, 0, 0);
    ck_assert_int_eq(truncate(path, 300), 0);
    ck_assert_int_eq(image_read_photo(path, 1000, &p, &o, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "truncated or corrupt JPEG") != NULL, "%s", err.msg);
    ck_assert_ptr_null(strchr(err.msg, '\n'));
    write_png_variant(PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE);
    ck_assert_int_eq(truncate(path, 60), 0);
    ck_assert_int_eq(image_read_photo(path, 1000, &p, &o, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, "PNG") != NULL, "%s", err.msg);
    FILE *f = fopen(path, "w");
    fputs("hello", f);
    fclose(f);
    ck_assert_int_eq(image_read_photo(path, 1000, &p, &o, &err), SMP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a PNG or JPEG"));
}
END_TEST

Suite *image_suite(void)
{
    Suite *s = suite_create("image");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, png_variants);
    tcase_add_test(tc, exif_orientation_all_eight);
    tcase_add_test(tc, jpeg_grey_cmyk_truncated_and_limits);
    suite_add_tcase(s, tc);
    return s;
}
