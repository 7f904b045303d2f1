/* preview: render -> compose -> write for a photo preview.
 *
 * compose: after (the rendered photo), side (before | after), split (left
 * half before, right half after, a thin light line between), stack (before
 * above after), overlay (the ink alone on a transparent PNG, to layer in an
 * image editor), sessions (before, then after each session, healed) and
 * healing-range (healed lighter than expected, as expected, darker) and
 * guides (the photo with the area, its 1 cm grid, the hairline and its
 * anchors drawn over it, to check placement before a client sees it).  Labels
 * are set with pango and a scale bar in mm sits in the after panels, unless
 * --no-labels.
 *
 * A composition is a list of panels, each a part of the photo with the dots
 * it shows (none for "before").  Panels of three or more are drawn at
 * 1/sqrt(n) of the photo's size, so a strip holds about the photo's pixels:
 * the photo is scaled once and each panel's dots are rendered at that
 * scale, which ink conservation makes exact.
 *
 * Raster outputs (PNG, JPEG) darken the photo's pixels (render.c).  Vector
 * outputs (PDF, SVG) embed the photo at true physical size and draw each
 * dot as a circle of black at its darkness: over-compositing black at
 * alpha a multiplies what lies beneath by (1 - a), the same model. */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "export.h"
#include "output.h"
#include "plan.h"
#include "preview.h"
#include "render.h"
#include "status.h"

#define GAP 8 /* px between panels, in the background grey */
/* PDF and SVG previews embed the photo at most at this many px per mm of
 * the page (300 dpi): a finer photo is sampled down, not copied whole. */
#define VECTOR_PX_PER_MM (300 / 25.4)
#define BACKGROUND 0x202020u

void composition_free(composition *c)
{
    for (int i = 0; i < 7; i++) free(c->owned[i]);
}

static void add_panel(composition *c, double sx, double sy, double w, double h, const smp_dot *dots, size_t n,
                      const char *label)
{
    panel *p = &c->p[c->np++];
    memset(p, 0, sizeof *p);
    p->sx = sx; p->sy = sy; p->w = w; p->h = h;
    p->dots = dots; p->n = n;
    snprintf(p->label, sizeof p->label, "%s", label);
}

/* Places the panels in a row (or a column for stack) with GAP between. */
static void arrange(composition *c, int column, double gap)
{
    double x = 0, y = 0;
    c->fw = c->fh = 0;
    for (int i = 0; i < c->np; i++) {
        c->p[i].x = x; c->p[i].y = y;
        if (column) y += c->p[i].h + gap; else x += c->p[i].w + gap;
        c->fw = fmax(c->fw, c->p[i].x + c->p[i].w);
        c->fh = fmax(c->fh, c->p[i].y + c->p[i].h);
    }
}

/* Strips of three panels or more show the treated area (its bounding box
 * and a margin of an eighth either way) rather than the whole photo, so
 * the dots are drawn larger.  UNIT is photo units per mm. */
static void crop_to_area(const result_view *L, double unit, double w, double h, double *x, double *y, double *cw,
                         double *ch)
{
    double x0, y0, x1, y1;
    area_bounds(L->area, &x0, &y0, &x1, &y1);
    double mx = (x1 - x0) / 8, my = (y1 - y0) / 8;
    x0 = fmax(0, (x0 - mx) * unit); y0 = fmax(0, (y0 - my) * unit);
    x1 = fmin(w, (x1 + mx) * unit); y1 = fmin(h, (y1 + my) * unit);
    *x = floor(x0); *y = floor(y0);
    *cw = ceil(x1) - *x; *ch = ceil(y1) - *y;
    if (*cw < 8 || *ch < 8) { *x = *y = 0; *cw = w; *ch = h; }
}

void preview_area_crop(const result_view *L, double unit, double w, double h, double out[4])
{
    crop_to_area(L, unit, w, h, &out[0], &out[1], &out[2], &out[3]);
}

/* The panels for the plan's composition of a W x H photo (in px, or mm
 * for vector output: UNIT photo units per mm). */
