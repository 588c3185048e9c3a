/* sys.c - thin wrappers over thread, process, pipe, mapping and allocation
 * calls, with optional fault injection for tests (see sys.h). */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef GLIDER_FAULT_INJECTION
#include <stdatomic.h>

struct fault {
    atomic_long calls;  /* calls made so far */
    atomic_long fail_at; /* call number that fails, 0 = disarmed */
    atomic_int err;     /* errno to fail with */
    atomic_int sticky;  /* fail every call from 'fail_at' on */
};

static struct fault faults[SYS_OP_COUNT];

void sys_fault_arm(enum sys_op op, long nth, int err, int sticky)
{
    long now = atomic_load(&faults[op].calls);
    atomic_store(&faults[op].err, err);
    atomic_store(&faults[op].sticky, sticky);
    atomic_store(&faults[op].fail_at, nth > 0 ? now + nth : 0);
}

void sys_fault_disarm_all(void)
{
    for (int i = 0; i < SYS_OP_COUNT; i++)
        atomic_store(&faults[i].fail_at, 0);
}

long sys_fault_calls(enum sys_op op)
{
    return atomic_load(&faults[op].calls);
}

/* Counts a call of kind 'op'; returns the errno to fail with, or 0. */
static int fault_hit(enum sys_op op)
{
    long n = atomic_fetch_add(&faults[op].calls, 1) + 1;
    long at = atomic_load(&faults[op].fail_at);
    if (at == 0)
        return 0;
    if (n == at || (atomic_load(&faults[op].sticky) && n > at))
        return atomic_load(&faults[op].err);
    return 0;
}
#else
static inline int fault_hit(enum sys_op op)
{
    (void)op;
    return 0;
}
#endif

/* The calling thread's sys_signals_block depth, and the mask to restore. */
static _Thread_local int signals_blocked;
static _Thread_local sigset_t signals_saved;

void sys_signals_block(void)
{
    if (signals_blocked++ == 0) {
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &signals_saved);
    }
}

void sys_signals_restore(void)
{
    if (signals_blocked > 0 && --signals_blocked == 0)
        pthread_sigmask(SIG_SETMASK, &signals_saved, NULL);
}

void sys_signals_poll(void)
{
    if (signals_blocked == 0)
        return;
    sigset_t pending;
    if (sigpending(&pending) != 0)
        return;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sigismember(&pending, sig) == 1 &&
            sigismember(&signals_saved, sig) == 0) {
            sigset_t all;
            sigfillset(&all);
            pthread_sigmask(SIG_SETMASK, &signals_saved, NULL);
            pthread_sigmask(SIG_BLOCK, &all, NULL);
            return;
        }
    }
}

static int thread_create(pthread_t *thread, size_t stack_size,
                         void *(*fn)(void *), void *arg)
{
    if (stack_size == 0)
        return pthread_create(thread, NULL, fn, arg);
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc)
        return rc;
    rc = pthread_attr_setstacksize(&attr, stack_size);
    if (rc == 0)
        rc = pthread_create(thread, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return rc;
}

int sys_thread_create(pthread_t *thread, size_t stack_size,
                      void *(*fn)(void *), void *arg)
{
    int rc = fault_hit(SYS_OP_THREAD);
    if (rc)
        return rc;
    /* The new thread inherits the creator's mask. */
    sys_signals_block();
    rc = thread_create(thread, stack_size, fn, arg);
    sys_signals_restore();
    return rc;
}

pid_t sys_fork(void)
{
    int e = fault_hit(SYS_OP_FORK);
    if (e) {
        errno = e;
        return -1;
    }
    return fork();
}

int sys_pipe(int fds[2])
{
    int e = fault_hit(SYS_OP_PIPE);
    if (e) {
        errno = e;
        return -1;
    }
    return pipe2(fds, O_CLOEXEC);
}

int sys_socketpair(int fds[2])
{
    int e = fault_hit(SYS_OP_PIPE);
    if (e) {
        errno = e;
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return -1;
    /* Never descriptors 0-2: a process started with stdin closed would
     * otherwise hand one of them to every later child as its stdin. */
    for (int i = 0; i < 2; i++) {
        if (fds[i] > 2)
            continue;
        int moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
        int saved = errno;
        close(fds[i]);
        fds[i] = moved;
        if (moved < 0) {
            if (fds[1 - i] >= 0)
                close(fds[1 - i]);
            errno = saved;
            return -1;
        }
    }
    return 0;
}

void *sys_mmap_shared(size_t len)
{
    int e = fault_hit(SYS_OP_MMAP);
    if (e) {
        errno = e;
        return NULL;
    }
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void sys_munmap(void *p, size_t len)
{
    if (p)
        munmap(p, len);
}

void *sys_malloc(size_t n)
{
    int e = fault_hit(SYS_OP_MALLOC);
    if (e) {
        errno = e;
        return NULL;
    }
    return malloc(n);
}

void *sys_calloc(size_t count, size_t size)
{
    int e = fault_hit(SYS_OP_MALLOC);
    if (e) {
        errno = e;
        return NULL;
    }
    return calloc(count, size);
}

void *sys_realloc(void *p, size_t n)
{
    int e = fault_hit(SYS_OP_MALLOC);
    if (e) {
        errno = e;
        return NULL;
    }
    return realloc(p, n);
}

int sys_ncpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 1024 ? 1024 : (int)n);
}
