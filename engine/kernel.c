/* kernel.c - the kernel table, run-time selection, the per-cell reference,
 * and what the fast kernels share: the rule plan and the band context. */
#include "kernel.h"

#include "kernel_impl.h"

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

/* ---- shared by the fast kernels (kernel_impl.h) ---- */

const uint64_t kernel_dead_words[GRID_MAX_DIM / 64 + 16]
    __attribute__((aligned(64)));

/* The leaf for counts 2j (n0 clear) and 2j+1 (n0 set). */
static unsigned char plan_leaf(unsigned even, unsigned odd)
{
    if (even == odd)
        return even ? KERNEL_CAND_ONES : KERNEL_CAND_ZERO;
    return odd ? KERNEL_CAND_N0 : KERNEL_CAND_NOT_N0;
}

void kernel_plan_init(struct kernel_plan *p, const struct rule *r)
{
    unsigned b = r->birth & 0x1ffu, s = r->survive & 0x1ffu;
    static const struct {
        unsigned birth, survive;
        enum kernel_rule_kind kind;
    } special[] = {
        {0x008, 0x00c, KERNEL_RULE_LIFE},
        {0x048, 0x00c, KERNEL_RULE_HIGHLIFE},
        {0x1c8, 0x1d8, KERNEL_RULE_DAYNIGHT},
        {0x004, 0x000, KERNEL_RULE_SEEDS},
    };
    p->kind = KERNEL_RULE_GENERIC;
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (b == special[i].birth && s == special[i].survive)
            p->kind = special[i].kind;
    for (int j = 0; j < 4; j++) {
        p->s_leaf[j] = plan_leaf((s >> (2 * j)) & 1u, (s >> (2 * j + 1)) & 1u);
        p->b_leaf[j] = plan_leaf((b >> (2 * j)) & 1u, (b >> (2 * j + 1)) & 1u);
    }
    /* Over the nine-cell sum: a live cell with sum S has S - 1 neighbours. */
    unsigned s9 = s << 1;
    for (int j = 0; j < 5; j++) {
        p->s9_leaf[j] = plan_leaf((s9 >> (2 * j)) & 1u, (s9 >> (2 * j + 1)) & 1u);
        p->b9_leaf[j] = plan_leaf((b >> (2 * j)) & 1u, (b >> (2 * j + 1)) & 1u);
    }
    unsigned s8 = (s >> 8) & 1u, b8 = (b >> 8) & 1u;
    if (s8 == b8)
        p->leaf8 = s8 ? KERNEL_CAND_ONES : KERNEL_CAND_ZERO;
    else
        p->leaf8 = s8 ? KERNEL_CAND_ALIVE : KERNEL_CAND_NOT_ALIVE;
}

void kernel_ctx_init(struct kernel_ctx *x, const struct grid *cur,
                     struct grid *next, const struct rule *r, int vw)
{
    int nw = (cur->width + 63) / 64;
    x->src = cur->words;
    x->dst = next->words;
    x->width = cur->width;
    x->height = cur->height;
    x->torus = cur->topo == TOPO_TORUS;
    x->stride = cur->stride;
    x->vw = vw;
    x->nv = (nw + vw - 1) / vw;
    x->last_off = (size_t)(x->nv - 1) * (size_t)vw;
    x->last_word = (cur->width - 1) / 64;
    x->last_bit = (cur->width - 1) % 64;
    x->inj_lane = x->last_word - (int)x->last_off;
    x->inj_bit = x->last_bit;
    x->need_mask = (uint64_t)cur->width < 64 * ((uint64_t)x->last_off + (uint64_t)vw);
    for (int i = 0; i < 8; i++) {
        int q = (int)x->last_off + i;
        uint64_t m = 0;
        if (i < vw && q < x->last_word)
            m = ~(uint64_t)0;
        else if (i < vw && q == x->last_word)
            m = x->last_bit == 63 ? ~(uint64_t)0
                                  : ((uint64_t)1 << (x->last_bit + 1)) - 1;
        x->tail_mask[i] = m;
        x->inj_lanes[i] = i == x->inj_lane ? ~(uint64_t)0 : 0;
        x->inj_bits[i] = i == x->inj_lane ? (uint64_t)1 << x->inj_bit : 0;
    }
    kernel_plan_init(&x->plan, r);
}

/* ---- the table ---- */

static int always(void)
{
    return 1;
}

static const struct kernel reference_kernel = {
    "reference", "naive per-cell loop (the test oracle)", kernel_reference_band,
    always};

/* Fastest first: "auto" picks the first supported one. */
static const struct kernel *const kernels[] = {
    &kernel_avx512,
    &kernel_avx2,
    &kernel_scalar,
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