smp_status compose_plan(const result_view *L, const settings *s, compose_mode mode, double w, double h, double unit,
                        double gap, composition *c, smp_error *err)
{
    memset(c, 0, sizeof *c);
    double cx = 0, cy = 0, cw = w, ch = h;
    if (mode == COMPOSE_SESSIONS || mode == COMPOSE_HEALING) crop_to_area(L, unit, w, h, &cx, &cy, &cw, &ch);
    const char *state = s->show_years > 0 ? "years" : s->show_fresh ? "fresh" : "healed";
    char after[48];
    if (s->show_years > 0) snprintf(after, sizeof after, "After \u2014 %g years", s->show_years);
    else if (s->show_session && s->show_session < s->sessions)
        snprintf(after, sizeof after, "After session %d \u2014 %s", s->show_session, state);
    else snprintf(after, sizeof after, "After \u2014 %s", state);
    switch (mode) {
    case COMPOSE_SIDE:
    case COMPOSE_STACK:
        add_panel(c, 0, 0, w, h, NULL, 0, "Before");
        add_panel(c, 0, 0, w, h, L->shown, L->n_shown, after);
        arrange(c, s->compose == COMPOSE_STACK, gap);
        return SMP_OK;
    case COMPOSE_SPLIT: {
        double half = floor(w / 2);
        add_panel(c, 0, 0, half, h, NULL, 0, "Before");
        add_panel(c, half, 0, w - half, h, L->shown, L->n_shown, after);
        arrange(c, 0, 0);
        c->split = 1;
        return SMP_OK;
    }
    case COMPOSE_SESSIONS: {
        add_panel(c, cx, cy, cw, ch, NULL, 0, "Before");
        for (int k = 1; k <= s->sessions; k++) {
            show_state st = {k, 0, 0, 1};
            if (!(c->owned[k - 1] = malloc((L->n_dots ? L->n_dots : 1) * sizeof(smp_dot)))) goto nomem;
            size_t n = pigment_show(&st, L->dots, L->n_dots, c->owned[k - 1]);
            char label[48];
            snprintf(label, sizeof label, "Session %d \u2014 healed", k);
            add_panel(c, cx, cy, cw, ch, c->owned[k - 1], n, label);
        }
        arrange(c, 0, gap);
        return SMP_OK;
    }
    case COMPOSE_HEALING: {
        static const char *names[3] = {"Healed lighter", "As expected", "Healed darker"};
        for (int k = 0; k < 3; k++) {
            show_state st;
            show_state_from_settings(&st, s);
            st.darkness_scale = 1 + (k - 1) * s->healing_spread;
            if (!(c->owned[k] = malloc((L->n_dots ? L->n_dots : 1) * sizeof(smp_dot)))) goto nomem;
            size_t n = pigment_show(&st, L->dots, L->n_dots, c->owned[k]);
            add_panel(c, cx, cy, cw, ch, c->owned[k], n, names[k]);
        }
        arrange(c, 0, gap);
        return SMP_OK;
    }
    case COMPOSE_GUIDES:
        add_panel(c, 0, 0, w, h, NULL, 0, "Guides");
        arrange(c, 0, gap);
        c->guides = 1;
        return SMP_OK;
    default:
        add_panel(c, 0, 0, w, h, L->shown, L->n_shown, after);
        arrange(c, 0, gap);
        return SMP_OK;
    }
nomem:
    composition_free(c);
    return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
}

/* The dots an after panel draws: its own and, with --shave, the stubble on
 * the cut hair.  *OWNED is set when a merged copy was made (free it). */
const smp_dot *preview_after_dots(const result_view *L, const smp_dot *d, size_t n, size_t *out_n, smp_dot **owned)
{
    *owned = NULL;
    *out_n = n;
    if (!L->n_stubble) return d;
    size_t m = L->n_stubble;
    if (!(*owned = malloc((n + m) * sizeof **owned))) return NULL;
    memcpy(*owned, L->stubble, m * sizeof **owned);
    if (n) memcpy(*owned + m, d, n * sizeof **owned);
    *out_n = n + m;
    return *owned;
}

/* The photo an after panel starts from: with --shave, the hair cut. */
const photo *preview_after_photo(const result_view *L)
{
    return L->after_photo;
}

static void blit(photo *dst, int dx, int dy, const photo *src, int sx, int sy, int w, int h)
{
    for (int y = 0; y < h; y++)
        memcpy(dst->px + (size_t)(dy + y) * dst->stride + (size_t)dx * 4,
               src->px + (size_t)(sy + y) * src->stride + (size_t)sx * 4, (size_t)w * 4);
}

