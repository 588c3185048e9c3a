/* test_pattern_json.c - the JSON pattern loader and saver: round trips,
 * every class of error with its located message, the corpus of malformed
 * files in tests/data/json/bad (each with a NAME.expect sidecar holding a
 * substring of the message), huge and deeply nested input. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../engine/grid.h"
#include "../engine/pattern.h"
#include "../engine/pattern_json.h"
#include "../engine/rle.h"
#include "../engine/sys.h"
#include "test.h"
#include "test_util.h"

#ifndef GLIDER_TEST_DATA
#error "GLIDER_TEST_DATA must name tests/data"
#endif

/* ---- Helpers ------------------------------------------------------------- */

static int parse(const char *text, struct pattern **p, struct glider_error *err)
{
    return pattern_json_parse(text, strlen(text), "t.json", p, err);
}

/* Parses 'text', which must fail with a message containing 'want'. */
static int expect_error(const char *text, const char *want)
{
    struct pattern *p = NULL;
    struct glider_error err = {0};
    int rc = parse(text, &p, &err);
    if (rc == 0) {
        pattern_destroy(p);
        FAILF("parsed, but expected an error containing \"%s\" for:\n%s", want,
              text);
    }
    ASSERT(p == NULL);
    ASSERT(rc < 0);
    ASSERT(strchr(err.msg, '\n') == NULL);
    ASSERT_CONTAINS(err.msg, want);
    return 0;
}

/* Saves 'p' as JSON into a malloc'd string. */
static char *to_json(const struct pattern *p)
{
    return tu_write_string(pattern_json_write, p);
}

/* Everything a pattern file says, compared. */
static int same_pattern(const struct pattern *a, const struct pattern *b)
{
    if (!tu_same_text(a->name, b->name) ||
        !tu_same_text(a->author, b->author) ||
        !tu_same_text(a->description, b->description) ||
        a->ncomments != b->ncomments || !rule_equal(&a->rule, &b->rule) ||
        a->bounds.present != b->bounds.present ||
        a->has_origin != b->has_origin || a->width != b->width ||
        a->height != b->height)
        return 0;
    for (int i = 0; i < a->ncomments; i++)
        if (strcmp(a->comments[i], b->comments[i]) != 0)
            return 0;
    if (a->bounds.present &&
        (a->bounds.width != b->bounds.width ||
         a->bounds.height != b->bounds.height || a->bounds.topo != b->bounds.topo))
        return 0;
    if (a->has_origin &&
        (a->origin_x != b->origin_x || a->origin_y != b->origin_y))
        return 0;
    /* The same runs at the same places, whichever form holds them. */
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
        if (ra.y != rb.y || ra.x0 != rb.x0 || ra.x1 != rb.x1)
            return 0;
    }
}

