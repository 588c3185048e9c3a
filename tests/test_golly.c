/* test_golly.c - differential tests against Golly's command-line bgolly.
 *
 * Each case builds a bounded universe, writes it with rle_write (rule with a
 * :Tw,h or :Pw,h suffix and '#CXRLE Pos='), runs N generations in bgolly and
 * in our sim on the sequential back-end, and compares every cell.
 *
 * Coordinates.  bgolly's '-o' output is plain RLE of the bounding box, with
 * no position, so a second bgolly run with a '--exec' script ('step 1' N
 * times, then 'edges') reports the box's absolute top-left (l, t).  Golly
 * centres a bounded grid of W x H on its origin (left column -(W / 2), top
 * row -(H / 2)), so the box's top-left in Glider's universe is
 * (l + W / 2, t + H / 2).  The output is read with rle_parse and placed
 * there.
 *
 * Also here: Golly's own pattern files run on both (in tori big enough, and
 * the bounded-grid samples in the grids their files declare), the writer
 * compared byte for byte with Golly's, every Life pattern Golly ships loaded
 * (or refused for its topology) and round-tripped, and the one larger than
 * any universe (switch-engine-ping-pong.rle, stored run by run) through
 * every writer.  Skips (exit 77) only when bgolly or Golly's patterns are
 * missing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../engine/cells.h"
#include "../engine/pattern.h"
#include "../engine/pattern_json.h"
#include "../engine/rle.h"
#include "../engine/sim.h"
#include "test.h"
#include "test_util.h"

#define GOLLY_SHARE "/usr/share/golly"
#define GOLLY_LIFE GOLLY_SHARE "/Patterns/Life"

/* ---- Running bgolly ------------------------------------------------------ */

static char workdir[64]; /* a fresh directory for this process's files */

static const char *work_path(const char *name)
{
    static char buf[8][128];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", workdir, name);
    return b;
}

