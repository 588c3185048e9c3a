/* json_check.c - the JSON text under the pattern loader (json_check.h).
 *
 * The pre-pass checks that the bytes are UTF-8 and the syntax is JSON with
 * at most JSON_MAX_DEPTH levels of nesting and JSON_MAX_VALUES values, and
 * says exactly what was expected where they are not (cJSON itself only tells
 * where it stopped); it bounds cJSON's stack and memory.  The locator walks
 * the checked text again to find the place of a key path, on the loader's
 * error path only.
 *
 * Sections: text positions; the pre-pass; finding a key path in the text. */
#include "json_check.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64        /* arrays and objects inside each other */
#define JSON_MAX_VALUES 1000000  /* bounds cJSON's tree (~64 bytes a value) */
#define JSON_NUMBER_MAX 63       /* cJSON reads at most 63 number characters */

/* ---- Text positions ------------------------------------------------------ */

void json_check_advance(const struct json_check_text *t,
                        struct json_check_pos *p, size_t off)
{
    if (off > t->len)
        off = t->len;
    for (; p->off < off; p->off++) {
        unsigned char ch = (unsigned char)t->s[p->off];
        /* LF, CRLF and a lone CR end a line, as in the text formats. */
        if (ch == '\n' || (ch == '\r' && (p->off + 1 >= t->len ||
                                          t->s[p->off + 1] != '\n'))) {
            p->line++;
            p->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            p->col++;
        }
    }
}

void json_check_where(const struct json_check_text *t, size_t off, int *line,
                      int *col)
{
    struct json_check_pos p = {t->start, 1, 1};
    json_check_advance(t, &p, off);
    *line = p.line;
    *col = p.col;
}

size_t json_check_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], cp, min;
    size_t k;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

/* What is at 'off', for "got ..." in messages: a word, a character, "end of
 * line" or "end of file". */
static void text_describe(const struct json_check_text *t, size_t off,
                          char *buf, size_t size)
{
    if (off >= t->len) {
        snprintf(buf, size, "end of file");
        return;
    }
    const unsigned char *s = (const unsigned char *)t->s + off;
    size_t rest = t->len - off;
    if (isalnum(s[0]) || s[0] == '_') {
        size_t n = 0;
        while (n < rest && n < 24 && (isalnum(s[n]) || s[n] == '_'))
            n++;
        snprintf(buf, size, "'%.*s%s'", (int)n, (const char *)s,
                 n < rest && isalnum(s[n]) ? "..." : "");
    } else if (s[0] == '\n' || s[0] == '\r') {
        snprintf(buf, size, "end of line");
    } else if (s[0] == '\t') {
        snprintf(buf, size, "a tab");
    } else if (s[0] < 0x20 || s[0] == 0x7F) {
        snprintf(buf, size, "byte 0x%02x", s[0]);
    } else if (s[0] < 0x80) {
        snprintf(buf, size, "'%c'", s[0]);
    } else {
        size_t k = json_check_utf8_seq(s, rest);
        if (k)
            snprintf(buf, size, "'%.*s'", (int)k, (const char *)s);
        else
            snprintf(buf, size, "byte 0x%02x", s[0]);
    }
}

/* ---- The pre-pass: UTF-8, JSON syntax, depth and size ------------------- */

struct jcheck {
    const struct json_check_text *t;
    size_t pos;        /* next byte to read */
    long values;       /* values seen so far */
    size_t err_pos;    /* where the first error is */
    int got;           /* append ", got <what is at err_pos>" */
    char msg[256];     /* what was expected, without place */
};

#define EXPECT_VALUE \
    "expected a value (an object, array, string, number, true, false or null)"

__attribute__((format(printf, 4, 5)))
static int jc_fail(struct jcheck *c, size_t pos, int got, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    c->err_pos = pos;
    c->got = got;
    return -1;
}

static int jc_peek(const struct jcheck *c)
{
    return c->pos < c->t->len ? (unsigned char)c->t->s[c->pos] : -1;
}

static void jc_ws(struct jcheck *c)
{
    for (int ch; (ch = jc_peek(c)) == ' ' || ch == '\t' || ch == '\n' ||
                 ch == '\r';)
        c->pos++;
}

/* Reads the four hex digits after "\u" ('pos' is at the 'u'). */
static int jc_hex4(struct jcheck *c, unsigned *out)
{
    unsigned v = 0;
    c->pos++;
    for (int i = 0; i < 4; i++, c->pos++) {
        int ch = jc_peek(c);
        if (ch < 0 || !isxdigit(ch))
            return jc_fail(c, c->pos, 1, "expected 4 hex digits after '\\u'");
        v = v * 16 + (unsigned)(isdigit(ch) ? ch - '0' : (tolower(ch) - 'a' + 10));
    }
    *out = v;
    return 0;
}

