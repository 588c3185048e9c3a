/* grid.h - the universe: a W x H array of cells, one bit per cell.
 *
 * Layout: row y is 'stride' 64-bit words starting at words + y * stride; cell
 * (x, y) is bit (x % 64) of word x / 64 of that row.  'stride' is a multiple of
 * 8 words so every row starts on a 64-byte boundary (aligned loads for the wide
 * kernels).  Invariant: bits at x >= width are always zero.
 *
 * The storage is an anonymous MAP_SHARED mapping, so worker processes forked
 * after the grid was created see the same cells (the process-pool back-end
 * relies on it).  x is the column, y the row, (0, 0) the top-left corner. */
#ifndef GLIDER_GRID_H
#define GLIDER_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define GRID_MAX_DIM 65536

enum topology {
    TOPO_TORUS, /* both axes wrap */
    TOPO_PLANE  /* bounded: every cell outside is dead, forever */
};

struct grid {
    int width;          /* columns, 1..GRID_MAX_DIM */
    int height;         /* rows, 1..GRID_MAX_DIM */
    enum topology topo; /* how the edges behave */
    size_t stride;      /* words per row, a multiple of 8 */
    uint64_t *words;    /* height * stride words, 64-byte aligned */
    size_t bytes;       /* length of the mapping behind 'words' */
};

/* Creates a dead grid.  Sizes outside 1..GRID_MAX_DIM are refused with a
 * message giving the memory the request would need.  On failure *out is NULL. */
int grid_create(struct grid **out, int width, int height, enum topology topo,
                struct glider_error *err);
void grid_destroy(struct grid *g);

/* Bytes two grids of this size would need (for messages and limits). */
uint64_t grid_bytes_for(uint64_t width, uint64_t height);

/* Parses "torus" or "plane". */
int topology_parse(const char *s, enum topology *out, struct glider_error *err);
const char *topology_name(enum topology t);

static inline uint64_t *grid_row(const struct grid *g, int y)
{
    return g->words + (size_t)y * g->stride;
}

/* Cell access for 0 <= x < width, 0 <= y < height. */
static inline int grid_get(const struct grid *g, int x, int y)
{
    return (int)((grid_row(g, y)[x >> 6] >> (x & 63)) & 1u);
}

static inline void grid_set(struct grid *g, int x, int y, int alive)
{
    uint64_t *w = &grid_row(g, y)[x >> 6];
    uint64_t bit = (uint64_t)1 << (x & 63);
    *w = alive ? (*w | bit) : (*w & ~bit);
}

/* Sets cell (x, y) alive with an atomic OR on its word, so many threads may
 * write different cells of the same word at once.  Cell-granular back-ends
 * clear 'next' first, then call this for every live cell. */
static inline void grid_set_atomic(struct grid *g, int x, int y)
{
    __atomic_fetch_or(&grid_row(g, y)[x >> 6], (uint64_t)1 << (x & 63),
                      __ATOMIC_RELAXED);
}

/* Any (x, y), following the topology: wraps on a torus, dead outside a plane. */
int grid_get_wrapped(const struct grid *g, long x, long y);

/* Live neighbours of (x, y) among its eight, following the topology.  On small
 * tori a cell may be its own neighbour; it is counted as often as it appears. */
int grid_count_neighbours(const struct grid *g, int x, int y);

uint64_t grid_population(const struct grid *g);
void grid_clear(struct grid *g);
/* Copies cells; dimensions must match (GLIDER_EINVAL otherwise). */
int grid_copy(struct grid *dst, const struct grid *src);
bool grid_equal(const struct grid *a, const struct grid *b);

/* A stable 64-bit hash of the size and the cells (independent of 'stride',
 * topology and the machine). */
uint64_t grid_hash(const struct grid *g);

/* Fills the grid with a reproducible random soup: each cell alive with
 * probability 'density' (0..1), from a generator seeded with 'seed'. */
void grid_fill_soup(struct grid *g, double density, uint64_t seed);

/* Smallest box holding every live cell: x0 <= x < x1, y0 <= y < y1.
 * Returns false when the grid is empty. */
bool grid_bbox(const struct grid *g, int *x0, int *y0, int *x1, int *y1);

#endif
