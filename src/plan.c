#include "plan.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <ini.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "paths.h"
#include "status.h"

#ifndef SMP_PRESET_DIR
#define SMP_PRESET_DIR "/usr/local/share/smpsim/presets"
#endif

enum opt_id {
    O_DESCRIPTION, O_SEED,
    O_AREA_MM, O_AREA_POLYGON, O_AREA_MASK, O_AREA_AUTO, O_SAVE_AREA, O_SCALE,
    O_DENSITY, O_DENSITY_MAP, O_CLUSTERING,
    O_HAIRLINE, O_ANCHORS, O_HAIRLINE_POINTS, O_FACE, O_TRANSITION, O_SENTINEL,
    O_SENTINEL_SHARE, O_WAVE, O_WAVELENGTH, O_IRREGULARITY, O_ASYMMETRY,
    O_DOT_MM, O_DOT_VARIATION, O_DARKNESS, O_DEPTH_MM, O_MATCH, O_SHAVE,
    O_PX_PER_MM,
    O_MODE, O_SCAR_LINE, O_SCAR_WIDTH, O_SCAR_MASK, O_SCAR_DOTS, O_SCAR_DENSITY, O_SCAR_DARKNESS, O_PATCH_MASK, O_PATCH_POLYGON,
    O_FEATHER, O_EDGE_MM,
    O_SESSIONS, O_SESSION_SHARES, O_SESSION_DARKENING, O_FIRST_RAISE, O_HEALING_SPREAD,
    O_PAPER, O_CLINIC, O_CLIENT, O_DATE, O_LOGO, O_NOTES, O_SESSION_DATES, O_SHEET,
    O_PHOTO, O_RULER, O_MAX_PIXELS,
    O_EXCLUDE_MASK, O_EXCLUDE_POLYGON, O_DILUTION, O_UNDERTONE, O_PIGMENT, O_BLOWOUT, O_SHOW, O_COMPOSE, O_WIDTH, O_NO_LABELS, O_PNG_LEVEL, O_QUALITY,
    O_COUNT
};

/* Defaults come from docs/domain.md where it gives a number. */
/* Every option in one table: its name (the long option and the plan key),
 * plan section, value's name, help line and default; for those that are
 * one number in a range, the settings field, the range and the reason a
 * value outside it gets (the others are parsed case by case in apply()).
 * --help, the plan reader, --dump-plan and the man page's check (man.t)
 * all follow it. */
typedef struct option_def {
    smp_option_info info;
    int number;   /* 1: a number in [lo, hi] stored in the double at field */
    size_t field;
    double lo, hi;
    const char *why;
} option_def;

/* The _Generic term fails to compile unless MEMBER is a double. */
#define NUMBER(member, lo, hi, why) \
    1, offsetof(settings, member) + 0 * sizeof(_Generic(((settings *)0)->member, double: 1)), lo, hi, why

