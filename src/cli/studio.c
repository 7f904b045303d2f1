/* smpsim studio: the consultation page.  A small HTTP server
 * (libmicrohttpd) serving one page (web/studio.html, built into the
 * binary) and a JSON API over the same core as render: the page uploads a
 * photo (or opens a plan), takes the suggested scale, anchors and area or
 * has the practitioner place them, and every change asks for a new
 * preview; the plan and its pictures are saved in --dir.
 *
 * Speed: a session keeps the photo decoded, at full size and at the width
 * the page shows it, with what the scene found that a dragged anchor does
 * not change (the face, the automatic area, the hair beside it: scene.h's
 * scene_cache), so a preview redoes only the hairline, field, dots, render
 * and encoding.
 *
 * Safety: it listens on 127.0.0.1 unless told otherwise; on any other
 * address every request must carry the random token the printed address
 * holds (403 without it).  Uploads are bounded; a malformed request gets
 * 400 and a JSON error, and the server goes on.  Photos live in memory per
 * session, each upload a session of its own, and are forgotten at exit.
 * Nothing from the browser names a path: files are written only in --dir,
 * by names the studio makes, atomically, never over a photo.  Requests are
 * served one at a time (one polling thread).  Ctrl-C ends it cleanly. */
#include <arpa/inet.h>
#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "../clock.h"
#include "../export.h"
#include "../face.h"
#include "../image.h"
#include "../layout.h"
#include "../output.h"
#include "../paths.h"
#include "../plan.h"
#include "../preview.h"
#include "../scalp.h"
#include "../scene.h"
#include "../status.h"
#include "../view.h"

extern const unsigned char studio_page[];
extern const size_t studio_page_len;

/* A session keeps its photo decoded, at full size and at the last view
 * width, with what the scene found in each (scene.h): a 12 MP photo takes
 * about 100 MB, so a few sessions only; the one longest unused goes. */
#define MAX_SESSIONS 8
#define MAX_PHOTO_BYTES (64u << 20) /* a phone photo is a few MB */
#define MAX_JSON_BYTES (1u << 20)
#define DEFAULT_PORT 8642
#define OUTLINE_POINTS 60
#define MAX_WRITTEN 256

typedef struct session {
    char id[33];           /* 128 random bits in hex */
    unsigned char *bytes;  /* the photo's file, as it came */
    size_t n;
    const char *ext;       /* "jpg" or "png", from its bytes */
    char *src;             /* the file it came from (its real path), or NULL for an upload */
    char *ref;             /* that file's name relative to --dir when it lies inside, or NULL */
    char name[256];        /* what messages call it */
    scene_cache full;      /* the photo as decoded, and what the scene found in it */
    scene_cache view;      /* the same at VIEW_W px wide (0: none yet) */
    int view_w;
    int pinned;            /* the command line's: never evicted */
    unsigned long used;    /* for evicting the longest unused */
} session;

static struct {
    char token[33];     /* required when not on loopback; "" otherwise */
    const char *dir;    /* --dir as given */
    char *dir_real;
    session *s[MAX_SESSIONS];
    unsigned long clock;
    char *start;        /* /api/start's answer, for the photo or plan on the command line */
    char *written[MAX_WRITTEN]; /* real paths of the images this studio wrote (it may replace those) */
    size_t n_written;
} studio;

static void random_hex(char out[33])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        /* No entropy to be had: refuse to make a guessable token. */
        fprintf(stderr, "smpsim: cannot read random bytes for a session: %s\n", strerror(errno));
        exit(EXIT_INPUT);
    }
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* ---- responses ---- */

/* INFO, when not NULL, goes in an X-Smpsim-Info header (ASCII JSON). */
static enum MHD_Result reply_info(struct MHD_Connection *c, unsigned code, const char *type, const void *body, size_t n,
                                  const char *info)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(n, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    if (info) MHD_add_response_header(r, "X-Smpsim-Info", info);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result q = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return q;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, const void *body, size_t n)
{
    return reply_info(c, code, type, body, n, NULL);
}

static enum MHD_Result reply_json(struct MHD_Connection *c, unsigned code, json_t *doc)
{
    char *text = json_text_of(doc);
    if (!text) return reply(c, 500, "application/json", "{\"error\":\"out of memory\"}", 25);
    enum MHD_Result q = reply(c, code, "application/json", text, strlen(text));
    free(text);
    return q;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned code, const char *msg)
{
    return reply_json(c, code, json_pack("{s:o}", "error", json_text(msg)));
}


/* A file to download: BODY with the name the browser saves it as. */
static enum MHD_Result reply_download(struct MHD_Connection *c, const char *type, const void *body, size_t n,
                                      const char *filename)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(n, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    char disp[128];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", filename);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Content-Disposition", disp);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result q = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return q;
}

/* ---- sessions ---- */

static void session_free(session *s)
{
    if (!s) return;
    free(s->bytes);
    free(s->src);
    free(s->ref);
    scene_cache_free(&s->full);
    scene_cache_free(&s->view);
    free(s);
}

static const char *photo_ext(const unsigned char *b, size_t n)
{
    if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8)) return "png";
    if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) return "jpg";
    return NULL;
}

/* A session for the photo BYTES (N, taken over), named NAME in messages,
 * from the file SRC (NULL: an upload): decoded as render decodes it, with
 * the same limits.  NULL with WHY when it is not a photo. */
