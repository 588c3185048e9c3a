/* error.c - error strings and the formatting helpers of error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *glider_strerror(int code)
{
    switch (code) {
    case GLIDER_OK:
        return "success";
#define GLIDER_X_STR(c, name, msg) \
    case c:                        \
        return msg;
        GLIDER_ERRNO_MAP(GLIDER_X_STR)
#undef GLIDER_X_STR
    }
    return "unknown error";
}

/* Rewrites control characters in 'msg' as '?', so a message that quotes user
 * input stays on one line. */
static void one_line(char *msg)
{
    for (unsigned char *p = (unsigned char *)msg; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
}

int glider_errorf(struct glider_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        one_line(err->msg);
        err->code = code;
    }
    return code;
}

int glider_syserrorf(struct glider_error *err, int code, int sys_errno,
                     const char *fmt, ...)
{
    if (err) {
        char buf[128];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        /* GNU strerror_r returns the string, which may not be 'buf'. */
        const char *s = strerror_r(sys_errno, buf, sizeof buf);
        size_t n = strlen(err->msg);
        if (sys_errno) /* 0: the cause is unknown, say nothing */
            snprintf(err->msg + n, sizeof err->msg - n, ": %s", s);
        one_line(err->msg);
        err->code = code;
    }
    return code;
}

void glider_error_clear(struct glider_error *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}
