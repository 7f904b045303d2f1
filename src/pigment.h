/* pigment: what the ink looks like in the skin, and what it does to each
 * dot's size, depth and ink, session by session and over time.
 *
 * A healed impression is a deposit of carbon in the upper dermis, seen
 * through skin that scatters light sideways (docs/render.md, "The pigment
 * model"): it darkens a soft halo much wider than itself around a small
 * dark core, more in red than in blue, so treated skin turns cooler as
 * well as darker.  pigment_optics() gives that per channel as a function
 * of depth; the renderer draws the core per dot and the halo as a field.
 *
 * - Dilution (water parts W to one of pigment) sets how opaque the ink is,
 *   the undertone (cool carbon black, neutral, warm) how much brown is in
 *   it.  --pigment '#RRGGBB' gives the ink's colour directly.
 * - A blown-out deposit (too deep or too wet) sits at BLOWN_DEPTH_MM and
 *   spreads 1.3x: fainter, wider, blue-green.
 * - Each later session is a little darker (--session-darkening).
 * - Healed is the default state.  Fresh (the first days after a session)
 *   deposits are 1.6x larger (docs/domain.md), more opaque and shallower (ink
 *   still in the epidermis and scab), so crisp and dark, with a faint
 *   redness around them.  Years later, carbon fades to a lighter, slightly
 *   softer version of the same grey, never bluer.
 *
 * The layout applies these to the dots, so that `smpsim layout` writes
 * exactly the diameter, ink and depth that `smpsim render` draws. */
#ifndef SMP_PIGMENT_H
#define SMP_PIGMENT_H
#include "plan.h"

/* sRGB values are close to linear light to the power 1/2.2: a
 * transmission T of the light multiplies an 8-bit value by T^(1/2.2). */
#define PIGMENT_GAMMA 2.2

/* Where a blown-out deposit sits, mm. */
#define BLOWN_DEPTH_MM 0.4

typedef struct pigment {
    double weight[3];       /* how much the ink absorbs per channel: 1 for carbon */
    double strength;        /* ink opacity from the dilution: 1 for undiluted carbon */
    double blowout;         /* share of blown-out dots */
    double session_darkening;
    double depth_mm;        /* of a healed deposit (--depth-mm) */
    double soft_mm;         /* the photo's own blur, as a Gaussian's sigma: the dots drawn on it take it too */
    double skin_warmth;     /* the client's skin's warmth (render.c's shine), measured on the photo; 0: unknown */
} pigment;

/* The ink's weights per channel for an undertone (0 cool, 1 neutral, 2
 * warm; settings.undertone). */
void pigment_undertone(int undertone, double weight[3]);

/* What one deposit at a depth does to the light, per channel (R, G, B):
 * it removes GAIN x its geometric area x its ink opacity, in mm^2 of skin
 * darkened to black (integral of 1 - transmission, for a faint deposit);
 * the share HALO of that as a Gaussian of SIGMA_MM, the rest in a core the
 * size of the deposit. */
typedef struct deposit_optics {
    double gain[3];
    double halo[3];
    double sigma_mm[3];
} deposit_optics;

/* Which dots show, and in what state. */
typedef struct show_state {
    int upto;               /* sessions 1..upto are done */
    int fresh_session;      /* this session's dots are fresh; 0 = none */
    double years;           /* years after the last session; 0 = healed */
    double darkness_scale;  /* how healing turned out: 1 as expected */
} show_state;

void pigment_from_settings(pigment *pg, const settings *s);
/* The optics of a deposit DEPTH_MM under the surface. */
void pigment_optics(double depth_mm, deposit_optics *o);
/* How much the skin above a deposit at DEPTH_MM blurs its core: the
 * Gaussian's sigma in mm. */
double pigment_core_blur_mm(double depth_mm);
/* A disc of radius R blurred by a Gaussian of S, at distance RHO from its
 * centre, unnormalised (any unit of length). */
double pigment_blurred_disc(double r, double s, double rho);
/* How wide a deposit of DIAMETER_MM at DEPTH_MM looks: the diameter at
 * which its darkening (green) falls to half its peak. */
double pigment_apparent_mm(double diameter_mm, double depth_mm);
/* What one healed dot of the defined zone takes from the skin on average,
 * over the three channels: E[area x ink] x gain, in mm^2.  A region with D dots per mm^2
 * then has a mean absorbance D x this (transmission exp(-D x this)), which
 * is how --density auto turns the darkening the hair around a patch gives
 * into a density. */
double pigment_mean_ink_mm2(const settings *s);
void show_state_from_settings(show_state *st, const settings *s);
/* The healed dots: strength, session darkening, depth and blow-out applied
 * to diameter, darkness, depth and the blown flag; deterministic in SEED
 * and index. */
void pigment_apply(const pigment *pg, uint64_t seed, smp_dot *dots, size_t n);
/* Copies the dots of sessions 1..upto from BASE to OUT in the given state;
 * returns how many. OUT has room for N. */
size_t pigment_show(const show_state *st, const smp_dot *base, size_t n, smp_dot *out);

#endif
