/* bench.h - what the 'glider bench' files share (private to cli/).
 *
 * cmd_bench.c compares the back-ends with each other, bench_golly.c compares
 * Glider with bgolly, bench_util.c holds the clock, the timed generation loop,
 * list parsing, the table's number formatting and JSON strings. */
#ifndef GLIDER_BENCH_H
#define GLIDER_BENCH_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "../engine/sim.h"
#include "options.h"

#define BENCH_MAX_LIST 32         /* entries in --sizes, -j, --kernels, --backends */
#define BENCH_DEFAULT_RUNS 5
#define BENCH_DEFAULT_DENSITY 0.5 /* Golly's default random fill is 50% too */
#define BENCH_TARGET_SECONDS 0.5  /* auto -g: about this long per run */
#define BENCH_MAX_SECONDS 1.0     /* auto -g: a case estimated longer gets fewer */
#define BENCH_SHORT_SECONDS 0.01  /* a median under this is within the noise
                                     of a shared machine: marked 'short' */
#define BENCH_MAX_AUTO_GENS 1000000
#define BENCH_GOLLY_DEFAULT_GENS 500
/* Cell-granular back-ends join the default selection only up to this many
 * cells (256x256); named in --backends they run at any size. */
#define BENCH_CELL_GRANULAR_MAX_CELLS (256 * 256)

/* The options of one bench invocation, parsed and defaulted. */
struct bench_config {
    int nsizes;
    int widths[BENCH_MAX_LIST], heights[BENCH_MAX_LIST];
    int nthreads;
    int threads[BENCH_MAX_LIST];   /* -j, default: online CPUs */
    int nkernels;
    const char *kernels[BENCH_MAX_LIST]; /* names; none = the active kernel */
    int nbackends;                 /* 0 = the default selection */
    const struct backend_ops *backends[BENCH_MAX_LIST];
    int runs;
    long long generations;         /* -g, -1 = chosen per case */
    double density;                /* --soup, default BENCH_DEFAULT_DENSITY */
    uint64_t seed;
    struct rule rule;
    enum topology topo;
    struct backend_opts tuning;    /* --task-cells, --ipc ... (threads unset) */
    int json, stats, quiet;
    char *copies[4];               /* the lists, split in place */
};

enum bench_row_status { ROW_OK, ROW_UNAVAILABLE, ROW_SKIPPED, ROW_FAILED };

struct bench_stat_copy {
    char name[48];
    double value;
    char unit[8];
};

/* One line of the back-end table. */
struct bench_row {
    const struct backend_ops *ops; /* NULL: the row stands for a whole kernel */
    int threads;                   /* shown; 0 when -j does not apply */
    const char *kernel;            /* NULL for cell-granular back-ends */
    int width, height;
    uint64_t gens;                 /* generations per run */
    int fewer;                     /* gens cut below the size's to save time */
    enum bench_row_status status;
    char reason[GLIDER_ERROR_MSG_MAX + 64];
    double median, min, max;       /* seconds of the generation loop */
    double create;                 /* seconds in sim_create (back-end start) */
    double rate, ratio;            /* cell updates/s; rate / sequential's */
    uint64_t hash, population;
    int same;                      /* hash equals sequential's after 'gens' */
    int nstats;
    struct bench_stat_copy stats[BACKEND_MAX_STATS];
};

/* Set by SIGINT/SIGTERM while a bench runs; loops stop when it is non-zero. */
extern volatile sig_atomic_t bench_stop;

/* Median of 'n' values (sorts 'v' in place); 0 when n == 0. */
double bench_median(double *v, int n);

/* Splits a comma-separated list, in place, into 1..BENCH_MAX_LIST items
 * pointing into 'list'; refuses an empty list and an empty item ("64,,128",
 * ",64", "64,").  'opt' names the option in messages. */
int bench_split(const char *opt, char *list, const char **items, int *n,
                struct glider_error *err);

/* Runs 'gens' generations of 's', checking bench_stop between them; stores the
 * wall seconds of the loop alone in '*secs'.  GLIDER_EINTR when stopped. */
int bench_time_generations(struct sim *s, uint64_t gens, double *secs,
                           struct glider_error *err);

/* A rate such as 1.234e9 as "1.23G" into 'buf'. */
const char *bench_si(double v, char *buf, size_t size);

/* Prints the machine's load line (text) or the JSON members "cpus", "load". */
void bench_print_load(FILE *f, int json);

/* Non-zero when -j applies to the back-end ('sequential' has one thread,
 * 'thread-per-cell' one per cell). */
int bench_uses_threads(const struct backend_ops *ops);

/* ---- bench_options.c ---- */

/* Parses and defaults the bench options of 'o' into 'cfg'.  The lists'
 * items point into copies owned by 'cfg': free them with bench_config_free
 * (also after a failure).  Refuses -g 0, a list with an empty item
 * ("64,,64") and a list naming one case twice ("64,64x64", "1,01"). */
int bench_config_parse(struct bench_config *cfg, const struct cli_opts *o,
                       struct glider_error *err);
void bench_config_free(struct bench_config *cfg);

/* ---- bench_table.c: the back-end table as text or JSON ---- */

void bench_print_header(const struct bench_config *cfg);
void bench_print_row(const struct bench_config *cfg, const struct bench_row *r);
void bench_print_json(const struct bench_config *cfg, const struct bench_row *rows,
                      int nrows, int failed);

/* ---- bench_bgolly.c: running bgolly, RLE out and back ---- */

/* The files of one comparison, in a private temporary directory. */
struct bench_golly_files {
    char dir[256], in[300], out[300], sout[300], serr[300];
};

/* bgolly's path ($GLIDER_BGOLLY, /usr/bin, /usr/local/bin, PATH) or NULL. */
const char *bench_find_bgolly(char *buf, size_t size);
int bench_golly_files_create(struct bench_golly_files *f, struct glider_error *err);
void bench_golly_files_remove(const struct bench_golly_files *f);
/* Runs 'bgolly -b -q -a QuickLife -m gens -o out in' with stdout and stderr
 * in files; '*wall' gets the wall seconds around the process, '*own' its own
 * -b time from generation 0 to 'gens'.  Kills and reaps it when the bench is
 * interrupted (GLIDER_EINTR). */
int bench_run_bgolly(const char *bgolly, const struct bench_golly_files *f,
                     uint64_t gens, double *wall, double *own,
                     struct glider_error *err);
/* Writes all of 'g' as RLE.  'suffix' non-zero adds the bounded-grid rule
 * suffix ":TW,H" or ":PW,H" and a "#CXRLE Pos" line putting the box exactly
 * on Golly's grid (which spans -W/2 .. W-1-W/2). */
int bench_write_rle(const char *path, const struct grid *g, const struct rule *rule,
                    int suffix, struct glider_error *err);
/* Reads a two-state RLE (bgolly's output) into a grid of its box (NULL when
 * empty) and counts its cells. */
int bench_read_rle(const char *path, struct grid **out, uint64_t *pop,
                   struct glider_error *err);

/* --vs-golly: Glider against bgolly on the same soup and on a pulsar field.
 * Returns the exit status. */
int bench_golly(const struct bench_config *cfg);

#endif
