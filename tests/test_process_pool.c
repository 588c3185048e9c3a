/* test_process_pool.c - the process-pool back-end: equal to the reference on
 * odd sizes and both topologies, in shared and copy mode; multi-generation
 * band tasks (step_gens) equal to sequential, their cut to the workers'
 * scratch; switching; worker deaths (exit hook, SIGKILL mid-task, SIGKILL
 * while idle, SIGKILL during a multi-generation step); repeated deaths; no
 * child, zombie or /dev/shm entry left after destroy or after the parent is
 * killed; fork and socketpair refused during create, re-fork and respawn. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../engine/backends/band_plan.h"
#include "../engine/backends/pptask.h"
#include "../engine/backends/procpool.h"
#include "../engine/kernel.h"
#include "../engine/sim.h"
#include "../engine/sys.h"
#include "test.h"
#include "test_util.h"

extern const struct backend_ops backend_process_pool;
static const struct backend_ops *PP = &backend_process_pool;

/* Split every universe as finely as the back-end allows (4 bands per worker),
 * whatever the kernel costs, so every worker gets tasks even on small grids
 * (band_plan.h reads this on create).  test_band_plan unsets it. */
__attribute__((constructor)) static void finest_bands(void)
{
    setenv("GLIDER_BAND_GRAIN", "1", 1);
}

/* ---- helpers ------------------------------------------------------------ */

/* 'Z' for a zombie, 0 when the process does not exist. */
static char proc_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : '?';
}

/* Waits (up to ~5 s) until 'pid' is a zombie or gone. */
static int wait_dead(pid_t pid)
{
    for (int i = 0; i < 500; i++) {
        char s = proc_state(pid);
        if (s == 0 || s == 'Z')
            return 1;
        tu_sleep_ms(10);
    }
    return 0;
}

/* A '\n'-joined sorted-free listing of /dev/shm, for before/after checks. */
static int shm_entries(char *buf, size_t size)
{
    DIR *d = opendir("/dev/shm");
    buf[0] = 0;
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            size_t l = strlen(buf);
            snprintf(buf + l, size - l, "%s\n", e->d_name);
            n++;
        }
    closedir(d);
    return n;
}

/* Our own mappings of named shared memory (there must be none). */
static int maps_dev_shm(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    int n = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "/dev/shm/"))
            n++;
    fclose(f);
    return n;
}

static double stat_of(void *state, const char *name)
{
    return tu_backend_stat(PP, state, name);
}

/* After the back-end has computed 'b' = 'gens' generations after 'a': runs
 * the pair's reference 'gens' times with 'band' (the reference kernel, or a
 * verified fast one for big grids), compares, swaps.  0, or 1 after
 * printing the difference. */
static int pair_check_gens(struct tu_pair *p, const struct rule *r,
                           kernel_band_fn band, int gens, const char *what)
{
    for (int k = 0; k < gens; k++) {
        band(p->ra, p->rb, r, 0, p->ra->height);
        struct grid *t = p->ra;
        p->ra = p->rb;
        p->rb = t;
    }
    if (!grid_equal(p->b, p->ra)) {
        fprintf(stderr, "%s: %d generations differ from the reference\n", what,
                gens);
        tu_report_diff(p->ra, p->b);
        return 1;
    }
    struct grid *t = p->a;
    p->a = p->b;
    p->b = t;
    return 0;
}

/* Runs 'gens' generations on process-pool and compares each with the
 * reference kernel. */
static int compare_run(int workers, int copy, int w, int h, enum topology t,
                       int gens, uint64_t seed)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = workers, .ipc_copy = copy};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    char what[96];
    snprintf(what, sizeof what, "%dx%d %s, %d workers, %s", w, h,
             topology_name(t), workers, copy ? "copy" : "shared");
    ASSERT_EQ(tu_pair_make(&p, w, h, t, 0.35, seed), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    for (int g = 0; g < gens; g++) {
        ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
        if (tu_pair_check(&p, &life, what, g))
            FAILF("%s", what);
    }
    ASSERT_EQ(stat_of(st, "respawns"), 0);
    ASSERT_EQ(stat_of(st, "generations"), gens);
    PP->destroy(st);
    tu_pair_free(&p);
    return 0;
}

/* ---- equality ----------------------------------------------------------- */

static const int sizes[][2] = {{1, 1}, {3, 5}, {63, 65}, {200, 7},
                               {7, 200}, {130, 67}, {64, 2}};

static int test_equals_reference_shared(void)
{
    static const int workers[] = {1, 2, 5};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int t = 0; t < 2; t++)
            for (int k = 0; k < 3; k++)
                if (compare_run(workers[k], 0, sizes[s][0], sizes[s][1],
                                t ? TOPO_PLANE : TOPO_TORUS, 12, 7 + s))
                    return 1;
    return 0;
}

static int test_equals_reference_copy(void)
{
    static const int workers[] = {1, 2, 5};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int t = 0; t < 2; t++)
            for (int k = 0; k < 3; k++)
                if (compare_run(workers[k], 1, sizes[s][0], sizes[s][1],
                                t ? TOPO_PLANE : TOPO_TORUS, 12, 11 + s))
                    return 1;
    return 0;
}

static int test_many_generations(void)
{
    if (compare_run(3, 0, 96, 80, TOPO_TORUS, 150, 42))
        return 1;
    return compare_run(2, 1, 80, 96, TOPO_PLANE, 150, 43);
}

/* Another rule, and a kernel switch between steps (workers look the kernel
 * up by index). */
