/* apgcode.c - decoding apgcodes and finding the object in a universe.
 *
 * The body of an apgcode is the object's cells in strips of five rows, top
 * to bottom, separated by 'z'.  In a strip each character is one column,
 * left to right: '0'..'9', 'a'..'v' are the five bits of the column, the
 * least significant bit the top row; 'w' and 'x' stand for two and three
 * empty columns, 'y' followed by c for 4 + c empty columns (c in 0..9,
 * a..z).  The prefix says what the object is: "xs<population>_",
 * "xp<period>_", "xq<period>_". */
#include "apgcode.h"

#include <stdlib.h>
#include <string.h>

static int digit36(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    return -1;
}

int apg_decode(const char *code, struct apg_object *o)
{
    memset(o, 0, sizeof *o);
    if (code[0] != 'x' || !code[1] || !strchr("spq", code[1]))
        return -1;
    o->kind = code[1];
    const char *p = code + 2;
    long num = 0;
    if (*p < '0' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9' && num < 1000000)
        num = num * 10 + (*p++ - '0');
    if (*p++ != '_' || !*p)
        return -1;
    o->period = o->kind == 's' ? 1 : (int)num;
    int x = 0, strip = 0;
    for (; *p; p++) {
        int v = digit36(*p);
        if (*p == 'z') {
            strip++;
            x = 0;
        } else if (*p == 'w') {
            x += 2;
        } else if (*p == 'x') {
            x += 3;
        } else if (*p == 'y') {
            int k = digit36(p[1]);
            if (k < 0)
                return -1;
            x += 4 + k;
            p++;
        } else if (v >= 0 && v < 32) {
            for (int b = 0; b < 5; b++) {
                if (!(v >> b & 1))
                    continue;
                if (o->n == APG_MAX_CELLS)
                    return -1;
                o->x[o->n] = x;
                o->y[o->n] = strip * 5 + b;
                o->n++;
            }
            x++;
        } else {
            return -1;
        }
        if (x > 100000 || strip > 20000)
            return -1;
    }
    if (o->kind == 's' && num != o->n)
        return -1; /* a still life's number is its population */
    return o->n ? 0 : -1;
}

struct cell {
    int x, y;
};

static int cell_cmp(const void *a, const void *b)
{
    const struct cell *p = a, *q = b;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

/* Moves the cells to a top-left corner of (0, 0) and sorts them, so two
 * shapes are equal when their arrays are; returns the old corner. */
static void normalise(struct cell *c, int n, int *x0, int *y0)
{
    int mx = c[0].x, my = c[0].y;
    for (int i = 1; i < n; i++) {
        mx = c[i].x < mx ? c[i].x : mx;
        my = c[i].y < my ? c[i].y : my;
    }
    for (int i = 0; i < n; i++) {
        c[i].x -= mx;
        c[i].y -= my;
    }
    qsort(c, (size_t)n, sizeof *c, cell_cmp);
    *x0 = mx;
    *y0 = my;
}

int apg_find(const struct grid *g, const struct apg_object *o, int *fx,
             int *fy)
{
    int bx0, by0, bx1, by1;
    if (!grid_bbox(g, &bx0, &by0, &bx1, &by1))
        return 0;
    /* The eight orientations of the object, normalised. */
    static struct cell shapes[8][APG_MAX_CELLS];
    int ignore;
    for (int t = 0; t < 8; t++) {
        for (int i = 0; i < o->n; i++) {
            int x = t & 4 ? o->y[i] : o->x[i];
            int y = t & 4 ? o->x[i] : o->y[i];
            shapes[t][i].x = t & 1 ? -x : x;
            shapes[t][i].y = t & 2 ? -y : y;
        }
        normalise(shapes[t], o->n, &ignore, &ignore);
    }
    /* Groups of live cells, two cells apart at most, by a flood fill over a
     * copy of the universe whose cells are cleared as they are taken. */
    struct grid *left;
    if (grid_create(&left, g->width, g->height, g->topo, NULL))
        return -1;
    grid_copy(left, g);
    size_t cap = 4096;
    struct cell *stack = malloc(cap * sizeof *stack);
    struct cell *group = malloc((APG_MAX_CELLS + 1) * sizeof *group);
    int result = stack && group ? 0 : -1;
    for (int y = by0; y < by1 && result == 0; y++) {
        for (int x = bx0; x < bx1 && result == 0; x++) {
            if (!grid_get(left, x, y))
                continue;
            size_t top = 0;
            int n = 0;
            stack[top++] = (struct cell){x, y};
            grid_set(left, x, y, 0);
            while (top > 0 && result == 0) {
                struct cell c = stack[--top];
                if (n <= APG_MAX_CELLS)
                    group[n] = c;
                n++;
                for (int dy = -2; dy <= 2; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        int nx = c.x + dx, ny = c.y + dy;
                        if (nx < 0 || ny < 0 || nx >= g->width ||
                            ny >= g->height || !grid_get(left, nx, ny))
                            continue;
                        grid_set(left, nx, ny, 0);
                        if (top == cap) {
                            struct cell *more =
                                realloc(stack, 2 * cap * sizeof *stack);
                            if (!more) {
                                result = -1;
                                break;
                            }
                            stack = more;
                            cap *= 2;
                        }
                        stack[top++] = (struct cell){nx, ny};
                    }
                }
            }
            if (result || n != o->n)
                continue;
            int gx, gy;
            normalise(group, n, &gx, &gy);
            for (int t = 0; t < 8 && result == 0; t++)
                if (memcmp(group, shapes[t], (size_t)n * sizeof *group) == 0)
                    result = 1;
            if (result) {
                *fx = gx;
                *fy = gy;
            }
        }
    }
    free(group);
    free(stack);
    grid_destroy(left);
    return result;
}
