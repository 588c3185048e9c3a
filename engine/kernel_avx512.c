/* kernel_avx512.c - the AVX-512 band kernel: 512 cells per operation, the
 * adders and the rule in vpternlogq, the neighbour shifts in vpshldq/vpshrdq
 * (AVX512-VBMI2).  Compiled with per-function target attributes (no global
 * -march), run only when the CPU reports AVX512F.  The loop is the template
 * in kernel_band.h.
 *
 * kernel_avx512f.c compiles this file a second time with KERNEL_AVX512_VBMI2
 * set to 0, the shifts then made of vpsllq/vpsrlq/vporq, for AVX-512 CPUs
 * without VBMI2 (Skylake-SP, Cascade Lake); the "avx512" table entry picks
 * one of the two on every call. */
#include "kernel_impl.h"

#ifndef KERNEL_AVX512_VBMI2
#define KERNEL_AVX512_VBMI2 1
#endif

#if (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 8))
#define KERNEL_HAVE_AVX512 1
#else
#define KERNEL_HAVE_AVX512 0
#endif

#if KERNEL_HAVE_AVX512
#include <immintrin.h>

typedef __m512i vec;
#define KERNEL_SUM9 1
#define KERNEL_STRIP 2
#define KERNEL_VW 8
#if KERNEL_AVX512_VBMI2
#define KERNEL_SPECIAL \
    ((1 << KERNEL_RULE_HIGHLIFE) | (1 << KERNEL_RULE_DAYNIGHT) | (1 << KERNEL_RULE_SEEDS))
#else
#define KERNEL_SPECIAL 0 /* the rarer copy stays small */
#endif
#if KERNEL_AVX512_VBMI2
#define KERNEL_TARGET __attribute__((target("avx512f,avx512vbmi2")))
#define KERNEL_FN __attribute__((target("avx512f,avx512vbmi2"), always_inline))
#else
#define KERNEL_TARGET __attribute__((target("avx512f")))
#define KERNEL_FN __attribute__((target("avx512f"), always_inline))
#endif

/* vpternlogq truth tables are written as expressions over these three. */
#define TA 0xf0
#define TB 0xcc
#define TC 0xaa
#define TERN(a, b, c, expr) _mm512_ternarylogic_epi64((a), (b), (c), (expr) & 0xff)

KERNEL_FN static inline vec v_load(const uint64_t *p) { return _mm512_load_si512(p); }
KERNEL_FN static inline void v_store(uint64_t *p, vec v) { _mm512_store_si512(p, v); }
KERNEL_FN static inline vec v_zero(void) { return _mm512_setzero_si512(); }
KERNEL_FN static inline vec v_ones(void) { return _mm512_set1_epi64(-1); }
KERNEL_FN static inline vec v_not(vec a) { return TERN(a, a, a, ~TA); }
KERNEL_FN static inline vec v_xor(vec a, vec b) { return _mm512_xor_si512(a, b); }
KERNEL_FN static inline vec v_and(vec a, vec b) { return _mm512_and_si512(a, b); }
KERNEL_FN static inline vec v_mux(vec s, vec a, vec b) { return TERN(s, a, b, (TA & TB) | (~TA & TC)); }
KERNEL_FN static inline vec v_n2(vec c, vec k, vec s) { return TERN(c, k, s, TA ^ (TB & TC)); }
KERNEL_FN static inline vec v_n3(vec c, vec k, vec s) { return TERN(c, k, s, TA & TB & TC); }

/* vpternlogq overwrites its first operand (its destination).  Left to
 * itself the compiler orders these operations so that the overwritten operand
 * is still needed and copies it first, a third more instructions in the inner
 * loop; these two helpers fix the order in small asm blocks, each overwriting
 * only operands that are dead afterwards.  In AT&T order
 * "vpternlogq $imm, C, B, A" computes A = f(A, B, C), imm as for TERN. */
KERNEL_FN static inline void v_row_sums9(vec w, vec c, vec e, vec *h0, vec *h1)
{
    /* h0 = w ^ c ^ e into w; then the majority from (e, c, h0), into e. */
    __asm__("vpternlogq $0x96, %[e], %[c], %[w]\n\t"
            "vpternlogq $0xd4, %[w], %[c], %[e]"
            : [w] "+v"(w), [e] "+v"(e)
            : [c] "v"(c));
    *h0 = w;
    *h1 = e;
}

/* The carry is the majority of a, b, c; with a = sum ^ b ^ c it is b when
 * b == c, else ~sum: computed after the sum, which overwrote 'a' (the row
 * above, dead after its last use here). */
