/* print: the patient mock-up, a multi-page PDF at true physical scale.
 *
 *   1. clinic, client, date, logo; before and after; practitioner notes
 *   2. the plan: before and each session (healed), each with its share,
 *      shade and date
 *   3. a 40 x 40 mm detail of the after image at true size (1 mm of scalp =
 *      1 mm of paper) beside a printed millimetre ruler, and the statement
 *      that this is a simulation, not a guarantee
 *
 * The client takes it home: it carries no file path and no technical
 * setting.  Those, every setting of the plan and the seed, go to a
 * practitioner sheet of their own (--practitioner-sheet), a one-page PDF.
 *
 * cairo's PDF surface draws, pango sets every text (any script: the
 * install brings DejaVu for Latin, Greek, Cyrillic and Arabic and
 * WenQuanYi Micro Hei for Chinese and Japanese).  Page units are mm. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "output.h"
#include "pigment.h"
#include "plan.h"
#include "preview.h"
#include "print.h"
#include "render.h"
#include "status.h"

#define PT_PER_MM (72 / 25.4)
#define MARGIN 15.0
#define DETAIL_MM 40.0
#define DETAIL_PX_PER_MM 20.0 /* 508 dpi: a 0.25 mm dot is 5 px */
#define NOTES_MAX 20000
#define PRINT_PX_PER_MM (300 / 25.4) /* the finest a photo goes into the PDF: 300 dpi on paper */

typedef struct page {
    cairo_t *cr;
    double w, h; /* mm */
    int pages;   /* shown so far */
    /* Drawn at the foot of every page of the document, or NULL. */
    void (*footer)(struct page *p);
} page;

/* Ends the page (its footer first) and starts the next.  Once the
 * document has failed (a full disk), nothing more is drawn: cairo would
 * only keep, and lose, the state of every save and source set after it. */
static void next_page(page *p)
{
    if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) return;
    if (p->footer) {
        cairo_save(p->cr);
        p->footer(p);
        cairo_restore(p->cr);
    }
    cairo_show_page(p->cr);
    p->pages++;
}

/* Sets TEXT at (X, Y) mm, wrapped to WIDTH mm; returns its height in mm. */
static double text(cairo_t *cr, double x, double y, double width, const char *font, double size, const char *t)
{
    PangoLayout *pl = preview_text_layout(cr, font, size);
    pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_auto_dir(pl, TRUE);
    pango_layout_set_text(pl, t, -1);
    PangoRectangle ink, logical;
    pango_layout_get_extents(pl, &ink, &logical);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, pl);
    g_object_unref(pl);
    return (double)logical.height / PANGO_SCALE;
}

/* Sets T from (X, *Y) mm, WIDTH mm wide, line by line: a line that would
 * reach below BOTTOM mm goes on a new page (next_page), from the top
 * margin.  *Y ends below the last line.  Long notes and long plans flow
 * over as many pages as they need instead of running off the page. */
static void flow(page *p, double x, double *y, double width, double bottom, const char *font, double size, const char *t)
{
    cairo_t *cr = p->cr;
    PangoLayout *pl = preview_text_layout(cr, font, size);
    pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_auto_dir(pl, TRUE);
    pango_layout_set_text(pl, t, -1);
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    double top = *y, skip = 0; /* where the page's first line is, and its place in the layout */
    do {
        PangoRectangle line;
        pango_layout_iter_get_line_extents(it, NULL, &line);
        double ly = (double)line.y / PANGO_SCALE, lh = (double)line.height / PANGO_SCALE;
        if (top + ly - skip + lh > bottom && ly > skip) {
            next_page(p);
            top = MARGIN;
            skip = ly;
        }
        double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        cairo_move_to(cr, x + (double)line.x / PANGO_SCALE, top + base - skip);
        pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
        *y = top + ly + lh - skip;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(pl);
}

/* Draws photo P's part (sx, sy, sw, sh) px into the box (x, y, w, h) mm. */
static void image_box(cairo_t *cr, const photo *p, double sx, double sy, double sw, double sh, double x, double y,
                      double w, double h)
{
    cairo_surface_t *s = preview_surface(p);
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, w / sw, h / sh);
    cairo_set_source_surface(cr, s, -sx, -sy);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(s);
}

static void caption(cairo_t *cr, double x, double y, double w, const char *t)
{
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    text(cr, x, y, w, "Sans", 3.2, t);
}

/* Draws the part CROP (x, y, w, h in photo px) of FROM, with DOTS (N, or
 * NULL) rendered on it, into the box (x, y, w, h) mm: only that part goes
 * into the PDF, at most at print resolution, so a huge photo costs a page's
 * worth of pixels, not its own. */
