/* band_graph.h - the tasks of one step of the band back-ends, and which task
 * waits for which.
 *
 * A step is 'rounds' rounds; each round computes 'gens' generations of the
 * whole universe, reading one grid and writing the other (round 0 reads
 * 'cur' and writes 'next', odd rounds read 'next', even ones write it: the
 * count is odd, so the last round writes 'next').  A round is either
 *   - halo bands (band_gens.h): one task per band, computing its rows from a
 *     halo; the band of round r + 1 waits for bands i - 1, i, i + 1 of round
 *     r (they wrote its rows and its halo; they read rows it overwrites), or
 *   - tiles (band_tiles.h): one shrink task per band, then one grow task per
 *     edge between bands.  A grow waits for the shrinks of the bands above
 *     and below it (same round); the shrink of band i in round r + 1 waits
 *     for the shrink of band i and the grows at both edges of band i in
 *     round r.
 * A task is named by its id: round * per_round + its index in the round
 * (bands or shrinks first, then grows).  Dependencies always have smaller
 * ids, so submitting in id order never waits for a later task.
 *
 * Private to engine/backends/ (thread-pool and worker-queue); no state of
 * its own: the functions are pure. */
#ifndef GLIDER_BAND_GRAPH_H
#define GLIDER_BAND_GRAPH_H

#include "backend_impl.h"
#include "../band_tiles.h"
#include "band_plan.h"

enum band_task_kind {
    BAND_TASK_HALO,   /* band_gens on rows [y0, y1) */
    BAND_TASK_SHRINK, /* band_tile_shrink of band 'band', rows [y0, y1) */
    BAND_TASK_GROW    /* band_tile_grow at row y0, between 'above' and 'band' */
};

struct band_graph {
    int height;    /* rows of the universe */
    int nbands;    /* bands a round */
    int ngrows;    /* grow tasks a round (0 for halo bands) */
    int per_round; /* nbands + ngrows */
    int rounds;
    int torus;
    int tiles;
};

struct band_task {
    enum band_task_kind kind;
    int round;
    int y0, y1; /* HALO, SHRINK: the band's rows; GROW: y0 is the edge */
    int band;   /* SHRINK: its band; GROW: the band below the edge */
    int above;  /* GROW: the band above the edge */
};

static inline void band_graph_init(struct band_graph *g, int height, int nbands,
                                   int rounds, int torus, int tiles)
{
    g->height = height;
    g->nbands = nbands;
    g->ngrows = tiles ? band_tiles_grows(nbands, torus) : 0;
    g->per_round = nbands + g->ngrows;
    g->rounds = rounds;
    g->torus = torus;
    g->tiles = tiles;
}

static inline long band_graph_tasks(const struct band_graph *g)
{
    return (long)g->rounds * g->per_round;
}

/* The grow at the top of band b, and the one at its bottom (-1: a plane's
 * edge, where there is none). */
static inline int band_graph_top_grow(const struct band_graph *g, int b)
{
    return g->torus ? b : b - 1;
}

static inline int band_graph_bottom_grow(const struct band_graph *g, int b)
{
    return g->torus ? (b + 1) % g->nbands : b + 1 < g->nbands ? b : -1;
}

static inline struct band_task band_graph_task(const struct band_graph *g,
                                               long id)
{
    struct band_task t = {BAND_TASK_HALO, (int)(id / g->per_round), 0, 0, 0, 0};
    int i = (int)(id % g->per_round);
    if (i < g->nbands) {
        t.kind = g->tiles ? BAND_TASK_SHRINK : BAND_TASK_HALO;
        t.band = i;
        backend_band(g->height, g->nbands, i, &t.y0, &t.y1);
        return t;
    }
    t.kind = BAND_TASK_GROW;
    t.band = g->torus ? i - g->nbands : i - g->nbands + 1;
    t.above = (t.band + g->nbands - 1) % g->nbands;
    int y1;
    backend_band(g->height, g->nbands, t.band, &t.y0, &y1);
    return t;
}

/* Adds 'id' to out[0..n) unless it is there already; returns the new n. */
static inline int band_graph_add(long *out, int n, long id)
{
    for (int i = 0; i < n; i++)
        if (out[i] == id)
            return n;
    out[n] = id;
    return n + 1;
}