static session *session_make(unsigned char *bytes, size_t n, const char *src, const char *name, char *why,
                             size_t whyn)
{
    session *s = calloc(1, sizeof *s);
    if (!s) { free(bytes); snprintf(why, whyn, "out of memory"); return NULL; }
    s->bytes = bytes;
    s->n = n;
    s->ext = photo_ext(bytes, n);
    snprintf(s->name, sizeof s->name, "%s", name);
    if (src && (!(s->src = realpath(src, NULL)))) { snprintf(why, whyn, "%s: %s", name, strerror(errno)); goto fail; }
    if (s->src) {
        size_t d = strlen(studio.dir_real);
        if (!strncmp(s->src, studio.dir_real, d) && s->src[d] == '/') s->ref = strdup(s->src + d + 1);
    }
    /* Decoded from memory (a memfd: nothing on disk) by the one decoder. */
    int fd = memfd_create("smpsim-photo", MFD_CLOEXEC);
    if (fd < 0 || write(fd, bytes, n) != (ssize_t)n) {
        snprintf(why, whyn, "cannot keep the photo: %s", strerror(errno));
        if (fd >= 0) close(fd);
        goto fail;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int orient;
    smp_error err = {0};
    smp_status st = image_read_photo(path, SMP_MAX_PIXELS, &s->full.photo, &orient, &err);
    close(fd);
    if (st != SMP_OK) {
        const char *m = strncmp(err.msg, path, strlen(path)) ? err.msg : err.msg + strlen(path);
        if (!strncmp(m, ": ", 2)) m += 2;
        snprintf(why, whyn, "%s: %s", name, m);
        goto fail;
    }
    random_hex(s->id);
    return s;
fail:
    session_free(s);
    return NULL;
}

/* Keeps S, evicting the longest unused session when all are taken. */
static void session_add(session *s)
{
    int k = -1;
    for (int i = 0; i < MAX_SESSIONS && k < 0; i++)
        if (!studio.s[i]) k = i;
    for (int i = 0, full = k < 0; full && i < MAX_SESSIONS; i++)
        if (!studio.s[i]->pinned && (k < 0 || studio.s[i]->used < studio.s[k]->used)) k = i;
    if (k < 0) k = 0;
    session_free(studio.s[k]);
    studio.s[k] = s;
    s->used = ++studio.clock;
}

static session *session_find(const char *id)
{
    for (int i = 0; id && i < MAX_SESSIONS; i++)
        if (studio.s[i] && !strcmp(studio.s[i]->id, id)) {
            studio.s[i]->used = ++studio.clock;
            return studio.s[i];
        }
    return NULL;
}

/* ---- plans from the page ---- */

/* A reason the page gets (in JSON; never printed). */
static smp_status page_error(smp_error *err, const char *msg)
{
    err->status = SMP_EVALUE;
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    return SMP_EVALUE;
}

/* An option whose value names a file: never from the page. */
static int is_file_option(const smp_option_info *info)
{
    return !strcmp(info->name, "photo") || (info->metavar && strstr(info->metavar, "FILE"));
}

/* Sets each key of the JSON object GIVEN on PLAN (values as text);
 * 0, or -1 with the reason in ERR. */
static int plan_from_json(smp_plan *plan, json_t *given, smp_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(given, key, v) {
        char buf[64];
        const char *text;
        if (json_is_string(v)) text = json_string_value(v);
        else if (json_is_integer(v)) { snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v)); text = buf; }
        else if (json_is_real(v)) { snprintf(buf, sizeof buf, "%.17g", json_real_value(v)); text = buf; }
        else if (json_is_boolean(v)) text = json_is_true(v) ? "yes" : "no";
        else { smp_fail(err, SMP_EVALUE, 0, "%s: expected a string, a number or true/false", key); return -1; }
        /* Files come only from the session: nothing from the browser names a path. */
        const smp_option_info *info = NULL;
        for (size_t i = 0; i < smp_option_count(); i++)
            if (!strcmp(smp_option_at(i)->name, key)) info = smp_option_at(i);
        if (!info) { smp_fail(err, SMP_EVALUE, 0, "%s: not an option", key); return -1; }
        if (is_file_option(info)) {
            smp_fail(err, SMP_EVALUE, 0, "%s: files cannot be named from the page", key);
            return -1;
        }
        if (smp_plan_set(plan, key, text, key, 0, err) != SMP_OK) return -1;
    }
    return 0;
}

/* The plan of SETTINGS (a JSON object or NULL) on session S's photo,
 * resolved: NULL with the HTTP status and the reason in ERR. */
static smp_plan *plan_of(const session *s, json_t *given, unsigned *code, smp_error *err)
{
    smp_plan *plan = smp_plan_new();
    if (!plan) { *code = 500; smp_fail(err, SMP_ENOMEM, 0, "out of memory"); return NULL; }
    *code = 400;
    if (given && !json_is_object(given)) {
        page_error(err, "settings must be an object");
        goto fail;
    }
    if (given && plan_from_json(plan, given, err)) goto fail;
    /* The photo comes from the session's cache: the name is for messages. */
    if (smp_plan_set(plan, "photo", s->name, "the session", 0, err) != SMP_OK) goto fail;
    *code = 422;
    if (smp_plan_resolve(plan, err) != SMP_OK) goto fail;
    /* The plan's pixel limit, as render would read the photo (at full size, whatever the view). */
    const photo *p = &s->full.photo;
    if ((double)p->w * p->h > plan_settings(plan)->max_pixels &&
        image_over_limit(err, s->name, (unsigned)p->w, (unsigned)p->h, (long)plan_settings(plan)->max_pixels) != SMP_OK)
        goto fail;
    return plan;
fail:
    smp_plan_free(plan);
    return NULL;
}

/* The face in the full photo, found once, into the view's cache at its
 * scale K: the preview at the view width sees the face the saved plan
 * will (the detector works on a 1000 px copy either way). */
static smp_status view_face(session *s, int points, double k, smp_error *err)
{
    if (s->view.face_level >= 1 + points) return SMP_OK;
    if (s->full.face_level < 1 + points) {
        smp_status st = face_find(&s->full.photo, points, s->name, &s->full.face, err);
        if (st != SMP_OK) return st;
        s->full.face_level = 1 + points;
    }
    face_found f = s->full.face;
    for (int i = 0; i < 4; i++) f.box[i] *= k;
    for (int i = 0; i < FACE_POINTS; i++) { f.pt[i][0] *= k; f.pt[i][1] *= k; }
    s->view.face = f;
    s->view.face_level = s->full.face_level;
    return SMP_OK;
}

/* The cache PLAN is laid out with on S's photo: at VIEW_W px wide when
 * that is given and smaller than the photo (the downscaled photo made
 * once, the plan's photo positions and scale scaled to it: *K is the
 * factor, 1 at full size), else the full photo's. */
static smp_status view_of(session *s, smp_plan *plan, int view_w, scene_cache **cache, double *k, smp_error *err)
{
    *k = 1;
    *cache = &s->full;
    int w = s->full.photo.w, h = s->full.photo.h;
    if (view_w <= 0 || view_w >= w) return SMP_OK;
    if (s->view_w != view_w) {
        scene_cache_free(&s->view);
        s->view_w = 0;
        int vh = (int)fmax(1, lround((double)h * view_w / w));
        smp_status st = preview_scaled(&s->full.photo, view_w, vh, &s->view.photo, err);
        if (st != SMP_OK) return st;
        s->view_w = view_w;
    }
    *k = (double)view_w / w;
    *cache = &s->view;
    plan_scale_photo_px(plan, *k);
    const settings *ps = plan_settings(plan);
    int no_scale = !(ps->ruler_mm > 0) && !(ps->scale > 0);
    if (ps->anchors_auto || ps->area_auto || ps->thinning || no_scale || ps->compose == COMPOSE_GUIDES)
        return view_face(s, ps->anchors_auto || no_scale, *k, err);
    return SMP_OK;
}

/* The layout of PLAN on S's photo, at VIEW_W px wide as view_of says. */
static smp_status layout_of(session *s, smp_plan *plan, int view_w, smp_layout **L, double *k, smp_error *err)
{
    scene_cache *cache;
    smp_status st = view_of(s, plan, view_w, &cache, k, err);
    return st != SMP_OK ? st : smp_layout_new_cached(plan, cache, L, err);
}

