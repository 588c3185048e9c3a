/* view.c - the SDL2 window: events, the frame loop, screenshots.
 *
 * Each frame: run the script's lines for this frame (tests), handle every
 * pending event, take the newest snapshot from the sim thread (never
 * waiting), draw it into one streaming texture in software (draw.c, hud.c)
 * and present.  Sections: set-up, input, the frame, the script host. */
#include <SDL.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/backend.h"
#include "draw.h"
#include "viewer.h"

enum drag_mode { DRAG_NONE, DRAG_DRAW, DRAG_PAN };

/* Commands from keys and the mouse that wait for the generation in progress
 * (a slow back-end takes seconds or minutes per generation).  The UI acts on
 * them at once (after Space a click draws), and the HUD says what waits.
 * Each is waiting while the snapshot's 'done_seq' is below its number. */
struct pending {
    uint64_t run_seq;      /* the last start / stop / step sent, 0 = none */
    int run_want;          /* ... running once it is done */
    double run_time;       /* ... when it was sent */
    uint64_t switch_seq;   /* the last back-end or thread-count change */
    char switch_what[64];  /* ... "switching to worker-queue" */
    double switch_time;
    uint64_t edit_seq;     /* the last cell edit */
    double edit_time;
};

struct win {
    struct viewer_ctx *v;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int tex_w, tex_h;      /* size of 'tex' */
    int out_w, out_h;      /* renderer output, pixels */
    int win_w, win_h;      /* window, points (mouse coordinates) */
    int vsync;             /* the renderer waits for vertical blank */
    int fps_cap;           /* 0 = none */
    const struct snapshot *snap; /* the UI's snapshot */
    uint64_t universe_seq; /* of the universe the view was fitted to */
    struct view view;
    struct hud_state hud;
    struct draw_scratch scratch;
    int show_help, show_hud;
    int quit, status;
    enum drag_mode drag;
    int draw_alive;        /* what a draw stroke sets cells to */
    int cell_x, cell_y;    /* last cell of the stroke */
    double mx, my;         /* pointer, output pixels */
    long frames;           /* frames drawn */
    double draw_secs;      /* time drawing into the canvas (GLIDER_FPS) */
    double present_secs;   /* time uploading, copying and presenting */
    char shot[1024];       /* screenshot to take this frame ("" = none) */
    int changed;           /* something to draw since the last frame */
    struct pending pend;
};

/* With nothing new, the window is redrawn this often anyway (HUD rates,
 * messages that expire), and waits at most this long for an event. */
#define IDLE_REDRAW 0.5
#define IDLE_WAIT_MS 10

/* A command waits this long before the HUD says so: most are done within
 * a frame, and a line that comes and goes in one frame is only flicker. */
#define PENDING_SHOW 0.2

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

static char why_buf[256];

static int sdl_fail(const char *what, const char **why)
{
    snprintf(why_buf, sizeof why_buf, "%s: %s", what, SDL_GetError());
    *why = why_buf;
    return -1;
}

static void window_size(const struct viewer_ctx *v, const struct snapshot *s,
                        int *w, int *h)
{
    *w = 1280;
    *h = 720;
    if (v->o->scale) {
        long ww = (long)s->cells.width * v->o->scale;
        long hh = (long)s->cells.height * v->o->scale;
        *w = ww < 480 ? 480 : ww > 1600 ? 1600 : (int)ww;
        *h = hh < 360 ? 360 : hh > 900 ? 900 : (int)hh;
    }
    SDL_Rect r;
    if (SDL_GetDisplayUsableBounds(0, &r) == 0 && r.w > 0 && r.h > 0) {
        *w = *w > r.w ? r.w : *w;
        *h = *h > r.h ? r.h : *h;
    }
}

/* Whether SDL found a display.  SDL 2.26 (Debian 12) falls back on its own
 * to the "offscreen" driver, which opens invisible windows without an error:
 * that, or "dummy", counts as no display unless SDL_VIDEODRIVER asked for it
 * (the tests take screenshots that way).  Without DISPLAY, WAYLAND_DISPLAY or
 * SDL_VIDEODRIVER there is nothing to try: saying so at once spares the user
 * libwayland's complaint about XDG_RUNTIME_DIR. */
