/* preview: render -> compose -> write for a photo preview.
 *
 * compose: after (the rendered photo), side (before | after), split (left
 * half before, right half after, a thin light line between), stack (before
 * above after), overlay (the ink alone on a transparent PNG, to layer in an
 * image editor).  Labels ("Before", "After - healed") are set with pango and
 * a scale bar in mm sits in the after panel, unless --no-labels.
 *
 * Raster outputs (PNG, JPEG) darken the photo's pixels (render.c).  Vector
 * outputs (PDF, SVG) embed the photo at true physical size and draw each
 * dot as a circle of black at its darkness: over-compositing black at
 * alpha a multiplies what lies beneath by (1 - a), the same model. */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "layout.h"
#include "plan.h"
#include "render.h"
#include "status.h"

#define GAP 8 /* px between panels, in the background grey */
#define BACKGROUND 0x202020u

typedef struct panel {
    double x, y, w, h; /* where the photo's (sx, sy, sw, sh) part goes */
    double sx, sy, sw, sh;
    int after;
} panel;

/* The panels of a composition for a W x H photo; returns the count and the
 * frame size. */
static int layout_panels(compose_mode mode, double w, double h, double gap, panel p[2], double *fw, double *fh)
{
    switch (mode) {
    case COMPOSE_SIDE:
        p[0] = (panel){0, 0, w, h, 0, 0, w, h, 0};
        p[1] = (panel){w + gap, 0, w, h, 0, 0, w, h, 1};
        *fw = 2 * w + gap; *fh = h;
        return 2;
    case COMPOSE_STACK:
        p[0] = (panel){0, 0, w, h, 0, 0, w, h, 0};
        p[1] = (panel){0, h + gap, w, h, 0, 0, w, h, 1};
        *fw = w; *fh = 2 * h + gap;
        return 2;
    case COMPOSE_SPLIT: {
        double half = floor(w / 2);
        p[0] = (panel){0, 0, half, h, 0, 0, half, h, 0};
        p[1] = (panel){half, 0, w - half, h, half, 0, w - half, h, 1};
        *fw = w; *fh = h;
        return 2;
    }
    default:
        p[0] = (panel){0, 0, w, h, 0, 0, w, h, 1};
        *fw = w; *fh = h;
        return 1;
    }
}

static void blit(photo *dst, int dx, int dy, const photo *src, int sx, int sy, int w, int h)
{
    for (int y = 0; y < h; y++)
        memcpy(dst->px + (size_t)(dy + y) * dst->stride + (size_t)dx * 4,
               src->px + (size_t)(sy + y) * src->stride + (size_t)sx * 4, (size_t)w * 4);
}

static void label(cairo_t *cr, const char *text, double x, double y, double size)
{
    PangoLayout *pl = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("Sans Bold");
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(pl, fd);
    pango_layout_set_text(pl, text, -1);
    int tw, th;
    pango_layout_get_pixel_size(pl, &tw, &th);
    double pad = size * 0.35;
    cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
    cairo_rectangle(cr, x, y, tw + 2 * pad, th + pad);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x + pad, y + pad / 2);
    pango_cairo_show_layout(cr, pl);
    pango_font_description_free(fd);
    g_object_unref(pl);
}

/* A scale bar of 5, 10, 20 or 50 mm, whichever is nearest a seventh of the
 * panel, at its bottom left; PX_PER_MM in output units. */
static void scale_bar(cairo_t *cr, const panel *p, double px_per_mm, double size)
{
    static const double steps[] = {5, 10, 20, 50, 100};
    double mm = steps[0];
    for (int i = 0; i < 5; i++)
        if (steps[i] * px_per_mm <= p->w / 5) mm = steps[i];
    double len = mm * px_per_mm, x = p->x + size, y = p->y + p->h - size * 1.2;
    char text[32];
    snprintf(text, sizeof text, "%g mm", mm);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
    cairo_rectangle(cr, x - size * 0.3, y - size * 1.9, len + size * 0.6, size * 2.3);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, fmax(1, size / 8));
    cairo_move_to(cr, x, y - size * 0.3); cairo_line_to(cr, x, y); cairo_line_to(cr, x + len, y);
    cairo_line_to(cr, x + len, y - size * 0.3);
    cairo_stroke(cr);
    PangoLayout *pl = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("Sans");
    pango_font_description_set_absolute_size(fd, size * 0.8 * PANGO_SCALE);
    pango_layout_set_font_description(pl, fd);
    pango_layout_set_text(pl, text, -1);
    cairo_move_to(cr, x, y - size * 1.75);
    pango_cairo_show_layout(cr, pl);
    pango_font_description_free(fd);
    g_object_unref(pl);
}