static int test_rule_and_kernel(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule r;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_OK(rule_parse("B36/S23", &r, &err), &err);
    ASSERT_EQ(tu_pair_make(&p, 50, 40, TOPO_TORUS, 0.4, 5), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    int nk = 0;
    while (kernel_at(nk))
        nk++;
    for (int g = 0; g < 20; g++) {
        const struct kernel *k = kernel_at(g % nk);
        if (k && k->supported())
            ASSERT_OK(kernel_select(k->name, &err), &err);
        ASSERT_OK(PP->step(st, p.a, p.b, &r, &err), &err);
        if (tu_pair_check(&p, &r, "B36/S23", g))
            return 1;
    }
    ASSERT_OK(kernel_select("auto", &err), &err);
    PP->destroy(st);
    tu_pair_free(&p);
    return 0;
}

/* Switching into and out of process-pool at odd generations, through the
 * sim, against a sim that stays sequential. */
static int test_switching(void)
{
    struct glider_error err = {0};
    struct rule life = RULE_LIFE;
    struct sim *s = tu_sim_soup(61, 37, TOPO_TORUS, &life, "sequential", NULL,
                                0.3, 99);
    struct sim *ref = tu_sim_soup(61, 37, TOPO_TORUS, &life, "sequential",
                                  NULL, 0.3, 99);
    ASSERT(s && ref);
    static const char *const order[] = {"process-pool", "sequential",
                                        "process-pool", "coroutine",
                                        "process-pool", "sequential"};
    static const int run[] = {3, 1, 5, 2, 7, 4};
    int gen = 0;
    for (int i = 0; i < 6; i++) {
        struct backend_opts o = {.threads = 1 + i % 3, .ipc_copy = i == 4};
        ASSERT_OK(sim_set_backend(s, order[i], &o, &err), &err);
        ASSERT_STR_EQ(sim_backend(s)->name, order[i]);
        for (int k = 0; k < run[i]; k++, gen++)
            if (tu_step_both(s, ref))
                FAILF("generation %d on %s", gen, order[i]);
    }
    /* A resize replaces both grids: the workers must follow. */
    ASSERT_OK(sim_set_backend(s, "process-pool", NULL, &err), &err);
    for (int r = 0; r < 3; r++) {
        ASSERT_OK(sim_resize(s, 40 + r, 33, TOPO_PLANE, &err), &err);
        ASSERT_OK(sim_resize(ref, 40 + r, 33, TOPO_PLANE, &err), &err);
        grid_fill_soup(sim_grid_edit(s), 0.4, 5 + r);
        grid_fill_soup(sim_grid_edit(ref), 0.4, 5 + r);
        for (int k = 0; k < 5; k++)
            ASSERT(tu_step_both(s, ref) == 0);
    }
    sim_destroy(s);
    sim_destroy(ref);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* The sim makes its grids before the back-end, so the workers forked on
 * create already share them: no re-fork.  Grids made later are not shared
 * and must cause one (the check reads /proc/self/maps). */
static int test_create_workers_serve_first_step(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 3};
    struct rule life = RULE_LIFE;
    struct tu_pair p, q;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 90, 70, TOPO_TORUS, 0.3, 19), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    struct procpool *pool = procpool_of_backend(st);
    pid_t pids[3];
    for (int i = 0; i < 3; i++)
        pids[i] = procpool_pid(pool, i);
    ASSERT(procpool_inherited(pool, p.a->words, p.a->bytes));
    for (int g = 0; g < 3; g++) {
        ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
        ASSERT_EQ(tu_pair_check(&p, &life, "create's workers", g), 0);
    }
    ASSERT_EQ(stat_of(st, "re-forks"), 0);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(procpool_pid(pool, i), pids[i]);
    ASSERT_EQ(tu_pair_make(&q, 90, 70, TOPO_TORUS, 0.3, 20), 0);
    ASSERT(!procpool_inherited(pool, q.a->words, q.a->bytes));
    ASSERT_OK(PP->step(st, q.a, q.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&q, &life, "later grids", 0), 0);
    ASSERT_EQ(stat_of(st, "re-forks"), 1);
    /* The new workers have both pairs: back to the first, no re-fork. */
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "first grids again", 3), 0);
    ASSERT_EQ(stat_of(st, "re-forks"), 1);
    PP->destroy(st);
    tu_pair_free(&p);
    tu_pair_free(&q);
    return 0;
}

/* Grids destroyed and re-created (very likely at the same addresses): the
 * workers still hold the old mappings, which the nonce check must notice. */
static int test_new_grids_same_addresses(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    void *st = NULL;
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    int same = 0;
    void *last_a = NULL;
    for (int round = 0; round < 4; round++) {
        struct tu_pair p;
        ASSERT_EQ(tu_pair_make(&p, 100, 50, TOPO_TORUS, 0.3, 100 + round), 0);
        same += p.a->words == last_a;
        last_a = p.a->words;
        for (int g = 0; g < 3; g++) {
            ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
            if (tu_pair_check(&p, &life, "new grids", g))
                FAILF("round %d", round);
        }
        tu_pair_free(&p);
    }
    ASSERT_GE(stat_of(st, "re-forks"), 4);
    fprintf(stderr, "(grids reused an address %d times of 3)\n", same);
    PP->destroy(st);
    return 0;
}

/* Another thread drives the back-end: PDEATHSIG would follow the thread that
 * forked, so the workers are re-forked from the new one. */
struct thread_step {
    void *st;
    struct tu_pair *p;
    int rc;
};

static void *step_on_thread(void *arg)
{
    struct thread_step *ts = arg;
    struct rule life = RULE_LIFE;
    struct glider_error err = {0};
    ts->rc = PP->step(ts->st, ts->p->a, ts->p->b, &life, &err);
    return NULL;
}

static int test_other_thread(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 70, 30, TOPO_TORUS, 0.3, 3), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "main thread", 0), 0);
    struct thread_step ts = {st, &p, -1};
    pthread_t th;
    ASSERT_EQ(pthread_create(&th, NULL, step_on_thread, &ts), 0);
    pthread_join(th, NULL);
    ASSERT_EQ(ts.rc, 0);
    ASSERT_EQ(tu_pair_check(&p, &life, "other thread", 1), 0);
    /* That thread is gone and its workers with it (PDEATHSIG): back on the
     * main thread the step must re-fork, not die three times. */
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "main thread again", 2), 0);
    ASSERT_EQ(stat_of(st, "re-forks"), 2);
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* ---- several generations per task (step_gens) ----------------------- */

/* sim_run-style advancing on process-pool, with GLIDER_BAND_GRAIN 'grain'
 * and GLIDER_BAND_GENS 'k' (0: unset) read on create, compared with a
 * sequential sim wherever each sim_advance stops; 'n' generations in all.
 * *most gets the most generations one call did. */
