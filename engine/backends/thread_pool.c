/* thread_pool.c - the thread-pool back-end: a fixed pool, one future per band.
 *
 * DESIGN: create starts a pool of N threads (-j, default the online CPUs; see
 * pool.c) once; no thread is created per generation.  Each step the calling
 * thread (the driver) splits the rows into bands, submits the step's tasks
 * as futures (fan-out) and waits for all of them (fan-in).  For one
 * generation (sim_step) a task is one band for one generation, the textbook
 * model: it reads any row of 'cur' and writes only its rows of 'next'.
 *
 * When the sim asks for several generations (sim_run, sim_advance), a task
 * computes several of them (up to 64 by default, --gens-per-task): as
 * tiles (band_tiles.h: a shrink task per band, a grow task per edge between
 * two bands, no cell computed twice) or, on bands too thin for tiles (or a
 * single band), from a halo (band_gens.h).  And one step hands
 * out several such rounds at once (band_plan_rounds), the rounds reading
 * and writing 'cur' and 'next' alternately: every task is submitted with
 * pool_submit_after, naming the futures of the tasks it must wait for
 * (band_graph.h: those that wrote what it reads, and those that read what
 * it overwrites), so a worker goes from one ready task to the next - into
 * the next round while a far band of this one is still running - and the
 * driver sleeps until the last future is done.  No barrier, no hand-off
 * through the driver between rounds.
 *
 * How many bands and generations: band_plan.h - no task shorter than ~25 us
 * of kernel time, bands sized so their scratch fits in L2, a multiple of the
 * thread count (with tiles at least two per thread).  A step not worth two
 * tasks (the first step, which measures the kernel; small universes; any
 * universe with -j 1) is computed on the driver, so a 64x64 universe is not
 * slower than sequential.
 *
 * Stop: destroy stops the pool; the workers finish what is queued (nothing,
 * between steps) and are joined.  A step fails only when its memory cannot
 * be reserved, before any task is submitted; 'cur' is written only by the
 * later rounds of a multi-round step, once nothing can fail.
 *
 * Memory: the state owns the pool, the futures and task records (grown by
 * the driver between steps), one band scratch per worker plus one for the
 * driver, and one band_edges per band: scratch i is used only by the worker
 * whose pool_worker_index() is i, and reserved by the driver before it
 * submits (the pool's mutex orders the two); a band's edges are written by
 * its shrink task and read by the grow tasks next to it, which the graph
 * runs after it, and overwritten next round only after both grows are done.
 * The generation context (grids, rule, kernel, gens) is written by the
 * driver before the first submit and only read by tasks; the pool's mutex
 * orders each task's writes before any task that waits for it starts, and
 * before the driver reads its record after the fan-in.  'cur' and 'next' are
 * borrowed from the sim for one step. */
#include "backend_impl.h"

#include <stdlib.h>

#include "../band_gens.h"
#include "../band_tiles.h"
#include "band_graph.h"
#include "band_plan.h"
#include "pool.h"

#define TP_TIME_EVERY 16 /* driver steps per timed one, once measured */

struct tp_task {
    struct thread_pool *tp; /* generation context */
    struct band_task t;     /* what to compute (band_graph.h) */
    double seconds;         /* kernel time, written by the task */
};

struct thread_pool {
    struct pool *pool;            /* the workers */
    int nthreads;                 /* workers in 'pool' */
    long cap;                     /* entries in 'futures' and 'tasks' */
    struct band_plan plan;        /* bands and generations per step */
    struct pool_future *futures;  /* one per task of a step, reused */
    struct tp_task *tasks;        /* one per task of a step */
    struct band_scratch *scratch; /* nthreads + 1: the workers', the driver's */
    struct band_edges *edges;     /* one per band, for tiles */
    int nedges;                   /* entries in 'edges' */
    /* Generation context: written by the driver before submitting, read-only
     * for the tasks until the driver's fan-in returns. */
    struct band_grids grids;
    const struct rule *rule;
    kernel_band_fn band;
    int gens;           /* generations a round */
    /* Statistics, driver only. */
    long gens_done;     /* generations computed */
    long inline_gens;   /* of which on the driver */
    long tasks_run;     /* tasks run by the workers */
    int last_bands;     /* bands of the last step */
    int last_gens;      /* generations per task in the last step */
    int last_rounds;    /* rounds of the last step */
    int last_tiles;     /* the last step ran tiles */
    double fanout;      /* seconds submitting */
    double fanin;       /* seconds waiting for the futures */
    double inline_secs; /* seconds computing on the driver (sampled) */
    int untimed_steps;  /* driver steps since the last timed one */
    long untimed_gens;  /* and the generations they computed */
};

