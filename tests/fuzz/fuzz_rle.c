/* fuzz_rle.c - libFuzzer target: the RLE reader (whole files and bare bodies
 * as JSON's "rle" key uses them), then a write/read round trip. */
#include "fuzz.h"

#include "../../engine/rle.h"

static int read_body(const char *data, size_t len, const char *source,
                     struct pattern **out, struct glider_error *err)
{
    return rle_parse_body(data, len, source, 3, 7, out, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pattern *p = fuzz_load(data, size, rle_parse);
    if (p) {
        fuzz_roundtrip(p, rle_write, rle_parse, FUZZ_SAME_RULE | FUZZ_SAME_BOUNDS);
        pattern_destroy(p);
    }
    p = fuzz_load(data, size, read_body);
    if (p && (uint64_t)p->width * (uint64_t)p->height > FUZZ_ROUNDTRIP_MAX_CELLS) {
        pattern_destroy(p);
        p = NULL;
    }
    if (p) {
        char *body = NULL;
        struct glider_error err = {0};
        int rc = rle_body_string(p, &body, &err);
        if (rc == 0) {
            struct pattern *q = NULL;
            rc = rle_parse_body(body, strlen(body), "body", 1, 1, &q, &err);
            FUZZ_CHECK(rc == 0);
            FUZZ_CHECK(fuzz_same_cells(p, q));
            pattern_destroy(q);
        } else {
            fuzz_check_error(rc, &err);
        }
        free(body);
        pattern_destroy(p);
    }
    return 0;
}
