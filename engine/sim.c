/* sim.c - the owner of the grids; runs generations on the active back-end. */
#include "sim.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sys.h"

struct sim {
    struct grid *cur;                 /* the generation users see */
    struct grid *next;                /* scratch, lent to the back-end */
    struct rule rule;                 /* the rule in force */
    uint64_t generation;              /* generations since load */
    const struct backend_ops *ops;    /* active back-end */
    void *state;                      /* its private state */
    struct backend_opts opts;         /* the options it was created with */
    double step_seconds;              /* time inside ops->step */
    const atomic_int *cancel;         /* see sim_set_cancel */
};

/* Hands the cancel flag to the back-end in 'state', when it takes one. */
static void give_cancel(const struct backend_ops *ops, void *state,
                        const atomic_int *cancel)
{
    if (ops->set_cancel)
        ops->set_cancel(state, cancel);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int sim_create(struct sim **out, const struct sim_config *cfg,
               struct glider_error *err)
{
    *out = NULL;
    const struct backend_ops *ops = backend_at(0);
    int rc;
    if (cfg->backend && (rc = backend_lookup(cfg->backend, &ops, err)))
        return rc;
    struct sim *s = sys_calloc(1, sizeof *s);
    if (!s)
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    s->rule = cfg->rule;
    s->opts = cfg->opts;
    if ((rc = grid_create(&s->cur, cfg->width, cfg->height, cfg->topo, err)))
        goto fail;
    if ((rc = grid_create(&s->next, cfg->width, cfg->height, cfg->topo, err)))
        goto fail;
    if ((rc = ops->create(&s->state, &s->opts, err)))
        goto fail;
    s->ops = ops;
    *out = s;
    return 0;
fail:
    grid_destroy(s->cur);
    grid_destroy(s->next);
    free(s);
    return rc;
}

void sim_destroy(struct sim *s)
{
    if (!s)
        return;
    if (s->ops)
        s->ops->destroy(s->state);
    grid_destroy(s->cur);
    grid_destroy(s->next);
    free(s);
}

/* One call to the back-end: 'max' == 1 (or a back-end without step_gens)
 * is exactly one generation through 'step'.  On success the grids swap and
 * *done generations are counted; on failure nothing changes. */
static int sim_call(struct sim *s, uint64_t max, uint64_t *done,
                    struct glider_error *err)
{
    int gens = 1, rc;
    double t0 = now();
    if (max == 1 || !s->ops->step_gens)
        rc = s->ops->step(s->state, s->cur, s->next, &s->rule, err);
    else
        rc = s->ops->step_gens(s->state, s->cur, s->next, &s->rule,
                               max > INT_MAX ? INT_MAX : (int)max, &gens, err);
    s->step_seconds += now() - t0;
    *done = 0;
    if (rc)
        return rc;
    struct grid *t = s->cur;
    s->cur = s->next;
    s->next = t;
    s->generation += (uint64_t)gens;
    *done = (uint64_t)gens;
    return 0;
}

int sim_step(struct sim *s, struct glider_error *err)
{
    uint64_t done;
    return sim_call(s, 1, &done, err);
}

int sim_advance(struct sim *s, uint64_t max, uint64_t *done,
                struct glider_error *err)
{
    *done = 0;
    return max == 0 ? 0 : sim_call(s, max, done, err);
}

int sim_run(struct sim *s, uint64_t n, struct glider_error *err)
{
    while (n > 0) {
        uint64_t done;
        int rc = sim_advance(s, n, &done, err);
        if (rc)
            return rc;
        n -= done;
    }
    return 0;
}

int sim_set_backend(struct sim *s, const char *name,
                    const struct backend_opts *opts, struct glider_error *err)
{
    const struct backend_ops *ops;
    void *state = NULL;
    struct backend_opts o = opts ? *opts : s->opts;
    int rc = backend_lookup(name, &ops, err);
    if (rc)
        return rc;
    /* Start the new one first: if it fails, the old one is still running. */
    if ((rc = ops->create(&state, &o, err)))
        return rc;
    give_cancel(ops, state, s->cancel);
    s->ops->destroy(s->state);
    s->ops = ops;
    s->state = state;
    s->opts = o;
    return 0;
}

void sim_set_cancel(struct sim *s, const atomic_int *cancel)
{
    s->cancel = cancel;
    give_cancel(s->ops, s->state, cancel);
}

int sim_resize(struct sim *s, int width, int height, enum topology topo,
               struct glider_error *err)
{
    struct grid *a = NULL, *b = NULL;
    int rc = grid_create(&a, width, height, topo, err);
    if (rc == 0)
        rc = grid_create(&b, width, height, topo, err);
    if (rc) {
        grid_destroy(a);
        return rc;
    }
    grid_destroy(s->cur);
    grid_destroy(s->next);
    s->cur = a;
    s->next = b;
    s->generation = 0;
    return 0;
}

const struct grid *sim_grid(const struct sim *s)
{
    return s->cur;
}

struct grid *sim_grid_edit(struct sim *s)
{
    return s->cur;
}

const struct rule *sim_rule(const struct sim *s)
{
    return &s->rule;
}

void sim_set_rule(struct sim *s, const struct rule *rule)
{
    s->rule = *rule;
}

uint64_t sim_generation(const struct sim *s)
{
    return s->generation;
}

void sim_set_generation(struct sim *s, uint64_t gen)
{
    s->generation = gen;
}

const struct backend_ops *sim_backend(const struct sim *s)
{
    return s->ops;
}

const struct backend_opts *sim_backend_opts(const struct sim *s)
{
    return &s->opts;
}

int sim_backend_stats(const struct sim *s, struct backend_stat *out, int max)
{
    return s->ops->stats ? s->ops->stats(s->state, out, max) : 0;
}

int sim_threads(const struct sim *s)
{
    if (strcmp(s->ops->name, "sequential") == 0 ||
        strcmp(s->ops->name, "thread-per-cell") == 0)
        return 0;
    if (s->opts.threads)
        return s->opts.threads;
    static const char *const names[] = {"threads", "workers", "scheduler threads"};
    struct backend_stat st[BACKEND_MAX_STATS];
    int n = sim_backend_stats(s, st, BACKEND_MAX_STATS);
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (strcmp(st[i].name, names[k]) == 0)
                return (int)st[i].value;
    return 0;
}

double sim_step_seconds(const struct sim *s)
{
    return s->step_seconds;
}
