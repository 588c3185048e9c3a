/* band_gens.c - several generations of one band of rows (see band_gens.h). */
#include "band_gens.h"

#include <stdlib.h>
#include <string.h>

#include "sys.h"

#define BAND_SCRATCH_ALIGN 64

int band_scratch_reserve(struct band_scratch *s, size_t stride, int rows,
                         struct glider_error *err)
{
    size_t words = stride * (size_t)(rows > 0 ? rows : 1);
    if (s->raw && s->words >= words) {
        if (s->stride != stride) {
            memset(s->buf[0], 0, 2 * s->words * sizeof(uint64_t));
            s->stride = stride;
        }
        return 0;
    }
    if (words > (SIZE_MAX - BAND_SCRATCH_ALIGN) / 2 / sizeof(uint64_t))
        return glider_errorf(err, GLIDER_ENOMEM,
                             "band scratch of %d rows is too large", rows);
    void *raw = sys_malloc(2 * words * sizeof(uint64_t) + BAND_SCRATCH_ALIGN);
    if (!raw)
        return glider_errorf(err, GLIDER_ENOMEM,
                             "out of memory for %d rows of band scratch", rows);
    free(s->raw);
    uintptr_t p = ((uintptr_t)raw + BAND_SCRATCH_ALIGN - 1) &
                  ~(uintptr_t)(BAND_SCRATCH_ALIGN - 1);
    s->raw = raw;
    s->buf[0] = (uint64_t *)p;
    s->buf[1] = s->buf[0] + words;
    s->words = words;
    s->stride = stride;
    memset(s->buf[0], 0, 2 * words * sizeof(uint64_t));
    return 0;
}

void band_scratch_free(struct band_scratch *s)
{
    free(s->raw);
    memset(s, 0, sizeof *s);
}

/* Row 'y' of the universe for any y: wrapped on a torus.  (On a plane the
 * window is clipped, so y is always inside.) */
static const uint64_t *src_row(const struct grid *g, long y)
{
    long h = g->height;
    y %= h;
    if (y < 0)
        y += h;
    return grid_row(g, (int)y);
}

void band_gens(kernel_band_fn band, const struct grid *cur, struct grid *out,
               const struct rule *rule, int y0, int y1, int gens,
               struct band_scratch *s)
{
    if (gens <= 1) {
        band(cur, out, rule, y0, y1);
        return;
    }
    /* The window [top, bot) of universe rows copied into the scratch.  A
     * window edge is "real" when it is the edge of a plane: the kernel's
     * dead-outside rule is then the truth there, and the rows next to it
     * stay exact every generation. */
    long top = (long)y0 - gens, bot = (long)y1 + gens;
    int real_top = 0, real_bot = 0;
    if (cur->topo == TOPO_PLANE) {
        if (top <= 0) {
            top = 0;
            real_top = 1;
        }
        if (bot >= cur->height) {
            bot = cur->height;
            real_bot = 1;
        }
    }
    int rows = (int)(bot - top);
    size_t row_bytes = cur->stride * sizeof(uint64_t);
    struct grid a = *cur, b = *cur;
    a.height = b.height = rows;
    a.words = s->buf[0];
    b.words = s->buf[1];
    a.bytes = b.bytes = (size_t)rows * row_bytes;
    for (int r = 0; r < rows; r++)
        memcpy(grid_row(&a, r), src_row(cur, top + r), row_bytes);

    /* Generation g is needed only on rows within gens-g of the band, and is
     * exact only on rows at least g away from an artificial window edge;
     * the first range is always inside the second. */
    int band_lo = (int)(y0 - top), band_hi = (int)(y1 - top);
    struct grid *from = &a, *to = &b;
    for (int g = 1; g <= gens; g++) {
        int lo = band_lo - (gens - g), hi = band_hi + (gens - g);
        if (real_top && lo < 0)
            lo = 0;
        if (real_bot && hi > rows)
            hi = rows;
        band(from, to, rule, lo, hi);
        struct grid *t = from;
        from = to;
        to = t;
    }
    /* Only the words that hold cells: the rest of each row of 'out' is zero
     * and stays so (the kernels write at most zeros there). */
    size_t cell_bytes = (size_t)((cur->width + 63) / 64) * sizeof(uint64_t);
    for (int y = y0; y < y1; y++)
        memcpy(grid_row(out, y), grid_row(from, band_lo + (y - y0)), cell_bytes);
}
