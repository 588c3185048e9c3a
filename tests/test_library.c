/* test_library.c - the pattern library: finding it, loading by name, the
 * built-in default, listing, and every file in patterns/: it loads, and the
 * machine-checkable "expect" object it carries holds when the pattern is run
 * (and agrees with bgolly when bgolly is installed).
 *
 * "expect" (doc/patterns.md): from generation 'after' (default 0) on,
 *   "still": true                   the next generation is the same;
 *   "period": P                     P generations later the pattern is back,
 *   "displacement": [dx, dy]        moved by (dx, dy) on the torus, and at no
 *                                   smaller period is it a translate of itself;
 *   "growth": G  or  "emits": SHIP  (with "period") the population grows by G
 *                                   (or the ship's size) every period, four
 *                                   periods in a row;
 *   "dies_at": N                    alive at N - 1, dead at N;
 *   "population": P, "at": N        P live cells at generation N;
 *   "contains": APGCODE             within one period of the object, from
 *                                   'after', the universe holds it on its
 *                                   own (tests/apgcode.h), e.g. a flotilla
 *                                   a soup is known to release.
 * Set GLIDER_PATTERN_ONLY=stem to check a single file.  The methuselahs'
 * and soups' whole lifespans, which need far more room than their
 * universes here, are checked by test_lifespan.c. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "../engine/library.h"
#include "../engine/pattern.h"
#include "../engine/rle.h"
#include "../engine/sim.h"
#include "apgcode.h"
#include "test.h"
#include "test_util.h"

#ifndef GLIDER_PATTERNS_SRC
#error "GLIDER_PATTERNS_SRC must name the source tree's patterns directory"
#endif

#define MIN_PATTERNS 40

/* ---- Running a pattern --------------------------------------------------- */

/* A sim holding 'p' in the universe it asks for. */
static int make_sim(const struct pattern *p, struct sim **out,
                    struct glider_error *err)
{
    struct sim_config cfg = {0};
    pattern_default_universe(p, &cfg.width, &cfg.height, &cfg.topo);
    cfg.rule = p->rule;
    cfg.backend = "sequential";
    int rc = sim_create(out, &cfg, err);
    if (rc)
        return rc;
    if ((rc = pattern_place(p, sim_grid_edit(*out), err))) {
        sim_destroy(*out);
        *out = NULL;
    }
    return rc;
}

static int run_to(struct sim *s, uint64_t gen, struct glider_error *err)
{
    uint64_t now = sim_generation(s);
    return gen > now ? sim_run(s, gen - now, err) : 0;
}

/* Runs 's' to generation 'gen', starting again from 'p' when it is already
 * past it. */
static int rewind_to(struct sim **s, const struct pattern *p, uint64_t gen,
                     struct glider_error *err)
{
    if (sim_generation(*s) > gen) {
        sim_destroy(*s);
        *s = NULL;
        int rc = make_sim(p, s, err);
        if (rc)
            return rc;
    }
    return run_to(*s, gen, err);
}

static struct grid *copy_grid(const struct grid *g)
{
    struct grid *c;
    if (grid_create(&c, g->width, g->height, g->topo, NULL))
        return NULL;
    grid_copy(c, g);
    return c;
}

/* Whether 'b' is 'a' moved by (dx, dy), wrapping round the universe. */
static int moved_by(const struct grid *a, const struct grid *b, int dx, int dy)
{
    int w = a->width, h = a->height;
    if (grid_population(a) != grid_population(b))
        return 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (grid_get(a, x, y) !=
                grid_get(b, (int)(((long)x + dx % w + w) % w),
                         (int)(((long)y + dy % h + h) % h)))
                return 0;
    return 1;
}

/* Whether 'b' is some translate of 'a' (compared by bounding box, which is
 * enough for patterns that do not wrap round the universe). */
