/* process_pool.c - the process-pool back-end: forked workers, shared grids.
 *
 * DESIGN
 * Model: N worker processes (procpool.c) are forked on create and live across
 * steps.  A step cuts the universe into bands of rows, sends each band to a
 * worker as one small fixed-size task (pptask.h: step number, band,
 * generations, rule, kernel, the grids' address and shape) over its
 * socketpair, and waits with poll() for the completion messages (fan-in).
 * Each worker has up to PP_DEPTH (2) tasks outstanding (a ProcessPoolExecutor
 * likewise fills its call queue ahead of its workers): when it answers one,
 * the next is already in its socket, so it does not sit idle for the round
 * trip (~40 us here); a worker that answers gets the next pending band.
 * Copy mode keeps one (see below).
 *
 * Generations per task: 'step' computes one generation (the viewer, the
 * per-generation tests), as one task per band.  'step_gens' (sim_run,
 * sim_advance) lets a task compute up to 64 generations of its band at once
 * from a halo of that many extra rows (band_gens.h), so the hand-offs - a
 * message each way and a wake-up at both ends - are paid once per several
 * generations, and the band's scratch stays in the worker's L2 instead of
 * the whole universe streaming through memory every generation.  The cut,
 * bands and generations, is band_plan.h's (shared with the thread-pool and
 * worker-queue; every band goes to a worker: driver_computes = 0), from the
 * kernel time the workers report: one band of one generation on the first
 * step, which measures; cache-sized bands, a multiple of N when the work is
 * worth splitting, else one task of several generations for one worker.  A
 * one-generation step keeps to at most 4 bands per worker.  --ipc copy always
 * computes one generation per task: it models pickling a band's rows each
 * generation, and shows what that costs.
 *
 * Memory, who owns and who touches what:
 * - The sim owns both grids.  Their storage is an anonymous MAP_SHARED mapping
 *   (grid.c), so a worker forked after both grids existed reads and writes the
 *   very pages the parent sees, at the same addresses.  A task names the two
 *   grids (address and shape); 'known' lists the grids the parent has proved
 *   the workers share with it.
 * - Shared mode (default): a worker reads any row of 'cur' and writes only the
 *   rows of 'next' in its band; bands are disjoint, so no two processes write
 *   the same word.  The parent writes one word per band of 'next' (the nonce,
 *   below) before sending the task, and nothing else.  No cell crosses a pipe.
 * - Copy mode (opts->ipc_copy, "--ipc copy"): workers never touch the grids.
 *   The band's rows plus one halo row on each side travel to the worker in the
 *   task; it computes them in private scratch and sends the band back; the
 *   parent writes the rows into 'next'.  This is what a ProcessPoolExecutor
 *   does when it pickles arguments and results, and it is there to be
 *   measured: one generation per task, one task per worker at a time (a
 *   second task's rows could fill the socket while the worker blocks writing
 *   its first reply, and neither side would read).
 * - The back-end state, 'ctx', the scratch and the message buffers are parent
 *   memory, allocated before each fork; every child works on its copy-on-write
 *   snapshot.  Children never allocate.
 * - Band scratch for several generations (shared mode): 'ctx.gens', two
 *   64-byte-aligned buffers of PPTASK_GENS_SCRATCH_BYTES together (the 1 MiB
 *   cache budget band_plan.h sizes bands for), allocated by the parent before
 *   it forks, never touched by the parent afterwards.  Copy-on-write gives
 *   every worker its own copy on first write (1 MiB per worker); a worker
 *   replaced after a death gets a fresh one.  It does not depend on the
 *   grids, so no grid ever needs a re-fork for scratch: the parent cuts
 *   'gens' until band_gens_rows(band rows, gens) rows of the grid's stride
 *   fit (pptask_fit_gens), down to one generation, which needs no scratch.
 *   The worker checks the fit again and refuses a task that does not fit.
 *
 * Binding and re-forking: anonymous shared memory can only be inherited.  The
 * sim creates its grids before any back-end, so the workers forked on create
 * already have them; when step meets grids it does not know yet, the parent
 * checks in /proc/self/maps that each lies in a shared mapping that existed,
 * as the same object (device, inode, bounds), when the workers were forked
 * (procpool_inherited).  Only if not (a resize, another universe) are the
 * workers stopped and forked again: rare, about a millisecond per worker.
 * The same happens when another thread drives the back-end, because
 * PR_SET_PDEATHSIG follows the thread that forked.  Between those checks a
 * grid can be destroyed and a new one mapped at the same address, so before
 * each task the parent writes a fresh 64-bit nonce into the first word of the
 * band in 'next' and the worker checks it sees that nonce through its own
 * mapping, before it computes anything; if not it answers STALE and the whole
 * step (all its generations) is redone after a re-fork.  (The sim replaces
 * both grids together, so 'next' covers 'cur'.)  Every task carries the
 * step's serial number and its band, and a reply must echo both.
 *
 * Faults: a worker that dies mid-task shows up as EOF on its socket (or EPIPE
 * on send).  It is killed for certainty, reaped, replaced by a fresh fork in
 * the same slot, and every band it had been sent (up to PP_DEPTH) is sent
 * again, all its generations: the step is still exact because a band task is
 * a pure function of 'cur' (band_gens reads only 'cur' and writes only the
 * band's rows of 'next', last).  At the third death in one step the step gives
 * up with an error naming the last death; the workers still running are
 * drained first, so nothing writes 'next' after the step returns, and 'cur'
 * was never written.  A worker found dead between steps is replaced at the
 * start of the next step.
 *
 * Fork safety: forks happen only on the thread that calls create and step
 * (the sim's thread).  Other threads of the parent (the viewer, SDL) may hold
 * locks at that moment; the child takes none: it only computes and does
 * read/write on its socket, then _exit()s (see procpool.h).  SIGPIPE is never
 * raised in the parent (MSG_NOSIGNAL), and workers die with the parent
 * (PR_SET_PDEATHSIG), so SIGTERM or SIGINT on the parent leaves none behind.
 * No shared-memory object is ever named: nothing appears in /dev/shm. */
