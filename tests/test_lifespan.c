/* test_lifespan.c - what the library's methuselahs and soups become, checked
 * to the end: each stated lifespan L, final population and glider count.
 *
 * "Stabilizes at generation L" (the Life Lexicon's and LifeWiki's sense):
 * from generation L on the pattern is still lifes and oscillators plus
 * escaping gliders, and at L - 1 it is not yet.  Population alone cannot
 * show that (Blom's population is already periodic from 23313, one
 * generation early, while a still life is still forming), so the check is
 * made on the cells: split a generation into escaping gliders (five cells in
 * a glider's shape, no other live cell within two cells) and the rest, the
 * debris; then
 *   debris(L) == debris(L + P)           (the rest is periodic from L),
 *   debris(L - 1) != debris(L - 1 + P)   (and not from L - 1),
 * which together prove the lifespan is exactly L (P is the period of what is
 * left; if the debris were periodic from L - 1 with any period, the second
 * inequality could not hold).  On top of that the population must repeat
 * with period P for 2000 generations after L (no glider comes back), and it
 * and the number of gliders must be what the file's description says.
 *
 * Who computes the generations:
 *   bgolly            Golly's own engine on the unbounded plane (QuickLife):
 *                     the stated lifespans are checked against it in every
 *                     build (skipped when bgolly is not installed);
 *   engine_short      Glider itself (thread-pool back-end) runs the short
 *                     ones (up to 6000 generations) to L + P on a bounded
 *                     plane that grows with the pattern, and must agree with
 *                     bgolly on the population every 128 generations and on
 *                     every cell at L - 1, L, L - 1 + P and L + P;
 *   engine_long       the same for rabbits, bunnies, Blom, Iwona and Lidka
 *                     (17331 to 29053 generations, about 6e12 cell updates):
 *                     only in release builds without sanitizers (Meson
 *                     passes GLIDER_LIFESPAN_LONG), elsewhere it skips and
 *                     says so.  GLIDER_LIFESPAN_LONG=1 or 0 in the
 *                     environment overrides.
 *   pufferfish_soup   the Life Lexicon's soup: from generation 125 on it is
 *                     a pufferfish and its blocks, nothing else;
 *   bunnies           generation 1 of bunnies is rabbits.
 *
 * The plane a pattern runs on: the pattern's box plus MARGIN dead cells
 * each side.  Before each chunk of at most CHUNK generations the live cells
 * must be more than CHUNK cells from every edge (nothing in Life moves
 * faster than one cell a generation, so the edge cannot matter during the
 * chunk and the plane behaves exactly as the unbounded one); when they are
 * not, the live cells are moved into a new plane with MARGIN cells round
 * their box again. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../engine/library.h"
#include "../engine/pattern.h"
#include "../engine/rle.h"
#include "../engine/sim.h"
#include "test.h"
#include "test_util.h"

#ifndef GLIDER_PATTERNS_SRC
#error "GLIDER_PATTERNS_SRC must name the source tree's patterns directory"
#endif
#ifndef GLIDER_LIFESPAN_LONG
#define GLIDER_LIFESPAN_LONG 0
#endif

#define MARGIN 384
#define CHUNK 128
#define WINDOW 2000 /* generations after L the population must repeat */

/* ---- What each file says ------------------------------------------------- */

struct fate {
    const char *stem;     /* the library file */
    int cells;            /* live cells at generation 0 */
    long life;            /* L */
    int period;           /* P: the period of the debris */
    long pop, pop1;       /* population at L and at L + 1 */
    int gliders;          /* escaping gliders at L */
    int is_long;          /* for engine_long rather than engine_short */
    const char *says[4];  /* what the description must say (NULL-ended) */
};

/* The figures: Golly's pattern files (#C lines), the Life Lexicon shipped
 * with Golly (Help/Lexicon), LifeWiki; glider counts where none of them
 * gives one are what bgolly's generations show (and the tests recount). */
