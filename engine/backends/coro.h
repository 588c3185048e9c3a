/* coro.h - stackless coroutines, and the two of Life: step_cell and
 * count_neighbors.
 *
 * A stackless coroutine is a struct holding its resume point and the locals
 * that must survive a yield, plus a resume function.  Inside the resume
 * function CORO_BEGIN jumps (a switch, as in Duff's device) to where the
 * last CORO_YIELD left off.  So a suspended coroutine costs the bytes of its
 * struct and nothing else: no stack, no heap.
 *
 * Every resume returns a status the driver checks, as Lua's auxresume checks
 * what lua_resume returns:
 *   CORO_QUERY       it wants the state of cell ('y', 'x') of the yield record;
 *                    the answer is the 'answer' argument of the next resume.
 *                    Coordinates are raw (may be -1 or the width): the driver
 *                    applies the topology, as the textbook's Grid.query wraps.
 *   CORO_TRANSITION  cell ('y', 'x') becomes 'state' in the next generation.
 *   CORO_DONE        it has finished; the struct may be reused.
 *   CORO_ERROR       resumed after finishing, with a bad answer, or corrupted.
 *
 * The Life coroutines mirror Effective Python's generator version:
 *   def count_neighbors(y, x):        8 x  state = yield Query(y+dy, x+dx)
 *   def step_cell(y, x):              state = yield Query(y, x)
 *                                     neighbors = yield from count_neighbors(y, x)
 *                                     yield Transition(y, x, logic(state, neighbors))
 * with the neighbours in the book's order N, NE, E, SE, S, SW, W, NW, N being
 * (y - 1, x). */
#ifndef GLIDER_CORO_H
#define GLIDER_CORO_H

#include <stdint.h>

#include "../rule.h"

enum coro_status {
    CORO_QUERY,
    CORO_TRANSITION,
    CORO_DONE,
    CORO_ERROR
};

/* What a coroutine hands the driver with CORO_QUERY or CORO_TRANSITION.  It
 * lives in the driver, not in the coroutine. */
struct coro_yield {
    int32_t y, x; /* the cell asked about, or changing */
    int state;    /* CORO_TRANSITION: its next state (0 or 1) */
};

/* Resume points.  0 = not started; CORO_PC_DEAD = finished. */
#define CORO_PC_DEAD 0xffffu

#define CORO_BEGIN(pc)                                                    \
    switch (pc) {                                                         \
    case 0:

/* Suspends, returning 'status'; the next resume continues after it.  Must
 * not be used twice on one line (the line number is the resume point). */
#define CORO_YIELD(pc, status)                                            \
    do {                                                                  \
        (pc) = __LINE__;                                                  \
        return (status);                                                  \
    case __LINE__:;                                                       \
    } while (0)

/* Finishes: this resume returns CORO_DONE, any later one CORO_ERROR (a dead
 * coroutine cannot be resumed), as does a resume point that is not ours. */
#define CORO_END(pc)                                                      \
    (pc) = CORO_PC_DEAD;                                                  \
    return CORO_DONE;                                                     \
    }                                                                     \
    return CORO_ERROR

/* count_neighbors(y, x): its locals (the caller passes y and x). */
struct coro_count {
    uint16_t pc;   /* resume point */
    uint8_t k;     /* neighbours asked so far, 0..8 */
    uint8_t count; /* live ones among them */
};

/* step_cell(y, x): 12 bytes in flight, the sub-coroutine included. */
struct coro_cell {
    uint16_t y, x;         /* the cell (GRID_MAX_DIM fits in 16 bits) */
    uint16_t pc;           /* resume point */
    uint8_t alive;         /* its own state, the answer to the first query */
    uint8_t unused;
    struct coro_count sub; /* count_neighbors while delegated to */
};

/* Prepares 'c' to step cell (y, x); not started yet. */
static inline void coro_cell_init(struct coro_cell *c, int y, int x)
{
    *c = (struct coro_cell){.y = (uint16_t)y, .x = (uint16_t)x};
}

/* Resumes step_cell with 'answer' (the state asked for by its last
 * CORO_QUERY; ignored on the first resume).  Fills '*out' for CORO_QUERY and
 * CORO_TRANSITION.  'rule' is game_logic. */
enum coro_status coro_cell_resume(struct coro_cell *c, int answer,
                                  const struct rule *rule,
                                  struct coro_yield *out);

/* Resumes count_neighbors(y, x) with 'answer'.  On CORO_DONE the count is in
 * c->count. */
enum coro_status coro_count_resume(struct coro_count *c, int y, int x,
                                   int answer, struct coro_yield *out);

#endif
