/* geom: points and polylines on the scalp plane, in millimetres. */
#ifndef SMP_GEOM_H
#define SMP_GEOM_H
#include <stddef.h>

typedef struct vec2 { double x, y; } vec2;

static inline vec2 v2(double x, double y) { vec2 r = {x, y}; return r; }
static inline vec2 v2_add(vec2 a, vec2 b) { return v2(a.x + b.x, a.y + b.y); }
static inline vec2 v2_sub(vec2 a, vec2 b) { return v2(a.x - b.x, a.y - b.y); }
static inline vec2 v2_scale(vec2 a, double s) { return v2(a.x * s, a.y * s); }
static inline double v2_dot(vec2 a, vec2 b) { return a.x * b.x + a.y * b.y; }
static inline double v2_cross(vec2 a, vec2 b) { return a.x * b.y - a.y * b.x; }

double v2_len(vec2 a);
/* Squared distance from P to segment AB. */
double geom_seg_dist2(vec2 p, vec2 a, vec2 b);
/* Even-odd test of P against the closed polygon of N vertices. */
int geom_in_polygon(vec2 p, const vec2 *poly, size_t n);
/* Shoelace area (absolute). */
double geom_polygon_area(const vec2 *poly, size_t n);
/* Distance from P to the polygon's boundary. */
double geom_polygon_edge_dist(vec2 p, const vec2 *poly, size_t n);

/* 1 when two edges of the closed polygon P cross (not merely touch), with
 * their indices (edge k runs from point k to point k + 1) in EI < EJ. */
int geom_polygon_crossing(const vec2 *p, size_t n, size_t *ei, size_t *ej);

/* Two-pass chamfer distance on a W x H grid of cells UNIT apart (steps
 * UNIT and UNIT * sqrt 2: at most 8.3 % over the true distance) to the cells
 * where D is 0; D holds a large value elsewhere. */
void geom_chamfer(float *d, int w, int h, float unit);

#endif
