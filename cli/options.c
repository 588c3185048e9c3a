/* options.c - parsing the command line and building the sim it describes. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../engine/kernel.h"
#include "../engine/library.h"
#include "../engine/pattern.h"

enum {
    OPT_SIZE = 256, OPT_TOPOLOGY, OPT_RULE, OPT_SOUP, OPT_SEED, OPT_JSON,
    OPT_STATS, OPT_TASK_CELLS, OPT_MAX_LIVE, OPT_IPC, OPT_COROUTINES,
    OPT_GENS_PER_TASK,
    OPT_KERNEL, OPT_SIZES, OPT_KERNELS, OPT_BACKENDS, OPT_RUNS, OPT_VS_GOLLY,
    OPT_SCALE, OPT_FPS, OPT_SPEED, OPT_FULLSCREEN, OPT_PAUSED, OPT_HEADLESS,
    OPT_FRAMES, OPT_SCREENSHOT, OPT_SCRIPT, OPT_VERSION
};

static const struct option long_opts[] = {
    {"backend", required_argument, 0, 'b'},
    {"threads", required_argument, 0, 'j'},
    {"generations", required_argument, 0, 'g'},
    {"output", required_argument, 0, 'o'},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {"size", required_argument, 0, OPT_SIZE},
    {"topology", required_argument, 0, OPT_TOPOLOGY},
    {"rule", required_argument, 0, OPT_RULE},
    {"soup", required_argument, 0, OPT_SOUP},
    {"seed", required_argument, 0, OPT_SEED},
    {"json", no_argument, 0, OPT_JSON},
    {"stats", no_argument, 0, OPT_STATS},
    {"task-cells", required_argument, 0, OPT_TASK_CELLS},
    {"gens-per-task", required_argument, 0, OPT_GENS_PER_TASK},
    {"max-live-threads", required_argument, 0, OPT_MAX_LIVE},
    {"ipc", required_argument, 0, OPT_IPC},
    {"coroutines", required_argument, 0, OPT_COROUTINES},
    {"kernel", required_argument, 0, OPT_KERNEL},
    {"sizes", required_argument, 0, OPT_SIZES},
    {"kernels", required_argument, 0, OPT_KERNELS},
    {"backends", required_argument, 0, OPT_BACKENDS},
    {"runs", required_argument, 0, OPT_RUNS},
    {"vs-golly", no_argument, 0, OPT_VS_GOLLY},
    {"scale", required_argument, 0, OPT_SCALE},
    {"fps", required_argument, 0, OPT_FPS},
    {"speed", required_argument, 0, OPT_SPEED},
    {"fullscreen", no_argument, 0, OPT_FULLSCREEN},
    {"paused", no_argument, 0, OPT_PAUSED},
    {"headless", no_argument, 0, OPT_HEADLESS},
    {"frames", required_argument, 0, OPT_FRAMES},
    {"screenshot", required_argument, 0, OPT_SCREENSHOT},
    {"script", required_argument, 0, OPT_SCRIPT},
    {"version", no_argument, 0, OPT_VERSION},
    {0, 0, 0, 0},
};

/* The commands each option means something to; any other refuses it rather
 * than ignore it ('glider view -g 10' would otherwise run on, -g unread). */
#define FOR_VIEW (1u << CMD_VIEW)
#define FOR_RUN (1u << CMD_RUN)
#define FOR_BENCH (1u << CMD_BENCH)
#define FOR_CONVERT (1u << CMD_CONVERT)
#define FOR_LISTS ((1u << CMD_BACKENDS) | (1u << CMD_PATTERNS))
#define FOR_SIM (FOR_VIEW | FOR_RUN | FOR_BENCH)
static const struct {
    int val;
    unsigned cmds;
} opt_cmds[] = {
    {'b', FOR_SIM},
    {'j', FOR_SIM},
    {'g', FOR_RUN | FOR_BENCH},
    {'o', FOR_RUN},
    {'q', FOR_RUN | FOR_BENCH | FOR_CONVERT | (1u << CMD_PATTERNS)},
    {OPT_SIZE, FOR_SIM},
    {OPT_TOPOLOGY, FOR_SIM},
    {OPT_RULE, FOR_SIM},
    {OPT_SOUP, FOR_SIM},
    {OPT_SEED, FOR_SIM},
    {OPT_JSON, FOR_RUN | FOR_BENCH | FOR_LISTS},
    {OPT_STATS, FOR_RUN | FOR_BENCH},
    {OPT_TASK_CELLS, FOR_SIM},
    {OPT_GENS_PER_TASK, FOR_SIM},
    {OPT_MAX_LIVE, FOR_SIM},
    {OPT_IPC, FOR_SIM},
    {OPT_COROUTINES, FOR_SIM},
    {OPT_KERNEL, FOR_SIM},
    {OPT_SIZES, FOR_BENCH},
    {OPT_KERNELS, FOR_BENCH},
    {OPT_BACKENDS, FOR_BENCH},
    {OPT_RUNS, FOR_BENCH},
    {OPT_VS_GOLLY, FOR_BENCH},
    {OPT_SCALE, FOR_VIEW},
    {OPT_FPS, FOR_VIEW},
    {OPT_SPEED, FOR_VIEW},
    {OPT_FULLSCREEN, FOR_VIEW},
    {OPT_PAUSED, FOR_VIEW},
    {OPT_HEADLESS, FOR_VIEW},
    {OPT_FRAMES, FOR_VIEW},
    {OPT_SCREENSHOT, FOR_VIEW},
    {OPT_SCRIPT, FOR_VIEW},
};

