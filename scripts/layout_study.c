/* layout_study.c - would a different bit layout make the AVX-512 kernel
 * faster?  A study, not part of the build (it needs an AVX-512 CPU with
 * VBMI2 and a release build of the engine):
 *
 *   gcc -O3 -Iengine -o /tmp/layout scripts/layout_study.c \
 *       build/engine/libglider_engine.a -lpthread -lm
 *   /tmp/layout [WIDTH [HEIGHT [MODE]]]     (default 2048 2048 store)
 *
 * The grid keeps cell x of a row at bit x % 64 of word x / 64, so the west
 * and east neighbour planes of every 512-cell vector cost a valignq and a
 * vpshldq/vpshrdq each: 4 of the kernel's 12 operations per 512 cells.  Here
 * a row of V = WIDTH/512 vectors keeps cell x in vector x % V at bit x / V
 * ("strided"): the west neighbour of a cell in vector i > 0 is the same bit
 * of vector i - 1, so only the first vector's west plane and the last one's
 * east plane need a one-bit shift of a whole vector (valignq + vpshldq).  At
 * 2048 wide that is 1 operation per 512 cells instead of 4: 9 instead of 12.
 * The operations are the engine's own (kernel_avx512.c is included: its
 * shifts, row sums, two-row B3/S23 circuit and kb_pair_rows), the loop is
 * kernel_band.h's (strips of two vectors, blocks of 128 rows, two output
 * rows per circuit).  Torus only;
 * WIDTH a multiple of 1024.
 *
 * It checks the strided step against the engine's avx512 kernel for 20
 * generations (converting layouts cell by cell), then times both on the same
 * soup, alternating, best and median of 9 rounds of about 2e10 cell updates
 * each.  MODE "nostore" computes every output but does not store it, "l1"
 * reads only the first 8 rows (results wrong: the loads then always hit L1);
 * both show what the memory side costs. */
#include "kernel_avx512.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LS_BLOCK 128

enum ls_mode { LS_STORE, LS_NOSTORE, LS_L1 };

#if KERNEL_HAVE_AVX512
/* The whole vector shifted one bit up (bit j gets bit j - 1, bit 0 gets bit
 * 511: the torus), and down: the kernel's neighbour shifts, with the vector
 * itself, rotated a lane, as the neighbour word. */
KERNEL_FN static inline vec ls_up(vec v) { return v_west(v, v_west_near(v, v)); }
KERNEL_FN static inline vec ls_down(vec v) { return v_east(v, v_east_near(v, v)); }

/* Row sums and cells of vectors i0, i0 + 1 of 'row' (V vectors). */
KERNEL_FN static inline void ls_row(const uint64_t *row, int i0, int V, const int first,
                                    const int last, struct kb_planes *r)
{
    vec c0 = v_load(row + 8 * i0), c1 = v_load(row + 8 * (i0 + 1));
    vec w = first ? ls_up(v_load(row + 8 * (V - 1))) : v_load(row + 8 * (i0 - 1));
    vec e = last ? ls_down(v_load(row)) : v_load(row + 8 * (i0 + 2));
    v_row_sums9(w, c0, c1, &r[0].h0, &r[0].h1);
    v_row_sums9(c0, c1, e, &r[1].h0, &r[1].h1);
    r[0].c = c0;
    r[1].c = c1;
}

/* Output rows y, y + 1 from the planes of rows y - 1, y, y + 1, y + 2: the
 * kernel's kb_pair_rows, or the same gates with nothing stored. */
KERNEL_FN static inline void ls_pair(uint64_t *out, size_t stride,
                                     const struct kb_planes *u, const struct kb_planes *m1,
                                     const struct kb_planes *m2, const struct kb_planes *d,
                                     const int store)
{
    if (store) {
        kb_pair_rows(out, stride, u, m1, m2, d, 2, v_ones(), 0);
        return;
    }
    for (int i = 0; i < 2; i++) {
        vec sh[KERNEL_PAIR];
        v_pair_share(m1[i].h0, m1[i].h1, m2[i].h0, m2[i].h1, sh);
        vec r0 = v_pair_cell(sh, u[i].h0, u[i].h1, m1[i].c);
        vec r1 = v_pair_cell(sh, d[i].h0, d[i].h1, m2[i].c);
        __asm__ volatile("" ::"v"(r0), "v"(r1));
    }
}