#include "backend_impl.h"
#include "band_plan.h"
#include "pptask.h"
#include "procpool.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PP_MAX_DEATHS 3  /* deaths in one step before the step fails */
#define PP_BANDS_PER_WORKER 4 /* most bands per worker in a one-generation step */
#define PP_MAX_BANDS BAND_PLAN_MAX_BANDS /* most bands in any step */
#define PP_RC_STALE 1    /* internal: the step must be re-forked */
#define PP_DEPTH 2       /* shared mode: tasks sent ahead to one worker */

struct pp_band {
    int y0, y1;
};

struct ppool {
    struct procpool pool;   /* first: see procpool_of_backend */
    struct pptask_ctx ctx;  /* read by the workers; written between forks */
    int nworkers;           /* slots, from opts->threads */
    struct band_plan plan;  /* bands and generations per step, from the
                             * kernel time the workers report */
    int gens;               /* generations each task of this step computes */
    int last_bands;         /* bands of the last step */
    int last_gens;          /* generations per task in the last step */
    const uint64_t *known[2]; /* shared mode: cells the workers are proved */
    size_t known_bytes[2];    /* to share with us (the sim's two grids) */
    unsigned char *busy;    /* per slot: tasks outstanding (0..PP_DEPTH) */
    int *slot_q;            /* per slot, PP_DEPTH entries: the bands sent
                             * and not answered yet, oldest first */
    int *pending;           /* stack of bands still to send (PP_MAX_BANDS) */
    struct pp_band *bands;  /* this step's bands (PP_MAX_BANDS) */
    uint64_t nonce_state;   /* splitmix64 state */
    uint64_t serial;        /* steps attempted: echoed by the replies */
    /* statistics, cumulative since create */
    uint64_t gens_done, tasks, respawns, reforks;
    uint64_t bytes_out, bytes_in; /* of pools already stopped */
    double fanout_s, fanin_s, step_s;
    double cells;           /* cell updates computed */
};

_Static_assert(offsetof(struct ppool, pool) == 0,
               "procpool_of_backend relies on the pool coming first");

/* ---- binding the workers to the sim's grids ---------------------------- */

static int same_shape(const struct grid *a, const struct grid *b)
{
    return a->width == b->width && a->height == b->height &&
           a->stride == b->stride && a->topo == b->topo;
}

