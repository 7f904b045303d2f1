/* smpsim studio: the consultation page.  A small HTTP server
 * (libmicrohttpd) serving one page (web/studio.html, built into the
 * binary) and a JSON API over the same core as render: the page uploads a
 * photo, the practitioner taps the anchors and picks the look, and every
 * change asks for a new preview.
 *
 * Safety: it listens on 127.0.0.1 unless told otherwise; on any other
 * address every request must carry the random token the printed address
 * holds (403 without it).  Uploads are bounded; a malformed request gets
 * 400 and a JSON error, and the server goes on.  Photos live in memory
 * (memfd, never on disk) per session, each upload a session of its own,
 * and are forgotten at exit.  Nothing from the browser names a path.
 * Ctrl-C ends it cleanly. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"
#include "../image.h"
#include "../output.h"
#include "../plan.h"
#include "../status.h"
#include "../view.h"

extern const unsigned char studio_page[];
extern const size_t studio_page_len;

#define MAX_SESSIONS 16
#define MAX_PHOTO_BYTES (64u << 20) /* a phone photo is a few MB */
#define MAX_JSON_BYTES (1u << 20)
#define DEFAULT_PORT 8642

typedef struct session {
    char id[33];   /* 128 random bits in hex; "" when free */
    int fd;        /* memfd holding the photo's bytes */
    int w, h;
    unsigned long used; /* for evicting the longest unused */
} session;

static struct {
    char token[33];     /* required when not on loopback; "" otherwise */
    session s[MAX_SESSIONS];
    unsigned long clock;
    pthread_mutex_t lock;
} studio = {.lock = PTHREAD_MUTEX_INITIALIZER};

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

/* ---- sessions ---- */

/* A new session holding the photo BYTES (N): its index, or -1 with WHY. */
static int session_new(const void *bytes, size_t n, char *why, size_t whyn)
{
    int fd = memfd_create("smpsim-photo", MFD_CLOEXEC);
    if (fd < 0 || write(fd, bytes, n) != (ssize_t)n) {
        snprintf(why, whyn, "cannot keep the photo: %s", strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    /* Read it as render would: the same decoder and limits. */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    photo p;
    int orient;
    smp_error err = {0};
    if (image_read_photo(path, 100000000L, &p, &orient, &err) != SMP_OK) {
        const char *m = strstr(err.msg, ": ");
        snprintf(why, whyn, "the photo: %s", m ? m + 2 : err.msg);
        close(fd);
        return -1;
    }
    pthread_mutex_lock(&studio.lock);
    int k = 0;
    for (int i = 0; i < MAX_SESSIONS; i++) {
        if (!studio.s[i].id[0]) { k = i; break; }
        if (studio.s[i].used < studio.s[k].used) k = i;
    }
    if (studio.s[k].id[0]) close(studio.s[k].fd);
    random_hex(studio.s[k].id);
    studio.s[k].fd = fd;
    studio.s[k].w = p.w;
    studio.s[k].h = p.h;
    studio.s[k].used = ++studio.clock;
    pthread_mutex_unlock(&studio.lock);
    photo_free(&p);
    return k;
}

/* The photo path of session ID into PATH, or 0 when there is none. */
static int session_photo(const char *id, char *path, size_t n)
{
    int found = 0;
    pthread_mutex_lock(&studio.lock);
    for (int i = 0; id && i < MAX_SESSIONS && !found; i++)
        if (studio.s[i].id[0] && !strcmp(studio.s[i].id, id)) {
            snprintf(path, n, "/proc/self/fd/%d", studio.s[i].fd);
            studio.s[i].used = ++studio.clock;
            found = 1;
        }
    pthread_mutex_unlock(&studio.lock);
    return found;
}

/* ---- the preview ---- */

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
        if (info->metavar && (strstr(info->metavar, "FILE") || !strcmp(key, "photo"))) {
            smp_fail(err, SMP_EVALUE, 0, "%s: files cannot be named from the page", key);
            return -1;
        }
        if (smp_plan_set(plan, key, text, key, 0, err) != SMP_OK) return -1;
    }
    return 0;
}