static const char *const command_names[] = {"view", "run", "bench", "convert",
                                            "backends", "patterns"};

/* 0, or an error naming option 'val' (as the user wrote it, 'arg') and the
 * commands it is for, when command 'cmd' has no use for it. */
static int check_option_command(int val, const char *arg, enum cli_command cmd,
                                struct glider_error *err)
{
    for (size_t i = 0; i < sizeof opt_cmds / sizeof opt_cmds[0]; i++) {
        if (opt_cmds[i].val != val || (opt_cmds[i].cmds >> cmd) & 1u)
            continue;
        /* "view, run or bench" */
        char list[96] = "";
        size_t n = 0;
        int left = __builtin_popcount(opt_cmds[i].cmds);
        for (int c = 0; c <= CMD_PATTERNS; c++)
            if ((opt_cmds[i].cmds >> c) & 1u) {
                left--;
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
                                      command_names[c],
                                      left > 1 ? ", " : left == 1 ? " or " : "");
            }
        return glider_errorf(err, GLIDER_EINVAL,
                             "option '%s' is for glider %s, not glider %s",
                             arg, list, command_names[cmd]);
    }
    return 0;
}

void cli_usage(FILE *f, enum cli_command cmd)
{
    (void)cmd;
    fputs(
        "usage: glider [view] [PATTERN] [options]   the SDL2 viewer (default)\n"
        "       glider run [PATTERN] [options]      headless: run, print a summary\n"
        "       glider bench [options]              compare back-ends (and bgolly)\n"
        "       glider convert IN OUT               any readable file to .json, .rle or .cells\n"
        "       glider backends [--json]            list the back-ends\n"
        "       glider patterns [--json]            list the pattern library\n"
        "\n"
        "PATTERN is a .json, .rle, .cells, Life 1.06/1.05 (.lif) or macrocell\n"
        "(.mc) file, gzipped or not (.rle.gz...), '-' for standard input, or the\n"
        "name of a pattern in the library (see 'glider patterns'; the library is\n"
        "found through $GLIDER_PATTERNS, next to the program, in the source tree\n"
        "it was built from, or where it was installed).\n"
        "\n"
        "Universe and simulation:\n"
        "  -b, --backend NAME      back-end (see 'glider backends'); default sequential\n"
        "  -j, --threads N         threads or processes, 1..1024; default: online CPUs\n"
        "                          (coroutine: 1; sequential and thread-per-cell do\n"
        "                          not use -j); bench: a list, e.g. 1,2, default\n"
        "                          online CPUs for coroutine too\n"
        "  -g, --generations N     generations to run (run: default 100; bench: at\n"
        "                          least 1, default: chosen per case)\n"
        "      --size WxH          universe size, 1..65536 each, or N for NxN\n"
        "                          (default: the pattern's own, or 256x256 for a\n"
        "                          soup)\n"
        "      --topology T        torus (default) or plane (bounded, dead outside)\n"
        "      --rule RULE         Life-like rule in B/S notation, e.g. B36/S23, B2\n"
        "                          (B2/S), S23 (B/S23) or Life; a suffix :Tw,h or\n"
        "                          :Pw,h sets the universe\n"
        "      --soup DENSITY      fill the universe with a random soup (0..1)\n"
        "      --seed N            seed for --soup (default 1): same seed, same soup\n"
        "  -o, --output FILE       save the final universe (.rle, .json or .cells)\n"
        "      --json              print the summary as one JSON object\n"
        "      --stats             print the back-end's own statistics\n"
        "  -q, --quiet             no summary and no notes (warnings about the\n"
        "                          input and errors still print)\n"
        "\n"
        "Back-end tuning:\n"
        "      --kernel NAME       band kernel: auto, scalar, avx2, avx512, reference\n"
        "                          (also the GLIDER_KERNEL environment variable)\n"
        "      --task-cells N      worker-queue: cells per task (1 = one task per cell)\n"
        "      --gens-per-task N   thread-pool, worker-queue, process-pool: most\n"
        "                          generations one band task computes (1..2048;\n"
        "                          1 = one task per band per generation; default:\n"
        "                          up to 64, as the band plan finds worth it)\n"
        "      --max-live-threads N  thread-per-cell: threads alive at once\n"
        "      --ipc shared|copy   process-pool: grids in shared memory (default) or\n"
        "                          rows copied through the sockets\n"
        "      --coroutines N      coroutine: coroutines in flight at once\n"
        "\n"
        "Bench:\n"
        "      --sizes LIST        universe sizes, e.g. 512,2048 or 256x128 (every\n"
        "                          list: comma-separated, no item twice)\n"
        "      --backends LIST     back-ends to run (default: all that finish in time)\n"
        "      --kernels LIST      kernels to compare\n"
        "      --runs N            runs per case; the median is reported (default 5)\n"
        "      --vs-golly          also time bgolly on the same patterns\n"
        "\n"
        "Viewer:\n"
        "      --scale N           pixels per cell (default: fit the window)\n"
        "      --fps N             frame-rate cap (default: display rate)\n"
        "      --speed N           generations per second (default 30), 0 = as fast\n"
        "                          as possible; Enter or Space start and stop\n"
        "      --fullscreen        start full screen\n"
        "      --paused            start paused\n"
        "      --headless          never open a window: draw in the terminal\n"
        "      --frames N          run N frames then exit (for tests)\n"
        "      --screenshot FILE   save the last frame as a .bmp (for tests)\n"
        "      --script FILE       feed scripted key and mouse events (for tests)\n"
        "\n"
        "  -h, --help              this help\n"
        "      --version           print the version\n"
        "\n"
        "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n",
        f);
}