static int advance_run(int workers, int copy, int w, int h, enum topology t,
                       const char *rule_text, long grain, long k, int n,
                       uint64_t seed, int *most)
{
    struct glider_error err = {0};
    struct rule rule;
    ASSERT_OK(rule_parse(rule_text, &rule, &err), &err);
    struct backend_opts o = {.threads = workers, .ipc_copy = copy};
    char what[160];
    snprintf(what, sizeof what,
             "%dx%d %s %s, %d workers, %s, grain %ld, GLIDER_BAND_GENS %ld", w,
             h, topology_name(t), rule_text, workers, copy ? "copy" : "shared",
             grain, k);
    tu_setenv_long("GLIDER_BAND_GRAIN", grain);
    tu_setenv_long("GLIDER_BAND_GENS", k);
    struct sim *s = tu_sim_soup(w, h, t, &rule, "process-pool", &o, 0.35, seed);
    tu_setenv_long("GLIDER_BAND_GRAIN", 1);
    tu_setenv_long("GLIDER_BAND_GENS", 0);
    struct sim *ref = tu_sim_soup(w, h, t, &rule, "sequential", NULL, 0.35, seed);
    if (!s || !ref)
        FAILF("%s: no sim", what);
    *most = 0;
    uint64_t left = (uint64_t)n;
    while (left > 0) {
        uint64_t d = 0;
        if (sim_advance(s, left, &d, &err))
            FAILF("%s: %s", what, err.msg);
        if (d < 1 || d > left || (k > 0 && d > (uint64_t)k))
            FAILF("%s: advanced %llu of %llu", what, (unsigned long long)d,
                  (unsigned long long)left);
        ASSERT_OK(sim_run(ref, d, &err), &err);
        if (!grid_equal(sim_grid(ref), sim_grid(s))) {
            tu_report_diff(sim_grid(ref), sim_grid(s));
            FAILF("%s: generation %llu differs from sequential", what,
                  (unsigned long long)sim_generation(ref));
        }
        if ((int)d > *most)
            *most = (int)d;
        left -= d;
    }
    ASSERT_U64_EQ(sim_generation(s), (uint64_t)n);
    ASSERT_EQ(tu_sim_stat(s, "generations"), n);
    ASSERT_EQ(tu_sim_stat(s, "respawns"), 0);
    sim_destroy(s);
    sim_destroy(ref);
    return 0;
}

/* Odd sizes, both topologies, a B0 rule, 1/2/5 workers, tiny bands, and
 * generation counts that are no multiple of the generations per task: the
 * halo logic (band_gens) as the workers run it. */
static int test_multi_gen_equals_sequential(void)
{
    static const int sz[][2] = {{1, 1}, {3, 5}, {63, 65}, {1000, 7}};
    static const int workers[] = {1, 2, 5};
    static const long ks[] = {2, 7, 0};
    static const long grains[] = {1, 50};
    static const char *const rules[] = {"B3/S23", "B0123478/S01234678",
                                        "B36/S23"};
    int runs = 0, idx = 0;
    for (int si = 0; si < 4; si++)
        for (int t = 0; t < 2; t++)
            for (int wi = 0; wi < 3; wi++)
                for (int ki = 0; ki < 3; ki++, idx++) {
                    long k = ks[ki], grain = grains[idx % 2];
                    int n = 23, most;
                    if (advance_run(workers[wi], 0, sz[si][0], sz[si][1],
                                    t ? TOPO_PLANE : TOPO_TORUS,
                                    rules[idx % 3], grain, k, n,
                                    300 + (uint64_t)idx, &most))
                        return 1;
                    /* A fixed grain needs no measuring: the first call takes
                     * what GLIDER_BAND_GENS allows (else all 23). */
                    ASSERT_EQ(most, k > 0 ? (int)k : n);
                    runs++;
                }
    /* Long enough for gliders to cross the seams inside tasks. */
    for (int t = 0; t < 2; t++) {
        int most;
        if (advance_run(2, 0, 63, 65, t ? TOPO_PLANE : TOPO_TORUS, "B3/S23", 1,
                        5, 203, 77, &most))
            return 1;
        ASSERT_EQ(most, 5);
        runs++;
    }
    /* Copy mode stays at one generation per task, so per call. */
    for (int t = 0; t < 2; t++) {
        int most;
        if (advance_run(2, 1, 63, 65, t ? TOPO_PLANE : TOPO_TORUS, "B3/S23", 1,
                        0, 9, 78, &most))
            return 1;
        ASSERT_EQ(most, 1);
        runs++;
    }
    fprintf(stderr, "(%d runs equal to sequential)\n", runs);
    return 0;
}

/* The adaptive plan (no GLIDER_BAND_GRAIN): after the first, measuring,
 * step a universe not worth two workers, or cut into bands too short for
 * two generations, is one task of the whole universe, which needs no halo
 * and so takes the most generations the plan allows (64) even on 5 rows -
 * computed by alternating between 'next' and the worker's scratch, with an
 * even and an odd number of generations. */
static int test_multi_gen_whole_universe(void)
{
    static const int sz[][2] = {{1, 1}, {3, 5}, {63, 65}, {1000, 7},
                                {200, 150}};
    static const int workers[] = {1, 2, 5};
    static const char *const rules[] = {"B3/S23", "B0123478/S01234678"};
    int idx = 0;
    for (int si = 0; si < 5; si++)
        for (int t = 0; t < 2; t++)
            for (int wi = 0; wi < 3; wi++, idx++) {
                int most, n = 1 + 2 * BAND_PLAN_MAX_GENS + 21;
                if (advance_run(workers[wi], 0, sz[si][0], sz[si][1],
                                t ? TOPO_PLANE : TOPO_TORUS, rules[idx % 2], 0,
                                0, n, 400 + (uint64_t)idx, &most))
                    return 1;
                /* Deterministic with one worker, and for bands too short
                 * for two generations; otherwise it depends on whether the
                 * measured kernel time makes two workers worth it. */
                if ((workers[wi] == 1 || sz[si][1] < 16) &&
                    most != BAND_PLAN_MAX_GENS)
                    FAILF("%dx%d, %d workers: at most %d generations per step",
                          sz[si][0], sz[si][1], workers[wi], most);
            }
    return 0;
}

/* The workers' scratch is fixed (pptask.h): on a universe as wide as there
 * are, the parent cuts the generations per task until a band and its halo
 * fit, down to one (no scratch) for bands too tall. */