PangoLayout *preview_text_layout(cairo_t *cr, const char *font, double size)
{
    PangoLayout *pl = pango_cairo_create_layout(cr);
    PangoContext *ctx = pango_layout_get_context(pl);
    /* Units may be mm (PDF, SVG): hinted metrics and glyph positions
     * rounded to whole units would space letters apart. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_layout_context_changed(pl);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    return pl;
}

/* A label at (X, Y) within a panel WIDTH wide: a narrow panel (a strip
 * composed small) gets smaller type, down to 60 %, then the text is cut
 * with an ellipsis rather than run into the next panel. */
static void label(cairo_t *cr, const char *text, double x, double y, double size, double width)
{
    PangoLayout *pl = preview_text_layout(cr, "Sans Bold", size);
    pango_layout_set_text(pl, text, -1);
    int tw, th;
    pango_layout_get_pixel_size(pl, &tw, &th);
    double room = width - size * 1.2; /* the margins either side */
    if (tw + size * 0.7 > room && tw > 0) {
        double smaller = fmax(size * 0.6, size * room / (tw + size * 0.7));
        g_object_unref(pl);
        size = smaller;
        pl = preview_text_layout(cr, "Sans Bold", size);
        pango_layout_set_text(pl, text, -1);
        pango_layout_get_pixel_size(pl, &tw, &th);
        if (tw + size * 0.7 > room) {
            pango_layout_set_width(pl, (int)(fmax(1, room - size * 0.7) * PANGO_SCALE));
            pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
            pango_layout_get_pixel_size(pl, &tw, &th);
        }
    }
    double pad = size * 0.35;
    cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
    cairo_rectangle(cr, x, y, tw + 2 * pad, th + pad);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x + pad, y + pad / 2);
    pango_cairo_show_layout(cr, pl);
    g_object_unref(pl);
}

/* A scale bar of 5, 10, 20, 50 or 100 mm, whichever is longest within a
 * fifth of the panel, at its bottom left; PX_PER_MM in output units. */
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
    cairo_set_line_width(cr, fmax(0.2, size / 8));
    cairo_move_to(cr, x, y - size * 0.3); cairo_line_to(cr, x, y); cairo_line_to(cr, x + len, y);
    cairo_line_to(cr, x + len, y - size * 0.3);
    cairo_stroke(cr);
    PangoLayout *pl = preview_text_layout(cr, "Sans", size * 0.8);
    pango_layout_set_text(pl, text, -1);
    cairo_move_to(cr, x, y - size * 1.75);
    pango_cairo_show_layout(cr, pl);
    g_object_unref(pl);
}

/* Labels and scale bars; ZOOM maps frame units to output units, PX_PER_MM
 * is frame units per mm. */
static void annotate(cairo_t *cr, const composition *c, double zoom, double px_per_mm, double size)
{
    for (int i = 0; i < c->np; i++) {
        panel q = c->p[i];
        q.x *= zoom; q.y *= zoom; q.w *= zoom; q.h *= zoom;
        label(cr, q.label, q.x + size * 0.6, q.y + size * 0.6, size, q.w);
        if (q.dots) scale_bar(cr, &q, px_per_mm * zoom, size);
    }
}

static smp_status write_overlay(FILE *f, const char *path, const result_view *L, const pigment *pg, smp_error *err)
{
    /* The pigment drawn on white skin: transmission T per channel.  Over
     * white, an overlay of alpha 1 - T(green) and colour chosen so that
     * it composites back to T reproduces it; over a real photo it is close
     * to the multiplicative model. */
    const photo *p = L->photo;
    size_t n = (size_t)p->w * p->h;
    uint8_t *rgba = malloc(n * 4);
    photo white = {0};
    smp_status st = SMP_OK;
    if (!rgba) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
    if ((st = photo_alloc(&white, p->w, p->h, err)) != SMP_OK) goto out;
    for (int y = 0; y < p->h; y++) memset(white.px + (size_t)y * white.stride, 0xff, (size_t)p->w * 4);
    /* Pure white would read as shine: use the brightest skin. */
    for (int y = 0; y < p->h; y++) {
        uint32_t *row = (uint32_t *)(white.px + (size_t)y * white.stride);
        for (int x = 0; x < p->w; x++) row[x] = 0xffd8c0u;
    }
    if ((st = render_dots(&white, L->shown, L->n_shown, L->scale, 0, 0, pg, err)) != SMP_OK) goto out;
    static const double base[3] = {255, 216, 192};
    for (int y = 0; y < p->h; y++) {
        const uint32_t *row = (const uint32_t *)(white.px + (size_t)y * white.stride);
        for (int x = 0; x < p->w; x++) {
            uint8_t *o = rgba + 4 * ((size_t)y * p->w + x);
            double t[3] = {((row[x] >> 16) & 255) / base[0], ((row[x] >> 8) & 255) / base[1], (row[x] & 255) / base[2]};
            double a = 1 - fmin(1, t[1]);
            for (int c = 0; c < 3; c++) {
                double col = a > 0.004 ? 255 * (fmin(1, t[c]) - 1 + a) / a : 0;
                o[c] = (uint8_t)lrint(col < 0 ? 0 : col > 255 ? 255 : col);
            }
            o[3] = (uint8_t)lrint(255 * a);
        }
    }
    st = image_write_png_rgba(f, path, rgba, p->w, p->h, p->w * 4, err);
out:
    photo_free(&white);
    free(rgba);
    return st;
}

