/* bmp_check.c - pixel checks on the viewer's screenshots (a tiny BMP reader).
 *
 *   bmp_check FILE size
 *       prints "W H"
 *   bmp_check FILE cells PX PY PPC NX NY LIVE
 *       cell (0, 0)'s centre is pixel (PX, PY), cells are PPC pixels apart;
 *       for each of the NX x NY cells, the centre pixel must be lit (bright)
 *       when "x y" is a line of the file LIVE, dark otherwise; so must the
 *       pixels a quarter cell from the centre.  Prints every mismatch.
 *   bmp_check FILE count X Y W H RRGGBB
 *       prints how many pixels of the rectangle have exactly that colour
 * Exit 0 when the check passes, 1 when it fails, 2 on bad input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct image {
    int w, h;
    uint32_t *px; /* 0xRRGGBB, row 0 at the top */
};

static uint32_t le32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int load(const char *path, struct image *im)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc(n > 0 ? (size_t)n : 1);
    if (!d || n < 54 || fread(d, 1, (size_t)n, f) != (size_t)n || d[0] != 'B' ||
        d[1] != 'M') {
        fprintf(stderr, "%s: not a BMP file\n", path);
        fclose(f);
        free(d);
        return -1;
    }
    fclose(f);
    uint32_t off = le32(d + 10);
    int32_t w = (int32_t)le32(d + 18), h = (int32_t)le32(d + 22);
    int bpp = d[28] | d[29] << 8;
    int bottom_up = h > 0;
    h = h < 0 ? -h : h;
    long row_bytes = ((long)w * bpp / 8 + 3) & ~3L;
    if ((bpp != 24 && bpp != 32) || w <= 0 || h <= 0 ||
        (long)off + row_bytes * h > n) {
        fprintf(stderr, "%s: unsupported BMP (%d bits, %dx%d)\n", path, bpp, w, h);
        free(d);
        return -1;
    }
    im->w = w;
    im->h = h;
    im->px = malloc((size_t)w * (size_t)h * sizeof *im->px);
    if (!im->px) {
        free(d);
        return -1;
    }
    for (int y = 0; y < h; y++) {
        const unsigned char *r = d + off + row_bytes * (bottom_up ? h - 1 - y : y);
        for (int x = 0; x < w; x++) {
            const unsigned char *p = r + (long)x * bpp / 8;
            im->px[(size_t)y * w + x] = (uint32_t)p[2] << 16 | p[1] << 8 | p[0];
        }
    }
    free(d);
    return 0;
}

static uint32_t pixel(const struct image *im, int x, int y)
{
    if (x < 0 || y < 0 || x >= im->w || y >= im->h)
        return 0;
    return im->px[(size_t)y * im->w + x];
}

/* Bright: a live cell (either colour); dark: dead cells, grid lines, outside. */
static int lit(uint32_t c)
{
    int r = c >> 16 & 255, g = c >> 8 & 255, b = c & 255;
    return r + g + b > 3 * 110;
}

static int check_cells(const struct image *im, char **a)
{
    int px = atoi(a[0]), py = atoi(a[1]), ppc = atoi(a[2]);
    int nx = atoi(a[3]), ny = atoi(a[4]);
    char *live = calloc((size_t)nx * ny, 1);
    FILE *f = fopen(a[5], "r");
    if (!live || !f) {
        perror(a[5]);
        free(live);
        if (f)
            fclose(f);
        return 2;
    }
    char line[256];
    int x, y, nlive = 0;
    while (fgets(line, sizeof line, f))
        if (line[0] != '#' && sscanf(line, "%d %d", &x, &y) == 2 && x >= 0 &&
            y >= 0 && x < nx && y < ny) {
            live[(size_t)y * nx + x] = 1;
            nlive++;
        }
    fclose(f);
    int bad = 0, q = ppc / 4;
    for (y = 0; y < ny; y++)
        for (x = 0; x < nx; x++) {
            int cx = px + x * ppc, cy = py + y * ppc;
            int want = live[(size_t)y * nx + x];
            int got = lit(pixel(im, cx, cy)) && lit(pixel(im, cx - q, cy - q)) &&
                      lit(pixel(im, cx + q, cy + q));
            int none = !lit(pixel(im, cx, cy)) && !lit(pixel(im, cx - q, cy - q)) &&
                       !lit(pixel(im, cx + q, cy + q));
            if ((want && !got) || (!want && !none)) {
                if (bad < 20)
                    fprintf(stderr, "cell %d,%d at pixel %d,%d: expected %s, "
                            "pixel is %06x\n", x, y, cx, cy,
                            want ? "lit" : "dark", pixel(im, cx, cy));
                bad++;
            }
        }
    free(live);
    printf("%d live cells expected, %d mismatches\n", nlive, bad);
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct image im;
    if (argc < 3 || load(argv[1], &im))
        return 2;
    int rc = 2;
    if (strcmp(argv[2], "size") == 0) {
        printf("%d %d\n", im.w, im.h);
        rc = 0;
    } else if (strcmp(argv[2], "cells") == 0 && argc == 9) {
        rc = check_cells(&im, argv + 3);
    } else if (strcmp(argv[2], "count") == 0 && argc == 8) {
        int x0 = atoi(argv[3]), y0 = atoi(argv[4]), w = atoi(argv[5]), h = atoi(argv[6]);
        uint32_t c = (uint32_t)strtoul(argv[7], NULL, 16);
        long n = 0;
        for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++)
                n += x >= 0 && y >= 0 && x < im.w && y < im.h && pixel(&im, x, y) == c;
        printf("%ld\n", n);
        rc = 0;
    } else {
        fprintf(stderr, "usage: bmp_check FILE size | cells PX PY PPC NX NY "
                        "LIVE | count X Y W H RRGGBB\n");
    }
    free(im.px);
    return rc;
}