/* COMMAND's writer for a file named like PATH ("x.png"), into memory. */
static smp_status write_memory(const char *command, const char *path, const smp_layout *L, const smp_plan *plan,
                               char **buf, size_t *len, output_stats *stats, smp_error *err)
{
    const output_kind *k = output_kind_for(command, path);
    *buf = NULL;
    *len = 0;
    if (!k) return page_error(err, "no writer for that format");
    smp_status st = k->check ? k->check(plan, path, k->format, err) : SMP_OK;
    if (st != SMP_OK) return st;
    FILE *f = open_memstream(buf, len);
    if (!f) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    result_view view;
    result_view_of(L, &view);
    output_stats unused;
    if (!stats) stats = &unused;
    memset(stats, 0, sizeof *stats);
    st = k->write(f, path, k->format, &view, plan, stats, err);
    if (fclose(f) != 0 && st == SMP_OK) st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    if (st != SMP_OK) { free(*buf); *buf = NULL; }
    return st;
}

/* The plan's text as --dump-plan prints it, the photo named PHOTO. */
static char *plan_text(const smp_plan *plan, const char *photo_name, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f) return NULL;
    plan_dump_photo_as(plan, f, photo_name);
    if (fclose(f) != 0) { free(buf); return NULL; }
    return buf;
}

/* The name the plan gives S's photo when saved as NAME: its own, when it
 * lies in --dir; else NAME-photo.EXT, written beside it. */
static void photo_ref(const session *s, const char *name, char *out, size_t n)
{
    if (s->ref) snprintf(out, n, "%s", s->ref);
    else snprintf(out, n, "%s-photo.%s", name, s->ext);
}

/* ---- suggestions ---- */

/* What the scene suggests for SETTINGS on S's photo: the scale, the
 * anchors and the automatic area (each null with the reason when there is
 * none).  NULL with the status and reason when SETTINGS are wrong. */
static json_t *suggest(session *s, json_t *given, int view_w, unsigned *code, smp_error *err)
{
    smp_plan *plan = plan_of(s, given, code, err);
    if (!plan) return NULL;
    scene_suggestion sg;
    smp_status st = scene_suggest(plan, &s->full, &sg, err);
    const settings *ps = plan_settings(plan);
    if (st != SMP_OK) { *code = st == SMP_ENOMEM ? 500 : 422; smp_plan_free(plan); return NULL; }
    json_t *doc = json_object();
    if (sg.has_scale) {
        static const char *from[] = {"given", "anchors", "face", "head"};
        char says[200];
        if (sg.scale_from == 2)
            snprintf(says, sizeof says, "63 mm between the pupils of the face found (most adults 57-69 mm: within about 10%%)");
        else if (sg.scale_from == 3)
            snprintf(says, sizeof says, "152 mm across the head at its broadest (most adults 140-165 mm: within about 10%%)");
        else if (sg.scale_from == 1)
            snprintf(says, sizeof says, "120 mm between the temple points (an adult head's front; within about 15%%)");
        else if (ps->ruler_mm > 0)
            snprintf(says, sizeof says, "the ruler: %g mm between its two points", ps->ruler_mm);
        else
            snprintf(says, sizeof says, "as given");
        json_object_set_new(doc, "scale", json_pack("{s:o,s:s,s:o}", "px_per_mm", json_num(sg.scale, 4), "from",
                                                    from[sg.scale_from], "assumption", json_text(says)));
    } else {
        json_object_set_new(doc, "scale", json_null());
        json_object_set_new(doc, "scale_why", json_text(sg.scale_why));
    }
    if (sg.has_anchors) {
        json_t *pts = json_array();
        for (int i = 0; i < 3; i++) {
            double xy[2] = {sg.anchors[i].x, sg.anchors[i].y};
            json_array_append_new(pts, json_nums(xy, 2, 0));
        }
        char note[200];
        snprintf(note, sizeof note,
                 "front %.0f mm above the glabella (a third of the face, kept to 70-100 mm); temples 10 mm outside "
                 "the eyes' outer corners, 15 mm lower: check them, then adopt or adjust them",
                 sg.front_mm);
        json_object_set_new(doc, "anchors", json_pack("{s:o,s:s,s:o}", "points", pts, "from", "face", "note", json_text(note)));
    } else {
        json_object_set_new(doc, "anchors", json_null());
        json_object_set_new(doc, "anchors_why",
                            json_text("no face found (it needs the face upright, seen from the front): tap the "
                                      "temples and the front yourself"));
    }
    smp_plan_free(plan);
    /* The area --area auto finds with these settings. */
    json_t *as = given ? json_deep_copy(given) : json_object();
    json_object_del(as, "area-polygon");
    json_object_set_new(as, "area", json_string("auto"));
    smp_error aerr = {0};
    unsigned acode;
    smp_layout *L = NULL;
    smp_plan *ap = plan_of(s, as, &acode, &aerr);
    json_decref(as);
    scene_cache *cache;
    double k = 1;
    if (ap && (st = view_of(s, ap, view_w, &cache, &k, &aerr)) == SMP_OK) st = smp_layout_scene(ap, cache, &L, &aerr);
    if (ap && st == SMP_ENOMEM) { smp_plan_free(ap); json_decref(doc); *code = 500; return NULL; }
    vec2 *outline = NULL;
    size_t n = 0;
    if (L && L->area.mask.px) {
        const uint8_t *ex = L->area.exclude.px && L->area.exclude.w == L->area.mask.w &&
                                    L->area.exclude.h == L->area.mask.h ? L->area.exclude.px : NULL;
        if (scalp_outline(L->area.mask.px, ex, L->area.mask.w, L->area.mask.h, OUTLINE_POINTS, &outline, &n, &aerr) !=
            SMP_OK)
            n = 0;
    }
    if (n >= 3) {
        json_t *poly = json_array();
        for (size_t i = 0; i < n; i++) {
            double xy[2] = {outline[i].x / k, outline[i].y / k};
            json_array_append_new(poly, json_nums(xy, 2, 0));
        }
        json_object_set_new(doc, "area", json_pack("{s:o,s:o,s:o}", "polygon", poly, "confidence",
                                                   json_num(L->area_confidence, 3), "note",
                                                   json_text(L->doubt_note ? smp_layout_note_at(L, L->doubt_note - 1) : NULL)));
    } else {
        json_object_set_new(doc, "area", json_null());
        json_object_set_new(doc, "area_why", json_text(aerr.msg[0] ? aerr.msg : "no scalp found"));
    }
    free(outline);
    smp_layout_free(L);
    smp_plan_free(ap);
    return doc;
}

/* ---- requests ---- */

/* The JSON object of a request and its session: 0, or -1 after replying
 * (*Q) with the error. */
static int request_of(struct MHD_Connection *c, const char *body, size_t n, int need_session, json_t **req,
                      session **s, enum MHD_Result *q)
{
    json_error_t je;
    *s = NULL;
    *req = json_loadb(body ? body : "", n, 0, &je);
    if (!*req || !json_is_object(*req)) {
        json_decref(*req);
        *req = NULL;
        *q = reply_error(c, 400, "the request is not a JSON object");
        return -1;
    }
    if (!need_session) return 0;
    if (!(*s = session_find(json_string_value(json_object_get(*req, "session"))))) {
        json_decref(*req);
        *req = NULL;
        *q = reply_error(c, 404, "no such session: open the photo again");
        return -1;
    }
    return 0;
}

