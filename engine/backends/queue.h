/* queue.h - a closable, bounded, blocking multi-producer multi-consumer queue.
 *
 * Items are fixed-size records copied in and out (no allocation per item).
 * put blocks while the queue is full, get blocks while it is empty; nobody
 * spins.  close means "no more items": blocked putters return QUEUE_CLOSED,
 * getters drain what is left and then get QUEUE_CLOSED.  Like Python's
 * queue.Queue, every put adds one unfinished task; queue_task_done marks one
 * finished and queue_join waits until none is left, so "join" means "every
 * item put has been fully handled", not merely taken.
 *
 * Used by the worker-queue back-end; private to engine/backends/. */
#ifndef GLIDER_QUEUE_H
#define GLIDER_QUEUE_H

#include <stddef.h>

#include "../error.h"

#define QUEUE_CLOSED 1 /* returned by put/get on a closed queue; not an error */
#define QUEUE_MAX_CAPACITY (1u << 20)

struct queue;

/* Creates an empty queue of 'capacity' items (1..QUEUE_MAX_CAPACITY) of
 * 'item_size' bytes each (1..4096).  On failure *out is NULL and 'err' says
 * why (GLIDER_EINVAL, GLIDER_ENOMEM). */
int queue_create(struct queue **out, size_t capacity, size_t item_size,
                 struct glider_error *err);

/* Frees the queue.  No thread may be using or waiting on it any more (close
 * it and join the threads first).  NULL is fine. */
void queue_destroy(struct queue *q);

/* Copies 'item' in, blocking while the queue is full.  Returns 0, or
 * QUEUE_CLOSED when the queue is (or becomes, while waiting) closed; the item
 * is then not queued. */
int queue_put(struct queue *q, const void *item);

/* Copies the oldest item into 'item', blocking while the queue is empty and
 * open.  Returns 0, or QUEUE_CLOSED once the queue is closed and empty. */
int queue_get(struct queue *q, void *item);

/* Marks one item taken by queue_get as fully handled.  Call it once per item,
 * after the item's result has been passed on. */
void queue_task_done(struct queue *q);

/* Blocks until every item ever put has been marked done with
 * queue_task_done.  Returns at once when none is outstanding. */
void queue_join(struct queue *q);

/* Closes the queue and wakes every waiting thread (getters, putters and
 * joiners re-check their condition).  Idempotent. */
void queue_close(struct queue *q);

/* Items queued right now (a snapshot, for tests and statistics). */
size_t queue_length(struct queue *q);

#endif
