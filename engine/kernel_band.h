/* kernel_band.h - the band template shared by the scalar, AVX2 and AVX-512
 * kernels (see kernel_impl.h for the method).  Private: included once, at the
 * end of the preamble of kernel_scalar.c, kernel_avx2.c and kernel_avx512.c.
 *
 * The including file defines first:
 *   vec            the vector type (uint64_t, __m256i, __m512i)
 *   KERNEL_VW      64-bit words per vector (1, 4, 8)
 *   KERNEL_STRIP   vectors side by side in a strip (1 or 2)
 *   KERNEL_TARGET  attributes of the out-of-line functions (the ISA target)
 *   KERNEL_FN      attributes of the inline helpers (target + always_inline)
 * and these operations (all lane-wise on 64-bit words):
 *   v_load(p) aligned, v_store(p, v) aligned
 *   v_west_src(row, off, c)  words off-1..off+VW-2 of 'row' ('c' holds off..)
 *   v_east_src(row, off, c)  words off+1..off+VW of 'row'
 *   v_west_near(c, cp)  the same from the vector 'cp' on the left of 'c'
 *   v_east_near(cn, c)  words off+1..off+VW from the vector 'cn' on its right
 *   v_first_west(row)  words -1..VW-2 of 'row', word -1 read as zero
 *   v_last_east(p)     words p[0..VW-2], the last lane zero (not read)
 *   v_west(c, ws)  (c << 1) | (ws >> 63)      v_east(c, es)  (c >> 1) | (es << 63)
 *   v_zero, v_ones, v_not, v_xor, v_and
 *   v_mux(s, a, b) = s ? a : b (bitwise)
 *   v_n2(c, k, s) = c ^ (k & s)  v_n3(c, k, s) = c & k & s
 *   v_fulladd(a, b, c, &sum, &carry)
 * and, for one of the two ways of counting (KERNEL_SUM9, see kernel_impl.h):
 *   KERNEL_SUM9 0: v_row_sums(w, c, e, &p0, &p1, &h0, &h1)  p = w + e,
 *                  h = w + c + e; v_life(k, s, c, l0, alive) for B3/S23
 *   KERNEL_SUM9 1: v_row_sums9(w, c, e, &h0, &h1); v_life9(l0, k, s, c, alive)
 *   KERNEL_SPECIAL  a bit mask of the other kernel_rule_kind values with a
 *                   circuit in v_special(kind, l0, k, s, c, alive)
 *   v_first_west_wrap(x, row)  v_first_west with cell (width-1) of 'row' as
 *                     bit 63 of word -1 (the torus wraps)
 *   v_east_wrap(x, row, c, es)  v_east(c, es) of the last vector with cell 0
 *                     of 'row' as bit (width-1)
 * and optionally KERNEL_WRAP_WORDS 1 with v_west_word(p, c), v_east_word(p, c)
 * (see KB_TORUS_WORDS), and KERNEL_PAIR N (KERNEL_SUM9 only) with
 * v_pair_share(a0, a1, b0, b1, s) filling N shared planes s from the row
 * sums a, b of two adjacent rows, and v_pair_cell(s, c0, c1, alive): B3/S23
 * for a cell of either row, c the row sums of its other neighbour row;
 * and optionally KERNEL_BLOCK_ROWS, the height of a block (below; 128 when
 * not set).
 *
 * Geometry: the kernel sweeps a band in blocks of KERNEL_BLOCK_ROWS rows; in
 * a block, strip by strip (a strip is KERNEL_STRIP vectors wide, vector j
 * holding words j*VW .. j*VW+VW-1, the last strip possibly one vector), top
 * to bottom, keeping the planes of the three rows it needs in registers.  The
 * word left of a strip and the one right of it come from v_west_src and
 * v_east_src (loads; between the vectors of a strip, from registers); the
 * first and last strip ("edge" strips) load the missing word as zero and, on
 * a torus, inject the wrapped cell: bit 0 of W gets cell (width-1), bit
 * (width-1) of E gets cell 0.  Bits past the width of the last vector are masked off before the
 * store, so they stay zero whatever the rule. */

/* How the edge strips of a torus wrap: not at all (a plane, or an inner
 * strip), cell by cell (the general case), or word by word: when the width
 * fills the last vector, the word west of word 0 is the last word and the
 * word east of the last one is word 0, and a kernel that defines
 * KERNEL_WRAP_WORDS takes them as it takes any neighbour word
 * (v_west_word(p, c): word *p under lanes 0..VW-2 of c; v_east_word(p, c):
 * lanes 1..VW-1 of c, then *p). */
