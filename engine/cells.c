/* cells.c - PLACEHOLDER until the .cells and Life 1.06 readers land. */
#include "cells.h"

int cells_parse(const char *data, size_t len, const char *source,
                struct pattern **out, struct glider_error *err)
{
    (void)data, (void)len, (void)out;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "%s: .cells not built yet", source);
}

int cells_write(const struct pattern *p, FILE *f, struct glider_error *err)
{
    (void)p, (void)f;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, ".cells not built yet");
}

int life106_parse(const char *data, size_t len, const char *source,
                  struct pattern **out, struct glider_error *err)
{
    (void)data, (void)len, (void)out;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "%s: Life 1.06 not built yet", source);
}
