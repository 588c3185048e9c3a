/* thread_per_cell.c - the thread-per-cell back-end: a new thread for every
 * cell of every generation.
 *
 * DESIGN: the textbook fan-out/fan-in (Effective Python item 57).  Each step
 * the calling thread (the driver) clears 'next', then starts one thread per
 * cell in row-major order (fan-out) and joins them in the order they were
 * started (fan-in).  A cell thread reads 'cur' (its cell and eight
 * neighbours, by the per-cell rule) and, when the cell is alive in the next
 * generation, sets its bit in 'next' with an atomic OR, because the 64 cells
 * of a word belong to 64 different threads.  Nobody writes 'cur'.
 *
 * At most 'max_live' threads (--max-live-threads, default 256) are alive at
 * once: the slots form a ring, and before starting a thread in a full ring
 * the driver joins the oldest one.  Every cell still gets a thread of its
 * own; only the number alive at once is bounded, far below pid_max (32768)
 * and RLIMIT_NPROC.  Threads get small stacks (64 KiB).  When the OS refuses a
 * thread (EAGAIN) the driver joins every live thread and tries once more; if
 * that fails too the step fails with the reason, after every started thread
 * has been joined.  'cur' is never written, so a failed step leaves it as it
 * was.  Between steps no thread of this back-end exists: destroy only frees.
 *
 * A generation of a large universe takes seconds (about 17 s at 1024x1024
 * here), so the driver looks at the sim's cancel flag before each row: when
 * it is set it starts no more threads, joins the live ones and fails with
 * GLIDER_EINTR.  Signals are blocked during the fan-out (one mask change,
 * not two per thread), so before each row it also lets a pending signal's
 * handler run (sys_signals_poll): Ctrl-C sets the flag it then sees.
 *
 * Memory: the state owns the ring of slots (thread handle and cell per live
 * thread); a cell thread reads only its slot, which the driver filled before
 * starting it and reuses only after joining it.  'cur' and 'next' are
 * borrowed from the sim for one step. */
#include "backend_impl.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#define TPC_DEFAULT_MAX_LIVE 256
#define TPC_MAX_LIVE_LIMIT 30000 /* below pid_max (32768) */
#define TPC_STACK (64 * 1024)

struct tpc;

struct tpc_slot {
    pthread_t thread;   /* the cell's thread while it is live */
    const struct tpc *t; /* generation context */
    int x, y;           /* the cell it computes */
};

struct tpc {
    int max_live;           /* ring size: threads alive at once */
    size_t stack;           /* stack size per cell thread */
    struct tpc_slot *slots; /* the ring, max_live entries */
    /* Generation context: written by the driver before the first thread of a
     * step starts; read-only for cell threads. */
    const struct grid *cur;
    struct grid *next;
    const struct rule *rule;
    const atomic_int *cancel; /* the sim's, or NULL; driver only */
    /* Statistics, driver only. */
    long gens;           /* generations computed */
    long long starts;    /* threads started */
    long retries;        /* starts retried after EAGAIN */
    long failures;       /* steps that failed */
    double fanout;       /* seconds inside thread creation */
    double fanin;        /* seconds inside joins */
    double seconds;      /* seconds in successful steps */
    long long cells;     /* cells computed by successful steps */
};

/* A cell thread: one cell of 'next' from its neighbourhood in 'cur'. */
static void *tpc_cell(void *arg)
{
    const struct tpc_slot *s = arg;
    const struct tpc *t = s->t;
    int n = grid_count_neighbours(t->cur, s->x, s->y);
    if (rule_next(t->rule, grid_get(t->cur, s->x, s->y), n))
        grid_set_atomic(t->next, s->x, s->y);
    return NULL;
}

static size_t tpc_stack_size(void)
{
    long min = sysconf(_SC_THREAD_STACK_MIN);
    if (min < PTHREAD_STACK_MIN)
        min = PTHREAD_STACK_MIN;
    return (size_t)min > TPC_STACK ? (size_t)min : TPC_STACK;
}

static int tpc_create(void **state, const struct backend_opts *opts,
                      struct glider_error *err)
{
    int max_live = opts && opts->max_live_threads > 0 ? opts->max_live_threads
                                                      : TPC_DEFAULT_MAX_LIVE;
    if (max_live > TPC_MAX_LIVE_LIMIT)
        return glider_errorf(err, GLIDER_EINVAL,
                             "thread-per-cell: --max-live-threads %d is out "
                             "of range (1..%d)",
                             max_live, TPC_MAX_LIVE_LIMIT);
    struct tpc *t = sys_calloc(1, sizeof *t);
    if (!t)
        return glider_errorf(err, GLIDER_ENOMEM,
                             "thread-per-cell: out of memory");
    t->slots = sys_calloc((size_t)max_live, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return glider_errorf(err, GLIDER_ENOMEM,
                             "thread-per-cell: out of memory for %d thread "
                             "slots",
                             max_live);
    }
    t->max_live = max_live;
    t->stack = tpc_stack_size();
    *state = t;
    return 0;
}

/* The ring: 'live' threads started and not joined, the oldest in slot
 * 'head'. */
struct tpc_ring {
    int head, live;
};