static int no_display(const char **why)
{
    const char *d = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    const char *asked = getenv("SDL_VIDEODRIVER");
    if (asked && *asked)
        return 0;
    if ((!d || !*d) && (!wl || !*wl)) {
        *why = "no display: neither DISPLAY nor WAYLAND_DISPLAY is set";
        return 1;
    }
    return 0;
}

static int offscreen_driver(const char **why)
{
    const char *drv = SDL_GetCurrentVideoDriver();
    const char *asked = getenv("SDL_VIDEODRIVER");
    if (!drv || (asked && *asked) ||
        (strcmp(drv, "offscreen") != 0 && strcmp(drv, "dummy") != 0))
        return 0;
    snprintf(why_buf, sizeof why_buf,
             "no display: SDL found only its '%s' video driver", drv);
    *why = why_buf;
    return 1;
}

static int open_window(struct win *w, const char **why)
{
    const struct cli_opts *o = w->v->o;
    if (no_display(why))
        return -1;
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        sdl_fail("SDL_Init", why);
        SDL_Quit();
        return -1;
    }
    if (offscreen_driver(why)) {
        SDL_Quit();
        return -1;
    }
    int ww, wh;
    window_size(w->v, w->snap, &ww, &wh);
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (o->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    char title[320];
    snprintf(title, sizeof title, "Glider - %s", w->v->name[0] ? w->v->name : "Life");
    w->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, ww, wh, flags);
    if (!w->win) {
        sdl_fail("SDL_CreateWindow", why);
        SDL_Quit();
        return -1;
    }
    /* GLIDER_VSYNC=0 turns vsync off (for measuring the frame rate). */
    const char *vs = getenv("GLIDER_VSYNC");
    int want_vsync = !(vs && strcmp(vs, "0") == 0);
    SDL_SetHint(SDL_HINT_RENDER_VSYNC, want_vsync ? "1" : "0");
    Uint32 rflags = SDL_RENDERER_ACCELERATED | (want_vsync ? SDL_RENDERER_PRESENTVSYNC : 0);
    w->ren = SDL_CreateRenderer(w->win, -1, rflags);
    if (!w->ren)
        w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
    if (!w->ren) {
        sdl_fail("SDL_CreateRenderer", why);
        SDL_DestroyWindow(w->win);
        SDL_Quit();
        return -1;
    }
    SDL_RendererInfo info;
    /* The software renderer reports vsync but does not wait on X11. */
    w->vsync = want_vsync && SDL_GetRendererInfo(w->ren, &info) == 0 &&
               (info.flags & SDL_RENDERER_PRESENTVSYNC) &&
               strcmp(info.name, "software") != 0;
    /* Without vsync, do not spin: cap at 60 fps unless measuring. */
    w->fps_cap = o->fps ? o->fps : (w->vsync || !want_vsync) ? 0 : 60;
    return 0;
}

static void close_window(struct win *w)
{
    if (w->tex)
        SDL_DestroyTexture(w->tex);
    SDL_DestroyRenderer(w->ren);
    SDL_DestroyWindow(w->win);
    SDL_Quit();
    draw_scratch_free(&w->scratch);
}

/* Pixels at the top the HUD panel covers, when the window has room to keep
 * a view clear of it; else 0. */
static int hud_top(const struct win *w)
{
    int top = w->show_hud ? hud_height(hud_scale(w->out_w, w->out_h)) : 0;
    return top > w->out_h / 3 ? 0 : top;
}

/* Shows cells [x0, x1) x [y0, y1) whole, below the HUD panel (start-up, a
 * new universe and F all fit the same way). */
static void fit_below_hud(struct win *w, int x0, int y0, int x1, int y1)
{
    int top = hud_top(w);
    view_fit(&w->view, w->out_w, w->out_h - top, x0, y0, x1, y1);
    w->view.cy -= top / 2.0 / w->view.ppc;
}