/* Loads 'text', saves it, loads that, and checks nothing changed. */
static int round_trip(const char *text)
{
    struct pattern *a = NULL, *b = NULL;
    struct glider_error err = {0};
    ASSERT_OK(parse(text, &a, &err), &err);
    char *saved = to_json(a);
    ASSERT(saved != NULL);
    int rc = parse(saved, &b, &err);
    if (rc) {
        fprintf(stderr, "saved text:\n%s\n", saved);
        FAILF("reloading failed: %s", err.msg);
    }
    if (!same_pattern(a, b))
        FAILF("round trip changed the pattern; saved text:\n%s", saved);
    /* Saving again gives the same bytes. */
    char *again = to_json(b);
    ASSERT(again != NULL);
    ASSERT_STR_EQ(saved, again);
    free(saved);
    free(again);
    pattern_destroy(a);
    pattern_destroy(b);
    return 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

static const char glider_json[] =
    "{\n"
    "  \"name\": \"Glider\",\n"
    "  \"author\": \"Richard K. Guy\",\n"
    "  \"description\": \"The smallest spaceship.\",\n"
    "  \"rule\": \"B3/S23\",\n"
    "  \"universe\": { \"width\": 64, \"height\": 48, \"topology\": \"torus\" },\n"
    "  \"origin\": { \"x\": 10, \"y\": 12 },\n"
    "  \"rows\": [\".O.\", \"..O\", \"OOO\"]\n"
    "}\n";

/* ---- Loading what is valid ----------------------------------------------- */

static int test_design_example(void)
{
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(parse(glider_json, &p, &err), &err);
    ASSERT_STR_EQ(p->name, "Glider");
    ASSERT_STR_EQ(p->author, "Richard K. Guy");
    ASSERT_STR_EQ(p->description, "The smallest spaceship.");
    ASSERT(p->has_rule);
    ASSERT(rule_equal(&p->rule, &RULE_LIFE));
    ASSERT(p->bounds.present);
    ASSERT_EQ(p->bounds.width, 64);
    ASSERT_EQ(p->bounds.height, 48);
    ASSERT_EQ(p->bounds.topo, TOPO_TORUS);
    ASSERT(p->has_origin);
    ASSERT_EQ(p->origin_x, 10);
    ASSERT_EQ(p->origin_y, 12);
    ASSERT_EQ(p->width, 3);
    ASSERT_EQ(p->height, 3);
    ASSERT_U64_EQ(grid_population(p->cells), 5);

    /* Placed where the file says, in the universe it asks for. */
    int w, h;
    enum topology t;
    pattern_default_universe(p, &w, &h, &t);
    ASSERT_EQ(w, 64);
    ASSERT_EQ(h, 48);
    struct grid *g;
    ASSERT_OK(grid_create(&g, w, h, t, &err), &err);
    ASSERT_OK(pattern_place(p, g, &err), &err);
    static const char *const rows[] = {".O.", "..O", "OOO"};
    struct grid *want = tu_grid_from_rows(64, 48, TOPO_TORUS, 10, 12, rows, 3);
    ASSERT(want != NULL);
    ASSERT(grid_equal(g, want));
    grid_destroy(g);
    grid_destroy(want);
    pattern_destroy(p);
    return 0;
}

static int test_defaults(void)
{
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(parse("{\"rows\": [\"OO\", \"OO\"]}", &p, &err), &err);
    ASSERT(!p->has_rule);
    ASSERT(rule_equal(&p->rule, &RULE_LIFE));
    ASSERT(!p->bounds.present);
    ASSERT(!p->has_origin);
    ASSERT(p->name == NULL && p->author == NULL && p->description == NULL);
    ASSERT_EQ(p->width, 2);
    ASSERT_EQ(p->height, 2);
    pattern_destroy(p);

    /* Ragged rows are padded with dead cells; '*' is alive too. */
    ASSERT_OK(parse("{\"rows\": [\"*\", \"..O\", \"\"]}", &p, &err), &err);
    ASSERT_EQ(p->width, 3);
    ASSERT_EQ(p->height, 3);
    ASSERT(grid_get(p->cells, 0, 0) && grid_get(p->cells, 2, 1));
    ASSERT_U64_EQ(grid_population(p->cells), 2);
    pattern_destroy(p);

    /* No cells at all is a valid, empty pattern. */
    ASSERT_OK(parse("{\"cells\": []}", &p, &err), &err);
    ASSERT(p->cells == NULL);
    pattern_destroy(p);
    ASSERT_OK(parse("{\"rows\": []}", &p, &err), &err);
    ASSERT(p->cells == NULL);
    pattern_destroy(p);
    return 0;
}

static int test_cells_source(void)
{
    /* The same glider as pairs, in any order, duplicates allowed. */
    struct pattern *a, *b;
    struct glider_error err = {0};
    ASSERT_OK(parse("{\"origin\": {\"x\": 5, \"y\": 7}, \"rows\": [\".O.\", "
                    "\"..O\", \"OOO\"]}",
                    &a, &err),
              &err);
    ASSERT_OK(parse("{\"origin\": {\"x\": 5, \"y\": 7}, \"cells\": [[2, 2], "
                    "[1, 0], [2, 1], [0, 2], [1, 2], [1, 0]]}",
                    &b, &err),
              &err);
    ASSERT(same_pattern(a, b));
    pattern_destroy(b);

    /* The bounding box of the pairs is the pattern; the origin moves with
     * its corner so the cells land in the same places. */
    ASSERT_OK(parse("{\"origin\": {\"x\": 1, \"y\": 2}, \"cells\": [[5, 7], "
                    "[6, 7]]}",
                    &b, &err),
              &err);
    ASSERT_EQ(b->width, 2);
    ASSERT_EQ(b->height, 1);
    ASSERT_EQ(b->origin_x, 6);
    ASSERT_EQ(b->origin_y, 9);
    pattern_destroy(a);
    pattern_destroy(b);
    return 0;
}

static int test_rule_and_suffix(void)
{
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(parse("{\"rule\": \"b36/s23\", \"rows\": [\"O\"]}", &p, &err),
              &err);
    struct rule highlife;
    ASSERT_OK(rule_parse("B36/S23", &highlife, &err), &err);
    ASSERT(rule_equal(&p->rule, &highlife));
    pattern_destroy(p);

    /* Golly's bounded-grid suffix gives the universe... */
    ASSERT_OK(parse("{\"rule\": \"B3/S23:P30,20\", \"rows\": [\"O\"]}", &p, &err),
              &err);
    ASSERT(p->bounds.present);
    ASSERT_EQ(p->bounds.width, 30);
    ASSERT_EQ(p->bounds.height, 20);
    ASSERT_EQ(p->bounds.topo, TOPO_PLANE);
    pattern_destroy(p);
    /* ...and may repeat "universe" when they agree. */
    ASSERT_OK(parse("{\"rule\": \"B3/S23:T30,20\", \"universe\": {\"width\": "
                    "30, \"height\": 20}, \"rows\": [\"O\"]}",
                    &p, &err),
              &err);
    pattern_destroy(p);
    return 0;
}

static int test_text_fields(void)
{
    struct pattern *p;
    struct glider_error err = {0};
    /* Escapes, a surrogate pair, raw UTF-8 and a byte order mark. */
    ASSERT_OK(parse("\xEF\xBB\xBF{\"name\": \"Koks\\u0027 galaxy \\ud83c\\udf0c "
                    "\xC3\xA9\\n\", \"comments\": [\"one\", \"tab\\there\"], "
                    "\"rows\": [\"O\"]}",
                    &p, &err),
              &err);
    ASSERT_STR_EQ(p->name, "Koks' galaxy \xF0\x9F\x8C\x8C \xC3\xA9\n");
    ASSERT_EQ(p->ncomments, 2);
    ASSERT_STR_EQ(p->comments[1], "tab\there");
    char *s = to_json(p);
    ASSERT(s != NULL);
    struct pattern *q;
    ASSERT_OK(parse(s, &q, &err), &err);
    ASSERT(same_pattern(p, q));
    pattern_destroy(q);
    free(s);

    /* A name that is not UTF-8 (say from a Latin-1 RLE file) is saved with
     * U+FFFD in place of the bad byte, so the file still loads. */
    ASSERT_OK(pattern_set_text(&p->name, "caf\xE9", &err), &err);
    s = to_json(p);
    ASSERT(s != NULL);
    ASSERT_OK(parse(s, &q, &err), &err);
    ASSERT_STR_EQ(q->name, "caf\xEF\xBF\xBD");
    pattern_destroy(q);
    free(s);
    pattern_destroy(p);
    return 0;
}

/* ---- Saving -------------------------------------------------------------- */

static int test_round_trip_small(void)
{
    int rc;
    if ((rc = round_trip(glider_json)))
        return rc;
    if ((rc = round_trip("{\"rows\": [\"OO\", \"O.\"]}")))
        return rc;
    if ((rc = round_trip("{\"rule\": \"B2/S\", \"universe\": {\"width\": 9, "
                         "\"height\": 7, \"topology\": \"plane\"}, \"rows\": "
                         "[\"...\", \".O.\", \"...\"]}")))
        return rc;
    if ((rc = round_trip("{\"name\": \"nothing\", \"comments\": [\"a\", \"\"], "
                         "\"cells\": []}")))
        return rc;
    return round_trip("{\"cells\": [[63, 0], [0, 63]], \"origin\": {\"x\": 0, "
                      "\"y\": 0}}");
}

static int test_saved_layout(void)
{
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(parse(glider_json, &p, &err), &err);
    char *s = to_json(p);
    ASSERT(s != NULL);
    /* Readable: one key per line, in a fixed order, the picture as rows. */
    ASSERT_STR_EQ(s,
                  "{\n"
                  "  \"name\": \"Glider\",\n"
                  "  \"author\": \"Richard K. Guy\",\n"
                  "  \"description\": \"The smallest spaceship.\",\n"
                  "  \"rule\": \"B3/S23\",\n"
                  "  \"universe\": {\"width\": 64, \"height\": 48, "
                  "\"topology\": \"torus\"},\n"
                  "  \"origin\": {\"x\": 10, \"y\": 12},\n"
                  "  \"rows\": [\n"
                  "    \".O.\",\n"
                  "    \"..O\",\n"
                  "    \"OOO\"\n"
                  "  ]\n"
                  "}\n");
    free(s);
    pattern_destroy(p);
    return 0;
}

/* A whole universe saved with pattern_save and loaded back is the same
 * universe, for a small (rows) and a large (rle) pattern. */
static int universe_round_trip(int w, int h, enum topology t, double density,
                               uint64_t seed, int box)
{
    struct glider_error err = {0};
    struct grid *g;
    ASSERT_OK(grid_create(&g, w, h, t, &err), &err);
    struct grid *soup;
    ASSERT_OK(grid_create(&soup, box, box, TOPO_PLANE, &err), &err);
    grid_fill_soup(soup, density, seed);
    for (int y = 0; y < box; y++)
        for (int x = 0; x < box; x++)
            if (grid_get(soup, x, y))
                grid_set(g, x + 3, y + 5, 1);
    grid_destroy(soup);
    struct rule r;
    ASSERT_OK(rule_parse("B36/S23", &r, &err), &err);
    struct pattern *p;
    ASSERT_OK(pattern_from_grid(g, &r, &p, &err), &err);
    char path[] = "/tmp/glider-json-XXXXXX";
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    close(fd);
    unlink(path);
    char file[64];
    snprintf(file, sizeof file, "%s.json", path);
    int rc = pattern_save(p, file, &err);
    pattern_destroy(p);
    if (rc == GLIDER_EUNSUPPORTED) {
        grid_destroy(g);
        SKIP("saving as \"rle\" needs the RLE writer: %s", err.msg);
    }
    ASSERT_OK(rc, &err);
    struct pattern *q;
    rc = pattern_load(file, &q, &err);
    unlink(file);
    ASSERT_OK(rc, &err);
    int w2, h2;
    enum topology t2;
    pattern_default_universe(q, &w2, &h2, &t2);
    ASSERT_EQ(w2, w);
    ASSERT_EQ(h2, h);
    ASSERT_EQ(t2, t);
    ASSERT(rule_equal(&q->rule, &r));
    struct grid *g2;
    ASSERT_OK(grid_create(&g2, w2, h2, t2, &err), &err);
    ASSERT_OK(pattern_place(q, g2, &err), &err);
    if (!grid_equal(g, g2)) {
        tu_report_diff(g, g2);
        FAILF("the universe changed on a JSON round trip");
    }
    grid_destroy(g2);
    grid_destroy(g);
    pattern_destroy(q);
    return 0;
}

static int test_round_trip_universe_rows(void)
{
    return universe_round_trip(100, 80, TOPO_PLANE, 0.4, 7, 40);
}

static int test_round_trip_universe_rle(void)
{
    return universe_round_trip(300, 200, TOPO_TORUS, 0.3, 11, 150);
}

/* A large pattern (saved as "rle", whose body starts at the live cells)
 * with dead margins lands in the same cells of its universe after a round
 * trip, whether it has an origin or is centred. */
static int test_round_trip_rle_margins(void)
{
    struct glider_error err = {0};
    for (int with_origin = 0; with_origin < 2; with_origin++) {
        struct pattern *p, *q;
        ASSERT_OK(pattern_create(&p, 100, 90, &err), &err);
        struct grid *soup;
        ASSERT_OK(grid_create(&soup, 50, 40, TOPO_PLANE, &err), &err);
        grid_fill_soup(soup, 0.5, 3);
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 50; x++)
                if (grid_get(soup, x, y))
                    grid_set(p->cells, x + 17, y + 21, 1);
        grid_destroy(soup);
        p->bounds = (struct rule_bounds){1, TOPO_PLANE, 201, 151};
        p->has_origin = with_origin;
        p->origin_x = 30;
        p->origin_y = 40;
        char *s = to_json(p);
        if (!s)
            SKIP("saving as \"rle\" needs the RLE writer");
        ASSERT_CONTAINS(s, "\"rle\": [");
        int rc = parse(s, &q, &err);
        free(s);
        ASSERT_OK(rc, &err);
        struct grid *a, *b;
        ASSERT_OK(grid_create(&a, 201, 151, TOPO_PLANE, &err), &err);
        ASSERT_OK(grid_create(&b, 201, 151, TOPO_PLANE, &err), &err);
        ASSERT_OK(pattern_place(p, a, &err), &err);
        ASSERT_OK(pattern_place(q, b, &err), &err);
        if (!grid_equal(a, b)) {
            tu_report_diff(a, b);
            FAILF("with_origin %d: the cells moved", with_origin);
        }
        grid_destroy(a);
        grid_destroy(b);
        pattern_destroy(p);
        pattern_destroy(q);
    }
    /* A large pattern with no live cell saves and loads as empty. */
    struct pattern *p, *q;
    ASSERT_OK(pattern_create(&p, 100, 100, &err), &err);
    char *s = to_json(p);
    ASSERT(s != NULL);
    ASSERT_OK(parse(s, &q, &err), &err);
    free(s);
    ASSERT(q->cells == NULL || grid_population(q->cells) == 0);
    pattern_destroy(p);
    pattern_destroy(q);
    return 0;
}

