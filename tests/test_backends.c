/* test_backends.c - cross-back-end conformance, runtime switching and
 * failure injection.
 *
 * Walks the registry: every back-end must equal 'sequential' generation by
 * generation on random soups, on tori and planes of odd sizes, with several
 * rules and thread counts (more threads than rows included).  Back-ends
 * flagged BACKEND_CELL_GRANULAR get fewer combinations and generations.  A
 * back-end whose create says "not built" is reported with a SKIP line and
 * skipped.  Thread starts are made to fail through the fault hooks of sys.h;
 * then the error must be clear, the grid exactly as it was, every thread
 * joined (the count in /proc/self/task back to its baseline) and the
 * simulation able to go on with another back-end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../engine/backend.h"
#include "../engine/backends/band_plan.h"
#include "../engine/kernel.h"
#include "../engine/sim.h"
#include "../engine/sys.h"
#include "test.h"
#include "test_util.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Sanitizer and unoptimised builds run thread starts 5-20 times slower: they
 * get fewer generations on the cell-granular back-ends. */
#define SLOW_BUILD 0
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__) ||          \
    !defined(__OPTIMIZE__)
#undef SLOW_BUILD
#define SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#undef SLOW_BUILD
#define SLOW_BUILD 1
#endif
#endif

/* 1 when the back-end can be created, 0 when it says "not built" (printed as
 * a SKIP line), -1 on any other failure. */
static int is_built(const struct backend_ops *ops)
{
    void *state = NULL;
    struct backend_opts o = {0};
    struct glider_error err = {0};
    int rc = ops->create(&state, &o, &err);
    if (rc == 0) {
        ops->destroy(state);
        return 1;
    }
    if (rc == GLIDER_EUNSUPPORTED && strstr(err.msg, "not built")) {
        printf("SKIP backend %s: not built\n", ops->name);
        fflush(stdout);
        return 0;
    }
    fprintf(stderr, "backend %s: create failed: %s\n", ops->name, err.msg);
    return -1;
}

/* thread-pool and worker-queue (default task size) split a universe only
 * when the work is worth it (band_plan.h), so tiny test universes would
 * always be computed in one piece; GLIDER_BAND_GRAIN=1 (read at create) makes
 * them split even a 3x5 universe.  0 restores the adaptive plan. */
static void set_band_grain(long grain)
{
    tu_setenv_long("GLIDER_BAND_GRAIN", grain);
}

struct config {
    const char *backend;
    struct backend_opts opts;
    int grain_one;      /* GLIDER_BAND_GRAIN=1 */
    int band_gens;      /* GLIDER_BAND_GENS, 0 = unset */
    int advance;        /* sim_advance as far as the back-end will go */
    int w, h;
    enum topology topo;
    const char *rule;
    uint64_t seed;
    int gens;
    int no_tiles;  /* GLIDER_BAND_TILES=0 */
    double split; /* out: most bands or tasks of a step, if reported */
    int most_gens; /* out: most generations one step computed */
    int tiles_seen; /* out: a step reported "tiles" 1 */
};

static void print_config(const struct config *c)
{
    fprintf(stderr,
            "  backend %s, threads %d, task_cells %d, max_live %d%s, %dx%d "
            "%s, rule %s, seed %llu, band gens %d%s\n",
            c->backend, c->opts.threads, c->opts.task_cells,
            c->opts.max_live_threads, c->grain_one ? ", grain 1" : "",
            c->w, c->h, topology_name(c->topo), c->rule,
            (unsigned long long)c->seed, c->band_gens,
            c->advance ? ", sim_advance" : "");
}

/* Runs 'c' against sequential, comparing every generation (with 'advance',
 * every generation the back-end stops at).  0 when equal. */
static int run_compare(struct config *c)
{
    struct rule rule;
    struct glider_error err = {0};
    if (rule_parse(c->rule, &rule, &err))
        FAILF("rule %s: %s", c->rule, err.msg);
    set_band_grain(c->grain_one);
    tu_setenv_long("GLIDER_BAND_GENS", c->band_gens);
    if (c->no_tiles)
        setenv("GLIDER_BAND_TILES", "0", 1);
    struct sim *ref = tu_sim_soup(c->w, c->h, c->topo, &rule, "sequential", NULL,
                                  0.35, c->seed);
    struct sim *s = tu_sim_soup(c->w, c->h, c->topo, &rule, c->backend, &c->opts,
                                0.35, c->seed);
    set_band_grain(0);
    tu_setenv_long("GLIDER_BAND_GENS", 0);
    unsetenv("GLIDER_BAND_TILES");
    if (!ref || !s) {
        print_config(c);
        sim_destroy(ref);
        sim_destroy(s);
        return 1;
    }
    int rc = 0;
    for (int g = 0; g < c->gens && rc == 0;) {
        uint64_t d = 1;
        int src = c->advance ? sim_advance(s, (uint64_t)(c->gens - g), &d, &err)
                             : sim_step(s, &err);
        if (src) {
            fprintf(stderr, "step %d failed: %s\n", g + 1, err.msg);
            print_config(c);
            rc = 1;
            break;
        }
        if (d < 1 || d > (uint64_t)(c->gens - g) ||
            sim_generation(s) != (uint64_t)g + d) {
            fprintf(stderr, "sim_advance from %d did %llu generations\n", g,
                    (unsigned long long)d);
            print_config(c);
            rc = 1;
            break;
        }
        g += (int)d;
        if (d > (uint64_t)c->most_gens)
            c->most_gens = (int)d;
        if (tu_sim_stat(s, "tiles") == 1)
            c->tiles_seen = 1;
        if (sim_run(ref, d, &err)) {
            fprintf(stderr, "sequential step: %s\n", err.msg);
            rc = 1;
        } else if (!grid_equal(sim_grid(ref), sim_grid(s))) {
            fprintf(stderr, "generation %d differs from sequential:\n", g);
            print_config(c);
            tu_report_diff(sim_grid(ref), sim_grid(s));
            rc = 1;
        }
    }
    if (rc == 0) {
        struct backend_stat st[BACKEND_MAX_STATS];
        int n = sim_backend_stats(s, st, BACKEND_MAX_STATS);
        if (n < 0 || n > BACKEND_MAX_STATS) {
            fprintf(stderr, "stats returned %d\n", n);
            rc = 1;
        }
        for (int i = 0; i < n; i++)
            if (strcmp(st[i].name, "bands per step") == 0 ||
                strcmp(st[i].name, "tasks per step") == 0)
                c->split = st[i].value;
    }
    sim_destroy(ref);
    sim_destroy(s);
    return rc;
}


