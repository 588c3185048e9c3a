/* coroutine.c - the coroutine back-end: every cell a stackless coroutine.
 *
 * DESIGN
 * Model: each cell's update is a step_cell coroutine (coro.h): it yields
 * Query(y, x) for itself and, through its count_neighbors sub-coroutine, for
 * its eight neighbours, receives each answer, then yields Transition(y, x,
 * state).  The driver, live_a_generation, keeps up to 'nslots' coroutines in
 * flight and resumes them round-robin, once each per round: it answers a
 * query from 'cur' (the answer is sent at that coroutine's next resume),
 * applies a transition to 'next', and refills a finished slot with the next
 * cell.  The generation ends at the tick: no cell left to start and no
 * coroutine left in flight.  Every resume's status is checked; CORO_ERROR
 * fails the step.
 *
 * M:N: with opts->threads = N > 1 there are N schedulers, each owning a share
 * of the rows and its own slots (opts->coroutines split between them).  The
 * calling thread is scheduler 0; N - 1 helper threads, started on create, are
 * the others.  One step: the caller publishes the generation under 'mu' and
 * broadcasts 'go'; every scheduler runs its share; helpers decrement
 * 'pending' and the last one signals 'done'; the caller waits for
 * pending == 0.  Destroy sets 'quit', broadcasts and joins every helper.
 *
 * Cancel: a generation of a large universe takes seconds (about 1 s at
 * 2048x2048 here), so each scheduler looks at the sim's cancel flag whenever
 * it starts a new row; once it is set it starts no more cells, lets the ones
 * in flight finish, and the step fails with GLIDER_EINTR ('cur' is only
 * read).  The flag pointer is written between steps and read during them,
 * after the 'mu' that publishes the step.
 *
 * Memory: the sim owns 'cur' and 'next'.  Every scheduler reads any cell of
 * 'cur' and writes only the rows of 'next' in its share (clearing them first,
 * then setting live cells): shares are whole rows, so no two threads write one
 * word, and plain stores suffice.  Slots and answers belong to their
 * scheduler; the struct coroutine_be and the schedulers' arrays belong to the
 * back-end and are freed on destroy. */
#include "backend_impl.h"
#include "coro.h"

#include <stdlib.h>
#include <string.h>

#define CORO_DEFAULT_IN_FLIGHT 4096

struct coroutine_be;

struct coro_sched {
    struct coroutine_be *be;
    int index;               /* 0 = the calling thread */
    int nslots;              /* coroutines it keeps in flight */
    struct coro_cell *slots; /* its coroutines; [0, live) are in flight */
    uint8_t *answer;         /* per slot: sent at the next resume */
    pthread_t thread;        /* helpers only */
    /* Written by this scheduler during a step, read by the caller after the
     * fan-in ('mu' orders the two). */
    uint64_t resumes;        /* since create */
    int rc;                  /* of the last generation */
    int cancelled;           /* the last generation stopped early */
    struct coro_yield bad;   /* the cell that failed, when rc != 0 */
};

struct coroutine_be {
    int nsched;                /* schedulers, 1..BACKEND_MAX_THREADS */
    int in_flight;             /* coroutines in flight, all schedulers */
    struct coro_sched *sched;  /* nsched entries */
    int started;               /* helper threads running */
    pthread_mutex_t mu;        /* guards the five fields below */
    pthread_cond_t go;         /* epoch changed or quit: helpers wake */
    pthread_cond_t done;       /* pending reached 0: the caller wakes */
    uint64_t epoch;            /* generations published (mu) */
    int pending;               /* helpers still working on it (mu) */
    int quit;                  /* helpers must return (mu) */
    const struct grid *cur;    /* the generation's grids and rule (mu) */
    struct grid *next;
    struct rule rule;
    const atomic_int *cancel;  /* the sim's, or NULL (see Cancel) */
    /* statistics (caller's thread only) */
    uint64_t steps;
    double seconds, cells;
};

/* ---- the driver --------------------------------------------------------- */

/* The state of cell (y, x), following the topology: Grid.query. */
static inline int query(const struct grid *g, int y, int x)
{
    if ((unsigned)x < (unsigned)g->width && (unsigned)y < (unsigned)g->height)
        return grid_get(g, x, y);
    return grid_get_wrapped(g, x, y);
}

/* Whether the scheduler must start no more cells. */
static int sched_cancelled(const struct coro_sched *s)
{
    return backend_cancelled(s->be->cancel);
}

/* Moves (y, x) to the next cell in row-major order.  At the start of each
 * row it looks at the cancel flag: once that is set there is no next cell
 * (y = y1) and the generation is marked cancelled. */
static void next_cell(struct coro_sched *s, int w, int y1, int *y, int *x)
{
    if (++*x < w)
        return;
    *x = 0;
    if (++*y < y1 && sched_cancelled(s)) {
        s->cancelled = 1;
        *y = y1;
    }
}

/* live_a_generation over rows [y0, y1): interleaves up to s->nslots
 * coroutines round-robin until the tick.  0, or -1 with s->bad set. */