/* The live cells' bounding box; the whole universe when it is empty. */
static void pattern_box(const struct grid *g, int *x0, int *y0, int *x1, int *y1)
{
    if (!grid_bbox(g, x0, y0, x1, y1)) {
        *x0 = *y0 = 0;
        *x1 = g->width;
        *y1 = g->height;
    }
}

/* The view for a new universe: the whole universe fitted below the HUD;
 * at start-up with --scale, that zoom centred on the pattern's live cells
 * (below the HUD too), whether or not the universe fits. */
static void initial_view(struct win *w, int first)
{
    const struct grid *g = &w->snap->cells;
    w->universe_seq = w->snap->universe_seq;
    fit_below_hud(w, 0, 0, g->width, g->height);
    if (first && w->v->o->scale) {
        int x0, y0, x1, y1;
        pattern_box(g, &x0, &y0, &x1, &y1);
        double r = w->out_w > 0 && w->win_w > 0 ? (double)w->out_w / w->win_w : 1;
        w->view.ppc = w->v->o->scale * r;
        w->view.cx = (x0 + x1) / 2.0;
        w->view.cy = (y0 + y1) / 2.0 - hud_top(w) / 2.0 / w->view.ppc;
    }
}

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

static double dpi_x(const struct win *w)
{
    return w->win_w > 0 ? (double)w->out_w / w->win_w : 1;
}

static double dpi_y(const struct win *w)
{
    return w->win_h > 0 ? (double)w->out_h / w->win_h : 1;
}

static void cell_under(const struct win *w, double px, double py, int *x, int *y)
{
    double fx, fy;
    view_to_cell(&w->view, w->out_w, w->out_h, px, py, &fx, &fy);
    *x = (int)floor(fx);
    *y = (int)floor(fy);
}

static void fit_pattern(struct win *w)
{
    int x0, y0, x1, y1;
    pattern_box(&w->snap->cells, &x0, &y0, &x1, &y1);
    fit_below_hud(w, x0, y0, x1, y1);
}

/* Whether the UI treats the universe as running: what the last start or
 * stop asked for, even before the sim thread gets to it. */
static int ui_running(const struct win *w)
{
    if (w->pend.run_seq > w->snap->done_seq)
        return w->pend.run_want;
    return w->snap->running;
}

/* Start or stop (a = 1, 0), or step (a generations), remembered as pending. */
static void send_run(struct win *w, enum sim_cmd_kind kind, int a)
{
    uint64_t seq = viewer_send(w->v, kind, a);
    if (seq) {
        w->pend.run_seq = seq;
        w->pend.run_want = kind == SIMCMD_RUN && a;
        w->pend.run_time = simthread_now();
    }
}

/* A back-end switch or thread-count change, remembered as pending. */
static void send_switch(struct win *w, enum sim_cmd_kind kind, int a)
{
    uint64_t seq = viewer_send(w->v, kind, a);
    if (!seq)
        return;
    const struct backend_ops *ops = kind == SIMCMD_BACKEND ? backend_at(a) : NULL;
    if (ops)
        snprintf(w->pend.switch_what, sizeof w->pend.switch_what,
                 "switching to %s", ops->name);
    else
        snprintf(w->pend.switch_what, sizeof w->pend.switch_what,
                 "changing the thread count");
    w->pend.switch_seq = seq;
    w->pend.switch_time = simthread_now();
}

/* Tells the HUD what waits for the generation in progress. */
static void show_pending(struct win *w, double now)
{
    const struct pending *p = &w->pend;
    uint64_t done = w->snap->done_seq;
    int switching = p->switch_seq > done && now - p->switch_time >= PENDING_SHOW;
    int editing = p->edit_seq > done && now - p->edit_time >= PENDING_SHOW;
    w->hud.pausing = p->run_seq > done && !p->run_want && w->snap->running &&
                     now - p->run_time >= PENDING_SHOW;
    if (switching && editing)
        snprintf(w->hud.pending, sizeof w->hud.pending, "%s after this "
                 "generation; cell edits wait for it too", p->switch_what);
    else if (switching)
        snprintf(w->hud.pending, sizeof w->hud.pending,
                 "%s after this generation", p->switch_what);
    else if (editing)
        snprintf(w->hud.pending, sizeof w->hud.pending,
                 "cell edits wait for this generation");
    else
        w->hud.pending[0] = '\0';
}