enum { KB_TORUS_NONE, KB_TORUS_CELLS, KB_TORUS_WORDS };

struct kb_planes {
    vec h0, h1; /* W + C + E */
#if !KERNEL_SUM9
    vec p0, p1; /* W + E, for the row's own cells */
#endif
    vec c; /* the cells */
};

/* The planes of 'nvec' vectors of 'row' from word 'off' on.  'first': the
 * strip starts at word 0; 'last': it ends with the last vector; 'torus':
 * how the wrapped cells come in there (KB_TORUS_*).  All three are
 * compile-time constants. */
KERNEL_FN static inline void kb_row(const struct kernel_wrap *x, const uint64_t *row,
                                    size_t off, const int nvec, const int first,
                                    const int last, const int torus,
                                    struct kb_planes *r)
{
    vec c[KERNEL_STRIP];
    for (int i = 0; i < nvec; i++)
        c[i] = v_load(row + off + (size_t)i * KERNEL_VW);
    for (int i = 0; i < nvec; i++) {
        size_t o = off + (size_t)i * KERNEL_VW;
        int f = first && i == 0, l = last && i == nvec - 1;
        vec ws, es;
        if (i > 0)
            ws = v_west_near(c[i], c[i - 1]);
#if KERNEL_WRAP_WORDS
        else if (f && torus == KB_TORUS_WORDS)
            ws = v_west_word(row + x->last_word, c[i]);
#endif
        else if (f)
            ws = torus ? v_first_west_wrap(x, row) : v_first_west(row);
        else
            ws = v_west_src(row, o, c[i]);
        if (i < nvec - 1)
            es = v_east_near(c[i + 1], c[i]);
#if KERNEL_WRAP_WORDS
        else if (l && torus == KB_TORUS_WORDS)
            es = v_east_word(row, c[i]);
#endif
        else
            es = l ? v_last_east(row + o + 1) : v_east_src(row, o, c[i]);
        vec w = v_west(c[i], ws);
        vec e = torus == KB_TORUS_CELLS && l ? v_east_wrap(x, row, c[i], es)
                                             : v_east(c[i], es);
        r[i].c = c[i];
#if KERNEL_SUM9
        v_row_sums9(w, c[i], e, &r[i].h0, &r[i].h1);
#else
        v_row_sums(w, c[i], e, &r[i].p0, &r[i].p1, &r[i].h0, &r[i].h1);
#endif
    }
}

/* The rule as the plan's multiplexer tree (any B/S masks), from the count
 * n = l0 + 2(k + s) + 4c, or the sum n + alive under KERNEL_SUM9.  'cand'
 * holds the candidate planes; the constant ones are set by the caller. */
KERNEL_FN static inline vec kb_generic(const struct kernel_plan *p, vec *cand,
                                       vec l0, vec k, vec s, vec c, vec alive)
{
    vec n1 = v_xor(k, s), n2 = v_n2(c, k, s), n3 = v_n3(c, k, s);
    cand[KERNEL_CAND_N0] = l0;
    cand[KERNEL_CAND_NOT_N0] = v_not(l0);
#if KERNEL_SUM9
    const unsigned char *sl = p->s9_leaf, *bl = p->b9_leaf;
    vec sv = v_mux(n3, cand[sl[4]],
                   v_mux(n2, v_mux(n1, cand[sl[3]], cand[sl[2]]),
                         v_mux(n1, cand[sl[1]], cand[sl[0]])));
    vec bv = v_mux(n3, cand[bl[4]],
                   v_mux(n2, v_mux(n1, cand[bl[3]], cand[bl[2]]),
                         v_mux(n1, cand[bl[1]], cand[bl[0]])));
    return v_mux(alive, sv, bv);
#else
    cand[KERNEL_CAND_ALIVE] = alive;
    cand[KERNEL_CAND_NOT_ALIVE] = v_not(alive);
    const unsigned char *sl = p->s_leaf, *bl = p->b_leaf;
    vec s7 = v_mux(n2, v_mux(n1, cand[sl[3]], cand[sl[2]]),
                   v_mux(n1, cand[sl[1]], cand[sl[0]]));
    vec b7 = v_mux(n2, v_mux(n1, cand[bl[3]], cand[bl[2]]),
                   v_mux(n1, cand[bl[1]], cand[bl[0]]));
    return v_mux(n3, cand[p->leaf8], v_mux(alive, s7, b7));
#endif
}

