/* bench_options.c - the options of 'glider bench', parsed and defaulted. */
#include <stdlib.h>
#include <string.h>

#include "../engine/kernel.h"
#include "../engine/sys.h"
#include "bench.h"

static int parse_sizes(struct bench_config *cfg, const struct cli_opts *o,
                       char *copy, struct glider_error *err)
{
    const char *items[BENCH_MAX_LIST];
    int n, rc;
    if (!copy) { /* --size, else 2048 for --vs-golly, else 256 and 2048 */
        cfg->nsizes = o->width || o->vs_golly ? 1 : 2;
        cfg->widths[0] = o->width ? o->width : o->vs_golly ? 2048 : 256;
        cfg->heights[0] = o->width ? o->height : cfg->widths[0];
        cfg->widths[1] = cfg->heights[1] = 2048;
        return 0;
    }
    if ((rc = bench_split("--sizes", copy, items, &n, err)))
        return rc;
    for (int i = 0; i < n; i++) {
        char *end;
        long v = strtol(items[i], &end, 10);
        if (*end == 'x' || *end == 'X') {
            if ((rc = cli_parse_size(items[i], &cfg->widths[i], &cfg->heights[i], err)))
                return rc;
        } else if (end == items[i] || *end || v < 1 || v > GRID_MAX_DIM) {
            return glider_errorf(err, GLIDER_EINVAL,
                                 "--sizes: expected N (for NxN) or WxH with "
                                 "1..%d, got '%s'",
                                 GRID_MAX_DIM, items[i]);
        } else {
            cfg->widths[i] = cfg->heights[i] = (int)v;
        }
    }
    cfg->nsizes = n;
    return 0;
}

int bench_config_parse(struct bench_config *cfg, const struct cli_opts *o,
                       struct glider_error *err)
{
    const char *items[BENCH_MAX_LIST];
    int n, rc;
    memset(cfg, 0, sizeof *cfg);
    const char *lists[4] = {o->sizes, o->threads_list, o->kernels,
                            o->backends ? o->backends : o->backend};
    char **copies = cfg->copies;
    for (int i = 0; i < 4; i++)
        if (lists[i] && !(copies[i] = strdup(lists[i])))
            return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    cfg->runs = o->runs ? o->runs : BENCH_DEFAULT_RUNS;
    cfg->generations = o->generations;
    cfg->density = o->soup >= 0 ? o->soup : BENCH_DEFAULT_DENSITY;
    cfg->seed = o->seed;
    cfg->rule = o->rule;
    cfg->topo = o->has_topo ? o->topo : TOPO_TORUS;
    cfg->tuning.task_cells = o->task_cells;
    cfg->tuning.gens_per_task = o->gens_per_task;
    cfg->tuning.max_live_threads = o->max_live_threads;
    cfg->tuning.ipc_copy = o->ipc_copy;
    cfg->tuning.coroutines = o->coroutines;
    cfg->json = o->json;
    cfg->stats = o->stats;
    cfg->quiet = o->quiet;
    if ((rc = parse_sizes(cfg, o, copies[0], err)))
        return rc;
    /* Without -j, threaded back-ends are asked for one thread per online
     * CPU explicitly, so the table shows what each one really ran with. */
    cfg->nthreads = 1;
    cfg->threads[0] = sys_ncpus();
    if (copies[1]) {
        if ((rc = bench_split("--threads", copies[1], items, &n, err)))
            return rc;
        for (int i = 0; i < n; i++) {
            char *end;
            long v = strtol(items[i], &end, 10);
            if (end == items[i] || *end || v < 1 || v > BACKEND_MAX_THREADS)
                return glider_errorf(err, GLIDER_EINVAL,
                                     "--threads: expected counts from 1 to %d, "
                                     "got '%s'",
                                     BACKEND_MAX_THREADS, items[i]);
            cfg->threads[i] = (int)v;
        }
        cfg->nthreads = n;
    }
    if (copies[2]) {
        if ((rc = bench_split("--kernels", copies[2], cfg->kernels, &cfg->nkernels, err)))
            return rc;
        for (int i = 0; i < cfg->nkernels; i++)
            if (!kernel_find(cfg->kernels[i])) {
                char list[256] = "";
                for (int k = 0; kernel_at(k); k++)
                    snprintf(list + strlen(list), sizeof list - strlen(list),
                             "%s%s", k ? ", " : "", kernel_at(k)->name);
                return glider_errorf(err, GLIDER_EINVAL,
                                     "--kernels: unknown kernel '%s': expected "
                                     "one of %s",
                                     cfg->kernels[i], list);
            }
    }
    if (copies[3]) {
        if ((rc = bench_split("--backends", copies[3], items, &n, err)))
            return rc;
        for (int i = 0; i < n; i++)
            if ((rc = backend_lookup(items[i], &cfg->backends[i], err)))
                return rc;
        cfg->nbackends = n;
    }
    return 0;
}


void bench_config_free(struct bench_config *cfg)
{
    for (int i = 0; i < 4; i++) {
        free(cfg->copies[i]);
        cfg->copies[i] = NULL;
    }
}