static const option_def options[O_COUNT] = {
    [O_DESCRIPTION] = {{"description", "plan", "TEXT", "one line saying what the plan is for", NULL}},
    [O_SEED] = {{"seed", "plan", "N", "random seed; the same seed gives the same layout", "1"}},
    [O_AREA_MM] = {{"area-mm", "area", "W,H", "lay dots in a W x H mm rectangle", NULL}},
    [O_AREA_POLYGON] = {{"area-polygon", "area", "X,Y X,Y ...", "treatment area as a polygon in mm", NULL}},
    [O_AREA_MASK] = {{"area-mask", "area", "FILE.png", "treatment area as a mask image, white = treat (needs --scale)", NULL}},
    [O_AREA_AUTO] = {{"area", "area", "auto", "find the bald or thinning scalp in the photo", NULL}},
    [O_SAVE_AREA] = {{"save-area", "area", "FILE.png", "write the treatment area as a mask, to correct and pass back", NULL}},
    [O_SCALE] = {{"scale", "area", "PX_PER_MM", "pixels per mm of mask and density-map images", NULL},
                  NUMBER(scale, 0.01, 1000, "expected px per mm between 0.01 and 1000")},
    [O_DENSITY] = {{"density", "density", "D|D1:D2|auto", "finished density in dots/cm^2, a ramp from left to right edge, or auto: match the hair around the patches", "80"}},
    [O_DENSITY_MAP] = {{"density-map", "density", "FILE.png", "scale density by an image's grey level (white = full)", NULL}},
    [O_CLUSTERING] = {{"clustering", "density", NULL, "group dots in follicular units of 1-4 (mostly singles at the front)", "no"}},
    [O_HAIRLINE] = {{"hairline", "hairline", "SHAPE", "straight, rounded, widows-peak, mature, m-shape, boxed, broken, female or none", "none"}},
    [O_ANCHORS] = {{"anchors", "hairline", "LX,LY:FX,FY:RX,RY|auto", "left temple, front midpoint and right temple, in mm; auto: suggested from the face in an upright frontal photo", NULL}},
    [O_HAIRLINE_POINTS] = {{"hairline-points", "hairline", "X,Y X,Y ...", "a free hairline as a polyline in mm, left to right", NULL}},
    [O_FACE] = {{"face", "hairline", "down|up|left|right", "side of the hairline the face is on", "down"}},
    [O_TRANSITION] = {{"transition-mm", "hairline", "MM", "width of the transition zone, straddling the line", "6"},
                  NUMBER(transition_mm, 0, 50, "expected mm between 0 and 50")},
    [O_SENTINEL] = {{"sentinel-mm", "hairline", "MM", "depth of the band of sentinel dots ahead of the transition zone", "3"},
                  NUMBER(sentinel_mm, 0, 30, "expected mm between 0 and 30")},
    [O_SENTINEL_SHARE] = {{"sentinel-share", "hairline", "FRACTION", "sentinel density as a share of full density", "0.06"},
                  NUMBER(sentinel_share, 0, 1, "expected a fraction between 0 and 1")},
    [O_WAVE] = {{"wave-mm", "hairline", "MM", "amplitude of the macro waviness of the line", "1.2"},
                  NUMBER(wave_mm, 0, 20, "expected mm between 0 and 20")},
    [O_WAVELENGTH] = {{"wavelength-mm", "hairline", "MM", "wavelength of the macro waviness", "35"},
                  NUMBER(wavelength_mm, 5, 500, "expected mm between 5 and 500")},
    [O_IRREGULARITY] = {{"irregularity", "hairline", "0..1", "micro irregularity: denser and sparser spots at the edge", "0.4"},
                  NUMBER(irregularity, 0, 1, "expected a number between 0 and 1")},
    [O_ASYMMETRY] = {{"asymmetry-mm", "hairline", "MM", "largest left/right difference of the line", "2"},
                  NUMBER(asymmetry_mm, 0, 20, "expected mm between 0 and 20")},
    [O_DOT_MM] = {{"dot-mm", "dots", "MM", "diameter of a healed pigment deposit", "0.5"},
                  NUMBER(dot_mm, 0.05, 3, "expected mm between 0.05 and 3")},
    [O_DOT_VARIATION] = {{"dot-variation", "dots", "FRACTION", "spread of dot diameters (0.25 = +-25 %)", "0.25"},
                  NUMBER(dot_variation, 0, 0.9, "expected a fraction between 0 and 0.9")},
    [O_DARKNESS] = {{"darkness", "dots", "0..1", "how opaque a deposit's ink is before dilution", "1"},
                  NUMBER(darkness, 0.01, 1, "expected a number between 0.01 and 1")},
    [O_MATCH] = {{"match", "dots", "auto|off", "auto: choose density, deposit size, depth, dilution and undertone to read like the client's stubble around the area", "off"}},
    [O_SHAVE] = {{"shave", "render", NULL, "show the longer hair around the area cut to stubble: one even shaved head", "no"}},
    [O_DEPTH_MM] = {{"depth-mm", "dots", "MM", "depth of the deposits under the skin's surface (deeper: fainter, wider, cooler)", "0.2"},
                  NUMBER(depth_mm, 0.05, 1, "expected mm between 0.05 and 1")},
    [O_PX_PER_MM] = {{"px-per-mm", "output", "N", "resolution of PNG layouts", "10"},
                  NUMBER(px_per_mm, 0.5, 100, "expected px per mm between 0.5 and 100")},
    [O_MODE] = {{"mode", "regions", "normal|thinning", "thinning: no new line, dots only where scalp shows, under the hair", "normal"}},
    [O_SCAR_LINE] = {{"scar-line", "regions", "X,Y X,Y ...", "a strip scar (FUT) along this line", NULL}},
    [O_SCAR_WIDTH] = {{"scar-width", "regions", "MM", "width of the strip scar", "6"},
                  NUMBER(scar_width_mm, 0.5, 50, "expected mm between 0.5 and 50")},
    [O_SCAR_MASK] = {{"scar-mask", "regions", "FILE.png", "scars as a mask, white = scar; the photo's size", NULL}},
    [O_SCAR_DOTS] = {{"scar-dots", "regions", NULL, "find FUE dot scars (pale dots under 1.2 mm) in the photo and treat them as scars", "no"}},
    [O_SCAR_DENSITY] = {{"scar-density", "regions", "FRACTION", "density inside scars, as a share of the rest", "0.7"},
                  NUMBER(scar_density, 0, 2, "expected a share between 0 and 2")},
    [O_SCAR_DARKNESS] = {{"scar-darkness", "regions", "FRACTION", "darkness inside scars, as a share of the rest", "0.75"},
                  NUMBER(scar_darkness, 0.1, 1.5, "expected a share between 0.1 and 1.5")},
    [O_PATCH_MASK] = {{"patch-mask", "regions", "FILE.png", "alopecia patches as a mask: dots only there", NULL}},
    [O_PATCH_POLYGON] = {{"patch-polygon", "regions", "X,Y X,Y ...", "an alopecia patch as a polygon: dots only there", NULL}},
    [O_FEATHER] = {{"feather-mm", "regions", "MM", "width of the irregular soft edge of scars and patches", "3"},
                  NUMBER(feather_mm, 0, 20, "expected mm between 0 and 20")},
    [O_EDGE_MM] = {{"edge-mm", "area", "MM", "width of the irregular soft edge of the area on a photo, where no hairline bounds it", "5"},
                  NUMBER(edge_mm, 0, 20, "expected mm between 0 and 20")},
    [O_SESSIONS] = {{"sessions", "sessions", "N", "number of sessions, 1-6", "3"}},
    [O_SESSION_SHARES] = {{"session-shares", "sessions", "A,B,C...", "percent of the final dots each session adds (default 40,35,25 for 3)", NULL}},
    [O_SESSION_DARKENING] = {{"session-darkening", "sessions", "FRACTION", "how much darker each later session's dots are", "0.06"},
                  NUMBER(session_darkening, 0, 0.5, "expected a fraction between 0 and 0.5")},
    [O_FIRST_RAISE] = {{"first-session-raise", "sessions", "MM", "place the session-1 hairline this much higher, lowered in session 2", "0"},
                  NUMBER(first_raise_mm, 0, 40, "expected mm between 0 and 40")},
    [O_HEALING_SPREAD] = {{"healing-spread", "render", "FRACTION", "how much lighter or darker healing may turn out (healing-range)", "0.3"},
                  NUMBER(healing_spread, 0, 0.9, "expected a fraction between 0 and 0.9")},
    [O_PAPER] = {{"paper", "print", "a4|letter", "paper size of the printed mock-up", "a4"}},
    [O_CLINIC] = {{"clinic", "print", "TEXT", "clinic name on the mock-up", NULL}},
    [O_CLIENT] = {{"client", "print", "TEXT", "client name or ID on the mock-up, in any script", NULL}},
    [O_DATE] = {{"date", "print", "TEXT", "date on the mock-up (default today, YYYY-MM-DD)", NULL}},
    [O_LOGO] = {{"logo", "print", "FILE.png", "clinic logo for the mock-up's first page", NULL}},
    [O_NOTES] = {{"notes", "print", "FILE", "practitioner's notes (UTF-8 text) for the first page", NULL}},
    [O_SESSION_DATES] = {{"session-dates", "print", "D1,D2,...", "planned date of each session", NULL}},
    [O_SHEET] = {{"practitioner-sheet", "print", "FILE.pdf", "write every setting, file and the seed here, kept off the client's mock-up", NULL}},
    [O_PHOTO] = {{"photo", "photo", "FILE", "the client's photo (PNG or JPEG); positions are then in its pixels", NULL}},
    [O_RULER] = {{"ruler", "photo", "X1,Y1,X2,Y2,MM", "two photo points a known distance apart, to set the scale", NULL}},
    [O_MAX_PIXELS] = {{"max-pixels", "photo", "N", "refuse photos with more pixels than this", "100000000"},
                  NUMBER(max_pixels, 1, 1e9, "expected a number of pixels between 1 and 1000000000")},
    [O_EXCLUDE_MASK] = {{"exclude-mask", "area", "FILE.png", "areas never to treat, white = exclude (ears, dense hair); the photo's size", NULL}},
    [O_EXCLUDE_POLYGON] = {{"exclude-polygon", "area", "X,Y ... | X,Y ...", "areas never to treat (ears, a birthmark) as polygons, ' | ' between them; positions as in --area-polygon", NULL}},
    [O_DILUTION] = {{"dilution", "render", "W|auto", "pigment dilution, W parts water to 1 part pigment; auto: from the photo", "1"}},
    [O_UNDERTONE] = {{"undertone", "render", "cool|neutral|warm", "the pigment's undertone: plain carbon black reads cool in skin; neutral and warm have some brown in them", "cool"}},
    [O_PIGMENT] = {{"pigment", "render", "#RRGGBB", "pigment colour, overriding the dilution and undertone", NULL}},
    [O_BLOWOUT] = {{"blowout", "render", "FRACTION", "share of blown-out dots: wider, softer, cooler", "0.02"},
                  NUMBER(blowout, 0, 1, "expected a fraction between 0 and 1")},
    [O_SHOW] = {{"show", "render", "STATE[,session=K]", "healed, fresh (first days: larger, darker, red around) or years=Y; after session K", "healed"}},
    [O_COMPOSE] = {{"compose", "render", "MODE", "after, side, split, stack, overlay, sessions, healing-range or guides", "side"}},
    [O_WIDTH] = {{"width", "render", "PX", "scale the composed picture to this width", NULL}},
    [O_NO_LABELS] = {{"no-labels", "render", NULL, "leave out the Before/After labels and the scale bar", "no"}},
    [O_PNG_LEVEL] = {{"png-level", "render", "0..9", "PNG compression level", "1"}},
    [O_QUALITY] = {{"quality", "render", "1..100", "JPEG quality", "92"}},
};

size_t smp_option_count(void) { return O_COUNT; }
const smp_option_info *smp_option_at(size_t i) { return i < O_COUNT ? &options[i].info : NULL; }

static const char *shape_names[] = {
    [SHAPE_NONE] = "none", [SHAPE_STRAIGHT] = "straight", [SHAPE_ROUNDED] = "rounded",
    [SHAPE_WIDOWS_PEAK] = "widows-peak", [SHAPE_MATURE] = "mature", [SHAPE_M] = "m-shape",
    [SHAPE_BOXED] = "boxed", [SHAPE_BROKEN] = "broken", [SHAPE_FEMALE] = "female",
};
static const char *face_names[] = {"down", "up", "left", "right"};
static const char *undertone_names[] = {"cool", "neutral", "warm"};
static const char *compose_names[] = {"after",    "side",          "split", "stack", "overlay",
                                      "sessions", "healing-range", "guides"};

const char *hairline_shape_name(hairline_shape s) { return shape_names[s]; }

typedef struct entry {
    char *value;
    char *origin;    /* "--density" or "plan.smp" */
    int from_file;
    int from_preset; /* set while a preset was read */
} entry;

struct smp_plan {
    entry e[O_COUNT];
    settings s;
    int resolved;
    /* plan-file parsing state */
    const char *cur_path;
    char *cur_dir;
    unsigned char seen[O_COUNT];
    int keys_in_file;
    smp_error *cur_err;
    int depth;
    struct plan_scan *scan; /* the file being read, line by line */
    int reading_preset;
};

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

smp_plan *smp_plan_new(void)
{
    smp_plan *p = calloc(1, sizeof *p);
    return p;
}

