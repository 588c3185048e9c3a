/* pool.h - a fixed pool of worker threads with futures.
 *
 * pool_create starts N threads and returns only once all of them are running
 * (a start handshake); if only k of them could be started, those k are
 * stopped and joined and the error is returned.  pool_submit queues a
 * function and its argument on a caller-owned future; pool_submit_after does
 * the same for a task that may start only once other futures are done (its
 * dependencies), so a caller can hand over a whole graph of tasks at once and
 * the workers go from one ready task to the next without coming back to it;
 * pool_wait waits for one future, pool_wait_any for the first of several,
 * pool_wait_all for all.
 * pool_destroy runs what is still queued, then stops and joins every thread.
 * Nobody spins: idle workers and waiters sleep on condition variables.
 *
 * Used by the thread-pool back-end; private to engine/backends/. */
#ifndef GLIDER_POOL_H
#define GLIDER_POOL_H

#include <stddef.h>

#include "../error.h"

#define POOL_MAX_THREADS 1024
#define POOL_MAX_DEPS 4 /* dependencies of one task, at most */

/* A task: returns an int its future keeps (by convention 0 or a negative
 * GLIDER_E* code). */
typedef int (*pool_fn)(void *arg);

enum pool_future_state {
    POOL_FUTURE_IDLE,    /* never submitted (zero-initialised) */
    POOL_FUTURE_PENDING, /* queued, not started */
    POOL_FUTURE_RUNNING, /* a worker is running it */
    POOL_FUTURE_DONE     /* finished; 'result' is valid until resubmitted */
};

/* Caller-owned storage for one task and its result (zero it before the first
 * submit).  Every member is guarded by the pool's mutex: read nothing here
 * directly; use the functions below. */
struct pool_future {
    pool_fn fn;               /* the task */
    void *arg;                /* its argument */
    int result;               /* fn's return value, once DONE */
    enum pool_future_state state;
    struct pool_future *next; /* link in the pool's pending list */
    struct pool_future *deps[POOL_MAX_DEPS]; /* must be done before fn runs */
    int ndeps;
    int waited;               /* threads waiting for this future */
};

struct pool;

/* Starts 'nthreads' (1..POOL_MAX_THREADS) workers with stacks of
 * 'stack_size' bytes (0 = the default).  On failure nothing is left running,
 * *out is NULL and 'err' says which thread could not start and why
 * (GLIDER_ETHREAD, GLIDER_ENOMEM, GLIDER_EINVAL); the message has no prefix,
 * the caller adds its own. */
int pool_create(struct pool **out, int nthreads, size_t stack_size,
                struct glider_error *err);

/* Runs every task still queued, then stops and joins every worker and frees
 * the pool.  Futures stay owned by the caller.  NULL is fine. */
void pool_destroy(struct pool *p);

/* Queues fn(arg) on future 'f'.  Returns 0, or GLIDER_EINVAL when 'f' is
 * still pending or running, or the pool is being destroyed. */
int pool_submit(struct pool *p, struct pool_future *f, pool_fn fn, void *arg);

/* Queues fn(arg) on future 'f' to start only once each of the 'ndeps'
 * (0..POOL_MAX_DEPS) futures deps[] is done.  Each dependency must have been
 * submitted (to this pool) and must not be resubmitted before 'f' starts; a
 * dependency that is already done is satisfied.  A worker looking for work
 * takes the oldest queued task whose dependencies are all done.  Returns 0,
 * or GLIDER_EINVAL as pool_submit does, or for a dependency never submitted,
 * 'f' itself, or ndeps out of range.  Never blocks. */
int pool_submit_after(struct pool *p, struct pool_future *f, pool_fn fn,
                      void *arg, struct pool_future *const *deps, int ndeps);

/* Waits until 'f' is done and returns its task's result; GLIDER_EINVAL when
 * 'f' was never submitted. */
int pool_wait(struct pool *p, struct pool_future *f);

/* Waits until at least one of the 'n' futures fs[0..n-1] is done and returns
 * the lowest such index.  Futures stay done until resubmitted, so a caller
 * collecting results one at a time removes the returned one from 'fs'.
 * GLIDER_EINVAL when none of them was ever submitted (or n < 1). */
int pool_wait_any(struct pool *p, struct pool_future *const *fs, int n);

/* Waits for all 'n' futures of the array 'fs' (never-submitted ones are
 * skipped) and returns the first non-zero result in index order, or 0. */
int pool_wait_all(struct pool *p, struct pool_future *fs, int n);

/* Called from a task: the index (0..threads-1) of the worker running it, so
 * a task can use per-worker memory; -1 on any thread that is not a pool
 * worker.  Each worker has its own index for its whole life. */
int pool_worker_index(void);

/* Worker threads in the pool. */
int pool_threads(const struct pool *p);

/* Tasks finished since create. */
long pool_tasks_run(struct pool *p);

#endif
