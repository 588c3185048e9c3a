/* worker_queue.c - the worker-queue back-end: long-lived workers fed through
 * closable blocking queues.
 *
 * DESIGN: the pipeline of Effective Python item 58 with bounded queues.  create
 * starts N workers (-j, default the online CPUs); each first posts a "ready"
 * record on the out-queue (the start handshake), then loops: take a task
 * from the in-queue, compute it, put a completion on the out-queue, mark the
 * task done.  Each step the calling thread (the driver) fans the step's
 * tasks out into the in-queue and fans in by taking one completion per task
 * from the out-queue, then queue_join's the in-queue so no worker is still
 * inside a task when the step returns.  The driver never has more than
 * 'window' tasks outstanding (put but not yet completed), and both queues
 * hold 'window' records, so neither the driver nor a worker can block
 * forever on a full queue; memory is bounded whatever the task size.
 *
 * Tasks (--task-cells C):
 *   C = 0 (default): the band back-ends' plan (band_plan.h: bands worth a
 *     hand-off, sized to stay in L2; one band on the first step, which
 *     measures the kernel), computed with the active band kernel.  For one
 *     generation (sim_step) one task per band.  When the sim asks for
 *     several (sim_run), several generations per task (up to 64 by
 *     default, --gens-per-task) - as tiles
 *     (band_tiles.h: a shrink task per band, a grow task per edge between
 *     bands; no cell computed twice) or, on bands too thin for them, from a
 *     halo (band_gens.h) - and several such rounds per step, the rounds
 *     reading and writing 'cur' and 'next' alternately.  The driver is the
 *     scheduler: it puts every task that waits for nothing, and each other
 *     task (band_graph.h says which it waits for) as soon as the completion
 *     of the last of those comes back - so a worker goes on to the next
 *     round while a far band of this one is still being computed.
 *   C >= width: bands of C / width whole rows, always one generation per
 *     task (the size is the user's, not the plan's).
 *   1 <= C < width: C consecutive cells in row-major order, computed one by
 *     one with the per-cell rule (C = 1 is the textbook version).  The driver
 *     clears 'next' first; a worker collects its cells of one 64-bit word in
 *     a local scratch word and publishes it with an atomic OR, because two
 *     tasks may share a word.
 * Who reads and writes what: a task reads its round's input grid and writes
 * only its own rows of the output grid (and, a shrink tile, its band's
 * edges); the graph orders every task after the tasks that wrote what it
 * reads and after the tasks that read what it overwrites.  'cur' is written
 * only by the rounds after the first, of a multi-round step (sim_advance),
 * which cannot fail once its first task is out.  The generation context
 * (grids, graph, rule, kernel) is written by the driver before the first
 * put and is read-only for workers; the queue's mutex orders the two, and
 * orders each task's writes before the completion the driver acts on.
 *
 * Cancel: with tasks of the user's sizes (a generation of --task-cells 1
 * takes seconds on a large universe) the driver looks at the sim's cancel
 * flag before each put; once it is set it puts no more, collects what is
 * out, and the step fails with GLIDER_EINTR ('cur' is only read by such a
 * step).  A planned step is never cut short: its later rounds write 'cur',
 * and band_plan keeps each step to about a tenth of a second.
 *
 * Stop: destroy closes the in-queue; each worker's get then returns
 * QUEUE_CLOSED and the worker returns; the driver joins every worker.  No
 * thread ever spins: all waiting is on the queues' condition variables.
 *
 * Memory: the state owns both queues, the thread handles, one band scratch
 * per worker (reserved by the driver before the step's first put, then used
 * only by that worker), one band_edges per band (written by that band's
 * shrink task, read by the two grow tasks next to it) and the schedule;
 * 'cur' and 'next' are borrowed from the sim for one step. */
#include "backend_impl.h"

#include <stdint.h>
#include <stdlib.h>

#include "../band_gens.h"
#include "../band_tiles.h"
#include "band_graph.h"
#include "band_plan.h"
#include "queue.h"

#define WQ_WINDOW_PER_WORKER 16  /* queue slots per worker */
#define WQ_WINDOW_MIN 16
#define WQ_WINDOW_MAX 4096

enum wq_kind {
    WQ_PLANNED, /* task 'id' of the step's band_graph (the default size) */
    WQ_ROWS,    /* one generation of rows [first, first + count) */
    WQ_CELLS    /* one generation of cells [first, first + count) */
};

