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
 *
 * Then the loaders (RLE, JSON with rows/rle/cells, .cells, Life 1.06) with
 * the Nth allocation or mapping failing: a one-line error and no pattern, or
 * the same cells; nothing left allocated (mallinfo2) or mapped.  And
 * pattern_save over an existing file with the Nth allocation failing: the
 * old file intact and no temporary file left, or a file that loads back.
 * usage: test_faults [BACKEND... | loaders]   (default: all) */
#include <malloc.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../engine/backend.h"
#include "../engine/pattern.h"
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
    c->threads = tu_count_dir("/proc/self/task");
    c->children = tu_count_children();
    c->fds = tu_count_dir("/proc/self/fd");
    c->shared = count_shared_maps();
    c->shm = tu_count_dir("/dev/shm");
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

/* ---- Loaders and savers ------------------------------------------------------ */

/* Bytes malloc holds (0 under sanitizers, whose allocators do not say; LSan
 * checks leaks there). */
static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks;
}

static const struct {
    enum pattern_format format;
    const char *name;
    const char *text;
} loader_inputs[] = {
    {PATTERN_RLE, "rle",
     "#N Glider\n#O Richard K. Guy\n#C a comment\n"
     "x = 3, y = 3, rule = B36/S23:T20,20\nbo$2bo$3o!\n"},
    {PATTERN_JSON, "json rows",
     "{\"name\": \"Glider\", \"author\": \"Richard K. Guy\", \"description\": \"d\",\n"
     " \"rule\": \"B3/S23\", \"universe\": {\"width\": 64, \"height\": 64,"
     " \"topology\": \"torus\"},\n \"origin\": {\"x\": 10, \"y\": 10},"
     " \"rows\": [\".O.\", \"..O\", \"OOO\"]}\n"},
    {PATTERN_JSON, "json rle", "{\"name\": \"g\", \"rle\": \"bo$2bo$3o!\"}"},
    {PATTERN_JSON, "json cells",
     "{\"cells\": [[1, 0], [2, 1], [0, 2], [1, 2], [2, 2]]}"},
    {PATTERN_CELLS, "cells", "!Name: Glider\n!a comment\n.O.\n..O\nOOO\n"},
    {PATTERN_LIFE106, "life106", "#Life 1.06\n0 -1\n1 0\n-1 1\n0 1\n1 1\n"},
};
#define NLOADERS (int)(sizeof loader_inputs / sizeof loader_inputs[0])

/* Parses input 'i' with the Nth allocation or mapping failing, N = 1, 2...:
 * a failure is a one-line message and no pattern, a success the same cells
 * as without the fault; nothing stays allocated or mapped. */
static int walk_loader(int i, int o, int check_heap)
{
    const char *text = loader_inputs[i].text;
    size_t len = strlen(text);
    struct glider_error err = {0};
    struct pattern *want = NULL;
    if (pattern_parse(loader_inputs[i].format, text, len, "t", &want, &err)) {
        fprintf(stderr, "%s: does not load: %s\n", loader_inputs[i].name, err.msg);
        return 1;
    }
    struct tally t = {0};
    for (long n = 1; n <= MAX_NTH; n++) {
        char what[160];
        snprintf(what, sizeof what, "%s: %s fault %ld while loading",
                 loader_inputs[i].name, ops[o].name, n);
        struct census base;
        census_take(&base);
        size_t heap0 = heap_in_use();
        struct pattern *p = (struct pattern *)&t; /* must be overwritten */
        long calls0 = sys_fault_calls(ops[o].op);
        sys_fault_arm(ops[o].op, n, ops[o].err, 0);
        int rc = pattern_parse(loader_inputs[i].format, text, len, "t", &p, &err);
        sys_fault_disarm_all();
        int hit = sys_fault_calls(ops[o].op) - calls0 >= n;
        int ok = 1;
        t.tried++;
        if (rc) {
            ok = hit || (fprintf(stderr, "%s: failed without the fault: %s\n",
                                 what, err.msg), 0);
            ok = ok && check_message(&err, rc, what);
            ok = ok && (p == NULL || p == (struct pattern *)&t ||
                        (fprintf(stderr, "%s: a pattern came back with the error\n",
                                 what), 0));
            tally_refused(&t, &err);
        } else {
            if (hit)
                t.tolerated++;
            ok = (want->cells == NULL) == (p->cells == NULL) &&
                 (!want->cells || grid_equal(want->cells, p->cells));
            if (!ok)
                fprintf(stderr, "%s: loaded different cells\n", what);
            pattern_destroy(p);
        }
        ok = ok && census_back_to(&base, what);
        if (ok && check_heap && heap_in_use() != heap0) {
            fprintf(stderr, "%s: %zu bytes were allocated, now %zu\n", what, heap0,
                    heap_in_use());
            ok = 0;
        }
        if (!ok) {
            pattern_destroy(want);
            return 1;
        }
        if (!hit)
            break;
    }
    if (check_heap)
        printf("     %-22s %-6s load   N=1..%d: %d refused, %d tolerated%s%s%s\n",
           loader_inputs[i].name, ops[o].name, t.tried, t.refused, t.tolerated,
           t.refused ? " (\"" : "", t.refused ? t.first : "", t.refused ? "\")" : "");
    pattern_destroy(want);
    return 0;
}

