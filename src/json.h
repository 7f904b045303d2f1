/* json: every JSON document the tool writes goes through jansson, built
 * as a tree and printed compact, keys in the order they were added.  These
 * helpers add what jansson leaves to its callers: text that may not be
 * valid UTF-8 (file names, messages quoting them), and numbers with the
 * decimals a reader needs rather than 17 digits of binary noise.
 *
 * The one exception is the dot rows of `layout -o DOTS.json` (millions of
 * them, numbers and fixed names only): export.c prints those itself, inside
 * a document whose strings come from here. */
#ifndef SMP_JSON_H
#define SMP_JSON_H
#include <jansson.h>
#include <stdio.h>

/* S as a JSON string; bytes that are not valid UTF-8 become U+FFFD.  NULL
 * gives JSON null. */
json_t *json_text(const char *s);

/* V rounded to DECIMALS places (printed without trailing binary digits). */
json_t *json_num(double v, int decimals);

/* A JSON array of N numbers rounded to DECIMALS. */
json_t *json_nums(const double *v, int n, int decimals);

/* Prints DOC compact on one line to F, then a newline, and releases DOC.
 * Returns 0, or -1 when DOC is NULL (out of memory) or writing failed. */
int json_print_line(FILE *f, json_t *doc);

/* DOC's compact text without a newline (free() it), releasing DOC; NULL
 * when out of memory. */
char *json_text_of(json_t *doc);

#endif