static void settings_clear(settings *s)
{
    free(s->polygon); free(s->hl_points); free(s->area_mask); free(s->density_map); free(s->photo); free(s->exclude_mask);
    free(s->clinic); free(s->client); free(s->date); free(s->session_dates); free(s->logo); free(s->notes); free(s->sheet);
    free(s->scar_line); free(s->patch_poly); free(s->scar_mask); free(s->patch_mask); free(s->save_area);
    free(s->excl); free(s->excl_n);
    memset(s, 0, sizeof *s);
}

void smp_plan_free(smp_plan *plan)
{
    if (!plan) return;
    for (int i = 0; i < O_COUNT; i++) { free(plan->e[i].value); free(plan->e[i].origin); }
    settings_clear(&plan->s);
    free(plan->cur_dir);
    free(plan);
}

const settings *plan_settings(const smp_plan *plan) { return &plan->s; }

settings settings_dots_only(const settings *base)
{
    settings t = *base;
    t.polygon = NULL;
    t.area_mask = NULL;
    t.exclude_mask = NULL;
    t.excl = NULL;
    t.excl_n = NULL;
    t.excl_count = 0;
    t.density_map = NULL;
    t.photo = NULL;
    t.shape = SHAPE_NONE;
    t.hl_points = NULL;
    t.thinning = t.scar_dots = t.area_auto = t.density_auto = t.match_auto = 0;
    t.scar_line = t.patch_poly = NULL;
    t.scar_mask = t.patch_mask = NULL;
    t.first_raise_mm = 0;
    return t;
}
uint64_t smp_plan_seed(const smp_plan *plan) { return plan->s.seed; }
double smp_plan_dilution(const smp_plan *plan) { return plan->s.dilution; }
const char *smp_plan_save_area(const smp_plan *plan) { return plan->s.save_area; }

/* ---- value parsers: each returns NULL or a static description of the fault ---- */

/* A number from LO to HI alone, spaces around it allowed: 0 and *OUT, or
 * 1 (each caller says what it expected). */
static int parse_num(const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    while (*v == ' ' || *v == '\t') v++;
    double d = strtod(v, &end);
    if (end == v) return 1;
    while (*end == ' ' || *end == '\t') end++;
    if (*end || errno == ERANGE || !isfinite(d) || d < lo || d > hi) return 1;
    *out = d;
    return 0;
}

static const char *parse_pair(const char **v, vec2 *out, char sep_after)
{
    char *end;
    errno = 0;
    double x = strtod(*v, &end);
    if (end == *v || *end != ',') return "expected X,Y";
    const char *q = end + 1;
    double y = strtod(q, &end);
    if (end == q) return "expected X,Y";
    if (*end && *end != sep_after && !(sep_after == ' ' && (*end == ';' || *end == '\t')))
        return "expected X,Y";
    if (!isfinite(x) || !isfinite(y) || fabs(x) > 1e6 || fabs(y) > 1e6) return "coordinate out of range";
    out->x = x; out->y = y;
    *v = end;
    return NULL;
}

/* "X,Y X,Y ..." (spaces, tabs or semicolons between points). */
static const char *parse_points(const char *v, vec2 **pts, size_t *n, size_t min_n)
{
    size_t cap = 16, k = 0;
    vec2 *p = malloc(cap * sizeof *p);
    if (!p) return "out of memory";
    for (;;) {
        while (*v == ' ' || *v == ';' || *v == '\t') v++;
        if (!*v) break;
        if (k == SMP_MAX_POINTS) { free(p); return "too many points (limit 10000)"; }
        if (k == cap) {
            vec2 *q = realloc(p, 2 * cap * sizeof *p);
            if (!q) { free(p); return "out of memory"; }
            p = q; cap *= 2;
        }
        const char *why = parse_pair(&v, &p[k], ' ');
        if (why) { free(p); return why; }
        k++;
    }
    if (k < min_n) {
        free(p);
        return min_n == 3 ? "needs at least 3 points X,Y" : "needs at least 2 points X,Y";
    }
    *pts = p; *n = k;
    return NULL;
}

static const char *parse_bool(const char *v, int *out)
{
    static const char *yes[] = {"yes", "true", "on", "1"}, *no[] = {"no", "false", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (!strcmp(v, yes[i])) { *out = 1; return NULL; }
        if (!strcmp(v, no[i])) { *out = 0; return NULL; }
    }
    return "expected yes or no";
}

/* 0 and *OUT when V is one of NAMES, 1 otherwise. */
static int parse_enum(const char *v, const char **names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i])) { *out = i; return 0; }
    return 1;
}

/* Stores a path, taken relative to DIR unless absolute or DIR is NULL. */
/* The options whose value names a file: from a plan file, relative to its
 * folder.  The inputs among them are also plan_input_files' list. */
static int is_path_option(int id)
{
    return id == O_PHOTO || id == O_AREA_MASK || id == O_DENSITY_MAP || id == O_EXCLUDE_MASK || id == O_LOGO ||
           id == O_NOTES || id == O_SCAR_MASK || id == O_PATCH_MASK || id == O_SAVE_AREA || id == O_SHEET;
}

static const char *set_path(char **slot, const char *v, const char *dir)
{
    char *path = path_join(dir, v);
    if (!path) return "out of memory";
    free(*slot);
    *slot = path;
    return NULL;
}

/* Applies one value to S; returns NULL or what is wrong.  DIR is the folder
 * relative paths are taken from (NULL for the command line). */
/* Why polygon P is refused when two of its edges cross (into BUF), or NULL. */
static const char *polygon_crossing_why(const vec2 *p, size_t n, char *buf, size_t bufn)
{
    size_t ei, ej;
    if (!geom_polygon_crossing(p, n, &ei, &ej)) return NULL;
    snprintf(buf, bufn, "the polygon crosses itself (edge %zu to %zu crosses edge %zu to %zu); give its outline in order",
             ei + 1, ei + 2, ej + 1, ej + 1 == n ? (size_t)1 : ej + 2);
    return buf;
}

/* --exclude-polygon: polygons with " | " between them, each refused as
 * --area-polygon's would be (its coordinates may be below 0: an ear may
 * reach past the photo's edge), the polygon named by its place when there
 * are several.  All corners together are bounded by SMP_MAX_POINTS. */
static const char *parse_exclusions(settings *s, const char *v, char *buf, size_t bufn)
{
    size_t count = 1;
    for (const char *q = v; (q = strchr(q, '|')); q++) count++;
    vec2 *all = NULL;
    size_t *ns = calloc(count, sizeof *ns), total = 0;
    char why_k[256];
    const char *why = NULL;
    if (!ns) return "out of memory";
    for (size_t k = 0; k < count && !why; k++) {
        size_t len = strcspn(v, "|");
        char *one = malloc(len + 1);
        vec2 *p = NULL;
        size_t n = 0;
        if (!one) { why = "out of memory"; break; }
        memcpy(one, v, len);
        one[len] = 0;
        v += len + (v[len] == '|');
        if (!(why = parse_points(one, &p, &n, 3)) && !(why = polygon_crossing_why(p, n, buf, bufn)) &&
            geom_polygon_area(p, n) <= 0)
            why = "the polygon has no area";
        free(one);
        if (!why && total + n > SMP_MAX_POINTS) why = "too many points (limit 10000)";
        vec2 *grown = why ? NULL : realloc(all, (total + n) * sizeof *all);
        if (!why && !grown) why = "out of memory";
        if (!why) {
            all = grown;
            memcpy(all + total, p, n * sizeof *p);
            total += n;
            ns[k] = n;
        }
        free(p);
        if (why && count > 1) {
            /* Which one, for a list of several. */
            snprintf(why_k, sizeof why_k, "exclusion %zu: %s", k + 1, why);
            snprintf(buf, bufn, "%s", why_k);
            why = buf;
        }
    }
    if (why) { free(all); free(ns); return why; }
    free(s->excl); free(s->excl_n);
    s->excl = all;
    s->excl_n = ns;
    s->excl_count = count;
    return NULL;
}