static const struct fate fates[] = {
    {"r-pentomino", 5, 1103, 2, 116, 116, 6, 0,
     {"Five cells", "1103 generations", "116 cells", "six of them gliders"}},
    {"diehard", 7, 130, 1, 0, 0, 0, 0, {"Seven cells", "generation 130"}},
    {"b-heptomino", 7, 148, 1, 28, 28, 2, 0,
     {"seven-cell", "28 cells", "148 generations"}},
    {"pi-heptomino", 7, 173, 2, 55, 55, 0, 0,
     {"seven-cell", "173 generations", "55 cells"}},
    {"acorn", 7, 5206, 2, 633, 633, 13, 0,
     {"Seven cells", "5206 generations", "633 cells", "thirteen of them gliders"}},
    {"random-soup-8", 504, 792, 2, 229, 229, 4, 0,
     {"generation 792", "229 cells", "four of them gliders"}},
    {"random-soup-29", 500, 1263, 2, 199, 199, 5, 0,
     {"generation 1263", "199 cells", "five of them gliders"}},
    {"rabbits", 9, 17331, 2, 1744, 1744, 40, 1,
     {"Nine cells", "17331 generations", "1744 cells", "40 of them gliders"}},
    {"bunnies", 9, 17332, 2, 1744, 1744, 40, 1,
     {"Nine cells", "17332 generations", "1744 cells", "40 of them gliders"}},
    {"blom", 13, 23314, 2, 2740, 2740, 52, 1,
     {"Thirteen cells", "23314 generations", "2740 cells", "52 of them gliders"}},
    {"iwona", 19, 28786, 2, 3091, 3091, 47, 1,
     {"Nineteen cells", "28786 generations", "3091 cells", "47 of them gliders"}},
    {"lidka", 15, 29053, 2, 1625, 1623, 28, 1,
     {"Fifteen cells", "29053 generations", "1625 and 1623 cells",
      "28 of them gliders"}},
};
#define NFATES (sizeof fates / sizeof fates[0])

/* ---- Sets of live cells -------------------------------------------------- */

/* Live cells as (y, x) keys, sorted: y in the high half, x in the low. */
struct cellset {
    int64_t *c;
    size_t n, cap;
};

#define KEY(x, y) (((int64_t)(y) << 32) | (uint32_t)(x))
#define KX(k) ((int32_t)(uint32_t)(k))
#define KY(k) ((int32_t)((k) >> 32))

static void cs_free(struct cellset *s)
{
    free(s->c);
    s->c = NULL;
    s->n = s->cap = 0;
}

static int cs_add(struct cellset *s, int x, int y)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        int64_t *c = realloc(s->c, cap * sizeof *c);
        if (!c)
            return -1;
        s->c = c;
        s->cap = cap;
    }
    s->c[s->n++] = KEY(x, y);
    return 0;
}

static int key_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void cs_sort(struct cellset *s)
{
    if (s->n)
        qsort(s->c, s->n, sizeof *s->c, key_cmp);
}

/* The live cells of a pattern (either form), in its box's coordinates. */
static int cs_from_pattern(struct cellset *s, const struct pattern *p)
{
    struct pattern_iter it;
    struct pattern_run r;
    pattern_iter_init(&it, p);
    while (pattern_iter_next(&it, &r))
        for (int x = r.x0; x < r.x1; x++)
            if (cs_add(s, x, r.y))
                return -1;
    cs_sort(s);
    return 0;
}

/* The live cells of a grid, scanning its words. */
static int cs_from_grid(struct cellset *s, const struct grid *g)
{
    size_t words = ((size_t)g->width + 63) / 64;
    for (int y = 0; y < g->height; y++) {
        const uint64_t *row = grid_row(g, y);
        for (size_t w = 0; w < words; w++)
            for (uint64_t b = row[w]; b; b &= b - 1)
                if (cs_add(s, (int)(w * 64 + (size_t)__builtin_ctzll(b)), y))
                    return -1;
    }
    return 0; /* already in (y, x) order */
}

/* Moves the set so that its box starts at (0, 0): sets from different
 * engines (and planes) are compared this way. */
static void cs_normalise(struct cellset *s)
{
    if (!s->n)
        return;
    int32_t mx = INT32_MAX, my = KY(s->c[0]);
    for (size_t i = 0; i < s->n; i++)
        if (KX(s->c[i]) < mx)
            mx = KX(s->c[i]);
    for (size_t i = 0; i < s->n; i++)
        s->c[i] = KEY(KX(s->c[i]) - mx, KY(s->c[i]) - my);
}

static int cs_equal(const struct cellset *a, const struct cellset *b)
{
    return a->n == b->n &&
           (a->n == 0 || memcmp(a->c, b->c, a->n * sizeof *a->c) == 0);
}

/* ---- Gliders and blocks -------------------------------------------------- */

/* The 3x3 pictures of a glider: four phases (flying down-right) in all
 * eight orientations; bit 3 * y + x. */
