/* bench_bgolly.c - running Golly's bgolly for 'glider bench --vs-golly' and
 * carrying patterns to it and back as RLE (written here rather than with
 * engine/rle.c because bgolly needs the whole universe box with an exact
 * "#CXRLE Pos", and reading its output needs only a cell count and a box). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

const char *bench_find_bgolly(char *buf, size_t size)
{
    const char *env = getenv("GLIDER_BGOLLY");
    if (env && *env)
        return access(env, X_OK) == 0 ? env : NULL;
    static const char *const fixed[] = {"/usr/bin/bgolly", "/usr/local/bin/bgolly"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (access(fixed[i], X_OK) == 0)
            return fixed[i];
    const char *path = getenv("PATH");
    while (path && *path) {
        size_t n = strcspn(path, ":");
        snprintf(buf, size, "%.*s/bgolly", (int)n, path);
        if (n && access(buf, X_OK) == 0)
            return buf;
        path += n + (path[n] == ':');
    }
    return NULL;
}

/* Runs 'bgolly -b -q -a QuickLife -m gens -o out in' with stdout and stderr
 * in files; '*wall' gets the wall seconds around the process, '*own' its own
 * -b time from generation 0 to 'gens'.  Kills and reaps it when the bench is
 * interrupted. */
int bench_run_bgolly(const char *bgolly, const struct bench_golly_files *f,
                      uint64_t gens, double *wall, double *own,
                      struct glider_error *err)
{
    char m[32];
    snprintf(m, sizeof m, "%llu", (unsigned long long)gens);
    char *argv[] = {"bgolly", "-b", "-q", "-a", "QuickLife", "-m", m, "-o",
                    (char *)f->out, (char *)f->in, NULL};
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa))
        return glider_errorf(err, GLIDER_ENOMEM, "out of memory");
    posix_spawn_file_actions_addopen(&fa, 1, f->sout, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, f->serr, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    double t0 = cli_now();
    int e = posix_spawn(&pid, bgolly, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e)
        return glider_syserrorf(err, GLIDER_EPROC, e, "cannot start %s", bgolly);
    int status, killed = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return glider_syserrorf(err, GLIDER_EPROC, errno, "waitpid bgolly");
        if (bench_stop && !killed) {
            kill(pid, SIGKILL);
            killed = 1;
        }
    }
    *wall = cli_now() - t0;
    if (killed || bench_stop)
        return glider_errorf(err, GLIDER_EINTR, "interrupted");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[200] = "";
        FILE *fe = fopen(f->serr, "r");
        if (fe) {
            if (!fgets(msg, sizeof msg, fe))
                msg[0] = '\0';
            fclose(fe);
            msg[strcspn(msg, "\n")] = '\0';
        }
        return glider_errorf(err, GLIDER_EPROC, "bgolly -m %s failed (status %d): %s",
                             m, status, msg);
    }
    double first = -1, last = -1;
    FILE *fo = fopen(f->sout, "r");
    char line[256];
    while (fo && fgets(line, sizeof line, fo)) {
        double t;
        unsigned long long g;
        char extra;
        if (sscanf(line, "%lf %llu %c", &t, &g, &extra) == 2) {
            if (g == 0)
                first = t;
            if (g == gens)
                last = t;
        }
    }
    if (fo)
        fclose(fo);
    *own = first >= 0 && last >= 0 ? last - first : 0;
    return 0;
}

/* ---- RLE out and back ---- */

struct rle_out {
    FILE *f;
    int col; /* characters on the current line */
};

static void rle_token(struct rle_out *o, long n, char c)
{
    char tok[24];
    int len = n > 1 ? snprintf(tok, sizeof tok, "%ld%c", n, c)
                    : snprintf(tok, sizeof tok, "%c", c);
    if (o->col + len > 70) {
        fputc('\n', o->f);
        o->col = 0;
    }
    fputs(tok, o->f);
    o->col += len;
}

/* Writes all of 'g' as RLE.  'suffix' non-zero adds the bounded-grid rule
 * suffix and a "#CXRLE Pos" line putting the box exactly on Golly's grid
 * (which spans -W/2 .. W-1-W/2). */
