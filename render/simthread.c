/* simthread.c - the sim on its own thread: command queue in, snapshots out.
 *
 * DESIGN.  Two threads: the UI thread and the sim thread.  The sim thread
 * alone touches the 'struct sim' (and so the back-end, which lends its own
 * threads and processes the sim's grids during a step).  Shared state is the
 * 'struct simthread' fields marked "mu": the command queue, the quit flag, the
 * "ready" snapshot slot and its 'fresh' flag, the sync counters.  There is one
 * mutex, so no lock order to keep.  The sim thread never holds 'mu' while it
 * steps, executes commands or copies cells, so the UI never waits for more
 * than a few pointer swaps.
 *
 * Snapshots are triple-buffered: 'work' belongs to the sim thread, 'ui' to
 * the UI thread, 'ready' to whoever holds 'mu'.  Publishing fills 'work', then
 * swaps it with 'ready' under 'mu'; acquiring swaps 'ready' with 'ui'.
 *
 * Waiting: the sim thread sleeps on 'cv' when paused (until a command or
 * quit) and uses a timed wait on 'cv' to pace a finite speed; it never polls.
 * Quitting: the UI sets 'quit' and signals, and sets 'cancel', the sim's
 * cancel flag (sim_set_cancel): a cell-granular back-end gives up the
 * generation in progress (seconds on a large universe) instead of finishing
 * it; the thread sees 'quit' and returns; simthread_stop joins it and
 * destroys the sim. */
#include "simthread.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../engine/library.h"
#include "../engine/pattern.h"
#include "../engine/sys.h"

/* Above this many words a grid copy is large (32 MiB): the born-cell tint,
 * which needs a third copy, is then left out. */
#define PREV_MAX_WORDS ((size_t)4 << 20)

/* The sim thread and every thread or process it starts run this much nicer
 * than the UI, so the window keeps its frame rate while all cores compute. */
#define SIM_NICE 5

/* While running, a new snapshot is published when the UI has taken the last
 * one, or at least this often. */
#define PUBLISH_PERIOD 0.010
#define SIMTHREAD_BURST 64 /* most generations per step at full speed */
#define SIMTHREAD_BURST_SECONDS 0.02 /* ... and at most about this long */

struct simthread {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* the sim thread waits here: commands, quit, pacing */
    pthread_cond_t done_cv;  /* simthread_sync waits here */

    /* Guarded by 'mu'. */
    struct sim_cmd *q;       /* queued commands, oldest first */
    size_t qlen, qcap;
    uint64_t sent_seq;       /* sequence number of the last command queued */
    uint64_t pub_done_seq;   /* done_seq of the newest published snapshot */
    int quit;                /* the UI asked the thread to stop */
    atomic_int cancel;       /* set with 'quit'; the sim's cancel flag */
    int fresh;               /* 'ready' is newer than 'ui' */
    int sync_waiters;        /* threads in simthread_sync */
    struct snapshot *ready;

    /* The UI thread's own. */
    struct snapshot *ui;

    /* The sim thread's own (the UI thread's before start and after join). */
    struct sim *sim;
    struct pattern *text;    /* name, author, comments of the pattern loaded
                                (saved with the universe); NULL after a soup
                                or a clear */
    struct snapshot *work;
    struct sim_cmd *batch;   /* commands taken from 'q', being executed */
    size_t batch_cap;
    uint64_t *last;          /* cells at the last publish, for 'prev' */
    size_t last_cap;
    int last_w, last_h;      /* size of 'last', 0 when invalid */
    double last_pub;         /* when the last snapshot was published */
    int running;
    double speed;
    uint64_t pending_steps;  /* single steps asked for */
    double gen_secs;         /* sim thread only: measured seconds per generation */
    const struct backend_ops *prev_ops; /* the back-end before the last switch */
    struct backend_opts prev_opts;
    uint64_t universe_seq;
    uint64_t msg_seq;
    int msg_is_error;
    char msg[SIMTHREAD_MSG_MAX];
    char path[1024];         /* the file last loaded successfully */

    struct snapshot bufs[3];
};