/* One output vector from the planes of the rows above, at and below it. */
KERNEL_FN static inline void kb_out(const struct kernel_plan *plan, vec *cand,
                                    uint64_t *out,
                                    const struct kb_planes *up,
                                    const struct kb_planes *mid,
                                    const struct kb_planes *dn, vec mask,
                                    const int masked,
                                    const enum kernel_rule_kind kind)
{
    vec l0, k, s, c, r;
#if KERNEL_SUM9
    v_fulladd(up->h0, mid->h0, dn->h0, &l0, &k);
    v_fulladd(up->h1, mid->h1, dn->h1, &s, &c);
    if (kind == KERNEL_RULE_LIFE)
        r = v_life9(l0, k, s, c, mid->c);
#else
    v_fulladd(up->h0, dn->h0, mid->p0, &l0, &k);
    v_fulladd(up->h1, dn->h1, mid->p1, &s, &c);
    if (kind == KERNEL_RULE_LIFE)
        r = v_life(k, s, c, l0, mid->c);
#endif
    else if (kind == KERNEL_RULE_GENERIC)
        r = kb_generic(plan, cand, l0, k, s, c, mid->c);
    else
        r = v_special(kind, l0, k, s, c, mid->c);
    if (masked)
        r = v_and(r, mask);
    v_store(out, r);
}

/* One output row of the strip: vector i from rows u (above), m, d (below). */
KERNEL_FN static inline void kb_out_row(const struct kernel_plan *plan,
                                        vec *cand, uint64_t *out,
                                        const struct kb_planes *u,
                                        const struct kb_planes *m,
                                        const struct kb_planes *d, const int nvec,
                                        vec mask, const int masked,
                                        const enum kernel_rule_kind kind)
{
    for (int i = 0; i < nvec; i++)
        kb_out(plan, cand, out + (size_t)i * KERNEL_VW, &u[i], &m[i], &d[i], mask,
               masked && i == nvec - 1, kind);
}

#if KERNEL_PAIR
/* Output rows y and y + 1 of B3/S23 from the planes of rows y - 1 (u),
 * y (m1), y + 1 (m2) and y + 2 (dn). */
KERNEL_FN static inline void kb_pair_rows(uint64_t *out, size_t stride,
                                          const struct kb_planes *u,
                                          const struct kb_planes *m1,
                                          const struct kb_planes *m2,
                                          const struct kb_planes *dn, const int nvec,
                                          vec mask, const int masked)
{
    for (int i = 0; i < nvec; i++) {
        vec sh[KERNEL_PAIR];
        v_pair_share(m1[i].h0, m1[i].h1, m2[i].h0, m2[i].h1, sh);
        vec r0 = v_pair_cell(sh, u[i].h0, u[i].h1, m1[i].c);
        vec r1 = v_pair_cell(sh, dn[i].h0, dn[i].h1, m2[i].c);
        if (masked && i == nvec - 1) {
            r0 = v_and(r0, mask);
            r1 = v_and(r1, mask);
        }
        v_store(out + (size_t)i * KERNEL_VW, r0);
        v_store(out + stride + (size_t)i * KERNEL_VW, r1);
    }
}
#endif

/* Rows [yb, ye) of the strip of 'nvec' vectors at word 'off'.  The loop is
 * unrolled three times so the planes of the three live rows rotate without
 * copies; row pointers advance by the stride, and only the rows above 0 and
 * below height-1 go through kernel_src_row. */