/* The tasks task 'id' waits for (all with smaller ids); returns how many
 * (0..3). */
static inline int band_graph_waits(const struct band_graph *g, long id,
                                   long out[3])
{
    long r = id / g->per_round, base = r * g->per_round;
    int i = (int)(id - base), n = 0;
    if (!g->tiles || i < g->nbands) {
        if (r == 0)
            return 0;
        long prev = base - g->per_round;
        if (!g->tiles) {
            int nbr[3], k = band_plan_neighbours(i, g->nbands, g->torus, nbr);
            for (int j = 0; j < k; j++)
                n = band_graph_add(out, n, prev + nbr[j]);
            return n;
        }
        n = band_graph_add(out, n, prev + i);
        int top = band_graph_top_grow(g, i), bot = band_graph_bottom_grow(g, i);
        if (top >= 0)
            n = band_graph_add(out, n, prev + g->nbands + top);
        if (bot >= 0)
            n = band_graph_add(out, n, prev + g->nbands + bot);
        return n;
    }
    struct band_task t = band_graph_task(g, id);
    n = band_graph_add(out, n, base + t.above);
    return band_graph_add(out, n, base + t.band);
}

/* The tasks that wait for task 'id' (the inverse of band_graph_waits, within
 * the step's rounds); returns how many (0..3). */
static inline int band_graph_waiters(const struct band_graph *g, long id,
                                     long out[3])
{
    long r = id / g->per_round, base = r * g->per_round;
    long next = base + g->per_round;
    int i = (int)(id - base), n = 0, last = r + 1 >= g->rounds;
    if (!g->tiles) {
        if (last)
            return 0;
        int nbr[3], k = band_plan_neighbours(i, g->nbands, g->torus, nbr);
        for (int j = 0; j < k; j++)
            n = band_graph_add(out, n, next + nbr[j]);
        return n;
    }
    if (i < g->nbands) {
        int top = band_graph_top_grow(g, i), bot = band_graph_bottom_grow(g, i);
        if (top >= 0)
            n = band_graph_add(out, n, base + g->nbands + top);
        if (bot >= 0)
            n = band_graph_add(out, n, base + g->nbands + bot);
        if (!last)
            n = band_graph_add(out, n, next + i);
        return n;
    }
    if (last)
        return 0;
    struct band_task t = band_graph_task(g, id);
    n = band_graph_add(out, n, next + t.above);
    return band_graph_add(out, n, next + t.band);
}

/* The grids of a step: round r reads band_round_src and writes
 * band_round_dst ('spare' is 'cur' itself when the back-end may use it, and
 * is never touched by a step of one round). */
struct band_grids {
    const struct grid *cur;
    struct grid *next;
    struct grid *spare;
};

static inline const struct grid *band_round_src(const struct band_grids *g,
                                                int round)
{
    return round == 0 ? g->cur : round % 2 ? g->next : g->spare;
}

static inline struct grid *band_round_dst(const struct band_grids *g, int round)
{
    return round % 2 ? g->spare : g->next;
}

/* Runs task 't' of a step computing 'gens' generations a round: 'edges'
 * holds one band_edges per band (for tiles), 's' the calling worker's
 * scratch (band_job_scratch_rows rows). */
static inline void band_task_run(const struct band_task *t,
                                 const struct band_grids *g,
                                 kernel_band_fn band, const struct rule *rule,
                                 int gens, struct band_edges *edges,
                                 struct band_scratch *s)
{
    const struct grid *src = band_round_src(g, t->round);
    struct grid *dst = band_round_dst(g, t->round);
    switch (t->kind) {
    case BAND_TASK_HALO:
        band_gens(band, src, dst, rule, t->y0, t->y1, gens, s);
        break;
    case BAND_TASK_SHRINK:
        band_tile_shrink(band, src, dst, rule, t->y0, t->y1, gens,
                         &edges[t->band], s);
        break;
    case BAND_TASK_GROW:
        band_tile_grow(band, dst, rule, t->y0, gens, &edges[t->above],
                       &edges[t->band], s);
        break;
    }
}

#endif
