/* bench_util.c - the clock, the timed generation loop and the small
 * formatting helpers 'glider bench' shares (see bench.h). */
#include <stdlib.h>
#include <string.h>

#include "../engine/sys.h"
#include "bench.h"

volatile sig_atomic_t bench_stop;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bench_split(const char *opt, char *list, const char **items, int *n,
                struct glider_error *err)
{
    /* strtok_r skips empty items; a hole in a list is a typo more likely
     * than not. */
    size_t len = strlen(list);
    if (len && (list[0] == ',' || list[len - 1] == ',' || strstr(list, ",,")))
        return glider_errorf(err, GLIDER_EINVAL,
                             "%s: empty item in '%s' (separate the items "
                             "with single commas)",
                             opt, list);
    *n = 0;
    for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (*n == BENCH_MAX_LIST)
            return glider_errorf(err, GLIDER_ELIMIT,
                                 "%s: at most %d items", opt, BENCH_MAX_LIST);
        items[(*n)++] = tok;
    }
    if (*n == 0)
        return glider_errorf(err, GLIDER_EINVAL, "%s: empty list", opt);
    return 0;
}

int bench_time_generations(struct sim *s, uint64_t gens, double *secs,
                           struct glider_error *err)
{
    int rc = 0;
    double t0 = cli_now();
    for (uint64_t i = 0; i < gens;) {
        if (bench_stop) {
            rc = glider_errorf(err, GLIDER_EINTR, "interrupted");
            break;
        }
        uint64_t done;
        if ((rc = sim_advance(s, gens - i, &done, err)))
            break;
        i += done;
    }
    *secs = cli_now() - t0;
    return rc;
}

const char *bench_si(double v, char *buf, size_t size)
{
    static const char prefix[] = " kMGTP";
    int i = 0;
    while (v >= 999.95 && i < 5) {
        v /= 1000;
        i++;
    }
    if (i == 0)
        snprintf(buf, size, "%.3g", v);
    else
        snprintf(buf, size, "%.*f%c", v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v,
                 prefix[i]);
    return buf;
}

void bench_print_load(FILE *f, int json)
{
    double load[3] = {0, 0, 0};
    int n = getloadavg(load, 3);
    if (json) {
        fprintf(f, "\"cpus\": %d, \"load\": [%.2f, %.2f, %.2f]", sys_ncpus(),
                load[0], load[1], load[2]);
        return;
    }
    if (n == 3)
        fprintf(f, "%d CPUs, load average %.2f %.2f %.2f", sys_ncpus(), load[0],
                load[1], load[2]);
    else
        fprintf(f, "%d CPUs", sys_ncpus());
}

int bench_uses_threads(const struct backend_ops *ops)
{
    return strcmp(ops->name, "sequential") != 0 &&
           strcmp(ops->name, "thread-per-cell") != 0;
}
