/* procpool.c - forked workers on socketpairs (see procpool.h).
 *
 * Sections: the worker side (runs in the child, async-signal-safe calls
 * only), spawning and burying, framed I/O for the parent, test hooks. */
#include "procpool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sys.h"

/* ---- framed I/O (both sides) ------------------------------------------- */

/* Reads exactly 'n' bytes.  0, 1 on EOF before the first byte, -EPIPE on EOF
 * in the middle, -errno on error. */
static int read_full(int fd, void *buf, size_t n)
{
    char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r > 0) {
            got += (size_t)r;
        } else if (r == 0) {
            return got == 0 ? 1 : -EPIPE;
        } else if (errno != EINTR) {
            return errno == ECONNRESET ? -EPIPE : -errno;
        }
    }
    return 0;
}

/* Writes header + a + b with sendmsg(MSG_NOSIGNAL), resuming after partial
 * writes.  0 or -errno. */
static int send_all(int fd, const struct procpool_msg *h, const void *a,
                    size_t alen, const void *b, size_t blen)
{
    struct iovec iov[3] = {
        {(void *)h, sizeof *h}, {(void *)a, alen}, {(void *)b, blen}};
    struct iovec *v = iov;
    int nv = 3;
    while (nv > 0) {
        if (v->iov_len == 0) {
            v++, nv--;
            continue;
        }
        struct msghdr m = {.msg_iov = v, .msg_iovlen = (size_t)nv};
        ssize_t r = sendmsg(fd, &m, MSG_NOSIGNAL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno == ECONNRESET ? -EPIPE : -errno;
        }
        size_t left = (size_t)r;
        while (nv > 0 && left >= v->iov_len) {
            left -= v->iov_len;
            v++, nv--;
        }
        if (nv > 0) {
            v->iov_base = (char *)v->iov_base + left;
            v->iov_len -= left;
        }
    }
    return 0;
}

/* ---- the worker (child side) ------------------------------------------- */

/* Puts the freshly forked child into a known state: dies with the thread
 * that forked it, default signal handling, and no descriptor but 0-2 and its
 * socket (moved to 3).  Then serves requests until EOF.  Never returns. */
static void worker_main(struct procpool *p, int fd)
{
    /* Die with the parent.  The parent might already have gone between fork
     * and prctl, in which case nobody would send the signal: check. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != p->parent)
        _exit(PROCPOOL_EXIT_ORPHAN);

    /* The parent's handlers would run here on the parent's data: drop them.
     * SIGINT is ignored because a terminal's Ctrl-C reaches the whole
     * process group; the parent decides, and its death takes us along. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++)
        if (s != SIGKILL && s != SIGSTOP)
            sigaction(s, &sa, NULL); /* EINVAL for reserved ones: fine */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* Other workers' sockets, the viewer's descriptors...: not ours.  Holding
     * a sibling's parent-side end would also hide the parent's EOF. */
    if (fd != 3) {
        if (dup2(fd, 3) < 0)
            _exit(PROCPOOL_EXIT_ORPHAN);
        fd = 3;
    }
    close_range(4, ~0u, 0);

    for (;;) {
        struct procpool_msg h;
        int rc = read_full(fd, &h, sizeof h);
        if (rc == 1)
            _exit(PROCPOOL_EXIT_OK);
        if (rc < 0 || h.magic != PROCPOOL_MAGIC || h.len > p->incap)
            _exit(PROCPOOL_EXIT_PROTO);
        if (read_full(fd, p->inbuf, (size_t)h.len) != 0)
            _exit(PROCPOOL_EXIT_PROTO);
        if (h.test == PROCPOOL_TEST_STALL)
            for (;;)
                pause();
        long n = p->handler(p->ctx, p->inbuf, (size_t)h.len, p->outbuf,
                            p->outcap);
        if (n < 0 || (size_t)n > p->outcap)
            _exit(PROCPOOL_EXIT_HANDLER);
        if (h.test == PROCPOOL_TEST_EXIT)
            _exit(PROCPOOL_EXIT_TEST);
        struct procpool_msg r = {PROCPOOL_MAGIC, 0, (uint64_t)n};
        if (send_all(fd, &r, p->outbuf, (size_t)n, NULL, 0) != 0)
            _exit(PROCPOOL_EXIT_OK); /* parent gone */
    }
}

/* ---- spawning and burying (parent side) -------------------------------- */

