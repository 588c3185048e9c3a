/* backend.c - the registry of back-ends: one table, lookup by name. */
#include "backend.h"

#include <stdio.h>
#include <string.h>

extern const struct backend_ops backend_sequential;
extern const struct backend_ops backend_thread_per_cell;
extern const struct backend_ops backend_worker_queue;
extern const struct backend_ops backend_thread_pool;
extern const struct backend_ops backend_process_pool;
extern const struct backend_ops backend_coroutine;

/* The first entry is the default; the order is the viewer's keys 1-6. */
static const struct backend_ops *const backends[] = {
    &backend_sequential,   &backend_thread_per_cell, &backend_worker_queue,
    &backend_thread_pool,  &backend_process_pool,    &backend_coroutine,
};
#define NBACKENDS ((int)(sizeof backends / sizeof backends[0]))

int backend_count(void)
{
    return NBACKENDS;
}

const struct backend_ops *backend_at(int i)
{
    return i >= 0 && i < NBACKENDS ? backends[i] : NULL;
}

const struct backend_ops *backend_find(const char *name)
{
    for (int i = 0; i < NBACKENDS; i++)
        if (strcmp(backends[i]->name, name) == 0)
            return backends[i];
    return NULL;
}

int backend_lookup(const char *name, const struct backend_ops **out,
                   struct glider_error *err)
{
    *out = backend_find(name);
    if (*out)
        return 0;
    char list[256] = "";
    for (int i = 0; i < NBACKENDS; i++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
                 backends[i]->name);
    }
    return glider_errorf(err, GLIDER_ENOTFOUND,
                         "unknown back-end '%s': expected one of %s", name,
                         list);
}
