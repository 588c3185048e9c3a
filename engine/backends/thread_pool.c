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
 * two.  Universes too small to be worth splitting (fewer than 4 grains of
 * cells, see below) are computed inline on the driver, so a 64x64 universe is
 * not slower than sequential.  destroy stops the pool: the workers finish
 * what is queued (nothing, between steps) and are joined.  A step cannot
 * fail once the pool runs; 'cur' is never written.
 *
 * Memory: the state owns the pool, the futures and the task records (sized
 * at create for the most bands a step can use); 'cur' and 'next' are
 * borrowed from the sim for one step. */
#include "backend_impl.h"

#include <stdlib.h>

#include "pool.h"

#define TP_BANDS_PER_THREAD 4   /* bands per worker: slack for a busy machine */
#define TP_DEFAULT_GRAIN 16384  /* fewest cells per band */
#define TP_INLINE_GRAINS 4      /* fewer cells than this many grains: inline */

struct tp_task {
    struct thread_pool *tp; /* generation context */
    int y0, y1;             /* rows of 'next' this task writes */
};

struct thread_pool {
    struct pool *pool;            /* the workers */
    int nthreads;                 /* workers in 'pool' */
    int max_bands;                /* entries in 'futures' and 'tasks' */
    long grain;                   /* fewest cells per band */
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
    tp->band(tp->cur, tp->next, tp->rule, t->y0, t->y1);
    return 0;
}

/* The minimum cells per band: GLIDER_THREAD_POOL_GRAIN when set to a positive
 * number (tests set 1 to exercise splitting on tiny universes), else the
 * default. */
static long tp_grain(void)
{
    const char *s = getenv("GLIDER_THREAD_POOL_GRAIN");
    if (s && *s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (*end == '\0' && v >= 1)
            return v;
    }
    return TP_DEFAULT_GRAIN;
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
    tp->grain = tp_grain();
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

/* Bands for a universe: as many as the workers can use with some slack, no
 * more than the rows, and none smaller than a grain.  Below 2 bands (or 4
 * grains of cells) the step runs inline. */
static int tp_bands(const struct thread_pool *tp, const struct grid *g)
{
    long cells = (long)g->width * g->height;
    if (cells < TP_INLINE_GRAINS * tp->grain)
        return 1;
    long n = tp->max_bands;
    if (n > g->height)
        n = g->height;
    if (n > cells / tp->grain)
        n = cells / tp->grain;
    return n < 1 ? 1 : (int)n;
}

static int tp_step(void *state, const struct grid *cur, struct grid *next,
                   const struct rule *rule, struct glider_error *err)
{
    struct thread_pool *tp = state;
    kernel_band_fn band = kernel_active()->band;
    int nbands = tp_bands(tp, cur);
    tp->gens++;
    tp->last_bands = nbands;
    if (nbands < 2) {
        double t0 = backend_now();
        band(cur, next, rule, 0, cur->height);
        tp->inline_secs += backend_now() - t0;
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
