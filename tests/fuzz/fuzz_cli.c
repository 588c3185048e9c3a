/* fuzz_cli.c - libFuzzer target: the command-line parser cli_parse (and,
 * for 'bench', bench_config_parse).  The input is the argument list, the
 * arguments separated by NUL bytes; argv[0] is "glider".
 *
 * What parses must be in range: the checks below restate the limits printed
 * by 'glider --help'.  Nothing is run and no file is opened. */
#include "fuzz.h"

#include <getopt.h>

#include "../../cli/bench.h"
#include "../../cli/options.h"

#define FUZZ_MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    /* --help and --version print to stdout: keep the fuzzer's output readable. */
    if (!freopen("/dev/null", "w", stdout))
        return 0;
    return 0;
}

/* glibc's getopt keeps a pointer into the previous argv (its '__nextchar')
 * when a parse stopped in the middle of a cluster such as "-Zq"; cli_parse
 * resets only 'optind', so a second cli_parse in one process would read the
 * old, freed argument.  The program parses once per process; the fuzzer
 * parses millions of times, so it re-initialises getopt fully first
 * (optind = 0 makes glibc start afresh). */
static void reset_getopt(void)
{
    static char arg0[] = "glider";
    static char *argv0[] = {arg0, NULL};
    optind = 0;
    opterr = 0;
    getopt_long(1, argv0, ":", NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 8);
    FUZZ_CHECK(buf != NULL);
    memcpy(buf, "glider", 7);
    if (size)
        memcpy(buf + 7, data, size);
    buf[size + 7] = '\0';
    char *argv[FUZZ_MAX_ARGS + 1];
    int argc = 0;
    for (size_t i = 0; i < size + 8 && argc < FUZZ_MAX_ARGS;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;

    struct cli_opts o;
    struct glider_error err = {0};
    reset_getopt();
    int rc = cli_parse(argc, argv, &o, &err);
    if (rc < 0) {
        fuzz_check_error(rc, &err);
    } else if (rc == 0) {
        FUZZ_CHECK(o.command >= CMD_VIEW && o.command <= CMD_PATTERNS);
        FUZZ_CHECK(o.threads >= 0 && o.threads <= 1024);
        FUZZ_CHECK(o.generations >= -1);
        FUZZ_CHECK((o.width == 0 && o.height == 0) ||
                   (o.width >= 1 && o.width <= GRID_MAX_DIM && o.height >= 1 &&
                    o.height <= GRID_MAX_DIM));
        FUZZ_CHECK(o.soup == -1 || (o.soup >= 0 && o.soup <= 1));
        FUZZ_CHECK(o.task_cells >= 0 && o.max_live_threads >= 0 &&
                   o.coroutines >= 0 && o.runs >= 0);
        fuzz_check_rule(&o.rule);
        if (o.command == CMD_CONVERT)
            FUZZ_CHECK(o.pattern && o.output_arg);
        if (o.command == CMD_BENCH) {
            struct bench_config cfg;
            memset(&cfg, 0, sizeof cfg);
            rc = bench_config_parse(&cfg, &o, &err);
            if (rc) {
                fuzz_check_error(rc, &err);
            } else {
                FUZZ_CHECK(cfg.nsizes >= 1 && cfg.nsizes <= BENCH_MAX_LIST);
                for (int i = 0; i < cfg.nsizes; i++)
                    FUZZ_CHECK(cfg.widths[i] >= 1 && cfg.widths[i] <= GRID_MAX_DIM &&
                               cfg.heights[i] >= 1 && cfg.heights[i] <= GRID_MAX_DIM);
                FUZZ_CHECK(cfg.nthreads >= 0 && cfg.nthreads <= BENCH_MAX_LIST);
                for (int i = 0; i < cfg.nthreads; i++)
                    FUZZ_CHECK(cfg.threads[i] >= 1 && cfg.threads[i] <= 1024);
                FUZZ_CHECK(cfg.nbackends >= 0 && cfg.nbackends <= BENCH_MAX_LIST);
                for (int i = 0; i < cfg.nbackends; i++)
                    FUZZ_CHECK(cfg.backends[i] != NULL);
                FUZZ_CHECK(cfg.runs >= 1);
            }
            bench_config_free(&cfg);
        }
    } else {
        FUZZ_CHECK(rc == 1);
    }
    free(buf);
    return 0;
}