static int tp_band_task(void *arg)
{
    struct tp_task *t = arg;
    struct thread_pool *tp = t->tp;
    int self = pool_worker_index();
    if (self < 0 || self >= tp->nthreads)
        return GLIDER_EINVAL; /* not one of our workers: cannot happen */
    double t0 = backend_now();
    band_task_run(&t->t, &tp->grids, tp->band, tp->rule, tp->gens, tp->edges,
                  &tp->scratch[self]);
    t->seconds = backend_now() - t0;
    return 0;
}

static void tp_free(struct thread_pool *tp)
{
    if (tp->scratch)
        for (int i = 0; i <= tp->nthreads; i++)
            band_scratch_free(&tp->scratch[i]);
    band_edges_array_free(tp->edges, tp->nedges);
    free(tp->scratch);
    free(tp->futures);
    free(tp->tasks);
    free(tp);
}

/* Room for 'n' tasks.  Only between steps: no future is in flight. */
static int tp_reserve_tasks(struct thread_pool *tp, long n,
                            struct glider_error *err)
{
    if (n <= tp->cap)
        return 0;
    struct pool_future *f = sys_calloc((size_t)n, sizeof *f);
    struct tp_task *t = sys_calloc((size_t)n, sizeof *t);
    if (!f || !t) {
        free(f);
        free(t);
        return glider_errorf(err, GLIDER_ENOMEM,
                             "thread-pool: out of memory for %ld tasks; the "
                             "universe is unchanged", n);
    }
    free(tp->futures);
    free(tp->tasks);
    tp->futures = f;
    tp->tasks = t;
    tp->cap = n;
    return 0;
}

static int tp_create(void **state, const struct backend_opts *opts,
                     struct glider_error *err)
{
    int n = backend_threads(opts);
    if (n < 1 || n > BACKEND_MAX_THREADS)
        return glider_errorf(err, GLIDER_EINVAL,
                             "thread-pool: %d threads is out of range (1..%d)",
                             n, BACKEND_MAX_THREADS);
    struct thread_pool *tp = sys_calloc(1, sizeof *tp);
    if (!tp)
        return glider_errorf(err, GLIDER_ENOMEM, "thread-pool: out of memory");
    tp->nthreads = n;
    band_plan_init(&tp->plan, opts ? opts->gens_per_task : 0, 1);
    tp->scratch = sys_calloc((size_t)n + 1, sizeof *tp->scratch);
    int rc = tp->scratch ? tp_reserve_tasks(tp, 4L * n, err)
                         : glider_errorf(err, GLIDER_ENOMEM,
                                         "thread-pool: out of memory");
    if (rc) {
        tp_free(tp);
        return rc;
    }
    struct glider_error perr = {0};
    rc = pool_create(&tp->pool, n, 0, &perr);
    if (rc) {
        tp_free(tp);
        return glider_errorf(err, rc, "thread-pool: %s", perr.msg);
    }
    *state = tp;
    return 0;
}

/* Everything the job's tasks need, before any is started: 'ntasks' task
 * records, scratch in slots [from, to), and the tiles' edges (one per
 * band). */