static int jc_string(struct jcheck *c)
{
    size_t open = c->pos++;
    for (;;) {
        int ch = jc_peek(c);
        if (ch < 0) {
            int l, col;
            json_check_where(c->t, open, &l, &col);
            return jc_fail(c, c->pos, 0,
                           "expected '\"' to close the string that starts at "
                           "line %d, column %d, got end of file",
                           l, col);
        }
        if (ch == '"') {
            c->pos++;
            return 0;
        }
        if (ch == '\n' || ch == '\r')
            return jc_fail(c, c->pos, 0,
                           "expected '\"' before the end of the line (a string "
                           "cannot span lines; write \\n for a newline)");
        if (ch < 0x20)
            return jc_fail(c, c->pos, 0,
                           "control character 0x%02x inside a string; write "
                           "it as \\u%04x",
                           ch, ch);
        if (ch != '\\') {
            c->pos++;
            continue;
        }
        size_t bs = c->pos++;
        int e = jc_peek(c);
        if (e >= 0 && e && strchr("\"\\/bfnrt", e)) {
            c->pos++;
            continue;
        }
        if (e != 'u')
            return jc_fail(c, bs, 0,
                           "invalid escape '\\%c'; expected one of \\\" \\\\ "
                           "\\/ \\b \\f \\n \\r \\t \\uXXXX",
                           e >= 0x20 && e < 0x7F ? e : '?');
        unsigned u;
        if (jc_hex4(c, &u))
            return -1;
        if (u >= 0xDC00 && u <= 0xDFFF)
            return jc_fail(c, bs, 0,
                           "\\u%04X is the second half of a UTF-16 surrogate "
                           "pair without a first half",
                           u);
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned lo = 0;
            if (c->pos + 1 >= c->t->len || c->t->s[c->pos] != '\\' ||
                c->t->s[c->pos + 1] != 'u')
                return jc_fail(c, c->pos, 1,
                               "expected '\\uDC00'..'\\uDFFF' to complete the "
                               "surrogate pair \\u%04X",
                               u);
            c->pos++;
            if (jc_hex4(c, &lo))
                return -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return jc_fail(c, c->pos - 6, 0,
                               "expected '\\uDC00'..'\\uDFFF' to complete the "
                               "surrogate pair \\u%04X, got \\u%04X",
                               u, lo);
        }
    }
}

static int jc_digits(struct jcheck *c, const char *after)
{
    int ch = jc_peek(c);
    if (ch < 0 || !isdigit(ch))
        return jc_fail(c, c->pos, 1, "expected a digit %s", after);
    while ((ch = jc_peek(c)) >= 0 && isdigit(ch))
        c->pos++;
    return 0;
}

static int jc_number(struct jcheck *c)
{
    size_t start = c->pos;
    if (jc_peek(c) == '-')
        c->pos++;
    if (jc_peek(c) == '0') {
        c->pos++;
        int ch = jc_peek(c);
        if (ch >= 0 && isdigit(ch))
            return jc_fail(c, start, 0,
                           "a number cannot start with 0 followed by more "
                           "digits");
    } else if (jc_digits(c, start < c->pos ? "after '-'" : "")) {
        return -1;
    }
    if (jc_peek(c) == '.') {
        c->pos++;
        if (jc_digits(c, "after '.'"))
            return -1;
    }
    if (jc_peek(c) == 'e' || jc_peek(c) == 'E') {
        c->pos++;
        if (jc_peek(c) == '+' || jc_peek(c) == '-')
            c->pos++;
        if (jc_digits(c, "in the exponent"))
            return -1;
    }
    if (c->pos - start > JSON_NUMBER_MAX)
        return jc_fail(c, start, 0, "number longer than %d characters",
                       JSON_NUMBER_MAX);
    return 0;
}

static int jc_value(struct jcheck *c, int depth);

static int jc_container(struct jcheck *c, int depth)
{
    int is_obj = jc_peek(c) == '{';
    char close = is_obj ? '}' : ']';
    if (depth > JSON_MAX_DEPTH)
        return jc_fail(c, c->pos, 0,
                       "arrays and objects nested more than %d deep",
                       JSON_MAX_DEPTH);
    c->pos++;
    jc_ws(c);
    if (jc_peek(c) == close) {
        c->pos++;
        return 0;
    }
    for (int first = 1;; first = 0) {
        jc_ws(c);
        if (is_obj) {
            int ch = jc_peek(c);
            if (ch != '"') {
                if (!first && ch == '}')
                    return jc_fail(c, c->pos, 0,
                                   "expected '\"' (the next key) after ','; "
                                   "JSON allows no trailing comma");
                if (ch == '\'' || (ch >= 0 && (isalpha(ch) || ch == '_')))
                    return jc_fail(c, c->pos, 1,
                                   "expected '\"' (keys are written in double "
                                   "quotes)");
                return jc_fail(c, c->pos, 1,
                               first ? "expected '\"' (a key) or '}'"
                                     : "expected '\"' (a key)");
            }
            if (jc_string(c))
                return -1;
            jc_ws(c);
            if (jc_peek(c) != ':')
                return jc_fail(c, c->pos, 1, "expected ':' after the key");
            c->pos++;
        } else if (!first && jc_peek(c) == ']') {
            return jc_fail(c, c->pos, 0,
                           "expected a value after ','; JSON allows no "
                           "trailing comma");
        }
        if (jc_value(c, depth))
            return -1;
        jc_ws(c);
        int ch = jc_peek(c);
        if (ch == ',') {
            c->pos++;
            continue;
        }
        if (ch == close) {
            c->pos++;
            return 0;
        }
        return jc_fail(c, c->pos, 1, "expected ',' or '%c'", close);
    }
}