static enum MHD_Result api_preview(struct MHD_Connection *c, const char *body, size_t n)
{
    json_error_t je;
    json_t *req = json_loadb(body, n, 0, &je);
    if (!req || !json_is_object(req)) {
        json_decref(req);
        return reply_error(c, 400, "the request is not a JSON object");
    }
    char path[64];
    const char *sid = json_string_value(json_object_get(req, "session"));
    if (!session_photo(sid, path, sizeof path)) {
        json_decref(req);
        return reply_error(c, 404, "no such session: upload the photo again");
    }
    json_t *given = json_object_get(req, "settings");
    smp_plan *plan = smp_plan_new();
    smp_error err = {0};
    smp_layout *L = NULL;
    enum MHD_Result q;
    if (!plan) { json_decref(req); return reply_error(c, 500, "out of memory"); }
    if ((given && !json_is_object(given)) || (given && plan_from_json(plan, given, &err))) {
        q = reply_error(c, 400, err.msg[0] ? err.msg : "settings must be an object");
        goto out;
    }
    if (smp_plan_set(plan, "photo", path, "the session", 0, &err) != SMP_OK || smp_plan_resolve(plan, &err) != SMP_OK ||
        smp_layout_new(plan, &L, &err) != SMP_OK) {
        q = reply_error(c, 422, err.msg);
        goto out;
    }
    /* The render command's writer, into memory. */
    const output_kind *k = output_kind_for("render", "preview.png");
    char *png = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&png, &len);
    result_view view;
    result_view_of(L, &view);
    output_stats stats;
    smp_status st = f ? k->check(plan, "preview.png", k->format, &err) : SMP_ENOMEM;
    if (st == SMP_OK) st = k->write(f, "preview.png", k->format, &view, plan, &stats, &err);
    if (f) fclose(f);
    if (st != SMP_OK) {
        q = reply_error(c, st == SMP_ENOMEM ? 500 : 422, err.msg[0] ? err.msg : "out of memory");
    } else {
        /* What the page says beside the picture: the dots, the scale and
         * where it came from (an estimate is said so), a note to check. */
        double scale;
        int kind = smp_layout_photo_scale(L, &scale);
        smp_layout_stats ls;
        smp_layout_get_stats(L, &ls);
        json_t *doc = json_pack("{s:I,s:o,s:s,s:o,s:o}", "dots", (json_int_t)ls.dots, "scale", json_num(scale, 3),
                                "scale_from", cli_scale_from(kind), "density",
                                json_num(ls.mean_density, 1), "note", json_text(smp_layout_note(L)));
        char *info = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15)) : NULL;
        json_decref(doc);
        q = reply_info(c, 200, "image/png", png, len, info);
        free(info);
    }
    free(png);
out:
    smp_layout_free(L);
    smp_plan_free(plan);
    json_decref(req);
    return q;
}

/* ---- requests ---- */

typedef struct request {
    char *body;
    size_t n, cap, limit;
    int too_big;
} request;

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
            if (!(t && !strcmp(t, studio.token)) && !(h && !strcmp(h, studio.token)))
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
    if (!strcmp(url, "/") || !strcmp(url, "/index.html")) {
        if (!get) return reply_error(c, 405, "use GET");
        return reply(c, 200, "text/html; charset=utf-8", studio_page, studio_page_len);
    }
    if (!strcmp(url, "/api/photo")) {
        if (!post) return reply_error(c, 405, "use POST");
        if (!r->n) return reply_error(c, 400, "no photo in the request");
        char why[600];
        int k = session_new(r->body, r->n, why, sizeof why);
        if (k < 0) return reply_error(c, 400, why);
        return reply_json(c, 200, json_pack("{s:s,s:i,s:i}", "session", studio.s[k].id, "width", studio.s[k].w,
                                            "height", studio.s[k].h));
    }
    if (!strcmp(url, "/api/preview")) {
        if (!post) return reply_error(c, 405, "use POST");
        return api_preview(c, r->body ? r->body : "", r->n);
    }
    return reply_error(c, 404, "no such page");
}

/* ---- the command ---- */

static void usage(void)
{
    printf("Usage: smpsim studio [--listen ADDR:PORT]\n"
           "The consultation page: open the printed address in a browser, load the client's photo, tap\n"
           "the temples and the front of the hairline, and see the healed result as you change it.\n"
           "\nOptions:\n"
           "  --listen ADDR:PORT           where to listen [127.0.0.1:%d]; PORT 0 picks a free one;\n"
           "                               any address but 127.0.0.1 needs the printed token\n"
           "  -h, --help                   show this help\n"
           "  --version                    show the version\n"
           "\nExample: smpsim studio --listen 0.0.0.0:8642   (a tablet on the clinic's network)\n",
           DEFAULT_PORT);
}

int cmd_studio(int argc, char **argv)
{
    const char *listen = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(); return 0; }
        if (!strcmp(argv[i], "--version")) { printf("smpsim %s\n", SMP_VERSION); return 0; }
        if (!strcmp(argv[i], "--listen")) {
            if (i + 1 >= argc) return cli_usage_error("studio", "option '--listen' needs a value");
            listen = argv[++i];
        } else if (!strncmp(argv[i], "--listen=", 9)) {
            listen = argv[i] + 9;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("studio", "unknown option '%s'", argv[i]);
        } else {
            return cli_usage_error("studio", "unexpected argument '%s'", argv[i]);
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
        return EXIT_INPUT;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char a[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr.sin_addr, a, sizeof a);
    printf("smpsim studio: http://%s:%u/%s%s\n", a, info ? info->port : ntohs(addr.sin_port),
           studio.token[0] ? "?token=" : "", studio.token);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (studio.s[i].id[0]) close(studio.s[i].fd);
    fprintf(stderr, "smpsim studio: stopped; the photos it held are gone\n");
    return 0;
}
