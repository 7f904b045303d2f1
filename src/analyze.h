/* analyze: the layout metrics of docs/quality.md (count and density fidelity,
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

/* smp_dots_read_csv with another limit than SMP_MAX_DOTS (for tests). */
smp_status analyze_read_csv(const char *path, size_t max_dots, smp_dot **dots, size_t *n, smp_error *err);

#endif
