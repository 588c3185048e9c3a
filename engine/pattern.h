/* pattern.h - a pattern: cells in a bounding box plus what its file said.
 *
 * Every loader (RLE, JSON, .cells, Life 1.06) produces a 'struct pattern';
 * every saver takes one.  pattern_place puts it into a universe.
 *
 * Two forms hold the live cells.  Dense: 'cells', a grid of the box, one bit
 * a cell (a soup of 65536 x 65536 is 512 MiB).  Sparse: 'runs', the rows'
 * runs of live cells, 12 bytes each, for a box no grid can hold (a side over
 * GRID_MAX_DIM; Golly's switch-engine-ping-pong.rle is 210515 x 183739) or
 * one mostly empty and too large to store densely.  The readers pick the
 * form (pattern_alloc_cells); everything else walks either with
 * pattern_iter_next, or uses pattern_bbox / pattern_population / pattern_get.
 * A sparse pattern can be read, converted and written, but it is placed only
 * when a universe can hold it. */
#ifndef GLIDER_PATTERN_H
#define GLIDER_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "grid.h"
#include "rule.h"

/* Files larger than this are refused before they are read. */
#define PATTERN_MAX_FILE_BYTES (256u * 1024u * 1024u)

/* Largest side of a pattern's box (a universe's is GRID_MAX_DIM). */
#define PATTERN_MAX_DIM (1 << 30)
/* Most runs a sparse pattern may hold: 12 bytes each, 384 MiB in all. */
#define PATTERN_MAX_RUNS (1u << 25)
/* Most comment lines a pattern keeps (each is an allocation: a file of
 * nothing but '#' lines would otherwise cost 20 times its size). */
#define PATTERN_MAX_COMMENTS 100000

/* Live cells x0 <= x < x1 of row y (a sparse pattern's unit of storage and
 * what pattern_iter_next returns). */
struct pattern_run {
    int32_t y, x0, x1;
};

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
    int width, height;        /* the box, up to PATTERN_MAX_DIM a side;
                                 0 x 0 for an empty pattern */
    struct grid *cells;       /* dense form: width x height, TOPO_PLANE; NULL
                                 when the pattern is empty or sparse */
    struct pattern_run *runs; /* sparse form: sorted by (y, x0), disjoint and
                                 never touching; NULL unless sparse */
    size_t nruns;             /* runs in 'runs' */
    size_t cap_runs;          /* runs allocated (pattern_alloc_cells) */
    int runs_unsorted;        /* pattern_add_run got runs out of order:
                                 pattern_finish_cells sorts them */
    char *source;             /* the file it was loaded from (pattern_load),
                                 for messages; NULL otherwise */
};

/* Walks the live cells of either form, row by row, left to right. */
struct pattern_iter {
    const struct pattern *p;
    size_t i;                 /* sparse: the next run */
    int x, y;                 /* dense: where to look next */
};

enum pattern_format {
    PATTERN_UNKNOWN, PATTERN_RLE, PATTERN_JSON, PATTERN_CELLS, PATTERN_LIFE106,
    PATTERN_MACROCELL /* read only */
};

/* An empty pattern with a dead width x height box (0 x 0 allowed). */
int pattern_create(struct pattern **out, int width, int height,
                   struct glider_error *err);
void pattern_destroy(struct pattern *p);

/* ---- Building the cells (for readers) ----
 * A reader measures first (the box and how many runs it will add), then
 * calls pattern_alloc_cells once and pattern_add_run for every run. */

/* Gives 'p' (which has no cells yet) a width x height box able to take
 * 'nruns' runs: a grid when the box fits in one and the grid is not much
 * larger than the runs would be, else an array of exactly 'nruns' runs.  A
 * box over PATTERN_MAX_DIM, or a sparse pattern of more than
 * PATTERN_MAX_RUNS runs, is refused; messages start with "source: ".
 * An empty box, or one to be stored run by run with no run, leaves the
 * pattern empty (0 x 0). */
int pattern_alloc_cells(struct pattern *p, int64_t width, int64_t height,
                        uint64_t nruns, const char *source,
                        struct glider_error *err);
/* Sets cells x0 <= x < x1 of row y alive (inside the box, x0 < x1).  Runs
 * may come in any order and overlap; a sparse pattern keeps at most the
 * 'nruns' it was given (further runs are dropped: count them well). */
void pattern_add_run(struct pattern *p, int y, int x0, int x1);
/* After the last pattern_add_run: sorts a sparse pattern's runs and merges
 * those that overlap or touch, when they came out of order. */
void pattern_finish_cells(struct pattern *p);

/* ---- Reading the cells (either form) ---- */