cairo_surface_t *preview_surface(const photo *p)
{
    return cairo_image_surface_create_for_data(p->px, CAIRO_FORMAT_RGB24, p->w, p->h, p->stride);
}

static void paint_background(cairo_t *cr)
{
    cairo_set_source_rgb(cr, ((BACKGROUND >> 16) & 255) / 255.0, ((BACKGROUND >> 8) & 255) / 255.0,
                         (BACKGROUND & 255) / 255.0);
    cairo_paint(cr);
}

/* OUT = P scaled by cairo to W x H. */
smp_status preview_region(const result_view *L, const photo *from, const smp_dot *dots, size_t n, const pigment *pg,
                          const double box[4], double factor, photo *out, smp_error *err)
{
    memset(out, 0, sizeof *out);
    int w = (int)fmax(1, ceil(box[2] * factor - 1e-6)), h = (int)fmax(1, ceil(box[3] * factor - 1e-6));
    smp_status st = photo_alloc(out, w, h, err);
    if (st != SMP_OK) return st;
    int x0 = (int)box[0], y0 = (int)box[1];
    if (factor == 1 && x0 == box[0] && y0 == box[1] && x0 + w <= from->w && y0 + h <= from->h && x0 >= 0 && y0 >= 0) {
        /* Whole pixels: the photo's own bytes. */
        for (int y = 0; y < h; y++)
            memcpy(out->px + (size_t)y * out->stride, from->px + (size_t)(y0 + y) * from->stride + (size_t)x0 * 4,
                   (size_t)w * 4);
    } else {
        cairo_surface_t *os = preview_surface(out), *fs = preview_surface(from);
        cairo_t *cr = cairo_create(os);
        cairo_scale(cr, factor, factor);
        cairo_set_source_surface(cr, fs, -box[0], -box[1]);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
        cairo_paint(cr);
        cairo_destroy(cr);
        cairo_surface_flush(os);
        cairo_surface_destroy(os);
        cairo_surface_destroy(fs);
    }
    if (!dots) return SMP_OK;
    size_t nd;
    smp_dot *merged;
    const smp_dot *all = preview_after_dots(L, dots, n, &nd, &merged);
    if (!all) { photo_free(out); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    double ppm = L->scale * factor;
    st = render_dots(out, all, nd, ppm, box[0] * factor, box[1] * factor, pg, err);
    free(merged);
    if (st != SMP_OK) photo_free(out);
    return st;
}

smp_status preview_scaled(const photo *p, int w, int h, photo *out, smp_error *err)
{
    smp_status st = photo_alloc(out, w, h, err);
    if (st != SMP_OK) return st;
    cairo_surface_t *ss = preview_surface(out), *bs = preview_surface(p);
    cairo_t *sc = cairo_create(ss);
    cairo_scale(sc, (double)w / p->w, (double)h / p->h);
    cairo_set_source_surface(sc, bs, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(sc), CAIRO_FILTER_GOOD);
    cairo_paint(sc);
    cairo_destroy(sc);
    cairo_surface_flush(ss);
    cairo_surface_destroy(ss);
    cairo_surface_destroy(bs);
    return SMP_OK;
}

static void blend(uint32_t *px, uint32_t rgb, double a)
{
    uint32_t v = *px, out = 0;
    for (int k = 16; k >= 0; k -= 8) {
        double c = ((v >> k) & 255) * (1 - a) + ((rgb >> k) & 255) * a;
        out |= (uint32_t)lrint(c) << k;
    }
    *px = out;
}

/* What the scene keeps out of any area, found in the photo (the face, an
 * ear): its outline PTS (N, photo px) dashed in magenta at ZOOM, and WHAT
 * it is above it, or BELOW it (the face's: above the brows are the
 * hairline's anchors), on the other side where the W x H view has no
 * room. */
static void kept_out(cairo_t *cr, const vec2 *pts, size_t n, double zoom, const char *what, int below, double size,
                     int w, int h)
{
    if (n < 3) return;
    double x0 = INFINITY, y0 = INFINITY, y1 = -INFINITY;
    cairo_new_path(cr);
    for (size_t i = 0; i < n; i++) {
        cairo_line_to(cr, pts[i].x * zoom, pts[i].y * zoom);
        x0 = fmin(x0, pts[i].x * zoom);
        y0 = fmin(y0, pts[i].y * zoom);
        y1 = fmax(y1, pts[i].y * zoom);
    }
    cairo_close_path(cr);
    double lw = fmax(1.5, size / 8), dash[2] = {3 * lw, 2 * lw};
    cairo_set_source_rgb(cr, 1, 0.3, 0.85);
    cairo_set_line_width(cr, lw);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    double ts = size * 0.7;
    PangoLayout *pl = preview_text_layout(cr, "Sans Bold", ts);
    pango_layout_set_text(pl, what, -1);
    int tw, th;
    pango_layout_get_pixel_size(pl, &tw, &th);
    g_object_unref(pl);
    double lh = th + ts * 0.35, lwid = tw + ts * 0.7;
    double above = y0 - lh - lw, under = y1 + lw;
    double y = below ? (under + lh <= h ? under : fmax(0, above)) : (above >= 0 ? above : fmin(under, h - lh));
    label(cr, what, fmax(0, fmin(x0, w - lwid)), y, ts, w);
    cairo_new_path(cr); /* the text leaves a current point the next line would start from */
}

/* --compose guides over VIEW (the photo at ZOOM of its pixels): the area
 * tinted with its outline, what the exclusions keep out in red, a
 * 1 cm grid on the area, then with cairo the face and ears the scene
 * found and keeps out (kept_out), the hairline, its anchors and (BAR) a
 * scale bar. */
static smp_status draw_guides(photo *view, cairo_t *cr, const result_view *L, double zoom, const panel *q, double size,
                              int bar, smp_error *err)
{
    int w = view->w, h = view->h;
    double unit = L->scale * zoom; /* output px per mm */
    area whole = *L->area;
    whole.exclude.px = NULL;
    whole.excl_count = 0;
    int excluding = L->area->exclude.px || L->area->excl_count;
    uint8_t *row[2] = {malloc((size_t)w), malloc((size_t)w)};
    if (!row[0] || !row[1]) {
        free(row[0]); free(row[1]);
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    double line = fmax(1, lrint(size / 14)) / unit; /* grid line width, in mm */
    for (int y = 0; y < h; y++) {
        uint8_t *cur = row[y & 1], *up = row[(y + 1) & 1];
        uint32_t *px = (uint32_t *)(view->px + (size_t)y * view->stride);
        double my = (y + 0.5) / unit;
        for (int x = 0; x < w; x++) {
            vec2 p = v2((x + 0.5) / unit, my);
            int in = area_contains(L->area, p);
            cur[x] = (uint8_t)(in ? 1 : excluding && area_contains(&whole, p) ? 2 : 0);
        }
        for (int x = 0; x < w; x++) {
            int edge = (x > 0 && cur[x - 1] != cur[x]) || (y > 0 && up[x] != cur[x]);
            double gx = fmod((x + 0.5) / unit, 10), gy = fmod(my, 10);
            if (edge && !L->area->poly && (cur[x] == 1 || (x > 0 && cur[x - 1] == 1) || (y > 0 && up[x] == 1)))
                blend(&px[x], 0x30e0ffu, 1); /* a mask's outline; a polygon's is stroked below */
            else if (cur[x] == 2) blend(&px[x], 0xff3030u, 0.35);
            else if (cur[x] == 1 && (gx < line || gy < line)) blend(&px[x], 0xffffffu, 0.6);
            else if (cur[x] == 1) blend(&px[x], 0x30c0ffu, 0.15);
        }
    }
    free(row[0]);
    free(row[1]);
    cairo_surface_mark_dirty(cairo_get_target(cr));
    double lw = fmax(1.5, size / 6);
    if (L->area->poly) {
        for (size_t i = 0; i < L->area->poly_n; i++) cairo_line_to(cr, L->area->poly[i].x * unit, L->area->poly[i].y * unit);
        cairo_close_path(cr);
        cairo_set_source_rgb(cr, 0.19, 0.88, 1);
        cairo_set_line_width(cr, lw / 2);
        cairo_stroke(cr);
    }
    if (L->face) {
        double pts[27][2];
        vec2 poly[27];
        int n = face_outline(L->face, pts);
        for (int i = 0; i < n; i++) poly[i] = v2(pts[i][0], pts[i][1]);
        kept_out(cr, poly, (size_t)n, zoom, "face: kept out", 1, size, w, h);
    }
    for (int k = 0; L->ears && k < L->ears->n; k++)
        kept_out(cr, L->ears->outline[k], L->ears->outline_n[k], zoom, "ear: kept out", 0, size, w, h);
    if (L->line && L->line->n > 1) {
        cairo_set_source_rgb(cr, 1, 0.85, 0.1);
        cairo_set_line_width(cr, lw);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        for (size_t i = 0; i < L->line->n; i++) cairo_line_to(cr, L->line->pts[i].x * unit, L->line->pts[i].y * unit);
        cairo_stroke(cr);
        for (int k = 0; k < 3; k++) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, L->line->anchors[k].x * unit, L->line->anchors[k].y * unit, fmax(3 * lw, 1.5 * unit), 0,
                      2 * M_PI);
        }
        cairo_set_source_rgb(cr, 1, 0.2, 0.2);
        cairo_stroke(cr);
    }
    if (bar) scale_bar(cr, q, unit, size);
    return SMP_OK;
}