static int knows(const struct ppool *pp, const struct grid *g)
{
    return (pp->known[0] == g->words && pp->known_bytes[0] == g->bytes) ||
           (pp->known[1] == g->words && pp->known_bytes[1] == g->bytes);
}

static void set_known(struct ppool *pp, const struct grid *a,
                      const struct grid *b)
{
    pp->known[0] = a ? a->words : NULL;
    pp->known_bytes[0] = a ? a->bytes : 0;
    pp->known[1] = b ? b->words : NULL;
    pp->known_bytes[1] = b ? b->bytes : 0;
}

/* Non-zero when the running workers can compute cur -> next as they are.
 * Shared mode: both grids must be mappings the workers inherited; grids seen
 * before are trusted (the nonce catches a new grid at an old address), new
 * ones are checked against /proc/self/maps and then remembered. */
static int workers_fit(struct ppool *pp, const struct grid *cur,
                       const struct grid *next)
{
    if (pp->pool.n == 0 || pp->pool.fork_tid != gettid())
        return 0;
    if (pp->ctx.copy)
        return cur->height <= pp->ctx.band_max && cur->stride <= pp->ctx.stride;
    if (knows(pp, cur) && knows(pp, next))
        return 1;
    if (!procpool_inherited(&pp->pool, cur->words, cur->bytes) ||
        !procpool_inherited(&pp->pool, next->words, next->bytes))
        return 0;
    set_known(pp, cur, next);
    return 1;
}

/* Stops the workers (if any) and forks new ones; 'cur' and 'next' (NULL on
 * create) exist now, so the new workers share them.  On failure no worker
 * runs; the next step tries again. */
static int refork(struct ppool *pp, const struct grid *cur,
                  const struct grid *next, struct glider_error *err)
{
    pp->bytes_out += pp->pool.bytes_out;
    pp->bytes_in += pp->pool.bytes_in;
    if (cur)
        pp->reforks++; /* not the first fork, on create */
    procpool_stop(&pp->pool);
    pptask_ctx_free(&pp->ctx);
    set_known(pp, NULL, NULL);
    struct pptask_ctx *c = &pp->ctx;
    /* Copy mode: scratch for the tallest band there can be, the whole
     * height (untouched pages of it cost nothing).  Shared mode: the fixed
     * band_gens scratch, whatever the grids (the step cuts 'gens' to fit). */
    if (c->copy && cur && pptask_ctx_size(c, cur->height, cur->stride) != 0)
        return glider_errorf(err, GLIDER_ENOMEM,
                             "process-pool: out of memory for copy-mode "
                             "scratch (%d rows of %zu words, twice)",
                             cur->height + 2, cur->stride);
    if (!c->copy && pptask_ctx_gens_scratch(c, err) != 0)
        return GLIDER_ENOMEM;
    int rc = procpool_start(&pp->pool, pp->nworkers, pptask_serve, c,
                            pptask_request_max(c), pptask_reply_max(c), err);
    if (rc) {
        pptask_ctx_free(&pp->ctx);
        return rc;
    }
    if (cur && !c->copy)
        set_known(pp, cur, next);
    return 0;
}

/* Makes sure every slot holds a live worker that can see the grids. */
static int bind_workers(struct ppool *pp, const struct grid *cur,
                        const struct grid *next, struct glider_error *err)
{
    if (!workers_fit(pp, cur, next))
        return refork(pp, cur, next, err);
    for (int i = 0; i < pp->pool.n; i++) {
        if (pp->pool.w[i].pid > 0 && !procpool_reap_if_dead(&pp->pool, i))
            continue;
        int rc = procpool_spawn(&pp->pool, i, err);
        if (rc)
            return rc;
        pp->respawns++;
    }
    return 0;
}

/* ---- one step: 'gens' generations of every band ------------------------ */

