/* test_util.c - helpers shared by the tests. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/kernel.h"

struct grid *tu_grid_from_rows(int width, int height, enum topology topo, int x,
                               int y, const char *const *rows, int nrows)
{
    struct grid *g;
    if (grid_create(&g, width, height, topo, NULL))
        return NULL;
    for (int r = 0; r < nrows; r++)
        for (int c = 0; rows[r][c]; c++)
            if (rows[r][c] == 'O' || rows[r][c] == '*')
                grid_set(g, (x + c) % width, (y + r) % height, 1);
    return g;
}

void tu_reference_step(struct grid *g, const struct rule *r)
{
    struct grid *n;
    if (grid_create(&n, g->width, g->height, g->topo, NULL))
        return;
    kernel_reference_band(g, n, r, 0, g->height);
    grid_copy(g, n);
    grid_destroy(n);
}

void tu_report_diff(const struct grid *want, const struct grid *got)
{
    if (want->width != got->width || want->height != got->height) {
        fprintf(stderr, "size differs: %dx%d vs %dx%d\n", want->width,
                want->height, got->width, got->height);
        return;
    }
    for (int y = 0; y < want->height; y++)
        for (int x = 0; x < want->width; x++)
            if (grid_get(want, x, y) != grid_get(got, x, y)) {
                fprintf(stderr, "first difference at (%d, %d): want %d got %d\n",
                        x, y, grid_get(want, x, y), grid_get(got, x, y));
                return;
            }
}

const char *tu_bgolly(void)
{
    static const char *const paths[] = {"/usr/bin/bgolly", "/usr/local/bin/bgolly"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (access(paths[i], X_OK) == 0)
            return paths[i];
    return NULL;
}
