/* error.h - Glider's error codes and the error record that carries context.
 *
 * Every function that can fail returns 0 or a negative GLIDER_E* code and,
 * when the caller passes a 'struct glider_error', fills in a one-line message
 * that starts with the place ("file:line:col: ") where there is one.  There is
 * no global last-error string: threads share the engine. */
#ifndef GLIDER_ERROR_H
#define GLIDER_ERROR_H

#include <stddef.h>

/* X-macro: code, name, default message.  The enum and glider_strerror() are
 * both generated from this one list. */
#define GLIDER_ERRNO_MAP(X)                                                  \
    X(-1, EINVAL, "invalid argument")                                        \
    X(-2, ENOMEM, "out of memory")                                           \
    X(-3, EIO, "input/output error")                                         \
    X(-4, EPARSE, "malformed input")                                         \
    X(-5, ELIMIT, "limit exceeded")                                          \
    X(-6, ETHREAD, "could not start a thread")                               \
    X(-7, EPROC, "could not start or keep a worker process")                 \
    X(-8, ENOTFOUND, "not found")                                            \
    X(-9, EUNSUPPORTED, "not supported")                                     \
    X(-10, EINTR, "interrupted")

enum glider_errno {
    GLIDER_OK = 0,
#define GLIDER_X_ENUM(code, name, msg) GLIDER_##name = (code),
    GLIDER_ERRNO_MAP(GLIDER_X_ENUM)
#undef GLIDER_X_ENUM
};

#define GLIDER_ERROR_MSG_MAX 512

struct glider_error {
    int code;                        /* last code set, 0 when none */
    char msg[GLIDER_ERROR_MSG_MAX];  /* one line, no trailing newline */
};

/* Returns a static string describing 'code'. */
const char *glider_strerror(int code);

/* Formats a message into 'err' (which may be NULL) and returns 'code', so a
 * failing function can write 'return glider_errorf(err, GLIDER_EINVAL, ...)'. */
int glider_errorf(struct glider_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like glider_errorf, but appends ": <strerror(sys_errno)>" (nothing when
 * 'sys_errno' is 0). */
int glider_syserrorf(struct glider_error *err, int code, int sys_errno,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Clears 'err' (may be NULL). */
void glider_error_clear(struct glider_error *err);

#endif