/* A small pattern (saved as "rows") whose box, blank margins included,
 * reaches outside its universe while its live cells are inside - as an RLE
 * position can put it - saves with an origin the reader takes, the cells in
 * the same places: the rows shrink to the live cells. */
static int test_round_trip_rows_margins(void)
{
    struct glider_error err = {0};
    for (int i = 0; i < 2; i++) {
        struct pattern *p, *q;
        ASSERT_OK(pattern_create(&p, 6, 4, &err), &err);
        grid_set(p->cells, 3, 1, 1);
        grid_set(p->cells, 2, 2, 1);
        p->bounds = (struct rule_bounds){1, TOPO_TORUS, 10, 10};
        p->has_origin = 1;
        if (i == 1) { /* the box reaches past the right and bottom edges */
            p->origin_x = 5;
            p->origin_y = 6;
        } else { /* the box starts left of and above the universe */
            p->origin_x = -2;
            p->origin_y = -1;
        }
        char *s = to_json(p);
        ASSERT(s != NULL);
        ASSERT_CONTAINS(s, "\"rows\": [");
        int rc = parse(s, &q, &err);
        if (rc)
            fprintf(stderr, "%s\n", s);
        free(s);
        ASSERT_OK(rc, &err);
        struct grid *a, *b;
        ASSERT_OK(grid_create(&a, 10, 10, TOPO_TORUS, &err), &err);
        ASSERT_OK(grid_create(&b, 10, 10, TOPO_TORUS, &err), &err);
        ASSERT_OK(pattern_place(p, a, &err), &err);
        ASSERT_OK(pattern_place(q, b, &err), &err);
        ASSERT_U64_EQ(grid_population(a), 2);
        if (!grid_equal(a, b)) {
            tu_report_diff(a, b);
            FAILF("case %d: the cells moved", i);
        }
        grid_destroy(a);
        grid_destroy(b);
        pattern_destroy(p);
        pattern_destroy(q);
    }
    return 0;
}

