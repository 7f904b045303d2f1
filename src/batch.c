#include "batch.h"
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "output.h"
#include "paths.h"
#include "status.h"

/* Splits one CSV line in place (RFC 4180 quoting, no line breaks inside
 * fields); returns the field count or -1 when malformed. */
static int csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max) return -1;
        char *out = p;
        fields[n++] = out;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p) return -1;
                if (*p == '"') {
                    if (p[1] == '"') { *out++ = '"'; p += 2; continue; }
                    p++;
                    break;
                }
                *out++ = *p++;
            }
            if (*p && *p != ',') return -1;
        } else {
            while (*p && *p != ',') *out++ = *p++;
        }
        int more = *p == ',';
        *out = 0;
        if (!more) break;
        p++;
    }
    return n;
}

static int push_job(batch_manifest *m, size_t *cap)
{
    if (m->n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        batch_job *j = realloc(m->jobs, c * sizeof *j);
        if (!j) return -1;
        m->jobs = j;
        *cap = c;
    }
    memset(&m->jobs[m->n], 0, sizeof m->jobs[m->n]);
    m->n++;
    return 0;
}

smp_status batch_read(const char *path, batch_manifest *m, smp_error *err)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "r");
    if (!f) return smp_fail(err, SMP_EINPUT, 1, "%s: cannot open: %s", path, strerror(errno));
    char *dir = NULL;
    const char *slash = strrchr(path, '/');
    if (slash) {
        size_t n = (size_t)(slash - path);
        dir = malloc(n + 2);
        if (dir) { memcpy(dir, path, n ? n : 1); dir[n ? n : 1] = 0; }
    }
    char *line = malloc(BATCH_MAX_LINE + 2);
    char *fields[BATCH_MAX_COLUMNS];
    int col_photo = -1, col_plan = -1, col_output = -1, col_command = -1, csv = -1, lineno = 0;
    int opt_cols[BATCH_MAX_COLUMNS], n_opt = 0;
    size_t cap = 0;
    smp_status st = SMP_OK;
    if (!line) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
    while (fgets(line, BATCH_MAX_LINE + 2, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len > BATCH_MAX_LINE) {
            st = smp_fail(err, SMP_ELIMIT, 1, "%s:%d: line longer than %d characters", path, lineno, BATCH_MAX_LINE);
            goto out;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (!len || line[0] == '#') continue;
        if (csv < 0) {
            /* The first line decides: a header naming columns, or a plan. */
            csv = strchr(line, ',') != NULL || !strcmp(line, "photo") || !strcmp(line, "plan");
            if (csv) {
                int n = csv_split(line, fields, BATCH_MAX_COLUMNS);
                if (n < 0) { st = smp_fail(err, SMP_EINPUT, 1, "%s:%d: malformed CSV header", path, lineno); goto out; }
                m->keys = calloc((size_t)n, sizeof *m->keys);
                if (!m->keys) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
                for (int i = 0; i < n; i++) {
                    if (!strcmp(fields[i], "photo")) col_photo = i;
                    else if (!strcmp(fields[i], "plan")) col_plan = i;
                    else if (!strcmp(fields[i], "output")) col_output = i;
                    else if (!strcmp(fields[i], "command")) col_command = i;
                    else {
                        int known = !strcmp(fields[i], "preset"); /* a named plan, under the rest */
                        for (size_t k = 0; k < smp_option_count(); k++) known |= !strcmp(smp_option_at(k)->name, fields[i]);
                        if (!known) {
                            st = smp_fail(err, SMP_EINPUT, 1, "%s:%d: unknown column '%s'", path, lineno, fields[i]);
                            goto out;
                        }
                        opt_cols[n_opt] = i;
                        if (!(m->keys[n_opt++] = strdup(fields[i]))) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
                        m->n_keys = n_opt; /* so that batch_free frees them on any error */
                    }
                }
                m->n_keys = n_opt;
                if (col_output < 0 || (col_photo < 0 && col_plan < 0)) {
                    st = smp_fail(err, SMP_EINPUT, 1, "%s:%d: the header needs an output column and a photo or plan column", path, lineno);
                    goto out;
                }
                continue;
            }
        }
        if (m->n >= BATCH_MAX_JOBS) {
            st = smp_fail(err, SMP_ELIMIT, 1, "%s: more than %d jobs", path, BATCH_MAX_JOBS);
            goto out;
        }
        if (push_job(m, &cap)) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
        batch_job *j = &m->jobs[m->n - 1];
        j->line = lineno;
        j->manifest = path;
        if (!csv) {
            size_t n = strlen(line);
            j->plan = path_join(dir, line);
            j->output = malloc(strlen(j->plan ? j->plan : "") + 8);
            if (!j->plan || !j->output) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
            strcpy(j->output, j->plan);
            char *dot = strrchr(j->output, '.'), *sl = strrchr(j->output, '/');
            if (dot && (!sl || dot > sl)) *dot = 0;
            strcat(j->output, ".png");
            j->command = strdup("render");
            (void)n;
            continue;
        }
        int n = csv_split(line, fields, BATCH_MAX_COLUMNS);
        if (n < 0) { st = smp_fail(err, SMP_EINPUT, 1, "%s:%d: malformed CSV line", path, lineno); goto out; }
        const char *get[4] = {NULL, NULL, NULL, NULL};
        int cols[4] = {col_photo, col_plan, col_output, col_command};
        for (int k = 0; k < 4; k++)
            if (cols[k] >= 0 && cols[k] < n && fields[cols[k]][0]) get[k] = fields[cols[k]];
        if (!get[2]) { st = smp_fail(err, SMP_EINPUT, 1, "%s:%d: no output", path, lineno); goto out; }
        j->photo = get[0] ? path_join(dir, get[0]) : NULL;
        j->plan = get[1] ? path_join(dir, get[1]) : NULL;
        j->output = path_join(dir, get[2]);
        smp_format fmt = smp_format_from_path(get[2]);
        j->command = strdup(get[3] ? get[3] : (fmt == SMP_FMT_CSV || fmt == SMP_FMT_JSON) ? "layout" : "render");
        j->n_opts = n_opt;
        j->keys = m->keys;
        j->values = calloc((size_t)(n_opt ? n_opt : 1), sizeof *j->values);
        if (!j->output || !j->command || !j->values || (get[0] && !j->photo) || (get[1] && !j->plan)) {
            st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
            goto out;
        }
        for (int k = 0; k < n_opt; k++)
            if (opt_cols[k] < n && fields[opt_cols[k]][0] && !(j->values[k] = strdup(fields[opt_cols[k]]))) {
                st = smp_fail(err, SMP_ENOMEM, 0, "out of memory");
                goto out;
            }
    }
    if (ferror(f)) st = smp_fail(err, SMP_EINPUT, 1, "%s: read error", path);
    else if (!m->n) st = smp_fail(err, SMP_EINPUT, 1, "%s: no jobs", path);
out:
    fclose(f);
    free(line);
    free(dir);
    if (st != SMP_OK) batch_free(m);
    return st;
}