static smp_status draw_part(cairo_t *cr, const result_view *L, const photo *from, const smp_dot *dots, size_t n,
                            const pigment *pg, const double crop[4], double x, double y, double w, double h,
                            smp_error *err)
{
    photo part;
    double factor = fmin(1, w * PRINT_PX_PER_MM / crop[2]);
    smp_status st = preview_region(L, from, dots, n, pg, crop, factor, &part, err);
    if (st != SMP_OK) return st;
    image_box(cr, &part, 0, 0, part.w, part.h, x, y, w, h);
    photo_free(&part);
    return SMP_OK;
}

static smp_status page_one(page *pg_, const result_view *L, const settings *s, const pigment *pg, const char *notes,
                           const photo *logo, smp_error *err)
{
    cairo_t *cr = pg_->cr;
    double x = MARGIN, y = MARGIN, w = pg_->w - 2 * MARGIN;
    char date[64];
    if (s->date) {
        snprintf(date, sizeof date, "%s", s->date);
    } else {
        time_t now = time(NULL);
        strftime(date, sizeof date, "%Y-%m-%d", localtime(&now));
    }
    if (logo) {
        double lw = 30, lh = 30.0 * logo->h / logo->w;
        if (lh > 20) { lw *= 20 / lh; lh = 20; }
        double whole[4] = {0, 0, logo->w, logo->h};
        smp_status st = draw_part(cr, L, logo, NULL, 0, pg, whole, pg_->w - MARGIN - lw, y, lw, lh, err);
        if (st != SMP_OK) return st;
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += text(cr, x, y, w - 35, "Sans Bold", 7, s->clinic ? s->clinic : "Scalp micropigmentation");
    y += 1;
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    char line[512];
    snprintf(line, sizeof line, "Preview for %s \u2014 %s", s->client ? s->client : "the client", date);
    y += text(cr, x, y, w - 35, "Sans", 4.5, line);
    y += 6;
    /* Before and after side by side, fitted to the width: the treated
     * area and a margin, as large as the page allows. */
    double crop[4];
    preview_area_crop(L, L->scale, L->photo->w, L->photo->h, crop);
    double gap = 4, pw = (w - gap) / 2, ph = pw * crop[3] / crop[2];
    if (ph > 110) { ph = 110; pw = ph * crop[2] / crop[3]; }
    smp_status st = draw_part(cr, L, L->photo, NULL, 0, pg, crop, x, y, pw, ph, err);
    if (st == SMP_OK)
        st = draw_part(cr, L, preview_after_photo(L), L->shown, L->n_shown, pg, crop, x + pw + gap, y, pw, ph, err);
    if (st != SMP_OK) return st;
    caption(cr, x, y + ph + 1.5, pw, "Before");
    caption(cr, x + pw + gap, y + ph + 1.5, pw, s->show_fresh ? "After \u2014 fresh" : "After \u2014 healed");
    y += ph + 10;
    if (notes && *notes) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        y += text(cr, x, y, w, "Sans Bold", 4, "Notes");
        y += 1;
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        /* Above the footer; long notes go on over further pages. */
        flow(pg_, x, &y, w, pg_->h - MARGIN - 8, "Sans", 3.5, notes);
    }
    return SMP_OK;
}

/* The foot of every page of the mock-up. */
static void footer_note(page *pg_)
{
    cairo_set_source_rgb(pg_->cr, 0.35, 0.35, 0.35);
    text(pg_->cr, MARGIN, pg_->h - MARGIN - 5, pg_->w - 2 * MARGIN, "Sans Italic", 3,
         "A simulation, not a guarantee: how the skin takes and heals the pigment varies from person to person.");
}

