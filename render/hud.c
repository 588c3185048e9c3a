/* hud.c - the heads-up display, the population graph and the help overlay,
 * drawn with the embedded font into the frame's canvas. */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Seconds a message stays on screen (errors stay longer). */
#define MSG_SECONDS 4.0
#define ERROR_SECONDS 10.0

/* Every description starts in the same column: the longest key
 * ("right/middle drag") and two spaces. */
const char *const hud_help_lines[] = {
    "Glider - keys and mouse",
    "",
    "Enter, Space       start / stop",
    "N, Tab             one generation (stops first)",
    "+, -               faster / slower; top speed = as fast as possible",
    "], [               zoom in / out",
    "mouse wheel        zoom around the pointer",
    "arrow keys         pan",
    "right/middle drag  pan",
    "left drag          draw or erase cells (paused); pan (running)",
    "F                  fit the pattern to the window",
    "1 .. 6             back-end: 1 sequential  2 thread-per-cell",
    "                   3 worker-queue  4 thread-pool  5 process-pool",
    "                   6 coroutine",
    "T, Shift+T         one thread (process) more / one fewer",
    "R                  random soup, from generation 0",
    "C                  clear the universe, back to generation 0",
    "S                  save as glider-YYYYMMDD-HHMMSS[-N].json",
    "O                  reload the pattern file last loaded",
    "drop a file        load it (.rle .mc .json .cells .lif, .gz too)",
    "I                  show / hide this status panel",
    "H, ?, F1           show / hide this help",
    "Esc                close this help; without it, quit",
    "Q                  quit",
    NULL,
};

void hud_message(struct hud_state *h, int is_error, double now, const char *msg)
{
    snprintf(h->msg, sizeof h->msg, "%s", msg);
    h->msg_is_error = is_error;
    h->msg_until = now + (is_error ? ERROR_SECONDS : MSG_SECONDS);
}

/* The rates are smoothed with this time constant (seconds), and fall with it
 * when no new generation arrives for longer than usual. */
#define RATE_SECONDS 0.5
/* "Longer than usual": this many seconds, or 1.5 times the last gap between
 * two new generations when that is longer (a slow back-end or speed). */
#define RATE_GRACE 0.5

static void add_population(struct hud_state *h, uint64_t pop)
{
    h->pop[h->pop_head] = pop;
    h->pop_head = (h->pop_head + 1) % HUD_HISTORY;
    if (h->npop < HUD_HISTORY)
        h->npop++;
}

/* Starts measuring afresh from snapshot 's': the rate reads 0 until a new
 * generation arrives, and that first one gives the rate on its own. */
static void rate_restart(struct hud_state *h, const struct snapshot *s,
                         double now)
{
    h->gens_per_sec = 0;
    h->last_time = s->time;
    h->last_gen = s->generation;
    h->gen_interval = 0;
    h->decay_time = now;
    h->rate_first = 1;
    h->rate_backend = s->backend;
    h->rate_threads = s->threads;
}

void hud_update(struct hud_state *h, const struct snapshot *s, double now)
{
    if (s->msg_seq != h->shown_msg_seq) {
        h->shown_msg_seq = s->msg_seq;
        if (s->msg[0])
            hud_message(h, s->msg_is_error, now, s->msg);
    }
    int new_gen = s->generation != h->last_gen;
    if (s->generation < h->last_gen) {
        /* New contents (R, C, a load) start at 0: so does the graph. */
        h->npop = h->pop_head = 0;
    }
    /* Another back-end's rate, or the rate of what the universe held before,
     * says nothing about this one's. */
    if (h->last_time == 0 || s->generation < h->last_gen ||
        s->backend != h->rate_backend || s->threads != h->rate_threads) {
        rate_restart(h, s, now);
        return;
    }
    if (new_gen)
        add_population(h, s->population);
    if (!s->running) {
        /* Paused (steps included): nothing runs, so the rate is 0. */
        rate_restart(h, s, now);
        return;
    }
    double dt = s->time - h->last_time;
    if (new_gen && dt > 0) {
        double inst = (double)(s->generation - h->last_gen) / dt;
        if (h->rate_first)
            h->gens_per_sec = inst;
        else
            h->gens_per_sec += (inst - h->gens_per_sec) *
                               (1.0 - exp(-dt / RATE_SECONDS));
        h->rate_first = 0;
        h->gen_interval = dt;
        h->last_time = s->time;
        h->last_gen = s->generation;
    } else if (h->rate_first) {
        /* Nothing measured yet (just started): measure from the newest
         * snapshot, not from one published long before the start. */
        h->last_time = s->time;
    } else if (now - h->last_time > fmax(RATE_GRACE, 1.5 * h->gen_interval)) {
        /* Nothing new for longer than usual: fewer generations per second
         * than the rate says, so it falls (by time, not by frame). */
        h->gens_per_sec *= exp(-(now - h->decay_time) / RATE_SECONDS);
    }
    h->decay_time = now;
}

