/* smpsim batch: many jobs from a manifest, in worker processes.
 *
 * Each job runs in a child process of its own, so that one job's failure,
 * even a crash, never stops the others.  The parent keeps -j children
 * busy, reads each one's result from a pipe, prints one JSON line per job
 * and, on a terminal, a progress bar.  Ctrl-C: the parent stops the
 * workers (each removes the file it was writing; one whose output is in
 * place finishes and reports it), reports what finished and exits 130.  Scheduling cannot change any output: every job is a
 * pure function of its inputs and seed. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/prctl.h>

/* A worker's result line: status, dots, seconds, skipped, its warnings
 * and its error. */
#define BATCH_MSG 2000

#include "../batch.h"
#include "../export.h"
#include "../face.h"
#include "../paths.h"
#include "cli.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void worker_stop(int sig)
{
    (void)sig;
    /* Its outputs on their way into place: the job finishes and reports
     * them (a file there that the report calls interrupted would be a
     * lie); before that, nothing of it is kept. */
    if (out_committed()) return;
    smp_discard_partial_output();
    _exit(130);
}

static void usage(void)
{
    printf("Usage: smpsim batch MANIFEST [-j N] [--shard I/N] [--resume] [--force] [--report FILE]\n"
           "Run many jobs: a CSV manifest with a header (photo, plan, output, command, then option names\n"
           "as further columns) or a plain list of plan files (each rendered to PLAN.png).\n"
           "One JSON line per job on stdout (or --report FILE); a summary on stderr.\n"
           "Exit status 0 when every job succeeded, 2 when any failed, 130 when interrupted.\n"
           "\nOptions:\n"
           "  -j, --jobs N                 workers at once [the number of cores]\n"
           "  --shard I/N                  run only the I-th of N slices of the manifest (1 <= I <= N)\n"
           "  --resume                     skip jobs whose output is newer than every file they read\n"
           "  --force                      replace outputs even when they are read-only\n"
           "  --report FILE                write the JSON lines to FILE instead of stdout\n"
           "  -q, --quiet                  no progress bar and no summary\n"
           "  -v, --verbose                a line on stderr for each failed job\n"
           "  -h, --help                   show this help\n"
           "  --version                    show the version\n"
           "\nExample: smpsim batch clients.csv -j 4 --report report.jsonl\n");
}

typedef struct worker {
    pid_t pid;
    int fd;
    size_t job;
} worker;

static double now(void) { return cli_now(); }

static void progress(size_t done, size_t total, size_t failed, double t0)
{
    double el = now() - t0, rate = el > 0 ? done / el : 0;
    int width = 30, fill = total ? (int)(width * done / total) : width;
    char bar[64];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\rsmpsim batch [%s] %zu/%zu, %zu failed, %.1f jobs/s, %.0f s left ", bar, done, total, failed,
            rate, rate > 0 ? (total - done) / rate : 0.0);
    fflush(stderr);
}

