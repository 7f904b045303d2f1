/* analyze: the layout metrics of quality.md (count and density fidelity,
 * local relative radius, low-frequency spectrum). */
#ifndef SMP_ANALYZE_H
#define SMP_ANALYZE_H
#include "smpsim.h"

/* In-place radix-2 FFT of N complex values (re, im interleaved); N a power
 * of two.  Exposed for tests. */
void analyze_fft(double *z, size_t n, int inverse);

/* Nearest-neighbour distance of every dot (NAN for a lone dot); caller
 * frees the result.  NULL when out of memory. */
double *analyze_nn_distances(const smp_dot *dots, size_t n, double w, double h);

#endif