void hud_si(char *buf, size_t size, double v)
{
    static const char prefix[] = " kMGTPE";
    int i = 0;
    if (!(v >= 0.0005)) { /* NaN too */
        snprintf(buf, size, "0");
        return;
    }
    /* 999.5 and up print as 1e+03 with %.3g: take the next prefix. */
    while (v >= 999.5 && prefix[i + 1]) {
        v /= 1000;
        i++;
    }
    if (i == 0)
        snprintf(buf, size, "%.3g", v);
    else
        snprintf(buf, size, "%.3g %c", v, prefix[i]);
}

static void draw_graph(struct canvas *c, const struct hud_state *h, int x,
                       int y, int w, int gh)
{
    canvas_fill(c, x, y, w, gh, 0xff101418u);
    if (h->npop < 2)
        return;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < h->npop; i++) {
        uint64_t p = h->pop[(h->pop_head - 1 - i + HUD_HISTORY) % HUD_HISTORY];
        lo = p < lo ? p : lo;
        hi = p > hi ? p : hi;
    }
    int n = h->npop < w ? h->npop : w;
    for (int i = 0; i < n; i++) {
        uint64_t p = h->pop[(h->pop_head - 1 - i + HUD_HISTORY) % HUD_HISTORY];
        int bar = hi > lo ? (int)((double)(p - lo) / (double)(hi - lo) * (gh - 2)) + 1
                          : gh / 2;
        canvas_fill(c, x + w - 1 - i, y + gh - bar, 1, bar, COLOUR_BORN);
    }
}

#define HUD_LINES 5 /* without a message */
#define HUD_MAX_LINES (HUD_LINES + 2) /* with a pending line and a message */
#define HUD_GRAPH 24 /* graph height, at scale 1 */
#define HUD_PAD 4

/* The scale follows the smaller of the window's two sides, so the 5x7 font
 * stays readable: 2 from 800x600 (1000x700, 1280x720), 3 from about 1200x900,
 * 1 only in small windows where a larger panel would not fit across. */
int hud_scale(int out_w, int out_h)
{
    int by_w = out_w / 400, by_h = out_h / 300;
    int scale = by_w < by_h ? by_w : by_h;
    return scale < 1 ? 1 : scale > 4 ? 4 : scale;
}

int hud_height(int scale)
{
    return (HUD_LINES * FONT_LINE + HUD_GRAPH + 2 * HUD_PAD) * scale;
}

/* The HUD's text, one line each; returns how many.  '*pend' and '*msg' are
 * set to the pending line's and the message's index, or -1. */
static int hud_lines(const struct hud_state *h, const struct snapshot *s,
                     const struct view *v, double now,
                     char line[HUD_MAX_LINES][SIMTHREAD_MSG_MAX + 32], int *pend,
                     int *msg)
{
    char rule[RULE_TEXT_MAX], zoom[32], state[80], gens[32], cells[32];
    const size_t len = sizeof line[0];
    int n = 0;
    rule_format(&s->rule, rule, sizeof rule);
    view_zoom_text(v, zoom, sizeof zoom);
    /* The speed setting shows while paused too, so + and - are seen. */
    char speed[48] = "top speed";
    if (s->speed > 0)
        snprintf(speed, sizeof speed, "%g gen/s", s->speed);
    if (h->pausing)
        snprintf(state, sizeof state, "pausing after this generation");
    else
        snprintf(state, sizeof state, "%s, %s", s->running ? "running" : "PAUSED",
                 speed);
    snprintf(line[n++], len, "gen %llu  pop %llu  %s",
             (unsigned long long)s->generation,
             (unsigned long long)s->population, state);
    /* thread-per-cell and coroutine work cell by cell: they use no kernel. */
    char engine[64] = "cell by cell";
    if (!s->cell_granular)
        snprintf(engine, sizeof engine, "kernel %s", h->kernel ? h->kernel : "?");
    if (s->threads > 0)
        snprintf(line[n++], len, "%s, %d %s  %s", s->backend, s->threads,
                 s->workers ? s->workers : "threads", engine);
    else
        snprintf(line[n++], len, "%s  %s", s->backend, engine);
    double area = (double)s->cells.width * s->cells.height;
    hud_si(gens, sizeof gens, h->gens_per_sec);
    hud_si(cells, sizeof cells, h->gens_per_sec * area);
    snprintf(line[n++], len, "%s gen/s  %s cell updates/s  %.0f fps", gens,
             cells, h->fps);
    snprintf(line[n++], len, "%dx%d %s  %s  zoom %s", s->cells.width,
             s->cells.height, topology_name(s->cells.topo), rule, zoom);
    *pend = *msg = -1;
    if (h->pending[0]) {
        *pend = n;
        snprintf(line[n++], len, "%s", h->pending);
    }
    if (h->msg[0] && now < h->msg_until) {
        *msg = n;
        snprintf(line[n++], len, "%s", h->msg);
    }
    snprintf(line[n++], len, "H: help");
    return n;
}

