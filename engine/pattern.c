/* pattern.c - the pattern object, placing it, and loading/saving by format.
 *
 * Sections: the object; building the cells; reading the cells; placing;
 * formats and sniffing; files.
 *
 * The two forms of the cells (see pattern.h) meet in pattern_add_run, which
 * readers call, and pattern_iter_next, which everything else reads through;
 * only those two, pattern_bbox, pattern_population and pattern_get look at
 * 'cells' or 'runs' directly. */
#include "pattern.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cells.h"
#include "gunzip.h"
#include "macrocell.h"
#include "pattern_json.h"
#include "rle.h"
#include "sys.h"
#include "text_reader.h"

/* ---- The object ---------------------------------------------------------- */

int pattern_create(struct pattern **out, int width, int height,
                   struct glider_error *err)
{
    *out = NULL;
    struct pattern *p = sys_calloc(1, sizeof *p);
    if (!p)
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    p->rule = RULE_LIFE;
    if (width > 0 && height > 0) {
        int rc = grid_create(&p->cells, width, height, TOPO_PLANE, err);
        if (rc) {
            free(p);
            return rc;
        }
        p->width = width;
        p->height = height;
    }
    *out = p;
    return 0;
}

void pattern_destroy(struct pattern *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->author);
    free(p->description);
    for (int i = 0; i < p->ncomments; i++)
        free(p->comments[i]);
    free(p->comments);
    grid_destroy(p->cells);
    free(p->runs);
    free(p->source);
    free(p);
}

int pattern_set_text(char **field, const char *s, struct glider_error *err)
{
    char *copy = NULL;
    if (s) {
        size_t n = strlen(s) + 1;
        copy = sys_malloc(n);
        if (!copy)
            return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
        memcpy(copy, s, n);
    }
    free(*field);
    *field = copy;
    return 0;
}

int pattern_copy_text(struct pattern *dst, const struct pattern *src,
                      struct glider_error *err)
{
    struct pattern *t;
    int rc = pattern_create(&t, 0, 0, err);
    if (rc)
        return rc;
    if ((rc = pattern_set_text(&t->name, src->name, err)) == 0 &&
        (rc = pattern_set_text(&t->author, src->author, err)) == 0 &&
        (rc = pattern_set_text(&t->description, src->description, err)) == 0)
        for (int i = 0; i < src->ncomments && rc == 0; i++)
            rc = pattern_add_comment(t, src->comments[i], err);
    if (rc == 0) {
        /* Swap the text fields in; 't' takes the old ones away. */
        char *n = dst->name, *a = dst->author, *d = dst->description;
        char **c = dst->comments;
        int nc = dst->ncomments;
        dst->name = t->name;
        dst->author = t->author;
        dst->description = t->description;
        dst->comments = t->comments;
        dst->ncomments = t->ncomments;
        t->name = n;
        t->author = a;
        t->description = d;
        t->comments = c;
        t->ncomments = nc;
    }
    pattern_destroy(t);
    return rc;
}

int pattern_add_comment(struct pattern *p, const char *line,
                        struct glider_error *err)
{
    if (p->ncomments >= PATTERN_MAX_COMMENTS)
        return glider_errorf(err, GLIDER_ELIMIT,
                             "more than %d comment lines: over Glider's limit",
                             PATTERN_MAX_COMMENTS);
    char **c = sys_realloc(p->comments, (size_t)(p->ncomments + 1) * sizeof *c);
    if (!c)
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    p->comments = c;
    c[p->ncomments] = NULL;
    int rc = pattern_set_text(&c[p->ncomments], line, err);
    if (rc == 0)
        p->ncomments++;
    return rc;
}

/* ---- Building the cells -------------------------------------------------- */

/* A grid up to this size is always used when the box fits in one; a larger
 * one only when it is at most PATTERN_DENSE_FACTOR times the size of the
 * runs (so a big soup stays a grid, and two gliders far apart do not). */
#define PATTERN_DENSE_ALWAYS ((uint64_t)64 << 20)
#define PATTERN_DENSE_FACTOR 16

