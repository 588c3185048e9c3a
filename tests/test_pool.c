/* test_pool.c - the thread pool with futures of the thread-pool back-end:
 * results, wait one / any / all, real parallelism, draining on destroy,
 * submitters on several threads, start failures (only k of N threads
 * start: those k are joined and the error is returned), and tasks with
 * dependencies (pool_submit_after): a chain, random graphs, a blocked head
 * of the queue, draining a graph on destroy, and bad dependencies. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../engine/backends/pool.h"
#include "../engine/sys.h"
#include "test.h"
#include "test_util.h"

static struct pool *make(int n)
{
    struct pool *p;
    struct glider_error err = {0};
    if (pool_create(&p, n, 0, &err)) {
        fprintf(stderr, "pool_create: %s\n", err.msg);
        return NULL;
    }
    return p;
}

struct square {
    int in;
};

static int square_task(void *arg)
{
    struct square *s = arg;
    return s->in * s->in;
}

static int test_results(void)
{
    enum { N = 200 };
    struct pool *p = make(3);
    ASSERT(p);
    ASSERT_EQ(pool_threads(p), 3);
    static struct pool_future f[N];
    static struct square in[N];
    for (int i = 0; i < N; i++) {
        in[i].in = i;
        ASSERT_EQ(pool_submit(p, &f[i], square_task, &in[i]), 0);
    }
    for (int i = N - 1; i >= 0; i--)
        ASSERT_EQ(pool_wait(p, &f[i]), i * i);
    ASSERT_EQ(pool_tasks_run(p), N);
    /* A done future can be waited on again and resubmitted. */
    ASSERT_EQ(pool_wait(p, &f[5]), 25);
    in[5].in = 9;
    ASSERT_EQ(pool_submit(p, &f[5], square_task, &in[5]), 0);
    ASSERT_EQ(pool_wait(p, &f[5]), 81);
    pool_destroy(p);
    return 0;
}

static int fail_if_odd(void *arg)
{
    int v = *(int *)arg;
    return v % 2 ? GLIDER_EIO - v : 0;
}

static int test_wait_all(void)
{
    struct pool *p = make(2);
    ASSERT(p);
    struct pool_future f[6] = {{0}};
    int v[6] = {0, 2, 4, 5, 6, 7};
    /* f[0] is never submitted: wait_all skips it. */
    for (int i = 1; i < 6; i++)
        ASSERT_EQ(pool_submit(p, &f[i], fail_if_odd, &v[i]), 0);
    /* The first failure in index order: v = 5. */
    ASSERT_EQ(pool_wait_all(p, f, 6), GLIDER_EIO - 5);
    ASSERT_EQ(pool_wait_all(p, f, 3), 0);
    ASSERT_EQ(pool_wait_all(p, f, 0), 0);
    pool_destroy(p);
    return 0;
}

/* A gate tasks wait at until the test opens it. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    int open;      /* guarded by 'lock' */
    int arrived;   /* tasks waiting at the gate, guarded by 'lock' */
};

static struct gate gates[4];

static void gate_init(struct gate *g)
{
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cv, NULL);
    g->open = 0;
    g->arrived = 0;
}

static void gate_open(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->open = 1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->lock);
}

/* Waits for 'n' tasks to have arrived at 'g' (10 s at most). */
static int gate_wait_arrived(struct gate *g, int n)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 10;
    int ok = 1;
    pthread_mutex_lock(&g->lock);
    while (g->arrived < n && ok)
        ok = pthread_cond_timedwait(&g->cv, &g->lock, &ts) == 0;
    ok = g->arrived >= n;
    pthread_mutex_unlock(&g->lock);
    return ok;
}

static void gate_destroy(struct gate *g)
{
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->lock);
}

static int gated_task(void *arg)
{
    struct gate *g = arg;
    pthread_mutex_lock(&g->lock);
    g->arrived++;
    pthread_cond_broadcast(&g->cv);
    while (!g->open)
        pthread_cond_wait(&g->cv, &g->lock);
    pthread_mutex_unlock(&g->lock);
    return (int)(g - gates) + 100;
}