static int make_workdir(void)
{
    if (workdir[0])
        return 0;
    snprintf(workdir, sizeof workdir, "/tmp/glider-golly-XXXXXX");
    if (!mkdtemp(workdir)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        workdir[0] = '\0';
        return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_workdir(void)
{
    if (workdir[0])
        nftw(workdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Runs argv in 'cwd' (NULL: here) with stdout into 'out' (NULL: nowhere);
 * returns the exit status, or -1. */
static int run(char *const argv[], const char *cwd, const char *out)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (cwd && chdir(cwd) != 0)
            _exit(126);
        int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int nul = open("/dev/null", O_WRONLY);
        if (fd < 0 || nul < 0)
            _exit(126);
        dup2(fd, 1);
        dup2(nul, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int save_rle(const struct pattern *p, const char *path)
{
    FILE *f = fopen(path, "w");
    struct glider_error err = {0};
    if (!f)
        return -1;
    int rc = rle_write(p, f, &err);
    if (fclose(f) != 0 || rc) {
        fprintf(stderr, "writing %s: %s\n", path, err.msg);
        return -1;
    }
    return 0;
}

/* Runs 'gens' generations of 'in' in bgolly with algorithm 'algo'; returns
 * the result as a pattern placed at its absolute position (origin set), or
 * NULL after printing why. */
static struct pattern *bgolly_run(const char *in, const char *algo, int gens,
                                  const char *cwd)
{
    const char *bg = tu_bgolly();
    char gbuf[32];
    snprintf(gbuf, sizeof gbuf, "%d", gens);
    const char *out = work_path("out.rle");
    const char *script = work_path("script.txt");
    const char *edges = work_path("edges.txt");
    unlink(out);
    char *argv1[] = {(char *)bg, "-a", (char *)algo, "-m", gbuf, "-o", (char *)out,
                     (char *)in, NULL};
    int rc = run(argv1, cwd, NULL);
    if (rc != 0) {
        fprintf(stderr, "bgolly -a %s -m %d -o %s %s: exit %d\n", algo, gens, out, in, rc);
        return NULL;
    }
    size_t cap = (size_t)gens * 7 + 16, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    for (int i = 0; i < gens; i++)
        n += (size_t)snprintf(s + n, cap - n, "step 1\n");
    snprintf(s + n, cap - n, "edges\n");
    rc = write_text(script, s);
    free(s);
    char *argv2[] = {(char *)bg, "-a", (char *)algo, "--exec", (char *)script,
                     (char *)in, NULL};
    if (rc || run(argv2, cwd, edges) != 0) {
        fprintf(stderr, "bgolly --exec %s %s failed\n", script, in);
        return NULL;
    }
    struct pattern *p;
    struct glider_error err = {0};
    if (pattern_load(out, &p, &err)) {
        fprintf(stderr, "reading bgolly's output: %s\n", err.msg);
        return NULL;
    }
    char *text;
    size_t len;
    long l = 0, t = 0, r = 0, b = 0;
    int found = 0;
    if (pattern_read_file(edges, &text, &len, &err) == 0) {
        for (char *line = text; line && *line;) {
            if (sscanf(line, "Bounding box %ld %ld .. %ld %ld", &l, &t, &r, &b) == 4)
                found = 1;
            line = strchr(line, '\n');
            if (line)
                line++;
        }
        free(text);
    }
    if (pattern_population(p) && !found) {
        fprintf(stderr, "no 'Bounding box' line from bgolly's edges\n");
        pattern_destroy(p);
        return NULL;
    }
    if (pattern_population(p) && (r - l + 1 != p->width || b - t + 1 != p->height)) {
        fprintf(stderr, "edges %ld %ld .. %ld %ld do not match the %dx%d output\n",
                l, t, r, b, p->width, p->height);
        pattern_destroy(p);
        return NULL;
    }
    if (!p->bounds.present) {
        fprintf(stderr, "bgolly's output has no bounded grid\n");
        pattern_destroy(p);
        return NULL;
    }
    p->has_origin = 1;
    p->origin_x = (int)(l + p->bounds.width / 2);
    p->origin_y = (int)(t + p->bounds.height / 2);
    return p;
}

/* ---- Comparing ------------------------------------------------------------- */

/* Runs 'start' (a pattern with bounds) for 'gens' generations in our sim and,
 * from the file 'in', in bgolly; 0 when every cell agrees. */
static int compare_runs(const char *label, const struct pattern *start,
                        const char *in, const char *algo, int gens,
                        const char *cwd)
{
    struct glider_error err = {0};
    const struct rule_bounds *bd = &start->bounds;
    ASSERT(bd->present);
    struct sim_config cfg = {bd->width, bd->height, bd->topo, start->rule,
                             "sequential", {0}};
    struct sim *s;
    ASSERT_OK(sim_create(&s, &cfg, &err), &err);
    ASSERT_OK(pattern_place(start, sim_grid_edit(s), &err), &err);
    uint64_t pop0 = grid_population(sim_grid(s));
    ASSERT_OK(sim_run(s, (uint64_t)gens, &err), &err);

    struct pattern *g = bgolly_run(in, algo, gens, cwd);
    if (!g)
        FAILF("%s: bgolly run failed", label);
    ASSERT_EQ(g->bounds.width, bd->width);
    ASSERT_EQ(g->bounds.height, bd->height);
    ASSERT_EQ(g->bounds.topo, bd->topo);
    ASSERT(rule_equal(&g->rule, &start->rule));
    struct grid *want;
    ASSERT_OK(grid_create(&want, bd->width, bd->height, bd->topo, &err), &err);
    ASSERT_OK(pattern_place(g, want, &err), &err);
    int same = grid_equal(want, sim_grid(s));
    printf("# %-40s %4dx%-4d %s %4d gens: population %" PRIu64 " -> %" PRIu64 " %s\n",
           label, bd->width, bd->height, bd->topo == TOPO_TORUS ? "torus" : "plane",
           gens, pop0, grid_population(want), same ? "same" : "DIFFERENT");
    if (!same) {
        tu_report_diff(want, sim_grid(s));
        fprintf(stderr, "bgolly: %" PRIu64 " cells, sequential: %" PRIu64 "\n",
                grid_population(want), grid_population(sim_grid(s)));
        FAILF("%s: cells differ from bgolly after %d generations (input kept "
              "in %s)", label, gens, in);
    }
    grid_destroy(want);
    pattern_destroy(g);
    sim_destroy(s);
    return 0;
}

/* A random soup on a W x H universe, written with rle_write and read back;
 * both sides start from the file. */
static int soup_case(int w, int h, enum topology topo, const struct rule *rule,
                     double density, uint64_t seed, int gens)
{
    struct glider_error err = {0};
    struct grid *g;
    ASSERT_OK(grid_create(&g, w, h, topo, &err), &err);
    grid_fill_soup(g, density, seed);
    struct pattern *p, *q;
    ASSERT_OK(pattern_from_grid(g, rule, &p, &err), &err);
    const char *in = work_path("in.rle");
    ASSERT(save_rle(p, in) == 0);
    ASSERT_OK(pattern_load(in, &q, &err), &err);
    /* What we wrote reads back to the very same universe. */
    struct grid *back;
    ASSERT_OK(grid_create(&back, w, h, topo, &err), &err);
    ASSERT_OK(pattern_place(q, back, &err), &err);
    ASSERT(grid_equal(g, back));
    char label[64], rbuf[RULE_TEXT_MAX];
    snprintf(label, sizeof label, "soup %s d=%.2f", rule_format(rule, rbuf, sizeof rbuf),
             density);
    int rc = compare_runs(label, q, in, "QuickLife", gens, NULL);
    grid_destroy(back);
    grid_destroy(g);
    pattern_destroy(p);
    pattern_destroy(q);
    return rc;
}

static int need_bgolly(void)
{
    if (!tu_bgolly())
        return 0;
    return make_workdir() == 0;
}

/* ---- The tests ----------------------------------------------------------- */

static int test_soups_torus(void)
{
    if (!need_bgolly())
        SKIP("bgolly is not installed (apt-get install golly); differential tests skipped");
    static const struct {
        int w, h, gens;
    } cases[] = {{64, 64, 200}, {100, 37, 150}, {129, 65, 150}, {300, 200, 100},
                 {7, 5, 30}, {65, 3, 40}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (soup_case(cases[i].w, cases[i].h, TOPO_TORUS, &RULE_LIFE, 0.35,
                      100 + i, cases[i].gens))
            return 1;
    return 0;
}

static int test_soups_plane(void)
{
    if (!need_bgolly())
        SKIP("bgolly is not installed (apt-get install golly); differential tests skipped");
    if (soup_case(100, 37, TOPO_PLANE, &RULE_LIFE, 0.4, 7, 120) ||
        soup_case(64, 64, TOPO_PLANE, &RULE_LIFE, 0.5, 8, 100) ||
        soup_case(131, 70, TOPO_PLANE, &RULE_LIFE, 0.3, 9, 100))
        return 1;
    return 0;
}

static int test_other_rules(void)
{
    if (!need_bgolly())
        SKIP("bgolly is not installed (apt-get install golly); differential tests skipped");
    struct rule highlife, daynight, seeds;
    struct glider_error err = {0};
    ASSERT_OK(rule_parse("B36/S23", &highlife, &err), &err);
    ASSERT_OK(rule_parse("B3678/S34678", &daynight, &err), &err);
    ASSERT_OK(rule_parse("B2/S", &seeds, &err), &err);
    if (soup_case(96, 50, TOPO_TORUS, &highlife, 0.35, 11, 150) ||
        soup_case(70, 45, TOPO_PLANE, &highlife, 0.35, 12, 100) ||
        soup_case(80, 61, TOPO_TORUS, &daynight, 0.5, 13, 100) ||
        soup_case(67, 40, TOPO_TORUS, &seeds, 0.05, 14, 40))
        return 1;
    return 0;
}

/* Small Golly patterns (unbounded in their files) on a torus with room. */
static const char *const samples[] = {
    "Methuselahs/natural-LWSS.rle", "Methuselahs/blom.rle",
    "Methuselahs/lidka-predecessor.rle", "Methuselahs/rabbits-relation-17423.rle",
    "Methuselahs/justyna.rle", "Methuselahs/iwona.rle",
    "Methuselahs/temp-pulsars-big-s.rle", "Puffers/puffer-train.rle",
    "Miscellaneous/die658.rle", "Breeders/spacefiller.rle",
    "Methuselahs/ark1.rle", "Spaceships/diagonal.rle",
    "Oscillators/queen-bee-turn.rle",
};

static int test_golly_samples(void)
{
    if (!need_bgolly())
        SKIP("bgolly is not installed (apt-get install golly); differential tests skipped");
    if (access(GOLLY_LIFE, R_OK) != 0)
        SKIP("Golly's patterns (%s) are not installed", GOLLY_LIFE);
    int ran = 0;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", GOLLY_LIFE, samples[i]);
        if (access(path, R_OK) != 0)
            continue;
        struct pattern *p, *q;
        struct glider_error err = {0};
        ASSERT_OK(pattern_load(path, &p, &err), &err);
        ASSERT(p->cells);
        ASSERT(!p->bounds.present);
        /* A torus twice the pattern's size (at least 96), odd sizes on
         * purpose; the pattern centred. */
        int w = p->width * 2 + 33, h = p->height * 2 + 31;
        if (w < 97)
            w = 97;
        if (h < 95)
            h = 95;
        p->bounds = (struct rule_bounds){1, TOPO_TORUS, w, h};
        const char *in = work_path("in.rle");
        ASSERT(save_rle(p, in) == 0);
        ASSERT_OK(pattern_load(in, &q, &err), &err);
        if (compare_runs(samples[i], q, in, "QuickLife", 200, NULL))
            return 1;
        ran++;
        pattern_destroy(p);
        pattern_destroy(q);
    }
    if (ran < 5)
        FAILF("only %d of Golly's sample patterns were found", ran);
    return 0;
}

/* Golly's bounded-grid samples, run from their own files: checks our reading
 * of '#CXRLE Pos' and of the centring Golly does without it. */
static int test_golly_bounded_files(void)
{
    if (!need_bgolly())
        SKIP("bgolly is not installed (apt-get install golly); differential tests skipped");
    static const struct {
        const char *file, *algo;
        int gens;
    } files[] = {
        {"Bounded-Grids/torus.rle", "RuleLoader", 150},
        {"Bounded-Grids/herringbone-agar-p14.rle", "QuickLife", 60},
        {"Bounded-Grids/agar-p3.rle", "QuickLife", 20},
        {"Bounded-Grids/lightspeed-bubble.rle", "QuickLife", 30},
    };
    int ran = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", GOLLY_LIFE, files[i].file);
        if (access(path, R_OK) != 0)
            continue;
        struct pattern *p;
        struct glider_error err = {0};
        ASSERT_OK(pattern_load(path, &p, &err), &err);
        ASSERT(p->bounds.present);
        if (compare_runs(files[i].file, p, path, files[i].algo, files[i].gens,
                         GOLLY_SHARE))
            return 1;
        ran++;
        pattern_destroy(p);
    }
    if (!ran)
        SKIP("Golly's bounded-grid samples are not installed");
    return 0;
}

/* rle_write's text equals what Golly writes for the same pattern (no
 * comments: bgolly writes none to a new file). */
static int test_writer_matches_golly(void)
{
    if (!need_bgolly())
        SKIP("bgolly is not installed (apt-get install golly); differential tests skipped");
    if (access(GOLLY_LIFE, R_OK) != 0)
        SKIP("Golly's patterns (%s) are not installed", GOLLY_LIFE);
    static const char *const more[] = {"Guns/period-52-glider-gun.rle",
                                       "Oscillators/low-period.rle",
                                       "Still-Lifes/eaters.rle",
                                       "Breeders/one-cell-thick-quadratic-growth-2596x1.rle",
                                       "Breeders/switch-engine-ping-pong.rle"};
    int ran = 0;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0] + 5; i++) {
        const char *name = i < sizeof samples / sizeof samples[0]
                               ? samples[i]
                               : more[i - sizeof samples / sizeof samples[0]];
        char path[256];
        snprintf(path, sizeof path, "%s/%s", GOLLY_LIFE, name);
        if (access(path, R_OK) != 0)
            continue;
        const char *golly = work_path("golly.rle");
        unlink(golly);
        char *argv[] = {(char *)tu_bgolly(), "-m", "0", "-o", (char *)golly, path, NULL};
        ASSERT_EQ(run(argv, NULL, NULL), 0);
        struct pattern *p;
        struct glider_error err = {0};
        ASSERT_OK(pattern_load(path, &p, &err), &err);
        pattern_set_text(&p->name, NULL, &err);
        pattern_set_text(&p->author, NULL, &err);
        for (int c = 0; c < p->ncomments; c++)
            free(p->comments[c]);
        p->ncomments = 0;
        const char *ours = work_path("ours.rle");
        ASSERT(save_rle(p, ours) == 0);
        char *a, *b;
        size_t na, nb;
        ASSERT_OK(pattern_read_file(golly, &a, &na, &err), &err);
        ASSERT_OK(pattern_read_file(ours, &b, &nb, &err), &err);
        if (na != nb || memcmp(a, b, na) != 0) {
            size_t k = 0;
            while (k < na && k < nb && a[k] == b[k])
                k++;
            FAILF("%s: our RLE differs from Golly's at byte %zu (golly %zu bytes, "
                  "ours %zu): ...%.40s... vs ...%.40s...",
                  name, k, na, nb, a + (k > 20 ? k - 20 : 0), b + (k > 20 ? k - 20 : 0));
        }
        free(a);
        free(b);
        pattern_destroy(p);
        ran++;
    }
    printf("# %d files written byte for byte as Golly writes them\n", ran);
    ASSERT(ran >= 5);
    return 0;
}

/* ---- Every Life pattern Golly ships -------------------------------------- */

static int all_total, all_loaded, all_refused, all_sparse, all_failed;

/* A 64-bit FNV-1a hash of the runs of live cells relative to the pattern's
 * bounding box (so it does not depend on the form or the margins). */
static uint64_t runs_hash(const struct pattern *p)
{
    uint64_t h = 14695981039346656037ull;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (!pattern_bbox(p, &x0, &y0, &x1, &y1))
        return h;
    struct pattern_iter it;
    struct pattern_run r;
    pattern_iter_init(&it, p);
    while (pattern_iter_next(&it, &r)) {
        int32_t v[3] = {r.y - y0, r.x0 - x0, r.x1 - x0};
        const unsigned char *b = (const unsigned char *)v;
        for (size_t i = 0; i < sizeof v; i++)
            h = (h ^ b[i]) * 1099511628211ull;
    }
    return h;
}

/* 1 when 'a' and 'b' have the same live cells (relative to their boxes). */
static int same_runs(const struct pattern *a, const struct pattern *b)
{
    int ax0 = 0, ay0 = 0, ax1 = 0, ay1 = 0, bx0 = 0, by0 = 0, bx1 = 0, by1 = 0;
    int aany = pattern_bbox(a, &ax0, &ay0, &ax1, &ay1);
    int bany = pattern_bbox(b, &bx0, &by0, &bx1, &by1);
    if (aany != bany || ax1 - ax0 != bx1 - bx0 || ay1 - ay0 != by1 - by0)
        return 0;
    struct pattern_iter ia, ib;
    struct pattern_run ra, rb;
    pattern_iter_init(&ia, a);
    pattern_iter_init(&ib, b);
    for (;;) {
        bool more = pattern_iter_next(&ia, &ra);
        if (more != pattern_iter_next(&ib, &rb))
            return 0;
        if (!more)
            return 1;
        if (ra.y - ay0 != rb.y - by0 || ra.x0 - ax0 != rb.x0 - bx0 ||
            ra.x1 - ax0 != rb.x1 - bx0)
            return 0;
    }
}

static int load_one(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)ftw;
    size_t n = strlen(path);
    if (flag != FTW_F ||
        !((n > 4 && strcmp(path + n - 4, ".rle") == 0) ||
          (n > 7 && strcmp(path + n - 7, ".rle.gz") == 0)))
        return 0;
    all_total++;
    struct pattern *p;
    struct glider_error err = {0};
    int rc = pattern_load(path, &p, &err);
    if (rc) {
        static const char *const topologies[] = {"Klein bottle", "cross-surface",
                                                 "sphere", "shifted tori",
                                                 "infinite strip"};
        int named = 0;
        for (size_t i = 0; i < sizeof topologies / sizeof topologies[0]; i++)
            if (strstr(err.msg, topologies[i]))
                named = 1;
        if (rc == GLIDER_EUNSUPPORTED && named && strncmp(err.msg, path, n) == 0) {
            all_refused++;
            printf("# refused: %s\n", err.msg);
        } else {
            all_failed++;
            fprintf(stderr, "FAILED to load: %s\n", err.msg);
        }
        return 0;
    }
    /* Loaded: and it round-trips through the writer. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct pattern *q = NULL;
    if (!f || rle_write(p, f, &err) != 0 || fclose(f) != 0 ||
        rle_parse(text, len, "round trip", &q, &err) != 0) {
        all_failed++;
        fprintf(stderr, "%s: round trip failed: %s\n", path, err.msg);
    } else {
        int same = pattern_population(p) == pattern_population(q) &&
                   runs_hash(p) == runs_hash(q) && same_runs(p, q);
        if (!same || !rule_equal(&p->rule, &q->rule) || p->ncomments != q->ncomments) {
            all_failed++;
            fprintf(stderr, "%s: round trip changed the pattern\n", path);
        } else {
            all_loaded++;
            if (!p->cells && pattern_population(p)) {
                all_sparse++;
                printf("# stored run by run: %s (%dx%d, %zu runs)\n", path, p->width,
                       p->height, p->nruns);
            }
        }
    }
    free(text);
    pattern_destroy(q);
    pattern_destroy(p);
    return 0;
}

static int test_load_every_golly_life_pattern(void)
{
    if (access(GOLLY_LIFE, R_OK) != 0)
        SKIP("Golly's patterns (%s) are not installed (apt-get install golly)",
             GOLLY_LIFE);
    all_total = all_loaded = all_refused = all_sparse = all_failed = 0;
    ASSERT_EQ(nftw(GOLLY_LIFE, load_one, 16, FTW_PHYS), 0);
    printf("# %d .rle and .rle.gz files under %s: %d loaded (and round-tripped; %d of them "
           "stored run by run), %d refused for an unsupported topology, %d "
           "failed\n",
           all_total, GOLLY_LIFE, all_loaded, all_sparse, all_refused, all_failed);
    ASSERT_EQ(all_failed, 0);
    ASSERT_GT(all_total, 100);
    /* Every file loads but those whose topology Glider lacks (five in Golly
     * 3.3): switch-engine-ping-pong.rle, larger than any universe, too. */
    ASSERT_LE(all_refused, 5);
    ASSERT_EQ(all_loaded + all_refused, all_total);
    return 0;
}

/* ---- Golly's macrocell samples ------------------------------------------ */

/* Every .mc and .mc.gz file Golly ships (Patterns/HashLife) loads with the
 * cells bgolly reads from it, or is refused for a clear reason: a rule
 * Glider does not have (wolfram22.mc), or more runs of live cells than
 * Glider stores (two metapixel patterns of 290816x243712 and 131072^2). */
static int test_golly_macrocell(void)
{
    if (!need_bgolly())
        SKIP("bgolly is not installed (apt-get install golly); differential tests skipped");
    DIR *d = opendir(GOLLY_SHARE "/Patterns/HashLife");
    if (!d)
        SKIP("Golly's HashLife patterns are not installed");
    int same = 0, refused = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (!((n > 3 && strcmp(e->d_name + n - 3, ".mc") == 0) ||
              (n > 6 && strcmp(e->d_name + n - 6, ".mc.gz") == 0)))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/Patterns/HashLife/%s", GOLLY_SHARE, e->d_name);
        struct pattern *p = NULL, *g = NULL;
        struct glider_error err = {0};
        int rc = pattern_load(path, &p, &err);
        if (rc) {
            int ok = strncmp(err.msg, path, strlen(path)) == 0 &&
                     ((rc == GLIDER_ELIMIT && strstr(err.msg, "runs of live cells")) ||
                      (rc == GLIDER_EUNSUPPORTED && strstr(err.msg, "rule 'w22': "
                                                           "Wolfram's one-dimensional")));
            if (!ok)
                FAILF("%s: %s", e->d_name, err.msg);
            printf("# refused: %s\n", err.msg);
            refused++;
            continue;
        }
        const char *golly = work_path("golly-mc.rle");
        unlink(golly);
        char *argv[] = {(char *)tu_bgolly(), "-a", "HashLife", "-m", "0", "-q", "-q",
                        "-o", (char *)golly, path, NULL};
        ASSERT_EQ(run(argv, NULL, NULL), 0);
        ASSERT_OK(pattern_load(golly, &g, &err), &err);
        if (pattern_population(p) != pattern_population(g) || !same_runs(p, g))
            FAILF("%s: %llu cells, bgolly %llu, or not the same ones", e->d_name,
                  (unsigned long long)pattern_population(p),
                  (unsigned long long)pattern_population(g));
        pattern_destroy(p);
        pattern_destroy(g);
        same++;
    }
    closedir(d);
    printf("# %d macrocell files read as bgolly reads them, %d refused\n", same,
           refused);
    ASSERT_GE(same, 20);
    ASSERT_LE(refused, 3);
    /* On a bounded grid the position matters: a glider at Pos=x,y written
     * as macrocell by bgolly lands on the same cells of the universe as
     * the RLE it came from. */
    static const struct {
        const char *rule, *pos;
    } at[] = {{"T20,20", "-8,-8"}, {"T21,11", "-10,-5"}, {"P21,11", "7,3"},
              {"T64,64", "4,-7"}, {"P9,7", "-4,-3"}};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        const char *rle = work_path("placed.rle"), *mc = work_path("placed.mc");
        FILE *f = fopen(rle, "w");
        ASSERT(f);
        fprintf(f, "#CXRLE Pos=%s\nx = 3, y = 3, rule = B3/S23:%s\nbo$2bo$3o!\n",
                at[i].pos, at[i].rule);
        fclose(f);
        unlink(mc);
        char *argv[] = {(char *)tu_bgolly(), "-a", "HashLife", "-m", "0", "-q", "-q",
                        "-o", (char *)mc, (char *)rle, NULL};
        ASSERT_EQ(run(argv, NULL, NULL), 0);
        struct pattern *a, *b;
        struct glider_error err = {0};
        ASSERT_OK(pattern_load(rle, &a, &err), &err);
        ASSERT_OK(pattern_load(mc, &b, &err), &err);
        ASSERT(b->bounds.present);
        struct grid *ga, *gb;
        ASSERT_OK(grid_create(&ga, a->bounds.width, a->bounds.height, a->bounds.topo, &err), &err);
        ASSERT_OK(grid_create(&gb, b->bounds.width, b->bounds.height, b->bounds.topo, &err), &err);
        ASSERT_OK(pattern_place(a, ga, &err), &err);
        ASSERT_OK(pattern_place(b, gb, &err), &err);
        if (!grid_equal(ga, gb)) {
            tu_report_diff(ga, gb);
            FAILF("%s at %s: the macrocell file's glider is elsewhere", at[i].rule,
                  at[i].pos);
        }
        grid_destroy(ga);
        grid_destroy(gb);
        pattern_destroy(a);
        pattern_destroy(b);
    }
    return 0;
}

