/* test_sim.c - known behaviour of Life on the sequential back-end, and the
 * switching path of the sim. */
#include "../engine/sim.h"
#include "test.h"
#include "test_util.h"

static struct sim *make(int w, int h, enum topology t, const char *backend)
{
    struct sim *s;
    struct sim_config cfg = {w, h, t, RULE_LIFE, backend, {0}};
    struct glider_error err;
    if (sim_create(&s, &cfg, &err)) {
        fprintf(stderr, "sim_create: %s\n", err.msg);
        return NULL;
    }
    return s;
}

static void put(struct sim *s, int x, int y, const char *const *rows, int n)
{
    tu_put_rows(sim_grid_edit(s), x, y, rows, n);
}

static int test_blinker_period_2(void)
{
    static const char *const blinker[] = {"OOO"};
    struct glider_error err = {0};
    struct sim *s = make(16, 16, TOPO_PLANE, NULL);
    ASSERT(s);
    put(s, 5, 5, blinker, 1);
    uint64_t h0 = grid_hash(sim_grid(s));
    ASSERT_OK(sim_step(s, &err), &err);
    uint64_t h1 = grid_hash(sim_grid(s));
    ASSERT(h1 != h0);
    ASSERT_EQ(grid_get(sim_grid(s), 6, 4), 1);
    ASSERT_EQ(grid_get(sim_grid(s), 6, 6), 1);
    ASSERT_EQ(grid_get(sim_grid(s), 5, 5), 0);
    ASSERT_OK(sim_step(s, &err), &err);
    ASSERT_U64_EQ(grid_hash(sim_grid(s)), h0);
    ASSERT_U64_EQ(sim_generation(s), 2);
    sim_destroy(s);
    return 0;
}

static int test_block_still(void)
{
    static const char *const block[] = {"OO", "OO"};
    struct glider_error err = {0};
    struct sim *s = make(8, 8, TOPO_TORUS, NULL);
    ASSERT(s);
    put(s, 3, 3, block, 2);
    uint64_t h0 = grid_hash(sim_grid(s));
    for (int i = 0; i < 10; i++) {
        ASSERT_OK(sim_step(s, &err), &err);
        ASSERT_U64_EQ(grid_hash(sim_grid(s)), h0);
    }
    sim_destroy(s);
    return 0;
}

static int test_glider_moves_and_wraps(void)
{
    static const char *const glider[] = {".O.", "..O", "OOO"};
    struct glider_error err = {0};
    /* 4 generations move it by (+1, +1); 4*20 bring it round a 20x20 torus. */
    struct sim *s = make(20, 20, TOPO_TORUS, NULL);
    ASSERT(s);
    put(s, 2, 2, glider, 3);
    struct grid *want;
    ASSERT_OK(grid_create(&want, 20, 20, TOPO_TORUS, &err), &err);
    for (int k = 1; k <= 20; k++) {
        ASSERT_OK(sim_run(s, 4, &err), &err);
        grid_clear(want);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                if (glider[r][c] == 'O')
                    grid_set(want, (2 + c + k) % 20, (2 + r + k) % 20, 1);
        if (!grid_equal(want, sim_grid(s))) {
            tu_report_diff(want, sim_grid(s));
            FAILF("glider not at +%d,+%d after %d generations", k, k, 4 * k);
        }
    }
    grid_destroy(want);
    sim_destroy(s);
    return 0;
}

/* Population of a methuselah placed in the middle of a large torus, at
 * generation 'gen'.  The known values are the standard ones (LifeWiki). */
static int methuselah(const char *const *rows, int n, int size, uint64_t gen,
                      uint64_t want_pop)
{
    struct glider_error err = {0};
    struct sim *s = make(size, size, TOPO_TORUS, NULL);
    ASSERT(s);
    put(s, size / 2, size / 2, rows, n);
    ASSERT_OK(sim_run(s, gen, &err), &err);
    ASSERT_U64_EQ(grid_population(sim_grid(s)), want_pop);
    sim_destroy(s);
    return 0;
}

static int test_r_pentomino(void)
{
    static const char *const r[] = {".OO", "OO.", ".O."};
    struct glider_error err = {0};
    /* The first generations, by hand, then the final population. */
    static const uint64_t early[] = {5, 6, 7, 9, 8, 9, 12, 11, 18, 11};
    struct sim *s = make(64, 64, TOPO_TORUS, NULL);
    ASSERT(s);
    put(s, 30, 30, r, 3);
    for (int g = 0; g < 10; g++) {
        ASSERT_U64_EQ(grid_population(sim_grid(s)), early[g]);
        ASSERT_OK(sim_step(s, &err), &err);
    }
    sim_destroy(s);
    /* R-pentomino stabilises at generation 1103 with 116 cells. */
    return methuselah(r, 3, 1024, 1103, 116);
}

