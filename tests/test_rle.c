/* test_rle.c - the RLE reader and writer: the spec's test vectors, Golly's
 * extensions, round trips of random soups, located errors for malformed
 * input, a large file read in linear time, and patterns larger than any
 * universe (the sparse form: read, written, refused by pattern_place). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../engine/cells.h"
#include "../engine/pattern.h"
#include "../engine/pattern_json.h"
#include "../engine/rle.h"
#include "../engine/sys.h"
#include "../engine/text_reader.h"
#include "test.h"
#include "test_util.h"

/* ---- Helpers ------------------------------------------------------------- */

static struct pattern *parse(const char *text)
{
    return tu_parse(rle_parse, text, "t.rle");
}

/* Writes 'p' as RLE into a malloc'd string. */
static char *write_string(const struct pattern *p)
{
    return tu_write_string(rle_write, p);
}

/* 0 when 'a' and 'b' hold the same live cells at the same place (the tight
 * boxes, and with bounds the universe positions), rule, bounds and text. */
static int same_pattern(const struct pattern *a, const struct pattern *b)
{
    ASSERT(rule_equal(&a->rule, &b->rule));
    ASSERT_EQ(a->bounds.present, b->bounds.present);
    if (a->bounds.present) {
        ASSERT_EQ(a->bounds.topo, b->bounds.topo);
        ASSERT_EQ(a->bounds.width, b->bounds.width);
        ASSERT_EQ(a->bounds.height, b->bounds.height);
    }
    ASSERT(tu_same_text(a->name, b->name));
    ASSERT(tu_same_text(a->author, b->author));
    ASSERT_EQ(a->ncomments, b->ncomments);
    for (int i = 0; i < a->ncomments; i++)
        ASSERT_STR_EQ(a->comments[i], b->comments[i]);
    if (tu_same_cells(a, b))
        return 1;
    int ax0 = 0, ay0 = 0, ax1 = 0, ay1 = 0, bx0 = 0, by0 = 0, bx1 = 0, by1 = 0;
    if (a->bounds.present && a->has_origin &&
        pattern_bbox(a, &ax0, &ay0, &ax1, &ay1) &&
        pattern_bbox(b, &bx0, &by0, &bx1, &by1)) {
        ASSERT(b->has_origin);
        ASSERT_EQ(a->origin_x + ax0, b->origin_x + bx0);
        ASSERT_EQ(a->origin_y + ay0, b->origin_y + by0);
    }
    return 0;
}

/* Every line of 'text' is at most 70 characters and the text ends in a
 * newline. */
static int check_lines(const char *text)
{
    size_t n = strlen(text);
    ASSERT(n > 0 && text[n - 1] == '\n');
    int line = 1;
    for (const char *s = text; *s;) {
        size_t k = strcspn(s, "\n");
        if (k > 70)
            FAILF("line %d is %zu characters: %.*s", line, k, (int)k, s);
        s += k + (s[k] == '\n');
        line++;
    }
    return 0;
}

/* ---- Spec test vectors --------------------------------------------------- */

static int test_glider(void)
{
    char pic[256];
    struct pattern *p = parse("x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n");
    ASSERT(p);
    ASSERT_EQ(p->width, 3);
    ASSERT_EQ(p->height, 3);
    ASSERT(p->has_rule);
    ASSERT(rule_equal(&p->rule, &RULE_LIFE));
    ASSERT(!p->bounds.present);
    ASSERT(!p->has_origin);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
    ASSERT_U64_EQ(grid_population(p->cells), 5);
    char *out = write_string(p);
    ASSERT(out);
    ASSERT_STR_EQ(out, "x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n");
    free(out);
    pattern_destroy(p);
    return 0;
}

static int test_rule_spellings(void)
{
    static const char *const texts[] = {
        "x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n",
        "x = 3, y = 3, rule = 23/3\nbo$2bo$3o!\n",
        "x = 3, y = 3, rule = b3/s23\nbo$2bo$3o!\n",
        "x = 3, y = 3\nbo$2bo$3o!\n",
        "x = 3, y = 3, rule = Life\nbo$2bo$3o!\n",
    };
    struct pattern *first = parse(texts[0]);
    ASSERT(first);
    for (size_t i = 1; i < sizeof texts / sizeof texts[0]; i++) {
        struct pattern *p = parse(texts[i]);
        ASSERT(p);
        ASSERT(rule_equal(&p->rule, &RULE_LIFE));
        char *a = write_string(first), *b = write_string(p);
        ASSERT(a && b);
        ASSERT_STR_EQ(a, b);
        free(a);
        free(b);
        pattern_destroy(p);
    }
    pattern_destroy(first);
    return 0;
}

static int test_hash_r(void)
{
    char buf[RULE_TEXT_MAX];
    struct pattern *p = parse("#r 23/36\nx = 3, y = 3\nbo$2bo$3o!\n");
    ASSERT(p);
    ASSERT(p->has_rule);
    ASSERT_STR_EQ(rule_format(&p->rule, buf, sizeof buf), "B36/S23");
    pattern_destroy(p);
    p = parse("#r 23/36\nx = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n");
    ASSERT(p);
    ASSERT_STR_EQ(rule_format(&p->rule, buf, sizeof buf), "B3/S23");
    pattern_destroy(p);
    p = parse("x = 3, y = 3\nbo$2bo$3o!\n");
    ASSERT(p);
    ASSERT(!p->has_rule);
    ASSERT(rule_equal(&p->rule, &RULE_LIFE));
    pattern_destroy(p);
    /* After the header, as bgolly reads it, '#r' sets the rule (the last
     * one wins, over the header too), bounded-grid suffix included; it is
     * not kept as a comment. */
    p = parse("x = 3, y = 3, rule = B3/S23\n#r 23/36\nbo$2bo$3o!\n");
    ASSERT(p);
    ASSERT_STR_EQ(rule_format(&p->rule, buf, sizeof buf), "B36/S23");
    ASSERT_EQ(p->ncomments, 0);
    ASSERT_U64_EQ(grid_population(p->cells), 5);
    pattern_destroy(p);
    p = parse("x = 3, y = 3\nbo$\n#r 23/36\n2bo$\n#r 23/3:T10,8\n3o!\n");
    ASSERT(p);
    ASSERT_STR_EQ(rule_format(&p->rule, buf, sizeof buf), "B3/S23");
    ASSERT(p->bounds.present);
    ASSERT_EQ(p->bounds.width, 10);
    ASSERT_EQ(p->bounds.height, 8);
    ASSERT_U64_EQ(grid_population(p->cells), 5);
    pattern_destroy(p);
    /* It takes effect where it stands: LifeHistory's state letters after
     * it are read as LifeHistory (odd states live), and a later rule
     * change does not undo how the earlier cells were read. */
    p = parse("x = 3, y = 1\n#r LifeHistory\n3C!\n");
    ASSERT(p);
    ASSERT_U64_EQ(grid_population(p->cells), 3);
    pattern_destroy(p);
    p = parse("x = 3, y = 2, rule = LifeHistory\n3C$\n#r B3/S23\n3o!\n");
    ASSERT(p);
    ASSERT_STR_EQ(rule_format(&p->rule, buf, sizeof buf), "B3/S23");
    ASSERT_U64_EQ(grid_population(p->cells), 6);
    pattern_destroy(p);
    struct glider_error err = {0};
    const char *bad = "x = 1, y = 1\n#r B9\no!\n";
    ASSERT_EQ(rle_parse(bad, strlen(bad), "t.rle", &p, &err), GLIDER_EPARSE);
    ASSERT_CONTAINS(err.msg, "t.rle:2:4: rule 'B9'");
    return 0;
}