static void tpc_join_oldest(struct tpc *t, struct tpc_ring *r)
{
    double t0 = backend_now();
    pthread_join(t->slots[r->head].thread, NULL);
    t->fanin += backend_now() - t0;
    r->head = (r->head + 1) % t->max_live;
    r->live--;
}

static void tpc_join_all(struct tpc *t, struct tpc_ring *r)
{
    while (r->live > 0)
        tpc_join_oldest(t, r);
}

/* Starts the thread of slot 's'; returns 0 or the pthread error number. */
static int tpc_start(struct tpc *t, struct tpc_slot *s)
{
    double t0 = backend_now();
    int rc = sys_thread_create(&s->thread, t->stack, tpc_cell, s);
    t->fanout += backend_now() - t0;
    if (rc == 0)
        t->starts++;
    return rc;
}

/* Whether the step must stop (inside the fan-out's signal block). */
static int tpc_cancelled(const struct tpc *t)
{
    if (!t->cancel)
        return 0;
    sys_signals_poll();
    return backend_cancelled(t->cancel);
}

/* Starts a thread per cell, joining the oldest when max_live are alive,
 * and joins them all.  On failure every started thread is joined. */
static int tpc_fan_out(struct tpc *t, const struct grid *cur,
                       struct glider_error *err)
{
    struct tpc_ring r = {0, 0};
    for (int y = 0; y < cur->height; y++) {
        if (tpc_cancelled(t)) {
            tpc_join_all(t, &r);
            return glider_errorf(err, GLIDER_EINTR,
                                 "thread-per-cell: interrupted at row %d of "
                                 "%d; the universe is unchanged",
                                 y, cur->height);
        }
        for (int x = 0; x < cur->width; x++) {
            if (r.live == t->max_live)
                tpc_join_oldest(t, &r);
            struct tpc_slot *s = &t->slots[(r.head + r.live) % t->max_live];
            s->t = t;
            s->x = x;
            s->y = y;
            int rc = tpc_start(t, s);
            if (rc == EAGAIN) {
                /* Out of threads: free ours and try once more.  Joining all
                 * leaves 's' as the ring's next free slot. */
                int had = r.live;
                tpc_join_all(t, &r);
                t->retries++;
                rc = tpc_start(t, s);
                if (rc) {
                    t->failures++;
                    return glider_syserrorf(
                        err, GLIDER_ETHREAD, rc,
                        "thread-per-cell: could not start the thread for "
                        "cell (%d, %d), even after joining the %d live "
                        "threads and retrying; the universe is unchanged",
                        x, y, had);
                }
            } else if (rc) {
                tpc_join_all(t, &r);
                t->failures++;
                return glider_syserrorf(err, GLIDER_ETHREAD, rc,
                                        "thread-per-cell: could not start "
                                        "the thread for cell (%d, %d); the "
                                        "universe is unchanged",
                                        x, y);
            }
            r.live++;
        }
    }
    tpc_join_all(t, &r);
    return 0;
}

static int tpc_step(void *state, const struct grid *cur, struct grid *next,
                    const struct rule *rule, struct glider_error *err)
{
    struct tpc *t = state;
    double t0 = backend_now();
    grid_clear(next);
    t->cur = cur;
    t->next = next;
    t->rule = rule;
    /* One mask change for the whole fan-out, not two per thread
     * (sys_thread_create); a signal waits until the cells are joined. */
    sys_signals_block();
    int rc = tpc_fan_out(t, cur, err);
    sys_signals_restore();
    if (rc)
        return rc;
    t->gens++;
    t->cells += (long long)cur->width * cur->height;
    t->seconds += backend_now() - t0;
    return 0;
}

static void tpc_set_cancel(void *state, const atomic_int *cancel)
{
    ((struct tpc *)state)->cancel = cancel;
}

static void tpc_destroy(void *state)
{
    struct tpc *t = state;
    if (!t)
        return;
    free(t->slots);
    free(t);
}

static int tpc_stats(void *state, struct backend_stat *out, int max)
{
    struct tpc *t = state;
    double busy = t->fanout + t->fanin;
    struct backend_stat st[] = {
        {"generations", (double)t->gens, ""},
        {"max live threads", t->max_live, ""},
        {"thread starts", (double)t->starts, ""},
        {"thread starts/s", busy > 0 ? (double)t->starts / busy : 0, "/s"},
        {"cell updates/s", t->seconds > 0 ? (double)t->cells / t->seconds : 0,
         "/s"},
        {"time in fan-out", t->fanout, "s"},
        {"time in fan-in", t->fanin, "s"},
        {"start retries", (double)t->retries, ""},
        {"failed steps", (double)t->failures, ""},
        {"stack per thread", (double)t->stack, "B"},
    };
    int n = 0;
    for (; n < max && n < (int)(sizeof st / sizeof st[0]); n++)
        out[n] = st[n];
    return n;
}

const struct backend_ops backend_thread_per_cell = {
    .name = "thread-per-cell",
    .summary = "a new thread for every cell of every generation (slow by "
               "design)",
    .create = tpc_create,
    .step = tpc_step,
    .destroy = tpc_destroy,
    .stats = tpc_stats,
    .set_cancel = tpc_set_cancel,
    .flags = BACKEND_CELL_GRANULAR,
};