/* Raster: the photo at the output scale (itself at full size, else scaled
 * once by cairo), each panel copied in and its dots rendered in place in
 * the frame at that scale, in a view of the panel alone.  At full size
 * untouched pixels are the photo's own bytes. */
static smp_status write_raster(FILE *f, const char *path, smp_format fmt, const result_view *L, const settings *s,
                               const pigment *pg, double secs[3], smp_error *err)
{
    double t0 = smp_seconds(), t_render = 0;
    const photo *ph = L->photo;
    photo small = {0}, frame = {0};
    composition c;
    smp_status st = compose_plan(L, s, (compose_mode)s->compose, ph->w, ph->h, L->scale, GAP, &c, err);
    if (st != SMP_OK) return st;
    /* Many panels: about the photo's pixels in all, never above full size. */
    double zoom = s->width > 0 ? s->width / c.fw
                  : c.np >= 3 ? fmin(1, sqrt((double)ph->w * ph->h / (c.np * c.p[0].w * c.p[0].h)))
                              : 1;
    /* No frame past four times a photo's limit (a strip of panels) is allocated. */
    if (c.fw * zoom * c.fh * zoom > 4.0 * SMP_MAX_PIXELS) {
        composition_free(&c);
        return smp_fail(err, SMP_ELIMIT, 0, "%s: a %.0fx%.0f pixel preview is over the limit of %ld megapixels; lower --width",
                        path, c.fw * zoom, c.fh * zoom, 4 * SMP_MAX_PIXELS / 1000000);
    }
    const photo *src = ph, *src_after = preview_after_photo(L);
    photo small_after = {0};
    cairo_surface_t *fs = NULL;
    cairo_t *cr = NULL;
    if (zoom != 1) {
        int sw = (int)lround(ph->w * zoom), sh = (int)lround(ph->h * zoom);
        if (sw < 1) sw = 1;
        if (sh < 1) sh = 1;
        if ((st = preview_scaled(ph, sw, sh, &small, err)) != SMP_OK) goto out;
        src = src_after = &small;
        if (L->after_photo != L->photo) {
            if ((st = preview_scaled(L->after_photo, sw, sh, &small_after, err)) != SMP_OK) goto out;
            src_after = &small_after;
        }
    }
    /* Panel geometry at the output scale, in whole pixels. */
    int ox[8], oy[8], ow[8], oh[8], osx[8], osy[8], fw = 0, fh = 0;
    for (int i = 0; i < c.np; i++) {
        ox[i] = (int)lround(c.p[i].x * zoom); oy[i] = (int)lround(c.p[i].y * zoom);
        osx[i] = (int)lround(c.p[i].sx * zoom); osy[i] = (int)lround(c.p[i].sy * zoom);
        ow[i] = (int)lround((c.p[i].sx + c.p[i].w) * zoom) - osx[i];
        oh[i] = (int)lround((c.p[i].sy + c.p[i].h) * zoom) - osy[i];
        if (osx[i] + ow[i] > src->w) ow[i] = src->w - osx[i];
        if (osy[i] + oh[i] > src->h) oh[i] = src->h - osy[i];
        if (ox[i] + ow[i] > fw) fw = ox[i] + ow[i];
        if (oy[i] + oh[i] > fh) fh = oy[i] + oh[i];
    }
    if ((st = photo_alloc(&frame, fw, fh, err)) != SMP_OK) goto out;
    fs = preview_surface(&frame);
    cr = cairo_create(fs);
    if (c.np > 1 && !c.split) paint_background(cr); /* the gaps */
    cairo_surface_flush(fs);
    for (int i = 0; i < c.np; i++) {
        blit(&frame, ox[i], oy[i], c.p[i].dots ? src_after : src, osx[i], osy[i], ow[i], oh[i]);
        if (!c.p[i].dots) continue;
        /* A view of exactly this panel; the dots are shifted by the part
         * of the photo it shows. */
        photo view = {ow[i], oh[i], frame.stride, frame.px + (size_t)oy[i] * frame.stride + (size_t)ox[i] * 4};
        double tr = smp_seconds();
        size_t nd;
        smp_dot *merged;
        const smp_dot *dots = preview_after_dots(L, c.p[i].dots, c.p[i].n, &nd, &merged);
        if (!dots) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
        st = render_dots(&view, dots, nd, L->scale * zoom, osx[i], osy[i], pg, err);
        free(merged);
        if (st != SMP_OK) goto out;
        if (L->hair) {
            /* Thinning: the dots sit under the hair, so hair pixels stay. */
            for (int y = 0; y < oh[i]; y++) {
                int hy = (int)((osy[i] + y) / zoom);
                if (hy >= L->hair_h) break;
                uint32_t *row = (uint32_t *)(view.px + (size_t)y * view.stride);
                const uint32_t *orig = (const uint32_t *)(src->px + (size_t)(osy[i] + y) * src->stride) + osx[i];
                for (int x = 0; x < ow[i]; x++) {
                    int hx = (int)((osx[i] + x) / zoom);
                    if (hx < L->hair_w && L->hair[(size_t)hy * L->hair_w + hx]) row[x] = orig[x];
                }
            }
        }
        t_render += smp_seconds() - tr;
    }
    cairo_surface_mark_dirty(fs);
    if (c.guides) {
        panel q = c.p[0];
        q.x *= zoom; q.y *= zoom; q.w *= zoom; q.h *= zoom;
        photo view = {ow[0], oh[0], frame.stride, frame.px};
        cairo_surface_flush(fs);
        if ((st = draw_guides(&view, cr, L, zoom, &q, fmax(11, fh / 26.0), !s->no_labels, err)) != SMP_OK) goto out;
    }
    if (c.split) {
        cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
        cairo_set_line_width(cr, fmax(1, zoom * 2));
        cairo_move_to(cr, ox[1], 0);
        cairo_line_to(cr, ox[1], fh);
        cairo_stroke(cr);
    }
    if (!s->no_labels) annotate(cr, &c, zoom, L->scale, fmax(11, fh / 26.0));
    cairo_surface_flush(fs);
    double te = smp_seconds();
    if (fmt == SMP_FMT_PNG) st = image_write_photo_png(f, path, &frame, s->png_level, err);
    else st = image_write_photo_jpeg(f, path, &frame, s->quality, err);
    secs[0] = t_render;
    secs[1] = te - t0 - t_render;
    secs[2] = smp_seconds() - te;
out:
    if (cr) cairo_destroy(cr);
    if (fs) cairo_surface_destroy(fs);
    photo_free(&small);
    photo_free(&small_after);
    photo_free(&frame);
    composition_free(&c);
    return st;
}