static const char *apply(settings *s, int id, const char *v, const char *dir, char *buf, size_t bufn)
{
    const char *why = NULL;
    if (options[id].number)
        return parse_num(v, options[id].lo, options[id].hi, (double *)((char *)s + options[id].field)) ? options[id].why : NULL;
    switch (id) {
    case O_DESCRIPTION:
        return NULL;
    case O_SEED: {
        char *end;
        errno = 0;
        if (!isdigit((unsigned char)*v)) return "expected a whole number 0 or more"; /* strtoull takes " -1" */
        unsigned long long x = strtoull(v, &end, 10);
        if (end == v || *end) return "expected a whole number 0 or more";
        /* JSON carries it as a signed 64-bit integer. */
        if (errno == ERANGE || x > INT64_MAX) return "number out of range (0 to 9223372036854775807)";
        s->seed = x;
        return NULL;
    }
    case O_AREA_MM: {
        vec2 p;
        const char *q = v;
        if ((why = parse_pair(&q, &p, '\0'))) return "expected W,H in mm";
        if (p.x <= 0 || p.y <= 0) return "width and height must be above 0";
        if (p.x > SMP_MAX_AREA_MM || p.y > SMP_MAX_AREA_MM) return "larger than 20000 mm";
        s->area_w = p.x; s->area_h = p.y;
        return NULL;
    }
    case O_AREA_POLYGON: {
        vec2 *p; size_t n;
        if ((why = parse_points(v, &p, &n, 3))) return why;
        /* A polygon that crosses itself has no one inside: refused, with
         * where, rather than given an area that is neither its lobes'
         * sum nor their difference. */
        if ((why = polygon_crossing_why(p, n, buf, bufn))) { free(p); return why; }
        if (geom_polygon_area(p, n) <= 0) { free(p); return "the polygon has no area"; }
        for (size_t i = 0; i < n; i++)
            if (p[i].x < 0 || p[i].y < 0) { free(p); return "coordinates must be 0 or more"; }
        free(s->polygon);
        s->polygon = p; s->polygon_n = n;
        return NULL;
    }
    case O_AREA_MASK:
        if (!*v) return "empty file name";
        return set_path(&s->area_mask, v, dir);
    case O_MODE:
        if (!strcmp(v, "normal")) s->thinning = 0;
        else if (!strcmp(v, "thinning")) s->thinning = 1;
        else return "expected normal or thinning";
        return NULL;
    case O_SCAR_LINE:
    case O_PATCH_POLYGON: {
        vec2 *pts;
        size_t n;
        if ((why = parse_points(v, &pts, &n, id == O_SCAR_LINE ? 2 : 3))) return why;
        if (id == O_PATCH_POLYGON && (why = polygon_crossing_why(pts, n, buf, bufn))) { free(pts); return why; }
        vec2 **slot = id == O_SCAR_LINE ? &s->scar_line : &s->patch_poly;
        free(*slot);
        *slot = pts;
        if (id == O_SCAR_LINE) s->scar_n = n; else s->patch_n = n;
        return NULL;
    }
    case O_SCAR_DOTS:
        return parse_bool(v, &s->scar_dots);
    case O_SCAR_MASK:
        if (!*v) return "empty file name";
        return set_path(&s->scar_mask, v, dir);
    case O_PATCH_MASK:
        if (!*v) return "empty file name";
        return set_path(&s->patch_mask, v, dir);
    case O_PAPER:
        if (!strcmp(v, "a4")) s->paper_letter = 0;
        else if (!strcmp(v, "letter")) s->paper_letter = 1;
        else return "expected a4 or letter";
        return NULL;
    case O_CLINIC:
    case O_CLIENT:
    case O_DATE:
    case O_SESSION_DATES: {
        /* Text for the page: at most 200 bytes of UTF-8 (pango would print
         * warnings and draw boxes for anything else). */
        if (strlen(v) > 200) return "longer than 200 characters";
        if (!g_utf8_validate(v, -1, NULL)) return "not UTF-8 text";
        char **slot = id == O_CLINIC ? &s->clinic : id == O_CLIENT ? &s->client : id == O_DATE ? &s->date : &s->session_dates;
        free(*slot);
        *slot = xstrdup(v);
        return *slot ? NULL : "out of memory";
    }
    case O_LOGO:
        if (!*v) return "empty file name";
        return set_path(&s->logo, v, dir);
    case O_NOTES:
        if (!*v) return "empty file name";
        return set_path(&s->notes, v, dir);
    case O_SHEET: {
        if (!*v) return "empty file name";
        size_t n = strlen(v);
        if (n < 5 || strcasecmp(v + n - 4, ".pdf")) return "expected a .pdf file";
        return set_path(&s->sheet, v, dir);
    }
    case O_AREA_AUTO:
        if (strcmp(v, "auto")) return "expected auto";
        s->area_auto = 1;
        return NULL;
    case O_SAVE_AREA:
        if (!*v) return "empty file name";
        return set_path(&s->save_area, v, dir);
    case O_EXCLUDE_MASK:
        if (!*v) return "empty file name";
        return set_path(&s->exclude_mask, v, dir);
    case O_EXCLUDE_POLYGON:
        return parse_exclusions(s, v, buf, bufn);
    case O_WIDTH: {
        double d;
        if (parse_num(v, 16, 30000, &d) || d != floor(d)) return "expected a whole number of pixels from 16 to 30000";
        s->width = (int)d;
        return NULL;
    }
    case O_NO_LABELS:
        return parse_bool(v, &s->no_labels);
    case O_DENSITY_MAP:
        if (!*v) return "empty file name";
        return set_path(&s->density_map, v, dir);
    case O_DENSITY: {
        s->density_auto = !strcmp(v, "auto");
        if (s->density_auto) return NULL;
        const char *colon = strchr(v, ':');
        double a, b;
        if (colon) {
            size_t n = (size_t)(colon - v);
            if (n >= bufn) return "expected D or D1:D2";
            memcpy(buf, v, n); buf[n] = 0;
            if (parse_num(buf, -INFINITY, INFINITY, &a) || parse_num(colon + 1, -INFINITY, INFINITY, &b))
                return "expected D or D1:D2 in dots/cm^2, or auto";
        } else {
            if (parse_num(v, -INFINITY, INFINITY, &a)) return "expected D or D1:D2 in dots/cm^2, or auto";
            b = a;
        }
        if (a <= 0 || b <= 0) return "density must be above 0 dots/cm^2";
        if (a > SMP_MAX_DENSITY || b > SMP_MAX_DENSITY) return "density above 400 dots/cm^2";
        s->density1 = a; s->density2 = b;
        return NULL;
    }
    case O_CLUSTERING:
        return parse_bool(v, &s->clustering);
    case O_SHAVE:
        return parse_bool(v, &s->shave);
    case O_HAIRLINE: {
        int k;
        if (parse_enum(v, shape_names, (int)(sizeof shape_names / sizeof *shape_names), &k))
            return "unknown shape (straight, rounded, widows-peak, mature, m-shape, boxed, broken, female, none)";
        s->shape = (hairline_shape)k;
        return NULL;
    }
    case O_ANCHORS: {
        if (!strcmp(v, "auto")) {
            s->anchors_auto = 1;
            s->has_anchors = 0;
            return NULL;
        }
        const char *q = v;
        vec2 a[3];
        for (int i = 0; i < 3; i++) {
            if (parse_pair(&q, &a[i], i < 2 ? ':' : '\0')) return "expected LX,LY:FX,FY:RX,RY";
            if (i < 2) { if (*q != ':') return "expected LX,LY:FX,FY:RX,RY"; q++; }
        }
        if (*q) return "expected LX,LY:FX,FY:RX,RY";
        memcpy(s->anchors, a, sizeof a);
        s->has_anchors = 1;
        s->anchors_auto = 0;
        return NULL;
    }
    case O_HAIRLINE_POINTS: {
        vec2 *p; size_t n;
        if ((why = parse_points(v, &p, &n, 2))) return why;
        free(s->hl_points);
        s->hl_points = p; s->hl_n = n;
        return NULL;
    }
    case O_FACE: {
        int k;
        if (parse_enum(v, face_names, 4, &k)) return "expected down, up, left or right";
        s->face = (face_dir)k;
        return NULL;
    }
    case O_MATCH:
        if (strcmp(v, "auto") && strcmp(v, "off")) return "expected auto or off";
        s->match_auto = !strcmp(v, "auto");
        return NULL;
    case O_PHOTO:
        if (!*v) return "empty file name";
        return set_path(&s->photo, v, dir);
    case O_RULER: {
        double r[5];
        const char *q = v;
        for (int i = 0; i < 5; i++) {
            char *end;
            r[i] = strtod(q, &end);
            if (end == q || !isfinite(r[i]) || (i < 4 ? *end != ',' : *end != 0)) return "expected X1,Y1,X2,Y2,MM";
            q = end + 1;
        }
        if (r[4] <= 0) return "the distance must be above 0 mm";
        if (hypot(r[2] - r[0], r[3] - r[1]) < 2) return "the two points must be at least 2 pixels apart";
        s->ruler_px = hypot(r[2] - r[0], r[3] - r[1]);
        s->ruler_mm = r[4];
        return NULL;
    }
    case O_DILUTION:
        s->dilution_auto = !strcmp(v, "auto");
        if (s->dilution_auto) return NULL;
        return parse_num(v, 0, 50, &s->dilution) ? "expected water parts between 0 and 50, or auto" : NULL;
    case O_UNDERTONE: {
        int k;
        if (parse_enum(v, undertone_names, 3, &k)) return "expected cool, neutral or warm";
        s->undertone = k;
        return NULL;
    }
    case O_PIGMENT: {
        unsigned r, g, b;
        char tail;
        for (int i = 1; i < 7; i++)
            if (!isxdigit((unsigned char)v[i])) return "expected #RRGGBB"; /* %x takes "-1" */
        if (sscanf(v, "#%2x%2x%2x%c", &r, &g, &b, &tail) != 3 || strlen(v) != 7) return "expected #RRGGBB";
        s->pigment[0] = (uint8_t)r; s->pigment[1] = (uint8_t)g; s->pigment[2] = (uint8_t)b;
        s->has_pigment = 1;
        return NULL;
    }
    case O_SHOW: {
        /* A comma list: one of healed, fresh, years=Y; optionally session=K. */
        char item[64];
        const char *q = v;
        int fresh = 0, session = 0, state = 0;
        double years = 0;
        while (*q) {
            size_t n = strcspn(q, ",");
            if (n == 0 || n >= sizeof item) return "expected healed, fresh or years=Y, and optionally session=K";
            memcpy(item, q, n);
            item[n] = 0;
            q += n + (q[n] == ',');
            if (!strcmp(item, "healed") || !strcmp(item, "fresh")) {
                fresh = item[0] == 'f';
                state++;
            } else if (!strncmp(item, "years=", 6)) {
                if (parse_num(item + 6, 0, 50, &years)) return "years=Y needs Y between 0 and 50";
                state++;
            } else if (!strncmp(item, "session=", 8)) {
                double k;
                if (parse_num(item + 8, 1, 6, &k) || k != floor(k)) return "session=K needs K from 1 to 6";
                session = (int)k;
            } else {
                return "expected healed, fresh or years=Y, and optionally session=K";
            }
        }
        if (state > 1) return "give one of healed, fresh and years=Y";
        s->show_fresh = fresh;
        s->show_years = years;
        s->show_session = session;
        return NULL;
    }
    case O_SESSIONS: {
        double k;
        if (parse_num(v, 1, 6, &k) || k != floor(k)) return "expected a whole number of sessions from 1 to 6";
        s->sessions = (int)k;
        return NULL;
    }
    case O_SESSION_SHARES: {
        const char *q = v;
        int n = 0;
        double sum = 0;
        while (*q) {
            char *end;
            if (n == 6) return "at most 6 shares";
            double x = strtod(q, &end);
            if (end == q || !isfinite(x) || (*end && *end != ',')) return "expected percentages A,B,C...";
            if (x <= 0) return "every share must be above 0";
            s->shares[n++] = x / 100;
            sum += x;
            q = end + (*end == ',');
        }
        if (!n) return "expected percentages A,B,C...";
        if (fabs(sum - 100) > 0.5) return "the shares must add up to 100";
        s->n_shares = n;
        return NULL;
    }
    case O_COMPOSE: {
        int k;
        if (parse_enum(v, compose_names, 8, &k))
            return "expected after, side, split, stack, overlay, sessions, healing-range or guides";
        s->compose = k;
        return NULL;
    }
    case O_PNG_LEVEL: {
        double d;
        if (parse_num(v, 0, 9, &d) || d != floor(d)) return "expected a whole number from 0 to 9";
        s->png_level = (int)d;
        return NULL;
    }
    case O_QUALITY: {
        double d;
        if (parse_num(v, 1, 100, &d) || d != floor(d)) return "expected a whole number from 1 to 100";
        s->quality = (int)d;
        return NULL;
    }
    }
    return "unknown option";
}