/* ---- Errors -------------------------------------------------------------- */

static int test_syntax_errors(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"name\": \"x\" \"rows\": []}",
         "t.json:1:14: expected ',' or '}', got '\"'"},
        {"{\n  \"rows\": [\"O\"],\n}", "t.json:3:1: expected '\"' (the next key) after ','"},
        {"{\"rows\": [\"O\",]}", "t.json:1:15: expected a value after ','"},
        {"{\"rows\" [\"O\"]}", "t.json:1:9: expected ':' after the key, got '['"},
        {"{rows: []}", "t.json:1:2: expected '\"' (keys are written in double quotes), got 'rows'"},
        {"{\"rows\": ['O']}", "t.json:1:11: expected a value; JSON strings use double quotes"},
        {"{\"rows\": [] // c\n}", "t.json:1:13: expected ',' or '}', got '/'"},
        {"{\"rows\": // c\n[]}", "t.json:1:10: expected a value; JSON does not allow comments"},
        {"{\"name\": \"abc", "t.json:1:14: expected '\"' to close the string that starts at line 1, column 10, got end of file"},
        {"{\"name\": \"ab\nc\"}", "t.json:1:13: expected '\"' before the end of the line"},
        {"{\"name\": \"a\\qb\"}", "t.json:1:12: invalid escape '\\q'"},
        {"{\"name\": \"\\u12G4\"}", "t.json:1:15: expected 4 hex digits after '\\u', got 'G4'"},
        {"{\"name\": \"\\udc00\"}", "t.json:1:11: \\uDC00 is the second half of a UTF-16 surrogate pair"},
        {"{\"name\": \"\\ud800x\"}", "t.json:1:17: expected '\\uDC00'..'\\uDFFF' to complete the surrogate pair \\uD800, got 'x'"},
        {"{\"origin\": {\"x\": 01}}", "t.json:1:18: a number cannot start with 0 followed by more digits"},
        {"{\"origin\": {\"x\": -}}", "t.json:1:19: expected a digit after '-', got '}'"},
        {"{\"origin\": {\"x\": 1.}}", "t.json:1:20: expected a digit after '.', got '}'"},
        {"{\"origin\": {\"x\": 1e}}", "t.json:1:20: expected a digit in the exponent, got '}'"},
        {"{\"rule\": True}", "t.json:1:10: expected a value (an object, array, string, number, true, false or null), got 'True'"},
        {"{\"rows\": [\"O\"]} x", "t.json:1:17: expected the end of the file after the top-level object, got 'x'"},
        {"{\"rows\": [\"O\"]}{}", "t.json:1:16: expected the end of the file after the top-level object, got '{'"},
        {"  \n\t ", "t.json:2:3: expected a JSON object, got a blank file"},
        {"{\"rows\": [\"O\"]", "t.json:1:15: expected ',' or '}', got end of file"},
        /* Lines end at LF, CRLF or a lone CR (old Mac files). */
        {"{\r  \"name\": \"x\",\r  \"rows\": [\"O\"]\r  \"rule\": 5\r}\r",
         "t.json:4:3: expected ',' or '}', got '\"'"},
        {"{\r\n  \"rows\": [\"O\"]\r\n  \"rule\": 5\r\n}\r\n",
         "t.json:3:3: expected ',' or '}', got '\"'"},
        {"{\"name\": \"a\tb\"}", "t.json:1:12: control character 0x09 inside a string; write it as \\u0009"},
        {"{\"name\": \"\xC3\xA9\xC3\xA9\" \"x\"}", "t.json:1:15: expected ',' or '}', got '\"'"},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        failed += expect_error(cases[i].text, cases[i].want) != 0;
    ASSERT_EQ(failed, 0);
    return 0;
}

