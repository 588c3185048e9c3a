/* pattern_json.c - Glider's JSON pattern files: the loader (DESIGN.md,
 * doc/patterns.md).
 *
 * Loading is strict and every error is located ("file:line:col: ...").  It
 * makes three passes over the text:
 *   1. the pre-pass of json_check.c checks that the bytes are UTF-8 and the
 *      syntax is JSON within the nesting and size limits, and says exactly
 *      what was expected where they are not (cJSON itself only tells where
 *      it stopped); it bounds cJSON's stack and memory;
 *   2. cJSON builds the tree;
 *   3. the schema check walks the tree.  To say where a bad value is, it finds
 *      the value's key path in the text again with json_check_locate (on the
 *      error path only).
 * The saver is in pattern_json_write.c.
 *
 * Sections: schema helpers; the cell sources; loading. */
#include "pattern_json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "rle.h"
#include "suggest.h"
#include "sys.h"

/* ---- Schema helpers ------------------------------------------------------ */

struct jctx {
    struct json_check_text t;
    struct glider_error *err;
};

/* Puts "source: " before the message of an error from another module (an
 * allocation that failed says only "out of memory"); returns 'rc'. */
static int named(struct jctx *c, int rc)
{
    if (rc && c->err) {
        char msg[GLIDER_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", c->err->msg);
        glider_errorf(c->err, rc, "%s: %s", c->t.source, msg);
    }
    return rc;
}

/* Formats "source:line:col: path: message" at the value 'path' (or, with
 * 'key', at the nth member 'key' of it; with 'index' >= 0, at that byte of
 * the string there) and returns GLIDER_EPARSE. */
__attribute__((format(printf, 6, 7)))
static int jerr_at(struct jctx *c, const char *path, const char *key, int nth,
                   long index, const char *fmt, ...)
{
    size_t off = json_check_locate(&c->t, path, key, nth);
    if (index >= 0)
        off = json_check_string_offset(&c->t, off, (size_t)index);
    int line, col;
    json_check_where(&c->t, off, &line, &col);
    char msg[GLIDER_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *sep = *path && key ? "." : "";
    return glider_errorf(c->err, GLIDER_EPARSE, "%s:%d:%d: %s%s%s%s%s",
                         c->t.source, line, col, path, sep, key ? key : "",
                         *path || key ? ": " : "", msg);
}

#define jerr(c, path, ...) jerr_at((c), (path), NULL, 1, -1, __VA_ARGS__)

/* A short description of a value for "got ..." in messages. */
static const char *describe(const cJSON *v, char *buf, size_t size)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == floor(d) && fabs(d) < 1e15)
            snprintf(buf, size, "%.0f", d);
        else
            snprintf(buf, size, "%g", d);
    } else if (cJSON_IsString(v)) {
        size_t n = strlen(v->valuestring), cut = n > 40 ? 40 : n;
        while (cut < n && ((unsigned char)v->valuestring[cut] & 0xC0) == 0x80)
            cut--; /* not inside a UTF-8 sequence */
        snprintf(buf, size, "the string \"%.*s%s\"", (int)cut,
                 v->valuestring, cut < n ? "..." : "");
    } else if (cJSON_IsBool(v)) {
        snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNull(v)) {
        snprintf(buf, size, "null");
    } else if (cJSON_IsArray(v)) {
        snprintf(buf, size, "an array");
    } else {
        snprintf(buf, size, "an object");
    }
    return buf;
}

/* Checks that 'obj' (at 'path') is an object whose keys are all among
 * 'keys' (NULL-terminated), each at most once.  'shape' shows what is
 * expected, for the message when 'obj' is not an object. */