void pattern_iter_init(struct pattern_iter *it, const struct pattern *p);
/* The next maximal run of live cells (row by row, left to right, touching
 * cells merged) into *run; false when there is none left. */
bool pattern_iter_next(struct pattern_iter *it, struct pattern_run *run);
/* Smallest box holding every live cell, x0 <= x < x1, y0 <= y < y1, in the
 * pattern's coordinates; false when there is no live cell. */
bool pattern_bbox(const struct pattern *p, int *x0, int *y0, int *x1, int *y1);
uint64_t pattern_population(const struct pattern *p);
/* Cell (x, y) of the box: 1 alive, 0 dead (also outside the box). */
int pattern_get(const struct pattern *p, int x, int y);

/* Replaces *field by a copy of 's' (NULL clears it). */
int pattern_set_text(char **field, const char *s, struct glider_error *err);
/* Adds a copy of 'line' to the comments: GLIDER_ELIMIT past
 * PATTERN_MAX_COMMENTS, GLIDER_ENOMEM. */
int pattern_add_comment(struct pattern *p, const char *line,
                        struct glider_error *err);

/* Copies the name, author, description and comments of 'src' into 'dst'
 * (replacing its own); on failure 'dst' keeps what it had. */
int pattern_copy_text(struct pattern *dst, const struct pattern *src,
                      struct glider_error *err);

/* The whole universe 'g' as a pattern: the bounding box of its live cells,
 * origin at that box, bounds = the universe's size and topology. */
int pattern_from_grid(const struct grid *g, const struct rule *rule,
                      struct pattern **out, struct glider_error *err);

/* The universe a pattern asks for: its bounds when it has them, else a torus
 * large enough to hold it with a margin (at least 64 x 64, at most
 * GRID_MAX_DIM a side). */
void pattern_default_universe(const struct pattern *p, int *width, int *height,
                              enum topology *topo);
/* The same, or an error (GLIDER_ELIMIT) when the pattern's box is larger
 * than any universe: "source: pattern is WxH cells, larger than the largest
 * universe (65536x65536); ...".  Call it before making the universe. */
int pattern_universe(const struct pattern *p, int *width, int *height,
                     enum topology *topo, struct glider_error *err);

/* Puts the live cells of 'p' into 'g' (which is not cleared first): at the
 * pattern's origin when it has one, else centred.  A live cell that would
 * land outside 'g' is an error naming that cell, a box larger than any
 * universe the error pattern_universe gives; 'g' is then unchanged. */
int pattern_place(const struct pattern *p, struct grid *g,
                  struct glider_error *err);

/* Whether pattern_place would put every live cell of 'p' inside a
 * 'width' x 'height' universe. */
bool pattern_fits(const struct pattern *p, int width, int height);

/* Where the format's extension of a file name starts: the '.' of ".rle" in
 * "dir/x.rle" or "x.rle.gz" (a final ".gz" is looked past); NULL when the
 * name has none.  *end gets where it ends (before any ".gz"). */
const char *pattern_name_ext(const char *path, const char **end);

/* The format a file name's extension names (.rle, .json, .cells, .lif/.life,
 * .mc), with or without a further ".gz". */
enum pattern_format pattern_format_from_name(const char *path);
/* The format the content looks like. */
enum pattern_format pattern_format_sniff(const char *data, size_t len);
const char *pattern_format_name(enum pattern_format f);

/* Reads a whole file (at most PATTERN_MAX_FILE_BYTES) into a NUL-terminated
 * buffer the caller frees; gzip-compressed content is decompressed (to at
 * most PATTERN_MAX_FILE_BYTES). */
int pattern_read_file(const char *path, char **data, size_t *len,
                      struct glider_error *err);

/* Loads any supported format: by extension, or by content when the extension
 * is missing or does not match (with a warning on stderr).  Errors start with
 * "path:line:col: " (or "path: ").  Sets the pattern's 'source' to 'path'. */
int pattern_load(const char *path, struct pattern **out, struct glider_error *err);
/* Parses a buffer in a known format; 'source' names it in messages. */
int pattern_parse(enum pattern_format f, const char *data, size_t len,
                  const char *source, struct pattern **out,
                  struct glider_error *err);
/* Saves by the extension of 'path' (.rle, .json, .cells).  Writes a temporary
 * file and renames it, so a failure never leaves half a file.  Errors start
 * with "path: ". */
int pattern_save(const struct pattern *p, const char *path,
                 struct glider_error *err);
/* What pattern_save would refuse before writing anything: an extension it
 * cannot write, or a file it cannot create there (tried, then removed).  For
 * checking an output name before a long run. */
int pattern_save_check(const char *path, struct glider_error *err);

#endif
