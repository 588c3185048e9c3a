/* kernel_avx2.c - the AVX2 band kernel: 256 cells per operation.  Compiled
 * with a per-function target attribute (no global -march), run only when the
 * CPU reports AVX2.  The loop is the template in kernel_band.h. */
#include "kernel_impl.h"

#if (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 5))
#define KERNEL_HAVE_AVX2 1
#else
#define KERNEL_HAVE_AVX2 0
#endif

#if KERNEL_HAVE_AVX2
#include <immintrin.h>

typedef __m256i vec;
#define KERNEL_SUM9 0
#define KERNEL_STRIP 1
#define KERNEL_VW 4
#define KERNEL_SPECIAL \
    ((1 << KERNEL_RULE_HIGHLIFE) | (1 << KERNEL_RULE_DAYNIGHT) | (1 << KERNEL_RULE_SEEDS))
#define KERNEL_TARGET __attribute__((target("avx2")))
#define KERNEL_FN __attribute__((target("avx2"), always_inline))

KERNEL_FN static inline vec v_load(const uint64_t *p)
{
    return _mm256_load_si256((const __m256i *)p);
}

KERNEL_FN static inline void v_store(uint64_t *p, vec v)
{
    _mm256_store_si256((__m256i *)p, v);
}

KERNEL_FN static inline vec v_zero(void) { return _mm256_setzero_si256(); }
KERNEL_FN static inline vec v_ones(void) { return _mm256_set1_epi64x(-1); }
KERNEL_FN static inline vec v_not(vec a) { return _mm256_xor_si256(a, v_ones()); }
KERNEL_FN static inline vec v_xor(vec a, vec b) { return _mm256_xor_si256(a, b); }
KERNEL_FN static inline vec v_and(vec a, vec b) { return _mm256_and_si256(a, b); }

KERNEL_FN static inline void v_row_sums(vec w, vec c, vec e, vec *p0, vec *p1,
                                       vec *h0, vec *h1)
{
    *p0 = _mm256_xor_si256(w, e);
    *p1 = _mm256_and_si256(w, e);
    *h0 = _mm256_xor_si256(*p0, c);
    *h1 = _mm256_or_si256(*p1, _mm256_and_si256(*p0, c));
}

KERNEL_FN static inline vec v_mux(vec s, vec a, vec b)
{
    return _mm256_xor_si256(b, _mm256_and_si256(_mm256_xor_si256(a, b), s));
}

KERNEL_FN static inline vec v_n2(vec c, vec k, vec s)
{
    return _mm256_xor_si256(c, _mm256_and_si256(k, s));
}

KERNEL_FN static inline vec v_n3(vec c, vec k, vec s)
{
    return _mm256_and_si256(c, _mm256_and_si256(k, s));
}

/* Masked loads: the lane left out is not read, so neither the word before
 * row 0 nor the one past the last row is ever touched. */
KERNEL_FN static inline vec v_first_west(const uint64_t *row)
{
    return _mm256_maskload_epi64((const long long *)(row - 1),
                                 _mm256_set_epi64x(-1, -1, -1, 0));
}

KERNEL_FN static inline vec v_last_east(const uint64_t *p)
{
    return _mm256_maskload_epi64((const long long *)p,
                                 _mm256_set_epi64x(0, -1, -1, -1));
}

KERNEL_FN static inline vec v_west(vec c, vec ws)
{
    return _mm256_or_si256(_mm256_slli_epi64(c, 1), _mm256_srli_epi64(ws, 63));
}

KERNEL_FN static inline vec v_east(vec c, vec es)
{
    return _mm256_or_si256(_mm256_srli_epi64(c, 1), _mm256_slli_epi64(es, 63));
}

KERNEL_FN static inline void v_fulladd(vec a, vec b, vec c, vec *sum, vec *carry)
{
    vec t = _mm256_xor_si256(a, b);
    *sum = _mm256_xor_si256(t, c);
    *carry = _mm256_or_si256(_mm256_and_si256(a, b), _mm256_and_si256(t, c));
}

