/* bench_golly.c - 'glider bench --vs-golly': Glider against Golly's bgolly.
 *
 * Two cases per --sizes entry, both run for the same generations by Glider
 * (each chosen back-end) and by 'bgolly -a QuickLife':
 *   soup   - the bench's seeded soup on a W x H torus (or plane), written as
 *            RLE with the rule suffix ":TW,H" and "#CXRLE Pos" placing it
 *            exactly on Golly's bounded grid;
 *   pulsar - a field of pulsars 16 cells apart (period 3, every tile changes
 *            every generation, never grows) on Golly's unbounded plane, and
 *            on a Glider torus of exactly the field's size: the same work.
 * bgolly's time is the median wall time of 'bgolly -m N' minus the median of
 * 'bgolly -m 0' (start-up, reading the RLE, writing the output); its own
 * '-b' timestamps (generation N minus generation 0) are shown beside it.
 * Both sides must end on the same population and the same cells (bgolly's
 * output RLE is read back and compared with Glider's bounding box). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../engine/kernel.h"
#include "bench.h"

extern char **environ;

#define PULSAR_PITCH 16 /* pulsars fit in 15x15 in every phase: 1 cell apart */

static const char *const pulsar[] = {
    "..OOO...OOO..", ".............", "O....O.O....O", "O....O.O....O",
    "O....O.O....O", "..OOO...OOO..", ".............", "..OOO...OOO..",
    "O....O.O....O", "O....O.O....O", "O....O.O....O", ".............",
    "..OOO...OOO..",
};

/* bgolly's result for one case. */
struct golly_result {
    double wall, wall0;   /* median wall seconds of -m N and of -m 0 */
    double own;           /* median of its -b timestamps, gen N - gen 0 */
    double seconds;       /* wall - wall0: the figure used for the rate */
    struct grid *cells;   /* its final pattern's bounding box (NULL: empty) */
    uint64_t population;
};

/* Glider's final grid against bgolly's box: same cells, up to where the box
 * sits (both are in the same coordinates up to a translation). */
static int same_cells(const struct grid *g, const struct grid *box)
{
    int x0, y0, x1, y1;
    if (!grid_bbox(g, &x0, &y0, &x1, &y1))
        return box == NULL;
    if (!box || box->width != x1 - x0 || box->height != y1 - y0)
        return 0;
    for (int y = 0; y < box->height; y++)
        for (int x = 0; x < box->width; x++)
            if (grid_get(g, x0 + x, y0 + y) != grid_get(box, x, y))
                return 0;
    return 1;
}

/* ---- the two patterns ---- */

/* Fills 'g' with pulsars at (1, 1) of every 16x16 tile. */
static void fill_pulsars(struct grid *g)
{
    grid_clear(g);
    for (int ty = 0; ty + PULSAR_PITCH <= g->height; ty += PULSAR_PITCH)
        for (int tx = 0; tx + PULSAR_PITCH <= g->width; tx += PULSAR_PITCH)
            for (int y = 0; y < 13; y++)
                for (int x = 0; x < 13; x++)
                    if (pulsar[y][x] == 'O')
                        grid_set(g, tx + 1 + x, ty + 1 + y, 1);
}

/* ---- one comparison ---- */

struct golly_row {
    const char *kase;      /* "soup" or "pulsars" */
    int width, height;     /* Glider's universe */
    enum topology topo;
    int golly_plane;       /* bgolly ran it on its unbounded plane */
    uint64_t gens;
    const struct backend_ops *ops;
    int threads;           /* shown; 0: -j does not apply */
    const char *kernel;
    int ok;                /* Glider ran; else 'reason' */
    char reason[GLIDER_ERROR_MSG_MAX + 64];
    double median, rate, golly_rate, ratio; /* rates 0: too short to time */
    double cells;          /* cell updates per run */
    uint64_t population;
    int same_pop, same_cells;
};

/* Runs Glider on 'init' for 'gens' generations --runs times on back-end
 * 'row->ops' and compares the final grid with bgolly's. */