static void set_cell(struct win *w, int x, int y)
{
    const struct grid *g = &w->snap->cells;
    if (x < 0 || y < 0 || x >= g->width || y >= g->height)
        return;
    struct sim_cmd c = {.kind = SIMCMD_CELL, .x = x, .y = y, .a = w->draw_alive};
    /* Queued: during a long generation it is applied when that ends. */
    uint64_t seq = simthread_send(w->v->sim, &c);
    if (seq) {
        w->pend.edit_seq = seq;
        w->pend.edit_time = simthread_now();
    }
}

/* Draws the cells on the line from the last cell of the stroke to (x, y). */
static void stroke_to(struct win *w, int x, int y)
{
    int dx = abs(x - w->cell_x), dy = -abs(y - w->cell_y);
    int sx = w->cell_x < x ? 1 : -1, sy = w->cell_y < y ? 1 : -1;
    int e = dx + dy, cx = w->cell_x, cy = w->cell_y;
    for (;;) {
        if (cx != w->cell_x || cy != w->cell_y)
            set_cell(w, cx, cy);
        if (cx == x && cy == y)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) {
            e += dy;
            cx += sx;
        }
        if (e2 <= dx) {
            e += dx;
            cy += sy;
        }
    }
    w->cell_x = x;
    w->cell_y = y;
}

static void on_key(struct win *w, SDL_Keycode k, Uint16 mod)
{
    struct viewer_ctx *v = w->v;
    double pan = (w->out_w < w->out_h ? w->out_w : w->out_h) / 8.0 / w->view.ppc;
    int shift = (mod & KMOD_SHIFT) != 0;
    switch (k) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE:
        /* Not a toggle: the opposite of what the UI shows, which may be a
         * pause still waiting for the generation in progress. */
        send_run(w, SIMCMD_RUN, !ui_running(w));
        break;
    case SDLK_n:
    case SDLK_TAB:
        send_run(w, SIMCMD_STEP, 1);
        break;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
        viewer_faster(v, 1);
        break;
    case SDLK_MINUS:
    case SDLK_UNDERSCORE:
    case SDLK_KP_MINUS:
        viewer_faster(v, -1);
        break;
    case SDLK_RIGHTBRACKET:
        view_zoom_step(&w->view, w->out_w, w->out_h, 1, w->out_w / 2.0, w->out_h / 2.0);
        break;
    case SDLK_LEFTBRACKET:
        view_zoom_step(&w->view, w->out_w, w->out_h, -1, w->out_w / 2.0, w->out_h / 2.0);
        break;
    case SDLK_LEFT:
        w->view.cx -= pan;
        break;
    case SDLK_RIGHT:
        w->view.cx += pan;
        break;
    case SDLK_UP:
        w->view.cy -= pan;
        break;
    case SDLK_DOWN:
        w->view.cy += pan;
        break;
    case SDLK_f:
        fit_pattern(w);
        break;
    case SDLK_1: case SDLK_2: case SDLK_3: case SDLK_4: case SDLK_5: case SDLK_6:
        send_switch(w, SIMCMD_BACKEND, (int)(k - SDLK_1));
        break;
    case SDLK_KP_1: case SDLK_KP_2: case SDLK_KP_3: case SDLK_KP_4:
    case SDLK_KP_5: case SDLK_KP_6:
        send_switch(w, SIMCMD_BACKEND, (int)(k - SDLK_KP_1));
        break;
    case SDLK_t:
        send_switch(w, SIMCMD_THREADS, shift ? -1 : 1);
        break;
    case SDLK_r:
        viewer_soup(v);
        break;
    case SDLK_c:
        viewer_send(v, SIMCMD_CLEAR, 0);
        break;
    case SDLK_s:
        viewer_save(v);
        break;
    case SDLK_o:
        viewer_reload(v, w->snap, "drop a pattern file (.rle, .mc, .json, "
                      ".cells, .lif) on the window");
        break;
    case SDLK_SLASH: /* Shift+/ is '?' */
        if (shift)
            w->show_help = !w->show_help;
        break;
    case SDLK_QUESTION:
    case SDLK_h:
    case SDLK_F1:
        w->show_help = !w->show_help;
        break;
    case SDLK_i:
        w->show_hud = !w->show_hud;
        break;
    case SDLK_ESCAPE:
        /* Esc closes the overlay first; only without one does it quit. */
        if (w->show_help)
            w->show_help = 0;
        else
            w->quit = 1;
        break;
    case SDLK_q:
        w->quit = 1;
        break;
    default:
        break;
    }
}

