/* kernel_scalar.c - the portable band kernel: 64 cells per 64-bit word, plain
 * C, every CPU and compiler.  The fallback when no wider kernel runs.  The
 * loop itself is the template in kernel_band.h; this file supplies its word
 * operations. */
#include "kernel_impl.h"

typedef uint64_t vec;
#define KERNEL_VW 1
#define KERNEL_TARGET
#define KERNEL_FN __attribute__((always_inline))

KERNEL_FN static inline vec v_load(const uint64_t *p) { return *p; }
KERNEL_FN static inline vec v_loadu(const uint64_t *p) { return *p; }
KERNEL_FN static inline void v_store(uint64_t *p, vec v) { *p = v; }
KERNEL_FN static inline vec v_zero(void) { return 0; }
KERNEL_FN static inline vec v_ones(void) { return ~(vec)0; }
KERNEL_FN static inline vec v_not(vec a) { return ~a; }
KERNEL_FN static inline vec v_xor(vec a, vec b) { return a ^ b; }
KERNEL_FN static inline vec v_and(vec a, vec b) { return a & b; }
KERNEL_FN static inline vec v_or_and(vec a, vec b, vec c) { return a | (b & c); }
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

KERNEL_FN static inline vec v_or_bit0(vec v, uint64_t b) { return v | b; }

KERNEL_FN static inline vec v_or_inj(const struct kernel_ctx *x, vec v, uint64_t bits)
{
    (void)x;
    return v | bits;
}

#include "kernel_band.h"

static int scalar_supported(void)
{
    return 1;
}

const struct kernel kernel_scalar = {
    "scalar", "portable 64-bit words, bit-sliced (64 cells per operation)",
    kb_band, scalar_supported};
