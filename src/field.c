#include "field.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "noise.h"
#include "rng.h"
#include "status.h"

/* Density at the line as a share of full density: practitioners start the
 * transition sparse; 0.15 keeps the first millimetre open. */
#define TRANSITION_START 0.15
/* Feature size of the micro-irregularity noise, mm. */
#define IRREGULARITY_MM 2.5
/* Largest number of distance-grid nodes (memory and time bound). */
#define MAX_NODES 4.0e6

/* Density across the transition zone as a share of full, T in 0..1.
 * 1 - (1 - t)^2.5 rises steeply from the line and levels off: the last
 * 2 mm band of a 6 mm zone averages 98 % of full and the middle stays under
 * 90 %, as docs/quality.md asks ("within 10 % by the end, not before half"). */
double transition_profile(double t)
{
    return TRANSITION_START + (1 - TRANSITION_START) * (1 - pow(1 - t, 2.5));
}

/* Where across the zone (0..1) a region darkens half as much as at full
 * density: the density's share times the dots' area and ink, which the
 * sampler ramps from 80 % size and 75 % darkness at the front (sampler.c).
 * The zone's front is put this far ahead of the line, so the visible edge
 * is where the practitioner drew it. */
static double half_darkening_point(void)
{
    double lo = 0, hi = 1;
    for (int i = 0; i < 40; i++) {
        double t = (lo + hi) / 2, size = 0.8 + 0.2 * t;
        if (transition_profile(t) * size * size * (0.75 + 0.25 * t) < 0.5) lo = t;
        else hi = t;
    }
    return (lo + hi) / 2;
}

static smp_status build_distance(field *f, const hairline *hl, smp_error *err)
{
    double g = 0.5;
    if ((f->w / g + 4) * (f->h / g + 4) > MAX_NODES) g = sqrt(f->w * f->h / MAX_NODES) * 1.01;
    f->g = g;
    f->x0 = -2 * g;
    f->y0 = -2 * g;
    f->gw = (int)ceil(f->w / g) + 5;
    f->gh = (int)ceil(f->h / g) + 5;
    f->band = f->transition + f->sentinel + 4 * g + 1;
    size_t nn = (size_t)f->gw * (size_t)f->gh;
    f->sd = malloc(nn * sizeof *f->sd);
    if (!f->sd) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    return hairline_distance_grid(hl, f->x0, f->y0, g, f->gw, f->gh, f->band, 1, f->sd, err);
}

/* The soft edge: cells of at most a tenth of its width (and at most 1 M
 * cells), each marked inside or outside the area, then the distance of each
 * inside cell to the nearest outside one by a two-pass chamfer transform
 * (steps of 1 and sqrt 2 cells: at most 8.3 % over, plenty for a ramp).  Beyond
 * the frame counts as inside: the photo's border is no edge. */
#define EDGE_NOISE_MM 4.0
/* The ramp's width where the area borders the client's hair. */
#define EDGE_HAIR_MM 1.0
#define HAIR_SPAN_MM 1.0 /* the square whose points say whether a cell is hair */

