#include "export.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "json.h"
#include "output.h"
#include "pigment.h"
#include "plan.h"
#include "render.h"
#include "status.h"

const char *dot_kind_name(smp_dot_kind k)
{
    return k == SMP_DOT_SENTINEL ? "sentinel" : k == SMP_DOT_TRANSITION ? "transition" : "regular";
}

smp_format smp_format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) return SMP_FMT_UNKNOWN;
    if (!strcasecmp(dot, ".csv")) return SMP_FMT_CSV;
    if (!strcasecmp(dot, ".json")) return SMP_FMT_JSON;
    if (!strcasecmp(dot, ".svg")) return SMP_FMT_SVG;
    if (!strcasecmp(dot, ".png")) return SMP_FMT_PNG;
    if (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg")) return SMP_FMT_JPEG;
    if (!strcasecmp(dot, ".pdf")) return SMP_FMT_PDF;
    return SMP_FMT_UNKNOWN;
}

/* The temporary file being written and the name it is for, for
 * smp_discard_partial_output() in a signal handler: one at a time per
 * process. */
/* The temporary files being written (at most two at once: a preview and
 * its --save-area), for a signal handler to remove. */
#define PENDING 2
static char pending[PENDING][4096], pending_dest[PENDING][4096];

const char *smp_discard_partial_output(void)
{
    const char *dest = NULL;
    for (int i = 0; i < PENDING; i++)
        if (pending[i][0]) {
            unlink(pending[i]); /* async-signal-safe */
            pending[i][0] = 0;
            if (!dest) dest = pending_dest[i];
        }
    return dest;
}

static void pending_add(const char *tmp, const char *dest)
{
    if (strlen(tmp) >= sizeof pending[0] || strlen(dest) >= sizeof pending_dest[0]) return;
    for (int i = 0; i < PENDING; i++)
        if (!pending[i][0]) {
            memcpy(pending_dest[i], dest, strlen(dest) + 1);
            memcpy(pending[i], tmp, strlen(tmp) + 1);
            return;
        }
}

static void pending_clear(const char *tmp)
{
    for (int i = 0; i < PENDING; i++)
        if (tmp && !strcmp(pending[i], tmp)) pending[i][0] = 0;
}

/* The reason the last failed write of this thread failed, for the message. */
static _Thread_local int stream_errno;

cairo_status_t out_cairo_write(void *closure, const unsigned char *data, unsigned int len)
{
    if (fwrite(data, 1, len, (FILE *)closure) == len) return CAIRO_STATUS_SUCCESS;
    stream_errno = errno;
    return CAIRO_STATUS_WRITE_ERROR;
}

int out_stream_errno(void) { return stream_errno; }

static volatile sig_atomic_t committed;

void out_forget_pending(void)
{
    for (int i = 0; i < PENDING; i++) pending[i][0] = 0;
    committed = 0;
}

int out_committed(void) { return committed != 0; }

static int out_force;

void out_set_force(int force) { out_force = force; }

