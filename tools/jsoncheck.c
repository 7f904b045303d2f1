/* jsoncheck: the CLI tests' check that what smpsim wrote is valid JSON,
 * with jansson's own parser.  Usage: jsoncheck FILE (one document) or
 * jsoncheck --lines FILE (one document per line, as --json and batch
 * reports print).  Exit 0 when valid; else 1 and the first error. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int lines = argc == 3 && !strcmp(argv[1], "--lines");
    if (argc != 2 + lines) {
        fprintf(stderr, "usage: jsoncheck [--lines] FILE\n");
        return 2;
    }
    const char *path = argv[1 + lines];
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    json_error_t e;
    int bad = 0, n = 0;
    if (!lines) {
        json_t *j = json_loadf(f, JSON_DECODE_ANY, &e);
        bad = !j;
        json_decref(j);
        n = 1;
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        while (!bad && (len = getline(&line, &cap, f)) > 0) {
            n++;
            json_t *j = json_loadb(line, (size_t)len, JSON_DECODE_ANY, &e);
            bad = !j;
            json_decref(j);
        }
        free(line);
    }
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: document %d: %s (line %d, column %d)\n", path, n, e.text, e.line, e.column);
        return 1;
    }
    return 0;
}