/* PDF and SVG at true size: one unit of the page is 1 mm of scalp. */
static smp_status write_vector(FILE *f, const char *path, smp_format fmt, const result_view *L, const settings *s,
                               const pigment *pg, smp_error *err)
{
    const photo *ph = L->photo;
    double wmm = ph->w / L->scale, hmm = ph->h / L->scale;
    composition c;
    smp_status st = compose_plan(L, s, (compose_mode)s->compose, wmm, hmm, 1, 4, &c, err);
    if (st != SMP_OK) return st;
    double pt = 72 / 25.4; /* points per mm */
    cairo_surface_t *surf;
    if (fmt == SMP_FMT_PDF) {
        surf = cairo_pdf_surface_create_for_stream(out_cairo_write, f, c.fw * pt, c.fh * pt);
    } else {
        surf = cairo_svg_surface_create_for_stream(out_cairo_write, f, c.fw, c.fh);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_MM);
        pt = 1;
    }
    cairo_t *cr = cairo_create(surf);
    photo after[8] = {{0}};
    cairo_scale(cr, pt, pt);
    if (c.np > 1 && !c.split) paint_background(cr);
    for (int i = 0; i < c.np && st == SMP_OK; i++) {
        const panel *p = &c.p[i];
        /* A panel shows its part of the photo, rendered with its dots at
         * the photo's pixels or, past print resolution, at that (the
         * halos are a raster effect; the page keeps true size). */
        double box[4] = {p->sx * L->scale, p->sy * L->scale, fmin(p->w * L->scale, ph->w - p->sx * L->scale),
                         fmin(p->h * L->scale, ph->h - p->sy * L->scale)};
        double factor = fmin(1, VECTOR_PX_PER_MM / L->scale), ox = 0, oy = 0;
        photo *a = &after[i];
        cairo_surface_t *rs;
        if (!p->dots && factor == 1) {
            /* The photo as it is: no copy. */
            rs = preview_surface(ph);
            ox = box[0];
            oy = box[1];
        } else {
            if ((st = preview_region(L, p->dots ? preview_after_photo(L) : ph, p->dots, p->n, pg, box, factor, a, err)) !=
                SMP_OK)
                break;
            rs = preview_surface(a);
        }
        cairo_save(cr);
        cairo_rectangle(cr, p->x, p->y, p->w, p->h);
        cairo_clip(cr);
        cairo_translate(cr, p->x, p->y);
        cairo_scale(cr, 1 / (L->scale * factor), 1 / (L->scale * factor));
        cairo_set_source_surface(cr, rs, -ox, -oy);
        cairo_paint(cr);
        cairo_restore(cr);
        /* The pixels stay until the page is finished: cairo may read them then. */
        cairo_surface_destroy(rs);
    }
    /* Labels about 1/26 of the page high, at least 3 mm. */
    if (!s->no_labels) annotate(cr, &c, 1, 1, fmax(3, c.fh / 26));
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    int e = out_stream_errno();
    cairo_status_t cs = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    for (int i = 0; i < 8; i++) photo_free(&after[i]);
    composition_free(&c);
    if (st != SMP_OK) return st;
    if (cs != CAIRO_STATUS_SUCCESS) return smp_fail_write(err, f, e, path, "the preview", cairo_status_to_string(cs));
    return SMP_OK;
}

