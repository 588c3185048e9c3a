/* test_queue.c - the closable bounded blocking queue of the worker-queue
 * back-end: order, blocking, close, join, many producers and consumers, and
 * allocation failures.
 *
 * "Blocks" can only be observed as "has not returned after a while": those
 * tests give the other thread 50 ms, then check it is still waiting, then
 * release it and check it finishes. */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include "../engine/backends/queue.h"
#include "../engine/sys.h"
#include "test.h"

#define SETTLE_US 50000

/* Waits up to 10 s for *p to reach 'want' (slow sanitizer builds). */
static int wait_for(int *p, int want)
{
    for (int i = 0; i < 10000; i++) {
        if (__atomic_load_n(p, __ATOMIC_SEQ_CST) == want)
            return 1;
        usleep(1000);
    }
    return 0;
}

static struct queue *make(size_t cap, size_t size)
{
    struct queue *q;
    struct glider_error err = {0};
    if (queue_create(&q, cap, size, &err)) {
        fprintf(stderr, "queue_create: %s\n", err.msg);
        return NULL;
    }
    return q;
}

static int test_fifo(void)
{
    struct queue *q = make(4, sizeof(int));
    ASSERT(q);
    for (int i = 1; i <= 4; i++)
        ASSERT_EQ(queue_put(q, &i), 0);
    ASSERT_EQ(queue_length(q), 4);
    for (int i = 1; i <= 4; i++) {
        int v = 0;
        ASSERT_EQ(queue_get(q, &v), 0);
        ASSERT_EQ(v, i);
    }
    /* Wrap around the ring a few times. */
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 3; i++) {
            int v = round * 10 + i;
            ASSERT_EQ(queue_put(q, &v), 0);
        }
        for (int i = 0; i < 3; i++) {
            int v;
            ASSERT_EQ(queue_get(q, &v), 0);
            ASSERT_EQ(v, round * 10 + i);
        }
    }
    ASSERT_EQ(queue_length(q), 0);
    queue_destroy(q);
    return 0;
}

static int test_bad_arguments(void)
{
    struct queue *q = (struct queue *)1;
    struct glider_error err = {0};
    ASSERT_EQ(queue_create(&q, 0, 4, &err), GLIDER_EINVAL);
    ASSERT(q == NULL);
    ASSERT_CONTAINS(err.msg, "capacity");
    ASSERT_EQ(queue_create(&q, 4, 0, &err), GLIDER_EINVAL);
    ASSERT_EQ(queue_create(&q, QUEUE_MAX_CAPACITY + 1, 4, &err), GLIDER_EINVAL);
    /* Each of the two allocations failing. */
    for (int nth = 1; nth <= 2; nth++) {
        sys_fault_arm(SYS_OP_MALLOC, nth, ENOMEM, 0);
        int rc = queue_create(&q, 8, 8, &err);
        sys_fault_disarm_all();
        ASSERT_EQ(rc, GLIDER_ENOMEM);
        ASSERT(q == NULL);
        ASSERT_CONTAINS(err.msg, "out of memory");
    }
    return 0;
}

struct putter {
    struct queue *q;
    int n;          /* items to put */
    int done;       /* items put so far (atomic) */
    int last_rc;    /* rc of the last put */
};

