/* options.h - the command line: one struct for every subcommand's options. */
#ifndef GLIDER_OPTIONS_H
#define GLIDER_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "../engine/error.h"
#include "../engine/grid.h"
#include "../engine/pattern.h"
#include "../engine/rule.h"
#include "../engine/sim.h"

#define GLIDER_VERSION "0.1.0"

enum cli_command { CMD_VIEW, CMD_RUN, CMD_BENCH, CMD_CONVERT, CMD_BACKENDS, CMD_PATTERNS };

struct cli_opts {
    enum cli_command command;
    const char *pattern;      /* PATTERN, or IN for convert */
    const char *output_arg;   /* OUT for convert */
    /* universe and simulation */
    const char *backend;      /* -b, NULL = default */
    int threads;              /* -j when a single number, 0 = default */
    const char *threads_list; /* -j as given ("1,2" for bench) */
    long long generations;    /* -g, -1 = command default */
    int width, height;        /* --size, 0 = unset */
    enum topology topo;       /* --topology */
    int has_topo;
    struct rule rule;         /* --rule */
    int has_rule;
    struct rule_bounds rule_bounds; /* its ":Tw,h" / ":Pw,h" suffix */
    double soup;              /* --soup DENSITY, < 0 = unset */
    uint64_t seed;            /* --seed */
    const char *output;       /* -o */
    int json, quiet, stats;   /* --json, -q, --stats */
    /* back-end tuning */
    int task_cells;           /* --task-cells */
    int gens_per_task;        /* --gens-per-task */
    int max_live_threads;     /* --max-live-threads */
    int ipc_copy;             /* --ipc copy */
    int coroutines;           /* --coroutines */
    const char *kernel;       /* --kernel */
    /* bench */
    const char *sizes;        /* --sizes 512,2048 */
    const char *kernels;      /* --kernels scalar,avx2 */
    const char *backends;     /* --backends a,b */
    int runs;                 /* --runs */
    int vs_golly;             /* --vs-golly */
    /* viewer */
    int scale;                /* --scale pixels per cell, 0 = fit */
    int fps;                  /* --fps */
    double speed;             /* --speed generations/s, 0 = as fast as possible */
    int fullscreen, paused;   /* --fullscreen, --paused */
    int headless;             /* --headless: terminal view, never a window */
    long frames;              /* --frames N (tests) */
    const char *screenshot;   /* --screenshot FILE.bmp (tests) */
    const char *script;       /* --script FILE: scripted events (tests) */
};

/* Parses argv.  Returns 0, 1 when --help or --version was handled (exit 0),
 * or a negative code with 'err' set (exit 2). */
int cli_parse(int argc, char **argv, struct cli_opts *o, struct glider_error *err);
void cli_usage(FILE *f, enum cli_command cmd);

/* The exit status for an engine error code: 2 for bad usage or input, 1 for a
 * runtime failure. */
int cli_exit_code(int rc);

/* Builds the sim the options describe: the pattern (or a soup, or the
 * built-in default when 'default_pattern' is set and nothing else is given)
 * in the universe --size/--topology/--rule or the pattern ask for, on the
 * chosen back-end.  '*name' (may be NULL) receives the pattern's name;
 * '*text' (may be NULL), when a pattern was loaded, a pattern without cells
 * holding its name, author, description and comments (else NULL), for
 * saving the universe under them, and the universe it fixed ('bounds'). */
int cli_make_sim(const struct cli_opts *o, int default_pattern, struct sim **out,
                 char *name, size_t name_size, struct pattern **text,
                 struct glider_error *err);

/* Parses "WxH". */
int cli_parse_size(const char *s, int *w, int *h, struct glider_error *err);

/* Seconds on the monotonic clock. */
double cli_now(void);
/* Prints 's' as a JSON string literal (quotes and escapes included). */
void cli_json_string(FILE *f, const char *s);

/* Saves 'p' at 'path' (pattern_save), then, unless 'quiet', notes on
 * stderr what the format could not keep (.cells: the rule and universe). */
int cli_save(const struct pattern *p, const char *path, int quiet,
             struct glider_error *err);
/* The exit status for a cli_save that failed after pattern_save_check
 * passed: a write failing then (a full disk) is a runtime failure (1). */
int cli_save_exit_code(int rc);

/* Subcommands; each returns the process exit status. */
int cmd_run(const struct cli_opts *o);
int cmd_bench(const struct cli_opts *o);
int cmd_convert(const struct cli_opts *o);
int cmd_backends(const struct cli_opts *o);
int cmd_patterns(const struct cli_opts *o);
int cmd_view(const struct cli_opts *o);

#endif
