/* cells.c - plaintext .cells (read and write) and Life 1.06 / 1.05 (read).
 *
 * Sections: lines and messages; .cells; Life 1.06 and 1.05; the .cells writer.
 *
 * Like the RLE reader, each reader makes two passes over the text: the first
 * checks it, keeps the comments, measures the live cells' bounding box and
 * counts their runs, the second adds the runs to cells of exactly that size
 * (a grid, or a run array for a box no grid can hold: pattern_alloc_cells).
 * Both are linear (Life 1.06 cells, which may come in any order, are sorted
 * once when the box is stored run by run) and nothing is regrown.  None of
 * these formats fixes a universe, so the patterns come back without bounds
 * or origin (they are centred when placed); Life 1.06 and 1.05 coordinates
 * are normalised to their bounding box. */
#include "cells.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"
#include "text_reader.h"

#define LIFE_COORD_MAX 1000000000L /* |x|, |y| in Life 1.06 / 1.05 files */

/* ---- Lines and messages -------------------------------------------------- */

struct lines {
    const char *s;      /* the text, not NUL-terminated */
    size_t n, i;        /* length, start of the next line */
    int line;           /* number of the line last returned, 1-based */
    const char *source; /* name for messages */
    struct glider_error *err;
    int fill;           /* second pass: add the cells (comments were kept) */
};

static void lines_init(struct lines *L, const char *s, size_t n,
                       const char *source, struct glider_error *err)
{
    L->s = s;
    L->n = n;
    L->i = text_bom_len(s, n);
    L->line = 0;
    L->source = source ? source : "<input>";
    L->err = err;
    L->fill = 0;
}

/* The next line without its ending (LF, CR or CRLF); 0 at the end. */
static int next_line(struct lines *L, const char **t, size_t *k)
{
    return text_next_line(L->s, L->n, &L->i, &L->line, t, k);
}

static int fail_at(struct lines *L, int code, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(struct lines *L, int code, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = text_vfail_at(L->err, code, L->source, L->line, col, fmt, ap);
    va_end(ap);
    return rc;
}

/* Sets *field (or appends a line to it) from t[0..k), trimmed. */
static int set_text(struct lines *L, char **field, const char *t, size_t k)
{
    t = text_trim(t, &k);
    return text_append(field, t, k, L->source, L->err);
}

static int add_comment(struct lines *L, struct pattern *p, const char *t,
                       size_t k)
{
    return text_add_comment(p, t, k, L->source, L->err);
}

/* An empty pattern, or an error naming the source. */
static int new_pattern(const char *source, struct pattern **p,
                       struct glider_error *err)
{
    if (pattern_create(p, 0, 0, NULL))
        return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory",
                             source ? source : "<input>");
    return 0;
}

/* Gives 'p' cells of width x height for 'nruns' runs (nothing when empty)
 * and starts the second pass: 'L' is rewound over 'data'. */
static int make_cells(struct lines *L, struct pattern *p, int64_t width,
                      int64_t height, uint64_t nruns)
{
    int rc = pattern_alloc_cells(p, width, height, nruns, L->source, L->err);
    if (rc)
        return rc;
    L->i = text_bom_len(L->s, L->n);
    L->line = 0;
    L->fill = 1;
    return 0;
}

/* ---- .cells -------------------------------------------------------------- */

/* One pass over a .cells text.  First pass: checks, keeps the '!' lines,
 * measures and counts the runs; second pass ('L->fill'): adds the runs. */
