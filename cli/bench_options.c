/* bench_options.c - the options of 'glider bench', parsed and defaulted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/kernel.h"
#include "../engine/sys.h"
#include "bench.h"

/* Refuses a list naming one case twice ("64,64", "1,01", "64,64x64"): it
 * would be timed twice, as two rows of the table for one case.  'keys[i]'
 * identifies the case item 'i' names; items are quoted as written. */
static int check_no_repeat(const char *opt, const char *const *items,
                           const long long *keys, int n,
                           struct glider_error *err)
{
    for (int j = 1; j < n; j++)
        for (int i = 0; i < j; i++) {
            if (keys[i] != keys[j])
                continue;
            if (strcmp(items[i], items[j]) == 0)
                return glider_errorf(err, GLIDER_EINVAL,
                                     "%s: '%s' is listed twice", opt,
                                     items[j]);
            return glider_errorf(err, GLIDER_EINVAL,
                                 "%s: '%s' is listed twice (as '%s' and "
                                 "'%s')",
                                 opt, items[j], items[i], items[j]);
        }
    return 0;
}

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
    long long keys[BENCH_MAX_LIST];
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
        keys[i] = (long long)cfg->widths[i] << 32 | cfg->heights[i];
    }
    if ((rc = check_no_repeat("--sizes", items, keys, n, err)))
        return rc;
    cfg->nsizes = n;
    return 0;
}

static int parse_threads(struct bench_config *cfg, char *copy,
                         struct glider_error *err)
{
    const char *items[BENCH_MAX_LIST];
    long long keys[BENCH_MAX_LIST];
    int n, rc;
    if ((rc = bench_split("--threads", copy, items, &n, err)))
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
        keys[i] = v;
    }
    if ((rc = check_no_repeat("--threads", items, keys, n, err)))
        return rc;
    cfg->nthreads = n;
    return 0;
}

static int parse_kernels(struct bench_config *cfg, char *copy,
                         struct glider_error *err)
{
    long long keys[BENCH_MAX_LIST];
    int rc;
    if ((rc = bench_split("--kernels", copy, cfg->kernels, &cfg->nkernels, err)))
        return rc;
    for (int i = 0; i < cfg->nkernels; i++) {
        const struct kernel *k = kernel_find(cfg->kernels[i]);
        if (!k) {
            char list[256] = "";
            for (int j = 0; kernel_at(j); j++)
                snprintf(list + strlen(list), sizeof list - strlen(list),
                         "%s%s", j ? ", " : "", kernel_at(j)->name);
            return glider_errorf(err, GLIDER_EINVAL,
                                 "--kernels: unknown kernel '%s': expected "
                                 "one of %s",
                                 cfg->kernels[i], list);
        }
        keys[i] = (long long)(intptr_t)k;
    }
    return check_no_repeat("--kernels", cfg->kernels, keys, cfg->nkernels, err);
}

/* --backends, or a bench's -b ('opt' names which). */
static int parse_backends(struct bench_config *cfg, const char *opt,
                          char *copy, struct glider_error *err)
{
    const char *items[BENCH_MAX_LIST];
    long long keys[BENCH_MAX_LIST];
    int n, rc;
    if ((rc = bench_split(opt, copy, items, &n, err)))
        return rc;
    for (int i = 0; i < n; i++) {
        if ((rc = backend_lookup(items[i], &cfg->backends[i], err)))
            return rc;
        keys[i] = (long long)(intptr_t)cfg->backends[i];
    }
    if ((rc = check_no_repeat(opt, items, keys, n, err)))
        return rc;
    cfg->nbackends = n;
    return 0;
}

int bench_config_parse(struct bench_config *cfg, const struct cli_opts *o,
                       struct glider_error *err)
{
    int rc;
    memset(cfg, 0, sizeof *cfg);
    const char *lists[4] = {o->sizes, o->threads_list, o->kernels,
                            o->backends ? o->backends : o->backend};
    char **copies = cfg->copies;
    for (int i = 0; i < 4; i++)
        if (lists[i] && !(copies[i] = strdup(lists[i])))
            return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    /* -g 0 would reach run_case as "choose the count now" (up to a
     * million generations), not as the exactly N the documentation says. */
    if (o->generations == 0)
        return glider_errorf(err, GLIDER_EINVAL,
                             "-g 0: nothing to time; give at least 1 "
                             "generation, or leave -g out to have the count "
                             "chosen per case");
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
    if (copies[1] && (rc = parse_threads(cfg, copies[1], err)))
        return rc;
    if (copies[2] && (rc = parse_kernels(cfg, copies[2], err)))
        return rc;
    if (copies[3] &&
        (rc = parse_backends(cfg, o->backends ? "--backends" : "--backend",
                             copies[3], err)))
        return rc;
    return 0;
}

void bench_config_free(struct bench_config *cfg)
{
    for (int i = 0; i < 4; i++) {
        free(cfg->copies[i]);
        cfg->copies[i] = NULL;
    }
}
