/* preview: compose and write photo previews (see preview.c); what the
 * print stage shares with it. */
#ifndef SMP_PREVIEW_H
#define SMP_PREVIEW_H
#include <cairo.h>
#include <pango/pangocairo.h>

#include "layout.h"

/* A cairo surface on P's pixels (P keeps them); destroy it before P. */
cairo_surface_t *preview_surface(const photo *p);
/* The treated area's bounding box with a margin, as x, y, w, h in photo
 * units (UNIT per mm) within a W x H photo. */
void preview_area_crop(const smp_layout *L, double unit, double w, double h, double out[4]);

/* A pango layout for CR's units (px or mm) with FONT at SIZE units. */
PangoLayout *preview_text_layout(cairo_t *cr, const char *font, double size);

#endif
