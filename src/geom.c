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
