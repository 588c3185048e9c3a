/* test_util.h - helpers shared by the tests: building grids from pictures,
 * stepping with the reference kernel, and running bgolly. */
#ifndef GLIDER_TEST_UTIL_H
#define GLIDER_TEST_UTIL_H

#include "../engine/grid.h"
#include "../engine/rule.h"

/* A width x height grid with the picture 'rows' ('O' or '*' alive) at (x, y). */
struct grid *tu_grid_from_rows(int width, int height, enum topology topo, int x,
                               int y, const char *const *rows, int nrows);

/* Steps 'g' one generation with the naive per-cell reference. */
void tu_reference_step(struct grid *g, const struct rule *r);

/* Prints the two grids and the first difference to stderr. */
void tu_report_diff(const struct grid *want, const struct grid *got);

/* The path of bgolly, or NULL when it is not installed. */
const char *tu_bgolly(void);

#endif
