/* thread_pool.c - the thread-pool back-end: a fixed pool, one future per band.
 *
 * DESIGN: create starts a pool of N threads (-j, default the online CPUs; see
 * pool.c) once; no thread is created per generation.  Each step the calling
 * thread (the driver) splits the rows into bands, submits one task per band
 * as a future (fan-out) and waits for all of them (fan-in).  A task reads any
 * row of 'cur' and writes only the rows [y0, y1) of 'next' given to it, with
 * the active band kernel, so tasks never write the same memory.  The
 * generation context ('cur', 'next', rule, kernel) is written by the driver
 * before the first submit and only read by tasks; the pool's mutex orders the
 * two, and orders each task's record (its kernel time) before the driver
 * reads it after the fan-in.
 *
 * How many bands: as many as the work is worth (band_plan.h) - no band
 * shorter than ~25 us of kernel time, at most 4 per thread, a multiple of the
 * thread count.  A generation not worth two bands (the first step, which
 * measures the kernel; small universes - with the AVX-512 kernel up to about
 * 3000x3000; any universe with -j 1) is computed inline on the driver, so a
 * 64x64 universe is not slower than sequential.
 *
 * Stop: destroy stops the pool; the workers finish what is queued (nothing,
 * between steps) and are joined.  A step cannot fail once the pool runs;
 * 'cur' is never written.
 *
 * Memory: the state owns the pool, the futures and the task records (sized
 * at create for the most bands a step can use); 'cur' and 'next' are
 * borrowed from the sim for one step. */
#include "backend_impl.h"

#include <stdlib.h>

#include "band_plan.h"
#include "pool.h"

#define TP_BANDS_PER_THREAD 4 /* most bands per worker: slack for a busy machine */

struct tp_task {
    struct thread_pool *tp; /* generation context */
    int y0, y1;             /* rows of 'next' this task writes */
    double seconds;         /* kernel time, written by the task */
};

struct thread_pool {
    struct pool *pool;            /* the workers */
    int nthreads;                 /* workers in 'pool' */
    int max_bands;                /* entries in 'futures' and 'tasks' */
    struct band_plan plan;        /* how many bands a universe is worth */
    struct pool_future *futures;  /* one per band, reused every step */
    struct tp_task *tasks;        /* one per band */
    /* Generation context: written by the driver before submitting, read-only
     * for the tasks until the driver's fan-in returns. */
    const struct grid *cur;
    struct grid *next;
    const struct rule *rule;
    kernel_band_fn band;
    /* Statistics, driver only. */
    long gens;          /* generations computed */
    long inline_gens;   /* of which inline on the driver */
    long tasks_run;     /* band tasks run */
    int last_bands;     /* bands of the last step */
    double fanout;      /* seconds submitting */
    double fanin;       /* seconds waiting for the futures */
    double inline_secs; /* seconds computing inline */
};

static int tp_band_task(void *arg)
{
    struct tp_task *t = arg;
    struct thread_pool *tp = t->tp;
    double t0 = backend_now();
    tp->band(tp->cur, tp->next, tp->rule, t->y0, t->y1);
    t->seconds = backend_now() - t0;
    return 0;
}

static void tp_free(struct thread_pool *tp)
{
    free(tp->futures);
    free(tp->tasks);
    free(tp);
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
    tp->max_bands = n * TP_BANDS_PER_THREAD;
    band_plan_init(&tp->plan);
    tp->futures = sys_calloc((size_t)tp->max_bands, sizeof *tp->futures);
    tp->tasks = sys_calloc((size_t)tp->max_bands, sizeof *tp->tasks);
    if (!tp->futures || !tp->tasks) {
        tp_free(tp);
        return glider_errorf(err, GLIDER_ENOMEM, "thread-pool: out of memory");
    }
    struct glider_error perr = {0};
    int rc = pool_create(&tp->pool, n, 0, &perr);
    if (rc) {
        tp_free(tp);
        return glider_errorf(err, rc, "thread-pool: %s", perr.msg);
    }
    *state = tp;
    return 0;
}

static int tp_step(void *state, const struct grid *cur, struct grid *next,
                   const struct rule *rule, struct glider_error *err)
{
    struct thread_pool *tp = state;
    kernel_band_fn band = kernel_active()->band;
    double cells = (double)cur->width * cur->height;
    int nbands = band_plan_count(&tp->plan, cur->width, cur->height,
                                 tp->nthreads, tp->max_bands);
    tp->gens++;
    tp->last_bands = nbands;
    if (nbands < 2) {
        double t0 = backend_now();
        band(cur, next, rule, 0, cur->height);
        double dt = backend_now() - t0;
        band_plan_measured(&tp->plan, cells, dt);
        tp->inline_secs += dt;
        tp->inline_gens++;
        return 0;
    }
    tp->cur = cur;
    tp->next = next;
    tp->rule = rule;
    tp->band = band;
    double t0 = backend_now();
    for (int i = 0; i < nbands; i++) {
        struct tp_task *t = &tp->tasks[i];
        t->tp = tp;
        backend_band(cur->height, nbands, i, &t->y0, &t->y1);
        int rc = pool_submit(tp->pool, &tp->futures[i], tp_band_task, t);
        if (rc) {
            /* Cannot happen while we own the pool; still, never return with
             * tasks running on the borrowed grids. */
            pool_wait_all(tp->pool, tp->futures, i);
            return glider_errorf(err, rc,
                                 "thread-pool: could not submit band %d of %d",
                                 i + 1, nbands);
        }
    }
    double t1 = backend_now();
    int rc = pool_wait_all(tp->pool, tp->futures, nbands);
    double t2 = backend_now();
    tp->fanout += t1 - t0;
    tp->fanin += t2 - t1;
    tp->tasks_run += nbands;
    double kernel_secs = 0;
    for (int i = 0; i < nbands; i++)
        kernel_secs += tp->tasks[i].seconds;
    band_plan_measured(&tp->plan, cells, kernel_secs);
    if (rc)
        return glider_errorf(err, rc, "thread-pool: a band task failed: %s",
                             glider_strerror(rc));
    return 0;
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
    struct backend_stat st[] = {
        {"threads", tp->nthreads, ""},
        {"generations", (double)tp->gens, ""},
        {"inline generations", (double)tp->inline_gens, ""},
        {"tasks run", (double)tp->tasks_run, ""},
        {"bands per generation", tp->last_bands, ""},
        {"time in fan-out", tp->fanout, "s"},
        {"time in fan-in", tp->fanin, "s"},
        {"time inline", tp->inline_secs, "s"},
        {"kernel ns per cell", tp->plan.sec_per_cell * 1e9, "ns"},
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
    .destroy = tp_destroy,
    .stats = tp_stats,
};
