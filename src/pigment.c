#include "pigment.h"

#include <string.h>

#include "rng.h"

/* Carbon pigment under skin reads as a slightly cool grey: blue light is
 * darkened a little less than red.  Blown-out deposits sit deeper and
 * scatter more blue back, so they read blue-grey. */
static const double CARBON[3] = {1.0, 0.99, 0.95};
static const double BLOWN[3] = {0.92, 0.90, 0.74};

/* domain.md: fresh impressions about 1.6x the healed diameter. */
#define FRESH_SIZE 1.6
/* Fresh dots are darker before the scab takes pigment with it. */
#define FRESH_DARKNESS 1.25
/* Blown-out dots spread 1.8x wider with the same ink. */
#define BLOWOUT_SIZE 1.8

void pigment_from_settings(pigment *pg, const settings *s)
{
    memset(pg, 0, sizeof *pg);
    for (int c = 0; c < 3; c++) {
        pg->weight[c] = s->has_pigment ? 1.0 - s->pigment[c] / 255.0 : CARBON[c];
        pg->blown_weight[c] = BLOWN[c] * (s->has_pigment ? pg->weight[c] : 1.0);
    }
    /* Water parts W to one of pigment: 1/(1 + W/6) keeps near-black at
     * 0-2 and a light grey (about 0.23) at 20:1, domain.md's range.  No
     * source maps dilution to darkness: this is a starting point to test
     * on the skin.  A given colour already says how dark the ink is. */
    pg->strength = s->has_pigment ? 1.0 : 1.0 / (1.0 + s->dilution / 6.0);
    pg->blowout = s->blowout;
    pg->fresh = s->show_fresh;
}

void pigment_apply(const pigment *pg, uint64_t seed, smp_dot *dots, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        smp_dot *d = &dots[i];
        double dark = d->darkness * pg->strength;
        if (pg->fresh) {
            d->diameter_mm *= FRESH_SIZE;
            dark *= FRESH_DARKNESS;
        }
        d->blown = pg->blowout > 0 && rng_unit(rng_hash(seed, RNG_DOT, i, 77)) < pg->blowout;
        if (d->blown) {
            d->diameter_mm *= BLOWOUT_SIZE;
            dark /= BLOWOUT_SIZE * BLOWOUT_SIZE;
        }
        d->darkness = dark > 1 ? 1 : dark;
    }
}