void batch_free(batch_manifest *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        batch_job *j = &m->jobs[i];
        free(j->command); free(j->photo); free(j->plan); free(j->output);
        if (j->values)
            for (int k = 0; k < j->n_opts; k++) free(j->values[k]);
        free(j->values);
    }
    for (int k = 0; k < m->n_keys; k++) free(m->keys[k]);
    free(m->keys);
    free(m->jobs);
    memset(m, 0, sizeof *m);
}

static int newer(const char *out, const char *in)
{
    struct stat so, si;
    if (!in) return 1;
    if (stat(out, &so) != 0) return 0;
    if (stat(in, &si) != 0) return 0;
    return so.st_mtim.tv_sec > si.st_mtim.tv_sec ||
           (so.st_mtim.tv_sec == si.st_mtim.tv_sec && so.st_mtim.tv_nsec >= si.st_mtim.tv_nsec);
}

smp_status batch_plan(const batch_job *job, smp_plan *plan, smp_error *err)
{
    smp_status st;
    char origin[256];
    /* A preset first, the plan file over it, the columns over both. */
    for (int k = 0; k < job->n_opts; k++)
        if (job->values[k] && !strcmp(job->keys[k], "preset") &&
            (st = smp_plan_load_preset(plan, job->values[k], err)) != SMP_OK)
            return st;
    if (job->plan && (st = smp_plan_load(plan, job->plan, err)) != SMP_OK) return st;
    for (int k = 0; k < job->n_opts; k++) {
        if (!job->values[k] || !strcmp(job->keys[k], "preset")) continue;
        snprintf(origin, sizeof origin, "column %s", job->keys[k]);
        if ((st = smp_plan_set(plan, job->keys[k], job->values[k], origin, 1, err)) != SMP_OK) return st;
    }
    if (job->photo && (st = smp_plan_set(plan, "photo", job->photo, "column photo", 1, err)) != SMP_OK) return st;
    return smp_plan_resolve(plan, err);
}

smp_status batch_run(const batch_job *job, int resume, batch_result *res, smp_error *err)
{
    double t0 = smp_seconds();
    memset(res, 0, sizeof *res);
    struct stat so;
    smp_plan *plan = smp_plan_new();
    smp_layout *L = NULL;
    smp_status st;
    if (!plan) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    if ((st = batch_plan(job, plan, err)) != SMP_OK) goto out;
    /* The output is none of the job's inputs by any path (its plan, the
     * photo and masks the plan names, the manifest, the report), checked
     * as render checks it, before the work. */
    const char *others[OUTPUT_OTHERS] = {job->plan, job->manifest, job->report};
    if (!output_is_command(job->command)) {
        st = smp_fail(err, SMP_EINPUT, 1, "unknown command '%s' (render, layout or print)", job->command);
        goto out;
    }
    /* --resume: skip a job whose output is newer than every file it reads
     * (the plan, and the photo, masks, map, logo and notes it names). */
    if (resume && stat(job->output, &so) == 0) {
        const char *inputs[PLAN_MAX_INPUTS];
        size_t ni = plan_input_files(plan_settings(plan), inputs);
        int fresh = newer(job->output, job->plan);
        for (size_t i = 0; i < ni && fresh; i++) fresh = newer(job->output, inputs[i]);
        if (fresh) {
            res->skipped = 1;
            goto out;
        }
    }
    if ((st = output_check(job->command, plan, job->output, others, err)) != SMP_OK) goto out;
    if ((st = smp_layout_new(plan, &L, err)) != SMP_OK) goto out;
    st = output_write(job->command, L, plan, job->output, others, NULL, err);
    if (st == SMP_OK) {
        res->dots = smp_layout_count(L);
        /* The notes, one after another, each ended by BATCH_WARNING_END. */
        size_t k = 0;
        for (int i = 0; smp_layout_note_at(L, i) && k < sizeof res->warning; i++)
            k += (size_t)snprintf(res->warning + k, sizeof res->warning - k, "%s%c", smp_layout_note_at(L, i),
                                  BATCH_WARNING_END);
    }
out:
    smp_layout_free(L);
    smp_plan_free(plan);
    res->seconds = smp_seconds() - t0;
    if (st != SMP_OK && err) err->from_file = 1; /* in a batch every fault is the job's input */
    return st;
}
