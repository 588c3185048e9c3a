/* test_kernel.c - every band kernel against the per-cell reference.
 *
 * Soups on many sizes (widths around the word and vector boundaries, heights
 * 1, 2, 3 where a torus row is its own neighbour, and tall ones crossing the
 * kernels' row blocks), many rules (B0 rules included), both topologies,
 * several generations; then band splits, rows outside a band left alone, bits
 * past the width kept zero, and the table and selection.  A kernel this CPU
 * cannot run is reported on a SKIP line and left out. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../engine/grid.h"
#include "../engine/kernel.h"
#include "../engine/kernel_impl.h"
#include "../engine/rule.h"
#include "test.h"
#include "test_util.h"

/* ---- helpers ---- */

/* The kernels under test: every supported one but the reference, and the
 * copy of "avx512" that CPUs without VBMI2 run. */
static const struct kernel *fast[8];
static int nfast = -1;

static int avx512f_supported(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

static const struct kernel avx512f_copy = {
    "avx512 without VBMI2", "kernel_avx512f_band", kernel_avx512f_band,
    avx512f_supported};

static void find_kernels(void)
{
    if (nfast >= 0)
        return;
    nfast = 0;
    for (int i = 0; kernel_at(i); i++) {
        const struct kernel *k = kernel_at(i);
        if (strcmp(k->name, "reference") == 0)
            continue;
        if (!k->supported()) {
            printf("SKIP kernel %s: not supported by this CPU\n", k->name);
            continue;
        }
        if (nfast < 8)
            fast[nfast++] = k;
    }
    if (avx512f_supported())
        fast[nfast++] = &avx512f_copy;
    else
        printf("SKIP kernel %s: not supported by this CPU\n", avx512f_copy.name);
}

static const char *const named_rules[] = {
    "B3/S23",             /* Life: the kernels' hand-made path */
    "B36/S23",            /* HighLife */
    "B3678/S34678",       /* Day & Night */
    "B2/S",               /* Seeds */
    "B0123478/S01234678", /* B0, the inverse of Life-like AntiLife */
    "B0/S8",
    "B1357/S1357", /* Replicator */
    "B012345678/S012345678",
    "B/S",
    "B8/S0",
};
#define NNAMED (int)(sizeof named_rules / sizeof named_rules[0])
#define NRANDOM 6
#define NRULES (NNAMED + NRANDOM)

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* Rule i: the named ones, then random masks (fixed seed). */
static int get_rule(int i, struct rule *r)
{
    if (i < NNAMED) {
        struct glider_error err = {0};
        if (rule_parse(named_rules[i], r, &err)) {
            fprintf(stderr, "rule %s: %s\n", named_rules[i], err.msg);
            return -1;
        }
        return 0;
    }
    uint64_t s = 0x5eed0000u + (uint64_t)i;
    r->birth = (uint16_t)(lcg(&s) & 0x1ff);
    r->survive = (uint16_t)(lcg(&s) & 0x1ff);
    return 0;
}

static const char *rule_text(const struct rule *r, char *buf)
{
    return rule_format(r, buf, RULE_TEXT_MAX);
}

static struct grid *make(int w, int h, enum topology t)
{
    struct grid *g = NULL;
    struct glider_error err = {0};
    if (grid_create(&g, w, h, t, &err))
        fprintf(stderr, "grid_create %dx%d: %s\n", w, h, err.msg);
    return g;
}

/* Steps a soup 'gens' times with the reference; after every generation each
 * fast kernel must give the same grid.  Returns 0 or 1 (after a message). */
static int compare_soup(int w, int h, enum topology topo, const struct rule *r,
                        double density, uint64_t seed, int gens)
{
    int rc = 1;
    struct grid *cur = make(w, h, topo), *want = make(w, h, topo),
                *got = make(w, h, topo);
    if (!cur || !want || !got)
        goto out;
    grid_fill_soup(cur, density, seed);
    for (int g = 0; g < gens; g++) {
        kernel_reference_band(cur, want, r, 0, h);
        for (int i = 0; i < nfast; i++) {
            grid_clear(got);
            fast[i]->band(cur, got, r, 0, h);
            if (!grid_equal(want, got) || !tu_tail_clean(got)) {
                char rb[RULE_TEXT_MAX];
                fprintf(stderr,
                        "kernel %s differs from the reference: %dx%d %s, rule "
                        "%s, density %.2f, seed %llu, generation %d\n",
                        fast[i]->name, w, h, topology_name(topo),
                        rule_text(r, rb), density, (unsigned long long)seed,
                        g + 1);
                tu_report_diff(want, got);
                goto out;
            }
        }
        struct grid *t = cur;
        cur = want;
        want = t;
    }
    rc = 0;
out:
    grid_destroy(cur);
    grid_destroy(want);
    grid_destroy(got);
    return rc;
}

/* ---- soups ---- */

static const int widths[] = {1, 2, 63, 64, 65, 127, 128, 511, 512, 513, 1000, 4097};
#define NWIDTHS (int)(sizeof widths / sizeof widths[0])

/* Every width with heights 1, 2 and 3, every rule, both topologies. */
static int test_small_heights(void)
{
    find_kernels();
    if (nfast == 0)
        SKIP("no fast kernel runs on this CPU");
    for (int wi = 0; wi < NWIDTHS; wi++)
        for (int h = 1; h <= 3; h++)
            for (int ri = 0; ri < NRULES; ri++) {
                struct rule r;
                ASSERT_EQ(get_rule(ri, &r), 0);
                for (int t = 0; t < 2; t++)
                    if (compare_soup(widths[wi], h, t ? TOPO_PLANE : TOPO_TORUS,
                                     &r, 0.45, 1000u + (uint64_t)(wi * 7 + h),
                                     4))
                        return 1;
            }
    return 0;
}

/* Taller universes: across the kernels' row blocks, and up to 1000 rows. */
static int test_tall(void)
{
    static const int sizes[][2] = {
        {1, 1000}, {2, 1000}, {63, 1000}, {65, 1000}, {64, 70},  {127, 130},
        {128, 200}, {511, 65}, {513, 67},  {1000, 65}, {4097, 9}, {512, 129},
        /* whole vectors: on a torus the edge strips take the wrapped words
         * as they take any neighbour word (strips of 1, 2 and 2+1 vectors) */
        {1024, 20}, {1536, 20}, {2048, 20},
    };
    find_kernels();
    if (nfast == 0)
        SKIP("no fast kernel runs on this CPU");
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int ri = 0; ri < NRULES; ri++) {
            struct rule r;
            ASSERT_EQ(get_rule(ri, &r), 0);
            for (int t = 0; t < 2; t++)
                if (compare_soup(sizes[si][0], sizes[si][1],
                                 t ? TOPO_PLANE : TOPO_TORUS, &r, 0.35,
                                 77u + si * 31u + (uint64_t)ri, 3))
                    return 1;
        }
    return 0;
}