static void annotate(cairo_t *cr, const panel *p, int n, double zoom, double px_per_mm, int fresh, double fh)
{
    double size = fmax(11, fh / 26);
    for (int i = 0; i < n; i++) {
        panel q = p[i];
        q.x *= zoom; q.y *= zoom; q.w *= zoom; q.h *= zoom;
        label(cr, q.after ? (fresh ? "After \u2014 fresh" : "After \u2014 healed") : "Before", q.x + size * 0.6,
              q.y + size * 0.6, size);
        if (q.after) scale_bar(cr, &q, px_per_mm * zoom, size);
    }
}

static smp_status write_overlay(FILE *f, const char *path, const smp_layout *L, const pigment *pg, smp_error *err)
{
    const photo *p = &L->photo;
    size_t n = (size_t)p->w * p->h;
    uint8_t *alpha = calloc(n, 1), *rgba = malloc(n * 4);
    photo scratch = *p; /* render reads only its size in alpha mode */
    smp_status st = SMP_OK;
    if (!alpha || !rgba) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
    if ((st = render_dots(&scratch, L->dots.d, L->dots.n, L->scale, pg, alpha, err)) != SMP_OK) goto out;
    /* The ink's own colour: what fully covered white skin would show. */
    uint8_t ink[3];
    for (int c = 0; c < 3; c++) ink[c] = (uint8_t)lrint(255 * (1 - pg->weight[c]));
    for (size_t i = 0; i < n; i++) {
        rgba[4 * i] = ink[0]; rgba[4 * i + 1] = ink[1]; rgba[4 * i + 2] = ink[2];
        rgba[4 * i + 3] = alpha[i];
    }
    st = image_write_png_rgba(f, path, rgba, p->w, p->h, p->w * 4, err);
out:
    free(alpha);
    free(rgba);
    return st;
}

static cairo_surface_t *photo_surface(const photo *p)
{
    return cairo_image_surface_create_for_data(p->px, CAIRO_FORMAT_RGB24, p->w, p->h, p->stride);
}

static void paint_background(cairo_t *cr)
{
    cairo_set_source_rgb(cr, ((BACKGROUND >> 16) & 255) / 255.0, ((BACKGROUND >> 8) & 255) / 255.0,
                         (BACKGROUND & 255) / 255.0);
    cairo_paint(cr);
}