int cmd_batch(int argc, char **argv)
{
    static const struct option lo[] = {
        {"jobs", required_argument, NULL, 'j'}, {"shard", required_argument, NULL, 's'},
        {"resume", no_argument, NULL, 'r'},     {"report", required_argument, NULL, 'R'},
        {"quiet", no_argument, NULL, 'q'},      {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},       {"version", no_argument, NULL, 'V'},
        {"json", no_argument, NULL, 'J'},       {"force", no_argument, NULL, 'F'},
        {0, 0, 0, 0}};
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    int shard_i = 1, shard_n = 1, resume = 0, quiet = 0, verbose = 0, ch;
    const char *report = NULL;
    opterr = 0;
    optind = 0; /* GNU: a full reset, whatever an earlier parse left behind */
    while ((ch = getopt_long(argc, argv, ":j:qvh", lo, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'j':
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 256) return cli_usage_error("batch", "--jobs: %s: expected 1 to 256", optarg);
            break;
        case 's':
            if (sscanf(optarg, "%d/%d%c", &shard_i, &shard_n, (char[1]){0}) != 2 || shard_n < 1 || shard_i < 1 ||
                shard_i > shard_n || shard_n > 100000)
                return cli_usage_error("batch", "--shard: %s: expected I/N with 1 <= I <= N", optarg);
            break;
        case 'r': resume = 1; break;
        case 'F': out_set_force(1); break;
        case 'R': report = optarg; break;
        case 'q': quiet = 1; break;
        case 'v': verbose = 1; break;
        case 'J': break;
        case 'h': usage(); return 0;
        case 'V': printf("smpsim %s\n", SMP_VERSION); return 0;
        case ':': return cli_usage_error("batch", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_unknown_option("batch", argc, argv);
        }
    }
    if (optind >= argc) return cli_usage_error("batch", "no manifest given");
    if (optind + 1 < argc) return cli_usage_error("batch", "unexpected argument '%s'", argv[optind + 1]);
    if (jobs < 1) jobs = 1;
    batch_manifest m;
    smp_error err = {0};
    if (batch_read(argv[optind], &m, &err) != SMP_OK) return cli_report(&err);
    /* The report, like every output, is written under a temporary name
     * and renamed when the batch ends (interrupted or not: it then lists
     * the jobs that finished). */
    if (report && path_same_file(report, argv[optind])) {
        fprintf(stderr, "smpsim: %s: the output would overwrite an input\n", report);
        batch_free(&m);
        return EXIT_INPUT;
    }
    for (size_t j = 0; j < m.n; j++) m.jobs[j].report = report;
    out_file rep_out = {0};
    FILE *rep = stdout;
    if (report) {
        if (out_open(&rep_out, report, &err) != SMP_OK) {
            batch_free(&m);
            return cli_report(&err);
        }
        rep = rep_out.f;
    }
    /* This shard's jobs: every N-th from the I-th. */
    size_t *todo = malloc((m.n ? m.n : 1) * sizeof *todo), total = 0;
    worker *w = calloc((size_t)jobs, sizeof *w);
    if (!todo || !w) {
        fprintf(stderr, "smpsim: out of memory\n");
        if (report) out_abort(&rep_out);
        free(todo);
        free(w);
        batch_free(&m);
        return EXIT_INPUT;
    }
    for (size_t i = 0; i < m.n; i++)
        if ((long)(i % (size_t)shard_n) == shard_i - 1) todo[total++] = i;

    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup); /* a closed terminal: stop as for Ctrl-C, keep the report */
    fflush(stdout);
    fflush(stderr);
    int bar = !quiet && isatty(2);
    double t0 = now();
    size_t next = 0, done = 0, ok = 0, failed = 0, skipped = 0, interrupted = 0;
    int report_lost = 0;
    int running = 0, start_errno = 0;
    /* When two or more jobs name a photo or a plan, the face detector is
     * decoded once here and shared by the jobs forked below instead of
     * decoded in each (a photo job's --area auto or thinning looks for a
     * face): a render of a 640 px photo took 0.42 s, half of it that. */
    int photos = 0;
    for (size_t k = 0; k < total; k++) photos += m.jobs[todo[k]].photo || m.jobs[todo[k]].plan;
    if (photos > 1) face_prepare();
    while (next < total || running > 0) {
        while (!stop_requested && running < jobs && next < total) {
            int fds[2];
            if (pipe(fds) != 0) { start_errno = errno; break; }
            size_t j = todo[next++];
            fflush(NULL);
            pid_t pid = fork();
            if (pid == 0) {
                out_forget_pending(); /* the report's temporary file is the parent's */
                struct sigaction ws;
                memset(&ws, 0, sizeof ws);
                ws.sa_handler = worker_stop;
                sigemptyset(&ws.sa_mask);
                sigaction(SIGINT, &ws, NULL);
                sigaction(SIGTERM, &ws, NULL);
                sigaction(SIGHUP, &ws, NULL);
                /* A worker stops with the batch, however the batch ends. */
                prctl(PR_SET_PDEATHSIG, SIGTERM);
                if (getppid() == 1) _exit(130);
                close(fds[0]);
                batch_result res;
                smp_error e = {0};
                smp_status st = batch_run(&m.jobs[j], resume, &res, &e);
                char msg[BATCH_MSG];
                for (char *t = res.warning; *t; t++)
                    if (*t == '\t' || *t == '\n') *t = ' ';
                int n = snprintf(msg, sizeof msg, "%d\t%zu\t%.6f\t%d\t%s\t%s", st, res.dots, res.seconds, res.skipped,
                                 res.warning, st == SMP_OK ? "" : e.msg);
                if (write(fds[1], msg, (size_t)(n < (int)sizeof msg ? n : (int)sizeof msg - 1)) < 0) _exit(3);
                _exit(0);
            }
            close(fds[1]);
            if (pid < 0) {
                start_errno = errno;
                close(fds[0]);
                next--;
                break;
            }
            for (int k = 0; k < jobs; k++)
                if (!w[k].pid) { w[k] = (worker){pid, fds[0], j}; break; }
            running++;
        }
        if (!running) break;
        int ws;
        pid_t pid = waitpid(-1, &ws, 0);
        if (pid < 0) {
            if (errno == EINTR && stop_requested)
                for (int k = 0; k < jobs; k++)
                    if (w[k].pid) kill(w[k].pid, SIGTERM);
            continue;
        }
        int k = 0;
        while (k < jobs && w[k].pid != pid) k++;
        if (k == jobs) continue;
        char msg[BATCH_MSG] = {0};
        ssize_t got = read(w[k].fd, msg, sizeof msg - 1), total_got = got > 0 ? got : 0;
        while (got > 0 && total_got < (ssize_t)sizeof msg - 1 &&
               (got = read(w[k].fd, msg + total_got, sizeof msg - 1 - (size_t)total_got)) > 0)
            total_got += got;
        msg[total_got] = 0;
        close(w[k].fd);
        const batch_job *job = &m.jobs[w[k].job];
        w[k].pid = 0;
        running--;
        done++;
        int st = -1, skip = 0;
        size_t dots = 0;
        double secs = 0;
        char reason[700] = "", warning[sizeof ((batch_result *)0)->warning] = "";
        if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0 && sscanf(msg, "%d\t%zu\t%lf\t%d\t", &st, &dots, &secs, &skip) == 4) {
            /* dots, seconds, skipped, then the warning and the error. */
            char *tab = msg;
            for (int t = 0; t < 4 && tab; t++) tab = strchr(tab, '\t') ? strchr(tab, '\t') + 1 : NULL;
            char *end = tab ? strchr(tab, '\t') : NULL;
            if (end) {
                *end = 0;
                snprintf(warning, sizeof warning, "%s", tab);
                snprintf(reason, sizeof reason, "%s", end + 1);
            }
        } else if (WIFSIGNALED(ws) && (WTERMSIG(ws) == SIGTERM || stop_requested)) {
            st = -2;
            snprintf(reason, sizeof reason, "interrupted");
        } else if (WIFSIGNALED(ws)) {
            snprintf(reason, sizeof reason, "the job crashed (signal %d)", WTERMSIG(ws));
        } else if (WIFEXITED(ws) && WEXITSTATUS(ws) == 130) {
            st = -2;
            snprintf(reason, sizeof reason, "interrupted");
        } else {
            snprintf(reason, sizeof reason, "the job ended without a result");
        }
        const char *status = st == 0 ? (skip ? "skipped" : "ok") : st == -2 ? "interrupted" : "failed";
        if (st == 0 && skip) skipped++;
        else if (st == 0) ok++;
        else if (st == -2) interrupted++;
        else failed++;
        /* Each note its own warning (each ended by BATCH_WARNING_END). */
        json_t *warnings = json_array();
        for (char *a = warning, *e; *a && (e = strchr(a, BATCH_WARNING_END)); a = e + 1) {
            *e = 0;
            json_array_append_new(warnings, json_text(a));
        }
        if (verbose && st != 0 && st != -2) fprintf(stderr, "%ssmpsim: line %d: %s\n", bar ? "\n" : "", job->line, reason);
        for (size_t i = 0; verbose && i < json_array_size(warnings); i++)
            fprintf(stderr, "%ssmpsim: line %d: warning: %s\n", bar ? "\n" : "", job->line,
                    json_string_value(json_array_get(warnings, i)) ? json_string_value(json_array_get(warnings, i)) : "");
        if (json_print_line(rep, json_pack("{s:i,s:s,s:o,s:I,s:o,s:o,s:o}", "line", job->line, "status", status, "output",
                                           json_text(job->output), "dots", (json_int_t)dots, "seconds", json_num(secs, 3),
                                           "warnings", warnings, "error", st == 0 ? json_null() : json_text(reason))))
            report_lost = 1;
        fflush(rep);
        if (bar) progress(done, total, failed, t0);
    }
    if (bar) fputc('\n', stderr);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    size_t not_started = total - next;
    if (!quiet || stop_requested)
        fprintf(stderr, "smpsim batch: %zu jobs: %zu ok, %zu failed, %zu skipped%s%s in %.1f s\n", total, ok, failed,
                skipped, stop_requested ? ", interrupted" : "",
                stop_requested && not_started ? " before the rest started" : "", now() - t0);
    int status = stop_requested ? 130 : failed ? EXIT_INPUT : 0;
    /* Workers that could not be started (fork or pipe failing) leave jobs
     * undone: a failure of every one of them, not "0 failed". */
    if (!stop_requested && done < total) {
        fprintf(stderr, "smpsim batch: cannot start a worker: %s; %zu of %zu jobs not run\n",
                strerror(start_errno ? start_errno : EAGAIN), total - done, total);
        status = EXIT_INPUT;
    }
    /* A line jansson could not build (a write error shows in ferror and,
     * for a --report file, out_commit). */
    if (report_lost && !ferror(rep)) {
        fprintf(stderr, "smpsim: out of memory\n");
        status = EXIT_INPUT;
    }
    if (report && out_commit(&rep_out, &err) != SMP_OK) status = cli_report(&err);
    free(todo);
    free(w);
    batch_free(&m);
    return status;
}