static int find_option(const char *key)
{
    for (int i = 0; i < O_COUNT; i++)
        if (!strcmp(options[i].info.name, key)) return i;
    return -1;
}

static smp_status set_entry(smp_plan *plan, int id, const char *value, const char *origin,
                            int from_file, const char *dir, smp_error *err)
{
    settings scratch;
    char buf[256];
    memset(&scratch, 0, sizeof scratch);
    const char *why = apply(&scratch, id, value, dir, buf, sizeof buf);
    settings_clear(&scratch);
    /* A long value (a list of points) is quoted by its start alone. */
    if (why && strlen(value) > 60)
        return smp_fail(err, SMP_EVALUE, from_file, "%s: %.40s...: %s", origin, value, why);
    if (why) return smp_fail(err, SMP_EVALUE, from_file, "%s: %s: %s", origin, value, why);
    entry *e = &plan->e[id];
    /* Paths from a plan file are stored resolved against its folder. */
    char *v = is_path_option(id) ? path_join(dir, value) : xstrdup(value);
    char *o = xstrdup(origin);
    if (!v || !o) { free(v); free(o); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    free(e->value); free(e->origin);
    e->value = v; e->origin = o; e->from_file = from_file;
    e->from_preset = plan->reading_preset;
    plan->resolved = 0;
    return SMP_OK;
}

smp_status smp_plan_set(smp_plan *plan, const char *key, const char *value,
                        const char *origin, int from_file, smp_error *err)
{
    int id = find_option(key);
    if (id < 0) return smp_fail(err, SMP_EVALUE, from_file, "%s: unknown option '%s'", origin, key);
    return set_entry(plan, id, value, origin, from_file, NULL, err);
}

/* inih calls this for each key; returning 0 marks the line as the error. */
/* A plan file as read before inih sees it: which of inih's calls are
 * continuation lines (an indented line carrying on the value above, for
 * long lists), the line of each call, and the key whose value is being
 * gathered.  The plan file's grammar stays inih's; this only mirrors its
 * rules for which lines call the handler. */
#define PLAN_MAX_LINE 199 /* inih's line buffer is 200 bytes with the NUL */
#define DUMP_CHUNK 90     /* bytes of a quoted value per line of --dump-plan */
typedef struct plan_scan {
    unsigned char *cont; /* per handler call: 1 for a continuation line */
    int *line;           /* per handler call: its line number */
    int ncalls, call, syntax_line;
    int pend_id, pend_line; /* the key being gathered (-1: none) */
    char *pend;
    size_t pend_len;
    int err_line;
} plan_scan;

/* Quoted values.  A value that starts with a double quote runs to the
 * closing one; inside, \\ is a backslash, \" a quote, \; a semicolon (the
 * plan reader takes " ;" for the start of a comment) and \s a space (for
 * a continuation line that starts with one, since the reader strips
 * them).  A line that ends in a backslash inside the quotes goes on, with
 * nothing between, on the next (indented) line.  --dump-plan writes text
 * and paths so whenever they need it; numbers and lists never do. */

/* Whether the gathered value P (LEN bytes) is an open quoted value whose
 * line ended in an unescaped backslash. */
static int quoted_goes_on(const char *p, size_t len)
{
    if (!len || p[0] != '"' || p[len - 1] != '\\') return 0;
    size_t k = 0;
    while (k < len - 1 && p[len - 1 - k] == '\\') k++;
    return k % 2 == 1;
}

/* Decodes the quoted value P in place; 0 when it is not well formed. */
static int unquote(char *p)
{
    char *o = p;
    for (const char *q = p + 1; *q; q++) {
        if (*q == '"') return q[1] == 0 && ((*o = 0), 1);
        if (*q != '\\') { *o++ = *q; continue; }
        switch (*++q) {
        case '\\': *o++ = '\\'; break;
        case '"': *o++ = '"'; break;
        case ';': *o++ = ';'; break;
        case 's': *o++ = ' '; break;
        default: return 0;
        }
    }
    return 0;
}

/* Applies the value gathered for the last key, once its continuation
 * lines are in. */
static int plan_flush(smp_plan *plan)
{
    plan_scan *sc = plan->scan;
    if (sc->pend_id < 0) return 1;
    int id = sc->pend_id;
    sc->pend_id = -1;
    smp_error sub = {0};
    if (sc->pend[0] == '"' && !unquote(sc->pend)) {
        smp_fail(plan->cur_err, SMP_EINPUT, 1, "%s: a quoted value must end in an unescaped quote, with only the escapes PLAN FILES in smpsim(1) lists",
                 options[id].info.name);
        sc->err_line = sc->pend_line;
        return 0;
    }
    if (set_entry(plan, id, sc->pend, options[id].info.name, 1, plan->cur_dir, &sub) != SMP_OK) {
        smp_fail(plan->cur_err, sub.status == SMP_ENOMEM ? SMP_ENOMEM : SMP_EINPUT, 1, "%s", sub.msg);
        sc->err_line = sc->pend_line;
        return 0;
    }
    return 1;
}

static int plan_ini_key(void *user, const char *section, const char *name, const char *value)
{
    smp_plan *plan = user;
    smp_error *err = plan->cur_err;
    plan_scan *sc = plan->scan;
    int call = sc->call++;
    if (err->status != SMP_OK) return 1; /* report only the first fault */
    int line = call < sc->ncalls ? sc->line[call] : 0;
    if (call < sc->ncalls && sc->cont[call]) {
        if (sc->pend_id < 0) {
            smp_fail(err, SMP_EINPUT, 1, "an indented line continues only a key's value");
            sc->err_line = line;
            return 0;
        }
        size_t add = strlen(value);
        char *grown = realloc(sc->pend, sc->pend_len + add + 2);
        if (!grown) { smp_fail(err, SMP_ENOMEM, 1, "out of memory"); sc->err_line = line; return 0; }
        sc->pend = grown;
        /* A quoted value whose line ends in a backslash goes on where it
         * stopped; a list goes on after a space. */
        if (quoted_goes_on(sc->pend, sc->pend_len)) sc->pend_len--;
        else sc->pend[sc->pend_len++] = ' ';
        memcpy(sc->pend + sc->pend_len, value, add + 1);
        sc->pend_len += add;
        return 1;
    }
    if (!plan_flush(plan)) return 1;
    sc->err_line = line;
    plan->keys_in_file++;
    if (!strcmp(name, "preset") && !strcmp(section, "plan")) {
        if (plan->keys_in_file != 1) {
            smp_fail(err, SMP_EINPUT, 1, "preset must be the first key of the plan");
            return 0;
        }
        if (plan->depth > 4) {
            smp_fail(err, SMP_EINPUT, 1, "presets nest more than 4 deep");
            return 0;
        }
        char path[4096];
        smp_error sub = {0};
        if (smp_preset_find(value, path, sizeof path, &sub) != SMP_OK) {
            smp_fail(err, SMP_EINPUT, 1, "%s", sub.msg);
            return 0;
        }
        /* Load the preset with its own parsing state, then restore ours. */
        const char *save_path = plan->cur_path;
        char *save_dir = plan->cur_dir;
        unsigned char save_seen[O_COUNT];
        int save_keys = plan->keys_in_file;
        memcpy(save_seen, plan->seen, sizeof save_seen);
        plan->cur_dir = NULL;
        plan->depth++;
        smp_status st = smp_plan_load(plan, path, &sub);
        plan->depth--;
        free(plan->cur_dir);
        plan->cur_path = save_path; plan->cur_dir = save_dir;
        plan->keys_in_file = save_keys;
        plan->cur_err = err;
        memcpy(plan->seen, save_seen, sizeof save_seen);
        if (st != SMP_OK) {
            smp_fail(err, SMP_EINPUT, 1, "in preset '%s': %s", value, sub.msg);
            return 0;
        }
        return 1;
    }
    int id = find_option(name);
    if (id < 0) {
        smp_fail(err, SMP_EINPUT, 1, "unknown key '%s'", name);
        return 0;
    }
    if (strcmp(section, options[id].info.section)) {
        smp_fail(err, SMP_EINPUT, 1, "key '%s' belongs in section [%s], not [%s]", name,
                 options[id].info.section, section);
        return 0;
    }
    if (plan->seen[id]) {
        smp_fail(err, SMP_EINPUT, 1, "duplicate key '%s'", name);
        return 0;
    }
    plan->seen[id] = 1;
    /* Gathered until the next key, for continuation lines. */
    size_t n = strlen(value);
    char *v = malloc(n + 1);
    if (!v) { smp_fail(err, SMP_ENOMEM, 1, "out of memory"); return 0; }
    memcpy(v, value, n + 1);
    free(sc->pend);
    sc->pend = v;
    sc->pend_len = n;
    sc->pend_id = id;
    sc->pend_line = line;
    return 1;
}

/* Mirrors inih's reading of BUF: fills SC with the handler calls to come;
 * returns the first line over PLAN_MAX_LINE, or 0. */
static int plan_prescan(const char *buf, size_t len, plan_scan *sc)
{
    int lines = 1;
    for (size_t i = 0; i < len; i++) lines += buf[i] == '\n';
    sc->cont = calloc((size_t)lines, 1);
    sc->line = calloc((size_t)lines, sizeof *sc->line);
    if (!sc->cont || !sc->line) return -1;
    int lineno = 0, have_name = 0;
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && buf[end] != '\n') end++;
        lineno++;
        size_t n = end - i;
        if (n && buf[end - 1] == '\r') n--;
        if (n > PLAN_MAX_LINE) return lineno;
        size_t a = i, b = i + n;
        while (a < b && isspace((unsigned char)buf[a])) a++;
        while (b > a && isspace((unsigned char)buf[b - 1])) b--;
        if (a == b || buf[a] == ';' || buf[a] == '#') {
            /* blank or comment: no call */
        } else if (have_name && a > i) {
            sc->cont[sc->ncalls] = 1;
            sc->line[sc->ncalls++] = lineno;
        } else if (buf[a] == '[') {
            have_name = 0;
        } else if (memchr(buf + a, '=', b - a) || memchr(buf + a, ':', b - a)) {
            sc->line[sc->ncalls++] = lineno;
            have_name = 1;
        } else if (!sc->syntax_line) {
            sc->syntax_line = lineno;
        }
        i = end + 1;
    }
    return 0;
}

