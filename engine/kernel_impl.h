/* kernel_impl.h - private to the band kernels: the per-band context every
 * kernel fills first, the rule plan, and the kernels' table entries.
 *
 * The kernels count neighbours bit-sliced: for every row they form the west
 * and east neighbour planes W and E (the row shifted by one cell, with the
 * wrapped cell injected at the ends of a torus), then
 *   p = W + E        (2 bit-planes, used for the row's own cells)
 *   h = W + C + E    (2 bit-planes, used for the rows above and below)
 * and for a cell the count is n = h(above) + h(below) + p(centre), added by
 * two full adders into  n = l0 + 2k + 2s + 4c  (l0, k, s, c bit-planes).
 * The rule is then a boolean function of (l0, k, s, c, alive).
 *
 * The AVX-512 kernel (KERNEL_SUM9) skips p and adds the nine-cell sum
 * S = h(above) + h(centre) + h(below) = n + alive the same way: two fewer
 * operations a row, one more for B3/S23.  For B3/S23 it goes further: two
 * vertically adjacent cells share the gates that depend only on the two
 * rows both read (KERNEL_PAIR), six gates a cell instead of seven. */
#ifndef GLIDER_KERNEL_IMPL_H
#define GLIDER_KERNEL_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "grid.h"
#include "kernel.h"
#include "rule.h"

/* Rules with a hand-made (or searched-for) circuit of their own, and the
 * rest.  Each kernel instantiates its loop per kind it has a circuit for
 * (v_special); the others run the generic tree. */
enum kernel_rule_kind {
    KERNEL_RULE_LIFE,     /* B3/S23 */
    KERNEL_RULE_HIGHLIFE, /* B36/S23 */
    KERNEL_RULE_DAYNIGHT, /* B3678/S34678, Day & Night */
    KERNEL_RULE_SEEDS,    /* B2/S */
    KERNEL_RULE_GENERIC,  /* any B/S masks, through the plan's mux tree */
    KERNEL_NRULE_KINDS
};

/* The rule as a multiplexer tree over the bits of the count n (n = n0 + 2 n1
 * + 4 n2 + 8 n3) and the cell.  A leaf picks one of the candidate planes
 * KERNEL_CAND_*: for counts 2j and 2j+1 (j = n1 + 2 n2) the survive leaf
 * s_leaf[j] is 0, 1, n0 or ~n0; count 8 (n3 set, the other bits clear) is
 * leaf8: 0, 1, alive or ~alive.  Kernels counting the nine-cell sum
 * S = n + alive instead (KERNEL_SUM9) use s9_leaf/b9_leaf over S = 0..9:
 * a live cell survives when S - 1 is in the survive mask, a dead one is born
 * when S is in the birth mask. */
enum {
    KERNEL_CAND_ZERO,
    KERNEL_CAND_ONES,
    KERNEL_CAND_N0,
    KERNEL_CAND_NOT_N0,
    KERNEL_CAND_ALIVE,
    KERNEL_CAND_NOT_ALIVE,
    KERNEL_NCAND
};

struct kernel_plan {
    enum kernel_rule_kind kind;
    unsigned char s_leaf[4];  /* survive, counts 2j and 2j+1 */
    unsigned char b_leaf[4];  /* birth, counts 2j and 2j+1 */
    unsigned char leaf8;      /* count 8, birth and survive together */
    unsigned char s9_leaf[5]; /* survive, sums 2j and 2j+1 */
    unsigned char b9_leaf[5]; /* birth, sums 2j and 2j+1 */
};

/* Everything a kernel needs for one band, computed once per call. */
struct kernel_ctx {
    const uint64_t *src;     /* 'cur' words */
    uint64_t *dst;           /* 'next' words */
    int width, height;       /* of both grids */
    int torus;               /* non-zero: rows and columns wrap */
    size_t stride;           /* words per row, of both grids */
    int vw;                  /* words per vector of the kernel */
    int nv;                  /* vectors per row that hold cells */
    size_t last_off;         /* first word of the last vector */
    int last_word, last_bit; /* where cell (width-1) lives */
    int inj_lane, inj_bit;   /* the same, inside the last vector */
    int need_mask;           /* the last vector holds bits past the width */
    uint64_t tail_mask[8] __attribute__((aligned(64))); /* its cells */
    uint64_t inj_lanes[8] __attribute__((aligned(64)));  /* ~0 at inj_lane */
    uint64_t inj_bits[8] __attribute__((aligned(64)));   /* bit inj_bit there */
    struct kernel_plan plan;
};

/* What the torus wrap needs inside a kernel's row loop, copied out of the
 * context into locals: the vector stores may alias anything, and would
 * otherwise make the compiler reload every field after each of them. */
struct kernel_wrap {
    int last_word, last_bit;   /* cell (width-1) */
    int inj_lane, inj_bit;     /* its place in the last vector */
    const uint64_t *inj_bits;  /* that bit alone, a vector */
    const uint64_t *inj_lanes; /* ~0 in its lane, a vector */
};

/* The plan for a rule (only the low 9 bits of each mask count). */
void kernel_plan_init(struct kernel_plan *p, const struct rule *r);

/* Fills 'x' for stepping 'cur' into 'next' with vectors of 'vw' words (1, 4
 * or 8).  The grids must have the same size. */
void kernel_ctx_init(struct kernel_ctx *x, const struct grid *cur,
                     struct grid *next, const struct rule *r, int vw);

/* A dead row (all zeros) with 8 readable words on either side: what a plane
 * has above its first and below its last row. */
extern const uint64_t kernel_dead_words[];
#define KERNEL_DEAD_ROW (kernel_dead_words + 8)

/* Row 'r' of 'cur' for -1 <= r <= height: wrapped on a torus, the dead row
 * outside a plane.  On a torus of height 1 or 2 the rows above and below are
 * the row itself or the other one, so counts have the multiplicity that
 * grid_count_neighbours gives them. */
static inline const uint64_t *kernel_src_row(const struct kernel_ctx *x, int r)
{
    if ((unsigned)r < (unsigned)x->height)
        return x->src + (size_t)r * x->stride;
    if (!x->torus)
        return KERNEL_DEAD_ROW;
    return x->src + (size_t)(r < 0 ? r + x->height : r - x->height) * x->stride;
}

/* The table entries, one per file.  A kernel whose file was built without
 * compiler support reports itself unsupported. */
extern const struct kernel kernel_scalar;
extern const struct kernel kernel_avx2;
extern const struct kernel kernel_avx512;

/* The AVX-512 kernel without VBMI2 (kernel_avx512f.c): what "avx512" runs on
 * a CPU that has AVX512F only.  Exposed for the tests. */
void kernel_avx512f_band(const struct grid *cur, struct grid *next,
                         const struct rule *rule, int y0, int y1);

#endif
