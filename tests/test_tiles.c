/* test_tiles.c - split tiling (engine/band_tiles.h): k generations of a
 * universe cut into bands, as shrink tiles (one per band) and grow tiles (one
 * per edge between bands), must equal k generations of the reference kernel
 * - on both topologies, odd sizes, several rules (B0 included), k from 1 to
 * 9, one band to as many as fit, every kernel the CPU runs; every row of the
 * output written (it starts as garbage), the input untouched, the shrinks
 * and the grows each in any order; a shrink tile reading nothing outside its
 * band and writing nothing outside its rows.  And the task graph of the band
 * back-ends (engine/backends/band_graph.h): who waits for whom, both ways
 * round, and that every two tasks touching the same memory (one writing)
 * are ordered by it. */
#include <stdlib.h>
#include <string.h>

#include "../engine/backends/band_graph.h"
#include "../engine/band_tiles.h"
#include "../engine/kernel.h"
#include "test.h"
#include "test_util.h"

struct tiles_case {
    int w, h;
    enum topology topo;
    const char *rule;
    int gens, nbands;
    uint64_t seed;
    int reverse; /* run the tiles in reverse order */
};

static struct grid *make(int w, int h, enum topology topo)
{
    struct grid *g;
    struct glider_error err = {0};
    if (grid_create(&g, w, h, topo, &err)) {
        fprintf(stderr, "grid_create: %s\n", err.msg);
        return NULL;
    }
    return g;
}

static void band_of(int height, int nbands, int i, int *y0, int *y1)
{
    int base = height / nbands, extra = height % nbands;
    *y0 = i * base + (i < extra ? i : extra);
    *y1 = *y0 + base + (i < extra ? 1 : 0);
}

/* 'gens' generations of 'g' with the reference kernel, into 'out'. */
static void reference(const struct grid *g, struct grid *out, struct grid *tmp,
                      const struct rule *rule, int gens)
{
    const struct grid *from = g;
    struct grid *to = gens % 2 ? out : tmp;
    for (int i = 0; i < gens; i++) {
        kernel_reference_band(from, to, rule, 0, g->height);
        from = to;
        to = to == out ? tmp : out;
    }
}

static void print_case(const struct tiles_case *c, const char *kernel)
{
    fprintf(stderr, "  kernel %s, %dx%d %s, rule %s, %d generations, %d bands, "
                    "seed %llu%s\n",
            kernel, c->w, c->h, topology_name(c->topo), c->rule, c->gens,
            c->nbands, (unsigned long long)c->seed,
            c->reverse ? ", reverse order" : "");
}

/* One case with the active kernel: 0 when equal. */
static int run_case(const struct tiles_case *c)
{
    struct rule rule;
    struct glider_error err = {0};
    if (rule_parse(c->rule, &rule, &err))
        FAILF("rule %s: %s", c->rule, err.msg);
    kernel_band_fn band = kernel_active()->band;
    struct grid *src = make(c->w, c->h, c->topo), *dst = make(c->w, c->h, c->topo);
    struct grid *want = make(c->w, c->h, c->topo), *tmp = make(c->w, c->h, c->topo);
    struct grid *copy = make(c->w, c->h, c->topo);
    struct band_edges *edges = calloc((size_t)c->nbands, sizeof *edges);
    struct band_scratch scratch = {0};
    int rc = 1;
    if (!src || !dst || !want || !tmp || !copy || !edges)
        goto out;
    grid_fill_soup(src, 0.4, c->seed);
    grid_fill_soup(dst, 0.5, c->seed + 1); /* garbage: every row must be written */
    grid_copy(copy, src);
    reference(src, want, tmp, &rule, c->gens);
    int most = 0;
    for (int i = 0; i < c->nbands; i++) {
        int y0, y1;
        band_of(c->h, c->nbands, i, &y0, &y1);
        if (y1 - y0 > most)
            most = y1 - y0;
        if (band_edges_reserve(&edges[i], src->stride, c->gens, &err))
            FAILF("band_edges_reserve: %s", err.msg);
    }
    if (band_scratch_reserve(&scratch, src->stride,
                             band_tiles_scratch_rows(most, c->gens), &err))
        FAILF("band_scratch_reserve: %s", err.msg);
    int torus = c->topo == TOPO_TORUS;
    int ngrow = band_tiles_grows(c->nbands, torus);
    for (int j = 0; j < c->nbands; j++) {
        int i = c->reverse ? c->nbands - 1 - j : j, y0, y1;
        band_of(c->h, c->nbands, i, &y0, &y1);
        band_tile_shrink(band, src, dst, &rule, y0, y1, c->gens, &edges[i],
                         &scratch);
    }
    for (int j = 0; j < ngrow; j++) {
        int i = c->reverse ? ngrow - 1 - j : j;
        int b = torus ? i : i + 1; /* the band below the edge */
        int y, y1;
        band_of(c->h, c->nbands, b, &y, &y1);
        band_tile_grow(band, dst, &rule, y, c->gens,
                       &edges[(b + c->nbands - 1) % c->nbands], &edges[b],
                       &scratch);
    }
    if (!grid_equal(src, copy)) {
        fprintf(stderr, "the input grid was written\n");
        print_case(c, kernel_active()->name);
        goto out;
    }
    if (!grid_equal(dst, want)) {
        fprintf(stderr, "tiles differ from %d reference generations:\n", c->gens);
        print_case(c, kernel_active()->name);
        tu_report_diff(want, dst);
        goto out;
    }
    rc = 0;
out:
    if (edges)
        for (int i = 0; i < c->nbands; i++)
            band_edges_free(&edges[i]);
    free(edges);
    band_scratch_free(&scratch);
    grid_destroy(src);
    grid_destroy(dst);
    grid_destroy(want);
    grid_destroy(tmp);
    grid_destroy(copy);
    return rc;
}

