/* rle.c - PLACEHOLDER until the RLE reader and writer land. */
#include "rle.h"

int rle_parse(const char *data, size_t len, const char *source,
              struct pattern **out, struct glider_error *err)
{
    (void)data, (void)len, (void)out;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "%s: RLE not built yet", source);
}

int rle_parse_body(const char *body, size_t len, const char *source, int line0,
                   int col0, struct pattern **out, struct glider_error *err)
{
    (void)body, (void)len, (void)line0, (void)col0, (void)out;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "%s: RLE not built yet", source);
}

int rle_write(const struct pattern *p, FILE *f, struct glider_error *err)
{
    (void)p, (void)f;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "RLE not built yet");
}

int rle_body_string(const struct pattern *p, char **out, struct glider_error *err)
{
    (void)p, (void)out;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "RLE not built yet");
}