static int is_translate(const struct grid *a, const struct grid *b)
{
    int ax0, ay0, ax1, ay1, bx0, by0, bx1, by1;
    int ea = !grid_bbox(a, &ax0, &ay0, &ax1, &ay1);
    int eb = !grid_bbox(b, &bx0, &by0, &bx1, &by1);
    if (ea || eb)
        return ea && eb;
    if (ax1 - ax0 != bx1 - bx0 || ay1 - ay0 != by1 - by0 ||
        grid_population(a) != grid_population(b))
        return 0;
    for (int y = 0; y < ay1 - ay0; y++)
        for (int x = 0; x < ax1 - ax0; x++)
            if (grid_get(a, ax0 + x, ay0 + y) != grid_get(b, bx0 + x, by0 + y))
                return 0;
    return 1;
}

/* ---- bgolly -------------------------------------------------------------- */

/* The population bgolly reports at generation 'gen' for the universe 'g'
 * (saved as RLE with its :T/:P suffix), or -1 when bgolly cannot say. */
static long long bgolly_population(const char *bgolly, const struct grid *g,
                                   const struct rule *rule, uint64_t gen)
{
    struct glider_error err = {0};
    struct pattern *p;
    if (pattern_from_grid(g, rule, &p, &err))
        return -1;
    char path[] = "/tmp/glider-lib-XXXXXX.rle";
    int fd = mkstemps(path, 4);
    if (fd < 0) {
        pattern_destroy(p);
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    int rc = f ? rle_write(p, f, &err) : -1;
    if (f)
        fclose(f);
    pattern_destroy(p);
    if (rc) {
        fprintf(stderr, "rle_write: %s\n", err.msg);
        unlink(path);
        return -1;
    }
    char cmd[PATH_MAX + 128];
    snprintf(cmd, sizeof cmd, "'%s' -m %llu '%s' 2>/dev/null", bgolly,
             (unsigned long long)gen, path);
    FILE *pp = popen(cmd, "r");
    long long pop = -1;
    char line[256];
    while (pp && fgets(line, sizeof line, pp)) {
        /* "1,103: 116" -- the generation, then the population. */
        char digits[64];
        size_t n = 0;
        const char *colon = strchr(line, ':');
        if (!colon || !strchr("0123456789", line[0]))
            continue;
        for (const char *q = line; q < colon && n + 1 < sizeof digits; q++)
            if (*q != ',')
                digits[n++] = *q;
        digits[n] = '\0';
        if (strtoull(digits, NULL, 10) != gen)
            continue;
        n = 0;
        for (const char *q = colon + 1; *q && n + 1 < sizeof digits; q++)
            if (*q >= '0' && *q <= '9')
                digits[n++] = *q;
        digits[n] = '\0';
        pop = strtoll(digits, NULL, 10);
    }
    if (pp)
        pclose(pp);
    unlink(path);
    return pop;
}

/* ---- Checking one library file ------------------------------------------- */

static long long get_int(const cJSON *obj, const char *key, long long dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? (long long)v->valuedouble : dflt;
}

static cJSON *read_json(const char *path)
{
    char *data;
    size_t len;
    if (pattern_read_file(path, &data, &len, NULL))
        return NULL;
    cJSON *j = cJSON_ParseWithLength(data, len);
    free(data);
    return j;
}

/* Checks 'path' against its "expect"; prints what is wrong and returns 1. */
static int check_file(const char *path, const char *stem, const char *bgolly,
                      int *bgolly_checks)
{
    struct glider_error err = {0};
    struct pattern *p = NULL;
    struct sim *s = NULL;
    struct grid *ref = NULL;
    cJSON *doc = NULL;
    int bad = 0;
#define BAD(...)                                          \
    do {                                                  \
        fprintf(stderr, "%s: ", stem);                    \
        fprintf(stderr, __VA_ARGS__);                     \
        fputc('\n', stderr);                              \
        bad = 1;                                          \
        goto done;                                        \
    } while (0)
    if (library_load(path, &p, &err))
        BAD("does not load: %s", err.msg);
    if (!p->name || !p->description)
        BAD("needs a \"name\" and a one-line \"description\"");
    if (strchr(p->description, '\n') || strlen(p->description) > 160)
        BAD("the description is not one line of at most 160 characters");
    if (!p->cells || grid_population(p->cells) == 0)
        BAD("has no live cells");
    doc = read_json(path);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "expect");
    if (!cJSON_IsObject(e))
        BAD("has no \"expect\" object");
    if (make_sim(p, &s, &err))
        BAD("does not fit its universe: %s", err.msg);

    long long after = get_int(e, "after", 0);
    long long period = get_int(e, "period", 0);
    long long last = 0; /* the last generation checked */
    int still = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "still"));
    if (still)
        period = period ? period : 1;

    if (run_to(s, (uint64_t)after, &err))
        BAD("step failed: %s", err.msg);
    ref = copy_grid(sim_grid(s));
    if (!ref)
        BAD("out of memory");

    long long growth = get_int(e, "growth", 0);
    const cJSON *emits = cJSON_GetObjectItemCaseSensitive(e, "emits");
    if (cJSON_IsString(emits) && !growth) {
        static const struct {
            const char *name;
            int cells;
        } ships[] = {{"glider", 5}, {"lwss", 9}, {"mwss", 11}, {"hwss", 13}};
        for (size_t i = 0; i < sizeof ships / sizeof ships[0]; i++)
            if (strcmp(emits->valuestring, ships[i].name) == 0)
                growth = ships[i].cells;
    }

    if (period && !growth) {
        /* Back after 'period' (moved by 'displacement'), never a translate
         * of itself before. */
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "displacement");
        int dx = d ? (int)cJSON_GetArrayItem(d, 0)->valuedouble : 0;
        int dy = d ? (int)cJSON_GetArrayItem(d, 1)->valuedouble : 0;
        for (long long q = 1; q < period; q++) {
            if (sim_step(s, &err))
                BAD("step failed: %s", err.msg);
            if (is_translate(ref, sim_grid(s)))
                BAD("generation %llu is already a copy of generation %lld: "
                    "the period is %lld, not %lld",
                    (unsigned long long)sim_generation(s), after, q, period);
        }
        if (sim_step(s, &err))
            BAD("step failed: %s", err.msg);
        if (!moved_by(ref, sim_grid(s), dx, dy)) {
            if (is_translate(ref, sim_grid(s)))
                BAD("after %lld generations it is back but moved differently "
                    "from [%d, %d]",
                    period, dx, dy);
            BAD("generation %lld is not generation %lld moved by [%d, %d]",
                after + period, after, dx, dy);
        }
        last = after + period;
    }
    if (growth) {
        if (!period)
            BAD("\"growth\"/\"emits\" need a \"period\"");
        uint64_t pop = grid_population(sim_grid(s));
        for (int k = 1; k <= 4; k++) {
            if (run_to(s, (uint64_t)(after + k * period), &err))
                BAD("step failed: %s", err.msg);
            uint64_t now = grid_population(sim_grid(s));
            if ((long long)(now - pop) != growth)
                BAD("population %llu at generation %lld, %llu one period "
                    "later: grew by %lld, expected %lld",
                    (unsigned long long)pop, after + (k - 1) * period,
                    (unsigned long long)now, (long long)(now - pop), growth);
            pop = now;
        }
        last = after + 4 * period;
    }
    long long dies = get_int(e, "dies_at", 0);
    if (dies) {
        if (run_to(s, (uint64_t)dies - 1, &err))
            BAD("step failed: %s", err.msg);
        if (grid_population(sim_grid(s)) == 0)
            BAD("already dead at generation %lld", dies - 1);
        if (sim_step(s, &err))
            BAD("step failed: %s", err.msg);
        if (grid_population(sim_grid(s)) != 0)
            BAD("still %llu cells alive at generation %lld",
                (unsigned long long)grid_population(sim_grid(s)), dies);
        last = dies > last ? dies : last;
    }
    const cJSON *contains = cJSON_GetObjectItemCaseSensitive(e, "contains");
    if (cJSON_IsString(contains)) {
        /* Some generation of one period of the object, from 'after', holds
         * it on its own. */
        static struct apg_object obj;
        if (apg_decode(contains->valuestring, &obj))
            BAD("\"contains\": cannot read the apgcode %s",
                contains->valuestring);
        int hit = 0, fx = 0, fy = 0;
        long long g = after;
        for (; g < after + obj.period && !hit; g++) {
            if (rewind_to(&s, p, (uint64_t)g, &err))
                BAD("step failed: %s", err.msg);
            if ((hit = apg_find(sim_grid(s), &obj, &fx, &fy)) < 0)
                BAD("out of memory");
        }
        if (!hit)
            BAD("no %s on its own in generations %lld to %lld",
                contains->valuestring, after, after + obj.period - 1);
        last = g - 1 > last ? g - 1 : last;
    }
    long long at = get_int(e, "at", -1);
    if (at >= 0) {
        if (rewind_to(&s, p, (uint64_t)at, &err))
            BAD("step failed: %s", err.msg);
        long long want = get_int(e, "population", -1);
        long long got = (long long)grid_population(sim_grid(s));
        if (got != want)
            BAD("population %lld at generation %lld, expected %lld", got, at,
                want);
        last = at > last ? at : last;
    }
    if (last == 0 && !still)
        BAD("\"expect\" checks nothing");

    /* Run from the start in the same universe, bgolly finds the same
     * population at the last generation checked. */
    if (bgolly) {
        struct sim *s0;
        if (make_sim(p, &s0, &err))
            BAD("%s", err.msg);
        long long want = -1;
        struct sim *sl;
        if (make_sim(p, &sl, &err) == 0) {
            if (run_to(sl, (uint64_t)(last ? last : 1), &err) == 0)
                want = (long long)grid_population(sim_grid(sl));
            sim_destroy(sl);
        }
        long long got = bgolly_population(bgolly, sim_grid(s0), &p->rule,
                                          (uint64_t)(last ? last : 1));
        sim_destroy(s0);
        if (got < 0)
            BAD("bgolly gave no population for generation %lld", last);
        if (got != want)
            BAD("population %lld at generation %lld, but bgolly says %lld",
                want, last, got);
        (*bgolly_checks)++;
    }
