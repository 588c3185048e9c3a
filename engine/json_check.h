/* json_check.h - the JSON text under the pattern loader: a strict pre-pass
 * that checks encoding, syntax and size with located messages, and a locator
 * that finds a key path ("cells[3][0]") in the text again to say where a
 * value is.  Used by pattern_json.c; knows nothing of patterns. */
#ifndef GLIDER_JSON_CHECK_H
#define GLIDER_JSON_CHECK_H

#include <stddef.h>

#include "error.h"

/* The text being loaded.  The caller owns the bytes; nothing here keeps a
 * pointer to them past the call. */
struct json_check_text {
    const char *s;      /* the whole file, 'len' bytes */
    size_t len;
    size_t start;       /* first byte after a UTF-8 byte order mark */
    const char *source; /* the file name, for messages */
};

/* A place in the text: byte offset, line and column (both from 1; a column
 * counts characters, not bytes).  Start one at {t->start, 1, 1}. */
struct json_check_pos {
    size_t off;
    int line, col;
};

/* ---- Text positions ------------------------------------------------------ */

/* Moves 'p' forward to 'off' (at most the end of the text), so walking a long
 * array element by element stays linear. */
void json_check_advance(const struct json_check_text *t,
                        struct json_check_pos *p, size_t off);
/* The line and column of byte 'off'. */
void json_check_where(const struct json_check_text *t, size_t off, int *line,
                      int *col);
/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 when there is
 * none (overlong forms, surrogates and code points past U+10FFFF are not). */
size_t json_check_utf8_seq(const unsigned char *s, size_t n);

/* ---- The pre-pass -------------------------------------------------------- */

/* Checks that the text after 't->start' is UTF-8 without NUL bytes and one
 * JSON value with at most 64 levels of nesting, 1,000,000 values and numbers
 * of at most 63 characters (which bounds cJSON's stack and memory).  Returns
 * 0, or GLIDER_EPARSE with "source:line:col: expected ..., got ..." in
 * 'err'. */
int json_check_syntax(const struct json_check_text *t,
                      struct glider_error *err);

/* ---- Finding a key path in the text -------------------------------------- */
/* Only for text json_check_syntax accepted.  Offsets are into 't->s'. */

/* The offset of the value at 'path' ("" for the document, "universe.width",
 * "cells[3][0]"); with 'key', of the nth (from 1) member 'key' (the key
 * itself) of the object at 'path'.  Falls back to the nearest enclosing
 * value it can find. */
size_t json_check_locate(const struct json_check_text *t, const char *path,
                         const char *key, int nth);
/* The offset, inside the JSON string at 'p', of the character that starts at
 * byte 'index' of its decoded value. */
size_t json_check_string_offset(const struct json_check_text *t, size_t p,
                                size_t index);
/* With 'p' at a member's value or an array element: the offset of the next
 * element or member, or of the closing bracket when 'p' was the last. */
size_t json_check_next(const struct json_check_text *t, size_t p);

#endif