static int check_object(struct jctx *c, const cJSON *obj, const char *path,
                        const char *const *keys, const char *shape)
{
    char got[80];
    if (!cJSON_IsObject(obj))
        return jerr(c, path, "must be an object %s, got %s", shape,
                    describe(obj, got, sizeof got));
    int seen[16] = {0};
    for (const cJSON *m = obj->child; m; m = m->next) {
        int k = 0;
        while (keys[k] && strcmp(keys[k], m->string) != 0)
            k++;
        if (keys[k]) {
            if (++seen[k] > 1)
                return jerr_at(c, path, m->string, 2, -1,
                               "duplicate key; give each key once");
            continue;
        }
        int best = -1, best_d = SUGGEST_FAR;
        for (int i = 0; keys[i]; i++) {
            int d = suggest_distance(m->string, keys[i], 32, 1);
            if (d < best_d)
                best = i, best_d = d;
        }
        size_t len = strlen(m->string);
        if (best >= 0 && (best_d == 0 || best_d <= (len >= 5 ? 2 : 1)))
            return jerr_at(c, path, m->string, 1, -1,
                           "unknown key; did you mean \"%s\"?", keys[best]);
        char list[160] = "";
        for (int i = 0; keys[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     i ? ", " : "", keys[i]);
        return jerr_at(c, path, m->string, 1, -1,
                       "unknown key (known keys: %s)", list);
    }
    return 0;
}

static int want_int(struct jctx *c, const cJSON *v, const char *path,
                    long long lo, long long hi, long long *out)
{
    char got[80];
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == floor(d) && d >= (double)lo && d <= (double)hi) {
            *out = (long long)d;
            return 0;
        }
    }
    return jerr(c, path, "must be an integer between %lld and %lld, got %s",
                lo, hi, describe(v, got, sizeof got));
}

static int want_string(struct jctx *c, const cJSON *v, const char *path)
{
    char got[80];
    if (cJSON_IsString(v))
        return 0;
    return jerr(c, path, "must be a string, got %s",
                describe(v, got, sizeof got));
}

/* ---- The cell sources ---------------------------------------------------- */

/* Where the file puts the pattern, gathered before the cells are read so
 * that a cell outside the universe can be named where it is written. */
struct placement {
    struct rule_bounds bounds; /* universe, or .present = 0 */
    int has_origin;
    long ox, oy;
};

static const char *const universe_text = "{\"width\": W, \"height\": H}";

/* "rows": an array of strings, '.' dead and 'O' or '*' alive. */
static int load_rows(struct jctx *c, const cJSON *rows,
                     const struct placement *pl, struct pattern **out)
{
    char got[80];
    if (!cJSON_IsArray(rows))
        return jerr(c, "rows",
                    "must be an array of strings such as [\".O.\", \"..O\", "
                    "\"OOO\"], got %s",
                    describe(rows, got, sizeof got));
    long height = 0, width = 0;
    char path[48];
    for (const cJSON *r = rows->child; r; r = r->next, height++) {
        snprintf(path, sizeof path, "rows[%ld]", height);
        if (!cJSON_IsString(r))
            return jerr(c, path, "must be a string of '.' and 'O', got %s",
                        describe(r, got, sizeof got));
        const char *s = r->valuestring;
        long n = (long)strlen(s);
        for (long i = 0; i < n; i++)
            if (s[i] != '.' && s[i] != 'O' && s[i] != '*') {
                char what[16];
                size_t k = json_check_utf8_seq((const unsigned char *)s + i,
                                               (size_t)(n - i));
                if ((unsigned char)s[i] >= 0x20 && k)
                    snprintf(what, sizeof what, "'%.*s'", (int)k, s + i);
                else
                    snprintf(what, sizeof what, "byte 0x%02x",
                             (unsigned char)s[i]);
                return jerr_at(c, path, NULL, 1, i,
                               "unexpected %s at index %ld; expected '.' "
                               "(dead) or 'O' or '*' (alive)",
                               what, i);
            }
        if (n > width)
            width = n;
    }
    if (height > GRID_MAX_DIM || width > GRID_MAX_DIM)
        return jerr(c, "rows",
                    "the picture is %ldx%ld, over the %d-cell limit of a "
                    "universe side",
                    width, height, GRID_MAX_DIM);
    struct pattern *p;
    int rc = pattern_create(&p, height ? (int)width : 0, width ? (int)height : 0,
                            c->err);
    if (rc)
        return named(c, rc);
    long y = 0;
    for (const cJSON *r = rows->child; r && p->cells; r = r->next, y++)
        for (long x = 0; r->valuestring[x]; x++)
            if (r->valuestring[x] != '.') {
                long ux = pl->ox + x, uy = pl->oy + y;
                if (pl->bounds.present && pl->has_origin &&
                    (ux >= pl->bounds.width || uy >= pl->bounds.height)) {
                    pattern_destroy(p);
                    snprintf(path, sizeof path, "rows[%ld]", y);
                    return jerr_at(c, path, NULL, 1, x,
                                   "live cell at index %ld lands on (%ld, %ld), "
                                   "outside the %dx%d universe",
                                   x, ux, uy, pl->bounds.width,
                                   pl->bounds.height);
                }
                grid_set(p->cells, (int)x, (int)y, 1);
            }
    *out = p;
    return 0;
}