static int test_multi_gen_fits_scratch(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    kernel_band_fn fast = kernel_active()->band; /* verified in test_kernel */
    struct tu_pair p;
    void *st = NULL;
    int done = 0;
    /* 65536 wide: 1024 words a row; 'rows' of them per scratch buffer (64
     * with the 1 MiB budget), so 1-row bands (grain 1) fit (rows - 1) / 2
     * generations (31). */
    int rows = (int)(PPTASK_GENS_SCRATCH_BYTES / 2 / 8 / 1024);
    int fit = (rows - 1) / 2 < BAND_PLAN_MAX_GENS ? (rows - 1) / 2
                                                  : BAND_PLAN_MAX_GENS;
    ASSERT_GE(fit, 2);
    ASSERT_EQ(tu_pair_make(&p, 65536, 9, TOPO_TORUS, 0.35, 31), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step_gens(st, p.a, p.b, &life, 1000, &done, &err), &err);
    ASSERT_EQ(done, fit);
    ASSERT_EQ(stat_of(st, "generations per task"), fit);
    ASSERT_EQ(stat_of(st, "bands per step"), 9);
    ASSERT_EQ(pair_check_gens(&p, &life, fast, done, "65536 wide, 1-row bands"),
              0);
    PP->destroy(st);
    tu_pair_free(&p);
    /* Two bands of 'rows' rows: not even two generations fit. */
    tu_setenv_long("GLIDER_BAND_GRAIN", 65536L * rows);
    ASSERT_EQ(tu_pair_make(&p, 65536, 2 * rows, TOPO_PLANE, 0.35, 32), 0);
    int rc = PP->create(&st, &o, &err);
    tu_setenv_long("GLIDER_BAND_GRAIN", 1);
    ASSERT_OK(rc, &err);
    for (int g = 0; g < 2; g++) {
        ASSERT_OK(PP->step_gens(st, p.a, p.b, &life, 64, &done, &err), &err);
        ASSERT_EQ(done, 1);
        ASSERT_EQ(stat_of(st, "generations per task"), 1);
        ASSERT_EQ(stat_of(st, "bands per step"), 2);
        ASSERT_EQ(pair_check_gens(&p, &life, fast, done,
                                  "65536 wide, tall bands"),
                  0);
    }
    PP->destroy(st);
    tu_pair_free(&p);
    return 0;
}

/* Grids replaced at (likely) the same addresses between multi-generation
 * steps: the nonce must still catch the workers' stale mappings. */
static int test_multi_gen_new_grids(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    void *st = NULL;
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    for (int round = 0; round < 4; round++) {
        struct tu_pair p;
        ASSERT_EQ(tu_pair_make(&p, 100, 50, TOPO_TORUS, 0.3, 200 + round), 0);
        for (int g = 0; g < 2; g++) {
            int done = 0;
            ASSERT_OK(PP->step_gens(st, p.a, p.b, &life, 6, &done, &err), &err);
            ASSERT_EQ(done, 6);
            if (pair_check_gens(&p, &life, kernel_reference_band, done,
                                "new grids, 6 per step"))
                FAILF("round %d", round);
        }
        tu_pair_free(&p);
    }
    ASSERT_GE(stat_of(st, "re-forks"), 4);
    PP->destroy(st);
    return 0;
}

/* ---- deaths ------------------------------------------------------------- */

/* A worker computes its band, then _exits without answering. */
static int test_worker_exits_mid_generation(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 3};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 90, 60, TOPO_TORUS, 0.3, 8), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err); /* binds */
    ASSERT_EQ(tu_pair_check(&p, &life, "warm-up", 0), 0);
    struct procpool *pool = procpool_of_backend(st);
    pid_t old = procpool_pid(pool, 1);
    procpool_test_inject(pool, 1, PROCPOOL_TEST_EXIT, 1);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "after a death", 1), 0);
    ASSERT_EQ(stat_of(st, "respawns"), 1);
    ASSERT(procpool_pid(pool, 1) != old && procpool_pid(pool, 1) > 0);
    ASSERT_EQ(proc_state(old), 0); /* reaped, not a zombie */
    for (int g = 2; g < 6; g++) {
        ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
        ASSERT_EQ(tu_pair_check(&p, &life, "later", g), 0);
    }
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

struct killer {
    pid_t pid;
    int delay_ms;
};

static void *kill_later(void *arg)
{
    struct killer *k = arg;
    tu_sleep_ms(k->delay_ms);
    kill(k->pid, SIGKILL);
    return NULL;
}

/* SIGKILL from outside while the worker is certainly inside its task: the
 * stall hook keeps it there until the signal comes. */
static int test_sigkill_during_task(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 128, 100, TOPO_PLANE, 0.3, 9), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "warm-up", 0), 0);
    struct procpool *pool = procpool_of_backend(st);
    struct killer k = {procpool_pid(pool, 0), 100};
    procpool_test_inject(pool, 0, PROCPOOL_TEST_STALL, 1);
    pthread_t th;
    ASSERT_EQ(pthread_create(&th, NULL, kill_later, &k), 0);
    int rc = PP->step(st, p.a, p.b, &life, &err);
    pthread_join(th, NULL);
    ASSERT_OK(rc, &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "after SIGKILL", 1), 0);
    ASSERT_EQ(stat_of(st, "respawns"), 1);
    ASSERT(pool->last_pid == k.pid);
    ASSERT(WIFSIGNALED(pool->last_status) && WTERMSIG(pool->last_status) == SIGKILL);
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* No hook: SIGKILL one worker while a big generation runs.  Whether the kill
 * lands mid-task is up to the scheduler, so try a few times; every generation
 * must be exact either way. */
static int test_sigkill_during_big_step(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 1024, 768, TOPO_TORUS, 0.3, 10), 0);
    /* The slow per-cell kernel keeps each task long enough to be hit. */
    ASSERT_OK(kernel_select("reference", &err), &err);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "warm-up", 0), 0);
    struct procpool *pool = procpool_of_backend(st);
    int hit = 0;
    for (int attempt = 1; attempt <= 6 && !hit; attempt++) {
        double before = stat_of(st, "respawns");
        struct killer k = {procpool_pid(pool, attempt % 2), 5};
        pthread_t th;
        ASSERT_EQ(pthread_create(&th, NULL, kill_later, &k), 0);
        int rc = PP->step(st, p.a, p.b, &life, &err);
        pthread_join(th, NULL);
        ASSERT_OK(rc, &err);
        ASSERT_EQ(tu_pair_check(&p, &life, "big step", attempt), 0);
        hit = stat_of(st, "respawns") > before;
        if (!hit) { /* it finished first: the next step replaces it */
            ASSERT(wait_dead(k.pid));
            ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
            ASSERT_EQ(tu_pair_check(&p, &life, "after idle death", attempt), 0);
            ASSERT_GT(stat_of(st, "respawns"), before);
        }
    }
    fprintf(stderr, hit ? "(a kill landed mid-task)\n"
                        : "(the kill never landed mid-task; still exact)\n");
    ASSERT_OK(kernel_select("auto", &err), &err);
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* A worker stalled inside a 10-generation band task is SIGKILLed: its bands
 * (all 10 generations) are redone by a fresh fork, the result is exact and
 * 'cur' was not written. */
