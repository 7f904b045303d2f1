#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

json_t *json_text(const char *s)
{
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    /* Not valid UTF-8 (or out of memory): keep each sequence jansson takes
     * as one character, replace each byte it does not. */
    size_t n = strlen(s), k = 0;
    char *t = malloc(3 * n + 1);
    if (!t) return NULL;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = 0;
        if (c < 0x80) len = 1;
        for (size_t m = 2; !len && m <= 4 && i + m <= n; m++) {
            json_t *probe = json_stringn(s + i, m);
            if (probe) len = m;
            json_decref(probe);
        }
        if (len) {
            memcpy(t + k, s + i, len);
            k += len;
            i += len;
        } else {
            memcpy(t + k, "\xef\xbf\xbd", 3);
            k += 3;
            i++;
        }
    }
    t[k] = 0;
    j = json_string(t);
    free(t);
    return j;
}

json_t *json_num(double v, int decimals)
{
    if (!isfinite(v)) return json_null();
    double f = pow(10, decimals), r = round(v * f) / f;
    /* Whole numbers print as integers, as they did before jansson. */
    if (r == floor(r) && fabs(r) < 9e15) return json_integer((json_int_t)r);
    return json_real(r);
}

json_t *json_nums(const double *v, int n, int decimals)
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_num(v[i], decimals))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* 15 significant digits: a number rounded to a few decimals prints as
 * written, without the binary tail 17 would show. */
#define FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

int json_print_line(FILE *f, json_t *doc)
{
    if (!doc) return -1;
    int r = json_dumpf(doc, f, FLAGS);
    json_decref(doc);
    if (r != 0 || fputc('\n', f) == EOF) return -1;
    return 0;
}

char *json_text_of(json_t *doc)
{
    if (!doc) return NULL;
    char *s = json_dumps(doc, FLAGS);
    json_decref(doc);
    return s;
}
