/* test_macrocell.c - Golly's macrocell format (engine/macrocell.c) and
 * gzip-compressed pattern files (engine/gunzip.c): cells in the right
 * places for both kinds of leaf, located errors for malformed files, huge
 * sparse patterns refused before any cell is allocated, and .rle.gz /
 * .mc.gz files read through pattern_load.  bgolly's reading of Golly's own
 * .mc samples is compared in test_golly.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../engine/macrocell.h"
#include "../engine/pattern.h"
#include "../engine/rle.h"
#include "test.h"
#include "test_util.h"

static struct pattern *parse(const char *text)
{
    return tu_parse(macrocell_parse, text, "t.mc");
}

/* 0 when 'p' has exactly the cells of the RLE body 'rle' (same box). */
static int same_as_rle(const struct pattern *p, const char *rle)
{
    struct pattern *q = tu_parse(rle_parse, rle, "want.rle");
    ASSERT(q);
    ASSERT_EQ(p->width, q->width);
    ASSERT_EQ(p->height, q->height);
    int rc = tu_same_cells(p, q);
    pattern_destroy(q);
    return rc;
}

/* A glider in the north-west 8x8 leaf of a 16x16 node: the pattern is its
 * 3x3 box; the rule and comments are kept, #G is not. */
static int test_glider(void)
{
    struct pattern *p = parse("[M2] (golly 3.3)\n"
                              "#R B36/S23\n"
                              "#G 0\n"
                              "#C a glider\n"
                              ".*$..*$***$\n"
                              "4 1 0 0 0\n");
    ASSERT(p);
    char buf[RULE_TEXT_MAX];
    ASSERT_STR_EQ(rule_format(&p->rule, buf, sizeof buf), "B36/S23");
    ASSERT_EQ(p->ncomments, 1);
    ASSERT_STR_EQ(p->comments[0], "a glider");
    ASSERT_U64_EQ(pattern_population(p), 5);
    if (same_as_rle(p, "x = 3, y = 3\nbo$2bo$3o!\n"))
        return 1;
    pattern_destroy(p);
    return 0;
}

/* Leaves in different quadrants, two levels up: the distances between them
 * are what the quadtree says. */
static int test_quadrants(void)
{
    struct pattern *p = parse("[M2]\n"
                              "*$\n"                /* 1: a cell at (0, 0) */
                              "$$$$$$$.......*$\n"  /* 2: a cell at (7, 7) */
                              "4 0 1 0 0\n"         /* 3: (8, 0) in 16x16 */
                              "4 0 0 0 2\n"         /* 4: (15, 15) */
                              "5 3 0 0 4\n");       /* 5: (8, 0), (31, 31) */
    ASSERT(p);
    ASSERT_EQ(p->width, 24);
    ASSERT_EQ(p->height, 32);
    ASSERT_U64_EQ(pattern_population(p), 2);
    ASSERT_EQ(pattern_get(p, 0, 0), 1);
    ASSERT_EQ(pattern_get(p, 23, 31), 1);
    pattern_destroy(p);
    return 0;
}

/* A multi-state file's leaves: "1 nw ne sw se", four cell states. */
static int test_two_by_two_leaves(void)
{
    struct pattern *p = parse("[M2]\n"
                              "1 0 1 0 0\n"  /* 1: (1, 0) */
                              "1 1 1 1 1\n"  /* 2: full */
                              "2 1 0 0 2\n"  /* 3: 4x4 */
                              "3 0 3 0 0\n"); /* 4: 8x8, node 3 at (4, 0) */
    ASSERT(p);
    ASSERT_U64_EQ(pattern_population(p), 5);
    if (same_as_rle(p, "x = 3, y = 4\no2$b2o$b2o!\n"))
        return 1;
    pattern_destroy(p);
    return 0;
}

/* An empty file (no node) and an empty root are empty patterns. */
static int test_empty(void)
{
    static const char *const texts[] = {"[M2]\n", "[M2]\n$$\n4 1 0 0 0\n"};
    for (int i = 0; i < 2; i++) {
        struct pattern *p = parse(texts[i]);
        ASSERT(p);
        ASSERT_U64_EQ(pattern_population(p), 0);
        pattern_destroy(p);
    }
    return 0;
}

