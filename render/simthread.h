/* simthread.h - the simulation on a thread of its own, for the viewers.
 *
 * The sim thread is the only thread that touches the 'struct sim'.  The UI
 * (SDL window or terminal) talks to it in two directions:
 *   - commands go in through a queue guarded by a mutex, with a condition
 *     variable the sim thread sleeps on while paused or pacing the speed;
 *   - finished generations come out as snapshots (a copy of the cells plus
 *     the numbers the HUD shows), triple-buffered so that neither side ever
 *     waits for the other: the sim thread fills its private buffer and swaps
 *     it with the "ready" one; the UI swaps "ready" with its own when fresh.
 * The UI never blocks on a step.  simthread_sync (scripts only) is the one
 * call that waits, for the commands sent so far to be done. */
#ifndef GLIDER_RENDER_SIMTHREAD_H
#define GLIDER_RENDER_SIMTHREAD_H

#include <stddef.h>
#include <stdint.h>

#include "../engine/backend.h"
#include "../engine/grid.h"
#include "../engine/pattern.h"
#include "../engine/rule.h"
#include "../engine/sim.h"

#define SIMTHREAD_MSG_MAX 256
#define SIMTHREAD_PATH_MAX 1024 /* file names in commands and snapshots */

/* One published generation.  Owned by the simthread; the UI reads the one
 * simthread_acquire gave it until its next simthread_acquire. */
struct snapshot {
    struct grid cells;     /* 'words' is a private copy, not a mapping */
    uint64_t *prev;        /* cells of the previous snapshot (same stride), or NULL */
    int has_prev;          /* 'prev' valid: same size as 'cells' */
    size_t cap_words;      /* words allocated for 'cells.words' */
    size_t prev_cap;       /* words allocated for 'prev' */
    uint64_t generation;
    uint64_t population;
    struct rule rule;
    const char *backend;   /* static name of the active back-end */
    int threads;           /* threads it runs (-j, else its default); 0 when
                              -j means nothing to it (sequential,
                              thread-per-cell) */
    const char *workers;   /* what 'threads' counts, agreeing with it in
                              number: "thread(s)", or "process(es)" */
    int cell_granular;     /* the back-end works cell by cell: no kernel */
    int running;           /* not paused */
    double speed;          /* generations/s, 0 = as fast as possible */
    double step_seconds;   /* total wall time inside steps */
    double time;           /* monotonic seconds when published */
    uint64_t universe_seq; /* bumped when the universe is replaced */
    uint64_t done_seq;     /* commands up to this sequence number are done */
    uint64_t msg_seq;      /* bumped with each new message */
    int msg_is_error;
    char msg[SIMTHREAD_MSG_MAX]; /* last message from the sim thread */
    char path[SIMTHREAD_PATH_MAX]; /* the file last loaded successfully, or "" */
};

enum sim_cmd_kind {
    SIMCMD_RUN,       /* a = 1 run, 0 pause, -1 toggle */
    SIMCMD_STEP,      /* pause, then step 'a' generations */
    SIMCMD_SPEED,     /* d = generations/s, 0 = as fast as possible */
    SIMCMD_BACKEND,   /* a = registry index */
    SIMCMD_THREADS,   /* a = +1 / -1: change the thread count */
    SIMCMD_CELL,      /* x, y, a = alive */
    SIMCMD_CLEAR,
    SIMCMD_SOUP,      /* d = density, seed */
    SIMCMD_LOAD,      /* text = path or library name */
    SIMCMD_SAVE,      /* text = path; a = 1: never overwrite, add "-2",
                         "-3"... before the extension instead */
    SIMCMD_NOTE,      /* text = a message from the UI, a = 1 an error: shown
                         like the sim thread's own, in every front end */
};

struct sim_cmd {
    enum sim_cmd_kind kind;
    int a, x, y;
    double d;
    uint64_t seed;
    char text[SIMTHREAD_PATH_MAX];
};

struct simthread;

/* Takes ownership of 's' and 'text' (also on failure, when they are
 * destroyed) and starts the thread.  'text' (may be NULL) holds the name,
 * author and comments the universe is saved under until a soup, a clear or
 * another load; 'running' and 'speed' are the initial state. */
int simthread_start(struct simthread **out, struct sim *s, struct pattern *text,
                    int running, double speed, struct glider_error *err);
/* Asks the thread to stop after the step in progress, joins it and destroys
 * the sim (joining back-end threads, reaping processes).  NULL is fine. */
void simthread_stop(struct simthread *t);

/* Queues a command; never waits for the sim.  Returns the command's sequence
 * number, or 0 when it could not be queued (out of memory). */
uint64_t simthread_send(struct simthread *t, const struct sim_cmd *c);

/* Makes the newest published snapshot the UI's own and returns it (the
 * previous one returned is invalid from now on).  '*fresh' is set when it is
 * newer than the last one returned. */
const struct snapshot *simthread_acquire(struct simthread *t, int *fresh);

/* Waits (at most 'timeout' seconds) until every command sent so far is done
 * and published.  Returns 0, or GLIDER_EINTR on timeout.  For scripts. */
int simthread_sync(struct simthread *t, double timeout);

/* Monotonic seconds. */
double simthread_now(void);

#endif