static smp_status page_plan(page *pg_, const result_view *L, const settings *s, const pigment *pg, smp_error *err)
{
    cairo_t *cr = pg_->cr;
    double x = MARGIN, y = MARGIN, w = pg_->w - 2 * MARGIN;
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += text(cr, x, y, w, "Sans Bold", 6, "The plan, session by session");
    y += 2;
    char line[512];
    snprintf(line, sizeof line,
             "%d sessions, each placing dots between the earlier ones. Each shows the result once healed.",
             s->sessions);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    y += text(cr, x, y, w, "Sans", 3.6, line) + 5;
    double crop[4];
    preview_area_crop(L, L->scale, L->photo->w, L->photo->h, crop);
    /* Two panels a row. */
    int n = s->sessions + 1;
    double gap = 5, pw = (w - gap) / 2, ph = pw * crop[3] / crop[2];
    /* Above the footer (8 mm). */
    double max_ph = (pg_->h - y - MARGIN - 8 - 12 * ((n + 1) / 2)) / ((n + 1) / 2);
    if (ph > max_ph) { ph = max_ph; pw = ph * crop[2] / crop[3]; }
    char dates[6][64] = {{0}};
    if (s->session_dates) {
        const char *q = s->session_dates;
        for (int k = 0; k < 6 && *q; k++) {
            size_t len = strcspn(q, ",");
            snprintf(dates[k], sizeof dates[k], "%.*s", (int)(len < 63 ? len : 63), q);
            q += len + (q[len] == ',');
        }
    }
    /* The sessions strip's panel plan: the same dots for each session as
     * `render --compose sessions` shows. */
    composition plan;
    smp_status st = compose_plan(L, s, COMPOSE_SESSIONS, L->photo->w, L->photo->h, L->scale, 0, &plan, err);
    if (st != SMP_OK) return st;
    for (int k = 0; k < n && k < plan.np; k++) {
        double px = x + (k % 2) * (pw + gap), py = y + (k / 2) * (ph + 12);
        if (!plan.p[k].dots) {
            if ((st = draw_part(cr, L, L->photo, NULL, 0, pg, crop, px, py, pw, ph, err)) != SMP_OK) break;
            caption(cr, px, py + ph + 1.2, pw, "Before");
            continue;
        }
        if ((st = draw_part(cr, L, preview_after_photo(L), plan.p[k].dots, plan.p[k].n, pg, crop, px, py, pw, ph, err)) !=
            SMP_OK)
            break;
        double dark = 100 * pg->session_darkening * (k - 1);
        snprintf(line, sizeof line, "Session %d%s%s \u2014 %.0f %% of the dots; dilution %g:1", k,
                 dates[k - 1][0] ? ", " : "", dates[k - 1], 100 * s->shares[k - 1], L->mm->dilution);
        if (dark > 0) {
            size_t l = strlen(line);
            snprintf(line + l, sizeof line - l, ", %.0f %% darker", dark);
        }
        caption(cr, px, py + ph + 1.2, pw, line);
    }
    composition_free(&plan);
    return st;
}

/* A millimetre ruler from (X, Y) along x, LEN mm: ticks every mm, longer
 * every 5, longest every 10 with the number. */
static void ruler(cairo_t *cr, double x, double y, double len)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.15);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + len, y);
    cairo_stroke(cr);
    for (int mm = 0; mm <= (int)len; mm++) {
        double t = mm % 10 == 0 ? 5 : mm % 5 == 0 ? 3 : 1.8;
        cairo_move_to(cr, x + mm, y);
        cairo_line_to(cr, x + mm, y + t);
        cairo_stroke(cr);
        if (mm % 10 == 0) {
            char n[16];
            snprintf(n, sizeof n, "%d", mm / 10);
            text(cr, x + mm - 1, y + 5.5, 10, "Sans", 2.6, n);
        }
    }
    text(cr, x + len + 2, y - 1, 20, "Sans", 2.6, "cm");
}

/* The statement every client-facing page set ends with. */
static void not_a_guarantee(page *pg_, double y)
{
    cairo_t *cr = pg_->cr;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text(cr, MARGIN, fmax(y, pg_->h - MARGIN - 20), pg_->w - 2 * MARGIN, "Sans Bold", 3.8,
         "This is a simulation, not a guarantee. How the skin takes the pigment, how it heals and how it fades "
         "vary with the skin, the body and the technique, so the healed result may be lighter or darker than "
         "shown here. Discuss the plan with your practitioner.");
}

