#include "analyze.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "status.h"

/* The largest value a dots CSV may hold, in any column (mm: a kilometre). */
#define ANALYZE_MAX_VALUE 1e6

/* ---- reading a dots CSV ---- */

smp_status smp_dots_read_csv(const char *path, smp_dot **dots, size_t *n, smp_error *err)
{
    return analyze_read_csv(path, (size_t)SMP_MAX_DOTS, dots, n, err);
}

smp_status analyze_read_csv(const char *path, size_t max_dots, smp_dot **dots, size_t *n, smp_error *err)
{
    *dots = NULL;
    *n = 0;
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) return smp_fail(err, SMP_EINPUT, 1, "%s: cannot open: %s", path, strerror(errno));
    char line[1024] = "";
    smp_status st = SMP_OK;
    size_t cap = 0, k = 0, lineno = 1;
    smp_dot *d = NULL;
    if (!fgets(line, sizeof line, f) && ferror(f)) {
        st = smp_fail(err, SMP_EINPUT, 1, "%s: read error", path);
        goto out;
    }
    if (strncmp(line, "x_mm,y_mm,diameter_mm,darkness,session", 38) != 0) {
        st = smp_fail(err, SMP_EINPUT, 1, "%s:1: not a dots CSV (expected header x_mm,y_mm,diameter_mm,darkness,session)", path);
        goto out;
    }
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            st = smp_fail(err, SMP_EINPUT, 1, "%s:%zu: line longer than 1023 characters", path, lineno);
            goto out;
        }
        if (line[0] == '\n' || line[0] == '\r') continue;
        smp_dot dot = {0};
        char *p = line, *end;
        double v[5];
        for (int c = 0; c < 5; c++) {
            errno = 0;
            v[c] = strtod(p, &end);
            if (end == p || !isfinite(v[c]) || (*end != ',' && *end != '\n' && *end != '\r' && *end)) {
                st = smp_fail(err, SMP_EINPUT, 1, "%s:%zu: column %d is not a number", path, lineno, c + 1);
                goto out;
            }
            /* A kilometre: past any frame, and every value then fits the
             * integer cells and sessions below. */
            if (fabs(v[c]) > ANALYZE_MAX_VALUE) {
                st = smp_fail(err, SMP_EINPUT, 1, "%s:%zu: column %d is out of range (%g; at most %g)", path, lineno,
                              c + 1, v[c], ANALYZE_MAX_VALUE);
                goto out;
            }
            if (c < 4 && *end != ',') {
                st = smp_fail(err, SMP_EINPUT, 1, "%s:%zu: fewer than 5 columns", path, lineno);
                goto out;
            }
            p = end + (*end == ',');
        }
        dot.x_mm = v[0]; dot.y_mm = v[1]; dot.diameter_mm = v[2]; dot.darkness = v[3];
        dot.session = (int)v[4];
        if (k == max_dots) {
            st = smp_fail(err, SMP_ELIMIT, 1, "%s: more than %zu dots", path, max_dots);
            goto out;
        }
        if (k == cap) {
            cap = cap ? cap * 2 : 4096;
            if (cap > max_dots) cap = max_dots;
            smp_dot *q = realloc(d, cap * sizeof *q);
            if (!q) { st = smp_fail(err, SMP_ENOMEM, 0, "out of memory"); goto out; }
            d = q;
        }
        d[k++] = dot;
    }
    if (ferror(f)) st = smp_fail(err, SMP_EINPUT, 1, "%s: read error", path);
out:
    if (f != stdin) fclose(f);
    if (st != SMP_OK) { free(d); return st; }
    *dots = d;
    *n = k;
    return SMP_OK;
}

/* ---- nearest neighbours with a bucket grid ---- */

