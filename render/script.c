/* script.c - the test script runner shared by the window and the terminal.
 *
 * A script is parsed whole before the viewer starts, so a typo fails at
 * once with "file:line: ..." instead of half-way through a run.  Each line
 * becomes a 'struct line'; script_frame runs them one frame at a time. */
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/pattern.h"
#include "../engine/sys.h"

/* Seconds a script waits for the simulation before giving up. */
#define SYNC_TIMEOUT 120.0

enum op {
    OP_WAIT, OP_WAIT_STEPS, OP_SYNC, OP_KEY, OP_CLICK, OP_DRAG, OP_WHEEL, OP_DROP, OP_STEP,
    OP_RUN, OP_PAUSE, OP_SPEED, OP_EXPECT_GEN, OP_EXPECT_POP, OP_EXPECT_BACKEND,
    OP_EXPECT_THREADS, OP_EXPECT_HASH, OP_EXPECT_CELL, OP_EXPECT_MSG, OP_PRINT,
    OP_PRINT_VIEW, OP_DUMP, OP_SAVE, OP_SCREENSHOT, OP_FAULT, OP_QUIT, OP_ASYNC,
    OP_PRINT_HUD, OP_EXPECT_HUD
};

static const struct {
    const char *name;
    enum op op;
    int nargs;  /* numeric arguments; -1 = the rest of the line as text */
    int input;  /* ends the frame (the front end handles it first) */
} ops[] = {
    {"wait", OP_WAIT, 1, 1},          {"sync", OP_SYNC, 0, 0},
    {"async", OP_ASYNC, 0, 0},
    {"wait-steps", OP_WAIT_STEPS, 1, 1},
    {"key", OP_KEY, -1, 1},           {"click", OP_CLICK, 2, 1},
    {"drag", OP_DRAG, 4, 1},          {"wheel", OP_WHEEL, 3, 1},
    {"drop", OP_DROP, -1, 1},         {"step", OP_STEP, 1, 0},
    {"run", OP_RUN, 0, 0},            {"pause", OP_PAUSE, 0, 0},
    {"speed", OP_SPEED, 1, 0},        {"expect-gen", OP_EXPECT_GEN, 1, 0},
    {"expect-pop", OP_EXPECT_POP, 1, 0},
    {"expect-backend", OP_EXPECT_BACKEND, -1, 0},
    {"expect-threads", OP_EXPECT_THREADS, 1, 0},
    {"expect-hash", OP_EXPECT_HASH, -1, 0},
    {"expect-cell", OP_EXPECT_CELL, 3, 0},
    {"expect-msg", OP_EXPECT_MSG, -1, 0},
    {"print", OP_PRINT, 0, 0},        {"print-view", OP_PRINT_VIEW, 2, 0},
    {"print-hud", OP_PRINT_HUD, 0, 0},
    {"expect-hud", OP_EXPECT_HUD, -1, 0},
    {"dump", OP_DUMP, -1, 0},         {"save", OP_SAVE, -1, 0},
    {"screenshot", OP_SCREENSHOT, -1, 1},
    {"fault", OP_FAULT, -1, 0},
    {"quit", OP_QUIT, 0, 1},
};

struct line {
    enum op op;
    int lineno;
    int input;      /* injects input: the frame ends after it */
    long long n[4];
    char *text;
};

struct script {
    char *path;
    struct line *lines;
    int n, pc;
    long wait;      /* frames left to wait */
    int wait_gen;   /* waiting for generation 'gen_target' */
    uint64_t gen_target;
    double gen_deadline; /* when waiting for it fails */
    int async;      /* lines do not wait for the simulation first */
    int done, failed;
};

