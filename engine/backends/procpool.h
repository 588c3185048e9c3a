/* procpool.h - a pool of forked worker processes, one socketpair each.
 *
 * The primitive under the process-pool back-end.  It forks N workers, frames
 * messages (a fixed header and a payload) in both directions, waits for
 * replies with poll(), and detects, reaps and replaces dead workers.  It knows
 * nothing about grids: each worker runs a handler its owner supplies, on a
 * context the owner filled in *before* the fork (the child works on its
 * copy-on-write snapshot, and on whatever MAP_SHARED memory existed then).
 *
 * What a child does, and nothing more (so it does not matter which locks other
 * threads of the parent held at fork time): PR_SET_PDEATHSIG(SIGKILL), a
 * getppid() check, default signal dispositions (SIGINT and SIGPIPE ignored),
 * an empty signal mask, close every descriptor but 0-2 and its own socket,
 * then loop { read a request; call the handler; write the reply } and _exit()
 * on EOF.  No malloc, no stdio, no locks, no atexit handlers, no SDL.  Every
 * buffer the child uses is allocated by the parent before the fork.
 *
 * Layout of one message, either direction: struct procpool_msg, then 'len'
 * payload bytes.  Requests are at most 'incap' bytes of payload, replies at
 * most 'outcap' (fixed at procpool_start).
 *
 * Not thread-safe: one thread drives a pool.  Fork happens only in
 * procpool_start and procpool_spawn, i.e. on that thread. */
#ifndef GLIDER_PROCPOOL_H
#define GLIDER_PROCPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../error.h"

#define PROCPOOL_MAGIC 0x474c4450u /* "GLDP" */

/* Exit codes of a worker that ends itself (anything else is a crash). */
#define PROCPOOL_EXIT_OK 0        /* EOF on its socket: the parent closed it */
#define PROCPOOL_EXIT_ORPHAN 90   /* the parent was gone before it started */
#define PROCPOOL_EXIT_PROTO 91    /* malformed or oversized request */
#define PROCPOOL_EXIT_HANDLER 92  /* the handler refused the request */
#define PROCPOOL_EXIT_TEST 93     /* PROCPOOL_TEST_EXIT was asked for */

/* Test actions carried by a request (procpool_test_inject). */
enum procpool_test {
    PROCPOOL_TEST_NONE,
    PROCPOOL_TEST_EXIT,  /* run the handler, then _exit without replying */
    PROCPOOL_TEST_STALL  /* block forever before the handler (until killed) */
};

struct procpool_msg {
    uint32_t magic; /* PROCPOOL_MAGIC */
    uint32_t test;  /* request only: enum procpool_test */
    uint64_t len;   /* payload bytes that follow */
};

/* Runs in the worker for each request: 'in' holds 'inlen' bytes; writes the
 * reply into 'out' (capacity 'outcap') and returns its length, or -1 to make
 * the worker exit (the parent then sees it die).  Must stay within the child
 * discipline above. */
typedef long (*procpool_handler)(void *ctx, const void *in, size_t inlen,
                                 void *out, size_t outcap);

struct procpool_worker {
    pid_t pid; /* 0: empty slot (not started, or dead and reaped) */
    int fd;    /* parent's end of the socketpair, -1 when empty */
};

/* One shared file-backed mapping of the parent (anonymous MAP_SHARED memory
 * is a shmem file with an inode of its own) as /proc/self/maps showed it. */
struct procpool_map {
    uintptr_t start, end; /* [start, end) */
    unsigned long dev;    /* major << 20 | minor */
    unsigned long ino;    /* unique per shared mapping object */
};