int cli_exit_code(int rc)
{
    switch (rc) {
    case 0:
        return 0;
    case GLIDER_ENOMEM:
    case GLIDER_ETHREAD:
    case GLIDER_EPROC:
    case GLIDER_EINTR:
        return 1;
    default:
        return 2;
    }
}

/* Parses a whole decimal integer in [lo, hi]. */
static int parse_int(const char *opt, const char *s, long long lo, long long hi,
                     long long *out, struct glider_error *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: expected an integer from %lld to %lld, got "
                             "'%s'",
                             opt, lo, hi, s);
    *out = v;
    return 0;
}

static int parse_double(const char *opt, const char *s, double lo, double hi,
                        double *out, struct glider_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: expected a number from %g to %g, got '%s'",
                             opt, lo, hi, s);
    *out = v;
    return 0;
}

int cli_parse_size(const char *s, int *w, int *h, struct glider_error *err)
{
    char *end;
    errno = 0;
    long long a = strtoll(s, &end, 10), b = a; /* "N" is NxN */
    if (errno || end == s || (*end && *end != 'x' && *end != 'X'))
        return glider_errorf(err, GLIDER_EINVAL,
                             "--size: expected WxH such as 256x128, or N for "
                             "NxN, got '%s'",
                             s);
    if (*end) {
        const char *p = end + 1;
        b = strtoll(p, &end, 10);
        if (errno || end == p || *end)
            return glider_errorf(err, GLIDER_EINVAL,
                                 "--size: expected WxH such as 256x128, or N "
                                 "for NxN, got '%s'",
                                 s);
    }
    if (a < 1 || b < 1)
        return glider_errorf(err, GLIDER_ELIMIT,
                             "--size %s: width and height must be 1..%d", s,
                             GRID_MAX_DIM);
    if (a > GRID_MAX_DIM || b > GRID_MAX_DIM) {
        /* The memory, when that is what a larger universe would cost. */
        double mib = (double)grid_bytes_for((uint64_t)a, (uint64_t)b) /
                     (1024.0 * 1024.0);
        if (mib < 1024)
            return glider_errorf(err, GLIDER_ELIMIT,
                                 "--size %s: width and height must be 1..%d",
                                 s, GRID_MAX_DIM);
        return glider_errorf(err, GLIDER_ELIMIT,
                             "--size %s: width and height must be 1..%d (two "
                             "grids of that size would need %.1f MiB)",
                             s, GRID_MAX_DIM, mib);
    }
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static const struct {
    const char *name;
    enum cli_command cmd;
} commands[] = {{"view", CMD_VIEW},         {"run", CMD_RUN},
                {"bench", CMD_BENCH},       {"convert", CMD_CONVERT},
                {"backends", CMD_BACKENDS}, {"patterns", CMD_PATTERNS}};

int cli_parse(int argc, char **argv, struct cli_opts *o, struct glider_error *err)
{
    memset(o, 0, sizeof *o);
    o->command = CMD_VIEW;
    o->generations = -1;
    o->soup = -1;
    o->seed = 1;
    o->rule = RULE_LIFE;
    o->runs = 0;
    o->speed = -1;
    o->frames = -1;
    int first = 1;
    if (argc > 1) {
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (strcmp(argv[1], commands[i].name) == 0) {
                o->command = commands[i].cmd;
                first = 2;
            }
    }
    /* optind = 0 makes glibc's getopt forget any earlier parse entirely;
     * then skip the program name and the subcommand. */
    optind = 0;
    getopt_long(1, argv, "", long_opts, NULL);
    optind = first;
    opterr = 0;
    int c, rc = 0;
    long long v = 0;
    double d = 0;
    int li = -1;
    while ((c = getopt_long(argc, argv, ":b:j:g:o:qh", long_opts, &li)) != -1) {
        const char *a = optarg;
        /* The option as written: "--generations" when getopt matched a long
         * name (li), else "-g" (also inside a cluster such as "-qg"). */
        if (c != ':' && c != '?') {
            char name[64];
            if (li >= 0)
                snprintf(name, sizeof name, "--%s", long_opts[li].name);
            else
                snprintf(name, sizeof name, "-%c", c);
            if ((rc = check_option_command(c, name, o->command, err)))
                return rc;
        }
        li = -1;
        switch (c) {
        case 'b':
            o->backend = a;
            break;
        case 'j':
            o->threads_list = a;
            if (strchr(a, ',') && o->command == CMD_BENCH)
                break;
            if ((rc = parse_int("--threads", a, 1, 1024, &v, err)))
                return rc;
            o->threads = (int)v;
            break;
        case 'g':
            if ((rc = parse_int("--generations", a, 0, 1000000000000LL, &v, err)))
                return rc;
            o->generations = v;
            break;
        case 'o':
            o->output = a;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            cli_usage(stdout, o->command);
            return 1;
        case OPT_VERSION:
            printf("glider %s\n", GLIDER_VERSION);
            return 1;
        case OPT_SIZE:
            if ((rc = cli_parse_size(a, &o->width, &o->height, err)))
                return rc;
            break;
        case OPT_TOPOLOGY:
            if ((rc = topology_parse(a, &o->topo, err)))
                return rc;
            o->has_topo = 1;
            break;
        case OPT_RULE:
            if ((rc = rule_parse_full(a, &o->rule, &o->rule_bounds, err)))
                return rc;
            o->has_rule = 1;
            break;
        case OPT_SOUP:
            if ((rc = parse_double("--soup", a, 0, 1, &o->soup, err)))
                return rc;
            break;
        case OPT_SEED:
            if ((rc = parse_int("--seed", a, 0, INT64_MAX, &v, err)))
                return rc;
            o->seed = (uint64_t)v;
            break;
        case OPT_JSON:
            o->json = 1;
            break;
        case OPT_STATS:
            o->stats = 1;
            break;
        case OPT_TASK_CELLS:
            if ((rc = parse_int("--task-cells", a, 1, (long long)GRID_MAX_DIM * GRID_MAX_DIM, &v, err)))
                return rc;
            o->task_cells = (int)(v > 2147483647 ? 2147483647 : v);
            break;
        case OPT_GENS_PER_TASK:
            if ((rc = parse_int("--gens-per-task", a, 1, 2048, &v, err)))
                return rc;
            o->gens_per_task = (int)v;
            break;
        case OPT_MAX_LIVE:
            if ((rc = parse_int("--max-live-threads", a, 1, 30000, &v, err)))
                return rc;
            o->max_live_threads = (int)v;
            break;
        case OPT_IPC:
            if (strcmp(a, "copy") == 0)
                o->ipc_copy = 1;
            else if (strcmp(a, "shared") == 0)
                o->ipc_copy = 0;
            else
                return glider_errorf(err, GLIDER_EINVAL,
                                     "--ipc: expected 'shared' or 'copy', got "
                                     "'%s'",
                                     a);
            break;
        case OPT_COROUTINES:
            if ((rc = parse_int("--coroutines", a, 1, 1 << 24, &v, err)))
                return rc;
            o->coroutines = (int)v;
            break;
        case OPT_KERNEL:
            if ((rc = kernel_select(a, err)))
                return rc;
            o->kernel = a;
            break;
        case OPT_SIZES:
            o->sizes = a;
            break;
        case OPT_KERNELS:
            o->kernels = a;
            break;
        case OPT_BACKENDS:
            o->backends = a;
            break;
        case OPT_RUNS:
            if ((rc = parse_int("--runs", a, 1, 1000, &v, err)))
                return rc;
            o->runs = (int)v;
            break;
        case OPT_VS_GOLLY:
            o->vs_golly = 1;
            break;
        case OPT_SCALE:
            if ((rc = parse_int("--scale", a, 1, 256, &v, err)))
                return rc;
            o->scale = (int)v;
            break;
        case OPT_FPS:
            if ((rc = parse_int("--fps", a, 1, 1000, &v, err)))
                return rc;
            o->fps = (int)v;
            break;
        case OPT_SPEED:
            if ((rc = parse_double("--speed", a, 0, 1e9, &d, err)))
                return rc;
            o->speed = d;
            break;
        case OPT_FULLSCREEN:
            o->fullscreen = 1;
            break;
        case OPT_PAUSED:
            o->paused = 1;
            break;
        case OPT_HEADLESS:
            o->headless = 1;
            break;
        case OPT_FRAMES:
            if ((rc = parse_int("--frames", a, 0, 100000000, &v, err)))
                return rc;
            o->frames = (long)v;
            break;
        case OPT_SCREENSHOT:
            o->screenshot = a;
            break;
        case OPT_SCRIPT:
            o->script = a;
            break;
        case ':':
            if (optopt > 0 && optopt < 128)
                return glider_errorf(err, GLIDER_EINVAL,
                                     "option '-%c' needs a value", optopt);
            return glider_errorf(err, GLIDER_EINVAL, "option '%s' needs a value",
                                 argv[optind - 1]);
        default:
            if (optopt > 0 && optopt < 128)
                return glider_errorf(err, GLIDER_EINVAL,
                                     "unknown option '-%c' (see 'glider --help')",
                                     optopt);
            return glider_errorf(err, GLIDER_EINVAL,
                                 "unknown option '%s' (see 'glider --help')",
                                 argv[optind - 1]);
        }
    }
    int npos = argc - optind;
    int max_pos = o->command == CMD_CONVERT ? 2
                  : (o->command == CMD_BACKENDS || o->command == CMD_PATTERNS ||
                     o->command == CMD_BENCH)
                      ? 0
                      : 1;
    if (npos > max_pos)
        return glider_errorf(err, GLIDER_EINVAL,
                             "unexpected argument '%s' (see 'glider --help')",
                             argv[optind + max_pos]);
    if (o->command == CMD_CONVERT && npos != 2)
        return glider_errorf(err, GLIDER_EINVAL,
                             "convert: expected IN and OUT file names");
    /* A bounded-grid suffix names the universe, as in a file; with --size
     * or --topology as well, they must agree. */
    const struct rule_bounds *rb = &o->rule_bounds;
    if (rb->present && o->command == CMD_BENCH)
        return glider_errorf(err, GLIDER_EINVAL,
                             "bench: --rule takes no bounded-grid suffix; the "
                             "universes are --sizes and --topology");
    if (rb->present && ((o->width && (o->width != rb->width ||
                                      o->height != rb->height)) ||
                        (o->has_topo && o->topo != rb->topo)))
        return glider_errorf(err, GLIDER_EINVAL,
                             "--rule names a %dx%d %s, but --size/--topology "
                             "say otherwise",
                             rb->width, rb->height, topology_name(rb->topo));
    if (rb->present) {
        o->width = rb->width;
        o->height = rb->height;
        o->topo = rb->topo;
        o->has_topo = 1;
    }
    if (npos >= 1)
        o->pattern = argv[optind];
    if (npos >= 2)
        o->output_arg = argv[optind + 1];
    return 0;
}

int cli_make_sim(const struct cli_opts *o, int default_pattern, struct sim **out,
                 char *name, size_t name_size, struct pattern **text,
                 struct glider_error *err)
{
    struct pattern *p = NULL, *t = NULL;
    int rc = 0;
    *out = NULL;
    if (text)
        *text = NULL;
    if (name && name_size)
        name[0] = '\0';
    if (o->pattern) {
        rc = library_load(o->pattern, &p, err);
    } else if (o->soup < 0 && default_pattern) {
        rc = library_load_default(&p, err);
    }
    if (rc)
        return rc;
    struct sim_config cfg = {0};
    cfg.backend = o->backend;
    cfg.opts.threads = o->threads;
    cfg.opts.task_cells = o->task_cells;
    cfg.opts.gens_per_task = o->gens_per_task;
    cfg.opts.max_live_threads = o->max_live_threads;
    cfg.opts.ipc_copy = o->ipc_copy;
    cfg.opts.coroutines = o->coroutines;
    cfg.rule = o->has_rule ? o->rule : (p && p->has_rule ? p->rule : RULE_LIFE);
    cfg.width = 256;
    cfg.height = 256;
    cfg.topo = TOPO_TORUS;
    if (p && (rc = pattern_universe(p, &cfg.width, &cfg.height, &cfg.topo, err))) {
        pattern_destroy(p);
        return rc;
    }
    if (o->width) {
        cfg.width = o->width;
        cfg.height = o->height;
        /* An origin is for the pattern's own universe: in another size
         * where it does not fit, the pattern goes in the middle. */
        if (p && p->has_origin && !pattern_fits(p, cfg.width, cfg.height)) {
            p->has_origin = 0;
            if (!pattern_fits(p, cfg.width, cfg.height))
                p->has_origin = 1; /* too large anyway: name its cell */
            else if (!o->quiet)
                fprintf(stderr, "glider: note: the pattern's origin (%d, %d) "
                                "is outside a %dx%d universe: centred\n",
                        p->origin_x, p->origin_y, cfg.width, cfg.height);
        }
    }
    if (o->has_topo)
        cfg.topo = o->topo;
    struct sim *s;
    if ((rc = sim_create(&s, &cfg, err))) {
        pattern_destroy(p);
        return rc;
    }
    if (p) {
        rc = pattern_place(p, sim_grid_edit(s), err);
        /* A soup replaces the pattern: it is not saved under its name. */
        if (rc == 0 && text && o->soup < 0 && (rc = pattern_create(&t, 0, 0, err)) == 0 &&
            (rc = pattern_copy_text(t, p, err)) != 0) {
            pattern_destroy(t);
            t = NULL;
        }
        if (t) /* whether the pattern fixed its universe (cmd_run's note) */
            t->bounds = p->bounds;
        if (rc == 0 && name && name_size)
            snprintf(name, name_size, "%s",
                     p->name                              ? p->name
                     : !o->pattern                        ? ""
                     : strcmp(o->pattern, "-") == 0       ? "<stdin>"
                                                          : o->pattern);
    }
    /* Said once the pattern is in (a pattern too large is an error). */
    if (rc == 0 && p && p->bounds.present && !o->quiet &&
        (p->bounds.width != cfg.width || p->bounds.height != cfg.height ||
         p->bounds.topo != cfg.topo))
        fprintf(stderr, "glider: note: the pattern names a %dx%d %s; %s "
                        "make%s it a %dx%d %s\n",
                p->bounds.width, p->bounds.height,
                topology_name(p->bounds.topo),
                o->rule_bounds.present ? "--rule's suffix" : "--size/--topology",
                o->rule_bounds.present ? "s" : "", cfg.width, cfg.height,
                topology_name(cfg.topo));
    if (rc == 0 && o->soup >= 0)
        grid_fill_soup(sim_grid_edit(s), o->soup, o->seed);
    if (rc == 0 && o->soup >= 0 && name && name_size) {
        /* The soup replaced the pattern's cells; its universe and rule
         * stay, and the name says whose they are. */
        char from[200] = "";
        if (p && name[0])
            snprintf(from, sizeof from, " in the universe of %.150s", name);
        snprintf(name, name_size, "soup %.3g seed %llu%s", o->soup,
                 (unsigned long long)o->seed, from);
    }
    pattern_destroy(p);
    if (rc) {
        pattern_destroy(t);
        sim_destroy(s);
        return rc;
    }
    if (text)
        *text = t;
    *out = s;
    return 0;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}