static int glider_mask(unsigned m)
{
    static const char *const phases[4][3] = {
        {".O.", "..O", "OOO"},
        {"O.O", ".OO", ".O."},
        {"..O", "O.O", ".OO"},
        {"O..", ".OO", "OO."},
    };
    for (int ph = 0; ph < 4; ph++)
        for (int t = 0; t < 8; t++) {
            unsigned g = 0;
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 3; x++) {
                    if (phases[ph][y][x] != 'O')
                        continue;
                    int u = t & 1 ? 2 - x : x, v = t & 2 ? 2 - y : y;
                    if (t & 4) {
                        int w = u;
                        u = v;
                        v = w;
                    }
                    g |= 1u << (3 * v + u);
                }
            if (g == m)
                return 1;
        }
    return 0;
}

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

enum { SPLIT_GLIDERS, SPLIT_BLOCKS };

/* Splits 's' into groups of cells that can interact (live cells at most two
 * apart in x and y are in one group) and moves every group that is a glider
 * (SPLIT_GLIDERS) or a block (SPLIT_BLOCKS) out: 'rest' gets the other
 * cells, normalised; *count the groups taken out. */
static int split(const struct cellset *s, int what, struct cellset *rest,
                 int *count)
{
    size_t n = s->n;
    size_t *parent = malloc((n ? n : 1) * sizeof *parent);
    size_t *size = calloc(n ? n : 1, sizeof *size);
    int *x0 = malloc((n ? n : 1) * sizeof *x0);
    int *y0 = malloc((n ? n : 1) * sizeof *y0);
    int *x1 = malloc((n ? n : 1) * sizeof *x1);
    int *y1 = malloc((n ? n : 1) * sizeof *y1);
    int rc = -1;
    *count = 0;
    if (!parent || !size || !x0 || !y0 || !x1 || !y1)
        goto out;
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++) {
        int x = KX(s->c[i]), y = KY(s->c[i]);
        for (int dy = 0; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++) {
                if (dy == 0 && dx <= 0)
                    continue;
                int64_t k = KEY(x + dx, y + dy);
                const int64_t *hit = bsearch(&k, s->c, n, sizeof k, key_cmp);
                if (hit) {
                    size_t a = uf_find(parent, i);
                    size_t b = uf_find(parent, (size_t)(hit - s->c));
                    if (a != b)
                        parent[a] = b;
                }
            }
    }
    for (size_t i = 0; i < n; i++) {
        size_t r = uf_find(parent, i);
        int x = KX(s->c[i]), y = KY(s->c[i]);
        if (size[r]++ == 0) {
            x0[r] = x1[r] = x;
            y0[r] = y1[r] = y;
        } else {
            x0[r] = x < x0[r] ? x : x0[r];
            x1[r] = x > x1[r] ? x : x1[r];
            y0[r] = y < y0[r] ? y : y0[r];
            y1[r] = y > y1[r] ? y : y1[r];
        }
    }
    /* Which groups go: */
    for (size_t i = 0; i < n; i++) {
        if (parent[i] != i)
            continue;
        int w = x1[i] - x0[i] + 1, h = y1[i] - y0[i] + 1;
        int out = 0;
        if (what == SPLIT_BLOCKS)
            out = size[i] == 4 && w == 2 && h == 2;
        else if (size[i] == 5 && w == 3 && h == 3) {
            unsigned m = 0;
            for (size_t j = 0; j < n; j++)
                if (uf_find(parent, j) == i)
                    m |= 1u << (3 * (KY(s->c[j]) - y0[i]) +
                                (KX(s->c[j]) - x0[i]));
            out = glider_mask(m);
        }
        if (out) {
            (*count)++;
            size[i] = 0; /* marks the group as taken out */
        }
    }
    for (size_t i = 0; i < n; i++)
        if (size[uf_find(parent, i)] != 0 &&
            cs_add(rest, KX(s->c[i]), KY(s->c[i])))
            goto out;
    cs_normalise(rest);
    rc = 0;
out:
    free(parent);
    free(size);
    free(x0);
    free(y0);
    free(x1);
    free(y1);
    return rc;
}

/* ---- bgolly -------------------------------------------------------------- */

/* Writes 'p' as plain RLE (its rule, no universe: bgolly runs it on its
 * unbounded plane) into a new temporary file named in 'path'. */
