/* apgcode.h - objects named by their apgcode (the extended Wechsler format
 * that apgsearch and Catagolue use, e.g. "xq4_27de6z4eb7776" for the
 * LWSS-on-HWSS-1 flotilla), and finding one in a universe.  For the
 * library's tests: a soup's documented outcome is "it releases object X",
 * and X's cells come from its published apgcode, not from our own run. */
#ifndef GLIDER_TESTS_APGCODE_H
#define GLIDER_TESTS_APGCODE_H

#include "../engine/grid.h"

#define APG_MAX_CELLS 1024

struct apg_object {
    char kind;  /* 's' still life, 'p' oscillator, 'q' spaceship */
    int period; /* 1 for a still life */
    int n;      /* live cells */
    int x[APG_MAX_CELLS], y[APG_MAX_CELLS];
};

/* Decodes 'code' ("xs4_33", "xp2_7", "xq4_153", ...) into 'o'.  Returns 0,
 * or -1 when it is not a well-formed apgcode of at most APG_MAX_CELLS
 * cells. */
int apg_decode(const char *code, struct apg_object *o);

/* Whether the universe holds 'o', in any of its eight orientations, as an
 * isolated object: a group of live cells that is exactly 'o' and has no
 * other live cell within two cells of it (so it is not part of something
 * larger).  Only the phase 'o' was encoded in is recognised; callers try
 * the generations of one period.  Returns 1 and its top-left corner, 0
 * when it is not there, -1 when out of memory. */
int apg_find(const struct grid *g, const struct apg_object *o, int *x,
             int *y);

#endif