/* "cells": an array of [x, y] pairs.  The pattern is their bounding box;
 * '*dx'/'*dy' receive its top-left corner, which the origin moves by. */
static int load_cells(struct jctx *c, const cJSON *cells,
                      const struct placement *pl, struct pattern **out,
                      long *dx, long *dy)
{
    char got[80], path[64];
    if (!cJSON_IsArray(cells))
        return jerr(c, "cells",
                    "must be an array of [x, y] pairs such as [[1, 0], [2, 1], "
                    "[0, 2]], got %s",
                    describe(cells, got, sizeof got));
    long x0 = GRID_MAX_DIM, y0 = GRID_MAX_DIM, x1 = -1, y1 = -1, i = 0;
    for (const cJSON *e = cells->child; e; e = e->next, i++) {
        snprintf(path, sizeof path, "cells[%ld]", i);
        if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2)
            return jerr(c, path, "must be a pair [x, y] of integers, got %s",
                        describe(e, got, sizeof got));
        long long v[2] = {0, 0};
        for (int k = 0; k < 2; k++) {
            char ep[80];
            snprintf(ep, sizeof ep, "%s[%d]", path, k);
            int rc = want_int(c, cJSON_GetArrayItem(e, k), ep, 0,
                              GRID_MAX_DIM - 1, &v[k]);
            if (rc)
                return rc;
        }
        long ux = pl->ox + (long)v[0], uy = pl->oy + (long)v[1];
        if (pl->bounds.present && pl->has_origin &&
            (ux >= pl->bounds.width || uy >= pl->bounds.height))
            return jerr(c, path,
                        "cell [%lld, %lld] lands on (%ld, %ld), outside the "
                        "%dx%d universe",
                        v[0], v[1], ux, uy, pl->bounds.width,
                        pl->bounds.height);
        if (v[0] < x0)
            x0 = (long)v[0];
        if (v[0] > x1)
            x1 = (long)v[0];
        if (v[1] < y0)
            y0 = (long)v[1];
        if (v[1] > y1)
            y1 = (long)v[1];
    }
    struct pattern *p;
    int rc = pattern_create(&p, x1 < 0 ? 0 : (int)(x1 - x0 + 1),
                            x1 < 0 ? 0 : (int)(y1 - y0 + 1), c->err);
    if (rc)
        return named(c, rc);
    for (const cJSON *e = cells->child; e; e = e->next)
        grid_set(p->cells, (int)(cJSON_GetArrayItem(e, 0)->valuedouble - x0),
                 (int)(cJSON_GetArrayItem(e, 1)->valuedouble - y0), 1);
    *dx = x1 < 0 ? 0 : x0;
    *dy = x1 < 0 ? 0 : y0;
    *out = p;
    return 0;
}