static int glider_side(const struct bench_config *cfg, const struct grid *init,
                       int threads, const struct golly_result *gr,
                       struct golly_row *row, struct glider_error *err)
{
    struct sim_config sc = {0};
    sc.width = init->width;
    sc.height = init->height;
    sc.topo = init->topo;
    sc.rule = cfg->rule;
    sc.backend = row->ops->name;
    sc.opts = cfg->tuning;
    sc.opts.threads = threads;
    struct sim *s;
    int rc = sim_create(&s, &sc, err);
    if (rc) {
        snprintf(row->reason, sizeof row->reason, "unavailable: %s", err->msg);
        return 0;
    }
    double secs[1000], warm;
    grid_copy(sim_grid_edit(s), init);
    rc = bench_time_generations(s, row->gens < 10 ? row->gens : 10, &warm, err);
    for (int i = 0; rc == 0 && i < cfg->runs; i++) {
        grid_copy(sim_grid_edit(s), init);
        sim_set_generation(s, 0);
        rc = bench_time_generations(s, row->gens, &secs[i], err);
    }
    if (rc) {
        snprintf(row->reason, sizeof row->reason, "failed: %s", err->msg);
        sim_destroy(s);
        return rc == GLIDER_EINTR ? rc : GLIDER_EPROC;
    }
    row->ok = 1;
    row->median = bench_median(secs, cfg->runs);
    double cells = (double)init->width * (double)init->height * (double)row->gens;
    row->cells = cells;
    row->rate = row->median > 0 ? cells / row->median : 0;
    row->golly_rate = gr->seconds > 0 ? cells / gr->seconds : 0;
    row->ratio = row->golly_rate > 0 ? row->rate / row->golly_rate : 0;
    row->population = grid_population(sim_grid(s));
    row->same_pop = row->population == gr->population;
    row->same_cells = same_cells(sim_grid(s), gr->cells);
    sim_destroy(s);
    return 0;
}

/* Times bgolly on 'init' (written to f->in) into 'gr'. */
static int golly_side(const struct bench_config *cfg, const char *bgolly,
                      const struct bench_golly_files *f, const struct grid *init,
                      int plane, uint64_t gens, struct golly_result *gr,
                      struct glider_error *err)
{
    int rc = bench_write_rle(f->in, init, &cfg->rule, !plane, err);
    double wall[1000], wall0[1000], own[1000], own0;
    for (int i = 0; rc == 0 && i < cfg->runs; i++)
        if ((rc = bench_run_bgolly(bgolly, f, 0, &wall0[i], &own0, err)) == 0)
            rc = bench_run_bgolly(bgolly, f, gens, &wall[i], &own[i], err);
    if (rc == 0)
        rc = bench_read_rle(f->out, &gr->cells, &gr->population, err);
    if (rc)
        return rc;
    gr->wall = bench_median(wall, cfg->runs);
    gr->wall0 = bench_median(wall0, cfg->runs);
    gr->own = bench_median(own, cfg->runs);
    gr->seconds = gr->wall - gr->wall0;
    return 0;
}

/* ---- output ---- */

static void print_row(const struct golly_row *r, const struct golly_result *gr)
{
    char uni[48], th[16], a[16], b[16];
    snprintf(uni, sizeof uni, "%dx%d %s%s", r->width, r->height,
             topology_name(r->topo), r->golly_plane ? "/plane" : "");
    snprintf(th, sizeof th, "%d", r->threads);
    printf("%-8s %-22s %6llu %-14s %3s ", r->kase, uni, (unsigned long long)r->gens,
           r->ops->name, r->threads ? th : "-");
    if (!r->ok) {
        printf("%s\n", r->reason);
        return;
    }
    char ratio[24] = "-";
    if (r->ratio > 0)
        snprintf(ratio, sizeof ratio, "%.3gx", r->ratio);
    /* bgolly's time is a difference of two wall times: on a tiny case it
     * is within their noise, and may come out negative. */
    char gs[24] = "<noise";
    if (gr->seconds > 0)
        snprintf(gs, sizeof gs, "%.4g", gr->seconds);
    printf("%9.4g %8s %8s (%6.4g) %8s %9s  ", r->median,
           bench_si(r->rate, a, sizeof a), gs, gr->own,
           r->golly_rate > 0 ? bench_si(r->golly_rate, b, sizeof b) : "-", ratio);
    if (r->same_pop && r->same_cells)
        printf("same (population %llu)\n", (unsigned long long)r->population);
    else
        printf("DIFFERENT: population %llu vs bgolly %llu, cells %s\n",
               (unsigned long long)r->population,
               (unsigned long long)gr->population,
               r->same_cells ? "same" : "differ");
}