static int cells_pass(struct lines *L, struct pattern *p, int64_t *width,
                      int64_t *height, uint64_t *nruns)
{
    const char *t;
    size_t k;
    int64_t row = 0;  /* rows read so far (blank lines inside count) */
    int started = 0;  /* a row has been read */
    int named = 0;
    int fill = L->fill;
    int rc;
    while (next_line(L, &t, &k)) {
        if (k && t[0] == '!') {
            if (fill)
                continue;
            if (!named && !p->name && k >= 6 && memcmp(t, "!Name:", 6) == 0) {
                named = 1;
                rc = set_text(L, &p->name, t + 6, k - 6);
            } else if (k >= 8 && memcmp(t, "!Author:", 8) == 0) {
                rc = set_text(L, &p->author, t + 8, k - 8);
            } else {
                rc = add_comment(L, p, t + 1, k - 1);
            }
            if (rc)
                return rc;
            continue;
        }
        size_t len = text_rtrim_len(t, k);
        if (len == 0) {
            if (started)
                row++;
            continue;
        }
        started = 1;
        if (row >= PATTERN_MAX_DIM)
            return fail_at(L, GLIDER_ELIMIT, 1,
                           "more than %d rows: over Glider's limit for a "
                           "pattern",
                           PATTERN_MAX_DIM);
        size_t a = 0; /* start of the current run of live cells */
        for (size_t x = 0; x < len; x++) {
            char c = t[x];
            int alive = c == 'O' || c == '*';
            if (!alive && c != '.') {
                char b[16];
                return fail_at(L, GLIDER_EPARSE, (int)x + 1,
                               "unexpected %s in a .cells row: expected '.' "
                               "(dead) or 'O' (alive)",
                               text_show_byte(c, b));
            }
            if (alive && (x == 0 || (t[x - 1] != 'O' && t[x - 1] != '*')))
                a = x;
            if (alive && (x + 1 == len || (t[x + 1] != 'O' && t[x + 1] != '*'))) {
                if (fill)
                    pattern_add_run(p, (int)row, (int)a, (int)x + 1);
                else
                    (*nruns)++;
            }
        }
        if (len > PATTERN_MAX_DIM)
            return fail_at(L, GLIDER_ELIMIT, PATTERN_MAX_DIM + 1,
                           "row is %zu cells wide: over Glider's limit of %d "
                           "for a pattern",
                           len, PATTERN_MAX_DIM);
        if ((int64_t)len > *width)
            *width = (int64_t)len;
        row++;
        *height = row;
    }
    return 0;
}