/* B3/S23: n = l0 + 2(k + s) + 4c is 2 or 3 exactly when k ^ s and not c. */
KERNEL_FN static inline vec v_life(vec k, vec s, vec c, vec l0, vec alive)
{
    return _mm256_and_si256(_mm256_andnot_si256(c, _mm256_xor_si256(k, s)),
                            _mm256_or_si256(l0, alive));
}

/* The other rules with a circuit; see kernel_scalar.c for the derivations. */
KERNEL_FN static inline vec v_special(const enum kernel_rule_kind kind, vec l0, vec k,
                                      vec s, vec c, vec alive)
{
    vec x = _mm256_xor_si256(k, s), ks = _mm256_and_si256(k, s);
    vec la = _mm256_or_si256(l0, alive);
    switch (kind) {
    case KERNEL_RULE_HIGHLIFE:
        return _mm256_and_si256(x, _mm256_xor_si256(c, la));
    case KERNEL_RULE_DAYNIGHT: {
        vec dead = _mm256_or_si256(_mm256_and_si256(x, _mm256_or_si256(c, l0)),
                                   _mm256_and_si256(ks, c));
        vec four = _mm256_andnot_si256(_mm256_or_si256(x, l0),
                                       _mm256_xor_si256(ks, c));
        return _mm256_or_si256(dead, _mm256_and_si256(alive, four));
    }
    case KERNEL_RULE_SEEDS:
        return _mm256_andnot_si256(_mm256_or_si256(c, la), x);
    default:
        return v_zero();
    }
}

KERNEL_FN static inline vec v_first_west_wrap(const struct kernel_wrap *x,
                                              const uint64_t *row)
{
    uint64_t guard = ((row[x->last_word] >> x->last_bit) & 1) << 63;
    return _mm256_or_si256(v_first_west(row),
                           _mm256_set_epi64x(0, 0, 0, (long long)guard));
}

KERNEL_FN static inline vec v_east_wrap(const struct kernel_wrap *x,
                                        const uint64_t *row, vec c, vec es)
{
    vec bit = _mm256_set1_epi64x(-(long long)(row[0] & 1));
    return _mm256_or_si256(v_east(c, es), _mm256_and_si256(_mm256_load_si256((const __m256i *)x->inj_bits), bit));
}

/* The words one to the left and one to the right: unaligned loads (the
 * neighbour vectors are in L1 anyway, and a load port is cheaper than a
 * shuffle). */
KERNEL_FN static inline vec v_west_src(const uint64_t *row, size_t off, vec c)
{
    (void)c;
    return _mm256_loadu_si256((const __m256i *)(row + off - 1));
}

KERNEL_FN static inline vec v_east_src(const uint64_t *row, size_t off, vec c)
{
    (void)c;
    return _mm256_loadu_si256((const __m256i *)(row + off + 1));
}

/* Unused with one vector a strip; kept correct for KERNEL_STRIP 2. */
KERNEL_FN static inline vec v_west_near(vec c, vec cp)
{
    return _mm256_alignr_epi8(c, _mm256_permute2x128_si256(cp, c, 0x21), 8);
}

KERNEL_FN static inline vec v_east_near(vec cn, vec c)
{
    return _mm256_alignr_epi8(_mm256_permute2x128_si256(c, cn, 0x21), c, 8);
}

#include "kernel_band.h"

static int avx2_supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

const struct kernel kernel_avx2 = {
    "avx2", "AVX2, bit-sliced (256 cells per operation)", kb_band,
    avx2_supported};

#else /* no AVX2 compiler support: listed, never selected */

static int avx2_supported(void)
{
    return 0;
}

const struct kernel kernel_avx2 = {
    "avx2", "AVX2 (not built: compiler without x86 intrinsics)",
    kernel_reference_band, avx2_supported};

#endif
