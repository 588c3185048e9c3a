/* text_reader.c - pieces shared by the text pattern readers (see
 * text_reader.h). */
#include "text_reader.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

int text_vfail_at(struct glider_error *err, int code, const char *source,
                  int line, int col, const char *fmt, va_list ap)
{
    char msg[GLIDER_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return glider_errorf(err, code, "%s:%d:%d: %s", source, line, col, msg);
}

const char *text_show_byte(int c, char buf[16])
{
    if (c >= 0x21 && c < 0x7f)
        snprintf(buf, 16, "'%c'", c);
    else if (c == ' ')
        snprintf(buf, 16, "a space");
    else if (c == '\t')
        snprintf(buf, 16, "a tab");
    else
        snprintf(buf, 16, "byte 0x%02x", (unsigned)(unsigned char)c);
    return buf;
}

int text_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

size_t text_rtrim_len(const char *t, size_t k)
{
    while (k && text_is_blank(t[k - 1]))
        k--;
    return k;
}

const char *text_trim(const char *s, size_t *n)
{
    while (*n && text_is_blank(*s)) {
        s++;
        (*n)--;
    }
    *n = text_rtrim_len(s, *n);
    return s;
}

size_t text_bom_len(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

int text_parse_int(const char *s, size_t n, size_t *k, int64_t max,
                   int64_t *out)
{
    int neg = 0;
    if (*k < n && (s[*k] == '-' || s[*k] == '+'))
        neg = s[(*k)++] == '-';
    if (*k >= n || !isdigit((unsigned char)s[*k]))
        return -1;
    int64_t v = 0;
    while (*k < n && isdigit((unsigned char)s[*k])) {
        v = v * 10 + (s[(*k)++] - '0');
        if (v > max)
            return -2;
    }
    *out = neg ? -v : v;
    return 0;
}

int text_add_comment(struct pattern *p, const char *s, size_t n,
                     const char *source, struct glider_error *err)
{
    char *t = sys_malloc(n + 1);
    if (!t)
        return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory", source);
    memcpy(t, s, n);
    t[n] = '\0';
    struct glider_error e = {0};
    int rc = pattern_add_comment(p, t, &e);
    free(t);
    if (rc)
        return glider_errorf(err, rc, "%s: %s", source, e.msg);
    return 0;
}

int text_append(char **field, const char *s, size_t n, const char *source,
                struct glider_error *err)
{
    size_t old = *field ? strlen(*field) : 0;
    char *t = sys_realloc(*field, old + (old ? 1 : 0) + n + 1);
    if (!t)
        return glider_errorf(err, GLIDER_ENOMEM, "%s: out of memory", source);
    if (old)
        t[old++] = '\n';
    memcpy(t + old, s, n);
    t[old + n] = '\0';
    *field = t;
    return 0;
}

size_t text_line(const char *s, const char **next)
{
    size_t k = strcspn(s, "\r\n");
    if (!s[k])
        *next = NULL;
    else
        *next = s + k + (s[k] == '\r' && s[k + 1] == '\n' ? 2 : 1);
    return k;
}

int text_next_line(const char *s, size_t n, size_t *i, int *line, const char **t,
                   size_t *k)
{
    if (*i >= n)
        return 0;
    size_t a = *i, b = a;
    while (b < n && s[b] != '\n' && s[b] != '\r')
        b++;
    *i = b;
    if (*i < n && s[*i] == '\r')
        (*i)++;
    if (*i < n && s[*i] == '\n' && (*i == b || s[b] == '\r'))
        (*i)++;
    (*line)++;
    *t = s + a;
    *k = b - a;
    return 1;
}