static int parse_line(char *s, int lineno, const char *path, struct line *out,
                      struct glider_error *err)
{
    char *p = s + strspn(s, " \t");
    size_t len = strcspn(p, " \t");
    const char *rest = p + len + strspn(p + len, " \t");
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (strlen(ops[i].name) != len || strncmp(ops[i].name, p, len) != 0)
            continue;
        out->op = ops[i].op;
        out->lineno = lineno;
        out->input = ops[i].input;
        if (ops[i].nargs < 0) {
            if (!*rest)
                return glider_errorf(err, GLIDER_EPARSE, "%s:%d: '%s' needs an "
                                     "argument", path, lineno, ops[i].name);
            out->text = strdup(rest);
            return out->text ? 0 : glider_errorf(err, GLIDER_ENOMEM, "out of memory");
        }
        const char *q = rest;
        for (int k = 0; k < ops[i].nargs; k++) {
            char *end;
            errno = 0;
            out->n[k] = strtoll(q, &end, 0);
            if (errno || end == q)
                return glider_errorf(err, GLIDER_EPARSE, "%s:%d: '%s' expects "
                                     "%d integer%s", path, lineno, ops[i].name,
                                     ops[i].nargs, ops[i].nargs == 1 ? "" : "s");
            q = end;
        }
        if (*(q + strspn(q, " \t")))
            return glider_errorf(err, GLIDER_EPARSE, "%s:%d: unexpected '%s'",
                                 path, lineno, q + strspn(q, " \t"));
        return 0;
    }
    return glider_errorf(err, GLIDER_EPARSE, "%s:%d: unknown command '%.*s'",
                         path, lineno, (int)len, p);
}

int script_load(const char *path, struct script **out, struct glider_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    int rc = pattern_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    struct script *sc = sys_calloc(1, sizeof *sc);
    if (!sc || !(sc->path = strdup(path))) {
        free(sc);
        free(data);
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    }
    int cap = 0, lineno = 0;
    for (char *s = data, *nl; s && *s; s = nl) {
        nl = strchr(s, '\n');
        if (nl)
            *nl++ = '\0';
        lineno++;
        s[strcspn(s, "#\r")] = '\0';
        for (size_t k = strlen(s); k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'); k--)
            s[k - 1] = '\0';
        if (!s[strspn(s, " \t")])
            continue;
        if (sc->n == cap) {
            cap = cap ? cap * 2 : 32;
            struct line *l = sys_realloc(sc->lines, (size_t)cap * sizeof *l);
            if (!l) {
                rc = glider_errorf(err, GLIDER_ENOMEM, "out of memory");
                break;
            }
            sc->lines = l;
        }
        memset(&sc->lines[sc->n], 0, sizeof sc->lines[0]);
        if ((rc = parse_line(s, lineno, path, &sc->lines[sc->n], err)))
            break;
        sc->n++;
    }
    free(data);
    if (rc) {
        script_destroy(sc);
        return rc;
    }
    *out = sc;
    return 0;
}

void script_destroy(struct script *sc)
{
    if (!sc)
        return;
    for (int i = 0; i < sc->n; i++)
        free(sc->lines[i].text);
    free(sc->lines);
    free(sc->path);
    free(sc);
}

int script_failed(const struct script *sc)
{
    return sc && sc->failed;
}

static int send(const struct script_host *h, enum sim_cmd_kind kind, int a,
                double d, const char *text, struct glider_error *err)
{
    struct sim_cmd c = {.kind = kind, .a = a, .d = d};
    if (text)
        snprintf(c.text, sizeof c.text, "%s", text);
    if (!simthread_send(h->sim, &c))
        return glider_errorf(err, GLIDER_ENOMEM, "cannot queue a command");
    return 0;
}

/* Writes the live cells, one "x y" a line, after a "# WxH gen G" header. */
static int dump(const struct snapshot *s, const char *path,
                struct glider_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return glider_syserrorf(err, GLIDER_EIO, errno, "%s", path);
    const struct grid *g = &s->cells;
    fprintf(f, "# %dx%d gen %llu\n", g->width, g->height,
            (unsigned long long)s->generation);
    for (int y = 0; y < g->height; y++)
        for (int x = 0; x < g->width; x++)
            if (grid_get(g, x, y))
                fprintf(f, "%d %d\n", x, y);
    if (fclose(f) != 0)
        return glider_syserrorf(err, GLIDER_EIO, errno, "%s", path);
    return 0;
}

/* "fault thread", "fault fork": from now on every thread start (fork) fails
 * with EAGAIN; "fault off" ends that.  Only in fault-injection builds. */
static int fault(const char *what, struct glider_error *err)
{
#ifdef GLIDER_FAULT_INJECTION
    if (strcmp(what, "off") == 0) {
        sys_fault_disarm_all();
        return 0;
    }
    if (strcmp(what, "thread") == 0 || strcmp(what, "fork") == 0) {
        sys_fault_arm(what[0] == 't' ? SYS_OP_THREAD : SYS_OP_FORK, 1, EAGAIN, 1);
        return 0;
    }
    return glider_errorf(err, GLIDER_EINVAL, "fault: expected thread, fork or "
                         "off, got '%s'", what);
#else
    (void)what;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "'fault' needs a build with "
                         "fault injection (the test build glider_fault)");
#endif
}