static smp_status build_edge(field *f, const area *a, double width, smp_error *err)
{
    double g = fmin(0.5, width / 10);
    if ((a->w / g) * (a->h / g) > 1e6) g = sqrt(a->w * a->h / 1e6);
    int w = (int)ceil(a->w / g), h = (int)ceil(a->h / g);
    size_t nc = (size_t)w * h;
    float *d = malloc(sizeof(float) * nc), *bare = malloc(sizeof(float) * nc), *dark = malloc(sizeof(float) * nc);
    if (!d || !bare || !dark) {
        free(d); free(bare); free(dark);
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    }
    const float far = (float)(width * 4 / g + 4);
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            vec2 c = v2((i + 0.5) * g, (j + 0.5) * g);
            size_t k = (size_t)j * w + i;
            d[k] = area_contains(a, c) ? far : 0;
            int dk = 0;
            if (!d[k] && a->not_bare.px) {
                /* Hair when 5 of 9 points over HAIR_SPAN_MM square
                 * round the cell are no bare skin, not one pixel: sparse
                 * stubble hardly darker than the skin has a dark pixel
                 * within 1.5 mm of every cell, and narrowed the ramp. */
                int nd = 0;
                for (int v = -1; v <= 1; v++)
                    for (int u = -1; u <= 1; u++) {
                        int x = (int)((c.x + u * HAIR_SPAN_MM / 2) * a->not_bare_scale);
                        int y = (int)((c.y + v * HAIR_SPAN_MM / 2) * a->not_bare_scale);
                        nd += x >= 0 && y >= 0 && x < a->not_bare.w && y < a->not_bare.h &&
                              a->not_bare.px[(size_t)y * a->not_bare.w + x];
                    }
                dk = nd >= 5;
            }
            dark[k] = dk ? 0 : far;
        }
    /* Outside cells within 1.5 mm of ones that are no bare skin (hair,
     * stubble, the room past the head's outline) are not bare skin
     * either: the distance to bare skin skips them. */
    geom_chamfer(dark, w, h, 1);
    for (size_t k = 0; k < nc; k++) bare[k] = d[k] || dark[k] * g <= 1.5 ? far : 0;
    free(dark);
    geom_chamfer(d, w, h, 1);
    geom_chamfer(bare, w, h, 1);
    /* From cells to mm, measured from the edge between the cells; where
     * the nearest outside is no bare skin (bare skin is further than it
     * by a millimetre and more), the ramp narrows to EDGE_HAIR_MM. */
    for (size_t k = 0; k < nc; k++) {
        double dist = d[k] > 0 ? (d[k] - 0.5) * g : 0, gap = (bare[k] - d[k]) * g;
        double hair = fmin(1, fmax(0, (gap - 0.5) / 1.5));
        d[k] = (float)dist;
        bare[k] = (float)(width + (fmin(width, EDGE_HAIR_MM) - width) * hair);
    }
    f->edge = d;
    f->edge_width = bare;
    f->ew = w;
    f->eh = h;
    f->eg = g;
    f->edge_mm = width;
    return SMP_OK;
}

static double edge_ramp(const field *f, vec2 p)
{
    if (f->ew < 2 || f->eh < 2) return 1;
    double fx = p.x / f->eg - 0.5, fy = p.y / f->eg - 0.5;
    int i = (int)floor(fx), j = (int)floor(fy);
    i = i < 0 ? 0 : i > f->ew - 2 ? f->ew - 2 : i;
    j = j < 0 ? 0 : j > f->eh - 2 ? f->eh - 2 : j;
    double tx = fmin(1, fmax(0, fx - i)), ty = fmin(1, fmax(0, fy - j));
    size_t k = (size_t)j * f->ew + i;
    const float *r0 = f->edge + k, *r1 = r0 + f->ew, *w0 = f->edge_width + k, *w1 = w0 + f->ew;
    double d = (r0[0] + (r0[1] - r0[0]) * tx) * (1 - ty) + (r1[0] + (r1[1] - r1[0]) * tx) * ty;
    if (d >= 1.34 * f->edge_mm) return 1;
    double width = (w0[0] + (w0[1] - w0[0]) * tx) * (1 - ty) + (w1[0] + (w1[1] - w1[0]) * tx) * ty;
    /* The edge wanders by a third of the width, in features of 4 mm. */
    double wander = width / 3 * noise2(f->seed, RNG_NOISE + 17, p.x / EDGE_NOISE_MM, p.y / EDGE_NOISE_MM);
    double t = (d + wander) / width;
    return t <= 0 ? 0 : t >= 1 ? 1 : t;
}

smp_status field_build(const settings *s, const area *a, const hairline *hl, const regions *r, field *f,
                       smp_error *err)
{
    return field_build_edge_from(s, a, hl, r, NULL, f, err);
}

/* A copy of FROM's soft edge into F. */
static smp_status copy_edge(field *f, const field *from, smp_error *err)
{
    size_t nc = (size_t)from->ew * from->eh;
    f->edge = malloc(nc * sizeof *f->edge);
    f->edge_width = malloc(nc * sizeof *f->edge_width);
    if (!f->edge || !f->edge_width) return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    memcpy(f->edge, from->edge, nc * sizeof *f->edge);
    memcpy(f->edge_width, from->edge_width, nc * sizeof *f->edge_width);
    f->ew = from->ew;
    f->eh = from->eh;
    f->eg = from->eg;
    f->edge_mm = from->edge_mm;
    return SMP_OK;
}

