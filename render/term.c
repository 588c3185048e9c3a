/* term.c - the terminal view, for when there is no display (or --headless).
 *
 * The universe is drawn with half-block characters: each character shows two
 * cells, one above the other ("▀", "▄", "█" or a space), or two blocks of
 * cells when zoomed out (lit when any cell in the block is alive).  The
 * terminal is put in raw mode on the alternate screen and restored on every
 * way out: quit, the end of --frames, SIGINT and SIGTERM (their handlers only
 * set a flag; the loop sees it, restores the terminal and returns).
 *
 * Without a terminal on stdin and stdout the view cannot draw: with --frames
 * it runs that many frames (scripts included) without drawing, else it
 * refuses with one line. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "draw.h"
#include "viewer.h"

#define TERM_FPS 20

static volatile sig_atomic_t got_stop;   /* SIGINT or SIGTERM arrived */
static volatile sig_atomic_t got_resize; /* SIGWINCH arrived */

static void on_stop(int sig)
{
    got_stop = sig;
}

static void on_resize(int sig)
{
    (void)sig;
    got_resize = 1;
}

struct term {
    struct viewer_ctx *v;
    const struct snapshot *snap;
    int tty;                /* drawing on a terminal */
    struct termios saved;   /* the terminal's mode before raw mode */
    int raw;                /* raw mode and alternate screen are on */
    int cols, rows;         /* terminal size */
    int zoom;               /* cells per half-character, a power of two */
    long vx, vy;            /* cell at the top-left character */
    uint64_t universe_seq;
    int show_help, quit;
    char *buf;              /* the frame being built */
    size_t len, cap;
};

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static void put(struct term *t, const char *s, size_t n)
{
    if (t->len + n > t->cap) {
        size_t cap = (t->len + n) * 2;
        char *b = realloc(t->buf, cap);
        if (!b)
            return; /* the frame is cut short; the next one tries again */
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

static void puts_(struct term *t, const char *s)
{
    put(t, s, strlen(s));
}

static void flush(struct term *t)
{
    size_t off = 0;
    while (off < t->len) {
        ssize_t n = write(STDOUT_FILENO, t->buf + off, t->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    t->len = 0;
}

static void term_size(struct term *t)
{
    struct winsize ws;
    t->cols = 80;
    t->rows = 24;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row) {
        t->cols = ws.ws_col;
        t->rows = ws.ws_row;
    }
}

static int raw_on(struct term *t)
{
    if (tcgetattr(STDIN_FILENO, &t->saved) != 0)
        return -1;
    struct termios r = t->saved;
    r.c_iflag &= ~(tcflag_t)(IXON | ICRNL | BRKINT | INPCK | ISTRIP);
    r.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN); /* ISIG stays: ^C is SIGINT */
    r.c_cc[VMIN] = 0;
    r.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &r) != 0)
        return -1;
    t->raw = 1;
    puts_(t, "\x1b[?1049h\x1b[?25l\x1b[2J");
    flush(t);
    return 0;
}

static void raw_off(struct term *t)
{
    if (!t->raw)
        return;
    puts_(t, "\x1b[0m\x1b[?25h\x1b[?1049l");
    flush(t);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &t->saved);
    t->raw = 0;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */
/* ------------------------------------------------------------------ */

/* Any live cell in [x0, x0+k) x [y0, y0+k)? */
static int any_alive(const struct grid *g, long x0, long y0, int k)
{
    long x1 = x0 + k, y1 = y0 + k;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > g->width ? g->width : x1;
    y1 = y1 > g->height ? g->height : y1;
    if (x0 >= x1 || y0 >= y1)
        return 0;
    for (long y = y0; y < y1; y++) {
        const uint64_t *row = grid_row(g, (int)y);
        for (long wi = x0 >> 6; wi <= (x1 - 1) >> 6; wi++) {
            uint64_t m = ~(uint64_t)0;
            if (wi == x0 >> 6)
                m &= ~(uint64_t)0 << (x0 & 63);
            if (wi == (x1 - 1) >> 6 && (x1 & 63))
                m &= ~(uint64_t)0 >> (64 - (x1 & 63));
            if (row[wi] & m)
                return 1;
        }
    }
    return 0;
}

static void fit(struct term *t)
{
    const struct grid *g = &t->snap->cells;
    int rows = t->rows > 1 ? t->rows - 1 : 1;
    t->zoom = 1;
    while ((g->width + t->zoom - 1) / t->zoom > t->cols ||
           (g->height + t->zoom - 1) / t->zoom > 2 * rows)
        t->zoom *= 2;
    long vw = (long)t->cols * t->zoom, vh = 2L * rows * t->zoom;
    t->vx = (g->width - vw) / 2;
    t->vy = (g->height - vh) / 2;
    t->universe_seq = t->snap->universe_seq;
}

