/* pool.c - the fixed thread pool with futures of pool.h.
 *
 * One mutex guards the pending list, every future's state and the counters.
 * Workers sleep on 'work' while no queued task is ready (all its
 * dependencies done); threads waiting for futures (and pool_create, during
 * the start handshake) sleep on 'done'.  Signals are sent only when someone
 * waits for them: 'work' when an idle worker exists and a task is ready for
 * it, 'done' when the finished future itself is waited for (so a thread
 * waiting for the last of many tasks is not woken by each of the others).
 * A worker that finishes a task takes the next ready one without sleeping,
 * and wakes one more idle worker when a second task is ready: a chain, not a
 * thundering herd.  Stop is a flag plus a broadcast: a worker exits once the
 * flag is set and the pending list is empty, so nothing queued is ever left
 * unrun (every dependency was queued before its dependants, so the oldest
 * pending task is always ready or waits only for running ones). */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "../sys.h"

struct pool {
    pthread_mutex_t lock;       /* guards every member below except 'threads' */
    pthread_cond_t work;        /* workers wait here for a task or stop */
    pthread_cond_t done;        /* waiters wait here for a finished future */
    struct pool_future *head;   /* pending tasks, oldest first */
    struct pool_future *tail;   /* last pending task */
    int idle;                   /* workers waiting on 'work' */
    int started;                /* workers that have reached their loop */
    int stopping;               /* set by pool_destroy or a failed create */
    long tasks_run;             /* tasks finished */
    int nthreads;               /* workers started (read-only after create) */
    pthread_t *threads;         /* nthreads handles, owned by the creator */
};

/* The calling thread's index in its pool; -1 outside pool workers. */
static _Thread_local int pool_self = -1;

int pool_worker_index(void)
{
    return pool_self;
}

static int future_ready(const struct pool_future *f)
{
    for (int i = 0; i < f->ndeps; i++)
        if (f->deps[i]->state != POOL_FUTURE_DONE)
            return 0;
    return 1;
}

/* The oldest ready pending task after 'prev' (NULL: from the head), with the
 * one before it in '*before'; NULL when none is ready. */
static struct pool_future *find_ready(struct pool *p, struct pool_future *prev,
                                      struct pool_future **before)
{
    struct pool_future *f = prev ? prev->next : p->head;
    for (; f; prev = f, f = f->next)
        if (future_ready(f)) {
            *before = prev;
            return f;
        }
    return NULL;
}

/* Runs tasks until stopped.  Takes the lock once on entry to count itself as
 * started (the handshake pool_create waits for) and to take its index. */
static void *pool_worker(void *arg)
{
    struct pool *p = arg;
    pthread_mutex_lock(&p->lock);
    pool_self = p->started++;
    pthread_cond_broadcast(&p->done);
    for (;;) {
        struct pool_future *f, *before = NULL;
        while (!(f = find_ready(p, NULL, &before)) && !(p->stopping && !p->head)) {
            p->idle++;
            pthread_cond_wait(&p->work, &p->lock);
            p->idle--;
        }
        if (!f) {
            /* Stopping, and nothing is left to run.  Workers that went back
             * to sleep after the stop broadcast (the queue was not empty
             * then, but nothing in it was ready) must see this too. */
            if (p->idle)
                pthread_cond_broadcast(&p->work);
            break;
        }
        if (before)
            before->next = f->next;
        else
            p->head = f->next;
        if (p->tail == f)
            p->tail = before;
        f->state = POOL_FUTURE_RUNNING;
        /* Another ready task for an idle worker: wake one (it does the same
         * for the next, if any). */
        struct pool_future *unused;
        if (p->idle && find_ready(p, before, &unused))
            pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->lock);
        int result = f->fn(f->arg);
        pthread_mutex_lock(&p->lock);
        f->result = result;
        f->state = POOL_FUTURE_DONE;
        p->tasks_run++;
        if (f->waited)
            pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Sets the stop flag, wakes every worker and joins the first 'n' threads. */
static void pool_stop(struct pool *p, int n)
{
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < n; i++)
        pthread_join(p->threads[i], NULL);
}

static void pool_free(struct pool *p)
{
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p);
}