static void on_button(struct win *w, const SDL_MouseButtonEvent *b)
{
    w->mx = b->x * dpi_x(w);
    w->my = b->y * dpi_y(w);
    if (b->type == SDL_MOUSEBUTTONUP) {
        w->drag = DRAG_NONE;
        return;
    }
    if (b->button == SDL_BUTTON_LEFT && !ui_running(w) && !w->show_help) {
        int x, y;
        cell_under(w, w->mx, w->my, &x, &y);
        const struct grid *g = &w->snap->cells;
        int inside = x >= 0 && y >= 0 && x < g->width && y < g->height;
        /* Like Golly: starting on a live cell erases, on a dead one draws. */
        w->draw_alive = inside ? !grid_get(g, x, y) : 1;
        w->drag = DRAG_DRAW;
        w->cell_x = x;
        w->cell_y = y;
        set_cell(w, x, y);
    } else {
        w->drag = DRAG_PAN;
    }
}

static void on_motion(struct win *w, const SDL_MouseMotionEvent *m)
{
    double px = m->x * dpi_x(w), py = m->y * dpi_y(w);
    if (w->drag == DRAG_PAN) {
        w->view.cx -= (px - w->mx) / w->view.ppc;
        w->view.cy -= (py - w->my) / w->view.ppc;
    } else if (w->drag == DRAG_DRAW) {
        int x, y;
        cell_under(w, px, py, &x, &y);
        stroke_to(w, x, y);
    }
    w->mx = px;
    w->my = py;
}