/* Densities from sparse to full, Life and a B0 rule, odd sizes. */
static int test_densities(void)
{
    static const double dens[] = {0.0, 0.05, 0.5, 0.9, 1.0};
    static const char *const rules[] = {"B3/S23", "B0123478/S01234678", "B36/S125"};
    find_kernels();
    if (nfast == 0)
        SKIP("no fast kernel runs on this CPU");
    for (size_t d = 0; d < sizeof dens / sizeof dens[0]; d++)
        for (size_t ri = 0; ri < sizeof rules / sizeof rules[0]; ri++) {
            struct rule r;
            struct glider_error err = {0};
            ASSERT_OK(rule_parse(rules[ri], &r, &err), &err);
            for (int t = 0; t < 2; t++) {
                enum topology topo = t ? TOPO_PLANE : TOPO_TORUS;
                if (compare_soup(577, 130, topo, &r, dens[d], 5u + d, 5) ||
                    compare_soup(64, 64, topo, &r, dens[d], 9u + d, 5) ||
                    compare_soup(3, 5, topo, &r, dens[d], 11u + d, 5))
                    return 1;
            }
        }
    return 0;
}

/* The widest universe the grid allows (1024 words a row), a few rows. */
static int test_max_width(void)
{
    find_kernels();
    if (nfast == 0)
        SKIP("no fast kernel runs on this CPU");
    struct rule life = RULE_LIFE, b0 = {.birth = 0x1bf, .survive = 0x1df};
    for (int t = 0; t < 2; t++) {
        enum topology topo = t ? TOPO_PLANE : TOPO_TORUS;
        if (compare_soup(GRID_MAX_DIM, 3, topo, &life, 0.4, 3, 2) ||
            compare_soup(GRID_MAX_DIM - 1, 2, topo, &b0, 0.4, 4, 2))
            return 1;
    }
    return 0;
}

