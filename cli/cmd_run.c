/* cmd_run.c - 'glider run': run headless, print a summary, optionally save. */
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../engine/kernel.h"
#include "../engine/pattern.h"
#include "options.h"

/* Generations before a live cell of 'g' can reach its edge: under a rule
 * without B0 nothing moves faster than one cell a generation, so a pattern
 * whose box is d cells from the edge cannot touch it for d generations.
 * 0: it touches it now; UINT64_MAX: the universe is empty. */
static uint64_t gens_to_edge(const struct grid *g)
{
    int x0, y0, x1, y1;
    if (!grid_bbox(g, &x0, &y0, &x1, &y1))
        return UINT64_MAX;
    int d = x0 < y0 ? x0 : y0;
    if (g->width - x1 < d)
        d = g->width - x1;
    if (g->height - y1 < d)
        d = g->height - y1;
    return (uint64_t)d;
}

/* The signal that stopped the run, 0 until one does.  Also the sim's cancel
 * flag (sim_set_cancel): a generation that takes seconds on a cell-granular
 * back-end stops inside, not after.  A lock-free atomic may be stored from a
 * signal handler. */
static atomic_int stop_signal;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the handler needs a lock-free int");

static void on_signal(int sig)
{
    atomic_store_explicit(&stop_signal, sig, memory_order_relaxed);
}

static int stopped_by(void)
{
    return atomic_load_explicit(&stop_signal, memory_order_relaxed);
}

/* The universe, under the name, author and comments of the pattern it was
 * loaded from ('text', NULL for a soup). */
static int save_output(const struct sim *s, const struct pattern *text,
                       const char *path, int quiet, struct glider_error *err)
{
    struct pattern *p;
    int rc = pattern_from_grid(sim_grid(s), sim_rule(s), &p, err);
    if (rc)
        return rc;
    if (text && (rc = pattern_copy_text(p, text, err))) {
        pattern_destroy(p);
        return rc;
    }
    rc = cli_save(p, path, quiet, err);
    pattern_destroy(p);
    return rc;
}

/* sim_threads, with sequential's one thread counted (whatever -j said);
 * thread-per-cell stays 0: it starts a thread per cell. */
static int run_threads(const struct sim *s)
{
    return strcmp(sim_backend(s)->name, "sequential") == 0 ? 1 : sim_threads(s);
}

/* Names, on stderr, the back-end options given that the chosen back-end has
 * no use for.  Not refused: a script may pass the same options to every
 * back-end, and the viewer (which switches) takes them all. */
static void note_unused_options(const struct cli_opts *o, const char *backend)
{
    static const struct {
        const char *option, *backends;
        size_t offset;
    } opts[] = {
        {"--task-cells", "worker-queue", offsetof(struct cli_opts, task_cells)},
        {"--gens-per-task", "worker-queue, thread-pool and process-pool",
         offsetof(struct cli_opts, gens_per_task)},
        {"--max-live-threads", "thread-per-cell",
         offsetof(struct cli_opts, max_live_threads)},
        {"--ipc copy", "process-pool", offsetof(struct cli_opts, ipc_copy)},
        {"--coroutines", "coroutine", offsetof(struct cli_opts, coroutines)},
        {"-j", "worker-queue, thread-pool, process-pool and coroutine",
         offsetof(struct cli_opts, threads)},
    };
    /* No back-end's name is part of another's. */
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (*(const int *)((const char *)o + opts[i].offset) &&
            !strstr(opts[i].backends, backend))
            fprintf(stderr, "glider: note: %s is for %s, not %s: ignored\n",
                    opts[i].option, opts[i].backends, backend);
    if (o->kernel && (strcmp(backend, "thread-per-cell") == 0 ||
                      strcmp(backend, "coroutine") == 0))
        fprintf(stderr, "glider: note: --kernel is for the band back-ends, "
                        "not %s, which steps cell by cell: ignored\n",
                backend);
}