static const char *const rules[] = {"B3/S23", "B36/S23", "B3678/S34678", "B2/S",
                                    "B0/S8", "B012345678/S012345678", "B1357/S1357"};
#define NRULES ((int)(sizeof rules / sizeof rules[0]))

/* Every kernel this CPU runs, reference included. */
static int for_each_kernel(int (*fn)(void))
{
    char saved[32];
    snprintf(saved, sizeof saved, "%s", kernel_active()->name);
    struct glider_error err = {0};
    int rc = 0;
    for (int i = 0; kernel_at(i) && rc == 0; i++) {
        const struct kernel *k = kernel_at(i);
        if (!k->supported()) {
            printf("SKIP kernel %s: not supported by this CPU\n", k->name);
            continue;
        }
        ASSERT_OK(kernel_select(k->name, &err), &err);
        rc = fn();
        if (rc == 0)
            printf("kernel %s: ok\n", k->name);
    }
    ASSERT_OK(kernel_select(saved, &err), &err);
    return rc;
}

static int sizes_all(void)
{
    static const struct {
        int w, h;
    } sizes[] = {{1, 2}, {1, 37}, {63, 65}, {64, 64}, {65, 20}, {130, 70},
                 {1000, 7}, {127, 128}, {513, 33}, {4097, 19}};
    static const int gens[] = {1, 2, 3, 5, 9};
    int n = 0;
    for (int si = 0; si < (int)(sizeof sizes / sizeof sizes[0]); si++)
        for (int topo = 0; topo < 2; topo++)
            for (int gi = 0; gi < 5; gi++) {
                int h = sizes[si].h, k = gens[gi];
                int most = h / (2 * k); /* bands of >= 2k rows */
                if (most < 1)
                    continue;
                int counts[4] = {1, 2, 3, most};
                for (int ci = 0; ci < 4; ci++, n++) {
                    if (counts[ci] > most)
                        continue;
                    struct tiles_case c = {sizes[si].w, h,
                                           topo ? TOPO_PLANE : TOPO_TORUS,
                                           rules[n % NRULES], k, counts[ci],
                                           7000u + (uint64_t)n, n % 3 == 1};
                    if (run_case(&c))
                        return 1;
                }
            }
    return 0;
}

static int test_equal_reference(void)
{
    return for_each_kernel(sizes_all);
}

/* Many generations in one tile (a trapezoid 2k rows tall at its base), on
 * bands of exactly 2k rows: the tiles close completely. */
static int exact_bands(void)
{
    for (int k = 1; k <= 24; k += 23) {
        for (int topo = 0; topo < 2; topo++) {
            struct tiles_case c = {200, 2 * k * 3, topo ? TOPO_PLANE : TOPO_TORUS,
                                   "B3/S23", k, 3, 42u + (uint64_t)k, topo};
            if (run_case(&c))
                return 1;
        }
    }
    return 0;
}

static int test_exact_bands(void)
{
    return for_each_kernel(exact_bands);
}

/* A shrink tile reads only its band: the same band in two universes that
 * differ everywhere else gives the same rows and the same edges. */
