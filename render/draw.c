/* draw.c - the view transform and the cells, drawn into a canvas.
 *
 * Zoomed in (at least one pixel per cell) every pixel looks up one cell; rows
 * of pixels that show the same row of cells are copied, so the cost is about
 * one lookup per pixel of the first row of each cell row.  Zoomed out (several
 * cells per pixel) each pixel counts the live cells under it, a popcount of
 * a few bits of each row, and is shaded by that density (any live cell at
 * all shows). */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void view_to_cell(const struct view *v, int w, int h, double px, double py,
                  double *x, double *y)
{
    *x = v->cx + (px - w / 2.0) / v->ppc;
    *y = v->cy + (py - h / 2.0) / v->ppc;
}

void view_to_pixel(const struct view *v, int w, int h, double x, double y,
                   double *px, double *py)
{
    *px = w / 2.0 + (x - v->cx) * v->ppc;
    *py = h / 2.0 + (y - v->cy) * v->ppc;
}

void view_zoom_at(struct view *v, int w, int h, double factor, double px,
                  double py)
{
    double x, y;
    view_to_cell(v, w, h, px, py, &x, &y);
    double ppc = v->ppc * factor;
    if (ppc < VIEW_MIN_PPC)
        ppc = VIEW_MIN_PPC;
    if (ppc > VIEW_MAX_PPC)
        ppc = VIEW_MAX_PPC;
    v->ppc = ppc;
    /* Keep (x, y) under the pointer. */
    v->cx = x - (px - w / 2.0) / ppc;
    v->cy = y - (py - h / 2.0) / ppc;
}

void view_zoom_step(struct view *v, int w, int h, int dir, double px, double py)
{
    double target = 1;
    if (dir > 0) {
        while (target <= v->ppc * 1.0001 && target < VIEW_MAX_PPC)
            target *= 2;
        while (target / 2 > v->ppc * 1.0001)
            target /= 2;
    } else {
        while (target >= v->ppc / 1.0001 && target > VIEW_MIN_PPC)
            target /= 2;
        while (target * 2 < v->ppc / 1.0001)
            target *= 2;
    }
    view_zoom_at(v, w, h, target / v->ppc, px, py);
}

void view_fit(struct view *v, int w, int h, int x0, int y0, int x1, int y1)
{
    double bw = x1 - x0 > 0 ? x1 - x0 : 1, bh = y1 - y0 > 0 ? y1 - y0 : 1;
    double fit = fmin(w / bw, h / bh);
    /* Whole pixels per cell when they are bigger than a pixel (every cell
     * the same size), else a power of two cells per pixel. */
    double ppc = fit >= 1 ? fmin(floor(fit), VIEW_MAX_PPC) : 1;
    while (ppc > fit && ppc > VIEW_MIN_PPC)
        ppc /= 2;
    v->ppc = ppc;
    v->cx = (x0 + x1) / 2.0;
    v->cy = (y0 + y1) / 2.0;
}

void view_zoom_text(const struct view *v, char *buf, int size)
{
    if (v->ppc >= 1)
        snprintf(buf, (size_t)size, "%g:1", v->ppc);
    else
        snprintf(buf, (size_t)size, "1:%g", 1.0 / v->ppc);
}

/* Live cells among bits [a, b) of a row. */
static inline __attribute__((always_inline)) unsigned
popcount_range(const uint64_t *row, int a, int b)
{
    int k = b - a, sh = a & 63;
    if (k <= 64) {
        /* At most two words: the usual case when zoomed out. */
        const uint64_t *w = row + (a >> 6);
        uint64_t v = w[0] >> sh;
        if (sh && sh + k > 64)
            v |= w[1] << (64 - sh);
        if (k < 64)
            v &= ((uint64_t)1 << k) - 1;
        return (unsigned)__builtin_popcountll(v);
    }
    unsigned n = 0;
    int wa = a >> 6, wb = (b - 1) >> 6;
    for (int i = wa; i <= wb; i++) {
        uint64_t m = ~(uint64_t)0;
        if (i == wa)
            m &= ~(uint64_t)0 << (a & 63);
        if (i == wb && (b & 63))
            m &= ~(uint64_t)0 >> (64 - (b & 63));
        n += (unsigned)__builtin_popcountll(row[i] & m);
    }
    return n;
}

