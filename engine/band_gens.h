/* band_gens.h - several generations of one band of rows at once (deep halo).
 *
 * A band kernel computes one generation of rows [y0, y1) and needs one row of
 * 'cur' above and below them.  Computing k generations of the same rows needs
 * k rows above and below (the light cone of Life is one cell per
 * generation): band_gens copies rows y0-k .. y1+k-1 of 'cur' (wrapped on a
 * torus, clipped at a plane's edges) into private scratch, steps the scratch k
 * times - each time on a window one row narrower at every artificial edge,
 * since the cells there depend on rows the scratch does not have - and copies
 * rows [y0, y1) of the result into 'out'.  Bands computed this way are as
 * independent as one-generation bands: each reads only 'cur' and writes only
 * its own rows of 'out'.
 *
 * What it buys: a worker hands off work once per k generations instead of
 * every generation (the wake-ups cost tens of microseconds here), and a band
 * whose scratch fits in the core's L2 runs k generations from cache instead
 * of streaming the whole universe through memory every generation.  What it
 * costs: about k/(y1-y0) extra rows of kernel work, and two copies of the
 * band per k generations.  band_plan.h chooses k and the band height.
 *
 * The scratch belongs to whoever calls band_gens (one per worker), never
 * shared between concurrent calls. */
#ifndef GLIDER_BAND_GENS_H
#define GLIDER_BAND_GENS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "grid.h"
#include "kernel.h"
#include "rule.h"

/* Two row buffers of 'rows' x 'stride' words each, 64-byte aligned. */
struct band_scratch {
    void *raw;       /* the allocation (NULL when none) */
    uint64_t *buf[2];
    size_t words;    /* words in each buffer */
    size_t stride;   /* the row stride the buffers were last cleared for */
};

/* Rows of scratch a band of 'band_rows' rows needs for 'gens' generations. */
static inline int band_gens_rows(int band_rows, int gens)
{
    return band_rows + 2 * gens;
}

/* Makes 's' hold at least 'rows' rows of 'stride' words in each buffer
 * (keeping a larger allocation), all zero when new or when the stride
 * changed, so the words past a row's width are zero like a grid's.
 * GLIDER_ENOMEM on failure, 's' unchanged. */
int band_scratch_reserve(struct band_scratch *s, size_t stride, int rows,
                         struct glider_error *err);
void band_scratch_free(struct band_scratch *s);

/* Rows [y0, y1) of the universe 'gens' (>= 1) generations after 'cur' into
 * the same rows of 'out' (same size and topology as 'cur'), with the band
 * kernel 'band'.  's' must hold band_gens_rows(y1 - y0, gens) rows of
 * cur->stride words.  Reads only 'cur', writes only rows [y0, y1) of 'out'.
 * gens == 1 calls 'band' directly, without the scratch. */
void band_gens(kernel_band_fn band, const struct grid *cur, struct grid *out,
               const struct rule *rule, int y0, int y1, int gens,
               struct band_scratch *s);

#endif
