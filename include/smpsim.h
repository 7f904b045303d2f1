/* smpsim: scalp micropigmentation simulator, public interface.
 *
 * The library core never exits, never prints and never reads argv.  Every
 * function that can fail returns an smp_status and, when given a non-NULL
 * smp_error, fills in a one-line message that names the file or option at
 * fault.  Handles are opaque; every _free accepts NULL.
 *
 * The pipeline is one-way: plan -> scene -> fields -> layout -> (render ->
 * compose) -> write.  smp_layout_new() runs the stages up to the layout. */
#ifndef SMPSIM_H
#define SMPSIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SMP_MUST_CHECK __attribute__((warn_unused_result))
#else
#define SMP_MUST_CHECK
#endif

#define SMP_VERSION "0.1.0"

typedef enum smp_status {
    SMP_OK = 0,
    SMP_EVALUE,  /* a value the caller gave is malformed or out of range */
    SMP_EINPUT,  /* an input file is missing, unreadable or malformed */
    SMP_EOUTPUT, /* an output could not be written */
    SMP_ELIMIT,  /* the request exceeds a limit (dots, pixels, sizes) */
    SMP_ENOMEM   /* out of memory */
} smp_status;

typedef struct smp_error {
    smp_status status;
    /* Where the bad value came from: 0 = the caller (command line),
     * 1 = a file (plan, preset, mask, CSV). */
    int from_file;
    char msg[512];
} smp_error;

/* Dot kinds, from the face inward. */
typedef enum smp_dot_kind {
    SMP_DOT_REGULAR = 0,
    SMP_DOT_TRANSITION = 1,
    SMP_DOT_SENTINEL = 2
} smp_dot_kind;

typedef struct smp_dot {
    double x_mm, y_mm;   /* x right, y down, origin top-left of the area */
    double diameter_mm;  /* of the pigment deposit, as rendered */
    double darkness;     /* 0..1: how opaque the deposit's ink is (dilution, session, state) */
    int session;         /* 1-based */
    smp_dot_kind kind;
    int blown;           /* 1 for a blown-out deposit: deeper, wider, fainter, cooler */
    int fresh;           /* 1 in the first days after its session */
    double depth_mm;     /* of the deposit under the skin's surface; 0 until the pigment stage sets it */
} smp_dot;

/* ---- plan: defaults, preset, plan file and options merged ---- */
typedef struct smp_plan smp_plan;

smp_plan *smp_plan_new(void);
void smp_plan_free(smp_plan *plan);
/* Sets option KEY (a long option name, e.g. "density") to VALUE.  ORIGIN
 * names where it came from for messages ("--density" or "plan.smp:12");
 * FROM_FILE says whether a bad value is an input error (exit 2) or a usage
 * error (exit 1).  Values are checked when the plan is resolved. */
smp_status smp_plan_set(smp_plan *plan, const char *key, const char *value,
                        const char *origin, int from_file, smp_error *err) SMP_MUST_CHECK;
/* Reads an INI plan file; later keys override earlier ones. */
smp_status smp_plan_load(smp_plan *plan, const char *path, smp_error *err) SMP_MUST_CHECK;
/* Finds NAME.smp on the preset path and loads it. */
smp_status smp_plan_load_preset(smp_plan *plan, const char *name, smp_error *err) SMP_MUST_CHECK;
/* Checks every value and builds the typed settings; must succeed before a
 * layout is made. */
smp_status smp_plan_resolve(smp_plan *plan, smp_error *err) SMP_MUST_CHECK;
/* Writes the effective plan as an INI file. */
void smp_plan_dump(const smp_plan *plan, FILE *out);
uint64_t smp_plan_seed(const smp_plan *plan);
double smp_plan_dilution(const smp_plan *plan);
/* --save-area's path, or NULL. */
const char *smp_plan_save_area(const smp_plan *plan);

/* The option table, shared by the CLI and plan files. */
typedef struct smp_option_info {
    const char *name;     /* long option and plan key */
    const char *section;  /* plan file section */
    const char *metavar;  /* NULL for a yes/no flag */
    const char *help;     /* one line */
    const char *fallback; /* default as text, NULL when unset */
} smp_option_info;
size_t smp_option_count(void);
const smp_option_info *smp_option_at(size_t i);
/* The plan file's sections in the order files and help list them; NULL
 * past the last. */
const char *smp_option_section(size_t i);

/* Preset path: ./presets, $SMPSIM_PRESETS, PREFIX/share/smpsim/presets.
 * Calls FN for each preset found (first occurrence of a name wins). */