static int test_sigkill_during_multi_gen_task(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    int done = 0;
    ASSERT_EQ(tu_pair_make(&p, 128, 100, TOPO_PLANE, 0.3, 41), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step_gens(st, p.a, p.b, &life, 10, &done, &err), &err);
    ASSERT_EQ(done, 10);
    ASSERT_EQ(pair_check_gens(&p, &life, kernel_reference_band, done, "warm-up"),
              0);
    struct procpool *pool = procpool_of_backend(st);
    struct killer k = {procpool_pid(pool, 0), 100};
    uint64_t h = grid_hash(p.a);
    procpool_test_inject(pool, 0, PROCPOOL_TEST_STALL, 1);
    pthread_t th;
    ASSERT_EQ(pthread_create(&th, NULL, kill_later, &k), 0);
    int rc = PP->step_gens(st, p.a, p.b, &life, 10, &done, &err);
    pthread_join(th, NULL);
    ASSERT_OK(rc, &err);
    ASSERT_EQ(done, 10);
    ASSERT_EQ(stat_of(st, "generations per task"), 10);
    ASSERT_U64_EQ(grid_hash(p.a), h); /* 'cur' untouched */
    ASSERT_EQ(pair_check_gens(&p, &life, kernel_reference_band, done,
                              "after SIGKILL"),
              0);
    ASSERT_EQ(stat_of(st, "respawns"), 1);
    ASSERT(pool->last_pid == k.pid);
    ASSERT(WIFSIGNALED(pool->last_status) && WTERMSIG(pool->last_status) == SIGKILL);
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* No hook: SIGKILL a worker while it computes a multi-generation band with
 * the slow kernel.  Where the kill lands is up to the scheduler; every step
 * must be exact and leave 'cur' as it was. */
static int test_sigkill_during_multi_gen_step(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    int done = 0;
    ASSERT_EQ(tu_pair_make(&p, 384, 256, TOPO_TORUS, 0.3, 42), 0);
    ASSERT_OK(kernel_select("reference", &err), &err);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    struct procpool *pool = procpool_of_backend(st);
    int hit = 0;
    for (int attempt = 1; attempt <= 4 && !hit; attempt++) {
        double before = stat_of(st, "respawns");
        struct killer k = {procpool_pid(pool, attempt % 2), 10};
        uint64_t h = grid_hash(p.a);
        pthread_t th;
        ASSERT_EQ(pthread_create(&th, NULL, kill_later, &k), 0);
        int rc = PP->step_gens(st, p.a, p.b, &life, 6, &done, &err);
        pthread_join(th, NULL);
        ASSERT_OK(rc, &err);
        ASSERT_EQ(done, 6);
        ASSERT_U64_EQ(grid_hash(p.a), h);
        ASSERT_EQ(pair_check_gens(&p, &life, kernel_reference_band, done,
                                  "multi-generation step"),
                  0);
        hit = stat_of(st, "respawns") > before;
        if (!hit) /* it finished first: the next step replaces it */
            ASSERT(wait_dead(k.pid));
    }
    fprintf(stderr, hit ? "(a kill landed mid-task)\n"
                        : "(the kill never landed mid-task; still exact)\n");
    ASSERT_OK(kernel_select("auto", &err), &err);
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* Workers keep dying: at the third death of one generation the step fails,
 * 'cur' untouched, and the back-end still works afterwards. */
static int test_repeated_deaths_fail(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 80, 50, TOPO_TORUS, 0.3, 12), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "warm-up", 0), 0);
    uint64_t h = grid_hash(p.a);
    struct procpool *pool = procpool_of_backend(st);
    procpool_test_inject(pool, -1, PROCPOOL_TEST_EXIT, 100);
    int rc = PP->step(st, p.a, p.b, &life, &err);
    ASSERT_EQ(rc, GLIDER_EPROC);
    ASSERT_CONTAINS(err.msg, "abandoned after 3 worker deaths");
    ASSERT_CONTAINS(err.msg, "unchanged");
    fprintf(stderr, "(message: %s)\n", err.msg);
    ASSERT_U64_EQ(grid_hash(p.a), h);
    ASSERT(grid_equal(p.a, p.ra));
    procpool_test_inject(pool, -1, PROCPOOL_TEST_NONE, 0);
    ASSERT_EQ(tu_count_children(),
              (procpool_pid(pool, 0) > 0) + (procpool_pid(pool, 1) > 0));
    for (int g = 1; g < 4; g++) {
        ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
        ASSERT_EQ(tu_pair_check(&p, &life, "after the failure", g), 0);
    }
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* A worker killed between generations is replaced at the next step. */
static int test_death_between_steps(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 64, 64, TOPO_TORUS, 0.3, 13), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "warm-up", 0), 0);
    struct procpool *pool = procpool_of_backend(st);
    pid_t victim = procpool_pid(pool, 0);
    ASSERT_EQ(kill(victim, SIGKILL), 0);
    ASSERT(wait_dead(victim));
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "after idle death", 1), 0);
    ASSERT_EQ(stat_of(st, "respawns"), 1);
    ASSERT_EQ(proc_state(victim), 0);
    PP->destroy(st);
    tu_pair_free(&p);
    return 0;
}

/* Ctrl-C reaches the whole process group: workers ignore SIGINT and leave
 * the decision to their parent. */
static int test_workers_ignore_sigint(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 64, 64, TOPO_TORUS, 0.3, 18), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "warm-up", 0), 0);
    struct procpool *pool = procpool_of_backend(st);
    for (int i = 0; i < 2; i++)
        ASSERT_EQ(kill(procpool_pid(pool, i), SIGINT), 0);
    tu_sleep_ms(20);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "after SIGINT", 1), 0);
    ASSERT_EQ(stat_of(st, "respawns"), 0);
    PP->destroy(st);
    tu_pair_free(&p);
    return 0;
}

/* Sockets among the open descriptors of 'pid', and whether fd 3 is one. */
static int count_sockets(pid_t pid, int *fd3)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    *fd3 = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[400], target[128];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ssize_t len = readlink(path, target, sizeof target - 1);
        if (len <= 0)
            continue;
        target[len] = 0;
        if (strncmp(target, "socket:", 7) == 0) {
            n++;
            *fd3 |= strcmp(e->d_name, "3") == 0;
        }
    }
    closedir(d);
    return n;
}

