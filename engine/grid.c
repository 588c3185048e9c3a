/* grid.c - the bit-packed universe (see grid.h for the layout). */
#include "grid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

uint64_t grid_bytes_for(uint64_t width, uint64_t height)
{
    uint64_t stride = ((width + 63) / 64 + 7) / 8 * 8;
    return 2 * stride * 8 * height;
}

int grid_create(struct grid **out, int width, int height, enum topology topo,
                struct glider_error *err)
{
    *out = NULL;
    if (width < 1 || height < 1 || width > GRID_MAX_DIM ||
        height > GRID_MAX_DIM) {
        uint64_t w = width < 1 ? 1 : (uint64_t)width;
        uint64_t h = height < 1 ? 1 : (uint64_t)height;
        return glider_errorf(err, GLIDER_ELIMIT,
                             "universe %dx%d refused: width and height must be "
                             "1..%d (this one would need %.1f MiB for its two "
                             "grids)",
                             width, height, GRID_MAX_DIM,
                             (double)grid_bytes_for(w, h) / (1024.0 * 1024.0));
    }
    if (topo != TOPO_TORUS && topo != TOPO_PLANE)
        return glider_errorf(err, GLIDER_EINVAL, "unknown topology %d", topo);
    struct grid *g = sys_calloc(1, sizeof *g);
    if (!g)
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory for a grid");
    g->width = width;
    g->height = height;
    g->topo = topo;
    g->stride = ((size_t)(width + 63) / 64 + 7) / 8 * 8;
    g->bytes = g->stride * 8 * (size_t)height;
    g->words = sys_mmap_shared(g->bytes);
    if (!g->words) {
        int e = errno;
        double mib = (double)g->bytes / (1024.0 * 1024.0);
        free(g);
        return glider_syserrorf(err, GLIDER_ENOMEM, e,
                                "cannot map %.1f MiB for a %dx%d grid", mib,
                                width, height);
    }
    *out = g;
    return 0;
}

void grid_destroy(struct grid *g)
{
    if (!g)
        return;
    sys_munmap(g->words, g->bytes);
    free(g);
}

int topology_parse(const char *s, enum topology *out, struct glider_error *err)
{
    if (strcmp(s, "torus") == 0)
        *out = TOPO_TORUS;
    else if (strcmp(s, "plane") == 0)
        *out = TOPO_PLANE;
    else
        return glider_errorf(err, GLIDER_EINVAL,
                             "unknown topology '%s': expected 'torus' or "
                             "'plane'",
                             s);
    return 0;
}

const char *topology_name(enum topology t)
{
    return t == TOPO_TORUS ? "torus" : "plane";
}

int grid_get_wrapped(const struct grid *g, long x, long y)
{
    if (g->topo == TOPO_TORUS) {
        x %= g->width;
        y %= g->height;
        if (x < 0)
            x += g->width;
        if (y < 0)
            y += g->height;
    } else if (x < 0 || y < 0 || x >= g->width || y >= g->height) {
        return 0;
    }
    return grid_get(g, (int)x, (int)y);
}

int grid_count_neighbours(const struct grid *g, int x, int y)
{
    int n = 0;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
            if (dx || dy)
                n += grid_get_wrapped(g, (long)x + dx, (long)y + dy);
    return n;
}

uint64_t grid_population(const struct grid *g)
{
    uint64_t n = 0;
    size_t words = (size_t)(g->width + 63) / 64;
    for (int y = 0; y < g->height; y++) {
        const uint64_t *r = grid_row(g, y);
        for (size_t i = 0; i < words; i++)
            n += (uint64_t)__builtin_popcountll(r[i]);
    }
    return n;
}

void grid_clear(struct grid *g)
{
    memset(g->words, 0, g->stride * 8 * (size_t)g->height);
}

int grid_copy(struct grid *dst, const struct grid *src)
{
    if (dst->width != src->width || dst->height != src->height)
        return GLIDER_EINVAL;
    memcpy(dst->words, src->words, src->stride * 8 * (size_t)src->height);
    return 0;
}

bool grid_equal(const struct grid *a, const struct grid *b)
{
    if (a->width != b->width || a->height != b->height)
        return false;
    return memcmp(a->words, b->words, a->stride * 8 * (size_t)a->height) == 0;
}

/* A 64-bit mixer (the finaliser of SplitMix64). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t grid_hash(const struct grid *g)
{
    uint64_t h = mix64(((uint64_t)g->width << 32) | (uint64_t)g->height);
    size_t words = (size_t)(g->width + 63) / 64;
    for (int y = 0; y < g->height; y++) {
        const uint64_t *r = grid_row(g, y);
        for (size_t i = 0; i < words; i++)
            h = mix64(h ^ r[i]) + 0x9e3779b97f4a7c15ull;
    }
    return h;
}

void grid_fill_soup(struct grid *g, double density, uint64_t seed)
{
    if (density < 0)
        density = 0;
    if (density > 1)
        density = 1;
    /* Compare 53-bit uniform numbers with the threshold, one per cell in
     * row-major order, so a soup depends only on (size, density, seed). */
    uint64_t state = seed;
    double scale = 1.0 / (double)(1ull << 53);
    grid_clear(g);
    for (int y = 0; y < g->height; y++) {
        uint64_t *r = grid_row(g, y);
        for (int x = 0; x < g->width; x++) {
            state += 0x9e3779b97f4a7c15ull;
            double u = (double)(mix64(state) >> 11) * scale;
            if (u < density)
                r[x >> 6] |= (uint64_t)1 << (x & 63);
        }
    }
}

bool grid_bbox(const struct grid *g, int *x0, int *y0, int *x1, int *y1)
{
    int minx = g->width, miny = g->height, maxx = -1, maxy = -1;
    size_t words = (size_t)(g->width + 63) / 64;
    for (int y = 0; y < g->height; y++) {
        const uint64_t *r = grid_row(g, y);
        for (size_t i = 0; i < words; i++) {
            if (!r[i])
                continue;
            int lo = (int)(i * 64) + __builtin_ctzll(r[i]);
            int hi = (int)(i * 64) + 63 - __builtin_clzll(r[i]);
            if (lo < minx)
                minx = lo;
            if (hi > maxx)
                maxx = hi;
            if (y < miny)
                miny = y;
            maxy = y;
        }
    }
    if (maxx < 0)
        return false;
    *x0 = minx;
    *y0 = miny;
    *x1 = maxx + 1;
    *y1 = maxy + 1;
    return true;
}
