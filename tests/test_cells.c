/* test_cells.c - plaintext .cells (read and write) and Life 1.06 / 1.05
 * (read): names and comments, ragged rows, located errors, round trips,
 * patterns larger than any universe, allocation failures. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/cells.h"
#include "../engine/pattern.h"
#include "../engine/rle.h"
#include "../engine/sys.h"
#include "test.h"
#include "test_util.h"

/* ---- Helpers ------------------------------------------------------------- */

static struct pattern *parse_with(tu_parse_fn fn, const char *text)
{
    return tu_parse(fn, text, "t");
}

static char *write_cells(const struct pattern *p)
{
    return tu_write_string(cells_write, p);
}

struct bad_case {
    const char *text;
    int code;
    const char *msg;
};

static int check_bad(tu_parse_fn fn, const struct bad_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct pattern *p = (struct pattern *)1;
        struct glider_error err = {0};
        int rc = fn(cases[i].text, strlen(cases[i].text), "t", &p, &err);
        if (rc != cases[i].code)
            FAILF("case %zu: rc %d, want %d (%s)", i, rc, cases[i].code, err.msg);
        if (!strstr(err.msg, cases[i].msg))
            FAILF("case %zu: message \"%s\" lacks \"%s\"", i, err.msg, cases[i].msg);
        ASSERT(!strchr(err.msg, '\n'));
        ASSERT(p == NULL);
    }
    return 0;
}

/* ---- .cells -------------------------------------------------------------- */

static int test_cells_glider(void)
{
    char pic[64];
    struct pattern *p = parse_with(cells_parse, "!Name: Glider\n!Author: Richard K. Guy\n"
                                                "!The smallest spaceship.\n!\n.O\n..O\nOOO\n");
    ASSERT(p);
    ASSERT_STR_EQ(p->name, "Glider");
    ASSERT_STR_EQ(p->author, "Richard K. Guy");
    ASSERT_EQ(p->ncomments, 2);
    ASSERT_STR_EQ(p->comments[0], "The smallest spaceship.");
    ASSERT_STR_EQ(p->comments[1], "");
    ASSERT_EQ(p->width, 3);
    ASSERT_EQ(p->height, 3);
    ASSERT(!p->has_rule);
    ASSERT(!p->bounds.present);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
    char *out = write_cells(p);
    ASSERT_STR_EQ(out, "!Name: Glider\n!Author: Richard K. Guy\n!The smallest spaceship.\n!\n"
                       ".O\n..O\nOOO\n");
    free(out);
    pattern_destroy(p);
    return 0;
}

static int test_cells_variants(void)
{
    char pic[64];
    /* '*' for alive, ragged rows, CRLF, trailing blanks, blank lines before
     * the first row, a blank line inside (an empty row), '!' lines after. */
    struct pattern *p = parse_with(cells_parse, "\r\n!x\r\n\r\n.*  \r\n\r\nO.O\t\r\n!after\r\n");
    ASSERT(p);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./.../O.O");
    ASSERT_EQ(p->ncomments, 2);
    ASSERT_STR_EQ(p->comments[1], "after");
    pattern_destroy(p);
    /* Lone CRs and a trailing row of dots (part of the box). */
    p = parse_with(cells_parse, "O\r.O\r...\r");
    ASSERT(p);
    ASSERT_EQ(p->width, 3);
    ASSERT_EQ(p->height, 3);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), "O./.O");
    pattern_destroy(p);
    /* Only comments: an empty pattern. */
    p = parse_with(cells_parse, "!Name: nothing\n");
    ASSERT(p);
    ASSERT(!p->cells);
    char *out = write_cells(p);
    ASSERT_STR_EQ(out, "!Name: nothing\n");
    free(out);
    pattern_destroy(p);
    return 0;
}

static int test_cells_malformed(void)
{
    static const struct bad_case cases[] = {
        {"!Name: x\n.O.\n.X.\n", GLIDER_EPARSE,
         "t:3:2: unexpected 'X' in a .cells row: expected '.' (dead) or 'O' (alive)"},
        {".O O\n", GLIDER_EPARSE, "t:1:3: unexpected a space"},
        {"..\n.o\n", GLIDER_EPARSE, "t:2:2: unexpected 'o'"},
        {"O\r\n\r\n\t.O\r\n", GLIDER_EPARSE, "t:3:1: unexpected a tab"},
    };
    return check_bad(cells_parse, cases, sizeof cases / sizeof cases[0]);
}