/* A lone glider must cross every edge of a small torus and come back. */
static int test_glider_wraps(void)
{
    static const char *const glider[] = {".O.", "..O", "OOO"};
    static const int sizes[][2] = {{6, 6}, {65, 7}, {64, 6}, {513, 6}, {130, 9}};
    find_kernels();
    if (nfast == 0)
        SKIP("no fast kernel runs on this CPU");
    struct rule life = RULE_LIFE;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int i = 0; i < nfast; i++) {
            int w = sizes[si][0], h = sizes[si][1];
            struct grid *g = tu_grid_from_rows(w, h, TOPO_TORUS, w - 2, h - 2,
                                               glider, 3);
            struct grid *start = make(w, h, TOPO_TORUS), *n = make(w, h, TOPO_TORUS);
            ASSERT(g && start && n);
            ASSERT_OK(grid_copy(start, g), &(struct glider_error){0});
            /* The glider moves one cell diagonally every 4 generations: after
             * 4 * lcm(w, h) it is back where it started. */
            int a = w, b = h;
            while (b) {
                int t = a % b;
                a = b;
                b = t;
            }
            long period = 4L * (w / a) * h;
            for (long gen = 0; gen < period; gen++) {
                fast[i]->band(g, n, &life, 0, h);
                struct grid *t = g;
                g = n;
                n = t;
                if (grid_population(g) != 5)
                    FAILF("kernel %s: %dx%d glider has %llu cells at generation %ld",
                          fast[i]->name, w, h,
                          (unsigned long long)grid_population(g), gen + 1);
            }
            if (!grid_equal(g, start)) {
                tu_report_diff(start, g);
                FAILF("kernel %s: glider did not come back on %dx%d", fast[i]->name,
                      w, h);
            }
            grid_destroy(g);
            grid_destroy(n);
            grid_destroy(start);
        }
    return 0;
}

/* ---- bands ---- */

/* Computing [0, k) and [k, h) separately, in either order, equals the whole;
 * so do bands of one row taken bottom to top, and three uneven bands. */
static int test_band_splits(void)
{
    static const int sizes[][2] = {{65, 150}, {513, 200}, {1000, 3}, {64, 2},
                                   {7, 1},    {128, 131}};
    static const char *const rules[] = {"B3/S23", "B36/S23", "B0/S8"};
    find_kernels();
    if (nfast == 0)
        SKIP("no fast kernel runs on this CPU");
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (size_t ri = 0; ri < sizeof rules / sizeof rules[0]; ri++)
            for (int t = 0; t < 2; t++)
                for (int i = 0; i < nfast; i++) {
                    int w = sizes[si][0], h = sizes[si][1];
                    enum topology topo = t ? TOPO_PLANE : TOPO_TORUS;
                    struct rule r;
                    struct glider_error err = {0};
                    ASSERT_OK(rule_parse(rules[ri], &r, &err), &err);
                    struct grid *cur = make(w, h, topo), *whole = make(w, h, topo),
                                *part = make(w, h, topo);
                    ASSERT(cur && whole && part);
                    grid_fill_soup(cur, 0.4, 42u + si);
                    fast[i]->band(cur, whole, &r, 0, h);
                    int cuts[] = {0, 1, h / 2, h - 1, h, 63, 64, 65, 129};
                    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
                        int k = cuts[c];
                        if (k < 0 || k > h)
                            continue;
                        grid_fill_soup(part, 0.5, 7); /* stale contents */
                        fast[i]->band(cur, part, &r, k, h);
                        fast[i]->band(cur, part, &r, 0, k);
                        if (!grid_equal(whole, part)) {
                            tu_report_diff(whole, part);
                            FAILF("kernel %s: split at %d of %dx%d %s (%s) differs",
                                  fast[i]->name, k, w, h, topology_name(topo),
                                  rules[ri]);
                        }
                    }
                    grid_fill_soup(part, 0.5, 8);
                    for (int y = h - 1; y >= 0; y--)
                        fast[i]->band(cur, part, &r, y, y + 1);
                    if (!grid_equal(whole, part))
                        FAILF("kernel %s: one-row bands of %dx%d %s differ",
                              fast[i]->name, w, h, topology_name(topo));
                    grid_fill_soup(part, 0.5, 9);
                    int a = h / 3, b = h - h / 4;
                    fast[i]->band(cur, part, &r, a, b);
                    fast[i]->band(cur, part, &r, b, h);
                    fast[i]->band(cur, part, &r, 0, a);
                    if (!grid_equal(whole, part))
                        FAILF("kernel %s: three bands of %dx%d %s differ",
                              fast[i]->name, w, h, topology_name(topo));
                    grid_destroy(cur);
                    grid_destroy(whole);
                    grid_destroy(part);
                }
    return 0;
}