struct procpool {
    int n;                     /* worker slots */
    struct procpool_worker *w; /* n slots */
    struct pollfd *pfd;        /* poll scratch, n entries */
    int *pslot;                /* slot of each pfd entry */
    procpool_handler handler;  /* run in the children */
    void *ctx;                 /* its context, snapshotted by each fork */
    void *inbuf, *outbuf;      /* request/reply buffers; the children use their
                                * copies, the parent uses its own as staging */
    size_t incap, outcap;      /* their capacities (payload bytes) */
    pid_t parent;              /* getpid() of the parent, checked by children */
    pid_t fork_tid;            /* thread that forks: PDEATHSIG follows it */
    long spawned;              /* successful forks since start */
    long buried;               /* workers reaped after dying or being killed */
    uint64_t bytes_out;        /* bytes written to workers, headers included */
    uint64_t bytes_in;         /* bytes read from workers, headers included */
    int last_status;           /* wait status of the last worker buried */
    pid_t last_pid;            /* and its pid */
    struct procpool_map *maps; /* shared mappings just before the first
                                * fork: every worker, even one forked later,
                                * inherited those still alive */
    int nmaps;                 /* entries in 'maps' (-1: /proc unreadable) */
    int test_action;           /* enum procpool_test for matching requests */
    int test_slot;             /* slot it applies to, -1 = any */
    long test_left;            /* requests still to carry it */
};

/* Allocates the buffers and forks 'n' workers (1..BACKEND_MAX_THREADS).
 * 'p' is caller storage; 'ctx' must stay valid while the pool runs (the
 * children see the copy taken when each was forked).  On failure every worker
 * already started is killed and reaped, every buffer freed, 'p' is zeroed and
 * 'err' names the call that failed (GLIDER_EPROC, or GLIDER_ENOMEM). */
int procpool_start(struct procpool *p, int n, procpool_handler handler,
                   void *ctx, size_t incap, size_t outcap,
                   struct glider_error *err);

/* Kills (SIGKILL: workers hold nothing worth flushing, and one may be deep in a
 * long band), reaps every worker, closes every socket, frees the buffers and
 * zeroes 'p'.  Safe on a zeroed or already stopped pool. */
void procpool_stop(struct procpool *p);

/* Non-zero when [addr, addr + len) lies in a shared mapping that existed
 * when the pool started and is still the same object now (same device, inode
 * and bounds in /proc/self/maps): then every worker sees exactly the parent's
 * bytes there.  0 when not, or when it cannot be told. */
int procpool_inherited(const struct procpool *p, const void *addr, size_t len);

/* Forks a worker into empty slot 'i'.  GLIDER_EPROC on failure; the slot
 * stays empty and nothing is leaked. */
int procpool_spawn(struct procpool *p, int i, struct glider_error *err);

/* The worker in slot 'i' is dead or must go: SIGKILL it (harmless when it has
 * already exited), reap it, close its socket, empty the slot.  Returns its
 * wait status (also kept in last_status/last_pid). */
int procpool_bury(struct procpool *p, int i);

/* Non-blocking check of slot 'i': when its worker has exited, reaps it and
 * empties the slot and returns 1; 0 when it is running or the slot was
 * already empty. */
int procpool_reap_if_dead(struct procpool *p, int i);

/* Sends one request (payload 'a' then 'b', either may be empty) to slot 'i'.
 * 0, or -errno: -EPIPE / -ECONNRESET mean the worker is dead.  Never raises
 * SIGPIPE (MSG_NOSIGNAL). */
int procpool_send(struct procpool *p, int i, const void *a, size_t alen,
                  const void *b, size_t blen);

/* Blocks until one of the slots with busy[i] != 0 is readable (a reply, or
 * EOF from a dead worker) and stores it in *slot.  0, or -errno (-EINVAL when
 * no slot is busy). */
int procpool_wait(struct procpool *p, const unsigned char *busy, int *slot);

/* Reads one whole reply from slot 'i' into p->outbuf; *len = its length.
 * 0, -EPIPE on EOF (the worker died), -EPROTO on a malformed header. */
int procpool_recv(struct procpool *p, int i, size_t *len);

/* Describes a wait status: "exited with status 3", "killed by signal 9
 * (Killed)". */
void procpool_describe(int status, char *buf, size_t size);

/* ---- test hooks -------------------------------------------------------- */

/* The next 'count' requests sent to slot 'slot' (-1: to any slot), whichever
 * process is in it by then, carry 'action'.  count = 0 disarms. */
void procpool_test_inject(struct procpool *p, int slot, enum procpool_test action,
                          long count);

/* The process-pool back-end's state begins with its struct procpool (a static
 * assertion in process_pool.c keeps it so): tests holding the opaque state
 * from backend_process_pool.create reach the pool through this. */
struct procpool *procpool_of_backend(void *state);

/* pid of the worker in slot 'i' (0 when empty or out of range). */
pid_t procpool_pid(const struct procpool *p, int i);

#endif
