/* kernel_band.h - the band template shared by the scalar, AVX2 and AVX-512
 * kernels (see kernel_impl.h for the method).  Private: included once, at the
 * end of the preamble of kernel_scalar.c, kernel_avx2.c and kernel_avx512.c.
 *
 * The including file defines first:
 *   vec            the vector type (uint64_t, __m256i, __m512i)
 *   KERNEL_VW      64-bit words per vector (1, 4, 8)
 *   KERNEL_TARGET  attributes of the out-of-line functions (the ISA target)
 *   KERNEL_FN      attributes of the inline helpers (target + always_inline)
 * and these operations (all lane-wise on 64-bit words):
 *   v_load(p) aligned, v_loadu(p) unaligned, v_store(p, v) aligned
 *   v_first_west(row)  words -1..VW-2 of 'row', word -1 read as zero
 *   v_last_east(p)     words p[0..VW-2], the last lane zero (not read)
 *   v_west(c, ws)  (c << 1) | (ws >> 63)      v_east(c, es)  (c >> 1) | (es << 63)
 *   v_zero, v_ones, v_not, v_xor, v_and, v_or_and(a, b, c) = a | (b & c)
 *   v_mux(s, a, b) = s ? a : b (bitwise)
 *   v_fulladd(a, b, c, &sum, &carry)
 *   v_life(k, s, c, l0, alive)   B3/S23 from the count planes
 *   v_n2(c, k, s) = c ^ (k & s)  v_n3(c, k, s) = c & k & s
 *   v_or_bit0(v, b)  sets bit 0 of lane 0 when b is 1
 *   v_or_inj(x, v, bits)  ORs 'bits' into lane x->inj_lane
 *
 * Geometry: the kernel sweeps a band in blocks of KERNEL_BLOCK_ROWS rows; in
 * a block, strip by strip (vector j holds words j*VW .. j*VW+VW-1), top to
 * bottom, keeping the planes of the three rows it needs in registers.  Inner
 * strips read the words on their left and right with unaligned loads; the
 * first and last strip ("edge" strips) load the missing word as zero and, on
 * a torus, inject the wrapped cell: bit 0 of W gets cell (width-1), bit
 * (width-1) of E gets cell 0.  Bits past the width of the last vector are
 * masked off before the store, so they stay zero whatever the rule. */

struct kb_planes {
    vec h0, h1; /* W + C + E, for the rows above and below */
    vec p0, p1; /* W + E, for the row's own cells */
    vec c;      /* the cells */
};

KERNEL_FN static inline struct kb_planes
kb_row(const struct kernel_ctx *x, const uint64_t *row, size_t off, const int edge)
{
    struct kb_planes r;
    vec c = v_load(row + off), ws, es;
    int first = edge && off == 0, last = edge && off == x->last_off;
    ws = first ? v_first_west(row) : v_loadu(row + off - 1);
    es = last ? v_last_east(row + off + 1) : v_loadu(row + off + 1);
    vec w = v_west(c, ws), e = v_east(c, es);
    if (edge && x->torus) {
        if (first)
            w = v_or_bit0(w, (row[x->last_word] >> x->last_bit) & 1);
        if (last)
            e = v_or_inj(x, e, (row[0] & 1) << x->inj_bit);
    }
    r.c = c;
    r.p0 = v_xor(w, e);
    r.p1 = v_and(w, e);
    r.h0 = v_xor(r.p0, c);
    r.h1 = v_or_and(r.p1, r.p0, c);
    return r;
}

/* The rule as the plan's multiplexer tree (any B/S masks). */
KERNEL_FN static inline vec kb_generic(const struct kernel_plan *p, vec l0,
                                       vec k, vec s, vec c, vec alive)
{
    vec n1 = v_xor(k, s), n2 = v_n2(c, k, s), n3 = v_n3(c, k, s);
    vec cand[KERNEL_NCAND];
    cand[KERNEL_CAND_ZERO] = v_zero();
    cand[KERNEL_CAND_ONES] = v_ones();
    cand[KERNEL_CAND_N0] = l0;
    cand[KERNEL_CAND_NOT_N0] = v_not(l0);
    cand[KERNEL_CAND_ALIVE] = alive;
    cand[KERNEL_CAND_NOT_ALIVE] = v_not(alive);
    vec s7 = v_mux(n2, v_mux(n1, cand[p->s_leaf[3]], cand[p->s_leaf[2]]),
                   v_mux(n1, cand[p->s_leaf[1]], cand[p->s_leaf[0]]));
    vec b7 = v_mux(n2, v_mux(n1, cand[p->b_leaf[3]], cand[p->b_leaf[2]]),
                   v_mux(n1, cand[p->b_leaf[1]], cand[p->b_leaf[0]]));
    return v_mux(n3, cand[p->leaf8], v_mux(alive, s7, b7));
}

