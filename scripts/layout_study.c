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
 * both show what the memory side costs.  MODE "fused" computes two generations
 * a pass (ls_fused2: the second follows the first four rows behind, through
 * a ring of two BLOCK-row blocks that stays in L1), so the grid streams
 * through L2 once per two generations; it is checked against the kernel too.
 * MODE "inplace" is "fused" writing its result over its source: one grid of
 * 2048^2 (512 KiB) then stays in a 1 MiB L2, where two did not. */
#include "kernel_avx512.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LS_BLOCK 128

enum ls_mode { LS_STORE, LS_NOSTORE, LS_L1, LS_FUSED };

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

/* Rows [yb, ye) (a multiple of 4) of the strip at vector i0, into 'out' (row
 * yb) and the rows after it; rows[y + 1] is row y of the source, for
 * -1 <= y <= height. */
KERNEL_FN static inline void ls_strip(const uint64_t *const *rows, uint64_t *out,
                                      size_t stride, int V, int i0, int yb, int ye,
                                      const int first, const int last, const int store)
{
    struct kb_planes a[2], b[2], c[2], d[2];
    ls_row(rows[yb], i0, V, first, last, a);
    ls_row(rows[yb + 1], i0, V, first, last, b);
    for (int y = yb; y < ye; y += 4) {
        ls_row(rows[y + 2], i0, V, first, last, c);
        ls_row(rows[y + 3], i0, V, first, last, d);
        ls_pair(out + (size_t)(y - yb) * stride + 8 * i0, stride, a, b, c, d, store);
        ls_row(rows[y + 4], i0, V, first, last, a);
        ls_row(rows[y + 5], i0, V, first, last, b);
        ls_pair(out + (size_t)(y + 2 - yb) * stride + 8 * i0, stride, c, d, a, b, store);
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
            ls_fns[mode != LS_NOSTORE][i == 0][i + 2 == V](
                rows, dst + (size_t)yb * stride, stride, V, i, yb, ye);
    }
}

/* Rows [yb, ye) of one generation from 'rows' into 'out' (row yb on), every
 * strip. */
static void ls_block(const uint64_t *const *rows, uint64_t *out, size_t stride, int V,
                     int yb, int ye)
{
    for (int i = 0; i < V; i += 2)
        ls_fns[1][i == 0][i + 2 == V](rows, out, stride, V, i, yb, ye);
}

/* The buffers of mode "fused". */
struct ls_fuse {
    const uint64_t **rows1, **rows2; /* height + 2 row pointers each */
    uint64_t *ring;                  /* two blocks of generation 1 */
    uint64_t *tail;                  /* its last 4 rows, computed first */
    uint64_t *head;                  /* its row 0, kept for the last rows */
    uint64_t *row0;                  /* row 0 of the source, kept */
    int block;                       /* rows a block, a multiple of 4, >= 8 */
};

/* Two generations of the torus in one pass over the grid: generation 1 in
 * blocks into a ring of two blocks (small enough for L1), generation 2 four
 * rows behind it from the ring, so the grid streams through L2 once per two
 * generations.  Row -1 of generation 1 is its row height-1, computed first
 * ('tail'); row 'height' is its row 0, kept ('head').  'dst' may be 'src':
 * generation 2 writes a row only after generation 1 has read it, except row
 * 0, which the last block reads from a copy ('row0'). */