static int test_reads_only_its_band(void)
{
    enum { W = 150, H = 60, K = 4, Y0 = 20, Y1 = 40 };
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    for (int topo = 0; topo < 2; topo++) {
        enum topology t = topo ? TOPO_PLANE : TOPO_TORUS;
        struct grid *a = make(W, H, t), *b = make(W, H, t);
        struct grid *da = make(W, H, t), *db = make(W, H, t);
        ASSERT(a && b && da && db);
        grid_fill_soup(a, 0.4, 1);
        grid_fill_soup(b, 0.6, 2);
        for (int y = Y0; y < Y1; y++)
            memcpy(grid_row(b, y), grid_row(a, y), a->stride * sizeof(uint64_t));
        struct band_edges ea = {0}, eb = {0};
        struct band_scratch s = {0};
        ASSERT_OK(band_edges_reserve(&ea, a->stride, K, &err), &err);
        ASSERT_OK(band_edges_reserve(&eb, a->stride, K, &err), &err);
        ASSERT_OK(band_scratch_reserve(&s, a->stride,
                                       band_tiles_scratch_rows(Y1 - Y0, K), &err),
                  &err);
        kernel_band_fn band = kernel_active()->band;
        band_tile_shrink(band, a, da, &life, Y0, Y1, K, &ea, &s);
        band_tile_shrink(band, b, db, &life, Y0, Y1, K, &eb, &s);
        for (int y = Y0 + K; y < Y1 - K; y++)
            ASSERT(memcmp(grid_row(da, y), grid_row(db, y),
                          a->stride * sizeof(uint64_t)) == 0);
        ASSERT(memcmp(ea.rows, eb.rows, 4 * K * a->stride * sizeof(uint64_t)) == 0);
        band_edges_free(&ea);
        band_edges_free(&eb);
        band_scratch_free(&s);
        grid_destroy(a);
        grid_destroy(b);
        grid_destroy(da);
        grid_destroy(db);
    }
    return 0;
}

static int test_edges_reserve(void)
{
    struct band_edges e = {0};
    struct glider_error err = {0};
    ASSERT_OK(band_edges_reserve(&e, 8, 10, &err), &err);
    ASSERT(e.rows != NULL);
    uint64_t *p = e.rows;
    /* Smaller: the allocation is kept. */
    ASSERT_OK(band_edges_reserve(&e, 8, 3, &err), &err);
    ASSERT(e.rows == p);
    ASSERT_EQ(e.gens, 3);
    /* Absurd: refused, unchanged. */
    ASSERT_EQ(band_edges_reserve(&e, SIZE_MAX / 16, 1000, &err), GLIDER_ENOMEM);
    ASSERT_CONTAINS(err.msg, "too large");
    ASSERT(e.rows == p);
    band_edges_free(&e);
    ASSERT(e.rows == NULL);
    return 0;
}