static void zoom(struct term *t, int in)
{
    int rows = t->rows > 1 ? t->rows - 1 : 1;
    long cx = t->vx + (long)t->cols * t->zoom / 2, cy = t->vy + (long)rows * t->zoom;
    if (in && t->zoom > 1)
        t->zoom /= 2;
    else if (!in && t->zoom < 65536)
        t->zoom *= 2;
    t->vx = cx - (long)t->cols * t->zoom / 2;
    t->vy = cy - (long)rows * t->zoom;
}

static void draw(struct term *t)
{
    const struct snapshot *s = t->snap;
    const struct grid *g = &s->cells;
    int rows = t->rows > 1 ? t->rows - 1 : 1;
    int k = t->zoom;
    puts_(t, "\x1b[H");
    for (int r = 0; r < rows; r++) {
        long y = t->vy + 2L * r * k;
        int in_row = y + 2L * k > 0 && y < g->height, inside = 0;
        for (int c = 0; c < t->cols; c++) {
            long x = t->vx + (long)c * k;
            /* The universe on a dark grey background, the outside plain. */
            int in = in_row && x + k > 0 && x < g->width;
            if (in != inside)
                puts_(t, in ? "\x1b[48;5;236m" : "\x1b[49m");
            inside = in;
            int top = any_alive(g, x, y, k), bot = any_alive(g, x, y + k, k);
            puts_(t, top && bot ? "\xe2\x96\x88" : top ? "\xe2\x96\x80"
                     : bot      ? "\xe2\x96\x84"
                                : " ");
        }
        puts_(t, inside ? "\x1b[49m\r\n" : "\r\n");
    }
    char line[512], rule[RULE_TEXT_MAX];
    rule_format(&s->rule, rule, sizeof rule);
    if (t->show_help)
        snprintf(line, sizeof line, "space/enter run  n/tab step  +- speed  arrows "
                 "pan  [] zoom  f fit  r soup  c clear  1-6 back-end  t/T threads  "
                 "s save  o reload  h help  q quit");
    else {
        char threads[16] = "";
        if (s->threads > 0)
            snprintf(threads, sizeof threads, " (%d)", s->threads);
        snprintf(line, sizeof line, "gen %llu  pop %llu  %s  %s%s  %dx%d %s %s  "
                 "zoom 1:%d  %s  h: help",
                 (unsigned long long)s->generation,
                 (unsigned long long)s->population,
                 s->running ? (s->speed > 0 ? "running" : "running, top speed")
                            : "PAUSED",
                 s->backend, threads, g->width, g->height, topology_name(g->topo),
                 rule, k, s->msg);
    }
    line[t->cols < (int)sizeof line ? t->cols : (int)sizeof line - 1] = '\0';
    puts_(t, "\x1b[7m");
    puts_(t, line);
    puts_(t, "\x1b[K\x1b[0m");
    flush(t);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

enum { KEY_UP = 1000, KEY_DOWN, KEY_LEFT, KEY_RIGHT };

static void on_key(struct term *t, int key)
{
    struct viewer_ctx *v = t->v;
    long pan = (long)(t->cols / 8 + 1) * t->zoom;
    switch (key) {
    case ' ': case '\r': case '\n':
        viewer_send(v, SIMCMD_RUN, -1);
        break;
    case 'n': case '\t':
        viewer_send(v, SIMCMD_STEP, 1);
        break;
    case '+': case '=':
        viewer_faster(v, 1);
        break;
    case '-': case '_':
        viewer_faster(v, -1);
        break;
    case ']':
        zoom(t, 1);
        break;
    case '[':
        zoom(t, 0);
        break;
    case KEY_LEFT:
        t->vx -= pan;
        break;
    case KEY_RIGHT:
        t->vx += pan;
        break;
    case KEY_UP:
        t->vy -= pan;
        break;
    case KEY_DOWN:
        t->vy += pan;
        break;
    case 'f':
        fit(t);
        break;
    case '1': case '2': case '3': case '4': case '5': case '6':
        viewer_send(v, SIMCMD_BACKEND, key - '1');
        break;
    case 't':
        viewer_send(v, SIMCMD_THREADS, 1);
        break;
    case 'T':
        viewer_send(v, SIMCMD_THREADS, -1);
        break;
    case 'r':
        viewer_soup(v);
        break;
    case 'c':
        viewer_send(v, SIMCMD_CLEAR, 0);
        break;
    case 's':
        viewer_save(v);
        break;
    case 'o':
        viewer_reload(v, t->snap, "start glider with a pattern file");
        break;
    case 'h': case '?':
        t->show_help = !t->show_help;
        break;
    case 27: /* Esc closes the help first, as in the window */
        if (t->show_help) {
            t->show_help = 0;
            break;
        }
        t->quit = 1;
        break;
    case 'q': case 3:
        t->quit = 1;
        break;
    default:
        break;
    }
}

/* Splits what was read into keys: arrow sequences, lone Esc, bytes. */
static void on_input(struct term *t, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i] == 27 && i + 2 < n && (b[i + 1] == '[' || b[i + 1] == 'O')) {
            static const int arrows[4] = {KEY_UP, KEY_DOWN, KEY_RIGHT, KEY_LEFT};
            if (b[i + 2] >= 'A' && b[i + 2] <= 'D')
                on_key(t, arrows[b[i + 2] - 'A']);
            i += 2;
            continue;
        }
        on_key(t, b[i]);
    }
}