struct wq_task {
    int64_t id;        /* the task's number in the step */
    int64_t first;     /* WQ_ROWS: first row; WQ_CELLS: first cell index */
    int64_t count;     /* rows or cells */
    enum wq_kind kind;
};

struct wq_done {
    int64_t id;     /* the task's id; -1 for the start-up "ready" record */
    double seconds; /* time the worker spent computing it */
};

struct worker_queue;

/* One worker's own memory: its band scratch is reserved by the driver
 * between steps (before the first put; the queue's mutex orders the two)
 * and used only by this worker during a step. */
struct wq_worker {
    struct worker_queue *w;
    struct band_scratch scratch;
};

struct worker_queue {
    int nworkers;        /* workers started */
    pthread_t *threads;  /* their handles */
    struct wq_worker *workers; /* one per thread slot */
    int nworkers_max;    /* slots in 'workers' */
    struct queue *in;    /* tasks, driver -> workers */
    struct queue *out;   /* completions, workers -> driver */
    int window;          /* most tasks outstanding; capacity of both queues */
    int task_cells;      /* the option; 0 = default */
    const atomic_int *cancel; /* the sim's, or NULL; driver only */
    struct band_plan plan; /* default task size: bands the work is worth */
    /* Generation context: written by the driver before the first put of a
     * step, read-only for workers until the step's fan-in is over.  Round 0
     * reads 'cur' and writes 'next'; odd rounds read 'next' and write
     * 'spare', even ones the reverse. */
    struct band_grids grids;
    struct band_graph graph; /* the planned tasks (band_graph.h) */
    const struct rule *rule;
    kernel_band_fn band;
    int gens_per_task;    /* generations each band task computes */
    struct band_edges *edges; /* one per band, for tiles: written by the
                                 band's shrink task, read by the grows next
                                 to it (the graph orders them) */
    int nedges;
    /* Statistics, driver only. */
    long gens;            /* generations computed */
    int last_gens;        /* generations per task in the last step */
    int64_t tasks;        /* tasks completed */
    int64_t last_ntasks;  /* planned steps: bands of a round; else tasks */
    int64_t last_size;    /* cells per task in the last step */
    int last_rounds;      /* rounds in the last step */
    int last_tiles;       /* the last step ran tiles */
    double fanout;        /* seconds putting tasks */
    double fanin;         /* seconds waiting for completions and the join */
    /* The driver's schedule of a planned step: for each task, how many of
     * the tasks it waits for are not done yet; and the tasks that became
     * ready, in order.  Grown between steps. */
    int *deps_left;
    int64_t *ready;
    int64_t sched_cap;
};

/* Computes cells [first, first + count) in row-major order, publishing each
 * word's bits with one atomic OR. */
static void wq_run_cells(const struct worker_queue *w, int64_t first,
                         int64_t count)
{
    const struct grid *cur = w->grids.cur;
    struct grid *next = w->grids.next;
    int width = cur->width;
    int x = (int)(first % width), y = (int)(first / width);
    int wy = y, wx = x >> 6; /* the word 'acc' belongs to */
    uint64_t acc = 0;
    for (int64_t i = 0; i < count; i++) {
        if (y != wy || (x >> 6) != wx) {
            if (acc)
                __atomic_fetch_or(&grid_row(next, wy)[wx], acc,
                                  __ATOMIC_RELAXED);
            acc = 0;
            wy = y;
            wx = x >> 6;
        }
        int n = grid_count_neighbours(cur, x, y);
        if (rule_next(w->rule, grid_get(cur, x, y), n))
            acc |= (uint64_t)1 << (x & 63);
        if (++x == width) {
            x = 0;
            y++;
        }
    }
    if (acc)
        __atomic_fetch_or(&grid_row(next, wy)[wx], acc, __ATOMIC_RELAXED);
}

static void *wq_worker(void *arg)
{
    struct wq_worker *self = arg;
    struct worker_queue *w = self->w;
    struct wq_done d = {-1, 0};
    if (queue_put(w->out, &d) != 0)
        return NULL; /* closed during a failed create */
    struct wq_task t;
    while (queue_get(w->in, &t) == 0) {
        double t0 = backend_now();
        d.id = t.id;
        if (t.kind == WQ_PLANNED) {
            struct band_task bt = band_graph_task(&w->graph, t.id);
            band_task_run(&bt, &w->grids, w->band, w->rule, w->gens_per_task,
                          w->edges, &self->scratch);
        } else if (t.kind == WQ_ROWS) {
            band_gens(w->band, w->grids.cur, w->grids.next, w->rule,
                      (int)t.first, (int)(t.first + t.count), 1, &self->scratch);
        } else {
            wq_run_cells(w, t.first, t.count);
        }
        d.seconds = backend_now() - t0;
        queue_put(w->out, &d);
        queue_task_done(w->in);
    }
    return NULL;
}