static int write_plain_rle(struct pattern *p, char *path, size_t size)
{
    struct glider_error err = {0};
    snprintf(path, size, "/tmp/glider-lifespan-XXXXXX.rle");
    int fd = mkstemps(path, 4);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    struct rule_bounds bounds = p->bounds;
    p->bounds.present = 0;
    int rc = f ? rle_write(p, f, &err) : -1;
    p->bounds = bounds;
    if (f && fclose(f) != 0 && rc == 0)
        rc = -1;
    if (!f && fd >= 0)
        close(fd);
    if (rc) {
        fprintf(stderr, "cannot write %s: %s\n", path,
                err.msg[0] ? err.msg : strerror(errno));
        if (fd >= 0)
            unlink(path);
    }
    return rc;
}

/* bgolly's population at every generation 0..gens: pop[0..gens]. */
static long *bgolly_series(const char *bgolly, const char *rle, long gens)
{
    long *pop = malloc((size_t)(gens + 1) * sizeof *pop);
    if (!pop)
        return NULL;
    for (long g = 0; g <= gens; g++)
        pop[g] = -1;
    char cmd[PATH_MAX + 128];
    snprintf(cmd, sizeof cmd, "'%s' -m %ld -i 1 '%s' 2>/dev/null", bgolly,
             gens, rle);
    FILE *pp = popen(cmd, "r");
    char line[256];
    while (pp && fgets(line, sizeof line, pp)) {
        /* "29,053: 1,625" */
        long g = 0, v = 0;
        const char *q = line;
        if (*q < '0' || *q > '9')
            continue;
        for (; *q && *q != ':'; q++)
            if (*q >= '0' && *q <= '9')
                g = g * 10 + (*q - '0');
        if (*q != ':')
            continue;
        for (q++; *q; q++)
            if (*q >= '0' && *q <= '9')
                v = v * 10 + (*q - '0');
        if (g >= 0 && g <= gens)
            pop[g] = v;
    }
    int st = pp ? pclose(pp) : -1;
    for (long g = 0; g <= gens; g++)
        if (pop[g] < 0) {
            fprintf(stderr, "bgolly (status %d) gave no population for "
                    "generation %ld of %s\n", st, g, rle);
            free(pop);
            return NULL;
        }
    return pop;
}

/* The live cells bgolly has at generation 'gen' (normalised). */
static int bgolly_cells(const char *bgolly, const char *rle, long gen,
                        struct cellset *out)
{
    char path[] = "/tmp/glider-lifespan-XXXXXX.rle";
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return -1;
    close(fd);
    char cmd[2 * PATH_MAX + 128];
    snprintf(cmd, sizeof cmd, "'%s' -q -q -m %ld -o '%s' '%s' >/dev/null 2>&1",
             bgolly, gen, path, rle);
    int rc = system(cmd);
    struct glider_error err = {0};
    struct pattern *p = NULL;
    char *data = NULL;
    size_t len = 0;
    if (rc == 0)
        rc = pattern_read_file(path, &data, &len, &err);
    if (rc == 0)
        rc = rle_parse(data, len, path, &p, &err);
    if (rc == 0)
        rc = cs_from_pattern(out, p);
    if (rc)
        fprintf(stderr, "bgolly -m %ld -o: %s\n", gen,
                err.msg[0] ? err.msg : "failed");
    else
        cs_normalise(out);
    free(data);
    pattern_destroy(p);
    unlink(path);
    return rc;
}

/* ---- Glider on a growing plane ------------------------------------------- */

struct plane_run {
    struct sim *s;
    struct rule rule;
    int moves;      /* times the cells moved into a larger plane */
    uint64_t cells; /* cell updates computed */
};

/* A new plane holding the live cells of 'p' (its box) with MARGIN dead
 * cells each side, at generation 'gen'. */
static int plane_start(struct plane_run *r, struct pattern *p, uint64_t gen,
                       struct glider_error *err)
{
    struct sim_config cfg = {0};
    cfg.width = p->width + 2 * MARGIN;
    cfg.height = p->height + 2 * MARGIN;
    if (cfg.width > GRID_MAX_DIM || cfg.height > GRID_MAX_DIM)
        return glider_errorf(err, GLIDER_ELIMIT, "the pattern outgrew the "
                             "largest universe (%dx%d)", cfg.width, cfg.height);
    cfg.topo = TOPO_PLANE;
    cfg.rule = r->rule;
    cfg.backend = "thread-pool";
    struct sim *s;
    int rc = sim_create(&s, &cfg, err);
    if (rc)
        return rc;
    p->has_origin = 1;
    p->origin_x = MARGIN;
    p->origin_y = MARGIN;
    p->bounds.present = 0;
    if ((rc = pattern_place(p, sim_grid_edit(s), err))) {
        sim_destroy(s);
        return rc;
    }
    sim_set_generation(s, gen);
    sim_destroy(r->s);
    r->s = s;
    return 0;
}