smp_status field_keep_edge(const field *f, field *keep, smp_error *err)
{
    field_free(keep);
    memset(keep, 0, sizeof *keep);
    return f->edge ? copy_edge(keep, f, err) : SMP_OK;
}

smp_status field_build_edge_from(const settings *s, const area *a, const hairline *hl, const regions *r,
                                 const field *edge_from, field *f, smp_error *err)
{
    memset(f, 0, sizeof *f);
    f->area = a;
    f->regions = r && r->any ? r : NULL;
    f->w = a->w;
    f->h = a->h;
    f->d1 = s->density1 / 100.0;
    f->d2 = s->density2 / 100.0;
    f->seed = s->seed;
    f->transition = s->transition_mm;
    f->sentinel = s->sentinel_mm;
    f->share = s->sentinel_share;
    f->irregularity = s->irregularity;
    if (s->shape == SHAPE_BROKEN) {
        /* A broken, faded line: soft scatter well ahead of it. */
        f->transition *= 1.5;
        f->sentinel *= 2;
        f->share = fmin(1, f->share * 2.5);
        f->irregularity = fmax(f->irregularity, 0.6);
    }
    f->lead = f->transition * half_darkening_point();
    if (s->density_map) {
        smp_status st = image_read_grey_png(s->density_map, &f->map, err);
        if (st != SMP_OK) return st;
    }
    if (hl) {
        smp_status st = build_distance(f, hl, err);
        if (st != SMP_OK) { field_free(f); return st; }
    }
    if (s->photo && s->edge_mm > 0) {
        smp_status st = edge_from && edge_from->edge ? copy_edge(f, edge_from, err) : build_edge(f, a, s->edge_mm, err);
        if (st != SMP_OK) { field_free(f); return st; }
    }
    double base_max = fmax(f->d1, f->d2);
    double map_max = 1;
    if (f->map.px) {
        int mx = 0;
        size_t npx = (size_t)f->map.w * (size_t)f->map.h;
        for (size_t i = 0; i < npx; i++) if (f->map.px[i] > mx) mx = f->map.px[i];
        map_max = mx / 255.0;
    }
    /* The hairline profile with the noise at its extreme, maximised
     * numerically: it can overshoot full density in the transition zone. */
    double shape_max = 1.0;
    if (hl) {
        shape_max = fmax(1.0, f->share * (1 + f->irregularity));
        for (int i = 0; i <= 1000; i++) {
            double tt = i / 1000.0;
            double k = transition_profile(tt);
            shape_max = fmax(shape_max, k * (1 + f->irregularity * (1 - tt)));
        }
    }
    double region_max = f->regions ? fmax(1, f->regions->scar_density) : 1;
    f->lambda_max = base_max * map_max * shape_max * region_max;
    return SMP_OK;
}

void field_free(field *f)
{
    if (!f) return;
    free(f->edge);
    free(f->edge_width);
    f->edge = f->edge_width = NULL;
    free(f->sd);
    f->sd = NULL;
    grey_image_free(&f->map);
}

double field_signed_distance(const field *f, vec2 p)
{
    if (!f->sd) return INFINITY;
    double fx = (p.x - f->x0) / f->g, fy = (p.y - f->y0) / f->g;
    int i = (int)floor(fx), j = (int)floor(fy);
    if (i < 0) i = 0;
    if (j < 0) j = 0;
    if (i > f->gw - 2) i = f->gw - 2;
    if (j > f->gh - 2) j = f->gh - 2;
    double tx = fx - i, ty = fy - j;
    const float *r0 = f->sd + (size_t)j * f->gw + i, *r1 = r0 + f->gw;
    double top = r0[0] + (r0[1] - r0[0]) * tx, bot = r1[0] + (r1[1] - r1[0]) * tx;
    return top + (bot - top) * ty;
}

static double map_at(const grey_image *m, double u, double v)
{
    /* Bilinear over pixel centres, clamped at the edges. */
    double fx = u * m->w - 0.5, fy = v * m->h - 0.5;
    if (fx < 0) fx = 0;
    if (fy < 0) fy = 0;
    if (fx > m->w - 1) fx = m->w - 1;
    if (fy > m->h - 1) fy = m->h - 1;
    int i = (int)fx, j = (int)fy;
    int i1 = i + 1 < m->w ? i + 1 : i, j1 = j + 1 < m->h ? j + 1 : j;
    double tx = fx - i, ty = fy - j;
    const uint8_t *p = m->px;
    size_t w = (size_t)m->w;
    double top = p[j * w + i] + (p[j * w + i1] - p[j * w + i]) * tx;
    double bot = p[j1 * w + i] + (p[j1 * w + i1] - p[j1 * w + i]) * tx;
    return (top + (bot - top) * ty) / 255.0;
}

