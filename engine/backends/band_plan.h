/* band_plan.h - how to cut a step into band tasks: how many bands, how many
 * generations each band task computes, as tiles (band_tiles.h) or halo
 * bands (band_gens.h), and how many rounds of that one step hands out.
 *
 * Two costs shape the plan.  Waking a thread costs tens of microseconds on
 * this kind of VM (a futex wake of an idle vCPU), while the bit-sliced
 * kernels compute a 2048x2048 generation in under 20 us; and a universe
 * larger than the L2 cache streams through memory every generation.  Both
 * are paid per hand-off, so when the caller asks for several generations
 * (sim_run), a band task computes up to BAND_PLAN_MAX_GENS of them at once
 * (by default; --gens-per-task sets the most), as a tile or from a halo,
 * in scratch sized to stay in L2 (BAND_PLAN_CACHE_BYTES), and a step may
 * hand out several such rounds at once (band_plan_rounds, band_graph.h).
 * A caller asking for one generation (sim_step: the viewer, the tests that
 * compare every generation) gets exactly one.
 *
 * The plan keeps an estimate of the kernel's seconds per cell, measured by
 * the steps themselves.  With no estimate yet (the first step) the answer is
 * one band, one generation, on the driver - which measures it.  Work not
 * worth two tasks of BAND_PLAN_MIN_SECONDS, or a single thread, stays on the
 * driver: handing the only band to another thread can only add latency.  A
 * driver-only step over a universe too large for the cache is still cut into
 * cache-sized bands of several generations each (no hand-off, less memory
 * traffic); a small one is one plain generation.
 *
 * Environment (read at init), for tests and experiments:
 *   GLIDER_BAND_GRAIN=N  bands of at least N cells, always handed to the
 *                        workers, no measuring (the tests set 1 to split
 *                        even a 3x5 universe);
 *   GLIDER_BAND_GENS=K   at most K generations per task (1 = the textbook
 *                        one task per band per generation);
 *   GLIDER_BAND_TILES=0  halo bands (band_gens.h) even where the back-end
 *                        could use tiles (band_tiles.h), to compare them;
 *   GLIDER_BAND_CALL_MS=N  kernel time one call may take, instead of
 *                        BAND_PLAN_CALL_SECONDS (a test of the plan's cut
 *                        sets it high, so that a slow build - the naive
 *                        kernel under ThreadSanitizer - cuts as a fast one).
 * The back-end option gens_per_task (--gens-per-task) overrides
 * GLIDER_BAND_GENS.
 *
 * Used by the thread-pool, worker-queue and process-pool back-ends; each owns
 * its plan and only its driver thread touches it. */
#ifndef GLIDER_BAND_PLAN_H
#define GLIDER_BAND_PLAN_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../band_gens.h"
#include "../band_tiles.h"

#define BAND_PLAN_MIN_SECONDS 25e-6      /* shortest task worth a wake-up */
#define BAND_PLAN_MIN_TASK_SECONDS 12e-6 /* shortest task of several, per round */
#define BAND_PLAN_MAX_GENS 64            /* generations per task, at most */
#define BAND_PLAN_CACHE_BYTES (1u << 20) /* a task's two scratch buffers */
#define BAND_PLAN_MAX_BANDS 4096         /* bands per step, at most */
#define BAND_PLAN_SCRATCH_TOTAL (64.0 * 1024 * 1024) /* all workers' scratch */
#define BAND_PLAN_MAX_ROUNDS 15          /* rounds handed out at once */
#define BAND_PLAN_CALL_SECONDS 0.1       /* kernel time of one call, at most */

struct band_plan {
    long grain;          /* fixed cells per band (GLIDER_BAND_GRAIN), or 0 */
    int max_gens;        /* generations per task, at most */
    int tiles;           /* the back-end runs tiles (band_tiles.h) */
    double sec_per_cell; /* measured kernel cost, 0 = not yet measured */
    double call_seconds; /* BAND_PLAN_CALL_SECONDS or GLIDER_BAND_CALL_MS */
};

/* One step's cut. */
struct band_job {
    int nbands; /* bands of rows (backend_band splits them evenly) */
    int gens;   /* generations each band task computes */
    int split;  /* 1: hand the bands to the workers; 0: the driver runs them */
    int tiles;  /* 1: shrink and grow tiles; 0: bands from a halo (gens > 1)
                   or plain bands (gens == 1) */
};

/* The whole number 1..max in environment variable 'name', or 0 when it is
 * unset; a value that is no such number is named on stderr and ignored
 * (these are for experiments, and a typo should not pass unseen). */
