/* library.h - the pattern library (the patterns directory of JSON files) and
 * the built-in default pattern. */
#ifndef GLIDER_LIBRARY_H
#define GLIDER_LIBRARY_H

#include <stddef.h>

#include "pattern.h"

/* The directory holding the library, tried in this order: $GLIDER_PATTERNS;
 * ../share/glider/patterns next to the running executable (an installed
 * glider, wherever it was installed); the source tree's patterns/ (a glider
 * run from its build tree); the directory the build was configured to
 * install into.  Returns 0 and fills 'buf', or GLIDER_ENOTFOUND (also when
 * $GLIDER_PATTERNS is set but is not a directory). */
int library_dir(char *buf, size_t size, struct glider_error *err);

/* Loads 'what': a file when it contains a '/' or is an existing file with a
 * pattern extension (.json, .rle, .cells, .lif, .life); else a library
 * pattern by file stem, ignoring case and treating '_' and ' ' like '-'
 * ("gosper-glider-gun", "Gosper_Glider_Gun"); else an existing file of that
 * name.  An unknown name is GLIDER_ENOTFOUND with a "did you mean" hint. */
int library_load(const char *what, struct pattern **out, struct glider_error *err);

/* The built-in default pattern, compiled into the binary: a Gosper glider
 * gun in a bounded plane whose gliders die at the far edge, so it stays
 * alive for ever (the same as the library's "gosper-glider-gun"). */
int library_load_default(struct pattern **out, struct glider_error *err);

/* The JSON text of the built-in default pattern. */
const char *library_default_json(void);

/* One pattern file of the library, for 'glider patterns'. */
struct library_entry {
    char *stem;        /* what 'glider run' takes: the file name without its
                          extension, or with it when another file of the
                          same stem is what the bare name loads */
    char *file;        /* the file's path */
    char *name;        /* the pattern's "name", NULL when it has none */
    char *author;      /* "author", NULL when none */
    char *description; /* "description", NULL when none */
    char *error;       /* NULL, or why the file did not load */
    char rule[32];     /* canonical rule, e.g. "B3/S23" */
    int width, height; /* bounding box of the cells */
    int universe_width, universe_height; /* the universe it asks for */
    int population;    /* live cells */
};

/* Lists every pattern file (.json, .rle, .cells, .lif, .life) in the library
 * directory, sorted by stem.  A file that does not load is still listed,
 * with 'error' set.  Free the array with library_list_free. */
int library_list(struct library_entry **out, int *count,
                 struct glider_error *err);
void library_list_free(struct library_entry *entries, int count);

#endif
