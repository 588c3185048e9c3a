/* rule.c - parsing and printing B/S rules and Golly's bounded-grid suffix. */
#include "rule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Rules are quoted back in messages whole up to this many characters (the
 * longest rule an RLE header holds); a longer one, such as a suffix of a
 * thousand digits, is cut with "..." so that what the message says after it
 * still fits.  A size is quoted up to DIM_QUOTE_MAX digits. */
#define RULE_QUOTE_MAX 128
#define DIM_QUOTE_MAX 24
#define RULE_QUOTE(s)                                                      \
    (strlen(s) > RULE_QUOTE_MAX ? RULE_QUOTE_MAX : (int)strlen(s)), (s),   \
        (strlen(s) > RULE_QUOTE_MAX ? "..." : "")

/* Reads the digits at 'p' into *mask; stops at the first non-digit.  A digit
 * 9 is an error, reported at its column. */
static int read_digits(const char *text, const char **p, uint16_t *mask,
                       struct glider_error *err)
{
    while (isdigit((unsigned char)**p)) {
        int d = **p - '0';
        if (d > 8)
            return glider_errorf(err, GLIDER_EPARSE,
                                 "rule '%.*s%s': column %d: neighbour "
                                 "count '%c' is more than 8",
                                 RULE_QUOTE(text), (int)(*p - text) + 1, **p);
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
                             "rule '%.*s%s': unexpected end, expected %s",
                             RULE_QUOTE(text), expected);
    return glider_errorf(err, GLIDER_EPARSE,
                         "rule '%.*s%s': column %d: unexpected '%c', "
                         "expected %s",
                         RULE_QUOTE(text), (int)(p - text) + 1, *p, expected);
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
    int lead_slash = 0; /* Golly: "/S23" is B/S23, with no other '/' */
    if (c == '/' && (toupper((unsigned char)p[1]) == 'B' ||
                     toupper((unsigned char)p[1]) == 'S')) {
        lead_slash = 1;
        c = (char)toupper((unsigned char)*++p);
    }
    if (c == 'B' || c == 'S') {
        /* B.../S... or S.../B..., slash optional.  Either half may be left
         * out, as in Golly: "B234" is B234/S and "S23" is B/S23 (Golly's
         * Life-Like/persian-rugs.lif says '#R B234'). */
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
            if (*p == '/' && lead_slash)
                return bad_char(text, p, "one '/' only", err);
            if (*p == '/' && !(seen_b && seen_s))
                p++;
            else if (*p && !(seen_b && seen_s) &&
                     toupper((unsigned char)*p) != (seen_b ? 'S' : 'B'))
                return bad_char(text, p, "'/' or a digit 0-8", err);
            else if (*p && seen_b && seen_s)
                return bad_char(text, p, "end of rule", err);
        }
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
    } else if (c == 'W' && isdigit((unsigned char)p[1])) {
        return glider_errorf(err, GLIDER_EUNSUPPORTED,
                             "rule '%.*s%s': Wolfram's one-dimensional rules "
                             "are not supported: Glider runs Life-like rules "
                             "in B/S notation",
                             RULE_QUOTE(text));
    } else {
        return bad_char(text, p, "'B', 'S' or a digit", err);
    }
    *out = r;
    return 0;
}

/* Parses a decimal in 1..GRID_MAX_DIM at *p, moving *p past all its
 * digits.  A size over the limit is quoted as written (up to DIM_QUOTE_MAX
 * digits), never as a value cut short to stop an overflow. */
static int read_dim(const char *text, const char **p, int *out,
                    struct glider_error *err)
{
    const char *start = *p;
    if (!isdigit((unsigned char)**p))
        return bad_char(text, *p, "a size", err);
    long v = 0;
    for (; isdigit((unsigned char)**p); (*p)++)
        if (v <= GRID_MAX_DIM) /* past it, the value no longer matters */
            v = v * 10 + (**p - '0');
    int len = (int)(*p - start);
    if (v == 0)
        return glider_errorf(err, GLIDER_EUNSUPPORTED,
                             "rule '%.*s%s': a bounded grid of size 0 is an "
                             "infinite strip, which Glider does not have "
                             "(only finite tori and planes)",
                             RULE_QUOTE(text));
    if (v > GRID_MAX_DIM)
        return glider_errorf(err, GLIDER_ELIMIT,
                             "rule '%.*s%s': bounded grid size %.*s%s is over "
                             "the limit of %d",
                             RULE_QUOTE(text),
                             len > DIM_QUOTE_MAX ? DIM_QUOTE_MAX : len, start,
                             len > DIM_QUOTE_MAX ? "..." : "", GRID_MAX_DIM);
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
        return glider_errorf(err, GLIDER_EPARSE, "rule '%.*s%s' is too long",
                             RULE_QUOTE(text));
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
                                 "rule '%.*s%s': the %s topology (':%c') is "
                                 "not supported; Glider has only tori (:T) "
                                 "and bounded planes (:P)",
                                 RULE_QUOTE(text), unsupported[i].name, kind);
    if (kind != 'T' && kind != 'P')
        return bad_char(text, p, "'T' (torus) or 'P' (plane) after ':'", err);
    b.present = 1;
    b.topo = kind == 'T' ? TOPO_TORUS : TOPO_PLANE;
    p++;
    if ((rc = read_dim(text, &p, &b.width, err)))
        return rc;
    if (*p == '+' || *p == '-')
        return glider_errorf(err, GLIDER_EUNSUPPORTED,
                             "rule '%.*s%s': shifted tori are not supported",
                             RULE_QUOTE(text));
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
                                 "rule '%.*s%s': shifted tori are not "
                                 "supported",
                                 RULE_QUOTE(text));
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
