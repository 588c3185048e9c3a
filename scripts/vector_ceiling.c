/* vector_ceiling.c - what one core can do with the AVX-512 kernel's
 * operations, without the kernel: the ceiling doc/kernels.md compares the
 * kernel's rate with.  Not part of the build (it needs an AVX-512 CPU with
 * VBMI2):
 *
 *   gcc -O2 -o /tmp/ceiling scripts/vector_ceiling.c && /tmp/ceiling [GHZ]
 *
 * GHZ (default: measured with a chain of dependent adds) converts seconds to
 * cycles.  It prints
 *   - latency and throughput of vpternlogq, vpshldq, valignq on zmm;
 *   - the kernel's mix per 512 cells (9 vpternlogq, 2 shifts, 2 valignq, a
 *     load, a broadcast, a store), all independent: the throughput bound;
 *   - the same operations with the kernel's dependencies (row sums of one
 *     row, then the adders and the rule of the row above it), in a strip of
 *     one vector over 64 rows of a 2048-wide grid in L1: the loop bound. */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double ghz_measured(void)
{
    uint64_t x = 0;
    long n = 400000000L;
    double t0 = now();
    for (long i = 0; i < n; i += 8)
        __asm__ volatile("add $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\t"
                         "add $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0"
                         : "+r"(x));
    return (double)n / (now() - t0) / 1e9;
}

static uint64_t buf[16] __attribute__((aligned(64)));

#define X8(s) s s s s s s s s
/* Runs 'body' (asm text) n times; cycles per run of the body / 'per'. */
#define TIME_ASM(label, body, per)                                            \
    do {                                                                      \
        long n_ = 20000000;                                                   \
        double t0_ = now();                                                   \
        for (long i_ = 0; i_ < n_; i_++)                                      \
            __asm__ volatile(body ::"r"(buf)                                  \
                             : "memory", "xmm0", "xmm1", "xmm2", "xmm3",      \
                               "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",        \
                               "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",    \
                               "xmm14", "xmm15");                             \
        printf("  %-44s %6.2f cycles\n", label,                               \
               (now() - t0_) * ghz * 1e9 / ((double)n_ * (per)));             \
    } while (0)

#define T(n) "vpternlogq $0x96, %%zmm20, %%zmm21, %%zmm" #n "\n\t"
#define SH(n) "vpshldq $1, %%zmm20, %%zmm21, %%zmm" #n "\n\t"
#define AL(n) "valignq $7, %%zmm20, %%zmm21, %%zmm" #n "\n\t"
#define LD(n) "vmovdqa64 (%0), %%zmm" #n "\n\t"
#define BC(n) "vpbroadcastq 8(%0), %%zmm" #n "\n\t"
#define ST(n) "vmovdqa64 %%zmm" #n ", 64(%0)\n\t"

/* ---- the loop bound: the kernel's dataflow, one vector wide ---- */

typedef __m512i vec;
#define TERN(a, b, c, imm) _mm512_ternarylogic_epi64((a), (b), (c), (imm))
#define ROWS 64
#define WORDS 32

struct planes {
    vec h0, h1, c;
};

static uint64_t src[ROWS + 2][WORDS] __attribute__((aligned(64)));
static uint64_t dst[ROWS][WORDS] __attribute__((aligned(64)));

__attribute__((target("avx512f,avx512vbmi2"), always_inline)) static inline void
row(const uint64_t *r, size_t off, struct planes *p)
{
    vec c = _mm512_load_si512(r + off);
    vec ws = _mm512_alignr_epi64(c, _mm512_set1_epi64((long long)r[off - 1]), 7);
    vec es = _mm512_alignr_epi64(_mm512_set1_epi64((long long)r[off + 8]), c, 1);
    vec w = _mm512_shldi_epi64(c, ws, 1), e = _mm512_shrdi_epi64(c, es, 1);
    p->h0 = TERN(w, c, e, 0x96);
    p->h1 = TERN(w, c, e, 0xe8);
    p->c = c;
}

