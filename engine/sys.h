/* sys.h - the operating-system calls that can fail under load: starting a
 * thread, forking, making a pipe, mapping shared memory and allocating.
 *
 * Every back-end goes through these wrappers instead of calling pthread_create,
 * fork, socketpair, mmap or malloc directly, the way sqlite routes its system
 * calls through one overridable table.  In test builds (GLIDER_FAULT_INJECTION
 * defined) a test can make the Nth call of a kind fail with a chosen errno, and
 * so check every failure path.  In normal builds the wrappers are thin. */
#ifndef GLIDER_SYS_H
#define GLIDER_SYS_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

enum sys_op {
    SYS_OP_THREAD, /* sys_thread_create */
    SYS_OP_FORK,   /* sys_fork */
    SYS_OP_PIPE,   /* sys_pipe, sys_socketpair */
    SYS_OP_MMAP,   /* sys_mmap_shared */
    SYS_OP_MALLOC, /* sys_malloc, sys_calloc, sys_realloc */
    SYS_OP_COUNT
};

/* pthread_create; returns 0 or an error number (not -1/errno), like pthread.
 * 'stack_size' 0 means the default.  The new thread starts with every
 * blockable signal blocked: the engine's threads never run a signal handler,
 * so a signal meant for the process (Ctrl-C) reaches the thread that drives
 * the simulation, or the program's own, however many threads a back-end has
 * started - and is never lost with a short-lived thread that exits before
 * handling it (as ThreadSanitizer's deferred delivery can). */
int sys_thread_create(pthread_t *thread, size_t stack_size,
                      void *(*fn)(void *), void *arg);

/* Blocks every blockable signal in the calling thread until the matching
 * sys_signals_restore (the pairs nest), so that the threads it starts
 * meanwhile need no mask changes of their own: what a back-end that starts
 * many threads in a row (thread-per-cell) brackets its fan-out with.  A
 * signal that arrives meanwhile stays pending and is handled on restore. */
void sys_signals_block(void);
void sys_signals_restore(void);
/* Inside a sys_signals_block bracket: when a signal the caller's own mask
 * lets through is pending, unblocks for a moment so that its handler runs
 * now (a fan-out that checks a cancel flag the handler sets); else one
 * sigpending() call and nothing. */
void sys_signals_poll(void);

/* fork(); -1 with errno set on failure. */
pid_t sys_fork(void);

/* pipe2(fds, O_CLOEXEC) / socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC);
 * -1 with errno set on failure.  sys_socketpair never returns descriptors
 * 0-2 (moved up when stdin, stdout or stderr was closed). */
int sys_pipe(int fds[2]);
int sys_socketpair(int fds[2]);

/* An anonymous MAP_SHARED mapping of 'len' bytes, zero-filled, shared with
 * children forked later.  NULL with errno set on failure.  Free with
 * sys_munmap. */
void *sys_mmap_shared(size_t len);
void sys_munmap(void *p, size_t len);

/* malloc, calloc and realloc; NULL on failure (errno ENOMEM). */
void *sys_malloc(size_t n);
void *sys_calloc(size_t count, size_t size);
void *sys_realloc(void *p, size_t n);

/* Number of online CPUs, at least 1. */
int sys_ncpus(void);

#ifdef GLIDER_FAULT_INJECTION
/* Makes the 'nth' call of kind 'op' from now on (1 = the very next one) fail
 * with 'err' (an errno value), once.  nth = 0 disarms.  'sticky' non-zero makes
 * every call from the nth on fail until disarmed. */
void sys_fault_arm(enum sys_op op, long nth, int err, int sticky);
void sys_fault_disarm_all(void);
/* Calls of kind 'op' made since the process started. */
long sys_fault_calls(enum sys_op op);
#endif

#endif
