/* sequential.c - the reference back-end: one loop, one thread.
 *
 * DESIGN: the calling thread computes every row of 'next' from 'cur' with the
 * active band kernel, top to bottom.  No other thread exists; nothing is
 * shared.  It is the back-end every other one is compared with. */
#include "backend_impl.h"

#include <stdlib.h>

struct sequential {
    long steps;     /* generations computed */
    double seconds; /* time spent in them */
};

static int seq_create(void **state, const struct backend_opts *opts,
                      struct glider_error *err)
{
    (void)opts;
    struct sequential *s = sys_calloc(1, sizeof *s);
    if (!s)
        return glider_errorf(err, GLIDER_ENOMEM, "sequential: out of memory");
    *state = s;
    return 0;
}

static int seq_step(void *state, const struct grid *cur, struct grid *next,
                    const struct rule *rule, struct glider_error *err)
{
    (void)err;
    struct sequential *s = state;
    double t0 = backend_now();
    kernel_step(cur, next, rule);
    s->seconds += backend_now() - t0;
    s->steps++;
    return 0;
}

static void seq_destroy(void *state)
{
    free(state);
}

static int seq_stats(void *state, struct backend_stat *out, int max)
{
    struct sequential *s = state;
    struct backend_stat st[] = {
        {"generations", (double)s->steps, ""},
        {"time stepping", s->seconds, "s"},
    };
    int n = 0;
    for (; n < max && n < (int)(sizeof st / sizeof st[0]); n++)
        out[n] = st[n];
    return n;
}

const struct backend_ops backend_sequential = {
    .name = "sequential",
    .summary = "one loop on the calling thread: the reference",
    .create = seq_create,
    .step = seq_step,
    .destroy = seq_destroy,
    .stats = seq_stats,
};