/* A body line that starts like a header ('x' in its first column, then a
 * blank, '=' or the end of the line) is skipped, as bgolly does; 'x'
 * followed by a tag, or indented, is a marked (live) cell. */
static int test_header_like_body_line(void)
{
    static const struct {
        const char *in, *body;
    } cases[] = {
        {"x = 5, y = 5\no3b\nx\n.3o!\n", "o4b3o!"},
        {"x = 5, y = 5\no3b\nx = 9, y = 9\n.3o!\n", "o4b3o!"},
        /* Only in the first column, as Golly: indented, 'x' is a cell. */
        {"x = 5, y = 5\no3b\n  x\t2o\n.3o!\n", "o3b3ob3o!"},
        {"x = 5, y = 5\nxo!\n", "2o!"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pattern *p = parse(cases[i].in);
        ASSERT(p);
        char *out = write_string(p);
        ASSERT(out);
        /* The body is the last line (the final newline ends it). */
        const char *last = out + strlen(out) - 1;
        while (last > out && last[-1] != '\n')
            last--;
        if (strncmp(last, cases[i].body, strlen(cases[i].body)) != 0)
            FAILF("case %zu: body '%s', expected '%s'", i, last, cases[i].body);
        free(out);
        pattern_destroy(p);
    }
    return 0;
}

static int test_row_ends_merged(void)
{
    struct pattern *p = parse("x = 2, y = 5, rule = B3/S23\no$3$bo!\n");
    ASSERT(p);
    char *body = NULL;
    struct glider_error err = {0};
    ASSERT_OK(rle_body_string(p, &body, &err), &err);
    ASSERT_STR_EQ(body, "o4$bo!");
    free(body);
    char *out = write_string(p);
    ASSERT_STR_EQ(out, "x = 2, y = 5, rule = B3/S23\no4$bo!\n");
    free(out);
    pattern_destroy(p);
    /* '$$' and trailing dead cells and trailing row ends are all dropped. */
    p = parse("x = 6, y = 6\n2o4b$$o$bo$$$!");
    ASSERT(p);
    ASSERT_OK(rle_body_string(p, &body, &err), &err);
    ASSERT_STR_EQ(body, "2o2$o$bo!");
    free(body);
    pattern_destroy(p);
    return 0;
}

/* ---- Golly's and others' extensions -------------------------------------- */

static int test_header_whitespace(void)
{
    static const char *const texts[] = {
        "x=3,y=3,rule=B3/S23\nbo$2bo$3o!",
        "x = 3 , y = 3 , rule = B3/S23 \nbo$2bo$3o!",
        "x\t=\t3,\ty=3,rule = B3/S23,\nbo$2bo$3o!",
        "  \n#C leading blank line\n   x = 3, y = 3, rule = B3/S23\n  bo$2bo$\n  3o!",
        "\xEF\xBB\xBFx = 3, y = 3\nbo$2bo$3o!",
        "bo$2bo$3o!\n", /* no header at all, as Golly allows */
    };
    char pic[64];
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct pattern *p = parse(texts[i]);
        if (!p)
            FAILF("text %zu", i);
        ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
        pattern_destroy(p);
    }
    return 0;
}

static int test_line_endings(void)
{
    static const char *const texts[] = {
        "#N Glider\nx = 3, y = 3\nbo$2b\no$3o!\n",
        "#N Glider\rx = 3, y = 3\rbo$2b\ro$3o!\r",
        "#N Glider\r\nx = 3, y = 3\r\nbo$2b\r\no$3o!\r\n",
    };
    char pic[64];
    for (size_t i = 0; i < 3; i++) {
        struct pattern *p = parse(texts[i]);
        ASSERT(p);
        ASSERT_STR_EQ(p->name, "Glider");
        ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
        pattern_destroy(p);
    }
    /* Line numbers count CR, LF and CRLF alike. */
    static const char *const bad[] = {"#C a\nx = 1, y = 1\nok!",
                                      "#C a\rx = 1, y = 1\rok!",
                                      "#C a\r\nx = 1, y = 1\r\nok!"};
    for (size_t i = 0; i < 3; i++) {
        struct pattern *p = NULL;
        struct glider_error err = {0};
        ASSERT_EQ(rle_parse(bad[i], strlen(bad[i]), "t.rle", &p, &err),
                  GLIDER_EPARSE);
        ASSERT_CONTAINS(err.msg, "t.rle:3:2: unexpected 'k'");
        ASSERT(!p);
    }
    return 0;
}

static int test_tolerated_tags(void)
{
    char pic[64];
    struct pattern *p = parse("x = 3, y = 3\n.A$2.A$3A!");
    ASSERT(p);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
    pattern_destroy(p);
    p = parse("x = 3, y = 3\nbx$2by$ozo!");
    ASSERT(p);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
    pattern_destroy(p);
    /* LifeHistory: odd states live, even states dead. */
    p = parse("x = 6, y = 1, rule = LifeHistory\nABCDEF!");
    ASSERT(p);
    ASSERT(rule_equal(&p->rule, &RULE_LIFE));
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), "O.O.O");
    pattern_destroy(p);
    /* Missing '!': accepted (with a warning on stderr). */
    p = parse("x = 3, y = 3\nbo$2bo$3o\n");
    ASSERT(p);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
    pattern_destroy(p);
    /* Text after '!' is ignored. */
    p = parse("x = 1, y = 1\no!$\nCB 1,1,1,1\n");
    ASSERT(p);
    ASSERT_U64_EQ(grid_population(p->cells), 1);
    pattern_destroy(p);
    /* Long counts and huge runs. */
    p = parse("x = 30000, y = 2\n30000o$29999bo!");
    ASSERT(p);
    ASSERT_EQ(p->width, 30000);
    ASSERT_U64_EQ(grid_population(p->cells), 30001);
    ASSERT_EQ(grid_get(p->cells, 29999, 1), 1);
    pattern_destroy(p);
    return 0;
}

/* Line breaks inside the text fields (JSON strings may hold any): every
 * "\n", "\r\n" or lone "\r" starts a new '#' line, so the file reads back
 * (a raw CR in a '#C' line would end it there, and the rest would be read as
 * RLE data), and a multi-line name comes back whole. */
static int test_text_line_breaks(void)
{
    struct pattern *p = parse("x = 1, y = 1\no!\n");
    ASSERT(p);
    p->name = strdup("first\nsecond");
    p->author = strdup("a\r\nb");
    ASSERT_EQ(text_add_comment(p, "2o\r3o", 5, "t", NULL), 0);
    ASSERT_EQ(text_add_comment(p, "x = 9\rbo!", 9, "t", NULL), 0);
    char *out = write_string(p);
    ASSERT(out);
    ASSERT(!strchr(out, '\r'));
    struct pattern *q = parse(out);
    ASSERT(q);
    ASSERT_STR_EQ(q->name, "first\nsecond");
    ASSERT_STR_EQ(q->author, "a\nb");
    ASSERT_EQ(q->ncomments, 4);
    ASSERT_STR_EQ(q->comments[0], "2o");
    ASSERT_STR_EQ(q->comments[1], "3o");
    ASSERT_STR_EQ(q->comments[2], "x = 9");
    ASSERT_STR_EQ(q->comments[3], "bo!");
    ASSERT(tu_same_cells(p, q) == 0);
    free(out);
    /* The same through the .cells writer. */
    out = tu_write_string(cells_write, p);
    ASSERT(out);
    ASSERT(!strchr(out, '\r'));
    struct pattern *c = tu_parse(cells_parse, out, "t.cells");
    ASSERT(c);
    ASSERT_EQ(c->ncomments >= 4, 1);
    ASSERT(tu_same_cells(p, c) == 0);
    free(out);
    pattern_destroy(c);
    pattern_destroy(q);
    pattern_destroy(p);
    return 0;
}