static int test_encoding_errors(void)
{
    int rc;
    /* Latin-1, an overlong '/', a UTF-16 surrogate encoded as UTF-8, and
     * a truncated sequence at the end. */
    if ((rc = expect_error("{\"name\": \"caf\xE9\"}",
                           "t.json:1:14: invalid UTF-8 (byte 0xe9); JSON "
                           "pattern files must be UTF-8")))
        return rc;
    if ((rc = expect_error("{\n\"name\": \"\xC0\xAF\"}",
                           "t.json:2:10: invalid UTF-8 (byte 0xc0)")))
        return rc;
    if ((rc = expect_error("{\"name\": \"\xED\xA0\x80\"}",
                           "t.json:1:11: invalid UTF-8 (byte 0xed)")))
        return rc;
    if ((rc = expect_error("{\"name\": \"x\"}\xF0\x9F",
                           "t.json:1:14: invalid UTF-8 (byte 0xf0)")))
        return rc;
    /* A NUL byte: binary data. */
    struct pattern *p;
    struct glider_error err = {0};
    static const char nul[] = "{\"name\": \"a\0b\", \"rows\": []}";
    ASSERT_EQ(pattern_json_parse(nul, sizeof nul - 1, "t.json", &p, &err),
              GLIDER_EPARSE);
    ASSERT_CONTAINS(err.msg, "t.json:1:12: NUL byte in the file");
    ASSERT_EQ(pattern_json_parse("", 0, "t.json", &p, &err), GLIDER_EPARSE);
    ASSERT_CONTAINS(err.msg, "t.json:1:1: empty file");
    return 0;
}

static int test_schema_errors(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"{\n  \"universe\": {\"width\": -3, \"height\": 4},\n  \"rows\": []\n}",
         "t.json:2:25: universe.width: must be an integer between 1 and "
         "65536, got -3"},
        {"{\"universe\": {\"width\": 5, \"height\": 70000}, \"rows\": []}",
         "t.json:1:37: universe.height: must be an integer between 1 and "
         "65536, got 70000"},
        {"{\"universe\": {\"width\": 5.5, \"height\": 7}, \"rows\": []}",
         "universe.width: must be an integer between 1 and 65536, got 5.5"},
        {"{\"universe\": {\"width\": \"5\", \"height\": 7}, \"rows\": []}",
         "universe.width: must be an integer between 1 and 65536, got the "
         "string \"5\""},
        {"{\"universe\": {\"widht\": 5, \"height\": 7}, \"rows\": []}",
         "t.json:1:15: universe.widht: unknown key; did you mean \"width\"?"},
        {"{\"universe\": {\"width\": 5}, \"rows\": []}",
         "t.json:1:14: universe: needs \"width\" and \"height\""},
        {"{\"universe\": [5, 5], \"rows\": []}",
         "t.json:1:14: universe: must be an object {\"width\": W, \"height\": "
         "H, \"topology\": \"torus\" or \"plane\"}, got an array"},
        {"{\"universe\": {\"width\": 5, \"height\": 5, \"topology\": \"klein\"}, "
         "\"rows\": []}",
         "t.json:1:52: universe.topology: must be \"torus\" or \"plane\", got "
         "the string \"klein\""},
        {"{\"descripton\": \"x\", \"rows\": []}",
         "t.json:1:2: descripton: unknown key; did you mean \"description\"?"},
        {"{\"Name\": \"x\", \"rows\": []}",
         "Name: unknown key; did you mean \"name\"?"},
        {"{\"colour\": \"x\", \"rows\": []}",
         "t.json:1:2: colour: unknown key (known keys: name, author, "
         "description, comments, rule, universe, origin, rows, cells, rle, "
         "expect)"},
        {"{\"name\": \"a\", \"rows\": [], \"name\": \"b\"}",
         "t.json:1:27: name: duplicate key"},
        {"{\"name\": 42, \"rows\": []}",
         "t.json:1:10: name: must be a string, got 42"},
        {"{\"comments\": \"x\", \"rows\": []}",
         "comments: must be an array of strings, got the string \"x\""},
        {"{\"comments\": [\"x\", 1], \"rows\": []}",
         "t.json:1:20: comments[1]: must be a string, got 1"},
        {"[\"O\"]",
         "t.json:1:1: expected a JSON object {\"rows\": [...], ...} at the top "
         "level, got an array"},
        {"{\"name\": \"x\"}",
         "t.json:1:1: no cells: give exactly one of \"rows\" (a picture), "
         "\"cells\" ([x, y] pairs) or \"rle\" (an RLE body)"},
        {"{\"rows\": [\"O\"],\n \"cells\": [[0, 0]]}",
         "t.json:2:11: cells: \"rows\" was given already; give exactly one of "
         "\"rows\", \"cells\" or \"rle\""},
        {"{\"rows\": \"O.O\"}",
         "t.json:1:10: rows: must be an array of strings such as"},
        {"{\"rows\": [\"O.O\", 7]}",
         "t.json:1:18: rows[1]: must be a string of '.' and 'O', got 7"},
        {"{\"rows\": [\"O.O\",\n          \"..x.\"]}",
         "t.json:2:14: rows[1]: unexpected 'x' at index 2; expected '.' "
         "(dead) or 'O' or '*' (alive)"},
        {"{\"rows\": [\"\\t.x\"]}",
         "t.json:1:12: rows[0]: unexpected byte 0x09 at index 0"},
        {"{\"rows\": [\".\\u00e9\"]}",
         "t.json:1:13: rows[0]: unexpected '\xC3\xA9' at index 1"},
        {"{\"cells\": [[0, 0], [1]]}",
         "t.json:1:20: cells[1]: must be a pair [x, y] of integers, got an "
         "array"},
        {"{\"cells\": [[0, 0], [1, -1]]}",
         "t.json:1:24: cells[1][1]: must be an integer between 0 and 65535, "
         "got -1"},
        {"{\"cells\": [[0.5, 0]]}",
         "cells[0][0]: must be an integer between 0 and 65535, got 0.5"},
        {"{\"cells\": {\"x\": 1}}", "t.json:1:11: cells: must be an array of [x, y] pairs"},
        {"{\"universe\": {\"width\": 8, \"height\": 8}, \"origin\": {\"x\": 2, "
         "\"y\": 2},\n \"cells\": [[0, 0], [5, 5], [6, 1]]}",
         "t.json:2:28: cells[2]: cell [6, 1] lands on (8, 3), outside the 8x8 "
         "universe"},
        {"{\"universe\": {\"width\": 8, \"height\": 8}, \"origin\": {\"x\": 2, "
         "\"y\": 5},\n \"rows\": [\"O\", \"O\", \".O\", \"..O\"]}",
         "t.json:2:30: rows[3]: live cell at index 2 lands on (4, 8), outside "
         "the 8x8 universe"},
        {"{\"universe\": {\"width\": 2, \"height\": 8}, \"rows\": [\"O.O\"]}",
         "t.json:1:49: rows: the pattern is 3x1, larger than the 2x8 universe"},
        {"{\"universe\": {\"width\": 8, \"height\": 8}, \"origin\": {\"x\": 8, "
         "\"y\": 0}, \"rows\": [\"O\"]}",
         "t.json:1:51: origin: (8, 0) is outside the 8x8 universe"},
        {"{\"origin\": {\"x\": 65535, \"y\": 0}, \"rows\": [\".O\"]}",
         "rows: live cell (1, 0) of the pattern lands on (65536, 0), outside "
         "the 65536x65536 largest possible universe"},
        {"{\"origin\": {\"x\": 1}, \"rows\": [\"O\"]}",
         "t.json:1:12: origin: needs both \"x\" and \"y\""},
        {"{\"origin\": {\"x\": 1, \"z\": 2}, \"rows\": [\"O\"]}",
         "t.json:1:21: origin.z: unknown key; did you mean \"x\"?"},
        {"{\"rule\": \"B3/S2x\", \"rows\": [\"O\"]}",
         "t.json:1:10: rule: rule 'B3/S2x': column 6: unexpected 'x'"},
        {"{\"rule\": 23, \"rows\": [\"O\"]}",
         "t.json:1:10: rule: must be a string, got 23"},
        {"{\"rule\": \"B3/S23:K10,10\", \"rows\": [\"O\"]}",
         "rule: rule 'B3/S23:K10,10': the Klein bottle topology"},
        {"{\"rule\": \"B3/S23:T10,10\", \"universe\": {\"width\": 10, "
         "\"height\": 12}, \"rows\": [\"O\"]}",
         "t.json:1:39: universe: 10x12 torus disagrees with the rule's suffix "
         "(10x10 torus); give the universe in one place"},
        {"{\"expect\": {\"perod\": 2}, \"rows\": [\"O\"]}",
         "t.json:1:13: expect.perod: unknown key; did you mean \"period\"?"},
        {"{\"expect\": {\"period\": 0}, \"rows\": [\"O\"]}",
         "expect.period: must be an integer between 1 and 1000000000, got 0"},
        {"{\"expect\": {\"population\": 5}, \"rows\": [\"O\"]}",
         "t.json:1:12: expect: \"population\" and \"at\" go together"},
        {"{\"expect\": {\"emits\": \"boat\", \"period\": 4}, \"rows\": [\"O\"]}",
         "expect.emits: must be \"glider\", \"lwss\", \"mwss\" or \"hwss\", got "
         "the string \"boat\""},
        {"{\"expect\": {\"contains\": \"xq4_15.3\"}, \"rows\": [\"O\"]}",
         "t.json:1:25: expect.contains: must be an apgcode such as \"xq4_153\" "
         "(x, s/p/q, a number, '_', then 0-9 a-z), got the string \"xq4_15.3\""},
        {"{\"expect\": {\"contains\": 5}, \"rows\": [\"O\"]}",
         "expect.contains: must be an apgcode"},
        {"{\"expect\": {\"displacement\": [1, 1]}, \"rows\": [\"O\"]}",
         "expect: \"displacement\" needs a \"period\""},
        {"{\"expect\": {\"still\": 1}, \"rows\": [\"O\"]}",
         "expect.still: must be true or false, got 1"},
        {"{\"rle\": 5}", "t.json:1:9: rle: must be an RLE body"},
        {"{\"rle\": []}", "t.json:1:9: rle: is an empty array"},
        {"{\"rle\": [\"bo$\", 5]}", "t.json:1:17: rle[1]: must be a string, got 5"},
        /* Errors inside an RLE body are placed in the file, past escapes. */
        {"{\"rle\": \"bo$2k!\"}", "t.json:1:14: unexpected 'k' in RLE data"},
        {"{\"rle\": \"bo$\\n2bo$\\n3k!\"}",
         "t.json:1:22: unexpected 'k' in RLE data"},
        {"{\"rle\": \"bo$\\u00322bo$3k!\"}",
         "t.json:1:24: unexpected 'k' in RLE data"},
        {"{\"rle\": \"bo$\\n2\\tb\"}",
         "t.json:1:16: bad run count: whitespace between the count at column "
         "15 "},
        {"{\"rle\": [\"bo$\", \"2bo\\t$\\t\", \"3k!\"]}",
         "t.json:1:31: unexpected 'k' in RLE data"},
        {"{\"rle\": [\"bo$\",\n   \"2bo$\\n3o\",\n \"2k!\"]}",
         "t.json:3:4: unexpected 'k' in RLE data"},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        failed += expect_error(cases[i].text, cases[i].want) != 0;
    ASSERT_EQ(failed, 0);
    return 0;
}