static int grow(struct draw_scratch *s, int n)
{
    if (s->cap >= n)
        return 0;
    int *a = realloc(s->a, (size_t)n * sizeof *a);
    if (a)
        s->a = a;
    int *b = realloc(s->b, (size_t)n * sizeof *b);
    if (b)
        s->b = b;
    uint32_t *c = realloc(s->counts, (size_t)n * sizeof *c);
    if (c)
        s->counts = c;
    if (!a || !b || !c)
        return GLIDER_ENOMEM;
    s->cap = n;
    return 0;
}

void draw_scratch_free(struct draw_scratch *s)
{
    free(s->a);
    free(s->b);
    free(s->counts);
    memset(s, 0, sizeof *s);
}

/* Cells [*a, *b) cover pixel p along an axis of 'n' cells, where the cells
 * start at pixel 'o'; an empty range when the pixel is outside. */
static void pixel_span(double o, double ppc, int n, int p, int *a, int *b)
{
    double fa = floor((p - o) / ppc), fb = floor((p + 1 - o) / ppc);
    if (ppc >= 1)
        fb = fa + 1;
    if (fa < 0)
        fa = 0;
    if (fb > n)
        fb = n;
    if (fb <= fa) {
        *a = *b = 0;
        return;
    }
    *a = (int)fa;
    *b = (int)fb;
}

/* A pixel that starts a new cell, at zooms with grid lines. */
static int on_line(double o, double ppc, int p)
{
    return floor((p - o) / ppc) != floor((p - 1 - o) / ppc);
}

static uint32_t mix(uint32_t c0, uint32_t c1, double t)
{
    uint32_t out = 0xff000000u;
    for (int sh = 0; sh < 24; sh += 8) {
        double a = (c0 >> sh) & 0xff, b = (c1 >> sh) & 0xff;
        out |= (uint32_t)(a + (b - a) * t + 0.5) << sh;
    }
    return out;
}

static void draw_zoomed_in(struct canvas *c, const struct view *v,
                           const struct snapshot *s, struct draw_scratch *sc,
                           double ox, double oy)
{
    const struct grid *g = &s->cells;
    int lines = v->ppc >= VIEW_GRID_PPC;
    for (int px = 0; px < c->w; px++) {
        pixel_span(ox, v->ppc, g->width, px, &sc->a[px], &sc->b[px]);
        sc->counts[px] = lines && on_line(ox, v->ppc, px);
    }
    int last_y = -2, last_line = 0;
    for (int py = 0; py < c->h; py++) {
        uint32_t *out = c->px + (long)py * c->pitch;
        int ya, yb;
        pixel_span(oy, v->ppc, g->height, py, &ya, &yb);
        int yline = lines && on_line(oy, v->ppc, py);
        int y = ya < yb ? ya : -1;
        if (py > 0 && y == last_y && !yline && !last_line) {
            memcpy(out, out - c->pitch, (size_t)c->w * sizeof *out);
            continue;
        }
        last_y = y;
        last_line = yline;
        if (y < 0) {
            for (int px = 0; px < c->w; px++)
                out[px] = COLOUR_OUTSIDE;
            continue;
        }
        const uint64_t *row = grid_row(g, y);
        const uint64_t *prow = s->has_prev ? s->prev + (size_t)y * g->stride : NULL;
        for (int px = 0; px < c->w; px++) {
            int a = sc->a[px];
            if (a >= sc->b[px]) {
                out[px] = COLOUR_OUTSIDE;
            } else if (yline || sc->counts[px]) {
                out[px] = COLOUR_GRID;
            } else if (row[a >> 6] >> (a & 63) & 1) {
                int old = !prow || (prow[a >> 6] >> (a & 63) & 1);
                out[px] = old ? COLOUR_ALIVE : COLOUR_BORN;
            } else {
                out[px] = COLOUR_DEAD;
            }
        }
    }
}