int pattern_alloc_cells(struct pattern *p, int64_t width, int64_t height,
                        uint64_t nruns, const char *source,
                        struct glider_error *err)
{
    if (!source)
        source = "<input>";
    if (!p || p->cells || p->runs)
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: pattern_alloc_cells: the pattern has cells "
                             "already",
                             source);
    if (width <= 0 || height <= 0)
        return 0;
    if (width > PATTERN_MAX_DIM || height > PATTERN_MAX_DIM)
        return glider_errorf(err, GLIDER_ELIMIT,
                             "%s: the pattern is %lldx%lld cells, over "
                             "Glider's limit of %d cells a side",
                             source, (long long)width, (long long)height,
                             PATTERN_MAX_DIM);
    uint64_t dense = grid_bytes_for((uint64_t)width, (uint64_t)height) / 2;
    uint64_t sparse = nruns * sizeof(struct pattern_run);
    if (width <= GRID_MAX_DIM && height <= GRID_MAX_DIM &&
        (dense <= PATTERN_DENSE_ALWAYS || dense / PATTERN_DENSE_FACTOR <= sparse)) {
        struct glider_error e = {0};
        int rc = grid_create(&p->cells, (int)width, (int)height, TOPO_PLANE, &e);
        if (rc)
            return glider_errorf(err, rc, "%s: %s", source, e.msg);
    } else if (nruns > PATTERN_MAX_RUNS) {
        return glider_errorf(err, GLIDER_ELIMIT,
                             "%s: %llu runs of live cells in a %lldx%lld box: "
                             "over Glider's limit of %u runs for a pattern "
                             "stored run by run",
                             source, (unsigned long long)nruns,
                             (long long)width, (long long)height,
                             PATTERN_MAX_RUNS);
    } else if (nruns == 0) {
        return 0; /* stored run by run, no run: the empty pattern, 0 x 0 */
    } else {
        p->runs = sys_malloc((size_t)nruns * sizeof *p->runs);
        if (!p->runs)
            return glider_errorf(err, GLIDER_ENOMEM,
                                 "%s: out of memory for %llu runs of live "
                                 "cells (%.1f MiB)",
                                 source, (unsigned long long)nruns,
                                 (double)sparse / (1024.0 * 1024.0));
        p->cap_runs = (size_t)nruns;
    }
    p->nruns = 0;
    p->runs_unsorted = 0;
    p->width = (int)width;
    p->height = (int)height;
    return 0;
}

/* Sets cells [x0, x1) of row y of 'g' (all inside it), a word at a time. */
static void set_span(struct grid *g, int y, int x0, int x1)
{
    uint64_t *row = grid_row(g, y);
    int x = x0;
    while (x < x1) {
        int b = x & 63;
        int k = 64 - b < x1 - x ? 64 - b : x1 - x;
        uint64_t mask = k == 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1) << b;
        row[x >> 6] |= mask;
        x += k;
    }
}

void pattern_add_run(struct pattern *p, int y, int x0, int x1)
{
    if (x0 >= x1)
        return;
    if (p->cells) {
        set_span(p->cells, y, x0, x1);
        return;
    }
    if (p->nruns) {
        struct pattern_run *last = &p->runs[p->nruns - 1];
        if (y == last->y && x0 >= last->x0 && x0 <= last->x1) {
            if (x1 > last->x1)
                last->x1 = x1; /* touches or overlaps the last run */
            return;
        }
        if (y < last->y || (y == last->y && x0 < last->x0))
            p->runs_unsorted = 1;
    }
    /* The readers count in their first pass the runs their second adds, so
     * this only guards against a miscount. */
    if (p->nruns < p->cap_runs)
        p->runs[p->nruns++] = (struct pattern_run){y, x0, x1};
}

static int run_order(const void *a, const void *b)
{
    const struct pattern_run *r = a, *s = b;
    if (r->y != s->y)
        return r->y < s->y ? -1 : 1;
    return r->x0 < s->x0 ? -1 : r->x0 > s->x0;
}

