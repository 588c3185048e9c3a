/* test_util.h - helpers shared by the tests: building grids from pictures,
 * stepping with the reference kernel, running bgolly, patterns in and out
 * of text, back-end statistics, and counting threads and child processes. */
#ifndef GLIDER_TEST_UTIL_H
#define GLIDER_TEST_UTIL_H

#include <stdio.h>

#include "../engine/backend.h"
#include "../engine/grid.h"
#include "../engine/pattern.h"
#include "../engine/rule.h"
#include "../engine/sim.h"

/* A width x height grid with the picture 'rows' ('O' or '*' alive) at (x, y). */
struct grid *tu_grid_from_rows(int width, int height, enum topology topo, int x,
                               int y, const char *const *rows, int nrows);

/* Sets the cells of the picture 'rows' ('O' or '*' alive) at (x, y) of 'g',
 * wrapping around its edges. */
void tu_put_rows(struct grid *g, int x, int y, const char *const *rows,
                 int nrows);

/* 1 when no bit past the width is set in any row of 'g' (the whole stride),
 * else 0 after printing the first such word. */
int tu_tail_clean(const struct grid *g);

/* Steps 'g' one generation with the naive per-cell reference. */
void tu_reference_step(struct grid *g, const struct rule *r);

/* Prints the two grids and the first difference to stderr. */
void tu_report_diff(const struct grid *want, const struct grid *got);

/* The path of bgolly, or NULL when it is not installed. */
const char *tu_bgolly(void);

/* ---- Patterns ----------------------------------------------------------- */

/* A reader (rle_parse, cells_parse, ...) and a writer (rle_write, ...). */
typedef int (*tu_parse_fn)(const char *, size_t, const char *,
                           struct pattern **, struct glider_error *);
typedef int (*tu_write_fn)(const struct pattern *, FILE *,
                           struct glider_error *);

/* 'text' read by 'fn' under the name 'source', or NULL after printing why. */
struct pattern *tu_parse(tu_parse_fn fn, const char *text, const char *source);

/* 'p' written by 'fn' into a malloc'd string, or NULL after printing why. */
char *tu_write_string(tu_write_fn fn, const struct pattern *p);

/* The pattern's cells as rows of '.' and 'O' over its tight bounding box,
 * rows separated by '/', into 'buf' (returned). */
const char *tu_picture(const struct pattern *p, char *buf, size_t size);

/* Both NULL, or equal strings. */
int tu_same_text(const char *a, const char *b);

/* 0 when 'a' and 'b' hold the same live cells over their tight bounding
 * boxes; 1 after printing the first difference (a test's result). */
int tu_same_cells(const struct pattern *a, const struct pattern *b);

/* ---- Back-ends ---------------------------------------------------------- */

/* The statistic 'name' of a sim's active back-end, or -1 when it has none. */
double tu_sim_stat(const struct sim *s, const char *name);

/* Sets the environment variable 'name' to v (v > 0) or unsets it (v <= 0);
 * for the GLIDER_BAND_* variables band_plan.h reads at create. */
void tu_setenv_long(const char *name, long v);

/* The statistic 'name' of a back-end's state, or -1 when it has none. */
double tu_backend_stat(const struct backend_ops *ops, void *state,
                       const char *name);

/* A universe stepped by a back-end (a -> b) next to the same universe
 * stepped by the reference kernel (ra -> rb). */
struct tu_pair {
    struct grid *a, *b;   /* back-end: a -> b, then swapped */
    struct grid *ra, *rb; /* reference */
};

/* A soup of 'density' (seed 'seed') in 'a' and 'ra'; 0 or -1 (then
 * tu_pair_free still frees what was made). */
int tu_pair_make(struct tu_pair *p, int w, int h, enum topology t,
                 double density, uint64_t seed);
void tu_pair_free(struct tu_pair *p);

/* After the back-end has stepped 'a' into 'b': steps the reference, then
 * 0 and both pairs swapped when 'b' equals it, else 1 after printing the
 * generation 'gen' of 'what' and the first difference. */
int tu_pair_check(struct tu_pair *p, const struct rule *r, const char *what,
                  int gen);

/* A w x h sim on 'backend' (with 'opts' when not NULL) holding a soup of
 * 'density' (seed 'seed'), or NULL after printing why. */
struct sim *tu_sim_soup(int w, int h, enum topology topo,
                        const struct rule *rule, const char *backend,
                        const struct backend_opts *opts, double density,
                        uint64_t seed);

/* Steps 's' and 'ref' once each: 0 when both steps work and the universes
 * are equal, else 1 after printing the failed step or the first difference. */
int tu_step_both(struct sim *s, struct sim *ref);

/* ---- Threads and processes ---------------------------------------------- */

/* Threads of this process, from /proc/self/task (-1 when unreadable). */
/* Entries in directory 'path' other than "." names; -1 when unreadable. */
int tu_count_dir(const char *path);
int tu_thread_count(void);

/* The thread count to come back to after a test (see test_util.c). */
int tu_thread_baseline(void);

/* 1 when the thread count comes back to 'want' or below within 5 s, else 0
 * after printing both counts. */
int tu_threads_back_to(int want);

/* Children of this process (zombies included), from /proc. */
int tu_count_children(void);

/* Sleeps 'ms' milliseconds, whatever signals arrive. */
void tu_sleep_ms(int ms);

#endif
