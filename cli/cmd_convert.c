/* cmd_convert.c - 'glider convert IN OUT' and 'glider patterns'. */
#include "../engine/library.h"
#include "../engine/pattern.h"
#include "options.h"

int cmd_convert(const struct cli_opts *o)
{
    struct glider_error err = {0};
    struct pattern *p;
    int rc = pattern_load(o->pattern, &p, &err);
    if (rc == 0) {
        rc = pattern_save(p, o->output_arg, &err);
        pattern_destroy(p);
    }
    if (rc) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return cli_exit_code(rc);
    }
    return 0;
}

int cmd_patterns(const struct cli_opts *o)
{
    (void)o;
    fprintf(stderr, "glider: the pattern library is not built yet\n");
    return 1;
}