/* A file of nothing but comment lines is refused past PATTERN_MAX_COMMENTS
 * (each one is an allocation), naming the file; that many are kept. */
static int test_comment_limit(void)
{
    for (int extra = 0; extra < 2; extra++) {
        size_t n = (size_t)(PATTERN_MAX_COMMENTS + extra);
        size_t cap = n * 5 + 64;
        char *text = malloc(cap);
        ASSERT(text);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            memcpy(text + k, "#C c\n", 5);
            k += 5;
        }
        k += (size_t)snprintf(text + k, cap - k, "x = 1, y = 1\no!\n");
        struct glider_error err = {0};
        struct pattern *p = NULL;
        int rc = rle_parse(text, k, "many.rle", &p, &err);
        free(text);
        if (extra) {
            ASSERT_EQ(rc, GLIDER_ELIMIT);
            ASSERT_CONTAINS(err.msg, "many.rle: more than 100000 comment lines");
        } else {
            ASSERT_OK(rc, &err);
            ASSERT_EQ(p->ncomments, PATTERN_MAX_COMMENTS);
            pattern_destroy(p);
        }
    }
    return 0;
}

static int test_comments_round_trip(void)
{
    const char *text = "#N Queen bee\n"
                       "#O Bill Gosper\n"
                       "#O 1970\n"
                       "#C first comment\n"
                       "#c   indented\n"
                       "#C\n"
                       "#X unknown kind of line\n"
                       "#C [[ AUTOSTART ]]\n"
                       "x = 4, y = 2, rule = B3/S23\n"
                       "#C comment inside the body\n"
                       "2o$2b2o!\n";
    struct pattern *p = parse(text);
    ASSERT(p);
    ASSERT_STR_EQ(p->name, "Queen bee");
    ASSERT_STR_EQ(p->author, "Bill Gosper\n1970");
    ASSERT_EQ(p->ncomments, 6);
    ASSERT_STR_EQ(p->comments[0], "first comment");
    ASSERT_STR_EQ(p->comments[1], "  indented");
    ASSERT_STR_EQ(p->comments[2], "");
    ASSERT_STR_EQ(p->comments[3], "#X unknown kind of line");
    ASSERT_STR_EQ(p->comments[4], "[[ AUTOSTART ]]");
    ASSERT_STR_EQ(p->comments[5], "comment inside the body");
    char *out = write_string(p);
    ASSERT(out);
    ASSERT_STR_EQ(out, "#N Queen bee\n#O Bill Gosper\n#O 1970\n#C first comment\n"
                       "#C   indented\n#C\n#C #X unknown kind of line\n"
                       "#C [[ AUTOSTART ]]\n#C comment inside the body\n"
                       "x = 4, y = 2, rule = B3/S23\n2o$2b2o!\n");
    struct pattern *q = parse(out);
    ASSERT(q);
    if (same_pattern(p, q))
        return 1;
    free(out);
    pattern_destroy(p);
    pattern_destroy(q);
    return 0;
}

static int test_bounded_grids(void)
{
    char buf[64];
    struct pattern *p = parse("x = 3, y = 3, rule = B36/S23:T20,10\nbo$2bo$3o!");
    ASSERT(p);
    ASSERT(p->bounds.present);
    ASSERT_EQ(p->bounds.topo, TOPO_TORUS);
    ASSERT_EQ(p->bounds.width, 20);
    ASSERT_EQ(p->bounds.height, 10);
    ASSERT_STR_EQ(rule_format(&p->rule, buf, sizeof buf), "B36/S23");
    /* No position: Golly centres the header's box (left = -(3 / 2)). */
    ASSERT(p->has_origin);
    ASSERT_EQ(p->origin_x, 10 - 1);
    ASSERT_EQ(p->origin_y, 5 - 1);
    char *out = write_string(p);
    ASSERT_STR_EQ(out, "#CXRLE Pos=-1,-1\nx = 3, y = 3, rule = B36/S23:T20,10\n"
                       "bo$2bo$3o!\n");
    free(out);
    pattern_destroy(p);

    /* Pos is relative to the grid's centre: left column of a 31-wide grid
     * is -15, its top row -10. */
    p = parse("#CXRLE Pos=-15,-10 Gen=42\nx = 2, y = 1, rule = B3/S23:P31,20\n2o!");
    ASSERT(p);
    ASSERT_EQ(p->bounds.topo, TOPO_PLANE);
    ASSERT_EQ(p->origin_x, 0);
    ASSERT_EQ(p->origin_y, 0);
    out = write_string(p);
    ASSERT_STR_EQ(out, "#CXRLE Pos=-15,-10\nx = 2, y = 1, rule = B3/S23:P31,20\n2o!\n");
    free(out);
    pattern_destroy(p);
    p = parse("#CXRLE Pos=15,9\nx = 1, y = 1, rule = B3/S23:T31,20\no!");
    ASSERT(p);
    ASSERT_EQ(p->origin_x, 30);
    ASSERT_EQ(p->origin_y, 19);
    pattern_destroy(p);
    /* XLife's '#P'/'#R' do not place it (Golly keeps them as comments, and
     * centres the box as without them: checked with bgolly), malformed or
     * not; Pos does. */
    static const char *const xlife[] = {"#P 2 3", "#R 2 3", "#P 1", "#R"};
    for (size_t i = 0; i < sizeof xlife / sizeof xlife[0]; i++) {
        char text[96];
        snprintf(text, sizeof text, "%s\nx = 1, y = 1, rule = B3/S23:T10,10\no!",
                 xlife[i]);
        p = parse(text);
        ASSERT(p);
        ASSERT_EQ(p->origin_x, 5);
        ASSERT_EQ(p->origin_y, 5);
        ASSERT_EQ(p->ncomments, 1);
        ASSERT_STR_EQ(p->comments[0], xlife[i]);
        pattern_destroy(p);
    }
    p = parse("#P 2 3\n#CXRLE Pos=0,0\nx = 1, y = 1, rule = B3/S23:T10,10\no!");
    ASSERT(p);
    ASSERT_EQ(p->origin_x, 5);
    pattern_destroy(p);
    p = parse("#CXRLE Pos=2,3\n#P 0 0\nx = 1, y = 1, rule = B3/S23:T10,10\no!");
    ASSERT(p);
    ASSERT_EQ(p->origin_x, 7);
    ASSERT_EQ(p->origin_y, 8);
    pattern_destroy(p);
    /* Without a bounded grid a position is ignored: the pattern is centred. */
    p = parse("#CXRLE Pos=-100,7\nx = 1, y = 1, rule = B3/S23\no!");
    ASSERT(p);
    ASSERT(!p->has_origin);
    pattern_destroy(p);
    /* LifeHistory on a torus, as in Golly's Bounded-Grids/torus.rle. */
    p = parse("#CXRLE Pos=-2,-2\nx = 3, y = 3, rule = LifeHistory:T31,20\n.A$2.A$3A!");
    ASSERT(p);
    ASSERT_EQ(p->bounds.width, 31);
    ASSERT_EQ(p->origin_x, 13);
    ASSERT_EQ(p->origin_y, 8);
    pattern_destroy(p);
    return 0;
}

