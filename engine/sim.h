/* sim.h - the simulation: the only owner of the grids.
 *
 * A sim holds the current grid 'cur', the scratch grid 'next', the rule, the
 * generation count and the active back-end.  sim_step lends both grids to the
 * back-end for one generation, then swaps them.  sim_set_backend starts the
 * new back-end before stopping the old one, so a failure changes nothing.
 * A sim is not thread-safe: one thread drives it (the viewer gives it a
 * thread of its own). */
#ifndef GLIDER_SIM_H
#define GLIDER_SIM_H

#include <stdint.h>

#include "backend.h"
#include "error.h"
#include "grid.h"
#include "rule.h"

struct sim;

struct sim_config {
    int width, height;        /* universe size */
    enum topology topo;       /* TOPO_TORUS or TOPO_PLANE */
    struct rule rule;         /* e.g. RULE_LIFE */
    const char *backend;      /* NULL = the registry's default */
    struct backend_opts opts; /* passed to the back-end's create */
};

/* Creates a sim with a dead universe.  On failure *out is NULL. */
int sim_create(struct sim **out, const struct sim_config *cfg,
               struct glider_error *err);
/* Stops the back-end (joining every thread, reaping every process) and frees
 * everything.  NULL is fine. */
void sim_destroy(struct sim *s);

/* One generation.  On failure the universe and generation are unchanged. */
int sim_step(struct sim *s, struct glider_error *err);
/* Between 1 and 'max' generations in one call to the back-end (a band
 * back-end computes several at once when it pays; others one); *done says
 * how many.  On failure the universe and generation are unchanged. */
int sim_advance(struct sim *s, uint64_t max, uint64_t *done,
                struct glider_error *err);
/* 'n' generations; stops at the first failure (earlier ones stay done). */
int sim_run(struct sim *s, uint64_t n, struct glider_error *err);

/* Lets a long step stop early: while '*cancel' (NULL: nothing) is non-zero,
 * a back-end that can stop inside a generation (backend_ops.set_cancel) does,
 * and the step fails with GLIDER_EINTR, the universe and generation
 * unchanged.  The flag may be set from another thread or a signal handler;
 * it stays in force across sim_set_backend. */
void sim_set_cancel(struct sim *s, const atomic_int *cancel);

/* Switches to back-end 'name' between generations.  On failure the old
 * back-end stays active and nothing changes. */
int sim_set_backend(struct sim *s, const char *name,
                    const struct backend_opts *opts, struct glider_error *err);

/* Replaces the universe by a new dead one of another size or topology.
 * On failure nothing changes. */
int sim_resize(struct sim *s, int width, int height, enum topology topo,
               struct glider_error *err);

/* The current generation's cells.  'sim_grid_edit' may be written between
 * steps (drawing, loading a pattern). */
const struct grid *sim_grid(const struct sim *s);
struct grid *sim_grid_edit(struct sim *s);

const struct rule *sim_rule(const struct sim *s);
void sim_set_rule(struct sim *s, const struct rule *rule);

uint64_t sim_generation(const struct sim *s);
void sim_set_generation(struct sim *s, uint64_t gen);

const struct backend_ops *sim_backend(const struct sim *s);
const struct backend_opts *sim_backend_opts(const struct sim *s);
/* The active back-end's statistics (0 when it has none). */
int sim_backend_stats(const struct sim *s, struct backend_stat *out, int max);
/* The threads (worker processes for process-pool, schedulers for coroutine)
 * the active back-end runs: -j, or the count its statistics report for its
 * default; 0 for the back-ends -j means nothing to (sequential,
 * thread-per-cell). */
int sim_threads(const struct sim *s);
/* Wall seconds spent inside back-end steps since create. */
double sim_step_seconds(const struct sim *s);

#endif
