#include "colour.h"

#include <math.h>

static double lin(double c)
{
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lab_f(double t) { return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116; }

double srgb_to_linear(double v) { return lin(v); }

double linear_to_srgb(double v)
{
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    return 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055);
}

void srgb_to_lab(const uint8_t rgb[3], double lab[3])
{
    double l[3] = {lin(rgb[0]), lin(rgb[1]), lin(rgb[2])};
    linear_to_lab(l, lab);
}

void linear_to_lab(const double rgb[3], double lab[3])
{
    double r = rgb[0], g = rgb[1], b = rgb[2];
    double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    double fx = lab_f(x), fy = lab_f(y), fz = lab_f(z);
    lab[0] = 116 * fy - 16;
    lab[1] = 500 * (fx - fy);
    lab[2] = 200 * (fy - fz);
}

void photo_to_lab(const photo *p, float *l, float *a, float *b)
{
    for (int y = 0; y < p->h; y++)
        for (int x = 0; x < p->w; x++) {
            uint32_t c = ((const uint32_t *)(p->px + (size_t)y * p->stride))[x];
            uint8_t rgb[3] = {(uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c};
            double lab[3];
            srgb_to_lab(rgb, lab);
            size_t i = (size_t)y * p->w + x;
            l[i] = (float)lab[0];
            if (a) a[i] = (float)lab[1];
            if (b) b[i] = (float)lab[2];
        }
}