static int test_cells_round_trips(void)
{
    static const int sizes[][2] = {{1, 1}, {5, 3}, {64, 2}, {65, 65}, {200, 9}, {3, 300}};
    static const double dens[] = {0.05, 0.5, 1.0};
    uint64_t seed = 7;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (size_t d = 0; d < sizeof dens / sizeof dens[0]; d++) {
            struct pattern *p, *q;
            struct glider_error err = {0};
            ASSERT_OK(pattern_create(&p, sizes[i][0], sizes[i][1], &err), &err);
            grid_fill_soup(p->cells, dens[d], seed++);
            ASSERT_OK(pattern_set_text(&p->name, "soup", &err), &err);
            ASSERT_OK(pattern_add_comment(p, "line one\nline two", &err), &err);
            char *out = write_cells(p);
            ASSERT(out);
            q = parse_with(cells_parse, out);
            ASSERT(q);
            if (tu_same_cells(p, q))
                FAILF("size %dx%d density %g", sizes[i][0], sizes[i][1], dens[d]);
            ASSERT_STR_EQ(q->name, "soup");
            ASSERT_EQ(q->ncomments, 2);
            ASSERT_STR_EQ(q->comments[1], "line two");
            /* Writing what was read gives the same text. */
            char *again = write_cells(q);
            ASSERT_STR_EQ(again, out);
            free(again);
            free(out);
            pattern_destroy(p);
            pattern_destroy(q);
        }
    return 0;
}

static int test_cells_from_rle(void)
{
    /* RLE -> .cells -> back: same cells; comments carried across. */
    const char *rle = "#N Gosper glider gun\n#C The first gun.\nx = 36, y = 9, rule = B3/S23\n"
                      "24bo$22bobo$12b2o6b2o12b2o$11bo3bo4b2o12b2o$2o8bo5bo3b2o$2o8bo3bob2o4b\n"
                      "obo$10bo5bo7bo$11bo3bo$12b2o!\n";
    struct pattern *p = parse_with(rle_parse, rle);
    ASSERT(p);
    char *out = write_cells(p);
    ASSERT(out);
    ASSERT(strncmp(out, "!Name: Gosper glider gun\n!The first gun.\n", 41) == 0);
    struct pattern *q = parse_with(cells_parse, out);
    ASSERT(q);
    if (tu_same_cells(p, q))
        return 1;
    ASSERT_U64_EQ(grid_population(q->cells), 36);
    free(out);
    pattern_destroy(p);
    pattern_destroy(q);
    return 0;
}

/* ---- Life 1.06 ----------------------------------------------------------- */

static int test_life106(void)
{
    char pic[64];
    struct pattern *p = parse_with(life106_parse, "#Life 1.06\n0 -1\n1 0\n-1 1\n0 1\n1 1\n");
    ASSERT(p);
    ASSERT_EQ(p->width, 3);
    ASSERT_EQ(p->height, 3);
    ASSERT(!p->has_origin);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
    pattern_destroy(p);
    /* Comments, rule, name, blanks, CRLF, '+' signs, duplicates. */
    p = parse_with(life106_parse, "#Life 1.06\r\n#N HighLife replicator\r\n#D made by hand\r\n"
                                  "#R 23/36\r\n\r\n  -1000  -1000 \r\n+5\t7\r\n5 7\r\n");
    ASSERT(p);
    char rule[RULE_TEXT_MAX];
    ASSERT_STR_EQ(p->name, "HighLife replicator");
    ASSERT_EQ(p->ncomments, 1);
    ASSERT_STR_EQ(p->comments[0], "made by hand");
    ASSERT(p->has_rule);
    ASSERT_STR_EQ(rule_format(&p->rule, rule, sizeof rule), "B36/S23");
    ASSERT_EQ(p->width, 1006);
    ASSERT_EQ(p->height, 1008);
    ASSERT_U64_EQ(grid_population(p->cells), 2);
    ASSERT_EQ(grid_get(p->cells, 0, 0), 1);
    ASSERT_EQ(grid_get(p->cells, 1005, 1007), 1);
    pattern_destroy(p);
    /* Header only: empty. */
    p = parse_with(life106_parse, "#Life 1.06\n");
    ASSERT(p);
    ASSERT(!p->cells);
    pattern_destroy(p);
    return 0;
}

