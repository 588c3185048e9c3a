/* cells.c - plaintext .cells (read and write) and Life 1.06 / 1.05 (read).
 *
 * Sections: lines and messages; .cells; Life 1.06 and 1.05; the .cells writer.
 *
 * Like the RLE reader, each reader makes two passes over the text: the first
 * checks it, keeps the comments and measures the live cells' bounding box,
 * the second sets the cells in a grid of exactly that size.  Both are linear
 * and nothing is regrown.  None of these formats fixes a universe, so the
 * patterns come back without bounds or origin (they are centred when placed);
 * Life 1.06 and 1.05 coordinates are normalised to their bounding box. */
#include "cells.h"

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
}

/* The next line without its ending (LF, CR or CRLF); 0 at the end. */
static int next_line(struct lines *L, const char **t, size_t *k)
{
    if (L->i >= L->n)
        return 0;
    size_t a = L->i, b = a;
    while (b < L->n && L->s[b] != '\n' && L->s[b] != '\r')
        b++;
    L->i = b;
    if (L->i < L->n && L->s[L->i] == '\r')
        L->i++;
    if (L->i < L->n && L->s[L->i] == '\n' && (L->i == b || L->s[b] == '\r'))
        L->i++;
    L->line++;
    *t = L->s + a;
    *k = b - a;
    return 1;
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

/* Makes p->cells width x height, or leaves the pattern empty. */
static int make_cells(struct lines *L, struct pattern *p, int64_t width,
                      int64_t height)
{
    if (width <= 0 || height <= 0)
        return 0;
    struct glider_error e = {0};
    int rc = grid_create(&p->cells, (int)width, (int)height, TOPO_PLANE, &e);
    if (rc)
        return glider_errorf(L->err, rc, "%s: %s", L->source, e.msg);
    p->width = (int)width;
    p->height = (int)height;
    return 0;
}

/* ---- .cells -------------------------------------------------------------- */

/* One pass over a .cells text.  First pass ('p->cells' NULL): checks, keeps
 * the '!' lines and measures; second pass: sets the cells. */
static int cells_pass(struct lines *L, struct pattern *p, int64_t *width,
                      int64_t *height)
{
    const char *t;
    size_t k;
    int64_t row = 0;  /* rows read so far (blank lines inside count) */
    int started = 0;  /* a row has been read */
    int named = 0;
    int fill = p->cells != NULL;
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
        if (row >= GRID_MAX_DIM)
            return fail_at(L, GLIDER_ELIMIT, 1,
                           "more than %d rows: larger than Glider's largest "
                           "universe",
                           GRID_MAX_DIM);
        for (size_t x = 0; x < len; x++) {
            char c = t[x];
            if (c == 'O' || c == '*') {
                if (fill)
                    grid_set(p->cells, (int)x, (int)row, 1);
            } else if (c != '.') {
                char b[16];
                return fail_at(L, GLIDER_EPARSE, (int)x + 1,
                               "unexpected %s in a .cells row: expected '.' "
                               "(dead) or 'O' (alive)",
                               text_show_byte(c, b));
            }
        }
        if (len > GRID_MAX_DIM)
            return fail_at(L, GLIDER_ELIMIT, GRID_MAX_DIM + 1,
                           "row is %zu cells wide: over Glider's limit of %d",
                           len, GRID_MAX_DIM);
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
    int rc = pattern_create(&p, 0, 0, err);
    if (rc)
        return rc;
    struct lines L;
    int64_t width = 0, height = 0;
    lines_init(&L, data, len, source, err);
    if ((rc = cells_pass(&L, p, &width, &height)) == 0 &&
        (rc = make_cells(&L, p, width, height)) == 0 && p->cells) {
        lines_init(&L, data, len, source, err);
        rc = cells_pass(&L, p, &width, &height);
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
};

/* Records or sets cell (x, y); 'off' is the box's top-left on the second
 * pass (p->cells set). */
static void life_cell(struct pattern *p, struct life_box *b, int64_t x,
                      int64_t y)
{
    if (p->cells) {
        grid_set(p->cells, (int)(x - b->x0), (int)(y - b->y0), 1);
        return;
    }
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
        if (p->cells)
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
        if (p->cells || p->name)
            return p->cells ? 0 : add_comment(L, p, t, k);
        return set_text(L, &p->name, t + 2, k - 2);
    }
    case 'O':
        return p->cells ? 0 : set_text(L, &p->author, t + 2, k - 2);
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
    return p->cells ? 0 : add_comment(L, p, t, k);
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
                    life_cell(p, b, bx + (int64_t)x, by + row);
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
            life_cell(p, b, x, y);
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
    int rc = pattern_create(&p, 0, 0, err);
    if (rc)
        return rc;
    struct life_box b = {0};
    lines_init(&L, data, len, source, err);
    rc = life_pass(&L, p, &b, v105);
    if (rc == 0 && b.any) {
        int64_t w = b.x1 - b.x0 + 1, h = b.y1 - b.y0 + 1;
        if (w > GRID_MAX_DIM || h > GRID_MAX_DIM)
            rc = glider_errorf(err, GLIDER_ELIMIT,
                               "%s: the cells span %lldx%lld: larger than "
                               "Glider's largest universe (%dx%d)",
                               L.source, (long long)w, (long long)h,
                               GRID_MAX_DIM, GRID_MAX_DIM);
        else if ((rc = make_cells(&L, p, w, h)) == 0) {
            lines_init(&L, data, len, source, err);
            rc = life_pass(&L, p, &b, v105);
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
    const char *s = text;
    for (;;) {
        size_t k = strcspn(s, "\n");
        size_t e = k && s[k - 1] == '\r' ? k - 1 : k;
        fprintf(f, "%s%.*s\n", prefix, (int)e, s);
        if (!s[k])
            break;
        s += k + 1;
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

int cells_write(const struct pattern *p, FILE *f, struct glider_error *err)
{
    if (!p || !f)
        return glider_errorf(err, GLIDER_EINVAL, "cells_write: no %s",
                             p ? "file" : "pattern");
    if (p->name)
        put_field(f, "!Name: ", p->name);
    if (p->author)
        put_field(f, "!Author: ", p->author);
    if (p->description)
        put_lines(f, "!", p->description);
    for (int i = 0; i < p->ncomments; i++)
        put_lines(f, "!", p->comments[i] ? p->comments[i] : "");
    int x0, y0, x1, y1;
    if (p->cells && grid_bbox(p->cells, &x0, &y0, &x1, &y1)) {
        char *line = sys_malloc((size_t)(x1 - x0) + 2);
        if (!line)
            return glider_errorf(err, GLIDER_ENOMEM,
                                 "out of memory writing .cells");
        for (int y = y0; y < y1; y++) {
            int end = 0;
            for (int x = x0; x < x1; x++) {
                int alive = grid_get(p->cells, x, y);
                line[x - x0] = alive ? 'O' : '.';
                if (alive)
                    end = x - x0 + 1;
            }
            if (end == 0)
                end = 1; /* an empty row is written "." */
            line[end] = '\n';
            fwrite(line, 1, (size_t)end + 1, f);
        }
        free(line);
    }
    if (ferror(f))
        return glider_errorf(err, GLIDER_EIO, "cannot write .cells");
    return 0;
}