double simthread_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void set_msg(struct simthread *t, int is_error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_msg(struct simthread *t, int is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
    t->msg_is_error = is_error;
    t->msg_seq++;
}

/* Grows '*p' (capacity '*cap' words) to at least 'n' words. */
static int reserve(uint64_t **p, size_t *cap, size_t n)
{
    if (*cap >= n)
        return 0;
    uint64_t *q = sys_realloc(*p, n * sizeof **p);
    if (!q)
        return GLIDER_ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Publishing                                                          */
/* ------------------------------------------------------------------ */

/* What 'n' counts for 'ops', in the right number: process-pool's workers
 * are processes, everyone else's are threads. */
static const char *worker_noun(const struct backend_ops *ops, int n)
{
    if (strcmp(ops->name, "process-pool") == 0)
        return n == 1 ? "process" : "processes";
    return n == 1 ? "thread" : "threads";
}

/* Fills 'work' from the sim, then makes it the ready snapshot.  On out of
 * memory nothing is published and the message says so. */
static void publish(struct simthread *t, uint64_t done_seq)
{
    struct snapshot *w = t->work;
    const struct grid *g = sim_grid(t->sim);
    size_t n = (size_t)g->height * g->stride;
    int want_prev = n <= PREV_MAX_WORDS;
    if (reserve(&w->cells.words, &w->cap_words, n) ||
        (want_prev && (reserve(&w->prev, &w->prev_cap, n) ||
                       reserve(&t->last, &t->last_cap, n)))) {
        set_msg(t, 1, "out of memory copying a %dx%d universe for display",
                g->width, g->height);
        return;
    }
    memcpy(w->cells.words, g->words, n * sizeof *g->words);
    w->cells.width = g->width;
    w->cells.height = g->height;
    w->cells.topo = g->topo;
    w->cells.stride = g->stride;
    w->cells.bytes = 0;
    w->has_prev = 0;
    if (want_prev) {
        if (t->last_w == g->width && t->last_h == g->height) {
            /* 'last' becomes this snapshot's 'prev' without a copy. */
            uint64_t *p = w->prev;
            size_t cap = w->prev_cap;
            w->prev = t->last;
            w->prev_cap = t->last_cap;
            t->last = p;
            t->last_cap = cap;
            w->has_prev = 1;
        }
        memcpy(t->last, g->words, n * sizeof *g->words);
        t->last_w = g->width;
        t->last_h = g->height;
    } else {
        t->last_w = t->last_h = 0;
    }
    w->generation = sim_generation(t->sim);
    w->population = grid_population(g);
    w->rule = *sim_rule(t->sim);
    w->backend = sim_backend(t->sim)->name;
    w->threads = sim_threads(t->sim);
    w->workers = worker_noun(sim_backend(t->sim), w->threads);
    w->cell_granular = (sim_backend(t->sim)->flags & BACKEND_CELL_GRANULAR) != 0;
    w->running = t->running;
    w->speed = t->speed;
    w->step_seconds = sim_step_seconds(t->sim);
    w->time = simthread_now();
    w->universe_seq = t->universe_seq;
    w->done_seq = done_seq;
    w->msg_seq = t->msg_seq;
    w->msg_is_error = t->msg_is_error;
    memcpy(w->msg, t->msg, sizeof w->msg);
    memcpy(w->path, t->path, sizeof w->path);
    t->last_pub = w->time;

    pthread_mutex_lock(&t->mu);
    t->work = t->ready;
    t->ready = w;
    t->fresh = 1;
    t->pub_done_seq = done_seq;
    if (t->sync_waiters)
        pthread_cond_broadcast(&t->done_cv);
    pthread_mutex_unlock(&t->mu);
}

/* ------------------------------------------------------------------ */
/* Commands (sim thread)                                               */
/* ------------------------------------------------------------------ */

static void cmd_backend(struct simthread *t, const struct backend_ops *ops,
                        const struct backend_opts *opts)
{
    struct glider_error err = {0};
    const struct backend_ops *old = sim_backend(t->sim);
    struct backend_opts old_opts = *sim_backend_opts(t->sim);
    if (sim_set_backend(t->sim, ops->name, opts, &err)) {
        set_msg(t, 1, "%s failed: %s; still on %s", ops->name, err.msg, old->name);
        return;
    }
    t->prev_ops = old;
    t->prev_opts = old_opts;
    int n = sim_threads(t->sim);
    if (n == 0)
        set_msg(t, 0, "back-end %s", ops->name);
    else
        set_msg(t, 0, "back-end %s, %d %s", ops->name, n, worker_noun(ops, n));
}

/* Keeps the name, author and comments of 'p' (NULL: none) for saving. */
static void set_text(struct simthread *t, const struct pattern *p)
{
    struct pattern *nt = NULL;
    if (p && (pattern_create(&nt, 0, 0, NULL) || pattern_copy_text(nt, p, NULL))) {
        pattern_destroy(nt);
        nt = NULL; /* out of memory: saved without them */
    }
    pattern_destroy(t->text);
    t->text = nt;
}

/* Loads a pattern file into a universe of the size it asks for.  The new
 * universe is built aside first, so a failure changes nothing. */
static void cmd_load(struct simthread *t, const char *path)
{
    struct glider_error err = {0};
    struct pattern *p = NULL;
    struct grid *tmp = NULL;
    int w, h;
    enum topology topo;
    if (library_load(path, &p, &err))
        goto fail;
    if (pattern_universe(p, &w, &h, &topo, &err) ||
        grid_create(&tmp, w, h, topo, &err) || pattern_place(p, tmp, &err) ||
        sim_resize(t->sim, w, h, topo, &err) ||
        grid_copy(sim_grid_edit(t->sim), tmp) != 0)
        goto fail;
    struct rule r = p->has_rule ? p->rule : RULE_LIFE;
    sim_set_rule(t->sim, &r);
    set_text(t, p);
    t->universe_seq++;
    snprintf(t->path, sizeof t->path, "%s", path);
    set_msg(t, 0, "loaded %s (%dx%d %s)", p->name ? p->name : path, w, h,
            topology_name(topo));
    grid_destroy(tmp);
    pattern_destroy(p);
    return;
fail:
    set_msg(t, 1, "cannot load: %s", err.msg);
    grid_destroy(tmp);
    pattern_destroy(p);
}

/* Turns 'path' into a name no file has: itself, else with "-2", "-3"...
 * before the extension.  The name is taken by creating the file (O_EXCL),
 * so two saves in the same second never pick the same one.  Returns 0 (the
 * empty file exists), or an error code with 'err' filled. */
static int claim_name(char *path, size_t size, struct glider_error *err)
{
    char base[SIMTHREAD_PATH_MAX];
    snprintf(base, sizeof base, "%s", path);
    const char *dot = strrchr(base, '.'), *slash = strrchr(base, '/');
    int stem = dot && dot != base && (!slash || dot > slash + 1)
                   ? (int)(dot - base) : (int)strlen(base);
    for (int n = 1; n <= 1000; n++) {
        if (n > 1 && snprintf(path, size, "%.*s-%d%s", stem, base, n,
                              base + stem) >= (int)size)
            return glider_errorf(err, GLIDER_EINVAL, "%s: name too long", base);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        int e = errno;
        if (e != EEXIST)
            return glider_syserrorf(err, GLIDER_EIO, e, "%s", path);
    }
    return glider_errorf(err, GLIDER_EIO, "%s: every name up to -1000 is taken",
                         base);
}

/* Saves the universe at 'path'; with 'unique', at the first free name
 * claim_name finds (the file it claimed is removed if the save fails). */
static void cmd_save(struct simthread *t, const char *path, int unique)
{
    struct glider_error err = {0};
    struct pattern *p = NULL;
    char name[SIMTHREAD_PATH_MAX];
    snprintf(name, sizeof name, "%s", path);
    if (unique && claim_name(name, sizeof name, &err)) {
        set_msg(t, 1, "cannot save: %s", err.msg);
        return;
    }
    if (pattern_from_grid(sim_grid(t->sim), sim_rule(t->sim), &p, &err) ||
        (t->text && pattern_copy_text(p, t->text, &err)) ||
        pattern_save(p, name, &err)) {
        set_msg(t, 1, "cannot save: %s", err.msg);
        if (unique)
            unlink(name);
    } else {
        set_msg(t, 0, "saved %s", name);
    }
    pattern_destroy(p);
}

static void execute(struct simthread *t, const struct sim_cmd *c)
{
    struct grid *g = sim_grid_edit(t->sim);
    struct backend_opts o = *sim_backend_opts(t->sim);
    switch (c->kind) {
    case SIMCMD_RUN:
        t->running = c->a < 0 ? !t->running : c->a != 0;
        t->pending_steps = 0;
        break;
    case SIMCMD_STEP:
        t->running = 0;
        t->pending_steps += (uint64_t)(c->a > 0 ? c->a : 1);
        break;
    case SIMCMD_SPEED:
        t->speed = c->d > 0 ? c->d : 0;
        break;
    case SIMCMD_BACKEND:
        if (!backend_at(c->a)) {
            set_msg(t, 1, "no back-end number %d", c->a + 1);
            break;
        }
        cmd_backend(t, backend_at(c->a), &o);
        break;
    case SIMCMD_THREADS: {
        const struct backend_ops *ops = sim_backend(t->sim);
        int now = sim_threads(t->sim), n = now + c->a;
        if (now == 0) {
            set_msg(t, 1, "%s has no thread count", ops->name);
            break;
        }
        if (n < 1 || n > BACKEND_MAX_THREADS) {
            set_msg(t, 1, "thread count stays %d (1..%d)", now, BACKEND_MAX_THREADS);
            break;
        }
        o.threads = n;
        cmd_backend(t, sim_backend(t->sim), &o);
        break;
    }
    case SIMCMD_CELL:
        if (c->x >= 0 && c->y >= 0 && c->x < g->width && c->y < g->height)
            grid_set(g, c->x, c->y, c->a);
        break;
    case SIMCMD_CLEAR:
        /* New contents start at generation 0, as in Golly. */
        grid_clear(g);
        sim_set_generation(t->sim, 0);
        set_text(t, NULL);
        set_msg(t, 0, "universe cleared");
        break;
    case SIMCMD_SOUP:
        grid_fill_soup(g, c->d, c->seed);
        sim_set_generation(t->sim, 0);
        set_text(t, NULL);
        set_msg(t, 0, "random soup, density %.2f, seed %llu", c->d,
                (unsigned long long)c->seed);
        break;
    case SIMCMD_LOAD:
        cmd_load(t, c->text);
        break;
    case SIMCMD_SAVE:
        cmd_save(t, c->text, c->a == 1);
        break;
    case SIMCMD_NOTE:
        set_msg(t, c->a == 1, "%s", c->text);
        break;
    }
}

/* A failed step left the universe as it was.  Go back to the back-end used
 * before the last switch, if there is one and it starts; else pause. */
static void step_failed(struct simthread *t, const struct glider_error *e)
{
    struct glider_error err = {0};
    const struct backend_ops *cur = sim_backend(t->sim);
    unsigned long long gen = (unsigned long long)sim_generation(t->sim) + 1;
    if (t->prev_ops && t->prev_ops != cur &&
        sim_set_backend(t->sim, t->prev_ops->name, &t->prev_opts, &err) == 0) {
        set_msg(t, 1, "generation %llu failed on %s: %s; back on %s", gen,
                cur->name, e->msg, t->prev_ops->name);
        t->prev_ops = NULL;
        return;
    }
    t->running = 0;
    t->pending_steps = 0;
    set_msg(t, 1, "generation %llu failed on %s: %s; paused", gen, cur->name,
            e->msg);
}

/* ------------------------------------------------------------------ */
/* The thread                                                          */
/* ------------------------------------------------------------------ */

static void deadline_wait(struct simthread *t, double due)
{
    struct timespec ts;
    double whole = (double)(time_t)due;
    ts.tv_sec = (time_t)due;
    ts.tv_nsec = (long)((due - whole) * 1e9);
    if (ts.tv_nsec >= 1000000000L)
        ts.tv_nsec = 999999999L;
    pthread_cond_timedwait(&t->cv, &t->mu, &ts);
}

static void *sim_main(void *arg)
{
    struct simthread *t = arg;
    sim_set_cancel(t->sim, &t->cancel);
    /* Best effort: a nice value cannot fail in a way that matters.  The
     * back-end was started on the UI thread; restart it from here so its
     * workers inherit the nice value (on failure the old one stays). */
    if (setpriority(PRIO_PROCESS, (id_t)gettid(), SIM_NICE) == 0 &&
        strcmp(sim_backend(t->sim)->name, "sequential") != 0) {
        struct glider_error err = {0};
        struct backend_opts o = *sim_backend_opts(t->sim);
        sim_set_backend(t->sim, sim_backend(t->sim)->name, &o, &err);
    }
    double due = simthread_now();
    uint64_t done = 0;    /* published as 'done_seq' */
    uint64_t taken = 0;   /* the last command taken; done once its steps are */
    pthread_mutex_lock(&t->mu);
    while (!t->quit) {
        if (t->qlen) {
            /* Take the whole batch, then run it without the lock. */
            struct sim_cmd *b = t->batch;
            size_t bcap = t->batch_cap, n = t->qlen;
            t->batch = t->q;
            t->batch_cap = t->qcap;
            t->q = b;
            t->qcap = bcap;
            t->qlen = 0;
            uint64_t upto = t->sent_seq;
            int was_running = t->running;
            double old_speed = t->speed;
            pthread_mutex_unlock(&t->mu);
            for (size_t i = 0; i < n; i++)
                execute(t, &t->batch[i]);
            /* Started, or a new speed: the next step is due now. */
            if ((t->running && !was_running) || t->speed != old_speed)
                due = simthread_now();
            taken = upto;
            if (!t->pending_steps)
                done = taken;
            publish(t, done);
            pthread_mutex_lock(&t->mu);
            continue;
        }
        if (!t->running && !t->pending_steps) {
            pthread_cond_wait(&t->cv, &t->mu);
            continue;
        }
        if (t->running && t->speed > 0) {
            double now = simthread_now();
            if (now < due) {
                deadline_wait(t, due);
                continue;
            }
            due += 1.0 / t->speed;
            if (due < now - 0.1) /* fell behind: do not catch up in a burst */
                due = now;
        }
        int ui_waiting = !t->fresh || t->sync_waiters;
        /* As fast as possible: let a band back-end compute several
         * generations per hand-off (sim_advance); paced, or single steps
         * asked for: exactly one. */
        uint64_t burst = 1;
        if (t->running && t->speed <= 0 && !t->pending_steps &&
            t->gen_secs > 0) {
            /* No more than BURST_SECONDS of work, so commands (pause, edit,
             * load) never wait long. */
            double n = SIMTHREAD_BURST_SECONDS / t->gen_secs;
            burst = n >= SIMTHREAD_BURST ? SIMTHREAD_BURST : n < 1 ? 1 : (uint64_t)n;
        }
        pthread_mutex_unlock(&t->mu);

        struct glider_error err = {0};
        uint64_t advanced = 0;
        double t_step = simthread_now();
        int rc = sim_advance(t->sim, burst, &advanced, &err);
        if (rc == 0 && advanced > 0) {
            double per = (simthread_now() - t_step) / (double)advanced;
            t->gen_secs = t->gen_secs > 0 ? 0.75 * t->gen_secs + 0.25 * per : per;
        }
        if (rc == GLIDER_EINTR)
            ; /* quitting: the generation was given up */
        else if (rc)
            step_failed(t, &err);
        else if (t->pending_steps) {
            t->pending_steps--;
        }
        if (!t->pending_steps)
            done = taken; /* a STEP command is done when its steps are */
        if (rc || ui_waiting || t->pending_steps || !t->running ||
            simthread_now() - t->last_pub >= PUBLISH_PERIOD)
            publish(t, done);
        pthread_mutex_lock(&t->mu);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The UI side                                                         */
/* ------------------------------------------------------------------ */

static void free_buffers(struct simthread *t)
{
    for (int i = 0; i < 3; i++) {
        free(t->bufs[i].cells.words);
        free(t->bufs[i].prev);
    }
    free(t->last);
    free(t->q);
    free(t->batch);
    pattern_destroy(t->text);
}

int simthread_start(struct simthread **out, struct sim *s, struct pattern *text,
                    int running, double speed, struct glider_error *err)
{
    *out = NULL;
    struct simthread *t = sys_calloc(1, sizeof *t);
    if (!t) {
        sim_destroy(s);
        pattern_destroy(text);
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    }
    t->sim = s;
    atomic_init(&t->cancel, 0);
    t->text = text;
    t->running = running;
    t->speed = speed > 0 ? speed : 0;
    t->work = &t->bufs[0];
    t->ready = &t->bufs[1];
    t->ui = &t->bufs[2];
    pthread_condattr_t ca;
    int rc = pthread_condattr_init(&ca);
    if (rc == 0)
        rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (rc == 0 && (rc = pthread_mutex_init(&t->mu, NULL)) == 0) {
        if ((rc = pthread_cond_init(&t->cv, &ca)) == 0) {
            if ((rc = pthread_cond_init(&t->done_cv, &ca)) != 0)
                pthread_cond_destroy(&t->cv);
        }
        if (rc)
            pthread_mutex_destroy(&t->mu);
    }
    pthread_condattr_destroy(&ca);
    if (rc) {
        sim_destroy(s);
        pattern_destroy(text);
        free(t);
        return glider_syserrorf(err, GLIDER_ETHREAD, rc,
                                "cannot set up the sim thread's locks");
    }
    /* A first snapshot, so the UI always has one. */
    publish(t, 0);
    if (!t->ready->cells.words) {
        rc = glider_errorf(err, GLIDER_ENOMEM, "%s", t->msg);
        goto fail;
    }
    if ((rc = sys_thread_create(&t->thread, 0, sim_main, t)) != 0) {
        rc = glider_syserrorf(err, GLIDER_ETHREAD, rc,
                              "cannot start the simulation thread");
        goto fail;
    }
    *out = t;
    return 0;
fail:
    pthread_cond_destroy(&t->cv);
    pthread_cond_destroy(&t->done_cv);
    pthread_mutex_destroy(&t->mu);
    sim_destroy(s);
    free_buffers(t);
    free(t);
    return rc;
}

void simthread_stop(struct simthread *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    t->quit = 1;
    atomic_store(&t->cancel, 1);
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    sim_destroy(t->sim);
    pthread_cond_destroy(&t->cv);
    pthread_cond_destroy(&t->done_cv);
    pthread_mutex_destroy(&t->mu);
    free_buffers(t);
    free(t);
}

uint64_t simthread_send(struct simthread *t, const struct sim_cmd *c)
{
    uint64_t seq = 0;
    pthread_mutex_lock(&t->mu);
    if (t->qlen == t->qcap) {
        size_t cap = t->qcap ? t->qcap * 2 : 64;
        struct sim_cmd *q = sys_realloc(t->q, cap * sizeof *q);
        if (!q)
            goto out;
        t->q = q;
        t->qcap = cap;
    }
    t->q[t->qlen++] = *c;
    seq = ++t->sent_seq;
    pthread_cond_signal(&t->cv);
out:
    pthread_mutex_unlock(&t->mu);
    return seq;
}

const struct snapshot *simthread_acquire(struct simthread *t, int *fresh)
{
    pthread_mutex_lock(&t->mu);
    *fresh = t->fresh;
    if (t->fresh) {
        struct snapshot *s = t->ui;
        t->ui = t->ready;
        t->ready = s;
        t->fresh = 0;
    }
    pthread_mutex_unlock(&t->mu);
    return t->ui;
}

int simthread_sync(struct simthread *t, double timeout)
{
    double end = simthread_now() + timeout;
    int rc = 0;
    pthread_mutex_lock(&t->mu);
    uint64_t want = t->sent_seq;
    t->sync_waiters++;
    struct timespec ts;
    ts.tv_sec = (time_t)end;
    ts.tv_nsec = (long)((end - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L)
        ts.tv_nsec = 999999999L;
    while (t->pub_done_seq < want && rc == 0)
        if (pthread_cond_timedwait(&t->done_cv, &t->mu, &ts) == ETIMEDOUT &&
            t->pub_done_seq < want)
            rc = GLIDER_EINTR;
    t->sync_waiters--;
    pthread_mutex_unlock(&t->mu);
    return rc;
}