/* 'p' written by 'write' into memory and read back by 'read'. */
static struct pattern *through(const struct pattern *p,
                               int (*write)(const struct pattern *, FILE *,
                                            struct glider_error *),
                               int (*read)(const char *, size_t, const char *,
                                           struct pattern **, struct glider_error *),
                               const char *what)
{
    char *text = NULL;
    size_t len = 0;
    struct glider_error err = {0};
    struct pattern *q = NULL;
    FILE *f = open_memstream(&text, &len);
    if (!f || write(p, f, &err) != 0 || fclose(f) != 0 ||
        read(text, len, what, &q, &err) != 0)
        fprintf(stderr, "%s: %s\n", what, err.msg);
    free(text);
    return q;
}

/* The one Life pattern Golly ships that no universe can hold: it loads run
 * by run with the cells bgolly sees, goes through every writer and back
 * unchanged, and is refused (clearly) only when it would have to be run. */
static int test_switch_engine_ping_pong(void)
{
    const char *path = GOLLY_LIFE "/Breeders/switch-engine-ping-pong.rle";
    if (access(path, R_OK) != 0)
        SKIP("%s is not installed (apt-get install golly)", path);
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(pattern_load(path, &p, &err), &err);
    ASSERT(p->cells == NULL && p->runs != NULL);
    ASSERT_EQ(p->width, 210515);
    ASSERT_EQ(p->height, 183739);
    ASSERT_U64_EQ(pattern_population(p), 23);
    uint64_t hash = runs_hash(p);
    static const struct {
        const char *what;
        int (*write)(const struct pattern *, FILE *, struct glider_error *);
        int (*read)(const char *, size_t, const char *, struct pattern **,
                    struct glider_error *);
    } ways[] = {{"RLE", rle_write, rle_parse},
                {"JSON", pattern_json_write, pattern_json_parse},
                {".cells", cells_write, cells_parse}};
    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
        struct pattern *q = through(p, ways[i].write, ways[i].read, ways[i].what);
        if (!q)
            FAILF("switch-engine-ping-pong did not go through %s", ways[i].what);
        if (pattern_population(q) != 23 || runs_hash(q) != hash || !same_runs(p, q))
            FAILF("switch-engine-ping-pong changed going through %s", ways[i].what);
        ASSERT(q->cells == NULL);
        printf("# through %-6s: 23 cells, %zu runs, hash %016llx\n", ways[i].what,
               q->nruns, (unsigned long long)runs_hash(q));
        pattern_destroy(q);
    }
    int w, h;
    enum topology topo;
    ASSERT_EQ(pattern_universe(p, &w, &h, &topo, &err), GLIDER_ELIMIT);
    char want[512];
    snprintf(want, sizeof want, "%s: pattern is 210515x183739 cells, larger than "
             "the largest universe (65536x65536); 'glider convert' can still "
             "read and write it", path);
    ASSERT_STR_EQ(err.msg, want);
    /* The cells bgolly reads from the file are ours. */
    if (need_bgolly()) {
        const char *golly = work_path("ping-pong.rle");
        unlink(golly);
        char *argv[] = {(char *)tu_bgolly(), "-m", "0", "-o", (char *)golly,
                        (char *)path, NULL};
        ASSERT_EQ(run(argv, NULL, NULL), 0);
        struct pattern *g;
        ASSERT_OK(pattern_load(golly, &g, &err), &err);
        ASSERT(same_runs(p, g) && runs_hash(g) == hash);
        pattern_destroy(g);
    }
    pattern_destroy(p);
    return 0;
}

static const struct test_case tests[] = {
    {"soups_torus", test_soups_torus},
    {"soups_plane", test_soups_plane},
    {"other_rules", test_other_rules},
    {"golly_samples", test_golly_samples},
    {"golly_bounded_files", test_golly_bounded_files},
    {"writer_matches_golly", test_writer_matches_golly},
    {"load_every_golly_life_pattern", test_load_every_golly_life_pattern},
    {"golly_macrocell", test_golly_macrocell},
    {"switch_engine_ping_pong", test_switch_engine_ping_pong},
};

static int run_all(int argc, char **argv);

int main(int argc, char **argv)
{
    int rc = run_all(argc, argv);
    if (rc == 0 || rc == TEST_SKIP)
        remove_workdir();
    else if (workdir[0])
        fprintf(stderr, "files kept in %s\n", workdir);
    return rc;
}

#define main run_all
TEST_MAIN(tests)
#undef main
