#include "pigment.h"

#include <math.h>
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
/* Fading: touch-ups come after roughly 2-6 years (domain.md); darkness
 * falls as exp(-Y/7), to 56 % after 4 years, and dots soften 3 % a year. */
#define FADE_YEARS 7.0
#define SOFTEN_PER_YEAR 0.03

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
    pg->session_darkening = s->session_darkening;
}

double pigment_mean_ink_mm2(const settings *s)
{
    pigment pg;
    pigment_from_settings(&pg, s);
    /* Diameters vary uniformly by +-v: E[d^2] = d^2 (1 + v^2 / 3).  The
     * darkness varies by +-10 % around the plan's (sampler.c), and each
     * session is a little darker than the one before. */
    double v = s->dot_variation, d2 = s->dot_mm * s->dot_mm * (1 + v * v / 3);
    double sessions = 0;
    for (int k = 0; k < s->n_shares; k++) sessions += s->shares[k] * (1 + pg.session_darkening * k);
    if (s->n_shares == 0) sessions = 1;
    double dark = fmin(1, s->darkness * pg.strength * sessions);
    double w = (pg.weight[0] + pg.weight[1] + pg.weight[2]) / 3;
    return M_PI / 4 * d2 * dark * w;
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
        if (d->blown) {
            d->diameter_mm *= BLOWOUT_SIZE;
            dark /= BLOWOUT_SIZE * BLOWOUT_SIZE;
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