/* Joins the strings of the "rle" array into one body (into 'body' when it
 * is not NULL) with the newlines and spaces that stand between them in the
 * file, so that line and column numbers in RLE messages point into the file.
 * Returns the body's length; '*line0'/'*col0' receive the place of its first
 * character.  With 'find' (not NULL), stops at body byte '*find' and turns
 * it into the offset in the file of the character it came from (strings
 * with escapes such as \n are shorter than their text in the file). */
static size_t join_rle(struct jctx *c, const cJSON *rle, char *body,
                       int *line0, int *col0, size_t *find)
{
    const struct json_check_text *t = &c->t;
    struct json_check_pos tp = {t->start, 1, 1};
    size_t off = json_check_locate(t, "rle[0]", NULL, 1), n = 0;
    int prev_line = 0, prev_col = 0;
#define PUT(ch)              \
    do {                     \
        if (body)            \
            body[n] = (ch);  \
        n++;                 \
    } while (0)
    for (const cJSON *e = rle->child; e; e = e->next) {
        json_check_advance(t, &tp, off + 1);
        if (e == rle->child) {
            *line0 = tp.line;
            *col0 = tp.col;
        } else if (tp.line > prev_line) {
            for (int k = prev_line; k < tp.line; k++)
                PUT('\n');
            for (int k = 1; k < tp.col; k++)
                PUT(' ');
        } else {
            for (int k = prev_col; k < tp.col; k++)
                PUT(' ');
        }
        size_t len = strlen(e->valuestring);
        if (find && (*find < n + len || !e->next)) {
            size_t i = *find < n ? 0 : *find - n;
            *find = json_check_string_offset(t, off, i < len ? i : len);
            return n;
        }
        if (body)
            memcpy(body + n, e->valuestring, len);
        n += len;
        prev_line = tp.line;
        prev_col = tp.col + (int)len;
        off = json_check_next(t, off);
    }
#undef PUT
    return n;
}

/* Where an "rle" body's bytes are in the file, for rle_parse_body_at. */
struct rle_origin {
    struct jctx *c;
    const cJSON *rle;
    size_t off; /* the string's offset, when "rle" is one string */
};

static void rle_where(void *ctx, size_t offset, int *line, int *col)
{
    struct rle_origin *o = ctx;
    int l0, c0;
    if (cJSON_IsString(o->rle))
        offset = json_check_string_offset(&o->c->t, o->off, offset);
    else
        join_rle(o->c, o->rle, NULL, &l0, &c0, &offset);
    json_check_where(&o->c->t, offset, line, col);
}

/* "rle": an RLE body, as one string or an array of strings (lines). */
static int load_rle(struct jctx *c, const cJSON *rle, struct pattern **out)
{
    char got[80];
    int line = 1, col = 1;
    struct rle_origin where = {c, rle, 0};
    if (cJSON_IsString(rle)) {
        where.off = json_check_locate(&c->t, "rle", NULL, 1);
        json_check_where(&c->t, where.off + 1, &line, &col);
        return rle_parse_body_at(rle->valuestring, strlen(rle->valuestring),
                                 c->t.source, line, col, rle_where, &where,
                                 out, c->err);
    }
    if (!cJSON_IsArray(rle))
        return jerr(c, "rle",
                    "must be an RLE body such as \"bo$2bo$3o!\" (a string, or "
                    "an array of strings), got %s",
                    describe(rle, got, sizeof got));
    long i = 0;
    char path[48];
    for (const cJSON *e = rle->child; e; e = e->next, i++) {
        snprintf(path, sizeof path, "rle[%ld]", i);
        int rc = want_string(c, e, path);
        if (rc)
            return rc;
    }
    if (i == 0)
        return jerr(c, "rle", "is an empty array; expected RLE lines");
    size_t need = join_rle(c, rle, NULL, &line, &col, NULL);
    char *body = sys_malloc(need + 1);
    if (!body)
        return glider_errorf(c->err, GLIDER_ENOMEM, "%s: out of memory",
                             c->t.source);
    join_rle(c, rle, body, &line, &col, NULL);
    body[need] = '\0';
    int rc = rle_parse_body_at(body, need, c->t.source, line, col, rle_where,
                               &where, out, c->err);
    free(body);
    return rc;
}