static int live_a_generation(struct coro_sched *s, const struct grid *cur,
                             struct grid *next, const struct rule *rule,
                             int y0, int y1)
{
    int w = cur->width, y = y0, x = 0, live = 0;
    uint64_t resumes = 0;
    for (int r = y0; r < y1; r++)
        memset(grid_row(next, r), 0, next->stride * sizeof(uint64_t));
    if (sched_cancelled(s)) {
        s->cancelled = 1;
        y = y1;
    }
    /* Fill the slots with the first cells. */
    while (live < s->nslots && y < y1) {
        coro_cell_init(&s->slots[live], y, x);
        s->answer[live++] = 0;
        next_cell(s, w, y1, &y, &x);
    }
    while (live > 0) {
        /* One round: resume each coroutine in flight once. */
        int i = 0;
        while (i < live) {
            struct coro_yield out;
            enum coro_status st =
                coro_cell_resume(&s->slots[i], s->answer[i], rule, &out);
            resumes++;
            switch (st) {
            case CORO_QUERY:
                s->answer[i] = (uint8_t)query(cur, out.y, out.x);
                i++;
                break;
            case CORO_TRANSITION:
                if (out.state)
                    grid_set(next, out.x, out.y, 1);
                i++;
                break;
            case CORO_DONE:
                if (y < y1) { /* refill the slot with the next cell */
                    coro_cell_init(&s->slots[i], y, x);
                    s->answer[i] = 0;
                    next_cell(s, w, y1, &y, &x);
                    i++;
                } else { /* no cell left: the last in flight moves here */
                    live--;
                    s->slots[i] = s->slots[live];
                    s->answer[i] = s->answer[live];
                }
                break;
            default:
                s->bad = (struct coro_yield){s->slots[i].y, s->slots[i].x,
                                             s->slots[i].pc};
                s->resumes += resumes;
                return -1;
            }
        }
    }
    /* The tick: every cell of the share has made its transition. */
    s->resumes += resumes;
    return 0;
}

static void share_rows(const struct coroutine_be *be, int i, int height,
                       int *y0, int *y1)
{
    int n = be->nsched < height ? be->nsched : height;
    if (i >= n) {
        *y0 = *y1 = 0;
        return;
    }
    backend_band(height, n, i, y0, y1);
}

static void run_share(struct coro_sched *s, const struct grid *cur,
                      struct grid *next, const struct rule *rule)
{
    int y0, y1;
    share_rows(s->be, s->index, cur->height, &y0, &y1);
    s->cancelled = 0;
    s->rc = y0 < y1 ? live_a_generation(s, cur, next, rule, y0, y1) : 0;
}

/* A helper scheduler: waits for each new epoch, runs its share, reports. */
static void *sched_main(void *arg)
{
    struct coro_sched *s = arg;
    struct coroutine_be *be = s->be;
    uint64_t seen = 0;
    pthread_mutex_lock(&be->mu);
    for (;;) {
        while (be->epoch == seen && !be->quit)
            pthread_cond_wait(&be->go, &be->mu);
        if (be->quit)
            break;
        seen = be->epoch;
        const struct grid *cur = be->cur;
        struct grid *next = be->next;
        struct rule rule = be->rule;
        pthread_mutex_unlock(&be->mu);
        run_share(s, cur, next, &rule);
        pthread_mutex_lock(&be->mu);
        if (--be->pending == 0)
            pthread_cond_signal(&be->done);
    }
    pthread_mutex_unlock(&be->mu);
    return NULL;
}

/* ---- the back-end interface -------------------------------------------- */

static void stop_helpers(struct coroutine_be *be)
{
    pthread_mutex_lock(&be->mu);
    be->quit = 1;
    pthread_cond_broadcast(&be->go);
    pthread_mutex_unlock(&be->mu);
    for (int i = 1; i <= be->started; i++)
        pthread_join(be->sched[i].thread, NULL);
    be->started = 0;
}

static void co_free(struct coroutine_be *be)
{
    if (be->sched)
        for (int i = 0; i < be->nsched; i++) {
            free(be->sched[i].slots);
            free(be->sched[i].answer);
        }
    free(be->sched);
    pthread_cond_destroy(&be->go);
    pthread_cond_destroy(&be->done);
    pthread_mutex_destroy(&be->mu);
    free(be);
}

static void co_destroy(void *state)
{
    struct coroutine_be *be = state;
    if (!be)
        return;
    stop_helpers(be);
    co_free(be);
}