void pattern_finish_cells(struct pattern *p)
{
    if (!p->runs || !p->runs_unsorted)
        return;
    qsort(p->runs, p->nruns, sizeof *p->runs, run_order);
    size_t n = 0;
    for (size_t i = 0; i < p->nruns; i++) {
        struct pattern_run r = p->runs[i];
        if (n && p->runs[n - 1].y == r.y && r.x0 <= p->runs[n - 1].x1) {
            if (r.x1 > p->runs[n - 1].x1)
                p->runs[n - 1].x1 = r.x1;
        } else {
            p->runs[n++] = r;
        }
    }
    p->nruns = n;
    p->runs_unsorted = 0;
}

/* ---- Reading the cells ---------------------------------------------------- */

/* First x in [from, limit) whose bit is 'want', or 'limit'. */
static int next_bit(const uint64_t *row, int from, int limit, int want)
{
    while (from < limit) {
        uint64_t w = row[from >> 6];
        if (!want)
            w = ~w;
        w >>= from & 63;
        if (w) {
            int x = from + __builtin_ctzll(w);
            return x < limit ? x : limit;
        }
        from = (from | 63) + 1;
    }
    return limit;
}

void pattern_iter_init(struct pattern_iter *it, const struct pattern *p)
{
    it->p = p;
    it->i = 0;
    it->x = 0;
    it->y = 0;
}

bool pattern_iter_next(struct pattern_iter *it, struct pattern_run *run)
{
    const struct pattern *p = it->p;
    if (!p->cells) {
        if (!p->runs || it->i >= p->nruns)
            return false;
        *run = p->runs[it->i++];
        return true;
    }
    const struct grid *g = p->cells;
    while (it->y < g->height) {
        const uint64_t *row = grid_row(g, it->y);
        int a = next_bit(row, it->x, g->width, 1);
        if (a < g->width) {
            int b = next_bit(row, a, g->width, 0);
            *run = (struct pattern_run){it->y, a, b};
            it->x = b;
            return true;
        }
        it->y++;
        it->x = 0;
    }
    return false;
}

bool pattern_bbox(const struct pattern *p, int *x0, int *y0, int *x1, int *y1)
{
    if (p->cells)
        return grid_bbox(p->cells, x0, y0, x1, y1);
    if (!p->runs || p->nruns == 0)
        return false;
    int lo = p->runs[0].x0, hi = p->runs[0].x1;
    for (size_t i = 1; i < p->nruns; i++) {
        if (p->runs[i].x0 < lo)
            lo = p->runs[i].x0;
        if (p->runs[i].x1 > hi)
            hi = p->runs[i].x1;
    }
    *x0 = lo;
    *x1 = hi;
    *y0 = p->runs[0].y;
    *y1 = p->runs[p->nruns - 1].y + 1;
    return true;
}

uint64_t pattern_population(const struct pattern *p)
{
    if (p->cells)
        return grid_population(p->cells);
    uint64_t n = 0;
    for (size_t i = 0; p->runs && i < p->nruns; i++)
        n += (uint64_t)(p->runs[i].x1 - p->runs[i].x0);
    return n;
}

int pattern_get(const struct pattern *p, int x, int y)
{
    if (x < 0 || y < 0 || x >= p->width || y >= p->height)
        return 0;
    if (p->cells)
        return grid_get(p->cells, x, y);
    /* The last run starting at or before (x, y), by binary search. */
    size_t lo = 0, hi = p->runs ? p->nruns : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct pattern_run *r = &p->runs[mid];
        if (r->y < y || (r->y == y && r->x0 <= x))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && p->runs[lo - 1].y == y && x < p->runs[lo - 1].x1;
}