/* At full size the after panel is rendered in place in the frame, so a
 * 12 MP side-by-side needs the photo, the frame and the ink tiles only
 * (quality.md's memory bar).  Scaled (--width), the after image is made
 * at full size first and cairo scales both panels down. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static smp_status write_raster(FILE *f, const char *path, smp_format fmt, const smp_layout *L, const settings *s,
                               const pigment *pg, double secs[3], smp_error *err)
{
    double t0 = now(), t_render = 0;
    photo after = {0}, frame = {0};
    smp_status st;
    const photo *ph = &L->photo;
    panel pn[2];
    double fw, fh;
    int np = layout_panels((compose_mode)s->compose, ph->w, ph->h, GAP, pn, &fw, &fh);
    double zoom = s->width > 0 ? s->width / fw : 1;
    int ow = (int)lround(fw * zoom), oh = (int)lround(fh * zoom);
    if (oh < 1) oh = 1;
    if ((st = photo_alloc(&frame, ow, oh, err)) != SMP_OK) return st;
    cairo_surface_t *fs = photo_surface(&frame), *bs = photo_surface(ph), *as = NULL;
    cairo_t *cr = cairo_create(fs);
    if (zoom == 1) {
        /* Only the gap between panels shows the background. */
        if (s->compose == COMPOSE_SIDE || s->compose == COMPOSE_STACK) {
            cairo_save(cr);
            if (s->compose == COMPOSE_SIDE) cairo_rectangle(cr, ph->w, 0, GAP, ph->h);
            else cairo_rectangle(cr, 0, ph->h, ph->w, GAP);
            cairo_clip(cr);
            paint_background(cr);
            cairo_restore(cr);
        }
        for (int i = 0; i < np; i++)
            blit(&frame, (int)pn[i].x, (int)pn[i].y, ph, (int)pn[i].sx, (int)pn[i].sy, (int)pn[i].w, (int)pn[i].h);
        const panel *a = &pn[np - 1];
        /* A photo-sized view of the frame where the after panel's photo lies. */
        photo view = {ph->w, ph->h, frame.stride,
                      frame.px + (size_t)(a->y - a->sy) * frame.stride + (size_t)(a->x - a->sx) * 4};
        double tr = now();
        if ((st = render_dots(&view, L->dots.d, L->dots.n, L->scale, pg, NULL, err)) != SMP_OK) goto out;
        t_render = now() - tr;
        /* Split: the whole view was rendered; put the before half back. */
        if (s->compose == COMPOSE_SPLIT) blit(&frame, 0, 0, ph, 0, 0, (int)pn[0].w, ph->h);
    } else {
        paint_background(cr);
        if ((st = photo_alloc(&after, ph->w, ph->h, err)) != SMP_OK) goto out;
        memcpy(after.px, ph->px, (size_t)ph->stride * ph->h);
        double tr = now();
        if ((st = render_dots(&after, L->dots.d, L->dots.n, L->scale, pg, NULL, err)) != SMP_OK) goto out;
        t_render = now() - tr;
        as = photo_surface(&after);
        for (int i = 0; i < np; i++) {
            cairo_save(cr);
            cairo_scale(cr, zoom, zoom);
            cairo_rectangle(cr, pn[i].x, pn[i].y, pn[i].w, pn[i].h);
            cairo_clip(cr);
            cairo_set_source_surface(cr, pn[i].after ? as : bs, pn[i].x - pn[i].sx, pn[i].y - pn[i].sy);
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
            cairo_paint(cr);
            cairo_restore(cr);
        }
    }
    cairo_surface_mark_dirty(fs);
    if (s->compose == COMPOSE_SPLIT) {
        cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
        cairo_set_line_width(cr, fmax(1, zoom * 2));
        cairo_move_to(cr, pn[1].x * zoom, 0);
        cairo_line_to(cr, pn[1].x * zoom, oh);
        cairo_stroke(cr);
    }
    if (!s->no_labels) annotate(cr, pn, np, zoom, L->scale, s->show_fresh, oh);
    cairo_surface_flush(fs);
    double te = now();
    if (fmt == SMP_FMT_PNG) st = image_write_photo_png(f, path, &frame, s->png_level, err);
    else st = image_write_photo_jpeg(f, path, &frame, s->quality, err);
    secs[0] = t_render;
    secs[1] = te - t0 - t_render;
    secs[2] = now() - te;
