/* embed: a file as a C array, so the studio's page is built into the
 * binary.  Usage: embed NAME IN OUT.c  (defines NAME[] and NAME_len). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: embed NAME IN OUT.c\n");
        return 2;
    }
    FILE *in = fopen(argv[2], "rb"), *out = fopen(argv[3], "w");
    if (!in || !out) {
        perror(in ? argv[3] : argv[2]);
        return 2;
    }
    fprintf(out, "/* Made by tools/embed.c from %s; do not edit. */\n#include <stddef.h>\n", argv[2]);
    fprintf(out, "extern const unsigned char %s[];\nextern const size_t %s_len;\n", argv[1], argv[1]);
    fprintf(out, "const unsigned char %s[] = {", argv[1]);
    size_t n = 0;
    int c;
    for (; (c = fgetc(in)) != EOF; n++) fprintf(out, "%s%d", n == 0 ? "\n" : n % 24 ? "," : ",\n", c);
    fprintf(out, "%s0};\nconst size_t %s_len = %zu;\n", n ? "," : "", argv[1], n);
    if (ferror(in) || fclose(out)) {
        perror(argv[3]);
        return 2;
    }
    fclose(in);
    return 0;
}