static int jc_value(struct jcheck *c, int depth)
{
    static const char *const literals[] = {"true", "false", "null"};
    jc_ws(c);
    if (++c->values > JSON_MAX_VALUES)
        return jc_fail(c, c->pos, 0,
                       "more than %d JSON values; write large patterns with "
                       "\"rle\"",
                       JSON_MAX_VALUES);
    int ch = jc_peek(c);
    if (ch == '{' || ch == '[')
        return jc_container(c, depth + 1);
    if (ch == '"')
        return jc_string(c);
    if (ch == '-' || (ch >= 0 && isdigit(ch)))
        return jc_number(c);
    if (ch == '\'')
        return jc_fail(c, c->pos, 0,
                       "expected a value; JSON strings use double quotes, "
                       "not '");
    if (ch == '/')
        return jc_fail(c, c->pos, 0,
                       "expected a value; JSON does not allow comments");
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(literals[i]);
        if (c->t->len - c->pos >= n &&
            memcmp(c->t->s + c->pos, literals[i], n) == 0) {
            c->pos += n;
            return 0;
        }
    }
    return jc_fail(c, c->pos, 1, EXPECT_VALUE);
}

int json_check_syntax(const struct json_check_text *t, struct glider_error *err)
{
    struct jcheck c = {.t = t, .pos = t->start};
    const unsigned char *s = (const unsigned char *)t->s;
    int rc = 0;
    for (size_t i = t->start; i < t->len && rc == 0;) {
        if (s[i] == 0) {
            rc = jc_fail(&c, i, 0,
                         "NUL byte in the file; is this a binary file?");
        } else if (s[i] < 0x80) {
            i++;
        } else {
            size_t k = json_check_utf8_seq(s + i, t->len - i);
            if (k == 0)
                rc = jc_fail(&c, i, 0,
                             "invalid UTF-8 (byte 0x%02x); JSON pattern files "
                             "must be UTF-8",
                             s[i]);
            i += k;
        }
    }
    if (rc == 0) {
        jc_ws(&c);
        if (jc_peek(&c) < 0)
            rc = jc_fail(&c, c.pos, 0,
                         "expected a JSON object, got a blank file");
    }
    if (rc == 0)
        rc = jc_value(&c, 0);
    if (rc == 0) {
        jc_ws(&c);
        if (jc_peek(&c) >= 0)
            rc = jc_fail(&c, c.pos, 1,
                         "expected the end of the file after the top-level "
                         "object");
    }
    if (rc == 0)
        return 0;
    int line, col;
    char got[64] = "";
    json_check_where(t, c.err_pos, &line, &col);
    if (c.got)
        text_describe(t, c.err_pos, got, sizeof got);
    int comment = c.got && c.err_pos < t->len && t->s[c.err_pos] == '/';
    return glider_errorf(err, GLIDER_EPARSE, "%s:%d:%d: %s%s%s%s", t->source,
                         line, col, c.msg, c.got ? ", got " : "", got,
                         comment ? " (JSON does not allow comments)" : "");
}

/* ---- Finding a key path in the text ------------------------------------- */
/* The pre-pass has checked the text, so these walkers need no error checks
 * beyond not running off its end; recursion is bounded by JSON_MAX_DEPTH. */

static size_t tx_ws(const struct json_check_text *t, size_t p)
{
    while (p < t->len && (t->s[p] == ' ' || t->s[p] == '\t' ||
                          t->s[p] == '\n' || t->s[p] == '\r'))
        p++;
    return p;
}

/* 'p' at '"': the offset just past the closing quote. */
static size_t tx_skip_string(const struct json_check_text *t, size_t p)
{
    for (p++; p < t->len && t->s[p] != '"'; p++)
        if (t->s[p] == '\\')
            p++;
    return p + 1;
}