int bench_write_rle(const char *path, const struct grid *g, const struct rule *rule,
                     int suffix, struct glider_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return glider_syserrorf(err, GLIDER_EIO, errno, "%s", path);
    char r[RULE_TEXT_MAX];
    rule_format(rule, r, sizeof r);
    fprintf(f, "#N glider bench\n");
    if (suffix)
        fprintf(f, "#CXRLE Pos=%d,%d\nx = %d, y = %d, rule = %s:%c%d,%d\n",
                -(g->width / 2), -(g->height / 2), g->width, g->height, r,
                g->topo == TOPO_TORUS ? 'T' : 'P', g->width, g->height);
    else
        fprintf(f, "x = %d, y = %d, rule = %s\n", g->width, g->height, r);
    struct rle_out o = {f, 0};
    long newlines = 0;
    for (int y = 0; y < g->height; y++) {
        if (y > 0)
            newlines++;
        int x = 0, any = 0;
        while (x < g->width) {
            int v = grid_get(g, x, y), x1 = x;
            while (x1 < g->width && grid_get(g, x1, y) == v)
                x1++;
            if (v || x1 < g->width) { /* a trailing dead run is left out */
                if (!any && newlines)
                    rle_token(&o, newlines, '$');
                if (!any)
                    newlines = 0;
                any = 1;
                rle_token(&o, x1 - x, v ? 'o' : 'b');
            }
            x = x1;
        }
    }
    rle_token(&o, 1, '!');
    fputc('\n', f);
    if (ferror(f) | fclose(f))
        return glider_syserrorf(err, GLIDER_EIO, errno, "writing %s", path);
    return 0;
}

/* Reads a two-state RLE (bgolly's output) into a grid of its box (NULL when
 * empty) and counts its cells. */
int bench_read_rle(const char *path, struct grid **out, uint64_t *pop,
                    struct glider_error *err)
{
    *out = NULL;
    *pop = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return glider_syserrorf(err, GLIDER_EIO, errno, "%s", path);
    char line[4096];
    int w = -1, h = -1, rc = 0;
    while (w < 0 && fgets(line, sizeof line, f))
        if (line[0] != '#' && sscanf(line, " x = %d , y = %d", &w, &h) != 2)
            w = -1;
    if (w < 0 || h < 0 || w > GRID_MAX_DIM || h > GRID_MAX_DIM) {
        fclose(f);
        return glider_errorf(err, GLIDER_EPARSE, "%s: no RLE header", path);
    }
    if (w > 0 && h > 0 && (rc = grid_create(out, w, h, TOPO_PLANE, err))) {
        fclose(f);
        return rc;
    }
    long n = 0, x = 0, y = 0;
    int c;
    while ((c = fgetc(f)) != EOF && c != '!') {
        if (c >= '0' && c <= '9') {
            n = n * 10 + (c - '0');
            continue;
        }
        long run = n ? n : 1;
        n = 0;
        if (c == '$') {
            y += run;
            x = 0;
        } else if (c == 'b' || c == '.') {
            x += run;
        } else if (c == 'o' || (c >= 'A' && c <= 'X')) {
            if (!*out || y >= h || x + run > w) {
                rc = glider_errorf(err, GLIDER_EPARSE, "%s: cell outside the box", path);
                break;
            }
            for (long i = 0; i < run; i++)
                grid_set(*out, (int)(x + i), (int)y, 1);
            x += run;
            *pop += (uint64_t)run;
        }
    }
    fclose(f);
    if (rc) {
        grid_destroy(*out);
        *out = NULL;
    }
    return rc;
}

int bench_golly_files_create(struct bench_golly_files *f, struct glider_error *err)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/glider-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
        return glider_syserrorf(err, GLIDER_EIO, errno, "mkdtemp %s", f->dir);
    snprintf(f->in, sizeof f->in, "%s/in.rle", f->dir);
    snprintf(f->out, sizeof f->out, "%s/out.rle", f->dir);
    snprintf(f->sout, sizeof f->sout, "%s/stdout.txt", f->dir);
    snprintf(f->serr, sizeof f->serr, "%s/stderr.txt", f->dir);
    return 0;
}

void bench_golly_files_remove(const struct bench_golly_files *f)
{
    unlink(f->in);
    unlink(f->out);
    unlink(f->sout);
    unlink(f->serr);
    rmdir(f->dir);
}
