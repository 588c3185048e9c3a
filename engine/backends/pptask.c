/* pptask.c - process-pool task messages and the worker's handler (see
 * pptask.h). */
#include "pptask.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../kernel.h"
#include "../sys.h"

void pptask_init(struct pptask *t, const struct grid *cur,
                 const struct grid *next, const struct rule *rule, int kernel,
                 int y0, int y1)
{
    memset(t, 0, sizeof *t); /* no stray padding bytes on the wire */
    t->cur = (uint64_t)(uintptr_t)cur->words;
    t->next = (uint64_t)(uintptr_t)next->words;
    t->stride = cur->stride;
    t->width = cur->width;
    t->height = cur->height;
    t->topo = (uint8_t)cur->topo;
    t->y0 = y0;
    t->y1 = y1;
    t->kernel = (uint16_t)kernel;
    t->rule = *rule;
    t->gens = 1;
}

size_t pptask_row_bytes(int width)
{
    return (size_t)(width + 63) / 64 * 8;
}

/* ---- the worker side (child discipline: no allocation, no locks) ------- */

/* Monotonic seconds (clock_gettime is async-signal-safe). */
static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A grid of 'rows' rows over 'words' with the task's width and topology. */
static struct grid task_grid(const struct pptask *t, int rows, uint64_t *words)
{
    struct grid g = {
        .width = t->width,
        .height = rows,
        .topo = (enum topology)t->topo,
        .stride = (size_t)t->stride,
        .words = words,
        .bytes = (size_t)rows * (size_t)t->stride * 8,
    };
    return g;
}

/* A task of several generations on the whole universe (one band, every
 * row): no halo is needed, since the band is all there is, so the
 * generations simply alternate between 'next' and one scratch buffer
 * ('spare', height x stride words), arranged so that the last lands in
 * 'next'.  'cur' is only read.  (band_gens would copy a wrapped halo of
 * 'gens' rows on each side and compute it too.) */
static void whole_universe(kernel_band_fn band, const struct pptask *t,
                           const struct grid *cur, struct grid *next,
                           uint64_t *spare)
{
    struct grid s = task_grid(t, t->height, spare);
    const struct grid *from = cur;
    for (int g = 1; g <= t->gens; g++) {
        struct grid *to = (t->gens - g) % 2 == 0 ? next : &s;
        band(from, to, &t->rule, 0, t->height);
        from = to;
    }
}

long pptask_serve(void *vctx, const void *in, size_t inlen, void *out,
                  size_t outcap)
{
    const struct pptask_ctx *c = vctx;
    struct pptask t;
    if (inlen < sizeof t || outcap < sizeof(struct pptask_done))
        return -1;
    memcpy(&t, in, sizeof t);
    const struct kernel *k = kernel_at(t.kernel);
    int b = t.y1 - t.y0;
    size_t wpr = (size_t)(t.width + 63) / 64, rowb = wpr * 8;
    if (!k || t.width < 1 || t.height < 1 || t.width > GRID_MAX_DIM ||
        t.height > GRID_MAX_DIM || t.stride < wpr || t.y0 < 0 || b < 1 ||
        t.y1 > t.height || t.topo > TOPO_PLANE || t.gens < 1 ||
        (t.copy && t.gens != 1))
        return -1;
    struct pptask_done d = {t.serial, t.id, 0, t.y0, t.y1, 0};
    if (!t.copy) {
        /* Several generations: what they need must fit this worker's copy of
         * the scratch (the parent cut 'gens' so; a child cannot grow it). */
        int whole = t.y0 == 0 && t.y1 == t.height;
        size_t need = whole ? (size_t)t.height
                            : (size_t)b + 2 * (size_t)t.gens; /* band_gens */
        if (t.gens > 1 && need * (size_t)t.stride > c->gens.words)
            return -1;
        const struct grid cur =
            task_grid(&t, t.height, (uint64_t *)(uintptr_t)t.cur);
        struct grid next = task_grid(&t, t.height, (uint64_t *)(uintptr_t)t.next);
        if (grid_row(&next, t.y0)[0] != t.nonce) {
            d.status = PPTASK_STALE;
        } else {
            double t0 = seconds_now();
            if (t.gens > 1 && whole)
                whole_universe(k->band, &t, &cur, &next, c->gens.buf[0]);
            else {
                struct band_scratch s = c->gens; /* the buffers are ours */
                band_gens(k->band, &cur, &next, &t.rule, t.y0, t.y1, t.gens,
                          &s);
            }
            d.seconds = seconds_now() - t0;
        }
        memcpy(out, &d, sizeof d);
        return sizeof d;
    }
    /* Copy mode: rows y0-1 .. y1 arrive packed; unpack into a (b+2)-row
     * grid, compute its rows 1..b, pack them into the reply. */
    if (b > c->band_max || t.stride > c->stride ||
        inlen != sizeof t + (size_t)(b + 2) * rowb ||
        outcap < sizeof d + (size_t)b * rowb)
        return -1;
    size_t gw = (size_t)(c->band_max + 2) * c->stride;
    struct grid lc = task_grid(&t, b + 2, c->scratch);
    struct grid ln = task_grid(&t, b + 2, c->scratch + gw);
    pptask_unpack_rows(&lc, 0, b + 2, (const char *)in + sizeof t);
    double t0 = seconds_now();
    k->band(&lc, &ln, &t.rule, 1, b + 1);
    d.seconds = seconds_now() - t0;
    memcpy(out, &d, sizeof d);
    char *dst = (char *)out + sizeof d;
    for (int r = 0; r < b; r++)
        memcpy(dst + (size_t)r * rowb, grid_row(&ln, r + 1), rowb);
    return (long)(sizeof d + (size_t)b * rowb);
}