/* ---- Loading ------------------------------------------------------------- */

static const char *const top_keys[] = {
    "name", "author", "description", "comments", "rule", "universe",
    "origin", "rows", "cells", "rle", "expect", NULL};
static const char *const universe_keys[] = {"width", "height", "topology",
                                            NULL};
static const char *const origin_keys[] = {"x", "y", NULL};
static const char *const expect_keys[] = {
    "still", "period", "displacement", "after", "dies_at", "population", "at",
    "emits", "growth", "contains", NULL};

static int load_universe(struct jctx *c, const cJSON *u, struct rule_bounds *b)
{
    int rc = check_object(c, u, "universe", universe_keys,
                          "{\"width\": W, \"height\": H, \"topology\": "
                          "\"torus\" or \"plane\"}");
    if (rc)
        return rc;
    long long w = 0, h = 0;
    const cJSON *wv = cJSON_GetObjectItemCaseSensitive(u, "width");
    const cJSON *hv = cJSON_GetObjectItemCaseSensitive(u, "height");
    const cJSON *tv = cJSON_GetObjectItemCaseSensitive(u, "topology");
    if (!wv || !hv)
        return jerr(c, "universe", "needs \"width\" and \"height\", e.g. %s",
                    universe_text);
    if ((rc = want_int(c, wv, "universe.width", 1, GRID_MAX_DIM, &w)) ||
        (rc = want_int(c, hv, "universe.height", 1, GRID_MAX_DIM, &h)))
        return rc;
    b->present = 1;
    b->width = (int)w;
    b->height = (int)h;
    b->topo = TOPO_TORUS;
    if (tv) {
        char got[80];
        if (!cJSON_IsString(tv) ||
            topology_parse(tv->valuestring, &b->topo, NULL) != 0)
            return jerr(c, "universe.topology",
                        "must be \"torus\" or \"plane\", got %s",
                        describe(tv, got, sizeof got));
    }
    return 0;
}

static int load_origin(struct jctx *c, const cJSON *o, long *x, long *y)
{
    int rc = check_object(c, o, "origin", origin_keys, "{\"x\": X, \"y\": Y}");
    if (rc)
        return rc;
    const cJSON *xv = cJSON_GetObjectItemCaseSensitive(o, "x");
    const cJSON *yv = cJSON_GetObjectItemCaseSensitive(o, "y");
    if (!xv || !yv)
        return jerr(c, "origin", "needs both \"x\" and \"y\"");
    long long vx = 0, vy = 0;
    if ((rc = want_int(c, xv, "origin.x", 0, GRID_MAX_DIM - 1, &vx)) ||
        (rc = want_int(c, yv, "origin.y", 0, GRID_MAX_DIM - 1, &vy)))
        return rc;
    *x = (long)vx;
    *y = (long)vy;
    return 0;
}

/* The shape of an apgcode ("xq4_27de6z4eb7776"); the library's tests
 * decode it. */