static int test_bounded_round_trip(void)
{
    /* A universe with cells near every edge, through pattern_from_grid. */
    static const int sizes[][2] = {{20, 10}, {31, 17}, {64, 64}, {100, 37}, {7, 129}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (int topo = 0; topo < 2; topo++) {
            struct grid *g;
            struct glider_error err = {0};
            ASSERT_OK(grid_create(&g, sizes[i][0], sizes[i][1],
                                  topo ? TOPO_PLANE : TOPO_TORUS, &err), &err);
            grid_fill_soup(g, 0.3, 1000 + i);
            struct rule r = {.birth = 1u << 3 | 1u << 6, .survive = 1u << 2 | 1u << 3};
            struct pattern *p, *q;
            ASSERT_OK(pattern_from_grid(g, &r, &p, &err), &err);
            char *out = write_string(p);
            ASSERT(out);
            if (check_lines(out))
                return 1;
            q = parse(out);
            ASSERT(q);
            if (same_pattern(p, q))
                FAILF("size %dx%d topo %d:\n%s", sizes[i][0], sizes[i][1], topo, out);
            /* Placing it gives back the very same universe. */
            struct grid *h;
            ASSERT_OK(grid_create(&h, g->width, g->height, g->topo, &err), &err);
            ASSERT_OK(pattern_place(q, h, &err), &err);
            if (!grid_equal(g, h)) {
                tu_report_diff(g, h);
                FAILF("placed universe differs");
            }
            grid_destroy(h);
            grid_destroy(g);
            free(out);
            pattern_destroy(p);
            pattern_destroy(q);
        }
    }
    return 0;
}

/* ---- Random soups --------------------------------------------------------- */

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int test_soup_round_trips(void)
{
    static const int sizes[][2] = {{1, 1}, {7, 3}, {65, 1}, {1, 130}, {63, 64},
                                   {129, 65}, {300, 7}, {71, 71}, {1000, 3}};
    static const double dens[] = {0.02, 0.3, 0.5, 0.9, 1.0};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (size_t d = 0; d < sizeof dens / sizeof dens[0]; d++) {
            struct pattern *p, *q;
            struct glider_error err = {0};
            ASSERT_OK(pattern_create(&p, sizes[i][0], sizes[i][1], &err), &err);
            grid_fill_soup(p->cells, dens[d], rng());
            char *out = write_string(p);
            ASSERT(out);
            if (check_lines(out))
                FAILF("size %dx%d density %g", sizes[i][0], sizes[i][1], dens[d]);
            q = parse(out);
            ASSERT(q);
            if (same_pattern(p, q))
                FAILF("size %dx%d density %g:\n%s", sizes[i][0], sizes[i][1],
                      dens[d], out);
            /* Writing what was read gives the same text. */
            char *again = write_string(q);
            ASSERT_STR_EQ(again, out);
            /* The body string is the body of the file. */
            char *body;
            ASSERT_OK(rle_body_string(p, &body, &err), &err);
            const char *nl = strchr(out, '\n');
            ASSERT(nl);
            ASSERT_EQ(strlen(nl + 1), strlen(body) + 1);
            ASSERT(strncmp(nl + 1, body, strlen(body)) == 0);
            struct pattern *r;
            ASSERT_OK(rle_parse_body(body, strlen(body), "body", 1, 1, &r, &err), &err);
            ASSERT_U64_EQ(r->cells ? grid_population(r->cells) : 0,
                          grid_population(p->cells));
            pattern_destroy(r);
            free(body);
            free(again);
            free(out);
            pattern_destroy(p);
            pattern_destroy(q);
        }
    }
    return 0;
}

static int test_empty_pattern(void)
{
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(pattern_create(&p, 0, 0, &err), &err);
    char *out = write_string(p);
    ASSERT_STR_EQ(out, "x = 0, y = 0, rule = B3/S23\n!\n");
    struct pattern *q = parse(out);
    ASSERT(q);
    ASSERT(!q->cells);
    ASSERT_EQ(q->width, 0);
    free(out);
    pattern_destroy(q);
    /* A dead box is empty too, and so is a bounded one. */
    pattern_destroy(p);
    ASSERT_OK(pattern_create(&p, 5, 5, &err), &err);
    p->rule = (struct rule){.birth = 1u << 2, .survive = 0};
    p->bounds = (struct rule_bounds){1, TOPO_PLANE, 30, 20};
    out = write_string(p);
    ASSERT_STR_EQ(out, "x = 0, y = 0, rule = B2/S:P30,20\n!\n");
    free(out);
    char *body;
    ASSERT_OK(rle_body_string(p, &body, &err), &err);
    ASSERT_STR_EQ(body, "!");
    free(body);
    pattern_destroy(p);
    return 0;
}

static int test_golly_wrapping(void)
{
    /* The Gosper gun exactly as Golly 3.3 writes it (70-column wrap). */
    const char *gun = "#N Gosper glider gun\n"
                      "x = 36, y = 9, rule = B3/S23\n"
                      "24bo$22bobo$12b2o6b2o12b2o$11bo3bo4b2o12b2o$2o8bo5bo3b2o$2o8bo3bob2o4b\n"
                      "obo$10bo5bo7bo$11bo3bo$12b2o!\n";
    struct pattern *p = parse(gun);
    ASSERT(p);
    ASSERT_U64_EQ(grid_population(p->cells), 36);
    char *out = write_string(p);
    ASSERT_STR_EQ(out, gun);
    free(out);
    pattern_destroy(p);
    /* A long single row: breaks only between tokens. */
    ASSERT_OK(pattern_create(&p, 2000, 1, &(struct glider_error){0}),
              &(struct glider_error){0});
    for (int x = 0; x < 2000; x += 3)
        grid_set(p->cells, x, 0, 1);
    out = write_string(p);
    if (check_lines(out))
        return 1;
    for (const char *s = strchr(out, '\n') + 1; (s = strchr(s, '\n')); s++)
        if (s > out && s[1] && s[-1] >= '0' && s[-1] <= '9')
            FAILF("a line ends with a digit: a count was split from its tag");
    free(out);
    pattern_destroy(p);
    return 0;
}

/* ---- Malformed input ----------------------------------------------------- */

struct bad_case {
    const char *text;
    int code;
    const char *msg; /* expected substring, starting with the place */
};

