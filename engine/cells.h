/* cells.h - plaintext .cells (read and write) and Life 1.06 (read). */
#ifndef GLIDER_CELLS_H
#define GLIDER_CELLS_H

#include <stddef.h>
#include <stdio.h>

#include "pattern.h"

int cells_parse(const char *data, size_t len, const char *source,
                struct pattern **out, struct glider_error *err);
int cells_write(const struct pattern *p, FILE *f, struct glider_error *err);
int life106_parse(const char *data, size_t len, const char *source,
                  struct pattern **out, struct glider_error *err);

#endif