static smp_status page_detail(page *pg_, const result_view *L, const pigment *pg, smp_error *err)
{
    cairo_t *cr = pg_->cr;
    double x = MARGIN, y = MARGIN, w = pg_->w - 2 * MARGIN;
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += text(cr, x, y, w, "Sans Bold", 6, "At true size");
    y += 2;
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    y += text(cr, x, y, w, "Sans", 3.6,
              "A 40 \u00d7 40 mm part of the treated scalp, printed 1:1: one millimetre of scalp is one millimetre "
              "of paper, so the dots below are their real size. Check the print against the ruler: its "
              "ten-millimetre marks must be one centimetre apart; if not, print at 100 % with no fitting to the page.") + 6;
    /* Centre: the front of the hairline when there is one, else the area. */
    double cx, cy;
    if (L->line) {
        cx = L->line->anchors[1].x; cy = L->line->anchors[1].y;
        vec2 away = v2_scale(L->line->face, -1);
        cx += away.x * 8; cy += away.y * 8;
    } else {
        double x0, y0, x1, y1;
        area_bounds(L->area, &x0, &y0, &x1, &y1);
        cx = (x0 + x1) / 2; cy = (y0 + y1) / 2;
    }
    double fw = L->photo->w / L->scale, fh = L->photo->h / L->scale;
    double x0 = fmin(fmax(cx - DETAIL_MM / 2, 0), fmax(0, fw - DETAIL_MM));
    double y0 = fmin(fmax(cy - DETAIL_MM / 2, 0), fmax(0, fh - DETAIL_MM));
    /* The photo's part, scaled up once, then the dots at that scale. */
    int side = (int)(DETAIL_MM * DETAIL_PX_PER_MM);
    photo d;
    smp_status st = photo_alloc(&d, side, side, err);
    if (st != SMP_OK) return st;
    cairo_surface_t *ds = preview_surface(&d), *ps = preview_surface(L->photo);
    cairo_t *dc = cairo_create(ds);
    cairo_set_source_rgb(dc, 1, 1, 1);
    cairo_paint(dc);
    cairo_scale(dc, DETAIL_PX_PER_MM / L->scale, DETAIL_PX_PER_MM / L->scale);
    cairo_set_source_surface(dc, ps, -x0 * L->scale, -y0 * L->scale);
    cairo_pattern_set_filter(cairo_get_source(dc), CAIRO_FILTER_GOOD);
    cairo_paint(dc);
    cairo_destroy(dc);
    cairo_surface_flush(ds);
    cairo_surface_destroy(ds);
    cairo_surface_destroy(ps);
    st = render_dots(&d, L->shown, L->n_shown, DETAIL_PX_PER_MM, x0 * DETAIL_PX_PER_MM, y0 * DETAIL_PX_PER_MM, pg, err);
    if (st == SMP_OK) {
        image_box(cr, &d, 0, 0, side, side, x, y, DETAIL_MM, DETAIL_MM);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 0.2);
        cairo_rectangle(cr, x, y, DETAIL_MM, DETAIL_MM);
        cairo_stroke(cr);
        ruler(cr, x, y + DETAIL_MM + 4, 100);
        double sum = 0;
        size_t k = 0;
        for (size_t i = 0; i < L->n_shown; i++)
            if (!L->shown[i].blown) { sum += L->shown[i].diameter_mm; k++; }
        char line[200];
        snprintf(line, sizeof line, "Dots %.2f mm across on average; %.0f per cm\u00b2 on average over the treated area.",
                 k ? sum / k : 0.0, L->stats->mean_density);
        caption(cr, x + DETAIL_MM + 6, y, w - DETAIL_MM - 6, line);
        not_a_guarantee(pg_, y + DETAIL_MM + 30);
    }
    photo_free(&d);
    return st;
}

static smp_status page_parameters(page *pg_, const smp_plan *plan, smp_error *err)
{
    cairo_t *cr = pg_->cr;
    double x = MARGIN, y = MARGIN, w = pg_->w - 2 * MARGIN;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    smp_plan_dump(plan, m);
    fclose(m);
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += text(cr, x, y, w, "Sans Bold", 6, "Practitioner sheet: every setting of this preview");
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    y += text(cr, x, y, w, "Sans", 3.2, "For the clinic's records, not for the client: it names the clinic's files.") + 1;
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += 2;
    char line[256];
    snprintf(line, sizeof line,
             "Seed %llu. With this plan and seed smpsim makes exactly the same dots again (save the text below "
             "as a .smp file).", (unsigned long long)smp_plan_seed(plan));
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    y += text(cr, x, y, w, "Sans", 3.6, line) + 4;
    cairo_set_source_rgb(cr, 0, 0, 0);
    flow(pg_, x, &y, w, pg_->h - MARGIN, "DejaVu Sans Mono", 2.5, buf);
    free(buf);
    return SMP_OK;
}