/* Runs the sim, saves it with -o and prints the summary; the exit status. */
static int run_sim(const struct cli_opts *o, struct sim *s, const char *name,
                   const struct pattern *text)
{
    struct glider_error err = {0};
    int rc = 0;
    if (o->output && (rc = pattern_save_check(o->output, &err))) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return cli_exit_code(rc);
    }
    uint64_t gens = o->generations >= 0 ? (uint64_t)o->generations : 100;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    sim_set_cancel(s, &stop_signal);
    if (!o->quiet)
        note_unused_options(o, sim_backend(s)->name);

    /* Glider chose the universe (a pattern without one, no --size): from
     * the generation a cell reaches its edge, the run wraps (or loses cells)
     * where Golly's unbounded plane would not, so that generation is found
     * and named after the run.  The run goes in calls of no more
     * generations than the pattern needs to get there (gens_to_edge), so the
     * generation is exact.  Not under B0 rules: there every dead cell is
     * born at once, the edge included. */
    int watch = text && !text->bounds.present && !o->width &&
                !(sim_rule(s)->birth & 1u);
    int touched = 0;
    uint64_t edge_gen = 0, safe = watch ? gens_to_edge(sim_grid(s)) : 0;
    if (watch && safe == 0)
        touched = 1, watch = 0;
    const struct grid *g = sim_grid(s);
    uint64_t pop0 = grid_population(g);
    double t0 = cli_now();
    uint64_t done = 0;
    while (done < gens && !stopped_by()) {
        uint64_t d, max = gens - done;
        if (watch && max > safe)
            max = safe;
        if ((rc = sim_advance(s, max, &d, &err)))
            break;
        done += d;
        if (watch && (safe = gens_to_edge(sim_grid(s))) == 0)
            touched = 1, watch = 0, edge_gen = done;
    }
    double secs = cli_now() - t0;
    sim_set_cancel(s, NULL);
    if (rc == GLIDER_EINTR && stopped_by())
        rc = 0; /* the generation in progress was given up: reported below */
    if (rc) {
        fprintf(stderr, "glider: generation %llu: %s\n",
                (unsigned long long)sim_generation(s) + 1, err.msg);
        return cli_exit_code(rc);
    }
    if (stopped_by()) {
        fprintf(stderr, "glider: interrupted by signal %d after %llu "
                        "generations\n",
                stopped_by(), (unsigned long long)done);
        return 128 + stopped_by();
    }
    g = sim_grid(s);
    if (touched && !o->quiet)
        fprintf(stderr, "glider: note: the pattern reached the edge of the "
                        "%dx%d %s Glider chose for it at generation %llu; from "
                        "then on it %s, unlike on Golly's unbounded plane "
                        "(give a larger --size)\n",
                g->width, g->height, topology_name(g->topo),
                (unsigned long long)edge_gen,
                g->topo == TOPO_TORUS ? "wraps around" : "loses cells there");
    if (o->output && (rc = save_output(s, text, o->output, o->quiet, &err))) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return cli_save_exit_code(rc);
    }
    char rule[RULE_TEXT_MAX];
    rule_format(sim_rule(s), rule, sizeof rule);
    double cells = (double)g->width * (double)g->height * (double)done;
    double rate = secs > 0 ? cells / secs : 0;
    /* The cell-granular back-ends apply the per-cell rule, not a kernel. */
    const char *kname = (sim_backend(s)->flags & BACKEND_CELL_GRANULAR)
                            ? NULL
                            : kernel_active()->name;
    struct backend_stat st[BACKEND_MAX_STATS];
    int nst = o->stats ? sim_backend_stats(s, st, BACKEND_MAX_STATS) : 0;
    if (o->json) {
        printf("{\"pattern\": ");
        cli_json_string(stdout, name);
        printf(", \"backend\": \"%s\", \"threads\": ", sim_backend(s)->name);
        int threads = run_threads(s);
        if (threads > 0)
            printf("%d", threads);
        else
            printf("null");
        printf(", \"kernel\": ");
        if (kname)
            cli_json_string(stdout, kname);
        else
            printf("null");
        printf(", \"width\": %d, \"height\": %d, \"topology\": \"%s\", "
               "\"rule\": \"%s\", \"generations\": %llu, "
               "\"initial_population\": %llu, \"population\": %llu, "
               "\"seconds\": %.6f, \"cell_updates_per_second\": %.6g, "
               "\"hash\": \"%016llx\"",
               g->width, g->height, topology_name(g->topo), rule,
               (unsigned long long)done, (unsigned long long)pop0,
               (unsigned long long)grid_population(g), secs, rate,
               (unsigned long long)grid_hash(g));
        if (o->stats) {
            printf(", \"stats\": {");
            for (int i = 0; i < nst; i++) {
                printf("%s", i ? ", " : "");
                cli_json_string(stdout, st[i].name);
                printf(": %.6g", st[i].value);
            }
            printf("}");
        }
        printf("}\n");
    } else if (!o->quiet) {
        printf("pattern:      %s\n", name);
        const char *be = sim_backend(s)->name;
        int threads = run_threads(s);
        int one = threads == 1;
        const char *unit = strcmp(be, "process-pool") == 0
                               ? (one ? "worker process" : "worker processes")
                           : strcmp(be, "coroutine") == 0
                               ? (one ? "scheduler thread" : "scheduler threads")
                               : (one ? "thread" : "threads");
        char who[64] = "";
        if (strcmp(be, "thread-per-cell") == 0)
            snprintf(who, sizeof who, ", a thread per cell");
        else if (threads > 0 && strcmp(be, "sequential") != 0)
            snprintf(who, sizeof who, ", %d %s", threads, unit);
        if (kname)
            printf("back-end:     %s (kernel %s%s)\n", be, kname, who);
        else
            printf("back-end:     %s (cell by cell, no kernel%s)\n", be, who);
        printf("universe:     %dx%d %s\n", g->width, g->height,
               topology_name(g->topo));
        printf("rule:         %s\n", rule);
        printf("generations:  %llu\n", (unsigned long long)done);
        printf("population:   %llu (was %llu)\n",
               (unsigned long long)grid_population(g), (unsigned long long)pop0);
        printf("elapsed:      %.6f s\n", secs);
        printf("cell updates: %.4g /s\n", rate);
        printf("hash:         %016llx\n", (unsigned long long)grid_hash(g));
        for (int i = 0; i < nst; i++)
            printf("  %-26s %.6g %s\n", st[i].name, st[i].value, st[i].unit);
        if (o->output)
            printf("saved:        %s\n", o->output);
    }
    return 0;
}

int cmd_run(const struct cli_opts *o)
{
    struct glider_error err = {0};
    struct sim *s;
    struct pattern *text;
    char name[256];
    int rc = cli_make_sim(o, 0, &s, name, sizeof name, &text, &err);
    if (rc) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return cli_exit_code(rc);
    }
    if (!o->pattern && o->soup < 0) {
        fprintf(stderr, "glider: run: expected a PATTERN file or --soup DENSITY "
                        "(see 'glider run --help')\n");
        rc = 2;
    } else {
        rc = run_sim(o, s, name, text);
    }
    pattern_destroy(text);
    sim_destroy(s);
    return rc;
}