static int test_wait_any(void)
{
    struct pool *p = make(4);
    ASSERT(p);
    struct pool_future f[4] = {{0}};
    struct pool_future *fs[4] = {&f[0], &f[1], &f[2], &f[3]};
    ASSERT_EQ(pool_wait_any(p, fs, 4), GLIDER_EINVAL); /* none submitted */
    for (int i = 0; i < 4; i++) {
        gate_init(&gates[i]);
        ASSERT_EQ(pool_submit(p, &f[i], gated_task, &gates[i]), 0);
    }
    /* A pending future cannot be submitted again. */
    ASSERT_EQ(pool_submit(p, &f[1], gated_task, &gates[1]), GLIDER_EINVAL);
    for (int i = 0; i < 4; i++)
        ASSERT(gate_wait_arrived(&gates[i], 1));
    gate_open(&gates[2]);
    ASSERT_EQ(pool_wait_any(p, fs, 4), 2);
    ASSERT_EQ(pool_wait(p, &f[2]), 102);
    /* Collect the rest one at a time, removing each one found. */
    fs[2] = fs[3];
    int left = 3;
    gate_open(&gates[0]);
    gate_open(&gates[3]);
    gate_open(&gates[1]);
    int seen = 0;
    while (left > 0) {
        int i = pool_wait_any(p, fs, left);
        ASSERT_GE(i, 0);
        int r = pool_wait(p, fs[i]);
        ASSERT(r >= 100 && r < 104 && r != 102);
        seen |= 1 << (r - 100);
        fs[i] = fs[--left];
    }
    ASSERT_EQ(seen, 1 | 2 | 8);
    pool_destroy(p);
    for (int i = 0; i < 4; i++)
        gate_destroy(&gates[i]);
    return 0;
}

/* Two tasks that can only finish together: proves two workers run at once. */
static struct gate meet;

/* Arrives at 'g' and waits (10 s at most) until 'n' tasks have: a task that
 * can only finish when n - 1 others run at the same time. */
static int gate_meet(struct gate *g, int n)
{
    pthread_mutex_lock(&g->lock);
    g->arrived++;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->lock);
    return gate_wait_arrived(g, n) ? 0 : GLIDER_EINTR;
}

static int meet_task(void *arg)
{
    (void)arg;
    return gate_meet(&meet, 2);
}

static int test_runs_in_parallel(void)
{
    struct pool *p = make(2);
    ASSERT(p);
    gate_init(&meet);
    struct pool_future f[2] = {{0}};
    ASSERT_EQ(pool_submit(p, &f[0], meet_task, NULL), 0);
    ASSERT_EQ(pool_submit(p, &f[1], meet_task, NULL), 0);
    ASSERT_EQ(pool_wait_all(p, f, 2), 0);
    pool_destroy(p);
    gate_destroy(&meet);
    return 0;
}

static int counter; /* tasks run by counting_task, atomic */

static int counting_task(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
    return 0;
}

static int test_destroy_runs_pending(void)
{
    enum { N = 50 };
    struct pool *p = make(1);
    ASSERT(p);
    gate_init(&gates[0]);
    static struct pool_future f[N + 1];
    counter = 0;
    ASSERT_EQ(pool_submit(p, &f[0], gated_task, &gates[0]), 0);
    for (int i = 1; i <= N; i++)
        ASSERT_EQ(pool_submit(p, &f[i], counting_task, NULL), 0);
    ASSERT(gate_wait_arrived(&gates[0], 1));
    ASSERT_EQ(__atomic_load_n(&counter, __ATOMIC_SEQ_CST), 0);
    gate_open(&gates[0]);
    pool_destroy(p); /* runs the 50 queued tasks before the worker exits */
    ASSERT_EQ(counter, N);
    gate_destroy(&gates[0]);
    return 0;
}

struct submitter {
    struct pool *p;
    int rc;
};

static void *submit_thread(void *arg)
{
    enum { N = 500 };
    struct submitter *s = arg;
    struct pool_future *f = calloc(N, sizeof *f);
    struct square *in = calloc(N, sizeof *in);
    s->rc = 0;
    if (!f || !in) {
        s->rc = -1;
    } else {
        for (int i = 0; i < N && !s->rc; i++) {
            in[i].in = i % 1000;
            s->rc = pool_submit(s->p, &f[i], square_task, &in[i]);
        }
        for (int i = 0; i < N && !s->rc; i++)
            if (pool_wait(s->p, &f[i]) != (i % 1000) * (i % 1000))
                s->rc = -2;
    }
    free(f);
    free(in);
    return NULL;
}

