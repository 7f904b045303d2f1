#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"

static size_t count(const char *hay, size_t n, const char *needle)
{
    size_t k = 0, m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) k += !memcmp(hay + i, needle, m);
    return k;
}

START_TEST(three_pages_at_paper_size)
{
    static const char *papers[] = {"paper=a4", "paper=letter"};
    static const char *boxes[] = {"/MediaBox [ 0 0 595.275591 841.889764 ]", "/MediaBox [ 0 0 612 792 ]"};
    for (int i = 0; i < 2; i++) {
        smp_plan *p = test_plan("photo=samples/top.jpg", "scale=4", "area-polygon=0,0 800,0 800,800 0,800", "hairline=rounded",
                                "anchors=190,610:400,700:610,610", papers[i], NULL);
        smp_layout *L;
        smp_error err = {0};
        ck_assert_msg(smp_layout_new(p, &L, &err) == SMP_OK, "%s", err.msg);
        char path[] = "/tmp/smpsim-print-XXXXXX.pdf";
        close(mkstemps(path, 4));
        ck_assert_msg(smp_print_write(L, p, path, &err) == SMP_OK, "%s", err.msg);
        FILE *f = fopen(path, "rb");
        char *buf = malloc(8 << 20);
        size_t n = fread(buf, 1, 8 << 20, f);
        fclose(f);
        ck_assert(n > 1000 && !memcmp(buf, "%PDF", 4));
        ck_assert_uint_eq(count(buf, n, "/Type /Page\n") + count(buf, n, "/Type /Page "), 3);
        ck_assert_msg(count(buf, n, boxes[i]) >= 1, "no %s", boxes[i]);
        /* Not a PDF path: refused, nothing written. */
        ck_assert_int_eq(smp_print_write(L, p, "/tmp/smpsim-print.png", &err), SMP_EVALUE);
        ck_assert_int_eq(access("/tmp/smpsim-print.png", F_OK), -1);
        free(buf);
        unlink(path);
        smp_layout_free(L);
        smp_plan_free(p);
    }
}
END_TEST

Suite *print_suite(void)
{
    Suite *s = suite_create("print");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, three_pages_at_paper_size);
    suite_add_tcase(s, tc);
    return s;
}