static int test_malformed(void)
{
    static const struct bad_case cases[] = {
        {"x = 3 y = 3\nbo!", GLIDER_EPARSE, "t.rle:1:7: bad header: expected ','"},
        {"x = , y = 3\nbo!", GLIDER_EPARSE, "t.rle:1:5: expected a number for the width"},
        {"x = 3, z = 3\nbo!", GLIDER_EPARSE, "t.rle:1:8: bad header: expected 'y'"},
        {"x = 3, y = 3, rul = B3/S23\nbo!", GLIDER_EPARSE, "t.rle:1:15: bad header: expected 'rule = R'"},
        {"x = 3, y = 3, rule = B3/S23 junk\nbo!", GLIDER_EPARSE, "t.rle:1:29: bad header: expected the end of the line"},
        {"x = 3, y = 3, rule =\nbo!", GLIDER_EPARSE, "t.rle:1:21: bad header: expected a rule"},
        {"x = 99999999999, y = 1\no!", GLIDER_ELIMIT,
         "t.rle:1:5: width 99999999999 is over Glider's limit of 1073741824 cells for a pattern"},
        {"x = 1, y = 1073741825\no!", GLIDER_ELIMIT, "t.rle:1:12: height 1073741825 is over"},
        {"x = 3, y = 1\n03o!", GLIDER_EPARSE, "t.rle:2:1: bad run count"},
        {"x = 3, y = 1\n0o!", GLIDER_EPARSE, "t.rle:2:1: bad run count: counts are positive and have no leading zero"},
        {"x = 3, y = 1\nb3 o!", GLIDER_EPARSE, "t.rle:2:3: bad run count: whitespace between the count"},
        {"x = 3, y = 1\n3\no!", GLIDER_EPARSE, "t.rle:2:2: bad run count: whitespace"},
        {"x = 3, y = 1\n2o3", GLIDER_EPARSE, "t.rle:2:3: bad run count: the data ends after a count"},
        {"x = 3, y = 1\nbok!", GLIDER_EPARSE, "t.rle:2:3: unexpected 'k' in RLE data"},
        {"x = 3, y = 1\nbo\x01!", GLIDER_EPARSE, "t.rle:2:3: unexpected byte 0x01"},
        {"x = 3, y = 1\n\n\n  bo@!", GLIDER_EPARSE, "t.rle:4:5: unexpected '@'"},
        {"x = 5, y = 1, rule = B3/S23:T4,4\n5o!", GLIDER_EPARSE,
         "t.rle:1:22: the pattern is 5x1 but its rule 'B3/S23:T4,4' declares a 4x4 torus"},
        {"x = 1, y = 1, rule = B3/S23:P4,4\n$$$$o!", GLIDER_EPARSE,
         "the pattern is 1x5 but its rule 'B3/S23:P4,4' declares a 4x4 plane"},
        {"#CXRLE Pos=4,0\nx = 2, y = 1, rule = B3/S23:T10,10\n2o!", GLIDER_EPARSE,
         "t.rle:1:8: position 4,0 puts live cells outside the 10x10 torus"},
        {"x = 6, y = 4, rule = B3/S23:T80,60\nb50o!", GLIDER_EPARSE,
         "t.rle:1:1: live cells at columns -2..47, rows -2..-2 (the header's "
         "6x4 box centred, as Golly places it) are outside the 80x60 torus"},
        {"#CXRLE Pos=a,0\nx = 2, y = 1\n2o!", GLIDER_EPARSE, "t.rle:1:8: expected 'Pos=x,y'"},
        {"x = 1, y = 1, rule = B9/S23\no!", GLIDER_EPARSE, "t.rle:1:22: rule 'B9/S23': column 2"},
        {"#r 23/9\nx = 1, y = 1\no!", GLIDER_EPARSE, "t.rle:1:4: rule '23/9'"},
        {"x = 1, y = 1, rule = Wireworld\no!", GLIDER_EPARSE, "t.rle:1:22: rule 'Wireworld'"},
        {"x = 4, y = 5, rule = LifeHistory:K40*,20\no!", GLIDER_EUNSUPPORTED,
         "t.rle:1:22: rule 'LifeHistory:K40*,20': the Klein bottle topology"},
        {"x = 4, y = 5, rule = B3/S23:C40,20\no!", GLIDER_EUNSUPPORTED, "cross-surface"},
        {"x = 4, y = 5, rule = B3/S23:S30\no!", GLIDER_EUNSUPPORTED, "sphere"},
        {"x = 4, y = 5, rule = B3/S23:T30+7,20\no!", GLIDER_EUNSUPPORTED, "shifted tori"},
        {"x = 4, y = 5, rule = B3/S23:T0,68\no!", GLIDER_EUNSUPPORTED, "infinite"},
        {"x = 4, y = 5, rule = B3/S23:T70000,5\no!", GLIDER_ELIMIT, "t.rle:1:22: rule"},
        {"x = 3, y = 1\noCo!", GLIDER_EPARSE, "t.rle:2:2: cell state 'C' (3) needs a multi-state rule"},
        {"x = 3, y = 1\nopAo!", GLIDER_EPARSE, "t.rle:2:2: cell state 'pA' (25)"},
        {"x = 3, y = 1, rule = LifeHistory\noGo!", GLIDER_EPARSE, "t.rle:2:2: cell state 'G' (7) is out of range"},
        {"x = 1, y = 1\n1073741824bo!", GLIDER_ELIMIT,
         "t.rle:2:12: live cells beyond column 1073741824: over Glider's limit of "
         "1073741824x1073741824 cells for a pattern"},
        {"x = 1, y = 1\n99999999999999999999999o!", GLIDER_ELIMIT, "t.rle:2:1: live cells beyond column"},
        {"x = 1, y = 1\n1073741824$o!", GLIDER_ELIMIT, "t.rle:2:12: live cells beyond row 1073741824"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pattern *p = (struct pattern *)1;
        struct glider_error err = {0};
        int rc = rle_parse(cases[i].text, strlen(cases[i].text), "t.rle", &p, &err);
        if (rc != cases[i].code)
            FAILF("case %zu (%s): rc %d, want %d (%s)", i, cases[i].text, rc,
                  cases[i].code, err.msg);
        if (!strstr(err.msg, cases[i].msg))
            FAILF("case %zu: message \"%s\" lacks \"%s\"", i, err.msg, cases[i].msg);
        if (strchr(err.msg, '\n'))
            FAILF("case %zu: message is not one line", i);
        ASSERT(p == NULL);
    }
    return 0;
}

static int test_body_strings(void)
{
    struct pattern *p;
    struct glider_error err = {0};
    char pic[64];
    ASSERT_OK(rle_parse_body("bo$2bo$3o!", 10, "g.json", 3, 12, &p, &err), &err);
    ASSERT_STR_EQ(tu_picture(p, pic, sizeof pic), ".O./..O/OOO");
    ASSERT(!p->bounds.present);
    pattern_destroy(p);
    /* Positions are offset by where the body sits in its file. */
    ASSERT_EQ(rle_parse_body("bo$k", 4, "g.json", 3, 12, &p, &err), GLIDER_EPARSE);
    ASSERT_CONTAINS(err.msg, "g.json:3:15: unexpected 'k'");
    ASSERT_EQ(rle_parse_body("bo$\n2k", 6, "g.json", 3, 12, &p, &err), GLIDER_EPARSE);
    ASSERT_CONTAINS(err.msg, "g.json:4:2: unexpected 'k'");
    ASSERT_EQ(rle_parse_body("x = 3, y = 3\nbo!", 16, "g.json", 1, 1, &p, &err),
              GLIDER_EPARSE);
    ASSERT_CONTAINS(err.msg, "g.json:1:1: expected only the RLE body");
    ASSERT_EQ(rle_parse(NULL, 3, "n", &p, &err), GLIDER_EINVAL);
    return 0;
}

/* ---- A large file ---------------------------------------------------------- */

static int test_large_file(void)
{
    /* About 20 MB of random runs over 16000 x 2400 cells, plus a row of one
     * huge run; the reader must take it in one linear sweep. */
    const int W = 16000, H = 2400;
    size_t cap = 24u << 20, n = 0;
    char *buf = malloc(cap);
    ASSERT(buf);
    n += (size_t)snprintf(buf, cap, "#N big\nx = %d, y = %d, rule = B3/S23\n", W, H);
    uint64_t pop = 0;
    int linelen = 0;
    for (int y = 0; y < H - 1; y++) {
        int x = 0;
        while (x < W && n + 64 < cap) {
            int run = (int)(rng() % 5) + 1;
            if (x + run > W)
                run = W - x;
            int alive = (int)(rng() & 1);
            int k = run > 1 ? snprintf(buf + n, 16, "%d%c", run, alive ? 'o' : 'b')
                            : snprintf(buf + n, 16, "%c", alive ? 'o' : 'b');
            n += (size_t)k;
            linelen += k;
            if (linelen > 60) {
                buf[n++] = '\n';
                linelen = 0;
            }
            if (alive)
                pop += (uint64_t)run;
            x += run;
        }
        buf[n++] = '$';
    }
    n += (size_t)snprintf(buf + n, cap - n, "%do!\n", W);
    pop += (uint64_t)W;
    ASSERT(n > (18u << 20));
    struct pattern *p;
    struct glider_error err = {0};
    clock_t t0 = clock();
    ASSERT_OK(rle_parse(buf, n, "big.rle", &p, &err), &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("# parsed %.1f MB in %.2f s\n", (double)n / (1 << 20), secs);
    ASSERT_EQ(p->width, W);
    ASSERT_EQ(p->height, H);
    ASSERT(p->cells); /* a soup: stored as a grid */
    ASSERT_U64_EQ(grid_population(p->cells), pop);
    ASSERT_STR_EQ(p->name, "big");
    /* And back: the writer is linear too, and its output reads the same. */
    char *out = write_string(p);
    ASSERT(out);
    struct pattern *q;
    ASSERT_OK(rle_parse(out, strlen(out), "big2.rle", &q, &err), &err);
    ASSERT(grid_equal(p->cells, q->cells));
    free(out);
    pattern_destroy(q);
    pattern_destroy(p);
    free(buf);
    return 0;
}

static int test_pattern_save_load(void)
{
    /* Through the files layer: pattern_save picks RLE by extension. */
    char path[] = "/tmp/glider-test-rle-XXXXXX";
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    close(fd);
    unlink(path);
    char file[64];
    snprintf(file, sizeof file, "%s.rle", path);
    struct pattern *p = parse("#N Blinker\n#C period 2\nx = 3, y = 1, rule = B3/S23:T8,6\n3o!");
    ASSERT(p);
    struct glider_error err = {0};
    ASSERT_OK(pattern_save(p, file, &err), &err);
    struct pattern *q;
    ASSERT_OK(pattern_load(file, &q, &err), &err);
    if (same_pattern(p, q))
        return 1;
    unlink(file);
    pattern_destroy(p);
    pattern_destroy(q);
    return 0;
}

/* ---- Patterns larger than a universe (the sparse form) -------------------- */

/* Two gliders 200000 cells apart: no universe (at most 65536 a side) can
 * hold the box, so the reader stores it run by run.  This is exactly what
 * the writer gives back. */
static const char two_gliders[] =
    "#N Two gliders\n"
    "x = 200003, y = 200003, rule = B3/S23\n"
    "bo$2bo$3o199998$200001bo$200002bo$200000b3o!\n";

static int test_sparse_two_gliders(void)
{
    struct pattern *p = parse(two_gliders);
    ASSERT(p);
    ASSERT_EQ(p->width, 200003);
    ASSERT_EQ(p->height, 200003);
    ASSERT(p->cells == NULL);
    ASSERT(p->runs != NULL);
    ASSERT_EQ((long)p->nruns, 6);
    ASSERT_U64_EQ(pattern_population(p), 10);
    int x0, y0, x1, y1;
    ASSERT(pattern_bbox(p, &x0, &y0, &x1, &y1));
    ASSERT(x0 == 0 && y0 == 0 && x1 == 200003 && y1 == 200003);
    /* The runs, in order. */
    static const struct pattern_run want[] = {
        {0, 1, 2}, {1, 2, 3}, {2, 0, 3},
        {200000, 200001, 200002}, {200001, 200002, 200003}, {200002, 200000, 200003}};
    struct pattern_iter it;
    struct pattern_run r;
    size_t n = 0;
    pattern_iter_init(&it, p);
    while (pattern_iter_next(&it, &r)) {
        ASSERT(n < 6);
        if (r.y != want[n].y || r.x0 != want[n].x0 || r.x1 != want[n].x1)
            FAILF("run %zu is row %d columns [%d, %d), want row %d [%d, %d)", n,
                  r.y, r.x0, r.x1, want[n].y, want[n].x0, want[n].x1);
        n++;
    }
    ASSERT_EQ((long)n, 6);
    /* pattern_get by binary search. */
    ASSERT(pattern_get(p, 1, 0) && pattern_get(p, 2, 1) && pattern_get(p, 0, 2) &&
           pattern_get(p, 2, 2) && pattern_get(p, 200001, 200000) &&
           pattern_get(p, 200000, 200002) && pattern_get(p, 200002, 200002));
    ASSERT(!pattern_get(p, 0, 0) && !pattern_get(p, 3, 2) &&
           !pattern_get(p, 200000, 200000) && !pattern_get(p, 200001, 200001) &&
           !pattern_get(p, 100000, 100000) && !pattern_get(p, -1, 2) &&
           !pattern_get(p, 200003, 200002));
    /* Written back byte for byte, and read back to the same runs. */
    char *out = write_string(p);
    ASSERT(out);
    ASSERT_STR_EQ(out, two_gliders);
    struct pattern *q = parse(out);
    ASSERT(q && q->runs);
    if (tu_same_cells(p, q))
        return 1;
    char *body;
    struct glider_error err = {0};
    ASSERT_OK(rle_body_string(p, &body, &err), &err);
    ASSERT_STR_EQ(body, "bo$2bo$3o199998$200001bo$200002bo$200000b3o!");
    free(body);
    /* No universe can hold it: a clear refusal, and nothing placed. */
    int w = 0, h = 0;
    enum topology topo;
    ASSERT_EQ(pattern_universe(p, &w, &h, &topo, &err), GLIDER_ELIMIT);
    ASSERT_STR_EQ(err.msg, "pattern is 200003x200003 cells, larger than the "
                           "largest universe (65536x65536); 'glider convert' "
                           "can still read and write it");
    struct grid *g;
    ASSERT_OK(grid_create(&g, 64, 64, TOPO_TORUS, &err), &err);
    glider_error_clear(&err);
    ASSERT_EQ(pattern_place(p, g, &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "pattern is 200003x200003 cells, larger than the largest universe");
    ASSERT_U64_EQ(grid_population(g), 0);
    grid_destroy(g);
    free(out);
    pattern_destroy(q);
    pattern_destroy(p);
    return 0;
}

/* Through the files layer: the refusal names the file it came from. */
static int test_sparse_file(void)
{
    char dir[] = "/tmp/glider-test-rle-XXXXXX";
    ASSERT(mkdtemp(dir));
    char in[96], out[96];
    snprintf(in, sizeof in, "%s/two.rle", dir);
    snprintf(out, sizeof out, "%s/out.rle", dir);
    FILE *f = fopen(in, "w");
    ASSERT(f);
    fputs(two_gliders, f);
    ASSERT_EQ(fclose(f), 0);
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(pattern_load(in, &p, &err), &err);
    ASSERT_STR_EQ(p->source, in);
    int w, h;
    enum topology topo;
    ASSERT_EQ(pattern_universe(p, &w, &h, &topo, &err), GLIDER_ELIMIT);
    char want[256];
    snprintf(want, sizeof want, "%s: pattern is 200003x200003 cells, larger than "
             "the largest universe (65536x65536)", in);
    ASSERT_CONTAINS(err.msg, want);
    ASSERT_OK(pattern_save(p, out, &err), &err);
    char *text;
    size_t len;
    ASSERT_OK(pattern_read_file(out, &text, &len, &err), &err);
    ASSERT_STR_EQ(text, two_gliders);
    free(text);
    pattern_destroy(p);
    unlink(in);
    unlink(out);
    rmdir(dir);
    return 0;
}

/* A box a grid could hold but mostly empty (30000 x 30000, 113 MB as a
 * grid): stored run by run, and placed cell for cell. */
static int test_sparse_placed(void)
{
    struct pattern *p = parse("x = 30000, y = 30000\n"
                              "bo$2bo$3o29995$29998bo$29999bo$29997b3o!");
    ASSERT(p);
    ASSERT_EQ(p->width, 30000);
    ASSERT_EQ(p->height, 30000);
    ASSERT(p->cells == NULL && p->nruns == 6);
    struct glider_error err = {0};
    int w, h;
    enum topology topo;
    ASSERT_OK(pattern_universe(p, &w, &h, &topo, &err), &err);
    /* Half its size of room each side. */
    ASSERT(w == 60000 && h == 60000 && topo == TOPO_TORUS);
    /* Centred in a universe of its own size: exactly where the file says. */
    struct grid *g;
    ASSERT_OK(grid_create(&g, 30000, 30000, TOPO_PLANE, &err), &err);
    ASSERT_OK(pattern_place(p, g, &err), &err);
    ASSERT_U64_EQ(grid_population(g), 10);
    static const int cells[10][2] = {
        {1, 0}, {2, 1}, {0, 2}, {1, 2}, {2, 2},
        {29998, 29997}, {29999, 29998}, {29997, 29999}, {29998, 29999}, {29999, 29999}};
    for (int i = 0; i < 10; i++)
        if (!grid_get(g, cells[i][0], cells[i][1]))
            FAILF("cell (%d, %d) was not placed", cells[i][0], cells[i][1]);
    grid_destroy(g);
    /* Too small a universe: the first live cell outside is named. */
    ASSERT_OK(grid_create(&g, 100, 100, TOPO_TORUS, &err), &err);
    ASSERT_EQ(pattern_place(p, g, &err), GLIDER_ELIMIT);
    ASSERT_STR_EQ(err.msg, "live cell (-14949, -14950) is outside the 100x100 "
                           "universe (pattern is 30000x30000)");
    ASSERT_U64_EQ(grid_population(g), 0);
    grid_destroy(g);
    pattern_destroy(p);
    return 0;
}

/* The cells of 'p' in the sparse form whatever their size (the same text
 * fields are not needed: only cells, rule, bounds and origin are copied). */
static struct pattern *to_sparse(const struct pattern *p)
{
    struct pattern *q;
    struct glider_error err = {0};
    if (pattern_create(&q, 0, 0, &err))
        return NULL;
    q->rule = p->rule;
    q->has_rule = p->has_rule;
    q->bounds = p->bounds;
    q->has_origin = p->has_origin;
    q->origin_x = p->origin_x;
    q->origin_y = p->origin_y;
    struct pattern_iter it;
    struct pattern_run r, *all = NULL;
    size_t n = 0, cap = 0;
    pattern_iter_init(&it, p);
    while (pattern_iter_next(&it, &r)) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            struct pattern_run *m = realloc(all, cap * sizeof *m);
            if (!m) {
                free(all);
                pattern_destroy(q);
                return NULL;
            }
            all = m;
        }
        all[n++] = r;
    }
    q->width = p->width;
    q->height = p->height;
    if (n) {
        q->runs = malloc(2 * n * sizeof *q->runs);
        q->cap_runs = 2 * n;
    }
    if (n && !q->runs) {
        free(all);
        pattern_destroy(q);
        return NULL;
    }
    /* Backwards, some runs cut in two touching pieces given right piece
     * first: pattern_finish_cells must sort and merge them again. */
    for (size_t k = n; k-- > 0;) {
        r = all[k];
        if (r.x1 - r.x0 >= 2 && (rng() & 1)) {
            int mid = r.x0 + 1 + (int)(rng() % (uint64_t)(r.x1 - r.x0 - 1));
            pattern_add_run(q, r.y, mid, r.x1);
            pattern_add_run(q, r.y, r.x0, mid);
        } else {
            pattern_add_run(q, r.y, r.x0, r.x1);
        }
    }
    free(all);
    pattern_finish_cells(q);
    return q;
}

/* 'p' written by 'fn' from both forms gives the same text. */
static int same_text_both_forms(tu_write_fn fn, const struct pattern *p,
                                const struct pattern *q, const char *what)
{
    char *a = tu_write_string(fn, p), *b = tu_write_string(fn, q);
    ASSERT(a && b);
    if (strcmp(a, b) != 0)
        FAILF("%s differs between the dense and the sparse form:\n%s\n---\n%s",
              what, a, b);
    free(a);
    free(b);
    return 0;
}

/* Random patterns in both forms: the writers (RLE, JSON, .cells) give the
 * same text, the bounding box, population and every cell agree, and placing
 * gives the same universe or the same error. */
static int test_sparse_same_as_dense(void)
{
    struct glider_error err = {0};
    for (int round = 0; round < 60; round++) {
        int w = 1 + (int)(rng() % 90), h = 1 + (int)(rng() % 70);
        struct pattern *p;
        ASSERT_OK(pattern_create(&p, w, h, &err), &err);
        double density = (double)(rng() % 100) / 200.0;
        if (round % 3 == 0) {
            /* Sparse rows and columns: empty rows and long gaps. */
            for (int k = (int)(rng() % 6); k > 0; k--)
                grid_set(p->cells, (int)(rng() % (uint64_t)w),
                         (int)(rng() % (uint64_t)h), 1);
        } else {
            grid_fill_soup(p->cells, density, rng());
        }
        if (round % 4 == 1) {
            p->bounds = (struct rule_bounds){1, round % 8 == 1 ? TOPO_PLANE : TOPO_TORUS,
                                             w + (int)(rng() % 20), h + (int)(rng() % 20)};
            p->has_origin = round % 8 == 1;
        }
        struct pattern *q = to_sparse(p);
        ASSERT(q);
        ASSERT(q->cells == NULL);
        if (tu_same_cells(p, q))
            return 1;
        ASSERT_U64_EQ(pattern_population(q), pattern_population(p));
        int a[4] = {0}, b[4] = {0};
        ASSERT_EQ(pattern_bbox(p, &a[0], &a[1], &a[2], &a[3]),
                  pattern_bbox(q, &b[0], &b[1], &b[2], &b[3]));
        ASSERT(memcmp(a, b, sizeof a) == 0);
        for (int y = -1; y <= h; y++)
            for (int x = -1; x <= w; x++)
                if (pattern_get(p, x, y) != pattern_get(q, x, y))
                    FAILF("round %d: cell (%d, %d) differs", round, x, y);
        if (same_text_both_forms(rle_write, p, q, "RLE") ||
            same_text_both_forms(cells_write, p, q, ".cells"))
            return 1;
        /* JSON draws patterns up to 64 x 64 as "rows" from a grid only;
         * larger ones are "rle" from either form. */
        if ((w > 64 || h > 64) && same_text_both_forms(pattern_json_write, p, q, "JSON"))
            return 1;
        char *json = tu_write_string(pattern_json_write, q);
        ASSERT(json);
        struct pattern *back = tu_parse(pattern_json_parse, json, "q.json");
        ASSERT(back);
        if (tu_same_cells(p, back))
            return 1;
        free(json);
        pattern_destroy(back);
        /* Placing, in a universe that may be too small. */
        int uw = w / 2 + (int)(rng() % (uint64_t)(w + 10)) + 1;
        int uh = h / 2 + (int)(rng() % (uint64_t)(h + 10)) + 1;
        struct grid *gp, *gq;
        ASSERT_OK(grid_create(&gp, uw, uh, TOPO_TORUS, &err), &err);
        ASSERT_OK(grid_create(&gq, uw, uh, TOPO_TORUS, &err), &err);
        struct glider_error ep = {0}, eq = {0};
        int rp = pattern_place(p, gp, &ep), rq = pattern_place(q, gq, &eq);
        ASSERT_EQ(rp, rq);
        ASSERT_STR_EQ(ep.msg, eq.msg);
        ASSERT(grid_equal(gp, gq));
        grid_destroy(gp);
        grid_destroy(gq);
        pattern_destroy(p);
        pattern_destroy(q);
    }
    return 0;
}

/* pattern_alloc_cells picks the form and enforces the limits. */
static int test_alloc_cells(void)
{
    static const struct {
        int64_t w, h;
        uint64_t runs;
        int dense;
    } cases[] = {
        {100, 100, 10, 1},          /* small: always a grid */
        {8000, 8000, 1, 1},         /* 8 MB: still a grid */
        {30000, 30000, 10, 0},      /* 113 MB, mostly empty: runs */
        {30000, 30000, 10000000, 1},/* a dense soup of that size: a grid */
        {65537, 1, 1, 0},           /* wider than any grid */
        {1, 200000, 5, 0},
    };
    struct glider_error err = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pattern *p;
        ASSERT_OK(pattern_create(&p, 0, 0, &err), &err);
        ASSERT_OK(pattern_alloc_cells(p, cases[i].w, cases[i].h, cases[i].runs,
                                      "a.rle", &err), &err);
        if ((p->cells != NULL) != cases[i].dense)
            FAILF("case %zu: %lldx%lld with %llu runs: want %s", i,
                  (long long)cases[i].w, (long long)cases[i].h,
                  (unsigned long long)cases[i].runs,
                  cases[i].dense ? "a grid" : "runs");
        ASSERT_EQ(p->width, (int)cases[i].w);
        ASSERT_EQ(p->height, (int)cases[i].h);
        pattern_destroy(p);
    }
    struct pattern *p;
    ASSERT_OK(pattern_create(&p, 0, 0, &err), &err);
    ASSERT_EQ(pattern_alloc_cells(p, 70000, 10, (uint64_t)PATTERN_MAX_RUNS + 1,
                                  "a.rle", &err), GLIDER_ELIMIT);
    ASSERT_STR_EQ(err.msg, "a.rle: 33554433 runs of live cells in a 70000x10 box: "
                           "over Glider's limit of 33554432 runs for a pattern "
                           "stored run by run");
    ASSERT_EQ(pattern_alloc_cells(p, (int64_t)PATTERN_MAX_DIM + 1, 1, 1, "a.rle",
                                  &err), GLIDER_ELIMIT);
    ASSERT_CONTAINS(err.msg, "a.rle: the pattern is 1073741825x1 cells, over "
                             "Glider's limit of 1073741824 cells a side");
    ASSERT(!p->cells && !p->runs && p->width == 0);
    /* Runs out of order, overlapping and touching: sorted and merged. */
    ASSERT_OK(pattern_alloc_cells(p, 100000, 5, 8, "a.rle", &err), &err);
    ASSERT(p->runs);
    pattern_add_run(p, 3, 50, 60);
    pattern_add_run(p, 1, 7, 9);
    pattern_add_run(p, 3, 10, 20);
    pattern_add_run(p, 3, 55, 70); /* overlaps [50, 60) */
    pattern_add_run(p, 3, 20, 25); /* touches [10, 20) */
    pattern_add_run(p, 0, 99990, 100000);
    pattern_add_run(p, 1, 7, 8);   /* inside [7, 9) */
    pattern_add_run(p, 4, 0, 1);
    pattern_add_run(p, 4, 5, 6);   /* a ninth run: over the count, dropped */
    ASSERT(p->runs_unsorted);
    pattern_finish_cells(p);
    ASSERT(!p->runs_unsorted);
    char *body;
    ASSERT_OK(rle_body_string(p, &body, &err), &err);
    ASSERT_STR_EQ(body, "99990b10o$7b2o2$10b15o25b20o$o!");
    free(body);
    ASSERT_U64_EQ(pattern_population(p), 10 + 2 + 15 + 20 + 1);
    pattern_destroy(p);
    return 0;
}