/* Started with stdin closed, the pool's first socketpair would be fd 0 and
 * every later worker would inherit it as its stdin: a sibling's parent-side
 * end, hiding the parent's EOF from that sibling.  Each worker holds only
 * its own socket, at fd 3. */
static int test_stdin_closed(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 3};
    void *st = NULL;
    int saved = dup(0);
    ASSERT(saved >= 0);
    close(0);
    int rc = PP->create(&st, &o, &err);
    int bad = 0;
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    ASSERT_EQ(tu_pair_make(&p, 64, 48, TOPO_TORUS, 0.3, 31), 0);
    if (rc == 0) /* every worker serves a band: past its set-up */
        rc = PP->step(st, p.a, p.b, &life, &err);
    if (rc == 0) {
        ASSERT_EQ(tu_pair_check(&p, &life, "stdin closed", 0), 0);
        struct procpool *pool = procpool_of_backend(st);
        for (int i = 0; i < 3; i++) {
            int fd3 = 0, n = count_sockets(procpool_pid(pool, i), &fd3);
            if (n != 1 || !fd3) {
                fprintf(stderr, "worker %d holds %d sockets%s\n", i, n,
                        fd3 ? "" : ", none at fd 3");
                bad = 1;
            }
        }
    }
    if (st)
        PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(dup2(saved, 0), 0);
    close(saved);
    ASSERT_OK(rc, &err);
    ASSERT_EQ(bad, 0);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* ---- cleanup: destroy, and a parent that is killed ---------------------- */

static int test_destroy_leaves_nothing(void)
{
    char before[8192], after[8192];
    shm_entries(before, sizeof before);
    ASSERT_EQ(tu_count_children(), 0);
    struct glider_error err = {0};
    struct rule life = RULE_LIFE;
    for (int copy = 0; copy < 2; copy++) {
        struct backend_opts o = {.threads = 4, .ipc_copy = copy};
        struct tu_pair p;
        void *st = NULL;
        ASSERT_EQ(tu_pair_make(&p, 100, 100, TOPO_TORUS, 0.3, 14), 0);
        ASSERT_OK(PP->create(&st, &o, &err), &err);
        ASSERT_EQ(tu_count_children(), 4);
        for (int g = 0; g < 3; g++) {
            ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
            ASSERT_EQ(tu_pair_check(&p, &life, "cleanup", g), 0);
        }
        ASSERT_EQ(tu_count_children(), 4);
        ASSERT_EQ(maps_dev_shm(), 0);
        PP->destroy(st);
        ASSERT_EQ(tu_count_children(), 0);
        tu_pair_free(&p);
    }
    shm_entries(after, sizeof after);
    ASSERT_STR_EQ(after, before);
    return 0;
}

/* In a child: a back-end with 3 bound workers; their pids go down 'fd', then
 * it waits to be killed: idle, or ('stalled') inside a step whose every
 * worker blocks in its task, where EOF cannot end them and only the death
 * signal can.  Never returns. */
static void doomed_parent(int fd, int stalled)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 3};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    if (tu_pair_make(&p, 50, 50, TOPO_TORUS, 0.3, 1) ||
        PP->create(&st, &o, &err) || PP->step(st, p.a, p.b, &life, &err))
        _exit(3);
    struct procpool *pool = procpool_of_backend(st);
    pid_t pids[3];
    for (int i = 0; i < 3; i++)
        pids[i] = procpool_pid(pool, i);
    if (stalled) {
        /* Queued in each socket before the pids are reported, so each
         * worker reads it (even after we die) and blocks in it. */
        char dummy[8] = {0};
        procpool_test_inject(pool, -1, PROCPOOL_TEST_STALL, 3);
        for (int i = 0; i < 3; i++)
            if (procpool_send(pool, i, dummy, sizeof dummy, NULL, 0))
                _exit(5);
    }
    if (write(fd, pids, sizeof pids) != (ssize_t)sizeof pids)
        _exit(4);
    for (;;)
        pause();
}

static int parent_killed_by(int sig, int stalled)
{
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t c = fork();
    ASSERT(c >= 0);
    if (c == 0) {
        close(fds[0]);
        doomed_parent(fds[1], stalled);
    }
    close(fds[1]);
    pid_t pids[3];
    ssize_t got = read(fds[0], pids, sizeof pids);
    close(fds[0]);
    ASSERT_EQ(got, (ssize_t)sizeof pids);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(kill(pids[i], 0), 0);
    ASSERT_EQ(kill(c, sig), 0);
    int status;
    ASSERT_EQ(waitpid(c, &status, 0), c);
    ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == sig);
    /* We are the subreaper: the orphans are ours to reap.  Each must die on
     * its own: of the SIGKILL its parent's death sent it, or of the EOF on
     * its socket when the dying parent's descriptors were closed (which
     * happens first in the kernel's exit path).  Reap them all before
     * judging, so that a failure leaves no zombie to the following tests. */
    int ok[3] = {0, 0, 0}, st[3] = {0, 0, 0};
    for (int t = 0; t < 500 && !(ok[0] && ok[1] && ok[2]); t++) {
        for (int i = 0; i < 3; i++)
            if (!ok[i] && waitpid(pids[i], &st[i], WNOHANG) == pids[i])
                ok[i] = 1;
        if (!(ok[0] && ok[1] && ok[2]))
            tu_sleep_ms(10);
    }
    for (int i = 0; i < 3; i++)
        if (!ok[i]) {
            kill(pids[i], SIGKILL);
            waitpid(pids[i], &st[i], 0);
        }
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
    for (int i = 0; i < 3; i++) {
        char how[96];
        procpool_describe(st[i], how, sizeof how);
        if (!ok[i])
            FAILF("worker %d outlived its parent by 5 s", (int)pids[i]);
        if (!((WIFSIGNALED(st[i]) && WTERMSIG(st[i]) == SIGKILL) ||
              (!stalled && WIFEXITED(st[i]) &&
               WEXITSTATUS(st[i]) == PROCPOOL_EXIT_OK)))
            FAILF("worker %d: %s", (int)pids[i], how);
        fprintf(stderr, "(worker %d %s)\n", (int)pids[i], how);
    }
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* Killed mid-step: workers stalled in their tasks, PDEATHSIG must act. */
static int test_parent_sigterm(void)
{
    return parent_killed_by(SIGTERM, 1);
}

/* Killed between steps (Ctrl-C): workers idle; SIGINT itself is ignored by
 * workers, so it is their parent's death that ends them. */
static int test_parent_sigint(void)
{
    return parent_killed_by(SIGINT, 0);
}

/* ---- refused fork and socketpair ---------------------------------------- */

