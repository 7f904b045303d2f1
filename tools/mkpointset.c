/* mkpointset: builds the progressive blue-noise point set the sampler thins.
 *
 * Run at build time; writes a C file with POINTSET_N points on the unit
 * torus, in rank order: for every k, the first k points are themselves an
 * even, blue-noise set at density k.  The sampler keeps a point of rank i
 * where i/N is below the local density's share of the set's density, so one
 * comparison places a dot.
 *
 * Method: weighted sample elimination (Yuksel 2015, "Sample Elimination for
 * Generating Poisson Disk Sample Sets"), made progressive by halving:
 * 4N uniform candidates are eliminated to N, then N to N/2, N/2 to N/4, ...
 * The points removed while going from n to n/2 take ranks n/2..n-1, the last
 * removed (the least crowded) first.  Distances wrap around the torus, so the
 * set tiles the plane seamlessly.
 *
 * Usage: mkpointset N SEED OUT.c   (N a power of two) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/rng.h"

typedef struct { double x, y; } pt;

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) { fprintf(stderr, "mkpointset: out of memory\n"); exit(2); }
    return p;
}

static double torus_dist2(pt a, pt b)
{
    double dx = fabs(a.x - b.x), dy = fabs(a.y - b.y);
    if (dx > 0.5) dx = 1.0 - dx;
    if (dy > 0.5) dy = 1.0 - dy;
    return dx * dx + dy * dy;
}

/* Indexed max-heap of weights. */
static double *hw;
static int *heap, *hpos, hn;

static void hswap(int a, int b)
{
    int t = heap[a]; heap[a] = heap[b]; heap[b] = t;
    hpos[heap[a]] = a; hpos[heap[b]] = b;
}
static void hdown(int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < hn && hw[heap[l]] > hw[heap[m]]) m = l;
        if (r < hn && hw[heap[r]] > hw[heap[m]]) m = r;
        if (m == i) return;
        hswap(i, m); i = m;
    }
}

/* Eliminates n - m of the n points in p; writes the removed indices, in the
 * order removed, to out. */