done:
    cJSON_Delete(doc);
    grid_destroy(ref);
    sim_destroy(s);
    pattern_destroy(p);
    return bad;
#undef BAD
}

static int test_every_pattern(void)
{
    DIR *d = opendir(GLIDER_PATTERNS_SRC);
    ASSERT(d != NULL);
    const char *only = getenv("GLIDER_PATTERN_ONLY");
    const char *bgolly = tu_bgolly();
    int checked = 0, failed = 0, bgolly_checks = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        char stem[256], path[PATH_MAX];
        snprintf(stem, sizeof stem, "%.*s", (int)(n - 5), de->d_name);
        if (only && strcmp(only, stem) != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", GLIDER_PATTERNS_SRC, de->d_name);
        failed += check_file(path, stem, bgolly, &bgolly_checks);
        checked++;
    }
    closedir(d);
    fprintf(stderr, "%d pattern files checked, %d failed; %d compared with "
            "bgolly%s\n",
            checked, failed, bgolly_checks,
            bgolly ? "" : " (bgolly is not installed)");
    if (!only)
        ASSERT_GE(checked, MIN_PATTERNS);
    ASSERT_EQ(failed, 0);
    return 0;
}

/* ---- The library's API --------------------------------------------------- */

static int test_dir(void)
{
    char dir[PATH_MAX], real[PATH_MAX];
    struct glider_error err = {0};
    ASSERT(realpath(GLIDER_PATTERNS_SRC, real) != NULL);
    /* From the build tree, without the variable: the source tree. */
    unsetenv("GLIDER_PATTERNS");
    ASSERT_OK(library_dir(dir, sizeof dir, &err), &err);
    ASSERT_STR_EQ(dir, real);
    /* The variable wins. */
    setenv("GLIDER_PATTERNS", "/tmp", 1);
    ASSERT_OK(library_dir(dir, sizeof dir, &err), &err);
    ASSERT(realpath("/tmp", real) != NULL);
    ASSERT_STR_EQ(dir, real);
    setenv("GLIDER_PATTERNS", "/nonexistent/glider", 1);
    ASSERT_EQ(library_dir(dir, sizeof dir, &err), GLIDER_ENOTFOUND);
    ASSERT_CONTAINS(err.msg, "GLIDER_PATTERNS=/nonexistent/glider is not a "
                             "directory");
    unsetenv("GLIDER_PATTERNS");
    ASSERT_EQ(library_dir(dir, 4, &err), GLIDER_ELIMIT);
    return 0;
}