/* The request's view_width: 0 when not given, -1 when not a width. */
static int view_width(json_t *req)
{
    json_t *v = json_object_get(req, "view_width");
    if (!v) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 16 || json_integer_value(v) > 100000) return -1;
    return (int)json_integer_value(v);
}

static enum MHD_Result reply_status(struct MHD_Connection *c, unsigned code, const smp_error *err)
{
    return reply_error(c, err->status == SMP_ENOMEM ? 500 : code, err->msg[0] ? err->msg : "out of memory");
}

static enum MHD_Result api_suggest(struct MHD_Connection *c, const char *body, size_t n)
{
    json_t *req;
    session *s;
    enum MHD_Result q;
    if (request_of(c, body, n, 1, &req, &s, &q)) return q;
    unsigned code;
    smp_error err = {0};
    int vw = view_width(req);
    if (vw < 0) {
        json_decref(req);
        return reply_error(c, 400, "view_width: expected a whole number of pixels, 16 or more");
    }
    json_t *doc = suggest(s, json_object_get(req, "settings"), vw, &code, &err);
    json_decref(req);
    return doc ? reply_json(c, 200, doc) : reply_status(c, code, &err);
}

static enum MHD_Result api_preview(struct MHD_Connection *c, const char *body, size_t n)
{
    double t0 = smp_seconds();
    json_t *req;
    session *s;
    enum MHD_Result q;
    if (request_of(c, body, n, 1, &req, &s, &q)) return q;
    int vw = view_width(req);
    if (vw < 0) {
        json_decref(req);
        return reply_error(c, 400, "view_width: expected a whole number of pixels, 16 or more");
    }
    /* PNG, or JPEG when asked: a fifth of the encoding time and the bytes
     * for a preview shown while dragging. */
    const char *format = json_string_value(json_object_get(req, "format"));
    int jpeg = format && !strcmp(format, "jpeg");
    if (json_object_get(req, "format") && !jpeg && !(format && !strcmp(format, "png"))) {
        json_decref(req);
        return reply_error(c, 400, "format: expected png or jpeg");
    }
    unsigned code;
    smp_error err = {0};
    smp_plan *plan = plan_of(s, json_object_get(req, "settings"), &code, &err);
    smp_layout *L = NULL;
    double k = 1, t1 = smp_seconds();
    char *png = NULL;
    size_t len = 0;
    output_stats os;
    if (!plan) { json_decref(req); return reply_status(c, code, &err); }
    if (layout_of(s, plan, vw, &L, &k, &err) != SMP_OK ||
        write_memory("render", jpeg ? "preview.jpg" : "preview.png", L, plan, &png, &len, &os, &err) != SMP_OK) {
        q = reply_status(c, 422, &err);
    } else {
        /* What the page says beside the picture: the dots, the scale (in
         * the full photo's px) and where it came from (an estimate is said
         * so), a note to check. */
        double scale;
        int kind = smp_layout_photo_scale(L, &scale);
        smp_layout_stats ls;
        smp_layout_get_stats(L, &ls);
        /* And where the time went (ms), for make bench. */
        double ms[] = {(t1 - t0) * 1000, ls.seconds_scene * 1000, ls.seconds_field * 1000, ls.seconds_layout * 1000,
                       os.seconds[0] * 1000, os.seconds[1] * 1000, os.seconds[2] * 1000, (smp_seconds() - t0) * 1000};
        /* Every note, one after another, for the page's one line. */
        char notes[1100] = "";
        for (int i = 0; smp_layout_note_at(L, i); i++) {
            size_t at = strlen(notes);
            snprintf(notes + at, sizeof notes - at, "%s%s", i ? "; " : "", smp_layout_note_at(L, i));
        }
        json_t *doc = json_pack("{s:I,s:o,s:s,s:o,s:o,s:i,s:{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}}", "dots", (json_int_t)ls.dots,
                                "scale", json_num(scale / k, 4), "scale_from", cli_scale_from(kind),
                                "density", json_num(ls.mean_density, 1), "note", notes[0] ? json_text(notes) : json_null(),
                                "view_width", L->photo.w, "ms", "request", json_num(ms[0], 1), "scene", json_num(ms[1], 1),
                                "field", json_num(ms[2], 1), "layout", json_num(ms[3], 1), "render", json_num(ms[4], 1),
                                "compose", json_num(ms[5], 1), "encode", json_num(ms[6], 1), "total", json_num(ms[7], 1));
        /* --match auto: what it measured and chose, in one line. */
        smp_hair_match hm;
        if (doc && smp_layout_hair_match(L, &hm)) json_object_set_new(doc, "match", json_text(hm.reason));
        char *info = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15)) : NULL;
        json_decref(doc);
        q = reply_info(c, 200, jpeg ? "image/jpeg" : "image/png", png, len, info);
        free(info);
    }
    free(png);
    smp_layout_free(L);
    smp_plan_free(plan);
    json_decref(req);
    return q;
}

static enum MHD_Result api_before(struct MHD_Connection *c)
{
    session *s = session_find(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "session"));
    if (!s) return reply_error(c, 404, "no such session: open the photo again");
    const char *ws = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "width");
    const photo *p = &s->full.photo;
    photo small = {0};
    smp_error err = {0};
    if (ws) {
        char *end;
        long w = strtol(ws, &end, 10);
        if (*end || end == ws || w < 16) return reply_error(c, 400, "width: expected a whole number of pixels, 16 or more");
        if (w < p->w && w == s->view_w) {
            p = &s->view.photo;
        } else if (w < p->w) {
            if (preview_scaled(p, (int)w, (int)fmax(1, lround((double)p->h * w / p->w)), &small, &err) != SMP_OK)
                return reply_status(c, 500, &err);
            p = &small;
        }
    }
    char *png = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&png, &len);
    smp_status st = f ? image_write_photo_png(f, "before.png", p, 1, &err) : SMP_ENOMEM;
    if (f && fclose(f) != 0 && st == SMP_OK) st = SMP_ENOMEM;
    photo_free(&small);
    enum MHD_Result q = st == SMP_OK ? reply(c, 200, "image/png", png, len) : reply_status(c, 500, &err);
    free(png);
    return q;
}

/* A file name from the page: letters, digits, '-', '_' and '.', not
 * starting with a dot; 0 when it is not one. */
static int valid_name(const char *name)
{
    if (!name || !name[0] || name[0] == '.' || strlen(name) > 100) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.'))
            return 0;
    return 1;
}

