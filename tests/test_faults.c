/* test_faults.c - fault injection across every back-end.
 *
 * For each registered back-end and each operation sys.h can make fail
 * (thread start, fork, pipe/socketpair, shared mapping, allocation), the Nth
 * call is made to fail, for N = 1, 2, 3... until the operation under test
 * runs to the end without reaching the Nth call.  Three places are tried:
 *
 *   create  sim_set_backend(sequential -> B) with the fault armed;
 *   step    two generations on B with the fault armed (the first step, where
 *           lazy start-up happens, and one in the steady state);
 *   sim     sim_create(backend = B) with the fault armed.
 *
 * Whatever happens, a failure must be a negative code with a one-line
 * message; the universe must be exactly what it was (or, when the back-end
 * tolerated the fault by retrying, exactly the reference's next generation);
 * and once B is stopped, nothing of it may remain: the thread count
 * (/proc/self/task), child processes (zombies included), open descriptors
 * (/proc/self/fd), shared mappings (/proc/self/maps) and /dev/shm are back to
 * what they were.  Then the sim must carry on with another back-end.  A
 * second pass makes every call from the Nth on fail ("sticky"), so a back-end
 * that retries must still give up cleanly.
 *
 * Back-ends that are still placeholders ("not built yet") print a SKIP line.
 * usage: test_faults [BACKEND...]   (default: all) */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../engine/backend.h"
#include "../engine/sim.h"
#include "../engine/sys.h"
#include "test.h"
#include "test_util.h"

/* Enough to stop a runaway loop; the largest real count (thread-per-cell,
 * one thread per cell over two steps of an 8x8 universe) is about 130. */
#define MAX_NTH 4000

static const struct {
    enum sys_op op;
    const char *name;
    int err; /* the errno the OS would give */
} ops[] = {
    {SYS_OP_THREAD, "thread", EAGAIN},
    {SYS_OP_FORK, "fork", EAGAIN},
    {SYS_OP_PIPE, "pipe", EMFILE},
    {SYS_OP_MMAP, "mmap", ENOMEM},
    {SYS_OP_MALLOC, "malloc", ENOMEM},
};
#define NOPS (int)(sizeof ops / sizeof ops[0])

/* ---- What the process holds ------------------------------------------- */

struct census {
    int threads;  /* /proc/self/task entries */
    int children; /* processes whose parent is us, zombies included */
    int fds;      /* /proc/self/fd entries */
    int shared;   /* shared anonymous or named shared-memory mappings */
    int shm;      /* entries in /dev/shm */
};

static int count_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static int count_children(void)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    int n = 0;
    pid_t me = getpid();
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        char *p = strrchr(buf, ')'); /* the command name may hold spaces */
        char state;
        int ppid;
        if (p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 && ppid == me)
            n++;
    }
    closedir(d);
    return n;
}

/* Shared anonymous mappings show as "/dev/zero (deleted)"; named ones as
 * /dev/shm/..., memfds as /memfd:... */
static int count_shared_maps(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "/dev/zero") || strstr(line, "/dev/shm/") ||
            strstr(line, "/memfd:") || strstr(line, "SYSV"))
            n++;
    fclose(f);
    return n;
}

static void census_take(struct census *c)
{
    c->threads = count_dir("/proc/self/task");
    c->children = count_children();
    c->fds = count_dir("/proc/self/fd");
    c->shared = count_shared_maps();
    c->shm = count_dir("/dev/shm");
}