/* ------------------------------------------------------------------ */
/* The script host                                                     */
/* ------------------------------------------------------------------ */

static const struct snapshot *host_snapshot(void *ctx)
{
    struct term *t = ctx;
    int fresh;
    t->snap = simthread_acquire(t->v->sim, &fresh);
    return t->snap;
}

static int host_key(void *ctx, const char *name, struct glider_error *err)
{
    static const struct {
        const char *name;
        int key;
    } names[] = {{"space", ' '}, {"return", '\r'}, {"enter", '\r'},
                 {"tab", '\t'},  {"escape", 27},   {"up", KEY_UP},
                 {"down", KEY_DOWN}, {"left", KEY_LEFT}, {"right", KEY_RIGHT},
                 {"shift+t", 'T'}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            on_key(ctx, names[i].key);
            return 0;
        }
    if (strlen(name) == 1) {
        on_key(ctx, (unsigned char)name[0]);
        return 0;
    }
    return glider_errorf(err, GLIDER_EINVAL, "unknown key '%s'", name);
}

static void host_quit(void *ctx)
{
    ((struct term *)ctx)->quit = 1;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */
/* ------------------------------------------------------------------ */

int view_terminal(struct viewer_ctx *v)
{
    struct term t;
    memset(&t, 0, sizeof t);
    t.v = v;
    t.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    long max_frames = v->o->frames;
    if (!t.tty && max_frames < 0) {
        fprintf(stderr, "glider: no display and no terminal to draw in; use "
                        "'glider run', or --frames N to run without drawing\n");
        return 1;
    }
    struct sigaction sa, old_int, old_term, old_winch;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa.sa_handler = on_resize;
    sigaction(SIGWINCH, &sa, &old_winch);
    got_stop = 0;

    int fresh;
    t.snap = simthread_acquire(v->sim, &fresh);
    term_size(&t);
    fit(&t);
    int status = 0;
    if (t.tty && raw_on(&t) != 0) {
        fprintf(stderr, "glider: cannot set up the terminal: %s\n", strerror(errno));
        status = 1;
        t.quit = 1;
    }
    struct script_host host = {
        .sim = v->sim, .ctx = &t, .snapshot = host_snapshot, .key = host_key,
        .quit = host_quit,
    };
    long frames = 0;
    int dirty = 1;
    while (!t.quit && !got_stop) {
        if (v->script)
            script_frame(v->script, &host);
        if (got_resize) {
            got_resize = 0;
            term_size(&t);
            puts_(&t, "\x1b[2J");
            dirty = 1;
        }
        t.snap = simthread_acquire(v->sim, &fresh);
        if (t.snap->universe_seq != t.universe_seq)
            fit(&t);
        if (t.tty && (fresh || dirty))
            draw(&t);
        dirty = 0;
        if (max_frames >= 0 && ++frames >= max_frames)
            break;
        if (t.quit)
            break;
        /* Wait for a key or the next frame; a signal cuts the wait short. */
        struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
        int n = t.tty ? poll(&p, 1, 1000 / TERM_FPS) : poll(NULL, 0, 1000 / TERM_FPS);
        if (n > 0 && (p.revents & POLLIN)) {
            unsigned char b[64];
            ssize_t r = read(STDIN_FILENO, b, sizeof b);
            if (r > 0)
                on_input(&t, b, (size_t)r);
            else if (r == 0)
                t.quit = 1; /* the terminal went away */
            dirty = 1;
        } else if (n > 0 && (p.revents & (POLLHUP | POLLERR))) {
            t.quit = 1;
        }
    }
    raw_off(&t);
    free(t.buf);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGWINCH, &old_winch, NULL);
    if (got_stop) {
        fprintf(stderr, "glider: stopped by signal %d\n", (int)got_stop);
        return 128 + (int)got_stop;
    }
    return status;
}
