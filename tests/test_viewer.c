/* test_viewer.c - the viewer's parts that need no display: the sim thread
 * (commands, snapshots, back-end switching and its failure path, quitting
 * mid-step, new contents, saving), the view transform, the cell drawing and
 * the font. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../engine/sim.h"
#include "../engine/sys.h"
#include "../render/draw.h"
#include "../render/simthread.h"
#include "test.h"
#include "test_util.h"

static struct sim *make_sim(int w, int h, const char *backend, double soup)
{
    struct sim_config cfg = {.width = w, .height = h, .topo = TOPO_TORUS,
                             .rule = RULE_LIFE, .backend = backend};
    struct sim *s = NULL;
    struct glider_error err = {0};
    if (sim_create(&s, &cfg, &err)) {
        fprintf(stderr, "sim_create: %s\n", err.msg);
        return NULL;
    }
    grid_fill_soup(sim_grid_edit(s), soup, 42);
    return s;
}

static uint64_t send(struct simthread *t, enum sim_cmd_kind kind, int a)
{
    struct sim_cmd c = {.kind = kind, .a = a};
    return simthread_send(t, &c);
}

static const struct snapshot *latest(struct simthread *t)
{
    int fresh;
    return simthread_acquire(t, &fresh);
}

/* Steps asked for while paused are all done, and equal sequential's. */
static int test_steps_match_sequential(void)
{
    struct glider_error err = {0};
    struct sim *ref = make_sim(70, 50, NULL, 0.4);
    struct sim *s = make_sim(70, 50, NULL, 0.4);
    struct simthread *t;
    ASSERT(ref && s);
    ASSERT_OK(simthread_start(&t, s, NULL, 0, 0, &err), &err);
    ASSERT(send(t, SIMCMD_STEP, 7));
    ASSERT(send(t, SIMCMD_STEP, 5));
    ASSERT_EQ(simthread_sync(t, 60), 0);
    const struct snapshot *snap = latest(t);
    ASSERT_OK(sim_run(ref, 12, &err), &err);
    ASSERT_U64_EQ(snap->generation, 12);
    ASSERT_EQ(snap->running, 0);
    ASSERT_U64_EQ(snap->population, grid_population(sim_grid(ref)));
    ASSERT_U64_EQ(grid_hash(&snap->cells), grid_hash(sim_grid(ref)));
    ASSERT(snap->has_prev); /* generation 11, published before the last step */
    simthread_stop(t);
    sim_destroy(ref);
    return 0;
}

/* Cell edits, clear and soup land between generations, in order. */
static int test_edits(void)
{
    struct glider_error err = {0};
    struct simthread *t;
    struct sim *s = make_sim(40, 30, NULL, 0);
    ASSERT(s);
    ASSERT_OK(simthread_start(&t, s, NULL, 0, 0, &err), &err);
    struct sim_cmd c = {.kind = SIMCMD_CELL, .x = 3, .y = 4, .a = 1};
    simthread_send(t, &c);
    c.x = 39, c.y = 29;
    simthread_send(t, &c);
    c.x = 40; /* outside: ignored */
    simthread_send(t, &c);
    ASSERT_EQ(simthread_sync(t, 60), 0);
    const struct snapshot *snap = latest(t);
    ASSERT_U64_EQ(snap->population, 2);
    ASSERT(grid_get(&snap->cells, 3, 4) && grid_get(&snap->cells, 39, 29));
    send(t, SIMCMD_CLEAR, 0);
    ASSERT_EQ(simthread_sync(t, 60), 0);
    ASSERT_U64_EQ(latest(t)->population, 0);
    struct sim_cmd soup = {.kind = SIMCMD_SOUP, .d = 0.5, .seed = 9};
    simthread_send(t, &soup);
    ASSERT_EQ(simthread_sync(t, 60), 0);
    ASSERT_GT(latest(t)->population, 400);
    ASSERT_CONTAINS(latest(t)->msg, "random soup");
    simthread_stop(t);
    return 0;
}

/* A soup (R) and a clear (C) are new contents: they start at generation 0,
 * as in Golly, and say so in a message of their own. */