/* Arrays nested 64 deep are fine; 65 and a hundred thousand are refused
 * before cJSON sees them, with the place of the bracket too many. */
static int test_deep_nesting(void)
{
    size_t n = 100000;
    char *s = malloc(2 * n + 64);
    ASSERT(s != NULL);
    for (int depth = 63; depth <= 64; depth++) {
        /* The top-level object is level 1. */
        size_t k = 0;
        k += (size_t)sprintf(s, "{\"expect\": {\"x\": ");
        int arrays = depth - 2;
        for (int i = 0; i < arrays; i++)
            s[k++] = '[';
        for (int i = 0; i < arrays; i++)
            s[k++] = ']';
        k += (size_t)sprintf(s + k, "}, \"rows\": []}");
        struct pattern *p = NULL;
        struct glider_error err = {0};
        int rc = pattern_json_parse(s, k, "deep.json", &p, &err);
        /* It parses as JSON and then fails the schema: "x" is no key of
         * "expect". */
        ASSERT_EQ(rc, GLIDER_EPARSE);
        ASSERT_CONTAINS(err.msg, "expect.x: unknown key");
    }
    size_t k = (size_t)sprintf(s, "{\"rows\": ");
    for (int i = 0; i < 64; i++)
        s[k++] = '[';
    s[k] = '\0';
    int rc = expect_error(s, "t.json:1:73: arrays and objects nested more "
                             "than 64 deep");
    if (rc)
        return rc;
    k = (size_t)sprintf(s, "{\"cells\": ");
    for (size_t i = 0; i < n; i++)
        s[k++] = '[';
    for (size_t i = 0; i < n; i++)
        s[k++] = ']';
    s[k++] = '}';
    s[k] = '\0';
    rc = expect_error(s, "nested more than 64 deep");
    free(s);
    return rc;
}