static int test_errors(void)
{
    static const struct {
        const char *text;
        int code;
        const char *want;
    } cases[] = {
        {"x = 3, y = 3\n3o!\n", GLIDER_EPARSE,
         "t.mc:1:1: expected the macrocell header '[M2]' on the first line"},
        {"[M2]\n4 2 0 0 0\n", GLIDER_EPARSE,
         "t.mc:2:3: node 1 refers to node 2, which is not defined before it"},
        {"[M2]\n*$\n5 0 1 0 0\n", GLIDER_EPARSE,
         "t.mc:3:5: node 2 (level 5) has node 1 (level 3) as a child: expected level 4"},
        {"[M2]\n  4 0 x 0 0\n", GLIDER_EPARSE, "t.mc:2:7: expected a node number"},
        {"[M2]\n.........*$\n", GLIDER_EPARSE,
         "t.mc:2:9: a leaf is 8x8 cells: this one reaches column 9 of row 1"},
        {"[M2]\n$$$$$$$$*\n", GLIDER_EPARSE,
         "t.mc:2:9: a leaf is 8x8 cells: this one reaches column 1 of row 9"},
        {"[M2]\n.x$\n", GLIDER_EPARSE, "t.mc:2:2: unexpected 'x' in a leaf"},
        {"[M2]\n1 0 2 0 0\n", GLIDER_EUNSUPPORTED,
         "t.mc:2:5: cell state 2: Glider's rules have two states"},
        {"[M2]\n63 0 0 0 0\n", GLIDER_ELIMIT, "t.mc:2:1: a node's level must be 1..62"},
        {"[M2]\n0 0 0 0 0\n", GLIDER_ELIMIT, "t.mc:2:1: a node's level must be 1..62"},
        {"[M2]\n4 0 0 0\n", GLIDER_EPARSE, "t.mc:2:8: expected a node number"},
        {"[M2]\n4 0 0 0 0 0\n", GLIDER_EPARSE,
         "t.mc:2:11: expected the end of the line after a node's four children"},
        {"[M2]\n4 0 x 0 0\n", GLIDER_EPARSE, "t.mc:2:5: expected a node number"},
        {"[M2]\n#R B9\n", GLIDER_EPARSE, "t.mc:2:4: rule 'B9'"},
        {"[M2]\n#R B3/S23:K10,10\n", GLIDER_EUNSUPPORTED, "Klein bottle"},
        /* The glider's cells are at rows -7..-5 of Golly's coordinates
         * (its HashLife counts rows upwards); a 20x10 torus has rows
         * -5..4, columns -10..9. */
        {"[M2]\n#R B3/S23:T20,10\n.*$..*$***$\n4 1 0 0 0\n", GLIDER_EPARSE,
         "t.mc: live cells at columns -8..-6, rows -7..-5 (Golly's coordinates) "
         "are outside the 20x10 torus its rule declares"},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pattern *p = NULL;
        struct glider_error err = {0};
        int rc = macrocell_parse(cases[i].text, strlen(cases[i].text), "t.mc", &p,
                                 &err);
        if (rc != cases[i].code || !strstr(err.msg, cases[i].want) || p) {
            fprintf(stderr, "case %zu: rc %d (want %d), '%s', want '%s'\n", i, rc,
                    cases[i].code, err.msg, cases[i].want);
            failed = 1;
        }
        pattern_destroy(p);
    }
    ASSERT_EQ(failed, 0);
    return 0;
}

/* Two cells at opposite corners of a node of 2^41 cells a side: a few
 * dozen lines, a box far over Glider's limit, refused without allocating. */