int procpool_spawn(struct procpool *p, int i, struct glider_error *err)
{
    int sv[2];
    if (sys_socketpair(sv) != 0) {
        int e = errno;
        return glider_syserrorf(err, GLIDER_EPROC, e,
                                "process-pool: socketpair for worker %d", i);
    }
    pid_t pid = sys_fork();
    if (pid < 0) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        return glider_syserrorf(err, GLIDER_EPROC, e,
                                "process-pool: fork of worker %d", i);
    }
    if (pid == 0) {
        close(sv[0]);
        worker_main(p, sv[1]);
    }
    close(sv[1]);
    p->w[i].pid = pid;
    p->w[i].fd = sv[0];
    p->spawned++;
    return 0;
}

int procpool_bury(struct procpool *p, int i)
{
    struct procpool_worker *w = &p->w[i];
    int status = 0;
    if (w->pid > 0) {
        /* It is still our unreaped child, so the pid cannot have been
         * recycled: the kill cannot hit a stranger. */
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
            ;
        p->last_pid = w->pid;
        p->last_status = status;
        p->buried++;
    }
    if (w->fd >= 0)
        close(w->fd);
    w->pid = 0;
    w->fd = -1;
    return status;
}

int procpool_reap_if_dead(struct procpool *p, int i)
{
    struct procpool_worker *w = &p->w[i];
    int status;
    if (w->pid <= 0)
        return 0;
    pid_t r;
    while ((r = waitpid(w->pid, &status, WNOHANG)) < 0 && errno == EINTR)
        ;
    if (r != w->pid)
        return 0;
    p->last_pid = w->pid;
    p->last_status = status;
    p->buried++;
    w->pid = 0;
    close(w->fd);
    w->fd = -1;
    return 1;
}

/* ---- which shared mappings the workers have ---------------------------- */

/* Reads the parent's shared file-backed mappings (inode != 0, 's' in the
 * permissions) from /proc/self/maps into a new array.  Returns the count, or
 * -1 (and *out NULL) when /proc cannot be read or memory runs out. */
static int read_shared_maps(struct procpool_map **out)
{
    *out = NULL;
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        return -1;
    struct procpool_map *v = NULL;
    int n = 0, cap = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long start, end, off, maj, min, ino;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s %lx %lx:%lx %lu", &start, &end, perms,
                   &off, &maj, &min, &ino) != 7 ||
            ino == 0 || strlen(perms) < 4 || perms[3] != 's')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            struct procpool_map *nv = sys_realloc(v, (size_t)cap * sizeof *v);
            if (!nv) {
                free(v);
                fclose(f);
                return -1;
            }
            v = nv;
        }
        v[n++] = (struct procpool_map){start, end, maj << 20 | min, ino};
    }
    fclose(f);
    *out = v;
    return n;
}

static const struct procpool_map *find_map(const struct procpool_map *v, int n,
                                           uintptr_t a, uintptr_t b)
{
    for (int i = 0; i < n; i++)
        if (v[i].start <= a && b <= v[i].end)
            return &v[i];
    return NULL;
}

int procpool_inherited(const struct procpool *p, const void *addr, size_t len)
{
    uintptr_t a = (uintptr_t)addr, b = a + len;
    if (p->nmaps <= 0 || !find_map(p->maps, p->nmaps, a, b))
        return 0;
    struct procpool_map *now;
    int n = read_shared_maps(&now);
    const struct procpool_map *then = find_map(p->maps, p->nmaps, a, b);
    const struct procpool_map *cur = n > 0 ? find_map(now, n, a, b) : NULL;
    int same = cur && cur->start == then->start && cur->end == then->end &&
               cur->dev == then->dev && cur->ino == then->ino;
    free(now);
    return same;
}

/* ---- allocation ---------------------------------------------------------- */

/* Allocates what the children will use; the parent never reallocates them
 * while workers run, so their copies stay valid. */
static int alloc_buffers(struct procpool *p, int n, size_t incap,
                         size_t outcap)
{
    p->w = sys_calloc((size_t)n, sizeof *p->w);
    p->pfd = sys_calloc((size_t)n, sizeof *p->pfd);
    p->pslot = sys_calloc((size_t)n, sizeof *p->pslot);
    p->inbuf = sys_malloc(incap ? incap : 1);
    p->outbuf = sys_malloc(outcap ? outcap : 1);
    if (!p->w || !p->pfd || !p->pslot || !p->inbuf || !p->outbuf)
        return -1;
    for (int i = 0; i < n; i++)
        p->w[i].fd = -1;
    return 0;
}

static void free_buffers(struct procpool *p)
{
    free(p->maps);
    free(p->w);
    free(p->pfd);
    free(p->pslot);
    free(p->inbuf);
    free(p->outbuf);
}