static int tp_reserve(struct thread_pool *tp, const struct grid *g,
                      const struct band_job *job, long ntasks, int from, int to,
                      struct glider_error *err)
{
    int rc = tp_reserve_tasks(tp, ntasks, err);
    int rows = band_job_scratch_rows(job, g->height);
    struct glider_error e = {0};
    for (int i = from; i < to && rc == 0 && rows > 0; i++)
        rc = band_scratch_reserve(&tp->scratch[i], g->stride, rows, &e);
    if (rc == 0 && job->tiles)
        rc = band_edges_array_reserve(&tp->edges, &tp->nedges, job->nbands,
                                      g->stride, job->gens, &e);
    if (rc && e.msg[0])
        return glider_errorf(err, rc, "thread-pool: %s; the universe is "
                                      "unchanged", e.msg);
    return rc;
}

/* The whole step on the driver: one round, its tasks in order (a band's
 * shrink before the grows next to it). */
static void tp_on_driver(struct thread_pool *tp, const struct band_graph *g)
{
    for (long id = 0; id < band_graph_tasks(g); id++) {
        struct band_task t = band_graph_task(g, id);
        band_task_run(&t, &tp->grids, tp->band, tp->rule, tp->gens, tp->edges,
                      &tp->scratch[tp->nthreads]);
    }
}

/* Submits every task of the step in id order, each waiting for the tasks
 * band_graph_waits names (all submitted before it), and waits for them all.
 * The driver only sleeps meanwhile. */
static int tp_fan_out_in(struct thread_pool *tp, const struct band_graph *g,
                         struct glider_error *err)
{
    long n = 0, total = band_graph_tasks(g);
    int rc = 0;
    double t0 = backend_now();
    for (; n < total; n++) {
        struct tp_task *t = &tp->tasks[n];
        t->tp = tp;
        t->t = band_graph_task(g, n);
        t->seconds = 0;
        long waits[3];
        struct pool_future *deps[3];
        int nd = band_graph_waits(g, n, waits);
        for (int d = 0; d < nd; d++)
            deps[d] = &tp->futures[waits[d]];
        if ((rc = pool_submit_after(tp->pool, &tp->futures[n], tp_band_task, t,
                                    deps, nd)))
            break;
    }
    double t1 = backend_now();
    int trc = pool_wait_all(tp->pool, tp->futures, (int)n);
    double t2 = backend_now();
    tp->fanout += t1 - t0;
    tp->fanin += t2 - t1;
    tp->tasks_run += n;
    if (rc) {
        /* Cannot happen while we own the pool (every future is done, the
         * pool is not stopping); if it did, the tasks submitted are done,
         * and if they were all of round 0 'cur' is still intact. */
        return glider_errorf(err, rc, "thread-pool: could not submit task %ld "
                             "of %ld%s", n + 1, total,
                             n <= g->per_round ? "; the universe is unchanged"
                                               : "");
    }
    return trc ? glider_errorf(err, trc, "thread-pool: a band task failed: %s",
                               glider_strerror(trc))
               : 0;
}

/* Up to 'max_gens' generations of 'cur' into 'next'; several rounds only
 * when 'spare' (the grid the odd rounds write) is given. */
