#include "sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "pointset.h"
#include "rng.h"
#include "status.h"

void dot_list_free(dot_list *l)
{
    if (!l) return;
    free(l->d);
    memset(l, 0, sizeof *l);
}

/* 0, -1 when out of memory, 1 past SMP_MAX_DOTS: the limit holds in the
 * sampler itself, whatever the estimate before it said (a density map's
 * pattern can alias the estimate's grid). */
static int dot_push(dot_list *l, smp_dot d)
{
    if ((double)l->n >= SMP_MAX_DOTS) return 1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4096;
        smp_dot *p = bulk_realloc(l->d, l->cap * sizeof *p, cap * sizeof *p);
        if (!p) return -1;
        l->d = p;
        l->cap = cap;
    }
    l->d[l->n++] = d;
    return 0;
}

double sampler_period_mm(double lambda_max) { return sqrt((double)pointset_n / lambda_max); }

/* Unit sizes at full density (docs/domain.md): 28 % singles, 53 % pairs,
 * 18 % triples, 1 % quads; toward the line the share of singles rises to 1. */
static int unit_size(double t, double u)
{
    double p1 = 1 - 0.72 * t;
    if (u < p1) return 1;
    double r = (u - p1) / (1 - p1);
    return r < 53.0 / 72 ? 2 : r < 71.0 / 72 ? 3 : 4;
}

#define MEAN_UNIT_FULL (1 + 0.72 * (164.0 / 72 - 1))

