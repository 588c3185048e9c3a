/* rule.c - parsing and printing B/S rules and Golly's bounded-grid suffix. */
#include "rule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Reads the digits at 'p' into *mask; stops at the first non-digit.  A digit
 * 9 is an error, reported at its column. */
static int read_digits(const char *text, const char **p, uint16_t *mask,
                       struct glider_error *err)
{
    while (isdigit((unsigned char)**p)) {
        int d = **p - '0';
        if (d > 8)
            return glider_errorf(err, GLIDER_EPARSE,
                                 "rule '%s': column %d: neighbour count '%c' "
                                 "is more than 8",
                                 text, (int)(*p - text) + 1, **p);
        *mask |= (uint16_t)(1u << d);
        (*p)++;
    }
    return 0;
}

static int bad_char(const char *text, const char *p, const char *expected,
                    struct glider_error *err)
{
    if (*p == '\0')
        return glider_errorf(err, GLIDER_EPARSE,
                             "rule '%s': unexpected end, expected %s", text,
                             expected);
    return glider_errorf(err, GLIDER_EPARSE,
                         "rule '%s': column %d: unexpected '%c', expected %s",
                         text, (int)(p - text) + 1, *p, expected);
}

int rule_parse(const char *text, struct rule *out, struct glider_error *err)
{
    struct rule r = {0, 0};
    const char *p = text;
    int rc;
    if (!text || !*text)
        return glider_errorf(err, GLIDER_EPARSE,
                             "empty rule: expected B/S notation such as "
                             "B3/S23");
    if (strcasecmp(text, "Life") == 0) { /* Golly's name for B3/S23 */
        *out = RULE_LIFE;
        return 0;
    }
    char c = (char)toupper((unsigned char)*p);
    if (c == 'B' || c == 'S') {
        /* B.../S... or S.../B..., slash optional. */
        int seen_b = 0, seen_s = 0;
        while (*p) {
            c = (char)toupper((unsigned char)*p);
            if (c == 'B' && !seen_b) {
                seen_b = 1;
                p++;
                if ((rc = read_digits(text, &p, &r.birth, err)))
                    return rc;
            } else if (c == 'S' && !seen_s) {
                seen_s = 1;
                p++;
                if ((rc = read_digits(text, &p, &r.survive, err)))
                    return rc;
            } else {
                return bad_char(text, p,
                                seen_b ? "'/S' and survival counts 0-8"
                                       : "'/B' and birth counts 0-8",
                                err);
            }
            if (*p == '/' && !(seen_b && seen_s))
                p++;
            else if (*p && !(seen_b && seen_s) &&
                     toupper((unsigned char)*p) != (seen_b ? 'S' : 'B'))
                return bad_char(text, p, "'/' or a digit 0-8", err);
            else if (*p && seen_b && seen_s)
                return bad_char(text, p, "end of rule", err);
        }
        if (!seen_b || !seen_s)
            return bad_char(text, p, seen_b ? "'/S...'" : "'/B...'", err);
    } else if (isdigit((unsigned char)c) || c == '/') {
        /* Legacy survival/birth: "23/3". */
        if ((rc = read_digits(text, &p, &r.survive, err)))
            return rc;
        if (*p != '/')
            return bad_char(text, p, "'/' between survival and birth counts",
                            err);
        p++;
        if ((rc = read_digits(text, &p, &r.birth, err)))
            return rc;
        if (*p)
            return bad_char(text, p, "a digit 0-8 or end of rule", err);
    } else {
        return bad_char(text, p, "'B', 'S' or a digit", err);
    }
    *out = r;
    return 0;
}

/* Parses a decimal in 1..GRID_MAX_DIM at *p. */
static int read_dim(const char *text, const char **p, int *out,
                    struct glider_error *err)
{
    if (!isdigit((unsigned char)**p))
        return bad_char(text, *p, "a size", err);
    long v = 0;
    while (isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        if (v > 100000000)
            break;
        (*p)++;
    }
    if (v == 0)
        return glider_errorf(err, GLIDER_EUNSUPPORTED,
                             "rule '%s': a bounded grid of size 0 is an "
                             "infinite strip, which Glider does not have "
                             "(only finite tori and planes)",
                             text);
    if (v > GRID_MAX_DIM)
        return glider_errorf(err, GLIDER_ELIMIT,
                             "rule '%s': bounded grid size %ld is over the "
                             "limit of %d",
                             text, v, GRID_MAX_DIM);
    *out = (int)v;
    return 0;
}

int rule_parse_full(const char *text, struct rule *out, struct rule_bounds *bounds,
                    struct glider_error *err)
{
    struct rule_bounds b = {0, TOPO_TORUS, 0, 0};
    const char *colon = strchr(text, ':');
    char head[64];
    int rc;
    if (!colon) {
        if ((rc = rule_parse(text, out, err)))
            return rc;
        if (bounds)
            *bounds = b;
        return 0;
    }
    size_t n = (size_t)(colon - text);
    if (n >= sizeof head)
        return glider_errorf(err, GLIDER_EPARSE, "rule '%s' is too long", text);
    memcpy(head, text, n);
    head[n] = '\0';
    const char *p = colon + 1;
    char kind = (char)toupper((unsigned char)*p);
    static const struct {
        char letter;
        const char *name;
    } unsupported[] = {{'K', "Klein bottle"},
                       {'C', "cross-surface"},
                       {'S', "sphere"},
                       {'H', "hexagonal"}};
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
        if (kind == unsupported[i].letter)
            return glider_errorf(err, GLIDER_EUNSUPPORTED,
                                 "rule '%s': the %s topology (':%c') is not "
                                 "supported; Glider has only tori (:T) and "
                                 "bounded planes (:P)",
                                 text, unsupported[i].name, kind);
    if (kind != 'T' && kind != 'P')
        return bad_char(text, p, "'T' (torus) or 'P' (plane) after ':'", err);
    b.present = 1;
    b.topo = kind == 'T' ? TOPO_TORUS : TOPO_PLANE;
    p++;
    if ((rc = read_dim(text, &p, &b.width, err)))
        return rc;
    if (*p == '+' || *p == '-')
        return glider_errorf(err, GLIDER_EUNSUPPORTED,
                             "rule '%s': shifted tori are not supported", text);
    if (*p == '\0') {
        b.height = b.width; /* Golly: ":T20" is 20x20 */
    } else {
        if (*p != ',')
            return bad_char(text, p, "',' between width and height", err);
        p++;
        if ((rc = read_dim(text, &p, &b.height, err)))
            return rc;
        if (*p == '+' || *p == '-')
            return glider_errorf(err, GLIDER_EUNSUPPORTED,
                                 "rule '%s': shifted tori are not supported",
                                 text);
        if (*p)
            return bad_char(text, p, "end of rule", err);
    }
    if ((rc = rule_parse(head, out, err)))
        return rc;
    if (bounds)
        *bounds = b;
    return 0;
}

char *rule_format(const struct rule *r, char *buf, int size)
{
    char tmp[RULE_TEXT_MAX];
    int n = 0;
    tmp[n++] = 'B';
    for (int i = 0; i <= 8; i++)
        if (r->birth >> i & 1)
            tmp[n++] = (char)('0' + i);
    tmp[n++] = '/';
    tmp[n++] = 'S';
    for (int i = 0; i <= 8; i++)
        if (r->survive >> i & 1)
            tmp[n++] = (char)('0' + i);
    tmp[n] = '\0';
    snprintf(buf, (size_t)size, "%s", tmp);
    return buf;
}