static int test_life106_malformed(void)
{
    static const struct bad_case cases[] = {
        {"0 0\n1 1\n", GLIDER_EPARSE, "t:1:1: expected the header '#Life 1.06'"},
        {"", GLIDER_EPARSE, "t:1:1: expected the header"},
        {"#Life 1.06\n0 0\n1 x\n", GLIDER_EPARSE, "t:3:3: expected a cell 'x y' (two integers, e.g. '-1 2'), found 'x'"},
        {"#Life 1.06\n0 0\n1\n", GLIDER_EPARSE, "t:3:2: expected a cell 'x y' (two integers, e.g. '-1 2'), found the end of the line"},
        {"#Life 1.06\n1 2 3\n", GLIDER_EPARSE, "t:2:5: expected the end of the line after a cell"},
        {"#Life 1.06\n1,2\n", GLIDER_EPARSE, "t:2:2: expected a cell"},
        {"#Life 1.06\n-1000000000 0\n1000000000 0\n", GLIDER_ELIMIT,
         "t: the cells span 2000000001x1: over Glider's limit of 1073741824 cells a "
         "side for a pattern"},
        {"#Life 1.06\n0 99999999999\n", GLIDER_ELIMIT, "t:2:"},
        {"#Life 1.06\n#R 23/9\n", GLIDER_EPARSE, "t:2:4: rule '23/9'"},
    };
    return check_bad(life106_parse, cases, sizeof cases / sizeof cases[0]);
}

/* ---- Life 1.05 ----------------------------------------------------------- */

static int test_life105(void)
{
    char pic[64];
    const char *acorn = "#Life 1.05\n#D Acorn\n#D Found by Charles Corderman.\n#N\n#P\n"
                        ".*\n...*\n**..***\n";
    struct pattern *p = parse_with(life106_parse, acorn);
    ASSERT(p);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O...../...O.../OO..OOO");
    ASSERT_EQ(p->ncomments, 2);
    ASSERT_STR_EQ(p->comments[0], "Acorn");
    ASSERT(rule_equal(&p->rule, &RULE_LIFE));
    pattern_destroy(p);
    /* The same through rle_parse (Golly's .lif files start with '#'). */
    p = parse_with(rle_parse, acorn);
    ASSERT(p);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O...../...O.../OO..OOO");
    pattern_destroy(p);
    /* Blocks at their own positions, and a rule. */
    p = parse_with(life106_parse, "#Life 1.05\n#R 23/36\n#P -2 -1\n**\n#P 3 1\n.*\n*\n");
    ASSERT(p);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), "OO...../......./......O/.....O.");
    char rule[RULE_TEXT_MAX];
    ASSERT_STR_EQ(rule_format(&p->rule, rule, sizeof rule), "B36/S23");
    pattern_destroy(p);
    static const struct bad_case cases[] = {
        {"#Life 1.05\n#P 0 0\n.*.\n.x.\n", GLIDER_EPARSE, "t:4:2: unexpected 'x' in a Life 1.05 row"},
        {"#Life 1.05\n#P 0 zero\n*\n", GLIDER_EPARSE, "t:2:6: expected the block's position"},
    };
    return check_bad(life106_parse, cases, sizeof cases / sizeof cases[0]);
}