/* A band writes its rows and nothing else. */
static int test_band_writes_only_its_rows(void)
{
    find_kernels();
    if (nfast == 0)
        SKIP("no fast kernel runs on this CPU");
    struct rule all = {.birth = 0x1ff, .survive = 0x1ff}; /* everything lives */
    for (int i = 0; i < nfast; i++)
        for (int t = 0; t < 2; t++) {
            enum topology topo = t ? TOPO_PLANE : TOPO_TORUS;
            int w = 515, h = 140, y0 = 3, y1 = 131;
            struct grid *cur = make(w, h, topo), *next = make(w, h, topo),
                        *before = make(w, h, topo);
            ASSERT(cur && next && before);
            grid_fill_soup(cur, 0.3, 1);
            grid_fill_soup(next, 0.3, 2);
            ASSERT_OK(grid_copy(before, next), &(struct glider_error){0});
            fast[i]->band(cur, next, &all, y0, y1);
            for (int y = 0; y < h; y++) {
                const uint64_t *a = grid_row(next, y), *b = grid_row(before, y);
                int inside = y >= y0 && y < y1;
                if (!inside && memcmp(a, b, next->stride * 8) != 0)
                    FAILF("kernel %s wrote row %d outside its band [%d, %d)",
                          fast[i]->name, y, y0, y1);
                if (inside)
                    for (int x = 0; x < w; x++)
                        if (!grid_get(next, x, y))
                            FAILF("kernel %s: cell (%d, %d) not computed",
                                  fast[i]->name, x, y);
            }
            ASSERT(tu_tail_clean(next));
            grid_destroy(cur);
            grid_destroy(next);
            grid_destroy(before);
        }
    return 0;
}

/* B0 rules switch on whole rows, bits past the width included, unless the
 * kernel masks them: they must stay zero at every width. */
static int test_tail_bits_stay_zero(void)
{
    find_kernels();
    if (nfast == 0)
        SKIP("no fast kernel runs on this CPU");
    struct rule rules[] = {{.birth = 0x1ff, .survive = 0x1ff},
                           {.birth = 0x001, .survive = 0x000},
                           {.birth = 0x0fb, .survive = 0x1df}};
    for (int i = 0; i < nfast; i++)
        for (int wi = 0; wi < NWIDTHS; wi++)
            for (size_t ri = 0; ri < sizeof rules / sizeof rules[0]; ri++)
                for (int t = 0; t < 2; t++) {
                    int w = widths[wi], h = 5;
                    enum topology topo = t ? TOPO_PLANE : TOPO_TORUS;
                    struct grid *a = make(w, h, topo), *b = make(w, h, topo);
                    ASSERT(a && b);
                    grid_fill_soup(a, 0.2, 3);
                    for (int g = 0; g < 3; g++) {
                        fast[i]->band(a, b, &rules[ri], 0, h);
                        if (!tu_tail_clean(b))
                            FAILF("kernel %s: width %d %s rule %zu", fast[i]->name,
                                  w, topology_name(topo), ri);
                        struct grid *x = a;
                        a = b;
                        b = x;
                    }
                    if (ri == 0)
                        ASSERT_U64_EQ(grid_population(a), (uint64_t)w * (uint64_t)h);
                    grid_destroy(a);
                    grid_destroy(b);
                }
    return 0;
}

/* ---- the table ---- */