KERNEL_FN static inline void v_fulladd(vec a, vec b, vec c, vec *sum, vec *carry)
{
    *sum = TERN(a, b, c, TA ^ TB ^ TC);
    *carry = TERN(b, c, *sum, (TA & TB) | ((TA ^ TB) & ~TC));
}

/* The words next to a vector come from aligned loads and valignq, never
 * from unaligned loads: those split a cache line every time here (a 64-byte
 * vector one word off), and cost more than the shuffle.  The word before
 * row 0 and the one past the last word are never read. */
KERNEL_FN static inline vec v_first_west(const uint64_t *row)
{
    return _mm512_alignr_epi64(_mm512_load_si512(row), _mm512_setzero_si512(), 7);
}

KERNEL_FN static inline vec v_last_east(const uint64_t *p)
{
    return _mm512_alignr_epi64(_mm512_setzero_si512(), _mm512_load_si512(p - 1), 1);
}

/* vpshldq: the high half of (c:ws) << 1; vpshrdq: the low half of (es:c) >> 1. */
#if KERNEL_AVX512_VBMI2
KERNEL_FN static inline vec v_west(vec c, vec ws) { return _mm512_shldi_epi64(c, ws, 1); }
KERNEL_FN static inline vec v_east(vec c, vec es) { return _mm512_shrdi_epi64(c, es, 1); }
#else
KERNEL_FN static inline vec v_west(vec c, vec ws)
{
    return _mm512_or_si512(_mm512_slli_epi64(c, 1), _mm512_srli_epi64(ws, 63));
}

KERNEL_FN static inline vec v_east(vec c, vec es)
{
    return _mm512_or_si512(_mm512_srli_epi64(c, 1), _mm512_slli_epi64(es, 63));
}
#endif


/* B3/S23 on the nine-cell sum S = l0 + 2(k + s) + 4c: alive next when S is
 * 3, or 4 and the cell is alive.  Three operations (found by exhaustive
 * search over vpternlogq circuits): g1 = exactly one of (k, l0, c);
 * g2 = (s, c, g1) is 000, 011 or 101; result g2 & (l0 | alive). */
KERNEL_FN static inline vec v_life9(vec l0, vec k, vec s, vec c, vec alive)
{
    vec g1 = TERN(k, l0, c, 0x16);
    vec g2 = TERN(s, c, g1, 0x29);
    return TERN(g2, l0, alive, TA & (TB | TC));
}

/* B3/S23 for two vertically adjacent cells at once (KERNEL_PAIR): rows y and
 * y + 1 both read the row sums a = h(y) and b = h(y + 1); cell y adds
 * c = h(y - 1), cell y + 1 adds c = h(y + 2).  A circuit found by
 * scripts/circuit_search.py ("pair 4 4"; SAT, checked on all 128 inputs)
 * spends four gates on (a, b) alone, shared by the two cells, and four per
 * cell: six a cell instead of the seven of the two full adders and
 * v_life9.  Its inner signals have no names: they are what the solver
 * chose. */
#define KERNEL_PAIR 4
KERNEL_FN static inline void v_pair_share(vec a0, vec a1, vec b0, vec b1, vec *s)
{
    s[0] = TERN(b0, a1, a0, 0x05);
    s[1] = TERN(s[0], b1, a1, 0x18);
    s[2] = TERN(s[1], b0, a0, 0xe9);
    s[3] = TERN(s[0], b1, a1, 0x61);
}

KERNEL_FN static inline vec v_pair_cell(const vec *s, vec c0, vec c1, vec alive)
{
    vec t0 = TERN(s[3], alive, c1, 0x21);
    vec t1 = TERN(s[1], c1, c0, 0x7c);
    vec t2 = TERN(t0, s[2], c0, 0xe8);
    return TERN(t2, t1, s[3], 0x29);
}

/* The other rules with a circuit, on the nine-cell sum S = l0 + 2m,
 * m = k + s + 2c (Day & Night and Seeds found by the same search as Life):
 * HighLife B36/S23 is Life, plus a dead cell with S = 6 (l0 clear, m = 3:
 *   c and k ^ s): alive ? g2 : l0 ? g2 : h, g2 from the Life circuit. */
KERNEL_FN static inline vec v_special(const enum kernel_rule_kind kind, vec l0, vec k,
                                      vec s, vec c, vec alive)
{
    switch (kind) {
    case KERNEL_RULE_HIGHLIFE: {
        vec h = TERN(k, s, c, (TA ^ TB) & TC);
        vec g1 = TERN(k, l0, c, 0x16);
        vec g2 = TERN(s, c, g1, 0x29);
        vec u = TERN(l0, g2, h, (TA & TB) | (~TA & TC));
        return TERN(alive, g2, u, (TA & TB) | (~TA & TC));
    }
    case KERNEL_RULE_DAYNIGHT: {
        vec g1 = TERN(l0, k, s, 0x17);
        vec g2 = TERN(k, s, alive, 0x69);
        return TERN(c, g1, g2, 0x71);
    }
    case KERNEL_RULE_SEEDS: {
        vec g = TERN(l0, k, s, 0x06);
        return TERN(c, alive, g, 0x02);
    }
    default:
        return v_zero();
    }
}

