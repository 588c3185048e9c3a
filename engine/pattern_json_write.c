/* pattern_json_write.c - Glider's JSON pattern files: the saver (the loader
 * is pattern_json.c).  Keys are written in a fixed order, "rows" for patterns
 * up to JSON_ROWS_MAX cells in both directions and "rle" lines for larger
 * ones; strings are always valid UTF-8, so every saved file loads back. */
#include "pattern_json.h"

#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "rle.h"

#define JSON_ROWS_MAX 64 /* saved as "rows" up to 64 x 64 */

/* Writes 's' as a JSON string; bytes that are not UTF-8 become U+FFFD so
 * the file always loads back. */
static void put_string(FILE *f, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        unsigned char ch = u[i];
        if (ch == '"' || ch == '\\') {
            fputc('\\', f);
            fputc(ch, f);
        } else if (ch == '\n') {
            fputs("\\n", f);
        } else if (ch == '\t') {
            fputs("\\t", f);
        } else if (ch < 0x20 || ch == 0x7F) {
            fprintf(f, "\\u%04x", ch);
        } else if (ch >= 0x80) {
            size_t k = json_check_utf8_seq(u + i, n - i);
            if (k == 0) {
                fputs("\xEF\xBF\xBD", f);
                i++;
            } else {
                fwrite(u + i, 1, k, f);
                i += k;
            }
            continue;
        } else {
            fputc(ch, f);
        }
        i++;
    }
    fputc('"', f);
}

static void put_key(FILE *f, int *first, const char *key)
{
    fprintf(f, "%s  \"%s\": ", *first ? "" : ",\n", key);
    *first = 0;
}

int pattern_json_write(const struct pattern *p, FILE *f, struct glider_error *err)
{
    if (!p || !f)
        return glider_errorf(err, GLIDER_EINVAL, "pattern_json_write: no %s",
                             p ? "file" : "pattern");
    char *body = NULL;
    int use_rows = p->cells && p->width <= JSON_ROWS_MAX &&
                   p->height <= JSON_ROWS_MAX;
    /* An RLE body starts at the live cells' bounding box, so the origin
     * moves to its corner; a centred pattern in a fixed universe gets the
     * origin centring would have given it, so it lands in the same place. */
    int has_origin = p->has_origin;
    long ox = p->origin_x, oy = p->origin_y;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int any = pattern_bbox(p, &x0, &y0, &x1, &y1);
    if (any && !use_rows) {
        int rc = rle_body_string(p, &body, err);
        if (rc)
            return rc;
        if (!has_origin && p->bounds.present && (x0 || y0 || x1 < p->width ||
                                                 y1 < p->height)) {
            has_origin = 1;
            ox = ((long)p->bounds.width - p->width) / 2;
            oy = ((long)p->bounds.height - p->height) / 2;
        }
        ox += x0;
        oy += y0;
    }
    /* Rows are the pattern's whole box, blank margins included; where that
     * box reaches outside the universe (an RLE position may put it there,
     * the live cells inside) the rows shrink to the live cells' box, so
     * the origin is one the reader takes. */
    int rx0 = 0, ry0 = 0, rx1 = p->width, ry1 = p->height;
    if (any && use_rows && has_origin &&
        (ox < 0 || oy < 0 ||
         (p->bounds.present && (ox + p->width > p->bounds.width ||
                                oy + p->height > p->bounds.height)))) {
        rx0 = x0;
        ry0 = y0;
        rx1 = x1;
        ry1 = y1;
        ox += x0;
        oy += y0;
    }
    int first = 1;
    fputs("{\n", f);
    const char *const texts[] = {p->name, p->author, p->description};
    const char *const keys[] = {"name", "author", "description"};
    for (int i = 0; i < 3; i++)
        if (texts[i]) {
            put_key(f, &first, keys[i]);
            put_string(f, texts[i]);
        }
    if (p->ncomments > 0) {
        put_key(f, &first, "comments");
        fputs("[", f);
        for (int i = 0; i < p->ncomments; i++) {
            fputs(i ? ",\n    " : "\n    ", f);
            put_string(f, p->comments[i]);
        }
        fputs("\n  ]", f);
    }
    if (p->has_rule || !rule_equal(&p->rule, &RULE_LIFE)) {
        char rule[RULE_TEXT_MAX];
        put_key(f, &first, "rule");
        put_string(f, rule_format(&p->rule, rule, sizeof rule));
    }
    if (p->bounds.present) {
        put_key(f, &first, "universe");
        fprintf(f, "{\"width\": %d, \"height\": %d, \"topology\": \"%s\"}",
                p->bounds.width, p->bounds.height,
                topology_name(p->bounds.topo));
    }
    if (has_origin) {
        put_key(f, &first, "origin");
        fprintf(f, "{\"x\": %ld, \"y\": %ld}", ox, oy);
    }
    if (!any && !use_rows) {
        put_key(f, &first, "cells");
        fputs("[]", f);
    } else if (use_rows) {
        put_key(f, &first, "rows");
        fputc('[', f);
        for (int y = ry0; y < ry1; y++) {
            fputs(y > ry0 ? ",\n    \"" : "\n    \"", f);
            for (int x = rx0; x < rx1; x++)
                fputc(grid_get(p->cells, x, y) ? 'O' : '.', f);
            fputc('"', f);
        }
        fputs("\n  ]", f);
    } else {
        /* One JSON string per RLE line: readable, and still one body. */
        put_key(f, &first, "rle");
        fputc('[', f);
        int i = 0;
        for (char *line = body; *line; i++) {
            size_t n = strcspn(line, "\n");
            char save = line[n];
            line[n] = '\0';
            fputs(i ? ",\n    " : "\n    ", f);
            put_string(f, line);
            line[n] = save;
            line += n + (save ? 1 : 0);
        }
        fputs("\n  ]", f);
        free(body);
    }
    fputs("\n}\n", f);
    return 0;
}
