/* fuzz_rule.c - libFuzzer target: rule_parse and rule_parse_full (with the
 * Golly :T/:P suffix).  What parses must print in canonical form and parse
 * back to the same rule. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    struct glider_error err = {0};
    struct rule r, r2;
    char buf[RULE_TEXT_MAX];

    int rc = rule_parse(s, &r, &err);
    if (rc == 0) {
        fuzz_check_rule(&r);
        FUZZ_CHECK(rule_format(&r, buf, sizeof buf) == buf);
        FUZZ_CHECK(strlen(buf) < sizeof buf);
        rc = rule_parse(buf, &r2, &err);
        FUZZ_CHECK(rc == 0);
        FUZZ_CHECK(rule_equal(&r, &r2));
    } else {
        fuzz_check_error(rc, &err);
    }

    struct rule_bounds b;
    memset(&b, 0, sizeof b);
    rc = rule_parse_full(s, &r, &b, &err);
    if (rc == 0) {
        fuzz_check_rule(&r);
        if (b.present) {
            FUZZ_CHECK(b.width >= 1 && b.width <= GRID_MAX_DIM);
            FUZZ_CHECK(b.height >= 1 && b.height <= GRID_MAX_DIM);
            FUZZ_CHECK(b.topo == TOPO_TORUS || b.topo == TOPO_PLANE);
        }
        /* The canonical rule plus the suffix reads back the same. */
        char full[RULE_TEXT_MAX + 64];
        rule_format(&r, buf, sizeof buf);
        if (b.present)
            snprintf(full, sizeof full, "%s:%c%d,%d", buf,
                     b.topo == TOPO_TORUS ? 'T' : 'P', b.width, b.height);
        else
            snprintf(full, sizeof full, "%s", buf);
        struct rule_bounds b2;
        memset(&b2, 0, sizeof b2);
        rc = rule_parse_full(full, &r2, &b2, &err);
        FUZZ_CHECK(rc == 0);
        FUZZ_CHECK(rule_equal(&r, &r2));
        FUZZ_CHECK(b2.present == b.present);
        if (b.present)
            FUZZ_CHECK(b2.topo == b.topo && b2.width == b.width &&
                       b2.height == b.height);
    } else {
        fuzz_check_error(rc, &err);
    }

    enum topology t;
    rc = topology_parse(s, &t, &err);
    if (rc)
        fuzz_check_error(rc, &err);
    else
        FUZZ_CHECK(t == TOPO_TORUS || t == TOPO_PLANE);
    free(s);
    return 0;
}
