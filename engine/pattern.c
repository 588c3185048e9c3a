/* pattern.c - the pattern object, placing it, and loading/saving by format.
 *
 * Sections: the object; placing; formats and sniffing; files. */
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
#include "pattern_json.h"
#include "rle.h"
#include "sys.h"

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

int pattern_add_comment(struct pattern *p, const char *line,
                        struct glider_error *err)
{
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

/* ---- Placing ------------------------------------------------------------- */

int pattern_place(const struct pattern *p, struct grid *g,
                  struct glider_error *err)
{
    if (!p->cells)
        return 0;
    long ox, oy;
    if (p->has_origin) {
        ox = p->origin_x;
        oy = p->origin_y;
    } else {
        ox = ((long)g->width - p->width) / 2;
        oy = ((long)g->height - p->height) / 2;
    }
    /* Check every live cell first so a failure leaves 'g' untouched. */
    int x0, y0, x1, y1;
    if (!grid_bbox(p->cells, &x0, &y0, &x1, &y1))
        return 0;
    if (ox + x0 < 0 || oy + y0 < 0 || ox + x1 > g->width ||
        oy + y1 > g->height) {
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                if (grid_get(p->cells, x, y) &&
                    (ox + x < 0 || oy + y < 0 || ox + x >= g->width ||
                     oy + y >= g->height))
                    return glider_errorf(err, GLIDER_ELIMIT,
                                         "live cell (%ld, %ld) is outside the "
                                         "%dx%d universe (pattern is %dx%d)",
                                         ox + x, oy + y, g->width, g->height,
                                         p->width, p->height);
    }
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            if (grid_get(p->cells, x, y))
                grid_set(g, (int)(ox + x), (int)(oy + y), 1);
    return 0;
}

/* ---- Formats and sniffing ------------------------------------------------ */

static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

enum pattern_format pattern_format_from_name(const char *path)
{
    const char *e = extension(path);
    if (strcasecmp(e, "rle") == 0)
        return PATTERN_RLE;
    if (strcasecmp(e, "json") == 0)
        return PATTERN_JSON;
    if (strcasecmp(e, "cells") == 0)
        return PATTERN_CELLS;
    if (strcasecmp(e, "lif") == 0 || strcasecmp(e, "life") == 0)
        return PATTERN_LIFE106;
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
        if (l[0] == '{' || l[0] == '[')
            return PATTERN_JSON;
        if (rest >= 10 && (strncmp(l, "#Life 1.06", 10) == 0 ||
                           strncmp(l, "#Life 1.05", 10) == 0))
            return PATTERN_LIFE106;
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

int pattern_parse(enum pattern_format f, const char *data, size_t len,
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
    default:
        return glider_errorf(err, GLIDER_EPARSE,
                             "%s: not a pattern file: expected RLE, JSON, "
                             ".cells or Life 1.06",
                             source);
    }
}

/* ---- Files --------------------------------------------------------------- */

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
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return glider_syserrorf(err, GLIDER_EIO, e, "%s: cannot stat", path);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return glider_errorf(err, GLIDER_EIO,
                             "%s: is a directory, expected a pattern file",
                             path);
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > PATTERN_MAX_FILE_BYTES) {
        close(fd);
        return glider_errorf(err, GLIDER_ELIMIT,
                             "%s: file is %.1f MiB, over the %u MiB limit for "
                             "pattern files",
                             path, (double)st.st_size / (1024.0 * 1024.0),
                             PATTERN_MAX_FILE_BYTES / (1024u * 1024u));
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    char *buf = sys_malloc(cap);
    if (!buf) {
        close(fd);
        return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory", path);
    }
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > PATTERN_MAX_FILE_BYTES) {
                free(buf);
                close(fd);
                return glider_errorf(err, GLIDER_ELIMIT,
                                     "%s: over the %u MiB limit for pattern "
                                     "files",
                                     path,
                                     PATTERN_MAX_FILE_BYTES / (1024u * 1024u));
            }
            char *nb = sys_realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                close(fd);
                return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory",
                                     path);
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
            close(fd);
            return glider_syserrorf(err, GLIDER_EIO, e, "%s: cannot read", path);
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int pattern_load(const char *path, struct pattern **out, struct glider_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    int rc = pattern_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    if (len == 0) {
        free(data);
        return glider_errorf(err, GLIDER_EPARSE,
                             "%s:1:1: empty file, expected a pattern", path);
    }
    enum pattern_format by_name = pattern_format_from_name(path);
    enum pattern_format by_content = pattern_format_sniff(data, len);
    enum pattern_format f = by_name;
    if (by_name == PATTERN_UNKNOWN ||
        (by_content != PATTERN_UNKNOWN && by_content != by_name &&
         !(by_name == PATTERN_RLE && by_content == PATTERN_CELLS))) {
        if (by_content != PATTERN_UNKNOWN) {
            fprintf(stderr, "glider: warning: %s looks like %s%s; reading it as "
                    "%s\n",
                    path, pattern_format_name(by_content),
                    by_name == PATTERN_UNKNOWN ? "" : ", not what its extension says",
                    pattern_format_name(by_content));
            f = by_content;
        }
    }
    rc = pattern_parse(f, data, len, path, out, err);
    free(data);
    return rc;
}

int pattern_save(const struct pattern *p, const char *path,
                 struct glider_error *err)
{
    enum pattern_format f = pattern_format_from_name(path);
    if (f != PATTERN_RLE && f != PATTERN_JSON && f != PATTERN_CELLS)
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: cannot tell the format to write: expected a "
                             ".rle, .json or .cells extension",
                             path);
    size_t n = strlen(path);
    char *tmp = sys_malloc(n + 32);
    if (!tmp)
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    snprintf(tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        int e = errno;
        free(tmp);
        return glider_syserrorf(err, GLIDER_EIO, e, "%s: cannot create", path);
    }
    int rc;
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
    if (rc == 0 && rename(tmp, path) != 0) {
        e = errno;
        rc = GLIDER_EIO;
    }
    if (rc) {
        unlink(tmp);
        if (e)
            glider_syserrorf(err, rc, e, "%s: cannot write", path);
    }
    free(tmp);
    return rc;
}