int pattern_from_grid(const struct grid *g, const struct rule *rule,
                      struct pattern **out, struct glider_error *err)
{
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool any = grid_bbox(g, &x0, &y0, &x1, &y1);
    struct pattern *p;
    int rc = pattern_create(&p, any ? x1 - x0 : 0, any ? y1 - y0 : 0, err);
    if (rc)
        return rc;
    p->rule = *rule;
    p->has_rule = 1;
    p->bounds = (struct rule_bounds){1, g->topo, g->width, g->height};
    p->has_origin = 1;
    p->origin_x = x0;
    p->origin_y = y0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            if (grid_get(g, x, y))
                grid_set(p->cells, x - x0, y - y0, 1);
    *out = p;
    return 0;
}

void pattern_default_universe(const struct pattern *p, int *width, int *height,
                              enum topology *topo)
{
    if (p->bounds.present) {
        *width = p->bounds.width;
        *height = p->bounds.height;
        *topo = p->bounds.topo;
        return;
    }
    /* Room to move: the pattern plus half its size (at least 32) each side. */
    long w = p->width, h = p->height;
    if (p->has_origin) {
        w = p->origin_x + p->width;
        h = p->origin_y + p->height;
    }
    long mw = w / 2 > 32 ? w / 2 : 32, mh = h / 2 > 32 ? h / 2 : 32;
    w += 2 * mw;
    h += 2 * mh;
    if (w < 64)
        w = 64;
    if (h < 64)
        h = 64;
    *width = w > GRID_MAX_DIM ? GRID_MAX_DIM : (int)w;
    *height = h > GRID_MAX_DIM ? GRID_MAX_DIM : (int)h;
    *topo = TOPO_TORUS;
}

/* The box does not fit in any universe (only a pattern without bounds can
 * be that large: bounds are at most GRID_MAX_DIM a side). */
static bool too_large(const struct pattern *p)
{
    return !p->bounds.present &&
           (p->width > GRID_MAX_DIM || p->height > GRID_MAX_DIM);
}

static int too_large_error(const struct pattern *p, struct glider_error *err)
{
    return glider_errorf(err, GLIDER_ELIMIT,
                         "%s%spattern is %dx%d cells, larger than the largest "
                         "universe (%dx%d); 'glider convert' can still read "
                         "and write it",
                         p->source ? p->source : "", p->source ? ": " : "",
                         p->width, p->height, GRID_MAX_DIM, GRID_MAX_DIM);
}

int pattern_universe(const struct pattern *p, int *width, int *height,
                     enum topology *topo, struct glider_error *err)
{
    if (too_large(p))
        return too_large_error(p, err);
    pattern_default_universe(p, width, height, topo);
    return 0;
}

/* ---- Placing ------------------------------------------------------------- */

/* Where pattern_place puts the pattern's top-left in a width x height
 * universe. */
static void place_origin(const struct pattern *p, int width, int height,
                         long *ox, long *oy)
{
    if (p->has_origin) {
        *ox = p->origin_x;
        *oy = p->origin_y;
    } else {
        *ox = ((long)width - p->width) / 2;
        *oy = ((long)height - p->height) / 2;
    }
}

bool pattern_fits(const struct pattern *p, int width, int height)
{
    int x0, y0, x1, y1;
    if (too_large(p))
        return false;
    if (!pattern_bbox(p, &x0, &y0, &x1, &y1))
        return true;
    long ox, oy;
    place_origin(p, width, height, &ox, &oy);
    return ox + x0 >= 0 && oy + y0 >= 0 && ox + x1 <= width && oy + y1 <= height;
}

