/* fuzz.h - checks shared by the libFuzzer targets in tests/fuzz/.
 *
 * Each target is one file defining LLVMFuzzerTestOneInput.  It is linked two
 * ways: with libFuzzer (clang -fsanitize=fuzzer, built by tests/fuzz/run.sh)
 * to search for crashes, and with replay.c (any compiler, a normal Meson test)
 * to feed every seed and every regression input through the same checks.
 *
 * Besides "does not crash" the targets check the contracts of error.h and
 * pattern.h: a failure returns a negative GLIDER_E* code and a one-line
 * message; a success returns a well-formed pattern (bits past the width are
 * zero, sizes in range) that survives being written and read back.  A broken
 * contract calls abort(), which libFuzzer reports like any crash. */
#ifndef GLIDER_FUZZ_H
#define GLIDER_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/error.h"
#include "../../engine/grid.h"
#include "../../engine/pattern.h"
#include "../../engine/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                    \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__,     \
                    __LINE__, #cond);                                       \
            abort();                                                        \
        }                                                                   \
    } while (0)

/* Patterns larger than this (cells in the bounding box) are not written back
 * and re-read: the round trip costs time proportional to the area. */
#define FUZZ_ROUNDTRIP_MAX_CELLS (1u << 20)
/* The default universe is only built (and the pattern placed in it) when it
 * has at most this many cells. */
#define FUZZ_PLACE_MAX_CELLS (1u << 24)

/* A copy of 'data' with a NUL after it (the loaders do not need one, but
 * the rule and command-line parsers take C strings). */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Messages that quote the input may carry its control characters (a
 * newline in "--rule $'B3/S\n'" ends up in the message: see
 * doc/hardening.md, "Known issues").  Until error.c escapes them, the
 * one-line check runs only with FUZZ_STRICT_MESSAGES=1 in the environment. */
static inline int fuzz_strict_messages(void)
{
    static int strict = -1;
    if (strict < 0) {
        const char *e = getenv("FUZZ_STRICT_MESSAGES");
        strict = e && *e && *e != '0';
    }
    return strict;
}

/* A failed call: negative code, one non-empty line of message. */
static inline void fuzz_check_error(int rc, const struct glider_error *err)
{
    FUZZ_CHECK(rc < 0);
    FUZZ_CHECK(err->msg[0] != '\0');
    FUZZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL);
    if (fuzz_strict_messages())
        FUZZ_CHECK(strchr(err->msg, '\n') == NULL);
}

/* The grid invariants of grid.h: sizes in range, and every bit at x >= width
 * (the rest of the last word and the padding words of the stride) zero. */
static inline void fuzz_check_grid(const struct grid *g)
{
    FUZZ_CHECK(g->width >= 1 && g->width <= GRID_MAX_DIM);
    FUZZ_CHECK(g->height >= 1 && g->height <= GRID_MAX_DIM);
    FUZZ_CHECK(g->stride % 8 == 0);
    FUZZ_CHECK(g->stride * 64 >= (size_t)g->width);
    size_t full = (size_t)g->width / 64;
    unsigned tail = (unsigned)g->width % 64;
    for (int y = 0; y < g->height; y++) {
        const uint64_t *row = grid_row(g, y);
        if (tail)
            FUZZ_CHECK((row[full] >> tail) == 0);
        for (size_t i = full + (tail ? 1 : 0); i < g->stride; i++)
            FUZZ_CHECK(row[i] == 0);
    }
}

static inline void fuzz_check_rule(const struct rule *r)
{
    FUZZ_CHECK((r->birth & ~0x1ffu) == 0);
    FUZZ_CHECK((r->survive & ~0x1ffu) == 0);
}