#define UNSUPPORTED(what)                                                   \
    glider_errorf(err, GLIDER_EUNSUPPORTED, "'%s' is not supported here", what)

/* Runs one line.  Returns 0 to go on, 1 to end the frame, or an error. */
static int exec(struct script *sc, const struct script_host *h,
                const struct line *l, struct glider_error *err)
{
    const struct snapshot *s = h->snapshot(h->ctx);
    long long *n = (long long *)l->n;
    char hash[32] = "";
    if (l->op == OP_PRINT || l->op == OP_EXPECT_HASH)
        snprintf(hash, sizeof hash, "%016llx",
                 (unsigned long long)grid_hash(&s->cells));
    switch (l->op) {
    case OP_WAIT:
        sc->wait = n[0] > 0 ? (long)n[0] - 1 : 0;
        return 1;
    case OP_SYNC:
        sc->async = 0;
        if (simthread_sync(h->sim, SYNC_TIMEOUT))
            return glider_errorf(err, GLIDER_EINTR, "the simulation did not "
                                 "answer within %.0f s", SYNC_TIMEOUT);
        return 0;
    case OP_ASYNC:
        sc->async = 1;
        return 0;
    case OP_WAIT_STEPS:
        sc->wait_gen = 1;
        sc->gen_target = s->generation + (uint64_t)(n[0] > 0 ? n[0] : 0);
        sc->gen_deadline = simthread_now() + SYNC_TIMEOUT;
        return 1;
    case OP_KEY:
        return h->key ? h->key(h->ctx, l->text, err) : UNSUPPORTED("key");
    case OP_CLICK:
        return h->drag ? h->drag(h->ctx, (int)n[0], (int)n[1], (int)n[0], (int)n[1], err)
                       : UNSUPPORTED("click");
    case OP_DRAG:
        return h->drag ? h->drag(h->ctx, (int)n[0], (int)n[1], (int)n[2], (int)n[3], err)
                       : UNSUPPORTED("drag");
    case OP_WHEEL:
        return h->wheel ? h->wheel(h->ctx, (int)n[0], (int)n[1], (int)n[2], err)
                        : UNSUPPORTED("wheel");
    case OP_DROP:
        return h->drop ? h->drop(h->ctx, l->text, err) : UNSUPPORTED("drop");
    case OP_SCREENSHOT:
        return h->screenshot ? h->screenshot(h->ctx, l->text, err)
                             : UNSUPPORTED("screenshot");
    case OP_STEP:
        return send(h, SIMCMD_STEP, (int)n[0], 0, NULL, err);
    case OP_RUN:
    case OP_PAUSE:
        return send(h, SIMCMD_RUN, l->op == OP_RUN, 0, NULL, err);
    case OP_SPEED:
        return send(h, SIMCMD_SPEED, 0, (double)n[0], NULL, err);
    case OP_SAVE:
        return send(h, SIMCMD_SAVE, 0, 0, l->text, err);
    case OP_EXPECT_GEN:
        if (s->generation != (uint64_t)n[0])
            return glider_errorf(err, GLIDER_EINVAL, "expected generation %lld, "
                                 "got %llu", n[0], (unsigned long long)s->generation);
        return 0;
    case OP_EXPECT_POP:
        if (s->population != (uint64_t)n[0])
            return glider_errorf(err, GLIDER_EINVAL, "expected population %lld, "
                                 "got %llu", n[0], (unsigned long long)s->population);
        return 0;
    case OP_EXPECT_BACKEND:
        if (strcmp(s->backend, l->text) != 0)
            return glider_errorf(err, GLIDER_EINVAL, "expected back-end %s, got %s",
                                 l->text, s->backend);
        return 0;
    case OP_EXPECT_THREADS:
        if (s->threads != n[0])
            return glider_errorf(err, GLIDER_EINVAL, "expected %lld threads, got %d",
                                 n[0], s->threads);
        return 0;
    case OP_EXPECT_HASH:
        if (strcmp(hash, l->text) != 0)
            return glider_errorf(err, GLIDER_EINVAL, "expected hash %s, got %s",
                                 l->text, hash);
        return 0;
    case OP_EXPECT_CELL: {
        const struct grid *g = &s->cells;
        int x = (int)n[0], y = (int)n[1];
        if (x < 0 || y < 0 || x >= g->width || y >= g->height)
            return glider_errorf(err, GLIDER_EINVAL, "cell %d,%d is outside the "
                                 "%dx%d universe", x, y, g->width, g->height);
        if (grid_get(g, x, y) != (n[2] != 0))
            return glider_errorf(err, GLIDER_EINVAL, "expected cell %d,%d %s", x,
                                 y, n[2] ? "alive" : "dead");
        return 0;
    }
    case OP_EXPECT_MSG:
        if (!strstr(s->msg, l->text))
            return glider_errorf(err, GLIDER_EINVAL, "expected a message with "
                                 "'%s', got '%s'", l->text, s->msg);
        return 0;
    case OP_PRINT:
        printf("gen=%llu pop=%llu hash=%s backend=%s threads=%d size=%dx%d "
               "running=%d msg=%s\n",
               (unsigned long long)s->generation,
               (unsigned long long)s->population, hash, s->backend, s->threads,
               s->cells.width, s->cells.height, s->running, s->msg);
        fflush(stdout);
        return 0;
    case OP_PRINT_HUD:
    case OP_EXPECT_HUD: {
        char text[8192];
        if (!h->hud || h->hud(h->ctx, text, sizeof text))
            return UNSUPPORTED(l->op == OP_PRINT_HUD ? "print-hud" : "expect-hud");
        if (l->op == OP_PRINT_HUD) {
            fputs(text, stdout);
            fflush(stdout);
        } else if (!strstr(text, l->text)) {
            return glider_errorf(err, GLIDER_EINVAL, "expected '%s' in the HUD, "
                                 "which says:\n%s", l->text, text);
        }
        return 0;
    }
    case OP_PRINT_VIEW: {
        int px, py;
        if (!h->cell_pixel || h->cell_pixel(h->ctx, (int)n[0], (int)n[1], &px, &py))
            return UNSUPPORTED("print-view");
        printf("cell %lld %lld at pixel %d %d\n", n[0], n[1], px, py);
        fflush(stdout);
        return 0;
    }
    case OP_DUMP:
        return dump(s, l->text, err);
    case OP_FAULT:
        return fault(l->text, err);
    case OP_QUIT:
        h->quit(h->ctx);
        sc->done = 1;
        return 1;
    }
    return 0;
}