int pool_create(struct pool **out, int nthreads, size_t stack_size,
                struct glider_error *err)
{
    *out = NULL;
    if (nthreads < 1 || nthreads > POOL_MAX_THREADS)
        return glider_errorf(err, GLIDER_EINVAL,
                             "pool size %d is out of range (1..%d)",
                             nthreads, POOL_MAX_THREADS);
    struct pool *p = sys_calloc(1, sizeof *p);
    if (!p)
        return glider_errorf(err, GLIDER_ENOMEM,
                             "out of memory for the thread pool");
    p->threads = sys_calloc((size_t)nthreads, sizeof *p->threads);
    if (!p->threads) {
        free(p);
        return glider_errorf(err, GLIDER_ENOMEM,
                             "out of memory for the thread pool");
    }
    int rc = pthread_mutex_init(&p->lock, NULL);
    if (rc)
        goto fail_sync;
    if ((rc = pthread_cond_init(&p->work, NULL))) {
        pthread_mutex_destroy(&p->lock);
        goto fail_sync;
    }
    if ((rc = pthread_cond_init(&p->done, NULL))) {
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->lock);
        goto fail_sync;
    }

    int k = 0;
    for (; k < nthreads; k++)
        if ((rc = sys_thread_create(&p->threads[k], stack_size, pool_worker, p)))
            break;
    if (k < nthreads) {
        /* Only k started: stop and join those, then report. */
        pool_stop(p, k);
        pool_free(p);
        return glider_syserrorf(err, GLIDER_ETHREAD, rc,
                                "could not start pool thread %d of %d (the %d "
                                "started were stopped and joined)",
                                k + 1, nthreads, k);
    }
    /* Handshake: return only when every worker is in its loop. */
    pthread_mutex_lock(&p->lock);
    while (p->started < nthreads)
        pthread_cond_wait(&p->done, &p->lock);
    pthread_mutex_unlock(&p->lock);
    p->nthreads = nthreads;
    *out = p;
    return 0;

fail_sync:
    free(p->threads);
    free(p);
    return glider_syserrorf(err, GLIDER_ENOMEM, rc,
                            "could not create the thread pool's mutex or "
                            "condition variables");
}

void pool_destroy(struct pool *p)
{
    if (!p)
        return;
    pool_stop(p, p->nthreads);
    pool_free(p);
}

int pool_submit_after(struct pool *p, struct pool_future *f, pool_fn fn,
                      void *arg, struct pool_future *const *deps, int ndeps)
{
    if (!fn || ndeps < 0 || ndeps > POOL_MAX_DEPS || (ndeps && !deps))
        return GLIDER_EINVAL;
    pthread_mutex_lock(&p->lock);
    int bad = p->stopping || f->state == POOL_FUTURE_PENDING ||
              f->state == POOL_FUTURE_RUNNING;
    for (int i = 0; i < ndeps && !bad; i++)
        bad = !deps[i] || deps[i] == f || deps[i]->state == POOL_FUTURE_IDLE;
    if (bad) {
        pthread_mutex_unlock(&p->lock);
        return GLIDER_EINVAL;
    }
    f->fn = fn;
    f->arg = arg;
    f->result = 0;
    f->state = POOL_FUTURE_PENDING;
    f->next = NULL;
    f->ndeps = ndeps;
    for (int i = 0; i < ndeps; i++)
        f->deps[i] = deps[i];
    if (p->tail)
        p->tail->next = f;
    else
        p->head = f;
    p->tail = f;
    if (p->idle && future_ready(f))
        pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

int pool_submit(struct pool *p, struct pool_future *f, pool_fn fn, void *arg)
{
    return pool_submit_after(p, f, fn, arg, NULL, 0);
}

/* Waits, holding the lock, until 'f' is done.  'f' must have been submitted. */
static void wait_done_locked(struct pool *p, struct pool_future *f)
{
    while (f->state != POOL_FUTURE_DONE) {
        f->waited++;
        pthread_cond_wait(&p->done, &p->lock);
        f->waited--;
    }
}

int pool_wait(struct pool *p, struct pool_future *f)
{
    pthread_mutex_lock(&p->lock);
    int rc = GLIDER_EINVAL;
    if (f->state != POOL_FUTURE_IDLE) {
        wait_done_locked(p, f);
        rc = f->result;
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int pool_wait_any(struct pool *p, struct pool_future *const *fs, int n)
{
    pthread_mutex_lock(&p->lock);
    int found = GLIDER_EINVAL;
    for (;;) {
        int submitted = 0;
        for (int i = 0; i < n && found < 0; i++) {
            if (fs[i]->state == POOL_FUTURE_DONE)
                found = i;
            else if (fs[i]->state != POOL_FUTURE_IDLE)
                submitted = 1;
        }
        if (found >= 0 || !submitted)
            break;
        for (int i = 0; i < n; i++)
            fs[i]->waited++;
        pthread_cond_wait(&p->done, &p->lock);
        for (int i = 0; i < n; i++)
            fs[i]->waited--;
    }
    pthread_mutex_unlock(&p->lock);
    return found;
}

int pool_wait_all(struct pool *p, struct pool_future *fs, int n)
{
    int rc = 0;
    pthread_mutex_lock(&p->lock);
    /* Last first: the futures submitted last usually finish last, so the
     * caller wakes once rather than once per future. */
    for (int i = n - 1; i >= 0; i--)
        if (fs[i].state != POOL_FUTURE_IDLE)
            wait_done_locked(p, &fs[i]);
    for (int i = 0; i < n && rc == 0; i++)
        if (fs[i].state != POOL_FUTURE_IDLE)
            rc = fs[i].result;
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int pool_threads(const struct pool *p)
{
    return p->nthreads;
}

long pool_tasks_run(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    long n = p->tasks_run;
    pthread_mutex_unlock(&p->lock);
    return n;
}