static inline long band_plan_env(const char *name, long max)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end == '\0' && v >= 1 && v <= max)
        return v;
    fprintf(stderr, "glider: %s: expected a whole number from 1 to %ld, got "
                    "'%.40s'; ignored\n", name, max, s);
    return 0;
}

/* 'gens_per_task' is the back-end option (0 = GLIDER_BAND_GENS, else the
 * default maximum); 'tiles': the back-end can run tiles. */
static inline void band_plan_init(struct band_plan *p, int gens_per_task,
                                  int tiles)
{
    const char *t = getenv("GLIDER_BAND_TILES");
    if (t && *t && strcmp(t, "0") != 0 && strcmp(t, "1") != 0)
        fprintf(stderr, "glider: GLIDER_BAND_TILES: expected 0 or 1, got "
                        "'%.40s'; ignored\n", t);
    p->tiles = tiles && !(t && strcmp(t, "0") == 0);
    p->grain = band_plan_env("GLIDER_BAND_GRAIN", LONG_MAX);
    long k = gens_per_task > 0 ? gens_per_task
                               : band_plan_env("GLIDER_BAND_GENS",
                                               BAND_PLAN_MAX_GENS * 32);
    p->max_gens = k > 0 && k <= BAND_PLAN_MAX_GENS * 32 ? (int)k : BAND_PLAN_MAX_GENS;
    p->sec_per_cell = 0;
    long ms = band_plan_env("GLIDER_BAND_CALL_MS", 3600000);
    p->call_seconds = ms > 0 ? (double)ms / 1000 : BAND_PLAN_CALL_SECONDS;
}

/* Rows of 'row_bytes' bytes whose two scratch copies fill the cache budget. */
static inline int band_plan_cache_rows(size_t row_bytes)
{
    size_t r = BAND_PLAN_CACHE_BYTES / (2 * row_bytes);
    return r < 1 ? 1 : r > 65536 ? 65536 : (int)r;
}

/* Generations a task may compute on bands of 'band_rows' rows: the halo
 * costs about gens/band_rows extra work, kept near 1/8 or below. */
static inline int band_plan_gens_for(int band_rows, int want)
{
    int k = band_rows / 8;
    if (k < 1)
        k = 1;
    return k < want ? k : want;
}

/* Bands of at most 'rows' rows each over 'height', at least 'min_bands',
 * rounded up to a multiple of 'multiple'. */
static inline int band_plan_bands(int height, int rows, int min_bands,
                                  int multiple)
{
    long n = ((long)height + rows - 1) / rows;
    if (n < min_bands)
        n = min_bands;
    if (multiple > 1 && n % multiple)
        n += multiple - n % multiple;
    if (n > BAND_PLAN_MAX_BANDS)
        n = BAND_PLAN_MAX_BANDS;
    return n > height ? height : (int)n;
}

/* Rows of scratch a worker needs for the job's tasks (0: none). */
static inline int band_job_scratch_rows(const struct band_job *j, int height)
{
    int rows = (height + j->nbands - 1) / j->nbands;
    if (j->gens < 2)
        return 0;
    return j->tiles ? band_tiles_scratch_rows(rows, j->gens)
                    : band_gens_rows(rows, j->gens);
}

/* Decides between tiles and halo bands for a job of several generations,
 * and whether the memory they need is reasonable (else one generation,
 * which needs none).  Tiles need two bands at least, each of 2 * gens rows
 * or more, and 4 * gens rows of edges per band; 'users' threads each hold
 * scratch. */
static inline void band_plan_finish(const struct band_plan *p,
                                    struct band_job *j, int height,
                                    size_t row_bytes, int users)
{
    j->tiles = 0;
    if (j->gens < 2)
        return;
    int thin = height / j->nbands;
    double edges = (double)j->nbands * 4 * j->gens * (double)row_bytes;
    /* One band (a task that is not worth splitting) is one halo task: as
     * tiles it would be a shrink and a grow, two hand-offs. */
    j->tiles = p->tiles && j->nbands >= 2 && thin >= 2 * j->gens &&
               edges <= BAND_PLAN_SCRATCH_TOTAL;
    int srows = band_job_scratch_rows(j, height);
    if (users * 2.0 * srows * (double)row_bytes > BAND_PLAN_SCRATCH_TOTAL) {
        j->gens = 1;
        j->tiles = 0;
    }
}