/* ------------------------------------------------------------------------ */
/* Conformance                                                              */
/* ------------------------------------------------------------------------ */

static const struct {
    int w, h;
} sizes[] = {{1, 1}, {1, 37}, {37, 1}, {3, 5}, {63, 65}, {1000, 7}, {130, 70}};
#define NSIZES ((int)(sizeof sizes / sizeof sizes[0]))

static const char *const rules[] = {"B3/S23", "B36/S23", "B3678/S34678",
                                    "B2/S", "B0/S8"};
#define NRULES ((int)(sizeof rules / sizeof rules[0]))

/* 71 is more than the rows of every size above. */
static const int thread_counts[] = {1, 2, 7, 71};
#define NTHREADS ((int)(sizeof thread_counts / sizeof thread_counts[0]))

/* Fills the back-end specific options of run number 'k' of 'c'. */
static void vary_options(struct config *c, int k, int ti)
{
    c->opts.threads = thread_counts[ti];
    if (strcmp(c->backend, "worker-queue") == 0) {
        /* Default bands, single cells, sub-row runs crossing words and rows,
         * one row, two rows. */
        const int tc[] = {0, 1, 5, 64, 100, -1, -2};
        int v = tc[k % 7];
        c->opts.task_cells = v >= 0 ? v : -v * c->w;
        c->grain_one = k % 2 == 0;
    } else if (strcmp(c->backend, "thread-pool") == 0) {
        c->grain_one = k % 4 != 3;
    } else if (strcmp(c->backend, "thread-per-cell") == 0) {
        c->opts.max_live_threads = ti == NTHREADS - 1 ? 0 : thread_counts[ti];
    }
}