static int test_acorn(void)
{
    static const char *const a[] = {".O.....", "...O...", "OO..OOO"};
    /* Acorn stabilises at generation 5206 with 633 cells. */
    return methuselah(a, 3, 4096, 5206, 633);
}

static int test_switch_sequential(void)
{
    struct glider_error err = {0};
    struct rule life = RULE_LIFE;
    struct sim *a = tu_sim_soup(97, 61, TOPO_TORUS, &life, "sequential", NULL,
                                0.4, 3);
    struct sim *b = tu_sim_soup(97, 61, TOPO_TORUS, &life, "sequential", NULL,
                                0.4, 3);
    ASSERT(a && b);
    for (int g = 0; g < 50; g++) {
        ASSERT_OK(sim_set_backend(a, "sequential", NULL, &err), &err);
        ASSERT(tu_step_both(a, b) == 0);
    }
    /* An unknown name changes nothing. */
    uint64_t h = grid_hash(sim_grid(a));
    ASSERT_EQ(sim_set_backend(a, "no-such", NULL, &err), GLIDER_ENOTFOUND);
    ASSERT_CONTAINS(err.msg, "no-such");
    ASSERT_STR_EQ(sim_backend(a)->name, "sequential");
    ASSERT_U64_EQ(grid_hash(sim_grid(a)), h);
    ASSERT_OK(sim_step(a, &err), &err);
    sim_destroy(a);
    sim_destroy(b);
    return 0;
}

static int test_b0_rule(void)
{
    /* B0 on a finite universe: an empty plane fills at generation 1 (every
     * cell has 0 neighbours); with S8 only interior cells survive. */
    struct glider_error err = {0};
    struct sim *s = make(10, 7, TOPO_PLANE, NULL);
    ASSERT(s);
    struct rule r;
    ASSERT_OK(rule_parse("B0/S8", &r, &err), &err);
    sim_set_rule(s, &r);
    ASSERT_OK(sim_step(s, &err), &err);
    ASSERT_EQ(grid_population(sim_grid(s)), 70);
    ASSERT_OK(sim_step(s, &err), &err);
    ASSERT_EQ(grid_population(sim_grid(s)), 8 * 5);
    sim_destroy(s);
    return 0;
}

/* A set cancel flag makes the cell-granular back-ends give the generation up
 * (GLIDER_EINTR, universe and generation unchanged), across a back-end
 * switch; cleared, the same sim steps on and equals sequential.  Others
 * ignore it. */
static int test_cancel(void)
{
    static const struct {
        const char *name;
        struct backend_opts opts;
        int stops;
    } cases[] = {
        {"thread-per-cell", {0}, 1},
        {"coroutine", {.threads = 2}, 1},
        {"worker-queue", {.threads = 2, .task_cells = 1}, 1},
        {"worker-queue", {.threads = 2, .task_cells = 200}, 1},
        {"worker-queue", {.threads = 2}, 0}, /* planned: never cut short */
        {"sequential", {0}, 0},
        {"thread-pool", {.threads = 2}, 0},
    };
    struct rule life = RULE_LIFE;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct glider_error err = {0};
        atomic_int cancel;
        atomic_init(&cancel, 1);
        struct sim *a = tu_sim_soup(70, 45, TOPO_TORUS, &life, "sequential", NULL,
                                    0.4, 9);
        struct sim *b = tu_sim_soup(70, 45, TOPO_TORUS, &life, "sequential", NULL,
                                    0.4, 9);
        ASSERT(a && b);
        sim_set_cancel(a, &cancel);
        ASSERT_OK(sim_set_backend(a, cases[i].name, &cases[i].opts, &err), &err);
        uint64_t h = grid_hash(sim_grid(a));
        int rc = sim_step(a, &err);
        if (cases[i].stops) {
            ASSERT_EQ(rc, GLIDER_EINTR);
            ASSERT_CONTAINS(err.msg, "unchanged");
            ASSERT_U64_EQ(grid_hash(sim_grid(a)), h);
            ASSERT_U64_EQ(sim_generation(a), 0);
        } else {
            ASSERT_OK(rc, &err);
            ASSERT_OK(sim_step(b, &err), &err);
        }
        atomic_store(&cancel, 0);
        for (int g = 0; g < 3; g++)
            ASSERT(tu_step_both(a, b) == 0);
        sim_destroy(a);
        sim_destroy(b);
    }
    return 0;
}

static const struct test_case tests[] = {
    {"blinker_period_2", test_blinker_period_2},
    {"block_still", test_block_still},
    {"glider_moves_and_wraps", test_glider_moves_and_wraps},
    {"r_pentomino", test_r_pentomino},
    {"acorn", test_acorn},
    {"switch_sequential", test_switch_sequential},
    {"b0_rule", test_b0_rule},
    {"cancel", test_cancel},
};

TEST_MAIN(tests)