out:
    cairo_destroy(cr);
    cairo_surface_destroy(fs);
    cairo_surface_destroy(bs);
    if (as) cairo_surface_destroy(as);
    photo_free(&after);
    photo_free(&frame);
    return st;
}

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* PDF and SVG at true size: one unit of the page is 1 mm of scalp. */
static smp_status write_vector(FILE *f, const char *path, smp_format fmt, const smp_layout *L, const settings *s,
                               const pigment *pg, smp_error *err)
{
    const photo *ph = &L->photo;
    double wmm = ph->w / L->scale, hmm = ph->h / L->scale;
    panel pn[2];
    double fw, fh;
    int np = layout_panels((compose_mode)s->compose, wmm, hmm, 4, pn, &fw, &fh);
    double pt = 72 / 25.4; /* points per mm */
    cairo_surface_t *surf;
    if (fmt == SMP_FMT_PDF) {
        surf = cairo_pdf_surface_create_for_stream(write_stream, f, fw * pt, fh * pt);
    } else {
        surf = cairo_svg_surface_create_for_stream(write_stream, f, fw, fh);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_MM);
        pt = 1;
    }
    cairo_surface_t *bs = photo_surface(ph);
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, pt, pt);
    cairo_set_source_rgb(cr, 0.125, 0.125, 0.125);
    cairo_paint(cr);
    for (int i = 0; i < np; i++) {
        cairo_save(cr);
        cairo_rectangle(cr, pn[i].x, pn[i].y, pn[i].w, pn[i].h);
        cairo_clip(cr);
        cairo_translate(cr, pn[i].x - pn[i].sx, pn[i].y - pn[i].sy);
        cairo_save(cr);
        cairo_scale(cr, 1 / L->scale, 1 / L->scale);
        cairo_set_source_surface(cr, bs, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
        if (pn[i].after)
            for (size_t k = 0; k < L->dots.n; k++) {
                const smp_dot *d = &L->dots.d[k];
                const double *w = d->blown ? pg->blown_weight : pg->weight;
                cairo_set_source_rgba(cr, 1 - w[0], 1 - w[1], 1 - w[2], d->darkness);
                cairo_arc(cr, d->x_mm, d->y_mm, d->diameter_mm / 2, 0, 2 * M_PI);
                cairo_fill(cr);
            }
        cairo_restore(cr);
    }
    if (!s->no_labels) {
        /* Labels in mm units: about 5 mm high. */
        for (int i = 0; i < np; i++) {
            cairo_save(cr);
            label(cr, pn[i].after ? (s->show_fresh ? "After \u2014 fresh" : "After \u2014 healed") : "Before",
                  pn[i].x + 3, pn[i].y + 3, fmax(3, fh / 26));
            if (pn[i].after) scale_bar(cr, &pn[i], 1, fmax(3, fh / 26));
            cairo_restore(cr);
        }
    }
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t cs = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    cairo_surface_destroy(bs);
    if (cs != CAIRO_STATUS_SUCCESS) return smp_fail(err, SMP_EOUTPUT, 0, "%s: cannot write: %s", path, cairo_status_to_string(cs));
    return SMP_OK;
}

smp_status smp_preview_write(const smp_layout *L, const smp_plan *plan, const char *path, smp_error *err)
{
    double secs[3];
    return smp_preview_write_timed(L, plan, path, secs, err);
}

smp_status smp_preview_write_timed(const smp_layout *L, const smp_plan *plan, const char *path, double secs[3],
                                   smp_error *err)
{
    secs[0] = secs[1] = secs[2] = 0;
    const settings *s = plan_settings(plan);
    if (!L->photo.px) return smp_fail(err, SMP_EVALUE, 0, "no photo to render on: give PHOTO or --photo");
    smp_format fmt = smp_format_from_path(path);
    if (fmt != SMP_FMT_PNG && fmt != SMP_FMT_JPEG && fmt != SMP_FMT_PDF && fmt != SMP_FMT_SVG)
        return smp_fail(err, SMP_EVALUE, 0, "%s: unknown output type (use .png, .jpg, .pdf or .svg)", path);
    if (s->compose == COMPOSE_OVERLAY && fmt != SMP_FMT_PNG)
        return smp_fail(err, SMP_EVALUE, 0, "%s: the overlay needs a PNG (it is transparent)", path);
    pigment pg;
    pigment_from_settings(&pg, s);
    out_file o;
    smp_status st = out_open(&o, path, err);
    if (st != SMP_OK) return st;
    if (s->compose == COMPOSE_OVERLAY) st = write_overlay(o.f, path, L, &pg, err);
    else if (fmt == SMP_FMT_PDF || fmt == SMP_FMT_SVG) st = write_vector(o.f, path, fmt, L, s, &pg, err);
    else st = write_raster(o.f, path, fmt, L, s, &pg, secs, err);
    if (st != SMP_OK) {
        out_abort(&o);
        return st;
    }
    return out_commit(&o, err);
}
