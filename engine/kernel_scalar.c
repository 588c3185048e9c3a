/* kernel_scalar.c - the portable band kernel: 64 cells per 64-bit word, plain
 * C, every CPU and compiler.  The fallback when no wider kernel runs.  The
 * loop itself is the template in kernel_band.h; this file supplies its word
 * operations. */
#include "kernel_impl.h"

typedef uint64_t vec;
#define KERNEL_SUM9 0
#define KERNEL_STRIP 1
#define KERNEL_VW 1
#define KERNEL_SPECIAL \
    ((1 << KERNEL_RULE_HIGHLIFE) | (1 << KERNEL_RULE_DAYNIGHT) | (1 << KERNEL_RULE_SEEDS))
#define KERNEL_TARGET
#define KERNEL_FN __attribute__((always_inline))

KERNEL_FN static inline vec v_load(const uint64_t *p) { return *p; }
KERNEL_FN static inline void v_store(uint64_t *p, vec v) { *p = v; }
KERNEL_FN static inline vec v_zero(void) { return 0; }
KERNEL_FN static inline vec v_ones(void) { return ~(vec)0; }
KERNEL_FN static inline vec v_not(vec a) { return ~a; }
KERNEL_FN static inline vec v_xor(vec a, vec b) { return a ^ b; }
KERNEL_FN static inline vec v_and(vec a, vec b) { return a & b; }
KERNEL_FN static inline void v_row_sums(vec w, vec c, vec e, vec *p0, vec *p1,
                                       vec *h0, vec *h1)
{
    *p0 = w ^ e;
    *p1 = w & e;
    *h0 = *p0 ^ c;
    *h1 = *p1 | (*p0 & c);
}
KERNEL_FN static inline vec v_mux(vec s, vec a, vec b) { return b ^ ((a ^ b) & s); }
KERNEL_FN static inline vec v_n2(vec c, vec k, vec s) { return c ^ (k & s); }
KERNEL_FN static inline vec v_n3(vec c, vec k, vec s) { return c & k & s; }

/* With one word per vector the word on the left of the first one, and the one
 * on the right of the last one, do not exist. */
KERNEL_FN static inline vec v_first_west(const uint64_t *row)
{
    (void)row;
    return 0;
}

KERNEL_FN static inline vec v_last_east(const uint64_t *p)
{
    (void)p;
    return 0;
}

KERNEL_FN static inline vec v_west(vec c, vec ws) { return (c << 1) | (ws >> 63); }
KERNEL_FN static inline vec v_east(vec c, vec es) { return (c >> 1) | (es << 63); }

KERNEL_FN static inline void v_fulladd(vec a, vec b, vec c, vec *sum, vec *carry)
{
    vec t = a ^ b;
    *sum = t ^ c;
    *carry = (a & b) | (t & c);
}

/* n = l0 + 2(k + s) + 4c is 2 or 3 exactly when k ^ s and not c; then B3/S23
 * keeps the cell when n is 3 (l0) or it is alive. */
KERNEL_FN static inline vec v_life(vec k, vec s, vec c, vec l0, vec alive)
{
    return (k ^ s) & ~c & (l0 | alive);
}

/* The other rules with a circuit, on n = l0 + 2m, m = k + s + 2c:
 * HighLife B36/S23: n in {2,3} (alive) or {3,6}: 6 is m = 3, so the Life
 *   term with c flipped for dead, l0-less cells: (k ^ s) & (c ^ (l0 | alive));
 * Day & Night B3678/S34678: dead: n = 3 (m = 1, l0), 6, 7 (m = 3), 8 (m = 4);
 *   alive also 4 (m = 2, not l0; with k == s, m = 2 means k & s differs from c);
 * Seeds B2/S: dead and n = 2 (m = 1, not l0). */
KERNEL_FN static inline vec v_special(const enum kernel_rule_kind kind, vec l0, vec k,
                                      vec s, vec c, vec alive)
{
    vec x = k ^ s, ks = k & s;
    switch (kind) {
    case KERNEL_RULE_HIGHLIFE:
        return x & (c ^ (l0 | alive));
    case KERNEL_RULE_DAYNIGHT:
        return (x & (c | l0)) | (ks & c) | (alive & ~(x | l0) & (ks ^ c));
    case KERNEL_RULE_SEEDS:
        return x & ~c & ~(l0 | alive);
    default:
        return 0;
    }
}

KERNEL_FN static inline vec v_first_west_wrap(const struct kernel_wrap *x,
                                              const uint64_t *row)
{
    return ((row[x->last_word] >> x->last_bit) & 1) << 63;
}

KERNEL_FN static inline vec v_east_wrap(const struct kernel_wrap *x,
                                        const uint64_t *row, vec c, vec es)
{
    return v_east(c, es) | ((row[0] & 1) << x->inj_bit);
}

KERNEL_FN static inline vec v_west_src(const uint64_t *row, size_t off, vec c)
{
    (void)c;
    return row[off - 1];
}

KERNEL_FN static inline vec v_east_src(const uint64_t *row, size_t off, vec c)
{
    (void)c;
    return row[off + 1];
}

/* On a torus whose width is a multiple of 64 the words beyond the edges are
 * the last word and word 0, taken like any other (kernel_band.h). */
#define KERNEL_WRAP_WORDS 1
KERNEL_FN static inline vec v_west_word(const uint64_t *p, vec c)
{
    (void)c;
    return *p;
}

KERNEL_FN static inline vec v_east_word(const uint64_t *p, vec c)
{
    (void)c;
    return *p;
}

KERNEL_FN static inline vec v_west_near(vec c, vec cp)
{
    (void)c;
    return cp;
}

KERNEL_FN static inline vec v_east_near(vec cn, vec c)
{
    (void)c;
    return cn;
}

/* A strip is one word wide, so each cache line of a block's rows is read by
 * eight strips in turn and must stay in L1 meanwhile.  Rows 256 bytes apart
 * (2048 cells) fall in 16 of the 64 sets of a 32 KiB 8-way L1: 128 lines,
 * fewer than the 258 a block of 128 rows reads and writes, so every strip
 * refetched its lines from L2.  Blocks of 32 rows (66 lines) fit: at 2048
 * wide 21.6-22.2 G against 18.3-18.8 G (best of 9), the same at 512, 1000
 * and 4096 (doc/bench.md, stop 15).  The wider kernels read each line once
 * a strip and keep 128. */
#define KERNEL_BLOCK_ROWS 32
#include "kernel_band.h"

static int scalar_supported(void)
{
    return 1;
}

const struct kernel kernel_scalar = {
    "scalar", "portable 64-bit words, bit-sliced (64 cells per operation)",
    kb_band, scalar_supported};