/* Runs to generation 'to', moving into a larger plane whenever the live
 * cells come within CHUNK + 1 cells of an edge. */
static int plane_run_to(struct plane_run *r, uint64_t to,
                        struct glider_error *err)
{
    while (sim_generation(r->s) < to) {
        const struct grid *g = sim_grid(r->s);
        int x0, y0, x1, y1;
        uint64_t n = to - sim_generation(r->s);
        n = n < CHUNK ? n : CHUNK;
        if (grid_bbox(g, &x0, &y0, &x1, &y1) &&
            (x0 <= CHUNK || y0 <= CHUNK || g->width - x1 <= CHUNK ||
             g->height - y1 <= CHUNK)) {
            struct pattern *p;
            int rc = pattern_from_grid(g, &r->rule, &p, err);
            if (rc)
                return rc;
            rc = plane_start(r, p, sim_generation(r->s), err);
            pattern_destroy(p);
            if (rc)
                return rc;
            r->moves++;
            g = sim_grid(r->s);
        }
        int rc = sim_run(r->s, n, err);
        if (rc)
            return rc;
        r->cells += n * (uint64_t)g->width * (uint64_t)g->height;
    }
    return 0;
}

/* ---- The lifespan checks ------------------------------------------------- */

/* The four generations the lifespan check looks at: L - 1, L - 1 + P, L,
 * L + P (in that order in 'at'; sorted in 'order'). */
static void four_gens(const struct fate *f, long at[4])
{
    at[0] = f->life - 1;
    at[1] = f->life - 1 + f->period;
    at[2] = f->life;
    at[3] = f->life + f->period;
}

/* Checks the lifespan on the cells of generations L - 1, L - 1 + P, L and
 * L + P ('snap', normalised) as 'who' computed them. */
static int check_snaps(const struct fate *f, const char *who,
                       struct cellset snap[4])
{
    struct cellset d[4] = {{0}};
    int gl[4], bad = 0;
    for (int i = 0; i < 4; i++)
        if (split(&snap[i], SPLIT_GLIDERS, &d[i], &gl[i])) {
            fprintf(stderr, "%s: out of memory\n", f->stem);
            bad = 1;
            goto out;
        }
    if (!cs_equal(&d[2], &d[3])) {
        fprintf(stderr, "%s (%s): not stable at generation %ld: apart from "
                "%d escaping gliders, generation %ld (%zu cells) is not "
                "generation %ld (%zu cells)\n", f->stem, who, f->life, gl[2],
                f->life + f->period, d[3].n, f->life, d[2].n);
        bad = 1;
    }
    if (cs_equal(&d[0], &d[1])) {
        fprintf(stderr, "%s (%s): already stable at generation %ld, one "
                "generation before the stated %ld\n", f->stem, who,
                f->life - 1, f->life);
        bad = 1;
    }
    if (gl[2] != f->gliders || gl[3] != f->gliders) {
        fprintf(stderr, "%s (%s): %d and %d escaping gliders at generations "
                "%ld and %ld, expected %d\n", f->stem, who, gl[2], gl[3],
                f->life, f->life + f->period, f->gliders);
        bad = 1;
    }
    if ((long)snap[2].n != f->pop) {
        fprintf(stderr, "%s (%s): %zu cells at generation %ld, expected %ld\n",
                f->stem, who, snap[2].n, f->life, f->pop);
        bad = 1;
    }
out:
    for (int i = 0; i < 4; i++)
        cs_free(&d[i]);
    return bad;
}

/* The library file agrees with the table: it loads, has the stated number
 * of cells and its description says what the table checks. */
