/* band_plan.h - how many bands of rows a generation is worth splitting into.
 *
 * Waking a thread costs tens of microseconds, and the bit-sliced kernels
 * compute a 1024x1024 universe in about as long, so the band count is chosen
 * from the work, not from the cell count: the plan keeps an estimate of the
 * kernel's seconds per cell (measured by the steps themselves) and makes no
 * band shorter than BAND_PLAN_MIN_SECONDS.  A split costs two wake-ups on
 * the critical path (the workers', then the driver's), 10-20 us on this kind
 * of VM, so halving W seconds of work pays only when W/2 clearly exceeds
 * that.  Fewer than two bands means "not worth splitting", and so does a
 * single thread: handing the only band to another thread can only add
 * latency.  With no estimate yet (the first step) the answer is one band,
 * which measures it.
 *
 * GLIDER_BAND_GRAIN=N in the environment (read at init) fixes the plan
 * instead: bands of at least N cells, no measuring.  The tests set 1 to split
 * even a 3x5 universe.
 *
 * Used by the thread-pool and worker-queue back-ends; each owns its plan and
 * only its driver thread touches it. */
#ifndef GLIDER_BAND_PLAN_H
#define GLIDER_BAND_PLAN_H

#include <stdlib.h>

#define BAND_PLAN_MIN_SECONDS 25e-6 /* shortest band worth a thread wake-up */

struct band_plan {
    long grain;            /* fixed cells per band (GLIDER_BAND_GRAIN), or 0 */
    double sec_per_cell;   /* measured kernel cost, 0 = not yet measured */
};

static inline void band_plan_init(struct band_plan *p)
{
    const char *s = getenv("GLIDER_BAND_GRAIN");
    p->grain = 0;
    p->sec_per_cell = 0;
    if (s && *s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (*end == '\0' && v >= 1)
            p->grain = v;
    }
}

/* Bands for 'height' rows of 'width' cells: at most 'max_bands' (a multiple
 * of 'nthreads') and 'height', rounded down to a multiple of 'nthreads' when
 * there are at least that many, so every thread gets the same share. */
static inline int band_plan_count(const struct band_plan *p, int width,
                                  int height, int nthreads, int max_bands)
{
    double cells = (double)width * height;
    double n;
    if (p->grain == 0 && nthreads < 2)
        return 1;
    if (p->grain > 0)
        n = cells / (double)p->grain;
    else if (p->sec_per_cell > 0)
        n = cells * p->sec_per_cell / BAND_PLAN_MIN_SECONDS;
    else
        return 1;
    if (n > max_bands)
        n = max_bands;
    int k = (int)n;
    if (p->grain == 0 && k >= nthreads)
        k -= k % nthreads;
    if (k > height)
        k = height;
    return k < 1 ? 1 : k;
}

/* Records that computing 'cells' cells took 'seconds' of kernel time (summed
 * over the threads that computed them). */
static inline void band_plan_measured(struct band_plan *p, double cells,
                                      double seconds)
{
    if (p->grain > 0 || cells <= 0 || seconds <= 0)
        return;
    double v = seconds / cells;
    /* A moving average: follows the universe filling up or dying out, and
     * one preempted step does not swing the plan. */
    p->sec_per_cell = p->sec_per_cell > 0 ? 0.75 * p->sec_per_cell + 0.25 * v
                                          : v;
}

#endif