smp_status smp_plan_load(smp_plan *plan, const char *path, smp_error *err)
{
    smp_error local = {0};
    FILE *f = fopen(path, "r");
    if (!f) return smp_fail(err, SMP_EINPUT, 1, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
        fclose(f);
        return smp_fail(err, SMP_EINPUT, 1, "%s: not a regular file", path);
    }
    /* The whole file, at most 1 MB, read once: the size is what is read,
     * whatever fstat said. */
    char *buf = malloc((1 << 20) + 2);
    if (!buf) { fclose(f); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
    size_t len = fread(buf, 1, (1 << 20) + 1, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr) { free(buf); return smp_fail(err, SMP_EINPUT, 1, "%s: read error", path); }
    if (len > 1 << 20) { free(buf); return smp_fail(err, SMP_ELIMIT, 1, "%s: larger than 1 MB, not a plan file", path); }
    buf[len] = 0;
    if (memchr(buf, 0, len)) { free(buf); return smp_fail(err, SMP_EINPUT, 1, "%s: not a text file", path); }
    /* As editors save it: a UTF-8 byte-order mark is dropped, and lines
     * may end in CR LF or a lone CR (old Mac editors) as well as LF. */
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) memmove(buf, buf + 3, (len -= 3) + 1);
    size_t kept = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\r') buf[kept++] = buf[i];
        else if (buf[i + 1] != '\n') buf[kept++] = '\n';
    }
    buf[len = kept] = 0;
    plan_scan sc = {.pend_id = -1};
    int over = plan_prescan(buf, len, &sc);
    smp_status result = SMP_OK;
    if (over) {
        result = over < 0 ? smp_fail(err, SMP_ENOMEM, 0, "out of memory")
                          : smp_fail(err, SMP_ELIMIT, 1,
                                     "%s:%d: line longer than %d characters (continue a long list on indented lines)",
                                     path, over, PLAN_MAX_LINE);
        goto done;
    }
    free(plan->cur_dir);
    const char *slash = strrchr(path, '/');
    if (slash) {
        size_t n = (size_t)(slash - path);
        plan->cur_dir = malloc(n + 2);
        if (plan->cur_dir) { memcpy(plan->cur_dir, path, n ? n : 1); plan->cur_dir[n ? n : 1] = 0; }
    } else {
        plan->cur_dir = NULL;
    }
    plan_scan *outer = plan->scan;
    plan->scan = &sc;
    plan->cur_path = path;
    plan->cur_err = &local;
    plan->keys_in_file = 0;
    memset(plan->seen, 0, sizeof plan->seen);
    ini_parse_string(buf, plan_ini_key, plan);
    if (local.status == SMP_OK) plan_flush(plan);
    plan->scan = outer;
    free(plan->cur_dir);
    plan->cur_dir = NULL;
    if (sc.syntax_line && (local.status == SMP_OK || sc.syntax_line < sc.err_line))
        result = smp_fail(err, SMP_EINPUT, 1, "%s:%d: not a key = value line or [section]", path, sc.syntax_line);
    else if (local.status != SMP_OK)
        result = smp_fail(err, local.status == SMP_ENOMEM ? SMP_ENOMEM : SMP_EINPUT, 1, "%s:%d: %s", path,
                          sc.err_line, local.msg);
