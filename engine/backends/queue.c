/* queue.c - the closable bounded blocking MPMC queue of queue.h.
 *
 * One mutex guards everything; three condition variables say what a thread
 * waits for: 'not_empty' (getters), 'not_full' (putters) and 'all_done'
 * (joiners).  Each has a waiter count, so a signal is sent only when someone
 * is waiting.  Items live in a ring buffer of 'capacity' slots. */
#include "queue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../sys.h"

struct queue {
    pthread_mutex_t lock;      /* guards every member below */
    pthread_cond_t not_empty;  /* getters wait here for an item or close */
    pthread_cond_t not_full;   /* putters wait here for a slot or close */
    pthread_cond_t all_done;   /* joiners wait here for unfinished == 0 */
    unsigned char *ring;       /* capacity * item_size bytes */
    size_t item_size;          /* bytes per item */
    size_t capacity;           /* slots in 'ring' */
    size_t head;               /* slot of the oldest item */
    size_t count;              /* items queued */
    size_t unfinished;         /* items put and not yet task_done */
    int getters;               /* threads waiting on 'not_empty' */
    int putters;               /* threads waiting on 'not_full' */
    int joiners;               /* threads waiting on 'all_done' */
    int closed;                /* set once by queue_close */
};

int queue_create(struct queue **out, size_t capacity, size_t item_size,
                 struct glider_error *err)
{
    *out = NULL;
    if (capacity < 1 || capacity > QUEUE_MAX_CAPACITY || item_size < 1 ||
        item_size > 4096)
        return glider_errorf(err, GLIDER_EINVAL,
                             "queue: capacity %zu or item size %zu out of "
                             "range (1..%u, 1..4096)",
                             capacity, item_size, QUEUE_MAX_CAPACITY);
    struct queue *q = sys_calloc(1, sizeof *q);
    if (!q)
        return glider_errorf(err, GLIDER_ENOMEM, "queue: out of memory");
    q->ring = sys_malloc(capacity * item_size);
    if (!q->ring) {
        free(q);
        return glider_errorf(err, GLIDER_ENOMEM,
                             "queue: out of memory for %zu items of %zu bytes",
                             capacity, item_size);
    }
    q->capacity = capacity;
    q->item_size = item_size;
    int rc = pthread_mutex_init(&q->lock, NULL);
    if (rc)
        goto fail;
    if ((rc = pthread_cond_init(&q->not_empty, NULL)))
        goto fail_lock;
    if ((rc = pthread_cond_init(&q->not_full, NULL)))
        goto fail_not_empty;
    if ((rc = pthread_cond_init(&q->all_done, NULL)))
        goto fail_not_full;
    *out = q;
    return 0;
fail_not_full:
    pthread_cond_destroy(&q->not_full);
fail_not_empty:
    pthread_cond_destroy(&q->not_empty);
fail_lock:
    pthread_mutex_destroy(&q->lock);
fail:
    free(q->ring);
    free(q);
    return glider_syserrorf(err, GLIDER_ENOMEM, rc,
                            "queue: could not create its mutex or condition "
                            "variables");
}

void queue_destroy(struct queue *q)
{
    if (!q)
        return;
    pthread_cond_destroy(&q->all_done);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    pthread_mutex_destroy(&q->lock);
    free(q->ring);
    free(q);
}

int queue_put(struct queue *q, const void *item)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == q->capacity && !q->closed) {
        q->putters++;
        pthread_cond_wait(&q->not_full, &q->lock);
        q->putters--;
    }
    if (q->closed) {
        pthread_mutex_unlock(&q->lock);
        return QUEUE_CLOSED;
    }
    size_t slot = (q->head + q->count) % q->capacity;
    memcpy(q->ring + slot * q->item_size, item, q->item_size);
    q->count++;
    q->unfinished++;
    if (q->getters)
        pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

int queue_get(struct queue *q, void *item)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->closed) {
        q->getters++;
        pthread_cond_wait(&q->not_empty, &q->lock);
        q->getters--;
    }
    if (q->count == 0) { /* closed and drained */
        pthread_mutex_unlock(&q->lock);
        return QUEUE_CLOSED;
    }
    memcpy(item, q->ring + q->head * q->item_size, q->item_size);
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    if (q->putters)
        pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

void queue_task_done(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    /* More task_done calls than puts is a caller bug; never wrap around. */
    if (q->unfinished > 0 && --q->unfinished == 0 && q->joiners)
        pthread_cond_broadcast(&q->all_done);
    pthread_mutex_unlock(&q->lock);
}

void queue_join(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->unfinished > 0) {
        q->joiners++;
        pthread_cond_wait(&q->all_done, &q->lock);
        q->joiners--;
    }
    pthread_mutex_unlock(&q->lock);
}

void queue_close(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_cond_broadcast(&q->all_done);
    pthread_mutex_unlock(&q->lock);
}

size_t queue_length(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    size_t n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}