/* What a render can write, before anything is opened: a photo, and the
 * formats the composition needs. */
smp_status preview_check(const smp_plan *plan, const char *path, smp_format fmt, smp_error *err)
{
    const settings *s = plan_settings(plan);
    if (!s->photo) return smp_fail(err, SMP_EVALUE, 0, "render needs a photo: give PHOTO or --photo");
    if (s->compose == COMPOSE_OVERLAY && fmt != SMP_FMT_PNG)
        return smp_fail(err, SMP_EVALUE, 0, "%s: the overlay needs a PNG (it is transparent)", path);
    if (s->compose == COMPOSE_GUIDES && fmt != SMP_FMT_PNG && fmt != SMP_FMT_JPEG)
        return smp_fail(err, SMP_EVALUE, 0, "%s: the guides picture needs a .png or .jpg", path);
    return SMP_OK;
}

smp_status preview_write(FILE *f, const char *path, smp_format fmt, const result_view *L, const smp_plan *plan,
                         output_stats *stats, smp_error *err)
{
    const settings *s = plan_settings(plan);
    /* The pigment as the dots were made: --match auto may have chosen its
     * undertone. */
    pigment pg;
    pigment_from_settings(&pg, L->mm);
    if (s->compose == COMPOSE_OVERLAY) return write_overlay(f, path, L, &pg, err);
    if (fmt == SMP_FMT_PDF || fmt == SMP_FMT_SVG) return write_vector(f, path, fmt, L, s, &pg, err);
    return write_raster(f, path, fmt, L, s, &pg, stats->seconds, err);
}

smp_status smp_preview_write(const smp_layout *L, const smp_plan *plan, const char *path, smp_error *err)
{
    return output_write("render", L, plan, path, NULL, NULL, err);
}

smp_status smp_preview_write_timed(const smp_layout *L, const smp_plan *plan, const char *path, double secs[3],
                                   smp_error *err)
{
    output_stats stats;
    smp_status st = output_write("render", L, plan, path, NULL, &stats, err);
    memcpy(secs, stats.seconds, sizeof stats.seconds);
    return st;
}
