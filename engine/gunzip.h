/* gunzip.h - undoing gzip, for pattern files such as Golly's .rle.gz and
 * .mc.gz samples.  Private to engine/ (pattern.c). */
#ifndef GLIDER_GUNZIP_H
#define GLIDER_GUNZIP_H

#include <stddef.h>

#include "error.h"

/* Whether data[0..len) starts with gzip's magic bytes. */
int gunzip_is_gzip(const char *data, size_t len);

/* Replaces *data (len bytes, malloc'd) by its decompressed text, at most
 * 'limit' bytes, NUL-terminated.  On failure *data is unchanged and the
 * error names 'source'. */
int gunzip_replace(char **data, size_t *len, size_t limit, const char *source,
                   struct glider_error *err);

#endif
