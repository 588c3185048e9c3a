/* test_coroutine.c - the stackless coroutines (protocol, order of queries,
 * statuses, size) and the coroutine back-end (equal to the reference on odd
 * sizes, both topologies, 1/2/5 schedulers and any number in flight; exact
 * resume counts; switching; refused threads and allocations). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../engine/backends/coro.h"
#include "../engine/kernel.h"
#include "../engine/sim.h"
#include "../engine/sys.h"
#include "test.h"
#include "test_util.h"

extern const struct backend_ops backend_coroutine;
static const struct backend_ops *CO = &backend_coroutine;

static double stat_of(void *state, const char *name)
{
    return tu_backend_stat(CO, state, name);
}

/* ---- the coroutines by hand --------------------------------------------- */

/* Drives step_cell for (y, x) = (2, 3) of a 6x5 torus the way the book's
 * live_a_generation does, checking every yield. */
static int test_step_cell_protocol(void)
{
    static const char *const pic[] = {"......", "..OO..", "...O..", "..O...",
                                      "......"};
    struct grid *g = tu_grid_from_rows(6, 5, TOPO_TORUS, 0, 0, pic, 5);
    ASSERT(g);
    struct rule life = RULE_LIFE;
    struct coro_cell c;
    struct coro_yield out;
    coro_cell_init(&c, 2, 3);
    /* First: its own state. */
    ASSERT_EQ(coro_cell_resume(&c, 0, &life, &out), CORO_QUERY);
    ASSERT_EQ(out.y, 2);
    ASSERT_EQ(out.x, 3);
    int answer = grid_get(g, 3, 2);
    /* Then N, NE, E, SE, S, SW, W, NW (N = y - 1). */
    static const int dy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
    static const int dx[8] = {0, 1, 1, 1, 0, -1, -1, -1};
    for (int k = 0; k < 8; k++) {
        ASSERT_EQ(coro_cell_resume(&c, answer, &life, &out), CORO_QUERY);
        ASSERT_EQ(out.y, 2 + dy[k]);
        ASSERT_EQ(out.x, 3 + dx[k]);
        answer = grid_get_wrapped(g, out.x, out.y);
    }
    ASSERT_EQ(coro_cell_resume(&c, answer, &life, &out), CORO_TRANSITION);
    ASSERT_EQ(out.y, 2);
    ASSERT_EQ(out.x, 3);
    int n = grid_count_neighbours(g, 3, 2);
    ASSERT_EQ(n, 3);
    ASSERT_EQ(out.state, rule_next(&life, grid_get(g, 3, 2), n));
    ASSERT_EQ(coro_cell_resume(&c, 0, &life, &out), CORO_DONE);
    /* A dead coroutine cannot be resumed. */
    ASSERT_EQ(coro_cell_resume(&c, 0, &life, &out), CORO_ERROR);
    ASSERT_EQ(coro_cell_resume(&c, 0, &life, &out), CORO_ERROR);
    grid_destroy(g);
    return 0;
}

/* Queries at the edges are raw coordinates: the driver wraps them. */
static int test_edge_queries_are_raw(void)
{
    struct rule life = RULE_LIFE;
    struct coro_cell c;
    struct coro_yield out;
    coro_cell_init(&c, 0, 0);
    ASSERT_EQ(coro_cell_resume(&c, 0, &life, &out), CORO_QUERY);
    int min_y = 0, min_x = 0;
    for (int k = 0; k < 8; k++) {
        ASSERT_EQ(coro_cell_resume(&c, 1, &life, &out), CORO_QUERY);
        min_y = out.y < min_y ? out.y : min_y;
        min_x = out.x < min_x ? out.x : min_x;
    }
    ASSERT_EQ(min_y, -1);
    ASSERT_EQ(min_x, -1);
    /* A dead cell with eight live neighbours stays dead under B3/S23. */
    ASSERT_EQ(coro_cell_resume(&c, 1, &life, &out), CORO_TRANSITION);
    ASSERT_EQ(out.state, 0);
    return 0;
}

static int test_bad_answer_is_error(void)
{
    struct rule life = RULE_LIFE;
    struct coro_cell c;
    struct coro_yield out;
    coro_cell_init(&c, 1, 1);
    ASSERT_EQ(coro_cell_resume(&c, 0, &life, &out), CORO_QUERY);
    ASSERT_EQ(coro_cell_resume(&c, 7, &life, &out), CORO_ERROR);
    coro_cell_init(&c, 1, 1);
    ASSERT_EQ(coro_cell_resume(&c, 0, &life, &out), CORO_QUERY);
    ASSERT_EQ(coro_cell_resume(&c, 1, &life, &out), CORO_QUERY);
    ASSERT_EQ(coro_cell_resume(&c, 1, &life, &out), CORO_QUERY);
    ASSERT_EQ(coro_cell_resume(&c, -1, &life, &out), CORO_ERROR);
    /* A resume point that is not one of ours. */
    coro_cell_init(&c, 1, 1);
    c.pc = 12345;
    ASSERT_EQ(coro_cell_resume(&c, 0, &life, &out), CORO_ERROR);
    return 0;
}

