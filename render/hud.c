/* hud.c - the heads-up display, the population graph and the help overlay,
 * drawn with the embedded font into the frame's canvas. */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


/* Seconds a message stays on screen (errors stay longer). */
#define MSG_SECONDS 4.0
#define ERROR_SECONDS 10.0

const char *const hud_help_lines[] = {
    "Glider - keys and mouse",
    "",
    "Enter, Space    start / stop",
    "N, Tab          one generation (stops first)",
    "+, -            faster / slower; top speed = as fast as possible",
    "], [            zoom in / out",
    "mouse wheel     zoom around the pointer",
    "arrow keys      pan",
    "right or middle drag   pan",
    "left drag       draw or erase cells (paused); pan (running)",
    "F               fit the pattern to the window",
    "1 .. 6          back-end: 1 sequential  2 thread-per-cell",
    "                3 worker-queue  4 thread-pool  5 process-pool",
    "                6 coroutine",
    "T, Shift+T      one thread more / one fewer",
    "R               random soup",
    "C               clear the universe",
    "S               save as glider-YYYYMMDD-HHMMSS.json",
    "O               reload the pattern file last loaded",
    "drop a file     load it (.rle .mc .json .cells .lif, .gz too)",
    "I               show / hide this status panel",
    "H, ?, F1        show / hide this help",
    "Esc, Q          quit",
    NULL,
};

void hud_message(struct hud_state *h, int is_error, double now, const char *msg)
{
    snprintf(h->msg, sizeof h->msg, "%s", msg);
    h->msg_is_error = is_error;
    h->msg_until = now + (is_error ? ERROR_SECONDS : MSG_SECONDS);
}

void hud_update(struct hud_state *h, const struct snapshot *s, double now)
{
    if (s->msg_seq != h->shown_msg_seq) {
        h->shown_msg_seq = s->msg_seq;
        if (s->msg[0])
            hud_message(h, s->msg_is_error, now, s->msg);
    }
    if (h->last_time == 0) {
        h->last_time = s->time;
        h->last_gen = s->generation;
        return;
    }
    double dt = s->time - h->last_time;
    if (s->generation != h->last_gen && dt > 0) {
        double inst = (double)(s->generation - h->last_gen) / dt;
        if (s->generation < h->last_gen)
            inst = 0;
        double a = 1.0 - exp(-dt / 0.5);
        h->gens_per_sec += (inst - h->gens_per_sec) * a;
        h->last_time = s->time;
        h->last_gen = s->generation;
        h->pop[h->pop_head] = s->population;
        h->pop_head = (h->pop_head + 1) % HUD_HISTORY;
        if (h->npop < HUD_HISTORY)
            h->npop++;
    } else if (now - h->last_time > 1.0) {
        /* Nothing new for a second: the rate decays towards zero. */
        h->gens_per_sec *= 0.9;
        if (!s->running)
            h->gens_per_sec = 0;
    }
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

static const char *plural(double n)
{
    return n == 1 ? "" : "s";
}

#define HUD_LINES 5 /* without a message */
#define HUD_GRAPH 24 /* graph height, at scale 1 */
#define HUD_PAD 4

int hud_scale(int out_h)
{
    int scale = out_h / 360;
    return scale < 1 ? 1 : scale > 4 ? 4 : scale;
}

int hud_height(int scale)
{
    return (HUD_LINES * FONT_LINE + HUD_GRAPH + 2 * HUD_PAD) * scale;
}

void hud_draw(struct canvas *c, const struct hud_state *h,
              const struct snapshot *s, const struct view *v, int scale,
              double now)
{
    char line[6][SIMTHREAD_MSG_MAX + 32], rule[RULE_TEXT_MAX], zoom[32];
    int n = 0;
    rule_format(&s->rule, rule, sizeof rule);
    view_zoom_text(v, zoom, sizeof zoom);
    if (s->running && s->speed > 0)
        snprintf(line[n++], sizeof line[0], "gen %llu  pop %llu  running %g gen/s",
                 (unsigned long long)s->generation,
                 (unsigned long long)s->population, s->speed);
    else
        snprintf(line[n++], sizeof line[0], "gen %llu  pop %llu  %s",
                 (unsigned long long)s->generation,
                 (unsigned long long)s->population,
                 s->running ? "running, top speed" : "PAUSED");
    if (s->threads > 0)
        snprintf(line[n++], sizeof line[0], "%s, %d thread%s  kernel %s", s->backend,
                 s->threads, plural(s->threads), h->kernel ? h->kernel : "?");
    else
        snprintf(line[n++], sizeof line[0], "%s  kernel %s", s->backend,
                 h->kernel ? h->kernel : "?");
    double cells = (double)s->cells.width * s->cells.height;
    snprintf(line[n++], sizeof line[0], "%.1f gen/s  %.3g cell updates/s  %.0f fps",
             h->gens_per_sec, h->gens_per_sec * cells, h->fps);
    snprintf(line[n++], sizeof line[0], "%dx%d %s  %s  zoom %s", s->cells.width,
             s->cells.height, topology_name(s->cells.topo), rule, zoom);
    int has_msg = h->msg[0] && now < h->msg_until;
    if (has_msg)
        snprintf(line[n++], sizeof line[0], "%s", h->msg);
    snprintf(line[n++], sizeof line[0], "H: help");

    int pad = HUD_PAD * scale, lh = FONT_LINE * scale, gh = HUD_GRAPH * scale;
    int w = 0;
    for (int i = 0; i < n; i++) {
        int tw = canvas_text_width(line[i], scale);
        w = tw > w ? tw : w;
    }
    if (w > c->w - 2 * pad)
        w = c->w - 2 * pad;
    int ph = n * lh + gh + 2 * pad;
    canvas_shade(c, 0, 0, w + 2 * pad, ph, COLOUR_PANEL, 170);
    for (int i = 0; i < n; i++) {
        uint32_t col = i == 0 ? COLOUR_TITLE : COLOUR_TEXT;
        if (has_msg && i == n - 2 && h->msg_is_error)
            col = COLOUR_ERROR;
        canvas_text(c, pad, pad + i * lh, scale, col, line[i]);
    }
    draw_graph(c, h, pad, pad + n * lh, w, gh - pad);
}

void hud_draw_help(struct canvas *c, int scale)
{
    int n = 0, w = 0;
    for (; hud_help_lines[n]; n++) {
        int tw = canvas_text_width(hud_help_lines[n], scale);
        w = tw > w ? tw : w;
    }
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
