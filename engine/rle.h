/* rle.h - Run Length Encoded patterns, read and written as Golly does. */
#ifndef GLIDER_RLE_H
#define GLIDER_RLE_H

#include <stddef.h>
#include <stdio.h>

#include "pattern.h"

/* Parses RLE text ('len' bytes, need not be NUL-terminated).  'source' is the
 * file name used in "source:line:col: " messages. */
int rle_parse(const char *data, size_t len, const char *source,
              struct pattern **out, struct glider_error *err);

/* Parses just an RLE body ("bo$2bo$3o!") into a pattern (used by JSON's
 * "rle" key); line/col in messages are offset by 'line0'/'col0'. */
int rle_parse_body(const char *body, size_t len, const char *source, int line0,
                   int col0, struct pattern **out, struct glider_error *err);

/* Where byte 'offset' of a body sits in its file, for a body that is not the
 * file's text (a JSON string with escapes such as \n). */
typedef void (*rle_where_fn)(void *ctx, size_t offset, int *line, int *col);

/* rle_parse_body, with the place of each message mapped by 'where' (NULL:
 * counted from 'line0'/'col0'). */
int rle_parse_body_at(const char *body, size_t len, const char *source,
                      int line0, int col0, rle_where_fn where, void *ctx,
                      struct pattern **out, struct glider_error *err);

/* Writes 'p' as RLE: #N/#O/#C lines, the header (with a :T/:P suffix when the
 * pattern has bounds), then the body in lines of at most 70 characters. */
int rle_write(const struct pattern *p, FILE *f, struct glider_error *err);

/* The body only (runs, '$', '!'), wrapped at 70 characters, into a malloc'd
 * string the caller frees. */
int rle_body_string(const struct pattern *p, char **out, struct glider_error *err);

#endif
