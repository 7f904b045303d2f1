#include "colour.h"

#include <math.h>
#include <pthread.h>

/* The cube root of linear light up to CBRT_TOP, from a table refined by
 * two Halley steps (to the last bit or so): the C library's took as long
 * as the rest of a pixel's CIELAB, three times per pixel. */
#define CBRT_N 4096
#define CBRT_TOP 1.125
static double cbrt_table[CBRT_N + 2];

static void cbrt_init(void)
{
    for (int i = 0; i <= CBRT_N + 1; i++) cbrt_table[i] = cbrt(i * (CBRT_TOP / CBRT_N));
}

static double cube_root(double t)
{
    if (!(t > 0 && t < CBRT_TOP)) return cbrt(t);
    double s = t * (CBRT_N / CBRT_TOP);
    int k = (int)s;
    double y = cbrt_table[k] + (cbrt_table[k + 1] - cbrt_table[k]) * (s - k);
    for (int i = 0; i < 2; i++) {
        double y3 = y * y * y;
        y *= (y3 + 2 * t) / (2 * y3 + t);
    }
    return y;
}

/* Linear light per 8-bit value, computed once: a power per channel per
 * pixel was a seventh of a render's time on a photo. */
static double lin_table[256];
static pthread_once_t lin_once = PTHREAD_ONCE_INIT;

static void lin_init(void)
{
    cbrt_init();
    for (int v = 0; v < 256; v++) {
        double c = v / 255.0;
        lin_table[v] = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
    }
}

/* The tables, made once per process (every public entry below). */
static void tables_ready(void) { pthread_once(&lin_once, lin_init); }

static double lab_f(double t) { return t > 216.0 / 24389 ? cube_root(t) : (24389.0 / 27 * t + 16) / 116; }

/* linear_to_lab's work, the tables made. */
static void lab_of(const double rgb[3], double lab[3])
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

double srgb_to_linear(int v)
{
    tables_ready();
    return lin_table[v & 255];
}

double linear_to_srgb(double v)
{
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    return 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055);
}

void srgb_to_lab(const uint8_t rgb[3], double lab[3])
{
    tables_ready();
    double l[3] = {lin_table[rgb[0]], lin_table[rgb[1]], lin_table[rgb[2]]};
    lab_of(l, lab);
}

void linear_to_lab(const double rgb[3], double lab[3])
{
    tables_ready();
    lab_of(rgb, lab);
}

void photo_to_lab(const photo *p, float *l, float *a, float *b)
{
    tables_ready();
    for (int y = 0; y < p->h; y++)
        for (int x = 0; x < p->w; x++) {
            uint32_t c = ((const uint32_t *)(p->px + (size_t)y * p->stride))[x];
            double lin3[3] = {lin_table[(c >> 16) & 255], lin_table[(c >> 8) & 255], lin_table[c & 255]}, lab[3];
            lab_of(lin3, lab);
            size_t i = (size_t)y * p->w + x;
            l[i] = (float)lab[0];
            if (a) a[i] = (float)lab[1];
            if (b) b[i] = (float)lab[2];
        }
}
