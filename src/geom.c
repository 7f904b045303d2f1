#include "geom.h"

#include <math.h>

double v2_len(vec2 a) { return sqrt(a.x * a.x + a.y * a.y); }

double geom_seg_dist2(vec2 p, vec2 a, vec2 b)
{
    vec2 ab = v2_sub(b, a), ap = v2_sub(p, a);
    double l2 = v2_dot(ab, ab);
    double t = l2 > 0 ? v2_dot(ap, ab) / l2 : 0;
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    vec2 d = v2_sub(ap, v2_scale(ab, t));
    return v2_dot(d, d);
}

int geom_in_polygon(vec2 p, const vec2 *poly, size_t n)
{
    int in = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        vec2 a = poly[i], b = poly[j];
        if ((a.y > p.y) != (b.y > p.y) &&
            p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            in = !in;
    }
    return in;
}

double geom_polygon_area(const vec2 *poly, size_t n)
{
    double s = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        s += v2_cross(poly[j], poly[i]);
    return fabs(s) / 2;
}

double geom_polygon_edge_dist(vec2 p, const vec2 *poly, size_t n)
{
    double best = INFINITY;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double d = geom_seg_dist2(p, poly[j], poly[i]);
        if (d < best) best = d;
    }
    return sqrt(best);
}

static double orient(vec2 a, vec2 b, vec2 c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }

int geom_polygon_crossing(const vec2 *p, size_t n, size_t *ei, size_t *ej)
{
    for (size_t i = 0; i < n; i++) {
        vec2 a = p[i], b = p[(i + 1) % n];
        double x0 = fmin(a.x, b.x), x1 = fmax(a.x, b.x), y0 = fmin(a.y, b.y), y1 = fmax(a.y, b.y);
        /* Not the edge itself nor its two neighbours, which share a corner. */
        for (size_t j = i + 2; j < n; j++) {
            if (i == 0 && j == n - 1) continue;
            vec2 c = p[j], d = p[(j + 1) % n];
            if (fmax(c.x, d.x) < x0 || fmin(c.x, d.x) > x1 || fmax(c.y, d.y) < y0 || fmin(c.y, d.y) > y1) continue;
            double o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
            if (((o1 < 0 && o2 > 0) || (o1 > 0 && o2 < 0)) && ((o3 < 0 && o4 > 0) || (o3 > 0 && o4 < 0))) {
                *ei = i;
                *ej = j;
                return 1;
            }
        }
    }
    return 0;
}

void geom_chamfer(float *d, int w, int h, float unit)
{
    const float diag = unit * (float)M_SQRT2;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            float *c = &d[(size_t)j * w + i];
            if (i > 0) *c = fminf(*c, c[-1] + unit);
            if (j > 0) {
                *c = fminf(*c, c[-w] + unit);
                if (i > 0) *c = fminf(*c, c[-w - 1] + diag);
                if (i + 1 < w) *c = fminf(*c, c[-w + 1] + diag);
            }
        }
    for (int j = h - 1; j >= 0; j--)
        for (int i = w - 1; i >= 0; i--) {
            float *c = &d[(size_t)j * w + i];
            if (i + 1 < w) *c = fminf(*c, c[1] + unit);
            if (j + 1 < h) {
                *c = fminf(*c, c[w] + unit);
                if (i + 1 < w) *c = fminf(*c, c[w + 1] + diag);
                if (i > 0) *c = fminf(*c, c[w - 1] + diag);
            }
        }
}