static enum MHD_Result api_plan(struct MHD_Connection *c, const char *body, size_t n, int download)
{
    json_t *req;
    session *s;
    enum MHD_Result q;
    if (request_of(c, body, n, 1, &req, &s, &q)) return q;
    const char *name = json_string_value(json_object_get(req, "name"));
    if (json_object_get(req, "name") && !valid_name(name)) {
        json_decref(req);
        return reply_error(c, 400, "name: letters, digits, '-', '_' and '.' only, not starting with a dot");
    }
    unsigned code;
    smp_error err = {0};
    smp_plan *plan = plan_of(s, json_object_get(req, "settings"), &code, &err);
    if (!plan) { json_decref(req); return reply_status(c, code, &err); }
    char ref[300];
    photo_ref(s, name ? name : "smpsim-preview", ref, sizeof ref);
    size_t len;
    char *text = plan_text(plan, ref, &len);
    if (!text) q = reply_error(c, 500, "out of memory");
    else if (download) q = reply_download(c, "text/plain; charset=utf-8", text, len, "smpsim-preview.smp");
    else q = reply(c, 200, "text/plain; charset=utf-8", text, len);
    free(text);
    smp_plan_free(plan);
    json_decref(req);
    return q;
}

static enum MHD_Result api_export(struct MHD_Connection *c, const char *body, size_t n)
{
    json_t *req;
    session *s;
    enum MHD_Result q;
    if (request_of(c, body, n, 1, &req, &s, &q)) return q;
    const char *format = json_string_value(json_object_get(req, "format"));
    static const struct { const char *format, *command, *file, *type; } kinds[] = {
        {"png", "render", "smpsim-preview.png", "image/png"},
        {"jpeg", "render", "smpsim-preview.jpg", "image/jpeg"},
        {"pdf", "print", "smpsim-preview.pdf", "application/pdf"},
    };
    int k = -1;
    for (int i = 0; i < 3 && format; i++)
        if (!strcmp(format, kinds[i].format)) k = i;
    if (format && !strcmp(format, "smp")) {
        json_decref(req);
        return api_plan(c, body, n, 1);
    }
    if (k < 0) {
        json_decref(req);
        return reply_error(c, 400, "format: expected png, jpeg, pdf or smp");
    }
    unsigned code;
    smp_error err = {0};
    smp_plan *plan = plan_of(s, json_object_get(req, "settings"), &code, &err);
    json_decref(req);
    if (!plan) return reply_status(c, code, &err);
    smp_layout *L = NULL;
    double scale_k;
    char *buf = NULL;
    size_t len = 0;
    if (layout_of(s, plan, 0, &L, &scale_k, &err) != SMP_OK ||
        write_memory(kinds[k].command, kinds[k].file, L, plan, &buf, &len, NULL, &err) != SMP_OK)
        q = reply_status(c, 422, &err);
    else
        q = reply_download(c, kinds[k].type, buf, len, kinds[k].file);
    free(buf);
    smp_layout_free(L);
    smp_plan_free(plan);
    return q;
}

/* ---- saving ---- */

static int studio_wrote(const char *real)
{
    for (size_t i = 0; real && i < studio.n_written; i++)
        if (!strcmp(studio.written[i], real)) return 1;
    return 0;
}

static void note_written(const char *path)
{
    char *real = realpath(path, NULL);
    if (!real || studio_wrote(real) || studio.n_written == MAX_WRITTEN) { free(real); return; }
    studio.written[studio.n_written++] = real;
}

/* Whether PATH (FILE in --dir) may be written: into WHY when not.  Never
 * through a link, never over a client's photo nor any image the studio
 * did not write, and over another file only when REPLACE. */
static int may_write(const char *path, const char *file, int replace, char *why, size_t n)
{
    struct stat st;
    if (lstat(path, &st) != 0) return 1;
    if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
        snprintf(why, n, "%.200s: exists and is not a plain file; the studio writes only plain files", file);
        return 0;
    }
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (studio.s[i] && studio.s[i]->src && path_same_file(path, studio.s[i]->src)) {
            snprintf(why, n, "%.200s: is a client's photo; the studio never writes over a photo", file);
            return 0;
        }
    unsigned char sig[8] = {0};
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(sig, 1, sizeof sig, f) : 0;
    if (f) fclose(f);
    char *real = realpath(path, NULL);
    int ours = studio_wrote(real);
    free(real);
    if (photo_ext(sig, got) && !ours) {
        snprintf(why, n, "%.200s: is a photo, or an image the studio did not make; it never writes over one", file);
        return 0;
    }
    if (!replace) {
        snprintf(why, n, "%.200s: exists; save with replace to write over it", file);
        return 0;
    }
    return 1;
}

/* 1 when the file at PATH holds exactly the N bytes B. */
static int same_bytes(const char *path, const unsigned char *b, size_t n)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != n) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char buf[65536];
    size_t off = 0, got;
    int same = 1;
    while (same && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        same = off + got <= n && !memcmp(buf, b + off, got);
        off += got;
    }
    fclose(f);
    return same && off == n;
}