static void on_event(struct win *w, SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT:
        w->quit = 1;
        break;
    case SDL_KEYDOWN:
        on_key(w, e->key.keysym.sym, e->key.keysym.mod);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        on_button(w, &e->button);
        break;
    case SDL_MOUSEMOTION:
        on_motion(w, &e->motion);
        break;
    case SDL_MOUSEWHEEL: {
        int n = e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -e->wheel.y : e->wheel.y;
        for (; n > 0; n--)
            view_zoom_step(&w->view, w->out_w, w->out_h, 1, w->mx, w->my);
        for (; n < 0; n++)
            view_zoom_step(&w->view, w->out_w, w->out_h, -1, w->mx, w->my);
        break;
    }
    case SDL_DROPFILE:
        viewer_load(w->v, e->drop.file);
        SDL_free(e->drop.file);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* The frame                                                           */
/* ------------------------------------------------------------------ */

static int save_screenshot(struct win *w, const char *path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w->out_w, w->out_h, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    int rc = -1;
    if (s && SDL_RenderReadPixels(w->ren, NULL, SDL_PIXELFORMAT_ARGB8888,
                                  s->pixels, s->pitch) == 0 &&
        SDL_SaveBMP(s, path) == 0)
        rc = 0;
    if (rc)
        fprintf(stderr, "glider: screenshot %s: %s\n", path, SDL_GetError());
    SDL_FreeSurface(s);
    return rc;
}

static int draw_frame(struct win *w, int last)
{
    if (!w->tex || w->tex_w != w->out_w || w->tex_h != w->out_h) {
        if (w->tex)
            SDL_DestroyTexture(w->tex);
        w->tex = SDL_CreateTexture(w->ren, SDL_PIXELFORMAT_ARGB8888,
                                   SDL_TEXTUREACCESS_STREAMING, w->out_w, w->out_h);
        if (!w->tex) {
            fprintf(stderr, "glider: SDL_CreateTexture: %s\n", SDL_GetError());
            return -1;
        }
        w->tex_w = w->out_w;
        w->tex_h = w->out_h;
    }
    void *pixels;
    int pitch;
    if (SDL_LockTexture(w->tex, NULL, &pixels, &pitch) != 0) {
        fprintf(stderr, "glider: SDL_LockTexture: %s\n", SDL_GetError());
        return -1;
    }
    struct canvas c = {pixels, w->out_w, w->out_h, pitch / 4};
    int scale = hud_scale(w->out_w, w->out_h);
    double now = simthread_now();
    double t0 = now;
    if (draw_cells(&c, &w->view, w->snap, &w->scratch))
        canvas_fill(&c, 0, 0, c.w, c.h, COLOUR_OUTSIDE);
    if (w->show_hud)
        hud_draw(&c, &w->hud, w->snap, &w->view, scale, now);
    if (w->show_help)
        hud_draw_help(&c, scale);
    double t1 = simthread_now();
    w->draw_secs += t1 - t0;
    SDL_UnlockTexture(w->tex);
    SDL_RenderCopy(w->ren, w->tex, NULL, NULL);
    if (w->shot[0]) {
        if (save_screenshot(w, w->shot))
            w->status = 1;
        w->shot[0] = '\0';
    }
    if (last && w->v->o->screenshot && save_screenshot(w, w->v->o->screenshot))
        w->status = 1;
    SDL_RenderPresent(w->ren);
    w->present_secs += simthread_now() - t1;
    return 0;
}

static void take_snapshot(struct win *w, double now)
{
    int fresh;
    w->snap = simthread_acquire(w->v->sim, &fresh);
    /* Every frame, fresh or not: without new generations the rates must
     * fall, not stay at the last value measured. */
    hud_update(&w->hud, w->snap, now);
    show_pending(w, now);
    if (fresh)
        w->changed = 1;
    if (w->snap->universe_seq != w->universe_seq)
        initial_view(w, 0);
}

/* ------------------------------------------------------------------ */
/* The script host: scripted input becomes ordinary SDL events.        */
/* ------------------------------------------------------------------ */

static const struct snapshot *host_snapshot(void *ctx)
{
    struct win *w = ctx;
    take_snapshot(w, simthread_now());
    return w->snap;
}

static int host_key(void *ctx, const char *name, struct glider_error *err)
{
    struct win *w = ctx;
    Uint16 mod = KMOD_NONE;
    if (strncasecmp(name, "shift+", 6) == 0) {
        mod = KMOD_LSHIFT;
        name += 6;
    }
    SDL_Keycode k;
    if (strlen(name) == 1)
        k = (SDL_Keycode)(unsigned char)(name[0] >= 'A' && name[0] <= 'Z' ? name[0] - 'A' + 'a' : name[0]);
    else
        k = SDL_GetKeyFromName(name);
    if (strlen(name) == 1 && name[0] >= 'A' && name[0] <= 'Z')
        mod = KMOD_LSHIFT;
    if (k == SDLK_UNKNOWN)
        return glider_errorf(err, GLIDER_EINVAL, "unknown key '%s'", name);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.windowID = SDL_GetWindowID(w->win);
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
    e.key.keysym.mod = mod;
    if (SDL_PushEvent(&e) < 0)
        return glider_errorf(err, GLIDER_EIO, "SDL_PushEvent: %s", SDL_GetError());
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
    return 0;
}

/* The window point at the centre of cell (x, y). */
static void cell_point(const struct win *w, int x, int y, int *px, int *py)
{
    double fx, fy;
    view_to_pixel(&w->view, w->out_w, w->out_h, x + 0.5, y + 0.5, &fx, &fy);
    *px = (int)floor(fx / dpi_x(w));
    *py = (int)floor(fy / dpi_y(w));
}

static int push_mouse(struct win *w, Uint32 type, int x, int y, Uint32 state)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.windowID = SDL_GetWindowID(w->win);
        e.motion.x = x;
        e.motion.y = y;
        e.motion.state = state;
    } else {
        e.button.windowID = SDL_GetWindowID(w->win);
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = 1;
        e.button.x = x;
        e.button.y = y;
    }
    return SDL_PushEvent(&e) < 0 ? -1 : 0;
}

