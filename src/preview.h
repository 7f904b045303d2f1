/* preview: compose and write photo previews (see preview.c); what the
 * print stage shares with it. */
#ifndef SMP_PREVIEW_H
#define SMP_PREVIEW_H
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "view.h"

/* The panel plan of a composition: which part of the photo each panel
 * shows, with which dots (a state of the layout: a session, healed, fresh,
 * lighter or darker) and label.  render composes its pictures from it and
 * print its pages, so both show the same dots for the same state. */
typedef struct panel {
    double x, y, w, h;     /* where it goes, in frame units before zoom */
    double sx, sy;         /* which part of the photo, in photo px */
    const smp_dot *dots;   /* NULL for "before" */
    size_t n;
    char label[48];
} panel;

typedef struct composition {
    panel p[8];
    int np;
    double fw, fh;         /* frame size before zoom */
    smp_dot *owned[7];     /* dot sets made for this composition */
    int split, guides;
} composition;

/* The panels of MODE for L on a W x H photo (px, or mm for vector output:
 * UNIT photo units per mm), GAP apart; free with composition_free. */
smp_status compose_plan(const result_view *L, const settings *s, compose_mode mode, double w, double h, double unit,
                        double gap, composition *c, smp_error *err) SMP_MUST_CHECK;
void composition_free(composition *c);

/* The part BOX (x, y, w, h in photo px) of FROM, sampled by FACTOR (<= 1),
 * with DOTS (N; NULL for none) rendered on it at that resolution, into
 * OUT.  Dots just outside BOX still darken its edge.  Panels and the
 * mock-up draw only what they show, at the resolution they need. */
struct pigment;
smp_status preview_region(const result_view *L, const photo *from, const smp_dot *dots, size_t n, const struct pigment *pg,
                          const double box[4], double factor, photo *out, smp_error *err) SMP_MUST_CHECK;

/* P resized to W x H (cairo's good filter) into OUT. */
smp_status preview_scaled(const photo *p, int w, int h, photo *out, smp_error *err) SMP_MUST_CHECK;

/* A cairo surface on P's pixels (P keeps them); destroy it before P. */
cairo_surface_t *preview_surface(const photo *p);
/* The treated area's bounding box with a margin, as x, y, w, h in photo
 * units (UNIT per mm) within a W x H photo. */
void preview_area_crop(const result_view *L, double unit, double w, double h, double out[4]);

/* A pango layout for CR's units (px or mm) with FONT at SIZE units. */
PangoLayout *preview_text_layout(cairo_t *cr, const char *font, double size);

/* The photo an after panel starts from: with --shave, the hair cut. */
const photo *preview_after_photo(const result_view *L);
/* The dots an after panel draws: D (N of them) and, with --shave, the
 * stubble on the cut hair; *OUT_N their count.  *OWNED is set when a
 * merged copy was made (the caller frees it); NULL when out of memory. */
const smp_dot *preview_after_dots(const result_view *L, const smp_dot *d, size_t n, size_t *out_n, smp_dot **owned);

struct output_stats; /* output.h */
/* The render stage's writer (output.c's table): the composed preview of L
 * into F as FMT; STATS gets how long rendering, composing and encoding
 * took.  preview_check says beforehand whether PLAN can be written so. */
smp_status preview_check(const smp_plan *plan, const char *path, smp_format fmt, smp_error *err) SMP_MUST_CHECK;
smp_status preview_write(FILE *f, const char *path, smp_format fmt, const result_view *L, const smp_plan *plan,
                         struct output_stats *stats, smp_error *err) SMP_MUST_CHECK;

#endif