int pattern_place(const struct pattern *p, struct grid *g,
                  struct glider_error *err)
{
    if (too_large(p))
        return too_large_error(p, err);
    int x0, y0, x1, y1;
    if (!pattern_bbox(p, &x0, &y0, &x1, &y1))
        return 0;
    long ox, oy;
    place_origin(p, g->width, g->height, &ox, &oy);
    struct pattern_iter it;
    struct pattern_run r;
    /* Check every live cell first so a failure leaves 'g' untouched; the
     * message names the first cell outside, row by row. */
    if (ox + x0 < 0 || oy + y0 < 0 || ox + x1 > g->width ||
        oy + y1 > g->height) {
        pattern_iter_init(&it, p);
        while (pattern_iter_next(&it, &r)) {
            long y = oy + r.y, x = ox + r.x0;
            if (y >= 0 && y < g->height && x >= 0) {
                if (ox + r.x1 <= g->width)
                    continue;
                if (x < g->width)
                    x = g->width; /* the first cell past the right edge */
            }
            if (p->has_origin)
                return glider_errorf(err, GLIDER_ELIMIT,
                                     "live cell (%ld, %ld) is outside the "
                                     "%dx%d universe (pattern is %dx%d, its "
                                     "origin (%d, %d))",
                                     x, y, g->width, g->height, p->width,
                                     p->height, p->origin_x, p->origin_y);
            return glider_errorf(err, GLIDER_ELIMIT,
                                 "live cell (%ld, %ld) is outside the %dx%d "
                                 "universe (pattern is %dx%d)",
                                 x, y, g->width, g->height, p->width,
                                 p->height);
        }
    }
    pattern_iter_init(&it, p);
    while (pattern_iter_next(&it, &r))
        set_span(g, (int)(oy + r.y), (int)(ox + r.x0), (int)(ox + r.x1));
    return 0;
}

/* ---- Formats and sniffing ------------------------------------------------ */

const char *pattern_name_ext(const char *path, const char **end)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0)
        n -= 3;
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (base[i] == '.')
            dot = base + i;
    *end = base + n;
    return dot;
}

/* The extension of 'path' into 'out' (without the dot), looking past a
 * final ".gz": "x.rle.gz" is RLE (gzip is undone when reading). */
static const char *extension(const char *path, char *out, size_t size)
{
    const char *end, *dot = pattern_name_ext(path, &end);
    size_t k = dot ? (size_t)(end - dot - 1) : 0;
    if (k >= size)
        k = 0;
    memcpy(out, dot ? dot + 1 : "", k);
    out[k] = '\0';
    return out;
}

enum pattern_format pattern_format_from_name(const char *path)
{
    char buf[16];
    const char *e = extension(path, buf, sizeof buf);
    if (strcasecmp(e, "rle") == 0)
        return PATTERN_RLE;
    if (strcasecmp(e, "json") == 0)
        return PATTERN_JSON;
    if (strcasecmp(e, "cells") == 0)
        return PATTERN_CELLS;
    if (strcasecmp(e, "lif") == 0 || strcasecmp(e, "life") == 0)
        return PATTERN_LIFE106;
    if (strcasecmp(e, "mc") == 0)
        return PATTERN_MACROCELL;
    return PATTERN_UNKNOWN;
}

const char *pattern_format_name(enum pattern_format f)
{
    switch (f) {
    case PATTERN_RLE:
        return "RLE";
    case PATTERN_JSON:
        return "JSON";
    case PATTERN_CELLS:
        return "plaintext .cells";
    case PATTERN_LIFE106:
        return "Life 1.06";
    case PATTERN_MACROCELL:
        return "macrocell";
    default:
        return "unknown";
    }
}

enum pattern_format pattern_format_sniff(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF &&
        (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF)
        i = 3;
    /* Skip blank lines; look at the first meaningful line. */
    while (i < len) {
        while (i < len && isspace((unsigned char)data[i]))
            i++;
        if (i >= len)
            break;
        const char *l = data + i;
        size_t rest = len - i;
        if (rest >= 4 && strncmp(l, "[M2]", 4) == 0)
            return PATTERN_MACROCELL;
        if (l[0] == '{' || l[0] == '[')
            return PATTERN_JSON;
        if (rest >= 5 && strncmp(l, "#Life", 5) == 0)
            return PATTERN_LIFE106; /* its reader names the versions it has */
        if (l[0] == '!' || l[0] == '.' || l[0] == 'O')
            return PATTERN_CELLS;
        if (l[0] == 'x' || l[0] == '#')
            return PATTERN_RLE;
        if (isdigit((unsigned char)l[0]) || l[0] == 'b' || l[0] == 'o' ||
            l[0] == '$')
            return PATTERN_RLE;
        return PATTERN_UNKNOWN;
    }
    return PATTERN_UNKNOWN;
}

