/* Batch manifests with plan files inside them: the input is a manifest,
 * then, after each line "--8<--", a plan file (p1.smp, p2.smp, ...) the
 * manifest's rows may name.  Every job's plan is built as batch builds
 * it (preset, plan file, columns, resolved); nothing is rendered. */
#include <sys/stat.h>

#include "fuzz_common.h"
#include "../../src/batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

#define SEP "\n--8<--\n"
#define MAX_PLANS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    char dir[64], path[96];
    snprintf(dir, sizeof dir, "/tmp/smpsim-fuzz-mp-%d", (int)getpid());
    mkdir(dir, 0700);
    /* Cut the input at the separators: the manifest, then the plans. */
    const char *p = (const char *)data, *end = p + n;
    for (int part = 0; part <= MAX_PLANS; part++) {
        const char *cut = NULL;
        for (const char *q = p; q + strlen(SEP) <= end && !cut; q++)
            if (!memcmp(q, SEP, strlen(SEP))) cut = q;
        if (part == 0) snprintf(path, sizeof path, "%s/m.csv", dir);
        else snprintf(path, sizeof path, "%s/p%d.smp", dir, part);
        FILE *f = fopen(path, "wb");
        if (!f) abort();
        size_t len = (size_t)((cut ? cut : end) - p);
        if (len && fwrite(p, 1, len, f) != len) abort();
        fclose(f);
        if (!cut) break;
        p = cut + strlen(SEP);
    }
    snprintf(path, sizeof path, "%s/m.csv", dir);
    batch_manifest m;
    smp_error err = {0};
    if (batch_read(path, &m, &err) == SMP_OK) {
        /* A few jobs are enough: each reads the same few plans. */
        for (size_t j = 0; j < m.n && j < 8; j++) {
            smp_plan *plan = smp_plan_new();
            if (!plan) abort();
            smp_error e = {0};
            (void)batch_plan(&m.jobs[j], plan, &e);
            smp_plan_free(plan);
        }
        batch_free(&m);
    }
    for (int k = 0; k <= MAX_PLANS; k++) {
        if (k == 0) snprintf(path, sizeof path, "%s/m.csv", dir);
        else snprintf(path, sizeof path, "%s/p%d.smp", dir, k);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