done:
    free(sc.cont);
    free(sc.line);
    free(sc.pend);
    free(buf);
    return result;
}

/* ---- presets ---- */

/* ./presets, $SMPSIM_PRESETS, beside the program for a build that is not
 * installed (BINDIR/../presets, as build/smpsim in the source folder, and
 * BINDIR/presets), then the installed PREFIX/share/smpsim/presets. */
#define MAX_PRESET_DIRS 5
static int preset_dirs(const char *dirs[MAX_PRESET_DIRS])
{
    static char beside[2][4200];
    int n = 0;
    dirs[n++] = "presets";
    const char *env = getenv("SMPSIM_PRESETS");
    if (env && *env) dirs[n++] = env;
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 100);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(beside[0], sizeof beside[0], "%s/../presets", exe);
            snprintf(beside[1], sizeof beside[1], "%s/presets", exe);
            dirs[n++] = beside[0];
            dirs[n++] = beside[1];
        }
    }
    dirs[n++] = SMP_PRESET_DIR;
    return n;
}

static int valid_preset_name(const char *name)
{
    if (!*name || strlen(name) > 64) return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
            return 0;
    return 1;
}

smp_status smp_preset_find(const char *name, char *buf, size_t bufsize, smp_error *err)
{
    const char *dirs[MAX_PRESET_DIRS];
    int n = preset_dirs(dirs);
    if (valid_preset_name(name)) {
        for (int i = 0; i < n; i++) {
            snprintf(buf, bufsize, "%s/%s.smp", dirs[i], name);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) return SMP_OK;
        }
    }
    return smp_fail(err, SMP_EVALUE, 0, "unknown preset '%s' ('smpsim presets' lists them)", name);
}

typedef struct { char description[256]; } desc_ctx;

static int desc_handler(void *user, const char *section, const char *name, const char *value)
{
    desc_ctx *d = user;
    if (!strcmp(section, "plan") && !strcmp(name, "description"))
        snprintf(d->description, sizeof d->description, "%s", value);
    return 1;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void smp_presets_each(smp_preset_fn fn, void *ctx)
{
    const char *dirs[MAX_PRESET_DIRS];
    int nd = preset_dirs(dirs);
    char *names[512];
    int nn = 0;
    for (int i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d) continue;
        struct dirent *de;
        while ((de = readdir(d)) && nn < 512) {
            size_t l = strlen(de->d_name);
            if (l < 5 || strcmp(de->d_name + l - 4, ".smp")) continue;
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(l - 4), de->d_name);
            if (!valid_preset_name(name)) continue;
            int dup = 0;
            for (int k = 0; k < nn; k++) dup |= !strcmp(names[k], name);
            if (!dup && (names[nn] = xstrdup(name))) nn++;
        }
        closedir(d);
    }
    qsort(names, (size_t)nn, sizeof *names, cmp_str);
    for (int k = 0; k < nn; k++) {
        char path[4096];
        desc_ctx dc = {""};
        if (smp_preset_find(names[k], path, sizeof path, NULL) == SMP_OK) {
            ini_parse(path, desc_handler, &dc);
            fn(names[k], path, dc.description, ctx);
        }
        free(names[k]);
    }
}

smp_status smp_plan_load_preset(smp_plan *plan, const char *name, smp_error *err)
{
    char path[4096];
    smp_status st = smp_preset_find(name, path, sizeof path, err);
    if (st != SMP_OK) return st;
    plan->reading_preset = 1;
    st = smp_plan_load(plan, path, err);
    plan->reading_preset = 0;
    return st;
}

/* ---- resolve ---- */

