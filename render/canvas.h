/* canvas.h - a 32-bit ARGB pixel buffer the viewer draws into, and the
 * embedded 5x7 bitmap font.  Every frame is drawn here in software, then
 * handed to SDL as one streaming-texture update. */
#ifndef GLIDER_RENDER_CANVAS_H
#define GLIDER_RENDER_CANVAS_H

#include <stdint.h>

struct canvas {
    uint32_t *px; /* row y starts at px + y * pitch */
    int w, h;     /* size in pixels */
    int pitch;    /* pixels per row */
};

#define FONT_W 5       /* glyph ink width */
#define FONT_H 7       /* glyph ink height */
#define FONT_ADVANCE 6 /* pixels from one character to the next, at scale 1 */
#define FONT_LINE 10   /* pixels from one line to the next, at scale 1 */

/* Fills a rectangle (clipped to the canvas). */
void canvas_fill(struct canvas *c, int x, int y, int w, int h, uint32_t argb);
/* Blends 'argb' over a rectangle with opacity alpha/255. */
void canvas_shade(struct canvas *c, int x, int y, int w, int h, uint32_t argb,
                  int alpha);
/* Draws 's' (ASCII 32..126; others show as '?') with its top-left at (x, y),
 * each font pixel 'scale' x 'scale'.  Returns the x after the last glyph. */
int canvas_text(struct canvas *c, int x, int y, int scale, uint32_t argb,
                const char *s);
/* Width in pixels of 's' at 'scale'. */
int canvas_text_width(const char *s, int scale);
/* The 7 rows of glyph 'ch' (bit 4 = leftmost pixel); NULL outside 32..126. */
const uint8_t *font_glyph(int ch);

#endif