/* Closes both queues and joins the first 'n' workers. */
static void wq_stop(struct worker_queue *w, int n)
{
    queue_close(w->in);
    queue_close(w->out);
    for (int i = 0; i < n; i++)
        pthread_join(w->threads[i], NULL);
}

static void wq_free(struct worker_queue *w)
{
    queue_destroy(w->in);
    queue_destroy(w->out);
    if (w->workers)
        for (int i = 0; i < w->nworkers_max; i++)
            band_scratch_free(&w->workers[i].scratch);
    free(w->workers);
    free(w->threads);
    free(w->deps_left);
    free(w->ready);
    band_edges_array_free(w->edges, w->nedges);
    free(w);
}

/* Room to schedule 'n' tasks of several rounds.  Between steps only. */
static int wq_reserve_sched(struct worker_queue *w, int64_t n,
                            struct glider_error *err)
{
    if (n <= w->sched_cap)
        return 0;
    int *d = sys_calloc((size_t)n, sizeof *d);
    int64_t *r = sys_calloc((size_t)n, sizeof *r);
    if (!d || !r) {
        free(d);
        free(r);
        return glider_errorf(err, GLIDER_ENOMEM, "worker-queue: out of memory "
                             "for %lld tasks; the universe is unchanged",
                             (long long)n);
    }
    free(w->deps_left);
    free(w->ready);
    w->deps_left = d;
    w->ready = r;
    w->sched_cap = n;
    return 0;
}

static int wq_create(void **state, const struct backend_opts *opts,
                     struct glider_error *err)
{
    int n = backend_threads(opts);
    if (n < 1 || n > BACKEND_MAX_THREADS)
        return glider_errorf(err, GLIDER_EINVAL,
                             "worker-queue: %d threads is out of range (1..%d)",
                             n, BACKEND_MAX_THREADS);
    int task_cells = opts ? opts->task_cells : 0;
    if (task_cells < 0)
        return glider_errorf(err, GLIDER_EINVAL,
                             "worker-queue: --task-cells %d must be positive",
                             task_cells);
    struct worker_queue *w = sys_calloc(1, sizeof *w);
    if (!w)
        return glider_errorf(err, GLIDER_ENOMEM, "worker-queue: out of memory");
    w->task_cells = task_cells;
    band_plan_init(&w->plan, opts ? opts->gens_per_task : 0, 1);
    w->window = n * WQ_WINDOW_PER_WORKER;
    if (w->window < WQ_WINDOW_MIN)
        w->window = WQ_WINDOW_MIN;
    if (w->window > WQ_WINDOW_MAX)
        w->window = WQ_WINDOW_MAX;
    int rc;
    w->threads = sys_calloc((size_t)n, sizeof *w->threads);
    w->workers = sys_calloc((size_t)n, sizeof *w->workers);
    w->nworkers_max = n;
    if (!w->threads || !w->workers) {
        rc = glider_errorf(err, GLIDER_ENOMEM, "worker-queue: out of memory");
        goto fail;
    }
    if ((rc = queue_create(&w->in, (size_t)w->window, sizeof(struct wq_task),
                           err)) ||
        (rc = queue_create(&w->out, (size_t)w->window, sizeof(struct wq_done),
                           err)))
        goto fail;
    int k = 0;
    for (; k < n; k++) {
        w->workers[k].w = w;
        if ((rc = sys_thread_create(&w->threads[k], 0, wq_worker,
                                    &w->workers[k])))
            break;
    }
    if (k < n) {
        wq_stop(w, k);
        wq_free(w);
        return glider_syserrorf(err, GLIDER_ETHREAD, rc,
                                "worker-queue: could not start worker %d of %d "
                                "(the %d started were stopped and joined)",
                                k + 1, n, k);
    }
    /* Handshake: one "ready" record per worker (window >= n, so no worker
     * blocks putting it). */
    for (int i = 0; i < n; i++) {
        struct wq_done d;
        queue_get(w->out, &d);
    }
    w->nworkers = n;
    *state = w;
    return 0;
fail:
    wq_free(w);
    return rc;
}

/* Takes one completion, counting the time as fan-in and the worker's
 * computing time into '*busy'; '*id' is the finished task's. */
