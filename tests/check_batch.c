#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "check_suites.h"

static const char *manifest(const char *text)
{
    static char path[] = "/tmp/smpsim-manifest-XXXXXX";
    strcpy(path, "/tmp/smpsim-manifest-XXXXXX");
    int fd = mkstemp(path);
    ck_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    return path;
}

START_TEST(csv_and_lists)
{
    batch_manifest m;
    smp_error err = {0};
    const char *p = manifest("photo,plan,output,seed,client\n"
                             "a.jpg,,out/a.png,3,\"Doe, \"\"J\"\"\"\n"
                             "# a comment\n\n"
                             ",p.smp,b.csv,,\n");
    ck_assert_int_eq(batch_read(p, &m, &err), SMP_OK);
    ck_assert_uint_eq(m.n, 2);
    ck_assert_str_eq(m.jobs[0].photo, "/tmp/a.jpg");
    ck_assert_str_eq(m.jobs[0].output, "/tmp/out/a.png");
    ck_assert_str_eq(m.jobs[0].command, "render");
    ck_assert_str_eq(m.jobs[0].values[1], "Doe, \"J\"");
    ck_assert_str_eq(m.jobs[1].command, "layout");
    ck_assert_ptr_null(m.jobs[1].values[0]);
    ck_assert_int_eq(m.jobs[1].line, 5);
    batch_free(&m);
    unlink(p);
    p = manifest("one.smp\nsub/two.smp\n");
    ck_assert_int_eq(batch_read(p, &m, &err), SMP_OK);
    ck_assert_str_eq(m.jobs[1].output, "/tmp/sub/two.png");
    batch_free(&m);
    unlink(p);
}
END_TEST

START_TEST(bad_manifests)
{
    batch_manifest m;
    smp_error err = {0};
    /* An unknown column after an option column (found by fuzzing: the
     * option names read so far leaked). */
    const char *p = manifest("plan,output,seed,compose,frobnicate\ntop.smp,a.png,1,side,2\n");
    ck_assert_int_eq(batch_read(p, &m, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, ":1: unknown column 'frobnicate'") != NULL, "%s", err.msg);
    unlink(p);
    p = manifest("photo,output\n\"a.jpg,b.png\n");
    ck_assert_int_eq(batch_read(p, &m, &err), SMP_EINPUT);
    ck_assert_msg(strstr(err.msg, ":2: malformed CSV line") != NULL, "%s", err.msg);
    unlink(p);
    p = manifest("photo,output\n");
    ck_assert_int_eq(batch_read(p, &m, &err), SMP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "no jobs"));
    unlink(p);
    p = manifest("photo,seed\na.jpg,1\n");
    ck_assert_int_eq(batch_read(p, &m, &err), SMP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "needs an output column"));
    unlink(p);
}
END_TEST

Suite *batch_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, csv_and_lists);
    tcase_add_test(tc, bad_manifests);
    suite_add_tcase(s, tc);
    return s;
}
