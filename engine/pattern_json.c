/* pattern_json.c - PLACEHOLDER until the JSON loader and saver land. */
#include "pattern_json.h"

int pattern_json_parse(const char *data, size_t len, const char *source,
                       struct pattern **out, struct glider_error *err)
{
    (void)data, (void)len, (void)out;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "%s: JSON not built yet", source);
}

int pattern_json_write(const struct pattern *p, FILE *f, struct glider_error *err)
{
    (void)p, (void)f;
    return glider_errorf(err, GLIDER_EUNSUPPORTED, "JSON not built yet");
}