static int test_load_by_name(void)
{
    static const char *const names[] = {
        "gosper-glider-gun", "Gosper_Glider_Gun", "GOSPER GLIDER GUN",
        "gosper-glider-gun.json"};
    struct glider_error err = {0};
    unsetenv("GLIDER_PATTERNS");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct pattern *p;
        ASSERT_OK(library_load(names[i], &p, &err), &err);
        ASSERT_STR_EQ(p->name, "Gosper glider gun");
        ASSERT_U64_EQ(grid_population(p->cells), 36);
        pattern_destroy(p);
    }
    struct pattern *p = NULL;
    ASSERT_EQ(library_load("gosper-glider-gnu", &p, &err), GLIDER_ENOTFOUND);
    ASSERT(p == NULL);
    ASSERT_CONTAINS(err.msg, "gosper-glider-gnu: no such file or library "
                             "pattern; did you mean 'gosper-glider-gun'?");
    ASSERT_EQ(library_load("pentadeca", &p, &err), GLIDER_ENOTFOUND);
    ASSERT_CONTAINS(err.msg, "did you mean 'pentadecathlon'?");
    ASSERT_EQ(library_load("zzzzzzzzzzzz", &p, &err), GLIDER_ENOTFOUND);
    ASSERT_CONTAINS(err.msg, "zzzzzzzzzzzz: no such file or library pattern "
                             "(see 'glider patterns' for the");
    /* A path is a path: no library lookup. */
    ASSERT_EQ(library_load("./gosper-glider-gun", &p, &err), GLIDER_EIO);
    ASSERT_CONTAINS(err.msg, "./gosper-glider-gun: cannot open");
    ASSERT_EQ(library_load("", &p, &err), GLIDER_EINVAL);
    /* A bare name the library knows wins over a file of that name in the
     * current directory (the build directory holds the program 'glider');
     * a name the library does not know is the file. */
    char cwd[PATH_MAX], dir[] = "/tmp/glider-lib-XXXXXX";
    ASSERT(getcwd(cwd, sizeof cwd) != NULL);
    ASSERT(mkdtemp(dir) != NULL);
    ASSERT(chdir(dir) == 0);
    FILE *f = fopen("glider", "w");
    ASSERT(f != NULL);
    fputs("not a pattern", f);
    fclose(f);
    f = fopen("mine", "w");
    ASSERT(f != NULL);
    fputs("!Name: mine\nOO\n", f);
    fclose(f);
    ASSERT_OK(library_load("glider", &p, &err), &err);
    ASSERT_STR_EQ(p->name, "Glider");
    pattern_destroy(p);
    ASSERT_OK(library_load("mine", &p, &err), &err);
    ASSERT_STR_EQ(p->name, "mine");
    pattern_destroy(p);
    ASSERT_EQ(library_load("./glider", &p, &err), GLIDER_EPARSE);
    unlink("glider");
    unlink("mine");
    ASSERT(chdir(cwd) == 0);
    rmdir(dir);
    /* Without a library, the name cannot be looked up. */
    setenv("GLIDER_PATTERNS", "/nonexistent/glider", 1);
    ASSERT_EQ(library_load("no-such-pattern", &p, &err), GLIDER_ENOTFOUND);
    ASSERT_CONTAINS(err.msg, "no-such-pattern: no such file, and no pattern "
                             "library");
    unsetenv("GLIDER_PATTERNS");
    return 0;
}