static int load_fate(const struct fate *f, struct pattern **out)
{
    struct glider_error err = {0};
    if (library_load(f->stem, out, &err)) {
        fprintf(stderr, "%s: %s\n", f->stem, err.msg);
        return 1;
    }
    struct pattern *p = *out;
    int bad = 0;
    if ((long long)pattern_population(p) != f->cells) {
        fprintf(stderr, "%s: %llu cells, the table says %d\n", f->stem,
                (unsigned long long)pattern_population(p), f->cells);
        bad = 1;
    }
    for (int i = 0; i < 4 && f->says[i]; i++)
        if (!p->description || !strstr(p->description, f->says[i])) {
            fprintf(stderr, "%s: the description \"%s\" does not say \"%s\"\n",
                    f->stem, p->description ? p->description : "",
                    f->says[i]);
            bad = 1;
        }
    return bad;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* One pattern: the bgolly checks, then (engine) glider's own run. */
static int check_fate(const struct fate *f, const char *bgolly, int engine)
{
    struct pattern *p = NULL;
    struct cellset bsnap[4] = {{0}}, gsnap[4] = {{0}};
    long *pop = NULL;
    char rle[64] = "";
    long at[4];
    int bad = load_fate(f, &p);
    struct plane_run run = {0};
    double t0 = now();
    four_gens(f, at);
    if (bad)
        goto out;

    if (bgolly) {
        if (write_plain_rle(p, rle, sizeof rle)) {
            bad = 1;
            goto out;
        }
        long end = f->life + WINDOW;
        if (!(pop = bgolly_series(bgolly, rle, end))) {
            bad = 1;
            goto out;
        }
        for (long t = f->life; t + f->period <= end; t++)
            if (pop[t] != pop[t + f->period]) {
                fprintf(stderr, "%s (bgolly): population %ld at generation "
                        "%ld but %ld at %ld: not periodic after %ld\n",
                        f->stem, pop[t], t, pop[t + f->period],
                        t + f->period, f->life);
                bad = 1;
                break;
            }
        if (pop[f->life] != f->pop || pop[f->life + 1] != f->pop1) {
            fprintf(stderr, "%s (bgolly): %ld and %ld cells at generations "
                    "%ld and %ld, expected %ld and %ld\n", f->stem,
                    pop[f->life], pop[f->life + 1], f->life, f->life + 1,
                    f->pop, f->pop1);
            bad = 1;
        }
        for (int i = 0; i < 4; i++)
            if (bgolly_cells(bgolly, rle, at[i], &bsnap[i])) {
                bad = 1;
                goto out;
            }
        bad |= check_snaps(f, "bgolly", bsnap);
    }

    if (engine) {
        struct glider_error err = {0};
        run.rule = p->rule;
        if (plane_start(&run, p, 0, &err)) {
            fprintf(stderr, "%s: %s\n", f->stem, err.msg);
            bad = 1;
            goto out;
        }
        /* Population every CHUNK generations (and at the four), cells at
         * the four. */
        int next = 0; /* the next of at[] in time order: */
        long order[4] = {at[0], at[2], at[1], at[3]};
        int slot[4] = {0, 2, 1, 3};
        while (next < 4) {
            uint64_t g = sim_generation(run.s);
            uint64_t to = ((g / CHUNK) + 1) * CHUNK;
            int snap = 0;
            if ((long)to >= order[next]) {
                to = (uint64_t)order[next];
                snap = 1;
            }
            if (plane_run_to(&run, to, &err)) {
                fprintf(stderr, "%s: %s\n", f->stem, err.msg);
                bad = 1;
                goto out;
            }
            long mine = (long)grid_population(sim_grid(run.s));
            if (pop && mine != pop[to]) {
                fprintf(stderr, "%s: glider has %ld cells at generation %llu, "
                        "bgolly %ld\n", f->stem, mine, (unsigned long long)to,
                        pop[to]);
                bad = 1;
                goto out;
            }
            while (snap && next < 4 && (uint64_t)order[next] == to) {
                struct cellset *c = &gsnap[slot[next]];
                if (cs_from_grid(c, sim_grid(run.s))) {
                    bad = 1;
                    goto out;
                }
                cs_normalise(c);
                if (bgolly && !cs_equal(c, &bsnap[slot[next]])) {
                    fprintf(stderr, "%s: glider's generation %llu (%zu cells) "
                            "differs from bgolly's (%zu cells)\n", f->stem,
                            (unsigned long long)to, c->n,
                            bsnap[slot[next]].n);
                    bad = 1;
                }
                next++;
            }
        }
        bad |= check_snaps(f, "glider", gsnap);
        fprintf(stderr, "%-15s glider to generation %ld: %.1f s, %.2e cell "
                "updates, plane %dx%d at the end, %d moves%s\n", f->stem,
                at[3], now() - t0, (double)run.cells,
                sim_grid(run.s)->width, sim_grid(run.s)->height, run.moves,
                bgolly ? ", same as bgolly" : " (no bgolly to compare with)");
    } else {
        fprintf(stderr, "%-15s bgolly: stable from generation %ld with "
                "period %d, %ld cells, %d gliders (%.1f s)\n", f->stem,
                f->life, f->period, f->pop, f->gliders, now() - t0);
    }
out:
    if (rle[0])
        unlink(rle);
    free(pop);
    for (int i = 0; i < 4; i++) {
        cs_free(&bsnap[i]);
        cs_free(&gsnap[i]);
    }
    sim_destroy(run.s);
    pattern_destroy(p);
    return bad;
}

static int test_bgolly(void)
{
    const char *bgolly = tu_bgolly();
    if (!bgolly)
        SKIP("bgolly is not installed (Debian: apt-get install golly)");
    int failed = 0;
    for (size_t i = 0; i < NFATES; i++)
        failed += check_fate(&fates[i], bgolly, 0);
    ASSERT_EQ(failed, 0);
    return 0;
}

static int run_engine(int is_long)
{
    const char *bgolly = tu_bgolly();
    int failed = 0;
    for (size_t i = 0; i < NFATES; i++)
        if (fates[i].is_long == is_long)
            failed += check_fate(&fates[i], bgolly, 1);
    ASSERT_EQ(failed, 0);
    return 0;
}

static int test_engine_short(void)
{
    return run_engine(0);
}

static int test_engine_long(void)
{
    const char *env = getenv("GLIDER_LIFESPAN_LONG");
    int on = env && *env ? strcmp(env, "0") != 0 : GLIDER_LIFESPAN_LONG;
    if (!on)
        SKIP("the full runs of rabbits, bunnies, Blom, Iwona and Lidka "
             "(6.5e12 cell updates, 30 to 45 s on 2 cores) run "
             "only in release builds without sanitizers; "
             "GLIDER_LIFESPAN_LONG=1 forces them");
    return run_engine(1);
}

/* ---- The pufferfish soup ------------------------------------------------- */

/* The pufferfish as the Life Lexicon (release 29) draws it. */
static const char *const pufferfish[] = {
    "...O.......O...",
    "..OOO.....OOO..",
    ".OO..O...O..OO.",
    "...OOO...OOO...",
    "...............",
    "....O.....O....",
    "..O..O...O..O..",
    "O.....O.O.....O",
    "OO....O.O....OO",
    "......O.O......",
    "...O.O...O.O...",
    "....O.....O....",
};

/* Whether 'c' (normalised) is a pufferfish and blocks and nothing else:
 * without its blocks, one of the twelve phases in 'phase'. */
static int is_pufferfish(const struct cellset *c, struct cellset phase[12],
                         int *blocks)
{
    struct cellset rest = {0};
    if (split(c, SPLIT_BLOCKS, &rest, blocks))
        return -1;
    int found = 0;
    for (int i = 0; i < 12 && !found; i++)
        found = cs_equal(&rest, &phase[i]);
    cs_free(&rest);
    return found;
}

static int test_pufferfish_soup(void)
{
    struct glider_error err = {0};
    struct cellset phase[12] = {{0}};
    /* The twelve phases, blocks removed, of the Lexicon's pufferfish run by
     * glider on a torus long enough for 252 generations (its trail of
     * blocks settles well before). */
    struct grid *g = tu_grid_from_rows(64, 512, TOPO_TORUS, 24, 250,
                                       pufferfish, 12);
    ASSERT(g != NULL);
    struct rule life = RULE_LIFE;
    struct sim_config cfg = {.width = 64, .height = 512, .topo = TOPO_TORUS,
                             .rule = life, .backend = "sequential"};
    struct sim *s;
    ASSERT_OK(sim_create(&s, &cfg, &err), &err);
    ASSERT_OK(grid_copy(sim_grid_edit(s), g), &err);
    grid_destroy(g);
    ASSERT_OK(sim_run(s, 240, &err), &err);
    for (int i = 0; i < 12; i++) {
        struct cellset c = {0};
        int blocks;
        ASSERT(cs_from_grid(&c, sim_grid(s)) == 0);
        ASSERT(split(&c, SPLIT_BLOCKS, &phase[i], &blocks) == 0);
        ASSERT_GT(blocks, 30);
        cs_free(&c);
        ASSERT_OK(sim_step(s, &err), &err);
    }
    sim_destroy(s);

    struct pattern *p;
    ASSERT_OK(library_load("pufferfish-soup", &p, &err), &err);
    ASSERT_CONTAINS(p->description, "by generation 125");
    ASSERT_CONTAINS(p->description, "pufferfish");
    ASSERT_CONTAINS(p->description, "nothing else");
    /* Glider, in the file's own universe (a 64x1024 torus the puffer does
     * not wrap round before generation 1900): a pufferfish and blocks at
     * every generation from 125 to 300 and at 1000, not at 124. */
    int blocks = 0;
    ASSERT_OK(pattern_universe(p, &cfg.width, &cfg.height, &cfg.topo, &err),
              &err);
    cfg.rule = p->rule;
    ASSERT_OK(sim_create(&s, &cfg, &err), &err);
    ASSERT_OK(pattern_place(p, sim_grid_edit(s), &err), &err);
    for (long gen = 0; gen <= 1000; gen++) {
        if ((gen >= 124 && gen <= 300) || gen == 1000) {
            struct cellset c = {0};
            ASSERT(cs_from_grid(&c, sim_grid(s)) == 0);
            cs_normalise(&c);
            int is = is_pufferfish(&c, phase, &blocks);
            cs_free(&c);
            ASSERT(is >= 0);
            if (is != (gen >= 125))
                FAILF("glider: generation %ld is %sa pufferfish and blocks",
                      gen, is ? "already " : "not ");
        }
        ASSERT_OK(sim_step(s, &err), &err);
    }
    sim_destroy(s);
    /* 500 cells of travel: about two blocks every 12 generations. */
    ASSERT_GT(blocks, 130);

    /* bgolly on the unbounded plane says the same at 124, 125 and 1000. */
    const char *bgolly = tu_bgolly();
    if (bgolly) {
        char rle[64];
        ASSERT(write_plain_rle(p, rle, sizeof rle) == 0);
        static const long at[] = {124, 125, 136, 1000};
        for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
            struct cellset c = {0};
            int rc = bgolly_cells(bgolly, rle, at[i], &c);
            int is = rc ? -1 : is_pufferfish(&c, phase, &blocks);
            cs_free(&c);
            if (is < 0)
                unlink(rle);
            ASSERT(is >= 0);
            if (is != (at[i] >= 125)) {
                unlink(rle);
                FAILF("bgolly: generation %ld is %sa pufferfish and blocks",
                      at[i], is ? "already " : "not ");
            }
        }
        unlink(rle);
    } else {
        fprintf(stderr, "bgolly is not installed: glider's run only\n");
    }
    pattern_destroy(p);
    for (int i = 0; i < 12; i++)
        cs_free(&phase[i]);
    return 0;
}