/* Reads a whole small file into 'buf'; returns its length or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    return (long)n;
}

/* pattern_save over an existing file with the Nth allocation failing: on
 * failure the old file is intact and no temporary file is left; on success
 * the new file loads back to the same cells. */
static int walk_save(const char *dir, const char *ext)
{
    struct glider_error err = {0};
    struct pattern *p = NULL;
    const char *glider = "x = 3, y = 3\nbo$2bo$3o!\n";
    if (pattern_parse(PATTERN_RLE, glider, strlen(glider), "t", &p, &err)) {
        fprintf(stderr, "save: %s\n", err.msg);
        return 1;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/out.%s", dir, ext);
    struct tally t = {0};
    int failed = 0;
    for (long n = 1; n <= MAX_NTH && !failed; n++) {
        char what[160];
        snprintf(what, sizeof what, "save .%s: malloc fault %ld", ext, n);
        FILE *f = fopen(path, "w");
        if (!f || fputs("old contents\n", f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "%s: cannot prepare %s\n", what, path);
            failed = 1;
            break;
        }
        long calls0 = sys_fault_calls(SYS_OP_MALLOC);
        sys_fault_arm(SYS_OP_MALLOC, n, ENOMEM, 0);
        int rc = pattern_save(p, path, &err);
        sys_fault_disarm_all();
        int hit = sys_fault_calls(SYS_OP_MALLOC) - calls0 >= n;
        t.tried++;
        char buf[4096];
        int others = tu_count_dir(dir) - 1; /* entries besides out.EXT */
        if (rc) {
            tally_refused(&t, &err);
            if (!hit || !check_message(&err, rc, what))
                failed = 1;
            else if (slurp(path, buf, sizeof buf) < 0 ||
                     strcmp(buf, "old contents\n") != 0) {
                fprintf(stderr, "%s: the old file was changed\n", what);
                failed = 1;
            }
        } else {
            struct pattern *q = NULL;
            if (hit)
                t.tolerated++;
            if (pattern_load(path, &q, &err) || !q->cells ||
                !grid_equal(q->cells, p->cells)) {
                fprintf(stderr, "%s: the saved file does not load back: %s\n",
                        what, err.msg);
                failed = 1;
            }
            pattern_destroy(q);
        }
        if (!failed && others != 0) {
            fprintf(stderr, "%s: %d temporary file(s) left beside it\n", what, others);
            failed = 1;
        }
        if (!hit)
            break;
    }
    if (!failed)
        printf("     %-22s malloc save   N=1..%d: %d refused, %d tolerated%s%s%s\n",
               ext, t.tried, t.refused, t.tolerated, t.refused ? " (\"" : "",
               t.refused ? t.first : "", t.refused ? "\")" : "");
    unlink(path);
    pattern_destroy(p);
    return failed;
}

static int test_loaders(void)
{
    /* Warm up what is allocated once (stdio buffers, cJSON hooks). */
    for (int i = 0; i < NLOADERS; i++) {
        struct pattern *p = NULL;
        pattern_parse(loader_inputs[i].format, loader_inputs[i].text,
                      strlen(loader_inputs[i].text), "t", &p, NULL);
        pattern_destroy(p);
    }
    int failed = 0;
    /* Each walk twice: the first lets the C library allocate what it keeps
     * for good (the first strerror, stdio buffers); the second must leave
     * the heap exactly as it found it. */
    for (int i = 0; i < NLOADERS && !failed; i++) {
        for (int pass = 0; pass < 2 && !failed; pass++) {
            failed |= walk_loader(i, 3, pass); /* mmap: the pattern's grid */
            failed |= !failed && walk_loader(i, 4, pass);
        }
    }
    char dir[] = "/tmp/glider-faults-XXXXXX";
    if (!failed && !mkdtemp(dir)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    if (!failed) {
        failed |= walk_save(dir, "rle");
        failed |= !failed && walk_save(dir, "json");
        failed |= !failed && walk_save(dir, "cells");
        rmdir(dir);
    }
    return failed;
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
    /* glibc's per-thread cache keeps freed chunks counted as in use by
     * mallinfo2: run without it, so the loaders' heap check is exact. */
    const char *tun = getenv("GLIBC_TUNABLES");
    if (!tun || !strstr(tun, "tcache_count=0")) {
        setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0", 1);
        execv("/proc/self/exe", argv);
        /* Not fatal: the heap check may then see cached chunks. */
    }
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
    int want = argc < 2;
    for (int a = 1; a < argc; a++)
        want |= strcmp(argv[a], "loaders") == 0;
    if (want) {
        int rc = test_loaders();
        printf("%-4s loaders and savers\n", rc ? "FAIL" : "ok");
        if (rc)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    if (failed)
        return 1;
    return passed == 0 && skipped > 0 ? TEST_SKIP : 0;
}