static int is_apgcode(const cJSON *v)
{
    if (!cJSON_IsString(v))
        return 0;
    const char *s = v->valuestring;
    if (s[0] != 'x' || !s[1] || !strchr("spq", s[1]))
        return 0;
    size_t i = 2, digits = 0;
    while (s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (!digits || digits > 9 || s[i++] != '_' || !s[i])
        return 0;
    for (; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z')))
            return 0;
    return i <= 4096;
}

/* "expect" is read by the library's tests; the loader checks its shape so a
 * typing slip in a pattern file is caught where it is written. */
static int check_expect(struct jctx *c, const cJSON *e)
{
    int rc = check_object(c, e, "expect", expect_keys,
                          "such as {\"period\": 15}");
    if (rc)
        return rc;
    char got[80], path[48];
    long long v = 0;
    for (const cJSON *m = e->child; m; m = m->next) {
        snprintf(path, sizeof path, "expect.%s", m->string);
        if (strcmp(m->string, "still") == 0) {
            if (!cJSON_IsBool(m))
                return jerr(c, path, "must be true or false, got %s",
                            describe(m, got, sizeof got));
        } else if (strcmp(m->string, "emits") == 0) {
            static const char *const ships[] = {"glider", "lwss", "mwss",
                                                "hwss"};
            int ok = 0;
            for (int i = 0; i < 4 && cJSON_IsString(m); i++)
                ok |= strcmp(m->valuestring, ships[i]) == 0;
            if (!ok)
                return jerr(c, path,
                            "must be \"glider\", \"lwss\", \"mwss\" or "
                            "\"hwss\", got %s",
                            describe(m, got, sizeof got));
        } else if (strcmp(m->string, "contains") == 0) {
            if (!is_apgcode(m))
                return jerr(c, path,
                            "must be an apgcode such as \"xq4_153\" "
                            "(x, s/p/q, a number, '_', then 0-9 a-z), got %s",
                            describe(m, got, sizeof got));
        } else if (strcmp(m->string, "displacement") == 0) {
            if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) != 2)
                return jerr(c, path, "must be a pair [dx, dy], got %s",
                            describe(m, got, sizeof got));
            for (int k = 0; k < 2; k++) {
                snprintf(path, sizeof path, "expect.displacement[%d]", k);
                if ((rc = want_int(c, cJSON_GetArrayItem(m, k), path,
                                   -GRID_MAX_DIM, GRID_MAX_DIM, &v)))
                    return rc;
            }
        } else {
            long long lo = strcmp(m->string, "period") == 0 ||
                                   strcmp(m->string, "dies_at") == 0
                               ? 1
                               : strcmp(m->string, "growth") == 0 ? -1000000000
                                                                  : 0;
            if ((rc = want_int(c, m, path, lo, 1000000000, &v)))
                return rc;
        }
    }
    int has_pop = cJSON_HasObjectItem(e, "population");
    if (has_pop != cJSON_HasObjectItem(e, "at"))
        return jerr(c, "expect",
                    "\"population\" and \"at\" go together: {\"population\": "
                    "P, \"at\": GENERATION}");
    static const char *const need_period[] = {"displacement", "growth",
                                              "emits"};
    for (int i = 0; i < 3; i++)
        if (cJSON_HasObjectItem(e, need_period[i]) &&
            !cJSON_HasObjectItem(e, "period"))
            return jerr(c, "expect", "\"%s\" needs a \"period\"",
                        need_period[i]);
    return 0;
}

/* Fails naming the first live cell of 'p' that the placement puts outside
 * the universe ('what' names the key the cells came from).  Without origin
 * and universe the pattern is centred wherever it goes, and may be larger
 * than any universe ("rle" reads boxes up to PATTERN_MAX_DIM a side). */