smp_status out_open(out_file *o, const char *path, smp_error *err)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (!strcmp(path, "-")) {
        o->f = stdout;
        return SMP_OK;
    }
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) return smp_fail(err, SMP_EOUTPUT, 0, "%s: is a folder", path);
    if (exists && !S_ISREG(st.st_mode)) {
        /* A device or a pipe (/dev/stdout, /dev/null, a FIFO) is written in
         * place: there is no file to replace, and renaming over it would
         * replace the device itself. */
        if (!(o->f = fopen(path, "wb"))) return smp_fail(err, SMP_EOUTPUT, 0, "%s: cannot write: %s", path, strerror(errno));
        return SMP_OK;
    }
    /* A link is followed: /dev/stdout and the like (a link into /proc or
     * /dev, to whatever the shell redirected to) are written through, in
     * place; any other link keeps pointing where it did, and the file it
     * points to is replaced. */
    struct stat lst;
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        char to[4096];
        ssize_t k = readlink(path, to, sizeof to - 1);
        to[k > 0 ? k : 0] = 0;
        if (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6) || !strncmp(to, "/proc/", 6) ||
            !strncmp(to, "/dev/", 5) || !(o->target = realpath(path, NULL))) {
            if (!(o->f = fopen(path, "wb")))
                return smp_fail(err, SMP_EOUTPUT, 0, "%s: cannot write: %s", path, strerror(errno));
            return SMP_OK;
        }
    }
    /* A file made read-only was meant to stay: replaced only on --force. */
    if (exists && S_ISREG(st.st_mode) && !(st.st_mode & 0222) && !out_force) {
        free(o->target);
        o->target = NULL;
        return smp_fail(err, SMP_EOUTPUT, 0, "%s: read-only; give --force to replace it", path);
    }
    /* Rewriting a file keeps its mode (a preview kept private stays so). */
    if (exists) {
        o->keep_mode = 1;
        o->mode = st.st_mode & 07777;
    }
    const char *where = o->target ? o->target : path;
    const char *slash = strrchr(where, '/');
    size_t dirlen = slash ? (size_t)(slash - where) + 1 : 0;
    const char *base = slash ? slash + 1 : where;
    size_t n = dirlen + strlen(base) + 16;
    o->tmp = malloc(n);
    if (!o->tmp) { free(o->target); o->target = NULL; return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    /* A name near the 255-byte limit leaves no room for the suffix: the
     * temporary name then takes only the name's first 200 bytes. */
    snprintf(o->tmp, n, "%.*s.%.200s.XXXXXX", (int)dirlen, where, base);
    /* No stop (Ctrl-C, a batch stopping its workers) between making the
     * file and noting it for the handler to remove: it would be left. */
    sigset_t stops, before;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stops, &before);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) pending_add(o->tmp, path);
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        free(o->target);
        o->target = NULL;
        return smp_fail(err, SMP_EOUTPUT, 0, "%s: cannot create: %s", path, strerror(e));
    }
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        free(o->target);
        o->target = NULL;
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    return SMP_OK;
}

void out_abort(out_file *o)
{
    pending_clear(o->tmp);
    if (o->f && o->f != stdout) fclose(o->f);
    if (o->tmp) {
        unlink(o->tmp);
        free(o->tmp);
    }
    free(o->target);
    memset(o, 0, sizeof *o);
}