static int test_default(void)
{
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(library_load_default(&p, &err), &err);
    ASSERT_STR_EQ(p->name, "Gosper glider gun");
    ASSERT_U64_EQ(grid_population(p->cells), 36);
    /* It is the library's gun, in the same universe. */
    struct pattern *lib;
    ASSERT_OK(library_load("gosper-glider-gun", &lib, &err), &err);
    ASSERT(grid_equal(p->cells, lib->cells));
    ASSERT(p->bounds.present && lib->bounds.present);
    ASSERT_EQ(p->bounds.width, lib->bounds.width);
    ASSERT_EQ(p->bounds.height, lib->bounds.height);
    ASSERT_EQ(p->bounds.topo, lib->bounds.topo);
    ASSERT_EQ(p->origin_x, lib->origin_x);
    ASSERT_EQ(p->origin_y, lib->origin_y);
    pattern_destroy(lib);
    /* Alive for ever: long after the first gliders reached the edge it is
     * still a gun with a stream of gliders.  It repeats every 60
     * generations and not before: each glider that hits the edge leaves a
     * spark there that the next one clears away. */
    struct sim *s;
    ASSERT_OK(make_sim(p, &s, &err), &err);
    ASSERT_OK(sim_run(s, 3000, &err), &err);
    struct grid *ref = copy_grid(sim_grid(s));
    ASSERT(ref != NULL);
    ASSERT_GT(grid_population(ref), 36 + 10 * 5);
    for (int q = 1; q < 60; q++) {
        ASSERT_OK(sim_step(s, &err), &err);
        ASSERT(!moved_by(ref, sim_grid(s), 0, 0));
    }
    ASSERT_OK(sim_step(s, &err), &err);
    ASSERT(moved_by(ref, sim_grid(s), 0, 0));
    grid_destroy(ref);
    sim_destroy(s);
    pattern_destroy(p);
    return 0;
}

