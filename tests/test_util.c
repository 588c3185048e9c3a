/* test_util.c - helpers shared by the tests. */
#include "test_util.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../engine/kernel.h"
#include "test.h"

void tu_put_rows(struct grid *g, int x, int y, const char *const *rows,
                 int nrows)
{
    for (int r = 0; r < nrows; r++)
        for (int c = 0; rows[r][c]; c++)
            if (rows[r][c] == 'O' || rows[r][c] == '*')
                grid_set(g, (x + c) % g->width, (y + r) % g->height, 1);
}

struct grid *tu_grid_from_rows(int width, int height, enum topology topo, int x,
                               int y, const char *const *rows, int nrows)
{
    struct grid *g;
    if (grid_create(&g, width, height, topo, NULL))
        return NULL;
    tu_put_rows(g, x, y, rows, nrows);
    return g;
}

int tu_tail_clean(const struct grid *g)
{
    for (int y = 0; y < g->height; y++) {
        const uint64_t *row = grid_row(g, y);
        for (size_t i = 0; i < g->stride; i++) {
            uint64_t keep;
            if ((int)(i * 64) >= g->width)
                keep = 0;
            else if ((int)(i * 64) + 64 <= g->width)
                keep = ~(uint64_t)0;
            else
                keep = ((uint64_t)1 << (g->width % 64)) - 1;
            if (row[i] & ~keep) {
                fprintf(stderr, "row %d word %zu has bits past width %d: %016llx\n",
                        y, i, g->width, (unsigned long long)row[i]);
                return 0;
            }
        }
    }
    return 1;
}

void tu_reference_step(struct grid *g, const struct rule *r)
{
    struct grid *n;
    if (grid_create(&n, g->width, g->height, g->topo, NULL))
        return;
    kernel_reference_band(g, n, r, 0, g->height);
    grid_copy(g, n);
    grid_destroy(n);
}

void tu_report_diff(const struct grid *want, const struct grid *got)
{
    if (want->width != got->width || want->height != got->height) {
        fprintf(stderr, "size differs: %dx%d vs %dx%d\n", want->width,
                want->height, got->width, got->height);
        return;
    }
    for (int y = 0; y < want->height; y++)
        for (int x = 0; x < want->width; x++)
            if (grid_get(want, x, y) != grid_get(got, x, y)) {
                fprintf(stderr, "first difference at (%d, %d): want %d got %d\n",
                        x, y, grid_get(want, x, y), grid_get(got, x, y));
                return;
            }
}