/* The panel's text width, clipped to the canvas 'cw' pixels wide. */
static int panel_width(char line[][SIMTHREAD_MSG_MAX + 32], int n, int scale,
                       int cw)
{
    int w = 0, pad = HUD_PAD * scale;
    for (int i = 0; i < n; i++) {
        int tw = canvas_text_width(line[i], scale);
        w = tw > w ? tw : w;
    }
    return w > cw - 2 * pad ? cw - 2 * pad : w;
}

void hud_draw(struct canvas *c, const struct hud_state *h,
              const struct snapshot *s, const struct view *v, int scale,
              double now)
{
    char line[HUD_MAX_LINES][SIMTHREAD_MSG_MAX + 32];
    int pend, msg, n = hud_lines(h, s, v, now, line, &pend, &msg);
    int pad = HUD_PAD * scale, lh = FONT_LINE * scale, gh = HUD_GRAPH * scale;
    int w = panel_width(line, n, scale, c->w);
    int ph = n * lh + gh + 2 * pad;
    canvas_shade(c, 0, 0, w + 2 * pad, ph, COLOUR_PANEL, 170);
    for (int i = 0; i < n; i++) {
        uint32_t col = i == 0 ? COLOUR_TITLE : COLOUR_TEXT;
        if (i == msg && h->msg_is_error)
            col = COLOUR_ERROR;
        else if (i == pend)
            col = COLOUR_TITLE; /* waiting for the step: it stands out */
        canvas_text(c, pad, pad + i * lh, scale, col, line[i]);
    }
    draw_graph(c, h, pad, pad + n * lh, w, gh - pad);
}

void hud_text(const struct hud_state *h, const struct snapshot *s,
              const struct view *v, int scale, double now, char *buf,
              size_t size, int *pw, int *ph)
{
    char line[HUD_MAX_LINES][SIMTHREAD_MSG_MAX + 32];
    int pend, msg, n = hud_lines(h, s, v, now, line, &pend, &msg);
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < size; i++) {
        int k = snprintf(buf + used, size - used, "%s\n", line[i]);
        used += k > 0 ? (size_t)k : 0;
    }
    *pw = panel_width(line, n, scale, 1 << 30) + 2 * HUD_PAD * scale;
    *ph = (n * FONT_LINE + HUD_GRAPH + 2 * HUD_PAD) * scale;
}

void hud_draw_help(struct canvas *c, int scale)
{
    int n = 0, w = 0;
    for (; hud_help_lines[n]; n++) {
        int tw = canvas_text_width(hud_help_lines[n], 1);
        w = tw > w ? tw : w;
    }
    /* Smaller rather than cut off at the right. */
    while (scale > 1 && (w + 16) * scale > c->w)
        scale--;
    w *= scale;
    int pad = 8 * scale, lh = FONT_LINE * scale;
    int pw = w + 2 * pad, ph = n * lh + 2 * pad;
    int x = (c->w - pw) / 2, y = (c->h - ph) / 2;
    if (x < 0)
        x = 0;
    if (y < 0)
        y = 0;
    canvas_shade(c, x, y, pw, ph, COLOUR_PANEL, 215);
    for (int i = 0; i < n; i++)
        canvas_text(c, x + pad, y + pad + i * lh, scale,
                    i == 0 ? COLOUR_TITLE : COLOUR_TEXT, hud_help_lines[i]);
}