static int wq_collect(struct worker_queue *w, double *busy, int64_t *id)
{
    struct wq_done d;
    double t0 = backend_now();
    int rc = queue_get(w->out, &d);
    w->fanin += backend_now() - t0;
    if (rc == 0) {
        w->tasks++;
        *busy += d.seconds;
        *id = d.id;
    }
    return rc;
}

/* Everything a planned step needs before the first put: the workers'
 * scratch, the tiles' edges, the schedule. */
static int wq_reserve(struct worker_queue *w, const struct grid *g,
                      const struct band_job *job, long ntasks,
                      struct glider_error *err)
{
    int rc = wq_reserve_sched(w, ntasks, err);
    if (rc)
        return rc;
    struct glider_error e = {0};
    int rows = band_job_scratch_rows(job, g->height);
    for (int i = 0; i < w->nworkers && rc == 0 && rows > 0; i++)
        rc = band_scratch_reserve(&w->workers[i].scratch, g->stride, rows, &e);
    if (rc == 0 && job->tiles)
        rc = band_edges_array_reserve(&w->edges, &w->nedges, job->nbands,
                                      g->stride, job->gens, &e);
    return rc ? glider_errorf(err, rc, "worker-queue: %s; the universe is "
                                       "unchanged", e.msg)
              : 0;
}

/* Task 'i' (WQ_ROWS: of 'size' rows; WQ_CELLS: of 'size' cells). */
static struct wq_task wq_make_task(int64_t i, int64_t size, enum wq_kind kind,
                                   int64_t height, int64_t cells)
{
    struct wq_task t = {i, 0, 0, kind};
    if (kind == WQ_CELLS) {
        t.first = i * size;
        t.count = cells - t.first < size ? cells - t.first : size;
    } else if (kind == WQ_ROWS) {
        t.first = i * size;
        t.count = height - t.first < size ? height - t.first : size;
    }
    return t;
}

/* Whether a step of the user's task sizes must stop. */
static int wq_cancelled(const struct worker_queue *w)
{
    return backend_cancelled(w->cancel);
}

/* Up to 'max_gens' generations of 'cur' into 'next'; several rounds only
 * when 'spare' (the grid the odd rounds write) is given. */
static int wq_advance(struct worker_queue *w, const struct grid *cur,
                      struct grid *next, struct grid *spare,
                      const struct rule *rule, int max_gens, int *gens_done,
                      struct glider_error *err)
{
    int64_t width = cur->width, height = cur->height, cells = width * height;
    int64_t ntasks, size = 0; /* tasks, and rows or cells per task */
    enum wq_kind kind = WQ_PLANNED;
    int gens = 1, rounds = 1, tiles = 0;
    if (w->task_cells == 0) {
        struct band_job job = band_plan_job(&w->plan, cur->width, cur->height,
                                            cur->stride * sizeof(uint64_t),
                                            w->nworkers, max_gens, 0);
        if (spare)
            rounds = band_plan_rounds(&w->plan, &job, cur->width, cur->height,
                                      max_gens);
        band_graph_init(&w->graph, cur->height, job.nbands, rounds,
                        cur->topo == TOPO_TORUS, job.tiles);
        ntasks = band_graph_tasks(&w->graph);
        gens = job.gens;
        tiles = job.tiles;
        int rc = wq_reserve(w, cur, &job, ntasks, err);
        if (rc)
            return rc;
        w->last_ntasks = job.nbands;
    } else if (w->task_cells >= width) {
        kind = WQ_ROWS;
        size = w->task_cells / width;
        ntasks = (height + size - 1) / size;
        w->last_ntasks = ntasks;
    } else {
        kind = WQ_CELLS;
        size = w->task_cells;
        ntasks = (cells + size - 1) / size;
        w->last_ntasks = ntasks;
        grid_clear(next);
    }
    w->grids = (struct band_grids){cur, next, spare};
    w->rule = rule;
    w->band = kernel_active()->band;
    w->gens_per_task = gens;
    w->last_rounds = rounds;
    w->last_tiles = tiles;
    w->last_size = kind == WQ_CELLS ? size
                                    : (cells + w->last_ntasks - 1) / w->last_ntasks;

