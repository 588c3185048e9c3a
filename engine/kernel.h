/* kernel.h - computing rows of the next generation.
 *
 * A band kernel computes rows [y0, y1) of 'next' from 'cur' for any Life-like
 * rule and either topology.  It reads any row of 'cur' and writes only rows
 * y0..y1-1 of 'next' (whole words, keeping the bits past the width zero), so
 * workers given disjoint bands never write the same memory.
 *
 * Several implementations exist (scalar 64-bit, AVX2, AVX-512); one is chosen
 * once at start-up from the CPU's features, or by name (--kernel, or the
 * environment variable GLIDER_KERNEL). */
#ifndef GLIDER_KERNEL_H
#define GLIDER_KERNEL_H

#include "error.h"
#include "grid.h"
#include "rule.h"

typedef void (*kernel_band_fn)(const struct grid *cur, struct grid *next,
                               const struct rule *rule, int y0, int y1);

struct kernel {
    const char *name;      /* "reference", "scalar", "avx2", "avx512" */
    const char *summary;   /* one line for --help and the HUD */
    kernel_band_fn band;   /* computes rows [y0, y1) */
    int (*supported)(void); /* non-zero when this CPU can run it */
};

/* The naive per-cell kernel: count eight neighbours, apply the rule.  The
 * oracle every other kernel is tested against. */
void kernel_reference_band(const struct grid *cur, struct grid *next,
                           const struct rule *rule, int y0, int y1);

/* Looks a kernel up by name; NULL when unknown. */
const struct kernel *kernel_find(const char *name);

/* Iterates the kernels: kernel_at(0), kernel_at(1), ... until NULL. */
const struct kernel *kernel_at(int i);

/* Selects the kernel all band back-ends use from now on: a name, or "auto"
 * (the fastest this CPU supports).  Fails for an unknown name or a kernel this
 * CPU cannot run; the selection is then unchanged.  Call between steps only. */
int kernel_select(const char *name, struct glider_error *err);

/* The selected kernel.  On first use it is chosen from GLIDER_KERNEL when set
 * (an invalid value falls back to "auto" with a warning on stderr), else
 * "auto". */
const struct kernel *kernel_active(void);

/* Computes one whole generation with the active kernel; the reference for
 * "one loop over the universe". */
void kernel_step(const struct grid *cur, struct grid *next, const struct rule *rule);

#endif
