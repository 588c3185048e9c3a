/* soak.c - the long run: every back-end in turn on one universe, switching
 * every few generations, for a given time; then the hash must equal what
 * 'sequential' computes for the same number of generations.
 *
 * Not part of 'meson test' (it runs for minutes): scripts/soak.sh builds and
 * starts it.  A second sim on 'sequential' follows in lock-step, so a
 * divergence is caught at the turn (back-end, generation) where it happens.
 * After every round the process must hold no more threads, children or file
 * descriptors than before the first: a back-end that leaks a little per
 * switch shows up here long before it would in the short tests.
 *
 * usage: soak [--minutes M] [--size WxH] [--density D] [--seed N]
 *             [--switch G] [--reps R] [-j N] [--backends a,b,...] */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../engine/backend.h"
#include "../engine/sim.h"
#include "test_util.h"

#define SOAK_MAX_BACKENDS 32

struct soak_backend {
    const struct backend_ops *ops;
    long turns;            /* times it was switched to */
    uint64_t generations;  /* generations it computed */
    double seconds;        /* time inside its steps */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}



/* Threads, children and descriptors, waiting up to ~2 s for joined threads
 * and reaped children to leave /proc.  Returns 1 when back to 'want'. */
static int census_ok(const int want[3], int got[3])
{
    for (int i = 0; i < 200; i++) {
        got[0] = tu_count_dir("/proc/self/task");
        got[1] = tu_count_children();
        got[2] = tu_count_dir("/proc/self/fd");
        if (got[0] == want[0] && got[1] == want[1] && got[2] == want[2])
            return 1;
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* A small reproducible generator for the turn lengths (xorshift64*). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static unsigned rng_below(unsigned n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (unsigned)((rng_state * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

/* One turn: switch 's' to 'b', run 'gens' generations, advance the
 * reference as much and compare.  Returns 1 on failure (printed). */
static int soak_turn(struct sim *s, struct sim *ref, struct soak_backend *b,
                     unsigned gens, const struct backend_opts *opts, long round)
{
    struct glider_error err = {0};
    if (sim_set_backend(s, b->ops->name, opts, &err)) {
        printf("FAIL round %ld: switching to %s: %s\n", round, b->ops->name,
               err.msg);
        return 1;
    }
    double ts = now();
    if (sim_run(s, gens, &err)) {
        printf("FAIL round %ld: %s at generation %" PRIu64 ": %s\n", round,
               b->ops->name, sim_generation(s), err.msg);
        return 1;
    }
    b->seconds += now() - ts;
    b->turns++;
    b->generations += gens;
    if (sim_run(ref, gens, &err)) {
        printf("FAIL reference: %s\n", err.msg);
        return 1;
    }
    uint64_t h = grid_hash(sim_grid(s)), want = grid_hash(sim_grid(ref));
    if (h != want) {
        printf("FAIL round %ld: after %u generation(s) on %s (generation "
               "%" PRIu64 ") the hash is %016" PRIx64 ", sequential says "
               "%016" PRIx64 "\n",
               round, gens, b->ops->name, sim_generation(s), h, want);
        return 1;
    }
    return 0;
}

static void *noop_thread(void *arg)
{
    return arg;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: soak [--minutes M] [--size WxH] [--density D] [--seed N]\n"
               "            [--switch G] [--reps R] [-j N] [--backends a,b,...]\n"
               "Runs every back-end in turn for M minutes (default 10) on a WxH\n"
               "torus soup: each round makes R passes (default 8) over the fast\n"
               "back-ends, a random 1..G generations (default 8) each, then one\n"
               "generation on each cell-granular back-end.  WxH defaults to\n"
               "1024x1024, the density to 0.35.  Every turn is checked against\n"
               "'sequential'.  Exit 0 when every hash matched.\n");
}

int main(int argc, char **argv)
{
    double minutes = 10, density = 0.35;
    int width = 1024, height = 1024, max_turn = 8, threads = 0, reps = 8;
    uint64_t seed = 1;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        i++;
        if (strcmp(a, "--minutes") == 0)
            minutes = atof(v);
        else if (strcmp(a, "--size") == 0 && sscanf(v, "%dx%d", &width, &height) == 2)
            ;
        else if (strcmp(a, "--density") == 0)
            density = atof(v);
        else if (strcmp(a, "--seed") == 0)
            seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--switch") == 0)
            max_turn = atoi(v);
        else if (strcmp(a, "--reps") == 0)
            reps = atoi(v);
        else if (strcmp(a, "-j") == 0)
            threads = atoi(v);
        else if (strcmp(a, "--backends") == 0)
            only = v;
        else {
            usage(stderr);
            return 2;
        }
    }
    if (minutes <= 0 || max_turn < 1 || reps < 1 || width < 1 || height < 1 || threads < 0) {
        usage(stderr);
        return 2;
    }

    /* The back-ends to cycle through: every one that starts. */
    struct soak_backend bs[SOAK_MAX_BACKENDS];
    int nb = 0;
    struct backend_opts opts = {0};
    opts.threads = threads;
    for (int i = 0; backend_at(i) && nb < SOAK_MAX_BACKENDS; i++) {
        const struct backend_ops *b = backend_at(i);
        if (only) {
            size_t n = strlen(b->name);
            const char *p = strstr(only, b->name);
            if (!p || (p != only && p[-1] != ',') || (p[n] && p[n] != ','))
                continue;
        }
        void *state = NULL;
        struct glider_error err = {0};
        if (b->create(&state, &opts, &err)) {
            printf("skip %-16s %s\n", b->name, err.msg);
            continue;
        }
        b->destroy(state);
        bs[nb++] = (struct soak_backend){b, 0, 0, 0};
    }
    if (nb == 0) {
        fprintf(stderr, "soak: no back-end to run\n");
        return 2;
    }

    struct sim_config cfg = {0};
    cfg.width = width;
    cfg.height = height;
    cfg.topo = TOPO_TORUS;
    cfg.rule = RULE_LIFE;
    cfg.backend = "sequential";
    cfg.opts = opts;
    struct sim *s = NULL, *ref = NULL;
    struct glider_error err = {0};
    if (sim_create(&s, &cfg, &err) || sim_create(&ref, &cfg, &err)) {
        fprintf(stderr, "soak: %s\n", err.msg);
        sim_destroy(s);
        return 1;
    }
    grid_fill_soup(sim_grid_edit(s), density, seed);
    grid_fill_soup(sim_grid_edit(ref), density, seed);
    rng_state = (seed + 1) * 0x9E3779B97F4A7C15ull | 1; /* never 0 */
    /* Sanitizer runtimes start a thread of their own at the first
     * pthread_create: make that happen before the baseline. */
    pthread_t t;
    if (pthread_create(&t, NULL, noop_thread, NULL) == 0)
        pthread_join(t, NULL);
    int base[3], got[3];
    base[0] = tu_count_dir("/proc/self/task");
    base[1] = tu_count_children();
    base[2] = tu_count_dir("/proc/self/fd");

    printf("soak: %dx%d torus, soup %.2f seed %" PRIu64 ", %d back-end(s), %.1f "
           "minute(s), turns of 1..%d generations, %d passes a round\n",
           width, height, density, seed, nb, minutes, max_turn, reps);
    fflush(stdout);
    double t0 = now(), deadline = t0 + minutes * 60.0, last_report = t0;
    long round = 0;
    int failed = 0;
    while (!failed && now() < deadline) {
        round++;
        /* A round: 'reps' passes over the fast back-ends, then one
         * generation on each cell-granular one (thread-per-cell needs seconds
         * for a generation of a million cells). */
        for (int pass = 0; pass <= reps && !failed && now() < deadline; pass++) {
            for (int i = 0; i < nb && !failed && now() < deadline; i++) {
                struct soak_backend *b = &bs[i];
                int cellwise = (b->ops->flags & BACKEND_CELL_GRANULAR) != 0;
                if (cellwise != (pass == reps))
                    continue;
                unsigned gens = cellwise ? 1 : 1 + rng_below((unsigned)max_turn);
                failed = soak_turn(s, ref, b, gens, &opts, round);
            }
        }
        /* Between rounds, on sequential: nothing of the others may remain. */
        if (!failed && sim_set_backend(s, "sequential", &opts, &err)) {
            printf("FAIL: switching to sequential: %s\n", err.msg);
            failed = 1;
        }
        if (!failed && !census_ok(base, got)) {
            printf("FAIL round %ld: leaked: threads %d -> %d, children %d -> %d, "
                   "fds %d -> %d\n",
                   round, base[0], got[0], base[1], got[1], base[2], got[2]);
            failed = 1;
        }
        if (now() - last_report >= 30 || failed) {
            last_report = now();
            printf("  round %ld, generation %" PRIu64 ", %.0f s, population %" PRIu64
                   ", hash %016" PRIx64 "\n",
                   round, sim_generation(s), now() - t0,
                   grid_population(sim_grid(s)), grid_hash(sim_grid(s)));
            fflush(stdout);
        }
    }

    /* The final check the README promises: a fresh sequential run from the
     * same soup, for the same number of generations. */
    uint64_t total = sim_generation(s);
    if (!failed) {
        struct sim *fresh = NULL;
        if (sim_create(&fresh, &cfg, &err) == 0) {
            grid_fill_soup(sim_grid_edit(fresh), density, seed);
            if (sim_run(fresh, total, &err) == 0 &&
                grid_hash(sim_grid(fresh)) != grid_hash(sim_grid(s))) {
                printf("FAIL: after %" PRIu64 " generations the hash is %016" PRIx64
                       ", a fresh sequential run says %016" PRIx64 "\n",
                       total, grid_hash(sim_grid(s)), grid_hash(sim_grid(fresh)));
                failed = 1;
            }
            sim_destroy(fresh);
        }
        if (err.code) {
            printf("FAIL: fresh sequential run: %s\n", err.msg);
            failed = 1;
        }
    }

    printf("\n%-16s %8s %12s %10s %12s\n", "back-end", "turns", "generations",
           "seconds", "gens/s");
    for (int i = 0; i < nb; i++)
        printf("%-16s %8ld %12" PRIu64 " %10.1f %12.1f\n", bs[i].ops->name,
               bs[i].turns, bs[i].generations, bs[i].seconds,
               bs[i].seconds > 0 ? (double)bs[i].generations / bs[i].seconds : 0);
    printf("\n%s: %ld round(s), %" PRIu64 " generations in %.1f minutes, final "
           "hash %016" PRIx64 " %s\n",
           failed ? "FAIL" : "PASS", round, total, (now() - t0) / 60.0,
           grid_hash(sim_grid(s)),
           failed ? "" : "(equal to sequential)");
    sim_destroy(s);
    sim_destroy(ref);
    return failed ? 1 : 0;
}
