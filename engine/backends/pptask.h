/* pptask.h - the process-pool's task messages and what a worker does with one.
 *
 * A task names a band of rows of 'next' to compute from 'cur', and how many
 * generations ahead: 'next' rows [y0, y1) become the universe 'gens'
 * generations after 'cur' (band_gens.h: the worker copies the band plus a
 * halo of 'gens' rows on each side into its private scratch and steps it
 * there; a band of every row needs no halo and alternates between 'next'
 * and the scratch).  In shared mode it carries only the grids' addresses and shape (the
 * cells are in MAP_SHARED memory the worker inherited) and a nonce the worker
 * must find in the first word of its band of 'next', which proves it sees the
 * parent's grid and not an older mapping at the same address.  In copy mode
 * (always one generation) the band's rows plus one halo row on each side
 * follow the task, and the reply carries the band's rows back: the cost of
 * pickling, made visible.
 *
 * pptask_serve runs in the forked worker (see the child discipline in
 * procpool.h): it only reads its request, computes with the band kernel into
 * memory that existed at fork time (its copy-on-write copy of the context's
 * scratch, and the shared grids), and writes its reply. */
#ifndef GLIDER_PPTASK_H
#define GLIDER_PPTASK_H

#include <stddef.h>
#include <stdint.h>

#include "../band_gens.h"
#include "../grid.h"
#include "../rule.h"
#include "band_plan.h"

#define PPTASK_STALE 1 /* pptask_done.status: the worker cannot see 'next' */

/* Shared mode: bytes of a worker's band_gens scratch (both buffers), the
 * cache budget band_plan.h sizes its bands for.  Fixed, so that no grid ever
 * needs a re-fork for a larger one: the parent cuts 'gens' until the band
 * and its halo fit (pptask_fit_gens). */
#define PPTASK_GENS_SCRATCH_BYTES BAND_PLAN_CACHE_BYTES

/* Parent -> worker.  Fixed size; in copy mode the packed rows follow. */
struct pptask {
    uint64_t serial;     /* the back-end's step number, echoed */
    uint64_t nonce;      /* shared mode: expected in 'next' row y0, word 0 */
    uint64_t cur, next;  /* shared mode: the grids' cells (the same address in
                          * every process) */
    uint64_t stride;     /* the grids' shape: words per row */
    int32_t width, height;
    uint32_t id;         /* band index, echoed */
    int32_t y0, y1;      /* rows of 'next' to compute */
    uint16_t kernel;     /* kernel_at() index */
    uint8_t topo;        /* enum topology */
    uint8_t copy;        /* rows travel in the messages */
    struct rule rule;
    int32_t gens;        /* generations ahead (>= 1; 1 in copy mode) */
};

/* Still 72 bytes: 'gens' took what was tail padding. */
_Static_assert(sizeof(struct pptask) == 72, "struct pptask is a wire format");

/* Worker -> parent.  In copy mode the band's packed rows follow. */
struct pptask_done {
    uint64_t serial;     /* the task's, echoed */
    uint32_t id;
    int32_t status; /* 0, or PPTASK_STALE */
    int32_t y0, y1;
    double seconds; /* kernel time in the worker (for the band plan) */
};

/* The workers' context: filled by the parent before it forks them.  Each
 * worker uses its own copy-on-write copy of the scratch buffers. */
struct pptask_ctx {
    int copy;          /* copy mode */
    int band_max;      /* copy mode: rows of the tallest band 'scratch' fits */
    size_t stride;     /* copy mode: row stride 'scratch' was sized for */
    uint64_t *scratch; /* copy mode: two (band_max + 2)-row grids, aligned */
    void *raw;         /* the allocation behind 'scratch' */
    struct band_scratch gens; /* shared mode: band_gens scratch of
                               * PPTASK_GENS_SCRATCH_BYTES (2 buffers) */
};

/* A zeroed task for rows [y0, y1) of 'next' from 'cur' (same shape), one
 * generation ahead. */
void pptask_init(struct pptask *t, const struct grid *cur,
                 const struct grid *next, const struct rule *rule, int kernel,
                 int y0, int y1);

/* The procpool_handler of the workers ('ctx' is a struct pptask_ctx). */
long pptask_serve(void *ctx, const void *in, size_t inlen, void *out,
                  size_t outcap);

/* Copy mode: sizes the scratch for bands of up to 'band_max' rows of stride
 * 'stride' (frees any previous copy-mode scratch).  0, or -1 when out of memory.  The
 * parent also uses the request and reply buffers of that size as staging. */
int pptask_ctx_size(struct pptask_ctx *c, int band_max, size_t stride);

/* Shared mode: allocates the band_gens scratch (PPTASK_GENS_SCRATCH_BYTES,
 * 64-byte aligned).  0, or GLIDER_ENOMEM with 'err' filled. */
int pptask_ctx_gens_scratch(struct pptask_ctx *c, struct glider_error *err);

/* Frees everything the context holds (copy and gens scratch). */
void pptask_ctx_free(struct pptask_ctx *c);

/* The most generations, at most 'want', a worker of this context can compute
 * per task when a universe of 'height' rows of 'stride' words is cut into
 * 'nbands' bands (backend_band): a band and its halo (band_gens_rows) must
 * fit one buffer of the gens scratch - or, for one band (the whole
 * universe, which needs no halo: its generations alternate between 'next'
 * and one buffer), the universe must.  1 (no scratch needed) when not even
 * two generations fit. */
int pptask_fit_gens(const struct pptask_ctx *c, size_t stride, int height,
                    int nbands, int want);

/* Largest request / reply payload for this context. */
size_t pptask_request_max(const struct pptask_ctx *c);
size_t pptask_reply_max(const struct pptask_ctx *c);

/* Bytes of one packed row: the words that carry cells. */
size_t pptask_row_bytes(int width);

/* Packs rows y0-1 .. y1 of 'cur' (wrapped on a torus, dead beyond a plane's
 * edge) into 'dst'; returns the bytes written. */
size_t pptask_pack_rows(const struct grid *cur, int y0, int y1, void *dst);

/* Writes packed rows into rows [y0, y1) of 'next', zeroing the padding. */
void pptask_unpack_rows(struct grid *next, int y0, int y1, const void *src);

#endif