/* Generations one call may compute so that it takes about
 * BAND_PLAN_CALL_SECONDS on 'nthreads' threads (at least 1; INT_MAX before
 * the kernel is measured): with a slow kernel on a large universe (the
 * reference kernel on 4096x4096: half a second a generation) a task of 64
 * generations would keep Ctrl-C and the viewer waiting for half a minute. */
static inline int band_plan_call_gens(const struct band_plan *p, int width,
                                      int height, int nthreads)
{
    if (p->sec_per_cell <= 0)
        return INT_MAX;
    double most = p->call_seconds * (nthreads > 1 ? nthreads : 1) /
                  (p->sec_per_cell * width * height);
    return most < 1 ? 1 : most > INT_MAX ? INT_MAX : (int)most;
}

/* The cut for a step of up to 'max_gens' generations of a 'width' x 'height'
 * universe with rows of 'row_bytes' bytes, on 'nthreads' workers.
 * 'driver_computes': the back-end may run bands on the calling thread
 * (thread-pool); when 0 (worker-queue, process-pool: every band goes to a
 * worker) work not worth splitting is still one task of several
 * generations, so the hand-off is paid once per several generations. */
static inline struct band_job band_plan_job(const struct band_plan *p, int width,
                                            int height, size_t row_bytes,
                                            int nthreads, int max_gens,
                                            int driver_computes)
{
    struct band_job j = {1, 1, 0, 0};
    int want = max_gens < p->max_gens ? max_gens : p->max_gens;
    int call = band_plan_call_gens(p, width, height, nthreads);
    if (want > call && p->grain <= 0)
        want = call;
    if (want < 1)
        want = 1;
    if (p->grain > 0) {
        /* Fixed: bands of 'grain' cells, always on the workers. */
        double n = (double)width * height / (double)p->grain;
        j.nbands = n >= height ? height : n < 1 ? 1 : (int)n;
        if (j.nbands > BAND_PLAN_MAX_BANDS)
            j.nbands = BAND_PLAN_MAX_BANDS;
        j.gens = want;
        j.split = 1;
        band_plan_finish(p, &j, height, row_bytes, nthreads);
        return j;
    }
    if (p->sec_per_cell <= 0)
        return j; /* measure first */
    double gen_secs = p->sec_per_cell * width * height;
    int budget = band_plan_cache_rows(row_bytes); /* scratch rows per task */
    int k = band_plan_gens_for(budget, want);
    int cache_rows = budget - 2 * k > 1 ? budget - 2 * k : 1;
    /* Several generations a task: with tiles, two bands per thread at
     * least (a band's next round waits only for its neighbours, and a
     * second band gives a thread something to do while a neighbour
     * finishes; halo bands would pay for thinner bands in recomputed rows).
     * Worth it only when a task, with the generations its band's height
     * allows (band_plan_gens_for), is BAND_PLAN_MIN_TASK_SECONDS of work
     * (less than a wake-up: with rounds in flight a worker goes from one
     * task to the next without sleeping): on a 64x64 universe 64
     * generations are worth a wake-up, but two 32-row bands get 4
     * generations each, a microsecond. */
    int split_bands = 0;
    if (nthreads >= 2 && k > 1 && k * gen_secs / 2 >= BAND_PLAN_MIN_SECONDS) {
        int least = p->tiles && height / (2 * nthreads) >= 128 ? 2 * nthreads
                                                               : nthreads;
        int nb = band_plan_bands(height, cache_rows, least, nthreads);
        int rows = (height + nb - 1) / nb;
        if (band_plan_gens_for(rows, k) * gen_secs * rows / height >=
            BAND_PLAN_MIN_TASK_SECONDS)
            split_bands = nb;
    }
    if (split_bands) {
        j.split = 1;
        j.nbands = split_bands;
    } else if (nthreads >= 2 && k == 1 && gen_secs / 2 >= BAND_PLAN_MIN_SECONDS) {
        /* One generation: no scratch, so the cache does not size the
         * bands; tasks of at least BAND_PLAN_MIN_SECONDS, up to 4 per
         * thread as slack for a busy machine. */
        j.split = 1;
        double n = gen_secs / BAND_PLAN_MIN_SECONDS;
        int most = 4 * nthreads;
        int nb = n > most ? most : (int)n;
        nb -= nb % nthreads;
        j.nbands = nb < nthreads ? nthreads : nb;
        if (j.nbands > height)
            j.nbands = height;
        return j;
    } else if (k > 1 && (!driver_computes || (size_t)height > (size_t)budget)) {
        /* Not worth two tasks, or one thread: cache-sized bands of several
         * generations, one after the other (on the driver, or as tasks). */
        j.nbands = band_plan_bands(height, cache_rows, 1, 1);
        j.split = !driver_computes;
    } else {
        return j; /* one plain generation on the driver */
    }
    int band_rows = (height + j.nbands - 1) / j.nbands;
    j.gens = band_plan_gens_for(band_rows, k);
    /* All the workers' scratch together stays small next to the grids
     * (hundreds of threads on a huge universe). */
    int users = !driver_computes ? nthreads /* every worker has scratch */
                : j.split ? (nthreads < j.nbands ? nthreads : j.nbands)
                          : 1;
    band_plan_finish(p, &j, height, row_bytes, users);
    return j;
}

