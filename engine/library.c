/* library.c - PLACEHOLDER library: file paths only, and a built-in glider gun. */
#include "library.h"

#include <string.h>

#include "rle.h"

int library_dir(char *buf, size_t size, struct glider_error *err)
{
    (void)buf, (void)size;
    return glider_errorf(err, GLIDER_ENOTFOUND, "pattern library not built yet");
}

int library_load(const char *what, struct pattern **out, struct glider_error *err)
{
    return pattern_load(what, out, err);
}

static const char gosper_rle[] =
    "#N Gosper glider gun\n"
    "x = 36, y = 9, rule = B3/S23\n"
    "24bo$22bobo$12b2o6b2o12b2o$11bo3bo4b2o12b2o$2o8bo5bo3b2o$2o8bo3bob2o4b\n"
    "obo$10bo5bo7bo$11bo3bo$12b2o!\n";

int library_load_default(struct pattern **out, struct glider_error *err)
{
    return rle_parse(gosper_rle, sizeof gosper_rle - 1, "<built-in>", out, err);
}
