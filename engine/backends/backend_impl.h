/* backend_impl.h - what the back-end files share: the interface, the kernels,
 * the system-call wrappers, a monotonic clock and band splitting.  Private to
 * engine/backends/; a back-end never includes or calls another back-end. */
#ifndef GLIDER_BACKEND_IMPL_H
#define GLIDER_BACKEND_IMPL_H

#include <time.h>

#include "../backend.h"
#include "../kernel.h"
#include "../sys.h"

/* Seconds on the monotonic clock. */
static inline double backend_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Resolves a thread count option: 0 means the number of online CPUs. */
static inline int backend_threads(const struct backend_opts *o)
{
    return o && o->threads > 0 ? o->threads : sys_ncpus();
}

/* Rows [*y0, *y1) of band 'i' of 'nbands' over 'height' rows, as even as
 * possible (the first height % nbands bands get one row more). */
static inline void backend_band(int height, int nbands, int i, int *y0, int *y1)
{
    int base = height / nbands, extra = height % nbands;
    *y0 = i * base + (i < extra ? i : extra);
    *y1 = *y0 + base + (i < extra ? 1 : 0);
}

#endif