KERNEL_FN static inline void kb_strip_rows(const struct kernel_ctx *x, size_t off,
                                           int yb, int ye, const int nvec,
                                           const int first, const int last,
                                           const int torus, const int masked,
                                           const enum kernel_rule_kind kind)
{
    const size_t stride = x->stride;
    const int height = x->height;
    vec mask = masked && x->need_mask ? v_load(x->tail_mask) : v_ones();
    /* Locals, not reloaded after every (may-alias) vector store. */
    const struct kernel_wrap wrap = {x->last_word, x->last_bit, x->inj_lane,
                                     x->inj_bit,   x->inj_bits, x->inj_lanes};
    const struct kernel_wrap *wp = &wrap;
    const struct kernel_plan plan = x->plan;
    vec cand[KERNEL_NCAND];
    cand[KERNEL_CAND_ZERO] = v_zero();
    cand[KERNEL_CAND_ONES] = v_ones();
    struct kb_planes a[KERNEL_STRIP], b[KERNEL_STRIP], c[KERNEL_STRIP];
    kb_row(wp, kernel_src_row(x, yb - 1), off, nvec, first, last, torus, a);
    kb_row(wp, kernel_src_row(x, yb), off, nvec, first, last, torus, b);
    uint64_t *out = x->dst + (size_t)yb * stride + off;
    /* Rows y whose row below, y + 1, lies inside the grid. */
    int yfast = ye < height ? ye : height - 1;
    const uint64_t *below = x->src + (size_t)(yb + 1) * stride;
    int y = yb;
#if KERNEL_PAIR
    /* B3/S23 two rows at a time: the gates that depend only on the two rows
     * both outputs read (v_pair_share) are computed once for the two. */
    if (kind == KERNEL_RULE_LIFE) {
        struct kb_planes d[KERNEL_STRIP];
        for (; y + 4 <= yfast; y += 4) {
            kb_row(wp, below, off, nvec, first, last, torus, c);
            kb_row(wp, below + stride, off, nvec, first, last, torus, d);
            kb_pair_rows(out, stride, a, b, c, d, nvec, mask, masked);
            kb_row(wp, below + 2 * stride, off, nvec, first, last, torus, a);
            kb_row(wp, below + 3 * stride, off, nvec, first, last, torus, b);
            kb_pair_rows(out + 2 * stride, stride, c, d, a, b, nvec, mask, masked);
            /* now 'a' holds row y + 3 and 'b' row y + 4, as at the start */
            below += 4 * stride;
            out += 4 * stride;
        }
    }
#endif
    for (; y + 3 <= yfast; y += 3) {
        kb_row(wp, below, off, nvec, first, last, torus, c);
        kb_out_row(&plan, cand, out, a, b, c, nvec, mask, masked, kind);
        kb_row(wp, below + stride, off, nvec, first, last, torus, a);
        kb_out_row(&plan, cand, out + stride, b, c, a, nvec, mask, masked, kind);
        kb_row(wp, below + 2 * stride, off, nvec, first, last, torus, b);
        kb_out_row(&plan, cand, out + 2 * stride, c, a, b, nvec, mask, masked, kind);
        /* now 'a' holds row y + 2 and 'b' row y + 3, as at the start */
        below += 3 * stride;
        out += 3 * stride;
    }
    for (; y < ye; y++) {
        kb_row(wp, y < yfast ? below : kernel_src_row(x, y + 1), off, nvec, first,
               last, torus, c);
        kb_out_row(&plan, cand, out, a, b, c, nvec, mask, masked, kind);
        for (int i = 0; i < nvec; i++) {
            a[i] = b[i];
            b[i] = c[i];
        }
        below += stride;
        out += stride;
    }
}

/* Chooses, outside the row loop, whether to inject wrapped cells and whether
 * to mask the bits past the width. */
KERNEL_FN static inline void kb_strip(const struct kernel_ctx *x, size_t off,
                                      int yb, int ye, const int nvec,
                                      const int first, const int last,
                                      const enum kernel_rule_kind kind)
{
    int torus = (first || last) && x->torus ? KB_TORUS_CELLS : KB_TORUS_NONE;
    int masked = last && x->need_mask;
#if KERNEL_WRAP_WORDS
    /* Without a tail to mask the width fills the last vector: its last cell
     * is bit 63 of its last lane, and the wrap is word by word. */
    if (torus && !x->need_mask) {
        kb_strip_rows(x, off, yb, ye, nvec, first, last, KB_TORUS_WORDS, 0, kind);
        return;
    }
#endif
    /* Rules other than B3/S23 AND their last vector with the tail mask (all
     * ones when the width fills it) rather than carry a second loop. */
    if (kind != KERNEL_RULE_LIFE && last) {
        if (torus)
            kb_strip_rows(x, off, yb, ye, nvec, first, last, KB_TORUS_CELLS, 1, kind);
        else
            kb_strip_rows(x, off, yb, ye, nvec, first, last, 0, 1, kind);
        return;
    }
    if (torus && masked)
        kb_strip_rows(x, off, yb, ye, nvec, first, last, 1, 1, kind);
    else if (torus)
        kb_strip_rows(x, off, yb, ye, nvec, first, last, 1, 0, kind);
    else if (masked)
        kb_strip_rows(x, off, yb, ye, nvec, first, last, 0, 1, kind);
    else
        kb_strip_rows(x, off, yb, ye, nvec, first, last, 0, 0, kind);
}

/* Rows per block: each block is swept strip by strip, so the three rows a
 * strip reads and the neighbour strip's words stay in L1; a block
 * recomputes the planes of its two first input rows. */
#ifndef KERNEL_BLOCK_ROWS
#define KERNEL_BLOCK_ROWS 128
#endif

typedef void (*kb_strip_fn)(const struct kernel_ctx *x, size_t off, int yb, int ye);

/* One out-of-line copy per (rule kind, strip width, place of the strip), so
 * the loop of an inner strip carries no edge code and the rule is fixed at
 * compile time. */