/* Rows [yb, ye) (a multiple of 4) of the strip at vector i0; rows[y + 1] is
 * row y of the source, for -1 <= y <= height. */
KERNEL_FN static inline void ls_strip(const uint64_t *const *rows, uint64_t *dst,
                                      size_t stride, int V, int i0, int yb, int ye,
                                      const int first, const int last, const int store)
{
    struct kb_planes a[2], b[2], c[2], d[2];
    ls_row(rows[yb], i0, V, first, last, a);
    ls_row(rows[yb + 1], i0, V, first, last, b);
    for (int y = yb; y < ye; y += 4) {
        ls_row(rows[y + 2], i0, V, first, last, c);
        ls_row(rows[y + 3], i0, V, first, last, d);
        ls_pair(dst + (size_t)y * stride + 8 * i0, stride, a, b, c, d, store);
        ls_row(rows[y + 4], i0, V, first, last, a);
        ls_row(rows[y + 5], i0, V, first, last, b);
        ls_pair(dst + (size_t)(y + 2) * stride + 8 * i0, stride, c, d, a, b, store);
    }
}

typedef void (*ls_strip_fn)(const uint64_t *const *, uint64_t *, size_t, int, int, int,
                            int);
#define LS_STRIP(name, first, last, store)                                            \
    KERNEL_TARGET static void name(const uint64_t *const *r, uint64_t *d, size_t st,  \
                                   int V, int i0, int yb, int ye)                    \
    {                                                                                \
        ls_strip(r, d, st, V, i0, yb, ye, first, last, store);                       \
    }
LS_STRIP(ls_inner, 0, 0, 1)
LS_STRIP(ls_first, 1, 0, 1)
LS_STRIP(ls_last, 0, 1, 1)
LS_STRIP(ls_only, 1, 1, 1)
LS_STRIP(ls_inner_ns, 0, 0, 0)
LS_STRIP(ls_first_ns, 1, 0, 0)
LS_STRIP(ls_last_ns, 0, 1, 0)
LS_STRIP(ls_only_ns, 1, 1, 0)
/* [store][first][last] */
static const ls_strip_fn ls_fns[2][2][2] = {
    {{ls_inner_ns, ls_last_ns}, {ls_first_ns, ls_only_ns}},
    {{ls_inner, ls_last}, {ls_first, ls_only}}};

/* One generation of a torus of V vectors by 'height' rows (a multiple of 4)
 * in the strided layout; 'rows' has height + 2 entries. */
static void ls_step(const uint64_t *src, uint64_t *dst, size_t stride, int height, int V,
                    enum ls_mode mode, const uint64_t **rows)
{
    for (int y = -1; y <= height; y++) {
        int r = mode == LS_L1 ? (y & 7) : (y + height) % height;
        rows[y + 1] = src + (size_t)r * stride;
    }
    for (int yb = 0; yb < height; yb += LS_BLOCK) {
        int ye = yb + LS_BLOCK < height ? yb + LS_BLOCK : height;
        for (int i = 0; i < V; i += 2)
            ls_fns[mode != LS_NOSTORE][i == 0][i + 2 == V](rows, dst, stride, V, i, yb,
                                                            ye);
    }
}

/* Bit 'x' of a strided row of V vectors. */
static size_t ls_word(int x, int V) { return (size_t)8 * (x % V) + (size_t)(x / V) / 64; }
static int ls_bit(int x, int V) { return (x / V) % 64; }

static void ls_from_grid(const struct grid *g, uint64_t *out)
{
    int V = g->width / 512;
    memset(out, 0, g->stride * 8 * (size_t)g->height);
    for (int y = 0; y < g->height; y++)
        for (int x = 0; x < g->width; x++)
            if (grid_get(g, x, y))
                out[(size_t)y * g->stride + ls_word(x, V)] |= (uint64_t)1 << ls_bit(x, V);
}