static smp_status read_notes(const char *path, char **out, smp_error *err)
{
    *out = NULL;
    if (!path) return SMP_OK;
    FILE *f = fopen(path, "rb");
    if (!f) return smp_fail(err, SMP_EINPUT, 1, "%s: cannot open: %s", path, strerror(errno));
    char *buf = malloc(NOTES_MAX + 1);
    if (!buf) { fclose(f); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    size_t n = fread(buf, 1, NOTES_MAX + 1, f);
    int bad = ferror(f), e = errno;
    fclose(f);
    if (bad) {
        /* A folder opens, then fails to read (EISDIR): not empty notes. */
        free(buf);
        return smp_fail(err, SMP_EINPUT, 1, "%s: cannot read: %s", path, strerror(e));
    }
    if (n > NOTES_MAX) {
        free(buf);
        return smp_fail(err, SMP_ELIMIT, 1, "%s: notes longer than %d bytes", path, NOTES_MAX);
    }
    buf[n] = 0;
    if (!g_utf8_validate(buf, (gssize)n, NULL)) {
        free(buf);
        return smp_fail(err, SMP_EINPUT, 1, "%s: not UTF-8 text", path);
    }
    *out = buf;
    return SMP_OK;
}

/* A PDF document being written: its file, surface and page. */
typedef struct pdf_doc {
    cairo_surface_t *surf;
    page p;
} pdf_doc;

/* A PDF document drawn into F (an output the caller opened). */
static void pdf_begin(pdf_doc *d, FILE *f, int letter, const char *title)
{
    d->p = (page){NULL, letter ? 215.9 : 210, letter ? 279.4 : 297, 0, NULL};
    d->surf = cairo_pdf_surface_create_for_stream(out_cairo_write, f, d->p.w * PT_PER_MM, d->p.h * PT_PER_MM);
    cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_CREATOR, "smpsim " SMP_VERSION);
    d->p.cr = cairo_create(d->surf);
    cairo_scale(d->p.cr, PT_PER_MM, PT_PER_MM);
}

/* Finishes the document; ST is the drawing's status, and cairo's own
 * failure (a full disk, say) becomes the status if that was fine. */
static smp_status pdf_end(pdf_doc *d, FILE *f, smp_status st, const char *path, const char *what, smp_error *err)
{
    cairo_destroy(d->p.cr);
    cairo_surface_finish(d->surf);
    int e = out_stream_errno();
    cairo_status_t cs = cairo_surface_status(d->surf);
    cairo_surface_destroy(d->surf);
    if (st == SMP_OK && cs != CAIRO_STATUS_SUCCESS) st = smp_fail_write(err, f, e, path, what, cairo_status_to_string(cs));
    return st;
}

/* The practitioner sheet: one page, every setting and file and the seed,
 * into F (output.c opens it beside the mock-up: both or neither). */
smp_status print_write_sheet(FILE *f, const char *path, const smp_plan *plan, smp_error *err)
{
    pdf_doc d;
    pdf_begin(&d, f, plan_settings(plan)->paper_letter, "Scalp micropigmentation preview: practitioner sheet");
    smp_status st = page_parameters(&d.p, plan, err);
    if (st == SMP_OK) next_page(&d.p);
    return pdf_end(&d, f, st, path, "the practitioner sheet", err);
}

smp_status print_check(const smp_plan *plan, const char *path, smp_format fmt, smp_error *err)
{
    (void)path;
    (void)fmt;
    if (!plan_settings(plan)->photo) return smp_fail(err, SMP_EVALUE, 0, "print needs a photo: give PHOTO or --photo");
    return SMP_OK;
}

/* The mock-up into F. */
smp_status print_write(FILE *f, const char *path, smp_format fmt, const result_view *L, const smp_plan *plan,
                       output_stats *stats, smp_error *err)
{
    (void)fmt;
    const settings *s = plan_settings(plan);
    char *notes = NULL;
    photo logo = {0};
    int orient;
    smp_status st = read_notes(s->notes, &notes, err);
    if (st != SMP_OK) return st;
    if (s->logo && (st = image_read_photo(s->logo, 25000000L, &logo, &orient, err)) != SMP_OK) {
        free(notes);
        return st;
    }
    pigment pg;
    pigment_from_settings(&pg, L->mm);
    pdf_doc d;
    pdf_begin(&d, f, s->paper_letter, "Scalp micropigmentation preview");
    page *p = &d.p;
    p->footer = footer_note;
#define DRAWING (cairo_status(p->cr) == CAIRO_STATUS_SUCCESS)
    if ((st = page_one(p, L, s, &pg, notes, s->logo ? &logo : NULL, err)) == SMP_OK && DRAWING) {
        next_page(p);
        if (DRAWING && (st = page_plan(p, L, s, &pg, err)) == SMP_OK && DRAWING) {
            next_page(p);
            /* The last page closes with the full statement instead. */
            p->footer = NULL;
            if (DRAWING && (st = page_detail(p, L, &pg, err)) == SMP_OK) next_page(p);
        }
    }
#undef DRAWING
    if (stats) stats->pages = p->pages;
    st = pdf_end(&d, f, st, path, "the mock-up", err);
    free(notes);
    photo_free(&logo);
    return st;
}

smp_status smp_print_write(const smp_layout *L, const smp_plan *plan, const char *path, smp_error *err)
{
    return output_write("print", L, plan, path, NULL, NULL, err);
}