static void print_json_row(int first, const struct golly_row *r,
                           const struct golly_result *gr)
{
    printf("%s\n  {\"case\": \"%s\", \"width\": %d, \"height\": %d, "
           "\"topology\": \"%s\", \"bgolly_universe\": \"%s\", "
           "\"generations\": %llu, \"backend\": \"%s\", ",
           first ? "" : ",", r->kase, r->width, r->height,
           topology_name(r->topo), r->golly_plane ? "unbounded plane" : "bounded",
           (unsigned long long)r->gens, r->ops->name);
    if (r->threads)
        printf("\"threads\": %d, ", r->threads);
    else
        printf("\"threads\": null, ");
    printf("\"kernel\": \"%s\", \"status\": \"%s\"", r->kernel, r->ok ? "ok" : "failed");
    if (!r->ok) {
        printf(", \"reason\": ");
        cli_json_string(stdout, r->reason);
        printf("}");
        return;
    }
    printf(", \"glider_median_seconds\": %.6g, \"glider_cell_updates_per_second\": "
           "%.6g, \"bgolly_seconds\": %.6g, \"bgolly_wall_seconds\": %.6g, "
           "\"bgolly_zero_generation_seconds\": %.6g, \"bgolly_own_seconds\": "
           "%.6g, \"bgolly_cell_updates_per_second\": %.6g, \"ratio\": %.6g, "
           "\"ratio_by_own_time\": %.6g, "
           "\"glider_population\": %llu, \"bgolly_population\": %llu, "
           "\"same_population\": %s, \"same_cells\": %s}",
           r->median, r->rate, gr->seconds, gr->wall, gr->wall0, gr->own,
           r->golly_rate, r->ratio, gr->own > 0 ? r->rate * gr->own / r->cells : 0, (unsigned long long)r->population,
           (unsigned long long)gr->population, r->same_pop ? "true" : "false",
           r->same_cells ? "true" : "false");
}

/* ---- the driver ---- */

/* The initial grid of case 'kase' (0 soup, 1 pulsars) for size w x h; NULL
 * with a reason when the size cannot hold it. */
static int make_case(const struct bench_config *cfg, int kase, int w, int h,
                     struct grid **g, struct glider_error *err)
{
    int rc;
    if (kase == 0) {
        if ((rc = grid_create(g, w, h, cfg->topo, err)))
            return rc;
        grid_fill_soup(*g, cfg->density, cfg->seed);
        return 0;
    }
    int nx = w / PULSAR_PITCH, ny = h / PULSAR_PITCH;
    if (nx < 1 || ny < 1)
        return glider_errorf(err, GLIDER_EINVAL,
                             "%dx%d holds no pulsar (16x16 each)", w, h);
    if ((rc = grid_create(g, nx * PULSAR_PITCH, ny * PULSAR_PITCH, TOPO_TORUS, err)))
        return rc;
    fill_pulsars(*g);
    return 0;
}