static int ls_equal(const struct grid *g, const uint64_t *s)
{
    int V = g->width / 512;
    for (int y = 0; y < g->height; y++)
        for (int x = 0; x < g->width; x++)
            if ((int)(s[(size_t)y * g->stride + ls_word(x, V)] >> ls_bit(x, V) & 1) !=
                grid_get(g, x, y))
                return 0;
    return 1;
}

static double ls_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int ls_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif

int main(int argc, char **argv)
{
#if KERNEL_HAVE_AVX512
    int w = argc > 1 ? atoi(argv[1]) : 2048, h = argc > 2 ? atoi(argv[2]) : 2048;
    const char *m = argc > 3 ? argv[3] : "store";
    enum ls_mode mode = !strcmp(m, "nostore") ? LS_NOSTORE : !strcmp(m, "l1") ? LS_L1
                                                                              : LS_STORE;
    if (w < 1024 || w % 1024 || h < 8 || h % 4 || (mode == LS_STORE && strcmp(m, "store"))) {
        fprintf(stderr, "usage: layout [WIDTH (a multiple of 1024) [HEIGHT (a multiple of "
                        "4, >= 8) [store|nostore|l1]]]\n");
        return 2;
    }
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512vbmi2")) {
        fprintf(stderr, "layout: this CPU lacks AVX512F or VBMI2\n");
        return 1;
    }
    struct glider_error err;
    struct rule rule;
    struct grid *a, *b;
    if (rule_parse("B3/S23", &rule, &err) || grid_create(&a, w, h, TOPO_TORUS, &err) ||
        grid_create(&b, w, h, TOPO_TORUS, &err)) {
        fprintf(stderr, "layout: %s\n", err.msg);
        return 1;
    }
    size_t words = a->stride * (size_t)h;
    uint64_t *p = aligned_alloc(64, words * 8), *q = aligned_alloc(64, words * 8);
    const uint64_t **rows = malloc(sizeof *rows * (size_t)(h + 2));
    if (!p || !q || !rows) {
        fprintf(stderr, "layout: out of memory\n");
        return 1;
    }
    int V = w / 512;
    grid_fill_soup(a, 0.5, 1);
    ls_from_grid(a, p);
    for (int g = 1; g <= 20 && mode == LS_STORE; g++) {
        kernel_avx512.band(a, b, &rule, 0, h);
        ls_step(p, q, a->stride, h, V, mode, rows);
        struct grid *t = a;
        a = b;
        b = t;
        uint64_t *u = p;
        p = q;
        q = u;
        if (!ls_equal(a, p)) {
            printf("strided layout differs from the avx512 kernel at generation %d\n", g);
            return 1;
        }
    }
    if (mode == LS_STORE)
        printf("strided layout equals the avx512 kernel for 20 generations\n");
    double rs[9], rl[9];
    for (int round = 0; round < 9; round++) {
        long cells = 0;
        double t0 = ls_now();
        while (cells < 20000000000L) {
            ls_step(p, q, a->stride, h, V, mode, rows);
            uint64_t *u = p;
            p = q;
            q = u;
            cells += (long)w * h;
        }
        rs[round] = (double)cells / (ls_now() - t0) / 1e9;
        cells = 0;
        t0 = ls_now();
        while (cells < 20000000000L) {
            kernel_avx512.band(a, b, &rule, 0, h);
            struct grid *t = a;
            a = b;
            b = t;
            cells += (long)w * h;
        }
        rl[round] = (double)cells / (ls_now() - t0) / 1e9;
    }
    qsort(rs, 9, sizeof rs[0], ls_cmp);
    qsort(rl, 9, sizeof rl[0], ls_cmp);
    printf("%dx%d torus, %s: strided median %.1f G (best %.1f), avx512 kernel median "
           "%.1f G (best %.1f), strided/kernel %.2f\n",
           w, h, m, rs[4], rs[8], rl[4], rl[8], rs[4] / rl[4]);
    free(rows);
    free(p);
    free(q);
    grid_destroy(a);
    grid_destroy(b);
    return 0;
#else
    (void)argc;
    (void)argv;
    fprintf(stderr, "layout: built without AVX-512 support\n");
    return 1;
#endif
}
