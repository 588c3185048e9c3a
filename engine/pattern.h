/* pattern.h - a pattern: cells in a bounding box plus what its file said.
 *
 * Every loader (RLE, JSON, .cells, Life 1.06) produces a 'struct pattern';
 * every saver takes one.  pattern_place puts it into a universe. */
#ifndef GLIDER_PATTERN_H
#define GLIDER_PATTERN_H

#include <stddef.h>

#include "error.h"
#include "grid.h"
#include "rule.h"

/* Files larger than this are refused before they are read. */
#define PATTERN_MAX_FILE_BYTES (256u * 1024u * 1024u)

struct pattern {
    char *name;               /* #N, "name", !Name:; NULL when absent */
    char *author;             /* #O, "author"; NULL when absent */
    char *description;        /* "description"; NULL when absent */
    char **comments;          /* #C lines or ! lines, in order */
    int ncomments;
    struct rule rule;         /* RULE_LIFE unless the file said otherwise */
    int has_rule;             /* the file named a rule */
    struct rule_bounds bounds; /* universe fixed by the file (:T/:P, JSON universe) */
    int has_origin;           /* origin_x/y say where 'cells' goes */
    int origin_x, origin_y;   /* universe position of the top-left of 'cells' */
    int width, height;        /* size of 'cells'; 0 x 0 for an empty pattern */
    struct grid *cells;       /* width x height, TOPO_PLANE; NULL when empty */
};

enum pattern_format { PATTERN_UNKNOWN, PATTERN_RLE, PATTERN_JSON, PATTERN_CELLS, PATTERN_LIFE106 };

/* An empty pattern with a dead width x height box (0 x 0 allowed). */
int pattern_create(struct pattern **out, int width, int height,
                   struct glider_error *err);
void pattern_destroy(struct pattern *p);

/* Replaces *field by a copy of 's' (NULL clears it). */
int pattern_set_text(char **field, const char *s, struct glider_error *err);
int pattern_add_comment(struct pattern *p, const char *line,
                        struct glider_error *err);

/* The whole universe 'g' as a pattern: the bounding box of its live cells,
 * origin at that box, bounds = the universe's size and topology. */
int pattern_from_grid(const struct grid *g, const struct rule *rule,
                      struct pattern **out, struct glider_error *err);

/* The universe a pattern asks for: its bounds when it has them, else a torus
 * large enough to hold it with a margin (at least 64 x 64). */
void pattern_default_universe(const struct pattern *p, int *width, int *height,
                              enum topology *topo);

/* Puts the live cells of 'p' into 'g' (which is not cleared first): at the
 * pattern's origin when it has one, else centred.  A live cell that would
 * land outside 'g' is an error naming that cell; 'g' is then unchanged. */
int pattern_place(const struct pattern *p, struct grid *g,
                  struct glider_error *err);

/* The format a file name's extension names (.rle, .json, .cells, .lif/.life). */
enum pattern_format pattern_format_from_name(const char *path);
/* The format the content looks like. */
enum pattern_format pattern_format_sniff(const char *data, size_t len);
const char *pattern_format_name(enum pattern_format f);

/* Reads a whole file (at most PATTERN_MAX_FILE_BYTES) into a NUL-terminated
 * buffer the caller frees. */
int pattern_read_file(const char *path, char **data, size_t *len,
                      struct glider_error *err);

/* Loads any supported format: by extension, or by content when the extension
 * is missing or does not match (with a warning on stderr).  Errors start with
 * "path:line:col: ". */
int pattern_load(const char *path, struct pattern **out, struct glider_error *err);
/* Parses a buffer in a known format; 'source' names it in messages. */
int pattern_parse(enum pattern_format f, const char *data, size_t len,
                  const char *source, struct pattern **out,
                  struct glider_error *err);
/* Saves by the extension of 'path' (.rle, .json, .cells).  Writes a temporary
 * file and renames it, so a failure never leaves half a file. */
int pattern_save(const struct pattern *p, const char *path,
                 struct glider_error *err);

#endif