double field_density(const field *f, vec2 p, double *t, smp_dot_kind *kind)
{
    return field_density_shifted(f, p, 0, t, kind);
}

double field_density_shifted(const field *f, vec2 p, double shift, double *t, smp_dot_kind *kind)
{
    if (t) *t = 1;
    if (kind) *kind = SMP_DOT_REGULAR;
    if (!area_contains(f->area, p)) return 0;
    double lam = f->d1 + (f->d2 - f->d1) * (p.x / f->w);
    if (f->regions) {
        double dens, dark;
        regions_eval(f->regions, p, &dens, &dark);
        lam *= dens;
        if (lam <= 0) return 0;
    }
    if (f->map.px) lam *= map_at(&f->map, p.x / f->w, p.y / f->h);
    if (f->edge) {
        lam *= edge_ramp(f, p);
        if (lam <= 0) return 0;
    }
    if (f->area->fill) {
        int x = (int)(p.x * f->area->not_bare_scale), y = (int)(p.y * f->area->not_bare_scale);
        if (x >= 0 && y >= 0 && x < f->area->fill_w && y < f->area->fill_h) lam *= f->area->fill[(size_t)y * f->area->fill_w + x];
        if (lam <= 0) return 0;
    }
    if (!f->sd) return lam;
    /* Measured from the transition zone's front, ahead of the line by
     * LEAD: the density ramps up around the line, so the visible edge
     * (half the darkening) is where the line was drawn. */
    double d = field_signed_distance(f, p) - shift + f->lead;
    double k, tt;
    if (d <= -f->sentinel) {
        if (t) *t = 0;
        return 0;
    }
    if (d < 0) {
        k = f->share;
        tt = 0;
        if (kind) *kind = SMP_DOT_SENTINEL;
    } else if (d < f->transition) {
        tt = d / f->transition;
        k = transition_profile(tt);
        if (kind) *kind = SMP_DOT_TRANSITION;
    } else {
        if (t) *t = 1;
        return lam;
    }
    if (f->irregularity > 0)
        k *= 1 + f->irregularity * (1 - tt) *
                     noise2(f->seed, RNG_NOISE, p.x / IRREGULARITY_MM, p.y / IRREGULARITY_MM);
    if (t) *t = tt;
    return lam * k;
}

double field_darkness(const field *f, vec2 p)
{
    double dark = 1, dens;
    if (f->regions) regions_eval(f->regions, p, &dens, &dark);
    if (f->area && f->area->tone) {
        int x = (int)(p.x * f->area->not_bare_scale), y = (int)(p.y * f->area->not_bare_scale);
        if (x >= 0 && y >= 0 && x < f->area->fill_w && y < f->area->fill_h)
            dark *= f->area->tone[(size_t)y * f->area->fill_w + x];
    }
    return dark;
}

double field_integrate(const field *f, double step, double max_cells)
{
    double cells = (f->w / step) * (f->h / step);
    if (cells > max_cells) step *= sqrt(cells / max_cells);
    int nx = (int)ceil(f->w / step), ny = (int)ceil(f->h / step);
    double cw = f->w / nx, ch = f->h / ny, sum = 0;
    /* One point per cell, at a place in it the cell's hash picks: a
     * pattern in a density map as fine as the cells (stripes between the
     * cells' centres) cannot hide from the estimate, as it could from a
     * regular grid. */
    for (int j = 0; j < ny; j++) {
        double row = 0;
        for (int i = 0; i < nx; i++) {
            uint64_t hsh = rng_hash(0x1e57, RNG_TILE, (uint64_t)i, (uint64_t)j);
            double u = (double)(hsh & 0xffffffffu) / 4294967296.0, v = (double)(hsh >> 32) / 4294967296.0;
            row += field_density(f, v2((i + u) * cw, (j + v) * ch), NULL, NULL);
        }
        sum += row;
    }
    return sum * cw * ch;
}
