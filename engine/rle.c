/* rle.c - Run Length Encoded patterns, read and written as Golly does.
 *
 * Sections: positions and messages; '#' lines and the header; the body;
 * the two passes (rle_parse, rle_parse_body); the writer.
 *
 * The reader makes two passes.  The first checks everything, keeps the '#'
 * lines, reads the header and measures the extent of the live cells and how
 * many runs they make; the second walks the body again and adds the runs to
 * cells of exactly the size the first found (a grid, or a run array for a
 * box no grid can hold: pattern_alloc_cells).  Both passes are linear in the
 * input, and the only large allocation is those cells, so a 100 MB file or a
 * run such as '30000o' costs time proportional to its length and never
 * regrows anything.  A box may be larger than any universe (up to
 * PATTERN_MAX_DIM a side): it can be converted, not run.
 *
 * Coordinates.  Glider's universe has (0, 0) at its top-left corner.  Golly
 * centres a bounded grid on its own (0, 0): the grid's left column is
 * -(width / 2) and its top row -(height / 2).  '#CXRLE Pos=x,y' gives the
 * pattern's top-left in Golly's coordinates, so on a bounded grid
 * glider_x = golly_x + width / 2  and  glider_y = golly_y + height / 2
 * (XLife's '#P x y' and '#R x y' are comments to Golly, and to Glider).  Without a bounded grid the position refers to Golly's
 * unbounded plane, which Glider does not have: it is ignored and the pattern
 * is centred. */
#include "rle.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cells.h"
#include "sys.h"
#include "text_reader.h"

#define RLE_LINE_MAX 70          /* longest body line the writer emits */
#define RLE_COUNT_CAP (1LL << 40) /* run counts saturate here (all too big) */
#define RLE_RULE_MAX 128         /* longest rule token we accept */
#define RLE_POS_MAX 1000000000L  /* |Pos| and |#P| coordinates */

/* ---- Positions and messages ---------------------------------------------- */

struct reader {
    const char *s;          /* the text, not NUL-terminated */
    size_t n;               /* its length */
    size_t i;               /* next byte */
    int line, col;          /* position of s[i], 1-based */
    const char *source;     /* name for messages */
    struct glider_error *err;
    struct pattern *p;      /* metadata goes here during the first pass */
    int fill;               /* second pass: add the runs to r->p */
    int history;            /* LifeHistory rule: odd states are alive */
    int64_t x, y;           /* the cursor while reading the body */
    int any;                /* a live cell was seen */
    int64_t x0, y0, x1, y1; /* live extent: x0 <= x < x1, y0 <= y < y1 */
    uint64_t nruns;         /* runs of live cells (first pass) */
    int64_t run_y, run_x1;  /* the last run's row and end, to merge 'oo' */
    int done;               /* saw '!' */
    int line0, col0;        /* position of s[0] */
    rle_where_fn where;     /* maps an offset in 's' to its file position */
    void *where_ctx;
};

/* What the preamble said, for the checks made once it has been read. */
struct meta {
    int header;                    /* saw the 'x = W, y = H' line */
    int hw, hh;                    /* its width and height */
    int hline;                     /* its line */
    char rule[RLE_RULE_MAX];       /* rule from the header or '#r' */
    int has_rule;                  /* 1: header rule, 2: '#r' rule,
                                      3: '#r' after the header (it wins) */
    int body_rules;                /* a '#r' in the body sets the rule */
    int rline, rcol;               /* where that rule text starts */
    int has_pos;                   /* saw '#CXRLE Pos=' */
    long posx, posy;               /* the position, Golly's coordinates */
    int pline, pcol;               /* where it was given */
};

static void advance(struct reader *r)
{
    char c = r->s[r->i++];
    if (c == '\n' || (c == '\r' && (r->i >= r->n || r->s[r->i] != '\n'))) {
        r->line++;
        r->col = 1;
    } else {
        r->col++;
    }
}

static int at_eol(const struct reader *r)
{
    return r->i >= r->n || r->s[r->i] == '\n' || r->s[r->i] == '\r';
}

static void skip_blanks(struct reader *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t')) {
        r->i++;
        r->col++;
    }
}

/* Consumes one line ending (LF, CR or CRLF) if there is one. */
static void skip_eol(struct reader *r)
{
    if (r->i < r->n && r->s[r->i] == '\r')
        advance(r);
    else if (r->i < r->n && r->s[r->i] == '\n')
        advance(r);
    if (r->i < r->n && r->s[r->i] == '\n' && r->i > 0 && r->s[r->i - 1] == '\r')
        advance(r);
}

/* The offset in r->s of position line:col, counted as advance() counts
 * (a column past its line's end gives the line's end). */