int procpool_start(struct procpool *p, int n, procpool_handler handler,
                   void *ctx, size_t incap, size_t outcap,
                   struct glider_error *err)
{
    memset(p, 0, sizeof *p);
    if (n < 1 || !handler)
        return glider_errorf(err, GLIDER_EINVAL,
                             "process-pool: need at least one worker");
    if (alloc_buffers(p, n, incap, outcap) != 0) {
        free_buffers(p);
        memset(p, 0, sizeof *p);
        return glider_errorf(err, GLIDER_ENOMEM,
                             "process-pool: out of memory for %d workers "
                             "(%zu + %zu bytes of buffers)",
                             n, incap, outcap);
    }
    p->n = n;
    p->handler = handler;
    p->ctx = ctx;
    p->incap = incap;
    p->outcap = outcap;
    p->parent = getpid();
    p->fork_tid = gettid();
    p->test_slot = -1;
    /* Before the first fork: whatever is listed and still alive later was
     * inherited by every worker, including ones forked after this. */
    p->nmaps = read_shared_maps(&p->maps);
    for (int i = 0; i < n; i++) {
        int rc = procpool_spawn(p, i, err);
        if (rc) {
            procpool_stop(p);
            return rc;
        }
    }
    return 0;
}

void procpool_stop(struct procpool *p)
{
    if (p->w) {
        /* Close every socket (a worker between requests sees EOF) and signal
         * every worker before reaping any, so that they die in parallel. */
        for (int i = 0; i < p->n; i++) {
            if (p->w[i].fd >= 0) {
                close(p->w[i].fd);
                p->w[i].fd = -1;
            }
            if (p->w[i].pid > 0)
                kill(p->w[i].pid, SIGKILL);
        }
        for (int i = 0; i < p->n; i++)
            procpool_bury(p, i);
    }
    free_buffers(p);
    memset(p, 0, sizeof *p);
}

/* ---- requests and replies (parent side) -------------------------------- */

int procpool_send(struct procpool *p, int i, const void *a, size_t alen,
                  const void *b, size_t blen)
{
    struct procpool_msg h = {PROCPOOL_MAGIC, 0, (uint64_t)(alen + blen)};
    if (p->w[i].fd < 0)
        return -EPIPE;
    if (p->test_left > 0 && (p->test_slot < 0 || p->test_slot == i)) {
        h.test = (uint32_t)p->test_action;
        p->test_left--;
    }
    int rc = send_all(p->w[i].fd, &h, a, alen, b, blen);
    if (rc == 0)
        p->bytes_out += sizeof h + alen + blen;
    return rc;
}

int procpool_wait(struct procpool *p, const unsigned char *busy, int *slot)
{
    int n = 0;
    for (int i = 0; i < p->n; i++)
        if (busy[i] && p->w[i].fd >= 0) {
            p->pfd[n] = (struct pollfd){.fd = p->w[i].fd, .events = POLLIN};
            p->pslot[n++] = i;
        }
    if (n == 0)
        return -EINVAL;
    for (;;) {
        int r = poll(p->pfd, (nfds_t)n, -1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        for (int k = 0; k < n; k++)
            if (p->pfd[k].revents) {
                *slot = p->pslot[k];
                return 0;
            }
    }
}

int procpool_recv(struct procpool *p, int i, size_t *len)
{
    struct procpool_msg h;
    int fd = p->w[i].fd;
    if (fd < 0)
        return -EPIPE;
    int rc = read_full(fd, &h, sizeof h);
    if (rc == 1)
        return -EPIPE;
    if (rc)
        return rc;
    if (h.magic != PROCPOOL_MAGIC || h.len > p->outcap)
        return -EPROTO;
    if ((rc = read_full(fd, p->outbuf, (size_t)h.len)) != 0)
        return rc == 1 ? -EPIPE : rc;
    p->bytes_in += sizeof h + h.len;
    *len = (size_t)h.len;
    return 0;
}

void procpool_describe(int status, char *buf, size_t size)
{
    if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else if (WIFEXITED(status))
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    else
        snprintf(buf, size, "wait status 0x%x", status);
}

/* ---- test hooks -------------------------------------------------------- */

void procpool_test_inject(struct procpool *p, int slot, enum procpool_test action,
                          long count)
{
    p->test_slot = slot;
    p->test_action = (int)action;
    p->test_left = count > 0 ? count : 0;
}

struct procpool *procpool_of_backend(void *state)
{
    return state;
}

pid_t procpool_pid(const struct procpool *p, int i)
{
    return i >= 0 && i < p->n ? p->w[i].pid : 0;
}