/* More values than JSON_MAX_VALUES would make cJSON's tree huge; refused. */
static int test_too_many_values(void)
{
    size_t pairs = 340000; /* three values a pair */
    char *s = malloc(pairs * 8 + 64);
    ASSERT(s != NULL);
    size_t k = (size_t)sprintf(s, "{\"cells\": [");
    for (size_t i = 0; i < pairs; i++)
        k += (size_t)sprintf(s + k, "%s[0,0]", i ? "," : "");
    k += (size_t)sprintf(s + k, "]}");
    int rc = expect_error(s, "more than 1000000 JSON values; write large "
                             "patterns with \"rle\"");
    /* A third fewer is fine. */
    pairs = 200000;
    k = (size_t)sprintf(s, "{\"cells\": [");
    for (size_t i = 0; i < pairs; i++)
        k += (size_t)sprintf(s + k, "%s[%zu,%zu]", i ? "," : "", i % 500,
                             i / 500);
    k += (size_t)sprintf(s + k, "]}");
    struct pattern *p = NULL;
    struct glider_error err = {0};
    if (rc == 0) {
        int prc = pattern_json_parse(s, k, "many.json", &p, &err);
        if (prc)
            rc = 1, fprintf(stderr, "%s\n", err.msg);
        else if (grid_population(p->cells) != pairs)
            rc = 1, fprintf(stderr, "population %llu\n",
                            (unsigned long long)grid_population(p->cells));
    }
    pattern_destroy(p);
    free(s);
    return rc;
}

/* Files: a directory, a 2 GB sparse file (refused before anything is
 * allocated), an empty file, a missing file. */
static int test_file_errors(void)
{
    struct pattern *p = NULL;
    struct glider_error err = {0};
    char dir[] = "/tmp/glider-json-dir-XXXXXX";
    ASSERT(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/pattern.json", dir);
    ASSERT(mkdir(path, 0700) == 0);
    ASSERT(pattern_load(path, &p, &err) != 0);
    ASSERT(p == NULL);
    ASSERT_CONTAINS(err.msg, "is a directory");
    rmdir(path);

    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT(fd >= 0);
    ASSERT(ftruncate(fd, (off_t)2 << 30) == 0);
    close(fd);
#ifdef GLIDER_FAULT_INJECTION
    /* Any allocation for the 2 GB would fail the test. */
    sys_fault_arm(SYS_OP_MALLOC, 1, ENOMEM, 1);
#endif
    int rc = pattern_load(path, &p, &err);
#ifdef GLIDER_FAULT_INJECTION
    sys_fault_disarm_all();
#endif
    ASSERT_EQ(rc, GLIDER_ELIMIT);
    ASSERT(p == NULL);
    ASSERT_CONTAINS(err.msg, "pattern.json: file is 2048.0 MiB, over the");
    unlink(path);

    ASSERT(write_file(path, "", 0) == 0);
    ASSERT_EQ(pattern_load(path, &p, &err), GLIDER_EPARSE);
    ASSERT_CONTAINS(err.msg, "pattern.json:1:1: empty file");
    unlink(path);

    ASSERT_EQ(pattern_load(path, &p, &err), GLIDER_EIO);
    ASSERT_CONTAINS(err.msg, "cannot open: No such file or directory");
    rmdir(dir);
    return 0;
}

/* Every prefix of a valid file is an error, never a crash or a success with
 * half the cells. */
static int test_truncations(void)
{
    size_t n = strlen(glider_json);
    for (size_t k = 0; k + 2 < n; k++) {
        struct pattern *p = NULL;
        struct glider_error err = {0};
        int rc = pattern_json_parse(glider_json, k, "t.json", &p, &err);
        if (rc == 0)
            FAILF("prefix of %zu bytes parsed", k);
        ASSERT(p == NULL);
        ASSERT_CONTAINS(err.msg, "t.json:");
    }
    return 0;
}

/* Random byte changes: each either loads or fails with a located message. */
static int test_mutations(void)
{
    size_t n = strlen(glider_json);
    char *s = malloc(n + 1);
    ASSERT(s != NULL);
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        memcpy(s, glider_json, n + 1);
        int changes = 1 + (int)(x % 3);
        for (int c = 0; c < changes; c++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            static const char bytes[] = "{}[]\",:0-.eE\\u \n\tOx\xC3\xFF\x80";
            s[x % n] = bytes[(x >> 20) % (sizeof bytes - 1)];
        }
        struct pattern *p = NULL;
        struct glider_error err = {0};
        int rc = pattern_json_parse(s, n, "m.json", &p, &err);
        if (rc == 0) {
            pattern_destroy(p);
        } else if (strncmp(err.msg, "m.json:", 7) != 0) {
            free(s);
            FAILF("unlocated message: %s", err.msg);
        }
    }
    free(s);
    return 0;
}

/* Every allocation the loader makes, failed in turn: each failure is a
 * clean error (no crash, no leak under the sanitizers), and once no
 * allocation fails the file loads. */