static int test_many_submitters(void)
{
    struct pool *p = make(3);
    ASSERT(p);
    struct submitter s[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        s[i].p = p;
        ASSERT_EQ(pthread_create(&t[i], NULL, submit_thread, &s[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ASSERT_EQ(s[i].rc, 0);
    }
    ASSERT_EQ(pool_tasks_run(p), 4 * 500);
    pool_destroy(p);
    return 0;
}

static int test_bad_arguments(void)
{
    struct pool *p = (struct pool *)1;
    struct glider_error err = {0};
    ASSERT_EQ(pool_create(&p, 0, 0, &err), GLIDER_EINVAL);
    ASSERT(p == NULL);
    ASSERT_CONTAINS(err.msg, "pool size 0 is out of range");
    ASSERT_EQ(pool_create(&p, POOL_MAX_THREADS + 1, 0, &err), GLIDER_EINVAL);
    for (int nth = 1; nth <= 2; nth++) {
        sys_fault_arm(SYS_OP_MALLOC, nth, ENOMEM, 0);
        int rc = pool_create(&p, 2, 0, &err);
        sys_fault_disarm_all();
        ASSERT_EQ(rc, GLIDER_ENOMEM);
        ASSERT(p == NULL);
    }
    p = make(1);
    ASSERT(p);
    struct pool_future f = {0};
    ASSERT_EQ(pool_wait(p, &f), GLIDER_EINVAL); /* never submitted */
    ASSERT_EQ(pool_submit(p, &f, NULL, NULL), GLIDER_EINVAL);
    pool_destroy(p);
    return 0;
}

static int test_partial_start_failure(void)
{
    int base = tu_thread_baseline();
    ASSERT_GT(base, 0);
    /* Thread 1, 3 and 5 of 5 failing: 0, 2 and 4 started and joined. */
    for (int nth = 1; nth <= 5; nth += 2) {
        struct pool *p = (struct pool *)1;
        struct glider_error err = {0};
        long before = sys_fault_calls(SYS_OP_THREAD);
        sys_fault_arm(SYS_OP_THREAD, nth, EAGAIN, 0);
        int rc = pool_create(&p, 5, 0, &err);
        sys_fault_disarm_all();
        ASSERT_EQ(rc, GLIDER_ETHREAD);
        ASSERT(p == NULL);
        ASSERT_EQ(sys_fault_calls(SYS_OP_THREAD) - before, nth);
        char want[64];
        snprintf(want, sizeof want, "could not start pool thread %d of 5", nth);
        ASSERT_CONTAINS(err.msg, want);
        ASSERT_CONTAINS(err.msg, "Resource temporarily unavailable");
        ASSERT(tu_threads_back_to(base));
    }
    /* And a pool still starts afterwards. */
    struct pool *p = make(5);
    ASSERT(p);
    pool_destroy(p);
    ASSERT(tu_threads_back_to(base));
    return 0;
}

/* Tasks with dependencies.  A graph task checks, when it starts, that every
 * one of its dependencies has finished (flags set with release stores as a
 * task's last act), and records the order it started in. */
enum { GRAPH_MAX = 600 };

struct graph_task {
    int id;
    int ndeps;
    int deps[POOL_MAX_DEPS];
    int sleep_ms; /* how long it takes */
    int started;  /* start order, 1.. (atomic) */
};

static struct graph_task gtasks[GRAPH_MAX];
static int gfinished[GRAPH_MAX]; /* atomic flags */
static int gstarts;              /* tasks started, atomic */

static int graph_task_fn(void *arg)
{
    struct graph_task *t = arg;
    t->started = __atomic_add_fetch(&gstarts, 1, __ATOMIC_SEQ_CST);
    if (t->sleep_ms)
        tu_sleep_ms(t->sleep_ms);
    int bad = 0;
    for (int i = 0; i < t->ndeps; i++)
        if (!__atomic_load_n(&gfinished[t->deps[i]], __ATOMIC_ACQUIRE))
            bad = 1;
    /* A little work, so that tasks overlap and the order could go wrong. */
    volatile unsigned x = (unsigned)t->id;
    for (int i = 0; i < 2000; i++)
        x = x * 1664525u + 1013904223u;
    __atomic_store_n(&gfinished[t->id], 1, __ATOMIC_RELEASE);
    return bad ? GLIDER_EINVAL : t->id;
}

/* Submits tasks 0..n-1 of gtasks[] (dependencies already filled in). */
static int submit_graph(struct pool *p, struct pool_future *f, int n)
{
    gstarts = 0;
    for (int i = 0; i < n; i++)
        gfinished[i] = 0;
    for (int i = 0; i < n; i++) {
        struct pool_future *deps[POOL_MAX_DEPS];
        gtasks[i].id = i;
        gtasks[i].started = 0;
        for (int d = 0; d < gtasks[i].ndeps; d++)
            deps[d] = &f[gtasks[i].deps[d]];
        int rc = pool_submit_after(p, &f[i], graph_task_fn, &gtasks[i], deps,
                                   gtasks[i].ndeps);
        if (rc)
            return rc;
    }
    return 0;
}

/* Every task ran once, returned its id (so no dependency was unfinished
 * when it started) and started after each of its dependencies did. */
static int check_graph(struct pool *p, struct pool_future *f, int n)
{
    for (int i = 0; i < n; i++) {
        ASSERT_EQ(pool_wait(p, &f[i]), i);
        for (int d = 0; d < gtasks[i].ndeps; d++)
            ASSERT_LT(gtasks[gtasks[i].deps[d]].started, gtasks[i].started);
    }
    ASSERT_EQ(gstarts, n);
    return 0;
}

static int test_after_chain(void)
{
    enum { N = 300 };
    static struct pool_future f[N];
    struct pool *p = make(4);
    ASSERT(p);
    memset(f, 0, sizeof f);
    for (int i = 0; i < N; i++) {
        gtasks[i].ndeps = i > 0;
        gtasks[i].deps[0] = i - 1;
    }
    ASSERT_EQ(submit_graph(p, f, N), 0);
    ASSERT_EQ(pool_wait_all(p, f, N), 1); /* task 0 returns 0, task 1 1 */
    ASSERT(check_graph(p, f, N) == 0);
    /* A strict chain runs in submission order, whatever the threads. */
    for (int i = 0; i < N; i++)
        ASSERT_EQ(gtasks[i].started, i + 1);
    pool_destroy(p);
    return 0;
}

/* Random graphs (each task depends on up to four earlier ones, some already
 * done, some pending), several times over on 1, 2, 3 and 7 workers. */
static int test_after_random_graphs(void)
{
    static struct pool_future f[GRAPH_MAX];
    unsigned seed = 12345;
    for (int threads = 1; threads <= 7; threads += threads < 3 ? 1 : 4) {
        struct pool *p = make(threads);
        ASSERT(p);
        for (int rep = 0; rep < 5; rep++) {
            memset(f, 0, sizeof f);
            for (int i = 0; i < GRAPH_MAX; i++) {
                seed = seed * 1103515245u + 12345u;
                int nd = i == 0 ? 0 : (int)((seed >> 16) % (POOL_MAX_DEPS + 1));
                gtasks[i].ndeps = nd;
                for (int d = 0; d < nd; d++) {
                    seed = seed * 1103515245u + 12345u;
                    /* Mostly recent tasks, sometimes far back. */
                    int back = 1 + (int)((seed >> 16) % (d == 0 ? 8 : (unsigned)i));
                    gtasks[i].deps[d] = i - (back > i ? i : back);
                }
            }
            ASSERT_EQ(submit_graph(p, f, GRAPH_MAX), 0);
            ASSERT_EQ(pool_wait_all(p, f, GRAPH_MAX), 1);
            ASSERT(check_graph(p, f, GRAPH_MAX) == 0);
        }
        pool_destroy(p);
    }
    return 0;
}

/* The oldest queued task waits for a task held at a gate; a younger task
 * without dependencies must not wait behind it. */
static int test_after_skips_blocked(void)
{
    struct pool *p = make(2);
    ASSERT(p);
    gate_init(&gates[0]);
    struct pool_future f[3] = {{0}};
    struct pool_future *dep = &f[0];
    struct square seven = {7};
    counter = 0;
    ASSERT_EQ(pool_submit(p, &f[0], gated_task, &gates[0]), 0);
    ASSERT(gate_wait_arrived(&gates[0], 1));
    ASSERT_EQ(pool_submit_after(p, &f[1], counting_task, NULL, &dep, 1), 0);
    ASSERT_EQ(pool_submit(p, &f[2], square_task, &seven), 0);
    ASSERT_EQ(pool_wait(p, &f[2]), 49);
    ASSERT_EQ(__atomic_load_n(&counter, __ATOMIC_SEQ_CST), 0); /* still held */
    gate_open(&gates[0]);
    ASSERT_EQ(pool_wait(p, &f[1]), 0);
    ASSERT_EQ(counter, 1);
    ASSERT_EQ(pool_wait(p, &f[0]), 100);
    pool_destroy(p);
    gate_destroy(&gates[0]);
    return 0;
}

/* Destroy runs a whole pending graph, dependencies first - even when it is
 * called while nothing queued is ready: task 0 takes 150 ms, every other
 * task depends on it (through a chain), so the two other workers are asleep
 * with a queue full of waiting tasks when the stop comes, and must still be
 * woken when the last task is done. */
static int test_after_destroy_drains(void)
{
    enum { N = 100 };
    static struct pool_future f[N];
    memset(f, 0, sizeof f);
    struct pool *p = make(3);
    ASSERT(p);
    for (int i = 0; i < N; i++) {
        gtasks[i].ndeps = i > 1 ? 2 : i;
        gtasks[i].deps[0] = i - 1;
        gtasks[i].deps[1] = i / 2;
        gtasks[i].sleep_ms = i == 0 ? 150 : 0;
    }
    ASSERT_EQ(submit_graph(p, f, N), 0);
    pool_destroy(p);
    gtasks[0].sleep_ms = 0;
    ASSERT_EQ(gstarts, N);
    for (int i = 0; i < N; i++) {
        ASSERT_EQ(gfinished[i], 1);
        for (int d = 0; d < gtasks[i].ndeps; d++)
            ASSERT_LT(gtasks[gtasks[i].deps[d]].started, gtasks[i].started);
    }
    return 0;
}

/* Three tasks waiting for one, on four workers: when it is done, all three
 * must run at once (each waits, 10 s at most, until the three have arrived)
 * - the worker that finished the first takes one and wakes an idle worker,
 * which wakes the next. */
static struct gate trio;

static int trio_task(void *arg)
{
    (void)arg;
    return gate_meet(&trio, 3);
}

static int slow_task(void *arg)
{
    (void)arg;
    tu_sleep_ms(100);
    return 0;
}

static int test_after_wakes_workers(void)
{
    struct pool *p = make(4);
    ASSERT(p);
    gate_init(&trio);
    struct pool_future root = {0}, f[3] = {{0}};
    struct pool_future *dep = &root;
    ASSERT_EQ(pool_submit(p, &root, slow_task, NULL), 0);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(pool_submit_after(p, &f[i], trio_task, NULL, &dep, 1), 0);
    ASSERT_EQ(pool_wait_all(p, f, 3), 0);
    ASSERT_EQ(trio.arrived, 3);
    pool_destroy(p);
    gate_destroy(&trio);
    return 0;
}

static int test_after_bad_arguments(void)
{
    struct pool *p = make(1);
    ASSERT(p);
    struct pool_future f[3] = {{0}}, never = {0};
    struct pool_future *deps[POOL_MAX_DEPS + 1];
    struct square three = {3};
    ASSERT_EQ(pool_submit(p, &f[0], square_task, &three), 0);
    ASSERT_EQ(pool_wait(p, &f[0]), 9);
    deps[0] = &never; /* never submitted */
    ASSERT_EQ(pool_submit_after(p, &f[1], counting_task, NULL, deps, 1),
              GLIDER_EINVAL);
    deps[0] = &f[1]; /* itself */
    ASSERT_EQ(pool_submit_after(p, &f[1], counting_task, NULL, deps, 1),
              GLIDER_EINVAL);
    deps[0] = NULL;
    ASSERT_EQ(pool_submit_after(p, &f[1], counting_task, NULL, deps, 1),
              GLIDER_EINVAL);
    ASSERT_EQ(pool_submit_after(p, &f[1], counting_task, NULL, NULL, 1),
              GLIDER_EINVAL);
    ASSERT_EQ(pool_submit_after(p, &f[1], counting_task, NULL, deps, -1),
              GLIDER_EINVAL);
    for (int i = 0; i <= POOL_MAX_DEPS; i++)
        deps[i] = &f[0];
    ASSERT_EQ(pool_submit_after(p, &f[1], counting_task, NULL, deps,
                                POOL_MAX_DEPS + 1),
              GLIDER_EINVAL);
    /* Nothing was queued by the refused calls; a done dependency (even the
     * same one several times) is satisfied at once. */
    ASSERT_EQ(pool_wait(p, &f[1]), GLIDER_EINVAL);
    counter = 0;
    ASSERT_EQ(pool_submit_after(p, &f[1], counting_task, NULL, deps,
                                POOL_MAX_DEPS),
              0);
    ASSERT_EQ(pool_wait(p, &f[1]), 0);
    ASSERT_EQ(counter, 1);
    pool_destroy(p);
    return 0;
}

/* The tasks of this process: their ids, and whether each blocks both
 * SIGINT and SIGTERM (from SigBlk in /proc/self/task/ID/status).  Returns
 * how many (at most 'max'), -1 on error. */
static int list_tasks(int *ids, int *blocks, int max)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        if (e->d_name[0] == '.')
            continue;
        char path[300], line[128];
        snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        unsigned long long mask = 0;
        int found = 0;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "SigBlk: %llx", &mask) == 1)
                found = 1;
        fclose(f);
        if (!found)
            continue;
        ids[n] = atoi(e->d_name);
        blocks[n] = (mask >> (SIGINT - 1) & 1) && (mask >> (SIGTERM - 1) & 1);
        n++;
    }
    closedir(d);
    return n;
}