static int check_inside(struct jctx *c, const struct pattern *p,
                        const struct placement *pl, const char *what)
{
    int x0, y0, x1, y1;
    if (!pattern_bbox(p, &x0, &y0, &x1, &y1) ||
        (!pl->bounds.present && !pl->has_origin))
        return 0;
    if (pl->bounds.present && !pl->has_origin) {
        if (p->width > pl->bounds.width || p->height > pl->bounds.height)
            return jerr(c, what,
                        "the pattern is %dx%d, larger than the %dx%d universe",
                        p->width, p->height, pl->bounds.width,
                        pl->bounds.height);
        return 0;
    }
    long w = pl->bounds.present ? pl->bounds.width : GRID_MAX_DIM;
    long h = pl->bounds.present ? pl->bounds.height : GRID_MAX_DIM;
    if ((long)p->origin_x + x1 <= w && (long)p->origin_y + y1 <= h)
        return 0;
    /* The first live cell outside, row by row (origins are never negative,
     * so only the right and bottom edges can be crossed). */
    struct pattern_iter it;
    struct pattern_run r;
    pattern_iter_init(&it, p);
    while (pattern_iter_next(&it, &r)) {
        long x = r.x0;
        if ((long)p->origin_y + r.y < h) {
            if ((long)p->origin_x + r.x1 <= w)
                continue;
            if ((long)p->origin_x + x < w)
                x = w - p->origin_x;
        }
        return jerr(c, what,
                    "live cell (%ld, %d) of the pattern lands on (%ld, %ld), "
                    "outside the %ldx%ld %s",
                    x, r.y, (long)p->origin_x + x, (long)p->origin_y + r.y, w,
                    h,
                    pl->bounds.present ? "universe"
                                       : "largest possible universe");
    }
    return 0;
}

static int load_document(struct jctx *c, const cJSON *root,
                         struct pattern **out)
{
    char got[80];
    int rc;
    if (!cJSON_IsObject(root))
        return jerr(c, "",
                    "expected a JSON object {\"rows\": [...], ...} at the top "
                    "level, got %s",
                    describe(root, got, sizeof got));
    if ((rc = check_object(c, root, "", top_keys, "")))
        return rc;
    static const char *const texts[] = {"name", "author", "description"};
    for (int i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, texts[i]);
        if (v && (rc = want_string(c, v, texts[i])))
            return rc;
    }
    const cJSON *comments = cJSON_GetObjectItemCaseSensitive(root, "comments");
    if (comments) {
        if (!cJSON_IsArray(comments))
            return jerr(c, "comments", "must be an array of strings, got %s",
                        describe(comments, got, sizeof got));
        long i = 0;
        for (const cJSON *e = comments->child; e; e = e->next, i++) {
            char path[48];
            snprintf(path, sizeof path, "comments[%ld]", i);
            if ((rc = want_string(c, e, path)))
                return rc;
        }
    }

    /* The rule and where the pattern goes, before the cells, so that a cell
     * outside the universe is reported where it is written. */
    struct rule rule = RULE_LIFE;
    struct placement pl = {{0, TOPO_TORUS, 0, 0}, 0, 0, 0};
    const cJSON *rv = cJSON_GetObjectItemCaseSensitive(root, "rule");
    if (rv) {
        struct glider_error rerr = {0};
        if ((rc = want_string(c, rv, "rule")))
            return rc;
        if (rule_parse_full(rv->valuestring, &rule, &pl.bounds, &rerr))
            return jerr(c, "rule", "%s", rerr.msg);
    }
    const cJSON *uv = cJSON_GetObjectItemCaseSensitive(root, "universe");
    if (uv) {
        struct rule_bounds b = {0, TOPO_TORUS, 0, 0};
        if ((rc = load_universe(c, uv, &b)))
            return rc;
        if (pl.bounds.present &&
            (b.width != pl.bounds.width || b.height != pl.bounds.height ||
             b.topo != pl.bounds.topo))
            return jerr(c, "universe",
                        "%dx%d %s disagrees with the rule's suffix (%dx%d %s); "
                        "give the universe in one place",
                        b.width, b.height, topology_name(b.topo),
                        pl.bounds.width, pl.bounds.height,
                        topology_name(pl.bounds.topo));
        pl.bounds = b;
    }
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(root, "origin");
    if (ov) {
        if ((rc = load_origin(c, ov, &pl.ox, &pl.oy)))
            return rc;
        pl.has_origin = 1;
        if (pl.bounds.present &&
            (pl.ox >= pl.bounds.width || pl.oy >= pl.bounds.height))
            return jerr(c, "origin",
                        "(%ld, %ld) is outside the %dx%d universe", pl.ox,
                        pl.oy, pl.bounds.width, pl.bounds.height);
    }
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(root, "expect");
    if (ev && (rc = check_expect(c, ev)))
        return rc;

    /* Exactly one cell source. */
    static const char *const sources[] = {"rows", "cells", "rle"};
    const char *which = NULL;
    for (const cJSON *m = root->child; m; m = m->next)
        for (int i = 0; i < 3; i++)
            if (strcmp(m->string, sources[i]) == 0) {
                if (which)
                    return jerr(c, m->string,
                                "\"%s\" was given already; give exactly one "
                                "of \"rows\", \"cells\" or \"rle\"",
                                which);
                which = sources[i];
            }
    if (!which)
        return jerr(c, "",
                    "no cells: give exactly one of \"rows\" (a picture), "
                    "\"cells\" ([x, y] pairs) or \"rle\" (an RLE body)");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(root, which);
    struct pattern *p = NULL;
    long dx = 0, dy = 0;
    if (which == sources[0])
        rc = load_rows(c, src, &pl, &p);
    else if (which == sources[1])
        rc = load_cells(c, src, &pl, &p, &dx, &dy);
    else
        rc = load_rle(c, src, &p);
    if (rc)
        return rc;

    p->rule = rule;
    p->has_rule = rv != NULL;
    p->bounds = pl.bounds;
    p->has_origin = pl.has_origin;
    p->origin_x = (int)(pl.ox + dx);
    p->origin_y = (int)(pl.oy + dy);
    if ((rc = check_inside(c, p, &pl, which)))
        goto fail;
    for (int i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, texts[i]);
        char **field = i == 0 ? &p->name : i == 1 ? &p->author : &p->description;
        if (v && (rc = named(c, pattern_set_text(field, v->valuestring,
                                                  c->err))))
            goto fail;
    }
    for (const cJSON *e = comments ? comments->child : NULL; e; e = e->next)
        if ((rc = named(c, pattern_add_comment(p, e->valuestring, c->err))))
            goto fail;
    *out = p;
    return 0;
