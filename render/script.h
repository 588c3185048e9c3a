/* script.h - scripted key and mouse events for testing the viewers.
 *
 * A script is a text file, one command a line, '#' starts a comment; the
 * format is described in doc/viewer.md.  Commands that inject input (key,
 * click, drag, wheel, drop) are passed to the front end, which turns them
 * into the same events a user makes, and end the frame, so the front end
 * handles them before the next line runs.  Before every line the runner
 * waits until the simulation has done every command sent so far, so checks
 * (expect-*) and dumps see the effect of the lines above them; after
 * 'async' it does not (until 'sync'), to look at the window while a long
 * generation is still being computed. */
#ifndef GLIDER_RENDER_SCRIPT_H
#define GLIDER_RENDER_SCRIPT_H

#include "../engine/error.h"
#include "simthread.h"

struct script;

/* What the front end provides.  Callbacks return 0 or a negative GLIDER_E*
 * code with 'err' filled.  Any callback may be NULL: the command is then
 * refused as unsupported by this front end. */
struct script_host {
    struct simthread *sim;
    void *ctx;
    /* Re-acquires the newest snapshot (the front end's own pointer too). */
    const struct snapshot *(*snapshot)(void *ctx);
    int (*key)(void *ctx, const char *name, struct glider_error *err);
    /* Left button: press at cell (x0, y0), move to (x1, y1), release. */
    int (*drag)(void *ctx, int x0, int y0, int x1, int y1,
                struct glider_error *err);
    /* 'notches' wheel steps (positive = zoom in) with the pointer on cell (x, y). */
    int (*wheel)(void *ctx, int notches, int x, int y, struct glider_error *err);
    int (*drop)(void *ctx, const char *path, struct glider_error *err);
    int (*screenshot)(void *ctx, const char *path, struct glider_error *err);
    /* Pixel coordinates of a cell's centre, for 'print-view'. */
    int (*cell_pixel)(void *ctx, int x, int y, int *px, int *py);
    /* What the HUD (and the help overlay, when shown) says, as text, for
     * 'print-hud' and 'expect-hud'; returns 0. */
    int (*hud)(void *ctx, char *buf, size_t size);
    void (*quit)(void *ctx);
};

/* Reads and checks a whole script.  Errors name the file and line. */
int script_load(const char *path, struct script **out, struct glider_error *err);
void script_destroy(struct script *sc);

/* Runs the script's lines for one frame.  Returns 0 while lines remain, 1
 * when the script has ended, -1 when a line failed (message on stderr; the
 * front end has been asked to quit). */
int script_frame(struct script *sc, const struct script_host *h);

/* Non-zero once a line has failed. */
int script_failed(const struct script *sc);

#endif