static int host_drag(void *ctx, int x0, int y0, int x1, int y1,
                     struct glider_error *err)
{
    struct win *w = ctx;
    int ax, ay, bx, by;
    cell_point(w, x0, y0, &ax, &ay);
    cell_point(w, x1, y1, &bx, &by);
    if (push_mouse(w, SDL_MOUSEMOTION, ax, ay, 0) ||
        push_mouse(w, SDL_MOUSEBUTTONDOWN, ax, ay, 0) ||
        push_mouse(w, SDL_MOUSEMOTION, bx, by, SDL_BUTTON_LMASK) ||
        push_mouse(w, SDL_MOUSEBUTTONUP, bx, by, 0))
        return glider_errorf(err, GLIDER_EIO, "SDL_PushEvent: %s", SDL_GetError());
    return 0;
}

static int host_wheel(void *ctx, int notches, int x, int y, struct glider_error *err)
{
    struct win *w = ctx;
    int px, py;
    cell_point(w, x, y, &px, &py);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEWHEEL;
    e.wheel.windowID = SDL_GetWindowID(w->win);
    e.wheel.y = notches;
    e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    if (push_mouse(w, SDL_MOUSEMOTION, px, py, 0) || SDL_PushEvent(&e) < 0)
        return glider_errorf(err, GLIDER_EIO, "SDL_PushEvent: %s", SDL_GetError());
    return 0;
}

static int host_drop(void *ctx, const char *path, struct glider_error *err)
{
    struct win *w = ctx;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_DROPFILE;
    e.drop.windowID = SDL_GetWindowID(w->win);
    e.drop.file = SDL_strdup(path);
    if (!e.drop.file || SDL_PushEvent(&e) < 0) {
        SDL_free(e.drop.file);
        return glider_errorf(err, GLIDER_EIO, "cannot inject a drop event: %s",
                             SDL_GetError());
    }
    return 0;
}

static int host_screenshot(void *ctx, const char *path, struct glider_error *err)
{
    struct win *w = ctx;
    (void)err;
    snprintf(w->shot, sizeof w->shot, "%s", path);
    return 0;
}

static int host_cell_pixel(void *ctx, int x, int y, int *px, int *py)
{
    struct win *w = ctx;
    double fx, fy;
    view_to_pixel(&w->view, w->out_w, w->out_h, x + 0.5, y + 0.5, &fx, &fy);
    *px = (int)floor(fx);
    *py = (int)floor(fy);
    return 0;
}

/* Appends to 'buf' (cut off at 'size', always terminated). */
static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    if (*used >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    *used = k < 0 ? size : *used + (size_t)k;
}

/* What the HUD and the help overlay say, as text: a first line with the
 * panel's size, then "hud: " and "help: " lines. */
static int host_hud(void *ctx, char *buf, size_t size)
{
    struct win *w = ctx;
    double now = simthread_now();
    take_snapshot(w, now);
    int scale = hud_scale(w->out_w, w->out_h), pw, ph;
    char text[4096];
    hud_text(&w->hud, w->snap, &w->view, scale, now, text, sizeof text, &pw, &ph);
    size_t used = 0;
    buf[0] = '\0';
    append(buf, size, &used, "hud %s, panel %dx%d at scale %d, window %dx%d\n",
           w->show_hud ? "shown" : "hidden", pw, ph, scale, w->out_w, w->out_h);
    for (char *p = text, *nl; (nl = strchr(p, '\n')); p = nl + 1)
        append(buf, size, &used, "hud: %.*s\n", (int)(nl - p), p);
    for (int i = 0; w->show_help && hud_help_lines[i]; i++)
        append(buf, size, &used, "help: %s\n", hud_help_lines[i]);
    return 0;
}