__attribute__((target("avx512f,avx512vbmi2"), always_inline)) static inline void
out(uint64_t *o, const struct planes *u, const struct planes *m,
    const struct planes *d)
{
    vec l0 = TERN(u->h0, m->h0, d->h0, 0x96), k = TERN(u->h0, m->h0, d->h0, 0xe8);
    vec s = TERN(u->h1, m->h1, d->h1, 0x96), c = TERN(u->h1, m->h1, d->h1, 0xe8);
    vec g1 = TERN(k, l0, c, 0x16), g2 = TERN(s, c, g1, 0x29);
    _mm512_store_si512(o, TERN(g2, l0, m->c, 0xe0));
}

__attribute__((target("avx512f,avx512vbmi2"), noinline)) static void strip(size_t off)
{
    struct planes a, b, c;
    row(src[0], off, &a);
    row(src[1], off, &b);
    for (int y = 0; y + 3 <= ROWS - 1; y += 3) {
        row(src[y + 2], off, &c);
        out(dst[y] + off, &a, &b, &c);
        row(src[y + 3], off, &a);
        out(dst[y + 1] + off, &b, &c, &a);
        row(src[y + 4], off, &b);
        out(dst[y + 2] + off, &c, &a, &b);
    }
}

int main(int argc, char **argv)
{
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512vbmi2")) {
        fprintf(stderr, "vector_ceiling: this CPU lacks AVX-512 F or VBMI2\n");
        return 1;
    }
    double ghz = argc > 1 ? atof(argv[1]) : ghz_measured();
    if (!(ghz > 0)) {
        fprintf(stderr, "vector_ceiling: GHZ must be a positive number\n");
        return 2;
    }
    printf("clock: %.2f GHz\n", ghz);
    /* zmm20 and zmm21 are sources only (what they hold does not change
     * the timing); main is built without AVX-512, so nothing else uses them */
    printf("latency (dependent chain), per operation:\n");
    TIME_ASM("vpternlogq zmm", X8("vpternlogq $0x96, %%zmm1, %%zmm1, %%zmm0\n\t"), 8);
    TIME_ASM("vpshldq zmm", X8("vpshldq $1, %%zmm1, %%zmm0, %%zmm0\n\t"), 8);
    TIME_ASM("valignq zmm", X8("valignq $7, %%zmm1, %%zmm0, %%zmm0\n\t"), 8);
    printf("throughput (independent), per operation:\n");
    TIME_ASM("vpternlogq zmm", T(0) T(1) T(2) T(3) T(4) T(5) T(6) T(7), 8);
    TIME_ASM("vpshldq zmm", SH(0) SH(1) SH(2) SH(3) SH(4) SH(5) SH(6) SH(7), 8);
    TIME_ASM("valignq zmm", AL(0) AL(1) AL(2) AL(3) AL(4) AL(5) AL(6) AL(7), 8);
    printf("the kernel's operations for 512 cells:\n");
    TIME_ASM("independent (throughput bound)",
             T(0) T(1) T(2) T(3) T(4) T(5) T(6) T(7) T(8) SH(9) SH(10) AL(11)
                 AL(12) LD(13) BC(14) ST(1),
             1);

    srand(1);
    for (int i = 0; i < ROWS + 2; i++)
        for (int j = 0; j < WORDS; j++)
            src[i][j] = (uint64_t)rand() << 33 ^ (uint64_t)rand();
    long n = 400000;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        strip(8);
        strip(16);
        __asm__ volatile("" ::: "memory");
    }
    double vecs = (double)n * 2 * (ROWS - 1);
    double t = now() - t0;
    printf("  %-44s %6.2f cycles\n", "with the kernel's dependencies (loop bound)",
           t * ghz * 1e9 / vecs);
    printf("  = %.0f G cell updates/s at the loop bound\n", vecs * 512 / t / 1e9);
    return 0;
}