static uint64_t next_nonce(struct ppool *pp)
{
    uint64_t z = (pp->nonce_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Sends band 't' to slot 'i'.  0 or -errno from procpool_send. */
static int dispatch(struct ppool *pp, int i, int t, const struct grid *cur,
                    struct grid *next, const struct rule *rule, int kidx)
{
    const struct pp_band *bd = &pp->bands[t];
    struct pptask task;
    pptask_init(&task, cur, next, rule, kidx, bd->y0, bd->y1);
    task.serial = pp->serial;
    task.gens = pp->gens;
    task.id = (uint32_t)t;
    task.copy = (uint8_t)pp->ctx.copy;
    double t0 = backend_now();
    int rc;
    if (!pp->ctx.copy) {
        task.nonce = next_nonce(pp);
        grid_row(next, bd->y0)[0] = task.nonce;
        rc = procpool_send(&pp->pool, i, &task, sizeof task, NULL, 0);
    } else {
        /* "Pickle" the rows the band needs. */
        size_t n = pptask_pack_rows(cur, bd->y0, bd->y1, pp->pool.inbuf);
        rc = procpool_send(&pp->pool, i, &task, sizeof task, pp->pool.inbuf, n);
    }
    pp->fanout_s += backend_now() - t0;
    if (rc == 0)
        pp->tasks++;
    return rc;
}

/* Checks a reply in pool.outbuf for band 't' and, in copy mode, writes its
 * rows into 'next'.  0, or -1 when it is not the reply we asked for. */
static int accept_reply(struct ppool *pp, int t, size_t len, struct grid *next,
                        int *stale, double *seconds)
{
    const struct pp_band *bd = &pp->bands[t];
    struct pptask_done d;
    size_t rows = (size_t)(bd->y1 - bd->y0);
    size_t rowb = pptask_row_bytes(next->width);
    size_t want = sizeof d + (pp->ctx.copy ? rows * rowb : 0);
    if (len != want)
        return -1;
    memcpy(&d, pp->pool.outbuf, sizeof d);
    if (d.serial != pp->serial || d.id != (uint32_t)t ||
        d.y0 != bd->y0 || d.y1 != bd->y1 || (d.status && d.status != PPTASK_STALE))
        return -1;
    if (d.status == PPTASK_STALE) {
        *stale = 1;
        return 0;
    }
    *seconds += d.seconds;
    if (pp->ctx.copy)
        pptask_unpack_rows(next, bd->y0, bd->y1,
                           (const char *)pp->pool.outbuf + sizeof d);
    return 0;
}

struct pp_run {
    int deaths;   /* in this step */
    int failed;   /* error code once the step is abandoned */
    int stale;    /* a worker could not see the grids */
    int running;  /* tasks outstanding */
    int npending; /* bands on the 'pending' stack */
};

/* The worker in slot 'i' died (or misbehaved) while working on band 't':
 * bury it, put every band it had been sent back on the pending stack (all
 * their generations are redone: a band task is a pure function of 'cur')
 * and, unless the step is being abandoned, put a fresh worker in the slot. */
static void on_death(struct ppool *pp, struct pp_run *run, int i, int t,
                     const char *how, struct glider_error *err)
{
    char what[96];
    pid_t pid = pp->pool.w[i].pid;
    int status = procpool_bury(&pp->pool, i);
    procpool_describe(status, what, sizeof what);
    for (int k = 0; k < pp->busy[i]; k++)
        pp->pending[run->npending++] = pp->slot_q[i * PP_DEPTH + k];
    run->running -= pp->busy[i];
    pp->busy[i] = 0;
    if (run->failed || run->stale)
        return;
    if (++run->deaths >= PP_MAX_DEATHS) {
        run->failed = glider_errorf(
            err, GLIDER_EPROC,
            "process-pool: step %llu (%d generation%s) abandoned after %d "
            "worker deaths (last: pid %d %s, %s, on rows %d..%d); the current "
            "generation is unchanged",
            (unsigned long long)pp->serial, pp->gens, pp->gens == 1 ? "" : "s",
            run->deaths, (int)pid, how, what, pp->bands[t].y0,
            pp->bands[t].y1 - 1);
        return;
    }
    struct glider_error e2 = {0};
    if (procpool_spawn(&pp->pool, i, &e2) != 0) {
        run->failed = glider_errorf(
            err, GLIDER_EPROC,
            "process-pool: worker pid %d %s (%s) and could not be replaced: "
            "%s; the current generation is unchanged",
            (int)pid, how, what, e2.msg);
        return;
    }
    pp->respawns++;
}

/* Runs one step of 'nb' bands, pp->gens generations each, on bound
 * workers.  0, PP_RC_STALE, or a negative code with 'err' filled.  Returns
 * only when no worker has a task outstanding. */
static int run_step(struct ppool *pp, const struct grid *cur, struct grid *next,
                    const struct rule *rule, int kidx, int nb,
                    struct glider_error *err)
{
    int n = pp->pool.n, done = 0;
    double kernel_s = 0;
    struct pp_run run = {0};
    pp->serial++;
    for (int t = 0; t < nb; t++) {
        backend_band(cur->height, nb, t, &pp->bands[t].y0, &pp->bands[t].y1);
        pp->pending[run.npending++] = nb - 1 - t; /* band 0 goes first */
    }
    memset(pp->busy, 0, (size_t)n);
    /* Copy mode sends one task at a time: a second one's rows could fill
     * the socket while the worker blocks writing its first reply. */
    int depth = pp->ctx.copy ? 1 : PP_DEPTH;
    for (;;) {
        /* Fan-out: every live worker gets pending bands until it has
         * 'depth' outstanding - first one each, then a second each. */
        for (int d = 1; d <= depth; d++)
            for (int i = 0; i < n && run.npending > 0 && !run.failed &&
                            !run.stale;
                 i++) {
                if (pp->busy[i] >= d || pp->pool.w[i].pid <= 0)
                    continue;
                int t = pp->pending[--run.npending];
                if (dispatch(pp, i, t, cur, next, rule, kidx) == 0) {
                    pp->slot_q[i * PP_DEPTH + pp->busy[i]++] = t;
                    run.running++;
                } else {
                    pp->pending[run.npending++] = t;
                    on_death(pp, &run, i, t, "could not be sent a task", err);
                }
            }
        if (run.running == 0) {
            /* A send may have failed and its slot been refilled: go round
             * again while there is work and someone to do it. */
            int alive = 0;
            for (int i = 0; i < n; i++)
                alive |= pp->pool.w[i].pid > 0;
            if (run.npending > 0 && alive && !run.failed && !run.stale)
                continue;
            break;
        }
        /* Fan-in: one completion (or one death) at a time. */
        double t0 = backend_now();
        int i, rc = procpool_wait(&pp->pool, pp->busy, &i);
        if (rc) {
            /* poll() itself failed: nothing sensible to wait on. */
            int e = -rc;
            for (int s = 0; s < n; s++)
                if (pp->busy[s])
                    procpool_bury(&pp->pool, s), pp->busy[s] = 0;
            pp->fanin_s += backend_now() - t0;
            return glider_syserrorf(err, GLIDER_EPROC, e,
                                    "process-pool: waiting for workers");
        }
        /* A worker answers its tasks in the order it was sent them. */
        size_t len = 0;
        int *q = &pp->slot_q[i * PP_DEPTH], t = q[0];
        rc = procpool_recv(&pp->pool, i, &len);
        if (rc == 0 &&
            accept_reply(pp, t, len, next, &run.stale, &kernel_s) == 0) {
            done++;
            run.running--;
            for (int k = 1; k < pp->busy[i]; k++)
                q[k - 1] = q[k];
            pp->busy[i]--;
        } else {
            on_death(pp, &run, i, t,
                     rc == -EPIPE ? "died" : "sent a malformed reply", err);
        }
        pp->fanin_s += backend_now() - t0;
    }
    if (run.failed)
        return run.failed;
    if (run.stale)
        return PP_RC_STALE;
    if (done != nb)
        return glider_errorf(err, GLIDER_EPROC,
                             "process-pool: no worker left to compute %d of %d "
                             "bands",
                             nb - done, nb);
    band_plan_measured(&pp->plan,
                       (double)cur->width * cur->height * pp->gens, kernel_s);
    return 0;
}

/* This step's cut: bands and generations per task.  The plan's, except that
 * - copy mode computes one generation per task;
 * - a one-generation step keeps to PP_BANDS_PER_WORKER bands per worker;
 * - when the plan's bands would not run on two workers at once anyway (one
 *   worker, or fewer bands than workers), or are too short for more than
 *   one generation each (under 16 rows: one hand-off per generation), and
 *   the universe fits one scratch buffer, it is one task of the whole
 *   universe: that needs no halo, so it also takes as many generations as
 *   the caller and the plan's maximum allow, not the eighth of the band
 *   height that keeps a halo cheap (band_plan_gens_for).  Only once the kernel is measured (the plan's
 *   first step is one plain generation), and not with a fixed
 *   GLIDER_BAND_GRAIN, which asks for bands of that size;
 * - 'gens' is cut until a band and its halo fit the workers' fixed scratch
 *   (pptask_fit_gens; it always does for the plan's own cache-sized bands). */
static int plan_step(struct ppool *pp, const struct grid *cur, int max_gens)
{
    int n = pp->pool.n > 0 ? pp->pool.n : pp->nworkers;
    int want = pp->ctx.copy ? 1 : max_gens;
    struct band_job job =
        band_plan_job(&pp->plan, cur->width, cur->height,
                      cur->stride * sizeof(uint64_t), n, want, 0);
    int nb = job.nbands, gens = job.gens;
    if (want > 1 && pp->plan.max_gens > 1 && !pp->ctx.copy &&
        pp->plan.grain == 0 && pp->plan.sec_per_cell > 0 &&
        (n == 1 || nb < n || gens == 1) &&
        (size_t)cur->height * cur->stride <= pp->ctx.gens.words) {
        nb = 1;
        gens = want < pp->plan.max_gens ? want : pp->plan.max_gens;
        /* One task, so one worker computes all of it. */
        int call = band_plan_call_gens(&pp->plan, cur->width, cur->height, 1);
        gens = gens < call ? gens : call;
    }
    if (gens <= 1 && nb > PP_BANDS_PER_WORKER * n)
        nb = PP_BANDS_PER_WORKER * n;
    if (nb > PP_MAX_BANDS)
        nb = PP_MAX_BANDS;
    if (nb > cur->height)
        nb = cur->height;
    if (nb < 1)
        nb = 1;
    if (gens > 1)
        gens = pptask_fit_gens(&pp->ctx, cur->stride, cur->height, nb, gens);
    pp->gens = gens < 1 ? 1 : gens;
    return nb;
}

/* Index of the active kernel in the kernel table (workers look it up there,
 * since they cannot be handed a pointer across a pipe meaningfully). */
static int active_kernel_index(void)
{
    const struct kernel *k = kernel_active();
    for (int i = 0; kernel_at(i); i++)
        if (kernel_at(i) == k)
            return i;
    return -1;
}

/* ---- the back-end interface -------------------------------------------- */

static void pp_destroy(void *state)
{
    struct ppool *pp = state;
    if (!pp)
        return;
    procpool_stop(&pp->pool);
    pptask_ctx_free(&pp->ctx);
    free(pp->busy);
    free(pp->slot_q);
    free(pp->pending);
    free(pp->bands);
    free(pp);
}

static int pp_create(void **state, const struct backend_opts *opts,
                     struct glider_error *err)
{
    int n = backend_threads(opts);
    if (n < 1 || n > BACKEND_MAX_THREADS)
        return glider_errorf(err, GLIDER_EINVAL,
                             "process-pool: %d workers requested, expected "
                             "1..%d",
                             n, BACKEND_MAX_THREADS);
    struct ppool *pp = sys_calloc(1, sizeof *pp);
    if (!pp)
        return glider_errorf(err, GLIDER_ENOMEM, "process-pool: out of memory");
    pp->nworkers = n;
    pp->gens = 1;
    band_plan_init(&pp->plan, opts ? opts->gens_per_task : 0, 0);
    pp->ctx.copy = opts && opts->ipc_copy;
    pp->nonce_state = (uint64_t)getpid() << 32 ^ (uint64_t)(backend_now() * 1e9);
    pp->busy = sys_calloc((size_t)n, 1);
    pp->slot_q = sys_calloc((size_t)n * PP_DEPTH, sizeof *pp->slot_q);
    pp->pending = sys_calloc(PP_MAX_BANDS, sizeof *pp->pending);
    pp->bands = sys_calloc(PP_MAX_BANDS, sizeof *pp->bands);
    if (!pp->busy || !pp->slot_q || !pp->pending || !pp->bands) {
        pp_destroy(pp);
        return glider_errorf(err, GLIDER_ENOMEM, "process-pool: out of memory");
    }
    /* Fork now, so that a system refusing processes fails the switch, not a
     * later step.  The sim's grids exist already, so these workers share
     * them; the first step proves it (workers_fit).  In copy mode the first
     * step forks again, once, to size the scratch. */
    int rc = refork(pp, NULL, NULL, err);
    if (rc) {
        pp_destroy(pp);
        return rc;
    }
    *state = pp;
    return 0;
}

/* Up to 'max_gens' generations of 'cur' into 'next' ('cur' is only read). */
static int pp_advance(struct ppool *pp, const struct grid *cur,
                      struct grid *next, const struct rule *rule, int max_gens,
                      int *gens_done, struct glider_error *err)
{
    *gens_done = 0;
    if (!same_shape(cur, next) || cur->words == next->words)
        return glider_errorf(err, GLIDER_EINVAL,
                             "process-pool: 'cur' and 'next' must be two grids "
                             "of the same size");
    int kidx = active_kernel_index();
    if (kidx < 0)
        return glider_errorf(err, GLIDER_EINVAL,
                             "process-pool: the active kernel is not in the "
                             "kernel table");
    double t0 = backend_now();
    int nb = 0;
    int rc = bind_workers(pp, cur, next, err);
    if (rc == 0) {
        nb = plan_step(pp, cur, max_gens);
        pp->last_bands = nb;
        pp->last_gens = pp->gens;
        rc = run_step(pp, cur, next, rule, kidx, nb, err);
    }
    if (rc == PP_RC_STALE) {
        /* The workers' view of the grids is not the sim's: once more, fresh
         * (the same cut: the new workers' scratch is the same size). */
        rc = refork(pp, cur, next, err);
        if (rc == 0)
            rc = run_step(pp, cur, next, rule, kidx, nb, err);
        if (rc == PP_RC_STALE)
            rc = glider_errorf(err, GLIDER_EPROC,
                               "process-pool: freshly forked workers do not "
                               "see the grids' shared memory");
    }
    pp->step_s += backend_now() - t0;
    if (rc)
        return rc;
    pp->gens_done += (uint64_t)pp->gens;
    pp->cells += (double)cur->width * (double)cur->height * pp->gens;
    *gens_done = pp->gens;
    return 0;
}

static int pp_step_gens(void *state, struct grid *cur, struct grid *next,
                        const struct rule *rule, int max_gens, int *gens_done,
                        struct glider_error *err)
{
    return pp_advance(state, cur, next, rule, max_gens, gens_done, err);
}

static int pp_step(void *state, const struct grid *cur, struct grid *next,
                   const struct rule *rule, struct glider_error *err)
{
    int done;
    return pp_advance(state, cur, next, rule, 1, &done, err);
}

static int pp_stats(void *state, struct backend_stat *out, int max)
{
    struct ppool *pp = state;
    struct backend_stat st[] = {
        {"workers", (double)pp->nworkers, ""},
        {"generations", (double)pp->gens_done, ""},
        {"tasks", (double)pp->tasks, ""},
        {"bands per step", (double)pp->last_bands, ""},
        {"generations per task", (double)pp->last_gens, ""},
        {"respawns", (double)pp->respawns, ""},
        {"re-forks", (double)pp->reforks, ""},
        {"fan-out time", pp->fanout_s, "s"},
        {"fan-in time", pp->fanin_s, "s"},
        {"bytes to workers", (double)(pp->bytes_out + pp->pool.bytes_out), "B"},
        {"bytes from workers", (double)(pp->bytes_in + pp->pool.bytes_in), "B"},
        {"cell updates/s", pp->step_s > 0 ? pp->cells / pp->step_s : 0, ""},
        {"ipc copy", (double)pp->ctx.copy, ""},
        {"kernel ns per cell", pp->plan.sec_per_cell * 1e9, "ns"},
    };
    int n = 0;
    for (; n < max && n < (int)(sizeof st / sizeof st[0]); n++)
        out[n] = st[n];
    return n;
}

const struct backend_ops backend_process_pool = {
    .name = "process-pool",
    .summary = "N forked worker processes, grids in shared memory, task "
               "messages over socketpairs",
    .create = pp_create,
    .step = pp_step,
    .step_gens = pp_step_gens,
    .destroy = pp_destroy,
    .stats = pp_stats,
};
