/* backend.h - the concurrency back-end interface and the registry.
 *
 * A back-end computes 'next' from 'cur' for one generation.  It never owns the
 * cells: the sim does, and lends both grids to the back-end for the length of
 * one step.  That is why switching back-ends between generations loses
 * nothing and copies nothing.  Each back-end is one file in engine/backends/
 * exporting one const 'struct backend_ops'. */
#ifndef GLIDER_BACKEND_H
#define GLIDER_BACKEND_H

#include <stdatomic.h>

#include "error.h"
#include "grid.h"
#include "rule.h"

#define BACKEND_MAX_THREADS 1024

/* Options for create.  Zero in any field means "the back-end's default". */
struct backend_opts {
    int threads;          /* workers/threads/processes, 1..BACKEND_MAX_THREADS */
    int task_cells;       /* worker-queue: cells per task (1 = one per cell) */
    int max_live_threads; /* thread-per-cell: threads alive at once */
    int ipc_copy;         /* process-pool: rows travel through the pipes */
    int coroutines;       /* coroutine: coroutines in flight at once */
    int gens_per_task;    /* band back-ends: generations per band task, at
                             most (1 = one task per band per generation) */
};

/* One statistic a back-end reports (for --stats, the HUD and bench). */
struct backend_stat {
    const char *name;  /* e.g. "thread starts/s" */
    double value;
    const char *unit;  /* "", "s", "B", ... */
};

#define BACKEND_MAX_STATS 16

/* Flags in backend_ops.flags. */
#define BACKEND_CELL_GRANULAR 1u /* one unit of work per cell: slow by design */

struct backend_ops {
    /* Name users type ("thread-pool") and a one-line summary. */
    const char *name;
    const char *summary;
    /* Starts the back-end (threads, processes...).  On failure nothing is left
     * running, *state is untouched and 'err' says why. */
    int (*create)(void **state, const struct backend_opts *opts,
                  struct glider_error *err);
    /* Computes 'next' from 'cur' (same size and topology).  Reads 'cur' only.
     * On failure 'cur' is unchanged, 'next' is garbage and the back-end is
     * still usable or destroyable. */
    int (*step)(void *state, const struct grid *cur, struct grid *next,
                const struct rule *rule, struct glider_error *err);
    /* Optional (may be NULL): like step, but computes up to 'max_gens'
     * (>= 1) generations at once: 'next' becomes the universe *gens_done
     * generations after 'cur', 1 <= *gens_done <= max_gens.  The band
     * back-ends use it to hand out work once per several generations
     * (engine/band_gens.h), and to hand out several rounds of that at once
     * (band_plan.h), each round's tasks starting as soon as the neighbouring
     * bands of the round before are done.  'cur' is lent as working storage
     * too: on success its contents are unspecified (the rounds alternate
     * between the two grids, so 'cur' may hold an intermediate generation).
     * On failure 'cur' is unchanged: a back-end writes 'cur' only once
     * nothing can fail any more. */
    int (*step_gens)(void *state, struct grid *cur, struct grid *next,
                     const struct rule *rule, int max_gens, int *gens_done,
                     struct glider_error *err);
    /* Stops everything create started and frees 'state'.  Never fails. */
    void (*destroy)(void *state);
    /* Optional (may be NULL): fills up to 'max' stats, returns how many.
     * Counts are cumulative since create. */
    int (*stats)(void *state, struct backend_stat *out, int max);
    /* Optional (may be NULL), for the steps that can take seconds (the
     * cell-granular ones): from now on a step looks at '*cancel' (NULL: at
     * nothing) at least once per row of cells, and when it is non-zero
     * stops early, waits for the work already handed out, and fails with
     * GLIDER_EINTR, 'cur' unchanged.  Called between steps; the flag is
     * set from any thread or a signal handler. */
    void (*set_cancel)(void *state, const atomic_int *cancel);
    unsigned flags; /* BACKEND_* */
};

/* Whether the cancel flag a back-end was given (set_cancel; NULL: none) is
 * set.  Relaxed: it only asks the step to stop, and orders nothing. */
static inline int backend_cancelled(const atomic_int *cancel)
{
    return cancel && atomic_load_explicit(cancel, memory_order_relaxed) != 0;
}

/* The registry: backend_at(0) is the default; NULL past the end. */
const struct backend_ops *backend_at(int i);
/* NULL when no back-end has that name. */
const struct backend_ops *backend_find(const char *name);
/* Like backend_find, but fills 'err' with the list of known names. */
int backend_lookup(const char *name, const struct backend_ops **out,
                   struct glider_error *err);
int backend_count(void);

#endif