static int test_conformance(void)
{
    int base = tu_thread_baseline();
    int tested = 0;
    for (int b = 0; backend_at(b); b++) {
        const struct backend_ops *ops = backend_at(b);
        if (strcmp(ops->name, "sequential") == 0)
            continue;
        int built = is_built(ops);
        if (built < 0)
            FAILF("backend %s cannot be created", ops->name);
        if (!built)
            continue;
        int granular = (ops->flags & BACKEND_CELL_GRANULAR) != 0;
        int runs = 0, gens = 0, k = 0;
        double split = 0;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        /* Every size, topology and thread count; the rule rotates so each
         * size meets all five rules. */
        for (int si = 0; si < NSIZES; si++)
            for (int topo = 0; topo < 2; topo++)
                for (int ti = 0; ti < NTHREADS; ti++, k++) {
                    struct config c = {0};
                    c.backend = ops->name;
                    c.w = sizes[si].w;
                    c.h = sizes[si].h;
                    c.topo = topo ? TOPO_PLANE : TOPO_TORUS;
                    c.rule = rules[(2 * si + topo + ti) % NRULES];
                    c.seed = 1000u + (uint64_t)k;
                    c.gens = 12;
                    if (granular) {
                        /* One thread count per size and topology, rotating;
                         * fewer generations on the big ones. */
                        if (ti != (si + topo) % NTHREADS)
                            continue;
                        long cells = (long)c.w * c.h;
                        if (SLOW_BUILD && cells > 5000)
                            continue;
                        c.gens = cells <= 100    ? 12
                                 : cells <= 5000 ? (SLOW_BUILD ? 2 : 4)
                                                 : 2;
                    }
                    vary_options(&c, k, ti);
                    if (run_compare(&c))
                        return 1;
                    runs++;
                    gens += c.gens;
                    if (c.split > split)
                        split = c.split;
                }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("backend %s: %d runs, %d generations equal to sequential "
               "(%.2f s)\n",
               ops->name, runs, gens,
               (double)(t1.tv_sec - t0.tv_sec) +
                   (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
        fflush(stdout);
        tested++;
        /* The band back-ends really split the universes (grain 1). */
        if (strcmp(ops->name, "thread-pool") == 0 ||
            strcmp(ops->name, "worker-queue") == 0)
            ASSERT_GE(split, 7);
    }
    ASSERT(tu_threads_back_to(base));
    if (tested == 0)
        SKIP("no back-end besides sequential is built");
    return 0;
}

/* Many generations on one soup, so long-lived structures (gliders crossing
 * the torus seam, the plane's edges) are exercised too. */
static int test_long_run(void)
{
    for (int b = 0; backend_at(b); b++) {
        const struct backend_ops *ops = backend_at(b);
        if (strcmp(ops->name, "sequential") == 0 || is_built(ops) != 1)
            continue;
        int granular = (ops->flags & BACKEND_CELL_GRANULAR) != 0;
        for (int topo = 0; topo < 2; topo++) {
            struct config c = {0};
            c.backend = ops->name;
            c.opts.threads = 2;
            c.grain_one = 1;
            c.w = granular ? 17 : 63;
            c.h = granular ? 19 : 65;
            c.topo = topo ? TOPO_PLANE : TOPO_TORUS;
            c.rule = "B3/S23";
            c.seed = 77;
            c.gens = granular ? (SLOW_BUILD ? 15 : 40) : (SLOW_BUILD ? 100 : 300);
            if (run_compare(&c))
                return 1;
        }
    }
    return 0;
}

/* sim_advance on the band back-ends (step_gens): a band task computes
 * several generations from a halo (band_gens.h).  Tiny bands (grain 1), halos
 * deeper than the universe, odd sizes, both topologies, B0, generation
 * counts that are no multiple of the generations per task - compared with
 * sequential wherever the back-end stops. */
static int multi_generation_kernel(const char *kname);

static int test_multi_generation(void)
{
    /* Every band kernel this CPU runs: they differ in what they write past
     * a row's width, and band_gens must keep those words zero (grid_equal
     * compares them). */
    char saved[32];
    snprintf(saved, sizeof saved, "%s", kernel_active()->name);
    struct glider_error err = {0};
    int rc = 0, tested = 0;
    for (int i = 0; kernel_at(i) && rc == 0; i++) {
        const struct kernel *k = kernel_at(i);
        if (strcmp(k->name, "reference") == 0 || !k->supported())
            continue;
        ASSERT_OK(kernel_select(k->name, &err), &err);
        printf("kernel %s:\n", k->name);
        rc = multi_generation_kernel(k->name);
        tested++;
    }
    ASSERT_OK(kernel_select(saved, &err), &err);
    ASSERT(tested > 0);
    return rc;
}

static int multi_generation_kernel(const char *kname)
{
    static const int band_gens[] = {0, 2, 3, 7, 1};
    int tested = 0;
    (void)kname;
    for (int b = 0; backend_at(b); b++) {
        const struct backend_ops *ops = backend_at(b);
        if (!ops->step_gens || strcmp(ops->name, "sequential") == 0 ||
            is_built(ops) != 1)
            continue;
        int runs = 0, most = 0, k = 0;
        for (int si = 0; si < NSIZES; si++)
            for (int topo = 0; topo < 2; topo++)
                for (int gi = 0; gi < 5; gi++, k++) {
                    struct config c = {0};
                    c.backend = ops->name;
                    c.opts.threads = (int[]){1, 2, 5}[k % 3];
                    c.grain_one = k % 4 != 3;
                    c.band_gens = band_gens[gi];
                    c.advance = 1;
                    c.w = sizes[si].w;
                    c.h = sizes[si].h;
                    c.topo = topo ? TOPO_PLANE : TOPO_TORUS;
                    c.rule = rules[(si + topo + gi) % NRULES];
                    c.seed = 500u + (uint64_t)k;
                    c.gens = 23;
                    if (run_compare(&c))
                        return 1;
                    runs++;
                    if (c.most_gens > most)
                        most = c.most_gens;
                }
        /* A long run: gliders cross the seams many times inside tasks. */
        for (int topo = 0; topo < 2; topo++) {
            struct config c = {0};
            c.backend = ops->name;
            c.opts.threads = 2;
            c.grain_one = 1;
            c.advance = 1;
            c.band_gens = 5;
            c.w = 63;
            c.h = 65;
            c.topo = topo ? TOPO_PLANE : TOPO_TORUS;
            c.rule = "B3/S23";
            c.seed = 78;
            c.gens = SLOW_BUILD ? 101 : 301;
            if (run_compare(&c))
                return 1;
            runs++;
        }
        printf("backend %s: %d runs with sim_advance equal to sequential, "
               "up to %d generations per step\n",
               ops->name, runs, most);
        fflush(stdout);
        /* The default plan (grain 1, no GLIDER_BAND_GENS) takes all 23. */
        ASSERT_EQ(most, 23);
        tested++;
    }
    if (tested == 0)
        SKIP("no back-end with step_gens is built");
    return 0;
}

/* Several rounds in one step (band_plan_rounds): with bands at least as
 * tall as the generations a task computes, thread-pool and worker-queue
 * hand out up to 15 rounds at once, a task of round r + 1 starting as soon
 * as the tasks it waits for are done (band_graph.h), the rounds writing
 * 'cur' and 'next' alternately.  Bands of exactly k rows (where a halo
 * reaches the far edge of each neighbour), k + 1, 2k (where tiles close
 * completely), 2k + 1, 3k; one band, two (each the other's neighbour on both
 * sides), many; tiles and halo bands; 1, 2, 3 and 5 threads; both
 * topologies - compared with sequential at every generation the back-end
 * stops at, and checked to have taken several rounds in a step and to have
 * used tiles where they were allowed and fit. */
static int test_multi_round(void)
{
    static const struct {
        int w, h;
    } msizes[] = {{63, 65}, {130, 70}, {1000, 7}, {5, 41}, {64, 2}, {70, 96}};
    static const int ks[] = {1, 2, 3, 7};
    int tested = 0;
    for (int b = 0; backend_at(b); b++) {
        const struct backend_ops *ops = backend_at(b);
        if (strcmp(ops->name, "thread-pool") != 0 &&
            strcmp(ops->name, "worker-queue") != 0)
            continue;
        if (is_built(ops) != 1)
            continue;
        int runs = 0, multi = 0, tiled = 0, n = 0;
        for (int si = 0; si < (int)(sizeof msizes / sizeof msizes[0]); si++)
            for (int ki = 0; ki < 4; ki++)
                for (int shape = 0; shape < 5; shape++, n++) {
                    int k = ks[ki], h = msizes[si].h;
                    int rows = (int[]){k, k + 1, 2 * k, 2 * k + 1, 3 * k}[shape];
                    if (n % 7 == 6)
                        rows = h; /* one band */
                    else if (n % 7 == 5)
                        rows = (h + 1) / 2; /* two */
                    if (rows > h || rows < k)
                        continue;
                    struct config c = {0};
                    c.backend = ops->name;
                    c.opts.threads = (int[]){1, 2, 3, 5}[n % 4];
                    c.grain_one = msizes[si].w * rows;
                    c.band_gens = k;
                    c.no_tiles = n % 3 == 2;
                    c.advance = 1;
                    c.w = msizes[si].w;
                    c.h = h;
                    c.topo = n % 2 ? TOPO_PLANE : TOPO_TORUS;
                    c.rule = rules[n % NRULES];
                    c.seed = 900u + (uint64_t)n;
                    c.gens = SLOW_BUILD ? 61 : 157;
                    if (run_compare(&c))
                        return 1;
                    runs++;
                    if (c.most_gens > k)
                        multi++;
                    /* Tiles need k >= 2 and two bands or more, of >= 2k
                     * rows (the last steps, of fewer generations, may use
                     * them on thinner bands); never with
                     * GLIDER_BAND_TILES=0. */
                    int thin = h / (h / rows);
                    int allowed = !c.no_tiles && k >= 2 && h / rows >= 2 &&
                                  thin >= 2 * k;
                    if ((allowed && !c.tiles_seen) || (c.no_tiles && c.tiles_seen)) {
                        print_config(&c);
                        FAILF("tiles %s", c.tiles_seen ? "used" : "not used");
                    }
                    tiled += c.tiles_seen;
                }
        printf("backend %s: %d runs of several rounds a step equal to "
               "sequential, %d of them with more than one round in a step, "
               "%d with tiles\n",
               ops->name, runs, multi, tiled);
        fflush(stdout);
        /* Every run can take several rounds: its bands are >= k rows. */
        ASSERT_EQ(multi, runs);
        ASSERT_GT(tiled, 10);
        tested++;
    }
    if (tested == 0)
        SKIP("neither thread-pool nor worker-queue is built");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Runtime switching                                                        */
/* ------------------------------------------------------------------------ */

static int test_switch_every_generation(void)
{
    const char *names[16];
    int n = 0;
    for (int b = 0; backend_at(b) && n < 16; b++)
        if (is_built(backend_at(b)) == 1)
            names[n++] = backend_at(b)->name;
    ASSERT_GE(n, 1);
    int base = tu_thread_baseline();
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    set_band_grain(1);
    struct sim *ref = tu_sim_soup(97, 61, TOPO_TORUS, &life, "sequential", NULL,
                                  0.4, 5);
    struct sim *s = tu_sim_soup(97, 61, TOPO_TORUS, &life, "sequential", NULL,
                                0.4, 5);
    ASSERT(ref && s);
    int gens = 4 * n;
    for (int g = 0; g < gens; g++) {
        const char *name = names[g % n];
        struct backend_opts o = {0};
        o.threads = 1 + g % 3;
        o.task_cells = (g / n) % 2 ? 64 : 0;
        ASSERT_OK(sim_set_backend(s, name, &o, &err), &err);
        ASSERT_STR_EQ(sim_backend(s)->name, name);
        if (tu_step_both(s, ref))
            FAILF("generation %d on %s, against sequential", g + 1, name);
    }
    ASSERT_U64_EQ(sim_generation(s), (uint64_t)gens);
    printf("switched through %d back-ends, %d generations\n", n, gens);
    set_band_grain(0);
    sim_destroy(ref);
    sim_destroy(s);
    ASSERT(tu_threads_back_to(base));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Back-end specifics                                                       */
/* ------------------------------------------------------------------------ */

static int test_thread_pool_inline_and_split(void)
{
    if (is_built(backend_find("thread-pool")) != 1)
        SKIP("thread-pool not built");
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    char kernel[32];
    snprintf(kernel, sizeof kernel, "%s", kernel_active()->name);
    /* The fastest kernel does a 64x64 generation in well under a
     * microsecond: every step runs on the caller.  (One generation per step,
     * as the viewer asks.)  Under a sanitizer a generation can take the
     * 50 us that make two tasks worth it (ThreadSanitizer on a Zen 3 did,
     * one run in three): there only the first step, which measures, is
     * sure to be on the driver. */
    ASSERT_OK(kernel_select("auto", &err), &err);
    struct sim *s = tu_sim_soup(64, 64, TOPO_TORUS, &life, "thread-pool", &o, 0.3,
                                1);
    ASSERT(s);
    for (int i = 0; i < 5; i++)
        ASSERT_OK(sim_step(s, &err), &err);
    double on_driver = tu_sim_stat(s, "generations on the driver");
    if (SLOW_BUILD) {
        ASSERT(on_driver >= 1 && on_driver <= 5);
    } else {
        ASSERT_EQ(on_driver, 5);
        ASSERT_EQ(tu_sim_stat(s, "tasks run"), 0);
    }
    ASSERT_EQ(sim_generation(s), 5);
    sim_destroy(s);
    /* A fixed grain: 512x512 is 16 bands of 16384 cells; both generations
     * of sim_run in one step, as tiles: a shrink task per band and a grow
     * task per edge between two bands (16 on a torus) - or, with
     * GLIDER_BAND_TILES=0, one task per band computing its rows from a
     * halo. */
    for (int tiles = 1; tiles >= 0; tiles--) {
        set_band_grain(16384);
        if (!tiles)
            setenv("GLIDER_BAND_TILES", "0", 1);
        s = tu_sim_soup(512, 512, TOPO_TORUS, &life, "thread-pool", &o, 0.3, 1);
        set_band_grain(0);
        unsetenv("GLIDER_BAND_TILES");
        ASSERT(s);
        ASSERT_OK(sim_run(s, 2, &err), &err);
        ASSERT_EQ(tu_sim_stat(s, "generations on the driver"), 0);
        ASSERT_EQ(tu_sim_stat(s, "bands per step"), 16);
        ASSERT_EQ(tu_sim_stat(s, "generations per task"), 2);
        ASSERT_EQ(tu_sim_stat(s, "tiles"), tiles);
        ASSERT_EQ(tu_sim_stat(s, "tasks run"), tiles ? 32 : 16);
        ASSERT_EQ(sim_generation(s), 2);
        sim_destroy(s);
    }
    /* sim_step is one generation, whatever the plan. */
    set_band_grain(16384);
    s = tu_sim_soup(512, 512, TOPO_TORUS, &life, "thread-pool", &o, 0.3, 1);
    set_band_grain(0);
    ASSERT(s);
    ASSERT_OK(sim_step(s, &err), &err);
    ASSERT_EQ(tu_sim_stat(s, "generations per task"), 1);
    ASSERT_EQ(tu_sim_stat(s, "tasks run"), 16);
    sim_destroy(s);
    /* Measured: with the naive per-cell kernel 512x512 takes milliseconds.
     * The first step runs inline and measures; the next one is split in
     * four bands (two per thread: with tiles a thread can start a band
     * whose neighbours are done while the other finishes; their scratch
     * fits in the cache) that compute the remaining two generations at
     * once, as four shrink tiles and the four grow tiles between them. */
    ASSERT_OK(kernel_select("reference", &err), &err);
    /* Under ThreadSanitizer a generation takes 0.12 s, and the plan would
     * cap a call at one generation (BAND_PLAN_CALL_SECONDS): lift the cap. */
    tu_setenv_long("GLIDER_BAND_CALL_MS", 60000);
    s = tu_sim_soup(512, 512, TOPO_TORUS, &life, "thread-pool", &o, 0.3, 1);
    tu_setenv_long("GLIDER_BAND_CALL_MS", 0);
    ASSERT(s);
    int rc = sim_run(s, 3, &err);
    double inl = tu_sim_stat(s, "generations on the driver");
    double bands = tu_sim_stat(s, "bands per step");
    double per_task = tu_sim_stat(s, "generations per task");
    double tasks = tu_sim_stat(s, "tasks run");
    sim_destroy(s);
    /* With one thread there is nothing to gain from a hand-off. */
    struct backend_opts one = {.threads = 1};
    s = tu_sim_soup(512, 512, TOPO_TORUS, &life, "thread-pool", &one, 0.3, 1);
    ASSERT(s);
    int rc1 = sim_run(s, 3, &err);
    double inl1 = tu_sim_stat(s, "generations on the driver");
    sim_destroy(s);
    ASSERT_OK(kernel_select(kernel, &err), &err);
    ASSERT_OK(rc, &err);
    ASSERT_EQ(inl, 1);
    ASSERT_EQ(bands, 4);
    ASSERT_EQ(per_task, 2);
    ASSERT_EQ(tasks, 8);
    ASSERT_OK(rc1, &err);
    ASSERT_EQ(inl1, 3);
    return 0;
}

/* The plan itself, from given kernel costs (what a step would measure):
 * a universe too small to split runs plain generations on the driver,
 * several a call; a split is made only where a task, with the generations
 * its band's height allows, is worth handing out. */
static int test_plan_small_universes(void)
{
    struct band_plan p;
    band_plan_init(&p, BAND_PLAN_MAX_GENS, 1);
    p.grain = 0; /* whatever the environment says */
    p.tiles = 1;
    /* Unmeasured: one generation on the driver, one round (it measures). */
    struct band_job j = band_plan_job(&p, 64, 64, 32, 2, 1000, 1);
    ASSERT_EQ(j.split, 0);
    ASSERT_EQ(j.nbands, 1);
    ASSERT_EQ(j.gens, 1);
    ASSERT_EQ(band_plan_rounds(&p, &j, 64, 64, 1000), 1);
    /* 64x64 at 0.2 ns a cell (0.8 us a generation): 64 generations would
     * be worth a wake-up, but two 32-row bands get 4 generations each, a
     * few microseconds: plain generations on the driver, 15 a call. */
    p.sec_per_cell = 2e-10;
    j = band_plan_job(&p, 64, 64, 32, 2, 1000, 1);
    ASSERT_EQ(j.split, 0);
    ASSERT_EQ(j.nbands, 1);
    ASSERT_EQ(j.gens, 1);
    ASSERT_EQ(band_plan_rounds(&p, &j, 64, 64, 1000), BAND_PLAN_MAX_ROUNDS);
    ASSERT_EQ(band_plan_rounds(&p, &j, 64, 64, 4), 3); /* odd, at most asked */
    /* With one generation asked (the viewer's step): one. */
    j = band_plan_job(&p, 64, 64, 32, 2, 1, 1);
    ASSERT_EQ(band_plan_rounds(&p, &j, 64, 64, 1), 1);
    /* 512x512 at 0.017 ns a cell: four 128-row tiles of 16 generations,
     * 18 us each: split. */
    p.sec_per_cell = 1.7e-11;
    j = band_plan_job(&p, 512, 512, 64, 2, 1000, 1);
    ASSERT_EQ(j.split, 1);
    ASSERT_EQ(j.nbands, 4);
    ASSERT_EQ(j.gens, 16);
    ASSERT_EQ(j.tiles, 1);
    /* The same universe eight times faster: 2 us tasks, on the driver. */
    p.sec_per_cell = 1.7e-11 / 8;
    j = band_plan_job(&p, 512, 512, 64, 2, 1000, 1);
    ASSERT_EQ(j.split, 0);
    /* worker-queue (no driver compute) keeps one task of many generations
     * rather than tasks of a few. */
    p.sec_per_cell = 2e-10;
    j = band_plan_job(&p, 64, 64, 32, 2, 1000, 0);
    ASSERT_EQ(j.split, 1);
    ASSERT_EQ(j.nbands, 1);
    ASSERT(j.gens >= 8);
    /* A slow kernel on a large universe (the reference kernel on 4096x4096,
     * 30 ns a cell, half a second a generation): one generation a task, so
     * that a call (and Ctrl-C, the viewer) waits about
     * BAND_PLAN_CALL_SECONDS, not 64 generations. */
    p.sec_per_cell = 3e-8;
    ASSERT_EQ(band_plan_call_gens(&p, 4096, 4096, 2), 1);
    for (int dq = 0; dq < 2; dq++) {
        j = band_plan_job(&p, 4096, 4096, 512, 2, 1000, dq);
        ASSERT_EQ(j.gens, 1);
    }
    /* 10 ms a generation on two threads: 20 generations a call at most. */
    p.sec_per_cell = 1e-2 / (4096.0 * 4096);
    ASSERT_EQ(band_plan_call_gens(&p, 4096, 4096, 2), 20);
    j = band_plan_job(&p, 4096, 4096, 512, 2, 1000, 0);
    ASSERT(j.gens >= 2 && j.gens <= 20);
    p.sec_per_cell = 0;
    ASSERT_EQ(band_plan_call_gens(&p, 4096, 4096, 2), INT_MAX);
    return 0;
}

/* thread-pool with one thread on a universe taller than the cache budget
 * computes on the driver, tile by tile (shrinks, then grows): equal to
 * sequential, on both topologies. */
static int test_thread_pool_driver_tiles(void)
{
    if (is_built(backend_find("thread-pool")) != 1)
        SKIP("thread-pool not built");
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    struct backend_opts one = {.threads = 1};
    for (int topo = 0; topo < 2; topo++) {
        enum topology t = topo ? TOPO_PLANE : TOPO_TORUS;
        /* Rows of 64 bytes: the 1 MiB budget holds 8192 of them twice. */
        struct sim *s = tu_sim_soup(64, 20000, t, &life, "thread-pool", &one,
                                    0.35, 7);
        struct sim *ref = tu_sim_soup(64, 20000, t, &life, "sequential", NULL,
                                      0.35, 7);
        ASSERT(s && ref);
        int tiled = 0;
        for (int g = 0; g < 300;) {
            uint64_t d;
            ASSERT_OK(sim_advance(s, (uint64_t)(300 - g), &d, &err), &err);
            ASSERT_OK(sim_run(ref, d, &err), &err);
            g += (int)d;
            if (!grid_equal(sim_grid(s), sim_grid(ref))) {
                tu_report_diff(sim_grid(ref), sim_grid(s));
                FAILF("%s: generation %d differs", topology_name(t), g);
            }
            tiled |= tu_sim_stat(s, "tiles") == 1;
        }
        ASSERT(tiled);
        ASSERT_EQ(tu_sim_stat(s, "tasks run"), 0);
        ASSERT_EQ(tu_sim_stat(s, "generations on the driver"), 300);
        sim_destroy(s);
        sim_destroy(ref);
    }
    return 0;
}

static int test_worker_queue_task_sizes(void)
{
    if (is_built(backend_find("worker-queue")) != 1)
        SKIP("worker-queue not built");
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    static const struct {
        int task_cells, tasks; /* on a 10x9 universe (90 cells) */
    } cases[] = {{1, 90}, {7, 13}, {10, 9}, {25, 5}, {30, 3}, {90, 1},
                 {1000, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct backend_opts o = {.threads = 3, .task_cells = cases[i].task_cells};
        struct sim *s = tu_sim_soup(10, 9, TOPO_PLANE, &life, "worker-queue", &o,
                                    0.4, 9);
        ASSERT(s);
        ASSERT_OK(sim_run(s, 2, &err), &err);
        ASSERT_EQ(tu_sim_stat(s, "tasks per step"), cases[i].tasks);
        ASSERT_EQ(tu_sim_stat(s, "tasks run"), 2 * cases[i].tasks);
        ASSERT_EQ(tu_sim_stat(s, "workers"), 3);
        sim_destroy(s);
    }
    /* With no task size the plan follows the measured kernel time: the first
     * step is one task on the driver, which measures; a universe this small
     * is never worth a second task.  A first step preempted on a loaded
     * machine can measure a thousand times too long and split the next step
     * - the planner believes the next, faster sample at once - so the
     * default gets a few steps to settle, and its last step must be one
     * task, like its first. */
    struct backend_opts def = {.threads = 3};
    struct sim *s = tu_sim_soup(10, 9, TOPO_PLANE, &life, "worker-queue", &def, 0.4, 9);
    ASSERT(s);
    long run = 0;
    for (int step = 0; step < 8; step++) {
        ASSERT_OK(sim_step(s, &err), &err);
        long n = (long)tu_sim_stat(s, "tasks per step");
        ASSERT(n >= 1 && n <= 90);
        if (step == 0)
            ASSERT_EQ(n, 1);
        run += n;
        ASSERT_EQ(tu_sim_stat(s, "tasks run"), run);
    }
    ASSERT_EQ(tu_sim_stat(s, "tasks per step"), 1);
    sim_destroy(s);
    /* A negative task size is refused. */
    struct backend_opts bad = {.task_cells = -4};
    s = tu_sim_soup(8, 8, TOPO_PLANE, &life, "sequential", NULL, 0.4, 9);
    ASSERT(s);
    ASSERT_EQ(sim_set_backend(s, "worker-queue", &bad, &err), GLIDER_EINVAL);
    ASSERT_CONTAINS(err.msg, "task-cells");
    sim_destroy(s);
    return 0;
}

static int test_thread_per_cell_stats(void)
{
    if (is_built(backend_find("thread-per-cell")) != 1)
        SKIP("thread-per-cell not built");
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    struct backend_opts o = {.max_live_threads = 5};
    struct sim *s = tu_sim_soup(13, 11, TOPO_TORUS, &life, "thread-per-cell", &o,
                                0.4, 2);
    ASSERT(s);
    ASSERT_OK(sim_run(s, 3, &err), &err);
    ASSERT_EQ(tu_sim_stat(s, "thread starts"), 3 * 13 * 11);
    ASSERT_EQ(tu_sim_stat(s, "max live threads"), 5);
    ASSERT(tu_sim_stat(s, "thread starts/s") > 0);
    ASSERT(tu_sim_stat(s, "cell updates/s") > 0);
    ASSERT(tu_sim_stat(s, "time in fan-out") > 0);
    ASSERT_EQ(tu_sim_stat(s, "start retries"), 0);
    sim_destroy(s);
    /* Out of range. */
    struct backend_opts bad = {.max_live_threads = 40000};
    s = tu_sim_soup(8, 8, TOPO_PLANE, &life, "sequential", NULL, 0.4, 9);
    ASSERT(s);
    ASSERT_EQ(sim_set_backend(s, "thread-per-cell", &bad, &err), GLIDER_EINVAL);
    ASSERT_CONTAINS(err.msg, "max-live-threads");
    sim_destroy(s);
    return 0;
}

/* "Works (slowly) on any universe size": one generation of 512x512 (262144
 * threads); 128x128 in sanitizer builds. */
static int test_thread_per_cell_large(void)
{
    if (is_built(backend_find("thread-per-cell")) != 1)
        SKIP("thread-per-cell not built");
    int size = SLOW_BUILD ? 128 : 512;
    struct config c = {0};
    c.backend = "thread-per-cell";
    c.w = c.h = size;
    c.topo = TOPO_TORUS;
    c.rule = "B3/S23";
    c.seed = 4;
    c.gens = 1;
    int base = tu_thread_baseline();
    if (run_compare(&c))
        return 1;
    printf("thread-per-cell: %dx%d, one generation equal to sequential\n",
           size, size);
    ASSERT(tu_threads_back_to(base));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Failure injection                                                        */
/* ------------------------------------------------------------------------ */

static int must_fail_create(const char *name)
{
    return strcmp(name, "thread-pool") == 0 ||
           strcmp(name, "worker-queue") == 0;
}

/* A thread start failing while a back-end is created: the switch fails with
 * a clear message, the old back-end stays, the grid is as it was, no thread
 * is left over, and the sim goes on. */
static int test_fault_thread_start_in_create(void)
{
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    for (int b = 0; backend_at(b); b++) {
        const struct backend_ops *ops = backend_at(b);
        if (strcmp(ops->name, "sequential") == 0 || is_built(ops) != 1)
            continue;
        struct sim *ref = tu_sim_soup(41, 23, TOPO_TORUS, &life, "sequential",
                                      NULL, 0.4, 11);
        struct sim *s = tu_sim_soup(41, 23, TOPO_TORUS, &life, "sequential", NULL,
                                    0.4, 11);
        ASSERT(ref && s);
        int base = tu_thread_baseline();
        for (int nth = 1; nth <= 3; nth++) {
            uint64_t h = grid_hash(sim_grid(s));
            long before = sys_fault_calls(SYS_OP_THREAD);
            struct backend_opts o = {.threads = 3};
            sys_fault_arm(SYS_OP_THREAD, nth, EAGAIN, 0);
            int rc = sim_set_backend(s, ops->name, &o, &err);
            sys_fault_disarm_all();
            long calls = sys_fault_calls(SYS_OP_THREAD) - before;
            if (rc) {
                ASSERT(calls >= nth);
                ASSERT_EQ(rc, GLIDER_ETHREAD);
                ASSERT_CONTAINS(err.msg, ops->name);
                ASSERT_CONTAINS(err.msg, "Resource temporarily unavailable");
                ASSERT_STR_EQ(sim_backend(s)->name, "sequential");
                if (nth == 2)
                    printf("expected: %s\n", err.msg);
            } else {
                if (must_fail_create(ops->name))
                    FAILF("%s: create survived thread start %d failing",
                          ops->name, nth);
                ASSERT_STR_EQ(sim_backend(s)->name, ops->name);
                ASSERT_OK(sim_set_backend(s, "sequential", NULL, &err), &err);
            }
            ASSERT_U64_EQ(grid_hash(sim_grid(s)), h);
            ASSERT(tu_threads_back_to(base));
            /* The sim goes on, on the old back-end and then the new one. */
            ASSERT(tu_step_both(s, ref) == 0);
        }
        ASSERT_OK(sim_set_backend(s, ops->name, NULL, &err), &err);
        ASSERT(tu_step_both(s, ref) == 0);
        sim_destroy(ref);
        sim_destroy(s);
        ASSERT(tu_threads_back_to(base));
    }
    return 0;
}

/* Thread starts failing for good during a step ('nth' start of the step on):
 * the step fails with a clear message, the grid and generation are exactly
 * as they were, every thread is joined, and the sim continues, first on the
 * same back-end, then on another one. */
static int fault_in_step(const char *name, long nth, int max_live,
                         const char *fallback)
{
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2, .max_live_threads = max_live};
    set_band_grain(1);
    struct sim *ref = tu_sim_soup(29, 31, TOPO_PLANE, &life, "sequential", NULL,
                                  0.4, 13);
    struct sim *s = tu_sim_soup(29, 31, TOPO_PLANE, &life, name, &o, 0.4, 13);
    set_band_grain(0);
    ASSERT(ref && s);
    int base = tu_thread_baseline();
    ASSERT_OK(sim_step(s, &err), &err);
    ASSERT_OK(sim_step(ref, &err), &err);
    struct grid *before;
    ASSERT_OK(grid_create(&before, 29, 31, TOPO_PLANE, &err), &err);
    ASSERT_OK(grid_copy(before, sim_grid(s)), &err);
    uint64_t gen = sim_generation(s);
    long calls0 = sys_fault_calls(SYS_OP_THREAD);
    sys_fault_arm(SYS_OP_THREAD, nth, EAGAIN, 1);
    int rc = sim_step(s, &err);
    sys_fault_disarm_all();
    long calls = sys_fault_calls(SYS_OP_THREAD) - calls0;
    if (rc) {
        ASSERT(calls >= nth);
        ASSERT_EQ(rc, GLIDER_ETHREAD);
        ASSERT_CONTAINS(err.msg, name);
        ASSERT_CONTAINS(err.msg, "Resource temporarily unavailable");
        ASSERT(grid_equal(before, sim_grid(s)));
        ASSERT_U64_EQ(sim_generation(s), gen);
        printf("expected: %s\n", err.msg);
        if (strcmp(name, "thread-per-cell") == 0)
            ASSERT_EQ(tu_sim_stat(s, "failed steps"), 1);
    } else {
        if (strcmp(name, "thread-per-cell") == 0)
            FAILF("thread-per-cell: step survived thread starts failing");
        ASSERT_OK(sim_step(ref, &err), &err);
        ASSERT(grid_equal(sim_grid(ref), sim_grid(s)));
    }
    ASSERT(tu_threads_back_to(base));
    /* Same back-end again, now that threads start. */
    ASSERT(tu_step_both(s, ref) == 0);
    /* And another back-end. */
    if (fallback && is_built(backend_find(fallback)) == 1) {
        ASSERT_OK(sim_set_backend(s, fallback, NULL, &err), &err);
        ASSERT_OK(sim_run(s, 3, &err), &err);
        ASSERT_OK(sim_run(ref, 3, &err), &err);
        ASSERT(grid_equal(sim_grid(ref), sim_grid(s)));
    }
    grid_destroy(before);
    sim_destroy(ref);
    sim_destroy(s);
    ASSERT(tu_threads_back_to(base));
    return 0;
}

static int test_fault_thread_start_in_step(void)
{
    for (int b = 0; backend_at(b); b++) {
        const struct backend_ops *ops = backend_at(b);
        if (strcmp(ops->name, "sequential") == 0 || is_built(ops) != 1)
            continue;
        const char *fallback =
            strcmp(ops->name, "thread-pool") ? "thread-pool" : "worker-queue";
        if (fault_in_step(ops->name, 1, 0, fallback))
            FAILF("%s: thread starts failing from the first", ops->name);
    }
    if (is_built(backend_find("thread-per-cell")) != 1)
        SKIP("thread-per-cell not built");
    /* In the middle of a generation, with live threads to join: the 100th
     * start and every later one fail, with 8 or 256 threads alive at once. */
    if (fault_in_step("thread-per-cell", 100, 8, "sequential") ||
        fault_in_step("thread-per-cell", 100, 0, "sequential") ||
        fault_in_step("thread-per-cell", 899, 1, "worker-queue"))
        return 1;
    return 0;
}

/* One refused start (EAGAIN) is retried after joining the live threads: the
 * step succeeds and the retry is counted. */
static int test_thread_per_cell_eagain_retry(void)
{
    if (is_built(backend_find("thread-per-cell")) != 1)
        SKIP("thread-per-cell not built");
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    int base = tu_thread_baseline();
    for (int max_live = 1; max_live <= 64; max_live *= 8) {
        struct backend_opts o = {.max_live_threads = max_live};
        struct sim *ref = tu_sim_soup(23, 21, TOPO_TORUS, &life, "sequential",
                                      NULL, 0.4, 17);
        struct sim *s = tu_sim_soup(23, 21, TOPO_TORUS, &life, "thread-per-cell",
                                    &o, 0.4, 17);
        ASSERT(ref && s);
        for (int g = 0; g < 3; g++) {
            long calls0 = sys_fault_calls(SYS_OP_THREAD);
            sys_fault_arm(SYS_OP_THREAD, 37 + 100 * g, EAGAIN, 0);
            int rc = sim_step(s, &err);
            sys_fault_disarm_all();
            ASSERT_OK(rc, &err);
            /* 23 * 21 cells, plus the failed attempt. */
            ASSERT_EQ(sys_fault_calls(SYS_OP_THREAD) - calls0, 23 * 21 + 1);
            ASSERT_EQ(tu_sim_stat(s, "start retries"), g + 1);
            ASSERT_OK(sim_step(ref, &err), &err);
            ASSERT(grid_equal(sim_grid(ref), sim_grid(s)));
        }
        ASSERT_EQ(tu_sim_stat(s, "thread starts"), 3 * 23 * 21);
        ASSERT_EQ(tu_sim_stat(s, "failed steps"), 0);
        sim_destroy(ref);
        sim_destroy(s);
    }
    /* An error other than EAGAIN is not retried. */
    struct backend_opts o = {.max_live_threads = 4};
    struct sim *s = tu_sim_soup(9, 9, TOPO_TORUS, &life, "thread-per-cell", &o,
                                0.4, 1);
    ASSERT(s);
    uint64_t h = grid_hash(sim_grid(s));
    sys_fault_arm(SYS_OP_THREAD, 10, EPERM, 0);
    int rc = sim_step(s, &err);
    sys_fault_disarm_all();
    ASSERT_EQ(rc, GLIDER_ETHREAD);
    ASSERT_CONTAINS(err.msg, "Operation not permitted");
    ASSERT_U64_EQ(grid_hash(sim_grid(s)), h);
    ASSERT_EQ(tu_sim_stat(s, "start retries"), 0);
    ASSERT_OK(sim_step(s, &err), &err);
    sim_destroy(s);
    ASSERT(tu_threads_back_to(base));
    return 0;
}

static const struct test_case tests[] = {
    {"conformance", test_conformance},
    {"long_run", test_long_run},
    {"multi_generation", test_multi_generation},
    {"multi_round", test_multi_round},
    {"switch_every_generation", test_switch_every_generation},
    {"thread_pool_inline_and_split", test_thread_pool_inline_and_split},
    {"thread_pool_driver_tiles", test_thread_pool_driver_tiles},
    {"worker_queue_task_sizes", test_worker_queue_task_sizes},
    {"plan_small_universes", test_plan_small_universes},
    {"thread_per_cell_stats", test_thread_per_cell_stats},
    {"thread_per_cell_large", test_thread_per_cell_large},
    {"fault_thread_start_in_create", test_fault_thread_start_in_create},
    {"fault_thread_start_in_step", test_fault_thread_start_in_step},
    {"thread_per_cell_eagain_retry", test_thread_per_cell_eagain_retry},
};

TEST_MAIN(tests)