/* count_neighbors on its own: eight queries, then DONE with the count. */
static int test_count_neighbors_alone(void)
{
    struct coro_count c = {0};
    struct coro_yield out;
    int answers[8] = {1, 0, 1, 1, 0, 0, 1, 0};
    ASSERT_EQ(coro_count_resume(&c, 5, 5, 0, &out), CORO_QUERY);
    for (int k = 0; k < 7; k++)
        ASSERT_EQ(coro_count_resume(&c, 5, 5, answers[k], &out), CORO_QUERY);
    ASSERT_EQ(coro_count_resume(&c, 5, 5, answers[7], &out), CORO_DONE);
    ASSERT_EQ(c.count, 4);
    ASSERT_EQ(coro_count_resume(&c, 5, 5, 0, &out), CORO_ERROR);
    return 0;
}

static int test_bytes_not_kilobytes(void)
{
    ASSERT_LE(sizeof(struct coro_cell), 16);
    ASSERT_LE(sizeof(struct coro_count), 4);
    struct glider_error err = {0};
    void *st = NULL;
    ASSERT_OK(CO->create(&st, NULL, &err), &err);
    ASSERT_EQ(stat_of(st, "bytes per coroutine"), sizeof(struct coro_cell));
    ASSERT_EQ(stat_of(st, "coroutines in flight"), 4096);
    ASSERT_EQ(stat_of(st, "scheduler threads"), 1);
    CO->destroy(st);
    return 0;
}

/* ---- the back-end ------------------------------------------------------- */

static int compare_run(int threads, int in_flight, int w, int h,
                       enum topology t, int gens, uint64_t seed,
                       const struct rule *rule)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = threads, .coroutines = in_flight};
    struct tu_pair p;
    void *st = NULL;
    char what[96];
    snprintf(what, sizeof what, "%dx%d %s, %d schedulers, %d in flight", w, h,
             topology_name(t), threads, in_flight);
    ASSERT_EQ(tu_pair_make(&p, w, h, t, 0.35, seed), 0);
    /* Garbage in 'next' must not leak into the result. */
    grid_fill_soup(p.b, 0.5, seed + 1);
    ASSERT_OK(CO->create(&st, &o, &err), &err);
    for (int g = 0; g < gens; g++) {
        ASSERT_OK(CO->step(st, p.a, p.b, rule, &err), &err);
        if (tu_pair_check(&p, rule, what, g))
            FAILF("%s: generation %d differs", what, g);
    }
    /* Every cell: 1 own query + 8 neighbour queries + transition + done. */
    ASSERT_EQ(stat_of(st, "resumes"), 11.0 * w * h * gens);
    ASSERT_EQ(stat_of(st, "generations"), gens);
    CO->destroy(st);
    tu_pair_free(&p);
    return 0;
}

static int test_equals_reference(void)
{
    static const int sizes[][2] = {{1, 1}, {3, 5}, {63, 65}, {200, 7},
                                   {7, 200}, {2, 2}, {65, 1}};
    static const int threads[] = {1, 2, 5};
    static const int in_flight[] = {1, 7, 4096};
    struct rule life = RULE_LIFE;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int t = 0; t < 2; t++)
            for (int k = 0; k < 3; k++)
                if (compare_run(threads[k], in_flight[(s + k) % 3], sizes[s][0],
                                sizes[s][1], t ? TOPO_PLANE : TOPO_TORUS, 8,
                                3 + s, &life))
                    return 1;
    return 0;
}

static int test_many_generations(void)
{
    struct rule life = RULE_LIFE, highlife;
    struct glider_error err = {0};
    ASSERT_OK(rule_parse("B36/S23", &highlife, &err), &err);
    if (compare_run(1, 3000, 96, 80, TOPO_TORUS, 120, 42, &life))
        return 1;
    if (compare_run(2, 100, 80, 96, TOPO_PLANE, 120, 43, &life))
        return 1;
    return compare_run(3, 64, 70, 50, TOPO_TORUS, 60, 44, &highlife);
}

/* Switching into and out of coroutine at odd generations, against a sim
 * that stays sequential. */
static int test_switching(void)
{
    struct glider_error err = {0};
    struct rule life = RULE_LIFE;
    struct sim *s = tu_sim_soup(47, 29, TOPO_PLANE, &life, "sequential", NULL,
                                0.3, 7);
    struct sim *ref = tu_sim_soup(47, 29, TOPO_PLANE, &life, "sequential",
                                  NULL, 0.3, 7);
    ASSERT(s && ref);
    static const char *const order[] = {"coroutine", "sequential", "coroutine",
                                        "process-pool", "coroutine",
                                        "sequential"};
    static const int run[] = {2, 3, 5, 1, 6, 2};
    int gen = 0;
    for (int i = 0; i < 6; i++) {
        struct backend_opts o = {.threads = 1 + i % 3, .coroutines = 50 * i + 1};
        ASSERT_OK(sim_set_backend(s, order[i], &o, &err), &err);
        for (int k = 0; k < run[i]; k++, gen++)
            if (tu_step_both(s, ref))
                FAILF("generation %d on %s", gen, order[i]);
    }
    ASSERT_U64_EQ(sim_generation(s), gen);
    sim_destroy(s);
    sim_destroy(ref);
    return 0;
}