/* An allocation that fails while reading says which file it was reading. */
static int test_out_of_memory_names_file(void)
{
    static const char *const inputs[] = {
        "#N glider\n#C c\nx = 3, y = 3\nbo$2bo$3o!\n", two_gliders};
    static const enum sys_op ops[] = {SYS_OP_MALLOC, SYS_OP_MMAP};
    int refused = 0;
    for (size_t i = 0; i < 2; i++)
        for (size_t o = 0; o < 2; o++)
            for (long n = 1; n < 100; n++) {
                struct pattern *p = NULL;
                struct glider_error err = {0};
                long calls0 = sys_fault_calls(ops[o]);
                sys_fault_arm(ops[o], n, ENOMEM, 0);
                int rc = rle_parse(inputs[i], strlen(inputs[i]), "oom.rle", &p, &err);
                sys_fault_disarm_all();
                int hit = sys_fault_calls(ops[o]) - calls0 >= n;
                if (rc) {
                    ASSERT(hit);
                    ASSERT_EQ(rc, GLIDER_ENOMEM);
                    ASSERT(p == NULL);
                    if (strncmp(err.msg, "oom.rle: ", 9) != 0)
                        FAILF("input %zu, fault %ld: \"%s\" does not name the file",
                              i, n, err.msg);
                    refused++;
                } else {
                    pattern_destroy(p);
                }
                if (!hit)
                    break;
            }
    printf("# %d allocation failures, each named the file\n", refused);
    ASSERT_GT(refused, 4);
    return 0;
}