fail:
    pattern_destroy(p);
    return rc;
}

/* cJSON allocates through sys_malloc, so tests can make it fail.  The hooks
 * are global to cJSON: set them once, before any thread parses. */
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void set_hooks(void)
{
    cJSON_Hooks hooks = {sys_malloc, free};
    cJSON_InitHooks(&hooks);
}

int pattern_json_parse(const char *data, size_t len, const char *source,
                       struct pattern **out, struct glider_error *err)
{
    if (!out)
        return glider_errorf(err, GLIDER_EINVAL, "pattern_json_parse: no out");
    *out = NULL;
    if (!source)
        source = "<json>";
    if (!data)
        return glider_errorf(err, GLIDER_EINVAL, "%s: no data", source);
    struct jctx c = {{data, len, 0, source}, err};
    if (len == 0)
        return glider_errorf(err, GLIDER_EPARSE,
                             "%s:1:1: empty file, expected a JSON object",
                             source);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c.t.start = 3;
    int rc = json_check_syntax(&c.t, err);
    if (rc)
        return rc;
    pthread_once(&hooks_once, set_hooks);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data + c.t.start, len - c.t.start,
                                            &end, 0);
    if (!root) {
        /* The pre-pass accepted the text, so cJSON ran out of memory. */
        int line = 1, col = 1;
        if (end && end >= data && end <= data + len)
            json_check_where(&c.t, (size_t)(end - data), &line, &col);
        return glider_errorf(err, GLIDER_ENOMEM,
                             "%s:%d:%d: out of memory while parsing the JSON",
                             source, line, col);
    }
    rc = load_document(&c, root, out);
    cJSON_Delete(root);
    return rc;
}
