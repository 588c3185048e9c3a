/* coro.c - the Life coroutines, count_neighbors and step_cell (see coro.h). */
#include "coro.h"

/* The book's order: N, NE, E, SE, S, SW, W, NW. */
static const int8_t DY[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
static const int8_t DX[8] = {0, 1, 1, 1, 0, -1, -1, -1};

enum coro_status coro_count_resume(struct coro_count *c, int y, int x,
                                   int answer, struct coro_yield *out)
{
    CORO_BEGIN(c->pc);
    c->count = 0;
    for (c->k = 0; c->k < 8; c->k++) {
        out->y = y + DY[c->k];
        out->x = x + DX[c->k];
        CORO_YIELD(c->pc, CORO_QUERY); /* state = yield Query(...) */
        if (answer != 0 && answer != 1)
            return CORO_ERROR;
        c->count = (uint8_t)(c->count + answer);
    }
    CORO_END(c->pc); /* return count */
}

enum coro_status coro_cell_resume(struct coro_cell *c, int answer,
                                  const struct rule *rule,
                                  struct coro_yield *out)
{
    enum coro_status st;
    CORO_BEGIN(c->pc);
    out->y = c->y;
    out->x = c->x;
    CORO_YIELD(c->pc, CORO_QUERY); /* state = yield Query(y, x) */
    if (answer != 0 && answer != 1)
        return CORO_ERROR;
    c->alive = (uint8_t)answer;
    c->sub = (struct coro_count){0};
    /* neighbors = yield from count_neighbors(y, x): pass its queries up and
     * our answers down until it returns. */
    for (;;) {
        st = coro_count_resume(&c->sub, c->y, c->x, answer, out);
        if (st != CORO_QUERY)
            break;
        CORO_YIELD(c->pc, CORO_QUERY);
    }
    if (st != CORO_DONE)
        return CORO_ERROR;
    out->y = c->y;
    out->x = c->x;
    out->state = rule_next(rule, c->alive, c->sub.count);
    CORO_YIELD(c->pc, CORO_TRANSITION); /* yield Transition(y, x, ...) */
    CORO_END(c->pc);
}