static void eliminate(const pt *p, int n, int m, int *out)
{
    const double alpha = 8.0, beta = 0.65, gamma = 1.5;
    /* rmax: the radius of a hexagonal packing of m points in unit area. */
    double rmax = sqrt(1.0 / (2.0 * sqrt(3.0) * m));
    double rmin = rmax * (1.0 - pow((double)m / n, gamma)) * beta;
    double reach = 2.0 * rmax, reach2 = reach * reach;
    int g = (int)floor(1.0 / reach);
    int brute = g < 3;
    int *start = NULL, *cellpts = NULL, *cellof = xmalloc(sizeof(int) * n);
    if (!brute) {
        start = calloc((size_t)g * g + 1, sizeof(int));
        cellpts = xmalloc(sizeof(int) * n);
        if (!start) { fprintf(stderr, "mkpointset: out of memory\n"); exit(2); }
        for (int i = 0; i < n; i++) {
            int cx = (int)(p[i].x * g) % g, cy = (int)(p[i].y * g) % g;
            cellof[i] = cy * g + cx;
            start[cellof[i] + 1]++;
        }
        for (int c = 0; c < g * g; c++) start[c + 1] += start[c];
        int *fill = xmalloc(sizeof(int) * g * g);
        memcpy(fill, start, sizeof(int) * g * g);
        for (int i = 0; i < n; i++) cellpts[fill[cellof[i]]++] = i;
        free(fill);
    }
    /* Neighbour lists with weights, in compressed rows. */
    int cap = n * 24, nn = 0;
    int *nbr = xmalloc(sizeof(int) * cap), *row = xmalloc(sizeof(int) * (n + 1));
    double *wt = xmalloc(sizeof(double) * cap);
    hw = xmalloc(sizeof(double) * n);
    for (int i = 0; i < n; i++) {
        row[i] = nn;
        hw[i] = 0;
        int cand_n = brute ? n : 0;
        for (int k = 0; k < (brute ? 1 : 9); k++) {
            int lo = 0, hi = n;
            if (!brute) {
                int cx = cellof[i] % g + k % 3 - 1, cy = cellof[i] / g + k / 3 - 1;
                cx = (cx + g) % g; cy = (cy + g) % g;
                lo = start[cy * g + cx]; hi = start[cy * g + cx + 1];
            }
            for (int q = lo; q < hi; q++) {
                int j = brute ? q : cellpts[q];
                if (j == i) continue;
                double d2 = torus_dist2(p[i], p[j]);
                if (d2 >= reach2) continue;
                double d = sqrt(d2);
                if (d < 2.0 * rmin) d = 2.0 * rmin;
                double w = pow(1.0 - d / reach, alpha);
                if (nn == cap) {
                    cap *= 2;
                    nbr = realloc(nbr, sizeof(int) * cap);
                    wt = realloc(wt, sizeof(double) * cap);
                    if (!nbr || !wt) { fprintf(stderr, "mkpointset: out of memory\n"); exit(2); }
                }
                nbr[nn] = j; wt[nn] = w; nn++;
                hw[i] += w;
            }
        }
        (void)cand_n;
    }
    row[n] = nn;
    heap = xmalloc(sizeof(int) * n); hpos = xmalloc(sizeof(int) * n);
    char *gone = calloc((size_t)n, 1);
    hn = n;
    for (int i = 0; i < n; i++) { heap[i] = i; hpos[i] = i; }
    for (int i = n / 2; i >= 0; i--) hdown(i);
    for (int e = 0; e < n - m; e++) {
        int i = heap[0];
        hswap(0, --hn); hdown(0);
        gone[i] = 1;
        out[e] = i;
        for (int q = row[i]; q < row[i + 1]; q++) {
            int j = nbr[q];
            if (gone[j]) continue;
            hw[j] -= wt[q];
            hdown(hpos[j]);
        }
    }
    free(gone); free(heap); free(hpos); free(hw); free(nbr); free(wt); free(row);
    free(start); free(cellpts); free(cellof);
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: mkpointset N SEED OUT.c\n"); return 1; }
    int N = atoi(argv[1]);
    uint64_t seed = strtoull(argv[2], NULL, 10);
    if (N < 2 || (N & (N - 1))) { fprintf(stderr, "mkpointset: N must be a power of two\n"); return 1; }
    int n = 4 * N;
    pt *cur = xmalloc(sizeof(pt) * n), *next = xmalloc(sizeof(pt) * n);
    pt *ranked = xmalloc(sizeof(pt) * N);
    int *out = xmalloc(sizeof(int) * n);
    char *gone = xmalloc((size_t)n);
    for (int i = 0; i < n; i++) {
        cur[i].x = rng_unit(rng_hash(seed, RNG_GENERATOR, (uint64_t)i, 0));
        cur[i].y = rng_unit(rng_hash(seed, RNG_GENERATOR, (uint64_t)i, 1));
    }
    int m = N;
    for (;;) {
        eliminate(cur, n, m, out);
        memset(gone, 0, (size_t)n);
        for (int e = 0; e < n - m; e++) {
            gone[out[e]] = 1;
            if (n <= N) ranked[n - 1 - e] = cur[out[e]];
        }
        int k = 0;
        for (int i = 0; i < n; i++) if (!gone[i]) next[k++] = cur[i];
        pt *t = cur; cur = next; next = t;
        n = m;
        if (n == 1) { ranked[0] = cur[0]; break; }
        m = n / 2;
    }
    FILE *f = fopen(argv[3], "w");
    if (!f) { perror(argv[3]); return 2; }
    fprintf(f, "/* Generated by tools/mkpointset %d %s: do not edit.\n"
               " * %d points on the unit torus in rank order, as 16-bit fixed point. */\n"
               "#include \"pointset.h\"\n\nconst unsigned pointset_n = %d;\n"
               "const uint16_t pointset_xy[%d] = {\n", N, argv[2], N, N, 2 * N);
    for (int i = 0; i < N; i++) {
        unsigned x = (unsigned)lround(ranked[i].x * 65536.0) & 0xffffu;
        unsigned y = (unsigned)lround(ranked[i].y * 65536.0) & 0xffffu;
        fprintf(f, "%u,%u,%s", x, y, (i % 8 == 7) ? "\n" : "");
    }
    fprintf(f, "};\n");
    if (fclose(f) != 0) { perror(argv[3]); return 2; }
    free(cur); free(next); free(ranked); free(out); free(gone);
    return 0;
}
