/* match: --match auto, the treated area made to read like the client's own
 * short hair or stubble around it (docs/render.md, "Matching the client's
 * hair").
 *
 * Measuring: the photo is cut into blocks of 2 mm.  The area's skin is
 * its smooth blocks within 10 mm of its edge (an area drawn into the
 * stubble holds stubble too) but the darkest tenth; bare skin is any
 * smooth block with its hue, inside the area or out.  The stubble is the
 * blocks around the area within 30 mm, and inside it, whose fine texture
 * (standard deviation of L*) is at least 1.2x the skin's and which are
 * greyer than it, with a skin-like hue, each against the bare skin beside
 * it (the light changes across a head); much darker textured blocks (L*
 * 28 below the skin) are long hair, not stubble; a block with a
 * blown-out shine (scalp_shine) is neither skin nor hair.  Whether it is
 * darker or lighter than that skin is voted by the candidates outside the
 * area nearest it.
 *
 * Choosing: the stubble's light against the skin's, channel by channel, is
 * the transmission the dots must give.  The depth and the pigment's
 * undertone (carbon black, or some brown in it) are those whose colour
 * cast comes closest to the stubble's; then for densities from 70 to 200
 * dots/cm^2 the deposit size that darkens as much is found by rendering a
 * 16 mm test patch of the client's skin with the renderer itself, and the
 * density whose grain makes the area's texture closest to the stubble's is
 * taken.  Light or grey stubble (no darker than the skin) gets a light,
 * greyer result by dilution instead.  Where realistic density and size
 * cannot darken as much, it says so rather than overdraw. */
#ifndef SMP_MATCH_H
#define SMP_MATCH_H
#include "area.h"
#include "image.h"
#include "plan.h"

typedef smp_hair_match hair_match;

/* Measures P (SCALE px/mm) around and inside area A and, when stubble is
 * found, sets the density, dot size, depth, undertone and dilution in S and, for dark
 * stubble, A's fill: where stubble already darkens the area (its edge
 * drawn into the stubble), fewer dots, so that it blends.  M says what it
 * measured and chose; beside stubble lighter than the match's, A's tone
 * lightens the dots near the edge.  Fails only for want of memory. */
smp_status match_hair(const photo *p, double scale, area *a, settings *s, hair_match *m,
                      smp_error *err) SMP_MUST_CHECK;
/* Only what borders A, as match_hair reads it: M's long_hair and reason
 * (found stays 0), and STUBBLE (unless NULL) 1 when stubble borders A;
 * S and A untouched; cheaper, as it tries no dots. */
smp_status match_hair_kind(const photo *p, double scale, area *a, const settings *s, hair_match *m, int *stubble,
                           smp_error *err) SMP_MUST_CHECK;

#endif