static int test_new_contents_restart(void)
{
    struct glider_error err = {0};
    struct simthread *t;
    struct sim *s = make_sim(40, 30, NULL, 0.4);
    ASSERT(s);
    ASSERT_OK(simthread_start(&t, s, NULL, 0, 0, &err), &err);
    ASSERT(send(t, SIMCMD_STEP, 5));
    struct sim_cmd note = {.kind = SIMCMD_NOTE, .a = 1, .text = "old news"};
    ASSERT(simthread_send(t, &note));
    ASSERT_EQ(simthread_sync(t, 60), 0);
    ASSERT_U64_EQ(latest(t)->generation, 5);
    ASSERT_STR_EQ(latest(t)->msg, "old news");
    ASSERT_EQ(latest(t)->msg_is_error, 1);
    send(t, SIMCMD_CLEAR, 0);
    ASSERT_EQ(simthread_sync(t, 60), 0);
    ASSERT_U64_EQ(latest(t)->generation, 0);
    ASSERT_CONTAINS(latest(t)->msg, "cleared");
    ASSERT_EQ(latest(t)->msg_is_error, 0);
    ASSERT(send(t, SIMCMD_STEP, 3));
    ASSERT_EQ(simthread_sync(t, 60), 0);
    ASSERT_U64_EQ(latest(t)->generation, 3);
    struct sim_cmd soup = {.kind = SIMCMD_SOUP, .d = 0.5, .seed = 9};
    simthread_send(t, &soup);
    ASSERT_EQ(simthread_sync(t, 60), 0);
    ASSERT_U64_EQ(latest(t)->generation, 0);
    ASSERT_CONTAINS(latest(t)->msg, "random soup");
    simthread_stop(t);
    return 0;
}

/* S (a = 1) never overwrites: a second save under the same name gets "-2",
 * a third "-3"; the first file keeps what it held. */