const char *tu_bgolly(void)
{
    static const char *const paths[] = {"/usr/bin/bgolly", "/usr/local/bin/bgolly"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (access(paths[i], X_OK) == 0)
            return paths[i];
    return NULL;
}

/* ---- Patterns ----------------------------------------------------------- */

struct pattern *tu_parse(tu_parse_fn fn, const char *text, const char *source)
{
    struct pattern *p = NULL;
    struct glider_error err = {0};
    if (fn(text, strlen(text), source, &p, &err)) {
        fprintf(stderr, "parse failed: %s\n", err.msg);
        return NULL;
    }
    return p;
}

char *tu_write_string(tu_write_fn fn, const struct pattern *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    struct glider_error err = {0};
    int rc = fn(p, f, &err);
    fclose(f);
    if (rc) {
        fprintf(stderr, "write failed: %s\n", err.msg);
        free(buf);
        return NULL;
    }
    return buf;
}

const char *tu_picture(const struct pattern *p, char *buf, size_t size)
{
    int x0, y0, x1, y1;
    size_t n = 0;
    buf[0] = '\0';
    if (!pattern_bbox(p, &x0, &y0, &x1, &y1))
        return buf;
    for (int y = y0; y < y1 && n + 2 < size; y++) {
        if (y > y0)
            buf[n++] = '/';
        for (int x = x0; x < x1 && n + 2 < size; x++)
            buf[n++] = pattern_get(p, x, y) ? 'O' : '.';
    }
    buf[n] = '\0';
    return buf;
}

int tu_same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int tu_same_cells(const struct pattern *a, const struct pattern *b)
{
    int ax0 = 0, ay0 = 0, ax1 = 0, ay1 = 0, bx0 = 0, by0 = 0, bx1 = 0, by1 = 0;
    int aany = pattern_bbox(a, &ax0, &ay0, &ax1, &ay1);
    int bany = pattern_bbox(b, &bx0, &by0, &bx1, &by1);
    ASSERT_EQ(aany, bany);
    if (!aany)
        return 0;
    ASSERT_EQ(ax1 - ax0, bx1 - bx0);
    ASSERT_EQ(ay1 - ay0, by1 - by0);
    /* Run by run (either form, dense or sparse), relative to the boxes. */
    struct pattern_iter ia, ib;
    struct pattern_run ra, rb;
    pattern_iter_init(&ia, a);
    pattern_iter_init(&ib, b);
    for (long i = 0;; i++) {
        int more_a = pattern_iter_next(&ia, &ra);
        int more_b = pattern_iter_next(&ib, &rb);
        if (!more_a && !more_b)
            return 0;
        if (more_a != more_b)
            FAILF("cells differ: %s has more runs than %s after %ld", more_a ? "a" : "b",
                  more_a ? "b" : "a", i);
        if (ra.y - ay0 != rb.y - by0 || ra.x0 - ax0 != rb.x0 - bx0 ||
            ra.x1 - ax0 != rb.x1 - bx0)
            FAILF("cells differ at run %ld: row %d columns %d..%d vs row %d "
                  "columns %d..%d of the bounding box",
                  i, ra.y - ay0, ra.x0 - ax0, ra.x1 - ax0 - 1, rb.y - by0,
                  rb.x0 - bx0, rb.x1 - bx0 - 1);
    }
}

/* ---- Back-ends ---------------------------------------------------------- */

double tu_backend_stat(const struct backend_ops *ops, void *state,
                       const char *name)
{
    struct backend_stat st[BACKEND_MAX_STATS];
    int n = ops->stats(state, st, BACKEND_MAX_STATS);
    for (int i = 0; i < n; i++)
        if (strcmp(st[i].name, name) == 0)
            return st[i].value;
    return -1;
}

double tu_sim_stat(const struct sim *s, const char *name)
{
    struct backend_stat st[BACKEND_MAX_STATS];
    int n = sim_backend_stats(s, st, BACKEND_MAX_STATS);
    for (int i = 0; i < n; i++)
        if (strcmp(st[i].name, name) == 0)
            return st[i].value;
    return -1;
}

void tu_setenv_long(const char *name, long v)
{
    if (v > 0) {
        char buf[32];
        snprintf(buf, sizeof buf, "%ld", v);
        setenv(name, buf, 1);
    } else {
        unsetenv(name);
    }
}

int tu_pair_make(struct tu_pair *p, int w, int h, enum topology t,
                 double density, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    if (grid_create(&p->a, w, h, t, NULL) || grid_create(&p->b, w, h, t, NULL) ||
        grid_create(&p->ra, w, h, t, NULL) || grid_create(&p->rb, w, h, t, NULL))
        return -1;
    grid_fill_soup(p->a, density, seed);
    grid_copy(p->ra, p->a);
    return 0;
}

void tu_pair_free(struct tu_pair *p)
{
    grid_destroy(p->a);
    grid_destroy(p->b);
    grid_destroy(p->ra);
    grid_destroy(p->rb);
}

int tu_pair_check(struct tu_pair *p, const struct rule *r, const char *what,
                  int gen)
{
    kernel_reference_band(p->ra, p->rb, r, 0, p->ra->height);
    if (!grid_equal(p->b, p->rb)) {
        fprintf(stderr, "%s: generation %d differs from the reference\n", what,
                gen);
        tu_report_diff(p->rb, p->b);
        return 1;
    }
    struct grid *t = p->a;
    p->a = p->b;
    p->b = t;
    t = p->ra;
    p->ra = p->rb;
    p->rb = t;
    return 0;
}

struct sim *tu_sim_soup(int w, int h, enum topology topo,
                        const struct rule *rule, const char *backend,
                        const struct backend_opts *opts, double density,
                        uint64_t seed)
{
    struct sim *s;
    struct sim_config cfg = {w, h, topo, *rule, backend, {0}};
    if (opts)
        cfg.opts = *opts;
    struct glider_error err = {0};
    if (sim_create(&s, &cfg, &err)) {
        fprintf(stderr, "sim_create %s %dx%d: %s\n", backend, w, h, err.msg);
        return NULL;
    }
    grid_fill_soup(sim_grid_edit(s), density, seed);
    return s;
}

int tu_step_both(struct sim *s, struct sim *ref)
{
    struct glider_error err = {0};
    if (sim_step(s, &err) || sim_step(ref, &err)) {
        fprintf(stderr, "step failed: %s\n", err.msg);
        return 1;
    }
    if (!grid_equal(sim_grid(s), sim_grid(ref))) {
        tu_report_diff(sim_grid(ref), sim_grid(s));
        return 1;
    }
    return 0;
}

/* ---- Threads and processes ---------------------------------------------- */

int tu_count_dir(const char *path)
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

int tu_thread_count(void)
{
    return tu_count_dir("/proc/self/task");
}

static void *nothing(void *arg)
{
    return arg;
}

/* ThreadSanitizer starts a helper thread of its own with the first thread:
 * start and join one first. */
int tu_thread_baseline(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, nothing, NULL) == 0)
        pthread_join(t, NULL);
    /* The joined thread may linger in /proc for a moment: the lowest of a
     * few samples. */
    int n = tu_thread_count();
    for (int i = 0; i < 20; i++) {
        usleep(1000);
        int m = tu_thread_count();
        if (m < n)
            n = m;
    }
    return n;
}

/* A joined thread may linger in /proc for a moment after pthread_join
 * returns (the kernel releases it after waking the joiner). */
int tu_threads_back_to(int want)
{
    for (int i = 0; i < 5000; i++) {
        if (tu_thread_count() <= want)
            return 1;
        usleep(1000);
    }
    fprintf(stderr, "threads: %d, expected at most %d\n", tu_thread_count(),
            want);
    return 0;
}

int tu_count_children(void)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    int n = 0;
    pid_t me = getpid();
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = 0;
        char *p = strrchr(buf, ')'); /* comm may hold spaces */
        char state;
        int ppid;
        if (p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 && ppid == me)
            n++;
    }
    closedir(d);
    return n;
}

void tu_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
