/* text_reader.h - pieces shared by the text pattern readers: RLE (rle.c),
 * .cells and Life 1.06 / 1.05 (cells.c).  Private to engine/.
 *
 * Located messages, bytes shown in messages, blanks and trimming, the UTF-8
 * byte order mark, bounded signed integers, and the pattern's text fields
 * (name, author, comments) filled from a range of the input. */
#ifndef GLIDER_TEXT_READER_H
#define GLIDER_TEXT_READER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "pattern.h"

/* Returns 'code' after formatting "source:line:col: message" into 'err'. */
int text_vfail_at(struct glider_error *err, int code, const char *source,
                  int line, int col, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/* A printable description of byte 'c' for messages: 'k', a space, a tab or
 * byte 0x01, written into 'buf' and returned. */
const char *text_show_byte(int c, char buf[16]);

/* A space or a tab. */
int text_is_blank(char c);

/* Length of t[0..k) without trailing blanks. */
size_t text_rtrim_len(const char *t, size_t k);

/* Trims blanks from both ends of s[0..*n), returning the new start. */
const char *text_trim(const char *s, size_t *n);

/* 3 when s[0..n) starts with a UTF-8 byte order mark, else 0. */
size_t text_bom_len(const char *s, size_t n);

/* Reads an optionally signed decimal at s[*k] (k < n), moving *k past it.
 * Returns 0 with |*out| <= max, -1 when there are no digits, -2 when the
 * value is over 'max' in size (then *k is just past the digit that made it
 * so and *out is untouched). */
int text_parse_int(const char *s, size_t n, size_t *k, int64_t max,
                   int64_t *out);

/* Adds s[0..n) to the pattern's comments.  Errors name 'source'. */
int text_add_comment(struct pattern *p, const char *s, size_t n,
                     const char *source, struct glider_error *err);

/* Sets *field to s[0..n), or appends it after a newline when already set
 * (several author lines make a multi-line author; the writers split it
 * again).  On failure *field is unchanged. */
int text_append(char **field, const char *s, size_t n, const char *source,
                struct glider_error *err);

/* The line of s[0..n) that starts at *i, without its ending (LF, CR or
 * CRLF): into t[0..k), *i moved past the ending, *line counted.  0 at the
 * end of the text. */
int text_next_line(const char *s, size_t n, size_t *i, int *line, const char **t,
                   size_t *k);

/* For the writers, which split a multi-line field into one line each: the
 * length of the first line of 's' (ending at "\n", "\r\n" or a lone "\r", as
 * every reader takes them), and in *next where the next line starts, or
 * NULL when this is the last. */
size_t text_line(const char *s, const char **next);

#endif