static void ls_fused2(const uint64_t *src, uint64_t *dst, size_t stride, int H, int V,
                      struct ls_fuse *f)
{
    const uint64_t **r1 = f->rows1, **r2 = f->rows2;
    int B = f->block;
    for (int y = -1; y <= H; y++)
        r1[y + 1] = src + (size_t)((y + H) % H) * stride;
    memcpy(f->row0, src, stride * 8);
    r1[H + 1] = f->row0;
    ls_block(r1, f->tail, stride, V, H - 4, H);
    r2[0] = f->tail + 3 * stride;
    for (int k = 0, yb = 0; yb < H; k++, yb += B) {
        uint64_t *slot = f->ring + (size_t)(k & 1) * (size_t)B * stride;
        ls_block(r1, slot, stride, V, yb, yb + B);
        for (int y = yb; y < yb + B; y++)
            r2[y + 1] = slot + (size_t)(y - yb) * stride;
        if (k == 0) {
            memcpy(f->head, slot, stride * 8);
            r2[H + 1] = f->head;
            ls_block(r2, dst, stride, V, 0, B - 4);
        } else {
            ls_block(r2, dst + (size_t)(yb - 4) * stride, stride, V, yb - 4, yb + B - 4);
        }
    }
    ls_block(r2, dst + (size_t)(H - 4) * stride, stride, V, H - 4, H);
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
    int inplace = !strcmp(m, "inplace");
    enum ls_mode mode = !strcmp(m, "nostore")           ? LS_NOSTORE
                        : !strcmp(m, "l1")              ? LS_L1
                        : !strcmp(m, "fused") || inplace ? LS_FUSED
                                                         : LS_STORE;
    int block = argc > 4 ? atoi(argv[4]) : 32;
    if (w < 1024 || w % 1024 || h < 8 || h % 4 || (mode == LS_STORE && strcmp(m, "store")) ||
        block < 8 || block % 4 || h % block) {
        fprintf(stderr, "usage: layout [WIDTH (a multiple of 1024) [HEIGHT (a multiple of "
                        "4, >= 8) [store|nostore|l1|fused|inplace [BLOCK (a multiple of 4, >= 8, "
                        "dividing HEIGHT)]]]]\n");
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
    struct ls_fuse f = {malloc(sizeof *rows * (size_t)(h + 2)),
                        malloc(sizeof *rows * (size_t)(h + 2)),
                        aligned_alloc(64, (size_t)2 * block * a->stride * 8),
                        aligned_alloc(64, 4 * a->stride * 8), aligned_alloc(64, a->stride * 8),
                        aligned_alloc(64, a->stride * 8), block};
    if (!p || !q || !rows || !f.rows1 || !f.rows2 || !f.ring || !f.tail || !f.head ||
        !f.row0) {
        fprintf(stderr, "layout: out of memory\n");
        return 1;
    }
    int V = w / 512;
    grid_fill_soup(a, 0.5, 1);
    ls_from_grid(a, p);
    for (int g = 1; g <= 20 && (mode == LS_STORE || mode == LS_FUSED); g++) {
        kernel_avx512.band(a, b, &rule, 0, h);
        struct grid *t = a;
        a = b;
        b = t;
        if (mode == LS_FUSED) {
            if (g % 2)
                continue;
            ls_fused2(p, inplace ? p : q, a->stride, h, V, &f);
            if (inplace)
                memcpy(q, p, words * 8);
        } else {
            ls_step(p, q, a->stride, h, V, mode, rows);
        }
        uint64_t *u = p;
        p = q;
        q = u;
        if (!ls_equal(a, p)) {
            printf("strided layout differs from the avx512 kernel at generation %d\n", g);
            return 1;
        }
    }
    if (mode == LS_STORE || mode == LS_FUSED)
        printf("strided layout%s equals the avx512 kernel for 20 generations\n",
               inplace ? " (fused, in place)" : mode == LS_FUSED ? " (fused)" : "");
    double rs[9], rl[9];
    for (int round = 0; round < 9; round++) {
        long cells = 0;
        double t0 = ls_now();
        while (cells < 20000000000L) {
            if (mode == LS_FUSED)
                ls_fused2(p, inplace ? p : q, a->stride, h, V, &f);
            else
                ls_step(p, q, a->stride, h, V, mode, rows);
            uint64_t *u = p;
            p = inplace ? p : q;
            q = inplace ? q : u;
            cells += (long)w * h * (mode == LS_FUSED ? 2 : 1);
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
    free(f.rows1);
    free(f.rows2);
    free(f.ring);
    free(f.tail);
    free(f.head);
    free(f.row0);
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
