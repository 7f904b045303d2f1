#include "pigment.h"

#include <math.h>
#include <string.h>

#include "rng.h"

/* The deposit's optics, per channel R, G, B (docs/render.md has the
 * reasoning and the sources).  At the usual depth of 0.2 mm a deposit
 * removes about 1.5x its own area of light in green (docs/render.md, from a
 * Monte-Carlo estimate with Jacques 2013's coefficients); red travels
 * furthest in skin, so it loses most (2.5x) over the widest halo, blue
 * least (0.95x).  The gains fall with depth over REF_LEN: slowest in red,
 * so deeper ink reads cooler.  Checked against the Monte-Carlo peak
 * contrasts of a 0.3 mm deposit (R/G/B 0.65/0.52/0.37 at 0.15 mm,
 * 0.40/0.26/0.15 at 0.25 mm): this model gives 0.65/0.55/0.48 and
 * 0.30/0.20/0.13. */
#define REF_DEPTH 0.2
static const double GAIN[3] = {2.5, 1.5, 0.95};
static const double GAIN_LEN[3] = {0.35, 0.20, 0.13};
/* Share of the darkening in the halo at 0.2 mm (70-80 %, the same); the
 * core's share falls with depth over 0.12 mm (a deep deposit is all halo,
 * a shallow one mostly core). */
static const double HALO[3] = {0.78, 0.75, 0.72};
#define CORE_LEN 0.12
/* Halo sigma at 0.2 mm (0.45-0.6 mm, the same), widest in red; it grows
 * with depth as sigma x (0.4 + 3 z): 0.7x at 0.1 mm, 1.6x at 0.4 mm. */
static const double SIGMA[3] = {0.60, 0.50, 0.45};

/* docs/domain.md: fresh impressions about 1.6x the healed diameter. */
#define FRESH_SIZE 1.6
/* Fresh dots are more opaque before the scab takes pigment with it, and
 * the ink is still partly in the epidermis: 0.6x as deep. */
#define FRESH_DARKNESS 1.25
#define FRESH_DEPTH 0.6
/* A blown-out deposit spreads 1.3x wider with the same ink. */
#define BLOWOUT_SIZE 1.3
/* Fading: touch-ups come after roughly 2-6 years (docs/domain.md); ink falls
 * as exp(-Y/7), to 56 % after 4 years, and deposits spread 3 % a year. */
#define FADE_YEARS 7.0
#define SOFTEN_PER_YEAR 0.03
/* The skin above a deposit blurs the core by about half its depth: at
 * 0.2 mm a 0.2 mm deposit then looks about 0.3 mm wide at half contrast, a
 * 0.4 mm one about 0.45 mm (the same simulation). */
#define CORE_BLUR 0.5

void pigment_optics(double z, deposit_optics *o)
{
    if (z < 0.02) z = 0.02;
    for (int c = 0; c < 3; c++) {
        o->gain[c] = GAIN[c] * exp(-(z - REF_DEPTH) / GAIN_LEN[c]);
        double h = 1 - (1 - HALO[c]) * exp(-(z - REF_DEPTH) / CORE_LEN);
        o->halo[c] = h < 0 ? 0 : h > 1 ? 1 : h;
        o->sigma_mm[c] = SIGMA[c] * (0.4 + 3 * z);
    }
}

/* exp(-x) I0(x) (the scaled Bessel function), Abramowitz & Stegun 9.8.1-2. */
static double bessel_i0e(double x)
{
    if (x < 3.75) {
        double t = x / 3.75, t2 = t * t;
        return exp(-x) * (1 + t2 * (3.5156229 + t2 * (3.0899424 + t2 * (1.2067492 + t2 * (0.2659732 + t2 * (0.0360768 + t2 * 0.0045813))))));
    }
    double t = 3.75 / x;
    return (0.39894228 + t * (0.01328592 + t * (0.00225319 + t * (-0.00157565 + t * (0.00916281 + t * (-0.02057706 +
           t * (0.02635537 + t * (-0.01647633 + t * 0.00392377)))))))) / sqrt(x);
}

/* A disc of radius R blurred by a Gaussian of S, at distance RHO from its
 * centre (unnormalised): the integral over the disc in polar form. */
double pigment_blurred_disc(double R, double S, double rho)
{
    if (R < 1e-3) return exp(-rho * rho / (2 * S * S));
    const int n = 48;
    double sum = 0, h = R / n;
    for (int i = 0; i <= n; i++) {
        double r = i * h, w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
        double d = r - rho;
        sum += w * r * exp(-d * d / (2 * S * S)) * bessel_i0e(r * rho / (S * S));
    }
    return sum * h / 3;
}

double pigment_core_blur_mm(double z)
{
    return CORE_BLUR * z;
}