smp_status smp_plan_resolve(smp_plan *plan, smp_error *err)
{
    settings *s = &plan->s;
    char buf[256];
    settings_clear(s);
    for (int id = 0; id < O_COUNT; id++) {
        const entry *e = &plan->e[id];
        const char *v = e->value ? e->value : options[id].info.fallback;
        if (!v) continue;
        const char *why = apply(s, id, v, NULL, buf, sizeof buf);
        if (why) /* cannot happen for values checked when set, nor for defaults */
            return smp_fail(err, SMP_EVALUE, e->from_file, "%s: %s", e->origin ? e->origin : options[id].info.name, why);
    }
    /* Checked before anything is written, so that no output is left
     * behind by a failure that could be foreseen. */
    const entry *sa = &plan->e[O_SAVE_AREA];
    if (s->save_area && !s->photo)
        return smp_fail(err, SMP_EVALUE, sa->from_file, "%s: --save-area needs a photo", s->save_area);
    if (s->save_area && smp_format_from_path(s->save_area) != SMP_FMT_PNG)
        return smp_fail(err, SMP_EVALUE, sa->from_file, "%s: the area is saved as a PNG", s->save_area);
    const entry *area = &plan->e[O_AREA_MASK];
    if (s->area_mask && s->scale <= 0 && !s->photo)
        return smp_fail(err, SMP_EVALUE, area->from_file, "%s: --area-mask needs --scale PX_PER_MM", area->origin);
    if (s->area_mask && s->polygon)
        return smp_fail(err, SMP_EVALUE, area->from_file, "%s: give --area-mask or --area-polygon, not both", area->origin);
    if (!s->area_mask && !s->polygon && s->area_w <= 0 && !s->photo)
        return smp_fail(err, SMP_EVALUE, 0, "no treatment area: give --area-mm W,H, --area-polygon or --area-mask");
    const entry *an = &plan->e[O_ANCHORS];
    if (s->has_anchors) {
        vec2 L = s->anchors[0], F = s->anchors[1], R = s->anchors[2];
        double w = v2_len(v2_sub(R, L));
        if (w < 10)
            return smp_fail(err, SMP_EVALUE, an->from_file, "%s: the temple points are %.1f mm apart; they must be at least 10 mm apart", an->origin, w);
        vec2 M = v2_scale(v2_add(L, R), 0.5), e = v2_scale(v2_sub(R, L), 1 / w);
        double along = v2_dot(v2_sub(F, M), e);
        if (fabs(along) > 0.5 * w)
            return smp_fail(err, SMP_EVALUE, an->from_file, "%s: the front midpoint must lie between the temple points", an->origin);
        if (s->shape == SHAPE_NONE) s->shape = SHAPE_ROUNDED;
    }
    if (s->anchors_auto) {
        if (!s->photo)
            return smp_fail(err, SMP_EVALUE, an->from_file, "%s: auto needs a photo with the face in it", an->origin);
        if (s->shape == SHAPE_NONE) s->shape = SHAPE_ROUNDED;
    }
    /* Sessions: default shares from docs/domain.md, the share count must match,
     * and --show session=K must name one of them. */
    static const double defaults[6][6] = {
        {1}, {0.6, 0.4}, {0.40, 0.35, 0.25}, {0.35, 0.30, 0.20, 0.15},
        {0.30, 0.25, 0.20, 0.15, 0.10}, {0.25, 0.20, 0.20, 0.15, 0.10, 0.10}};
    const entry *sh = &plan->e[O_SESSION_SHARES];
    if (s->n_shares && s->n_shares != s->sessions)
        return smp_fail(err, SMP_EVALUE, sh->from_file, "%s: %d shares for %d sessions", sh->origin, s->n_shares,
                        s->sessions);
    if (!s->n_shares) {
        memcpy(s->shares, defaults[s->sessions - 1], sizeof s->shares);
        s->n_shares = s->sessions;
    }
    const entry *aa = &plan->e[O_AREA_AUTO];
    if (s->area_auto && !s->photo)
        return smp_fail(err, SMP_EVALUE, aa->from_file, "%s: auto needs a photo to find the scalp in", aa->origin);
    if (s->area_auto && (s->polygon || s->area_mask))
        return smp_fail(err, SMP_EVALUE, aa->from_file, "%s: give auto, --area-polygon or --area-mask, one of them", aa->origin);
    const entry *md = &plan->e[O_MODE];
    if (s->thinning && !s->photo)
        return smp_fail(err, SMP_EVALUE, md->from_file, "%s: thinning needs a photo to find the scalp", md->origin);
    const entry *dl = &plan->e[O_DILUTION];
    if (s->dilution_auto && !s->photo)
        return smp_fail(err, SMP_EVALUE, dl->from_file, "%s: auto needs a photo to measure", dl->origin);
    const entry *de = &plan->e[O_DENSITY];
    if (s->density_auto && (!s->photo || (!s->patch_poly && !s->patch_mask)))
        return smp_fail(err, SMP_EVALUE, de->from_file,
                        "%s: auto needs a photo and --patch-mask or --patch-polygon: it matches the hair around the patches",
                        de->origin);
    /* A preset's frame is for layouts without a photo; on a photo, where
     * the dots go is the user's to say (or --area auto's). */
    if (s->photo && plan->e[O_AREA_MM].from_preset) s->area_w = s->area_h = 0;
    const entry *mt = &plan->e[O_MATCH];
    if (s->match_auto && !s->photo)
        return smp_fail(err, SMP_EVALUE, mt->from_file, "%s: auto needs a photo with the client's hair in it", mt->origin);
    if (s->match_auto && s->density_auto)
        return smp_fail(err, SMP_EVALUE, mt->from_file, "%s: auto and --density auto both choose the density: give one",
                        mt->origin);
    const entry *sv = &plan->e[O_SHAVE];
    if (s->shave && !s->photo)
        return smp_fail(err, SMP_EVALUE, sv->from_file, "%s: needs a photo with the hair to cut", sv->origin);
    if (s->shave && s->thinning)
        return smp_fail(err, SMP_EVALUE, sv->from_file, "%s: thinning keeps the client's hair; give one of them",
                        sv->origin);
    const entry *sw = &plan->e[O_SHOW];
    if (s->show_session > s->sessions)
        return smp_fail(err, SMP_EVALUE, sw->from_file, "%s: session=%d, but the plan has %d sessions", sw->origin,
                        s->show_session, s->sessions);
    if (s->hl_points && (s->has_anchors || s->anchors_auto))
        return smp_fail(err, SMP_EVALUE, an->from_file, "%s: give --anchors or --hairline-points, not both", an->origin);
    plan->resolved = 1;
    return SMP_OK;
}

static const char *const sections[] = {"plan",     "photo",    "area",   "density", "hairline", "regions",
                                       "dots",     "sessions", "render", "print",   "output"};

const char *smp_option_section(size_t i) { return i < sizeof sections / sizeof *sections ? sections[i] : NULL; }

/* "name = value", a long list carried on over indented lines, broken at
 * spaces, so that every line stays within PLAN_MAX_LINE and reads back. */
/* Whether V must be written quoted to read back the same: a semicolon,
 * quote or backslash, spaces at either end or two together, or text too
 * long for one line (a list of numbers wraps at its spaces instead). */
static int needs_quotes(const char *v)
{
    size_t n = strlen(v);
    if (!n) return 0;
    if (strpbrk(v, ";\"\\") || v[0] == ' ' || v[n - 1] == ' ' || strstr(v, "  ")) return 1;
    return n > DUMP_CHUNK && strspn(v, "0123456789.,:+-eE |") != n;
}

static void dump_quoted(FILE *out, const char *v)
{
    fputc('"', out);
    size_t col = 0;
    for (const char *p = v; *p; p++) {
        /* Break before a character that starts one (never inside UTF-8). */
        if (col >= DUMP_CHUNK && ((unsigned char)*p & 0xc0) != 0x80) {
            fputs("\\\n    ", out);
            col = 0;
        }
        if (*p == '\\' || *p == '"' || *p == ';') col += (size_t)fprintf(out, "\\%c", *p);
        else if (*p == ' ' && col == 0 && p != v) col += (size_t)fprintf(out, "\\s");
        else { fputc(*p, out); col++; }
    }
    fputs("\"\n", out);
}

static void dump_value(FILE *out, const char *name, const char *v)
{
    fprintf(out, "%s =", name);
    if (needs_quotes(v)) {
        fputc(' ', out);
        dump_quoted(out, v);
        return;
    }
    size_t col = strlen(name) + 2, width = 100;
    while (*v) {
        while (*v == ' ') v++;
        size_t w = strcspn(v, " ");
        if (!w) break;
        if (col > strlen(name) + 2 && col + 1 + w > width) {
            fputs("\n   ", out);
            col = 3;
        }
        fprintf(out, " %.*s", (int)w, v);
        col += 1 + w;
        v += w;
    }
    fputc('\n', out);
}

void smp_plan_dump(const smp_plan *plan, FILE *out) { plan_dump_photo_as(plan, out, NULL); }

void plan_dump_photo_as(const smp_plan *plan, FILE *out, const char *photo)
{
    fprintf(out, "; smpsim %s effective plan\n", SMP_VERSION);
    for (size_t k = 0; k < sizeof sections / sizeof *sections; k++) {
        int header = 0;
        for (int id = 0; id < O_COUNT; id++) {
            const char *v = plan->e[id].value ? plan->e[id].value : options[id].info.fallback;
            if (!v || strcmp(options[id].info.section, sections[k])) continue;
            if (!header) fprintf(out, "\n[%s]\n", sections[k]);
            header = 1;
            /* Files as absolute paths, so the dump works from anywhere. */
            char *abs = NULL;
            if (id == O_PHOTO && photo) v = photo;
            else if (plan->e[id].value && is_path_option(id) && id != O_SAVE_AREA && id != O_SHEET) abs = realpath(v, NULL);
            dump_value(out, options[id].info.name, abs ? abs : v);
            free(abs);
        }
    }
}

size_t plan_input_files(const settings *s, const char *out[PLAN_MAX_INPUTS])
{
    /* Every file-valued option a run reads: an output must be none of
     * them (kept beside the option table: a new file option goes here). */
    const char *all[PLAN_MAX_INPUTS] = {s->photo,      s->area_mask,  s->exclude_mask, s->density_map,
                                        s->scar_mask,  s->patch_mask, s->logo,         s->notes};
    size_t n = 0;
    for (size_t i = 0; i < PLAN_MAX_INPUTS; i++)
        if (all[i]) out[n++] = all[i];
    return n;
}

void plan_scale_photo_px(smp_plan *plan, double k)
{
    settings *s = &plan->s;
    size_t excl_total = 0;
    for (size_t i = 0; i < s->excl_count; i++) excl_total += s->excl_n[i];
    vec2 *lists[] = {s->polygon, s->hl_points, s->scar_line, s->patch_poly, s->excl};
    size_t counts[] = {s->polygon_n, s->hl_n, s->scar_n, s->patch_n, excl_total};
    for (size_t l = 0; l < 5; l++)
        for (size_t i = 0; lists[l] && i < counts[l]; i++) lists[l][i] = v2_scale(lists[l][i], k);
    for (int i = 0; i < 3; i++) s->anchors[i] = v2_scale(s->anchors[i], k);
    s->ruler_px *= k;
    s->scale *= k;
}

const char *plan_given(const smp_plan *plan, size_t i) { return i < O_COUNT ? plan->e[i].value : NULL; }