static enum MHD_Result api_save(struct MHD_Connection *c, const char *body, size_t n)
{
    json_t *req;
    session *s;
    enum MHD_Result q;
    if (request_of(c, body, n, 1, &req, &s, &q)) return q;
    const char *name = json_string_value(json_object_get(req, "name"));
    json_t *what = json_object_get(req, "what");
    int replace = json_is_true(json_object_get(req, "replace"));
    if (!valid_name(name)) {
        json_decref(req);
        return reply_error(c, 400, "name: letters, digits, '-', '_' and '.' only, not starting with a dot");
    }
    /* The files: the plan (and the photo beside it when it is not in
     * --dir), the preview as PNG and JPEG, the mock-up. */
    enum { PLAN, PHOTO, PNG, JPEG, PDF, NFILES };
    static const char *whats[] = {"plan", NULL, "png", "jpeg", "pdf"};
    int want[NFILES] = {0};
    if (!what) want[PLAN] = 1;
    else if (!json_is_array(what)) { json_decref(req); return reply_error(c, 400, "what: expected a list"); }
    size_t i;
    json_t *w;
    json_array_foreach(what, i, w) {
        int found = 0;
        for (int k = 0; k < NFILES; k++)
            if (whats[k] && json_is_string(w) && !strcmp(json_string_value(w), whats[k])) want[k] = found = 1;
        if (!found) { json_decref(req); return reply_error(c, 400, "what: expected plan, png, jpeg or pdf"); }
    }
    want[PHOTO] = want[PLAN] && !s->ref;
    /* "client-a.smp" names the plan client-a. */
    char base[128];
    snprintf(base, sizeof base, "%s", name);
    size_t bl = strlen(base);
    if (bl > 4 && !strcmp(base + bl - 4, ".smp")) base[bl - 4] = 0;
    name = base;
    char files[NFILES][300];
    char ref[300];
    photo_ref(s, name, ref, sizeof ref);
    snprintf(files[PLAN], sizeof files[PLAN], "%s.smp", name);
    snprintf(files[PHOTO], sizeof files[PHOTO], "%s", ref);
    snprintf(files[PNG], sizeof files[PNG], "%s.png", name);
    snprintf(files[JPEG], sizeof files[JPEG], "%s.jpg", name);
    snprintf(files[PDF], sizeof files[PDF], "%s.pdf", name);
    char *paths[NFILES] = {0};
    char why[600];
    unsigned code = 409;
    smp_error err = {0};
    smp_plan *plan = NULL;
    smp_layout *L = NULL;
    char *data[NFILES] = {0};
    size_t len[NFILES] = {0};
    int kept_photo = 0;
    for (int k = 0; k < NFILES; k++) {
        if (!want[k]) continue;
        if (!(paths[k] = path_join(studio.dir, files[k]))) { code = 500; snprintf(why, sizeof why, "out of memory"); goto fail; }
        /* The photo's copy, already there from an earlier save: kept as it
         * is.  Any other photo by that name is never written over. */
        if (k == PHOTO && same_bytes(paths[k], s->bytes, s->n)) { kept_photo = 1; continue; }
        if (!may_write(paths[k], files[k], replace, why, sizeof why)) goto fail;
    }
    /* Everything made in memory first, then written: all or none. */
    if (!(plan = plan_of(s, json_object_get(req, "settings"), &code, &err))) goto fail_err;
    if (want[PLAN] && !(data[PLAN] = plan_text(plan, ref, &len[PLAN]))) { code = 500; snprintf(why, sizeof why, "out of memory"); goto fail; }
    if (want[PNG] || want[JPEG] || want[PDF]) {
        double k;
        code = 422;
        if (layout_of(s, plan, 0, &L, &k, &err) != SMP_OK) goto fail_err;
        if (want[PNG] && write_memory("render", files[PNG], L, plan, &data[PNG], &len[PNG], NULL, &err) != SMP_OK) goto fail_err;
        if (want[JPEG] && write_memory("render", files[JPEG], L, plan, &data[JPEG], &len[JPEG], NULL, &err) != SMP_OK) goto fail_err;
        if (want[PDF] && write_memory("print", files[PDF], L, plan, &data[PDF], &len[PDF], NULL, &err) != SMP_OK) goto fail_err;
    }
    out_file o[NFILES];
    int open = 0, order[NFILES];
    smp_status st = SMP_OK;
    for (int k = 0; k < NFILES && st == SMP_OK; k++) {
        if (!want[k] || (k == PHOTO && kept_photo)) continue;
        const void *bytes = k == PHOTO ? (const void *)s->bytes : data[k];
        size_t nb = k == PHOTO ? s->n : len[k];
        if ((st = out_open(&o[open], paths[k], &err)) != SMP_OK) break;
        order[open++] = k;
        if (fwrite(bytes, 1, nb, o[open - 1].f) != nb)
            st = smp_fail(&err, SMP_EOUTPUT, 0, "%s: write failed: %s", files[k], strerror(errno));
    }
    for (int j = 0; j < open; j++) {
        if (st != SMP_OK) out_abort(&o[j]);
        else st = out_commit(&o[j], &err);
    }
    if (st != SMP_OK) { code = 500; goto fail_err; }
    json_t *saved = json_array();
    for (int j = 0; j < open; j++) {
        json_array_append_new(saved, json_text(files[order[j]]));
        /* The pictures the studio made may be replaced later; the photo's
         * copy is a photo, never. */
        if (order[j] != PLAN && order[j] != PHOTO) note_written(paths[order[j]]);
        if (j == 0 && kept_photo) json_array_append_new(saved, json_text(files[PHOTO]));
    }
    q = reply_json(c, 200, json_pack("{s:o}", "saved", saved));
    goto out;
fail_err:
    snprintf(why, sizeof why, "%s", err.msg[0] ? err.msg : "out of memory");
    if (err.status == SMP_ENOMEM) code = 500;
fail:
    q = reply_error(c, code, why);
out:
    for (int k = 0; k < NFILES; k++) { free(paths[k]); free(data[k]); }
    smp_layout_free(L);
    smp_plan_free(plan);
    json_decref(req);
    return q;
}

/* ---- plans in --dir ---- */

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static enum MHD_Result api_plans(struct MHD_Connection *c)
{
    DIR *d = opendir(studio.dir);
    if (!d) return reply_error(c, 500, "cannot read the studio's folder");
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".smp") || !valid_name(e->d_name)) continue;
        char *path = path_join(studio.dir, e->d_name);
        struct stat st;
        int ok = path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
        free(path);
        if (!ok) continue;
        if (n == cap) {
            char **g = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
            if (!g) break;
            names = g;
        }
        if (!(names[n] = strdup(e->d_name))) break;
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_names);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(list, json_text(names[i]));
        free(names[i]);
    }
    free(names);
    return reply_json(c, 200, json_pack("{s:o}", "plans", list));
}

/* A whole file of at most MAX_PHOTO_BYTES, or NULL with WHY. */
static unsigned char *read_photo_file(const char *path, const char *name, size_t *n, char *why, size_t whyn)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(why, whyn, "%s: cannot open: %s", name, strerror(errno)); return NULL; }
    unsigned char *b = malloc(MAX_PHOTO_BYTES + 1);
    *n = b ? fread(b, 1, MAX_PHOTO_BYTES + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!b || bad || *n > MAX_PHOTO_BYTES) {
        snprintf(why, whyn, "%s: %s", name, !b ? "out of memory" : bad ? "read error" : "larger than 64 MB");
        free(b);
        return NULL;
    }
    /* Kept for the session's life: no bigger than the file. */
    unsigned char *fit = realloc(b, *n ? *n : 1);
    return fit ? fit : b;
}

/* The answer to /api/open and /api/start for session S opened from PLAN
 * (NULL: a photo alone). */
static json_t *opened(session *s, const smp_plan *plan, unsigned *code, smp_error *err)
{
    json_t *given = json_object();
    for (size_t i = 0; plan && i < smp_option_count(); i++) {
        const char *v = plan_given(plan, i);
        if (v && strcmp(smp_option_at(i)->name, "photo")) json_object_set_new(given, smp_option_at(i)->name, json_text(v));
    }
    json_t *sg = suggest(s, given, 0, code, err);
    if (!sg) { json_decref(given); return NULL; }
    return json_pack("{s:s,s:i,s:i,s:o,s:o}", "session", s->id, "width", s->full.photo.w, "height", s->full.photo.h,
                     "settings", given, "suggest", sg);
}

/* Opens the plan at PATH (NAME in messages) as a new session: its photo
 * must lie in --dir when IN_DIR, and it may name no other file.  NULL
 * with WHY. */