static const struct test_case tests[] = {
    {"glider", test_glider},
    {"rule_spellings", test_rule_spellings},
    {"hash_r", test_hash_r},
    {"row_ends_merged", test_row_ends_merged},
    {"header_whitespace", test_header_whitespace},
    {"line_endings", test_line_endings},
    {"tolerated_tags", test_tolerated_tags},
    {"text_line_breaks", test_text_line_breaks},
    {"header_like_body_line", test_header_like_body_line},
    {"comment_limit", test_comment_limit},
    {"comments_round_trip", test_comments_round_trip},
    {"bounded_grids", test_bounded_grids},
    {"bounded_round_trip", test_bounded_round_trip},
    {"soup_round_trips", test_soup_round_trips},
    {"empty_pattern", test_empty_pattern},
    {"golly_wrapping", test_golly_wrapping},
    {"malformed", test_malformed},
    {"body_strings", test_body_strings},
    {"large_file", test_large_file},
    {"pattern_save_load", test_pattern_save_load},
    {"sparse_two_gliders", test_sparse_two_gliders},
    {"sparse_file", test_sparse_file},
    {"sparse_placed", test_sparse_placed},
    {"sparse_same_as_dense", test_sparse_same_as_dense},
    {"alloc_cells", test_alloc_cells},
    {"out_of_memory_names_file", test_out_of_memory_names_file},
};

TEST_MAIN(tests)
