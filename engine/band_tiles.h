/* band_tiles.h - k generations of a universe cut into bands, with no cell
 * computed twice (split tiling).
 *
 * band_gens.h computes k generations of a band from a halo of k extra rows
 * on each side, so neighbouring bands compute the rows between them twice:
 * about k/(band rows) more work.  Here each step of k generations is two
 * kinds of tiles instead:
 *
 *   shrink (one per band [y0, y1)): generations 1..k of the band alone, in
 *     the caller's scratch, each generation on a window one row narrower at
 *     every edge the band shares with another band (the rows there depend
 *     on the neighbour).  Generation g covers rows [y0 + g, y1 - g): a
 *     trapezoid.  At a plane's top and bottom the window does not shrink:
 *     the dead outside is the truth there.  It writes rows [y0 + k, y1 - k)
 *     of generation k, and keeps the two first and two last rows of every
 *     generation 0..k-1 in its band_edges.
 *
 *   grow (one per edge y between two bands): generation g of rows
 *     [y - g, y + g), an upside-down trapezoid, from its own generation
 *     g - 1 and the two rows on each side that the shrink tiles of the band
 *     above and the band below kept.  It writes rows [y - k, y + k) of
 *     generation k.
 *
 * Together they write every row of generation k exactly once.  A shrink
 * tile reads only its band of the input grid; a grow tile reads only the two
 * shrink tiles' edges.  So with rounds of k generations that read one grid
 * and write the other:
 *   grow(r, y)    waits for shrink(r) of the bands above and below y;
 *   shrink(r, i)  waits for shrink(r - 1, i) and the grows (r - 1) at both
 *                 edges of band i (they wrote band i's rows, and they read
 *                 its band_edges, which it overwrites).
 * Every band must have at least 2k rows (the trapezoid does not close).
 *
 * Costs: no redundant cells; the kernel is called 2k times per band instead
 * of k (its per-call cost is two extra input rows), and four rows a
 * generation are copied to and from the edges.  Memory: the edges, 4k rows
 * per band (owned by the caller, one per band), and scratch of
 * band_tiles_scratch_rows rows per worker. */
#ifndef GLIDER_BAND_TILES_H
#define GLIDER_BAND_TILES_H

#include <stddef.h>
#include <stdint.h>

#include "band_gens.h"
#include "error.h"
#include "grid.h"
#include "kernel.h"
#include "rule.h"

/* What a band's shrink tile keeps for the grow tiles next to it: for each
 * generation g < gens, its two first rows then its two last rows. */
struct band_edges {
    uint64_t *rows;  /* 4 * gens rows of 'stride' words (NULL when none) */
    size_t words;    /* words allocated */
    size_t stride;
    int gens;
};

/* Makes 'e' hold 'gens' generations of rows of 'stride' words (keeping a
 * larger allocation).  GLIDER_ENOMEM on failure, 'e' unchanged. */
int band_edges_reserve(struct band_edges *e, size_t stride, int gens,
                       struct glider_error *err);
void band_edges_free(struct band_edges *e);

/* Makes '*arr' (of '*n' entries, grown as needed, the old ones kept) hold
 * at least 'nbands' band_edges, each reserved for 'gens' generations of
 * rows of 'stride' words.  GLIDER_ENOMEM on failure; what was there stays
 * valid (and is freed by band_edges_array_free). */
int band_edges_array_reserve(struct band_edges **arr, int *n, int nbands,
                             size_t stride, int gens, struct glider_error *err);
void band_edges_array_free(struct band_edges *arr, int n);

/* Rows of scratch (in each of its two buffers) a tile of a band of
 * 'band_rows' rows, or a grow tile, needs for 'gens' generations. */
static inline int band_tiles_scratch_rows(int band_rows, int gens)
{
    int grow = 2 * gens + 2;
    return band_rows > grow ? band_rows : grow;
}

/* The shrink tile of band [y0, y1) (y1 - y0 >= 2 * gens, gens >= 1): reads
 * rows [y0, y1) of 'src', writes rows [y0 + gens, y1 - gens) of 'dst' (from
 * row 0 / to the last row at a plane's top / bottom), fills 'e' (reserved
 * for 'gens').  's' holds band_tiles_scratch_rows rows of src->stride words. */
void band_tile_shrink(kernel_band_fn band, const struct grid *src,
                      struct grid *dst, const struct rule *rule, int y0, int y1,
                      int gens, struct band_edges *e, struct band_scratch *s);

/* The grow tile at edge 'y' (0 <= y < height; a plane has none at 0), from
 * the edges of the band above ('above') and below ('below') it: writes rows
 * [y - gens, y + gens) of 'dst' (wrapped on a torus). */
void band_tile_grow(kernel_band_fn band, struct grid *dst,
                    const struct rule *rule, int y, int gens,
                    const struct band_edges *above,
                    const struct band_edges *below, struct band_scratch *s);

/* The edges (rows y where a grow tile goes) of 'nbands' bands cut by
 * backend-style even splitting: a torus has one at the top of every band,
 * a plane one at the top of every band but the first. */
static inline int band_tiles_grows(int nbands, int torus)
{
    return torus ? nbands : nbands - 1;
}

#endif