static int create_refused(enum sys_op op, long nth, const char *word)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 3};
    void *st = (void *)&err;
    sys_fault_arm(op, nth, EAGAIN, 0);
    int rc = PP->create(&st, &o, &err);
    sys_fault_disarm_all();
    ASSERT_EQ(rc, GLIDER_EPROC);
    ASSERT(st == (void *)&err); /* untouched */
    ASSERT_CONTAINS(err.msg, word);
    ASSERT_CONTAINS(err.msg, "Resource temporarily unavailable");
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

static int test_fork_refused_on_create(void)
{
    for (long nth = 1; nth <= 3; nth++)
        if (create_refused(SYS_OP_FORK, nth, "fork of worker"))
            return 1;
    return 0;
}

static int test_socketpair_refused_on_create(void)
{
    for (long nth = 1; nth <= 3; nth++)
        if (create_refused(SYS_OP_PIPE, nth, "socketpair for worker"))
            return 1;
    return 0;
}

/* The sim keeps its old back-end when process-pool cannot start. */
static int test_switch_refused_keeps_old(void)
{
    struct glider_error err = {0};
    struct sim_config cfg = {30, 30, TOPO_TORUS, RULE_LIFE, "sequential", {0}};
    struct sim *s;
    ASSERT_OK(sim_create(&s, &cfg, &err), &err);
    sys_fault_arm(SYS_OP_FORK, 2, EAGAIN, 0);
    struct backend_opts o = {.threads = 2};
    int rc = sim_set_backend(s, "process-pool", &o, &err);
    sys_fault_disarm_all();
    ASSERT_EQ(rc, GLIDER_EPROC);
    ASSERT_STR_EQ(sim_backend(s)->name, "sequential");
    ASSERT_OK(sim_step(s, &err), &err);
    ASSERT_EQ(tu_count_children(), 0);
    sim_destroy(s);
    return 0;
}

/* Grids made after the workers: the first step must re-fork; refuse that. */
static int test_fork_refused_on_refork(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 3};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_EQ(tu_pair_make(&p, 40, 40, TOPO_TORUS, 0.3, 15), 0);
    uint64_t h = grid_hash(p.a);
    sys_fault_arm(SYS_OP_FORK, 2, EAGAIN, 0);
    int rc = PP->step(st, p.a, p.b, &life, &err);
    sys_fault_disarm_all();
    ASSERT_EQ(rc, GLIDER_EPROC);
    ASSERT_CONTAINS(err.msg, "fork of worker 1");
    ASSERT_U64_EQ(grid_hash(p.a), h);
    ASSERT_EQ(tu_count_children(), 0);
    /* Usable again once the system gives processes. */
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "after refused re-fork", 0), 0);
    ASSERT_EQ(tu_count_children(), 3);
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* A worker dies mid-generation and its replacement cannot be forked. */
static int test_fork_refused_on_respawn(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = 2};
    struct rule life = RULE_LIFE;
    struct tu_pair p;
    void *st = NULL;
    ASSERT_EQ(tu_pair_make(&p, 60, 40, TOPO_TORUS, 0.3, 16), 0);
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "warm-up", 0), 0);
    struct procpool *pool = procpool_of_backend(st);
    uint64_t h = grid_hash(p.a);
    for (int op = 0; op < 2; op++) {
        if (op) { /* the slot left empty is filled at the next step */
            ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
            ASSERT_EQ(tu_pair_check(&p, &life, "refilled", 1), 0);
            h = grid_hash(p.a);
        }
        procpool_test_inject(pool, 0, PROCPOOL_TEST_EXIT, 1);
        sys_fault_arm(op ? SYS_OP_PIPE : SYS_OP_FORK, 1, EAGAIN, 0);
        int rc = PP->step(st, p.a, p.b, &life, &err);
        sys_fault_disarm_all();
        ASSERT_EQ(rc, GLIDER_EPROC);
        ASSERT_CONTAINS(err.msg, "could not be replaced");
        ASSERT_CONTAINS(err.msg, op ? "socketpair" : "fork");
        fprintf(stderr, "(message: %s)\n", err.msg);
        ASSERT_U64_EQ(grid_hash(p.a), h);
        ASSERT_EQ(tu_count_children(), 1);
    }
    /* Idle death + refused respawn at the start of a step. */
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "recovered", 1), 0);
    h = grid_hash(p.a);
    pid_t victim = procpool_pid(pool, 1);
    ASSERT_EQ(kill(victim, SIGKILL), 0);
    ASSERT(wait_dead(victim));
    sys_fault_arm(SYS_OP_FORK, 1, EAGAIN, 0);
    int rc = PP->step(st, p.a, p.b, &life, &err);
    sys_fault_disarm_all();
    ASSERT_EQ(rc, GLIDER_EPROC);
    ASSERT_U64_EQ(grid_hash(p.a), h);
    ASSERT_EQ(proc_state(victim), 0);
    ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&p, &life, "recovered again", 2), 0);
    PP->destroy(st);
    tu_pair_free(&p);
    ASSERT_EQ(tu_count_children(), 0);
    return 0;
}

/* ---- what crosses the pipes --------------------------------------------- */

static int test_bytes_through_pipes(void)
{
    struct glider_error err = {0};
    struct rule life = RULE_LIFE;
    for (int copy = 0; copy < 2; copy++) {
        struct backend_opts o = {.threads = 2, .ipc_copy = copy};
        struct tu_pair p;
        void *st = NULL;
        ASSERT_EQ(tu_pair_make(&p, 640, 200, TOPO_TORUS, 0.3, 17), 0);
        ASSERT_OK(PP->create(&st, &o, &err), &err);
        for (int g = 0; g < 4; g++) {
            ASSERT_OK(PP->step(st, p.a, p.b, &life, &err), &err);
            ASSERT_EQ(tu_pair_check(&p, &life, "bytes", g), 0);
        }
        /* 8 bands a generation; each task is a 16-byte header and a 72-byte
         * task, each reply a header and 32 bytes.  Copy mode adds every row
         * (10 words of cells) plus two halo rows per band out, and every row
         * back: the cells themselves never travel in shared mode. */
        double tasks = stat_of(st, "tasks"), rowb = 80;
        ASSERT_EQ(tasks, 4 * 8);
        ASSERT_EQ(stat_of(st, "bands per step"), 8);
        double out = tasks * 88 + (copy ? 4 * (200 + 2 * 8) * rowb : 0);
        double back = tasks * 48 + (copy ? 4 * 200 * rowb : 0);
        ASSERT_EQ(stat_of(st, "bytes to workers"), out);
        ASSERT_EQ(stat_of(st, "bytes from workers"), back);
        PP->destroy(st);
        tu_pair_free(&p);
    }
    return 0;
}