smp_status sampler_fill(const field *f, const settings *s, size_t expect, dot_list *out, smp_error *err)
{
    memset(out, 0, sizeof *out);
    /* One allocation for the expected count and a margin, most of the time. */
    if (expect) {
        out->cap = expect + expect / 16 + 1024;
        if (!(out->d = bulk_alloc(out->cap * sizeof *out->d))) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    const unsigned N = pointset_n;
    double lmax = f->lambda_max;
    if (!(lmax > 0)) return SMP_OK;
    double L = sampler_period_mm(lmax);
    uint64_t seed = s->seed;

    /* The seed's symmetry and offset, applied once to the whole tile. */
    uint64_t h = rng_hash(seed, RNG_TILE, 0, 0);
    int sym = (int)(h & 7);
    double ox = rng_unit(rng_hash(seed, RNG_TILE, 1, 0)), oy = rng_unit(rng_hash(seed, RNG_TILE, 2, 0));
    float *tx = malloc(2 * (size_t)N * sizeof *tx);
    if (!tx) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    for (unsigned i = 0; i < N; i++) {
        double x = pointset_xy[2 * i] / 65536.0, y = pointset_xy[2 * i + 1] / 65536.0;
        if (sym & 1) x = 1 - x;
        if (sym & 2) y = 1 - y;
        if (sym & 4) { double t = x; x = y; y = t; }
        x += ox; y += oy;
        x -= floor(x); y -= floor(y);
        tx[2 * i] = (float)(x * L);
        tx[2 * i + 1] = (float)(y * L);
    }

    /* Sessions by rank: a kept point's relative rank q = u lmax / lambda is
     * uniform in [0, 1) wherever it lands, and the points with q below a
     * share C are exactly the ranking's prefix at density C lambda, blue
     * noise in their own right.  So session k takes q in [C(k-1), C(k)), and
     * every prefix of sessions is an even layout at its own density. */
    double cum[7] = {0};
    for (int k = 0; k < s->n_shares; k++) cum[k + 1] = cum[k] + s->shares[k];
    cum[s->n_shares] = 1.0 + 1e-9;
    int raise = s->first_raise_mm > 0 && f->sd && s->n_shares > 1;
    int ncx = (int)ceil(f->w / L), ncy = (int)ceil(f->h / L);
    double inv_n = 1.0 / N;
    int pushed = 0;
    double mean_full = s->clustering ? MEAN_UNIT_FULL : 1;
    /* Only the tiles over the area's bounds: the work follows the area,
     * not the frame (a 10 mm triangle in a 20 m frame is a few tiles).
     * The tiles keep their numbers, so the dots are the same. */
    int cx0 = 0, cy0 = 0, cx1 = ncx, cy1 = ncy;
    if (f->area) {
        double x0, y0, x1, y1;
        area_bounds(f->area, &x0, &y0, &x1, &y1);
        cx0 = (int)fmax(0, floor(x0 / L) - 1);
        cy0 = (int)fmax(0, floor(y0 / L) - 1);
        cx1 = (int)fmin(ncx, ceil(x1 / L) + 1);
        cy1 = (int)fmin(ncy, ceil(y1 / L) + 1);
    }
    for (int cy = cy0; cy < cy1; cy++)
        for (int cx = cx0; cx < cx1; cx++) {
            double bx = cx * L, by = cy * L;
            uint64_t copy = (uint64_t)cy * (uint64_t)ncx + (uint64_t)cx;
            for (unsigned i = 0; i < N; i++) {
                vec2 p = v2(bx + tx[2 * i], by + tx[2 * i + 1]);
                if (p.x >= f->w || p.y >= f->h) continue;
                double thresh = (i + 0.5) * inv_n * lmax;
                double t;
                smp_dot_kind kind;
                double lam = field_density(f, p, &t, &kind);
                if (s->clustering) lam /= 1 + (mean_full - 1) * t;
                if (lam <= thresh) continue;
                double q = thresh / lam;
                int session = 1;
                while (session < s->n_shares && q >= cum[session]) session++;
                if (raise) {
                    /* Session 1 follows the raised line; what it leaves
                     * near the planned line comes in session 2. */
                    double lam1 = field_density_shifted(f, p, s->first_raise_mm, NULL, NULL);
                    if (s->clustering) lam1 /= 1 + (mean_full - 1) * t;
                    if (session == 1 && thresh >= cum[1] * lam1) session = 2;
                }
                uint64_t id = copy * N + i;
                uint64_t r1 = rng_hash(seed, RNG_DOT, id, 0), r2 = rng_hash(seed, RNG_DOT, id, 1);
                /* Finer and lighter toward the line: 80 % size, 75 % darkness at it. */
                double size = s->dot_mm * (0.8 + 0.2 * t) * (1 + s->dot_variation * (2 * rng_unit(r1) - 1));
                double dark = s->darkness * (0.75 + 0.25 * t) * (1 + 0.1 * (2 * rng_unit(r2) - 1)) * field_darkness(f, p);
                if (dark > 1) dark = 1;
                smp_dot d = {p.x, p.y, size, dark, session, kind, 0, 0, 0};
                if (!s->clustering) {
                    if ((pushed = dot_push(out, d)) != 0) goto full;
                    continue;
                }
                int k = unit_size(t, rng_unit(rng_hash(seed, RNG_CLUSTER, id, 0)));
                double a0 = 2 * M_PI * rng_unit(rng_hash(seed, RNG_CLUSTER, id, 1));
                for (int j = 0; j < k; j++) {
                    smp_dot e = d;
                    if (k > 1) {
                        /* Hairs of one unit exit 0.2-0.3 mm apart. */
                        double rr = 0.12 + 0.06 * rng_unit(rng_hash(seed, RNG_CLUSTER, id, 2 + (uint64_t)j));
                        double a = a0 + 2 * M_PI * j / k;
                        e.x_mm += rr * cos(a);
                        e.y_mm += rr * sin(a);
                        if (j > 0)
                            e.diameter_mm = s->dot_mm * (0.8 + 0.2 * t) *
                                            (1 + s->dot_variation * (2 * rng_unit(rng_hash(seed, RNG_DOT, id, 2 + (uint64_t)j)) - 1));
                        if (!area_contains(f->area, v2(e.x_mm, e.y_mm))) continue;
                    }
                    if ((pushed = dot_push(out, e)) != 0) goto full;
                }
            }
        }
    free(tx);
    return SMP_OK;
full:
    free(tx);
    dot_list_free(out);
    if (pushed > 0)
        return smp_fail(err, SMP_ELIMIT, 0, "the plan makes more than %.0f dots, the limit", SMP_MAX_DOTS);
    return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
}
