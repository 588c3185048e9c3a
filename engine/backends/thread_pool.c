/* thread_pool.c - PLACEHOLDER: the thread-pool back-end is not written yet.  create refuses
 * with GLIDER_EUNSUPPORTED so nothing can run on it by accident. */
#include "backend_impl.h"

static int stub_create(void **state, const struct backend_opts *opts,
                       struct glider_error *err)
{
    (void)state;
    (void)opts;
    return glider_errorf(err, GLIDER_EUNSUPPORTED,
                         "back-end 'thread-pool' is not built yet");
}

static int stub_step(void *state, const struct grid *cur, struct grid *next,
                     const struct rule *rule, struct glider_error *err)
{
    (void)state, (void)cur, (void)next, (void)rule;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "not built");
}

static void stub_destroy(void *state)
{
    (void)state;
}

const struct backend_ops backend_thread_pool = {
    .name = "thread-pool",
    .summary = "(not built yet)",
    .create = stub_create,
    .step = stub_step,
    .destroy = stub_destroy,
};