smp_status out_commit(out_file *o, smp_error *err)
{
    if (o->f == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            return smp_fail(err, SMP_EOUTPUT, 0, "standard output: write failed: %s", strerror(errno));
        return SMP_OK;
    }
    int bad = ferror(o->f);
    int e = errno;
    if (fclose(o->f) != 0) { bad = 1; e = errno; }
    o->f = NULL;
    if (!o->tmp) /* written in place */
        return bad ? smp_fail(err, SMP_EOUTPUT, 0, "%s: write failed: %s", o->path, strerror(e)) : SMP_OK;
    if (!bad) {
        /* mkstemp makes the file 0600: give it the old file's mode, or the
         * usual one. */
        mode_t um = umask(0);
        umask(um);
        chmod(o->tmp, o->keep_mode ? (mode_t)o->mode : 0666 & ~um);
        /* No stop between the file in place and saying so (out_committed). */
        sigset_t stops, was;
        sigemptyset(&stops);
        sigaddset(&stops, SIGINT);
        sigaddset(&stops, SIGTERM);
        sigaddset(&stops, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &stops, &was);
        if (rename(o->tmp, o->target ? o->target : o->path) != 0) { bad = 1; e = errno; }
        else committed = 1;
        pthread_sigmask(SIG_SETMASK, &was, NULL);
    }
    free(o->target);
    o->target = NULL;
    if (bad) {
        unlink(o->tmp);
        pending_clear(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return smp_fail(err, SMP_EOUTPUT, 0, "%s: write failed: %s", o->path, strerror(e));
    }
    pending_clear(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return SMP_OK;
}

/* ---- formats ---- */

/* How wide each deposit looks (pigment_apparent_mm), interpolated from a
 * table per depth: a layout has a few depths (healed, fresh, blown) and
 * the exact figure takes a few thousand evaluations. */
#define APPARENT_STEP 0.02
#define APPARENT_N 151 /* diameters 0 to 3 mm */
typedef struct apparent_tables {
    double depth[4];
    double t[4][APPARENT_N];
    int n;
} apparent_tables;

static double apparent_mm(apparent_tables *a, double d, double z)
{
    int k = 0;
    while (k < a->n && a->depth[k] != z) k++;
    if (k == a->n) {
        if (a->n == 4) return pigment_apparent_mm(d, z);
        a->depth[k] = z;
        for (int i = 0; i < APPARENT_N; i++) a->t[k][i] = pigment_apparent_mm(i * APPARENT_STEP + 1e-3, z);
        a->n++;
    }
    double f = d / APPARENT_STEP;
    int i = (int)f;
    if (i >= APPARENT_N - 1) return pigment_apparent_mm(d, z);
    return a->t[k][i] + (a->t[k][i + 1] - a->t[k][i]) * (f - i);
}

static void write_csv(FILE *f, const result_view *L)
{
    apparent_tables a = {0};
    fputs("x_mm,y_mm,diameter_mm,darkness,session,kind,blown,depth_mm,apparent_mm\n", f);
    for (size_t i = 0; i < L->n_shown; i++) {
        const smp_dot *d = &L->shown[i];
        fprintf(f, "%.4f,%.4f,%.4f,%.4f,%d,%s,%d,%.3f,%.3f\n", d->x_mm, d->y_mm, d->diameter_mm, d->darkness,
                d->session, dot_kind_name(d->kind), d->blown, d->depth_mm, apparent_mm(&a, d->diameter_mm, d->depth_mm));
    }
}

/* The summary through jansson; the dot rows, numbers and fixed names only,
 * printed here: a tree of millions of objects would cost gigabytes. */
static smp_status write_json(FILE *f, const result_view *L, const smp_plan *plan, const char *path, smp_error *err)
{
    apparent_tables a = {0};
    const smp_layout_stats *s = L->stats;
    double frame[2] = {L->area->w, L->area->h};
    char *summary = json_text_of(json_pack("{s:I,s:o,s:o,s:o,s:I,s:o}", "dots", (json_int_t)s->dots, "area_cm2",
                                           json_num(s->area_cm2, 4), "expected_dots", json_num(s->expected_dots, 1),
                                           "mean_density", json_num(s->mean_density, 3), "seed",
                                           (json_int_t)smp_plan_seed(plan), "frame_mm", json_nums(frame, 2, 3)));
    if (!summary) return smp_fail(err, SMP_ENOMEM, 0, "%s: out of memory", path);
    fprintf(f, "{\"summary\":%s,\n\"dots\":[", summary);
    free(summary);
    for (size_t i = 0; i < L->n_shown; i++) {
        const smp_dot *d = &L->shown[i];
        fprintf(f, "%s\n{\"x_mm\":%.4f,\"y_mm\":%.4f,\"diameter_mm\":%.4f,\"darkness\":%.4f,"
                   "\"session\":%d,\"kind\":\"%s\",\"blown\":%s,\"depth_mm\":%.3f,\"apparent_mm\":%.3f}",
                i ? "," : "", d->x_mm, d->y_mm, d->diameter_mm, d->darkness, d->session,
                dot_kind_name(d->kind), d->blown ? "true" : "false", d->depth_mm,
                apparent_mm(&a, d->diameter_mm, d->depth_mm));
    }
    fputs("\n]}\n", f);
    return SMP_OK;
}

static void draw_dots(cairo_t *cr, const result_view *L)
{
    for (size_t i = 0; i < L->n_shown; i++) {
        const smp_dot *d = &L->shown[i];
        cairo_set_source_rgba(cr, 0, 0, 0, d->darkness);
        cairo_arc(cr, d->x_mm, d->y_mm, d->diameter_mm / 2, 0, 2 * M_PI);
        cairo_fill(cr);
    }
}

/* SVG at true size: the document unit is mm and one user unit is 1 mm. */
static smp_status write_svg(FILE *f, const result_view *L, const char *path, smp_error *err)
{
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(out_cairo_write, f, L->area->w, L->area->h);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_MM);
    cairo_t *cr = cairo_create(s);
    draw_dots(cr, L);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    int e = out_stream_errno();
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS) return smp_fail_write(err, f, e, path, "SVG", cairo_status_to_string(cs));
    return SMP_OK;
}