int bench_golly(const struct bench_config *cfg)
{
    char buf[4096];
    const char *bgolly = bench_find_bgolly(buf, sizeof buf);
    if (!bgolly) {
        const char *note = "bgolly not found ($GLIDER_BGOLLY, /usr/bin/bgolly, "
                           "/usr/local/bin/bgolly, PATH): install Debian's "
                           "'golly' package to compare with Golly";
        if (cfg->json)
            printf("{\"command\": \"bench --vs-golly\", \"bgolly\": null, "
                   "\"note\": \"%s\", \"results\": []}\n", note);
        else
            printf("glider bench --vs-golly: %s\n", note);
        return 0;
    }
    struct glider_error err = {0};
    struct bench_golly_files f;
    if (bench_golly_files_create(&f, &err)) {
        fprintf(stderr, "glider: bench: %s\n", err.msg);
        return 1;
    }
    const char *kernel = kernel_active()->name;
    if (cfg->nkernels && kernel_select(cfg->kernels[0], &err) == 0)
        kernel = cfg->kernels[0];
    const struct backend_ops *sel[BENCH_MAX_LIST];
    int nsel = 0;
    for (int i = 0; i < cfg->nbackends; i++)
        sel[nsel++] = cfg->backends[i];
    if (nsel == 0) {
        sel[nsel++] = backend_find("sequential");
        sel[nsel++] = backend_find("thread-pool");
    }
    uint64_t gens = cfg->generations >= 0 ? (uint64_t)cfg->generations
                                          : BENCH_GOLLY_DEFAULT_GENS;
    if (cfg->json) {
        printf("{\"command\": \"bench --vs-golly\", \"bgolly\": ");
        cli_json_string(stdout, bgolly);
        printf(", \"algorithm\": \"QuickLife\", \"runs\": %d, ", cfg->runs);
        bench_print_load(stdout, 1);
        printf(", \"results\": [");
    } else {
        printf("glider bench --vs-golly: %s -a QuickLife, median of %d run%s; ",
               bgolly, cfg->runs, cfg->runs == 1 ? "" : "s");
        bench_print_load(stdout, 0);
        printf("\nbgolly s = wall time of 'bgolly -m N' minus that of "
               "'bgolly -m 0' (start-up and RLE I/O); in brackets bgolly's "
               "own -b time\n%-8s %-22s %6s %-14s %3s %9s %8s %8s %8s  %8s %9s  "
               "%s\n",
               "case", "universe", "gens", "glider", "thr", "glider s",
               "cells/s", "bgolly s", "(own)", "cells/s", "ratio", "final grid");
    }
    fflush(stdout);
    int failed = 0, rc = 0, first = 1;
    for (int si = 0; si < cfg->nsizes && rc != GLIDER_EINTR; si++)
        for (int kase = 0; kase < 2 && rc != GLIDER_EINTR; kase++) {
            struct grid *init = NULL;
            struct golly_result gr = {0};
            rc = make_case(cfg, kase, cfg->widths[si], cfg->heights[si], &init, &err);
            if (rc == 0)
                rc = golly_side(cfg, bgolly, &f, init, kase == 1, gens, &gr, &err);
            for (int b = 0; b < nsel && rc != GLIDER_EINTR; b++) {
                int nt = bench_uses_threads(sel[b]) ? cfg->nthreads : 1;
                for (int t = 0; t < nt && rc != GLIDER_EINTR; t++) {
                    struct golly_row row = {0};
                    row.kase = kase == 0 ? "soup" : "pulsars";
                    row.width = init ? init->width : cfg->widths[si];
                    row.height = init ? init->height : cfg->heights[si];
                    row.topo = init ? init->topo : cfg->topo;
                    row.golly_plane = kase == 1;
                    row.gens = gens;
                    row.ops = sel[b];
                    row.threads = bench_uses_threads(sel[b]) ? cfg->threads[t]
                                  : strcmp(sel[b]->name, "sequential") == 0 ? 1 : 0;
                    row.kernel = kernel;
                    int grc = 0;
                    if (rc)
                        snprintf(row.reason, sizeof row.reason, "%s%s",
                                 init ? "bgolly: " : "skipped: ", err.msg);
                    else
                        grc = glider_side(cfg, init, bench_uses_threads(sel[b]) ? cfg->threads[t] : 0,
                                          &gr, &row, &err);
                    if ((rc && init) || grc || (row.ok && !(row.same_pop && row.same_cells)))
                        failed = 1;
                    if (cfg->json)
                        print_json_row(first, &row, &gr);
                    else if (!cfg->quiet)
                        print_row(&row, &gr);
                    fflush(stdout);
                    first = 0;
                    if (grc == GLIDER_EINTR)
                        rc = grc;
                }
            }
            if (rc != GLIDER_EINTR)
                rc = 0;
            grid_destroy(init);
            grid_destroy(gr.cells);
        }
    bench_golly_files_remove(&f);
    if (cfg->json)
        printf("\n ], \"all_same\": %s}\n", failed ? "false" : "true");
    else if (!cfg->quiet && rc != GLIDER_EINTR)
        printf("%s\n", failed ? "FAILED: Glider and bgolly disagree, or a run failed"
                              : "Glider and bgolly ended on the same cells");
    if (bench_stop)
        return 128 + (int)bench_stop;
    return failed ? 1 : 0;
}