static void *put_thread(void *arg)
{
    struct putter *p = arg;
    for (int i = 0; i < p->n; i++) {
        int rc = queue_put(p->q, &i);
        __atomic_store_n(&p->last_rc, rc, __ATOMIC_SEQ_CST);
        if (rc)
            break;
        __atomic_add_fetch(&p->done, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static int test_put_blocks_when_full(void)
{
    struct queue *q = make(2, sizeof(int));
    ASSERT(q);
    struct putter p = {q, 3, 0, 0};
    pthread_t t;
    ASSERT_EQ(pthread_create(&t, NULL, put_thread, &p), 0);
    ASSERT(wait_for(&p.done, 2));
    usleep(SETTLE_US);
    ASSERT_EQ(__atomic_load_n(&p.done, __ATOMIC_SEQ_CST), 2); /* third blocks */
    ASSERT_EQ(queue_length(q), 2);
    int v;
    ASSERT_EQ(queue_get(q, &v), 0);
    ASSERT_EQ(v, 0);
    pthread_join(t, NULL); /* the third put went through */
    ASSERT_EQ(p.done, 3);
    ASSERT_EQ(queue_length(q), 2);
    queue_destroy(q);
    return 0;
}

struct getter {
    struct queue *q;
    int got;    /* set to 1 once get returned (atomic) */
    int rc;     /* its return code */
    int value;  /* the item */
};

static void *get_thread(void *arg)
{
    struct getter *g = arg;
    int v = -1;
    int rc = queue_get(g->q, &v);
    g->rc = rc;
    g->value = v;
    __atomic_store_n(&g->got, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static int test_get_blocks_when_empty(void)
{
    struct queue *q = make(3, sizeof(int));
    ASSERT(q);
    struct getter g = {q, 0, -1, -1};
    pthread_t t;
    ASSERT_EQ(pthread_create(&t, NULL, get_thread, &g), 0);
    usleep(SETTLE_US);
    ASSERT_EQ(__atomic_load_n(&g.got, __ATOMIC_SEQ_CST), 0);
    int v = 42;
    ASSERT_EQ(queue_put(q, &v), 0);
    pthread_join(t, NULL);
    ASSERT_EQ(g.rc, 0);
    ASSERT_EQ(g.value, 42);
    queue_destroy(q);
    return 0;
}

static int test_close_wakes_getters(void)
{
    struct queue *q = make(3, sizeof(int));
    ASSERT(q);
    struct getter g[3];
    pthread_t t[3];
    for (int i = 0; i < 3; i++) {
        g[i] = (struct getter){q, 0, -1, -1};
        ASSERT_EQ(pthread_create(&t[i], NULL, get_thread, &g[i]), 0);
    }
    usleep(SETTLE_US);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(__atomic_load_n(&g[i].got, __ATOMIC_SEQ_CST), 0);
    queue_close(q);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        ASSERT_EQ(g[i].rc, QUEUE_CLOSED);
    }
    queue_destroy(q);
    return 0;
}

static int test_close_wakes_putters(void)
{
    struct queue *q = make(1, sizeof(int));
    ASSERT(q);
    int v = 7;
    ASSERT_EQ(queue_put(q, &v), 0);
    struct putter p[2] = {{q, 1, 0, 0}, {q, 1, 0, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        ASSERT_EQ(pthread_create(&t[i], NULL, put_thread, &p[i]), 0);
    usleep(SETTLE_US);
    for (int i = 0; i < 2; i++)
        ASSERT_EQ(__atomic_load_n(&p[i].done, __ATOMIC_SEQ_CST), 0);
    queue_close(q);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        ASSERT_EQ(p[i].last_rc, QUEUE_CLOSED);
        ASSERT_EQ(p[i].done, 0);
    }
    /* The item queued before close is still delivered, then CLOSED. */
    ASSERT_EQ(queue_get(q, &v), 0);
    ASSERT_EQ(v, 7);
    ASSERT_EQ(queue_get(q, &v), QUEUE_CLOSED);
    queue_destroy(q);
    return 0;
}

static int test_close_drains_then_refuses(void)
{
    struct queue *q = make(8, sizeof(int));
    ASSERT(q);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(queue_put(q, &i), 0);
    queue_close(q);
    queue_close(q); /* idempotent */
    int v = 99;
    ASSERT_EQ(queue_put(q, &v), QUEUE_CLOSED);
    for (int i = 0; i < 3; i++) {
        ASSERT_EQ(queue_get(q, &v), 0);
        ASSERT_EQ(v, i);
    }
    ASSERT_EQ(queue_get(q, &v), QUEUE_CLOSED);
    ASSERT_EQ(queue_get(q, &v), QUEUE_CLOSED);
    queue_destroy(q);
    return 0;
}

struct joiner {
    struct queue *q;
    int joined; /* atomic */
};

static void *join_thread(void *arg)
{
    struct joiner *j = arg;
    queue_join(j->q);
    __atomic_store_n(&j->joined, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static int test_join_waits_for_task_done(void)
{
    struct queue *q = make(4, sizeof(int));
    ASSERT(q);
    queue_join(q); /* nothing outstanding: returns at once */
    for (int i = 0; i < 2; i++)
        ASSERT_EQ(queue_put(q, &i), 0);
    int v;
    ASSERT_EQ(queue_get(q, &v), 0);
    ASSERT_EQ(queue_get(q, &v), 0);
    struct joiner j = {q, 0};
    pthread_t t;
    ASSERT_EQ(pthread_create(&t, NULL, join_thread, &j), 0);
    usleep(SETTLE_US);
    /* Both items were taken, but none was marked done. */
    ASSERT_EQ(__atomic_load_n(&j.joined, __ATOMIC_SEQ_CST), 0);
    queue_task_done(q);
    usleep(SETTLE_US);
    ASSERT_EQ(__atomic_load_n(&j.joined, __ATOMIC_SEQ_CST), 0);
    queue_task_done(q);
    pthread_join(t, NULL);
    ASSERT_EQ(j.joined, 1);
    /* Extra task_done calls never make the count wrap. */
    queue_task_done(q);
    queue_join(q);
    queue_destroy(q);
    return 0;
}

/* Many producers and consumers on a small queue: every item arrives exactly
 * once, and join returns only after every item was marked done. */
#define MP_PRODUCERS 4
#define MP_CONSUMERS 4
#define MP_ITEMS 20000

struct mpmc {
    struct queue *q;
    int id;
    unsigned char *seen;   /* one counter per item, atomic */
    long long sum;         /* consumer: sum of items taken */
    long count;            /* consumer: items taken */
    long *done_total;      /* items marked done, atomic */
};

static void *mp_producer(void *arg)
{
    struct mpmc *m = arg;
    for (int i = 0; i < MP_ITEMS; i++) {
        int v = m->id * MP_ITEMS + i;
        if (queue_put(m->q, &v))
            break;
    }
    return NULL;
}

static void *mp_consumer(void *arg)
{
    struct mpmc *m = arg;
    int v;
    while (queue_get(m->q, &v) == 0) {
        __atomic_add_fetch(&m->seen[v], 1, __ATOMIC_RELAXED);
        m->sum += v;
        m->count++;
        __atomic_add_fetch(m->done_total, 1, __ATOMIC_SEQ_CST);
        queue_task_done(m->q);
    }
    return NULL;
}

static int test_many_producers_consumers(void)
{
    const int total = MP_PRODUCERS * MP_ITEMS;
    struct queue *q = make(8, sizeof(int));
    ASSERT(q);
    unsigned char *seen = calloc((size_t)total, 1);
    ASSERT(seen);
    long done_total = 0;
    struct mpmc prod[MP_PRODUCERS], cons[MP_CONSUMERS];
    pthread_t tp[MP_PRODUCERS], tc[MP_CONSUMERS];
    for (int i = 0; i < MP_CONSUMERS; i++) {
        cons[i] = (struct mpmc){q, i, seen, 0, 0, &done_total};
        ASSERT_EQ(pthread_create(&tc[i], NULL, mp_consumer, &cons[i]), 0);
    }
    for (int i = 0; i < MP_PRODUCERS; i++) {
        prod[i] = (struct mpmc){q, i, seen, 0, 0, &done_total};
        ASSERT_EQ(pthread_create(&tp[i], NULL, mp_producer, &prod[i]), 0);
    }
    for (int i = 0; i < MP_PRODUCERS; i++)
        pthread_join(tp[i], NULL);
    queue_join(q);
    /* join returned: every item put has been handled. */
    ASSERT_EQ(__atomic_load_n(&done_total, __ATOMIC_SEQ_CST), total);
    queue_close(q);
    long long sum = 0;
    long count = 0;
    for (int i = 0; i < MP_CONSUMERS; i++) {
        pthread_join(tc[i], NULL);
        sum += cons[i].sum;
        count += cons[i].count;
    }
    ASSERT_EQ(count, total);
    ASSERT_EQ(sum, (long long)total * (total - 1) / 2);
    for (int i = 0; i < total; i++)
        if (seen[i] != 1)
            FAILF("item %d seen %d times", i, seen[i]);
    free(seen);
    queue_destroy(q);
    return 0;
}

static const struct test_case tests[] = {
    {"fifo", test_fifo},
    {"bad_arguments", test_bad_arguments},
    {"put_blocks_when_full", test_put_blocks_when_full},
    {"get_blocks_when_empty", test_get_blocks_when_empty},
    {"close_wakes_getters", test_close_wakes_getters},
    {"close_wakes_putters", test_close_wakes_putters},
    {"close_drains_then_refuses", test_close_drains_then_refuses},
    {"join_waits_for_task_done", test_join_waits_for_task_done},
    {"many_producers_consumers", test_many_producers_consumers},
};

TEST_MAIN(tests)