double pigment_apparent_mm(double d, double z)
{
    /* Green profile: the blurred core holding (1 - h) of the effect plus
     * the halo's Gaussian with the rest; the half-peak radius by bisection.
     * Contrast is small enough to add absorbances. */
    deposit_optics o;
    pigment_optics(z, &o);
    double R = d / 2, s = o.sigma_mm[1], h = o.halo[1], b = pigment_core_blur_mm(z);
    /* pigment_blurred_disc integrates to pi R^2 b^2 over the plane. */
    double norm = (1 - h) / (M_PI * fmax(R * R, 1e-6) * b * b);
    double halo = h / (2 * M_PI * s * s);
    double peak = norm * pigment_blurred_disc(R, b, 0) + halo, lo = 0, hi = R + 5 * s;
    for (int i = 0; i < 40; i++) {
        double r = (lo + hi) / 2;
        double v = norm * pigment_blurred_disc(R, b, r) + halo * exp(-r * r / (2 * s * s));
        if (v > peak / 2) lo = r; else hi = r;
    }
    return 2 * lo;
}

/* The undertones as weights: carbon black absorbs all three channels
 * alike and reads cool through skin (its halo takes most red); neutral
 * and warm pigments have brown in them, absorbing less red and a little
 * less green, like carbon mixed with about 10 % and 20 % of a brown
 * (#261200 and #4d2600 as --pigment colours, undiluted). */
static const double UNDERTONE[3][3] = {{1, 1, 1}, {0.85, 0.93, 1}, {0.70, 0.85, 1}};

void pigment_undertone(int undertone, double weight[3])
{
    if (undertone < 0 || undertone > 2) undertone = 0;
    for (int c = 0; c < 3; c++) weight[c] = UNDERTONE[undertone][c];
}

void pigment_from_settings(pigment *pg, const settings *s)
{
    memset(pg, 0, sizeof *pg);
    if (s->has_pigment)
        for (int c = 0; c < 3; c++) pg->weight[c] = 1.0 - s->pigment[c] / 255.0;
    else
        pigment_undertone(s->undertone, pg->weight);
    /* Water parts W to one of pigment: 1/(1 + W/6) keeps near-black at
     * 0-2 and a light grey (about 0.23) at 20:1, docs/domain.md's range.  No
     * source maps dilution to darkness: this is a starting point to test
     * on the skin.  A given colour already says how dark the ink is. */
    pg->strength = s->has_pigment ? 1.0 : 1.0 / (1.0 + s->dilution / 6.0);
    pg->blowout = s->blowout;
    pg->session_darkening = s->session_darkening;
    pg->depth_mm = s->depth_mm;
    pg->soft_mm = s->photo_soft_mm;
    pg->skin_warmth = s->photo_skin_warmth;
}

double pigment_mean_ink_mm2(const settings *s)
{
    pigment pg;
    pigment_from_settings(&pg, s);
    deposit_optics o;
    pigment_optics(pg.depth_mm, &o);
    /* Diameters vary uniformly by +-v: E[d^2] = d^2 (1 + v^2 / 3).  The
     * darkness varies by +-10 % around the plan's (sampler.c), and each
     * session is a little darker than the one before. */
    double v = s->dot_variation, d2 = s->dot_mm * s->dot_mm * (1 + v * v / 3);
    double sessions = 0;
    for (int k = 0; k < s->n_shares; k++) sessions += s->shares[k] * (1 + pg.session_darkening * k);
    if (s->n_shares == 0) sessions = 1;
    double dark = fmin(1, s->darkness * pg.strength * sessions);
    /* The mean over the channels, as grey levels average them: the halo's
     * share in each channel's gain, the neutral core's in green's. */
    double g = 0;
    for (int c = 0; c < 3; c++) g += (o.gain[c] * o.halo[c] + o.gain[1] * (1 - o.halo[1])) * pg.weight[c] / 3;
    return M_PI / 4 * d2 * dark * g;
}

void show_state_from_settings(show_state *st, const settings *s)
{
    st->upto = s->show_session ? s->show_session : s->sessions;
    st->fresh_session = s->show_fresh ? st->upto : 0;
    st->years = s->show_years;
    st->darkness_scale = 1;
}

void pigment_apply(const pigment *pg, uint64_t seed, smp_dot *dots, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        smp_dot *d = &dots[i];
        double dark = d->darkness * pg->strength * (1 + pg->session_darkening * (d->session - 1));
        d->blown = pg->blowout > 0 && rng_unit(rng_hash(seed, RNG_DOT, i, 77)) < pg->blowout;
        d->depth_mm = pg->depth_mm;
        if (d->blown) {
            d->diameter_mm *= BLOWOUT_SIZE;
            d->depth_mm = BLOWN_DEPTH_MM;
        }
        d->darkness = dark > 1 ? 1 : dark;
    }
}

size_t pigment_show(const show_state *st, const smp_dot *base, size_t n, smp_dot *out)
{
    size_t k = 0;
    double fade = exp(-st->years / FADE_YEARS), soften = 1 + SOFTEN_PER_YEAR * st->years;
    for (size_t i = 0; i < n; i++) {
        if (base[i].session > st->upto) continue;
        smp_dot d = base[i];
        d.fresh = st->fresh_session && d.session == st->fresh_session;
        double dark = d.darkness * st->darkness_scale;
        if (d.fresh) {
            d.diameter_mm *= FRESH_SIZE;
            d.depth_mm *= FRESH_DEPTH;
            dark *= FRESH_DARKNESS;
        } else if (st->years > 0) {
            d.diameter_mm *= soften;
            dark *= fade / (soften * soften); /* the faded ink, spread a little */
        }
        d.darkness = dark > 1 ? 1 : dark;
        out[k++] = d;
    }
    return k;
}