static size_t offset_of(const struct reader *r, int line, int col)
{
    int l = r->line0, c = r->col0;
    size_t i = 0;
    while (i < r->n && (l < line || (l == line && c < col))) {
        char ch = r->s[i++];
        if (ch == '\n' || (ch == '\r' && (i >= r->n || r->s[i] != '\n'))) {
            if (l == line)
                return i - 1;
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    return i;
}

/* Turns line:col as the reader counts them into the file's. */
static void file_place(const struct reader *r, int *line, int *col)
{
    if (r->where)
        r->where(r->where_ctx, offset_of(r, *line, *col), line, col);
}

/* Returns 'code' after formatting "source:line:col: message" into r->err. */
static int fail_at(struct reader *r, int code, int line, int col,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail_at(struct reader *r, int code, int line, int col,
                   const char *fmt, ...)
{
    va_list ap;
    file_place(r, &line, &col);
    va_start(ap, fmt);
    int rc = text_vfail_at(r->err, code, r->source, line, col, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- '#' lines and the header -------------------------------------------- */

/* The shared text fields (text_reader.h), with this reader's source. */
static int add_comment_range(struct reader *r, const char *s, size_t n)
{
    return text_add_comment(r->p, s, n, r->source, r->err);
}

/* Sets *field to s[0..n), or appends it after a newline when already set
 * (several '#O' lines make a multi-line author; the writer splits it again). */
static int set_or_append(struct reader *r, char **field, const char *s, size_t n)
{
    return text_append(field, s, n, r->source, r->err);
}

/* '#CXRLE Pos=x,y Gen=n': keeps Pos (Gen, the generation count, is not part
 * of a Glider pattern and is dropped).  't' is the whole line. */
static int read_xrle(struct reader *r, struct meta *m, const char *t, size_t n,
                     int line, int col)
{
    size_t k = 6;
    while (k < n) {
        while (k < n && (t[k] == ' ' || t[k] == '\t'))
            k++;
        size_t key = k;
        while (k < n && t[k] != ' ' && t[k] != '\t')
            k++;
        if (k - key > 4 && memcmp(t + key, "Pos=", 4) == 0) {
            size_t v = key + 4;
            int64_t x, y;
            if (text_parse_int(t, k, &v, RLE_POS_MAX, &x) || v >= k ||
                t[v] != ',' ||
                (v++, text_parse_int(t, k, &v, RLE_POS_MAX, &y)) || v != k)
                return fail_at(r, GLIDER_EPARSE, line, col + (int)key,
                               "expected 'Pos=x,y' with two integers "
                               "(at most %ld in size)",
                               RLE_POS_MAX);
            m->has_pos = 1;
            m->posx = x;
            m->posy = y;
            m->pline = line;
            m->pcol = col + (int)key;
        }
    }
    return 0;
}

static int resolve_rule(struct reader *r, struct meta *m);

/* Reads one '#' line (r->i at the '#') and the line ending after it.  In the
 * body ('in_body'), every '#' line is kept as a comment. */
static int read_hash_line(struct reader *r, struct meta *m, int in_body)
{
    int line = r->line, col = r->col;
    size_t a = r->i;
    while (!at_eol(r)) {
        r->i++;
        r->col++;
    }
    const char *t = r->s + a;
    size_t n = r->i - a;
    skip_eol(r);
    char tag = n > 1 ? t[1] : '\0';
    /* The second pass repeats only the rule changes after the header, so
     * that it reads every cell under the rule the first pass read it. */
    if (r->fill && !(in_body && tag == 'r' && m->body_rules))
        return 0;
    if (!in_body && n >= 6 && memcmp(t, "#CXRLE", 6) == 0)
        return read_xrle(r, m, t, n, line, col);
    if (in_body && tag != 'C' && tag != 'c' && !(tag == 'r' && m->body_rules))
        return add_comment_range(r, t, n);
    const char *s;
    size_t k;
    switch (tag) {
    case 'N':
        /* Several '#N' lines make a multi-line name, as '#O' lines do an
         * author (the writer splits a name that holds line breaks). */
        k = n - 2;
        s = text_trim(t + 2, &k);
        return set_or_append(r, &r->p->name, s, k);
    case 'O':
        k = n - 2;
        s = text_trim(t + 2, &k);
        return set_or_append(r, &r->p->author, s, k);
    case 'C':
    case 'c':
        /* The writer puts exactly one space after '#C'; take exactly one. */
        k = n - 2;
        s = t + 2;
        if (k && (*s == ' ' || *s == '\t')) {
            s++;
            k--;
        }
        return add_comment_range(r, s, k);
    case 'r':
        k = n - 2;
        s = text_trim(t + 2, &k);
        if (k == 0)
            return fail_at(r, GLIDER_EPARSE, line, col + (int)n,
                           "expected a rule after '#r' (e.g. '#r 23/3')");
        if (k >= sizeof m->rule)
            return fail_at(r, GLIDER_EPARSE, line, col + (int)(s - t),
                           "rule after '#r' is too long (%zu characters)", k);
        /* Before the header, the header's rule wins; after it, as Golly
         * reads it, the '#r' line does (the last one). */
        if (in_body || m->has_rule != 1) {
            memcpy(m->rule, s, k);
            m->rule[k] = '\0';
            m->has_rule = in_body ? 3 : 2;
            m->rline = line;
            m->rcol = col + (int)(s - t);
        }
        /* After the header it takes effect at once: the cells after it
         * are read under it (LifeHistory's state letters), and it is the
         * pattern's rule unless another follows. */
        return in_body ? resolve_rule(r, m) : 0;
    default:
        /* '#P x y' / '#R x y' (XLife's top-left corner) among them: Golly
         * places a pattern by '#CXRLE Pos' alone (checked with bgolly on a
         * bounded grid), and so does Glider. */
        /* Unknown '#' lines are kept whole, never refused. */
        return add_comment_range(r, t, n);
    }
}

/* Reads the decimal width or height at r->i into *out (0..PATTERN_MAX_DIM).
 * The box may be larger than any universe. */
static int read_dim(struct reader *r, int *out, const char *what)
{
    int col = r->col;
    if (r->i >= r->n || !isdigit((unsigned char)r->s[r->i])) {
        char b[16];
        return fail_at(r, GLIDER_EPARSE, r->line, r->col,
                       "expected a number for the %s, found %s", what,
                       r->i >= r->n || at_eol(r) ? "the end of the line"
                                                 : text_show_byte(r->s[r->i], b));
    }
    int64_t v = 0;
    size_t start = r->i;
    while (r->i < r->n && isdigit((unsigned char)r->s[r->i])) {
        if (v <= PATTERN_MAX_DIM)
            v = v * 10 + (r->s[r->i] - '0');
        r->i++;
        r->col++;
    }
    if (v > PATTERN_MAX_DIM) {
        int len = (int)(r->i - start);
        return fail_at(r, GLIDER_ELIMIT, r->line, col,
                       "%s %.*s%s is over Glider's limit of %d cells for a "
                       "pattern",
                       what, len > 24 ? 24 : len, r->s + start,
                       len > 24 ? "..." : "", PATTERN_MAX_DIM);
    }
    *out = (int)v;
    return 0;
}

static int expect(struct reader *r, char c, const char *what)
{
    skip_blanks(r);
    if (r->i < r->n && r->s[r->i] == c) {
        r->i++;
        r->col++;
        skip_blanks(r);
        return 0;
    }
    char b[16];
    return fail_at(r, GLIDER_EPARSE, r->line, r->col,
                   "bad header: expected '%c' %s, found %s (the header is "
                   "'x = W, y = H, rule = R')",
                   c, what, at_eol(r) ? "the end of the line"
                                      : text_show_byte(r->s[r->i], b));
}

/* The header line 'x = W, y = H[, rule = R]' (r->i at the 'x'). */
static int read_header(struct reader *r, struct meta *m)
{
    int rc;
    m->header = 1;
    m->hline = r->line;
    r->i++;
    r->col++;
    if ((rc = expect(r, '=', "after 'x'")) || (rc = read_dim(r, &m->hw, "width")) ||
        (rc = expect(r, ',', "after the width")) ||
        (rc = expect(r, 'y', "after 'x = W,'")) ||
        (rc = expect(r, '=', "after 'y'")) ||
        (rc = read_dim(r, &m->hh, "height")))
        return rc;
    skip_blanks(r);
    if (!at_eol(r)) {
        if ((rc = expect(r, ',', "or the end of the line after the height")))
            return rc;
        if (!at_eol(r)) {
            if (r->n - r->i < 4 || memcmp(r->s + r->i, "rule", 4) != 0) {
                char b[16];
                return fail_at(r, GLIDER_EPARSE, r->line, r->col,
                               "bad header: expected 'rule = R' after the "
                               "height, found %s",
                               text_show_byte(r->s[r->i], b));
            }
            r->i += 4;
            r->col += 4;
            if ((rc = expect(r, '=', "after 'rule'")))
                return rc;
            size_t a = r->i;
            int col = r->col;
            while (!at_eol(r) && r->s[r->i] != ' ' && r->s[r->i] != '\t') {
                r->i++;
                r->col++;
            }
            size_t k = r->i - a;
            if (k && r->s[a + k - 1] == ',') /* Golly drops a trailing comma */
                k--;
            if (k == 0)
                return fail_at(r, GLIDER_EPARSE, r->line, col,
                               "bad header: expected a rule after 'rule =' "
                               "(e.g. B3/S23)");
            if (k >= sizeof m->rule)
                return fail_at(r, GLIDER_EPARSE, r->line, col,
                               "bad header: rule is too long (%zu characters)",
                               k);
            memcpy(m->rule, r->s + a, k);
            m->rule[k] = '\0';
            m->has_rule = 1;
            m->rline = r->line;
            m->rcol = col;
            skip_blanks(r);
        }
    }
    if (!at_eol(r)) {
        char b[16];
        return fail_at(r, GLIDER_EPARSE, r->line, r->col,
                       "bad header: expected the end of the line, found %s",
                       text_show_byte(r->s[r->i], b));
    }
    skip_eol(r);
    return 0;
}

/* '#' lines and blank lines, then the header.  Stops at the header's end or
 * at the first line that is neither (a body without a header, as Golly
 * allows). */
static int read_preamble(struct reader *r, struct meta *m)
{
    int rc;
    if (text_bom_len(r->s, r->n))
        r->i = 3; /* a UTF-8 byte order mark */
    while (r->i < r->n) {
        size_t line_start = r->i;
        int col_start = r->col;
        skip_blanks(r);
        if (r->i >= r->n)
            return 0;
        char c = r->s[r->i];
        if (c == '\n' || c == '\r') {
            skip_eol(r);
        } else if (c == '#') {
            if ((rc = read_hash_line(r, m, 0)))
                return rc;
        } else if (c == 'x' && r->i + 1 < r->n &&
                   (r->s[r->i + 1] == ' ' || r->s[r->i + 1] == '\t' ||
                    r->s[r->i + 1] == '=')) {
            return read_header(r, m);
        } else {
            r->i = line_start; /* the body starts on this line */
            r->col = col_start;
            return 0;
        }
    }
    return 0;
}

/* ---- The body ------------------------------------------------------------ */

/* A cell state (1..255) from a multi-state letter: alive or an error. */
static int state_alive(struct reader *r, int state, const char *tag, int line,
                       int col, int *alive)
{
    if (state == 1) {
        *alive = 1;
        return 0;
    }
    if (r->history) {
        /* LifeHistory: 1 on, 2 off (history), 3 on (marked), 4 off (marked),
         * 5 on (start), 6 boundary (off). */
        if (state > 6)
            return fail_at(r, GLIDER_EPARSE, line, col,
                           "cell state '%s' (%d) is out of range for "
                           "LifeHistory (states 0-6)",
                           tag, state);
        *alive = state & 1;
        return 0;
    }
    return fail_at(r, GLIDER_EPARSE, line, col,
                   "cell state '%s' (%d) needs a multi-state rule; Glider's "
                   "rules have two states: use 'b' or '.' for dead cells and "
                   "'o' or 'A' for live ones",
                   tag, state);
}

/* Reads runs from r->i up to '!' or the end.  First pass: checks, measures
 * and counts the runs; second pass ('fill'): adds them to the pattern. */
static int read_body(struct reader *r, struct meta *m)
{
    int64_t count = -1; /* pending run count, -1 when none */
    int cline = 0, ccol = 0;
    int line_start = 1;
    int rc;
    while (r->i < r->n) {
        unsigned char c = (unsigned char)r->s[r->i];
        if (c >= '0' && c <= '9') {
            if (count < 0) {
                if (c == '0')
                    return fail_at(r, GLIDER_EPARSE, r->line, r->col,
                                   "bad run count: counts are positive and "
                                   "have no leading zero");
                count = 0;
                cline = r->line;
                ccol = r->col;
            }
            count = count * 10 + (c - '0');
            if (count > RLE_COUNT_CAP)
                count = RLE_COUNT_CAP;
            r->i++;
            r->col++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
            c == '\v') {
            if (count >= 0) {
                int cl = cline;
                file_place(r, &cl, &ccol);
                return fail_at(r, GLIDER_EPARSE, r->line, r->col,
                               "bad run count: whitespace between the count "
                               "at column %d and its tag (write e.g. '3o')",
                               ccol);
            }
            if (c == '\n' || c == '\r')
                line_start = 1;
            advance(r);
            continue;
        }
        if (c == '#' && line_start && count < 0) {
            if ((rc = read_hash_line(r, m, 1)))
                return rc;
            continue;
        }
        if (c == 'x' && r->col == 1 && count < 0 &&
            (r->i + 1 >= r->n || r->s[r->i + 1] == ' ' ||
             r->s[r->i + 1] == '\t' || r->s[r->i + 1] == '=' ||
             r->s[r->i + 1] == '\r' || r->s[r->i + 1] == '\n')) {
            /* A line that starts like a header ('x' in its first column,
             * then a blank, '=' or the line's end) is one, as Golly reads
             * it: skipped (its rule too), not a marked cell. */
            while (!at_eol(r))
                advance(r);
            continue;
        }
        line_start = 0;
        int64_t n = count < 0 ? 1 : count;
        int tline = r->line, tcol = r->col;
        int line = count < 0 ? tline : cline, col = count < 0 ? tcol : ccol;
        count = -1;
        r->i++;
        r->col++;
        int alive = 0;
        char tag[3] = {(char)c, 0, 0};
        switch (c) {
        case 'b':
        case '.':
            break;
        case 'o':
        case 'A':
        case 'z': /* Mark Niemiec's marked cells ('x', 'y', 'z') are alive */
            alive = 1;
            break;
        case '$':
            r->x = 0;
            r->y = r->y + n < RLE_COUNT_CAP ? r->y + n : RLE_COUNT_CAP;
            continue;
        case '!':
            r->done = 1;
            return 0;
        default:
            if (c >= 'B' && c <= 'X') {
                if ((rc = state_alive(r, c - 'A' + 1, tag, tline, tcol, &alive)))
                    return rc;
            } else if (c >= 'p' && c <= 'y') {
                /* 'pA'..'yO' are states 25..255; a lone 'x' or 'y' (and, as
                 * Golly forgives, any lone 'p'..'y') is a live cell. */
                if (r->i < r->n && r->s[r->i] >= 'A' && r->s[r->i] <= 'X') {
                    tag[1] = r->s[r->i];
                    int state = 24 * (c - 'p' + 1) + (r->s[r->i] - 'A' + 1);
                    r->i++;
                    r->col++;
                    if (state > 255)
                        return fail_at(r, GLIDER_EPARSE, tline, tcol,
                                       "cell state '%s' is over 255", tag);
                    if ((rc = state_alive(r, state, tag, tline, tcol, &alive)))
                        return rc;
                } else {
                    alive = 1;
                }
            } else {
                char b[16];
                return fail_at(r, GLIDER_EPARSE, tline, tcol,
                               "unexpected %s in RLE data: expected a run "
                               "count, 'b', 'o', '$' or '!'",
                               text_show_byte(c, b));
            }
        }
        if (alive) {
            if (r->y >= PATTERN_MAX_DIM || r->x + n > PATTERN_MAX_DIM)
                return fail_at(r, GLIDER_ELIMIT, line, col,
                               "live cells beyond %s %d: over Glider's limit "
                               "of %dx%d cells for a pattern",
                               r->y >= PATTERN_MAX_DIM ? "row" : "column",
                               PATTERN_MAX_DIM, PATTERN_MAX_DIM,
                               PATTERN_MAX_DIM);
            if (r->fill) {
                pattern_add_run(r->p, (int)r->y, (int)r->x, (int)(r->x + n));
                r->x += n;
                continue;
            }
            /* 'oo' or 'oA' is one run: count it once. */
            if (!r->nruns || r->y != r->run_y || r->x != r->run_x1)
                r->nruns++;
            r->run_y = r->y;
            r->run_x1 = r->x + n;
            if (!r->any) {
                r->any = 1;
                r->x0 = r->x;
                r->x1 = r->x + n;
                r->y0 = r->y;
                r->y1 = r->y + 1;
            } else {
                if (r->x < r->x0)
                    r->x0 = r->x;
                if (r->x + n > r->x1)
                    r->x1 = r->x + n;
                r->y1 = r->y + 1; /* rows only grow */
            }
        }
        r->x = r->x + n < RLE_COUNT_CAP ? r->x + n : RLE_COUNT_CAP;
    }
    if (count >= 0)
        return fail_at(r, GLIDER_EPARSE, cline, ccol,
                       "bad run count: the data ends after a count, "
                       "expected 'b', 'o' or '$' after it");
    if (!r->fill && !r->done) {
        int line = r->line, col = r->col;
        file_place(r, &line, &col);
        fprintf(stderr,
                "glider: warning: %s:%d:%d: RLE data ends without '!'; "
                "read it anyway\n",
                r->source, line, col);
    }
    return 0;
}

/* ---- The two passes ------------------------------------------------------ */

/* Resolves the rule text: Golly's rule names Glider can run are mapped to
 * B/S ("Life", and "LifeHistory", whose odd states are live Life cells). */
static int resolve_rule(struct reader *r, struct meta *m)
{
    char mapped[2 * RLE_RULE_MAX];
    const char *colon = strchr(m->rule, ':');
    size_t head = colon ? (size_t)(colon - m->rule) : strlen(m->rule);
    const char *suffix = m->rule + head;
    int renamed = 1;
    r->history = 0;
    if (head == 11 && strncasecmp(m->rule, "LifeHistory", 11) == 0) {
        r->history = 1;
        snprintf(mapped, sizeof mapped, "B3/S23%s", suffix);
    } else if (head == 4 && strncasecmp(m->rule, "Life", 4) == 0) {
        snprintf(mapped, sizeof mapped, "B3/S23%s", suffix);
    } else {
        snprintf(mapped, sizeof mapped, "%s", m->rule);
        renamed = 0;
    }
    struct glider_error e = {0};
    int rc = rule_parse_full(mapped, &r->p->rule, &r->p->bounds, &e);
    if (rc == 0) {
        r->p->has_rule = 1;
        return 0;
    }
    /* rule.c names the text it was given; name the file's text instead. */
    const char *msg = e.msg;
    size_t ml = strlen(mapped);
    char fixed[GLIDER_ERROR_MSG_MAX];
    if (renamed && strncmp(msg, "rule '", 6) == 0 &&
        strncmp(msg + 6, mapped, ml) == 0 && msg[6 + ml] == '\'') {
        snprintf(fixed, sizeof fixed, "rule '%s'%s", m->rule, msg + 7 + ml);
        msg = fixed;
    }
    return fail_at(r, rc, m->rline, m->rcol, "%s", msg);
}

/* With a bounded grid: where the pattern goes (see the top of the file), and
 * a check that every live cell is inside the grid. */
static int place_in_bounds(struct reader *r, struct meta *m, int width,
                           int height)
{
    struct pattern *p = r->p;
    const struct rule_bounds *b = &p->bounds;
    const char *kind = b->topo == TOPO_TORUS ? "torus" : "plane";
    if (width > b->width || height > b->height)
        return fail_at(r, GLIDER_EPARSE, m->rline, m->rcol,
                       "the pattern is %dx%d but its rule '%s' declares a "
                       "%dx%d %s",
                       width, height, m->rule, b->width, b->height, kind);
    long ox, oy;
    if (m->has_pos) {
        ox = m->posx + b->width / 2;
        oy = m->posy + b->height / 2;
    } else if (m->hw > 0 && m->hh > 0) {
        /* Golly centres the header's box: left = -(w / 2) in its frame. */
        ox = b->width / 2 - m->hw / 2;
        oy = b->height / 2 - m->hh / 2;
    } else {
        ox = oy = 0;
    }
    if (r->any && !m->has_pos &&
        (ox + r->x0 < 0 || oy + r->y0 < 0 || ox + r->x1 > b->width ||
         oy + r->y1 > b->height))
        return fail_at(r, GLIDER_EPARSE, m->hline, 1,
                       "live cells at columns %ld..%ld, rows %ld..%ld (the "
                       "header's %dx%d box centred, as Golly places it) are "
                       "outside the %dx%d %s (its columns are %d..%d and rows "
                       "%d..%d in Golly's coordinates)",
                       ox + (long)r->x0 - b->width / 2,
                       ox + (long)r->x1 - 1 - b->width / 2,
                       oy + (long)r->y0 - b->height / 2,
                       oy + (long)r->y1 - 1 - b->height / 2, m->hw, m->hh,
                       b->width, b->height, kind, -(b->width / 2),
                       b->width - 1 - b->width / 2, -(b->height / 2),
                       b->height - 1 - b->height / 2);
    if (r->any && (ox + r->x0 < 0 || oy + r->y0 < 0 || ox + r->x1 > b->width ||
                   oy + r->y1 > b->height))
        return fail_at(r, GLIDER_EPARSE, m->has_pos ? m->pline : m->hline,
                       m->has_pos ? m->pcol : 1,
                       "position %ld,%ld puts live cells outside the %dx%d "
                       "%s (its columns are %d..%d and rows %d..%d in "
                       "Golly's coordinates)",
                       m->posx, m->posy, b->width, b->height, kind,
                       -(b->width / 2), b->width - 1 - b->width / 2,
                       -(b->height / 2), b->height - 1 - b->height / 2);
    p->has_origin = 1;
    p->origin_x = (int)ox;
    p->origin_y = (int)oy;
    return 0;
}

/* Runs both passes from the current position (the body's start). */
static int read_cells(struct reader *r, struct meta *m)
{
    size_t i = r->i;
    int line = r->line, col = r->col;
    int history0 = r->history;
    int rc = read_body(r, m);
    if (rc)
        return rc;
    if (!r->any)
        return 0; /* no live cell: an empty pattern */
    int width = (int)r->x1, height = (int)r->y1;
    if (m->hw > width)
        width = m->hw;
    if (m->hh > height)
        height = m->hh;
    if (r->p->bounds.present && (rc = place_in_bounds(r, m, width, height)))
        return rc;
    if ((rc = pattern_alloc_cells(r->p, width, height, r->nruns, r->source,
                                  r->err)))
        return rc;
    r->fill = 1;
    r->history = history0;
    r->i = i;
    r->line = line;
    r->col = col;
    r->x = r->y = 0;
    rc = read_body(r, m);
    pattern_finish_cells(r->p); /* RLE's runs come in order: a no-op */
    return rc;
}

static int reader_init(struct reader *r, const char *data, size_t len,
                       const char *source, int line, int col,
                       struct glider_error *err)
{
    memset(r, 0, sizeof *r);
    r->s = data;
    r->n = len;
    r->line = r->line0 = line > 0 ? line : 1;
    r->col = r->col0 = col > 0 ? col : 1;
    r->source = source ? source : "<input>";
    r->err = err;
    if (pattern_create(&r->p, 0, 0, NULL))
        return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory",
                             r->source);
    return 0;
}

int rle_parse(const char *data, size_t len, const char *source,
              struct pattern **out, struct glider_error *err)
{
    struct reader r;
    struct meta m;
    if (!out || (!data && len))
        return glider_errorf(err, GLIDER_EINVAL, "rle_parse: no %s",
                             out ? "data" : "result pointer");
    *out = NULL;
    /* Golly's own .lif files start with '#', which also starts RLE: hand
     * Life 1.05 / 1.06 text to its reader whatever the caller thought. */
    size_t bom = text_bom_len(data, len);
    if (len - bom >= 9 && memcmp(data + bom, "#Life 1.0", 9) == 0)
        return life106_parse(data, len, source, out, err);
    int rc = reader_init(&r, data, len, source, 1, 1, err);
    if (rc)
        return rc;
    memset(&m, 0, sizeof m);
    m.body_rules = 1;
    if ((rc = read_preamble(&r, &m)) == 0 &&
        (!m.has_rule || (rc = resolve_rule(&r, &m)) == 0))
        rc = read_cells(&r, &m);
    if (rc) {
        pattern_destroy(r.p);
        return rc;
    }
    *out = r.p;
    return 0;
}

int rle_parse_body(const char *body, size_t len, const char *source, int line0,
                   int col0, struct pattern **out, struct glider_error *err)
{
    return rle_parse_body_at(body, len, source, line0, col0, NULL, NULL, out,
                             err);
}

int rle_parse_body_at(const char *body, size_t len, const char *source,
                      int line0, int col0, rle_where_fn where, void *ctx,
                      struct pattern **out, struct glider_error *err)
{
    struct reader r;
    struct meta m;
    if (!out || (!body && len))
        return glider_errorf(err, GLIDER_EINVAL, "rle_parse_body: no %s",
                             out ? "data" : "result pointer");
    *out = NULL;
    /* 'line0'/'col0' are where the body's first byte sits in 'source'. */
    int rc = reader_init(&r, body, len, source, line0, col0, err);
    if (rc)
        return rc;
    r.where = where;
    r.where_ctx = ctx;
    memset(&m, 0, sizeof m);
    size_t k = 0;
    while (k < len && isspace((unsigned char)body[k]))
        k++;
    if (k + 1 < len && body[k] == 'x' &&
        (body[k + 1] == ' ' || body[k + 1] == '=' || body[k + 1] == '\t')) {
        while (r.i < k)
            advance(&r);
        rc = fail_at(&r, GLIDER_EPARSE, r.line, r.col,
                     "expected only the RLE body (e.g. 'bo$2bo$3o!'), found "
                     "a header line 'x = ...'");
    } else {
        rc = read_cells(&r, &m);
    }
    if (rc) {
        pattern_destroy(r.p);
        return rc;
    }
    *out = r.p;
    return 0;
}

/* ---- The writer ---------------------------------------------------------- */

/* Output goes to a buffer that is flushed to 'f' as it fills, or, without
 * 'f', kept whole for rle_body_string. */
struct out {
    FILE *f;         /* where to flush; NULL: keep everything in 'buf' */
    char *buf;       /* pending bytes */
    size_t len, cap;
    int linelen;     /* characters on the current body line */
    int rc;          /* first failure, 0 while all is well */
    int sys_errno;   /* errno of a failed write */
};

#define OUT_CHUNK 65536

static void out_flush(struct out *o)
{
    if (o->f && o->len && !o->rc) {
        if (fwrite(o->buf, 1, o->len, o->f) != o->len) {
            o->rc = GLIDER_EIO;
            o->sys_errno = errno;
        }
    }
    if (o->f)
        o->len = 0;
}

static void out_bytes(struct out *o, const char *s, size_t n)
{
    if (o->rc)
        return;
    if (o->len + n + 1 > o->cap) {
        if (o->f && o->len) {
            out_flush(o);
            if (o->rc)
                return;
        }
        if (o->len + n + 1 > o->cap) {
            size_t cap = o->cap ? o->cap : OUT_CHUNK;
            while (cap < o->len + n + 1)
                cap *= 2;
            char *b = sys_realloc(o->buf, cap);
            if (!b) {
                o->rc = GLIDER_ENOMEM;
                return;
            }
            o->buf = b;
            o->cap = cap;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void out_str(struct out *o, const char *s)
{
    out_bytes(o, s, strlen(s));
}

/* One body token, '[count]tag', on a new line if it would pass column 70
 * (tokens are never split, so a count always touches its tag). */
static void out_run(struct out *o, int64_t count, char tag)
{
    char tok[32];
    int n = count > 1 ? snprintf(tok, sizeof tok, "%" PRId64 "%c", count, tag)
                      : snprintf(tok, sizeof tok, "%c", tag);
    if (o->linelen + n > RLE_LINE_MAX) {
        out_bytes(o, "\n", 1);
        o->linelen = 0;
    }
    out_bytes(o, tok, (size_t)n);
    o->linelen += n;
}

/* The body of the live cells of 'p' (whose box of live cells starts at
 * column x0) as Golly writes it: runs, no trailing dead run in a row,
 * consecutive row ends merged into 'n$', and '!' in place of the last row's
 * end.  Linear in the number of runs, whatever the form of the cells. */
static void out_body(struct out *o, const struct pattern *p, int x0)
{
    struct pattern_iter it;
    struct pattern_run r;
    int64_t y = -1, x = x0;
    pattern_iter_init(&it, p);
    while (pattern_iter_next(&it, &r)) {
        if (r.y != y) {
            if (y >= 0)
                out_run(o, r.y - y, '$');
            y = r.y;
            x = x0;
        }
        if (r.x0 > x)
            out_run(o, r.x0 - x, 'b');
        out_run(o, r.x1 - r.x0, 'o');
        x = r.x1;
    }
    out_run(o, 1, '!');
}

/* Writes 'text' as one '#X' line per line of text (a comment may hold
 * newlines when it came from JSON). */
static void out_text_lines(struct out *o, const char *tag, const char *text)
{
    for (const char *s = text; s;) {
        const char *line = s;
        size_t e = text_line(line, &s);
        out_str(o, tag);
        if (e) {
            out_bytes(o, " ", 1);
            out_bytes(o, line, e);
        }
        out_bytes(o, "\n", 1);
    }
}

static int check_pattern(const struct pattern *p, struct glider_error *err)
{
    if (!p)
        return glider_errorf(err, GLIDER_EINVAL, "no pattern to write");
    if (p->cells && (p->cells->width < p->width || p->cells->height < p->height))
        return glider_errorf(err, GLIDER_EINVAL,
                             "pattern is %dx%d but its cells are %dx%d",
                             p->width, p->height, p->cells->width,
                             p->cells->height);
    return 0;
}

static int out_finish(struct out *o, struct glider_error *err)
{
    out_flush(o);
    if (o->f)
        free(o->buf);
    if (o->rc == GLIDER_ENOMEM)
        return glider_errorf(err, o->rc, "out of memory writing RLE");
    if (o->rc)
        return glider_syserrorf(err, o->rc, o->sys_errno, "cannot write RLE");
    return 0;
}

int rle_write(const struct pattern *p, FILE *f, struct glider_error *err)
{
    int rc = check_pattern(p, err);
    if (rc)
        return rc;
    if (!f)
        return glider_errorf(err, GLIDER_EINVAL, "rle_write: no file");
    struct out o = {.f = f};
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int any = pattern_bbox(p, &x0, &y0, &x1, &y1);
    const struct rule_bounds *b = &p->bounds;
    char line[160];
    if (any && b->present) {
        /* Where pattern_place would put it, in Golly's centred frame. */
        long ox = p->has_origin ? p->origin_x : (b->width - (long)p->width) / 2;
        long oy = p->has_origin ? p->origin_y : (b->height - (long)p->height) / 2;
        snprintf(line, sizeof line, "#CXRLE Pos=%ld,%ld\n",
                 ox + x0 - b->width / 2, oy + y0 - b->height / 2);
        out_str(&o, line);
    }
    if (p->name)
        out_text_lines(&o, "#N", p->name);
    if (p->author)
        out_text_lines(&o, "#O", p->author);
    if (p->description)
        out_text_lines(&o, "#C", p->description);
    for (int i = 0; i < p->ncomments; i++)
        out_text_lines(&o, "#C", p->comments[i] ? p->comments[i] : "");
    char rule[RULE_TEXT_MAX], suffix[48] = "";
    rule_format(&p->rule, rule, sizeof rule);
    if (b->present)
        snprintf(suffix, sizeof suffix, ":%c%d,%d",
                 b->topo == TOPO_TORUS ? 'T' : 'P', b->width, b->height);
    if (!any) {
        snprintf(line, sizeof line, "x = 0, y = 0, rule = %s%s\n!\n", rule,
                 suffix);
        out_str(&o, line);
        return out_finish(&o, err);
    }
    snprintf(line, sizeof line, "x = %d, y = %d, rule = %s%s\n", x1 - x0,
             y1 - y0, rule, suffix);
    out_str(&o, line);
    out_body(&o, p, x0);
    out_bytes(&o, "\n", 1);
    return out_finish(&o, err);
}

int rle_body_string(const struct pattern *p, char **out, struct glider_error *err)
{
    int rc = check_pattern(p, err);
    if (rc)
        return rc;
    if (!out)
        return glider_errorf(err, GLIDER_EINVAL, "rle_body_string: no result");
    *out = NULL;
    struct out o = {0};
    int x0, y0, x1, y1;
    if (pattern_bbox(p, &x0, &y0, &x1, &y1))
        out_body(&o, p, x0);
    else
        out_run(&o, 1, '!');
    if (o.rc) {
        free(o.buf);
        return out_finish(&o, err);
    }
    *out = o.buf;
    return 0;
}