typedef void (*smp_preset_fn)(const char *name, const char *path,
                              const char *description, void *ctx);
void smp_presets_each(smp_preset_fn fn, void *ctx);
/* Writes the path of preset NAME into BUF; SMP_EVALUE when not found. */
smp_status smp_preset_find(const char *name, char *buf, size_t bufsize, smp_error *err) SMP_MUST_CHECK;

/* ---- layout ---- */
typedef struct smp_layout smp_layout;

typedef struct smp_layout_stats {
    size_t dots;
    double area_cm2;        /* treated area */
    double expected_dots;   /* integral of the density field */
    double mean_density;    /* dots / cm^2 over the treated area */
    double px_per_mm_tile;  /* unused by callers; kept for reports */
    double seconds_scene, seconds_field, seconds_layout;
    double tile_period_mm;  /* period of the underlying point set */
} smp_layout_stats;

smp_status smp_layout_new(const smp_plan *plan, smp_layout **out, smp_error *err) SMP_MUST_CHECK;
void smp_layout_free(smp_layout *layout);
size_t smp_layout_count(const smp_layout *layout);
const smp_dot *smp_layout_dots(const smp_layout *layout);
void smp_layout_get_stats(const smp_layout *layout, smp_layout_stats *stats);
/* Frame size in mm (the area's bounding rectangle from the origin). */
void smp_layout_frame(const smp_layout *layout, double *w_mm, double *h_mm);

/* 0 without a photo; 1 with a photo at a given or measured scale; when
 * it was estimated (say so to the user), 2 from the anchors, 3 from the
 * face, 4 from the head's breadth. */
int smp_layout_photo_scale(const smp_layout *layout, double *px_per_mm);

/* Renders the layout on its photo with the pigment model, composes the
 * picture the plan asks for (after, side, split, stack, overlay) and writes
 * it as PNG or JPEG, atomically. */
smp_status smp_preview_write(const smp_layout *layout, const smp_plan *plan, const char *path,
                             smp_error *err) SMP_MUST_CHECK;

/* The patient mock-up: a multi-page PDF at true scale (print.c). */
smp_status smp_print_write(const smp_layout *layout, const smp_plan *plan, const char *path,
                           smp_error *err) SMP_MUST_CHECK;

/* The same, saying how long rendering, composing and encoding took. */
smp_status smp_preview_write_timed(const smp_layout *layout, const smp_plan *plan, const char *path,
                                   double seconds[3], smp_error *err) SMP_MUST_CHECK;

/* ---- shade: skin and hair colour, and a dilution to start from ---- */
typedef struct smp_shade {
    double skin_lab[3], hair_lab[3]; /* CIELAB (D65) */
    double dilution;                 /* water parts to one part pigment */
    uint8_t dot_rgb[3];              /* a healed dot's colour on this skin */
    uint8_t skin_rgb[3];
    char reason[256];                /* one plain sentence */
} smp_shade;

/* Measures the plan's photo inside its treatment area (positions in photo
 * pixels; the whole photo when no area is given). */
smp_status smp_shade_photo(const smp_plan *plan, smp_shade *out, smp_error *err) SMP_MUST_CHECK;
/* The shade the layout used when the plan says --dilution auto; 0 when it
 * did not. */
int smp_layout_shade(const smp_layout *layout, smp_shade *out);

/* --density auto: the density chosen to match the hair around the
 * alopecia patches, and what it was measured from. */
typedef struct smp_density_match {
    double density;          /* dots/cm^2 */
    double darkness;         /* the plan's, or more when the hair is darker than 115 dots/cm^2 give */
    double dilution;         /* the plan's, or less (only with --dilution auto) */
    double inside, around;   /* mean grey (0-255) in the patches and around them */
    int limited;             /* 1: the hair asked for more (or less) than the limits */
    char reason[256];        /* one plain sentence */
} smp_density_match;
/* 1 and the match when the plan says --density auto, 0 otherwise. */
int smp_layout_density_match(const smp_layout *layout, smp_density_match *out);

/* --match auto: the client's own short hair or stubble around the area,
 * measured in the photo, and the dots chosen to read like it. */