/* Every field of a pattern a loader returned is within its documented range. */
static inline void fuzz_check_pattern(const struct pattern *p)
{
    FUZZ_CHECK(p != NULL);
    FUZZ_CHECK(p->width >= 0 && p->height >= 0);
    FUZZ_CHECK(p->width <= PATTERN_MAX_DIM && p->height <= PATTERN_MAX_DIM);
    FUZZ_CHECK(!(p->cells && p->runs));
    FUZZ_CHECK(!p->runs_unsorted);
    if (p->cells) {
        fuzz_check_grid(p->cells);
        FUZZ_CHECK(p->cells->width == p->width);
        FUZZ_CHECK(p->cells->height == p->height);
        FUZZ_CHECK(p->cells->topo == TOPO_PLANE);
    } else if (p->runs) {
        /* Sparse: sorted, inside the box, disjoint and never touching. */
        FUZZ_CHECK(p->nruns >= 1 && p->nruns <= p->cap_runs &&
                   p->nruns <= PATTERN_MAX_RUNS);
        for (size_t i = 0; i < p->nruns; i++) {
            const struct pattern_run *r = &p->runs[i];
            FUZZ_CHECK(r->y >= 0 && r->y < p->height);
            FUZZ_CHECK(r->x0 >= 0 && r->x0 < r->x1 && r->x1 <= p->width);
            if (i)
                FUZZ_CHECK(r[-1].y < r->y ||
                           (r[-1].y == r->y && r[-1].x1 < r->x0));
        }
    } else {
        FUZZ_CHECK(p->nruns == 0);
        FUZZ_CHECK(p->width == 0 && p->height == 0);
    }
    FUZZ_CHECK(p->ncomments >= 0);
    for (int i = 0; i < p->ncomments; i++)
        FUZZ_CHECK(p->comments[i] != NULL);
    fuzz_check_rule(&p->rule);
    if (p->bounds.present) {
        FUZZ_CHECK(p->bounds.width >= 1 && p->bounds.width <= GRID_MAX_DIM);
        FUZZ_CHECK(p->bounds.height >= 1 && p->bounds.height <= GRID_MAX_DIM);
        FUZZ_CHECK(p->bounds.topo == TOPO_TORUS || p->bounds.topo == TOPO_PLANE);
    }
}

/* The live cells of 'a' and 'b' are the same shape (compared relative to
 * their bounding boxes, so a writer may trim dead margins). */
static inline int fuzz_same_cells(const struct pattern *a, const struct pattern *b)
{
    int ax0 = 0, ay0 = 0, ax1 = 0, ay1 = 0, bx0 = 0, by0 = 0, bx1 = 0, by1 = 0;
    int anyA = pattern_bbox(a, &ax0, &ay0, &ax1, &ay1);
    int anyB = pattern_bbox(b, &bx0, &by0, &bx1, &by1);
    if (anyA != anyB)
        return 0;
    if (!anyA)
        return 1;
    if (ax1 - ax0 != bx1 - bx0 || ay1 - ay0 != by1 - by0)
        return 0;
    /* Run by run, relative to the boxes (either form, dense or sparse). */
    struct pattern_iter ia, ib;
    struct pattern_run ra, rb;
    pattern_iter_init(&ia, a);
    pattern_iter_init(&ib, b);
    for (;;) {
        int more = pattern_iter_next(&ia, &ra);
        if (more != pattern_iter_next(&ib, &rb))
            return 0;
        if (!more)
            return 1;
        if (ra.y - ay0 != rb.y - by0 || ra.x0 - ax0 != rb.x0 - bx0 ||
            ra.x1 - ax0 != rb.x1 - bx0)
            return 0;
    }
}

typedef int (*fuzz_writer)(const struct pattern *p, FILE *f,
                           struct glider_error *err);
typedef int (*fuzz_reader)(const char *data, size_t len, const char *source,
                           struct pattern **out, struct glider_error *err);

enum {
    FUZZ_SAME_RULE = 1,   /* the format stores the rule */
    FUZZ_SAME_BOUNDS = 2, /* the format stores the universe */
};