/* One output vector from the planes of the rows above, at and below it. */
KERNEL_FN static inline void kb_out(const struct kernel_ctx *x, uint64_t *out,
                                    const struct kb_planes *up,
                                    const struct kb_planes *mid,
                                    const struct kb_planes *dn, vec mask,
                                    const int masked,
                                    const enum kernel_rule_kind kind)
{
    vec l0, k, s, c, r;
    v_fulladd(up->h0, dn->h0, mid->p0, &l0, &k);
    v_fulladd(up->h1, dn->h1, mid->p1, &s, &c);
    if (kind == KERNEL_RULE_LIFE)
        r = v_life(k, s, c, l0, mid->c);
    else
        r = kb_generic(&x->plan, l0, k, s, c, mid->c);
    if (masked)
        r = v_and(r, mask);
    v_store(out, r);
}

/* Rows [yb, ye) of the strip at word 'off'.  The loop is unrolled three times
 * so the planes of the three live rows rotate without copies; row pointers
 * advance by the stride, and only the rows above 0 and below height-1 go
 * through kernel_src_row. */
KERNEL_FN static inline void kb_strip_rows(const struct kernel_ctx *x, size_t off,
                                           int yb, int ye, const int edge,
                                           const int masked,
                                           const enum kernel_rule_kind kind)
{
    const size_t stride = x->stride;
    const int height = x->height;
    vec mask = masked ? v_load(x->tail_mask) : v_ones();
    struct kb_planes up = kb_row(x, kernel_src_row(x, yb - 1), off, edge);
    struct kb_planes mid = kb_row(x, kernel_src_row(x, yb), off, edge);
    struct kb_planes dn;
    uint64_t *out = x->dst + (size_t)yb * stride + off;
    /* Rows y whose row below, y + 1, lies inside the grid. */
    int yfast = ye < height ? ye : height - 1;
    const uint64_t *below = x->src + (size_t)(yb + 1) * stride;
    int y = yb;
    for (; y + 3 <= yfast; y += 3) {
        dn = kb_row(x, below, off, edge);
        kb_out(x, out, &up, &mid, &dn, mask, masked, kind);
        up = kb_row(x, below + stride, off, edge);
        kb_out(x, out + stride, &mid, &dn, &up, mask, masked, kind);
        mid = kb_row(x, below + 2 * stride, off, edge);
        kb_out(x, out + 2 * stride, &dn, &up, &mid, mask, masked, kind);
        /* now 'up' holds row y + 3 - 1 and 'mid' row y + 3 */
        below += 3 * stride;
        out += 3 * stride;
    }
    for (; y < ye; y++) {
        dn = kb_row(x, y < yfast ? below : kernel_src_row(x, y + 1), off, edge);
        kb_out(x, out, &up, &mid, &dn, mask, masked, kind);
        up = mid;
        mid = dn;
        below += stride;
        out += stride;
    }
}

KERNEL_FN static inline void kb_strip(const struct kernel_ctx *x, size_t off,
                                      int yb, int ye, const int edge,
                                      const enum kernel_rule_kind kind)
{
    if (edge && x->need_mask && off == x->last_off)
        kb_strip_rows(x, off, yb, ye, 1, 1, kind);
    else
        kb_strip_rows(x, off, yb, ye, edge, 0, kind);
}

/* One out-of-line copy per (strip kind, rule kind), so the inner loop of an
 * inner strip carries no edge tests and the rule is fixed at compile time. */
KERNEL_TARGET static void kb_inner_life(const struct kernel_ctx *x, size_t off,
                                        int yb, int ye)
{
    kb_strip(x, off, yb, ye, 0, KERNEL_RULE_LIFE);
}

KERNEL_TARGET static void kb_edge_life(const struct kernel_ctx *x, size_t off,
                                       int yb, int ye)
{
    kb_strip(x, off, yb, ye, 1, KERNEL_RULE_LIFE);
}

KERNEL_TARGET static void kb_inner_generic(const struct kernel_ctx *x,
                                           size_t off, int yb, int ye)
{
    kb_strip(x, off, yb, ye, 0, KERNEL_RULE_GENERIC);
}

KERNEL_TARGET static void kb_edge_generic(const struct kernel_ctx *x,
                                          size_t off, int yb, int ye)
{
    kb_strip(x, off, yb, ye, 1, KERNEL_RULE_GENERIC);
}

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
    int life = x.plan.kind == KERNEL_RULE_LIFE;
    for (int yb = y0; yb < y1; yb += KERNEL_BLOCK_ROWS) {
        int ye = y1 - yb > KERNEL_BLOCK_ROWS ? yb + KERNEL_BLOCK_ROWS : y1;
        for (int j = 0; j < x.nv; j++) {
            size_t off = (size_t)j * KERNEL_VW;
            int edge = j == 0 || j == x.nv - 1;
            if (life)
                (edge ? kb_edge_life : kb_inner_life)(&x, off, yb, ye);
            else
                (edge ? kb_edge_generic : kb_inner_generic)(&x, off, yb, ye);
        }
    }
}