static int test_thread_refused(void)
{
    struct glider_error err = {0};
    /* (tu_thread_baseline starts ThreadSanitizer's helper first; a joined
     * thread may linger in /proc a moment: tu_threads_back_to waits.) */
    int before = tu_thread_baseline();
    for (long nth = 1; nth <= 3; nth++) {
        struct backend_opts o = {.threads = 4};
        void *st = NULL;
        sys_fault_arm(SYS_OP_THREAD, nth, EAGAIN, 0);
        int rc = CO->create(&st, &o, &err);
        sys_fault_disarm_all();
        ASSERT_EQ(rc, GLIDER_ETHREAD);
        ASSERT(st == NULL);
        ASSERT_CONTAINS(err.msg, "scheduler thread");
        ASSERT_CONTAINS(err.msg, "Resource temporarily unavailable");
        ASSERT(tu_threads_back_to(before));
    }
    /* And the sim keeps its back-end. */
    struct sim_config cfg = {20, 20, TOPO_TORUS, RULE_LIFE, "sequential", {0}};
    struct sim *s;
    ASSERT_OK(sim_create(&s, &cfg, &err), &err);
    struct backend_opts o = {.threads = 3};
    sys_fault_arm(SYS_OP_THREAD, 2, EAGAIN, 0);
    int rc = sim_set_backend(s, "coroutine", &o, &err);
    sys_fault_disarm_all();
    ASSERT_EQ(rc, GLIDER_ETHREAD);
    ASSERT_STR_EQ(sim_backend(s)->name, "sequential");
    ASSERT_OK(sim_step(s, &err), &err);
    sim_destroy(s);
    ASSERT(tu_threads_back_to(before));
    return 0;
}

static int test_malloc_refused(void)
{
    struct glider_error err = {0};
    for (long nth = 1; nth <= 8; nth++) {
        struct backend_opts o = {.threads = 3};
        void *st = NULL;
        sys_fault_arm(SYS_OP_MALLOC, nth, ENOMEM, 0);
        int rc = CO->create(&st, &o, &err);
        sys_fault_disarm_all();
        if (rc == 0) { /* create needs fewer than nth allocations */
            CO->destroy(st);
            ASSERT_GE(nth, 2);
            break;
        }
        ASSERT_EQ(rc, GLIDER_ENOMEM);
        ASSERT(st == NULL);
        ASSERT_CONTAINS(err.msg, "coroutine");
    }
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double time_gens(int threads, struct grid *a, struct grid *b, int gens)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = threads};
    struct rule life = RULE_LIFE;
    void *st = NULL;
    if (CO->create(&st, &o, &err))
        return -1;
    double best = 1e9;
    for (int g = 0; g < gens; g++) {
        double t0 = now_s();
        if (CO->step(st, a, b, &life, &err))
            return -1;
        double t = now_s() - t0;
        best = t < best ? t : best;
    }
    CO->destroy(st);
    return best;
}

/* M:N must beat one scheduler.  Only meaningful with two idle cores: the
 * test machine is shared, so a busy one skips rather than fails. */
static int test_mn_faster(void)
{
    if (sys_ncpus() < 2)
        SKIP("one CPU: nothing to gain from a second scheduler");
    double load[1];
    struct grid *a, *b;
    struct glider_error err = {0};
    ASSERT_OK(grid_create(&a, 384, 384, TOPO_TORUS, &err), &err);
    ASSERT_OK(grid_create(&b, 384, 384, TOPO_TORUS, &err), &err);
    grid_fill_soup(a, 0.3, 1);
    double t1 = time_gens(1, a, b, 3), t2 = time_gens(2, a, b, 3);
    ASSERT(t1 > 0 && t2 > 0);
    fprintf(stderr, "(one scheduler %.1f ms, two %.1f ms: x%.2f)\n", t1 * 1e3,
            t2 * 1e3, t1 / t2);
    grid_destroy(a);
    grid_destroy(b);
    if (t1 / t2 < 1.2) {
        if (getloadavg(load, 1) == 1 && load[0] > sys_ncpus() - 1)
            SKIP("machine busy (load %.1f): x%.2f proves nothing", load[0],
                 t1 / t2);
        FAILF("two schedulers x%.2f over one on an idle machine", t1 / t2);
    }
    return 0;
}

static const struct test_case tests[] = {
    {"step_cell_protocol", test_step_cell_protocol},
    {"edge_queries_are_raw", test_edge_queries_are_raw},
    {"bad_answer_is_error", test_bad_answer_is_error},
    {"count_neighbors_alone", test_count_neighbors_alone},
    {"bytes_not_kilobytes", test_bytes_not_kilobytes},
    {"equals_reference", test_equals_reference},
    {"many_generations", test_many_generations},
    {"switching", test_switching},
    {"thread_refused", test_thread_refused},
    {"malloc_refused", test_malloc_refused},
    {"mn_faster", test_mn_faster},
};

TEST_MAIN(tests)