static int tp_advance(struct thread_pool *tp, const struct grid *cur,
                      struct grid *next, struct grid *spare,
                      const struct rule *rule, int max_gens, int *gens_done,
                      struct glider_error *err)
{
    struct band_job job = band_plan_job(&tp->plan, cur->width, cur->height,
                                        cur->stride * sizeof(uint64_t),
                                        tp->nthreads, max_gens, 1);
    int rounds = spare ? band_plan_rounds(&tp->plan, &job, cur->width,
                                          cur->height, max_gens)
                       : 1;
    struct band_graph g;
    band_graph_init(&g, cur->height, job.nbands, rounds,
                    cur->topo == TOPO_TORUS, job.tiles);
    double cells = (double)cur->width * cur->height * job.gens * rounds;
    int rc = job.split ? tp_reserve(tp, cur, &job, band_graph_tasks(&g), 0,
                                    tp->nthreads, err)
                       : tp_reserve(tp, cur, &job, 0, tp->nthreads,
                                    tp->nthreads + 1, err);
    if (rc)
        return rc;
    tp->grids = (struct band_grids){cur, next, spare};
    tp->rule = rule;
    tp->band = kernel_active()->band;
    tp->gens = job.gens;
    tp->last_bands = job.nbands;
    tp->last_gens = job.gens;
    tp->last_rounds = rounds;
    tp->last_tiles = job.tiles;
    if (!job.split) {
        /* A 64x64 generation takes 0.4 us, and two clock reads would add 5 %
         * to it: once the plan has an estimate, steps on the driver are
         * timed one in TP_TIME_EVERY (the time on the driver counts the
         * untimed steps' generations at the timed step's rate). */
        long gens = (long)job.gens * rounds;
        int timed = tp->plan.sec_per_cell <= 0 ||
                    tp->untimed_steps >= TP_TIME_EVERY - 1;
        double t0 = timed ? backend_now() : 0;
        tp_on_driver(tp, &g);
        if (timed) {
            double dt = backend_now() - t0;
            band_plan_measured(&tp->plan, cells, dt);
            tp->inline_secs += dt * (double)(tp->untimed_gens + gens) / (double)gens;
            tp->untimed_steps = 0;
            tp->untimed_gens = 0;
        } else {
            tp->untimed_steps++;
            tp->untimed_gens += gens;
        }
        tp->inline_gens += gens;
        tp->gens_done += gens;
        *gens_done = (int)gens;
        return 0;
    }
    rc = tp_fan_out_in(tp, &g, err);
    if (rc)
        return rc;
    double kernel_secs = 0;
    for (long i = 0; i < band_graph_tasks(&g); i++)
        kernel_secs += tp->tasks[i].seconds;
    band_plan_measured(&tp->plan, cells, kernel_secs);
    tp->gens_done += (long)job.gens * rounds;
    *gens_done = job.gens * rounds;
    return 0;
}

static int tp_step_gens(void *state, struct grid *cur, struct grid *next,
                        const struct rule *rule, int max_gens, int *gens_done,
                        struct glider_error *err)
{
    return tp_advance(state, cur, next, cur, rule, max_gens, gens_done, err);
}

static int tp_step(void *state, const struct grid *cur, struct grid *next,
                   const struct rule *rule, struct glider_error *err)
{
    int done;
    return tp_advance(state, cur, next, NULL, rule, 1, &done, err);
}

static void tp_destroy(void *state)
{
    struct thread_pool *tp = state;
    if (!tp)
        return;
    pool_destroy(tp->pool);
    tp_free(tp);
}

static int tp_stats(void *state, struct backend_stat *out, int max)
{
    struct thread_pool *tp = state;
    double scratch = 0, edges = 0;
    for (int i = 0; i <= tp->nthreads; i++)
        scratch += 2.0 * (double)tp->scratch[i].words * sizeof(uint64_t);
    for (int i = 0; i < tp->nedges; i++)
        edges += (double)tp->edges[i].words * sizeof(uint64_t);
    struct backend_stat st[] = {
        {"threads", tp->nthreads, ""},
        {"generations", (double)tp->gens_done, ""},
        {"generations on the driver", (double)tp->inline_gens, ""},
        {"tasks run", (double)tp->tasks_run, ""},
        {"bands per step", tp->last_bands, ""},
        {"generations per task", tp->last_gens, ""},
        {"rounds per step", tp->last_rounds, ""},
        {"tiles", tp->last_tiles, ""},
        {"time in fan-out", tp->fanout, "s"},
        {"time in fan-in", tp->fanin, "s"},
        {"time on the driver", tp->inline_secs, "s"},
        {"kernel ns per cell", tp->plan.sec_per_cell * 1e9, "ns"},
        {"band scratch", scratch, "B"},
        {"band edges", edges, "B"},
    };
    int n = 0;
    for (; n < max && n < (int)(sizeof st / sizeof st[0]); n++)
        out[n] = st[n];
    return n;
}

const struct backend_ops backend_thread_pool = {
    .name = "thread-pool",
    .summary = "fixed pool of N threads, one future per band of rows: the "
               "fast path",
    .create = tp_create,
    .step = tp_step,
    .step_gens = tp_step_gens,
    .destroy = tp_destroy,
    .stats = tp_stats,
};