static int test_table_and_selection(void)
{
    struct glider_error err = {0};
    static const char *const names[] = {"reference", "scalar", "avx2", "avx512"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct kernel *k = kernel_find(names[i]);
        ASSERT(k != NULL);
        ASSERT_STR_EQ(k->name, names[i]);
        ASSERT(k->summary && *k->summary);
    }
    ASSERT(kernel_find("scalar")->supported());
    ASSERT(kernel_find("nope") == NULL);
    ASSERT_EQ(kernel_select("nope", &err), GLIDER_EINVAL);
    ASSERT_CONTAINS(err.msg, "avx512");
    /* "auto" takes the first supported entry: the fastest this CPU runs. */
    ASSERT_OK(kernel_select("auto", &err), &err);
    const struct kernel *first = NULL;
    for (int i = 0; kernel_at(i) && !first; i++)
        if (kernel_at(i)->supported())
            first = kernel_at(i);
    ASSERT(first == kernel_active());
    ASSERT(strcmp(kernel_active()->name, "reference") != 0);
    for (int i = 0; kernel_at(i); i++) {
        const struct kernel *k = kernel_at(i);
        if (k->supported()) {
            ASSERT_OK(kernel_select(k->name, &err), &err);
            ASSERT(kernel_active() == k);
        } else {
            printf("SKIP kernel %s: not supported by this CPU\n", k->name);
            ASSERT_EQ(kernel_select(k->name, &err), GLIDER_EUNSUPPORTED);
            ASSERT_CONTAINS(err.msg, k->name);
        }
    }
    /* kernel_step uses the active kernel. */
    struct grid *a = make(100, 40, TOPO_TORUS), *b = make(100, 40, TOPO_TORUS),
                *c = make(100, 40, TOPO_TORUS);
    ASSERT(a && b && c);
    grid_fill_soup(a, 0.5, 5);
    struct rule life = RULE_LIFE;
    ASSERT_OK(kernel_select("auto", &err), &err);
    kernel_step(a, b, &life);
    kernel_reference_band(a, c, &life, 0, 40);
    ASSERT(grid_equal(b, c));
    grid_destroy(a);
    grid_destroy(b);
    grid_destroy(c);
    return 0;
}

/* The rules with circuits of their own are recognised (the equivalence
 * tests above check the circuits; this checks they are the ones used). */
static int test_rule_kinds(void)
{
    static const struct {
        const char *rule;
        enum kernel_rule_kind kind;
    } cases[] = {
        {"B3/S23", KERNEL_RULE_LIFE},       {"23/3", KERNEL_RULE_LIFE},
        {"B36/S23", KERNEL_RULE_HIGHLIFE},  {"B3678/S34678", KERNEL_RULE_DAYNIGHT},
        {"B2/S", KERNEL_RULE_SEEDS},        {"B3/S234", KERNEL_RULE_GENERIC},
        {"B0/S8", KERNEL_RULE_GENERIC},     {"B/S", KERNEL_RULE_GENERIC},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rule r;
        struct kernel_plan p;
        struct glider_error err = {0};
        ASSERT_OK(rule_parse(cases[i].rule, &r, &err), &err);
        kernel_plan_init(&p, &r);
        if (p.kind != cases[i].kind)
            FAILF("rule %s: kind %d, want %d", cases[i].rule, (int)p.kind,
                  (int)cases[i].kind);
    }
    /* Only the low nine bits of each mask count. */
    struct rule life_hi = {.birth = 0x8 | 0xfe00, .survive = 0xc | 0x200};
    struct kernel_plan p;
    kernel_plan_init(&p, &life_hi);
    ASSERT_EQ(p.kind, KERNEL_RULE_LIFE);
    return 0;
}

static const struct test_case tests[] = {
    {"rule_kinds", test_rule_kinds},
    {"table_and_selection", test_table_and_selection},
    {"small_heights", test_small_heights},
    {"tall", test_tall},
    {"densities", test_densities},
    {"max_width", test_max_width},
    {"glider_wraps", test_glider_wraps},
    {"band_splits", test_band_splits},
    {"band_writes_only_its_rows", test_band_writes_only_its_rows},
    {"tail_bits_stay_zero", test_tail_bits_stay_zero},
};

TEST_MAIN(tests)
