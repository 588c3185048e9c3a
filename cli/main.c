/* main.c - glider's entry point: parse the command line, run a subcommand. */
#include <stdio.h>

#include "../engine/backend.h"
#include "options.h"

int cmd_backends(const struct cli_opts *o)
{
    for (int i = 0; backend_at(i); i++) {
        const struct backend_ops *b = backend_at(i);
        if (o->json)
            printf("%s{\"name\": \"%s\", \"summary\": \"%s\"}%s", i ? "" : "[",
                   b->name, b->summary, backend_at(i + 1) ? ",\n " : "]\n");
        else
            printf("%-16s %s%s\n", b->name, b->summary, i == 0 ? " (default)" : "");
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct cli_opts o;
    struct glider_error err = {0};
    int rc = cli_parse(argc, argv, &o, &err);
    if (rc == 1)
        return 0;
    if (rc) {
        fprintf(stderr, "glider: %s\n", err.msg);
        return 2;
    }
    switch (o.command) {
    case CMD_RUN:
        return cmd_run(&o);
    case CMD_BENCH:
        return cmd_bench(&o);
    case CMD_CONVERT:
        return cmd_convert(&o);
    case CMD_BACKENDS:
        return cmd_backends(&o);
    case CMD_PATTERNS:
        return cmd_patterns(&o);
    case CMD_VIEW:
    default:
        return cmd_view(&o);
    }
}
