/* library.h - the pattern library (the patterns directory of JSON files) and the built-in default. */
#ifndef GLIDER_LIBRARY_H
#define GLIDER_LIBRARY_H

#include <stddef.h>

#include "pattern.h"

/* The directory holding the library: $GLIDER_PATTERNS, the source tree's
 * patterns/ (when run from a build tree), or the installed share/glider/patterns.
 * Returns 0 and fills 'buf', or GLIDER_ENOTFOUND. */
int library_dir(char *buf, size_t size, struct glider_error *err);

/* Loads 'what': a file path when it names an existing file, else a library
 * pattern by file stem ("gosper-glider-gun"). */
int library_load(const char *what, struct pattern **out, struct glider_error *err);

/* The built-in default pattern, compiled into the binary. */
int library_load_default(struct pattern **out, struct glider_error *err);

#endif
