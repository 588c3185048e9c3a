/* cmd_bench.c - 'glider bench': every chosen back-end on the same seeded soup.
 *
 * For each universe size and kernel, 'sequential' runs first: it is the
 * baseline for the ratio column and, through a memo of final hashes, the
 * reference every other back-end's final grid must equal.  Each case creates
 * its own sim (create timed apart), warms up, then times only the generation
 * loop of --runs runs, each on a fresh copy of the soup, and reports the
 * median.  bench_golly.c does --vs-golly. */
#include <stdlib.h>
#include <string.h>

#include "../engine/kernel.h"
#include "../engine/sys.h"
#include "bench.h"

/* Final hashes of the reference run, by universe size and generations. */
struct memo {
    int width, height;
    uint64_t gens, hash;
};

struct bench {
    const struct bench_config *cfg;
    struct bench_row *rows;
    int nrows, cap;
    struct memo *memo;
    int nmemo, capmemo;
    int failed; /* a DIFFERENT or failed row: exit 1 */
};

static struct bench_row *add_row(struct bench *b)
{
    if (b->nrows == b->cap) {
        int cap = b->cap ? b->cap * 2 : 16;
        struct bench_row *r = realloc(b->rows, (size_t)cap * sizeof *r);
        if (!r)
            return NULL;
        b->rows = r;
        b->cap = cap;
    }
    struct bench_row *r = &b->rows[b->nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

static struct memo *memo_find(struct bench *b, int w, int h, uint64_t gens)
{
    for (int i = 0; i < b->nmemo; i++)
        if (b->memo[i].width == w && b->memo[i].height == h &&
            b->memo[i].gens == gens)
            return &b->memo[i];
    return NULL;
}

static int memo_add(struct bench *b, int w, int h, uint64_t gens, uint64_t hash)
{
    if (b->nmemo == b->capmemo) {
        int cap = b->capmemo ? b->capmemo * 2 : 16;
        struct memo *m = realloc(b->memo, (size_t)cap * sizeof *m);
        if (!m)
            return GLIDER_ENOMEM;
        b->memo = m;
        b->capmemo = cap;
    }
    b->memo[b->nmemo++] = (struct memo){w, h, gens, hash};
    return 0;
}

static int make_sim(const struct bench_config *cfg, const char *backend,
                    int threads, int w, int h, struct sim **s,
                    struct glider_error *err)
{
    struct sim_config sc = {0};
    sc.width = w;
    sc.height = h;
    sc.topo = cfg->topo;
    sc.rule = cfg->rule;
    sc.backend = backend;
    sc.opts = cfg->tuning;
    sc.opts.threads = threads;
    return sim_create(s, &sc, err);
}

/* The hash 'sequential' reaches after 'gens' generations of the soup (run
 * now, untimed, unless a sequential row or an earlier call already knows). */
static int reference_hash(struct bench *b, int w, int h, uint64_t gens,
                          uint64_t *hash, struct glider_error *err)
{
    struct memo *m = memo_find(b, w, h, gens);
    if (m) {
        *hash = m->hash;
        return 0;
    }
    struct sim *s;
    int rc = make_sim(b->cfg, "sequential", 0, w, h, &s, err);
    if (rc)
        return rc;
    grid_fill_soup(sim_grid_edit(s), b->cfg->density, b->cfg->seed);
    double secs;
    rc = bench_time_generations(s, gens, &secs, err);
    *hash = grid_hash(sim_grid(s));
    sim_destroy(s);
    if (rc == 0 && memo_add(b, w, h, gens, *hash))
        rc = glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    return rc;
}

/* Warms the back-end up with batches of 1, 2, 4... generations until a batch
 * takes 20 ms (50 ms when calibrating) or 'limit' generations are done, and
 * returns the seconds per generation of the last batch. */
static int warm_up(struct sim *s, uint64_t limit, double min_batch,
                   double *per_gen, struct glider_error *err)
{
    uint64_t done = 0, batch = 1;
    *per_gen = 0;
    while (done < limit) {
        if (batch > limit - done)
            batch = limit - done;
        double secs;
        int rc = bench_time_generations(s, batch, &secs, err);
        if (rc)
            return rc;
        done += batch;
        *per_gen = secs / (double)batch;
        if (secs >= min_batch)
            break;
        batch *= 2;
    }
    return 0;
}

/* Runs one case into 'r' (ops, threads shown, kernel, size already set) with
 * 'threads' requested from the back-end (0 = its default).  '*gens' is the
 * size's generation count; 0 means "choose it now" (the first case of a size,
 * sequential, when -g is not given).  A back-end that cannot start or fails is
 * recorded in the row; the return value is non-zero only when the bench must
 * end (interrupted, out of memory). */
static int run_case(struct bench *b, struct bench_row *r, int threads, uint64_t *gens,
                    struct glider_error *err)
{
    const struct bench_config *cfg = b->cfg;
    struct sim *s;
    int explicit_gens = cfg->generations >= 0;
    double t0 = cli_now();
    int rc = make_sim(cfg, r->ops->name, threads, r->width, r->height, &s, err);
    r->create = cli_now() - t0;
    if (rc) {
        r->status = ROW_UNAVAILABLE;
        snprintf(r->reason, sizeof r->reason, "unavailable: %s", err->msg);
        return 0;
    }
    grid_fill_soup(sim_grid_edit(s), cfg->density, cfg->seed);
    double per_gen = 0;
    if (*gens == 0) {
        rc = warm_up(s, BENCH_MAX_AUTO_GENS, 0.05, &per_gen, err);
        double g = per_gen > 0 ? BENCH_TARGET_SECONDS / per_gen : BENCH_MAX_AUTO_GENS;
        *gens = g < 1 ? 1 : g > BENCH_MAX_AUTO_GENS ? BENCH_MAX_AUTO_GENS : (uint64_t)g;
    } else {
        rc = warm_up(s, *gens, 0.02, &per_gen, err);
    }
    r->gens = *gens;
    if (rc == 0 && !explicit_gens && per_gen * (double)r->gens > BENCH_MAX_SECONDS) {
        double g = BENCH_TARGET_SECONDS / per_gen;
        r->gens = g < 1 ? 1 : (uint64_t)g;
        r->fewer = 1;
    }
    double secs[1000];
    int consistent = 1;
    for (int i = 0; rc == 0 && i < cfg->runs; i++) {
        grid_fill_soup(sim_grid_edit(s), cfg->density, cfg->seed);
        sim_set_generation(s, 0);
        if ((rc = bench_time_generations(s, r->gens, &secs[i], err)))
            break;
        uint64_t h = grid_hash(sim_grid(s));
        if (i == 0)
            r->hash = h;
        else if (h != r->hash)
            consistent = 0;
    }
    if (rc) {
        r->status = ROW_FAILED;
        snprintf(r->reason, sizeof r->reason, "failed: %s", err->msg);
        sim_destroy(s);
        return rc == GLIDER_EINTR ? rc : 0;
    }
    r->population = grid_population(sim_grid(s));
    if (cfg->stats) {
        struct backend_stat st[BACKEND_MAX_STATS];
        r->nstats = sim_backend_stats(s, st, BACKEND_MAX_STATS);
        for (int i = 0; i < r->nstats; i++) {
            snprintf(r->stats[i].name, sizeof r->stats[i].name, "%s", st[i].name);
            snprintf(r->stats[i].unit, sizeof r->stats[i].unit, "%s",
                     st[i].unit ? st[i].unit : "");
            r->stats[i].value = st[i].value;
        }
    }
    sim_destroy(s);
    r->min = secs[0];
    r->max = secs[0];
    for (int i = 1; i < cfg->runs; i++) {
        r->min = secs[i] < r->min ? secs[i] : r->min;
        r->max = secs[i] > r->max ? secs[i] : r->max;
    }
    r->median = bench_median(secs, cfg->runs);
    double cells = (double)r->width * (double)r->height * (double)r->gens;
    r->rate = r->median > 0 ? cells / r->median : 0;
    if (strcmp(r->ops->name, "sequential") == 0 &&
        !memo_find(b, r->width, r->height, r->gens) &&
        memo_add(b, r->width, r->height, r->gens, r->hash))
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    uint64_t want;
    if ((rc = reference_hash(b, r->width, r->height, r->gens, &want, err)))
        return rc;
    r->same = consistent && want == r->hash;
    if (!r->same)
        b->failed = 1;
    return 0;
}

/* ---- the case loop ---- */

/* Adds, runs and prints one case.  Returns 0, or a code that ends the bench
 * (interrupted, out of memory). */
static int bench_case(struct bench *b, const struct backend_ops *ops, int threads,
                      const char *kernel, int w, int h, uint64_t *gens,
                      double seq_rate, struct glider_error *err)
{
    struct bench_row *r = add_row(b);
    if (!r)
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    r->ops = ops;
    r->threads = bench_uses_threads(ops) ? threads : 0;
    r->kernel = (ops->flags & BACKEND_CELL_GRANULAR) ? NULL : kernel;
    r->width = w;
    r->height = h;
    if (strcmp(ops->name, "sequential") == 0)
        r->threads = 1;
    int rc = run_case(b, r, bench_uses_threads(ops) ? threads : 0, gens, err);
    if (r->status == ROW_OK)
        r->ratio = seq_rate > 0 ? r->rate / seq_rate : 1;
    if (r->status == ROW_FAILED)
        b->failed = 1;
    if (!b->cfg->json && !b->cfg->quiet)
        bench_print_row(b->cfg, r), fflush(stdout);
    return rc;
}

static void skip_row(struct bench *b, const struct backend_ops *ops,
                     const char *kernel, int w, int h, const char *why)
{
    struct bench_row *r = add_row(b);
    if (!r)
        return;
    r->ops = ops;
    r->kernel = kernel;
    r->width = w;
    r->height = h;
    r->status = ROW_SKIPPED;
    snprintf(r->reason, sizeof r->reason, "skipped: %s", why);
    if (!b->cfg->json && !b->cfg->quiet)
        bench_print_row(b->cfg, r), fflush(stdout);
}

/* The back-ends to run besides 'sequential': --backends, or all registered. */
static int selection(const struct bench_config *cfg,
                     const struct backend_ops **out)
{
    int n = 0;
    if (cfg->nbackends) {
        for (int i = 0; i < cfg->nbackends; i++)
            if (strcmp(cfg->backends[i]->name, "sequential") != 0)
                out[n++] = cfg->backends[i];
        return n;
    }
    for (int i = 0; backend_at(i) && n < BENCH_MAX_LIST; i++)
        if (strcmp(backend_at(i)->name, "sequential") != 0)
            out[n++] = backend_at(i);
    return n;
}

static int bench_size(struct bench *b, int w, int h, struct glider_error *err)
{
    const struct bench_config *cfg = b->cfg;
    const struct backend_ops *sel[BENCH_MAX_LIST];
    int nsel = selection(cfg, sel);
    const struct backend_ops *seq = backend_find("sequential");
    int cells_done = 0, rc = 0;
    int nk = cfg->nkernels ? cfg->nkernels : 1;
    for (int k = 0; k < nk && rc == 0; k++) {
        const char *kname = cfg->nkernels ? cfg->kernels[k] : kernel_active()->name;
        struct glider_error kerr = {0};
        if (kernel_select(kname, &kerr)) {
            skip_row(b, NULL, kname, w, h, kerr.msg);
            continue;
        }
        uint64_t gens = cfg->generations >= 0 ? (uint64_t)cfg->generations : 0;
        int first = b->nrows;
        if ((rc = bench_case(b, seq, 0, kname, w, h, &gens, 0, err)))
            break;
        double seq_rate = b->rows[first].status == ROW_OK ? b->rows[first].rate : 0;
        for (int i = 0; i < nsel && rc == 0; i++) {
            const struct backend_ops *ops = sel[i];
            if (ops->flags & BACKEND_CELL_GRANULAR) {
                if (cells_done)
                    continue;
                if (!cfg->nbackends &&
                    (long long)w * h > BENCH_CELL_GRANULAR_MAX_CELLS) {
                    skip_row(b, ops, NULL, w, h,
                             "cell-granular, only up to 256x256 by default "
                             "(name it in --backends to run it)");
                    continue;
                }
            }
            int nt = bench_uses_threads(ops) ? cfg->nthreads : 1;
            for (int t = 0; t < nt && rc == 0; t++) {
                uint64_t g = gens;
                rc = bench_case(b, ops, cfg->threads[t], kname, w, h, &g,
                                seq_rate, err);
            }
        }
        cells_done = 1;
    }
    return rc;
}

static void on_signal(int sig)
{
    bench_stop = sig;
}

int cmd_bench(const struct cli_opts *o)
{
    struct glider_error err = {0};
    struct bench_config cfg;
    int rc = bench_config_parse(&cfg, o, &err);
    if (rc) {
        fprintf(stderr, "glider: bench: %s\n", err.msg);
        bench_config_free(&cfg);
        return cli_exit_code(rc);
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int status;
    if (o->vs_golly) {
        status = bench_golly(&cfg);
    } else {
        struct bench b = {.cfg = &cfg};
        if (!cfg.json && !cfg.quiet)
            bench_print_header(&cfg);
        for (int i = 0; i < cfg.nsizes && rc == 0; i++)
            rc = bench_size(&b, cfg.widths[i], cfg.heights[i], &err);
        if (rc == 0 && cfg.json)
            bench_print_json(&cfg, b.rows, b.nrows, b.failed);
        if (rc == 0 && !cfg.json && !cfg.quiet)
            printf("%s\n", b.failed ? "FAILED: a back-end ended on a different "
                                      "grid than sequential, or failed"
                                    : "all back-ends that ran ended on "
                                      "sequential's grid");
        if (rc)
            fprintf(stderr, "glider: bench: %s\n", err.msg);
        status = bench_stop ? 128 + (int)bench_stop
                 : rc       ? cli_exit_code(rc)
                 : b.failed ? 1
                            : 0;
        free(b.rows);
        free(b.memo);
    }
    bench_config_free(&cfg);
    return status;
}