/* Makes the message in 'err' start with "source: " when it does not name
 * 'source' already (allocation failures deep inside a reader say only "out
 * of memory"); returns 'rc'. */
static int name_source(int rc, const char *source, struct glider_error *err)
{
    if (!rc || !err || !source)
        return rc;
    size_t n = strlen(source);
    if (strncmp(err->msg, source, n) == 0 && err->msg[n] == ':')
        return rc;
    char msg[GLIDER_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg[0] ? err->msg : glider_strerror(rc));
    return glider_errorf(err, rc, "%s: %s", source, msg);
}

static int parse_format(enum pattern_format f, const char *data, size_t len,
                        const char *source, struct pattern **out,
                        struct glider_error *err)
{
    switch (f) {
    case PATTERN_RLE:
        return rle_parse(data, len, source, out, err);
    case PATTERN_JSON:
        return pattern_json_parse(data, len, source, out, err);
    case PATTERN_CELLS:
        return cells_parse(data, len, source, out, err);
    case PATTERN_LIFE106:
        return life106_parse(data, len, source, out, err);
    case PATTERN_MACROCELL:
        return macrocell_parse(data, len, source, out, err);
    default: /* name every format read, so none looks unsupported */
        return glider_errorf(err, GLIDER_EPARSE,
                             "%s: not a pattern file: expected RLE, JSON, "
                             ".cells, Life 1.06, Life 1.05 or macrocell "
                             "(.mc), gzipped or not",
                             source);
    }
}

int pattern_parse(enum pattern_format f, const char *data, size_t len,
                  const char *source, struct pattern **out,
                  struct glider_error *err)
{
    if (!source)
        source = "<input>";
    return name_source(parse_format(f, data, len, source, out, err), source,
                       err);
}

/* ---- Files --------------------------------------------------------------- */

/* Reads all of 'fd' (not closed) into a NUL-terminated buffer, undoing
 * gzip; messages name 'name'. */
static int read_fd(int fd, const char *name, char **data, size_t *len,
                   struct glider_error *err)
{
    *data = NULL;
    *len = 0;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        return glider_syserrorf(err, GLIDER_EIO, e, "%s: cannot stat", name);
    }
    if (S_ISDIR(st.st_mode))
        return glider_errorf(err, GLIDER_EIO,
                             "%s: is a directory, expected a pattern file",
                             name);
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > PATTERN_MAX_FILE_BYTES)
        return glider_errorf(err, GLIDER_ELIMIT,
                             "%s: file is %.1f MiB, over the %u MiB limit for "
                             "pattern files",
                             name, (double)st.st_size / (1024.0 * 1024.0),
                             PATTERN_MAX_FILE_BYTES / (1024u * 1024u));
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    char *buf = sys_malloc(cap);
    if (!buf)
        return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory", name);
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > PATTERN_MAX_FILE_BYTES) {
                free(buf);
                return glider_errorf(err, GLIDER_ELIMIT,
                                     "%s: over the %u MiB limit for pattern "
                                     "files",
                                     name,
                                     PATTERN_MAX_FILE_BYTES / (1024u * 1024u));
            }
            char *nb = sys_realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory",
                                     name);
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            return glider_syserrorf(err, GLIDER_EIO, e, "%s: cannot read", name);
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    /* Golly ships .rle.gz and .mc.gz samples: undone here, whatever the
     * name says. */
    if (gunzip_is_gzip(buf, n)) {
        int rc = gunzip_replace(&buf, &n, PATTERN_MAX_FILE_BYTES, name, err);
        if (rc) {
            free(buf);
            return rc;
        }
    }
    *data = buf;
    *len = n;
    return 0;
}

int pattern_read_file(const char *path, char **data, size_t *len,
                      struct glider_error *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return glider_syserrorf(err, GLIDER_EIO, e, "%s: cannot open", path);
    }
    int rc = read_fd(fd, path, data, len, err);
    close(fd);
    return rc;
}

