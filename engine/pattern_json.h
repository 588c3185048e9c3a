/* pattern_json.h - Glider's JSON pattern files (see DESIGN.md), via cJSON. */
#ifndef GLIDER_PATTERN_JSON_H
#define GLIDER_PATTERN_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "pattern.h"

int pattern_json_parse(const char *data, size_t len, const char *source,
                       struct pattern **out, struct glider_error *err);
/* Pretty-printed; "rows" for small patterns, "rle" for large ones. */
int pattern_json_write(const struct pattern *p, FILE *f, struct glider_error *err);

#endif