static size_t tx_skip_value(const struct json_check_text *t, size_t p)
{
    p = tx_ws(t, p);
    if (p >= t->len)
        return p;
    char ch = t->s[p];
    if (ch == '"')
        return tx_skip_string(t, p);
    if (ch == '{' || ch == '[') {
        char close = ch == '{' ? '}' : ']';
        p = tx_ws(t, p + 1);
        while (p < t->len && t->s[p] != close) {
            if (ch == '{')
                p = tx_ws(t, tx_skip_string(t, p)) + 1; /* key and ':' */
            p = json_check_next(t, p);
        }
        return p + 1;
    }
    while (p < t->len && !strchr(",]} \t\r\n", t->s[p]))
        p++;
    return p;
}

size_t json_check_next(const struct json_check_text *t, size_t p)
{
    p = tx_ws(t, tx_skip_value(t, p));
    if (p < t->len && t->s[p] == ',')
        p = tx_ws(t, p + 1);
    return p;
}

/* Decodes one character of the JSON string at 'p' (inside the quotes) into
 * UTF-8 'out'; returns its length and advances 'p' past it. */
static int tx_string_char(const struct json_check_text *t, size_t *p,
                          char out[4])
{
    const char *s = t->s;
    if (s[*p] != '\\') {
        out[0] = s[(*p)++];
        return 1;
    }
    char e = s[*p + 1];
    *p += 2;
    switch (e) {
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'u': break;
    default: out[0] = e; return 1;
    }
    unsigned cp = (unsigned)strtoul((char[5]){s[*p], s[*p + 1], s[*p + 2],
                                              s[*p + 3], 0},
                                    NULL, 16);
    *p += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF && *p + 6 <= t->len) {
        unsigned lo = (unsigned)strtoul((char[5]){s[*p + 2], s[*p + 3],
                                                  s[*p + 4], s[*p + 5], 0},
                                        NULL, 16);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        *p += 6;
    }
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Whether the JSON string at 'p' decodes to 'key' ('klen' bytes). */
static int tx_string_equals(const struct json_check_text *t, size_t p,
                            const char *key, size_t klen)
{
    size_t i = 0;
    char buf[4];
    for (p++; p < t->len && t->s[p] != '"';) {
        int n = tx_string_char(t, &p, buf);
        if (i + (size_t)n > klen || memcmp(key + i, buf, (size_t)n) != 0)
            return 0;
        i += (size_t)n;
    }
    return i == klen;
}

/* In the object at 'p', the offset of the nth (from 1) member named 'key':
 * of its value, or of the key itself when 'at_key'.  (size_t)-1 when absent. */
static size_t tx_member(const struct json_check_text *t, size_t p,
                        const char *key, size_t klen, int nth, int at_key)
{
    p = tx_ws(t, p);
    if (p >= t->len || t->s[p] != '{')
        return (size_t)-1;
    p = tx_ws(t, p + 1);
    while (p < t->len && t->s[p] == '"') {
        size_t k = p;
        int match = tx_string_equals(t, k, key, klen) && --nth == 0;
        p = tx_ws(t, tx_ws(t, tx_skip_string(t, p)) + 1);
        if (match)
            return at_key ? k : p;
        p = json_check_next(t, p);
    }
    return (size_t)-1;
}

/* The offset of the element 'index' of the array at 'p', or (size_t)-1. */
static size_t tx_element(const struct json_check_text *t, size_t p, long index)
{
    p = tx_ws(t, p);
    if (p >= t->len || t->s[p] != '[')
        return (size_t)-1;
    p = tx_ws(t, p + 1);
    for (long i = 0; p < t->len && t->s[p] != ']'; i++) {
        if (i == index)
            return p;
        p = json_check_next(t, p);
    }
    return (size_t)-1;
}

size_t json_check_locate(const struct json_check_text *t, const char *path,
                         const char *key, int nth)
{
    size_t p = tx_ws(t, t->start);
    const char *q = path;
    while (*q) {
        size_t next;
        if (*q == '[') {
            char *end;
            long index = strtol(q + 1, &end, 10);
            next = tx_element(t, p, index);
            q = *end == ']' ? end + 1 : end;
        } else {
            if (*q == '.')
                q++;
            size_t n = strcspn(q, ".[");
            next = tx_member(t, p, q, n, 1, 0);
            q += n;
        }
        if (next == (size_t)-1)
            return p;
        p = next;
    }
    if (key) {
        size_t k = tx_member(t, p, key, strlen(key), nth, 1);
        if (k != (size_t)-1)
            p = k;
    }
    return p;
}

size_t json_check_string_offset(const struct json_check_text *t, size_t p,
                                size_t index)
{
    char buf[4];
    size_t i = 0;
    for (p++; p < t->len && t->s[p] != '"' && i < index;)
        i += (size_t)tx_string_char(t, &p, buf);
    return p;
}