typedef struct smp_hair_match {
    int found;               /* 1: stubble found and matched; 0: none, the plan's dots kept */
    int light;               /* 1: the stubble is no darker than the skin: a light, greyer result */
    int limited;             /* 1: realistic density and size cannot darken as much */
    int long_hair;           /* 1: long hair lies round the area, not stubble (found is 0) */
    double skin_lab[3];      /* the bare skin inside the area, next to its edge (CIELAB) */
    double stubble_lab[3];   /* the stubble around it */
    double skin_grain, stubble_grain; /* standard deviation of L* */
    double density, dot_mm, depth_mm, dilution; /* chosen */
    int undertone;           /* chosen: 0 cool, 1 neutral, 2 warm (--undertone) */
    double expect_lab[3];    /* what the chosen dots should make of the skin */
    double expect_grain;
    char reason[400];        /* one plain line: what it measured and chose */
} smp_hair_match;
/* 1 and the match when the plan says --match auto, 0 otherwise. */
int smp_layout_hair_match(const smp_layout *layout, smp_hair_match *out);

/* Removes the temporary file of an output being written, if any, and
 * returns the name that output was for (NULL when none was being written);
 * safe to call from a signal handler (Ctrl-C, SIGTERM). */
const char *smp_discard_partial_output(void);

/* --area auto: the confidence of the scalp found (0..1), 0 otherwise. */
double smp_layout_area_confidence(const smp_layout *layout);
/* How soft the photo is round the area (focus, motion, a phone's
 * processing), as the sigma in mm of a Gaussian blur; the dots drawn on it
 * are softened as much.  0 without a photo or on a sharp one. */
double smp_layout_photo_softness(const smp_layout *layout);
/* A note on a choice the layout made for the user (say, a scalp found
 * that may reach into a face), or NULL: the first of them. */
const char *smp_layout_note(const smp_layout *layout);
/* The I-th such note (from 0), or NULL past the last. */
const char *smp_layout_note_at(const smp_layout *layout, int i);
/* --anchors auto: a line giving the anchors suggested from the face and
 * how, to print for the practitioner to adopt or adjust; NULL otherwise. */
const char *smp_layout_suggestion(const smp_layout *layout);
/* --anchors auto: XY gets the left temple, front midpoint and right
 * temple suggested, in photo px (x, y each); 0 when there are none. */
int smp_layout_anchors_auto(const smp_layout *layout, double xy[6]);
/* What the scene found in the photo and keeps out of the area, in photo
 * px (x0, y0, x1, y1): the ears' boxes in EARS (*N_EARS of them, up to 2,
 * left to right) and, when it returns 1, the face's box in FACE.  Nothing
 * when none was looked for (see the man page's --compose guides). */
int smp_layout_kept_out(const smp_layout *layout, double face[4], double ears[2][4], int *n_ears);
/* Writes the treatment area as a mask PNG of the photo's size (white =
 * treat), atomically, for correcting in an image editor. */
smp_status smp_layout_save_area(const smp_layout *layout, const char *path, smp_error *err) SMP_MUST_CHECK;

/* Output format from a path's extension. */
typedef enum smp_format {
    SMP_FMT_UNKNOWN = 0, SMP_FMT_CSV, SMP_FMT_JSON, SMP_FMT_SVG, SMP_FMT_PNG, SMP_FMT_JPEG, SMP_FMT_PDF
} smp_format;
smp_format smp_format_from_path(const char *path);
/* Writes the layout atomically (temporary file in the same directory, then
 * rename).  "-" writes CSV or JSON to stdout. */
smp_status smp_layout_write(const smp_layout *layout, const smp_plan *plan,
                            const char *path, smp_error *err) SMP_MUST_CHECK;

/* ---- analyze: the quality.md layout metrics ---- */
typedef struct smp_quality {
    size_t dots;
    double expected;          /* integral of lambda over the area */
    double count_ratio;       /* dots / expected */
    size_t cells;             /* 10 mm cells wholly inside */
    double cell_err_median, cell_err_p95;
    size_t rho_dots;          /* dots >= 3 mm inside */
    double rho_p5, rho_median, rho_cv;
    int spectrum_done;        /* 1 when the layout was uniform and >= 256 mm */
    double spectrum_mean, spectrum_peak_ratio;
} smp_quality;

/* Reads a dots CSV (header, then x_mm,y_mm,...). Caller frees *dots. */
smp_status smp_dots_read_csv(const char *path, smp_dot **dots, size_t *n, smp_error *err) SMP_MUST_CHECK;
/* Metrics for dots in a W x H mm rectangle with density D1 at the left edge
 * and D2 at the right edge (dots/cm^2). */
smp_status smp_analyze_rect(const smp_dot *dots, size_t n, double w_mm, double h_mm,
                            double d1, double d2, smp_quality *q, smp_error *err) SMP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