/* Without GLIDER_BAND_GRAIN the band count follows the kernel time the
 * workers report: one band first (nothing measured yet) and for a universe
 * too small to be worth splitting; more for a big one; several generations
 * per task when the caller asks for several.  Exact throughout. */
static int test_band_plan(void)
{
    struct glider_error err = {0};
    struct rule life = RULE_LIFE;
    struct backend_opts o = {.threads = 2};
    struct tu_pair small, big;
    void *st = NULL;
    unsetenv("GLIDER_BAND_GRAIN");
    ASSERT_EQ(tu_pair_make(&small, 64, 64, TOPO_TORUS, 0.3, 21), 0);
    ASSERT_EQ(tu_pair_make(&big, 1024, 1024, TOPO_TORUS, 0.3, 22), 0);
    ASSERT_OK(kernel_select("reference", &err), &err); /* slow: worth bands */
    int rc = PP->create(&st, &o, &err);
    setenv("GLIDER_BAND_GRAIN", "1", 1);
    ASSERT_OK(rc, &err);
    ASSERT_OK(PP->step(st, small.a, small.b, &life, &err), &err);
    ASSERT_EQ(tu_pair_check(&small, &life, "plan, first", 0), 0);
    ASSERT_EQ(stat_of(st, "bands per step"), 1);
    for (int g = 0; g < 2; g++) {
        ASSERT_OK(PP->step(st, big.a, big.b, &life, &err), &err);
        ASSERT_EQ(tu_pair_check(&big, &life, "plan, big", g), 0);
    }
    double nb = stat_of(st, "bands per step");
    ASSERT(nb >= 2 && nb <= 8 && (int)nb % 2 == 0);
    /* Several generations asked for (sim_run) with the slow kernel's cost
     * still the estimate: a call is held to about BAND_PLAN_CALL_SECONDS,
     * a few generations, not BAND_PLAN_MAX_GENS. */
    ASSERT_OK(kernel_select("auto", &err), &err);
    int done = 0;
    ASSERT_OK(PP->step_gens(st, big.a, big.b, &life, 100, &done, &err), &err);
    ASSERT(done >= 1 && done < BAND_PLAN_MAX_GENS);
    ASSERT_EQ(pair_check_gens(&big, &life, kernel_active()->band, done,
                              "plan, slow estimate"),
              0);
    /* That call measured the fast kernel (a faster sample is believed at
     * once): now 1024 rows are worth two bands of BAND_PLAN_MAX_GENS (64)
     * generations each. */
    ASSERT_OK(PP->step_gens(st, big.a, big.b, &life, 100, &done, &err), &err);
    ASSERT_EQ(done, BAND_PLAN_MAX_GENS);
    ASSERT_EQ(stat_of(st, "generations per task"), BAND_PLAN_MAX_GENS);
    ASSERT_EQ(stat_of(st, "bands per step"), 2);
    ASSERT_EQ(pair_check_gens(&big, &life, kernel_active()->band, done,
                              "plan, 64 generations"),
              0);
    PP->destroy(st);
    tu_pair_free(&small);
    tu_pair_free(&big);
    return 0;
}

static int test_bad_arguments(void)
{
    struct glider_error err = {0};
    struct backend_opts o = {.threads = BACKEND_MAX_THREADS + 1};
    void *st = NULL;
    ASSERT_EQ(PP->create(&st, &o, &err), GLIDER_EINVAL);
    ASSERT(st == NULL);
    o.threads = 1;
    ASSERT_OK(PP->create(&st, &o, &err), &err);
    struct grid *a, *b;
    struct rule life = RULE_LIFE;
    ASSERT_OK(grid_create(&a, 10, 10, TOPO_TORUS, &err), &err);
    ASSERT_OK(grid_create(&b, 11, 10, TOPO_TORUS, &err), &err);
    ASSERT_EQ(PP->step(st, a, b, &life, &err), GLIDER_EINVAL);
    ASSERT_EQ(PP->step(st, a, a, &life, &err), GLIDER_EINVAL);
    PP->destroy(st);
    grid_destroy(a);
    grid_destroy(b);
    return 0;
}

static const struct test_case tests[] = {
    {"equals_reference_shared", test_equals_reference_shared},
    {"equals_reference_copy", test_equals_reference_copy},
    {"many_generations", test_many_generations},
    {"multi_gen_equals_sequential", test_multi_gen_equals_sequential},
    {"multi_gen_whole_universe", test_multi_gen_whole_universe},
    {"multi_gen_fits_scratch", test_multi_gen_fits_scratch},
    {"multi_gen_new_grids", test_multi_gen_new_grids},
    {"rule_and_kernel", test_rule_and_kernel},
    {"switching", test_switching},
    {"create_workers_serve_first_step", test_create_workers_serve_first_step},
    {"new_grids_same_addresses", test_new_grids_same_addresses},
    {"other_thread", test_other_thread},
    {"worker_exits_mid_generation", test_worker_exits_mid_generation},
    {"sigkill_during_task", test_sigkill_during_task},
    {"sigkill_during_big_step", test_sigkill_during_big_step},
    {"sigkill_during_multi_gen_task", test_sigkill_during_multi_gen_task},
    {"sigkill_during_multi_gen_step", test_sigkill_during_multi_gen_step},
    {"repeated_deaths_fail", test_repeated_deaths_fail},
    {"death_between_steps", test_death_between_steps},
    {"workers_ignore_sigint", test_workers_ignore_sigint},
    {"stdin_closed", test_stdin_closed},
    {"destroy_leaves_nothing", test_destroy_leaves_nothing},
    {"parent_sigterm", test_parent_sigterm},
    {"parent_sigint", test_parent_sigint},
    {"fork_refused_on_create", test_fork_refused_on_create},
    {"socketpair_refused_on_create", test_socketpair_refused_on_create},
    {"switch_refused_keeps_old", test_switch_refused_keeps_old},
    {"fork_refused_on_refork", test_fork_refused_on_refork},
    {"fork_refused_on_respawn", test_fork_refused_on_respawn},
    {"bytes_through_pipes", test_bytes_through_pipes},
    {"band_plan", test_band_plan},
    {"bad_arguments", test_bad_arguments},
};

TEST_MAIN(tests)
