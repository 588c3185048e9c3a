/* kernel.c - the kernel table, run-time selection and the per-cell reference. */
#include "kernel.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kernel_reference_band(const struct grid *cur, struct grid *next,
                           const struct rule *rule, int y0, int y1)
{
    for (int y = y0; y < y1; y++) {
        uint64_t *out = grid_row(next, y);
        memset(out, 0, next->stride * sizeof *out);
        for (int x = 0; x < cur->width; x++) {
            int n = grid_count_neighbours(cur, x, y);
            if (rule_next(rule, grid_get(cur, x, y), n))
                out[x >> 6] |= (uint64_t)1 << (x & 63);
        }
    }
}

static int always(void)
{
    return 1;
}

static const struct kernel reference_kernel = {
    "reference", "naive per-cell loop (the test oracle)", kernel_reference_band,
    always};

/* Fastest first: "auto" picks the first supported one. */
static const struct kernel *const kernels[] = {
    &reference_kernel,
};
#define NKERNELS (sizeof kernels / sizeof kernels[0])

const struct kernel *kernel_at(int i)
{
    return i >= 0 && (size_t)i < NKERNELS ? kernels[i] : NULL;
}

const struct kernel *kernel_find(const char *name)
{
    for (size_t i = 0; i < NKERNELS; i++)
        if (strcmp(kernels[i]->name, name) == 0)
            return kernels[i];
    return NULL;
}

static const struct kernel *best_kernel(void)
{
    for (size_t i = 0; i < NKERNELS; i++)
        if (kernels[i]->supported())
            return kernels[i];
    return &reference_kernel;
}

static _Atomic(const struct kernel *) active;

int kernel_select(const char *name, struct glider_error *err)
{
    const struct kernel *k;
    if (strcmp(name, "auto") == 0) {
        k = best_kernel();
    } else {
        k = kernel_find(name);
        if (!k) {
            char list[256] = "";
            for (size_t i = 0; i < NKERNELS; i++) {
                strncat(list, " ", sizeof list - strlen(list) - 1);
                strncat(list, kernels[i]->name, sizeof list - strlen(list) - 1);
            }
            return glider_errorf(err, GLIDER_EINVAL,
                                 "unknown kernel '%s': expected auto or one "
                                 "of:%s",
                                 name, list);
        }
        if (!k->supported())
            return glider_errorf(err, GLIDER_EUNSUPPORTED,
                                 "kernel '%s' is not supported by this CPU",
                                 name);
    }
    atomic_store(&active, k);
    return 0;
}

const struct kernel *kernel_active(void)
{
    const struct kernel *k = atomic_load(&active);
    if (k)
        return k;
    const char *env = getenv("GLIDER_KERNEL");
    struct glider_error err;
    if (env && *env && kernel_select(env, &err) != 0) {
        fprintf(stderr, "glider: GLIDER_KERNEL: %s; using auto\n", err.msg);
        env = NULL;
    }
    if (!env || !*env)
        kernel_select("auto", NULL);
    return atomic_load(&active);
}

void kernel_step(const struct grid *cur, struct grid *next, const struct rule *rule)
{
    kernel_active()->band(cur, next, rule, 0, cur->height);
}