/* Every worker starts with SIGINT and SIGTERM (and everything else that can
 * be) blocked (sys_thread_create), so a Ctrl-C reaches the thread that drives
 * the simulation.  The threads that were there before the pool (the test's
 * own, a sanitizer's) are left out. */
static int test_workers_block_signals(void)
{
    enum { MAX = 64 };
    int before[MAX], bb[MAX], after[MAX], ab[MAX];
    int nb = list_tasks(before, bb, MAX);
    ASSERT_GT(nb, 0);
    struct pool *p = make(3);
    ASSERT(p);
    int na = list_tasks(after, ab, MAX);
    pool_destroy(p);
    ASSERT_EQ(na, nb + 3);
    pid_t self = (pid_t)syscall(SYS_gettid);
    int workers = 0;
    for (int i = 0; i < na; i++) {
        int old = 0;
        for (int j = 0; j < nb; j++)
            old |= before[j] == after[i];
        if (after[i] == self)
            ASSERT_EQ(ab[i], 0); /* the caller's own mask is as it was */
        else if (!old && ab[i])
            workers++;
    }
    ASSERT_EQ(workers, 3);
    return 0;
}

static const struct test_case tests[] = {
    {"results", test_results},
    {"wait_all", test_wait_all},
    {"wait_any", test_wait_any},
    {"runs_in_parallel", test_runs_in_parallel},
    {"destroy_runs_pending", test_destroy_runs_pending},
    {"many_submitters", test_many_submitters},
    {"bad_arguments", test_bad_arguments},
    {"partial_start_failure", test_partial_start_failure},
    {"after_chain", test_after_chain},
    {"after_random_graphs", test_after_random_graphs},
    {"after_skips_blocked", test_after_skips_blocked},
    {"after_destroy_drains", test_after_destroy_drains},
    {"after_wakes_workers", test_after_wakes_workers},
    {"after_bad_arguments", test_after_bad_arguments},
    {"workers_block_signals", test_workers_block_signals},
};

TEST_MAIN(tests)
