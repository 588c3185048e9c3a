/* viewer.h - what the window (view.c) and the terminal view (term.c) share:
 * starting the sim thread from the options, the speed steps, file names. */
#ifndef GLIDER_RENDER_VIEWER_H
#define GLIDER_RENDER_VIEWER_H

#include <stddef.h>

#include "../cli/options.h"
#include "script.h"
#include "simthread.h"

#define VIEWER_DEFAULT_SPEED 30.0 /* generations/s when --speed is not given */
#define VIEWER_SOUP_DENSITY 0.35  /* R without --soup */

/* Everything a front end needs, set up by cmd_view. */
struct viewer_ctx {
    const struct cli_opts *o;
    struct simthread *sim;
    struct script *script;  /* NULL without --script */
    const char *kernel;     /* kernel_active()->name */
    char name[256];         /* the pattern's name */
    uint64_t seed;          /* the next soup's seed */
    double density;         /* soup density for R */
    int speed_index;        /* into the speed steps */
};

/* The speed steps for + and -: generations/s, the last one 0 (as fast as
 * possible). */
int viewer_speed_count(void);
double viewer_speed(int index);
/* The step nearest 'speed'. */
int viewer_speed_index(double speed);

/* Sends a command without arguments beyond 'a'.  Returns its sequence
 * number (simthread_send), 0 when it could not be queued. */
uint64_t viewer_send(struct viewer_ctx *v, enum sim_cmd_kind kind, int a);
/* The actions bound to keys in both front ends. */
void viewer_faster(struct viewer_ctx *v, int dir);
void viewer_soup(struct viewer_ctx *v);
void viewer_save(struct viewer_ctx *v);
/* Loads 'path' into a universe of the size it asks for. */
void viewer_load(struct viewer_ctx *v, const char *path);
/* O: reloads the file last loaded (or the PATTERN given); 0, or -1 when
 * there is none, after a message saying so, and 'how' to load one. */
int viewer_reload(struct viewer_ctx *v, const struct snapshot *s,
                  const char *how);

/* The front ends.  Each returns the process exit status. */
int view_window(struct viewer_ctx *v, const char **why);
int view_terminal(struct viewer_ctx *v);

#endif
