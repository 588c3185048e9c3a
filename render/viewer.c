/* viewer.c - 'glider view': builds the sim, starts its thread, then runs the
 * window, or the terminal view when there is no display (or --headless).
 * Also the actions both front ends bind to keys. */
#include "viewer.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../engine/kernel.h"

static const double speeds[] = {1, 2, 5, 10, 15, 30, 60, 120, 250, 500, 1000,
                                2000, 5000, 0};

int viewer_speed_count(void)
{
    return (int)(sizeof speeds / sizeof speeds[0]);
}

double viewer_speed(int index)
{
    if (index < 0)
        index = 0;
    if (index >= viewer_speed_count())
        index = viewer_speed_count() - 1;
    return speeds[index];
}

int viewer_speed_index(double speed)
{
    int n = viewer_speed_count();
    if (speed <= 0)
        return n - 1;
    int best = 0;
    for (int i = 1; i < n - 1; i++)
        if ((speeds[i] > speed ? speeds[i] - speed : speed - speeds[i]) <
            (speeds[best] > speed ? speeds[best] - speed : speed - speeds[best]))
            best = i;
    return best;
}

uint64_t viewer_send(struct viewer_ctx *v, enum sim_cmd_kind kind, int a)
{
    struct sim_cmd c = {.kind = kind, .a = a};
    return simthread_send(v->sim, &c);
}

void viewer_faster(struct viewer_ctx *v, int dir)
{
    int i = v->speed_index + dir;
    if (i < 0 || i >= viewer_speed_count())
        return;
    v->speed_index = i;
    struct sim_cmd c = {.kind = SIMCMD_SPEED, .d = viewer_speed(i)};
    simthread_send(v->sim, &c);
}

void viewer_soup(struct viewer_ctx *v)
{
    struct sim_cmd c = {.kind = SIMCMD_SOUP, .d = v->density, .seed = v->seed++};
    simthread_send(v->sim, &c);
}

void viewer_save(struct viewer_ctx *v)
{
    /* a = 1: two saves within a second get "-2", "-3"... rather than
     * overwriting the first. */
    struct sim_cmd c = {.kind = SIMCMD_SAVE, .a = 1};
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(c.text, sizeof c.text, "glider-%Y%m%d-%H%M%S.json", &tm);
    simthread_send(v->sim, &c);
}

void viewer_load(struct viewer_ctx *v, const char *path)
{
    struct sim_cmd c = {.kind = SIMCMD_LOAD};
    snprintf(c.text, sizeof c.text, "%s", path);
    simthread_send(v->sim, &c);
}

int viewer_reload(struct viewer_ctx *v, const struct snapshot *s,
                  const char *how)
{
    const char *path = s->path[0] ? s->path : v->o->pattern;
    if (!path || strcmp(path, "-") == 0) {
        /* Through the sim thread, so every front end shows it. */
        struct sim_cmd c = {.kind = SIMCMD_NOTE, .a = 1};
        snprintf(c.text, sizeof c.text, "no file to reload: %s; %s",
                 path ? "standard input is read only once"
                      : "this universe did not come from a file", how);
        simthread_send(v->sim, &c);
        return -1;
    }
    viewer_load(v, path);
    return 0;
}

/* --screenshot is written at the end, after every frame: check now that it
 * can be, rather than fail after the whole run.  Only BMP is written (SDL2
 * saves nothing else without SDL_image), so a name that promises another
 * format is refused.  Returns 0, or an error code with 'err' filled. */
static int check_screenshot(const char *path, struct glider_error *err)
{
    size_t n = strlen(path);
    if (n < 5 || strcasecmp(path + n - 4, ".bmp") != 0)
        return glider_errorf(err, GLIDER_EINVAL, "--screenshot %s: screenshots "
                             "are BMP files: give a name ending in .bmp", path);
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (access(dir, W_OK) != 0) {
        int e = errno;
        return glider_syserrorf(err, GLIDER_EIO, e, "--screenshot %s: cannot "
                                "write in %s", path, dir);
    }
    return 0;
}

int cmd_view(const struct cli_opts *o)
{
    struct glider_error err = {0};
    struct viewer_ctx v;
    memset(&v, 0, sizeof v);
    v.o = o;
    v.seed = o->seed + 1;
    v.density = o->soup > 0 ? o->soup : VIEWER_SOUP_DENSITY;
    v.kernel = kernel_active()->name;
    double speed = o->speed >= 0 ? o->speed : VIEWER_DEFAULT_SPEED;
    v.speed_index = viewer_speed_index(speed);

    if ((o->screenshot && check_screenshot(o->screenshot, &err)) ||
        (o->script && script_load(o->script, &v.script, &err))) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return 2;
    }
    struct sim *s;
    struct pattern *text;
    int rc = cli_make_sim(o, 1, &s, v.name, sizeof v.name, &text, &err);
    if (rc) {
        fprintf(stderr, "glider: %s\n", err.msg);
        script_destroy(v.script);
        return cli_exit_code(rc);
    }
    /* The sim thread (and the back-end threads it starts) must not take the
     * terminal's signals: block them while it starts, it inherits the mask. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGWINCH);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    rc = simthread_start(&v.sim, s, text, !o->paused, speed, &err);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc) {
        fprintf(stderr, "glider: %s\n", err.msg);
        script_destroy(v.script);
        return cli_exit_code(rc);
    }

    int status;
    const char *why = NULL;
    if (o->headless || (status = view_window(&v, &why)) < 0) {
        if (why)
            fprintf(stderr, "glider: cannot open a window (%s): using the "
                            "terminal view\n", why);
        status = view_terminal(&v);
    }
    simthread_stop(v.sim);
    if (status == 0 && script_failed(v.script))
        status = 1;
    script_destroy(v.script);
    return status;
}