static int test_huge_box(void)
{
    char *text = malloc(65536);
    ASSERT(text);
    size_t n = (size_t)snprintf(text, 65536, "[M2]\n*$\n$$$$$$$.......*$\n");
    int nw = 1, se = 2, next = 3;
    for (int level = 4; level <= 40; level++) {
        n += (size_t)snprintf(text + n, 65536 - n, "%d %d 0 0 0\n%d 0 0 0 %d\n",
                              level, nw, level, se);
        nw = next++;
        se = next++;
    }
    n += (size_t)snprintf(text + n, 65536 - n, "41 %d 0 0 %d\n", nw, se);
    struct pattern *p = NULL;
    struct glider_error err = {0};
    ASSERT_EQ(macrocell_parse(text, n, "huge.mc", &p, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "huge.mc: the pattern is 2199023255552x2199023255552 "
                             "cells, over Glider's limit");
    /* A checkerboard leaf repeated up to a 65536x65536 square: it fits a
     * universe, but it is 2^31 runs to add - refused as an RLE file of that
     * many runs would be (by its size). */
    n = (size_t)snprintf(text, 65536, "[M2]\n");
    for (int y = 0; y < 8; y++)
        n += (size_t)snprintf(text + n, 65536 - n, "%s$", y % 2 ? ".*.*.*.*" : "*.*.*.*.");
    n += (size_t)snprintf(text + n, 65536 - n, "\n");
    for (int level = 4; level <= 16; level++)
        n += (size_t)snprintf(text + n, 65536 - n, "%d %d %d %d %d\n", level,
                              level - 3, level - 3, level - 3, level - 3);
    p = NULL;
    ASSERT_EQ(macrocell_parse(text, n, "board.mc", &p, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "board.mc: 2147483648 runs of live cells: over "
                             "Glider's limit of 67108864");
    free(text);
    return 0;
}

/* Writes 'text' gzip-compressed to 'path'. */
static int write_gz(const char *path, const char *text, size_t len)
{
    gzFile f = gzopen(path, "wb");
    if (!f)
        return -1;
    int ok = gzwrite(f, text, (unsigned)len) == (int)len;
    return gzclose(f) == Z_OK && ok ? 0 : -1;
}

/* .rle.gz and .mc.gz (Golly ships both) load through pattern_load, by the
 * extension under ".gz"; a truncated one is a clear error; saving to a .gz
 * name is refused rather than written uncompressed. */
static int test_gzip(void)
{
    char dir[] = "/tmp/glider-gz-XXXXXX";
    ASSERT(mkdtemp(dir));
    char rle[128], mc[128], bad[128];
    snprintf(rle, sizeof rle, "%s/g.rle.gz", dir);
    snprintf(mc, sizeof mc, "%s/g.mc.gz", dir);
    snprintf(bad, sizeof bad, "%s/cut.rle.gz", dir);
    const char *rle_text = "#N glider\nx = 3, y = 3\nbo$2bo$3o!\n";
    const char *mc_text = "[M2]\n.*$..*$***$\n4 1 0 0 0\n";
    ASSERT_EQ(write_gz(rle, rle_text, strlen(rle_text)), 0);
    ASSERT_EQ(write_gz(mc, mc_text, strlen(mc_text)), 0);
    ASSERT_EQ(pattern_format_from_name(rle), PATTERN_RLE);
    ASSERT_EQ(pattern_format_from_name(mc), PATTERN_MACROCELL);
    struct glider_error err = {0};
    struct pattern *a, *b;
    ASSERT_OK(pattern_load(rle, &a, &err), &err);
    ASSERT_OK(pattern_load(mc, &b, &err), &err);
    ASSERT_STR_EQ(a->name, "glider");
    ASSERT_U64_EQ(pattern_population(a), 5);
    ASSERT_EQ(tu_same_cells(a, b), 0);
    /* The first half of the compressed file. */
    char *data;
    size_t len;
    FILE *f = fopen(rle, "rb");
    ASSERT(f);
    data = malloc(4096);
    ASSERT(data);
    len = fread(data, 1, 4096, f);
    fclose(f);
    f = fopen(bad, "wb");
    ASSERT(f);
    ASSERT_EQ(fwrite(data, 1, len / 2, f), len / 2);
    fclose(f);
    free(data);
    struct pattern *c = NULL;
    ASSERT_EQ(pattern_load(bad, &c, &err), GLIDER_EPARSE);
    ASSERT_CONTAINS(err.msg, "cut.rle.gz: the gzip data ends early");
    /* Zero padding after the data is ignored, as gzip -d ignores it. */
    f = fopen(rle, "ab");
    ASSERT(f);
    static const char zeros[512];
    ASSERT_EQ(fwrite(zeros, 1, sizeof zeros, f), sizeof zeros);
    fclose(f);
    ASSERT_OK(pattern_load(rle, &c, &err), &err);
    ASSERT_U64_EQ(pattern_population(c), 5);
    pattern_destroy(c);
    char out[160];
    snprintf(out, sizeof out, "%s/out.rle.gz", dir);
    ASSERT_EQ(pattern_save(a, out, &err), GLIDER_EINVAL);
    ASSERT_CONTAINS(err.msg, "does not write them: name it without '.gz'");
    snprintf(out, sizeof out, "%s/out.mc", dir);
    ASSERT_EQ(pattern_save(a, out, &err), GLIDER_EINVAL);
    ASSERT_CONTAINS(err.msg, "reads macrocell files but does not write them");
    ASSERT(access(out, F_OK) != 0);
    pattern_destroy(a);
    pattern_destroy(b);
    unlink(rle);
    unlink(mc);
    unlink(bad);
    rmdir(dir);
    return 0;
}

static const struct test_case tests[] = {
    {"glider", test_glider},
    {"quadrants", test_quadrants},
    {"two_by_two_leaves", test_two_by_two_leaves},
    {"empty", test_empty},
    {"errors", test_errors},
    {"huge_box", test_huge_box},
    {"gzip", test_gzip},
};

TEST_MAIN(tests)
