/* colour: sRGB, linear light and CIELAB (D65), for every stage that
 * measures a photo (scalp, regions, match, shade, shave) and the tools. */
#ifndef SMP_COLOUR_H
#define SMP_COLOUR_H
#include <stdint.h>

#include "image.h"

/* An 8-bit sRGB colour to CIELAB. */
void srgb_to_lab(const uint8_t rgb[3], double lab[3]);
/* The same from linear light (0..1 per channel). */
void linear_to_lab(const double rgb[3], double lab[3]);
/* An 8-bit sRGB value (0..255) to linear light (0..1), and back. */
double srgb_to_linear(int v);
double linear_to_srgb(double v);
/* The photo's CIELAB planes (w*h floats each; A and B may be NULL). */
void photo_to_lab(const photo *p, float *l, float *a, float *b);

#endif
