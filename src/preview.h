/* preview: compose and write photo previews (see preview.c); what the
 * print stage shares with it. */
#ifndef SMP_PREVIEW_H
#define SMP_PREVIEW_H
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "layout.h"

/* A cairo surface on P's pixels (P keeps them); destroy it before P. */
cairo_surface_t *preview_surface(const photo *p);
/* The treated area's bounding box with a margin, as x, y, w, h in photo
 * units (UNIT per mm) within a W x H photo. */
void preview_area_crop(const smp_layout *L, double unit, double w, double h, double out[4]);

/* A pango layout for CR's units (px or mm) with FONT at SIZE units. */
PangoLayout *preview_text_layout(cairo_t *cr, const char *font, double size);

/* The photo an after panel starts from: with --shave, the hair cut. */
const photo *preview_after_photo(const smp_layout *L);
/* The dots an after panel draws: D (N of them) and, with --shave, the
 * stubble on the cut hair; *OUT_N their count.  *OWNED is set when a
 * merged copy was made (the caller frees it); NULL when out of memory. */
const smp_dot *preview_after_dots(const smp_layout *L, const smp_dot *d, size_t n, size_t *out_n, smp_dot **owned);

/* The render stage's writer (output.c's table): the composed preview of L
 * into F as FMT; SECS gets how long rendering, composing and encoding
 * took.  preview_check says beforehand whether PLAN can be written so. */
smp_status preview_check(const smp_plan *plan, const char *path, smp_format fmt, smp_error *err) SMP_MUST_CHECK;
smp_status preview_write(FILE *f, const char *path, smp_format fmt, const smp_layout *L, const smp_plan *plan,
                         double secs[3], smp_error *err) SMP_MUST_CHECK;

#endif
