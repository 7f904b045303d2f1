/* clock: seconds on the monotonic clock, for the stage timings that
 * --json and -v report. */
#ifndef SMP_CLOCK_H
#define SMP_CLOCK_H

double smp_seconds(void);

#endif