int script_frame(struct script *sc, const struct script_host *h)
{
    if (sc->done)
        return sc->failed ? -1 : 1;
    if (sc->wait > 0) {
        sc->wait--;
        return 0;
    }
    if (sc->wait_gen) {
        const struct snapshot *s = h->snapshot(h->ctx);
        if (s->generation < sc->gen_target) {
            if (simthread_now() < sc->gen_deadline)
                return 0;
            fprintf(stderr, "glider: %s: generation %llu not reached within "
                    "%.0f s (at %llu, %s)\n", sc->path,
                    (unsigned long long)sc->gen_target, SYNC_TIMEOUT,
                    (unsigned long long)s->generation,
                    s->running ? "running" : "paused");
            sc->failed = sc->done = 1;
            h->quit(h->ctx);
            return -1;
        }
        sc->wait_gen = 0;
    }
    while (sc->pc < sc->n && !sc->done) {
        const struct line *l = &sc->lines[sc->pc++];
        struct glider_error err = {0};
        int rc = 0;
        if (!sc->async && simthread_sync(h->sim, SYNC_TIMEOUT))
            rc = glider_errorf(&err, GLIDER_EINTR, "the simulation did not "
                               "answer within %.0f s", SYNC_TIMEOUT);
        if (rc == 0)
            rc = exec(sc, h, l, &err);
        if (rc < 0) {
            fprintf(stderr, "glider: %s:%d: %s\n", sc->path, l->lineno, err.msg);
            sc->failed = 1;
            sc->done = 1;
            h->quit(h->ctx);
            return -1;
        }
        if (rc == 1 || l->input)
            return 0;
    }
    if (sc->pc >= sc->n)
        sc->done = 1;
    return 1;
}