/* Writes 'p' with 'write' into memory, reads it back with 'read' and checks
 * the cells (and, per 'what', the rule and universe) survived.  A writer may
 * refuse a pattern, but only with a proper error. */
static inline void fuzz_roundtrip(const struct pattern *p, fuzz_writer write,
                                  fuzz_reader read, unsigned what)
{
    if ((uint64_t)p->width * (uint64_t)p->height > FUZZ_ROUNDTRIP_MAX_CELLS)
        return;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    FUZZ_CHECK(f != NULL);
    struct glider_error err = {0};
    int rc = write(p, f, &err);
    FUZZ_CHECK(fclose(f) == 0);
    if (rc) {
        fuzz_check_error(rc, &err);
        free(buf);
        return;
    }
    struct pattern *q = NULL;
    rc = read(buf, len, "roundtrip", &q, &err);
    if (rc) {
        fprintf(stderr, "written pattern does not load back: %s\n--- written:\n"
                        "%.*s\n---\n", err.msg, (int)(len > 4000 ? 4000 : len), buf);
        FUZZ_CHECK(rc == 0);
    }
    fuzz_check_pattern(q);
    if (!fuzz_same_cells(p, q)) {
        fprintf(stderr, "cells changed in a write/read round trip; written:\n"
                        "%.*s\n", (int)(len > 4000 ? 4000 : len), buf);
        FUZZ_CHECK(!"round trip kept the cells");
    }
    if (what & FUZZ_SAME_RULE)
        FUZZ_CHECK(rule_equal(&p->rule, &q->rule));
    if ((what & FUZZ_SAME_BOUNDS) && p->bounds.present) {
        FUZZ_CHECK(q->bounds.present);
        FUZZ_CHECK(q->bounds.topo == p->bounds.topo);
        FUZZ_CHECK(q->bounds.width == p->bounds.width);
        FUZZ_CHECK(q->bounds.height == p->bounds.height);
    }
    pattern_destroy(q);
    free(buf);
}

/* Places 'p' in the universe it asks for (when that is small enough): either
 * every live cell arrives, or an error leaves the universe untouched. */
static inline void fuzz_place(const struct pattern *p)
{
    int w, h;
    enum topology topo;
    pattern_default_universe(p, &w, &h, &topo);
    FUZZ_CHECK(w >= 1 && w <= GRID_MAX_DIM && h >= 1 && h <= GRID_MAX_DIM);
    struct glider_error uerr = {0};
    int urc = pattern_universe(p, &w, &h, &topo, &uerr);
    if (urc) {
        /* Only a box larger than any universe is refused. */
        fuzz_check_error(urc, &uerr);
        FUZZ_CHECK(p->width > GRID_MAX_DIM || p->height > GRID_MAX_DIM);
    }
    if ((uint64_t)w * (uint64_t)h > FUZZ_PLACE_MAX_CELLS)
        return;
    struct grid *g = NULL;
    struct glider_error err = {0};
    int rc = grid_create(&g, w, h, topo, &err);
    FUZZ_CHECK(rc == 0);
    rc = pattern_place(p, g, &err);
    uint64_t want = pattern_population(p);
    if (rc == 0) {
        FUZZ_CHECK(grid_population(g) == want);
    } else {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(grid_population(g) == 0);
    }
    fuzz_check_grid(g);
    grid_destroy(g);
}

/* The common start of the loader targets: parse and check the result.
 * Returns the pattern (the caller destroys it) or NULL after a proper error. */
static inline struct pattern *fuzz_load(const uint8_t *data, size_t size,
                                        fuzz_reader read)
{
    struct pattern *p = NULL;
    struct glider_error err = {0};
    int rc = read((const char *)data, size, "fuzz", &p, &err);
    if (rc) {
        fuzz_check_error(rc, &err);
        FUZZ_CHECK(p == NULL);
        return NULL;
    }
    fuzz_check_pattern(p);
    fuzz_place(p);
    return p;
}

#endif