static int test_golly_lif_files(void)
{
    static const struct {
        const char *path;
        uint64_t pop;
    } files[] = {
        {"/usr/share/golly/Patterns/Life/Methuselahs/acorn.lif", 7},
        {"/usr/share/golly/Patterns/Life/Methuselahs/rabbits.lif", 9},
        {"/usr/share/golly/Patterns/Life/Breeders/breeder.lif", 0},
    };
    int found = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (access(files[i].path, R_OK) != 0)
            continue;
        found++;
        struct pattern *p;
        struct glider_error err = {0};
        ASSERT_OK(pattern_load(files[i].path, &p, &err), &err);
        ASSERT(p->cells);
        if (files[i].pop)
            ASSERT_U64_EQ(pattern_population(p), files[i].pop);
        pattern_destroy(p);
    }
    if (!found)
        SKIP("Golly's pattern files are not installed (apt-get install golly)");
    return 0;
}

static int test_pattern_save_cells(void)
{
    char file[] = "/tmp/glider-test-cells-XXXXXX";
    int fd = mkstemp(file);
    ASSERT(fd >= 0);
    close(fd);
    unlink(file);
    char path[64];
    snprintf(path, sizeof path, "%s.cells", file);
    struct pattern *p = parse_with(rle_parse, "#N Toad\nx = 4, y = 2\nb3o$3o!");
    ASSERT(p);
    struct glider_error err = {0};
    ASSERT_OK(pattern_save(p, path, &err), &err);
    struct pattern *q;
    ASSERT_OK(pattern_load(path, &q, &err), &err);
    ASSERT_STR_EQ(q->name, "Toad");
    if (tu_same_cells(p, q))
        return 1;
    unlink(path);
    pattern_destroy(p);
    pattern_destroy(q);
    return 0;
}

/* ---- Patterns larger than a universe --------------------------------------- */

/* Two gliders 200000 cells apart, as RLE (the reference) and as Life 1.06
 * with the cells shuffled and one listed twice. */
static const char two_gliders_rle[] =
    "x = 200003, y = 200003, rule = B3/S23\n"
    "bo$2bo$3o199998$200001bo$200002bo$200000b3o!\n";
static const char two_gliders_lif[] =
    "#Life 1.06\n"
    "#D far apart\n"
    "100001 100002\n-99999 -99998\n100000 100002\n-100000 -99998\n"
    "-99998 -99999\n-99999 -99998\n-99998 -99998\n100002 100002\n"
    "100001 100000\n-99999 -100000\n100002 100001\n";

static int test_life106_sparse(void)
{
    struct pattern *p = parse_with(life106_parse, two_gliders_lif);
    struct pattern *want = parse_with(rle_parse, two_gliders_rle);
    ASSERT(p && want);
    ASSERT(p->cells == NULL && p->runs != NULL);
    ASSERT_EQ(p->width, 200003);
    ASSERT_EQ(p->height, 200003);
    ASSERT_EQ((long)p->nruns, 6); /* sorted, the duplicate and neighbours merged */
    ASSERT_U64_EQ(pattern_population(p), 10);
    ASSERT_EQ(p->ncomments, 1);
    if (tu_same_cells(p, want))
        return 1;
    char *a = tu_write_string(rle_write, p), *b = tu_write_string(rle_write, want);
    ASSERT(a && b);
    ASSERT(strncmp(a, "#C far apart\n", 13) == 0); /* the comment first */
    ASSERT_STR_EQ(a + 13, b);
    free(a);
    free(b);
    pattern_destroy(want);
    pattern_destroy(p);
    return 0;
}