static session *open_plan(const char *path, const char *name, int in_dir, smp_plan **planp, char *why, size_t whyn)
{
    smp_error err = {0};
    smp_plan *plan = smp_plan_new();
    session *s = NULL;
    *planp = NULL;
    if (!plan) { snprintf(why, whyn, "out of memory"); return NULL; }
    if (smp_plan_load(plan, path, &err) != SMP_OK || smp_plan_resolve(plan, &err) != SMP_OK) {
        snprintf(why, whyn, "%s", err.msg);
        goto fail;
    }
    const char *pic = plan_settings(plan)->photo;
    if (!pic) { snprintf(why, whyn, "%s: names no photo; the studio opens plans on a photo", name); goto fail; }
    for (size_t i = 0; i < smp_option_count(); i++)
        if (plan_given(plan, i) && is_file_option(smp_option_at(i)) && strcmp(smp_option_at(i)->name, "photo")) {
            snprintf(why, whyn, "%s: names a file other than the photo (%s); the studio opens plans whose one file is the photo",
                     name, smp_option_at(i)->name);
            goto fail;
        }
    char *real = realpath(pic, NULL);
    size_t d = strlen(studio.dir_real);
    int inside = real && !strncmp(real, studio.dir_real, d) && real[d] == '/';
    free(real);
    if (in_dir && !inside) {
        snprintf(why, whyn, "%s: its photo %s is not in the studio's folder", name, pic);
        goto fail;
    }
    size_t n;
    unsigned char *bytes = read_photo_file(pic, pic, &n, why, whyn);
    if (!bytes) goto fail;
    const char *slash = strrchr(pic, '/');
    if (!(s = session_make(bytes, n, pic, slash ? slash + 1 : pic, why, whyn))) goto fail;
    *planp = plan;
    return s;
fail:
    smp_plan_free(plan);
    return NULL;
}

static enum MHD_Result api_open(struct MHD_Connection *c, const char *body, size_t n)
{
    json_t *req;
    session *s;
    enum MHD_Result q;
    if (request_of(c, body, n, 0, &req, &s, &q)) return q;
    const char *name = json_string_value(json_object_get(req, "name"));
    size_t len = name ? strlen(name) : 0;
    if (!valid_name(name) || len < 5 || strcmp(name + len - 4, ".smp")) {
        json_decref(req);
        return reply_error(c, 400, "name: a plan's file name in the studio's folder (letters, digits, '-', '_', '.'; ending .smp)");
    }
    char *path = path_join(studio.dir, name);
    char why[700];
    smp_plan *plan = NULL;
    struct stat st;
    if (!path) q = reply_error(c, 500, "out of memory");
    else if (stat(path, &st) != 0) q = reply_error(c, 404, "no such plan in the studio's folder");
    else if (!(s = open_plan(path, name, 1, &plan, why, sizeof why))) q = reply_error(c, 422, why);
    else {
        unsigned code;
        smp_error err = {0};
        json_t *doc = opened(s, plan, &code, &err);
        if (doc) {
            session_add(s);
            q = reply_json(c, 200, doc);
        } else {
            session_free(s);
            q = reply_status(c, code, &err);
        }
    }
    smp_plan_free(plan);
    free(path);
    json_decref(req);
    return q;
}

/* ---- requests ---- */

typedef struct request {
    char *body;
    size_t n, cap, limit;
    int too_big;
} request;

/* Whether T is the studio's token, compared in time independent of where
 * they differ. */
static int token_is(const char *t)
{
    if (!t || strlen(t) != strlen(studio.token)) return 0;
    unsigned char diff = 0;
    for (size_t i = 0; t[i]; i++) diff |= (unsigned char)(t[i] ^ studio.token[i]);
    return diff == 0;
}

static void request_done(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode why)
{
    (void)cls; (void)c; (void)why;
    request *r = *ctx;
    if (r) free(r->body);
    free(r);
    *ctx = NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **ctx)
{
    (void)cls; (void)version;
    request *r = *ctx;
    if (!r) {
        /* First call: the headers.  The token, then what may follow. */
        if (studio.token[0]) {
            const char *t = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
            const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Smpsim-Token");
            if (!token_is(t) && !token_is(h))
                return reply_error(c, 403, "this studio needs the token of the address it printed");
        }
        if (!(r = calloc(1, sizeof *r))) return MHD_NO;
        r->limit = !strcmp(url, "/api/photo") ? MAX_PHOTO_BYTES : MAX_JSON_BYTES;
        *ctx = r;
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->n + *upload_size > r->limit) {
            r->too_big = 1;
        } else if (!r->too_big) {
            if (r->n + *upload_size > r->cap) {
                size_t cap = (r->n + *upload_size) * 2;
                if (cap > r->limit) cap = r->limit;
                char *b = realloc(r->body, cap);
                if (!b) return MHD_NO;
                r->body = b;
                r->cap = cap;
            }
            memcpy(r->body + r->n, upload, *upload_size);
            r->n += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->too_big) return reply_error(c, 413, "the upload is larger than the limit");
    int get = !strcmp(method, "GET"), post = !strcmp(method, "POST");
    const char *body = r->body ? r->body : "";
    static const char *gets[] = {"/", "/index.html", "/api/before", "/api/plans", "/api/start"};
    static const char *posts[] = {"/api/photo", "/api/suggest", "/api/preview", "/api/plan",
                                  "/api/save",  "/api/export",  "/api/open"};
    for (size_t i = 0; i < sizeof gets / sizeof *gets; i++)
        if (!strcmp(url, gets[i]) && !get) return reply_error(c, 405, "use GET");
    for (size_t i = 0; i < sizeof posts / sizeof *posts; i++)
        if (!strcmp(url, posts[i]) && !post) return reply_error(c, 405, "use POST");
    if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
        return reply(c, 200, "text/html; charset=utf-8", studio_page, studio_page_len);
    if (!strcmp(url, "/api/photo")) {
        if (!r->n) return reply_error(c, 400, "no photo in the request");
        char why[600];
        unsigned char *bytes = malloc(r->n);
        if (!bytes) return reply_error(c, 500, "out of memory");
        memcpy(bytes, r->body, r->n);
        const char *ext = photo_ext(bytes, r->n);
        session *s = session_make(bytes, r->n, NULL, ext && !strcmp(ext, "png") ? "photo.png" : "photo.jpg", why, sizeof why);
        if (!s) return reply_error(c, 400, why);
        unsigned code;
        smp_error err = {0};
        json_t *sg = suggest(s, NULL, 0, &code, &err);
        if (!sg) { session_free(s); return reply_status(c, code, &err); }
        session_add(s);
        return reply_json(c, 200, json_pack("{s:s,s:i,s:i,s:o}", "session", s->id, "width", s->full.photo.w, "height",
                                            s->full.photo.h, "suggest", sg));
    }
    if (!strcmp(url, "/api/suggest")) return api_suggest(c, body, r->n);
    if (!strcmp(url, "/api/preview")) return api_preview(c, body, r->n);
    if (!strcmp(url, "/api/before")) return api_before(c);
    if (!strcmp(url, "/api/plan")) return api_plan(c, body, r->n, 0);
    if (!strcmp(url, "/api/save")) return api_save(c, body, r->n);
    if (!strcmp(url, "/api/export")) return api_export(c, body, r->n);
    if (!strcmp(url, "/api/plans")) return api_plans(c);
    if (!strcmp(url, "/api/open")) return api_open(c, body, r->n);
    if (!strcmp(url, "/api/start")) {
        if (!studio.start) return reply(c, 200, "application/json", "{\"session\":null}", 16);
        return reply(c, 200, "application/json", studio.start, strlen(studio.start));
    }
    return reply_error(c, 404, "no such page");
}

