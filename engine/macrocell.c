/* macrocell.c - Golly's macrocell format, read only (see macrocell.h).
 *
 * One pass over the lines builds the node table; each node's population,
 * run count and bounding box follow from its children's, which come before
 * it.  The last node's box sizes the pattern (refused past Glider's limits
 * before any cell is allocated); then a walk from it down the non-empty
 * nodes adds each leaf row's runs. */
#include "macrocell.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"
#include "text_reader.h"

#define MC_MAX_LEVEL 62 /* 2^62 cells a side still fits an int64_t */
/* Most runs of live cells (one per leaf row) a pattern may have.  A few
 * lines of macrocell can describe a universe-sized checkerboard, 2^31 runs
 * to add one by one; an RLE file within the 256 MiB limit holds at most
 * about 2^26 runs, so the same bound keeps both formats alike. */
#define MC_MAX_RUNS ((uint64_t)1 << 26)

struct mc_node {
    int level;          /* the node is 2^level cells a side */
    int leaf;           /* 'bits' holds its cells (level 3, or 1) */
    uint32_t child[4];  /* nw, ne, sw, se (0 = empty); leaves: none */
    uint64_t bits;      /* leaves: cell (x, y) is bit y * side + x */
    uint64_t pop;       /* live cells (saturating) */
    uint64_t runs;      /* runs the walk adds: one per leaf row run */
    int64_t x0, y0, x1, y1; /* live cells' box inside the node, if pop */
};

struct mc_reader {
    const char *s;
    size_t n, i;
    int line;
    const char *source;
    int col0;              /* blanks before the current line's text */
    struct glider_error *err;
    struct pattern *p;
    struct mc_node *nodes; /* nodes[0] is the empty node */
    size_t count, cap;
};