/* ---- the parent side --------------------------------------------------- */

static void copy_scratch_free(struct pptask_ctx *c)
{
    free(c->raw);
    c->raw = NULL;
    c->scratch = NULL;
    c->band_max = 0;
    c->stride = 0;
}

int pptask_ctx_size(struct pptask_ctx *c, int band_max, size_t stride)
{
    copy_scratch_free(c);
    size_t bytes = 2 * ((size_t)band_max + 2) * stride * 8;
    c->raw = sys_malloc(bytes + 64);
    if (!c->raw)
        return -1;
    c->scratch = (uint64_t *)(((uintptr_t)c->raw + 63) & ~(uintptr_t)63);
    c->band_max = band_max;
    c->stride = stride;
    return 0;
}

int pptask_ctx_gens_scratch(struct pptask_ctx *c, struct glider_error *err)
{
    /* 'rows' of one 64-byte line each: the buffers are sized in bytes, not
     * for one grid's stride. */
    size_t line = 8;
    int rows = (int)(PPTASK_GENS_SCRATCH_BYTES / 2 / (line * sizeof(uint64_t)));
    if (band_scratch_reserve(&c->gens, line, rows, err) != 0)
        return glider_errorf(err, GLIDER_ENOMEM,
                             "process-pool: out of memory for the workers' "
                             "band scratch (%u bytes)",
                             (unsigned)PPTASK_GENS_SCRATCH_BYTES);
    return 0;
}

void pptask_ctx_free(struct pptask_ctx *c)
{
    copy_scratch_free(c);
    band_scratch_free(&c->gens);
}

int pptask_fit_gens(const struct pptask_ctx *c, size_t stride, int height,
                    int nbands, int want)
{
    if (want <= 1 || stride == 0 || height < 1 || nbands < 1)
        return 1;
    size_t rows = c->gens.words / stride; /* rows each buffer holds */
    if (nbands == 1) /* the whole universe: no halo (pptask_serve) */
        return rows >= (size_t)height ? want : 1;
    size_t band_rows = ((size_t)height + (size_t)nbands - 1) / (size_t)nbands;
    if (rows < band_rows + 4)
        return 1;
    size_t k = (rows - band_rows) / 2;
    return k < (size_t)want ? (int)k : want;
}

size_t pptask_request_max(const struct pptask_ctx *c)
{
    return sizeof(struct pptask) +
           (c->copy ? ((size_t)c->band_max + 2) * c->stride * 8 : 0);
}

size_t pptask_reply_max(const struct pptask_ctx *c)
{
    return sizeof(struct pptask_done) +
           (c->copy ? (size_t)c->band_max * c->stride * 8 : 0);
}

size_t pptask_pack_rows(const struct grid *cur, int y0, int y1, void *dst)
{
    size_t rowb = pptask_row_bytes(cur->width);
    char *p = dst;
    for (int y = y0 - 1; y <= y1; y++, p += rowb) {
        int yy = cur->topo == TOPO_TORUS ? (y + cur->height) % cur->height : y;
        if (yy < 0 || yy >= cur->height)
            memset(p, 0, rowb);
        else
            memcpy(p, grid_row(cur, yy), rowb);
    }
    return (size_t)(p - (char *)dst);
}

void pptask_unpack_rows(struct grid *next, int y0, int y1, const void *src)
{
    size_t wpr = (size_t)(next->width + 63) / 64;
    const char *p = src;
    for (int y = y0; y < y1; y++, p += wpr * 8) {
        uint64_t *row = grid_row(next, y);
        memcpy(row, p, wpr * 8);
        memset(row + wpr, 0, (next->stride - wpr) * 8);
    }
}