/* The torus wrap, per row, from broadcast loads (a load port, not a shuffle):
 * cell (width-1) becomes bit 63 of lane 0 of the west source, cell 0 becomes
 * bit 0 of the east source's lane past the width (when the width is a
 * multiple of 64) or is shifted into place and merged into E. */
KERNEL_FN static inline vec v_first_west_wrap(const struct kernel_wrap *x,
                                              const uint64_t *row)
{
    vec guard = _mm512_set1_epi64((long long)row[x->last_word]);
    if (x->last_bit != 63)
        guard = _mm512_sll_epi64(guard, _mm_cvtsi32_si128(63 - x->last_bit));
    return _mm512_alignr_epi64(_mm512_load_si512(row), guard, 7);
}

KERNEL_FN static inline vec v_east_wrap(const struct kernel_wrap *x,
                                        const uint64_t *row, vec c, vec es)
{
    vec first = _mm512_set1_epi64((long long)row[0]);
    if (x->inj_bit == 63)
        return v_east(c, _mm512_mask_mov_epi64(es, (__mmask8)(1u << x->inj_lane),
                                               first));
    first = _mm512_sll_epi64(first, _mm_cvtsi32_si128(x->inj_bit));
    return TERN(v_east(c, es), first, _mm512_load_si512(x->inj_bits),
                TA | (TB & TC));
}

/* Word *p broadcast (one 8-byte load) under the vector's lanes 0..6. */
KERNEL_FN static inline vec v_west_word(const uint64_t *p, vec c)
{
    return _mm512_alignr_epi64(c, _mm512_set1_epi64((long long)*p), 7);
}

/* Lanes 1..7 of the vector, then word *p. */
KERNEL_FN static inline vec v_east_word(const uint64_t *p, vec c)
{
    return _mm512_alignr_epi64(_mm512_set1_epi64((long long)*p), c, 1);
}

/* Inside a row the neighbour words are off-1 and off+8; on a torus whose
 * width fills the last vector, the last word and word 0 (KERNEL_WRAP_WORDS):
 * the edge strips then cost what the inner ones do. */
#define KERNEL_WRAP_WORDS 1
KERNEL_FN static inline vec v_west_src(const uint64_t *row, size_t off, vec c)
{
    return v_west_word(row + off - 1, c);
}

KERNEL_FN static inline vec v_east_src(const uint64_t *row, size_t off, vec c)
{
    return v_east_word(row + off + KERNEL_VW, c);
}

/* Between the two vectors of a strip: one valignq each way. */
KERNEL_FN static inline vec v_west_near(vec c, vec cp) { return _mm512_alignr_epi64(c, cp, 7); }
KERNEL_FN static inline vec v_east_near(vec cn, vec c) { return _mm512_alignr_epi64(cn, c, 1); }

#include "kernel_band.h"

#if KERNEL_AVX512_VBMI2

static int avx512_supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

static void avx512_band(const struct grid *cur, struct grid *next,
                        const struct rule *rule, int y0, int y1)
{
    if (__builtin_cpu_supports("avx512vbmi2"))
        kb_band(cur, next, rule, y0, y1);
    else
        kernel_avx512f_band(cur, next, rule, y0, y1);
}

const struct kernel kernel_avx512 = {
    "avx512", "AVX-512 with vpternlog, bit-sliced (512 cells per operation)",
    avx512_band, avx512_supported};

#else /* the copy built by kernel_avx512f.c */

void kernel_avx512f_band(const struct grid *cur, struct grid *next,
                         const struct rule *rule, int y0, int y1)
{
    kb_band(cur, next, rule, y0, y1);
}

#endif

#else /* no AVX-512 compiler support: listed, never selected */

#if KERNEL_AVX512_VBMI2
static int avx512_supported(void)
{
    return 0;
}

const struct kernel kernel_avx512 = {
    "avx512", "AVX-512 (not built: compiler without the intrinsics)",
    kernel_reference_band, avx512_supported};
#else
void kernel_avx512f_band(const struct grid *cur, struct grid *next,
                         const struct rule *rule, int y0, int y1)
{
    kernel_reference_band(cur, next, rule, y0, y1);
}
#endif

#endif
