/* draw.h - what the window shows: the view transform (zoom and pan), the
 * cells drawn into a canvas, the HUD, the population graph and the help
 * overlay.  Everything is drawn in software into one canvas per frame. */
#ifndef GLIDER_RENDER_DRAW_H
#define GLIDER_RENDER_DRAW_H

#include <stddef.h>

#include "canvas.h"
#include "simthread.h"

/* The dark theme. */
#define COLOUR_OUTSIDE 0xff0b0d10u /* beyond the universe's edge */
#define COLOUR_DEAD 0xff171b21u    /* dead cell */
#define COLOUR_GRID 0xff2a3039u    /* grid lines at large zoom */
#define COLOUR_ALIVE 0xffe6edf3u   /* a cell that was alive before */
#define COLOUR_BORN 0xff7ee787u    /* a cell born since the last snapshot */
#define COLOUR_TEXT 0xffc9d1d9u    /* HUD text */
#define COLOUR_TITLE 0xffffd866u   /* HUD and help headings */
#define COLOUR_ERROR 0xffff7b72u   /* error messages */
#define COLOUR_PANEL 0xff000000u   /* shaded behind text */

#define VIEW_MIN_PPC (1.0 / 4096.0) /* most cells per pixel */
#define VIEW_MAX_PPC 64.0           /* most pixels per cell */
#define VIEW_GRID_PPC 6.0           /* grid lines from this zoom on */

/* Cell (x, y) covers pixels [ox + x*ppc, ox + (x+1)*ppc) across, with
 * ox = w/2 - cx*ppc, and the same down. */
struct view {
    double ppc;    /* pixels per cell; < 1 means several cells per pixel */
    double cx, cy; /* cell coordinates shown at the canvas centre */
};

/* The cell under pixel (px, py) of a w x h canvas (fractional). */
void view_to_cell(const struct view *v, int w, int h, double px, double py,
                  double *x, double *y);
/* The pixel where cell coordinate (x, y) lands. */
void view_to_pixel(const struct view *v, int w, int h, double x, double y,
                   double *px, double *py);
/* Zooms by 'factor' keeping the cell under (px, py) where it is. */
void view_zoom_at(struct view *v, int w, int h, double factor, double px,
                  double py);
/* One zoom step in (dir > 0) or out, to the next power of two, keeping the
 * cell under (px, py) where it is. */
void view_zoom_step(struct view *v, int w, int h, int dir, double px, double py);
/* Shows cells [x0, x1) x [y0, y1) whole: whole pixels per cell, or a power
 * of two cells per pixel. */
void view_fit(struct view *v, int w, int h, int x0, int y0, int x1, int y1);
/* "8:1" for 8 pixels per cell, "1:4" for 4 cells per pixel. */
void view_zoom_text(const struct view *v, char *buf, int size);

/* Draws the universe of 's' into 'c'.  'colmap' is scratch the caller keeps
 * between frames (grown as needed); returns 0, or GLIDER_ENOMEM. */
struct draw_scratch {
    int *a, *b;        /* per column: first and past-last cell */
    uint32_t *counts;  /* per column: live cells (zoomed out) */
    int cap;
    uint32_t palette[256]; /* density 0..255 to colour; [255] = 0 until set */
};
int draw_cells(struct canvas *c, const struct view *v, const struct snapshot *s,
               struct draw_scratch *scratch);
void draw_scratch_free(struct draw_scratch *scratch);

/* The HUD's smoothed rates and population history, kept by the UI. */
#define HUD_HISTORY 256
struct hud_state {
    double gens_per_sec;   /* smoothed; 0 until measured on this back-end */
    double last_time;      /* snapshot time of the last new generation seen,
                              or of the last restart of the measurement */
    uint64_t last_gen;
    double gen_interval;   /* seconds between the last two new generations */
    double decay_time;     /* when the rate was last decayed */
    int rate_first;        /* the next sample is the first since a restart */
    const char *rate_backend; /* back-end and thread count the rate is */
    int rate_threads;         /* ... measured on */
    uint64_t pop[HUD_HISTORY]; /* population per new generation seen, ring */
    int npop, pop_head;
    const char *kernel;    /* kernel_active()->name */
    double fps;            /* frames per second, smoothed */
    uint64_t shown_msg_seq;
    double msg_until;      /* when the message fades */
    char msg[SIMTHREAD_MSG_MAX];
    int msg_is_error;
    char local_msg[SIMTHREAD_MSG_MAX]; /* UI's own message (e.g. bad drop) */
    int pausing;           /* a pause waits for the generation in progress */
    char pending[SIMTHREAD_MSG_MAX]; /* what else waits for it, or "" (both
                                        set by the front end every frame) */
};

/* Call every frame with the snapshot shown, new or not: a new generation
 * feeds the smoothed rates and the graph; without one the rates decay
 * towards 0 (at once when paused), and a new back-end or thread count
 * restarts the measurement. */
void hud_update(struct hud_state *h, const struct snapshot *s, double now);
/* A message of the UI's own (shown like the sim thread's). */
void hud_message(struct hud_state *h, int is_error, double now, const char *msg);
/* Draws the HUD panel at the top-left; 'scale' is the font scale. */
void hud_draw(struct canvas *c, const struct hud_state *h,
              const struct snapshot *s, const struct view *v, int scale,
              double now);
/* The HUD's lines as text, each ending in a newline (for scripts); sets
 * '*pw' x '*ph' to the panel's size in pixels at 'scale'. */
void hud_text(const struct hud_state *h, const struct snapshot *s,
              const struct view *v, int scale, double now, char *buf,
              size_t size, int *pw, int *ph);
/* The font scale the HUD uses in a picture 'out_w' x 'out_h' pixels. */
int hud_scale(int out_w, int out_h);
/* Pixels from the top the HUD panel covers (without a message line). */
int hud_height(int scale);
/* Draws the help overlay listing every key, centred, at 'scale' or smaller
 * when that is too wide for the canvas. */
void hud_draw_help(struct canvas *c, int scale);
/* Formats 'v' in three significant digits with an SI prefix: "0", "0.0125",
 * "30", "4.97 k", "46.9 G". */
void hud_si(char *buf, size_t size, double v);
/* The help text, one key per line (also printed by the terminal view). */
extern const char *const hud_help_lines[];

#endif
