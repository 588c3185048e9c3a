/* band_tiles.c - k generations without redundant cells (see band_tiles.h). */
#include "band_tiles.h"

#include <stdlib.h>
#include <string.h>

#include "sys.h"

int band_edges_reserve(struct band_edges *e, size_t stride, int gens,
                       struct glider_error *err)
{
    size_t rows = 4 * (size_t)(gens > 0 ? gens : 1);
    if (stride > SIZE_MAX / sizeof(uint64_t) / rows)
        return glider_errorf(err, GLIDER_ENOMEM,
                             "band edges of %d generations are too large", gens);
    size_t words = rows * stride;
    if (e->rows && e->words >= words) {
        e->stride = stride;
        e->gens = gens;
        return 0;
    }
    uint64_t *p = sys_malloc(words * sizeof(uint64_t));
    if (!p)
        return glider_errorf(err, GLIDER_ENOMEM,
                             "out of memory for the band edges of %d "
                             "generations", gens);
    free(e->rows);
    e->rows = p;
    e->words = words;
    e->stride = stride;
    e->gens = gens;
    return 0;
}

void band_edges_free(struct band_edges *e)
{
    free(e->rows);
    memset(e, 0, sizeof *e);
}

int band_edges_array_reserve(struct band_edges **arr, int *n, int nbands,
                             size_t stride, int gens, struct glider_error *err)
{
    if (nbands > *n) {
        struct band_edges *p = sys_calloc((size_t)nbands, sizeof *p);
        if (!p)
            return glider_errorf(err, GLIDER_ENOMEM,
                                 "out of memory for %d bands' edges", nbands);
        for (int i = 0; i < *n; i++)
            p[i] = (*arr)[i];
        free(*arr);
        *arr = p;
        *n = nbands;
    }
    for (int i = 0; i < nbands; i++) {
        int rc = band_edges_reserve(&(*arr)[i], stride, gens, err);
        if (rc)
            return rc;
    }
    return 0;
}

void band_edges_array_free(struct band_edges *arr, int n)
{
    for (int i = 0; i < n; i++)
        band_edges_free(&arr[i]);
    free(arr);
}

/* Row 'k' (0, 1: the first two; 2, 3: the last two) of generation 'g'. */
static uint64_t *edge_row(const struct band_edges *e, int g, int k)
{
    return e->rows + ((size_t)4 * (size_t)g + (size_t)k) * e->stride;
}

/* The two views of a scratch: 'rows' rows each, 'like' for the rest (width,
 * topology, stride). */
static void scratch_views(const struct grid *like, struct band_scratch *s,
                          int rows, struct grid *a, struct grid *b)
{
    *a = *like;
    *b = *like;
    a->height = b->height = rows;
    a->words = s->buf[0];
    b->words = s->buf[1];
    a->bytes = b->bytes = (size_t)rows * like->stride * sizeof(uint64_t);
}

static size_t cell_bytes(const struct grid *g)
{
    return (size_t)((g->width + 63) / 64) * sizeof(uint64_t);
}

void band_tile_shrink(kernel_band_fn band, const struct grid *src,
                      struct grid *dst, const struct rule *rule, int y0, int y1,
                      int gens, struct band_edges *e, struct band_scratch *s)
{
    int n = y1 - y0;
    int plane = src->topo == TOPO_PLANE;
    int real_top = plane && y0 == 0, real_bot = plane && y1 == src->height;
    size_t row_bytes = src->stride * sizeof(uint64_t);
    struct grid a, b;
    scratch_views(src, s, n, &a, &b);
    memcpy(a.words, grid_row(src, y0), (size_t)n * row_bytes);
    struct grid *from = &a, *to = &b;
    int lo = 0, hi = n;
    for (int g = 0;; g++) {
        /* 'from' holds generation g on rows [lo, hi). */
        if (g == gens)
            break;
        if (!real_top)
            memcpy(edge_row(e, g, 0), grid_row(from, lo), 2 * row_bytes);
        if (!real_bot)
            memcpy(edge_row(e, g, 2), grid_row(from, hi - 2), 2 * row_bytes);
        lo = real_top ? 0 : g + 1;
        hi = real_bot ? n : n - g - 1;
        band(from, to, rule, lo, hi);
        struct grid *t = from;
        from = to;
        to = t;
    }
    size_t cb = cell_bytes(src);
    for (int r = lo; r < hi; r++)
        memcpy(grid_row(dst, y0 + r), grid_row(from, r), cb);
}

void band_tile_grow(kernel_band_fn band, struct grid *dst,
                    const struct rule *rule, int y, int gens,
                    const struct band_edges *above,
                    const struct band_edges *below, struct band_scratch *s)
{
    /* Universe row y + d lives at view row gens + 1 + d. */
    int k = gens, rows = 2 * k + 2;
    size_t row_bytes = dst->stride * sizeof(uint64_t);
    struct grid a, b;
    scratch_views(dst, s, rows, &a, &b);
    struct grid *from = &a, *to = &b;
    for (int g = 1; g <= k; g++) {
        /* 'from' holds generation g - 1 on rows [y - g + 1, y + g - 1);
         * the shrink tiles kept the two rows on either side. */
        memcpy(grid_row(from, k - g), edge_row(above, g - 1, 2), 2 * row_bytes);
        memcpy(grid_row(from, k + g), edge_row(below, g - 1, 0), 2 * row_bytes);
        band(from, to, rule, k - g + 1, k + g + 1);
        struct grid *t = from;
        from = to;
        to = t;
    }
    size_t cb = cell_bytes(dst);
    for (int d = -k; d < k; d++) {
        int r = y + d;
        if (r < 0)
            r += dst->height;
        else if (r >= dst->height)
            r -= dst->height;
        memcpy(grid_row(dst, r), grid_row(from, k + 1 + d), cb);
    }
}
