/* bench_table.c - the back-end table of 'glider bench', as text or JSON. */
#include <string.h>

#include "bench.h"

static const char *row_threads(const struct bench_row *r, char *buf, size_t size)
{
    if (!r->ops || r->threads == 0)
        return "-";
    snprintf(buf, size, "%d", r->threads);
    return buf;
}

void bench_print_header(const struct bench_config *cfg)
{
    char rule[RULE_TEXT_MAX];
    rule_format(&cfg->rule, rule, sizeof rule);
    printf("glider bench: soup density %g seed %llu, rule %s, %s, median of %d "
           "run%s; ",
           cfg->density, (unsigned long long)cfg->seed, rule,
           topology_name(cfg->topo), cfg->runs, cfg->runs == 1 ? "" : "s");
    bench_print_load(stdout, 0);
    printf("\n%-16s %7s %-9s %-11s %9s %10s %9s %9s %7s  %s\n", "back-end",
           "threads", "kernel", "universe", "gens", "median s", "create s",
           "cells/s", "x seq", "final grid");
}

/* A median under BENCH_SHORT_SECONDS is within a shared machine's noise. */
static int short_timing(const struct bench_row *r)
{
    return r->median < BENCH_SHORT_SECONDS;
}

void bench_print_row(const struct bench_config *cfg, const struct bench_row *r)
{
    char th[16], size[32], rate[16];
    snprintf(size, sizeof size, "%dx%d", r->width, r->height);
    printf("%-16s %7s %-9s %-11s ", r->ops ? r->ops->name : "(all)",
           row_threads(r, th, sizeof th), r->kernel ? r->kernel : "(cells)",
           size);
    if (r->status != ROW_OK) {
        printf("%s\n", r->reason);
        return;
    }
    printf("%9llu %10.4g %9.3g %9s %7.3g  %s", (unsigned long long)r->gens,
           r->median, r->create, bench_si(r->rate, rate, sizeof rate), r->ratio,
           r->same ? "same" : "DIFFERENT");
    if (r->fewer)
        printf(" (fewer generations: slow back-end)");
    if (short_timing(r))
        printf(" (short: under %g ms timed, noisy; give more -g)",
               BENCH_SHORT_SECONDS * 1000);
    if (r->ops && (r->ops->flags & BACKEND_CELL_GRANULAR))
        printf(" (cell-granular)");
    if (r->ops && strcmp(r->ops->name, "worker-queue") == 0 && cfg->tuning.task_cells)
        printf(" (task-cells %d)", cfg->tuning.task_cells);
    if (r->ops && strcmp(r->ops->name, "process-pool") == 0 && cfg->tuning.ipc_copy)
        printf(" (ipc copy)");
    if (r->ops && r->ops->step_gens && cfg->tuning.gens_per_task)
        printf(" (gens-per-task %d)", cfg->tuning.gens_per_task);
    printf("\n");
    for (int i = 0; i < r->nstats; i++)
        printf("    %-30s %.6g %s\n", r->stats[i].name, r->stats[i].value,
               r->stats[i].unit);
}

static const char *status_name(enum bench_row_status s)
{
    return s == ROW_OK ? "ok" : s == ROW_UNAVAILABLE ? "unavailable"
                            : s == ROW_SKIPPED       ? "skipped"
                                                     : "failed";
}

void bench_print_json(const struct bench_config *cfg, const struct bench_row *rows,
                      int nrows, int failed)
{
    char rule[RULE_TEXT_MAX];
    rule_format(&cfg->rule, rule, sizeof rule);
    printf("{\"command\": \"bench\", \"soup_density\": %g, \"seed\": %llu, "
           "\"rule\": \"%s\", \"topology\": \"%s\", \"runs\": %d, ",
           cfg->density, (unsigned long long)cfg->seed, rule,
           topology_name(cfg->topo), cfg->runs);
    bench_print_load(stdout, 1);
    printf(", \"all_same\": %s,\n \"results\": [", failed ? "false" : "true");
    for (int i = 0; i < nrows; i++) {
        const struct bench_row *r = &rows[i];
        printf("%s\n  {\"backend\": ", i ? "," : "");
        cli_json_string(stdout, r->ops ? r->ops->name : "(all)");
        if (r->threads)
            printf(", \"threads\": %d", r->threads);
        else
            printf(", \"threads\": null");
        printf(", \"kernel\": ");
        cli_json_string(stdout, r->kernel ? r->kernel : "(cells)");
        printf(", \"width\": %d, \"height\": %d, \"status\": \"%s\"", r->width,
               r->height, status_name(r->status));
        if (r->status != ROW_OK) {
            printf(", \"reason\": ");
            cli_json_string(stdout, r->reason);
            printf("}");
            continue;
        }
        printf(", \"generations\": %llu, \"fewer_generations\": %s, "
               "\"short_timing\": %s, "
               "\"median_seconds\": %.6g, \"min_seconds\": %.6g, "
               "\"max_seconds\": %.6g, \"create_seconds\": %.6g, "
               "\"cell_updates_per_second\": %.6g, \"ratio_to_sequential\": "
               "%.6g, \"population\": %llu, \"hash\": \"%016llx\", "
               "\"same_as_sequential\": %s",
               (unsigned long long)r->gens, r->fewer ? "true" : "false",
               short_timing(r) ? "true" : "false", r->median, r->min, r->max,
               r->create, r->rate, r->ratio,
               (unsigned long long)r->population, (unsigned long long)r->hash,
               r->same ? "true" : "false");
        if (r->ops && (r->ops->flags & BACKEND_CELL_GRANULAR))
            printf(", \"cell_granular\": true");
        if (cfg->stats) {
            printf(", \"stats\": {");
            for (int k = 0; k < r->nstats; k++) {
                printf("%s", k ? ", " : "");
                cli_json_string(stdout, r->stats[k].name);
                printf(": %.6g", r->stats[k].value);
            }
            printf("}");
        }
        printf("}");
    }
    printf("\n ]}\n");
}