static int contains(const long *v, int n, long x)
{
    for (int i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

/* band_graph_waiters is exactly the inverse of band_graph_waits; a task
 * waits only for earlier tasks; the first round's bands wait for nothing
 * and every later task for something; a grow waits for the shrinks of the
 * bands on its two sides. */
static int test_graph(void)
{
    for (int nb = 1; nb <= 7; nb++)
        for (int torus = 0; torus < 2; torus++)
            for (int tiles = 0; tiles < 2; tiles++)
                for (int rounds = 1; rounds <= 5; rounds += 2) {
                    struct band_graph g;
                    band_graph_init(&g, 100, nb, rounds, torus, tiles);
                    ASSERT_EQ(g.ngrows, tiles ? (torus ? nb : nb - 1) : 0);
                    long total = band_graph_tasks(&g);
                    for (long id = 0; id < total; id++) {
                        long w[3], x[3];
                        int nw = band_graph_waits(&g, id, w);
                        int nx = band_graph_waiters(&g, id, x);
                        struct band_task t = band_graph_task(&g, id);
                        ASSERT_EQ(t.round, id / g.per_round);
                        if (t.kind == BAND_TASK_GROW) {
                            ASSERT(contains(w, nw, (long)t.round * g.per_round + t.band));
                            ASSERT(contains(w, nw, (long)t.round * g.per_round + t.above));
                            ASSERT_EQ(t.above, (t.band + nb - 1) % nb);
                        } else {
                            ASSERT_EQ(nw == 0, t.round == 0);
                        }
                        for (int i = 0; i < nw; i++) {
                            long y[3];
                            ASSERT_LT(w[i], id);
                            int ny = band_graph_waiters(&g, w[i], y);
                            ASSERT(contains(y, ny, id));
                        }
                        for (int i = 0; i < nx; i++) {
                            long y[3];
                            ASSERT_GT(x[i], id);
                            ASSERT_LT(x[i], total);
                            int ny = band_graph_waits(&g, x[i], y);
                            ASSERT(contains(y, ny, id));
                        }
                    }
                }
    return 0;
}

/* What a task of a step reads and writes: rows of the two grids (grid 0 is
 * 'cur', which the odd rounds write; grid 1 is 'next') and the bands'
 * edges, as bits of a set. */
enum { HZ_ROWS = 100, HZ_MAXB = 7, HZ_BITS = 2 * HZ_ROWS + HZ_MAXB };
struct hz_set {
    uint64_t w[(HZ_BITS + 63) / 64];
};

static void hz_add(struct hz_set *s, int bit)
{
    s->w[bit / 64] |= (uint64_t)1 << (bit % 64);
}

/* Rows [a, b) of grid 'g', wrapped on a torus, clipped on a plane. */
static void hz_rows(struct hz_set *s, int g, int a, int b, int torus)
{
    for (int y = a; y < b; y++) {
        int r = torus ? (y % HZ_ROWS + HZ_ROWS) % HZ_ROWS : y;
        if (r >= 0 && r < HZ_ROWS)
            hz_add(s, g * HZ_ROWS + r);
    }
}

static int hz_meet(const struct hz_set *a, const struct hz_set *b)
{
    for (size_t i = 0; i < sizeof a->w / sizeof a->w[0]; i++)
        if (a->w[i] & b->w[i])
            return 1;
    return 0;
}

/* The sets of task 't' of a step of 'k' generations a round. */
static void hz_task(const struct band_graph *g, const struct band_task *t,
                    int k, struct hz_set *rd, struct hz_set *wr)
{
    memset(rd, 0, sizeof *rd);
    memset(wr, 0, sizeof *wr);
    int src = t->round % 2 ? 1 : 0, dst = 1 - src, plane = !g->torus;
    switch (t->kind) {
    case BAND_TASK_HALO:
        hz_rows(rd, src, t->y0 - k, t->y1 + k, g->torus);
        hz_rows(wr, dst, t->y0, t->y1, g->torus);
        break;
    case BAND_TASK_SHRINK:
        hz_rows(rd, src, t->y0, t->y1, g->torus);
        hz_rows(wr, dst, plane && t->y0 == 0 ? 0 : t->y0 + k,
                plane && t->y1 == HZ_ROWS ? HZ_ROWS : t->y1 - k, g->torus);
        hz_add(wr, 2 * HZ_ROWS + t->band);
        break;
    case BAND_TASK_GROW:
        hz_add(rd, 2 * HZ_ROWS + t->above);
        hz_add(rd, 2 * HZ_ROWS + t->band);
        hz_rows(wr, dst, t->y0 - k, t->y0 + k, g->torus);
        break;
    }
}

/* For every step shape: each pair of tasks that touch the same row or edges,
 * one of them writing, is ordered by a chain of waits; and each round
 * writes every row of its output exactly once. */
static int test_graph_hazards(void)
{
    enum { MAXT = 5 * 2 * HZ_MAXB };
    int checked = 0;
    for (int nb = 1; nb <= HZ_MAXB; nb++)
        for (int torus = 0; torus < 2; torus++)
            for (int tiles = 0; tiles < 2; tiles++)
                for (int rounds = 1; rounds <= 5; rounds += 2) {
                    int thin = HZ_ROWS / nb;
                    int k = tiles ? thin / 2 : thin;
                    if (k > 5)
                        k = 5;
                    struct band_graph g;
                    band_graph_init(&g, HZ_ROWS, nb, rounds, torus, tiles);
                    long total = band_graph_tasks(&g);
                    ASSERT_LE(total, MAXT);
                    static struct hz_set rd[MAXT], wr[MAXT];
                    uint64_t anc[MAXT][2];
                    for (long id = 0; id < total; id++) {
                        struct band_task t = band_graph_task(&g, id);
                        hz_task(&g, &t, k, &rd[id], &wr[id]);
                        long w[3];
                        int n = band_graph_waits(&g, id, w);
                        anc[id][0] = anc[id][1] = 0;
                        for (int i = 0; i < n; i++) {
                            anc[id][w[i] / 64] |= (uint64_t)1 << (w[i] % 64);
                            anc[id][0] |= anc[w[i]][0];
                            anc[id][1] |= anc[w[i]][1];
                        }
                    }
                    for (long b = 0; b < total; b++)
                        for (long a = 0; a < b; a++) {
                            int conflict = hz_meet(&wr[a], &rd[b]) ||
                                           hz_meet(&rd[a], &wr[b]) ||
                                           hz_meet(&wr[a], &wr[b]);
                            int ordered = anc[b][a / 64] >> (a % 64) & 1;
                            if (conflict && !ordered)
                                FAILF("%d bands, %s, %s, %d rounds: task %ld "
                                      "and task %ld touch the same memory "
                                      "unordered",
                                      nb, torus ? "torus" : "plane",
                                      tiles ? "tiles" : "halo", rounds, a, b);
                        }
                    /* Each round covers its output once. */
                    for (int r = 0; r < rounds; r++) {
                        int seen[2 * HZ_ROWS] = {0};
                        for (long id = (long)r * g.per_round;
                             id < (long)(r + 1) * g.per_round; id++)
                            for (int bit = 0; bit < 2 * HZ_ROWS; bit++)
                                seen[bit] += (int)(wr[id].w[bit / 64] >> (bit % 64) & 1);
                        int dst = r % 2 ? 0 : 1;
                        for (int y = 0; y < HZ_ROWS; y++) {
                            ASSERT_EQ(seen[dst * HZ_ROWS + y], 1);
                            ASSERT_EQ(seen[(1 - dst) * HZ_ROWS + y], 0);
                        }
                    }
                    checked++;
                }
    printf("%d step shapes: every conflicting pair ordered, every row written "
           "once a round\n", checked);
    return 0;
}

/* Shrink tiles alone write nothing but their own rows [y0 + k, y1 - k) (to
 * a plane's edge): the rest of the output is as it was. */
static int shrinks_only(void)
{
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    kernel_band_fn band = kernel_active()->band;
    for (int topo = 0; topo < 2; topo++)
        for (int nb = 1; nb <= 4; nb++) {
            enum { W = 130, H = 60, K = 4 };
            enum topology t = topo ? TOPO_PLANE : TOPO_TORUS;
            struct grid *src = make(W, H, t), *dst = make(W, H, t);
            struct grid *before = make(W, H, t), *want = make(W, H, t);
            struct grid *tmp = make(W, H, t);
            ASSERT(src && dst && before && want && tmp);
            grid_fill_soup(src, 0.4, 5u + (uint64_t)nb);
            grid_fill_soup(dst, 0.5, 77);
            grid_copy(before, dst);
            reference(src, want, tmp, &life, K);
            struct band_edges e = {0};
            struct band_scratch s = {0};
            ASSERT_OK(band_edges_reserve(&e, src->stride, K, &err), &err);
            ASSERT_OK(band_scratch_reserve(&s, src->stride, H, &err), &err);
            int mine[H] = {0};
            for (int i = 0; i < nb; i++) {
                int y0, y1;
                band_of(H, nb, i, &y0, &y1);
                band_tile_shrink(band, src, dst, &life, y0, y1, K, &e, &s);
                int lo = topo && y0 == 0 ? 0 : y0 + K;
                int hi = topo && y1 == H ? H : y1 - K;
                for (int y = lo; y < hi; y++)
                    mine[y] = 1;
            }
            size_t bytes = src->stride * sizeof(uint64_t);
            for (int y = 0; y < H; y++) {
                const struct grid *g = mine[y] ? want : before;
                if (memcmp(grid_row(dst, y), grid_row(g, y), bytes) != 0)
                    FAILF("%s, %d bands: row %d %s", topology_name(t), nb, y,
                          mine[y] ? "is not the reference's"
                                  : "was written by a shrink tile");
            }
            band_edges_free(&e);
            band_scratch_free(&s);
            grid_destroy(src);
            grid_destroy(dst);
            grid_destroy(before);
            grid_destroy(want);
            grid_destroy(tmp);
        }
    return 0;
}

static int test_shrinks_only(void)
{
    return for_each_kernel(shrinks_only);
}

static const struct test_case tests[] = {
    {"equal_reference", test_equal_reference},
    {"exact_bands", test_exact_bands},
    {"reads_only_its_band", test_reads_only_its_band},
    {"edges_reserve", test_edges_reserve},
    {"graph", test_graph},
    {"graph_hazards", test_graph_hazards},
    {"shrinks_only", test_shrinks_only},
};

TEST_MAIN(tests)