/* Whether 'data' shows its format beyond doubt, enough to overrule a file's
 * extension: JSON's '{', a '#Life' header, a .cells file's '!' comment
 * first, or an RLE header line 'x = ...' near the top (a first byte that
 * RLE could start with is not enough: four random kilobytes named .cells
 * would "look like RLE", and an RLE body may start with '.'). */
static int sniff_sure(const char *data, size_t len, enum pattern_format f)
{
    if (f == PATTERN_JSON || f == PATTERN_LIFE106 || f == PATTERN_MACROCELL)
        return 1;
    if (f == PATTERN_CELLS) {
        size_t i = text_bom_len(data, len);
        while (i < len && isspace((unsigned char)data[i]))
            i++;
        return i < len && data[i] == '!';
    }
    if (f != PATTERN_RLE)
        return 0;
    size_t n = len < 65536 ? len : 65536;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && data[i - 1] != '\n' && data[i - 1] != '\r')
            continue;
        size_t k = i;
        while (k < n && (data[k] == ' ' || data[k] == '\t'))
            k++;
        if (k < n && data[k] == 'x') {
            k++;
            while (k < n && (data[k] == ' ' || data[k] == '\t'))
                k++;
            if (k < n && data[k] == '=')
                return 1;
        }
    }
    return 0;
}

int pattern_load(const char *path, struct pattern **out, struct glider_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    /* "-" is standard input, its format told by its content alone. */
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    int rc = is_stdin ? read_fd(0, name, &data, &len, err)
                      : pattern_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    if (len == 0) {
        free(data);
        return glider_errorf(err, GLIDER_EPARSE,
                             "%s:1:1: empty file, expected a pattern", name);
    }
    enum pattern_format by_name = is_stdin ? PATTERN_UNKNOWN
                                           : pattern_format_from_name(path);
    enum pattern_format by_content = pattern_format_sniff(data, len);
    enum pattern_format f = by_name;
    if (by_name == PATTERN_UNKNOWN ||
        (by_content != PATTERN_UNKNOWN && by_content != by_name &&
         sniff_sure(data, len, by_content))) {
        if (by_content != PATTERN_UNKNOWN) {
            if (!is_stdin)
                fprintf(stderr,
                        "glider: warning: %s looks like %s%s; reading it as "
                        "%s\n",
                        path, pattern_format_name(by_content),
                        by_name == PATTERN_UNKNOWN ? ""
                                                   : ", not what its extension says",
                        pattern_format_name(by_content));
            f = by_content;
        }
    }
    rc = pattern_parse(f, data, len, name, out, err);
    free(data);
    if (rc == 0 && (rc = pattern_set_text(&(*out)->source, name, err))) {
        pattern_destroy(*out);
        *out = NULL;
        return name_source(rc, name, err);
    }
    return rc;
}

/* Where a save to 'path' goes: through a symbolic link to the file it
 * names (the link stays a link; a dangling one is followed too), else
 * 'path'.  A fresh string, NULL when out of memory. */
static char *save_target(const char *path)
{
    struct stat st;
    char link[4096];
    ssize_t n;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode) ||
        (n = readlink(path, link, sizeof link - 1)) <= 0) {
        char *s = sys_malloc(strlen(path) + 1);
        return s ? strcpy(s, path) : NULL;
    }
    char *real = realpath(path, NULL);
    if (real) {
        char *s = sys_malloc(strlen(real) + 1);
        if (s)
            strcpy(s, real);
        free(real);
        return s;
    }
    /* Dangling: the target is relative to the link's directory. */
    link[n] = '\0';
    const char *slash = strrchr(path, '/');
    size_t dir = link[0] != '/' && slash ? (size_t)(slash - path) + 1 : 0;
    char *s = sys_malloc(dir + (size_t)n + 1);
    if (s) {
        memcpy(s, path, dir);
        memcpy(s + dir, link, (size_t)n + 1);
    }
    return s;
}

/* Opens the temporary file pattern_save writes before renaming it to
 * '*dest' (save_target: 'path', or the file a link there names), after
 * checking that the extension names a format it can write.  The temporary
 * file gets the permission bits of the file it replaces. */