double *analyze_nn_distances(const smp_dot *dots, size_t n, double w, double h)
{
    double *nn = malloc((n ? n : 1) * sizeof *nn);
    if (!nn) return NULL;
    if (n < 2) {
        for (size_t i = 0; i < n; i++) nn[i] = NAN;
        return nn;
    }
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        minx = fmin(minx, dots[i].x_mm); maxx = fmax(maxx, dots[i].x_mm);
        miny = fmin(miny, dots[i].y_mm); maxy = fmax(maxy, dots[i].y_mm);
    }
    (void)w; (void)h;
    double spanx = maxx - minx + 1e-9, spany = maxy - miny + 1e-9;
    /* About two dots per cell. */
    double cell = sqrt(spanx * spany * 2 / (double)n);
    if (cell <= 0) cell = 1;
    size_t gx = (size_t)(spanx / cell) + 1, gy = (size_t)(spany / cell) + 1;
    while ((double)gx * (double)gy > 4.0 * (double)n + 16) { cell *= 1.5; gx = (size_t)(spanx / cell) + 1; gy = (size_t)(spany / cell) + 1; }
    size_t *start = calloc(gx * gy + 1, sizeof *start), *idx = malloc(n * sizeof *idx), *cellof = malloc(n * sizeof *cellof);
    if (!start || !idx || !cellof) { free(start); free(idx); free(cellof); free(nn); return NULL; }
    for (size_t i = 0; i < n; i++) {
        size_t cx = (size_t)((dots[i].x_mm - minx) / cell), cy = (size_t)((dots[i].y_mm - miny) / cell);
        cellof[i] = cy * gx + cx;
        start[cellof[i] + 1]++;
    }
    for (size_t c = 0; c < gx * gy; c++) start[c + 1] += start[c];
    for (size_t i = 0; i < n; i++) idx[start[cellof[i]]++] = i;
    for (size_t c = gx * gy; c > 0; c--) start[c] = start[c - 1];
    start[0] = 0;
    for (size_t i = 0; i < n; i++) {
        long cx = (long)(cellof[i] % gx), cy = (long)(cellof[i] / gx);
        double best = INFINITY;
        for (long r = 0;; r++) {
            /* Ring r: all cells at Chebyshev distance r. */
            for (long y = cy - r; y <= cy + r; y++) {
                if (y < 0 || y >= (long)gy) continue;
                long step = (y == cy - r || y == cy + r) ? 1 : 2 * r;
                for (long x = cx - r; x <= cx + r; x += step ? step : 1) {
                    if (x >= 0 && x < (long)gx) {
                        size_t c = (size_t)y * gx + (size_t)x;
                        for (size_t q = start[c]; q < start[c + 1]; q++) {
                            size_t j = idx[q];
                            if (j == i) continue;
                            double dx = dots[j].x_mm - dots[i].x_mm, dy = dots[j].y_mm - dots[i].y_mm;
                            double d2 = dx * dx + dy * dy;
                            if (d2 < best) best = d2;
                            /* A dot on top of this one: none is nearer, and
                             * a pile of them must not cost n^2. */
                            if (best == 0) goto found;
                        }
                    }
                    if (step == 0) break;
                }
            }
            /* Any dot beyond ring r is at least r * cell away. */
            if (best <= (r * cell) * (r * cell)) break;
            if (r > (long)(gx + gy)) break;
        }
    found:
        nn[i] = sqrt(best);
    }
    free(start); free(idx); free(cellof);
    return nn;
}

/* ---- FFT ---- */

void analyze_fft(double *z, size_t n, int inverse)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = z[2 * i]; z[2 * i] = z[2 * j]; z[2 * j] = t;
            t = z[2 * i + 1]; z[2 * i + 1] = z[2 * j + 1]; z[2 * j + 1] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        double ang = 2 * M_PI / (double)len * (inverse ? 1 : -1);
        double wr = cos(ang), wi = sin(ang);
        for (size_t i = 0; i < n; i += len) {
            double cr = 1, ci = 0;
            for (size_t k = 0; k < len / 2; k++) {
                double *a = z + 2 * (i + k), *b = z + 2 * (i + k + len / 2);
                double tr = b[0] * cr - b[1] * ci, ti = b[0] * ci + b[1] * cr;
                b[0] = a[0] - tr; b[1] = a[1] - ti;
                a[0] += tr; a[1] += ti;
                double nr = cr * wr - ci * wi;
                ci = cr * wi + ci * wr;
                cr = nr;
            }
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double quantile(double *v, size_t n, double q)
{
    if (!n) return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)floor(q * (double)(n - 1) + 0.5);
    return v[i];
}

/* The spectrum test on the 256 mm square at the origin. */
#define SPEC_MM 256.0
#define SPEC_BINS 1024