#define KB_STRIP_FN(name, nvec, first, last, kind)                           \
    KERNEL_TARGET static void name(const struct kernel_ctx *x, size_t off,  \
                                   int yb, int ye)                          \
    {                                                                       \
        kb_strip(x, off, yb, ye, nvec, first, last, kind);                  \
    }

#define KB_STRIP_FNS(prefix, nvec, kind)                                     \
    KB_STRIP_FN(prefix##_inner, nvec, 0, 0, kind)                            \
    KB_STRIP_FN(prefix##_first, nvec, 1, 0, kind)                            \
    KB_STRIP_FN(prefix##_last, nvec, 0, 1, kind)                             \
    KB_STRIP_FN(prefix##_only, nvec, 1, 1, kind)

/* B3/S23 in strips of KERNEL_STRIP vectors (and one for an odd last one);
 * the other rules, whose circuits need more registers, in strips of one
 * vector.  A special rule the kernel has no circuit for runs the generic
 * tree. */
KB_STRIP_FNS(kb_life_1, 1, KERNEL_RULE_LIFE)
KB_STRIP_FNS(kb_generic_1, 1, KERNEL_RULE_GENERIC)
#if KERNEL_STRIP > 1
KB_STRIP_FNS(kb_life_n, KERNEL_STRIP, KERNEL_RULE_LIFE)
#define KB_LIFE_N {{kb_life_n_inner, kb_life_n_last}, {kb_life_n_first, kb_life_n_only}}
#else
#define KB_LIFE_N {{kb_life_1_inner, kb_life_1_last}, {kb_life_1_first, kb_life_1_only}}
#endif
#define KB_ONE(prefix)                                                       \
    {{{prefix##_inner, prefix##_last}, {prefix##_first, prefix##_only}},     \
     {{NULL, NULL}, {NULL, NULL}}}
#if KERNEL_SPECIAL & (1 << KERNEL_RULE_HIGHLIFE)
KB_STRIP_FNS(kb_highlife_1, 1, KERNEL_RULE_HIGHLIFE)
#define KB_HIGHLIFE KB_ONE(kb_highlife_1)
#else
#define KB_HIGHLIFE KB_ONE(kb_generic_1)
#endif
#if KERNEL_SPECIAL & (1 << KERNEL_RULE_DAYNIGHT)
KB_STRIP_FNS(kb_daynight_1, 1, KERNEL_RULE_DAYNIGHT)
#define KB_DAYNIGHT KB_ONE(kb_daynight_1)
#else
#define KB_DAYNIGHT KB_ONE(kb_generic_1)
#endif
#if KERNEL_SPECIAL & (1 << KERNEL_RULE_SEEDS)
KB_STRIP_FNS(kb_seeds_1, 1, KERNEL_RULE_SEEDS)
#define KB_SEEDS KB_ONE(kb_seeds_1)
#else
#define KB_SEEDS KB_ONE(kb_generic_1)
#endif

/* [rule kind][wide strip][first][last] */
static const kb_strip_fn kb_strips[KERNEL_NRULE_KINDS][2][2][2] = {
    [KERNEL_RULE_LIFE] = {{{kb_life_1_inner, kb_life_1_last},
                           {kb_life_1_first, kb_life_1_only}},
                          KB_LIFE_N},
    [KERNEL_RULE_HIGHLIFE] = KB_HIGHLIFE,
    [KERNEL_RULE_DAYNIGHT] = KB_DAYNIGHT,
    [KERNEL_RULE_SEEDS] = KB_SEEDS,
    [KERNEL_RULE_GENERIC] = KB_ONE(kb_generic_1),
};

/* The kernel_band_fn of the including file. */
static void kb_band(const struct grid *cur, struct grid *next,
                    const struct rule *rule, int y0, int y1)
{
    struct kernel_ctx x;
    if (y0 < 0)
        y0 = 0;
    if (y1 > cur->height)
        y1 = cur->height;
    if (y0 >= y1)
        return;
    kernel_ctx_init(&x, cur, next, rule, KERNEL_VW);
    const kb_strip_fn(*fns)[2][2] = kb_strips[x.plan.kind];
    int width = x.plan.kind == KERNEL_RULE_LIFE ? KERNEL_STRIP : 1;
    for (int yb = y0; yb < y1; yb += KERNEL_BLOCK_ROWS) {
        int ye = y1 - yb > KERNEL_BLOCK_ROWS ? yb + KERNEL_BLOCK_ROWS : y1;
        for (int j = 0; j < x.nv;) {
            int n = x.nv - j >= width ? width : 1;
            fns[n > 1][j == 0][j + n == x.nv](&x, (size_t)j * KERNEL_VW, yb, ye);
            j += n;
        }
    }
}