    /* Tasks go out in order as long as they are ready: every task of the
     * user's sizes, and of a planned step the ones that wait for nothing;
     * a planned task that waits (band_graph_waits) goes out as soon as the
     * last of those is done, so the workers need not wait for the slowest
     * band of a round, nor for the driver between rounds. */
    int planned = kind == WQ_PLANNED;
    int64_t next_id = 0, rhead = 0, rtail = 0, outstanding = 0;
    if (planned)
        for (int64_t id = 0; id < ntasks; id++) {
            long waits[3];
            w->deps_left[id] = band_graph_waits(&w->graph, id, waits);
            if (w->deps_left[id] == 0)
                w->ready[rtail++] = id;
        }
    double busy = 0; /* workers' computing time */
    int rc = 0, cancelled = 0;
    for (;;) {
        while (outstanding < w->window && rc == 0) {
            struct wq_task t;
            if (planned && rhead < rtail)
                t = (struct wq_task){w->ready[rhead++], 0, 0, WQ_PLANNED};
            else if (!planned && next_id < ntasks && !cancelled &&
                     !(cancelled = wq_cancelled(w)))
                t = wq_make_task(next_id++, size, kind, height, cells);
            else
                break;
            double t0 = backend_now();
            rc = queue_put(w->in, &t);
            w->fanout += backend_now() - t0;
            if (rc == 0)
                outstanding++;
        }
        if (outstanding == 0 || rc)
            break;
        int64_t id;
        if ((rc = wq_collect(w, &busy, &id)))
            break;
        outstanding--;
        if (planned) {
            long waiters[3];
            int n = band_graph_waiters(&w->graph, id, waiters);
            for (int k = 0; k < n; k++)
                if (--w->deps_left[waiters[k]] == 0)
                    w->ready[rtail++] = waiters[k];
        }
    }
    /* Every task put is marked done only after its completion was posted,
     * so this returns once no worker is inside a task of this step. */
    double t0 = backend_now();
    queue_join(w->in);
    w->fanin += backend_now() - t0;
    if (rc)
        /* Only a closed queue gets here, which destroy alone does. */
        return glider_errorf(err, GLIDER_EINVAL,
                             "worker-queue: the task queues are closed");
    if (cancelled)
        return glider_errorf(err, GLIDER_EINTR,
                             "worker-queue: interrupted after %lld of %lld "
                             "tasks; the universe is unchanged",
                             (long long)next_id, (long long)ntasks);
    if (planned)
        band_plan_measured(&w->plan, (double)cells * gens * rounds, busy);
    w->gens += (long)gens * rounds;
    w->last_gens = gens;
    *gens_done = gens * rounds;
    return 0;
}

static int wq_step_gens(void *state, struct grid *cur, struct grid *next,
                        const struct rule *rule, int max_gens, int *gens_done,
                        struct glider_error *err)
{
    return wq_advance(state, cur, next, cur, rule, max_gens, gens_done, err);
}

static int wq_step(void *state, const struct grid *cur, struct grid *next,
                   const struct rule *rule, struct glider_error *err)
{
    int done;
    return wq_advance(state, cur, next, NULL, rule, 1, &done, err);
}

static void wq_set_cancel(void *state, const atomic_int *cancel)
{
    ((struct worker_queue *)state)->cancel = cancel;
}

static void wq_destroy(void *state)
{
    struct worker_queue *w = state;
    if (!w)
        return;
    wq_stop(w, w->nworkers);
    wq_free(w);
}

static int wq_stats(void *state, struct backend_stat *out, int max)
{
    struct worker_queue *w = state;
    struct backend_stat st[] = {
        {"workers", w->nworkers, ""},
        {"generations", (double)w->gens, ""},
        {"tasks run", (double)w->tasks, ""},
        {"tasks per step", (double)w->last_ntasks, ""},
        {"generations per task", w->last_gens, ""},
        {"rounds per step", w->last_rounds, ""},
        {"tiles", w->last_tiles, ""},
        {"cells per task", (double)w->last_size, ""},
        {"queue capacity", w->window, ""},
        {"time in fan-out", w->fanout, "s"},
        {"time in fan-in", w->fanin, "s"},
    };
    int n = 0;
    for (; n < max && n < (int)(sizeof st / sizeof st[0]); n++)
        out[n] = st[n];
    return n;
}

const struct backend_ops backend_worker_queue = {
    .name = "worker-queue",
    .summary = "N workers fed by closable blocking queues; --task-cells from "
               "1 cell to bands",
    .create = wq_create,
    .step = wq_step,
    .step_gens = wq_step_gens,
    .destroy = wq_destroy,
    .stats = wq_stats,
    .set_cancel = wq_set_cancel,
};