static int co_create(void **state, const struct backend_opts *opts,
                     struct glider_error *err)
{
    int n = opts && opts->threads > 0 ? opts->threads : 1;
    int total = opts && opts->coroutines > 0 ? opts->coroutines
                                             : CORO_DEFAULT_IN_FLIGHT;
    if (n > BACKEND_MAX_THREADS)
        return glider_errorf(err, GLIDER_EINVAL,
                             "coroutine: %d scheduler threads requested, "
                             "expected 1..%d",
                             n, BACKEND_MAX_THREADS);
    struct coroutine_be *be = sys_calloc(1, sizeof *be);
    if (!be)
        return glider_errorf(err, GLIDER_ENOMEM, "coroutine: out of memory");
    int rc = pthread_mutex_init(&be->mu, NULL);
    if (rc == 0 && (rc = pthread_cond_init(&be->go, NULL)) != 0)
        pthread_mutex_destroy(&be->mu);
    if (rc == 0 && (rc = pthread_cond_init(&be->done, NULL)) != 0) {
        pthread_cond_destroy(&be->go);
        pthread_mutex_destroy(&be->mu);
    }
    if (rc) {
        free(be);
        return glider_syserrorf(err, GLIDER_ETHREAD, rc,
                                "coroutine: setting up its lock");
    }
    be->nsched = n;
    be->sched = sys_calloc((size_t)n, sizeof *be->sched);
    if (!be->sched)
        goto nomem;
    int per = total / n > 0 ? total / n : 1;
    be->in_flight = per * n;
    for (int i = 0; i < n; i++) {
        struct coro_sched *s = &be->sched[i];
        s->be = be;
        s->index = i;
        s->nslots = per;
        s->slots = sys_malloc((size_t)per * sizeof *s->slots);
        s->answer = sys_malloc((size_t)per);
        if (!s->slots || !s->answer)
            goto nomem;
    }
    for (int i = 1; i < n; i++) {
        rc = sys_thread_create(&be->sched[i].thread, 0, sched_main,
                               &be->sched[i]);
        if (rc) {
            stop_helpers(be);
            co_free(be);
            return glider_syserrorf(err, GLIDER_ETHREAD, rc,
                                    "coroutine: could not start scheduler "
                                    "thread %d of %d (the %d started were "
                                    "stopped and joined)",
                                    i + 1, n, i - 1);
        }
        be->started = i;
    }
    *state = be;
    return 0;
nomem:
    co_free(be);
    return glider_errorf(err, GLIDER_ENOMEM,
                         "coroutine: out of memory for %d coroutines", total);
}

static int co_step(void *state, const struct grid *cur, struct grid *next,
                   const struct rule *rule, struct glider_error *err)
{
    struct coroutine_be *be = state;
    double t0 = backend_now();
    if (be->nsched > 1) {
        pthread_mutex_lock(&be->mu);
        be->cur = cur;
        be->next = next;
        be->rule = *rule;
        be->pending = be->nsched - 1;
        be->epoch++;
        pthread_cond_broadcast(&be->go);
        pthread_mutex_unlock(&be->mu);
    }
    run_share(&be->sched[0], cur, next, rule);
    if (be->nsched > 1) {
        pthread_mutex_lock(&be->mu);
        while (be->pending > 0)
            pthread_cond_wait(&be->done, &be->mu);
        pthread_mutex_unlock(&be->mu);
    }
    be->seconds += backend_now() - t0;
    for (int i = 0; i < be->nsched; i++) {
        const struct coro_sched *s = &be->sched[i];
        if (s->rc)
            return glider_errorf(err, GLIDER_EINVAL,
                                 "coroutine: the coroutine of cell (%d, %d) "
                                 "returned an error at resume point %d; the "
                                 "current generation is unchanged",
                                 s->bad.x, s->bad.y, s->bad.state);
    }
    for (int i = 0; i < be->nsched; i++)
        if (be->sched[i].cancelled)
            return glider_errorf(err, GLIDER_EINTR,
                                 "coroutine: interrupted; the universe is "
                                 "unchanged");
    be->steps++;
    be->cells += (double)cur->width * (double)cur->height;
    return 0;
}

static void co_set_cancel(void *state, const atomic_int *cancel)
{
    ((struct coroutine_be *)state)->cancel = cancel;
}

static int co_stats(void *state, struct backend_stat *out, int max)
{
    struct coroutine_be *be = state;
    uint64_t resumes = 0;
    for (int i = 0; i < be->nsched; i++)
        resumes += be->sched[i].resumes;
    double secs = be->seconds;
    struct backend_stat st[] = {
        {"generations", (double)be->steps, ""},
        {"scheduler threads", (double)be->nsched, ""},
        {"coroutines in flight", (double)be->in_flight, ""},
        {"bytes per coroutine", (double)sizeof(struct coro_cell), "B"},
        {"resumes", (double)resumes, ""},
        {"resumes/s", secs > 0 ? (double)resumes / secs : 0, ""},
        {"cell updates/s", secs > 0 ? be->cells / secs : 0, ""},
        {"time stepping", secs, "s"},
    };
    int n = 0;
    for (; n < max && n < (int)(sizeof st / sizeof st[0]); n++)
        out[n] = st[n];
    return n;
}

const struct backend_ops backend_coroutine = {
    .name = "coroutine",
    .summary = "every cell a 12-byte stackless coroutine yielding Query and "
               "Transition, interleaved round-robin",
    .create = co_create,
    .step = co_step,
    .destroy = co_destroy,
    .stats = co_stats,
    .set_cancel = co_set_cancel,
    .flags = BACKEND_CELL_GRANULAR,
};