static int fail_at(struct mc_reader *r, int code, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(struct mc_reader *r, int code, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = text_vfail_at(r->err, code, r->source, r->line, col + r->col0, fmt,
                           ap);
    va_end(ap);
    return rc;
}

/* The next line (without its ending) into t[0..k); 0 at the end. */
static int next_line(struct mc_reader *r, const char **t, size_t *k)
{
    return text_next_line(r->s, r->n, &r->i, &r->line, t, k);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* Runs in one row of a leaf's bits (side cells wide). */
static uint64_t row_runs(uint64_t row, int side)
{
    uint64_t n = 0;
    for (int x = 0; x < side; x++)
        if ((row >> x & 1) && (x == 0 || !(row >> (x - 1) & 1)))
            n++;
    return n;
}

/* Fills a leaf's population, runs and box from its bits. */
static void leaf_stats(struct mc_node *d)
{
    int side = 1 << d->level;
    uint64_t mask = side == 8 ? 0xff : 0x3;
    d->pop = (uint64_t)__builtin_popcountll(d->bits);
    d->runs = 0;
    d->x0 = d->y0 = side;
    d->x1 = d->y1 = 0;
    for (int y = 0; y < side; y++) {
        uint64_t row = d->bits >> (y * side) & mask;
        if (!row)
            continue;
        d->runs += row_runs(row, side);
        int lo = __builtin_ctzll(row), hi = 63 - __builtin_clzll(row);
        d->x0 = lo < d->x0 ? lo : d->x0;
        d->x1 = hi + 1 > d->x1 ? hi + 1 : d->x1;
        d->y0 = y < d->y0 ? y : d->y0;
        d->y1 = y + 1;
    }
}

static int add_node(struct mc_reader *r, struct mc_node **out)
{
    if (r->count >= UINT32_MAX)
        return fail_at(r, GLIDER_ELIMIT, 1, "more than %u nodes", UINT32_MAX);
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        struct mc_node *nn = sys_realloc(r->nodes, cap * sizeof *nn);
        if (!nn)
            return glider_errorf(r->err, GLIDER_ENOMEM,
                                 "%s: out of memory for %zu nodes", r->source,
                                 cap);
        r->nodes = nn;
        r->cap = cap;
    }
    *out = &r->nodes[r->count++];
    memset(*out, 0, sizeof **out);
    return 0;
}

/* A leaf line: '.' dead, '*' alive, '$' end of row, in an 8x8 square. */
static int read_leaf(struct mc_reader *r, const char *t, size_t k)
{
    struct mc_node *d;
    int rc = add_node(r, &d);
    if (rc)
        return rc;
    d->level = 3;
    d->leaf = 1;
    int x = 0, y = 0;
    for (size_t j = 0; j < k; j++) {
        char c = t[j];
        if (c == '$') {
            x = 0;
            y++;
            continue;
        }
        if (c != '.' && c != '*') {
            if (text_is_blank(c) && text_rtrim_len(t, k) <= j)
                break; /* trailing blanks */
            char b[16];
            return fail_at(r, GLIDER_EPARSE, (int)j + 1,
                           "unexpected %s in a leaf: expected '.', '*' or '$'",
                           text_show_byte((unsigned char)c, b));
        }
        if (x >= 8 || y >= 8)
            return fail_at(r, GLIDER_EPARSE, (int)j + 1,
                           "a leaf is 8x8 cells: this one reaches column %d of "
                           "row %d",
                           x + 1, y + 1);
        if (c == '*')
            d->bits |= 1ull << (y * 8 + x);
        x++;
    }
    leaf_stats(d);
    return 0;
}

/* "k a b c d": a node of level k from four of level k - 1, or a multi-state
 * leaf "1 a b c d" of four cell states (odd ones, as LifeHistory's, are not
 * Life: only 0 and 1 are read). */
static int read_branch(struct mc_reader *r, const char *t, size_t k)
{
    int64_t v[5];
    int cols[5];
    size_t j = 0;
    for (int f = 0; f < 5; f++) {
        while (j < k && text_is_blank(t[j]))
            j++;
        size_t at = j;
        cols[f] = (int)at + 1;
        int rc = text_parse_int(t, k, &j, f == 0 ? MC_MAX_LEVEL : UINT32_MAX, &v[f]);
        if (f == 0 && (rc == -2 || (rc == 0 && v[f] < 1)))
            return fail_at(r, GLIDER_ELIMIT, (int)at + 1,
                           "a node's level must be 1..%d", MC_MAX_LEVEL);
        if (rc == -2)
            return fail_at(r, GLIDER_EPARSE, (int)at + 1,
                           "node number over %u", UINT32_MAX);
        if (rc || v[f] < 0)
            return fail_at(r, GLIDER_EPARSE, (int)at + 1,
                           "expected %s", f == 0 ? "a leaf ('.', '*', '$') or a "
                                                   "node 'level nw ne sw se'"
                                                 : "a node number");
        if (j < k && !text_is_blank(t[j]))
            return fail_at(r, GLIDER_EPARSE, (int)j + 1,
                           "expected a blank after the number");
    }
    while (j < k && text_is_blank(t[j]))
        j++;
    if (j < k)
        return fail_at(r, GLIDER_EPARSE, (int)j + 1,
                       "expected the end of the line after a node's four "
                       "children");
    int level = (int)v[0];
    struct mc_node *d;
    int rc = add_node(r, &d);
    if (rc)
        return rc;
    d->level = level;
    if (level == 1) {
        d->leaf = 1;
        for (int q = 0; q < 4; q++) {
            if (v[q + 1] > 1)
                return fail_at(r, GLIDER_EUNSUPPORTED, cols[q + 1],
                               "cell state %lld: Glider's rules have two "
                               "states (0 and 1)",
                               (long long)v[q + 1]);
            if (v[q + 1])
                d->bits |= 1ull << ((q >> 1) * 2 + (q & 1));
        }
        leaf_stats(d);
        return 0;
    }
    int64_t half = (int64_t)1 << (level - 1);
    d->pop = d->runs = 0;
    for (int q = 0; q < 4; q++) {
        uint64_t c = (uint64_t)v[q + 1];
        if (c >= r->count - 1) /* the node itself is the last one */
            return fail_at(r, GLIDER_EPARSE, cols[q + 1],
                           "node %zu refers to node %llu, which is not "
                           "defined before it",
                           r->count - 1, (unsigned long long)c);
        const struct mc_node *ch = &r->nodes[c];
        if (c && ch->level != level - 1)
            return fail_at(r, GLIDER_EPARSE, cols[q + 1],
                           "node %zu (level %d) has node %llu (level %d) as "
                           "a child: expected level %d",
                           r->count - 1, level, (unsigned long long)c,
                           ch->level, level - 1);
        d->child[q] = (uint32_t)c;
        if (!c || !ch->pop)
            continue;
        int64_t ox = (q & 1) * half, oy = (q >> 1) * half;
        if (!d->pop) {
            d->x0 = ox + ch->x0;
            d->y0 = oy + ch->y0;
            d->x1 = ox + ch->x1;
            d->y1 = oy + ch->y1;
        } else {
            d->x0 = ox + ch->x0 < d->x0 ? ox + ch->x0 : d->x0;
            d->y0 = oy + ch->y0 < d->y0 ? oy + ch->y0 : d->y0;
            d->x1 = ox + ch->x1 > d->x1 ? ox + ch->x1 : d->x1;
            d->y1 = oy + ch->y1 > d->y1 ? oy + ch->y1 : d->y1;
        }
        d->pop = sat_add(d->pop, ch->pop);
        d->runs = sat_add(d->runs, ch->runs);
    }
    return 0;
}

/* A '#' line: the rule, the generation (not kept), or a comment. */
static int read_hash(struct mc_reader *r, const char *t, size_t k)
{
    char tag = k > 1 ? t[1] : '\0';
    size_t j = 2;
    while (j < k && text_is_blank(t[j]))
        j++;
    size_t e = text_rtrim_len(t, k);
    if (tag == 'R') {
        char rule[64];
        if (e <= j)
            return fail_at(r, GLIDER_EPARSE, (int)j + 1,
                           "expected a rule after '#R' (e.g. '#R B3/S23')");
        if (e - j >= sizeof rule)
            return fail_at(r, GLIDER_EPARSE, (int)j + 1,
                           "the rule after '#R' is too long (%zu characters)",
                           e - j);
        memcpy(rule, t + j, e - j);
        rule[e - j] = '\0';
        struct glider_error e2 = {0};
        int rc = rule_parse_full(rule, &r->p->rule, &r->p->bounds, &e2);
        if (rc)
            return fail_at(r, rc, (int)j + 1, "%s", e2.msg);
        r->p->has_rule = 1;
        return 0;
    }
    if (tag == 'G' || tag == 'F')
        return 0; /* #G generation, #FRAMES...: nothing Glider keeps */
    if (tag == 'N' && e > j && !r->p->name)
        return text_append(&r->p->name, t + j, e - j, r->source, r->err);
    if (tag == 'C' || tag == 'D')
        return text_add_comment(r->p, t + j, e > j ? e - j : 0, r->source,
                                r->err);
    return text_add_comment(r->p, t, k, r->source, r->err);
}

/* Adds the runs of node 'i' with its top-left corner at (x, y) of the
 * pattern's box. */
static void add_runs(const struct mc_reader *r, uint32_t i, int64_t x, int64_t y)
{
    const struct mc_node *d = &r->nodes[i];
    if (!d->pop)
        return;
    if (d->leaf) {
        int side = 1 << d->level;
        uint64_t mask = side == 8 ? 0xff : 0x3;
        for (int yy = 0; yy < side; yy++) {
            uint64_t row = d->bits >> (yy * side) & mask;
            for (int xx = 0; xx < side;) {
                if (!(row >> xx & 1)) {
                    xx++;
                    continue;
                }
                int a = xx;
                while (xx < side && (row >> xx & 1))
                    xx++;
                pattern_add_run(r->p, (int)(y + yy), (int)(x + a), (int)(x + xx));
            }
        }
        return;
    }
    int64_t half = (int64_t)1 << (d->level - 1);
    for (int q = 0; q < 4; q++)
        if (d->child[q])
            add_runs(r, d->child[q], x + (q & 1) * half, y + (q >> 1) * half);
}

static int read_all(struct mc_reader *r)
{
    const char *t;
    size_t k;
    size_t bom = text_bom_len(r->s, r->n);
    r->i = bom;
    if (!next_line(r, &t, &k) || k < 4 || memcmp(t, "[M2]", 4) != 0)
        return fail_at(r, GLIDER_EPARSE, 1,
                       "expected the macrocell header '[M2]' on the first line");
    struct mc_node *empty;
    int rc = add_node(r, &empty); /* node 0: the empty node */
    if (rc)
        return rc;
    empty->level = -1;
    while (rc == 0 && next_line(r, &t, &k)) {
        size_t j = 0;
        while (j < k && text_is_blank(t[j]))
            j++;
        if (j == k)
            continue;
        r->col0 = (int)j;
        if (t[j] == '#')
            rc = read_hash(r, t + j, k - j);
        else if (t[j] == '.' || t[j] == '*' || t[j] == '$')
            rc = read_leaf(r, t + j, k - j);
        else
            rc = read_branch(r, t + j, k - j);
    }
    return rc;
}

/* With a bounded grid (#R B3/S23:T40,30): the live cells go where Golly puts
 * them, and must fall inside the grid.  Golly's HashLife counts rows upwards,
 * so the root's top row is y = half - 1 there: its top-left corner is
 * (-half, 1 - half) in Golly's (downward) coordinates, whose origin is the
 * grid's cell (W/2, H/2).  (Checked against bgolly: an RLE at Pos=x,y written
 * as macrocell by bgolly reads back at x,y.) */
static int place_in_bounds(struct mc_reader *r, const struct mc_node *root,
                           int64_t w, int64_t h)
{
    const struct rule_bounds *b = &r->p->bounds;
    int64_t half = (int64_t)1 << (root->level - 1);
    int64_t gx = root->x0 - half, gy = root->y0 + 1 - half;
    int64_t ox = gx + b->width / 2, oy = gy + b->height / 2;
    if (ox < 0 || oy < 0 || ox + w > b->width || oy + h > b->height)
        return glider_errorf(r->err, GLIDER_EPARSE,
                             "%s: live cells at columns %lld..%lld, rows "
                             "%lld..%lld (Golly's coordinates) are outside "
                             "the %dx%d %s its rule declares",
                             r->source, (long long)gx, (long long)(gx + w - 1),
                             (long long)gy, (long long)(gy + h - 1), b->width,
                             b->height,
                             b->topo == TOPO_TORUS ? "torus" : "plane");
    r->p->has_origin = 1;
    r->p->origin_x = (int)ox;
    r->p->origin_y = (int)oy;
    return 0;
}

int macrocell_parse(const char *data, size_t len, const char *source,
                    struct pattern **out, struct glider_error *err)
{
    if (!out || (!data && len))
        return glider_errorf(err, GLIDER_EINVAL, "macrocell_parse: no %s",
                             out ? "data" : "result pointer");
    *out = NULL;
    struct mc_reader r = {data, len, 0, 0, source ? source : "<input>", 0, err,
                          NULL, NULL, 0, 0};
    int rc = pattern_create(&r.p, 0, 0, err);
    if (rc)
        return rc;
    if ((rc = read_all(&r)) == 0 && r.count > 1) {
        const struct mc_node *root = &r.nodes[r.count - 1];
        if (root->pop) {
            int64_t w = root->x1 - root->x0, h = root->y1 - root->y0;
            if (root->pop == UINT64_MAX || w > PATTERN_MAX_DIM ||
                h > PATTERN_MAX_DIM)
                rc = glider_errorf(err, GLIDER_ELIMIT,
                                   "%s: the pattern is %lldx%lld cells, over "
                                   "Glider's limit of %d cells a side",
                                   r.source, (long long)w, (long long)h,
                                   PATTERN_MAX_DIM);
            else if (root->runs > MC_MAX_RUNS)
                rc = glider_errorf(err, GLIDER_ELIMIT,
                                   "%s: %llu runs of live cells: over Glider's "
                                   "limit of %llu for a macrocell pattern",
                                   r.source, (unsigned long long)root->runs,
                                   (unsigned long long)MC_MAX_RUNS);
            else if (r.p->bounds.present)
                rc = place_in_bounds(&r, root, w, h);
            if (rc == 0)
                rc = pattern_alloc_cells(r.p, w, h, root->runs, r.source, err);
            if (rc == 0 && (r.p->cells || r.p->runs)) {
                add_runs(&r, (uint32_t)(r.count - 1), -root->x0, -root->y0);
                pattern_finish_cells(r.p);
            }
        }
    }
    free(r.nodes);
    if (rc) {
        pattern_destroy(r.p);
        return rc;
    }
    *out = r.p;
    return 0;
}