static int test_allocation_failures(void)
{
#ifndef GLIDER_FAULT_INJECTION
    SKIP("needs the fault-injection build of the engine");
#else
    /* Every cell source, text fields and a pattern stored run by run; each
     * failure is out of memory and names the file. */
    static const char *const texts[] = {
        glider_json,
        "{\"name\": \"G\", \"comments\": [\"a\", \"b\"], \"rle\": [\"bo$2bo$\", \"3o!\"]}",
        "{\"author\": \"A\", \"cells\": [[1, 0], [2, 1], [0, 2], [1, 2], [2, 2]]}",
        "{\"rle\": \"bo$2bo$3o199998$200001bo$200002bo$200000b3o!\"}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        int loaded = 0;
        for (long nth = 1; nth < 10000 && !loaded; nth++) {
            struct pattern *p = NULL;
            struct glider_error err = {0};
            sys_fault_arm(SYS_OP_MALLOC, nth, ENOMEM, 0);
            int rc = parse(texts[i], &p, &err);
            sys_fault_disarm_all();
            if (rc == 0) {
                ASSERT_U64_EQ(pattern_population(p), 5 + (i == 3 ? 5 : 0));
                pattern_destroy(p);
                loaded = 1;
            } else {
                ASSERT(p == NULL);
                ASSERT_EQ(rc, GLIDER_ENOMEM);
                ASSERT(strstr(err.msg, "out of memory") != NULL);
                if (strncmp(err.msg, "t.json:", 7) != 0)
                    FAILF("text %zu, allocation %ld: \"%s\" does not name the "
                          "file", i, nth, err.msg);
            }
        }
        ASSERT(loaded);
    }
    return 0;
#endif
}

/* ---- Patterns larger than a universe --------------------------------------- */

/* An "rle" body may make a box no universe can hold (two gliders 200000
 * cells apart); it loads run by run, saves as "rle" and loads back to the
 * same runs.  With an origin or a universe it must fit, as any pattern. */
static int test_sparse_rle(void)
{
    static const char two[] =
        "{\"name\": \"two gliders\", \"rle\": "
        "\"bo$2bo$3o199998$200001bo$200002bo$200000b3o!\"}";
    struct pattern *p;
    struct glider_error err = {0};
    ASSERT_OK(parse(two, &p, &err), &err);
    ASSERT(p->cells == NULL && p->runs != NULL);
    ASSERT_EQ(p->width, 200003);
    ASSERT_EQ(p->height, 200003);
    ASSERT_U64_EQ(pattern_population(p), 10);
    char *saved = to_json(p);
    ASSERT(saved);
    ASSERT_CONTAINS(saved, "\"rle\": [\n    \"bo$2bo$3o199998$200001bo$200002bo$200000b3o!\"\n  ]");
    ASSERT(!strstr(saved, "origin"));
    free(saved);
    pattern_destroy(p);
    if (round_trip(two))
        return 1;
    if (expect_error("{\"origin\": {\"x\": 0, \"y\": 0}, \"rle\": "
                     "\"bo$2bo$3o199998$200001bo$200002bo$200000b3o!\"}",
                     "t.json:1:37: rle: live cell (200001, 200000) of the pattern "
                     "lands on (200001, 200000), outside the 65536x65536 largest "
                     "possible universe") ||
        expect_error("{\"origin\": {\"x\": 0, \"y\": 0}, \"rle\": \"65530b10o!\"}",
                     "rle: live cell (65536, 0) of the pattern lands on (65536, 0), "
                     "outside the 65536x65536 largest possible universe") ||
        expect_error("{\"universe\": {\"width\": 100, \"height\": 100}, \"rle\": "
                     "\"bo$2bo$3o199998$200001bo$200002bo$200000b3o!\"}",
                     "rle: the pattern is 200003x200003, larger than the 100x100 "
                     "universe"))
        return 1;
    return 0;
}

/* ---- The corpus of malformed files --------------------------------------- */

static int test_bad_corpus(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/json/bad", GLIDER_TEST_DATA);
    DIR *d = opendir(dir);
    ASSERT(d != NULL);
    int checked = 0, failed = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        char path[1024], expect_path[1024], want[512] = "";
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        snprintf(expect_path, sizeof expect_path, "%s/%.*s.expect", dir,
                 (int)(n - 5), de->d_name);
        FILE *f = fopen(expect_path, "r");
        if (!f) {
            fprintf(stderr, "%s: no .expect sidecar\n", path);
            failed++;
            continue;
        }
        if (!fgets(want, sizeof want, f))
            want[0] = '\0';
        fclose(f);
        want[strcspn(want, "\n")] = '\0';
        struct pattern *p = NULL;
        struct glider_error err = {0};
        int rc = pattern_load(path, &p, &err);
        checked++;
        if (rc == 0) {
            fprintf(stderr, "%s: loaded, expected \"%s\"\n", de->d_name, want);
            pattern_destroy(p);
            failed++;
        } else if (!want[0] || !strstr(err.msg, want) ||
                   strncmp(err.msg, path, strlen(path)) != 0) {
            fprintf(stderr, "%s:\n  got  %s\n  want %s\n", de->d_name, err.msg,
                    want);
            failed++;
        }
    }
    closedir(d);
    fprintf(stderr, "%d malformed files checked\n", checked);
    ASSERT_GE(checked, 40);
    ASSERT_EQ(failed, 0);
    return 0;
}

static const struct test_case tests[] = {
    {"design_example", test_design_example},
    {"defaults", test_defaults},
    {"cells_source", test_cells_source},
    {"rule_and_suffix", test_rule_and_suffix},
    {"text_fields", test_text_fields},
    {"round_trip_small", test_round_trip_small},
    {"saved_layout", test_saved_layout},
    {"round_trip_universe_rows", test_round_trip_universe_rows},
    {"round_trip_universe_rle", test_round_trip_universe_rle},
    {"round_trip_rle_margins", test_round_trip_rle_margins},
    {"round_trip_rows_margins", test_round_trip_rows_margins},
    {"syntax_errors", test_syntax_errors},
    {"encoding_errors", test_encoding_errors},
    {"schema_errors", test_schema_errors},
    {"deep_nesting", test_deep_nesting},
    {"too_many_values", test_too_many_values},
    {"file_errors", test_file_errors},
    {"truncations", test_truncations},
    {"mutations", test_mutations},
    {"allocation_failures", test_allocation_failures},
    {"bad_corpus", test_bad_corpus},
    {"sparse_rle", test_sparse_rle},
};

TEST_MAIN(tests)
