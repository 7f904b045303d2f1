/* pigment: what the ink looks like in the skin, and what it does to each
 * dot's size and darkness.
 *
 * - Dilution (water parts W to one of pigment) sets the strength: diluted
 *   ink darkens less.  --pigment '#RRGGBB' gives the colour directly.
 * - Carbon under skin reads as a slightly cool grey; a blown-out deposit
 *   (too deep or too wet) spreads 1.8x wider with the same ink, so it is
 *   softer and lighter per area, and reads cooler, blue-grey (Tyndall).
 * - Healed is the default state.  Fresh (the first days) dots are 1.6x
 *   larger (domain.md) and darker, with a faint redness around them.
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
    int fresh;              /* 1: the first days after a session */
} pigment;

void pigment_from_settings(pigment *pg, const settings *s);
/* Applies strength, blow-out and the fresh state to the dots' diameter,
 * darkness and blown flag; deterministic in SEED and the dot's index. */
void pigment_apply(const pigment *pg, uint64_t seed, smp_dot *dots, size_t n);

#endif
