/* cells.h - plaintext .cells (read and write) and Life 1.06 (read). */
#ifndef GLIDER_CELLS_H
#define GLIDER_CELLS_H

#include <stddef.h>
#include <stdio.h>

#include "pattern.h"

int cells_parse(const char *data, size_t len, const char *source,
                struct pattern **out, struct glider_error *err);
int cells_write(const struct pattern *p, FILE *f, struct glider_error *err);
/* What plaintext cannot keep of 'p': its rule unless B3/S23, its universe
 * when one is fixed.  Writes e.g. "the rule B36/S23 and the 64x64 torus"
 * into 'buf' and returns it; NULL when nothing is lost. */
const char *cells_lost(const struct pattern *p, char *buf, size_t size);
int life106_parse(const char *data, size_t len, const char *source,
                  struct pattern **out, struct glider_error *err);

#endif
