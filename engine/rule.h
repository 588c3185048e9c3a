/* rule.h - Life-like rules in B/S notation.
 *
 * A rule is two 9-bit masks: bit n of 'birth' set means a dead cell with n
 * live neighbours is born; bit n of 'survive' set means a live cell with n
 * live neighbours stays alive.  Accepted spellings: "B3/S23", "b36/s23",
 * "B3S23", "B2/S", "S23/B3", one half alone as Golly reads it ("B234" is
 * B234/S, "S23" is B/S23), the legacy survival/birth form "23/3", and
 * Golly's name "Life" (any case) for B3/S23. */
#ifndef GLIDER_RULE_H
#define GLIDER_RULE_H

#include <stdint.h>

#include "error.h"
#include "grid.h"

struct rule {
    uint16_t birth;   /* bit n: born with n neighbours (n = 0..8) */
    uint16_t survive; /* bit n: survives with n neighbours */
};

#define RULE_LIFE ((struct rule){.birth = 1u << 3, .survive = (1u << 2) | (1u << 3)})
#define RULE_TEXT_MAX 32 /* "B012345678/S012345678" plus NUL fits */

/* Parses a rule (no Golly suffix).  Errors name the offending character. */
int rule_parse(const char *text, struct rule *out, struct glider_error *err);

/* A Golly bounded-grid suffix, ":T40,30" (torus) or ":P40,30" (plane). */
struct rule_bounds {
    int present;        /* 0: no suffix, the universe is not fixed by the rule */
    enum topology topo; /* TOPO_TORUS for :T, TOPO_PLANE for :P */
    int width, height;  /* 1..GRID_MAX_DIM */
};

/* Parses "RULE" or "RULE:Tw,h" / "RULE:Pw,h".  Topologies Glider does not
 * have (Klein bottle :K, cross-surface :C, sphere :S, shifted tori, infinite
 * strips) are refused with a message naming the topology. */
int rule_parse_full(const char *text, struct rule *out, struct rule_bounds *bounds,
                    struct glider_error *err);

/* Writes the canonical "B3/S23" form; returns 'buf'. */
char *rule_format(const struct rule *r, char *buf, int size);

static inline int rule_next(const struct rule *r, int alive, int neighbours)
{
    return (int)(((alive ? r->survive : r->birth) >> neighbours) & 1u);
}

static inline int rule_equal(const struct rule *a, const struct rule *b)
{
    return a->birth == b->birth && a->survive == b->survive;
}

#endif