/* The layout as a picture: the dots as they heal, drawn by the renderer
 * (render.c, the same model and code as a preview) on an even fair skin
 * at PPM px/mm, so a PNG of a million dots takes the renderer's time, not
 * a cairo_arc each. */
#define LAYOUT_SKIN 0xe0baa0u /* 224, 186, 160: fair skin, no shine */

static smp_status write_png(FILE *f, const result_view *L, const smp_plan *plan, double ppm, const char *path,
                            smp_error *err)
{
    double pw = ceil(L->area->w * ppm), ph = ceil(L->area->h * ppm);
    if (pw * ph > SMP_MAX_PIXELS || pw > 32767 || ph > 32767)
        return smp_fail(err, SMP_ELIMIT, 0, "%s: a %.0fx%.0f pixel PNG is over the limit; lower --px-per-mm",
                        path, pw, ph);
    int w = (int)pw, h = (int)ph;
    photo canvas;
    smp_status st = photo_alloc(&canvas, w, h, err);
    if (st != SMP_OK) return st;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(canvas.px + (size_t)y * canvas.stride);
        for (int x = 0; x < w; x++) row[x] = LAYOUT_SKIN;
    }
    pigment pg;
    pigment_from_settings(&pg, L->mm); /* as the dots were made (--match auto's undertone) */
    if ((st = render_dots(&canvas, L->shown, L->n_shown, ppm, 0, 0, &pg, err)) == SMP_OK)
        st = image_write_photo_png(f, path, &canvas, plan_settings(plan)->png_level, err);
    photo_free(&canvas);
    return st;
}

smp_status layout_write_dots(FILE *f, const char *path, smp_format fmt, const result_view *L, const smp_plan *plan,
                            output_stats *stats, smp_error *err)
{
    (void)stats;
    switch (fmt) {
    case SMP_FMT_CSV: write_csv(f, L); return SMP_OK;
    case SMP_FMT_JSON: return write_json(f, L, plan, path, err);
    case SMP_FMT_SVG: return write_svg(f, L, path, err);
    case SMP_FMT_PNG: return write_png(f, L, plan, plan_settings(plan)->px_per_mm, path, err);
    default: return smp_fail(err, SMP_EVALUE, 0, "%s: unknown output type (%s)", path, "use .csv, .json, .svg or .png");
    }
}

smp_status smp_layout_write(const smp_layout *L, const smp_plan *plan, const char *path, smp_error *err)
{
    return output_write("layout", L, plan, path, NULL, NULL, err);
}

smp_status layout_save_area_begin(const result_view *L, const char *path, out_file *o, smp_error *err)
{
    memset(o, 0, sizeof *o);
    if (!L->photo->px) return smp_fail(err, SMP_EVALUE, 0, "%s: --save-area needs a photo", path);
    if (smp_format_from_path(path) != SMP_FMT_PNG) return smp_fail(err, SMP_EVALUE, 0, "%s: the area is saved as a PNG", path);
    int w = L->photo->w, h = L->photo->h;
    uint8_t *px = malloc((size_t)w * h * 4);
    if (!px) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t v = area_contains(L->area, v2((x + 0.5) / L->scale, (y + 0.5) / L->scale)) ? 255 : 0;
            uint8_t *q = px + ((size_t)y * w + x) * 4;
            q[0] = q[1] = q[2] = v;
            q[3] = 255;
        }
    smp_status st = out_open(o, path, err);
    if (st == SMP_OK && (st = image_write_png_rgba(o->f, path, px, w, h, w * 4, err)) != SMP_OK) out_abort(o);
    free(px);
    return st;
}

smp_status smp_layout_save_area(const smp_layout *L, const char *path, smp_error *err)
{
    result_view v;
    result_view_of(L, &v);
    out_file o;
    smp_status st = layout_save_area_begin(&v, path, &o, err);
    return st == SMP_OK ? out_commit(&o, err) : st;
}