static int save_open(const char *path, enum pattern_format *f, char **dest,
                     char **tmp, FILE **fp, struct glider_error *err)
{
    *f = pattern_format_from_name(path);
    size_t len = strlen(path);
    if (len > 3 && strcasecmp(path + len - 3, ".gz") == 0)
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: Glider reads gzip-compressed patterns but "
                             "does not write them: name it without '.gz'",
                             path);
    if (*f == PATTERN_LIFE106 || *f == PATTERN_MACROCELL)
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: Glider reads %s files but does not write "
                             "them: expected a .rle, .json or .cells extension",
                             path, pattern_format_name(*f));
    if (*f != PATTERN_RLE && *f != PATTERN_JSON && *f != PATTERN_CELLS)
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: cannot tell the format to write: expected a "
                             ".rle, .json or .cells extension",
                             path);
    *dest = save_target(path);
    struct stat st;
    int exists = *dest && stat(*dest, &st) == 0; /* a file, once past here */
    if (exists && !S_ISREG(st.st_mode)) {
        free(*dest);
        *dest = NULL;
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: is %s, not a file: give a file name", path,
                             S_ISDIR(st.st_mode) ? "a directory"
                                                 : "a device, FIFO or socket");
    }
    size_t n = *dest ? strlen(*dest) : 0;
    *tmp = *dest ? sys_malloc(n + 32) : NULL;
    if (!*tmp) {
        free(*dest);
        *dest = NULL;
        return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory", path);
    }
    snprintf(*tmp, n + 32, "%s.tmp.%ld", *dest, (long)getpid());
    *fp = fopen(*tmp, "w");
    if (*fp && exists && fchmod(fileno(*fp), st.st_mode & 07777) != 0) {
        fclose(*fp);
        unlink(*tmp);
        *fp = NULL;
    }
    if (!*fp) {
        /* The file is written beside its destination and renamed over it,
         * so it is the directory that must be writable. */
        int e = errno;
        const char *slash = strrchr(*dest, '/');
        int dlen = slash ? (slash == *dest ? 1 : (int)(slash - *dest)) : 1;
        glider_syserrorf(err, GLIDER_EIO, e,
                         "%s: cannot create a file in directory '%.*s' "
                         "(Glider writes a new file there and renames it)",
                         path, dlen, slash ? *dest : ".");
        free(*tmp);
        free(*dest);
        *tmp = *dest = NULL;
        return GLIDER_EIO;
    }
    return 0;
}

int pattern_save_check(const char *path, struct glider_error *err)
{
    enum pattern_format f;
    char *dest = NULL, *tmp = NULL;
    FILE *fp = NULL;
    int rc = save_open(path, &f, &dest, &tmp, &fp, err);
    if (rc)
        return rc;
    fclose(fp);
    unlink(tmp);
    free(tmp);
    free(dest);
    return 0;
}

int pattern_save(const struct pattern *p, const char *path,
                 struct glider_error *err)
{
    enum pattern_format f;
    char *dest = NULL, *tmp = NULL;
    FILE *fp = NULL;
    int rc = save_open(path, &f, &dest, &tmp, &fp, err);
    if (rc)
        return rc;
    if (f == PATTERN_RLE)
        rc = rle_write(p, fp, err);
    else if (f == PATTERN_JSON)
        rc = pattern_json_write(p, fp, err);
    else
        rc = cells_write(p, fp, err);
    int e = 0;
    if (ferror(fp) && rc == 0) {
        e = errno;
        rc = GLIDER_EIO;
    }
    if (fclose(fp) != 0 && rc == 0) {
        e = errno;
        rc = GLIDER_EIO;
    }
    if (rc == 0 && rename(tmp, dest) != 0) {
        e = errno;
        rc = GLIDER_EIO;
    }
    if (rc) {
        unlink(tmp);
        if (e)
            glider_syserrorf(err, rc, e, "%s: cannot write", path);
        else
            name_source(rc, path, err);
    }
    free(tmp);
    free(dest);
    return rc;
}
