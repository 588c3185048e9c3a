/* cmd_bench.c - PLACEHOLDER: 'glider bench' is not written yet. */
#include "options.h"

int cmd_bench(const struct cli_opts *o)
{
    (void)o;
    fprintf(stderr, "glider: bench is not built yet\n");
    return 1;
}