static void host_quit(void *ctx)
{
    ((struct win *)ctx)->quit = 1;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */
/* ------------------------------------------------------------------ */

int view_window(struct viewer_ctx *v, const char **why)
{
    struct win w;
    memset(&w, 0, sizeof w);
    w.v = v;
    w.show_hud = 1;
    w.hud.kernel = v->kernel;
    int fresh;
    w.snap = simthread_acquire(v->sim, &fresh);
    if (open_window(&w, why))
        return -1;
    SDL_GetRendererOutputSize(w.ren, &w.out_w, &w.out_h);
    SDL_GetWindowSize(w.win, &w.win_w, &w.win_h);
    initial_view(&w, 1);
    hud_update(&w.hud, w.snap, simthread_now());

    struct script_host host = {
        .sim = v->sim, .ctx = &w, .snapshot = host_snapshot, .key = host_key,
        .drag = host_drag, .wheel = host_wheel, .drop = host_drop,
        .screenshot = host_screenshot, .cell_pixel = host_cell_pixel,
        .hud = host_hud, .quit = host_quit,
    };
    const char *fr = getenv("GLIDER_FPS");
    int report_fps = fr && strcmp(fr, "0") != 0;
    long max_frames = v->o->frames;
    double t0 = simthread_now(), fps_t = t0;
    long fps_n = 0;
    /* Tests, measurements and drags draw every frame; otherwise a frame
     * with nothing new is skipped (the window keeps the last one). */
    int every_frame = v->script || max_frames >= 0 || report_fps;
    double last_draw = 0;
    uint64_t gen0 = w.snap->generation;
    w.changed = 1;
    while (!w.quit) {
        double start = simthread_now();
        if (v->script)
            script_frame(v->script, &host);
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            on_event(&w, &e);
            w.changed = 1;
        }
        SDL_GetRendererOutputSize(w.ren, &w.out_w, &w.out_h);
        SDL_GetWindowSize(w.win, &w.win_w, &w.win_h);
        take_snapshot(&w, start);
        if (!every_frame && !w.changed && !w.quit && start - last_draw < IDLE_REDRAW) {
            SDL_WaitEventTimeout(NULL, IDLE_WAIT_MS);
            continue;
        }
        w.changed = 0;
        last_draw = start;
        int last = w.quit || (max_frames >= 0 && w.frames + 1 >= max_frames);
        if (draw_frame(&w, last)) {
            w.status = 1;
            break;
        }
        w.frames++;
        if (last)
            w.quit = 1;
        double now = simthread_now();
        if (++fps_n >= 10) {
            double inst = fps_n / (now - fps_t);
            w.hud.fps = w.hud.fps ? w.hud.fps * 0.7 + inst * 0.3 : inst;
            fps_t = now;
            fps_n = 0;
        }
        if (w.fps_cap) {
            double wait = 1.0 / w.fps_cap - (now - start);
            if (wait > 0)
                SDL_Delay((Uint32)(wait * 1000));
        }
    }
    double secs = simthread_now() - t0;
    if (report_fps && secs > 0 && w.frames > 0) {
        SDL_RendererInfo info;
        const char *rname = SDL_GetRendererInfo(w.ren, &info) == 0 ? info.name : "?";
        fprintf(stderr, "glider: %ld frames in %.2f s: %.1f fps (%dx%d, renderer "
                "%s, vsync %s); per frame: drawing %.2f ms, upload and present "
                "%.2f ms; %llu generations (%.1f/s) meanwhile\n", w.frames,
                secs, w.frames / secs, w.out_w, w.out_h, rname,
                w.vsync ? "on" : "off", 1e3 * w.draw_secs / w.frames,
                1e3 * w.present_secs / w.frames,
                (unsigned long long)(w.snap->generation - gen0),
                (double)(w.snap->generation - gen0) / secs);
    }
    /* Hide the window at once: stopping the sim may wait for a long step. */
    SDL_HideWindow(w.win);
    close_window(&w);
    return w.status;
}