static inline __attribute__((always_inline)) void
zoomed_out_body(struct canvas *c, const struct view *v, const struct snapshot *s,
                struct draw_scratch *sc, double ox, double oy)
{
    if (!sc->palette[255])
        for (int i = 0; i < 256; i++)
            sc->palette[i] = mix(COLOUR_DEAD, COLOUR_ALIVE, 0.45 + 0.55 * i / 255.0);
    const struct grid *g = &s->cells;
    int p0 = c->w, p1 = 0; /* the columns that show cells */
    for (int px = 0; px < c->w; px++) {
        pixel_span(ox, v->ppc, g->width, px, &sc->a[px], &sc->b[px]);
        if (sc->a[px] < sc->b[px]) {
            p0 = px < p0 ? px : p0;
            p1 = px + 1;
        }
    }
    for (int py = 0; py < c->h; py++) {
        uint32_t *out = c->px + (long)py * c->pitch;
        int ya, yb;
        pixel_span(oy, v->ppc, g->height, py, &ya, &yb);
        if (ya >= yb || p0 >= p1) {
            for (int px = 0; px < c->w; px++)
                out[px] = COLOUR_OUTSIDE;
            continue;
        }
        memset(sc->counts + p0, 0, (size_t)(p1 - p0) * sizeof *sc->counts);
        for (int y = ya; y < yb; y++) {
            const uint64_t *row = grid_row(g, y);
            for (int px = p0; px < p1; px++)
                sc->counts[px] += popcount_range(row, sc->a[px], sc->b[px]);
        }
        for (int px = 0; px < c->w; px++) {
            if (px < p0 || px >= p1) {
                out[px] = COLOUR_OUTSIDE;
            } else if (!sc->counts[px]) {
                out[px] = COLOUR_DEAD;
            } else {
                /* Density, saturating at one live cell in two. */
                unsigned area = (unsigned)(sc->b[px] - sc->a[px]) * (unsigned)(yb - ya);
                unsigned lv = 2u * 255u * sc->counts[px] / area;
                out[px] = sc->palette[lv > 255 ? 255 : lv];
            }
        }
    }
}

/* The popcount above is one instruction on CPUs with POPCNT (almost all
 * x86-64 CPUs since 2008) but a dozen without; the baseline x86-64 target
 * does not assume it, so pick at run time. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("popcnt"))) static void
zoomed_out_popcnt(struct canvas *c, const struct view *v,
                  const struct snapshot *s, struct draw_scratch *sc, double ox,
                  double oy)
{
    zoomed_out_body(c, v, s, sc, ox, oy);
}
#endif

static void draw_zoomed_out(struct canvas *c, const struct view *v,
                            const struct snapshot *s, struct draw_scratch *sc,
                            double ox, double oy)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (__builtin_cpu_supports("popcnt")) {
        zoomed_out_popcnt(c, v, s, sc, ox, oy);
        return;
    }
#endif
    zoomed_out_body(c, v, s, sc, ox, oy);
}

int draw_cells(struct canvas *c, const struct view *v, const struct snapshot *s,
               struct draw_scratch *sc)
{
    if (grow(sc, c->w))
        return GLIDER_ENOMEM;
    double ox = c->w / 2.0 - v->cx * v->ppc;
    double oy = c->h / 2.0 - v->cy * v->ppc;
    if (v->ppc >= 1)
        draw_zoomed_in(c, v, s, sc, ox, oy);
    else
        draw_zoomed_out(c, v, s, sc, ox, oy);
    return 0;
}