static int test_list(void)
{
    struct library_entry *e;
    int n;
    struct glider_error err = {0};
    unsetenv("GLIDER_PATTERNS");
    ASSERT_OK(library_list(&e, &n, &err), &err);
    ASSERT_GE(n, MIN_PATTERNS);
    int found = 0;
    for (int i = 0; i < n; i++) {
        if (e[i].error)
            FAILF("%s: %s", e[i].stem, e[i].error);
        ASSERT(e[i].name && e[i].description);
        if (i)
            ASSERT_LT(strcasecmp(e[i - 1].stem, e[i].stem), 0);
        if (strcmp(e[i].stem, "glider") == 0) {
            found = 1;
            ASSERT_EQ(e[i].population, 5);
            ASSERT_STR_EQ(e[i].rule, "B3/S23");
        }
    }
    ASSERT(found);
    library_list_free(e, n);

    /* A broken file is listed with its error, not dropped. */
    char dir[] = "/tmp/glider-lib-XXXXXX";
    ASSERT(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/b.json", dir);
    FILE *f = fopen(path, "w");
    ASSERT(f != NULL);
    fputs("{\"rows\": [\"O\"],}", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/a.cells", dir);
    f = fopen(path, "w");
    ASSERT(f != NULL);
    fputs("!Name: dot\nO\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    f = fopen(path, "w");
    ASSERT(f != NULL);
    fclose(f);
    /* Two files of one stem: the bare name loads the JSON one, listed as
     * "c"; the other is listed by its file name, which loads it. */
    static const char *const twins[] = {"c.json", "c.rle"};
    static const char *const twin_text[] = {"{\"rows\": [\"OO\"]}", "x = 1, y = 1\no!\n"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, twins[i]);
        f = fopen(path, "w");
        ASSERT(f != NULL);
        fputs(twin_text[i], f);
        fclose(f);
    }
    setenv("GLIDER_PATTERNS", dir, 1);
    ASSERT_OK(library_list(&e, &n, &err), &err);
    ASSERT_EQ(n, 4);
    ASSERT_STR_EQ(e[0].stem, "a");
    ASSERT(e[0].error == NULL);
    ASSERT_STR_EQ(e[1].stem, "b");
    ASSERT_CONTAINS(e[1].error, "b.json:1:16: expected '\"' (the next key)");
    ASSERT_STR_EQ(e[2].stem, "c");
    ASSERT_EQ(e[2].population, 2);
    ASSERT_STR_EQ(e[3].stem, "c.rle");
    ASSERT_EQ(e[3].population, 1);
    for (int i = 2; i < 4; i++) {
        struct pattern *p;
        ASSERT_OK(library_load(e[i].stem, &p, &err), &err);
        ASSERT_EQ((int)pattern_population(p), e[i].population);
        pattern_destroy(p);
    }
    library_list_free(e, n);
    /* A gzipped file is listed by its stem under the .gz ("d" for
     * d.rle.gz), which loads it, as does "d.rle". */
    snprintf(path, sizeof path, "%s/d.rle.gz", dir);
    gzFile gz = gzopen(path, "wb");
    ASSERT(gz);
    ASSERT_EQ(gzputs(gz, "x = 3, y = 1\n3o!\n"), 17);
    ASSERT_EQ(gzclose(gz), Z_OK);
    ASSERT_OK(library_list(&e, &n, &err), &err);
    ASSERT_EQ(n, 5);
    ASSERT_STR_EQ(e[4].stem, "d");
    ASSERT_EQ(e[4].population, 3);
    static const char *const names[] = {"d", "d.rle", "d.rle.gz"};
    for (int i = 0; i < 3; i++) {
        struct pattern *p;
        ASSERT_OK(library_load(names[i], &p, &err), &err);
        ASSERT_U64_EQ(pattern_population(p), 3);
        pattern_destroy(p);
    }
    library_list_free(e, n);
    unlink(path);
    unsetenv("GLIDER_PATTERNS");
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, twins[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/a.cells", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/b.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

/* ---- apgcodes ------------------------------------------------------------ */

static int test_apgcode(void)
{
    static struct apg_object o;
    /* A block, a blinker, a glider: shapes and kinds from the code alone. */
    ASSERT_EQ(apg_decode("xs4_33", &o), 0);
    ASSERT_EQ(o.kind, 's');
    ASSERT_EQ(o.period, 1);
    ASSERT_EQ(o.n, 4);
    ASSERT_EQ(apg_decode("xp2_7", &o), 0);
    ASSERT_EQ(o.period, 2);
    ASSERT_EQ(o.n, 3);
    ASSERT(o.x[0] == 0 && o.x[1] == 0 && o.x[2] == 0 && o.y[2] == 2);
    ASSERT_EQ(apg_decode("xq4_153", &o), 0);
    ASSERT_EQ(o.kind, 'q');
    ASSERT_EQ(o.n, 5);
    /* Escapes: 'w' two empty columns, 'y0' four, 'z' the next strip. */
    ASSERT_EQ(apg_decode("xs3_1w1", &o), -1); /* "xs" + its population */
    ASSERT_EQ(apg_decode("xp1_1w1", &o), 0);
    ASSERT(o.n == 2 && o.x[1] == 3);
    ASSERT_EQ(apg_decode("xp1_1y01z1", &o), 0);
    ASSERT(o.n == 3 && o.x[1] == 5 && o.x[2] == 0 && o.y[2] == 5);
    static const char *const bad[] = {"", "x", "xs", "xs4", "xs4_", "ys4_33",
                                      "xk4_33", "xs5_33", "xp2_7A", "xp2_y",
                                      "xp_7"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ASSERT_EQ(apg_decode(bad[i], &o), -1);

    /* A glider turned on its side and mirrored is found where it is, and
     * not once another cell comes within two cells of it. */
    static const char *const rows[] = {".O.", "O..", "OOO"};
    struct grid *g = tu_grid_from_rows(20, 12, TOPO_PLANE, 7, 4, rows, 3);
    ASSERT(g != NULL);
    grid_set(g, 15, 10, 1); /* far away */
    ASSERT_EQ(apg_decode("xq4_153", &o), 0);
    int x = -1, y = -1;
    ASSERT_EQ(apg_find(g, &o, &x, &y), 1);
    ASSERT(x == 7 && y == 4);
    grid_set(g, 11, 6, 1); /* two cells right of (9, 6) */
    ASSERT_EQ(apg_find(g, &o, &x, &y), 0);
    grid_set(g, 11, 6, 0);
    ASSERT_EQ(apg_find(g, &o, &x, &y), 1);
    grid_set(g, 8, 4, 0); /* no longer a glider */
    ASSERT_EQ(apg_find(g, &o, &x, &y), 0);
    grid_destroy(g);
    return 0;
}

static const struct test_case tests[] = {
    {"apgcode", test_apgcode},
    {"dir", test_dir},
    {"load_by_name", test_load_by_name},
    {"default", test_default},
    {"list", test_list},
    {"every_pattern", test_every_pattern},
};

TEST_MAIN(tests)