static int test_cells_sparse(void)
{
    /* Written from runs (rows end at their last live cell, so 200003 rows
     * make about 1 MB) and read back run by run. */
    struct pattern *p = parse_with(rle_parse, two_gliders_rle);
    ASSERT(p && p->runs);
    char *text = write_cells(p);
    ASSERT(text);
    size_t want = 3 + 4 + 4 + 2 * 199997 + 200003 + 200004 + 200004;
    ASSERT_EQ((long)strlen(text), (long)want);
    ASSERT(strncmp(text, ".O\n..O\nOOO\n.\n.\n", 15) == 0);
    struct pattern *q = parse_with(cells_parse, text);
    ASSERT(q);
    ASSERT(q->cells == NULL && q->runs != NULL);
    ASSERT_EQ(q->width, 200003);
    ASSERT_EQ(q->height, 200003);
    if (tu_same_cells(p, q))
        return 1;
    free(text);
    pattern_destroy(q);
    pattern_destroy(p);
    /* A box whose .cells text would be over the 256 MiB Glider reads back
     * is refused before anything is written. */
    p = parse_with(rle_parse, "x = 1000000001, y = 2\no$1000000000bo!");
    ASSERT(p && p->runs);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ASSERT(f);
    struct glider_error err = {0};
    ASSERT_EQ(cells_write(p, f, &err), GLIDER_ELIMIT);
    ASSERT_EQ(fclose(f), 0);
    ASSERT_EQ((long)len, 0);
    free(buf);
    ASSERT_STR_EQ(err.msg, "the .cells text of this 1000000001x2 pattern would be "
                           "953.7 MiB, over the 256 MiB limit of pattern files; "
                           "write .rle or .json instead");
    /* Through pattern_save: the message names the file, none is left. */
    char dir[] = "/tmp/glider-test-cells-XXXXXX";
    ASSERT(mkdtemp(dir));
    char path[96];
    snprintf(path, sizeof path, "%s/wide.cells", dir);
    ASSERT_EQ(pattern_save(p, path, &err), GLIDER_ELIMIT);
    ASSERT(strncmp(err.msg, path, strlen(path)) == 0);
    ASSERT_CONTAINS(err.msg, ": the .cells text of this 1000000001x2 pattern");
    ASSERT(access(path, F_OK) != 0);
    ASSERT_EQ(rmdir(dir), 0); /* empty: no temporary file left either */
    pattern_destroy(p);
    return 0;
}

/* An allocation that fails while reading says which file it was reading. */
static int test_out_of_memory_names_file(void)
{
    static const struct {
        tu_parse_fn fn;
        const char *text;
    } inputs[] = {
        {cells_parse, "!Name: g\n!Author: a\n!c\n.O\n..O\nOOO\n"},
        {life106_parse, "#Life 1.06\n#N g\n#O a\n#D c\n0 -1\n1 0\n-1 1\n0 1\n1 1\n"},
        {life106_parse, two_gliders_lif},
        {life106_parse, "#Life 1.05\n#D c\n#P 0 0\n.*\n..*\n***\n"},
    };
    static const enum sys_op ops[] = {SYS_OP_MALLOC, SYS_OP_MMAP};
    int refused = 0;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        for (size_t o = 0; o < 2; o++)
            for (long n = 1; n < 100; n++) {
                struct pattern *p = NULL;
                struct glider_error err = {0};
                long calls0 = sys_fault_calls(ops[o]);
                sys_fault_arm(ops[o], n, ENOMEM, 0);
                int rc = inputs[i].fn(inputs[i].text, strlen(inputs[i].text),
                                      "oom.cells", &p, &err);
                sys_fault_disarm_all();
                int hit = sys_fault_calls(ops[o]) - calls0 >= n;
                if (rc) {
                    ASSERT(hit);
                    ASSERT_EQ(rc, GLIDER_ENOMEM);
                    ASSERT(p == NULL);
                    if (strncmp(err.msg, "oom.cells: ", 11) != 0)
                        FAILF("input %zu, fault %ld: \"%s\" does not name the "
                              "file", i, n, err.msg);
                    refused++;
                } else {
                    pattern_destroy(p);
                }
                if (!hit)
                    break;
            }
    printf("# %d allocation failures, each named the file\n", refused);
    ASSERT_GT(refused, 10);
    return 0;
}

static const struct test_case tests[] = {
    {"cells_glider", test_cells_glider},
    {"cells_variants", test_cells_variants},
    {"cells_malformed", test_cells_malformed},
    {"cells_round_trips", test_cells_round_trips},
    {"cells_from_rle", test_cells_from_rle},
    {"life106", test_life106},
    {"life106_malformed", test_life106_malformed},
    {"life105", test_life105},
    {"golly_lif_files", test_golly_lif_files},
    {"pattern_save_cells", test_pattern_save_cells},
    {"life106_sparse", test_life106_sparse},
    {"cells_sparse", test_cells_sparse},
    {"out_of_memory_names_file", test_out_of_memory_names_file},
};

TEST_MAIN(tests)