static int test_save_never_overwrites(void)
{
    struct glider_error err = {0};
    struct simthread *t;
    char dir[] = "/tmp/glider-test-viewer-XXXXXX", a[128], b[128], c[128];
    ASSERT(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/glider-20240101-120000.json", dir);
    snprintf(b, sizeof b, "%s/glider-20240101-120000-2.json", dir);
    snprintf(c, sizeof c, "%s/glider-20240101-120000-3.json", dir);
    struct sim *s = make_sim(40, 30, NULL, 0);
    ASSERT(s);
    ASSERT_OK(simthread_start(&t, s, NULL, 0, 0, &err), &err);
    struct sim_cmd save = {.kind = SIMCMD_SAVE, .a = 1};
    snprintf(save.text, sizeof save.text, "%s", a);
    simthread_send(t, &save);           /* the empty universe */
    struct sim_cmd cell = {.kind = SIMCMD_CELL, .x = 3, .y = 4, .a = 1};
    simthread_send(t, &cell);
    simthread_send(t, &save);           /* one cell: a new name */
    simthread_send(t, &save);
    ASSERT_EQ(simthread_sync(t, 60), 0);
    ASSERT_CONTAINS(latest(t)->msg, "saved");
    ASSERT_CONTAINS(latest(t)->msg, "-3.json");
    simthread_stop(t);
    struct stat st;
    ASSERT_EQ(stat(b, &st), 0);
    ASSERT_EQ(stat(c, &st), 0);
    struct pattern *p = NULL;
    ASSERT_OK(pattern_load(a, &p, &err), &err);
    ASSERT_EQ(p->width, 0); /* empty */
    pattern_destroy(p);
    ASSERT_OK(pattern_load(b, &p, &err), &err);
    ASSERT(p->width == 1 && p->height == 1); /* the one cell */
    pattern_destroy(p);
    ASSERT_EQ(unlink(a) | unlink(b) | unlink(c), 0);
    ASSERT_EQ(rmdir(dir), 0);
    return 0;
}

/* Switching back-ends while running: the result equals sequential's for as
 * many generations.  A back-end whose threads cannot start leaves the old
 * one active and says why. */
static int test_switch_while_running(void)
{
    struct glider_error err = {0};
    struct simthread *t;
    struct sim *s = make_sim(96, 64, NULL, 0.35);
    ASSERT(s);
    ASSERT_OK(simthread_start(&t, s, NULL, 1, 0, &err), &err);
    for (int i = 0; i < backend_count(); i++) {
        ASSERT(send(t, SIMCMD_BACKEND, i));
        ASSERT_EQ(simthread_sync(t, 60), 0);
        uint64_t g0 = latest(t)->generation;
        double end = simthread_now() + 60;
        struct timespec ms5 = {0, 5 * 1000 * 1000};
        while (latest(t)->generation < g0 + 3 && simthread_now() < end)
            nanosleep(&ms5, NULL);
        ASSERT_STR_EQ(latest(t)->backend, backend_at(i)->name);
    }
    /* Paused, so that only the switch meets the refused thread starts. */
    send(t, SIMCMD_RUN, 0);
    ASSERT_EQ(simthread_sync(t, 60), 0);
    sys_fault_arm(SYS_OP_THREAD, 1, EAGAIN, 1);
    ASSERT(send(t, SIMCMD_BACKEND, 3));
    ASSERT_EQ(simthread_sync(t, 60), 0);
    sys_fault_disarm_all();
    const struct snapshot *snap = latest(t);
    ASSERT_STR_EQ(snap->backend, backend_at(backend_count() - 1)->name);
    ASSERT_CONTAINS(snap->msg, "failed");
    ASSERT_EQ(snap->msg_is_error, 1);
    uint64_t gen = snap->generation, hash = grid_hash(&snap->cells);
    ASSERT_GT(gen, 3 * (uint64_t)backend_count() - 1);
    simthread_stop(t);
    struct sim *ref = make_sim(96, 64, NULL, 0.35);
    ASSERT(ref);
    ASSERT_OK(sim_run(ref, gen, &err), &err);
    ASSERT_U64_EQ(hash, grid_hash(sim_grid(ref)));
    sim_destroy(ref);
    return 0;
}

/* The UI's calls return at once while a slow step runs; stopping mid-step
 * waits for that step and joins everything. */
static int test_never_blocks_and_quits_mid_step(void)
{
    struct glider_error err = {0};
    struct simthread *t;
    struct sim *s = make_sim(100, 100, "thread-per-cell", 0.4);
    ASSERT(s);
    ASSERT_OK(simthread_start(&t, s, NULL, 1, 0, &err), &err);
    double worst = 0;
    for (int i = 0; i < 200; i++) {
        double a = simthread_now();
        latest(t);
        send(t, SIMCMD_SPEED, 0);
        double d = simthread_now() - a;
        worst = d > worst ? d : worst;
    }
    fprintf(stderr, "slowest acquire + send: %.3f ms\n", worst * 1e3);
    ASSERT(worst < 0.5);
    simthread_stop(t);
    return 0;
}

/* Paced speed: about 'speed' generations per second. */
static int test_speed(void)
{
    struct glider_error err = {0};
    struct simthread *t;
    struct sim *s = make_sim(32, 32, NULL, 0.3);
    ASSERT(s);
    ASSERT_OK(simthread_start(&t, s, NULL, 1, 50, &err), &err);
    struct timespec ts = {0, 400 * 1000 * 1000};
    nanosleep(&ts, NULL);
    send(t, SIMCMD_RUN, 0);
    ASSERT_EQ(simthread_sync(t, 60), 0);
    uint64_t g = latest(t)->generation;
    simthread_stop(t);
    ASSERT_GE(g, 5);   /* 20 expected; generous for loaded machines */
    ASSERT_LE(g, 30);
    return 0;
}

static int test_view_math(void)
{
    struct view v = {.ppc = 4, .cx = 10, .cy = 20};
    double x, y, px, py;
    view_to_pixel(&v, 200, 100, 12.5, 18.25, &px, &py);
    view_to_cell(&v, 200, 100, px, py, &x, &y);
    ASSERT(fabs(x - 12.5) < 1e-9 && fabs(y - 18.25) < 1e-9);
    /* Zooming keeps the cell under the pointer in place. */
    view_to_cell(&v, 200, 100, 37, 81, &x, &y);
    view_zoom_step(&v, 200, 100, 1, 37, 81);
    ASSERT(v.ppc == 8);
    double x2, y2;
    view_to_cell(&v, 200, 100, 37, 81, &x2, &y2);
    ASSERT(fabs(x - x2) < 1e-9 && fabs(y - y2) < 1e-9);
    v.ppc = 7;
    view_zoom_step(&v, 200, 100, -1, 0, 0);
    ASSERT(v.ppc == 4);
    view_fit(&v, 1280, 720, 0, 0, 160, 100);
    ASSERT(v.ppc == 7 && v.cx == 80 && v.cy == 50);
    view_fit(&v, 1280, 720, 0, 0, 4096, 4096);
    ASSERT(v.ppc == 0.125);
    return 0;
}

/* Draws a random grid at several zooms and checks each pixel against the
 * cells under it, computed the slow way. */
static int test_draw_cells(void)
{
    struct glider_error err = {0};
    struct grid *g;
    ASSERT_OK(grid_create(&g, 100, 70, TOPO_TORUS, &err), &err);
    grid_fill_soup(g, 0.3, 5);
    struct snapshot snap;
    memset(&snap, 0, sizeof snap);
    snap.cells = *g;
    uint32_t *px = malloc(160 * 120 * sizeof *px);
    ASSERT(px);
    struct draw_scratch sc;
    memset(&sc, 0, sizeof sc);
    const double zooms[] = {8, 5, 2, 1, 0.5, 0.25, 1.0 / 16};
    for (size_t z = 0; z < sizeof zooms / sizeof zooms[0]; z++) {
        struct view v = {.ppc = zooms[z], .cx = 37.3, .cy = 41.9};
        struct canvas c = {px, 160, 120, 160};
        ASSERT_EQ(draw_cells(&c, &v, &snap, &sc), 0);
        for (int y = 0; y < c.h; y++)
            for (int x = 0; x < c.w; x++) {
                double fx0, fy0, fx1, fy1;
                view_to_cell(&v, c.w, c.h, x, y, &fx0, &fy0);
                view_to_cell(&v, c.w, c.h, x + 1, y + 1, &fx1, &fy1);
                long x0 = (long)floor(fx0), y0 = (long)floor(fy0);
                long x1 = v.ppc >= 1 ? x0 + 1 : (long)floor(fx1);
                long y1 = v.ppc >= 1 ? y0 + 1 : (long)floor(fy1);
                int inside = 0, alive = 0;
                for (long j = y0; j < y1; j++)
                    for (long i = x0; i < x1; i++)
                        if (i >= 0 && j >= 0 && i < g->width && j < g->height) {
                            inside = 1;
                            alive += grid_get(g, (int)i, (int)j);
                        }
                uint32_t p = px[y * 160 + x];
                if (!inside && p != COLOUR_OUTSIDE)
                    FAILF("zoom %g pixel %d,%d: outside, got %08x", v.ppc, x, y, p);
                if (inside && p == COLOUR_GRID)
                    continue;
                if (inside && (alive > 0) != (p != COLOUR_DEAD && p != COLOUR_OUTSIDE))
                    FAILF("zoom %g pixel %d,%d: %d live cells, got %08x", v.ppc,
                          x, y, alive, p);
            }
    }
    draw_scratch_free(&sc);
    free(px);
    grid_destroy(g);
    return 0;
}

static int test_font(void)
{
    ASSERT(font_glyph(31) == NULL && font_glyph(127) == NULL);
    for (int ch = 33; ch <= 126; ch++) {
        const uint8_t *gl = font_glyph(ch);
        int ink = 0;
        for (int r = 0; r < FONT_H; r++) {
            ASSERT_EQ(gl[r] & ~0x1f, 0);
            ink |= gl[r];
        }
        if (!ink)
            FAILF("glyph '%c' is empty", ch);
        for (int other = 33; other < ch; other++)
            if (memcmp(gl, font_glyph(other), FONT_H) == 0)
                FAILF("glyphs '%c' and '%c' look the same", other, ch);
    }
    return 0;
}

static const struct test_case tests[] = {
    {"steps_match_sequential", test_steps_match_sequential},
    {"edits", test_edits},
    {"new_contents_restart", test_new_contents_restart},
    {"save_never_overwrites", test_save_never_overwrites},
    {"switch_while_running", test_switch_while_running},
    {"never_blocks_and_quits_mid_step", test_never_blocks_and_quits_mid_step},
    {"speed", test_speed},
    {"view_math", test_view_math},
    {"draw_cells", test_draw_cells},
    {"font", test_font},
};

TEST_MAIN(tests)
