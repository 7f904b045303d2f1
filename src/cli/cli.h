/* The command-line front end: one file per subcommand, sharing the option
 * parsing here.  Exit status: 0 success, 1 usage error, 2 input or runtime
 * error.  Messages: "smpsim: WHAT: what is wrong", one line on stderr. */
#ifndef SMP_CLI_H
#define SMP_CLI_H
#include "smpsim.h"
#include "../json.h"

enum { EXIT_USAGE = 1, EXIT_INPUT = 2 };

typedef struct cli_common {
    const char *cmd;        /* "layout" */
    const char *output;     /* -o */
    const char *preset;
    const char *plan;
    const char *positional;
    const char *photo;      /* the positional argument when it is an image */
    int json, quiet, verbose, dump_plan;
    int positional_is_plan; /* set by the caller: PLAN may stand alone */
} cli_common;

/* Parses argv for a subcommand that takes plan options, loads preset, plan
 * and options into PLAN in that order, and resolves it.  Returns -1 to go
 * on, or an exit status (0 after --help/--version). */
int cli_parse_plan(int argc, char **argv, cli_common *c, smp_plan *plan,
                   void (*usage)(void));
/* Prints "smpsim: MSG" and returns the exit status for ERR. */
int cli_report(const smp_error *err);
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the general options of render and layout as --help lines; OUTPUT
 * says what -o writes. */
void cli_print_general_options(FILE *f, const char *output);
/* Monotonic seconds. */
double cli_now(void);
/* Refuses an output that is one of the inputs, or named twice (output.c's
 * output_check): the exit status, or 0. */
int cli_check_output(const cli_common *c, const smp_plan *plan);
/* The start of a command that writes one file: parses into PLAN, answers
 * --help, --version and --dump-plan, and checks -o: given (else "give -o
 * GIVE"), of a type the command writes (output.c's table), and none of
 * the inputs.  Returns -1 to go on, or an exit status. */
int cli_begin_output(int argc, char **argv, cli_common *c, smp_plan *plan, void (*usage)(void), const char *give);
/* Says on stderr what the layout measured in the photo (--dilution auto,
 * --density auto, --area auto), unless quiet or JSON. */
void cli_say_measured(const cli_common *c, const smp_layout *layout);
/* For commands drawing on a photo (cli_begin_output made sure there is
 * one): makes the layout and says what was estimated or measured (scale,
 * shade, area).  Returns -1 to go on, or an exit status. */
int cli_photo_layout(const cli_common *c, const smp_plan *plan, smp_layout **layout, double *scale);
/* Where a scale of smp_layout_photo_scale's KIND came from, for --json
 * and the studio: given, anchors, face or head. */
const char *cli_scale_from(int kind);
/* Prints the plan options as --help lines. */
void cli_print_plan_options(FILE *f);
/* Closes stdout and reports a failed write (a full disk never exits 0). */
int cli_finish(int status);

int cmd_layout(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_presets(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_shade(int argc, char **argv);
int cmd_print(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_studio(int argc, char **argv);

/* The message for getopt's '?': the unknown option, and the word it is in. */
int cli_unknown_option(const char *cmd, int argc, char **argv);

#endif