static int census_equal(const struct census *a, const struct census *b)
{
    return a->threads == b->threads && a->children == b->children &&
           a->fds == b->fds && a->shared == b->shared && b->shm <= a->shm;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Compares the process with 'want', giving threads and children that were
 * joined or reaped a moment to leave /proc (up to about 2 s).  Prints the
 * difference and returns 0 when it persists. */
static int census_back_to(const struct census *want, const char *what)
{
    struct census now;
    for (int i = 0; i < 400; i++) {
        census_take(&now);
        if (census_equal(want, &now))
            return 1;
        sleep_ms(5);
    }
    fprintf(stderr,
            "%s: leaked: threads %d -> %d, children %d -> %d, fds %d -> %d, "
            "shared mappings %d -> %d, /dev/shm entries %d -> %d\n",
            what, want->threads, now.threads, want->children, now.children,
            want->fds, now.fds, want->shared, now.shared, want->shm, now.shm);
    return 0;
}

/* ---- The universe and its expected future ------------------------------ */

struct fixture {
    const struct backend_ops *ops;
    struct backend_opts opts;
    int width, height;
    struct grid *gen[3]; /* generations 0, 1, 2 by the reference kernel */
};

static int fixture_init(struct fixture *f, const struct backend_ops *ops)
{
    memset(f, 0, sizeof *f);
    f->ops = ops;
    /* Cell-granular back-ends do work per cell: keep their universe small so
     * that N can walk through every call of two generations. */
    int cellwise = (ops->flags & BACKEND_CELL_GRANULAR) != 0;
    f->width = cellwise ? 8 : 64;
    f->height = cellwise ? 8 : 40;
    f->opts.threads = 3;
    f->opts.max_live_threads = 5; /* thread-per-cell: a ring smaller than the grid */
    f->opts.task_cells = 16;      /* worker-queue: several tasks per row band */
    f->opts.coroutines = 7;
    struct rule life = RULE_LIFE;
    for (int i = 0; i < 3; i++) {
        if (grid_create(&f->gen[i], f->width, f->height, TOPO_TORUS, NULL))
            return -1;
        if (i == 0)
            grid_fill_soup(f->gen[0], 0.4, 42);
        else {
            grid_copy(f->gen[i], f->gen[i - 1]);
            tu_reference_step(f->gen[i], &life);
        }
    }
    return 0;
}

static void fixture_free(struct fixture *f)
{
    for (int i = 0; i < 3; i++)
        grid_destroy(f->gen[i]);
}

/* A sequential sim holding generation 0. */
static struct sim *fixture_sim(const struct fixture *f)
{
    struct sim_config cfg = {0};
    cfg.width = f->width;
    cfg.height = f->height;
    cfg.topo = TOPO_TORUS;
    cfg.rule = RULE_LIFE;
    cfg.backend = "sequential";
    struct sim *s = NULL;
    struct glider_error err = {0};
    if (sim_create(&s, &cfg, &err)) {
        fprintf(stderr, "sim_create: %s\n", err.msg);
        return NULL;
    }
    grid_copy(sim_grid_edit(s), f->gen[0]);
    return s;
}

/* ---- Checks ---------------------------------------------------------------- */

static int check_message(const struct glider_error *err, int rc, const char *what)
{
    if (rc >= 0 || err->msg[0] == '\0' || strchr(err->msg, '\n') ||
        strstr(err->msg, "(null)")) {
        fprintf(stderr, "%s: bad error: rc %d, message \"%s\"\n", what, rc,
                err->msg);
        return 0;
    }
    return 1;
}

static int check_grid(const struct sim *s, const struct grid *want, const char *what)
{
    if (!grid_equal(sim_grid(s), want)) {
        fprintf(stderr, "%s: the universe changed\n", what);
        tu_report_diff(want, sim_grid(s));
        return 0;
    }
    return 1;
}

/* After a failure, the sim carries on with sequential: one more generation,
 * compared with the reference.  'at' is the generation it holds. */
static int check_continues(struct sim *s, const struct fixture *f, int at,
                           const char *what)
{
    struct glider_error err = {0};
    if (strcmp(sim_backend(s)->name, "sequential") != 0 &&
        sim_set_backend(s, "sequential", NULL, &err)) {
        fprintf(stderr, "%s: cannot switch to sequential: %s\n", what, err.msg);
        return 0;
    }
    if (at >= 2)
        return 1;
    if (sim_step(s, &err)) {
        fprintf(stderr, "%s: sequential step after the fault: %s\n", what, err.msg);
        return 0;
    }
    return check_grid(s, f->gen[at + 1], what);
}

/* What one (back-end, operation, place) walk saw, for the summary line. */
struct tally {
    int tried;     /* values of N */
    int refused;   /* the operation failed with a message */
    int tolerated; /* the fault was hit, yet it succeeded (retry) */
    char first[GLIDER_ERROR_MSG_MAX]; /* the first message */
};

static void tally_refused(struct tally *t, const struct glider_error *err)
{
    if (t->refused++ == 0)
        snprintf(t->first, sizeof t->first, "%s", err->msg);
}

static void tally_print(const struct fixture *f, int o, const char *place,
                        int sticky, const struct tally *t)
{
    printf("     %-16s%s %-6s %-6s%s N=1..%d: %d refused, %d tolerated%s%s%s\n",
           f->ops->name, f->opts.ipc_copy ? "(copy)" : "", ops[o].name, place,
           sticky ? "+" : " ", t->tried,
           t->refused, t->tolerated, t->refused ? " (\"" : "",
           t->refused ? t->first : "", t->refused ? "\")" : "");
}

/* ---- The three places --------------------------------------------------- */

/* sim_set_backend(B) with the Nth call of 'o' failing. */
static int walk_create(const struct fixture *f, int o, int sticky)
{
    struct tally t = {0};
    char what[160];
    for (long n = 1; n <= MAX_NTH; n++) {
        snprintf(what, sizeof what, "%s: %s fault %ld%s in create", f->ops->name,
                 ops[o].name, n, sticky ? " (sticky)" : "");
        struct sim *s = fixture_sim(f);
        if (!s)
            return 1;
        struct census base;
        census_take(&base);
        struct glider_error err = {0};
        long calls0 = sys_fault_calls(ops[o].op);
        sys_fault_arm(ops[o].op, n, ops[o].err, sticky);
        int rc = sim_set_backend(s, f->ops->name, &f->opts, &err);
        sys_fault_disarm_all();
        int hit = sys_fault_calls(ops[o].op) - calls0 >= n;
        int ok = 1;
        t.tried++;
        if (rc) {
            ok = hit || (fprintf(stderr, "%s: failed without the fault: %s\n",
                                 what, err.msg), 0);
            ok = ok && check_message(&err, rc, what);
            ok = ok && (strcmp(sim_backend(s)->name, "sequential") == 0 ||
                        (fprintf(stderr, "%s: the old back-end is gone\n", what), 0));
            ok = ok && check_grid(s, f->gen[0], what);
            ok = ok && census_back_to(&base, what);
            ok = ok && check_continues(s, f, 0, what);
            tally_refused(&t, &err);
        } else {
            if (hit)
                t.tolerated++;
            /* It started despite the fault: it must work, then stop cleanly. */
            ok = sim_step(s, &err) == 0 ||
                 (fprintf(stderr, "%s: step after create: %s\n", what, err.msg), 0);
            ok = ok && check_grid(s, f->gen[1], what);
            ok = ok && check_continues(s, f, 1, what);
            ok = ok && census_back_to(&base, what);
        }
        sim_destroy(s);
        if (!ok)
            return 1;
        if (!hit)
            break;
    }
    tally_print(f, o, "create", sticky, &t);
    return 0;
}

/* Two generations on B with the Nth call of 'o' (counted from the first
 * step) failing.  With 'resize', the sim gets new grids (sim_resize) between
 * create and the first step, so back-ends that bind to the grids (the
 * process-pool re-forks its workers) do that work inside the step. */
static int walk_step(const struct fixture *f, int o, int sticky, int resize)
{
    struct tally t = {0};
    char what[160];
    for (long n = 1; n <= MAX_NTH; n++) {
        snprintf(what, sizeof what, "%s: %s fault %ld%s in a step%s",
                 f->ops->name, ops[o].name, n, sticky ? " (sticky)" : "",
                 resize ? " after a resize" : "");
        struct sim *s = fixture_sim(f);
        if (!s)
            return 1;
        struct census base;
        census_take(&base);
        struct glider_error err = {0};
        if (sim_set_backend(s, f->ops->name, &f->opts, &err)) {
            fprintf(stderr, "%s: create without a fault: %s\n", what, err.msg);
            sim_destroy(s);
            return 1;
        }
        if (resize) {
            if (sim_resize(s, f->width, f->height, TOPO_TORUS, &err)) {
                fprintf(stderr, "%s: resize: %s\n", what, err.msg);
                sim_destroy(s);
                return 1;
            }
            grid_copy(sim_grid_edit(s), f->gen[0]);
        }
        long calls0 = sys_fault_calls(ops[o].op);
        sys_fault_arm(ops[o].op, n, ops[o].err, sticky);
        int at = 0, rc = 0;
        while (at < 2 && (rc = sim_step(s, &err)) == 0)
            at++;
        sys_fault_disarm_all();
        int hit = sys_fault_calls(ops[o].op) - calls0 >= n;
        int ok = 1;
        t.tried++;
        if (rc) {
            ok = hit || (fprintf(stderr, "%s: failed without the fault: %s\n",
                                 what, err.msg), 0);
            ok = ok && check_message(&err, rc, what);
            ok = ok && (sim_generation(s) == (uint64_t)at ||
                        (fprintf(stderr, "%s: generation moved\n", what), 0));
            ok = ok && check_grid(s, f->gen[at], what);
            tally_refused(&t, &err);
        } else {
            if (hit)
                t.tolerated++;
            ok = check_grid(s, f->gen[2], what);
        }
        /* Carry on with sequential: B is stopped, nothing of it remains. */
        ok = ok && check_continues(s, f, at, what);
        ok = ok && census_back_to(&base, what);
        sim_destroy(s);
        if (!ok)
            return 1;
        if (!hit)
            break;
    }
    tally_print(f, o, resize ? "resize" : "step", sticky, &t);
    return 0;
}

/* sim_create(backend = B) with the Nth call of 'o' failing: on failure no
 * sim, and nothing held. */
static int walk_sim_create(const struct fixture *f, int o)
{
    struct tally t = {0};
    char what[160];
    for (long n = 1; n <= MAX_NTH; n++) {
        snprintf(what, sizeof what, "%s: %s fault %ld in sim_create",
                 f->ops->name, ops[o].name, n);
        struct census base;
        census_take(&base);
        struct sim_config cfg = {0};
        cfg.width = f->width;
        cfg.height = f->height;
        cfg.topo = TOPO_TORUS;
        cfg.rule = RULE_LIFE;
        cfg.backend = f->ops->name;
        cfg.opts = f->opts;
        struct sim *s = (struct sim *)&t; /* must be overwritten */
        struct glider_error err = {0};
        long calls0 = sys_fault_calls(ops[o].op);
        sys_fault_arm(ops[o].op, n, ops[o].err, 0);
        int rc = sim_create(&s, &cfg, &err);
        sys_fault_disarm_all();
        int hit = sys_fault_calls(ops[o].op) - calls0 >= n;
        int ok = 1;
        t.tried++;
        if (rc) {
            ok = hit || (fprintf(stderr, "%s: failed without the fault: %s\n",
                                 what, err.msg), 0);
            ok = ok && check_message(&err, rc, what);
            ok = ok && (s == NULL ||
                        (fprintf(stderr, "%s: *out is not NULL\n", what), 0));
            ok = ok && census_back_to(&base, what);
            tally_refused(&t, &err);
        } else {
            if (hit)
                t.tolerated++;
            grid_copy(sim_grid_edit(s), f->gen[0]);
            ok = sim_step(s, &err) == 0 ||
                 (fprintf(stderr, "%s: step: %s\n", what, err.msg), 0);
            ok = ok && check_grid(s, f->gen[1], what);
            sim_destroy(s);
            ok = ok && census_back_to(&base, what);
        }
        if (!ok)
            return 1;
        if (!hit)
            break;
    }
    tally_print(f, o, "sim", 0, &t);
    return 0;
}

/* ---- Driver --------------------------------------------------------------- */

/* 1 when 'ops' is a placeholder that refuses to start ("not built yet"). */
static int placeholder(const struct backend_ops *b)
{
    if (b->summary && strstr(b->summary, "not built"))
        return 1;
    void *state = NULL;
    struct backend_opts o = {0};
    o.threads = 1;
    struct glider_error err = {0};
    int rc = b->create(&state, &o, &err);
    if (rc == 0) {
        b->destroy(state);
        return 0;
    }
    return rc == GLIDER_EUNSUPPORTED && strstr(err.msg, "not built") != NULL;
}

static int test_backend(const struct backend_ops *b, int ipc_copy)
{
    struct fixture f;
    int rc = fixture_init(&f, b);
    f.opts.ipc_copy = ipc_copy;
    if (rc) {
        fixture_free(&f);
        FAILF("cannot build the fixture");
    }
    int failed = 0;
    for (int o = 0; o < NOPS && !failed; o++) {
        failed |= walk_create(&f, o, 0);
        failed |= !failed && walk_create(&f, o, 1);
        failed |= !failed && walk_step(&f, o, 0, 0);
        failed |= !failed && walk_step(&f, o, 1, 0);
        failed |= !failed && walk_step(&f, o, 0, 1);
        failed |= !failed && walk_sim_create(&f, o);
        fflush(stdout);
    }
    fixture_free(&f);
    return failed;
}

static void *noop_thread(void *arg)
{
    return arg;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0;
    /* ThreadSanitizer starts a background thread of its own at the first
     * pthread_create: start (and join) one here, before any baseline. */
    pthread_t t;
    if (pthread_create(&t, NULL, noop_thread, NULL) == 0)
        pthread_join(t, NULL);
    /* Unbuffered, so the lines stay in order with the failures on stderr. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; backend_at(i); i++) {
        const struct backend_ops *b = backend_at(i);
        int want = argc < 2;
        for (int a = 1; a < argc; a++)
            want |= strcmp(argv[a], b->name) == 0;
        if (!want)
            continue;
        if (placeholder(b)) {
            printf("SKIP %s: back-end not built yet\n", b->name);
            skipped++;
            continue;
        }
        /* process-pool also runs with its rows copied through the sockets. */
        for (int copy = 0; copy <= (strcmp(b->name, "process-pool") == 0); copy++) {
            int rc = test_backend(b, copy);
            printf("%-4s %s%s\n", rc ? "FAIL" : "ok", b->name,
                   copy ? " (--ipc copy)" : "");
            if (rc)
                failed++;
            else
                passed++;
        }
    }
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    if (failed)
        return 1;
    return passed == 0 && skipped > 0 ? TEST_SKIP : 0;
}