int cells_parse(const char *data, size_t len, const char *source,
                struct pattern **out, struct glider_error *err)
{
    if (!out || (!data && len))
        return glider_errorf(err, GLIDER_EINVAL, "cells_parse: no %s",
                             out ? "data" : "result pointer");
    *out = NULL;
    struct pattern *p;
    int rc = new_pattern(source, &p, err);
    if (rc)
        return rc;
    struct lines L;
    int64_t width = 0, height = 0;
    uint64_t nruns = 0;
    lines_init(&L, data, len, source, err);
    if ((rc = cells_pass(&L, p, &width, &height, &nruns)) == 0 &&
        width > 0 && (rc = make_cells(&L, p, width, height, nruns)) == 0) {
        rc = cells_pass(&L, p, &width, &height, &nruns);
        pattern_finish_cells(p);
    }
    if (rc) {
        pattern_destroy(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ---- Life 1.06 and 1.05 -------------------------------------------------- */

struct life_box {
    int any;
    int64_t x0, y0, x1, y1; /* live extent, x1/y1 inclusive */
    uint64_t cells;         /* live cells listed (duplicates too) */
};

/* Records cell (x, y) on the first pass, adds it on the second ('fill';
 * then the box's top-left is (b->x0, b->y0)). */
static void life_cell(struct pattern *p, struct life_box *b, int fill,
                      int64_t x, int64_t y)
{
    if (fill) {
        int cx = (int)(x - b->x0);
        pattern_add_run(p, (int)(y - b->y0), cx, cx + 1);
        return;
    }
    b->cells++;
    if (!b->any) {
        b->any = 1;
        b->x0 = b->x1 = x;
        b->y0 = b->y1 = y;
        return;
    }
    if (x < b->x0)
        b->x0 = x;
    if (x > b->x1)
        b->x1 = x;
    if (y < b->y0)
        b->y0 = y;
    if (y > b->y1)
        b->y1 = y;
}

/* Reads "x y" from t[*j..k) into *x, *y; 0 or an error located there. */
static int life_pair(struct lines *L, const char *t, size_t k, size_t *j,
                     int64_t *x, int64_t *y, const char *what)
{
    for (int i = 0; i < 2; i++) {
        while (*j < k && text_is_blank(t[*j]))
            (*j)++;
        int bad = text_parse_int(t, k, j, LIFE_COORD_MAX, i ? y : x);
        if (bad == -2)
            return fail_at(L, GLIDER_ELIMIT, (int)*j + 1,
                           "coordinate is over %ld in size", LIFE_COORD_MAX);
        if (bad || (*j < k && !text_is_blank(t[*j]))) {
            char b[16];
            return fail_at(L, GLIDER_EPARSE, (int)*j + 1,
                           "expected %s (two integers, e.g. '-1 2'), found "
                           "%s",
                           what,
                           *j >= k ? "the end of the line" : text_show_byte(t[*j], b));
        }
    }
    while (*j < k && text_is_blank(t[*j]))
        (*j)++;
    if (*j < k) {
        char b[16];
        return fail_at(L, GLIDER_EPARSE, (int)*j + 1,
                       "expected the end of the line after %s, found %s", what,
                       text_show_byte(t[*j], b));
    }
    return 0;
}

/* A '#' line of a Life 1.06 or 1.05 file (first pass only). */
static int life_hash_line(struct lines *L, struct pattern *p, const char *t,
                          size_t k, int v105, int64_t *bx, int64_t *by,
                          int64_t *row)
{
    char tag = k > 1 ? t[1] : '\0';
    int rc;
    size_t j = 2;
    switch (tag) {
    case 'P':
        if (!v105)
            break;
        /* '#P x y' starts a block; a bare '#P' means 0 0. */
        *row = 0;
        while (j < k && text_is_blank(t[j]))
            j++;
        if (j >= k) {
            *bx = *by = 0;
            return 0;
        }
        return life_pair(L, t, k, &j, bx, by, "the block's position after '#P'");
    case 'D':
    case 'C':
        if (L->fill)
            return 0;
        if (j < k && text_is_blank(t[j]))
            j++;
        return add_comment(L, p, t + j, k - j);
    case 'N': {
        /* 1.05: '#N' alone means the normal rules; 1.06 writers use it for
         * the name. */
        size_t e = text_rtrim_len(t, k);
        if (e <= 2) {
            p->rule = RULE_LIFE;
            p->has_rule = 1;
            return 0;
        }
        if (L->fill || p->name)
            return L->fill ? 0 : add_comment(L, p, t, k);
        return set_text(L, &p->name, t + 2, k - 2);
    }
    case 'O':
        return L->fill ? 0 : set_text(L, &p->author, t + 2, k - 2);
    case 'R': {
        char rule[64];
        while (j < k && text_is_blank(t[j]))
            j++;
        size_t e = text_rtrim_len(t, k);
        if (e <= j || e - j >= sizeof rule)
            return fail_at(L, GLIDER_EPARSE, (int)j + 1,
                           "expected a rule after '#R' (e.g. '#R 23/3')");
        memcpy(rule, t + j, e - j);
        rule[e - j] = '\0';
        struct glider_error e2 = {0};
        if ((rc = rule_parse(rule, &p->rule, &e2)))
            return fail_at(L, rc, (int)j + 1, "%s", e2.msg);
        p->has_rule = 1;
        return 0;
    }
    default:
        break;
    }
    return L->fill ? 0 : add_comment(L, p, t, k);
}

static int life_pass(struct lines *L, struct pattern *p, struct life_box *b,
                     int v105)
{
    const char *t;
    size_t k;
    int64_t bx = 0, by = 0, row = 0; /* 1.05: current block and row in it */
    int rc;
    while (next_line(L, &t, &k)) {
        if (L->line == 1)
            continue; /* the '#Life 1.0x' header, checked by the caller */
        size_t e = text_rtrim_len(t, k);
        size_t j = 0;
        while (j < e && text_is_blank(t[j]))
            j++;
        if (j >= e)
            continue;
        if (t[j] == '#') {
            if ((rc = life_hash_line(L, p, t + j, e - j, v105, &bx, &by, &row)))
                return rc;
            continue;
        }
        if (v105) {
            for (size_t x = j; x < e; x++) {
                char c = t[x];
                if (c == '*' || c == 'O')
                    life_cell(p, b, L->fill, bx + (int64_t)x, by + row);
                else if (c != '.') {
                    char bb[16];
                    return fail_at(L, GLIDER_EPARSE, (int)x + 1,
                                   "unexpected %s in a Life 1.05 row: expected "
                                   "'.' (dead) or '*' (alive)",
                                   text_show_byte(c, bb));
                }
            }
            row++;
            if (row > LIFE_COORD_MAX)
                return fail_at(L, GLIDER_ELIMIT, 1, "too many rows in a block");
        } else {
            int64_t x, y;
            if ((rc = life_pair(L, t, e, &j, &x, &y, "a cell 'x y'")))
                return rc;
            life_cell(p, b, L->fill, x, y);
        }
    }
    return 0;
}

int life106_parse(const char *data, size_t len, const char *source,
                  struct pattern **out, struct glider_error *err)
{
    if (!out || (!data && len))
        return glider_errorf(err, GLIDER_EINVAL, "life106_parse: no %s",
                             out ? "data" : "result pointer");
    *out = NULL;
    struct lines L;
    const char *t = "";
    size_t k = 0;
    lines_init(&L, data, len, source, err);
    if (!next_line(&L, &t, &k))
        k = 0;
    k = text_rtrim_len(t, k);
    int v105 = k == 10 && memcmp(t, "#Life 1.05", 10) == 0;
    if (!v105 && !(k == 10 && memcmp(t, "#Life 1.06", 10) == 0)) {
        L.line = 1;
        return fail_at(&L, GLIDER_EPARSE, 1,
                       "expected the header '#Life 1.06' (or '#Life 1.05') "
                       "on the first line");
    }
    struct pattern *p;
    int rc = new_pattern(source, &p, err);
    if (rc)
        return rc;
    struct life_box b = {0};
    lines_init(&L, data, len, source, err);
    rc = life_pass(&L, p, &b, v105);
    if (rc == 0 && b.any) {
        int64_t w = b.x1 - b.x0 + 1, h = b.y1 - b.y0 + 1;
        if (w > PATTERN_MAX_DIM || h > PATTERN_MAX_DIM)
            rc = glider_errorf(err, GLIDER_ELIMIT,
                               "%s: the cells span %lldx%lld: over Glider's "
                               "limit of %d cells a side for a pattern",
                               L.source, (long long)w, (long long)h,
                               PATTERN_MAX_DIM);
        else if ((rc = make_cells(&L, p, w, h, b.cells)) == 0) {
            rc = life_pass(&L, p, &b, v105);
            pattern_finish_cells(p); /* the cells may come in any order */
        }
    }
    if (rc) {
        pattern_destroy(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ---- The .cells writer --------------------------------------------------- */

/* Writes 'text' line by line, each line after 'prefix'. */
static void put_lines(FILE *f, const char *prefix, const char *text)
{
    for (const char *s = text; s;) {
        const char *line = s;
        size_t e = text_line(line, &s);
        fprintf(f, "%s%.*s\n", prefix, (int)e, line);
    }
}

/* Writes a one-line field: newlines become spaces. */
static void put_field(FILE *f, const char *prefix, const char *text)
{
    fputs(prefix, f);
    for (const char *s = text; *s; s++)
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    fputc('\n', f);
}

/* Writes row line[0..end) and a newline; an empty row is written ".". */
static void put_row(FILE *f, char *line, int end)
{
    if (end == 0)
        line[end++] = '.';
    line[end] = '\n';
    fwrite(line, 1, (size_t)end + 1, f);
}

/* Bytes the rows [y0, y1) of live cells take as .cells text: each row up to
 * its last live cell and a newline ('x0' is the box's left column). */
static uint64_t body_bytes(const struct pattern *p, int x0, int y0, int y1)
{
    struct pattern_iter it;
    struct pattern_run r;
    uint64_t total = 0, rows = 0;
    int64_t y = -1, end = 0;
    pattern_iter_init(&it, p);
    while (pattern_iter_next(&it, &r)) {
        if (r.y != y) {
            total += y >= 0 ? (uint64_t)(end - x0 + 1) : 0;
            rows++;
            y = r.y;
        }
        end = r.x1;
    }
    total += y >= 0 ? (uint64_t)(end - x0 + 1) : 0;
    return total + 2 * ((uint64_t)(y1 - y0) - rows);
}

const char *cells_lost(const struct pattern *p, char *buf, size_t size)
{
    static const struct rule life = RULE_LIFE;
    int rule = !rule_equal(&p->rule, &life), world = p->bounds.present;
    if (!rule && !world)
        return NULL;
    char r[RULE_TEXT_MAX] = "", w[64] = "";
    if (rule)
        rule_format(&p->rule, r, sizeof r);
    if (world)
        snprintf(w, sizeof w, "the %dx%d %s", p->bounds.width, p->bounds.height,
                 topology_name(p->bounds.topo));
    snprintf(buf, size, "%s%s%s%s", rule ? "the rule " : "", r,
             rule && world ? " and " : "", w);
    return buf;
}

int cells_write(const struct pattern *p, FILE *f, struct glider_error *err)
{
    if (!p || !f)
        return glider_errorf(err, GLIDER_EINVAL, "cells_write: no %s",
                             p ? "file" : "pattern");
    /* .cells spends a byte on every cell of the box: refuse what Glider
     * could not read back (a file over PATTERN_MAX_FILE_BYTES) before
     * writing anything. */
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (pattern_bbox(p, &x0, &y0, &x1, &y1)) {
        uint64_t bytes = body_bytes(p, x0, y0, y1);
        if (bytes > PATTERN_MAX_FILE_BYTES)
            return glider_errorf(err, GLIDER_ELIMIT,
                                 "the .cells text of this %dx%d pattern would "
                                 "be %.1f MiB, over the %u MiB limit of "
                                 "pattern files; write .rle or .json instead",
                                 x1 - x0, y1 - y0,
                                 (double)bytes / (1024.0 * 1024.0),
                                 PATTERN_MAX_FILE_BYTES / (1024u * 1024u));
    }
    if (p->name)
        put_field(f, "!Name: ", p->name);
    if (p->author)
        put_field(f, "!Author: ", p->author);
    if (p->description)
        put_lines(f, "!", p->description);
    for (int i = 0; i < p->ncomments; i++)
        put_lines(f, "!", p->comments[i] ? p->comments[i] : "");
    if (x1 > x0) {
        char *line = sys_malloc((size_t)(x1 - x0) + 2);
        if (!line)
            return glider_errorf(err, GLIDER_ENOMEM,
                                 "out of memory writing .cells");
        struct pattern_iter it;
        struct pattern_run r;
        int y = y0, end = 0; /* the row being built and its length */
        pattern_iter_init(&it, p);
        while (pattern_iter_next(&it, &r)) {
            for (; y < r.y; y++, end = 0)
                put_row(f, line, end);
            memset(line + end, '.', (size_t)(r.x0 - x0 - end));
            memset(line + (r.x0 - x0), 'O', (size_t)(r.x1 - r.x0));
            end = r.x1 - x0;
        }
        put_row(f, line, end);
        free(line);
    }
    if (ferror(f)) /* errno is the last failed write's */
        return glider_syserrorf(err, GLIDER_EIO, errno, "cannot write .cells");
    return 0;
}
