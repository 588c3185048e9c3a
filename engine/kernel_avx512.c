/* kernel_avx512.c - the AVX-512 band kernel: 512 cells per operation, the
 * adders and the rule in vpternlogq, the neighbour shifts in vpshldq/vpshrdq
 * (AVX512-VBMI2).  Compiled with per-function target attributes (no global
 * -march), run only when the CPU reports AVX512F and AVX512-VBMI2.  The loop
 * is the template in kernel_band.h. */
#include "kernel_impl.h"

#if (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 8))
#define KERNEL_HAVE_AVX512 1
#else
#define KERNEL_HAVE_AVX512 0
#endif

#if KERNEL_HAVE_AVX512
#include <immintrin.h>

typedef __m512i vec;
#define KERNEL_VW 8
#define KERNEL_TARGET __attribute__((target("avx512f,avx512vbmi2")))
#define KERNEL_FN __attribute__((target("avx512f,avx512vbmi2"), always_inline))

/* vpternlogq truth tables are written as expressions over these three. */
#define TA 0xf0
#define TB 0xcc
#define TC 0xaa
#define TERN(a, b, c, expr) _mm512_ternarylogic_epi64((a), (b), (c), (expr) & 0xff)

KERNEL_FN static inline vec v_load(const uint64_t *p) { return _mm512_load_si512(p); }
KERNEL_FN static inline vec v_loadu(const uint64_t *p) { return _mm512_loadu_si512(p); }
KERNEL_FN static inline void v_store(uint64_t *p, vec v) { _mm512_store_si512(p, v); }
KERNEL_FN static inline vec v_zero(void) { return _mm512_setzero_si512(); }
KERNEL_FN static inline vec v_ones(void) { return _mm512_set1_epi64(-1); }
KERNEL_FN static inline vec v_not(vec a) { return TERN(a, a, a, ~TA); }
KERNEL_FN static inline vec v_xor(vec a, vec b) { return _mm512_xor_si512(a, b); }
KERNEL_FN static inline vec v_and(vec a, vec b) { return _mm512_and_si512(a, b); }
KERNEL_FN static inline vec v_or_and(vec a, vec b, vec c) { return TERN(a, b, c, TA | (TB & TC)); }
KERNEL_FN static inline vec v_mux(vec s, vec a, vec b) { return TERN(s, a, b, (TA & TB) | (~TA & TC)); }
KERNEL_FN static inline vec v_n2(vec c, vec k, vec s) { return TERN(c, k, s, TA ^ (TB & TC)); }
KERNEL_FN static inline vec v_n3(vec c, vec k, vec s) { return TERN(c, k, s, TA & TB & TC); }

/* Masked loads: the lane left out is not read (and cannot fault), so neither
 * the word before row 0 nor the one past the last row is ever touched. */
KERNEL_FN static inline vec v_first_west(const uint64_t *row)
{
    return _mm512_maskz_loadu_epi64(0xfe, row - 1);
}

KERNEL_FN static inline vec v_last_east(const uint64_t *p)
{
    return _mm512_maskz_loadu_epi64(0x7f, p);
}

/* vpshldq: the high half of (c:ws) << 1; vpshrdq: the low half of (es:c) >> 1. */
KERNEL_FN static inline vec v_west(vec c, vec ws) { return _mm512_shldi_epi64(c, ws, 1); }
KERNEL_FN static inline vec v_east(vec c, vec es) { return _mm512_shrdi_epi64(c, es, 1); }

KERNEL_FN static inline void v_fulladd(vec a, vec b, vec c, vec *sum, vec *carry)
{
    *sum = TERN(a, b, c, TA ^ TB ^ TC);
    *carry = TERN(a, b, c, (TA & TB) | (TA & TC) | (TB & TC));
}

/* B3/S23: n = l0 + 2(k + s) + 4c is 2 or 3 exactly when k ^ s and not c; the
 * cell is then alive next when n is 3 (l0) or it is alive now. */
KERNEL_FN static inline vec v_life(vec k, vec s, vec c, vec l0, vec alive)
{
    vec t = TERN(k, s, c, (TA ^ TB) & ~TC);
    return TERN(t, l0, alive, TA & (TB | TC));
}

KERNEL_FN static inline vec v_or_bit0(vec v, uint64_t b)
{
    return _mm512_or_si512(v, _mm512_maskz_set1_epi64(1, (long long)b));
}

KERNEL_FN static inline vec v_or_inj(const struct kernel_ctx *x, vec v, uint64_t bits)
{
    return _mm512_or_si512(
        v, _mm512_maskz_set1_epi64((__mmask8)(1u << x->inj_lane), (long long)bits));
}

#include "kernel_band.h"

static int avx512_supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512vbmi2");
}

const struct kernel kernel_avx512 = {
    "avx512", "AVX-512 with vpternlog, bit-sliced (512 cells per operation)",
    kb_band, avx512_supported};

#else /* no AVX-512 compiler support: listed, never selected */

static int avx512_supported(void)
{
    return 0;
}

const struct kernel kernel_avx512 = {
    "avx512", "AVX-512 (not built: compiler without the intrinsics)",
    kernel_reference_band, avx512_supported};

#endif