/* ---- Bunnies and rabbits ------------------------------------------------- */

static int test_bunnies(void)
{
    struct glider_error err = {0};
    struct pattern *b, *r;
    ASSERT_OK(library_load("bunnies", &b, &err), &err);
    ASSERT_OK(library_load("rabbits", &r, &err), &err);
    struct sim_config cfg = {.width = 64, .height = 64, .topo = TOPO_PLANE,
                             .rule = b->rule, .backend = "sequential"};
    struct sim *s;
    ASSERT_OK(sim_create(&s, &cfg, &err), &err);
    ASSERT_OK(pattern_place(b, sim_grid_edit(s), &err), &err);
    struct cellset c0 = {0}, c1 = {0}, cr = {0};
    ASSERT(cs_from_grid(&c0, sim_grid(s)) == 0);
    ASSERT_OK(sim_step(s, &err), &err);
    ASSERT(cs_from_grid(&c1, sim_grid(s)) == 0);
    ASSERT(cs_from_pattern(&cr, r) == 0);
    cs_normalise(&c0);
    cs_normalise(&c1);
    cs_normalise(&cr);
    ASSERT(!cs_equal(&c0, &cr));
    ASSERT(cs_equal(&c1, &cr)); /* generation 1 of bunnies is rabbits */
    cs_free(&c0);
    cs_free(&c1);
    cs_free(&cr);
    sim_destroy(s);
    pattern_destroy(b);
    pattern_destroy(r);
    return 0;
}

static const struct test_case tests[] = {
    {"bunnies", test_bunnies},
    {"pufferfish_soup", test_pufferfish_soup},
    {"bgolly", test_bgolly},
    {"engine_short", test_engine_short},
    {"engine_long", test_engine_long},
};

TEST_MAIN(tests)