static int spectrum(const smp_dot *dots, size_t n, double *mean, double *peak_ratio)
{
    size_t B = SPEC_BINS;
    double *z = calloc(2 * B * B, sizeof *z), *col = malloc(2 * B * sizeof *col);
    if (!z || !col) { free(z); free(col); return -1; }
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (dots[i].x_mm < 0 || dots[i].y_mm < 0 || dots[i].x_mm >= SPEC_MM || dots[i].y_mm >= SPEC_MM) continue;
        size_t bx = (size_t)(dots[i].x_mm / SPEC_MM * B), by = (size_t)(dots[i].y_mm / SPEC_MM * B);
        z[2 * (by * B + bx)] += 1;
        count++;
    }
    for (size_t y = 0; y < B; y++) analyze_fft(z + 2 * y * B, B, 0);
    for (size_t x = 0; x < B; x++) {
        for (size_t y = 0; y < B; y++) { col[2 * y] = z[2 * (y * B + x)]; col[2 * y + 1] = z[2 * (y * B + x) + 1]; }
        analyze_fft(col, B, 0);
        for (size_t y = 0; y < B; y++) { z[2 * (y * B + x)] = col[2 * y]; z[2 * (y * B + x) + 1] = col[2 * y + 1]; }
    }
    /* Band 1/120 .. 1/4 cycles/mm: |k| from 256/120 to 64 bins. */
    double kmin = SPEC_MM / 120.0, kmax = SPEC_MM / 4.0;
    size_t cap = (size_t)(4 * kmax * kmax) + 16, m = 0;
    double *band = malloc(cap * sizeof *band), sum = 0, peak = 0;
    if (!band) { free(z); free(col); return -1; }
    for (long ky = -(long)kmax; ky <= (long)kmax; ky++)
        for (long kx = -(long)kmax; kx <= (long)kmax; kx++) {
            double r = sqrt((double)(kx * kx + ky * ky));
            if (r < kmin || r > kmax) continue;
            size_t ix = (size_t)((kx + (long)B) % (long)B), iy = (size_t)((ky + (long)B) % (long)B);
            double re = z[2 * (iy * B + ix)], im = z[2 * (iy * B + ix) + 1];
            double p = (re * re + im * im) / (double)(count ? count : 1);
            band[m++] = p;
            sum += p;
            if (p > peak) peak = p;
        }
    *mean = sum / (double)m;
    double med = quantile(band, m, 0.5);
    *peak_ratio = med > 0 ? peak / med : INFINITY;
    free(band); free(z); free(col);
    return 0;
}

smp_status smp_analyze_rect(const smp_dot *dots, size_t n, double w, double h, double d1, double d2,
                            smp_quality *q, smp_error *err)
{
    memset(q, 0, sizeof *q);
    q->dots = n;
    /* Densities in dots/mm^2, linear in x. */
    double l1 = d1 / 100, l2 = d2 / 100;
    q->expected = w * h * (l1 + l2) / 2;
    q->count_ratio = q->expected > 0 ? (double)n / q->expected : NAN;

    int nx = (int)floor(w / 10 + 1e-9), ny = (int)floor(h / 10 + 1e-9);
    if (nx > 0 && ny > 0) {
        size_t nc = (size_t)nx * (size_t)ny;
        size_t *cnt = calloc(nc, sizeof *cnt);
        double *e = malloc(nc * sizeof *e);
        if (!cnt || !e) { free(cnt); free(e); return smp_fail(err, SMP_ENOMEM, 0, "out of memory"); }
        for (size_t i = 0; i < n; i++) {
            if (dots[i].x_mm < 0 || dots[i].y_mm < 0) continue;
            double fx = dots[i].x_mm / 10, fy = dots[i].y_mm / 10;
            if (fx < nx && fy < ny) cnt[(size_t)fy * nx + (size_t)fx]++;
        }
        for (int cy = 0; cy < ny; cy++)
            for (int cx = 0; cx < nx; cx++) {
                double lam = l1 + (l2 - l1) * ((cx + 0.5) * 10) / w;
                double E = lam * 100;
                e[(size_t)cy * nx + cx] = fabs((double)cnt[(size_t)cy * nx + cx] / E - 1);
            }
        q->cells = nc;
        q->cell_err_median = quantile(e, nc, 0.5);
        q->cell_err_p95 = quantile(e, nc, 0.95);
        free(cnt); free(e);
    }

    double *nn = analyze_nn_distances(dots, n, w, h);
    if (!nn) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    size_t k = 0;
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        const smp_dot *d = &dots[i];
        if (d->x_mm < 3 || d->y_mm < 3 || d->x_mm > w - 3 || d->y_mm > h - 3 || isnan(nn[i])) continue;
        double lam = l1 + (l2 - l1) * d->x_mm / w;
        double rho = nn[i] * sqrt(sqrt(3.0) * lam / 2);
        nn[k++] = rho;
        s += rho; s2 += rho * rho;
    }
    q->rho_dots = k;
    if (k) {
        double mean = s / (double)k;
        q->rho_cv = sqrt(fmax(0, s2 / (double)k - mean * mean)) / mean;
        q->rho_median = quantile(nn, k, 0.5);
        q->rho_p5 = quantile(nn, k, 0.05);
    }
    free(nn);
    if (d1 == d2 && w >= SPEC_MM && h >= SPEC_MM) {
        if (spectrum(dots, n, &q->spectrum_mean, &q->spectrum_peak_ratio) != 0)
            return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
        q->spectrum_done = 1;
    }
    return SMP_OK;
}
