/* pigment: what the ink looks like in the skin, and what it does to each
 * dot's size and darkness, session by session and over time.
 *
 * - Dilution (water parts W to one of pigment) sets the strength: diluted
 *   ink darkens less.  --pigment '#RRGGBB' gives the colour directly.
 * - Carbon under skin reads as a slightly cool grey; a blown-out deposit
 *   (too deep or too wet) spreads 1.8x wider with the same ink, so it is
 *   softer and lighter per area, and reads cooler, blue-grey (Tyndall).
 * - Each later session is a little darker (--session-darkening).
 * - Healed is the default state.  Fresh (the first days after a session)
 *   dots are 1.6x larger (domain.md) and darker, with a faint redness
 *   around them.  Years later, carbon fades to a lighter, slightly softer
 *   version of the same grey, never bluer.
 *
 * The layout applies these to the dots, so that `smpsim layout` writes
 * exactly the diameter and darkness that `smpsim render` draws. */
#ifndef SMP_PIGMENT_H
#define SMP_PIGMENT_H
#include "plan.h"

typedef struct pigment {
    double weight[3];       /* darkening per channel (R, G, B) at full darkness */
    double blown_weight[3]; /* the same for blown-out dots */
    double strength;        /* from the dilution: 1 for undiluted carbon */
    double blowout;         /* share of blown-out dots */
    double session_darkening;
} pigment;

/* Which dots show, and in what state. */
typedef struct show_state {
    int upto;               /* sessions 1..upto are done */
    int fresh_session;      /* this session's dots are fresh; 0 = none */
    double years;           /* years after the last session; 0 = healed */
    double darkness_scale;  /* how healing turned out: 1 as expected */
} show_state;

void pigment_from_settings(pigment *pg, const settings *s);
/* What one healed dot of the defined zone takes from the skin on average:
 * E[ink] x mean channel weight, in mm^2 (ink = pi r^2 x darkness; the
 * renderer multiplies each pixel by 1 - weight x ink x kernel, and the
 * kernel sums to 1).  A region with D dots per mm^2 that rarely overlap is
 * then darkened by the fraction D x this, which is how --density auto
 * turns the darkening the hair around a patch gives into a density. */
double pigment_mean_ink_mm2(const settings *s);
void show_state_from_settings(show_state *st, const settings *s);
/* The healed dots: strength, session darkening and blow-out applied to
 * diameter, darkness and the blown flag; deterministic in SEED and index. */
void pigment_apply(const pigment *pg, uint64_t seed, smp_dot *dots, size_t n);
/* Copies the dots of sessions 1..upto from BASE to OUT in the given state;
 * returns how many. OUT has room for N. */
size_t pigment_show(const show_state *st, const smp_dot *base, size_t n, smp_dot *out);

#endif