/* ---- the command ---- */

static void usage(void)
{
    printf("Usage: smpsim studio [PHOTO|PLAN] [--listen ADDR:PORT] [--dir FOLDER] [--open]\n"
           "The consultation page: open the printed address in a browser, load the client's photo, tap\n"
           "the temples and the front of the hairline, and see the healed result as you change it.\n"
           "\nOptions:\n"
           "  --listen ADDR:PORT           where to listen [127.0.0.1:%d]; PORT 0 picks a free one;\n"
           "                               any address but 127.0.0.1 needs the printed token\n"
           "  --dir FOLDER                 where plans are opened from and saved to [.]\n"
           "  --open                       open the page in the desktop's browser (xdg-open)\n"
           "  -h, --help                   show this help\n"
           "  --version                    show the version\n"
           "\nExample: smpsim studio --listen 0.0.0.0:8642   (a tablet on the clinic's network)\n",
           DEFAULT_PORT);
}

/* xdg-open ADDRESS, not waited for; a warning when there is none. */
static void open_browser(const char *address)
{
    const char *path = getenv("PATH");
    int found = 0;
    char buf[4096];
    for (const char *p = path ? path : ""; *p && !found;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/xdg-open", (int)n, p);
        found = n && access(buf, X_OK) == 0;
        p += n + (p[n] == ':');
    }
    if (!found) {
        fprintf(stderr, "smpsim: warning: xdg-open not found: open %s in a browser\n", address);
        return;
    }
    /* Twice forked, so that init reaps it and the studio waits only for
     * the first child; with the signals the studio blocks unblocked. */
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        pthread_sigmask(SIG_SETMASK, &none, NULL);
        if (fork() != 0) _exit(0);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) { dup2(null, 0); dup2(null, 1); dup2(null, 2); }
        execl(buf, "xdg-open", address, (char *)NULL);
        _exit(127);
    }
    if (pid > 0) waitpid(pid, NULL, 0);
}

/* The photo or plan given on the command line, as /api/start's answer;
 * the exit status on failure, or 0. */
static int load_start(const char *arg)
{
    char why[700];
    smp_plan *plan = NULL;
    session *s;
    smp_format fmt = smp_format_from_path(arg);
    if (fmt == SMP_FMT_PNG || fmt == SMP_FMT_JPEG) {
        size_t n;
        unsigned char *bytes = read_photo_file(arg, arg, &n, why, sizeof why);
        /* Named as given: the messages point at the file the user typed. */
        s = bytes ? session_make(bytes, n, arg, arg, why, sizeof why) : NULL;
    } else {
        s = open_plan(arg, arg, 0, &plan, why, sizeof why);
    }
    if (!s) {
        fprintf(stderr, "smpsim: %s\n", why);
        return EXIT_INPUT;
    }
    unsigned code;
    smp_error err = {0};
    json_t *doc = opened(s, plan, &code, &err);
    smp_plan_free(plan);
    if (!doc || !(studio.start = json_text_of(doc))) {
        fprintf(stderr, "smpsim: %s: %s\n", arg, err.msg[0] ? err.msg : "out of memory");
        session_free(s);
        return EXIT_INPUT;
    }
    s->pinned = 1;
    session_add(s);
    return 0;
}

int cmd_studio(int argc, char **argv)
{
    const char *listen = NULL, *start = NULL;
    int open_page = 0;
    studio.dir = ".";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(); return 0; }
        if (!strcmp(argv[i], "--version")) { printf("smpsim %s\n", SMP_VERSION); return 0; }
        if (!strcmp(argv[i], "--listen") || !strcmp(argv[i], "--dir")) {
            if (i + 1 >= argc) return cli_usage_error("studio", "option '%s' needs a value", argv[i]);
            if (argv[i][2] == 'l') listen = argv[++i];
            else studio.dir = argv[++i];
        } else if (!strncmp(argv[i], "--listen=", 9)) {
            listen = argv[i] + 9;
        } else if (!strncmp(argv[i], "--dir=", 6)) {
            studio.dir = argv[i] + 6;
        } else if (!strcmp(argv[i], "--open")) {
            open_page = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error("studio", "unknown option '%s'", argv[i]);
        } else if (start) {
            return cli_usage_error("studio", "unexpected argument '%s'", argv[i]);
        } else {
            start = argv[i];
        }
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(DEFAULT_PORT);
    if (listen) {
        char host[64];
        const char *colon = strrchr(listen, ':');
        char *end;
        long port = colon ? strtol(colon + 1, &end, 10) : -1;
        size_t hn = colon ? (size_t)(colon - listen) : 0;
        if (!colon || hn == 0 || hn >= sizeof host || *end || colon[1] == 0 || port < 0 || port > 65535)
            return cli_usage_error("studio", "--listen: %s: expected ADDR:PORT, as 127.0.0.1:8642", listen);
        memcpy(host, listen, hn);
        host[hn] = 0;
        if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
            return cli_usage_error("studio", "--listen: %s: not an IPv4 address", host);
        addr.sin_port = htons((uint16_t)port);
    }
    struct stat dst;
    if (stat(studio.dir, &dst) != 0) {
        fprintf(stderr, "smpsim: %s: cannot serve this folder (--dir): %s\n", studio.dir, strerror(errno));
        return EXIT_INPUT;
    }
    if (!S_ISDIR(dst.st_mode) || !(studio.dir_real = realpath(studio.dir, NULL))) {
        fprintf(stderr, "smpsim: %s: cannot serve this folder (--dir): %s\n", studio.dir,
                S_ISDIR(dst.st_mode) ? strerror(errno) : "not a folder");
        return EXIT_INPUT;
    }
    int status = 0;
    if (start && (status = load_start(start))) goto done;
    if (addr.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) random_hex(studio.token);
    /* Ctrl-C and SIGTERM are waited for below, not caught by the threads. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)32, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
    if (!d) {
        char a[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &addr.sin_addr, a, sizeof a);
        fprintf(stderr, "smpsim: cannot listen on %s:%d: %s\n", a, ntohs(addr.sin_port), strerror(errno));
        status = EXIT_INPUT;
        goto done;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char a[INET_ADDRSTRLEN], address[128];
    inet_ntop(AF_INET, &addr.sin_addr, a, sizeof a);
    snprintf(address, sizeof address, "http://%s:%u/%s%s", a, info ? info->port : ntohs(addr.sin_port),
             studio.token[0] ? "?token=" : "", studio.token);
    printf("smpsim studio: %s\n", address);
    fflush(stdout);
    if (open_page) open_browser(address);
    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    fprintf(stderr, "smpsim studio: stopped; the photos it held are gone\n");
done:
    for (int i = 0; i < MAX_SESSIONS; i++) session_free(studio.s[i]);
    for (size_t i = 0; i < studio.n_written; i++) free(studio.written[i]);
    free(studio.start);
    free(studio.dir_real);
    return status;
}