/* Rounds of the job 'j' (every band, j->gens generations each) that one
 * call hands out at once, for a caller asking for up to 'max_gens'
 * generations.  A job the driver runs itself gets rounds only when it is one
 * plain generation of one band (a universe too small to split or to tile):
 * its rounds are plain generations one after the other, and the call's fixed
 * costs (clock reads, planning) are paid once for all of them.  Round r reads one grid and writes the other, alternately;
 * the count is odd, so the last round writes 'next'.  A task of round r + 1
 * waits only for the tasks that wrote what it reads and those that read
 * what it overwrites (band_graph.h: for halo bands, bands i - 1, i and i + 1
 * of round r, which covers every reader of band i's rows only while a halo
 * stays within its neighbours: j->gens <= the rows of the thinnest band;
 * tiles need bands of 2 * gens rows anyway).  So a worker goes on to the
 * next round without waiting for the slowest band or for the driver.  At
 * most BAND_PLAN_MAX_ROUNDS, and about BAND_PLAN_CALL_SECONDS of kernel
 * time, so a caller (the viewer, Ctrl-C) never waits long for a call to
 * return. */
static inline int band_plan_rounds(const struct band_plan *p,
                                   const struct band_job *j, int width,
                                   int height, int max_gens)
{
    int plain = !j->split && j->nbands == 1 && j->gens == 1 && !j->tiles &&
                p->sec_per_cell > 0; /* (the first step only measures) */
    if ((!j->split && !plain) || j->gens > height / j->nbands)
        return 1; /* (tiles have bands of >= 2 * gens rows) */
    long r = max_gens / j->gens;
    if (r > BAND_PLAN_MAX_ROUNDS)
        r = BAND_PLAN_MAX_ROUNDS;
    if (p->sec_per_cell > 0) {
        double most = p->call_seconds /
                      (p->sec_per_cell * width * height * j->gens);
        if (r > most)
            r = most < 1 ? 1 : (long)most;
    }
    if (r > 1 && r % 2 == 0)
        r--;
    return r < 1 ? 1 : (int)r;
}

/* The bands band i of a round waits for in the round before: i - 1, i and
 * i + 1, wrapped on a torus, each once.  Returns how many (1..3). */
static inline int band_plan_neighbours(int i, int nbands, int torus, int out[3])
{
    int n = 0;
    out[n++] = i;
    int up = i > 0 ? i - 1 : torus ? nbands - 1 : -1;
    int dn = i + 1 < nbands ? i + 1 : torus ? 0 : -1;
    if (up >= 0 && up != i)
        out[n++] = up;
    if (dn >= 0 && dn != i && dn != up)
        out[n++] = dn;
    return n;
}

/* Records that computing 'cells' cell-generations took 'seconds' of kernel
 * time (summed over the threads that computed them). */
static inline void band_plan_measured(struct band_plan *p, double cells,
                                      double seconds)
{
    if (p->grain > 0 || cells <= 0 || seconds <= 0)
        return;
    double v = seconds / cells;
    /* A moving average that one preempted step cannot swing: a sample above
     * twice the estimate counts as twice the estimate (a timer interrupt in
     * a 0.4 us generation of 64x64 measures 50 times too long, and would
     * send the next steps to the workers, each paying a wake-up for nothing).
     * The kernels' cost does not depend on the cells, so the estimate only
     * has to follow a change of kernel or of load, which it still does:
     * a quarter more per step. */
    if (p->sec_per_cell > 0 && v > 2 * p->sec_per_cell)
        v = 2 * p->sec_per_cell;
    /* A faster sample is believed at once: nothing makes the kernel look
     * faster than it is, while the first step (page faults on a new grid,
     * cold caches) can look many times slower. */
    p->sec_per_cell = p->sec_per_cell > 0 && v > p->sec_per_cell
                          ? 0.75 * p->sec_per_cell + 0.25 * v
                          : v;
}

#endif
